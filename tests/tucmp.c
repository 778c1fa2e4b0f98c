/* SPDX-License-Identifier: ISC */
/*
 * tucmp - comparisons that print both values; see tucmp.h.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tucmp.h"

void
tu_cmp_fail(const char *a, const char *op, const char *b, intmax_t va,
    intmax_t vb, const char *file, int line)
{
	print_error("%s %s %s: %jd %s %jd is false\n", a, op, b, va, op, vb);
	_fail(file, line);
}

void
tu_range_fail(const char *e, intmax_t v, intmax_t lo, intmax_t hi,
    const char *file, int line)
{
	print_error("%s: %jd is not within %jd..%jd\n", e, v, lo, hi);
	_fail(file, line);
}

void
tu_double_cmp_fail(const char *a, const char *op, const char *b, double va,
    double vb, const char *file, int line)
{
	print_error("%s %s %s: %.17g %s %.17g is false\n", a, op, b, va, op,
	    vb);
	_fail(file, line);
}

void
tu_double_equal(double a, double b, double eps, const char *ea,
    const char *eb, const char *file, int line)
{
	if (a == b || fabs(a - b) <= eps)
		return;
	if (eb == NULL)
		print_error("%s: %.17g, want %.17g (within %g)\n", ea, a, b,
		    eps);
	else if (eps == 0)
		print_error("%s == %s: %.17g != %.17g\n", ea, eb, a, b);
	else
		print_error("%s == %s: %.17g != %.17g (by %.17g, more than "
		    "%g)\n", ea, eb, a, b, fabs(a - b), eps);
	_fail(file, line);
}

void
tu_double_in_range(double v, double lo, double hi, const char *ev,
    const char *file, int line)
{
	if (isnan(lo) && isnan(hi)) {		/* tu_assert_nan */
		if (isnan(v))
			return;
		print_error("%s: %.17g, want NaN\n", ev, v);
		_fail(file, line);
	}
	if (v >= lo && v <= hi)
		return;
	print_error("%s: %.17g is not within %.17g..%.17g\n", ev, v, lo, hi);
	_fail(file, line);
}

void
tu_prefix(const char *s, const char *prefix, const char *es,
    const char *file, int line)
{
	if (s != NULL && strncmp(s, prefix, strlen(prefix)) == 0)
		return;
	if (s == NULL)
		print_error("%s is NULL, want a string starting \"%s\"\n", es,
		    prefix);
	else
		print_error("%s: \"%.*s\" does not start with \"%s\"\n", es,
		    (int)(strlen(prefix) + 16 < strlen(s) ?
		    strlen(prefix) + 16 : strlen(s)), s, prefix);
	_fail(file, line);
}
