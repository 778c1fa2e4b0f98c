/* SPDX-License-Identifier: ISC */
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

/*
 * A context field is at most IKE_FIELD_MAX long.  One with a space in it
 * can only be a phase-1/phase-2 name, which FortiOS limits to 35
 * characters: longer text with spaces is already the message.
 */
#define IKE_NAME_MAX	35
#define IKE_FIELD_MAX	64
#define IKE_MAXFIELDS	8
/* Embedded `ike ` starts tried per line (bounds the work on junk). */
#define IKE_MAXTRIES	4

struct ikd_rule {
	const char	*m[3];	/* all must occur in the message */
	enum ike_topic	 topic;
	enum ike_class	 cls;
	const char	*id;	/* DIAGNOSIS.md rule id */
	const char	*p2id;	/* the id in a phase-2 context, if other */
	int		 both4500; /* only when both ends use UDP 4500 */
};

#define F	IKE_C_FAILURE
#define S	IKE_C_SUCCESS
#define I	IKE_C_INFO

/*
 * The match table, most specific first: the first entry whose substrings
 * all occur in the message wins.  Strings are exact FortiOS text from
 * DIAGNOSIS.md section 2 (its Conf column says how sure each is) or from
 * the real captures under tests/fixtures/real (marked "capture").
 */
static const struct ikd_rule ikd_rules[] = {
	/* The kernel refused to send: no route, whatever the exchange. */
	{ { "could not send IKE Packet" }, IKE_T_NOROUTE, F,
	    "P1-NO-ROUTE", NULL, 0 },

	/* Authentication. */
	{ { "probable pre-shared secret mismatch" }, IKE_T_PSK, F,
	    "P1-PSK-V1", NULL, 0 },
	{ { "probable pre-shared key mismatch" }, IKE_T_PSK, F,
	    "P1-PSK-V2", NULL, 0 },
	{ { "PSK auth failed" }, IKE_T_PSK, F, "P1-PSK-V2", NULL, 0 },
	{ { "notify type AUTHENTICATION_FAILED" }, IKE_T_PSK, F,
	    "P1-PSK-V2", NULL, 0 },
	{ { "certificate validation failed" }, IKE_T_AUTH, F,
	    "P1-CERT", NULL, 0 },
	/* fnbamd's verdict, for XAUTH and for IKEv2 EAP alike. */
	{ { "result FNBAM_SUCCESS" }, IKE_T_AUTH, S, "INFO-P1-UP", NULL, 0 },
	{ { "XAUTH succeeded" }, IKE_T_AUTH, S, "INFO-P1-UP", NULL, 0 },
	{ { "FNBAM_DENIED" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "FNBAM_TIMEOUT" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "FNBAM_ERROR" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "XAUTH failed" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "sent IKE msg (CFG_RETRANS)" }, IKE_T_AUTH, F,
	    "P1-XAUTH", NULL, 0 },
	/*
	 * Capture: fnbamd's own lines when the RADIUS or LDAP server does
	 * not answer, before (or without) the XAUTH result line.
	 */
	{ { "_conn_timeout-", "timed out" }, IKE_T_AUTH, F, "P1-XAUTH",
	    NULL, 0 },
	{ { "_error-Conn failed" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	{ { "fnbamd_", "_result-Error" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	/* Not in a capture: keeps an EAP failure from reading as PSK. */
	{ { "EAP", "failed" }, IKE_T_AUTH, F, "P1-XAUTH", NULL, 0 },
	/* Capture: IKEv2 AUTH failed; the next line says why (PSK). */
	{ { "authentication failed" }, IKE_T_PSK, F, "P1-PSK-V2", NULL, 0 },

	/* Identity. */
	{ { "gw validation failed" }, IKE_T_PEERID, F, "P1-PEERID", NULL, 0 },
	/* Capture: IKEv1 aggressive mode, no phase 1 takes the peer ID. */
	{ { "ignoring IKE request, incorrect ID" }, IKE_T_PEERID, F,
	    "P1-PEERID", NULL, 0 },

	/* Selectors. */
	{ { "notify type TS_UNACCEPTABLE" }, IKE_T_SELECTOR, F,
	    "P2-TS-INIT-V2", NULL, 0 },
	{ { "failed to match peer selectors" }, IKE_T_SELECTOR, F,
	    "P2-TS-RESP-V2", NULL, 0 },
	{ { "traffic selectors unacceptable" }, IKE_T_SELECTOR, F,
	    "P2-TS-RESP-V2", NULL, 0 },
	{ { "no matching phase2 found" }, IKE_T_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	{ { "failed to get responder proposal" }, IKE_T_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	{ { "error processing quick-mode message" }, IKE_T_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	{ { "matched by intersection" }, IKE_T_NARROWED, I,
	    "P2-TS-NARROWED", NULL, 0 },

	/* Event log: the logdesc says which phase failed. */
	{ { "IPsec phase 2 error", "peer SA proposal not match local policy" },
	    IKE_T_PROPOSAL, F, "P2-PROPOSAL-PFS", NULL, 0 },
	{ { "IPsec phase 2 error", "mode=\"quick\"" }, IKE_T_SELECTOR, F,
	    "P2-QM-MISMATCH-V1", NULL, 0 },
	/* Proposals: phase 1 unless the line is in a phase-2 context. */
	{ { "no SA proposal chosen" }, IKE_T_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },
	{ { "no proposal chosen" }, IKE_T_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },
	{ { "notify type NO_PROPOSAL_CHOSEN" }, IKE_T_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },
	{ { "peer SA proposal not match local policy" }, IKE_T_PROPOSAL, F,
	    "P1-NO-PROPOSAL", "P2-PROPOSAL-PFS", 0 },

	/* This side will not start. */
	{ { "ignoring request to establish IPsec SA", "no policy" },
	    IKE_T_NOPOLICY, F, "P1-NO-POLICY", NULL, 0 },
	/* Capture: the responder side, `ignoring IKEv2 request, no ...`. */
	{ { "ignoring IKE", "no policy configured" },
	    IKE_T_NOPOLICY, F, "P1-NO-POLICY", NULL, 0 },
	{ { "gateway is in passive mode" }, IKE_T_PASSIVE, F,
	    "P1-PASSIVE", NULL, 0 },

	/*
	 * Unanswered messages.  Only phase-1 AUTH (IKEv2) and phase-1
	 * messages (IKEv1; `retransmit` in a capture) follow NAT-T to 4500;
	 * an SA_INIT there means `set ike-port 4500`, a silent peer.
	 */
	{ { "sent IKE msg (RETRANSMIT_CREATE_CHILD)" }, IKE_T_REKEY, F,
	    "P2-REKEY-FAIL", NULL, 0 },
	{ { "rekey in progress" }, IKE_T_REKEY, I, "P2-REKEY-FAIL", NULL, 0 },
	{ { "sent IKE msg (RETRANSMIT_AUTH)" }, IKE_T_NATT, F,
	    "P1-NATT-4500-BLOCKED", NULL, 1 },
	{ { "sent IKE msg (P1_RETRANSMIT)" }, IKE_T_NATT, F,
	    "P1-NATT-4500-BLOCKED", NULL, 1 },
	{ { "sent IKE msg (retransmit)" }, IKE_T_NATT, F,
	    "P1-NATT-4500-BLOCKED", NULL, 1 },
	{ { "sent IKE msg (P1_RETRANSMIT)" }, IKE_T_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "sent IKE msg (RETRANSMIT_" }, IKE_T_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "sent IKE msg (retransmit)" }, IKE_T_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "retransmission, re-send last message" }, IKE_T_RETRANSMIT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "negotiation timeout" }, IKE_T_TIMEOUT, F,
	    "P1-RETRANSMIT-TIMEOUT", NULL, 0 },
	{ { "retransmission timeout" }, IKE_T_DPD, F, "DPD-V2-RETRANS",
	    NULL, 0 },
	/* The peer answered the probe: DPD works. */
	{ { "R-U-THERE-ACK" }, IKE_T_DPD, I, NULL, NULL, 0 },
	{ { "DPD probe" }, IKE_T_DPD, I, "DPD-V1-FAIL", NULL, 0 },
	{ { "link is idle" }, IKE_T_DPD, I, "DPD-V1-FAIL", NULL, 0 },
	{ { "R-U-THERE" }, IKE_T_DPD, I, "DPD-V1-FAIL", NULL, 0 },

	/* Consequences: never the root cause. */
	{ { "invalid IKE request SPI" }, IKE_T_STALESPI, I,
	    "IKE-STALE-SPI", NULL, 0 },
	{ { "VPN_NETWORK_ID" }, IKE_T_NETWORKID, I, "P1-NETWORK-ID", NULL, 0 },
	{ { "NETWORK ID :" }, IKE_T_NETWORKID, I, "P1-NETWORK-ID", NULL, 0 },
	/* Generic: follows the specific reason, which wins. */
	{ { "Negotiate", "SA Error" }, IKE_T_NEGERROR, F, NULL, NULL, 0 },
	{ { "negotiation failure" }, IKE_T_NEGERROR, F, NULL, NULL, 0 },

	/* Success markers. */
	{ { "added IPsec SA" }, IKE_T_P2UP, S, "INFO-P2-UP", NULL, 0 },
	{ { "SA proposal chosen, matched gateway" }, IKE_T_P1UP, S,
	    "INFO-P1-UP", NULL, 0 },
	{ { "authentication succeeded" }, IKE_T_P1UP, S, "INFO-P1-UP",
	    NULL, 0 },
	{ { "authentication OK" }, IKE_T_P1UP, S, "INFO-P1-UP", NULL, 0 },
	{ { "established IKE SA" }, IKE_T_P1UP, S, "INFO-P1-UP", NULL, 0 },

	/* Which side is behind NAT (`detected NAT`: capture). */
	{ { "NAT detected" }, IKE_T_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "NAT not detected" }, IKE_T_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "detected NAT" }, IKE_T_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "NAT-T float port" }, IKE_T_NATT, I, "INFO-NAT", NULL, 0 },
	{ { "selected NAT-T version" }, IKE_T_NATT, I, "INFO-NAT", NULL, 0 },
};

#undef F
#undef S
#undef I

static const char *const ikd_topic_names[IKE_T_MAX] = {
	[IKE_T_INFO] = "info",
	[IKE_T_NOISE] = "noise",
	[IKE_T_PROPOSAL] = "proposal-mismatch",
	[IKE_T_PSK] = "psk-mismatch",
	[IKE_T_PEERID] = "peer-id-mismatch",
	[IKE_T_SELECTOR] = "selector-mismatch",
	[IKE_T_NARROWED] = "selector-narrowed",
	[IKE_T_NOROUTE] = "no-route",
	[IKE_T_RETRANSMIT] = "retransmit",
	[IKE_T_NATT] = "natt",
	[IKE_T_NOPOLICY] = "no-policy",
	[IKE_T_PASSIVE] = "passive-mode",
	[IKE_T_DPD] = "dpd",
	[IKE_T_AUTH] = "auth",
	[IKE_T_REKEY] = "rekey",
	[IKE_T_NETWORKID] = "network-id",
	[IKE_T_STALESPI] = "stale-spi",
	[IKE_T_TIMEOUT] = "negotiation-timeout",
	[IKE_T_NEGERROR] = "negotiate-error",
	[IKE_T_P1UP] = "p1-up",
	[IKE_T_P2UP] = "p2-up",
};

size_t
ike_debug_rule_ids(const char **ids, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < sizeof(ikd_rules) / sizeof(ikd_rules[0]); i++) {
		if (ikd_rules[i].id != NULL && n++ < max)
			ids[n - 1] = ikd_rules[i].id;
		if (ikd_rules[i].p2id != NULL && n++ < max)
			ids[n - 1] = ikd_rules[i].p2id;
	}
	return (n);
}

const char *
ike_topic_name(enum ike_topic k)
{
	if ((unsigned)k >= IKE_T_MAX)
		return ("info");
	return (ikd_topic_names[k]);
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

const char *
ike_phase_name(enum ike_phase ph)
{
	switch (ph) {
	case IKE_PH_1:
		return ("phase1");
	case IKE_PH_2:
		return ("phase2");
	default:
		return (NULL);
	}
}

const char *
ike_reaction_name(enum ike_reaction re)
{
	switch (re) {
	case IKE_RE_CONSEQUENCE:
		return ("consequence");
	case IKE_RE_ANSWER:
		return ("answer");
	default:
		return (NULL);
	}
}

/*
 * Exchange names as FortiOS prints them in `exchange=`, `sent IKE msg
 * (...)`, `could not send IKE Packet(...)` and its own narration.  Phase
 * 2 first: `RETRANSMIT_CREATE_CHILD` also holds no phase-1 word, but
 * `quick mode` lines mention neither.
 */
static const char *const ikd_p2_words[] = {
	"CREATE_CHILD", "exchange=Quick", "Quick Mode", "quick mode",
	"quick_", "QUICK", NULL
};
static const char *const ikd_p1_words[] = {
	"SA_INIT", "exchange=AUTH", "(AUTH", "_AUTH)", "AUTH msg",
	"AUTH_RESPONSE", "Identity Protection", "exchange=Aggressive",
	"main mode", "aggressive mode", "Aggressive,", "(ident_", "(agg_",
	"P1_RETRANSMIT", "ISAKMP SA", NULL
};
/* Lines that only follow from a failure printed before them. */
static const char *const ikd_consequence_words[] = {
	"connection expiring due to phase1 down", "Negotiate", "SA Error",
	"negotiation timeout", "negotiation failure", "invalid IKE request SPI",
	"schedule delete", "going to be deleted", NULL
};
/* Lines that answer what the peer sent (its retransmit, its probe). */
static const char *const ikd_answer_words[] = {
	"retransmission, re-send last message", "sent IKE msg (R-U-THERE-ACK)",
	/* Capture: the re-send that follows the line above (IKEv1). */
	"sent IKE msg (retransmit)", NULL
};

static int
ikd_any(const char *s, size_t n, const char *const *words)
{
	size_t	i;

	for (i = 0; s != NULL && words[i] != NULL; i++) {
		if (pu_find(s, n, words[i]) >= 0)
			return (1);
	}
	return (0);
}

static void
ikd_phase_reaction(struct ike_line *out)
{
	const char	*s = out->text.p;
	size_t		 n = out->text.n;

	/* A phase-2 rule (TS_UNACCEPTABLE in the AUTH reply) says which. */
	if (ikd_any(s, n, ikd_p2_words) || out->child.p != NULL ||
	    out->sub_serial != PNUM_UNKNOWN ||
	    (out->rule != NULL && strncmp(out->rule, "P2-", 3) == 0))
		out->phase = IKE_PH_2;
	else if (ikd_any(s, n, ikd_p1_words))
		out->phase = IKE_PH_1;
	if (ikd_any(s, n, ikd_answer_words))
		out->reaction = IKE_RE_ANSWER;
	else if (ikd_any(s, n, ikd_consequence_words))
		out->reaction = IKE_RE_CONSEQUENCE;
}

static int
ikd_is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
ikd_is_hex(char c)
{
	return (ikd_is_digit(c) || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/* (s, n) is not empty and every character passes the test. */
static int
ikd_all(const char *s, size_t n, int (*ok)(char))
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!ok(s[i]))
			return (0);
	}
	return (n > 0);
}

static void
ikd_span_set(struct ike_span *sp, const char *p, size_t n)
{
	sp->p = p;
	sp->n = n;
}

static void
ikd_span_trim(struct ike_span *sp)
{
	if (sp->p != NULL)
		pu_trim(&sp->p, &sp->n);
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static int64_t
ikd_days_from_civil(int64_t y, int64_t m, int64_t d)
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
ikd_num_at(const char *s, size_t n, size_t at, size_t width, int64_t *v)
{
	size_t	i;

	if (at + width > n)
		return (-1);
	*v = 0;
	for (i = at; i < at + width; i++) {
		if (!ikd_is_digit(s[i]))
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
ikd_ts_at(const char *s, size_t n, struct ike_line *out)
{
	int64_t	y, mo, d, h, mi, se, frac = 0, scale = 1000000;
	size_t	i;

	if (ikd_num_at(s, n, 0, 4, &y) != 0 || n < 20 || s[4] != '-' ||
	    ikd_num_at(s, n, 5, 2, &mo) != 0 || s[7] != '-' ||
	    ikd_num_at(s, n, 8, 2, &d) != 0 || s[10] != ' ' ||
	    ikd_num_at(s, n, 11, 2, &h) != 0 || s[13] != ':' ||
	    ikd_num_at(s, n, 14, 2, &mi) != 0 || s[16] != ':' ||
	    ikd_num_at(s, n, 17, 2, &se) != 0)
		return (0);
	i = 19;
	if (i < n && s[i] == '.') {
		for (i++; i < n && ikd_is_digit(s[i]); i++) {
			if (scale > 1) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			}
		}
	}
	if (i >= n || s[i] != ' ')
		return (0);
	ikd_span_set(&out->time, s, i);
	if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 &&
	    se < 61)
		out->time_us = ((ikd_days_from_civil(y, mo, d) * 86400 +
		    h * 3600 + mi * 60 + se) * 1000000) + frac;
	return (i + 1);
}

static int
ikd_is_cookie(const char *s, size_t n)
{
	return (n == 33 && s[16] == '/' && ikd_all(s, 16, ikd_is_hex) &&
	    ikd_all(s + 17, 16, ikd_is_hex));
}

static int
ikd_span_eq(const struct ike_span *a, const char *p, size_t n)
{
	return (a->p != NULL && a->n == n && memcmp(a->p, p, n) == 0);
}

/* Give each context field its meaning (see the header for the forms). */
static void
ikd_ctx_fields(const struct ike_span *f, size_t nf, struct ike_line *out)
{
	size_t	k;
	pnum	v;

	if (nf > 0 && ikd_is_cookie(f[0].p, f[0].n))
		out->cookie = f[0];
	else if (nf > 0 && f[0].n > 0)
		out->gateway = f[0];
	for (k = 1; k < nf; k++) {
		if (f[k].n == 0)
			continue;
		if (ikd_all(f[k].p, f[k].n, ikd_is_digit)) {
			if (pu_num(f[k].p, f[k].n, &v) != f[k].n)
				continue;
			if (out->serial == PNUM_UNKNOWN)
				out->serial = v;
			else
				out->sub_serial = v;
		} else if (out->child.p == NULL &&
		    !ikd_span_eq(&out->gateway, f[k].p, f[k].n))
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
ikd_ctx_parse(const char *s, size_t n, struct ike_line *out)
{
	struct ike_span	 f[IKE_MAXFIELDS];
	size_t		 nf = 0, i = 0, j;
	int		 space;		/* 1: a space (a name); 2: a comma */

	if (n == 0 || s[0] == ' ') {
		ikd_span_set(&out->text, s, n);
		return;
	}
	for (;;) {
		if (nf == IKE_MAXFIELDS) {
			ikd_span_set(&out->text, s + i, n - i);
			break;
		}
		space = 0;
		for (j = i; j < n && s[j] != ':' && j - i <= IKE_FIELD_MAX;
		    j++) {
			if (s[j] == ' ') {
				if (ikd_all(s + i, j - i, ikd_is_digit))
					break;
				space = 1;
			} else if (s[j] == ',')
				space = 2;
		}
		if (j < n && s[j] == ' ') {
			ikd_span_set(&f[nf++], s + i, j - i);
			ikd_span_set(&out->text, s + j + 1, n - j - 1);
			break;
		}
		if (j >= n || s[j] != ':' || space == 2 ||
		    (space && j - i > IKE_NAME_MAX)) {
			ikd_span_set(&out->text, s + i, n - i);
			break;
		}
		ikd_span_set(&f[nf++], s + i, j - i);
		if (j + 1 >= n) {
			ikd_span_set(&out->text, s + n, 0);
			break;
		}
		if (s[j + 1] == ' ') {
			ikd_span_set(&out->text, s + j + 2, n - j - 2);
			break;
		}
		i = j + 1;
	}
	ikd_ctx_fields(f, nf, out);
}

/*
 * An `ike ` line at s.  Returns 2 when the full prefix matched
 * (`ike [V=x:]n:`), 1 when only `ike ` did (the rest is the message).
 */
static int
ikd_prefix(const char *s, size_t n, struct ike_line *out)
{
	size_t	i = 4, j, k;
	pnum	v;

	if (i + 2 < n && s[i] == 'V' && s[i + 1] == '=') {
		for (j = i + 2; j < n && j - i < IKE_FIELD_MAX; j++) {
			if (s[j] == ':' || s[j] == ' ')
				break;
		}
		if (j < n && s[j] == ':') {
			ikd_span_set(&out->vd, s + i + 2, j - i - 2);
			i = j + 1;
		}
	}
	k = pu_num(s + i, n - i, &v);
	if (k == 0 || k > 9 || i + k >= n || s[i + k] != ':') {
		ikd_span_set(&out->text, s + i, n - i);
		return (1);
	}
	out->vdom = v;
	ikd_ctx_parse(s + i + k + 1, n - i - k - 1, out);
	return (2);
}

static void
ikd_line_reset(struct ike_line *out)
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
ikd_is_secret_noise(const char *s, size_t n)
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
			if (ikd_all(p, left, ikd_is_hex))
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
		for (i = k + at + 5; i < n && ikd_is_digit(s[i]); i++)
			;
		if (i > k + (size_t)at + 5 && i < n && s[i] == ':')
			return (1);
	}
	return (0);
}

static int
ikd_addr_char(char c)
{
	return (ikd_is_hex(c) || c == '.' || c == ':' || c == '[' || c == ']');
}

/* An address token, optionally with :port; 0 when it is not one. */
static int
ikd_addr_split(const char *s, size_t n, struct ike_span *a, pnum *port)
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
		ikd_span_set(a, s + 1, i - 1);
		if (i + 2 < n && s[i + 1] == ':' &&
		    pu_num(s + i + 2, n - i - 2, &v) == n - i - 2)
			*port = v;
		return (1);
	}
	for (i = n; i > 0 && s[i - 1] != ':'; i--)
		;
	an = i > 0 ? i - 1 : n;
	/* IPv4 with a port, or IPv6 whose last group reads as a port. */
	if (i > 0 && i < n && n - i <= 5 &&
	    ikd_all(s + i, n - i, ikd_is_digit) &&
	    (dots > 0 || (an > 0 && s[an - 1] != ':')) &&
	    pu_num(s + i, n - i, &v) == n - i) {
		ikd_span_set(a, s, an);
		*port = v;
	} else
		ikd_span_set(a, s, n);
	if (dots > 0 && (dots != 3 || !ikd_is_digit(a->p[0])))
		return (0);
	return (a->n > 0);
}

/* The address token that starts at s[at], as ikd_addr_split. */
static int
ikd_addr_at(const char *s, size_t n, size_t at, struct ike_span *a,
    pnum *port)
{
	size_t	e;

	for (e = at; e < n && ikd_addr_char(s[e]); e++)
		;
	return (ikd_addr_split(s + at, e - at, a, port));
}

/*
 * Addresses from `<a>[:p]-><b>[:q]`: after "comes" the left side is the
 * peer, otherwise (sent, could not send, connect, keep-alive) the right.
 */
static void
ikd_peer_parse(const char *s, size_t n, struct ike_line *out)
{
	struct ike_span	 l, r;
	pnum		 lp = PNUM_UNKNOWN, rp = PNUM_UNKNOWN;
	size_t		 a, b, off = 0;
	long		 at;

	while (off < n && (at = pu_find(s + off, n - off, "->")) >= 0) {
		a = off + at;
		off = a + 2;
		for (b = a; b > 0 && ikd_addr_char(s[b - 1]); b--)
			;
		/* `Packet(SA_INIT):1.1.1.254:500->` */
		if (b < a && s[b] == ':' && b > 0 && s[b - 1] == ')')
			b++;
		l.p = r.p = NULL;
		if (!ikd_addr_split(s + b, a - b, &l, &lp) ||
		    !ikd_addr_at(s, n, a + 2, &r, &rp)) {
			lp = rp = PNUM_UNKNOWN;
			continue;
		}
		if (pu_find(s, a, "comes ") >= 0) {
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
ikd_cache_addrs(const char *s, size_t n, struct ike_line *out)
{
	struct ike_span	 a;
	pnum		 port = PNUM_UNKNOWN;
	long		 at;

	/* `added new dynamic tunnel for 10.21.4.174:64917` */
	if ((at = pu_find(s, n, "dynamic tunnel for ")) >= 0) {
		if (ikd_addr_at(s, n, at + 19, &a, &port)) {
			out->peer = a;
			out->peer_port = port;
		}
		return;
	}
	if (!pu_starts(s, n, "local:") ||
	    (at = pu_find(s, n, ", remote:")) < 0)
		return;
	if (ikd_addr_at(s, n, at + 9, &a, &port) && port == PNUM_UNKNOWN) {
		out->peer = a;
		if (ikd_addr_at(s, at, 6, &a, &port) && port == PNUM_UNKNOWN)
			out->local = a;
	}
}

/* `SA proposal chosen, matched gateway X`, `my proposal, gw X:`. */
static void
ikd_gateway_from_text(const char *s, size_t n, struct ike_line *out)
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
			ikd_span_set(&out->gateway, s + k, gn);
			ikd_span_trim(&out->gateway);
		}
		return;
	}
}

static int
ikd_rule_matches(const struct ikd_rule *r, const char *s, size_t n,
    const struct ike_line *out)
{
	size_t	k;

	for (k = 0; k < 3 && r->m[k] != NULL; k++) {
		if (pu_find(s, n, r->m[k]) < 0)
			return (0);
	}
	if (r->both4500 &&
	    (out->local_port != 4500 || out->peer_port != 4500))
		return (0);
	return (1);
}

static const struct ikd_rule *
ikd_classify(const char *s, size_t n, const struct ike_line *out)
{
	size_t	i;

	if (s == NULL)
		return (NULL);
	for (i = 0; i < sizeof(ikd_rules) / sizeof(ikd_rules[0]); i++) {
		if (ikd_rule_matches(&ikd_rules[i], s, n, out))
			return (&ikd_rules[i]);
	}
	return (NULL);
}

static void
ikd_apply_rule(const struct ikd_rule *r, struct ike_line *out)
{
	out->topic = r->topic;
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
ikd_find_embedded(const char *s, size_t n, struct ike_line *out)
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
		if (p + 5 >= n || !(ikd_is_digit(s[p + 4]) ||
		    (s[p + 4] == 'V' && s[p + 5] == '=')))
			continue;
		ikd_line_reset(&t);
		t.time = out->time;
		t.time_us = out->time_us;
		if (ikd_prefix(s + p, n - p, &t) != 2)
			continue;
		/* The timestamp that goes with it sits right before it. */
		if (p < 27 || ikd_ts_at(s + p - 27, 27, &t) != 27) {
			if (p >= 20)
				(void)ikd_ts_at(s + p - 20, 20, &t);
		}
		*out = t;
		return (p);
	}
	return (0);
}

static enum ike_ltype
ikd_noise(struct ike_line *out, int secret)
{
	out->topic = IKE_T_NOISE;
	out->secret = secret;
	return (out->type = IKE_LT_NOISE);
}

/* Not IKE text: only an event-log line that says why something failed. */
static enum ike_ltype
ikd_other(const char *s, size_t n, struct ike_line *out)
{
	const struct ikd_rule	*r;

	if ((r = ikd_classify(s, n, out)) == NULL || r->cls == IKE_C_INFO)
		return (out->type = IKE_LT_NONE);
	ikd_span_set(&out->text, s, n);
	ikd_apply_rule(r, out);
	return (out->type = IKE_LT_EVENT);
}

/*
 * The message of an IKE line: its addresses, a gateway it names, its
 * rule.  (lead, leadn) is the text before an embedded prefix, as in
 * `ike Negotiate ISAKMP SA Error: ike 0:...`: a failure there counts
 * too, and then the message is the whole line (all, alln).
 */
static enum ike_ltype
ikd_message(const char *lead, size_t leadn, const char *all, size_t alln,
    struct ike_line *out)
{
	const struct ikd_rule	*r, *lr;
	const char		*s = out->text.p;
	size_t			 n = out->text.n;

	ikd_peer_parse(s, n, out);
	if (out->peer.p == NULL)
		ikd_cache_addrs(s, n, out);
	if (out->gateway.p == NULL)
		ikd_gateway_from_text(s, n, out);
	r = ikd_classify(s, n, out);
	if ((r == NULL || r->cls == IKE_C_INFO) && leadn > 0 &&
	    (lr = ikd_classify(lead, leadn, out)) != NULL &&
	    lr->cls != IKE_C_INFO) {
		r = lr;
		ikd_span_set(&out->text, all, alln);
	}
	if (r != NULL)
		ikd_apply_rule(r, out);
	ikd_phase_reaction(out);
	return (out->type = IKE_LT_EVENT);
}

enum ike_ltype
ike_debug_line(const char *line, size_t len, struct ike_line *out)
{
	const char	*s = line, *t;
	size_t		 n = len, k, p = 0, tn;
	int		 how = 0;

	ikd_line_reset(out);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if ((k = ikd_ts_at(s, n, out)) > 0) {
		s += k;
		n -= k;
	}
	t = s;
	tn = n;
	pu_trim(&t, &tn);
	if (tn == 0)
		return (out->type = IKE_LT_NONE);
	if (pu_find(s, n, "ike") >= 0 && pu_find(s, n, "shrank heap") >= 0)
		return (ikd_noise(out, 0));
	/* A wrapped hex dump or key: only hex digits. */
	if (tn >= 8 && ikd_all(t, tn, ikd_is_hex))
		return (ikd_noise(out, 1));
	if (pu_starts(s, n, "ike "))
		how = ikd_prefix(s, n, out);
	if (how != 2 && (p = ikd_find_embedded(s, n, out)) > 0)
		how = 2;
	if (how == 0)
		return (ikd_other(t, tn, out));
	ikd_span_trim(&out->text);
	if (ikd_is_secret_noise(out->text.p, out->text.n))
		return (ikd_noise(out, 1));
	return (ikd_message(s, p, t, tn, out));
}

/*
 * Whole captures: what one line says about a cookie or a gateway helps
 * the lines that do not say it.  A small ring per key type is enough: a
 * debug session is filtered to a few peers.
 */
#define IKE_LINKS	32

struct ikd_link {
	char	*key;		/* initiator SPI, or gateway name */
	pnum	 serial;
	char	*gateway;
	char	*peer;
	pnum	 port;
	enum ike_phase phase;	/* of the exchange running on it */
};

struct ikd_state {
	struct parena	*pa;
	struct ikd_link	 cookies[IKE_LINKS];
	size_t		 ncookies;
	struct ikd_link	 gws[IKE_LINKS];
	size_t		 ngws;
	char		*comes;		/* peer of the last `comes` line */
	pnum		 comes_port;
	char		*xauth_gw;	/* gateway of the pending XAUTH/EAP */
	struct ikd_link	*exch;		/* SA of the last `exchange=` line */
};

/* The arena string str holds exactly (p, n). */
static int
ikd_str_is(const char *str, const char *p, size_t n)
{
	return (str != NULL && strlen(str) == n && memcmp(str, p, n) == 0);
}

static struct ikd_link *
ikd_link_find(struct ikd_link *ring, const char *key, size_t kn)
{
	size_t	i;

	for (i = 0; i < IKE_LINKS; i++) {
		if (ikd_str_is(ring[i].key, key, kn))
			return (&ring[i]);
	}
	return (NULL);
}

static struct ikd_link *
ikd_link_serial(struct ikd_link *ring, pnum serial)
{
	size_t	i;

	for (i = 0; i < IKE_LINKS; i++) {
		if (ring[i].key != NULL && ring[i].serial == serial)
			return (&ring[i]);
	}
	return (NULL);
}

static struct ikd_link *
ikd_link_get(struct parena *pa, struct ikd_link *ring, size_t *next,
    const char *key, size_t kn)
{
	struct ikd_link	*l;

	if ((l = ikd_link_find(ring, key, kn)) != NULL)
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
ikd_set_str(struct parena *pa, char **dst, const struct ike_span *sp)
{
	if (sp->p == NULL || ikd_str_is(*dst, sp->p, sp->n))
		return (0);
	return ((*dst = pa_strndup(pa, sp->p, sp->n)) == NULL ? -1 : 0);
}

/*
 * A cookie pair in the message: `IKEv2 exchange=SA_INIT id=<cookie>` (the
 * line after `comes <peer>`), `invalid IKE request SPI <cookie>:<msgid>`.
 */
static const char *
ikd_text_cookie(const struct ike_line *l, const char *key)
{
	size_t	kn = strlen(key);
	long	at;

	if (l->text.p == NULL ||
	    (at = pu_find(l->text.p, l->text.n, key)) < 0 ||
	    (size_t)at + kn + 33 > l->text.n ||
	    !ikd_is_cookie(l->text.p + at + kn, 33))
		return (NULL);
	return (l->text.p + at + kn);
}

static const char *
ikd_exchange_cookie(const struct ike_line *l)
{
	if (l->text.p == NULL || pu_find(l->text.p, l->text.n, "exchange=") < 0)
		return (NULL);
	return (ikd_text_cookie(l, " id="));
}

/*
 * The first serial after an exchange line of an SA already matched to a
 * gateway (`ike 0:to-FG2:267: received create-child request`) is that
 * SA's.
 */
static int
ikd_state_exch(struct ikd_state *st, const struct ike_line *l)
{
	if (l->cookie.p != NULL || l->serial == PNUM_UNKNOWN ||
	    st->exch == NULL)
		return (0);
	if (ikd_link_serial(st->cookies, l->serial) == NULL &&
	    st->exch->serial == PNUM_UNKNOWN) {
		st->exch->serial = l->serial;
		if (ikd_set_str(st->pa, &st->exch->gateway, &l->gateway) != 0)
			return (-1);
	}
	st->exch = NULL;
	return (0);
}

/* Learn the links an event line shows. */
static int
ikd_state_learn(struct ikd_state *st, const struct ike_line *l)
{
	struct ikd_link	*c = NULL, *g;
	const char	*ck;

	if (l->peer.p != NULL && l->text.p != NULL &&
	    pu_starts(l->text.p, l->text.n, "comes ")) {
		if ((st->comes = pa_strndup(st->pa, l->peer.p,
		    l->peer.n)) == NULL)
			return (-1);
		st->comes_port = l->peer_port;
	}
	if ((ck = ikd_exchange_cookie(l)) != NULL && st->comes != NULL) {
		if ((c = ikd_link_get(st->pa, st->cookies, &st->ncookies, ck,
		    16)) == NULL)
			return (-1);
		c->peer = st->comes;
		c->port = st->comes_port;
		/* `IKEv2 exchange=AUTH id=...`: what this SA does now. */
		if (l->phase != IKE_PH_UNKNOWN)
			c->phase = l->phase;
		st->exch = c;
	} else if (ikd_state_exch(st, l) != 0)
		return (-1);
	if (l->cookie.p != NULL) {
		if ((c = ikd_link_get(st->pa, st->cookies, &st->ncookies,
		    l->cookie.p, 16)) == NULL)
			return (-1);
		if (l->serial != PNUM_UNKNOWN)
			c->serial = l->serial;
		if (ikd_set_str(st->pa, &c->gateway, &l->gateway) != 0)
			return (-1);
	}
	/* fnbamd's lines that follow are about this request. */
	if (l->gateway.p != NULL && l->text.p != NULL &&
	    (pu_find(l->text.p, l->text.n, "XAUTH ") >= 0 ||
	    pu_find(l->text.p, l->text.n, "EAP ") >= 0) &&
	    pu_find(l->text.p, l->text.n, " pending") >= 0 &&
	    ikd_set_str(st->pa, &st->xauth_gw, &l->gateway) != 0)
		return (-1);
	if (l->gateway.p == NULL)
		return (0);
	if ((g = ikd_link_get(st->pa, st->gws, &st->ngws, l->gateway.p,
	    l->gateway.n)) == NULL)
		return (-1);
	if (l->peer.p != NULL) {
		/* `HA send IKE connection add l->r` has no port: keep it. */
		if (!ikd_str_is(g->peer, l->peer.p, l->peer.n) ||
		    l->peer_port != PNUM_UNKNOWN)
			g->port = l->peer_port;
		if (ikd_set_str(st->pa, &g->peer, &l->peer) != 0)
			return (-1);
	} else if (c != NULL && c->peer != NULL) {
		g->peer = c->peer;
		g->port = c->port;
	}
	return (0);
}

static char *
ikd_dup_span(struct parena *pa, const struct ike_span *sp, int *err)
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
ikd_state_fill(struct ikd_state *st, const struct ike_line *l,
    struct ike_event *ev)
{
	struct ikd_link	*c = NULL, *g;
	const char	*ck;

	/* The IKE SA's own link knows its latest peer port best. */
	if (l->cookie.p != NULL)
		c = ikd_link_find(st->cookies, l->cookie.p, 16);
	else if ((ck = ikd_text_cookie(l, "request SPI ")) != NULL)
		c = ikd_link_find(st->cookies, ck, 16);
	else if (l->serial != PNUM_UNKNOWN)
		c = ikd_link_serial(st->cookies, l->serial);
	if (ev->gateway == NULL && c != NULL && c->gateway != NULL) {
		ev->gateway = c->gateway;
		ev->gateway_inferred = 1;
	}
	/* An fnbamd failure (no `ike` prefix) belongs to the XAUTH asked. */
	if (ev->gateway == NULL && ev->vdom == PNUM_UNKNOWN &&
	    l->topic == IKE_T_AUTH && st->xauth_gw != NULL) {
		ev->gateway = st->xauth_gw;
		ev->gateway_inferred = 1;
	}
	/* A line that does not name its exchange is in its SA's current one. */
	if (ev->phase == IKE_PH_UNKNOWN && c != NULL &&
	    c->phase != IKE_PH_UNKNOWN) {
		ev->phase = c->phase;
		ev->phase_inferred = 1;
	}
	if (ev->peer != NULL)
		return;
	if (c == NULL && ikd_exchange_cookie(l) != NULL && st->comes != NULL) {
		ev->peer = st->comes;
		ev->peer_port = st->comes_port;
		ev->peer_inferred = 1;
	} else if (c != NULL && c->peer != NULL) {
		ev->peer = c->peer;
		ev->peer_port = c->port;
		ev->peer_inferred = 1;
	} else if (ev->gateway != NULL &&
	    (g = ikd_link_find(st->gws, ev->gateway,
	    strlen(ev->gateway))) != NULL && g->peer != NULL) {
		ev->peer = g->peer;
		ev->peer_port = g->port;
		ev->peer_inferred = 1;
	} else if (st->exch != NULL && st->exch->peer != NULL) {
		/* Said in the middle of an exchange: that exchange's peer. */
		ev->peer = st->exch->peer;
		ev->peer_port = st->exch->port;
		ev->peer_inferred = 1;
	}
}

static int
ikd_add_event(struct ike_debug *r, struct ikd_state *st, size_t lineno,
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
	ev->time = ikd_dup_span(r->arena, &l->time, &err);
	ev->time_us = l->time_us;
	ev->vd = ikd_dup_span(r->arena, &l->vd, &err);
	ev->vdom = l->vdom;
	ev->gateway = ikd_dup_span(r->arena, &l->gateway, &err);
	ev->cookie = ikd_dup_span(r->arena, &l->cookie, &err);
	ev->child = ikd_dup_span(r->arena, &l->child, &err);
	ev->serial = l->serial;
	ev->sub_serial = l->sub_serial;
	ev->peer = ikd_dup_span(r->arena, &l->peer, &err);
	ev->peer_port = l->peer_port;
	ev->local = ikd_dup_span(r->arena, &l->local, &err);
	ev->local_port = l->local_port;
	ev->text = ikd_dup_span(r->arena, &l->text, &err);
	ev->topic = l->topic;
	ev->cls = l->cls;
	ev->rule = l->rule;
	ev->phase = l->phase;
	ev->reaction = l->reaction;
	if (err)
		return (-1);
	ikd_state_fill(st, l, ev);
	r->nevents++;
	return (0);
}

/*
 * Hex digits alone on a line: a dump wrapped from the IKE line before
 * it.  Before any IKE line it continues nothing (`echo deadbeef`), so
 * it is not counted as IKE debug.
 */
static int
ikd_hex_line(const char *s, size_t n)
{
	pu_trim(&s, &n);
	return (n >= 8 && ikd_all(s, n, ikd_is_hex));
}

/* ike_debug_each's state while it runs. */
struct ikd_stream {
	ike_event_fn	 fn;
	void		*arg;
	size_t		 n;
	int		 rc;
};

/*
 * The one walk over the lines.  Without st, lines and noise are counted
 * and no event is made; with sm, each event is lent to sm->fn and
 * dropped (r->arena then holds the current event only, and st's strings
 * live in an arena of their own).
 */
static int
ikd_walk(struct ike_debug *r, struct ikd_state *st, struct ikd_stream *sm,
    const char *buf, size_t len)
{
	struct ike_line		 l;
	enum ike_ltype		 type;
	struct plines		 pl;
	const char		*line;
	size_t			 n;
	int			 seen = 0;

	pl_init(&pl, buf, len);
	while (pl_next(&pl, &line, &n)) {
		r->lines++;
		type = ike_debug_line(line, n, &l);
		if (type == IKE_LT_NOISE && !seen && ikd_hex_line(line, n))
			continue;	/* a dump of nothing: not IKE debug */
		if (type != IKE_LT_NONE)
			seen = 1;
		if (type == IKE_LT_NOISE)
			r->noise++;
		else if (type != IKE_LT_EVENT || st == NULL)
			continue;
		else if (ikd_state_learn(st, &l) != 0 ||
		    ikd_add_event(r, st, r->lines, &l) != 0)
			return (-1);
		else if (sm != NULL) {
			sm->n++;
			if ((sm->rc = sm->fn(&r->events[0], sm->arg)) != 0)
				return (-1);
			pa_reset(r->arena);
			r->events = NULL;
			r->nevents = r->cap = 0;
		}
	}
	return (0);
}

static void
ikd_state_init(struct ikd_state *st, struct parena *pa)
{
	memset(st, 0, sizeof(*st));
	st->pa = pa;
	st->comes_port = PNUM_UNKNOWN;
}

struct ike_debug *
ike_debug_parse(const char *buf, size_t len)
{
	struct ike_debug	*r;
	struct ikd_state	 st;
	struct parena		*pa;

	if ((r = pa_new_result(sizeof(*r), &pa)) == NULL)
		return (NULL);
	r->arena = pa;
	ikd_state_init(&st, pa);
	if (ikd_walk(r, &st, NULL, buf, len) != 0) {
		pa_free(pa);
		return (NULL);
	}
	return (r);
}

void
ike_debug_count(const char *buf, size_t len, size_t *lines, size_t *noise)
{
	struct ike_debug	 r;

	memset(&r, 0, sizeof(r));
	(void)ikd_walk(&r, NULL, NULL, buf, len);
	*lines = r.lines;
	*noise = r.noise;
}

int
ike_debug_each(const char *buf, size_t len, ike_event_fn fn, void *arg,
    size_t *nevents)
{
	struct ike_debug	 r;
	struct ikd_state	 st;
	struct ikd_stream	 sm;
	struct parena		*spa;
	int			 rc = 0;

	memset(&r, 0, sizeof(r));
	memset(&sm, 0, sizeof(sm));
	sm.fn = fn;
	sm.arg = arg;
	*nevents = 0;
	if ((r.arena = pa_new()) == NULL)
		return (-1);
	if ((spa = pa_new()) == NULL) {
		pa_free(r.arena);
		return (-1);
	}
	ikd_state_init(&st, spa);
	if (ikd_walk(&r, &st, &sm, buf, len) != 0)
		rc = sm.rc != 0 ? sm.rc : -1;
	*nevents = sm.n;
	pa_free(r.arena);
	pa_free(spa);
	return (rc);
}

void
ike_debug_free(struct ike_debug *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
