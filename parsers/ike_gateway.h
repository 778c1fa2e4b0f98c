/* SPDX-License-Identifier: ISC */
/*
 * ike_gateway - parse `diagnose vpn ike gateway list [name X]` and
 * `get vpn ike gateway [X]` (phase 1 state).
 *
 * The output is a series of gateway blocks, each opened by `vd: root/0`
 * and/or `name: X`, followed by gateway lines (version, interface, addr,
 * created, NAT, ADVPN, peer identities, the IKE SA / IPsec SA counters)
 * and then one `id/spi:` block per IKE SA (direction, status with its
 * timings, proposal, lifetime/rekey, DPD counters, IKEv2 message ids).
 * Both spellings of the counter lines are read:
 *   IKE SA: created 1/1  established 1/1  time 0/0/0 ms     (diagnose)
 *   IKE SA  created: 2/2  established: 2/2  time: 300/10955/21610 ms (get)
 *
 * Key material (`key:` in IKEv1, `SK_ei:`... in IKEv2) is never stored:
 * those lines are skipped before their value is looked at.
 *
 * Unknown numbers are PNUM_UNKNOWN, unknown strings NULL, unknown yes/no
 * flags -1.  The `nat:` line is printed only when NAT was detected; when
 * it is absent nat_me and nat_peer stay -1 (unknown) rather than being
 * guessed as "no NAT" (a connecting SA has not run NAT detection yet).
 *
 * Dial-up instances (`NAME_0`, `NAME_1`) get parent and instance when
 * that can be told from the output: the parent is listed too, or the
 * block shows dial-up client signs (xauth or EAP user, an assigned
 * address, or a 7.x tun_id6 that is an instance id rather than the
 * peer's address).  Siblings alone are not enough: static tunnels are
 * often named `site_1`, `site_2`.  Otherwise parent is NULL and
 * instance unknown.  A listed parent gets its instances in children.
 *
 * Ownership: the list and everything it points to belong to its arena;
 * ike_gateway_list_free releases all of it.  ike_gateway_each lends each
 * gateway to its callback only.
 */
#ifndef IKE_GATEWAY_H
#define IKE_GATEWAY_H

#include "util.h"

/* One IKE SA (`id/spi:` block). */
struct ike_gateway_sa {
	pnum		 id;
	const char	*spi_i;		/* hex text as printed */
	const char	*spi_r;
	const char	*direction;	/* "initiator", "responder" */
	const char	*status;	/* "established", "connecting", ... */
	pnum		 state;		/* connecting, state N */
	pnum		 started_ago_s;	/* connecting ... started Ns ago */
	pnum		 created_ago_s;	/* established A-Bs ago: A */
	pnum		 established_ago_s; /* established A-Bs ago: B */
	pnum		 negotiation_ms; /* established ... = Nms */
	const char	*proposal;
	pnum		 lifetime;
	pnum		 rekey;
	pnum		 dpd_sent;	/* printed in hex */
	pnum		 dpd_recv;
	pnum		 msgid_sent;	/* IKEv2 */
	pnum		 msgid_recv;
	int		 child;		/* IKEv2 `child:`; -1 unknown */
	int		 ppk;
	int		 qkd;
	const char	*peer_id;
};

/* A `created a/b  established c/d  time x/y/z ms` line. */
struct ike_gateway_counts {
	pnum		 created[2];
	pnum		 established[2];
	pnum		 time_ms[3];	/* min/avg/max */
};

struct ike_gateway {
	const char	*vd;		/* "root" from `vd: root/0` */
	pnum		 vd_index;
	const char	*name;
	pnum		 version;	/* IKE version 1 or 2 */
	const char	*interface;	/* may contain spaces */
	pnum		 ifindex;
	const char	*local_addr;
	pnum		 local_port;
	const char	*remote_addr;
	pnum		 remote_port;
	const char	*tun_id;	/* `tun_id: A/B`: A */
	const char	*tun_id6;	/* B */
	const char	*remote_location;
	pnum		 network_id;
	const char	*transport;	/* "UDP", "TCP" */
	const char	*vif_local;	/* virtual-interface-addr: A -> B */
	const char	*vif_remote;
	pnum		 created_ago_s;
	pnum		 auto_discovery;	/* `auto-discovery: 1 sender` */
	const char	*auto_discovery_role;	/* "sender", "receiver" */
	const char	*peer_id;
	int		 peer_id_auth;	/* `peer-id-auth:`/`peer-auth:` */
	const char	*xauth_user;
	const char	*eap_user;
	int		 two_fa;
	const char	*groups;
	const char	*forticlient_uid;
	const char	*assigned_ipv4;	/* as printed, "addr/mask" */
	int		 nat_me;	/* -1: no nat: line */
	int		 nat_peer;
	pnum		 pending_queue;
	int		 ppk;
	struct ike_gateway_counts ike;
	struct ike_gateway_counts ipsec;

	struct ike_gateway_sa	*sas;
	size_t		 nsas;
	size_t		 sacap;

	/* Dial-up relationship, derived after parsing (see above). */
	const char	*parent;
	pnum		 instance;	/* N in NAME_N */
	const char	**children;	/* listed instances, as printed */
	size_t		 nchildren;
};

struct ike_gateway_list {
	struct parena	*arena;
	struct ike_gateway *gws;
	size_t		 n;
	size_t		 cap;
};

/*
 * The streaming form, for listings of any size: fn gets each gateway,
 * complete and linked, in the order printed, and may keep nothing it
 * points to past its return (the gateway is dropped then).  The text is
 * read twice, the first time for the names the dial-up links need, so
 * memory holds one gateway and the names, whatever the output.  Returns
 * 0, -1 when memory runs out, or the first non-zero fn returned (which
 * stops the walk).
 */
typedef int (*ike_gateway_fn)(const struct ike_gateway *, void *);
int	ike_gateway_each(const char *, size_t, ike_gateway_fn, void *);

/* The whole list, on the same parser.  NULL only when memory runs out. */
struct ike_gateway_list	*ike_gateway_list_parse(const char *, size_t);
void			 ike_gateway_list_free(struct ike_gateway_list *);

#endif
