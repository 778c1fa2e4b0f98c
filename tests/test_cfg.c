/* SPDX-License-Identifier: ISC */
/*
 * test_cfg - fgtop's config file, command-line DESTs and secrets.
 *
 * Files are written into a fresh temporary directory (so their modes
 * are what the test says); commands run through the real /bin/sh; the
 * password prompt is answered through a real pty, with the test as the
 * terminal.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cfg.h"
#include "testutil.h"

static char	 tmpdir[] = "/tmp/test_cfg.XXXXXX";

static int
setup(void **state)
{
	if (mkdtemp(tmpdir) == NULL)
		return (-1);
	return (0);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return (remove(path));
}

static int
teardown(void **state)
{
	return (nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS));
}

/* Write tmpdir/name with the content and mode; returns the path. */
static char *
put(const char *name, const char *content, mode_t mode)
{
	static char	 path[4][512];
	static int	 slot;
	char		*p = path[slot++ % 4];
	FILE		*f;

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
	return (p);
}

/* Load a file with the content; cfg_load's return, *err its sentence. */
static int
load(struct cfg *cfg, const char *content, char **err)
{
	cfg_init(cfg);
	return (cfg_load(cfg, put("config", content, 0600), err));
}

static void
assert_list(const char *what, char **got, const char *want)
{
	char	buf[512] = "";
	size_t	i;

	if (got == NULL) {
		tu_str(what, "list", NULL, want);
		return;
	}
	for (i = 0; got[i] != NULL; i++) {
		if (i > 0)
			strcat(buf, "|");
		strcat(buf, got[i]);
	}
	tu_str(what, "list", buf, want);
}

static const char full[] =
    "# every keyword once\n"
    "poll 2s\n"
    "full-poll 90s   # a comment after a value\n"
    "ssh-config ~/.ssh/fgtop_config\n"
    "known-hosts \"/var/lib/fgtop/known hosts\"\n"
    "accept-new yes\n"
    "\n"
    "device fw1\n"
    "\taddress 192.0.2.1\n"
    "\tport 2222\n"
    "\tuser admin\n"
    "\tidentity ~/.ssh/fw1_ed25519\n"
    "\tpassword-file ~/fw1.pw\n"
    "\ttoken-command \"echo \\\"123 456\\\"\"\n"
    "\tvdoms root,dmz\n"
    "\tdisclaimer accept\n"
    "\tpoll 500ms\n"
    "\tfull-poll 2m\n"
    "device fw2\n"
    "  password-command \"pass show fw2\"\n"
    "  disclaimer refuse\n"
    "group branches fw2 fw1 admin@[2001:db8::2]:22\n"
    "device fw3\n"
    "  ask-password yes\n"
    "  address fw3.example.net\n";

static void
test_full(void **state)
{
	struct cfg		 cfg;
	struct cfg_target	*d;
	char			*err = NULL, home[600];

	snprintf(home, sizeof(home), "%s/home", tmpdir);
	setenv("HOME", home, 1);
	assert_int_equal(load(&cfg, full, &err), 0);
	assert_null(err);
	assert_int_equal(cfg.poll_ms, 2000);
	assert_int_equal(cfg.full_poll_ms, 90000);
	snprintf(home, sizeof(home), "%s/home/.ssh/fgtop_config", tmpdir);
	tu_str("global", "ssh-config", cfg.ssh_config, home);
	tu_str("global", "known-hosts", cfg.known_hosts,
	    "/var/lib/fgtop/known hosts");
	assert_int_equal(cfg.accept_new, 1);
	assert_int_equal(cfg.ndevices, 3);

	d = &cfg.devices[0];
	tu_str("fw1", "name", d->name, "fw1");
	tu_str("fw1", "address", d->address, "192.0.2.1");
	assert_int_equal(d->port, 2222);
	tu_str("fw1", "user", d->user, "admin");
	snprintf(home, sizeof(home), "%s/home/.ssh/fw1_ed25519", tmpdir);
	tu_str("fw1", "identity", d->identity, home);
	snprintf(home, sizeof(home), "%s/home/fw1.pw", tmpdir);
	tu_str("fw1", "password-file", d->password_file, home);
	tu_str("fw1", "password-command", d->password_command, NULL);
	tu_str("fw1", "token-command", d->token_command, "echo \"123 456\"");
	assert_int_equal(d->ask_password, 0);
	assert_list("fw1 vdoms", d->vdoms, "root|dmz");
	assert_int_equal(d->disclaimer_accept, 1);
	assert_int_equal(d->poll_ms, 500);
	assert_int_equal(d->full_poll_ms, 120000);
	tu_str("fw1", "password", d->password, NULL);
	tu_str("fw1", "token", d->token, NULL);

	d = &cfg.devices[1];
	tu_str("fw2", "name", d->name, "fw2");
	tu_str("fw2", "address", d->address, NULL);
	assert_int_equal(d->port, 0);
	tu_str("fw2", "user", d->user, NULL);
	tu_str("fw2", "identity", d->identity, NULL);
	tu_str("fw2", "password-file", d->password_file, NULL);
	tu_str("fw2", "password-command", d->password_command,
	    "pass show fw2");
	assert_null(d->vdoms);
	assert_int_equal(d->disclaimer_accept, 0);
	assert_int_equal(d->poll_ms, 0);
	assert_int_equal(d->full_poll_ms, 0);

	d = &cfg.devices[2];
	tu_str("fw3", "name", d->name, "fw3");
	tu_str("fw3", "address", d->address, "fw3.example.net");
	assert_int_equal(d->ask_password, 1);

	assert_int_equal(cfg.ngroups, 1);
	tu_str("group", "name", cfg.groups[0].name, "branches");
	assert_list("group members", cfg.groups[0].members,
	    "fw2|fw1|admin@[2001:db8::2]:22");
	assert_null(cfg.targets);
	cfg_free(&cfg);
}

static void
test_defaults(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL;

	assert_int_equal(load(&cfg, "# nothing but a comment\n\n", &err), 0);
	assert_int_equal(cfg.poll_ms, 5000);
	assert_int_equal(cfg.full_poll_ms, 30000);
	assert_int_equal(cfg.ndevices, 0);
	assert_int_equal(cfg.ngroups, 0);
	assert_null(cfg.ssh_config);
	assert_int_equal(cfg.accept_new, 0);
	cfg_free(&cfg);
}

/* cfg_load(NULL): $XDG_CONFIG_HOME, else ~/.config; missing is fine. */
static void
test_default_path(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL, dir[600];

	snprintf(dir, sizeof(dir), "%s/xdg", tmpdir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	cfg_init(&cfg);
	assert_int_equal(cfg_load(&cfg, NULL, &err), 0);
	assert_null(err);
	assert_int_equal(cfg.ndevices, 0);
	cfg_free(&cfg);

	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/xdg/fgtop", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put("xdg/fgtop/config", "device from-xdg\n", 0600);
	cfg_init(&cfg);
	assert_int_equal(cfg_load(&cfg, NULL, &err), 0);
	assert_int_equal(cfg.ndevices, 1);
	tu_str("xdg", "device", cfg.devices[0].name, "from-xdg");
	cfg_free(&cfg);

	/* A relative XDG_CONFIG_HOME is ignored: ~/.config it is. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	snprintf(dir, sizeof(dir), "%s/h2", tmpdir);
	setenv("HOME", dir, 1);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/h2/.config", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/h2/.config/fgtop", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put("h2/.config/fgtop/config", "device from-home\n", 0600);
	cfg_init(&cfg);
	assert_int_equal(cfg_load(&cfg, NULL, &err), 0);
	assert_int_equal(cfg.ndevices, 1);
	tu_str("home", "device", cfg.devices[0].name, "from-home");
	cfg_free(&cfg);
	unsetenv("XDG_CONFIG_HOME");
}

static void
test_missing_explicit(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL, path[600], want[700];

	snprintf(path, sizeof(path), "%s/no-such-file", tmpdir);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	cfg_init(&cfg);
	assert_int_equal(cfg_load(&cfg, path, &err), -1);
	tu_str("missing --config", "error", err, want);
	free(err);
	cfg_free(&cfg);
}

struct bad_file {
	const char	*content;
	const char	*why;	/* after "FILE:" */
};

static const struct bad_file bad_files[] = {
	{ "bogus 1\n", "1: unknown keyword \"bogus\"" },
	{ "# c\n\n  poll 5s # c\nPoll 5s\n", "4: unknown keyword \"Poll\"" },
	{ "poll 0\n", "1: poll: bad duration \"0\" (want a number above 0 "
	    "and ms, s, m or h: 500ms, 5s, 2m)" },
	{ "poll 0ms\n", "1: poll: bad duration \"0ms\" (want a number above "
	    "0 and ms, s, m or h: 500ms, 5s, 2m)" },
	{ "full-poll 5x\n", "1: full-poll: bad duration \"5x\" (want a "
	    "number above 0 and ms, s, m or h: 500ms, 5s, 2m)" },
	{ "poll 4294968s\n", "1: poll: bad duration \"4294968s\" (want a "
	    "number above 0 and ms, s, m or h: 500ms, 5s, 2m)" },
	{ "poll\n", "1: poll takes one value" },
	{ "poll 5s 6s\n", "1: poll takes one value" },
	{ "poll 5s\npoll 6s\n", "2: poll given twice" },
	{ "address 192.0.2.1\n", "1: address outside a device block (put it "
	    "after a device line)" },
	{ "device fw1\nssh-config x\n", "2: ssh-config is global: put it "
	    "before the first device" },
	{ "device fw1\naccept-new yes\n", "2: accept-new is global: put it "
	    "before the first device" },
	{ "device fw1\ndevice fw1\n", "2: device fw1 is defined twice" },
	{ "device @fw1\n", "1: device: bad name \"@fw1\" (empty or starting "
	    "with @)" },
	{ "device \"fw 1\"\n", "1: device: a name has no spaces" },
	{ "device fw1\nport 0\n", "2: port: bad port \"0\" (want 1-65535)" },
	{ "device fw1\nport 65536\n", "2: port: bad port \"65536\" (want "
	    "1-65535)" },
	{ "device fw1\nport ssh\n", "2: port: bad port \"ssh\" (want "
	    "1-65535)" },
	{ "device fw1\nport 22\nport 23\n", "3: port given twice for fw1" },
	{ "device fw1\npassword-file /x\npassword-command y\n",
	    "3: password-command: fw1 has another password source already; "
	    "use one of password-file, password-command and ask-password" },
	{ "device fw1\nask-password yes\npassword-file /x\n",
	    "3: password-file: fw1 has another password source already; "
	    "use one of password-file, password-command and ask-password" },
	{ "device fw1\nask-password maybe\n", "2: ask-password: want yes or "
	    "no, not \"maybe\"" },
	{ "accept-new 1\n", "1: accept-new: want yes or no, not \"1\"" },
	{ "device fw1\ndisclaimer yes\n", "2: disclaimer: want accept or "
	    "refuse, not \"yes\"" },
	{ "device fw1\nvdoms root,,dmz\n", "2: bad VDOM list \"root,,dmz\": "
	    "names are 1-31 characters without spaces or quotes, separated "
	    "by commas" },
	{ "device fw1\nuser \"adm\n", "2: unterminated quote" },
	{ "device fw1\nuser \"\"\n", "2: user: empty value" },
	{ "poll 5s\x01\n", "1: control character in the line" },
	{ "group g\n", "1: group takes a name and at least one member" },
	{ "key quit\n", "1: key takes an action and a key" },
	{ "device fw1\nkey quit x\n", "2: key is global: put it before the "
	    "first device" },
	{ "theme dark\n", "1: theme: want default or mono, not \"dark\"" },
	{ "theme mono\ntheme default\n", "2: theme given twice" },
	{ "device fw1\nexport-dir /tmp\n", "2: export-dir is global: put it "
	    "before the first device" },
	{ "export-dir /a\nexport-dir /b\n", "2: export-dir given twice" },
	{ "flap-threshold many\n", "1: flap-threshold: want a number of "
	    "flaps (0: never), not \"many\"" },
	{ "flap-threshold -1\n", "1: flap-threshold: want a number of "
	    "flaps (0: never), not \"-1\"" },
	{ "snapshot-interval 0\n", "1: snapshot-interval: bad duration "
	    "\"0\" (want a number above 0 and ms, s, m or h: 5m, 1h)" },
	{ "device fw1\njournal off\n", "2: journal is global: put it before "
	    "the first device" },
	{ "group g @h\n", "1: group member: bad name \"@h\" (empty or "
	    "starting with @)" },
	{ "group g a\ngroup g b\n", "2: group g is defined twice" },
	{ "device fw1\nidentity ~bob/key\n", "2: ~bob/key: only ~/ is "
	    "expanded, not ~user" },
	{ NULL, NULL }
};

static void
test_errors(void **state)
{
	const struct bad_file	*b;
	struct cfg		 cfg;
	char			*err, want[1024];

	for (b = bad_files; b->content != NULL; b++) {
		err = NULL;
		assert_int_equal(load(&cfg, b->content, &err), -1);
		snprintf(want, sizeof(want), "%s/config:%s", tmpdir, b->why);
		tu_str(b->content, "error", err, want);
		free(err);
		cfg_free(&cfg);
	}
}

static void
test_nul_byte(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL, *path, want[700];
	FILE		*f;

	path = put("config", "", 0600);
	assert_non_null(f = fopen(path, "w"));
	fwrite("poll 5s\ndevice a\0b\n", 1, 19, f);
	fclose(f);
	cfg_init(&cfg);
	assert_int_equal(cfg_load(&cfg, path, &err), -1);
	snprintf(want, sizeof(want), "%s:2: NUL byte in the line", path);
	tu_str("NUL", "error", err, want);
	free(err);
	cfg_free(&cfg);
}

static void
test_durations(void **state)
{
	static const struct {
		const char	*s;
		int		 rc;
		unsigned	 ms;
	} d[] = {
		{ "5", 0, 5000 }, { "5s", 0, 5000 }, { "2m", 0, 120000 },
		{ "500ms", 0, 500 }, { "1h", 0, 3600000 }, { "1ms", 0, 1 },
		{ "4294967295ms", 0, 4294967295U }, { "4294967s", 0, 4294967000U },
		{ "0", -1, 0 }, { "0s", -1, 0 }, { "0ms", -1, 0 },
		{ "4294967296ms", -1, 0 }, { "4294968s", -1, 0 },
		{ "71582m", 0, 4294920000U }, { "71583m", -1, 0 },
		{ "1193h", 0, 4294800000U }, { "1194h", -1, 0 },
		{ "5m1", -1, 0 },
		{ "99999999999999999999", -1, 0 }, { "", -1, 0 },
		{ "s", -1, 0 }, { "-5s", -1, 0 }, { "5 s", -1, 0 },
		{ "5sec", -1, 0 }, { "1.5s", -1, 0 }, { "5S", -1, 0 },
	};
	unsigned	ms;
	size_t		i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		ms = 7;
		tu_num(d[i].s, "rc", cfg_duration(d[i].s, &ms), d[i].rc);
		tu_num(d[i].s, "ms", ms, d[i].rc == 0 ? d[i].ms : 7);
	}
}

/* cfg_targets on copies: DESTs are argv strings, which are not const. */
static int
targets(struct cfg *cfg, const char *const *d, size_t n, const char *vdoms,
    char **err)
{
	char	*v[16];
	size_t	 i;
	int	 rc;

	assert_in_range(n, 0, 16);
	for (i = 0; i < n; i++)
		assert_non_null(v[i] = strdup(d[i]));
	rc = cfg_targets(cfg, v, n, vdoms, err);
	for (i = 0; i < n; i++)
		free(v[i]);
	return (rc);
}

/* Targets as "name address port user" lines, for one compare. */
static void
assert_targets(const struct cfg *cfg, const char *want)
{
	char	buf[2048] = "", line[300];
	size_t	i;

	for (i = 0; i < cfg->ntargets; i++) {
		snprintf(line, sizeof(line), "%s %s %d %s\n",
		    cfg->targets[i].name, cfg->targets[i].address != NULL ?
		    cfg->targets[i].address : "-", cfg->targets[i].port,
		    cfg->targets[i].user != NULL ? cfg->targets[i].user : "-");
		strcat(buf, line);
	}
	tu_str("targets", "list", buf, want);
}

static void
test_dests(void **state)
{
	const char *const dests[] = {
		"admin@192.0.2.1:2222", "[::1]:2222", "::1",
		"admin@[2001:db8::1]", "fw9", "op@corp@fw9:22", "fw9",
		"2001:db8::7",
	};
	struct cfg	 cfg;
	char		*err = NULL;

	assert_int_equal(load(&cfg, "", &err), 0);
	assert_int_equal(targets(&cfg, dests, 8, NULL, &err), 0);
	assert_null(err);
	/* The second fw9 is a duplicate and goes. */
	assert_targets(&cfg,
	    "admin@192.0.2.1:2222 192.0.2.1 2222 admin\n"
	    "[::1]:2222 ::1 2222 -\n"
	    "::1 ::1 0 -\n"
	    "admin@[2001:db8::1] 2001:db8::1 0 admin\n"
	    "fw9 fw9 0 -\n"
	    "op@corp@fw9:22 fw9 22 op@corp\n"
	    "2001:db8::7 2001:db8::7 0 -\n");
	assert_null(cfg.targets[0].vdoms);
	cfg_free(&cfg);
}

static void
test_dest_errors(void **state)
{
	static const struct {
		const char	*dest;
		const char	*why;
	} bad[] = {
		{ "fw:0", "fw:0: bad port \"0\" (want 1-65535)" },
		{ "fw:65536", "fw:65536: bad port \"65536\" (want 1-65535)" },
		{ "fw:ssh", "fw:ssh: bad port \"ssh\" (want 1-65535)" },
		{ "fw:", "fw:: bad port \"\" (want 1-65535)" },
		{ "[::1]:99999", "[::1]:99999: bad port \"99999\" (want "
		    "1-65535)" },
		{ "[::1", "[::1: want [address]:port" },
		{ "[::1]x", "[::1]x: want [address]:port" },
		{ "", "empty destination" },
		{ "admin@", "admin@: no host name or address" },
		{ ":22", ":22: no host name or address" },
		{ "-oProxyCommand=x", "-oProxyCommand=x: no host name or "
		    "address" },
		{ "fw 1", "fw 1: space or control character in the "
		    "destination" },
		{ "fw\x1b[1", "fw\x1b[1: space or control character in the "
		    "destination" },
		{ "@nogroup", "@nogroup: no such group in the config file" },
	};
	struct cfg	 cfg;
	char		*err;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		assert_int_equal(load(&cfg, "device fw1\n", &err), 0);
		assert_int_equal(targets(&cfg, &bad[i].dest, 1, NULL, &err),
		    -1);
		tu_str(bad[i].dest, "error", err, bad[i].why);
		assert_int_equal(cfg.ntargets, 0);
		free(err);
		cfg_free(&cfg);
	}
}

static const char aliases[] =
    "device fw1\n"
    "  address 192.0.2.1\n"
    "  user admin\n"
    "  port 2201\n"
    "  vdoms root\n"
    "  poll 10s\n"
    "device fw2\n"
    "  address 192.0.2.2\n"
    "device fw3\n"
    "group branches fw2 fw1 admin@198.51.100.9:2200 fw2\n"
    "group lab fw3 fw:0\n";

static void
test_alias_group(void **state)
{
	const char *const dests[] = { "fw1", "@branches", "fw3", "fw1" };
	struct cfg	 cfg;
	char		*err = NULL;

	assert_int_equal(load(&cfg, aliases, &err), 0);
	assert_int_equal(targets(&cfg, dests, 4, NULL, &err), 0);
	assert_targets(&cfg,
	    "fw1 192.0.2.1 2201 admin\n"
	    "fw2 192.0.2.2 0 -\n"
	    "admin@198.51.100.9:2200 198.51.100.9 2200 admin\n"
	    "fw3 - 0 -\n");
	/* The alias brings the device's other settings along. */
	assert_list("fw1 vdoms", cfg.targets[0].vdoms, "root");
	assert_int_equal(cfg.targets[0].poll_ms, 10000);
	assert_null(cfg.targets[1].vdoms);

	/* Again, with --vdom: every target's VDOMs are replaced. */
	assert_int_equal(targets(&cfg, dests, 4, "a,b", &err), 0);
	assert_int_equal(cfg.ntargets, 4);
	assert_list("fw1 vdoms", cfg.targets[0].vdoms, "a|b");
	assert_list("fw2 vdoms", cfg.targets[1].vdoms, "a|b");
	assert_list("dest vdoms", cfg.targets[2].vdoms, "a|b");
	/* The device itself keeps its own. */
	assert_list("device fw1 vdoms", cfg.devices[0].vdoms, "root");

	assert_int_equal(targets(&cfg, dests, 4, "a,,b", &err), -1);
	tu_str("--vdom a,,b", "error", err, "--vdom: bad VDOM list \"a,,b\": "
	    "names are 1-31 characters without spaces or quotes, separated "
	    "by commas");
	free(err);
	assert_int_equal(cfg.ntargets, 0);

	/* A bad member names its group. */
	assert_int_equal(targets(&cfg, (const char *const[]){ "@lab" }, 1,
	    NULL, &err), -1);
	tu_str("@lab", "error", err, "group lab: fw:0: bad port \"0\" (want "
	    "1-65535)");
	free(err);
	cfg_free(&cfg);
}

static void
test_no_dest(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL;

	assert_int_equal(load(&cfg, aliases, &err), 0);
	assert_int_equal(cfg_targets(&cfg, NULL, 0, "dmz", &err), 0);
	assert_targets(&cfg,
	    "fw1 192.0.2.1 2201 admin\n"
	    "fw2 192.0.2.2 0 -\n"
	    "fw3 - 0 -\n");
	assert_list("fw3 vdoms", cfg.targets[2].vdoms, "dmz");
	cfg_free(&cfg);

	assert_int_equal(load(&cfg, "", &err), 0);
	assert_int_equal(cfg_targets(&cfg, NULL, 0, NULL, &err), -1);
	tu_str("no dest", "error", err, "no device: give a DEST or add a "
	    "device to the config file");
	free(err);
	cfg_free(&cfg);
}

/* Load one device with the given secret lines and run cfg_secrets. */
static int
secrets(struct cfg *cfg, const char *lines, int may_prompt, char **err)
{
	char	buf[1024];

	snprintf(buf, sizeof(buf), "device fw1\n%s", lines);
	*err = NULL;
	assert_int_equal(load(cfg, buf, err), 0);
	assert_int_equal(cfg_targets(cfg, NULL, 0, NULL, err), 0);
	return (cfg_secrets(cfg, may_prompt, err));
}

static void
test_password_file(void **state)
{
	struct cfg	 cfg;
	char		*err, lines[700], want[900], path[600];

	/* put's buffers rotate: keep the path. */
	snprintf(path, sizeof(path), "%s",
	    put("fw1.pw", "s3cret pass\nsecond line\n", 0600));
	snprintf(lines, sizeof(lines), "password-file %s\n", path);
	assert_int_equal(secrets(&cfg, lines, 0, &err), 0);
	assert_null(err);
	tu_str("0600", "password", cfg.targets[0].password, "s3cret pass");
	/* The file's device in cfg.devices has no secret: only targets. */
	assert_null(cfg.devices[0].password);
	cfg_free(&cfg);

	/* No newline at the end, CR LF: the line without its ending. */
	put("fw1.pw", "crlf\r\n", 0400);
	assert_int_equal(secrets(&cfg, lines, 0, &err), 0);
	tu_str("CR LF", "password", cfg.targets[0].password, "crlf");
	cfg_free(&cfg);
	assert_int_equal(chmod(path, 0600), 0);
	put("fw1.pw", "nonl", 0600);
	assert_int_equal(secrets(&cfg, lines, 0, &err), 0);
	tu_str("no newline", "password", cfg.targets[0].password, "nonl");
	cfg_free(&cfg);

	put("fw1.pw", "s3cret\n", 0644);
	assert_int_equal(secrets(&cfg, lines, 0, &err), -1);
	snprintf(want, sizeof(want), "fw1: password file %s is accessible by "
	    "group or others (mode 0644); make it private with chmod 600",
	    path);
	tu_str("0644", "error", err, want);
	assert_null(cfg.targets[0].password);
	free(err);
	cfg_free(&cfg);

	put("fw1.pw", "s3cret\n", 0640);
	assert_int_equal(secrets(&cfg, lines, 0, &err), -1);
	snprintf(want, sizeof(want), "fw1: password file %s is accessible by "
	    "group or others (mode 0640); make it private with chmod 600",
	    path);
	tu_str("0640", "error", err, want);
	free(err);
	cfg_free(&cfg);

	put("fw1.pw", "\nsecond\n", 0600);
	assert_int_equal(secrets(&cfg, lines, 0, &err), -1);
	snprintf(want, sizeof(want), "fw1: password file %s has an empty "
	    "first line", path);
	tu_str("empty", "error", err, want);
	free(err);
	cfg_free(&cfg);

	assert_int_equal(remove(path), 0);
	assert_int_equal(secrets(&cfg, lines, 0, &err), -1);
	snprintf(want, sizeof(want), "fw1: password file %s: No such file or "
	    "directory", path);
	tu_str("missing", "error", err, want);
	free(err);
	cfg_free(&cfg);
}

struct command_case {
	const char	*lines;
	int		 rc;
	const char	*password;	/* or the error */
};

static const struct command_case command_cases[] = {
	{ "password-command \"printf 'pw1\\\\nline2\\\\n'\"\n", 0, "pw1" },
	{ "password-command \"echo multi word; echo second\"\n", 0,
	    "multi word" },
	/* stdin is /dev/null, not the test's. */
	{ "password-command \"readlink /proc/self/fd/0\"\n", 0, "/dev/null" },
	/* Output far past the pipe's buffer is drained, not deadlocked. */
	{ "password-command \"echo pw; head -c 300000 /dev/zero\"\n", 0,
	    "pw" },
	{ "password-command \"echo leaked-secret; exit 3\"\n", -1,
	    "fw1: password-command failed (exit status 3)" },
	{ "password-command \"kill -9 $$\"\n", -1,
	    "fw1: password-command was killed by signal 9" },
	{ "password-command \"true\"\n", -1,
	    "fw1: password-command printed nothing on its first line" },
	{ "password-command \"head -c 5000 /dev/zero | tr '\\\\0' x\"\n", -1,
	    "fw1: password-command: the first line is longer than 1023 "
	    "bytes" },
	{ "token-command \"echo 123456; echo 654321\"\n", 0, NULL },
	{ "token-command \"exit 1\"\n", -1,
	    "fw1: token-command failed (exit status 1)" },
	{ NULL, 0, NULL }
};

static void
test_password_command(void **state)
{
	const struct command_case	*c;
	struct cfg			 cfg;
	char				*err;
	int				 saved, fd;

	/* Our stdin is a file, so an inherited one would show. */
	assert_int_not_equal(saved = dup(STDIN_FILENO), -1);
	assert_int_not_equal(fd = open(put("stdin", "stdin\n", 0600),
	    O_RDONLY), -1);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	for (c = command_cases; c->lines != NULL; c++) {
		tu_num(c->lines, "rc", secrets(&cfg, c->lines, 0, &err),
		    c->rc);
		if (c->rc == 0)
			tu_str(c->lines, "password", cfg.targets[0].password,
			    c->password);
		else
			tu_str(c->lines, "error", err, c->password);
		free(err);
		cfg_free(&cfg);
	}
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

static void
test_token(void **state)
{
	struct cfg	 cfg;
	char		*err, *path, lines[700];

	path = put("token", "111111\n", 0600);
	snprintf(lines, sizeof(lines), "token-command \"cat %s\"\n", path);
	assert_int_equal(secrets(&cfg, lines, 0, &err), 0);
	tu_str("first", "token", cfg.targets[0].token, "111111");
	assert_null(cfg.targets[0].password);
	/* A new code at the next login. */
	put("token", "222222\n", 0600);
	assert_int_equal(cfg_token(&cfg.targets[0], &err), 0);
	tu_str("second", "token", cfg.targets[0].token, "222222");
	cfg_free(&cfg);
}

static void
test_no_terminal(void **state)
{
	struct cfg	 cfg;
	char		*err;

	assert_int_equal(secrets(&cfg, "ask-password yes\n", 0, &err), -1);
	tu_str("may_prompt 0", "error", err,
	    "fw1 needs a password on the terminal; none is available");
	free(err);
	cfg_free(&cfg);
}

/*
 * Read from the pty master until the text holds want (or, with want
 * NULL, until the child closes its side); what was read goes to buf.
 */
static size_t
pty_read(int fd, char *buf, size_t size, const char *want)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	size_t		len = 0;
	ssize_t		n;

	buf[0] = '\0';
	while (len < size - 1) {
		if (want != NULL && strstr(buf, want) != NULL)
			break;
		if (poll(&pfd, 1, 5000) != 1)
			break;
		if ((n = read(fd, buf + len, size - 1 - len)) <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
	}
	return (len);
}

/*
 * The child: ask for fw1's password on its controlling terminal (the
 * pty), then report "password echo=ECHO-after" on the pipe.
 */
static void __attribute__((noreturn))
pty_child(int report)
{
	struct termios	 t;
	struct cfg	 cfg;
	char		*err, line[256];
	int		 n;

	close(STDERR_FILENO);	/* nothing but the prompt on the pty */
	/* A shell's background job starts with SIGINT ignored; a user's not. */
	signal(SIGINT, SIG_DFL);
	if (secrets(&cfg, "ask-password yes\n", 1, &err) != 0) {
		n = snprintf(line, sizeof(line), "error %s", err);
		(void)!write(report, line, (size_t)n);
		_exit(1);
	}
	tcgetattr(STDIN_FILENO, &t);
	n = snprintf(line, sizeof(line), "%s echo=%d",
	    cfg.targets[0].password, (t.c_lflag & ECHO) != 0);
	(void)!write(report, line, (size_t)n);
	cfg_free(&cfg);
	_exit(0);
}

static pid_t
pty_start(int *master, int *report)
{
	struct termios	 t;
	int		 p[2];
	pid_t		 pid;

	assert_int_equal(pipe(p), 0);
	pid = forkpty(master, NULL, NULL, NULL);
	assert_int_not_equal(pid, -1);
	if (pid == 0) {
		close(p[0]);
		pty_child(p[1]);
	}
	close(p[1]);
	*report = p[0];
	/* The terminal starts with echo on, as a user's does. */
	assert_int_equal(tcgetattr(*master, &t), 0);
	assert_int_equal((t.c_lflag & ECHO) != 0, 1);
	return (pid);
}

/* The child's end: it exited with want_exit, having reported want. */
static void
pty_end(pid_t pid, int report, int want_exit, const char *want)
{
	char	 buf[512];
	int	 status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	tu_num("child", "exit status", WIFEXITED(status) ?
	    WEXITSTATUS(status) : -1, want_exit);
	memset(buf, 0, sizeof(buf));
	tu_assert_cmp(read(report, buf, sizeof(buf) - 1), >, 0);
	tu_str("child", "report", buf, want);
	close(report);
}

static void
test_ask_pty(void **state)
{
	struct termios	 t;
	char		 buf[512];
	pid_t		 pid;
	int		 master, report;

	pid = pty_start(&master, &report);
	pty_read(master, buf, sizeof(buf), "Password for fw1: ");
	tu_str("pty", "prompt", buf, "Password for fw1: ");
	/* The prompt comes once echo is off. */
	assert_int_equal(tcgetattr(master, &t), 0);
	tu_num("while asking", "ECHO", (t.c_lflag & ECHO) != 0, 0);
	assert_int_equal(write(master, "s3cret pw\n", 10), 10);
	/* Only the newline fgtop prints comes back, not the password. */
	pty_read(master, buf, sizeof(buf), NULL);
	tu_str("pty", "after the password", buf, "\r\n");
	pty_end(pid, report, 0, "s3cret pw echo=1");
	close(master);
}

/* Enter alone is no password; the terminal gets its echo back. */
static void
test_ask_empty(void **state)
{
	struct termios	 t;
	char		 buf[512], *slave;
	pid_t		 pid;
	int		 master, report, keep;

	pid = pty_start(&master, &report);
	pty_read(master, buf, sizeof(buf), "Password for fw1: ");
	assert_non_null(slave = ptsname(master));
	assert_int_not_equal(keep = open(slave, O_RDWR | O_NOCTTY), -1);
	assert_int_equal(write(master, "\n", 1), 1);
	pty_read(master, buf, sizeof(buf), NULL);
	tu_str("pty", "after Enter", buf, "\r\n");
	pty_end(pid, report, 1, "error fw1: no password given");
	assert_int_equal(tcgetattr(master, &t), 0);
	tu_num("after", "ECHO", (t.c_lflag & ECHO) != 0, 1);
	close(keep);
	close(master);
}

/* Interrupted while asking: echo is back on before the signal kills. */
static void
test_ask_signal(void **state)
{
	struct termios	 t;
	char		 buf[512], *slave;
	pid_t		 pid;
	int		 master, report, status, keep;

	pid = pty_start(&master, &report);
	pty_read(master, buf, sizeof(buf), "Password for fw1: ");
	tu_str("pty", "prompt", buf, "Password for fw1: ");
	/* Hold the slave open so its settings outlive the child. */
	assert_non_null(slave = ptsname(master));
	assert_int_not_equal(keep = open(slave, O_RDWR | O_NOCTTY), -1);
	assert_int_equal(tcgetattr(master, &t), 0);
	tu_num("while asking", "ECHO", (t.c_lflag & ECHO) != 0, 0);
	assert_int_equal(write(master, "half", 4), 4);
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	tu_num("child", "killed by", WIFSIGNALED(status) ?
	    WTERMSIG(status) : -1, SIGINT);
	assert_int_equal(tcgetattr(master, &t), 0);
	tu_num("after SIGINT", "ECHO", (t.c_lflag & ECHO) != 0, 1);
	memset(buf, 0, sizeof(buf));
	tu_num("child", "report bytes", read(report, buf, sizeof(buf)), 0);
	close(keep);
	close(report);
	close(master);
}

/*
 * Dashboard keys and theme: kept in order for the dashboard to check;
 * where its incident bundles go.
 */
static void
test_keys(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL;

	setenv("HOME", "/home/noc", 1);
	assert_int_equal(load(&cfg, "key quit x\ntheme mono\nkey help F2\n"
	    "key quit ^X\nexport-dir ~/tickets\ndevice fw1\n", &err), 0);
	assert_null(err);
	assert_list("keys", cfg.keys, "quit|x|help|F2|quit|^X");
	tu_str("theme", "theme", cfg.theme, "mono");
	tu_str("export-dir", "export-dir", cfg.export_dir,
	    "/home/noc/tickets");
	cfg_free(&cfg);
	assert_int_equal(load(&cfg, "poll 5s\n", &err), 0);
	assert_null(cfg.keys);
	assert_null(cfg.theme);
	assert_null(cfg.export_dir);
	cfg_free(&cfg);
}

/* The journal's keys: a path (~/ expanded) or off, a duration, a count. */
static void
test_journal_keys(void **state)
{
	struct cfg	 cfg;
	char		*err = NULL, want[512];

	setenv("HOME", "/home/noc", 1);
	assert_int_equal(load(&cfg, "journal ~/j/\nsnapshot-interval 2m\n"
	    "flap-threshold 0\n", &err), 0);
	assert_null(err);
	snprintf(want, sizeof want, "/home/noc/j/");
	tu_str("journal", "journal", cfg.journal, want);
	tu_num("journal", "snapshot_ms", cfg.snapshot_ms, 120000);
	tu_num("journal", "flap_threshold", cfg.flap_threshold, 0);
	cfg_free(&cfg);
	assert_int_equal(load(&cfg, "journal off\n", &err), 0);
	tu_str("journal", "journal", cfg.journal, "off");
	cfg_free(&cfg);
	/* Not given: the defaults of the journal and the model. */
	assert_int_equal(load(&cfg, "poll 5s\n", &err), 0);
	assert_null(cfg.journal);
	tu_num("journal", "snapshot_ms", cfg.snapshot_ms, 0);
	tu_num("journal", "flap_threshold", cfg.flap_threshold, -1);
	cfg_free(&cfg);
}

/* doc/config.example is what the man page shows: it must load. */
static void
test_example(void **state)
{
	const char *const dests[] = { "@all", "@lab" };
	struct cfg	 cfg;
	char		*err = NULL;

	setenv("HOME", "/home/noc", 1);
	cfg_init(&cfg);
	assert_int_equal(cfg_load(&cfg, TOP_SRCDIR "/doc/config.example",
	    &err), 0);
	assert_null(err);
	assert_int_equal(cfg.poll_ms, 5000);
	assert_int_equal(cfg.full_poll_ms, 60000);
	tu_str("example", "known-hosts", cfg.known_hosts,
	    "/home/noc/.config/fgtop/known_hosts");
	assert_int_equal(cfg.accept_new, 0);
	assert_int_equal(targets(&cfg, dests, 2, NULL, &err), 0);
	assert_targets(&cfg,
	    "hq-fw 192.0.2.10 22 noc-ro\n"
	    "branch-fw 198.51.100.20 0 noc-ro\n"
	    "admin@198.51.100.30:2222 198.51.100.30 2222 admin\n");
	tu_str("hq-fw", "identity", cfg.targets[0].identity,
	    "/home/noc/.ssh/fgtop_ed25519");
	assert_list("hq-fw vdoms", cfg.targets[0].vdoms, "root|dmz");
	assert_int_equal(cfg.targets[0].disclaimer_accept, 1);
	assert_int_equal(cfg.targets[0].poll_ms, 10000);
	tu_str("branch-fw", "password-command",
	    cfg.targets[1].password_command, "pass show fortigate/branch-fw");
	tu_str("branch-fw", "token-command", cfg.targets[1].token_command,
	    "fgt-token branch-fw");
	cfg_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_missing_explicit),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_dests),
		cmocka_unit_test(test_dest_errors),
		cmocka_unit_test(test_alias_group),
		cmocka_unit_test(test_no_dest),
		cmocka_unit_test(test_password_file),
		cmocka_unit_test(test_password_command),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_no_terminal),
		cmocka_unit_test(test_ask_pty),
		cmocka_unit_test(test_ask_empty),
		cmocka_unit_test(test_ask_signal),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_journal_keys),
		cmocka_unit_test(test_example),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
