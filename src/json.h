/* SPDX-License-Identifier: ISC */
/*
 * json - a small, fast JSON writer, into memory or streamed to a FILE.
 *
 * The writer tracks commas itself, so reports read like the document they
 * build.  Three sinks:
 *
 *   json_init(&j, pretty)        the document grows in j.buf (j.len bytes);
 *                                json_take hands it over NUL-terminated.
 *   json_init_file(&j, f, pretty) the document goes to f through a bounded
 *                                buffer (JSON_BUFSIZE) flushed as it fills,
 *                                so memory stays small whatever the output
 *                                size; it is written to f's descriptor
 *                                with write(2) in whole buffers, after an
 *                                fflush of what f already held (so f's
 *                                position is the kernel's: ask it with
 *                                ftello on an append or fresh stream,
 *                                not after an fseeko of f's own).  A failed write (full disk, closed
 *                                pipe) sets a sticky error and later output
 *                                is dropped; json_flush at the end reports
 *                                it.  The caller checks, the writer never
 *                                prints.
 *   json_init_part(&j, pretty, depth, fn, arg) a part of a document
 *                                written by another thread (`fgtop parse`
 *                                on two cores, src/pstream.c): it goes
 *                                on at that depth (nesting level) as if
 *                                items came before it (so its text
 *                                starts with the comma), and each full
 *                                buffer is handed to fn, which keeps it
 *                                and returns the buffer to fill next
 *                                (fn's own buffers: json_free leaves
 *                                them).  json_splice puts such text
 *                                into the document, as it is.
 *
 * pretty: JSON_COMPACT (0) writes no whitespace at all; JSON_PRETTY (1)
 * indents by two spaces, one member a line, ": " after keys.
 *
 * Strings: device text is untrusted in every output, not only on screen,
 * and `jq -r` turns a JSON escape like \u001b back into a live ESC.  So
 * no control character survives into a string: C0 controls, DEL, C1
 * controls (U+0080-U+009F) and bytes that are not valid UTF-8 are written
 * as visible text, C style: "\n", "\r", "\t" and "\xNN" per byte (in the
 * JSON text the backslash itself is escaped, so a decoder yields the four
 * characters \x1b, never the byte).  Valid UTF-8 otherwise passes as is.
 * A NUL inside a json_strn string is shown as \x00 like any control.
 *
 * Unknown values: PNUM_UNKNOWN numbers, NULL strings and negative booleans
 * are written as null.  Numbers are formatted without printf.
 *
 * Several documents on one stream (one line per event): json_line_end
 * ends the current top-level value with a newline, and the next value
 * starts a new document instead of continuing a list.
 *
 * Ownership: struct json owns buf; json_free releases it (it does not
 * close the FILE, which stays the caller's).  json_take (memory sink
 * only) hands the text to the caller, who frees it.  Out of memory is
 * fatal, as in xmalloc; nesting deeper than JSON_MAXDEPTH is a bug in the
 * caller and aborts.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define JSON_MAXDEPTH	64
#define JSON_BUFSIZE	262144	/* file sink: bytes a write(2) carries; 64K
				   took 10-15 % more time on 46 MB */

#define JSON_COMPACT	0
#define JSON_PRETTY	1

/*
 * The part sink's hand-over: takes buf (len bytes of JSON text) and
 * returns a buffer of JSON_BUFSIZE bytes to fill next; the first is
 * asked for with NULL.  The buffers are fn's to free, not the writer's.
 */
typedef char	*(*json_chunk_fn)(void *, char *buf, size_t len);

struct json {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	FILE		*f;		/* NULL: the memory or the part sink */
	json_chunk_fn	 chunk;		/* the part sink's, else NULL */
	void		*chunk_arg;
	int		 error;		/* errno of the first failed write */
	int		 depth;
	int		 pretty;
	unsigned char	 first[JSON_MAXDEPTH];	/* no element yet at level */
	int		 after_key;
	uint64_t	 flushed;	/* bytes written out before buf */
};

void	 json_init(struct json *, int pretty);
void	 json_init_file(struct json *, FILE *, int pretty);
void	 json_init_part(struct json *, int pretty, int depth, json_chunk_fn,
	    void *);
/* Text another writer made for this document (a part's), as it is. */
void	 json_splice(struct json *, const char *, size_t);
/* The current level has an item now (one a part wrote). */
void	 json_mark_item(struct json *);
/* File sink: write out the buffer and fflush; 0, or -1 with errno set
 * when any write so far failed.  Part sink: hand over what is left.
 * Memory sink: 0. */
int	 json_flush(struct json *);
int	 json_error(const struct json *);	/* errno, or 0 */
void	 json_free(struct json *);
char	*json_take(struct json *);		/* memory sink only */
/* Memory sink: empty the document, keep the buffer for the next one. */
void	 json_reset(struct json *);
void	 json_line_end(struct json *);

/* Where the document is: bytes written so far, written out or not. */
static inline uint64_t
json_pos(const struct json *j)
{
	return (j->flushed + j->len);
}
/*
 * The members written between two json_pos, from depth, written again
 * here (into an object, as its next members): a report that prints the
 * same values twice at two levels formats them once.  -1, and nothing
 * written, when they are no longer all in the buffer (the file sink
 * wrote them out) or it has no room for them: the caller writes them
 * again itself.
 */
int	 json_again(struct json *, uint64_t, uint64_t, int);

void	 json_obj_begin(struct json *);
void	 json_obj_end(struct json *);
void	 json_arr_begin(struct json *);
void	 json_arr_end(struct json *);
/* A key from anywhere, escaped like any string. */
void	 json_keyn(struct json *, const char *, size_t);

void	 json_str(struct json *, const char *);		/* NULL -> null */
void	 json_strn(struct json *, const char *, size_t);
void	 json_num(struct json *, int64_t);		/* unknown -> null */
void	 json_bool(struct json *, int);			/* < 0 -> null */
/*
 * A fixed-point number with the given decimals (0-9); NaN, inf or
 * beyond +-1e15 -> null.  Rounds half away from zero.
 */
void	 json_double(struct json *, double, int);
void	 json_null(struct json *);

/* A pair of numbers as printed, [a, b]; null when a is unknown. */
void	 json_kpair(struct json *, const char *, int64_t, int64_t);

/* Room a separator can take: comma, newline, indent, 8-byte stores. */
#define JSON_SEPROOM	(2 + 2 * JSON_MAXDEPTH + 8)

/* A newline and the indent of depth d at o, spaces stored 8 at a time. */
static inline char *
json_indent_at(char *o, int d)
{
	static const char	spaces[16] = "                ";
	size_t			n = 2 * (size_t)d, i;

	*o++ = '\n';
	/* Reports nest 8 deep at most: one 16-byte store, no loop. */
	memcpy(o, spaces, 16);
	for (i = 16; i < n; i += 8)
		memcpy(o + i, spaces, 8);
	return (o + n);
}

/*
 * Keys, and key and value in one call.  Inline, always, so that the
 * length of a literal key is known when compiling (a report writes
 * millions): a copy left out of line tests a key it cannot see and
 * takes the slow path every time.
 */
#define JSON_INLINE	static inline __attribute__((always_inline))

/*
 * A key of the program's text (never the device's) whose length is
 * known, a literal's or one a table of fields keeps: written without
 * the check for escapes, the length not counted again.
 */
JSON_INLINE void
json_key_len(struct json *j, const char *k, size_t n)
{
	char	*o;
	int	 d = j->depth;

	if (n <= 64 && !j->after_key && j->cap - j->len > n + 4 +
	    JSON_SEPROOM) {
		o = j->buf + j->len;
		if (!j->first[d])
			*o++ = ',';
		j->first[d] = 0;
		if (j->pretty && d > 0)
			o = json_indent_at(o, d);
		*o++ = '"';
		memcpy(o, k, n);
		o += n;
		*o++ = '"';
		*o++ = ':';
		if (j->pretty)
			*o++ = ' ';
		j->len = o - j->buf;
		j->after_key = 1;
		return;
	}
	json_keyn(j, k, n);
}

/*
 * A key whose length the compiler knows is a literal: the program's own
 * text, written as json_key_len does (keys never come from the device;
 * one that could goes through json_keyn).
 */
JSON_INLINE void
json_key(struct json *j, const char *k)
{
	size_t	 n = __builtin_strlen(k);

	if (__builtin_constant_p(n))
		json_key_len(j, k, n);
	else
		json_keyn(j, k, n);
}

JSON_INLINE void
json_kstr(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

/* Room a number takes: a sign and 19 digits. */
#define JSON_NUMROOM	21
/* The decimal digits of v at p, without printf; returns the end. */
char	*json_i64_at(char *, int64_t);

/*
 * Key and number: after a literal key, with room, the digits go
 * straight in (no separator to decide).  INT64_MIN is PNUM_UNKNOWN,
 * written as null by json_num.
 */
JSON_INLINE void
json_knum(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	if (v != INT64_MIN && j->after_key &&
	    j->cap - j->len >= JSON_NUMROOM) {
		j->after_key = 0;
		j->len = json_i64_at(j->buf + j->len, v) - j->buf;
		return;
	}
	json_num(j, v);
}

JSON_INLINE void
json_kbool(struct json *j, const char *k, int v)
{
	json_key(j, k);
	json_bool(j, v);
}

#endif
