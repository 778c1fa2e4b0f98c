/* SPDX-License-Identifier: ISC */
/*
 * targz - write a .tar.gz archive to a file descriptor: POSIX ustar
 * headers written here, gzip through zlib.
 *
 * Why our own tar: the incident bundle (src/bundle) holds a directory
 * and a dozen small regular files made in memory; a ustar header is 512
 * bytes with eight fields that matter, less code than any binding to
 * libarchive.  Deflate is not ours to write: zlib does it (libssh links
 * it already), with deflateInit2's gzip wrapper (windowBits 16 + 15).
 *
 * Entries: targz_dir for a directory, targz_file for a regular file whose
 * whole content is given.  A path longer than the 100 bytes of the name
 * field is split at a '/' into the 155-byte prefix field, as ustar
 * allows; a path that does not fit is an error (EINVAL), never a silent
 * cut.  Every entry is owned by uid/gid 0, user and group "root", mode
 * 0644 (0755 for directories): a ticket reader's tar does not need ours.
 *
 * Errors are sticky: the first failed write (ENOSPC on a full disk,
 * EPIPE) is kept in errno form and every later call returns -1 at once;
 * targz_finish reports it.  Nothing is printed.
 *
 * Ownership: the writer borrows fd (the caller closes it) and owns its
 * buffers; targz_free releases them, finished or not.
 */
#ifndef TARGZ_H
#define TARGZ_H

#include <stddef.h>
#include <time.h>

struct targz;

struct targz	*targz_new(int fd);
/* 0, or -1 with errno (the sticky error). */
int		 targz_dir(struct targz *, const char *path, time_t mtime);
int		 targz_file(struct targz *, const char *path, const void *,
		    size_t, time_t mtime);
/* The two zero blocks, the gzip trailer, everything written: 0 or -1. */
int		 targz_finish(struct targz *);
void		 targz_free(struct targz *);

#endif
