/* SPDX-License-Identifier: ISC */
/*
 * ui - curses, the layout, input, resize and redraw of the dashboard.
 * See ui.h and ui_int.h.
 *
 * The screen is stdscr, laid out by hand like htop: the status bar on
 * the first row, the top view below it, the prompt / message line on the
 * last row.  Nothing is drawn from a libuv callback directly: changes
 * mark the ui dirty and a timer draws at most every 50 ms; a frame
 * rewrites stdscr and ncurses sends only the cells that differ, so an
 * unchanged frame writes no byte.  No timer runs faster than once a
 * minute when nothing changes (the clock shows minutes) except the
 * one-second tick of the DEBUG badge.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "model.h"
#include "ui_int.h"
#include "xmalloc.h"
#include "xtime.h"

#define UI_FRAME_MS	50

/* The ui whose terminal the fatal path must restore. */
static struct ui *ui_active;

static void	ui_redraw_cb(uv_timer_t *);
static void	ui_tick_start(struct ui *);

/* The dashboard's clock: src/xtime's, one place to change it for ui/. */
double
ui_now(void)
{
	return (xtime_now());
}

double
ui_model_now(struct ui *ui)
{
	return (ui->replay_at > 0 ? ui->replay_at : ui_now());
}

void
ui_unavailable(struct ui *ui, const char *what)
{
	ui_message(ui, 1, "%s: not available in %s", what,
	    ui->act.readonly != NULL ? ui->act.readonly : "this build");
}

/* Out of memory with curses up: give the terminal back first. */
static void
ui_fatal_hook(void)
{
	if (ui_active == NULL)
		return;
	endwin();
	if (ui_active->in_flags != -1)
		fcntl(ui_active->in_fd, F_SETFL, ui_active->in_flags);
	ui_active = NULL;
}

/* Without colours, attributes carry the roles (no colour escape). */
static void
ui_mono(struct ui *ui)
{
	ui->attr[UR_NORMAL] = A_NORMAL;
	ui->attr[UR_HEADER] = A_BOLD | A_UNDERLINE;
	ui->attr[UR_SELECTED] = A_REVERSE;
	ui->attr[UR_DOWN] = A_BOLD;
	ui->attr[UR_DEGRADED] = A_BOLD;
	ui->attr[UR_UP] = A_NORMAL;
	ui->attr[UR_UNKNOWN] = A_NORMAL;
	ui->attr[UR_DIM] = A_DIM;
	ui->attr[UR_STATUS] = A_REVERSE;
	ui->attr[UR_BADGE] = A_REVERSE | A_BOLD;
	ui->attr[UR_CHANGED] = A_UNDERLINE;
	ui->attr[UR_ERROR] = A_BOLD;
	ui->attr[UR_TITLE] = A_BOLD;
	ui->attr[UR_MARK] = A_REVERSE | A_BOLD;
	ui->colors = 0;
}

int
ui_bind(const char *action, const char *key, char **err)
{
	return (keys_bind(action, key, err));
}

int
ui_theme(struct ui *ui, const char *name, char **err)
{
	if (strcmp(name, "mono") == 0)
		ui_mono(ui);
	else if (strcmp(name, "default") != 0) {
		xasprintf(err, "no theme named %s (default, mono)", name);
		return (-1);
	}
	ui_dirty(ui);
	return (0);
}

static void
ui_colors(struct ui *ui)
{
	static const short	 fg[UR_COUNT] = {
		[UR_DOWN] = COLOR_RED, [UR_DEGRADED] = COLOR_YELLOW,
		[UR_UP] = COLOR_GREEN, [UR_UNKNOWN] = COLOR_MAGENTA,
		[UR_DIM] = COLOR_BLUE, [UR_ERROR] = COLOR_RED,
		[UR_TITLE] = COLOR_CYAN, [UR_MARK] = COLOR_BLACK,
		[UR_HEADER] = COLOR_BLACK, [UR_STATUS] = COLOR_BLACK,
		[UR_BADGE] = COLOR_WHITE, [UR_CHANGED] = COLOR_BLACK,
		[UR_SELECTED] = COLOR_BLACK,
	};
	static const short	 bg[UR_COUNT] = {
		[UR_HEADER] = COLOR_GREEN, [UR_STATUS] = COLOR_CYAN,
		[UR_BADGE] = COLOR_RED, [UR_CHANGED] = COLOR_YELLOW,
		[UR_SELECTED] = COLOR_CYAN, [UR_MARK] = COLOR_YELLOW,
	};
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	ui_mono(ui);
	if ((nc != NULL && *nc != '\0') || !has_colors() ||
	    start_color() == ERR)
		return;
	use_default_colors();
	ui->colors = COLORS >= 256 ? 256 : 8;
	for (i = 1; i < UR_COUNT && i < COLOR_PAIRS; i++) {
		if (fg[i] == 0 && bg[i] == 0)
			continue;
		init_pair((short)i, fg[i], bg[i] != 0 ? bg[i] : -1);
		ui->attr[i] = COLOR_PAIR(i);
	}
	if (ui->colors == 256 && COLOR_PAIRS > UR_DIM) {
		init_pair(UR_DIM, 244, -1);
		ui->attr[UR_DIM] = COLOR_PAIR(UR_DIM);
	}
	ui->attr[UR_DOWN] |= A_BOLD;
	ui->attr[UR_BADGE] |= A_BOLD;
	ui->attr[UR_TITLE] |= A_BOLD;
}

static void
ui_close_cb(uv_handle_t *h)
{
}

static void
ui_resize(struct ui *ui)
{
	struct winsize	 ws;

	if (ioctl(fileno(ui->out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_dirty(ui);
}

static void
ui_winch_cb(uv_signal_t *s, int signum)
{
	ui_resize(s->data);
}

static void
ui_input_cb(uv_poll_t *p, int status, int events)
{
	struct ui	*ui = p->data;
	wint_t		 wc;
	int		 rc;

	if (status < 0) {
		/* The terminal went away: nothing left to show. */
		uv_poll_stop(p);
		if (ui->act.quit != NULL)
			ui->act.quit(ui->act.arg);
		return;
	}
	while (!ui->quitting && (rc = wget_wch(stdscr, &wc)) != ERR)
		ui_key(ui, rc == KEY_CODE_YES, wc);
}

static void
ui_tick_cb(uv_timer_t *t)
{
	struct ui	*ui = t->data;

	ui_dirty(ui);
	ui_tick_start(ui);
}

/* Wake for the clock's next minute, or each second for the badge. */
static void
ui_tick_start(struct ui *ui)
{
	double		 now = ui_now(), next;
	uint64_t	 ms;
	size_t		 i;

	next = (floor(now / 60) + 1) * 60;
	if (ui->badge_dev != NULL)
		next = floor(now) + 1;
	/* Wake when a highlight ends; forget those that have. */
	for (i = 0; i < UI_HL; i++) {
		if (ui->hl[i].key == NULL)
			continue;
		if (ui->hl[i].until <= now) {
			free(ui->hl[i].key);
			ui->hl[i].key = NULL;
		} else if (ui->hl[i].until < next)
			next = ui->hl[i].until;
	}
	ms = next > now ? (uint64_t)((next - now) * 1000) + 1 : 1;
	if (ui->open)
		uv_timer_start(&ui->tick, ui_tick_cb, ms, 0);
}

struct ui *
ui_new(uv_loop_t *loop, struct model *m, const struct ui_actions *act,
    const char *mark, const struct ui_term *term, char **err)
{
	struct ui	*ui;
	const char	*cs;
	int		 fd;

	ui = xcalloc(1, sizeof *ui);
	ui->loop = loop;
	ui->model = m;
	if (act != NULL)
		ui->act = *act;
	ui->mark = mark != NULL ? xstrdup(mark) : NULL;
	ui->out = term != NULL && term->out != NULL ? term->out : stdout;
	ui->in = term != NULL && term->in != NULL ? term->in : stdin;
	/*
	 * Input through its own open of the terminal: uv_poll makes its fd
	 * non-blocking, and on stdin that flag would be shared with stdout
	 * (one open file description), where curses writes.
	 */
	if (ui->in == stdin && isatty(STDIN_FILENO) &&
	    (fd = open("/dev/tty", O_RDONLY | O_CLOEXEC)) != -1) {
		if ((ui->in = fdopen(fd, "r")) == NULL) {
			close(fd);
			ui->in = stdin;
		} else
			ui->own_in = 1;
	}
	ui->in_fd = fileno(ui->in);
	/* libuv leaves the fd non-blocking; the shell needs it back. */
	ui->in_flags = fcntl(ui->in_fd, F_GETFL);
	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	ui->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	/* Before newterm, so that ncurses leaves SIGWINCH to libuv. */
	if (loop != NULL) {
		uv_signal_init(loop, &ui->winch);
		ui->winch.data = ui;
		uv_signal_start(&ui->winch, ui_winch_cb, SIGWINCH);
	}
	ui->scr = newterm(term != NULL ? term->type : NULL, ui->out, ui->in);
	if (ui->scr == NULL) {
		xasprintf(err, "cannot use the terminal (TERM=%s)",
		    getenv("TERM") != NULL ? getenv("TERM") : "unset");
		if (loop != NULL) {
			uv_close((uv_handle_t *)&ui->winch, ui_close_cb);
			uv_run(loop, UV_RUN_NOWAIT);
		}
		if (ui->own_in)
			fclose(ui->in);
		free(ui->mark);
		free(ui);
		return (NULL);
	}
	ui_active = ui;
	xmalloc_set_fatal_hook(ui_fatal_hook);
	set_term(ui->scr);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	ui_colors(ui);
	ui_push(ui, &view_tunnels, view_tunnels_new(ui));
	ui->model_seen = m->dirty - 1;
	if (loop != NULL) {
		ui->open = 1;
		uv_timer_init(loop, &ui->redraw);
		ui->redraw.data = ui;
		uv_timer_init(loop, &ui->tick);
		ui->tick.data = ui;
		if (term == NULL || !term->no_input) {
			uv_poll_init(loop, &ui->poll, ui->in_fd);
			ui->poll.data = ui;
			uv_poll_start(&ui->poll, UV_READABLE, ui_input_cb);
			ui->has_poll = 1;
		}
		ui_tick_start(ui);
		ui_dirty(ui);
	}
	return (ui);
}

void
ui_close(struct ui *ui)
{
	if (ui == NULL || !ui->open)
		return;
	ui->open = 0;
	ui->quitting = 1;
	view_tool_stop_all(ui);
	if (ui->has_poll)
		uv_close((uv_handle_t *)&ui->poll, ui_close_cb);
	uv_close((uv_handle_t *)&ui->winch, ui_close_cb);
	uv_close((uv_handle_t *)&ui->redraw, ui_close_cb);
	uv_close((uv_handle_t *)&ui->tick, ui_close_cb);
}

void
ui_free(struct ui *ui)
{
	size_t	 i;

	if (ui == NULL)
		return;
	while (ui->depth > 0)
		ui_pop(ui);
	view_tool_free_all(ui);
	endwin();
	delscreen(ui->scr);
	if (ui->in_flags != -1)
		fcntl(ui->in_fd, F_SETFL, ui->in_flags);
	if (ui->own_in)
		fclose(ui->in);
	if (ui_active == ui) {
		ui_active = NULL;
		xmalloc_set_fatal_hook(NULL);
	}
	for (i = 0; i < UI_EVENTS; i++)
		mevent_clear(&ui->ev[i]);
	for (i = 0; i < UI_HL; i++)
		free(ui->hl[i].key);
	for (i = 0; i < 3; i++)
		free(ui->pend[i]);
	free(ui->badge_dev);
	free(ui->badge_peer);
	free(ui->mark);
	free(ui);
}

void
ui_dirty(struct ui *ui)
{
	uint64_t	 now, due;

	ui->dirty = 1;
	if (!ui->open || uv_is_active((uv_handle_t *)&ui->redraw))
		return;
	now = uv_now(ui->loop);
	due = ui->last_frame + UI_FRAME_MS;
	uv_timer_start(&ui->redraw, ui_redraw_cb, due > now ? due - now : 0,
	    0);
}

static void
ui_redraw_cb(uv_timer_t *t)
{
	struct ui	*ui = t->data;

	if (ui->dirty)
		ui_draw(ui);
}

/* Remember a change for a moment so its row is highlighted. */
static void
ui_hl_add(struct ui *ui, const struct mevent *e, double now)
{
	size_t	 i, slot = 0;
	char	*key;

	xasprintf(&key, "%s\t%s\t%s", e->device, e->vdom, e->tunnel);
	for (i = 0; i < UI_HL; i++) {
		if (ui->hl[i].key != NULL && strcmp(ui->hl[i].key, key) == 0) {
			slot = i;
			break;
		}
		if (ui->hl[i].key == NULL || ui->hl[i].until <
		    ui->hl[slot].until)
			slot = i;
	}
	free(ui->hl[slot].key);
	ui->hl[slot].key = key;
	ui->hl[slot].until = now + UI_HL_SECONDS;
}

int
ui_highlighted(struct ui *ui, const char *dev, const char *vdom,
    const char *tun)
{
	double	 now = -1;
	size_t	 i, n;
	char	*p;

	for (i = 0; i < UI_HL; i++) {
		if ((p = ui->hl[i].key) == NULL)
			continue;
		n = strlen(dev);
		if (strncmp(p, dev, n) != 0 || p[n] != '\t')
			continue;
		p += n + 1;
		n = strlen(vdom);
		if (strncmp(p, vdom, n) != 0 || p[n] != '\t' ||
		    strcmp(p + n + 1, tun) != 0)
			continue;
		if (now < 0)
			now = ui_now();
		return (ui->hl[i].until > now);
	}
	return (0);
}

void
ui_events(struct ui *ui, const struct mevent *ev)
{
	double		 now = ui_now();
	int		 changed = 0;

	for (; ev != NULL; ev = ev->next) {
		if (ui->nev == UI_EVENTS) {
			mevent_clear(&ui->ev[ui->ev_head]);
			ui->ev_head = (ui->ev_head + 1) % UI_EVENTS;
			ui->nev--;
		}
		mevent_copy(&ui->ev[(ui->ev_head + ui->nev++) % UI_EVENTS],
		    ev);
		/* A change to a known tunnel; not every tunnel at start. */
		if (ev->tunnel != NULL && ev->vdom != NULL &&
		    ev->device != NULL && strcmp(ev->type, "tunnel-added") != 0)
			ui_hl_add(ui, ev, now);
		changed = 1;
	}
	if (changed && ui->open)
		ui_tick_start(ui);
	if (ui->model->dirty != ui->model_seen) {
		ui->model_seen = ui->model->dirty;
		ui->model_gen++;
		changed = 1;
	}
	if (changed && !ui->frozen)
		ui_dirty(ui);
}

void
ui_replay_at(struct ui *ui, double t, const char *mark)
{
	ui->replay_at = t;
	free(ui->mark);
	ui->mark = mark != NULL ? xstrdup(mark) : NULL;
	ui_dirty(ui);
}

void
ui_history(struct ui *ui, const struct mevent *ev, const struct mevent *hl)
{
	size_t	 i;

	for (i = 0; i < UI_EVENTS; i++)
		mevent_clear(&ui->ev[i]);
	ui->ev_head = ui->nev = 0;
	for (i = 0; i < UI_HL; i++) {
		free(ui->hl[i].key);
		ui->hl[i].key = NULL;
	}
	/* Copied as live events are, the highlights of the copy dropped. */
	ui_events(ui, ev);
	for (i = 0; i < UI_HL; i++) {
		free(ui->hl[i].key);
		ui->hl[i].key = NULL;
	}
	if (hl != NULL && hl->device != NULL && hl->vdom != NULL &&
	    hl->tunnel != NULL)
		ui_hl_add(ui, hl, ui_now());
	if (ui->open)
		ui_tick_start(ui);
	ui_dirty(ui);
}

void
ui_push(struct ui *ui, const struct ui_view *v, void *st)
{
	if (ui->depth == UI_STACK) {
		v->free(st);
		return;
	}
	ui->stack[ui->depth].v = v;
	ui->stack[ui->depth].st = st;
	ui->depth++;
	ui_dirty(ui);
}

void
ui_pop(struct ui *ui)
{
	struct ui_pane	*p;

	if (ui->depth == 0)
		return;
	p = &ui->stack[--ui->depth];
	p->v->free(p->st);
	p->v = NULL;
	p->st = NULL;
	if (ui->open)
		ui_dirty(ui);
}

void
ui_message(struct ui *ui, int err, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_err = err;
	ui_dirty(ui);
}

void
ui_notice(struct ui *ui, int err, const char *s)
{
	/* A y/n question keeps the line: its answer is awaited. */
	if (ui->prompt == '?')
		return;
	ui_message(ui, err, "%s", s);
}

void
ui_export(struct ui *ui, const char *dev, const char *vdom, const char *tun)
{
	char	*err = NULL;

	if (ui->act.export == NULL) {
		ui_unavailable(ui, "export");
		return;
	}
	if (ui->act.export(ui->act.arg, dev, vdom, tun, &err) != 0) {
		ui_message(ui, 1, "%s", err);
		free(err);
		return;
	}
	ui_message(ui, 0, "making the bundle of %s%s%s...",
	    tun != NULL ? tun : dev, tun != NULL ? " on " : "",
	    tun != NULL ? dev : "");
}

void
ui_ask(struct ui *ui, const char *question, void (*yes)(struct ui *),
    void (*no)(struct ui *))
{
	ui->prompt = '?';
	ui->yes = yes;
	ui->no = no;
	ui->plen = 0;
	snprintf(ui->msg, sizeof ui->msg, "%.240s (y/n)", question);
	ui_dirty(ui);
}

void
ui_sniff_edit(struct ui *ui, const char *dev, const char *vdom,
    const char *tun)
{
	const struct mtun	*t = ui_tunnel(ui, dev, vdom, tun);
	char			 init[256];
	size_t			 i;

	if (ui->act.readonly != NULL) {
		ui_unavailable(ui, "sniffer");
		return;
	}
	for (i = 0; i < 3; i++)
		free(ui->pend[i]);
	ui->pend[0] = xstrdup(dev);
	ui->pend[1] = xstrdup(vdom);
	ui->pend[2] = xstrdup(tun);
	/* IKE toward the peer, NAT-T included: what S usually narrows. */
	if (t != NULL && t->remote_addr != NULL)
		snprintf(init, sizeof init, "host %s and (port 500 or "
		    "port 4500)", t->remote_addr);
	else
		snprintf(init, sizeof init, "port 500 or port 4500");
	ui->plen = mbstowcs(ui->pbuf, init, 255);
	if (ui->plen == (size_t)-1)
		ui->plen = 0;
	ui->pbuf[ui->plen] = L'\0';
	ui->prompt = 'S';
	ui->msg[0] = '\0';
	ui_dirty(ui);
}

struct mdev *
ui_device(struct ui *ui, const char *name)
{
	size_t	 i;

	for (i = 0; i < ui->model->ndevs; i++)
		if (strcmp(ui->model->devs[i]->name, name) == 0)
			return (ui->model->devs[i]);
	return (NULL);
}

struct mtun *
ui_tunnel(struct ui *ui, const char *dev, const char *vdom, const char *tun)
{
	struct mdev	*d;
	size_t		 i;

	if ((d = ui_device(ui, dev)) == NULL)
		return (NULL);
	for (i = 0; i < d->nvdoms; i++)
		if (strcmp(d->vdoms[i]->name, vdom) == 0)
			return (model_tunnel(d->vdoms[i], tun));
	return (NULL);
}

const char *
ui_top_finding(struct ui *ui, const struct mtun *t, int *sev)
{
	static struct ui_finding	 f;

	*sev = -1;
	if (!ui->have_find || t->findings == NULL ||
	    ui->find.count(t) == 0 || ui->find.get(t, 0, &f) != 0 ||
	    f.title == NULL)
		return ("-");
	*sev = f.severity;
	return (f.title);
}

void
ui_set_findings(struct ui *ui, const struct ui_findings *f)
{
	ui->have_find = f != NULL && f->count != NULL && f->get != NULL;
	if (ui->have_find)
		ui->find = *f;
	ui_dirty(ui);
}

void
ui_debug_badge(struct ui *ui, const char *device, const char *peer,
    double since)
{
	free(ui->badge_dev);
	free(ui->badge_peer);
	ui->badge_dev = device != NULL ? xstrdup(device) : NULL;
	ui->badge_peer = device != NULL && peer != NULL ? xstrdup(peer) :
	    NULL;
	ui->badge_since = since;
	if (ui->open)
		ui_tick_start(ui);
	ui_dirty(ui);
}

void
ui_tool_line(struct ui *ui, unsigned id, const char *line,
    enum ui_line_class cls)
{
	view_tool_line(ui, id, line, cls);
}

void
ui_tool_end(struct ui *ui, unsigned id, const char *reading)
{
	view_tool_end(ui, id, reading);
}

int
ui_scroll(size_t *pos, enum ui_act a, size_t page, size_t last)
{
	switch (a) {
	case UA_UP:
		if (*pos > 0)
			(*pos)--;
		break;
	case UA_DOWN:
		if (*pos < last)
			(*pos)++;
		break;
	case UA_PGUP:
		*pos = *pos > page ? *pos - page : 0;
		break;
	case UA_PGDN:
		*pos = *pos + page < last ? *pos + page : last;
		break;
	case UA_TOP:
		*pos = 0;
		break;
	case UA_BOTTOM:
		*pos = last;
		break;
	default:
		return (0);
	}
	return (1);
}

/* Drawing helpers. */

/*
 * Device text to the screen: one wide character at a time, anything
 * that is not a printable character (controls, escapes, invalid UTF-8)
 * shown as '?', cut to w columns and padded with blanks.
 */
void
ui_put(int y, int x, int w, chtype attr, const char *s)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 n, len;
	int		 cw, used = 0;

	if (w <= 0)
		return;
	memset(&ps, 0, sizeof ps);
	attrset(attr);
	move(y, x);
	len = s != NULL ? strlen(s) : 0;
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			n = 1;
		}
		if ((cw = wcwidth(wc)) < 0 || iswcntrl((wint_t)wc)) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > w)
			break;
		addnwstr(&wc, 1);
		used += cw;
		s += n;
		len -= n;
	}
	for (; used < w; used++)
		addch(' ');
	attrset(A_NORMAL);
}

void
ui_putr(int y, int x, int w, chtype attr, const char *s)
{
	int	 n = (int)strlen(s);

	if (n >= w) {
		ui_put(y, x, w, attr, s);
		return;
	}
	ui_fill(y, x, w - n, attr);
	ui_put(y, x + w - n, n, attr, s);
}

void
ui_fill(int y, int x, int w, chtype attr)
{
	if (w > 0)
		mvhline(y, x, ' ' | attr, w);
}

void
ui_fmt_num(char *buf, size_t len, int64_t v)
{
	if (v == PNUM_UNKNOWN)
		snprintf(buf, len, "-");
	else if (v < 100000)
		snprintf(buf, len, "%lld", (long long)v);
	else if (v < 100000000)
		snprintf(buf, len, "%lldk", (long long)(v / 1000));
	else
		snprintf(buf, len, "%lldM", (long long)(v / 1000000));
}

void
ui_fmt_rate(char *buf, size_t len, double v)
{
	if (isnan(v) || v < 0)
		snprintf(buf, len, "-");
	else if (v < 10)
		snprintf(buf, len, "%.1f", v);
	else if (v < 10000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 10e6)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0fM", v / 1e6);
}

/* Minutes are the finest unit: the screen stays still for a minute. */
void
ui_fmt_age(char *buf, size_t len, double s)
{
	long	 m;

	if (isnan(s) || s < 0) {
		snprintf(buf, len, "-");
		return;
	}
	m = (long)(s / 60);
	if (m < 1)
		snprintf(buf, len, "<1m");
	else if (m < 60)
		snprintf(buf, len, "%ldm", m);
	else if (m < 24 * 60)
		snprintf(buf, len, "%ldh%02ld", m / 60, m % 60);
	else
		snprintf(buf, len, "%ldd", m / (24 * 60));
}

void
ui_spark(struct ui *ui, char *buf, size_t len, const float *v, size_t n,
    int w)
{
	static const char	*blocks[8] = { "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char	 ascii[] = "_.-=+*#@";
	float			 max = 0;
	size_t			 i, used = 0, first;
	int			 level;

	buf[0] = '\0';
	if ((size_t)w > n)
		w = (int)n;
	first = n - (size_t)w;
	for (i = first; i < n; i++)
		if (!isnan(v[i]) && v[i] > max)
			max = v[i];
	for (i = first; i < n && used + 4 < len; i++) {
		if (isnan(v[i]) || v[i] < 0) {
			buf[used++] = ' ';
			continue;
		}
		level = max > 0 ? (int)(v[i] / max * 7.0f + 0.5f) : 0;
		if (level > 7)
			level = 7;
		if (ui->utf8) {
			memcpy(buf + used, blocks[level], 3);
			used += 3;
		} else
			buf[used++] = ascii[level];
	}
	buf[used] = '\0';
}

const char *
ui_state_mark(struct ui *ui, int state)
{
	switch (state) {
	case MTUN_DOWN:
		return (ui->utf8 ? "\u2717" : "X");
	case MTUN_DEGRADED:
		return (ui->utf8 ? "\u25b2" : "!");
	case MTUN_UP:
		return (ui->utf8 ? "\u2713" : "+");
	default:
		return ("?");
	}
}

chtype
ui_state_attr(struct ui *ui, int state)
{
	switch (state) {
	case MTUN_DOWN:
		return (ui->attr[UR_DOWN]);
	case MTUN_DEGRADED:
		return (ui->attr[UR_DEGRADED]);
	case MTUN_UP:
		return (ui->attr[UR_UP]);
	default:
		return (ui->attr[UR_UNKNOWN]);
	}
}

/* The reading of KB 195955 (see DIAGNOSIS.md, ST-P2-SA0 / SA2). */
const char *
ui_sa_meaning(int64_t sa)
{
	switch (sa) {
	case 0:
		return ("no IPsec SA: selector or proposal mismatch, "
		    "or no traffic has started it yet");
	case 1:
		return ("IPsec SA up");
	case 2:
		return ("rekey in progress: old and new SA both present");
	case PNUM_UNKNOWN:
		return ("not listed");
	default:
		return ("unknown value");
	}
}

/*
 * The status bar: counts, the mark, freeze, what fgtop cannot do (the
 * model's warning: the journal is not written), the DEBUG badge, a
 * clock.
 */
static void
ui_draw_status(struct ui *ui)
{
	const struct mdev *d;
	const struct mtun *t;
	char		 buf[256], clock[16], badge[160];
	size_t		 i, k, n;
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 x = 0, w, sev;
	long		 el;

	/* Counting 100,000 tunnels is not free: once per model change. */
	if (!ui->counted || ui->count_gen != ui->model_gen) {
		ui->counted = 1;
		ui->count_gen = ui->model_gen;
		memset(&ui->count, 0, sizeof ui->count);
		for (i = 0; i < ui->model->ndevs; i++) {
			d = ui->model->devs[i];
			ui->count.devup += d->state == MDEV_UP;
			for (k = 0; k < d->nvdoms; k++)
				for (n = 0; n < d->vdoms[k]->ntunnels; n++) {
					t = d->vdoms[k]->tunnels[n];
					ui->count.tunnels++;
					ui->count.down += t->state == MTUN_DOWN;
					ui->count.degraded +=
					    t->state == MTUN_DEGRADED;
					ui_top_finding(ui, t, &sev);
					ui->count.alerts += sev >= 1;
				}
		}
	}
	ui_fill(0, 0, COLS, ui->attr[UR_STATUS]);
	ui_put(0, x, 7, ui->attr[UR_STATUS] | A_BOLD, " fgtop");
	x += 7;
	if (ui->mark != NULL) {
		snprintf(buf, sizeof buf, " %s ", ui->mark);
		w = (int)strlen(buf);
		ui_put(0, x, w, ui->attr[UR_MARK], buf);
		x += w + 1;
	}
	if (ui->have_find)
		snprintf(badge, sizeof badge, "%zu", ui->count.alerts);
	else
		snprintf(badge, sizeof badge, "-");
	snprintf(buf, sizeof buf, " devices %zu/%zu up  tunnels %zu  down "
	    "%zu  degraded %zu  alerts %s%s", ui->count.devup,
	    ui->model->ndevs, ui->count.tunnels, ui->count.down,
	    ui->count.degraded, badge, ui->frozen ? "  FROZEN" : "");
	w = (int)strlen(buf);
	if (w > COLS - x)
		w = COLS - x;
	ui_put(0, x, w, ui->attr[UR_STATUS], buf);
	x += w;
	if (ui->model->warning != NULL && COLS - 7 - x > 4) {
		snprintf(buf, sizeof buf, " ! %s ", ui->model->warning);
		w = (int)strlen(buf);
		if (w > COLS - 7 - x - 1)
			w = COLS - 7 - x - 1;
		ui_put(0, x + 1, w, ui->attr[UR_BADGE], buf);
	}
	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, " %H:%M ", &tm);
	if (ui->badge_dev != NULL) {
		el = (long)(ui_now() - ui->badge_since);
		if (el < 0)
			el = 0;
		snprintf(badge, sizeof badge, " DEBUG ON %s %s %02ld:%02ld ",
		    ui->badge_dev, ui->badge_peer != NULL ? ui->badge_peer :
		    "", el / 60, el % 60);
		w = (int)strlen(badge);
		if (w > COLS - 7)
			w = COLS - 7;
		if (w > 0)
			ui_put(0, COLS - 7 - w, w, ui->attr[UR_BADGE], badge);
	}
	/* A replay's moment is in its mark: no wall clock beside it. */
	if (COLS - x >= 7 && !(ui->replay_at > 0))
		ui_put(0, COLS - 7, 7, ui->attr[UR_STATUS], clock);
}

/* The last row: the prompt being typed, a message, or the view's keys. */
static void
ui_draw_prompt(struct ui *ui)
{
	char	 buf[1024];
	size_t	 i, n = 0;
	int	 y = LINES - 1;

	if (ui->prompt == '/' || ui->prompt == ':' || ui->prompt == 'S') {
		if (ui->prompt == 'S') {
			snprintf(buf, sizeof buf, "sniffer filter: ");
			n = strlen(buf);
		} else
			buf[n++] = (char)ui->prompt;
		for (i = 0; i < ui->plen && n + MB_LEN_MAX < sizeof buf;
		    i++) {
			int	 k = wctomb(buf + n, ui->pbuf[i]);

			if (k > 0)
				n += (size_t)k;
		}
		buf[n] = '\0';
		ui_put(y, 0, COLS, A_NORMAL, buf);
		/* A filter that does not compile is said beside it. */
		if (ui->msg[0] != '\0' && (int)n + 3 < COLS)
			ui_put(y, (int)n + 2, COLS - (int)n - 2,
			    ui->attr[UR_ERROR], ui->msg);
		curs_set(1);
		move(y, (int)n < COLS ? (int)n : COLS - 1);
		return;
	}
	curs_set(0);
	if (ui->msg[0] != '\0') {
		ui_put(y, 0, COLS, ui->prompt == '?' || ui->msg_err ?
		    ui->attr[UR_ERROR] : A_NORMAL, ui->msg);
		return;
	}
	snprintf(buf, sizeof buf, "%s",
	    ui->depth > 1 ? "Esc back  ? help  q quit  / filter  "
	    ": command  Tab next view" :
	    "Enter detail  / filter  < > sort  + unfold  D devices  "
	    "e events  ? help  q quit");
	ui_put(y, 0, COLS, ui->attr[UR_DIM], buf);
}

void
ui_draw(struct ui *ui)
{
	struct ui_pane	*p;
	int		 h;

	ui->dirty = 0;
	if (ui->model->dirty != ui->model_seen) {
		ui->model_seen = ui->model->dirty;
		ui->model_gen++;
	}
	erase();
	if (LINES < 3 || COLS < 20) {
		ui_put(0, 0, COLS, A_NORMAL, "fgtop: terminal too small");
	} else {
		ui_draw_status(ui);
		h = LINES - 2;
		p = &ui->stack[ui->depth - 1];
		p->v->draw(ui, p->st, 1, 0, h, COLS);
		ui_draw_prompt(ui);
	}
	if (ui->prompt != '/' && ui->prompt != ':' && ui->prompt != 'S')
		move(LINES - 1, 0);
	wnoutrefresh(stdscr);
	doupdate();
	ui->frames++;
	if (ui->open)
		ui->last_frame = uv_now(ui->loop);
}

/* Quit: ends tools (IKE debug off) and asks the engine to stop. */
static void
ui_quit_now(struct ui *ui)
{
	view_tool_stop_all(ui);
	ui->quitting = 1;
	if (ui->act.quit != NULL)
		ui->act.quit(ui->act.arg);
}

static void
ui_quit(struct ui *ui)
{
	char	 q[256];

	if (ui->badge_dev != NULL) {
		snprintf(q, sizeof q, "IKE debug is running on %s: turn it "
		    "off and quit?", ui->badge_dev);
		ui_ask(ui, q, ui_quit_now, NULL);
		return;
	}
	ui_quit_now(ui);
}

/* Write what the screen shows, as text, to a file (:screendump). */
static void
ui_screendump(struct ui *ui, const char *path)
{
	FILE	*f;
	wchar_t	 line[1024];
	char	 mb[4096];
	int	 y, n;
	size_t	 k;

	if ((f = fopen(path, "w")) == NULL) {
		ui_message(ui, 1, "%s: %s", path, strerror(errno));
		return;
	}
	for (y = 0; y < LINES; y++) {
		n = mvwinnwstr(curscr, y, 0, line,
		    COLS < 1023 ? COLS : 1023);
		if (n < 0)
			n = 0;
		line[n] = L'\0';
		k = wcstombs(mb, line, sizeof mb - 1);
		if (k == (size_t)-1)
			k = 0;
		while (k > 0 && mb[k - 1] == ' ')
			k--;
		mb[k] = '\0';
		fprintf(f, "%s\n", mb);
	}
	if (fclose(f) != 0)
		ui_message(ui, 1, "%s: %s", path, strerror(errno));
	else
		ui_message(ui, 0, "screen written to %s", path);
}

static void
ui_view_switch(struct ui *ui, enum ui_act a)
{
	while (ui->depth > 1)
		ui_pop(ui);
	if (a == UA_DEVICES)
		ui_push(ui, &view_devices, view_devices_new(ui));
	else if (a == UA_EVENTS)
		ui_push(ui, &view_events, view_events_new(ui));
}

/* [ ] and :at: the replay moves and says where it is now. */
static void
ui_replay_move(struct ui *ui, int dir, const char *when)
{
	char	*msg = NULL;
	int	 rc;

	if (ui->act.step == NULL || ui->act.at == NULL) {
		ui_message(ui, 1, "%s: only in a replay (fgtop replay JOURNAL)",
		    dir != 0 ? "step" : "at");
		return;
	}
	if (dir == 0 && (when == NULL || *when == '\0')) {
		ui_message(ui, 1, "at: which time? (:at 03:12, :at -15m, "
		    ":at 2026-12-03 03:12:00)");
		return;
	}
	rc = dir != 0 ? ui->act.step(ui->act.arg, dir, &msg) :
	    ui->act.at(ui->act.arg, when, &msg);
	ui_message(ui, rc != 0, "%s", msg != NULL ? msg : "");
	free(msg);
}

static void
ui_command(struct ui *ui, char *line)
{
	struct ui_pane	*p;
	char		*cmd, *arg, *err = NULL;
	void		*home = ui->stack[0].st;

	cmd = strtok(line, " \t");
	arg = strtok(NULL, "");
	while (arg != NULL && (*arg == ' ' || *arg == '\t'))
		arg++;
	if (cmd == NULL)
		return;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0)
		ui_quit(ui);
	else if (strcmp(cmd, "devices") == 0)
		ui_view_switch(ui, UA_DEVICES);
	else if (strcmp(cmd, "events") == 0)
		ui_view_switch(ui, UA_EVENTS);
	else if (strcmp(cmd, "tunnels") == 0)
		ui_view_switch(ui, UA_TUNNELS);
	else if (strcmp(cmd, "help") == 0)
		ui_push(ui, &view_help, view_help_new(ui));
	else if (strcmp(cmd, "device") == 0 || strcmp(cmd, "vdom") == 0) {
		ui_view_switch(ui, UA_TUNNELS);
		if (view_tunnels_limit(ui, home, cmd[0] == 'd' ? arg : NULL,
		    cmd[0] == 'v' ? arg : NULL) != 0)
			ui_message(ui, 1, "no %s named %s", cmd,
			    arg != NULL ? arg : "");
	} else if (strcmp(cmd, "sort") == 0) {
		if (view_tunnels_sort(ui, home, arg, &err) != 0) {
			ui_message(ui, 1, "%s", err);
			free(err);
		}
	} else if (strcmp(cmd, "debug") == 0 && arg != NULL &&
	    strcmp(arg, "off") == 0) {
		view_tool_stop_all(ui);
		ui_message(ui, 0, "IKE debug off");
	} else if (strcmp(cmd, "export") == 0) {
		/* As E on the view's selection. */
		p = &ui->stack[ui->depth - 1];
		if (!p->v->key(ui, p->st, UA_EXPORT, LINES - 2))
			ui_message(ui, 1, "select a tunnel or a device first");
	} else if (strcmp(cmd, "screendump") == 0 && arg != NULL)
		ui_screendump(ui, arg);
	else if (strcmp(cmd, "at") == 0)
		ui_replay_move(ui, 0, arg);
	else
		ui_message(ui, 1, "unknown command: %s (see ? for the list)",
		    cmd);
}

/* The '/' and ':' line; the filter applies as it is typed. */
static void
ui_prompt_key(struct ui *ui, int fn, wint_t wc)
{
	struct ui_pane	*p = &ui->stack[ui->depth - 1];
	char		 buf[1024], *err = NULL;
	size_t		 n;
	int		 kind = ui->prompt, done = 0, cancel = 0;

	if (!fn && (wc == '\r' || wc == '\n'))
		done = 1;
	else if (!fn && wc == 27)
		cancel = 1;
	else if ((fn && wc == KEY_BACKSPACE) || (!fn && (wc == 127 ||
	    wc == 8))) {
		if (ui->plen == 0)
			cancel = 1;
		else
			ui->plen--;
	} else if (!fn && wc == 21)	/* ^U */
		ui->plen = 0;
	else if (!fn && !iswcntrl(wc) && ui->plen + 1 < 256)
		ui->pbuf[ui->plen++] = (wchar_t)wc;
	else if (fn)
		return;
	ui->pbuf[ui->plen] = L'\0';
	n = wcstombs(buf, ui->pbuf, sizeof buf - 1);
	if (n == (size_t)-1)
		n = 0;
	buf[n] = '\0';
	ui->msg[0] = '\0';
	if (kind == '/' && p->v->filter != NULL) {
		if (p->v->filter(ui, p->st, cancel || n == 0 ? NULL : buf,
		    &err) != 0) {
			/* Said, not fatal: the old filter stays. */
			snprintf(ui->msg, sizeof ui->msg, "%s", err);
			ui->msg_err = 1;
			free(err);
			if (done)
				done = 0;
		}
	}
	if (done || cancel) {
		ui->prompt = 0;
		curs_set(0);
		if (done && kind == ':')
			ui_command(ui, buf);
		if (done && kind == 'S' && ui->pend[0] != NULL)
			view_tool_open(ui, UI_TOOL_SNIFFER, ui->pend[0],
			    ui->pend[1], ui->pend[2], buf);
	}
	ui_dirty(ui);
}

static void
ui_mouse(struct ui *ui)
{
	struct ui_pane	*p = &ui->stack[ui->depth - 1];
	MEVENT		 me;
	int		 i;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		for (i = 0; i < 3; i++)
			p->v->key(ui, p->st, me.bstate & BUTTON4_PRESSED ?
			    UA_UP : UA_DOWN, LINES - 2);
	} else if (p->v->click != NULL && me.y >= 1 && me.y < LINES - 1)
		p->v->click(ui, p->st, me.y - 1);
	ui_dirty(ui);
}

void
ui_key(struct ui *ui, int fn, wint_t wc)
{
	struct ui_pane	*p = &ui->stack[ui->depth - 1];
	enum ui_act	 a;

	if (fn && wc == KEY_RESIZE) {
		ui_dirty(ui);
		return;
	}
	if (fn && wc == KEY_MOUSE) {
		ui_mouse(ui);
		return;
	}
	if (ui->prompt == '/' || ui->prompt == ':' || ui->prompt == 'S') {
		ui_prompt_key(ui, fn, wc);
		return;
	}
	if (ui->prompt == '?') {
		ui->prompt = 0;
		ui->msg[0] = '\0';
		if (!fn && (wc == 'y' || wc == 'Y')) {
			if (ui->yes != NULL)
				ui->yes(ui);
		} else if (ui->no != NULL)
			ui->no(ui);
		ui_dirty(ui);
		return;
	}
	ui->msg[0] = '\0';
	a = keys_lookup((int)wc, fn);
	ui_dirty(ui);
	if (a == UA_NONE)
		return;
	if (p->v->key(ui, p->st, a, LINES - 2))
		return;
	switch (a) {
	case UA_QUIT:
		ui_quit(ui);
		break;
	case UA_HELP:
		if (p->v != &view_help)
			ui_push(ui, &view_help, view_help_new(ui));
		break;
	case UA_FILTER:
		if (p->v->filter == NULL) {
			ui_message(ui, 1, "nothing to filter here");
			break;
		}
		/* FALLTHROUGH */
	case UA_COMMAND:
		ui->prompt = a == UA_FILTER ? '/' : ':';
		ui->plen = 0;
		ui->pbuf[0] = L'\0';
		break;
	case UA_BACK:
		if (ui->depth > 1)
			ui_pop(ui);
		break;
	case UA_TAB:
		if (ui->depth == 1)
			ui_view_switch(ui, UA_DEVICES);
		else if (p->v == &view_devices)
			ui_view_switch(ui, UA_EVENTS);
		else
			ui_view_switch(ui, UA_TUNNELS);
		break;
	case UA_DEVICES:
	case UA_EVENTS:
	case UA_TUNNELS:
		ui_view_switch(ui, a);
		break;
	case UA_FREEZE:
		ui->frozen = !ui->frozen;
		break;
	case UA_REDRAW:
		clearok(curscr, TRUE);
		break;
	case UA_STEP_PREV:
	case UA_STEP_NEXT:
		ui_replay_move(ui, a == UA_STEP_PREV ? -1 : 1, NULL);
		break;
	case UA_DEBUG:
	case UA_SNIFF:
	case UA_SNIFF_EDIT:
	case UA_TRACE:
	case UA_ROUTE:
		ui_message(ui, 1, "select a tunnel first (tunnels view)");
		break;
	case UA_EXPORT:
		ui_message(ui, 1, "select a tunnel or a device first");
		break;
	default:
		break;
	}
}
