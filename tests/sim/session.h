/* SPDX-License-Identifier: ISC */
/*
 * session - the line discipline of one shell or exec channel.
 *
 * A session turns the bytes a client types into FortiOS commands and the
 * device half's output into the bytes a FortiGate console would send:
 * echo, the prompt, CRLF line ends, the --More-- pager, the "(Press 'a'
 * to accept):" disclaimer, Ctrl-C, and the asynchronous IKE debug stream
 * between prompts.  It never touches a socket: the transport takes the
 * pending bytes with sess_pending/sess_consume and decides how fast they
 * leave (transport faults live there).
 *
 * Ownership: a session owns its sim_cli and its buffers; sess_free
 * releases them.  The device and the world belong to the caller.
 */
#ifndef SIM_SESSION_H
#define SIM_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

struct sess;

/* exec: an exec channel (no echo, prompt, pager or disclaimer). */
struct sess	*sess_new(struct sim_device *, uint64_t, int);
void		 sess_free(struct sess *);

/* The client's pty height (pty-req, window-change); 0: no pty. */
void		 sess_set_rows(struct sess *, int);
/* Shell: show the disclaimer or the first prompt. */
void		 sess_start_shell(struct sess *, double);
/* Exec: run these command lines, then finish. */
void		 sess_start_exec(struct sess *, const char *, double);
/* Bytes the client typed. */
void		 sess_input(struct sess *, const char *, size_t, double);
/* The client sent EOF: finish once the typed input is handled. */
void		 sess_eof(struct sess *, double);
/* Go on with queued input once the client has read enough output. */
void		 sess_resume(struct sess *, double);
/* Drive streaming commands and asynchronous debug output. */
void		 sess_tick(struct sess *, double);

/* Output waiting for the channel, and how much of it was sent. */
const char	*sess_pending(struct sess *, size_t *);
void		 sess_consume(struct sess *, size_t);

/* Nothing more will be produced (exit, exec done, disclaimer refused). */
int		 sess_finished(const struct sess *);
void		 sess_debug_state(const struct sess *,
		     struct sim_debug_state *);

#endif
