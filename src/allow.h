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
 * Single keys the shell answers prompts with (space or q for --More--,
 * Ctrl-C to stop a stream, 'a' for the login disclaimer when the config
 * allows it) go through allow_key.
 *
 * Ownership: nothing is allocated; why points to a static string.
 */
#ifndef ALLOW_H
#define ALLOW_H

#include <stddef.h>

struct allow_ctx {
	int	 state;		/* private: where in a vdom group we are */
};

void	 allow_init(struct allow_ctx *);
/*
 * 1 when the command line (without its line ending) may be sent in this
 * context (the context then moves on), 0 with *why set when it may not.
 */
int	 allow_check(struct allow_ctx *, const char *, size_t,
	    const char **why);
/* 1 for the single keys above, else 0. */
int	 allow_key(int);

#endif
