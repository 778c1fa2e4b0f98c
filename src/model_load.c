/* SPDX-License-Identifier: ISC */
/*
 * model_load - a model from a --once --json document and from model
 * events; see model_load.h.
 *
 * The document is read key by key with the same names model_json
 * writes, so a field added there without a line here shows as a
 * difference in test_jread's round trip.
 */
#include "config.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jread.h"
#include "model.h"
#include "model_load.h"
#include "xmalloc.h"

char *
model_load_clean(const char *s)
{
	char	*out;
	size_t	 n, i;

	if (s == NULL)
		return (NULL);
	out = xstrdup(s);
	n = cli_sanitize(out, strlen(out), out);
	out[n] = '\0';
	for (i = 0; i < n; i++)
		if (out[i] == '\t' || out[i] == '\n')
			out[i] = ' ';
	return (out);
}

/* Replace *dst with the cleaned string at key of o (NULL if not one). */
static void
ml_str(char **dst, const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	free(*dst);
	*dst = model_load_clean(s);
}

/* A tunnel's string: shared (model.h, "Shared strings"). */
static void
ml_tstr(char **dst, const json_t *o, const char *key)
{
	char	*s;

	s = model_load_clean(json_string_value(json_object_get(o, key)));
	model_str_free(*dst);
	*dst = model_str(s);
	free(s);
}

static pnum
ml_num(const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);

	if (json_is_integer(v))
		return ((pnum)json_integer_value(v));
	if (json_is_real(v))
		return ((pnum)json_real_value(v));
	return (PNUM_UNKNOWN);
}

static double
ml_real(const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);

	return (json_is_number(v) ? json_number_value(v) : NAN);
}

static int
ml_bool(const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);

	return (json_is_boolean(v) ? json_is_true(v) : -1);
}

/* An ISO time, as model_json writes it; 0 (the model's "never"). */
static double
ml_time(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));
	double		 t;

	if (s == NULL || isnan(t = journal_parse_time(s, 0)))
		return (0);
	return (t);
}

/* [a, b] or null, as json_kpair writes it. */
static void
ml_pair(pnum *dst, const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);
	const json_t	*a = json_array_get(v, 0), *b = json_array_get(v, 1);

	dst[0] = json_is_integer(a) ? (pnum)json_integer_value(a) :
	    PNUM_UNKNOWN;
	dst[1] = json_is_integer(b) ? (pnum)json_integer_value(b) :
	    PNUM_UNKNOWN;
}

/* An SPI as model_json writes it: 8 hex digits, or null. */
static pnum
ml_spi(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));
	char		*end;
	unsigned long long v;

	if (s == NULL || *s == '\0')
		return (PNUM_UNKNOWN);
	v = strtoull(s, &end, 16);
	if (*end != '\0' || v > INT64_MAX)
		return (PNUM_UNKNOWN);
	return ((pnum)v);
}

static int
ml_dev_state(const char *s, enum mdev_state *out)
{
	int	 i;

	for (i = MDEV_CONNECTING; s != NULL && i <= MDEV_ERROR; i++)
		if (strcmp(s, mdev_state_name((enum mdev_state)i)) == 0) {
			*out = (enum mdev_state)i;
			return (0);
		}
	return (-1);
}

static enum mtun_state
ml_tun_state(const char *s)
{
	int	 i;

	for (i = MTUN_UNKNOWN; s != NULL && i <= MTUN_UP; i++)
		if (strcmp(s, mtun_state_name((enum mtun_state)i)) == 0)
			return ((enum mtun_state)i);
	return (MTUN_UNKNOWN);
}

static void
ml_ike_sas(struct mphase1 *p, const json_t *arr)
{
	const json_t	*o;
	struct mike_sa	*sa;
	size_t		 i, n = json_array_size(arr);

	for (i = 0; i < p->nsas; i++)
		model_ike_sa_clear(&p->sas[i]);
	free(p->sas);
	p->sas = n == 0 ? NULL : xcalloc(n, sizeof *p->sas);
	p->nsas = n;
	for (i = 0; i < n; i++) {
		o = json_array_get(arr, i);
		sa = &p->sas[i];
		ml_tstr(&sa->spi_i, o, "spi_i");
		ml_tstr(&sa->spi_r, o, "spi_r");
		ml_tstr(&sa->direction, o, "direction");
		ml_tstr(&sa->status, o, "status");
		sa->created_ago_s = ml_num(o, "created_ago_s");
		sa->established_ago_s = ml_num(o, "established_ago_s");
		sa->lifetime = ml_num(o, "lifetime");
		sa->rekey = ml_num(o, "rekey");
		sa->dpd_sent = ml_num(o, "dpd_sent");
		sa->dpd_recv = ml_num(o, "dpd_recv");
	}
}

static void
ml_phase1(struct mtun *t, const json_t *o, double since)
{
	struct mphase1	*p = &t->p1;

	if (!json_is_object(o)) {
		t->has_phase1 = 0;
		return;
	}
	t->has_phase1 = 1;
	ml_tstr(&p->status, o, "status");
	p->status_since = since;
	p->version = ml_num(o, "version");
	ml_tstr(&p->direction, o, "direction");
	ml_tstr(&p->interface, o, "interface");
	ml_tstr(&p->local_addr, o, "local_addr");
	p->local_port = ml_num(o, "local_port");
	ml_tstr(&p->remote_addr, o, "remote_addr");
	p->remote_port = ml_num(o, "remote_port");
	p->nat_me = ml_bool(o, "nat_me");
	p->nat_peer = ml_bool(o, "nat_peer");
	ml_pair(p->ike_created, json_object_get(o, "ike_sa"), "created");
	ml_pair(p->ike_established, json_object_get(o, "ike_sa"),
	    "established");
	ml_pair(p->ipsec_created, json_object_get(o, "ipsec_sa"), "created");
	ml_pair(p->ipsec_established, json_object_get(o, "ipsec_sa"),
	    "established");
	p->created_ago_s = ml_num(o, "created_ago_s");
	p->established_ago_s = ml_num(o, "established_ago_s");
	p->dpd_sent = p->dpd_sent_prev = ml_num(o, "dpd_sent");
	p->dpd_recv = p->dpd_recv_prev = ml_num(o, "dpd_recv");
	ml_tstr(&p->peer_id, o, "peer_id");
	ml_tstr(&p->xauth_user, o, "xauth_user");
	ml_ike_sas(p, json_object_get(o, "sas"));
}

static void
ml_phase2(struct mtun *t, const json_t *arr, double since)
{
	const json_t	*o;
	const char	*name;
	struct mphase2	*p;
	size_t		 i, j, k;

	for (j = 0; j < t->np2; j++)
		t->p2[j].seen = 0;
	for (i = 0; i < json_array_size(arr); i++) {
		o = json_array_get(arr, i);
		if ((name = json_string_value(json_object_get(o, "name"))) ==
		    NULL)
			continue;
		p = model_phase2(t, name);
		p->seen = 1;
		p->sa = ml_num(o, "sa");
		p->sa_since = since;
		ml_tstr(&p->src, o, "src");
		ml_tstr(&p->dst, o, "dst");
		p->enc_spi = ml_spi(o, "enc_spi");
		p->dec_spi = ml_spi(o, "dec_spi");
		p->expire_s = ml_num(o, "expire_s");
		p->enc_pkts = ml_num(o, "enc_pkts");
		p->enc_bytes = ml_num(o, "enc_bytes");
		p->dec_pkts = ml_num(o, "dec_pkts");
		p->dec_bytes = ml_num(o, "dec_bytes");
		p->enc_delta = ml_num(o, "enc_delta");
		p->dec_delta = ml_num(o, "dec_delta");
		ml_tstr(&p->esp, o, "esp");
	}
	/* The document lists every selector: others are gone. */
	for (j = k = 0; j < t->np2; j++) {
		if (t->p2[j].seen) {
			t->p2[j].seen = 0;
			t->p2[k++] = t->p2[j];
			continue;
		}
		model_phase2_clear(&t->p2[j]);
	}
	t->np2 = k;
}

static void
ml_tunnel(struct mvdom *v, const json_t *o, double now)
{
	struct mtun	*t;
	const char	*name;
	char		*clean;
	double		 changed;

	if ((name = json_string_value(json_object_get(o, "name"))) == NULL)
		return;
	clean = model_load_clean(name);
	t = model_tunnel_add(v, clean, now);
	free(clean);
	ml_tstr(&t->parent, o, "parent");
	t->nchildren = ml_num(o, "children") > 0 ?
	    (size_t)ml_num(o, "children") : 0;
	t->state = ml_tun_state(json_string_value(json_object_get(o,
	    "state")));
	ml_tstr(&t->remote_addr, o, "remote_addr");
	t->remote_port = ml_num(o, "remote_port");
	ml_tstr(&t->local_addr, o, "local_addr");
	t->local_port = ml_num(o, "local_port");
	t->selectors_total = ml_num(o, "selectors_total");
	t->selectors_up = ml_num(o, "selectors_up");
	t->rx_pkt = t->prev_rx_pkt = ml_num(o, "rx_pkt");
	t->rx_err = t->prev_rx_err = ml_num(o, "rx_err");
	t->tx_pkt = t->prev_tx_pkt = ml_num(o, "tx_pkt");
	t->tx_err = t->prev_tx_err = ml_num(o, "tx_err");
	t->rx_pps = ml_real(o, "rx_pps");
	t->tx_pps = ml_real(o, "tx_pps");
	changed = ml_time(o, "changed_at");
	t->changed_at = changed;
	if (changed > 0 && changed < t->first_seen)
		t->first_seen = changed;
	/* The history knows the state from when it took it. */
	model_history_note(t, (int)t->state, changed > 0 ? changed : now);
	ml_phase1(t, json_object_get(o, "phase1"), changed > 0 ? changed :
	    now);
	ml_phase2(t, json_object_get(o, "phase2"), changed > 0 ? changed :
	    now);
}

/* "v7.4.3" into major, minor, patch (what the diagnosis reads). */
static void
ml_version(struct mdev *d)
{
	int	 a, b, c;

	d->major = d->minor = d->patch = PNUM_UNKNOWN;
	if (d->version != NULL &&
	    sscanf(d->version, "v%d.%d.%d", &a, &b, &c) == 3) {
		d->major = a;
		d->minor = b;
		d->patch = c;
	}
}

static void
ml_device(struct model *m, const json_t *o, double now)
{
	struct mdev	*d;
	struct mvdom	*v;
	const json_t	*vo, *tun;
	const char	*name, *vname;
	char		*clean;
	enum mdev_state	 s;
	double		 ms;
	size_t		 i, k;

	if ((name = json_string_value(json_object_get(o, "name"))) == NULL)
		return;
	clean = model_load_clean(name);
	if ((d = model_device(m, clean)) == NULL) {
		char	*host = model_load_clean(json_string_value(
			    json_object_get(o, "host")));

		d = model_add_device(m, clean, host,
		    (int)(ml_num(o, "port") > 0 ? ml_num(o, "port") : 0));
		free(host);
	}
	free(clean);
	if (ml_dev_state(json_string_value(json_object_get(o, "state")),
	    &s) == 0 && s != d->state) {
		d->state = s;
		d->state_since = now;
	}
	ml_str(&d->error, o, "error");
	ml_str(&d->hostname, o, "hostname");
	ml_str(&d->version, o, "version");
	ml_version(d);
	d->build = ml_num(o, "build");
	ml_str(&d->model, o, "model");
	ml_str(&d->serial, o, "serial");
	ml_str(&d->vdom_mode, o, "vdom_mode");
	ml_str(&d->ha_mode, o, "ha_mode");
	d->last_ok = ml_time(o, "last_ok");
	ms = ml_real(o, "poll_ms");
	if (!isnan(ms)) {
		d->poll_ms = ms;
		if (d->rounds == 0)
			d->rounds = 1;
	}
	vo = json_object_get(o, "vdoms");
	for (i = 0; i < json_array_size(vo); i++) {
		if ((vname = json_string_value(json_object_get(
		    json_array_get(vo, i), "name"))) == NULL)
			continue;
		clean = model_load_clean(vname);
		v = model_vdom(d, clean);
		free(clean);
		tun = json_object_get(json_array_get(vo, i), "tunnels");
		for (k = 0; k < json_array_size(tun); k++)
			ml_tunnel(v, json_array_get(tun, k), now);
	}
}

int
model_load_json(struct model *m, const struct json_t *doc, char **err)
{
	const json_t	*devs = json_object_get(doc, "devices");
	double		 now = ml_time(doc, "generated_at");
	size_t		 i;

	if (!json_is_array(devs)) {
		*err = xstrdup("not an fgtop --once --json document "
		    "(no \"devices\" array)");
		return (-1);
	}
	for (i = 0; i < json_array_size(devs); i++)
		ml_device(m, json_array_get(devs, i), now);
	m->dirty++;
	return (0);
}

/* Events. */

static struct mtun *
ml_event_tunnel(struct mdev *d, const struct jread_event *e)
{
	struct mvdom	*v;

	if (e->tunnel == NULL)
		return (NULL);
	v = model_vdom(d, e->vdom != NULL ? e->vdom : "root");
	return (model_tunnel_add(v, e->tunnel, e->time));
}

static void
ml_event_sa(struct mtun *t, const struct jread_event *e)
{
	struct mphase2	*p;
	pnum		 was, now;

	if (e->item == NULL)
		return;
	p = model_phase2(t, e->item);
	was = p->sa;
	now = e->to != NULL ? strtoll(e->to, NULL, 10) : PNUM_UNKNOWN;
	p->sa = now;
	p->sa_since = e->time;
	/* Keep the summary's count in step with the selectors. */
	if (t->selectors_up == PNUM_UNKNOWN)
		return;
	if ((was == PNUM_UNKNOWN || was == 0) && now != PNUM_UNKNOWN &&
	    now > 0)
		t->selectors_up++;
	else if (was != PNUM_UNKNOWN && was > 0 &&
	    (now == PNUM_UNKNOWN || now == 0) && t->selectors_up > 0)
		t->selectors_up--;
}

/* The events that change nothing the model keeps. */
static const char *const ml_passive[] = {
	"rekey", "counter-reset", "finding-raised", "finding-cleared", "tool",
};

int
model_apply_event(struct model *m, const struct jread_event *e)
{
	struct mdev	*d;
	struct mtun	*t;
	enum mdev_state	 s;
	size_t		 i;

	for (i = 0; i < sizeof ml_passive / sizeof ml_passive[0]; i++)
		if (strcmp(e->type, ml_passive[i]) == 0)
			return (0);
	if (e->device == NULL)
		return (-1);
	if ((d = model_device(m, e->device)) == NULL)
		d = model_add_device(m, e->device, NULL, 0);
	if (strcmp(e->type, "device-state") == 0) {
		if (ml_dev_state(e->to, &s) == 0 && s != d->state) {
			d->state = s;
			d->state_since = e->time;
		}
		free(d->error);
		d->error = e->detail == NULL ? NULL : xstrdup(e->detail);
		m->dirty++;
		return (0);
	}
	if (strcmp(e->type, "tunnel-removed") == 0) {
		struct mvdom *v = model_vdom(d, e->vdom != NULL ? e->vdom :
		    "root");

		if (e->tunnel != NULL &&
		    (t = model_tunnel(v, e->tunnel)) != NULL)
			model_tunnel_remove(t);
		return (0);
	}
	if (strcmp(e->type, "tunnel-added") != 0 &&
	    strcmp(e->type, "tunnel-state") != 0 &&
	    strcmp(e->type, "phase1") != 0 && strcmp(e->type, "sa") != 0)
		return (-1);
	if ((t = ml_event_tunnel(d, e)) == NULL)
		return (0);
	if (strcmp(e->type, "tunnel-added") == 0) {
		t->state = ml_tun_state(e->to);
		t->first_seen = t->changed_at = e->time;
		model_history_note(t, (int)t->state, e->time);
	} else if (strcmp(e->type, "tunnel-state") == 0) {
		t->state = ml_tun_state(e->to);
		t->changed_at = e->time;
		model_history_note(t, (int)t->state, e->time);
	} else if (strcmp(e->type, "phase1") == 0) {
		t->has_phase1 = 1;
		model_str_free(t->p1.status);
		t->p1.status = model_str(e->to);
		t->p1.status_since = e->time;
	} else
		ml_event_sa(t, e);
	m->dirty++;
	return (0);
}
