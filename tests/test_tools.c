/* SPDX-License-Identifier: ISC */
/*
 * test_tools - fgtop route|trace|sniff|debug end to end: the real fgtop
 * binary against the real fgtsim over SSH on loopback.
 *
 * fgtsim's --log is the witness: every command fgtop sent (run through
 * the allowlist again), and the debug state each SSH connection left
 * behind when it ended ("disconnect" events).  The readings come from
 * faults.scn's fault classes; every flavour (6.2 to 7.4, and a 7.4.0
 * box that rejects the new log-filter syntax) runs every tool; the
 * cleanup is checked on every path that can run code, and the SIGKILL
 * path shows the duration timer was set.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "allow.h"
#include "conn.h"
#include "debug.h"
#include "model.h"
#include "reading.h"
#include "routing_table.h"
#include "simutil.h"
#include "sniffer.h"
#include "traceroute.h"
#include "testutil.h"

struct fx {
	struct sim	 sim;	/* first: sim_setup_state */
};

/* The result line of a run. */
struct res {
	char	 reading[512];
	char	 status[32];
	char	 tunnel[64];
	char	 peer[64];
	int	 nlines;	/* "line" and "ike" objects */
	char	 ike_tunnel[64];	/* the first tunnel an "ike" line names */
	int	 ike_other;	/* lines naming another tunnel than that */
	char	 opened[128];	/* the model's "tool" events: details */
	char	 closed[512];
	int	 rc;
};

static int
setup(void **state)
{
	return (sim_setup_state(state, sizeof(struct fx)));
}

static void
start(struct fx *fx, const char *scn)
{
	sim_start(&fx->sim, scn, "--speed", "10", NULL);
	sim_fgtop_config(&fx->sim, NULL, "  disclaimer accept", 0);
}

/* A scenario written for one test, in the scratch directory. */
static const char *
scenario_file(struct fx *fx, const char *text)
{
	static char	 path[256];

	snprintf(path, sizeof path, "%s", sim_path(&fx->sim, "test.scn"));
	sim_write_file(path, text);
	return (path);
}

/* fgtop with args, --accept-new and --json; stdout to out. */
static pid_t
spawn(struct fx *fx, const char *out, const char *const *args)
{
	const char	*argv[40];
	int		 argc = 0;

	while (*args != NULL && argc < 36)
		argv[argc++] = *args++;
	argv[argc++] = "--accept-new";
	argv[argc++] = "--json";
	argv[argc] = NULL;
	/* Two tools at once append to one stderr. */
	return (sim_fgtop_spawn(&fx->sim, &(struct sim_proc){ NULL, out,
	    fx->sim.err, 1, 0, NULL }, argv));
}

/* Read the JSON lines of a run into r. */
static void
read_result(const char *out, struct res *r)
{
	char		*text = sim_read_file(out), *l, *nl;
	json_t		*o;
	const char	*type, *tn, *ev, *to;

	memset(r->reading, 0, sizeof r->reading);
	r->status[0] = r->tunnel[0] = r->peer[0] = '\0';
	r->nlines = 0;
	r->ike_tunnel[0] = '\0';
	r->ike_other = 0;
	r->opened[0] = r->closed[0] = '\0';
	for (l = text; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if ((o = json_loads(l, 0, NULL)) == NULL)
			fail_msg("not a JSON line: %s", l);
		type = json_string_value(json_object_get(o, "type"));
		if (type != NULL && (strcmp(type, "line") == 0 ||
		    strcmp(type, "ike") == 0))
			r->nlines++;
		if (type != NULL && strcmp(type, "ike") == 0 &&
		    (tn = json_string_value(json_object_get(o, "tunnel"))) !=
		    NULL) {
			if (r->ike_tunnel[0] == '\0')
				snprintf(r->ike_tunnel, sizeof r->ike_tunnel,
				    "%s", tn);
			else if (strcmp(r->ike_tunnel, tn) != 0)
				r->ike_other++;
		}
		ev = json_string_value(json_object_get(o, "event"));
		to = json_string_value(json_object_get(o, "to"));
		if (ev != NULL && strcmp(ev, "tool") == 0 && to != NULL) {
			tn = json_string_value(json_object_get(o, "detail"));
			if (strcmp(to, "opened") == 0)
				snprintf(r->opened, sizeof r->opened, "%s",
				    tn != NULL ? tn : "");
			else
				snprintf(r->closed, sizeof r->closed, "%s",
				    tn != NULL ? tn : "");
		}
		if (type != NULL && strcmp(type, "result") == 0) {
#define CP(f) snprintf(r->f, sizeof r->f, "%s", \
	json_string_value(json_object_get(o, #f)) != NULL ? \
	json_string_value(json_object_get(o, #f)) : "")
			CP(reading);
			CP(status);
			CP(tunnel);
			CP(peer);
#undef CP
		}
		json_decref(o);
	}
	free(text);
}

/* Run a tool to its end; its exit status and result. */
static void
run(struct fx *fx, struct res *r, ...)
{
	const char	*args[40];
	va_list		 ap;
	int		 n = 0;

	va_start(ap, r);
	while ((args[n] = va_arg(ap, const char *)) != NULL && n < 38)
		n++;
	va_end(ap);
	args[n] = NULL;
	r->rc = sim_reap(spawn(fx, fx->sim.out, args), 60, 0);
	read_result(fx->sim.out, r);
}

/* Every connection fgtsim accepted has ended (its disconnect logged). */
static char *
log_settled(struct fx *fx)
{
	double	 until = sim_now() + 10;
	char	*log, *p;
	int	 nc, nd;

	for (;;) {
		log = sim_read_file(fx->sim.log);
		for (nc = 0, p = log; (p = strstr(p, "\"event\":\"connect\""))
		    != NULL; p++)
			nc++;
		for (nd = 0, p = log; (p = strstr(p,
		    "\"event\":\"disconnect\"")) != NULL; p++)
			nd++;
		if (nd >= nc || sim_now() > until)
			return (log);
		free(log);
		usleep(50000);
	}
}

/*
 * The witness: every command went through the allowlist in its
 * connection's context, and (clean) every connection left debug off,
 * the IKE level reset and no filter.  Returns the number of commands.
 */
static int
check_log(struct fx *fx, int clean)
{
	char			*log = log_settled(fx), *l, *nl;
	struct allow_ctx	 ctx[256];
	const char		*why, *cmd, *ev;
	json_t			*o, *dbg;
	int			 conn, n = 0;

	for (conn = 0; conn < 256; conn++)
		allow_init(&ctx[conn]);
	for (l = log; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if ((o = json_loads(l, 0, NULL)) == NULL)
			fail_msg("fgtsim log line is not JSON: %s", l);
		ev = json_string_value(json_object_get(o, "event"));
		conn = (int)json_integer_value(json_object_get(o, "conn")) %
		    256;
		if (strcmp(ev, "command") == 0) {
			cmd = json_string_value(json_object_get(o,
			    "command"));
			if (!allow_check(&ctx[conn], cmd, strlen(cmd), &why))
				fail_msg("fgtop sent `%s', which the "
				    "allowlist refuses: %s", cmd, why);
			n++;
		} else if (strcmp(ev, "disconnect") == 0 && clean) {
			dbg = json_object_get(o, "debug");
			if (json_is_true(json_object_get(dbg, "enabled")) ||
			    json_integer_value(json_object_get(dbg,
			    "ike_level")) != 0 ||
			    json_is_true(json_object_get(dbg, "filter_set")))
				fail_msg("a session left debug behind: %s", l);
		}
		json_decref(o);
	}
	free(log);
	return (n);
}

/* The commands of one connection, joined with '\n' (caller frees). */
static char *
conn_commands(struct fx *fx, int want)
{
	char	*log = sim_read_file(fx->sim.log), *l, *nl;
	char	*acc = calloc(1, 1);
	size_t	 len = 0;
	json_t	*o;

	for (l = log; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		o = json_loads(l, 0, NULL);
		if (o != NULL && json_integer_value(json_object_get(o,
		    "conn")) == want && strcmp(json_string_value(
		    json_object_get(o, "event")), "command") == 0) {
			const char *c = json_string_value(json_object_get(o,
			    "command"));

			acc = realloc(acc, len + strlen(c) + 2);
			memcpy(acc + len, c, strlen(c));
			len += strlen(c);
			acc[len++] = '\n';
			acc[len] = '\0';
		}
		json_decref(o);
	}
	free(log);
	return (acc);
}

/* The connection that sent cmd first (0: none). */
static int
conn_of(struct fx *fx, const char *cmd, int after)
{
	char	*log = sim_read_file(fx->sim.log), *l, *nl;
	json_t	*o;
	int	 c = 0, k;

	for (l = log; c == 0 && (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		o = json_loads(l, 0, NULL);
		k = (int)json_integer_value(json_object_get(o, "conn"));
		if (o != NULL && k > after && json_string_value(
		    json_object_get(o, "command")) != NULL &&
		    strcmp(json_string_value(json_object_get(o, "command")),
		    cmd) == 0)
			c = k;
		json_decref(o);
	}
	free(log);
	return (c);
}

/* The connection that sent cmd last (0: none). */
static int
conn_last(struct fx *fx, const char *cmd)
{
	int	 c = 0, k;

	while ((k = conn_of(fx, cmd, c)) > 0)
		c = k;
	return (c);
}

/* Wait until frag is in the log more than n times; fail after ms. */
static void
log_wait_count(struct fx *fx, const char *frag, int n, int ms)
{
	double	 until = sim_now() + ms / 1000.0;
	char	*log, *p;
	int	 k;

	for (;;) {
		log = sim_read_file(fx->sim.log);
		for (k = 0, p = log; (p = strstr(p, frag)) != NULL; p++)
			k++;
		free(log);
		if (k > n)
			return;
		if (sim_now() > until)
			fail_msg("`%s' not logged %d times in %d ms", frag,
			    n + 1, ms);
		usleep(20000);
	}
}

static int
log_count(struct fx *fx, const char *frag)
{
	char	*log = sim_read_file(fx->sim.log), *p;
	int	 k;

	for (k = 0, p = log; (p = strstr(p, frag)) != NULL; p++)
		k++;
	free(log);
	return (k);
}

static void
expect_prefix(const char *what, const char *got, const char *want)
{
	if (strncmp(got, want, strlen(want)) != 0)
		fail_msg("%s: got \"%s\", want it to start \"%s\"", what, got,
		    want);
}

/* ---- the readings of faults.scn's fault classes ---------------------- */

static void
test_readings_faults(void **state)
{
	struct fx	*fx = *state;
	struct res	 r;

	start(fx, sim_scenario("faults.scn"));

	run(fx, &r, "route", "d0", "noroute", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.tunnel, "noroute");
	assert_string_equal(r.reading, "no active route to 203.0.113.16 out "
	    "of wan2, the tunnel's interface (the best route, 0.0.0.0/0, goes "
	    "via wan1 198.51.100.1): this is why IKE says could not send IKE "
	    "Packet");
	run(fx, &r, "route", "d0", "--peer", "203.0.113.1", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.tunnel, "hq-ok");
	assert_string_equal(r.reading, "active route via wan1 198.51.100.1");

	run(fx, &r, "trace", "d0", "--peer", "silent", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.peer, "203.0.113.18");
	assert_string_equal(r.status, "stopped");
	expect_prefix("silent trace", r.reading, "stops after hop 2 (100.");
	run(fx, &r, "trace", "d0", "--peer", "hq-ok", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.reading, "reached in 6 hops");
	run(fx, &r, "trace", "d0", "--peer", "noroute", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.reading,
	    "cannot trace: traceroute: sendto: Network is unreachable");

	run(fx, &r, "sniff", "d0", "--peer", "silent", "--count", "3",
	    "--seconds", "20", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.status, "ok");
	assert_string_equal(r.reading, "3 IKE packets out to "
	    "203.0.113.18:500, none back: the peer does not answer on UDP "
	    "500");
	assert_string_equal(r.closed, r.reading);
	assert_string_equal(r.opened, "diagnose sniffer packet any 'host "
	    "203.0.113.18 and (udp port 500 or udp port 4500)' 4 3 l");
	run(fx, &r, "sniff", "d0", "--peer", "natt", "--count", "5",
	    "--seconds", "20", NULL);
	assert_int_equal(r.rc, 0);
	expect_prefix("natt sniff", r.reading,
	    "NAT-T: 500 answered, 4500 silent");
	/* A bound in time: Ctrl-C, then the packets seen so far. */
	run(fx, &r, "sniff", "d0", "--peer", "hq-ok", "--port", "500",
	    "--count", "1000", "--seconds", "2", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.status, "stopped");
	expect_prefix("hq-ok sniff", r.reading, "IKE both ways with "
	    "203.0.113.1: UDP 500 ");

	run(fx, &r, "trace", "d0", "--peer", "no-such-tunnel", NULL);
	assert_int_equal(r.rc, 1);
	check_log(fx, 1);
}

/* ---- every tool on every flavour ------------------------------------ */

struct flavour {
	const char	*scn;		/* shipped, or NULL: the 7.4.0 one */
	int		 dev;
	const char	*vdom;
	const char	*tunnel;
	const char	*filter;	/* the clear that must have worked */
	const char	*refused;	/* a clear tried first, or NULL */
};

static const char scn_740[] =
    "device FGT-740\n"
    "  version 7.4.0\n"
    "  tunnel to-dc\n"
    "    local 198.51.100.7\n"
    "    remote 203.0.113.70\n"
    "    ike 2\n"
    "    phase2 to-dc src 10.7.0.0/24 dst 10.70.0.0/24\n"
    "    fault psk-mismatch\n";

static void
one_flavour(struct fx *fx, const struct flavour *fl)
{
	struct res	 r;
	char		 dev[8], *cmds;
	const char	*v1 = fl->vdom != NULL ? "--vdom" : "--json";
	const char	*v2 = fl->vdom != NULL ? fl->vdom : "--json";
	int		 c;

	snprintf(dev, sizeof dev, "d%d", fl->dev);
	run(fx, &r, "route", dev, "--peer", fl->tunnel, v1, v2, NULL);
	if (r.rc != 0 || strcmp(r.tunnel, fl->tunnel) != 0 ||
	    strncmp(r.reading, "active route via ", 17) != 0)
		fail_msg("%s %s route: rc %d, tunnel %s, \"%s\"", fl->scn,
		    fl->tunnel, r.rc, r.tunnel, r.reading);
	run(fx, &r, "trace", dev, "--peer", fl->tunnel, v1, v2,
	    "--seconds", "10", NULL);
	if (r.rc != 0 || strncmp(r.reading, "reached in ", 11) != 0)
		fail_msg("%s %s trace: rc %d, \"%s\"", fl->scn, fl->tunnel,
		    r.rc, r.reading);
	run(fx, &r, "sniff", dev, "--peer", fl->tunnel, v1, v2, "--count",
	    "2", "--seconds", "8", NULL);
	if (r.rc != 0 || r.nlines < 3 || r.reading[0] == '\0')
		fail_msg("%s %s sniff: rc %d, %d lines, \"%s\"", fl->scn,
		    fl->tunnel, r.rc, r.nlines, r.reading);
	run(fx, &r, "debug", dev, "--peer", fl->tunnel, v1, v2,
	    "--seconds", "3", NULL);
	if (r.rc != 0 || strcmp(r.status, "ok") != 0)
		fail_msg("%s %s debug: rc %d, %s, \"%s\"", fl->scn,
		    fl->tunnel, r.rc, r.status, r.reading);
	c = conn_last(fx, "diagnose debug enable");
	tu_assert_cmp(c, >, 0);
	cmds = conn_commands(fx, c);
	if (strstr(cmds, fl->filter) == NULL ||
	    (fl->refused != NULL && strstr(cmds, fl->refused) == NULL) ||
	    (fl->refused != NULL && strstr(cmds, fl->refused) >
	    strstr(cmds, fl->filter)))
		fail_msg("%s: want `%s'%s%s in:\n%s", fl->scn, fl->filter,
		    fl->refused != NULL ? " after `" : "",
		    fl->refused != NULL ? fl->refused : "", cmds);
	free(cmds);
	check_log(fx, 1);
}

static void
test_every_flavour(void **state)
{
	static const struct flavour fls[] = {
		{ "walkthrough.scn", 0, NULL, "to10.174.0.182",
		  "diagnose vpn ike log-filter dst-addr4 10.174.0.182", NULL },
		{ "multivdom.scn", 0, "CUST-A", "custa-hq",
		  "diagnose vpn ike log-filter dst-addr4 203.0.113.50", NULL },
		{ "faults.scn", 0, NULL, "hq-ok",
		  "diagnose vpn ike log filter rem-addr4 203.0.113.1", NULL },
		{ NULL, 0, NULL, "to-dc",
		  "diagnose vpn ike log-filter dst-addr4 203.0.113.70",
		  "diagnose vpn ike log filter clear" },
		{ "demo.scn", 0, NULL, "to-dc1",
		  "diagnose vpn ike log-filter dst-addr4 203.0.113.1", NULL },
		{ "demo.scn", 1, NULL, "branch-paris",
		  "diagnose vpn ike log filter rem-addr4 198.51.100.42", NULL },
		{ "demo.scn", 2, NULL, "SPOKES_0",
		  "diagnose vpn ike log-filter dst-addr4 ", NULL },
		{ "demo.scn", 3, "CUST-A", "custa-hq",
		  "diagnose vpn ike log-filter dst-addr4 203.0.113.50", NULL },
	};
	struct fx	*fx = *state;
	struct flavour	 fl;
	size_t		 i;

	for (i = 0; i < sizeof fls / sizeof fls[0]; i++) {
		fl = fls[i];
		if (i > 0 && !(fl.scn != NULL && fls[i - 1].scn != NULL &&
		    strcmp(fl.scn, fls[i - 1].scn) == 0)) {
			sim_cleanup(&fx->sim);
			sim_init(&fx->sim);
		}
		if (fx->sim.pid == 0 || fx->sim.pid == -1)
			start(fx, fl.scn != NULL ? sim_scenario(fl.scn) :
			    scenario_file(fx, scn_740));
		if (fl.scn == NULL)
			fl.scn = "7.4.0";
		one_flavour(fx, &fl);
	}
}

/* ---- cleanup on every path ------------------------------------------- */

/* Start `fgtop debug` on faults.scn's psk-v2 and wait for debug on. */
static pid_t
debug_started(struct fx *fx, const char *seconds)
{
	static const char *const a[] = { "debug", "d0", "--peer", "psk-v2",
	    NULL, NULL, NULL };
	const char	*args[8];
	pid_t		 pid;
	int		 n = log_count(fx, "\"change\":\"on\"");

	memcpy(args, a, sizeof a);
	if (seconds != NULL) {
		args[4] = "--seconds";
		args[5] = seconds;
	}
	pid = spawn(fx, fx->sim.out, args);
	log_wait_count(fx, "\"change\":\"on\"", n, 15000);
	return (pid);
}

/* The debug connection's undo ran after the enable, in this order. */
static void
expect_undo(struct fx *fx, int conn)
{
	char	*cmds = conn_commands(fx, conn);
	char	*en = strstr(cmds, "diagnose debug enable\n");
	char	*dis, *rst, *clr;

	assert_non_null(en);
	dis = strstr(en, "diagnose debug disable\n");
	rst = dis != NULL ? strstr(dis, "diagnose debug reset\n") : NULL;
	clr = rst != NULL ? strstr(rst, "diagnose vpn ike log filter clear\n")
	    : NULL;
	if (clr == NULL)
		fail_msg("no disable, reset, clear after enable in:\n%s", cmds);
	free(cmds);
}

static void
test_cleanup_signals(void **state)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct fx	*fx = *state;
	struct res	 r;
	pid_t		 pid;
	size_t		 i;
	int		 conn = 0;

	start(fx, sim_scenario("faults.scn"));
	/* Normal end: --seconds. */
	run(fx, &r, "debug", "d0", "--peer", "psk-v2", "--seconds", "3",
	    NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.tunnel, "psk-v2");
	assert_string_equal(r.status, "ok");
	if (r.nlines < 1)
		fail_msg("no IKE line for psk-v2 in 3 s (x10)");
	/* Each line filed under its tunnel in the model. */
	assert_string_equal(r.ike_tunnel, "psk-v2");
	assert_int_equal(r.ike_other, 0);
	/* The model's tool events, as the dashboard will see them. */
	assert_string_equal(r.opened, "203.0.113.12");
	assert_string_equal(r.closed, "debug off, reset and filter cleared");
	/* The lookup session ended before the debug; the debug lived on. */
	{
		char *log = sim_read_file(fx->sim.log);
		char *lost = strstr(log, "\"conn\":1,\"reason\":\"closed\"");
		char *on = strstr(log, "\"change\":\"on\"");

		assert_non_null(lost);
		assert_non_null(on);
		tu_assert_cmp(lost, <, on);
		free(log);
	}
	conn = conn_of(fx, "diagnose debug enable", conn);
	expect_undo(fx, conn);
	check_log(fx, 1);
	/* Ctrl-C, SIGTERM, SIGHUP while debug runs. */
	for (i = 0; i < 3; i++) {
		pid = debug_started(fx, NULL);
		kill(pid, sigs[i]);
		assert_int_equal(sim_reap(pid, 30, 0), 0);
		read_result(fx->sim.out, &r);
		assert_string_equal(r.status, "ok");
		conn = conn_of(fx, "diagnose debug enable", conn);
		expect_undo(fx, conn);
		check_log(fx, 1);
		sim_cleanup(&fx->sim);
		sim_init(&fx->sim);
		start(fx, sim_scenario("faults.scn"));
		conn = 0;
	}
	/* A signal during a sniffer: Ctrl-C to the device, exit 0. */
	{
		static const char *const a[] = { "sniff", "d0", "--peer",
		    "hq-ok", "--count", "100000", NULL };
		char *log;

		pid = spawn(fx, fx->sim.out, a);
		log = sim_log_wait(&fx->sim, "diagnose sniffer packet", 15000);
		free(log);
		usleep(500000);
		kill(pid, SIGINT);
		assert_int_equal(sim_reap(pid, 30, 0), 0);
		read_result(fx->sim.out, &r);
		assert_string_equal(r.status, "stopped");
		check_log(fx, 1);
	}
}

static void
test_sigkill_duration(void **state)
{
	struct fx	*fx = *state;
	pid_t		 pid;
	char		*cmds, *d, *en, *log;
	int		 conn;

	start(fx, sim_scenario("faults.scn"));
	pid = debug_started(fx, "120");
	kill(pid, SIGKILL);
	assert_int_equal(sim_reap(pid, 10, 0), -SIGKILL);
	conn = conn_of(fx, "diagnose debug enable", 0);
	cmds = conn_commands(fx, conn);
	/* 120 s: the device's timer is 2 minutes past... never 0. */
	d = strstr(cmds, "diagnose debug duration 4\n");
	en = strstr(cmds, "diagnose debug enable\n");
	if (d == NULL || en == NULL || d > en)
		fail_msg("no `diagnose debug duration 4' before enable:\n%s",
		    cmds);
	assert_null(strstr(cmds, "diagnose debug duration 0"));
	free(cmds);
	/* What is left on the box: debug on, bounded by that timer. */
	log = log_settled(fx);
	assert_non_null(strstr(log, "\"debug\":{\"enabled\":true,"
	    "\"ike_level\":-1,\"filter_set\":true}"));
	free(log);
	check_log(fx, 0);
}

/* The device drops the debug session: the next one undoes first. */
static const char scn_drop[] =
    "device FGT-DROP\n"
    "  version 7.2.8\n"
    "  fault drop after 5000\n"
    "  tunnel to-dc\n"
    "    local 198.51.100.9\n"
    "    remote 203.0.113.90\n"
    "    ike 2\n"
    "    direction responder\n"
    "    phase2 to-dc src 10.9.0.0/24 dst 10.90.0.0/24\n"
    "    fault psk-mismatch\n";

static void
test_drop_reconnect(void **state)
{
	struct fx	*fx = *state;
	struct res	 r;
	char		*cmds, *log;
	int		 c1, c2, c, n;

	start(fx, scenario_file(fx, scn_drop));
	run(fx, &r, "debug", "d0", "--peer", "to-dc", "--seconds", "8",
	    NULL);
	log = log_settled(fx);
	if (strstr(log, "\"reason\":\"dropped\"") == NULL)
		fail_msg("the device never dropped a session:\n%s", log);
	free(log);
	c1 = conn_of(fx, "diagnose debug enable", 0);
	tu_assert_cmp(c1, >, 0);
	c2 = conn_of(fx, "diagnose debug disable", c1);
	tu_assert_cmp(c2, >, c1);
	/*
	 * Every debug session, the first and each reconnect, begins with
	 * the undo, before anything else.
	 */
	for (c = c1, n = 0; c > 0; c = conn_of(fx, "diagnose debug reset",
	    c)) {
		cmds = conn_commands(fx, c);
		expect_prefix("debug session", cmds, "diagnose debug disable\n"
		    "diagnose debug reset\n"
		    "diagnose vpn ike log-filter clear\n");
		free(cmds);
		n++;
	}
	tu_assert_cmp(n, >=, 2);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.status, "ok");
	check_log(fx, 0);
}

/* Two tools at once on one device: each its own session, both clean. */
static void
test_two_tools(void **state)
{
	static const char *const dbg[] = { "debug", "d0", "--peer", "psk-v1",
	    "--seconds", "4", NULL };
	static const char *const snf[] = { "sniff", "d0", "--peer", "silent",
	    "--count", "2", "--seconds", "20", NULL };
	struct fx	*fx = *state;
	struct res	 r;
	char		 out2[256];
	pid_t		 a, b;

	start(fx, sim_scenario("faults.scn"));
	snprintf(out2, sizeof out2, "%s", sim_path(&fx->sim, "out2"));
	a = spawn(fx, fx->sim.out, dbg);
	b = spawn(fx, out2, snf);
	assert_int_equal(sim_reap(a, 40, 0), 0);
	assert_int_equal(sim_reap(b, 40, 0), 0);
	read_result(fx->sim.out, &r);
	assert_string_equal(r.status, "ok");
	assert_string_equal(r.tunnel, "psk-v1");
	read_result(out2, &r);
	assert_string_equal(r.reading, "2 IKE packets out to 203.0.113.18:500,"
	    " none back: the peer does not answer on UDP 500");
	check_log(fx, 1);
}

/* ---- one debug session, two viewers: the filter is replaced --------- */

struct watch {
	int	 started;
	int	 done;
	char	 why[256];
};

static void
w_started(void *arg, enum debug_syntax syn)
{
	((struct watch *)arg)->started++;
}

static void
w_done(void *arg, const char *why)
{
	struct watch	*w = arg;

	w->done = 1;
	snprintf(w->why, sizeof w->why, "%s", why != NULL ? why : "");
}

/* Turn the loop until cond or 20 s. */
#define TURN_UNTIL(loop, cond) do {					\
	double until_ = sim_now() + 20;					\
	while (!(cond) && sim_now() < until_) {				\
		uv_run((loop), UV_RUN_NOWAIT);				\
		usleep(10000);						\
	}								\
	if (!(cond))							\
		fail_msg("timed out waiting for " #cond);		\
} while (0)

static void
test_debug_two_viewers(void **state)
{
	static const struct debug_cb cb = { NULL, w_started, w_done };
	struct fx		*fx = *state;
	struct watch		 w;
	struct conn_opts	 co;
	struct debug_opts	 o;
	struct model		*m;
	struct mdev		*md;
	struct debug		*d;
	uv_loop_t		 loop;
	char			*cmds, *p;
	int			 c;

	start(fx, sim_scenario("faults.scn"));
	memset(&w, 0, sizeof w);
	memset(&co, 0, sizeof co);
	co.dest = "127.0.0.1";
	co.port = fx->sim.port;
	co.user = "admin";
	co.password = "fgtsim";
	co.ssh_config = "none";
	co.known_hosts = fx->sim.kh;
	co.accept_new = 1;
	co.no_agent = 1;
	memset(&o, 0, sizeof o);
	o.duration_min = 2;
	o.cmd_timeout_ms = 10000;
	assert_int_equal(uv_loop_init(&loop), 0);
	m = model_new();
	md = model_add_device(m, "fw", "127.0.0.1", fx->sim.port);
	d = debug_new(&loop, m, md, &co, &o, DEBUG_SYNTAX_NEW, &cb, &w);
	assert_int_equal(debug_watch(d, "203.0.113.12"), 0);
	TURN_UNTIL(&loop, w.started == 1);
	/* A second viewer: the filter moves to its peer... */
	assert_int_equal(debug_watch(d, "203.0.113.11"), 0);
	TURN_UNTIL(&loop, log_count(fx, "rem-addr4 203.0.113.11") == 1);
	/* ...and back to the first one's when it leaves. */
	debug_unwatch(d, "203.0.113.11");
	TURN_UNTIL(&loop, log_count(fx, "rem-addr4 203.0.113.12") == 2);
	TURN_UNTIL(&loop, md->tools != NULL && md->tools->nlines > 0);
	/* The last viewer gone: the undo, then done. */
	debug_unwatch(d, "203.0.113.12");
	TURN_UNTIL(&loop, w.done);
	assert_string_equal(w.why, "");
	assert_int_equal(debug_sessions(d), 1);
	debug_free(d);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	/* Lines kept in the model, sanitised, classified. */
	assert_non_null(mtools_line(md->tools, 0)->topic);
	assert_non_null(strstr(mtools_line(md->tools, 0)->text, "ike"));
	model_free(m);
	c = conn_last(fx, "diagnose debug enable");
	cmds = conn_commands(fx, c);
	p = strstr(cmds, "rem-addr4 203.0.113.12\n");
	assert_non_null(p);
	p = strstr(p, "rem-addr4 203.0.113.11\n");
	assert_non_null(p);
	p = strstr(p, "rem-addr4 203.0.113.12\n");
	assert_non_null(p);
	assert_non_null(strstr(p, "diagnose debug disable\n"
	    "diagnose debug reset\ndiagnose vpn ike log filter clear\n"));
	free(cmds);
	check_log(fx, 1);
}

/* Readings the fault classes do not reach, on text as devices print it. */
static void
test_reading_edges(void **state)
{
	static const char nort[] = "Routing table for VRF=0\n"
	    "% Network not in table\n";
	static const char conn[] = "Routing table for VRF=0\n"
	    "Routing entry for 10.1.0.0/24\n"
	    "  Known via \"connected\", distance 0, metric 0, best\n"
	    "  * is directly connected, port3\n";
	static const char dead[] = "traceroute to 10.9.9.9 (10.9.9.9), 32 "
	    "hops max, 3 probe packets per hop, 84 byte packets\n"
	    " 1  * * *\n 2  * * *\n 3  * * *\n";
	static const char none[] = "interfaces=[any]\n"
	    "filters=[host 10.9.9.9 and udp port 500]\n\n"
	    "0 packets received by filter\n0 packets dropped by kernel\n";
	static const char nat[] = "interfaces=[any]\n"
	    "filters=[host 10.9.9.9 and udp port 4500]\n"
	    "1.0 wan1 out 10.0.0.1.4500 -> 10.9.9.9.4500: udp 100\n"
	    "2.0 wan1 out 10.0.0.1.4500 -> 10.9.9.9.4500: udp 100\n";
	static const char evil[] = "interfaces=[any]\n"
	    "1.0 wan1\033]52;c;AAAA\007 in 10.9.9.9.500 -> 10.0.0.1.500: "
	    "udp 100\n";
	char			 buf[READING_MAX];
	struct routing_table	*rt;
	struct traceroute	*tr;
	struct sniffer		*sn;

	rt = routing_table_parse(nort, strlen(nort));
	assert_string_equal(reading_route(buf, sizeof buf, rt, "10.9.9.9",
	    "wan1"), "no active route to 10.9.9.9: this is why IKE says "
	    "could not send IKE Packet");
	routing_table_free(rt);
	rt = routing_table_parse(conn, strlen(conn));
	assert_string_equal(reading_route(buf, sizeof buf, rt, "10.1.0.9",
	    NULL), "active route: 10.1.0.9 is directly connected on port3");
	routing_table_free(rt);
	tr = traceroute_parse(dead, strlen(dead));
	assert_string_equal(reading_trace(buf, sizeof buf, tr),
	    "no hop answers: the path stops at the first hop");
	traceroute_free(tr);
	sn = sniffer_parse(none, strlen(none));
	assert_string_equal(reading_sniff(buf, sizeof buf, sn, "10.9.9.9"),
	    "no IKE packets to or from 10.9.9.9: this side is not "
	    "negotiating");
	sniffer_free(sn);
	sn = sniffer_parse(nat, strlen(nat));
	assert_string_equal(reading_sniff(buf, sizeof buf, sn, "10.9.9.9"),
	    "2 IKE packets out to 10.9.9.9:4500, none back: the peer does "
	    "not answer on UDP 4500");
	sniffer_free(sn);
	/* Device text in a reading never carries an escape sequence. */
	sn = sniffer_parse(evil, strlen(evil));
	reading_sniff(buf, sizeof buf, sn, "10.9.9.9\033[2J");
	assert_null(strchr(buf, '\033'));
	sniffer_free(sn);
	/* Truncated to the buffer, still a string. */
	reading_trace(buf, 8, NULL);
	assert_string_equal(buf, "no trac");
}

/* The model keeps the newest lines and results only. */
static void
test_model_rings(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw", "127.0.0.1", 22);
	const struct mdebug_line *l;
	char		 buf[32];
	int		 i;

	for (i = 0; i < MODEL_DEBUG_LINES + 44; i++) {
		snprintf(buf, sizeof buf, "line %d\033[2J", i);
		model_debug_line(d, NULL, i, buf, strlen(buf), i == 299,
		    "info", NULL);
	}
	for (i = 0; i < MODEL_TOOL_RESULTS + 3; i++) {
		snprintf(buf, sizeof buf, "reading %d", i);
		model_tool_result(d, NULL, i, "trace", "10.0.0.1", buf, NULL);
	}
	assert_int_equal(d->tools->nlines, MODEL_DEBUG_LINES);
	assert_int_equal(d->tools->lines_total, MODEL_DEBUG_LINES + 44);
	l = mtools_line(d->tools, 0);
	assert_string_equal(l->text, "line 44");
	l = mtools_line(d->tools, MODEL_DEBUG_LINES - 1);
	assert_string_equal(l->text, "(key material hidden)");
	assert_null(mtools_line(d->tools, MODEL_DEBUG_LINES));
	assert_string_equal(mtools_result(d->tools, 0)->reading, "reading 3");
	assert_int_equal(d->tools->nresults, MODEL_TOOL_RESULTS);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_rings),
		cmocka_unit_test(test_reading_edges),
		cmocka_unit_test_setup_teardown(test_readings_faults,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_cleanup_signals,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_sigkill_duration,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_drop_reconnect,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_two_tools,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_debug_two_viewers,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_every_flavour,
		    setup, sim_teardown_state),
	};

	/* TEST_FILTER=test_drop_reconnect runs one (mutation checks). */
	if (getenv("TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
