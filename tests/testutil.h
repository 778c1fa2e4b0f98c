/* SPDX-License-Identifier: ISC */
/*
 * testutil - helpers shared by the cmocka unit tests.
 *
 * Fixtures are read relative to the source tree (TOP_SRCDIR), so tests
 * run the same from an out-of-tree build and from make distcheck.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kind.h"
#include "tucmp.h"

/* Read tests/fixtures/<rel>; fails the test if it cannot.  Caller frees. */
char	*tu_fixture(const char *rel, size_t *len);

/*
 * Parse with a kind and return the compact JSON report; caller frees.
 * Fails the test if the parser ran out of memory, or if the kind's
 * streamed document (kind.stream) differs from it in any byte or count.
 */
char	*tu_report(const struct kind *, const char *, size_t);
char	*tu_report_fixture(const struct kind *, const char *rel);

/*
 * Assert that the JSON text contains the fragment (e.g. "\"sa\":0"),
 * naming the fixture and the fragment when it does not.
 */
#define tu_has(json, frag, what) \
	tu_has_impl((json), (frag), (what), __FILE__, __LINE__)
void	tu_has_impl(const char *, const char *, const char *, const char *,
	    int);
/*
 * Compare one parsed field, naming the fixture (what) and the field when
 * it differs.  NULL strings and PNUM_UNKNOWN numbers print as null.
 */
void	tu_str(const char *what, const char *field, const char *got,
	    const char *want);
void	tu_num(const char *what, const char *field, int64_t got,
	    int64_t want);

#define tu_lacks(json, frag, what) \
	tu_lacks_impl((json), (frag), (what), __FILE__, __LINE__)
void	tu_lacks_impl(const char *, const char *, const char *, const char *,
	    int);

/*
 * Seconds since the epoch of an ISO 8601 UTC time with milliseconds, as
 * fgtop prints them (2026-12-03T10:00:00.000Z); fails the test on
 * anything else.
 */
double	 tu_iso_time(const char *);

/* analyze_transcript's compact document; caller frees. */
char	*tu_analyze(const char *, size_t, size_t *nrec);

/* model_json's compact document of m at now (no findings); caller frees. */
struct model;
char	*tu_model_json(const struct model *, double now);

/*
 * jansson and src/json.h both name things json_null and JSON_COMPACT:
 * a test includes one of them.  Files that write with src/json.h define
 * TU_NO_JANSSON first; the others read what was written with jansson.
 * The names clash at link time too: a test's call to jansson's
 * json_null() reaches src/json.c's.  Make a null with json_pack("n").
 */
#ifndef TU_NO_JANSSON
#include <jansson.h>

/*
 * JSON, compared parsed (jansson): tu_json decodes text or fails the test
 * naming what; the caller json_decref()s the result.  tu_report_json is
 * tu_report decoded.
 */
json_t	*tu_json(const char *text, const char *what);
json_t	*tu_report_json(const struct kind *, const char *, size_t);

/*
 * Walk a decoded document and fail, naming what and the path of the
 * string, if any key or string holds a C0 control, DEL or a C1 control
 * (U+0080-U+009F): what a terminal would obey after `jq -r`.
 */
void	 tu_no_controls(json_t *, const char *what);

/*
 * A file of JSON (fgtop's stdout), or fail the test with the parser's
 * complaint and the text of err_path (its stderr).  Caller decrefs.
 */
json_t	*tu_json_file(const char *path, const char *err_path);
/* The member of an array whose "name" is name, or NULL. */
json_t	*tu_named(json_t *arr, const char *name);
/* o's string k; NULL for a JSON null; fails the test if there is no k. */
const char *tu_jstr(json_t *o, const char *k);
/*
 * Fail, naming what and both values, unless got is want; NULL (a JSON
 * null, a missing label) is never anything wanted.
 */
void	 tu_expect_str(const char *what, const char *got, const char *want);
#endif

#endif
