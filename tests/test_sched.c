/* SPDX-License-Identifier: ISC */
/*
 * test_sched - the poll schedule: the summary every poll interval, the
 * lists every full interval, and full rounds spread over the full
 * interval by each device's phase (so a thousand devices that logged in
 * together do not read their big lists in the same seconds).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "scheduler.h"
#include "testutil.h"

/* Rounds of 10 ms every 5 s from t = 1000: the times of the full ones. */
static size_t
full_rounds(double phase, uint64_t *at, size_t max, uint64_t until)
{
	struct sched	 s;
	uint64_t	 t = 1000;
	size_t		 n = 0;

	sched_init(&s, 5000, 30000, t, phase);
	while (t < until) {
		if (sched_start(&s, t) && n < max)
			at[n++] = t;
		t += 10;
		t += sched_end(&s, t);
	}
	return (n);
}

static void
test_phase_spreads_full_rounds(void **state)
{
	uint64_t	 at[16];
	size_t		 n;

	(void)state;
	/* Phase 0: the second full round one poll after the first. */
	n = full_rounds(0.0, at, 16, 100000);
	assert_int_equal(n, 5);
	assert_int_equal(at[0], 1000);
	assert_int_equal(at[1], 6000);
	assert_int_equal(at[2], 36000);
	assert_int_equal(at[3], 66000);
	assert_int_equal(at[4], 96000);
	/* Phase 0.5: 5 + 0.5 * 25 = 17.5 s, on the poll grid: 16 s (the
	 * round due within half a poll of it counts). */
	n = full_rounds(0.5, at, 16, 100000);
	assert_int_equal(n, 4);
	assert_int_equal(at[0], 1000);
	assert_int_equal(at[1], 16000);
	assert_int_equal(at[2], 46000);
	assert_int_equal(at[3], 76000);
	/* Phase 0.99: the full interval, as without a phase. */
	n = full_rounds(0.99, at, 16, 100000);
	assert_int_equal(n, 4);
	assert_int_equal(at[1], 31000);
	assert_int_equal(at[2], 61000);
	assert_int_equal(at[3], 91000);
}

/* Never longer than the full interval between two full rounds. */
static void
test_full_interval_bound(void **state)
{
	uint64_t	 at[64];
	size_t		 n, i, k;

	(void)state;
	for (k = 0; k < 100; k++) {
		n = full_rounds((double)k / 100, at, 64, 300000);
		for (i = 1; i < n; i++)
			if (at[i] - at[i - 1] > 30000)
				fail_msg("phase %.2f: full rounds at %llu and "
				    "%llu", (double)k / 100,
				    (unsigned long long)at[i - 1],
				    (unsigned long long)at[i]);
		assert_in_range(n, 10, 11);
	}
}

/* sched_phase: stable, in [0, 1), and spread out. */
static void
test_phase_of_names(void **state)
{
	char	 name[32];
	size_t	 bins[6], i;
	double	 p;

	(void)state;
	tu_assert_double_equal(sched_phase("BR0001"), sched_phase("BR0001"), 0);
	tu_assert_double_cmp(sched_phase("BR0001"), !=, sched_phase("BR0002"));
	memset(bins, 0, sizeof bins);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "BR%04zu", i);
		p = sched_phase(name);
		tu_assert_double_cmp(p, >=, 0);
		tu_assert_double_cmp(p, <, 1);
		bins[(size_t)(p * 6)]++;
	}
	/* A sixth of 1,000 devices in each round of the full interval. */
	for (i = 0; i < 6; i++)
		assert_in_range(bins[i], 120, 215);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phase_spreads_full_rounds),
		cmocka_unit_test(test_full_interval_bound),
		cmocka_unit_test(test_phase_of_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
