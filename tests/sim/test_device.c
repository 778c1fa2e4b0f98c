/* SPDX-License-Identifier: ISC */
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
#include "device.h"
#include "ike_debug.h"
#include "tunnel_summary.h"

#define SCN(name)	TOP_SRCDIR "/tests/sim/scenarios/" name

/* Most tests work on a shipped scenario's first device through one CLI. */
struct tdev {
	struct sim_world	*w;
	struct sim_cli		*c;
};

static struct sim_world *
load(const char *path)
{
	struct sim_world	*w;
	char			 err[512];

	if ((w = sim_world_load(path, err, sizeof(err))) == NULL)
		fail_msg("%s: %s", path, err);
	return (w);
}

/* The setup: *state is the scenario's path on entry. */
static int
td_open(void **state)
{
	struct tdev	*td;

	assert_non_null(td = calloc(1, sizeof(*td)));
	td->w = load(*state);
	td->c = sim_cli_new(sim_world_device(td->w, 0));
	*state = td;
	return (0);
}

static int
td_close(void **state)
{
	struct tdev	*td = *state;

	sim_cli_free(td->c);
	sim_world_free(td->w);
	free(td);
	return (0);
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

/* Run cmd and fail unless its output holds frag. */
static void
run_has(struct sim_cli *c, const char *cmd, double now, const char *frag)
{
	char	*o = run(c, cmd, now, NULL);

	if (strstr(o, frag) == NULL)
		fail_msg("%s: no '%s' in:\n%s", cmd, frag, o);
	free(o);
}

/* Run cmd and fail unless its output is exactly want. */
static void
run_is(struct sim_cli *c, const char *cmd, double now, const char *want)
{
	char	*o = run(c, cmd, now, NULL);

	assert_string_equal(o, want);
	free(o);
}

/* Run cmd and report its output as fgtop's parser for kind sees it. */
static char *
run_json(struct sim_cli *c, const char *cmd, double now, const char *kind)
{
	char	*o = run(c, cmd, now, NULL), *j;

	j = json_of(kind, o);
	free(o);
	return (j);
}

/*
 * Run a command at t = from that must stream, and drive the world in
 * steps; it must end before t = to.  All its output goes to out.
 */
static void
run_stream(struct sim_world *w, struct sim_cli *c, const char *cmd,
    double from, double to, double step, struct sbuf *out)
{
	double	 t;
	int	 rc;

	rc = sim_cli_exec(c, cmd, out, from);
	assert_int_equal(rc, SIM_STREAMING);
	for (t = from; t < to && rc == SIM_STREAMING; t += step) {
		sim_world_advance(w, t);
		rc = sim_cli_stream(c, out, t);
	}
	if (rc != SIM_DONE)
		fail_msg("%s: still running at %.0f s", cmd, to);
}

/* A scenario from text, through a temporary file; NULL with err. */
static struct sim_world *
load_text(const char *text, char *err, size_t errlen)
{
	char			 path[] = "/tmp/test_device_XXXXXX";
	struct sim_world	*w;
	FILE			*f;
	int			 fd;

	tu_assert_cmp(fd = mkstemp(path), >=, 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
	w = sim_world_load(path, err, errlen);
	unlink(path);
	return (w);
}

/* The commands fgtop polls in each VDOM, and the parser of each. */
static const char *const poll_cmds[][2] = {
	{ "tunnel-summary", "get vpn ipsec tunnel summary" },
	{ "ike-gateway-list", "diagnose vpn ike gateway list" },
	{ "tunnel-list", "diagnose vpn tunnel list" },
	{ "routing-table", "get router info routing-table all" },
};

/* ---- every scenario, every poll command ------------------------------- */

/*
 * The tunnel summary of one VDOM says what the model holds, field by
 * field: every tunnel but dial-up templates, once, with its selectors,
 * and up exactly when the model has SAs for it at this time.
 */
static void
check_summary(const struct sim_vdom *vd, const char *out, double now)
{
	const struct sim_tunnel	*t, *s;
	json_t			*doc, *tuns, *e;
	size_t			 i, k, want = 0, np2;
	const char		*name;
	char			 what[256];

	doc = tu_report_json(&kind_tunnel_summary, out, strlen(out));
	tuns = json_object_get(doc, "tunnels");
	for (i = 0; i < vd->ntunnels; i++) {
		t = vd->tunnels[i];
		if (t->is_template)
			continue;
		want++;
		s = t->parent != NULL ? t->parent : t;
		np2 = s->np2;
		snprintf(what, sizeof(what), "%s/%s at %.0f s",
		    vd->dev->hostname, t->name, now);
		e = NULL;
		json_array_foreach(tuns, k, e) {
			name = json_string_value(json_object_get(e, "name"));
			if (name != NULL && strcmp(name, t->name) == 0)
				break;
		}
		if (k == json_array_size(tuns))
			fail_msg("%s: not in the tunnel summary", what);
		tu_num(what, "selectors_total", json_integer_value(
		    json_object_get(e, "selectors_total")), (int64_t)np2);
		tu_num(what, "selectors_up", json_integer_value(
		    json_object_get(e, "selectors_up")),
		    device_sa_count(t, now) > 0 ? (int64_t)np2 : 0);
	}
	if (json_array_size(tuns) != want)
		fail_msg("%s/%s: %zu tunnels in the summary, want %zu",
		    vd->dev->hostname, vd->name, json_array_size(tuns), want);
	json_decref(doc);
}

static void
poll_device(struct sim_device *d, double now)
{
	const struct sim_devinfo *di = sim_device_info(d);
	struct sim_cli		*c = sim_cli_new(d);
	char			*o, cmd[128];
	size_t			 v, i;

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
		for (i = 0; i < sizeof(poll_cmds) / sizeof(poll_cmds[0]); i++) {
			o = run(c, poll_cmds[i][1], now, NULL);
			if (count_of(poll_cmds[i][0], o) == 0)
				fail_msg("%s/%s: %s empty", di->hostname,
				    di->vdoms[v], poll_cmds[i][0]);
			if (i == 0)
				check_summary(d->vdoms[v], o, now);
			free(o);
		}
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
		tu_assert_cmp(sim_world_ndevices(w), >, 0);
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
		fail_msg("%s differs:\n--- want\n%s--- got\n%s", rel, want,
		    got);
	free(want);
}

static void
test_walkthrough_equal(void **state)
{
	struct tdev		*td = *state;
	struct sim_cli		*c = td->c;
	static const char *const want[][2] = {
		{ "get vpn ipsec tunnel summary", "real/tunnel-summary/"
		    "00-walkthrough-jp-blog-2-tunnels-one-down.txt" },
		{ "diagnose vpn ike gateway list name to10.189.0.182",
		    "real/ike-gateway-list/"
		    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt" },
		{ "diagnose vpn tunnel list name to10.189.0.182",
		    "real/tunnel-list/00-walkthrough-jp-blog-by-name-sa0.txt" },
	};
	char			*o;
	size_t			 i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		o = run(c, want[i][0], 0, NULL);
		same(want[i][1], o);
		free(o);
	}
}

static void
test_walkthrough_state(void **state)
{
	struct tdev		*td = *state;
	struct sim_world	*w = td->w;
	struct sim_cli		*c = td->c;
	char			*j;

	sim_world_advance(w, 60);
	j = run_json(c, "get vpn ipsec tunnel summary", 60, "tunnel-summary");
	tu_has(j, "\"name\":\"to10.189.0.182\"", "summary");
	tu_has(j, "\"selectors_total\":1,\"selectors_up\":0,", "1/0");
	tu_has(j, "\"selectors_total\":1,\"selectors_up\":1,", "1/1");
	free(j);
	j = run_json(c, "diag vpn ike gateway list name to10.189.0.182", 60,
	    "ike-gateway-list");
	tu_has(j, "\"status\":\"connecting\"", "phase 1 connecting");
	tu_has(j, "\"direction\":\"responder\"", "responder");
	tu_has(j, "\"created_ago_s\":75,", "created grows with time");
	free(j);
	j = run_json(c, "diag vpn tunnel list name to10.189.0.182", 60,
	    "tunnel-list");
	tu_has(j, "\"sa\":0,", "sa=0");
	free(j);
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
has_rule(const struct ike_debug *r, const char *rule)
{
	size_t	 i;

	for (i = 0; i < r->nevents; i++)
		if (r->events[i].rule != NULL &&
		    strcmp(r->events[i].rule, rule) == 0)
			return (1);
	return (0);
}

/* One faults.scn tunnel's IKE debug from t = 100 to 400, parsed. */
static struct ike_debug *
fault_debug(const char *tunnel)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct ike_debug	*r;
	char			*o;

	o = debug_capture(w, tunnel, 100, 400);
	r = ike_debug_parse(o, strlen(o));
	assert_non_null(r);
	free(o);
	sim_world_free(w);
	return (r);
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
	struct ike_debug	*r;
	size_t			 i, j;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		r = fault_debug(want[i].tunnel);
		if (!has_rule(r, want[i].rule))
			fail_msg("%s: no %s in %zu events", want[i].tunnel,
			    want[i].rule, r->nevents);
		/* The filter let through this tunnel's lines only. */
		for (j = 0; j < r->nevents; j++)
			if (r->events[j].gateway != NULL &&
			    strchr(r->events[j].gateway, '/') == NULL &&
			    strcmp(r->events[j].gateway, want[i].tunnel) != 0)
				fail_msg("%s: line of %s leaked",
				    want[i].tunnel, r->events[j].gateway);
		ike_debug_free(r);
	}
	/* A healthy tunnel shows no failure at all. */
	r = fault_debug("hq-ok");
	tu_assert_cmp(r->nevents, >, 0);
	for (j = 0; j < r->nevents; j++)
		if (r->events[j].cls == IKE_C_FAILURE)
			fail_msg("hq-ok: failure %s", r->events[j].text);
	ike_debug_free(r);
}

static void
test_faults_state(void **state)
{
	struct tdev		*td = *state;
	struct sim_world	*w = td->w;
	struct sim_cli		*c = td->c;
	char			*o, *j;

	j = run_json(c, "diag vpn tunnel list name snat", 100, "tunnel-list");
	tu_has(j, "\"sa\":1,", "snat sa=1");
	tu_has(j, "\"rxp\":1200,\"txp\":0,", "snat decrypt only");
	free(j);
	sim_world_advance(w, 110);
	j = run_json(c, "diag vpn tunnel list name snat", 110, "tunnel-list");
	tu_has(j, "\"rxp\":1320,\"txp\":0,", "dec grows, enc flat");
	free(j);
	j = run_json(c, "diag vpn ike gateway list name sel-v2", 110,
	    "ike-gateway-list");
	tu_has(j, "\"status\":\"established\"", "sel-v2 phase 1 up");
	free(j);
	j = run_json(c, "diag vpn tunnel list name sel-v2", 110, "tunnel-list");
	tu_has(j, "\"sa\":0,", "sel-v2 sa=0");
	free(j);
	/* No route toward the peer on its own interface: wan2 is down. */
	o = run(c, "get router info routing-table all", 110, NULL);
	if (strstr(o, "wan2") != NULL)
		fail_msg("wan2 should be down:\n%s", o);
	free(o);
	run_is(c, "execute traceroute-options source 192.0.2.10", 110, "");
	run_has(c, "execute traceroute 203.0.113.16", 110,
	    "Network is unreachable");
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
	struct tdev		*td = *state;
	struct sim_world	*w = td->w;
	struct sim_cli		*c = td->c;
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

	run_has(c, "get vpn ipsec tunnel summary", 10,
	    "'to-dc2' 203.0.113.2:0  selectors(total,up): 1/1");
	sim_world_advance(w, 40);
	run_has(c, "get vpn ipsec tunnel summary", 40,
	    "'to-dc2' 203.0.113.2:0  selectors(total,up): 1/0");
	sim_world_advance(w, 100);
	run_has(c, "diag vpn ike gateway list name to-dc2", 100,
	    "established 10-10s ago");
	run_has(c, "diag vpn ike gateway list name to-dc2", 100,
	    "IKE SA: created 1/2");
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

#define PARSE_ERROR(word)	"command parse error before '" word "'\n" \
	"Command fail. Return code -61\n"

static void
test_cli_errors(void **state)
{
	struct tdev		*td = *state;
	struct sim_cli		*c = td->c;
	char			*o;

	assert_string_equal(sim_cli_prompt(c), "FGT-FAULTS # ");
	run_has(c, "get sys stat", 0, "Version: FortiGate-60F v7.4.3,"
	    "build2573,240201 (GA.M)\n");
	o = run(c, "diag vpn tun list name hq-ok", 0, NULL);
	run_is(c, "diagnose vpn tunnel list name hq-ok", 0, o);
	free(o);
	run_is(c, "frobnicate", 0, "Unknown action 0\n");
	run_is(c, "get vpn ipsec tunnel sumary", 0,
	    PARSE_ERROR("sumary"));
	/* 7.4.3 has the new filter syntax only. */
	run_is(c, "diagnose vpn ike log-filter dst-addr4 203.0.113.1", 0,
	    PARSE_ERROR("log-filter"));
	/* Read-only: no configuration, no destructive execute. */
	run_has(c, "config vpn ipsec phase1-interface", 0, "Command fail");
	run_has(c, "execute reboot", 0, "Command fail");
	run_has(c, "config vdom", 0, "command parse error before 'vdom'");
}

/* 7.2 (the hub) has the old syntax: `log` abbreviates log-filter. */
static void
test_cli_errors_72(void **state)
{
	struct tdev		*td = *state;
	struct sim_cli		*c = td->c;

	run_is(c, "diagnose vpn ike log filter rem-addr4 100.64.0.2", 0,
	    PARSE_ERROR("filter"));
	run_is(c, "diagnose vpn ike log-filter dst-addr4 100.64.0.2", 0, "");
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
	run_is(c, "get vpn ipsec tunnel summary", 0, PARSE_ERROR("vpn"));
	free(run(c, "config vdom", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP (vdom) # ");
	free(run(c, "edit CUST-A", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP (CUST-A) # ");
	assert_string_equal(sim_cli_vdom(c), "CUST-A");
	o = run(c, "get vpn ipsec tunnel summary", 0, NULL);
	assert_non_null(strstr(o, "'custa-hq'"));
	assert_null(strstr(o, "'mgmt-vpn'"));
	free(o);
	run_has(c, "diagnose vpn ike gateway list", 0, "vd: CUST-A/1\n");
	free(run(c, "end", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP # ");
	free(run(c, "config global", 0, NULL));
	assert_string_equal(sim_cli_prompt(c), "FGT-MSSP (global) # ");
	run_has(c, "get system status", 0,
	    "Virtual domain configuration: multiple\n");
	free(run(c, "end", 0, NULL));
	run_has(c, "edit root", 0, "Command fail");
	sim_cli_free(c);
	sim_world_free(w);
}

static void
test_debug_state(void **state)
{
	struct tdev		*td = *state;
	struct sim_world	*w = td->w;
	struct sim_cli		*c = td->c;
	struct sim_debug_state	 ds;
	struct sbuf		 out = { NULL, 0, 0 };

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
	run_has(c, "diagnose debug info", 80, "ike debug level:        -1\n");
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
}

static void
test_sniffer(void **state)
{
	struct tdev		*td = *state;
	struct sim_world	*w = td->w;
	struct sim_cli		*c = td->c;
	struct sbuf		 out = { NULL, 0, 0 };
	int			 rc;
	char			*o, *j;

	sim_world_advance(w, 100);
	run_stream(w, c, "diagnose sniffer packet any 'host 203.0.113.18 and "
	    "udp port 500' 4 3 l", 100, 200, 0.5, &out);
	assert_non_null(strstr(out.buf, "filters=[host 203.0.113.18 and udp "
	    "port 500]\n"));
	assert_non_null(strstr(out.buf, " wan1 out 198.51.100.10.500 -> "
	    "203.0.113.18.500: udp 597\n"));
	assert_null(strstr(out.buf, " in "));
	assert_non_null(strstr(out.buf, "\n3 packets received by filter\n"
	    "0 packets dropped by kernel\n"));
	j = json_of("sniffer", out.buf);
	tu_has(j, "\"direction\":\"out\"", "outbound packets");
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
}

static void
test_traceroute(void **state)
{
	struct tdev		*td = *state;
	struct sim_cli		*c = td->c;
	struct sbuf		 out = { NULL, 0, 0 };

	run_stream(td->w, c, "execute traceroute 203.0.113.1", 0, 30, 0.25,
	    &out);
	assert_non_null(strstr(out.buf, "traceroute to 203.0.113.1 "
	    "(203.0.113.1), 32 hops max"));
	assert_non_null(strstr(out.buf, " 1  198.51.100.1  "));
	tu_assert_cmp(count_of("traceroute", out.buf), >, 0);
	sbuf_free(&out);
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
	struct sim_world	*w;
	struct sim_cli		*c;
	const struct sim_devinfo *di;
	char			*o, err[256];

	if ((w = load_text(scn, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	c = sim_cli_new(sim_world_device(w, 0));
	o = run(c, "get vpn ipsec tunnel summary", 0, NULL);
	assert_non_null(memchr(o, 0x1b, strlen(o)));
	sim_cli_free(c);
	free(o);
	c = sim_cli_new(sim_world_device(w, 1));
	o = run(c, "get system status", 0, NULL);
	tu_assert_in_range(strlen(o), 1000001, 1001999);
	tu_assert_cmp(count_of("system-status", o), >, 0);
	sim_cli_free(c);
	free(o);
	di = sim_device_info(sim_world_device(w, 2));
	assert_int_equal(di->faults.slow_bps, 2000);
	assert_int_equal(di->faults.stall_s, 5);
	assert_int_equal(di->faults.stall_after, 4000);
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
		/* words a keyword does not know are errors, not defaults */
		"device A\n tunnel t\n  mode agressive\n",
		"device A\n tunnel t\n  direction responer\n",
		"device A\n tunnel t\n  dpd on-idle 5000 534\n",
		"device A\n tunnel t\n  dpd on-idle 5000 seqno 1 2\n",
		"device A\n pager on 24 lines\n",
		"device A\n tunnel t\n  fault psk\n",
		"device A\n tunnel t\n  type dial-up\n",
	};
	char			 err[256];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (load_text(bad[i], err, sizeof(err)) != NULL)
			fail_msg("scenario %zu loaded", i);
		assert_int_not_equal(err[0], '\0');
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
	struct tdev		*td = *state;
	struct sim_cli		*c = td->c;
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
}

static void
test_hub_fast(void **state)
{
	struct tdev		*td = *state;
	struct sim_world	*w = td->w;
	struct sim_cli		*c = td->c;
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
	tu_assert_cmp(strlen(o), >, 1000000);
	free(o);
	o = run(c, "diagnose vpn ike gateway list", 300, NULL);
	tu_assert_cmp(strlen(o), >, 500000);
	free(o);
	o = run(c, "diagnose vpn tunnel list name HUB_1999", 300, NULL);
	assert_non_null(strstr(o, "parent=HUB index=1999\n"));
	free(o);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	/* The 2,000-child hub's CPU seconds. */
	tu_assert_double_cmp(secs, <=, 2.0);
}

/* Writable: cmocka hands the initial state over as a void *. */
static char	 walkthrough[] = SCN("walkthrough.scn");
static char	 faults[] = SCN("faults.scn");
static char	 multivdom[] = SCN("multivdom.scn");
static char	 hub[] = SCN("hub.scn");

#define TD_TEST(f, path) \
	cmocka_unit_test_prestate_setup_teardown(f, td_open, td_close, path)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_scenarios),
		TD_TEST(test_walkthrough_equal, walkthrough),
		TD_TEST(test_walkthrough_state, walkthrough),
		cmocka_unit_test(test_faults_debug),
		TD_TEST(test_faults_state, faults),
		cmocka_unit_test(test_time_deterministic),
		TD_TEST(test_rekey, faults),
		cmocka_unit_test(test_timeline_and_flap),
		TD_TEST(test_cli_errors, faults),
		TD_TEST(test_cli_errors_72, hub),
		cmocka_unit_test(test_multivdom),
		TD_TEST(test_debug_state, faults),
		TD_TEST(test_sniffer, faults),
		TD_TEST(test_traceroute, faults),
		cmocka_unit_test(test_content_faults),
		cmocka_unit_test(test_bad_scenarios),
		TD_TEST(test_cli_random_input, multivdom),
		TD_TEST(test_hub_fast, hub),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
