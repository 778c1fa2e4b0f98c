/* SPDX-License-Identifier: ISC */
/*
 * diagnose_model - the model's tunnels through the rules; see the header.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "diagnose_model.h"
#include "json.h"
#include "model.h"
#include "xmalloc.h"

/* Selectors diagnosed per tunnel; a hub's dial-up template has one. */
#define DM_MAXP2	64

/*
 * Findings whose input has not changed are kept at most this long before
 * the rules run again, so the seconds and totals their evidence quotes
 * ("connecting, started 300s ago") are never older than this.
 */
#define DM_REFRESH_S	120

/* What a tunnel keeps: its findings, and what they were made from. */
struct dm_state {
	struct dg_findings	 fs;
	uint64_t		 fp;	/* diagnose_fingerprint of the input */
	double			 at;	/* when */
	int			 dbg;	/* debug lines were given */
};

static pnum
dm_since(double now, double since)
{
	if (!(since > 0) || !(now >= since) || isnan(now))
		return (PNUM_UNKNOWN);
	return ((pnum)(now - since));
}

/*
 * How long phase 1 has had its status.  The model knows since when it
 * saw it; a status already there when the gateway list first showed it
 * began before, as early as the gateway's age (`created: Ns ago`) says.
 * (Not the tunnel's first sighting: the summary comes a moment before
 * the lists, and a thousand tunnels connecting for hours would read as
 * new for the first 30 s.)
 */
static pnum
dm_p1_for(const struct mtun *m, double now)
{
	const struct mphase1	*p1 = &m->p1;
	pnum			 d = dm_since(now, p1->status_since);

	if (p1->status != NULL && strcmp(p1->status, "established") == 0 &&
	    p1->established_ago_s != PNUM_UNKNOWN)
		return (p1->established_ago_s);
	if (d != PNUM_UNKNOWN && p1->listed_at > 0 &&
	    p1->status_since <= p1->listed_at &&
	    p1->created_ago_s != PNUM_UNKNOWN)
		d = p1->created_ago_s > d ? p1->created_ago_s : d;
	return (d);
}

void
diagnose_model_input(const struct mtun *m, double now, struct dg_tunnel *t,
    struct dg_p2 *p2, size_t maxp2)
{
	const struct mphase1	*p1 = &m->p1;
	size_t			 i;

	dg_tunnel_init(t);
	if (m->vdom != NULL) {
		t->vdom = m->vdom->name;
		if (m->vdom->dev != NULL)
			t->device = m->vdom->dev->hostname != NULL ?
			    m->vdom->dev->hostname : m->vdom->dev->name;
	}
	t->name = m->name;
	t->parent = m->parent;
	t->peer = p1->remote_addr != NULL ? p1->remote_addr : m->remote_addr;
	t->local = p1->local_addr != NULL ? p1->local_addr : m->local_addr;
	t->interface = p1->interface;
	if (p1->version == 1 || p1->version == 2)
		t->ike_version = (int)p1->version;
	t->sel_total = m->selectors_total;
	t->sel_up = m->selectors_up;
	t->rx_pkt = m->rx_pkt;
	t->rx_err = m->rx_err;
	t->tx_pkt = m->tx_pkt;
	t->tx_err = m->tx_err;
	t->tx_err_delta = m->tx_err_delta;
	if (m->has_phase1) {
		t->p1_status = p1->status;
		t->p1_for_s = dm_p1_for(m, now);
		t->ike_created = p1->ike_created[0];
		t->ike_established = p1->ike_established[0];
		t->dpd_sent = p1->dpd_sent;
		t->dpd_recv = p1->dpd_recv;
		t->dpd_sent_prev = p1->dpd_sent_prev;
		t->dpd_recv_prev = p1->dpd_recv_prev;
		t->nat_me = p1->nat_me;
		t->nat_peer = p1->nat_peer;
	}
	t->dpd_count = m->dpd_count;
	t->flaps_1h = (pnum)model_tunnel_flaps(m, now, MODEL_FLAP_WINDOW);
	if (m->vdom != NULL && m->vdom->dev != NULL &&
	    m->vdom->dev->owner != NULL)
		t->flap_threshold = m->vdom->dev->owner->flap_threshold;
	for (i = 0; i < m->np2 && i < maxp2; i++) {
		memset(&p2[i], 0, sizeof(p2[i]));
		p2[i].name = m->p2[i].name;
		p2[i].sa = m->p2[i].sa == PNUM_UNKNOWN ? -1 : (int)m->p2[i].sa;
		p2[i].sa_for_s = dm_since(now, m->p2[i].sa_since);
		p2[i].enc_pkts = m->p2[i].enc_pkts;
		p2[i].dec_pkts = m->p2[i].dec_pkts;
		p2[i].enc_delta = m->p2[i].enc_delta;
		p2[i].dec_delta = m->p2[i].dec_delta;
		p2[i].src = m->p2[i].src;
		p2[i].dst = m->p2[i].dst;
	}
	t->p2 = p2;
	t->np2 = i;
}

static void
dm_free(void *p)
{
	struct dm_state	*st = p;

	if (st != NULL) {
		dg_findings_free(&st->fs);
		free(st);
	}
}

static struct dm_state *
dm_state(const struct mtun *m)
{
	return (m->findings_free == dm_free ? m->findings : NULL);
}

size_t
diagnose_model_tunnel(struct mtun *m, double now,
    const struct ike_event *const *dbg, size_t ndbg)
{
	struct dg_tunnel	 t;
	struct dg_p2		 p2[DM_MAXP2];
	struct dm_state		*st;
	struct dg_findings	*fs;

	diagnose_model_input(m, now, &t, p2, DM_MAXP2);
	t.dbg = dbg;
	t.ndbg = ndbg;
	st = xmalloc(sizeof(*st));
	st->fp = diagnose_fingerprint(&t);
	st->at = now;
	st->dbg = ndbg > 0;
	fs = &st->fs;
	dg_findings_init(fs);
	(void)diagnose_tunnel(&t, fs);
	diagnose_sort(fs);
	/*
	 * Kept until the next round: room for 8 findings is 1.7 KB a
	 * faulty tunnel, 14 MB over the 8,000 of a 1,000-device estate.
	 */
	if (fs->n > 0 && fs->n < fs->cap) {
		fs->v = xreallocarray(fs->v, fs->n, sizeof(*fs->v));
		fs->cap = fs->n;
	}
	if (m->findings != NULL && m->findings_free != NULL)
		m->findings_free(m->findings);
	m->findings = st;
	m->findings_free = dm_free;
	return (fs->n);
}

int
diagnose_model_current(const struct mtun *m, double now)
{
	const struct dm_state	*st = dm_state(m);
	struct dg_tunnel	 t;
	struct dg_p2		 p2[DM_MAXP2];

	if (st == NULL || st->dbg || !(now - st->at < DM_REFRESH_S) ||
	    now < st->at)
		return (0);
	diagnose_model_input(m, now, &t, p2, DM_MAXP2);
	return (diagnose_fingerprint(&t) == st->fp && diagnose_settled(&t));
}

int
diagnose_model_settled(const struct mtun *m, double now)
{
	struct dg_tunnel	 t;
	struct dg_p2		 p2[DM_MAXP2];

	diagnose_model_input(m, now, &t, p2, DM_MAXP2);
	return (diagnose_settled(&t));
}

const struct dg_findings *
diagnose_model_findings(const struct mtun *m)
{
	const struct dm_state	*st = dm_state(m);

	return (st != NULL ? &st->fs : NULL);
}

void
diagnose_model_json(struct json *j, const struct mtun *m)
{
	const struct dg_findings	*fs = diagnose_model_findings(m);
	struct dg_findings		 none;

	if (fs == NULL) {
		dg_findings_init(&none);
		fs = &none;
	}
	diagnose_json(j, fs);
}
