/* SPDX-License-Identifier: ISC */
/*
 * session - the FortiGate console line discipline of one channel.
 *
 * Input is queued and handled one byte at a time by a small state
 * machine: the disclaimer waits for 'a', the line editor echoes and runs
 * a command on Enter, the pager waits for space/Enter/q at --More--, and
 * a streaming command (sniffer, traceroute) only looks for Ctrl-C.
 * Bytes typed while a command streams stay queued and run after it, as
 * type-ahead does on a real console.
 *
 * A shell gets CRLF line ends (the device half writes LF), echo, the
 * prompt and the pager; an exec channel gets the device's bytes as they
 * are and finishes after its last command, like `ssh fgt 'cmd'` on a
 * FortiGate.  Pages hold rows - 1 lines so a page plus the --More--
 * line fills the screen.  rows is the client's pty height, as on a
 * FortiGate, which pages by the SSH pty's height (netmiko's Fortinet
 * driver asks for a 1,000-line pty to get long pages: ktbyers/netmiko
 * PR #106); the scenario's `pager on LINES` forces a height instead, to
 * test clients against many short pages.  No pty (or a silly height):
 * 24 rows, a console's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "session.h"

#define SESS_LINE_MAX	4096
#define SESS_MORE	"--More-- "
#define SESS_UNMORE	"\r          \r"	/* wipes "--More-- " */
#define SESS_KEEP_MAX	(1024 * 1024)	/* buffer kept between commands */

enum sess_state {
	SS_BANNER,	/* waiting for 'a' */
	SS_LINE,	/* editing a command line */
	SS_MORE,	/* pager waiting at --More-- */
	SS_STREAM,	/* a command still produces output */
	SS_DONE		/* nothing more: close the channel */
};

/* Output waiting for the client beyond which its input waits too. */
#define SESS_OUT_MAX	(256 * 1024)

struct sess {
	struct sim_device		*dev;
	const struct sim_devinfo	*info;
	struct sim_cli			*cli;
	uint64_t			 conn;
	int				 exec;
	enum sess_state			 state;
	int				 streaming;
	int				 eof;
	int				 rows;		/* pty height, 0: none */
	int				 lastcr;	/* LF of CRLF due */
	int				 outcr;		/* sent CR last */
	char				 line[SESS_LINE_MAX];
	size_t				 linelen;
	struct sbuf			 in;
	size_t				 inoff;
	struct sbuf			 page;		/* not yet paged out */
	size_t				 pageoff;
	struct sbuf			 out;		/* for the channel */
	size_t				 outoff;
	struct sbuf			 tmp;
};

static void	sess_process(struct sess *, double);

struct sess *
sess_new(struct sim_device *dev, uint64_t conn, int exec)
{
	struct sess	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		abort();
	s->dev = dev;
	s->info = sim_device_info(dev);
	s->cli = sim_cli_new(dev);
	s->conn = conn;
	s->exec = exec;
	s->state = SS_LINE;
	return (s);
}

void
sess_free(struct sess *s)
{
	if (s == NULL)
		return;
	sim_cli_free(s->cli);
	sbuf_free(&s->in);
	sbuf_free(&s->page);
	sbuf_free(&s->out);
	sbuf_free(&s->tmp);
	free(s);
}

static void
sess_out_raw(struct sess *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	sbuf_add(&s->out, p, n);
	s->outcr = p[n - 1] == '\r';
}

static void
sess_out_str(struct sess *s, const char *str)
{
	sess_out_raw(s, str, strlen(str));
}

/* Device text: LF becomes CRLF on a shell, as a tty's ONLCR would. */
static void
sess_out_text(struct sess *s, const char *p, size_t n)
{
	size_t	 i, start;

	if (s->exec) {
		sess_out_raw(s, p, n);
		return;
	}
	for (i = start = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (i > start)
			sess_out_raw(s, p + start, i - start);
		if (!(i > start ? p[i - 1] == '\r' : s->outcr))
			sess_out_raw(s, "\r", 1);
		sess_out_raw(s, "\n", 1);
		start = i + 1;
	}
	if (n > start)
		sess_out_raw(s, p + start, n - start);
}

static void
sess_out_prompt(struct sess *s)
{
	sess_out_str(s, sim_cli_prompt(s->cli));
}

/* Give back the memory a huge output used once it is gone. */
static void
sess_trim(struct sbuf *sb)
{
	if (sb->len == 0 && sb->cap > SESS_KEEP_MAX)
		sbuf_free(sb);
}

static void
sess_swap(struct sbuf *a, struct sbuf *b)
{
	struct sbuf	 t;

	t = *a;
	*a = *b;
	*b = t;
}

/* The command's output is out: go back to the prompt or keep streaming. */
static void
sess_cmd_done(struct sess *s)
{
	if (s->streaming) {
		s->state = SS_STREAM;
		return;
	}
	s->state = SS_LINE;
	if (!s->exec)
		sess_out_prompt(s);
}

/* Show up to n more lines of paged output. */
static void
sess_pump(struct sess *s, size_t n)
{
	const char	*p, *end, *nl;

	if (s->page.len == 0) {
		sess_cmd_done(s);
		return;
	}
	p = s->page.buf + s->pageoff;
	end = s->page.buf + s->page.len;
	while (n > 0 && p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end - 1;
		sess_out_text(s, p, (size_t)(nl + 1 - p));
		p = nl + 1;
		n--;
	}
	s->pageoff = (size_t)(p - s->page.buf);
	if (p < end) {
		sess_out_str(s, SESS_MORE);
		s->state = SS_MORE;
		return;
	}
	sbuf_reset(&s->page);
	sess_trim(&s->page);
	s->pageoff = 0;
	sess_cmd_done(s);
}

static size_t
sess_page_size(const struct sess *s)
{
	int	 n;

	if (s->info->page_lines > 1)
		n = s->info->page_lines;
	else
		n = s->rows > 1 ? s->rows : 24;
	return ((size_t)n - 1);
}

void
sess_set_rows(struct sess *s, int rows)
{
	/* The next page takes the new height, as a window-change does. */
	s->rows = rows;
}

static void
sess_emit(struct sess *s, struct sbuf *sb)
{
	if (s->exec && s->outoff == s->out.len && sb->len > 0) {
		/* Swap rather than copy: a 100 MB output is not doubled. */
		sbuf_reset(&s->out);
		s->outoff = 0;
		sess_swap(&s->out, sb);
		sbuf_reset(sb);
		s->outcr = s->out.buf[s->out.len - 1] == '\r';
		sess_cmd_done(s);
		return;
	}
	if (s->exec || !s->info->pager) {
		sess_out_text(s, sb->buf, sb->len);
		sbuf_reset(sb);
		sess_trim(sb);
		sess_cmd_done(s);
		return;
	}
	sess_swap(&s->page, sb);
	s->pageoff = 0;
	sbuf_reset(sb);
	sess_trim(sb);
	sess_pump(s, sess_page_size(s));
}

static const char *
sess_debug_change(const struct sim_debug_state *b,
    const struct sim_debug_state *a)
{
	if (!b->enabled && a->enabled)
		return ("on");
	if (b->enabled && !a->enabled)
		return ("off");
	if (b->ike_level != 0 && a->ike_level == 0)
		return ("reset");
	if (b->ike_level != a->ike_level)
		return ("level");
	if (b->filter_set != a->filter_set)
		return ("filter");
	return (NULL);
}

static int
sess_is_exit(struct sess *s, const char *cmd)
{
	if (strcmp(cmd, "exit") != 0)
		return (0);
	/* Inside config vdom/global, exit is the device's business. */
	return (strstr(sim_cli_prompt(s->cli), " (") == NULL);
}

static void
sess_run(struct sess *s, char *line, double now)
{
	struct sim_debug_state	 before, after;
	const char		*change;
	char			*cmd, *e;
	int			 rc;

	if (!s->exec)
		sess_out_str(s, "\r\n");
	cmd = line;
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	e = cmd + strlen(cmd);
	while (e > cmd && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (*cmd == '\0') {
		sess_cmd_done(s);
		return;
	}
	log_command(s->conn, s->info->hostname, sim_cli_vdom(s->cli), cmd);
	if (sess_is_exit(s, cmd)) {
		s->state = SS_DONE;
		return;
	}
	sim_cli_debug_state(s->cli, &before);
	sbuf_reset(&s->tmp);
	rc = sim_cli_exec(s->cli, cmd, &s->tmp, now);
	sim_cli_debug_state(s->cli, &after);
	if ((change = sess_debug_change(&before, &after)) != NULL)
		log_debug(s->conn, s->info->hostname, change, &before, &after);
	s->streaming = rc == SIM_STREAMING;
	sess_emit(s, &s->tmp);
}

static void
sess_interrupt(struct sess *s)
{
	sbuf_reset(&s->tmp);
	sim_cli_interrupt(s->cli, &s->tmp);
	sess_out_text(s, s->tmp.buf, s->tmp.len);
	s->streaming = 0;
}

static void
sess_key_banner(struct sess *s, int c)
{
	if (c == '\r' || c == '\n')
		return;
	if (c == 'a') {
		sess_out_str(s, "a\r\n");
		s->state = SS_LINE;
		sess_out_prompt(s);
		return;
	}
	/* Anything but 'a' declines the disclaimer: the box hangs up. */
	sess_out_str(s, "\r\n");
	s->state = SS_DONE;
}

static void
sess_key_more(struct sess *s, int c)
{
	int	 wascr;

	wascr = s->lastcr;
	s->lastcr = c == '\r';
	switch (c) {
	case ' ':
		sess_out_str(s, SESS_UNMORE);
		sess_pump(s, sess_page_size(s));
		break;
	case '\n':
		if (wascr)
			break;
		/* FALLTHROUGH */
	case '\r':
		sess_out_str(s, SESS_UNMORE);
		sess_pump(s, 1);
		break;
	case 'q':
	case 'Q':
	case 0x03:
		sess_out_str(s, SESS_UNMORE);
		sbuf_reset(&s->page);
		sess_trim(&s->page);
		s->pageoff = 0;
		if (s->streaming)
			sess_interrupt(s);
		sess_cmd_done(s);
		break;
	default:
		break;
	}
}

static void
sess_key_line(struct sess *s, int c, double now)
{
	int	 wascr;

	wascr = s->lastcr;
	s->lastcr = c == '\r';
	switch (c) {
	case '\n':
		if (wascr)
			return;
		/* FALLTHROUGH */
	case '\r':
		s->line[s->linelen] = '\0';
		s->linelen = 0;
		sess_run(s, s->line, now);
		return;
	case 0x03:
		s->linelen = 0;
		if (!s->exec) {
			sess_out_str(s, "\r\n");
			sess_out_prompt(s);
		}
		return;
	case 0x7f:
	case 0x08:
		if (s->linelen > 0) {
			s->linelen--;
			if (!s->exec)
				sess_out_str(s, "\b \b");
		}
		return;
	default:
		break;
	}
	if ((unsigned char)c < 0x20 && c != '\t')
		return;
	if (s->linelen + 1 >= sizeof s->line)
		return;
	s->line[s->linelen++] = (char)c;
	if (!s->exec)
		sess_out_raw(s, (const char *)&s->line[s->linelen - 1], 1);
}

static void
sess_process(struct sess *s, double now)
{
	const char	*p;
	int		 c;

	/*
	 * A client that types but does not read must not make us buffer
	 * without end: input waits while too much output does.
	 */
	while (s->inoff < s->in.len && s->state != SS_DONE &&
	    s->out.len - s->outoff < SESS_OUT_MAX) {
		if (s->state == SS_STREAM) {
			/* Only Ctrl-C reaches a running command. */
			p = memchr(s->in.buf + s->inoff, 0x03,
			    s->in.len - s->inoff);
			if (p == NULL)
				break;
			s->inoff = (size_t)(p - s->in.buf) + 1;
			sess_interrupt(s);
			sess_cmd_done(s);
			continue;
		}
		c = (unsigned char)s->in.buf[s->inoff++];
		if (s->state == SS_BANNER)
			sess_key_banner(s, c);
		else if (s->state == SS_MORE)
			sess_key_more(s, c);
		else
			sess_key_line(s, c, now);
	}
	if (s->inoff == s->in.len) {
		sbuf_reset(&s->in);
		s->inoff = 0;
	}
	if (s->eof && s->inoff == s->in.len && s->state != SS_STREAM)
		s->state = SS_DONE;
}

void
sess_start_shell(struct sess *s, double now)
{
	const char	*b;

	b = s->info->banner;
	if (b != NULL && *b != '\0') {
		sess_out_text(s, b, strlen(b));
		if (b[strlen(b) - 1] != '\n')
			sess_out_str(s, "\r\n");
		sess_out_str(s, "(Press 'a' to accept):");
		s->state = SS_BANNER;
	} else
		sess_out_prompt(s);
	sess_process(s, now);
}

void
sess_start_exec(struct sess *s, const char *cmd, double now)
{
	sbuf_addstr(&s->in, cmd);
	sbuf_addstr(&s->in, "\n");
	s->eof = 1;
	sess_process(s, now);
}

void
sess_input(struct sess *s, const char *p, size_t n, double now)
{
	if (s->eof || s->state == SS_DONE)
		return;
	/* Bound what a client can queue while a command streams. */
	if (s->in.len - s->inoff > 65536)
		return;
	sbuf_add(&s->in, p, n);
	sess_process(s, now);
}

void
sess_resume(struct sess *s, double now)
{
	if (s->inoff < s->in.len && s->out.len - s->outoff < SESS_OUT_MAX)
		sess_process(s, now);
}

void
sess_eof(struct sess *s, double now)
{
	s->eof = 1;
	sess_process(s, now);
}

void
sess_tick(struct sess *s, double now)
{
	int	 rc;

	if (s->state != SS_STREAM && (s->state != SS_LINE || s->exec))
		return;
	sbuf_reset(&s->tmp);
	rc = sim_cli_stream(s->cli, &s->tmp, now);
	sess_out_text(s, s->tmp.buf, s->tmp.len);
	if (s->state == SS_STREAM && rc == SIM_DONE) {
		s->streaming = 0;
		sess_cmd_done(s);
		sess_process(s, now);
	}
}

const char *
sess_pending(struct sess *s, size_t *len)
{
	*len = s->out.len - s->outoff;
	if (*len == 0)
		return ("");
	return (s->out.buf + s->outoff);
}

void
sess_consume(struct sess *s, size_t n)
{
	s->outoff += n;
	if (s->outoff >= s->out.len) {
		sbuf_reset(&s->out);
		sess_trim(&s->out);
		s->outoff = 0;
	} else if (s->outoff > 65536 && s->outoff > s->out.len / 2) {
		memmove(s->out.buf, s->out.buf + s->outoff,
		    s->out.len - s->outoff);
		s->out.len -= s->outoff;
		s->outoff = 0;
	}
}

int
sess_finished(const struct sess *s)
{
	return (s->state == SS_DONE);
}

void
sess_debug_state(const struct sess *s, struct sim_debug_state *ds)
{
	sim_cli_debug_state(s->cli, ds);
}
