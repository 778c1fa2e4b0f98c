/* SPDX-License-Identifier: ISC */
/*
 * tujson - the test helpers that read JSON with jansson; see testutil.h.
 * Kept apart from testutil.c, which writes with src/json.h: the two
 * libraries share names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "simutil.h"

json_t *
tu_json(const char *text, const char *what)
{
	json_error_t	 err;
	json_t		*v;

	if ((v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err)) ==
	    NULL)
		fail_msg("%s: invalid JSON at %d:%d: %s", what, err.line,
		    err.column, err.text);
	return (v);
}

json_t *
tu_report_json(const struct kind *k, const char *buf, size_t len)
{
	char	*s;
	json_t	*v;

	s = tu_report(k, buf, len);
	v = tu_json(s, k->name);
	free(s);
	return (v);
}

/* The first control character in (s, n), as an offset, or -1. */
static long
tu_control_at(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return ((long)i);
		/* U+0080-U+009F is 0xc2 0x80-0x9f in UTF-8. */
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return ((long)i);
	}
	return (-1);
}

static void
tu_walk(json_t *v, const char *what, const char *path)
{
	char		 sub[512];
	const char	*key;
	json_t		*e;
	size_t		 i;
	long		 at;

	if (json_is_string(v)) {
		at = tu_control_at(json_string_value(v), json_string_length(v));
		if (at >= 0)
			fail_msg("%s: %s: control character 0x%02x at %ld in "
			    "\"%s\"", what, path, (unsigned char)
			    json_string_value(v)[at], at, json_string_value(v));
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, e) {
			if (tu_control_at(key, strlen(key)) >= 0)
				fail_msg("%s: %s: control character in a key",
				    what, path);
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			tu_walk(e, what, sub);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			tu_walk(e, what, sub);
		}
	}
}

void
tu_no_controls(json_t *v, const char *what)
{
	tu_walk(v, what, "$");
}

json_t *
tu_json_file(const char *path, const char *err_path)
{
	json_error_t	 e;
	json_t		*doc;

	if ((doc = json_load_file(path, 0, &e)) == NULL)
		fail_msg("%s is not JSON (%s, line %d); stderr: %s", path,
		    e.text, e.line, err_path != NULL ? sim_read_file(err_path) : "");
	return (doc);
}

json_t *
tu_named(json_t *arr, const char *name)
{
	size_t		 i;
	json_t		*v;
	const char	*n;

	json_array_foreach(arr, i, v) {
		n = json_string_value(json_object_get(v, "name"));
		if (n != NULL && strcmp(n, name) == 0)
			return (v);
	}
	return (NULL);
}

const char *
tu_jstr(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL)
		fail_msg("no key \"%s\"", k);
	return (json_is_null(v) ? NULL : json_string_value(v));
}

void
tu_expect_str(const char *what, const char *got, const char *want)
{
	if (got == NULL || want == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", what,
		    got != NULL ? got : "(null)", want != NULL ? want : "(null)");
}
