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
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "model.h"
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

static const char *
jstr(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL)
		fail_msg("no key \"%s\"", k);
	return (json_is_null(v) ? "(null)" : json_string_value(v));
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
	struct journal_opts	 o = { sim_path(&fx->sim, "j"), 0, 0, 0 };
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
	struct journal_opts	 o = { sim_path(&fx->sim, "j/"), 0, 0, 4096 };
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
		assert_true(n >= 2);
		want_snapshot(v[0], jstr(v[0], "time"));
		assert_string_equal(jstr(v[n - 1], "event"), "tunnel-state");
		total += n - 1;
		/* Rotation happens at the first write past the size. */
		if (k < 2) {
			char *last = json_dumps(v[n - 1], JSON_COMPACT);

			assert_true(st.st_size >= 4096);
			assert_true(st.st_size - (off_t)strlen(last) - 1 < 4096);
			free(last);
		}
		lines_free(v, n);
	}
	assert_int_equal(total, 60);
	/* Three files hold it all; no fourth was started. */
	assert_int_equal(stat(sim_path(&fx->sim,
	    "j/journal-20261203.3.jsonl"), &st), -1);
}

/* A full disk: the events are counted as dropped, the warning says so. */
static void
test_full_disk(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { "/dev/full", 0, 0, 0 };
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
	struct journal_opts	 o = { dir, 0, 0, 0 };
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

/* A snapshot every snapshot_ms, not more often. */
static void
test_snapshot_interval(void **state)
{
	struct fx		*fx = *state;
	struct journal_opts	 o = { sim_path(&fx->sim, "one.jsonl"), 60000,
	    0, 0 };
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rotation_day, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotation_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_then_fixed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_interval, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
