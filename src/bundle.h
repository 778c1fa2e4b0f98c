/* SPDX-License-Identifier: ISC */
/*
 * bundle - the incident bundle: one .tar.gz for a tunnel or a device,
 * ready to attach to a ticket (`E` in the dashboard, `:export`, `fgtop
 * export`).  Everything is under one top directory,
 * fgtop-DEVICE-TUNNEL-yyyymmddThhmmssZ/ (fgtop-DEVICE-yyyymmddThhmmssZ/
 * for a device; names reduced to letters, digits, '.', '_' and '-'):
 *
 *   README.txt     the summary a ticket reader needs: the device, the
 *                  tunnel(s) and their state in words, the findings with
 *                  their evidence, next step and fix, what the tools
 *                  read, what raw outputs were taken, the list of files
 *   tunnel.json    the tunnel as `fgtop --once --json` has it (the
 *                  model's own writer); device.json for a device bundle
 *   findings.json  the diagnosis, with its evidence (diagnose_json)
 *   events.jsonl   the timeline: one --watch-json event a line, from the
 *                  timeline source given (src/evlog, or a journal)
 *   raw/NN-...txt  the poll commands, run fresh at export time, each
 *                  file headed with the command, its VDOM, its time and
 *                  whether it ran
 *   tools/...txt   what the live tools kept in the model (mtools):
 *                  results with their reading, IKE debug lines
 *
 * Raw outputs are taken when the bundle is made, not kept from the last
 * poll: keeping every poll's text for a thousand devices would break the
 * engine's memory budget (the model keeps parsed fields only).  When the
 * device cannot be reached the bundle is still written, and the README
 * says why it has no raw outputs (bundle_no_raw).
 *
 * Secrets: fgtop never reads pre-shared keys, and passwords and tokens
 * are nowhere in the model.  Key material the device prints is removed
 * from every raw line: a line the IKE debug parser calls secret
 * (ike_debug_line: hex dumps, SK_* keys, "key N:" lines) becomes "(key
 * material hidden)", and the hex after `key=N` (`diagnose vpn tunnel
 * list` prints the ESP and AH keys) becomes "(hidden)".  Debug lines
 * reach the model already filtered.  Every text file is sanitised
 * (cli_sanitize), JSON goes through src/json.c: no escape or control
 * byte of the device's reaches the bundle.
 *
 * Writing: to a temporary file in the destination's directory, synced,
 * then renamed, so a full disk or a crash leaves no half bundle (the
 * temporary is removed on failure).  A destination that exists and is
 * not a regular file (a pipe, /dev/stdout) is written directly.  The
 * file is created mode 0600: it describes a firewall.
 *
 * Ownership: a struct bundle owns its names and raw outputs (copies);
 * the model and the timeline source are read during bundle_write only.
 * Errors are sentences the caller frees; nothing is printed here.
 */
#ifndef BUNDLE_H
#define BUNDLE_H

#include <stddef.h>

#include "evlog.h"

struct bundle;
struct model;

/* tunnel NULL: the device's bundle (every VDOM, every tunnel). */
struct bundle	*bundle_new(const char *device, const char *vdom,
		    const char *tunnel);
/*
 * One raw output: the command as sent, the VDOM it ran in (NULL: at the
 * top), when, and what it printed (redacted and sanitised here).
 * problem is NULL when it ran, else a sentence (refused, interrupted).
 */
void		 bundle_raw(struct bundle *, const char *command,
		    const char *vdom, double time, const char *out, size_t,
		    const char *problem);
/* No fresh raw outputs, and why (device down, login refused). */
void		 bundle_no_raw(struct bundle *, const char *why);
/* Where the timeline comes from (default: none). */
void		 bundle_timeline(struct bundle *, evlog_each_fn *, void *);
/*
 * Write the bundle of the model's state at now: to file when not NULL,
 * else into dir (NULL: the current directory) under the top directory's
 * name + ".tar.gz".  0 with the path in *path, or -1 with a sentence in
 * *err (the caller frees either).
 */
int		 bundle_write(struct bundle *, const struct model *,
		    double now, const char *version, const char *dir,
		    const char *file, char **path, char **err);
void		 bundle_free(struct bundle *);

/*
 * Remove key material from device text (the rules above), sanitise it;
 * the result is the caller's.  For every raw output and the tests.
 */
char		*bundle_redact(const char *, size_t, size_t *outlen);

#endif
