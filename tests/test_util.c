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
