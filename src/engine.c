/* SPDX-License-Identifier: ISC */
/*
 * engine - the loop, the devices and the live output modes.  See
 * engine.h.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cfg.h"
#include "device.h"
#include "diagnose.h"
#include "diagnose_model.h"
#include "live.h"
#include "engine.h"
#include "evlog.h"
#include "export.h"
#include "journal.h"
#include "json.h"
#include "khosts.h"
#include "model.h"
#include "prom.h"
#include "ui.h"
#include "xmalloc.h"
#include "xtime.h"

/* Devices between start and first round at once (engine_admit). */
#define ENGINE_STARTING	128

enum engine_mode {
	ENGINE_ONCE,
	ENGINE_WATCH,
	ENGINE_UI,
	ENGINE_EXPORT,		/* fgtop export: --once, then a bundle */
};

/* Events kept for the incident bundle's timeline (src/evlog). */
#define ENGINE_EVLOG	4096

/*
 * The pause after each turn of the loop while it watches (engine_loop).
 * Answers that arrive meanwhile are handled in the next turn together:
 * a thousand devices' packets would otherwise wake the process hundreds
 * of times a second, and on a virtual machine each wake-up costs more
 * than the work it brings (bench/README, run 6).  10 ms on a 5 s poll,
 * and under a frame of the dashboard.
 */
#define ENGINE_NAP_US	10000

struct engine {
	uv_loop_t	 loop;
	enum engine_mode mode;
	int		 json_out;	/* --json */
	struct live	*live;		/* the dashboard's tools */
	struct json	 json;		/* on e->out */
	int		 compact;
	struct model	*model;
	struct device	**devs;
	size_t		 ndevs;
	size_t		 ndone;
	size_t		 nstarted;	/* devs[0 .. nstarted-1] started */
	size_t		 failed;	/* devices without a complete round */
	uv_signal_t	 sigs[3];
	uv_check_t	 check;
	uv_timer_t	 deadline;
	int		 stopping;
	int		 write_failed;
	FILE		*out;
	void		*ui;
	/* Incident bundles (dashboard and fgtop export). */
	struct evlog	*evlog;
	struct exporter	*exporter;
	const char	*export_dir;	/* the config's export-dir */
	const char	*export_tunnel;	/* fgtop export --tunnel */
	const char	*export_file;	/* fgtop export -o */
	int		 export_rc;	/* 1 until the bundle is written */
	int		 export_said;	/* a sentence on stderr or stdout */
	const char	*prom_path;	/* --prom-textfile, or NULL */
	struct prom	*prom;		/* its writer (not --once) */
	char		*prom_note;	/* said after the dashboard */
	struct journal	*journal;	/* NULL: --no-journal */
	struct journal_opts jopts;
	int		 no_journal;
	int		 flap_threshold;	/* -1: the model's default */
	int		 warned;	/* the journal's warning is on stderr */
};

static const struct engine_ui	*engine_ui;
static const char		*engine_ui_mark;

void
engine_set_ui(const struct engine_ui *u, const char *mark)
{
	engine_ui = u;
	engine_ui_mark = mark;
}

const char engine_synopsis[] =
    "       fgtop --once [--json] [options] DEST...\n"
    "       fgtop --watch-json [options] DEST...\n";

const char engine_usage[] =
    "  (no mode)       the dashboard: every tunnel of every DEST; ? in\n"
    "                  it lists the keys.  --demo runs it on fgtsim's\n"
    "                  simulated estate, no FortiGate needed\n"
    "  --once          poll every DEST once (every VDOM) and print it;\n"
    "                  with --json one JSON document (see fgtop(1))\n"
    "  --watch-json    poll until interrupted, one JSON line per event\n"
    "  export          poll DEST once, then write the incident bundle\n"
    "                  (.tar.gz: summary, state, findings, events, raw\n"
    "                  outputs read fresh, tool results) of --tunnel T,\n"
    "                  or of the device, to -o FILE or the config's\n"
    "                  export-dir; prints its path\n"
    "\n"
    "DEST is an ssh_config Host alias, [user@]host[:port], a device of\n"
    "the config file, or @group.  Options:\n"
    "  -F FILE             ssh_config to read (default: the user's)\n"
    "  --config FILE       fgtop config (default:\n"
    "                      $XDG_CONFIG_HOME/fgtop/config)\n"
    "  --known-hosts FILE  known_hosts to check host keys against\n"
    "  --accept-new        add unknown host keys (changed keys are\n"
    "                      always refused)\n"
    "  --vdom A,B          poll these VDOMs only (multi-VDOM devices)\n"
    "  --ask-password      ask a password on the terminal, for DESTs\n"
    "                      with no password source in the config\n"
    "  --no-agent          do not use ssh-agent\n"
    "  --poll SECONDS      summary poll interval (default 5)\n"
    "  --full-poll SECONDS gateway and tunnel lists (default 30)\n"
    "  --journal PATH      the event journal: a directory (rotated files)\n"
    "                      or one file (default:\n"
    "                      $XDG_STATE_HOME/fgtop, ~/.local/state/fgtop)\n"
    "  --no-journal        keep no journal\n"
    "  --snapshot-interval SECONDS\n"
    "                      a model snapshot in the journal (default 600,\n"
    "                      longer on a big estate)\n"
    "  --timeout SECONDS   connect and login timeout (default 15)\n"
    "  --command-timeout SECONDS\n"
    "                      interrupt a poll command silent this long\n"
    "                      (default 60)\n"
    "  -c, --compact       compact JSON\n"
    "  --prom-textfile PATH\n"
    "                      keep PATH (*.prom) a Prometheus textfile of\n"
    "                      every tunnel and device, rewritten at most once\n"
    "                      a second (and once by --once); see fgtop(1),\n"
    "                      METRICS\n";

/*
 * Push what was written to e->json out now (a pipeline reads each event
 * as it happens); remember a failure (full disk, closed pipe) and say it
 * once.
 */
static void
engine_emit(struct engine *e)
{
	if (json_flush(&e->json) != 0 || fflush(e->out) == EOF) {
		if (!e->write_failed)
			fprintf(stderr, "fgtop: writing output: %s\n",
			    strerror(json_error(&e->json) != 0 ?
			    json_error(&e->json) : errno));
		e->write_failed = 1;
	}
}

/*
 * A sentence about the textfile: on stderr, or, while the dashboard has
 * the terminal, on its prompt line and kept to be said once it gives it
 * back (a failing write is said once, not once a second, so the
 * sentences stay few).
 */
static void
engine_prom_say(struct engine *e, char *msg)
{
	char	*all;

	if (e->mode == ENGINE_UI) {
		/* Seen now on the prompt line, and kept for after. */
		if (e->ui != NULL && engine_ui->notice != NULL) {
			xasprintf(&all, "warning: %s", msg);
			engine_ui->notice(e->ui, 1, all);
			free(all);
		}
		if (e->prom_note != NULL) {
			xasprintf(&all, "%s\nfgtop: warning: %s", e->prom_note,
			    msg);
			free(e->prom_note);
			free(msg);
			msg = all;
		}
		e->prom_note = msg;
		return;
	}
	fprintf(stderr, "fgtop: warning: %s\n", msg);
	free(msg);
}

/* What the dashboard kept, now that the terminal is back. */
static void
engine_prom_said(struct engine *e)
{
	if (e->prom_note != NULL)
		fprintf(stderr, "fgtop: warning: %s\n", e->prom_note);
	free(e->prom_note);
	e->prom_note = NULL;
}

/* The textfile, written when due (see prom.h); failures said once. */
static void
engine_prom_tick(struct engine *e)
{
	char	*err = NULL, *msg;

	switch (prom_tick(e->prom, &err)) {
	case 1:
		engine_prom_say(e, err);
		break;
	case 2:
		xasprintf(&msg, "%s is written again", e->prom_path);
		engine_prom_say(e, msg);
		break;
	}
}

static void
engine_close_cb(uv_handle_t *h)
{
}

/*
 * A device that is still connecting or polling when --once ends did not
 * answer: its state says so rather than the "up" of a half round.
 */
static void
engine_mark_unfinished(struct engine *e)
{
	struct mdev	*m;
	size_t		 i;

	for (i = 0; i < e->ndevs; i++) {
		m = device_mdev(e->devs[i]);
		if (!device_ok(e->devs[i]) && (m->state == MDEV_UP ||
		    m->state == MDEV_CONNECTING))
			model_device_state(m, m->state == MDEV_UP ?
			    MDEV_STALE : MDEV_UNREACHABLE,
			    "no complete poll before the time limit",
			    xtime_now());
	}
}

/*
 * FGTOP_STATS set: one line on stderr when the engine stops, for
 * bench/engine.sh (a poll's lateness is only known inside).
 */
static void
engine_stats(struct engine *e)
{
	const struct sched	*s;
	struct rusage		 ru;
	struct mallinfo2	 mi;
	uint64_t		 worst = 0;
	unsigned long		 rounds = 0;
	size_t			 i;

	for (i = 0; i < e->ndevs; i++) {
		s = device_sched(e->devs[i]);
		rounds += s->rounds;
		if (s->worst_late > worst)
			worst = s->worst_late;
	}
	getrusage(RUSAGE_SELF, &ru);
	mi = mallinfo2();
	fprintf(stderr, "fgtop-stats: devices %zu rounds %lu worst_late_ms "
	    "%llu cpu_s %.3f maxrss_kb %ld heap_kb %zu model_kb %zu "
	    "tunnels %zu\n", e->ndevs, rounds, (unsigned long long)worst,
	    (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	    ru.ru_maxrss, (mi.uordblks + mi.hblkhd) / 1024,
	    model_bytes(e->model) / 1024, model_ntunnels(e->model));
}

/* Close every session and handle; uv_run returns once they are gone. */
static void
engine_stop(struct engine *e)
{
	size_t	 i;

	if (e->stopping)
		return;
	e->stopping = 1;
	if (getenv("FGTOP_STATS") != NULL)
		engine_stats(e);
	/* Devices are freed once stopped: read what --once needs first. */
	if (e->mode == ENGINE_ONCE)
		engine_mark_unfinished(e);
	/* Every IKE debug is undone, whatever the panes said. */
	if (e->live != NULL)
		live_shutdown(e->live);
	if (e->exporter != NULL)
		export_shutdown(e->exporter);
	for (i = 0; i < e->ndevs; i++) {
		if (!device_ok(e->devs[i]))
			e->failed++;
		device_stop(e->devs[i]);
	}
	for (i = 0; i < 3; i++)
		uv_close((uv_handle_t *)&e->sigs[i], engine_close_cb);
	uv_close((uv_handle_t *)&e->deadline, engine_close_cb);
	if (e->prom != NULL) {
		prom_close(e->prom);
		e->prom = NULL;
	}
	if (e->journal != NULL)
		journal_close(e->journal);
	if (e->ui != NULL)
		engine_ui->close(e->ui);
	/* The check handle runs once more to write the last events. */
}

/*
 * The model's warning (the journal cannot be written) on stderr once,
 * outside the dashboard (it shows it in its status bar).
 */
static void
engine_warn(struct engine *e)
{
	if (e->model->warning == NULL) {
		e->warned = 0;
		return;
	}
	if (e->warned || (e->mode == ENGINE_UI && e->ui != NULL))
		return;
	fprintf(stderr, "fgtop: %s\n", e->model->warning);
	e->warned = 1;
}

/*
 * Start devices while fewer than ENGINE_STARTING are on their way to a
 * first round.  A thousand SSH handshakes and first full listings at
 * once would set fgtop's peak memory (every session's key exchange and
 * output buffer alive together) and delay every device's first round
 * behind all the others' handshakes.
 */
static void
engine_admit(struct engine *e)
{
	size_t	 i, starting = 0;

	if (e->stopping || e->nstarted == e->ndevs)
		return;
	for (i = 0; i < e->nstarted; i++)
		starting += device_starting(e->devs[i]);
	while (starting < ENGINE_STARTING && e->nstarted < e->ndevs) {
		device_start(e->devs[e->nstarted++]);
		starting++;
	}
}

/* Once per loop turn: hand the recorded events to whoever listens. */
static void
engine_check_cb(uv_check_t *h)
{
	struct engine	*e = h->data;
	struct mevent	*ev, *p;

	engine_admit(e);

	ev = model_events_take(e->model, NULL);
	if (e->evlog != NULL)
		evlog_add(e->evlog, ev);
	if (e->journal != NULL && ev != NULL)
		journal_events(e->journal, ev, xtime_now());
	engine_warn(e);
	if (e->mode == ENGINE_WATCH && ev != NULL && !e->write_failed) {
		for (p = ev; p != NULL; p = p->next) {
			mevent_json(&e->json, p);
			json_line_end(&e->json);
		}
		engine_emit(e);
	}
	if (e->ui != NULL)
		engine_ui->events(e->ui, ev);
	mevent_free(ev);
	if (e->prom != NULL && !e->stopping)
		engine_prom_tick(e);
	if (e->write_failed && !e->stopping)
		engine_stop(e);
	if (e->stopping && !uv_is_closing((uv_handle_t *)h))
		uv_close((uv_handle_t *)h, engine_close_cb);
}

static void
engine_signal_cb(uv_signal_t *s, int signum)
{
	engine_stop(s->data);
}

static void	engine_export_begin(struct engine *, struct device *);

static void
engine_device_done(struct device *d, void *arg)
{
	struct engine	*e = arg;

	if (e->mode == ENGINE_EXPORT && !e->stopping) {
		engine_export_begin(e, d);
		return;
	}
	if (++e->ndone == e->ndevs)
		engine_stop(e);
}

/* A bundle is written, or why not: the prompt line, or stdout/stderr. */
static void
engine_export_done(void *arg, const char *path, const char *err)
{
	struct engine	*e = arg;
	char		*msg;

	if (e->mode == ENGINE_EXPORT) {
		if (path != NULL) {
			printf("%s\n", path);
			e->export_rc = 0;
		} else
			fprintf(stderr, "fgtop: %s\n", err);
		e->export_said = 1;
		engine_stop(e);
		return;
	}
	if (e->ui == NULL || e->stopping)
		return;
	if (path != NULL)
		xasprintf(&msg, "bundle written: %s", path);
	else
		msg = xstrdup(err);
	engine_ui->notice(e->ui, path == NULL, msg);
	free(msg);
}

/* fgtop export: an unknown tunnel; say the names the device has. */
static void
engine_export_unknown(struct engine *e, const struct mdev *m)
{
	const char	*sep = "";
	size_t		 i, k;

	fprintf(stderr, "fgtop: %s has no tunnel %s; it has: ", m->name,
	    e->export_tunnel);
	for (i = 0; i < m->nvdoms; i++)
		for (k = 0; k < m->vdoms[i]->ntunnels; k++, sep = ", ")
			fprintf(stderr, "%s%s", sep,
			    m->vdoms[i]->tunnels[k]->name);
	fprintf(stderr, "%s\n", *sep == '\0' ? "none" : "");
}

/* fgtop export: the poll is over; the tunnel's bundle, or why not. */
static void
engine_export_begin(struct engine *e, struct device *d)
{
	struct mdev		*m = device_mdev(d);
	struct export_req	 rq;
	char			*err = NULL;
	size_t			 i;

	e->export_said = 1;	/* each way out below says why */
	if (!device_ok(d)) {
		fprintf(stderr, "fgtop: %s: %s\n", m->name, m->error != NULL ?
		    m->error : "no complete poll");
		engine_stop(e);
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.device = m->name;
	rq.tunnel = e->export_tunnel;
	rq.dir = e->export_dir;
	rq.file = e->export_file;
	for (i = 0; i < m->nvdoms && rq.tunnel != NULL && rq.vdom == NULL;
	    i++)
		if (model_tunnel(m->vdoms[i], rq.tunnel) != NULL)
			rq.vdom = m->vdoms[i]->name;
	if (rq.tunnel != NULL && rq.vdom == NULL) {
		engine_export_unknown(e, m);
		engine_stop(e);
		return;
	}
	if (export_start(e->exporter, d, &rq, &err) != 0) {
		fprintf(stderr, "fgtop: %s\n", err);
		free(err);
		engine_stop(e);
		return;
	}
	e->export_said = 0;	/* the bundle's end will */
}

/* What the dashboard asks of the devices. */
static void
engine_ui_quit(void *arg)
{
	engine_stop(arg);
}

static void
engine_ui_focus(void *arg, const char *dev, const char *vdom,
    const char *tunnel)
{
	struct engine	*e = arg;
	size_t		 i;

	for (i = 0; i < e->ndevs; i++)
		if (strcmp(device_mdev(e->devs[i])->name, dev) == 0)
			device_focus(e->devs[i], vdom, tunnel);
}

/* The live tools, run from the dashboard's keys. */
static int
engine_ui_tool(void *arg, enum ui_tool which, const char *dev,
    const char *vdom, const char *tunnel, const char *param, unsigned *id,
    char **err)
{
	static const enum live_tool map[UI_TOOL_COUNT] = {
		[UI_TOOL_DEBUG] = LIVE_DEBUG, [UI_TOOL_SNIFFER] = LIVE_SNIFF,
		[UI_TOOL_TRACEROUTE] = LIVE_TRACE, [UI_TOOL_ROUTE] = LIVE_ROUTE,
	};
	struct engine	*e = arg;
	struct mdev	*m;
	struct mtun	*t = NULL;
	size_t		 i, k;

	for (i = 0; i < e->ndevs; i++) {
		m = device_mdev(e->devs[i]);
		if (strcmp(m->name, dev) != 0)
			continue;
		for (k = 0; k < m->nvdoms && t == NULL; k++)
			if (strcmp(m->vdoms[k]->name, vdom) == 0)
				t = model_tunnel(m->vdoms[k], tunnel);
		if (t == NULL)
			break;
		return (live_start(e->live, e->devs[i], map[which], t, param,
		    id, err));
	}
	xasprintf(err, "no tunnel %s on %s", tunnel, dev);
	return (-1);
}

/* E and :export: the tunnel's (or device's) bundle, on the loop. */
static int
engine_ui_export(void *arg, const char *dev, const char *vdom,
    const char *tunnel, char **err)
{
	struct engine		*e = arg;
	struct export_req	 rq;
	size_t			 i;

	memset(&rq, 0, sizeof rq);
	rq.device = dev;
	rq.vdom = vdom;
	rq.tunnel = tunnel;
	rq.dir = e->export_dir;
	for (i = 0; i < e->ndevs; i++)
		if (strcmp(device_mdev(e->devs[i])->name, dev) == 0)
			return (export_start(e->exporter, e->devs[i], &rq,
			    err));
	xasprintf(err, "no device %s", dev);
	return (-1);
}

static void
engine_ui_tool_stop(void *arg, unsigned id, int keep)
{
	struct engine	*e = arg;

	live_stop(e->live, id, keep);
}

/* What the tools say, to the dashboard while it is up. */
static void
engine_live_line(void *arg, unsigned id, const char *line, int cls)
{
	struct engine	*e = arg;

	if (e->ui != NULL && !e->stopping)
		engine_ui->tool_line(e->ui, id, line, cls);
}

static void
engine_live_end(void *arg, unsigned id, const char *reading)
{
	struct engine	*e = arg;

	if (e->ui != NULL && !e->stopping)
		engine_ui->tool_end(e->ui, id, reading);
}

static void
engine_live_badge(void *arg, const char *dev, const char *peer,
    double since)
{
	struct engine	*e = arg;

	if (e->ui != NULL && !e->stopping)
		engine_ui->debug_badge(e->ui, dev, peer, since);
}

/* The diagnosis's findings as the dashboard reads them (ui.h). */
static size_t
engine_ui_nfindings(const struct mtun *t)
{
	const struct dg_findings	*fs = diagnose_model_findings(t);

	return (fs != NULL ? fs->n : 0);
}

static int
engine_ui_finding(const struct mtun *t, size_t i, struct ui_finding *out)
{
	const struct dg_findings	*fs = diagnose_model_findings(t);
	const struct dg_finding		*f;

	if (fs == NULL || i >= fs->n)
		return (-1);
	f = &fs->v[i];
	out->rule = f->rule->id;
	out->severity = f->severity >= DG_ERROR ? 2 :
	    f->severity == DG_WARNING ? 1 : 0;
	out->title = f->rule->title;
	out->evidence = f->nevidence > 0 ? f->evidence[0] : NULL;
	out->next = f->nnext == 0 ? NULL : f->next[0].ncommands > 0 ?
	    f->next[0].commands[0] : f->next[0].action;
	out->fix = f->fix != NULL ? f->fix : f->rule->fix;
	return (0);
}

const struct ui_findings engine_ui_findings = {
	engine_ui_nfindings, engine_ui_finding
};

/* --once took too long: stop; the output says who did not finish. */
static void
engine_deadline_cb(uv_timer_t *t)
{
	engine_stop(t->data);
}

static const char *
engine_num(pnum v, char *buf)
{
	if (v == PNUM_UNKNOWN)
		return ("?");
	snprintf(buf, 24, "%lld", (long long)v);
	return (buf);
}

/* --once without --json: a line a device, then one a tunnel. */
static void
engine_text(struct engine *e)
{
	const struct mdev	*d;
	const struct mvdom	*v;
	const struct mtun	*t;
	char			 up[24], total[24];
	size_t			 i, k, n;

	for (i = 0; i < e->model->ndevs; i++) {
		d = e->model->devs[i];
		fprintf(e->out, "%s  %s  %s%s%s\n", d->name,
		    mdev_state_name(d->state),
		    d->hostname != NULL ? d->hostname : "-",
		    d->error != NULL ? "  " : "",
		    d->error != NULL ? d->error : "");
		for (k = 0; k < d->nvdoms; k++) {
			v = d->vdoms[k];
			for (n = 0; n < v->ntunnels; n++) {
				t = v->tunnels[n];
				fprintf(e->out, "  %-10s %-24s %-9s %-12s %3s/%-3s"
				    " %s\n", v->name, t->name,
				    mtun_state_name(t->state),
				    t->p1.status != NULL ? t->p1.status : "-",
				    engine_num(t->selectors_up, up),
				    engine_num(t->selectors_total, total),
				    t->remote_addr != NULL ? t->remote_addr :
				    "-");
			}
		}
	}
}

static void
engine_once_output(struct engine *e)
{
	if (!e->json_out) {
		engine_text(e);
		if (fflush(e->out) == EOF)
			e->write_failed = 1;
		return;
	}
	/* Streamed: a thousand devices never sit in memory as text. */
	model_json(&e->json, e->model, xtime_now(), PACKAGE_VERSION,
	    diagnose_model_json);
	json_line_end(&e->json);
	engine_emit(e);
}

/*
 * --once's textfile, after its round.  A failure is a warning: the JSON
 * went out and the exit status still tells about the devices.
 */
static void
engine_once_prom(struct engine *e)
{
	char	*err = NULL;

	if (e->prom_path == NULL)
		return;
	if (prom_write(e->model, e->prom_path, xtime_now(), PACKAGE_VERSION,
	    &err) != 0)
		engine_prom_say(e, err);
}

/*
 * The loop until every handle is gone.  Watching, a turn is followed by
 * a nap (ENGINE_NAP_US); a --once round or an export wants its answers
 * as they come.
 */
static void
engine_loop(struct engine *e)
{
	struct timespec	 nap = { 0, ENGINE_NAP_US * 1000L };

	if (e->mode != ENGINE_WATCH && e->mode != ENGINE_UI) {
		uv_run(&e->loop, UV_RUN_DEFAULT);
		return;
	}
	while (uv_run(&e->loop, UV_RUN_ONCE) != 0)
		if (!e->stopping)
			nanosleep(&nap, NULL);
}

static int
engine_run(struct engine *e, struct cfg *cfg, const struct device_opts *o)
{
	static const int signums[3] = { SIGINT, SIGTERM, SIGHUP };
	static const struct live_cb lcb = {
		engine_live_line, engine_live_end, engine_live_badge
	};
	size_t		 i;
	int		 rc = 0;

	if (uv_loop_init(&e->loop) != 0) {
		fprintf(stderr, "fgtop: cannot start the event loop\n");
		return (1);
	}
	e->model = model_new();
	if (e->flap_threshold >= 0)
		e->model->flap_threshold = (unsigned)e->flap_threshold;
	if (!e->no_journal) {
		char	*err = NULL;

		/* Uptime and flaps go on from the last run's journal. */
		if (journal_restore(e->model, e->jopts.path, xtime_now(),
		    &err) != 0) {
			fprintf(stderr, "fgtop: reading the journal: %s\n",
			    err);
			free(err);
		}
		e->journal = journal_open(&e->loop, e->model, &e->jopts,
		    xtime_now());
	}
	e->out = stdout;
	json_init_file(&e->json, e->out, e->mode == ENGINE_WATCH ||
	    e->compact ? JSON_COMPACT : JSON_PRETTY);
	for (i = 0; i < 3; i++) {
		uv_signal_init(&e->loop, &e->sigs[i]);
		e->sigs[i].data = e;
		uv_signal_start(&e->sigs[i], engine_signal_cb, signums[i]);
	}
	uv_check_init(&e->loop, &e->check);
	e->check.data = e;
	uv_check_start(&e->check, engine_check_cb);
	uv_timer_init(&e->loop, &e->deadline);
	e->deadline.data = e;
	if (e->prom_path != NULL) {
		char	*w = prom_path_warning(e->prom_path);

		if (w != NULL)
			engine_prom_say(e, w);
		if (e->mode != ENGINE_ONCE)
			e->prom = prom_new(&e->loop, e->model, e->prom_path,
			    PACKAGE_VERSION);
	}
	if (e->mode == ENGINE_ONCE)
		uv_timer_start(&e->deadline, engine_deadline_cb,
		    o->timeout_ms + 5 * o->cmd_timeout_ms, 0);
	/* The poll, then the raw outputs' session: twice the bound. */
	if (e->mode == ENGINE_EXPORT)
		uv_timer_start(&e->deadline, engine_deadline_cb,
		    2 * (o->timeout_ms + 5 * o->cmd_timeout_ms), 0);
	if (e->mode == ENGINE_UI || e->mode == ENGINE_EXPORT) {
		e->export_dir = cfg->export_dir;
		e->evlog = evlog_new(ENGINE_EVLOG);
		/* One poll of a big device: keep what the bundle shows. */
		if (e->mode == ENGINE_EXPORT)
			evlog_only(e->evlog, e->export_tunnel);
		e->exporter = export_new(&e->loop, e->model, PACKAGE_VERSION,
		    evlog_each, e->evlog, engine_export_done, e);
	}
	if (e->mode == ENGINE_UI) {
		struct ui_actions	 act;
		char			*err = NULL;

		memset(&act, 0, sizeof act);
		act.arg = e;
		act.quit = engine_ui_quit;
		act.focus = engine_ui_focus;
		act.tool = engine_ui_tool;
		act.tool_stop = engine_ui_tool_stop;
		act.export = engine_ui_export;
		if ((e->ui = engine_ui->start(&e->loop, e->model, &act,
		    engine_ui_mark, cfg->keys, cfg->theme, &err)) == NULL) {
			fprintf(stderr, "fgtop: %s\n", err);
			free(err);
			engine_stop(e);
			uv_run(&e->loop, UV_RUN_DEFAULT);
			uv_loop_close(&e->loop);
			export_free(e->exporter);
			evlog_free(e->evlog);
			engine_prom_said(e);
			journal_free(e->journal);
			json_free(&e->json);
			model_free(e->model);
			return (1);
		}
		engine_ui->set_findings(e->ui, &engine_ui_findings);
		e->live = live_new(&e->loop, e->model, &lcb, e);
	}
	e->ndevs = cfg->ntargets;
	e->devs = xcalloc(e->ndevs, sizeof *e->devs);
	for (i = 0; i < e->ndevs; i++)
		e->devs[i] = device_new(&e->loop, e->model, &cfg->targets[i],
		    o, engine_device_done, e);
	/* The copies hold the secrets now; wipe the config's early. */
	engine_admit(e);
	engine_loop(e);
	if (e->ui != NULL)
		engine_ui->free(e->ui);
	e->ui = NULL;
	if (e->live != NULL)
		live_free(e->live);
	if (e->exporter != NULL)
		export_free(e->exporter);
	evlog_free(e->evlog);
	engine_prom_said(e);
	if (e->mode == ENGINE_EXPORT) {
		rc = e->export_rc;
		if (rc != 0 && !e->export_said)
			fprintf(stderr, "fgtop: stopped before the bundle was "
			    "written\n");
	}
	/* The last events and a snapshot; a failure goes in the output. */
	if (e->journal != NULL) {
		journal_tick(e->journal, xtime_now());
		engine_warn(e);
	}
	if (e->mode == ENGINE_ONCE) {
		engine_once_output(e);
		if (e->failed > 0)
			rc = 1;
		engine_once_prom(e);
	}
	if (e->write_failed)
		rc = 1;
	if (uv_loop_close(&e->loop) != 0)
		fprintf(stderr, "fgtop: internal error: handles left open\n");
	khosts_free();
	/* Devices are freed by their close callbacks; the array is ours. */
	free(e->devs);
	journal_free(e->journal);
	json_free(&e->json);
	model_free(e->model);
	return (rc);
}

/* Seconds on the command line, as milliseconds; 0 when invalid. */
unsigned
engine_seconds(const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 86400)
		return (0);
	return ((unsigned)(v * 1000));
}

void
engine_opts_init(struct engine_opts *eo)
{
	memset(eo, 0, sizeof *eo);
	eo->timeout_ms = 15000;
	eo->cmd_timeout_ms = 60000;
}

int
engine_option(struct engine_opts *eo, int ch, const char *arg)
{
	switch (ch) {
	case 'F':
		eo->ssh_config = arg;
		return (1);
	case ENGINE_OPT_CONFIG:
		eo->config = arg;
		return (1);
	case ENGINE_OPT_ACCEPT:
		eo->accept_new = 1;
		return (1);
	case ENGINE_OPT_VDOM:
		eo->vdoms = arg;
		return (1);
	case ENGINE_OPT_KNOWN:
		eo->known_hosts = arg;
		return (1);
	case ENGINE_OPT_ASK:
		eo->ask = 1;
		return (1);
	case ENGINE_OPT_NOAGENT:
		eo->no_agent = 1;
		return (1);
	case ENGINE_OPT_TIMEOUT:
	case ENGINE_OPT_CMDTIMEOUT:
		if (engine_seconds(arg) == 0) {
			fprintf(stderr, "fgtop: not a number of seconds: %s\n",
			    arg);
			return (-1);
		}
		if (ch == ENGINE_OPT_TIMEOUT)
			eo->timeout_ms = engine_seconds(arg);
		else
			eo->cmd_timeout_ms = engine_seconds(arg);
		return (1);
	}
	return (0);
}

int
engine_load(const struct engine_opts *eo, char **dests, size_t ndests,
    struct cfg *cfg, struct device_opts *o)
{
	char	*err = NULL;
	size_t	 i;

	cfg_init(cfg);
	if (cfg_load(cfg, eo->config, &err) != 0 ||
	    cfg_targets(cfg, dests, ndests, eo->vdoms, &err) != 0) {
		fprintf(stderr, "fgtop: %s\n", err);
		free(err);
		cfg_free(cfg);
		return (2);
	}
	if (cfg->ntargets == 0) {
		fprintf(stderr, "fgtop: no DEST given and no device in the "
		    "config file\n");
		cfg_free(cfg);
		return (2);
	}
	for (i = 0; eo->ask && i < cfg->ntargets; i++)
		if (cfg->targets[i].password_file == NULL &&
		    cfg->targets[i].password_command == NULL)
			cfg->targets[i].ask_password = 1;
	if (cfg_secrets(cfg, 1, &err) != 0) {
		fprintf(stderr, "fgtop: %s\n", err);
		free(err);
		cfg_free(cfg);
		return (1);
	}
	o->ssh_config = eo->ssh_config != NULL ? eo->ssh_config :
	    cfg->ssh_config;
	o->known_hosts = eo->known_hosts != NULL ? eo->known_hosts :
	    cfg->known_hosts;
	o->accept_new = eo->accept_new || cfg->accept_new;
	o->no_agent = eo->no_agent;
	o->timeout_ms = eo->timeout_ms;
	o->cmd_timeout_ms = eo->cmd_timeout_ms;
	return (0);
}

int
engine_main(int argc, char **argv)
{
	enum {
		OPT_ONCE = ENGINE_OPT_END, OPT_WATCH, OPT_JSON, OPT_POLL,
		OPT_FULL, OPT_PROM, OPT_JOURNAL, OPT_NOJOURNAL, OPT_SNAPSHOT,
	};
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "watch-json", no_argument, NULL, OPT_WATCH },
		{ "json", no_argument, NULL, OPT_JSON },
		ENGINE_LONGOPTS,
		{ "poll", required_argument, NULL, OPT_POLL },
		{ "full-poll", required_argument, NULL, OPT_FULL },
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "no-journal", no_argument, NULL, OPT_NOJOURNAL },
		{ "snapshot-interval", required_argument, NULL, OPT_SNAPSHOT },
		{ "compact", no_argument, NULL, 'c' },
		{ "prom-textfile", required_argument, NULL, OPT_PROM },
		{ NULL, 0, NULL, 0 }
	};
	struct engine		 e;
	struct device_opts	 o;
	struct engine_opts	 eo;
	struct cfg		 cfg;
	unsigned		 poll = 0, full = 0, snapshot = 0;
	const char		*journal = NULL;
	int			 ch, mode = -1, r, no_journal = 0;
	int			 rc;

	memset(&e, 0, sizeof e);
	memset(&o, 0, sizeof o);
	engine_opts_init(&eo);
	optind = 0;	/* argv[0] is an option: restart getopt fully */
	while ((ch = getopt_long(argc, argv, "+F:c", longopts, NULL)) != -1) {
		if ((r = engine_option(&eo, ch, optarg)) < 0)
			return (2);
		if (r > 0)
			continue;
		switch (ch) {
		case OPT_ONCE:
			mode = ENGINE_ONCE;
			break;
		case OPT_WATCH:
			mode = ENGINE_WATCH;
			break;
		case OPT_JSON:
			e.json_out = 1;
			break;
		case OPT_POLL:
		case OPT_FULL:
			if (engine_seconds(optarg) == 0) {
				fprintf(stderr, "fgtop: not a number of "
				    "seconds: %s\n", optarg);
				return (2);
			}
			if (ch == OPT_POLL)
				poll = engine_seconds(optarg);
			else
				full = engine_seconds(optarg);
			break;
		case 'c':
			e.compact = 1;
			break;
		case OPT_PROM:
			if (*optarg == '\0') {
				fprintf(stderr, "fgtop: --prom-textfile: an "
				    "empty path\n");
				return (2);
			}
			e.prom_path = optarg;
			break;
		case OPT_JOURNAL:
			journal = optarg;
			no_journal = 0;
			break;
		case OPT_NOJOURNAL:
			no_journal = 1;
			break;
		case OPT_SNAPSHOT:
			/* Up to a day, as every interval. */
			if ((snapshot = engine_seconds(optarg)) == 0) {
				fprintf(stderr, "fgtop: not a number of "
				    "seconds: %s\n", optarg);
				return (2);
			}
			break;
		default:
			return (2);
		}
	}
	if (mode < 0 && engine_ui != NULL) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "fgtop: the dashboard needs a "
			    "terminal; use --once or --watch-json\n");
			return (2);
		}
		mode = ENGINE_UI;
	}
	if (mode < 0) {
		fprintf(stderr, "fgtop: the dashboard is not built yet; use "
		    "--once or --watch-json\n");
		return (2);
	}
	e.mode = mode;
	if ((rc = engine_load(&eo, argv + optind, (size_t)(argc - optind),
	    &cfg, &o)) != 0)
		return (rc);
	o.poll_ms = poll != 0 ? poll : cfg.poll_ms;
	o.full_ms = full != 0 ? full : cfg.full_poll_ms;
	o.once = mode == ENGINE_ONCE;
	if (e.prom_path == NULL)
		e.prom_path = cfg.prom_textfile;
	e.jopts.once = o.once;
	/* The command line over the config file. */
	if (journal == NULL && cfg.journal != NULL &&
	    strcmp(cfg.journal, "off") == 0)
		no_journal = 1;
	e.no_journal = no_journal;
	e.jopts.path = journal != NULL ? journal : (cfg.journal != NULL &&
	    strcmp(cfg.journal, "off") != 0 ? cfg.journal : NULL);
	e.jopts.snapshot_ms = snapshot != 0 ? snapshot : cfg.snapshot_ms;
	e.flap_threshold = cfg.flap_threshold;
	/* A poller keeps its heap: freed pages would fault in again. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	signal(SIGPIPE, SIG_IGN);
	rc = engine_run(&e, &cfg, &o);
	cfg_free(&cfg);
	return (rc);
}

const char engine_export_synopsis[] =
    "       fgtop export DEST [--tunnel T] [-o FILE] [options]\n";

/*
 * fgtop export: the --once poll of one DEST, the diagnosis, then the
 * incident bundle of one tunnel (or of the device) with fresh raw
 * outputs; the bundle's path on stdout.
 */
int
engine_export_main(int argc, char **argv)
{
	enum { OPT_TUNNEL = ENGINE_OPT_END };
	static const struct option longopts[] = {
		ENGINE_LONGOPTS,
		{ "tunnel", required_argument, NULL, OPT_TUNNEL },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct engine		 e;
	struct device_opts	 o;
	struct engine_opts	 eo;
	struct cfg		 cfg;
	int			 ch, r, rc;

	memset(&e, 0, sizeof e);
	memset(&o, 0, sizeof o);
	engine_opts_init(&eo);
	e.export_rc = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "F:o:", longopts, NULL)) != -1) {
		if ((r = engine_option(&eo, ch, optarg)) < 0)
			return (2);
		if (r > 0)
			continue;
		switch (ch) {
		case OPT_TUNNEL:
			e.export_tunnel = optarg;
			break;
		case 'o':
			e.export_file = optarg;
			break;
		default:
			return (2);
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "fgtop: export takes one DEST\n%s",
		    engine_export_synopsis);
		return (2);
	}
	e.mode = ENGINE_EXPORT;
	/* A ticket's one-shot poll: the collector's journal is the record. */
	e.no_journal = 1;
	if ((rc = engine_load(&eo, argv + optind, 1, &cfg, &o)) != 0)
		return (rc);
	if (cfg.ntargets != 1) {
		fprintf(stderr, "fgtop: export takes one device; %s names "
		    "%zu\n", argv[optind], cfg.ntargets);
		cfg_free(&cfg);
		return (2);
	}
	o.poll_ms = cfg.poll_ms;
	o.full_ms = cfg.full_poll_ms;
	o.once = 1;
	signal(SIGPIPE, SIG_IGN);
	rc = engine_run(&e, &cfg, &o);
	cfg_free(&cfg);
	return (rc);
}
