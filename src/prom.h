/* SPDX-License-Identifier: ISC */
/*
 * prom - the model as a Prometheus text-format file, for
 * node_exporter's textfile collector (--prom-textfile PATH).
 *
 * Past one screen fgtop does not grow a server: node_exporter serves the
 * file, Prometheus scrapes it, Alertmanager and Grafana do the rest
 * (contrib/prometheus).  The metrics, their labels and types are listed
 * in fgtop(1), METRICS; the rules of the format followed here:
 *
 *   - every metric has its # HELP and # TYPE lines once, its samples
 *     right after them, and no timestamp (the textfile collector refuses
 *     samples with one);
 *   - a value the device did not print (PNUM_UNKNOWN, NULL) is omitted,
 *     never written as 0;
 *   - label values are device text, so untrusted: they are escaped as the
 *     format requires (backslash, double quote, newline) after the
 *     escaping every fgtop output shares (src/json.h): no control byte
 *     and no invalid UTF-8 reaches the file, each is written as visible
 *     text ("\x1b"), so the value Prometheus stores reads exactly like
 *     the JSON string of --once --json;
 *   - the file is replaced atomically: written to PATH.tmp in the same
 *     directory, then renamed over PATH, so a scrape sees the old file
 *     or the new one, never half of one.  A failed write (full disk,
 *     unwritable directory) removes PATH.tmp and leaves the old file.
 *
 * Writing is coalesced: a 50,000-tunnel file rewritten after every
 * device's round would be hundreds of writes a second with a thousand
 * devices.  prom_tick, called by the engine once per loop turn, writes
 * when the model changed (its dirty counter moved) and the last write is
 * at least PROM_INTERVAL_MS old (or ten times the last write's duration,
 * if longer: a huge file never takes the loop over).  A one-shot timer
 * wakes the loop when a change waits for the interval to pass; its
 * callback only wakes, the write is done by prom_tick.
 *
 * --watch-json and the dashboard use struct prom; --once, whose loop is
 * gone when its round is known, calls prom_write itself.
 *
 * Ownership: struct prom is created by prom_new and released with
 * prom_close (its timer handle is freed in its close callback).  It
 * reads the model and the path, which stay the caller's and must
 * outlive it.  Error sentences returned through err are the caller's.
 */
#ifndef PROM_H
#define PROM_H

#include <uv.h>

struct model;

#define PROM_INTERVAL_MS	1000

/*
 * Write the model to path (through path.tmp and rename) at wall-clock
 * time now (the history's windows end there), version in
 * fgtop_build_info.  0, or -1 with *err set to a sentence; the old file
 * is left as it was.  --once calls it once, after its round.
 */
int		 prom_write(const struct model *, const char *path,
		    double now, const char *version, char **err);

/*
 * A sentence (the caller's) when node_exporter will not read path: its
 * textfile collector reads *.prom files only.  NULL when it will.
 */
char		*prom_path_warning(const char *path);

struct prom;

struct prom	*prom_new(uv_loop_t *, const struct model *, const char *path,
		    const char *version);
/*
 * Once per loop turn: write if due.  Returns 1 when this write failed
 * and the one before did not (*err: the sentence, the caller's), 2 when
 * a write works again after failures, else 0: say it once, not once a
 * second.
 */
int		 prom_tick(struct prom *, char **err);
/* Files written and writes failed so far. */
unsigned long	 prom_writes(const struct prom *);
unsigned long	 prom_failures(const struct prom *);
/* Close the timer; the struct is freed in its close callback. */
void		 prom_close(struct prom *);

#endif
