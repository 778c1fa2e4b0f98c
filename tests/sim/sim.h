/* SPDX-License-Identifier: ISC */
/*
 * sim.h - the contract between fgtsim's two halves.
 *
 *   transport half (fgtsim.c, sshd.c, session.c, ...): SSH listeners,
 *     authentication, the interactive shell's line discipline (echo,
 *     prompt, --More-- pager, disclaimer, Ctrl-C), exec requests,
 *     transport faults, the JSON event log, time and --speed.
 *   device half (scenario.c, device.c, render.c, ikedebug.c, ...): the
 *     scenario file, the device model, what every command prints in the
 *     device's FortiOS version, how time changes the model, and the IKE
 *     debug lines each tunnel's state produces.
 *
 * The transport half never formats FortiOS output; the device half never
 * touches a socket.  Output is appended to a struct sbuf.
 *
 * Ownership: sim_world owns every device and everything they point to;
 * sim_world_free releases it.  A sim_cli belongs to one shell or exec
 * channel and is freed with sim_cli_free (after the transport has logged
 * its debug state).
 */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>

/* A growable output buffer. */
struct sbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
void	sbuf_add(struct sbuf *, const char *, size_t);
void	sbuf_addstr(struct sbuf *, const char *);
void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sbuf_reset(struct sbuf *);
void	sbuf_free(struct sbuf *);

/* Credentials a device accepts. */
struct sim_cred {
	const char	*user;
	const char	*password;	/* NULL: no password login */
	const char	*pubkey;	/* "ssh-ed25519 AAAA..." or NULL */
	const char	*token;		/* 2FA code asked by kbdint, or NULL */
};

/* Transport faults a device shows (0 / NULL: none). */
struct sim_faults {
	long		 slow_bps;	/* output rate, bytes per second */
	double		 stall_s;	/* stall this long ... */
	size_t		 stall_after;	/* ... after this many output bytes */
	size_t		 drop_after;	/* drop the connection after N bytes */
	int		 refuse_second;	/* refuse a second concurrent session */
	int		 auth_fail;	/* reject every login */
	int		 new_hostkey;	/* present a different host key */
	int		 garbage;	/* escape sequences / junk in output */
	size_t		 huge_bytes;	/* `get system status` prints this much */
	size_t		 stderr_bytes;	/* an exec's stderr says this much first */
};

/* What the transport half needs to know about a device. */
struct sim_devinfo {
	const char		*hostname;
	const char		*version;	/* "7.4.3" */
	int			 multi_vdom;
	const char *const	*vdoms;		/* [0] is the management VDOM */
	size_t			 nvdoms;
	int			 pager;		/* --More-- on? */
	int			 page_lines;	/* forced page height; 0: the pty's */
	const char		*banner;	/* disclaimer, needs 'a', or NULL */
	const struct sim_cred	*creds;
	size_t			 ncreds;
	struct sim_faults	 faults;
};

struct sim_world;
struct sim_device;
struct sim_cli;

/* Load a scenario; NULL with a one-line reason in err. */
struct sim_world	*sim_world_load(const char *, char *, size_t);
void			 sim_world_free(struct sim_world *);
size_t			 sim_world_ndevices(const struct sim_world *);
struct sim_device	*sim_world_device(struct sim_world *, size_t);
/* Move the model to now (simulated seconds since start). */
void			 sim_world_advance(struct sim_world *, double);

const struct sim_devinfo *sim_device_info(const struct sim_device *);

/*
 * One CLI context: the VDOM the user is in (config vdom / edit X / end,
 * config global), and the debug settings of this SSH session (IKE debug
 * application level, debug enable, console timestamps, the IKE log
 * filter).  Debug output is per session, as on a FortiGate console.
 */
struct sim_cli	*sim_cli_new(struct sim_device *);
void		 sim_cli_free(struct sim_cli *);

/* The prompt to print now: "HOST # ", "HOST (VDOM) # ", "HOST (global) # ". */
const char	*sim_cli_prompt(struct sim_cli *);

/*
 * Run one command line (without the line ending).  Appends its output,
 * FortiOS error text included, to out; the transport adds the prompt.
 * Returns SIM_DONE, or SIM_STREAMING when the command keeps producing
 * output (sniffer, traceroute) until sim_cli_stream says it is over or
 * the user presses Ctrl-C (sim_cli_interrupt).
 */
#define SIM_DONE	0
#define SIM_STREAMING	1
int		 sim_cli_exec(struct sim_cli *, const char *, struct sbuf *,
		     double now);

/*
 * Output that appears on its own at time now: the running command's next
 * lines, and IKE debug lines while debug is enabled on this session.
 * Returns SIM_STREAMING while a foreground command is still running,
 * SIM_DONE otherwise (then the transport prints the prompt once).
 */
int		 sim_cli_stream(struct sim_cli *, struct sbuf *, double now);
void		 sim_cli_interrupt(struct sim_cli *, struct sbuf *);

/* For the event log: the debug state this session would leave behind. */
struct sim_debug_state {
	int	 enabled;	/* diagnose debug enable */
	int	 ike_level;	/* diagnose debug application ike N; 0 = off */
	int	 filter_set;	/* an IKE log filter is set */
};
void		 sim_cli_debug_state(const struct sim_cli *,
		     struct sim_debug_state *);
/* The current VDOM, for logging each command ("root" in single mode). */
const char	*sim_cli_vdom(const struct sim_cli *);

#endif
