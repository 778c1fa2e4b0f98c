/* SPDX-License-Identifier: ISC */
/*
 * pstream - `fgtop parse` of a large input on two cores; see pstream.h.
 *
 * The worker only records what it made (a full buffer into the queue,
 * its count at the end); the calling thread does every write(2), in
 * document order, so the output and its errors are the one thread's.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/resource.h>

#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "json.h"
#include "kind.h"
#include "pstream.h"
#include "xmalloc.h"

/*
 * The share of the input the calling thread parses itself, in percent:
 * it also writes the whole output, so it takes the smaller part.
 */
#define PSTREAM_FIRST	40

struct pstream_chunk {
	char	*buf;
	size_t	 len;
};

/*
 * Buffers: the queued ones, the one the worker fills and the one being
 * written.  They are cut from one mapping, asked to be backed by huge
 * pages where the kernel has them: 16 MB of fresh small pages would be
 * 4,096 page faults.
 */
#define PSTREAM_NBUF	(PSTREAM_SLOTS + 2)
#define PSTREAM_MAP	(PSTREAM_NBUF * (size_t)JSON_BUFSIZE)

struct pstream {
	uv_mutex_t		 lock;
	uv_cond_t		 cond;	/* a chunk queued, taken, or done */
	struct pstream_chunk	 q[PSTREAM_SLOTS];
	size_t			 head;	/* of the queued chunks */
	size_t			 n;
	char			*map;	/* PSTREAM_MAP bytes */
	char			*free[PSTREAM_NBUF];	/* buffers not in use */
	size_t			 nfree;
	int			 done;
	int			 rc;
	size_t			 count;
	/* The worker's: the second part, and its writer. */
	const struct kind_split	*sp;
	const char		*buf;
	size_t			 len;
	struct json		 part;
};

/*
 * The worker's writer hands over a full buffer (none, the first time):
 * queue it, give a free one.  There is always one: a buffer is queued,
 * filled by the worker or being written.
 */
static char *
pstream_chunk(void *arg, char *buf, size_t len)
{
	struct pstream	*ps = arg;
	char		*next;

	uv_mutex_lock(&ps->lock);
	if (buf != NULL) {
		while (ps->n == PSTREAM_SLOTS)
			uv_cond_wait(&ps->cond, &ps->lock);
		ps->q[(ps->head + ps->n) % PSTREAM_SLOTS] =
		    (struct pstream_chunk){ buf, len };
		ps->n++;
		uv_cond_broadcast(&ps->cond);
	}
	next = ps->free[--ps->nfree];
	uv_mutex_unlock(&ps->lock);
	return (next);
}

static void
pstream_worker(void *arg)
{
	struct pstream	*ps = arg;
	size_t		 count = 0;
	int		 rc;

	rc = ps->sp->items(&ps->part, ps->buf, ps->len, &count);
	json_flush(&ps->part);	/* hands over the last buffer */
	uv_mutex_lock(&ps->lock);
	ps->rc = rc;
	ps->count = count;
	ps->done = 1;
	uv_cond_broadcast(&ps->cond);
	uv_mutex_unlock(&ps->lock);
}

/*
 * The worker's buffers into j, in order, until it is done.  Its text
 * starts with the comma that follows an item; when the first part had
 * none, that comma goes.
 */
static void
pstream_drain(struct pstream *ps, struct json *j, int first_empty)
{
	struct pstream_chunk	c;
	size_t			skip = first_empty;

	for (;;) {
		uv_mutex_lock(&ps->lock);
		while (ps->n == 0 && !ps->done)
			uv_cond_wait(&ps->cond, &ps->lock);
		if (ps->n == 0) {
			uv_mutex_unlock(&ps->lock);
			return;
		}
		c = ps->q[ps->head];
		ps->head = (ps->head + 1) % PSTREAM_SLOTS;
		ps->n--;
		uv_cond_broadcast(&ps->cond);
		uv_mutex_unlock(&ps->lock);

		json_splice(j, c.buf + skip, c.len - skip);
		skip = 0;

		uv_mutex_lock(&ps->lock);
		ps->free[ps->nfree++] = c.buf;
		uv_mutex_unlock(&ps->lock);
	}
}

size_t
pstream_cut(const struct kind *k, const char *buf, size_t len, size_t from)
{
	const char	*p, *end = buf + len, *nl;
	size_t		 n;

	if (k->split == NULL || buf == NULL || from >= len)
		return (0);
	n = strlen(k->split->at);
	p = buf + (from > 0 ? from - 1 : 0);
	/* A newline, then the marker: the start of a record's line. */
	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		p = nl + 1;
		if ((size_t)(end - p) >= n && memcmp(p, k->split->at, n) == 0)
			return (p - buf);
	}
	return (0);
}

/* The buffers' mapping, all free; -1 when there is no room for it. */
static int
pstream_map(struct pstream *ps)
{
	void	*m;
	size_t	 i;

	m = mmap(NULL, PSTREAM_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return (-1);
#ifdef MADV_HUGEPAGE
	(void)madvise(m, PSTREAM_MAP, MADV_HUGEPAGE);
#endif
	ps->map = m;
	for (i = 0; i < PSTREAM_NBUF; i++)
		ps->free[ps->nfree++] = ps->map + i * JSON_BUFSIZE;
	return (0);
}

int
pstream_run_at(const struct kind *k, struct json *j, const char *buf,
    size_t len, size_t cut, size_t *count)
{
	const struct kind_split	*sp = k->split;
	struct pstream		*ps;
	uv_thread_t		 tid;
	size_t			 c1 = 0;
	int			 rc, level;

	if (sp == NULL || cut == 0 || cut >= len)
		return (k->stream(j, buf, len, count));
	ps = xcalloc(1, sizeof(*ps));
	if (pstream_map(ps) != 0) {
		free(ps);
		return (k->stream(j, buf, len, count));
	}
	if (uv_mutex_init(&ps->lock) != 0)
		goto one;
	if (uv_cond_init(&ps->cond) != 0) {
		uv_mutex_destroy(&ps->lock);
		goto one;
	}
	ps->sp = sp;
	ps->buf = buf + cut;
	ps->len = len - cut;
	level = j->depth + sp->level;
	json_init_part(&ps->part, j->pretty, level, pstream_chunk, ps);
	/* The worker first: the head may read the whole text (a VDOM). */
	if (uv_thread_create(&tid, pstream_worker, ps) != 0) {
		sp->head(j, buf, len);
		rc = sp->items(j, buf, len, count);
	} else {
		sp->head(j, buf, len);
		if (j->depth != level)
			abort();	/* the kind's level is wrong */
		rc = sp->items(j, buf, cut, &c1);
		pstream_drain(ps, j, c1 == 0);
		uv_thread_join(&tid);
		if (ps->count > 0)
			json_mark_item(j);
		*count = c1 + ps->count;
		if (rc == 0)
			rc = ps->rc;
	}
	sp->tail(j);
	json_free(&ps->part);
	uv_cond_destroy(&ps->cond);
	uv_mutex_destroy(&ps->lock);
	munmap(ps->map, PSTREAM_MAP);
	free(ps);
	return (rc);

one:
	munmap(ps->map, PSTREAM_MAP);
	free(ps);
	return (k->stream(j, buf, len, count));
}

/* Whether a second thread may run: not asked off, room to run it. */
static int
pstream_may(size_t len)
{
	struct rlimit	 rl;
	const char	*e = getenv("FGTOP_PARSE_THREADS");

	if (e != NULL && strcmp(e, "0") == 0)
		return (0);
	if (e != NULL && strcmp(e, "1") == 0)
		return (1);
	if (len < PSTREAM_MIN)
		return (0);
	return (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY);
}

int
pstream_run(const struct kind *k, struct json *j, const char *buf,
    size_t len, size_t *count)
{
	size_t	cut = 0;

	if (k->split != NULL && pstream_may(len))
		cut = pstream_cut(k, buf, len, len / 100 * PSTREAM_FIRST);
	return (pstream_run_at(k, j, buf, len, cut, count));
}
