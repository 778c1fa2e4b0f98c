/* SPDX-License-Identifier: ISC */
/*
 * test_ike_debug - `diagnose debug application ike -1` on real captures
 * (each manifest evidence line must carry the expected kind, rule,
 * gateway and peer), the per-line splitter on every prefix form, and
 * hostile input.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ike_debug.h"

#define LAB	"real/ike-debug-labelled/"

struct fx {
	const char		*rel;
	char			*buf;
	size_t			 len;
	struct ike_debug	*r;
};

static void
fx_open(struct fx *f, const char *rel)
{
	f->rel = rel;
	f->buf = tu_fixture(rel, &f->len);
	f->r = ike_debug_parse(f->buf, f->len);
	assert_non_null(f->r);
}

static void
fx_close(struct fx *f)
{
	ike_debug_free(f->r);
	free(f->buf);
}

/* 1-based numbers of the lines holding the evidence, up to max. */
static size_t
lines_with(const struct fx *f, const char *evidence, size_t *out, size_t max)
{
	struct plines	 pl;
	const char	*line;
	size_t		 n, no = 0, k = 0;

	pl_init(&pl, f->buf, f->len);
	while (pl_next(&pl, &line, &n)) {
		no++;
		if (pu_find(line, n, evidence) >= 0 && k < max)
			out[k++] = no;
	}
	if (k == 0)
		fail_msg("%s: no line holds \"%s\"", f->rel, evidence);
	return (k);
}

static const struct ike_event *
event_at(const struct fx *f, size_t line, const char *evidence)
{
	size_t	i;

	for (i = 0; i < f->r->nevents; i++) {
		if (f->r->events[i].line == line)
			return (&f->r->events[i]);
	}
	fail_msg("%s: line %zu (\"%s\") is not an event", f->rel, line,
	    evidence);
	return (NULL);
}

static void
str_is(const struct fx *f, size_t line, const char *field, const char *got,
    const char *want)
{
	if (want == NULL ? got != NULL :
	    got == NULL || strcmp(got, want) != 0)
		fail_msg("%s:%zu: %s \"%s\", want \"%s\"", f->rel, line, field,
		    got ? got : "null", want ? want : "null");
}

/*
 * Every line holding the evidence is an event of this kind and rule, for
 * this gateway and peer (NULL gateway/peer: not checked).
 */
static void
expect(const struct fx *f, const char *evidence, const char *kind,
    const char *rule, const char *gw, const char *peer)
{
	const struct ike_event	*ev;
	size_t			 lines[64], n, i;

	n = lines_with(f, evidence, lines, 64);
	for (i = 0; i < n; i++) {
		ev = event_at(f, lines[i], evidence);
		str_is(f, lines[i], "kind", ike_topic_name(ev->topic), kind);
		str_is(f, lines[i], "rule", ev->rule, rule);
		if (gw != NULL)
			str_is(f, lines[i], "gateway", ev->gateway, gw);
		if (peer != NULL)
			str_is(f, lines[i], "peer", ev->peer, peer);
	}
}

/* The event on the first line holding the evidence. */
static const struct ike_event *
ev_of(const struct fx *f, const char *evidence)
{
	size_t	line;

	lines_with(f, evidence, &line, 1);
	return (event_at(f, line, evidence));
}

/* Lines holding the evidence are noise: counted, never listed. */
static void
expect_noise(const struct fx *f, const char *evidence)
{
	size_t	lines[64], n, i, k;

	n = lines_with(f, evidence, lines, 64);
	for (i = 0; i < n; i++) {
		for (k = 0; k < f->r->nevents; k++) {
			if (f->r->events[k].line == lines[i])
				fail_msg("%s:%zu: noise listed as %s", f->rel,
				    lines[i],
				    ike_topic_name(f->r->events[k].topic));
		}
	}
}

static size_t
count_class(const struct fx *f, enum ike_class c)
{
	size_t	i, n = 0;

	for (i = 0; i < f->r->nevents; i++) {
		if (f->r->events[i].cls == c)
			n++;
	}
	return (n);
}

/* The first failure in the capture (what the dashboard shows). */
static const struct ike_event *
first_failure(const struct fx *f)
{
	size_t	i;

	for (i = 0; i < f->r->nevents; i++) {
		if (f->r->events[i].cls == IKE_C_FAILURE)
			return (&f->r->events[i]);
	}
	fail_msg("%s: no failure event", f->rel);
	return (NULL);
}

static void
test_ikev1_no_proposal(void **state)
{
	struct fx	f;

	fx_open(&f, "real/ike-debug/01-ikev1-p1-no-proposal-chosen.txt");
	expect(&f, "no SA proposal chosen", "proposal-mismatch",
	    "P1-NO-PROPOSAL", "VPN-to-SH", "200.1.1.2");
	expect(&f, "ike 0: comes 200.1.1.2:500", "info", NULL, NULL,
	    "200.1.1.2");
	expect(&f, ": negotiation failure", "negotiate-error", NULL,
	    "VPN-to-SH", "200.1.1.2");
	assert_true(f.r->events[f.r->nevents - 1].gateway_inferred);
	assert_int_equal(f.r->lines, 115);
	assert_int_equal(f.r->noise, 1);
	fx_close(&f);
}

static void
test_ikev1_aggressive_peer_id(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, "real/ike-debug/02-ikev1-aggressive-peer-id-mismatch.txt");
	expect(&f, "ignoring IKE request, incorrect ID.", "peer-id-mismatch",
	    "P1-PEERID", "VPN-to-SH", "200.1.1.2");
	ev = first_failure(&f);
	assert_string_equal(ike_topic_name(ev->topic), "peer-id-mismatch");
	/* `ike 0::24:` has an empty gateway: unknown, not "". */
	expect(&f, "peer identifier IPV4_ADDR", "info", NULL, NULL, NULL);
	ev = ev_of(&f, "peer identifier IPV4_ADDR");
	assert_null(ev->gateway);
	assert_int_equal(ev->serial, 24);
	fx_close(&f);
}

static void
test_ts_unacceptable(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "03-ikev2-initiator-ts-unacceptable.txt");
	expect(&f, "processing notify type TS_UNACCEPTABLE",
	    "selector-mismatch", "P2-TS-INIT-V2", "to-FG2", "2.2.2.254");
	expect(&f, "authentication succeeded", "p1-up", "INFO-P1-UP",
	    "to-FG2", "2.2.2.254");
	expect(&f, "established IKE SA c59ac85a384d0bf5/a4ea9f5b1426cb8f",
	    "p1-up", "INFO-P1-UP", "to-FG2", "2.2.2.254");
	/* `ike 0:to-FG2:eveS2S:` names the phase 2. */
	ev = ev_of(&f, "IPsec SA connect");
	assert_int_equal(ev->line, 3);
	str_is(&f, 3, "child", ev->child, "eveS2S");
	str_is(&f, 3, "peer", ev->peer, "2.2.2.254");
	assert_int_equal(ev->peer_port, 0);
	assert_int_equal(count_class(&f, IKE_C_FAILURE), 1);
	fx_close(&f);
}

static void
test_no_policy(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;
	static const char *const p2[] = { "eveS2S-1-2", "eveS2S-1-3",
	    "eveS2S-1-4", "eveS2S-1-5", "eveS2S-1-7", "eveS2S-1-8",
	    "eveS2S-1-9" };
	size_t			 i;

	fx_open(&f, LAB "07-initiator-no-firewall-policy.txt");
	expect(&f, "ignoring request to establish IPsec SA, no policy "
	    "configured", "no-policy", "P1-NO-POLICY", "to-FG2", NULL);
	expect(&f, "IPsec SA connect 6 1.1.1.254->2.2.2.254:0", "info", NULL,
	    "to-FG2", "2.2.2.254");
	for (i = 0; i < 7; i++) {
		ev = event_at(&f, 2 + 2 * i, "IPsec SA connect");
		str_is(&f, ev->line, "child", ev->child, p2[i]);
		str_is(&f, ev->line, "local", ev->local, "1.1.1.254");
		/* The next refusal learnt its peer from this line. */
		ev = event_at(&f, 3 + 2 * i, "no policy");
		str_is(&f, ev->line, "peer", ev->peer, "2.2.2.254");
		assert_true(ev->peer_inferred);
	}
	fx_close(&f);
}

static void
test_v2_no_proposal(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "10-ikev2-responder-p1-no-proposal-chosen.txt");
	expect(&f, ": no proposal chosen", "proposal-mismatch",
	    "P1-NO-PROPOSAL", "eveS2S", "1.1.1.254");
	/* Outside the prefix grammar: classified by substring. */
	expect(&f, "ike V=root:Negotiate SA Error: [11909]",
	    "negotiate-error", NULL, NULL, NULL);
	ev = ev_of(&f, "Negotiate SA Error");
	str_is(&f, ev->line, "vd", ev->vd, "root");
	assert_int_equal(ev->vdom, PNUM_UNKNOWN);
	expect(&f, "type=ENCR, val=DES_CBC", "info", NULL, NULL, "1.1.1.254");
	expect(&f, "NETWORK ID : 100", "network-id", "P1-NETWORK-ID", NULL,
	    NULL);
	/* `FortiGate5 (root) # ike V=root:0: comes ...` */
	ev = ev_of(&f, "FortiGate5 (root) # ike V=root:0: comes");
	assert_int_equal(ev->line, 1);
	str_is(&f, 1, "peer", ev->peer, "1.1.1.254");
	assert_false(ev->peer_inferred);
	assert_int_equal(ev->peer_port, 500);
	str_is(&f, 1, "local", ev->local, "2.2.2.254");
	assert_int_equal(ev->vdom, 0);
	ev = first_failure(&f);
	assert_string_equal(ev->rule, "P1-NO-PROPOSAL");
	fx_close(&f);
}

static void
test_network_unreachable(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "11-ikev2-initiator-network-unreachable.txt");
	expect(&f, "could not send IKE Packet(SA_INIT):1.1.1.254:500->"
	    "2.2.2.254:500, len=597, vrf=0: error 101:Network is unreachable",
	    "no-route", "P1-NO-ROUTE", "to-FG2", "2.2.2.254");
	expect(&f, "could not send IKE Packet(RETRANSMIT_SA_INIT)",
	    "no-route", "P1-NO-ROUTE", "to-FG2", "2.2.2.254");
	expect(&f, "negotiation timeout, deleting", "negotiation-timeout",
	    "P1-RETRANSMIT-TIMEOUT", "to-FG2", "2.2.2.254");
	ev = first_failure(&f);
	assert_string_equal(ev->rule, "P1-NO-ROUTE");
	assert_int_equal(ev->peer_port, 500);
	str_is(&f, ev->line, "local", ev->local, "1.1.1.254");
	assert_int_equal(ev->serial, 4962);
	str_is(&f, ev->line, "vd", ev->vd, "root");
	/* `shrank heap` lines: counted, not listed. */
	expect_noise(&f, "shrank heap by 126976 bytes");
	assert_int_equal(f.r->noise, 13);
	assert_int_equal(f.r->lines, 28);
	fx_close(&f);
}

static void
test_rekey(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "12-ikev2-initiator-child-rekey-no-answer.txt");
	expect(&f, "rekey in progress for SPI 287f891e", "rekey",
	    "P2-REKEY-FAIL", "to-FG2", "2.2.2.254");
	expect(&f, "sent IKE msg (RETRANSMIT_CREATE_CHILD)", "rekey",
	    "P2-REKEY-FAIL", "to-FG2", "2.2.2.254");
	expect(&f, "0d1269f1e87c45d7/fb94b8b67eaed269 retransmission timeout",
	    "dpd", "DPD-V2-RETRANS", "to-FG2", "2.2.2.254");
	/* `to-FG2:5293:26 initiating`: serial, sub-serial, no colon. */
	ev = ev_of(&f, "rekey in progress");
	assert_int_equal(ev->serial, 5293);
	assert_int_equal(ev->sub_serial, 26);
	str_is(&f, ev->line, "text", ev->text,
	    "rekey in progress for SPI 287f891e");
	/* `to-FG2:5293:eveS2S:24:` */
	ev = ev_of(&f, "sending delete for IPsec SA");
	str_is(&f, ev->line, "child", ev->child, "eveS2S");
	assert_int_equal(ev->sub_serial, 24);
	ev = first_failure(&f);
	assert_string_equal(ike_topic_name(ev->topic), "rekey");
	/* Keep-alives on 4500 are not NAT-T failures. */
	expect(&f, "sent IKE msg (keepalive)", "info", NULL, "to-FG2",
	    "2.2.2.254");
	expect_noise(&f, "ike 0:to-FG2:5293: out FF");
	fx_close(&f);
}

static void
test_success(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "15-ikev2-responder-success-added-ipsec-sa.txt");
	expect(&f, "authentication succeeded", "p1-up", "INFO-P1-UP",
	    "to-FG2", "2.2.2.254");
	expect(&f, "established IKE SA 7296e98108a42bd1/85eb659ca85c20f9",
	    "p1-up", "INFO-P1-UP", "to-FG2", "2.2.2.254");
	expect(&f, "added IPsec SA: SPIs=b4ff73b5/e358ed8c", "p2-up",
	    "INFO-P2-UP", "to-FG2", "2.2.2.254");
	expect(&f, "SA proposal chosen, matched gateway to-FG2", "p1-up",
	    "INFO-P1-UP", "to-FG2", "2.2.2.254");
	expect(&f, "matched by rfc-rule-2", "info", NULL, "to-FG2", NULL);
	expect(&f, "NAT detected: PEER", "natt", "INFO-NAT", "to-FG2", NULL);
	assert_int_equal(count_class(&f, IKE_C_FAILURE), 0);
	/* `to-FG2:34538:eveS2S:10372:` */
	ev = ev_of(&f, "added IPsec SA");
	str_is(&f, ev->line, "child", ev->child, "eveS2S");
	assert_int_equal(ev->serial, 34538);
	assert_int_equal(ev->sub_serial, 10372);
	assert_int_equal(ev->peer_port, 4500);
	fx_close(&f);
}

static void
test_passive(void **state)
{
	struct fx	f;

	fx_open(&f, LAB "20-ikev2-initiator-passive-mode.txt");
	expect(&f, "ignoring request to establish IPsec SA, gateway is in "
	    "passive mode", "passive-mode", "P1-PASSIVE", "eveS2S",
	    "1.1.1.254");
	expect(&f, "eveS2S_1: IPsec SA connect", "info", NULL, "eveS2S",
	    "1.1.1.254");
	assert_int_equal(count_class(&f, IKE_C_FAILURE), 8);
	fx_close(&f);
}

static void
test_peer_id(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "21-ikev2-responder-peer-id-gw-validation-failed.txt");
	expect(&f, "gw validation failed", "peer-id-mismatch", "P1-PEERID",
	    "DialUp-wan", "1.1.1.254");
	expect(&f, "invalid IKE request SPI", "stale-spi", "IKE-STALE-SPI",
	    "DialUp-wan", "1.1.1.254");
	expect(&f, "received peer identifier FQDN 'admin'", "info", NULL,
	    "DialUp-wan", "1.1.1.254");
	/* Key material is noise, never listed. */
	expect_noise(&f, "SK_ei 16:5FD7562838234C82B2FD258570DBCE17");
	expect_noise(&f, "SK_ar 32:");
	expect_noise(&f, "ike :shrank heap");
	ev = first_failure(&f);
	assert_string_equal(ev->rule, "P1-PEERID");
	ev = ev_of(&f, "responder received SA_INIT msg");
	str_is(&f, ev->line, "cookie", ev->cookie,
	    "0bba3c1cc48194fd/0000000000000000");
	assert_int_equal(ev->serial, 2001);
	assert_null(ev->gateway);
	fx_close(&f);
}

static void
test_psk_v2(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "22-ikev2-responder-psk-mismatch.txt");
	expect(&f, "PSK auth failed: probable pre-shared key mismatch",
	    "psk-mismatch", "P1-PSK-V2", "eveS2S", "1.1.1.254");
	expect(&f, ": authentication failed", "psk-mismatch", "P1-PSK-V2",
	    "eveS2S", "1.1.1.254");
	/* Two messages merged on one line: the error in front counts. */
	expect(&f, "Negotiate SA Error: [7798]ike", "negotiate-error", NULL,
	    "eveS2S", "1.1.1.254");
	/* A typed character before the prefix: `dike V=root:0: comes`. */
	expect(&f, "dike V=root:0: comes", "info", NULL, NULL, "1.1.1.254");
	ev = first_failure(&f);
	assert_string_equal(ev->rule, "P1-PSK-V2");
	fx_close(&f);
}

static void
test_retransmit_v1(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "23-ikev1-aggressive-responder-retransmit-timeout.txt");
	/* The peer is behind NAT (port 49140): a retransmit, not NAT-T. */
	expect(&f, "sent IKE msg (P1_RETRANSMIT)", "retransmit",
	    "P1-RETRANSMIT-TIMEOUT", "HGH_IPSEC", "80.215.152.19");
	expect(&f, "retransmission, re-send last message", "retransmit",
	    "P1-RETRANSMIT-TIMEOUT", "HGH_IPSEC", "80.215.152.19");
	expect(&f, "negotiation timeout, deleting", "negotiation-timeout",
	    "P1-RETRANSMIT-TIMEOUT", "HGH_IPSEC", "80.215.152.19");
	expect_noise(&f, "ike shrank heap by 118784 bytes");
	expect_noise(&f, "ISAKMP SA 31da635e6573032f/b275f377f0eccaee key 16:");
	ev = ev_of(&f, "IKEv1 Aggressive, comes");
	str_is(&f, ev->line, "peer", ev->peer, "80.215.152.19");
	assert_int_equal(ev->peer_port, 49140);
	str_is(&f, ev->line, "local", ev->local, "193.248.63.133");
	assert_int_equal(ev->local_port, PNUM_UNKNOWN);
	fx_close(&f);
}

static void
test_natt_4500(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "24-ikev2-initiator-natt-4500-blocked.txt");
	expect(&f, "sent IKE msg (RETRANSMIT_AUTH)", "natt",
	    "P1-NATT-4500-BLOCKED", "to-FG2", "2.2.2.254");
	expect(&f, "NAT-T float port 4500", "natt", "INFO-NAT", "to-FG2",
	    NULL);
	expect(&f, "NAT detected: PEER", "natt", "INFO-NAT", "to-FG2", NULL);
	ev = first_failure(&f);
	assert_string_equal(ev->rule, "P1-NATT-4500-BLOCKED");
	assert_int_equal(ev->peer_port, 4500);
	assert_int_equal(ev->local_port, 4500);
	fx_close(&f);
}

static void
test_xauth(void **state)
{
	struct fx		 f;
	const struct ike_event	*ev;

	fx_open(&f, LAB "25-ikev1-xauth-local-user-denied-timestamps.txt");
	expect(&f, "result FNBAM_DENIED", "auth", "P1-XAUTH", "ra-ikev1_0",
	    "10.21.4.174");
	expect(&f, "XAUTH failed for user \"vpnuser\", retry(2).", "auth",
	    "P1-XAUTH", "ra-ikev1_0", "10.21.4.174");
	expect(&f, "sent IKE msg (CFG_RETRANS)", "auth", "P1-XAUTH",
	    "ra-ikev1_0", "10.21.4.174");
	expect(&f, "PSK authentication succeeded", "p1-up", "INFO-P1-UP",
	    "ra-ikev1", "10.21.4.174");
	expect(&f, "established IKE SA a37dff9185846966/4626dcb40c06b65a",
	    "p1-up", "INFO-P1-UP", "ra-ikev1_0", "10.21.4.174");
	/* The first failure is the denial, not the XAUTH progress lines. */
	ev = first_failure(&f);
	assert_int_equal(ev->line, ev_of(&f, "FNBAM_DENIED")->line);
	/* `<fnbamd ts> <ike ts> ike ...`: the stamp next to ike wins. */
	str_is(&f, ev->line, "time", ev->time, "2025-01-15 08:27:17.648236");
	assert_int_equal(ev->time_us, INT64_C(1736929637648236));
	expect(&f, "sending XAUTH request", "info", NULL, "ra-ikev1_0",
	    "10.21.4.174");
	expect(&f, "peer has not completed XAUTH exchange", "info", NULL,
	    "ra-ikev1_0", "10.21.4.174");
	/* `ike V=root:0::35392:` has no gateway but a serial. */
	ev = ev_of(&f, "received peer identifier FQDN 'ikev1local'");
	assert_int_equal(ev->serial, 35392);
	assert_null(ev->gateway);
	/* fnbamd lines are not IKE text; the wrapped key is noise. */
	expect_noise(&f, "fnbamd_comm_send_result-Sending result 1");
	expect_noise(&f, "43E4E46DFA66A69473B413FD3B");
	expect_noise(&f, "key 32:10CB252A900C5D624FA4A1BF3A297123B1F903");
	assert_int_equal(f.r->noise, 6);
	fx_close(&f);
}

/* Every prefix form of one line. */
static void
check_line(const char *in, enum ike_ltype type, const char *vd, pnum vdom,
    const char *gw, const char *child, const char *cookie, pnum serial,
    const char *text)
{
	struct ike_line	l;
	char		buf[512];

	assert_int_equal(ike_debug_line(in, strlen(in), &l), type);
#define SPAN(sp, want) do {						\
	if ((want) == NULL ? (sp).p != NULL : (sp).p == NULL ||	\
	    (sp).n != strlen(want) || memcmp((sp).p, (want), (sp).n) != 0) {	\
		snprintf(buf, sizeof(buf), "%.*s", (int)(sp).n,		\
		    (sp).p ? (sp).p : "");				\
		fail_msg("%s: " #sp " \"%s\", want \"%s\"", in,	\
		    (sp).p ? buf : "null", (want) ? (want) : "null");	\
	}								\
} while (0)
	SPAN(l.vd, vd);
	SPAN(l.gateway, gw);
	SPAN(l.child, child);
	SPAN(l.cookie, cookie);
	SPAN(l.text, text);
#undef SPAN
	if (l.vdom != vdom || l.serial != serial)
		fail_msg("%s: vdom %lld serial %lld", in, (long long)l.vdom,
		    (long long)l.serial);
}

static void
test_prefix_forms(void **state)
{
	struct ike_line	l;
	static const char ts[] = "2025-01-15 08:27:17.123456 ike V=root:0:"
	    "To HQ:2977: 0bba3c1cc48194fd/b0ca85768f066fbd retransmission "
	    "timeout";

	check_line("ike 0: comes 1.1.1.1:500->2.2.2.2:500,ifindex=6",
	    IKE_LT_EVENT, NULL, 0, NULL, NULL, NULL, PNUM_UNKNOWN,
	    "comes 1.1.1.1:500->2.2.2.2:500,ifindex=6");
	check_line("ike V=vd-1:3:To HQ:2977: established IKE SA x/y",
	    IKE_LT_EVENT, "vd-1", 3, "To HQ", NULL, NULL, 2977,
	    "established IKE SA x/y");
	check_line("ike V=root:0:0bba3c1cc48194fd/0000000000000000:2001: "
	    "responder received SA_INIT msg", IKE_LT_EVENT, "root", 0, NULL,
	    NULL, "0bba3c1cc48194fd/0000000000000000", 2001,
	    "responder received SA_INIT msg");
	check_line("ike 0:to-FG2:eveS2S-1-2: IPsec SA connect 6 "
	    "1.1.1.254->2.2.2.254:0", IKE_LT_EVENT, NULL, 0, "to-FG2",
	    "eveS2S-1-2", NULL, PNUM_UNKNOWN,
	    "IPsec SA connect 6 1.1.1.254->2.2.2.254:0");
	check_line("ike 0:My VPN (main):12:Child P2:34: PFS is disabled",
	    IKE_LT_EVENT, NULL, 0, "My VPN (main)", "Child P2", NULL, 12,
	    "PFS is disabled");
	check_line("ike 0:to-FG2:34097:   protocol = IKEv2:", IKE_LT_EVENT,
	    NULL, 0, "to-FG2", NULL, NULL, 34097, "protocol = IKEv2:");
	check_line("ike 0:to-FG2:", IKE_LT_EVENT, NULL, 0, "to-FG2", NULL,
	    NULL, PNUM_UNKNOWN, "");
	check_line("ike Negotiate SA Error:", IKE_LT_EVENT, NULL,
	    PNUM_UNKNOWN, NULL, NULL, NULL, PNUM_UNKNOWN,
	    "Negotiate SA Error:");
	/* A long "name" with spaces and no colon is the message. */
	check_line("ike 0:this is a message that is not a gateway name at all"
	    ": x", IKE_LT_EVENT, NULL, 0, NULL, NULL, NULL, PNUM_UNKNOWN,
	    "this is a message that is not a gateway name at all: x");
	/* At most 8 context fields; the rest is the message. */
	check_line("ike 0:gw:1:2:3:4:5:6:7:8:9:10: deep", IKE_LT_EVENT, NULL,
	    0, "gw", NULL, NULL, 1, "8:9:10: deep");

	/* Timestamp: text and number (device clock taken as UTC). */
	assert_int_equal(ike_debug_line(ts, sizeof(ts) - 1, &l), IKE_LT_EVENT);
	assert_int_equal(l.time.n, 26);
	assert_int_equal(l.time_us, INT64_C(1736929637123456));
	assert_int_equal(l.topic, IKE_T_DPD);
	assert_string_equal(l.rule, "DPD-V2-RETRANS");
	assert_int_equal(l.cls, IKE_C_FAILURE);
	assert_int_equal(l.serial, 2977);
	assert_int_equal(l.gateway.n, 5);
	/* Without fraction; an impossible date keeps the text only. */
	assert_int_equal(ike_debug_line("2024-02-29 23:59:59 ike 0:a: x", 30,
	    &l), IKE_LT_EVENT);
	assert_int_equal(l.time_us, INT64_C(1709251199000000));
	assert_int_equal(ike_debug_line("2024-13-40 99:99:99 ike 0:a: x", 30,
	    &l), IKE_LT_EVENT);
	assert_int_equal(l.time.n, 19);
	assert_int_equal(l.time_us, PNUM_UNKNOWN);
}

struct cls_case {
	const char	*line;
	const char	*kind;
	const char	*rule;
	enum ike_class	 cls;
};

/* Strings from DIAGNOSIS.md and its sources, in every prefix form. */
static void
test_classification(void **state)
{
	static const struct cls_case c[] = {
		{ "ike 0:to-fgt2: probable pre-shared secret mismatch",
		    "psk-mismatch", "P1-PSK-V1", IKE_C_FAILURE },
		{ "ike 0:TRX:322: PSK auth failed: probable pre-shared key "
		    "mismatch", "psk-mismatch", "P1-PSK-V2", IKE_C_FAILURE },
		{ "ike 0:gw:1: received notify type AUTHENTICATION_FAILED",
		    "psk-mismatch", "P1-PSK-V2", IKE_C_FAILURE },
		{ "ike 0:gw:1: processing notify type NO_PROPOSAL_CHOSEN",
		    "proposal-mismatch", "P1-NO-PROPOSAL", IKE_C_FAILURE },
		{ "ike 0:gw:1:p2:7: no proposal chosen", "proposal-mismatch",
		    "P2-PROPOSAL-PFS", IKE_C_FAILURE },
		{ "ike 0:gw:1:p2:7: failed to match peer selectors",
		    "selector-mismatch", "P2-TS-RESP-V2", IKE_C_FAILURE },
		{ "ike 0:gw:1:p2:7: traffic selectors unacceptable",
		    "selector-mismatch", "P2-TS-RESP-V2", IKE_C_FAILURE },
		{ "ike 0:gw:1:p2:7: matched by intersection",
		    "selector-narrowed", "P2-TS-NARROWED", IKE_C_INFO },
		{ "ike 0:gw:1: certificate validation failed", "auth",
		    "P1-CERT", IKE_C_FAILURE },
		{ "ike 0:gw: XAUTH 12 result FNBAM_TIMEOUT", "auth",
		    "P1-XAUTH", IKE_C_FAILURE },
		{ "ike 0:gw:5: send IKEv1 DPD probe, seqno 9", "dpd",
		    "DPD-V1-FAIL", IKE_C_INFO },
		{ "ike 0:gw: link is idle 6 1.1.1.1->2.2.2.2:0 dpd=1 seqno=9 "
		    "rr=0", "dpd", "DPD-V1-FAIL", IKE_C_INFO },
		{ "ike 0:gw:5: sent IKE msg (R-U-THERE): 1.1.1.1:500->"
		    "2.2.2.2:500, len=92", "dpd", "DPD-V1-FAIL", IKE_C_INFO },
		{ "ike 0:gw:5: sent IKE msg (P1_RETRANSMIT): 1.1.1.1:4500->"
		    "2.2.2.2:4500, len=92", "natt", "P1-NATT-4500-BLOCKED",
		    IKE_C_FAILURE },
		{ "ike 0:gw:5: sent IKE msg (P1_RETRANSMIT): 1.1.1.1:500->"
		    "2.2.2.2:500, len=92", "retransmit",
		    "P1-RETRANSMIT-TIMEOUT", IKE_C_FAILURE },
		{ "ike 0:gw:5: sent IKE msg (RETRANSMIT_SA_INIT): "
		    "1.1.1.1:500->2.2.2.2:500, len=92", "retransmit",
		    "P1-RETRANSMIT-TIMEOUT", IKE_C_FAILURE },
		{ "ike 0:gw:5: could not send IKE Packet(ISAKMP SA "
		    "DELETE-NOTIFY):1.1.1.1:500->2.2.2.2:500, len=92, vrf=0: "
		    "error 101:Network is unreachable", "no-route",
		    "P1-NO-ROUTE", IKE_C_FAILURE },
		{ "ike 0:gw:5: NAT not detected ", "natt", "INFO-NAT",
		    IKE_C_INFO },
		{ "ike 0:gw:5: rekey in progress for SPI 1", "rekey",
		    "P2-REKEY-FAIL", IKE_C_INFO },
		{ "ike 0:gw:1: added IPsec SA: SPIs=1/2", "p2-up",
		    "INFO-P2-UP", IKE_C_SUCCESS },
		{ "ike 0:gw:1: add IPsec SA: SPIs=1/2", "info", NULL,
		    IKE_C_INFO },
		/* Event-log text outside any ike line. */
		{ "date=2025-01-15 logid=\"0101037124\" msg=\"Negotiate SA "
		    "Error: probable pre-shared secret mismatch\"",
		    "psk-mismatch", "P1-PSK-V1", IKE_C_FAILURE },
		{ "logdesc=\"IPsec phase 1 error\" reason=\"peer SA proposal "
		    "not match local policy\"", "proposal-mismatch",
		    "P1-NO-PROPOSAL", IKE_C_FAILURE },
		/* An answered probe is no DPD failure. */
		{ "ike 0:gw:5: notify msg received: R-U-THERE-ACK", "dpd",
		    NULL, IKE_C_INFO },
		{ "ike 0:gw:5: sent IKE msg (R-U-THERE-ACK): 1.1.1.1:4500->"
		    "2.2.2.2:4500, len=92", "dpd", NULL, IKE_C_INFO },
		/* SA_INIT on 4500 (`set ike-port 4500`) is no NAT-T sign. */
		{ "ike 0:gw:5: sent IKE msg (RETRANSMIT_SA_INIT): "
		    "1.1.1.1:4500->2.2.2.2:4500, len=92", "retransmit",
		    "P1-RETRANSMIT-TIMEOUT", IKE_C_FAILURE },
		{ "ike 0:gw:5: sent IKE msg (RETRANSMIT_AUTH): "
		    "1.1.1.1:500->2.2.2.2:500, len=92", "retransmit",
		    "P1-RETRANSMIT-TIMEOUT", IKE_C_FAILURE },
		/* An EAP failure is not read as a PSK mismatch. */
		{ "ike 0:gw:5: EAP authentication failed", "auth", "P1-XAUTH",
		    IKE_C_FAILURE },
		{ "ike 0:gw:5: send EAP message to FNBAM", "info", NULL,
		    IKE_C_INFO },
		/* The event log's logdesc names the phase. */
		{ "logid=\"0101037129\" logdesc=\"IPsec phase 2 error\" "
		    "msg=\"IPsec phase 2 error\" reason=\"peer SA proposal "
		    "not match local policy\"", "proposal-mismatch",
		    "P2-PROPOSAL-PFS", IKE_C_FAILURE },
		{ "logid=\"0101037129\" logdesc=\"IPsec phase 2 error\" "
		    "mode=\"quick\"", "selector-mismatch", "P2-QM-MISMATCH-V1",
		    IKE_C_FAILURE },
		/* The prefix never decides: a gateway named like a failure. */
		{ "ike 0:no proposal chosen:5: config found", "info", NULL,
		    IKE_C_INFO },
	};
	struct ike_line	l;
	size_t		i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (ike_debug_line(c[i].line, strlen(c[i].line), &l) !=
		    IKE_LT_EVENT)
			fail_msg("%s: not an event", c[i].line);
		if (strcmp(ike_topic_name(l.topic), c[i].kind) != 0 ||
		    (c[i].rule == NULL ? l.rule != NULL :
		    l.rule == NULL || strcmp(l.rule, c[i].rule) != 0) ||
		    l.cls != c[i].cls)
			fail_msg("%s: kind %s rule %s class %s", c[i].line,
			    ike_topic_name(l.topic), l.rule ? l.rule : "null",
			    ike_class_name(l.cls));
	}
	/* A plain prompt or command echo is not IKE text. */
	assert_int_equal(ike_debug_line("FG1 # diagnose debug enable", 27, &l),
	    IKE_LT_NONE);
	assert_int_equal(ike_debug_line("", 0, &l), IKE_LT_NONE);
	assert_int_equal(ike_debug_line(" \r", 2, &l), IKE_LT_NONE);
}

static void
test_addresses(void **state)
{
	struct ike_line	l;
	static const char v6[] = "ike 0:gw6:3: sent IKE msg (SA_INIT): "
	    "2001:db8::1:500->2001:db8::2:500, len=300";
	static const char br[] = "ike 0: comes [2001:db8::2]:4500->"
	    "[2001:db8::1]:4500,ifindex=3";
	static const char arrow[] = "ike 0:gw:1: remote port change 500 -> "
	    "4500";

	assert_int_equal(ike_debug_line(v6, sizeof(v6) - 1, &l),
	    IKE_LT_EVENT);
	assert_int_equal(l.peer.n, strlen("2001:db8::2"));
	assert_memory_equal(l.peer.p, "2001:db8::2", l.peer.n);
	assert_int_equal(l.peer_port, 500);
	assert_memory_equal(l.local.p, "2001:db8::1", l.local.n);
	assert_int_equal(ike_debug_line(br, sizeof(br) - 1, &l),
	    IKE_LT_EVENT);
	assert_memory_equal(l.peer.p, "2001:db8::2", l.peer.n);
	assert_int_equal(l.peer_port, 4500);
	assert_int_equal(ike_debug_line(arrow, sizeof(arrow) - 1, &l),
	    IKE_LT_EVENT);
	assert_null(l.peer.p);
	assert_int_equal(l.peer_port, PNUM_UNKNOWN);
}

static void
test_noise(void **state)
{
	static const char *const noise[] = {
		"ike 0: in 0BBA3C1CC48194FD0000000000000000212022080000",
		"ike 0:to-FG2:5293: out FF",
		"iike 0: in B84BABE9E6A4ABF9B51BD7B5C75DF81D",
		"ike 0:ra-ikev1_0:35392: enc A37DFF91858469664626DCB40C06B65A",
		"ike 0:to-FG2:34538: dec 7296E98108A42BD185EB659CA85C20F9 ",
		"ike :shrank heap by 126976 bytes",
		"FG1 # ike shrank heap by 159744 bytes",
		"ike 0:x:1: IKE SA a/b SK_ei 16:"
		    "9799AC34D0E6FDBB331A8AD56579B22F",
		"ike 0:x:1:y:2: IPsec SA dec spi b4ff73b5 key 20:7EA87751 "
		    "auth 0:",
		"816691E32F0A",
	};
	struct ike_line	l;
	size_t		i;

	for (i = 0; i < sizeof(noise) / sizeof(noise[0]); i++) {
		if (ike_debug_line(noise[i], strlen(noise[i]), &l) !=
		    IKE_LT_NOISE)
			fail_msg("%s: not noise", noise[i]);
	}
	/* Key material is flagged so the live pane never shows it. */
	assert_int_equal(ike_debug_line(noise[7], strlen(noise[7]), &l),
	    IKE_LT_NOISE);
	assert_true(l.secret);
	/* `out` followed by words is a message, not a dump. */
	assert_int_equal(ike_debug_line("ike 0:gw: out of memory", 23, &l),
	    IKE_LT_EVENT);
}

/* CRLF, JSON report, nothing listed for noise; unknown stays null. */
static void
test_report_crlf(void **state)
{
	static const char in[] =
	    "FG # diagnose debug enable\r\n"
	    "ike 0:gw x:7: negotiation timeout, deleting\r\n"
	    "ike 0: in 00FF\r\n"
	    "\r\n";
	char	*json;

	json = tu_report(&kind_ike_debug, in, sizeof(in) - 1);
	tu_has(json, "{\"lines\":4,\"noise\":1,\"events\":[{\"line\":2,",
	    "header");
	tu_has(json, "\"time\":null,\"epoch_us\":null,", "no timestamp");
	tu_has(json, "\"vd\":null,\"vdom\":0,", "vdom");
	tu_has(json, "\"gateway\":\"gw x\",", "gateway with space");
	tu_has(json, "\"peer\":null,\"peer_port\":null,", "no peer");
	tu_has(json, "\"kind\":\"negotiation-timeout\",", "kind");
	tu_has(json, "\"rule\":\"P1-RETRANSMIT-TIMEOUT\",", "rule");
	tu_has(json, "\"class\":\"failure\",", "class");
	tu_has(json, "\"text\":\"negotiation timeout, deleting\"}", "text");
	tu_lacks(json, "00FF", "noise listed");
	tu_lacks(json, "\r", "CR kept");
	free(json);

	json = tu_report_fixture(&kind_ike_debug,
	    LAB "25-ikev1-xauth-local-user-denied-timestamps.txt");
	tu_has(json, "\"time\":\"2025-01-15 08:27:17.648236\","
	    "\"epoch_us\":1736929637648236,\"vd\":\"root\",", "epoch");
	tu_lacks(json, "10CB252A900C5D624FA4A1BF3A297123B1F903", "key listed");
	free(json);
}

static void
test_hostile(void **state)
{
	struct ike_debug	*r;
	struct ike_line		 l;
	char			*big;
	size_t			 n = 1 << 20, i;
	static const char	 nul[] = "ike 0:g\0w:1: no proposal chosen\n"
	    "ike V=\x1b[2J:0:\x1b]0;x\a: gw validation failed\n"
	    "ike V=:0:: \n" "ike 99999999999999999999:a: x\n"
	    "ike 0:0123456789abcdef/0123456789abcdeX:1: y\n"
	    "ike 0: comes ->:500,\n" "ike 0: comes 1.2.3.4:99999999->.\n"
	    "ike 0:a:b:c:d:e:f:g:h:i:j:k:l:m:n\n" "ike V=";

	/* Hex digits alone are a dump of nothing before any IKE line... */
	r = ike_debug_parse("deadbeef\n0123456789abcdef\n", 26);
	assert_non_null(r);
	assert_int_equal(r->lines, 2);
	assert_int_equal(r->noise, 0);
	assert_int_equal(r->nevents, 0);
	ike_debug_free(r);
	/* ...and a wrapped dump (noise, never shown) after one. */
	r = ike_debug_parse("ike 0:g:1: in 0123\ndeadbeefdeadbeef\n", 35);
	assert_non_null(r);
	assert_int_equal(r->noise, 2);
	ike_debug_free(r);

	r = ike_debug_parse(nul, sizeof(nul) - 1);
	assert_non_null(r);
	assert_int_equal(r->lines, 9);
	assert_int_equal(r->events[0].topic, IKE_T_PROPOSAL);
	assert_int_equal(r->events[1].topic, IKE_T_PEERID);
	ike_debug_free(r);

	/* A long line of almost-matches: linear, bounded, no crash. */
	big = malloc(n);
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = "ike 0:c"[i % 7];
	assert_int_equal(ike_debug_line(big, n, &l), IKE_LT_EVENT);
	memset(big, ':', n);
	memcpy(big, "ike 0:", 6);
	/* An IKE line of nothing but colons: information, no failure. */
	assert_int_equal(ike_debug_line(big, n, &l), IKE_LT_EVENT);
	assert_int_equal(l.topic, IKE_T_INFO);
	memset(big, 'f', n);
	assert_int_equal(ike_debug_line(big, n, &l), IKE_LT_NOISE);
	for (i = 0; i < n; i++)
		big[i] = (i % 80 == 79) ? '\n' :
		    "ike V=r:0:a b:1: x->y"[i % 21];
	r = ike_debug_parse(big, n);
	assert_non_null(r);
	ike_debug_free(r);
	free(big);
	r = ike_debug_parse(NULL, 0);
	assert_non_null(r);
	assert_int_equal(r->lines, 0);
	assert_int_equal(r->nevents, 0);
	assert_int_equal(r->noise, 0);
	ike_debug_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ikev1_no_proposal),
		cmocka_unit_test(test_ikev1_aggressive_peer_id),
		cmocka_unit_test(test_ts_unacceptable),
		cmocka_unit_test(test_no_policy),
		cmocka_unit_test(test_v2_no_proposal),
		cmocka_unit_test(test_network_unreachable),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_passive),
		cmocka_unit_test(test_peer_id),
		cmocka_unit_test(test_psk_v2),
		cmocka_unit_test(test_retransmit_v1),
		cmocka_unit_test(test_natt_4500),
		cmocka_unit_test(test_xauth),
		cmocka_unit_test(test_prefix_forms),
		cmocka_unit_test(test_classification),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_report_crlf),
		cmocka_unit_test(test_hostile),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
