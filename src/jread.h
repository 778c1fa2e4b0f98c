/* SPDX-License-Identifier: ISC */
/*
 * jread - the journal reader: which files, which lines, what time.
 *
 * A journal is JSON Lines, one object a line, in files named
 * journal-YYYYMMDD.jsonl (journal-YYYYMMDD.N.jsonl when rotated by size).
 * A line is either an event, exactly what mevent_json writes (the
 * --watch-json lines), or a snapshot {"event":"snapshot","time":ISO,
 * "model":DOC} where DOC is the --once --json document (model_json).
 * The reader takes a line only whole: a blank line, a line that is not
 * JSON, an event of a type it does not know, a line without a time and a
 * last line without its newline (torn: the writer was cut off, or is
 * still writing it) are skipped and counted, never fatal.  Strings are
 * made harmless for a terminal as they are read (cli_sanitize; tabs and
 * newlines become spaces): a journal is a file anybody may have edited.
 *
 * Times are wall-clock seconds (double), as in the model.  The journal
 * writes UTC; what a user types is local time, as the dashboard shows it
 * (journal_parse_time).
 *
 * This is the one place that decodes journal text (with jansson);
 * building a model from a snapshot and applying events to it live in
 * src/model_load.
 *
 * Ownership: a struct jread_event and its strings are valid during the
 * callback only.  A model handed to on_snapshot belongs to the callback
 * (model_free).  journal_files' paths array and strings are the
 * caller's (journal_files_free).  *err gets a sentence the caller frees.
 */
#ifndef JREAD_H
#define JREAD_H

#include <stddef.h>

struct model;

struct jread_event {
	double		 time;
	const char	*type;		/* static: "tunnel-state", ...,
					   "snapshot" (journal_scan only) */
	const char	*device;	/* NULL when the line had none */
	const char	*vdom;
	const char	*tunnel;
	const char	*item;
	const char	*from;
	const char	*to;
	const char	*detail;
	/* Where the line is: paths[file], at byte offset. */
	size_t		 file;
	long long	 offset;
};

struct jread_stats {
	size_t		 lines;		/* read, skipped ones included */
	size_t		 events;	/* handed to on_event */
	size_t		 snapshots;	/* handed to on_snapshot */
	size_t		 skipped;	/* blank, torn, garbled, unknown */
	size_t		 torn;		/* of skipped: no final newline */
	size_t		 unknown;	/* of skipped: unknown event type */
};

/*
 * A time as a user types it, in seconds; NaN when it is not one.
 *   2026-12-03T03:12:00.123Z, 2026-12-03T03:12:00Z   UTC (ISO 8601;
 *                                      without Z: local)
 *   2026-12-03 03:12[:00]              local time
 *   03:12[:00]                         local time, the day of now
 *   -90s, -15m, -2h, -1d               before now
 *   @1764731520                        seconds since the epoch
 */
double	 journal_parse_time(const char *, double now);
/*
 * The same for a replay's :at, now being the moment shown: a clock alone
 * is the nearest such time to it (23:55 seen at 00:05 is the night
 * before), relative times count back from it.
 */
double	 journal_parse_moment(const char *, double shown);

/*
 * The journal's default directory: $XDG_STATE_HOME/fgtop, else
 * ~/.local/state/fgtop.  NULL (and *err) when neither is set.
 */
char	*journal_dir(char **err);

/*
 * The journal files of dir that may hold lines within [since, until]
 * (NaN: open), oldest first.  Files are ordered by the time of their
 * first line (then by name), and a file holds lines up to the start of
 * the next; so a file is left out only when that range misses the
 * window.  -1 with *err when dir cannot be read; 0 with no file is no
 * error.
 */
int	 journal_files(const char *dir, double since, double until,
	    char ***paths, size_t *npaths, char **err);
void	 journal_files_free(char **, size_t);

/*
 * Read the files in order; the events and snapshots whose time is within
 * [since, until] (NaN: open) go to the callbacks (either may be NULL; a
 * NULL on_snapshot costs no model).  A callback returning nonzero stops
 * the read (journal_read then returns that value).  st (may be NULL)
 * gets the counts.  -1 with *err when a file cannot be opened or read.
 */
int	 journal_read(char *const *paths, size_t npaths, double since,
	    double until, int (*on_event)(const struct jread_event *, void *),
	    int (*on_snapshot)(double, struct model *, void *), void *arg,
	    struct jread_stats *st, char **err);

/*
 * Every line in order, snapshots as type "snapshot" with only time and
 * position filled, no model built (a snapshot line as fgtop writes it is
 * not even decoded: its time is read from its first bytes, and a broken
 * one shows when it is loaded): an index to come back to with
 * journal_snapshot_at.  Returns as journal_read.
 */
int	 journal_scan(char *const *paths, size_t npaths,
	    int (*on_line)(const struct jread_event *, void *), void *arg,
	    struct jread_stats *st, char **err);

/* The model of the snapshot line at offset of path (caller frees). */
struct model	*journal_snapshot_at(const char *path, long long offset,
		    double *time, char **err);
/* The same, loaded into m (model_load_json); 0, or -1 with *err. */
int		 journal_snapshot_load(const char *path, long long offset,
		    struct model *m, double *time, char **err);

#endif
