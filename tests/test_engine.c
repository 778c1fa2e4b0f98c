/* SPDX-License-Identifier: ISC */
/*
 * test_engine - `fgtop --once --json` and `--watch-json` end to end: the
 * real fgtop binary against the real fgtsim over SSH on loopback.
 *
 * What each device and tunnel should look like is not typed here: the
 * test loads the same scenario file into fgtsim's device model
 * (tests/sim, in process) and reads the intended state of every tunnel
 * from it (up, phase 1 connecting, selectors at sa=0 ...), so a scenario
 * edit cannot leave the test asserting stale values.  fgtop's JSON is
 * parsed (jansson) and compared field by field.  fgtsim's --log is the
 * witness of what fgtop sent: every command line is run through the
 * allowlist again, with its context.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "allow.h"
#include "sim/device.h"
#include "simutil.h"
#include "testutil.h"
#include "xtime.h"

struct fx {
	struct sim	 sim;	/* first: sim_setup_state */
};

static int
setup(void **state)
{
	return (sim_setup_state(state, sizeof(struct fx)));
}

static json_int_t
jint(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL || !json_is_integer(v))
		fail_msg("\"%s\" is not a number", k);
	return (json_integer_value(v));
}

/* What a scenario tunnel in this state must look like. */
static void
check_tunnel(const char *dev, json_t *jt, const struct sim_tunnel *t)
{
	/* Dial-up instances carry their server's selectors. */
	const struct sim_tunnel *sel = t->np2 == 0 && t->parent != NULL ?
			    t->parent : t;
	const char	*state, *p1;
	char		 what[256], addr[32];
	int		 sa;
	size_t		 i;
	json_t		*p2s, *p2, *ph1, *findings;

	switch (t->state) {
	case ST_UP:
		state = "up", p1 = "established", sa = 1;
		break;
	case ST_CONNECTING:
		state = "down", p1 = "connecting", sa = 0;
		break;
	default:
		state = "down", p1 = "established", sa = 0;
		break;
	}
	snprintf(what, sizeof what, "%s %s state", dev, t->name);
	tu_expect_str(what, tu_jstr(jt, "state"), state);
	/*
	 * One poll, no debug: the state rules name what the state shows,
	 * first; a healthy tunnel has no finding at all.
	 */
	findings = json_object_get(jt, "findings");
	snprintf(what, sizeof what, "%s %s top finding", dev, t->name);
	if (t->state == ST_UP && t->fault == F_NONE) {
		if (json_array_size(findings) != 0)
			fail_msg("%s: %s, want none", what,
			    tu_jstr(json_array_get(findings, 0), "rule"));
	} else if (t->state != ST_UP) {
		if (json_array_size(findings) == 0)
			fail_msg("%s: none", what);
		tu_expect_str(what, tu_jstr(json_array_get(findings, 0), "rule"),
		    t->state == ST_CONNECTING ? "ST-P1-CONNECTING" :
		    "ST-P2-SA0");
	}
	snprintf(what, sizeof what, "%s %s remote_addr", dev, t->name);
	tu_expect_str(what, tu_jstr(jt, "remote_addr"), render_ip4(t->remote, addr));
	snprintf(what, sizeof what, "%s %s local_addr", dev, t->name);
	tu_expect_str(what, tu_jstr(jt, "local_addr"), render_ip4(t->local, addr));
	ph1 = json_object_get(jt, "phase1");
	if (!json_is_object(ph1))
		fail_msg("%s %s: no phase1", dev, t->name);
	snprintf(what, sizeof what, "%s %s phase1.status", dev, t->name);
	tu_expect_str(what, tu_jstr(ph1, "status"), p1);
	if (jint(ph1, "version") != t->ike)
		fail_msg("%s %s: IKE version %lld, want %d", dev, t->name,
		    (long long)jint(ph1, "version"), t->ike);
	snprintf(what, sizeof what, "%s %s phase1.interface", dev, t->name);
	tu_expect_str(what, tu_jstr(ph1, "interface"), t->iface);
	p2s = json_object_get(jt, "phase2");
	if (json_array_size(p2s) != sel->np2 ||
	    jint(jt, "selectors_total") != (json_int_t)sel->np2 ||
	    jint(jt, "selectors_up") != (sa ? (json_int_t)sel->np2 : 0))
		fail_msg("%s %s: %zu selectors listed, summary %lld/%lld; "
		    "want %zu, %zu up", dev, t->name, json_array_size(p2s),
		    (long long)jint(jt, "selectors_total"),
		    (long long)jint(jt, "selectors_up"), sel->np2,
		    sa ? sel->np2 : 0);
	for (i = 0; i < sel->np2; i++) {
		p2 = tu_named(p2s, sel->p2[i].name);
		if (p2 == NULL)
			fail_msg("%s %s: no selector %s", dev, t->name,
			    sel->p2[i].name);
		if (jint(p2, "sa") != sa)
			fail_msg("%s %s %s: sa=%lld, want %d", dev, t->name,
			    sel->p2[i].name, (long long)jint(p2, "sa"), sa);
	}
}

/* Every device of the scenario, every VDOM, every tunnel, as intended. */
static void
check_world(json_t *doc, const char *scn, double t)
{
	struct sim_world	*w;
	struct sim_device	*d;
	struct sim_vdom		*v;
	struct sim_tunnel	*st;
	json_t			*jd, *jv, *jt, *devs;
	char			 err[256], dev[32], ver[32];
	size_t			 i, k, n;

	w = sim_world_load(sim_scenario(scn), err, sizeof err);
	if (w == NULL)
		fail_msg("%s: %s", scn, err);
	sim_world_advance(w, t);
	devs = json_object_get(doc, "devices");
	for (i = 0; i < w->ndevices; i++) {
		d = w->devices[i];
		snprintf(dev, sizeof dev, "d%zu", i);
		jd = tu_named(devs, dev);
		if (jd == NULL)
			fail_msg("no device %s", dev);
		tu_expect_str("device state", tu_jstr(jd, "state"), "up");
		tu_expect_str("hostname", tu_jstr(jd, "hostname"), d->hostname);
		snprintf(ver, sizeof ver, "v%s", d->version);
		tu_expect_str("version", tu_jstr(jd, "version"), ver);
		tu_expect_str("model", tu_jstr(jd, "model"), d->model);
		tu_expect_str("serial", tu_jstr(jd, "serial"), d->serial);
		assert_null(tu_jstr(jd, "error"));
		assert_int_equal(json_array_size(json_object_get(jd,
		    "vdoms")), d->nvdoms);
		for (k = 0; k < d->nvdoms; k++) {
			v = d->vdoms[k];
			jv = tu_named(json_object_get(jd, "vdoms"),
			    d->multi_vdom ? v->name : "root");
			if (jv == NULL)
				fail_msg("%s: no VDOM %s", dev, v->name);
			for (n = 0; n < v->ntunnels; n++) {
				st = v->tunnels[n];
				jt = tu_named(json_object_get(jv, "tunnels"),
				    st->name);
				if (jt == NULL)
					fail_msg("%s: no tunnel %s", dev,
					    st->name);
				if (st->is_template) {
					assert_int_equal(jint(jt, "children"),
					    st->nchildren);
					continue;
				}
				if (st->parent != NULL)
					tu_expect_str("parent", tu_jstr(jt, "parent"),
					    st->parent->name);
				check_tunnel(dev, jt, st);
			}
		}
	}
	sim_world_free(w);
}

/*
 * The witness: every command fgtsim logged went through the allowlist
 * as fgtop sent it, each connection's commands in their order.
 */
static void
check_sent(struct fx *fx)
{
	char			*log = sim_read_file(fx->sim.log), *l, *nl;
	struct allow_ctx	 ctx[256];
	const char		*why;
	char			 cmd[1024];
	int			 conn, n = 0;
	char			*p, *q;

	for (conn = 0; conn < 256; conn++)
		allow_init(&ctx[conn]);
	for (l = log; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if (strstr(l, "\"event\":\"command\"") == NULL)
			continue;
		p = strstr(l, "\"conn\":");
		conn = p != NULL ? atoi(p + 7) % 256 : 0;
		p = strstr(l, "\"command\":\"");
		assert_non_null(p);
		p += 11;
		q = strrchr(p, '"');
		assert_non_null(q);
		snprintf(cmd, sizeof cmd, "%.*s", (int)(q - p), p);
		if (strcmp(cmd, "exit") == 0)
			continue;
		if (!allow_check(&ctx[conn], cmd, strlen(cmd), &why))
			fail_msg("fgtop sent `%s', which the allowlist "
			    "refuses: %s", cmd, why);
		n++;
	}
	tu_assert_cmp(n, >, 0);
	free(log);
}

/* Up or down as fgtop names a scenario tunnel's state. */
static const char *
sim_updown(const struct sim_tunnel *t)
{
	return (t->state == ST_UP ? "up" : "down");
}

/*
 * --watch-json: the tunnel-state events of every tunnel are the up/down
 * transitions the scenario's model goes through in the same span of
 * simulated time, in order, each seen within `margin` simulated seconds
 * (a poll interval and its latency) after it happened.  A transition
 * in the last `margin` seconds before fgtop stopped may not have been
 * polled yet.
 */
struct transition {
	char	 what[160];
	double	 t;		/* simulated seconds */
};

/* By tunnel, then time: each tunnel's transitions in their order. */
static int
transition_cmp(const void *a, const void *b)
{
	const struct transition	*x = a, *y = b;
	size_t			 nx = strcspn(x->what, ">"), ny;
	int			 c;

	/* "dN tunnel from>to": the key is "dN tunnel". */
	nx = (size_t)(strrchr(x->what, ' ') - x->what);
	ny = (size_t)(strrchr(y->what, ' ') - y->what);
	if ((c = strncmp(x->what, y->what, nx < ny ? nx : ny)) != 0)
		return (c);
	if (nx != ny)
		return (nx < ny ? -1 : 1);
	return (x->t < y->t ? -1 : x->t > y->t);
}

static void
check_watch(struct fx *fx, const char *scn, double speed, double t0,
    double t_end, double margin)
{
	struct sim_world	*w;
	struct sim_device	*d;
	struct sim_tunnel	*st;
	struct transition	 want[256], got[256];
	size_t			 nwant = 0, ngot = 0, i, k, n, nt;
	const char		*prev[1024];
	char			 err[256], name[320], *text, *l, *nl;
	json_t			*ev;
	json_error_t		 je;
	double			 t, end = (t_end - t0) * speed;

	w = sim_world_load(sim_scenario(scn), err, sizeof err);
	if (w == NULL)
		fail_msg("%s: %s", scn, err);
	for (t = 0; t <= end; t += 0.25) {
		sim_world_advance(w, t);
		nt = 0;
		for (i = 0; i < w->ndevices; i++) {
			d = w->devices[i];
			for (k = 0; k < d->nvdoms; k++)
				for (n = 0; n < d->vdoms[k]->ntunnels; n++) {
					st = d->vdoms[k]->tunnels[n];
					if (st->is_template || nt >= 1024)
						continue;
					if (t > 0 && nwant < 256 &&
					    strcmp(prev[nt],
					    sim_updown(st)) != 0) {
						snprintf(want[nwant].what,
						    sizeof want[nwant].what,
						    "d%zu %s %s>%s", i, st->name,
						    prev[nt], sim_updown(st));
						want[nwant++].t = t;
					}
					prev[nt++] = sim_updown(st);
				}
		}
	}
	sim_world_free(w);
	text = sim_read_file(fx->sim.out);
	for (l = text; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if ((ev = json_loads(l, 0, &je)) == NULL)
			fail_msg("not a JSON line: %s", l);
		if (strcmp(tu_jstr(ev, "event"), "tunnel-state") == 0 &&
		    ngot < 256) {
			snprintf(got[ngot].what, sizeof got[ngot].what,
			    "%s %s %s>%s", tu_jstr(ev, "device"),
			    tu_jstr(ev, "tunnel"), tu_jstr(ev, "from"),
			    tu_jstr(ev, "to"));
			got[ngot++].t = (tu_iso_time(tu_jstr(ev, "time")) - t0) *
			    speed;
		}
		json_decref(ev);
	}
	free(text);
	if (ngot + 1 == nwant && want[nwant - 1].t > end - margin)
		nwant--;
	if (ngot != nwant)
		fail_msg("%zu tunnel-state events, the scenario has %zu "
		    "transitions (first missing or extra: %s)", ngot, nwant,
		    ngot < nwant ? want[ngot].what : got[nwant].what);
	/*
	 * Transitions of different tunnels in one poll interval come in
	 * the order of the listing: compare in order tunnel by tunnel.
	 */
	qsort(got, ngot, sizeof *got, transition_cmp);
	qsort(want, nwant, sizeof *want, transition_cmp);
	for (i = 0; i < ngot; i++) {
		if (strcmp(got[i].what, want[i].what) != 0)
			fail_msg("event %zu: %s, want %s", i, got[i].what,
			    want[i].what);
		/* Seen from a second early to a poll (margin) late. */
		snprintf(name, sizeof name, "%.200s seen at (s)", got[i].what);
		tu_assert_double_within(name, got[i].t, want[i].t - 1,
		    want[i].t + margin);
	}
	/* The scenarios used go through two transitions at least. */
	assert_in_range(nwant, 2, 256);
}

static void
test_watch_timeline_and_flaps(void **state)
{
	struct fx	*fx = *state;
	char		*text, *raised;
	double		 t0, t1;

	/* multivdom: custb-branch down at 45 s, up at 120 s (20x speed). */
	sim_start(&fx->sim, sim_scenario("multivdom.scn"), "--speed", "20",
	    NULL);
	t0 = xtime_now();
	sim_fgtop_config(&fx->sim, NULL, "  disclaimer accept", 0);
	sim_fgtop_run(&fx->sim, 7.5, 1, "--watch-json", "--accept-new", "--poll",
	    "0.25", "--full-poll", "0.25", NULL);
	t1 = xtime_now();
	check_watch(fx, "multivdom.scn", 20, t0, t1, 20);
	check_sent(fx);
	/* Down, the diagnosis says phase 1 is connecting; up, it clears. */
	text = sim_read_file(fx->sim.out);
	raised = strstr(text, "\"event\":\"finding-raised\",\"device\":\"d0\","
	    "\"vdom\":\"CUST-B\",\"tunnel\":\"custb-branch\","
	    "\"item\":\"ST-P1-CONNECTING\"");
	assert_non_null(raised);
	assert_non_null(strstr(raised, "\"event\":\"finding-cleared\","
	    "\"device\":\"d0\",\"vdom\":\"CUST-B\","
	    "\"tunnel\":\"custb-branch\",\"item\":\"ST-P1-CONNECTING\""));
	free(text);
}

static void
test_watch_flapping(void **state)
{
	struct fx	*fx = *state;
	double		 t0, t1;

	/*
	 * faults: `flap' up 40-80 s, down 10-25 s; `dpd' 60 up, 30 down.
	 * At ten times the pace a down lasts a second at least: four polls
	 * even on a loaded machine (at twenty, half a second was missed
	 * under a sanitizer build and a parallel make check).
	 */
	sim_start(&fx->sim, sim_scenario("faults.scn"), "--speed", "10",
	    NULL);
	t0 = xtime_now();
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	sim_fgtop_run(&fx->sim, 24, 1, "--watch-json", "--accept-new", "--poll",
	    "0.25", "--full-poll", "0.25", NULL);
	t1 = xtime_now();
	check_watch(fx, "faults.scn", 10, t0, t1, 20);
}


/* No C0 or C1 control character in any string of the document. */
static void
check_clean(json_t *v, const char *where)
{
	const unsigned char	*p;
	const char		*k;
	json_t			*e;
	size_t			 i;

	if (json_is_string(v)) {
		for (p = (const unsigned char *)json_string_value(v); *p; p++)
			if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 &&
			    p[1] >= 0x80 && p[1] <= 0x9f))
				fail_msg("%s: control character 0x%02x in "
				    "\"%s\"", where, *p,
				    json_string_value(v));
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, e)
			check_clean(e, k);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			check_clean(e, where);
	}
}

static json_t *
device_named(json_t *doc, const char *name)
{
	json_t	*d = tu_named(json_object_get(doc, "devices"), name);

	if (d == NULL)
		fail_msg("no device %s in the output", name);
	return (d);
}

/*
 * One device per fault, plus healthy ones and ports where nothing
 * listens: each is reported as it is, and the healthy ones lose nothing.
 */
static void
test_reliability(void **state)
{
	static const char *const faults[] = {
		NULL, "drop after 1200", "stall 30 after 1200", "slow 20000",
		"auth-fail", "new-hostkey", "garbage", "refuse-second",
		"huge 100M",
	};
	static const char *const want[] = {
		"up", "error", "stale", "up", "auth-failed",
		"hostkey-mismatch", "up", "up", "up",
	};
	struct fx	*fx = *state;
	char		*scn = sim_path(&fx->sim, "rel.scn"), *pub, *kh;
	char		 buf[512], name[32];
	json_t		*doc, *d;
	FILE		*f;
	size_t		 i, nf = sizeof faults / sizeof faults[0];
	int		 k, healthy = 33;

	f = fopen(scn, "w");
	assert_non_null(f);
	for (k = 0; k < healthy + (int)nf; k++) {
		fprintf(f, "device FGT-%02d\n  version %s\n  pager on 24\n"
		    "  user admin password fgtsim\n", k,
		    k % 2 ? "7.4.3" : "6.4.9");
		if (k >= healthy && faults[k - healthy] != NULL)
			fprintf(f, "  fault %s\n", faults[k - healthy]);
		/* 100 MB through the pager would be 65,000 pages. */
		if (k >= healthy && faults[k - healthy] != NULL &&
		    strncmp(faults[k - healthy], "huge", 4) == 0)
			fprintf(f, "  pager off\n");
		fprintf(f, "  tunnel t%d\n    local 198.51.100.%d\n"
		    "    remote 203.0.113.%d\n    phase2 t%d src 10.%d.0.0/24 "
		    "dst 10.200.0.0/16\n    traffic 5 pps\n", k, k + 1, k + 1,
		    k, k);
	}
	fclose(f);
	sim_start(&fx->sim, scn, NULL);
	assert_int_equal(fx->sim.nports, healthy + (int)nf);
	/* known_hosts already holds fgtsim's shared key for every port. */
	snprintf(buf, sizeof buf, "ssh-keygen -y -f %s > %s", fx->sim.hostkey,
	    sim_path(&fx->sim, "hostkey.pub"));
	assert_int_equal(system(buf), 0);
	pub = sim_read_file(sim_path(&fx->sim, "hostkey.pub"));
	pub[strcspn(pub, "\n")] = '\0';
	f = fopen(fx->sim.kh, "w");
	assert_non_null(f);
	for (k = 0; k < fx->sim.nports; k++)
		fprintf(f, "[127.0.0.1]:%d %s\n", fx->sim.ports[k], pub);
	fclose(f);
	free(pub);
	sim_fgtop_config(&fx->sim, NULL, NULL, 10);

	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--json",
	    "--command-timeout", "3", "--timeout", "5", NULL), 1);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	check_clean(doc, "output");
	assert_int_equal(json_array_size(json_object_get(doc, "devices")),
	    (size_t)healthy + nf + 10);
	for (k = 0; k < healthy; k++) {
		snprintf(name, sizeof name, "d%d", k);
		d = device_named(doc, name);
		tu_expect_str(name, tu_jstr(d, "state"), "up");
		snprintf(buf, sizeof buf, "FGT-%02d", k);
		tu_expect_str(name, tu_jstr(d, "hostname"), buf);
		snprintf(buf, sizeof buf, "t%d", k);
		assert_non_null(tu_named(json_object_get(json_array_get(
		    json_object_get(d, "vdoms"), 0), "tunnels"), buf));
	}
	for (i = 0; i < nf; i++) {
		snprintf(name, sizeof name, "d%zu", (size_t)healthy + i);
		d = device_named(doc, name);
		snprintf(buf, sizeof buf, "%s (fault %s) state", name,
		    faults[i] != NULL ? faults[i] : "none");
		if (strcmp(tu_jstr(d, "state"), want[i]) != 0)
			fail_msg("%s: got %s (%s), want %s", buf,
			    tu_jstr(d, "state"), tu_jstr(d, "error") != NULL ?
			    tu_jstr(d, "error") : "no error", want[i]);
		if (strcmp(want[i], "up") != 0 && tu_jstr(d, "error") == NULL)
			fail_msg("%s has no error sentence", buf);
	}
	kh = NULL;
	for (k = 0; k < 10; k++) {
		snprintf(name, sizeof name, "d%d", healthy + (int)nf + k);
		d = device_named(doc, name);
		tu_expect_str(name, tu_jstr(d, "state"), "unreachable");
		assert_non_null(strstr(tu_jstr(d, "error"), "refused"));
	}
	(void)kh;
	json_decref(doc);
	check_sent(fx);
}

/*
 * --command-timeout is for silence, not length: a device that sends
 * slowly but steadily is read to the end; one that stalls longer than
 * the timeout in the middle of an output is interrupted and says so.
 */
static void
test_command_silence(void **state)
{
	struct fx	*fx = *state;
	char		*scn = sim_path(&fx->sim, "silence.scn");
	json_t		*doc, *d;
	const char	*err;

	sim_write_file(scn,
	    "device FGT-SLOW\n  version 7.2.8\n  pager off\n"
	    "  user admin password fgtsim\n  fault slow 1500\n"
	    "  tunnel t1\n    local 198.51.100.1\n    remote 203.0.113.1\n"
	    "    phase2 t1 src 10.1.0.0/24 dst 10.2.0.0/24\n"
	    "  tunnel t2\n    local 198.51.100.1\n    remote 203.0.113.2\n"
	    "    phase2 t2 src 10.1.0.0/24 dst 10.3.0.0/24\n"
	    "  tunnel t3\n    local 198.51.100.1\n    remote 203.0.113.3\n"
	    "    phase2 t3 src 10.1.0.0/24 dst 10.4.0.0/24\n"
	    "device FGT-STALL\n  version 7.2.8\n  pager off\n"
	    "  user admin password fgtsim\n  fault stall 6 after 3000\n"
	    "  tunnel t1\n    local 198.51.100.1\n    remote 203.0.113.1\n"
	    "    phase2 t1 src 10.1.0.0/24 dst 10.2.0.0/24\n");
	sim_start(&fx->sim, scn, NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 40, 0, "--once", "--json",
	    "--accept-new", "--command-timeout", "1.5", NULL), 1);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	/* A listing of 3 s or more at 1,500 bytes a second, never silent. */
	d = device_named(doc, "d0");
	tu_expect_str("slow state", tu_jstr(d, "state"), "up");
	assert_null(tu_jstr(d, "error"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(d, "vdoms"), 0), "tunnels")), 3);
	/* Silent 6 s: interrupted after 1.5. */
	d = device_named(doc, "d1");
	tu_expect_str("stall state", tu_jstr(d, "state"), "stale");
	err = tu_jstr(d, "error");
	if (err == NULL || strstr(err, "did not finish in time") == NULL)
		fail_msg("stall error: %s", err != NULL ? err : "(null)");
	json_decref(doc);
}

/* Unknown host key, no --accept-new: refused, with its fingerprint. */
static void
test_hostkey_unknown(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc, *d;
	char		*log;

	sim_start(&fx->sim, sim_scenario("walkthrough.scn"), NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json", NULL), 1);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	d = device_named(doc, "d0");
	tu_expect_str("state", tu_jstr(d, "state"), "hostkey-unknown");
	assert_non_null(strstr(tu_jstr(d, "error"), "SHA256:"));
	json_decref(doc);
	/* Nothing but the key exchange: no login was attempted. */
	log = sim_read_file(fx->sim.log);
	assert_null(strstr(log, "\"event\":\"auth\""));
	free(log);
}


/*
 * --watch-json: a device that drops the connection is reported lost
 * with its reason, and comes back by itself (backoff), each time.
 */
static void
test_watch_reconnect(void **state)
{
	struct fx	*fx = *state;
	char		*scn = sim_path(&fx->sim, "drop.scn"), *text, *l, *nl;
	char		 seq[1024] = "";
	json_t		*ev;
	json_error_t	 je;
	size_t		 len;
	int		 lost = 0, back = 0;
	static const char want[] = "connecting>up up>error "
	    "error>connecting connecting>up up>error ";

	sim_write_file(scn, "device FGT-DROP\n  version 7.2.8\n"
	    "  user admin password fgtsim\n  fault drop after 12000\n"
	    "  tunnel t1\n    local 198.51.100.1\n    remote 203.0.113.1\n"
	    "    phase2 t1 src 10.1.0.0/24 dst 10.2.0.0/24\n");
	sim_start(&fx->sim, scn, NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	sim_fgtop_run(&fx->sim, 6, 1, "--watch-json", "--accept-new", "--poll", "0.2",
	    "--full-poll", "0.2", NULL);
	text = sim_read_file(fx->sim.out);
	for (l = text; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if ((ev = json_loads(l, 0, &je)) == NULL)
			fail_msg("not a JSON line: %s", l);
		if (strcmp(tu_jstr(ev, "event"), "device-state") == 0) {
			len = strlen(seq);
			snprintf(seq + len, sizeof seq - len, "%s>%s ",
			    tu_jstr(ev, "from"), tu_jstr(ev, "to"));
			if (strcmp(tu_jstr(ev, "to"), "error") == 0) {
				lost++;
				assert_non_null(strstr(tu_jstr(ev, "detail"),
				    "dropped"));
			}
			if (lost > 0 && strcmp(tu_jstr(ev, "to"), "up") == 0)
				back++;
		}
		json_decref(ev);
	}
	free(text);
	/* At least twice: lost, reconnecting, back up. */
	if (lost < 2 || back < 2 || strncmp(seq, want, sizeof want - 1) != 0)
		fail_msg("device-state events: %s", seq);
}

static void
test_once_walkthrough(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc, *t;

	sim_start(&fx->sim, sim_scenario("walkthrough.scn"), NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	check_world(doc, "walkthrough.scn", 1);
	/* The capture's own values, as the KB walk-through shows them. */
	t = tu_named(json_object_get(json_array_get(json_object_get(
	    json_array_get(json_object_get(doc, "devices"), 0), "vdoms"), 0),
	    "tunnels"), "to10.189.0.182");
	tu_expect_str("direction", tu_jstr(json_object_get(t, "phase1"),
	    "direction"), "responder");
	json_decref(doc);
	check_sent(fx);
}

static void
test_once_multivdom_disclaimer(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc;
	char		*log, *vd, *edit;

	sim_start(&fx->sim, sim_scenario("multivdom.scn"), NULL);
	/* Without `disclaimer accept' fgtop does not press 'a'. */
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 1);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	tu_expect_str("state", tu_jstr(json_array_get(json_object_get(doc,
	    "devices"), 0), "state"), "error");
	assert_non_null(strstr(tu_jstr(json_array_get(json_object_get(doc,
	    "devices"), 0), "error"), "disclaimer"));
	json_decref(doc);

	sim_fgtop_config(&fx->sim, NULL, "  disclaimer accept", 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json", NULL), 0);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	check_world(doc, "multivdom.scn", 1);
	json_decref(doc);
	check_sent(fx);
	/* The VDOMs were learnt before any `edit'. */
	log = sim_read_file(fx->sim.log);
	vd = strstr(log, "\"command\":\"diagnose sys vd list\"");
	assert_non_null(vd);
	assert_non_null(edit = strstr(log, "\"command\":\"edit "));
	tu_assert_cmp(vd - log, <, edit - log);
	free(log);
}

static void
test_once_faults_and_demo(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc;

	sim_start(&fx->sim, sim_scenario("faults.scn"), NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	check_world(doc, "faults.scn", 1);
	json_decref(doc);
	sim_cleanup(&fx->sim);

	sim_init(&fx->sim);
	snprintf(fx->sim.out, sizeof fx->sim.out, "%s", sim_path(&fx->sim, "out"));
	snprintf(fx->sim.err, sizeof fx->sim.err, "%s", sim_path(&fx->sim, "err"));
	snprintf(fx->sim.cfg, sizeof fx->sim.cfg, "%s", sim_path(&fx->sim, "config"));
	snprintf(fx->sim.kh, sizeof fx->sim.kh, "%s",
	    sim_path(&fx->sim, "known_hosts"));
	sim_start(&fx->sim, sim_scenario("demo.scn"), NULL);
	assert_int_equal(fx->sim.nports, 4);
	sim_fgtop_config(&fx->sim, NULL, "  disclaimer accept", 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	check_world(doc, "demo.scn", 1);
	json_decref(doc);
	check_sent(fx);
}

/*
 * The hub's listings (190 KB to 2.9 MB, behind the pager) one after the
 * other: the shell lets go of a big output buffer after each command
 * and must start the next one afresh.
 */
static void
test_once_hub(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc;

	sim_start(&fx->sim, sim_scenario("hub.scn"), NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	check_world(doc, "hub.scn", 1);
	json_decref(doc);
	check_sent(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_walkthrough,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(
		    test_once_multivdom_disclaimer, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_once_faults_and_demo,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(
		    test_watch_timeline_and_flaps, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_watch_flapping,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_reliability,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_watch_reconnect,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_command_silence,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_hostkey_unknown,
		    setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_once_hub, setup,
		    sim_teardown_state),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
