/* SPDX-License-Identifier: ISC */
/*
 * evlog - a bounded ring of copied model events.  See evlog.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evlog.h"
#include "model.h"
#include "xmalloc.h"

struct evlog {
	struct mevent	*ring;
	size_t		 max;
	size_t		 head;		/* oldest */
	size_t		 n;
	char		*only;		/* evlog_only's tunnel, or NULL */
};

struct evlog *
evlog_new(size_t max)
{
	struct evlog	*l = xcalloc(1, sizeof *l);

	l->max = max > 0 ? max : 1;
	l->ring = xcalloc(l->max, sizeof *l->ring);
	return (l);
}

void
evlog_only(struct evlog *l, const char *tunnel)
{
	free(l->only);
	l->only = tunnel != NULL ? xstrdup(tunnel) : NULL;
}

void
evlog_add(struct evlog *l, const struct mevent *ev)
{
	struct mevent	*e;

	for (; ev != NULL; ev = ev->next) {
		if (l->only != NULL && ev->tunnel != NULL &&
		    strcmp(ev->tunnel, l->only) != 0)
			continue;
		if (l->n == l->max) {
			e = &l->ring[l->head];
			l->head = (l->head + 1) % l->max;
		} else
			e = &l->ring[(l->head + l->n++) % l->max];
		mevent_clear(e);
		mevent_copy(e, ev);
	}
}

static int
evlog_same(const char *want, const char *have)
{
	return (want == NULL || have == NULL || strcmp(want, have) == 0);
}

void
evlog_each(void *src, const char *device, const char *vdom,
    const char *tunnel, void (*fn)(void *, const struct mevent *), void *arg)
{
	struct evlog		*l = src;
	const struct mevent	*e;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		e = &l->ring[(l->head + i) % l->max];
		if (e->device == NULL || strcmp(e->device, device) != 0)
			continue;
		/* A device event (no tunnel) belongs to every tunnel's. */
		if (tunnel != NULL && e->tunnel != NULL &&
		    (strcmp(e->tunnel, tunnel) != 0 ||
		    !evlog_same(vdom, e->vdom)))
			continue;
		fn(arg, e);
	}
}

size_t
evlog_count(const struct evlog *l)
{
	return (l->n);
}

void
evlog_free(struct evlog *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->max; i++)
		mevent_clear(&l->ring[i]);
	free(l->ring);
	free(l->only);
	free(l);
}
