/* SPDX-License-Identifier: ISC */
/*
 * shell - the FortiGate CLI over one conn: login quirks, prompt, pager,
 * and the command-group queue.  See shell.h.
 *
 * Everything the device sends goes into one buffer, which holds the
 * login text and then the current command's echo, output and closing
 * prompt.  After each piece only the tail is looked at (cli_prompt_at_end
 * and cli_more_at_end are bounded), so a long output costs one scan when
 * it is cleaned, not one per read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "cli.h"
#include "shell.h"
#include "xmalloc.h"

/* What stays of an oversized output: enough to find the prompt. */
#define SHELL_TAIL	4096
#define SHELL_BUF_MIN	16384	/* a command's first buffer */
#define SHELL_HINTS	8	/* step ids whose last output size is kept */
/* How long to wait for the prompt after Ctrl-C. */
#define SHELL_INTR_MS	5000
/* How far into an output a command error is looked for. */
#define SHELL_ERROR_SPAN 4096
/* Login: the disclaimer's prompt, as FortiOS prints it. */
#define SHELL_DISCLAIMER "(Press 'a' to accept):"

struct shell_step {
	char		*line;
	int		 id;
	int		 flags;
};

struct shell_group {
	struct shell_group *next;
	struct shell_step *steps;
	size_t		 nsteps;
	size_t		 at;		/* next step to run */
	int		 failed;	/* a step failed: skip the rest */
	int		 first_ok;	/* the first step succeeded */
	void		(*done)(void *, const struct shell_result *);
	void		(*end)(void *, int);
	void		*arg;
};

enum shell_state {
	SHELL_LOGIN,
	SHELL_IDLE,
	SHELL_RUNNING,
	SHELL_INTERRUPT,
	SHELL_GONE,
};

struct shell {
	uv_loop_t	*loop;
	struct conn	*conn;
	struct shell_opts opts;
	struct shell_cb	 cb;
	void		*arg;
	enum shell_state state;
	int		 closing;	/* shell_close was called */
	uv_timer_t	 timer;		/* command timeout */
	char		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 more_at;	/* len when the pager was answered */
	int		 toobig;	/* past SHELL_MAX_OUTPUT */
	char		*tailbuf;	/* SHELL_TAIL bytes, once toobig */
	size_t		 tlen;
	size_t		 total;		/* bytes of this command so far */
	uint64_t	 sent_at;	/* ms, uv_now */
	uint64_t	 heard_at;	/* ms, uv_now: the last output */
	char		*hostname;
	char		*context;	/* the prompt's (vdom) */
	char		*error;
	enum conn_errkind errkind;
	struct shell_group *queue;	/* head runs */
	struct shell_group **tail;
	size_t		 nqueued;
	char *const	*vdoms;		/* for the allowlist, or NULL */
	void		(*stream_cb)(void *, const char *, size_t);
	void		*stream_arg;
	int		 stream_echo;	/* a stream step's echo is still due */
	struct {
		int	 id;
		size_t	 len;		/* 0: a free slot */
	}		 hints[SHELL_HINTS];
	size_t		 nexthint;
};

static void	shell_next(struct shell *);
static void	shell_timer_cb(uv_timer_t *);

struct shell_group *
shell_group_new(void (*done)(void *, const struct shell_result *),
    void (*end)(void *, int), void *arg)
{
	struct shell_group	*g;

	g = xcalloc(1, sizeof *g);
	g->done = done;
	g->end = end;
	g->arg = arg;
	return (g);
}

void
shell_group_add(struct shell_group *g, const char *line, int id, int flags)
{
	struct shell_step	*s;

	g->steps = xreallocarray(g->steps, g->nsteps + 1, sizeof *g->steps);
	s = &g->steps[g->nsteps++];
	s->line = xstrdup(line);
	s->id = id;
	s->flags = flags;
}

static void
shell_group_free(struct shell_group *g)
{
	size_t	 i;

	for (i = 0; i < g->nsteps; i++)
		free(g->steps[i].line);
	free(g->steps);
	free(g);
}

/* Take the head group off the queue and tell its owner how it went. */
static void
shell_group_finish(struct shell *sh, int ok)
{
	struct shell_group	*g = sh->queue;

	sh->queue = g->next;
	if (sh->queue == NULL)
		sh->tail = &sh->queue;
	sh->nqueued--;
	if (g->end != NULL)
		g->end(g->arg, ok);
	shell_group_free(g);
}

static void
shell_set_error(struct shell *sh, enum conn_errkind kind, const char *msg)
{
	if (sh->error != NULL)
		return;		/* the first cause is the one to tell */
	sh->error = xstrdup(msg);
	sh->errkind = kind;
}

/* The session is over: fail what is queued, tell the owner once. */
static void
shell_gone(struct shell *sh)
{
	if (sh->state == SHELL_GONE)
		return;
	sh->state = SHELL_GONE;
	uv_timer_stop(&sh->timer);
	/* The owner hears why first; then the queued groups fail. */
	if (!sh->closing && sh->cb.closed != NULL)
		sh->cb.closed(sh, sh->arg);
	while (sh->queue != NULL && !sh->closing)
		shell_group_finish(sh, 0);
}

static void
shell_timer_close_cb(uv_handle_t *h)
{
	struct shell	*sh = h->data;

	free(sh->buf);
	free(sh->tailbuf);
	free(sh->hostname);
	free(sh->context);
	free(sh->error);
	free(sh);
}

void
shell_close(struct shell *sh)
{
	if (sh->closing)
		return;
	sh->closing = 1;
	while (sh->queue != NULL)
		shell_group_finish(sh, 0);
	sh->state = SHELL_GONE;
	if (sh->conn != NULL)
		conn_close(sh->conn);
	sh->conn = NULL;
	uv_close((uv_handle_t *)&sh->timer, shell_timer_close_cb);
}

/*
 * Whether cleaned output is a FortiOS command error.  The CLI prints one
 * instead of the output, so it is looked for in the first lines only: a
 * full listing is hundreds of kilobytes in which the words may appear.
 */
static int
shell_is_error(const char *out, size_t len)
{
	static const char *const marks[] = {
		"Command fail.", "command parse error", "Unknown action",
	};
	struct plines	 pl;
	const char	*l;
	size_t		 n, i;

	pl_init(&pl, out, len < SHELL_ERROR_SPAN ? len : SHELL_ERROR_SPAN);
	while (pl_next(&pl, &l, &n)) {
		pu_trim(&l, &n);
		for (i = 0; i < sizeof marks / sizeof marks[0]; i++)
			if (pu_starts(l, n, marks[i]))
				return (1);
	}
	return (0);
}

/* Report one step of the head group; the group moves on. */
static void
shell_report(struct shell *sh, enum shell_status status, const char *out,
    size_t len)
{
	struct shell_group	*g = sh->queue;
	struct shell_step	*s = &g->steps[g->at];
	struct shell_result	 r;

	if (status != SHELL_OK && status != SHELL_SKIPPED)
		g->failed = 1;
	else if (status == SHELL_OK && g->at == 0)
		g->first_ok = 1;
	memset(&r, 0, sizeof r);
	r.command = s->line;
	r.id = s->id;
	r.status = status;
	r.output = out != NULL ? out : "";
	r.len = len;
	r.ms = status == SHELL_SKIPPED ? 0 :
	    (double)(uv_now(sh->loop) - sh->sent_at);
	r.context = sh->context;
	g->at++;
	if (g->done != NULL)
		g->done(g->arg, &r);
}

/*
 * The size of the last output of a step id (a command kind).  The buffer
 * is freed between commands (see shell_complete), and grown from 16 KB
 * by doubling it copied the 66 KB of a 50-tunnel list three times over:
 * a step starts with room for what its id printed last time.
 */
static size_t
shell_hint(const struct shell *sh, int id)
{
	size_t	 i;

	for (i = 0; i < SHELL_HINTS; i++)
		if (sh->hints[i].len != 0 && sh->hints[i].id == id)
			return (sh->hints[i].len);
	return (0);
}

static void
shell_hint_set(struct shell *sh, int id, size_t len)
{
	size_t	 i;

	if (len == 0)
		return;
	for (i = 0; i < SHELL_HINTS; i++)
		if (sh->hints[i].len != 0 && sh->hints[i].id == id)
			break;
	if (i == SHELL_HINTS) {
		i = sh->nexthint;
		sh->nexthint = (sh->nexthint + 1) % SHELL_HINTS;
	}
	sh->hints[i].id = id;
	sh->hints[i].len = len;
}

/* The prompt came back: cut, clean and report the current step. */
static void
shell_complete(struct shell *sh, long prompt_at, const struct cli_prompt *p)
{
	struct shell_group	*g = sh->queue;
	enum shell_status	 status;
	size_t			 start, len, end;

	free(sh->context);
	sh->context = p->vdom == NULL ? NULL :
	    xstrndup(p->vdom, p->vdomlen);
	uv_timer_stop(&sh->timer);
	end = sh->toobig ? sh->len : (size_t)prompt_at;
	start = cli_echo_end(sh->buf, end, g->steps[g->at].line);
	len = cli_clean(sh->buf + start, end - start, sh->buf, NULL);
	sh->buf[len] = '\0';
	if (sh->toobig)
		status = SHELL_TOOBIG;
	else
		status = shell_is_error(sh->buf, len) ? SHELL_FAILED :
		    SHELL_OK;
	if (sh->state == SHELL_INTERRUPT)
		status = SHELL_TIMEOUT;
	sh->state = SHELL_IDLE;
	if (!sh->toobig)
		shell_hint_set(sh, g->steps[g->at].id, sh->len);
	shell_report(sh, status, sh->buf, len);
	sh->len = 0;
	sh->toobig = 0;
	/*
	 * The full lists need 128 KB here on a 50-tunnel box, the summary
	 * 16 KB: kept between commands, at 1,000 devices that would be
	 * 16-128 MB of buffers waiting for the next poll.  A malloc a
	 * command costs nothing next to the parse.
	 */
	free(sh->buf);
	sh->buf = NULL;
	sh->cap = 0;
	if (!sh->closing)
		shell_next(sh);
}

/* Run the next step that should run, or finish groups. */
static void
shell_next(struct shell *sh)
{
	struct shell_group	*g;
	struct shell_step	*s;
	size_t			 hint;

	while (!sh->closing && sh->state == SHELL_IDLE &&
	    (g = sh->queue) != NULL) {
		if (g->at == g->nsteps) {
			shell_group_finish(sh, !g->failed);
			continue;
		}
		s = &g->steps[g->at];
		if (g->failed && !((s->flags & SHELL_ALWAYS) && g->first_ok)) {
			shell_report(sh, SHELL_SKIPPED, NULL, 0);
			continue;
		}
		sh->len = sh->tlen = sh->total = 0;
		if (sh->buf == NULL && (hint = shell_hint(sh, s->id)) != 0) {
			/* An eighth more: a list that grew needs no copy. */
			sh->cap = hint + hint / 8 + 1;
			if (sh->cap < SHELL_BUF_MIN)
				sh->cap = SHELL_BUF_MIN;
			if (sh->cap > SHELL_MAX_OUTPUT + 1)
				sh->cap = SHELL_MAX_OUTPUT + 1;
			sh->buf = xmalloc(sh->cap);
		}
		sh->more_at = (size_t)-1;
		sh->toobig = 0;
		sh->stream_echo = 1;
		sh->state = SHELL_RUNNING;
		sh->sent_at = sh->heard_at = uv_now(sh->loop);
		conn_write(sh->conn, s->line, strlen(s->line));
		conn_write(sh->conn, "\n", 1);
		uv_timer_start(&sh->timer, shell_timer_cb,
		    sh->opts.cmd_timeout_ms, 0);
		return;
	}
}

static void
shell_timer_cb(uv_timer_t *t)
{
	struct shell	*sh = t->data;
	uint64_t	 quiet;

	if (sh->state == SHELL_RUNNING) {
		/* Output since the timer was set: wait out the rest. */
		quiet = uv_now(sh->loop) - sh->heard_at;
		if (quiet < sh->opts.cmd_timeout_ms) {
			uv_timer_start(&sh->timer, shell_timer_cb,
			    sh->opts.cmd_timeout_ms - quiet, 0);
			return;
		}
		sh->state = SHELL_INTERRUPT;
		conn_write(sh->conn, "\003", 1);
		uv_timer_start(&sh->timer, shell_timer_cb, SHELL_INTR_MS, 0);
		return;
	}
	if (sh->state == SHELL_INTERRUPT || sh->state == SHELL_LOGIN) {
		shell_set_error(sh, CONN_E_TIMEOUT, sh->state == SHELL_LOGIN ?
		    "no CLI prompt after login" :
		    "a command did not end and Ctrl-C brought no prompt back");
		shell_gone(sh);
	}
}

/* Keep the tail of the stream: the prompt and the pager are found there. */
static void
shell_tail_add(struct shell *sh, const char *data, size_t n)
{
	/* Only an oversized output needs it: 4 KB a session otherwise. */
	if (sh->tailbuf == NULL)
		sh->tailbuf = xmalloc(SHELL_TAIL);
	if (n >= SHELL_TAIL) {
		memcpy(sh->tailbuf, data + n - SHELL_TAIL, SHELL_TAIL);
		sh->tlen = SHELL_TAIL;
		return;
	}
	if (sh->tlen + n > SHELL_TAIL) {
		memmove(sh->tailbuf, sh->tailbuf + (sh->tlen + n - SHELL_TAIL),
		    SHELL_TAIL - n);
		sh->tlen = SHELL_TAIL - n;
	}
	memcpy(sh->tailbuf + sh->tlen, data, n);
	sh->tlen += n;
}

/*
 * Keep the output bounded: its first SHELL_MAX_OUTPUT bytes (what a
 * status or listing says first is still worth reading), then only the
 * tail, where the prompt will appear.
 */
static void
shell_append(struct shell *sh, const char *data, size_t n)
{
	size_t	 fit;

	sh->total += n;
	if (!sh->toobig) {
		fit = SHELL_MAX_OUTPUT - sh->len;
		if (n > fit) {
			sh->toobig = 1;
			sh->tlen = 0;
			shell_tail_add(sh, sh->buf, sh->len);
		} else
			fit = n;
		if (sh->len + fit + 1 > sh->cap) {
			while (sh->len + fit + 1 > sh->cap)
				sh->cap = sh->cap == 0 ? SHELL_BUF_MIN : sh->cap * 2;
			if (sh->cap > SHELL_MAX_OUTPUT + 1)
				sh->cap = SHELL_MAX_OUTPUT + 1;
			sh->buf = xrealloc(sh->buf, sh->cap);
		}
		memcpy(sh->buf + sh->len, data, fit);
		sh->len += fit;
	}
	if (sh->toobig)
		shell_tail_add(sh, data, n);
}

/* Where to look for the prompt and the pager. */
static void
shell_view(const struct shell *sh, const char **p, size_t *len)
{
	*p = sh->toobig ? sh->tailbuf : sh->buf;
	*len = sh->toobig ? sh->tlen : sh->len;
}

/* Login: disclaimer, banners, then the first prompt. */
static void
shell_login(struct shell *sh)
{
	struct cli_prompt	 p;
	size_t			 dl = strlen(SHELL_DISCLAIMER);
	const char		*end;
	size_t			 n;

	end = sh->buf;
	n = sh->len;
	while (n > 0 && (end[n - 1] == ' ' || end[n - 1] == '\r' ||
	    end[n - 1] == '\n'))
		n--;
	if (n >= dl && memcmp(end + n - dl, SHELL_DISCLAIMER, dl) == 0) {
		if (!sh->opts.disclaimer_accept) {
			shell_set_error(sh, CONN_E_PROTOCOL,
			    "the device shows a login disclaimer, and the "
			    "configuration does not allow fgtop to accept it "
			    "(`disclaimer accept')");
			shell_gone(sh);
			return;
		}
		conn_write(sh->conn, "a", 1);
		sh->len = 0;
		return;
	}
	if (cli_prompt_at_end(sh->buf, sh->len, &p) < 0 || p.host == NULL)
		return;
	sh->hostname = xstrndup(p.host, p.hostlen);
	sh->context = p.vdom == NULL ? NULL : xstrndup(p.vdom, p.vdomlen);
	sh->len = 0;
	sh->state = SHELL_IDLE;
	uv_timer_stop(&sh->timer);
	if (sh->cb.ready != NULL)
		sh->cb.ready(sh, sh->arg);
	if (!sh->closing)
		shell_next(sh);
}

/* Whether what arrives now goes to the stream callback. */
static int
shell_streaming(const struct shell *sh)
{
	const struct shell_group	*g = sh->queue;

	if (sh->stream_cb == NULL || sh->toobig)
		return (0);
	if (sh->state == SHELL_IDLE)
		return (1);
	return ((sh->state == SHELL_RUNNING || sh->state == SHELL_INTERRUPT) &&
	    g != NULL && g->at < g->nsteps &&
	    (g->steps[g->at].flags & SHELL_STREAM));
}

/*
 * Hand the complete lines in the buffer to the stream callback and drop
 * them; what follows the last LF (a partial line, the prompt) stays.
 * Returns -1 when the callback closed the shell.
 */
static int
shell_stream(struct shell *sh)
{
	struct shell_group	*g = sh->queue;
	struct plines		 pl;
	const char		*l;
	char			*tmp;
	size_t			 end, start = 0, len, n;

	for (end = sh->len; end > 0 && sh->buf[end - 1] != '\n'; end--)
		continue;
	if (end == 0)
		return (0);
	if (sh->state != SHELL_IDLE && sh->stream_echo) {
		start = cli_echo_end(sh->buf, end, g->steps[g->at].line);
		sh->stream_echo = 0;
	}
	tmp = xmalloc(end - start + 1);
	len = cli_clean(sh->buf + start, end - start, tmp, NULL);
	memmove(sh->buf, sh->buf + end, sh->len - end);
	sh->len -= end;
	pl_init(&pl, tmp, len);
	while (!sh->closing && sh->stream_cb != NULL && pl_next(&pl, &l, &n))
		if (n > 0)
			sh->stream_cb(sh->stream_arg, l, n);
	free(tmp);
	return (sh->closing ? -1 : 0);
}

static void
shell_data_cb(struct conn *c, const char *data, size_t n, void *arg)
{
	struct shell		*sh = arg;
	struct cli_prompt	 p;
	const char		*view;
	size_t			 vlen;
	long			 at;

	if (sh->closing || sh->state == SHELL_GONE)
		return;
	shell_append(sh, data, n);
	if (sh->state == SHELL_LOGIN) {
		shell_login(sh);
		return;
	}
	if (shell_streaming(sh) && shell_stream(sh) != 0)
		return;
	if (sh->state != SHELL_RUNNING && sh->state != SHELL_INTERRUPT)
		return;		/* nothing asked: stray text is dropped */
	/*
	 * The timeout is for silence: a long listing is not a stuck one.
	 * Noted here, acted on when the timer fires: restarting a timer
	 * for every chunk was 4 % of fgtop's CPU at 1,000 devices.
	 */
	sh->heard_at = uv_now(sh->loop);
	shell_view(sh, &view, &vlen);
	if ((at = cli_prompt_at_end(view, vlen, &p)) >= 0 &&
	    p.host != NULL && sh->hostname != NULL &&
	    p.hostlen == strlen(sh->hostname) &&
	    memcmp(p.host, sh->hostname, p.hostlen) == 0) {
		shell_complete(sh, at, &p);
		return;
	}
	if (sh->total != sh->more_at && cli_more_at_end(view, vlen) >= 0) {
		sh->more_at = sh->total;
		conn_write(sh->conn, " ", 1);
	}
}

static void
shell_ready_cb(struct conn *c, void *arg)
{
	/* The channel is open; the device speaks first. */
}

static void
shell_closed_cb(struct conn *c, void *arg)
{
	struct shell	*sh = arg;

	shell_set_error(sh, conn_errkind(c), conn_error(c));
	shell_gone(sh);
}

struct shell *
shell_new(uv_loop_t *loop, const struct conn_opts *co,
    const struct shell_opts *so, const struct shell_cb *cb, void *arg)
{
	static const struct conn_cb	 ccb = {
		shell_ready_cb, shell_data_cb, shell_closed_cb
	};
	struct shell			*sh;

	sh = xcalloc(1, sizeof *sh);
	sh->loop = loop;
	if (so != NULL)
		sh->opts = *so;
	if (sh->opts.cmd_timeout_ms == 0)
		sh->opts.cmd_timeout_ms = 60000;
	sh->cb = *cb;
	sh->arg = arg;
	sh->state = SHELL_LOGIN;
	sh->tail = &sh->queue;
	uv_timer_init(loop, &sh->timer);
	sh->timer.data = sh;
	sh->conn = conn_new(loop, co, &ccb, sh);
	/* Login itself is bounded by the conn; the prompt after it here. */
	uv_timer_start(&sh->timer, shell_timer_cb,
	    (co->timeout_ms != 0 ? co->timeout_ms : 15000) +
	    sh->opts.cmd_timeout_ms, 0);
	return (sh);
}

int
shell_submit(struct shell *sh, struct shell_group *g, const char **why)
{
	struct allow_ctx	 ctx;
	size_t			 i;

	allow_init(&ctx);
	if (sh->vdoms != NULL)
		allow_set_vdoms(&ctx, sh->vdoms);
	for (i = 0; i < g->nsteps; i++) {
		if (!allow_check(&ctx, g->steps[i].line,
		    strlen(g->steps[i].line), why)) {
			shell_group_free(g);
			return (-1);
		}
	}
	if (sh->closing || sh->state == SHELL_GONE) {
		if (g->end != NULL)
			g->end(g->arg, 0);
		shell_group_free(g);
		return (0);
	}
	*sh->tail = g;
	sh->tail = &g->next;
	sh->nqueued++;
	if (sh->state == SHELL_IDLE)
		shell_next(sh);
	return (0);
}

void
shell_set_vdoms(struct shell *sh, char *const *vdoms)
{
	sh->vdoms = vdoms;
}

void
shell_set_stream(struct shell *sh, void (*cb)(void *, const char *, size_t),
    void *arg)
{
	sh->stream_cb = cb;
	sh->stream_arg = arg;
}

int
shell_interrupt(struct shell *sh)
{
	if (sh->state != SHELL_RUNNING)
		return (sh->state == SHELL_INTERRUPT ? 0 : -1);
	sh->state = SHELL_INTERRUPT;
	conn_write(sh->conn, "\003", 1);
	uv_timer_start(&sh->timer, shell_timer_cb, SHELL_INTR_MS, 0);
	return (0);
}

size_t
shell_pending(const struct shell *sh)
{
	return (sh->nqueued);
}

const char *
shell_hostname(const struct shell *sh)
{
	return (sh->hostname);
}

const char *
shell_error(const struct shell *sh)
{
	return (sh->error);
}

enum conn_errkind
shell_errkind(const struct shell *sh)
{
	return (sh->errkind);
}

int
shell_is_ready(const struct shell *sh)
{
	return (sh->state == SHELL_IDLE || sh->state == SHELL_RUNNING ||
	    sh->state == SHELL_INTERRUPT);
}

unsigned long long
shell_bytes_in(const struct shell *sh)
{
	return (sh->conn == NULL ? 0 : conn_bytes_in(sh->conn));
}
