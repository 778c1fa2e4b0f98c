/* SPDX-License-Identifier: ISC */
/*
 * test_journal - the event journal's writer: the lines it writes, its
 * rotation by UTC day and by size (a clock given to it, so midnight is
 * any time), and a journal that cannot be written (a full disk, a path
 * under a regular file), which is a warning that names the path, the
 * reason and the events dropped, never a stop.
 *
 * The lines are read back with jansson and compared field by field with
 * the events the test made; a snapshot's document is checked for the
 * device and tunnel the model holds.
 *
 * Then the real fgtop against the real fgtsim on loopback: a run with
 * --watch-json on the flapping scenario, stopped, and a --once after
 * it, whose uptime, flap count and downtime must go on from the first
 * run's journal - what they must be is derived from the transitions the
 * scenario's own model goes through (loaded in process), each seen
 * within a poll; a --once whose journal is on a full disk or under a
 * regular file; and `fgtop journal`'s filters and its text, on a
 * journal written here with a torn last line, garbage and an escape
 * sequence in a detail.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <time.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "model.h"
#include "sim/device.h"
#include "simutil.h"
#include "testutil.h"
#include "tunnel_summary.h"

/* 2026-12-03T23:59:58Z: two seconds before a UTC day ends. */
#define T1	1796342398.0

struct fx {
	struct sim	 sim;		/* the scratch directory only */
	struct model	*m;
	struct mdev	*d;
};

static int
setup(void **state)
{
	struct fx		*fx = calloc(1, sizeof *fx);
	struct tunnel_summary	*ts;
	const char		*text = "'hq' 10.0.0.1:0  selectors(total,up):"
	    " 1/1  rx(pkt,err): 5/0  tx(pkt,err): 7/0\n";

	sim_init(&fx->sim);
	fx->m = model_new();
	fx->d = model_add_device(fx->m, "fw1", "127.0.0.1", 22);
	/* One round: the model is complete, snapshots may be written. */
	ts = tunnel_summary_parse(text, strlen(text));
	model_round_begin(fx->d);
	model_merge_summary(model_vdom(fx->d, "root"), ts, 1, T1 - 10);
	model_round_end(fx->d, T1 - 10, 3);
	tunnel_summary_free(ts);
	mevent_free(model_events_take(fx->m, NULL));
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	model_free(fx->m);
	sim_cleanup(&fx->sim);
	free(fx);
	return (0);
}

/* One tunnel-state event of hq at t, handed to the journal. */
static void
event(struct fx *fx, struct journal *j, double t, const char *from,
    const char *to)
{
	struct mevent	*ev;

	model_event(fx->m, t, "tunnel-state", "fw1", "root", "hq", NULL,
	    from, to, NULL);
	ev = model_events_take(fx->m, NULL);
	journal_events(j, ev, t);
	mevent_free(ev);
}

/* The lines of a file, decoded; *n gets their number. */
static json_t **
lines_of(const char *path, size_t *n)
{
	char	*text = sim_read_file(path), *l, *nl;
	json_t	**v = NULL;

	*n = 0;
	for (l = text; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		v = realloc(v, (*n + 1) * sizeof *v);
		assert_non_null(v);
		v[(*n)++] = tu_json(l, path);
	}
	assert_string_equal(l, "");	/* every line ends */
	free(text);
	return (v);
}

static void
lines_free(json_t **v, size_t n)
{
	while (n > 0)
		json_decref(v[--n]);
	free(v);
}

/* tu_jstr, with a JSON null as "(null)", for assert_string_equal. */
static const char *
jstr(json_t *o, const char *k)
{
	const char	*v = tu_jstr(o, k);

	return (v != NULL ? v : "(null)");
}

/* An event line: exactly the --watch-json fields, with these values. */
static void
want_event(json_t *o, const char *time, const char *from, const char *to)
{
	assert_int_equal(json_object_size(o), 9);
	assert_string_equal(jstr(o, "time"), time);
	assert_string_equal(jstr(o, "event"), "tunnel-state");
	assert_string_equal(jstr(o, "device"), "fw1");
	assert_string_equal(jstr(o, "vdom"), "root");
	assert_string_equal(jstr(o, "tunnel"), "hq");
	assert_string_equal(jstr(o, "item"), "(null)");
	assert_string_equal(jstr(o, "from"), from);
	assert_string_equal(jstr(o, "to"), to);
	assert_string_equal(jstr(o, "detail"), "(null)");
}

/* A snapshot line at time, of the model setup() made. */
static void
want_snapshot(json_t *o, const char *time)
{
	json_t	*doc, *dev, *tun;

	assert_string_equal(jstr(o, "event"), "snapshot");
	assert_string_equal(jstr(o, "time"), time);
	doc = json_object_get(o, "model");
	assert_non_null(doc);
	assert_string_equal(jstr(doc, "generated_at"), time);
	assert_int_equal(json_array_size(json_object_get(doc, "devices")), 1);
	dev = json_array_get(json_object_get(doc, "devices"), 0);
	assert_string_equal(jstr(dev, "name"), "fw1");
	assert_null(json_object_get(dev, "tools"));
	tun = json_array_get(json_object_get(json_array_get(
	    json_object_get(dev, "vdoms"), 0), "tunnels"), 0);
	assert_string_equal(jstr(tun, "name"), "hq");
	assert_int_equal(json_integer_value(json_object_get(tun, "rx_pkt")),
	    5);
	assert_int_equal(json_integer_value(json_object_get(tun,
	    "flaps_1h")), 0);
}

/* Two seconds before midnight, then past it: a file a UTC day. */
static void
test_rotation_day(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "j"), 0, 0, 0, 0, 0 };
	struct journal		*j;
	json_t			**v;
	size_t			 n;
	char			 day1[512], day2[512];
	struct stat		 st;

	snprintf(day1, sizeof day1, "%s/journal-20261203.jsonl",
	    sim_path(&fx->sim, "j"));
	snprintf(day2, sizeof day2, "%s/journal-20261204.jsonl",
	    sim_path(&fx->sim, "j"));
	assert_int_equal(mkdir(sim_path(&fx->sim, "j"), 0700), 0);
	j = journal_open(NULL, fx->m, &o, T1);
	assert_string_equal(journal_path(j), day1);
	event(fx, j, T1, "up", "down");
	journal_tick(j, T1 + 0.5);
	event(fx, j, T1 + 1, "down", "up");
	/* Past midnight: the next events go to the next day's file. */
	event(fx, j, T1 + 3, "up", "degraded");
	journal_tick(j, T1 + 3.5);
	assert_string_equal(journal_path(j), day2);
	journal_free(j);

	assert_int_equal(stat(day1, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	v = lines_of(day1, &n);
	/* The model first (complete at the first events), then events. */
	assert_int_equal(n, 3);
	want_snapshot(v[0], "2026-12-03T23:59:58.000Z");
	want_event(v[1], "2026-12-03T23:59:58.000Z", "up", "down");
	want_event(v[2], "2026-12-03T23:59:59.000Z", "down", "up");
	lines_free(v, n);
	/* A file replays on its own: the model comes first. */
	v = lines_of(day2, &n);
	assert_int_equal(n, 2);
	want_snapshot(v[0], "2026-12-04T00:00:01.000Z");
	want_event(v[1], "2026-12-04T00:00:01.000Z", "up", "degraded");
	lines_free(v, n);
}

/* A file past max_bytes goes on in journal-DAY.1.jsonl, then .2. */
static void
test_rotation_size(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "j/"), 0, 0, 4096, 0,
	    0 };
	struct journal		*j;
	json_t			**v;
	size_t			 n, total = 0, k, i;
	char			 path[3][512];
	struct stat		 st;
	double			 t = T1 - 3600;

	for (k = 0; k < 3; k++) {
		if (k == 0)
			snprintf(path[k], sizeof path[k],
			    "%s/journal-20261203.jsonl",
			    sim_path(&fx->sim, "j"));
		else
			snprintf(path[k], sizeof path[k],
			    "%s/journal-20261203.%zu.jsonl",
			    sim_path(&fx->sim, "j"), k);
	}
	/* The directory is made (a trailing slash says it is one). */
	j = journal_open(NULL, fx->m, &o, t);
	journal_tick(j, t);		/* the first snapshot */
	for (i = 0; i < 60; i++) {
		event(fx, j, t, i % 2 ? "down" : "up", i % 2 ? "up" : "down");
		journal_tick(j, t);
		t += 1;
	}
	journal_free(j);
	for (k = 0; k < 3; k++) {
		assert_int_equal(stat(path[k], &st), 0);
		v = lines_of(path[k], &n);
		/* Each file starts with the model and ends with an event. */
		tu_assert_cmp(n, >=, 2);
		want_snapshot(v[0], jstr(v[0], "time"));
		assert_string_equal(jstr(v[n - 1], "event"), "tunnel-state");
		total += n - 1;
		/* Rotation happens at the first write past the size. */
		if (k < 2) {
			char	*first = json_dumps(v[0], JSON_COMPACT);
			char	*last = json_dumps(v[n - 1], JSON_COMPACT);
			off_t	 events = st.st_size - (off_t)strlen(first) - 1;

			/* The events' bytes count, not the snapshot's. */
			tu_assert_cmp(events, >=, 4096);
			tu_assert_cmp(events - (off_t)strlen(last) - 1, <,
			    4096);
			free(first);
			free(last);
		}
		lines_free(v, n);
	}
	assert_int_equal(total, 60);
	/* Three files hold it all; no fourth was started. */
	assert_int_equal(stat(sim_path(&fx->sim,
	    "j/journal-20261203.3.jsonl"), &st), -1);
}

/*
 * A snapshot bigger than the size (a 1,000-device estate's is ~80 MB)
 * starts no new file by itself: events do.
 */
static void
test_rotation_big_snapshot(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "j/"), 1000, 0, 100, 0,
	    0 };
	struct journal		*j;
	struct stat		 st;
	json_t			**v;
	size_t			 n;
	int			 i;

	j = journal_open(NULL, fx->m, &o, T1 - 60);
	for (i = 0; i < 10; i++)	/* a snapshot a second */
		journal_tick(j, T1 - 60 + i);
	assert_int_equal(stat(sim_path(&fx->sim,
	    "j/journal-20261203.1.jsonl"), &st), -1);
	event(fx, j, T1 - 50, "up", "down");
	journal_tick(j, T1 - 50);
	journal_tick(j, T1 - 49.5);
	journal_free(j);
	v = lines_of(sim_path(&fx->sim, "j/journal-20261203.jsonl"), &n);
	/* Ten snapshots, the event, the snapshot of its second. */
	assert_int_equal(n, 12);
	want_snapshot(v[9], "2026-12-03T23:59:07.000Z");
	want_event(v[10], "2026-12-03T23:59:08.000Z", "up", "down");
	want_snapshot(v[11], "2026-12-03T23:59:08.000Z");
	lines_free(v, n);
	/* Past the size with its event: the next file has the model. */
	v = lines_of(sim_path(&fx->sim, "j/journal-20261203.1.jsonl"), &n);
	assert_int_equal(n, 1);
	want_snapshot(v[0], "2026-12-03T23:59:08.500Z");
	lines_free(v, n);
}

/* A full disk: the events are counted as dropped, the warning says so. */
static void
test_full_disk(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { "/dev/full", 0, 0, 0, 0, 0 };
	struct journal		*j;

	j = journal_open(NULL, fx->m, &o, T1);
	assert_null(fx->m->warning);
	event(fx, j, T1, "up", "down");
	event(fx, j, T1, "down", "up");
	journal_tick(j, T1 + 1);
	assert_int_equal(journal_dropped(j), 2);
	assert_string_equal(fx->m->warning, "journal /dev/full: No space "
	    "left on device (2 events dropped)");
	/* Closed until the retry: more events, more dropped. */
	event(fx, j, T1 + 2, "up", "down");
	journal_tick(j, T1 + 3);
	assert_int_equal(journal_dropped(j), 3);
	assert_string_equal(fx->m->warning, "journal /dev/full: No space "
	    "left on device (3 events dropped)");
	/* The retry opens it again; the next write fails the same. */
	event(fx, j, T1 + 1 + JOURNAL_RETRY_S, "down", "up");
	journal_tick(j, T1 + 1.5 + JOURNAL_RETRY_S);
	assert_int_equal(journal_dropped(j), 4);
	journal_free(j);
}

/*
 * A directory that cannot be made (a regular file is in the way, which
 * stops root too), then can: the warning goes, the file starts with a
 * snapshot, the events of the outage stay counted.
 */
static void
test_unwritable_then_fixed(void **state)
{
	struct fx		*fx = *state;
	char			 dir[512], file[512];
	struct journal_opts	 o = { dir, 0, 0, 0, 0, 0 };
	struct journal		*j;
	json_t			**v;
	size_t			 n;

	snprintf(dir, sizeof dir, "%s/", sim_path(&fx->sim, "blocked/j"));
	snprintf(file, sizeof file, "%s/journal-20261203.jsonl",
	    sim_path(&fx->sim, "blocked/j"));
	sim_write_file(sim_path(&fx->sim, "blocked"), "a file\n");
	j = journal_open(NULL, fx->m, &o, T1 - 100);
	assert_non_null(fx->m->warning);
	assert_non_null(strstr(fx->m->warning, "blocked/j: Not a directory"));
	event(fx, j, T1 - 99, "up", "down");
	journal_tick(j, T1 - 98);
	assert_int_equal(journal_dropped(j), 1);
	assert_non_null(strstr(fx->m->warning, "Not a directory (1 event "
	    "dropped)"));

	assert_int_equal(unlink(sim_path(&fx->sim, "blocked")), 0);
	event(fx, j, T1 - 100 + JOURNAL_RETRY_S, "down", "up");
	journal_tick(j, T1 - 99 + JOURNAL_RETRY_S);
	assert_null(fx->m->warning);
	assert_int_equal(journal_dropped(j), 1);
	journal_free(j);
	v = lines_of(file, &n);
	assert_int_equal(n, 2);
	want_snapshot(v[0], "2026-12-03T23:58:48.000Z");
	want_event(v[1], "2026-12-03T23:58:48.000Z", "down", "up");
	lines_free(v, n);
}

/*
 * --once: its events go on in the day's file, with no model at its start
 * (a cron job's every run would write one); a new file still gets it.
 */
static void
test_once_no_snapshot(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "j/"), 0, 0, 0, 1, 0 };
	struct journal		*j;
	json_t			**v;
	size_t			 n;
	int			 k;

	for (k = 0; k < 2; k++) {
		j = journal_open(NULL, fx->m, &o, T1 - 100 + k);
		event(fx, j, T1 - 100 + k, "up", "down");
		journal_tick(j, T1 - 99 + k);
		journal_free(j);
	}
	v = lines_of(sim_path(&fx->sim, "j/journal-20261203.jsonl"), &n);
	assert_int_equal(n, 3);
	want_snapshot(v[0], "2026-12-03T23:58:18.000Z");
	want_event(v[1], "2026-12-03T23:58:18.000Z", "up", "down");
	want_event(v[2], "2026-12-03T23:58:19.000Z", "up", "down");
	lines_free(v, n);
}

/*
 * Paths that are no file: a FIFO is refused at once (its open would wait
 * for a reader), never written or replaced; /dev/null takes the lines.
 */
static void
test_not_a_file(void **state)
{
	struct fx		*fx = *state;
	char			 fifo[512], want[1024];
	struct journal_opts	 o = { fifo, 0, 0, 0, 0, 0 };
	struct journal		*j;
	struct stat		 st;

	snprintf(fifo, sizeof fifo, "%s", sim_path(&fx->sim, "fifo"));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	j = journal_open(NULL, fx->m, &o, T1);
	event(fx, j, T1, "up", "down");
	journal_tick(j, T1 + 1);
	journal_free(j);
	snprintf(want, sizeof want, "journal %s: not a file, a directory or "
	    "a character device (1 event dropped)", fifo);
	assert_string_equal(fx->m->warning, want);
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));

	model_warning(fx->m, NULL);
	o.path = "/dev/null";
	j = journal_open(NULL, fx->m, &o, T1);
	event(fx, j, T1, "up", "down");
	journal_tick(j, T1 + 1);
	assert_int_equal(journal_dropped(j), 0);
	journal_free(j);
	assert_null(fx->m->warning);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

/* A snapshot every snapshot_ms, not more often. */
static void
test_snapshot_interval(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "one.jsonl"), 60000,
	    0, 0, 0, 0 };
	struct journal		*j;
	json_t			**v;
	size_t			 n, i, snaps = 0;
	double			 t;

	j = journal_open(NULL, fx->m, &o, T1 - 600);
	/* Ten minutes of ticks a second: the first, then one a minute. */
	for (t = T1 - 600; t < T1; t += 1)
		journal_tick(j, t);
	journal_free(j);
	v = lines_of(sim_path(&fx->sim, "one.jsonl"), &n);
	for (i = 0; i < n; i++)
		if (strcmp(jstr(v[i], "event"), "snapshot") == 0)
			snaps++;
	assert_int_equal(n, 10);
	assert_int_equal(snaps, 10);
	assert_string_equal(jstr(v[1], "time"), "2026-12-03T23:50:58.000Z");
	lines_free(v, n);
}

/*
 * The interval not given: every 10 min, or less often when a day of
 * snapshots this size would pass the budget.
 */
static void
test_snapshot_budget(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "b.jsonl"), 0, 0, 0,
	    0, 0 };
	struct journal		*j;
	json_t			**v;
	char			*text, *p;
	size_t			 n, i, len;
	double			 t, gap, want;

	/* Without a budget given, the default: 10 minutes. */
	j = journal_open(NULL, fx->m, &o, T1 - 3600);
	for (t = T1 - 3600; t < T1 - 1800; t += 10)
		journal_tick(j, t);
	journal_free(j);
	v = lines_of(sim_path(&fx->sim, "b.jsonl"), &n);
	assert_int_equal(n, 3);
	lines_free(v, n);

	/* A budget of 20 snapshot lengths a day: one every 72 min. */
	text = sim_read_file(sim_path(&fx->sim, "b.jsonl"));
	len = strcspn(text, "\n") + 1;
	free(text);
	o.path = sim_path(&fx->sim, "c.jsonl");
	o.snapshot_budget = 20 * len;
	j = journal_open(NULL, fx->m, &o, T1 - 4 * 3600);
	for (t = T1 - 4 * 3600; t < T1; t += 10)
		journal_tick(j, t);
	journal_free(j);
	v = lines_of(sim_path(&fx->sim, "c.jsonl"), &n);
	assert_int_equal(n, 4);	/* at about 0, 72, 144 and 216 min */
	/* Each gap from the size of the snapshot before it (ticks of 10 s). */
	text = sim_read_file(sim_path(&fx->sim, "c.jsonl"));
	p = text;
	for (i = 1; i < n; i++) {
		len = strcspn(p, "\n") + 1;
		p += len;
		want = (double)len * 86400 / (double)o.snapshot_budget;
		gap = tu_iso_time(jstr(v[i], "time")) -
		    tu_iso_time(jstr(v[i - 1], "time"));
		assert_in_range((long)gap, (long)want, (long)want + 10);
	}
	free(text);
	lines_free(v, n);
}

/* The model a restore feeds: fw1's hq after one up round at now. */
static struct mtun *
restored(struct fx *fx, struct model **m, double now)
{
	struct tunnel_summary	*ts;
	struct mdev		*d;
	char			*err = NULL;
	const char		*text = "'hq' 10.0.0.1:0  selectors(total,up):"
	    " 1/1  rx(pkt,err): 5/0  tx(pkt,err): 7/0\n";

	*m = model_new();
	d = model_add_device(*m, "fw1", "127.0.0.1", 22);
	assert_int_equal(journal_restore(*m, sim_path(&fx->sim, "j"), now,
	    &err), 0);
	assert_null(err);
	ts = tunnel_summary_parse(text, strlen(text));
	model_round_begin(d);
	model_merge_summary(model_vdom(d, "root"), ts, 1, now);
	model_round_end(d, now, 3);
	tunnel_summary_free(ts);
	return (model_tunnel(model_vdom(d, "root"), "hq"));
}

/*
 * Restore: the first file's snapshot says since when hq is up; the
 * events after it go on from there.
 */
static void
test_restore(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "j/"), 0, 0, 0, 0, 0 };
	struct journal		*j;
	struct model		*m;
	struct mtun		*t;

	/* setup() saw hq up at T1 - 10; the snapshot says so. */
	j = journal_open(NULL, fx->m, &o, T1 - 5);
	journal_tick(j, T1 - 5);
	journal_free(j);
	t = restored(fx, &m, T1 - 2);
	tu_assert_double_equal(model_tunnel_uptime(t, T1), 10, 1e-6);
	assert_int_equal(model_tunnel_flaps(t, T1, 3600), 0);
	model_free(m);

	j = journal_open(NULL, fx->m, &o, T1 + 100);
	event(fx, j, T1 + 100, "up", "down");
	event(fx, j, T1 + 160, "down", "up");
	journal_tick(j, T1 + 161);
	journal_free(j);
	t = restored(fx, &m, T1 + 200);
	tu_assert_double_equal(model_tunnel_uptime(t, T1 + 200), 40, 1e-6);
	assert_int_equal(model_tunnel_flaps(t, T1 + 200, 3600), 1);
	tu_assert_double_equal(model_tunnel_downtime(t, T1 + 200, 86400), 60,
	    1e-6);
	model_free(m);
}

/* fgtop against fgtsim. */

static double
wall_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static json_t *
tunnel_of(json_t *doc, const char *name)
{
	json_t	*dev, *vd, *t;
	size_t	 i, k, n;

	json_array_foreach(json_object_get(doc, "devices"), i, dev)
		json_array_foreach(json_object_get(dev, "vdoms"), k, vd)
			json_array_foreach(json_object_get(vd, "tunnels"), n,
			    t)
				if (strcmp(jstr(t, "name"), name) == 0)
					return (t);
	fail_msg("no tunnel %s in the document", name);
	return (NULL);
}

static double
jnum(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL || !json_is_number(v))
		fail_msg("\"%s\" is not a number", k);
	return (json_number_value(v));
}

#define SPEED	20.0	/* fgtsim --speed */
#define MARGIN	20.0	/* simulated seconds: a poll and its latency */

struct seen {
	double	 t;		/* wall clock */
	char	 to[16];
};

/*
 * The states fgtop saw the tunnel take during the watch (tunnel-added,
 * then each tunnel-state), checked against the scenario: every
 * transition of the scenario's model in the span is seen, in order,
 * within MARGIN simulated seconds.
 */
static size_t
watch_states(const char *text, const char *scn, const char *tunnel,
    double t0, double t1, struct seen *seen, size_t max)
{
	struct sim_world	*w;
	struct sim_tunnel	*st = NULL;
	struct sim_device	*d;
	struct { double t; int up; } want[64];
	char			 err[256], name[320], *l, *nl;
	char			*copy = strdup(text);
	const char		*ev;
	json_t			*o;
	size_t			 n = 0, nwant = 0, i, k;
	double			 t;
	int			 prev = -1, up;

	w = sim_world_load(sim_scenario(scn), err, sizeof err);
	if (w == NULL)
		fail_msg("%s: %s", scn, err);
	d = w->devices[0];
	for (k = 0; k < d->vdoms[0]->ntunnels; k++)
		if (strcmp(d->vdoms[0]->tunnels[k]->name, tunnel) == 0)
			st = d->vdoms[0]->tunnels[k];
	assert_non_null(st);
	for (t = 0; t <= (t1 - t0) * SPEED; t += 0.25) {
		sim_world_advance(w, t);
		up = st->state == ST_UP;
		if (prev >= 0 && up != prev && nwant < 64) {
			want[nwant].t = t;
			want[nwant++].up = up;
		}
		prev = up;
	}
	sim_world_free(w);
	for (l = copy; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		o = tu_json(l, "a --watch-json line");
		ev = jstr(o, "event");
		if ((strcmp(ev, "tunnel-added") == 0 ||
		    strcmp(ev, "tunnel-state") == 0) &&
		    strcmp(jstr(o, "tunnel"), tunnel) == 0 && n < max) {
			seen[n].t = tu_iso_time(jstr(o, "time"));
			snprintf(seen[n].to, sizeof seen[n].to, "%s",
			    jstr(o, "to"));
			n++;
		}
		json_decref(o);
	}
	free(copy);
	tu_assert_cmp(n, >=, 1);
	/* A transition in the last poll before the stop may be unseen. */
	if (n - 1 + 1 == nwant && want[nwant - 1].t > (t1 - t0) * SPEED -
	    MARGIN)
		nwant--;
	if (n - 1 != nwant)
		fail_msg("%s: %zu transitions seen, the scenario has %zu",
		    tunnel, n - 1, nwant);
	for (i = 0; i < nwant; i++) {
		t = (seen[i + 1].t - t0) * SPEED;
		assert_string_equal(seen[i + 1].to, want[i].up ? "up" :
		    "down");
		snprintf(name, sizeof name, "%s %s seen at (s)", tunnel,
		    seen[i + 1].to);
		tu_assert_double_within(name, t, want[i].t - 1, want[i].t +
		    MARGIN);
	}
	return (n);
}

/*
 * Uptime, flaps and downtime at `now` of a tunnel that took the states
 * seen, the last one held since then (fgtop was stopped; the next run
 * trusts it held).
 */
static void
expect_history(const struct seen *seen, size_t n, double now,
    double *uptime, int *flaps, double *down)
{
	size_t	 i;
	double	 end;

	*uptime = 0;
	*flaps = 0;
	*down = 0;
	for (i = 0; i < n; i++) {
		end = i + 1 < n ? seen[i + 1].t : now;
		if (strcmp(seen[i].to, "down") == 0)
			*down += end - seen[i].t;
		if (i > 0 && strcmp(seen[i - 1].to, "up") == 0 &&
		    strcmp(seen[i].to, "up") != 0)
			(*flaps)++;
	}
	if (strcmp(seen[n - 1].to, "up") == 0)
		*uptime = now - seen[n - 1].t;
}

/*
 * The flapping scenario, fgtop stopped and started again: the second
 * run's --once numbers go on from the first run's journal.
 */
static void
test_restart(void **state)
{
	static const char *const tunnels[] = { "flap", "dpd" };
	struct fx	*fx = *state;
	struct seen	 seen[64];
	char		 jdir[512], what[64], *watch, *text;
	json_t		*doc, *t;
	double		 t0, t1, now, uptime, down;
	size_t		 i, n;
	int		 flaps, total = 0;

	snprintf(jdir, sizeof jdir, "%s/", sim_path(&fx->sim, "journal"));
	/* faults: `flap' up 40-80 s, down 10-25 s; `dpd' 60 up, 30 down. */
	sim_start(&fx->sim, sim_scenario("faults.scn"), "--speed", "20",
	    NULL);
	t0 = wall_s();
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	sim_fgtop_run(&fx->sim, 10, 1, "--watch-json", "--accept-new",
	    "--journal", jdir, "--poll", "0.25", "--full-poll", "0.25", NULL);
	t1 = wall_s();
	watch = sim_read_file(fx->sim.out);
	assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once", "--json",
	    "-c", "--accept-new", "--journal", jdir, NULL), 0);
	text = sim_read_file(fx->sim.out);
	doc = tu_json(text, "--once");
	free(text);
	assert_int_equal(json_array_size(json_object_get(doc, "warnings")),
	    0);
	now = tu_iso_time(jstr(doc, "generated_at"));
	for (i = 0; i < 2; i++) {
		n = watch_states(watch, "faults.scn", tunnels[i], t0, t1, seen,
		    63);
		t = tunnel_of(doc, tunnels[i]);
		/* The second run's poll: a change since the stop is one. */
		if (strcmp(jstr(t, "state"), seen[n - 1].to) != 0) {
			seen[n].t = now;
			snprintf(seen[n].to, sizeof seen[n].to, "%s",
			    jstr(t, "state"));
			n++;
		}
		expect_history(seen, n, now, &uptime, &flaps, &down);
		assert_int_equal((int)jnum(t, "flaps_1h"), flaps);
		/* Whole seconds; the second poll is up to a second early. */
		snprintf(what, sizeof what, "%s: uptime_s", tunnels[i]);
		tu_assert_double_named(what, jnum(t, "uptime_s"), uptime, 1.5);
		snprintf(what, sizeof what, "%s: down_24h_s", tunnels[i]);
		tu_assert_double_named(what, jnum(t, "down_24h_s"), down, 1.5);
		total += flaps;
	}
	/* The scenario flaps within the first run: something to carry. */
	assert_in_range(total, 2, 40);
	json_decref(doc);
	free(watch);
}
/* --once with a journal that cannot be written: said, and no harm. */
static void
test_once_unwritable(void **state)
{
	struct fx	*fx = *state;
	char		 path[512], want[1024], *text, *err;
	json_t		*doc, *t;
	const char	*w;
	size_t		 k;

	sim_start(&fx->sim, sim_scenario("walkthrough.scn"), NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	sim_write_file(sim_path(&fx->sim, "file"), "a regular file\n");
	snprintf(path, sizeof path, "%s/journal.jsonl",
	    sim_path(&fx->sim, "file"));
	for (k = 0; k < 2; k++) {
		assert_int_equal(sim_fgtop_run(&fx->sim, 30, 0, "--once",
		    "--json", "--accept-new", "--journal", k == 0 ?
		    "/dev/full" : path, NULL), 0);
		text = sim_read_file(fx->sim.out);
		doc = tu_json(text, "--once");
		free(text);
		/* The document is whole: both tunnels in their state. */
		assert_string_equal(jstr(json_array_get(json_object_get(doc,
		    "devices"), 0), "state"), "up");
		t = tunnel_of(doc, "to10.174.0.182");
		assert_string_equal(jstr(t, "state"), "up");
		t = tunnel_of(doc, "to10.189.0.182");
		assert_string_equal(jstr(t, "state"), "down");
		assert_int_equal(json_array_size(json_object_get(doc,
		    "warnings")), 1);
		w = json_string_value(json_array_get(json_object_get(doc,
		    "warnings"), 0));
		snprintf(want, sizeof want, "journal %s: %s (", k == 0 ?
		    "/dev/full" : path, k == 0 ? "No space left on device" :
		    "Not a directory");
		if (w == NULL || strncmp(w, want, strlen(want)) != 0 ||
		    strcmp(w + strlen(w) - 16, " events dropped)") != 0)
			fail_msg("warning \"%s\", want \"%s... events "
			    "dropped)\"", w != NULL ? w : "(null)", want);
		/* One line on stderr: the reason (the count grows later). */
		err = sim_read_file(sim_path(&fx->sim, "err"));
		snprintf(want, sizeof want, "fgtop: journal %s: %s", k == 0 ?
		    "/dev/full" : path, k == 0 ? "No space left on device" :
		    "Not a directory");
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strchr(err, '\n') != err + strlen(err) - 1)
			fail_msg("stderr \"%s\", want one line \"%s...\"", err,
			    want);
		free(err);
		json_decref(doc);
	}
}

/* A journal as a person or a crash may leave it. */
static const char journal_text[] =
    "{\"event\":\"snapshot\",\"time\":\"2026-12-03T10:00:00.000Z\","
    "\"model\":{\"fgtop_version\":\"0.1.0\",\"generated_at\":"
    "\"2026-12-03T10:00:00.000Z\",\"warnings\":[],\"devices\":[]}}\n"
    "{\"time\":\"2026-12-03T10:00:01.000Z\",\"event\":\"tunnel-added\","
    "\"device\":\"fw1\",\"vdom\":\"root\",\"tunnel\":\"hq\",\"item\":null,"
    "\"from\":null,\"to\":\"up\",\"detail\":null}\n"
    "{\"time\":\"2026-12-03T10:05:00.250Z\",\"event\":\"tunnel-state\","
    "\"device\":\"fw1\",\"vdom\":\"root\",\"tunnel\":\"hq\",\"item\":null,"
    "\"from\":\"up\",\"to\":\"down\",\"detail\":null}\n"
    "\n"
    "this is not json\n"
    "{\"time\":\"2026-12-03T10:06:00.000Z\",\"event\":\"something-new\","
    "\"device\":\"fw1\",\"vdom\":\"root\",\"tunnel\":\"hq\"}\n"
    "{\"time\":\"2026-12-03T10:07:00.000Z\",\"event\":\"tunnel-state\","
    "\"device\":\"fw2\",\"vdom\":\"dmz\",\"tunnel\":\"branch\",\"item\":"
    "null,\"from\":\"up\",\"to\":\"degraded\",\"detail\":null}\n"
    "{\"time\":\"2026-12-03T10:08:00.000Z\",\"event\":\"device-state\","
    "\"device\":\"fw2\",\"vdom\":null,\"tunnel\":null,\"item\":null,"
    "\"from\":\"up\",\"to\":\"unreachable\",\"detail\":\"connect: "
    "\\u001b[31mrefused\\u0007\"}\n"
    "{\"time\":\"2026-12-03T10:09:00.000Z\",\"event\":\"finding-raised\","
    "\"device\":\"fw1\",\"vdom\":\"root\",\"tunnel\":\"hq\",\"item\":"
    "\"ST-FLAP\",\"from\":null,\"to\":\"error\",\"detail\":\"the tunnel "
    "flaps\"}\n"
    /* Torn: the writer was cut off in the middle of the line. */
    "{\"time\":\"2026-12-03T10:10:00.000Z\",\"event\":\"tunnel-state\","
    "\"device\":\"fw1\",\"vdom\":\"root\",\"tunnel\":\"hq\",\"item\":null,"
    "\"from\":\"down\",\"to\":\"up\",\"detail\":nu";

/* fgtop journal ARGS... on the journal above; its stdout. */
static char *
journal_cmd(struct fx *fx, ...)
{
	const char	*args[16];
	char		 dir[512];
	va_list		 ap;
	int		 n = 0;

	snprintf(dir, sizeof dir, "%s", sim_path(&fx->sim, "jc"));
	args[n++] = sim_fgtop();
	args[n++] = "journal";
	args[n++] = "--journal";
	args[n++] = dir;
	va_start(ap, fx);
	while ((args[n] = va_arg(ap, const char *)) != NULL && n < 14)
		n++;
	va_end(ap);
	/* No connection options: the journal command reads a file. */
	assert_int_equal(sim_run(args, &(struct sim_proc){ NULL, fx->sim.out,
	    fx->sim.err, 0, 0, NULL }, 10, 0), 0);
	return (sim_read_file(fx->sim.out));
}

static void
expect_cmd(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

/* The events as lines (local time: UTC here), filtered, or as JSON. */
static void
test_journal_command(void **state)
{
	struct fx	*fx = *state;
	const char	*hq_added = "2026-12-03 10:00:01.000  fw1 root/hq  "
	    "tunnel-added up\n";
	const char	*hq_down = "2026-12-03 10:05:00.250  fw1 root/hq  "
	    "tunnel-state up -> down\n";
	const char	*branch = "2026-12-03 10:07:00.000  fw2 dmz/branch  "
	    "tunnel-state up -> degraded\n";
	const char	*fw2 = "2026-12-03 10:08:00.000  fw2  device-state "
	    "up -> unreachable: connect: refused\n";
	const char	*flap = "2026-12-03 10:09:00.000  fw1 root/hq  "
	    "finding-raised ST-FLAP error: the tunnel flaps\n";
	char		 want[2048];

	setenv("TZ", "UTC", 1);
	assert_int_equal(mkdir(sim_path(&fx->sim, "jc"), 0700), 0);
	sim_write_file(sim_path(&fx->sim, "jc/journal-20261203.jsonl"),
	    journal_text);
	/* Blank, garbled, unknown and torn lines are skipped. */
	snprintf(want, sizeof want, "%s%s%s%s%s", hq_added, hq_down, branch,
	    fw2, flap);
	expect_cmd(journal_cmd(fx, NULL), want);
	snprintf(want, sizeof want, "%s%s%s", hq_added, hq_down, flap);
	expect_cmd(journal_cmd(fx, "--device", "fw1", NULL), want);
	expect_cmd(journal_cmd(fx, "--tunnel", "branch", NULL), branch);
	expect_cmd(journal_cmd(fx, "--device", "fw2", "--tunnel", "hq",
	    NULL), "");
	/* [since, until], local time or UTC. */
	snprintf(want, sizeof want, "%s%s%s", hq_down, branch, fw2);
	expect_cmd(journal_cmd(fx, "--since", "2026-12-03 10:05",
	    "--until", "2026-12-03T10:08:00Z", NULL), want);
	/* A date: a clock alone is today's (test_jread), not the file's. */
	expect_cmd(journal_cmd(fx, "--since", "2026-12-03 10:08:00.001",
	    NULL), flap);
	/* --json: the lines as the writer stores them. */
	expect_cmd(journal_cmd(fx, "--json", "--tunnel", "branch", NULL),
	    "{\"time\":\"2026-12-03T10:07:00.000Z\",\"event\":"
	    "\"tunnel-state\",\"device\":\"fw2\",\"vdom\":\"dmz\",\"tunnel\":"
	    "\"branch\",\"item\":null,\"from\":\"up\",\"to\":\"degraded\","
	    "\"detail\":null}\n");
	expect_cmd(journal_cmd(fx, "--json", "--since", "2026-12-03 10:08",
	    "--until", "2026-12-03 10:08", NULL),
	    "{\"time\":\"2026-12-03T10:08:00.000Z\",\"event\":"
	    "\"device-state\",\"device\":\"fw2\",\"vdom\":null,\"tunnel\":"
	    "null,\"item\":null,\"from\":\"up\",\"to\":\"unreachable\","
	    "\"detail\":\"connect: refused\"}\n");
	unsetenv("TZ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rotation_day, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotation_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotation_big_snapshot,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_then_fixed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_interval, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_budget, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_once_no_snapshot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_once_unwritable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal_command, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
