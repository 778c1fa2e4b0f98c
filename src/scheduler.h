/* SPDX-License-Identifier: ISC */
/*
 * scheduler - when a device polls, and what its round holds.
 *
 * Each device has its own schedule, so a slow device never delays
 * another, and its rounds never overlap: the next one is due one
 * interval after the last one started, or at once when that one ran
 * longer than the interval (the lateness is recorded, never made up with
 * a burst).  The summary is polled every round; the gateway and tunnel
 * lists, which are large on hubs, only every full interval, and also in
 * the round after the summary showed a change (selectors, counters of
 * errors, a tunnel appearing), so a transition is seen in detail at the
 * next poll rather than up to a full interval later.
 *
 * Full rounds are spread out: a device's second full round comes after
 * a share of the full interval given by its phase (0 to 1, a function of
 * its name), between one poll interval and one full interval after the
 * first, and every full interval from there.  Devices that logged in
 * within the same seconds would otherwise read their big lists in the
 * same seconds forever, and a thousand of them at once set fgtop's peak
 * memory and the lateness of everyone's polls.
 *
 * Reconnects back off exponentially (1 s, 2 s, 4 s ... 60 s) with
 * +-20 % jitter so that a thousand devices lost at once do not come
 * back in step.
 *
 * Pure arithmetic on times in milliseconds given by the caller (the
 * loop's uv_now), so it is tested without a loop.  Nothing allocated.
 */
#ifndef SCHEDULER_H
#define SCHEDULER_H

#include <stdint.h>

struct sched {
	unsigned	 poll_ms;
	unsigned	 full_ms;
	uint64_t	 due;		/* when the next round should start */
	uint64_t	 started;	/* when the current one started */
	uint64_t	 last_full;	/* start of the last full round */
	uint64_t	 full_due;	/* when the next full round is due */
	int		 have_full;	/* a full round has been done */
	int		 want_full;	/* the summary changed */
	double		 phase;		/* of the full rounds, 0 to 1 */
	uint64_t	 worst_late;	/* ms, over all rounds */
	uint64_t	 last_late;
	unsigned	 rounds;
};

void	 sched_init(struct sched *, unsigned poll_ms, unsigned full_ms,
	    uint64_t now, double phase);
/* A phase in [0, 1) from a name: the same name, the same phase. */
double	 sched_phase(const char *);
/* A round starts now: 1 when it should poll the full lists. */
int	 sched_start(struct sched *, uint64_t now);
/* The summary of this round differed from the last one. */
void	 sched_changed(struct sched *);
/* The round ended now: milliseconds until the next one is due. */
uint64_t sched_end(struct sched *, uint64_t now);
/* Delay before reconnect attempt n (1, 2, ...); rnd in [0, 1). */
uint64_t sched_backoff(unsigned n, double rnd);

#endif
