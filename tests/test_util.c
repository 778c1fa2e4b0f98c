/* SPDX-License-Identifier: ISC */
/*
 * test_util - the parsers' shared helpers.
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "util.h"

static void
test_lines(void **state)
{
	static const char in[] = "a\r\nbb\n\nc";
	struct plines	 pl;
	const char	*l;
	size_t		 n;

	pl_init(&pl, in, sizeof(in) - 1);
	assert_true(pl_next(&pl, &l, &n));
	assert_int_equal(n, 1);
	assert_memory_equal(l, "a", 1);
	assert_true(pl_next(&pl, &l, &n));
	assert_int_equal(n, 2);
	assert_true(pl_next(&pl, &l, &n));
	assert_int_equal(n, 0);
	assert_true(pl_next(&pl, &l, &n));
	assert_int_equal(n, 1);
	assert_memory_equal(l, "c", 1);
	assert_false(pl_next(&pl, &l, &n));
}

static void
test_numbers(void **state)
{
	pnum	v = PNUM_UNKNOWN;

	assert_int_equal(pu_num("123x", 4, &v), 3);
	assert_int_equal(v, 123);
	assert_int_equal(pu_num("x", 1, &v), 0);
	/* Overflow is rejected, not wrapped. */
	assert_int_equal(pu_num("99999999999999999999", 20, &v), 0);
	assert_int_equal(pu_num("9223372036854775807", 19, &v), 19);
	assert_int_equal(v, INT64_MAX);
	/* One past it, in the last digit and in an earlier one. */
	assert_int_equal(pu_num("9223372036854775808", 19, &v), 0);
	assert_int_equal(pu_num("9223372036854775900", 19, &v), 0);
	assert_int_equal(pu_num("9223372036854775799", 19, &v), 19);
	assert_int_equal(v, INT64_MAX - 8);
	/* Eight bytes at once where there are eight: every length. */
	assert_int_equal(pu_num("1234567 x", 9, &v), 7);
	assert_int_equal(v, 1234567);
	assert_int_equal(pu_num("12/0  rx", 8, &v), 2);
	assert_int_equal(v, 12);
	assert_int_equal(pu_num("0/0     ", 8, &v), 1);
	assert_int_equal(v, 0);
	assert_int_equal(pu_num("12345678", 8, &v), 8);
	assert_int_equal(v, 12345678);
	assert_int_equal(pu_num("99999999 ", 9, &v), 8);
	assert_int_equal(v, 99999999);
	assert_int_equal(pu_num("7\xff\xff\xff\xff\xff\xff\xff", 8, &v), 1);
	assert_int_equal(v, 7);
	v = 5;
	assert_int_equal(pu_num("x2345678", 8, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(pu_num("123456789012345678901 ", 22, &v), 0);
	assert_int_equal(pu_num("0000000000000000000009223372036854775807 ",
	    41, &v), 40);
	assert_int_equal(v, INT64_MAX);
	/* pu_num1 reads a digit inline and leaves the rest to pu_num. */
	assert_int_equal(pu_num1("4/", 2, &v), 1);
	assert_int_equal(v, 4);
	assert_int_equal(pu_num1("45/", 3, &v), 2);
	assert_int_equal(v, 45);
	assert_int_equal(pu_num1("", 0, &v), 0);
	assert_int_equal(v, 45);
	assert_int_equal(pu_hex("0000002c/", 9, &v), 8);
	assert_int_equal(v, 44);
}

static void
test_kv(void **state)
{
	static const char in[] = "proxyid=HUB proto=0 sa=1 ref=4 xsa=9";
	const char	*v;
	size_t		 n;

	assert_int_equal(pu_kv(in, sizeof(in) - 1, "proxyid", &v, &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(v, "HUB", 3);
	assert_int_equal(pu_kv_num(in, sizeof(in) - 1, "sa"), 1);
	assert_int_equal(pu_kv_num(in, sizeof(in) - 1, "missing"), PNUM_UNKNOWN);
	/* "sa" must not match inside "xsa". */
	assert_int_equal(pu_kv_num("xsa=9", 5, "sa"), PNUM_UNKNOWN);
}

static void
test_addr_port(void **state)
{
	const char	*a;
	size_t		 an;
	pnum		 port;

	assert_int_equal(pu_addr_port("10.0.0.1:4500", 13, &a, &an, &port),
	    0);
	assert_int_equal(an, 8);
	assert_int_equal(port, 4500);
	assert_int_equal(pu_addr_port("2001:db8::1:500", 15, &a, &an,
	    &port), 0);
	assert_int_equal(an, 11);
	assert_int_equal(pu_addr_port("nocolon", 7, &a, &an, &port), -1);
	assert_int_equal(pu_addr_port("1.2.3.4:", 8, &a, &an, &port), -1);
}

static void
test_words(void **state)
{
	static const char in[] = "  a\tbb  c ";
	const char	*w;
	size_t		 pos = 0, n;

	assert_true(pu_word(in, sizeof(in) - 1, &pos, &w, &n));
	assert_int_equal(n, 1);
	assert_memory_equal(w, "a", 1);
	assert_true(pu_word(in, sizeof(in) - 1, &pos, &w, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(w, "bb", 2);
	assert_true(pu_word(in, sizeof(in) - 1, &pos, &w, &n));
	assert_memory_equal(w, "c", 1);
	assert_false(pu_word(in, sizeof(in) - 1, &pos, &w, &n));
}

static void
test_visible(void **state)
{
	const char	*s = "--More-- \r          \rVersion: x ";
	size_t		 n = strlen(s);

	pu_visible(&s, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(s, "Version: x", 10);
	s = " --More-- Hostname: a";
	n = strlen(s);
	pu_visible(&s, &n);
	assert_int_equal(n, 11);
	assert_memory_equal(s, "Hostname: a", 11);
	s = "Serial-Number: X\r";
	n = strlen(s);
	pu_visible(&s, &n);
	assert_int_equal(n, 16);
	assert_memory_equal(s, "Serial-Number: X", 16);
	/* Without a CR, pu_visible_nocr: the same. */
	s = " --More--  Hostname: a \t";
	n = strlen(s);
	pu_visible_nocr(&s, &n);
	assert_int_equal(n, 11);
	assert_memory_equal(s, "Hostname: a", 11);
	s = "--More--";
	n = strlen(s);
	pu_visible_nocr(&s, &n);
	assert_int_equal(n, 0);
}

static void
test_arena(void **state)
{
	struct parena	*pa = pa_new();
	int		*arr = NULL;
	size_t		 cap = 0, i;
	char		*s;

	assert_non_null(pa);
	for (i = 0; i < 10000; i++) {
		assert_int_equal(pa_grow(pa, (void **)&arr, &cap, i + 1,
		    sizeof(*arr)), 0);
		arr[i] = (int)i;
	}
	for (i = 0; i < 10000; i++)
		assert_int_equal(arr[i], i);
	s = pa_strndup(pa, "hello", 3);
	assert_string_equal(s, "hel");
	/* A NUL inside a field is shown, not an end that empties it. */
	s = pa_strndup(pa, "\0a\0", 3);
	assert_string_equal(s, "\\x00a\\x00");
	s = pa_strndup(pa, "world", 4);
	assert_string_equal(s, "worl");
	/* pa_grow zeroes the new part, pa_grow_raw keeps the old. */
	arr = NULL;
	cap = 0;
	assert_int_equal(pa_grow(pa, (void **)&arr, &cap, 3, sizeof(*arr)),
	    0);
	for (i = 0; i < cap; i++)
		assert_int_equal(arr[i], 0);
	arr[0] = 7;
	assert_int_equal(pa_grow_raw(pa, (void **)&arr, &cap, cap + 1,
	    sizeof(*arr)), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(arr[0], 7);
	assert_int_equal(pa_grow(pa, (void **)&arr, &cap, cap + 1,
	    sizeof(*arr)), 0);
	assert_int_equal(arr[0], 7);
	for (i = 16; i < cap; i++)
		assert_int_equal(arr[i], 0);
	s = pa_alloc_raw(pa, 3);
	assert_non_null(s);
	/* Reset: everything goes, the arena works on. */
	pa_reset(pa);
	s = pa_strndup(pa, "again", 5);
	assert_string_equal(s, "again");
	/* A block larger than a chunk gets its own. */
	assert_non_null(pa_alloc(pa, 1 << 20));
	pa_free(pa);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_kv),
		cmocka_unit_test(test_addr_port),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_arena),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
