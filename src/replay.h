/* SPDX-License-Identifier: ISC */
/*
 * replay - `fgtop replay`: the dashboard on what a journal recorded.
 *
 * The journal is read once (journal_scan) into an index: every event,
 * kept compact in memory (its time and eight string ids, type included, into
 * one table of distinct strings: device, VDOM and tunnel names, states
 * and details repeat, so a day of a large estate costs about 40 bytes an
 * event), and where each snapshot line is (file and offset, not its
 * model).  The moment shown is a position in the events: the model is
 * the newest snapshot at or before it, loaded again from its line, plus
 * the events after the snapshot up to the position.  Stepping forward
 * applies one event; stepping back or jumping rebuilds from a snapshot.
 * The diagnosis runs on the rebuilt model, so the findings are what the
 * dashboard would have said.
 *
 * The dashboard is the live one (ui/), read-only: the tools and
 * reconnect are "not available in replay", `[` and `]` step, `:at TIME`
 * jumps, the status bar says REPLAY and the moment, the events view
 * lists the journal's events up to it.
 *
 * Ownership: a struct replay owns its index, its strings and its model;
 * replay_free releases all.  The model returned by replay_model is the
 * replay's and changes with every move.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stddef.h>

struct model;
struct replay;

/*
 * Index the journal files (paths: files, or directories meaning their
 * journal files); NULL with *err when nothing can be read.
 */
struct replay	*replay_open(char *const *paths, size_t npaths, char **err);
void		 replay_free(struct replay *);

/* The model at time t (NaN: the end); 0, or -1 with *err. */
int		 replay_at(struct replay *, double t, char **err);
/* One event back (-1) or forward (+1); -1 at either end. */
int		 replay_step(struct replay *, int dir, char **err);
/* What is shown: the model, its moment, the events applied so far. */
struct model	*replay_model(struct replay *);
double		 replay_time(const struct replay *);
size_t		 replay_position(const struct replay *, size_t *nevents);
/* The last event applied as a sentence ("03:12:05 d0 root/vpn1
 * tunnel-state up -> down"), or the moment when none; caller frees. */
char		*replay_describe(const struct replay *);

/* fgtop replay [--at TIME] [JOURNAL...]: the exit status. */
int		 replay_main(int argc, char **argv);
extern const char replay_synopsis[];
extern const char replay_usage[];

#endif
