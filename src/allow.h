/* SPDX-License-Identifier: ISC */
/*
 * allow - the allowlist of what fgtop may write to a FortiGate.
 *
 * fgtop is read-only on the firewall.  Every command line the engine
 * sends goes through allow_check first; anything not on the list below,
 * or with a control byte, a newline or a quote where none belongs, is
 * refused, so a bug cannot turn into a configuration change.  Commands
 * are matched in their canonical, unabbreviated form (fgtop never
 * abbreviates), word by word, with the arguments checked for shape
 * (an address, a name, a number).
 *
 * `edit NAME` is allowed only directly after `config vdom`, and `end`
 * only to leave it: struct allow_ctx follows one command group (as the
 * shell sends it: config vdom / edit X / commands / end) so that `edit`
 * can never create an object elsewhere.
 *
 * When the VDOMs are known (discovered with `diagnose sys vd list`),
 * allow_set_vdoms narrows `edit` to them, so a wrong name cannot create
 * a VDOM either.  `config global` / `end` is allowed too: on a
 * multi-VDOM box the debug and sniffer commands are global ones, and
 * `config global` changes nothing by itself.  `exit` (log out) is allowed
 * only at the top, and nothing after it.
 *
 * An empty line (Enter alone) is allowed anywhere before `exit`: the CLI
 * only prints its prompt again, which is how the shell resynchronises.
 *
 * Names (tunnel, VDOM) are 1-35 printable ASCII bytes.  A tunnel name
 * with spaces (phase-1 names may have them) is sent in double quotes;
 * allow_quote_name writes the form to send.  No quote, backslash or `?`
 * (the CLI's help key) may appear in any name.
 *
 * Single keys the shell answers prompts with (space or q for --More--,
 * Ctrl-C to stop a stream, 'a' for the login disclaimer when the config
 * allows it) go through allow_key.  CR and LF are not keys: the shell
 * ends a command line that allow_check accepted, nothing else.
 *
 * Ownership: nothing is allocated; why points to a static string; the
 * VDOM list given to allow_set_vdoms stays the caller's and must outlive
 * the context.
 */
#ifndef ALLOW_H
#define ALLOW_H

#include <stddef.h>

#define ALLOW_MAXLEN	512	/* longest command line, in bytes */
#define ALLOW_MAXNAME	35	/* longest tunnel or VDOM name */

struct allow_ctx {
	int	 state;		/* private: where in a vdom group we are */
	char *const *vdoms;	/* private: edit's names, NULL: any */
};

void	 allow_init(struct allow_ctx *);
/* Only these VDOMs (NULL-terminated) may follow `config vdom`. */
void	 allow_set_vdoms(struct allow_ctx *, char *const *);
/*
 * 1 when the command line (without its line ending) may be sent in this
 * context (the context then moves on), 0 with *why set when it may not.
 */
int	 allow_check(struct allow_ctx *, const char *, size_t,
	    const char **why);
/* 1 for the single keys above, else 0. */
int	 allow_key(int);
/*
 * Write name as it must be sent into buf: as is, or in double quotes
 * when it holds a space.  0, or -1 when the name cannot be sent (empty,
 * too long, a quote, backslash, `?` or control byte, or buf too small).
 */
int	 allow_quote_name(const char *, char *buf, size_t);

#endif
