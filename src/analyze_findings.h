/* SPDX-License-Identifier: ISC */
/*
 * analyze_findings - the diagnosis of a pasted transcript.
 *
 * `fgtop analyze` hands every record it reads (kind, device, VDOM,
 * command, output) to analyze_findings_add; analyze_findings_run then
 * joins what the records say into one struct dg_tunnel per tunnel (by
 * device, VDOM and tunnel name: summary, gateway list, tunnel list; the
 * peer from the gateway or summary remote address; route lookups by the
 * address looked up; sniffer packets and traceroutes by the peer address;
 * IKE debug lines by peer address or phase-1 name)
 * and runs the rules of src/diagnose on each.  Two outputs of the same
 * command give counter deltas (the earlier one is the previous poll);
 * phase-1 ages that go back count as restarts.  Debug lines no tunnel
 * claims are diagnosed per peer on their own.
 *
 * Ownership: the collector copies what it keeps (parsed results own
 * their text); analyze_findings_free releases it.  Findings belong to
 * the caller's dg_findings.
 */
#ifndef ANALYZE_FINDINGS_H
#define ANALYZE_FINDINGS_H

#include <stddef.h>

struct dg_findings;
struct analyze_findings;

struct analyze_findings	*analyze_findings_new(void);
void			 analyze_findings_free(struct analyze_findings *);
/* One record; kind is the output kind name (NULL: ignored). */
void	analyze_findings_add(struct analyze_findings *, const char *kind,
	    const char *device, const char *vdom, const char *command,
	    const char *output, size_t outlen);
/* Diagnose what was added; findings sorted, most important first. */
void	analyze_findings_run(struct analyze_findings *, struct dg_findings *);

#endif
