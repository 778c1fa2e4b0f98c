/* SPDX-License-Identifier: ISC */
/*
 * report_tunnel_list - `diagnose vpn tunnel list` (and `get vpn ipsec
 * tunnel name|details`) as JSON.  Each proxyid carries its SAs in "sas"
 * and, flat, the fields of the first (current) SA; SPIs are written as
 * the 8 hex digits FortiOS prints.  Key material is never parsed, so it
 * can never be written.
 */
#include "config.h"

#include <stddef.h>

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

/* An SPI as the 8 hex digits FortiOS prints, after its key. */
static void
rtl_spi(struct json *j, pnum spi)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 buf[8];
	unsigned int		 v = (unsigned int)spi;
	int			 i;

	if (spi == PNUM_UNKNOWN) {
		json_null(j);
		return;
	}
	for (i = 7; i >= 0; i--, v >>= 4)
		buf[i] = hex[v & 0xf];
	json_strn(j, buf, sizeof(buf));
}

#define TN(key, v)	json_knum(j, key, tnum_p(v))

/*
 * The flat fields of an SA (with the settings it shares with others)
 * and of a tunnel (before its proxyids), in the order written: one
 * table, read by rtl_fields.  A field is in the struct itself or in its
 * conf.
 */
enum rtl_type { RTL_STR, RTL_TNUM, RTL_PNUM, RTL_SPI };
enum rtl_of { RTL_OF_SA, RTL_OF_TUNNEL };

struct rtl_field {
	enum rtl_of	 of;
	int		 conf;		/* in the conf struct */
	const char	*key;
	size_t		 klen;		/* strlen(key): not counted per row */
	enum rtl_type	 type;
	size_t		 off;
};

#define RTL_F(of, c, k, t, off)	{ of, c, k, sizeof(k) - 1, t, off }
#define RTL_SA(k, t, m)	RTL_F(RTL_OF_SA, 0, k, t, offsetof(struct tl_sa, m))
#define RTL_SAC(k, t, m) \
	RTL_F(RTL_OF_SA, 1, k, t, offsetof(struct tl_sa_conf, m))
#define RTL_T(k, t, m) \
	RTL_F(RTL_OF_TUNNEL, 0, k, t, offsetof(struct tl_tunnel, m))
#define RTL_TC(k, t, m) \
	RTL_F(RTL_OF_TUNNEL, 1, k, t, offsetof(struct tl_conf, m))

static const struct rtl_field rtl_flat[] = {
	RTL_SA("enc_spi", RTL_SPI, enc_spi),
	RTL_SA("dec_spi", RTL_SPI, dec_spi),
	RTL_SAC("enc_esp", RTL_STR, enc_esp),
	RTL_SAC("enc_ah", RTL_STR, enc_ah),
	RTL_SAC("dec_esp", RTL_STR, dec_esp),
	RTL_SAC("dec_ah", RTL_STR, dec_ah),
	RTL_SA("expire_s", RTL_TNUM, expire_s),
	RTL_SA("life_timeout_s", RTL_TNUM, life_timeout),
	RTL_SAC("life_total_s", RTL_TNUM, life_total),
	RTL_SAC("mtu", RTL_TNUM, mtu),
	RTL_SAC("replaywin", RTL_TNUM, replaywin),
	RTL_SA("seqno", RTL_PNUM, seqno),
	RTL_SA("sa_ref", RTL_TNUM, ref),
	RTL_SAC("sa_options", RTL_TNUM, options),
	RTL_SAC("soft", RTL_TNUM, soft),
	RTL_SAC("sa_type", RTL_TNUM, type),
	RTL_SAC("esn", RTL_TNUM, esn),
	RTL_SA("rekey", RTL_TNUM, rekey),
	RTL_SAC("npu_flag", RTL_TNUM, npu_flag),
	RTL_SA("enc_pkts", RTL_PNUM, enc_pkts),
	RTL_SA("enc_bytes", RTL_PNUM, enc_bytes),
	RTL_SA("dec_pkts", RTL_PNUM, dec_pkts),
	RTL_SA("dec_bytes", RTL_PNUM, dec_bytes),
	RTL_T("name", RTL_STR, name),
	RTL_TC("version", RTL_TNUM, version),
	RTL_T("serial", RTL_TNUM, serial),
	RTL_T("local_addr", RTL_STR, local_addr),
	RTL_T("local_port", RTL_TNUM, local_port),
	RTL_T("remote_addr", RTL_STR, remote_addr),
	RTL_T("remote_port", RTL_TNUM, remote_port),
	RTL_T("tun_id", RTL_STR, tun_id),
	RTL_T("tun_id6", RTL_STR, tun_id6),
	RTL_T("parent", RTL_STR, parent),
	RTL_T("index", RTL_TNUM, index),
	RTL_TC("mode", RTL_STR, mode),
	RTL_TC("encap", RTL_STR, encap),
	RTL_TC("lgwy", RTL_STR, lgwy),
	RTL_TC("tun", RTL_STR, tun),
	RTL_TC("options", RTL_STR, options),
	RTL_TC("options_mask", RTL_TNUM, options_mask),
	RTL_TC("interface", RTL_STR, interface),
	RTL_TC("bound_if", RTL_TNUM, bound_if),
	RTL_TC("dst_mtu", RTL_TNUM, dst_mtu),
	RTL_TC("run_state", RTL_TNUM, run_state),
	RTL_TC("role", RTL_STR, role),
	RTL_TC("accept_traffic", RTL_TNUM, accept_traffic),
	RTL_TC("overlay_id", RTL_TNUM, overlay_id),
	RTL_T("proxyid_num", RTL_TNUM, proxyid_num),
	RTL_T("child_num", RTL_TNUM, child_num),
	RTL_T("refcnt", RTL_TNUM, refcnt),
	RTL_T("ilast", RTL_PNUM, ilast),
	RTL_T("olast", RTL_PNUM, olast),
	RTL_TC("ad", RTL_STR, ad),
	RTL_T("rxp", RTL_PNUM, rxp),
	RTL_T("txp", RTL_PNUM, txp),
	RTL_T("rxb", RTL_PNUM, rxb),
	RTL_T("txb", RTL_PNUM, txb),
	RTL_T("rx_err", RTL_PNUM, rx_err),
	RTL_T("tx_err", RTL_PNUM, tx_err),
	RTL_TC("dpd_mode", RTL_STR, dpd_mode),
	RTL_TC("dpd_on", RTL_TNUM, dpd_on),
	RTL_TC("dpd_idle_ms", RTL_TNUM, dpd_idle_ms),
	RTL_TC("dpd_retry", RTL_TNUM, dpd_retry),
	RTL_T("dpd_count", RTL_TNUM, dpd_count),
	RTL_T("dpd_seqno", RTL_PNUM, dpd_seqno),
	RTL_TC("natt_mode", RTL_STR, natt_mode),
	RTL_TC("natt_draft", RTL_TNUM, natt_draft),
	RTL_TC("natt_interval", RTL_TNUM, natt_interval),
	RTL_T("natt_remote_port", RTL_TNUM, natt_remote_port),
	RTL_T("run_tally", RTL_TNUM, run_tally),
};

/* The fields of one kind of obj, of it and the conf it points to. */
static void
rtl_fields(struct json *j, enum rtl_of of, const void *obj,
    const void *conf)
{
	const struct rtl_field	*f;
	const char		*p;

	for (f = rtl_flat; f < rtl_flat + sizeof rtl_flat / sizeof *f; f++) {
		if (f->of != of)
			continue;
		p = (const char *)(f->conf ? conf : obj) + f->off;
		/*
		 * The key as a literal would be written: the table's keys
		 * through json_keyn's checks were a sixth of the run.
		 */
		json_key_len(j, f->key, f->klen);
		switch (f->type) {
		case RTL_STR:
			json_str(j, *(const char *const *)p);
			break;
		case RTL_TNUM:
			json_num(j, tnum_p(*(const tnum *)p));
			break;
		case RTL_PNUM:
			json_num(j, *(const pnum *)p);
			break;
		case RTL_SPI:
			rtl_spi(j, *(const pnum *)p);
			break;
		}
	}
}

/* The SA fields, flat: shared by the proxyid and its "sas" entries. */
static void
rtl_sa_fields(struct json *j, const struct tl_sa *sa)
{
	if (sa == NULL)
		sa = &tunnel_list_sa_unknown;
	rtl_fields(j, RTL_OF_SA, sa, sa->conf);	/* conf: never NULL */
}

static void
rtl_proxyid(struct json *j, const struct tl_proxyid *p)
{
	const struct tl_sa	*sa;
	uint64_t		 from, to;
	int			 depth;

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
	/*
	 * The first SA's fields are the proxyid's and again the first of
	 * its SAs: formatted once, copied the second time (formatting them
	 * twice was a quarter of the instructions of `fgtop parse`).
	 */
	from = json_pos(j);
	depth = j->depth;
	rtl_sa_fields(j, p->sas);
	to = json_pos(j);
	json_key(j, "sas");
	json_arr_begin(j);
	for (sa = p->sas; sa != NULL; sa = sa->next) {
		json_obj_begin(j);
		if (sa != p->sas || json_again(j, from, to, depth) != 0)
			rtl_sa_fields(j, sa);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
rtl_tunnel(struct json *j, const struct tl_tunnel *t)
{
	const struct tl_proxyid	*p;

	json_obj_begin(j);
	rtl_fields(j, RTL_OF_TUNNEL, t, t->conf);	/* conf: never NULL */
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
 * The same document as rtl_report, each tunnel written once it ends: the
 * head, the tunnels of any part of the text cut before a "name=" line,
 * the tail.  The VDOM that comes first is read by a quick look at the
 * "list" lines of the whole text.
 */
static void
rtl_head(struct json *j, const char *buf, size_t len)
{
	json_obj_begin(j);
	TN("vd", tunnel_list_vd(buf, len));
	json_key(j, "tunnels");
	json_arr_begin(j);
}

static int
rtl_items(struct json *j, const char *buf, size_t len, size_t *count)
{
	return (tunnel_list_each(buf, len, rtl_stream_tunnel, j, count));
}

static void
rtl_tail(struct json *j)
{
	json_arr_end(j);
	json_obj_end(j);
}

static int
rtl_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	int	rc;

	rtl_head(j, buf, len);
	rc = rtl_items(j, buf, len, count);
	rtl_tail(j);
	return (rc);
}

/*
 * A "name=" line starts a tunnel whatever came before: it ends the one
 * before, and the state a tunnel starts with is the same every time
 * (the caches the parser keeps across tunnels only share equal values).
 */
static const struct kind_split rtl_split = {
	.at = "name=",
	.level = 2,		/* {"tunnels": [ */
	.head = rtl_head,
	.items = rtl_items,
	.tail = rtl_tail,
};

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
	.split = &rtl_split,
	.free = rtl_free,
};
