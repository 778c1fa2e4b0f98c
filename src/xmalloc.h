/* SPDX-License-Identifier: ISC */
/*
 * xmalloc - allocation that never returns NULL.
 *
 * Out of memory is fatal in src/ and ui/, and handled one way only: the
 * fatal hook runs (once curses is in use, ui/ registers one that restores
 * the terminal, so the message is not lost on the alternate screen), then
 * one line "fgtop: out of memory (...)" goes to stderr and the process
 * aborts.  Code that gets NULL from a parser (which reports failure to
 * its caller instead, depending on libc alone) calls xmalloc_fatal so the
 * policy stays in this file.
 *
 * Ownership: what these return is the caller's, released with free().
 * The hook is a plain function the caller keeps; NULL removes it.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

void	 xmalloc_set_fatal_hook(void (*)(void));
/* What ran out, e.g. "parsing"; does not return. */
void	 xmalloc_fatal(const char *) __attribute__((noreturn));

#endif
