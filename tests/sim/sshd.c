/* SPDX-License-Identifier: ISC */
/*
 * sshd - fgtsim's SSH server on libssh 0.10's server API.
 *
 * One thread, one ssh_event.  Listening sockets are ours (one per
 * device, cheap); an accepted socket goes to libssh through
 * ssh_bind_accept_fd with the shared host key, or with a key of its own
 * for a device whose scenario asks for new_hostkey.  The key exchange
 * runs non-blocking: ssh_handle_key_exchange starts it and the event
 * loop's packet callbacks finish it, so a client that connects and says
 * nothing cannot hold up the other thousand devices.
 *
 * libssh callbacks only record what happened or feed the session's line
 * discipline; anything that frees or disconnects happens in the main
 * loop (conn_service, conn_reap), never inside a callback, because
 * libssh may be dispatching packets for another session when it calls
 * us.  Output leaves through chan_flush, which is where the transport
 * faults live: slow_bps (token bucket), stall_s after stall_after bytes,
 * drop_after (TCP cut without an SSH goodbye).  Bytes are counted per
 * connection over everything the device sends on its channels.
 */
#include "config.h"

#include <sys/stat.h>

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>

#include "log.h"
#include "session.h"
#include "sshd.h"

#define SSHD_TICK_MS		50
#define SSHD_MAX_FAILS		3	/* wrong passwords before hang-up */
#define SSHD_LOGIN_TIMEOUT	120.0	/* seconds to finish logging in */
#define SSHD_HANGUP_GRACE	2.0	/* seconds to flush before hang-up */
#define SSHD_FLUSH_MAX		(256 * 1024)	/* per channel per pass */
#define SSHD_PTY_READ		4096		/* a pty read: one packet */
#define SSHD_TOKEN_PROMPT	"Please enter FortiToken code: "

struct sshd;
struct conn;

struct lsn {
	struct sshd			*d;
	int				 fd;
	struct sim_device		*dev;
	const struct sim_devinfo	*info;
	ssh_bind			 bind;		/* shared or own key */
	int				 ownbind;
	int				 nconns;
	int				 readable;
};

struct chan {
	struct conn			*c;
	ssh_channel			 ch;
	struct ssh_channel_callbacks_struct cb;
	struct sess			*sess;
	int				 exec;
	size_t				 err_left;	/* fault stderr, to send */
	int				 rows;		/* pty-req height, 0: none */
	int				 peer_eof;
	int				 peer_closed;
	int				 closed;	/* we sent close */
	struct chan			*next;
};

struct conn {
	struct sshd			*d;
	struct lsn			*l;
	ssh_session			 s;
	struct ssh_server_callbacks_struct scb;
	uint64_t			 id;
	char				 peer[64];
	char				*user;
	int				 authed;
	int				 fails;
	int				 kbd_stage;	/* 1 pass, 2 token */
	const char			*token;		/* due after password */
	int				 hangup;	/* once flushed */
	double				 hangup_at;	/* at the latest */
	int				 drop;
	int				 dead;
	const char			*reason;
	double				 born;
	size_t				 sent;
	int				 stalled;
	double				 stall_until;
	double				 tokens;
	double				 filled;
	struct sim_debug_state		 left;
	struct chan			*chans;
	struct conn			*next;
};

struct sshd {
	struct sim_world		*w;
	ssh_event			 ev;
	ssh_key				 key;		/* owned by bind */
	ssh_bind			 bind;
	struct lsn			**lsn;
	size_t				 nlsn;
	struct conn			*conns;
	uint64_t			 nextid;
	double				 speed;
	struct timespec			 start;
	double				 lasttick;
	char				**pwuser;
	char				**pwpass;
	size_t				 npw;
	ssh_key				*akeys;
	size_t				 nakeys;
};

static double
sshd_wall(const struct sshd *d)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)(ts.tv_sec - d->start.tv_sec) +
	    (double)(ts.tv_nsec - d->start.tv_nsec) / 1e9);
}

static double
sshd_sim(const struct sshd *d)
{
	return (sshd_wall(d) * d->speed);
}

/* Host keys. */

static ssh_key
sshd_key_generate(char *err, size_t errlen)
{
	ssh_key	 k = NULL;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k) != SSH_OK) {
		snprintf(err, errlen, "cannot generate an ed25519 host key");
		return (NULL);
	}
	return (k);
}

static ssh_key
sshd_key_load(const char *path, char *err, size_t errlen)
{
	ssh_key	 k = NULL;

	if (access(path, F_OK) == 0) {
		if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL,
		    &k) != SSH_OK) {
			snprintf(err, errlen, "%s: not a usable private key",
			    path);
			return (NULL);
		}
		return (k);
	}
	if ((k = sshd_key_generate(err, errlen)) == NULL)
		return (NULL);
	/* A private key: readable by its owner only, as ssh expects. */
	if (ssh_pki_export_privkey_file(k, NULL, NULL, NULL, path) !=
	    SSH_OK || chmod(path, 0600) != 0) {
		snprintf(err, errlen, "%s: cannot save the host key", path);
		ssh_key_free(k);
		return (NULL);
	}
	return (k);
}

/* A bind object only carries the host key for ssh_bind_accept_fd. */
static ssh_bind
sshd_bind_new(ssh_key k)
{
	ssh_bind	 b;
	int		 no = 0;

	if ((b = ssh_bind_new()) == NULL)
		return (NULL);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no);
	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_IMPORT_KEY, k) != SSH_OK) {
		ssh_bind_free(b);
		return (NULL);
	}
	return (b);
}

/* Credentials. */

static int
sshd_akeys_load(struct sshd *d, const char *path, char *err, size_t errlen)
{
	FILE			*f;
	char			 line[8192], *type, *b64, *save;
	enum ssh_keytypes_e	 kt;
	ssh_key			 k;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if ((type = strtok_r(line, " \t\r\n", &save)) == NULL ||
		    *type == '#')
			continue;
		if ((b64 = strtok_r(NULL, " \t\r\n", &save)) == NULL)
			continue;
		kt = ssh_key_type_from_name(type);
		if (kt == SSH_KEYTYPE_UNKNOWN)
			continue;	/* options before the key: skip */
		k = NULL;
		if (ssh_pki_import_pubkey_base64(b64, kt, &k) != SSH_OK)
			continue;
		d->akeys = reallocarray(d->akeys, d->nakeys + 1,
		    sizeof *d->akeys);
		if (d->akeys == NULL)
			abort();
		d->akeys[d->nakeys++] = k;
	}
	fclose(f);
	return (0);
}

static int
sshd_pubkey_matches(const char *text, const ssh_key key)
{
	char			 buf[8192], *type, *b64, *save;
	enum ssh_keytypes_e	 kt;
	ssh_key			 k = NULL;
	int			 same;

	if (text == NULL || strlen(text) >= sizeof buf)
		return (0);
	strcpy(buf, text);
	if ((type = strtok_r(buf, " \t", &save)) == NULL ||
	    (b64 = strtok_r(NULL, " \t", &save)) == NULL)
		return (0);
	if ((kt = ssh_key_type_from_name(type)) == SSH_KEYTYPE_UNKNOWN)
		return (0);
	if (ssh_pki_import_pubkey_base64(b64, kt, &k) != SSH_OK)
		return (0);
	same = ssh_key_cmp(k, key, SSH_KEY_CMP_PUBLIC) == 0;
	ssh_key_free(k);
	return (same);
}

/* Returns 1 and the token still due (or NULL) when the password is right. */
static int
sshd_password_ok(struct conn *c, const char *user, const char *pass,
    const char **token)
{
	const struct sim_devinfo	*info = c->l->info;
	struct sshd			*d = c->d;
	size_t				 i;

	*token = NULL;
	if (user == NULL || pass == NULL || info->faults.auth_fail)
		return (0);
	for (i = 0; i < d->npw; i++) {
		if ((strcmp(d->pwuser[i], user) == 0 ||
		    strcmp(d->pwuser[i], "*") == 0) &&
		    strcmp(d->pwpass[i], pass) == 0)
			return (1);
	}
	for (i = 0; i < info->ncreds; i++) {
		if (info->creds[i].user == NULL ||
		    info->creds[i].password == NULL ||
		    strcmp(info->creds[i].user, user) != 0 ||
		    strcmp(info->creds[i].password, pass) != 0)
			continue;
		*token = info->creds[i].token;
		return (1);
	}
	return (0);
}

static int
sshd_pubkey_ok(struct conn *c, const char *user, const ssh_key key)
{
	const struct sim_devinfo	*info = c->l->info;
	struct sshd			*d = c->d;
	size_t				 i;

	if (info->faults.auth_fail)
		return (0);
	for (i = 0; i < d->nakeys; i++) {
		if (ssh_key_cmp(d->akeys[i], key, SSH_KEY_CMP_PUBLIC) == 0)
			return (1);
	}
	for (i = 0; i < info->ncreds; i++) {
		if (info->creds[i].user != NULL && user != NULL &&
		    strcmp(info->creds[i].user, user) == 0 &&
		    sshd_pubkey_matches(info->creds[i].pubkey, key))
			return (1);
	}
	return (0);
}

static void
conn_set_user(struct conn *c, const char *user)
{
	if (user == NULL)
		return;
	free(c->user);
	if ((c->user = strdup(user)) == NULL)
		abort();
}

static void
sshd_auth_failed(struct conn *c, const char *method)
{
	log_auth(c->id, c->l->info->hostname, c->user, method, 0);
	if (++c->fails >= SSHD_MAX_FAILS && !c->hangup) {
		c->hangup = 1;
		c->hangup_at = sshd_wall(c->d) + SSHD_HANGUP_GRACE;
		c->reason = "auth";
	}
}

static void
sshd_auth_succeeded(struct conn *c, const char *method)
{
	c->authed = 1;
	log_auth(c->id, c->l->info->hostname, c->user, method, 1);
}

/* libssh server callbacks: they only decide and record. */

static int
cb_auth_password(ssh_session s, const char *user, const char *pass,
    void *arg)
{
	struct conn	*c = arg;
	const char	*token;

	conn_set_user(c, user);
	if (!sshd_password_ok(c, user, pass, &token)) {
		sshd_auth_failed(c, "password");
		return (SSH_AUTH_DENIED);
	}
	if (token != NULL) {
		/* FortiToken: the code is asked by keyboard-interactive. */
		c->token = token;
		log_auth(c->id, c->l->info->hostname, c->user, "password", -1);
		ssh_set_auth_methods(s, SSH_AUTH_METHOD_INTERACTIVE);
		return (SSH_AUTH_PARTIAL);
	}
	sshd_auth_succeeded(c, "password");
	return (SSH_AUTH_SUCCESS);
}

static int
cb_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *key,
    char state, void *arg)
{
	struct conn	*c = arg;

	conn_set_user(c, user);
	if (!sshd_pubkey_ok(c, user, key)) {
		if (state != SSH_PUBLICKEY_STATE_NONE)
			sshd_auth_failed(c, "publickey");
		return (SSH_AUTH_DENIED);
	}
	if (state == SSH_PUBLICKEY_STATE_VALID)
		sshd_auth_succeeded(c, "publickey");
	else if (state != SSH_PUBLICKEY_STATE_NONE)
		return (SSH_AUTH_DENIED);
	return (SSH_AUTH_SUCCESS);
}

static void
sshd_kbd_ask(struct conn *c, ssh_message m, int stage)
{
	const char	*pw[] = { "Password: " };
	const char	*tok[] = { SSHD_TOKEN_PROMPT };
	char		 echo[] = { 0 };

	c->kbd_stage = stage;
	ssh_message_auth_interactive_request(m, "", "", 1,
	    stage == 1 ? pw : tok, echo);
}

/* Keyboard-interactive has no callback in 0.10: the message API does it. */
static int
cb_message(ssh_session s, ssh_message m, void *arg)
{
	struct conn	*c = arg;
	const char	*ans, *token;

	if (ssh_message_type(m) != SSH_REQUEST_AUTH ||
	    ssh_message_subtype(m) != SSH_AUTH_METHOD_INTERACTIVE)
		return (1);	/* libssh sends the default reply */
	if (!ssh_message_auth_kbdint_is_response(m)) {
		conn_set_user(c, ssh_message_auth_user(m));
		sshd_kbd_ask(c, m, c->token != NULL ? 2 : 1);
		return (0);
	}
	ans = ssh_userauth_kbdint_getnanswers(s) > 0 ?
	    ssh_userauth_kbdint_getanswer(s, 0) : NULL;
	if (c->kbd_stage == 1 && sshd_password_ok(c, c->user, ans, &token)) {
		if (token != NULL) {
			c->token = token;
			sshd_kbd_ask(c, m, 2);
			return (0);
		}
		sshd_auth_succeeded(c, "keyboard-interactive");
		ssh_message_auth_reply_success(m, 0);
		return (0);
	}
	if (c->kbd_stage == 2 && ans != NULL && c->token != NULL &&
	    strcmp(ans, c->token) == 0 && !c->l->info->faults.auth_fail) {
		sshd_auth_succeeded(c, "keyboard-interactive");
		ssh_message_auth_reply_success(m, 0);
		return (0);
	}
	c->kbd_stage = 0;
	sshd_auth_failed(c, "keyboard-interactive");
	return (1);
}

static int
cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int err,
    void *arg)
{
	struct chan	*h = arg;

	if (h->sess != NULL && !err)
		sess_input(h->sess, data, len, sshd_sim(h->c->d));
	return ((int)len);
}

static void
cb_eof(ssh_session s, ssh_channel ch, void *arg)
{
	struct chan	*h = arg;

	h->peer_eof = 1;
	if (h->sess != NULL)
		sess_eof(h->sess, sshd_sim(h->c->d));
}

static void
cb_close(ssh_session s, ssh_channel ch, void *arg)
{
	struct chan	*h = arg;

	h->peer_closed = 1;
}

static int
cb_pty(ssh_session s, ssh_channel ch, const char *term, int w, int hgt,
    int pw, int ph, void *arg)
{
	struct chan	*h = arg;

	/* The pager's page height: the shell request comes after. */
	h->rows = hgt > 0 ? hgt : 0;
	return (0);
}

static int
cb_winch(ssh_session s, ssh_channel ch, int w, int hgt, int pw, int ph,
    void *arg)
{
	struct chan	*h = arg;

	h->rows = hgt > 0 ? hgt : 0;
	if (h->sess != NULL)
		sess_set_rows(h->sess, h->rows);
	return (0);
}

static int
cb_shell(ssh_session s, ssh_channel ch, void *arg)
{
	struct chan	*h = arg;

	if (h->sess != NULL)
		return (-1);
	h->sess = sess_new(h->c->l->dev, h->c->id, 0);
	sess_set_rows(h->sess, h->rows);
	sess_start_shell(h->sess, sshd_sim(h->c->d));
	return (0);
}

static int
cb_exec(ssh_session s, ssh_channel ch, const char *cmd, void *arg)
{
	struct chan	*h = arg;

	if (h->sess != NULL)
		return (-1);
	h->exec = 1;
	h->err_left = h->c->l->info->faults.stderr_bytes;
	h->sess = sess_new(h->c->l->dev, h->c->id, 1);
	sess_start_exec(h->sess, cmd, sshd_sim(h->c->d));
	return (0);
}

static ssh_channel
cb_channel_open(ssh_session s, void *arg)
{
	struct conn	*c = arg;
	struct chan	*h;
	int		 open = 0;

	if (!c->authed || c->hangup)
		return (NULL);
	for (h = c->chans; h != NULL; h = h->next)
		open += !h->closed;
	if (open > 0 && c->l->info->faults.refuse_second) {
		log_refused(c->id, c->l->info->hostname, "second channel");
		return (NULL);
	}
	if ((h = calloc(1, sizeof *h)) == NULL)
		abort();
	if ((h->ch = ssh_channel_new(s)) == NULL) {
		free(h);
		return (NULL);
	}
	h->c = c;
	h->cb.userdata = h;
	h->cb.channel_data_function = cb_data;
	h->cb.channel_eof_function = cb_eof;
	h->cb.channel_close_function = cb_close;
	h->cb.channel_pty_request_function = cb_pty;
	h->cb.channel_pty_window_change_function = cb_winch;
	h->cb.channel_shell_request_function = cb_shell;
	h->cb.channel_exec_request_function = cb_exec;
	ssh_callbacks_init(&h->cb);
	ssh_set_channel_callbacks(h->ch, &h->cb);
	h->next = c->chans;
	c->chans = h;
	return (h->ch);
}

/* Connections. */

static void
sshd_peer_name(int fd, char *buf, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof ss;
	char			 host[INET6_ADDRSTRLEN];

	snprintf(buf, len, "?");
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%d", host, ntohs(sin->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%d", host, ntohs(sin6->sin6_port));
	}
}

static void
conn_accept(struct sshd *d, struct lsn *l, int fd)
{
	struct conn	*c;
	ssh_session	 s;
	int		 rc;

	if ((c = calloc(1, sizeof *c)) == NULL)
		abort();
	c->d = d;
	c->l = l;
	c->id = ++d->nextid;
	c->born = sshd_wall(d);
	c->filled = c->born;
	sshd_peer_name(fd, c->peer, sizeof c->peer);
	log_connect(c->id, l->info->hostname, c->peer);
	if (l->info->faults.refuse_second && l->nconns > 0) {
		/* The box is busy: it closes the door without a word. */
		log_refused(c->id, l->info->hostname, "second session");
		close(fd);
		free(c);
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if ((s = ssh_new()) == NULL) {
		close(fd);
		free(c);
		return;
	}
	if (ssh_bind_accept_fd(l->bind, s, fd) != SSH_OK) {
		fprintf(stderr, "fgtsim: accept: %s\n", ssh_get_error(l->bind));
		/* Once the session holds the socket, ssh_free closes it. */
		if (ssh_get_fd(s) != fd)
			close(fd);
		ssh_free(s);
		free(c);
		return;
	}
	c->s = s;
	c->scb.userdata = c;
	c->scb.auth_password_function = cb_auth_password;
	c->scb.auth_pubkey_function = cb_auth_pubkey;
	c->scb.channel_open_request_session_function = cb_channel_open;
	ssh_callbacks_init(&c->scb);
	ssh_set_server_callbacks(s, &c->scb);
	ssh_set_message_callback(s, cb_message, c);
	ssh_set_auth_methods(s, SSH_AUTH_METHOD_PASSWORD |
	    SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_INTERACTIVE);
	ssh_set_blocking(s, 0);
	rc = ssh_handle_key_exchange(s);
	if (rc == SSH_ERROR || ssh_event_add_session(d->ev, s) != SSH_OK) {
		c->dead = 1;
		c->reason = "kex";
	}
	l->nconns++;
	c->next = d->conns;
	d->conns = c;
}

static int
cb_listener(socket_t fd, int revents, void *arg)
{
	struct lsn	*l = arg;

	l->readable = 1;
	return (0);
}

static void
lsn_accept(struct sshd *d, struct lsn *l)
{
	int	 fd;

	l->readable = 0;
	for (;;) {
		fd = accept(l->fd, NULL, NULL);
		if (fd < 0)
			return;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		conn_accept(d, l, fd);
	}
}

static void
sshd_state_merge(struct sim_debug_state *into, const struct sim_debug_state *ds)
{
	into->enabled |= ds->enabled;
	if (ds->ike_level != 0)
		into->ike_level = ds->ike_level;
	into->filter_set |= ds->filter_set;
}

static void
chan_release(struct chan *h)
{
	struct sim_debug_state	 ds;

	if (h->sess != NULL) {
		sess_debug_state(h->sess, &ds);
		sshd_state_merge(&h->c->left, &ds);
		sess_free(h->sess);
		h->sess = NULL;
	}
}

/*
 * A FortiGate's CLI writes to a pty, and its sshd forwards what each
 * read of the pty returns: a Linux pty hands out at most 4 KB a read, so
 * a console's output travels in packets of at most 4 KB, however long
 * the page.  A shell channel here does the same (an exec channel has no
 * pty: its output goes in packets as large as the client allows).
 */
static size_t
chan_write(struct chan *h, size_t budget)
{
	const char	*p;
	size_t		 off = 0, n, k;
	int		 w;

	static const char	 tilde[4096] = { [0 ... 4095] = '~' };

	/* fault stderr: that much of '~' on stderr before the output. */
	while (h->err_left > 0 && off < budget) {
		k = budget - off < h->err_left ? budget - off : h->err_left;
		if (k > sizeof tilde)
			k = sizeof tilde;
		if ((w = ssh_channel_write_stderr(h->ch, tilde,
		    (uint32_t)k)) <= 0)
			return (off);
		h->err_left -= (size_t)w;
		off += (size_t)w;
		if ((size_t)w < k)
			return (off);
	}
	while (off < budget) {
		/*
		 * Asked again each time: a write may pump packets, and the
		 * input they carry may have grown (moved) the output.
		 */
		p = sess_pending(h->sess, &n);
		k = budget - off < n ? budget - off : n;
		if (!h->exec && k > SSHD_PTY_READ)
			k = SSHD_PTY_READ;
		if (k == 0 || (w = ssh_channel_write(h->ch, p,
		    (uint32_t)k)) <= 0)
			break;
		sess_consume(h->sess, (size_t)w);
		off += (size_t)w;
		if ((size_t)w < k)
			break;
	}
	return (off);
}

/* Send what the session has, as fast as the faults allow. */
static int
chan_flush(struct conn *c, struct chan *h, double wall)
{
	const struct sim_faults	*f = &c->l->info->faults;
	size_t			 n, budget, w;
	uint32_t		 win;

	(void)sess_pending(h->sess, &n);
	n += h->err_left;
	if (n == 0 || h->closed || c->drop)
		return (0);
	if (c->stalled == 1) {
		if (wall < c->stall_until)
			return (0);
		c->stalled = 2;
	}
	win = ssh_channel_window_size(h->ch);
	budget = n < win ? n : win;
	if (budget > SSHD_FLUSH_MAX)
		budget = SSHD_FLUSH_MAX;
	if (f->stall_s > 0 && c->stalled == 0 &&
	    c->sent + budget > f->stall_after) {
		budget = f->stall_after > c->sent ?
		    f->stall_after - c->sent : 0;
		if (budget == 0) {
			c->stalled = 1;
			c->stall_until = wall + f->stall_s;
			return (0);
		}
	}
	if (f->drop_after > 0 && c->sent + budget >= f->drop_after) {
		budget = f->drop_after > c->sent ? f->drop_after - c->sent : 0;
		c->drop = 1;
		c->reason = "dropped";
	}
	if (f->slow_bps > 0) {
		c->tokens += (wall - c->filled) * (double)f->slow_bps;
		c->filled = wall;
		if (c->tokens > (double)f->slow_bps / 10 + 1)
			c->tokens = (double)f->slow_bps / 10 + 1;
		if ((double)budget > c->tokens)
			budget = (size_t)c->tokens;
	}
	if (budget == 0 || (w = chan_write(h, budget)) == 0)
		return (0);
	c->sent += w;
	if (f->slow_bps > 0)
		c->tokens -= (double)w;
	/* More to send right away unless the pace says wait. */
	return (f->slow_bps == 0 && w < n);
}

/* Close channels that are done and free the ones both sides closed. */
static void
chan_reap(struct conn *c)
{
	struct chan	**hp, *h;
	size_t		 n;

	for (hp = &c->chans; (h = *hp) != NULL;) {
		if (!h->closed && h->sess != NULL && sess_finished(h->sess) &&
		    (sess_pending(h->sess, &n), n == 0) && h->err_left == 0) {
			if (h->exec)
				ssh_channel_request_send_exit_status(h->ch, 0);
			ssh_channel_close(h->ch);
			h->closed = 1;
			if (!h->exec && !h->peer_eof && !h->peer_closed &&
			    c->hangup_at == 0) {
				/*
				 * exit or a declined disclaimer ends the SSH
				 * session too; give the client a moment to
				 * say goodbye itself.
				 */
				c->hangup_at = sshd_wall(c->d) +
				    SSHD_HANGUP_GRACE;
				c->reason = "exit";
			}
		}
		if (h->peer_closed && !h->closed) {
			ssh_channel_close(h->ch);
			h->closed = 1;
		}
		if (h->closed && h->peer_closed) {
			chan_release(h);
			ssh_remove_channel_callbacks(h->ch, &h->cb);
			ssh_channel_free(h->ch);
			*hp = h->next;
			free(h);
			continue;
		}
		hp = &h->next;
	}
}

/* One pass over a connection; returns 1 when it has output to push. */
static int
conn_service(struct sshd *d, struct conn *c, double wall, int tick)
{
	struct chan	*h;
	int		 st, busy = 0;

	if (c->dead)
		return (0);
	st = ssh_get_status(c->s);
	if ((st & (SSH_CLOSED | SSH_CLOSED_ERROR)) || !ssh_is_connected(c->s)) {
		c->dead = 1;
		if (c->reason == NULL)
			c->reason = "closed";
		return (0);
	}
	if (!c->authed && c->hangup_at == 0 &&
	    wall - c->born > SSHD_LOGIN_TIMEOUT) {
		c->hangup_at = wall;
		c->reason = "login timeout";
	}
	for (h = c->chans; h != NULL; h = h->next) {
		if (h->sess == NULL)
			continue;
		if (tick)
			sess_tick(h->sess, sshd_sim(d));
		busy |= chan_flush(c, h, wall);
		if (h->sess != NULL)
			sess_resume(h->sess, sshd_sim(d));
	}
	chan_reap(c);
	st = ssh_get_status(c->s);
	if (c->drop && !(st & SSH_WRITE_PENDING)) {
		/* Cut the TCP connection: no SSH goodbye, as on a crash. */
		shutdown(ssh_get_fd(c->s), SHUT_RDWR);
		c->dead = 1;
	}
	if ((c->hangup && !(st & SSH_WRITE_PENDING)) ||
	    (c->hangup_at != 0 && wall >= c->hangup_at))
		c->dead = 1;
	return (busy);
}

static void
conn_free(struct sshd *d, struct conn *c)
{
	struct chan	*h;

	while ((h = c->chans) != NULL) {
		c->chans = h->next;
		chan_release(h);
		ssh_remove_channel_callbacks(h->ch, &h->cb);
		free(h);
	}
	log_disconnect(c->id, c->l->info->hostname,
	    c->reason != NULL ? c->reason : "closed", &c->left);
	if (c->s != NULL) {
		ssh_event_remove_session(d->ev, c->s);
		if (c->drop)
			ssh_silent_disconnect(c->s);
		else
			ssh_disconnect(c->s);
		ssh_free(c->s);
	}
	c->l->nconns--;
	free(c->user);
	free(c);
}

static void
conn_reap(struct sshd *d)
{
	struct conn	**cp, *c;

	for (cp = &d->conns; (c = *cp) != NULL;) {
		if (c->dead) {
			*cp = c->next;
			conn_free(d, c);
			continue;
		}
		cp = &c->next;
	}
}

/* The server. */

struct sshd *
sshd_new(struct sim_world *w, const struct sshd_config *cfg, char *err,
    size_t errlen)
{
	struct sshd	*d;
	const char	*colon;
	size_t		 i;

	if ((d = calloc(1, sizeof *d)) == NULL)
		abort();
	d->w = w;
	d->speed = cfg->speed > 0 ? cfg->speed : 1.0;
	clock_gettime(CLOCK_MONOTONIC, &d->start);
	if ((d->ev = ssh_event_new()) == NULL) {
		snprintf(err, errlen, "ssh_event_new failed");
		goto fail;
	}
	if (cfg->hostkey != NULL)
		d->key = sshd_key_load(cfg->hostkey, err, errlen);
	else
		d->key = sshd_key_generate(err, errlen);
	if (d->key == NULL)
		goto fail;
	if ((d->bind = sshd_bind_new(d->key)) == NULL) {
		snprintf(err, errlen, "cannot set up the host key");
		ssh_key_free(d->key);
		goto fail;
	}
	if (cfg->authkeys != NULL && sshd_akeys_load(d, cfg->authkeys, err,
	    errlen) != 0)
		goto fail;
	for (i = 0; i < cfg->npasswords; i++) {
		if ((colon = strchr(cfg->passwords[i], ':')) == NULL) {
			snprintf(err, errlen, "--password wants USER:PASS");
			goto fail;
		}
		d->pwuser = reallocarray(d->pwuser, d->npw + 1,
		    sizeof *d->pwuser);
		d->pwpass = reallocarray(d->pwpass, d->npw + 1,
		    sizeof *d->pwpass);
		if (d->pwuser == NULL || d->pwpass == NULL)
			abort();
		d->pwuser[d->npw] = strndup(cfg->passwords[i],
		    (size_t)(colon - cfg->passwords[i]));
		d->pwpass[d->npw] = strdup(colon + 1);
		if (d->pwuser[d->npw] == NULL || d->pwpass[d->npw] == NULL)
			abort();
		d->npw++;
	}
	return (d);
fail:
	sshd_free(d);
	return (NULL);
}

static int
sshd_addr_parse(const char *addr, int port, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		/* Loopback only: this is a test tool. */
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			return (-1);
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*sl = sizeof *sin;
		return (0);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return (-1);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*sl = sizeof *sin6;
		return (0);
	}
	return (-1);
}

int
sshd_listen(struct sshd *d, size_t idx, const char *addr, int port,
    char *err, size_t errlen)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	struct lsn		*l;
	ssh_key			 k;
	int			 fd, one = 1;

	if (idx >= sim_world_ndevices(d->w)) {
		snprintf(err, errlen, "no device %zu", idx);
		return (-1);
	}
	if (sshd_addr_parse(addr, port, &ss, &sl) != 0) {
		snprintf(err, errlen, "%s: not a loopback address", addr);
		return (-1);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return (-1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "%s port %d: %s", addr, port,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	if ((l = calloc(1, sizeof *l)) == NULL)
		abort();
	l->d = d;
	l->fd = fd;
	l->dev = sim_world_device(d->w, idx);
	l->info = sim_device_info(l->dev);
	l->bind = d->bind;
	if (l->info->faults.new_hostkey) {
		/* A changed host key: this device gets a key of its own. */
		if ((k = sshd_key_generate(err, errlen)) == NULL ||
		    (l->bind = sshd_bind_new(k)) == NULL) {
			snprintf(err, errlen, "cannot make a new host key");
			ssh_key_free(k);
			close(fd);
			free(l);
			return (-1);
		}
		l->ownbind = 1;
	}
	d->lsn = reallocarray(d->lsn, d->nlsn + 1, sizeof *d->lsn);
	if (d->lsn == NULL)
		abort();
	d->lsn[d->nlsn++] = l;
	ssh_event_add_fd(d->ev, fd, POLLIN, cb_listener, l);
	if (ss.ss_family == AF_INET6)
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	log_listen(l->info->hostname, addr, port);
	return (port);
}

int
sshd_run(struct sshd *d, volatile sig_atomic_t *stop)
{
	struct conn	*c;
	double		 wall;
	size_t		 i;
	int		 busy = 0, tick;

	while (!*stop) {
		ssh_event_dopoll(d->ev, busy ? 0 : SSHD_TICK_MS);
		if (*stop)
			break;
		for (i = 0; i < d->nlsn; i++) {
			if (d->lsn[i]->readable)
				lsn_accept(d, d->lsn[i]);
		}
		wall = sshd_wall(d);
		tick = wall - d->lasttick >= SSHD_TICK_MS / 1000.0;
		if (tick) {
			d->lasttick = wall;
			sim_world_advance(d->w, wall * d->speed);
		}
		busy = 0;
		for (c = d->conns; c != NULL; c = c->next)
			busy |= conn_service(d, c, wall, tick);
		conn_reap(d);
	}
	return (0);
}

void
sshd_free(struct sshd *d)
{
	struct conn	*c;
	size_t		 i;

	if (d == NULL)
		return;
	for (c = d->conns; c != NULL; c = c->next) {
		c->dead = 1;
		if (c->reason == NULL)
			c->reason = "shutdown";
	}
	conn_reap(d);
	for (i = 0; i < d->nlsn; i++) {
		if (d->ev != NULL)
			ssh_event_remove_fd(d->ev, d->lsn[i]->fd);
		close(d->lsn[i]->fd);
		if (d->lsn[i]->ownbind)
			ssh_bind_free(d->lsn[i]->bind);
		free(d->lsn[i]);
	}
	free(d->lsn);
	if (d->bind != NULL)
		ssh_bind_free(d->bind);
	for (i = 0; i < d->nakeys; i++)
		ssh_key_free(d->akeys[i]);
	free(d->akeys);
	for (i = 0; i < d->npw; i++) {
		free(d->pwuser[i]);
		free(d->pwpass[i]);
	}
	free(d->pwuser);
	free(d->pwpass);
	if (d->ev != NULL)
		ssh_event_free(d->ev);
	free(d);
}
