/* SPDX-License-Identifier: ISC */
/*
 * ike_gateway - parse `diagnose vpn ike gateway list` and `get vpn ike
 * gateway`; see the header for the format and the rules.
 *
 * The parser is line driven: each line is reduced to what a terminal
 * shows (pager remnants, CR erase sequences and indentation go), matched
 * as "key: value", and given to the current SA when the key is one an SA
 * prints and an SA is open, else to the current gateway.  Indentation is
 * not relied on: pasted output often loses it.  One table holds every
 * key, looked up once a line: where the plain fields go, and what the
 * lines with structure (addr, status, the counters...) are, which have
 * their own small functions.  The dial-up parent/instance links are
 * worked out at the end, when every gateway name is known.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike_gateway.h"

enum ig_type {
	IG_STR,		/* the trimmed value; empty stays NULL */
	IG_NUM,		/* one decimal number */
	IG_BOOL		/* yes/no */
};

/* What a line is, by its key. */
enum ig_what {
	IG_SKIP,	/* key material: never even copied */
	IG_VD,		/* vd and name open a gateway */
	IG_NAME,
	IG_ID_SPI,	/* opens an SA */
	IG_STATUS,	/* the open SA's: IG_STATUS to IG_SA_FIELD */
	IG_LIFETIME,
	IG_DPD,
	IG_MSGID,
	IG_SA_FIELD,
	IG_INTERFACE,	/* the gateway's */
	IG_ADDR,
	IG_VIF,
	IG_TUN_ID,
	IG_CREATED,
	IG_AUTO_DISCOVERY,
	IG_NAT,
	IG_GW_FIELD
};
#define IG_SA_LINE(w)	((w) >= IG_STATUS && (w) <= IG_SA_FIELD)

/* IG_SA_FIELD, IG_GW_FIELD: a plain field, stored by type at off. */
struct ig_key {
	const char	*key;
	size_t		 len;
	enum ig_what	 what;
	enum ig_type	 type;
	size_t		 off;
};

#define IG_K(k, w)		{ k, sizeof(k) - 1, w, IG_STR, 0 }
#define IG_GW(k, t, f)		{ k, sizeof(k) - 1, IG_GW_FIELD, t, \
				    offsetof(struct ike_gateway, f) }
#define IG_SA(k, t, f)		{ k, sizeof(k) - 1, IG_SA_FIELD, t, \
				    offsetof(struct ike_gateway_sa, f) }

/*
 * Every key, in the order FortiOS prints them (the common ones first).
 * A key is the text before a line's first ':'.  PPK and peer-id are
 * printed by SAs and gateways both: the SA's entry comes first and is
 * taken while an SA is open.
 */
static const struct ig_key ig_keys[] = {
	IG_K("vd",			IG_VD),
	IG_K("name",			IG_NAME),
	IG_GW("version",		IG_NUM,  version),
	IG_K("interface",		IG_INTERFACE),
	IG_K("addr",			IG_ADDR),
	IG_K("created",			IG_CREATED),
	IG_K("id/spi",			IG_ID_SPI),
	IG_SA("direction",		IG_STR,  direction),
	IG_K("status",			IG_STATUS),
	IG_SA("proposal",		IG_STR,  proposal),
	IG_K("key",			IG_SKIP),
	IG_K("lifetime/rekey",		IG_LIFETIME),
	IG_K("DPD sent/recv",		IG_DPD),
	IG_K("message-id sent/recv",	IG_MSGID),
	IG_SA("child",			IG_BOOL, child),
	IG_SA("PPK",			IG_BOOL, ppk),
	IG_SA("QKD",			IG_BOOL, qkd),
	IG_SA("peer-id",		IG_STR,  peer_id),
	IG_K("virtual-interface-addr",	IG_VIF),
	IG_K("tun_id",			IG_TUN_ID),
	IG_K("auto-discovery",		IG_AUTO_DISCOVERY),
	IG_K("nat",			IG_NAT),
	IG_GW("remote_location",	IG_STR,  remote_location),
	IG_GW("network-id",		IG_NUM,  network_id),
	IG_GW("transport",		IG_STR,  transport),
	IG_GW("peer-id",		IG_STR,  peer_id),
	IG_GW("peer-id-auth",		IG_BOOL, peer_id_auth),
	IG_GW("peer-auth",		IG_BOOL, peer_id_auth),	/* get */
	IG_GW("xauth-user",		IG_STR,  xauth_user),
	IG_GW("eap-user",		IG_STR,  eap_user),
	IG_GW("2FA",			IG_BOOL, two_fa),
	IG_GW("groups",			IG_STR,  groups),
	IG_GW("FortiClient UID",	IG_STR,  forticlient_uid),
	IG_GW("assigned IPv4 address",	IG_STR,  assigned_ipv4),
	IG_GW("pending-queue",		IG_NUM,  pending_queue),
	IG_GW("PPK",			IG_BOOL, ppk)
};

struct ig_index;

/* Streaming: one gateway at a time, dropped once fn has seen it. */
struct ig_run {
	struct ike_gateway_list	*r;
	ike_gateway_fn		 fn;	/* NULL: keep every gateway */
	void			*arg;
	const struct ig_index	*ix;	/* second pass: every name */
	struct ig_index		*names;	/* first pass: index every name */
	const char		*name;	/* the current gateway's, as stored */
	size_t			 namelen; /* (first pass only) */
	struct parena		*keep;	/* first pass: names with a NUL */
	size_t			 gi;	/* gateways ended so far */
	int			 fnrc;	/* fn's non-zero return */
};

static int	ig_emit(struct ig_run *);

static struct ike_gateway *
ig_cur_gw(struct ike_gateway_list *r)
{
	return (r->n > 0 ? &r->gws[r->n - 1] : NULL);
}

static struct ike_gateway_sa *
ig_cur_sa(struct ike_gateway *gw)
{
	return (gw->nsas > 0 ? &gw->sas[gw->nsas - 1] : NULL);
}

/* A copy in the arena; an empty value stays NULL (unknown). */
static int
ig_dup(struct ike_gateway_list *r, const char **to, const char *s, size_t n)
{
	if (n == 0)
		return (0);
	return ((*to = pa_strndup(r->arena, s, n)) == NULL ? -1 : 0);
}

/*
 * The entry for key (s, kn), or NULL; an SA's keys only while one is
 * open.  Most keys differ from a line's in length or first letter.
 */
static const struct ig_key *
ig_lookup(const char *s, size_t kn, int sa_open)
{
	const struct ig_key	*k;
	size_t			 i;

	for (i = 0; i < sizeof(ig_keys) / sizeof(ig_keys[0]); i++) {
		k = &ig_keys[i];
		if (k->len == kn && k->key[0] == s[0] &&
		    memcmp(k->key, s, kn) == 0 &&
		    (sa_open || !IG_SA_LINE(k->what)))
			return (k);
	}
	return (NULL);
}

/* A number that is the whole of (s, n): "0" yes, "0x" no. */
static pnum
ig_whole_num(const char *s, size_t n)
{
	pnum	v;

	if (n == 0 || pu_num(s, n, &v) != n)
		return (PNUM_UNKNOWN);
	return (v);
}

static int
ig_yesno(const char *s, size_t n)
{
	if ((n == 3 && memcmp(s, "yes", 3) == 0) ||
	    (n == 1 && s[0] == '1'))
		return (1);
	if ((n == 2 && memcmp(s, "no", 2) == 0) ||
	    (n == 1 && s[0] == '0'))
		return (0);
	return (-1);
}

/*
 * k numbers separated by '/' at the start of (s, n), after blanks; all
 * of them are stored or none.  Returns the characters read, 0 for none.
 */
static size_t
ig_slashed(const char *s, size_t n, pnum *out, size_t k, int hex)
{
	size_t	 i = 0, j, c;
	pnum	 v[3];

	if (k < 1 || k > 3)
		return (0);
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (j = 0; j < k; j++) {
		if (j > 0) {
			if (i >= n || s[i] != '/')
				return (0);
			i++;
		}
		c = hex ? pu_hex(s + i, n - i, &v[j]) :
		    pu_num(s + i, n - i, &v[j]);
		if (c == 0)
			return (0);
		i += c;
	}
	/* Not memcpy: a copy of any length costs more than three stores. */
	out[0] = v[0];
	if (k > 1)
		out[1] = v[1];
	if (k > 2)
		out[2] = v[2];
	return (i);
}

/*
 * The numbers after label (len long) where it first starts a word, with
 * or without a ':' ("created 1/2" in diagnose, "created: 1/2" in get,
 * "time 0/0/0", "state 3").  A word starts (s, n) or follows a space or
 * tab.
 */
static void
ig_nums(const char *s, size_t n, const char *label, size_t len, pnum *out,
    size_t k)
{
	const char	*p, *end = s + n;
	size_t		 i;

	for (p = s; (p = memchr(p, label[0], end - p)) != NULL; p++)
		if ((p == s || p[-1] == ' ' || p[-1] == '\t') &&
		    (size_t)(end - p) >= len && memcmp(p, label, len) == 0)
			break;
	if (p == NULL)
		return;
	i = p - s + len;
	if (i < n && s[i] == ':')
		i++;
	(void)ig_slashed(s + i, n - i, out, k, 0);
}
#define IG_NUMS(s, n, label, out, k) \
	ig_nums(s, n, label, sizeof(label) - 1, out, k)

/* The `IKE SA` and `IPsec SA` counters, in the order FortiOS prints them. */
struct ig_label {
	const char	*label;
	size_t		 len;
	size_t		 k;	/* how many numbers */
	size_t		 off;	/* the first one's offset */
};

#define IG_L(l, k, f)	\
	{ l, sizeof(l) - 1, k, offsetof(struct ike_gateway_counts, f) }

static const struct ig_label ig_count_labels[] = {
	IG_L("created",		2, created),
	IG_L("established",	2, established),
	IG_L("time",		3, time_ms)
};

/*
 * The label's numbers when it is the word after the blanks at *i, which
 * then moves past them; 0 when it is not (or they are not all read).
 */
static int
ig_label_at(const char *s, size_t n, size_t *i, const struct ig_label *l,
    pnum *out)
{
	size_t	j = *i, c;

	if (j >= n || (s[j] != ' ' && s[j] != '\t'))
		return (0);
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (n - j < l->len || memcmp(s + j, l->label, l->len) != 0)
		return (0);
	j += l->len;
	if (j < n && s[j] == ':')
		j++;
	if ((c = ig_slashed(s + j, n - j, out, l->k, 0)) == 0)
		return (0);
	*i = j + c;
	return (1);
}

/* A plain field of base (a gateway or an SA); -1 when memory runs out. */
static int
ig_field(struct ike_gateway_list *r, void *base, const struct ig_key *k,
    const char *v, size_t vn)
{
	char	*p = (char *)base + k->off;

	switch (k->type) {
	case IG_STR:
		return (ig_dup(r, (const char **)(void *)p, v, vn));
	case IG_NUM:
		*(pnum *)(void *)p = ig_whole_num(v, vn);
		break;
	case IG_BOOL:
		*(int *)(void *)p = ig_yesno(v, vn);
		break;
	}
	return (0);
}

static void
ig_counts_init(struct ike_gateway_counts *c)
{
	c->created[0] = c->created[1] = PNUM_UNKNOWN;
	c->established[0] = c->established[1] = PNUM_UNKNOWN;
	c->time_ms[0] = c->time_ms[1] = c->time_ms[2] = PNUM_UNKNOWN;
}

/* New slots from pa_grow are zeroed: only the unknowns are set. */
static struct ike_gateway *
ig_new_gw(struct ike_gateway_list *r)
{
	struct ike_gateway	*gw;

	if (pa_grow(r->arena, (void **)&r->gws, &r->cap, r->n + 1,
	    sizeof(*gw)) != 0)
		return (NULL);
	gw = &r->gws[r->n++];
	gw->vd_index = gw->version = gw->ifindex = PNUM_UNKNOWN;
	gw->local_port = gw->remote_port = PNUM_UNKNOWN;
	gw->network_id = gw->created_ago_s = PNUM_UNKNOWN;
	gw->auto_discovery = gw->pending_queue = PNUM_UNKNOWN;
	gw->instance = PNUM_UNKNOWN;
	gw->peer_id_auth = gw->two_fa = gw->ppk = -1;
	gw->nat_me = gw->nat_peer = -1;
	ig_counts_init(&gw->ike);
	ig_counts_init(&gw->ipsec);
	return (gw);
}

static struct ike_gateway_sa *
ig_new_sa(struct ike_gateway_list *r, struct ike_gateway *gw)
{
	struct ike_gateway_sa	*sa;

	if (pa_grow(r->arena, (void **)&gw->sas, &gw->sacap, gw->nsas + 1,
	    sizeof(*sa)) != 0)
		return (NULL);
	sa = &gw->sas[gw->nsas++];
	sa->id = sa->state = sa->started_ago_s = PNUM_UNKNOWN;
	sa->created_ago_s = sa->established_ago_s = PNUM_UNKNOWN;
	sa->negotiation_ms = sa->lifetime = sa->rekey = PNUM_UNKNOWN;
	sa->dpd_sent = sa->dpd_recv = PNUM_UNKNOWN;
	sa->msgid_sent = sa->msgid_recv = PNUM_UNKNOWN;
	sa->child = sa->ppk = sa->qkd = -1;
	return (sa);
}

/*
 * "10.0.0.1:500", "2001:db8::1:500" or "[2001:db8::1]:500" when port is
 * given; the whole text is the address when port is NULL (the
 * virtual-interface addresses have no port, and an IPv6 one must not
 * lose its last group to a port).
 */
static int
ig_endpoint(struct ike_gateway_list *r, const char *s, size_t n,
    const char **addr, pnum *port)
{
	pu_trim(&s, &n);
	if (port != NULL && pu_addr_port(s, n, &s, &n, port) != 0)
		*port = PNUM_UNKNOWN;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	return (ig_dup(r, addr, s, n));
}

/* "A -> B" (also "A ->B"). */
static int
ig_arrow(struct ike_gateway_list *r, const char *v, size_t vn, const char **la,
    pnum *lp, const char **ra, pnum *rp)
{
	long	at;

	if ((at = pu_find(v, vn, "->")) < 0)
		return (ig_endpoint(r, v, vn, la, lp));
	if (ig_endpoint(r, v, at, la, lp) != 0)
		return (-1);
	return (ig_endpoint(r, v + at + 2, vn - at - 2, ra, rp));
}

/* "port9 10", "wan link 1 12": the last word is the ifindex if numeric. */
static int
ig_interface(struct ike_gateway_list *r, struct ike_gateway *gw, const char *v,
    size_t vn)
{
	size_t	i;
	pnum	idx;

	for (i = vn; i > 0 && v[i - 1] != ' ' && v[i - 1] != '\t'; i--)
		continue;
	if ((idx = ig_whole_num(v + i, vn - i)) != PNUM_UNKNOWN) {
		gw->ifindex = idx;
		vn = i;
		pu_trim(&v, &vn);
	}
	/* "interface:  0" prints no name. */
	return (ig_dup(r, &gw->interface, v, vn));
}

/* "root/0": the VDOM name and index. */
static int
ig_vd(struct ike_gateway_list *r, struct ike_gateway *gw, const char *v,
    size_t vn)
{
	const char	*slash;
	size_t		 nn = vn;

	if ((slash = memchr(v, '/', vn)) != NULL) {
		nn = slash - v;
		gw->vd_index = ig_whole_num(slash + 1, vn - nn - 1);
	}
	return (ig_dup(r, &gw->vd, v, nn));
}

/* "10.0.0.2/::10.0.0.4": the IPv4 and the IPv6 tunnel id. */
static int
ig_tun_id(struct ike_gateway_list *r, struct ike_gateway *gw, const char *v,
    size_t vn)
{
	const char	*slash;
	size_t		 nn = vn;

	if ((slash = memchr(v, '/', vn)) != NULL) {
		nn = slash - v;
		if (ig_dup(r, &gw->tun_id6, slash + 1, vn - nn - 1) != 0)
			return (-1);
	}
	return (ig_dup(r, &gw->tun_id, v, nn));
}

/* "1 sender", "1 receiver", "0". */
static int
ig_auto_discovery(struct ike_gateway_list *r, struct ike_gateway *gw,
    const char *v, size_t vn)
{
	size_t	c;

	if ((c = pu_num(v, vn, &gw->auto_discovery)) == 0)
		return (0);
	v += c;
	vn -= c;
	pu_trim(&v, &vn);
	return (ig_dup(r, &gw->auto_discovery_role, v, vn));
}

/* "me", "peer", "me peer": the line is printed only when NAT was seen. */
static void
ig_nat(struct ike_gateway *gw, const char *v, size_t vn)
{
	const char	*w;
	size_t		 wn, pos = 0;

	gw->nat_me = gw->nat_peer = 0;
	while (pu_word(v, vn, &pos, &w, &wn)) {
		if (wn == 2 && memcmp(w, "me", 2) == 0)
			gw->nat_me = 1;
		else if (wn == 4 && memcmp(w, "peer", 4) == 0)
			gw->nat_peer = 1;
	}
}

/* "0 33b5335c7174437e/c89906c6196f3cd7": the id, then the SPI pair. */
static int
ig_id_spi(struct ike_gateway_list *r, struct ike_gateway_sa *sa, const char *v,
    size_t vn)
{
	const char	*w, *slash;
	size_t		 wn, pos = 0;

	if (!pu_word(v, vn, &pos, &w, &wn))
		return (0);
	if ((sa->id = ig_whole_num(w, wn)) != PNUM_UNKNOWN &&
	    !pu_word(v, vn, &pos, &w, &wn))
		return (0);
	if ((slash = memchr(w, '/', wn)) == NULL)
		return (ig_dup(r, &sa->spi_i, w, wn));
	if (ig_dup(r, &sa->spi_i, w, slash - w) != 0)
		return (-1);
	return (ig_dup(r, &sa->spi_r, slash + 1, wn - (slash - w) - 1));
}

/*
 * "established 139-139s ago = 0ms": seconds since the SA began, since
 * it was established, and how long the negotiation took (5.6 may print
 * one number: then it is the established age).
 * "connecting, state 3, started 15s ago".
 */
static int
ig_status(struct ike_gateway_list *r, struct ike_gateway_sa *sa, const char *v,
    size_t vn)
{
	size_t	w, i, c;
	pnum	a, b;

	for (w = 0; w < vn && (isalnum((unsigned char)v[w]) || v[w] == '_' ||
	    v[w] == '-'); w++)
		continue;
	if (w == 0)
		return (0);
	if (ig_dup(r, &sa->status, v, w) != 0)
		return (-1);
	IG_NUMS(v + w, vn - w, "state", &sa->state, 1);
	IG_NUMS(v + w, vn - w, "started", &sa->started_ago_s, 1);
	IG_NUMS(v + w, vn - w, "=", &sa->negotiation_ms, 1);
	for (i = w; i < vn && v[i] == ' '; i++)
		continue;
	if ((c = pu_num(v + i, vn - i, &a)) == 0)
		return (0);
	i += c;
	if (i < vn && v[i] == '-' && pu_num(v + i + 1, vn - i - 1, &b) > 0) {
		sa->created_ago_s = a;
		sa->established_ago_s = b;
	} else
		sa->established_ago_s = a;
	return (0);
}

/*
 * A line of the open SA's.  The counters are read right after the key,
 * whose labels (lifetime/rekey, sent/recv) end it: from raw, where only
 * blanks may come before them, not all the white space v lost.
 */
static int
ig_sa_line(struct ike_gateway_list *r, struct ike_gateway *gw,
    struct ike_gateway_sa *sa, const struct ig_key *k, const char *v,
    size_t vn, const char *raw, size_t rawn)
{
	pnum	p[2] = { PNUM_UNKNOWN, PNUM_UNKNOWN };
	int	rc = 0;

	switch (k->what) {
	case IG_STATUS:
		rc = ig_status(r, sa, v, vn);
		break;
	case IG_LIFETIME:
		(void)ig_slashed(raw, rawn, p, 2, 0);
		sa->lifetime = p[0];
		sa->rekey = p[1];
		break;
	case IG_DPD:
		/* FortiOS prints the DPD counters in hex. */
		(void)ig_slashed(raw, rawn, p, 2, 1);
		sa->dpd_sent = p[0];
		sa->dpd_recv = p[1];
		break;
	case IG_MSGID:
		(void)ig_slashed(raw, rawn, p, 2, 0);
		sa->msgid_sent = p[0];
		sa->msgid_recv = p[1];
		break;
	default:
		rc = ig_field(r, sa, k, v, vn);
		break;
	}
	/* 7.x prints the peer id in the SA only. */
	if (gw->peer_id == NULL)
		gw->peer_id = sa->peer_id;
	return (rc);
}

/*
 * `vd:` and `name:` open a gateway.  Both orders occur, so one opens a
 * new gateway only when the current one already has it (or has gone
 * past its opening lines).
 */
static int
ig_open_line(struct ig_run *run, int isvd, const char *v, size_t vn)
{
	struct ike_gateway_list	*r = run->r;
	struct ike_gateway	*gw = ig_cur_gw(r);
	int			 full;

	if (gw == NULL || gw->nsas > 0)
		full = 1;
	else if (isvd)
		full = gw->vd != NULL || gw->version != PNUM_UNKNOWN ||
		    gw->local_addr != NULL;
	else
		full = gw->name != NULL;
	if (full && (ig_emit(run) != 0 || (gw = ig_new_gw(r)) == NULL))
		return (-1);
	if (isvd)
		return (ig_vd(r, gw, v, vn));
	if (ig_dup(r, &gw->name, v, vn) != 0)
		return (-1);
	if (run->names != NULL) {
		/*
		 * The index's key must read as the stored name: the input,
		 * unless a NUL in it was made visible (pa_strndup); then a
		 * copy that outlives the gateway's arena.
		 */
		run->name = v;
		run->namelen = vn;
		if (vn > 0 && memchr(v, '\0', vn) != NULL) {
			if ((run->keep == NULL &&
			    (run->keep = pa_new()) == NULL) ||
			    (run->name = pa_strndup(run->keep, v, vn)) ==
			    NULL)
				return (-1);
			run->namelen = strlen(run->name);
		}
	}
	return (0);
}

static int
ig_gw_line(struct ike_gateway_list *r, struct ike_gateway *gw,
    const struct ig_key *k, const char *v, size_t vn)
{
	switch (k->what) {
	case IG_INTERFACE:
		return (ig_interface(r, gw, v, vn));
	case IG_ADDR:
		return (ig_arrow(r, v, vn, &gw->local_addr, &gw->local_port,
		    &gw->remote_addr, &gw->remote_port));
	case IG_VIF:
		return (ig_arrow(r, v, vn, &gw->vif_local, NULL,
		    &gw->vif_remote, NULL));
	case IG_TUN_ID:
		return (ig_tun_id(r, gw, v, vn));
	case IG_CREATED:
		(void)pu_num(v, vn, &gw->created_ago_s);
		return (0);
	case IG_AUTO_DISCOVERY:
		return (ig_auto_discovery(r, gw, v, vn));
	case IG_NAT:
		ig_nat(gw, v, vn);
		return (0);
	default:
		return (ig_field(r, gw, k, v, vn));
	}
}

/* (s, n) starts with the literal p. */
#define IG_STARTS(s, n, p) \
	((n) >= sizeof(p) - 1 && memcmp((s), (p), sizeof(p) - 1) == 0)

/* The value after a key: the line's end is trimmed already. */
static void
ig_value(const char **v, size_t *vn)
{
	/* As pu_trim: isspace in the C locale. */
	while (*vn > 0 && (**v == ' ' || (**v >= '\t' && **v <= '\r'))) {
		(*v)++;
		(*vn)--;
	}
}

/*
 * "IKE SA ..." and "IPsec SA ...": 1 when the line is one of them.  Each
 * label is read where FortiOS prints it first, the word after the
 * numbers before it:
 *   IKE SA: created 1/1  established 1/1  time 0/0/0 ms	(diagnose)
 *   IKE SA  created: 2/2  established: 2/2  time: 3/10/21 ms	(get)
 * The words before it are then the prefix's, labels and numbers, none
 * of which starts with it, so that is where a search would find it.
 * From the first label that is not there on, each is searched.
 */
static int
ig_counts_line(struct ike_gateway *gw, const char *s, size_t n)
{
	const struct ig_label		*l;
	struct ike_gateway_counts	*c;
	pnum				*out;
	size_t				 i, j;
	int				 at = 1;

	if (IG_STARTS(s, n, "IKE SA")) {
		i = sizeof("IKE SA") - 1;
		c = gw != NULL ? &gw->ike : NULL;
	} else if (IG_STARTS(s, n, "IPsec SA")) {
		i = sizeof("IPsec SA") - 1;
		c = gw != NULL ? &gw->ipsec : NULL;
	} else
		return (0);
	if (c == NULL)
		return (1);
	if (i < n && s[i] == ':')
		i++;
	for (j = 0; j < sizeof(ig_count_labels) / sizeof(*l); j++) {
		l = &ig_count_labels[j];
		out = (pnum *)(void *)((char *)c + l->off);
		if (!(at = at && ig_label_at(s, n, &i, l, out)))
			ig_nums(s, n, l->label, l->len, out, l->k);
	}
	return (1);
}

static int
ig_line(struct ig_run *run, const char *s, size_t n)
{
	struct ike_gateway	*gw;
	struct ike_gateway_sa	*sa = NULL;
	const struct ig_key	*k;
	const char		*colon, *raw, *v;
	size_t			 rawn, vn;

	pu_visible(&s, &n);
	if (n == 0)
		return (0);
	if ((gw = ig_cur_gw(run->r)) != NULL)
		sa = ig_cur_sa(gw);
	/*
	 * Lines known by how they start, none like a key of ig_keys: the
	 * IKEv2 key material, and the counters, whose first ':' moves
	 * ("IKE SA: created 1/1" in diagnose, "IKE SA  created: 2/2" in
	 * get).
	 */
	if (IG_STARTS(s, n, "SK_") || ig_counts_line(gw, s, n))
		return (0);
	if ((colon = memchr(s, ':', n)) == NULL ||
	    (k = ig_lookup(s, colon - s, sa != NULL)) == NULL)
		return (0);
	if (k->what == IG_SKIP)
		return (0);	/* key material: the value is not looked at */
	raw = v = colon + 1;
	rawn = vn = n - (raw - s);
	ig_value(&v, &vn);
	if (k->what == IG_VD || k->what == IG_NAME)
		return (ig_open_line(run, k->what == IG_VD, v, vn));
	if (gw == NULL)
		return (0);	/* echo, prompt, text before the first block */
	if (k->what == IG_ID_SPI) {
		if ((sa = ig_new_sa(run->r, gw)) == NULL)
			return (-1);
		return (ig_id_spi(run->r, sa, v, vn));
	}
	if (IG_SA_LINE(k->what))
		return (ig_sa_line(run->r, gw, sa, k, v, vn, raw, rawn));
	return (ig_gw_line(run->r, gw, k, v, vn));
}

/*
 * Dial-up instances.  FortiOS names each instance of a dial-up phase 1
 * "<phase1>_<n>", and this output has no field naming the parent (unlike
 * `diagnose vpn tunnel list`'s parent=), so the link is read from the
 * names.  Static tunnels are often called "branch_1", "branch_2" too, so
 * the name alone is not enough, nor are siblings: an instance is linked
 * only when its parent is listed too or when its own block shows it is
 * a dial-up client.  Gateway names are unique on a FortiGate (they are
 * interface names), so the VDOM does not enter into it.
 *
 * The links need every name, while a gateway is best written out as
 * soon as it ends (a listing can be huge, see ike_gateway_each).  So
 * the names go into an index first: every gateway under its own name as
 * a possible parent, and every "NAME_N" a second time under NAME as an
 * instance.  Sorted by (key, parents first, output order), each key's
 * run holds the parent, if listed, followed by its instances as printed;
 * each gateway is then linked on its own, with two lookups, whether the
 * whole list is kept or each gateway is dropped once written.
 */
struct ig_link {
	const char	*key;	/* the gateway's name; not NUL-terminated */
	size_t		 gi;	/* the output order */
	uint32_t	 klen;	/* NAME of NAME_N (an instance entry) */
	uint32_t	 nlen;	/* the whole name (klen: a parent entry) */
};
#define IG_INST(e)	((e)->klen != (e)->nlen)

/* 24 bytes a name: streaming a listing keeps this and one gateway. */
struct ig_index {
	struct ig_link	*l;
	size_t		 n;
	size_t		 cap;
};

static int
ig_link_cmp(const void *x, const void *y)
{
	const struct ig_link	*a = x, *b = y;
	int			 c;

	c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);
	if (c != 0)
		return (c);
	if (a->klen != b->klen)
		return (a->klen < b->klen ? -1 : 1);
	if (IG_INST(a) != IG_INST(b))
		return (IG_INST(a) ? 1 : -1);
	return (a->gi < b->gi ? -1 : a->gi > b->gi);
}

/* "NAME_12": the length of NAME, and 12.  0 when not such a name. */
static int
ig_instance_name(const char *name, size_t n, size_t *plen, pnum *inst)
{
	size_t	i = n;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i == n || i < 2 || name[i - 1] != '_')
		return (0);
	if ((*inst = ig_whole_num(name + i, n - i)) == PNUM_UNKNOWN)
		return (0);
	*plen = i - 1;
	return (1);
}

/* What a dial-up client instance shows in its own block. */
static int
ig_dialup_marks(const struct ike_gateway *gw)
{
	if (gw->xauth_user != NULL || gw->eap_user != NULL ||
	    gw->assigned_ipv4 != NULL)
		return (1);
	/* 7.x: a static peer's tun_id6 is ::<peer>, an instance's an id. */
	return (gw->tun_id != NULL && gw->tun_id6 != NULL &&
	    strncmp(gw->tun_id6, "::", 2) == 0 &&
	    strcmp(gw->tun_id6 + 2, gw->tun_id) != 0);
}

static int
ig_index_push(struct ig_index *ix, const struct ig_link *e)
{
	struct ig_link	*l;
	size_t		 ncap;

	if (ix->n == ix->cap) {
		ncap = ix->cap == 0 ? 64 : ix->cap * 2;
		if (ncap > SIZE_MAX / 2 / sizeof(*l) ||
		    (l = realloc(ix->l, ncap * sizeof(*l))) == NULL)
			return (-1);
		ix->l = l;
		ix->cap = ncap;
	}
	ix->l[ix->n++] = *e;
	return (0);
}

/* The gateway gi, named name (kept by the caller), under its keys. */
static int
ig_index_add(struct ig_index *ix, const char *name, size_t n, size_t gi)
{
	struct ig_link	 e;
	size_t		 plen;
	pnum		 inst;

	if (n > UINT32_MAX)
		return (0);	/* no such interface name: never linked */
	e.key = name;
	e.klen = e.nlen = n;
	e.gi = gi;
	if (ig_index_push(ix, &e) != 0)
		return (-1);
	if (ig_instance_name(name, n, &plen, &inst)) {
		e.klen = plen;
		return (ig_index_push(ix, &e));
	}
	return (0);
}

/* The first entry of key's run, or NULL. */
static const struct ig_link *
ig_index_find(const struct ig_index *ix, const char *key, size_t klen)
{
	size_t	lo = 0, hi = ix->n, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = memcmp(ix->l[mid].key, key, ix->l[mid].klen < klen ?
		    ix->l[mid].klen : klen);
		if (c < 0 || (c == 0 && ix->l[mid].klen < klen))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ix->n || ix->l[lo].klen != klen ||
	    memcmp(ix->l[lo].key, key, klen) != 0)
		return (NULL);
	return (&ix->l[lo]);
}

/*
 * Link gateway gi: its parent when it is an instance whose parent is
 * listed or that shows dial-up marks; its instances when it is the first
 * gateway of its name (a second one of the same name is ignored) and
 * some are listed.  Copies go into arena.
 */
static int
ig_link_gw(const struct ig_index *ix, struct parena *arena,
    struct ike_gateway *gw, size_t gi)
{
	const struct ig_link	*l, *end = ix->l + ix->n, *e;
	size_t			 plen, n, i, len;
	pnum			 inst;

	if (gw->name == NULL)
		return (0);
	len = strlen(gw->name);
	if (ig_instance_name(gw->name, len, &plen, &inst)) {
		l = ig_index_find(ix, gw->name, plen);
		if ((l != NULL && !IG_INST(l)) || ig_dialup_marks(gw)) {
			if ((gw->parent = pa_strndup(arena, gw->name,
			    plen)) == NULL)
				return (-1);
			gw->instance = inst;
		}
	}
	l = ig_index_find(ix, gw->name, len);
	if (l == NULL || IG_INST(l) || l->gi != gi)
		return (0);
	for (e = l + 1; e < end && !IG_INST(e) && e->klen == l->klen &&
	    memcmp(e->key, l->key, l->klen) == 0; e++)
		continue;
	for (n = 0; e + n < end && e[n].klen == l->klen &&
	    memcmp(e[n].key, l->key, l->klen) == 0; n++)
		continue;
	if (n == 0)
		return (0);
	if ((gw->children = pa_alloc(arena, n * sizeof(*gw->children))) ==
	    NULL)
		return (-1);
	for (i = 0; i < n; i++)
		if ((gw->children[i] = pa_strndup(arena, e[i].key,
		    e[i].nlen)) == NULL)
			return (-1);
	gw->nchildren = n;
	return (0);
}

/* The kept list's links, once every gateway is known. */
static int
ig_link_list(struct ike_gateway_list *r)
{
	struct ig_index	 ix;
	size_t		 i;
	int		 rc = 0;

	memset(&ix, 0, sizeof(ix));
	for (i = 0; i < r->n && rc == 0; i++)
		if (r->gws[i].name != NULL)
			rc = ig_index_add(&ix, r->gws[i].name,
			    strlen(r->gws[i].name), i);
	if (rc == 0 && ix.n > 0)
		qsort(ix.l, ix.n, sizeof(*ix.l), ig_link_cmp);
	for (i = 0; i < r->n && rc == 0; i++)
		rc = ig_link_gw(&ix, r->arena, &r->gws[i], i);
	free(ix.l);
	return (rc);
}

/*
 * Streaming: the gateway parsed so far is complete.  The first pass
 * indexes its name; the second links it, hands it to fn and drops it,
 * so memory holds one gateway whatever the listing.
 */
static int
ig_emit(struct ig_run *run)
{
	struct ike_gateway_list	*r = run->r;
	size_t			 gi = run->gi;

	if (run->fn == NULL || r->n == 0)
		return (0);
	run->gi++;
	if (run->names != NULL) {
		if (r->gws[0].name != NULL && ig_index_add(run->names,
		    run->name, run->namelen, gi) != 0)
			return (-1);
	} else {
		if (ig_link_gw(run->ix, r->arena, &r->gws[0], gi) != 0)
			return (-1);
		if ((run->fnrc = run->fn(&r->gws[0], run->arg)) != 0)
			return (-1);
	}
	pa_reset(r->arena);
	r->gws = NULL;
	r->n = r->cap = 0;
	return (0);
}

static int
ig_run(struct ig_run *run, const char *buf, size_t len)
{
	struct plines	 pl;
	const char	*s;
	size_t		 n;

	pl_init(&pl, buf, len);
	while (pl_next(&pl, &s, &n))
		if (ig_line(run, s, n) != 0)
			return (-1);
	return (ig_emit(run));
}

struct ike_gateway_list *
ike_gateway_list_parse(const char *buf, size_t len)
{
	struct ike_gateway_list	*r;
	struct parena		*pa;
	struct ig_run		 run;

	if ((r = pa_new_result(sizeof(*r), &pa)) == NULL)
		return (NULL);
	r->arena = pa;
	memset(&run, 0, sizeof(run));
	run.r = r;
	if (ig_run(&run, buf, len) != 0 || ig_link_list(r) != 0) {
		pa_free(pa);
		return (NULL);
	}
	return (r);
}

int
ike_gateway_each(const char *buf, size_t len, ike_gateway_fn fn, void *arg)
{
	struct ike_gateway_list	 r;
	struct ig_index		 ix;
	struct ig_run		 run;
	int			 rc = -1;

	memset(&r, 0, sizeof(r));
	memset(&ix, 0, sizeof(ix));
	memset(&run, 0, sizeof(run));
	if ((r.arena = pa_new()) == NULL)
		return (-1);
	run.r = &r;
	run.fn = fn;
	run.arg = arg;
	run.names = &ix;
	if (ig_run(&run, buf, len) != 0)
		goto out;
	if (ix.n > 0)		/* qsort wants an array, even empty */
		qsort(ix.l, ix.n, sizeof(*ix.l), ig_link_cmp);

	pa_reset(r.arena);
	r.gws = NULL;
	r.n = r.cap = 0;
	run.names = NULL;
	run.ix = &ix;
	run.gi = 0;
	if (ig_run(&run, buf, len) == 0)
		rc = 0;
	else if (run.fnrc != 0)
		rc = run.fnrc;
out:
	free(ix.l);
	pa_free(run.keep);
	pa_free(r.arena);
	return (rc);
}

void
ike_gateway_list_free(struct ike_gateway_list *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
