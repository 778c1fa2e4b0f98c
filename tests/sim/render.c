/* SPDX-License-Identifier: ISC */
/*
 * render.c - what each read-only command prints, in the device's FortiOS
 * flavour.
 *
 * Three flavours (device.h): FL_LEGACY (before 6.4) reproduces the layout
 * of the classic KB walk-through capture byte for byte; FL_64 (6.4, 7.0)
 * and FL_7 (7.2 and later) follow the real captures in
 * tests/fixtures/real.  Every value comes from the model at the time
 * given (device.c), so two commands at the same time agree: the summary's
 * counters are the tunnel list's, the routing table holds a tunnel's
 * routes only while it is up, the sniffer sees the packets the tunnel's
 * state implies.  The sniffer and traceroute keep their own small state
 * and stream through sim_cli_stream.  Output goes to the caller's sbuf.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"

#define SEP	"------------------------------------------------------\n"

const char *
render_ip4(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255,
	    a >> 8 & 255, a & 255);
	return (buf);
}

static int
rd_masklen(uint32_t m)
{
	int	 n = 0;

	while (m & 0x80000000U) {
		n++;
		m <<= 1;
	}
	return (n);
}

/* "YYYY-MM-DD HH:MM:SS" (+ ".uuuuuu" when micro) at simulated time t. */
void
render_time(char *buf, size_t len, double t, int micro)
{
	time_t		 s;
	struct tm	 tm;
	long long	 us = llround(t * 1e6);
	char		 tmp[32];

	/* Whole microseconds first, so 0.21 s never prints as .209999. */
	s = (time_t)(SIM_EPOCH + (us >= 0 ? us / 1000000 :
	    -((-us + 999999) / 1000000)));
	us -= ((long long)s - SIM_EPOCH) * 1000000;
	gmtime_r(&s, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%d %H:%M:%S", &tm);
	if (micro)
		snprintf(buf, len, "%s.%06lld", tmp, us);
	else
		snprintf(buf, len, "%s", tmp);
}

static struct sim_vdom *
rd_ctx_vdom(const struct render_ctx *rc)
{
	return (rc->vdom != NULL ? rc->vdom : rc->dev->vdoms[0]);
}

static const struct sim_p2 *
rd_tun_p2(const struct sim_tunnel *t, size_t *n)
{
	const struct sim_tunnel	*s = t->parent != NULL ? t->parent : t;

	*n = s->np2;
	return (s->p2);
}

static void
rd_hexkey(char *buf, uint32_t seed, int bytes)
{
	int	 i;

	for (i = 0; i < bytes; i++)
		snprintf(buf + 2 * i, 3, "%02x",
		    scenario_hash(seed, (uint32_t)i) & 255);
}

/* ---- get system status ------------------------------------------------- */

struct build {
	int		 maj, min, patch;
	long		 build;
	const char	*date;
};

static const struct build builds[] = {
	{ 6, 0, 2, 163, "180725" },
	{ 6, 2, 6, 1175, "201110" },
	{ 6, 2, 10, 1263, "211213" },
	{ 6, 4, 9, 1966, "220421" },
	{ 7, 0, 12, 523, "230612" },
	{ 7, 0, 13, 566, "231024" },
	{ 7, 2, 8, 1639, "240313" },
	{ 7, 4, 1, 2463, "230830" },
	{ 7, 4, 3, 2573, "240201" },
	{ 7, 4, 8, 2795, "250523" },
	{ 0, 0, 0, 0, NULL }
};

/* The real build of the device's version, when it is a known one. */
static const struct build *
rd_known_build(const struct sim_device *d)
{
	const struct build	*b;

	for (b = builds; b->date != NULL; b++)
		if (b->maj == d->vmaj && b->min == d->vmin &&
		    b->patch == d->vpatch)
			return (b);
	return (NULL);
}

static void
rd_version_line(struct sbuf *out, const struct sim_device *d)
{
	const struct build	*b = rd_known_build(d);
	long			 build = d->build;
	const char		*date = d->builddate;

	if (build < 0)
		build = b != NULL ? b->build :
		    (long)(d->vmaj - 5) * 900 + d->vmin * 100 + d->vpatch * 7;
	if (date == NULL)
		date = b != NULL ? b->date : "240101";
	sbuf_printf(out, "Version: %s v%d.%d.%d,build%04ld,%s (%s)\n",
	    d->model, d->vmaj, d->vmin, d->vpatch, build, date,
	    d->vmaj >= 7 ? "GA.M" : "GA");
}

static void
rd_huge_padding(struct sbuf *out, size_t n)
{
	char	 line[64];
	size_t	 i = 0;
	int	 len;

	/* Lines a status parser has to skip, exactly n bytes in all. */
	while (n > 0) {
		len = snprintf(line, sizeof(line),
		    "Private-DB-%06zu: 1.%05zu(2025-11-26 16:20)\n",
		    i % 1000000, i % 100000);
		i++;
		if ((size_t)len > n) {
			memset(line, 'x', n);
			line[n - 1] = '\n';
			len = (int)n;
		}
		sbuf_add(out, line, (size_t)len);
		n -= (size_t)len;
	}
}

void
render_status(struct sbuf *out, const struct render_ctx *rc)
{
	const struct sim_device	*d = rc->dev;
	const struct build	*b = rd_known_build(d);
	time_t			 s = (time_t)(SIM_EPOCH + (long)rc->now);
	struct tm		 tm;
	char			 tbuf[64];
	long			 bp;

	rd_version_line(out, d);
	if (d->flavour == FL_7) {
		sbuf_addstr(out, "First GA patch build date: 230509\n"
		    "Current Security Level: Low\n"
		    "Firmware Signature: certified\n");
	}
	sbuf_addstr(out, "Virus-DB: 93.06337(2025-11-26 16:20)\n"
	    "Extended DB: 93.06337(2025-11-26 16:20)\n");
	if (d->flavour != FL_7)
		sbuf_addstr(out, "Extreme DB: 1.00000(2018-04-09 18:07)\n");
	sbuf_addstr(out, "IPS-DB: 34.00122(2025-11-20 01:21)\n"
	    "IPS-ETDB: 0.00000(2001-01-01 00:00)\n"
	    "APP-DB: 34.00124(2025-11-25 00:56)\n");
	if (d->info.faults.huge_bytes > 0)
		rd_huge_padding(out, d->info.faults.huge_bytes);
	sbuf_printf(out, "Serial-Number: %s\n", d->serial);
	sbuf_addstr(out, "BIOS version: 05000009\n"
	    "System Part-Number: P24286-07\n"
	    "Log hard disk: Not available\n");
	sbuf_printf(out, "Hostname: %s\n", d->hostname);
	if (d->flavour != FL_LEGACY)
		sbuf_addstr(out, "Private Encryption: Disable\n");
	sbuf_addstr(out, "Operation Mode: NAT\n");
	sbuf_printf(out, "Current virtual domain: %s\n",
	    rc->vdom != NULL ? rc->vdom->name : "root");
	sbuf_addstr(out, "Max number of virtual domains: 10\n");
	sbuf_printf(out, "Virtual domains status: %zu in NAT mode, 0 in TP "
	    "mode\n", d->nvdoms);
	sbuf_printf(out, "Virtual domain configuration: %s\n",
	    d->multi_vdom ? "multiple" : "disable");
	sbuf_addstr(out, "FIPS-CC mode: disable\n"
	    "Current HA mode: standalone\n");
	bp = d->build >= 0 ? d->build : b != NULL ? b->build : 0;
	sbuf_printf(out, "Branch point: %04ld\n"
	    "Release Version Information: GA\n", bp);
	gmtime_r(&s, &tm);
	strftime(tbuf, sizeof(tbuf), "%a %b %e %H:%M:%S %Y", &tm);
	sbuf_printf(out, "System time: %s\n", tbuf);
	if (d->flavour == FL_7)
		sbuf_addstr(out, "Last reboot reason: power cycle\n");
}

/* ---- get vpn ipsec tunnel summary -------------------------------------- */

static int
rd_remote_port(const struct sim_tunnel *t)
{
	return (t->natt && device_p1_up(t) ? 4500 : 0);
}

void
render_summary(struct sbuf *out, const struct render_ctx *rc)
{
	const struct sim_vdom	*v = rd_ctx_vdom(rc);
	const struct sim_tunnel	*t;
	size_t			 i, np2;
	int			 up;
	char			 a[16];

	for (i = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (t->is_template)
			continue;
		rd_tun_p2(t, &np2);
		up = device_sa_count(t, rc->now) > 0 ? (int)np2 : 0;
		if (t->summary_indent || rc->dev->flavour == FL_LEGACY)
			sbuf_addstr(out, " ");
		sbuf_printf(out, "'%s' ", t->name);
		if (rc->dev->vmaj >= 6)
			sbuf_printf(out, "%s:%d ", render_ip4(t->remote, a),
			    rd_remote_port(t));
		sbuf_printf(out, " selectors(total,up): %zu/%d  rx(pkt,err): "
		    "%llu/%llu  tx(pkt,err): %llu/%llu\n", np2, up,
		    device_rxp(t, rc->now), t->rxerr0,
		    device_txp(t, rc->now), t->txerr0);
	}
}

/* ---- diagnose vpn ike gateway list ------------------------------------- */

static long
rd_secs(double d)
{
	return (d < 0 ? 0 : (long)floor(d));
}

static void
rd_dpd_counts(const struct sim_tunnel *t, double now, long *sent, long *recv)
{
	long	 base = (long)(t->seed % 16);

	*sent = *recv = base;
	if (!device_p1_up(t) || t->dpd_mode == 2 || t->is_template)
		return;
	if (t->fault == F_DPD) {
		*sent += rd_secs(now - t->t_p1 - 20) / 5 + (now - t->t_p1 > 20);
		return;
	}
	*sent += rd_secs(now - t->t_p1) / 20;
	*recv = *sent;
}

static void
rd_gateway_one(struct sbuf *out, const struct render_ctx *rc,
    const struct sim_tunnel *t)
{
	const struct sim_device	*d = rc->dev;
	double			 now = rc->now;
	int			 p1 = device_p1_up(t), port;
	long			 g = device_sa_gen(t, now), sent, recv;
	long			 age = rd_secs(now - t->t_p1);
	uint64_t		 ic, rcookie;
	char			 a[16], b[16], k1[20], k2[20];

	port = t->natt && p1 ? 4500 : 500;
	sbuf_printf(out, "\nvd: %s/%d\n", t->vdom->name, t->vdom->index);
	sbuf_printf(out, "name: %s\nversion: %d\ninterface: %s %d\n",
	    t->name, t->ike, t->iface, t->ifindex);
	sbuf_printf(out, "addr: %s:%d -> %s:%d\n", render_ip4(t->local, a), port,
	    render_ip4(t->remote, b), port);
	if (d->flavour == FL_7) {
		sbuf_printf(out, "tun_id: %s/::%s\n", b, b);
		sbuf_addstr(out, "remote_location: 0.0.0.0\nnetwork-id: 0\n");
	}
	sbuf_printf(out, "created: %lds ago\n", rd_secs(now - t->t_p1));
	if (t->natt && p1)
		sbuf_addstr(out, "nat: me\n");
	if (t->type == TT_ADVPN && t->parent != NULL)
		sbuf_addstr(out, "auto-discovery: 1 sender\n");
	if (p1) {
		sbuf_printf(out, "IKE SA: created 1/%ld  established 1/%ld  "
		    "time 10/10/10 ms\n", t->nest, t->nest);
	} else
		sbuf_printf(out, "IKE SA: created 1/%ld\n", t->nest);
	if (g >= 0)
		sbuf_printf(out, "IPsec SA: created %ld/%ld  established "
		    "%ld/%ld  time 0/0/0 ms\n", g + 1, g + 1, g + 1, g + 1);
	else
		sbuf_addstr(out, "IPsec SA: created 0/0\n");
	ic = t->nest == 1 ? t->cookie0 : (uint64_t)scenario_hash(t->seed,
	    (uint32_t)t->nest) << 32 | scenario_hash(t->seed, 99);
	rcookie = p1 ? (uint64_t)scenario_hash(t->seed ^ 0xabcdef,
	    (uint32_t)t->nest) << 32 | scenario_hash(t->seed, 98) : 0;
	sbuf_printf(out, "\n  id/spi: %lu %016llx/%016llx\n",
	    t->ike_id0 + (unsigned long)t->nest - 1, (unsigned long long)ic,
	    (unsigned long long)rcookie);
	sbuf_printf(out, "  direction: %s\n",
	    t->responder ? "responder" : "initiator");
	if (!p1) {
		sbuf_printf(out, "  status: connecting, state 3, started "
		    "%lds ago\n", age);
		return;
	}
	sbuf_printf(out, "  status: established %ld-%lds ago = 10ms\n", age,
	    age);
	sbuf_printf(out, "  proposal: %s\n", t->proposal);
	rd_hexkey(k1, t->seed ^ (uint32_t)t->nest, 8);
	rd_hexkey(k2, t->seed ^ (uint32_t)t->nest ^ 0x55, 8);
	if (t->ike == 1)
		sbuf_printf(out, "  key: %s-%s\n", k1, k2);
	sbuf_printf(out, "  lifetime/rekey: %ld/%ld\n", t->p1life,
	    t->p1life - 440 - age > 0 ? t->p1life - 440 - age : 0);
	rd_dpd_counts(t, now, &sent, &recv);
	sbuf_printf(out, "  DPD sent/recv: %08lx/%08lx\n", sent, recv);
	if (d->flavour == FL_7 && t->ike == 2)
		sbuf_printf(out, "  peer-id: %s\n", b);
}

static int
rd_name_match(const struct sim_tunnel *t, const char *name)
{
	return (name == NULL || strcmp(t->name, name) == 0);
}

void
render_gateway(struct sbuf *out, const struct render_ctx *rc,
    const char *name)
{
	const struct sim_vdom	*v = rd_ctx_vdom(rc);
	size_t			 i;

	for (i = 0; i < v->ntunnels; i++)
		if (!v->tunnels[i]->is_template &&
		    rd_name_match(v->tunnels[i], name))
			rd_gateway_one(out, rc, v->tunnels[i]);
}

/* ---- diagnose vpn tunnel list ------------------------------------------ */

static void
rd_selector(struct sbuf *out, const char *tag, uint32_t a, uint32_t m, int fl)
{
	char	 x[16], y[16];

	if (fl == FL_7)
		sbuf_printf(out, "  %s: 0:%s-%s:0\n", tag, render_ip4(a, x),
		    render_ip4(a | ~m, y));
	else
		sbuf_printf(out, "%s%s: 0:%s/%s:0\n", fl == FL_LEGACY ? "" :
		    "  ", tag, render_ip4(a, x), render_ip4(m, y));
}

static void
rd_cipher(const char *prop, const char **esp, int *ekey, const char **ah,
    int *akey)
{
	*esp = strncmp(prop, "3des", 4) == 0 ? "3des" :
	    strncmp(prop, "des", 3) == 0 ? "des" : "aes";
	*ekey = strncmp(prop, "aes256", 6) == 0 ? 32 :
	    strncmp(prop, "3des", 4) == 0 ? 24 : 16;
	if (strstr(prop, "sha512") != NULL) {
		*ah = "sha512";
		*akey = 64;
	} else if (strstr(prop, "sha256") != NULL) {
		*ah = "sha256";
		*akey = 32;
	} else if (strstr(prop, "md5") != NULL) {
		*ah = "md5";
		*akey = 16;
	} else {
		*ah = "sha1";
		*akey = 20;
	}
}

static void
rd_sa_block(struct sbuf *out, const struct render_ctx *rc,
    const struct sim_tunnel *t, int idx)
{
	double		 now = rc->now, st = device_sa_start(t, now);
	long		 g = device_sa_gen(t, now), ph = rd_secs(now - st);
	unsigned long long dp = device_rxp(t, now) - device_rxp(t, st);
	unsigned long long ep = device_txp(t, now) - device_txp(t, st);
	const char	*esp, *ah;
	int		 ek, ak;
	char		 k1[130], k2[130], a[16], b[16];

	rd_cipher(t->proposal, &esp, &ek, &ah, &ak);
	sbuf_printf(out, "  SA:  ref=3 options=18227 type=00 soft=0 mtu=1438 "
	    "expire=%ld/0B replaywin=2048\n", t->soft - ph > 0 ?
	    t->soft - ph : 0);
	sbuf_printf(out, "       seqno=%llx esn=0 replaywin_lastseq=%08llx "
	    "qat=0 rekey=0 hash_search_len=1\n", ep + 1, dp);
	sbuf_printf(out, "  life: type=01 bytes=0/0 timeout=%ld/%ld\n",
	    t->keylife - ph, t->keylife);
	rd_hexkey(k1, device_spi(t, g, 3 + 8 * idx), ek);
	rd_hexkey(k2, device_spi(t, g, 4 + 8 * idx), ak);
	sbuf_printf(out, "  dec: spi=%08x esp=%s key=%d %s\n",
	    device_spi(t, g, 1 + 8 * idx), esp, ek, k1);
	sbuf_printf(out, "       ah=%s key=%d %s\n", ah, ak, k2);
	rd_hexkey(k1, device_spi(t, g, 5 + 8 * idx), ek);
	rd_hexkey(k2, device_spi(t, g, 6 + 8 * idx), ak);
	sbuf_printf(out, "  enc: spi=%08x esp=%s key=%d %s\n",
	    device_spi(t, g, 2 + 8 * idx), esp, ek, k1);
	sbuf_printf(out, "       ah=%s key=%d %s\n", ah, ak, k2);
	sbuf_printf(out, "  dec:pkts/bytes=%llu/%llu, enc:pkts/bytes=%llu/"
	    "%llu\n", dp, dp * 98, ep, ep * 102);
	if (rc->dev->flavour != FL_LEGACY)
		sbuf_printf(out, "  npu_flag=00 npu_rgwy=%s npu_lgwy=%s "
		    "npu_selid=0 dec_npuid=0 enc_npuid=0\n",
		    render_ip4(t->remote, a), render_ip4(t->local, b));
}

static long
rd_idle_secs(const struct sim_tunnel *t, double now, int rx)
{
	if (device_flows(t, rx) && t->pps >= 1)
		return (0);
	if (t->t_state > -t->age0)
		return (rd_secs(now - t->t_state));
	return ((t->ilast0 >= 0 ? t->ilast0 : (long)t->age0 + 10) +
	    rd_secs(now));
}

static void
rd_tunnel_head(struct sbuf *out, const struct render_ctx *rc,
    const struct sim_tunnel *t)
{
	int	 fl = rc->dev->flavour;
	char	 a[16], b[16];
	const char *mode;

	mode = t->is_template ? "dialup/2" : t->parent != NULL ?
	    "dial_inst/3" : "auto/1";
	sbuf_printf(out, "name=%s ver=%d serial=%d %s:0->%s:0", t->name,
	    t->ike, t->serial, render_ip4(t->local, a), render_ip4(t->remote, b));
	if (fl == FL_7)
		sbuf_printf(out, " tun_id=%s tun_id6=::%s dst_mtu=%d "
		    "dpd-link=on weight=1", b, b, t->is_template ? 0 : 1500);
	else if (fl == FL_64)
		sbuf_printf(out, " dst_mtu=%d", t->is_template ? 0 : 1500);
	sbuf_addstr(out, "\n");
	if (fl == FL_LEGACY)
		sbuf_printf(out, "bound_if=%d lgwy=static/1 tun=intf/0 mode=%s "
		    "encap=none/8 options[0008]=npu\n", t->ifindex, mode);
	else if (fl == FL_64)
		sbuf_printf(out, "bound_if=%d lgwy=static/1 tun=intf/0 mode=%s "
		    "encap=none/528 options[0210]=create_dev frag-rfc  "
		    "accept_traffic=1\n\n", t->ifindex, mode);
	else
		sbuf_printf(out, "bound_if=%d lgwy=static/1 tun=intf mode=%s "
		    "encap=none/552 options[0228]=npu frag-rfc  %srole=primary "
		    "accept_traffic=1 overlay_id=0\n\n", t->ifindex, mode,
		    t->is_template ? "" : "run_state=0 ");
	if (t->parent != NULL && fl != FL_LEGACY)
		sbuf_printf(out, "parent=%s index=%d\n", t->parent->name,
		    t->index);
}

static void
rd_tunnel_one(struct sbuf *out, const struct render_ctx *rc,
    const struct sim_tunnel *t)
{
	int		 fl = rc->dev->flavour, sa, p1 = device_p1_up(t);
	double		 now = rc->now;
	size_t		 np2, i;
	const struct sim_p2 *p2 = rd_tun_p2(t, &np2);
	long		 sent, recv, count = 0;
	unsigned long long rxp, txp;
	const char	*ad;

	if (fl != FL_LEGACY)
		sbuf_addstr(out, SEP);
	rd_tunnel_head(out, rc, t);
	ad = t->type == TT_ADVPN && !t->is_template ? "s/1" : "/0";
	sbuf_printf(out, "proxyid_num=%zu child_num=%d refcnt=%zu ilast=%ld "
	    "olast=%ld ad=%s\n", t->is_template ? 0 : np2, t->nchildren,
	    (fl == FL_LEGACY ? 9 : 3) + np2, rd_idle_secs(t, now, 1),
	    rd_idle_secs(t, now, 0), ad);
	if (t->is_template) {
		/* A dial-up template counts what its instances carry. */
		p1 = 0;
		rxp = txp = 0;
		for (i = 0; i < t->vdom->ntunnels; i++)
			if (t->vdom->tunnels[i]->parent == t) {
				rxp += device_rxp(t->vdom->tunnels[i], now);
				txp += device_txp(t->vdom->tunnels[i], now);
			}
	} else {
		rxp = device_rxp(t, now);
		txp = device_txp(t, now);
	}
	sbuf_printf(out, "stat: rxp=%llu txp=%llu rxb=%llu txb=%llu\n", rxp,
	    txp, rxp * 98, txp * 102);
	rd_dpd_counts(t, now, &sent, &recv);
	if (t->fault == F_DPD && p1)
		count = (sent - recv) % 4;
	sbuf_printf(out, "dpd: mode=%s on=%d idle=%dms retry=3 count=%ld "
	    "seqno=%ld\n", t->dpd_mode == 0 ? "on-demand" : t->dpd_mode == 1 ?
	    "on-idle" : "off", p1 && t->dpd_mode != 2, t->dpd_idle_ms, count,
	    t->dpd_seqno0 + sent - (long)(t->seed % 16));
	if (t->natt && p1 && !t->is_template)
		sbuf_addstr(out, "natt: mode=keepalive draft=32 interval=10 "
		    "remote_port=4500\n");
	else
		sbuf_addstr(out, "natt: mode=none draft=0 interval=0 "
		    "remote_port=0\n");
	if (t->is_template)
		return;
	sa = device_sa_count(t, now);
	for (i = 0; i < np2; i++) {
		sbuf_printf(out, "proxyid=%s proto=0 sa=%d ref=%d serial=%d%s\n",
		    p2[i].name, sa, sa == 0 ? 1 : 2 + sa, p2[i].serial,
		    t->type == TT_ADVPN ? " ads" : "");
		rd_selector(out, "src", p2[i].src, p2[i].srcmask, fl);
		rd_selector(out, "dst", p2[i].dst, p2[i].dstmask, fl);
		if (sa > 0)
			rd_sa_block(out, rc, t, (int)i);
	}
}

void
render_tunnel_list(struct sbuf *out, const struct render_ctx *rc,
    const char *name)
{
	const struct sim_vdom	*v = rd_ctx_vdom(rc);
	size_t			 i;

	if (name != NULL && rc->dev->flavour != FL_LEGACY)
		sbuf_printf(out, "list ipsec tunnel by names in vd %d\n",
		    v->index);
	else
		sbuf_printf(out, "list all ipsec tunnel in vd %d\n", v->index);
	for (i = 0; i < v->ntunnels; i++)
		if (rd_name_match(v->tunnels[i], name))
			rd_tunnel_one(out, rc, v->tunnels[i]);
	if (rc->dev->flavour == FL_7)
		sbuf_addstr(out, "run_tally=0\n");
}

/* ---- get router info routing-table ------------------------------------- */

struct route {
	uint32_t		 net, mask;
	char			 type[4];
	int			 dist;
	uint32_t		 gw[4];
	const char		*ifname[4];
	int			 nhops;
	const struct sim_tunnel	*tun;
	char			 lanif[24];
};

struct rtable {
	struct route	*r;
	size_t		 n, cap;
};

static struct route *
rt_add(struct rtable *rt, uint32_t net, uint32_t mask, const char *type)
{
	struct route	*r;
	size_t		 i;

	for (i = 0; i < rt->n; i++)
		if (rt->r[i].net == net && rt->r[i].mask == mask &&
		    strcmp(rt->r[i].type, type) == 0)
			return (&rt->r[i]);
	if (rt->n == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 16;
		if ((rt->r = realloc(rt->r, rt->cap * sizeof(*rt->r))) == NULL)
			abort();
	}
	r = &rt->r[rt->n++];
	memset(r, 0, sizeof(*r));
	r->net = net;
	r->mask = mask;
	snprintf(r->type, sizeof(r->type), "%s", type);
	return (r);
}

static int
rt_cmp(const void *a, const void *b)
{
	const struct route	*x = a, *y = b;

	if (x->net != y->net)
		return (x->net < y->net ? -1 : 1);
	if (x->mask != y->mask)
		return (x->mask < y->mask ? -1 : 1);
	return (0);
}

static uint32_t
rd_wan_gw(uint32_t local)
{
	return ((local & 0xffffff00U) | ((local & 255) == 1 ? 254 : 1));
}

/* The VDOM's routes: WANs, LANs, and routes through tunnels that are up. */
static void
rt_build(struct rtable *rt, const struct render_ctx *rc)
{
	const struct sim_vdom	*v = rd_ctx_vdom(rc);
	const struct sim_tunnel	*t;
	struct route		*r;
	size_t			 i, j, np2;
	const struct sim_p2	*p2;
	int			 nlan = 0;

	memset(rt, 0, sizeof(*rt));
	for (i = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (t->parent != NULL ||
		    device_iface_down(rc->dev, t->iface))
			continue;
		r = rt_add(rt, t->local & 0xffffff00U, 0xffffff00U, "C");
		r->ifname[0] = t->iface;
		r = rt_add(rt, 0, 0, "S*");
		r->dist = 10;
		for (j = 0; j < (size_t)r->nhops; j++)
			if (strcmp(r->ifname[j], t->iface) == 0)
				break;
		if (j == (size_t)r->nhops && r->nhops < 4) {
			r->gw[r->nhops] = rd_wan_gw(t->local);
			r->ifname[r->nhops++] = t->iface;
		}
	}
	for (i = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (t->parent != NULL)
			continue;
		p2 = rd_tun_p2(t, &np2);
		for (j = 0; j < np2; j++) {
			if (p2[j].srcmask == 0)
				continue;
			r = rt_add(rt, p2[j].src, p2[j].srcmask, "C");
			if (r->ifname[0] == NULL && r->lanif[0] == '\0') {
				if (nlan++ == 0)
					snprintf(r->lanif, sizeof(r->lanif),
					    "internal");
				else
					snprintf(r->lanif, sizeof(r->lanif),
					    "internal%d", nlan & 0xffff);
			}
		}
	}
	for (i = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (t->is_template || t->state != ST_UP)
			continue;
		p2 = rd_tun_p2(t, &np2);
		for (j = 0; j < np2; j++) {
			if (p2[j].dstmask == 0)
				continue;
			r = rt_add(rt, p2[j].dst, p2[j].dstmask, "S");
			if (r->tun == NULL) {
				r->dist = 10;
				r->tun = t;
			}
		}
	}
	for (i = 0; i < rt->n; i++)
		if (rt->r[i].lanif[0] != '\0')
			rt->r[i].ifname[0] = rt->r[i].lanif;
	/* The default route must exist to be listed. */
	for (i = 0; i < rt->n; i++)
		if (strcmp(rt->r[i].type, "S*") == 0 && rt->r[i].nhops == 0)
			rt->r[i] = rt->r[--rt->n];
	if (rt->n > 1)
		qsort(rt->r, rt->n, sizeof(*rt->r), rt_cmp);
}

static void
rd_codes(struct sbuf *out, int fl)
{
	sbuf_addstr(out, "Codes: K - kernel, C - connected, S - static, "
	    "R - RIP, B - BGP\n"
	    "       O - OSPF, IA - OSPF inter area\n"
	    "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external "
	    "type 2\n"
	    "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
	    "       i - IS-IS, L1 - IS-IS level-1, L2 - IS-IS level-2, "
	    "ia - IS-IS inter area\n");
	if (fl == FL_7)
		sbuf_addstr(out, "       V - BGP VPNv4\n");
	sbuf_addstr(out, "       * - candidate default\n\n");
}

void
render_routes(struct sbuf *out, const struct render_ctx *rc)
{
	struct rtable	 rt;
	struct route	*r;
	size_t		 i;
	int		 j, w;
	char		 a[16], b[16], pfx[40];

	rt_build(&rt, rc);
	rd_codes(out, rc->dev->flavour);
	if (rc->dev->flavour != FL_LEGACY)
		sbuf_addstr(out, "Routing table for VRF=0\n");
	for (i = 0; i < rt.n; i++) {
		r = &rt.r[i];
		snprintf(pfx, sizeof(pfx), "%s/%d", render_ip4(r->net, a),
		    rd_masklen(r->mask));
		if (r->type[0] == 'C') {
			sbuf_printf(out, "%-8s%s is directly connected, %s\n",
			    r->type, pfx, r->ifname[0]);
			continue;
		}
		if (r->tun != NULL) {
			if (rc->dev->flavour == FL_LEGACY)
				sbuf_printf(out, "%-8s%s [%d/0] is directly "
				    "connected, %s\n", r->type, pfx, r->dist,
				    r->tun->name);
			else
				sbuf_printf(out, "%-8s%s [%d/0] via %s tunnel "
				    "%s, [1/0]\n", r->type, pfx, r->dist,
				    r->tun->name, render_ip4(r->tun->remote, b));
			continue;
		}
		sbuf_printf(out, "%-8s%s ", r->type, pfx);
		w = 8 + (int)strlen(pfx) + 1;
		for (j = 0; j < r->nhops; j++)
			sbuf_printf(out, "%*s[%d/0] via %s, %s, [1/0]\n",
			    j == 0 ? 0 : w, "", r->dist, render_ip4(r->gw[j], a),
			    r->ifname[j]);
	}
	free(rt.r);
}

static void
rd_detail_one(struct sbuf *out, const struct route *r)
{
	char	 a[16];
	int	 j;

	sbuf_printf(out, "Routing entry for %s/%d\n", render_ip4(r->net, a),
	    rd_masklen(r->mask));
	if (r->type[0] == 'C') {
		sbuf_printf(out, "  Known via \"connected\", distance 0, "
		    "metric 0, best\n  * is directly connected, %s\n\n",
		    r->ifname[0]);
		return;
	}
	sbuf_printf(out, "  Known via \"static\", distance %d, metric 0, "
	    "best\n", r->dist);
	if (r->tun != NULL)
		sbuf_printf(out, "  * via %s tunnel %s vrf 0\n\n", r->tun->name,
		    render_ip4(r->tun->remote, a));
	else {
		for (j = 0; j < r->nhops; j++)
			sbuf_printf(out, "  * vrf 0 %s, via %s\n",
			    render_ip4(r->gw[j], a), r->ifname[j]);
		sbuf_addstr(out, "\n");
	}
}

static const struct route *
rt_match(const struct rtable *rt, uint32_t dst)
{
	const struct route	*best = NULL;
	size_t			 i;

	for (i = 0; i < rt->n; i++)
		if ((dst & rt->r[i].mask) == rt->r[i].net &&
		    (best == NULL || rt->r[i].mask > best->mask))
			best = &rt->r[i];
	return (best);
}

void
render_route_details(struct sbuf *out, const struct render_ctx *rc,
    const char *arg)
{
	struct rtable		 rt;
	const struct route	*r;
	uint32_t		 a, m;
	size_t			 i;

	if (arg != NULL && scenario_prefix(arg, &a, &m) != 0) {
		sbuf_printf(out, "command parse error before '%s'\n"
		    "Command fail. Return code -61\n", arg);
		return;
	}
	rt_build(&rt, rc);
	sbuf_addstr(out, "Routing table for VRF=0\n");
	if (arg == NULL) {
		for (i = 0; i < rt.n; i++)
			rd_detail_one(out, &rt.r[i]);
	} else if ((r = rt_match(&rt, a)) == NULL)
		sbuf_addstr(out, "% Network not in table\n");
	else
		rd_detail_one(out, r);
	free(rt.r);
}

static int
rd_route_lookup(const struct render_ctx *rc, uint32_t dst, uint32_t *gw,
    const char **ifname, const struct sim_tunnel **tun)
{
	struct rtable		 rt;
	const struct route	*r;

	rt_build(&rt, rc);
	r = rt_match(&rt, dst);
	if (r != NULL) {
		*gw = r->type[0] == 'C' ? 0 : r->gw[0];
		*ifname = r->ifname[0];
		*tun = r->tun;
	}
	free(rt.r);
	return (r != NULL);
}

/* ---- content faults ---------------------------------------------------- */

/*
 * Garbage: terminal escapes, NULs and invalid UTF-8 at the start of some
 * lines and in the middle of one, as a misbehaving box or a hostile
 * hostname would produce.  Deterministic for a given command count.
 */
void
render_garbage(struct sbuf *out, size_t start, unsigned long seq)
{
	static const char *const junk[] = {
		"\x1b]52;c;Zmd0c2ltIHdhcyBoZXJl\a", "\x1b[2J", "\x1b[31m",
		"\xff\xfe\xc3", "\x1b]0;pwned\a", "\x1b[1;1H", ("\x9b" "6n"),
	};
	const size_t	 nj = sizeof(junk) / sizeof(junk[0]);
	struct sbuf	 tmp = { NULL, 0, 0 };
	size_t		 i, end, mid, line = 0;
	const char	*nl;
	uint32_t	 r = (uint32_t)seq * 2654435761U + 1;

	sbuf_add(&tmp, out->buf + start, out->len - start);
	out->len = start;
	mid = tmp.len / 2;
	for (i = 0; i < tmp.len; i = end) {
		/* One line (or up to the middle) at a time. */
		nl = memchr(tmp.buf + i, '\n', tmp.len - i);
		end = nl != NULL ? (size_t)(nl - tmp.buf) + 1 : tmp.len;
		if (i < mid && end > mid)
			end = mid;
		if ((i == 0 || tmp.buf[i - 1] == '\n') && line++ % 3 == 0) {
			sbuf_addstr(out, junk[scenario_rand(&r) % nj]);
			if (scenario_rand(&r) % 2)
				sbuf_add(out, "\0", 1);
		}
		if (i == mid)
			sbuf_addstr(out, junk[scenario_rand(&r) % nj]);
		sbuf_add(out, tmp.buf + i, end - i);
	}
	sbuf_free(&tmp);
}

/* ---- diagnose sniffer packet ------------------------------------------- */

/*
 * A tunnel's traffic as periodic packet streams, derived from its state:
 * ESP (or UDP 4500 with NAT-T) while up, DPD on 500/4500, IKE attempts
 * while down, one way only where the fault means nothing comes back.
 */
struct pflow {
	double		 period, offset;
	int		 in;		/* 1: from the peer */
	int		 esp;
	int		 port;
	int		 len;
};

#define MAXFLOWS	8

static int
rd_tunnel_flows(const struct sim_tunnel *t, struct pflow *f)
{
	int	 n = 0, ike = t->natt ? 4500 : 500;
	double	 rate = t->pps > 2 ? 2 : t->pps;

#define FLOW(p, o, i, e, pt, l) do {					\
	f[n].period = (p); f[n].offset = (o); f[n].in = (i);		\
	f[n].esp = (e); f[n].port = (pt); f[n].len = (l); n++;		\
} while (0)
	if (t->is_template)
		return (0);
	switch (t->state) {
	case ST_UP:
		if (t->fault == F_DPD) {
			FLOW(5, 1.5, 0, 0, ike, 108);
			if (rate > 0)
				FLOW(1 / rate, 0.13, 0, !t->natt, ike, 152);
			break;
		}
		if (rate > 0) {
			if (t->fault != F_SNAT)
				FLOW(1 / rate, 0.13, 0, !t->natt, ike, 152);
			FLOW(1 / rate, 0.17, 1, !t->natt, ike, 152);
		}
		FLOW(20, 7.25, 0, 0, ike, 108);
		FLOW(20, 7.27, 1, 0, ike, 108);
		if (t->natt)
			FLOW(10, 3.5, 0, 0, 4500, 1);
		break;
	case ST_P2DOWN:
		if (t->fault == F_NOPOLICY)
			break;
		FLOW(30, 2.1, 0, 0, ike, 236);
		FLOW(30, 2.15, 1, 0, ike, 92);
		break;
	default:
		switch (t->fault) {
		case F_NOROUTE:
			break;
		case F_PSK:
		case F_PROPOSAL:
			FLOW(10, 0.4, !t->responder, 0, 500,
			    t->ike == 2 ? 597 : 380);
			FLOW(10, 0.42, t->responder, 0, 500,
			    t->ike == 2 ? 36 : 380);
			break;
		case F_NATT:
			FLOW(30, 0.4, 0, 0, 500, 597);
			FLOW(30, 0.43, 1, 0, 500, 432);
			FLOW(10, 1.4, 0, 0, 4500, 272);
			break;
		default:
			FLOW(10, 0.4, 0, 0, 500, t->ike == 2 ? 597 : 380);
			break;
		}
	}
#undef FLOW
	return (n);
}

struct sfilter {
	uint32_t	 hosts[8];
	int		 nhosts;
	int		 ports[8];
	int		 nports;
	int		 udp, esp;
};

struct pkt {
	double			 t;
	const struct sim_tunnel	*tun;
	struct pflow		 f;
};

struct simsniff {
	struct sim_device	*dev;
	struct sim_vdom		*vdom;
	char			*ifname;
	char			*filter;
	struct sfilter		 sf;
	int			 verbose;
	long			 count, seen;
	int			 abs;
	double			 start, last;
};

static void
sfilter_parse(struct sfilter *sf, const char *s)
{
	char		 buf[512], *w, *save = NULL, *p;
	char		 prev[32] = "";
	uint32_t	 a;

	memset(sf, 0, sizeof(*sf));
	snprintf(buf, sizeof(buf), "%s", s);
	for (p = buf; *p != '\0'; p++)
		if (*p == '(' || *p == ')')
			*p = ' ';
	for (w = strtok_r(buf, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		if (strcmp(prev, "host") == 0 && scenario_ip4(w, &a) == 0 &&
		    sf->nhosts < 8)
			sf->hosts[sf->nhosts++] = a;
		else if (strcmp(prev, "port") == 0 && sf->nports < 8)
			sf->ports[sf->nports++] = atoi(w);
		else if (strcmp(w, "udp") == 0)
			sf->udp = 1;
		else if (strcmp(w, "esp") == 0)
			sf->esp = 1;
		snprintf(prev, sizeof(prev), "%s", w);
	}
}

static int
sfilter_match(const struct sfilter *sf, const struct sim_tunnel *t,
    const struct pflow *f)
{
	int	 i, ok;

	if (sf->nhosts > 0) {
		for (ok = 0, i = 0; i < sf->nhosts; i++)
			if (sf->hosts[i] == t->remote ||
			    sf->hosts[i] == t->local)
				ok = 1;
		if (!ok)
			return (0);
	}
	if (sf->nports == 0 && !sf->esp && !sf->udp)
		return (1);
	if (f->esp)
		return (sf->esp);
	for (i = 0; i < sf->nports; i++)
		if (sf->ports[i] == f->port)
			return (1);
	return (sf->udp && sf->nports == 0);
}

struct simsniff *
simsniff_new(struct sim_device *d, struct sim_vdom *v, const char *ifname,
    const char *filter, int verbose, long count, int abs, double now)
{
	struct simsniff	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		abort();
	s->dev = d;
	s->vdom = v;
	if ((s->ifname = strdup(ifname)) == NULL ||
	    (s->filter = strdup(filter)) == NULL)
		abort();
	sfilter_parse(&s->sf, strcmp(filter, "none") == 0 ? "" : filter);
	s->verbose = verbose;
	s->count = count;
	s->abs = abs;
	s->start = s->last = now;
	return (s);
}

void
simsniff_free(struct simsniff *s)
{
	if (s == NULL)
		return;
	free(s->ifname);
	free(s->filter);
	free(s);
}

void
simsniff_header(struct simsniff *s, struct sbuf *out)
{
	sbuf_printf(out, "interfaces=[%s]\nfilters=[%s]\n", s->ifname,
	    s->filter);
}

static int
pkt_cmp(const void *a, const void *b)
{
	const struct pkt	*x = a, *y = b;

	if (x->t != y->t)
		return (x->t < y->t ? -1 : 1);
	if (x->tun != y->tun)
		return (x->tun->seed < y->tun->seed ? -1 : 1);
	if (x->f.in != y->f.in)
		return (x->f.in - y->f.in);
	return (x->f.port - y->f.port);
}

static void
pkt_print(struct simsniff *s, struct sbuf *out, const struct pkt *p)
{
	const struct sim_tunnel	*t = p->tun;
	char			 ts[48], a[16], b[16], src[24], dst[24];

	if (s->abs)
		render_time(ts, sizeof(ts), p->t, 1);
	else
		snprintf(ts, sizeof(ts), "%.6f", p->t - s->start);
	render_ip4(p->f.in ? t->remote : t->local, a);
	render_ip4(p->f.in ? t->local : t->remote, b);
	if (p->f.esp) {
		snprintf(src, sizeof(src), "%s", a);
		snprintf(dst, sizeof(dst), "%s", b);
	} else {
		snprintf(src, sizeof(src), "%s.%d", a, p->f.port);
		snprintf(dst, sizeof(dst), "%s.%d", b, p->f.port);
	}
	sbuf_addstr(out, ts);
	if (s->verbose >= 4)
		sbuf_printf(out, " %s %s", t->iface, p->f.in ? "in" : "out");
	sbuf_printf(out, " %s -> %s: ", src, dst);
	if (p->f.esp)
		sbuf_printf(out, "ip-proto-50 %d\n", p->f.len);
	else
		sbuf_printf(out, "udp %d\n", p->f.len);
}

static void
rd_sniff_vdom(struct simsniff *s, const struct sim_vdom *v, double t0,
    double t1, struct pkt **pk, size_t *n, size_t *cap)
{
	const struct sim_tunnel	*t;
	struct pflow		 f[MAXFLOWS];
	size_t			 i;
	int			 nf, j;
	double			 base, tp;
	long			 k;

	for (i = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (strcmp(s->ifname, "any") != 0 &&
		    strcmp(s->ifname, t->iface) != 0)
			continue;
		nf = rd_tunnel_flows(t, f);
		for (j = 0; j < nf; j++) {
			if (!sfilter_match(&s->sf, t, &f[j]))
				continue;
			base = t->t_state + f[j].offset;
			k = (long)floor((t0 - base) / f[j].period) + 1;
			if (k < 0)
				k = 0;
			for (; (tp = base + (double)k * f[j].period) <= t1;
			    k++) {
				if (tp <= t0)
					continue;
				if (*n == *cap) {
					*cap = *cap ? *cap * 2 : 64;
					*pk = realloc(*pk, *cap * sizeof(**pk));
					if (*pk == NULL)
						abort();
				}
				(*pk)[*n].t = tp;
				(*pk)[*n].tun = t;
				(*pk)[(*n)++].f = f[j];
			}
		}
	}
}

int
simsniff_run(struct simsniff *s, struct sbuf *out, double now)
{
	struct pkt	*pk = NULL;
	size_t		 n = 0, cap = 0, i;
	double		 t0 = s->last;

	if (now <= s->last)
		return (SIM_STREAMING);
	if (now - t0 > 60)
		t0 = now - 60;
	if (s->vdom != NULL)
		rd_sniff_vdom(s, s->vdom, t0, now, &pk, &n, &cap);
	else
		for (i = 0; i < s->dev->nvdoms; i++)
			rd_sniff_vdom(s, s->dev->vdoms[i], t0, now, &pk, &n,
			    &cap);
	if (n > 1)
		qsort(pk, n, sizeof(*pk), pkt_cmp);
	s->last = now;
	for (i = 0; i < n; i++) {
		pkt_print(s, out, &pk[i]);
		if (++s->seen == s->count && s->count > 0)
			break;
	}
	free(pk);
	if (s->count > 0 && s->seen >= s->count) {
		simsniff_stop(s, out);
		return (SIM_DONE);
	}
	return (SIM_STREAMING);
}

void
simsniff_stop(struct simsniff *s, struct sbuf *out)
{
	sbuf_printf(out, "\n%ld packets received by filter\n"
	    "0 packets dropped by kernel\n", s->seen);
}

/* ---- execute traceroute ------------------------------------------------ */

struct simtrace {
	char	**lines;
	double	 *at;
	size_t	  n, next;
};

static void
tr_add(struct simtrace *tr, double at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
tr_add(struct simtrace *tr, double at, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tr->lines = realloc(tr->lines, (tr->n + 1) * sizeof(*tr->lines));
	tr->at = realloc(tr->at, (tr->n + 1) * sizeof(*tr->at));
	if (tr->lines == NULL || tr->at == NULL ||
	    (tr->lines[tr->n] = strdup(buf)) == NULL)
		abort();
	tr->at[tr->n++] = at;
}

static double
rd_rtt(uint32_t seed, int hop, int probe)
{
	return (0.1 + hop * 3.7 + (scenario_hash(seed, (uint32_t)(hop * 3 +
	    probe)) % 1000) / 1000.0);
}

static const struct sim_tunnel *
rd_peer_tunnel(const struct render_ctx *rc, uint32_t dst)
{
	size_t	 i, j;

	for (i = 0; i < rc->dev->nvdoms; i++)
		for (j = 0; j < rc->dev->vdoms[i]->ntunnels; j++)
			if (rc->dev->vdoms[i]->tunnels[j]->remote == dst)
				return (rc->dev->vdoms[i]->tunnels[j]);
	return (NULL);
}

/* Is src an address of an interface that is down? */
static int
rd_source_down(const struct render_ctx *rc, uint32_t src)
{
	size_t	 i, j;

	for (i = 0; i < rc->dev->nvdoms; i++)
		for (j = 0; j < rc->dev->vdoms[i]->ntunnels; j++) {
			const struct sim_tunnel *t =
			    rc->dev->vdoms[i]->tunnels[j];

			if (t->local == src &&
			    device_iface_down(rc->dev, t->iface))
				return (1);
		}
	return (0);
}

struct simtrace *
simtrace_new(const struct render_ctx *rc, uint32_t dst, uint32_t src,
    double now)
{
	struct simtrace		*tr;
	const struct sim_tunnel	*via = NULL, *peer;
	const char		*ifname;
	uint32_t		 gw, seed = dst ^ 0x7a3b;
	char			 a[16];
	double			 at = now;
	int			 hop, nhops, silent;

	if ((tr = calloc(1, sizeof(*tr))) == NULL)
		abort();
	tr_add(tr, now, "traceroute to %s (%s), 32 hops max, 3 probe packets "
	    "per hop, 84 byte packets", render_ip4(dst, a), a);
	if ((src != 0 && rd_source_down(rc, src)) ||
	    !rd_route_lookup(rc, dst, &gw, &ifname, &via)) {
		tr_add(tr, now, "traceroute: sendto: Network is unreachable");
		return (tr);
	}
	peer = rd_peer_tunnel(rc, dst);
	silent = peer != NULL && peer->fault == F_SILENT &&
	    peer->state == ST_CONNECTING;
	nhops = via != NULL || gw == 0 ? 1 : 4 + (int)(dst % 3);
	for (hop = 1; hop <= 32; hop++) {
		uint32_t	 h;

		if (silent && hop >= 3) {
			at += 3;
			tr_add(tr, at, "%2d  * * *", hop);
			continue;
		}
		if (hop == nhops)
			h = dst;
		else if (hop == 1)
			h = gw;
		else
			h = 0x64400000U | (scenario_hash(seed, (uint32_t)hop) &
			    0x3ffffU);
		at += 0.3;
		tr_add(tr, at, "%2d  %s  %.3f ms  %.3f ms  %.3f ms", hop,
		    render_ip4(h, a), rd_rtt(seed, hop, 0),
		    rd_rtt(seed, hop, 1), rd_rtt(seed, hop, 2));
		if (hop == nhops)
			break;
	}
	return (tr);
}

int
simtrace_run(struct simtrace *tr, struct sbuf *out, double now)
{
	while (tr->next < tr->n && tr->at[tr->next] <= now) {
		sbuf_addstr(out, tr->lines[tr->next++]);
		sbuf_addstr(out, "\n");
	}
	return (tr->next < tr->n ? SIM_STREAMING : SIM_DONE);
}

void
simtrace_free(struct simtrace *tr)
{
	size_t	 i;

	if (tr == NULL)
		return;
	for (i = 0; i < tr->n; i++)
		free(tr->lines[i]);
	free(tr->lines);
	free(tr->at);
	free(tr);
}
