/* SPDX-License-Identifier: ISC */
/*
 * diagnose - name the cause of a broken tunnel, with its evidence and the
 * next step, from polled state, tool results and IKE debug lines.
 *
 * The rules of ../shared/DIAGNOSIS.md live in ONE table (diagnose.c):
 * id, inputs, severity, title, meaning, next checks, usual fix, how sure
 * the trigger is, sources.  The IKE debug parser (parsers/ike_debug.c)
 * tags single lines with rule ids only; every id it can emit must be in
 * this table (test_diagnose checks both ways), so the two cannot drift.
 *
 * Input is a plain struct dg_tunnel that whoever knows the tunnel fills:
 * the live engine from its model (one per tunnel per poll round, per
 * debug line and per tool result), `fgtop analyze` from a pasted
 * transcript.  Everything not known stays unknown (PNUM_UNKNOWN, NULL,
 * -1) and a rule that needs it does not fire.  The mapping from the
 * parsed outputs:
 *
 *   field              from
 *   name, peer         summary 'NAME' RGW / gateway `name:`, `addr: L -> R`
 *   local, interface   gateway `addr:` left side, `interface:`
 *   ike_version        gateway `version:` / tunnel list `ver=`
 *   sel_total/sel_up   summary `selectors(total,up): T/U`
 *   rx_*, tx_*         summary `rx(pkt,err)` / `tx(pkt,err)`
 *   *_delta            the same counter minus its value one poll before
 *   p1_status          first IKE SA `status:` ("established", "connecting")
 *   p1_for_s           `started Ns ago` (connecting) or `established Ns`
 *   ike_created/_est   `IKE SA: created A/B  established C/D`: A and C
 *   dpd_*              `DPD sent/recv:` now and one poll before
 *   dpd_count          tunnel list `dpd: ... count=N`
 *   p1_restarts_1h     how often phase 1 was re-created in the last hour
 *                      (the engine watches `created: Ns ago` go back)
 *   flaps_1h           the model's history: up -> down or degraded in
 *                      the last hour; ST-FLAP at flap_threshold or more
 *   nat_me, nat_peer   gateway `nat:` line (0 when absent, -1 unknown)
 *   network_id         gateway `network-id:`
 *   p2[]               tunnel list `proxyid=`: name, sa=, for how long sa
 *                      has had this value, enc/dec packet deltas
 *   route_peer         `get router info routing-table details <peer>`
 *   route_remote       the same for a host of the remote subnet
 *   sniff_out/in       sniffer packets to / from the peer on 500/4500
 *   trace_reached      traceroute from the local gateway reached the peer
 *   dbg[]              the recent parsed IKE debug lines of this peer
 *                      (struct ike_event, oldest first).  The live engine
 *                      fills one per line from ike_debug_line: line
 *                      number, time, text, rule, cls, kind, phase,
 *                      reaction, gateway, peer; a few hundred lines are
 *                      plenty (a success marker clears what is older).
 *
 * diagnose_tunnel appends; diagnose_sort then orders everything that was
 * appended (causes before consequences, then severity, then the table's
 * order), so one call per tunnel and one sort per round.
 * Ownership: dg_tunnel and everything it points to belong to the caller
 * and are only read.  dg_findings owns its findings and their strings
 * (copied); dg_findings_free releases them.  A finding's rule points
 * into the static table.  Out of memory is fatal (xmalloc).
 */
#ifndef DIAGNOSE_H
#define DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct json;
struct ike_event;

enum dg_severity {
	DG_INFO = 0,
	DG_WARNING,
	DG_ERROR,
	DG_CRITICAL
};

/* What a rule reads. */
enum dg_input {
	DG_IN_STATE = 0,	/* polled CLI state (ST-) */
	DG_IN_ROUTE,		/* route lookups (RT-) */
	DG_IN_LINE,		/* one IKE debug line: parsers/ike_debug tags it */
	DG_IN_LINES,		/* several lines of one peer (signature) */
	DG_IN_EVENTLOG		/* event log / debug flow text: not yet read */
};

#define DG_MAXNEXT	5

/* One next check: an fgtop action (or NULL) and the FortiOS commands. */
struct dg_next_tpl {
	const char	*action;	/* "debug", "sniff", "trace", "route" */
	const char	*commands;	/* '\n'-separated, with {placeholders} */
};

struct dg_rule {
	const char	*id;		/* DIAGNOSIS.md id */
	enum dg_input	 input;
	enum dg_severity severity;
	int		 phase;		/* 1, 2, or 0 (data plane, routing) */
	const char	*title;
	const char	*meaning;
	struct dg_next_tpl next[DG_MAXNEXT];
	const char	*fix;
	const char	*conf;		/* "V", "K", "U", "V/U" as in DIAGNOSIS.md */
	int		 unverified;	/* trigger marked U: say how sure */
	const char	*sources;
};

/* The table, in the order of precedence between equal findings. */
extern const struct dg_rule	dg_rules[];
extern const size_t		dg_nrules;

const struct dg_rule	*diagnose_rule(const char *id);
const char		*diagnose_severity_name(enum dg_severity);

/* One phase-2 selector of a tunnel. */
struct dg_p2 {
	const char	*name;
	int		 sa;		/* 0/1/2, -1 unknown */
	pnum		 sa_for_s;	/* how long sa has had this value */
	pnum		 enc_pkts;	/* totals and deltas since last poll */
	pnum		 dec_pkts;
	pnum		 enc_delta;
	pnum		 dec_delta;
	const char	*src;		/* selectors as printed */
	const char	*dst;
};

struct dg_tunnel {
	const char	*device;
	const char	*vdom;
	const char	*name;		/* phase-1 (tunnel) name */
	const char	*parent;	/* dial-up instance: its template */
	const char	*peer;		/* remote gateway address */
	const char	*local;		/* local gateway address */
	const char	*interface;	/* phase-1 interface */
	int		 ike_version;	/* 1, 2, 0 unknown */
	const char	*p1_mode;	/* "main", "aggressive", NULL */
	int		 fos_major;	/* FortiOS version, -1 unknown */
	int		 fos_minor;
	int		 fos_patch;

	pnum		 sel_total, sel_up;
	pnum		 rx_pkt, rx_err, tx_pkt, tx_err;
	pnum		 rx_delta, tx_delta, tx_err_delta;

	const char	*p1_status;	/* "established", "connecting", NULL */
	pnum		 p1_for_s;
	pnum		 ike_created, ike_established;
	pnum		 dpd_sent, dpd_recv, dpd_sent_prev, dpd_recv_prev;
	pnum		 dpd_count;
	pnum		 p1_restarts_1h;
	pnum		 flaps_1h;	/* up -> down/degraded, last hour */
	pnum		 flap_threshold;	/* flaps_1h that is a flap */
	int		 nat_me, nat_peer;
	pnum		 network_id;	/* gateway `network-id:` */

	const struct dg_p2 *p2;
	size_t		 np2;

	int		 route_peer;	/* 1 found, 0 none, -1 unknown */
	const char	*route_peer_if;	/* its egress interface */
	int		 route_remote;	/* 1 via this tunnel, 0 elsewhere/none */
	const char	*route_remote_if;
	const char	*remote_host;	/* the address looked up */
	pnum		 sniff_out, sniff_in;
	int		 trace_reached;	/* 1, 0, -1 unknown */

	const struct ike_event *const *dbg;
	size_t		 ndbg;
};

/* Every field unknown. */
void	dg_tunnel_init(struct dg_tunnel *);

struct dg_next {
	const char	*action;	/* static, or NULL */
	char		**commands;
	size_t		 ncommands;
};

struct dg_finding {
	const struct dg_rule *rule;
	enum dg_severity severity;
	int		 consequence;	/* follows from a finding before it */
	char		*device, *vdom, *tunnel, *peer;
	char		**evidence;
	size_t		 nevidence;
	struct dg_next	 next[DG_MAXNEXT];
	size_t		 nnext;
	char		*fix;
	size_t		 line;		/* first debug line, 0 for state */
	pnum		 time_us;	/* its time, if printed */
};

struct dg_findings {
	struct dg_finding *v;
	size_t		 n;
	size_t		 cap;
};

void	dg_findings_init(struct dg_findings *);
void	dg_findings_free(struct dg_findings *);

/* Append the findings for one tunnel to out; returns how many. */
size_t	diagnose_tunnel(const struct dg_tunnel *, struct dg_findings *);
/*
 * 1 when time alone no longer changes which findings the tunnel gets
 * (only the seconds in their evidence): no phase 1 connecting for under
 * DG_CONNECTING_S, no sa=2 younger than DG_SA2_S.  With the same input
 * otherwise, the rules then give the same verdicts.
 */
int	diagnose_settled(const struct dg_tunnel *);
/*
 * A hash of the input as the rules read it: every field, but the clocks
 * (p1_for_s, sa_for_s: their effect is what diagnose_settled says), the
 * counter totals, and traffic, DPD and SA counters only as the rules
 * class them (no packets, under DG_MINPKTS, more; probes unanswered or
 * not; SAs created and none established or not).  Equal
 * fingerprints of a settled tunnel give the same findings; only the
 * numbers quoted in their evidence may have moved.  A rule that reads a
 * new field, or a new class of one, adds it here.
 */
uint64_t diagnose_fingerprint(const struct dg_tunnel *);
/* Most important first across tunnels: causes before consequences. */
void	diagnose_sort(struct dg_findings *);

/* [{"rule", "severity", "title", ...}, ...] */
void	diagnose_json(struct json *, const struct dg_findings *);
/* A short report for a person; the caller frees it. */
char	*diagnose_text(const struct dg_findings *);

#endif
