/* SPDX-License-Identifier: ISC */
/*
 * cfg - fgtop's own configuration: devices, groups, poll intervals, and
 * the secrets of each device.
 *
 * The file is `$XDG_CONFIG_HOME/fgtop/config` (~/.config/fgtop/config)
 * or the one given with --config; it is optional.  One keyword and its
 * arguments a line, `#` comments (a word that starts with #, to the end
 * of the line), double quotes group words (inside, \" and \\ stand for
 * " and \), indentation for the reader only (see fgtop(1) and
 * doc/config.example):
 *
 *     poll 5s                     summary poll interval (default 5 s)
 *     full-poll 60s               gateway + tunnel lists (default 30 s)
 *     ssh-config ~/.ssh/config    as -F
 *     known-hosts FILE            as UserKnownHostsFile
 *     accept-new yes|no           as --accept-new
 *     key ACTION KEY              remap a dashboard key (repeatable;
 *                                 ? in the dashboard lists the actions)
 *     theme default|mono          mono: no colour, as NO_COLOR
 *     export-dir ~/tickets        where E and :export write incident
 *                                 bundles (default: the current directory)
 *     prom-textfile PATH          as --prom-textfile
 *     journal DIR|FILE|off        the event journal (as --journal)
 *     snapshot-interval 10m       the journal's model snapshots
 *     flap-threshold 4            flaps an hour that raise ST-FLAP
 *                                 (0: never)
 *
 *     device fw1                  a device: its alias (the DEST)
 *       address 192.0.2.1         host or name (default: the alias,
 *                                 looked up in ssh_config)
 *       port 22
 *       user admin
 *       identity ~/.ssh/fw1_ed25519
 *       password-file FILE        first line of FILE (mode 0600 or less)
 *       password-command "pass show fw1"   first line of its output
 *       token-command "..."       FortiToken code, asked when needed
 *       ask-password yes          ask on the terminal before starting
 *       vdoms root,dmz            VDOMs to poll (default: discover)
 *       disclaimer accept         may answer the login disclaimer
 *                                 (or refuse, the default)
 *       poll 10s / full-poll 2m   per-device intervals
 *
 *     group branches fw2 fw3 fw4  `@branches` on the command line
 *
 * A device block runs from its `device` line to the next one or the end
 * of the file, so poll and full-poll before the first device are the
 * global ones and after it the device's; ssh-config, known-hosts,
 * accept-new, key, theme, export-dir, prom-textfile, journal,
 * snapshot-interval and flap-threshold are global only and must come
 * before the first device.
 * `group` lines may stand anywhere; a member is a device of the file or
 * a plain DEST (groups do not nest).  Durations are a number and a unit:
 * 500ms, 5s, 2m, 1h, a plain number is seconds; 0 is refused.  A path
 * starting with ~/ is under $HOME.  A keyword given twice in one scope,
 * two password sources for one device, an unknown keyword, a missing or
 * extra argument are errors that name the file and line.
 *
 * Command-line DESTs and the file combine (cfg_targets): a DEST that
 * names a device of the file takes its settings, `@group` takes the
 * group's members in order (each resolved the same way), anything else
 * is `[user@]host[:port]` ([v6addr]:port with a port, a bare IPv6
 * address without) with the defaults, named as given.  A target whose
 * name is already there is not added twice.  No DEST: all the devices of
 * the file.
 *
 * Secrets are read before the loop starts (cfg_secrets): from the file,
 * the command (run with /bin/sh -c, stdin /dev/null, first line of its
 * output), or asked on /dev/tty without echo.  They never go to argv,
 * logs, JSON or the screen; cfg_free wipes them.  A FortiToken code
 * expires, so the connection asks cfg_token again at each login.
 *
 * Ownership: struct cfg owns every string and target it holds;
 * cfg_free releases them.  Errors are returned as allocated sentences
 * the caller frees.
 */
#ifndef CFG_H
#define CFG_H

#include <stddef.h>

struct cfg_target {
	char		*name;		/* DEST as given, or the alias */
	char		*address;	/* NULL: name (via ssh_config) */
	int		 port;		/* 0: ssh_config / 22 */
	char		*user;		/* NULL: ssh_config / $USER */
	char		*identity;
	char		*password_file;
	char		*password_command;
	char		*token_command;
	int		 ask_password;
	char		**vdoms;	/* NULL-terminated, or NULL */
	int		 disclaimer_accept;	/* 1: answer 'a' */
	unsigned	 poll_ms;	/* 0: the global one */
	unsigned	 full_poll_ms;
	/* Filled by cfg_secrets; never printed. */
	char		*password;
	char		*token;
};

struct cfg_group {
	char		*name;
	char		**members;	/* NULL-terminated */
};

struct cfg {
	struct cfg_target *devices;	/* as in the file */
	size_t		 ndevices;
	struct cfg_group *groups;
	size_t		 ngroups;
	unsigned	 poll_ms;	/* default 5000 */
	unsigned	 full_poll_ms;	/* default 30000 */
	char		*ssh_config;
	char		*known_hosts;
	int		 accept_new;
	/*
	 * Dashboard keys: action, key, action, key ... NULL-terminated (the
	 * dashboard checks the names when it starts).  theme: NULL or a
	 * theme name.
	 */
	char		**keys;
	char		*theme;
	char		*export_dir;	/* incident bundles; NULL: cwd */
	char		*prom_textfile;	/* NULL: none */
	/* The journal (src/journal.h): NULL the default, "off" none. */
	char		*journal;
	unsigned	 snapshot_ms;	/* 0: the journal's default */
	int		 flap_threshold;	/* -1: the model's default */
	/* The devices to run, in order, after cfg_targets. */
	struct cfg_target *targets;
	size_t		 ntargets;
};

void	 cfg_init(struct cfg *);
/*
 * Read path, or the default file when path is NULL (a missing default
 * file is not an error).  0, or -1 with *err set.
 */
int	 cfg_load(struct cfg *, const char *path, char **err);
/*
 * Build cfg->targets from the DESTs (all the file's devices when there
 * are none); --vdom given on the command line replaces the VDOMs of
 * every target.  0, or -1 with *err set (unknown @group, bad port).
 */
int	 cfg_targets(struct cfg *, char *const *dests, size_t n,
	    const char *vdoms, char **err);
/*
 * Fill password/token of every target from its sources; may_prompt
 * allows asking on /dev/tty (no echo).  0, or -1 with *err set.
 */
int	 cfg_secrets(struct cfg *, int may_prompt, char **err);
/*
 * Run the target's token-command again (a FortiToken code is good for
 * one login) into target->token, wiping the old one.  0 (also when there
 * is no token-command), or -1 with *err set.
 */
int	 cfg_token(struct cfg_target *, char **err);
void	 cfg_free(struct cfg *);
/*
 * A duration as the file writes it (500ms, 5s, 2m, 1h, plain seconds)
 * into milliseconds: 0, or -1 for 0, a bad unit or overflow.
 */
int	 cfg_duration(const char *, unsigned *ms);

#endif
