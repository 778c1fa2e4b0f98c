/* SPDX-License-Identifier: ISC */
/*
 * journal - the event journal's writer: see journal.h.
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
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "diagnose_model.h"
#include "journal.h"
#include "json.h"
#include "model.h"
#include "xmalloc.h"

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
	double		 fsync_s;
	double		 last_snapshot;	/* 0: none yet */
	double		 last_fsync;
	double		 retry_at;
	int		 need_snapshot;	/* the file's first line is due */
	unsigned	 batch;		/* events since the last good write */
	unsigned long	 dropped;
	int		 error;		/* errno of the failure, 0: fine */
	uv_timer_t	*timer;
	uv_fs_t		 fsync_req;
	int		 fsync_busy;
	FILE		*closing;	/* closed when its fsync returns */
};

char *
journal_default_dir(void)
{
	const char	*x, *home;
	struct passwd	*pw;
	char		*p;

	/* The XDG spec: a relative XDG_STATE_HOME is ignored. */
	if ((x = getenv("XDG_STATE_HOME")) != NULL && x[0] == '/') {
		xasprintf(&p, "%s/fgtop", x);
		return (p);
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			return (NULL);
		home = pw->pw_dir;
	}
	xasprintf(&p, "%s/.local/state/fgtop", home);
	return (p);
}

static int
journal_day(double now)
{
	struct tm	 tm;
	time_t		 s = (time_t)now;

	gmtime_r(&s, &tm);
	return ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
}

/* mkdir -p, 0700: the journal names devices and peers. */
static int
journal_mkdirs(const char *dir)
{
	char	*p = xstrdup(dir), *s;
	int	 rc = 0, end;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		end = *s == '\0';
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return (rc);
}

/*
 * Every event the batch held is lost: count them, say why; retry opening
 * in JOURNAL_RETRY_S (retry: a failure now, not events dropped while
 * closed).
 */
static void
journal_fail(struct journal *j, int err, double now, int retry)
{
	char	*w;

	j->dropped += j->batch;
	j->batch = 0;
	j->error = err;
	if (retry)
		j->retry_at = now + JOURNAL_RETRY_S;
	if (j->dropped == 0)
		xasprintf(&w, "journal %s: %s", j->path != NULL ? j->path :
		    j->dir != NULL ? j->dir : j->file, strerror(err));
	else
		xasprintf(&w, "journal %s: %s (%lu event%s dropped)",
		    j->path != NULL ? j->path : j->dir != NULL ? j->dir :
		    j->file, strerror(err), j->dropped,
		    j->dropped == 1 ? "" : "s");
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
		if (journal_mkdirs(j->dir) != 0)
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
	fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return (-1);
	if ((j->f = fdopen(fd, "a")) == NULL) {
		close(fd);
		return (-1);
	}
	json_init_file(&j->json, j->f, JSON_COMPACT);
	j->open = 1;
	/* A file of its own (or after lost lines) starts with the model. */
	if (j->dir != NULL || j->error != 0)
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

static void
journal_snapshot(struct journal *j, double now)
{
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
	return (size >= 0 && (uint64_t)size >= j->max_bytes);
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
	    j->last_snapshot == 0 || now - j->last_snapshot >= j->snapshot_s)) {
		journal_snapshot(j, now);
		if (journal_write(j, now) != 0)
			return;
	}
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
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	journal_tick(t->data, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

struct journal *
journal_open(uv_loop_t *loop, struct model *m,
    const struct journal_opts *o, double now)
{
	struct journal	*j = xcalloc(1, sizeof *j);
	struct stat	 st;

	j->loop = loop;
	j->model = m;
	j->max_bytes = o->max_bytes != 0 ? o->max_bytes : JOURNAL_MAX_BYTES;
	j->snapshot_s = (o->snapshot_ms != 0 ? o->snapshot_ms :
	    JOURNAL_SNAPSHOT_MS) / 1000.0;
	j->fsync_s = (o->fsync_ms != 0 ? o->fsync_ms : JOURNAL_FSYNC_MS) /
	    1000.0;
	if (o->path == NULL)
		j->dir = journal_default_dir();
	else if ((stat(o->path, &st) == 0 && S_ISDIR(st.st_mode)) ||
	    (*o->path != '\0' && o->path[strlen(o->path) - 1] == '/'))
		j->dir = xstrdup(o->path);
	else
		j->file = xstrdup(o->path);
	while (j->dir != NULL && strlen(j->dir) > 1 &&
	    j->dir[strlen(j->dir) - 1] == '/')
		j->dir[strlen(j->dir) - 1] = '\0';
	j->last_fsync = now;
	if (j->dir == NULL && j->file == NULL)
		journal_fail(j, ENOENT, now, 1);	/* no home directory */
	else
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
