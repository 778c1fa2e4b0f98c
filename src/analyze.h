/* SPDX-License-Identifier: ISC */
/*
 * analyze - read a pasted CLI transcript into parsed records.
 *
 * `fgtop analyze` and the transcript fuzzer call this: the text an
 * engineer pastes into a ticket (prompts, commands, outputs, pager
 * remnants, several commands in any order) becomes
 *   {"records": [{"prompt", "hostname", "vdom", "command", "kind",
 *                 "parsed": {...}}],
 *    "findings": [...]}    (src/diagnose, most important first)
 * with kind and parsed null for commands fgtop does not parse.  The VDOM
 * comes from the prompt, from `config vdom` / `edit X` earlier in the
 * session, or from `sudo X`; output after `diagnose debug enable` is IKE
 * debug when `diagnose debug application ike` came before it.
 *
 * Ownership: nothing is kept; the caller owns the json writer and the
 * text.  Out of memory is fatal, as everywhere in src/.
 */
#ifndef ANALYZE_H
#define ANALYZE_H

#include <stddef.h>

struct json;
struct dg_findings;

/* Write {"records": [...]} for the transcript; returns records written. */
size_t	analyze_transcript(struct json *, const char *, size_t);
/* The same; the findings also go to out (the caller frees them). */
size_t	analyze_transcript_findings(struct json *, const char *, size_t,
	    struct dg_findings *);

#endif
