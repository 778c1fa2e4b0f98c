/*
 * xmalloc - allocation that never returns NULL.
 *
 * Out of memory is fatal in src/ and ui/: these print one line and abort.
 * parsers/ does not use them (it depends on libc alone and reports
 * failure to its caller instead).
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

/*
 * Run before the out-of-memory message (the dashboard restores the
 * terminal there, or the message is lost on its screen); NULL removes.
 */
void	 xmalloc_set_fatal_hook(void (*)(void));

#endif
