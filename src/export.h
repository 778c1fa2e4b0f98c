/* SPDX-License-Identifier: ISC */
/*
 * export - make an incident bundle (src/bundle) of a live tunnel or
 * device: read the raw outputs fresh on a short-lived session of its
 * own, then write the bundle.  `E` and `:export` in the dashboard and
 * `fgtop export` run it through the engine.
 *
 * The session runs, through the allowlist like every command fgtop
 * sends, `get system status` at the top, then in the tunnel's VDOM
 * (`config vdom` / `edit V` / ... / `end` on a multi-VDOM box; `edit`
 * may name only that VDOM) `get vpn ipsec tunnel summary`, `diagnose vpn
 * ike gateway list name T` and `diagnose vpn tunnel list name T`; for a
 * device, the summary and the full lists in every VDOM it polls.  When
 * the device is not up, or the session cannot log in, the bundle is
 * written without fresh raw outputs and its README says why.  The poll
 * session is not used: it keeps polling meanwhile.
 *
 * Callbacks only record; a zero-delay timer writes the finished bundles
 * and calls done (path or a sentence) once per job, on the loop.
 *
 * Ownership: the engine owns the exporter.  export_shutdown abandons the
 * jobs still reading (their sessions are closed, done is not called) and
 * closes the timer; export_free after the loop.  The request's strings
 * are copied; the model and the timeline source must outlive the
 * exporter.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <uv.h>

#include "evlog.h"

struct device;
struct exporter;
struct model;

struct export_req {
	const char	*device;	/* the model's names */
	const char	*vdom;
	const char	*tunnel;	/* NULL: the device's bundle */
	const char	*dir;		/* NULL: the current directory */
	const char	*file;		/* NULL: dir/<top>.tar.gz */
};

/* path on success, else err; both valid during the call only. */
typedef void	 export_done_fn(void *, const char *path, const char *err);

struct exporter	*export_new(uv_loop_t *, struct model *, const char *version,
		    evlog_each_fn *, void *src, export_done_fn *, void *);
/* 0, or -1 with a sentence in *err (the caller frees it). */
int		 export_start(struct exporter *, struct device *,
		    const struct export_req *, char **err);
void		 export_shutdown(struct exporter *);
void		 export_free(struct exporter *);

#endif
