/* SPDX-License-Identifier: ISC */
/*
 * xfile - the file-system chores more than one module needs: a directory
 * made with its parents, and a buffer written whole.
 *
 * Ownership: nothing is kept; the caller owns every argument.
 */
#ifndef XFILE_H
#define XFILE_H

#include <stddef.h>

/* mkdir -p, each missing directory 0700.  0, or -1 with errno set. */
int	xfile_mkdirs(const char *dir);

/* write(2) until all of buf is out (EINTR retried).  0, or -1 with errno. */
int	xfile_write_all(int fd, const void *buf, size_t len);

#endif
