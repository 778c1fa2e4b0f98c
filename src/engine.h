/* SPDX-License-Identifier: ISC */
/*
 * engine - the live faces of fgtop: one libuv loop, a device per target,
 * the model they fill, and what is printed of it.
 *
 *   fgtop --once --json DEST...   poll every device once (every VDOM),
 *                                 print one JSON document, exit 0 when
 *                                 every device answered, 1 otherwise
 *   fgtop --watch-json DEST...    run until interrupted, one JSON line
 *                                 per model event
 *   fgtop export DEST --tunnel T  poll once, then write the incident
 *                                 bundle (src/export, src/bundle)
 *
 * The loop owns everything: devices (src/device), the model
 * (src/model), SIGINT/SIGTERM/SIGHUP (uv_signal: a clean shutdown that
 * closes every session) and a check handle that, once per loop turn,
 * takes the events the callbacks recorded and writes them, and, with
 * --prom-textfile, lets src/prom rewrite its textfile when due.
 *
 * engine_main parses the command line shared by the live modes (the
 * connection options -F, --config, --accept-new, --vdom, ...), reads the
 * config file and the secrets before the loop starts, and runs.
 *
 * Ownership: everything is created and freed inside engine_main.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <getopt.h>
#include <stddef.h>
#include <uv.h>

struct cfg;
struct device_opts;

/*
 * The connection options every live mode shares (the tools of
 * src/cmdtool too): ENGINE_LONGOPTS goes into a getopt_long table (its
 * codes are ENGINE_OPT_BASE and up, and 'F'), engine_option takes one
 * (1: taken, 0: not one of these, -1: bad value, said on stderr), and
 * engine_load reads the config, the DESTs and the secrets into cfg and
 * o, or says why not on stderr and returns the exit status (1 or 2).
 */
enum {
	ENGINE_OPT_BASE = 256,
	ENGINE_OPT_CONFIG = ENGINE_OPT_BASE, ENGINE_OPT_ACCEPT,
	ENGINE_OPT_VDOM, ENGINE_OPT_KNOWN, ENGINE_OPT_ASK, ENGINE_OPT_NOAGENT,
	ENGINE_OPT_TIMEOUT, ENGINE_OPT_CMDTIMEOUT,
	ENGINE_OPT_END		/* callers number their own from here */
};
#define ENGINE_LONGOPTS \
	{ "config", required_argument, NULL, ENGINE_OPT_CONFIG }, \
	{ "accept-new", no_argument, NULL, ENGINE_OPT_ACCEPT }, \
	{ "vdom", required_argument, NULL, ENGINE_OPT_VDOM }, \
	{ "known-hosts", required_argument, NULL, ENGINE_OPT_KNOWN }, \
	{ "ask-password", no_argument, NULL, ENGINE_OPT_ASK }, \
	{ "no-agent", no_argument, NULL, ENGINE_OPT_NOAGENT }, \
	{ "timeout", required_argument, NULL, ENGINE_OPT_TIMEOUT }, \
	{ "command-timeout", required_argument, NULL, ENGINE_OPT_CMDTIMEOUT }

struct engine_opts {
	const char	*config;
	const char	*vdoms;
	const char	*ssh_config;
	const char	*known_hosts;
	int		 accept_new;
	int		 ask;
	int		 no_agent;
	unsigned	 timeout_ms;
	unsigned	 cmd_timeout_ms;
};

void	 engine_opts_init(struct engine_opts *);
int	 engine_option(struct engine_opts *, int ch, const char *arg);
int	 engine_load(const struct engine_opts *, char **dests, size_t,
	    struct cfg *, struct device_opts *);
/* Seconds as milliseconds, 0 when not a number of seconds in (0, 1 day]. */
unsigned engine_seconds(const char *);

/*
 * The dashboard, when the binary links one (fgtop.c sets it before
 * engine_main; src/ itself never calls curses, so --once runs without a
 * terminal).  With it, a command line without --once or --watch-json
 * opens the dashboard; mark ("DEMO") goes to its status bar.
 */
struct mevent;
struct model;
struct ui_actions;
struct ui_findings;
struct engine_ui {
	/* keys: the config's action, key pairs; theme may be NULL. */
	void	*(*start)(uv_loop_t *, struct model *,
		    const struct ui_actions *, const char *mark,
		    char *const *keys, const char *theme, char **err);
	void	 (*events)(void *, const struct mevent *);
	void	 (*close)(void *);	/* close its handles */
	void	 (*free)(void *);	/* after the loop: the terminal back */
	/* For the live tools and the diagnosis (see ui/ui.h). */
	void	 (*tool_line)(void *, unsigned, const char *, int cls);
	void	 (*tool_end)(void *, unsigned, const char *);
	void	 (*debug_badge)(void *, const char *device,
		    const char *peer, double since);
	void	 (*set_findings)(void *, const struct ui_findings *);
	/* A sentence for the prompt line (err: shown as an error). */
	void	 (*notice)(void *, int err, const char *);
};
void	 engine_set_ui(const struct engine_ui *, const char *mark);
/* The diagnosis's findings as the dashboard reads them (also replay's). */
extern const struct ui_findings engine_ui_findings;

/* main's argc and argv (options and DESTs); returns the exit status. */
int	 engine_main(int argc, char **argv);
/*
 * fgtop export DEST [--tunnel T] [-o FILE] [options] (argv[0] is
 * "export"): one poll, the diagnosis, then the incident bundle
 * (src/bundle, src/export) of the tunnel or of the device; its path on
 * stdout.  Exit 0, or 1 with a sentence on stderr (the device did not
 * answer, no such tunnel: its names are listed, the bundle could not be
 * written).
 */
int	 engine_export_main(int argc, char **argv);
extern const char engine_export_synopsis[];
/* For fgtop --help: the synopsis lines, then the options. */
extern const char engine_synopsis[];
extern const char engine_usage[];

#endif
