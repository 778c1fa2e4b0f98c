/* SPDX-License-Identifier: ISC */
/*
 * test_diagnose_faults - every faults.scn tunnel gets the right top
 * finding from what fgtsim's device model renders, in process: two polls
 * of the summary, gateway list and tunnel list ten seconds apart, the
 * route lookup for the peer, the IKE debug filtered on the tunnel, all
 * pasted into one transcript and read by `fgtop analyze`'s code (the
 * same dg_tunnel mapping the engine documents in src/diagnose.h).
 */
#include "config.h"

/* Writes with src/json.h: see testutil.h. */
#define TU_NO_JANSSON

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "sim.h"
#include "analyze.h"
#include "diagnose.h"
#include "json.h"

#define SCN(name)	TOP_SRCDIR "/tests/sim/scenarios/" name

static struct sim_world *
load(const char *path)
{
	struct sim_world	*w;
	char			 err[512];

	if ((w = sim_world_load(path, err, sizeof(err))) == NULL)
		fail_msg("%s: %s", path, err);
	return (w);
}

/* cmd at time now, with its prompt, appended to the transcript. */
static void
paste(struct sbuf *tr, struct sim_cli *c, const char *cmd, double now)
{
	sbuf_addstr(tr, sim_cli_prompt(c));
	sbuf_addstr(tr, cmd);
	sbuf_addstr(tr, "\n");
	(void)sim_cli_exec(c, cmd, tr, now);
}

/*
 * The transcript of one tunnel: polls at each time of polls[], then the
 * debug from debug_from to debug_to.
 */
static char *
transcript(const char *tunnel, const char *peer, const double *polls,
    size_t npolls, double debug_from, double debug_to)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sbuf		 tr = { NULL, 0, 0 };
	char			 cmd[160];
	double			 t;
	size_t			 i;

	for (i = 0; i < npolls; i++) {
		sim_world_advance(w, polls[i]);
		paste(&tr, c, "get vpn ipsec tunnel summary", polls[i]);
		snprintf(cmd, sizeof(cmd),
		    "diagnose vpn ike gateway list name %s", tunnel);
		paste(&tr, c, cmd, polls[i]);
		snprintf(cmd, sizeof(cmd), "diagnose vpn tunnel list name %s",
		    tunnel);
		paste(&tr, c, cmd, polls[i]);
	}
	snprintf(cmd, sizeof(cmd), "get router info routing-table details %s",
	    peer);
	paste(&tr, c, cmd, polls[npolls - 1]);
	if (debug_to > debug_from) {
		paste(&tr, c, "diagnose vpn ike log filter clear", debug_from);
		snprintf(cmd, sizeof(cmd), "diagnose vpn ike log filter name %s",
		    tunnel);
		paste(&tr, c, cmd, debug_from);
		paste(&tr, c, "diagnose debug application ike -1", debug_from);
		paste(&tr, c, "diagnose debug enable", debug_from);
		for (t = debug_from; t <= debug_to; t += 0.5) {
			sim_world_advance(w, t);
			sim_cli_stream(c, &tr, t);
		}
		sbuf_addstr(&tr, sim_cli_prompt(c));
		sbuf_addstr(&tr, "diagnose debug disable\n");
	}
	sim_cli_free(c);
	sim_world_free(w);
	return (tr.buf);
}

/* The findings of a transcript, sorted, for this tunnel only. */
static void
findings_of(const char *text, const char *tunnel, struct dg_findings *out)
{
	struct dg_findings	 all;
	struct json		 j;
	size_t			 i;

	dg_findings_init(&all);
	dg_findings_init(out);
	json_init(&j, 0);
	(void)analyze_transcript_findings(&j, text, strlen(text), &all);
	json_free(&j);
	/* Move this tunnel's findings; free the others. */
	for (i = 0; i < all.n; i++) {
		if (all.v[i].tunnel == NULL ||
		    strcmp(all.v[i].tunnel, tunnel) != 0)
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 8;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
			assert_non_null(out->v);
		}
		out->v[out->n++] = all.v[i];
		memset(&all.v[i], 0, sizeof(all.v[i]));
		all.v[i].rule = out->v[out->n - 1].rule;
	}
	dg_findings_free(&all);
}

static const char *
top_rule(const struct dg_findings *fs)
{
	return (fs->n > 0 ? fs->v[0].rule->id : "(none)");
}

static int
has_evidence(const struct dg_finding *f, const char *frag)
{
	size_t	i;

	for (i = 0; i < f->nevidence; i++)
		if (strstr(f->evidence[i], frag) != NULL)
			return (1);
	return (0);
}

static void
test_faults_top_finding(void **state)
{
	static const struct {
		const char	*tunnel, *peer;
		double		 t0, t1;	/* two polls */
		int		 debug;
		const char	*rule;		/* the top finding */
		const char	*evidence;	/* in its evidence */
	} want[] = {
		{ "psk-v1", "203.0.113.11", 100, 110, 1, "P1-PSK-V1",
		    "probable pre-shared secret mismatch" },
		{ "psk-v2", "203.0.113.12", 100, 110, 1, "P1-PSK-V2",
		    "probable pre-shared key mismatch" },
		{ "prop-v1", "203.0.113.13", 100, 110, 1, "P1-NO-PROPOSAL",
		    "no SA proposal chosen" },
		{ "sel-v2", "203.0.113.14", 100, 110, 1, "P2-TS-INIT-V2",
		    "TS_UNACCEPTABLE" },
		{ "noroute", "203.0.113.16", 100, 110, 1, "P1-NO-ROUTE",
		    "Network is unreachable" },
		{ "natt", "203.0.113.17", 100, 110, 1, "P1-NATT-4500-BLOCKED",
		    "RETRANSMIT_AUTH" },
		{ "silent", "203.0.113.18", 100, 110, 1, "ST-P1-SILENT-PEER",
		    "no `comes 203.0.113.18` line" },
		{ "nopol", "203.0.113.21", 100, 110, 1, "P1-NO-POLICY",
		    "no policy configured" },
		{ "dpd", "203.0.113.19", 100, 110, 1, "DPD-V1-FAIL",
		    "sent IKE msg (R-U-THERE)" },
		/* State alone: the SNAT signature, no route on wan2. */
		{ "snat", "203.0.113.15", 100, 110, 0, "ST-DEC-NO-ENC",
		    "0 encrypted" },
		{ "noroute", "203.0.113.16", 100, 110, 0, "RT-NO-ROUTE-PEER",
		    "routing table:" },
		{ "sel-v2", "203.0.113.14", 100, 110, 0, "ST-P2-SA0",
		    "sa=0" },
		{ "psk-v1", "203.0.113.11", 100, 110, 0, "ST-P1-CONNECTING",
		    "status: connecting" },
	};
	struct dg_findings	 fs;
	double			 polls[2];
	char			*text;
	size_t			 i, k;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		polls[0] = want[i].t0;
		polls[1] = want[i].t1;
		text = transcript(want[i].tunnel, want[i].peer, polls, 2,
		    want[i].debug ? want[i].t1 : 0,
		    want[i].debug ? want[i].t1 + 300 : 0);
		findings_of(text, want[i].tunnel, &fs);
		if (fs.n == 0 || strcmp(top_rule(&fs), want[i].rule) != 0) {
			char *rep = diagnose_text(&fs);

			fail_msg("%s%s: top finding %s, want %s\n%s",
			    want[i].tunnel, want[i].debug ? " (debug)" : "",
			    top_rule(&fs), want[i].rule, rep);
		}
		assert_int_equal(fs.v[0].consequence, 0);
		/* With the debug, one cause; the state follows from it. */
		for (k = 1; want[i].debug && k < fs.n; k++)
			if (!fs.v[k].consequence)
				fail_msg("%s: %s is not a consequence of %s",
				    want[i].tunnel, fs.v[k].rule->id,
				    want[i].rule);
		if (!has_evidence(&fs.v[0], want[i].evidence))
			fail_msg("%s: no '%s' in the evidence of %s",
			    want[i].tunnel, want[i].evidence, want[i].rule);
		assert_string_equal(fs.v[0].peer, want[i].peer);
		dg_findings_free(&fs);
		free(text);
	}
}

/* The gateway list and a 4-packet sniffer on 500 for one tunnel. */
static char *
sniff_transcript(const char *tunnel, const char *peer)
{
	struct sim_world	*w = load(SCN("faults.scn"));
	struct sim_cli		*c = sim_cli_new(sim_world_device(w, 0));
	struct sbuf		 tr = { NULL, 0, 0 };
	char			 cmd[160];
	double			 t;
	int			 rc;

	sim_world_advance(w, 100);
	snprintf(cmd, sizeof(cmd), "diagnose vpn ike gateway list name %s",
	    tunnel);
	paste(&tr, c, cmd, 100);
	snprintf(cmd, sizeof(cmd), "diagnose sniffer packet any 'host %s and "
	    "udp port 500' 4 4 l", peer);
	sbuf_addstr(&tr, sim_cli_prompt(c));
	sbuf_addstr(&tr, cmd);
	sbuf_addstr(&tr, "\n");
	rc = sim_cli_exec(c, cmd, &tr, 100);
	for (t = 100; t < 300 && rc == SIM_STREAMING; t += 0.5) {
		sim_world_advance(w, t);
		rc = sim_cli_stream(c, &tr, t);
	}
	assert_int_equal(rc, SIM_DONE);
	sbuf_addstr(&tr, sim_cli_prompt(c));
	sim_cli_free(c);
	sim_world_free(w);
	return (tr.buf);
}

/* No debug: the sniffer alone shows whether the peer answers. */
static void
test_faults_sniffer(void **state)
{
	struct dg_findings	 fs;
	char			*text;
	size_t			 k;

	text = sniff_transcript("silent", "203.0.113.18");
	findings_of(text, "silent", &fs);
	if (fs.n == 0 || strcmp(top_rule(&fs), "ST-P1-SILENT-PEER") != 0)
		fail_msg("silent (sniffer): top finding %s\n%s", top_rule(&fs),
		    diagnose_text(&fs));
	if (!has_evidence(&fs.v[0], "sniffer: 4 packets to the peer, 0 from "
	    "it"))
		fail_msg("no sniffer evidence\n%s", diagnose_text(&fs));
	dg_findings_free(&fs);
	free(text);
	/* The PSK peer answers on 500: connecting, but not silent. */
	text = sniff_transcript("psk-v1", "203.0.113.11");
	findings_of(text, "psk-v1", &fs);
	assert_string_equal(top_rule(&fs), "ST-P1-CONNECTING");
	for (k = 0; k < fs.n; k++)
		assert_string_not_equal(fs.v[k].rule->id, "ST-P1-SILENT-PEER");
	dg_findings_free(&fs);
	free(text);
}

/* DPD and flapping need history: polls every 10 s for ten minutes. */
static void
test_faults_history(void **state)
{
	static const struct {
		const char	*tunnel, *peer, *rule;
		double		 from, to;	/* polls every 10 s */
	} want[] = {
		/* Up 40-80 s, down 10-25 s: re-created over and over. */
		{ "flap", "203.0.113.20", "ST-FLAP", 100, 690 },
		/* Probes go out from 110 s, none answered, down at 150 s. */
		{ "dpd", "203.0.113.19", "ST-DPD-NOANSWER", 100, 140 },
	};
	struct dg_findings	 fs;
	double			 polls[60];
	char			*text;
	size_t			 i, k, n;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		n = 0;
		for (k = 0; k < 60 && want[i].from + 10.0 * k <= want[i].to;
		    k++)
			polls[n++] = want[i].from + 10.0 * k;
		text = transcript(want[i].tunnel, want[i].peer, polls, n, 0, 0);
		findings_of(text, want[i].tunnel, &fs);
		if (fs.n == 0 || strcmp(top_rule(&fs), want[i].rule) != 0) {
			char *rep = diagnose_text(&fs);

			fail_msg("%s: top finding %s, want %s\n%s",
			    want[i].tunnel, top_rule(&fs), want[i].rule, rep);
		}
		dg_findings_free(&fs);
		free(text);
	}
}

/* The healthy tunnel: polls, routes and a debug raise nothing. */
static void
test_faults_healthy(void **state)
{
	struct dg_findings	 fs;
	double			 polls[2] = { 100, 110 };
	char			*text;
	size_t			 i;

	text = transcript("hq-ok", "203.0.113.1", polls, 2, 110, 600);
	findings_of(text, "hq-ok", &fs);
	for (i = 0; i < fs.n; i++)
		if (fs.v[i].severity >= DG_WARNING)
			fail_msg("hq-ok: %s %s", fs.v[i].rule->id,
			    diagnose_severity_name(fs.v[i].severity));
	assert_int_equal(fs.n, 0);
	dg_findings_free(&fs);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults_top_finding),
		cmocka_unit_test(test_faults_sniffer),
		cmocka_unit_test(test_faults_history),
		cmocka_unit_test(test_faults_healthy),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
