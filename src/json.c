/*
 * json - a small JSON writer; see json.h.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"
#include "xmalloc.h"

static void	json_put(struct json *, const char *, size_t);
static void	json_sep(struct json *);

void
json_init(struct json *j, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->pretty = pretty;
	j->first[0] = 1;
}

void
json_free(struct json *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

char *
json_take(struct json *j)
{
	char	*s;

	json_put(j, "", 0);
	s = j->buf;
	j->buf = NULL;
	j->len = j->cap = 0;
	return (s);
}

static void
json_put(struct json *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->cap) {
		while (j->len + n + 1 > j->cap)
			j->cap = j->cap == 0 ? 256 : j->cap * 2;
		j->buf = xrealloc(j->buf, j->cap);
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
json_indent(struct json *j)
{
	int	i;

	json_put(j, "\n", 1);
	for (i = 0; i < j->depth; i++)
		json_put(j, "  ", 2);
}

/* Before a value or key: a comma unless first, and a new line if pretty. */
static void
json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		json_put(j, ",", 1);
	j->first[j->depth] = 0;
	if (j->pretty && j->depth > 0)
		json_indent(j);
}

static void
json_open(struct json *j, const char *c)
{
	json_sep(j);
	json_put(j, c, 1);
	if (j->depth + 1 >= JSON_MAXDEPTH) {
		fprintf(stderr, "fgtop: JSON nesting too deep\n");
		abort();
	}
	j->depth++;
	j->first[j->depth] = 1;
}

static void
json_close(struct json *j, const char *c)
{
	int	empty = j->first[j->depth];

	j->depth--;
	if (j->pretty && !empty)
		json_indent(j);
	json_put(j, c, 1);
}

void
json_obj_begin(struct json *j)
{
	json_open(j, "{");
}

void
json_obj_end(struct json *j)
{
	json_close(j, "}");
}

void
json_arr_begin(struct json *j)
{
	json_open(j, "[");
}

void
json_arr_end(struct json *j)
{
	json_close(j, "]");
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not valid. */
static size_t
json_utf8_len(const unsigned char *s, size_t n)
{
	size_t		len, i;
	uint32_t	cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return (0);
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (n < len)
		return (0);
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (len);
}

static void
json_escaped(struct json *j, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, start = 0, u;
	char			 esc[8];

	json_put(j, "\"", 1);
	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
		    p[i] != '\\')
			continue;
		if (p[i] >= 0x80 && (u = json_utf8_len(p + i, n - i)) != 0) {
			i += u - 1;
			continue;
		}
		json_put(j, s + start, i - start);
		if (p[i] == '"' || p[i] == '\\') {
			esc[0] = '\\';
			esc[1] = p[i];
			json_put(j, esc, 2);
		} else {
			/* Control, DEL, or a stray byte shown as U+00xx. */
			snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
			json_put(j, esc, 6);
		}
		start = i + 1;
	}
	json_put(j, s + start, n - start);
	json_put(j, "\"", 1);
}

void
json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_escaped(j, key, strlen(key));
	json_put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = 1;
}

void
json_strn(struct json *j, const char *s, size_t n)
{
	json_sep(j);
	if (s == NULL)
		json_put(j, "null", 4);
	else
		json_escaped(j, s, n);
}

void
json_str(struct json *j, const char *s)
{
	json_strn(j, s, s == NULL ? 0 : strlen(s));
}

void
json_num(struct json *j, int64_t v)
{
	char	buf[32];
	int	n;

	if (v == PNUM_UNKNOWN) {
		json_null(j);
		return;
	}
	json_sep(j);
	n = snprintf(buf, sizeof(buf), "%" PRId64, v);
	json_put(j, buf, n);
}

void
json_double(struct json *j, double v, int decimals)
{
	char	buf[64];
	int	n;

	if (!isfinite(v) || v > 1e15 || v < -1e15) {
		json_null(j);
		return;
	}
	json_sep(j);
	n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	json_put(j, buf, n);
}

void
json_bool(struct json *j, int v)
{
	json_sep(j);
	if (v < 0)
		json_put(j, "null", 4);
	else if (v)
		json_put(j, "true", 4);
	else
		json_put(j, "false", 5);
}

void
json_null(struct json *j)
{
	json_sep(j);
	json_put(j, "null", 4);
}

void
json_kstr(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

void
json_knum(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	json_num(j, v);
}

void
json_kbool(struct json *j, const char *k, int v)
{
	json_key(j, k);
	json_bool(j, v);
}

void
json_kpair(struct json *j, const char *k, int64_t a, int64_t b)
{
	json_key(j, k);
	if (a == PNUM_UNKNOWN) {
		json_null(j);
		return;
	}
	json_arr_begin(j);
	json_num(j, a);
	json_num(j, b);
	json_arr_end(j);
}
