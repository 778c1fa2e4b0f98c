/* SPDX-License-Identifier: ISC */
/*
 * diagnose_model - the diagnosis of the live engine's model tunnels.
 *
 * The bridge between src/model and src/diagnose: diagnose_model_input
 * fills a struct dg_tunnel from a struct mtun (the mapping diagnose.h
 * documents), diagnose_model_tunnel runs the rules and keeps the sorted
 * findings in the tunnel (mtun.findings, freed by the model through
 * mtun.findings_free), and diagnose_model_json writes them for
 * model_json's findings callback, so --once --json and `fgtop analyze`
 * print the same shape.  The model does not count phase-1 restarts or
 * keep network-id: those rules wait until it does.
 *
 * Ownership: the findings a tunnel holds are its own; everything passed
 * in is only read.  dbg lines are the caller's (the debug stream's).
 */
#ifndef DIAGNOSE_MODEL_H
#define DIAGNOSE_MODEL_H

#include <stddef.h>

struct dg_findings;
struct dg_p2;
struct dg_tunnel;
struct ike_event;
struct json;
struct mtun;

/* Fill t from the tunnel at time now; p2 holds up to maxp2 selectors. */
void	diagnose_model_input(const struct mtun *, double now,
	    struct dg_tunnel *, struct dg_p2 *, size_t maxp2);
/* Diagnose and keep the findings in the tunnel; returns how many. */
size_t	diagnose_model_tunnel(struct mtun *, double now,
	    const struct ike_event *const *dbg, size_t ndbg);
/* The tunnel's findings array (model_json's callback); [] if none. */
void	diagnose_model_json(struct json *, const struct mtun *);
/*
 * 1 when the findings the tunnel holds are still what the rules would
 * say: made without debug lines from the same input (diagnose_fingerprint)
 * less than two minutes ago, and time alone no longer changes them.  A
 * thousand devices' full rounds would otherwise re-diagnose every down
 * tunnel every 30 s to the same verdict.
 */
int	diagnose_model_current(const struct mtun *, double now);
/* Whether time alone can still change its findings (diagnose_settled). */
int	diagnose_model_settled(const struct mtun *, double now);
/* The findings kept in a tunnel, or NULL. */
const struct dg_findings *diagnose_model_findings(const struct mtun *);

#endif
