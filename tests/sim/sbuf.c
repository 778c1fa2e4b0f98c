/* SPDX-License-Identifier: ISC */
/*
 * sbuf - the growable output buffer both halves of fgtsim append to.
 *
 * Every command's output, the pager's queue and the bytes waiting for an
 * SSH channel live in an sbuf.  Growth doubles the capacity so a 100 MB
 * output costs a few dozen reallocations, not millions.  Running out of
 * memory is fatal: fgtsim is a test tool and has nothing sensible to fall
 * back to.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void
sbuf_grow(struct sbuf *sb, size_t need)
{
	size_t	 cap;
	char	*nb;

	/* Room for need bytes and the NUL that always follows them. */
	if (sb->buf != NULL && need < sb->cap - sb->len)
		return;
	if (need > (size_t)-1 / 2 - sb->len) {
		fprintf(stderr, "fgtsim: sbuf too large\n");
		abort();
	}
	cap = sb->cap < 256 ? 256 : sb->cap;
	while (cap - sb->len < need + 1)
		cap *= 2;
	if ((nb = realloc(sb->buf, cap)) == NULL) {
		fprintf(stderr, "fgtsim: out of memory\n");
		abort();
	}
	sb->buf = nb;
	sb->cap = cap;
}

void
sbuf_add(struct sbuf *sb, const char *p, size_t n)
{
	sbuf_grow(sb, n);
	if (n > 0)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';	/* always a C string too */
}

void
sbuf_addstr(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

void
sbuf_free(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
