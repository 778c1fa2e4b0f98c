/* SPDX-License-Identifier: ISC */
/*
 * report_tunnel_list - `diagnose vpn tunnel list` (and `get vpn ipsec
 * tunnel name|details`) as JSON.  Each proxyid carries its SAs in "sas"
 * and, flat, the fields of the first (current) SA; SPIs are written as
 * the 8 hex digits FortiOS prints.  Key material is never parsed, so it
 * can never be written.
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "tunnel_list.h"

static void *
rtl_parse(const char *buf, size_t len)
{
	return (tunnel_list_parse(buf, len));
}

static size_t
rtl_count(const void *p)
{
	return (((const struct tunnel_list *)p)->ntunnels);
}

/* An SPI as the 8 hex digits FortiOS prints. */
static void
rtl_spi(struct json *j, const char *key, pnum spi)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 buf[8];
	unsigned int		 v = (unsigned int)spi;
	int			 i;

	if (spi == PNUM_UNKNOWN) {
		json_kstr(j, key, NULL);
		return;
	}
	for (i = 7; i >= 0; i--, v >>= 4)
		buf[i] = hex[v & 0xf];
	json_key(j, key);
	json_strn(j, buf, sizeof(buf));
}

#define TN(key, v)	json_knum(j, key, tnum_p(v))

/* The SA fields, flat: shared by the proxyid and its "sas" entries. */
static void
rtl_sa_fields(struct json *j, const struct tl_sa *sa)
{
	const struct tl_sa_conf	*sf;

	if (sa == NULL)
		sa = &tunnel_list_sa_unknown;
	sf = sa->conf;		/* never NULL */
	rtl_spi(j, "enc_spi", sa->enc_spi);
	rtl_spi(j, "dec_spi", sa->dec_spi);
	json_kstr(j, "enc_esp", sf->enc_esp);
	json_kstr(j, "enc_ah", sf->enc_ah);
	json_kstr(j, "dec_esp", sf->dec_esp);
	json_kstr(j, "dec_ah", sf->dec_ah);
	TN("expire_s", sa->expire_s);
	TN("life_timeout_s", sa->life_timeout);
	TN("life_total_s", sf->life_total);
	TN("mtu", sf->mtu);
	TN("replaywin", sf->replaywin);
	json_knum(j, "seqno", sa->seqno);
	TN("sa_ref", sa->ref);
	TN("sa_options", sf->options);
	TN("soft", sf->soft);
	TN("sa_type", sf->type);
	TN("esn", sf->esn);
	TN("rekey", sa->rekey);
	TN("npu_flag", sf->npu_flag);
	json_knum(j, "enc_pkts", sa->enc_pkts);
	json_knum(j, "enc_bytes", sa->enc_bytes);
	json_knum(j, "dec_pkts", sa->dec_pkts);
	json_knum(j, "dec_bytes", sa->dec_bytes);
}

static void
rtl_proxyid(struct json *j, const struct tl_proxyid *p)
{
	const struct tl_sa	*sa;

	json_obj_begin(j);
	json_kstr(j, "name", p->name);
	TN("sa", p->sa);
	TN("proto", p->proto);
	TN("ref", p->ref);
	TN("serial", p->serial);
	json_kstr(j, "flags", p->flags);
	json_kbool(j, "auto_negotiate", p->auto_negotiate);
	json_kstr(j, "src", p->src);
	json_kstr(j, "dst", p->dst);
	rtl_sa_fields(j, p->sas);
	json_key(j, "sas");
	json_arr_begin(j);
	for (sa = p->sas; sa != NULL; sa = sa->next) {
		json_obj_begin(j);
		rtl_sa_fields(j, sa);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
rtl_tunnel(struct json *j, const struct tl_tunnel *t)
{
	const struct tl_conf	*f = t->conf;	/* never NULL */
	const struct tl_proxyid	*p;

	json_obj_begin(j);
	json_kstr(j, "name", t->name);
	TN("version", f->version);
	TN("serial", t->serial);
	json_kstr(j, "local_addr", t->local_addr);
	TN("local_port", t->local_port);
	json_kstr(j, "remote_addr", t->remote_addr);
	TN("remote_port", t->remote_port);
	json_kstr(j, "tun_id", t->tun_id);
	json_kstr(j, "tun_id6", t->tun_id6);
	json_kstr(j, "parent", t->parent);
	TN("index", t->index);
	json_kstr(j, "mode", f->mode);
	json_kstr(j, "encap", f->encap);
	json_kstr(j, "lgwy", f->lgwy);
	json_kstr(j, "tun", f->tun);
	json_kstr(j, "options", f->options);
	TN("options_mask", f->options_mask);
	json_kstr(j, "interface", f->interface);
	TN("bound_if", f->bound_if);
	TN("dst_mtu", f->dst_mtu);
	TN("run_state", f->run_state);
	json_kstr(j, "role", f->role);
	TN("accept_traffic", f->accept_traffic);
	TN("overlay_id", f->overlay_id);
	TN("proxyid_num", t->proxyid_num);
	TN("child_num", t->child_num);
	TN("refcnt", t->refcnt);
	json_knum(j, "ilast", t->ilast);
	json_knum(j, "olast", t->olast);
	json_kstr(j, "ad", f->ad);
	json_knum(j, "rxp", t->rxp);
	json_knum(j, "txp", t->txp);
	json_knum(j, "rxb", t->rxb);
	json_knum(j, "txb", t->txb);
	json_knum(j, "rx_err", t->rx_err);
	json_knum(j, "tx_err", t->tx_err);
	json_kstr(j, "dpd_mode", f->dpd_mode);
	TN("dpd_on", f->dpd_on);
	TN("dpd_idle_ms", f->dpd_idle_ms);
	TN("dpd_retry", f->dpd_retry);
	TN("dpd_count", t->dpd_count);
	json_knum(j, "dpd_seqno", t->dpd_seqno);
	json_kstr(j, "natt_mode", f->natt_mode);
	TN("natt_draft", f->natt_draft);
	TN("natt_interval", f->natt_interval);
	TN("natt_remote_port", t->natt_remote_port);
	TN("run_tally", t->run_tally);
	json_key(j, "proxyids");
	json_arr_begin(j);
	for (p = t->proxyids; p != NULL; p = p->next)
		rtl_proxyid(j, p);
	json_arr_end(j);
	json_obj_end(j);
}

static void
rtl_report(struct json *j, const void *v)
{
	const struct tunnel_list	*r = v;
	size_t				 i;

	json_obj_begin(j);
	TN("vd", r->vd);
	json_key(j, "tunnels");
	json_arr_begin(j);
	for (i = 0; i < r->ntunnels; i++)
		rtl_tunnel(j, r->tunnels[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static int
rtl_stream_tunnel(const struct tl_tunnel *t, void *j)
{
	rtl_tunnel(j, t);
	return (0);
}

/*
 * The same document as rtl_report, each tunnel written once it ends; the
 * VDOM that comes first is read by a quick look at the "list" lines.
 */
static int
rtl_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	int	rc;

	json_obj_begin(j);
	TN("vd", tunnel_list_vd(buf, len));
	json_key(j, "tunnels");
	json_arr_begin(j);
	rc = tunnel_list_each(buf, len, rtl_stream_tunnel, j, count);
	json_arr_end(j);
	json_obj_end(j);
	return (rc);
}

static void
rtl_free(void *p)
{
	tunnel_list_free(p);
}

const struct kind kind_tunnel_list = {
	.name = "tunnel-list",
	.parse = rtl_parse,
	.count = rtl_count,
	.report = rtl_report,
	.stream = rtl_stream,
	.free = rtl_free,
};
