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

/* A number the device did not print (JSON null). */
#define PNUM_UNKNOWN	INT64_MIN
typedef int64_t pnum;

/* Iterate over lines: LF or CRLF; the final line may lack a newline. */
struct plines {
	const char	*p;
	const char	*end;
};
void	 pl_init(struct plines *, const char *, size_t);
/* Next line without its line ending; 0 at the end of input. */
int	 pl_next(struct plines *, const char **, size_t *);

/* Bounded string tests on (s, n). */
int	 pu_starts(const char *, size_t, const char *);
/* Offset of needle in (s, n), or -1. */
long	 pu_find(const char *, size_t, const char *);
/* Skip leading and drop trailing white space, in place on (s, n). */
void	 pu_trim(const char **, size_t *);
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

/*
 * Decimal (pu_num) or hexadecimal (pu_hex) number at the start of (s, n).
 * Returns the number of characters consumed (0 if none) and stores the
 * value; values that overflow int64 are rejected (0 consumed).
 */
size_t	 pu_num(const char *, size_t, pnum *);
size_t	 pu_hex(const char *, size_t, pnum *);

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
int	 pu_addr_port(const char *, size_t, const char **, size_t *, pnum *);

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

#endif
