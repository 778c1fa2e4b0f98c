/* SPDX-License-Identifier: ISC */
/*
 * simutil - run fgtsim from a test; see simutil.h.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "simutil.h"

#define SIM_WAIT_S	10

double
sim_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static const char *
sim_env(const char *name, const char *dflt)
{
	const char	*s = getenv(name);

	return (s != NULL && *s != '\0' ? s : dflt);
}

const char *
sim_binary(void)
{
	static char	 path[1024];
	const char	*s;

	if ((s = getenv("FGTSIM")) != NULL && *s != '\0')
		return (s);
	snprintf(path, sizeof path, "%s/tests/sim/fgtsim",
	    sim_env("top_builddir", "."));
	return (path);
}

const char *
sim_fgtop(void)
{
	static char	 path[1024];

	snprintf(path, sizeof path, "%s/src/fgtop",
	    sim_env("top_builddir", "."));
	return (path);
}

const char *
sim_scenario(const char *name)
{
	static char	 path[1024];

	snprintf(path, sizeof path, "%s/tests/sim/scenarios/%s",
	    sim_env("top_srcdir", TOP_SRCDIR), name);
	return (path);
}

void
sim_init(struct sim *sim)
{
	memset(sim, 0, sizeof *sim);
	strcpy(sim->dir, "/tmp/fgtop-test.XXXXXX");
	if (mkdtemp(sim->dir) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	snprintf(sim->log, sizeof sim->log, "%s/events.jsonl", sim->dir);
	/* The fgtop a test runs keeps its journal here, not in $HOME. */
	setenv("XDG_STATE_HOME", sim->dir, 1);
	snprintf(sim->hostkey, sizeof sim->hostkey, "%s/hostkey", sim->dir);
	snprintf(sim->cfg, sizeof sim->cfg, "%s/config", sim->dir);
	snprintf(sim->kh, sizeof sim->kh, "%s/known_hosts", sim->dir);
	snprintf(sim->out, sizeof sim->out, "%s/out", sim->dir);
	snprintf(sim->err, sizeof sim->err, "%s/err", sim->dir);
}

int
sim_setup_state(void **state, size_t size)
{
	struct sim	*sim;

	tu_assert_cmp(size, >=, sizeof *sim);
	sim = calloc(1, size);
	assert_non_null(sim);
	sim_init(sim);
	*state = sim;
	return (0);
}

int
sim_teardown_state(void **state)
{
	sim_cleanup(*state);
	free(*state);
	return (0);
}

char *
sim_path(struct sim *sim, const char *name)
{
	static char	 path[4][512];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof path[i], "%s/%s", sim->dir, name);
	return (path[i]);
}

void
sim_write_file(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

char *
sim_read_file(const char *path)
{
	char	*buf = NULL;
	size_t	 len = 0, n;
	FILE	*f;
	char	 chunk[4096];

	if ((f = fopen(path, "r")) == NULL) {
		buf = strdup("");
		assert_non_null(buf);
		return (buf);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf = realloc(buf, len + n + 1);
		assert_non_null(buf);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = strdup("");
	assert_non_null(buf);
	buf[len] = '\0';
	return (buf);
}

void
sim_start(struct sim *sim, const char *scenario, ...)
{
	const char	*argv[32];
	char		*cargv[32];
	char		 buf[8192], *line, *nl, *p;
	size_t		 len = 0;
	va_list		 ap;
	struct pollfd	 pfd;
	double		 until;
	ssize_t		 n;
	int		 argc = 0, pfds[2], own_key = 0, own_listen = 0;

	sim->port = sim->nports = 0;	/* a restart gets new ports */
	argv[argc++] = sim_binary();
	argv[argc++] = "--scenario";
	argv[argc++] = scenario;
	argv[argc++] = "--log";
	argv[argc++] = sim->log;
	va_start(ap, scenario);
	while ((p = va_arg(ap, char *)) != NULL && argc < 26) {
		own_key |= strcmp(p, "--hostkey") == 0;
		own_listen |= strcmp(p, "--listen") == 0;
		argv[argc++] = p;
	}
	va_end(ap);
	if (!own_key) {
		argv[argc++] = "--hostkey";
		argv[argc++] = sim->hostkey;
	}
	if (!own_listen) {
		argv[argc++] = "--listen";
		argv[argc++] = "127.0.0.1:0";
	}
	argv[argc] = NULL;

	assert_int_equal(pipe(pfds), 0);
	if ((sim->pid = fork()) == 0) {
		dup2(pfds[1], 1);
		close(pfds[0]);
		close(pfds[1]);
		/* execv's prototype predates const; copy, do not cast. */
		memcpy(cargv, argv, sizeof cargv);
		execv(cargv[0], cargv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfds[1]);
	until = sim_now() + SIM_WAIT_S;
	pfd.fd = pfds[0];
	pfd.events = POLLIN;
	for (;;) {
		buf[len] = '\0';
		if (strstr(buf, "fgtsim: ready") != NULL)
			break;
		if (sim_now() > until || len + 1 >= sizeof buf) {
			close(pfds[0]);
			fail_msg("fgtsim did not get ready: %s", buf);
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((n = read(pfds[0], buf + len, sizeof buf - len - 1)) <= 0) {
			close(pfds[0]);
			fail_msg("fgtsim exited before ready: %s", buf);
		}
		len += (size_t)n;
	}
	close(pfds[0]);
	for (line = buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (strstr(line, " listening on ") == NULL ||
		    (sim->nports == 0 &&
		    sscanf(line, "fgtsim: %63s", sim->host) != 1) ||
		    (p = strrchr(line, ':')) == NULL)
			continue;
		if (sim->nports == 0)
			sim->port = atoi(p + 1);
		if (sim->nports < SIM_MAXDEV) {
			if (sscanf(line, "fgtsim: %63s",
			    sim->hosts[sim->nports]) != 1)
				continue;
			sim->ports[sim->nports++] = atoi(p + 1);
		}
	}
	if (sim->port == 0)
		fail_msg("fgtsim printed no port: %s", buf);
}

int
sim_stop(struct sim *sim)
{
	double	 until;
	int	 status = -1;

	if (sim->pid <= 0)
		return (-1);
	kill(sim->pid, SIGCONT);
	kill(sim->pid, SIGTERM);
	until = sim_now() + 5;
	while (sim_now() < until) {
		if (waitpid(sim->pid, &status, WNOHANG) == sim->pid) {
			sim->pid = 0;
			return (status);
		}
		usleep(10000);
	}
	kill(sim->pid, SIGKILL);
	waitpid(sim->pid, &status, 0);
	sim->pid = 0;
	return (-1);
}

void
sim_cleanup(struct sim *sim)
{
	DIR		*dp;
	struct dirent	*de;

	sim_stop(sim);
	if (sim->dir[0] == '\0')
		return;
	if ((dp = opendir(sim->dir)) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (de->d_name[0] != '.')
				unlink(sim_path(sim, de->d_name));
		}
		closedir(dp);
	}
	rmdir(sim->dir);
	sim->dir[0] = '\0';
}

char *
sim_log_wait(struct sim *sim, const char *frag, int ms)
{
	double	 until = sim_now() + ms / 1000.0;
	char	*text;

	for (;;) {
		text = sim_read_file(sim->log);
		if (strstr(text, frag) != NULL || sim_now() > until)
			return (text);
		free(text);
		usleep(20000);
	}
}

int
sim_closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	tu_assert_cmp(fd, >=, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);	/* bound, never listening: connect is refused */
	return (port);
}

const char *
sim_password_file(struct sim *sim, const char *password)
{
	char	*pw = sim_path(sim, "pw");
	FILE	*f;

	if ((f = fopen(pw, "w")) == NULL)
		fail_msg("%s: %s", pw, strerror(errno));
	fprintf(f, "%s\n", password != NULL ? password : "fgtsim");
	fclose(f);
	assert_int_equal(chmod(pw, 0600), 0);
	return (pw);
}

void
sim_fgtop_config(struct sim *sim, const char *global, const char *per_device,
    int closed)
{
	const char	*pw = sim_password_file(sim, NULL);
	FILE		*f;
	int		 i;

	if ((f = fopen(sim->cfg, "w")) == NULL)
		fail_msg("%s: %s", sim->cfg, strerror(errno));
	fputs(global != NULL ? global : "", f);
	for (i = 0; i < sim->nports + closed; i++)
		fprintf(f, "device d%d\n  address 127.0.0.1\n  port %d\n"
		    "  user admin\n  password-file %s\n%s\n", i,
		    i < sim->nports ? sim->ports[i] : sim_closed_port(), pw,
		    per_device != NULL ? per_device : "");
	fclose(f);
}

pid_t
sim_spawn(const char *const *argv, const struct sim_proc *p)
{
	char		*cargv[64];
	struct rlimit	 rl;
	size_t		 n;
	pid_t		 pid;

	for (n = 0; argv[n] != NULL; n++)
		if (n + 1 >= sizeof cargv / sizeof *cargv)
			fail_msg("%s: too many arguments", argv[0]);
	/* execvp's prototype predates const; copy, do not cast. */
	memcpy(cargv, argv, (n + 1) * sizeof *argv);
	if ((pid = fork()) == 0) {
		if (freopen(p->in != NULL ? p->in : "/dev/null", "r",
		    stdin) == NULL ||
		    freopen(p->out, "w", stdout) == NULL ||
		    freopen(p->err, p->err_append ? "a" : "w", stderr) == NULL)
			_exit(126);
		for (n = 0; p->env != NULL && p->env[n] != NULL; n++)
			if (putenv(p->env[n]) != 0)
				_exit(124);
		if (p->fsize > 0) {
			/* Past it a write fails with EFBIG, not a signal. */
			signal(SIGXFSZ, SIG_IGN);
			rl.rlim_cur = rl.rlim_max = (rlim_t)p->fsize;
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(125);
		}
		execvp(cargv[0], cargv);
		_exit(127);
	}
	if (pid < 0)
		fail_msg("fork: %s", strerror(errno));
	return (pid);
}

int
sim_reap(pid_t pid, double limit, int term)
{
	double	 until = sim_now() + limit;
	int	 status, termed = 0;

	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (sim_now() > until) {
			if (term && !termed) {
				kill(pid, SIGTERM);
				termed = 1;
				until = sim_now() + 10;
				continue;
			}
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("pid %ld did not finish in %.1f s", (long)pid,
			    limit);
		}
		usleep(20000);
	}
	if (!WIFEXITED(status))
		return (-WTERMSIG(status));
	return (WEXITSTATUS(status));
}

int
sim_run(const char *const *argv, const struct sim_proc *p, double limit,
    int term)
{
	int	 rc;

	if ((rc = sim_reap(sim_spawn(argv, p), limit, term)) < 0)
		fail_msg("%s died with signal %d", argv[0], -rc);
	return (rc);
}

/* argv for sim_fgtop_spawn, in a static buffer. */
static const char *const *
sim_fgtop_argv(struct sim *sim, const char *const *args)
{
	static const char	*argv[64];
	size_t			 argc = 0;

	argv[argc++] = sim_fgtop();
	if (*args != NULL && **args != '-')
		argv[argc++] = *args++;
	argv[argc++] = "--config";
	argv[argc++] = sim->cfg;
	argv[argc++] = "--known-hosts";
	argv[argc++] = sim->kh;
	argv[argc++] = "-F";
	argv[argc++] = "none";
	argv[argc++] = "--no-agent";
	while (*args != NULL) {
		if (argc + 1 >= sizeof argv / sizeof *argv)
			fail_msg("fgtop: too many arguments");
		argv[argc++] = *args++;
	}
	argv[argc] = NULL;
	return (argv);
}

pid_t
sim_fgtop_spawn(struct sim *sim, const struct sim_proc *p,
    const char *const *args)
{
	struct sim_proc	 own = { NULL, sim->out, sim->err, 0, 0, NULL };

	return (sim_spawn(sim_fgtop_argv(sim, args), p != NULL ? p : &own));
}

int
sim_fgtop_runv(struct sim *sim, const struct sim_proc *p, double limit,
    int term, const char *const *args)
{
	int	 rc;

	if ((rc = sim_reap(sim_fgtop_spawn(sim, p, args), limit, term)) < 0)
		fail_msg("fgtop died with signal %d", -rc);
	return (rc);
}

int
sim_fgtop_run(struct sim *sim, double limit, int term, ...)
{
	const char	*args[48];
	va_list		 ap;
	size_t		 n = 0;

	va_start(ap, term);
	while ((args[n] = va_arg(ap, const char *)) != NULL)
		if (++n >= sizeof args / sizeof *args)
			fail_msg("fgtop: too many arguments");
	va_end(ap);
	return (sim_fgtop_runv(sim, NULL, limit, term, args));
}
