/* SPDX-License-Identifier: ISC */
/*
 * journal - fgtop's memory for incidents: every model event appended as
 * one JSON line to a journal file, with a compact snapshot of the model
 * now and then, so a point in time can be rebuilt (fgtop replay) and
 * uptime and flap counts survive a restart (journal_restore).  Also
 * `fgtop journal`, which prints the events for scripts and postmortems.
 *
 * The format is a stable interface (fgtop(1), JOURNAL): JSON Lines,
 * UTF-8.  An event line is exactly what --watch-json prints
 * (mevent_json); a snapshot line is {"event":"snapshot","time":T,
 * "model":DOC}, DOC being the --once --json document without the raw
 * "tools" text (model_json_snapshot).
 *
 * Files: a directory (the default, $XDG_STATE_HOME/fgtop, else
 * ~/.local/state/fgtop, or --journal DIR) holds journal-YYYYMMDD.jsonl,
 * one a UTC day, continued in journal-YYYYMMDD.N.jsonl (N = 1, 2, ...)
 * when a file's events pass max_bytes (snapshots do not count: one can
 * be bigger than that); a new file starts with a snapshot once
 * every device has answered, so each file replays on its own.  A path
 * that is not a directory is one file, appended to and never rotated.
 *
 * Writing stays off the loop's hot path: the engine hands each turn's
 * events over (journal_events), they go into a buffer written once a
 * second (journal_tick, from a timer), and fsync runs in libuv's thread
 * pool at most every fsync_ms.  A journal that cannot be written (full
 * disk, unwritable path) never stops fgtop: the batch is dropped and
 * counted, the model's warning says so (the status bar, --once's
 * "warnings"), and opening again is tried every JOURNAL_RETRY_S seconds.
 *
 * Times are given by the caller (wall-clock seconds), so the rotation
 * is tested with any clock; with a NULL loop there is no timer and fsync
 * is synchronous (tests).
 *
 * `fgtop journal` and the restore read through src/jread, the one place
 * that decodes journal text.
 *
 * Ownership: the journal is the caller's (journal_free, after the loop
 * ran the timer's close); it only reads the model, except its warning.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct mevent;
struct model;

#define JOURNAL_SNAPSHOT_MS	600000		/* a snapshot every 10 min */
/*
 * ... or less often, when the interval is not given, so that a big
 * estate's snapshots (80 MB for 50,000 tunnels) stay within this many
 * bytes a day.
 */
#define JOURNAL_SNAPSHOT_BUDGET	(1ULL << 30)
#define JOURNAL_FSYNC_MS	5000
#define JOURNAL_MAX_BYTES	(64ULL << 20)
#define JOURNAL_RETRY_S		30

struct journal_opts {
	const char	*path;		/* file or directory; NULL: default */
	unsigned	 snapshot_ms;	/* 0: JOURNAL_SNAPSHOT_MS, or longer */
	unsigned	 fsync_ms;	/* 0: JOURNAL_FSYNC_MS */
	uint64_t	 max_bytes;	/* 0: JOURNAL_MAX_BYTES */
	/*
	 * A one-shot run (--once): no snapshot at start, only as a new
	 * file's first line (cron running --once every few minutes would
	 * otherwise write the model each time).
	 */
	int		 once;
	uint64_t	 snapshot_budget; /* 0: JOURNAL_SNAPSHOT_BUDGET */
};

/* Never fails: a journal that cannot open says so as a warning. */
struct journal	*journal_open(uv_loop_t *, struct model *,
		    const struct journal_opts *, double now);
/* Append the events of the list (model_events_take's, oldest first). */
void		 journal_events(struct journal *, const struct mevent *,
		    double now);
/* Write what is buffered; fsync, rotate, snapshot or retry when due. */
void		 journal_tick(struct journal *, double now);
/*
 * At the end: journal_close closes the timer (the loop frees it); a last
 * journal_tick writes the last events and says if that failed;
 * journal_free flushes, fsyncs and closes the file.
 */
void		 journal_close(struct journal *);
void		 journal_free(struct journal *);
/* The file written now, or NULL; the events dropped so far. */
const char	*journal_path(const struct journal *);
unsigned long	 journal_dropped(const struct journal *);

/*
 * Restore on start: the tunnel states of the last MODEL_HIST_SPAN
 * seconds (events, and each snapshot's states) fed into the model's
 * history (model_history_restore), so uptime and flap counts go on
 * from where the last run left them.  path as in journal_opts.  0, or
 * -1 with *err (an unreadable journal; none at all is no error).
 */
int		 journal_restore(struct model *, const char *path, double now,
		    char **err);

/* fgtop journal [options]: the events, as text or JSON lines. */
int		 journal_main(int argc, char **argv);
extern const char journal_synopsis[];
extern const char journal_usage[];

#endif
