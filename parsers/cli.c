/* SPDX-License-Identifier: ISC */
/*
 * cli - the FortiGate CLI stream layer; see cli.h.
 *
 * The rules here are about the shape of FortiOS's interactive CLI, not
 * any one output: prompts are "HOST", an optional "(context)", an
 * optional blank, then '#' or '$' and a blank; the pager prints
 * "--More--" and erases it in place; every word of a command may be
 * abbreviated.  Text is untrusted throughout: nothing is assumed
 * terminated, and every scan is bounded by the length it was given.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cli.h"

#define CLI_MAXWORDS	8
#define CLI_MAXPROMPTS	64	/* distinct prompts remembered */
#define CLI_MORE_BLANKS	16	/* blanks around a pager prompt, at most */

struct cli_word {
	const char	*s;
	size_t		 n;
};

static int
cli_hostch(unsigned char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
}

/* Inside "(...)": a VDOM, or a config context such as an edited name. */
static int
cli_ctxch(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f && c != '(' && c != ')' && c != '#' &&
	    c != '$');
}

static int
cli_blank(char c)
{
	return (c == ' ' || c == '\t');
}

/*
 * Parse a prompt at the start of (s, n).  need_space: the blank after
 * '#'/'$' must be there (the live form); otherwise it may be missing at
 * the end of the line.  Returns 1 and fills out.
 */
static int
cli_prompt_parse(const char *s, size_t n, int allow_bare, int need_space,
    struct cli_prompt *out)
{
	struct cli_prompt	 p;
	size_t			 i = 0, j;

	memset(&p, 0, sizeof(p));
	while (i < n && i < CLI_NAME_MAX && cli_hostch(s[i]))
		i++;
	if (i > 0 && i < n && cli_hostch(s[i]))
		return (0);	/* name too long */
	if (i > 0) {
		p.host = s;
		p.hostlen = i;
		if (i + 1 < n && s[i] == ' ' && s[i + 1] == '(') {
			for (j = i + 2; j < n && j - i - 2 < CLI_NAME_MAX &&
			    cli_ctxch(s[j]); j++)
				;
			if (j >= n || s[j] != ')' || j == i + 2 ||
			    s[i + 2] == ' ')
				return (0);
			p.vdom = s + i + 2;
			p.vdomlen = j - i - 2;
			i = j + 1;
		}
		if (i < n && s[i] == ' ')
			i++;
	} else if (!allow_bare)
		return (0);
	if (i >= n || (s[i] != '#' && s[i] != '$'))
		return (0);
	p.mark = s[i++];
	if (i < n && s[i] == ' ')
		i++;
	else if (i < n || need_space)
		return (0);
	p.len = i;
	if (out != NULL)
		*out = p;
	return (1);
}

int
cli_prompt_line(const char *s, size_t n, int allow_bare, struct cli_prompt *out)
{
	if (s == NULL)
		return (0);
	return (cli_prompt_parse(s, n, allow_bare, 0, out));
}

long
cli_prompt_at_end(const char *buf, size_t len, struct cli_prompt *out)
{
	struct cli_prompt	p;
	size_t			start;

	if (buf == NULL || len == 0 || buf[len - 1] != ' ')
		return (-1);
	/* No prompt is longer: look no further back. */
	start = len;
	while (start > 0 && len - start < CLI_PROMPT_MAX &&
	    buf[start - 1] != '\n' && buf[start - 1] != '\r')
		start--;
	if (start > 0 && buf[start - 1] != '\n' && buf[start - 1] != '\r')
		return (-1);
	if (!cli_prompt_parse(buf + start, len - start, 0, 1, &p) ||
	    p.len != len - start)
		return (-1);
	if (out != NULL)
		*out = p;
	return ((long)start);
}

long
cli_more_at_end(const char *buf, size_t len)
{
	size_t	end = len, at;

	if (buf == NULL)
		return (-1);
	while (end > 0 && len - end < CLI_MORE_BLANKS && buf[end - 1] == ' ')
		end--;
	if (end < 8 || memcmp(buf + end - 8, "--More--", 8) != 0)
		return (-1);
	at = end - 8;
	while (at > 0 && end - 8 - at < CLI_MORE_BLANKS && buf[at - 1] == ' ')
		at--;
	if (at > 0 && buf[at - 1] != '\n' && buf[at - 1] != '\r')
		return (-1);
	return ((long)at);
}

/* An erase-in-line (ESC [ n K) at in[i]: its length, or 0. */
static size_t
cli_el(const char *in, size_t len, size_t i)
{
	size_t	j;

	if (i + 2 >= len || in[i] != '\x1b' || in[i + 1] != '[')
		return (0);
	for (j = i + 2; j < len && j - i < 8 && in[j] >= '0' && in[j] <= '9';
	    j++)
		;
	if (j < len && in[j] == 'K')
		return (j + 1 - i);
	return (0);
}

/*
 * One step of the erase the device prints once the pager is answered, at
 * in[i]: a CR that does not end a line, a backspace or an erase-in-line.
 * Its length, or 0.
 */
static size_t
cli_erase_at(const char *in, size_t len, size_t i)
{
	if (i >= len)
		return (0);
	if (in[i] == '\b' || (in[i] == '\r' && (i + 1 >= len ||
	    in[i + 1] != '\n')))
		return (1);
	return (cli_el(in, len, i));
}

/*
 * Skip the whole erase from in[i], blanks between its steps included.
 * Blanks count only when another step follows them, since the next line
 * of text may start with blanks.  Returns the new i.
 */
static size_t
cli_erase_run(const char *in, size_t len, size_t i)
{
	size_t	j, k;

	for (;;) {
		if ((k = cli_erase_at(in, len, i)) != 0) {
			i += k;
			continue;
		}
		for (j = i; j < len && in[j] == ' '; j++)
			;
		if (j == i || cli_erase_at(in, len, j) == 0)
			return (i);
		i = j;
	}
}

/*
 * Whether a pager prompt starts at in[i]: "--More--" with only blanks
 * before it on its line, as the pager prints it; elsewhere it is device
 * text (a name, a description) and stays.  out[0, *o) is the text kept
 * so far; the blanks in front are dropped from it.
 */
static int
cli_more_here(const char *in, size_t len, size_t i, const char *out,
    size_t *o)
{
	size_t	ls = *o;

	if (in[i] != '-' || len - i < 8 || memcmp(in + i, "--More--", 8) != 0)
		return (0);
	while (ls > 0 && out[ls - 1] == ' ')
		ls--;
	if (ls > 0 && out[ls - 1] != '\n')
		return (0);
	*o = ls;
	return (1);
}

/*
 * The next "--More--" in (s, n), or NULL.  memchr for its rare capital
 * runs at memory speed; memmem's general search took a fifth of the
 * cleaning of a thousand devices' output.
 */
static const char *
cli_find_more(const char *s, size_t n)
{
	const char	*p = s, *end = s + n, *m;

	while (end - p >= 8 &&
	    (m = memchr(p + 2, 'M', (size_t)(end - p) - 2)) != NULL) {
		if (end - (m - 2) >= 8 && memcmp(m - 2, "--More--", 8) == 0)
			return (m - 2);
		p = m - 1;
	}
	return (NULL);
}

size_t
cli_strip_more(const char *in, size_t len, char *out, size_t *count)
{
	const char	*p;
	size_t		 i = 0, o = 0, n = 0, after, run;

	while (in != NULL && i < len) {
		/*
		 * Only "--More--" starts anything: the text before the next
		 * one goes over in one move (out may be in, or before it).
		 */
		p = cli_find_more(in + i, len - i);
		run = p == NULL ? len - i : (size_t)(p - (in + i));
		if (run > 0) {
			if (out + o != in + i)
				memmove(out + o, in + i, run);
			o += run;
			i += run;
			continue;
		}
		if (!cli_more_here(in, len, i, out, &o)) {
			out[o++] = in[i++];
			continue;
		}
		n++;
		for (i += 8; i < len && in[i] == ' '; i++)
			;
		after = cli_erase_run(in, len, i);
		/* Nothing erased it: pasted, its line end goes with it. */
		if (after == i && i < len && in[i] == '\n')
			after = i + 1;
		else if (after == i && i + 1 < len && in[i] == '\r' &&
		    in[i + 1] == '\n')
			after = i + 2;
		i = after;
	}
	if (count != NULL)
		*count = n;
	return (o);
}

/* An ESC sequence at in[i]: the index just past it. */
static size_t
cli_skip_esc(const char *in, size_t len, size_t i)
{
	size_t		j = i + 1;
	unsigned char	c;

	if (j >= len)
		return (len);
	c = in[j];
	if (c == '[') {
		for (j++; j < len && in[j] >= 0x30 && in[j] <= 0x3f; j++)
			;
		for (; j < len && in[j] >= 0x20 && in[j] <= 0x2f; j++)
			;
		if (j < len && in[j] >= 0x40 && in[j] <= 0x7e)
			j++;
		return (j);
	}
	if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
		/* A string: to BEL or ST; a line end or a new ESC cuts it. */
		for (j++; j < len; j++) {
			if (in[j] == '\a')
				return (j + 1);
			if (in[j] == '\x1b') {
				if (j + 1 < len && in[j + 1] == '\\')
					return (j + 2);
				return (j);
			}
			if (in[j] == '\n')
				return (j);
		}
		return (len);
	}
	if (c >= 0x20 && c <= 0x2f) {
		for (; j < len && in[j] >= 0x20 && in[j] <= 0x2f; j++)
			;
		if (j < len && in[j] >= 0x30 && in[j] <= 0x7e)
			j++;
		return (j);
	}
	if (c >= 0x30 && c <= 0x7e)
		return (j + 1);
	return (j);	/* a lone ESC: drop it, keep what follows */
}

/*
 * A valid UTF-8 sequence at in[i] (no overlong forms, no surrogates,
 * nothing past U+10FFFF): its length and code point, or 0.
 */
static size_t
cli_utf8(const unsigned char *in, size_t len, size_t i, unsigned long *cp)
{
	unsigned char	c = in[i];
	size_t		n, k;
	unsigned long	v, min;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else
		return (0);
	if (len - i < n)
		return (0);
	for (k = 1; k < n; k++) {
		if ((in[i + k] & 0xc0) != 0x80)
			return (0);
		v = (v << 6) | (in[i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return (0);
	*cp = v;
	return (n);
}

/* Code points a terminal acts on or that reorder what is shown. */
static int
cli_badcp(unsigned long cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069));
}

/* Bytes that pass as they are: printable ASCII, LF and TAB. */
static const unsigned char cli_plain[256] = {
	['\t'] = 1, ['\n'] = 1,
	[0x20 ... 0x7e] = 1,
};

/*
 * Eight bytes of text in one word: bit 7 of each byte that is not
 * printable ASCII (a control, DEL or above), exact up to the first such
 * byte.  Less 0x20, a control wraps to 0xe0 or more and 0xff to 0xdf;
 * plus one, DEL to 0xfe reach 0x80 or more.  A borrow or carry comes
 * only out of a byte that is marked, into the ones after it.
 */
#define CLI_ONES	0x0101010101010101u
/* Where the first byte in memory is the lowest of a word read. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CLI_LE64
#endif
static uint64_t
cli_unplain8(uint64_t w)
{
	return (((w - 0x20 * CLI_ONES) | (w + CLI_ONES)) & 0x80 * CLI_ONES);
}

/*
 * How far out trails in (out is in or behind it), as far as a word
 * stored at out reaches: 8 for buffers apart.
 */
static size_t
cli_lead(const char *in, size_t len, const char *out)
{
	uintptr_t	ui = (uintptr_t)in, uo = (uintptr_t)out;

	if (uo >= ui + len || uo + len <= ui)
		return (8);
	if (uo > ui)
		return (0);	/* not allowed: as good as in place */
	return (ui - uo >= 8 ? 8 : (size_t)(ui - uo));
}

/*
 * The part of cli_sanitize that goes a word at a time, from *ip and *op
 * on: nearly every byte is printable, and the line end that stops a
 * word goes over in it too.  That word is stored whole, the bytes up to
 * its first other one kept, and a LF, a TAB or a CR LF (the CR dropped)
 * there taken at once; the bytes stored past what is kept are written
 * over next.  Returns at anything else, the printable bytes before it
 * copied, or when fewer than eight bytes are left.
 *
 * A word is stored only where it reaches no byte of in not read yet:
 * out is in or behind it, lead bytes behind at the start and more once
 * bytes are dropped; a word stored in place (nothing dropped yet) puts
 * back what was there.  wide (lead is 8 or more, a constant where this
 * is inlined) means every store is safe.
 */
static inline __attribute__((always_inline)) void
cli_plain_run(const unsigned char *in, size_t len, char *out, size_t lead,
    int wide, size_t *ip, size_t *op)
{
	size_t		i = *ip, o = *op, k, pairs;
	uint64_t	w, w2, m;
#ifdef CLI_LE64
	size_t		eat, keep, lag;
	unsigned int	sh;
#endif

	/* i < pairs: two words are left. */
	pairs = len >= 15 ? len - 15 : 0;
	for (;;) {
		if (i < pairs) {
			/* Two words a turn: a line is a few of them. */
			do {
				/* The two masks as one: cli_unplain8 below. */
				memcpy(&w, in + i, 8);
				memcpy(&w2, in + i + 8, 8);
				if (((w - 0x20 * CLI_ONES) | (w + CLI_ONES) |
				    (w2 - 0x20 * CLI_ONES) | (w2 + CLI_ONES)) &
				    0x80 * CLI_ONES)
					break;
				memcpy(out + o, &w, 8);
				memcpy(out + o + 8, &w2, 8);
				i += 16;
				o += 16;
			} while (i < pairs);
			if (i >= pairs)
				continue;
			if ((m = cli_unplain8(w)) == 0) {
				memcpy(out + o, &w, 8);
				i += 8;
				o += 8;
				w = w2;
				m = cli_unplain8(w2);
			}
		} else if (len - i >= 8) {
			memcpy(&w, in + i, 8);
			if ((m = cli_unplain8(w)) == 0) {
				memcpy(out + o, &w, 8);
				i += 8;
				o += 8;
				continue;
			}
		} else
			break;
		k = 0;	/* without the byte order, the byte loop sorts it out */
#ifndef CLI_LE64
		(void)lead;
		(void)wide;
#else
		sh = (unsigned int)__builtin_ctzll(m) & 56;
		k = sh / 8;
		/* CR LF (w >> 56 has but one byte: the CR is not the last). */
		if (((w >> sh) & 0xffff) == 0x0a0d) {
			eat = k + 2;
			keep = k + 1;
		} else if (((w >> sh) & 0xff) == '\n' ||
		    ((w >> sh) & 0xff) == '\t')
			eat = keep = k + 1;
		else if (((w >> sh) & 0xff) == '\r') {
			eat = k + 1;
			keep = k;
		} else
			eat = keep = 0;
		lag = lead + i - o;
		if (eat != 0 && (wide || lag == 0 || lag + eat >= 8)) {
			memcpy(out + o, &w, 8);
			o += k;
			if (eat == k + 2)
				out[o] = '\n';	/* over the CR */
			o += keep - k;
			i += eat;
			continue;
		}
#endif
		/* Byte by byte: a word could overrun in. */
		for (; k > 0; k--)
			out[o++] = in[i++];
		break;
	}
	*ip = i;
	*op = o;
}

size_t
cli_sanitize(const char *in, size_t len, char *out)
{
	const unsigned char	*u = (const unsigned char *)in;
	size_t			 i = 0, o = 0, k, lead;
	unsigned long		 cp;

	if (in == NULL)
		return (0);
	lead = cli_lead(in, len, out);
	while (i < len) {
		if (lead >= 8)
			cli_plain_run(u, len, out, lead, 1, &i, &o);
		else
			cli_plain_run(u, len, out, lead, 0, &i, &o);
		if (i >= len)
			break;
		if (cli_plain[u[i]]) {
			out[o++] = in[i++];	/* LF, TAB, or a short tail */
			continue;
		}
		if (u[i] == 0x1b) {
			i = cli_skip_esc(in, len, i);
			continue;
		}
		if (u[i] < 0x80) {
			i++;	/* CR, BS, NUL, DEL and the other C0 */
			continue;
		}
		if ((k = cli_utf8(u, len, i, &cp)) == 0 || cli_badcp(cp)) {
			out[o++] = '?';
			i += k == 0 ? 1 : k;
			continue;
		}
		memmove(out + o, in + i, k);
		o += k;
		i += k;
	}
	return (o);
}

size_t
cli_clean(const char *in, size_t len, char *out, size_t *count)
{
	size_t	n;

	/*
	 * Most outputs have no pager prompt (fgtop asks for a tall pty):
	 * then the text is moved once, by cli_sanitize, not twice.
	 */
	if (in == NULL || cli_find_more(in, len) == NULL) {
		if (count != NULL)
			*count = 0;
		return (cli_sanitize(in, len, out));
	}
	n = cli_strip_more(in, len, out, count);
	return (cli_sanitize(out, n, out));
}

/* Words are separated by blanks and CRs (a long echo may carry CRs). */
static int
cli_sep(char c)
{
	return (cli_blank(c) || c == '\r');
}

/*
 * The next word of (s, n) at or after *pos; *pos moves past it.  With
 * quotes set, '...' and "..." make one word and are dropped.  Returns 0
 * when there is none.
 */
static int
cli_word(const char *s, size_t n, size_t *pos, int quotes, struct cli_word *w)
{
	size_t	i = *pos;
	char	q;

	while (i < n && cli_sep(s[i]))
		i++;
	if (i >= n) {
		*pos = n;
		return (0);
	}
	if (quotes && (s[i] == '\'' || s[i] == '"')) {
		q = s[i++];
		w->s = s + i;
		while (i < n && s[i] != q)
			i++;
		w->n = s + i - w->s;
		*pos = i < n ? i + 1 : n;
		return (1);
	}
	w->s = s + i;
	while (i < n && !cli_sep(s[i]))
		i++;
	w->n = s + i - w->s;
	*pos = i;
	return (1);
}

/* The first max words of a command, quotes removed. */
static size_t
cli_words(const char *s, size_t n, struct cli_word *w, size_t max)
{
	size_t	pos = 0, nw = 0;

	while (nw < max && cli_word(s, n, &pos, 1, &w[nw]))
		nw++;
	return (nw);
}

/* The typed word abbreviates the canonical one (two characters at least). */
static int
cli_abbrev(const struct cli_word *w, const struct cli_word *canon)
{
	if (w->n == 0 || w->n > canon->n || memcmp(w->s, canon->s, w->n) != 0)
		return (0);
	return (w->n >= 2 || w->n == canon->n);
}

/*
 * The typed words start with abbreviations of the canonical words in
 * canon; alone: and nothing follows them.
 */
static int
cli_match_words(const struct cli_word *w, size_t nw, const char *canon,
    int alone)
{
	struct cli_word	c[CLI_MAXWORDS];
	size_t		nc, k;

	nc = cli_words(canon, strlen(canon), c, CLI_MAXWORDS);
	if (nc == 0 || nw < nc || (alone && nw > nc))
		return (0);
	for (k = 0; k < nc; k++) {
		if (!cli_abbrev(&w[k], &c[k]))
			return (0);
	}
	return (1);
}

/* "sudo VDOM command ..." (FortiOS 7.x): the command starts at w[2]. */
static int
cli_sudo(const struct cli_word *w, size_t nw)
{
	return (nw >= 3 && w[0].n == 4 && memcmp(w[0].s, "sudo", 4) == 0 &&
	    w[1].n > 0);
}

/*
 * The output kinds, in the order of the troubleshooting flow: the one
 * home of the commands that print each (every word may be abbreviated;
 * a bit of alone set: that command only with nothing after it) and of
 * the markers that recognise its text pasted alone.  src/kind.c names
 * the same kinds and takes the command it shows from here; test_cli
 * checks that the two lists agree.
 */
const struct cli_kind cli_kinds[] = {
	{ "tunnel-summary", "get vpn ipsec tunnel summary",
	    { "get vpn ipsec tunnel summary" }, 0,
	    { { CLI_MARK_ANYWHERE, "selectors(total,up):" } } },
	{ "ike-gateway-list", "diagnose vpn ike gateway list",
	    { "diagnose vpn ike gateway list",
	    /* With no subcommand it lists too (seen on 6.x and 7.2). */
	    "diagnose vpn ike gateway", "get vpn ike gateway" }, 1 << 1,
	    { { CLI_MARK_AFTER_VD, "IKE SA" } } },
	{ "tunnel-list", "diagnose vpn tunnel list",
	    { "get vpn ipsec tunnel name", "get vpn ipsec tunnel details",
	    "diagnose vpn tunnel list" }, 0,
	    { { CLI_MARK_START, "list all ipsec tunnel in vd" } } },
	{ "ike-debug", "diagnose debug application ike -1",
	    { "diagnose debug application ike", "diagnose debug enable" }, 0,
	    { { CLI_MARK_IKE, "ike " } } },
	{ "sniffer", "diagnose sniffer packet",
	    { "diagnose sniffer packet" }, 0,
	    { { CLI_MARK_START, "interfaces=[" },
	    { CLI_MARK_START, "filters=[" } } },
	{ "traceroute", "execute traceroute",
	    { "execute traceroute" }, 0,
	    { { CLI_MARK_START, "traceroute to " } } },
	{ "routing-table", "get router info routing-table all",
	    { "get router info routing-table",
	    "get router info6 routing-table" }, 0,
	    { { CLI_MARK_START, "Codes: K - kernel" },
	    { CLI_MARK_START, "Routing table for VRF=" } } },
	{ "system-status", "get system status",
	    { "get system status" }, 0,
	    { { CLI_MARK_START, "Version: Forti" } } },
	{ NULL, NULL, { NULL }, 0, { { 0, NULL } } }
};

const struct cli_kind *
cli_kind_find(const char *name)
{
	const struct cli_kind	*k;

	for (k = cli_kinds; k->name != NULL; k++) {
		if (strcmp(k->name, name) == 0)
			return (k);
	}
	return (NULL);
}

const char *
cli_classify(const char *s, size_t n)
{
	const struct cli_kind	*k;
	struct cli_word		 w[CLI_MAXWORDS];
	size_t			 nw, i, skip;

	if (s == NULL)
		return (NULL);
	nw = cli_words(s, n, w, CLI_MAXWORDS);
	skip = cli_sudo(w, nw) ? 2 : 0;
	for (k = cli_kinds; k->name != NULL; k++) {
		for (i = 0; i < CLI_KIND_WORDS && k->words[i] != NULL; i++) {
			if (cli_match_words(w + skip, nw - skip, k->words[i],
			    (k->alone >> i) & 1))
				return (k->name);
		}
	}
	return (NULL);
}

int
cli_match(const char *s, size_t n, const char *canon)
{
	struct cli_word	w[CLI_MAXWORDS];

	if (s == NULL || canon == NULL)
		return (0);
	return (cli_match_words(w, cli_words(s, n, w, CLI_MAXWORDS), canon,
	    0));
}

int
cli_arg(const char *s, size_t n, size_t i, const char **v, size_t *vn)
{
	struct cli_word	w[CLI_MAXWORDS];

	if (s == NULL || i >= CLI_MAXWORDS ||
	    cli_words(s, n, w, CLI_MAXWORDS) <= i)
		return (0);
	*v = w[i].s;
	*vn = w[i].n;
	return (1);
}

int
cli_sudo_vdom(const char *s, size_t n, const char **v, size_t *vn)
{
	struct cli_word	w[3];

	if (s == NULL || !cli_sudo(w, cli_words(s, n, w, 3)))
		return (0);
	*v = w[1].s;
	*vn = w[1].n;
	return (1);
}

int
cli_is_command(const char *s, size_t n)
{
	static const char *const verbs[] = {
		"abort", "append", "clone", "config", "delete", "diagnose",
		"edit", "end", "execute", "exit", "get", "move", "next",
		"purge", "rename", "select", "set", "show", "sudo", "tree",
		"unselect", "unset", NULL
	};
	const char	*w;
	size_t		 pos = 0, wn, k, v;

	if (s == NULL || !pu_word(s, n, &pos, &w, &wn) || wn > 16)
		return (0);
	for (k = 0; k < wn; k++) {
		if (w[k] < 'a' || w[k] > 'z')
			return (0);
	}
	for (v = 0; verbs[v] != NULL; v++) {
		if (wn <= strlen(verbs[v]) && memcmp(w, verbs[v], wn) == 0)
			return (1);
	}
	return (0);
}

/* The line starts, after a console timestamp if any, with "ike ". */
static int
cli_ike_line(const char *s, size_t n)
{
	size_t	i = 0;

	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
	    s[i] == ':' || s[i] == '.' || s[i] == ' '))
		i++;
	return (pu_starts(s + i, n - i, "ike "));
}

/* The line matches the marker; *vd notes a "vd: " line for AFTER_VD. */
static int
cli_marked(const struct cli_marker *m, const char *s, size_t n, int vd)
{
	switch (m->how) {
	case CLI_MARK_START:
		return (pu_starts(s, n, m->text));
	case CLI_MARK_ANYWHERE:
		return (pu_find(s, n, m->text) >= 0);
	case CLI_MARK_IKE:
		return (cli_ike_line(s, n));
	case CLI_MARK_AFTER_VD:
		return (vd && pu_starts(s, n, m->text));
	}
	return (0);
}

const char *
cli_sniff(const char *buf, size_t len)
{
	const struct cli_kind	*k;
	struct plines		 pl;
	const char		*s;
	size_t			 n, i;
	int			 vd = 0;

	if (buf == NULL)
		return (NULL);
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &s, &n)) {
		for (k = cli_kinds; k->name != NULL; k++) {
			for (i = 0; i < CLI_KIND_MARKERS &&
			    k->markers[i].text != NULL; i++) {
				if (cli_marked(&k->markers[i], s, n, vd))
					return (k->name);
			}
		}
		if (pu_starts(s, n, "vd: "))
			vd = 1;
	}
	return (NULL);
}

/* Two texts have the same words (quotes are compared as typed). */
static int
cli_same_words(const char *a, size_t an, const char *b, size_t bn)
{
	struct cli_word	wa, wb;
	size_t		ia = 0, ib = 0;
	int		ha, hb;

	for (;;) {
		ha = cli_word(a, an, &ia, 0, &wa);
		hb = cli_word(b, bn, &ib, 0, &wb);
		if (!ha || !hb)
			return (ha == hb);
		if (wa.n != wb.n || memcmp(wa.s, wb.s, wa.n) != 0)
			return (0);
	}
}

size_t
cli_echo_end(const char *buf, size_t len, const char *cmd)
{
	struct cli_prompt	 p;
	struct plines		 pl;
	const char		*s, *t;
	size_t			 n, tn;

	if (buf == NULL || cmd == NULL)
		return (0);
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &s, &n)) {
		t = s;
		tn = n;
		pu_trim(&t, &tn);
		if (tn == 0)
			continue;
		if (cli_prompt_line(s, n, 1, &p)) {
			s += p.len;
			n -= p.len;
		}
		if (!cli_same_words(s, n, cmd, strlen(cmd)))
			return (0);
		return (pl.p - buf);
	}
	return (0);
}

/* Transcript splitting. */

/* Where the session is in the `config vdom` / `config global` tree. */
enum cli_mode {
	CLI_TOP,	/* not inside config vdom or config global */
	CLI_VDOMS,	/* `config vdom`, before `edit X` */
	CLI_VDOM,	/* `config vdom` + `edit X` */
	CLI_GLOBAL	/* `config global` */
};

/*
 * What only the whole session shows, followed record by record as the
 * split hands them over: the VDOM commands run in and whether the IKE
 * debug application is on.
 */
struct cli_session {
	enum cli_mode	 mode;
	int		 depth;		/* other `config` blocks inside */
	char		 vdom[CLI_NAME_MAX + 1];	/* "": none known */
	int		 ike_app;	/* debug application ike is on */
};

struct cli_split {
	struct cli_transcript	*t;
	char			*obuf;		/* outputs, one after another */
	size_t			 w;		/* write position in obuf */
	size_t			 ostart;	/* current record's output */
	struct cli_record	*cur;		/* open record or NULL */
	int			 suspended;	/* a bare prompt followed it */
	const char		*okind;		/* output alone: sniffed kind */
	size_t			 sniffed;	/* obuf sniffed up to here */
	struct cli_prompt	 last;		/* the latest prompt seen */
	const char		*lastline;	/* its line; NULL: none yet */
	struct cli_session	 ses;

	/* Streaming (cli_transcript_each): one record at a time. */
	int			(*cb)(void *, const struct cli_record *);
	void			*arg;
	struct parena		*rpa;		/* the record's strings */
	struct cli_record	 one;
	size_t			 handed;
};

/* Where a record's strings go: its own arena when streaming. */
static struct parena *
cli_rec_arena(struct cli_split *sp)
{
	return (sp->cb != NULL ? sp->rpa : sp->t->arena);
}

static void
cli_ses_vdom(struct cli_session *st, const char *v, size_t vn)
{
	if (v == NULL || vn > CLI_NAME_MAX)
		vn = 0;		/* longer than any VDOM name: unknown */
	if (vn > 0)
		memcpy(st->vdom, v, vn);
	st->vdom[vn] = '\0';
}

/*
 * The prompt's parenthesised word names the VDOM only outside nested
 * config blocks (there it names the block: "(interface)", "(port1)")
 * and outside `config vdom` itself, where it reads "(vdom)".
 */
static const char *
cli_prompt_vdom(const struct cli_session *st, const struct cli_record *r)
{
	if (r->vdom == NULL || st->depth > 0 || st->mode == CLI_VDOMS)
		return (NULL);
	if (st->mode == CLI_TOP && strcmp(r->vdom, "vdom") == 0)
		return (NULL);
	return (r->vdom);
}

/* The VDOM a record ran in, before its command changes the state. */
static int
cli_ses_record_vdom(struct cli_session *st, struct parena *pa,
    struct cli_record *r)
{
	const char	*v;
	size_t		 vn;

	if (r->command != NULL &&
	    cli_sudo_vdom(r->command, strlen(r->command), &v, &vn)) {
		r->session_vdom = pa_strndup(pa, v, vn);
		return (r->session_vdom == NULL ? -1 : 0);
	}
	if (r->hostname != NULL && r->vdom == NULL) {
		/* A named prompt without a context: back at the top. */
		st->mode = CLI_TOP;
		st->depth = 0;
		cli_ses_vdom(st, NULL, 0);
	}
	if ((v = cli_prompt_vdom(st, r)) != NULL) {
		/* Joined mid-session: the prompt tells where we are. */
		if (st->mode == CLI_TOP || st->mode == CLI_VDOM)
			cli_ses_vdom(st, v, strlen(v));
		r->session_vdom = v;
		return (0);
	}
	if (st->vdom[0] != '\0' &&
	    (r->session_vdom = pa_strndup(pa, st->vdom,
	    strlen(st->vdom))) == NULL)
		return (-1);
	return (0);
}

/* Follow config vdom / edit / next / end and the debug switches. */
static void
cli_ses_command(struct cli_session *st, const char *cmd)
{
	size_t		 n = strlen(cmd), an;
	const char	*a;

	if (cli_match(cmd, n, "config vdom") && st->depth == 0 &&
	    st->mode == CLI_TOP) {
		st->mode = CLI_VDOMS;
		cli_ses_vdom(st, NULL, 0);
	} else if (cli_match(cmd, n, "config global") && st->depth == 0 &&
	    st->mode == CLI_TOP) {
		st->mode = CLI_GLOBAL;
		cli_ses_vdom(st, "global", 6);
	} else if (cli_match(cmd, n, "config"))
		st->depth++;
	else if (cli_match(cmd, n, "edit") && st->depth == 0 &&
	    st->mode == CLI_VDOMS && cli_arg(cmd, n, 1, &a, &an)) {
		st->mode = CLI_VDOM;
		cli_ses_vdom(st, a, an);
	} else if (cli_match(cmd, n, "next") && st->depth == 0 &&
	    st->mode == CLI_VDOM) {
		st->mode = CLI_VDOMS;
		cli_ses_vdom(st, NULL, 0);
	} else if (cli_match(cmd, n, "end") || cli_match(cmd, n, "abort")) {
		if (st->depth > 0)
			st->depth--;
		else if (st->mode != CLI_TOP) {
			st->mode = CLI_TOP;
			cli_ses_vdom(st, NULL, 0);
		}
	} else if (cli_match(cmd, n, "exit")) {
		st->mode = CLI_TOP;
		st->depth = 0;
		st->ike_app = 0;
		cli_ses_vdom(st, NULL, 0);
	} else if (cli_match(cmd, n, "diagnose debug application ike"))
		st->ike_app = !(cli_arg(cmd, n, 4, &a, &an) && an == 1 &&
		    a[0] == '0');
	else if (cli_match(cmd, n, "diagnose debug reset"))
		st->ike_app = 0;
}

/*
 * A finished record in session order: its VDOM, its final kind, then
 * what its command changes for the records after it.  `diagnose debug
 * enable` streams IKE debug only when the IKE application was switched
 * on (or the lines themselves say so); other debug streams are not
 * parsed.
 */
static int
cli_ses_record(struct cli_session *st, struct parena *pa,
    struct cli_record *r)
{
	const char	*sniffed;

	if (cli_ses_record_vdom(st, pa, r) != 0)
		return (-1);
	if (r->command == NULL)
		return (0);
	if (r->kind != NULL && strcmp(r->kind, "ike-debug") == 0 &&
	    !st->ike_app && cli_match(r->command, strlen(r->command),
	    "diagnose debug enable")) {
		sniffed = cli_sniff(r->output, r->outlen);
		if (sniffed == NULL || strcmp(sniffed, "ike-debug") != 0)
			r->kind = NULL;
	}
	cli_ses_command(st, r->command);
	return (0);
}

/* A copy of the prompt (s, p), always with its trailing blank. */
static char *
cli_dup_prompt(struct parena *pa, const char *s, const struct cli_prompt *p)
{
	char	*ps;

	if ((ps = pa_alloc(pa, p->len + 2)) == NULL)
		return (NULL);
	memcpy(ps, s, p->len);
	if (ps[p->len - 1] != ' ')
		ps[p->len] = ' ';
	return (ps);
}

static int
cli_note_prompt(struct cli_split *sp, const char *s, const struct cli_prompt *p)
{
	struct cli_transcript	*t = sp->t;
	size_t			 i, n;

	sp->last = *p;
	sp->lastline = s;
	if (p->host == NULL || t->nprompts >= CLI_MAXPROMPTS)
		return (0);
	/* Compare without the trailing blank, which pastes may lose. */
	n = p->len;
	if (s[n - 1] == ' ')
		n--;
	for (i = 0; i < t->nprompts; i++) {
		if (strlen(t->prompts[i]) == n + 1 &&
		    memcmp(t->prompts[i], s, n) == 0)
			return (0);
	}
	if (pa_grow(t->arena, (void **)&t->prompts, &t->pcap, t->nprompts + 1,
	    sizeof(*t->prompts)) != 0 ||
	    (t->prompts[t->nprompts] = cli_dup_prompt(t->arena, s, p)) == NULL)
		return (-1);
	t->nprompts++;
	return (0);
}

/*
 * Close the open record; output alone is kept only if recognised.  A kept
 * record gets its session fields; streaming, it is handed over and its
 * memory reused.  -1 when memory ran out or the callback said stop.
 */
static int
cli_finish(struct cli_split *sp)
{
	struct cli_record	*r = sp->cur;
	int			 rc = 0;

	if (r == NULL)
		return (0);
	sp->cur = NULL;
	sp->suspended = 0;
	r->output = sp->obuf + sp->ostart;
	r->outlen = sp->w - sp->ostart;
	sp->obuf[sp->w++] = '\0';
	if (r->command == NULL &&
	    (r->kind = cli_sniff(r->output, r->outlen)) == NULL) {
		sp->w = sp->ostart;
		if (sp->cb == NULL)
			sp->t->nrecs--;
		return (0);
	}
	if (cli_ses_record(&sp->ses, cli_rec_arena(sp), r) != 0)
		return (-1);
	if (sp->cb == NULL)
		return (0);
	sp->handed++;
	rc = sp->cb(sp->arg, r);
	sp->w = 0;
	pa_reset(sp->rpa);
	return (rc != 0 ? -1 : 0);
}

/* The prompt (s, p) of a record and the names in it. */
static int
cli_rec_prompt(struct parena *pa, struct cli_record *r, const char *s,
    const struct cli_prompt *p)
{
	if ((r->prompt = cli_dup_prompt(pa, s, p)) == NULL)
		return (-1);
	if (p->host != NULL &&
	    (r->hostname = pa_strndup(pa, p->host, p->hostlen)) == NULL)
		return (-1);
	if (p->vdom != NULL &&
	    (r->vdom = pa_strndup(pa, p->vdom, p->vdomlen)) == NULL)
		return (-1);
	return (0);
}

/* Open a record; with a prompt (s, p) when the line had one. */
static int
cli_open(struct cli_split *sp, const char *s, const struct cli_prompt *p,
    const char *cmd, size_t cmdlen)
{
	struct cli_transcript	*t = sp->t;
	struct cli_record	*r;
	struct parena		*pa;

	if (cli_finish(sp) != 0)
		return (-1);
	pa = cli_rec_arena(sp);
	if (sp->cb != NULL)
		r = &sp->one;
	else {
		if (pa_grow(t->arena, (void **)&t->recs, &t->cap,
		    t->nrecs + 1, sizeof(*r)) != 0)
			return (-1);
		r = &t->recs[t->nrecs++];
	}
	memset(r, 0, sizeof(*r));
	if (p != NULL && cli_rec_prompt(pa, r, s, p) != 0)
		return (-1);
	if (cmd != NULL) {
		pu_trim(&cmd, &cmdlen);
		if ((r->command = pa_strndup(pa, cmd, cmdlen)) == NULL)
			return (-1);
		r->kind = cli_classify(cmd, cmdlen);
	}
	sp->cur = r;
	sp->ostart = sp->sniffed = sp->w;
	sp->okind = NULL;
	sp->suspended = 0;
	return (0);
}

static int
cli_output(struct cli_split *sp, const char *s, size_t n)
{
	const struct cli_record	*r = sp->cur;
	const char		*v = s, *kind;
	size_t			 vn = n;

	/* Only a debug stream goes on printing after the prompt is back. */
	if (r != NULL && sp->suspended) {
		if (r->command == NULL && sp->okind == NULL) {
			/* Only what came since the last look: stays linear. */
			sp->okind = cli_sniff(sp->obuf + sp->sniffed,
			    sp->w - sp->sniffed);
			sp->sniffed = sp->w;
		}
		kind = r->command != NULL ? r->kind : sp->okind;
		if ((kind == NULL || strcmp(kind, "ike-debug") != 0) &&
		    cli_finish(sp) != 0)
			return (-1);
	}
	if (sp->cur == NULL) {
		pu_trim(&v, &vn);
		if (vn == 0)
			return (0);
		if (cli_open(sp, sp->lastline, sp->lastline != NULL ?
		    &sp->last : NULL, NULL, 0) != 0)
			return (-1);
	}
	sp->suspended = 0;
	memcpy(sp->obuf + sp->w, s, n);
	sp->w += n;
	sp->obuf[sp->w++] = '\n';
	return (0);
}

static int
cli_line(struct cli_split *sp, const char *s, size_t n)
{
	struct cli_prompt	 p;
	const char		*cmd;
	size_t			 cn;

	if (!cli_prompt_line(s, n, 1, &p)) {
		/* A known command alone on its line, as pasted. */
		if (n > 0 && !cli_blank(s[0]) && cli_classify(s, n) != NULL)
			return (cli_open(sp, NULL, NULL, s, n));
		return (cli_output(sp, s, n));
	}
	cmd = s + p.len;
	cn = n - p.len;
	pu_trim(&cmd, &cn);
	if (p.host != NULL && cli_note_prompt(sp, s, &p) != 0)
		return (-1);
	if (cn == 0) {
		/* The prompt is back: the output before it is complete. */
		if (sp->cur != NULL)
			sp->suspended = 1;
		return (0);
	}
	if (cli_classify(cmd, cn) != NULL || cli_is_command(cmd, cn))
		return (cli_open(sp, s, &p, cmd, cn));
	/* A bare "# text" that is no command was never a prompt. */
	if (p.host == NULL)
		return (cli_output(sp, s, n));
	/* Output printed behind the prompt (debug). */
	if (sp->cur != NULL)
		sp->suspended = 1;
	return (cli_output(sp, cmd, cn));
}

/*
 * The indent every non-blank line shares: a transcript pasted into a
 * blog or a ticket as a code block is often shifted right as a whole.
 */
static size_t
cli_indent(const char *text, size_t len)
{
	struct plines	 pl;
	const char	*s;
	size_t		 n, i, min = SIZE_MAX;

	pl_init(&pl, text, len);
	while (min > 0 && pl_next(&pl, &s, &n)) {
		for (i = 0; i < n && i < min && s[i] == ' '; i++)
			;
		if (i < n && i < min)
			min = i;	/* a line that starts sooner */
	}
	return (min == SIZE_MAX ? 0 : min);
}

/*
 * The split itself, records kept in t or handed to sp->cb.  The text is
 * cleaned into t's arena first.  -1 when memory ran out or the callback
 * said stop.
 */
static int
cli_split_run(struct cli_split *sp, const char *buf, size_t len)
{
	struct cli_transcript	*t = sp->t;
	struct parena		*pa = t->arena;
	struct plines		 pl;
	char			*text;
	const char		*s;
	size_t			 n, tlen, lines = 1, i, indent, k;

	if (buf == NULL)
		len = 0;
	if ((text = pa_alloc(pa, len + 1)) == NULL)
		return (-1);
	tlen = cli_clean(buf, len, text, &t->pager);
	for (i = 0; i < tlen; i++)
		lines += text[i] == '\n';
	/* Every output byte, a newline per line, a NUL per record. */
	if (tlen > (SIZE_MAX - 1) / 3 ||
	    (sp->obuf = pa_alloc(pa, tlen + 2 * lines + 1)) == NULL)
		return (-1);
	indent = cli_indent(text, tlen);
	pl_init(&pl, text, tlen);
	while (pl_next(&pl, &s, &n)) {
		k = n < indent ? n : indent;
		if (cli_line(sp, s + k, n - k) != 0)
			return (-1);
	}
	return (cli_finish(sp));
}

struct cli_transcript *
cli_transcript_parse(const char *buf, size_t len)
{
	struct cli_split	 sp;
	struct cli_transcript	*t;
	struct parena		*pa;

	if ((t = pa_new_result(sizeof(*t), &pa)) == NULL)
		return (NULL);
	t->arena = pa;
	memset(&sp, 0, sizeof(sp));
	sp.t = t;
	if (cli_split_run(&sp, buf, len) != 0) {
		pa_free(pa);
		return (NULL);
	}
	return (t);
}

int
cli_transcript_each(const char *buf, size_t len,
    int (*cb)(void *, const struct cli_record *), void *arg, size_t *nrecs)
{
	struct cli_split	 sp;
	struct cli_transcript	*t;
	struct parena		*pa;
	int			 rc = -1;

	*nrecs = 0;
	if ((t = pa_new_result(sizeof(*t), &pa)) == NULL)
		return (-1);
	t->arena = pa;
	memset(&sp, 0, sizeof(sp));
	sp.t = t;
	sp.cb = cb;
	sp.arg = arg;
	if ((sp.rpa = pa_new()) != NULL)
		rc = cli_split_run(&sp, buf, len);
	*nrecs = sp.handed;
	pa_free(sp.rpa);
	pa_free(pa);
	return (rc);
}

void
cli_transcript_free(struct cli_transcript *t)
{
	if (t != NULL)
		pa_free(t->arena);
}
