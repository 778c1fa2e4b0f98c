/* SPDX-License-Identifier: ISC */
/*
 * scheduler - poll timing per device.  See scheduler.h.
 */
#include "config.h"

#include "scheduler.h"

#define SCHED_BACKOFF_MIN	1000
#define SCHED_BACKOFF_MAX	60000

void
sched_init(struct sched *s, unsigned poll_ms, unsigned full_ms,
    uint64_t now, double phase)
{
	s->phase = phase >= 0 && phase < 1 ? phase : 0;
	s->poll_ms = poll_ms;
	s->full_ms = full_ms < poll_ms ? poll_ms : full_ms;
	s->due = now;
	s->started = s->last_full = s->full_due = 0;
	s->have_full = s->want_full = 0;
	s->worst_late = s->last_late = 0;
	s->rounds = 0;
}

int
sched_start(struct sched *s, uint64_t now)
{
	int	 full;

	s->last_late = now > s->due ? now - s->due : 0;
	if (s->last_late > s->worst_late)
		s->worst_late = s->last_late;
	s->started = now;
	/* A round due within half a poll of the full one does it. */
	full = !s->have_full || s->want_full ||
	    now + s->poll_ms / 2 >= s->full_due;
	if (full) {
		s->last_full = now;
		/*
		 * After the first full round the next one is due after
		 * poll_ms + phase * (full_ms - poll_ms), then every full_ms.
		 */
		s->full_due = now + (s->have_full ? s->full_ms :
		    s->poll_ms + (uint64_t)(s->phase *
		    (double)(s->full_ms - s->poll_ms)));
		s->have_full = 1;
		s->want_full = 0;
	}
	return (full);
}

double
sched_phase(const char *name)
{
	uint64_t	 h = 14695981039346656037u;

	while (*name != '\0')
		h = (h ^ (unsigned char)*name++) * 1099511628211u;
	/* FNV-1a leaves similar names close: mix (splitmix64's end). */
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9u;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebu;
	h ^= h >> 31;
	/* The top 53 bits: evenly spread over [0, 1). */
	return ((double)(h >> 11) / 9007199254740992.0);
}

void
sched_changed(struct sched *s)
{
	s->want_full = 1;
}

uint64_t
sched_end(struct sched *s, uint64_t now)
{
	s->rounds++;
	s->due = s->started + s->poll_ms;
	return (s->due > now ? s->due - now : 0);
}

uint64_t
sched_backoff(unsigned n, double rnd)
{
	uint64_t	 d = SCHED_BACKOFF_MIN;

	while (n-- > 1 && d < SCHED_BACKOFF_MAX)
		d *= 2;
	if (d > SCHED_BACKOFF_MAX)
		d = SCHED_BACKOFF_MAX;
	return ((uint64_t)((double)d * (0.8 + 0.4 * rnd)));
}
