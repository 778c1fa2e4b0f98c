/* SPDX-License-Identifier: ISC */
/*
 * test_diagnose - the rules of src/diagnose: one table shared with the
 * IKE debug parser, the right FIRST finding on every real labelled log,
 * the walk-through, state rules on inputs from real parsed outputs, the
 * several-line signatures, success markers, and negatives (healthy,
 * rekey, NAT detection, noise raise no error).  Lines marked
 * "constructed" follow DIAGNOSIS.md's exact trigger strings where no
 * public capture of the signature is in the fixtures.
 */
#include "config.h"

/* Writes with src/json.h: see testutil.h. */
#define TU_NO_JANSSON

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "analyze.h"
#include "diagnose.h"
#include "diagnose_model.h"
#include "ike_debug.h"
#include "ike_gateway.h"
#include "json.h"
#include "model.h"
#include "tunnel_list.h"
#include "tunnel_summary.h"

/* Findings of a transcript or a debug capture, as `fgtop analyze`. */
static void
analyze_text(const char *text, size_t len, struct dg_findings *fs)
{
	struct json	j;

	dg_findings_init(fs);
	json_init(&j, 0);
	(void)analyze_transcript_findings(&j, text, len, fs);
	json_free(&j);
}

static void
analyze_fixture(const char *rel, struct dg_findings *fs)
{
	char	*buf;
	size_t	 len;

	buf = tu_fixture(rel, &len);
	analyze_text(buf, len, fs);
	free(buf);
}

static const char *
top(const struct dg_findings *fs)
{
	return (fs->n > 0 ? fs->v[0].rule->id : "(none)");
}

static int
ev_has(const struct dg_finding *f, const char *frag)
{
	size_t	i;

	for (i = 0; i < f->nevidence; i++)
		if (strstr(f->evidence[i], frag) != NULL)
			return (1);
	return (0);
}

static int
next_has(const struct dg_finding *f, const char *action, const char *frag)
{
	size_t	i, k;

	for (i = 0; i < f->nnext; i++) {
		if (action != NULL && (f->next[i].action == NULL ||
		    strcmp(f->next[i].action, action) != 0))
			continue;
		for (k = 0; k < f->next[i].ncommands; k++)
			if (strstr(f->next[i].commands[k], frag) != NULL)
				return (1);
	}
	return (0);
}

static void
want_top(const struct dg_findings *fs, const char *what, const char *rule)
{
	char	*rep;

	if (strcmp(top(fs), rule) != 0) {
		rep = diagnose_text(fs);
		fail_msg("%s: first finding %s, want %s\n%s", what, top(fs),
		    rule, rep);
	}
	assert_int_equal(fs->v[0].consequence, 0);
}

/* No finding of warning or worse. */
static void
want_quiet(const struct dg_findings *fs, const char *what)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		if (fs->v[i].severity >= DG_WARNING)
			fail_msg("%s: unexpected %s (%s)", what,
			    fs->v[i].rule->id,
			    diagnose_severity_name(fs->v[i].severity));
}

/* ---- one table ------------------------------------------------------ */

static void
test_table(void **state)
{
	const char		*ids[256];
	const struct dg_rule	*r;
	size_t			 n, i, k;
	int			 found;

	n = ike_debug_rule_ids(ids, 256);
	tu_assert_in_range(n, 21, 255);
	/* Every id the parser tags a line with is a line rule here. */
	for (i = 0; i < n; i++) {
		if ((r = diagnose_rule(ids[i])) == NULL)
			fail_msg("parser id %s is not in the rule table", ids[i]);
		assert_int_equal(r->input, DG_IN_LINE);
	}
	/* And every line rule here is one the parser can emit. */
	for (k = 0; k < dg_nrules; k++) {
		r = &dg_rules[k];
		assert_non_null(r->title);
		assert_non_null(r->meaning);
		assert_non_null(r->conf);
		assert_non_null(r->sources);
		if (r->severity > DG_INFO) {
			assert_non_null(r->fix);
			assert_non_null(r->next[0].commands);
		}
		for (i = k + 1; i < dg_nrules; i++)
			assert_string_not_equal(r->id, dg_rules[i].id);
		if (r->input != DG_IN_LINE)
			continue;
		for (found = 0, i = 0; i < n; i++)
			found |= strcmp(ids[i], r->id) == 0;
		if (!found)
			fail_msg("line rule %s is never emitted by the parser",
			    r->id);
	}
	assert_null(diagnose_rule("NO-SUCH-RULE"));
}

/* The doc page lists every rule of the table. */
static void
test_doc(void **state)
{
	char	*doc, key[64];
	size_t	 len, k;

	doc = tu_fixture("../../doc/diagnosis.md", &len);
	for (k = 0; k < dg_nrules; k++) {
		snprintf(key, sizeof(key), "| %s |", dg_rules[k].id);
		if (strstr(doc, key) == NULL)
			fail_msg("doc/diagnosis.md lacks %s", dg_rules[k].id);
	}
	free(doc);
}

/* ---- real labelled logs: the FIRST finding ------------------------- */

static void
test_labelled(void **state)
{
	static const struct {
		const char	*file, *rule, *evidence, *peer;
	} want[] = {
		{ "ike-debug-labelled/03-ikev2-initiator-ts-unacceptable.txt",
		    "P2-TS-INIT-V2", "TS_UNACCEPTABLE", "2.2.2.254" },
		{ "ike-debug-labelled/07-initiator-no-firewall-policy.txt",
		    "P1-NO-POLICY", "no policy configured", "2.2.2.254" },
		{ "ike-debug-labelled/10-ikev2-responder-p1-no-proposal-"
		    "chosen.txt", "P1-NO-PROPOSAL", "no proposal chosen",
		    "1.1.1.254" },
		{ "ike-debug-labelled/11-ikev2-initiator-network-"
		    "unreachable.txt", "P1-NO-ROUTE", "Network is unreachable",
		    "2.2.2.254" },
		{ "ike-debug-labelled/12-ikev2-initiator-child-rekey-no-"
		    "answer.txt", "P2-REKEY-FAIL", "RETRANSMIT_CREATE_CHILD",
		    "2.2.2.254" },
		{ "ike-debug-labelled/20-ikev2-initiator-passive-mode.txt",
		    "P1-PASSIVE", "gateway is in passive mode", "1.1.1.254" },
		{ "ike-debug-labelled/21-ikev2-responder-peer-id-gw-"
		    "validation-failed.txt", "P1-PEERID", "gw validation failed",
		    "1.1.1.254" },
		{ "ike-debug-labelled/22-ikev2-responder-psk-mismatch.txt",
		    "P1-PSK-V2", "probable pre-shared key mismatch",
		    "1.1.1.254" },
		{ "ike-debug-labelled/23-ikev1-aggressive-responder-"
		    "retransmit-timeout.txt", "P1-RETRANSMIT-TIMEOUT",
		    "P1_RETRANSMIT", "80.215.152.19" },
		{ "ike-debug-labelled/24-ikev2-initiator-natt-4500-"
		    "blocked.txt", "P1-NATT-4500-BLOCKED",
		    "RETRANSMIT_AUTH): 1.1.1.254:4500->2.2.2.254:4500",
		    "2.2.2.254" },
		{ "ike-debug-labelled/25-ikev1-xauth-local-user-denied-"
		    "timestamps.txt", "P1-XAUTH", "2025-01-15 08:27:17.648236: "
		    "XAUTH 799105187896 result FNBAM_DENIED", "10.21.4.174" },
		/*
		 * Excerpts of lvannstruth-ftnt/fgt-ike-debugger captures
		 * (IKE_LOG_V2_ph_2_TS_mismatch_responder.txt,
		 * IKE_LOG_DH_grouo_known_issue.txt, IKE_Log_cert_auth_fail.txt):
		 * hex dumps, wrapped VID lines and repeats left out, every
		 * other line verbatim and in order.
		 */
		{ "ike-debug-labelled/26-ikev2-responder-ts-failed-to-match-"
		    "excerpt.txt", "P2-TS-RESP-V2", "failed to match peer "
		    "selectors", "1.1.1.254" },
		{ "ike-debug-labelled/27-ikev1-aggressive-dh-group-loop-"
		    "excerpt.txt", "P1-DH-GROUP", "compute DH shared secret "
		    "request queued", "10.21.4.174" },
		{ "ike-debug-labelled/28-ikev2-responder-cert-group-mismatch-"
		    "excerpt.txt", "P1-CERT", "certificate validation failed",
		    "10.21.4.181" },
		/*
		 * Excerpt of IKE_LOG_V1_radius_not_reachable.txt (same
		 * repository): the RADIUS server never answers; fnbamd's
		 * timeouts are all there is before the capture ends.
		 */
		{ "ike-debug-labelled/29-ikev1-xauth-radius-not-reachable-"
		    "excerpt.txt", "P1-XAUTH", "__rad_conn_timeout-Connction "
		    "with labDC-radius:10.21.1.101 timed out.", "10.21.4.181" },
		/*
		 * Excerpt of IKE_LOG_V2_4500_responder.txt: the responder
		 * side of 24; NAT found, the AUTH on 4500 never comes.
		 */
		{ "ike-debug-labelled/32-ikev2-responder-natt-4500-blocked-"
		    "excerpt.txt", "P1-NATT-4500-BLOCKED", "NAT detected: ME",
		    "1.1.1.254" },
		/* Excerpt of IKE_LOG_V2_policy_not_found.txt: responder. */
		{ "ike-debug-labelled/33-ikev2-responder-no-policy-excerpt.txt",
		    "P1-NO-POLICY", "ignoring IKEv2 request, no policy "
		    "configured", "2.2.2.254" },
		/*
		 * Excerpt of IKE_LOG_pwd_psk_mismatch.txt: FortiClient gets
		 * our AUTH with the EAP request and never answers.
		 */
		{ "ike-debug-labelled/34-ikev2-eap-responder-client-drops-"
		    "after-auth-psk-excerpt.txt", "P1-PSK-V2",
		    "responder preparing EAP identity request", "10.21.4.174" },
		/*
		 * Excerpt of IKE_LOG_V1_ldap_PSK_Mismatch.txt: the client
		 * answers our aggressive reply with Informational notices.
		 */
		{ "ike-debug-labelled/35-ikev1-aggressive-responder-psk-"
		    "mismatch-excerpt.txt", "P1-PSK-V1", "IKEv1 exchange="
		    "Informational", "10.21.4.174" },
		/* Excerpt of IKE_LOG_PFS_mismatch.txt (same repository). */
		{ "ike-debug-labelled/31-ikev2-responder-child-pfs-mismatch-"
		    "excerpt.txt", "P2-PROPOSAL-PFS", "PFS is disabled",
		    "2.2.2.254" },
		/*
		 * Excerpt of IKE_LOG_pwd_radius_auth_fail.txt: IKEv2 EAP
		 * through RADIUS, challenged, then denied.
		 */
		{ "ike-debug-labelled/36-ikev2-eap-radius-denied-excerpt.txt",
		    "P1-XAUTH", "EAP 799105187849 result FNBAM_DENIED",
		    "10.21.4.174" },
		{ "ike-debug/01-ikev1-p1-no-proposal-chosen.txt",
		    "P1-NO-PROPOSAL", "no SA proposal chosen", "200.1.1.2" },
		{ "ike-debug/02-ikev1-aggressive-peer-id-mismatch.txt",
		    "P1-PEERID", "incorrect ID", "200.1.1.2" },
	};
	struct dg_findings	 fs;
	char			 rel[256];
	size_t			 i, k;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(rel, sizeof(rel), "real/%s", want[i].file);
		analyze_fixture(rel, &fs);
		want_top(&fs, want[i].file, want[i].rule);
		if (!ev_has(&fs.v[0], want[i].evidence))
			fail_msg("%s: no '%s' in the evidence", want[i].file,
			    want[i].evidence);
		tu_str(want[i].file, "peer", fs.v[0].peer, want[i].peer);
		/* One cause per log: the rest follows from it. */
		for (k = 1; k < fs.n; k++)
			assert_int_equal(fs.v[k].consequence, 1);
		dg_findings_free(&fs);
	}
}

/* What follows a cause is listed after it, as its consequence. */
static void
test_consequences(void **state)
{
	struct dg_findings	fs;

	analyze_fixture("real/ike-debug-labelled/11-ikev2-initiator-network-"
	    "unreachable.txt", &fs);
	assert_int_equal(fs.n, 2);
	assert_string_equal(fs.v[1].rule->id, "P1-RETRANSMIT-TIMEOUT");
	assert_int_equal(fs.v[1].consequence, 1);
	dg_findings_free(&fs);
	analyze_fixture("real/ike-debug-labelled/21-ikev2-responder-peer-id-"
	    "gw-validation-failed.txt", &fs);
	assert_int_equal(fs.n, 2);
	assert_string_equal(fs.v[1].rule->id, "IKE-STALE-SPI");
	dg_findings_free(&fs);
	analyze_fixture("real/ike-debug-labelled/24-ikev2-initiator-natt-"
	    "4500-blocked.txt", &fs);
	assert_int_equal(fs.n, 3);
	assert_string_equal(fs.v[2].rule->id, "INFO-NAT");
	assert_true(ev_has(&fs.v[2], "NAT detected: PEER"));
	dg_findings_free(&fs);
}

/* ---- the walk-through ---------------------------------------------- */

static void
test_walkthrough(void **state)
{
	struct dg_findings	 fs;
	const struct dg_finding	*f;
	struct json		 j;
	char			*buf, *out;
	size_t			 len, i;

	analyze_fixture("../../samples/walkthrough.txt", &fs);
	want_top(&fs, "walkthrough", "ST-P1-CONNECTING");
	f = &fs.v[0];
	assert_string_equal(f->tunnel, "to10.189.0.182");
	assert_string_equal(f->peer, "10.189.0.182");
	assert_string_equal(f->device, "FGT-BRANCH");
	assert_true(ev_has(f, "status: connecting, started 15s ago"));
	assert_true(ev_has(f, "selectors(total,up): 1/0"));
	/* 15 s: may still be negotiating, so a warning. */
	assert_int_equal(f->severity, DG_WARNING);
	assert_true(next_has(f, "trace",
	    "execute traceroute-options source 10.189.0.31"));
	assert_true(next_has(f, "trace", "execute traceroute 10.189.0.182"));
	assert_true(next_has(f, "sniff", "host 10.189.0.182 and (udp port 500"));
	/* No version in the paste: both log filter forms. */
	assert_true(next_has(f, "debug",
	    "diagnose vpn ike log-filter dst-addr4 10.189.0.182"));
	assert_true(next_has(f, "debug",
	    "diagnose vpn ike log filter rem-addr4 10.189.0.182"));
	assert_true(next_has(f, "debug", "diagnose debug application ike -1"));
	/* The healthy tunnel raises nothing (its tx errors need a delta). */
	for (i = 0; i < fs.n; i++)
		assert_string_equal(fs.v[i].tunnel, "to10.189.0.182");
	dg_findings_free(&fs);

	/* The JSON shape. */
	buf = tu_fixture("../../samples/walkthrough.txt", &len);
	json_init(&j, 0);
	(void)analyze_transcript(&j, buf, len);
	out = json_take(&j);
	tu_has(out, "\"findings\":[{\"rule\":\"ST-P1-CONNECTING\","
	    "\"severity\":\"warning\",\"title\":\"phase 1 is down "
	    "(connecting)\",\"device\":\"FGT-BRANCH\",\"vdom\":null,"
	    "\"tunnel\":\"to10.189.0.182\",\"peer\":\"10.189.0.182\","
	    "\"consequence\":false,\"evidence\":[", "findings shape");
	tu_has(out, "{\"action\":\"trace\",\"commands\":[\"execute "
	    "traceroute-options source 10.189.0.31\"", "next shape");
	free(out);
	free(buf);
}

/* ---- state rules ---------------------------------------------------- */

static struct dg_p2	p2one;

static void
base_tunnel(struct dg_tunnel *t)
{
	dg_tunnel_init(t);
	t->device = "FGT";
	t->name = "vpn1";
	t->peer = "203.0.113.5";
	t->local = "198.51.100.7";
	t->interface = "wan1";
	t->p1_status = "established";
	t->p1_for_s = 3600;
	t->sel_total = 1;
	t->sel_up = 1;
	memset(&p2one, 0, sizeof(p2one));
	p2one.name = "vpn1-p2";
	p2one.sa = 1;
	p2one.sa_for_s = PNUM_UNKNOWN;
	p2one.enc_delta = p2one.dec_delta = 50;
	t->p2 = &p2one;
	t->np2 = 1;
}

static void
one(const struct dg_tunnel *t, struct dg_findings *fs)
{
	dg_findings_init(fs);
	(void)diagnose_tunnel(t, fs);
	diagnose_sort(fs);
}

static void
test_state_rules(void **state)
{
	struct dg_tunnel	t;
	struct dg_findings	fs;

	base_tunnel(&t);
	one(&t, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);

	p2one.dec_delta = 0;
	one(&t, &fs);
	want_top(&fs, "enc only", "ST-ENC-NO-DEC");
	assert_true(ev_has(&fs.v[0], "50 packets encrypted, 0 decrypted"));
	dg_findings_free(&fs);

	base_tunnel(&t);
	p2one.enc_delta = 0;
	one(&t, &fs);
	want_top(&fs, "dec only", "ST-DEC-NO-ENC");
	assert_true(next_has(&fs.v[0], NULL, "diagnose debug flow"));
	dg_findings_free(&fs);

	base_tunnel(&t);
	t.tx_pkt = 69;
	t.tx_err = 2;
	t.tx_err_delta = 2;
	one(&t, &fs);
	want_top(&fs, "tx errors", "ST-TXERR");
	assert_true(ev_has(&fs.v[0], "tx(pkt,err): 69/2"));
	dg_findings_free(&fs);

	base_tunnel(&t);
	p2one.sa = 2;
	p2one.sa_for_s = 10;
	one(&t, &fs);
	assert_int_equal(fs.n, 0);	/* a rekey in progress */
	dg_findings_free(&fs);
	p2one.sa_for_s = 120;
	one(&t, &fs);
	want_top(&fs, "sa=2 stuck", "ST-P2-SA2");
	assert_string_equal(diagnose_severity_name(fs.v[0].severity),
	    "warning");
	dg_findings_free(&fs);

	base_tunnel(&t);
	t.p1_restarts_1h = 7;
	one(&t, &fs);
	want_top(&fs, "flap", "ST-FLAP");
	dg_findings_free(&fs);

	base_tunnel(&t);
	t.route_remote = 0;
	t.remote_host = "10.20.0.1";
	t.route_remote_if = "wan1";
	one(&t, &fs);
	want_top(&fs, "remote route", "RT-NO-ROUTE-REMOTE");
	assert_true(next_has(&fs.v[0], "route",
	    "routing-table details 10.20.0.1"));
	dg_findings_free(&fs);

	/* Phase 1 down: route first, then connecting, then selectors. */
	base_tunnel(&t);
	t.p1_status = "connecting";
	t.p1_for_s = 95;
	t.sel_up = 0;
	p2one.sa = 0;
	t.route_peer = 1;
	t.route_peer_if = "wan2";
	one(&t, &fs);
	want_top(&fs, "wrong egress", "RT-NO-ROUTE-PEER");
	assert_true(ev_has(&fs.v[0], "leaves on wan2, phase 1 is on wan1"));
	assert_int_equal(fs.n, 3);
	assert_string_equal(fs.v[1].rule->id, "ST-P1-CONNECTING");
	assert_int_equal(fs.v[1].severity, DG_CRITICAL);
	assert_string_equal(fs.v[2].rule->id, "ST-SEL-DOWN");
	dg_findings_free(&fs);

	/* The sniffer sees only our packets. */
	t.route_peer = 1;
	t.route_peer_if = "wan1";
	t.sniff_out = 6;
	t.sniff_in = 0;
	one(&t, &fs);
	want_top(&fs, "sniffer one way", "ST-P1-SILENT-PEER");
	assert_true(ev_has(&fs.v[0], "6 packets to the peer, 0 from it"));
	dg_findings_free(&fs);
}

/* The IKE debug start follows the FortiOS version. */
static void
test_debug_version(void **state)
{
	struct dg_tunnel	t;
	struct dg_findings	fs;

	base_tunnel(&t);
	t.p1_status = "connecting";
	t.fos_major = 7;
	t.fos_minor = 2;
	t.fos_patch = 8;
	one(&t, &fs);
	assert_true(next_has(&fs.v[0], "debug",
	    "diagnose vpn ike log-filter dst-addr4 203.0.113.5"));
	assert_false(next_has(&fs.v[0], "debug", "log filter rem-addr4"));
	dg_findings_free(&fs);
	t.fos_minor = 4;
	t.fos_patch = 1;
	one(&t, &fs);
	assert_true(next_has(&fs.v[0], "debug",
	    "diagnose vpn ike log filter rem-addr4 203.0.113.5"));
	assert_false(next_has(&fs.v[0], "debug", "log-filter"));
	dg_findings_free(&fs);
	t.fos_patch = 0;	/* 7.4.0 varies: both */
	one(&t, &fs);
	assert_true(next_has(&fs.v[0], "debug", "log-filter dst-addr4"));
	assert_true(next_has(&fs.v[0], "debug", "log filter rem-addr4"));
	dg_findings_free(&fs);
}

/* Real summary with a tunnel down and nothing else pasted. */
static void
test_real_state(void **state)
{
	struct dg_findings	fs;

	analyze_fixture("real/tunnel-summary/05-hostname-prompt-down-tunnel-"
	    "single-space.txt", &fs);
	want_top(&fs, "summary 1/0", "ST-SEL-DOWN");
	assert_int_equal(fs.v[0].severity, DG_CRITICAL);
	assert_string_equal(fs.v[0].tunnel, "IPSEC_TUN_01");
	dg_findings_free(&fs);
	/* Four dial-up children up: nothing. */
	analyze_fixture("real/tunnel-summary/01-advpn-hub-4-dialup-"
	    "children.txt", &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	/* A rekey with two SAs (sa=2) for an unknown time: nothing. */
	analyze_fixture("real/tunnel-list/06-fortios723-rekey-sa2-two-"
	    "sas.txt", &fs);
	want_quiet(&fs, "rekey sa=2");
	dg_findings_free(&fs);
}

/* ---- several-line signatures, constructed and real ------------------ */

static void
debug_findings(const char *rel, const char *text, struct dg_tunnel *t,
    struct dg_findings *fs)
{
	struct ike_debug	 *d;
	const struct ike_event	**ev;
	char			 *buf = NULL;
	size_t			  len, i;

	if (rel != NULL)
		buf = tu_fixture(rel, &len);
	else
		len = strlen(text);
	assert_non_null(d = ike_debug_parse(buf ? buf : text, len));
	ev = calloc(d->nevents + 1, sizeof(*ev));
	for (i = 0; i < d->nevents; i++)
		ev[i] = &d->events[i];
	t->dbg = ev;
	t->ndbg = d->nevents;
	one(t, fs);
	free(ev);
	t->dbg = NULL;
	t->ndbg = 0;
	ike_debug_free(d);
	free(buf);
}

static void
test_signatures(void **state)
{
	struct dg_tunnel	t;
	struct dg_findings	fs;

	/* Real main-mode no-proposal at a gateway set to IKEv2. */
	dg_tunnel_init(&t);
	t.name = "VPN-to-SH";
	t.peer = "200.1.1.2";
	t.ike_version = 2;
	debug_findings("real/ike-debug/01-ikev1-p1-no-proposal-chosen.txt",
	    NULL, &t, &fs);
	want_top(&fs, "v1 at a v2 gateway", "P1-MODE-MISMATCH");
	assert_true(ev_has(&fs.v[0], "IKEv1 exchange=Identity Protection"));
	assert_string_equal(fs.v[1].rule->id, "P1-NO-PROPOSAL");
	assert_int_equal(fs.v[1].consequence, 1);
	dg_findings_free(&fs);
	/* The same at an IKEv1 aggressive-mode gateway: main mode came. */
	t.ike_version = 1;
	t.p1_mode = "aggressive";
	debug_findings("real/ike-debug/01-ikev1-p1-no-proposal-chosen.txt",
	    NULL, &t, &fs);
	want_top(&fs, "main at aggressive", "P1-MODE-MISMATCH");
	dg_findings_free(&fs);
	t.p1_mode = "main";
	debug_findings("real/ike-debug/01-ikev1-p1-no-proposal-chosen.txt",
	    NULL, &t, &fs);
	want_top(&fs, "main at main", "P1-NO-PROPOSAL");
	dg_findings_free(&fs);

	/* Real PSK failure, but on the gateway another tunnel expected. */
	dg_tunnel_init(&t);
	t.name = "dial-branch";
	t.peer = "1.1.1.254";
	debug_findings("real/ike-debug-labelled/22-ikev2-responder-psk-"
	    "mismatch.txt", NULL, &t, &fs);
	want_top(&fs, "wrong dial-up gateway", "P1-DIALUP-WRONG-GW");
	assert_true(ev_has(&fs.v[0], "matched gateway eveS2S"));
	dg_findings_free(&fs);
	t.name = "eveS2S";
	debug_findings("real/ike-debug-labelled/22-ikev2-responder-psk-"
	    "mismatch.txt", NULL, &t, &fs);
	want_top(&fs, "its own gateway", "P1-PSK-V2");
	dg_findings_free(&fs);

	/* Real network-id 100 against a gateway with network-id 7. */
	dg_tunnel_init(&t);
	t.peer = "1.1.1.254";
	t.network_id = 7;
	debug_findings("real/ike-debug-labelled/10-ikev2-responder-p1-no-"
	    "proposal-chosen.txt", NULL, &t, &fs);
	want_top(&fs, "network-id", "P1-NETWORK-ID");
	assert_true(ev_has(&fs.v[0], "NETWORK ID : 100"));
	dg_findings_free(&fs);
	t.network_id = 100;
	debug_findings("real/ike-debug-labelled/10-ikev2-responder-p1-no-"
	    "proposal-chosen.txt", NULL, &t, &fs);
	want_top(&fs, "same network-id", "P1-NO-PROPOSAL");
	dg_findings_free(&fs);

	/* Constructed: aggressive mode, DH computation never completes. */
	dg_tunnel_init(&t);
	debug_findings(NULL,
	    "ike 0: comes 10.0.0.9:500->10.0.0.1:500,ifindex=5....\n"
	    "ike 0: IKEv1 exchange=Aggressive id=1111111111111111/"
	    "0000000000000000 len=500\n"
	    "ike 0:dial:1: SA proposal chosen, matched gateway dial\n"
	    "ike 0:dial:1: compute DH shared secret request queued\n"
	    "ike 0:dial:1: compute DH shared secret request queued\n"
	    "ike 0:dial:1: compute DH shared secret request queued\n",
	    &t, &fs);
	want_top(&fs, "DH group", "P1-DH-GROUP");
	assert_true(fs.v[0].rule->unverified);
	dg_findings_free(&fs);

	/* Constructed: SA_INIT answered, a 1788-byte AUTH never is. */
	dg_tunnel_init(&t);
	debug_findings(NULL,
	    "ike 0:gw:7: sent IKE msg (SA_INIT): 10.0.0.1:500->10.0.0.9:500, "
	    "len=600\n"
	    "ike 0: comes 10.0.0.9:500->10.0.0.1:500,ifindex=5,vrf=0,len=400"
	    "....\n"
	    "ike 0:gw:7: sent IKE msg (AUTH): 10.0.0.1:500->10.0.0.9:500, "
	    "len=1788\n"
	    "ike 0:gw:7: sent IKE msg (RETRANSMIT_AUTH): 10.0.0.1:500->"
	    "10.0.0.9:500, len=1788\n"
	    "ike 0:gw:7: sent IKE msg (RETRANSMIT_AUTH): 10.0.0.1:500->"
	    "10.0.0.9:500, len=1788\n"
	    "ike 0:gw:7: negotiation timeout, deleting\n", &t, &fs);
	want_top(&fs, "fragmentation", "P1-IKE-FRAG");
	dg_findings_free(&fs);

	/*
	 * Constructed from real lines: the capture starts with the end of
	 * an earlier attempt (a consequence); the cause is the next line.
	 */
	dg_tunnel_init(&t);
	debug_findings(NULL,
	    "ike V=root:0:to-FG2:4920: negotiation timeout, deleting\n"
	    "ike V=root:0:to-FG2: connection expiring due to phase1 down\n"
	    "ike V=root:0:to-FG2:4921: could not send IKE Packet(SA_INIT):"
	    "1.1.1.254:500->2.2.2.254:500, len=597, vrf=0: error 101:Network "
	    "is unreachable\n", &t, &fs);
	want_top(&fs, "late capture", "P1-NO-ROUTE");
	assert_string_equal(fs.v[1].rule->id, "P1-RETRANSMIT-TIMEOUT");
	assert_int_equal(fs.v[1].consequence, 1);
	dg_findings_free(&fs);

	/* Constructed: IKEv1 DPD probes without an ACK, then with. */
	dg_tunnel_init(&t);
	debug_findings(NULL,
	    "ike 0:vpn:12: link is idle 5 10.0.0.1->10.0.0.9:0 dpd=1 "
	    "seqno=9 rr=0\n"
	    "ike 0:vpn:12: send IKEv1 DPD probe, seqno 9\n"
	    "ike 0:vpn:12: sent IKE msg (R-U-THERE): 10.0.0.1:500->"
	    "10.0.0.9:500, len=92\n"
	    "ike 0:vpn:12: send IKEv1 DPD probe, seqno 10\n"
	    "ike 0:vpn:12: sent IKE msg (R-U-THERE): 10.0.0.1:500->"
	    "10.0.0.9:500, len=92\n", &t, &fs);
	want_top(&fs, "DPD v1", "DPD-V1-FAIL");
	dg_findings_free(&fs);
	debug_findings(NULL,
	    "ike 0:vpn:12: send IKEv1 DPD probe, seqno 9\n"
	    "ike 0: comes 10.0.0.9:500->10.0.0.1:500,ifindex=5....\n"
	    "ike 0:vpn:12: notify msg received: R-U-THERE-ACK\n"
	    "ike 0:vpn:12: send IKEv1 DPD probe, seqno 10\n"
	    "ike 0:vpn:12: notify msg received: R-U-THERE-ACK\n", &t, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
}

/* A RADIUS/LDAP server that fails: the real XAUTH log, fnbamd erroring. */
static void
test_xauth_timeout(void **state)
{
	struct dg_tunnel	 t;
	struct dg_findings	 fs;
	char			*buf, *p;
	size_t			 len;

	buf = tu_fixture("real/ike-debug-labelled/25-ikev1-xauth-local-user-"
	    "denied-timestamps.txt", &len);
	assert_non_null(p = strstr(buf, "FNBAM_DENIED"));
	/* The same length: the server errored instead of denying. */
	memcpy(p, "FNBAM_ERROR ", 12);
	dg_tunnel_init(&t);
	debug_findings(NULL, buf, &t, &fs);
	want_top(&fs, "xauth server", "P1-XAUTH");
	assert_true(ev_has(&fs.v[0], "FNBAM_ERROR"));
	assert_true(next_has(&fs.v[0], NULL, "diagnose test authserver radius"));
	dg_findings_free(&fs);
	free(buf);
}

/* ---- success markers and negatives ---------------------------------- */

static void
test_negatives(void **state)
{
	static const char noise[] =
	    "ike :shrank heap by 126976 bytes\n"
	    "ike 0:to-FG2:5293: out FF\n"
	    "ike V=root:0:to-FG2: NAT keep-alive 6 1.1.1.254->2.2.2.254:4500.\n"
	    "0D1269F1E87C45D7FB94B8B67EAED2692E20240800000\n";
	static const char natonly[] =
	    "ike V=root:0:to-FG2:4922: NAT detected: PEER\n"
	    "ike V=root:0:to-FG2:4922: detected NAT\n"
	    "ike V=root:0:to-FG2:4922: NAT-T float port 4500\n"
	    "ike V=root:0:to-FG2:4922: selected NAT-T version: RFC 3947\n";
	/* One lost AUTH, then the answer (the capture ends): no failure. */
	static const char oneretx[] =
	    "ike V=root:0:to-FG2:4922: sent IKE msg (RETRANSMIT_AUTH): "
	    "1.1.1.254:4500->2.2.2.254:4500, len=272\n"
	    "ike V=root:0: comes 2.2.2.254:4500->1.1.1.254:4500,ifindex=6....\n"
	    "ike V=root:0: IKEv2 exchange=AUTH_RESPONSE id=b7a3ea0b1497423a/"
	    "84db0bbd6640a4ad:00000001 len=224\n";
	struct dg_findings	 fs;
	char			*buf, *cut;
	size_t			 len;

	analyze_fixture("real/ike-debug-labelled/15-ikev2-responder-success-"
	    "added-ipsec-sa.txt", &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	/* Real XAUTH through RADIUS that works, DPD idle line included. */
	analyze_fixture("real/ike-debug-labelled/30-ikev1-xauth-radius-"
	    "success-excerpt.txt", &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	/* The peer's R-U-THERE and our ACK are not unanswered probes. */
	analyze_fixture("real/ike-debug-labelled/29-ikev1-xauth-radius-not-"
	    "reachable-excerpt.txt", &fs);
	assert_int_equal(fs.n, 1);
	dg_findings_free(&fs);
	analyze_text(noise, sizeof(noise) - 1, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	analyze_text(natonly, sizeof(natonly) - 1, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	analyze_text(oneretx, sizeof(oneretx) - 1, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);

	/* The real rekey log up to the CREATE_CHILD request: a healthy rekey. */
	buf = tu_fixture("real/ike-debug-labelled/12-ikev2-initiator-child-"
	    "rekey-no-answer.txt", &len);
	assert_non_null(cut = strstr(buf, "sent IKE msg (RETRANSMIT_CREATE"));
	analyze_text(buf, cut - buf, &fs);
	want_quiet(&fs, "rekey start");
	dg_findings_free(&fs);
	free(buf);

	/*
	 * The user tries again and passes: the real denied XAUTH, then the
	 * result line of the real RADIUS capture's form, for this gateway.
	 */
	buf = tu_fixture("real/ike-debug-labelled/25-ikev1-xauth-local-user-"
	    "denied-timestamps.txt", &len);
	buf = realloc(buf, len + 128);
	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, 128, "\n2025-01-15 08:28:30.000000 "
	    "ike V=root:0:ra-ikev1_0:35392: XAUTH 799105187897 result "
	    "FNBAM_SUCCESS\n");
	analyze_text(buf, len, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	free(buf);

	/* A later success clears the real no-route failure. */
	buf = tu_fixture("real/ike-debug-labelled/11-ikev2-initiator-network-"
	    "unreachable.txt", &len);
	buf = realloc(buf, len + 128);
	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, 128, "\nike V=root:0:to-FG2:9: "
	    "established IKE SA 0123456789abcdef/fedcba9876543210\n");
	analyze_text(buf, len, &fs);
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	free(buf);
}

/* ---- the parser's exchange and reaction classes on real lines -------- */

static const struct ike_event *
event_with(const struct ike_debug *d, const char *text, size_t nth)
{
	size_t	i;

	for (i = 0; i < d->nevents; i++)
		if (d->events[i].text != NULL &&
		    strstr(d->events[i].text, text) != NULL && nth-- == 0)
			return (&d->events[i]);
	fail_msg("no event '%s'", text);
	return (NULL);
}

static void
test_line_classes(void **state)
{
	static const struct {
		const char	*file, *text;
		size_t		 nth;
		const char	*phase, *reaction;
	} want[] = {
		{ "24-ikev2-initiator-natt-4500-blocked.txt",
		    "sent IKE msg (SA_INIT)", 0, "phase1", NULL },
		{ "24-ikev2-initiator-natt-4500-blocked.txt",
		    "sent IKE msg (RETRANSMIT_AUTH)", 0, "phase1", NULL },
		{ "24-ikev2-initiator-natt-4500-blocked.txt",
		    "negotiation timeout", 0, NULL, "consequence" },
		{ "12-ikev2-initiator-child-rekey-no-answer.txt",
		    "rekey in progress", 0, "phase2", NULL },
		{ "12-ikev2-initiator-child-rekey-no-answer.txt",
		    "RETRANSMIT_CREATE_CHILD", 0, "phase2", NULL },
		{ "03-ikev2-initiator-ts-unacceptable.txt",
		    "TS_UNACCEPTABLE", 0, "phase2", NULL },
		{ "26-ikev2-responder-ts-failed-to-match-excerpt.txt",
		    "failed to match peer selectors", 0, "phase2", NULL },
		/* The peer re-sent its first message; we answer it. */
		{ "23-ikev1-aggressive-responder-retransmit-timeout.txt",
		    "retransmission, re-send last message", 0, NULL, "answer" },
		{ "23-ikev1-aggressive-responder-retransmit-timeout.txt",
		    "sent IKE msg (retransmit)", 0, NULL, "answer" },
		{ "23-ikev1-aggressive-responder-retransmit-timeout.txt",
		    "sent IKE msg (P1_RETRANSMIT)", 0, "phase1", NULL },
		{ "22-ikev2-responder-psk-mismatch.txt",
		    "connection expiring due to phase1 down", 0, NULL,
		    "consequence" },
		{ "22-ikev2-responder-psk-mismatch.txt",
		    "invalid IKE request SPI", 0, NULL, "consequence" },
		{ "22-ikev2-responder-psk-mismatch.txt",
		    "PSK auth failed", 0, NULL, NULL },
		{ "29-ikev1-xauth-radius-not-reachable-excerpt.txt",
		    "sent IKE msg (R-U-THERE-ACK)", 0, NULL, "answer" },
	};
	struct ike_debug	*d;
	const struct ike_event	*e;
	char			 rel[256], *buf;
	size_t			 i, len;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(rel, sizeof(rel), "real/ike-debug-labelled/%s",
		    want[i].file);
		buf = tu_fixture(rel, &len);
		assert_non_null(d = ike_debug_parse(buf, len));
		e = event_with(d, want[i].text, want[i].nth);
		if (want[i].phase != NULL)
			tu_str(want[i].text, "phase", ike_phase_name(e->phase),
			    want[i].phase);
		tu_str(want[i].text, "reaction",
		    ike_reaction_name(e->reaction), want[i].reaction);
		ike_debug_free(d);
		free(buf);
	}
	/* `no SA proposal chosen` under a cookie: its SA's main mode. */
	buf = tu_fixture("real/ike-debug/01-ikev1-p1-no-proposal-chosen.txt",
	    &len);
	assert_non_null(d = ike_debug_parse(buf, len));
	e = event_with(d, "no SA proposal chosen", 0);
	tu_str("no SA proposal chosen", "phase", ike_phase_name(e->phase),
	    "phase1");
	assert_int_equal(e->phase_inferred, 1);
	ike_debug_free(d);
	free(buf);
}

/* Device text reaches a person's terminal only sanitized. */
static void
test_text_safe(void **state)
{
	static const char hostile[] =
	    "ike 0:gw:1: no proposal chosen \033]52;c;QUFB\007 \033[2J"
	    "\233 \r end\n";
	struct dg_tunnel	 t;
	struct dg_findings	 fs;
	char			*txt;

	/* Straight from the parser, as the live debug pane feeds it. */
	dg_tunnel_init(&t);
	debug_findings(NULL, hostile, &t, &fs);
	want_top(&fs, "hostile", "P1-NO-PROPOSAL");
	assert_true(ev_has(&fs.v[0], "\033"));
	txt = diagnose_text(&fs);
	assert_null(strchr(txt, '\033'));
	assert_null(strchr(txt, '\r'));
	assert_null(strchr(txt, '\007'));
	assert_null(memchr(txt, 0x9b, strlen(txt)));
	tu_has(txt, "no proposal chosen", "the message survives");
	free(txt);
	dg_findings_free(&fs);
}

/* ---- the live engine's model --------------------------------------- */

static void
model_round_at(struct mdev *d, struct mvdom *v, const char *sum,
    const char *gw, const char *tl, double now, double lists)
{
	struct tunnel_summary	*ts;
	struct ike_gateway_list	*ig;
	struct tunnel_list	*tls;
	char			*b;
	size_t			 n;

	model_round_begin(d);
	b = tu_fixture(sum, &n);
	assert_non_null(ts = tunnel_summary_parse(b, n));
	model_merge_summary(v, ts, 1, now);
	tunnel_summary_free(ts);
	free(b);
	b = tu_fixture(gw, &n);
	assert_non_null(ig = ike_gateway_list_parse(b, n));
	model_merge_gateways(v, ig, 0, lists);
	ike_gateway_list_free(ig);
	free(b);
	b = tu_fixture(tl, &n);
	assert_non_null(tls = tunnel_list_parse(b, n));
	model_merge_tunnels(v, tls, 0, lists);
	tunnel_list_free(tls);
	free(b);
	model_round_end(d, lists, 10);
}

/* One round, the lists read at the summary's time. */
static void
model_round(struct mdev *d, struct mvdom *v, const char *sum,
    const char *gw, const char *tl, double now)
{
	model_round_at(d, v, sum, gw, tl, now, now);
}

/* The walk-through's outputs polled into the model, as the engine does. */
static void
test_model_walkthrough(void **state)
{
	struct model			*m = model_new();
	struct mdev			*d = model_add_device(m, "branch", NULL,
					    0);
	struct mvdom			*v = model_vdom(d, "root");
	struct mtun			*t;
	const struct dg_findings	*fs;
	struct json			 j;
	char				*out;

	model_round(d, v, "real/tunnel-summary/00-walkthrough-jp-blog-2-"
	    "tunnels-one-down.txt", "real/ike-gateway-list/00-walkthrough-jp-"
	    "blog-ikev1-responder-connecting.txt", "real/tunnel-list/00-"
	    "walkthrough-jp-blog-by-name-sa0.txt", 1000);
	assert_non_null(t = model_tunnel(v, "to10.189.0.182"));
	assert_int_equal(diagnose_model_tunnel(t, 1000, NULL, 0), 2);
	assert_non_null(fs = diagnose_model_findings(t));
	want_top(fs, "model walk-through", "ST-P1-CONNECTING");
	/* `created: 15s ago` at the first poll: still a warning. */
	assert_int_equal(fs->v[0].severity, DG_WARNING);
	assert_true(ev_has(&fs->v[0], "started 15s ago"));
	assert_true(next_has(&fs->v[0], "trace",
	    "execute traceroute-options source 10.189.0.31"));
	/* A minute later, still connecting: phase 1 is down. */
	model_round(d, v, "real/tunnel-summary/00-walkthrough-jp-blog-2-"
	    "tunnels-one-down.txt", "real/ike-gateway-list/00-walkthrough-jp-"
	    "blog-ikev1-responder-connecting.txt", "real/tunnel-list/00-"
	    "walkthrough-jp-blog-by-name-sa0.txt", 1060);
	assert_non_null(t = model_tunnel(v, "to10.189.0.182"));
	(void)diagnose_model_tunnel(t, 1060, NULL, 0);
	fs = diagnose_model_findings(t);
	want_top(fs, "model walk-through later", "ST-P1-CONNECTING");
	assert_int_equal(fs->v[0].severity, DG_CRITICAL);
	/* The same shape as analyze's findings. */
	json_init(&j, 0);
	diagnose_model_json(&j, t);
	out = json_take(&j);
	tu_has(out, "[{\"rule\":\"ST-P1-CONNECTING\",\"severity\":"
	    "\"critical\",", "model findings JSON");
	free(out);
	/* The healthy tunnel: nothing, and an empty array. */
	assert_non_null(t = model_tunnel(v, "to10.174.0.182"));
	assert_int_equal(diagnose_model_tunnel(t, 1060, NULL, 0), 0);
	json_init(&j, 0);
	diagnose_model_json(&j, t);
	out = json_take(&j);
	assert_string_equal(out, "[]");
	free(out);
	model_free(m);
}

/*
 * diagnose_settled: once it says 1, only the seconds in the evidence
 * change with time (the engine skips such tunnels in summary-only
 * rounds); before, the verdict still moves.
 */
static void
test_settled(void **state)
{
	static const pnum	 ages[] = { 0, 10, 29, 30, 45, 600 };
	struct dg_tunnel	 t;
	struct dg_p2		 p2;
	struct dg_findings	 fs;
	enum dg_severity	 late;
	size_t			 i;

	(void)state;
	dg_tunnel_init(&t);
	t.name = "to-dc";
	t.peer = "203.0.113.9";
	t.p1_status = "connecting";
	t.p1_for_s = 600;
	dg_findings_init(&fs);
	diagnose_tunnel(&t, &fs);
	want_top(&fs, "connecting 600 s", "ST-P1-CONNECTING");
	late = fs.v[0].severity;
	assert_int_equal(late, DG_CRITICAL);
	dg_findings_free(&fs);
	for (i = 0; i < sizeof(ages) / sizeof(ages[0]); i++) {
		t.p1_for_s = ages[i];
		assert_int_equal(diagnose_settled(&t), ages[i] >= 30);
		dg_findings_init(&fs);
		diagnose_tunnel(&t, &fs);
		want_top(&fs, "connecting", "ST-P1-CONNECTING");
		/* Settled: the verdict of ten minutes later. */
		assert_int_equal(fs.v[0].severity == late, ages[i] >= 30);
		dg_findings_free(&fs);
	}
	t.p1_for_s = PNUM_UNKNOWN;
	assert_int_equal(diagnose_settled(&t), 0);
	/* sa=2 is a finding after 30 s: unsettled until then. */
	dg_tunnel_init(&t);
	t.p1_status = "established";
	t.p1_for_s = 3600;
	memset(&p2, 0, sizeof(p2));
	p2.name = "to-dc";
	p2.sa = 2;
	p2.sa_for_s = 12;
	t.p2 = &p2;
	t.np2 = 1;
	assert_int_equal(diagnose_settled(&t), 0);
	p2.sa_for_s = 30;
	assert_int_equal(diagnose_settled(&t), 0);
	p2.sa_for_s = 31;
	assert_int_equal(diagnose_settled(&t), 1);
	p2.sa = 1;
	p2.sa_for_s = 5;
	assert_int_equal(diagnose_settled(&t), 1);
}

/* The verdicts of a diagnosis: rule, severity and consequence each. */
static char *
verdicts(const struct dg_tunnel *t)
{
	struct dg_findings	 fs;
	char			*out = NULL, *p;
	size_t			 i;

	one(t, &fs);
	for (i = 0; i < fs.n; i++) {
		if (asprintf(&p, "%s%s/%d/%d ", out != NULL ? out : "",
		    fs.v[i].rule->id, (int)fs.v[i].severity,
		    fs.v[i].consequence) < 0)
			fail();
		free(out);
		out = p;
	}
	dg_findings_free(&fs);
	return (out != NULL ? out : strdup("-"));
}

/*
 * diagnose_fingerprint: over many variations of a tunnel, any two that
 * are settled and hash the same get the same verdicts (so the engine
 * may keep findings while the fingerprint holds), and what moves a
 * verdict moves the fingerprint.
 */
static void
test_fingerprint(void **state)
{
	static const char *const p1[] = { "established", "connecting", NULL };
	static const pnum	 age[] = { 3600, 45 };
	static const pnum	 selup[] = { 1, 0 };
	static const pnum	 enc[] = { 0, 1, 2, 3, 50, PNUM_UNKNOWN };
	static const pnum	 dec[] = { 0, 2, 50 };
	static const pnum	 txerr[] = { 0, 4 };
	static const pnum	 total[] = { 10, 99999 };
	static const pnum	 dpd[][4] = { { PNUM_UNKNOWN, PNUM_UNKNOWN,
	    PNUM_UNKNOWN, PNUM_UNKNOWN }, { 10, 5, 3, 3 }, { 10, 5, 4, 3 },
	    { 12, 7, 3, 3 } };
	static const pnum	 sas[][2] = { { 3, 0 }, { 3, 1 }, { 7, 0 } };
	struct seen {
		uint64_t	 fp;
		char		*v;
	}			*seen;
	struct dg_tunnel	 t;
	size_t			 a, b, c, d, e, f, g, h, k, n = 0, i, same = 0;
	uint64_t		 fp;
	char			*v;

	(void)state;
	seen = calloc(3 * 2 * 2 * 6 * 3 * 2 * 2 * 4 * 3, sizeof(*seen));
	assert_non_null(seen);
	for (a = 0; a < 3; a++) for (b = 0; b < 2; b++) for (c = 0; c < 2; c++)
	for (d = 0; d < 6; d++) for (e = 0; e < 3; e++) for (f = 0; f < 2; f++)
	for (g = 0; g < 2; g++) for (h = 0; h < 4; h++) for (k = 0; k < 3; k++) {
		base_tunnel(&t);
		t.p1_status = p1[a];
		t.p1_for_s = age[b];
		t.sel_up = selup[c];
		p2one.enc_delta = enc[d];
		p2one.dec_delta = dec[e];
		p2one.sa_for_s = age[b];
		t.tx_err_delta = txerr[f];
		t.rx_pkt = t.tx_pkt = p2one.enc_pkts = total[g];
		t.dpd_sent = dpd[h][0];
		t.dpd_sent_prev = dpd[h][1];
		t.dpd_recv = dpd[h][2];
		t.dpd_recv_prev = dpd[h][3];
		t.ike_created = sas[k][0];
		t.ike_established = sas[k][1];
		if (!diagnose_settled(&t))
			continue;
		fp = diagnose_fingerprint(&t);
		v = verdicts(&t);
		for (i = 0; i < n && seen[i].fp != fp; i++)
			;
		if (i < n) {
			same++;
			if (strcmp(seen[i].v, v) != 0)
				fail_msg("same fingerprint, other verdicts:\n"
				    "  %s\n  %s", seen[i].v, v);
			free(v);
		} else {
			seen[n].fp = fp;
			seen[n++].v = v;
		}
	}
	/* The clocks and totals varied under equal fingerprints. */
	tu_assert_cmp(same, >, n);
	for (i = 0; i < n; i++)
		free(seen[i].v);
	free(seen);

	/* Each of these moves a verdict, and the fingerprint with it. */
	base_tunnel(&t);
	fp = diagnose_fingerprint(&t);
	t.sel_up = 0;
	assert_int_not_equal(diagnose_fingerprint(&t), fp);
	base_tunnel(&t);
	p2one.enc_delta = 0;
	assert_int_not_equal(diagnose_fingerprint(&t), fp);
	base_tunnel(&t);
	p2one.sa = 0;
	assert_int_not_equal(diagnose_fingerprint(&t), fp);
	base_tunnel(&t);
	t.peer = "203.0.113.6";
	assert_int_not_equal(diagnose_fingerprint(&t), fp);
	/* And these do not: the clock, the totals, more of the same. */
	base_tunnel(&t);
	t.p1_for_s = 7200;
	t.rx_pkt = 123456;
	p2one.enc_delta = 5000;
	assert_int_equal(diagnose_fingerprint(&t), fp);
}

/*
 * diagnose_model_current: a tunnel's findings stand while its input
 * holds and it is settled, for at most two minutes.
 */
static void
test_model_current(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "branch", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*t;

	(void)state;
	/* The lists come two seconds after the summary first showed it. */
	model_round_at(d, v, "real/tunnel-summary/00-walkthrough-jp-blog-2-"
	    "tunnels-one-down.txt", "real/ike-gateway-list/00-walkthrough-jp-"
	    "blog-ikev1-responder-connecting.txt", "real/tunnel-list/00-"
	    "walkthrough-jp-blog-by-name-sa0.txt", 998, 1000);
	assert_non_null(t = model_tunnel(v, "to10.189.0.182"));
	assert_int_equal(diagnose_model_current(t, 1000), 0);	/* none */
	(void)diagnose_model_tunnel(t, 1000, NULL, 0);
	/*
	 * Connecting for 15 s by the gateway's age, though fgtop saw the
	 * status first only now: the verdict still moves with time.
	 */
	assert_true(ev_has(&diagnose_model_findings(t)->v[0],
	    "started 15s ago"));
	assert_int_equal(diagnose_model_current(t, 1001), 0);
	(void)diagnose_model_tunnel(t, 1060, NULL, 0);
	assert_int_equal(diagnose_model_current(t, 1061), 1);
	assert_int_equal(diagnose_model_current(t, 1179), 1);
	assert_int_equal(diagnose_model_current(t, 1180), 0);	/* refresh */
	/* The input moved: a selector came up. */
	t->selectors_up = 1;
	assert_int_equal(diagnose_model_current(t, 1061), 0);
	t->selectors_up = 0;
	assert_int_equal(diagnose_model_current(t, 1061), 1);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_doc),
		cmocka_unit_test(test_labelled),
		cmocka_unit_test(test_consequences),
		cmocka_unit_test(test_walkthrough),
		cmocka_unit_test(test_state_rules),
		cmocka_unit_test(test_debug_version),
		cmocka_unit_test(test_real_state),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_xauth_timeout),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_line_classes),
		cmocka_unit_test(test_text_safe),
		cmocka_unit_test(test_model_walkthrough),
		cmocka_unit_test(test_settled),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_model_current),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
