/* SPDX-License-Identifier: ISC */
/*
 * test_tunnel_list - `diagnose vpn tunnel list` and `get vpn ipsec tunnel
 * name`: what the real captures hold beyond their manifest entries
 * (test_manifest checks those), and synthetic layouts: 5.6 (seqno on the SA: line), IPv6, names with
 * spaces, blocks without separators, rekey with two SAs, missing fields,
 * CRLF, pager remnants and hostile bytes.  Key material must never reach
 * the report.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tunnel_list.h"

#define U	PNUM_UNKNOWN

static void
str_eq(const char *what, const char *who, const char *field, const char *got,
    const char *want)
{
	char	ctx[256];

	snprintf(ctx, sizeof(ctx), "%s: %s", what, who);
	tu_str(ctx, field, got, want);
}

static void
num_eq(const char *what, const char *who, const char *field, pnum got,
    pnum want)
{
	char	ctx[256];

	snprintf(ctx, sizeof(ctx), "%s: %s", what, who);
	tu_num(ctx, field, got, want);
}

static void
spi_eq(const char *what, const char *who, const char *field, pnum spi,
    const char *want)
{
	char	buf[16];

	snprintf(buf, sizeof(buf), "%08x", (unsigned int)spi);
	str_eq(what, who, field, spi != U ? buf : NULL, want);
}

static void
check_str_field(const char *what, const char *field, const char *got,
    const char *want)
{
	tu_str(what, field, got, want);
}

static struct tunnel_list *
parse_fixture(const char *rel, char **bufp, size_t *lenp)
{
	struct tunnel_list	*r;

	*bufp = tu_fixture(rel, lenp);
	r = tunnel_list_parse(*bufp, *lenp);
	assert_non_null(r);
	return (r);
}

/* The extras of a 7.x block, struct and JSON. */
static void
test_extras_spoke(void **state)
{
	static const char rel[] =
	    "real/tunnel-list/02-spoke-static-auto-negotiate.txt";
	struct tunnel_list	*r;
	struct tl_tunnel	*t;
	struct tl_proxyid	*p;
	struct tl_sa		*sa;
	char			*buf, *json;
	size_t			 len;

	(void)state;
	r = parse_fixture(rel, &buf, &len);
	t = r->tunnels[0];
	num_eq(rel, "SPOKE1", "vd", tnum_p(r->vd), 0);
	str_eq(rel, "SPOKE1", "tun_id", t->tun_id, "100.1.1.2");
	str_eq(rel, "SPOKE1", "tun_id6", t->tun_id6, "::100.1.1.2");
	num_eq(rel, "SPOKE1", "dst_mtu", tnum_p(t->conf->dst_mtu), 1500);
	num_eq(rel, "SPOKE1", "bound_if", tnum_p(t->conf->bound_if), 10);
	str_eq(rel, "SPOKE1", "lgwy", t->conf->lgwy, "static");
	str_eq(rel, "SPOKE1", "tun", t->conf->tun, "intf");
	str_eq(rel, "SPOKE1", "encap", t->conf->encap, "none");
	str_eq(rel, "SPOKE1", "options", t->conf->options, "npu frag-rfc");
	num_eq(rel, "SPOKE1", "options_mask", tnum_p(t->conf->options_mask),
	    0x228);
	num_eq(rel, "SPOKE1", "run_state", tnum_p(t->conf->run_state), 0);
	str_eq(rel, "SPOKE1", "role", t->conf->role, "primary");
	num_eq(rel, "SPOKE1", "accept_traffic",
	    tnum_p(t->conf->accept_traffic), 1);
	num_eq(rel, "SPOKE1", "overlay_id", tnum_p(t->conf->overlay_id), 0);
	num_eq(rel, "SPOKE1", "proxyid_num", tnum_p(t->proxyid_num), 1);
	num_eq(rel, "SPOKE1", "child_num", tnum_p(t->child_num), 0);
	num_eq(rel, "SPOKE1", "refcnt", tnum_p(t->refcnt), 4);
	num_eq(rel, "SPOKE1", "ilast", t->ilast, 12);
	num_eq(rel, "SPOKE1", "olast", t->olast, 12);
	str_eq(rel, "SPOKE1", "ad", t->conf->ad, "/0");
	num_eq(rel, "SPOKE1", "dpd_on", tnum_p(t->conf->dpd_on), 1);
	num_eq(rel, "SPOKE1", "dpd_idle_ms", tnum_p(t->conf->dpd_idle_ms),
	    10000);
	num_eq(rel, "SPOKE1", "dpd_retry", tnum_p(t->conf->dpd_retry), 3);
	num_eq(rel, "SPOKE1", "dpd_count", tnum_p(t->dpd_count), 0);
	num_eq(rel, "SPOKE1", "dpd_seqno", t->dpd_seqno, 4);
	num_eq(rel, "SPOKE1", "natt_draft", tnum_p(t->conf->natt_draft), 0);
	num_eq(rel, "SPOKE1", "natt_remote_port",
	    tnum_p(t->natt_remote_port), 0);
	num_eq(rel, "SPOKE1", "run_tally", tnum_p(t->run_tally), 0);
	num_eq(rel, "SPOKE1", "rx_err (get form only)", t->rx_err, U);
	p = t->proxyids;
	str_eq(rel, "SPOKE1", "flags", p->flags, "auto-negotiate");
	num_eq(rel, "SPOKE1", "auto_negotiate", p->auto_negotiate, 1);
	num_eq(rel, "SPOKE1", "proxyid ref", tnum_p(p->ref), 2);
	num_eq(rel, "SPOKE1", "proxyid serial", tnum_p(p->serial), 1);
	sa = p->sas;
	num_eq(rel, "SPOKE1", "sa ref", tnum_p(sa->ref), 5);
	num_eq(rel, "SPOKE1", "sa options", tnum_p(sa->conf->options), 0x18227);
	num_eq(rel, "SPOKE1", "soft", tnum_p(sa->conf->soft), 0);
	num_eq(rel, "SPOKE1", "mtu", tnum_p(sa->conf->mtu), 1438);
	num_eq(rel, "SPOKE1", "replaywin", tnum_p(sa->conf->replaywin), 2048);
	num_eq(rel, "SPOKE1", "seqno", sa->seqno, 7);
	num_eq(rel, "SPOKE1", "esn", tnum_p(sa->conf->esn), 0);
	num_eq(rel, "SPOKE1", "rekey", tnum_p(sa->rekey), 0);
	num_eq(rel, "SPOKE1", "life_timeout", tnum_p(sa->life_timeout), 42903);
	num_eq(rel, "SPOKE1", "life_total", tnum_p(sa->conf->life_total),
	    43200);
	str_eq(rel, "SPOKE1", "dec_esp", sa->conf->dec_esp, "aes");
	str_eq(rel, "SPOKE1", "dec_ah", sa->conf->dec_ah, "sha1");
	str_eq(rel, "SPOKE1", "enc_esp", sa->conf->enc_esp, "aes");
	str_eq(rel, "SPOKE1", "enc_ah", sa->conf->enc_ah, "sha1");
	num_eq(rel, "SPOKE1", "enc_bytes", sa->enc_bytes, 1080);
	num_eq(rel, "SPOKE1", "dec_bytes", sa->dec_bytes, 0);
	num_eq(rel, "SPOKE1", "npu_flag", tnum_p(sa->conf->npu_flag), 1);
	if (sa->next != NULL)
		fail_msg("%s: one SA expected", rel);
	tunnel_list_free(r);
	free(buf);

	json = tu_report_fixture(&kind_tunnel_list, rel);
	tu_has(json, "\"name\":\"SPOKE1\",\"version\":1,", rel);
	tu_has(json, "\"local_addr\":\"200.1.1.2\",\"local_port\":0,", rel);
	tu_has(json, "\"parent\":null,\"index\":null,", rel);
	tu_has(json, "\"src\":\"0:0.0.0.0-255.255.255.255:0\",", rel);
	tu_has(json, "\"enc_spi\":\"a7d1cc77\",\"dec_spi\":\"1a45fdb4\",", rel);
	tu_has(json, "\"expire_s\":42762,", rel);
	tu_has(json, "\"enc_pkts\":12,", rel);
	tu_has(json, "\"dec_pkts\":0,", rel);
	tu_has(json, "\"auto_negotiate\":true,", rel);
	tu_has(json, "\"sas\":[{\"enc_spi\":\"a7d1cc77\",", rel);
	tu_has(json, "\"natt_mode\":\"none\",", rel);
	tu_has(json, "\"dpd_mode\":\"on-demand\",", rel);
	/* Key material never reaches the report. */
	tu_lacks(json, "373c729e4164750638f8ff0d37dbdd12", "dec key");
	tu_lacks(json, "323ffd35fb089657505202639ad92371df146881",
	    "dec ah key");
	tu_lacks(json, "6da00eca8e15572377040c982e206526", "enc key");
	tu_lacks(json, "3ea0959e65417277e75bdc5f52bdbc768f33d9b0",
	    "enc ah key");
	free(json);
}

/* sa=2: both SAs kept, the first reported flat. */
static void
test_rekey_two_sas(void **state)
{
	static const char rel[] =
	    "real/tunnel-list/06-fortios723-rekey-sa2-two-sas.txt";
	struct tunnel_list	*r;
	struct tl_sa		*a, *b;
	char			*buf, *json;
	size_t			 len;

	(void)state;
	r = parse_fixture(rel, &buf, &len);
	a = r->tunnels[0]->proxyids->sas;
	assert_non_null(a);
	b = a->next;
	assert_non_null(b);
	assert_null(b->next);
	spi_eq(rel, "old", "dec_spi", a->dec_spi, "83391146");
	spi_eq(rel, "old", "enc_spi", a->enc_spi, "09387f45");
	spi_eq(rel, "new", "dec_spi", b->dec_spi, "83391147");
	spi_eq(rel, "new", "enc_spi", b->enc_spi, "03b2b08e");
	num_eq(rel, "new", "expire_s", tnum_p(b->expire_s), 2982);
	num_eq(rel, "new", "life_timeout", tnum_p(b->life_timeout), 3333);
	str_eq(rel, "new", "dec_esp", b->conf->dec_esp, "aes-gcm");
	str_eq(rel, "new", "enc_ah", b->conf->enc_ah, "null");
	tunnel_list_free(r);
	free(buf);

	json = tu_report_fixture(&kind_tunnel_list, rel);
	tu_has(json, "\"sa\":2,", rel);
	tu_has(json, "\"enc_spi\":\"09387f45\",\"dec_spi\":\"83391146\",", rel);
	tu_has(json, "},{\"enc_spi\":\"03b2b08e\",\"dec_spi\":\"83391147\",",
	    rel);
	tu_lacks(json, "7e4d12c5363b3aec6c29a9872e50ad65", "key");
	free(json);
}

/* The get form: interface, error counters, lifetime/rekey, truncated alg. */
static void
test_get_form(void **state)
{
	static const char rel[] =
	    "real/tunnel-list/09-get-tunnel-name-fortios723.txt";
	static const char rel2[] =
	    "real/tunnel-list/10-get-tunnel-name-des-dpd-disabled.txt";
	struct tunnel_list	*r;
	struct tl_tunnel	*t;
	struct tl_proxyid	*p;
	struct tl_sa		*sa;
	char			*buf, *json;
	size_t			 len;

	(void)state;
	r = parse_fixture(rel, &buf, &len);
	t = r->tunnels[0];
	str_eq(rel, t->name, "interface", t->conf->interface, "wan1");
	num_eq(rel, t->name, "bound_if", tnum_p(t->conf->bound_if), 5);
	num_eq(rel, t->name, "rx_err", t->rx_err, 0);
	num_eq(rel, t->name, "dpd_idle_ms", tnum_p(t->conf->dpd_idle_ms),
	    20000);
	num_eq(rel, t->name, "dpd_retry", tnum_p(t->conf->dpd_retry), 3);
	num_eq(rel, t->name, "dpd_count", tnum_p(t->dpd_count), 0);
	num_eq(rel, t->name, "natt_interval", tnum_p(t->conf->natt_interval),
	    10);
	num_eq(rel, t->name, "natt_remote_port", tnum_p(t->natt_remote_port),
	    U);
	p = t->proxyids;
	num_eq(rel, t->name, "auto_negotiate", p->auto_negotiate, 1);
	sa = p->sas;
	num_eq(rel, t->name, "life_total", tnum_p(sa->conf->life_total), 43200);
	num_eq(rel, t->name, "life_timeout", tnum_p(sa->life_timeout), U);
	num_eq(rel, t->name, "mtu", tnum_p(sa->conf->mtu), 1438);
	num_eq(rel, t->name, "seqno", sa->seqno, 1);
	str_eq(rel, t->name, "dec_esp", sa->conf->dec_esp, "aes-gc");
	str_eq(rel, t->name, "enc_ah", sa->conf->enc_ah, "null");
	tunnel_list_free(r);
	free(buf);

	r = parse_fixture(rel2, &buf, &len);
	t = r->tunnels[0];
	num_eq(rel2, t->name, "tx_err", t->tx_err, 3);
	num_eq(rel2, t->name, "dpd_idle_ms", tnum_p(t->conf->dpd_idle_ms), U);
	num_eq(rel2, t->name, "auto_negotiate", t->proxyids->auto_negotiate,
	    0);
	num_eq(rel2, t->name, "seqno (hex)", t->proxyids->sas->seqno, 0x248);
	str_eq(rel2, t->name, "enc_ah", t->proxyids->sas->conf->enc_ah,
	    "sha256");
	tunnel_list_free(r);
	free(buf);

	json = tu_report_fixture(&kind_tunnel_list, rel);
	tu_lacks(json, "0f49113c4df6317f", "get-form key");
	tu_has(json, "\"sa\":null,", rel);
	free(json);
}

/*
 * FortiOS 5.6: no tun_id, seqno on the SA: line, no run_tally; a name with
 * a space; two tunnels without any separator; IPv6 everywhere.
 */
static void
test_synthetic_layouts(void **state)
{
	static const char in[] =
	    "FGT56 $ diagnose vpn tunnel list\n"
	    "list all ipsec tunnel in vd 2\n"
	    "name=to HQ ver=1 serial=1a 192.0.2.1:0->198.51.100.7:0\n"
	    "bound_if=4 lgwy=static/1 tun=intf/0 mode=auto/1 encap=none/8 "
	    "options[0008]=npu\n"
	    "proxyid_num=1 child_num=0 refcnt=11 ilast=1 olast=1 ad=/0\n"
	    "stat: rxp=5 txp=6 rxb=700 txb=800\n"
	    "dpd: mode=on-demand on=1 idle=20000ms retry=3 count=2 seqno=9\n"
	    "natt: mode=none draft=0 interval=0 remote_port=0\n"
	    "proxyid=to HQ p2 proto=6 sa=1 ref=2 serial=1\n"
	    "  src: 6:10.1.0.0/255.255.255.0:443\n"
	    "  dst: 6:10.2.0.0/255.255.255.0:0\n"
	    "  SA:  ref=3 options=2e type=00 soft=0 mtu=1438 expire=42897/0B "
	    "replaywin=2048 seqno=1f esn=0 replaywin_lastseq=00000000\n"
	    "  life: type=01 bytes=0/0 timeout=43151/43200\n"
	    "  dec: spi=0000abcd esp=3des key=24 "
	    "0123456789abcdef0123456789abcdef0123456789abcdef\n"
	    "       ah=md5 key=16 fedcba9876543210fedcba9876543210\n"
	    "  enc: spi=ffffffff esp=aes key=32 "
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
	    "       ah=sha256 key=32 "
	    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n"
	    "  dec:pkts/bytes=10/1000, enc:pkts/bytes=20/2000\n"
	    "name=v6 ver=2 serial=2 2001:db8::1:500->2001:db8:ffff::2:4500 "
	    "tun_id=10.0.0.9 tun_id6=2001:db8::9\n"
	    "bound_if=5 lgwy=static/1 tun=intf mode=auto/1 encap=none/552\n"
	    "stat: rxp=1 txp=2 rxb=3 txb=4\n"
	    "natt: mode=keepalive draft=32 interval=10 remote_port=4500\n"
	    "proxyid=v6 proto=0 sa=0 ref=1 serial=2 auto-negotiate\n"
	    "  src: 0:2001:db8:1::-2001:db8:1::ffff:0\n"
	    "  dst: 0:::/0:0\n"
	    "FGT56 $ ";
	struct tunnel_list	*r;
	struct tl_tunnel	*t;
	struct tl_proxyid	*p;
	struct tl_sa		*sa;
	char			*json;

	(void)state;
	r = tunnel_list_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 2);
	num_eq("5.6", "", "vd", tnum_p(r->vd), 2);
	t = r->tunnels[0];
	str_eq("5.6", "", "name with a space", t->name, "to HQ");
	num_eq("5.6", t->name, "serial (hex)", tnum_p(t->serial), 0x1a);
	num_eq("5.6", t->name, "tun_id absent", t->tun_id != NULL, 0);
	num_eq("5.6", t->name, "dst_mtu", tnum_p(t->conf->dst_mtu), U);
	num_eq("5.6", t->name, "run_tally", tnum_p(t->run_tally), U);
	num_eq("5.6", t->name, "options_mask", tnum_p(t->conf->options_mask),
	    8);
	str_eq("5.6", t->name, "options", t->conf->options, "npu");
	num_eq("5.6", t->name, "dpd_count", tnum_p(t->dpd_count), 2);
	p = t->proxyids;
	str_eq("5.6", t->name, "proxyid name", p->name, "to HQ p2");
	num_eq("5.6", t->name, "proto", tnum_p(p->proto), 6);
	num_eq("5.6", t->name, "no flags: auto_negotiate", p->auto_negotiate,
	    0);
	str_eq("5.6", t->name, "flags", p->flags, NULL);
	str_eq("5.6", t->name, "src", p->src, "6:10.1.0.0/255.255.255.0:443");
	sa = p->sas;
	num_eq("5.6", t->name, "seqno on SA: line", sa->seqno, 0x1f);
	num_eq("5.6", t->name, "replaywin", tnum_p(sa->conf->replaywin), 2048);
	num_eq("5.6", t->name, "rekey absent", tnum_p(sa->rekey), U);
	spi_eq("5.6", t->name, "dec_spi", sa->dec_spi,
	    "0000abcd");
	spi_eq("5.6", t->name, "enc_spi", sa->enc_spi,
	    "ffffffff");
	str_eq("5.6", t->name, "dec_esp", sa->conf->dec_esp, "3des");
	str_eq("5.6", t->name, "dec_ah", sa->conf->dec_ah, "md5");
	str_eq("5.6", t->name, "enc_ah", sa->conf->enc_ah, "sha256");
	num_eq("5.6", t->name, "dec_bytes", sa->dec_bytes, 1000);
	num_eq("5.6", t->name, "enc_pkts", sa->enc_pkts, 20);
	num_eq("5.6", t->name, "npu_flag absent", tnum_p(sa->conf->npu_flag),
	    U);

	t = r->tunnels[1];
	str_eq("v6", "v6", "local_addr", t->local_addr, "2001:db8::1");
	num_eq("v6", "v6", "local_port", tnum_p(t->local_port), 500);
	str_eq("v6", "v6", "remote_addr", t->remote_addr, "2001:db8:ffff::2");
	num_eq("v6", "v6", "remote_port", tnum_p(t->remote_port), 4500);
	str_eq("v6", "v6", "tun_id6", t->tun_id6, "2001:db8::9");
	num_eq("v6", "v6", "natt_draft", tnum_p(t->conf->natt_draft), 32);
	num_eq("v6", "v6", "natt_remote_port", tnum_p(t->natt_remote_port),
	    4500);
	num_eq("v6", "v6", "dpd absent", t->conf->dpd_mode != NULL, 0);
	p = t->proxyids;
	str_eq("v6", "v6", "src", p->src, "0:2001:db8:1::-2001:db8:1::ffff:0");
	str_eq("v6", "v6", "dst", p->dst, "0:::/0:0");
	num_eq("v6", "v6", "auto_negotiate", p->auto_negotiate, 1);
	num_eq("v6", "v6", "no SA", p->sas != NULL, 0);
	tunnel_list_free(r);

	json = tu_report(&kind_tunnel_list, in, sizeof(in) - 1);
	tu_has(json, "\"name\":\"to HQ\",", "name");
	tu_has(json, "\"dpd_mode\":null,", "absent dpd");
	tu_has(json, "\"enc_spi\":null,", "sa=0: no spi");
	tu_has(json, "\"expire_s\":null,", "sa=0: no expiry");
	tu_has(json, "\"sas\":[]", "sa=0: no SAs");
	tu_lacks(json, "0123456789abcdef", "3des key");
	tu_lacks(json, "fedcba9876543210", "md5 key");
	tu_lacks(json, "ffeeddccbbaa9988", "sha256 key");
	free(json);
}

/* CRLF and pager remnants give the same result as the clean LF text. */
static void
test_crlf_and_pager(void **state)
{
	static const char rel[] =
	    "real/tunnel-list/04-advpn-hub-children-ads.txt";
	char	*buf, *crlf, *a, *b;
	size_t	 len, i, k;

	(void)state;
	buf = tu_fixture(rel, &len);
	crlf = malloc(len * 2 + 64);
	assert_non_null(crlf);
	for (i = 0, k = 0; i < len; i++) {
		if (buf[i] == '\n') {
			crlf[k++] = '\r';
			/* A pager remnant before the second tunnel. */
			if (i > 0 && buf[i - 1] == '-' && k > 2000) {
				memcpy(crlf + k,
				    "\n--More-- \r         \r", 21);
				k += 21;
				continue;
			}
		}
		crlf[k++] = buf[i];
	}
	a = tu_report(&kind_tunnel_list, buf, len);
	b = tu_report(&kind_tunnel_list, crlf, k);
	if (strcmp(a, b) != 0)
		fail_msg("%s: CRLF/pager report differs:\n%s\n%s", rel, a, b);
	free(a);
	free(b);
	free(crlf);
	free(buf);
}

/*
 * Settings are stored once for tunnels (and SAs) that share them, and
 * never mixed up between tunnels that differ.
 */
static void
test_shared_conf(void **state)
{
	static const char rel[] =
	    "real/tunnel-list/04-advpn-hub-children-ads.txt";
	static const char in[] =
	    "name=a ver=1 1.1.1.1:0->2.2.2.2:0\n"
	    "dpd: mode=on-idle on=1 idle=1000ms\n"
	    "name=b ver=1 1.1.1.1:0->2.2.2.3:0\n"
	    "dpd: mode=on-idle on=1 idle=2000ms\n"
	    "name=c ver=2 1.1.1.1:0->2.2.2.4:0\n"
	    "dpd: mode=on-idle on=1 idle=1000ms\n"
	    "name=d ver=1 1.1.1.1:0->2.2.2.5:0\n"
	    "dpd: mode=on-idle on=1 idle=1000ms\n";
	static const pnum idle[] = { 1000, 2000, 1000, 1000 };
	static const pnum ver[] = { 1, 1, 2, 1 };
	struct tunnel_list	*r;
	char			*buf;
	size_t			 len, i;

	(void)state;
	r = parse_fixture(rel, &buf, &len);
	if (r->tunnels[0]->conf != r->tunnels[1]->conf)
		fail_msg("%s: HUB_0 and HUB_1 should share settings", rel);
	if (r->tunnels[0]->conf == r->tunnels[2]->conf)
		fail_msg("%s: HUB (dialup) shares the children's settings", rel);
	str_eq(rel, "HUB", "mode", r->tunnels[2]->conf->mode, "dialup");
	if (r->tunnels[0]->proxyids->sas->conf !=
	    r->tunnels[1]->proxyids->sas->conf)
		fail_msg("%s: the children's SAs should share settings", rel);
	tunnel_list_free(r);
	free(buf);

	r = tunnel_list_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 4);
	for (i = 0; i < 4; i++) {
		num_eq("alternating", r->tunnels[i]->name, "dpd_idle_ms",
		    tnum_p(r->tunnels[i]->conf->dpd_idle_ms), idle[i]);
		num_eq("alternating", r->tunnels[i]->name, "version",
		    tnum_p(r->tunnels[i]->conf->version), ver[i]);
	}
	if (r->tunnels[0]->conf != r->tunnels[3]->conf)
		fail_msg("a and d should share settings");
	tunnel_list_free(r);
}

/*
 * Keys are matched 16 bytes at a time: never across the end of a line or
 * of the input.  A "--More--" remnant with no erase before the text
 * keeps the text (it used to drop the whole line).
 */
static void
test_line_ends(void **state)
{
	static const char in[] =
	    "name=e ver=1 1.1.1.1:0->2.2.2.2:0\n"
	    "stat: rxp\n"			/* "=7" is on the next line */
	    "=7 txp=1\n"
	    "--More-- natt: mode=keepalive draft=0\n"
	    "proxyid=e proto=0 sa=1\n"
	    "SA: ref=3\n"
	    "dec:pkts/bytes=1/2, enc:pkts/bytes=3/4";	/* no newline */
	static const char cut[] = "name=f ver=1\nstat: rxp=5 txb";
	struct tunnel_list	*r;
	struct tl_tunnel	*t;
	struct tl_sa		*sa;

	(void)state;
	r = tunnel_list_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 1);
	t = r->tunnels[0];
	num_eq("ends", "e", "rxp (= on the next line)", t->rxp, U);
	num_eq("ends", "e", "txp (not a line of its own)", t->txp, U);
	str_eq("ends", "e", "natt_mode after --More--", t->conf->natt_mode,
	    "keepalive");
	sa = t->proxyids->sas;
	num_eq("ends", "e", "enc_bytes at the end of input", sa->enc_bytes,
	    4);
	num_eq("ends", "e", "dec_pkts", sa->dec_pkts, 1);
	tunnel_list_free(r);

	r = tunnel_list_parse(cut, sizeof(cut) - 1);
	assert_non_null(r);
	num_eq("cut", "f", "rxp", r->tunnels[0]->rxp, 5);
	num_eq("cut", "f", "txb (cut before =)", r->tunnels[0]->txb, U);
	tunnel_list_free(r);
	/* The same, cut inside the key: no read past the end. */
	r = tunnel_list_parse(cut, sizeof(cut) - 3);
	assert_non_null(r);
	num_eq("cut", "f", "rxp", r->tunnels[0]->rxp, 5);
	tunnel_list_free(r);
}

/*
 * Keys and words next to the end of the input, and control bytes inside
 * words.  Keys are compared sixteen bytes at a time and words scanned
 * eight at a time where that many bytes are left in the input, and with
 * the end of the line (or byte by byte) tested where they are not.
 */
static void
test_near_end(void **state)
{
	/* The input stops inside "txp=9": what follows must not be read. */
	static const char key[] = "name=g ver=1\nstat: rxp=5 txp=9 rxb=1\n";
	static const char word[] =
	    "name=h ver=1\nbound_if=5 lgwy=static/1 encap=none";
	static const char ctl[] =
	    "name=i ver=1\n"
	    "dpd: mode=on\vdemand on=1 idle=20000ms\n"
	    "natt: mode=a\rb draft=0 interval=10\n"
	    "stat: rxp=1\x01 txp=2 rxb=3\n";
	struct tunnel_list	*r;
	struct tl_tunnel	*t;

	(void)state;
	r = tunnel_list_parse(key, strlen("name=g ver=1\nstat: rxp=5 tx"));
	assert_non_null(r);
	t = r->tunnels[0];
	num_eq("near end", "g", "rxp", t->rxp, 5);
	num_eq("near end", "g", "txp (input ends inside the key)", t->txp, U);
	num_eq("near end", "g", "rxb (after the end)", t->rxb, U);
	tunnel_list_free(r);

	r = tunnel_list_parse(word, sizeof(word) - 1);
	assert_non_null(r);
	t = r->tunnels[0];
	str_eq("near end", "h", "lgwy", t->conf->lgwy, "static");
	str_eq("near end", "h", "encap (last 4 bytes)", t->conf->encap, "none");
	num_eq("near end", "h", "bound_if", tnum_p(t->conf->bound_if), 5);
	tunnel_list_free(r);

	r = tunnel_list_parse(ctl, sizeof(ctl) - 1);
	assert_non_null(r);
	t = r->tunnels[0];
	str_eq("controls", "i", "dpd_mode (a VT inside)", t->conf->dpd_mode,
	    "on\vdemand");
	num_eq("controls", "i", "dpd_on", tnum_p(t->conf->dpd_on), 1);
	num_eq("controls", "i", "dpd_idle_ms", tnum_p(t->conf->dpd_idle_ms),
	    20000);
	str_eq("controls", "i", "natt_mode (a CR inside)",
	    t->conf->natt_mode, "a\rb");
	num_eq("controls", "i", "natt_interval",
	    tnum_p(t->conf->natt_interval), 10);
	num_eq("controls", "i", "rxp (a control after the digit)", t->rxp, U);
	num_eq("controls", "i", "txp", t->txp, 2);
	num_eq("controls", "i", "rxb", t->rxb, 3);
	tunnel_list_free(r);
}

/* A block with almost nothing printed: every field unknown, not zero. */
static void
test_missing_fields(void **state)
{
	static const char in[] =
	    "name=bare\n"
	    "proxyid=p\n"
	    "  SA:  expire=x/0B mtu=-1 replaywin=99999999999\n"
	    "  dec: spi=123456789 esp=aes\n";
	struct tunnel_list	*r;
	struct tl_tunnel	*t;
	struct tl_sa		*sa;
	char			*json;

	(void)state;
	r = tunnel_list_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 1);
	t = r->tunnels[0];
	str_eq("bare", "bare", "name", t->name, "bare");
	num_eq("bare", "bare", "version", tnum_p(t->conf->version), U);
	num_eq("bare", "bare", "rxp", t->rxp, U);
	num_eq("bare", "bare", "local_port", tnum_p(t->local_port), U);
	str_eq("bare", "bare", "local_addr", t->local_addr, NULL);
	num_eq("bare", "bare", "sa", tnum_p(t->proxyids->sa), U);
	sa = t->proxyids->sas;
	num_eq("bare", "bare", "expire_s", tnum_p(sa->expire_s), U);
	num_eq("bare", "bare", "mtu", tnum_p(sa->conf->mtu), U);
	num_eq("bare", "bare", "replaywin (too big)",
	    tnum_p(sa->conf->replaywin), U);
	num_eq("bare", "bare", "spi of 9 digits", sa->dec_spi, U);
	str_eq("bare", "bare", "dec_esp", sa->conf->dec_esp, "aes");
	num_eq("bare", "bare", "dec_pkts", sa->dec_pkts, U);
	tunnel_list_free(r);

	json = tu_report(&kind_tunnel_list, in, sizeof(in) - 1);
	tu_has(json, "\"version\":null,", "version");
	tu_has(json, "\"rxp\":null,", "rxp");
	tu_has(json, "\"dec_spi\":null,", "dec_spi");
	tu_has(json, "\"vd\":null,", "vd");
	free(json);
}

/* Hostile input: never crash, never invent a tunnel from noise. */
static void
test_garbage(void **state)
{
	static const char in[] =
	    "\x1b[2Jname=\x1b]0;evil\x07 ver=1\n"
	    "dec: spi=1 esp=aes\n"		/* no SA yet */
	    "src: 0:1.2.3.4/32:0\n"		/* no proxyid yet */
	    "proxyid=\n"
	    "SA:\n"
	    "dec:pkts/bytes=1/, enc:pkts/bytes=/2\n"
	    "ah=\n"
	    "options[=x\n"
	    "name=x ver=1 options[zz]= a b c = = ->\n"
	    "name= ver=\n"
	    "natt:\n"
	    "dpd:\n"
	    "gateway\n"
	    "  name: '\n"
	    "  name: 'a'b'\n"
	    "  selectors\n"
	    "  SA\n"
	    "  inbound\n"
	    "  spi:\n"
	    "  enc:\n"
	    "  lifetime/rekey: 1/\n"
	    "  interface: (\n"
	    "  rx  packets:\n"
	    "--More--";
	struct tunnel_list	*r;
	char			*json, *big;
	size_t			 n = 1 << 20, i;

	(void)state;
	r = tunnel_list_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	/*
	 * Tunnels come from the name lines alone (the header form twice,
	 * the get form twice); the noise between them opens none and
	 * gives the first no proxyid.
	 */
	assert_int_equal(r->ntunnels, 4);
	check_str_field("garbage", "name", r->tunnels[0]->name, "x");
	assert_int_equal(tnum_p(r->tunnels[0]->conf->version), 1);
	assert_int_equal(r->tunnels[0]->nproxyids, 0);
	check_str_field("garbage", "name", r->tunnels[1]->name, "");
	check_str_field("garbage", "name", r->tunnels[2]->name, "'");
	check_str_field("garbage", "name", r->tunnels[3]->name, "a'b");
	tunnel_list_free(r);
	/* The escape-laden first line is not a name line: no tunnel. */
	json = tu_report(&kind_tunnel_list, in, sizeof(in) - 1);
	tu_lacks(json, "\x1b", "escape passed through");
	free(json);

	/* NULs inside, a very long line, and input with no newline. */
	big = malloc(n);
	assert_non_null(big);
	memcpy(big, "name=long ver=1 ", 16);
	for (i = 16; i < n; i++)
		big[i] = i % 97 == 0 ? '\0' : (i % 5 == 0 ? ' ' : 'k');
	r = tunnel_list_parse(big, n);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 1);
	tunnel_list_free(r);
	r = tunnel_list_parse(big, 0);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 0);
	tunnel_list_free(r);
	free(big);
	r = tunnel_list_parse(NULL, 0);
	assert_non_null(r);
	assert_int_equal(r->ntunnels, 0);
	tunnel_list_free(r);
}

/*
 * fgtop parse streams the listing (kind.stream): tu_report checks the
 * streamed document against the whole one.  Enough tunnels that the
 * stream drops what it keeps several times (every 256 tunnels), with
 * settings that repeat across the drops, and the VDOM line where the
 * streamed document cannot have seen it yet: after the tunnels, twice,
 * behind a pager prompt, and " in vd " on a line that is no list line.
 */
static void
test_streamed(void **state)
{
	static const char *const vd[] = {
		"", "list all ipsec tunnel in vd 3\n",
		"--More--\r        \rlist all ipsec tunnel in vd 7\n",
		"name=x in vd 9 ver=1 serial=1 1.1.1.1:0->2.2.2.2:0\n",
	};
	char		*buf, *json, want[64];
	size_t		 len, i, k;
	int		 n;

	(void)state;
	buf = malloc(700 * 400 + 256);
	assert_non_null(buf);
	for (k = 0; k < sizeof(vd) / sizeof(vd[0]); k++) {
		len = (size_t)sprintf(buf, "list all ipsec tunnel in vd 1\n");
		for (i = 0; i < 700; i++) {
			n = sprintf(buf + len, "------\nname=T%zu ver=%zu "
			    "serial=%zx 10.0.%zu.1:0->10.1.%zu.1:0 dst_mtu=1500\n"
			    "bound_if=%zu lgwy=static/1 tun=intf mode=%s/1 "
			    "encap=none/0\nstat: rxp=%zu txp=1 rxb=2 txb=3\n"
			    "proxyid=P%zu proto=0 sa=1 ref=2 serial=1 %s\n"
			    "  SA:  ref=3 options=18227 type=00 soft=0 "
			    "mtu=%d expire=100/0B replaywin=2048\n",
			    i, 1 + i % 2, i, i % 250, i % 250, i % 3,
			    i % 5 ? "auto" : "dialup", i, i,
			    i % 4 ? "auto-negotiate" : "", i % 7 ? 1438 : 1422);
			len += (size_t)n;
		}
		len += (size_t)sprintf(buf + len, "%s", vd[k]);
		json = tu_report(&kind_tunnel_list, buf, len);
		snprintf(want, sizeof(want), "{\"vd\":%d,", k == 0 ? 1 :
		    k == 1 ? 3 : k == 2 ? 7 : 1);
		tu_has(json, want, "vd");
		tu_has(json, "\"name\":\"T699\",", "last tunnel");
		tu_has(json, "\"name\":\"T256\",\"version\":1,", "after a drop");
		free(json);
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extras_spoke),
		cmocka_unit_test(test_rekey_two_sas),
		cmocka_unit_test(test_get_form),
		cmocka_unit_test(test_synthetic_layouts),
		cmocka_unit_test(test_crlf_and_pager),
		cmocka_unit_test(test_shared_conf),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_near_end),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_streamed),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
