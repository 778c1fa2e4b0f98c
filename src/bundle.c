/* SPDX-License-Identifier: ISC */
/*
 * bundle - the incident bundle.  See bundle.h.
 *
 * Each file is made in memory (a bbuf or a json memory sink), then added
 * to the archive: the bundle of one device is a few megabytes at most
 * (its raw outputs are bounded by the shell), and a whole file at a time
 * keeps the tar headers simple.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "diagnose.h"
#include "diagnose_model.h"
#include "ike_debug.h"
#include "json.h"
#include "model.h"
#include "targz.h"
#include "xmalloc.h"

/* Longest piece of a device or tunnel name in the top directory. */
#define BUNDLE_NAMEMAX	40

struct braw {
	char		*file;		/* raw/NN-....txt */
	char		*command;
	char		*vdom;
	double		 time;
	char		*text;
	size_t		 len;
	char		*problem;
};

struct bundle {
	char		*device;
	char		*vdom;
	char		*tunnel;
	struct braw	*raw;
	size_t		 nraw;
	char		*no_raw;
	evlog_each_fn	*each;
	void		*src;
};

/* A growing text. */
struct bbuf {
	char	*p;
	size_t	 len, cap;
};

static void
bbuf_put(struct bbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
bbuf_str(struct bbuf *b, const char *s)
{
	bbuf_put(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
bbuf_printf(struct bbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_fatal("bundle");
	bbuf_put(b, s, (size_t)n);
	free(s);
}

static const char *
bundle_or(const char *s, const char *dflt)
{
	return (s != NULL && *s != '\0' ? s : dflt);
}

static char *
bundle_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* UTC, as a person reads it ("2026-12-03 12:09:27 UTC") or compact. */
static const char *
bundle_time(double t, int compact, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 s = (time_t)t;

	if (!(t > 0)) {
		snprintf(buf, len, "unknown");
		return (buf);
	}
	gmtime_r(&s, &tm);
	strftime(buf, len, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%d %H:%M:%S UTC",
	    &tm);
	return (buf);
}

/* A duration in words: "42 s", "3 min 12 s", "2 h 05 min", "3 d 4 h". */
static const char *
bundle_age(double secs, char *buf, size_t len)
{
	long long	 s = secs > 0 ? (long long)secs : 0;

	if (s < 60)
		snprintf(buf, len, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%lld min %02lld s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lld h %02lld min", s / 3600,
		    s / 60 % 60);
	else
		snprintf(buf, len, "%lld d %lld h", s / 86400, s / 3600 % 24);
	return (buf);
}

static const char *
bundle_num(pnum v, char *buf, size_t len)
{
	if (v == PNUM_UNKNOWN)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%lld", (long long)v);
	return (buf);
}

/* A name as a piece of a file name: [A-Za-z0-9._-], bounded. */
static void
bundle_fname(char *out, size_t len, const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i + 1 < len && i < BUNDLE_NAMEMAX; i++)
		out[i] = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-' ? s[i] : '_';
	out[i] = '\0';
	/* Never "." or "..", never hidden. */
	if (out[0] == '.')
		out[0] = '_';
	if (out[0] == '\0')
		snprintf(out, len, "_");
}

struct bundle *
bundle_new(const char *device, const char *vdom, const char *tunnel)
{
	struct bundle	*b = xcalloc(1, sizeof *b);

	b->device = xstrdup(device);
	b->vdom = bundle_dup(vdom);
	b->tunnel = bundle_dup(tunnel);
	return (b);
}

void
bundle_free(struct bundle *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nraw; i++) {
		free(b->raw[i].file);
		free(b->raw[i].command);
		free(b->raw[i].vdom);
		free(b->raw[i].text);
		free(b->raw[i].problem);
	}
	free(b->raw);
	free(b->no_raw);
	free(b->device);
	free(b->vdom);
	free(b->tunnel);
	free(b);
}

/*
 * Whether the line has `key=N ` then a hex word, the way `diagnose vpn
 * tunnel list` prints an SA's keys; *at gets where the hex starts and
 * *n its length.
 */
static int
bundle_keyword(const char *s, size_t len, size_t from, size_t *at, size_t *n)
{
	size_t	 i, k;

	for (i = from; i + 4 < len; i++) {
		if (memcmp(s + i, "key=", 4) != 0 || (i > 0 && s[i - 1] != ' '
		    && s[i - 1] != '\t'))
			continue;
		for (k = i + 4; k < len && s[k] >= '0' && s[k] <= '9'; k++)
			;
		if (k == i + 4 || k >= len || s[k] != ' ')
			continue;
		*at = ++k;
		while (k < len && ((s[k] >= '0' && s[k] <= '9') ||
		    (s[k] >= 'a' && s[k] <= 'f') || (s[k] >= 'A' &&
		    s[k] <= 'F')))
			k++;
		if (k == *at)
			continue;
		*n = k - *at;
		return (1);
	}
	return (0);
}

char *
bundle_redact(const char *s, size_t len, size_t *outlen)
{
	struct bbuf	 b = { NULL, 0, 0 };
	struct ike_line	 il;
	const char	*nl;
	size_t		 n, at, kn, from;

	bbuf_put(&b, "", 0);
	while (len > 0) {
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) : len;
		/* The IKE debug parser's own judgement of a line. */
		if ((void)ike_debug_line(s, n, &il), il.secret)
			bbuf_put(&b, "(key material hidden)", 21);
		else {
			for (from = 0; bundle_keyword(s, n, from, &at, &kn);
			    from = at + kn) {
				bbuf_put(&b, s + from, at - from);
				bbuf_put(&b, "(hidden)", 8);
			}
			bbuf_put(&b, s + from, n - from);
		}
		if (nl != NULL) {
			bbuf_put(&b, "\n", 1);
			n++;
		}
		s += n;
		len -= n;
	}
	b.len = cli_sanitize(b.p, b.len, b.p);
	b.p[b.len] = '\0';
	*outlen = b.len;
	return (b.p);
}

/* The command as a file name: "get-vpn-ipsec-tunnel-summary". */
static void
bundle_cmd_fname(char *out, size_t len, const char *cmd)
{
	size_t	 i, k = 0;
	int	 dash = 0;

	for (i = 0; cmd[i] != '\0' && k + 2 < len && k < 60; i++) {
		if ((cmd[i] >= 'a' && cmd[i] <= 'z') || (cmd[i] >= 'A' &&
		    cmd[i] <= 'Z') || (cmd[i] >= '0' && cmd[i] <= '9') ||
		    cmd[i] == '.' || cmd[i] == '_') {
			if (dash && k > 0)
				out[k++] = '-';
			out[k++] = cmd[i];
			dash = 0;
		} else
			dash = 1;
	}
	out[k] = '\0';
}

void
bundle_raw(struct bundle *b, const char *command, const char *vdom,
    double time, const char *out, size_t len, const char *problem)
{
	struct braw	*r;
	char		 c[64], v[BUNDLE_NAMEMAX + 1];

	b->raw = xreallocarray(b->raw, b->nraw + 1, sizeof *b->raw);
	r = &b->raw[b->nraw++];
	memset(r, 0, sizeof *r);
	bundle_cmd_fname(c, sizeof c, command);
	if (vdom != NULL) {
		bundle_fname(v, sizeof v, vdom);
		xasprintf(&r->file, "raw/%02zu-%s-%s.txt", b->nraw, v, c);
	} else
		xasprintf(&r->file, "raw/%02zu-%s.txt", b->nraw, c);
	r->command = xstrdup(command);
	r->vdom = bundle_dup(vdom);
	r->time = time;
	r->text = bundle_redact(out != NULL ? out : "", out != NULL ? len : 0,
	    &r->len);
	r->problem = bundle_dup(problem);
}

void
bundle_no_raw(struct bundle *b, const char *why)
{
	free(b->no_raw);
	b->no_raw = xstrdup(why);
}

void
bundle_timeline(struct bundle *b, evlog_each_fn *each, void *src)
{
	b->each = each;
	b->src = src;
}

/* What bundle_write works on. */
struct bw {
	struct bundle		*b;
	const struct mdev	*d;
	const struct mtun	*t;	/* NULL: the device */
	double			 now;
	const char		*version;
	char			 top[160];
	struct targz		*tg;
	time_t			 mtime;
	size_t			 nevents;
	struct bbuf		 files;	/* README's list of files */
};

static int
bw_add(struct bw *w, const char *name, const char *text, size_t len,
    const char *what)
{
	char	 path[320];

	snprintf(path, sizeof path, "%s/%s", w->top, name);
	if (what != NULL)
		bbuf_printf(&w->files, "  %s\n      %s\n", name, what);
	return (targz_file(w->tg, path, text, len, w->mtime));
}

/* A text file: sanitised once more, whatever it was made of. */
static int
bw_text(struct bw *w, const char *name, struct bbuf *t, const char *what)
{
	int	 rc;

	if (t->p == NULL)
		bbuf_put(t, "", 0);
	t->len = cli_sanitize(t->p, t->len, t->p);
	rc = bw_add(w, name, t->p, t->len, what);
	free(t->p);
	memset(t, 0, sizeof *t);
	return (rc);
}

static int
bw_json(struct bw *w, const char *name, struct json *j, const char *what)
{
	int	 rc;

	if (j->buf == NULL || j->len == 0 || j->buf[j->len - 1] != '\n')
		json_line_end(j);
	rc = bw_add(w, name, j->buf, j->len, what);
	json_free(j);
	return (rc);
}

/* README: the device. */
static void
readme_device(struct bbuf *o, const struct bw *w)
{
	const struct mdev	*d = w->d;
	char			 t[64], a[64], n[24];

	bbuf_printf(o, "Device %s\n", d->name);
	bbuf_printf(o, "  address     %s%s%s\n", bundle_or(d->host, "?"),
	    d->port > 0 ? ":" : "", d->port > 0 ? bundle_num(d->port, n,
	    sizeof n) : "");
	bbuf_printf(o, "  hostname    %s\n", bundle_or(d->hostname, "unknown"));
	bbuf_printf(o, "  model       %s\n", bundle_or(d->model, "unknown"));
	bbuf_printf(o, "  version     %s", bundle_or(d->version, "unknown"));
	if (d->build != PNUM_UNKNOWN)
		bbuf_printf(o, " build %lld", (long long)d->build);
	bbuf_printf(o, "\n  serial      %s\n", bundle_or(d->serial, "unknown"));
	bbuf_printf(o, "  VDOM mode   %s\n", bundle_or(d->vdom_mode, "unknown"));
	bbuf_printf(o, "  HA mode     %s\n", bundle_or(d->ha_mode, "unknown"));
	bbuf_printf(o, "  state       %s since %s (%s)%s%s\n",
	    mdev_state_name(d->state), bundle_time(d->state_since, 0, t,
	    sizeof t), bundle_age(w->now - d->state_since, a, sizeof a),
	    d->error != NULL ? ": " : "", d->error != NULL ? d->error : "");
	if (d->last_ok > 0)
		bbuf_printf(o, "  last poll   %s\n", bundle_time(d->last_ok, 0,
		    t, sizeof t));
	bbuf_str(o, "\n");
}

static const char *
bundle_sa_words(pnum sa)
{
	switch (sa) {
	case 0:
		return ("no SA: a selector mismatch, or no traffic has "
		    "started it yet");
	case 1:
		return ("SA up");
	case 2:
		return ("rekey in progress (two SAs)");
	default:
		return ("unknown");
	}
}

/* Phase 1 in words. */
static void
readme_phase1(struct bbuf *o, const struct bw *w, const struct mtun *t)
{
	const struct mphase1	*p = &t->p1;
	char			 a[64], n1[24], n2[24], n3[24], n4[24];
	const char		*st = p->status;

	if (!t->has_phase1 || st == NULL) {
		bbuf_str(o, "  phase 1     unknown: the gateway list did not "
		    "show this tunnel\n");
		return;
	}
	if (strcmp(st, "established") == 0)
		bbuf_printf(o, "  phase 1     established for %s",
		    p->established_ago_s != PNUM_UNKNOWN ?
		    bundle_age((double)p->established_ago_s, a, sizeof a) :
		    "an unknown time");
	else if (strcmp(st, "connecting") == 0)
		bbuf_printf(o, "  phase 1     NOT established: connecting for "
		    "%s", p->created_ago_s != PNUM_UNKNOWN ?
		    bundle_age((double)p->created_ago_s, a, sizeof a) :
		    "an unknown time");
	else
		bbuf_printf(o, "  phase 1     %s", st);
	bbuf_printf(o, " (IKEv%s, %s, interface %s)\n",
	    bundle_num(p->version, n1, sizeof n1),
	    bundle_or(p->direction, "direction unknown"),
	    bundle_or(p->interface, "?"));
	bbuf_printf(o, "              IKE SA created %s/%s, established "
	    "%s/%s", bundle_num(p->ike_created[0], n1, sizeof n1),
	    bundle_num(p->ike_created[1], n2, sizeof n2),
	    bundle_num(p->ike_established[0], n3, sizeof n3),
	    bundle_num(p->ike_established[1], n4, sizeof n4));
	bbuf_printf(o, "; DPD sent/received %s/%s",
	    bundle_num(p->dpd_sent, n1, sizeof n1),
	    bundle_num(p->dpd_recv, n2, sizeof n2));
	if (p->nat_me > 0 || p->nat_peer > 0)
		bbuf_printf(o, "; NAT detected (%s)", p->nat_me > 0 &&
		    p->nat_peer > 0 ? "both sides" : p->nat_me > 0 ?
		    "this side" : "peer side");
	if (p->peer_id != NULL)
		bbuf_printf(o, "; peer ID %s", p->peer_id);
	bbuf_str(o, "\n");
}

static void
readme_phase2(struct bbuf *o, const struct bw *w, const struct mtun *t)
{
	const struct mphase2	*p;
	char			 a[64], n1[24], n2[24];
	size_t			 i;

	bbuf_printf(o, "  phase 2     %s of %s selectors up\n",
	    bundle_num(t->selectors_up, n1, sizeof n1),
	    bundle_num(t->selectors_total, n2, sizeof n2));
	for (i = 0; i < t->np2; i++) {
		p = &t->p2[i];
		bbuf_printf(o, "              %s: %s -> %s, sa=%s (%s)",
		    bundle_or(p->name, "?"), bundle_or(p->src, "?"),
		    bundle_or(p->dst, "?"), bundle_num(p->sa, n1, sizeof n1),
		    bundle_sa_words(p->sa));
		if (p->sa_since > 0)
			bbuf_printf(o, " for %s", bundle_age(w->now -
			    p->sa_since, a, sizeof a));
		bbuf_printf(o, "; packets enc %s, dec %s\n",
		    bundle_num(p->enc_pkts, n1, sizeof n1),
		    bundle_num(p->dec_pkts, n2, sizeof n2));
	}
}

/* The top finding of t, or NULL. */
static const struct dg_finding *
bundle_top(const struct mtun *t)
{
	const struct dg_findings	*fs = diagnose_model_findings(t);

	return (fs != NULL && fs->n > 0 ? &fs->v[0] : NULL);
}

/* What the model's history says (a journal restores it at start). */
static void
readme_history(struct bbuf *o, const struct bw *w, const struct mtun *t)
{
	char	 a[64], b[64], c[64];

	if (t->hist.first <= 0)
		return;
	bbuf_printf(o, "  history     %u flaps in the last hour; down %s in "
	    "the last hour, %s in the last day", model_tunnel_flaps(t, w->now,
	    3600), bundle_age(model_tunnel_downtime(t, w->now, 3600), a,
	    sizeof a), bundle_age(model_tunnel_downtime(t, w->now,
	    MODEL_HIST_SPAN), b, sizeof b));
	if (t->state == MTUN_UP)
		bbuf_printf(o, "; up for %s", bundle_age(
		    model_tunnel_uptime(t, w->now), c, sizeof c));
	bbuf_str(o, "\n");
}

static void
readme_tunnel(struct bbuf *o, const struct bw *w, const struct mtun *t)
{
	char	 ts[64], a[64], n[24];
	pnum	 port;

	bbuf_printf(o, "Tunnel %s (VDOM %s)\n", t->name, t->vdom->name);
	if (t->parent != NULL)
		bbuf_printf(o, "  instance of %s (dial-up / ADVPN)\n",
		    t->parent);
	bbuf_printf(o, "  peer        %s", bundle_or(t->p1.remote_addr != NULL ?
	    t->p1.remote_addr : t->remote_addr, "unknown"));
	port = t->p1.remote_port != PNUM_UNKNOWN ? t->p1.remote_port :
	    t->remote_port;
	if (port != PNUM_UNKNOWN && port > 0)
		bbuf_printf(o, " port %lld", (long long)port);
	bbuf_printf(o, ", local gateway %s\n", bundle_or(t->p1.local_addr !=
	    NULL ? t->p1.local_addr : t->local_addr, "unknown"));
	bbuf_printf(o, "  state       %s since %s (%s)\n",
	    mtun_state_name(t->state), bundle_time(t->changed_at, 0, ts,
	    sizeof ts), bundle_age(w->now - t->changed_at, a, sizeof a));
	readme_phase1(o, w, t);
	readme_phase2(o, w, t);
	readme_history(o, w, t);
	bbuf_printf(o, "  traffic     rx %s packets", bundle_num(t->rx_pkt, n,
	    sizeof n));
	bbuf_printf(o, " (%s errors)", bundle_num(t->rx_err, n, sizeof n));
	bbuf_printf(o, ", tx %s packets", bundle_num(t->tx_pkt, n, sizeof n));
	bbuf_printf(o, " (%s errors)\n\n", bundle_num(t->tx_err, n, sizeof n));
}

/* A device bundle: one line a tunnel. */
static void
readme_tunnels(struct bbuf *o, const struct bw *w)
{
	const struct mvdom		*v;
	const struct mtun		*t;
	const struct dg_finding		*f;
	char				 a[64], n1[24], n2[24];
	size_t				 i, k, n = 0;

	bbuf_str(o, "Tunnels\n");
	for (i = 0; i < w->d->nvdoms; i++) {
		v = w->d->vdoms[i];
		for (k = 0; k < v->ntunnels; k++, n++) {
			t = v->tunnels[k];
			f = bundle_top(t);
			bbuf_printf(o, "  %s/%s: %s for %s, phase 1 %s, "
			    "%s/%s selectors up, peer %s\n", v->name, t->name,
			    mtun_state_name(t->state), bundle_age(w->now -
			    t->changed_at, a, sizeof a),
			    bundle_or(t->p1.status, "unknown"),
			    bundle_num(t->selectors_up, n1, sizeof n1),
			    bundle_num(t->selectors_total, n2, sizeof n2),
			    bundle_or(t->remote_addr, "unknown"));
			if (f != NULL)
				bbuf_printf(o, "      %s: %s\n", f->rule->id,
				    f->rule->title);
		}
	}
	if (n == 0)
		bbuf_str(o, "  (none known)\n");
	bbuf_str(o, "\n");
}

static void
readme_indent(struct bbuf *o, const char *text)
{
	const char	*nl;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		bbuf_str(o, "  ");
		bbuf_put(o, text, nl != NULL ? (size_t)(nl - text) :
		    strlen(text));
		bbuf_str(o, "\n");
		if (nl == NULL)
			break;
		text = nl + 1;
	}
}

static void
readme_findings(struct bbuf *o, const struct bw *w)
{
	const struct dg_findings	*fs;
	const struct mvdom		*v;
	char				*s;
	size_t				 i, k, n = 0;

	bbuf_str(o, "Findings\n");
	for (i = 0; i < w->d->nvdoms; i++) {
		v = w->d->vdoms[i];
		for (k = 0; k < v->ntunnels; k++) {
			if (w->t != NULL && v->tunnels[k] != w->t)
				continue;
			fs = diagnose_model_findings(v->tunnels[k]);
			if (fs == NULL || fs->n == 0)
				continue;
			s = diagnose_text(fs);
			if (n++ > 0)
				bbuf_str(o, "\n");
			readme_indent(o, s);
			free(s);
		}
	}
	if (n == 0)
		bbuf_str(o, "  No findings: the rules see nothing wrong in what "
		    "fgtop read.\n");
	bbuf_str(o, "\n");
}

/* What the tools read, for one mtools (t NULL: the device's own). */
static size_t
readme_tools_of(struct bbuf *o, const struct bw *w, const char *whose,
    const struct mtools *mt)
{
	const struct mtool_result	*r;
	const struct mdebug_line	*l;
	char				 ts[64];
	size_t				 i, n = 0;

	if (mt == NULL)
		return (0);
	for (i = 0; (r = mtools_result(mt, i)) != NULL; i++, n++)
		bbuf_printf(o, "  %s  %s%s %s toward %s: %s\n",
		    bundle_time(r->time, 0, ts, sizeof ts), whose,
		    whose[0] != '\0' ? ":" : "", r->tool,
		    bundle_or(r->target, "?"), bundle_or(r->reading, "-"));
	if (mt->nlines > 0) {
		l = mtools_line(mt, mt->nlines - 1);
		bbuf_printf(o, "  %s%sIKE debug: %zu lines kept of %llu seen, "
		    "the newest at %s\n", whose, whose[0] != '\0' ? ": " : "",
		    mt->nlines, mt->lines_total, bundle_time(l->time, 0, ts,
		    sizeof ts));
		n++;
	}
	return (n);
}

static void
readme_tools(struct bbuf *o, const struct bw *w)
{
	const struct mvdom	*v;
	const struct mtun	*t;
	char			 whose[128];
	size_t			 i, k, n = 0;

	bbuf_str(o, "What the tools read\n");
	if (w->t != NULL)
		n += readme_tools_of(o, w, "", w->t->tools);
	else {
		n += readme_tools_of(o, w, "device", w->d->tools);
		for (i = 0; i < w->d->nvdoms; i++) {
			v = w->d->vdoms[i];
			for (k = 0; k < v->ntunnels; k++) {
				t = v->tunnels[k];
				snprintf(whose, sizeof whose, "%s", t->name);
				n += readme_tools_of(o, w, whose, t->tools);
			}
		}
	}
	if (n == 0)
		bbuf_str(o, "  Nothing: no IKE debug, sniffer, traceroute or "
		    "route lookup ran here while\n  fgtop watched.\n");
	bbuf_str(o, "\n");
}

static void
readme_raw(struct bbuf *o, const struct bw *w)
{
	const struct braw	*r;
	size_t			 i;

	bbuf_str(o, "Raw outputs\n");
	bbuf_str(o, "  Read from the device when this bundle was made (fgtop "
	    "keeps the parsed\n  fields of each poll, not its text), key "
	    "material removed.\n");
	if (w->b->no_raw != NULL)
		bbuf_printf(o, "  %s: %s\n", w->b->nraw > 0 ? "The session "
		    "ended early" : "None", w->b->no_raw);
	for (i = 0; i < w->b->nraw; i++) {
		r = &w->b->raw[i];
		bbuf_printf(o, "  %s\n      %s%s%s%s: %s\n", r->file,
		    r->command, r->vdom != NULL ? " (VDOM " : "",
		    r->vdom != NULL ? r->vdom : "", r->vdom != NULL ? ")" : "",
		    r->problem != NULL ? r->problem : "ok");
	}
	bbuf_str(o, "\n");
}

static int
bw_readme(struct bw *w)
{
	struct bbuf	 o = { NULL, 0, 0 };
	char		 ts[64];

	if (w->t != NULL)
		bbuf_printf(&o, "fgtop incident bundle: tunnel %s on %s\n\n",
		    w->t->name, w->d->name);
	else
		bbuf_printf(&o, "fgtop incident bundle: device %s\n\n",
		    w->d->name);
	bbuf_printf(&o, "Made %s by fgtop %s, read-only on the firewall.\n\n",
	    bundle_time(w->now, 0, ts, sizeof ts), w->version);
	readme_device(&o, w);
	if (w->t != NULL)
		readme_tunnel(&o, w, w->t);
	else
		readme_tunnels(&o, w);
	readme_findings(&o, w);
	readme_tools(&o, w);
	readme_raw(&o, w);
	bbuf_str(&o, "In this bundle\n");
	bbuf_printf(&o, "  %s\n      %s\n", "README.txt", "this summary");
	bbuf_put(&o, w->files.p != NULL ? w->files.p : "", w->files.len);
	bbuf_str(&o, "\nSecrets: fgtop never reads pre-shared keys; passwords "
	    "and tokens are not\nwritten; key material the device printed is "
	    "replaced by \"(key material\nhidden)\" or \"(hidden)\".\n");
	return (bw_text(w, "README.txt", &o, NULL));
}

/* tunnel.json / device.json: the --once --json schema's own writer. */
static int
bw_state(struct bw *w)
{
	struct json	 j;

	json_init(&j, JSON_PRETTY);
	if (w->t != NULL) {
		model_json_tunnel(&j, w->t, diagnose_model_json);
		return (bw_json(w, "tunnel.json", &j, "the tunnel as "
		    "`fgtop --once --json` has it"));
	}
	model_json_device(&j, w->d, diagnose_model_json);
	return (bw_json(w, "device.json", &j, "the device and its tunnels "
	    "as `fgtop --once --json` has them"));
}

static int
bw_findings(struct bw *w)
{
	const struct mvdom	*v;
	const struct mtun	*t;
	struct json		 j;
	size_t			 i, k;

	json_init(&j, JSON_PRETTY);
	if (w->t != NULL)
		diagnose_model_json(&j, w->t);
	else {
		/* Per tunnel: the findings carry no device-wide order. */
		json_arr_begin(&j);
		for (i = 0; i < w->d->nvdoms; i++) {
			v = w->d->vdoms[i];
			for (k = 0; k < v->ntunnels; k++) {
				t = v->tunnels[k];
				if (bundle_top(t) == NULL)
					continue;
				json_obj_begin(&j);
				json_kstr(&j, "vdom", v->name);
				json_kstr(&j, "tunnel", t->name);
				json_key(&j, "findings");
				diagnose_model_json(&j, t);
				json_obj_end(&j);
			}
		}
		json_arr_end(&j);
	}
	return (bw_json(w, "findings.json", &j, "the findings, with their "
	    "evidence, next steps and fix"));
}

struct bw_ev {
	struct json	*j;
	size_t		 n;
};

static void
bw_event_json(void *arg, const struct mevent *e)
{
	struct bw_ev	*x = arg;

	mevent_json(x->j, e);
	json_line_end(x->j);
	x->n++;
}

static int
bw_events(struct bw *w)
{
	struct json	 j;
	struct bw_ev	 x = { &j, 0 };
	char		 what[96];
	int		 rc;

	json_init(&j, JSON_COMPACT);
	if (w->b->each != NULL)
		w->b->each(w->b->src, w->d->name, w->t != NULL ?
		    w->t->vdom->name : NULL, w->t != NULL ? w->t->name : NULL,
		    bw_event_json, &x);
	snprintf(what, sizeof what, "the timeline: %zu events, one JSON "
	    "object a line", x.n);
	w->nevents = x.n;
	rc = bw_add(w, "events.jsonl", j.buf != NULL ? j.buf : "", j.len,
	    what);
	json_free(&j);
	return (rc);
}

static int
bw_raws(struct bw *w)
{
	const struct braw	*r;
	struct bbuf		 o;
	char			 ts[64];
	size_t			 i;

	for (i = 0; i < w->b->nraw; i++) {
		r = &w->b->raw[i];
		memset(&o, 0, sizeof o);
		bbuf_printf(&o, "# command: %s\n", r->command);
		bbuf_printf(&o, "# vdom: %s\n", r->vdom != NULL ? r->vdom :
		    "(top level)");
		bbuf_printf(&o, "# time: %s\n", bundle_time(r->time, 0, ts,
		    sizeof ts));
		bbuf_printf(&o, "# status: %s\n\n", r->problem != NULL ?
		    r->problem : "ok");
		bbuf_put(&o, r->text, r->len);
		if (bw_text(w, r->file, &o, r->command) != 0)
			return (-1);
	}
	return (0);
}

/* tools/: one file per result, one for the debug lines. */
static int
bw_tools_of(struct bw *w, const char *prefix, const struct mtools *mt)
{
	const struct mtool_result	*r;
	const struct mdebug_line	*l;
	struct bbuf			 o;
	char				 name[128], what[160], ts[64];
	size_t				 i;

	if (mt == NULL)
		return (0);
	for (i = 0; (r = mtools_result(mt, i)) != NULL; i++) {
		memset(&o, 0, sizeof o);
		bbuf_printf(&o, "# tool: %s\n# target: %s\n# time: %s\n"
		    "# reading: %s\n\n", r->tool, bundle_or(r->target, "?"),
		    bundle_time(r->time, 0, ts, sizeof ts),
		    bundle_or(r->reading, "-"));
		bbuf_put(&o, bundle_or(r->text, ""), strlen(bundle_or(r->text,
		    "")));
		snprintf(name, sizeof name, "tools/%s%02zu-%s.txt", prefix,
		    i + 1, r->tool);
		snprintf(what, sizeof what, "%s toward %s", r->tool,
		    bundle_or(r->target, "?"));
		if (bw_text(w, name, &o, what) != 0)
			return (-1);
	}
	if (mt->nlines == 0)
		return (0);
	memset(&o, 0, sizeof o);
	bbuf_printf(&o, "# IKE debug: %zu lines kept of %llu seen "
	    "(time, topic, rule, line)\n\n", mt->nlines, mt->lines_total);
	for (i = 0; (l = mtools_line(mt, i)) != NULL; i++)
		bbuf_printf(&o, "%s  %-10s %-18s %s\n", bundle_time(l->time, 0,
		    ts, sizeof ts), bundle_or(l->topic, "-"),
		    bundle_or(l->rule, "-"), l->text);
	snprintf(name, sizeof name, "tools/%sdebug.txt", prefix);
	return (bw_text(w, name, &o, "the IKE debug lines kept"));
}

static int
bw_tools(struct bw *w)
{
	const struct mvdom	*v;
	const struct mtun	*t;
	char			 p[2 * BUNDLE_NAMEMAX + 4], a[BUNDLE_NAMEMAX + 1],
				 b[BUNDLE_NAMEMAX + 1];
	size_t			 i, k;

	if (w->t != NULL)
		return (bw_tools_of(w, "", w->t->tools));
	if (bw_tools_of(w, "device-", w->d->tools) != 0)
		return (-1);
	for (i = 0; i < w->d->nvdoms; i++) {
		v = w->d->vdoms[i];
		for (k = 0; k < v->ntunnels; k++) {
			t = v->tunnels[k];
			bundle_fname(a, sizeof a, v->name);
			bundle_fname(b, sizeof b, t->name);
			snprintf(p, sizeof p, "%s-%s-", a, b);
			if (bw_tools_of(w, p, t->tools) != 0)
				return (-1);
		}
	}
	return (0);
}

/*
 * Everything but the README first (the README lists the files), then
 * the README; tar order does not matter to a reader.
 */
static int
bw_archive(struct bw *w)
{
	if (targz_dir(w->tg, w->top, w->mtime) != 0 || bw_state(w) != 0 ||
	    bw_findings(w) != 0 || bw_events(w) != 0 || bw_raws(w) != 0 ||
	    bw_tools(w) != 0 || bw_readme(w) != 0)
		return (-1);
	return (targz_finish(w->tg));
}

/* The device and tunnel the bundle is about, looked up now. */
static int
bw_find(struct bw *w, const struct model *m, char **err)
{
	const struct mvdom	*v;
	size_t			 i, k;

	for (i = 0; i < m->ndevs && w->d == NULL; i++)
		if (strcmp(m->devs[i]->name, w->b->device) == 0)
			w->d = m->devs[i];
	if (w->d == NULL) {
		xasprintf(err, "no device %s", w->b->device);
		return (-1);
	}
	if (w->b->tunnel == NULL)
		return (0);
	for (k = 0; k < w->d->nvdoms && w->t == NULL; k++) {
		v = w->d->vdoms[k];
		if (w->b->vdom == NULL || strcmp(v->name, w->b->vdom) == 0)
			w->t = model_tunnel(v, w->b->tunnel);
	}
	if (w->t == NULL) {
		xasprintf(err, "no tunnel %s on %s (any more)", w->b->tunnel,
		    w->b->device);
		return (-1);
	}
	return (0);
}

/*
 * Open where the bundle goes: a temporary beside path (renamed at the
 * end), or path itself when it is there and not a regular file.
 */
static int
bw_open(const char *path, char **tmp)
{
	struct stat	 sb;
	const char	*slash;
	int		 fd;

	*tmp = NULL;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode)) {
			errno = EISDIR;
			return (-1);
		}
		return (open(path, O_WRONLY | O_CLOEXEC));
	}
	slash = strrchr(path, '/');
	if (slash == NULL)
		xasprintf(tmp, ".%s.XXXXXX", path);
	else
		xasprintf(tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path,
		    slash + 1);
	if ((fd = mkstemp(*tmp)) == -1) {
		free(*tmp);
		*tmp = NULL;
	}
	return (fd);
}

int
bundle_write(struct bundle *b, const struct model *m, double now,
    const char *version, const char *dir, const char *file, char **path,
    char **err)
{
	struct bw	 w;
	char		 dn[BUNDLE_NAMEMAX + 1], tn[BUNDLE_NAMEMAX + 1], ts[32];
	char		*tmp, *p;
	int		 fd, rc, saved;

	*path = *err = NULL;
	memset(&w, 0, sizeof w);
	w.b = b;
	w.now = now;
	w.mtime = (time_t)now;
	w.version = version;
	if (bw_find(&w, m, err) != 0)
		return (-1);
	bundle_fname(dn, sizeof dn, w.d->name);
	bundle_time(now, 1, ts, sizeof ts);
	if (w.t != NULL) {
		bundle_fname(tn, sizeof tn, w.t->name);
		snprintf(w.top, sizeof w.top, "fgtop-%s-%s-%s", dn, tn, ts);
	} else
		snprintf(w.top, sizeof w.top, "fgtop-%s-%s", dn, ts);
	if (file != NULL)
		p = xstrdup(file);
	else
		xasprintf(&p, "%s/%s.tar.gz", dir != NULL && *dir != '\0' ?
		    dir : ".", w.top);
	if ((fd = bw_open(p, &tmp)) == -1) {
		xasprintf(err, "cannot write %s: %s", p, strerror(errno));
		free(p);
		return (-1);
	}
	w.tg = targz_new(fd);
	rc = bw_archive(&w);
	saved = errno;
	if (rc == 0 && tmp != NULL && fsync(fd) != 0) {
		rc = -1;
		saved = errno;
	}
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && tmp != NULL && rename(tmp, p) != 0) {
		rc = -1;
		saved = errno;
	}
	targz_free(w.tg);
	free(w.files.p);
	if (rc != 0) {
		if (tmp != NULL)
			unlink(tmp);
		xasprintf(err, "cannot write %s: %s", p, strerror(saved));
		free(tmp);
		free(p);
		return (-1);
	}
	free(tmp);
	*path = p;
	return (0);
}
