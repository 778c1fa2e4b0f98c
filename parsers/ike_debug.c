/*
 * ike_debug - parse `diagnose debug application ike -1`; see the header.
 *
 * ike_debug_line splits one line into its prefix (timestamp, VDOM, context
 * fields) and its message, then matches the message against the rule
 * table below.  ike_debug_parse runs it over a capture and, because a
 * failure printed under a cookie pair belongs to the gateway that cookie
 * later (or earlier) matched, remembers cookie -> gateway -> peer links to
 * fill in what a line does not say (marked as inferred).
 */
#include "config.h"

#include <string.h>

#include "ike_debug.h"

/* FortiOS limits phase-1/phase-2 names to 35 characters; be generous. */
#define IKE_NAME_MAX	35
#define IKE_FIELD_MAX	64
#define IKE_MAXFIELDS	8
/* Embedded `ike ` starts tried per line (bounds the work on junk). */
#define IKE_MAXTRIES	4

/* Rule flag: only when both ends of the message use UDP 4500. */
#define IR_4500		0x1

struct ike_rule {
	const char	*m[3];		/* all must occur in the message */
	enum ike_kind	 kind;
	enum ike_class	 cls;
	const char	*id;		/* DIAGNOSIS.md rule id */
	const char	*p2id;		/* id when the line has a phase-2 context */
	int		 flags;
};

#define F	IKE_C_FAILURE
#define S	IKE_C_SUCCESS
#define I	IKE_C_INFO

/*
 * The match table, most specific first: the first entry whose substrings
 * all occur in the message wins.  Strings are exact FortiOS text (see
 * DIAGNOSIS.md for the confidence of each).
 */
static const struct ike_rule ike_rules[] = {
	/* The kernel refused to send: no route, whatever the exchange. */
	{ { "could not send IKE Packet" }, IKE_K_NOROUTE, F,
	    "P1-NO-ROUTE", NULL, 0 },

	/* Authentication. */
	{ { "probable pre-shared secret mismatch" }, IKE_K_PSK, F,
	    "P1-PSK-V1", NULL, 0 },
	{ { "probable pre-shared key mismatch" }, IKE_K_PSK, F,
	    "P1-PSK-V2", NULL, 0 },
	{ { "PSK auth failed" }, IKE_K_PSK, F, "P1-PSK-V2", NULL, 0 },
	{ { "notify type AUTHENTICATION_FAILED" }, IKE_K_PSK, F,
	    "P1-PSK-V2", NULL, 0 },
	{ { "certificate validation failed" }, IKE_K_AUTH, F,
	    "P1-CERT", NULL, 0 },
	{ { "FNBAM_DENIED" }, IKE_K_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "FNBAM_TIMEOUT" }, IKE_K_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "FNBAM_ERROR" }, IKE_K_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "XAUTH failed" }, IKE_K_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "sent IKE msg (CFG_RETRANS)" }, IKE_K_AUTH, F,
	    "P1-XAUTH", NULL, 0 },
	{ { "EAP", "failed" }, IKE_K_AUTH, F, "P1-XAUTH", NULL, 0 },
	/* IKEv2 AUTH failed; the next line usually says why (PSK). */
	{ { "authentication failed" }, IKE_K_PSK, F, "P1-PSK-V2", NULL, 0 },

	/* Identity. */
	{ { "gw validation failed" }, IKE_K_PEERID, F, "P1-PEERID", NULL, 0 },
	{ { "ignoring IKE request, incorrect ID" }, IKE_K_PEERID, F,
	    "P1-PEERID", NULL, 0 },

	/* Selectors. */
	{ { "notify type TS_UNACCEPTABLE" }, IKE_K_SELECTOR, F,
	    "P2-TS-INIT-V2", NULL, 0 },
	{ { "failed to match peer selectors" }, IKE_K_SELECTOR, F,
	    "P2-TS-RESP-V2", NULL, 0 },
	{ { "traffic selectors unacceptable" }, IKE_K_SELECTOR, F,
	    "P2-TS-RESP-V2", NULL, 0 },
	{ { "no matching phase2 found" }, IKE_K_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	{ { "failed to get responder proposal" }, IKE_K_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	{ { "error processing quick-mode message" }, IKE_K_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	{ { "matched by intersection" }, IKE_K_NARROWED, I,
	    "P2-TS-NARROWED", NULL, 0 },

	/* Proposals: phase 1 unless the line is in a phase-2 context. */
	{ { "no SA proposal chosen" }, IKE_K_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },
	{ { "no proposal chosen" }, IKE_K_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },
	{ { "notify type NO_PROPOSAL_CHOSEN" }, IKE_K_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },
	{ { "peer SA proposal not match local policy" }, IKE_K_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },

	/* This side will not start. */
	{ { "ignoring request to establish IPsec SA", "no policy" },
	    IKE_K_NOPOLICY, F, "P1-NO-POLICY", NULL, 0 },
	{ { "gateway is in passive mode" }, IKE_K_PASSIVE, F,
	    "P1-PASSIVE", NULL, 0 },

	/* Unanswered messages. */
	{ { "sent IKE msg (RETRANSMIT_CREATE_CHILD)" }, IKE_K_REKEY, F,
	    "P2-REKEY-FAIL", NULL, 0 },
	{ { "rekey in progress" }, IKE_K_REKEY, I, "P2-REKEY-FAIL", NULL, 0 },
	{ { "sent IKE msg (P1_RETRANSMIT)" }, IKE_K_NATT, F,
	    "P1-NATT-4500-BLOCKED", NULL, IR_4500 },
	{ { "sent IKE msg (RETRANSMIT_" }, IKE_K_NATT, F,
	    "P1-NATT-4500-BLOCKED", NULL, IR_4500 },
	{ { "sent IKE msg (retransmit)" }, IKE_K_NATT, F,
	    "P1-NATT-4500-BLOCKED", NULL, IR_4500 },
	{ { "sent IKE msg (P1_RETRANSMIT)" }, IKE_K_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "sent IKE msg (RETRANSMIT_" }, IKE_K_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "sent IKE msg (retransmit)" }, IKE_K_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "retransmission, re-send last message" }, IKE_K_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "negotiation timeout" }, IKE_K_TIMEOUT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "retransmission timeout" }, IKE_K_DPD, F, "DPD-V2-RETRANS",
	    NULL, 0 },
	{ { "DPD probe" }, IKE_K_DPD, I, "DPD-V1-FAIL", NULL, 0 },
	{ { "link is idle" }, IKE_K_DPD, I, "DPD-V1-FAIL", NULL, 0 },
	{ { "R-U-THERE" }, IKE_K_DPD, I, "DPD-V1-FAIL", NULL, 0 },

	/* Consequences: never the root cause. */
	{ { "invalid IKE request SPI" }, IKE_K_STALESPI, I,
	    "IKE-STALE-SPI", NULL, 0 },
	{ { "VPN_NETWORK_ID" }, IKE_K_NETWORKID, I, "P1-NETWORK-ID", NULL, 0 },
	{ { "NETWORK ID :" }, IKE_K_NETWORKID, I, "P1-NETWORK-ID", NULL, 0 },
	/* Generic: follows the specific reason, which wins. */
	{ { "Negotiate", "SA Error" }, IKE_K_NEGERROR, F, NULL, NULL, 0 },
	{ { "negotiation failure" }, IKE_K_NEGERROR, F, NULL, NULL, 0 },

	/* Success markers. */
	{ { "added IPsec SA" }, IKE_K_P2UP, S, "INFO-P2-UP", NULL, 0 },
	{ { "SA proposal chosen, matched gateway" }, IKE_K_P1UP, S,
	    "INFO-P1-UP", NULL, 0 },
	{ { "authentication succeeded" }, IKE_K_P1UP, S, "INFO-P1-UP",
	    NULL, 0 },
	{ { "authentication OK" }, IKE_K_P1UP, S, "INFO-P1-UP", NULL, 0 },
	{ { "established IKE SA" }, IKE_K_P1UP, S, "INFO-P1-UP", NULL, 0 },

	/* Which side is behind NAT. */
	{ { "NAT detected" }, IKE_K_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "NAT not detected" }, IKE_K_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "detected NAT" }, IKE_K_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "NAT-T float port" }, IKE_K_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "selected NAT-T version" }, IKE_K_NATT, I, "INFO-NAT", NULL, 0 },
};

#undef F
#undef S
#undef I

static const char *const ike_kind_names[IKE_K_MAX] = {
	[IKE_K_INFO] = "info",
	[IKE_K_NOISE] = "noise",
	[IKE_K_PROPOSAL] = "proposal-mismatch",
	[IKE_K_PSK] = "psk-mismatch",
	[IKE_K_PEERID] = "peer-id-mismatch",
	[IKE_K_SELECTOR] = "selector-mismatch",
	[IKE_K_NARROWED] = "selector-narrowed",
	[IKE_K_NOROUTE] = "no-route",
	[IKE_K_RETRANSMIT] = "retransmit",
	[IKE_K_NATT] = "natt",
	[IKE_K_NOPOLICY] = "no-policy",
	[IKE_K_PASSIVE] = "passive-mode",
	[IKE_K_DPD] = "dpd",
	[IKE_K_AUTH] = "auth",
	[IKE_K_REKEY] = "rekey",
	[IKE_K_NETWORKID] = "network-id",
	[IKE_K_STALESPI] = "stale-spi",
	[IKE_K_TIMEOUT] = "negotiation-timeout",
	[IKE_K_NEGERROR] = "negotiate-error",
	[IKE_K_P1UP] = "p1-up",
	[IKE_K_P2UP] = "p2-up",
};

const char *
ike_kind_name(enum ike_kind k)
{
	if ((unsigned)k >= IKE_K_MAX)
		return ("info");
	return (ike_kind_names[k]);
}

const char *
ike_class_name(enum ike_class c)
{
	switch (c) {
	case IKE_C_FAILURE:
		return ("failure");
	case IKE_C_SUCCESS:
		return ("success");
	default:
		return ("info");
	}
}

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
is_hex(char c)
{
	return (is_digit(c) || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

static int
all_digits(const char *s, size_t n)
{
	size_t	i;

	if (n == 0)
		return (0);
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return (0);
	}
	return (1);
}

static int
all_hex(const char *s, size_t n)
{
	size_t	i;

	if (n == 0)
		return (0);
	for (i = 0; i < n; i++) {
		if (!is_hex(s[i]))
			return (0);
	}
	return (1);
}

static void
span_set(struct ike_span *sp, const char *p, size_t n)
{
	sp->p = p;
	sp->n = n;
}

static void
span_trim(struct ike_span *sp)
{
	if (sp->p != NULL)
		pu_trim(&sp->p, &sp->n);
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static int
num_at(const char *s, size_t n, size_t at, size_t width, int64_t *v)
{
	size_t	i;

	if (at + width > n)
		return (-1);
	*v = 0;
	for (i = at; i < at + width; i++) {
		if (!is_digit(s[i]))
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	return (0);
}

/*
 * `YYYY-MM-DD HH:MM:SS[.frac] ` at the start of (s, n): the length up to
 * and including the space, 0 when there is none.  The time is the
 * device's wall clock, taken as UTC: FortiOS does not print the zone.
 */
static size_t
ts_at(const char *s, size_t n, struct ike_line *out)
{
	int64_t	y, mo, d, h, mi, se, frac = 0, scale = 1000000;
	size_t	i;

	if (num_at(s, n, 0, 4, &y) != 0 || n < 20 || s[4] != '-' ||
	    num_at(s, n, 5, 2, &mo) != 0 || s[7] != '-' ||
	    num_at(s, n, 8, 2, &d) != 0 || s[10] != ' ' ||
	    num_at(s, n, 11, 2, &h) != 0 || s[13] != ':' ||
	    num_at(s, n, 14, 2, &mi) != 0 || s[16] != ':' ||
	    num_at(s, n, 17, 2, &se) != 0)
		return (0);
	i = 19;
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++) {
			if (scale > 1) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			}
		}
	}
	if (i >= n || s[i] != ' ')
		return (0);
	span_set(&out->time, s, i);
	if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 &&
	    se < 61)
		out->time_us = ((days_from_civil(y, mo, d) * 86400 +
		    h * 3600 + mi * 60 + se) * 1000000) + frac;
	return (i + 1);
}

static int
is_cookie(const char *s, size_t n)
{
	return (n == 33 && s[16] == '/' && all_hex(s, 16) &&
	    all_hex(s + 17, 16));
}

static int
span_eq(const struct ike_span *a, const char *p, size_t n)
{
	return (a->p != NULL && a->n == n && memcmp(a->p, p, n) == 0);
}

/* Give each context field its meaning (see the header for the forms). */
static void
ctx_fields(const struct ike_span *f, size_t nf, struct ike_line *out)
{
	size_t	k;
	pnum	v;

	for (k = 0; k < nf; k++) {
		if (k == 0) {
			if (is_cookie(f[k].p, f[k].n))
				out->cookie = f[k];
			else if (f[k].n > 0)
				out->gateway = f[k];
			continue;
		}
		if (f[k].n == 0)
			continue;
		if (all_digits(f[k].p, f[k].n)) {
			if (pu_num(f[k].p, f[k].n, &v) != f[k].n)
				continue;
			if (out->serial == PNUM_UNKNOWN)
				out->serial = v;
			else
				out->sub_serial = v;
		} else if (out->child.p == NULL &&
		    !span_eq(&out->gateway, f[k].p, f[k].n))
			out->child = f[k];
	}
}

/*
 * The context after `ike [V=x:]n:`: colon-separated fields up to ": ".
 * A field of digits followed by a space ends the context too
 * (`to-FG2:5293:26 rekey in progress`).  Anything that does not look like
 * a field (too long, a space-holding name without its colon) starts the
 * message.
 */
static void
ctx_parse(const char *s, size_t n, struct ike_line *out)
{
	struct ike_span	 f[IKE_MAXFIELDS];
	size_t		 nf = 0, i = 0, j;
	int		 space;

	if (n == 0 || s[0] == ' ') {
		span_set(&out->text, s, n);
		return;
	}
	for (;;) {
		if (nf == IKE_MAXFIELDS) {
			span_set(&out->text, s + i, n - i);
			break;
		}
		space = 0;
		for (j = i; j < n && s[j] != ':' && j - i <= IKE_FIELD_MAX;
		    j++) {
			if (s[j] == ' ') {
				if (all_digits(s + i, j - i))
					break;
				space = 1;
			} else if (s[j] == ',')
				space = 2;
		}
		if (j < n && s[j] == ' ') {
			span_set(&f[nf++], s + i, j - i);
			span_set(&out->text, s + j + 1, n - j - 1);
			break;
		}
		if (j >= n || s[j] != ':' || space == 2 ||
		    (space && j - i > IKE_NAME_MAX)) {
			span_set(&out->text, s + i, n - i);
			break;
		}
		span_set(&f[nf++], s + i, j - i);
		if (j + 1 >= n) {
			span_set(&out->text, s + n, 0);
			break;
		}
		if (s[j + 1] == ' ') {
			span_set(&out->text, s + j + 2, n - j - 2);
			break;
		}
		i = j + 1;
	}
	ctx_fields(f, nf, out);
}

/*
 * An `ike ` line at s.  Returns 2 when the full prefix matched
 * (`ike [V=x:]n:`), 1 when only `ike ` did (the rest is the message).
 */
static int
ike_at(const char *s, size_t n, struct ike_line *out)
{
	size_t	i = 4, j, k;
	pnum	v;

	if (i + 2 < n && s[i] == 'V' && s[i + 1] == '=') {
		for (j = i + 2; j < n && j - i < IKE_FIELD_MAX; j++) {
			if (s[j] == ':' || s[j] == ' ')
				break;
		}
		if (j < n && s[j] == ':') {
			span_set(&out->vd, s + i + 2, j - i - 2);
			i = j + 1;
		}
	}
	k = pu_num(s + i, n - i, &v);
	if (k == 0 || k > 9 || i + k >= n || s[i + k] != ':') {
		span_set(&out->text, s + i, n - i);
		return (1);
	}
	out->vdom = v;
	ctx_parse(s + i + k + 1, n - i - k - 1, out);
	return (2);
}

static void
line_reset(struct ike_line *out)
{
	memset(out, 0, sizeof(*out));
	out->time_us = PNUM_UNKNOWN;
	out->vdom = PNUM_UNKNOWN;
	out->serial = PNUM_UNKNOWN;
	out->sub_serial = PNUM_UNKNOWN;
	out->peer_port = PNUM_UNKNOWN;
	out->local_port = PNUM_UNKNOWN;
}

/* `in`/`out`/`enc`/`dec` hex dumps and key material: never shown. */
static int
is_secret_noise(const char *s, size_t n)
{
	static const char *const dumps[] = { "in ", "out ", "enc ", "dec " };
	const char	*p;
	size_t		 i, k, left;
	long		 at;

	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		k = strlen(dumps[i]);
		if (n > k && memcmp(s, dumps[i], k) == 0) {
			p = s + k;
			left = n - k;
			pu_trim(&p, &left);
			if (all_hex(p, left))
				return (1);
		}
	}
	/* IKE SA <spi> SK_ei 16:..., SK_ar, SK_d, SK_pi ... */
	if ((at = pu_find(s, n, " SK_")) >= 0 && (size_t)at + 5 < n &&
	    s[at + 4] >= 'a' && s[at + 4] <= 'z')
		return (1);
	/* ISAKMP SA ... key 16:<hex>; IPsec SA dec spi ... key 20:<hex> */
	for (k = 0; k < n; k += at + 5) {
		if ((at = pu_find(s + k, n - k, " key ")) < 0)
			break;
		for (i = k + at + 5; i < n && is_digit(s[i]); i++)
			;
		if (i > k + (size_t)at + 5 && i < n && s[i] == ':')
			return (1);
	}
	return (0);
}

static int
addr_char(char c)
{
	return (is_hex(c) || c == '.' || c == ':' || c == '[' || c == ']');
}

/* An address token, optionally with :port; 0 when it is not one. */
static int
addr_split(const char *s, size_t n, struct ike_span *a, pnum *port)
{
	size_t	i, dots = 0, colons = 0, an;
	pnum	v;

	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0)
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dots++;
		else if (s[i] == ':')
			colons++;
	}
	if (dots == 0 && colons < 2)
		return (0);
	if (s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++)
			;
		if (i >= n)
			return (0);
		span_set(a, s + 1, i - 1);
		if (i + 2 < n && s[i + 1] == ':' &&
		    pu_num(s + i + 2, n - i - 2, &v) == n - i - 2)
			*port = v;
		return (1);
	}
	for (i = n; i > 0 && s[i - 1] != ':'; i--)
		;
	an = i > 0 ? i - 1 : n;
	/* IPv4 with a port, or IPv6 whose last group reads as a port. */
	if (i > 0 && i < n && n - i <= 5 && all_digits(s + i, n - i) &&
	    (dots > 0 || (an > 0 && s[an - 1] != ':')) &&
	    pu_num(s + i, n - i, &v) == n - i) {
		span_set(a, s, an);
		*port = v;
	} else
		span_set(a, s, n);
	if (dots > 0 && (dots != 3 || !is_digit(a->p[0])))
		return (0);
	return (a->n > 0);
}

/*
 * Addresses from `<a>[:p]-><b>[:q]`: after "comes" the left side is the
 * peer, otherwise (sent, could not send, connect, keep-alive) the right.
 */
static void
peer_parse(const char *s, size_t n, struct ike_line *out)
{
	struct ike_span	 l, r;
	pnum		 lp = PNUM_UNKNOWN, rp = PNUM_UNKNOWN;
	size_t		 a, b, e, off = 0;
	long		 at;

	while (off < n && (at = pu_find(s + off, n - off, "->")) >= 0) {
		a = off + at;
		off = a + 2;
		for (b = a; b > 0 && addr_char(s[b - 1]); b--)
			;
		/* `Packet(SA_INIT):1.1.1.254:500->` */
		if (b < a && s[b] == ':' && b > 0 && s[b - 1] == ')')
			b++;
		for (e = a + 2; e < n && addr_char(s[e]); e++)
			;
		l.p = r.p = NULL;
		if (!addr_split(s + b, a - b, &l, &lp) ||
		    !addr_split(s + a + 2, e - a - 2, &r, &rp)) {
			lp = rp = PNUM_UNKNOWN;
			continue;
		}
		if ((at = pu_find(s, a, "comes ")) >= 0) {
			out->peer = l;
			out->peer_port = lp;
			out->local = r;
			out->local_port = rp;
		} else {
			out->peer = r;
			out->peer_port = rp;
			out->local = l;
			out->local_port = lp;
		}
		return;
	}
}

/*
 * Addresses without an arrow: `ike 0:VPN-to-SH: local:100.1.1.2,
 * remote:200.1.1.2` (cache rebuild) and dial-up tunnel creation.
 */
static void
cache_addrs(const char *s, size_t n, struct ike_line *out)
{
	struct ike_span	 a;
	pnum		 port = PNUM_UNKNOWN;
	size_t		 e;
	long		 at;

	/* `added new dynamic tunnel for 10.21.4.174:64917` */
	if ((at = pu_find(s, n, "dynamic tunnel for ")) >= 0) {
		for (e = at + 19; e < n && addr_char(s[e]); e++)
			;
		if (addr_split(s + at + 19, e - at - 19, &a, &port)) {
			out->peer = a;
			out->peer_port = port;
		}
		return;
	}
	if (!pu_starts(s, n, "local:") ||
	    (at = pu_find(s, n, ", remote:")) < 0)
		return;
	for (e = at + 9; e < n && addr_char(s[e]); e++)
		;
	if (addr_split(s + at + 9, e - at - 9, &a, &port) &&
	    port == PNUM_UNKNOWN) {
		out->peer = a;
		for (e = 6; e < (size_t)at && addr_char(s[e]); e++)
			;
		if (addr_split(s + 6, e - 6, &a, &port) &&
		    port == PNUM_UNKNOWN)
			out->local = a;
	}
}

/* `SA proposal chosen, matched gateway X`, `my proposal, gw X:`. */
static void
gateway_from_text(const char *s, size_t n, struct ike_line *out)
{
	static const char *const keys[] = {
		"matched gateway ", "my proposal, gw "
	};
	size_t	i, k, gn;
	long	at;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((at = pu_find(s, n, keys[i])) < 0)
			continue;
		k = at + strlen(keys[i]);
		gn = n - k;
		if (gn > 0 && s[k + gn - 1] == ':')
			gn--;
		if (gn > 0 && gn <= IKE_FIELD_MAX) {
			span_set(&out->gateway, s + k, gn);
			span_trim(&out->gateway);
		}
		return;
	}
}

static int
rule_matches(const struct ike_rule *r, const char *s, size_t n,
    const struct ike_line *out)
{
	size_t	k;

	for (k = 0; k < 3 && r->m[k] != NULL; k++) {
		if (pu_find(s, n, r->m[k]) < 0)
			return (0);
	}
	if ((r->flags & IR_4500) &&
	    (out->local_port != 4500 || out->peer_port != 4500))
		return (0);
	return (1);
}

static const struct ike_rule *
classify(const char *s, size_t n, const struct ike_line *out)
{
	size_t	i;

	if (s == NULL)
		return (NULL);
	for (i = 0; i < sizeof(ike_rules) / sizeof(ike_rules[0]); i++) {
		if (rule_matches(&ike_rules[i], s, n, out))
			return (&ike_rules[i]);
	}
	return (NULL);
}

static void
apply_rule(const struct ike_rule *r, struct ike_line *out)
{
	out->kind = r->kind;
	out->cls = r->cls;
	out->rule = r->id;
	if (r->p2id != NULL &&
	    (out->child.p != NULL || out->sub_serial != PNUM_UNKNOWN))
		out->rule = r->p2id;
}

/*
 * A full `ike [V=x:]n:` prefix later in the line: after a prompt
 * (`FG1 # ike ...`), a typed character (`dike V=root:0:`), or a merged
 * message (`ike V=root:Negotiate SA Error: [7798]ike V=root:0:...`).
 * Returns its offset, 0 when there is none.
 */
static size_t
find_embedded(const char *s, size_t n, struct ike_line *out)
{
	struct ike_line	 t;
	size_t		 off = 1, p;
	long		 at;
	int		 tries;

	for (tries = 0; tries < IKE_MAXTRIES && off < n; tries++) {
		if ((at = pu_find(s + off, n - off, "ike ")) < 0)
			return (0);
		p = off + at;
		off = p + 1;
		if (p + 5 >= n || !(is_digit(s[p + 4]) ||
		    (s[p + 4] == 'V' && s[p + 5] == '=')))
			continue;
		line_reset(&t);
		t.time = out->time;
		t.time_us = out->time_us;
		if (ike_at(s + p, n - p, &t) != 2)
			continue;
		/* The timestamp that goes with it sits right before it. */
		if (p < 27 || ts_at(s + p - 27, 27, &t) != 27) {
			if (p >= 20)
				(void)ts_at(s + p - 20, 20, &t);
		}
		*out = t;
		return (p);
	}
	return (0);
}

enum ike_ltype
ike_debug_line(const char *line, size_t len, struct ike_line *out)
{
	const struct ike_rule	*r = NULL;
	const char		*s = line, *t;
	size_t			 n = len, k, p, tn;
	int			 how = 0;

	line_reset(out);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if ((k = ts_at(s, n, out)) > 0) {
		s += k;
		n -= k;
	}
	t = s;
	tn = n;
	pu_trim(&t, &tn);
	if (tn == 0)
		return (out->type = IKE_LT_NONE);
	if (pu_find(s, n, "ike") >= 0 && pu_find(s, n, "shrank heap") >= 0) {
		out->type = IKE_LT_NOISE;
		out->kind = IKE_K_NOISE;
		return (out->type);
	}
	/* A wrapped hex dump or key: only hex digits. */
	if (tn >= 8 && all_hex(t, tn)) {
		out->type = IKE_LT_NOISE;
		out->kind = IKE_K_NOISE;
		out->secret = 1;
		return (out->type);
	}
	if (pu_starts(s, n, "ike "))
		how = ike_at(s, n, out);
	p = 0;
	if (how != 2 && (p = find_embedded(s, n, out)) > 0)
		how = 2;
	if (how == 0) {
		/* Not IKE text; an event-log line can still say why. */
		if ((r = classify(t, tn, out)) == NULL || r->cls == IKE_C_INFO)
			return (out->type = IKE_LT_NONE);
		span_set(&out->text, t, tn);
		apply_rule(r, out);
		return (out->type = IKE_LT_EVENT);
	}
	span_trim(&out->text);
	if (is_secret_noise(out->text.p, out->text.n)) {
		out->type = IKE_LT_NOISE;
		out->kind = IKE_K_NOISE;
		out->secret = 1;
		return (out->type);
	}
	peer_parse(out->text.p, out->text.n, out);
	if (out->peer.p == NULL)
		cache_addrs(out->text.p, out->text.n, out);
	if (out->gateway.p == NULL)
		gateway_from_text(out->text.p, out->text.n, out);
	r = classify(out->text.p, out->text.n, out);
	/* `ike Negotiate ISAKMP SA Error: ike 0:...`: the lead counts too. */
	if ((r == NULL || r->cls == IKE_C_INFO) && p > 0) {
		const struct ike_rule	*lr = classify(s, p, out);

		if (lr != NULL && lr->cls != IKE_C_INFO) {
			r = lr;
			span_set(&out->text, t, tn);
		}
	}
	if (r != NULL)
		apply_rule(r, out);
	return (out->type = IKE_LT_EVENT);
}

/*
 * Whole captures: what one line says about a cookie or a gateway helps
 * the lines that do not say it.  A small ring per key type is enough: a
 * debug session is filtered to a few peers.
 */
#define IKE_LINKS	32

struct ike_link {
	char	*key;		/* initiator SPI, or gateway name */
	pnum	 serial;
	char	*gateway;
	char	*peer;
	pnum	 port;
};

struct ike_state {
	struct parena	*pa;
	struct ike_link	 cookies[IKE_LINKS];
	size_t		 ncookies;
	struct ike_link	 gws[IKE_LINKS];
	size_t		 ngws;
	char		*comes;		/* peer of the last `comes` line */
	pnum		 comes_port;
};

static struct ike_link *
link_find(struct ike_link *ring, const char *key, size_t kn, pnum serial)
{
	size_t	i;

	for (i = 0; i < IKE_LINKS; i++) {
		if (ring[i].key == NULL)
			continue;
		if (key != NULL && strlen(ring[i].key) == kn &&
		    memcmp(ring[i].key, key, kn) == 0)
			return (&ring[i]);
		if (key == NULL && serial != PNUM_UNKNOWN &&
		    ring[i].serial == serial)
			return (&ring[i]);
	}
	return (NULL);
}

static struct ike_link *
link_get(struct parena *pa, struct ike_link *ring, size_t *next,
    const char *key, size_t kn)
{
	struct ike_link	*l;

	if ((l = link_find(ring, key, kn, PNUM_UNKNOWN)) != NULL)
		return (l);
	l = &ring[*next % IKE_LINKS];
	(*next)++;
	memset(l, 0, sizeof(*l));
	l->serial = PNUM_UNKNOWN;
	l->port = PNUM_UNKNOWN;
	if ((l->key = pa_strndup(pa, key, kn)) == NULL)
		return (NULL);
	return (l);
}

static int
set_str(struct parena *pa, char **dst, const struct ike_span *sp)
{
	if (sp->p == NULL)
		return (0);
	if (*dst != NULL && strlen(*dst) == sp->n &&
	    memcmp(*dst, sp->p, sp->n) == 0)
		return (0);
	return ((*dst = pa_strndup(pa, sp->p, sp->n)) == NULL ? -1 : 0);
}

/*
 * A cookie pair in the message: `IKEv2 exchange=SA_INIT id=<cookie>` (the
 * line after `comes <peer>`), `invalid IKE request SPI <cookie>:<msgid>`.
 */
static const char *
text_cookie(const struct ike_line *l, const char *key)
{
	size_t	kn = strlen(key);
	long	at;

	if (l->text.p == NULL || (at = pu_find(l->text.p, l->text.n, key)) < 0 ||
	    (size_t)at + kn + 33 > l->text.n ||
	    !is_cookie(l->text.p + at + kn, 33))
		return (NULL);
	return (l->text.p + at + kn);
}

static const char *
exchange_cookie(const struct ike_line *l)
{
	if (l->text.p == NULL || pu_find(l->text.p, l->text.n, "exchange=") < 0)
		return (NULL);
	return (text_cookie(l, " id="));
}

/* Learn links from a line (events and noise alike). */
static int
state_learn(struct ike_state *st, const struct ike_line *l)
{
	struct ike_link	*c = NULL, *g;
	const char	*ck;

	if (l->peer.p != NULL && l->text.p != NULL &&
	    pu_starts(l->text.p, l->text.n, "comes ")) {
		if ((st->comes = pa_strndup(st->pa, l->peer.p,
		    l->peer.n)) == NULL)
			return (-1);
		st->comes_port = l->peer_port;
	}
	if ((ck = exchange_cookie(l)) != NULL && st->comes != NULL) {
		if ((c = link_get(st->pa, st->cookies, &st->ncookies, ck,
		    16)) == NULL)
			return (-1);
		c->peer = st->comes;
		c->port = st->comes_port;
	}
	if (l->cookie.p != NULL) {
		if ((c = link_get(st->pa, st->cookies, &st->ncookies,
		    l->cookie.p, 16)) == NULL)
			return (-1);
		if (l->serial != PNUM_UNKNOWN)
			c->serial = l->serial;
		if (set_str(st->pa, &c->gateway, &l->gateway) != 0)
			return (-1);
	}
	if (l->gateway.p == NULL)
		return (0);
	if ((g = link_get(st->pa, st->gws, &st->ngws, l->gateway.p,
	    l->gateway.n)) == NULL)
		return (-1);
	if (l->peer.p != NULL) {
		/* `HA send IKE connection add l->r` has no port: keep it. */
		if (g->peer == NULL || strlen(g->peer) != l->peer.n ||
		    memcmp(g->peer, l->peer.p, l->peer.n) != 0 ||
		    l->peer_port != PNUM_UNKNOWN)
			g->port = l->peer_port;
		if (set_str(st->pa, &g->peer, &l->peer) != 0)
			return (-1);
	} else if (c != NULL && c->peer != NULL) {
		g->peer = c->peer;
		g->port = c->port;
	}
	return (0);
}

static char *
dup_span(struct parena *pa, const struct ike_span *sp, int *err)
{
	char	*p;

	if (sp->p == NULL)
		return (NULL);
	if ((p = pa_strndup(pa, sp->p, sp->n)) == NULL)
		*err = 1;
	return (p);
}

/* Fill gateway and peer a line did not print from what was learnt. */
static void
state_fill(struct ike_state *st, const struct ike_line *l,
    struct ike_event *ev)
{
	struct ike_link	*c = NULL, *g;
	const char	*ck;

	/* The IKE SA's own link knows its latest peer port best. */
	if (l->cookie.p != NULL)
		c = link_find(st->cookies, l->cookie.p, 16, PNUM_UNKNOWN);
	else if ((ck = text_cookie(l, "request SPI ")) != NULL)
		c = link_find(st->cookies, ck, 16, PNUM_UNKNOWN);
	else if (l->serial != PNUM_UNKNOWN)
		c = link_find(st->cookies, NULL, 0, l->serial);
	if (ev->gateway == NULL && c != NULL && c->gateway != NULL) {
		ev->gateway = c->gateway;
		ev->gateway_inferred = 1;
	}
	if (ev->peer != NULL)
		return;
	if (c == NULL && exchange_cookie(l) != NULL && st->comes != NULL) {
		ev->peer = st->comes;
		ev->peer_port = st->comes_port;
		ev->peer_inferred = 1;
	} else if (c != NULL && c->peer != NULL) {
		ev->peer = c->peer;
		ev->peer_port = c->port;
		ev->peer_inferred = 1;
	} else if (ev->gateway != NULL && (g = link_find(st->gws, ev->gateway,
	    strlen(ev->gateway), PNUM_UNKNOWN)) != NULL && g->peer != NULL) {
		ev->peer = g->peer;
		ev->peer_port = g->port;
		ev->peer_inferred = 1;
	}
}

static int
add_event(struct ike_debug *r, struct ike_state *st, size_t lineno,
    const struct ike_line *l)
{
	struct ike_event	*ev;
	int			 err = 0;

	if (pa_grow(r->arena, (void **)&r->events, &r->cap, r->nevents + 1,
	    sizeof(*ev)) != 0)
		return (-1);
	ev = &r->events[r->nevents];
	memset(ev, 0, sizeof(*ev));
	ev->line = lineno;
	ev->time = dup_span(r->arena, &l->time, &err);
	ev->time_us = l->time_us;
	ev->vd = dup_span(r->arena, &l->vd, &err);
	ev->vdom = l->vdom;
	ev->gateway = dup_span(r->arena, &l->gateway, &err);
	ev->cookie = dup_span(r->arena, &l->cookie, &err);
	ev->child = dup_span(r->arena, &l->child, &err);
	ev->serial = l->serial;
	ev->sub_serial = l->sub_serial;
	ev->peer = dup_span(r->arena, &l->peer, &err);
	ev->peer_port = l->peer_port;
	ev->local = dup_span(r->arena, &l->local, &err);
	ev->local_port = l->local_port;
	ev->text = dup_span(r->arena, &l->text, &err);
	ev->kind = l->kind;
	ev->cls = l->cls;
	ev->rule = l->rule;
	if (err)
		return (-1);
	state_fill(st, l, ev);
	r->nevents++;
	return (0);
}

struct ike_debug *
ike_debug_parse(const char *buf, size_t len)
{
	struct ike_debug	*r;
	struct ike_state	 st;
	struct ike_line		 l;
	struct parena		*pa;
	struct plines		 pl;
	const char		*line;
	size_t			 n;

	if ((pa = pa_new()) == NULL)
		return (NULL);
	if ((r = pa_alloc(pa, sizeof(*r))) == NULL)
		goto fail;
	r->arena = pa;
	memset(&st, 0, sizeof(st));
	st.pa = pa;
	st.comes_port = PNUM_UNKNOWN;
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &line, &n)) {
		r->lines++;
		switch (ike_debug_line(line, n, &l)) {
		case IKE_LT_NOISE:
			r->noise++;
			r->n++;
			break;
		case IKE_LT_EVENT:
			r->n++;
			if (state_learn(&st, &l) != 0 ||
			    add_event(r, &st, r->lines, &l) != 0)
				goto fail;
			break;
		default:
			break;
		}
	}
	return (r);
fail:
	pa_free(pa);
	return (NULL);
}

void
ike_debug_free(struct ike_debug *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
