/* SPDX-License-Identifier: ISC */
/*
 * util - shared helpers for the FortiOS text parsers.
 *
 * Everything here is pure (libc only, no globals, no I/O) and bounded by
 * explicit lengths: device text is untrusted and need not be
 * NUL-terminated.  Numbers the device did not print are PNUM_UNKNOWN,
 * never zero; strings it did not print are NULL.
 *
 * Ownership: a parena owns every string and block allocated from it;
 * pa_free releases them all at once.  Parsers hang their results off one
 * arena so that a result is freed with a single call, whatever it holds.
 * Allocation failure returns NULL (parsers report it, they never abort).
 */
#ifndef PARSERS_UTIL_H
#define PARSERS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A number the device did not print (JSON null). */
#define PNUM_UNKNOWN	INT64_MIN
typedef int64_t pnum;

/* Iterate over lines: LF or CRLF; the final line may lack a newline. */
struct plines {
	const char	*p;
	const char	*end;
};

static inline void
pl_init(struct plines *pl, const char *buf, size_t len)
{
	pl->p = buf;
	pl->end = buf + len;
}

/*
 * Next line without its line ending; 0 at the end of input.  Inline, as
 * the other small helpers here: every parser calls them on every line.
 */
static inline int
pl_next(struct plines *pl, const char **line, size_t *len)
{
	const char	*p = pl->p, *nl;
	size_t		 n;

	if (p == NULL || p >= pl->end)
		return (0);
	n = pl->end - p;
	if ((nl = memchr(p, '\n', n)) != NULL) {
		n = nl - p;
		pl->p = nl + 1;
	} else
		pl->p = pl->end;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	*line = p;
	*len = n;
	return (1);
}

/* isspace in the C locale, whatever locale the dashboard set. */
static inline int
pu_space(char c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r'));
}

/* Bounded string tests on (s, n). */
int	 pu_starts(const char *, size_t, const char *);
/* Offset of needle in (s, n), or -1. */
long	 pu_find(const char *, size_t, const char *);
/* pu_find with the needle's length given (a label known at compile time). */
long	 pu_findn(const char *, size_t, const char *, size_t);
/* Skip leading and drop trailing white space, in place on (s, n). */
static inline void
pu_trim(const char **sp, size_t *np)
{
	const char	*s = *sp;
	size_t		 n = *np;

	while (n > 0 && pu_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && pu_space(s[n - 1]))
		n--;
	*sp = s;
	*np = n;
}
/*
 * The next word (run of characters other than space and tab) of (s, n)
 * at or after *pos; *pos moves past it.  Returns 0 when there is none.
 */
int	 pu_word(const char *, size_t, size_t *, const char **, size_t *);
/*
 * What a terminal shows of a line: the text after its last carriage
 * return (the --More-- pager erases itself with "\r   \r"; a CR at the
 * very end erases nothing), trimmed, without a "--More--" remnant in
 * front.  In place on (s, n).
 */
void	 pu_visible(const char **, size_t *);
/* pu_visible of a line known to hold no CR (its text has none). */
static inline void
pu_visible_nocr(const char **sp, size_t *np)
{
	const char	*s = *sp;
	size_t		 n = *np;

	pu_trim(&s, &n);
	if (n >= 8 && s[0] == '-' && memcmp(s, "--More--", 8) == 0) {
		s += 8;
		n -= 8;
		pu_trim(&s, &n);
	}
	*sp = s;
	*np = n;
}

/*
 * Decimal (pu_num) or hexadecimal (pu_hex) number at the start of (s, n).
 * Returns the number of characters consumed (0 if none) and stores the
 * value; values that overflow int64 are rejected (0 consumed).
 */
size_t	 pu_num(const char *, size_t, pnum *);
size_t	 pu_hex(const char *, size_t, pnum *);
/*
 * pu_num with the commonest number, one digit (error and selector counts,
 * ports of 0), read inline.
 */
static inline size_t
pu_num1(const char *s, size_t n, pnum *out)
{
	unsigned int	d;

	if (n > 0 && (d = (unsigned char)s[0] - '0') <= 9 &&
	    (n == 1 || (unsigned int)((unsigned char)s[1] - '0') > 9)) {
		*out = d;
		return (1);
	}
	return (pu_num(s, n, out));
}

/*
 * Find "key" followed by '=' (or the separator given) at a word boundary
 * in (s, n); the value runs to the next white space.  Returns 0 and sets
 * (v, vn) when found, -1 otherwise.  pu_kv_num parses the value as a
 * decimal number (PNUM_UNKNOWN when absent or not a number).
 */
int	 pu_kv(const char *, size_t, const char *, const char **, size_t *);
pnum	 pu_kv_num(const char *, size_t, const char *);

/*
 * Split "addr:port" at the last ':' (works for IPv4 and for IPv6 written
 * without brackets, as FortiOS prints it).  Returns 0 on success.
 */
static inline int
pu_addr_port(const char *s, size_t n, const char **a, size_t *an, pnum *port)
{
	size_t	i;

	for (i = n; i > 0; i--) {
		if (s[i - 1] == ':')
			break;
	}
	if (i == 0 || i == 1 || i == n)
		return (-1);
	if (pu_num1(s + i, n - i, port) != n - i)
		return (-1);
	*a = s;
	*an = i - 1;
	return (0);
}

/* Arena: see the ownership note above. */
struct parena;
struct parena	*pa_new(void);
/*
 * A new arena holding one zeroed block of size bytes: the usual start of
 * a parse.  The arena is stored in *pa; NULL when memory runs out.
 */
void		*pa_new_result(size_t, struct parena **);
void		 pa_free(struct parena *);
/* Release everything allocated so far, keeping one chunk for reuse. */
void		 pa_reset(struct parena *);
void		*pa_alloc(struct parena *, size_t);	/* zeroed */
/* pa_alloc without the zeroing, for a caller that fills the block. */
void		*pa_alloc_raw(struct parena *, size_t);
/*
 * A NUL-terminated copy of (s, n).  A NUL byte inside the field would cut
 * the string short without a trace, so each one is written as the four
 * characters \x00, as the JSON writer shows any other control.
 */
char		*pa_strndup(struct parena *, const char *, size_t);
/*
 * Grow an array held in the arena to hold at least need elements of size
 * elsz, doubling; *arr and *cap are updated.  Old blocks stay in the arena
 * until pa_free (the waste is bounded by the final size).
 */
int		 pa_grow(struct parena *, void **, size_t *, size_t, size_t);
/*
 * pa_grow without zeroing the new elements, for a caller that sets every
 * field of each one it uses.
 */
int		 pa_grow_raw(struct parena *, void **, size_t *, size_t,
		    size_t);

#endif
