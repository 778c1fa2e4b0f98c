/*
 * cfg - fgtop's own configuration: devices, groups, poll intervals, and
 * the secrets of each device.
 *
 * The file is `$XDG_CONFIG_HOME/fgtop/config` (~/.config/fgtop/config)
 * or the one given with --config; it is optional.  One keyword and its
 * arguments a line, `#` comments, double quotes group words, indentation
 * for the reader only (see fgtop(1) and doc/config.example):
 *
 *     poll 5s                     summary poll interval (default 5 s)
 *     full-poll 60s               gateway + tunnel lists (default 30 s)
 *     ssh-config ~/.ssh/config    as -F
 *     known-hosts FILE            as UserKnownHostsFile
 *     accept-new yes|no           as --accept-new
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
 *       poll 10s / full-poll 2m   per-device intervals
 *
 *     group branches fw2 fw3 fw4  `@branches` on the command line
 *
 * Unknown keywords are an error that names the file and line.
 *
 * Command-line DESTs and the file combine (cfg_targets): a DEST that
 * names a device of the file takes its settings, `@group` takes the
 * group's devices, anything else is `[user@]host[:port]` (or an
 * ssh_config Host alias) with the defaults.
 *
 * Secrets are read before the loop starts (cfg_secrets): from the file,
 * the command (run with /bin/sh -c, stdin closed), or asked on the
 * terminal without echo.  They never go to argv, logs, JSON or the
 * screen; cfg_free wipes them.
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
	int		 disclaimer_accept;
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
void	 cfg_free(struct cfg *);

#endif
