/* SPDX-License-Identifier: ISC */
/*
 * fgtsim - a FortiGate CLI simulator served over real SSH.
 *
 * main: options, the scenario, one listener per device, the event log,
 * and a clean stop on SIGTERM/SIGINT (sessions closed and their debug
 * state logged).  Listening lines go to stdout, flushed, one per device
 * ("fgtsim: HOST listening on ADDR:PORT") then "fgtsim: ready", so a
 * test that asked for port 0 can read the ports it got.
 *
 * Ports: no --listen means 127.0.0.1:0 for every device.  One --listen
 * with several devices gives device i port PORT+i, or its own free port
 * when PORT is 0.  N --listen options put device i on listener i.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim.h"
#include "sshd.h"

static volatile sig_atomic_t	 fgtsim_stop;

static void
fgtsim_signal(int sig)
{
	fgtsim_stop = sig;
}

static void
fgtsim_usage(void)
{
	fprintf(stderr, "usage: fgtsim --scenario FILE [--listen ADDR:PORT ...]"
	    " [--hostkey FILE]\n"
	    "              [--log FILE] [--speed X] [--authorized-keys FILE]"
	    " [--password USER:PASS ...]\n");
	exit(2);
}

/* "127.0.0.1:22", "[::1]:22" or "::1:22" (the last colon is the port). */
static int
fgtsim_split_listen(const char *arg, char *addr, size_t len, int *port)
{
	const char	*colon;
	char		*end;
	long		 p;
	size_t		 n;

	if ((colon = strrchr(arg, ':')) == NULL)
		return (-1);
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || p < 0 || p > 65535)
		return (-1);
	n = (size_t)(colon - arg);
	if (n > 1 && arg[0] == '[' && arg[n - 1] == ']') {
		arg++;
		n -= 2;
	}
	if (n == 0 || n >= len)
		return (-1);
	memcpy(addr, arg, n);
	addr[n] = '\0';
	*port = (int)p;
	return (0);
}

static int
fgtsim_serve(struct sshd *d, struct sim_world *w, char **listen,
    size_t nlisten)
{
	char		 addr[64], err[256];
	size_t		 ndev, i;
	int		 port, base, got;

	ndev = sim_world_ndevices(w);
	if (nlisten > 1 && nlisten != ndev) {
		fprintf(stderr, "fgtsim: %zu --listen for %zu devices\n",
		    nlisten, ndev);
		return (-1);
	}
	for (i = 0; i < ndev; i++) {
		if (nlisten == 0) {
			strcpy(addr, "127.0.0.1");
			base = 0;
		} else if (fgtsim_split_listen(listen[nlisten > 1 ? i : 0],
		    addr, sizeof addr, &base) != 0) {
			fprintf(stderr, "fgtsim: bad --listen %s\n",
			    listen[nlisten > 1 ? i : 0]);
			return (-1);
		}
		port = base == 0 || nlisten > 1 ? base : base + (int)i;
		if (port > 65535) {
			fprintf(stderr, "fgtsim: out of ports\n");
			return (-1);
		}
		if ((got = sshd_listen(d, i, addr, port, err,
		    sizeof err)) < 0) {
			fprintf(stderr, "fgtsim: %s\n", err);
			return (-1);
		}
		printf("fgtsim: %s listening on %s%s%s:%d\n",
		    sim_device_info(sim_world_device(w, i))->hostname,
		    strchr(addr, ':') != NULL ? "[" : "", addr,
		    strchr(addr, ':') != NULL ? "]" : "", got);
	}
	printf("fgtsim: ready, %zu devices\n", ndev);
	fflush(stdout);
	return (0);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "scenario", required_argument, NULL, 's' },
		{ "hostkey", required_argument, NULL, 'k' },
		{ "log", required_argument, NULL, 'L' },
		{ "speed", required_argument, NULL, 'x' },
		{ "authorized-keys", required_argument, NULL, 'a' },
		{ "password", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sshd_config	 cfg;
	struct sigaction	 sa;
	struct sim_world	*w;
	struct sshd		*d;
	const char		*scenario = NULL, *logpath = NULL;
	char			**listen = NULL, **pw = NULL, *end;
	char			 err[512];
	size_t			 nlisten = 0, npw = 0;
	int			 ch, rc = 1;

	memset(&cfg, 0, sizeof cfg);
	cfg.speed = 1.0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen = reallocarray(listen, nlisten + 1,
			    sizeof *listen);
			if (listen == NULL)
				abort();
			listen[nlisten++] = optarg;
			break;
		case 's':
			scenario = optarg;
			break;
		case 'k':
			cfg.hostkey = optarg;
			break;
		case 'L':
			logpath = optarg;
			break;
		case 'x':
			cfg.speed = strtod(optarg, &end);
			if (*end != '\0' || !(cfg.speed > 0)) {
				fprintf(stderr, "fgtsim: bad --speed\n");
				return (2);
			}
			break;
		case 'a':
			cfg.authkeys = optarg;
			break;
		case 'p':
			pw = reallocarray(pw, npw + 1, sizeof *pw);
			if (pw == NULL)
				abort();
			pw[npw++] = optarg;
			break;
		default:
			fgtsim_usage();
		}
	}
	if (scenario == NULL || optind != argc)
		fgtsim_usage();
	cfg.passwords = (const char *const *)pw;
	cfg.npasswords = npw;

	if ((w = sim_world_load(scenario, err, sizeof err)) == NULL) {
		fprintf(stderr, "fgtsim: %s\n", err);
		goto out;
	}
	if (logpath != NULL && log_open(logpath, err, sizeof err) != 0) {
		fprintf(stderr, "fgtsim: %s\n", err);
		goto out;
	}
	if ((d = sshd_new(w, &cfg, err, sizeof err)) == NULL) {
		fprintf(stderr, "fgtsim: %s\n", err);
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fgtsim_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (fgtsim_serve(d, w, listen, nlisten) == 0) {
		sshd_run(d, &fgtsim_stop);
		rc = 0;
	}
	sshd_free(d);
out:
	if (w != NULL)
		sim_world_free(w);
	log_close();
	free(listen);
	free(pw);
	return (rc);
}
