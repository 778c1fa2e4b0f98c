/* SPDX-License-Identifier: ISC */
/*
 * evlog - the recent model events the engine keeps, so that an incident
 * bundle (src/bundle) can hold the timeline of one tunnel or device.
 *
 * The model hands its events out once per loop turn (model_events_take)
 * and forgets them; the engine copies each into this ring before it
 * frees them.  The ring is bounded (the caller says how many events):
 * the oldest go first, so on a busy estate a quiet tunnel's history may
 * be shorter than the session.  A journal that keeps every tunnel's
 * history (fgtop journal) answers the same question better: it only has
 * to offer an evlog_each_fn, and the bundle takes it instead of this.
 *
 * Ownership: the ring owns its copies; evlog_free releases them.  The
 * events given to evlog_add stay the caller's.
 */
#ifndef EVLOG_H
#define EVLOG_H

#include <stddef.h>

struct mevent;
struct evlog;

/*
 * The timeline source the bundle reads: fn once for each event of the
 * device (and of the VDOM and tunnel when they are not NULL; device-wide
 * events such as device-state always count), oldest first.
 */
typedef void	 evlog_each_fn(void *src, const char *device,
		    const char *vdom, const char *tunnel,
		    void (*fn)(void *, const struct mevent *), void *arg);

struct evlog	*evlog_new(size_t max);
/*
 * Keep only the events of this tunnel (of any device or VDOM) and the
 * events of no tunnel (device-state): `fgtop export` of one tunnel of a
 * device with thousands, whose first poll adds them all.  The name is
 * copied; NULL keeps everything again.
 */
void		 evlog_only(struct evlog *, const char *tunnel);
/* Copy every event of the list (mevent.next). */
void		 evlog_add(struct evlog *, const struct mevent *);
/* An evlog_each_fn; src is the struct evlog. */
evlog_each_fn	 evlog_each;
size_t		 evlog_count(const struct evlog *);
void		 evlog_free(struct evlog *);

#endif
