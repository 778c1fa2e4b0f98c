/*
 * conn - one SSH session to a FortiGate with one channel, driven by the
 * libuv loop.
 *
 * A conn resolves the name without blocking the loop (uv_getaddrinfo),
 * connects its own non-blocking socket and hands it to libssh
 * (SSH_OPTIONS_FD), or lets libssh run the ProxyCommand / ProxyJump the
 * ssh_config names.  libssh runs non-blocking and is driven by one
 * uv_poll on its socket: after every libssh call the channel is drained
 * (data already buffered in libssh does not wake the poll), UV_WRITABLE
 * is asked for only while libssh has output pending, and a slow safety
 * timer drives keepalives and timeouts.
 *
 * The host key is checked against known_hosts before anything but the
 * key exchange is sent: unknown keys are refused (with the fingerprint
 * in the error) unless accept_new is set, changed keys always.  Then
 * authentication in OpenSSH's order: ssh-agent, keys, password,
 * keyboard-interactive (password prompts get the password, other
 * prompts the token, when given).  Then one channel: an interactive
 * shell on a tall pty, or one exec request.
 *
 * Callbacks only record what happened (the owner appends data to its
 * buffer, notes the state); the owner acts on it in its own turn.
 *
 * Ownership: the owner creates a conn with conn_new and ends it with
 * conn_close, which frees it once libuv has closed its handles; no
 * callback is called after conn_close returns.  When the connection ends
 * by itself, the closed callback runs once; conn_error and conn_errkind
 * then say why, and the owner still calls conn_close.  The options'
 * strings are copied.  Secrets are never logged or put in errors.
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <uv.h>

struct conn;

/* Why a connection failed or ended; CONN_E_NONE while it is fine. */
enum conn_errkind {
	CONN_E_NONE = 0,
	CONN_E_RESOLVE,		/* the name does not resolve */
	CONN_E_UNREACHABLE,	/* refused, timed out, no route */
	CONN_E_HOSTKEY_UNKNOWN,	/* not in known_hosts, accept_new off */
	CONN_E_HOSTKEY_CHANGED,	/* known_hosts has another key */
	CONN_E_AUTH,		/* every method was refused */
	CONN_E_CLOSED,		/* the device closed or dropped it */
	CONN_E_TIMEOUT,		/* no answer to keepalives */
	CONN_E_PROTOCOL,	/* SSH or channel error */
};

struct conn_opts {
	const char	*dest;		/* as the user gave it: alias or host */
	const char	*user;		/* NULL: from ssh_config, or $USER */
	int		 port;		/* 0: from ssh_config, or 22 */
	const char	*ssh_config;	/* NULL: the user's; "none": none */
	const char	*known_hosts;	/* NULL: from ssh_config / default */
	const char	*identity;	/* extra IdentityFile, or NULL */
	const char	*password;	/* or NULL */
	const char	*token;		/* FortiToken code, or NULL */
	int		 accept_new;	/* add unknown host keys */
	int		 no_agent;	/* do not ask ssh-agent */
	const char	*exec;		/* NULL: shell on a pty; else exec */
	int		 pty_cols;	/* 0: 512 */
	int		 pty_rows;	/* 0: 10000 (a tall pty) */
	unsigned	 timeout_ms;	/* connect + login; 0: 15000 */
	unsigned	 keepalive_ms;	/* 0: 15000; dead after 3 unanswered */
};

struct conn_cb {
	/* Authenticated and the channel is open: writes may start. */
	void	(*ready)(struct conn *, void *);
	/* Bytes from the channel (stdout and stderr alike). */
	void	(*data)(struct conn *, const char *, size_t, void *);
	/* The connection ended (EOF, error, failure to connect). */
	void	(*closed)(struct conn *, void *);
};

struct conn	*conn_new(uv_loop_t *, const struct conn_opts *,
		    const struct conn_cb *, void *);
/* Queue bytes for the channel; they go out as the window allows. */
void		 conn_write(struct conn *, const char *, size_t);
/* Tear down (channel, session, socket) and free; see above. */
void		 conn_close(struct conn *);

enum conn_errkind conn_errkind(const struct conn *);
/* A sentence for a NOC operator: "host key changed for fw1 ...". */
const char	*conn_error(const struct conn *);
/* After ready: the exec's exit status once closed, else -1. */
int		 conn_exit_status(const struct conn *);
/* The host and port actually connected to (after ssh_config). */
const char	*conn_host(const struct conn *);
int		 conn_port(const struct conn *);
/* Bytes read from the socket so far (for tests and benchmarks). */
unsigned long long conn_bytes_in(const struct conn *);

#endif
