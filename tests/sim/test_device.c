/*
 * test_device - fgtsim's device half, in process: every scenario loads,
 * every poll command's output parses with fgtop's own parsers into the
 * state the scenario means, the walk-through outputs equal the real
 * captures byte for byte, each fault's debug lines classify as that
 * fault, time moves counters, lifetimes and states deterministically,
 * and the CLI behaves like FortiOS (abbreviations, errors, VDOMs, debug
 * state, the read-only refusal).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "sim.h"
#include "ike_debug.h"
#include "tunnel_summary.h"

#define SCN(name)	TOP_SRCDIR "/tests/sim/scenarios/" name

static struct sim_world *
load(const char *path)
{
	struct sim_world	*w;
	char			 err[512];

	if ((w = sim_world_load(path, err, sizeof(err))) == NULL)
		fail_msg("%s: %s", path, err);
	return (w);
}

/* Run one command at time now; the caller frees the text. */
static char *
run(struct sim_cli *c, const char *cmd, double now, int *rc)
{
	struct sbuf	 out = { NULL, 0, 0 };
	int		 r;

	r = sim_cli_exec(c, cmd, &out, now);
	if (rc != NULL)
		*rc = r;
	if (out.buf == NULL)
		sbuf_addstr(&out, "");
	return (out.buf);
}

static char *
json_of(const char *kind, const char *text)
{
	const struct kind	*k = kind_find(kind);

	assert_non_null(k);
	return (tu_report(k, text, strlen(text)));
}

static size_t
count_of(const char *kind, const char *text)
{
	const struct kind	*k = kind_find(kind);
	void			*r;
	size_t			 n;

	assert_non_null(k);
	r = k->parse(text, strlen(text));
	assert_non_null(r);
	n = k->count(r);
	k->free(r);
	return (n);
}

static void
expect_has(const char *json, const char *frag, const char *what)
{
	tu_has(json, frag, what);
}

/* ---- every scenario, every poll command ------------------------------- */

static void
poll_device(struct sim_device *d, double now)
{
	const struct sim_devinfo *di = sim_device_info(d);
	struct sim_cli		*c = sim_cli_new(d);
	char			*o, cmd[128];
	size_t			 v;

	o = run(c, "get system status", now, NULL);
	if (count_of("system-status", o) == 0)
		fail_msg("%s: system status does not parse", di->hostname);
	free(o);
	for (v = 0; v < di->nvdoms; v++) {
		if (di->multi_vdom) {
			free(run(c, "config vdom", now, NULL));
			snprintf(cmd, sizeof(cmd), "edit %s", di->vdoms[v]);
			free(run(c, cmd, now, NULL));
		}
		o = run(c, "get vpn ipsec tunnel summary", now, NULL);
		if (count_of("tunnel-summary", o) == 0)
			fail_msg("%s/%s: summary empty", di->hostname,
			    di->vdoms[v]);
		free(o);
		o = run(c, "diagnose vpn ike gateway list", now, NULL);
		if (count_of("ike-gateway-list", o) == 0)
			fail_msg("%s/%s: gateway list empty", di->hostname,
			    di->vdoms[v]);
		free(o);
		o = run(c, "diagnose vpn tunnel list", now, NULL);
		if (count_of("tunnel-list", o) == 0)
			fail_msg("%s/%s: tunnel list empty", di->hostname,
			    di->vdoms[v]);
		free(o);
		o = run(c, "get router info routing-table all", now, NULL);
		if (count_of("routing-table", o) == 0)
			fail_msg("%s/%s: routing table empty", di->hostname,
			    di->vdoms[v]);
		free(o);
		if (di->multi_vdom)
			free(run(c, "end", now, NULL));
	}
	sim_cli_free(c);
}

static void
test_all_scenarios(void **state)
{
	static const char *const files[] = { "walkthrough.scn", "faults.scn",
	    "hub.scn", "multivdom.scn", "demo.scn", NULL };
	struct sim_world	*w;
	char			 path[512];
	size_t			 i, d;
	double			 t;

	for (i = 0; files[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/tests/sim/scenarios/%s",
		    TOP_SRCDIR, files[i]);
		w = load(path);
		assert_true(sim_world_ndevices(w) > 0);
		for (t = 0; t <= 200; t += 100) {
			sim_world_advance(w, t);
			for (d = 0; d < sim_world_ndevices(w); d++)
				poll_device(sim_world_device(w, d), t);
		}
		sim_world_free(w);
	}
}

/* ---- the walk-through equals the real captures ------------------------ */

/* The fixture without its first line (the echoed command). */
static char *
fixture_body(const char *rel)
{
	char	*buf, *nl, *body;
	size_t	 len;

	buf = tu_fixture(rel, &len);
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	body = strdup(nl + 1);
	free(buf);
	return (body);
}

static void
same(const char *rel, const char *got)
{
	char	*want = fixture_body(rel);

	if (strcmp(want, got) != 0)
		fail_msg("%s differs:\n--- want\n%s--- got\n%s", rel, want, got);
	free(want);
}

static void
test_walkthrough_equal(void **state)
{
	struct sim_world	*w = load(SCN("walkthrough.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	char			*o;

	o = run(c, "get vpn ipsec tunnel summary", 0, NULL);
	same("real/tunnel-summary/00-walkthrough-jp-blog-2-tunnels-one-down.txt",
	    o);
	free(o);
	o = run(c, "diagnose vpn ike gateway list name to10.189.0.182", 0,
	    NULL);
	same("real/ike-gateway-list/"
	    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt", o);
	free(o);
	o = run(c, "diagnose vpn tunnel list name to10.189.0.182", 0, NULL);
	same("real/tunnel-list/00-walkthrough-jp-blog-by-name-sa0.txt", o);
	free(o);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_walkthrough_state(void **state)
{
	struct sim_world	*w = load(SCN("walkthrough.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	char			*o, *j;

	sim_world_advance(w, 60);
	o = run(c, "get vpn ipsec tunnel summary", 60, NULL);
	j = json_of("tunnel-summary", o);
	expect_has(j, "\"name\":\"to10.189.0.182\"", "summary");
	expect_has(j, "\"selectors_total\":1,\"selectors_up\":0,", "1/0");
	expect_has(j, "\"selectors_total\":1,\"selectors_up\":1,", "1/1");
	free(j);
	free(o);
	o = run(c, "diag vpn ike gateway list name to10.189.0.182", 60, NULL);
	j = json_of("ike-gateway-list", o);
	expect_has(j, "\"status\":\"connecting\"", "phase 1 connecting");
	expect_has(j, "\"direction\":\"responder\"", "responder");
	expect_has(j, "\"created_ago_s\":75,", "created grows with time");
	free(j);
	free(o);
	o = run(c, "diag vpn tunnel list name to10.189.0.182", 60, NULL);
	j = json_of("tunnel-list", o);
	expect_has(j, "\"sa\":0,", "sa=0");
	free(j);
	free(o);
	sim_cli_free(c);
	sim_world_free(w);
}

/* ---- faults: each tunnel's debug classifies as its failure ------------ */

static char *
debug_capture(struct sim_world *w, const char *filter, double from,
    double to)
{
	struct sim_cli	*c = sim_cli_new(sim_world_device(w, 0));
	struct sbuf	 out = { NULL, 0, 0 };
	char		 cmd[128];
	double		 t;

	snprintf(cmd, sizeof(cmd), "diagnose vpn ike log filter name %s",
	    filter);
	sim_world_advance(w, from);
	free(run(c, "diagnose vpn ike log filter clear", from, NULL));
	free(run(c, cmd, from, NULL));
	free(run(c, "diagnose debug application ike -1", from, NULL));
	free(run(c, "diagnose debug enable", from, NULL));
	for (t = from; t <= to; t += 0.5) {
		sim_world_advance(w, t);
		sim_cli_stream(c, &out, t);
	}
	sim_cli_free(c);
	if (out.buf == NULL)
		sbuf_addstr(&out, "");
	return (out.buf);
}

static int
has_rule(const struct ike_debug *r, const char *rule, const char *gw)
{
	size_t	 i;

	for (i = 0; i < r->nevents; i++)
		if (r->events[i].rule != NULL &&
		    strcmp(r->events[i].rule, rule) == 0)
			return (1);
	return (0);
}

static void
test_faults_debug(void **state)
{
	static const struct {
		const char	*tunnel, *rule;
	} want[] = {
		{ "psk-v1", "P1-PSK-V1" },
		{ "psk-v2", "P1-PSK-V2" },
		{ "prop-v1", "P1-NO-PROPOSAL" },
		{ "sel-v2", "P2-TS-INIT-V2" },
		{ "noroute", "P1-NO-ROUTE" },
		{ "natt", "P1-NATT-4500-BLOCKED" },
		{ "silent", "P1-RETRANSMIT-TIMEOUT" },
		{ "dpd", "DPD-V1-FAIL" },
		{ "flap", "DPD-V2-RETRANS" },
		{ "nopol", "P1-NO-POLICY" },
	};
	struct sim_world	*w;
	struct ike_debug	*r;
	char			*o;
	size_t			 i, j;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		w = load(SCN("faults.scn"));
		o = debug_capture(w, want[i].tunnel, 100, 400);
		r = ike_debug_parse(o, strlen(o));
		assert_non_null(r);
		if (!has_rule(r, want[i].rule, want[i].tunnel))
			fail_msg("%s: no %s in %zu events", want[i].tunnel,
			    want[i].rule, r->nevents);
		/* The filter let through this tunnel's lines only. */
		for (j = 0; j < r->nevents; j++)
			if (r->events[j].gateway != NULL &&
			    strchr(r->events[j].gateway, '/') == NULL &&
			    strcmp(r->events[j].gateway, want[i].tunnel) != 0)
				fail_msg("%s: line of %s leaked", want[i].tunnel,
				    r->events[j].gateway);
		ike_debug_free(r);
		free(o);
		sim_world_free(w);
	}
	/* A healthy tunnel shows no failure at all. */
	w = load(SCN("faults.scn"));
	o = debug_capture(w, "hq-ok", 100, 400);
	r = ike_debug_parse(o, strlen(o));
	assert_non_null(r);
	assert_true(r->nevents > 0);
	for (j = 0; j < r->nevents; j++)
		if (r->events[j].cls == IKE_C_FAILURE)
			fail_msg("hq-ok: failure %s", r->events[j].text);
	ike_debug_free(r);
	free(o);
	sim_world_free(w);
}

static void
test_faults_state(void **state)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	char			*o, *j, *o2, *j2;

	o = run(c, "diag vpn tunnel list name snat", 100, NULL);
	j = json_of("tunnel-list", o);
	expect_has(j, "\"sa\":1,", "snat sa=1");
	expect_has(j, "\"rxp\":1200,\"txp\":0,", "snat decrypt only");
	sim_world_advance(w, 110);
	o2 = run(c, "diag vpn tunnel list name snat", 110, NULL);
	j2 = json_of("tunnel-list", o2);
	expect_has(j2, "\"rxp\":1320,\"txp\":0,", "dec grows, enc flat");
	free(j);
	free(o);
	free(j2);
	free(o2);
	o = run(c, "diag vpn ike gateway list name sel-v2", 110, NULL);
	j = json_of("ike-gateway-list", o);
	expect_has(j, "\"status\":\"established\"", "sel-v2 phase 1 up");
	free(j);
	free(o);
	o = run(c, "diag vpn tunnel list name sel-v2", 110, NULL);
	j = json_of("tunnel-list", o);
	expect_has(j, "\"sa\":0,", "sel-v2 sa=0");
	free(j);
	free(o);
	/* No route toward the peer on its own interface: wan2 is down. */
	o = run(c, "get router info routing-table all", 110, NULL);
	if (strstr(o, "wan2") != NULL)
		fail_msg("wan2 should be down:\n%s", o);
	free(o);
	o = run(c, "execute traceroute-options source 192.0.2.10", 110, NULL);
	assert_string_equal(o, "");
	free(o);
	o = run(c, "execute traceroute 203.0.113.16", 110, NULL);
	if (strstr(o, "Network is unreachable") == NULL)
		fail_msg("traceroute from a down wan: %s", o);
	free(o);
	sim_cli_free(c);
	sim_world_free(w);
}

/* ---- time ------------------------------------------------------------- */

static void
test_time_deterministic(void **state)
{
	static const char *const cmds[] = { "get vpn ipsec tunnel summary",
	    "diagnose vpn tunnel list", "diagnose vpn ike gateway list",
	    "get router info routing-table all", NULL };
	struct sim_world	*a = load(SCN("faults.scn"));
	struct sim_world	*b = load(SCN("faults.scn"));
	struct sim_cli		*ca, *cb;
	char			*x, *y;
	double			 t;
	size_t			 i;

	/* One world jumps, the other crawls: same model at t = 1000. */
	sim_world_advance(a, 1000);
	for (t = 0; t <= 1000; t += 0.37)
		sim_world_advance(b, t);
	sim_world_advance(b, 1000);
	ca = sim_cli_new(sim_world_device(a, 0));
	cb = sim_cli_new(sim_world_device(b, 0));
	for (i = 0; cmds[i] != NULL; i++) {
		x = run(ca, cmds[i], 1000, NULL);
		y = run(cb, cmds[i], 1000, NULL);
		if (strcmp(x, y) != 0)
			fail_msg("%s differs with the step size", cmds[i]);
		free(x);
		free(y);
	}
	sim_cli_free(ca);
	sim_cli_free(cb);
	sim_world_free(a);
	sim_world_free(b);
}

static void
test_rekey(void **state)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	char			*o, *before, *after;
	double			 t, rekey = -1;
	int			 saw2 = 0;

	/* keylife 43200: the first rekey comes before 43200 s. */
	o = run(c, "diag vpn tunnel list name hq-ok", 10, NULL);
	before = strdup(strstr(o, "dec: spi="));
	free(o);
	for (t = 42000; t < 43300 && rekey < 0; t += 1) {
		sim_world_advance(w, t);
		o = run(c, "diag vpn tunnel list name hq-ok", t, NULL);
		if (strstr(o, " sa=2 ") != NULL) {
			saw2 = 1;
			rekey = t;
		}
		free(o);
	}
	assert_true(saw2);
	sim_world_advance(w, rekey + 5);
	o = run(c, "diag vpn tunnel list name hq-ok", rekey + 5, NULL);
	if (strstr(o, " sa=1 ") == NULL)
		fail_msg("sa=2 should be brief:\n%s", o);
	after = strdup(strstr(o, "dec: spi="));
	free(o);
	if (strncmp(before, after, 18) == 0)
		fail_msg("the SPI did not change at rekey");
	free(before);
	free(after);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_timeline_and_flap(void **state)
{
	struct sim_world	*w = load(SCN("demo.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sim_cli		*c2 = sim_cli_new(sim_world_device(w, 1));
	char			*o;
	double			 t;
	int			 ups = 0, downs = 0, was = -1, up;

	o = run(c, "get vpn ipsec tunnel summary", 10, NULL);
	assert_non_null(strstr(o, "'to-dc2' 203.0.113.2:0  selectors(total,"
	    "up): 1/1"));
	free(o);
	sim_world_advance(w, 40);
	o = run(c, "get vpn ipsec tunnel summary", 40, NULL);
	assert_non_null(strstr(o, "'to-dc2' 203.0.113.2:0  selectors(total,"
	    "up): 1/0"));
	free(o);
	sim_world_advance(w, 100);
	o = run(c, "diag vpn ike gateway list name to-dc2", 100, NULL);
	assert_non_null(strstr(o, "established 10-10s ago"));
	assert_non_null(strstr(o, "IKE SA: created 1/2"));
	free(o);
	/* flaky-lte on the 7.4 box goes up and down on its own. */
	for (t = 100; t < 1000; t += 5) {
		sim_world_advance(w, t);
		o = run(c2, "get vpn ipsec tunnel summary", t, NULL);
		up = strstr(o, "'flaky-lte' 198.51.100.90:0  selectors(total,"
		    "up): 1/1") != NULL;
		if (was >= 0 && up != was)
			*(up ? &ups : &downs) += 1;
		was = up;
		free(o);
	}
	if (ups < 3 || downs < 3)
		fail_msg("flapping: %d ups, %d downs", ups, downs);
	sim_cli_free(c);
	sim_cli_free(c2);
	sim_world_free(w);
}

/* ---- the CLI ---------------------------------------------------------- */

static void
test_cli_errors(void **state)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	char			*o, *p;

	assert_string_equal(sim_cli_prompt(c), "FGT-FAULTS # ");
	o = run(c, "get sys stat", 0, NULL);
	assert_non_null(strstr(o, "Version: FortiGate-60F v7.4.3,build2573,"
	    "240201 (GA.M)\n"));
	free(o);
	o = run(c, "diag vpn tun list name hq-ok", 0, NULL);
	p = run(c, "diagnose vpn tunnel list name hq-ok", 0, NULL);
	assert_string_equal(o, p);
	free(o);
	free(p);
	o = run(c, "frobnicate", 0, NULL);
	assert_string_equal(o, "Unknown action 0\n");
	free(o);
	o = run(c, "get vpn ipsec tunnel sumary", 0, NULL);
	assert_string_equal(o, "command parse error before 'sumary'\n"
	    "Command fail. Return code -61\n");
	free(o);
	/* 7.4.3 has the new filter syntax only. */
	o = run(c, "diagnose vpn ike log-filter dst-addr4 203.0.113.1", 0,
	    NULL);
	assert_string_equal(o, "command parse error before 'log-filter'\n"
	    "Command fail. Return code -61\n");
	free(o);
	/* Read-only: no configuration, no destructive execute. */
	o = run(c, "config vpn ipsec phase1-interface", 0, NULL);
	assert_non_null(strstr(o, "Command fail"));
	free(o);
	o = run(c, "execute reboot", 0, NULL);
	assert_non_null(strstr(o, "Command fail"));
	free(o);
	o = run(c, "config vdom", 0, NULL);
	assert_non_null(strstr(o, "command parse error before 'vdom'"));
	free(o);
	sim_cli_free(c);
	sim_world_free(w);

	/* 7.2 (the hub) has the old syntax: `log` abbreviates log-filter. */
	w = load(SCN("hub.scn"));
	c = sim_cli_new(sim_world_device(w, 0));
	o = run(c, "diagnose vpn ike log filter rem-addr4 100.64.0.2", 0, NULL);
	assert_string_equal(o, "command parse error before 'filter'\n"
	    "Command fail. Return code -61\n");
	free(o);
	o = run(c, "diagnose vpn ike log-filter dst-addr4 100.64.0.2", 0, NULL);
	assert_string_equal(o, "");
	free(o);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_multivdom(void **state)
{
	struct sim_world	*w = load(SCN("multivdom.scn"));
	struct sim_device	*d = sim_world_device(w, 0);
	const struct sim_devinfo *di = sim_device_info(d);
	struct sim_cli		*c = sim_cli_new(d);
	char			*o;

	assert_int_equal(di->nvdoms, 3);
	assert_true(di->multi_vdom);
	assert_non_null(di->banner);
	o = run(c, "get vpn ipsec tunnel summary", 0, NULL);
	assert_string_equal(o, "command parse error before 'vpn'\n"
	    "Command fail. Return code -61\n");
	free(o);
	free(run(c, "config vdom", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP (vdom) # ");
	free(run(c, "edit CUST-A", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP (CUST-A) # ");
	assert_string_equal(sim_cli_vdom(c), "CUST-A");
	o = run(c, "get vpn ipsec tunnel summary", 0, NULL);
	assert_non_null(strstr(o, "'custa-hq'"));
	assert_null(strstr(o, "'mgmt-vpn'"));
	free(o);
	o = run(c, "diagnose vpn ike gateway list", 0, NULL);
	assert_non_null(strstr(o, "vd: CUST-A/1\n"));
	free(o);
	free(run(c, "end", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP # ");
	free(run(c, "config global", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP (global) # ");
	o = run(c, "get system status", 0, NULL);
	assert_non_null(strstr(o, "Virtual domain configuration: multiple\n"));
	free(o);
	free(run(c, "end", 0, NULL));
	o = run(c, "edit root", 0, NULL);
	assert_non_null(strstr(o, "Command fail"));
	free(o);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_debug_state(void **state)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sim_debug_state	 ds;
	struct sbuf		 out = { NULL, 0, 0 };
	char			*o;

	free(run(c, "diagnose vpn ike log filter rem-addr4 203.0.113.18", 0,
	    NULL));
	free(run(c, "diagnose debug console timestamp enable", 0, NULL));
	free(run(c, "diag debug app ike -1", 0, NULL));
	free(run(c, "diag debug enable", 0, NULL));
	sim_cli_debug_state(c, &ds);
	assert_int_equal(ds.enabled, 1);
	assert_int_equal(ds.ike_level, -1);
	assert_int_equal(ds.filter_set, 1);
	sim_world_advance(w, 40);
	assert_int_equal(sim_cli_stream(c, &out, 40), SIM_DONE);
	assert_non_null(strstr(out.buf, "2025-12-01 08:00:"));
	assert_non_null(strstr(out.buf, ":silent:"));
	assert_non_null(strstr(out.buf, "RETRANSMIT_SA_INIT"));
	assert_null(strstr(out.buf, ":natt:"));
	sbuf_reset(&out);
	/* disable stops printing; the level stays until reset. */
	free(run(c, "diagnose debug disable", 40, NULL));
	sim_cli_stream(c, &out, 80);
	assert_int_equal(out.len, 0);
	sim_cli_debug_state(c, &ds);
	assert_int_equal(ds.enabled, 0);
	assert_int_equal(ds.ike_level, -1);
	o = run(c, "diagnose debug info", 80, NULL);
	assert_non_null(strstr(o, "ike debug level:        -1\n"));
	free(o);
	free(run(c, "diagnose debug reset", 80, NULL));
	sim_cli_debug_state(c, &ds);
	assert_int_equal(ds.ike_level, 0);
	free(run(c, "diagnose vpn ike log filter clear", 80, NULL));
	sim_cli_debug_state(c, &ds);
	assert_int_equal(ds.filter_set, 0);
	/* 7.x turns debug off by itself after 30 minutes. */
	free(run(c, "diag debug app ike -1", 100, NULL));
	free(run(c, "diag debug enable", 100, NULL));
	sim_world_advance(w, 100 + 1801);
	sim_cli_stream(c, &out, 100 + 1801);
	sim_cli_debug_state(c, &ds);
	assert_int_equal(ds.enabled, 0);
	sbuf_free(&out);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_sniffer(void **state)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sbuf		 out = { NULL, 0, 0 };
	double			 t;
	int			 rc = SIM_STREAMING;
	char			*o, *j;

	sim_world_advance(w, 100);
	o = run(c, "diagnose sniffer packet any 'host 203.0.113.18 and udp "
	    "port 500' 4 3 l", 100, &rc);
	assert_int_equal(rc, SIM_STREAMING);
	sbuf_addstr(&out, o);
	free(o);
	for (t = 100; t < 200 && rc == SIM_STREAMING; t += 0.5) {
		sim_world_advance(w, t);
		rc = sim_cli_stream(c, &out, t);
	}
	assert_int_equal(rc, SIM_DONE);
	assert_non_null(strstr(out.buf, "filters=[host 203.0.113.18 and udp "
	    "port 500]\n"));
	assert_non_null(strstr(out.buf, " wan1 out 198.51.100.10.500 -> "
	    "203.0.113.18.500: udp 597\n"));
	assert_null(strstr(out.buf, " in "));
	assert_non_null(strstr(out.buf, "\n3 packets received by filter\n"
	    "0 packets dropped by kernel\n"));
	j = json_of("sniffer", out.buf);
	expect_has(j, "\"direction\":\"out\"", "outbound packets");
	free(j);
	sbuf_reset(&out);
	/* Unlimited count: Ctrl-C ends it with the counts. */
	o = run(c, "diag sniffer packet any 'host 203.0.113.1' 1", 200, &rc);
	assert_int_equal(rc, SIM_STREAMING);
	free(o);
	sim_world_advance(w, 203);
	assert_int_equal(sim_cli_stream(c, &out, 203), SIM_STREAMING);
	sim_cli_interrupt(c, &out);
	assert_non_null(strstr(out.buf, "packets received by filter"));
	assert_non_null(strstr(out.buf, "203.0.113.1: ip-proto-50 152\n"));
	sbuf_free(&out);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_traceroute(void **state)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sbuf		 out = { NULL, 0, 0 };
	double			 t;
	int			 rc;
	char			*o;

	o = run(c, "execute traceroute 203.0.113.1", 0, &rc);
	sbuf_addstr(&out, o);
	free(o);
	for (t = 0; t < 30 && rc == SIM_STREAMING; t += 0.25)
		rc = sim_cli_stream(c, &out, t);
	assert_int_equal(rc, SIM_DONE);
	assert_non_null(strstr(out.buf, "traceroute to 203.0.113.1 "
	    "(203.0.113.1), 32 hops max"));
	assert_non_null(strstr(out.buf, " 1  198.51.100.1  "));
	assert_true(count_of("traceroute", out.buf) > 0);
	sbuf_free(&out);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_content_faults(void **state)
{
	static const char scn[] =
	    "device G\n version 7.2.8\n fault garbage\n tunnel t1\n"
	    "  remote 192.0.2.1\n"
	    "device H\n version 6.4.9\n fault huge 1000000\n"
	    "device B\n version 7.4.3\n fault slow 2000\n"
	    "  fault stall 5 after 4000\n fault drop after 10000\n"
	    "  fault refuse-second\n fault auth-fail\n fault new-hostkey\n"
	    " user ops password x token 123456\n";
	char			 path[] = "/tmp/test_device_XXXXXX";
	FILE			*f;
	int			 fd;
	struct sim_world	*w;
	struct sim_cli		*c;
	const struct sim_devinfo *di;
	char			*o;

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(scn, f);
	fclose(f);
	w = load(path);
	unlink(path);
	c = sim_cli_new(sim_world_device(w, 0));
	o = run(c, "get vpn ipsec tunnel summary", 0, NULL);
	assert_non_null(memchr(o, 0x1b, strlen(o)));
	sim_cli_free(c);
	free(o);
	c = sim_cli_new(sim_world_device(w, 1));
	o = run(c, "get system status", 0, NULL);
	assert_true(strlen(o) > 1000000 && strlen(o) < 1002000);
	assert_true(count_of("system-status", o) > 0);
	sim_cli_free(c);
	free(o);
	di = sim_device_info(sim_world_device(w, 2));
	assert_int_equal(di->faults.slow_bps, 2000);
	assert_true(di->faults.stall_s == 5 && di->faults.stall_after == 4000);
	assert_int_equal(di->faults.drop_after, 10000);
	assert_true(di->faults.refuse_second && di->faults.auth_fail &&
	    di->faults.new_hostkey);
	assert_int_equal(di->ncreds, 1);
	assert_string_equal(di->creds[0].token, "123456");
	sim_world_free(w);
}

static void
test_bad_scenarios(void **state)
{
	static const char *const bad[] = {
		"tunnel x\n",
		"device A\n tunnel t\n  fault nonsense\n",
		"device A\n vdom a\n vdom b\n",
		"device A\n at 10s tunnel nope down\n",
		"device A\n tunnel t\n  remote 1.2.3\n",
		"device A\n frobnicate 1\n",
		"",
	};
	char			 path[] = "/tmp/test_device_XXXXXX", err[256];
	size_t			 i;
	FILE			*f;
	int			 fd;
	struct sim_world	*w;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(path, "/tmp/test_device_XXXXXX");
		assert_true((fd = mkstemp(path)) >= 0);
		assert_non_null(f = fdopen(fd, "w"));
		fputs(bad[i], f);
		fclose(f);
		err[0] = '\0';
		w = sim_world_load(path, err, sizeof(err));
		unlink(path);
		if (w != NULL)
			fail_msg("scenario %zu loaded", i);
		assert_true(err[0] != '\0');
	}
	assert_null(sim_world_load("/nonexistent/x.scn", err, sizeof(err)));
}

static void
test_cli_random_input(void **state)
{
	static const char *const words[] = { "get", "diagnose", "diag",
	    "execute", "config", "vdom", "edit", "end", "next", "global",
	    "vpn", "ike", "log", "log-filter", "filter", "gateway", "list",
	    "name", "tunnel", "sniffer", "packet", "any", "'host 1.2.3.4'",
	    "4", "0", "-1", "a", "l", "debug", "enable", "reset", "app",
	    "application", "console", "timestamp", "duration", "traceroute",
	    "traceroute-options", "source", "203.0.113.18", "router", "info",
	    "routing-table", "details", "all", "system", "status", "summary",
	    "\"", "'", "clear", "rem-addr4", "dst-addr4", "CUST-A", "root",
	    "999999999999999999999", "1.2.3.4/33", "\x1b[2J", "" };
	const size_t		 nw = sizeof(words) / sizeof(words[0]);
	struct sim_world	*w = load(SCN("multivdom.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sbuf		 out = { NULL, 0, 0 };
	char			 line[512];
	uint32_t		 r = 12345;
	int			 i, k, n;
	size_t			 len;

	for (i = 0; i < 20000; i++) {
		line[0] = '\0';
		n = 1 + (int)((r = r * 1103515245 + 12345) >> 16) % 7;
		for (k = 0; k < n; k++) {
			r = r * 1103515245 + 12345;
			len = strlen(line);
			snprintf(line + len, sizeof(line) - len, "%s%s",
			    k ? " " : "", words[(r >> 16) % nw]);
		}
		if (i % 97 == 0) {
			/* raw bytes, NULs excluded (a C string line) */
			for (k = 0; k < 40; k++) {
				r = r * 1103515245 + 12345;
				line[k] = (char)(1 + (r >> 16) % 255);
			}
			line[40] = '\0';
		}
		sim_cli_exec(c, line, &out, i * 0.1);
		sim_cli_stream(c, &out, i * 0.1 + 0.05);
		if (i % 50 == 0)
			sim_cli_interrupt(c, &out);
		sbuf_reset(&out);
	}
	sbuf_free(&out);
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_hub_fast(void **state)
{
	struct sim_world	*w = load(SCN("hub.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct tunnel_summary	*ts;
	clock_t			 t0 = clock();
	char			*o;
	double			 secs;

	sim_world_advance(w, 300);
	o = run(c, "get vpn ipsec tunnel summary", 300, NULL);
	ts = tunnel_summary_parse(o, strlen(o));
	assert_non_null(ts);
	assert_int_equal(ts->ntunnels, 2001);
	tunnel_summary_free(ts);
	free(o);
	o = run(c, "diagnose vpn tunnel list", 300, NULL);
	assert_true(strlen(o) > 1000000);
	free(o);
	o = run(c, "diagnose vpn ike gateway list", 300, NULL);
	assert_true(strlen(o) > 500000);
	free(o);
	o = run(c, "diagnose vpn tunnel list name HUB_1999", 300, NULL);
	assert_non_null(strstr(o, "parent=HUB index=1999\n"));
	free(o);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	if (secs > 2.0)
		fail_msg("the 2,000-child hub took %.2f s", secs);
	sim_cli_free(c);
	sim_world_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_scenarios),
		cmocka_unit_test(test_walkthrough_equal),
		cmocka_unit_test(test_walkthrough_state),
		cmocka_unit_test(test_faults_debug),
		cmocka_unit_test(test_faults_state),
		cmocka_unit_test(test_time_deterministic),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_timeline_and_flap),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_multivdom),
		cmocka_unit_test(test_debug_state),
		cmocka_unit_test(test_sniffer),
		cmocka_unit_test(test_traceroute),
		cmocka_unit_test(test_content_faults),
		cmocka_unit_test(test_bad_scenarios),
		cmocka_unit_test(test_cli_random_input),
		cmocka_unit_test(test_hub_fast),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
