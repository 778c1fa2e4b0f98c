/* SPDX-License-Identifier: ISC */
/*
 * ui_int - what the dashboard's files share: the ui state, the view
 * vtable, the keymap's actions and the drawing helpers.
 *
 * A view is a `const struct ui_view` (draw / key / filter / free), like
 * tmux's window_mode: one file each.  Views are stacked: the tunnels
 * table at the bottom, Enter pushes the detail, Esc pops.  A view draws
 * into the rectangle between the status bar and the prompt line of
 * stdscr; ncurses diffs the frame against the screen, so an unchanged
 * frame writes nothing.
 *
 * Ownership: the ui owns its views (ui_push / ui_pop free them), the
 * events it copied and every string in it.  Model pointers are only
 * held for the span of one callback: a view keeps names and looks the
 * tunnel up again (ui_tunnel) each time it draws.
 */
#ifndef UI_INT_H
#define UI_INT_H

#include <curses.h>
#include <regex.h>
#include <stdint.h>
#include <wchar.h>

#include "model.h"
#include "ui.h"

struct mdev;
struct mvdom;

/* Everything a key can do; keys.c maps keys to these. */
enum ui_act {
	UA_NONE = 0,
	UA_UP, UA_DOWN, UA_PGUP, UA_PGDN, UA_TOP, UA_BOTTOM,
	UA_ENTER, UA_BACK, UA_TAB, UA_EXPAND,
	UA_FILTER, UA_COMMAND, UA_HELP, UA_QUIT,
	UA_SORT_NEXT, UA_SORT_PREV, UA_SORT_REVERSE, UA_FREEZE,
	UA_DEVICES, UA_EVENTS, UA_TUNNELS,
	UA_DEBUG, UA_SNIFF, UA_SNIFF_EDIT, UA_TRACE, UA_ROUTE,
	UA_NEXT, UA_PREV, UA_FOLLOW, UA_SAVE, UA_RECONNECT, UA_REDRAW,
	UA_EXPORT,
	UA_STEP_PREV, UA_STEP_NEXT,
	UA_COUNT
};

/* One binding: key (a character, or a KEY_* code when fn) -> action. */
struct ui_key {
	int		 key;
	int		 fn;
	enum ui_act	 act;
};

/* An action's name (for remapping and :commands) and its help. */
struct ui_act_info {
	const char	*name;
	const char	*where;		/* "everywhere", "tunnels", ... */
	const char	*help;
};

enum ui_act	 keys_lookup(int key, int fn);
const struct ui_act_info *keys_info(enum ui_act);
/* The keys bound to act, as "j, Down", into buf. */
void		 keys_names(enum ui_act, char *buf, size_t len);
/* The i-th binding of the keymap (for help); NULL past the end. */
const struct ui_key *keys_binding(size_t);
/* Bind key (a name: "x", "^L", "F5", "Enter") to the action named. */
int		 keys_bind(const char *action, const char *key, char **err);
/* A key's printable name ("j", "Enter", "PgDn"). */
const char	*keys_keyname(int key, int fn);

/* Colour pairs / attributes by role (ui.c picks them per terminal). */
enum ui_role {
	UR_NORMAL = 0, UR_HEADER, UR_SELECTED, UR_DOWN, UR_DEGRADED, UR_UP,
	UR_UNKNOWN, UR_DIM, UR_STATUS, UR_BADGE, UR_CHANGED, UR_ERROR,
	UR_TITLE, UR_MARK, UR_COUNT
};

struct ui;
struct ui_view {
	const char	*name;
	void		 (*draw)(struct ui *, void *, int y, int x, int h,
			    int w);
	/* 1 when the view used the action. */
	int		 (*key)(struct ui *, void *, enum ui_act, int h);
	/* The '/' filter text changed (NULL: cleared); 0, or -1 + err. */
	int		 (*filter)(struct ui *, void *, const char *,
			    char **err);
	/* A mouse click at row y of the view. */
	void		 (*click)(struct ui *, void *, int y);
	void		 (*free)(void *);
};

struct ui_pane {
	const struct ui_view	*v;
	void			*st;
};

/*
 * The events the ui keeps, newest last: a ring of struct mevent (model.h)
 * filled with mevent_copy and emptied with mevent_clear, the model's one
 * home for an event's strings.
 */
#define UI_EVENTS	2000

/* A recent change, highlighted for a moment. */
struct ui_hl {
	char	*key;		/* device \t vdom \t tunnel */
	double	 until;
};
#define UI_HL		64
#define UI_HL_SECONDS	3.0

/* A live tool's pane (view_tool.c keeps the rest). */
struct ui_tool_pane;

#define UI_STACK	8

struct ui {
	uv_loop_t		*loop;
	struct model		*model;
	struct ui_actions	 act;
	struct ui_findings	 find;
	int			 have_find;
	char			*mark;
	SCREEN			*scr;
	FILE			*out;
	FILE			*in;
	int			 in_fd;
	int			 in_flags;	/* to restore */
	int			 own_in;	/* in is our /dev/tty */
	int			 utf8;
	int			 colors;	/* 0, 8 or 256 */
	chtype			 attr[UR_COUNT];
	/* Handles. */
	uv_poll_t		 poll;
	uv_signal_t		 winch;
	uv_timer_t		 redraw;
	uv_timer_t		 tick;
	int			 has_poll;
	int			 open;		/* handles not closed */
	uint64_t		 last_frame;	/* uv_now */
	int			 dirty;
	unsigned		 model_seen;
	unsigned		 model_gen;	/* bumped per model change seen */
	int			 frozen;
	int			 quitting;
	double			 replay_at;	/* replay: the moment shown */
	/* Views. */
	struct ui_pane		 stack[UI_STACK];
	int			 depth;
	/*
	 * Prompt line: '/' filter, ':' command, 'S' the sniffer filter for
	 * the tunnel in pend[] (device, VDOM, tunnel), '?' yes/no, 0 none.
	 */
	char			*pend[3];
	int			 prompt;
	wchar_t			 pbuf[256];
	size_t			 plen;
	void			 (*yes)(struct ui *);
	void			 (*no)(struct ui *);
	char			 msg[256];
	int			 msg_err;
	/* Events, a ring. */
	struct mevent		 ev[UI_EVENTS];
	size_t			 ev_head;	/* oldest */
	size_t			 nev;
	struct ui_hl		 hl[UI_HL];
	/* The IKE debug badge. */
	char			*badge_dev;
	char			*badge_peer;
	double			 badge_since;
	/* Open tools (panes may be closed while the tool runs). */
	struct ui_tool_pane	*tools;
	/* The status bar's counts, redone once per model change. */
	int			 counted;
	unsigned		 count_gen;
	struct {
		size_t	 devup, tunnels, down, degraded, alerts;
	}			 count;
	/* Statistics for the bench. */
	unsigned long		 frames;
};

/* ui.c */
void		 ui_dirty(struct ui *);
void		 ui_push(struct ui *, const struct ui_view *, void *);
void		 ui_pop(struct ui *);
void		 ui_message(struct ui *, int err, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
double		 ui_now(void);
/* The moment the model shows: now, or the replayed moment. */
double		 ui_model_now(struct ui *);
/* "WHAT: not available in replay" (or "in this build"). */
void		 ui_unavailable(struct ui *, const char *what);
/* Draw a frame now and write it (tests, benches). */
void		 ui_draw(struct ui *);
/* Feed one key as wget_wch returned it. */
void		 ui_key(struct ui *, int fn, wint_t);
/* A y/n question on the prompt line; no may be NULL. */
void		 ui_ask(struct ui *, const char *question,
		    void (*yes)(struct ui *), void (*no)(struct ui *));
/* S: edit the sniffer filter for a tunnel, then start the sniffer. */
void		 ui_sniff_edit(struct ui *, const char *dev, const char *vdom,
		    const char *tun);
/* Look a tunnel up by names (NULL when gone). */
struct mdev	*ui_device(struct ui *, const char *);
struct mtun	*ui_tunnel(struct ui *, const char *dev, const char *vdom,
		    const char *tun);
int		 ui_highlighted(struct ui *, const char *dev, const char *vdom,
		    const char *tun);
/* E / :export: the bundle of a tunnel (tun NULL: of the device). */
void		 ui_export(struct ui *, const char *dev, const char *vdom,
		    const char *tun);
/* The top finding's title or "-" (sev gets its severity, -1 for none). */
const char	*ui_top_finding(struct ui *, const struct mtun *, int *sev);

/*
 * The movement actions (up, down, page up and down, top, bottom) on a
 * position in 0..last, a page being page lines: the one way a list or
 * a text view scrolls.  1 when a was one of them.
 */
int		 ui_scroll(size_t *pos, enum ui_act a, size_t page,
		    size_t last);

/* draw helpers (ui.c): device text is sanitised, cut to w columns. */
void		 ui_put(int y, int x, int w, chtype attr, const char *s);
/* Right-aligned in w columns. */
void		 ui_putr(int y, int x, int w, chtype attr, const char *s);
void		 ui_fill(int y, int x, int w, chtype attr);
/* Human forms: "1.2k", "3m", "2h05". */
void		 ui_fmt_rate(char *, size_t, double);
void		 ui_fmt_age(char *, size_t, double seconds);
void		 ui_fmt_num(char *, size_t, int64_t);
/* A sparkline of n samples into w cells (UTF-8 or ASCII). */
void		 ui_spark(struct ui *, char *, size_t, const float *, size_t,
		    int w);
const char	*ui_state_mark(struct ui *, int state);
chtype		 ui_state_attr(struct ui *, int state);
/* What sa=0/1/2 means, in words. */
const char	*ui_sa_meaning(int64_t);

/* Views. */
extern const struct ui_view view_tunnels;
extern const struct ui_view view_detail;
extern const struct ui_view view_devices;
extern const struct ui_view view_events;
extern const struct ui_view view_help;
extern const struct ui_view view_tool;

void		*view_tunnels_new(struct ui *);
int		 view_tunnels_sort(struct ui *, void *, const char *col,
		    char **err);
int		 view_tunnels_limit(struct ui *, void *, const char *device,
		    const char *vdom);
/* The selected tunnel's names (NULL when none); valid until next call. */
int		 view_tunnels_selected(void *, const char **dev,
		    const char **vdom, const char **tun);
void		*view_detail_new(struct ui *, const char *dev,
		    const char *vdom, const char *tun);
int		 view_detail_selected(void *, const char **dev,
		    const char **vdom, const char **tun);
void		*view_devices_new(struct ui *);
void		*view_events_new(struct ui *);
void		*view_help_new(struct ui *);
/* Start a tool on a tunnel and push its pane. */
void		 view_tool_open(struct ui *, enum ui_tool, const char *dev,
		    const char *vdom, const char *tun, const char *param);
void		 view_tool_line(struct ui *, unsigned, const char *,
		    enum ui_line_class);
void		 view_tool_end(struct ui *, unsigned, const char *);
/* Stop every running tool (quit). */
void		 view_tool_stop_all(struct ui *);
void		 view_tool_free_all(struct ui *);
/* The last tool results of a tunnel, for the detail view. */
size_t		 view_tool_results(struct ui *, const char *dev,
		    const char *vdom, const char *tun, const char **lines,
		    size_t max);

#endif
