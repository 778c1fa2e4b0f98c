/* SPDX-License-Identifier: ISC */
/*
 * prom - the model as a Prometheus textfile; see prom.h.
 *
 * Metrics are two tables, one of tunnel metrics and one of device
 * metrics: a name, a type, a help line and a function that gives one
 * object's value (or says it is unknown).  The file is written a metric
 * at a time, as the format wants every sample of a metric together
 * under its HELP and TYPE.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "diagnose.h"
#include "diagnose_model.h"
#include "json.h"
#include "model.h"
#include "prom.h"
#include "xmalloc.h"
#include "xtime.h"

/* A value, or unknown (the sample is left out). */
struct prom_val {
	int		 known;
	double		 v;
};

/*
 * One tunnel metric.  A metric with a variant label (the findings'
 * severity) has nvariants samples a tunnel, variant i labelled
 * variant_name(i).
 */
struct prom_tmetric {
	const char	*name;
	const char	*type;
	const char	*help;
	struct prom_val	 (*value)(const struct mtun *, int variant,
		    double now);
	const char	*variant_label;
	int		 nvariants;
	const char	*(*variant_name)(int);
};

struct prom_dmetric {
	const char	*name;
	const char	*type;
	const char	*help;
	struct prom_val	 (*value)(const struct mdev *);
};

static struct prom_val
prom_num(pnum n)
{
	struct prom_val	 r = { n != PNUM_UNKNOWN, (double)n };

	return (r);
}

static struct prom_val
prom_bool(int known, int b)
{
	struct prom_val	 r = { known, b ? 1 : 0 };

	return (r);
}

/* A time the model holds as 0 until it happens. */
static struct prom_val
prom_time(double t)
{
	struct prom_val	 r = { t > 0 && isfinite(t), t };

	return (r);
}

static struct prom_val
prom_tun_up(const struct mtun *t, int variant, double now)
{
	return (prom_bool(t->state != MTUN_UNKNOWN, t->state == MTUN_UP));
}

/* Phase 1 as the gateway list shows it: established or not. */
static struct prom_val
prom_tun_p1(const struct mtun *t, int variant, double now)
{
	return (prom_bool(t->has_phase1 && t->p1.status != NULL,
	    t->p1.status != NULL && strcmp(t->p1.status, "established") == 0));
}

/*
 * Phase 2: a selector with an SA (sa=1, or 2 during a rekey) in the
 * tunnel list; without the list, the summary's selectors up.
 */
static struct prom_val
prom_tun_p2(const struct mtun *t, int variant, double now)
{
	size_t	 i;

	if (t->np2 > 0) {
		for (i = 0; i < t->np2; i++)
			if (t->p2[i].sa != PNUM_UNKNOWN && t->p2[i].sa > 0)
				return (prom_bool(1, 1));
		return (prom_bool(1, 0));
	}
	return (prom_bool(t->selectors_up != PNUM_UNKNOWN,
	    t->selectors_up > 0));
}

static struct prom_val
prom_tun_sel_up(const struct mtun *t, int variant, double now)
{
	return (prom_num(t->selectors_up));
}

static struct prom_val
prom_tun_sel(const struct mtun *t, int variant, double now)
{
	return (prom_num(t->selectors_total));
}

static struct prom_val
prom_tun_rx(const struct mtun *t, int variant, double now)
{
	return (prom_num(t->rx_pkt));
}

static struct prom_val
prom_tun_tx(const struct mtun *t, int variant, double now)
{
	return (prom_num(t->tx_pkt));
}

static struct prom_val
prom_tun_rxerr(const struct mtun *t, int variant, double now)
{
	return (prom_num(t->rx_err));
}

static struct prom_val
prom_tun_txerr(const struct mtun *t, int variant, double now)
{
	return (prom_num(t->tx_err));
}

static struct prom_val
prom_tun_changed(const struct mtun *t, int variant, double now)
{
	return (prom_time(t->state != MTUN_UNKNOWN ? t->changed_at : 0));
}

/* The history (model.h): flaps in the last hour, downtime in a day. */
static struct prom_val
prom_tun_flaps(const struct mtun *t, int variant, double now)
{
	struct prom_val	 r = { t->state != MTUN_UNKNOWN,
			    model_tunnel_flaps(t, now, MODEL_FLAP_WINDOW) };

	return (r);
}

static struct prom_val
prom_tun_downtime(const struct mtun *t, int variant, double now)
{
	struct prom_val	 r = { t->state != MTUN_UNKNOWN,
			    model_tunnel_downtime(t, now, MODEL_HIST_SPAN) };

	return (r);
}

/* Dial-up and ADVPN templates: the children connected now. */
static struct prom_val
prom_tun_children(const struct mtun *t, int variant, double now)
{
	struct prom_val	 r = { t->nchildren > 0, (double)t->nchildren };

	return (r);
}

/* Findings by severity, most severe first. */
#define PROM_NSEVERITIES	4

static enum dg_severity
prom_severity(int variant)
{
	return ((enum dg_severity)(DG_CRITICAL - variant));
}

static const char *
prom_severity_name(int variant)
{
	return (diagnose_severity_name(prom_severity(variant)));
}

static struct prom_val
prom_tun_findings(const struct mtun *t, int variant, double now)
{
	const struct dg_findings	*fs = diagnose_model_findings(t);
	size_t				 i, n = 0;

	for (i = 0; fs != NULL && i < fs->n; i++)
		if (fs->v[i].severity == prom_severity(variant))
			n++;
	return (prom_num((pnum)n));
}

static const struct prom_tmetric prom_tmetrics[] = {
	{ "fgtop_tunnel_up", "gauge",
	  "1 when every selector of the tunnel is up, 0 when one or more is "
	  "down (degraded counts as down).", prom_tun_up, NULL, 1, NULL },
	{ "fgtop_tunnel_phase1_up", "gauge",
	  "1 when phase 1 (the IKE SA) is established.", prom_tun_p1,
	  NULL, 1, NULL },
	{ "fgtop_tunnel_phase2_up", "gauge",
	  "1 when at least one phase-2 selector has an SA.", prom_tun_p2,
	  NULL, 1, NULL },
	{ "fgtop_tunnel_selectors_up", "gauge",
	  "Phase-2 selectors up, as the tunnel summary counts them.",
	  prom_tun_sel_up, NULL, 1, NULL },
	{ "fgtop_tunnel_selectors", "gauge",
	  "Phase-2 selectors configured, as the tunnel summary counts them.",
	  prom_tun_sel, NULL, 1, NULL },
	{ "fgtop_tunnel_rx_packets_total", "counter",
	  "Packets received through the tunnel.", prom_tun_rx, NULL, 1,
	  NULL },
	{ "fgtop_tunnel_tx_packets_total", "counter",
	  "Packets sent through the tunnel.", prom_tun_tx, NULL, 1, NULL },
	{ "fgtop_tunnel_rx_errors_total", "counter",
	  "Receive errors of the tunnel.", prom_tun_rxerr, NULL, 1, NULL },
	{ "fgtop_tunnel_tx_errors_total", "counter",
	  "Transmit errors of the tunnel.", prom_tun_txerr, NULL, 1, NULL },
	{ "fgtop_tunnel_last_change_timestamp_seconds", "gauge",
	  "When the tunnel last changed state (up, degraded, down), or was "
	  "first seen.", prom_tun_changed, NULL, 1, NULL },
	{ "fgtop_tunnel_flaps_last_hour", "gauge",
	  "Times the tunnel went from up to down or degraded in the last "
	  "hour (kept across restarts by the journal).", prom_tun_flaps,
	  NULL, 1, NULL },
	{ "fgtop_tunnel_down_seconds_last_day", "gauge",
	  "Seconds the tunnel was down in the last 24 hours (degraded is not "
	  "down).", prom_tun_downtime, NULL, 1, NULL },
	{ "fgtop_tunnel_children", "gauge",
	  "Dial-up or ADVPN instances of this template connected now.",
	  prom_tun_children, NULL, 1, NULL },
	{ "fgtop_tunnel_findings", "gauge",
	  "Findings of fgtop's diagnosis on the tunnel, by severity.",
	  prom_tun_findings, "severity", PROM_NSEVERITIES,
	  prom_severity_name },
};
#define PROM_NTMETRICS	(sizeof prom_tmetrics / sizeof prom_tmetrics[0])

static struct prom_val
prom_dev_up(const struct mdev *d)
{
	return (prom_bool(1, d->state == MDEV_UP));
}

static struct prom_val
prom_dev_poll(const struct mdev *d)
{
	struct prom_val	 r = { d->rounds > 0, d->poll_ms / 1000 };

	return (r);
}

static struct prom_val
prom_dev_ok(const struct mdev *d)
{
	return (prom_time(d->rounds > 0 ? d->last_ok : 0));
}

static struct prom_val
prom_dev_tunnels(const struct mdev *d)
{
	size_t	 i, n = 0;

	for (i = 0; i < d->nvdoms; i++)
		n += d->vdoms[i]->ntunnels;
	return (prom_num((pnum)n));
}

static const struct prom_dmetric prom_dmetrics[] = {
	{ "fgtop_device_up", "gauge",
	  "1 when fgtop is logged in to the device and its polls answer.",
	  prom_dev_up },
	{ "fgtop_device_poll_duration_seconds", "gauge",
	  "How long the device's last complete poll round took.",
	  prom_dev_poll },
	{ "fgtop_device_last_success_timestamp_seconds", "gauge",
	  "When the device's last complete poll round ended.", prom_dev_ok },
	{ "fgtop_device_tunnels", "gauge",
	  "Tunnels fgtop knows on the device, dial-up instances included.",
	  prom_dev_tunnels },
};
#define PROM_NDMETRICS	(sizeof prom_dmetrics / sizeof prom_dmetrics[0])

/*
 * The writer: a FILE, and a JSON memory sink that escapes each label
 * value the way every fgtop output does.  The body of a JSON string so
 * escaped is a valid label value: its only escapes are \" and \\ (a
 * control byte is already the visible text "\x1b", its backslash
 * escaped), the three the text format knows.
 *
 * A tunnel's labels are the same in each of its samples: they are
 * escaped once a write into lab, tunnel i's from laboff[i] to
 * laboff[i + 1] (in the order the model lists them), and copied from
 * there for each metric.
 */
struct prom_out {
	FILE		*f;
	struct json	 esc;
	char		*lab;
	size_t		 lablen;
	size_t		 labcap;
	size_t		*laboff;
};

/* value escaped in o->esc; its body (without the quotes) and length. */
static const char *
prom_escape(struct prom_out *o, const char *value, size_t *len)
{
	json_reset(&o->esc);
	json_str(&o->esc, value != NULL ? value : "");
	*len = o->esc.len - 2;
	return (o->esc.buf + 1);
}

static void
prom_label(struct prom_out *o, const char *sep, const char *name,
    const char *value)
{
	const char	*v;
	size_t		 n;

	v = prom_escape(o, value, &n);
	fprintf(o->f, "%s%s=\"%.*s\"", sep, name, (int)n, v);
}

static void
prom_lab_put(struct prom_out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (o->labcap - o->lablen < n) {
		while (o->labcap - o->lablen < n)
			o->labcap = o->labcap == 0 ? 65536 : o->labcap * 2;
		o->lab = xrealloc(o->lab, o->labcap);
	}
	memcpy(o->lab + o->lablen, s, n);
	o->lablen += n;
}

static void
prom_lab_label(struct prom_out *o, const char *sep, const char *name,
    const char *value)
{
	const char	*v;
	size_t		 n;

	prom_lab_put(o, sep, strlen(sep));
	prom_lab_put(o, name, strlen(name));
	prom_lab_put(o, "=\"", 2);
	v = prom_escape(o, value, &n);
	prom_lab_put(o, v, n);
	prom_lab_put(o, "\"", 1);
}

/* The value and the end of the line: integers without printf. */
static void
prom_value(struct prom_out *o, double v)
{
	char			 buf[32], *p = buf + sizeof buf;
	unsigned long long	 u;

	if (v != floor(v) || !(fabs(v) < 1e15)) {
		fprintf(o->f, "} %.3f\n", v);
		return;
	}
	*--p = '\n';
	u = (unsigned long long)fabs(v);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	*--p = ' ';
	*--p = '}';
	fwrite(p, 1, (size_t)(buf + sizeof buf - p), o->f);
}

static void
prom_head(struct prom_out *o, const char *name, const char *type,
    const char *help)
{
	fprintf(o->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *
prom_peer(const struct mtun *t)
{
	if (t->remote_addr != NULL)
		return (t->remote_addr);
	return (t->p1.remote_addr);
}

/* Every tunnel's labels, escaped once (see struct prom_out). */
static void
prom_tunnel_labels(struct prom_out *o, const struct model *m)
{
	const struct mdev	*d;
	const struct mvdom	*vd;
	const struct mtun	*t;
	size_t			 i, k, n, idx = 0;

	o->laboff = xcalloc(model_ntunnels(m) + 1, sizeof *o->laboff);
	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		for (k = 0; k < d->nvdoms; k++) {
			vd = d->vdoms[k];
			for (n = 0; n < vd->ntunnels; n++) {
				t = vd->tunnels[n];
				o->laboff[idx] = o->lablen;
				prom_lab_label(o, "", "device", d->name);
				prom_lab_label(o, ",", "vdom", vd->name);
				prom_lab_label(o, ",", "tunnel", t->name);
				prom_lab_label(o, ",", "parent", t->parent);
				prom_lab_label(o, ",", "peer", prom_peer(t));
				o->laboff[++idx] = o->lablen;
			}
		}
	}
}

static void
prom_tunnel_metric(struct prom_out *o, const struct model *m, double now,
    const struct prom_tmetric *pm)
{
	const struct mdev	*d;
	const struct mvdom	*vd;
	struct prom_val		 v;
	size_t			 i, k, n, idx = 0, nlen = strlen(pm->name);
	int			 var;

	prom_head(o, pm->name, pm->type, pm->help);
	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		for (k = 0; k < d->nvdoms; k++) {
			vd = d->vdoms[k];
			for (n = 0; n < vd->ntunnels; n++, idx++) {
				for (var = 0; var < pm->nvariants; var++) {
					v = pm->value(vd->tunnels[n], var, now);
					if (!v.known)
						continue;
					fwrite(pm->name, 1, nlen, o->f);
					putc('{', o->f);
					fwrite(o->lab + o->laboff[idx], 1,
					    o->laboff[idx + 1] - o->laboff[idx],
					    o->f);
					if (pm->variant_label != NULL)
						prom_label(o, ",",
						    pm->variant_label,
						    pm->variant_name(var));
					prom_value(o, v.v);
				}
			}
		}
	}
}

static void
prom_device_metric(struct prom_out *o, const struct model *m,
    const struct prom_dmetric *pm)
{
	const struct mdev	*d;
	struct prom_val		 v;
	size_t			 i;

	prom_head(o, pm->name, pm->type, pm->help);
	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		if (!(v = pm->value(d)).known)
			continue;
		fputs(pm->name, o->f);
		prom_label(o, "{", "device", d->name);
		prom_label(o, ",", "host", d->host);
		prom_value(o, v.v);
	}
}

/* The device's identity, as an info metric (value 1). */
static void
prom_device_info(struct prom_out *o, const struct model *m)
{
	const struct mdev	*d;
	size_t			 i;

	prom_head(o, "fgtop_device_info", "gauge", "The device as it "
	    "describes itself (get system status); the value is 1.");
	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		if (d->hostname == NULL && d->version == NULL)
			continue;
		fputs("fgtop_device_info", o->f);
		prom_label(o, "{", "device", d->name);
		prom_label(o, ",", "host", d->host);
		prom_label(o, ",", "hostname", d->hostname);
		prom_label(o, ",", "version", d->version);
		prom_label(o, ",", "model", d->model);
		prom_label(o, ",", "serial", d->serial);
		prom_value(o, 1);
	}
}

static void
prom_document(struct prom_out *o, const struct model *m, double now,
    const char *version)
{
	size_t	 i;

	prom_head(o, "fgtop_build_info", "gauge",
	    "The fgtop that wrote this file; the value is 1.");
	fputs("fgtop_build_info", o->f);
	prom_label(o, "{", "version", version);
	prom_value(o, 1);
	for (i = 0; i < PROM_NDMETRICS; i++)
		prom_device_metric(o, m, &prom_dmetrics[i]);
	prom_device_info(o, m);
	prom_tunnel_labels(o, m);
	for (i = 0; i < PROM_NTMETRICS; i++)
		prom_tunnel_metric(o, m, now, &prom_tmetrics[i]);
}

int
prom_write(const struct model *m, const char *path, double now,
    const char *version, char **err)
{
	struct prom_out	 o;
	struct stat	 sb;
	char		*tmp;
	int		 saved;

	/*
	 * The file is replaced by a rename: a path that is not a regular
	 * file (--prom-textfile /dev/null, as root) would replace the
	 * device node itself.  Refuse it.
	 */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		xasprintf(err, "cannot write %s: not a regular file", path);
		return (-1);
	}
	xasprintf(&tmp, "%s.tmp", path);
	if ((o.f = fopen(tmp, "w")) == NULL) {
		xasprintf(err, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return (-1);
	}
	json_init(&o.esc, JSON_COMPACT);
	o.lab = NULL;
	o.lablen = o.labcap = 0;
	o.laboff = NULL;
	/* Big blocks: the file can be tens of megabytes. */
	setvbuf(o.f, NULL, _IOFBF, 1 << 16);
	prom_document(&o, m, now, version);
	json_free(&o.esc);
	free(o.lab);
	free(o.laboff);
	errno = 0;
	if (ferror(o.f) || fflush(o.f) == EOF) {
		saved = errno != 0 ? errno : EIO;
		fclose(o.f);
		goto fail;
	}
	if (fclose(o.f) == EOF) {
		saved = errno != 0 ? errno : EIO;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		saved = errno;
		goto fail;
	}
	free(tmp);
	return (0);
fail:
	unlink(tmp);
	xasprintf(err, "cannot write %s: %s (the old file stays)", path,
	    strerror(saved));
	free(tmp);
	return (-1);
}

char *
prom_path_warning(const char *path)
{
	size_t	 n = strlen(path);
	char	*w;

	if (n > 5 && strcmp(path + n - 5, ".prom") == 0)
		return (NULL);
	xasprintf(&w, "%s does not end in .prom: node_exporter's textfile "
	    "collector reads *.prom files only", path);
	return (w);
}

struct prom {
	uv_timer_t		 timer;	/* wakes the loop; first member */
	const struct model	*model;
	const char		*path;
	const char		*version;
	unsigned		 written;	/* model->dirty at the last try */
	int			 any;		/* tried once at least */
	uint64_t		 last_ms;	/* uv_now of the last try */
	uint64_t		 gap_ms;	/* the least time between two */
	int			 failing;
	unsigned long		 writes;
	unsigned long		 failures;
};

static void
prom_timer_cb(uv_timer_t *t)
{
	/* Only wakes the loop: prom_tick, in its turn, writes. */
}

struct prom *
prom_new(uv_loop_t *loop, const struct model *m, const char *path,
    const char *version)
{
	struct prom	*p = xcalloc(1, sizeof *p);

	uv_timer_init(loop, &p->timer);
	p->timer.data = p;
	p->model = m;
	p->path = path;
	p->version = version;
	p->gap_ms = PROM_INTERVAL_MS;
	return (p);
}

/* Write now; the state change to tell (see prom_tick). */
static int
prom_do(struct prom *p, char **err)
{
	uint64_t	 start, took;
	int		 r;

	start = uv_hrtime();
	p->written = p->model->dirty;
	p->any = 1;
	r = prom_write(p->model, p->path, xtime_now(), p->version, err);
	took = (uv_hrtime() - start) / 1000000;
	p->last_ms = uv_now(p->timer.loop);
	p->gap_ms = took * 10 > PROM_INTERVAL_MS ? took * 10 :
	    PROM_INTERVAL_MS;
	if (r != 0) {
		p->failures++;
		if (p->failing) {
			/* Said already: not once a second. */
			free(*err);
			*err = NULL;
			return (0);
		}
		p->failing = 1;
		return (1);
	}
	p->writes++;
	if (p->failing) {
		p->failing = 0;
		return (2);
	}
	return (0);
}

int
prom_tick(struct prom *p, char **err)
{
	uint64_t	 now = uv_now(p->timer.loop);

	if (p->any && p->written == p->model->dirty)
		return (0);
	if (p->any && now - p->last_ms < p->gap_ms) {
		if (!uv_is_active((uv_handle_t *)&p->timer))
			uv_timer_start(&p->timer, prom_timer_cb,
			    p->last_ms + p->gap_ms - now, 0);
		return (0);
	}
	uv_timer_stop(&p->timer);
	return (prom_do(p, err));
}

unsigned long
prom_writes(const struct prom *p)
{
	return (p->writes);
}

unsigned long
prom_failures(const struct prom *p)
{
	return (p->failures);
}

static void
prom_close_cb(uv_handle_t *h)
{
	free(h->data);
}

void
prom_close(struct prom *p)
{
	uv_close((uv_handle_t *)&p->timer, prom_close_cb);
}
