/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <time.h>

#include "xtime.h"

double
xtime_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}
