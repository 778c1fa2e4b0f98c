/* SPDX-License-Identifier: ISC */
/*
 * xtime - the wall clock, in one place.
 *
 * The model, the journal and every JSON document stamp events with
 * seconds since 1970 as a double (sub-second, comparable across runs and
 * machines), so fgtop reads CLOCK_REALTIME, not the loop's monotonic
 * clock.  Intervals are libuv timers' business, not this one's.
 *
 * Ownership: nothing is allocated.
 */
#ifndef XTIME_H
#define XTIME_H

/* Seconds since 1970, with the clock's resolution. */
double	xtime_now(void);

#endif
