/* SPDX-License-Identifier: ISC */
/*
 * allow - the allowlist of what fgtop may write to a FortiGate; see the
 * header.
 *
 * A command line is split into words at single spaces (a quoted name or
 * sniffer filter is one word) and compared with a table of patterns: a
 * literal word must match exactly, an argument (%name, %addr4 ...) must
 * have its shape.  The group commands (config vdom, edit, end, exit) are
 * not in the table: they move the context, so they are handled apart.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "allow.h"

#define ALLOW_MAXWORDS	16

/* Where a session is; the shell runs one group at a time. */
enum allow_state {
	ALLOW_TOP,	/* outside any config block */
	ALLOW_VDOMS,	/* after `config vdom`: only `edit X` or `end` */
	ALLOW_VDOM,	/* after `edit X`: the VDOM's commands, then `end` */
	ALLOW_GLOBAL,	/* after `config global`: commands, then `end` */
	ALLOW_DONE	/* after `exit`: nothing */
};

struct allow_word {
	const char	*s;
	size_t		 n;
};

/*
 * Every command fgtop sends, canonical and unabbreviated.  Optional
 * arguments are separate lines so that each line is one exact shape.
 */
static const char *const allow_commands[] = {
	"get system status",
	"get vpn ipsec tunnel summary",
	"diagnose vpn ike gateway list",
	"diagnose vpn ike gateway list name %name",
	"diagnose vpn tunnel list",
	"diagnose vpn tunnel list name %name",
	"get router info routing-table all",
	"get router info routing-table details",
	"get router info routing-table details %route",
	"diagnose sys vd list",
	/* IKE log filter up to 7.2 / 7.4.0. */
	"diagnose vpn ike log-filter clear",
	"diagnose vpn ike log-filter list",
	"diagnose vpn ike log-filter dst-addr4 %addr4",
	"diagnose vpn ike log-filter src-addr4 %addr4",
	"diagnose vpn ike log-filter dst-addr6 %addr6",
	"diagnose vpn ike log-filter src-addr6 %addr6",
	"diagnose vpn ike log-filter name %name",
	/* ... and from 7.4.1 on. */
	"diagnose vpn ike log filter clear",
	"diagnose vpn ike log filter list",
	"diagnose vpn ike log filter rem-addr4 %addr4",
	"diagnose vpn ike log filter loc-addr4 %addr4",
	"diagnose vpn ike log filter rem-addr6 %addr6",
	"diagnose vpn ike log filter loc-addr6 %addr6",
	"diagnose vpn ike log filter name %name",
	"diagnose debug enable",
	"diagnose debug disable",
	"diagnose debug reset",
	"diagnose debug info",
	"diagnose debug application ike %level",
	"diagnose debug console timestamp enable",
	"diagnose debug console timestamp disable",
	/* Never 0 (no limit): a debug fgtop lost must still stop. */
	"diagnose debug duration %posint",
	"diagnose sniffer packet %iface %filter %verbosity %uint",
	"diagnose sniffer packet %iface %filter %verbosity %uint %tsformat",
	"execute traceroute-options source %addr",
	"execute traceroute-options source auto",
	"execute traceroute %dest",
	NULL
};

void
allow_init(struct allow_ctx *ctx)
{
	ctx->state = ALLOW_TOP;
	ctx->vdoms = NULL;
}

void
allow_set_vdoms(struct allow_ctx *ctx, char *const *vdoms)
{
	ctx->vdoms = vdoms;
}

int
allow_key(int c)
{
	return (c == ' ' || c == 'q' || c == 0x03 || c == 'a');
}

/* c is one of set (and not the NUL strchr would find). */
static int
allow_in(const char *set, char c)
{
	return (c != '\0' && strchr(set, c) != NULL);
}

/* A byte the CLI takes literally: printable ASCII but its help key. */
static int
allow_plain(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f && c != '?');
}

/* A byte that may be part of a name, given whether it is quoted. */
static int
allow_name_byte(unsigned char c, int quoted)
{
	if (!allow_plain(c) || c == '"' || c == '\'' || c == '\\')
		return (0);
	return (c != ' ' || quoted);
}

static int
allow_bare_name(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > ALLOW_MAXNAME)
		return (0);
	for (i = 0; i < n; i++)
		if (!allow_name_byte(s[i], 0))
			return (0);
	return (1);
}

/*
 * A quoted name: no space at either end (the CLI would trim it and match
 * another name), at least one other byte.
 */
static int
allow_quoted_name(const char *s, size_t n)
{
	size_t	i;

	if (n < 3 || s[0] != '"' || s[n - 1] != '"')
		return (0);
	s++;
	n -= 2;
	if (n > ALLOW_MAXNAME || s[0] == ' ' || s[n - 1] == ' ')
		return (0);
	for (i = 0; i < n; i++)
		if (!allow_name_byte(s[i], 1))
			return (0);
	return (1);
}

int
allow_quote_name(const char *name, char *buf, size_t size)
{
	size_t	n;

	n = strlen(name);
	if (allow_bare_name(name, n)) {
		if (n + 1 > size)
			return (-1);
		memcpy(buf, name, n + 1);
		return (0);
	}
	if (n + 3 > size || n > ALLOW_MAXNAME)
		return (-1);
	buf[0] = '"';
	memcpy(buf + 1, name, n);
	buf[n + 1] = '"';
	buf[n + 2] = '\0';
	if (!allow_quoted_name(buf, n + 2)) {
		buf[0] = '\0';
		return (-1);
	}
	return (0);
}

/* Decimal without sign or leading zero, at most max. */
static int
allow_number(const char *s, size_t n, unsigned long max, unsigned long *v)
{
	unsigned long	x = 0;
	size_t		i;

	if (n == 0 || n > 9 || (s[0] == '0' && n > 1))
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		x = x * 10 + (unsigned long)(s[i] - '0');
	}
	if (x > max)
		return (0);
	*v = x;
	return (1);
}

static int
allow_inet(int af, const char *s, size_t n)
{
	char		buf[64];
	unsigned char	addr[16];

	if (n == 0 || n >= sizeof(buf))
		return (0);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (inet_pton(af, buf, addr) == 1);
}

/* A.B.C.D/N, the form `details` takes for a prefix. */
static int
allow_prefix4(const char *s, size_t n)
{
	const char	*slash;
	unsigned long	 len;

	if ((slash = memchr(s, '/', n)) == NULL)
		return (0);
	return (allow_inet(AF_INET, s, (size_t)(slash - s)) &&
	    allow_number(slash + 1, n - (size_t)(slash - s) - 1, 32, &len));
}

/* Interface names as fgtop sends them: any, wan1, port1.100, ... */
static int
allow_iface(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > ALLOW_MAXNAME || s[0] == '-')
		return (0);
	for (i = 0; i < n; i++)
		if (!allow_in("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i]))
			return (0);
	return (1);
}

/*
 * A tcpdump filter in single quotes, of the few bytes fgtop's filters
 * need ('host 192.0.2.1 and (udp port 500 or udp port 4500)'): nothing
 * that could close the quote or mean something to a shell.
 */
static int
allow_filter(const char *s, size_t n)
{
	size_t	i;
	int	word = 0;

	if (n < 3 || s[0] != '\'' || s[n - 1] != '\'')
		return (0);
	for (i = 1; i < n - 1; i++) {
		if (!allow_in("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .:/()", s[i]))
			return (0);
		if (s[i] != ' ')
			word = 1;
	}
	return (word);
}

/* A traceroute destination: an address or a DNS name. */
static int
allow_dest(const char *s, size_t n)
{
	size_t	i;

	if (allow_inet(AF_INET, s, n) || allow_inet(AF_INET6, s, n))
		return (1);
	if (n == 0 || n > 253 || s[0] == '-' || s[0] == '.')
		return (0);
	for (i = 0; i < n; i++)
		if (!allow_in("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", s[i]))
			return (0);
	return (1);
}

/* Does the word have the shape the pattern's %argument names? */
static int
allow_arg(const char *type, size_t tn, const char *s, size_t n)
{
	unsigned long	v;

#define IS(t) (tn == sizeof(t) - 1 && memcmp(type, t, tn) == 0)
	if (IS("%name"))
		return (allow_bare_name(s, n) || allow_quoted_name(s, n));
	if (IS("%addr4"))
		return (allow_inet(AF_INET, s, n));
	if (IS("%addr6"))
		return (allow_inet(AF_INET6, s, n));
	if (IS("%addr"))
		return (allow_inet(AF_INET, s, n) || allow_inet(AF_INET6, s, n));
	if (IS("%route"))
		return (allow_inet(AF_INET, s, n) ||
		    allow_inet(AF_INET6, s, n) || allow_prefix4(s, n));
	if (IS("%level"))
		return ((n == 2 && memcmp(s, "-1", 2) == 0) ||
		    allow_number(s, n, 255, &v));
	if (IS("%posint"))
		return (allow_number(s, n, 999999999, &v) && v > 0);
	if (IS("%uint"))
		return (allow_number(s, n, 999999999, &v));
	if (IS("%verbosity"))
		return (allow_number(s, n, 6, &v) && v >= 1);
	if (IS("%tsformat"))
		return (n == 1 && (s[0] == 'a' || s[0] == 'l'));
	if (IS("%iface"))
		return (allow_iface(s, n));
	if (IS("%filter"))
		return (allow_filter(s, n));
	if (IS("%dest"))
		return (allow_dest(s, n));
#undef IS
	return (0);
}

/*
 * Split at single spaces; a word starting with a quote runs to the same
 * quote and must end there.  -1 with *why on a shape no command has.
 */
static int
allow_split(const char *s, size_t n, struct allow_word *w, size_t *nw,
    const char **why)
{
	const char	*q;
	size_t		 i = 0, j;

	*nw = 0;
	while (i < n) {
		if (s[i] == ' ') {
			*why = "extra space in the command";
			return (-1);
		}
		if (*nw == ALLOW_MAXWORDS) {
			*why = "too many words for any allowed command";
			return (-1);
		}
		if (s[i] == '"' || s[i] == '\'') {
			if ((q = memchr(s + i + 1, s[i], n - i - 1)) == NULL) {
				*why = "unterminated quote in the command";
				return (-1);
			}
			j = (size_t)(q - s) + 1;
			if (j < n && s[j] != ' ') {
				*why = "text after a closing quote";
				return (-1);
			}
		} else {
			for (j = i; j < n && s[j] != ' '; j++) {
				if (s[j] == '"' || s[j] == '\'') {
					*why = "quote inside a word";
					return (-1);
				}
			}
		}
		w[*nw].s = s + i;
		w[*nw].n = j - i;
		(*nw)++;
		if (j < n && ++j == n) {
			*why = "extra space in the command";
			return (-1);
		}
		i = j;
	}
	return (0);
}

static int
allow_is(const struct allow_word *w, const char *lit)
{
	return (strlen(lit) == w->n && memcmp(w->s, lit, w->n) == 0);
}

/* The command words against one pattern of the table. */
static int
allow_match(const char *pattern, const struct allow_word *w, size_t nw)
{
	const char	*p = pattern, *e;
	size_t		 i, pn;

	for (i = 0; *p != '\0'; i++) {
		if ((e = strchr(p, ' ')) == NULL)
			e = p + strlen(p);
		pn = (size_t)(e - p);
		if (i == nw)
			return (0);
		if (p[0] == '%') {
			if (!allow_arg(p, pn, w[i].s, w[i].n))
				return (0);
		} else if (pn != w[i].n || memcmp(p, w[i].s, pn) != 0)
			return (0);
		p = *e == ' ' ? e + 1 : e;
	}
	return (i == nw);
}

static int
allow_known_vdom(const struct allow_ctx *ctx, const struct allow_word *w)
{
	char *const	*v;

	if (!allow_bare_name(w->s, w->n))
		return (0);
	if (ctx->vdoms == NULL)
		return (1);
	for (v = ctx->vdoms; *v != NULL; v++)
		if (allow_is(w, *v))
			return (1);
	return (0);
}

/* config vdom / config global / edit / end / exit: 1, 0 or -1 (refused). */
static int
allow_group(struct allow_ctx *ctx, const struct allow_word *w, size_t nw,
    const char **why)
{
	if (nw == 2 && allow_is(&w[0], "config")) {
		if (!allow_is(&w[1], "vdom") && !allow_is(&w[1], "global"))
			return (0);
		if (ctx->state != ALLOW_TOP) {
			*why = "config inside a config block";
			return (-1);
		}
		ctx->state = allow_is(&w[1], "vdom") ? ALLOW_VDOMS :
		    ALLOW_GLOBAL;
		return (1);
	}
	if (nw == 2 && allow_is(&w[0], "edit")) {
		if (ctx->state != ALLOW_VDOMS) {
			*why = "edit is allowed only directly after config vdom";
			return (-1);
		}
		if (!allow_known_vdom(ctx, &w[1])) {
			*why = "edit names no known VDOM";
			return (-1);
		}
		ctx->state = ALLOW_VDOM;
		return (1);
	}
	if (nw == 1 && allow_is(&w[0], "end")) {
		if (ctx->state == ALLOW_TOP) {
			*why = "end outside config vdom or config global";
			return (-1);
		}
		ctx->state = ALLOW_TOP;
		return (1);
	}
	if (nw == 1 && allow_is(&w[0], "exit")) {
		/* Logging out is the last thing; inside a block it is not. */
		if (ctx->state != ALLOW_TOP) {
			*why = "exit inside a config block";
			return (-1);
		}
		ctx->state = ALLOW_DONE;
		return (1);
	}
	return (0);
}

int
allow_check(struct allow_ctx *ctx, const char *s, size_t n, const char **why)
{
	struct allow_word	 w[ALLOW_MAXWORDS];
	size_t			 i, nw;
	int			 r;

	*why = NULL;
	if (ctx->state == ALLOW_DONE) {
		*why = "nothing may follow exit";
		return (0);
	}
	if (n > ALLOW_MAXLEN) {
		*why = "command too long";
		return (0);
	}
	for (i = 0; i < n; i++) {
		if (!allow_plain((unsigned char)s[i])) {
			*why = s[i] == '?' ? "? in the command (the CLI's help "
			    "key)" : "control byte or non-ASCII byte in the "
			    "command";
			return (0);
		}
	}
	if (allow_split(s, n, w, &nw, why) == -1)
		return (0);
	if (nw == 0)
		return (1);	/* Enter alone: the prompt again */
	if ((r = allow_group(ctx, w, nw, why)) != 0)
		return (r == 1);
	if (ctx->state == ALLOW_VDOMS) {
		*why = "only edit VDOM or end may follow config vdom";
		return (0);
	}
	for (i = 0; allow_commands[i] != NULL; i++)
		if (allow_match(allow_commands[i], w, nw))
			return (1);
	*why = "not on fgtop's allowlist of read-only commands";
	return (0);
}
