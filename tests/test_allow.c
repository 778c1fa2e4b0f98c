/* SPDX-License-Identifier: ISC */
/*
 * test_allow - every command fgtop sends is allowed, everything else
 * (abbreviations, configuration changes, injected line endings and
 * control bytes, malformed arguments, edit/end out of place) is refused.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "allow.h"
#include "testutil.h"

#define ALLOWED	"allowed"

/* The verdict on one line from a fresh context: "allowed" or the reason. */
static const char *
verdict(struct allow_ctx *ctx, const char *s, size_t n)
{
	const char	*why = "unset";

	if (allow_check(ctx, s, n, &why)) {
		if (why != NULL)
			return ("allowed, but why was set");
		return (ALLOWED);
	}
	return (why == NULL ? "refused without a reason" : why);
}

static const char *
verdict_top(const char *s, size_t n)
{
	struct allow_ctx	ctx;

	allow_init(&ctx);
	return (verdict(&ctx, s, n));
}

static const char *const accepted[] = {
	"get system status",
	"get vpn ipsec tunnel summary",
	"diagnose vpn ike gateway list",
	"diagnose vpn ike gateway list name to-hq",
	"diagnose vpn ike gateway list name \"To HQ\"",
	"diagnose vpn ike gateway list name dialup_0",
	"diagnose vpn tunnel list",
	"diagnose vpn tunnel list name to-hq",
	"diagnose vpn tunnel list name \"To HQ\"",
	"diagnose vpn tunnel list name 12345678901234567890123456789012345",
	"get router info routing-table all",
	"get router info routing-table details",
	"get router info routing-table details 192.0.2.1",
	"get router info routing-table details 10.0.0.0/8",
	"get router info routing-table details 0.0.0.0/0",
	"get router info routing-table details 2001:db8::1",
	"diagnose sys vd list",
	"diagnose vpn ike log-filter clear",
	"diagnose vpn ike log-filter list",
	"diagnose vpn ike log-filter dst-addr4 198.51.100.7",
	"diagnose vpn ike log-filter src-addr4 192.0.2.1",
	"diagnose vpn ike log-filter dst-addr6 2001:db8::7",
	"diagnose vpn ike log-filter src-addr6 ::1",
	"diagnose vpn ike log-filter name to-hq",
	"diagnose vpn ike log-filter name \"To HQ\"",
	"diagnose vpn ike log filter clear",
	"diagnose vpn ike log filter list",
	"diagnose vpn ike log filter rem-addr4 198.51.100.7",
	"diagnose vpn ike log filter loc-addr4 192.0.2.1",
	"diagnose vpn ike log filter rem-addr6 2001:db8::7",
	"diagnose vpn ike log filter loc-addr6 2001:db8::1",
	"diagnose vpn ike log filter name to-hq",
	"diagnose debug enable",
	"diagnose debug disable",
	"diagnose debug reset",
	"diagnose debug info",
	"diagnose debug application ike -1",
	"diagnose debug application ike 0",
	"diagnose debug application ike 63",
	"diagnose debug application ike 255",
	"diagnose debug console timestamp enable",
	"diagnose debug console timestamp disable",
	"diagnose debug duration 1",
	"diagnose debug duration 30",
	"diagnose sniffer packet any 'host 198.51.100.7 and port 500' 4 0 l",
	"diagnose sniffer packet any "
	    "'host 198.51.100.7 and (udp port 500 or udp port 4500)' 4 0 l",
	"diagnose sniffer packet wan1 'esp' 1 100 a",
	"diagnose sniffer packet port1.100 'host 2001:db8::7' 6 10",
	"diagnose sniffer packet any 'net 10.0.0.0/8' 3 0",
	"execute traceroute-options source 192.0.2.1",
	"execute traceroute-options source 2001:db8::1",
	"execute traceroute-options source auto",
	"execute traceroute 198.51.100.7",
	"execute traceroute 2001:db8::7",
	"execute traceroute peer-1.example.net",
	"",
	NULL
};

static void
test_accepted(void **state)
{
	size_t	i;

	for (i = 0; accepted[i] != NULL; i++)
		tu_str(accepted[i], "verdict",
		    verdict_top(accepted[i], strlen(accepted[i])), ALLOWED);
}

struct refusal {
	const char	*cmd;
	size_t		 len;	/* 0: strlen; else includes NUL bytes */
	const char	*why;
};

#define NOT_LISTED	"not on fgtop's allowlist of read-only commands"
#define CONTROL		"control byte or non-ASCII byte in the command"
#define SPACE		"extra space in the command"

static const struct refusal refused[] = {
	/* Abbreviations and other spellings. */
	{ "get sys status", 0, NOT_LISTED },
	{ "diag vpn tunnel list", 0, NOT_LISTED },
	{ "diagnose vpn ike gw list", 0, NOT_LISTED },
	{ "diagnose debug app ike -1", 0, NOT_LISTED },
	{ "GET SYSTEM STATUS", 0, NOT_LISTED },
	{ "get system  status", 0, SPACE },
	{ " get system status", 0, SPACE },
	{ "get system status ", 0, SPACE },
	/* Configuration changes and everything else that is not read-only. */
	{ "config system console", 0, NOT_LISTED },
	{ "set output standard", 0, NOT_LISTED },
	{ "unset output", 0, NOT_LISTED },
	{ "delete vpn", 0, NOT_LISTED },
	{ "purge", 0, NOT_LISTED },
	{ "next", 0, NOT_LISTED },
	{ "abort", 0, NOT_LISTED },
	{ "execute reboot", 0, NOT_LISTED },
	{ "execute factoryreset", 0, NOT_LISTED },
	{ "execute vpn ipsec tunnel up p2 p1", 0, NOT_LISTED },
	{ "execute ping 192.0.2.1", 0, NOT_LISTED },
	{ "show", 0, NOT_LISTED },
	{ "show vpn ipsec phase1-interface", 0, NOT_LISTED },
	{ "show full-configuration", 0, NOT_LISTED },
	{ "diagnose sys kill 9 1", 0, NOT_LISTED },
	{ "diagnose vpn ike gateway clear", 0, NOT_LISTED },
	{ "diagnose vpn ike gateway flush", 0, NOT_LISTED },
	{ "diagnose vpn tunnel down to-hq", 0, NOT_LISTED },
	{ "diagnose debug duration 0", 0, NOT_LISTED },
	{ "diagnose debug duration -5", 0, NOT_LISTED },
	{ "diagnose debug duration 05", 0, NOT_LISTED },
	{ "diagnose debug application ike -2", 0, NOT_LISTED },
	{ "diagnose debug application ike 256", 0, NOT_LISTED },
	{ "diagnose debug application sslvpn -1", 0, NOT_LISTED },
	{ "diagnose debug console timestamp on", 0, NOT_LISTED },
	/* Injected line endings and control bytes inside allowed commands. */
	{ "get system status\n", 0, CONTROL },
	{ "get system status\r", 0, CONTROL },
	{ "get system status\nexecute reboot", 0, CONTROL },
	{ "get system status\rexecute reboot", 0, CONTROL },
	{ "get system status\x03", 0, CONTROL },
	{ "get system \x1b[2Jstatus", 0, CONTROL },
	{ "get system\tstatus", 0, CONTROL },
	{ "get system status\x7f", 0, CONTROL },
	{ "get system status\0execute reboot", 33, CONTROL },
	{ "diagnose vpn tunnel list name t\xc3\xa9l", 0, CONTROL },
	{ "get system status?", 0, "? in the command (the CLI's help key)" },
	{ "get system status; execute reboot", 0, NOT_LISTED },
	{ "get system status | grep x", 0, NOT_LISTED },
	/* Trailing garbage. */
	{ "get system status now", 0, NOT_LISTED },
	{ "diagnose debug enable disable", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name a b", 0, NOT_LISTED },
	/* Names: too long, quotes, backslash, spaces without quotes. */
	{ "diagnose vpn tunnel list name "
	    "123456789012345678901234567890123456", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name "
	    "\"123456789012345678901234567890123456\"", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name a\\b", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name a\"b", 0, "quote inside a word" },
	{ "diagnose vpn tunnel list name \"To HQ", 0,
	    "unterminated quote in the command" },
	{ "diagnose vpn tunnel list name \"To\"HQ", 0,
	    "text after a closing quote" },
	{ "diagnose vpn tunnel list name \"\"", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name \" \"", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name \" HQ\"", 0, NOT_LISTED },
	{ "diagnose vpn tunnel list name 'To HQ'", 0, NOT_LISTED },
	{ "diagnose vpn ike gateway list name", 0, NOT_LISTED },
	/* Addresses. */
	{ "diagnose vpn ike log-filter dst-addr4 198.51.100", 0, NOT_LISTED },
	{ "diagnose vpn ike log-filter dst-addr4 198.51.100.256", 0,
	    NOT_LISTED },
	{ "diagnose vpn ike log-filter dst-addr4 2001:db8::1", 0, NOT_LISTED },
	{ "diagnose vpn ike log filter rem-addr6 198.51.100.7", 0,
	    NOT_LISTED },
	{ "diagnose vpn ike log filter dst-addr4 198.51.100.7", 0,
	    NOT_LISTED },
	{ "get router info routing-table details 10.0.0.0/33", 0,
	    NOT_LISTED },
	{ "get router info routing-table details host", 0, NOT_LISTED },
	{ "get router info routing-table details 10.0.0.0/8 x", 0,
	    NOT_LISTED },
	/* The sniffer. */
	{ "diagnose sniffer packet any 'host 1.2.3.4' 7 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host 1.2.3.4' 0 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host 1.2.3.4' 4 -1 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host 1.2.3.4' 4 0 r", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host 1.2.3.4' 4", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host 1.2'3.4' 4 0 l", 0,
	    "text after a closing quote" },
	{ "diagnose sniffer packet any 'host \"x\"' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host x;reboot' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host `x`' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'host $x' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any 'port 1 | x' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any '' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any '  ' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any host 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet any \"host 1.2.3.4\" 4 0 l", 0,
	    NOT_LISTED },
	{ "diagnose sniffer packet -any 'host 1.2.3.4' 4 0 l", 0, NOT_LISTED },
	{ "diagnose sniffer packet 'any' 'host 1.2.3.4' 4 0 l", 0,
	    NOT_LISTED },
	{ "diagnose sniffer packet any 'host 1.2.3.4' 4 0 l extra", 0,
	    NOT_LISTED },
	/* Traceroute. */
	{ "execute traceroute", 0, NOT_LISTED },
	{ "execute traceroute -n", 0, NOT_LISTED },
	{ "execute traceroute peer_1", 0, NOT_LISTED },
	{ "execute traceroute 198.51.100.7 198.51.100.8", 0, NOT_LISTED },
	{ "execute traceroute-options source peer", 0, NOT_LISTED },
	{ "execute traceroute-options queries 5", 0, NOT_LISTED },
	/* The group commands out of place. */
	{ "edit root", 0, "edit is allowed only directly after config vdom" },
	{ "end", 0, "end outside config vdom or config global" },
	{ "config vdom root", 0, NOT_LISTED },
	{ "config", 0, NOT_LISTED },
	{ NULL, 0, NULL }
};

static void
test_refused(void **state)
{
	const struct refusal	*r;
	char			 what[600];

	for (r = refused; r->cmd != NULL; r++) {
		snprintf(what, sizeof(what), "[%s]", r->cmd);
		tu_str(what, "verdict", verdict_top(r->cmd,
		    r->len != 0 ? r->len : strlen(r->cmd)), r->why);
	}
}

static void
test_length(void **state)
{
	char	buf[ALLOW_MAXLEN + 2];
	size_t	n;

	/* An allowed command padded to the limit: the length check first. */
	n = (size_t)snprintf(buf, sizeof(buf), "execute traceroute a");
	memset(buf + n, 'a', sizeof(buf) - n - 1);
	buf[sizeof(buf) - 1] = '\0';
	tu_str("513 bytes", "verdict", verdict_top(buf, ALLOW_MAXLEN + 1),
	    "command too long");
	/* 253-byte host name: allowed; 254: not. */
	memset(buf + n, 'a', 253 - 1);
	buf[n + 252] = '\0';
	tu_str("253-byte host", "verdict", verdict_top(buf, strlen(buf)),
	    ALLOWED);
	buf[n + 252] = 'a';
	buf[n + 253] = '\0';
	tu_str("254-byte host", "verdict", verdict_top(buf, strlen(buf)),
	    NOT_LISTED);
}

/* One vdom group as the poll shell sends it. */
static void
test_group(void **state)
{
	struct allow_ctx	ctx;

	allow_init(&ctx);
	tu_str("config vdom", "verdict", verdict(&ctx, "config vdom", 11),
	    ALLOWED);
	/* Inside config vdom, before edit: nothing but edit or end. */
	tu_str("status in vdoms", "verdict",
	    verdict(&ctx, "get system status", 17),
	    "only edit VDOM or end may follow config vdom");
	tu_str("edit bad name", "verdict", verdict(&ctx, "edit a\\b", 8),
	    "edit names no known VDOM");
	tu_str("edit root", "verdict", verdict(&ctx, "edit root", 9), ALLOWED);
	tu_str("summary", "verdict",
	    verdict(&ctx, "get vpn ipsec tunnel summary", 28), ALLOWED);
	tu_str("second edit", "verdict", verdict(&ctx, "edit dmz", 8),
	    "edit is allowed only directly after config vdom");
	tu_str("nested config", "verdict", verdict(&ctx, "config vdom", 11),
	    "config inside a config block");
	tu_str("config global inside", "verdict",
	    verdict(&ctx, "config global", 13),
	    "config inside a config block");
	tu_str("exit inside", "verdict", verdict(&ctx, "exit", 4),
	    "exit inside a config block");
	tu_str("tunnel list", "verdict",
	    verdict(&ctx, "diagnose vpn tunnel list", 24), ALLOWED);
	tu_str("end", "verdict", verdict(&ctx, "end", 3), ALLOWED);
	/* Back at the top: a second end and a bare edit are refused. */
	tu_str("second end", "verdict", verdict(&ctx, "end", 3),
	    "end outside config vdom or config global");
	tu_str("edit at top", "verdict", verdict(&ctx, "edit dmz", 8),
	    "edit is allowed only directly after config vdom");
	/* A second group goes the same way. */
	tu_str("config vdom 2", "verdict", verdict(&ctx, "config vdom", 11),
	    ALLOWED);
	tu_str("end at once", "verdict", verdict(&ctx, "end", 3), ALLOWED);
	tu_str("config global", "verdict", verdict(&ctx, "config global", 13),
	    ALLOWED);
	tu_str("edit in global", "verdict", verdict(&ctx, "edit root", 9),
	    "edit is allowed only directly after config vdom");
	tu_str("debug in global", "verdict",
	    verdict(&ctx, "diagnose debug reset", 20), ALLOWED);
	tu_str("end global", "verdict", verdict(&ctx, "end", 3), ALLOWED);
	tu_str("exit", "verdict", verdict(&ctx, "exit", 4), ALLOWED);
	tu_str("after exit", "verdict",
	    verdict(&ctx, "get system status", 17), "nothing may follow exit");
	tu_str("enter after exit", "verdict", verdict(&ctx, "", 0),
	    "nothing may follow exit");
}

static void
test_known_vdoms(void **state)
{
	static char		 root[] = "root", dmz[] = "dmz";
	char *const		 vdoms[] = { root, dmz, NULL };
	struct allow_ctx	 ctx;

	allow_init(&ctx);
	allow_set_vdoms(&ctx, vdoms);
	tu_str("config vdom", "verdict", verdict(&ctx, "config vdom", 11),
	    ALLOWED);
	tu_str("typo", "verdict", verdict(&ctx, "edit dm", 7),
	    "edit names no known VDOM");
	tu_str("longer", "verdict", verdict(&ctx, "edit dmz2", 9),
	    "edit names no known VDOM");
	tu_str("dmz", "verdict", verdict(&ctx, "edit dmz", 8), ALLOWED);
}

static void
test_keys(void **state)
{
	int	c;
	char	what[32];

	for (c = 0; c < 256; c++) {
		snprintf(what, sizeof(what), "key 0x%02x", c);
		tu_num(what, "allowed", allow_key(c),
		    c == ' ' || c == 'q' || c == 0x03 || c == 'a');
	}
	tu_num("EOF", "allowed", allow_key(-1), 0);
	tu_num("CR", "allowed", allow_key('\r'), 0);
	tu_num("LF", "allowed", allow_key('\n'), 0);
}

static void
test_quote_name(void **state)
{
	char	buf[64];
	char	small[8];

	assert_int_equal(allow_quote_name("to-hq", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "to-hq");
	assert_int_equal(allow_quote_name("To HQ", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "\"To HQ\"");
	assert_int_equal(allow_quote_name("", buf, sizeof(buf)), -1);
	assert_int_equal(allow_quote_name(" HQ", buf, sizeof(buf)), -1);
	assert_int_equal(allow_quote_name("a\"b c", buf, sizeof(buf)), -1);
	assert_int_equal(allow_quote_name("a\\b", buf, sizeof(buf)), -1);
	assert_int_equal(allow_quote_name("a b?", buf, sizeof(buf)), -1);
	assert_int_equal(allow_quote_name("a\nb", buf, sizeof(buf)), -1);
	assert_int_equal(allow_quote_name(
	    "123456789012345678901234567890123456", buf, sizeof(buf)), -1);
	/* "To HQ2" needs 9 bytes with its quotes and NUL. */
	assert_int_equal(allow_quote_name("To HQ2", small, sizeof(small)), -1);
	assert_int_equal(allow_quote_name("To HQ", small, sizeof(small)), 0);
	assert_string_equal(small, "\"To HQ\"");
	/* What it writes is what allow_check accepts. */
	assert_int_equal(allow_quote_name("To HQ", buf, sizeof(buf)), 0);
	{
		char	cmd[128];

		snprintf(cmd, sizeof(cmd), "diagnose vpn tunnel list name %s",
		    buf);
		tu_str(cmd, "verdict", verdict_top(cmd, strlen(cmd)), ALLOWED);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_known_vdoms),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_quote_name),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
