/* SPDX-License-Identifier: ISC */
/*
 * replay - `fgtop replay`, the dashboard on a journal; see replay.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diagnose_model.h"
#include "engine.h"
#include "jread.h"
#include "model.h"
#include "model_load.h"
#include "replay.h"
#include "ui.h"
#include "xmalloc.h"

/* The events the events view is given: as many as it keeps. */
#define REPLAY_HISTORY	2000

/* Distinct strings, by id; id 0 is NULL. */
struct rstrs {
	char		**v;
	size_t		  n;
	size_t		  cap;
	uint32_t	 *index;	/* open addressing: id, 0 empty */
	size_t		  index_cap;
};

/*
 * One event, compact: 48 bytes and the strings shared.  The type is
 * jread's static name, so the events handed to the dashboard (whose
 * ring copies them with mevent_copy, type not copied) hold no pointer
 * into this replay's strings.
 */
enum { RS_DEVICE, RS_VDOM, RS_TUNNEL, RS_ITEM, RS_FROM, RS_TO, RS_DETAIL,
	RS_COUNT };
struct rev {
	double		 time;
	const char	*type;
	uint32_t	 s[RS_COUNT];
};

/* Where a snapshot line is, and how many events came before it. */
struct rsnap {
	double		 time;
	size_t		 file;
	long long	 offset;
	size_t		 ev;
};

struct replay {
	char		**paths;
	size_t		  npaths;
	struct rev	 *ev;
	size_t		  nev;
	size_t		  evcap;
	struct rsnap	 *snap;
	size_t		  nsnap;
	struct rstrs	  str;
	struct model	 *m;
	size_t		  pos;		/* events applied */
	double		  at;		/* the moment shown */
	double		  start;
	double		  end;
};

static size_t
rs_hash(const char *s)
{
	size_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

static void
rs_rehash(struct rstrs *rs)
{
	size_t	 i, k;

	free(rs->index);
	rs->index_cap = rs->index_cap == 0 ? 256 : rs->index_cap * 2;
	rs->index = xcalloc(rs->index_cap, sizeof *rs->index);
	for (i = 1; i < rs->n; i++) {
		k = rs_hash(rs->v[i]) & (rs->index_cap - 1);
		while (rs->index[k] != 0)
			k = (k + 1) & (rs->index_cap - 1);
		rs->index[k] = (uint32_t)i;
	}
}

static uint32_t
rs_id(struct rstrs *rs, const char *s)
{
	size_t	 k;

	if (s == NULL)
		return (0);
	if (rs->n == 0) {
		rs->v = xcalloc((rs->cap = 256), sizeof *rs->v);
		rs->n = 1;
	}
	if (rs->n * 2 >= rs->index_cap)
		rs_rehash(rs);
	k = rs_hash(s) & (rs->index_cap - 1);
	for (; rs->index[k] != 0; k = (k + 1) & (rs->index_cap - 1))
		if (strcmp(rs->v[rs->index[k]], s) == 0)
			return (rs->index[k]);
	if (rs->n == rs->cap)
		rs->v = xreallocarray(rs->v, (rs->cap *= 2), sizeof *rs->v);
	rs->v[rs->n] = xstrdup(s);
	rs->index[k] = (uint32_t)rs->n;
	return ((uint32_t)rs->n++);
}

static char *
rs_str(const struct replay *r, const struct rev *e, int which)
{
	return (e->s[which] == 0 ? NULL : r->str.v[e->s[which]]);
}

/* The index. */

static int
replay_line(const struct jread_event *e, void *arg)
{
	struct replay	*r = arg;
	struct rev	*v;

	if (isnan(r->start) || e->time < r->start)
		r->start = e->time;
	if (isnan(r->end) || e->time > r->end)
		r->end = e->time;
	if (strcmp(e->type, "snapshot") == 0) {
		r->snap = xreallocarray(r->snap, r->nsnap + 1,
		    sizeof *r->snap);
		r->snap[r->nsnap].time = e->time;
		r->snap[r->nsnap].file = e->file;
		r->snap[r->nsnap].offset = e->offset;
		r->snap[r->nsnap++].ev = r->nev;
		return (0);
	}
	if (r->nev == r->evcap)
		r->ev = xreallocarray(r->ev, (r->evcap = r->evcap * 2 + 1024),
		    sizeof *r->ev);
	v = &r->ev[r->nev++];
	v->time = e->time;
	v->type = e->type;
	v->s[RS_DEVICE] = rs_id(&r->str, e->device);
	v->s[RS_VDOM] = rs_id(&r->str, e->vdom);
	v->s[RS_TUNNEL] = rs_id(&r->str, e->tunnel);
	v->s[RS_ITEM] = rs_id(&r->str, e->item);
	v->s[RS_FROM] = rs_id(&r->str, e->from);
	v->s[RS_TO] = rs_id(&r->str, e->to);
	v->s[RS_DETAIL] = rs_id(&r->str, e->detail);
	return (0);
}

/* The files named: a directory stands for its journal files. */
static int
replay_paths(struct replay *r, char *const *args, size_t nargs, char **err)
{
	struct stat	 sb;
	char		**p;
	size_t		 i, n, k;

	for (i = 0; i < nargs; i++) {
		if (stat(args[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			r->paths = xreallocarray(r->paths, r->npaths + 1,
			    sizeof *r->paths);
			r->paths[r->npaths++] = xstrdup(args[i]);
			continue;
		}
		if (journal_files(args[i], NAN, NAN, &p, &n, err) != 0)
			return (-1);
		if (n == 0) {
			xasprintf(err, "%s: no journal-*.jsonl files", args[i]);
			free(p);
			return (-1);
		}
		r->paths = xreallocarray(r->paths, r->npaths + n,
		    sizeof *r->paths);
		for (k = 0; k < n; k++)
			r->paths[r->npaths++] = p[k];
		free(p);
	}
	return (0);
}

struct replay *
replay_open(char *const *args, size_t nargs, char **err)
{
	struct replay		*r;
	struct jread_stats	 st;

	r = xcalloc(1, sizeof *r);
	r->start = r->end = NAN;
	r->m = model_new();
	if (replay_paths(r, args, nargs, err) != 0 ||
	    journal_scan(r->paths, r->npaths, replay_line, r, &st, err) != 0) {
		replay_free(r);
		return (NULL);
	}
	if (r->nev == 0 && r->nsnap == 0) {
		xasprintf(err, "nothing to replay: %zu lines, none an event "
		    "or a snapshot", st.lines);
		replay_free(r);
		return (NULL);
	}
	return (r);
}

void
replay_free(struct replay *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	free(r->paths);
	for (i = 1; i < r->str.n; i++)
		free(r->str.v[i]);
	free(r->str.v);
	free(r->str.index);
	free(r->ev);
	free(r->snap);
	model_free(r->m);
	free(r);
}

/* Moving. */

static void
replay_apply(struct replay *r, size_t i)
{
	const struct rev	*v = &r->ev[i];
	struct jread_event	 e;

	memset(&e, 0, sizeof e);
	e.time = v->time;
	e.type = v->type;
	e.device = rs_str(r, v, RS_DEVICE);
	e.vdom = rs_str(r, v, RS_VDOM);
	e.tunnel = rs_str(r, v, RS_TUNNEL);
	e.item = rs_str(r, v, RS_ITEM);
	e.from = rs_str(r, v, RS_FROM);
	e.to = rs_str(r, v, RS_TO);
	e.detail = rs_str(r, v, RS_DETAIL);
	model_apply_event(r->m, &e);
}

/* The findings the dashboard would have shown at the moment. */
static void
replay_diagnose(struct replay *r)
{
	struct model	*m = r->m;
	struct mvdom	*v;
	size_t		 i, j, k;

	for (i = 0; i < m->ndevs; i++)
		for (j = 0; j < m->devs[i]->nvdoms; j++) {
			v = m->devs[i]->vdoms[j];
			for (k = 0; k < v->ntunnels; k++)
				diagnose_model_tunnel(v->tunnels[k], r->at,
				    NULL, 0);
		}
}

/*
 * The model after p events at moment t: the newest snapshot that came
 * after none of them (and, for a time, not after t), then the rest.
 */
static int
replay_build(struct replay *r, size_t p, double t, double limit,
    char **err)
{
	const struct rsnap	*s;
	size_t			 i, from = 0;
	double			 when;
	char			*why = NULL;

	/* The newest snapshot that loads; a broken one, the one before. */
	for (i = r->nsnap; i > 0; i--) {
		s = &r->snap[i - 1];
		if (s->ev > p || (!isnan(limit) && s->time > limit))
			continue;
		model_clear(r->m);
		if (journal_snapshot_load(r->paths[s->file], s->offset, r->m,
		    &when, &why) == 0) {
			from = s->ev;
			break;
		}
		free(why);
		why = NULL;
	}
	if (i == 0)
		model_clear(r->m);
	for (i = from; i < p; i++)
		replay_apply(r, i);
	r->pos = p;
	r->at = t;
	replay_diagnose(r);
	return (0);
}

int
replay_at(struct replay *r, double t, char **err)
{
	size_t	 p;

	if (isnan(t))
		t = r->end;
	for (p = 0; p < r->nev && r->ev[p].time <= t; p++)
		;
	return (replay_build(r, p, t, t, err));
}

int
replay_step(struct replay *r, int dir, char **err)
{
	size_t	 p, i;

	if (dir < 0 && r->pos == 0) {
		*err = xstrdup("at the start of the journal");
		return (-1);
	}
	if (dir > 0 && r->pos >= r->nev) {
		*err = xstrdup("at the end of the journal");
		return (-1);
	}
	p = dir < 0 ? r->pos - 1 : r->pos + 1;
	if (p == 0)
		return (replay_build(r, 0, r->start, NAN, err));
	/* One forward: apply it, unless a snapshot says more. */
	for (i = 0; dir > 0 && i < r->nsnap; i++)
		if (r->snap[i].ev == p)
			break;
	if (dir > 0 && i == r->nsnap) {
		replay_apply(r, r->pos);
		r->pos = p;
		r->at = r->ev[p - 1].time;
		replay_diagnose(r);
		return (0);
	}
	return (replay_build(r, p, r->ev[p - 1].time, NAN, err));
}

struct model *
replay_model(struct replay *r)
{
	return (r->m);
}

double
replay_time(const struct replay *r)
{
	return (r->at);
}

size_t
replay_position(const struct replay *r, size_t *nevents)
{
	if (nevents != NULL)
		*nevents = r->nev;
	return (r->pos);
}

/* Local time, as the dashboard shows it; with the date or without. */
static void
replay_fmt_time(char *buf, size_t len, int date, double t)
{
	time_t		 s = (time_t)t;
	struct tm	 tm;

	localtime_r(&s, &tm);
	if (date)
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	else
		strftime(buf, len, "%H:%M:%S", &tm);
}

char *
replay_describe(const struct replay *r)
{
	const struct rev	*e;
	const char		*dev, *vdom, *tun, *item, *from, *to, *detail;
	char			 when[32], where[512], change[256], *s;

	if (r->pos == 0) {
		replay_fmt_time(when, sizeof when, 0, r->at);
		xasprintf(&s, "%s: before the first of %zu events", when,
		    r->nev);
		return (s);
	}
	e = &r->ev[r->pos - 1];
	replay_fmt_time(when, sizeof when, 0, e->time);
	dev = rs_str(r, e, RS_DEVICE);
	vdom = rs_str(r, e, RS_VDOM);
	tun = rs_str(r, e, RS_TUNNEL);
	item = rs_str(r, e, RS_ITEM);
	from = rs_str(r, e, RS_FROM);
	to = rs_str(r, e, RS_TO);
	detail = rs_str(r, e, RS_DETAIL);
	/* "fw1 root/to-dc2", or the device alone. */
	if (tun != NULL)
		snprintf(where, sizeof where, "%s %s/%s", dev != NULL ? dev :
		    "-", vdom != NULL ? vdom : "-", tun);
	else
		snprintf(where, sizeof where, "%s", dev != NULL ? dev : "-");
	/* " sel1 0 -> 1", " up -> down", or nothing. */
	if (from != NULL || to != NULL)
		snprintf(change, sizeof change, "%s%s %s -> %s",
		    item != NULL ? " " : "", item != NULL ? item : "",
		    from != NULL ? from : "?", to != NULL ? to : "?");
	else
		snprintf(change, sizeof change, "%s%s",
		    item != NULL ? " " : "", item != NULL ? item : "");
	xasprintf(&s, "event %zu/%zu %s %s %s%s%s%s", r->pos, r->nev, when,
	    where, e->type, change, detail != NULL ? ": " : "",
	    detail != NULL ? detail : "");
	return (s);
}

/* The dashboard. */

struct rctx {
	struct replay	*r;
	struct ui	*ui;
	uv_loop_t	 loop;
	uv_signal_t	 sig[3];
	int		 closed;
};

static void
replay_close(struct rctx *c)
{
	int	 i;

	if (c->closed)
		return;
	c->closed = 1;
	ui_close(c->ui);
	for (i = 0; i < 3; i++)
		uv_close((uv_handle_t *)&c->sig[i], NULL);
}

/* Show the moment: its mark, the events up to it, the row it changed. */
static void
replay_show(struct rctx *c, int highlight)
{
	struct replay	*r = c->r;
	struct mevent	*list, *hl = NULL;
	size_t		 first, i, n;
	char		 when[32], mark[48];

	replay_fmt_time(when, sizeof when, 1, r->at);
	snprintf(mark, sizeof mark, "REPLAY %s", when);
	ui_replay_at(c->ui, r->at, mark);
	first = r->pos > REPLAY_HISTORY ? r->pos - REPLAY_HISTORY : 0;
	n = r->pos - first;
	list = n == 0 ? NULL : xcalloc(n, sizeof *list);
	for (i = 0; i < n; i++) {
		const struct rev *e = &r->ev[first + i];

		list[i].next = i + 1 < n ? &list[i + 1] : NULL;
		list[i].time = e->time;
		list[i].type = e->type;
		list[i].device = rs_str(r, e, RS_DEVICE);
		list[i].vdom = rs_str(r, e, RS_VDOM);
		list[i].tunnel = rs_str(r, e, RS_TUNNEL);
		list[i].item = rs_str(r, e, RS_ITEM);
		list[i].from = rs_str(r, e, RS_FROM);
		list[i].to = rs_str(r, e, RS_TO);
		list[i].detail = rs_str(r, e, RS_DETAIL);
	}
	if (highlight && n > 0)
		hl = &list[n - 1];
	ui_history(c->ui, list, hl);
	free(list);
}

static void
replay_quit(void *arg)
{
	replay_close(arg);
}

static int
replay_ui_step(void *arg, int dir, char **msg)
{
	struct rctx	*c = arg;

	if (replay_step(c->r, dir, msg) != 0)
		return (-1);
	replay_show(c, 1);
	*msg = replay_describe(c->r);
	return (0);
}

static int
replay_ui_at(void *arg, const char *when, char **msg)
{
	struct rctx	*c = arg;
	double		 t = journal_parse_moment(when, replay_time(c->r));
	char		 buf[32], *what;

	if (isnan(t)) {
		xasprintf(msg, "at: not a time: %s (03:12, 2026-12-03 03:12, "
		    "-15m)", when);
		return (-1);
	}
	if (replay_at(c->r, t, msg) != 0)
		return (-1);
	replay_show(c, 0);
	replay_fmt_time(buf, sizeof buf, 1, t);
	what = replay_describe(c->r);
	xasprintf(msg, "at %s; last %s", buf, what);
	free(what);
	return (0);
}

static void
replay_signal_cb(uv_signal_t *s, int signum)
{
	replay_close(s->data);
}

static int
replay_dashboard(struct replay *r)
{
	struct rctx		 c;
	struct ui_actions	 act;
	char			*err = NULL;
	static const int	 sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	int			 i;

	memset(&c, 0, sizeof c);
	c.r = r;
	uv_loop_init(&c.loop);
	memset(&act, 0, sizeof act);
	act.arg = &c;
	act.quit = replay_quit;
	act.readonly = "replay";
	act.step = replay_ui_step;
	act.at = replay_ui_at;
	if ((c.ui = ui_new(&c.loop, r->m, &act, "REPLAY", NULL, &err)) ==
	    NULL) {
		fprintf(stderr, "fgtop: %s\n", err);
		free(err);
		uv_loop_close(&c.loop);
		return (1);
	}
	ui_set_findings(c.ui, &engine_ui_findings);
	for (i = 0; i < 3; i++) {
		uv_signal_init(&c.loop, &c.sig[i]);
		c.sig[i].data = &c;
		uv_signal_start(&c.sig[i], replay_signal_cb, sigs[i]);
	}
	replay_show(&c, 0);
	uv_run(&c.loop, UV_RUN_DEFAULT);
	ui_free(c.ui);
	uv_loop_close(&c.loop);
	return (0);
}

const char replay_synopsis[] =
    "       fgtop replay [--at TIME] [JOURNAL...]\n";
const char replay_usage[] =
    "  replay    the dashboard on what a journal recorded, read-only\n"
    "            (JOURNAL: files or directories; default the journal\n"
    "            directory); [ and ] step through the events, :at TIME\n"
    "            jumps.  --at TIME: start there (default: the end).\n"
    "            TIME: 03:12[:05], 2026-12-03 03:12, -15m, -2h, -1d,\n"
    "            2026-12-03T03:12:00Z\n";

int
replay_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct replay	*r;
	char		*err = NULL, *dir = NULL;
	const char	*at = NULL;
	double		 t = NAN;
	int		 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			at = optarg;
			break;
		case 'h':
			printf("usage:\n%s\n%s", replay_synopsis,
			    replay_usage);
			return (0);
		default:
			fprintf(stderr, "usage:\n%s", replay_synopsis);
			return (2);
		}
	}
	if (at != NULL && isnan(t = journal_parse_time(at,
	    (double)time(NULL)))) {
		fprintf(stderr, "fgtop: --at: not a time: %s\n", at);
		return (2);
	}
	if (optind == argc) {
		if ((dir = journal_dir(&err)) == NULL) {
			fprintf(stderr, "fgtop: %s\n", err);
			free(err);
			return (1);
		}
		r = replay_open(&dir, 1, &err);
		free(dir);
	} else
		r = replay_open(argv + optind, (size_t)(argc - optind), &err);
	if (r == NULL) {
		fprintf(stderr, "fgtop: replay: %s\n", err);
		free(err);
		return (1);
	}
	if (replay_at(r, t, &err) != 0) {
		fprintf(stderr, "fgtop: replay: %s\n", err);
		free(err);
		replay_free(r);
		return (1);
	}
	rc = replay_dashboard(r);
	replay_free(r);
	return (rc);
}
