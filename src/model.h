/* SPDX-License-Identifier: ISC */
/*
 * model - what fgtop knows about every device, VDOM and tunnel, and the
 * events that tell how it changed.
 *
 * The tree is devices > VDOMs > tunnels.  A tunnel is joined by name from
 * the three poll outputs: `get vpn ipsec tunnel summary` (selectors,
 * counters), `diagnose vpn ike gateway list` (phase 1) and `diagnose vpn
 * tunnel list` (phase-2 selectors and their SAs).  A tunnel seen in any of
 * them appears once; what no output said stays unknown (PNUM_UNKNOWN,
 * NULL), never zero.  Dial-up and ADVPN children carry their parent's
 * name; the parent counts them.
 *
 * The engine merges each parsed output as it arrives (model_merge_*) and
 * closes a poll round with model_round_end, which derives each tunnel's
 * state, counter deltas and rates, removes tunnels that a full listing no
 * longer shows, and appends an event for every transition.  Events are
 * the contract the dashboard, the diagnosis, the journal and
 * --watch-json share:
 *
 *   device-state   a device's connection state changed (from, to, detail
 *                  = the error sentence)
 *   tunnel-added / tunnel-removed
 *   tunnel-state   up / degraded / down (from, to)
 *   phase1         phase-1 status, e.g. connecting -> established
 *   sa             a selector's sa= value changed (item = selector)
 *   rekey          a selector's SA got new SPIs (item = selector)
 *   counter-reset  a counter went backwards (item = which)
 *   finding-raised / finding-cleared   a tunnel's top finding changed
 *                  (item = rule id; raised: to = severity, detail =
 *                  title)
 *   tool           a debug or tool session opened or closed
 *
 * Events are queued in the model; the loop takes them once per turn
 * (model_events_take) and hands them to whoever listens.
 *
 * Nothing here does I/O or knows about SSH or curses; times are given by
 * the caller (wall-clock seconds), so the model is tested without a loop.
 *
 * Memory is bounded by the number of tunnels and selectors the devices
 * have: each tunnel holds its fields, its selectors and a small fixed
 * ring of rate samples; nothing grows with time.  model_bytes reports it.
 *
 * Ownership: the model owns every device, VDOM, tunnel and string in it;
 * model_free releases all.  Pointers into the tree stay valid until the
 * object is removed (a tunnel by a round end, a device never).  Taken
 * events belong to the caller (mevent_free).
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct json;
struct system_status;
struct tunnel_summary;
struct ike_gateway_list;
struct tunnel_list;

enum mdev_state {
	MDEV_CONNECTING = 0,
	MDEV_UP,
	MDEV_AUTH_FAILED,
	MDEV_HOSTKEY_UNKNOWN,
	MDEV_HOSTKEY_MISMATCH,
	MDEV_UNREACHABLE,
	MDEV_STALE,		/* connected, but polls stopped answering */
	MDEV_ERROR,
};

enum mtun_state {
	MTUN_UNKNOWN = 0,
	MTUN_DOWN,		/* no selector up */
	MTUN_DEGRADED,		/* some selectors up */
	MTUN_UP,		/* every selector up */
};

/* The outputs a tunnel is seen in: summary, gateway list, tunnel list. */
#define MODEL_NSOURCES		3

/* Samples of the rx/tx rates kept per tunnel (for sparklines). */
#define MODEL_RATE_SAMPLES	16

/* One IKE SA of a phase 1. */
struct mike_sa {
	char		*spi_i;
	char		*spi_r;
	char		*direction;
	char		*status;
	pnum		 created_ago_s;
	pnum		 established_ago_s;
	pnum		 lifetime;
	pnum		 rekey;
	pnum		 dpd_sent;
	pnum		 dpd_recv;
};

/* Phase 1, from the gateway list. */
struct mphase1 {
	char		*status;	/* "established", "connecting", NULL */
	pnum		 version;	/* IKE version */
	char		*direction;
	char		*interface;
	char		*local_addr;
	pnum		 local_port;
	char		*remote_addr;
	pnum		 remote_port;
	int		 nat_me;	/* -1 unknown */
	int		 nat_peer;
	pnum		 ike_created[2];	/* IKE SA: created a/b */
	pnum		 ike_established[2];
	pnum		 ipsec_created[2];
	pnum		 ipsec_established[2];
	pnum		 created_ago_s;
	pnum		 established_ago_s;	/* first IKE SA */
	pnum		 dpd_sent;		/* first IKE SA */
	pnum		 dpd_recv;
	pnum		 dpd_sent_prev;		/* at the round before */
	pnum		 dpd_recv_prev;
	char		*peer_id;
	char		*xauth_user;
	struct mike_sa	*sas;
	size_t		 nsas;
	double		 status_since;	/* when status took its value */
	double		 listed_at;	/* first in a gateway list, or 0 */
};

/* One phase-2 selector, from the tunnel list. */
struct mphase2 {
	char		*name;
	char		*src;
	char		*dst;
	pnum		 sa;		/* 0/1/2 as printed */
	double		 sa_since;	/* when sa took this value */
	pnum		 enc_spi;	/* current SA */
	pnum		 dec_spi;
	pnum		 expire_s;
	pnum		 enc_pkts;
	pnum		 enc_bytes;
	pnum		 dec_pkts;
	pnum		 dec_bytes;
	pnum		 enc_delta;	/* since the previous round; unknown */
	pnum		 dec_delta;	/* after a reset or on the first */
	char		*esp;		/* enc cipher, "aes" */
	int		 seen;		/* private: in this round's listing */
};

struct mvdom;
struct mhist_ring;

/*
 * A tunnel's state history (see "History" below).  Private to
 * model_history.c; the ring is allocated at the first real transition,
 * so a tunnel that never changes costs only this header.
 */
struct mhist {
	double		 first;		/* first state known, 0: none */
	double		 since;		/* when state took its value */
	int		 state;		/* enum mtun_state */
	struct mhist_ring *ring;	/* NULL until a transition */
};

struct mtun {
	char		*name;
	char		*parent;	/* dial-up / ADVPN child, or NULL */
	size_t		 nchildren;	/* children in this VDOM */
	struct mvdom	*vdom;
	/* Summary. */
	char		*remote_addr;
	pnum		 remote_port;
	pnum		 selectors_total;
	pnum		 selectors_up;
	pnum		 rx_pkt;
	pnum		 rx_err;
	pnum		 tx_pkt;
	pnum		 tx_err;
	pnum		 rx_err_delta;	/* since the previous round */
	pnum		 tx_err_delta;
	double		 rx_pps;	/* NaN when unknown */
	double		 tx_pps;
	float		 rx_hist[MODEL_RATE_SAMPLES];	/* oldest first */
	float		 tx_hist[MODEL_RATE_SAMPLES];
	/* Tunnel list, phase 1 side. */
	char		*local_addr;
	pnum		 local_port;
	pnum		 dpd_count;
	/* Phase 1 (gateway list) and phase 2 (tunnel list). */
	int		 has_phase1;
	struct mphase1	 p1;
	struct mphase2	*p2;
	size_t		 np2;
	/* Derived. */
	enum mtun_state	 state;
	double		 first_seen;
	double		 changed_at;	/* last state change */
	struct mhist	 hist;		/* see "History" */
	/* Tool results and IKE debug lines (see "Tools"), or NULL. */
	struct mtools	*tools;
	/* Findings, filled by the diagnosis (opaque to the model). */
	void		*findings;
	void		 (*findings_free)(void *);
	/* Private. */
	pnum		 prev_rx_pkt;
	pnum		 prev_tx_pkt;
	pnum		 prev_rx_err;
	pnum		 prev_tx_err;
	double		 prev_at;
	unsigned	 seen[MODEL_NSOURCES];	/* round last listed, by source */
	int		 reported;	/* tunnel-added was sent */
};

struct mdev;

struct mvdom {
	char		*name;
	struct mdev	*dev;
	struct mtun	**tunnels;	/* in the order first seen */
	size_t		 ntunnels;
	size_t		 cap;
	/* Private: open-addressing index by tunnel name. */
	struct mtun	**index;
	size_t		 index_cap;
};

struct mdev {
	char		*name;		/* DEST as given */
	char		*host;
	int		 port;
	enum mdev_state	 state;
	char		*error;		/* sentence, or NULL */
	char		*hostname;	/* what the box says */
	char		*version;	/* "v7.4.3" */
	pnum		 build;
	pnum		 major;
	pnum		 minor;
	pnum		 patch;
	char		*model;
	char		*serial;
	char		*vdom_mode;
	char		*ha_mode;
	struct mvdom	**vdoms;
	size_t		 nvdoms;
	double		 state_since;
	double		 last_ok;	/* end of the last complete round */
	double		 poll_ms;	/* duration of that round */
	unsigned	 rounds;	/* complete rounds so far */
	struct mtools	*tools;		/* tool output no tunnel claims */
	struct model	*owner;
	/* Private. */
	unsigned	 round;		/* the round being merged */
	unsigned	 full_round[MODEL_NSOURCES];	/* last full listing */
};

struct mevent {
	struct mevent	*next;
	double		 time;
	const char	*type;		/* static: "tunnel-state", ... */
	char		*device;
	char		*vdom;		/* NULL for device events */
	char		*tunnel;
	char		*item;		/* selector, counter, rule */
	char		*from;
	char		*to;
	char		*detail;
};

struct model {
	struct mdev	**devs;
	size_t		 ndevs;
	size_t		 cap;
	struct mevent	*events;	/* queued, oldest first */
	struct mevent	**events_tail;
	size_t		 nevents;
	unsigned	 dirty;		/* bumped on every change */
	/*
	 * Something fgtop itself cannot do (the journal cannot be
	 * written), for the status bar and --once's "warnings"; or NULL.
	 */
	char		*warning;
	/* Flaps in MODEL_FLAP_WINDOW that raise ST-FLAP; 0: never. */
	unsigned	 flap_threshold;
	/* Private: restored histories of tunnels not yet polled. */
	struct mhist_pending **pending;
	size_t		 pending_cap;
	size_t		 npending;
};

struct model	*model_new(void);
void		 model_free(struct model *);
/* Free every device and event; the model is then as new (still dirty). */
void		 model_clear(struct model *);

/* Devices are added once, in the order given, and never removed. */
struct mdev	*model_add_device(struct model *, const char *name,
		    const char *host, int port);
void		 model_device_state(struct mdev *, enum mdev_state,
		    const char *error, double now);
void		 model_device_status(struct mdev *,
		    const struct system_status *, double now);
/* The VDOM named, created when new ("root" for a device without VDOMs). */
struct mvdom	*model_vdom(struct mdev *, const char *);

/*
 * A poll round of one device: begin, merge what each command printed,
 * end.  full says the output was not limited with `name X`: then tunnels
 * that no full output of the round lists are removed at the end.
 */
void		 model_round_begin(struct mdev *);
void		 model_merge_summary(struct mvdom *,
		    const struct tunnel_summary *, int full, double now);
void		 model_merge_gateways(struct mvdom *,
		    const struct ike_gateway_list *, int full, double now);
void		 model_merge_tunnels(struct mvdom *,
		    const struct tunnel_list *, int full, double now);
void		 model_round_end(struct mdev *, double now, double poll_ms);

struct mtun	*model_tunnel(const struct mvdom *, const char *);

/*
 * Building a model outside the poll path (src/model_load: the journal's
 * snapshots and events).  None of these appends an event.
 * model_device finds a device by name (NULL: none).  model_tunnel_add
 * returns the tunnel named, created when new: unknown everywhere, already
 * reported, and counted as listed in every output of the device's
 * current round (round 1 before any), so that after a restore the first
 * live full listing that leaves it out removes it.  model_tunnel_remove
 * frees a tunnel; model_phase2 finds or adds a selector by name.
 */
struct mdev	*model_device(const struct model *, const char *);
struct mtun	*model_tunnel_add(struct mvdom *, const char *, double now);
void		 model_tunnel_remove(struct mtun *);
struct mphase2	*model_phase2(struct mtun *, const char *);

/*
 * Shared strings.  Every string of a tunnel (struct mtun, mphase1,
 * mike_sa, mphase2: names, addresses, states, selectors, SPIs) is held
 * once however many tunnels carry the same text: model_str returns the
 * shared copy with one more holder (NULL for NULL), model_str_free drops
 * one.  Set and free them with these only, never strdup/free.
 * model_ike_sa_clear and model_phase2_clear drop a record's strings.
 */
char		*model_str(const char *);
void		 model_str_free(char *);
void		 model_ike_sa_clear(struct mike_sa *);
void		 model_phase2_clear(struct mphase2 *);

/* Append an event (strings copied; NULL allowed). */
void		 model_event(struct model *, double, const char *type,
		    const char *device, const char *vdom, const char *tunnel,
		    const char *item, const char *from, const char *to,
		    const char *detail);
/* Take the queued events (oldest first); *n gets their number. */
struct mevent	*model_events_take(struct model *, size_t *n);
void		 mevent_free(struct mevent *);	/* the whole list */
/*
 * One event's strings: mevent_copy fills dst (next = NULL) with copies
 * of src's, mevent_clear frees them and zeroes e (for events kept in a
 * caller's ring, such as src/evlog's).
 */
void		 mevent_copy(struct mevent *dst, const struct mevent *src);
void		 mevent_clear(struct mevent *);

const char	*mdev_state_name(enum mdev_state);
const char	*mtun_state_name(enum mtun_state);
/* Number of tunnels in the model, and the heap bytes they hold. */
size_t		 model_ntunnels(const struct model *);
size_t		 model_bytes(const struct model *);

/*
 * The --once --json document (see fgtop(1)).  findings_json writes one
 * tunnel's findings array (the diagnosis supplies it); NULL writes [].
 */
void		 model_json(struct json *, const struct model *, double now,
		    const char *version,
		    void (*findings_json)(struct json *, const struct mtun *));
void		 mevent_json(struct json *, const struct mevent *);
/*
 * One tunnel / one device (its VDOMs and tunnels) as model_json writes
 * it, for the incident bundle (src/bundle): one writer, one schema.
 */
void		 model_json_tunnel(struct json *, const struct mtun *,
		    void (*findings_json)(struct json *, const struct mtun *));
void		 model_json_device(struct json *, const struct mdev *,
		    void (*findings_json)(struct json *, const struct mtun *));
/*
 * The same document for the journal's snapshots: without the tools'
 * raw text (too big to repeat every few minutes).
 */
void		 model_json_snapshot(struct json *, const struct model *,
		    double now, const char *version,
		    void (*findings_json)(struct json *, const struct mtun *));
/* key: wall-clock seconds as ISO 8601 UTC with milliseconds (or null). */
void		 model_json_time(struct json *, const char *key, double);
/* Set (a copy) or clear (NULL) the model's warning. */
void		 model_warning(struct model *, const char *);

/*
 * Tools.  What the live tools (src/tool, src/debug) saw, kept with its
 * time for the dashboard, the diagnosis and the incident bundle: per
 * tunnel, or per device when the peer matches no tunnel the model knows.
 * Both are rings with a fixed bound, so a debug session left open for
 * hours costs no more than one of a minute: the newest
 * MODEL_TOOL_RESULTS results and MODEL_DEBUG_LINES debug lines (each at
 * most MODEL_TOOL_TEXT bytes) are kept, older ones dropped (counted in
 * lines_total).  Text is sanitised before it is stored (cli_sanitize);
 * a debug line the parser marks secret is stored as "(key material
 * hidden)".  The "tool" event (item = the tool, to = "opened" or
 * "closed", detail = the reading or why it closed) is appended with
 * model_event by the tools themselves.
 */
#define MODEL_TOOL_RESULTS	8
#define MODEL_DEBUG_LINES	256
#define MODEL_TOOL_TEXT		16384

struct mtool_result {
	double		 time;
	char		*tool;		/* "route", "trace", "sniff", "debug" */
	char		*target;	/* the peer, as given */
	char		*reading;	/* the one-line reading */
	char		*text;		/* the output, sanitised, bounded */
};

struct mdebug_line {
	double		 time;
	char		*text;
	const char	*topic;			/* static: ike_topic_name */
	const char	*rule;		/* static: DIAGNOSIS.md id, or NULL */
};

struct mtools {
	struct mtool_result results[MODEL_TOOL_RESULTS];
	size_t		 nresults;
	size_t		 rhead;		/* oldest result */
	struct mdebug_line lines[MODEL_DEBUG_LINES];
	size_t		 nlines;
	size_t		 lhead;		/* oldest line */
	unsigned long long lines_total;	/* ever stored, dropped included */
};

/* The tunnel of vdom (NULL: any) whose peer address is addr, or NULL. */
struct mtun	*model_tunnel_by_peer(const struct mdev *, const char *vdom,
		    const char *addr);
/* Keep a result / a debug line on t, or on the device when t is NULL. */
void		 model_tool_result(struct mdev *, struct mtun *, double now,
		    const char *tool, const char *target, const char *reading,
		    const char *text);
void		 model_debug_line(struct mdev *, struct mtun *, double now,
		    const char *text, size_t len, int secret,
		    const char *topic, const char *rule);
/* The i-th (0: oldest) result or line kept, or NULL past the end. */
const struct mtool_result *mtools_result(const struct mtools *, size_t);
const struct mdebug_line *mtools_line(const struct mtools *, size_t);
void		 mtools_json(struct json *, const struct mtools *);

/*
 * History.  Per tunnel, what its state did over the last day, for
 * uptime, downtime, flap counts and the sparkline; kept by the model
 * (model_round_end records every state change) and restored from the
 * journal on start (model_history_restore), so the numbers survive a
 * restart.
 *
 * A flap is a transition from up to down or degraded (a tunnel that
 * goes from up to unknown, because nothing said, has not flapped).
 * Downtime is the time spent down (degraded is not down).
 *
 * Memory is bounded whatever the tunnel does: the last hour is kept in
 * minute buckets (flaps, states seen) and the last day in hour buckets
 * (flaps, seconds down); a tunnel flapping every 5 s for a day costs the
 * same ~1 KiB as one that flapped once, and one that never changed costs
 * nothing beyond struct mhist.  So windows are exact to the minute (up
 * to an hour) or to the hour (up to MODEL_HIST_SPAN); a bucket the
 * window's start cuts is counted in part for downtime, whole for flaps.
 *
 * Times are wall-clock seconds, given by the caller; now must not go
 * backwards by more than a bucket (the journal replays in order).
 */
#define MODEL_HIST_SPAN		86400	/* seconds of history kept */
#define MODEL_FLAP_WINDOW	3600	/* the flap count's window */
#define MODEL_FLAP_THRESHOLD	4	/* default model.flap_threshold */

/* Record t's state s at now (a no-op when it did not change). */
void		 model_history_note(struct mtun *t, int s, double now);
/* Seconds since the last transition to up; 0 while not up. */
double		 model_tunnel_uptime(const struct mtun *, double now);
/*
 * Seconds in the state the history holds now, which *state gets (down
 * for 7 s, up for 9 min); 0 and MTUN_UNKNOWN before anything is known.
 */
double		 model_tunnel_held(const struct mtun *, double now,
		    int *state);
/* Seconds down in the last window seconds (<= MODEL_HIST_SPAN). */
double		 model_tunnel_downtime(const struct mtun *, double now,
		    double window);
/* Flaps (up -> down/degraded) in the last window seconds. */
unsigned	 model_tunnel_flaps(const struct mtun *, double now,
		    double window);
/*
 * The state in each of n equal cells covering the last window seconds,
 * oldest first: the worst state the tunnel was in during the cell (down
 * > degraded > up > unknown), MTUN_UNKNOWN before anything was known.
 */
void		 model_tunnel_spark(const struct mtun *, double now,
		    double window, unsigned char *cells, size_t n);
/*
 * A state the journal recorded for a tunnel: fed to the tunnel if the
 * model has it, else kept under device/vdom/tunnel and handed to the
 * tunnel when a poll first lists it.  Call in time order, before
 * polling starts.
 */
void		 model_history_restore(struct model *, const char *device,
		    const char *vdom, const char *tunnel, int s,
		    double time);

/* Private: the hooks model.c calls (model_history.c). */
struct mhist_pending;
void		 model_history_adopt(struct model *, struct mtun *);
void		 model_history_clear(struct mhist *);
void		 model_history_free_pending(struct model *);
size_t		 model_history_bytes(const struct mhist *);

#endif
