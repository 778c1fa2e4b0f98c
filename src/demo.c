/* SPDX-License-Identifier: ISC */
/*
 * demo - `fgtop --demo`: the dashboard on fgtsim's demo estate.
 *
 * fgtsim (from the build tree when fgtop runs from it, otherwise the
 * installed $(libexecdir)/fgtop/fgtsim with $(pkgdatadir)/scenarios)
 * serves demo.scn on free loopback ports.  Everything the session needs
 * lives in a temporary directory removed at exit: fgtsim's throw-away
 * host key, the known_hosts fgtop fills (--accept-new), the config that
 * names each device and the password file.  No ~/.ssh is read or
 * written (-F none, --no-agent).
 *
 * fgtsim is killed on every exit path: the normal and signalled ones
 * (the engine turns SIGINT/SIGTERM/SIGHUP into a clean return here),
 * and a crash or abort of fgtop (PR_SET_PDEATHSIG in the child).
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"
#include "engine.h"
#include "xmalloc.h"

#define DEMO_MAXDEV	32

struct demo {
	char	 dir[64];
	char	 sim[PATH_MAX];
	char	 scenario[PATH_MAX];
	pid_t	 pid;
	char	*names[DEMO_MAXDEV];
	int	 ports[DEMO_MAXDEV];
	int	 ndev;
};

static const char *demo_files[] = {
	"hostkey", "hostkey.pub", "known_hosts", "config", "pw", "fgtsim.out",
	"fgtsim.err", "fgtsim.log", NULL
};

static void
demo_path(const struct demo *d, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", d->dir, name);
}

/* fgtsim and the scenario: beside a build-tree fgtop, or installed. */
static int
demo_find(struct demo *d)
{
	char	 exe[PATH_MAX - 64], *slash;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(d->sim, sizeof d->sim, "%s/../tests/sim/fgtsim", exe);
		snprintf(d->scenario, sizeof d->scenario, "%.3000s"
		    "/tests/sim/scenarios/demo.scn", FGTOP_SRCDIR);
		if (access(d->sim, X_OK) == 0 &&
		    access(d->scenario, R_OK) == 0)
			return (0);
	}
	snprintf(d->sim, sizeof d->sim, "%s/fgtop/fgtsim", FGTOP_LIBEXECDIR);
	snprintf(d->scenario, sizeof d->scenario, "%s/scenarios/demo.scn",
	    FGTOP_PKGDATADIR);
	if (access(d->sim, X_OK) != 0) {
		fprintf(stderr, "fgtop: the demo needs fgtsim: %s: %s\n",
		    d->sim, strerror(errno));
		return (-1);
	}
	if (access(d->scenario, R_OK) != 0) {
		fprintf(stderr, "fgtop: %s: %s\n", d->scenario,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

static int
demo_start(struct demo *d)
{
	char	 out[128], err[128], key[128], log[128];
	int	 fd;

	demo_path(d, "fgtsim.out", out, sizeof out);
	demo_path(d, "fgtsim.err", err, sizeof err);
	demo_path(d, "hostkey", key, sizeof key);
	demo_path(d, "fgtsim.log", log, sizeof log);
	if ((d->pid = fork()) == -1) {
		fprintf(stderr, "fgtop: fork: %s\n", strerror(errno));
		return (-1);
	}
	if (d->pid == 0) {
		/* Dies with fgtop, whatever kills fgtop. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) ==
		    -1 || dup2(fd, 1) == -1)
			_exit(127);
		close(fd);
		if ((fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600)) ==
		    -1 || dup2(fd, 2) == -1)
			_exit(127);
		close(fd);
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, 0);
			close(fd);
		}
		execl(d->sim, "fgtsim", "--scenario", d->scenario,
		    "--listen", "127.0.0.1:0", "--hostkey", key, "--log", log,
		    (char *)NULL);
		_exit(127);
	}
	return (0);
}

/* Wait for fgtsim's ready line; read each device's name and port. */
static int
demo_wait(struct demo *d)
{
	char		 path[128], line[512], name[256];
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	FILE		*f;
	int		 i, port, status, ready = 0;

	demo_path(d, "fgtsim.out", path, sizeof path);
	for (i = 0; i < 200 && !ready; i++) {
		nanosleep(&ts, NULL);
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = -1;
			demo_path(d, "fgtsim.err", path, sizeof path);
			fprintf(stderr, "fgtop: fgtsim did not start (see "
			    "its message below)\n");
			if ((f = fopen(path, "r")) != NULL) {
				while (fgets(line, sizeof line, f) != NULL)
					fputs(line, stderr);
				fclose(f);
			}
			return (-1);
		}
		if ((f = fopen(path, "r")) == NULL)
			continue;
		d->ndev = 0;
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "fgtsim: ready", 13) == 0)
				ready = 1;
			else if (d->ndev < DEMO_MAXDEV && sscanf(line,
			    "fgtsim: %255s listening on 127.0.0.1:%d", name,
			    &port) == 2) {
				free(d->names[d->ndev]);
				d->names[d->ndev] = xstrdup(name);
				d->ports[d->ndev++] = port;
			}
		}
		fclose(f);
	}
	if (!ready || d->ndev == 0) {
		fprintf(stderr, "fgtop: fgtsim did not become ready\n");
		return (-1);
	}
	return (0);
}

static int
demo_config(struct demo *d)
{
	char	 cfg[128], pw[128];
	FILE	*f;
	int	 i, fd;

	demo_path(d, "pw", pw, sizeof pw);
	demo_path(d, "config", cfg, sizeof cfg);
	/* The simulator's well-known password, in a 0600 file. */
	if ((fd = open(pw, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, "fgtsim\n", 7) != 7 || close(fd) != 0)
		return (-1);
	if ((f = fopen(cfg, "w")) == NULL)
		return (-1);
	for (i = 0; i < d->ndev; i++)
		fprintf(f, "device %s\n\taddress 127.0.0.1\n\tport %d\n"
		    "\tuser admin\n\tpassword-file %s\n\tdisclaimer accept\n\n",
		    d->names[i],
		    d->ports[i], pw);
	return (fclose(f));
}

static void
demo_cleanup(struct demo *d)
{
	char	 path[128];
	int	 i, status;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		for (i = 0; i < 40 && waitpid(d->pid, &status, WNOHANG) !=
		    d->pid; i++)
			usleep(50000);
		if (i == 40) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &status, 0);
		}
		d->pid = -1;
	}
	for (i = 0; demo_files[i] != NULL; i++) {
		demo_path(d, demo_files[i], path, sizeof path);
		unlink(path);
	}
	if (d->dir[0] != '\0')
		rmdir(d->dir);
	for (i = 0; i < d->ndev; i++)
		free(d->names[i]);
}

int
demo_main(int argc, char **argv)
{
	struct demo	 d;
	char		 cfg[128], kh[128];
	char		**av;
	/* getopt wants char *: writable copies of the fixed options. */
	char		 o_cfg[] = "--config", o_kh[] = "--known-hosts";
	char		 o_acc[] = "--accept-new", o_f[] = "-F";
	char		 o_none[] = "none", o_noag[] = "--no-agent";
	char		 o_nojournal[] = "--no-journal";
	const char	*tmp = getenv("TMPDIR");
	int		 ac = 0, i, rc;

	memset(&d, 0, sizeof d);
	d.pid = -1;
	if (demo_find(&d) != 0)
		return (1);
	snprintf(d.dir, sizeof d.dir, "%s/fgtop-demo.XXXXXX",
	    tmp != NULL && *tmp == '/' && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(d.dir) == NULL) {
		fprintf(stderr, "fgtop: %s: %s\n", d.dir, strerror(errno));
		return (1);
	}
	if (demo_start(&d) != 0 || demo_wait(&d) != 0 ||
	    demo_config(&d) != 0) {
		demo_cleanup(&d);
		return (1);
	}
	demo_path(&d, "config", cfg, sizeof cfg);
	demo_path(&d, "known_hosts", kh, sizeof kh);
	/* fgtop --demo [options]: the options go on to the engine. */
	av = xcalloc((size_t)argc + 12, sizeof *av);
	av[ac++] = argv[0];
	av[ac++] = o_cfg;
	av[ac++] = cfg;
	av[ac++] = o_kh;
	av[ac++] = kh;
	av[ac++] = o_acc;
	av[ac++] = o_f;
	av[ac++] = o_none;
	av[ac++] = o_noag;
	/* The demo's estate stays out of the user's journal. */
	av[ac++] = o_nojournal;
	for (i = 2; i < argc; i++)
		av[ac++] = argv[i];
	av[ac] = NULL;
	rc = engine_main(ac, av);
	free(av);
	demo_cleanup(&d);
	return (rc);
}
