/* SPDX-License-Identifier: ISC */
/*
 * test_conn - src/conn against the real fgtsim over loopback SSH.
 *
 * Every test starts tests/sim/fgtsim on 127.0.0.1 port 0 (tests/simutil),
 * runs a real libuv loop with one conn, and checks what the scenario
 * means: the prompt and the output of `get system status`, the exit
 * status of an exec, host keys (unknown, changed, accepted), passwords,
 * FortiToken codes, public keys, the transport faults, a refused port,
 * a name that does not resolve, a dead peer, ssh_config (an alias and a
 * ProxyCommand) and 100 MB of output.  After each run the conn is closed
 * and the loop must close with nothing left open.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <uv.h>

#include "testutil.h"
#include "simutil.h"
#include "conn.h"

#define PROMPT		"FGT-WALKTHROUGH # "
#define KEEP_MAX	(4 * 1024 * 1024)

struct run {
	uv_loop_t	 loop;
	uv_loop_t	*loopp;		/* the loop to stop: &loop, or another */
	uv_timer_t	 deadline;
	struct conn	*c;
	char		*buf;
	size_t		 len;
	unsigned long long total;
	int		 ready;
	int		 closed;
	int		 timed_out;
	uint64_t	 t0;
	/* Shell: send cmd after the first prompt, stop at the next one. */
	const char	*cmd;
	int		 stage;
	size_t		 mark;
	/* Stop the loop once this text has arrived. */
	const char	*stop_at;
	/* Sample the heap in use at every callback (100 MB test). */
	int		 heap;
	size_t		 heap_peak;
	/* Freeze this process once ready (dead-peer test). */
	pid_t		 freeze;
};

static void
on_ready(struct conn *c, void *arg)
{
	struct run	*r = arg;

	r->ready = 1;
	if (r->freeze > 0)
		kill(r->freeze, SIGSTOP);
}

static int
ends_with(const struct run *r, size_t mark, const char *tail)
{
	size_t	 n = strlen(tail);

	return (r->len >= n && r->len - n >= mark &&
	    memcmp(r->buf + r->len - n, tail, n) == 0);
}

static void
on_data(struct conn *c, const char *p, size_t n, void *arg)
{
	struct run	*r = arg;

	r->total += n;
	if (r->heap) {
		struct mallinfo2	 mi = mallinfo2();

		if (mi.uordblks > r->heap_peak)
			r->heap_peak = mi.uordblks;
		return;
	}
	if (r->len + n <= KEEP_MAX) {
		r->buf = realloc(r->buf, r->len + n + 1);
		assert_non_null(r->buf);
		memcpy(r->buf + r->len, p, n);
		r->len += n;
		r->buf[r->len] = '\0';
	}
	if (r->stop_at != NULL && strstr(r->buf, r->stop_at) != NULL) {
		r->stop_at = NULL;
		uv_stop(r->loopp);
	}
	if (r->cmd == NULL)
		return;
	if (r->stage == 0 && strstr(r->buf, PROMPT) != NULL) {
		r->stage = 1;
		r->mark = r->len;
		conn_write(c, r->cmd, strlen(r->cmd));
	} else if (r->stage == 1 && ends_with(r, r->mark, PROMPT)) {
		r->stage = 2;
		uv_stop(r->loopp);
	}
}

static void
on_closed(struct conn *c, void *arg)
{
	struct run	*r = arg;

	r->closed++;
	uv_stop(r->loopp);
}

static void
on_deadline(uv_timer_t *t)
{
	struct run	*r = t->data;

	r->timed_out = 1;
	uv_stop(r->loopp);
}

static const struct conn_cb run_cb = { on_ready, on_data, on_closed };

static void	agent_stop(void);

/* Start a conn and run the loop until it closes, a shell is done, or ms. */
static void
run_start(struct run *r, const struct conn_opts *o, unsigned ms)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(uv_loop_init(&r->loop), 0);
	r->loopp = &r->loop;
	uv_timer_init(&r->loop, &r->deadline);
	r->deadline.data = r;
	uv_timer_start(&r->deadline, on_deadline, ms, 0);
	r->t0 = uv_now(&r->loop);
	r->c = conn_new(&r->loop, o, &run_cb, r);
	assert_non_null(r->c);
}

static void
run_loop(struct run *r)
{
	uv_run(&r->loop, UV_RUN_DEFAULT);
}

static void
count_open(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		(*(int *)arg)++;
}

/* Close the conn; the loop must then close with nothing left open. */
static void
run_end(struct run *r)
{
	int	 open = 0;

	conn_close(r->c);
	uv_close((uv_handle_t *)&r->deadline, NULL);
	uv_walk(&r->loop, count_open, &open);
	assert_int_equal(open, 0);
	assert_int_equal(uv_run(&r->loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&r->loop), 0);
	free(r->buf);
}

static void
opts_init(struct conn_opts *o, struct sim *sim, const char *kh)
{
	memset(o, 0, sizeof *o);
	o->dest = "127.0.0.1";
	o->port = sim->port;
	o->user = "admin";
	o->ssh_config = "none";
	o->known_hosts = kh;
	o->no_agent = 1;
	o->timeout_ms = 10000;
}

/* fgtsim on the walk-through, and options that log in to it. */
static void
start_walkthrough(struct sim *sim, struct conn_opts *o)
{
	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	opts_init(o, sim, sim_path(sim, "known_hosts"));
	o->password = "fgtsim";
	o->accept_new = 1;
}

/* The SHA256 fingerprint ssh-keygen prints for a key file. */
static void
keygen_fingerprint(const char *keyfile, char *fp, size_t size)
{
	char	 cmd[600], line[512];
	FILE	*p;

	snprintf(cmd, sizeof cmd, "ssh-keygen -lf '%s' 2>/dev/null", keyfile);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(line, sizeof line, p) == NULL)
		fail_msg("ssh-keygen -lf %s printed nothing", keyfile);
	pclose(p);
	if (sscanf(line, "%*d %255s", fp) != 1 || strncmp(fp, "SHA256:", 7))
		fail_msg("ssh-keygen: %s", line);
	(void)size;
}

static void
keygen(const char *path)
{
	char	 cmd[600];

	unlink(path);
	snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N '' -C test "
	    "-f '%s' >/dev/null 2>&1", path);
	assert_int_equal(system(cmd), 0);
}

/* The exec output through libssh's blocking client (the reference). */
static char *
ref_exec(int port, const char *cmd, unsigned long long *total)
{
	ssh_session	 s;
	ssh_channel	 ch;
	char		*out = NULL, buf[65536];
	size_t		 len = 0;
	int		 n, no = 0;

	s = ssh_new();
	assert_non_null(s);
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, "admin");
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	assert_int_equal(ssh_connect(s), SSH_OK);
	assert_int_equal(ssh_userauth_password(s, NULL, "fgtsim"),
	    SSH_AUTH_SUCCESS);
	ch = ssh_channel_new(s);
	assert_non_null(ch);
	assert_int_equal(ssh_channel_open_session(ch), SSH_OK);
	assert_int_equal(ssh_channel_request_exec(ch, cmd), SSH_OK);
	*total = 0;
	while ((n = ssh_channel_read(ch, buf, sizeof buf, 0)) > 0) {
		*total += (unsigned long long)n;
		if (len + (size_t)n > KEEP_MAX)
			continue;
		out = realloc(out, len + (size_t)n + 1);
		assert_non_null(out);
		memcpy(out + len, buf, (size_t)n);
		len += (size_t)n;
	}
	if (out == NULL)
		out = strdup("");
	else
		out[len] = '\0';
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	ssh_disconnect(s);
	ssh_free(s);
	return (out);
}

/* A copy of walkthrough.scn with lines added under the device. */
static const char *
scenario_with(struct sim *sim, const char *extra)
{
	char	*text, *dev, *out;
	char	*path = sim_path(sim, "test.scn");
	size_t	 n;

	text = sim_read_file(sim_scenario("walkthrough.scn"));
	dev = strstr(text, "device FGT-WALKTHROUGH\n");
	assert_non_null(dev);
	dev += strlen("device FGT-WALKTHROUGH\n");
	n = (size_t)(dev - text);
	out = malloc(strlen(text) + strlen(extra) + 1);
	assert_non_null(out);
	memcpy(out, text, n);
	strcpy(out + n, extra);
	strcat(out, dev);
	sim_write_file(path, out);
	free(out);
	free(text);
	return (path);
}

static int
setup(void **state)
{
	struct sim	*sim = calloc(1, sizeof *sim);

	assert_non_null(sim);
	sim_init(sim);
	*state = sim;
	return (0);
}

static int
teardown(void **state)
{
	struct sim	*sim = *state;

	agent_stop();
	sim_cleanup(sim);
	free(sim);
	return (0);
}

/* Tests. */

static void
test_shell(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		*kh;
	const char	*tail;

	start_walkthrough(sim, &o);
	run_start(&r, &o, 10000);
	r.cmd = "get system status\n";
	run_loop(&r);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(r.closed, 0);
	assert_int_equal(r.ready, 1);
	assert_int_equal(r.stage, 2);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_non_null(strstr(r.buf + r.mark, "Hostname: FGT-WALKTHROUGH"));
	tail = r.buf + r.len - strlen(PROMPT);
	assert_string_equal(tail, PROMPT);
	assert_string_equal(conn_host(r.c), "127.0.0.1");
	assert_int_equal(conn_port(r.c), sim->port);
	assert_in_range(conn_bytes_in(r.c), r.len + 1, UINT32_MAX);
	/* No Ciphers line: conn's order, AES-GCM first (fgtsim has all). */
	assert_string_equal(conn_cipher(r.c), "aes128-gcm@openssh.com");
	run_end(&r);
	/* accept_new wrote the key: known_hosts names [127.0.0.1]:port. */
	kh = sim_read_file(sim_path(sim, "known_hosts"));
	{
		char	 want[64];

		snprintf(want, sizeof want, "[127.0.0.1]:%d ssh-ed25519 ",
		    sim->port);
		assert_memory_equal(kh, want, strlen(want));
	}
	free(kh);
}

static double
cpu_s(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

/*
 * An idle shell costs nothing (no busy poll on a writable socket), and
 * the keepalives go out and are answered: bytes keep coming in.
 */
static void
test_idle(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	unsigned long long in0;
	double		 cpu0, cpu;

	start_walkthrough(sim, &o);
	o.keepalive_ms = 200;
	run_start(&r, &o, 10000);
	r.stop_at = PROMPT;
	run_loop(&r);
	assert_int_equal(r.ready, 1);
	assert_null(r.stop_at);
	in0 = conn_bytes_in(r.c);
	cpu0 = cpu_s();
	uv_timer_start(&r.deadline, on_deadline, 1500, 0);
	run_loop(&r);
	cpu = cpu_s() - cpu0;
	assert_int_equal(r.timed_out, 1);
	assert_int_equal(r.closed, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	/* 1.5 s at one keepalive each 200 ms: answers came in. */
	assert_in_range(conn_bytes_in(r.c) - in0, 100, 100000);
	/* An idle conn's CPU seconds in those 1.5 s. */
	tu_assert_double_cmp(cpu, <=, 0.15);
	run_end(&r);
}

static int
count_str(const char *hay, const char *needle)
{
	int	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

/*
 * 200 KB typed at once: far more than the channel window, so libssh
 * writes short and conn must keep the rest and send it as the window
 * opens.  Each "x" DEL pair echoes "x\b \b": all 50,000 must come back,
 * then the command typed after them runs.
 */
static void
test_big_write(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		*in;
	const char	*cmd = "get system status\n";
	size_t		 i, pairs = 100000;

	start_walkthrough(sim, &o);
	in = malloc(pairs * 2 + strlen(cmd) + 1);
	assert_non_null(in);
	for (i = 0; i < pairs; i++) {
		in[2 * i] = 'x';
		in[2 * i + 1] = 0x7f;
	}
	strcpy(in + 2 * pairs, cmd);
	run_start(&r, &o, 20000);
	r.cmd = in;
	run_loop(&r);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(r.stage, 2);
	assert_int_equal(count_str(r.buf + r.mark, "x\b \b"), pairs);
	assert_non_null(strstr(r.buf + r.mark, "Hostname: FGT-WALKTHROUGH"));
	free(in);
	run_end(&r);
}

static void
test_exec(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		*ref, *cut;
	unsigned long long reftotal;

	start_walkthrough(sim, &o);
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(r.closed, 1);
	assert_int_equal(r.ready, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	assert_memory_equal(r.buf, "Version: FortiGate-100E v6.2.10,build1263,"
	    "211213 (GA)\n", 52);
	/* Byte for byte what libssh's blocking client reads, but the clock. */
	ref = ref_exec(sim->port, "get system status", &reftotal);
	assert_int_equal(r.total, reftotal);
	cut = strstr(ref, "System time: ");
	assert_non_null(cut);
	assert_memory_equal(r.buf, ref, (size_t)(cut - ref));
	free(ref);
	run_end(&r);
}

/*
 * stderr is read as it comes: 4 MB of it, twice the channel window,
 * would stall an exec whose client read stdout only.
 */
static void
test_exec_stderr(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	size_t		 i, o_len = 0, tildes = 0;
	char		*out;

	sim_start(sim, scenario_with(sim, "  fault stderr 4M\n"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.accept_new = 1;
	o.exec = "get system status";
	run_start(&r, &o, 20000);
	run_loop(&r);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	/* The status has no '~': what is not one is stdout, whole. */
	out = malloc(r.len + 1);
	assert_non_null(out);
	for (i = 0; i < r.len; i++) {
		if (r.buf[i] == '~')
			tildes++;
		else
			out[o_len++] = r.buf[i];
	}
	out[o_len] = '\0';
	assert_int_equal(tildes, 4000000);
	assert_memory_equal(out, "Version: FortiGate-100E v6.2.10,build1263,"
	    "211213 (GA)\n", 52);
	assert_non_null(strstr(out, "System time: "));
	free(out);
	run_end(&r);
}

static void
test_hostkey_unknown(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 fp[256], *log;

	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	keygen_fingerprint(sim->hostkey, fp, sizeof fp);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(r.ready, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_HOSTKEY_UNKNOWN);
	if (strstr(conn_error(r.c), fp) == NULL)
		fail_msg("error \"%s\" lacks %s", conn_error(r.c), fp);
	run_end(&r);
	/* Nothing but the key exchange: the device saw no login attempt. */
	log = sim_log_wait(sim, "\"event\":\"disconnect\"", 3000);
	assert_non_null(strstr(log, "\"event\":\"disconnect\""));
	assert_null(strstr(log, "\"event\":\"auth\""));
	free(log);
	/* And known_hosts was not written. */
	assert_int_equal(access(sim_path(sim, "known_hosts"), F_OK), -1);
}

static void
test_hostkey_changed(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 fp[256], line[512], *pub, *kh, *log;

	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	keygen_fingerprint(sim->hostkey, fp, sizeof fp);
	keygen(sim_path(sim, "other"));
	pub = sim_read_file(sim_path(sim, "other.pub"));
	snprintf(line, sizeof line, "[127.0.0.1]:%d %s", sim->port, pub);
	free(pub);
	kh = sim_path(sim, "known_hosts");
	sim_write_file(kh, line);
	opts_init(&o, sim, kh);
	o.password = "fgtsim";
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(r.ready, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_HOSTKEY_CHANGED);
	if (strstr(conn_error(r.c), fp) == NULL ||
	    strstr(conn_error(r.c), kh) == NULL)
		fail_msg("error \"%s\" lacks %s or %s", conn_error(r.c), fp,
		    kh);
	run_end(&r);
	log = sim_log_wait(sim, "\"event\":\"disconnect\"", 3000);
	assert_null(strstr(log, "\"event\":\"auth\""));
	free(log);
	/* The recorded key is still the only one. */
	pub = sim_read_file(kh);
	assert_string_equal(pub, line);
	free(pub);
}

/*
 * One login with host keys checked against kh; it must end with the
 * error kind want, and err gets its sentence.
 */
static void
kh_login(struct sim *sim, const char *kh, int accept_new,
    enum conn_errkind want, char *err, size_t size)
{
	struct conn_opts o;
	struct run	 r;
	enum conn_errkind kind;
	char		*log;

	opts_init(&o, sim, kh);
	o.password = "fgtsim";
	o.accept_new = accept_new;
	run_start(&r, &o, 10000);
	run_loop(&r);
	kind = conn_errkind(r.c);
	snprintf(err, size, "%s", conn_error(r.c));
	run_end(&r);
	if (kind != want) {
		/* What each side saw, for a failure that does not repeat. */
		log = sim_read_file(sim->log);
		fail_msg("login (accept-new %d): error kind %d, want %d: %s\n"
		    "fgtsim's log:\n%s", accept_new, (int)kind, (int)want,
		    err, log);
	}
}

/*
 * An estate's known_hosts: 2,000 other boxes (127.0.0.1 on other ports
 * and names, all with another key), with mid (lines, or "") half-way.
 */
static char *
estate_kh(struct sim *sim, const char *other_pub, const char *mid)
{
	size_t	 cap = 4000 * (strlen(other_pub) + 40) + strlen(mid) + 1;
	char	*text = malloc(cap);
	size_t	 len = 0;
	int	 i;

	assert_non_null(text);
	for (i = 0; i < 2000; i++) {
		if (i == 1000)
			len += (size_t)snprintf(text + len, cap - len, "%s",
			    mid);
		if (1024 + i != sim->port)
			len += (size_t)snprintf(text + len, cap - len,
			    "[127.0.0.1]:%d %s", 1024 + i, other_pub);
		len += (size_t)snprintf(text + len, cap - len,
		    "fw%04d.example,10.1.%d.%d %s", i, i / 250, i % 250,
		    other_pub);
	}
	return (text);
}

/*
 * known_hosts is read once per process and libssh given only the lines
 * that can name the device (src/khosts.c); the verdicts must be those
 * of the whole file.  The device's key among 4,000 other lines: known;
 * hashed (as ssh writes it on Debian): known; only a wildcard line
 * with another key: changed; absent: unknown, then added by accept-new
 * (exactly its line, at the end) and known at the next login; the file
 * replaced behind fgtop's back with another key: changed.
 */
static void
test_hostkey_estate(void **state)
{
	struct sim	*sim = *state;
	char		*kh, *tmp, *other, *text, *before, *after, *hashed;
	char		 own[1024], type[64], b64[512], mid[1200], err[1024];
	char		 cmd[1200];
	FILE		*p;

	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	kh = sim_path(sim, "known_hosts");
	tmp = sim_path(sim, "kh.tmp");
	keygen(sim_path(sim, "other"));
	other = sim_read_file(sim_path(sim, "other.pub"));
	snprintf(cmd, sizeof cmd, "ssh-keygen -y -f '%s'", sim->hostkey);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(own, sizeof own, p) == NULL ||
	    sscanf(own, "%63s %511s", type, b64) != 2)
		fail_msg("ssh-keygen -y %s: %s", sim->hostkey, own);
	pclose(p);
	snprintf(own, sizeof own, "[127.0.0.1]:%d %s %s\n", sim->port, type,
	    b64);

	text = estate_kh(sim, other, own);
	sim_write_file(kh, text);
	free(text);
	kh_login(sim, kh, 0, CONN_E_NONE, err, sizeof err);

	sim_write_file(tmp, own);
	snprintf(cmd, sizeof cmd, "ssh-keygen -H -f '%s' >/dev/null 2>&1",
	    tmp);
	assert_int_equal(system(cmd), 0);
	hashed = sim_read_file(tmp);
	assert_memory_equal(hashed, "|1|", 3);
	text = estate_kh(sim, other, hashed);
	free(hashed);
	sim_write_file(kh, text);
	free(text);
	kh_login(sim, kh, 0, CONN_E_NONE, err, sizeof err);

	snprintf(mid, sizeof mid, "[127.0.0.1]:* %s", other);
	text = estate_kh(sim, other, mid);
	sim_write_file(kh, text);
	free(text);
	kh_login(sim, kh, 1, CONN_E_HOSTKEY_CHANGED, err, sizeof err);
	if (strstr(err, kh) == NULL)
		fail_msg("error \"%s\" does not name %s", err, kh);

	before = estate_kh(sim, other, "");
	sim_write_file(kh, before);
	kh_login(sim, kh, 0, CONN_E_HOSTKEY_UNKNOWN, err, sizeof err);
	if (strstr(err, kh) == NULL)
		fail_msg("error \"%s\" does not name %s", err, kh);
	after = sim_read_file(kh);
	assert_string_equal(after, before);
	free(after);
	kh_login(sim, kh, 1, CONN_E_NONE, err, sizeof err);
	after = sim_read_file(kh);
	assert_int_equal(strlen(after), strlen(before) + strlen(own));
	assert_memory_equal(after, before, strlen(before));
	assert_string_equal(after + strlen(before), own);
	free(after);
	free(before);
	kh_login(sim, kh, 0, CONN_E_NONE, err, sizeof err);

	snprintf(mid, sizeof mid, "[127.0.0.1]:%d %s", sim->port, other);
	text = estate_kh(sim, other, mid);
	sim_write_file(tmp, text);
	free(text);
	assert_int_equal(rename(tmp, kh), 0);
	kh_login(sim, kh, 1, CONN_E_HOSTKEY_CHANGED, err, sizeof err);
	free(other);
}

/*
 * No known_hosts named: libssh's own default, ~/.ssh/known_hosts of the
 * passwd entry's home (not $HOME), is the file read and named.  Only
 * read: the key is not accepted.  A fresh fgtop process: conn looks the
 * home up once a process, and this one has logged in before.
 */
static void
test_hostkey_default_path(void **state)
{
	struct sim	*sim = *state;
	struct passwd	*pw = getpwuid(getuid());
	struct sim_proc	 p = { NULL, sim->out, sim->err, 0, 0, NULL };
	char		 want[1024], dest[64], *home, *out;
	const char	*argv[] = { sim_fgtop(), "--once", "--json", "-F", "none",
	    "--no-agent", "--no-journal", dest, NULL };

	if (pw == NULL)
		skip();		/* no passwd entry: libssh takes $HOME */
	snprintf(want, sizeof want, "(not in %s/.ssh/known_hosts)",
	    pw->pw_dir);
	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	snprintf(dest, sizeof dest, "admin@127.0.0.1:%d", sim->port);
	home = getenv("HOME") != NULL ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", sim->dir, 1);
	assert_int_equal(sim_run(argv, &p, 30, 1), 1);
	if (home != NULL) {
		setenv("HOME", home, 1);
		free(home);
	} else
		unsetenv("HOME");
	out = sim_read_file(sim->out);
	if (strstr(out, "\"state\": \"hostkey-unknown\"") == NULL ||
	    strstr(out, want) == NULL)
		fail_msg("fgtop --once: %s lacks hostkey-unknown and %s", out,
		    want);
	free(out);
}

static void
test_wrong_password(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;

	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "s3cret-wrong";
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(r.ready, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_AUTH);
	assert_string_equal(conn_error(r.c), "127.0.0.1: authentication "
	    "failed for user admin (tried: password, keyboard-interactive)");
	assert_null(strstr(conn_error(r.c), "s3cret"));
	run_end(&r);
}

static void
test_token(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	const char	*scn;
	char		*log;

	scn = scenario_with(sim, "  user admin password fgtsim token 123456\n");
	sim_start(sim, scn, NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.token = "123456";
	o.accept_new = 1;
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.ready, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	run_end(&r);
	log = sim_log_wait(sim, "\"method\":\"keyboard-interactive\","
	    "\"result\":\"ok\"", 3000);
	assert_non_null(strstr(log, "\"method\":\"password\","
	    "\"result\":\"partial\""));
	assert_non_null(strstr(log, "\"method\":\"keyboard-interactive\","
	    "\"result\":\"ok\""));
	free(log);

	/* Without the code: refused, and the error names the prompt. */
	o.token = NULL;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.ready, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_AUTH);
	assert_string_equal(conn_error(r.c), "127.0.0.1: authentication "
	    "failed for user admin (tried: password, keyboard-interactive): "
	    "the device asks \"Please enter FortiToken code: \" and no "
	    "token (FortiToken code) was given");
	assert_null(strstr(conn_error(r.c), "fgtsim"));
	run_end(&r);
}

static void
test_publickey(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		*log;
	char		 key[512];

	snprintf(key, sizeof key, "%s", sim_path(sim, "id_test"));
	keygen(key);
	sim_start(sim, sim_scenario("walkthrough.scn"), "--authorized-keys",
	    sim_path(sim, "id_test.pub"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.identity = key;
	o.accept_new = 1;
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.ready, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	assert_non_null(strstr(r.buf, "Hostname: FGT-WALKTHROUGH\n"));
	run_end(&r);
	log = sim_log_wait(sim, "\"result\":\"ok\"", 3000);
	assert_non_null(strstr(log, "\"method\":\"publickey\","
	    "\"result\":\"ok\""));
	assert_null(strstr(log, "\"method\":\"password\""));
	free(log);
}

/*
 * libnss_wrapper.so (Debian's libnss-wrapper) from the directory libc
 * was loaded from, or NULL.  Preloaded in a child with a passwd file of
 * the test's, it gives that child the home the test chooses: the one
 * ssh, libssh and fgtop take ~/.ssh from, whatever $HOME says.
 */
static const char *
nss_wrapper(void)
{
	static char	 path[1024];
	Dl_info		 di;
	char		*slash;

	if (dladdr((void *)gnu_get_libc_version, &di) == 0 ||
	    di.dli_fname == NULL || strlen(di.dli_fname) >= sizeof path - 32)
		return (NULL);
	strcpy(path, di.dli_fname);
	if ((slash = strrchr(path, '/')) == NULL)
		return (NULL);
	strcpy(slash + 1, "libnss_wrapper.so");
	return (access(path, R_OK) == 0 ? path : NULL);
}

/*
 * fgtop --once --json fw, with an ssh_config naming device fw and then
 * extra, run by a user whose passwd entry has home as its home while
 * $HOME is decoy; no agent, no password.  The device must come up
 * (refused NULL) or be refused with the error "fw: authentication failed
 * for user admin (tried: <refused>): the device asks ...".
 */
static void
once_with_home(struct sim *sim, const char *home, const char *decoy,
    const char *extra, const char *refused)
{
	/*
	 * On a sanitizer build its runtime is no longer the first library,
	 * and nss_wrapper's libc opened with RTLD_DEEPBIND would bypass it.
	 */
	char		 cfg[256], text[2048], preload[1100], pw[300], gr[300];
	char		 env_home[300], asan[1024], nodeep[] =
			     "NSS_WRAPPER_DISABLE_DEEPBIND=1";
	char		*env[] = { preload, pw, gr, env_home, asan, nodeep,
			     NULL };
	struct sim_proc	 p = { NULL, sim->out, sim->err, 0, 0, env };
	const char	*argv[] = { sim_fgtop(), "--once", "--json", "-F", cfg,
	    "--no-agent", "--no-journal", "fw", NULL };
	const char	*a = getenv("ASAN_OPTIONS");
	char		 what[700], want[300];
	json_t		*doc, *dev;
	int		 rc;

	snprintf(cfg, sizeof cfg, "%s", sim_path(sim, "config"));
	snprintf(text, sizeof text, "Host fw\n  HostName 127.0.0.1\n"
	    "  Port %d\n  User admin\n  UserKnownHostsFile %s\n"
	    "  StrictHostKeyChecking accept-new\n%s", sim->port,
	    sim_path(sim, "known_hosts"), extra);
	sim_write_file(cfg, text);
	snprintf(pw, sizeof pw, "NSS_WRAPPER_PASSWD=%s",
	    sim_path(sim, "passwd"));
	snprintf(text, sizeof text, "noc:x:%u:%u:fgtop test:%s:/bin/sh\n",
	    (unsigned)getuid(), (unsigned)getgid(), home);
	sim_write_file(strchr(pw, '=') + 1, text);
	snprintf(gr, sizeof gr, "NSS_WRAPPER_GROUP=%s",
	    sim_path(sim, "group"));
	snprintf(text, sizeof text, "noc:x:%u:\n", (unsigned)getgid());
	sim_write_file(strchr(gr, '=') + 1, text);
	snprintf(preload, sizeof preload, "LD_PRELOAD=%s", nss_wrapper());
	snprintf(env_home, sizeof env_home, "HOME=%s", decoy);
	snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
	    a != NULL ? a : "", a != NULL && *a != '\0' ? ":" : "");
	rc = sim_run(argv, &p, 30, 1);

	snprintf(what, sizeof what, "fgtop --once, home %s, HOME %s, %s",
	    home, decoy, extra);
	doc = tu_json_file(sim->out, sim->err);
	dev = json_array_get(json_object_get(doc, "devices"), 0);
	assert_non_null(dev);
	tu_expect_str(what, tu_jstr(dev, "name"), "fw");
	if (refused == NULL) {
		tu_expect_str(what, tu_jstr(dev, "state"), "up");
		assert_null(tu_jstr(dev, "error"));
		assert_int_equal(rc, 0);
	} else {
		snprintf(want, sizeof want, "fw: authentication failed for "
		    "user admin (tried: %s): the device asks \"Password: \" "
		    "and no password was given", refused);
		tu_expect_str(what, tu_jstr(dev, "state"), "auth-failed");
		tu_expect_str(what, tu_jstr(dev, "error"), want);
		assert_int_equal(rc, 1);
	}
	json_decref(doc);
}

/*
 * IdentityFile and IdentitiesOnly from ssh_config, and the default key
 * in ~/.ssh, where ~ is the passwd entry's home as for ssh, not $HOME:
 * only "good" is authorized on the device, and it is in the home of one
 * run and under $HOME of the other.
 */
static void
test_identity_files(void **state)
{
	struct sim	*sim = *state;
	char		 a[256], b[256], good[512], bad[512], line[1200];

	if (nss_wrapper() == NULL)
		skip();		/* no libnss-wrapper: ./bootstrap check has it */
	snprintf(a, sizeof a, "%s/a", sim->dir);
	snprintf(b, sizeof b, "%s/b", sim->dir);
	snprintf(line, sizeof line, "mkdir -p '%s/.ssh' '%s/.ssh'", a, b);
	assert_int_equal(system(line), 0);
	snprintf(good, sizeof good, "%s/.ssh/id_ed25519", a);
	snprintf(bad, sizeof bad, "%s", sim_path(sim, "bad"));
	keygen(good);
	keygen(bad);
	sim_start(sim, sim_scenario("walkthrough.scn"), "--authorized-keys",
	    strcat(strcpy(line, good), ".pub"), NULL);

	/* The named key is refused; the home's default one gets in. */
	snprintf(line, sizeof line, "  IdentityFile %s\n", bad);
	once_with_home(sim, a, b, line, NULL);
	/* The same key under $HOME alone is not looked at. */
	once_with_home(sim, b, a, line, "publickey, keyboard-interactive");
	/* IdentitiesOnly: the default key is not offered. */
	snprintf(line, sizeof line, "  IdentityFile %s\n"
	    "  IdentitiesOnly yes\n", bad);
	once_with_home(sim, a, b, line, "publickey, keyboard-interactive");
	/* IdentitiesOnly with the right file, written with ~/. */
	once_with_home(sim, a, b, "  IdentityFile ~/.ssh/id_ed25519\n"
	    "  IdentitiesOnly yes\n", NULL);
	/* ~/ is not $HOME either: no such file, so no key at all. */
	once_with_home(sim, b, a, "  IdentityFile ~/.ssh/id_ed25519\n"
	    "  IdentitiesOnly yes\n", "keyboard-interactive");
}

static pid_t	 agent_pid;

/* ssh-agent -D on a socket in the scratch directory; its pid. */
static pid_t
agent_start(const char *sock)
{
	pid_t	 pid;
	int	 i, fd;

	if ((pid = fork()) == 0) {
		/* Nothing of the test's output: a pipe held open would hang. */
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("ssh-agent", "ssh-agent", "-D", "-a", sock, (char *)NULL);
		_exit(127);
	}
	assert_in_range(pid, 1, INT32_MAX);
	for (i = 0; i < 200 && access(sock, F_OK) != 0; i++)
		usleep(10000);
	agent_pid = pid;
	assert_int_equal(access(sock, F_OK), 0);
	return (pid);
}

/* Also from the teardown, which runs when a test failed half-way. */
static void
agent_stop(void)
{
	int	 status;

	if (agent_pid <= 0)
		return;
	kill(agent_pid, SIGTERM);
	waitpid(agent_pid, &status, 0);
	agent_pid = 0;
}

/*
 * The agent: asked when SSH_AUTH_SOCK is set, not with no_agent.  The
 * device authorizes the agent's key alone, deleted from disk once the
 * agent holds it, so no default key can be what got in.
 */
static void
test_agent(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 key[512], sock[512], cmd[1200], *log;
	char		*old = getenv("SSH_AUTH_SOCK") ?
			    strdup(getenv("SSH_AUTH_SOCK")) : NULL;
	int		 status;

	if (system("command -v ssh-agent >/dev/null 2>&1") != 0)
		skip();
	snprintf(key, sizeof key, "%s", sim_path(sim, "id_agent"));
	snprintf(sock, sizeof sock, "%s", sim_path(sim, "agent.sock"));
	keygen(key);
	agent_start(sock);
	snprintf(cmd, sizeof cmd, "SSH_AUTH_SOCK='%s' ssh-add -q '%s' "
	    ">/dev/null 2>&1", sock, key);
	status = system(cmd);
	/* Only the agent holds the key now. */
	unlink(key);
	sim_start(sim, sim_scenario("walkthrough.scn"), "--authorized-keys",
	    strcat(key, ".pub"), NULL);
	setenv("SSH_AUTH_SOCK", sock, 1);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.accept_new = 1;
	o.no_agent = 0;
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(status, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	run_end(&r);
	log = sim_log_wait(sim, "\"result\":\"ok\"", 3000);
	assert_non_null(strstr(log, "\"method\":\"publickey\","
	    "\"result\":\"ok\""));
	free(log);

	/* no_agent: nothing else to offer, so no way in. */
	o.no_agent = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(conn_errkind(r.c), CONN_E_AUTH);
	run_end(&r);

	agent_stop();
	if (old != NULL) {
		setenv("SSH_AUTH_SOCK", old, 1);
		free(old);
	} else
		unsetenv("SSH_AUTH_SOCK");
}

/*
 * A key with a passphrase is skipped without a prompt (libssh would
 * otherwise ask on the terminal), even though the device would take
 * it; the password does the login.
 */
static void
test_encrypted_key(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 key[512], cmd[1200], *log;

	snprintf(key, sizeof key, "%s", sim_path(sim, "id_locked"));
	snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N 'secret words' "
	    "-C locked -f '%s' >/dev/null 2>&1", key);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s.pub", key);
	sim_start(sim, sim_scenario("walkthrough.scn"), "--authorized-keys",
	    cmd, NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.identity = key;
	o.password = "fgtsim";
	o.accept_new = 1;
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	run_end(&r);
	log = sim_log_wait(sim, "\"result\":\"ok\"", 3000);
	assert_non_null(strstr(log, "\"method\":\"password\","
	    "\"result\":\"ok\""));
	free(log);
}

static void
test_drop_prefix(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		*ref;
	unsigned long long reftotal;

	/* The reference first, from a healthy device. */
	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	ref = ref_exec(sim->port, "get system status", &reftotal);
	sim_stop(sim);
	sim_start(sim, scenario_with(sim, "  fault drop after 500\n"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.accept_new = 1;
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_CLOSED);
	assert_int_equal(r.len, 500);
	assert_memory_equal(r.buf, ref, 500);
	free(ref);
	run_end(&r);
}

/*
 * fault refuse-second: while one session is open, a second connection
 * is closed before the SSH banner.  Both conns share one loop.
 */
static void
test_refuse_second(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r, r2;

	sim_start(sim, scenario_with(sim, "  fault refuse-second\n"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	r.stop_at = PROMPT;
	run_loop(&r);
	assert_int_equal(r.ready, 1);
	memset(&r2, 0, sizeof r2);
	r2.loopp = &r.loop;
	r2.c = conn_new(&r.loop, &o, &run_cb, &r2);
	run_loop(&r);
	assert_int_equal(r2.closed, 1);
	assert_int_equal(r.closed, 0);
	assert_int_equal(conn_errkind(r2.c), CONN_E_CLOSED);
	assert_non_null(strstr(conn_error(r2.c), "): the device closed the "
	    "connection before the SSH banner"));
	conn_close(r2.c);
	free(r2.buf);
	run_end(&r);
}

static void
test_auth_fail(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;

	sim_start(sim, scenario_with(sim, "  fault auth-fail\n"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.ready, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_AUTH);
	assert_non_null(strstr(conn_error(r.c), "for user admin (tried: "));
	run_end(&r);
}

static void
test_refused(void **state)
{
	struct conn_opts o;
	struct run	 r;
	char		 want[128];
	int		 port = sim_closed_port();

	(void)state;
	memset(&o, 0, sizeof o);
	o.dest = "fw1";
	o.ssh_config = sim_path(*state, "config");
	snprintf(want, sizeof want, "Host fw1\n  HostName 127.0.0.1\n"
	    "  Port %d\n", port);
	sim_write_file(o.ssh_config, want);
	o.no_agent = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_UNREACHABLE);
	snprintf(want, sizeof want, "fw1 (127.0.0.1:%d): connection refused",
	    port);
	assert_string_equal(conn_error(r.c), want);
	run_end(&r);
}

/* A peer that accepts and never speaks: the login timeout ends it. */
static void
test_login_timeout(void **state)
{
	struct conn_opts o;
	struct run	 r;
	struct sockaddr_in sin;
	socklen_t	 len = sizeof sin;
	char		 want[128];
	int		 fd;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_in_range(fd, 0, 65535);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	memset(&o, 0, sizeof o);
	o.dest = "127.0.0.1";
	o.port = ntohs(sin.sin_port);
	o.ssh_config = "none";
	o.no_agent = 1;
	o.timeout_ms = 300;
	run_start(&r, &o, 5000);
	run_loop(&r);
	close(fd);
	assert_int_equal(r.closed, 1);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_TIMEOUT);
	snprintf(want, sizeof want, "127.0.0.1 (127.0.0.1:%d): no login "
	    "within 0.3 s (the device stopped answering)", o.port);
	assert_string_equal(conn_error(r.c), want);
	assert_in_range(uv_now(&r.loop) - r.t0, 300, 1500);
	run_end(&r);
}

/* conn_close at any point: no callback after it, nothing left open. */
static void
test_close_early(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	int		 i;

	start_walkthrough(sim, &o);
	/* Before the loop ever ran (the resolver request is pending). */
	run_start(&r, &o, 5000);
	run_end(&r);
	assert_int_equal(r.closed, 0);
	/* Then after 1, 2, ... loop turns: in the handshake, in the login. */
	for (i = 1; i <= 12; i++) {
		int	 n;

		run_start(&r, &o, 5000);
		for (n = 0; n < i; n++)
			uv_run(&r.loop, UV_RUN_ONCE);
		run_end(&r);
		assert_int_equal(r.closed, 0);
	}
}

/* An ssh_config that cannot be read: said so on the next turn. */
static void
test_bad_config(void **state)
{
	struct conn_opts o;
	struct run	 r;

	(void)state;
	memset(&o, 0, sizeof o);
	o.dest = "fw1";
	o.ssh_config = "/nonexistent/ssh_config";
	run_start(&r, &o, 5000);
	assert_int_equal(r.closed, 0);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_PROTOCOL);
	assert_string_equal(conn_error(r.c), "fw1: cannot read the ssh "
	    "configuration /nonexistent/ssh_config: No such file or "
	    "directory");
	run_end(&r);
}

static void
on_tick(uv_timer_t *t)
{
	(*(int *)t->data)++;
}

static void
busy_work(uv_work_t *w)
{
	usleep(300 * 1000);
}

static void
busy_done(uv_work_t *w, int status)
{
}

/*
 * The resolver runs off the loop: with libuv's four pool threads busy
 * for 300 ms the lookup waits its turn, and meanwhile a 10 ms timer
 * keeps firing.  (An empty label fails in glibc without asking any DNS
 * server: the test talks to nothing but loopback.)
 */
static void
test_resolve(void **state)
{
	struct conn_opts o;
	struct run	 r;
	uv_timer_t	 tick;
	uv_work_t	 work[4];
	int		 i, ticks = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.dest = "nonexistent..invalid";
	o.ssh_config = "none";
	o.no_agent = 1;
	memset(&r, 0, sizeof r);
	assert_int_equal(uv_loop_init(&r.loop), 0);
	r.loopp = &r.loop;
	uv_timer_init(&r.loop, &r.deadline);
	r.deadline.data = &r;
	uv_timer_start(&r.deadline, on_deadline, 10000, 0);
	for (i = 0; i < 4; i++)
		uv_queue_work(&r.loop, &work[i], busy_work, busy_done);
	r.t0 = uv_now(&r.loop);
	r.c = conn_new(&r.loop, &o, &run_cb, &r);
	/* conn_new returned at once, and reports nothing from inside. */
	assert_int_equal(r.closed, 0);
	uv_timer_init(&r.loop, &tick);
	tick.data = &ticks;
	uv_timer_start(&tick, on_tick, 10, 10);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_RESOLVE);
	assert_string_equal(conn_error(r.c), "nonexistent..invalid: cannot "
	    "resolve nonexistent..invalid: unknown node or service");
	assert_in_range(uv_now(&r.loop) - r.t0, 280, 5000);
	assert_in_range(ticks, 15, 1000);
	uv_close((uv_handle_t *)&tick, NULL);
	run_end(&r);

	/* A name libssh itself refuses: said so, on the next turn. */
	o.dest = "fw_1";
	run_start(&r, &o, 10000);
	assert_int_equal(r.closed, 0);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_RESOLVE);
	assert_string_equal(conn_error(r.c), "fw_1: not a valid host name");
	run_end(&r);
}

static void
test_dead_peer(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	uint64_t	 t0;

	start_walkthrough(sim, &o);
	o.keepalive_ms = 200;
	run_start(&r, &o, 10000);
	r.freeze = sim->pid;		/* SIGSTOP once ready */
	t0 = uv_now(&r.loop);
	run_loop(&r);
	kill(sim->pid, SIGCONT);
	assert_int_equal(r.ready, 1);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_TIMEOUT);
	assert_non_null(strstr(conn_error(r.c), "(3 keepalives)"));
	/* 3 x 200 ms after the last byte, and well before the deadline. */
	assert_in_range(uv_now(&r.loop) - t0, 600, 3000);
	run_end(&r);
}

static void
test_stall_alive(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	unsigned long long reftotal;
	char		*ref;

	/*
	 * A stall of the output longer than the dead time is not a dead
	 * peer: the device still answers keepalives, as OpenSSH's
	 * ServerAlive* sees it.  Everything arrives after the stall.
	 */
	sim_start(sim, scenario_with(sim, "  fault stall 2s after 300\n"),
	    NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.accept_new = 1;
	o.keepalive_ms = 200;
	o.exec = "get system status";
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.closed, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	ref = ref_exec(sim->port, "get system status", &reftotal);
	assert_int_equal(r.total, reftotal);
	free(ref);
	run_end(&r);
}

/*
 * Options for a `get system status' through the Host block of an
 * ssh_config file written from config: the destination is the alias,
 * the rest comes from the file.  accept_new is the caller's.
 */
static void
alias_opts(struct sim *sim, struct conn_opts *o, const char *dest,
    const char *config)
{
	sim_write_file(sim_path(sim, "config"), config);
	memset(o, 0, sizeof *o);
	o->dest = dest;
	o->ssh_config = sim_path(sim, "config");
	o->password = "fgtsim";
	o->no_agent = 1;
	o->exec = "get system status";
}

static void
test_config_alias(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 cfg[1024], *kh;

	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	/* accept-new comes from the file: libssh 0.10 drops it, we not. */
	snprintf(cfg, sizeof cfg, "Host other\n  Port 1\n"
	    "Host fw-alias\n  HostName 127.0.0.1\n  Port %d\n  User admin\n"
	    "  UserKnownHostsFile %s\n  StrictHostKeyChecking accept-new\n",
	    sim->port, sim_path(sim, "kh-alias"));
	alias_opts(sim, &o, "fw-alias", cfg);
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.ready, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_string_equal(conn_host(r.c), "127.0.0.1");
	assert_int_equal(conn_port(r.c), sim->port);
	assert_non_null(strstr(r.buf, "Hostname: FGT-WALKTHROUGH\n"));
	run_end(&r);
	kh = sim_read_file(sim_path(sim, "kh-alias"));
	snprintf(cfg, sizeof cfg, "[127.0.0.1]:%d ssh-ed25519 ", sim->port);
	assert_memory_equal(kh, cfg, strlen(cfg));
	free(kh);
}

/*
 * A UserKnownHostsFile with an escape conn does not expand (%u, the
 * local user) is left to libssh whole: it expands it, reads the file,
 * and the accepted key lands there, not in a file named "kh-%u".
 */
static void
test_config_kh_escape(void **state)
{
	struct sim	*sim = *state;
	struct passwd	*pw = getpwuid(getuid());
	struct conn_opts o;
	struct run	 r;
	char		 cfg[1024], path[512], *kh;

	if (pw == NULL)
		skip();
	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	snprintf(cfg, sizeof cfg, "Host fw-esc\n  HostName 127.0.0.1\n"
	    "  Port %d\n  User admin\n  UserKnownHostsFile %s/kh-%%u\n"
	    "  StrictHostKeyChecking accept-new\n", sim->port, sim->dir);
	alias_opts(sim, &o, "fw-esc", cfg);
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	run_end(&r);
	snprintf(path, sizeof path, "%s/kh-%%u", sim->dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/kh-%s", sim->dir, pw->pw_name);
	kh = sim_read_file(path);
	snprintf(cfg, sizeof cfg, "[127.0.0.1]:%d ssh-ed25519 ", sim->port);
	assert_memory_equal(kh, cfg, strlen(cfg));
	free(kh);
}

/* The cipher of alias_exec's last login, "" if none. */
static char	alias_cipher[64];

/* One exec through an alias whose Host block has extra lines. */
static enum conn_errkind
alias_exec(struct sim *sim, const char *extra, char *err, size_t size)
{
	struct conn_opts o;
	struct run	 r;
	char		 cfg[1024];
	enum conn_errkind kind;

	snprintf(cfg, sizeof cfg, "Host fw\n  HostName 127.0.0.1\n"
	    "  Port %d\n  User admin\n  UserKnownHostsFile %s\n%s",
	    sim->port, sim_path(sim, "known_hosts"), extra);
	alias_opts(sim, &o, "fw", cfg);
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	kind = conn_errkind(r.c);
	snprintf(err, size, "%s", conn_error(r.c));
	snprintf(alias_cipher, sizeof alias_cipher, "%s",
	    conn_cipher(r.c) != NULL ? conn_cipher(r.c) : "");
	run_end(&r);
	return (kind);
}

/* KexAlgorithms, HostKeyAlgorithms and Ciphers from ssh_config apply. */
static void
test_config_algorithms(void **state)
{
	struct sim	*sim = *state;
	char		 err[512];

	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	/* The device's host key is ed25519: an RSA-only list cannot work. */
	assert_int_equal(alias_exec(sim, "  HostKeyAlgorithms rsa-sha2-512\n",
	    err, sizeof err), CONN_E_PROTOCOL);
	if (strstr(err, "SSH handshake failed") == NULL)
		fail_msg("error: %s", err);
	/* A key exchange the device does not offer. */
	assert_int_equal(alias_exec(sim, "  KexAlgorithms "
	    "diffie-hellman-group1-sha1\n", err, sizeof err),
	    CONN_E_PROTOCOL);
	/* Which side gives up first is a race: either sentence will do. */
	if (strstr(err, "SSH handshake failed: kex error : no match for "
	    "method kex algos") == NULL && strstr(err, "SSH handshake "
	    "failed: the device closed the connection") == NULL)
		fail_msg("error: %s", err);
	/* A cipher both sides have: fine, and it replaces conn's order. */
	assert_int_equal(alias_exec(sim, "  Ciphers aes128-ctr\n", err,
	    sizeof err), CONN_E_NONE);
	assert_string_equal(alias_cipher, "aes128-ctr");
	assert_int_equal(alias_exec(sim, "  Ciphers chacha20-poly1305@openssh."
	    "com,aes128-gcm@openssh.com\n", err, sizeof err), CONN_E_NONE);
	assert_string_equal(alias_cipher, "chacha20-poly1305@openssh.com");
	/* And one the device lacks: not. */
	assert_int_equal(alias_exec(sim, "  Ciphers 3des-cbc\n", err,
	    sizeof err), CONN_E_PROTOCOL);
	if (strstr(err, "SSH handshake failed: kex error : no match for "
	    "method encryption") == NULL && strstr(err, "SSH handshake "
	    "failed: the device closed the connection") == NULL)
		fail_msg("error: %s", err);
}

static void
test_proxycommand(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 cfg[1024], *args;

	if (system("command -v nc >/dev/null 2>&1") != 0) {
		fprintf(stderr, "nc (netcat-openbsd) not installed\n");
		skip();
	}
	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	/* The command logs its arguments, so the test sees it ran. */
	snprintf(cfg, sizeof cfg, "#!/bin/sh\necho \"$@\" > '%s'\n"
	    "exec nc \"$@\"\n", sim_path(sim, "proxy-args"));
	sim_write_file(sim_path(sim, "proxy.sh"), cfg);
	assert_int_equal(chmod(sim_path(sim, "proxy.sh"), 0755), 0);
	snprintf(cfg, sizeof cfg, "Host fw-proxy\n  HostName 127.0.0.1\n"
	    "  Port %d\n  User admin\n  UserKnownHostsFile %s\n"
	    "  ProxyCommand %s %%h %%p\n", sim->port,
	    sim_path(sim, "kh-proxy"), sim_path(sim, "proxy.sh"));
	alias_opts(sim, &o, "fw-proxy", cfg);
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	assert_int_equal(r.ready, 1);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	assert_non_null(strstr(r.buf, "Hostname: FGT-WALKTHROUGH\n"));
	run_end(&r);
	args = sim_read_file(sim_path(sim, "proxy-args"));
	snprintf(cfg, sizeof cfg, "127.0.0.1 %d\n", sim->port);
	assert_string_equal(args, cfg);
	free(args);
}

/*
 * ProxyJump: libssh 0.10 turns it into "ssh -W" through the jump host.
 * A stand-in ssh first on PATH records its arguments and does what the
 * jump host would, connecting to the device (the test needs no sshd).
 */
static void
test_proxyjump(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	char		 text[1024], want[256], *args;
	char		*path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	if (system("command -v nc >/dev/null 2>&1") != 0) {
		fprintf(stderr, "nc (netcat-openbsd) not installed\n");
		skip();
	}
	sim_start(sim, sim_scenario("walkthrough.scn"), NULL);
	snprintf(text, sizeof text, "#!/bin/sh\necho \"$@\" > '%s'\n"
	    "exec nc 127.0.0.1 %d\n", sim_path(sim, "jump-args"), sim->port);
	sim_write_file(sim_path(sim, "ssh"), text);
	assert_int_equal(chmod(sim_path(sim, "ssh"), 0755), 0);
	snprintf(text, sizeof text, "%s:%s", sim->dir,
	    path != NULL ? path : "/usr/bin:/bin");
	setenv("PATH", text, 1);
	snprintf(text, sizeof text, "Host fw-jump\n  HostName 127.0.0.1\n"
	    "  Port %d\n  User admin\n  UserKnownHostsFile %s\n"
	    "  ProxyJump jumper@bastion:2022\n", sim->port,
	    sim_path(sim, "kh-jump"));
	alias_opts(sim, &o, "fw-jump", text);
	o.accept_new = 1;
	run_start(&r, &o, 10000);
	run_loop(&r);
	if (path != NULL) {
		setenv("PATH", path, 1);
		free(path);
	}
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	assert_non_null(strstr(r.buf, "Hostname: FGT-WALKTHROUGH\n"));
	run_end(&r);
	args = sim_read_file(sim_path(sim, "jump-args"));
	snprintf(want, sizeof want, "-l jumper -p 2022 -W [127.0.0.1]:%d "
	    "bastion\n", sim->port);
	assert_string_equal(args, want);
	free(args);
}

static long
maxrss_kb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

static void
test_huge(void **state)
{
	struct sim	*sim = *state;
	struct conn_opts o;
	struct run	 r;
	unsigned long long reftotal;
	char		*ref;
	long		 rss0;
	size_t		 heap0;
	struct timespec	 t0, t1;

	sim_start(sim, scenario_with(sim, "  fault huge 100M\n"), NULL);
	opts_init(&o, sim, sim_path(sim, "known_hosts"));
	o.password = "fgtsim";
	o.accept_new = 1;
	o.exec = "get system status";
	rss0 = maxrss_kb();
	heap0 = mallinfo2().uordblks;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_start(&r, &o, 60000);
	r.heap = 1;
	run_loop(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(conn_errkind(r.c), CONN_E_NONE);
	assert_int_equal(conn_exit_status(r.c), 0);
	assert_in_range(r.total, 100ULL * 1000 * 1000, 110ULL * 1024 * 1024);
	/* conn keeps no copy: the peak grew far less than 100 MB. */
	fprintf(stderr, "huge: %llu bytes in %.2f s, heap peak +%zu KB, "
	    "max RSS +%ld KB\n", r.total, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    (r.heap_peak > heap0 ? r.heap_peak - heap0 : 0) / 1024,
	    maxrss_kb() - rss0);
	/*
	 * The heap in use (glibc's count; ASan's allocator is not counted,
	 * and its quarantine inflates the RSS, so that bound is for plain
	 * builds) stays far below the 100 MB that went through.
	 */
	assert_in_range(r.heap_peak > heap0 ? r.heap_peak - heap0 : 0, 0,
	    16 * 1024 * 1024);
#ifndef __SANITIZE_ADDRESS__
	assert_in_range(maxrss_kb() - rss0, 0, 48 * 1024);
#endif
	run_end(&r);
	ref = ref_exec(sim->port, "get system status", &reftotal);
	assert_int_equal(r.total, reftotal);
	free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shell, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_write, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_stderr, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostkey_unknown, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostkey_changed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostkey_estate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostkey_default_path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publickey, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_identity_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_drop_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_second, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_auth_fail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_login_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_close_early, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dead_peer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stall_alive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_config_alias, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_config_kh_escape, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_config_algorithms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proxycommand, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proxyjump, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_huge, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
