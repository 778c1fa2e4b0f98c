/* SPDX-License-Identifier: ISC */
/*
 * test_json - the JSON writer, escaping of hostile device text included.
 */
#include "config.h"

#define TU_NO_JANSSON	/* writes with src/json.h */

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"
#include "util.h"

static void
test_document(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_obj_begin(&j);
	json_kstr(&j, "name", "to HQ");
	json_knum(&j, "sa", 1);
	json_knum(&j, "port", PNUM_UNKNOWN);
	json_kstr(&j, "addr", NULL);
	json_kbool(&j, "up", 1);
	json_key(&j, "rtt");
	json_double(&j, 0.4234, 3);
	json_key(&j, "nan");
	json_double(&j, NAN, 3);
	json_kpair(&j, "created", 1, 2);
	json_kpair(&j, "established", PNUM_UNKNOWN, PNUM_UNKNOWN);
	json_key(&j, "list");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\"name\":\"to HQ\",\"sa\":1,\"port\":null,"
	    "\"addr\":null,\"up\":true,\"rtt\":0.423,\"nan\":null,\"created\":[1,2],"
	    "\"established\":null,\"list\":[]}");
	free(s);
}

static void
test_escaping(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_str(&j, "a\"b\\c\x1b[2J\r\n\t\x7f\xff\xc3\xa9");
	s = json_take(&j);
	/*
	 * No control character survives decoding: ESC, CR, LF, TAB, DEL and
	 * the stray 0xff become visible text (backslash escaped in JSON, so
	 * a decoder yields \x1b, never the byte); é stays.
	 */
	assert_string_equal(s, "\"a\\\"b\\\\c\\\\x1b[2J\\\\r\\\\n"
	    "\\\\t\\\\x7f\\\\xff\xc3\xa9\"");
	free(s);
}

/* C1 controls, encoded (U+009B CSI) or raw, and an encoded OSC. */
/*
 * The fast path reads eight bytes at a time: a byte that needs care at
 * any place in a run, before, inside and after the 8-byte blocks, is
 * escaped exactly as the byte-at-a-time rule says.
 */
static void
test_escape_positions(void **state)
{
	static const struct {
		unsigned char	 c;
		const char	*as;	/* in the JSON text */
	} special[] = {
		{ '"', "\\\"" }, { '\\', "\\\\" }, { '\n', "\\\\n" },
		{ 0x1f, "\\\\x1f" }, { 0x7f, "\\\\x7f" }, { 0x80, "\\\\x80" },
		{ 0xff, "\\\\xff" }, { ' ', " " }, { '~', "~" }, { '!', "!" },
		{ '#', "#" }, { '[', "[" }, { ']', "]" },
	};
	char		 in[24], want[64], *got;
	struct json	 j;
	size_t		 i, k, n;

	(void)state;
	for (k = 0; k < sizeof(special) / sizeof(special[0]); k++) {
		for (i = 0; i < sizeof(in); i++) {
			memset(in, 'a', sizeof(in));
			in[i] = (char)special[k].c;
			n = 0;
			want[n++] = '"';
			memset(want + n, 'a', i);
			n += i;
			memcpy(want + n, special[k].as, strlen(special[k].as));
			n += strlen(special[k].as);
			memset(want + n, 'a', sizeof(in) - i - 1);
			n += sizeof(in) - i - 1;
			want[n++] = '"';
			want[n] = '\0';
			json_init(&j, 0);
			json_strn(&j, in, sizeof(in));
			got = json_take(&j);
			if (strcmp(got, want) != 0)
				fail_msg("byte %#x at %zu: %s, want %s",
				    special[k].c, i, got, want);
			free(got);
		}
	}
}

static void
test_c1(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_arr_begin(&j);
	json_str(&j, "\xc2\x9b" "2J");		/* U+009B, valid UTF-8 */
	json_str(&j, "\x9b" "31m");		/* a raw C1 byte */
	json_str(&j, "\xc2\x9d" "0;t\xc2\x9c");	/* OSC ... ST */
	json_str(&j, "\xc2\xa0\xe2\x82\xac");	/* NBSP, euro: kept */
	json_arr_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "[\"\\\\xc2\\\\x9b2J\",\"\\\\x9b31m\","
	    "\"\\\\xc2\\\\x9d0;t\\\\xc2\\\\x9c\",\"\xc2\xa0\xe2\x82\xac\"]");
	free(s);
}

/* A NUL inside a counted string is shown, not an end. */
static void
test_nul(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_strn(&j, "ab\0cd", 5);
	s = json_take(&j);
	assert_string_equal(s, "\"ab\\\\x00cd\"");
	free(s);
}

static void
test_numbers(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_arr_begin(&j);
	json_num(&j, 0);
	json_num(&j, 9);
	json_num(&j, 10);
	json_num(&j, -7);
	json_num(&j, INT64_MAX);
	json_num(&j, INT64_MIN + 1);
	json_num(&j, 4294967295LL);
	json_double(&j, 0.4235, 3);
	json_double(&j, 1.9996, 3);
	json_double(&j, -2.5, 0);
	json_double(&j, -0.0001, 2);
	json_double(&j, 12.0, 1);
	json_double(&j, 1e16, 1);
	json_double(&j, INFINITY, 1);
	json_arr_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "[0,9,10,-7,9223372036854775807,"
	    "-9223372036854775807,4294967295,0.424,2.000,-3,0.00,12.0,null,"
	    "null]");
	free(s);

	/* Every digit count, through json_knum's inline path. */
	json_init(&j, 0);
	json_obj_begin(&j);
	json_knum(&j, "a", 99);
	json_knum(&j, "b", 100);
	json_knum(&j, "c", 9999);
	json_knum(&j, "d", 10000);
	json_knum(&j, "e", 100000);
	json_knum(&j, "f", 999999999999999999LL);
	json_knum(&j, "g", 1000000000000000000LL);
	json_knum(&j, "h", INT64_MAX);
	json_knum(&j, "i", INT64_MIN + 1);
	json_knum(&j, "j", -10);
	json_knum(&j, "k", PNUM_UNKNOWN);
	json_knum(&j, "l", 0);
	json_obj_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\"a\":99,\"b\":100,\"c\":9999,"
	    "\"d\":10000,\"e\":100000,\"f\":999999999999999999,"
	    "\"g\":1000000000000000000,\"h\":9223372036854775807,"
	    "\"i\":-9223372036854775807,\"j\":-10,\"k\":null,\"l\":0}");
	free(s);
}

/* Build the same document into a sink: a few MB with long strings. */
static void
build_big(struct json *j)
{
	static char	long_str[300000];	/* > JSON_BUFSIZE */
	int		i;

	memset(long_str, 'x', sizeof(long_str) - 1);
	long_str[5000] = '\x1b';
	json_obj_begin(j);
	json_key(j, "items");
	json_arr_begin(j);
	for (i = 0; i < 50000; i++) {
		json_obj_begin(j);
		json_knum(j, "i", i);
		json_kstr(j, "name", i % 1000 == 0 ? long_str : "tunnel");
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/* The file sink writes exactly what the memory sink builds. */
static void
test_file_sink(void **state)
{
	struct json	 m, f;
	FILE		*fp;
	char		*want, *got;
	long		 size;

	json_init(&m, 1);
	build_big(&m);
	want = json_take(&m);

	fp = tmpfile();
	assert_non_null(fp);
	json_init_file(&f, fp, 1);
	build_big(&f);
	/* Bounded: the buffer never grew past its size. */
	assert_int_equal(f.cap, JSON_BUFSIZE);
	json_line_end(&f);
	json_obj_begin(&f);
	json_obj_end(&f);
	assert_int_equal(json_flush(&f), 0);
	json_free(&f);

	size = ftell(fp);
	assert_int_equal(size, strlen(want) + 3);
	got = malloc(size + 1);
	assert_non_null(got);
	rewind(fp);
	assert_int_equal(fread(got, 1, size, fp), size);
	got[size] = '\0';
	fclose(fp);
	/* Two documents: the second starts afresh, without a comma. */
	assert_string_equal(got + size - 3, "\n{}");
	got[size - 3] = '\0';
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* A FILE without a descriptor (open_memstream) gets the same bytes. */
static void
test_memstream_sink(void **state)
{
	struct json	 m, f;
	FILE		*fp;
	char		*want, *got = NULL;
	size_t		 size = 0;

	(void)state;
	json_init(&m, 0);
	build_big(&m);
	want = json_take(&m);
	fp = open_memstream(&got, &size);
	assert_non_null(fp);
	assert_int_equal(fileno(fp), -1);
	json_init_file(&f, fp, 0);
	build_big(&f);
	assert_int_equal(json_flush(&f), 0);
	json_free(&f);
	fclose(fp);
	assert_int_equal(size, strlen(want));
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* A full disk is reported at the end, with its errno. */
static void
test_full(void **state)
{
	struct json	 j;
	FILE		*fp;

	if ((fp = fopen("/dev/full", "w")) == NULL)
		skip();
	json_init_file(&j, fp, 0);
	build_big(&j);
	assert_int_equal(json_error(&j), ENOSPC);
	assert_int_equal(json_flush(&j), -1);
	assert_int_equal(errno, ENOSPC);
	json_free(&j);
	fclose(fp);
}

static void
test_pretty(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 1);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_arr_begin(&j);
	json_num(&j, 1);
	json_num(&j, 2);
	json_arr_end(&j);
	json_obj_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
	free(s);
}

/*
 * json_again: members written once, again one level deeper (the tunnel
 * list's first SA), the comma and indent of the new place.
 */
static void
again_doc(struct json *j)
{
	uint64_t	from, to;
	int		d;

	json_obj_begin(j);
	json_kstr(j, "a", "x");
	from = json_pos(j);
	d = j->depth;
	json_knum(j, "b", 1);
	json_kstr(j, "c", "y\x1b");
	to = json_pos(j);
	json_key(j, "l");
	json_arr_begin(j);
	json_obj_begin(j);
	assert_int_equal(json_again(j, from, to, d), 0);
	json_obj_end(j);
	json_obj_begin(j);
	json_knum(j, "z", 0);
	assert_int_equal(json_again(j, from, to, d), 0);
	json_obj_end(j);
	json_arr_end(j);
	/* After a key, a value is due, not members: refused. */
	json_key(j, "k");
	assert_int_equal(json_again(j, from, to, d), -1);
	json_null(j);
	json_obj_end(j);
}

static void
test_again(void **state)
{
	struct json	 j;
	FILE		*fp;
	char		*s;
	uint64_t	 from, to;
	int		 i;

	(void)state;
	json_init(&j, 0);
	again_doc(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\"a\":\"x\",\"b\":1,\"c\":\"y\\\\x1b\","
	    "\"l\":[{\"b\":1,\"c\":\"y\\\\x1b\"},"
	    "{\"z\":0,\"b\":1,\"c\":\"y\\\\x1b\"}],\"k\":null}");
	free(s);
	json_init(&j, 1);
	again_doc(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\n  \"a\": \"x\",\n  \"b\": 1,\n"
	    "  \"c\": \"y\\\\x1b\",\n  \"l\": [\n    {\n      \"b\": 1,\n"
	    "      \"c\": \"y\\\\x1b\"\n    },\n    {\n      \"z\": 0,\n"
	    "      \"b\": 1,\n      \"c\": \"y\\\\x1b\"\n    }\n  ],\n"
	    "  \"k\": null\n}");
	free(s);

	/* The file sink wrote the members out: refused, nothing written. */
	fp = tmpfile();
	assert_non_null(fp);
	json_init_file(&j, fp, 0);
	json_arr_begin(&j);
	for (i = 0; j.len < JSON_BUFSIZE - 200; i++)
		json_num(&j, i);
	/* A few bytes, but across the write: gone from the buffer. */
	from = json_pos(&j);
	for (i = 0; i < 100; i++)
		json_num(&j, i);
	to = json_pos(&j);
	tu_assert_cmp(j.flushed, >, from);
	tu_assert_cmp(to - from, <, 400);
	json_obj_begin(&j);
	assert_int_equal(json_again(&j, from, to, 1), -1);
	assert_int_equal(json_pos(&j), j.flushed + j.len);
	json_obj_end(&j);
	json_arr_end(&j);
	assert_int_equal(json_flush(&j), 0);
	assert_int_equal(ftell(fp), (long)json_pos(&j));
	json_free(&j);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_escape_positions),
		cmocka_unit_test(test_c1),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_file_sink),
		cmocka_unit_test(test_memstream_sink),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_again),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
