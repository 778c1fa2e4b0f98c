/* SPDX-License-Identifier: ISC */
/*
 * test_fgtsim - fgtsim end to end, through a real SSH client.
 *
 * Every test starts the built fgtsim binary on 127.0.0.1 port 0 with a
 * scenario (written to a temporary directory, or one of the shipped
 * tests/sim/scenarios/NAME.scn), reads the ports it prints, talks to it
 * with libssh's client API (and OpenSSH's ssh when installed), and kills
 * it in the teardown, which cmocka runs even when the test failed.
 * What is checked: prompt, echo, pager, VDOM prompts, disclaimer, exec,
 * wrong passwords, public keys, keyboard-interactive with a FortiToken,
 * debug streaming and the debug state the event log says a client left
 * behind, Ctrl-C, every transport fault, a client vanishing mid-output,
 * listeners on loopback only, clean shutdown, and for every shipped
 * scenario that each poll command's output parses with fgtop's parsers.
 *
 * Starting, stopping and the scratch directory are tests/simutil's, as
 * for every test that runs fgtsim (the binary: $FGTSIM, else
 * $top_builddir/tests/sim/fgtsim; scenarios from $top_srcdir).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "simutil.h"
#include "testutil.h"
#include "sim.h"
#include "device.h"

#define WAIT_MS		10000

/* The fixture is simutil's: the process, its directory, its ports. */
#define fx_path(fx, name)	sim_path((fx), (name))

static int
setup(void **state)
{
	struct sim	*fx;

	fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	sim_init(fx);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct sim	*fx = *state;
	int		 status, rc = 0;

	/*
	 * fgtsim must still be running and stop cleanly: under the
	 * sanitizers a leak or an error makes its exit status non-zero.
	 */
	if (fx->pid > 0) {
		status = sim_stop(fx);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "fgtsim did not stop cleanly: %#x\n",
			    status);
			rc = -1;
		}
	}
	sim_cleanup(fx);
	free(fx);
	return (rc);
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

/* The SSH client side. */

static ssh_session
cli_connect(int port, const char *user)
{
	ssh_session	 s;
	long		 timeout = 10;
	int		 no = 0;

	s = ssh_new();
	assert_non_null(s);
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, user);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	if (ssh_connect(s) != SSH_OK) {
		ssh_free(s);
		return (NULL);
	}
	return (s);
}

static void
cli_close(ssh_session s)
{
	if (s == NULL)
		return;
	ssh_disconnect(s);
	ssh_free(s);
}

static ssh_session
cli_login(int port, const char *user, const char *pass)
{
	ssh_session	 s;
	int		 rc;

	if ((s = cli_connect(port, user)) == NULL)
		fail_msg("cannot connect to port %d", port);
	if ((rc = ssh_userauth_password(s, NULL, pass)) != SSH_AUTH_SUCCESS) {
		cli_close(s);
		fail_msg("login %s on port %d: rc %d", user, port, rc);
	}
	return (s);
}

/* Read a channel until EOF or the time runs out; *eof says which. */
static void
chan_drain(ssh_channel ch, struct sbuf *sb, int ms, int *eof)
{
	char	 buf[16384];
	double	 until = sim_now() + ms / 1000.0;
	int	 n;

	*eof = 0;
	while (sim_now() < until) {
		n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 100);
		if (n > 0) {
			sbuf_add(sb, buf, (size_t)n);
			continue;
		}
		if (n == SSH_ERROR || ssh_channel_is_eof(ch) ||
		    ssh_channel_is_closed(ch)) {
			*eof = n == SSH_ERROR ? -1 : 1;
			return;
		}
	}
}

/* Open a channel and send an exec request on it. */
static ssh_channel
chan_exec(ssh_session s, const char *cmd)
{
	ssh_channel	 ch;

	ch = ssh_channel_new(s);
	assert_non_null(ch);
	assert_int_equal(ssh_channel_open_session(ch), SSH_OK);
	assert_int_equal(ssh_channel_request_exec(ch, cmd), SSH_OK);
	return (ch);
}

/* Run one exec request; the output (NUL-terminated) is the caller's. */
static char *
cli_exec(ssh_session s, const char *cmd, size_t *len, int *status)
{
	struct sbuf	 sb = { NULL, 0, 0 };
	ssh_channel	 ch;
	int		 eof;

	ch = chan_exec(s, cmd);
	chan_drain(ch, &sb, 60000, &eof);
	if (eof == 0)
		fail_msg("exec '%s' did not finish", cmd);
	sbuf_add(&sb, "", 0);
	if (status != NULL)
		*status = ssh_channel_get_exit_status(ch);
	if (len != NULL)
		*len = sb.len;
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	return (sb.buf);
}

static ssh_channel
sh_open(ssh_session s)
{
	ssh_channel	 ch;

	ch = ssh_channel_new(s);
	assert_non_null(ch);
	assert_int_equal(ssh_channel_open_session(ch), SSH_OK);
	assert_int_equal(ssh_channel_request_pty_size(ch, "xterm", 80, 24),
	    SSH_OK);
	assert_int_equal(ssh_channel_request_shell(ch), SSH_OK);
	return (ch);
}

/* Read until the text read so far ends with (or holds) needle. */
static int
sh_until(ssh_channel ch, struct sbuf *sb, const char *needle, int ms)
{
	char	 buf[16384];
	double	 until = sim_now() + ms / 1000.0;
	int	 n;

	for (;;) {
		sbuf_add(sb, "", 0);
		if (sb->buf != NULL && strstr(sb->buf, needle) != NULL)
			return (1);
		if (sim_now() > until)
			return (0);
		n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 50);
		if (n > 0)
			sbuf_add(sb, buf, (size_t)n);
		else if (n == SSH_ERROR || ssh_channel_is_eof(ch))
			return (0);
	}
}

static int
ends_with(const struct sbuf *sb, size_t mark, const char *tail)
{
	size_t	 n = strlen(tail);

	return (sb->len >= n && sb->len - n >= mark &&
	    memcmp(sb->buf + sb->len - n, tail, n) == 0);
}

/* Wait for new output (past mark) ending in tail1 (1) or tail2 (2). */
static int
sh_until_tail(ssh_channel ch, struct sbuf *sb, size_t mark,
    const char *tail1, const char *tail2)
{
	char	 buf[16384];
	double	 until = sim_now() + WAIT_MS / 1000.0;
	int	 n;

	while (sim_now() < until) {
		if (ends_with(sb, mark, tail1))
			return (1);
		if (ends_with(sb, mark, tail2))
			return (2);
		n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 50);
		if (n > 0)
			sbuf_add(sb, buf, (size_t)n);
		else if (n == SSH_ERROR || ssh_channel_is_eof(ch))
			break;
	}
	return (0);
}

static void
sh_send(ssh_channel ch, const char *text)
{
	assert_int_equal(ssh_channel_write(ch, text, (uint32_t)strlen(text)),
	    (int)strlen(text));
}

/* Run a command at the prompt; returns what came back up to the prompt. */
static char *
sh_cmd(ssh_channel ch, const char *cmd, const char *prompt)
{
	struct sbuf	 sb = { NULL, 0, 0 };
	char		 line[512];

	snprintf(line, sizeof line, "%s\r", cmd);
	sh_send(ch, line);
	snprintf(line, sizeof line, "\r\n%s", prompt);
	if (!sh_until(ch, &sb, line, WAIT_MS))
		fail_msg("no prompt '%s' after '%s': [%s]", prompt, cmd,
		    sb.buf);
	return (sb.buf);
}

/* A logged-in interactive shell: session, channel, what it has read. */
struct sh {
	ssh_session	 s;
	ssh_channel	 ch;
	struct sbuf	 sb;
};

/* Log in as admin/admin, open a shell, wait for first (left in sb). */
static void
sh_login(struct sh *sh, int port, const char *first)
{
	memset(sh, 0, sizeof *sh);
	sh->s = cli_login(port, "admin", "admin");
	sh->ch = sh_open(sh->s);
	if (!sh_until(sh->ch, &sh->sb, first, WAIT_MS))
		fail_msg("no '%s' after login: [%s]", first, sh->sb.buf);
}

static void
sh_close(struct sh *sh)
{
	sbuf_free(&sh->sb);
	ssh_channel_free(sh->ch);
	cli_close(sh->s);
}

static void
sh_debug_on(struct sh *sh, const char *prompt)
{
	free(sh_cmd(sh->ch, "diagnose debug application ike -1", prompt));
	free(sh_cmd(sh->ch, "diagnose debug enable", prompt));
}

/*
 * Wait up to ms for frag in the event log, then fail unless each of the
 * NULL-terminated fragments that follow is there too.
 */
static void
log_expect(struct sim *fx, const char *frag, int ms, ...)
{
	const char	*want;
	char		*log;
	va_list		 ap;

	log = sim_log_wait(fx, frag, ms);
	if (strstr(log, frag) == NULL)
		fail_msg("log lacks %s: %s", frag, log);
	va_start(ap, ms);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (strstr(log, want) == NULL)
			fail_msg("log lacks %s: %s", want, log);
	}
	va_end(ap);
	free(log);
}

/* Scenarios written by the tests. */

#define BASIC_SCN \
	"device FGT-T\n" \
	"  version 7.4.3\n" \
	"  pager off\n" \
	"  user admin password admin\n" \
	"  user tok password secret token 424242\n"

static void
start_text(struct sim *fx, const char *scn, ...)
{
	const char	*extra[8];
	va_list		 ap;
	int		 n = 0;

	sim_write_file(fx_path(fx, "s.scn"), scn);
	va_start(ap, scn);
	while (n < 7 && (extra[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	extra[n] = NULL;
	sim_start(fx, fx_path(fx, "s.scn"), extra[0], extra[1], extra[2],
	    extra[3], extra[4], extra[5], extra[6], (char *)NULL);
	tu_assert_cmp(fx->nports, >=, 1);
}

/* The tests. */

static void
test_exec_status(void **state)
{
	struct sim	*fx = *state;
	ssh_session	 s;
	char		*out;
	size_t		 len;
	int		 status;

	start_text(fx, BASIC_SCN, NULL);
	assert_string_equal(fx->hosts[0], "FGT-T");
	s = cli_login(fx->ports[0], "admin", "admin");
	out = cli_exec(s, "get system status", &len, &status);
	if (strncmp(out, "Version: ", 9) != 0 ||
	    strstr(out, "FGT-T") == NULL)
		fail_msg("exec output: [%s]", out);
	/* exec: the device's bytes as they are, no prompt, no CR */
	assert_null(strstr(out, "FGT-T # "));
	assert_null(strchr(out, '\r'));
	assert_int_equal(status, 0);
	free(out);
	cli_close(s);
	log_expect(fx, "\"event\":\"disconnect\"", 3000,
	    "\"event\":\"auth\",\"device\":\"FGT-T\",\"conn\":1,"
	    "\"user\":\"admin\",\"method\":\"password\",\"result\":\"ok\"",
	    "\"vdom\":\"root\",\"command\":\"get system status\"", NULL);
}

static void
test_shell_prompt_echo(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	char		*out;

	start_text(fx, BASIC_SCN, NULL);
	sh_login(&sh, fx->ports[0], "FGT-T # ");
	assert_string_equal(sh.sb.buf, "FGT-T # ");
	sbuf_reset(&sh.sb);
	out = sh_cmd(sh.ch, "get system status", "FGT-T # ");
	/* echo, CRLF, then the output, then the prompt */
	if (strncmp(out, "get system status\r\nVersion: ", 28) != 0)
		fail_msg("shell output: [%s]", out);
	assert_non_null(strstr(out, "\r\nHostname: FGT-T\r\n"));
	assert_int_equal(count_str(out, "\n"), count_str(out, "\r\n"));
	free(out);
	/* Backspace rubs out; an unknown command gets FortiOS's error. */
	out = sh_cmd(sh.ch, "get sysX\x7ftem status", "FGT-T # ");
	assert_non_null(strstr(out, "X\b \b"));
	assert_non_null(strstr(out, "Hostname: FGT-T"));
	free(out);
	out = sh_cmd(sh.ch, "", "FGT-T # ");
	assert_string_equal(out, "\r\nFGT-T # ");
	free(out);
	/* exit ends the session */
	sh_send(sh.ch, "exit\r");
	sh_until(sh.ch, &sh.sb, "never", 3000);
	assert_true(ssh_channel_is_eof(sh.ch) || ssh_channel_is_closed(sh.ch));
	sh_close(&sh);
}

static void
test_pager(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	char		*full;
	size_t		 mark;
	int		 total, shown, r;

	start_text(fx, "device FGT-P\n  version 7.4.3\n  pager on 6\n"
	    "  user admin password admin\n", NULL);
	sh_login(&sh, fx->ports[0], "FGT-P # ");
	/* The whole output, via exec on the same session (never paged). */
	full = cli_exec(sh.s, "get system status", NULL, NULL);
	total = count_str(full, "\n");
	tu_assert_cmp(total, >, 12);
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, "get system status\r");
	assert_true(sh_until(sh.ch, &sh.sb, "--More-- ", WAIT_MS));
	/* page_lines 6: five lines, then --More-- on the sixth row */
	shown = count_str(sh.sb.buf, "\r\n") - 1;	/* minus the echo's */
	assert_int_equal(shown, 5);
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, " ");			/* space: a page */
	assert_true(sh_until(sh.ch, &sh.sb, "--More-- ", WAIT_MS));
	assert_int_equal(strncmp(sh.sb.buf, "\r          \r", 12), 0);
	assert_int_equal(count_str(sh.sb.buf, "\r\n"), 5);
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, "\r");			/* Enter: one line */
	assert_true(sh_until(sh.ch, &sh.sb, "--More-- ", WAIT_MS));
	assert_int_equal(count_str(sh.sb.buf, "\r\n"), 1);
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, "q");			/* q: back to the prompt */
	assert_true(sh_until(sh.ch, &sh.sb, "FGT-P # ", WAIT_MS));
	assert_string_equal(sh.sb.buf, "\r          \rFGT-P # ");
	sbuf_reset(&sh.sb);
	/* Paging to the end shows every line once. */
	sh_send(sh.ch, "get system status\r");
	mark = 0;
	while ((r = sh_until_tail(sh.ch, &sh.sb, mark, "--More-- ",
	    "FGT-P # ")) == 1) {
		mark = sh.sb.len;
		sh_send(sh.ch, " ");
	}
	assert_int_equal(r, 2);
	assert_int_equal(count_str(sh.sb.buf, "--More-- "),
	    (total + 4) / 5 - 1);
	assert_int_equal(count_str(sh.sb.buf, "\r\n"), total + 1);
	free(full);
	sh_close(&sh);
}

/* A shell on a pty of this height (0: no pty-req at all). */
static ssh_channel
sh_open_rows(ssh_session s, int rows)
{
	ssh_channel	 ch;

	ch = ssh_channel_new(s);
	assert_non_null(ch);
	assert_int_equal(ssh_channel_open_session(ch), SSH_OK);
	if (rows > 0)
		assert_int_equal(ssh_channel_request_pty_size(ch, "xterm", 80,
		    rows), SSH_OK);
	assert_int_equal(ssh_channel_request_shell(ch), SSH_OK);
	return (ch);
}

/* Lines of the first page of cmd on a fresh shell of this pty height. */
static int
pty_first_page(int port, int rows, const char *cmd, int *more)
{
	struct sbuf	 sb = { NULL, 0, 0 };
	ssh_session	 s;
	ssh_channel	 ch;
	char		 line[128];
	int		 n;

	s = cli_login(port, "admin", "admin");
	ch = sh_open_rows(s, rows);
	if (!sh_until(ch, &sb, "FGT-P # ", WAIT_MS))
		fail_msg("rows %d: no prompt: [%s]", rows, sb.buf);
	sbuf_reset(&sb);
	snprintf(line, sizeof line, "%s\r", cmd);
	sh_send(ch, line);
	if (!sh_until(ch, &sb, "--More-- ", 3000))
		(void)sh_until(ch, &sb, "FGT-P # ", WAIT_MS);
	*more = count_str(sb.buf, "--More-- ");
	n = count_str(sb.buf, "\r\n") - 1;	/* minus the echo's */
	sbuf_free(&sb);
	ssh_channel_free(ch);
	cli_close(s);
	return (n);
}

/*
 * A FortiGate pages by the client's pty height (netmiko asks for 1,000
 * rows to get long pages); `pager on` without LINES does the same, and
 * a window-change takes effect at the next page.
 */
static void
test_pager_pty(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	char		*full;
	int		 total, more;

	start_text(fx, "device FGT-P\n  version 7.4.3\n  pager on\n"
	    "  user admin password admin\n"
	    "  tunnel a\n    remote 203.0.113.1\n"
	    "    phase2 a src 10.0.0.0/24 dst 10.1.0.0/24\n"
	    "  tunnel b\n    remote 203.0.113.2\n"
	    "    phase2 b src 10.0.0.0/24 dst 10.2.0.0/24\n", NULL);
	memset(&sh, 0, sizeof sh);
	sh.s = cli_login(fx->ports[0], "admin", "admin");
	full = cli_exec(sh.s, "diagnose vpn tunnel list", NULL, NULL);
	total = count_str(full, "\n");
	free(full);
	assert_in_range(total, 40, 900);
	/* 8 rows: 7 lines and the --More-- row. */
	sh.ch = sh_open_rows(sh.s, 8);
	assert_true(sh_until(sh.ch, &sh.sb, "FGT-P # ", WAIT_MS));
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, "diagnose vpn tunnel list\r");
	assert_true(sh_until(sh.ch, &sh.sb, "--More-- ", WAIT_MS));
	assert_int_equal(count_str(sh.sb.buf, "\r\n") - 1, 7);
	/* The window shrinks to 5 rows: the next page has 4 lines. */
	assert_int_equal(ssh_channel_change_pty_size(sh.ch, 80, 5), SSH_OK);
	usleep(200 * 1000);	/* the request is not answered: let it land */
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, " ");
	assert_true(sh_until(sh.ch, &sh.sb, "--More-- ", WAIT_MS));
	assert_int_equal(count_str(sh.sb.buf, "\r\n"), 4);
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, "q");
	assert_true(sh_until(sh.ch, &sh.sb, "FGT-P # ", WAIT_MS));
	sh_close(&sh);
	/* 1,000 rows (netmiko's, fgtop's): the whole listing at once. */
	assert_int_equal(pty_first_page(fx->ports[0], 1000,
	    "diagnose vpn tunnel list", &more), total);
	assert_int_equal(more, 0);
	/* No pty: a console's 24 rows. */
	assert_int_equal(pty_first_page(fx->ports[0], 0,
	    "diagnose vpn tunnel list", &more), 23);
	assert_int_equal(more, 1);
	/* LINES forces the height whatever the pty says. */
	assert_int_equal(WEXITSTATUS(sim_stop(fx)), 0);
	start_text(fx, "device FGT-P\n  version 7.4.3\n  pager on 6\n"
	    "  user admin password admin\n"
	    "  tunnel a\n    remote 203.0.113.1\n"
	    "    phase2 a src 10.0.0.0/24 dst 10.1.0.0/24\n", NULL);
	assert_int_equal(pty_first_page(fx->ports[0], 1000,
	    "diagnose vpn tunnel list", &more), 5);
	assert_int_equal(more, 1);
}

static void
test_vdom_prompts(void **state)
{
	/* command, the prompt after it, what its output holds */
	static const char *const steps[][3] = {
		{ "config vdom", "FGT-V (vdom) # ", "" },
		{ "edit cust1", "FGT-V (cust1) # ", "" },
		{ "get system status", "FGT-V (cust1) # ",
		    "\r\nHostname: FGT-V\r\n" },
		{ "end", "FGT-V # ", "" },
		{ "config global", "FGT-V (global) # ", "" },
		{ "end", "FGT-V # ", "" },
	};
	struct sim	*fx = *state;
	struct sh	 sh;
	char		*out;
	size_t		 i;

	start_text(fx, "device FGT-V\n  version 7.2.8\n  vdom-mode multi\n"
	    "  pager off\n  user admin password admin\n  vdom root\n"
	    "  vdom cust1\n",
	    NULL);
	sh_login(&sh, fx->ports[0], "FGT-V # ");
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		out = sh_cmd(sh.ch, steps[i][0], steps[i][1]);
		if (strstr(out, steps[i][2]) == NULL)
			fail_msg("%s: no %s in [%s]", steps[i][0], steps[i][2],
			    out);
		free(out);
	}
	log_expect(fx, "\"command\":\"config global\"", 3000,
	    "\"vdom\":\"cust1\",\"command\":\"get system status\"", NULL);
	sh_close(&sh);
}

static void
test_disclaimer(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	ssh_session	 s;
	int		 eof;

	start_text(fx, "device FGT-D\n  version 7.4.3\n"
	    "  disclaimer \"Authorised access only.\"\n"
	    "  user admin password admin\n", NULL);
	sh_login(&sh, fx->ports[0], "(Press 'a' to accept):");
	assert_non_null(strstr(sh.sb.buf, "Authorised access only.\r\n"));
	assert_null(strstr(sh.sb.buf, "FGT-D # "));
	sh_send(sh.ch, "\r");			/* Enter is not 'a' ... */
	sh_send(sh.ch, "a");
	assert_true(sh_until(sh.ch, &sh.sb, "FGT-D # ", WAIT_MS));
	sh_close(&sh);

	/* Anything else declines, and the device hangs up. */
	sh_login(&sh, fx->ports[0], "(Press 'a' to accept):");
	sh_send(sh.ch, "n");
	chan_drain(sh.ch, &sh.sb, 5000, &eof);
	assert_int_not_equal(eof, 0);
	sbuf_add(&sh.sb, "", 0);
	assert_null(strstr(sh.sb.buf, "FGT-D # "));
	sh_close(&sh);

	/* An exec request skips the disclaimer. */
	s = cli_login(fx->ports[0], "admin", "admin");
	free(cli_exec(s, "get system status", NULL, NULL));
	cli_close(s);
}

static void
test_wrong_password(void **state)
{
	struct sim	*fx = *state;
	ssh_session	 s;
	char		*log;
	int		 i, rc;

	start_text(fx, BASIC_SCN, NULL);
	s = cli_connect(fx->ports[0], "admin");
	assert_non_null(s);
	for (i = 0; i < 3; i++) {
		rc = ssh_userauth_password(s, NULL, "wrong");
		assert_int_equal(rc, SSH_AUTH_DENIED);
	}
	/* After three failures the device hangs up. */
	rc = ssh_userauth_password(s, NULL, "admin");
	assert_int_equal(rc, SSH_AUTH_ERROR);
	cli_close(s);
	log = sim_log_wait(fx, "\"reason\":\"auth\"", 5000);
	assert_int_equal(count_str(log, "\"result\":\"fail\""), 3);
	assert_non_null(strstr(log, "\"event\":\"disconnect\""));
	free(log);
	/* Unknown user, right password for another user. */
	s = cli_connect(fx->ports[0], "nobody");
	assert_int_equal(ssh_userauth_password(s, NULL, "admin"),
	    SSH_AUTH_DENIED);
	cli_close(s);
}

static void
test_pubkey(void **state)
{
	struct sim	*fx = *state;
	ssh_key		 k1 = NULL, k2 = NULL, k3 = NULL;
	ssh_session	 s;
	char		*b64 = NULL, scn[2048], akeys[1024];

	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k1), 0);
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k2), 0);
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k3), 0);
	/* k1 in the scenario for user "keyuser" */
	assert_int_equal(ssh_pki_export_pubkey_base64(k1, &b64), 0);
	snprintf(scn, sizeof scn, "device FGT-K\n  version 7.4.3\n"
	    "  user keyuser pubkey \"ssh-ed25519 %s\"\n", b64);
	ssh_string_free_char(b64);
	/* k2 in --authorized-keys: any user */
	assert_int_equal(ssh_pki_export_pubkey_base64(k2, &b64), 0);
	snprintf(akeys, sizeof akeys, "# comment\nssh-ed25519 %s test@x\n",
	    b64);
	ssh_string_free_char(b64);
	sim_write_file(fx_path(fx, "akeys"), akeys);
	start_text(fx, scn, "--authorized-keys", fx_path(fx, "akeys"), NULL);

	s = cli_connect(fx->ports[0], "keyuser");
	assert_int_equal(ssh_userauth_publickey(s, NULL, k1), SSH_AUTH_SUCCESS);
	free(cli_exec(s, "get system status", NULL, NULL));
	cli_close(s);
	s = cli_connect(fx->ports[0], "admin");
	assert_int_equal(ssh_userauth_publickey(s, NULL, k1), SSH_AUTH_DENIED);
	assert_int_equal(ssh_userauth_publickey(s, NULL, k3), SSH_AUTH_DENIED);
	assert_int_equal(ssh_userauth_try_publickey(s, NULL, k2),
	    SSH_AUTH_SUCCESS);
	assert_int_equal(ssh_userauth_publickey(s, NULL, k2), SSH_AUTH_SUCCESS);
	cli_close(s);
	ssh_key_free(k1);
	ssh_key_free(k2);
	ssh_key_free(k3);
}

/* Answer keyboard-interactive prompts; returns the final result. */
static int
kbdint(ssh_session s, const char *const *answers, char prompts[][64],
    int *nprompts)
{
	const char	*prompt;
	char		 echo;
	int		 rc, i = 0;

	*nprompts = 0;
	while ((rc = ssh_userauth_kbdint(s, NULL, NULL)) == SSH_AUTH_INFO) {
		if (ssh_userauth_kbdint_getnprompts(s) != 1)
			return (-100);
		prompt = ssh_userauth_kbdint_getprompt(s, 0, &echo);
		snprintf(prompts[*nprompts], 64, "%s", prompt);
		(*nprompts)++;
		if (answers[i] == NULL || echo)
			return (-101);
		ssh_userauth_kbdint_setanswer(s, 0, answers[i++]);
		if (*nprompts >= 4)
			return (-102);
	}
	return (rc);
}

static void
test_kbdint_token(void **state)
{
	struct sim		*fx = *state;
	static const char *const plain[] = { "admin", NULL };
	static const char *const tok[] = { "secret", "424242", NULL };
	static const char *const badtok[] = { "secret", "000000", NULL };
	char			 prompts[4][64];
	ssh_session		 s;
	int			 n;

	start_text(fx, BASIC_SCN, NULL);
	s = cli_connect(fx->ports[0], "admin");
	assert_int_equal(kbdint(s, plain, prompts, &n), SSH_AUTH_SUCCESS);
	assert_int_equal(n, 1);
	assert_string_equal(prompts[0], "Password: ");
	free(cli_exec(s, "get system status", NULL, NULL));
	cli_close(s);

	s = cli_connect(fx->ports[0], "tok");
	assert_int_equal(kbdint(s, tok, prompts, &n), SSH_AUTH_SUCCESS);
	assert_int_equal(n, 2);
	assert_string_equal(prompts[1], "Please enter FortiToken code: ");
	cli_close(s);

	s = cli_connect(fx->ports[0], "tok");
	assert_int_equal(kbdint(s, badtok, prompts, &n), SSH_AUTH_DENIED);
	cli_close(s);

	/* Password first: partial success, then the token by kbdint. */
	s = cli_connect(fx->ports[0], "tok");
	assert_int_equal(ssh_userauth_password(s, NULL, "secret"),
	    SSH_AUTH_PARTIAL);
	assert_int_equal(kbdint(s, tok + 1, prompts, &n), SSH_AUTH_SUCCESS);
	assert_int_equal(n, 1);
	assert_string_equal(prompts[0], "Please enter FortiToken code: ");
	free(cli_exec(s, "get system status", NULL, NULL));
	cli_close(s);
}

#define DEBUG_SCN \
	"device FGT-G\n" \
	"  version 7.2.8\n" \
	"  pager off\n" \
	"  user admin password admin\n" \
	"  vdom root\n" \
	"  tunnel to-psk\n" \
	"    remote 10.0.0.2\n" \
	"    fault psk-mismatch\n"

static void
test_debug_stream(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;

	start_text(fx, DEBUG_SCN, "--speed", "20", NULL);
	sh_login(&sh, fx->ports[0], "FGT-G # ");
	sh_debug_on(&sh, "FGT-G # ");
	sbuf_reset(&sh.sb);
	/* Lines appear on their own between prompts. */
	if (!sh_until(sh.ch, &sh.sb, "ike ", WAIT_MS))
		fail_msg("no IKE debug output: [%s]", sh.sb.buf);
	assert_null(strstr(sh.sb.buf, "FGT-G # "));
	/* Leave without disabling: the log must say debug was left on. */
	sh_close(&sh);
	log_expect(fx, "\"event\":\"disconnect\"", 5000,
	    "\"change\":\"level\"", "\"change\":\"on\"",
	    "\"event\":\"disconnect\",\"device\":\"FGT-G\","
	    "\"conn\":1,\"reason\":\"closed\",\"debug\":{\"enabled\":true,"
	    "\"ike_level\":-1,", NULL);

	/* A tidy client: disable + reset leaves nothing behind. */
	sh_login(&sh, fx->ports[0], "FGT-G # ");
	sh_debug_on(&sh, "FGT-G # ");
	free(sh_cmd(sh.ch, "diagnose debug disable", "FGT-G # "));
	free(sh_cmd(sh.ch, "diagnose debug reset", "FGT-G # "));
	sh_close(&sh);
	log_expect(fx, "\"conn\":2,\"reason\"", 5000,
	    "\"change\":\"off\"", "\"change\":\"reset\"",
	    "\"conn\":2,\"reason\":\"closed\",\"debug\":{"
	    "\"enabled\":false,\"ike_level\":0,\"filter_set\":false}}", NULL);
}

static void
test_ctrl_c(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;

	start_text(fx, DEBUG_SCN, NULL);
	sh_login(&sh, fx->ports[0], "FGT-G # ");
	sbuf_reset(&sh.sb);
	/* A sniffer without a count runs until Ctrl-C. */
	sh_send(sh.ch, "diagnose sniffer packet any 'none' 4\r");
	sh_until(sh.ch, &sh.sb, "never", 1500);
	assert_null(strstr(sh.sb.buf, "FGT-G # "));
	sh_send(sh.ch, "\x03");
	assert_true(sh_until(sh.ch, &sh.sb, "FGT-G # ", WAIT_MS));
	/* and the console works again */
	free(sh_cmd(sh.ch, "get system status", "FGT-G # "));
	sh_close(&sh);
}

/* A 7.4 box with admin/admin and one device fault. */
#define FAULT_SCN(host, fault) \
	"device " host "\n  version 7.4.3\n  user admin password admin\n" \
	"  fault " fault "\n"

static void
test_fault_slow(void **state)
{
	struct sim	*fx = *state;
	ssh_session	 s;
	char		*out;
	double		 t0, dt, want;
	size_t		 len;

	start_text(fx, FAULT_SCN("FGT-S", "slow 1000"), NULL);
	s = cli_login(fx->ports[0], "admin", "admin");
	t0 = sim_now();
	out = cli_exec(s, "get system status", &len, NULL);
	dt = sim_now() - t0;
	/* 1000 B/s, with a burst of at most a tenth of a second */
	want = ((double)len - 101) / 1000;
	tu_assert_cmp(len, >=, 500);
	tu_assert_double_in_range(dt, want * 0.9, want + 3);
	assert_non_null(strstr(out, "Hostname: FGT-S"));
	free(out);
	cli_close(s);
}

static void
test_fault_stall(void **state)
{
	struct sim	*fx = *state;
	struct sbuf	 sb = { NULL, 0, 0 };
	char		 buf[4096];
	ssh_session	 s;
	ssh_channel	 ch;
	double		 last, gap = 0, t;
	size_t		 gapat = 0;
	int		 n;

	start_text(fx, FAULT_SCN("FGT-L", "stall 1.5 after 200"), NULL);
	s = cli_login(fx->ports[0], "admin", "admin");
	ch = chan_exec(s, "get system status");
	last = sim_now();
	for (;;) {
		n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 5000);
		t = sim_now();
		if (n <= 0)
			break;
		if (t - last > gap) {
			gap = t - last;
			gapat = sb.len;
		}
		sbuf_add(&sb, buf, (size_t)n);
		last = t;
	}
	assert_true(ssh_channel_is_eof(ch));
	tu_assert_double_cmp(gap, >=, 1.3);
	assert_int_equal(gapat, 200);
	assert_non_null(strstr(sb.buf, "Hostname: FGT-L"));
	sbuf_free(&sb);
	ssh_channel_free(ch);
	cli_close(s);
}

static void
test_fault_drop(void **state)
{
	struct sim	*fx = *state;
	struct sbuf	 sb = { NULL, 0, 0 };
	ssh_session	 s;
	ssh_channel	 ch;
	int		 eof;

	start_text(fx, FAULT_SCN("FGT-X", "drop after 300"), NULL);
	s = cli_login(fx->ports[0], "admin", "admin");
	ch = chan_exec(s, "get system status");
	chan_drain(ch, &sb, 10000, &eof);
	/* 300 bytes, then the TCP connection is gone: no exit status. */
	assert_int_equal(sb.len, 300);
	assert_int_not_equal(eof, 0);
	assert_int_equal(ssh_is_connected(s), 0);
	sbuf_free(&sb);
	ssh_channel_free(ch);
	cli_close(s);
	log_expect(fx, "\"reason\":\"dropped\"", 3000, NULL);
}

static void
test_fault_huge(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	ssh_channel	 ch;
	char		*out, buf[4096];
	size_t		 len;

	start_text(fx, "device FGT-U\n  version 7.4.3\n  pager on\n"
	    "  user admin password admin\n  fault huge 20000000\n", NULL);
	sh_login(&sh, fx->ports[0], "FGT-U # ");
	/* exec: every byte arrives, through the channel's flow control */
	out = cli_exec(sh.s, "get system status", &len, NULL);
	if (len < 20000000 || strncmp(out, "Version: ", 9) != 0)
		fail_msg("huge output: %zu bytes", len);
	free(out);
	/* the pager stops after a page; q drops the rest at once */
	sh_send(sh.ch, "get system status\r");
	assert_true(sh_until(sh.ch, &sh.sb, "--More-- ", WAIT_MS));
	tu_assert_cmp(sh.sb.len, <, 10000);
	sbuf_reset(&sh.sb);
	sh_send(sh.ch, "q");
	assert_true(sh_until(sh.ch, &sh.sb, "FGT-U # ", WAIT_MS));
	tu_assert_cmp(sh.sb.len, <, 100);
	/*
	 * A client that vanishes mid-output (TCP gone, no SSH goodbye)
	 * costs fgtsim nothing: the teardown checks it still exits
	 * cleanly, leak-free under the sanitizers.
	 */
	ch = chan_exec(sh.s, "get system status");
	tu_assert_cmp(ssh_channel_read_timeout(ch, buf, sizeof buf, 0, WAIT_MS),
	    >, 0);
	shutdown(ssh_get_fd(sh.s), SHUT_RDWR);
	ssh_channel_free(ch);
	sh_close(&sh);
	log_expect(fx, "\"event\":\"disconnect\"", 5000,
	    "\"reason\":\"closed\"", NULL);
	/* and the device still serves */
	sh_login(&sh, fx->ports[0], "FGT-U # ");
	sh_close(&sh);
}

/* fgtsim's peak resident memory in kB, from /proc. */
static long
sim_peak_kb(const struct sim *fx)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)fx->pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return (kb);
}

/*
 * A client that types listing commands and never reads their output:
 * fgtsim stops taking its input once SESS_OUT_MAX waits, so its memory
 * stays flat instead of holding every output (300 x 200 kB here).
 */
static void
test_backpressure(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	long		 before, after;
	int		 i;

	start_text(fx, "device FGT-B\n  version 7.4.3\n  pager off\n"
	    "  user admin password admin\n  fault huge 200000\n", NULL);
	sh_login(&sh, fx->ports[0], "FGT-B # ");
	before = sim_peak_kb(fx);
	if (before < 0)
		skip();
	for (i = 0; i < 300; i++)
		sh_send(sh.ch, "get system status\r");
	usleep(1500 * 1000);
	after = sim_peak_kb(fx);
	if (after - before > 16 * 1024)
		fail_msg("fgtsim grew by %ld kB for a client that does not "
		    "read", after - before);
	/* and it still answers once the client reads again */
	sbuf_reset(&sh.sb);
	assert_true(sh_until(sh.ch, &sh.sb, "Version: ", WAIT_MS));
	sh_close(&sh);
}

static void
test_fault_refuse_second(void **state)
{
	struct sim	*fx = *state;
	ssh_session	 s1, s2;
	ssh_channel	 c1, c2;

	start_text(fx, FAULT_SCN("FGT-R", "refuse-second"), NULL);
	s1 = cli_login(fx->ports[0], "admin", "admin");
	c1 = sh_open(s1);
	s2 = cli_connect(fx->ports[0], "admin");
	if (s2 != NULL) {
		cli_close(s2);
		fail_msg("second session accepted");
	}
	/* A second channel on the first session is refused too. */
	c2 = ssh_channel_new(s1);
	assert_non_null(c2);
	assert_int_not_equal(ssh_channel_open_session(c2), SSH_OK);
	ssh_channel_free(c2);
	ssh_channel_free(c1);
	cli_close(s1);
	usleep(300000);
	/* Once the first is gone, a new one is welcome. */
	s2 = cli_login(fx->ports[0], "admin", "admin");
	free(cli_exec(s2, "get system status", NULL, NULL));
	cli_close(s2);
	log_expect(fx, "\"reason\":\"second session\"", 3000,
	    "\"event\":\"refused\"", NULL);
}

static void
test_fault_auth_fail(void **state)
{
	struct sim	*fx = *state;
	ssh_session	 s;

	start_text(fx, FAULT_SCN("FGT-F", "auth-fail"), NULL);
	s = cli_connect(fx->ports[0], "admin");
	assert_non_null(s);
	assert_int_equal(ssh_userauth_password(s, NULL, "admin"),
	    SSH_AUTH_DENIED);
	cli_close(s);
}

/* The SHA-256 fingerprint of k (out has 64 bytes); frees k. */
static void
key_hash(ssh_key k, unsigned char *out, size_t *len)
{
	unsigned char	*h = NULL;
	size_t		 hl = 0;

	assert_int_equal(ssh_get_publickey_hash(k, SSH_PUBLICKEY_HASH_SHA256,
	    &h, &hl), 0);
	tu_assert_cmp(hl, <=, 64);
	memcpy(out, h, hl);
	*len = hl;
	ssh_clean_pubkey_hash(&h);
	ssh_key_free(k);
}

/* The fingerprint of the host key a device presents. */
static void
server_key_hash(int port, unsigned char *out, size_t *len)
{
	ssh_session	 s;
	ssh_key		 k = NULL;

	s = cli_connect(port, "admin");
	assert_non_null(s);
	assert_int_equal(ssh_get_server_publickey(s, &k), SSH_OK);
	key_hash(k, out, len);
	cli_close(s);
}

static void
test_hostkey(void **state)
{
	struct sim	*fx = *state;
	unsigned char	 h0[64], h1[64], h2[64], hf[64];
	size_t		 l0, l1, l2, lf;
	ssh_key		 k = NULL;

	start_text(fx, "device FGT-H1\n  version 7.4.3\n"
	    "  user admin password admin\n"
	    "device FGT-H2\n  version 7.4.3\n"
	    "  user admin password admin\n  fault new-hostkey\n",
	    "--hostkey", fx->hostkey, NULL);
	assert_int_equal(fx->nports, 2);
	assert_int_not_equal(fx->ports[0], fx->ports[1]);
	server_key_hash(fx->ports[0], h0, &l0);
	server_key_hash(fx->ports[1], h1, &l1);
	/* The key saved in --hostkey is the one device 1 presents. */
	assert_int_equal(ssh_pki_import_privkey_file(fx->hostkey, NULL, NULL,
	    NULL, &k), SSH_OK);
	key_hash(k, hf, &lf);
	assert_int_equal(l0, lf);
	assert_memory_equal(h0, hf, l0);
	/* new-hostkey: a different key */
	assert_int_equal(l0, l1);
	assert_memory_not_equal(h0, h1, l0);
	/* A restart loads the same file: the same key again. */
	assert_int_equal(WEXITSTATUS(sim_stop(fx)), 0);
	sim_start(fx, fx_path(fx, "s.scn"), "--hostkey", fx->hostkey,
	    (char *)NULL);
	server_key_hash(fx->ports[0], h2, &l2);
	assert_memory_equal(h0, h2, l0);
}

/* Does fgtsim refuse to start (exit status 1) with this --listen? */
static int
sim_fails(const char *scenario, const char *listen)
{
	pid_t	 pid;
	int	 status, null;

	if ((pid = fork()) == 0) {
		null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(sim_binary(), sim_binary(), "--scenario", scenario,
		    "--listen", listen, (char *)NULL);
		_exit(127);
	}
	tu_assert_cmp(pid, >, 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

/*
 * The first of n consecutive loopback ports that are free now.  They are
 * looked for below the kernel's ephemeral range (32768 and up), where
 * other tests' outgoing connections cannot take them meanwhile.
 */
static int
free_ports(int n)
{
	struct sockaddr_in	 sin;
	int			 fd[8], base, try, i, ok;

	tu_assert_cmp(n, <=, 8);
	srandom((unsigned)getpid());
	for (try = 0; try < 100; try++) {
		base = 20000 + (int)(random() % 10000);
		ok = 1;
		for (i = 0; i < n; i++) {
			fd[i] = socket(AF_INET, SOCK_STREAM, 0);
			tu_assert_cmp(fd[i], >=, 0);
			memset(&sin, 0, sizeof sin);
			sin.sin_family = AF_INET;
			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			sin.sin_port = htons(base + i);
			if (bind(fd[i], (struct sockaddr *)&sin,
			    sizeof sin) != 0) {
				close(fd[i]);
				ok = 0;
				break;
			}
		}
		while (i-- > 0)
			close(fd[i]);
		if (ok)
			return (base);
	}
	fail_msg("no %d consecutive free ports on 127.0.0.1", n);
	return (-1);
}

static void
test_listen_ports(void **state)
{
	static const char *const wild[] = { "0.0.0.0:0", "[::]:0",
	    "192.0.2.1:0", "localhost:0" };
	struct sim		*fx = *state;
	char			 arg[64];
	int			 base, i;

	sim_write_file(fx_path(fx, "s.scn"),
	    "device A1\n  user admin password admin\n"
	    "device A2\n  user admin password admin\n"
	    "device A3\n  user admin password admin\n");
	/* One --listen with port 0: each device its own free port. */
	sim_start(fx, fx_path(fx, "s.scn"), "--listen", "127.0.0.1:0",
	    (char *)NULL);
	assert_int_equal(fx->nports, 3);
	assert_string_equal(fx->hosts[2], "A3");
	assert_int_not_equal(fx->ports[0], fx->ports[1]);
	assert_int_not_equal(fx->ports[1], fx->ports[2]);
	for (i = 0; i < 3; i++)
		cli_close(cli_login(fx->ports[i], "admin", "admin"));
	sim_stop(fx);
	/* One --listen with a port: consecutive ports from it. */
	base = free_ports(3);
	snprintf(arg, sizeof arg, "127.0.0.1:%d", base);
	sim_start(fx, fx_path(fx, "s.scn"), "--listen", arg, (char *)NULL);
	assert_int_equal(fx->nports, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(fx->ports[i], base + i);
	cli_close(cli_login(fx->ports[1], "admin", "admin"));
	sim_stop(fx);
	/* Not loopback: refused, whatever the address family. */
	sim_write_file(fx_path(fx, "s.scn"), "device B1\n");
	for (i = 0; i < 4; i++) {
		if (!sim_fails(fx_path(fx, "s.scn"), wild[i]))
			fail_msg("--listen %s accepted", wild[i]);
	}
}

static void
test_sigterm(void **state)
{
	struct sim	*fx = *state;
	struct sh	 sh;
	int		 status, eof;

	start_text(fx, DEBUG_SCN, NULL);
	sh_login(&sh, fx->ports[0], "FGT-G # ");
	sh_debug_on(&sh, "FGT-G # ");
	status = sim_stop(fx);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chan_drain(sh.ch, &sh.sb, 3000, &eof);
	assert_int_not_equal(eof, 0);
	/* fgtsim has exited: the log is complete, no waiting. */
	log_expect(fx, "\"reason\":\"shutdown\",\"debug\":{\"enabled\":true,"
	    "\"ike_level\":-1,", 0, NULL);
	sh_close(&sh);
}

/* OpenSSH's client, when installed: key login and an exec request. */
#define SSH_OPTS	"-F /dev/null -o BatchMode=yes " \
	"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null " \
	"-o LogLevel=ERROR -o IdentitiesOnly=yes -i %s -p %d "

static void
test_openssh(void **state)
{
	struct sim	*fx = *state;
	char		 cmd[2048], buf[4096];
	FILE		*p;
	size_t		 n;
	int		 rc;

	if (access("/usr/bin/ssh", X_OK) != 0 ||
	    access("/usr/bin/ssh-keygen", X_OK) != 0) {
		skip();
		return;
	}
	snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N '' -f %s",
	    fx_path(fx, "id"));
	assert_int_equal(system(cmd), 0);
	start_text(fx, BASIC_SCN, "--authorized-keys", fx_path(fx, "id.pub"),
	    NULL);
	snprintf(cmd, sizeof cmd, "ssh " SSH_OPTS
	    "admin@127.0.0.1 'get system status' </dev/null",
	    fx_path(fx, "id"), fx->ports[0]);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	rc = pclose(p);
	if (rc != 0 || strstr(buf, "Hostname: FGT-T\n") == NULL)
		fail_msg("ssh rc %d: [%s]", rc, buf);
	/* An interactive session through ssh -tt with typed input. */
	snprintf(cmd, sizeof cmd, "printf 'get system status\\rexit\\r' | "
	    "ssh -tt " SSH_OPTS "admin@127.0.0.1 2>&1", fx_path(fx, "id"),
	    fx->ports[0]);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	pclose(p);
	if (strstr(buf, "FGT-T # get system status\r\n") == NULL ||
	    strstr(buf, "Hostname: FGT-T\r\n") == NULL)
		fail_msg("ssh -tt: [%s]", buf);
}

/* Every shipped scenario: each poll command's output parses. */

static char *
exec_in_vdom(ssh_session s, const struct sim_devinfo *di, const char *vdom,
    const char *cmd, size_t *len)
{
	char	 script[512];

	if (!di->multi_vdom)
		return (cli_exec(s, cmd, len, NULL));
	snprintf(script, sizeof script, "config vdom\nedit %s\n%s\nend",
	    vdom, cmd);
	return (cli_exec(s, script, len, NULL));
}

static size_t
parse_count(const char *kindname, const char *text, size_t len)
{
	const struct kind	*k;
	void			*r;
	size_t			 n;

	if ((k = kind_find(kindname)) == NULL)
		fail_msg("no parser kind %s", kindname);
	assert_non_null(r = k->parse(text, len));
	n = k->count(r);
	k->free(r);
	return (n);
}

/*
 * Each VDOM on its own (a sum across VDOMs would let an empty one pass):
 * the tunnel summary lists exactly the VDOM's tunnels (dial-up
 * templates aside) by name, and the other listings parse to something
 * wherever the VDOM has tunnels.
 */
static void
check_device(struct sim *fx, int port, const struct sim_device *d,
    const char *scn)
{
	static const char *const per_vdom[][2] = {
		{ "tunnel-summary", "get vpn ipsec tunnel summary" },
		{ "ike-gateway-list", "diagnose vpn ike gateway list" },
		{ "tunnel-list", "diagnose vpn tunnel list" },
		{ "routing-table", "get router info routing-table all" },
	};
	const struct sim_devinfo *di = sim_device_info(d);
	const struct sim_vdom	*vd;
	ssh_session		 s;
	char			*out, what[256];
	size_t			 len, v, i, k, ntun, n;

	s = cli_login(port, "fgtsim-test", "fgtsim-test");
	if (di->faults.huge_bytes == 0) {
		out = cli_exec(s, "get system status", &len, NULL);
		if (parse_count("system-status", out, len) == 0)
			fail_msg("%s: %s: system status does not parse: [%s]",
			    scn, di->hostname, out);
		free(out);
	}
	for (v = 0; v < d->nvdoms; v++) {
		vd = d->vdoms[v];
		for (k = 0, ntun = 0; k < vd->ntunnels; k++)
			ntun += !vd->tunnels[k]->is_template;
		for (i = 0; i < 4; i++) {
			snprintf(what, sizeof what, "%s: %s/%s: '%s'", scn,
			    di->hostname, vd->name, per_vdom[i][1]);
			out = exec_in_vdom(s, di, di->nvdoms > 0 ?
			    di->vdoms[v] : "root", per_vdom[i][1], &len);
			n = parse_count(per_vdom[i][0], out, len);
			if (i == 0 && di->faults.huge_bytes == 0) {
				if (n != ntun)
					fail_msg("%s: %zu tunnels, want %zu",
					    what, n, ntun);
				for (k = 0; k < vd->ntunnels; k++) {
					if (vd->tunnels[k]->is_template)
						continue;
					if (strstr(out, vd->tunnels[k]->name) ==
					    NULL)
						fail_msg("%s: no tunnel %s", what,
						    vd->tunnels[k]->name);
				}
			} else if (n == 0 && (ntun > 0 || i == 3))
				fail_msg("%s: parses to nothing", what);
			free(out);
		}
	}
	cli_close(s);
}

static int
usable(const struct sim_devinfo *di)
{
	const struct sim_faults	*f = &di->faults;

	/* Transport faults make a device unusable for this on purpose. */
	return (!f->auth_fail && f->drop_after == 0 && f->slow_bps == 0 &&
	    f->stall_s == 0 && !f->garbage);
}

static void
test_scenarios(void **state)
{
	struct sim		*fx = *state;
	char			 dir[1024], path[2048], err[256];
	struct dirent		*de;
	DIR			*dp;
	struct sim_world	*w;
	const struct sim_devinfo *di;
	size_t			 i, nscn = 0, len;

	snprintf(dir, sizeof dir, "%s", sim_scenario(""));
	if ((dp = opendir(dir)) == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".scn") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((w = sim_world_load(path, err, sizeof err)) == NULL)
			fail_msg("%s: %s", path, err);
		sim_start(fx, path, "--password", "*:fgtsim-test",
		    (char *)NULL);
		assert_int_equal((size_t)fx->nports, sim_world_ndevices(w) <
		    SIM_MAXDEV ? sim_world_ndevices(w) : SIM_MAXDEV);
		for (i = 0; i < (size_t)fx->nports; i++) {
			di = sim_device_info(sim_world_device(w, i));
			assert_string_equal(di->hostname, fx->hosts[i]);
			if (usable(di))
				check_device(fx, fx->ports[i],
				    sim_world_device(w, i), de->d_name);
		}
		assert_int_equal(WEXITSTATUS(sim_stop(fx)), 0);
		sim_world_free(w);
		nscn++;
	}
	closedir(dp);
	tu_assert_cmp(nscn, >=, 5);
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_exec_status),
		TEST(test_shell_prompt_echo),
		TEST(test_pager),
		TEST(test_pager_pty),
		TEST(test_vdom_prompts),
		TEST(test_disclaimer),
		TEST(test_wrong_password),
		TEST(test_pubkey),
		TEST(test_kbdint_token),
		TEST(test_debug_stream),
		TEST(test_ctrl_c),
		TEST(test_fault_slow),
		TEST(test_fault_stall),
		TEST(test_fault_drop),
		TEST(test_fault_huge),
		TEST(test_backpressure),
		TEST(test_fault_refuse_second),
		TEST(test_fault_auth_fail),
		TEST(test_hostkey),
		TEST(test_listen_ports),
		TEST(test_sigterm),
		TEST(test_openssh),
		TEST(test_scenarios),
	};

	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
