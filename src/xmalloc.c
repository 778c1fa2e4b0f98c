/* SPDX-License-Identifier: ISC */
/*
 * xmalloc - allocation that never returns NULL; see xmalloc.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void	(*xmalloc_hook)(void);

void
xmalloc_set_fatal_hook(void (*hook)(void))
{
	xmalloc_hook = hook;
}

void
xmalloc_fatal(const char *what)
{
	void	(*hook)(void) = xmalloc_hook;

	/* Once: a hook that runs out of memory itself must not loop. */
	xmalloc_hook = NULL;
	if (hook != NULL)
		hook();
	fprintf(stderr, "fgtop: out of memory (%s)\n", what);
	abort();
}

static void __attribute__((noreturn))
xmalloc_fail(size_t size)
{
	char	buf[32], *p = buf + sizeof(buf);

	/* No printf into the heap that just failed: the digits by hand. */
	*--p = '\0';
	memcpy(p -= 6, " bytes", 6);
	do
		*--p = '0' + size % 10;
	while ((size /= 10) != 0);
	xmalloc_fatal(p);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		xmalloc_fail(size);
	return (p);
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		xmalloc_fail(n * size);
	return (p);
}

void *
xrealloc(void *old, size_t size)
{
	void	*p;

	if ((p = realloc(old, size == 0 ? 1 : size)) == NULL)
		xmalloc_fail(size);
	return (p);
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		xmalloc_fail(SIZE_MAX);
	return (xrealloc(old, n * size));
}

char *
xstrdup(const char *s)
{
	return (xstrndup(s, strlen(s)));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_fatal("formatting");
	return (n);
}
