/* SPDX-License-Identifier: ISC */
/*
 * tucmp - comparisons for the cmocka tests that print both values.
 *
 * cmocka 1.1.5 prints integers in hex and compares no doubles (1.1.7's
 * assert_float_equal casts them to float), so a failed `a < b` or a
 * time that is off by a millisecond would say nothing useful.  These
 * print the expressions, both values (integers in decimal, doubles with
 * %.17g, strings quoted) and file:line through cmocka's print_error and
 * _fail, and stop the test as a cmocka assertion does.  Each operand is
 * evaluated once.  Nothing here allocates.
 */
#ifndef TUCMP_H
#define TUCMP_H

#include <math.h>
#include <stdint.h>

/* a op b on integers (op is ==, !=, <, <=, > or >=). */
#define tu_assert_cmp(a, op, b) do {					\
	intmax_t tu_a_ = (intmax_t)(a), tu_b_ = (intmax_t)(b);		\
	if (!(tu_a_ op tu_b_))						\
		tu_cmp_fail(#a, #op, #b, tu_a_, tu_b_, __FILE__,	\
		    __LINE__);						\
} while (0)

/* lo <= v <= hi on integers. */
#define tu_assert_in_range(v, lo, hi) do {				\
	intmax_t tu_v_ = (intmax_t)(v);					\
	if (tu_v_ < (intmax_t)(lo) || tu_v_ > (intmax_t)(hi))		\
		tu_range_fail(#v, tu_v_, (intmax_t)(lo),		\
		    (intmax_t)(hi), __FILE__, __LINE__);		\
} while (0)

/* a op b on doubles; NaN compares false, as in C. */
#define tu_assert_double_cmp(a, op, b) do {				\
	double tu_a_ = (a), tu_b_ = (b);				\
	if (!(tu_a_ op tu_b_))						\
		tu_double_cmp_fail(#a, #op, #b, tu_a_, tu_b_, __FILE__,	\
		    __LINE__);						\
} while (0)

/* |a - b| <= eps (eps 0: exactly equal); NaN is equal to nothing. */
#define tu_assert_double_equal(a, b, eps)				\
	tu_double_equal((a), (b), (eps), #a, #b, __FILE__, __LINE__)
/* The same, naming the value what (e.g. "uptime of vpn1"). */
#define tu_assert_double_named(what, got, want, eps)			\
	tu_double_equal((got), (want), (eps), (what), NULL, __FILE__,	\
	    __LINE__)
/* v is NaN (a value fgtop does not know). */
#define tu_assert_nan(v)						\
	tu_double_in_range((v), NAN, NAN, #v, __FILE__, __LINE__)
/* lo <= v <= hi. */
#define tu_assert_double_in_range(v, lo, hi)				\
	tu_double_in_range((v), (lo), (hi), #v, __FILE__, __LINE__)
/* The same, naming the value what (e.g. "hq up at (s)"). */
#define tu_assert_double_within(what, v, lo, hi)			\
	tu_double_in_range((v), (lo), (hi), (what), __FILE__, __LINE__)
/* The string s starts with prefix (NULL starts with nothing). */
#define tu_assert_prefix(s, prefix)					\
	tu_prefix((s), (prefix), #s, __FILE__, __LINE__)

void	tu_cmp_fail(const char *, const char *, const char *, intmax_t,
	    intmax_t, const char *, int);
void	tu_range_fail(const char *, intmax_t, intmax_t, intmax_t,
	    const char *, int);
void	tu_double_cmp_fail(const char *, const char *, const char *, double,
	    double, const char *, int);
void	tu_double_equal(double, double, double, const char *, const char *,
	    const char *, int);
void	tu_double_in_range(double, double, double, const char *,
	    const char *, int);
void	tu_prefix(const char *, const char *, const char *, const char *,
	    int);

#endif
