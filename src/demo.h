/* SPDX-License-Identifier: ISC */
/*
 * demo - `fgtop --demo [options]`: start fgtsim on the demo scenario
 * with throw-away keys, known_hosts and config in a temporary directory,
 * run the dashboard on it, and clean everything up on the way out.
 *
 * Ownership: everything is created and removed inside demo_main.
 */
#ifndef DEMO_H
#define DEMO_H

/* main's argc and argv (argv[1] is "--demo"); the exit status. */
int	 demo_main(int argc, char **argv);

#endif
