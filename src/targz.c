/* SPDX-License-Identifier: ISC */
/*
 * targz - ustar + zlib gzip.  See targz.h.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "targz.h"
#include "xmalloc.h"

#define TARGZ_BLOCK	512
#define TARGZ_OUT	65536

struct targz {
	int		 fd;
	z_stream	 z;
	int		 zinit;
	unsigned char	*out;
	int		 error;		/* errno of the first failure */
};

/* Write what deflate produced; keep the first error. */
static int
targz_flush_out(struct targz *tg)
{
	size_t		 n = TARGZ_OUT - tg->z.avail_out, off = 0;
	ssize_t		 w;

	while (off < n) {
		w = write(tg->fd, tg->out + off, n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			tg->error = w == 0 ? EIO : errno;
			return (-1);
		}
		off += (size_t)w;
	}
	tg->z.next_out = tg->out;
	tg->z.avail_out = TARGZ_OUT;
	return (0);
}

/* Feed bytes to deflate (flush: Z_NO_FLUSH or Z_FINISH). */
static int
targz_put(struct targz *tg, const void *p, size_t n, int flush)
{
	int	 rc;

	if (tg->error != 0) {
		errno = tg->error;
		return (-1);
	}
	tg->z.next_in = (unsigned char *)(uintptr_t)p;
	tg->z.avail_in = (uInt)n;
	do {
		rc = deflate(&tg->z, flush);
		if (rc == Z_STREAM_ERROR) {
			tg->error = EIO;
			break;
		}
		if ((tg->z.avail_out == 0 || flush == Z_FINISH) &&
		    targz_flush_out(tg) != 0)
			break;
	} while (tg->z.avail_in > 0 || (flush == Z_FINISH &&
	    rc != Z_STREAM_END));
	if (tg->error != 0) {
		errno = tg->error;
		return (-1);
	}
	return (0);
}

struct targz *
targz_new(int fd)
{
	struct targz	*tg = xcalloc(1, sizeof *tg);

	tg->fd = fd;
	tg->out = xmalloc(TARGZ_OUT);
	/* 15 + 16: a gzip header and trailer around the deflate stream. */
	if (deflateInit2(&tg->z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		xmalloc_fatal("compressing");
	tg->zinit = 1;
	tg->z.next_out = tg->out;
	tg->z.avail_out = TARGZ_OUT;
	return (tg);
}

/* An octal field of width w: w-1 digits and a NUL. */
static int
targz_octal(char *f, size_t w, unsigned long long v)
{
	char	 buf[32];

	snprintf(buf, sizeof buf, "%0*llo", (int)(w - 1), v);
	if (strlen(buf) != w - 1)
		return (-1);
	memcpy(f, buf, w);
	return (0);
}

/*
 * The ustar header of one entry.  Field offsets (POSIX pax(1), ustar
 * Interchange Format): name 0/100, mode 100/8, uid 108/8, gid 116/8,
 * size 124/12, mtime 136/12, chksum 148/8, typeflag 156, linkname
 * 157/100, magic 257/6 "ustar\0", version 263/2 "00", uname 265/32,
 * gname 297/32, devmajor 329/8, devminor 337/8, prefix 345/155.
 */
static int
targz_header(struct targz *tg, const char *path, char type, size_t size,
    time_t mtime)
{
	unsigned char	 h[TARGZ_BLOCK];
	const char	*slash;
	size_t		 n = strlen(path), pn, i;
	unsigned	 sum = 0;

	memset(h, 0, sizeof h);
	if (n <= 100)
		memcpy(h, path, n);
	else {
		/* The last '/' that leaves a name of at most 100 bytes. */
		for (slash = path + n - 101; slash < path + n &&
		    *slash != '/'; slash++)
			;
		pn = (size_t)(slash - path);
		if (slash >= path + n || pn > 155 || pn == 0) {
			tg->error = EINVAL;
			errno = EINVAL;
			return (-1);
		}
		memcpy(h + 345, path, pn);
		memcpy(h, slash + 1, n - pn - 1);
	}
	if (targz_octal((char *)h + 100, 8, type == '5' ? 0755 : 0644) != 0 ||
	    targz_octal((char *)h + 108, 8, 0) != 0 ||
	    targz_octal((char *)h + 116, 8, 0) != 0 ||
	    targz_octal((char *)h + 124, 12, size) != 0 ||
	    targz_octal((char *)h + 136, 12, mtime > 0 ?
	    (unsigned long long)mtime : 0) != 0) {
		tg->error = EFBIG;
		errno = EFBIG;
		return (-1);
	}
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	/* The checksum counts its own field as eight spaces. */
	memset(h + 148, ' ', 8);
	for (i = 0; i < sizeof h; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	return (targz_put(tg, h, sizeof h, Z_NO_FLUSH));
}

int
targz_dir(struct targz *tg, const char *path, time_t mtime)
{
	char	*p;
	int	 rc;

	/* A directory's name ends with '/', as tar writes it. */
	xasprintf(&p, "%s%s", path, path[0] != '\0' &&
	    path[strlen(path) - 1] == '/' ? "" : "/");
	rc = targz_header(tg, p, '5', 0, mtime);
	free(p);
	return (rc);
}

int
targz_file(struct targz *tg, const char *path, const void *p, size_t n,
    time_t mtime)
{
	static const unsigned char	 zero[TARGZ_BLOCK];

	if (targz_header(tg, path, '0', n, mtime) != 0 ||
	    targz_put(tg, p, n, Z_NO_FLUSH) != 0)
		return (-1);
	if (n % TARGZ_BLOCK != 0)
		return (targz_put(tg, zero, TARGZ_BLOCK - n % TARGZ_BLOCK,
		    Z_NO_FLUSH));
	return (0);
}

int
targz_finish(struct targz *tg)
{
	static const unsigned char	 end[2 * TARGZ_BLOCK];

	return (targz_put(tg, end, sizeof end, Z_FINISH));
}

void
targz_free(struct targz *tg)
{
	if (tg == NULL)
		return;
	if (tg->zinit)
		deflateEnd(&tg->z);
	free(tg->out);
	free(tg);
}
