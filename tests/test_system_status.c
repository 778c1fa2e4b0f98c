/* SPDX-License-Identifier: ISC */
/*
 * test_system_status - `get system status` on real captures from FortiOS
 * 5.0 to 7.6, on synthetic layouts, and the version comparison.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "system_status.h"

#define U	PNUM_UNKNOWN

struct want {
	const char	*version;
	pnum		 major, minor, patch, build;
	const char	*model, *release, *hostname, *serial, *vdom_mode;
	const char	*current_vdom, *ha_mode, *ha_role;
	pnum		 branch;
};

static void
check(const char *what, const struct system_status *st, const struct want *w)
{
	tu_str(what, "version", st->version, w->version);
	tu_num(what, "major", st->major, w->major);
	tu_num(what, "minor", st->minor, w->minor);
	tu_num(what, "patch", st->patch, w->patch);
	tu_num(what, "build", st->build, w->build);
	tu_str(what, "model", st->model, w->model);
	tu_str(what, "release", st->release, w->release);
	tu_str(what, "hostname", st->hostname, w->hostname);
	tu_str(what, "serial", st->serial, w->serial);
	tu_str(what, "vdom_mode", st->vdom_mode, w->vdom_mode);
	tu_str(what, "current_vdom", st->current_vdom, w->current_vdom);
	tu_str(what, "ha_mode", st->ha_mode, w->ha_mode);
	tu_str(what, "ha_role", st->ha_role, w->ha_role);
	tu_num(what, "branch_point", st->branch_point, w->branch);
}

static struct system_status *
parse_fixture(const char *rel, const struct want *w)
{
	struct system_status	*st;
	char			*buf;
	size_t			 len;

	buf = tu_fixture(rel, &len);
	st = system_status_parse(buf, len);
	free(buf);
	assert_non_null(st);
	check(rel, st, w);
	return (st);
}

static void
test_ntc_748(void **state)
{
	static const char *const rel = "real/system-status/01-ntc-7.4.8-60F.txt";
	static const struct want w = { "v7.4.8", 7, 4, 8, 2795,
	    "FortiGate-60F", "GA.M", "fw1", "FGT60ABC3303F26X", "disable",
	    "root", "standalone", NULL, 2795 };
	struct system_status	*st;
	char			*json;

	st = parse_fixture(rel, &w);
	tu_str(rel, "build_date", st->build_date, "250523");
	tu_str(rel, "operation_mode", st->operation_mode, "NAT");
	tu_str(rel, "system_time", st->system_time,
	    "Tue Dec  2 08:51:00 2025");
	tu_str(rel, "release_info", st->release_info, "GA");
	/* The last line has no newline. */
	tu_str(rel, "last_reboot", st->last_reboot, "power cycle");
	tu_num(rel, "max_vdoms", st->max_vdoms, 10);
	system_status_free(st);

	json = tu_report_fixture(&kind_system_status, rel);
	tu_has(json, "{\"version\":\"v7.4.8\",\"build\":2795,\"model\":"
	    "\"FortiGate-60F\",\"hostname\":\"fw1\",\"serial\":"
	    "\"FGT60ABC3303F26X\",\"vdom_mode\":\"disable\",\"current_vdom\":"
	    "\"root\",\"ha_mode\":\"standalone\",", rel);
	tu_has(json, "\"version_major\":7,\"version_minor\":4,"
	    "\"version_patch\":8,", rel);
	free(json);
}

static void
test_fortios_50(void **state)
{
	static const char *const rel =
	    "real/system-status/05-fortios-5.0-vm-metasploit.txt";
	static const struct want w = { "v5.0", 5, 0, U, 228, "FortiGate-VM",
	    "GA Patch 4", "FortiGate-VM", "FGVM00UNLICENSED", "disable",
	    "root", "standalone", NULL, 228 };
	struct system_status	*st;
	char			*json;

	st = parse_fixture(rel, &w);
	tu_str(rel, "build_date", st->build_date, "130809");
	assert_null(st->last_reboot);
	system_status_free(st);

	json = tu_report_fixture(&kind_system_status, rel);
	tu_has(json, "\"version_patch\":null,", rel);
	tu_has(json, "\"last_reboot_reason\":null}", rel);
	free(json);
}

static void
test_more_fixtures(void **state)
{
	static const struct {
		const char	*rel;
		struct want	 w;
	} t[] = {
		/* Author's "..." elision and a --More-- pager line. */
		{ "real/prompts-paging/01-system-status-6.0.2-elided-more-"
		    "pager.txt", { "v6.0.2", 6, 0, 2, 163, "FortiGate-61E",
		    "GA", NULL, NULL, "disable", NULL, "standalone", NULL, 163 } },
		{ "real/system-status/06-ntc-6.2.6-600E-multi-vdom-ha-ap-"
		    "master.txt", { "v6.2.6", 6, 2, 6, 1175, "FortiGate-600E",
		    "GA", "fgt-600e", "FG6H0Exxxxxxxxx", "multiple", "root",
		    "a-p, master", "master", 1175 } },
		{ "real/system-status/07-ntc-7.0.13-1801F-ha-ap-primary.txt",
		    { "v7.0.13", 7, 0, 13, 566, "FortiGate-1801F", "GA.M",
		    "FGT", "FG181XXXXXXXXXXX", "disable", "root",
		    "a-p, primary", "primary", 566 } },
		{ "real/system-status/08-ntc-7.4.1-60E-POE.txt",
		    { "v7.4.1", 7, 4, 1, 2463, "FortiGate-60E-POE", "GA.F",
		    "fw1", "FG60EPTK19010019", "disable", "root",
		    "standalone", NULL, 2463 } },
		{ "real/system-status/09-ntc-7.0.3-VM64-KVM-eval.txt",
		    { "v7.0.3", 7, 0, 3, 237, "FortiGate-VM64-KVM", "GA",
		    "fortigate01", "FGVMEVOPFL1ZDRD7", "disable", "root",
		    "standalone", NULL, 237 } },
		{ "real/system-status/10-7.2.4-VM64-KVM-trailing-prompt.txt",
		    { "v7.2.4", 7, 2, 4, 1396, "FortiGate-VM64-KVM", "GA.F",
		    "FG01-LocalLab", "FGVM00000000000000", "disable", "root",
		    "standalone", NULL, 1396 } },
		{ "real/system-status/11-5.6.2-VM64-from-nasl-comment.txt",
		    { "v5.6.2", 5, 6, 2, 1486, "FortiGate-VM64", "GA",
		    "FortiGate-VM64", "FGVMEVBZZSBYO35", "disable", "root",
		    "standalone", NULL, 1486 } },
		{ "real/system-status/12-7.6.3-VM64-excerpt.txt",
		    { "v7.6.3", 7, 6, 3, 2660, "FortiGate-VM64", "GA.F",
		    "FortiGate-VM64", "FGVMEVXXXXXXXXXX", NULL, NULL,
		    "standalone", NULL, U } },
	};
	struct system_status	*st;
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		st = parse_fixture(t[i].rel, &t[i].w);
		system_status_free(st);
	}
}

/*
 * Layouts of other versions, CRLF, a prompt with a VDOM, the pager's
 * erase sequence in the middle of a line.
 */
static void
test_synthetic_crlf(void **state)
{
	static const char in[] =
	    "FGT-1 (global) # get system status\r\n"
	    "Version: FortiGate-VM64 v7.6.0,build3401,240724 (GA.F)\r\n"
	    "Serial-Number: FGVM0001\r\n"
	    "--More-- \r          \rHostname: FGT-1\r\n"
	    "Virtual domain configuration: split-task\r\n"
	    "Current virtual domain: FG-traffic\r\n"
	    "Current HA mode: a-a, backup\r\n"
	    "Branch point: 3401\r\n"
	    "Hostname: second-one-ignored\r\n"
	    "FGT-1 (global) # ";
	static const struct want w = { "v7.6.0", 7, 6, 0, 3401,
	    "FortiGate-VM64", "GA.F", "FGT-1", "FGVM0001", "split-task",
	    "FG-traffic", "a-a, backup", "backup", 3401 };
	struct system_status	*st;

	st = system_status_parse(in, sizeof(in) - 1);
	assert_non_null(st);
	check("7.6 crlf", st, &w);
	tu_str("7.6 crlf", "build_date", st->build_date, "240724");
	system_status_free(st);
}

/*
 * A CR CR LF ending erases nothing (the line used to vanish); the first
 * of two values printed wins, for numbers as for strings.
 */
static void
test_crcrlf_first_wins(void **state)
{
	static const char in[] =
	    "Version: FortiGate-40F v6.4.15,build2095,240229 (GA)\r\r\n"
	    "Hostname: fw-a\r\r\n"
	    "Branch point: 2095\r\r\n"
	    "Branch point: 1\r\r\n"
	    "Max number of virtual domains: 10\r\r\n"
	    "Max number of virtual domains: 20\r\r\n";
	struct system_status	*st;

	st = system_status_parse(in, sizeof(in) - 1);
	assert_non_null(st);
	tu_str("crcrlf", "version", st->version, "v6.4.15");
	tu_str("crcrlf", "release", st->release, "GA");
	tu_str("crcrlf", "hostname", st->hostname, "fw-a");
	tu_num("crcrlf", "branch_point", st->branch_point, 2095);
	tu_num("crcrlf", "max_vdoms", st->max_vdoms, 10);
	system_status_free(st);
}

static void
test_version_forms(void **state)
{
	static const struct {
		const char	*line;
		const char	*model, *version, *release;
		pnum		 major, minor, patch, build;
	} t[] = {
		{ "Version: FortiGate-VM64 v6.4.9,build1966,220421 (GA)",
		    "FortiGate-VM64", "v6.4.9", "GA", 6, 4, 9, 1966 },
		{ "Version: FortiGate-100D v5.6.3,build1547,171204 (GA)",
		    "FortiGate-100D", "v5.6.3", "GA", 5, 6, 3, 1547 },
		{ "Version: FortiGate-VM64-KVM v7.2.8,build1639",
		    "FortiGate-VM64-KVM", "v7.2.8", NULL, 7, 2, 8, 1639 },
		{ "Version: FortiWiFi-61F v7.0.15,build0632,240308 (GA.M)",
		    "FortiWiFi-61F", "v7.0.15", "GA.M", 7, 0, 15, 632 },
		{ "Version: v7.4.0,build2360,230509 (Feature)", NULL,
		    "v7.4.0", "Feature", 7, 4, 0, 2360 },
		{ "Version: FortiGate-60F", "FortiGate-60F", NULL, NULL,
		    U, U, U, U },
		{ "Version: FortiGate 60F vX,buildY (", "FortiGate 60F vX,buildY (",
		    NULL, NULL, U, U, U, U },
		{ "Version: FGT v7.x.1,build", "FGT", "v7.x.1", NULL, 7, U, U,
		    U },
		{ "Version:", NULL, NULL, NULL, U, U, U, U },
	};
	struct system_status	*st;
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		st = system_status_parse(t[i].line, strlen(t[i].line));
		assert_non_null(st);
		tu_str(t[i].line, "model", st->model, t[i].model);
		tu_str(t[i].line, "version", st->version, t[i].version);
		tu_str(t[i].line, "release", st->release, t[i].release);
		tu_num(t[i].line, "major", st->major, t[i].major);
		tu_num(t[i].line, "minor", st->minor, t[i].minor);
		tu_num(t[i].line, "patch", st->patch, t[i].patch);
		tu_num(t[i].line, "build", st->build, t[i].build);
		system_status_free(st);
	}
}

/* The IKE log filter syntax changed at 7.4.1. */
static void
test_at_least(void **state)
{
	static const struct {
		const char	*line;
		int		 want;
	} t[] = {
		{ "Version: FortiGate-60F v7.4.1,build2463", 1 },
		{ "Version: FortiGate-60F v7.4.8,build2795", 1 },
		{ "Version: FortiGate-60F v7.6.0,build3401", 1 },
		{ "Version: FortiGate-60F v7.4.0,build2360", 0 },
		{ "Version: FortiGate-60F v7.2.10,build1706", 0 },
		{ "Version: FortiGate-60F v6.4.9,build1966", 0 },
		{ "Version: FortiGate-VM v5.0,build0228", 0 },
		{ "Version: FortiGate-VM v8.0,build1", 1 },
		{ "Hostname: x", -1 },
	};
	struct system_status	*st;
	size_t			 i;
	int			 got;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		st = system_status_parse(t[i].line, strlen(t[i].line));
		assert_non_null(st);
		got = system_status_at_least(st, 7, 4, 1);
		if (got != t[i].want)
			fail_msg("%s: at_least(7.4.1) %d, want %d", t[i].line,
			    got, t[i].want);
		system_status_free(st);
	}
	assert_int_equal(system_status_at_least(NULL, 7, 4, 1), -1);
}

/* Fields the device did not print are null, never zero or "". */
static void
test_missing_fields(void **state)
{
	static const char in[] = "Hostname: lonely\nCurrent HA mode:   \n";
	char	*json;

	json = tu_report(&kind_system_status, in, sizeof(in) - 1);
	tu_has(json, "{\"version\":null,\"build\":null,\"model\":null,"
	    "\"hostname\":\"lonely\",\"serial\":null,", "missing");
	tu_has(json, "\"ha_mode\":null,", "blank value");
	tu_has(json, "\"branch_point\":null,", "missing");
	free(json);
}

static void
test_garbage(void **state)
{
	static const char in[] =
	    "\x1b[2J\x1b]0;owned\x07Hostname: a\n"
	    ":\n: \nVersion\nHostname\x00: b\n"
	    "Branch point: 12x\n"
	    "Max number of virtual domains: 99999999999999999999\n"
	    "Current HA mode: ,\n";
	struct system_status	*st;
	char			*big;
	size_t			 n = 1 << 20;

	st = system_status_parse(in, sizeof(in) - 1);
	assert_non_null(st);
	assert_null(st->hostname);
	assert_int_equal(st->branch_point, PNUM_UNKNOWN);
	assert_int_equal(st->max_vdoms, PNUM_UNKNOWN);
	assert_string_equal(st->ha_mode, ",");
	assert_null(st->ha_role);
	assert_int_equal(st->n, 1);
	system_status_free(st);

	big = malloc(n);
	assert_non_null(big);
	memset(big, 'v', n);
	memcpy(big, "Version: ", 9);
	big[n / 2] = '\r';
	st = system_status_parse(big, n);
	assert_non_null(st);
	assert_null(st->version);
	system_status_free(st);
	memset(big, 0, n);
	st = system_status_parse(big, n);
	assert_non_null(st);
	assert_int_equal(st->n, 0);
	system_status_free(st);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ntc_748),
		cmocka_unit_test(test_fortios_50),
		cmocka_unit_test(test_more_fixtures),
		cmocka_unit_test(test_synthetic_crlf),
		cmocka_unit_test(test_crcrlf_first_wins),
		cmocka_unit_test(test_version_forms),
		cmocka_unit_test(test_at_least),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_garbage),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
