/*
 * ike_gateway - parse `diagnose vpn ike gateway list` and `get vpn ike
 * gateway`; see the header for the format and the rules.
 *
 * The parser is line driven: each line is cleaned (pager remnants, CR
 * erase sequences, indentation), split at its first ':' into a key and
 * a value, and dispatched to the current SA when the key is one an SA
 * prints and an SA is open, else to the current gateway.  Indentation is
 * not relied on: pasted output often loses it.  A table holds the plain
 * fields; the lines with structure (addr, status, the counters...) have
 * their own small functions.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ike_gateway.h"

enum ikf_type {
	IKF_STR,	/* the trimmed value; empty stays NULL */
	IKF_NUM,	/* one decimal number */
	IKF_BOOL	/* yes/no */
};

struct ikf {
	const char	*key;
	enum ikf_type	 type;
	size_t		 off;
};

#define GW(f)	offsetof(struct ikeg_gateway, f)
#define SA(f)	offsetof(struct ikeg_sa, f)

static const struct ikf gw_fields[] = {
	{ "version",		IKF_NUM,  GW(version) },
	{ "remote_location",	IKF_STR,  GW(remote_location) },
	{ "network-id",		IKF_NUM,  GW(network_id) },
	{ "transport",		IKF_STR,  GW(transport) },
	{ "peer-id",		IKF_STR,  GW(peer_id) },
	{ "peer-id-auth",	IKF_BOOL, GW(peer_id_auth) },
	{ "peer-auth",		IKF_BOOL, GW(peer_id_auth) },
	{ "xauth-user",		IKF_STR,  GW(xauth_user) },
	{ "eap-user",		IKF_STR,  GW(eap_user) },
	{ "2FA",		IKF_BOOL, GW(two_fa) },
	{ "groups",		IKF_STR,  GW(groups) },
	{ "FortiClient UID",	IKF_STR,  GW(forticlient_uid) },
	{ "assigned IPv4 address", IKF_STR, GW(assigned_ipv4) },
	{ "pending-queue",	IKF_NUM,  GW(pending_queue) },
	{ "PPK",		IKF_BOOL, GW(ppk) },
	{ NULL,			IKF_STR,  0 }
};

static const struct ikf sa_fields[] = {
	{ "direction",		IKF_STR,  SA(direction) },
	{ "proposal",		IKF_STR,  SA(proposal) },
	{ "child",		IKF_BOOL, SA(child) },
	{ "PPK",		IKF_BOOL, SA(ppk) },
	{ "QKD",		IKF_BOOL, SA(qkd) },
	{ "peer-id",		IKF_STR,  SA(peer_id) },
	{ NULL,			IKF_STR,  0 }
};

static struct ikeg_gateway *
cur_gw(struct ike_gateway *r)
{
	return (r->n > 0 ? &r->gws[r->n - 1] : NULL);
}

static struct ikeg_sa *
cur_sa(struct ikeg_gateway *gw)
{
	return (gw != NULL && gw->nsas > 0 ? &gw->sas[gw->nsas - 1] : NULL);
}

static char *
dup(struct ike_gateway *r, const char *s, size_t n)
{
	return (pa_strndup(r->arena, s, n));
}

/* "key: value" at the start of a cleaned line; the value is trimmed. */
static int
ik_key(const char *s, size_t n, const char *key, const char **v, size_t *vn)
{
	size_t	k = strlen(key);

	if (n < k + 1 || memcmp(s, key, k) != 0 || s[k] != ':')
		return (0);
	*v = s + k + 1;
	*vn = n - k - 1;
	pu_trim(v, vn);
	return (1);
}

/* A number that is the whole of (s, n): "0" yes, "0x" no. */
static pnum
whole_num(const char *s, size_t n)
{
	pnum	v;

	if (n == 0 || pu_num(s, n, &v) != n)
		return (PNUM_UNKNOWN);
	return (v);
}

static int
yesno(const char *s, size_t n)
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
 * Numbers separated by '/' after a label ("created 1/2", "created: 1/2",
 * "time 0/0/0"), found at a word start; all of them or none.
 */
static void
lab_nums(const char *s, size_t n, const char *label, pnum *out, size_t k,
    int hex)
{
	size_t	 i, j, c, off = 0, llen = strlen(label);
	long	 at;
	pnum	 v[3];

	if (k > 3)
		return;
	for (;;) {
		if (off >= n || (at = pu_find(s + off, n - off, label)) < 0)
			return;
		i = off + at;
		off = i + 1;
		if (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')
			break;
	}
	i += llen;
	if (i < n && s[i] == ':')
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (j = 0; j < k; j++) {
		if (j > 0) {
			if (i >= n || s[i] != '/')
				return;
			i++;
		}
		c = hex ? pu_hex(s + i, n - i, &v[j]) : pu_num(s + i, n - i,
		    &v[j]);
		if (c == 0)
			return;
		i += c;
	}
	for (j = 0; j < k; j++)
		out[j] = v[j];
}

static void
set_field(struct ike_gateway *r, void *base, const struct ikf *f,
    const char *v, size_t vn, int *err)
{
	char	*p = (char *)base + f->off;
	char	*str;

	switch (f->type) {
	case IKF_STR:
		if (vn == 0)
			return;
		if ((str = dup(r, v, vn)) == NULL)
			*err = 1;
		memcpy(p, &str, sizeof(str));
		break;
	case IKF_NUM:
		*(pnum *)(void *)p = whole_num(v, vn);
		break;
	case IKF_BOOL:
		*(int *)(void *)p = yesno(v, vn);
		break;
	}
}

/* Look the key up in a table; 1 when it was one of its fields. */
static int
table(struct ike_gateway *r, void *base, const struct ikf *t, const char *s,
    size_t n, int *err)
{
	const char	*v;
	size_t		 vn;

	for (; t->key != NULL; t++) {
		if (ik_key(s, n, t->key, &v, &vn)) {
			set_field(r, base, t, v, vn, err);
			return (1);
		}
	}
	return (0);
}

static void
counts_init(struct ikeg_counts *c)
{
	c->created[0] = c->created[1] = PNUM_UNKNOWN;
	c->established[0] = c->established[1] = PNUM_UNKNOWN;
	c->time_ms[0] = c->time_ms[1] = c->time_ms[2] = PNUM_UNKNOWN;
}

static int
new_gw(struct ike_gateway *r)
{
	struct ikeg_gateway	*gw;

	if (pa_grow(r->arena, (void **)&r->gws, &r->cap, r->n + 1,
	    sizeof(*gw)) != 0)
		return (-1);
	gw = &r->gws[r->n++];
	memset(gw, 0, sizeof(*gw));
	gw->vd_index = gw->version = gw->ifindex = PNUM_UNKNOWN;
	gw->local_port = gw->remote_port = PNUM_UNKNOWN;
	gw->network_id = gw->created_ago_s = PNUM_UNKNOWN;
	gw->auto_discovery = gw->pending_queue = PNUM_UNKNOWN;
	gw->instance = PNUM_UNKNOWN;
	gw->peer_id_auth = gw->two_fa = gw->ppk = -1;
	gw->nat_me = gw->nat_peer = -1;
	counts_init(&gw->ike);
	counts_init(&gw->ipsec);
	return (0);
}

static int
new_sa(struct ike_gateway *r, struct ikeg_gateway *gw)
{
	struct ikeg_sa	*sa;

	if (pa_grow(r->arena, (void **)&gw->sas, &gw->sacap, gw->nsas + 1,
	    sizeof(*sa)) != 0)
		return (-1);
	sa = &gw->sas[gw->nsas++];
	memset(sa, 0, sizeof(*sa));
	sa->id = sa->state = sa->started_ago_s = PNUM_UNKNOWN;
	sa->created_ago_s = sa->established_ago_s = PNUM_UNKNOWN;
	sa->negotiation_ms = sa->lifetime = sa->rekey = PNUM_UNKNOWN;
	sa->dpd_sent = sa->dpd_recv = PNUM_UNKNOWN;
	sa->msgid_sent = sa->msgid_recv = PNUM_UNKNOWN;
	sa->child = sa->ppk = sa->qkd = -1;
	return (0);
}

/* "10.0.0.1:500" or "[2001:db8::1]:500"; without a port, all is addr. */
static int
endpoint(struct ike_gateway *r, const char *s, size_t n, const char **addr,
    pnum *port)
{
	const char	*a;
	size_t		 an;

	pu_trim(&s, &n);
	if (n == 0)
		return (0);
	if (pu_addr_port(s, n, &a, &an, port) != 0) {
		a = s;
		an = n;
		*port = PNUM_UNKNOWN;
	}
	if (an >= 2 && a[0] == '[' && a[an - 1] == ']') {
		a++;
		an -= 2;
	}
	if (an == 0)
		return (0);
	return ((*addr = dup(r, a, an)) == NULL ? -1 : 0);
}

/* "A -> B" (also "A ->B"): both sides, each maybe with a port. */
static int
arrow(struct ike_gateway *r, const char *v, size_t vn, const char **la,
    pnum *lp, const char **ra, pnum *rp)
{
	long	at;
	pnum	dummy;

	if ((at = pu_find(v, vn, "->")) < 0)
		return (endpoint(r, v, vn, la, lp != NULL ? lp : &dummy));
	if (endpoint(r, v, at, la, lp != NULL ? lp : &dummy) != 0)
		return (-1);
	return (endpoint(r, v + at + 2, vn - at - 2, ra,
	    rp != NULL ? rp : &dummy));
}

/* "port9 10": the last token is the ifindex when it is a number. */
static int
interface(struct ike_gateway *r, struct ikeg_gateway *gw, const char *v,
    size_t vn)
{
	size_t	i;
	pnum	idx;

	for (i = vn; i > 0 && v[i - 1] != ' ' && v[i - 1] != '\t'; i--)
		continue;
	if ((idx = whole_num(v + i, vn - i)) != PNUM_UNKNOWN) {
		gw->ifindex = idx;
		vn = i;
		pu_trim(&v, &vn);
	}
	if (vn == 0)
		return (0);	/* "interface:  0": no name printed */
	return ((gw->interface = dup(r, v, vn)) == NULL ? -1 : 0);
}

/* "root/0" */
static int
vd(struct ike_gateway *r, struct ikeg_gateway *gw, const char *v, size_t vn)
{
	const char	*slash;
	size_t		 nn = vn;

	if ((slash = memchr(v, '/', vn)) != NULL) {
		nn = slash - v;
		gw->vd_index = whole_num(slash + 1, vn - nn - 1);
	}
	return ((gw->vd = dup(r, v, nn)) == NULL ? -1 : 0);
}

/* "A/B" of tun_id; A alone when there is no '/'. */
static int
tun_id(struct ike_gateway *r, struct ikeg_gateway *gw, const char *v,
    size_t vn)
{
	const char	*slash;
	size_t		 a = vn;

	if (vn == 0)
		return (0);
	if ((slash = memchr(v, '/', vn)) != NULL) {
		a = slash - v;
		if (vn - a - 1 > 0 && (gw->tun_id6 = dup(r, slash + 1,
		    vn - a - 1)) == NULL)
			return (-1);
	}
	if (a > 0 && (gw->tun_id = dup(r, v, a)) == NULL)
		return (-1);
	return (0);
}

/* "1 sender", "1 receiver", "0". */
static int
auto_discovery(struct ike_gateway *r, struct ikeg_gateway *gw,
    const char *v, size_t vn)
{
	size_t	c;
	pnum	x;

	if ((c = pu_num(v, vn, &x)) == 0)
		return (0);
	gw->auto_discovery = x;
	v += c;
	vn -= c;
	pu_trim(&v, &vn);
	if (vn == 0)
		return (0);
	return ((gw->auto_discovery_role = dup(r, v, vn)) == NULL ? -1 : 0);
}

/* "me", "peer", "me peer". */
static void
nat(struct ikeg_gateway *gw, const char *v, size_t vn)
{
	size_t	i = 0, j;

	gw->nat_me = gw->nat_peer = 0;
	while (i < vn) {
		while (i < vn && (v[i] == ' ' || v[i] == '\t'))
			i++;
		for (j = i; j < vn && v[j] != ' ' && v[j] != '\t'; j++)
			continue;
		if (j - i == 2 && memcmp(v + i, "me", 2) == 0)
			gw->nat_me = 1;
		else if (j - i == 4 && memcmp(v + i, "peer", 4) == 0)
			gw->nat_peer = 1;
		i = j;
	}
}

/* "0 33b5335c7174437e/c89906c6196f3cd7" */
static int
id_spi(struct ike_gateway *r, struct ikeg_sa *sa, const char *v, size_t vn)
{
	const char	*slash;
	size_t		 c, tn;
	pnum		 x;

	if ((c = pu_num(v, vn, &x)) > 0 && (c == vn || v[c] == ' ')) {
		sa->id = x;
		v += c;
		vn -= c;
		pu_trim(&v, &vn);
	}
	for (tn = 0; tn < vn && v[tn] != ' ' && v[tn] != '\t'; tn++)
		continue;
	if (tn == 0)
		return (0);
	if ((slash = memchr(v, '/', tn)) == NULL)
		return ((sa->spi_i = dup(r, v, tn)) == NULL ? -1 : 0);
	if (slash > v && (sa->spi_i = dup(r, v, slash - v)) == NULL)
		return (-1);
	c = slash - v + 1;
	if (c < tn && (sa->spi_r = dup(r, v + c, tn - c)) == NULL)
		return (-1);
	return (0);
}

/* The number after a word in (s, n), e.g. "state 3", "started 15s". */
static pnum
after_word(const char *s, size_t n, const char *word)
{
	long	at;
	size_t	i;
	pnum	x;

	if ((at = pu_find(s, n, word)) < 0)
		return (PNUM_UNKNOWN);
	i = at + strlen(word);
	while (i < n && s[i] == ' ')
		i++;
	if (pu_num(s + i, n - i, &x) == 0)
		return (PNUM_UNKNOWN);
	return (x);
}

/*
 * "established 139-139s ago = 0ms": seconds since the SA began, since
 * it was established, and how long the negotiation took.
 * "connecting, state 3, started 15s ago".
 */
static int
status(struct ike_gateway *r, struct ikeg_sa *sa, const char *v, size_t vn)
{
	size_t	w, i, c;
	pnum	a, b;
	long	eq;

	for (w = 0; w < vn && (isalnum((unsigned char)v[w]) || v[w] == '_' ||
	    v[w] == '-'); w++)
		continue;
	if (w == 0)
		return (0);
	if ((sa->status = dup(r, v, w)) == NULL)
		return (-1);
	sa->state = after_word(v + w, vn - w, "state ");
	sa->started_ago_s = after_word(v + w, vn - w, "started ");
	i = w;
	while (i < vn && v[i] == ' ')
		i++;
	if ((c = pu_num(v + i, vn - i, &a)) > 0) {
		i += c;
		if (i < vn && v[i] == '-' &&
		    (c = pu_num(v + i + 1, vn - i - 1, &b)) > 0) {
			sa->created_ago_s = a;
			sa->established_ago_s = b;
		} else
			sa->established_ago_s = a;
	}
	if ((eq = pu_find(v + w, vn - w, "=")) >= 0) {
		i = w + eq + 1;
		while (i < vn && v[i] == ' ')
			i++;
		if (pu_num(v + i, vn - i, &a) > 0)
			sa->negotiation_ms = a;
	}
	return (0);
}

/* Lines an IKE SA prints; 1 when the line was one of them. */
static int
sa_line(struct ike_gateway *r, struct ikeg_gateway *gw, struct ikeg_sa *sa,
    const char *s, size_t n, int *err)
{
	const char	*v;
	size_t		 vn;
	pnum		 p[2] = { PNUM_UNKNOWN, PNUM_UNKNOWN };

	if (ik_key(s, n, "status", &v, &vn)) {
		if (status(r, sa, v, vn) != 0)
			*err = 1;
	} else if (pu_starts(s, n, "lifetime/rekey:")) {
		lab_nums(s, n, "lifetime/rekey", p, 2, 0);
		sa->lifetime = p[0];
		sa->rekey = p[1];
	} else if (pu_starts(s, n, "DPD sent/recv:")) {
		/* FortiOS prints the DPD counters in hex. */
		lab_nums(s, n, "sent/recv", p, 2, 1);
		sa->dpd_sent = p[0];
		sa->dpd_recv = p[1];
	} else if (pu_starts(s, n, "message-id sent/recv:")) {
		lab_nums(s, n, "sent/recv", p, 2, 0);
		sa->msgid_sent = p[0];
		sa->msgid_recv = p[1];
	} else if (table(r, sa, sa_fields, s, n, err)) {
		if (ik_key(s, n, "peer-id", &v, &vn) && gw->peer_id == NULL)
			gw->peer_id = sa->peer_id;
	} else
		return (0);
	return (1);
}

/* Lines that open a gateway: `vd:` and `name:`. */
static int
open_line(struct ike_gateway *r, const char *s, size_t n, int *err)
{
	struct ikeg_gateway	*gw = cur_gw(r);
	const char		*v;
	size_t			 vn;

	if (ik_key(s, n, "vd", &v, &vn)) {
		/* `name:` first and `vd:` second belong together. */
		if (gw == NULL || gw->vd != NULL || gw->nsas > 0 ||
		    gw->version != PNUM_UNKNOWN || gw->local_addr != NULL) {
			if (new_gw(r) != 0) {
				*err = 1;
				return (1);
			}
			gw = cur_gw(r);
		}
		if (vd(r, gw, v, vn) != 0)
			*err = 1;
		return (1);
	}
	if (ik_key(s, n, "name", &v, &vn)) {
		if (gw == NULL || gw->name != NULL || gw->nsas > 0) {
			if (new_gw(r) != 0) {
				*err = 1;
				return (1);
			}
			gw = cur_gw(r);
		}
		if (vn > 0 && (gw->name = dup(r, v, vn)) == NULL)
			*err = 1;
		return (1);
	}
	return (0);
}

static int
gw_line(struct ike_gateway *r, struct ikeg_gateway *gw, const char *s,
    size_t n)
{
	const char	*v;
	size_t		 vn;
	int		 err = 0;

	if (ik_key(s, n, "interface", &v, &vn))
		return (interface(r, gw, v, vn));
	if (ik_key(s, n, "addr", &v, &vn))
		return (arrow(r, v, vn, &gw->local_addr, &gw->local_port,
		    &gw->remote_addr, &gw->remote_port));
	if (ik_key(s, n, "virtual-interface-addr", &v, &vn))
		return (arrow(r, v, vn, &gw->vif_local, NULL,
		    &gw->vif_remote, NULL));
	if (ik_key(s, n, "tun_id", &v, &vn))
		return (tun_id(r, gw, v, vn));
	if (ik_key(s, n, "created", &v, &vn)) {
		(void)pu_num(v, vn, &gw->created_ago_s);
		return (0);
	}
	if (ik_key(s, n, "auto-discovery", &v, &vn))
		return (auto_discovery(r, gw, v, vn));
	if (ik_key(s, n, "nat", &v, &vn)) {
		nat(gw, v, vn);
		return (0);
	}
	if (pu_starts(s, n, "IKE SA")) {
		lab_nums(s, n, "created", gw->ike.created, 2, 0);
		lab_nums(s, n, "established", gw->ike.established, 2, 0);
		lab_nums(s, n, "time", gw->ike.time_ms, 3, 0);
		return (0);
	}
	if (pu_starts(s, n, "IPsec SA")) {
		lab_nums(s, n, "created", gw->ipsec.created, 2, 0);
		lab_nums(s, n, "established", gw->ipsec.established, 2, 0);
		lab_nums(s, n, "time", gw->ipsec.time_ms, 3, 0);
		return (0);
	}
	(void)table(r, gw, gw_fields, s, n, &err);
	return (err ? -1 : 0);
}

/* Drop pager remnants and CR erase sequences, then indentation. */
static void
clean(const char **s, size_t *n)
{
	size_t	i;

	for (i = *n; i > 0; i--) {
		if ((*s)[i - 1] == '\r') {
			*s += i;
			*n -= i;
			break;
		}
	}
	pu_trim(s, n);
	while (pu_starts(*s, *n, "--More--")) {
		*s += 8;
		*n -= 8;
		pu_trim(s, n);
	}
}

static int
line(struct ike_gateway *r, const char *s, size_t n)
{
	struct ikeg_gateway	*gw;
	struct ikeg_sa		*sa;
	const char		*v;
	size_t			 vn;
	int			 err = 0;

	clean(&s, &n);
	if (n == 0)
		return (0);
	/* Key material: never even copied. */
	if (ik_key(s, n, "key", &v, &vn) || pu_starts(s, n, "SK_"))
		return (0);
	if (open_line(r, s, n, &err))
		return (err ? -1 : 0);
	if ((gw = cur_gw(r)) == NULL)
		return (0);	/* echo, prompt, text before the first block */
	if (ik_key(s, n, "id/spi", &v, &vn)) {
		if (new_sa(r, gw) != 0)
			return (-1);
		return (id_spi(r, cur_sa(gw), v, vn));
	}
	if ((sa = cur_sa(gw)) != NULL && sa_line(r, gw, sa, s, n, &err))
		return (err ? -1 : 0);
	return (gw_line(r, gw, s, n));
}

/* ---- dial-up instances, after the whole output is read ---- */

struct dl_cand {
	const char	*pfx;
	size_t		 plen;
	size_t		 gi;
};

static int
cmp_pl(const char *a, size_t an, const char *b, size_t bn)
{
	int	c;

	if ((c = memcmp(a, b, an < bn ? an : bn)) != 0)
		return (c);
	return (an < bn ? -1 : an > bn);
}

static int
cmp_cand(const void *x, const void *y)
{
	const struct dl_cand	*a = x, *b = y;

	return (cmp_pl(a->pfx, a->plen, b->pfx, b->plen));
}

/* Same prefix: in output order, so children are listed as printed. */
static int
cmp_cand_sort(const void *x, const void *y)
{
	const struct dl_cand	*a = x, *b = y;
	int			 c;

	if ((c = cmp_cand(a, b)) != 0)
		return (c);
	return (a->gi < b->gi ? -1 : a->gi > b->gi);
}

/* For the name sort: a borrowed gateway name and its index. */
struct dl_name {
	const char	*name;
	size_t		 gi;
};

static int
cmp_name(const void *x, const void *y)
{
	const struct dl_name	*a = x, *b = y;

	return (strcmp(a->name, b->name));
}

/* "NAME_12": the prefix length and the instance number. */
static int
instance_name(const char *name, size_t *plen, pnum *inst)
{
	size_t	n = strlen(name), i = n;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i == n || i < 2 || name[i - 1] != '_')
		return (0);
	if ((*inst = whole_num(name + i, n - i)) == PNUM_UNKNOWN)
		return (0);
	*plen = i - 1;
	return (1);
}

/* The marks a dial-up client instance shows in its own block. */
static int
dialup_marks(const struct ikeg_gateway *gw)
{
	if (gw->xauth_user != NULL || gw->eap_user != NULL ||
	    gw->assigned_ipv4 != NULL)
		return (1);
	/* 7.x: a static peer's tun_id6 is ::<peer>, an instance's an id. */
	return (gw->tun_id != NULL && gw->tun_id6 != NULL &&
	    strncmp(gw->tun_id6, "::", 2) == 0 &&
	    strcmp(gw->tun_id6 + 2, gw->tun_id) != 0);
}

/* The index of the gateway named (p, pn) in the sorted names, or -1. */
static long
find_name(const struct dl_name *names, size_t nn, const char *p, size_t pn)
{
	size_t	lo = 0, hi = nn, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_pl(names[mid].name, strlen(names[mid].name), p, pn);
		if (c == 0)
			return ((long)mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

static int
add_child(struct ike_gateway *r, struct ikeg_gateway *parent,
    const char *name)
{
	if (pa_grow(r->arena, (void **)&parent->children, &parent->chcap,
	    parent->nchildren + 1, sizeof(*parent->children)) != 0)
		return (-1);
	parent->children[parent->nchildren++] = name;
	return (0);
}

static int
link_one(struct ike_gateway *r, struct dl_cand *c, size_t i, size_t nc,
    const struct dl_name *names, size_t nn)
{
	struct ikeg_gateway	*gw = &r->gws[c[i].gi];
	long			 pi;
	int			 sib;

	pi = find_name(names, nn, c[i].pfx, c[i].plen);
	sib = (i > 0 && cmp_cand(&c[i - 1], &c[i]) == 0) ||
	    (i + 1 < nc && cmp_cand(&c[i + 1], &c[i]) == 0);
	if (pi < 0 && !sib && !dialup_marks(gw)) {
		gw->instance = PNUM_UNKNOWN;
		return (0);
	}
	if ((gw->parent = dup(r, c[i].pfx, c[i].plen)) == NULL)
		return (-1);
	if (pi >= 0 && add_child(r, &r->gws[names[pi].gi], gw->name) != 0)
		return (-1);
	return (0);
}

static int
link_dialup(struct ike_gateway *r)
{
	struct dl_cand	*c = NULL;
	struct dl_name	*names = NULL;
	size_t		 i, nc = 0, nn = 0, plen;
	int		 rc = -1;

	if (r->n == 0)
		return (0);
	if ((c = calloc(r->n, sizeof(*c))) == NULL ||
	    (names = calloc(r->n, sizeof(*names))) == NULL)
		goto out;
	for (i = 0; i < r->n; i++) {
		if (r->gws[i].name == NULL)
			continue;
		names[nn].name = r->gws[i].name;
		names[nn++].gi = i;
		if (instance_name(r->gws[i].name, &plen,
		    &r->gws[i].instance)) {
			c[nc].pfx = r->gws[i].name;
			c[nc].plen = plen;
			c[nc].gi = i;
			nc++;
		}
	}
	qsort(names, nn, sizeof(*names), cmp_name);
	qsort(c, nc, sizeof(*c), cmp_cand_sort);
	for (i = 0; i < nc; i++)
		if (link_one(r, c, i, nc, names, nn) != 0)
			goto out;
	rc = 0;
out:
	free(c);
	free(names);
	return (rc);
}

struct ike_gateway *
ike_gateway_parse(const char *buf, size_t len)
{
	struct ike_gateway	*r;
	struct parena		*pa;
	struct plines		 pl;
	const char		*s;
	size_t			 n;

	if ((pa = pa_new()) == NULL)
		return (NULL);
	if ((r = pa_alloc(pa, sizeof(*r))) == NULL) {
		pa_free(pa);
		return (NULL);
	}
	r->arena = pa;
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &s, &n)) {
		if (line(r, s, n) != 0) {
			pa_free(pa);
			return (NULL);
		}
	}
	if (link_dialup(r) != 0) {
		pa_free(pa);
		return (NULL);
	}
	return (r);
}

void
ike_gateway_free(struct ike_gateway *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
