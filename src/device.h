/* SPDX-License-Identifier: ISC */
/*
 * device - one FortiGate as the engine sees it: its poll session, its
 * VDOMs, its schedule, and its state in the model.
 *
 * A device logs in (src/shell over src/conn), reads `get system status`
 * once per connection (hostname, version, VDOM mode, HA), learns its
 * VDOMs, then polls every VDOM in rounds (src/scheduler): each VDOM is
 * one command group, `config vdom` / `edit X` / commands / `end` in
 * multi-VDOM mode, holding the summary every round and the gateway and
 * tunnel lists in full rounds, plus `name X` lists for the tunnel an
 * operator is looking at (device_focus).  Each output is parsed and
 * merged into the model as it arrives; the round end derives states and
 * events.
 *
 * VDOMs: in multi-VDOM mode they are always discovered first with the
 * read-only `diagnose sys vd list` (under `config global`), because
 * `edit NAME` under `config vdom` would create a VDOM that does not
 * exist; --vdom / the config's `vdoms` then choose among the discovered
 * ones (a name the device does not have is reported, never edited).
 * Without VDOMs, --vdom is ignored and the single VDOM is the one
 * `get system status` names (root).
 *
 * Connection failures set the device's state (unreachable, auth-failed,
 * hostkey-unknown, hostkey-mismatch, stale, error) with the error
 * sentence, and a reconnect follows with backoff, except after an
 * authentication or host-key refusal, which repeating cannot fix (and
 * repeated wrong logins can lock an account): those wait for the
 * operator.  In --once mode nothing is retried.
 *
 * Ownership: the engine creates devices and stops them with device_stop,
 * which frees the device once its handles are closed.  The target and
 * options are copied where kept.
 */
#ifndef DEVICE_H
#define DEVICE_H

#include <uv.h>

#include "scheduler.h"

struct cfg_target;
struct conn_opts;
struct shell_opts;
struct model;
struct mdev;
struct device;

struct device_opts {
	const char	*ssh_config;	/* -F */
	const char	*known_hosts;
	int		 accept_new;
	int		 no_agent;
	unsigned	 poll_ms;
	unsigned	 full_ms;
	unsigned	 timeout_ms;	/* connect + login */
	unsigned	 cmd_timeout_ms;
	int		 once;		/* one full round, then done */
};

struct device	*device_new(uv_loop_t *, struct model *,
		    const struct cfg_target *, const struct device_opts *,
		    void (*done)(struct device *, void *), void *);
void		 device_start(struct device *);
void		 device_stop(struct device *);
/* A complete round was merged since the start. */
int		 device_ok(const struct device *);
/*
 * Still on its way to a first round: connecting, logging in, setting
 * up, or in that round (the engine bounds how many do so at once).
 */
int		 device_starting(const struct device *);
struct mdev	*device_mdev(const struct device *);
const struct sched *device_sched(const struct device *);
/*
 * How to open another session to the device (the live tools): the
 * strings point into the device and stay valid while it lives.
 */
void		 device_session_opts(const struct device *, struct conn_opts *,
		    struct shell_opts *);
int		 device_multi_vdom(const struct device *);
/* Poll `name TUNNEL` lists of this tunnel every round (NULL: none). */
void		 device_focus(struct device *, const char *vdom,
		    const char *tunnel);

#endif
