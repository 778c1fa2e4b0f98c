/* SPDX-License-Identifier: ISC */
/*
 * model_load - a model rebuilt from what was written about one: the
 * --once --json document (a journal snapshot) and the model events (the
 * journal's event lines, the --watch-json lines).
 *
 * model_load_json is the inverse of model_json for every key of the
 * schema in fgtop(1): devices with their VDOMs and tunnels, phase 1 with
 * its IKE SAs, phase 2 selector by selector, states and times.  Unknown
 * keys are ignored (a newer fgtop may write more); what the document
 * leaves null stays unknown.  Findings and tool results are not loaded:
 * the diagnosis derives findings from the loaded fields again.  Loaded
 * tunnels count as reported and listed (see model_tunnel_add), so a live
 * engine can go on from a restored model.
 *
 * model_apply_event moves a model forward by one event, as far as the
 * event says: tunnel-state sets the state and changed_at, tunnel-added
 * and tunnel-removed add and remove the tunnel, phase1 sets the phase-1
 * status, sa a selector's sa= value (and selectors_up with it),
 * device-state the device's state and error.  Devices, VDOMs and tunnels
 * an event names are created when the model does not have them yet, so
 * a journal of events alone builds its estate.  rekey, counter-reset,
 * finding-* and tool change nothing the model keeps.  States go into
 * the tunnel's history (model_history_note) as they are loaded, so a
 * replay's uptime and flap counts are the journal's.  It appends no
 * event to the model's queue.
 *
 * Strings are made harmless for a terminal as they are loaded
 * (model_load_clean).
 *
 * This file includes jansson; never include src/json.h beside it (both
 * name json_null).  Ownership: nothing passed in is kept; the model
 * copies what it keeps.  *err gets a sentence the caller frees.
 */
#ifndef MODEL_LOAD_H
#define MODEL_LOAD_H

struct json_t;
struct model;
struct jread_event;

/* Add (or update) what doc describes; -1 with *err when doc is no
 * --once --json document (no "devices" array). */
int	 model_load_json(struct model *, const struct json_t *doc, char **err);

/* 0 when the event's type is known (applied, or nothing to apply), -1
 * when it is not or the event names no device. */
int	 model_apply_event(struct model *, const struct jread_event *);

/* A copy of s fit for one line of a terminal: cli_sanitize, then tabs
 * and newlines as spaces.  NULL for NULL. */
char	*model_load_clean(const char *);

#endif
