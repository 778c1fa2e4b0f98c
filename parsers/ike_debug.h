/* SPDX-License-Identifier: ISC */
/*
 * ike_debug - parse `diagnose debug application ike -1`, one line at a time.
 *
 * The live debug pane feeds lines as they arrive; `analyze` and `fgtop
 * parse --as ike-debug` feed whole files.  Both go through ike_debug_line,
 * which needs no state and allocates nothing: it fills spans that point
 * into the caller's line.  A line looks like
 *   [YYYY-MM-DD HH:MM:SS.uuuuuu ]ike [V=<vdom>:]<n>:<context>: <message>
 * where the context is empty, a cookie pair (`<ispi>/<rspi>`, 16 hex
 * digits each) or a phase-1 name (spaces allowed), followed by serials
 * and a phase-2 name (`to-FG2:34538:eveS2S:10372`).  Hex dumps, key
 * material and `shrank heap` lines are noise.  The message is classified
 * against the failure signatures of DIAGNOSIS.md (a topic, a rule id and
 * a class); lines outside that grammar (`ike V=root:Negotiate SA Error:
 * [11909]`, merged lines, a prompt in front) are still classified by
 * substring.
 *
 * Ownership: struct ike_line borrows the caller's line and owns nothing.
 * ike_debug_parse copies what it keeps into one arena; ike_debug_free
 * releases the result and everything it points to.
 */
#ifndef IKE_DEBUG_H
#define IKE_DEBUG_H

#include "util.h"

/* What a line is. */
enum ike_ltype {
	IKE_LT_NONE = 0,	/* not IKE debug text (prompt, echo, blank) */
	IKE_LT_NOISE,		/* hex dump, key material, heap message */
	IKE_LT_EVENT		/* an IKE message, classified */
};

/*
 * What a line is about: the failure signature it matches, or news (a
 * phase up, plain information).  JSON still calls it "kind", as it did
 * before the output kinds of src/kind took that word.
 */
enum ike_topic {
	IKE_T_INFO = 0,
	IKE_T_NOISE,
	IKE_T_PROPOSAL,		/* P1-NO-PROPOSAL, P2-PROPOSAL-PFS */
	IKE_T_PSK,		/* P1-PSK-V1, P1-PSK-V2 */
	IKE_T_PEERID,		/* P1-PEERID */
	IKE_T_SELECTOR,		/* P2-TS-RESP-V2, P2-TS-INIT-V2, P2-QM-... */
	IKE_T_NARROWED,		/* P2-TS-NARROWED */
	IKE_T_NOROUTE,		/* P1-NO-ROUTE */
	IKE_T_RETRANSMIT,	/* P1-RETRANSMIT-TIMEOUT */
	IKE_T_NATT,		/* P1-NATT-4500-BLOCKED, INFO-NAT */
	IKE_T_NOPOLICY,		/* P1-NO-POLICY */
	IKE_T_PASSIVE,		/* P1-PASSIVE */
	IKE_T_DPD,		/* DPD-V1-FAIL, DPD-V2-RETRANS */
	IKE_T_AUTH,		/* P1-XAUTH, P1-CERT */
	IKE_T_REKEY,		/* P2-REKEY-FAIL */
	IKE_T_NETWORKID,	/* P1-NETWORK-ID */
	IKE_T_STALESPI,		/* IKE-STALE-SPI */
	IKE_T_TIMEOUT,		/* negotiation timeout */
	IKE_T_NEGERROR,		/* generic `Negotiate SA Error` */
	IKE_T_P1UP,		/* INFO-P1-UP */
	IKE_T_P2UP,		/* INFO-P2-UP */
	IKE_T_MAX
};

enum ike_class {
	IKE_C_INFO = 0,
	IKE_C_FAILURE,
	IKE_C_SUCCESS
};

/*
 * The exchange a line belongs to: IKE_SA_INIT, AUTH, main or aggressive
 * mode (and their retransmits) are phase 1; CREATE_CHILD_SA and quick
 * mode, or a line printed in a phase-2 context, are phase 2.
 */
enum ike_phase {
	IKE_PH_UNKNOWN = 0,
	IKE_PH_1,
	IKE_PH_2
};

/*
 * What the device says it is reacting to.  A consequence only follows
 * from an earlier failure (`connection expiring due to phase1 down`,
 * `Negotiate SA Error`, `negotiation timeout`, `invalid IKE request
 * SPI`); an answer re-sends or acknowledges what the peer sent
 * (`retransmission, re-send last message`, our R-U-THERE-ACK).  Neither
 * is a root cause.
 */
enum ike_reaction {
	IKE_RE_NONE = 0,
	IKE_RE_CONSEQUENCE,
	IKE_RE_ANSWER
};

/* A piece of the caller's line; p == NULL when the device did not print it. */
struct ike_span {
	const char	*p;
	size_t		 n;
};

struct ike_line {
	enum ike_ltype	 type;
	int		 secret;	/* may hold key material: never show */
	struct ike_span	 time;		/* console timestamp as printed */
	pnum		 time_us;	/* the same, microseconds since 1970 */
	struct ike_span	 vd;		/* VDOM name after V= */
	pnum		 vdom;		/* VDOM index: the n of `ike n:` */
	struct ike_span	 gateway;	/* phase-1 name */
	struct ike_span	 cookie;	/* `ispi/rspi` (no gateway yet) */
	struct ike_span	 child;		/* phase-2 name */
	pnum		 serial;	/* IKE SA serial */
	pnum		 sub_serial;	/* exchange serial after it */
	struct ike_span	 peer;		/* remote address */
	pnum		 peer_port;
	struct ike_span	 local;		/* local address */
	pnum		 local_port;
	struct ike_span	 text;		/* the message, trimmed */
	enum ike_topic	 topic;
	enum ike_class	 cls;
	const char	*rule;		/* DIAGNOSIS.md id, or NULL */
	enum ike_phase	 phase;		/* from the line alone */
	enum ike_reaction reaction;
};

/*
 * Parse one line (without its line ending; a trailing CR is ignored).
 * Fills *out and returns out->type.  Never fails.
 */
enum ike_ltype	 ike_debug_line(const char *, size_t, struct ike_line *);
const char	*ike_topic_name(enum ike_topic);
/*
 * The rule ids the classifier can tag a line with (repeats possible):
 * up to max of them into ids; returns how many there are.  The rules'
 * meaning, severity and next steps live in src/diagnose's table only;
 * its test checks each id here is there.
 */
size_t		 ike_debug_rule_ids(const char **, size_t);
const char	*ike_class_name(enum ike_class);
const char	*ike_phase_name(enum ike_phase);	/* NULL if unknown */
const char	*ike_reaction_name(enum ike_reaction);	/* NULL if none */

/* One listed line of a whole capture: strings copied into the arena. */
struct ike_event {
	size_t		 line;		/* 1-based */
	const char	*time;
	pnum		 time_us;
	const char	*vd;
	pnum		 vdom;
	const char	*gateway;
	int		 gateway_inferred;	/* from an earlier line */
	const char	*cookie;
	const char	*child;
	pnum		 serial;
	pnum		 sub_serial;
	const char	*peer;
	pnum		 peer_port;
	int		 peer_inferred;		/* from an earlier line */
	const char	*local;
	pnum		 local_port;
	const char	*text;
	enum ike_topic	 topic;
	enum ike_class	 cls;
	const char	*rule;		/* static string or NULL */
	enum ike_phase	 phase;		/* or that of its IKE SA's exchange */
	int		 phase_inferred;	/* from an earlier line */
	enum ike_reaction reaction;
};

struct ike_debug {
	struct parena	*arena;
	size_t		 lines;		/* every line, including noise */
	size_t		 noise;		/* noise lines: counted, not listed */
	struct ike_event *events;
	size_t		 nevents;
	size_t		 cap;
};

/* NULL only when memory runs out. */
struct ike_debug	*ike_debug_parse(const char *, size_t);
/*
 * The same parse, streamed, for captures of any size: fn is lent each
 * event as its line is read and may keep nothing it points to; *nevents
 * gets how many.  0, -1 when memory runs out, or the first non-zero fn
 * returned (which stops it).  ike_debug_count gives lines and noise,
 * which a document may want before the events.
 */
typedef int (*ike_event_fn)(const struct ike_event *, void *);
int			 ike_debug_each(const char *, size_t, ike_event_fn,
			    void *, size_t *);
void			 ike_debug_count(const char *, size_t, size_t *,
			    size_t *);
void			 ike_debug_free(struct ike_debug *);

#endif
