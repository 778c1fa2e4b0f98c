/* SPDX-License-Identifier: ISC */
/*
 * testutil - helpers shared by the cmocka unit tests; see testutil.h.
 */
#include "config.h"

#define TU_NO_JANSSON	/* this file writes with src/json.h */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "analyze.h"
#include "json.h"
#include "model.h"
#include "util.h"

char *
tu_fixture(const char *rel, size_t *len)
{
	char	 path[4096];
	FILE	*f;
	char	*buf;
	long	 size = 0;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", TOP_SRCDIR, rel);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("fixture %s: cannot open", path);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		fail_msg("fixture %s: cannot size", path);
	buf = malloc(size + 1);
	assert_non_null(buf);
	if (fread(buf, 1, size, f) != (size_t)size)
		fail_msg("fixture %s: short read", path);
	fclose(f);
	buf[size] = '\0';
	*len = size;
	return (buf);
}

char *
tu_report(const struct kind *k, const char *buf, size_t len)
{
	struct json	 j;
	void		*r;
	char		*whole, *streamed;
	size_t		 count, n;

	if ((r = k->parse(buf, len)) == NULL)
		fail_msg("%s: parser returned NULL", k->name);
	json_init(&j, 0);
	k->report(&j, r);
	count = k->count(r);
	k->free(r);
	whole = json_take(&j);
	if (k->stream == NULL)
		return (whole);
	/* One parser, two ways out: the streamed document is the same. */
	json_init(&j, 0);
	if (k->stream(&j, buf, len, &n) != 0)
		fail_msg("%s: stream failed", k->name);
	streamed = json_take(&j);
	assert_string_equal(streamed, whole);
	assert_int_equal(n, count);
	free(streamed);
	return (whole);
}

char *
tu_report_fixture(const struct kind *k, const char *rel)
{
	char	*buf, *out;
	size_t	 len;

	buf = tu_fixture(rel, &len);
	out = tu_report(k, buf, len);
	free(buf);
	return (out);
}

void
tu_has_impl(const char *json, const char *frag, const char *what,
    const char *file, int line)
{
	if (strstr(json, frag) == NULL) {
		print_error("%s:%d: %s: expected %s\n  in %s\n", file, line,
		    what, frag, json);
		fail();
	}
}

void
tu_lacks_impl(const char *json, const char *frag, const char *what,
    const char *file, int line)
{
	if (strstr(json, frag) != NULL) {
		print_error("%s:%d: %s: unexpected %s\n  in %s\n", file, line,
		    what, frag, json);
		fail();
	}
}

void
tu_str(const char *what, const char *field, const char *got,
    const char *want)
{
	if (got == NULL ? want == NULL : want != NULL &&
	    strcmp(got, want) == 0)
		return;
	fail_msg("%s: %s \"%s\", want \"%s\"", what, field,
	    got == NULL ? "null" : got, want == NULL ? "null" : want);
}

void
tu_num(const char *what, const char *field, int64_t got, int64_t want)
{
	char	g[32], w[32];

	if (got == want)
		return;
	snprintf(g, sizeof(g), "%lld", (long long)got);
	snprintf(w, sizeof(w), "%lld", (long long)want);
	fail_msg("%s: %s %s, want %s", what, field,
	    got == PNUM_UNKNOWN ? "null" : g, want == PNUM_UNKNOWN ? "null" : w);
}

double
tu_iso_time(const char *s)
{
	struct tm	 tm;
	int		 ms = 0;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &ms) != 7)
		fail_msg("not an ISO time: %s", s != NULL ? s : "(null)");
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return ((double)timegm(&tm) + ms / 1000.0);
}

char *
tu_analyze(const char *buf, size_t len, size_t *nrec)
{
	struct json	j;
	size_t		n;

	json_init(&j, 0);
	n = analyze_transcript(&j, buf, len);
	if (nrec != NULL)
		*nrec = n;
	return (json_take(&j));
}

char *
tu_model_json(const struct model *m, double now)
{
	struct json	 j;

	json_init(&j, JSON_COMPACT);
	model_json(&j, m, now, "test", NULL);
	return (json_take(&j));
}
