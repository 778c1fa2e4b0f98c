/* SPDX-License-Identifier: ISC */
/*
 * conn - one SSH session with one channel on the libuv loop; see conn.h.
 *
 * A conn is a small state machine (resolve, tcp, ssh, auth, channel,
 * ready, eof, dead) advanced by conn_step whenever something may have
 * changed: the socket is readable or writable, the safety timer ticks,
 * the idle handle runs (more data to drain, bytes queued by the owner),
 * or the resolver answers.  Every libssh call is non-blocking; one that
 * returns SSH_AGAIN is called again, with the same arguments, on the
 * next step.
 *
 * File descriptors: the uv_poll always watches a descriptor of ours
 * (the TCP socket we connected, or a dup of the ProxyCommand socket),
 * and libssh gets its own (a dup of our socket, or the one it made for
 * the ProxyCommand).  libssh 0.10 closes the descriptor it holds when
 * the socket fails but not on a clean disconnect, so whether we still
 * have to close its copy is asked (ssh_get_fd) just before ssh_free;
 * and our descriptor stays open, and watched, until the poll handle's
 * close callback, so libssh closing its copy never leaves the poll on
 * a number the process may reuse.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <libssh/server.h>	/* ssh_send_keepalive */
#include <uv.h>

#include "conn.h"
#include "khosts.h"
#include "xmalloc.h"

#define CONN_READ_CHUNK		65536
#define CONN_DRAIN_BUDGET	(1024 * 1024)	/* per turn, then yield */
#define CONN_TICK_MS		3000	/* logged in: the slowest tick */
#define CONN_SAFETY_MS		30000	/* a step at least this often */
#define CONN_KBD_ROUNDS		8
#define CONN_CIPHERS		"aes128-gcm@openssh.com," \
				"aes256-gcm@openssh.com," \
				"chacha20-poly1305@openssh.com," \
				"aes256-ctr,aes192-ctr,aes128-ctr"
#define CONN_MAX_IDS		16

enum conn_state {
	CONN_S_RESOLVE,
	CONN_S_TCP,
	CONN_S_SSH,
	CONN_S_AUTH,
	CONN_S_CHANNEL,
	CONN_S_READY,
	CONN_S_EOF,		/* exec: EOF seen, exit status due */
	CONN_S_DEAD,
};

enum conn_auth {
	CONN_A_NONE,
	CONN_A_AGENT,
	CONN_A_KEYS,
	CONN_A_PASSWORD,
	CONN_A_KBDINT,
	CONN_A_FAILED,
};

enum conn_chan {
	CONN_C_NEW,
	CONN_C_OPEN,
	CONN_C_PTY,
	CONN_C_START,
};

/* A poll handle and the descriptor it owns (closed in its close cb). */
struct conn_poll {
	uv_poll_t	 h;
	struct conn	*c;
	int		 fd;
	int		 events;
};

/* What conn reads itself from ssh_config: what libssh 0.10 ignores. */
struct conn_sshcfg {
	int		 strict;	/* -1 unset, 0 no, 1 yes, 2 accept-new */
	int		 ids_only;	/* -1 unset, 0, 1 */
	char		*ids[CONN_MAX_IDS];
	size_t		 nids;
};

struct conn {
	uv_loop_t		*loop;
	struct conn_cb		 cb;
	void			*arg;

	/* Options (copies). */
	char			*dest;
	char			*user;
	int			 port;
	char			*ssh_config;
	char			*known_hosts;
	char			*identity;
	char			*password;
	char			*token;
	char			*exec;
	int			 accept_new;
	int			 no_agent;
	int			 cols;
	int			 rows;
	char			 cipher[64];	/* negotiated, for conn_cipher */
	unsigned		 timeout_ms;
	unsigned		 keepalive_ms;

	/* After ssh_config. */
	char			*host;
	int			 hport;
	char			*login;		/* the user name sent */
	int			 proxy;		/* libssh runs a ProxyCommand */
	struct conn_sshcfg	 cfg;

	enum conn_state		 state;
	ssh_session		 s;
	ssh_channel		 ch;
	struct ssh_callbacks_struct	 scb;
	struct ssh_channel_callbacks_struct ccb;
	struct ssh_counter_struct	 sock_cnt;
	int			 libfd;		/* libssh's dup of our socket */

	/* known_hosts, user's and global: the files, and khosts's copies. */
	char			*kh_path[2];	/* NULL: left to libssh */
	int			 kh_fd[2];

	/* Resolve and TCP connect. */
	uv_getaddrinfo_t	 gai;
	int			 gai_pending;
	struct addrinfo		*ai;
	struct addrinfo		*ai_next;
	char			 addr[INET6_ADDRSTRLEN + 8];
	int			 tcp_errno;

	struct conn_poll	*poll;
	uv_timer_t		 timer;
	uv_idle_t		 idle;
	int			 handles;	/* open handles (close cb due) */

	/* Authentication. */
	enum conn_auth		 astage;
	unsigned		 methods;
	char			 tried[96];
	char			*ids[CONN_MAX_IDS + 4];
	size_t			 nids;
	size_t			 idx;
	int			 kphase;
	ssh_key			 pub;
	ssh_key			 priv;
	int			 kbd_rounds;

	enum conn_chan		 cstage;

	/* Output queued by conn_write. */
	char			*out;
	size_t			 outlen;
	size_t			 outcap;

	uint64_t		 start;
	uint64_t		 last_in;	/* loop time of the last byte */
	uint64_t		 last_in_bytes;
	uint64_t		 last_ka;
	uint64_t		 last_step;	/* loop time of the last conn_step */
	int			 exit_status;
	int			 closed_cb;	/* cb->closed has run */
	int			 closing;	/* conn_close was called */
	int			 in_new;	/* inside conn_new */

	enum conn_errkind	 err;
	char			*errmsg;
};

static void	conn_step(struct conn *);
static void	conn_poll_cb(uv_poll_t *, int, int);
static void	conn_tcp_next(struct conn *);
static void	conn_kh_open(struct conn *);
static void	conn_kh_close(struct conn *);

/* Small helpers. */

static void
conn_seterr(struct conn *c, enum conn_errkind kind, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = xstrdup("conn: out of memory");
	va_end(ap);
	free(c->errmsg);
	c->errmsg = msg;
	c->err = kind;
}

/* Device text (prompts) in an error: printable, bounded. */
static void
conn_clean(char *dst, size_t size, const char *src)
{
	size_t	 i;

	for (i = 0; src != NULL && src[i] != '\0' && i + 1 < size; i++) {
		unsigned char	 ch = (unsigned char)src[i];

		dst[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	dst[i] = '\0';
}

/*
 * libssh's last error, printable and bounded: it can quote what the
 * device sent (its algorithm lists, a disconnect reason).
 */
static const char *
conn_ssherr(struct conn *c)
{
	static char	 buf[512];

	conn_clean(buf, sizeof buf, c->s != NULL ? ssh_get_error(c->s) : "");
	return (buf);
}

/* "fw1 (127.0.0.1:2222)", or "fw1" before an address is known. */
static const char *
conn_label(struct conn *c)
{
	static char	 buf[512];

	if (c->addr[0] != '\0')
		snprintf(buf, sizeof buf, "%s (%s)", c->dest, c->addr);
	else if (c->proxy)
		snprintf(buf, sizeof buf, "%s (via ProxyCommand)", c->dest);
	else
		snprintf(buf, sizeof buf, "%s", c->dest);
	return (buf);
}

static char *
conn_strdup0(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/*
 * The home ssh and libssh take ~/.ssh from: the passwd entry's, $HOME
 * only without one (ssh ignores $HOME; libssh's ssh_get_user_home_dir
 * falls back to it), so that the files conn reads (ssh_config's
 * IdentityFile and StrictHostKeyChecking, the default keys, known_hosts)
 * are the ones libssh reads.  "" when neither is known.  Looked up once
 * a process: not a passwd read per login.
 */
static const char *
conn_home(void)
{
	static char	*home;
	struct passwd	*pw;
	const char	*p;

	if (home == NULL) {
		pw = getpwuid(getuid());
		p = pw != NULL ? pw->pw_dir : getenv("HOME");
		home = xstrdup(p != NULL ? p : "");
	}
	return (home);
}

/* "~/x" and "%d/x" (the ssh directory) below home, as ssh expands them. */
static char *
conn_expand_in(const char *home, const char *path)
{
	char	*out;

	if (strncmp(path, "~/", 2) == 0)
		xasprintf(&out, "%s/%s", home, path + 2);
	else if (strncmp(path, "%d/", 3) == 0)
		xasprintf(&out, "%s/.ssh/%s", home, path + 3);
	else
		out = xstrdup(path);
	return (out);
}

static char *
conn_expand(const char *path)
{
	return (conn_expand_in(conn_home(), path));
}

/* Handles: every one counts until its close callback has run. */

static void
conn_free(struct conn *c)
{
	size_t	 i;

	for (i = 0; i < c->nids; i++)
		free(c->ids[i]);
	for (i = 0; i < c->cfg.nids; i++)
		free(c->cfg.ids[i]);
	free(c->dest);
	free(c->user);
	free(c->ssh_config);
	free(c->known_hosts);
	free(c->identity);
	if (c->password != NULL) {
		explicit_bzero(c->password, strlen(c->password));
		free(c->password);
	}
	if (c->token != NULL) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	free(c->exec);
	conn_kh_close(c);
	free(c->host);
	free(c->login);
	free(c->out);
	free(c->errmsg);
	free(c);
}

static void
conn_maybe_free(struct conn *c)
{
	if (c->closing && c->handles == 0 && !c->gai_pending)
		conn_free(c);
}

static void
conn_handle_closed(uv_handle_t *h)
{
	struct conn	*c = h->data;

	c->handles--;
	conn_maybe_free(c);
}

static void
conn_poll_closed(uv_handle_t *h)
{
	struct conn_poll	*p = h->data;
	struct conn		*c = p->c;

	close(p->fd);
	free(p);
	c->handles--;
	conn_maybe_free(c);
}

static void
conn_poll_close(struct conn *c)
{
	if (c->poll == NULL)
		return;
	uv_close((uv_handle_t *)&c->poll->h, conn_poll_closed);
	c->poll = NULL;
}

/* Watch fd (ours from now on). */
static int
conn_poll_open(struct conn *c, int fd)
{
	struct conn_poll	*p;

	p = xcalloc(1, sizeof *p);
	p->c = c;
	p->fd = fd;
	if (uv_poll_init(c->loop, &p->h, fd) != 0) {
		close(fd);
		free(p);
		return (-1);
	}
	p->h.data = p;
	c->handles++;
	c->poll = p;
	return (0);
}

static void
conn_poll_want(struct conn *c, int events)
{
	if (c->poll == NULL || c->poll->events == events)
		return;
	c->poll->events = events;
	uv_poll_start(&c->poll->h, events, conn_poll_cb);
}

/* The idle handle: a deferred closed callback, or one more step. */
static void
conn_idle_cb(uv_idle_t *h)
{
	struct conn	*c = h->data;

	uv_idle_stop(h);
	if (c->closing)
		return;
	if (c->state == CONN_S_DEAD) {
		if (!c->closed_cb) {
			c->closed_cb = 1;
			if (c->cb.closed != NULL)
				c->cb.closed(c, c->arg);
		}
		return;
	}
	conn_step(c);
}

static void
conn_kick(struct conn *c)
{
	if (!c->closing && c->state != CONN_S_DEAD)
		uv_idle_start(&c->idle, conn_idle_cb);
}

/*
 * Let go of libssh and the socket.  The poll handle goes first, so no
 * descriptor is watched when libssh closes its own.
 */
static void
conn_release(struct conn *c)
{
	int	 libfd_open;

	conn_poll_close(c);
	uv_idle_stop(&c->idle);
	if (c->pub != NULL) {
		ssh_key_free(c->pub);
		c->pub = NULL;
	}
	if (c->priv != NULL) {
		ssh_key_free(c->priv);
		c->priv = NULL;
	}
	if (c->ch != NULL) {
		if (ssh_channel_is_open(c->ch))
			ssh_channel_close(c->ch);
		ssh_channel_free(c->ch);
		c->ch = NULL;
	}
	if (c->s != NULL) {
		libfd_open = c->libfd >= 0 && ssh_get_fd(c->s) == c->libfd;
		ssh_disconnect(c->s);
		ssh_free(c->s);
		c->s = NULL;
		if (libfd_open)
			close(c->libfd);
		c->libfd = -1;
	}
	if (c->ai != NULL) {
		uv_freeaddrinfo(c->ai);
		c->ai = c->ai_next = NULL;
	}
}

/* The connection ended: say why, once, and keep quiet from now on. */
static void
conn_finish(struct conn *c, enum conn_errkind kind, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (c->state == CONN_S_DEAD)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = xstrdup("conn: out of memory");
	va_end(ap);
	free(c->errmsg);
	c->errmsg = msg;
	c->err = kind;
	c->state = CONN_S_DEAD;
	conn_release(c);
	uv_timer_stop(&c->timer);
	if (c->in_new) {
		/* The owner does not have the pointer yet: next turn. */
		uv_idle_start(&c->idle, conn_idle_cb);
		return;
	}
	if (!c->closing && !c->closed_cb) {
		c->closed_cb = 1;
		if (c->cb.closed != NULL)
			c->cb.closed(c, c->arg);
	}
}

/*
 * ssh_config: libssh 0.10 reads HostName, User, Port, IdentityFile,
 * UserKnownHostsFile, ProxyCommand, ProxyJump, Ciphers, KexAlgorithms,
 * HostKeyAlgorithms and more, but keeps StrictHostKeyChecking only as a
 * yes/no flag nothing in the client uses ("accept-new" is dropped),
 * treats IdentitiesOnly as unsupported, and gives no way to list the
 * IdentityFile entries it collected.  Those three are read here: the
 * first value wins (as in ssh), Host patterns (with * ? and !) are
 * matched against the name as given; Match and Include are not
 * followed by this small reader (libssh still follows them for the
 * rest).
 */
static int
conn_cfg_host_matches(const char *dest, char *pats)
{
	char	*p, *save = NULL;
	int	 hit = 0;

	for (p = strtok_r(pats, " \t", &save); p != NULL;
	    p = strtok_r(NULL, " \t", &save)) {
		if (*p == '!') {
			if (fnmatch(p + 1, dest, FNM_CASEFOLD) == 0)
				return (0);
		} else if (fnmatch(p, dest, FNM_CASEFOLD) == 0)
			hit = 1;
	}
	return (hit);
}

static void
conn_cfg_read(struct conn_sshcfg *cfg, const char *path, const char *dest)
{
	FILE	*f;
	char	 line[1024], *key, *val, *end;
	int	 active = 1;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		key = line + strspn(line, " \t");
		end = key + strcspn(key, " \t=\r\n");
		if (*key == '#' || end == key)
			continue;
		val = end + strspn(end, " \t=");
		*end = '\0';
		val[strcspn(val, "\r\n")] = '\0';
		if (*val == '"') {
			val++;
			val[strcspn(val, "\"")] = '\0';
		}
		if (strcasecmp(key, "Host") == 0) {
			active = conn_cfg_host_matches(dest, val);
			continue;
		}
		if (strcasecmp(key, "Match") == 0) {
			active = 0;
			continue;
		}
		if (!active)
			continue;
		if (strcasecmp(key, "StrictHostKeyChecking") == 0 &&
		    cfg->strict == -1) {
			if (strcasecmp(val, "accept-new") == 0)
				cfg->strict = 2;
			else if (strcasecmp(val, "no") == 0 ||
			    strcasecmp(val, "off") == 0)
				cfg->strict = 0;
			else
				cfg->strict = 1;
		} else if (strcasecmp(key, "IdentitiesOnly") == 0 &&
		    cfg->ids_only == -1)
			cfg->ids_only = strcasecmp(val, "yes") == 0;
		else if (strcasecmp(key, "IdentityFile") == 0 &&
		    cfg->nids < CONN_MAX_IDS && *val != '\0')
			cfg->ids[cfg->nids++] = conn_expand(val);
	}
	fclose(f);
}

/* Set up the libssh session from the options and ssh_config. */
static int
conn_setup(struct conn *c)
{
	char		*v = NULL, *path;
	unsigned int	 port = 0;
	int		 no = 0, yes = 1;

	c->s = ssh_new();
	if (c->s == NULL) {
		conn_seterr(c, CONN_E_PROTOCOL, "%s: cannot create an SSH "
		    "session", c->dest);
		return (-1);
	}
	/* libssh checks the syntax (no "_", labels of 63 at most). */
	if (ssh_options_set(c->s, SSH_OPTIONS_HOST, c->dest) != 0) {
		conn_seterr(c, CONN_E_RESOLVE, "%s: not a valid host name",
		    c->dest);
		return (-1);
	}
	if (c->user != NULL)
		ssh_options_set(c->s, SSH_OPTIONS_USER, c->user);

	/*
	 * libssh's own choice, in another order: AES-GCM first.  With the
	 * CPU's AES instructions it costs less than chacha20-poly1305,
	 * whose every packet costs libcrypto two cipher set-ups and a MAC
	 * one: 9 % of the engine's instructions polling fifty devices.
	 * A Ciphers line in ssh_config replaces it.
	 */
	ssh_options_set(c->s, SSH_OPTIONS_CIPHERS_C_S, CONN_CIPHERS);
	ssh_options_set(c->s, SSH_OPTIONS_CIPHERS_S_C, CONN_CIPHERS);

	c->cfg.strict = c->cfg.ids_only = -1;
	if (c->ssh_config == NULL) {
		if (ssh_options_parse_config(c->s, NULL) != 0) {
			conn_seterr(c, CONN_E_PROTOCOL, "%s: cannot read the "
			    "ssh configuration: %s", c->dest,
			    conn_ssherr(c));
			return (-1);
		}
		xasprintf(&path, "%s/.ssh/config", conn_home());
		conn_cfg_read(&c->cfg, path, c->dest);
		free(path);
		conn_cfg_read(&c->cfg, "/etc/ssh/ssh_config", c->dest);
	} else if (strcmp(c->ssh_config, "none") != 0) {
		if (access(c->ssh_config, R_OK) != 0) {
			conn_seterr(c, CONN_E_PROTOCOL, "%s: cannot read the "
			    "ssh configuration %s: %s", c->dest,
			    c->ssh_config, strerror(errno));
			return (-1);
		}
		if (ssh_options_parse_config(c->s, c->ssh_config) != 0) {
			conn_seterr(c, CONN_E_PROTOCOL, "%s: %s: %s", c->dest,
			    c->ssh_config, conn_ssherr(c));
			return (-1);
		}
		conn_cfg_read(&c->cfg, c->ssh_config, c->dest);
	}
	/* ssh_connect must not read the user's file on top of ours. */
	ssh_options_set(c->s, SSH_OPTIONS_PROCESS_CONFIG, &no);

	/* Explicit options win over the file, as on ssh's command line. */
	if (c->port != 0)
		ssh_options_set(c->s, SSH_OPTIONS_PORT, &c->port);
	if (c->known_hosts != NULL)
		ssh_options_set(c->s, SSH_OPTIONS_KNOWNHOSTS, c->known_hosts);
	if (c->cfg.strict == 0 || c->cfg.strict == 2)
		c->accept_new = 1;

	if (ssh_options_get(c->s, SSH_OPTIONS_HOST, &v) == SSH_OK) {
		c->host = xstrdup(v);
		ssh_string_free_char(v);
	} else
		c->host = xstrdup(c->dest);
	if (ssh_options_get_port(c->s, &port) == SSH_OK)
		c->hport = (int)port;
	else
		c->hport = 22;
	v = NULL;
	if (ssh_options_get(c->s, SSH_OPTIONS_PROXYCOMMAND, &v) == SSH_OK) {
		c->proxy = v != NULL && *v != '\0' &&
		    strcasecmp(v, "none") != 0;
		ssh_string_free_char(v);
	}

	ssh_set_blocking(c->s, 0);
	ssh_options_set(c->s, SSH_OPTIONS_NODELAY, &yes);
	ssh_set_counters(c->s, &c->sock_cnt, NULL);
	return (0);
}

/* Resolve and connect our own socket, so the loop never blocks. */

static void
conn_gai_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct conn	*c = req->data;

	c->gai_pending = 0;
	if (c->closing || c->state == CONN_S_DEAD) {
		if (res != NULL)
			uv_freeaddrinfo(res);
		conn_maybe_free(c);
		return;
	}
	if (status != 0 || res == NULL) {
		if (res != NULL)
			uv_freeaddrinfo(res);
		conn_finish(c, CONN_E_RESOLVE, "%s: cannot resolve %s: %s",
		    c->dest, c->host, uv_strerror(status));
		return;
	}
	c->ai = c->ai_next = res;
	c->state = CONN_S_TCP;
	conn_tcp_next(c);
}

static void
conn_addr_name(struct conn *c, const struct sockaddr *sa)
{
	char	 ip[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    ip, sizeof ip);
		snprintf(c->addr, sizeof c->addr, "[%s]:%d", ip, c->hport);
	} else {
		inet_ntop(AF_INET,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    ip, sizeof ip);
		snprintf(c->addr, sizeof c->addr, "%s:%d", ip, c->hport);
	}
}

/* Try the next address; when none is left, say why the last failed. */
static void
conn_tcp_next(struct conn *c)
{
	struct addrinfo	*ai;
	char		 why[128];
	int		 fd;

	while ((ai = c->ai_next) != NULL) {
		c->ai_next = ai->ai_next;
		conn_addr_name(c, ai->ai_addr);
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			c->tcp_errno = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
		    errno != EINPROGRESS) {
			c->tcp_errno = errno;
			close(fd);
			continue;
		}
		if (conn_poll_open(c, fd) != 0) {
			c->tcp_errno = EMFILE;
			continue;
		}
		conn_poll_want(c, UV_WRITABLE | UV_DISCONNECT);
		return;
	}
	snprintf(why, sizeof why, "%s", strerror(c->tcp_errno != 0 ?
	    c->tcp_errno : EHOSTUNREACH));
	why[0] = (char)tolower((unsigned char)why[0]);
	conn_finish(c, CONN_E_UNREACHABLE, "%s: %s", conn_label(c), why);
}

/* The socket is writable: connected, or failed. */
static void
conn_tcp_done(struct conn *c)
{
	socklen_t	 len = sizeof c->tcp_errno;
	int		 fd = c->poll->fd;

	c->tcp_errno = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &c->tcp_errno, &len) != 0)
		c->tcp_errno = errno;
	if (c->tcp_errno != 0) {
		conn_poll_close(c);
		conn_tcp_next(c);
		return;
	}
	if ((c->libfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		conn_finish(c, CONN_E_UNREACHABLE, "%s: %s", conn_label(c),
		    strerror(errno));
		return;
	}
	/* SSH_OPTIONS_HOST keeps the name: known_hosts is keyed by it. */
	ssh_options_set(c->s, SSH_OPTIONS_FD, &c->libfd);
	conn_kh_open(c);
	c->state = CONN_S_SSH;
	uv_freeaddrinfo(c->ai);
	c->ai = c->ai_next = NULL;
}

/* Host keys, before anything but the key exchange is sent. */

/*
 * A known_hosts path as libssh expands it: "~/" and "%d/" (the ssh
 * directory) below conn_home.  NULL for the other escapes: that file is
 * left to libssh.
 */
static char *
conn_kh_path(struct conn *c, enum ssh_options_e opt, const char *dflt)
{
	const char	*home = conn_home(), *p, *rest;
	char		*v = NULL, *out = NULL;

	if (ssh_options_get(c->s, opt, &v) != SSH_OK)
		v = NULL;
	p = v != NULL ? v : dflt;
	rest = strncmp(p, "~/", 2) == 0 || strncmp(p, "%d/", 3) == 0 ?
	    strchr(p, '/') : p;
	if (strchr(rest, '%') == NULL && *rest != '~' &&
	    (rest == p || *home != '\0'))
		out = conn_expand_in(home, p);
	if (v != NULL)
		ssh_string_free_char(v);
	return (out);
}

/*
 * Before the key exchange: libssh reads each known_hosts file twice per
 * login, so it is given khosts's copy of the lines that can name this
 * host instead of the whole file (khosts.h).
 */
static void
conn_kh_open(struct conn *c)
{
	static const enum ssh_options_e opt[2] = {
		SSH_OPTIONS_KNOWNHOSTS, SSH_OPTIONS_GLOBAL_KNOWNHOSTS
	};
	static const char *const dflt[2] = {
		"%d/known_hosts", "/etc/ssh/ssh_known_hosts"
	};
	char	 name[64];
	int	 i;

	for (i = 0; i < 2; i++) {
		if ((c->kh_path[i] = conn_kh_path(c, opt[i], dflt[i])) == NULL)
			continue;
		c->kh_fd[i] = khosts_filter(c->kh_path[i], c->host, c->hport,
		    name, sizeof name);
		if (c->kh_fd[i] != -1)
			ssh_options_set(c->s, opt[i], name);
	}
}

static void
conn_kh_close(struct conn *c)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		if (c->kh_fd[i] != -1)
			close(c->kh_fd[i]);
		c->kh_fd[i] = -1;
		free(c->kh_path[i]);
		c->kh_path[i] = NULL;
	}
}

/* accept-new: the key goes to the user's file, not to khosts's copy. */
static int
conn_kh_add(struct conn *c, char *why, size_t size)
{
	char	*line = NULL;
	int	 rc;

	if (c->kh_path[0] == NULL) {
		if (ssh_session_update_known_hosts(c->s) == SSH_OK)
			return (0);
		snprintf(why, size, "%s", conn_ssherr(c));
		return (-1);
	}
	if (ssh_session_export_known_hosts_entry(c->s, &line) != SSH_OK) {
		snprintf(why, size, "%s", conn_ssherr(c));
		return (-1);
	}
	rc = khosts_add(c->kh_path[0], line);
	if (rc != 0)
		snprintf(why, size, "%s", strerror(errno));
	ssh_string_free_char(line);
	return (rc);
}

static int
conn_hostkey(struct conn *c)
{
	ssh_key			 key = NULL;
	unsigned char		*hash = NULL;
	size_t			 hlen = 0;
	char			*fp = NULL, *kh, *v = NULL, why[256];
	const char		*fps;
	enum ssh_known_hosts_e	 st;
	int			 rc = -1;

	/* Errors name the file itself, not khosts's copy. */
	if (c->kh_path[0] != NULL)
		kh = xstrdup(c->kh_path[0]);
	else if (ssh_options_get(c->s, SSH_OPTIONS_KNOWNHOSTS, &v) == SSH_OK) {
		kh = xstrdup(v);
		ssh_string_free_char(v);
	} else
		kh = xstrdup("known_hosts");
	if (ssh_get_server_publickey(c->s, &key) != SSH_OK ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0) {
		conn_finish(c, CONN_E_PROTOCOL, "%s: no host key from the "
		    "device", conn_label(c));
		goto out;
	}
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	fps = fp != NULL ? fp : "?";
	st = ssh_session_is_known_server(c->s);
	switch (st) {
	case SSH_KNOWN_HOSTS_OK:
		rc = 0;
		break;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		conn_finish(c, CONN_E_HOSTKEY_CHANGED, "%s: WARNING: the "
		    "host key has CHANGED: the device now presents %s, "
		    "which does not match the key recorded for %s in %s; "
		    "someone may be intercepting the connection, or the "
		    "device was replaced (refusing to connect)",
		    conn_label(c), fps, c->host, kh);
		break;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		if (!c->accept_new) {
			conn_finish(c, CONN_E_HOSTKEY_UNKNOWN, "%s: unknown "
			    "host key %s (not in %s); check it and accept it "
			    "(accept-new) to connect", conn_label(c), fps, kh);
			break;
		}
		if (conn_kh_add(c, why, sizeof why) != 0) {
			conn_finish(c, CONN_E_HOSTKEY_UNKNOWN, "%s: cannot add "
			    "host key %s to %s: %s", conn_label(c), fps, kh,
			    why);
			break;
		}
		rc = 0;
		break;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		conn_finish(c, CONN_E_HOSTKEY_UNKNOWN, "%s: cannot check "
		    "host key %s against %s: %s", conn_label(c), fps, kh,
		    conn_ssherr(c));
		break;
	}
out:
	conn_kh_close(c);
	free(kh);
	if (fp != NULL)
		ssh_string_free_char(fp);
	if (hash != NULL)
		ssh_clean_pubkey_hash(&hash);
	if (key != NULL)
		ssh_key_free(key);
	return (rc);
}

/* Authentication, in OpenSSH's order. */

/* No passphrase prompt behind the screen's back: encrypted keys skip. */
static int
conn_no_passphrase(const char *prompt, char *buf, size_t len, int echo,
    int verify, void *userdata)
{
	return (-1);
}

static void
conn_tried(struct conn *c, const char *method)
{
	size_t	 n = strlen(c->tried);

	if (strstr(c->tried, method) != NULL)
		return;
	snprintf(c->tried + n, sizeof c->tried - n, "%s%s",
	    n > 0 ? ", " : "", method);
}

static void
conn_ids(struct conn *c)
{
	static const char	*defaults[] = { "id_ed25519", "id_ecdsa",
	    "id_rsa" };
	size_t			 i;

	if (c->identity != NULL)
		c->ids[c->nids++] = conn_expand(c->identity);
	for (i = 0; i < c->cfg.nids; i++)
		c->ids[c->nids++] = xstrdup(c->cfg.ids[i]);
	if (c->cfg.ids_only == 1)
		return;
	for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		xasprintf(&c->ids[c->nids++], "%s/.ssh/%s", conn_home(),
		    defaults[i]);
}

static void
conn_key_next(struct conn *c)
{
	if (c->pub != NULL)
		ssh_key_free(c->pub);
	if (c->priv != NULL)
		ssh_key_free(c->priv);
	c->pub = c->priv = NULL;
	c->kphase = 0;
	c->idx++;
}

/* Keys, one by one: offer, then sign.  1 done, 0 again, -1 none left. */
static int
conn_auth_keys(struct conn *c)
{
	char	*pubpath;
	int	 rc;

	while (c->idx < c->nids) {
		const char	*path = c->ids[c->idx];

		switch (c->kphase) {
		case 0:
			xasprintf(&pubpath, "%s.pub", path);
			rc = ssh_pki_import_pubkey_file(pubpath, &c->pub);
			free(pubpath);
			if (rc != SSH_OK) {
				c->pub = NULL;
				if (ssh_pki_import_privkey_file(path, NULL,
				    conn_no_passphrase, NULL, &c->priv) !=
				    SSH_OK ||
				    ssh_pki_export_privkey_to_pubkey(c->priv,
				    &c->pub) != SSH_OK) {
					conn_key_next(c);
					continue;
				}
			}
			conn_tried(c, "publickey");
			c->kphase = 1;
			/* FALLTHROUGH */
		case 1:
			rc = ssh_userauth_try_publickey(c->s, NULL, c->pub);
			if (rc == SSH_AUTH_AGAIN)
				return (0);
			if (rc != SSH_AUTH_SUCCESS) {
				conn_key_next(c);
				continue;
			}
			if (c->priv == NULL && ssh_pki_import_privkey_file(path,
			    NULL, conn_no_passphrase, NULL, &c->priv) !=
			    SSH_OK) {
				c->priv = NULL;
				conn_key_next(c);
				continue;
			}
			c->kphase = 2;
			/* FALLTHROUGH */
		case 2:
			rc = ssh_userauth_publickey(c->s, NULL, c->priv);
			if (rc == SSH_AUTH_AGAIN)
				return (0);
			if (rc == SSH_AUTH_SUCCESS)
				return (1);
			if (rc == SSH_AUTH_PARTIAL) {
				c->methods = (unsigned)ssh_userauth_list(c->s,
				    NULL);
				conn_key_next(c);
				return (-1);
			}
			conn_key_next(c);
			continue;
		}
	}
	return (-1);
}

/* Answer one round of keyboard-interactive prompts.  -1: cannot. */
static int
conn_kbd_answer(struct conn *c)
{
	const char	*prompt, *ans;
	char		 clean[128];
	char		 echo;
	int		 i, n;

	n = ssh_userauth_kbdint_getnprompts(c->s);
	for (i = 0; i < n; i++) {
		prompt = ssh_userauth_kbdint_getprompt(c->s, (unsigned)i,
		    &echo);
		if (prompt == NULL)
			prompt = "";
		if (strstr(prompt, "assword") != NULL)
			ans = c->password;
		else
			ans = c->token;
		if (ans == NULL) {
			conn_clean(clean, sizeof clean, prompt);
			conn_finish(c, CONN_E_AUTH, "%s: authentication "
			    "failed for user %s (tried: %s): the device asks "
			    "\"%s\" and no %s was given", c->dest, c->login,
			    c->tried, clean,
			    strstr(prompt, "assword") != NULL ? "password" :
			    "token (FortiToken code)");
			return (-1);
		}
		if (ssh_userauth_kbdint_setanswer(c->s, (unsigned)i, ans) < 0) {
			conn_finish(c, CONN_E_PROTOCOL, "%s: keyboard-"
			    "interactive: %s", conn_label(c),
			    conn_ssherr(c));
			return (-1);
		}
	}
	return (0);
}

/* The session died while authenticating: -1, the error set. */
static int
conn_auth_lost(struct conn *c)
{
	conn_finish(c, ssh_get_status(c->s) & (SSH_CLOSED | SSH_CLOSED_ERROR) ?
	    CONN_E_CLOSED : CONN_E_PROTOCOL, "%s: connection lost during "
	    "authentication: %s", conn_label(c), conn_ssherr(c));
	return (-1);
}

/*
 * What an ssh_userauth_* answer means for the loop: 0 wait (AGAIN), 1
 * logged in, -1 the session died; denied or partial, the methods the
 * device still offers are read again, the stage moves to next and 2
 * says go on.
 */
static int
conn_auth_rc(struct conn *c, int rc, enum conn_auth next)
{
	switch (rc) {
	case SSH_AUTH_AGAIN:
		return (0);
	case SSH_AUTH_SUCCESS:
		return (1);
	case SSH_AUTH_ERROR:
		return (conn_auth_lost(c));
	}
	c->methods = (unsigned)ssh_userauth_list(c->s, NULL);
	c->astage = next;
	return (2);
}

/* 1 authenticated, 0 again later, -1 finished (error set). */
static int
conn_auth_step(struct conn *c)
{
	const char	*sock;
	int		 rc;

	for (;;) {
		switch (c->astage) {
		case CONN_A_NONE:
			rc = conn_auth_rc(c, ssh_userauth_none(c->s, NULL),
			    CONN_A_AGENT);
			if (rc != 2)
				return (rc);
			break;
		case CONN_A_AGENT:
			sock = getenv("SSH_AUTH_SOCK");
			if (c->no_agent || sock == NULL || *sock == '\0' ||
			    !(c->methods & SSH_AUTH_METHOD_PUBLICKEY)) {
				c->astage = CONN_A_KEYS;
				break;
			}
			conn_tried(c, "publickey");
			rc = ssh_userauth_agent(c->s, NULL);
			if (rc == SSH_AUTH_AGAIN)
				return (0);
			if (rc == SSH_AUTH_SUCCESS)
				return (1);
			if (rc == SSH_AUTH_PARTIAL)
				c->methods = (unsigned)ssh_userauth_list(c->s,
				    NULL);
			c->astage = CONN_A_KEYS;
			break;
		case CONN_A_KEYS:
			if (!(c->methods & SSH_AUTH_METHOD_PUBLICKEY)) {
				c->astage = CONN_A_PASSWORD;
				break;
			}
			if (c->nids == 0)
				conn_ids(c);
			rc = conn_auth_keys(c);
			if (rc >= 0)
				return (rc);
			c->astage = CONN_A_PASSWORD;
			break;
		case CONN_A_PASSWORD:
			if (c->password == NULL ||
			    !(c->methods & SSH_AUTH_METHOD_PASSWORD)) {
				c->astage = CONN_A_KBDINT;
				break;
			}
			conn_tried(c, "password");
			/* PARTIAL (a FortiToken is due) or DENIED: on. */
			rc = conn_auth_rc(c, ssh_userauth_password(c->s, NULL,
			    c->password), CONN_A_KBDINT);
			if (rc != 2)
				return (rc);
			break;
		case CONN_A_KBDINT:
			if (!(c->methods & SSH_AUTH_METHOD_INTERACTIVE)) {
				c->astage = CONN_A_FAILED;
				break;
			}
			conn_tried(c, "keyboard-interactive");
			rc = ssh_userauth_kbdint(c->s, NULL, NULL);
			if (rc == SSH_AUTH_AGAIN)
				return (0);
			if (rc == SSH_AUTH_SUCCESS)
				return (1);
			if (rc == SSH_AUTH_ERROR)
				return (conn_auth_lost(c));
			if (rc == SSH_AUTH_INFO) {
				if (++c->kbd_rounds > CONN_KBD_ROUNDS) {
					c->astage = CONN_A_FAILED;
					break;
				}
				if (conn_kbd_answer(c) != 0)
					return (-1);
				break;
			}
			c->methods = (unsigned)ssh_userauth_list(c->s, NULL);
			if (rc != SSH_AUTH_PARTIAL ||
			    ++c->kbd_rounds > CONN_KBD_ROUNDS)
				c->astage = CONN_A_FAILED;
			break;
		case CONN_A_FAILED:
			conn_finish(c, CONN_E_AUTH, "%s: authentication failed "
			    "for user %s (tried: %s)", c->dest, c->login,
			    c->tried[0] != '\0' ? c->tried : "nothing the "
			    "device offers");
			return (-1);
		}
	}
}

/* The channel: a shell on a tall pty, or one exec. */

static void
conn_exit_cb(ssh_session s, ssh_channel ch, int status, void *arg)
{
	struct conn	*c = arg;

	c->exit_status = status;
}

/* 1 open, 0 again later, -1 finished (error set). */
static int
conn_chan_step(struct conn *c)
{
	int	 rc;

	for (;;) {
		switch (c->cstage) {
		case CONN_C_NEW:
			if ((c->ch = ssh_channel_new(c->s)) == NULL)
				goto error;
			ssh_callbacks_init(&c->ccb);
			c->ccb.userdata = c;
			c->ccb.channel_exit_status_function = conn_exit_cb;
			ssh_set_channel_callbacks(c->ch, &c->ccb);
			c->cstage = CONN_C_OPEN;
			break;
		case CONN_C_OPEN:
			rc = ssh_channel_open_session(c->ch);
			if (rc == SSH_AGAIN)
				return (0);
			if (rc != SSH_OK)
				goto error;
			c->cstage = c->exec != NULL ? CONN_C_START : CONN_C_PTY;
			break;
		case CONN_C_PTY:
			rc = ssh_channel_request_pty_size(c->ch, "xterm",
			    c->cols, c->rows);
			if (rc == SSH_AGAIN)
				return (0);
			if (rc != SSH_OK)
				goto error;
			c->cstage = CONN_C_START;
			break;
		case CONN_C_START:
			if (c->exec != NULL)
				rc = ssh_channel_request_exec(c->ch, c->exec);
			else
				rc = ssh_channel_request_shell(c->ch);
			if (rc == SSH_AGAIN)
				return (0);
			if (rc != SSH_OK)
				goto error;
			return (1);
		}
	}
error:
	conn_finish(c, ssh_get_status(c->s) & (SSH_CLOSED | SSH_CLOSED_ERROR) ?
	    CONN_E_CLOSED : CONN_E_PROTOCOL, "%s: the device refused the "
	    "%s channel: %s", conn_label(c), c->exec != NULL ? "exec" :
	    "shell", conn_ssherr(c));
	return (-1);
}

/* Ready: queued bytes out, channel bytes in. */

static void
conn_flush(struct conn *c)
{
	int	 n;

	while (c->outlen > 0 && c->state == CONN_S_READY) {
		n = ssh_channel_write(c->ch, c->out,
		    c->outlen > 32768 ? 32768 : (uint32_t)c->outlen);
		if (n == SSH_ERROR) {
			conn_finish(c, CONN_E_CLOSED, "%s: cannot write to "
			    "the channel: %s", conn_label(c),
			    conn_ssherr(c));
			return;
		}
		if (n <= 0)
			return;		/* window full: window adjust wakes us */
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

static void
conn_dropped(struct conn *c)
{
	conn_finish(c, CONN_E_CLOSED, "%s: the connection was dropped (%s)",
	    conn_label(c), conn_ssherr(c));
}

/* The channel ended: for an exec wait for its exit status. */
static void
conn_eof(struct conn *c)
{
	if (c->exec == NULL) {
		conn_finish(c, CONN_E_CLOSED, "%s: connection closed by the "
		    "device", conn_label(c));
		return;
	}
	c->state = CONN_S_EOF;
	if (c->exit_status >= 0 || ssh_channel_is_closed(c->ch))
		conn_finish(c, CONN_E_NONE, "%s: the command exited with "
		    "status %d", conn_label(c), c->exit_status);
}

/*
 * Read one stream while it has data: 1 on, 0 when libssh's buffer of it
 * is empty, -1 when the conn is gone or must yield.  A read shorter than
 * asked for emptied the buffer, so no read is spent finding out: every
 * read of an empty stream pumps packets, a poll(2) each.
 */
static int
conn_drain_stream(struct conn *c, int stream, size_t *budget)
{
	char	 buf[CONN_READ_CHUNK];
	int	 n;

	do {
		n = ssh_channel_read_nonblocking(c->ch, buf, sizeof buf,
		    stream);
		if (n == 0 || n == SSH_EOF)
			return (0);
		if (n < 0) {
			conn_dropped(c);
			return (-1);
		}
		if (c->cb.data != NULL)
			c->cb.data(c, buf, (size_t)n, c->arg);
		if (c->closing || c->state == CONN_S_DEAD)
			return (-1);
		if ((size_t)n >= *budget) {
			/* Yield; libssh may hold more. */
			conn_kick(c);
			return (-1);
		}
		*budget -= (size_t)n;
	} while ((size_t)n == sizeof buf);
	return (0);
}

/*
 * Deliver what the channel has.  A read or poll of one stream pumps
 * packets when that stream is empty, and they may hold data for the
 * other one (or the EOF and the close right behind the last bytes), so
 * the streams are read until a poll of both finds them empty; only then
 * is an EOF believed.  stderr is read only when its poll says it holds
 * something (a shell on a pty has none).
 */
static void
conn_drain(struct conn *c)
{
	size_t	 budget = CONN_DRAIN_BUDGET;
	int	 out, err;

	for (;;) {
		if (conn_drain_stream(c, 0, &budget) != 0)
			return;
		while ((err = ssh_channel_poll(c->ch, 1)) > 0)
			if (conn_drain_stream(c, 1, &budget) != 0)
				return;
		out = ssh_channel_poll(c->ch, 0);
		if (out <= 0 && err <= 0)
			break;
	}
	if (out == SSH_EOF || (out == 0 && ssh_channel_is_closed(c->ch)))
		conn_eof(c);
	else if (out == SSH_ERROR || err == SSH_ERROR ||
	    (ssh_get_status(c->s) & (SSH_CLOSED | SSH_CLOSED_ERROR)))
		conn_dropped(c);
}

/* Advance as far as possible; then ask the poll for what libssh needs. */
static void
conn_step(struct conn *c)
{
	const char	*cipher;
	int		 rc, events;
	unsigned	 tick;

	uv_idle_stop(&c->idle);
	if (c->closing)
		return;
	c->last_step = uv_now(c->loop);
	switch (c->state) {
	case CONN_S_RESOLVE:
	case CONN_S_TCP:
	case CONN_S_DEAD:
		return;
	case CONN_S_SSH:
		rc = ssh_connect(c->s);
		if (rc == SSH_AGAIN)
			break;
		if (rc != SSH_OK) {
			/*
			 * Closed before its banner: the device would not
			 * talk (too many sessions, a filter).  After it: the
			 * SSH handshake failed (no common algorithm ...).
			 */
			if (ssh_get_serverbanner(c->s) == NULL)
				conn_finish(c, CONN_E_CLOSED, "%s: the device "
				    "closed the connection before the SSH "
				    "banner", conn_label(c));
			else if (ssh_get_status(c->s) &
			    (SSH_CLOSED | SSH_CLOSED_ERROR))
				conn_finish(c, CONN_E_PROTOCOL, "%s: SSH "
				    "handshake failed: the device closed the "
				    "connection during the key exchange (no "
				    "algorithms in common?)", conn_label(c));
			else
				conn_finish(c, CONN_E_PROTOCOL, "%s: SSH "
				    "handshake failed: %s", conn_label(c),
				    conn_ssherr(c));
			return;
		}
		if (conn_hostkey(c) != 0)
			return;
		if (c->login == NULL) {
			char	*u = NULL;

			if (ssh_options_get(c->s, SSH_OPTIONS_USER, &u) ==
			    SSH_OK) {
				c->login = xstrdup(u);
				ssh_string_free_char(u);
			} else
				c->login = xstrdup("?");
		}
		c->state = CONN_S_AUTH;
		/* FALLTHROUGH */
	case CONN_S_AUTH:
		rc = conn_auth_step(c);
		if (rc < 0)
			return;
		if (rc == 0)
			break;
		c->state = CONN_S_CHANNEL;
		/* FALLTHROUGH */
	case CONN_S_CHANNEL:
		rc = conn_chan_step(c);
		if (rc < 0)
			return;
		if (rc == 0)
			break;
		c->state = CONN_S_READY;
		c->last_in = uv_now(c->loop);
		cipher = ssh_get_cipher_in(c->s);
		snprintf(c->cipher, sizeof c->cipher, "%s",
		    cipher != NULL ? cipher : "");
		/*
		 * Logged in, the tick only counts silence and keepalives:
		 * a slower one spares a thousand sessions' timer churn.
		 */
		tick = c->keepalive_ms / 4;
		if (tick > CONN_TICK_MS)
			tick = CONN_TICK_MS;
		uv_timer_set_repeat(&c->timer, tick < 10 ? 10 : tick);
		if (c->cb.ready != NULL)
			c->cb.ready(c, c->arg);
		if (c->closing || c->state == CONN_S_DEAD)
			return;
		/* FALLTHROUGH */
	case CONN_S_READY:
		conn_flush(c);
		if (c->state != CONN_S_READY)
			return;
		/* FALLTHROUGH */
	case CONN_S_EOF:
		/*
		 * After EOF reads no longer pump packets: this does, until
		 * the exit status or the close arrives.
		 */
		if (c->state == CONN_S_EOF)
			(void)ssh_channel_get_exit_status(c->ch);
		conn_drain(c);
		if (c->closing || c->state == CONN_S_DEAD)
			return;
		/*
		 * The drain's pumps may have taken the peer's window adjust
		 * off the socket: then nothing would wake us to write on.
		 */
		if (c->state == CONN_S_READY && c->outlen > 0 &&
		    ssh_channel_window_size(c->ch) > 0) {
			conn_flush(c);
			if (c->state != CONN_S_READY)
				return;
		}
		if (c->state == CONN_S_EOF &&
		    (c->exit_status >= 0 || ssh_channel_is_closed(c->ch))) {
			conn_eof(c);
			return;
		}
		break;
	}

	/* ProxyCommand: libssh made the socket in the first ssh_connect. */
	if (c->poll == NULL && c->s != NULL && ssh_get_fd(c->s) >= 0) {
		int	 fd = fcntl(ssh_get_fd(c->s), F_DUPFD_CLOEXEC, 0);

		if (fd == -1 || conn_poll_open(c, fd) != 0) {
			conn_finish(c, CONN_E_UNREACHABLE, "%s: cannot watch "
			    "the ProxyCommand socket", conn_label(c));
			return;
		}
	}
	/*
	 * A step is due this turn (a command was queued during this one,
	 * and libssh holds it until its next pump): that step decides.
	 * Asking for write interest now, to drop it again a moment later,
	 * costs three epoll_ctl(2)s a command.
	 */
	if (uv_is_active((uv_handle_t *)&c->idle))
		return;
	events = UV_READABLE | UV_DISCONNECT;
	if (ssh_get_poll_flags(c->s) & SSH_WRITE_PENDING)
		events |= UV_WRITABLE;
	conn_poll_want(c, events);
}

static void
conn_poll_cb(uv_poll_t *h, int status, int events)
{
	struct conn_poll	*p = h->data;
	struct conn		*c = p->c;

	if (c->state == CONN_S_TCP) {
		conn_tcp_done(c);
		if (c->state != CONN_S_SSH)
			return;
	} else if ((events & UV_WRITABLE) && c->s != NULL &&
	    (ssh_get_poll_flags(c->s) & SSH_WRITE_PENDING))
		ssh_blocking_flush(c->s, 0);
	conn_step(c);
}

/* The slow timer: timeouts, keepalives, and a safety net for the poll. */
static void
conn_timer_cb(uv_timer_t *t)
{
	struct conn	*c = t->data;
	uint64_t	 now = uv_now(c->loop);
	unsigned	 ka = c->keepalive_ms;

	if (c->state < CONN_S_READY) {
		if (now - c->start < c->timeout_ms) {
			conn_step(c);
			return;
		}
		if (c->state <= CONN_S_TCP)
			conn_finish(c, CONN_E_UNREACHABLE, "%s: no connection "
			    "within %g s", conn_label(c),
			    c->timeout_ms / 1000.0);
		else
			conn_finish(c, CONN_E_TIMEOUT, "%s: no login within "
			    "%g s (the device stopped answering)",
			    conn_label(c), c->timeout_ms / 1000.0);
		return;
	}
	if (c->state == CONN_S_DEAD)
		return;
	if (c->sock_cnt.in_bytes != c->last_in_bytes) {
		c->last_in_bytes = c->sock_cnt.in_bytes;
		c->last_in = now;
	}
	if (now - c->last_in >= 3ULL * ka) {
		conn_finish(c, CONN_E_TIMEOUT, "%s: no answer for %.1f s "
		    "(3 keepalives): the connection is dead", conn_label(c),
		    (double)(now - c->last_in) / 1000.0);
		return;
	}
	/*
	 * Only a quiet session needs one: a device polled every few seconds
	 * answers all the time, and a thousand keepalives it does not need
	 * cost a round trip each.  Non-blocking, a call sends only when the
	 * previous request was answered (the other calls collect the
	 * answer): calling at twice the rate sends about one keepalive per
	 * interval.
	 */
	if (now - c->last_in >= ka / 2 && now - c->last_ka >= ka / 2) {
		c->last_ka = now;
		ssh_send_keepalive(c->s);
	} else if (now - c->last_step < CONN_SAFETY_MS && c->outlen == 0)
		return;
	/*
	 * The safety net: a step after the keepalive, with output waiting,
	 * or when none ran for half a minute.  Every step costs libssh's
	 * poll(2)s, and a session is drained after every libssh call, so
	 * this is only for what nobody foresaw: a thousand sessions idle
	 * between polls stepping every 3 s made a fifth of all poll(2)s.
	 */
	conn_step(c);
}

/* The interface. */

struct conn *
conn_new(uv_loop_t *loop, const struct conn_opts *o, const struct conn_cb *cb,
    void *arg)
{
	struct conn	*c;
	struct addrinfo	 hints;
	char		 port[16];
	unsigned	 tick;
	int		 rc;

	c = xcalloc(1, sizeof *c);
	c->loop = loop;
	if (cb != NULL)
		c->cb = *cb;
	c->arg = arg;
	c->dest = xstrdup(o->dest != NULL ? o->dest : "");
	c->user = conn_strdup0(o->user);
	c->port = o->port;
	c->ssh_config = conn_strdup0(o->ssh_config);
	c->known_hosts = conn_strdup0(o->known_hosts);
	c->identity = conn_strdup0(o->identity);
	c->password = conn_strdup0(o->password);
	c->token = conn_strdup0(o->token);
	c->exec = conn_strdup0(o->exec);
	c->accept_new = o->accept_new;
	c->no_agent = o->no_agent;
	c->cols = o->pty_cols > 0 ? o->pty_cols : 512;
	/*
	 * A FortiGate pages by the SSH pty's height, and paging can only be
	 * turned off system-wide (a configuration change fgtop never makes).
	 * 1,000 rows is what netmiko's Fortinet driver has asked for since
	 * 2015 to get long pages from real boxes (ktbyers/netmiko PR #106);
	 * a taller pty is unproven - a box might clamp or refuse it, and a
	 * refused pty-req would cost the whole shell.  So: 1,000 rows, a
	 * 50-tunnel full poll in a few pages instead of ~90 at 24 lines.
	 */
	c->rows = o->pty_rows > 0 ? o->pty_rows : CONN_PTY_ROWS;
	c->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 15000;
	c->keepalive_ms = o->keepalive_ms > 0 ? o->keepalive_ms : 15000;
	c->exit_status = -1;
	c->libfd = -1;
	c->kh_fd[0] = c->kh_fd[1] = -1;
	c->state = CONN_S_RESOLVE;
	c->start = uv_now(loop);

	uv_timer_init(loop, &c->timer);
	c->timer.data = c;
	uv_idle_init(loop, &c->idle);
	c->idle.data = c;
	c->handles = 2;
	tick = c->keepalive_ms / 4;
	if (tick > 1000)
		tick = 1000;
	if (c->timeout_ms / 4 < tick)
		tick = c->timeout_ms / 4;
	if (tick < 10)
		tick = 10;
	/*
	 * On the loop's clock every conn's tick falls on the same
	 * milliseconds (multiples of tick), so a thousand of them wake the
	 * loop once a tick, not a thousand times.
	 */
	uv_timer_start(&c->timer, conn_timer_cb, tick - uv_now(loop) % tick,
	    tick);

	/* Errors are reported through closed, on the next turn. */
	c->in_new = 1;
	if (conn_setup(c) != 0) {
		char	*msg = c->errmsg;

		c->errmsg = NULL;
		conn_finish(c, c->err, "%s", msg);
		free(msg);
		c->in_new = 0;
		return (c);
	}

	ssh_callbacks_init(&c->scb);
	c->scb.userdata = c;
	c->scb.auth_function = conn_no_passphrase;
	ssh_set_callbacks(c->s, &c->scb);

	if (c->proxy) {
		conn_kh_open(c);
		c->state = CONN_S_SSH;
		conn_kick(c);
		c->in_new = 0;
		return (c);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(port, sizeof port, "%d", c->hport);
	c->gai.data = c;
	rc = uv_getaddrinfo(loop, &c->gai, conn_gai_cb, c->host, port, &hints);
	if (rc != 0)
		conn_finish(c, CONN_E_RESOLVE, "%s: cannot resolve %s: %s",
		    c->dest, c->host, uv_strerror(rc));
	else
		c->gai_pending = 1;
	c->in_new = 0;
	return (c);
}

void
conn_write(struct conn *c, const char *buf, size_t len)
{
	if (c->closing || c->state == CONN_S_DEAD || len == 0)
		return;
	if (c->outlen + len > c->outcap) {
		c->outcap = (c->outlen + len) * 2;
		c->out = xrealloc(c->out, c->outcap);
	}
	memcpy(c->out + c->outlen, buf, len);
	c->outlen += len;
	if (c->state == CONN_S_READY)
		conn_kick(c);
}

void
conn_close(struct conn *c)
{
	if (c == NULL || c->closing)
		return;
	c->closing = 1;
	c->state = CONN_S_DEAD;
	conn_release(c);
	if (c->gai_pending)
		uv_cancel((uv_req_t *)&c->gai);
	uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
	uv_close((uv_handle_t *)&c->idle, conn_handle_closed);
}

enum conn_errkind
conn_errkind(const struct conn *c)
{
	return (c->err);
}

const char *
conn_error(const struct conn *c)
{
	return (c->errmsg != NULL ? c->errmsg : "");
}

int
conn_exit_status(const struct conn *c)
{
	return (c->exec != NULL ? c->exit_status : -1);
}

const char *
conn_host(const struct conn *c)
{
	return (c->host != NULL ? c->host : c->dest);
}

int
conn_port(const struct conn *c)
{
	return (c->hport);
}

const char *
conn_cipher(const struct conn *c)
{
	return (c->cipher[0] != '\0' ? c->cipher : NULL);
}

unsigned long long
conn_bytes_in(const struct conn *c)
{
	return ((unsigned long long)c->sock_cnt.in_bytes);
}
