/* SPDX-License-Identifier: ISC */
/*
 * scnstate - what a scenario means over time, for the shell tests: the
 * scenario loaded into fgtsim's device model in process (as test_engine
 * reads it), printed as fgtop names the states, so a test states no
 * tunnel's state by hand.
 *
 *   scnstate SCENARIO at SECONDS       "DEVICE VDOM TUNNEL up|down" per
 *                                      tunnel at simulated SECONDS
 *   scnstate SCENARIO changes SECONDS  "SECONDS DEVICE VDOM TUNNEL
 *                                      FROM TO" per up/down change in
 *                                      [0, SECONDS], a quarter second
 *                                      apart as fgtsim advances
 *
 * DEVICE is d0, d1 ... in scenario order, as the tests name them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "device.h"

/* fgtop's words for a scenario tunnel's state (see test_engine). */
static const char *
scn_updown(const struct sim_tunnel *t)
{
	return (t->state == ST_UP ? "up" : "down");
}

static void
scn_each(struct sim_world *w, double t, const char **prev, size_t max,
    int changes)
{
	struct sim_device	*d;
	struct sim_tunnel	*st;
	size_t			 i, k, n, nt = 0;

	sim_world_advance(w, t);
	for (i = 0; i < w->ndevices; i++) {
		d = w->devices[i];
		for (k = 0; k < d->nvdoms; k++)
			for (n = 0; n < d->vdoms[k]->ntunnels; n++) {
				st = d->vdoms[k]->tunnels[n];
				if (st->is_template || nt >= max)
					continue;
				if (!changes)
					printf("d%zu %s %s %s\n", i,
					    d->vdoms[k]->name, st->name,
					    scn_updown(st));
				else if (prev[nt] != NULL &&
				    strcmp(prev[nt], scn_updown(st)) != 0)
					printf("%.2f d%zu %s %s %s %s\n", t, i,
					    d->vdoms[k]->name, st->name,
					    prev[nt], scn_updown(st));
				prev[nt++] = scn_updown(st);
			}
	}
}

int
main(int argc, char **argv)
{
	struct sim_world	*w;
	const char		*prev[4096];
	char			 err[512], *end;
	double			 secs, t;

	if (argc != 4 || (strcmp(argv[2], "at") != 0 &&
	    strcmp(argv[2], "changes") != 0)) {
		fprintf(stderr, "usage: scnstate SCENARIO at|changes "
		    "SECONDS\n");
		return (2);
	}
	secs = strtod(argv[3], &end);
	if (*end != '\0' || secs < 0) {
		fprintf(stderr, "scnstate: bad SECONDS: %s\n", argv[3]);
		return (2);
	}
	if ((w = sim_world_load(argv[1], err, sizeof err)) == NULL) {
		fprintf(stderr, "scnstate: %s: %s\n", argv[1], err);
		return (1);
	}
	memset(prev, 0, sizeof prev);
	if (strcmp(argv[2], "at") == 0)
		scn_each(w, secs, prev, 4096, 0);
	else
		for (t = 0; t <= secs; t += 0.25)
			scn_each(w, t, prev, 4096, 1);
	sim_world_free(w);
	return (0);
}
