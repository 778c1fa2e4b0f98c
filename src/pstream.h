/* SPDX-License-Identifier: ISC */
/*
 * pstream - `fgtop parse` of a large input on two cores.
 *
 * Why threads: the whole process of `fgtop parse` on a 10,000-tunnel
 * list is three costs of the same order, the parse, the JSON formatting
 * and the kernel copying the output into the page cache in write(2), and
 * one thread pays them one after the other.  When the kind's document
 * can be cut (struct kind_split in kind.h) and the input is large, the
 * text is cut before a record's first line: a worker thread parses and
 * formats the second part into JSON_BUFSIZE buffers handed over through
 * a bounded queue, while the calling thread streams the first part and
 * then writes the worker's buffers, in order.  The worker's writer
 * continues the document at the same level (json_init_part), so the
 * output is byte for byte the one thread's (tests/test_pstream.c checks
 * it at every cut of every fixture).
 *
 * Bounded: at most PSTREAM_SLOTS buffers (16 MB) wait, then the worker
 * waits for the writer.  One thread when the kind cannot be cut, when
 * the input is smaller than PSTREAM_MIN (the thread would cost more than
 * it saves), when the address space is limited (ulimit -v: a thread's
 * stack, its malloc arena and the queue are reserved address space;
 * the hostile-input tests run in 60 MB), or when the thread cannot be
 * created.  FGTOP_PARSE_THREADS=0 forces one thread, =1 cuts any input
 * that can be cut (the tests compare both).
 *
 * Ownership: the caller's json stays the caller's; the worker, its
 * writer and every buffer are gone when pstream_run returns.  Out of
 * memory in the worker is fatal (xmalloc), as in the caller.
 */
#ifndef PSTREAM_H
#define PSTREAM_H

#include <stddef.h>

struct json;
struct kind;

#define PSTREAM_MIN	((size_t)2 << 20)	/* bytes of input */
#define PSTREAM_SLOTS	64			/* JSON_BUFSIZE each */

/*
 * k->stream's document for (buf, len) written to j, from two threads when
 * it pays (above); its result.
 */
int	pstream_run(const struct kind *, struct json *, const char *, size_t,
	    size_t *);
/*
 * The same, cut at cut (a value of pstream_cut) whatever the size; one
 * thread when cut is 0.  For the tests.
 */
int	pstream_run_at(const struct kind *, struct json *, const char *,
	    size_t, size_t, size_t *);
/*
 * Where a record's first line starts at or after from (but not at 0),
 * or 0 when none does or k cannot be cut.
 */
size_t	pstream_cut(const struct kind *, const char *, size_t, size_t);

#endif
