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
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cfg.h"
#include "device.h"
#include "engine.h"
#include "json.h"
#include "model.h"
#include "ui.h"
#include "xmalloc.h"

enum engine_mode {
	ENGINE_ONCE,
	ENGINE_WATCH,
	ENGINE_UI,
};

struct engine {
	uv_loop_t	 loop;
	enum engine_mode mode;
	int		 json;
	int		 compact;
	struct model	*model;
	struct device	**devs;
	size_t		 ndevs;
	size_t		 ndone;
	size_t		 failed;	/* devices without a complete round */
	uv_signal_t	 sigs[3];
	uv_check_t	 check;
	uv_timer_t	 deadline;
	int		 stopping;
	int		 write_failed;
	FILE		*out;
	void		*ui;
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
    "  --timeout SECONDS   connect and login timeout (default 15)\n"
    "  --command-timeout SECONDS\n"
    "                      interrupt a poll command silent this long\n"
    "                      (default 60)\n"
    "  -c, --compact       compact JSON\n";

static double
engine_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Write a JSON value and a newline; remember a failure (full disk). */
static void
engine_emit(struct engine *e, struct json *j)
{
	char	*s = json_take(j);

	if (fputs(s, e->out) == EOF || fputc('\n', e->out) == EOF ||
	    fflush(e->out) == EOF) {
		if (!e->write_failed)
			fprintf(stderr, "fgtop: writing output: %s\n",
			    strerror(errno));
		e->write_failed = 1;
	}
	free(s);
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
			    engine_now());
	}
}

/* Close every session and handle; uv_run returns once they are gone. */
static void
engine_stop(struct engine *e)
{
	size_t	 i;

	if (e->stopping)
		return;
	e->stopping = 1;
	/* Devices are freed once stopped: read what --once needs first. */
	if (e->mode == ENGINE_ONCE)
		engine_mark_unfinished(e);
	for (i = 0; i < e->ndevs; i++) {
		if (!device_ok(e->devs[i]))
			e->failed++;
		device_stop(e->devs[i]);
	}
	for (i = 0; i < 3; i++)
		uv_close((uv_handle_t *)&e->sigs[i], engine_close_cb);
	uv_close((uv_handle_t *)&e->deadline, engine_close_cb);
	if (e->ui != NULL)
		engine_ui->close(e->ui);
	/* The check handle runs once more to write the last events. */
}

/* Once per loop turn: hand the recorded events to whoever listens. */
static void
engine_check_cb(uv_check_t *h)
{
	struct engine	*e = h->data;
	struct mevent	*ev, *p;
	struct json	 j;

	ev = model_events_take(e->model, NULL);
	if (e->mode == ENGINE_WATCH) {
		for (p = ev; p != NULL; p = p->next) {
			json_init(&j, 0);
			mevent_json(&j, p);
			engine_emit(e, &j);
		}
	}
	if (e->ui != NULL)
		engine_ui->events(e->ui, ev);
	mevent_free(ev);
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

static void
engine_device_done(struct device *d, void *arg)
{
	struct engine	*e = arg;

	if (++e->ndone == e->ndevs)
		engine_stop(e);
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
	struct json	 j;

	if (!e->json) {
		engine_text(e);
		if (fflush(e->out) == EOF)
			e->write_failed = 1;
		return;
	}
	json_init(&j, !e->compact);
	model_json(&j, e->model, engine_now(), PACKAGE_VERSION, NULL);
	engine_emit(e, &j);
}

static int
engine_run(struct engine *e, struct cfg *cfg, const struct device_opts *o)
{
	static const int signums[3] = { SIGINT, SIGTERM, SIGHUP };
	size_t		 i;
	int		 rc = 0;

	if (uv_loop_init(&e->loop) != 0) {
		fprintf(stderr, "fgtop: cannot start the event loop\n");
		return (1);
	}
	e->model = model_new();
	e->out = stdout;
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
	if (e->mode == ENGINE_ONCE)
		uv_timer_start(&e->deadline, engine_deadline_cb,
		    o->timeout_ms + 5 * o->cmd_timeout_ms, 0);
	if (e->mode == ENGINE_UI) {
		struct ui_actions	 act;
		char			*err = NULL;

		memset(&act, 0, sizeof act);
		act.arg = e;
		act.quit = engine_ui_quit;
		act.focus = engine_ui_focus;
		/* Tools (debug, sniffer, traceroute, route) come later. */
		if ((e->ui = engine_ui->start(&e->loop, e->model, &act,
		    engine_ui_mark, cfg->keys, cfg->theme, &err)) == NULL) {
			fprintf(stderr, "fgtop: %s\n", err);
			free(err);
			engine_stop(e);
			uv_run(&e->loop, UV_RUN_DEFAULT);
			uv_loop_close(&e->loop);
			model_free(e->model);
			return (1);
		}
	}
	e->ndevs = cfg->ntargets;
	e->devs = xcalloc(e->ndevs, sizeof *e->devs);
	for (i = 0; i < e->ndevs; i++)
		e->devs[i] = device_new(&e->loop, e->model, &cfg->targets[i],
		    o, engine_device_done, e);
	/* The copies hold the secrets now; wipe the config's early. */
	for (i = 0; i < e->ndevs; i++)
		device_start(e->devs[i]);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	if (e->ui != NULL)
		engine_ui->free(e->ui);
	if (e->mode == ENGINE_ONCE) {
		engine_once_output(e);
		if (e->failed > 0)
			rc = 1;
	}
	if (e->write_failed)
		rc = 1;
	if (uv_loop_close(&e->loop) != 0)
		fprintf(stderr, "fgtop: internal error: handles left open\n");
	/* Devices are freed by their close callbacks; the array is ours. */
	free(e->devs);
	model_free(e->model);
	return (rc);
}

/* Seconds on the command line, as milliseconds; 0 when invalid. */
static unsigned
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

int
engine_main(int argc, char **argv)
{
	enum {
		OPT_ONCE = 256, OPT_WATCH, OPT_JSON, OPT_CONFIG, OPT_ACCEPT,
		OPT_VDOM, OPT_KNOWN, OPT_ASK, OPT_NOAGENT, OPT_POLL, OPT_FULL,
		OPT_TIMEOUT, OPT_CMDTIMEOUT,
	};
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "watch-json", no_argument, NULL, OPT_WATCH },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "accept-new", no_argument, NULL, OPT_ACCEPT },
		{ "vdom", required_argument, NULL, OPT_VDOM },
		{ "known-hosts", required_argument, NULL, OPT_KNOWN },
		{ "ask-password", no_argument, NULL, OPT_ASK },
		{ "no-agent", no_argument, NULL, OPT_NOAGENT },
		{ "poll", required_argument, NULL, OPT_POLL },
		{ "full-poll", required_argument, NULL, OPT_FULL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "command-timeout", required_argument, NULL, OPT_CMDTIMEOUT },
		{ "compact", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct engine		 e;
	struct device_opts	 o;
	struct cfg		 cfg;
	const char		*config = NULL, *vdoms = NULL;
	const char		*ssh_config = NULL, *known_hosts = NULL;
	char			*err = NULL;
	unsigned		 poll = 0, full = 0, timeout = 15000;
	unsigned		 cmdtimeout = 60000;
	int			 ch, mode = -1, accept = 0, ask = 0;
	int			 rc;
	size_t			 i;

	memset(&e, 0, sizeof e);
	memset(&o, 0, sizeof o);
	optind = 0;	/* argv[0] is an option: restart getopt fully */
	while ((ch = getopt_long(argc, argv, "+F:c", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_ONCE:
			mode = ENGINE_ONCE;
			break;
		case OPT_WATCH:
			mode = ENGINE_WATCH;
			break;
		case OPT_JSON:
			e.json = 1;
			break;
		case 'F':
			ssh_config = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_ACCEPT:
			accept = 1;
			break;
		case OPT_VDOM:
			vdoms = optarg;
			break;
		case OPT_KNOWN:
			known_hosts = optarg;
			break;
		case OPT_ASK:
			ask = 1;
			break;
		case OPT_NOAGENT:
			o.no_agent = 1;
			break;
		case OPT_POLL:
		case OPT_FULL:
		case OPT_TIMEOUT:
		case OPT_CMDTIMEOUT:
			if (engine_seconds(optarg) == 0) {
				fprintf(stderr, "fgtop: not a number of "
				    "seconds: %s\n", optarg);
				return (2);
			}
			if (ch == OPT_POLL)
				poll = engine_seconds(optarg);
			else if (ch == OPT_FULL)
				full = engine_seconds(optarg);
			else if (ch == OPT_TIMEOUT)
				timeout = engine_seconds(optarg);
			else
				cmdtimeout = engine_seconds(optarg);
			break;
		case 'c':
			e.compact = 1;
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
	cfg_init(&cfg);
	if (cfg_load(&cfg, config, &err) != 0 ||
	    cfg_targets(&cfg, argv + optind, (size_t)(argc - optind), vdoms,
	    &err) != 0) {
		fprintf(stderr, "fgtop: %s\n", err);
		free(err);
		cfg_free(&cfg);
		return (2);
	}
	if (cfg.ntargets == 0) {
		fprintf(stderr, "fgtop: no DEST given and no device in the "
		    "config file\n");
		cfg_free(&cfg);
		return (2);
	}
	for (i = 0; ask && i < cfg.ntargets; i++)
		if (cfg.targets[i].password_file == NULL &&
		    cfg.targets[i].password_command == NULL)
			cfg.targets[i].ask_password = 1;
	if (cfg_secrets(&cfg, 1, &err) != 0) {
		fprintf(stderr, "fgtop: %s\n", err);
		free(err);
		cfg_free(&cfg);
		return (1);
	}
	o.ssh_config = ssh_config != NULL ? ssh_config : cfg.ssh_config;
	o.known_hosts = known_hosts != NULL ? known_hosts : cfg.known_hosts;
	o.accept_new = accept || cfg.accept_new;
	o.poll_ms = poll != 0 ? poll : cfg.poll_ms;
	o.full_ms = full != 0 ? full : cfg.full_poll_ms;
	o.timeout_ms = timeout;
	o.cmd_timeout_ms = cmdtimeout;
	o.once = mode == ENGINE_ONCE;
	/* A poller keeps its heap: freed pages would fault in again. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	signal(SIGPIPE, SIG_IGN);
	rc = engine_run(&e, &cfg, &o);
	cfg_free(&cfg);
	return (rc);
}
