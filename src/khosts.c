/* SPDX-License-Identifier: ISC */
/*
 * khosts - known_hosts files read once per process (see khosts.h).
 *
 * What libssh 0.10 does with a line (knownhosts.c), and so what a line
 * may be left out of a login's copy for:
 * - it reads lines with an 8,192-byte fgets and stops at the first line
 *   that does not fit or holds a NUL: such a line is copied, and libssh
 *   stops at it in the copy as in the file;
 * - lines blank, or whose first non-space is '#' or '@', are skipped;
 * - the host field ends at the first space; it is cut at commas and
 *   each name is matched against the lowercased host ("[host]:port"
 *   for a port other than 22; a name in brackets against "[host]:22"
 *   for 22) with the name lowercased.  A field of printable ASCII
 *   without '*', '?', '!' and '|' holds only literal names, which
 *   match when equal: those lines are indexed.
 * - a hashed field, "|1|salt|hash" (ssh's HashKnownHosts, the default
 *   on Debian), names the host whose HMAC-SHA1 keyed with the salt is
 *   the hash.  libssh decodes and hashes every such line at every read;
 *   khosts decodes them once, keeps each line's HMAC key states, and
 *   costs a login two SHA-1 blocks a hashed line.  A hashed field it
 *   cannot decode exactly (not canonical base64, a hash not of 20
 *   bytes, commas) is copied.
 * Every other line is copied for libssh to judge.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xfile.h"
#include "xmalloc.h"
#include "khosts.h"

#define KH_LINE_MAX	8190	/* longest line libssh's fgets takes whole */
#define KH_NONE		UINT32_MAX

struct kh_line {
	size_t		 off;
	size_t		 len;
};

/* One literal name of a plain line, chained in its hash bucket. */
struct kh_name {
	size_t		 off;
	uint32_t	 len;
	uint32_t	 hash;
	uint32_t	 line;
	uint32_t	 next;
};

/* A hashed line: HMAC-SHA1 states after its key's pads, and the hash. */
struct kh_hashed {
	uint32_t	 line;
	uint32_t	 ist[5];
	uint32_t	 ost[5];
	unsigned char	 hash[20];
};

struct kh_file {
	char		*path;
	struct stat	 st;		/* the file the copy was read from */
	char		*text;
	size_t		 len, cap;
	struct kh_line	*lines;		/* the lines kept, in file order */
	size_t		 nlines, linecap;
	uint32_t	*others;	/* the lines not indexed */
	size_t		 nothers, othercap;
	struct kh_hashed *hashed;
	size_t		 nhashed, hashedcap;
	struct kh_name	*names;
	size_t		 nnames, namecap;
	uint32_t	*bucket;
	size_t		 nbucket;	/* a power of two */
	struct kh_file	*next;
};

static struct kh_file	*kh_files;
static int		 kh_nomemfd;	/* no memfd or /proc/self/fd here */

static int
kh_lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
}

/* FNV-1a of the lowercased bytes. */
static uint32_t
kh_hash(const char *s, size_t len)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)kh_lower((unsigned char)s[i]);
		h *= 16777619u;
	}
	return (h);
}

static int
kh_same(const struct stat *a, const struct stat *b)
{
	return (a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec);
}

static void
kh_rehash(struct kh_file *f)
{
	size_t	 i, n = f->nbucket == 0 ? 256 : f->nbucket * 2;

	free(f->bucket);
	f->bucket = xreallocarray(NULL, n, sizeof *f->bucket);
	f->nbucket = n;
	for (i = 0; i < n; i++)
		f->bucket[i] = KH_NONE;
	for (i = 0; i < f->nnames; i++) {
		struct kh_name	*nm = &f->names[i];

		nm->next = f->bucket[nm->hash & (n - 1)];
		f->bucket[nm->hash & (n - 1)] = (uint32_t)i;
	}
}

static void
kh_add_name(struct kh_file *f, size_t off, size_t len, uint32_t line)
{
	struct kh_name	*nm;

	if (f->nnames == f->namecap) {
		f->namecap = f->namecap == 0 ? 256 : f->namecap * 2;
		f->names = xreallocarray(f->names, f->namecap,
		    sizeof *f->names);
	}
	if (2 * (f->nnames + 1) > f->nbucket)
		kh_rehash(f);
	nm = &f->names[f->nnames];
	nm->off = off;
	nm->len = (uint32_t)len;
	nm->hash = kh_hash(f->text + off, len);
	nm->line = line;
	nm->next = f->bucket[nm->hash & (f->nbucket - 1)];
	f->bucket[nm->hash & (f->nbucket - 1)] = (uint32_t)f->nnames++;
}

/* SHA-1 (FIPS 180-4), just what an HMAC over a host name needs. */

static const uint32_t kh_sha1_iv[5] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
};

#define KH_ROL(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))

static void
kh_sha1_block(uint32_t st[5], const unsigned char *p)
{
	uint32_t	 w[80], a, b, c, d, e, t;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = KH_ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = st[0];
	b = st[1];
	c = st[2];
	d = st[3];
	e = st[4];
	for (i = 0; i < 80; i++) {
		if (i < 20)
			t = ((b & c) | (~b & d)) + 0x5a827999;
		else if (i < 40)
			t = (b ^ c ^ d) + 0x6ed9eba1;
		else if (i < 60)
			t = ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc;
		else
			t = (b ^ c ^ d) + 0xca62c1d6;
		t += KH_ROL(a, 5) + e + w[i];
		e = d;
		d = c;
		c = KH_ROL(b, 30);
		b = a;
		a = t;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
	st[4] += e;
}

/* The digest of msg after done bytes (whole blocks) went into st. */
static void
kh_sha1_end(uint32_t st[5], uint64_t done, const unsigned char *msg,
    size_t len, unsigned char out[20])
{
	unsigned char	 blk[64];
	uint64_t	 bits = (done + len) * 8;
	size_t		 i;

	for (; len >= 64; msg += 64, len -= 64)
		kh_sha1_block(st, msg);
	memset(blk, 0, sizeof blk);
	memcpy(blk, msg, len);
	blk[len] = 0x80;
	if (len >= 56) {
		kh_sha1_block(st, blk);
		memset(blk, 0, sizeof blk);
	}
	for (i = 0; i < 8; i++)
		blk[63 - i] = (unsigned char)(bits >> (8 * i));
	kh_sha1_block(st, blk);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(st[i / 4] >> (24 - 8 * (i % 4)));
}

/* HMAC-SHA1 of name with the states kept for a line. */
static void
kh_hmac(const struct kh_hashed *h, const char *name, size_t len,
    unsigned char out[20])
{
	uint32_t	 st[5];
	unsigned char	 inner[20];

	memcpy(st, h->ist, sizeof st);
	kh_sha1_end(st, 64, (const unsigned char *)name, len, inner);
	memcpy(st, h->ost, sizeof st);
	kh_sha1_end(st, 64, inner, sizeof inner, out);
}

/* Canonical base64 only (padded, nothing else): else -1. */
static int
kh_b64(const char *s, size_t len, unsigned char *out, size_t cap,
    size_t *outlen)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v;
	size_t			 i, j, n = 0, pad = 0;
	const char		*c;

	if (len == 0 || len % 4 != 0)
		return (-1);
	for (i = 0; i < len; i += 4) {
		for (v = 0, j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == len && j >= 2 &&
			    (j == 3 || s[i + 3] == '=')) {
				pad++;
				v <<= 6;
				continue;
			}
			if (pad > 0 || s[i + j] == '\0' ||
			    (c = strchr(abc, s[i + j])) == NULL)
				return (-1);
			v = v << 6 | (uint32_t)(c - abc);
		}
		if (n + 3 - pad > cap)
			return (-1);
		out[n++] = (unsigned char)(v >> 16);
		if (pad < 2)
			out[n++] = (unsigned char)(v >> 8);
		if (pad < 1)
			out[n++] = (unsigned char)v;
	}
	*outlen = n;
	return (0);
}

/* A "|1|salt|hash" field decoded into its line's HMAC states; or 0. */
static int
kh_hashed_line(struct kh_file *f, const char *s, size_t flen, uint32_t line)
{
	struct kh_hashed	 h;
	unsigned char		 salt[256], key[64], pad[64];
	const char		*bar;
	size_t			 slen, hlen, i;

	if (flen < 4 || memcmp(s, "|1|", 3) != 0 ||
	    memchr(s, ',', flen) != NULL ||
	    (bar = memchr(s + 3, '|', flen - 3)) == NULL ||
	    kh_b64(s + 3, (size_t)(bar - s - 3), salt, sizeof salt,
	    &slen) != 0 ||
	    kh_b64(bar + 1, flen - (size_t)(bar + 1 - s), h.hash,
	    sizeof h.hash, &hlen) != 0 || hlen != sizeof h.hash)
		return (0);
	memset(key, 0, sizeof key);
	if (slen > sizeof key) {
		uint32_t	 st[5];

		memcpy(st, kh_sha1_iv, sizeof st);
		kh_sha1_end(st, 0, salt, slen, key);
	} else
		memcpy(key, salt, slen);
	for (i = 0; i < 64; i++)
		pad[i] = key[i] ^ 0x36;
	memcpy(h.ist, kh_sha1_iv, sizeof h.ist);
	kh_sha1_block(h.ist, pad);
	for (i = 0; i < 64; i++)
		pad[i] = key[i] ^ 0x5c;
	memcpy(h.ost, kh_sha1_iv, sizeof h.ost);
	kh_sha1_block(h.ost, pad);
	h.line = line;
	if (f->nhashed == f->hashedcap) {
		f->hashedcap = f->hashedcap == 0 ? 64 : f->hashedcap * 2;
		f->hashed = xreallocarray(f->hashed, f->hashedcap,
		    sizeof *f->hashed);
	}
	f->hashed[f->nhashed++] = h;
	return (1);
}

/* A host field of literal names only (see the top of this file). */
static int
kh_plain(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		unsigned char	 ch = (unsigned char)s[i];

		if (ch <= ' ' || ch >= 0x7f || ch == '*' || ch == '?' ||
		    ch == '!' || ch == '|')
			return (0);
	}
	return (len > 0);
}

/* Keep the line at off and, when plain, index its names. */
static void
kh_line(struct kh_file *f, size_t off, size_t len)
{
	const char	*s = f->text + off, *sp;
	size_t		 i, flen, start;
	uint32_t	 line;
	int		 whole;

	whole = len <= KH_LINE_MAX && memchr(s, '\0', len) == NULL;
	if (whole) {
		for (i = 0; i < len && (s[i] == ' ' || (s[i] >= '\t' &&
		    s[i] <= '\r')); i++)
			;
		if (i == len || s[i] == '#' || s[i] == '@')
			return;
	}
	if (f->nlines == f->linecap) {
		f->linecap = f->linecap == 0 ? 256 : f->linecap * 2;
		f->lines = xreallocarray(f->lines, f->linecap,
		    sizeof *f->lines);
	}
	line = (uint32_t)f->nlines++;
	f->lines[line].off = off;
	f->lines[line].len = len;

	sp = memchr(s, ' ', len);
	flen = sp != NULL ? (size_t)(sp - s) : len;
	if (whole && kh_hashed_line(f, s, flen, line))
		return;
	if (!whole || !kh_plain(s, flen)) {
		if (f->nothers == f->othercap) {
			f->othercap = f->othercap == 0 ? 64 : f->othercap * 2;
			f->others = xreallocarray(f->others, f->othercap,
			    sizeof *f->others);
		}
		f->others[f->nothers++] = line;
		return;
	}
	for (start = i = 0; i <= flen; i++) {
		if (i < flen && s[i] != ',')
			continue;
		if (i > start)
			kh_add_name(f, off + start, i - start, line);
		start = i + 1;
	}
}

/* Index the text from off on. */
static void
kh_index(struct kh_file *f, size_t off)
{
	const char	*nl;

	while (off < f->len) {
		nl = memchr(f->text + off, '\n', f->len - off);
		if (nl == NULL) {
			kh_line(f, off, f->len - off);
			break;
		}
		kh_line(f, off, (size_t)(nl - (f->text + off)));
		off = (size_t)(nl - f->text) + 1;
	}
}

static void
kh_clear(struct kh_file *f)
{
	char		*path = f->path;
	struct kh_file	*next = f->next;

	free(f->text);
	free(f->lines);
	free(f->others);
	free(f->hashed);
	free(f->names);
	free(f->bucket);
	memset(f, 0, sizeof *f);
	f->path = path;
	f->next = next;
}

static struct kh_file *
kh_find(const char *path)
{
	struct kh_file	*f;

	for (f = kh_files; f != NULL; f = f->next)
		if (strcmp(f->path, path) == 0)
			return (f);
	return (NULL);
}

static int
kh_read(struct kh_file *f)
{
	ssize_t	 n;
	int	 fd;

	kh_clear(f);
	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (fstat(fd, &f->st) != 0 || !S_ISREG(f->st.st_mode)) {
		close(fd);
		return (-1);
	}
	f->cap = (size_t)f->st.st_size + 1;
	f->text = xmalloc(f->cap);
	for (;;) {
		if (f->len == f->cap) {
			f->cap *= 2;
			f->text = xrealloc(f->text, f->cap);
		}
		n = read(fd, f->text + f->len, f->cap - f->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		f->len += (size_t)n;
	}
	close(fd);
	if (n == -1) {
		kh_clear(f);
		return (-1);
	}
	/* Grown while read: the next look sees a new size and reads it. */
	f->st.st_size = (off_t)f->len;
	kh_index(f, 0);
	return (0);
}

/* The copy of path, read again if the file changed; NULL if unreadable. */
static struct kh_file *
kh_get(const char *path)
{
	struct kh_file	*f;
	struct stat	 st;

	if (stat(path, &st) != 0)
		return (NULL);
	if ((f = kh_find(path)) == NULL) {
		f = xcalloc(1, sizeof *f);
		f->path = xstrdup(path);
		f->next = kh_files;
		kh_files = f;
	} else if (f->text != NULL && kh_same(&f->st, &st))
		return (f);
	if (kh_read(f) != 0)
		return (NULL);
	return (f);
}

static int
kh_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

static void
kh_push(uint32_t **v, size_t *n, size_t *cap, uint32_t line)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = line;
}

/* Add the lines naming key (any case) to the list. */
static void
kh_lookup(struct kh_file *f, const char *key, uint32_t **v, size_t *n,
    size_t *cap)
{
	size_t		 klen = strlen(key);
	uint32_t	 h = kh_hash(key, klen), i;

	if (f->nbucket == 0)
		return;
	for (i = f->bucket[h & (f->nbucket - 1)]; i != KH_NONE;
	    i = f->names[i].next) {
		const struct kh_name	*nm = &f->names[i];

		if (nm->hash == h && nm->len == klen &&
		    strncasecmp(f->text + nm->off, key, klen) == 0)
			kh_push(v, n, cap, nm->line);
	}
}

/* Add the hashed lines naming key (lowercase) to the list. */
static void
kh_lookup_hashed(struct kh_file *f, const char *key, uint32_t **v,
    size_t *n, size_t *cap)
{
	unsigned char	 mac[20];
	size_t		 i, klen = strlen(key);

	for (i = 0; i < f->nhashed; i++) {
		kh_hmac(&f->hashed[i], key, klen, mac);
		if (memcmp(mac, f->hashed[i].hash, sizeof mac) == 0)
			kh_push(v, n, cap, f->hashed[i].line);
	}
}

int
khosts_filter(const char *path, const char *host, int port, char *name,
    size_t size)
{
	static int	 checked;
	struct kh_file	*f;
	char		*low, *key = NULL, *buf;
	uint32_t	*v = NULL;
	size_t		 i, n = 0, cap = 0, len = 0, j;
	int		 fd = -1;

	if (kh_nomemfd || (f = kh_get(path)) == NULL)
		return (-1);

	/* The names libssh matches: ssh_session_get_host_port's. */
	low = xstrdup(host);
	for (i = 0; low[i] != '\0'; i++)
		low[i] = (char)kh_lower((unsigned char)low[i]);
	if (port != 0 && port != 22) {
		xasprintf(&key, "[%s]:%d", low, port);
		kh_lookup(f, key, &v, &n, &cap);
		kh_lookup_hashed(f, key, &v, &n, &cap);
	} else {
		kh_lookup(f, low, &v, &n, &cap);
		kh_lookup_hashed(f, low, &v, &n, &cap);
		xasprintf(&key, "[%s]:22", low);
		kh_lookup(f, key, &v, &n, &cap);
	}
	free(key);
	free(low);
	if (n + f->nothers > cap) {
		cap = n + f->nothers;
		v = xreallocarray(v, cap, sizeof *v);
	}
	if (f->nothers > 0)
		memcpy(v + n, f->others, f->nothers * sizeof *v);
	n += f->nothers;
	if (n > 1)
		qsort(v, n, sizeof *v, kh_cmp);

	for (i = 0; i < n; i++)
		len += f->lines[v[i]].len + 1;
	buf = xmalloc(len + 1);
	for (len = i = 0; i < n; i++) {
		if (i > 0 && v[i] == v[i - 1])
			continue;
		j = v[i];
		memcpy(buf + len, f->text + f->lines[j].off, f->lines[j].len);
		len += f->lines[j].len;
		buf[len++] = '\n';
	}
	free(v);

#ifdef HAVE_MEMFD_CREATE
	fd = memfd_create("known_hosts", MFD_CLOEXEC);
	/* Out of descriptors is for now; a kernel without memfd, for good. */
	if (fd == -1 && errno == ENOSYS)
		kh_nomemfd = 1;
#else
	kh_nomemfd = 1;
#endif
	if (fd == -1 || xfile_write_all(fd, buf, len) != 0) {
		if (fd != -1)
			close(fd);
		free(buf);
		return (-1);
	}
	free(buf);
	snprintf(name, size, "/proc/self/fd/%d", fd);
	/* libssh opens the name: /proc must be there (once is enough). */
	if (!checked) {
		checked = 1;
		if (access(name, R_OK) != 0) {
			kh_nomemfd = 1;
			close(fd);
			return (-1);
		}
	}
	return (fd);
}

int
khosts_add(const char *path, const char *line)
{
	struct kh_file	*f = kh_find(path);
	struct stat	 before, after;
	size_t		 len = strlen(line);
	char		 last = '\n', *dir, *p;
	int		 fd, saved, nl = 0;

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd == -1 && errno == ENOENT) {
		/* A missing directory is made, 0700, as libssh makes it. */
		dir = xstrdup(path);
		if ((p = strrchr(dir, '/')) != NULL && p != dir) {
			*p = '\0';
			(void)xfile_mkdirs(dir);
		}
		free(dir);
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	}
	if (fd == -1)
		return (-1);
	if (fstat(fd, &before) != 0)
		goto fail;
	/* A last line without its newline would swallow ours. */
	if (before.st_size > 0 &&
	    pread(fd, &last, 1, before.st_size - 1) == 1 && last != '\n') {
		nl = 1;
		if (xfile_write_all(fd, "\n", 1) != 0)
			goto cut;
	}
	if (xfile_write_all(fd, line, len) != 0 || fstat(fd, &after) != 0)
		goto cut;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}

	/* Keep the copy in step when ours is the only change. */
	if (f != NULL && f->text != NULL && !nl && kh_same(&f->st, &before) &&
	    after.st_size == before.st_size + (off_t)len) {
		if (f->len + len > f->cap) {
			f->cap = 2 * (f->len + len);
			f->text = xrealloc(f->text, f->cap);
		}
		memcpy(f->text + f->len, line, len);
		f->len += len;
		kh_index(f, f->len - len);
		f->st = after;
	} else if (f != NULL)
		kh_clear(f);
	return (0);

cut:
	saved = errno;
	/* Full disk: take back the half line (ours, appended last). */
	if (ftruncate(fd, before.st_size) != 0) {
		/* Nothing more to try: the error names the write. */
	}
	errno = saved;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (f != NULL)
		kh_clear(f);
	errno = saved;
	return (-1);
}

void
khosts_free(void)
{
	struct kh_file	*f;

	while ((f = kh_files) != NULL) {
		kh_files = f->next;
		kh_clear(f);
		free(f->path);
		free(f);
	}
	kh_nomemfd = 0;
}
