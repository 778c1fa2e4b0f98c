/* SPDX-License-Identifier: ISC */
/*
 * util - shared helpers for the FortiOS text parsers; see util.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Where the first byte in memory is the lowest of a uint64_t read with
 * memcpy, and __builtin_ctzll exists, digits are looked at eight at once.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PU_LE64
#endif

int
pu_starts(const char *s, size_t n, const char *prefix)
{
	size_t	plen;

	/* Parsers try many prefixes a line: most differ at once. */
	if (prefix[0] != '\0' && (n == 0 || s[0] != prefix[0]))
		return (0);
	plen = strlen(prefix);

	return (n >= plen && memcmp(s, prefix, plen) == 0);
}

long
pu_find(const char *s, size_t n, const char *needle)
{
	return (pu_findn(s, n, needle, strlen(needle)));
}

long
pu_findn(const char *s, size_t n, const char *needle, size_t nlen)
{
	const char	*p, *end;

	if (nlen == 0)
		return (0);
	if (n < nlen)
		return (-1);
	end = s + n - nlen;
	for (p = s; p <= end; p++) {
		p = memchr(p, needle[0], end - p + 1);
		if (p == NULL)
			return (-1);
		/* Labels share first letters: the second one decides most. */
		if ((nlen == 1 || p[1] == needle[1]) &&
		    memcmp(p, needle, nlen) == 0)
			return (p - s);
	}
	return (-1);
}

int
pu_word(const char *s, size_t n, size_t *pos, const char **w, size_t *wn)
{
	size_t	i = *pos;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n) {
		*pos = n;
		return (0);
	}
	*w = s + i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	*wn = s + i - *w;
	*pos = i;
	return (1);
}

void
pu_visible(const char **s, size_t *n)
{
	const char	*cr;

	/*
	 * A CR that ends the line (CR CR LF) erases nothing: the trim
	 * drops it first.
	 */
	pu_trim(s, n);
	if (*n > 0 && (cr = memrchr(*s, '\r', *n)) != NULL) {
		*n -= cr + 1 - *s;
		*s = cr + 1;
	}
	pu_visible_nocr(s, n);
}

#ifdef PU_LE64
#define PU_ONES		0x0101010101010101u

/*
 * The value of decimal digits held one a byte (0 to 9, the first
 * lowest), in pairs, then in eights: two multiplies.  Bytes of zero
 * below the digits read as leading zeros.
 */
static uint64_t
pu_value8(uint64_t w)
{
	w = w * 10 + (w >> 8);
	return (((w & 0x000000ff000000ffu) * (100 + (1000000ull << 32)) +
	    ((w >> 16) & 0x000000ff000000ffu) * (1 + (10000ull << 32))) >> 32);
}
#endif

size_t
pu_num(const char *s, size_t n, pnum *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, safe;
	unsigned int		 d;
	pnum			 v = 0;
#ifdef PU_LE64
	uint64_t		 w, m;

	/*
	 * Numbers mostly sit inside a line: eight bytes are read at once.
	 * Less '0' a byte, a digit is 0 to 9 and any other byte has bit 7
	 * set, alone or once 0x76 is added; a borrow or carry runs only
	 * from a byte that is not a digit to the ones after it, which do
	 * not count.
	 */
	if (n >= 8) {
		memcpy(&w, s, 8);
		w -= 0x30 * PU_ONES;
		m = (w | (w + 0x76 * PU_ONES)) & 0x80 * PU_ONES;
		if (m != 0) {
			i = (size_t)__builtin_ctzll(m) / 8;
			/* Counters are mostly 0 or 1: no multiply for those. */
			if (i == 1)
				*out = (pnum)(w & 0xff);
			else if (i > 1)
				*out = (pnum)pu_value8(w << (64 - 8 * i));
			return (i);
		}
		v = (pnum)pu_value8(w);
		i = 8;
	}
#endif
	/*
	 * Any 18 digits fit in an int64: no bound check a digit until
	 * then.  (A byte below '0' wraps to a large d.)
	 */
	safe = n < 18 ? n : 18;
	for (; i < safe && (d = u[i] - '0') <= 9; i++)
		v = v * 10 + d;
	for (; i < n && (d = u[i] - '0') <= 9; i++) {
		/* No division a digit: the bounds are constants. */
		if (v >= INT64_MAX / 10 && (v > INT64_MAX / 10 ||
		    d > INT64_MAX % 10))
			return (0);
		v = v * 10 + d;
	}
	if (i > 0)
		*out = v;
	return (i);
}

size_t
pu_hex(const char *s, size_t n, pnum *out)
{
	size_t	i;
	pnum	v = 0;
	int	d;

	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			break;
		if (v > (INT64_MAX >> 4))
			return (0);
		v = (v << 4) | d;
	}
	if (i > 0)
		*out = v;
	return (i);
}

int
pu_kv(const char *s, size_t n, const char *key, const char **v, size_t *vn)
{
	size_t		 klen = strlen(key), i, off = 0;
	long		 at;

	while (off < n) {
		at = pu_find(s + off, n - off, key);
		if (at < 0)
			return (-1);
		i = off + at;
		off = i + 1;
		if (i > 0 && !pu_space(s[i - 1]) &&
		    s[i - 1] != ',')
			continue;
		if (i + klen >= n || s[i + klen] != '=')
			continue;
		i += klen + 1;
		*v = s + i;
		while (i < n && !pu_space(s[i]) && s[i] != ',')
			i++;
		*vn = s + i - *v;
		return (0);
	}
	return (-1);
}

pnum
pu_kv_num(const char *s, size_t n, const char *key)
{
	const char	*v;
	size_t		 vn;
	pnum		 out;

	if (pu_kv(s, n, key, &v, &vn) != 0)
		return (PNUM_UNKNOWN);
	if (vn == 0 || pu_num(v, vn, &out) != vn)
		return (PNUM_UNKNOWN);
	return (out);
}

/*
 * The arena is a chain of chunks; big requests get a chunk of their own
 * so that a hostile line cannot make every later allocation waste space.
 */
#define PA_CHUNK	(64 * 1024)

struct pa_chunk {
	struct pa_chunk	*next;
	size_t		 used;
	size_t		 size;
	max_align_t	 data[];
};

struct parena {
	struct pa_chunk	*head;
};

struct parena *
pa_new(void)
{
	return (calloc(1, sizeof(struct parena)));
}

void *
pa_new_result(size_t size, struct parena **pap)
{
	struct parena	*pa;
	void		*p;

	if ((pa = pa_new()) == NULL)
		return (NULL);
	if ((p = pa_alloc(pa, size)) == NULL) {
		pa_free(pa);
		return (NULL);
	}
	*pap = pa;
	return (p);
}

void
pa_free(struct parena *pa)
{
	struct pa_chunk	*c, *next;

	if (pa == NULL)
		return;
	for (c = pa->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(pa);
}

void
pa_reset(struct parena *pa)
{
	struct pa_chunk	*c, *next, *keep = NULL;

	for (c = pa->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL && c->size == PA_CHUNK)
			keep = c;
		else
			free(c);
	}
	if (keep != NULL) {
		keep->used = 0;
		keep->next = NULL;
	}
	pa->head = keep;
}

/* pa_take's want bytes from a new chunk. */
static void *
pa_take_chunk(struct parena *pa, size_t want)
{
	struct pa_chunk	*c;
	size_t		 csize;

	csize = want > PA_CHUNK / 4 ? want : PA_CHUNK;
	if (csize > SIZE_MAX - sizeof(*c))
		return (NULL);
	if ((c = malloc(sizeof(*c) + csize)) == NULL)
		return (NULL);
	c->size = csize;
	c->used = want;
	if (csize == want && pa->head != NULL) {
		/* Keep the current chunk in front for small ones. */
		c->next = pa->head->next;
		pa->head->next = c;
	} else {
		c->next = pa->head;
		pa->head = c;
	}
	return (c->data);
}

/*
 * size bytes of the arena, as they are (pa_alloc zeroes them).  Inline:
 * every string a parser keeps comes through here.
 */
static inline void *
pa_take(struct parena *pa, size_t size)
{
	struct pa_chunk	*c = pa->head;
	size_t		 want;
	void		*p;

	want = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (want < size)
		return (NULL);
	if (c == NULL || c->size - c->used < want)
		return (pa_take_chunk(pa, want));
	p = (char *)c->data + c->used;
	c->used += want;
	return (p);
}

void *
pa_alloc_raw(struct parena *pa, size_t size)
{
	return (pa_take(pa, size));
}

void *
pa_alloc(struct parena *pa, size_t size)
{
	void	*p;

	if ((p = pa_take(pa, size)) != NULL)
		memset(p, 0, size);
	return (p);
}

/* pa_strndup of (s, n) without a NUL. */
static char *
pa_strndup_nonul(struct parena *pa, const char *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX || (p = pa_take(pa, n + 1)) == NULL)
		return (NULL);
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

char *
pa_strndup(struct parena *pa, const char *s, size_t n)
{
	const char	*z;
	char		*p, *o;
	size_t		 i, nul = 0;

	/* Fields without a NUL, nearly all: one search and one copy. */
	if (memchr(s, '\0', n) == NULL)
		return (pa_strndup_nonul(pa, s, n));
	for (z = s; (z = memchr(z, '\0', n - (z - s))) != NULL; z++)
		nul++;
	if (nul > (SIZE_MAX - n - 1) / 3 ||
	    (p = pa_take(pa, n + 3 * nul + 1)) == NULL)
		return (NULL);
	for (i = 0, o = p; i < n; i++) {
		if (s[i] != '\0')
			*o++ = s[i];
		else {
			memcpy(o, "\\x00", 4);
			o += 4;
		}
	}
	*o = '\0';
	return (p);
}

int
pa_grow(struct parena *pa, void **arr, size_t *cap, size_t need, size_t elsz)
{
	size_t	old = *cap;

	if (need <= *cap)
		return (0);
	if (pa_grow_raw(pa, arr, cap, need, elsz) != 0)
		return (-1);
	/* The old part was copied over: only the new one is zeroed. */
	memset((char *)*arr + old * elsz, 0, (*cap - old) * elsz);
	return (0);
}

int
pa_grow_raw(struct parena *pa, void **arr, size_t *cap, size_t need,
    size_t elsz)
{
	size_t	 ncap;
	void	*p;

	if (need <= *cap)
		return (0);
	ncap = *cap == 0 ? 8 : *cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return (-1);
		ncap *= 2;
	}
	if (elsz != 0 && ncap > SIZE_MAX / elsz)
		return (-1);
	if ((p = pa_take(pa, ncap * elsz)) == NULL)
		return (-1);
	if (*cap != 0)
		memcpy(p, *arr, *cap * elsz);
	*arr = p;
	*cap = ncap;
	return (0);
}
