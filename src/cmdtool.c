/* SPDX-License-Identifier: ISC */
/*
 * cmdtool - fgtop route|trace|sniff|debug.  See cmdtool.h.
 */
#include "config.h"

#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "cfg.h"
#include "cli.h"
#include "cmdtool.h"
#include "conn.h"
#include "debug.h"
#include "device.h"
#include "engine.h"
#include "ike_debug.h"
#include "ike_gateway.h"
#include "json.h"
#include "model.h"
#include "reading.h"
#include "routing_table.h"
#include "shell.h"
#include "sniffer.h"
#include "system_status.h"
#include "tool.h"
#include "traceroute.h"
#include "xmalloc.h"
#include "xtime.h"

/* A tool's output kept for its reading; past it the tail is dropped. */
#define CT_MAXOUT	((size_t)1 << 20)
/* After a stop, how long the cleanup may take before fgtop gives up. */
#define CT_CLEANUP_MS	20000
/* A trace that shows this many silent hops in a row has said it all. */
#define CT_SILENT_HOPS	3

const char cmdtool_synopsis[] =
    "       fgtop route DEST ADDR [--vdom V] [--json]\n"
    "       fgtop trace DEST --peer ADDR|TUNNEL [--source ADDR] "
    "[--seconds N] [--json]\n"
    "       fgtop sniff DEST --peer ADDR|TUNNEL [--port 500|4500|both] "
    "[--count N]\n"
    "                   [--seconds N] [--json]\n"
    "       fgtop debug DEST --peer ADDR|TUNNEL [--seconds N] [--json]\n";

/* The first three are tool.h's TOOL_ROUTE, TOOL_TRACE, TOOL_SNIFF. */
enum ct_tool { CT_ROUTE = TOOL_ROUTE, CT_TRACE = TOOL_TRACE,
    CT_SNIFF = TOOL_SNIFF, CT_DEBUG };

struct ct {
	uv_loop_t	 loop;
	enum ct_tool	 which;
	const char	*name;
	int		 json;
	const char	*peer_arg;
	const char	*source_arg;
	const char	*port;
	unsigned	 count;
	unsigned	 run_ms;	/* 0: until the tool ends or a signal */
	struct conn_opts co;
	struct shell_opts so;
	struct cfg_target *target;
	const char	*vdom;		/* multi-VDOM: the one to use */
	char		*model_vdom;
	int		 multi;
	pnum		 major, minor, patch;
	char		 peer[64];
	char		 source[64];
	char		 iface[64];
	char		*tunnel;
	struct model	*model;
	struct mdev	*mdev;
	struct shell	*sh;
	struct tool	*tool;
	struct debug	*dbg;
	uv_signal_t	 sigs[3];
	uv_timer_t	 timer;		/* debug --seconds, then cleanup bound */
	char		*out;
	size_t		 outlen;
	unsigned	 silent;	/* trace: silent hops in a row */
	unsigned	 nlines;
	int		 stopping;
	int		 finished;
	int		 rc;
};

static void
ct_emit(struct ct *c, struct json *j)
{
	char	*s = json_take(j);

	fputs(s, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	free(s);
}

/* Device text to the terminal: sanitised, bounded. */
static void
ct_print(const char *s, size_t n)
{
	char	*b = xmalloc(n + 1);

	n = cli_sanitize(s, n, b);
	fwrite(b, 1, n, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	free(b);
}

static void
ct_close_cb(uv_handle_t *h)
{
}

/* Everything is over: let the loop end. */
static void
ct_finish(struct ct *c, int rc)
{
	size_t	 i;

	if (c->finished)
		return;
	c->finished = 1;
	if (rc > c->rc)
		c->rc = rc;
	if (c->tool != NULL) {
		tool_free(c->tool);
		c->tool = NULL;
	}
	if (c->sh != NULL) {
		shell_close(c->sh);
		c->sh = NULL;
	}
	for (i = 0; i < 3; i++)
		uv_close((uv_handle_t *)&c->sigs[i], ct_close_cb);
	uv_close((uv_handle_t *)&c->timer, ct_close_cb);
}

static void
ct_fail(struct ct *c, const char *why)
{
	fprintf(stderr, "fgtop: %s: %s\n", c->target->name, why);
	if (c->dbg != NULL && !c->stopping) {
		c->rc = 1;
		c->stopping = 1;
		debug_stop(c->dbg);
		return;
	}
	ct_finish(c, 1);
}

/* Print the model's queued events (--json) and drop them. */
static void
ct_flush_events(struct ct *c)
{
	struct mevent	*ev, *p;
	struct json	 j;

	ev = model_events_take(c->model, NULL);
	for (p = ev; c->json && p != NULL; p = p->next) {
		json_init(&j, 0);
		mevent_json(&j, p);
		ct_emit(c, &j);
	}
	mevent_free(ev);
}

static void
ct_event(struct ct *c, const char *to, const char *detail)
{
	model_event(c->model, xtime_now(), "tool", c->mdev->name,
	    c->model_vdom, c->tunnel, c->name, NULL, to, detail);
	ct_flush_events(c);
}

static void
ct_keep(struct ct *c, const char *l, size_t n)
{
	if (c->outlen + n + 1 > CT_MAXOUT)
		return;
	c->out = xrealloc(c->out, c->outlen + n + 2);
	memcpy(c->out + c->outlen, l, n);
	c->outlen += n;
	c->out[c->outlen++] = '\n';
	c->out[c->outlen] = '\0';
}

static void
ct_line_json(struct ct *c, const char *l, size_t n)
{
	struct json	 j;

	json_init(&j, 0);
	json_obj_begin(&j);
	json_kstr(&j, "type", "line");
	json_kstr(&j, "tool", c->name);
	json_key(&j, "text");
	json_strn(&j, l, n);
	json_obj_end(&j);
	ct_emit(c, &j);
}

static void
ct_tool_line(void *arg, const char *l, size_t n)
{
	struct ct	*c = arg;

	ct_keep(c, l, n);
	c->nlines++;
	if (c->json)
		ct_line_json(c, l, n);
	else
		ct_print(l, n);
	if (c->which == CT_TRACE) {
		c->silent = traceroute_hop_silent(l, n) ? c->silent + 1 : 0;
		if (c->silent == CT_SILENT_HOPS && c->tool != NULL)
			tool_stop(c->tool);
	}
}

static void
ct_result(struct ct *c, const char *reading, const char *status)
{
	struct mtun	*t = NULL;
	struct json	 j;

	if (c->tunnel != NULL)
		t = model_tunnel(model_vdom(c->mdev, c->model_vdom),
		    c->tunnel);
	model_tool_result(c->mdev, t, xtime_now(), c->name, c->peer, reading,
	    c->out);
	if (c->json) {
		json_init(&j, 0);
		json_obj_begin(&j);
		json_kstr(&j, "type", "result");
		json_kstr(&j, "tool", c->name);
		json_kstr(&j, "device", c->mdev->name);
		json_kstr(&j, "tunnel", c->tunnel);
		json_kstr(&j, "peer", c->peer);
		json_kstr(&j, "status", status);
		json_kstr(&j, "reading", reading);
		json_obj_end(&j);
		ct_emit(c, &j);
	} else {
		printf("%s: ", c->name);
		ct_print(reading, strlen(reading));
	}
	if (c->which == CT_DEBUG)
		ct_flush_events(c);	/* src/debug says opened / closed */
	else
		ct_event(c, "closed", reading);
}

static void
ct_tool_done(void *arg, enum tool_status st, const char *why)
{
	struct ct		*c = arg;
	char			 buf[READING_MAX];

	if (st == TOOL_FAILED || st == TOOL_LOST) {
		snprintf(buf, sizeof buf, "%s did not complete: %s", c->name,
		    why != NULL ? why : tool_status_name(st));
		ct_result(c, buf, tool_status_name(st));
		ct_finish(c, 1);
		return;
	}
	tool_reading((enum tool_which)c->which, c->out != NULL ? c->out : "",
	    c->outlen, c->peer, c->iface[0] != '\0' ? c->iface : NULL, buf,
	    sizeof buf);
	ct_result(c, buf, tool_status_name(st));
	ct_finish(c, 0);
}

static void
ct_start_tool(struct ct *c)
{
	static const struct tool_cb	 cb = { ct_tool_line, ct_tool_done };
	struct tool_spec		 spec;
	struct tool_req			 req;
	char				 run[TOOL_CMD_MAX], setup[TOOL_CMD_MAX];
	const char			*why;

	memset(&req, 0, sizeof req);
	req.which = (enum tool_which)c->which;
	req.peer = c->peer;
	req.vdom = c->vdom;
	req.source = c->source;
	req.port = c->port;
	req.count = c->count;
	req.run_ms = c->run_ms;
	tool_spec_for(&req, &spec, run, setup);
	ct_event(c, "opened", run);
	c->tool = tool_start(&c->loop, c->sh, &spec, &cb, c, &why);
	if (c->tool == NULL)
		ct_fail(c, why);
}

/* Debug. */

static void
ct_debug_line(void *arg, const struct ike_line *il, const char *l, size_t n,
    struct mtun *t)
{
	struct ct	*c = arg;
	struct json	 j;

	c->nlines++;
	if (c->json) {
		json_init(&j, 0);
		json_obj_begin(&j);
		json_kstr(&j, "type", "ike");
		json_kstr(&j, "tunnel", t != NULL ? t->name : NULL);
		json_kstr(&j, "kind", ike_topic_name(il->topic));
		json_kstr(&j, "class", ike_class_name(il->cls));
		json_kstr(&j, "rule", il->rule);
		json_key(&j, "text");
		if (il->secret)
			json_str(&j, "(key material hidden)");
		else
			json_strn(&j, l, n);
		json_obj_end(&j);
		ct_emit(c, &j);
	} else if (il->secret)
		ct_print("(key material hidden)", 21);
	else
		ct_print(l, n);
}

static void
ct_debug_timer(uv_timer_t *h)
{
	struct ct	*c = h->data;

	if (!c->stopping) {
		c->stopping = 1;
		debug_stop(c->dbg);
	}
}

static void
ct_debug_started(void *arg, enum debug_syntax syn)
{
	struct ct	*c = arg;

	ct_flush_events(c);
	if (!c->json)
		fprintf(stderr, "fgtop: IKE debug on for %s (%s)\n", c->peer,
		    syn == DEBUG_SYNTAX_OLD ? "log-filter" : "log filter");
}

static void
ct_debug_done(void *arg, const char *why)
{
	struct ct	*c = arg;
	char		 buf[READING_MAX];

	snprintf(buf, sizeof buf, "%u IKE lines; debug %s", c->nlines,
	    why == NULL ? "off, reset and filter cleared" : why);
	ct_result(c, buf, why == NULL ? "ok" : "failed");
	ct_finish(c, why == NULL ? 0 : 1);
}

static void
ct_start_debug(struct ct *c)
{
	static const struct debug_cb	 cb = { ct_debug_line,
	    ct_debug_started, ct_debug_done };
	struct debug_opts		 o;

	memset(&o, 0, sizeof o);
	o.vdom = c->vdom;
	o.model_vdom = c->model_vdom;
	/* The device's own safety net: a minute past the run, or 10. */
	o.duration_min = c->run_ms != 0 ? c->run_ms / 60000 + 2 : 10;
	o.cmd_timeout_ms = c->so.cmd_timeout_ms;
	o.disclaimer_accept = c->so.disclaimer_accept;
	/* The lookup session has done its part. */
	shell_close(c->sh);
	c->sh = NULL;
	c->dbg = debug_new(&c->loop, c->model, c->mdev, &c->co, &o,
	    debug_syntax_for(c->major, c->minor, c->patch), &cb, c);
	debug_watch(c->dbg, c->peer);
	if (c->run_ms != 0)
		uv_timer_start(&c->timer, ct_debug_timer, c->run_ms, 0);
}

/* Lookup: system status, then the gateway list. */

static int
ct_is_addr(const char *s)
{
	struct in_addr	 a;

	return (inet_pton(AF_INET, s, &a) == 1);
}

static void
ct_copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s != NULL ? s : "");
}

static void
ct_gateways(struct ct *c, const struct shell_result *r)
{
	struct ike_gateway_list	*ig;
	struct mvdom		*v = model_vdom(c->mdev, c->model_vdom);
	struct mtun		*t = NULL;
	size_t			 i;
	char			 why[128];

	ig = ike_gateway_list_parse(r->output, r->len);
	model_merge_gateways(v, ig, 1, xtime_now());
	for (i = 0; i < ig->n; i++) {
		const struct ike_gateway *g = &ig->gws[i];

		if ((ct_is_addr(c->peer_arg) && g->remote_addr != NULL &&
		    strcmp(g->remote_addr, c->peer_arg) == 0) ||
		    (g->name != NULL && strcmp(g->name, c->peer_arg) == 0)) {
			t = model_tunnel(v, g->name);
			ct_copy(c->peer, sizeof c->peer, g->remote_addr);
			ct_copy(c->source, sizeof c->source, g->local_addr);
			ct_copy(c->iface, sizeof c->iface, g->interface);
			break;
		}
	}
	ike_gateway_list_free(ig);
	if (t != NULL)
		c->tunnel = xstrdup(t->name);
	else if (ct_is_addr(c->peer_arg))
		ct_copy(c->peer, sizeof c->peer, c->peer_arg);
	else {
		snprintf(why, sizeof why, "no tunnel named %s%s%s",
		    c->peer_arg, c->vdom != NULL ? " in VDOM " : "",
		    c->vdom != NULL ? c->vdom : "");
		ct_fail(c, why);
		return;
	}
	if (c->source_arg != NULL)
		ct_copy(c->source, sizeof c->source, c->source_arg);
	if (!ct_is_addr(c->peer)) {
		ct_fail(c, "the tunnel's peer is not an IPv4 address");
		return;
	}
}

static void
ct_lookup_done(void *arg, const struct shell_result *r)
{
	struct ct		*c = arg;
	struct system_status	*st;
	const char		*mode;

	if (c->finished)
		return;
	if (r->status != SHELL_OK && r->status != SHELL_SKIPPED) {
		ct_fail(c, r->len > 0 ? r->output :
		    "the device did not answer the lookup");
		return;
	}
	if (r->id == 1) {
		st = system_status_parse(r->output, r->len);
		model_device_status(c->mdev, st, xtime_now());
		c->major = st->major;
		c->minor = st->minor;
		c->patch = st->patch;
		mode = st->vdom_mode;
		c->multi = mode != NULL && (strcmp(mode, "enable") == 0 ||
		    strcmp(mode, "multiple") == 0 ||
		    strcmp(mode, "split-task") == 0);
		free(c->model_vdom);
		c->model_vdom = xstrdup(c->multi && c->vdom != NULL ? c->vdom :
		    st->current_vdom != NULL && !c->multi ? st->current_vdom :
		    "root");
		system_status_free(st);
		if (!c->multi)
			c->vdom = NULL;
		else if (c->vdom == NULL)
			ct_fail(c, "the device has VDOMs: name one with --vdom");
	} else if (r->id == 2)
		ct_gateways(c, r);
}

static void
ct_lookup_end(void *arg, int ok)
{
	struct ct		*c = arg;
	struct shell_group	*g;
	const char		*why;

	if (c->finished || c->stopping)
		return;
	if (!ok) {
		ct_fail(c, "the lookup did not complete");
		return;
	}
	if (c->peer[0] == '\0') {
		/* After get system status: the gateway list. */
		g = shell_group_new(ct_lookup_done, ct_lookup_end, c);
		if (c->vdom != NULL) {
			char line[64];

			shell_group_add(g, "config vdom", 0, 0);
			snprintf(line, sizeof line, "edit %s", c->vdom);
			shell_group_add(g, line, 0, 0);
		}
		shell_group_add(g, "diagnose vpn ike gateway list", 2, 0);
		if (c->vdom != NULL)
			shell_group_add(g, "end", 0, SHELL_ALWAYS);
		if (c->sh != NULL && shell_submit(c->sh, g, &why) != 0)
			ct_fail(c, why);
		return;
	}
	if (c->which == CT_DEBUG)
		ct_start_debug(c);
	else
		ct_start_tool(c);
}

static void
ct_ready(struct shell *sh, void *arg)
{
	struct ct		*c = arg;
	struct shell_group	*g;
	const char		*why;

	model_device_state(c->mdev, MDEV_UP, NULL, xtime_now());
	g = shell_group_new(ct_lookup_done, ct_lookup_end, c);
	shell_group_add(g, "get system status", 1, 0);
	if (shell_submit(sh, g, &why) != 0)
		ct_fail(c, why);
}

static void
ct_closed(struct shell *sh, void *arg)
{
	struct ct	*c = arg;

	if (c->finished)
		return;
	ct_fail(c, shell_error(sh) != NULL ? shell_error(sh) :
	    "the session ended");
}

static void
ct_cleanup_deadline(uv_timer_t *h)
{
	struct ct	*c = h->data;

	fprintf(stderr, "fgtop: %s: the cleanup did not finish in time\n",
	    c->target->name);
	if (c->dbg != NULL) {
		debug_free(c->dbg);
		c->dbg = NULL;
	}
	ct_finish(c, 1);
}

static void
ct_signal(uv_signal_t *s, int signum)
{
	struct ct	*c = s->data;

	if (c->finished)
		return;
	if (c->stopping) {
		/* A second signal: stop waiting for the cleanup. */
		ct_cleanup_deadline(&c->timer);
		return;
	}
	c->stopping = 1;
	uv_timer_start(&c->timer, ct_cleanup_deadline, CT_CLEANUP_MS, 0);
	if (c->dbg != NULL)
		debug_stop(c->dbg);
	else if (c->tool != NULL)
		tool_stop(c->tool);
	else
		ct_finish(c, 1);	/* nothing set on the device yet */
}

static int
ct_run(struct ct *c, struct cfg *cfg, const struct device_opts *o)
{
	static const int		 signums[3] = { SIGINT, SIGTERM,
	    SIGHUP };
	static const struct shell_cb	 scb = { ct_ready, ct_closed };
	struct cfg_target		*t = &cfg->targets[0];
	size_t				 i;

	uv_loop_init(&c->loop);
	c->target = t;
	c->model = model_new();
	c->mdev = model_add_device(c->model, t->name, t->address, t->port);
	c->model_vdom = xstrdup("root");
	if (t->vdoms != NULL)
		c->vdom = t->vdoms[0];
	c->co.dest = t->address != NULL ? t->address : t->name;
	c->co.user = t->user;
	c->co.port = t->port;
	c->co.ssh_config = o->ssh_config;
	c->co.known_hosts = o->known_hosts;
	c->co.identity = t->identity;
	c->co.password = t->password;
	c->co.token = t->token;
	c->co.accept_new = o->accept_new;
	c->co.no_agent = o->no_agent;
	c->co.timeout_ms = o->timeout_ms;
	c->so.disclaimer_accept = t->disclaimer_accept;
	c->so.cmd_timeout_ms = o->cmd_timeout_ms;
	if (c->run_ms + 10000 > c->so.cmd_timeout_ms)
		c->so.cmd_timeout_ms = c->run_ms + 10000;
	for (i = 0; i < 3; i++) {
		uv_signal_init(&c->loop, &c->sigs[i]);
		c->sigs[i].data = c;
		uv_signal_start(&c->sigs[i], ct_signal, signums[i]);
	}
	uv_timer_init(&c->loop, &c->timer);
	c->timer.data = c;
	c->sh = shell_new(&c->loop, &c->co, &c->so, &scb, c);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	if (c->dbg != NULL)
		debug_free(c->dbg);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&c->loop) != 0)
		fprintf(stderr, "fgtop: internal error: handles left open\n");
	model_free(c->model);
	free(c->model_vdom);
	free(c->tunnel);
	free(c->out);
	return (c->rc);
}

static unsigned
ct_uint(const char *s, unsigned max)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > max)
		return (0);
	return ((unsigned)v);
}

int
cmdtool_main(int argc, char **argv)
{
	enum {
		OPT_PEER = ENGINE_OPT_END, OPT_SOURCE, OPT_PORT, OPT_COUNT,
		OPT_SECONDS, OPT_JSON,
	};
	static const struct option longopts[] = {
		ENGINE_LONGOPTS,
		{ "peer", required_argument, NULL, OPT_PEER },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 }
	};
	struct ct		 c;
	struct engine_opts	 eo;
	struct device_opts	 o;
	struct cfg		 cfg;
	char			*dest;
	int			 ch, r, rc;

	memset(&c, 0, sizeof c);
	memset(&o, 0, sizeof o);
	engine_opts_init(&eo);
	c.name = argv[0];
	if (strcmp(c.name, "route") == 0)
		c.which = CT_ROUTE;
	else if (strcmp(c.name, "trace") == 0)
		c.which = CT_TRACE;
	else if (strcmp(c.name, "sniff") == 0)
		c.which = CT_SNIFF;
	else
		c.which = CT_DEBUG;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "F:", longopts, NULL)) != -1) {
		if ((r = engine_option(&eo, ch, optarg)) < 0)
			return (2);
		if (r > 0)
			continue;
		switch (ch) {
		case OPT_PEER:
			c.peer_arg = optarg;
			break;
		case OPT_SOURCE:
			if (!ct_is_addr(optarg)) {
				fprintf(stderr, "fgtop: --source wants an "
				    "IPv4 address\n");
				return (2);
			}
			c.source_arg = optarg;
			break;
		case OPT_PORT:
			if (strcmp(optarg, "500") != 0 &&
			    strcmp(optarg, "4500") != 0 &&
			    strcmp(optarg, "both") != 0) {
				fprintf(stderr, "fgtop: --port is 500, 4500 "
				    "or both\n");
				return (2);
			}
			c.port = optarg;
			break;
		case OPT_COUNT:
			if ((c.count = ct_uint(optarg, 100000)) == 0) {
				fprintf(stderr, "fgtop: --count wants 1 to "
				    "100000\n");
				return (2);
			}
			break;
		case OPT_SECONDS:
			if ((c.run_ms = engine_seconds(optarg)) == 0) {
				fprintf(stderr, "fgtop: not a number of "
				    "seconds: %s\n", optarg);
				return (2);
			}
			break;
		case OPT_JSON:
			c.json = 1;
			break;
		default:
			return (2);
		}
	}
	if (c.which == CT_ROUTE && c.peer_arg == NULL &&
	    argc - optind == 2)
		c.peer_arg = argv[--argc];
	if (argc - optind != 1 || c.peer_arg == NULL) {
		fprintf(stderr, "usage:\n%s", cmdtool_synopsis);
		return (2);
	}
	if (strlen(c.peer_arg) > 35 || strlen(c.peer_arg) == 0) {
		fprintf(stderr, "fgtop: not a peer address or tunnel name: "
		    "%s\n", c.peer_arg);
		return (2);
	}
	dest = argv[optind];
	if ((rc = engine_load(&eo, &dest, 1, &cfg, &o)) != 0)
		return (rc);
	if (cfg.ntargets != 1) {
		fprintf(stderr, "fgtop: %s runs on one device; %s names %zu\n",
		    c.name, dest, cfg.ntargets);
		cfg_free(&cfg);
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	rc = ct_run(&c, &cfg, &o);
	cfg_free(&cfg);
	return (rc);
}
