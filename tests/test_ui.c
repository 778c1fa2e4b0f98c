/* SPDX-License-Identifier: ISC */
/*
 * test_ui - the dashboard's views in process: curses on /dev/null
 * (newterm with LINES and COLUMNS set, no tty needed), a model filled
 * from the real walk-through captures, keys fed as wget_wch returns
 * them, and the composed screen read back from curscr.
 *
 * What the captures mean (tests/sim/scenarios/walkthrough.scn):
 * to10.174.0.182 up with 1/1 selectors; to10.189.0.182 down, phase 1
 * "connecting", its selector at sa=0.  A second device whose login was
 * refused shows its state and sentence in place of its tunnels.  The
 * ADVPN capture has HUB with two dial-up children, HUB_0 and HUB_1.
 */
#include "config.h"

#include <sys/stat.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_gateway.h"
#include "model.h"
#include "testutil.h"
#include "tunnel_list.h"
#include "tunnel_summary.h"
#include "ui_int.h"

struct fx {
	struct model	*m;
	struct ui	*ui;
	FILE		*out;
	FILE		*in;
	char		 path[64];
};

static void
merge(struct mvdom *v, const char *rel, int what, double now)
{
	char	*text;
	size_t	 len;
	void	*r;

	text = tu_fixture(rel, &len);
	if (what == 0) {
		r = tunnel_summary_parse(text, len);
		assert_non_null(r);
		model_merge_summary(v, r, 1, now);
		tunnel_summary_free(r);
	} else if (what == 1) {
		r = ike_gateway_list_parse(text, len);
		assert_non_null(r);
		model_merge_gateways(v, r, 0, now);
		ike_gateway_list_free(r);
	} else {
		r = tunnel_list_parse(text, len);
		assert_non_null(r);
		model_merge_tunnels(v, r, what == 3, now);
		tunnel_list_free(r);
	}
	free(text);
}

/* The walk-through box, a refused box and (hub) an ADVPN hub. */
static struct model *
walkthrough(int hub)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", "127.0.0.1", 22);
	struct mdev	*d2 = model_add_device(m, "fw2", "127.0.0.2", 22);
	struct mvdom	*v = model_vdom(d, "root");
	double		 now = ui_now();

	model_device_state(d, MDEV_UP, NULL, now);
	model_round_begin(d);
	merge(v, "real/tunnel-summary/"
	    "00-walkthrough-jp-blog-2-tunnels-one-down.txt", 0, now);
	merge(v, "real/ike-gateway-list/"
	    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt", 1, now);
	merge(v, "real/tunnel-list/00-walkthrough-jp-blog-by-name-sa0.txt",
	    2, now);
	if (hub)
		merge(model_vdom(d, "hub"),
		    "real/tunnel-list/04-advpn-hub-children-ads.txt", 3, now);
	model_round_end(d, now, 12);
	model_device_state(d2, MDEV_AUTH_FAILED, "authentication refused",
	    now);
	return (m);
}

static struct fx *
fx_new(int lines, int cols, int hub, const char *out)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	struct ui_term	 term;
	char		 n[16], *err = NULL;

	assert_non_null(fx);
	snprintf(n, sizeof n, "%d", lines);
	setenv("LINES", n, 1);
	snprintf(n, sizeof n, "%d", cols);
	setenv("COLUMNS", n, 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	fx->m = walkthrough(hub);
	fx->out = fopen(out != NULL ? out : "/dev/null", "w");
	fx->in = fopen("/dev/null", "r");
	assert_non_null(fx->out);
	assert_non_null(fx->in);
	memset(&term, 0, sizeof term);
	term.out = fx->out;
	term.in = fx->in;
	term.type = "xterm-256color";
	term.no_input = 1;
	fx->ui = ui_new(NULL, fx->m, NULL, "DEMO", &term, &err);
	assert_non_null(fx->ui);
	ui_draw(fx->ui);
	return (fx);
}

static void
fx_free(struct fx *fx)
{
	ui_free(fx->ui);
	model_free(fx->m);
	fclose(fx->out);
	fclose(fx->in);
	free(fx);
}

/* Row y of the composed screen as UTF-8, trailing blanks removed. */
static const char *
row(int y)
{
	static char	 buf[2048];
	wchar_t		 w[512];
	size_t		 n;
	int		 k;

	k = mvwinnwstr(curscr, y, 0, w, COLS < 511 ? COLS : 511);
	tu_assert_cmp(k, >=, 0);
	w[k] = L'\0';
	n = wcstombs(buf, w, sizeof buf - 1);
	tu_assert_cmp(n, !=, (size_t)-1);
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return (buf);
}

/* The first row holding text, or -1. */
static int
find_row(const char *text)
{
	int	 y;

	for (y = 0; y < LINES; y++)
		if (strstr(row(y), text) != NULL)
			return (y);
	return (-1);
}

static void
type(struct fx *fx, const char *keys)
{
	for (; *keys != '\0'; keys++)
		ui_key(fx->ui, 0, (wint_t)(unsigned char)*keys);
	ui_draw(fx->ui);
}

static void
fnkey(struct fx *fx, int key)
{
	ui_key(fx->ui, 1, (wint_t)key);
	ui_draw(fx->ui);
}

/* The home view: the refused device, then down before up, in columns. */
static void
test_home(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);

	assert_non_null(strstr(row(0), " fgtop  DEMO   devices 1/2 up  "
	    "tunnels 2  down 1  degraded 0  alerts -"));
	assert_string_equal(row(1), "  DEVICE        VDOM     TUNNEL        "
	    "       REMOTE GW       PHASE 1       SEL   RX/s   TX/s   ERR "
	    "SINCE FINDING");
	assert_string_equal(row(2), "\u2717 fw2           device "
	    "auth-failed: authentication refused");
	assert_string_equal(row(3), "\u2717 fw1           root     "
	    "to10.189.0.182       10.189.0.182    connecting    0/1      -  "
	    "    -     0   <1m -");
	assert_string_equal(row(4), "\u2713 fw1           root     "
	    "to10.174.0.182       10.174.0.182    -             1/1      -  "
	    "    -     2   <1m -");
	assert_string_equal(row(39), "Enter detail  / filter  < > sort  + "
	    "unfold  D devices  e events  ? help  q quit");
	fx_free(fx);
}

/* / filter, Enter, Enter: the detail says sa=0 in words. */
static void
test_filter_detail(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	int		 y;

	type(fx, "/to10.189");
	assert_string_equal(row(39), "/to10.189");
	type(fx, "\r");
	assert_int_equal(find_row("to10.174.0.182"), -1);
	assert_int_equal(find_row("fw2"), -1);
	assert_int_equal(find_row("to10.189.0.182"), 2);
	type(fx, "\r");
	assert_string_equal(row(1), "\u2717 to10.189.0.182   device fw1   "
	    "VDOM root   down since <1m   selectors 0/1");
	y = find_row("sa=0");
	tu_assert_cmp(y, >, 0);
	assert_string_equal(row(y), "  to10.189.0.182  sa=0  no IPsec SA: "
	    "selector or proposal mismatch, or no traffic has started it "
	    "yet");
	tu_assert_cmp(find_row("  status connecting   direction responder   "
	    "IKEv1   interface port9"), >, 0);
	/* Esc goes back to the filtered table. */
	type(fx, "\033");
	assert_int_equal(find_row("to10.189.0.182"), 2);
	/* Inverse filter: everything but it. */
	type(fx, "/!to10.189\r");
	assert_int_equal(find_row("to10.189.0.182"), -1);
	tu_assert_cmp(find_row("to10.174.0.182"), >, 0);
	fx_free(fx);
}

/* fw1's tunnel name, its history emptied for a test to write. */
static struct mtun *
history_of(struct fx *fx, const char *name)
{
	struct mtun	*t;

	t = model_tunnel(fx->m->devs[0]->vdoms[0], name);
	assert_non_null(t);
	model_history_clear(&t->hist);
	return (t);
}

/* The keys open a tunnel's detail: its history line is row 3. */
static int
history_row(struct fx *fx, const char *keys)
{
	fx->m->dirty++;
	type(fx, keys);
	assert_int_equal(find_row("history  "), 3);
	return (3);
}

/*
 * The detail's history: up half an hour ago, down a minute ten minutes
 * ago, up since: the numbers, and the sparkline (a cell a minute of the
 * last hour: blank before fgtop knew, full up, low down).
 */
static void
test_history_detail(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	struct mtun	*t;
	const char	*r, *p;
	double		 now = ui_now();
	size_t		 cells = 0, down = 0, first_down = 0;
	int		 y;

	t = history_of(fx, "to10.174.0.182");
	model_history_note(t, MTUN_UP, now - 1800);
	model_history_note(t, MTUN_DOWN, now - 600);
	model_history_note(t, MTUN_UP, now - 540);
	y = history_row(fx, "/to10.174\r\r");
	assert_string_equal(row(y), "history  up 9m00s   flaps 1 in the last "
	    "hour   down 60s in 24 h");
	r = row(y + 1);
	tu_assert_prefix(r, "  -1h [");
	assert_string_equal(r + strlen(r) - 5, "] now");
	/* 60 cells: 30 blank, then up, a minute or so down, up again. */
	for (p = r + 7; *p != ']'; cells++) {
		if (strncmp(p, "\u2581", 3) == 0 && down++ == 0)
			first_down = cells;
		if (cells < 29)
			assert_int_equal(*p, ' ');
		if (cells >= 31 && strncmp(p, "\u2581", 3) != 0)
			tu_assert_prefix(p, "\u2588");
		p += *p == ' ' ? 1 : 3;
	}
	assert_int_equal(cells, 60);
	assert_in_range(down, 1, 3);
	assert_in_range(first_down, 48, 50);
	fx_free(fx);
}

/*
 * A tunnel fgtop first saw down 7 s ago: the history says so ("down 7s",
 * not "up no"), and the sparkline's last cell, the minute it is in, is
 * down; the 59 before it are blank (nothing known then).
 */
static void
test_history_down(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	struct mtun	*t;
	char		 want[128];
	int		 y;

	t = history_of(fx, "to10.189.0.182");
	model_history_note(t, MTUN_DOWN, ui_now() - 7);
	y = history_row(fx, "/to10.189\r\r");
	assert_string_equal(row(y), "history  down 7s   flaps 0 in the last "
	    "hour   down 7s in 24 h");
	snprintf(want, sizeof want, "  -1h [%59s\u2581] now", "");
	assert_string_equal(row(y + 1), want);
	/* Up now: the same line says so, the 7 s down kept. */
	model_history_note(t, MTUN_UP, ui_now());
	fx->m->dirty++;
	ui_draw(fx->ui);
	assert_string_equal(row(y), "history  up 0s   flaps 0 in the last "
	    "hour   down 7s in 24 h");
	fx_free(fx);
}

/*
 * ui_scroll, the one scrolling of every view: a position in 0..last,
 * then the events view (top line) and the help (top line) through it.
 */
static void
test_scroll(void **state)
{
	static const struct {
		enum ui_act	 a;
		size_t		 want;
	} steps[] = {
		{ UA_DOWN, 1 }, { UA_PGDN, 5 }, { UA_PGDN, 9 }, { UA_PGDN, 10 },
		{ UA_DOWN, 10 }, { UA_UP, 9 }, { UA_PGUP, 5 }, { UA_PGUP, 1 },
		{ UA_PGUP, 0 }, { UA_UP, 0 }, { UA_BOTTOM, 10 }, { UA_TOP, 0 },
	};
	struct fx	*fx;
	struct mevent	 ev[5];
	char		 tun[5][8], line[64], dev[] = "fw1", vdom[] = "root";
	char		 down[] = "down";
	size_t		 pos = 0, i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(ui_scroll(&pos, steps[i].a, 4, 10), 1);
		assert_int_equal(pos, steps[i].want);
	}
	assert_int_equal(ui_scroll(&pos, UA_ENTER, 4, 10), 0);
	assert_int_equal(pos, 0);

	fx = fx_new(40, 132, 0, NULL);
	memset(ev, 0, sizeof ev);
	for (i = 0; i < 5; i++) {
		snprintf(tun[i], sizeof tun[i], "ev%zu", i);
		ev[i].next = i < 4 ? &ev[i + 1] : NULL;
		ev[i].time = ui_now();
		ev[i].type = "tunnel-state";
		ev[i].device = dev;
		ev[i].vdom = vdom;
		ev[i].tunnel = tun[i];
		ev[i].to = down;
	}
	ui_events(fx->ui, ev);
	type(fx, "e");
	/* Newest first: ev4 on the first line under the header. */
	assert_non_null(strstr(row(2), " ev4 "));
	assert_non_null(strstr(row(6), " ev0 "));
	/* The bottom is the oldest event alone; a page more stays there. */
	type(fx, "G ");
	assert_non_null(strstr(row(2), " ev0 "));
	assert_string_equal(row(3), "");
	type(fx, "k");
	assert_non_null(strstr(row(2), " ev1 "));
	assert_non_null(strstr(row(3), " ev0 "));
	type(fx, "g");
	assert_non_null(strstr(row(2), " ev4 "));
	fx_free(fx);
	/* The help, 18 lines of it: its last line at the bottom, then up. */
	fx = fx_new(20, 132, 0, NULL);
	snprintf(line, sizeof line, "  sa=2  %s", ui_sa_meaning(2));
	type(fx, "?");
	assert_int_equal(find_row(line), -1);
	type(fx, "G");
	assert_int_equal(find_row(line), 18);
	type(fx, "j");
	assert_int_equal(find_row(line), 18);
	type(fx, "k");
	assert_int_equal(find_row(line), -1);
	assert_int_equal(find_row("  sa=1  IPsec SA up"), 18);
	fx_free(fx);
}

/* An invalid regex is said on the prompt line, not fatal. */
static void
test_bad_regex(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);

	type(fx, "/to(10");
	assert_non_null(strstr(row(39), "filter: "));
	type(fx, "\033");
	/* The table is whole again. */
	assert_int_equal(find_row("to10.174.0.182"), 4);
	type(fx, "/^to10\\.17[0-9]\r");
	assert_int_equal(find_row("to10.174.0.182"), 2);
	assert_int_equal(find_row("to10.189.0.182"), -1);
	fx_free(fx);
}

/* Help is the keymap: a remapped key shows up in it. */
static void
test_help_keymap(void **state)
{
	struct fx	*fx = fx_new(60, 132, 0, NULL);
	char		*err = NULL;
	int		 y;

	assert_int_equal(keys_bind("quit", "x", &err), 0);
	assert_int_equal(keys_lookup('x', 0), UA_QUIT);
	assert_int_equal(keys_bind("nope", "x", &err), -1);
	assert_string_equal(err, "no such action: nope");
	free(err);
	type(fx, "?");
	assert_string_equal(row(1), "fgtop keys (Esc or q: back)");
	y = find_row(" move down ");
	tu_assert_cmp(y, >, 0);
	assert_string_equal(row(y), "  j Down               down           "
	    "move down  (everywhere)");
	y = find_row("quit (asks");
	assert_string_equal(row(y), "  q F10 x              quit           "
	    "quit (asks when IKE debug runs)  (everywhere)");
	fx_free(fx);
}

/* Device text with escapes and controls is drawn harmless. */
static void
test_sanitize(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);

	ui_put(5, 0, 20, A_NORMAL, "a\033[2Jb\007c\xff" "d");
	wnoutrefresh(stdscr);
	doupdate();
	assert_string_equal(row(5), "a?[2Jb?c?d");
	fx_free(fx);
}

/* 80x24: the columns that fit, the rows still readable. */
static void
test_resize(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);

	resizeterm(24, 80);
	ui_draw(fx->ui);
	assert_int_equal(COLS, 80);
	assert_string_equal(row(1), "  DEVICE        TUNNEL"
	    "               PHASE 1       SEL   ERR FINDING");
	assert_string_equal(row(3), "\u2717 fw1           to10.189.0.182"
	    "       connecting    0/1     0 -");
	assert_string_equal(row(23), "Enter detail  / filter  < > sort  + "
	    "unfold  D devices  e events  ? help  q quit");
	fx_free(fx);
}

/* Sort by tunnel name, then reversed. */
static void
test_sort(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);

	type(fx, ":sort tunnel\r");
	assert_int_equal(find_row("to10.174.0.182"), 3);
	assert_int_equal(find_row("to10.189.0.182"), 4);
	type(fx, "I");
	assert_int_equal(find_row("to10.189.0.182"), 2);
	assert_int_equal(find_row("to10.174.0.182"), 3);
	type(fx, ":sort nonsense\r");
	assert_non_null(strstr(row(39), "sort by one of: severity"));
	/* The status bar counts this model, not the previous test's. */
	assert_non_null(strstr(row(0), "devices 1/2 up  tunnels 2  down 1"));
	fx_free(fx);
}

/* Dial-up children fold under their parent; + unfolds them. */
static void
test_children(void **state)
{
	struct fx	*fx = fx_new(40, 132, 1, NULL);
	const char	*d, *v, *t = "";
	int		 y, i;

	/* The status bar counts this model, not the previous test's. */
	assert_non_null(strstr(row(0), "devices 1/2 up  tunnels 5  down 1"));
	y = find_row("+ HUB (+2)");
	tu_assert_cmp(y, >, 0);
	assert_int_equal(find_row("HUB_0"), -1);
	/* Select the parent (move down to it), unfold. */
	for (i = 0; i < 10; i++) {
		if (view_tunnels_selected(fx->ui->stack[0].st, &d, &v,
		    &t) == 0 && strcmp(t, "HUB") == 0)
			break;
		fnkey(fx, KEY_DOWN);
	}
	assert_string_equal(t, "HUB");
	type(fx, "+");
	assert_int_equal(find_row("- HUB (+2)"), y);
	assert_int_equal(find_row("\u2514 HUB_0"), y + 1);
	assert_int_equal(find_row("\u2514 HUB_1"), y + 2);
	type(fx, "-");
	assert_int_equal(find_row("HUB_0"), -1);
	/* The filter finds folded children. */
	type(fx, "/HUB_1\r");
	assert_int_equal(find_row("HUB_1"), 2);
	fx_free(fx);
}

/* The colour pair of the cell at (y, x) of the composed screen. */
static short
pair_at(int y, int x)
{
	cchar_t	 cc;
	wchar_t	 wc[CCHARW_MAX + 1];
	attr_t	 a;
	short	 pair;

	assert_int_equal(mvwin_wch(curscr, y, x, &cc), OK);
	assert_int_equal(getcchar(&cc, wc, &a, &pair, NULL), OK);
	return (pair);
}

/* A tunnel that changed is highlighted; one merely added is not. */
static void
test_highlight(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	struct mevent	 ev;
	char		 type[] = "tunnel-added", dev[] = "fw1", vdom[] = "root";
	char		 tun[] = "to10.174.0.182", to[] = "down";

	memset(&ev, 0, sizeof ev);
	ev.time = ui_now();
	ev.type = type;
	ev.device = dev;
	ev.vdom = vdom;
	ev.tunnel = tun;
	ev.to = to;
	ui_events(fx->ui, &ev);
	ui_draw(fx->ui);
	assert_int_equal(find_row("to10.174.0.182"), 4);
	assert_int_equal(pair_at(4, 26), 0);
	ev.type = "tunnel-state";
	ui_events(fx->ui, &ev);
	ui_draw(fx->ui);
	assert_int_equal(pair_at(4, 26), UR_CHANGED);
	/* Its device column is not. */
	assert_int_equal(pair_at(4, 2), 0);
	fx_free(fx);
}

/* A click selects the row under it; Enter then opens that tunnel. */
static void
test_mouse(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	MEVENT		 me;

	memset(&me, 0, sizeof me);
	me.y = find_row("to10.174.0.182");
	me.x = 30;
	me.bstate = BUTTON1_CLICKED;
	assert_int_equal(me.y, 4);
	assert_int_equal(ungetmouse(&me), OK);
	ui_key(fx->ui, 1, KEY_MOUSE);
	type(fx, "\r");
	assert_non_null(strstr(row(1), " to10.174.0.182   device fw1"));
	fx_free(fx);
}

/* The diagnosis as the engine will hand it over: one finding. */
static char fake_finding[] = "finding";

static size_t
fake_count(const struct mtun *t)
{
	return (t->findings == fake_finding ? 1 : 0);
}

static int
fake_get(const struct mtun *t, size_t i, struct ui_finding *f)
{
	if (t->findings != fake_finding || i != 0)
		return (-1);
	f->rule = "ST-P1-DOWN";
	f->severity = 2;
	f->title = "phase 1 never completes";
	f->evidence = "status connecting for 15 s";
	f->next = "IKE debug for the peer";
	f->fix = NULL;
	return (0);
}

/* Findings fill the column, the alert count and the detail. */
static void
test_findings(void **state)
{
	struct fx		*fx = fx_new(40, 132, 0, NULL);
	struct ui_findings	 ops = { fake_count, fake_get };
	struct mtun		*t;
	int			 y;

	t = ui_tunnel(fx->ui, "fw1", "root", "to10.189.0.182");
	assert_non_null(t);
	t->findings = fake_finding;
	ui_set_findings(fx->ui, &ops);
	fx->m->dirty++;
	ui_draw(fx->ui);
	assert_non_null(strstr(row(0), "alerts 1"));
	assert_non_null(strstr(row(3), "0   <1m phase 1 never completes"));
	assert_non_null(strstr(row(4), "2   <1m -"));
	type(fx, "/to10.189\r\r");
	y = find_row("[ST-P1-DOWN]");
	tu_assert_cmp(y, >, 0);
	assert_string_equal(row(y), "  [ST-P1-DOWN] phase 1 never completes");
	assert_string_equal(row(y + 1), "    evidence: status connecting for "
	    "15 s");
	assert_string_equal(row(y + 2), "    next: IKE debug for the peer  "
	    "(d debug, s sniffer, t traceroute, r route)");
	t->findings = NULL;
	fx_free(fx);
}

/* theme mono: no colour pair anywhere; an unknown theme is said. */
static void
test_theme(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	char		*err = NULL;

	assert_int_equal(pair_at(3, 0), UR_DOWN);
	assert_int_equal(ui_theme(fx->ui, "dark", &err), -1);
	assert_string_equal(err, "no theme named dark (default, mono)");
	free(err);
	assert_int_equal(ui_theme(fx->ui, "mono", &err), 0);
	ui_draw(fx->ui);
	assert_int_equal(pair_at(3, 0), 0);
	assert_int_equal(pair_at(0, 0), 0);
	assert_int_equal(pair_at(1, 0), 0);
	fx_free(fx);
}

/* :screendump writes what the screen shows. */
static void
test_screendump(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	char		 path[] = "/tmp/fgtop-test-dump.XXXXXX", cmd[64];
	char		 want[2][256], line[512];
	FILE		*f;
	int		 fd;

	tu_assert_cmp(fd = mkstemp(path), >=, 0);
	close(fd);
	snprintf(want[0], sizeof want[0], "%s", row(1));
	snprintf(want[1], sizeof want[1], "%s", row(3));
	snprintf(cmd, sizeof cmd, ":screendump %s\r", path);
	type(fx, cmd);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(fgets(line, sizeof line, f));
	line[strcspn(line, "\n")] = '\0';
	assert_string_equal(line, want[0]);
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(fgets(line, sizeof line, f));
	line[strcspn(line, "\n")] = '\0';
	assert_string_equal(line, want[1]);
	fclose(f);
	unlink(path);
	fx_free(fx);
}

/* Redrawing an unchanged screen writes no byte to the terminal. */
static void
test_unchanged_zero_bytes(void **state)
{
	char		 path[] = "/tmp/fgtop-test-ui.XXXXXX";
	struct stat	 st1, st2;
	struct fx	*fx;
	int		 fd;

	tu_assert_cmp(fd = mkstemp(path), >=, 0);
	close(fd);
	fx = fx_new(40, 132, 0, path);
	ui_draw(fx->ui);
	fflush(fx->out);
	assert_int_equal(stat(path, &st1), 0);
	tu_assert_cmp(st1.st_size, >, 300);
	ui_draw(fx->ui);
	ui_draw(fx->ui);
	fflush(fx->out);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st2.st_size, st1.st_size);
	/* A key that moves the selection does write. */
	fnkey(fx, KEY_DOWN);
	fflush(fx->out);
	assert_int_equal(stat(path, &st2), 0);
	tu_assert_cmp(st2.st_size, >, st1.st_size);
	fx_free(fx);
	unlink(path);
}

/* The tool keys without an engine: the pane says so. */
static void
test_tools_unavailable(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);

	/* The refused device's row is selected: no tunnel there. */
	type(fx, "d");
	assert_string_equal(row(39), "select a tunnel first");
	fnkey(fx, KEY_DOWN);
	type(fx, "d");
	assert_string_equal(row(1), "IKE debug  ended  device fw1  VDOM root  "
	    "tunnel to10.189.0.182");
	assert_string_equal(row(38), "reading: IKE debug is not in the "
	    "dashboard yet; from a shell: fgtop debug fw1 --peer "
	    "to10.189.0.182");
	type(fx, "\033r");
	assert_string_equal(row(38), "reading: route lookup is not in the "
	    "dashboard yet; from a shell: fgtop route fw1 10.189.0.182");
	/* The detail view lists the readings under Tools. */
	type(fx, "\033\r");
	tu_assert_cmp(find_row("  route lookup  route lookup is not in the "
	    "dashboard yet"), >, 0);
	tu_assert_cmp(find_row("  IKE debug     IKE debug is not in the "
	    "dashboard yet"), >, 0);
	fx_free(fx);
}

/* A stand-in engine: records what the ui asked. */
struct fake {
	char	 asked[256];
	char	 param[256];
	int	 stopped;
	int	 kept;
	int	 quit;
};

static int
fake_tool(void *arg, enum ui_tool kind, const char *dev, const char *vdom,
    const char *tun, const char *param, unsigned *id, char **err)
{
	struct fake	*f = arg;

	snprintf(f->asked, sizeof f->asked, "%d %s %s %s", (int)kind, dev,
	    vdom, tun);
	snprintf(f->param, sizeof f->param, "%s", param != NULL ? param :
	    "(none)");
	*id = 7;
	return (0);
}

static void
fake_stop(void *arg, unsigned id, int keep)
{
	struct fake	*f = arg;

	f->stopped = (int)id;
	f->kept = keep;
}

static void
fake_quit(void *arg)
{
	((struct fake *)arg)->quit = 1;
}

/*
 * The tool pane as the engine will feed it: lines stream in, the badge
 * shows, leaving asks whether to keep debug, q asks and turns it off.
 */
static void
test_tool_stream(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	struct fake	 f;
	char		 dir[] = "/tmp/fgtop-test-save.XXXXXX", cwd[1024];
	char		 path[2048], line[256];
	FILE		*f2;

	memset(&f, 0, sizeof f);
	fx->ui->act.arg = &f;
	fx->ui->act.tool = fake_tool;
	fx->ui->act.tool_stop = fake_stop;
	fx->ui->act.quit = fake_quit;
	fnkey(fx, KEY_DOWN);
	/* S: the sniffer filter is edited first, then passed on. */
	type(fx, "S");
	assert_string_equal(row(39), "sniffer filter: host 10.189.0.182 and "
	    "(port 500 or port 4500)");
	ui_key(fx->ui, 1, KEY_BACKSPACE);
	ui_key(fx->ui, 1, KEY_BACKSPACE);
	type(fx, "1)\r");
	assert_string_equal(f.param, "host 10.189.0.182 and (port 500 or "
	    "port 4501)");
	assert_string_equal(f.asked, "1 fw1 root to10.189.0.182");
	type(fx, "\033");
	type(fx, "d");
	assert_string_equal(f.asked, "0 fw1 root to10.189.0.182");
	ui_debug_badge(fx->ui, "fw1", "10.189.0.182", ui_now() - 65);
	ui_tool_line(fx->ui, 7, "ike 0:to10.189.0.182: out \033[31mred",
	    UI_LINE_PLAIN);
	ui_tool_line(fx->ui, 8, "another tool's line", UI_LINE_FAIL);
	ui_tool_line(fx->ui, 7, "negotiation failure", UI_LINE_FAIL);
	ui_draw(fx->ui);
	assert_non_null(strstr(row(0), " DEBUG ON fw1 10.189.0.182 01:0"));
	assert_string_equal(row(1), "IKE debug  running  device fw1  VDOM "
	    "root  tunnel to10.189.0.182");
	assert_string_equal(row(2), "ike 0:to10.189.0.182: out ?[31mred");
	assert_int_equal(pair_at(2, 0), 0);
	assert_string_equal(row(3), "negotiation failure");
	assert_int_equal(pair_at(3, 0), UR_DOWN);
	assert_string_equal(row(4), "");
	assert_string_equal(row(38), "reading: (running)");
	/* w saves the pane's lines in the current directory. */
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	type(fx, "w");
	assert_non_null(strstr(row(39), "saved 2 lines to fgtop-debug-"));
	snprintf(path, sizeof path, "%s/%s", dir, strstr(row(39),
	    "fgtop-debug-"));
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(f2 = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof line, f2));
	assert_string_equal(line, "ike 0:to10.189.0.182: out ?[31mred\n");
	assert_non_null(fgets(line, sizeof line, f2));
	assert_string_equal(line, "negotiation failure\n");
	assert_null(fgets(line, sizeof line, f2));
	fclose(f2);
	unlink(path);
	rmdir(dir);
	/* Esc asks; n keeps debug running and leaves. */
	type(fx, "\033");
	assert_string_equal(row(39), "Turn IKE debug off on fw1? (y/n)");
	type(fx, "n");
	assert_int_equal(f.stopped, 0);
	assert_non_null(strstr(row(0), "DEBUG ON fw1"));
	/* q asks too; y turns debug off, then quits. */
	type(fx, "q");
	assert_string_equal(row(39), "IKE debug is running on fw1: turn it "
	    "off and quit? (y/n)");
	assert_int_equal(f.quit, 0);
	type(fx, "y");
	assert_int_equal(f.stopped, 7);
	assert_int_equal(f.kept, 0);
	assert_int_equal(f.quit, 1);
	assert_null(strstr(row(0), "DEBUG ON"));
	fx_free(fx);
}

/* A stand-in for the engine's export: records, or refuses. */
static int
fake_export(void *arg, const char *dev, const char *vdom, const char *tun,
    char **err)
{
	struct fake	*f = arg;

	snprintf(f->asked, sizeof f->asked, "%s %s %s", dev,
	    vdom != NULL ? vdom : "-", tun != NULL ? tun : "-");
	if (strcmp(dev, "fw2") == 0) {
		*err = strdup("fw2 is auth-failed");
		return (-1);
	}
	return (0);
}

/*
 * E and :export: the selected tunnel's bundle on the tunnels and detail
 * views, the device's on the devices view and on a device's row; what
 * the engine says comes back on the prompt line.
 */
static void
test_export(void **state)
{
	struct fx	*fx = fx_new(40, 132, 0, NULL);
	struct fake	 f;

	memset(&f, 0, sizeof f);
	fnkey(fx, KEY_DOWN);
	type(fx, "E");
	assert_string_equal(row(39), "export: not available in this build");
	fx->ui->act.arg = &f;
	fx->ui->act.export = fake_export;
	type(fx, "E");
	assert_string_equal(f.asked, "fw1 root to10.189.0.182");
	assert_string_equal(row(39), "making the bundle of to10.189.0.182 on "
	    "fw1...");
	ui_notice(fx->ui, 0, "bundle written: /tmp/b/fgtop-fw1.tar.gz");
	ui_draw(fx->ui);
	assert_string_equal(row(39), "bundle written: /tmp/b/fgtop-fw1.tar.gz");
	memset(f.asked, 0, sizeof f.asked);
	type(fx, ":export\r");
	assert_string_equal(f.asked, "fw1 root to10.189.0.182");
	/* The detail view: its tunnel. */
	memset(f.asked, 0, sizeof f.asked);
	type(fx, "\rE");
	assert_string_equal(f.asked, "fw1 root to10.189.0.182");
	/* A device's row (the refused fw2 is first): the device's. */
	type(fx, "\033");
	fnkey(fx, KEY_UP);
	type(fx, "E");
	assert_string_equal(f.asked, "fw2 - -");
	assert_string_equal(row(39), "fw2 is auth-failed");
	/* The devices view: the selected device. */
	type(fx, "DE");
	assert_string_equal(f.asked, "fw1 - -");
	assert_string_equal(row(39), "making the bundle of fw1...");
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home),
		cmocka_unit_test(test_filter_detail),
		cmocka_unit_test(test_history_detail),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_history_down),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_help_keymap),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_children),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_theme),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_screendump),
		cmocka_unit_test(test_unchanged_zero_bytes),
		cmocka_unit_test(test_tools_unavailable),
		cmocka_unit_test(test_tool_stream),
		cmocka_unit_test(test_export),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
