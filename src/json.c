/* SPDX-License-Identifier: ISC */
/*
 * json - a small, fast JSON writer; see json.h.
 *
 * Speed matters: the same writer carries `fgtop parse` on a 10,000-tunnel
 * list (tens of MB of JSON), --once --json and the journal for a thousand
 * devices.  So everything goes through json_room, which makes room for a
 * few bytes at once, strings are copied in runs between the bytes that
 * need escaping (found through a table, not per-character calls), numbers
 * are formatted by hand, and the file sink writes in JSON_BUFSIZE blocks.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "util.h"
#include "xmalloc.h"

/* json_knum's inline path in json.h tests for unknown without util.h. */
_Static_assert(PNUM_UNKNOWN == INT64_MIN, "PNUM_UNKNOWN is INT64_MIN");

/* Bytes that go into a JSON string as they are: printable ASCII but the
 * quote and the backslash. */
static const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1,	/* 0x22 is the quote */
	[0x23 ... 0x5b] = 1,	/* 0x5c is the backslash */
	[0x5d ... 0x7e] = 1,
};

static const char json_digits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

static const char json_hex[] = "0123456789abcdef";

static void	json_grow(struct json *, size_t);

#define JSON_ONES	0x0101010101010101ULL
#define JSON_HIGHS	0x8080808080808080ULL
#define JSON_ZERO(v)	(((v) - JSON_ONES) & ~(v) & JSON_HIGHS)

/* Eight bytes at once: all of them json_plain?  (The SWAR tests of
 * "Bit Twiddling Hacks"; exact once the high bits are known clear.) */
static inline int
json_plain8(const unsigned char *p)
{
	uint64_t	x;

	memcpy(&x, p, 8);
	if (x & JSON_HIGHS)
		return (0);
	return (((x - 0x2020202020202020ULL) & ~x & JSON_HIGHS) == 0 &&
	    JSON_ZERO(x ^ 0x2222222222222222ULL) == 0 &&
	    JSON_ZERO(x ^ 0x5c5c5c5c5c5c5c5cULL) == 0 &&
	    JSON_ZERO(x ^ 0x7f7f7f7f7f7f7f7fULL) == 0);
}

void
json_init(struct json *j, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->pretty = pretty;
	j->first[0] = 1;
}

void
json_init_file(struct json *j, FILE *f, int pretty)
{
	json_init(j, pretty);
	j->f = f;
	j->cap = JSON_BUFSIZE;
	j->buf = xmalloc(j->cap);
}

void
json_init_part(struct json *j, int pretty, int depth, json_chunk_fn fn,
    void *arg)
{
	json_init(j, pretty);
	j->chunk = fn;
	j->chunk_arg = arg;
	j->cap = JSON_BUFSIZE;
	j->buf = fn(arg, NULL, 0);
	if (depth < 0 || depth >= JSON_MAXDEPTH)
		abort();
	j->depth = depth;
	j->first[j->depth] = 0;
}

void
json_mark_item(struct json *j)
{
	j->first[j->depth] = 0;
	j->after_key = 0;
}

/*
 * Write n bytes at p to the sink's descriptor, straight: the FILE's own
 * buffer would only copy them again.  What the caller printed to the
 * FILE before goes first.
 */
static void
json_write(struct json *j, const char *p, size_t n)
{
	ssize_t	 w;
	int	 fd;

	if (j->error != 0 || n == 0)
		return;
	if ((fd = fileno(j->f)) == -1) {
		/* A FILE without a descriptor (open_memstream): its way. */
		if (fwrite(p, 1, n, j->f) != n)
			j->error = errno != 0 ? errno : EIO;
		return;
	}
	if (fflush(j->f) == EOF) {
		j->error = errno != 0 ? errno : EIO;
		return;
	}
	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			j->error = errno != 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/*
 * File sink: write the buffer out; after an error, output is dropped.
 * Part sink: hand it over, fill the one given back.
 */
static void
json_drain(struct json *j)
{
	if (j->chunk != NULL) {
		if (j->len > 0)
			j->buf = j->chunk(j->chunk_arg, j->buf, j->len);
	} else
		json_write(j, j->buf, j->len);
	j->flushed += j->len;
	j->len = 0;
}

int
json_flush(struct json *j)
{
	if (j->chunk != NULL)
		json_drain(j);
	if (j->f == NULL)
		return (0);
	json_drain(j);
	if (j->error == 0 && fflush(j->f) == EOF)
		j->error = errno != 0 ? errno : EIO;
	if (j->error == 0 && ferror(j->f))
		j->error = EIO;
	if (j->error != 0) {
		errno = j->error;
		return (-1);
	}
	return (0);
}

int
json_error(const struct json *j)
{
	return (j->error);
}

void
json_free(struct json *j)
{
	if (j->chunk == NULL)	/* a part's buffers are its fn's */
		free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

char *
json_take(struct json *j)
{
	char	*s;

	if (j->f != NULL || j->chunk != NULL)
		return (NULL);
	if (j->cap - j->len < 1)
		json_grow(j, 1);
	j->buf[j->len] = '\0';
	s = j->buf;
	j->buf = NULL;
	j->len = j->cap = 0;
	return (s);
}

void
json_reset(struct json *j)
{
	if (j->f != NULL || j->chunk != NULL)
		return;
	j->len = 0;
	j->depth = 0;
	j->first[0] = 1;
	j->after_key = 0;
}

/*
 * Make room for n more bytes (n <= JSON_BUFSIZE for the file and part
 * sinks).
 */
static void
json_grow(struct json *j, size_t n)
{
	if (j->f != NULL || j->chunk != NULL) {
		json_drain(j);
		return;
	}
	while (j->cap - j->len < n + 1)		/* + 1: json_take's NUL */
		j->cap = j->cap == 0 ? 4096 : j->cap * 2;
	j->buf = xrealloc(j->buf, j->cap);
}

static inline char *
json_room(struct json *j, size_t n)
{
	if (j->cap - j->len < n)
		json_grow(j, n);
	return (j->buf + j->len);
}

static void
json_put(struct json *j, const char *s, size_t n)
{
	if (j->cap - j->len < n) {
		json_grow(j, n);
		if (j->f != NULL && n > j->cap) {
			/* Longer than the whole buffer: straight through. */
			json_write(j, s, n);
			return;
		}
		/* The part sink's buffers are whole: a buffer at a time. */
		while (j->chunk != NULL && n > j->cap - j->len) {
			memcpy(j->buf + j->len, s, j->cap - j->len);
			s += j->cap - j->len;
			n -= j->cap - j->len;
			j->len = j->cap;
			json_drain(j);
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

void
json_splice(struct json *j, const char *s, size_t n)
{
	/* A whole part buffer to a file: no copy into ours. */
	if (j->f != NULL && n >= JSON_BUFSIZE / 2) {
		json_drain(j);
		json_write(j, s, n);
		return;
	}
	json_put(j, s, n);
}

int
json_again(struct json *j, uint64_t from, uint64_t to, int depth)
{
	const char	*src, *end, *nl;
	size_t		 n, extra, need;
	char		*o;
	int		 d = j->depth;

	if (from < j->flushed || to > json_pos(j) || from > to ||
	    depth > d || j->after_key)
		return (-1);
	n = to - from;
	extra = j->pretty ? 2 * (size_t)(d - depth) : 0;
	/*
	 * A line is at least a newline, an indent of two and a key: the
	 * deeper indent at most doubles the text.
	 */
	need = 2 * n + JSON_SEPROOM;
	if (j->cap - j->len < need) {
		if (j->f != NULL || j->chunk != NULL)
			return (-1);
		json_grow(j, need);
	}
	src = j->buf + (from - j->flushed);
	end = src + n;
	o = j->buf + j->len;
	/* The comma the members had there, or not, is this level's. */
	if (src < end && *src == ',')
		src++;
	if (src == end)
		return (0);
	if (!j->first[d])
		*o++ = ',';
	while (extra > 0 && (nl = memchr(src, '\n', end - src)) != NULL) {
		memcpy(o, src, nl + 1 - src);
		o += nl + 1 - src;
		/* A fixed store, not a call (room: JSON_SEPROOM's slack). */
		if (extra <= 16)
			memcpy(o, "                ", 16);
		else
			memset(o, ' ', extra);
		o += extra;
		src = nl + 1;
	}
	memcpy(o, src, end - src);
	o += end - src;
	j->len = o - j->buf;
	j->first[d] = 0;
	return (0);
}

/* Before a value or key: a comma unless first, and a new line if pretty. */
static void
json_sep(struct json *j)
{
	char	*p;
	int	 d = j->depth;

	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	p = json_room(j, JSON_SEPROOM);
	if (!j->first[d])
		*p++ = ',';
	j->first[d] = 0;
	if (j->pretty && d > 0)
		p = json_indent_at(p, d);
	j->len = p - j->buf;
}

static void
json_open(struct json *j, char c)
{
	json_sep(j);
	if (j->depth + 1 >= JSON_MAXDEPTH)
		abort();	/* a report nests deeper than any document */
	*json_room(j, 1) = c;
	j->len++;
	j->depth++;
	j->first[j->depth] = 1;
}

static void
json_close(struct json *j, char c)
{
	int	 empty = j->first[j->depth];
	char	*p;

	j->depth--;
	p = json_room(j, JSON_SEPROOM);
	if (j->pretty && !empty)
		p = json_indent_at(p, j->depth);
	*p++ = c;
	j->len = p - j->buf;
}

void
json_obj_begin(struct json *j)
{
	json_open(j, '{');
}

void
json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void
json_arr_begin(struct json *j)
{
	json_open(j, '[');
}

void
json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void
json_line_end(struct json *j)
{
	*json_room(j, 1) = '\n';
	j->len++;
	j->first[0] = 1;
	j->after_key = 0;
}

/*
 * Length of the valid UTF-8 sequence at s that is not a C1 control
 * (U+0080-U+009F, which terminals obey like ESC sequences), or 0.
 */
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
	if (cp < 0xa0 || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (len);
}

/* One byte that must not reach the reader raw, as visible C-style text. */
static void
json_visible(struct json *j, unsigned char c)
{
	char	*p = json_room(j, 5);

	*p++ = '\\';
	*p++ = '\\';
	switch (c) {
	case '\n':
		*p++ = 'n';
		break;
	case '\r':
		*p++ = 'r';
		break;
	case '\t':
		*p++ = 't';
		break;
	default:
		*p++ = 'x';
		*p++ = json_hex[c >> 4];
		*p++ = json_hex[c & 0xf];
		break;
	}
	j->len = p - j->buf;
}

/* The rest of a string from p, once a byte needing care was met. */
static void
json_escaped_slow(struct json *j, const unsigned char *p, size_t n)
{
	size_t	 i = 0, start, u;
	char	*o;

	while (i < n) {
		/* The longest run that passes as it is. */
		start = i;
		for (;;) {
			while (i < n && json_plain[p[i]])
				i++;
			if (i < n && p[i] >= 0x80 &&
			    (u = json_utf8_len(p + i, n - i)) != 0) {
				i += u;
				continue;
			}
			break;
		}
		if (i > start)
			json_put(j, (const char *)p + start, i - start);
		if (i == n)
			break;
		if (p[i] == '"' || p[i] == '\\') {
			o = json_room(j, 2);
			o[0] = '\\';
			o[1] = p[i];
			j->len += 2;
		} else
			json_visible(j, p[i]);
		i++;
	}
	*json_room(j, 1) = '"';
	j->len++;
}

/*
 * A quoted string.  The common case (short, printable ASCII) is copied
 * byte by byte as it is checked, in room made once.
 */
static void
json_escaped(struct json *j, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + n;
	char			*o;

	if (n > JSON_BUFSIZE / 2) {
		*json_room(j, 1) = '"';
		j->len++;
		json_escaped_slow(j, p, n);
		return;
	}
	o = json_room(j, n + 2);
	*o++ = '"';
	while (end - p >= 8 && json_plain8(p)) {
		memcpy(o, p, 8);
		o += 8;
		p += 8;
	}
	while (p < end && json_plain[*p])
		*o++ = *p++;
	if (p == end) {
		*o++ = '"';
		j->len = o - j->buf;
		return;
	}
	j->len = o - j->buf;
	json_escaped_slow(j, p, end - p);
}

/*
 * Separator, quoted key and colon in room made once: keys are short and
 * plain (they come from the reports, not the device), so the copy rarely
 * meets a byte that needs the general path.
 */
void
json_keyn(struct json *j, const char *key, size_t n)
{
	const unsigned char	*p = (const unsigned char *)key;
	size_t			 i;
	char			*o, *start;
	int			 d = j->depth;

	if (j->after_key || n > 256)
		goto slow;
	o = start = json_room(j, n + 4 + JSON_SEPROOM);
	if (!j->first[d])
		*o++ = ',';
	if (j->pretty && d > 0)
		o = json_indent_at(o, d);
	*o++ = '"';
	/* Nothing counts as written before the end: len is unchanged. */
	for (i = 0; i + 8 <= n; i += 8) {
		if (!json_plain8(p + i))
			goto slow;
		memcpy(o + i, p + i, 8);
	}
	for (; i < n; i++) {
		if (!json_plain[p[i]])
			goto slow;
		o[i] = p[i];
	}
	o += n;
	*o++ = '"';
	*o++ = ':';
	if (j->pretty)
		*o++ = ' ';
	j->first[d] = 0;
	j->len += o - start;
	j->after_key = 1;
	return;

slow:
	json_sep(j);
	json_escaped(j, key, n);
	o = json_room(j, 2);
	*o++ = ':';
	if (j->pretty)
		*o++ = ' ';
	j->len = o - j->buf;
	j->after_key = 1;
}

void
json_strn(struct json *j, const char *s, size_t n)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	json_sep(j);
	json_escaped(j, s, n);
}

void
json_str(struct json *j, const char *s)
{
	json_strn(j, s, s == NULL ? 0 : strlen(s));
}

/* How many decimal digits v has. */
static inline unsigned int
json_ndigits(uint64_t v)
{
	unsigned int	n = 1;

	for (;;) {
		if (v < 10)
			return (n);
		if (v < 100)
			return (n + 1);
		if (v < 1000)
			return (n + 2);
		if (v < 10000)
			return (n + 3);
		v /= 10000;
		n += 4;
	}
}

/*
 * Decimal digits of v at p, two at a time from the end, which is known
 * first: no copy from a scratch buffer (that copy was a tenth of a
 * 10,000-tunnel report).  Returns the end.
 */
static char *
json_u64(char *p, uint64_t v)
{
	char	*end, *o;

	/* Most numbers of a report are counters at 0 or a flag. */
	if (v < 10) {
		*p = '0' + v;
		return (p + 1);
	}
	end = o = p + json_ndigits(v);

	while (v >= 100) {
		o -= 2;
		memcpy(o, json_digits2 + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(o - 2, json_digits2 + v * 2, 2);
	else
		o[-1] = '0' + v;
	return (end);
}

char *
json_i64_at(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return (json_u64(p, -(uint64_t)v));
	}
	return (json_u64(p, v));
}

void
json_num(struct json *j, int64_t v)
{
	char	*p;

	if (v == PNUM_UNKNOWN) {
		json_null(j);
		return;
	}
	json_sep(j);
	p = json_room(j, JSON_NUMROOM);
	j->len = json_i64_at(p, v) - j->buf;
}

void
json_double(struct json *j, double v, int decimals)
{
	static const double	 scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
				     1e7, 1e8, 1e9 };
	double			 a, ip, f;
	uint64_t		 fi;
	char			*p, frac[10];
	int			 i;

	if (!isfinite(v) || v > 1e15 || v < -1e15) {
		json_null(j);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	a = fabs(v);
	ip = floor(a);
	f = floor((a - ip) * scale[decimals] + 0.5);
	if (f >= scale[decimals]) {
		ip += 1;
		f -= scale[decimals];
	}
	fi = (uint64_t)f;
	json_sep(j);
	p = json_room(j, 32);
	if (v < 0 && (ip != 0 || fi != 0))
		*p++ = '-';
	p = json_u64(p, (uint64_t)ip);
	if (decimals > 0) {
		*p++ = '.';
		for (i = decimals - 1; i >= 0; i--) {
			frac[i] = '0' + fi % 10;
			fi /= 10;
		}
		memcpy(p, frac, decimals);
		p += decimals;
	}
	j->len = p - j->buf;
}

void
json_bool(struct json *j, int v)
{
	if (v < 0) {
		json_null(j);
		return;
	}
	json_sep(j);
	if (v)
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
