/* SPDX-License-Identifier: ISC */
/*
 * device.h - the device half's model, shared by scenario.c (which builds
 * it), device.c (time, CLI dispatch), render.c (command output) and
 * ikedebug.c (debug lines and sniffer packets).
 *
 * A world holds devices; a device holds VDOMs; a VDOM holds tunnels (dial-up
 * children are ordinary tunnels with a parent).  Everything is allocated by
 * scenario.c and freed by sim_world_free; nothing here is shared between
 * worlds.  The model is a pure function of the scenario and the simulated
 * time: every value shown is computed from the state a tunnel entered at
 * t_state, so output never depends on how often the clock was advanced.
 */
#ifndef SIM_DEVICE_H
#define SIM_DEVICE_H

#include <stdint.h>

#include "sim.h"

/* Simulated wall clock at t = 0: 2025-12-01 08:00:00 UTC. */
#define SIM_EPOCH	1764576000L

/* Output flavours, by FortiOS version. */
#define FL_LEGACY	0	/* < 6.4: the KB walk-through layout */
#define FL_64		1	/* 6.4, 7.0 */
#define FL_7		2	/* 7.2 and later */

enum tun_type { TT_STATIC, TT_DIALUP, TT_ADVPN };
enum tun_state { ST_UP, ST_CONNECTING, ST_P2DOWN };
enum tun_fault {
	F_NONE, F_PSK, F_PROPOSAL, F_SELECTOR, F_SNAT, F_NOROUTE, F_NATT,
	F_SILENT, F_DPD, F_FLAP, F_NOPOLICY, F__N
};

struct sim_p2 {
	char		*name;
	uint32_t	 src, srcmask, dst, dstmask;
	int		 serial;
};

struct sim_vdom;

struct sim_tunnel {
	char		*name;
	struct sim_vdom	*vdom;
	int		 type;
	int		 is_template;	/* dial-up parent: no IKE SA itself */
	struct sim_tunnel *parent;	/* dial-up child instance */
	int		 index;		/* child index */
	int		 nchildren;
	char		*iface;
	int		 ifindex;
	uint32_t	 local, remote;
	int		 ike;		/* 1 or 2 */
	int		 aggressive;
	char		*proposal;
	struct sim_p2	*p2;
	size_t		 np2;
	int		 responder;
	int		 dpd_mode;	/* 0 on-demand, 1 on-idle, 2 disable */
	int		 dpd_idle_ms;
	long		 dpd_seqno0;
	int		 natt;		/* NAT in the path: NAT-T in use */
	double		 pps;
	long		 keylife;	/* phase 2, seconds */
	long		 p1life;
	long		 soft;		/* phase-2 rekey period */
	double		 age0;		/* created this long before t = 0 */
	long		 ilast0;	/* -1: derived */
	unsigned long long rx0, tx0, rxerr0, txerr0;
	int		 serial;
	unsigned long	 ike_id0;
	uint64_t	 cookie0;
	int		 summary_indent;	/* walk-through quirk */

	/* Initial and current state. */
	int		 state0, fault0;
	int		 state, fault;
	double		 t_state;	/* when the current state began */
	double		 t_p1;		/* phase 1 created / attempt began */
	unsigned long long rxp_base, txp_base;
	long		 nest;		/* phase-1 negotiations so far */
	double		 toggle_next;	/* flapping / DPD cycle */
	uint32_t	 rng;		/* per-tunnel PRNG state */
	uint32_t	 seed;
};

struct sim_vdom {
	char		*name;
	int		 index;
	struct sim_device *dev;
	struct sim_tunnel **tunnels;	/* children precede their parent */
	size_t		 ntunnels;
	size_t		 captunnels;
};

struct sim_event {
	double		 t;
	char		*tunnel;
	int		 state;		/* -1: unchanged */
	int		 fault;		/* -1: unchanged */
};

struct sim_device {
	struct sim_world *world;
	int		 index;
	char		*hostname;
	char		*model;
	char		*version;
	int		 vmaj, vmin, vpatch;
	int		 flavour;
	char		*serial;
	long		 build;
	char		*builddate;
	int		 multi_vdom;
	struct sim_vdom	**vdoms;
	size_t		 nvdoms;
	const char	**vdom_names;
	struct sim_cred	*creds;
	size_t		 ncreds;
	char		*banner;
	struct sim_devinfo info;
	struct sim_event *events;
	size_t		 nevents;
	size_t		 nextevent;
	struct sim_tunnel **toggling;	/* flapping and DPD-fault tunnels */
	size_t		 ntoggling;
	double		 now;
	unsigned long	 ncommands;	/* for the garbage fault */
};

struct sim_world {
	struct sim_device **devices;
	size_t		 ndevices;
	double		 now;
};

/* scenario.c (also sim_world_load and sim_world_free) */
uint32_t	 scenario_rand(uint32_t *);
uint32_t	 scenario_hash(uint32_t, uint32_t);
int		 scenario_ip4(const char *, uint32_t *);
int		 scenario_prefix(const char *, uint32_t *, uint32_t *);

/* device.c: the model at time t. */
int		 device_flows(const struct sim_tunnel *, int);
unsigned long long device_rxp(const struct sim_tunnel *, double);
unsigned long long device_txp(const struct sim_tunnel *, double);
int		 device_p1_up(const struct sim_tunnel *);
int		 device_sa_count(const struct sim_tunnel *, double);
long		 device_sa_gen(const struct sim_tunnel *, double);
double		 device_sa_start(const struct sim_tunnel *, double);
uint32_t	 device_spi(const struct sim_tunnel *, long, int);
int		 device_iface_down(const struct sim_device *, const char *);

/* render.c */
struct render_ctx {
	struct sim_device *dev;
	struct sim_vdom	*vdom;		/* NULL: global context */
	double		 now;
};
const char	*render_ip4(uint32_t, char *);
void		 render_status(struct sbuf *, const struct render_ctx *);
void		 render_summary(struct sbuf *, const struct render_ctx *);
void		 render_gateway(struct sbuf *, const struct render_ctx *,
		    const char *);
void		 render_tunnel_list(struct sbuf *, const struct render_ctx *,
		    const char *);
void		 render_routes(struct sbuf *, const struct render_ctx *);
void		 render_route_details(struct sbuf *, const struct render_ctx *,
		    const char *);
void		 render_garbage(struct sbuf *, size_t, unsigned long);
void		 render_time(char *, size_t, double, int);

/* ikedebug.c */
struct ike_filter {
	int		 set;
	char		*name;
	uint32_t	 rem_lo, rem_hi;	/* 0/0: any */
	uint32_t	 loc_lo, loc_hi;
};
void		 ikedebug_emit(struct sbuf *, struct sim_device *,
		    const struct ike_filter *, int, double, double);

/* Sniffer and traceroute, driven by sim_cli_stream (render.c). */
struct simsniff;
struct simsniff	*simsniff_new(struct sim_device *, struct sim_vdom *,
		    const char *, const char *, int, long, int, double);
void		 simsniff_header(struct simsniff *, struct sbuf *);
int		 simsniff_run(struct simsniff *, struct sbuf *, double);
void		 simsniff_stop(struct simsniff *, struct sbuf *);
void		 simsniff_free(struct simsniff *);
struct simtrace;
struct simtrace	*simtrace_new(const struct render_ctx *, uint32_t, uint32_t,
		    double);
int		 simtrace_run(struct simtrace *, struct sbuf *, double);
void		 simtrace_free(struct simtrace *);

#endif
