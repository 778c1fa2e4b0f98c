/* SPDX-License-Identifier: ISC */
/*
 * test_jread - the journal reader on journals made of fgtop's own
 * output: the real fgtop against the real fgtsim (multivdom.scn) prints
 * `--once --json -c` (wrapped as a snapshot line, as the journal writes
 * it) and `--watch-json` lines; the test adds what a journal may also
 * hold (a blank line, garbage, an unknown event, a torn last line) and
 * checks what the reader hands over, field by field, against what fgtop
 * printed.  The snapshot is loaded into a model and written back with
 * model_json: the two documents must agree on every key of the schema.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jread.h"
#include "model.h"
#include "model_load.h"
#include "simutil.h"
#include "testutil.h"

/* 2026-12-03T00:00:00Z. */
#define DAY	1796256000.0

struct fx {
	struct sim	 sim;
	json_t		*once;		/* the --once --json document */
	json_t		*watch;		/* array of the --watch-json lines */
	char		*journal;	/* the journal written from them */
};

static char	*spaced_journal(struct fx *, const char *, double, size_t);

/*
 * Run fgtop (args, NULL-terminated) on the scenario's devices, stdout to
 * out; stop it after secs if > 0.
 */
static void
run_fgtop(struct sim *sim, const char *out, double secs,
    const char *const *args)
{
	pid_t	 pid;

	sim_fgtop_config(sim, NULL, "  disclaimer accept", 0);
	pid = sim_fgtop_spawn(sim, &(struct sim_proc){ NULL, out, "/dev/null",
	    0, 0, NULL }, args);
	sim_reap(pid, secs > 0 ? secs : 30, secs > 0);
}

/* The journal line of a snapshot of doc, as the writer puts it. */
static char *
snapshot_line(json_t *doc)
{
	json_t	*line;
	char	*s;

	line = json_pack("{s:s,s:O,s:O}", "event", "snapshot", "time",
	    json_object_get(doc, "generated_at"), "model", doc);
	s = json_dumps(line, JSON_COMPACT);
	json_decref(line);
	return (s);
}

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	char		*text, *l, *nl, *snap;
	json_t		*ev;
	json_error_t	 je;
	FILE		*f;
	size_t		 i;

	sim_init(&fx->sim);
	sim_start(&fx->sim, sim_scenario("multivdom.scn"), NULL);
	run_fgtop(&fx->sim, sim_path(&fx->sim, "once"), 0,
	    (const char *const []){ "--once", "--json", "-c", "--accept-new",
	    NULL });
	text = sim_read_file(sim_path(&fx->sim, "once"));
	fx->once = tu_json(text, "--once --json");
	free(text);
	run_fgtop(&fx->sim, sim_path(&fx->sim, "watch"), 2.5,
	    (const char *const []){ "--watch-json", "--poll", "0.25",
	    "--accept-new", NULL });
	text = sim_read_file(sim_path(&fx->sim, "watch"));
	fx->watch = json_array();
	for (l = text; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		if ((ev = json_loadb(l, (size_t)(nl - l), 0, &je)) == NULL)
			fail_msg("not a --watch-json line: %.*s",
			    (int)(nl - l), l);
		json_array_append_new(fx->watch, ev);
	}
	free(text);
	/* Connecting -> up, four tunnels added, one finding at least. */
	assert_in_range(json_array_size(fx->watch), 6, 1000);

	/* The journal: snapshot, the events as printed, then the junk. */
	fx->journal = strdup(sim_path(&fx->sim, "journal-20261203.jsonl"));
	f = fopen(fx->journal, "w");
	assert_non_null(f);
	snap = snapshot_line(fx->once);
	fprintf(f, "%s\n", snap);
	free(snap);
	for (i = 0; i < json_array_size(fx->watch); i++) {
		l = json_dumps(json_array_get(fx->watch, i), JSON_COMPACT);
		fprintf(f, "%s\n", l);
		free(l);
	}
	fprintf(f, "\n");
	fprintf(f, "this is not JSON {\n");
	fprintf(f, "{\"time\":\"2026-12-03T03:12:00.000Z\","
	    "\"event\":\"teleport\",\"device\":\"d0\"}\n");
	fprintf(f, "{\"time\":\"2026-12-03T03:12:01.000Z\","
	    "\"event\":\"tunnel-state\",\"device\":\"d0\",\"vd");
	fclose(f);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	json_decref(fx->once);
	json_decref(fx->watch);
	free(fx->journal);
	sim_cleanup(&fx->sim);
	free(fx);
	return (0);
}

struct got {
	json_t		*events;	/* what the reader handed over */
	struct model	*snap;
	double		 snap_time;
	size_t		 nsnap;
	size_t		 stop_after;	/* return 1 after this many; 0: never */
};

static json_t *
jnull_or(const char *s)
{
	return (s != NULL ? json_string(s) : json_pack("n"));
}

static int
on_event(const struct jread_event *e, void *arg)
{
	struct got	*g = arg;
	json_t		*o = json_object();

	json_object_set_new(o, "t", json_real(e->time));
	json_object_set_new(o, "event", json_string(e->type));
	json_object_set_new(o, "device", jnull_or(e->device));
	json_object_set_new(o, "vdom", jnull_or(e->vdom));
	json_object_set_new(o, "tunnel", jnull_or(e->tunnel));
	json_object_set_new(o, "item", jnull_or(e->item));
	json_object_set_new(o, "from", jnull_or(e->from));
	json_object_set_new(o, "to", jnull_or(e->to));
	json_object_set_new(o, "detail", jnull_or(e->detail));
	json_object_set_new(o, "offset", json_integer(e->offset));
	json_array_append_new(g->events, o);
	return (g->stop_after != 0 &&
	    json_array_size(g->events) >= g->stop_after);
}

static int
on_snapshot(double t, struct model *m, void *arg)
{
	struct got	*g = arg;

	model_free(g->snap);
	g->snap = m;
	g->snap_time = t;
	g->nsnap++;
	return (0);
}

static double
iso(json_t *o, const char *key)
{
	return (journal_parse_time(json_string_value(json_object_get(o, key)),
	    0));
}

static void
test_read_counts_and_events(void **state)
{
	struct fx		*fx = *state;
	struct jread_stats	 st;
	struct got		 g = { json_array(), NULL, 0, 0, 0 };
	char			*err = NULL;
	size_t			 i, n = json_array_size(fx->watch);
	static const char *const keys[] = { "device", "vdom", "tunnel",
		"item", "from", "to", "detail" };
	json_t			*want, *got = NULL;
	size_t			 k;

	assert_int_equal(journal_read(&fx->journal, 1, NAN, NAN, on_event,
	    on_snapshot, &g, &st, &err), 0);
	/* Snapshot + events + blank, garbage, unknown, torn. */
	assert_int_equal(st.lines, 1 + n + 4);
	assert_int_equal(st.snapshots, 1);
	assert_int_equal(g.nsnap, 1);
	assert_int_equal(st.events, n);
	assert_int_equal(st.skipped, 4);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.unknown, 1);
	tu_assert_double_equal(g.snap_time, iso(fx->once, "generated_at"), 0);
	assert_int_equal(json_array_size(g.events), n);
	for (i = 0; i < n; i++) {
		want = json_array_get(fx->watch, i);
		got = json_array_get(g.events, i);
		assert_string_equal(json_string_value(json_object_get(got,
		    "event")), json_string_value(json_object_get(want,
		    "event")));
		tu_assert_double_equal(json_real_value(json_object_get(got,
		    "t")), iso(want, "time"), 0);
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (!json_equal(json_object_get(got, keys[k]),
			    json_object_get(want, keys[k])))
				fail_msg("event %zu: %s differs", i, keys[k]);
	}
	/* The first tunnel-added names the first scenario tunnel. */
	for (i = 0; i < n; i++) {
		got = json_array_get(g.events, i);
		if (strcmp(json_string_value(json_object_get(got, "event")),
		    "tunnel-added") == 0)
			break;
	}
	tu_assert_cmp(i, <, n);
	assert_string_equal(json_string_value(json_object_get(got, "vdom")),
	    "root");
	assert_string_equal(json_string_value(json_object_get(got, "tunnel")),
	    "mgmt-vpn");
	model_free(g.snap);
	json_decref(g.events);

	/* A callback returning nonzero stops the read with its value. */
	g.events = json_array();
	g.snap = NULL;
	g.stop_after = 2;
	assert_int_equal(journal_read(&fx->journal, 1, NAN, NAN, on_event,
	    NULL, &g, &st, &err), 1);
	assert_int_equal(json_array_size(g.events), 2);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.lines, 3);
	json_decref(g.events);
}

/*
 * The schema's keys of a document, findings and the history's uptime,
 * flaps and downtime aside (derived, not loaded).
 */
static void
strip(json_t *doc)
{
	json_t	*d, *v, *t;
	size_t	 i, j, k;

	json_object_del(doc, "fgtop_version");
	json_object_del(doc, "generated_at");
	json_array_foreach(json_object_get(doc, "devices"), i, d)
		json_array_foreach(json_object_get(d, "vdoms"), j, v)
			json_array_foreach(json_object_get(v, "tunnels"), k,
			    t) {
				json_object_del(t, "findings");
				json_object_del(t, "uptime_s");
				json_object_del(t, "flaps_1h");
				json_object_del(t, "down_24h_s");
			}
}

/* Where two documents first differ, as a path, for the failure. */
static int
first_diff(json_t *a, json_t *b, char *path, size_t len)
{
	const char	*k;
	json_t		*v;
	size_t		 i, n = strlen(path);

	if (json_equal(a, b))
		return (0);
	if (json_is_object(a) && json_is_object(b)) {
		json_object_foreach(a, k, v) {
			snprintf(path + n, len - n, ".%s", k);
			if (first_diff(v, json_object_get(b, k), path, len))
				return (1);
		}
		json_object_foreach(b, k, v)
			if (json_object_get(a, k) == NULL) {
				snprintf(path + n, len - n, ".%s (extra)", k);
				return (1);
			}
	} else if (json_is_array(a) && json_is_array(b) &&
	    json_array_size(a) == json_array_size(b)) {
		json_array_foreach(a, i, v) {
			snprintf(path + n, len - n, "[%zu]", i);
			if (first_diff(v, json_array_get(b, i), path, len))
				return (1);
		}
	}
	path[n] = '\0';
	return (1);
}

static void
test_snapshot_round_trip(void **state)
{
	struct fx	*fx = *state;
	struct got	 g = { NULL, NULL, 0, 0, 0 };
	char		*err = NULL, *text, path[512] = "";
	json_t		*back, *want;

	assert_int_equal(journal_read(&fx->journal, 1, NAN, NAN, NULL,
	    on_snapshot, &g, NULL, &err), 0);
	assert_non_null(g.snap);
	/* What the scenario has: one device, three VDOMs, four tunnels. */
	assert_int_equal(g.snap->ndevs, 1);
	assert_int_equal(g.snap->devs[0]->nvdoms, 3);
	assert_int_equal(model_ntunnels(g.snap), 4);
	text = tu_model_json(g.snap, g.snap_time);
	back = tu_json(text, "the loaded snapshot");
	free(text);
	want = json_deep_copy(fx->once);
	strip(want);
	strip(back);
	if (first_diff(want, back, path, sizeof path))
		fail_msg("loaded snapshot differs at %s", path);
	/* And the document had something to compare: phase 1 and 2. */
	text = json_dumps(want, JSON_COMPACT);
	assert_non_null(strstr(text, "\"phase2\":[{"));
	assert_non_null(strstr(text, "\"phase1\":{\"status\":"));
	free(text);
	json_decref(want);
	json_decref(back);
	model_free(g.snap);
}

/* Applying events to an empty model. */
static int
apply(const struct jread_event *e, void *arg)
{
	assert_int_equal(model_apply_event(arg, e), 0);
	return (0);
}

/*
 * A journal of events alone builds the estate: the --watch-json events
 * applied to an empty model give every tunnel of the --once document
 * with its state (nothing in multivdom.scn changes in the first 45 s).
 */
static void
test_events_build_estate(void **state)
{
	struct fx	*fx = *state;
	struct model	*m = model_new();
	struct mdev	*d;
	struct mtun	*t;
	struct mvdom	*v;
	json_t		*dev, *jv, *jt;
	char		*err = NULL, *path;
	size_t		 i, k, ntun = 0;

	path = strdup(sim_path(&fx->sim, "events.jsonl"));
	free(spaced_journal(fx, "events.jsonl", DAY,
	    json_array_size(fx->watch)));
	assert_int_equal(journal_read(&path, 1, NAN, NAN, apply, NULL, m,
	    NULL, &err), 0);
	assert_int_equal(m->ndevs, 1);
	d = m->devs[0];
	assert_string_equal(d->name, "d0");
	assert_string_equal(mdev_state_name(d->state), "up");
	dev = json_array_get(json_object_get(fx->once, "devices"), 0);
	json_array_foreach(json_object_get(dev, "vdoms"), i, jv) {
		v = model_vdom(d, json_string_value(json_object_get(jv,
		    "name")));
		json_array_foreach(json_object_get(jv, "tunnels"), k, jt) {
			t = model_tunnel(v, json_string_value(
			    json_object_get(jt, "name")));
			assert_non_null(t);
			assert_string_equal(mtun_state_name(t->state),
			    json_string_value(json_object_get(jt, "state")));
			ntun++;
		}
	}
	assert_int_equal(ntun, 4);
	assert_int_equal(model_ntunnels(m), 4);
	/* Then a tunnel goes down, and is removed. */
	{
		struct jread_event e = { DAY + 3600, "tunnel-state", "d0",
		    "CUST-B", "custb-branch", NULL, "up", "down", NULL, 0, 0 };

		assert_int_equal(model_apply_event(m, &e), 0);
		t = model_tunnel(model_vdom(d, "CUST-B"), "custb-branch");
		assert_string_equal(mtun_state_name(t->state), "down");
		tu_assert_double_equal(t->changed_at, DAY + 3600, 0);
		/* Its history: up from the event that added it, then a flap. */
		assert_int_equal(model_tunnel_flaps(t, DAY + 3601, 3600), 1);
		tu_assert_double_equal(model_tunnel_uptime(t, DAY + 3601), 0,
		    0);
		e.type = "tunnel-removed";
		assert_int_equal(model_apply_event(m, &e), 0);
		assert_null(model_tunnel(model_vdom(d, "CUST-B"),
		    "custb-branch"));
		assert_int_equal(model_ntunnels(m), 3);
		e.type = "teleport";
		assert_int_equal(model_apply_event(m, &e), -1);
	}
	model_free(m);
	free(path);
}

/* The same events, minute apart from 03:00Z, in a file of their own. */
static char *
spaced_journal(struct fx *fx, const char *name, double t0, size_t n)
{
	char	*path = strdup(sim_path(&fx->sim, name)), *l, iso_s[40];
	json_t	*ev;
	FILE	*f;
	size_t	 i;
	time_t	 s;
	struct tm tm;

	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < n; i++) {
		ev = json_deep_copy(json_array_get(fx->watch,
		    i % json_array_size(fx->watch)));
		s = (time_t)(t0 + 60.0 * (double)i);
		gmtime_r(&s, &tm);
		strftime(iso_s, sizeof iso_s, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
		json_object_set_new(ev, "time", json_string(iso_s));
		l = json_dumps(ev, JSON_COMPACT);
		fprintf(f, "%s\n", l);
		free(l);
		json_decref(ev);
	}
	fclose(f);
	return (path);
}

static void
test_since_until(void **state)
{
	struct fx		*fx = *state;
	struct got		 g = { json_array(), NULL, 0, 0, 0 };
	struct jread_stats	 st;
	char			*path, *err = NULL;
	double			 t0 = DAY + 3 * 3600;

	path = spaced_journal(fx, "spaced.jsonl", t0, 6);
	/* 03:02 to 03:04 inclusive: events 2, 3 and 4. */
	assert_int_equal(journal_read(&path, 1, t0 + 120, t0 + 240, on_event,
	    NULL, &g, &st, &err), 0);
	assert_int_equal(json_array_size(g.events), 3);
	assert_int_equal(st.events, 3);
	assert_int_equal(st.lines, 6);
	tu_assert_double_equal(json_real_value(json_object_get(
	    json_array_get(g.events, 0), "t")), t0 + 120, 0);
	tu_assert_double_equal(json_real_value(json_object_get(
	    json_array_get(g.events, 2), "t")), t0 + 240, 0);
	json_decref(g.events);
	/* Open ends. */
	g.events = json_array();
	assert_int_equal(journal_read(&path, 1, t0 + 300, NAN, on_event,
	    NULL, &g, &st, &err), 0);
	assert_int_equal(json_array_size(g.events), 1);
	json_decref(g.events);
	g.events = json_array();
	assert_int_equal(journal_read(&path, 1, NAN, t0 + 59, on_event,
	    NULL, &g, &st, &err), 0);
	assert_int_equal(json_array_size(g.events), 1);
	json_decref(g.events);
	free(path);
}

static void
test_scan_and_snapshot_at(void **state)
{
	struct fx		*fx = *state;
	struct got		 g = { json_array(), NULL, 0, 0, 0 };
	struct jread_stats	 st;
	struct model		*m;
	char			*err = NULL;
	double			 t = 0;
	json_t			*first;

	assert_int_equal(journal_scan(&fx->journal, 1, on_event, &g, &st,
	    &err), 0);
	assert_int_equal(json_array_size(g.events),
	    1 + json_array_size(fx->watch));
	first = json_array_get(g.events, 0);
	assert_string_equal(json_string_value(json_object_get(first,
	    "event")), "snapshot");
	assert_int_equal(json_integer_value(json_object_get(first,
	    "offset")), 0);
	assert_int_equal(st.snapshots, 1);
	m = journal_snapshot_at(fx->journal, 0, &t, &err);
	assert_non_null(m);
	tu_assert_double_equal(t, iso(fx->once, "generated_at"), 0);
	assert_int_equal(model_ntunnels(m), 4);
	model_free(m);
	/* An event line is no snapshot. */
	assert_null(journal_snapshot_at(fx->journal, json_integer_value(
	    json_object_get(json_array_get(g.events, 1), "offset")), &t,
	    &err));
	assert_non_null(strstr(err, "no snapshot"));
	free(err);
	json_decref(g.events);
}

/*
 * journal_scan takes a snapshot's time from its first bytes: a broken
 * one is indexed, and says so only when it is loaded.
 */
static void
test_scan_broken_snapshot(void **state)
{
	struct fx	*fx = *state;
	struct got	 g = { json_array(), NULL, 0, 0, 0 };
	char		*path = strdup(sim_path(&fx->sim, "broken.jsonl"));
	char		*err = NULL;
	double		 t = 0;

	sim_write_file(path, "{\"event\":\"snapshot\",\"time\":"
	    "\"2026-12-03T03:00:00.250Z\",\"model\":{\"devices\":[{\n");
	assert_int_equal(journal_scan(&path, 1, on_event, &g, NULL, &err), 0);
	assert_int_equal(json_array_size(g.events), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(g.events, 0), "event")), "snapshot");
	tu_assert_double_equal(json_real_value(json_object_get(
	    json_array_get(g.events, 0), "t")), DAY + 3 * 3600 + 0.25, 0);
	assert_null(journal_snapshot_at(path, 0, &t, &err));
	assert_non_null(strstr(err, "no snapshot at offset 0"));
	free(err);
	json_decref(g.events);
	free(path);
}

static void
test_files(void **state)
{
	struct fx	*fx = *state;
	char		 dir[256], *err = NULL, **paths, *p;
	size_t		 n;

	snprintf(dir, sizeof dir, "%s", sim_path(&fx->sim, "jdir"));
	assert_int_equal(mkdir(dir, 0700), 0);
	/* Day 2 at 00:00, its rotation at 12:00, day 1 at 00:00. */
	free(spaced_journal(fx, "jdir/journal-20261204.jsonl", DAY + 86400,
	    3));
	free(spaced_journal(fx, "jdir/journal-20261204.1.jsonl",
	    DAY + 86400 + 43200, 3));
	free(spaced_journal(fx, "jdir/journal-20261203.jsonl", DAY, 3));
	sim_write_file(sim_path(&fx->sim, "jdir/notes.txt"), "x\n");
	sim_write_file(sim_path(&fx->sim, "jdir/journal-x.jsonl"), "x\n");
	assert_int_equal(journal_files(dir, NAN, NAN, &paths, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_non_null(p = strrchr(paths[0], '/'));
	assert_string_equal(p, "/journal-20261203.jsonl");
	assert_string_equal(strrchr(paths[1], '/'), "/journal-20261204.jsonl");
	assert_string_equal(strrchr(paths[2], '/'),
	    "/journal-20261204.1.jsonl");
	journal_files_free(paths, n);
	/* Day 2 from 06:00 to 07:00: only its first file may hold it. */
	assert_int_equal(journal_files(dir, DAY + 86400 + 6 * 3600,
	    DAY + 86400 + 7 * 3600, &paths, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(strrchr(paths[0], '/'), "/journal-20261204.jsonl");
	journal_files_free(paths, n);
	/* From day 2 at 13:00 on: the rotated file. */
	assert_int_equal(journal_files(dir, DAY + 86400 + 13 * 3600, NAN,
	    &paths, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(strrchr(paths[0], '/'),
	    "/journal-20261204.1.jsonl");
	journal_files_free(paths, n);
	/* Before day 2: day 1. */
	assert_int_equal(journal_files(dir, NAN, DAY + 3600, &paths, &n,
	    &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(strrchr(paths[0], '/'), "/journal-20261203.jsonl");
	journal_files_free(paths, n);
	/* A file with no line yet goes by its name's day: the last. */
	sim_write_file(sim_path(&fx->sim, "jdir/journal-20261205.jsonl"), "");
	assert_int_equal(journal_files(dir, NAN, NAN, &paths, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(strrchr(paths[2], '/'),
	    "/journal-20261204.1.jsonl");
	assert_string_equal(strrchr(paths[3], '/'), "/journal-20261205.jsonl");
	journal_files_free(paths, n);
	assert_int_equal(journal_files(sim_path(&fx->sim, "nodir"), NAN, NAN,
	    &paths, &n, &err), -1);
	assert_non_null(strstr(err, "nodir"));
	free(err);
}

static void
test_parse_time(void **state)
{
	/* Local time 3 hours behind UTC, no daylight saving. */
	double	 now = DAY + 20 * 3600;	/* 20:00Z, 17:00 local */

	(void)state;
	setenv("TZ", "<-03>3", 1);
	tzset();
	tu_assert_double_equal(journal_parse_time("2026-12-03T03:12:00.123Z",
	    0), DAY + 11520.123, 0);
	tu_assert_double_equal(journal_parse_time("2026-12-03T03:12:00Z", 0),
	    DAY + 11520, 0);
	tu_assert_double_equal(journal_parse_time("2026-12-03T03:12:00", 0),
	    DAY + 11520 + 10800, 0);
	tu_assert_double_equal(journal_parse_time("2026-12-03 03:12", 0),
	    DAY + 11520 + 10800, 0);
	tu_assert_double_equal(journal_parse_time("2026-12-03 03:12:30", 0),
	    DAY + 11550 + 10800, 0);
	tu_assert_double_equal(journal_parse_time("03:12", now),
	    DAY + 11520 + 10800, 0);
	tu_assert_double_equal(journal_parse_time("3:12:05", now),
	    DAY + 11525 + 10800, 0);
	tu_assert_double_equal(journal_parse_time("-90s", now), now - 90, 0);
	tu_assert_double_equal(journal_parse_time("-15m", now), now - 900, 0);
	tu_assert_double_equal(journal_parse_time("-2h", now), now - 7200, 0);
	tu_assert_double_equal(journal_parse_time("-1d", now), now - 86400, 0);
	tu_assert_double_equal(journal_parse_time("@1796267520", now),
	    1796267520, 0);
	tu_assert_nan(journal_parse_time("", now));
	tu_assert_nan(journal_parse_time(NULL, now));
	tu_assert_nan(journal_parse_time("yesterday", now));
	tu_assert_nan(journal_parse_time("25:00", now));
	tu_assert_nan(journal_parse_time("03:60", now));
	tu_assert_nan(journal_parse_time("2026-13-01 00:00", now));
	tu_assert_nan(journal_parse_time("2026-12-03", now));
	tu_assert_nan(journal_parse_time("-5x", now));
	tu_assert_nan(journal_parse_time("-h", now));
	tu_assert_nan(journal_parse_time("03:12junk", now));
	tu_assert_nan(journal_parse_time("2026-12-03T03:12:00Zx", now));
	unsetenv("TZ");
	tzset();
}

/* A replay's :at: a clock alone is the nearest one, across midnight too. */
static void
test_parse_moment(void **state)
{
	double	 midnight = DAY + 3 * 3600;	/* 2026-12-03 00:00 local */
	double	 shown = midnight + 300;	/* 00:05 */

	(void)state;
	setenv("TZ", "<-03>3", 1);
	tzset();
	/* 23:55 seen at 00:05 is ten minutes before, not a day later. */
	tu_assert_double_equal(journal_parse_moment("23:55", shown),
	    midnight - 300, 0);
	tu_assert_double_equal(journal_parse_moment("00:01:30", shown),
	    midnight + 90, 0);
	/* Up to 12 hours either way; 13:00 is the afternoon before. */
	tu_assert_double_equal(journal_parse_moment("11:00", shown),
	    midnight + 11 * 3600, 0);
	tu_assert_double_equal(journal_parse_moment("13:00", shown),
	    midnight - 11 * 3600, 0);
	tu_assert_double_equal(journal_parse_moment("-15m", shown),
	    shown - 900, 0);
	tu_assert_double_equal(journal_parse_moment("2026-12-03 03:12",
	    shown), journal_parse_time("2026-12-03 03:12", 0), 0);
	/* The journal command's clock stays on the day of now. */
	tu_assert_double_equal(journal_parse_time("23:55", shown),
	    midnight + 86400 - 300, 0);
	/*
	 * The night summer time ends (Paris, 2026-10-25 03:00 CEST is
	 * 02:00 CET): 23:00 seen at 00:30 is 23:00 CEST the evening
	 * before, 90 minutes back, not 24 hours of seconds before 23:00 CET.
	 */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	shown = journal_parse_time("2026-10-24T22:30:00Z", 0);
	tu_assert_double_equal(journal_parse_moment("23:00", shown),
	    journal_parse_time("2026-10-24T21:00:00Z", 0), 0);
	tu_assert_nan(journal_parse_moment("25:00", shown));
	unsetenv("TZ");
	tzset();
}

/* Event lines with control characters arrive harmless. */
static void
test_hostile_strings(void **state)
{
	struct fx	*fx = *state;
	struct got	 g = { json_array(), NULL, 0, 0, 0 };
	char		*path = strdup(sim_path(&fx->sim, "hostile.jsonl"));
	char		*err = NULL;

	sim_write_file(path, "{\"time\":\"2026-12-03T03:12:00Z\","
	    "\"event\":\"tunnel-state\",\"device\":\"d0\",\"vdom\":\"root\","
	    "\"tunnel\":\"evil\\u001b]0;pwned\\u0007\\u001b[2J\","
	    "\"item\":null,\"from\":\"up\",\"to\":\"down\","
	    "\"detail\":\"a\\tb\\nc\\u009bd\"}\n");
	assert_int_equal(journal_read(&path, 1, NAN, NAN, on_event, NULL, &g,
	    NULL, &err), 0);
	assert_int_equal(json_array_size(g.events), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    g.events, 0), "tunnel")), "evil");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    g.events, 0), "detail")), "a b c?d");
	json_decref(g.events);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_parse_moment),
	};
	const struct CMUnitTest more[] = {
		cmocka_unit_test(test_read_counts_and_events),
		cmocka_unit_test(test_snapshot_round_trip),
		cmocka_unit_test(test_since_until),
		cmocka_unit_test(test_scan_and_snapshot_at),
		cmocka_unit_test(test_scan_broken_snapshot),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_events_build_estate),
	};
	int	 rc;

	rc = cmocka_run_group_tests_name("jread", tests, NULL, NULL);
	/* The rest shares one fgtsim run and its journal. */
	rc += cmocka_run_group_tests_name("jread-journal", more, setup,
	    teardown);
	return (rc);
}
