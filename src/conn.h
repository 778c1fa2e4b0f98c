/* SPDX-License-Identifier: ISC */
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
 * in the error) unless accept_new is set, changed keys always.  libssh
 * reads known_hosts through khosts's copy of the lines that can name the
 * host (khosts.h), and accept_new appends to the file itself.  Then
 * authentication in OpenSSH's order: ssh-agent, keys, password,
 * keyboard-interactive (password prompts get the password, other
 * prompts the token, when given).  Then one channel: an interactive
 * shell on a tall pty, or one exec request.
 *
 * Callbacks only record what happened (the owner appends data to its
 * buffer, notes the state); the owner acts on it in its own turn.
 *
 * Callbacks may call conn_write and conn_close.  conn_new never calls
 * one: an error found at once (a host name libssh refuses, an unreadable
 * ssh_config) is reported through closed on the next loop turn.
 *
 * ssh_config (opts.ssh_config: NULL the user's ~/.ssh/config and
 * /etc/ssh/ssh_config, "none" none, else that file, like ssh -F) is read
 * by libssh 0.10, which applies HostName, User, Port, UserKnownHostsFile,
 * GlobalKnownHostsFile, ProxyCommand, ProxyJump (as "ssh -W" through
 * the ProxyCommand), Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,
 * PubkeyAcceptedKeyTypes, the *Authentication switches, Include and
 * Match.  Three keys libssh 0.10 does not give us are read by conn
 * itself from the same file(s), in Host blocks matched against dest
 * (first value wins; conn's reader skips Match blocks and Include):
 * StrictHostKeyChecking (accept-new and no mean accept_new; a changed
 * key is refused whatever it says), IdentitiesOnly (yes: no default
 * ~/.ssh/id_* keys) and IdentityFile (the keys to offer).  Explicit
 * options (user, port, known_hosts, identity) win over the file.
 * Without a Ciphers line conn offers libssh's ciphers with AES-GCM
 * first (cheaper than chacha20-poly1305 on CPUs with AES instructions).
 *
 * Keys: opts.identity, then the IdentityFile entries, then ~/.ssh/
 * id_ed25519, id_ecdsa, id_rsa; each is offered first (its .pub file,
 * or the public half of the private one) and signed with only when the
 * device accepts it.  Keys with a passphrase are skipped: libssh never
 * prompts on the terminal.  The agent is asked only when SSH_AUTH_SOCK
 * is set and no_agent is not.
 *
 * Liveness: a keepalive (keepalive@openssh.com) goes out about every
 * keepalive_ms; when nothing at all is read from the socket for three
 * intervals the conn ends with CONN_E_TIMEOUT.  A device that answers
 * the keepalives but holds back its output (a stall) is alive: as with
 * OpenSSH's ServerAliveInterval, that is the owner's command timeout,
 * not conn's.  Until ready, timeout_ms bounds the connect and the login
 * (CONN_E_UNREACHABLE before the TCP connection, CONN_E_TIMEOUT after).
 *
 * An exec ends with CONN_E_NONE when the device sent EOF (and its exit
 * status, or closed the channel); conn_exit_status then has the status.
 * A shell's EOF is CONN_E_CLOSED ("connection closed by the device");
 * a TCP connection cut without an SSH goodbye is CONN_E_CLOSED ("the
 * connection was dropped").  Every byte read before either is delivered
 * first.
 *
 * Errors read like "fw1 (127.0.0.1:2222): connection refused" and
 * "fw1: authentication failed for user admin (tried: publickey,
 * password)"; host key errors name the SHA256 fingerprint (as ssh
 * prints it) and the known_hosts file.  Text from the device (prompts)
 * is made printable and bounded before it goes into an error.
 *
 * Ownership: the owner creates a conn with conn_new and ends it with
 * conn_close, which frees it once libuv has closed its handles; no
 * callback is called after conn_close returns.  When the connection ends
 * by itself, the closed callback runs once; conn_error and conn_errkind
 * then say why, and the owner still calls conn_close.  The options'
 * strings are copied (the password and token are wiped when freed).
 * Secrets are never logged or put in errors.  conn_error's string
 * belongs to the conn.  The sockets are the conn's; a ProxyCommand's
 * process is libssh's (it is killed and reaped at close).
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <uv.h>

struct conn;

/* The shell's pty height: a FortiGate's --More-- pages are this tall. */
#define CONN_PTY_ROWS	1000

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
	const char	*dest;		/* alias or host, no user@ nor :port;
					   IPv6 without brackets */
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
	int		 pty_rows;	/* 0: CONN_PTY_ROWS (a tall pty) */
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
/*
 * The cipher the device's output came in ("aes128-gcm@openssh.com"),
 * kept from the login on; NULL before it.
 */
const char	*conn_cipher(const struct conn *);
/* Bytes read from the socket so far (for tests and benchmarks). */
unsigned long long conn_bytes_in(const struct conn *);

#endif
