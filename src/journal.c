/* SPDX-License-Identifier: ISC */
/*
 * journal - the event journal's writer, its read-back on start and
 * `fgtop journal`: see journal.h.
 *
 * One FILE at a time, written through a compact json file sink, so an
 * event and a snapshot go out in the order they were made and memory
 * stays at the sink's buffer whatever the snapshot's size.  A write
 * error is sticky in the sink: the batch is dropped, the FILE closed,
 * and the next attempt opens it afresh.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "diagnose_model.h"
#include "journal.h"
#include "jread.h"
#include "json.h"
#include "model.h"
#include "xfile.h"
#include "xmalloc.h"
#include "xtime.h"

/* An errno of our own: the path is no file a journal goes to. */
#define JOURNAL_ENOTFILE	(-1)

struct journal {
	uv_loop_t	*loop;
	struct model	*model;
	char		*dir;		/* rotating files here, or NULL */
	char		*file;		/* the one file (no rotation) */
	char		*path;		/* the file open now */
	FILE		*f;
	struct json	 json;
	int		 open;		/* json is initialised on f */
	int		 day;		/* UTC yyyymmdd of path */
	unsigned	 part;		/* .N of path, 0: none */
	uint64_t	 max_bytes;
	double		 snapshot_s;
	uint64_t	 snapshot_budget;	/* a day; 0: snapshot_s is fixed */
	double		 fsync_s;
	double		 last_snapshot;	/* 0: none yet */
	double		 last_fsync;
	double		 retry_at;
	int		 need_snapshot;	/* the file's first line is due */
	off_t		 snap_bytes;	/* of the file, in snapshots */
	unsigned	 batch;		/* events since the last good write */
	unsigned long	 dropped;
	int		 error;		/* errno of the failure, 0: fine */
	uv_timer_t	*timer;
	uv_fs_t		 fsync_req;
	int		 fsync_busy;
	FILE		*closing;	/* closed when its fsync returns */
};

static int
journal_day(double now)
{
	struct tm	 tm;
	time_t		 s = (time_t)now;

	gmtime_r(&s, &tm);
	return ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
}

/*
 * Every event the batch held is lost: count them, say why; retry opening
 * in JOURNAL_RETRY_S (retry: a failure now, not events dropped while
 * closed).
 */
static void
journal_fail(struct journal *j, int err, double now, int retry)
{
	const char	*why;
	char		*w;

	j->dropped += j->batch;
	j->batch = 0;
	j->error = err;
	if (retry)
		j->retry_at = now + JOURNAL_RETRY_S;
	why = err == JOURNAL_ENOTFILE ? "not a file, a directory or a "
	    "character device" : strerror(err);
	if (j->dropped == 0)
		xasprintf(&w, "journal %s: %s", j->path != NULL ? j->path :
		    j->dir != NULL ? j->dir : j->file, why);
	else
		xasprintf(&w, "journal %s: %s (%lu event%s dropped)",
		    j->path != NULL ? j->path : j->dir != NULL ? j->dir :
		    j->file, why, j->dropped, j->dropped == 1 ? "" : "s");
	model_warning(j->model, w);
	free(w);
}

static void
journal_fsync_cb(uv_fs_t *req)
{
	struct journal	*j = req->data;

	uv_fs_req_cleanup(req);
	j->fsync_busy = 0;
	if (j->closing != NULL) {
		fclose(j->closing);
		j->closing = NULL;
	}
}

/* Close the file open now; its last fsync may still be running. */
static void
journal_close_file(struct journal *j, int sync)
{
	if (!j->open)
		return;
	json_free(&j->json);
	j->open = 0;
	if (sync || j->loop == NULL) {
		fflush(j->f);
		fsync(fileno(j->f));
	}
	if (j->fsync_busy && j->closing == NULL)
		j->closing = j->f;
	else
		fclose(j->f);
	j->f = NULL;
}

/* The file for day (and the part after it), as the directory has it. */
static char *
journal_name(const struct journal *j, int day, unsigned part)
{
	char	*p;

	if (part == 0)
		xasprintf(&p, "%s/journal-%08d.jsonl", j->dir, day);
	else
		xasprintf(&p, "%s/journal-%08d.%u.jsonl", j->dir, day, part);
	return (p);
}

/*
 * Open the file to write now: the one file, or today's last part in
 * the directory (a new part when it is full).  -1 with errno.
 */
static int
journal_open_file(struct journal *j, double now)
{
	struct stat	 st;
	char		*p;
	int		 fd;

	free(j->path);
	j->path = NULL;
	if (j->dir != NULL) {
		if (xfile_mkdirs(j->dir) != 0)
			return (-1);
		if (j->day != journal_day(now)) {
			j->day = journal_day(now);
			j->part = 0;
		}
		for (;;) {
			p = journal_name(j, j->day, j->part);
			if (stat(p, &st) != 0 ||
			    (uint64_t)st.st_size < j->max_bytes)
				break;
			free(p);
			j->part++;
		}
		j->path = p;
	} else
		j->path = xstrdup(j->file);
	/*
	 * Appended to, never renamed over or truncated.  Not a block device
	 * (a disk), a FIFO (its open would wait for a reader: O_NONBLOCK
	 * says ENXIO instead) or a socket; a character device such as
	 * /dev/null or /dev/full is written as it is.
	 */
	fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NONBLOCK | O_NOCTTY, 0600);
	if (fd < 0) {
		if (errno == ENXIO)	/* a FIFO nobody reads */
			errno = JOURNAL_ENOTFILE;
		return (-1);
	}
	if (fstat(fd, &st) != 0 || S_ISBLK(st.st_mode) ||
	    S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) != 0) {
		close(fd);
		errno = JOURNAL_ENOTFILE;
		return (-1);
	}
	if ((j->f = fdopen(fd, "a")) == NULL) {
		close(fd);
		return (-1);
	}
	json_init_file(&j->json, j->f, JSON_COMPACT);
	j->open = 1;
	j->snap_bytes = 0;
	/* A new file (or one after lost lines) starts with the model. */
	if (fstat(fd, &st) == 0 && st.st_size == 0)
		j->need_snapshot = 1;
	if (j->error != 0)
		j->need_snapshot = 1;
	return (0);
}

/* Every device answered once (or said why not): the model is whole. */
static int
journal_model_complete(const struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->ndevs; i++)
		if (m->devs[i]->rounds == 0 &&
		    (m->devs[i]->state == MDEV_CONNECTING ||
		    m->devs[i]->state == MDEV_UP))
			return (0);
	return (m->ndevs > 0);
}

static int	journal_write(struct journal *, double);

/*
 * The model as one line.  Its bytes are counted apart: the size that
 * rotates a file is its events', or a snapshot bigger than the size (a
 * 1,000-device estate's) would start a new file at every tick.
 */
static void
journal_snapshot(struct journal *j, double now)
{
	off_t	 before, after;

	if (journal_write(j, now) != 0)
		return;
	before = ftello(j->f);
	json_obj_begin(&j->json);
	json_kstr(&j->json, "event", "snapshot");
	model_json_time(&j->json, "time", now);
	json_key(&j->json, "model");
	model_json_snapshot(&j->json, j->model, now, PACKAGE_VERSION,
	    diagnose_model_json);
	json_obj_end(&j->json);
	json_line_end(&j->json);
	j->last_snapshot = now;
	j->need_snapshot = 0;
	if (journal_write(j, now) != 0)
		return;
	after = ftello(j->f);
	if (before >= 0 && after >= before) {
		j->snap_bytes += after - before;
		/* The interval not given: the day's snapshots within budget. */
		if (j->snapshot_budget != 0)
			j->snapshot_s = fmax(JOURNAL_SNAPSHOT_MS / 1000.0,
			    (double)(after - before) * 86400 /
			    (double)j->snapshot_budget);
	}
}

/* Write out what the sink holds; a failure drops the batch. */
static int
journal_write(struct journal *j, double now)
{
	if (!j->open)
		return (-1);
	if (json_flush(&j->json) != 0) {
		int err = json_error(&j->json) != 0 ? json_error(&j->json) :
		    errno;

		journal_close_file(j, 0);
		journal_fail(j, err != 0 ? err : EIO, now, 1);
		return (-1);
	}
	j->batch = 0;
	if (j->error != 0) {
		j->error = 0;
		model_warning(j->model, NULL);
	}
	return (0);
}

static void
journal_fsync(struct journal *j, double now)
{
	if (!j->open || j->fsync_busy || now - j->last_fsync < j->fsync_s)
		return;
	j->last_fsync = now;
	if (j->loop == NULL) {
		fsync(fileno(j->f));
		return;
	}
	j->fsync_req.data = j;
	if (uv_fs_fsync(j->loop, &j->fsync_req, fileno(j->f),
	    journal_fsync_cb) == 0)
		j->fsync_busy = 1;
}

/* A new day, or the file passed its size: the next file. */
static int
journal_rotation_due(struct journal *j, double now)
{
	off_t	 size;

	if (j->dir == NULL || !j->open)
		return (0);
	if (journal_day(now) != j->day)
		return (1);
	size = ftello(j->f);
	return (size >= 0 && (uint64_t)(size - j->snap_bytes) >= j->max_bytes);
}

/* Open (again) when closed and its time has come. */
static void
journal_ensure(struct journal *j, double now)
{
	if (j->open || now < j->retry_at)
		return;
	if (journal_open_file(j, now) != 0)
		journal_fail(j, errno, now, 1);
}

/*
 * Write out what is buffered and go on in the next file when the day
 * changed or the file is full; then the snapshot when one is due (the
 * first line of a new file).  -1 when the journal is closed.
 */
static int
journal_advance(struct journal *j, double now)
{
	journal_ensure(j, now);
	if (!j->open)
		return (-1);
	if (!journal_rotation_due(j, now))
		return (0);
	if (journal_write(j, now) != 0)
		return (-1);
	journal_close_file(j, 0);
	j->day = journal_day(now);
	if (journal_open_file(j, now) != 0) {
		journal_fail(j, errno, now, 1);
		return (-1);
	}
	return (0);
}

void
journal_tick(struct journal *j, double now)
{
	if (journal_advance(j, now) != 0 || journal_write(j, now) != 0)
		return;
	if (journal_model_complete(j->model) && (j->need_snapshot ||
	    j->last_snapshot == 0 || now - j->last_snapshot >= j->snapshot_s))
		journal_snapshot(j, now);
	if (j->open)
		journal_fsync(j, now);
}

void
journal_events(struct journal *j, const struct mevent *ev, double now)
{
	const struct mevent	*e;
	unsigned		 n = 0;

	for (e = ev; e != NULL; e = e->next)
		n++;
	if (n == 0)
		return;
	/* A new file begins with the model, then these events. */
	if (journal_advance(j, now) == 0 && j->need_snapshot &&
	    journal_model_complete(j->model))
		journal_snapshot(j, now);
	j->batch += n;
	if (!j->open) {
		journal_fail(j, j->error != 0 ? j->error : EIO, now, 0);
		return;
	}
	/* Held in the sink until the tick: a write a second, not an event. */
	for (; ev != NULL; ev = ev->next) {
		mevent_json(&j->json, ev);
		json_line_end(&j->json);
	}
}

static void
journal_timer_cb(uv_timer_t *t)
{
	journal_tick(t->data, xtime_now());
}

struct journal *
journal_open(uv_loop_t *loop, struct model *m,
    const struct journal_opts *o, double now)
{
	struct journal	*j = xcalloc(1, sizeof *j);
	struct stat	 st;
	char		*err = NULL;

	j->loop = loop;
	j->model = m;
	j->max_bytes = o->max_bytes != 0 ? o->max_bytes : JOURNAL_MAX_BYTES;
	j->snapshot_s = (o->snapshot_ms != 0 ? o->snapshot_ms :
	    JOURNAL_SNAPSHOT_MS) / 1000.0;
	if (o->snapshot_ms == 0)
		j->snapshot_budget = o->snapshot_budget != 0 ?
		    o->snapshot_budget : JOURNAL_SNAPSHOT_BUDGET;
	j->fsync_s = (o->fsync_ms != 0 ? o->fsync_ms : JOURNAL_FSYNC_MS) /
	    1000.0;
	if (o->path == NULL) {
		if ((j->dir = journal_dir(&err)) == NULL)
			j->file = err;	/* named in the warning */
	} else if ((stat(o->path, &st) == 0 && S_ISDIR(st.st_mode)) ||
	    (*o->path != '\0' && o->path[strlen(o->path) - 1] == '/'))
		j->dir = xstrdup(o->path);
	else
		j->file = xstrdup(o->path);
	while (j->dir != NULL && strlen(j->dir) > 1 &&
	    j->dir[strlen(j->dir) - 1] == '/')
		j->dir[strlen(j->dir) - 1] = '\0';
	j->last_fsync = now;
	if (o->once)
		j->last_snapshot = now;	/* none at start: see journal.h */
	if (err != NULL) {
		journal_fail(j, ENOENT, now, 1);
		j->retry_at = INFINITY;		/* no home: nowhere to retry */
	} else
		journal_ensure(j, now);
	if (loop != NULL) {
		j->timer = xmalloc(sizeof *j->timer);
		uv_timer_init(loop, j->timer);
		j->timer->data = j;
		uv_timer_start(j->timer, journal_timer_cb, 1000, 1000);
		uv_unref((uv_handle_t *)j->timer);
	}
	return (j);
}

static void
journal_timer_close_cb(uv_handle_t *h)
{
	free(h);
}

void
journal_close(struct journal *j)
{
	if (j->timer != NULL && !uv_is_closing((uv_handle_t *)j->timer)) {
		uv_close((uv_handle_t *)j->timer, journal_timer_close_cb);
		j->timer = NULL;
	}
	/* The loop stops: a last tick's fsync runs here, not queued. */
	j->loop = NULL;
}

void
journal_free(struct journal *j)
{
	if (j == NULL)
		return;
	if (j->open)
		json_flush(&j->json);	/* the caller ticked for errors */
	journal_close_file(j, 1);
	if (j->closing != NULL)
		fclose(j->closing);
	free(j->dir);
	free(j->file);
	free(j->path);
	free(j);
}

const char *
journal_path(const struct journal *j)
{
	return (j->path);
}

unsigned long
journal_dropped(const struct journal *j)
{
	return (j->dropped);
}

/* Restore. */

static int
journal_state_of(const char *name)
{
	int	 s;

	for (s = MTUN_UNKNOWN; name != NULL && s <= MTUN_UP; s++)
		if (strcmp(mtun_state_name(s), name) == 0)
			return (s);
	return (-1);
}

static int
journal_restore_event(const struct jread_event *ev, void *arg)
{
	int	 s;

	if (strcmp(ev->type, "tunnel-state") != 0 &&
	    strcmp(ev->type, "tunnel-added") != 0)
		return (0);
	if (ev->device == NULL || ev->vdom == NULL || ev->tunnel == NULL ||
	    (s = journal_state_of(ev->to)) < 0)
		return (0);
	model_history_restore(arg, ev->device, ev->vdom, ev->tunnel, s,
	    ev->time);
	return (0);
}

/*
 * A snapshot says each tunnel's state and since when: what a tunnel up
 * for a week shows, though its last transition left the window long
 * ago.  A state the events already told changes nothing.
 */
static int
journal_restore_snapshot(double time, struct model *snap, void *arg)
{
	const struct mdev	*d;
	const struct mvdom	*v;
	const struct mtun	*t;
	size_t			 i, k, n;

	for (i = 0; i < snap->ndevs; i++) {
		d = snap->devs[i];
		for (k = 0; k < d->nvdoms; k++) {
			v = d->vdoms[k];
			for (n = 0; n < v->ntunnels; n++) {
				t = v->tunnels[n];
				model_history_restore(arg, d->name, v->name,
				    t->name, t->state, t->changed_at > 0 &&
				    t->changed_at <= time ? t->changed_at :
				    time);
			}
		}
	}
	model_free(snap);
	return (0);
}

/* The files of path (a directory, or one file) with lines after since. */
static int
journal_paths(const char *path, double since, double until, char ***paths,
    size_t *n, char **err)
{
	struct stat	 st;
	char		*dir = NULL;
	int		 rc;

	if (path != NULL && stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		/* Only a regular file is read back: not /dev/full's zeros. */
		*n = 0;
		*paths = NULL;
		if (!S_ISREG(st.st_mode))
			return (0);
		*paths = xcalloc(1, sizeof **paths);
		(*paths)[0] = xstrdup(path);
		*n = 1;
		return (0);
	}
	if (path == NULL && (dir = journal_dir(err)) == NULL)
		return (-1);
	rc = journal_files(dir != NULL ? dir : path, since, until, paths, n,
	    err);
	free(dir);
	return (rc);
}

int
journal_restore(struct model *m, const char *path, double now, char **err)
{
	struct stat	 st;
	struct model	*snap;
	char		**paths, *dir = NULL, *serr = NULL;
	size_t		  n;
	double		  t;
	int		  rc;

	/*
	 * No journal yet (a first run, no home) is no error; nor is a path
	 * that cannot be: the writer says that one.
	 */
	if (path == NULL && (dir = journal_dir(err)) == NULL) {
		free(*err);
		*err = NULL;
		return (0);
	}
	rc = stat(dir != NULL ? dir : path, &st);
	free(dir);
	if (rc != 0)
		return (0);
	if (journal_paths(path, now - MODEL_HIST_SPAN, NAN, &paths, &n,
	    err) != 0)
		return (-1);
	/*
	 * One snapshot, the first file's first line (the writer starts a
	 * file so), says what held at the window's start; the events go on
	 * from there.  The other snapshots, tens of MB each for a large
	 * estate, are not decoded.
	 */
	if (n > 0 && (snap = journal_snapshot_at(paths[0], 0, &t, &serr)) !=
	    NULL)
		journal_restore_snapshot(t, snap, m);
	free(serr);
	rc = journal_read(paths, n, now - MODEL_HIST_SPAN, NAN,
	    journal_restore_event, NULL, m, NULL, err);
	journal_files_free(paths, n);
	return (rc == 0 ? 0 : -1);
}

/* fgtop journal. */

const char journal_synopsis[] =
    "       fgtop journal [--since T] [--until T] [--device D] "
    "[--tunnel T]\n"
    "             [--json] [--journal PATH]\n";

const char journal_usage[] =
    "  journal   print the journal's events, one line each (--json: the\n"
    "            JSON lines as stored); T is 2026-12-03T10:00:00Z, a local\n"
    "            \"2026-12-03 10:00\" or \"10:00\", -15m, -2h, @EPOCH\n";

struct journal_cmd {
	const char	*device;
	const char	*tunnel;
	int		 json_out;
	struct json	 json;
	unsigned long	 n;
};

/* Local time, as the dashboard shows it, to the millisecond. */
static void
journal_local(double t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 s = (time_t)floor(t);
	char		 hms[32];

	localtime_r(&s, &tm);
	strftime(hms, sizeof hms, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03d", hms, (int)((t - floor(t)) * 1000));
}

static int
journal_cmd_event(const struct jread_event *ev, void *arg)
{
	struct journal_cmd	*c = arg;
	struct mevent		 e;
	char			 when[64];

	if ((c->device != NULL && (ev->device == NULL ||
	    strcmp(ev->device, c->device) != 0)) ||
	    (c->tunnel != NULL && (ev->tunnel == NULL ||
	    strcmp(ev->tunnel, c->tunnel) != 0)))
		return (0);
	c->n++;
	if (c->json_out) {
		/* The writer's own function: the line as it was stored. */
		memset(&e, 0, sizeof e);
		e.time = ev->time;
		e.type = ev->type;
		e.device = (char *)(uintptr_t)ev->device;
		e.vdom = (char *)(uintptr_t)ev->vdom;
		e.tunnel = (char *)(uintptr_t)ev->tunnel;
		e.item = (char *)(uintptr_t)ev->item;
		e.from = (char *)(uintptr_t)ev->from;
		e.to = (char *)(uintptr_t)ev->to;
		e.detail = (char *)(uintptr_t)ev->detail;
		mevent_json(&c->json, &e);
		json_line_end(&c->json);
		return (0);
	}
	/* The reader made every string safe for a terminal. */
	journal_local(ev->time, when, sizeof when);
	printf("%s  %s", when, ev->device != NULL ? ev->device : "-");
	if (ev->tunnel != NULL)
		printf(" %s/%s", ev->vdom != NULL ? ev->vdom : "-",
		    ev->tunnel);
	printf("  %s", ev->type);
	if (ev->item != NULL)
		printf(" %s", ev->item);
	/* from -> to; a new tunnel's state or a finding's severity alone. */
	if (ev->from != NULL && ev->to != NULL)
		printf(" %s -> %s", ev->from, ev->to);
	else if (ev->to != NULL)
		printf(" %s", ev->to);
	else if (ev->from != NULL)
		printf(" %s ->", ev->from);
	if (ev->detail != NULL)
		printf(": %s", ev->detail);
	putchar('\n');
	return (0);
}

static double
journal_cmd_time(const char *opt, const char *s, double now)
{
	double	 t = journal_parse_time(s, now);

	if (isnan(t))
		fprintf(stderr, "fgtop: %s: not a time: %s (2026-12-03T10:00:"
		    "00Z, \"2026-12-03 10:00\", 10:00, -15m, @EPOCH)\n", opt,
		    s);
	return (t);
}

int
journal_main(int argc, char **argv)
{
	enum { OPT_SINCE = 256, OPT_UNTIL, OPT_DEVICE, OPT_TUNNEL, OPT_JSON,
	    OPT_JOURNAL };
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "tunnel", required_argument, NULL, OPT_TUNNEL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct journal_cmd	 c;
	struct jread_stats	 st;
	const char		*path = NULL;
	double			 now = xtime_now(), since = NAN, until = NAN;
	char			**paths = NULL, *err = NULL;
	size_t			 n = 0;
	int			 ch, rc = 0;

	memset(&c, 0, sizeof c);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			printf("usage:%s\n%s", journal_synopsis + 6,
			    journal_usage);
			return (0);
		case OPT_SINCE:
			if (isnan(since = journal_cmd_time("--since", optarg,
			    now)))
				return (2);
			break;
		case OPT_UNTIL:
			if (isnan(until = journal_cmd_time("--until", optarg,
			    now)))
				return (2);
			break;
		case OPT_DEVICE:
			c.device = optarg;
			break;
		case OPT_TUNNEL:
			c.tunnel = optarg;
			break;
		case OPT_JSON:
			c.json_out = 1;
			break;
		case OPT_JOURNAL:
			path = optarg;
			break;
		default:
			return (2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "fgtop: journal: unexpected argument %s\n",
		    argv[optind]);
		return (2);
	}
	if (journal_paths(path, since, until, &paths, &n, &err) != 0 ||
	    (n == 0 && xasprintf(&err, "%s: no journal files", path != NULL ?
	    path : "the journal directory") > 0)) {
		fprintf(stderr, "fgtop: journal: %s\n", err);
		free(err);
		journal_files_free(paths, n);
		return (1);
	}
	json_init_file(&c.json, stdout, JSON_COMPACT);
	if (journal_read(paths, n, since, until, journal_cmd_event, NULL, &c,
	    &st, &err) != 0) {
		fprintf(stderr, "fgtop: journal: %s\n", err);
		free(err);
		rc = 1;
	}
	if (json_flush(&c.json) != 0 || fflush(stdout) == EOF) {
		fprintf(stderr, "fgtop: journal: writing output: %s\n",
		    strerror(errno));
		rc = 1;
	}
	json_free(&c.json);
	journal_files_free(paths, n);
	return (rc);
}
