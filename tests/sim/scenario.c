/* SPDX-License-Identifier: ISC */
/*
 * scenario.c - read a scenario file into a world of devices, VDOMs and
 * tunnels.
 *
 * The format (documented in tests/sim/README) is line based: one keyword
 * and its arguments a line, `#` starts a comment, double quotes group
 * words.  Indentation is for the reader only: `device` opens a device,
 * `vdom` a VDOM inside it, `tunnel` a tunnel inside the VDOM, and every
 * other keyword applies to the innermost object that accepts it, so a
 * tunnel's `fault psk-mismatch` and a device's `fault slow 2000` never
 * collide.  Anything unknown is an error with its line number: a scenario
 * that silently means something else is worse than one that fails.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"

#define MAXTOK	32

static const char *const fault_names[F__N] = {
	"none", "psk-mismatch", "proposal-mismatch", "selector-mismatch",
	"snat", "no-route", "natt-blocked", "silent-peer", "dpd", "flapping",
	"no-policy"
};

struct loader {
	struct sim_world	*w;
	struct sim_device	*dev;
	struct sim_vdom		*vdom;
	struct sim_tunnel	*tun;
	const char		*path;
	int			 line;
	char			*err;
	size_t			 errlen;
};

/* xorshift32: small, seedable, the same on every platform. */
uint32_t
scenario_rand(uint32_t *s)
{
	uint32_t	 x = *s ? *s : 0x9e3779b9U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return (x);
}

uint32_t
scenario_hash(uint32_t a, uint32_t b)
{
	uint32_t	 h = a * 0x9e3779b1U ^ (b + 0x7f4a7c15U);

	h ^= h >> 16;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	h *= 0xc2b2ae35U;
	h ^= h >> 16;
	return (h);
}

static uint32_t
sc_str_hash(const char *s)
{
	uint32_t	 h = 2166136261U;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619U;
	return (h);
}

static void *
sc_xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		abort();
	return (p);
}

static char *
sc_xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		abort();
	return (p);
}

static void *
sc_xreallocarray(void *p, size_t n, size_t sz)
{
	if (n != 0 && sz > (size_t)-1 / n)
		abort();
	if ((p = realloc(p, n * sz == 0 ? 1 : n * sz)) == NULL)
		abort();
	return (p);
}

static int	sc_fail(struct loader *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
sc_fail(struct loader *ld, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ld->err, ld->errlen, "%s:%d: %s", ld->path, ld->line, msg);
	return (-1);
}

/* Split a line into words: quotes group, # outside quotes ends the line. */
static int
sc_tokenize(char *s, char **tok, int max)
{
	int	 n = 0;
	char	*o;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == '#')
			break;
		if (n == max)
			return (-1);
		if (*s == '"') {
			tok[n++] = o = ++s;
			while (*s != '\0' && *s != '"') {
				if (*s == '\\' && s[1] != '\0')
					s++;
				*o++ = *s++;
			}
			if (*s == '"')
				s++;
			*o = '\0';
			/* Step past the gap the closing quote left. */
			if (o != s && *s != '\0' && !isspace((unsigned char)*s))
				return (-1);
			continue;
		}
		tok[n++] = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
		if (*s != '\0')
			*s++ = '\0';
	}
	return (n);
}

int
scenario_ip4(const char *s, uint32_t *out)
{
	unsigned int	 a, b, c, d;
	char		 tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
	    a > 255 || b > 255 || c > 255 || d > 255)
		return (-1);
	*out = a << 24 | b << 16 | c << 8 | d;
	return (0);
}

/* "10.0.0.0/24", "10.0.0.0/255.255.255.0", "10.0.0.1" (a /32), "any". */
int
scenario_prefix(const char *s, uint32_t *addr, uint32_t *mask)
{
	char		 buf[64];
	char		*slash;
	unsigned long	 len;
	char		*end;

	if (strcmp(s, "any") == 0 || strcmp(s, "all") == 0) {
		*addr = *mask = 0;
		return (0);
	}
	if (strlen(s) >= sizeof(buf))
		return (-1);
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL) {
		*mask = 0xffffffffU;
		return (scenario_ip4(buf, addr));
	}
	*slash++ = '\0';
	if (scenario_ip4(buf, addr) != 0)
		return (-1);
	if (strchr(slash, '.') != NULL)
		return (scenario_ip4(slash, mask));
	errno = 0;
	len = strtoul(slash, &end, 10);
	if (*end != '\0' || len > 32)
		return (-1);
	*mask = len == 0 ? 0 : 0xffffffffU << (32 - len);
	*addr &= *mask;
	return (0);
}

static int
sc_get_num(struct loader *ld, const char *s, double *v)
{
	char	*end;
	double	 mul = 1;

	errno = 0;
	*v = strtod(s, &end);
	if (end == s || errno != 0)
		return (sc_fail(ld, "not a number: %s", s));
	if (*end == 's' && end[1] == '\0')
		end++;
	else if (*end == 'm' && end[1] == '\0') {
		mul = 60;
		end++;
	} else if (*end == 'h' && end[1] == '\0') {
		mul = 3600;
		end++;
	} else if ((*end == 'k' || *end == 'K') && end[1] == '\0') {
		mul = 1000;
		end++;
	} else if (*end == 'M' && end[1] == '\0') {
		mul = 1000000;
		end++;
	}
	if (*end != '\0' || *v < 0)
		return (sc_fail(ld, "not a number: %s", s));
	*v *= mul;
	return (0);
}

/* 0 for the first word, 1 for the second, -1 for anything else. */
static int
sc_choice(const char *s, const char *w0, const char *w1)
{
	if (strcmp(s, w0) == 0)
		return (0);
	return (strcmp(s, w1) == 0 ? 1 : -1);
}

static int
sc_fault_from(const char *s)
{
	int	 i;

	for (i = 0; i < F__N; i++)
		if (strcmp(s, fault_names[i]) == 0)
			return (i);
	return (-1);
}

static int
sc_state_from(const char *s)
{
	if (strcmp(s, "up") == 0)
		return (ST_UP);
	if (strcmp(s, "connecting") == 0)
		return (ST_CONNECTING);
	if (strcmp(s, "p2-down") == 0)
		return (ST_P2DOWN);
	return (-1);
}

/* The state a fault puts a tunnel in, unless the scenario says otherwise. */
static int
sc_state_for_fault(int f)
{
	switch (f) {
	case F_PSK:
	case F_PROPOSAL:
	case F_NOROUTE:
	case F_NATT:
	case F_SILENT:
		return (ST_CONNECTING);
	case F_SELECTOR:
	case F_NOPOLICY:
		return (ST_P2DOWN);
	default:
		return (ST_UP);
	}
}

static struct sim_vdom *
sc_vdom_add(struct sim_device *d, const char *name)
{
	struct sim_vdom	*v;

	v = sc_xcalloc(1, sizeof(*v));
	v->name = sc_xstrdup(name);
	v->index = (int)d->nvdoms;
	v->dev = d;
	d->vdoms = sc_xreallocarray(d->vdoms, d->nvdoms + 1, sizeof(*d->vdoms));
	d->vdoms[d->nvdoms++] = v;
	return (v);
}

static struct sim_vdom *
sc_vdom_find(struct sim_device *d, const char *name)
{
	size_t	 i;

	for (i = 0; i < d->nvdoms; i++)
		if (strcmp(d->vdoms[i]->name, name) == 0)
			return (d->vdoms[i]);
	return (NULL);
}

static void
sc_vdom_push(struct sim_vdom *v, struct sim_tunnel *t)
{
	if (v->ntunnels == v->captunnels) {
		v->captunnels = v->captunnels ? v->captunnels * 2 : 8;
		v->tunnels = sc_xreallocarray(v->tunnels, v->captunnels,
		    sizeof(*v->tunnels));
	}
	v->tunnels[v->ntunnels++] = t;
}

static int
sc_iface_index(const char *s)
{
	int	 n;

	if (sscanf(s, "port%d", &n) == 1)
		return (n + 1);
	if (sscanf(s, "wan%d", &n) == 1)
		return (4 + n);
	return (10 + (int)(sc_str_hash(s) % 20));
}

static struct sim_device *
sc_device_new(struct loader *ld, const char *host)
{
	struct sim_device	*d;
	struct sim_world	*w = ld->w;

	d = sc_xcalloc(1, sizeof(*d));
	d->world = w;
	d->index = (int)w->ndevices;
	d->hostname = sc_xstrdup(host);
	d->model = sc_xstrdup("FortiGate-60F");
	d->version = sc_xstrdup("7.4.3");
	d->build = -1;
	d->info.pager = 1;
	d->info.page_lines = 0;	/* as tall as the client's pty */
	w->devices = sc_xreallocarray(w->devices, w->ndevices + 1,
	    sizeof(*w->devices));
	w->devices[w->ndevices++] = d;
	return (d);
}

static struct sim_tunnel *
sc_tunnel_new(struct loader *ld, const char *name)
{
	struct sim_tunnel	*t;

	if (ld->vdom == NULL &&
	    (ld->vdom = sc_vdom_find(ld->dev, "root")) == NULL)
		ld->vdom = sc_vdom_add(ld->dev, "root");
	t = sc_xcalloc(1, sizeof(*t));
	t->name = sc_xstrdup(name);
	t->vdom = ld->vdom;
	t->iface = sc_xstrdup("wan1");
	t->ike = 1;
	t->proposal = sc_xstrdup("aes128-sha256");
	t->dpd_mode = 0;
	t->dpd_idle_ms = 20000;
	t->dpd_seqno0 = -1;
	t->keylife = 43200;
	t->p1life = 86400;
	t->ilast0 = -1;
	t->state0 = -1;
	t->serial = -1;
	t->seed = sc_str_hash(name) ^ (uint32_t)ld->dev->index * 7919U;
	sc_vdom_push(ld->vdom, t);
	return (t);
}

static int
sc_dev_fault(struct loader *ld, char **tok, int n)
{
	struct sim_faults	*f = &ld->dev->info.faults;
	double			 v, v2;

	if (n < 2)
		return (sc_fail(ld, "fault needs a kind"));
	if (strcmp(tok[1], "slow") == 0 && n == 3) {
		if (sc_get_num(ld, tok[2], &v) != 0)
			return (-1);
		f->slow_bps = (long)v;
	} else if (strcmp(tok[1], "stall") == 0 && n == 5 &&
	    strcmp(tok[3], "after") == 0) {
		if (sc_get_num(ld, tok[2], &v) != 0 ||
		    sc_get_num(ld, tok[4], &v2) != 0)
			return (-1);
		f->stall_s = v;
		f->stall_after = (size_t)v2;
	} else if (strcmp(tok[1], "drop") == 0 && n == 4 &&
	    strcmp(tok[2], "after") == 0) {
		if (sc_get_num(ld, tok[3], &v) != 0)
			return (-1);
		f->drop_after = (size_t)v;
	} else if (strcmp(tok[1], "refuse-second") == 0 && n == 2)
		f->refuse_second = 1;
	else if (strcmp(tok[1], "auth-fail") == 0 && n == 2)
		f->auth_fail = 1;
	else if (strcmp(tok[1], "new-hostkey") == 0 && n == 2)
		f->new_hostkey = 1;
	else if (strcmp(tok[1], "garbage") == 0 && n == 2)
		f->garbage = 1;
	else if (strcmp(tok[1], "huge") == 0 && n == 3) {
		if (sc_get_num(ld, tok[2], &v) != 0)
			return (-1);
		f->huge_bytes = (size_t)v;
	} else if (strcmp(tok[1], "stderr") == 0 && n == 3) {
		if (sc_get_num(ld, tok[2], &v) != 0)
			return (-1);
		f->stderr_bytes = (size_t)v;
	} else
		return (sc_fail(ld, "unknown device fault: %s", tok[1]));
	return (0);
}

static int
sc_dev_user(struct loader *ld, char **tok, int n)
{
	struct sim_device	*d = ld->dev;
	struct sim_cred		*c;
	int			 i;

	if (n < 2)
		return (sc_fail(ld, "user needs a name"));
	d->creds = sc_xreallocarray(d->creds, d->ncreds + 1, sizeof(*d->creds));
	c = &d->creds[d->ncreds++];
	memset(c, 0, sizeof(*c));
	c->user = sc_xstrdup(tok[1]);
	for (i = 2; i + 1 < n; i += 2) {
		if (strcmp(tok[i], "password") == 0)
			c->password = sc_xstrdup(tok[i + 1]);
		else if (strcmp(tok[i], "pubkey") == 0)
			c->pubkey = sc_xstrdup(tok[i + 1]);
		else if (strcmp(tok[i], "token") == 0)
			c->token = sc_xstrdup(tok[i + 1]);
		else
			return (sc_fail(ld, "unknown user option: %s", tok[i]));
	}
	if (i != n)
		return (sc_fail(ld, "user option without a value"));
	return (0);
}

static int
sc_dev_at(struct loader *ld, char **tok, int n)
{
	struct sim_device	*d = ld->dev;
	struct sim_event	*e;
	double			 t;
	int			 i;

	/* at 30s tunnel X down [reason F] | up | fault F | state S */
	if (n < 5 || strcmp(tok[2], "tunnel") != 0)
		return (sc_fail(ld, "usage: at TIME tunnel NAME up|down|..."));
	if (sc_get_num(ld, tok[1], &t) != 0)
		return (-1);
	d->events = sc_xreallocarray(d->events, d->nevents + 1,
	    sizeof(*d->events));
	e = &d->events[d->nevents++];
	e->t = t;
	e->tunnel = sc_xstrdup(tok[3]);
	e->state = e->fault = -1;
	for (i = 4; i < n; i++) {
		if (strcmp(tok[i], "up") == 0) {
			e->state = ST_UP;
			if (e->fault < 0)
				e->fault = F_NONE;
		} else if (strcmp(tok[i], "down") == 0)
			e->state = ST_CONNECTING;
		else if ((strcmp(tok[i], "reason") == 0 ||
		    strcmp(tok[i], "fault") == 0) && i + 1 < n) {
			if ((e->fault = sc_fault_from(tok[++i])) < 0)
				return (sc_fail(ld, "unknown fault: %s",
				    tok[i]));
			if (e->state < 0)
				e->state = sc_state_for_fault(e->fault);
		} else if (strcmp(tok[i], "state") == 0 && i + 1 < n) {
			if ((e->state = sc_state_from(tok[++i])) < 0)
				return (sc_fail(ld, "unknown state: %s",
				    tok[i]));
		} else
			return (sc_fail(ld, "unknown event word: %s", tok[i]));
	}
	if (e->state == ST_CONNECTING && e->fault < 0)
		e->fault = F_SILENT;
	return (0);
}

static int
sc_device_kw(struct loader *ld, char **tok, int n)
{
	struct sim_device	*d = ld->dev;
	double			 v;

	if (strcmp(tok[0], "model") == 0 && n == 2) {
		free(d->model);
		d->model = sc_xstrdup(tok[1]);
	} else if (strcmp(tok[0], "version") == 0 && n == 2) {
		free(d->version);
		d->version = sc_xstrdup(tok[1]);
	} else if (strcmp(tok[0], "build") == 0 && (n == 2 || n == 3)) {
		if (sc_get_num(ld, tok[1], &v) != 0)
			return (-1);
		d->build = (long)v;
		if (n == 3) {
			free(d->builddate);
			d->builddate = sc_xstrdup(tok[2]);
		}
	} else if (strcmp(tok[0], "serial") == 0 && n == 2) {
		free(d->serial);
		d->serial = sc_xstrdup(tok[1]);
	} else if (strcmp(tok[0], "pager") == 0 && (n == 2 || n == 3)) {
		d->info.pager = strcmp(tok[1], "on") == 0;
		if (!d->info.pager && strcmp(tok[1], "off") != 0)
			return (sc_fail(ld, "pager on|off [LINES]"));
		/* No LINES: pages as tall as the client's pty, as a box does. */
		d->info.page_lines = 0;
		if (n == 3) {
			if (!d->info.pager ||
			    sc_get_num(ld, tok[2], &v) != 0 || v < 2 ||
			    v > 1000000)
				return (sc_fail(ld, "bad page size"));
			d->info.page_lines = (int)v;
		}
	} else if (strcmp(tok[0], "user") == 0)
		return (sc_dev_user(ld, tok, n));
	else if (strcmp(tok[0], "disclaimer") == 0 && n == 2) {
		free(d->banner);
		d->banner = sc_xstrdup(tok[1]);
	} else if (strcmp(tok[0], "fault") == 0)
		return (sc_dev_fault(ld, tok, n));
	else if (strcmp(tok[0], "vdom-mode") == 0 && n == 2) {
		if (strcmp(tok[1], "multi") == 0)
			d->multi_vdom = 1;
		else if (strcmp(tok[1], "single") != 0)
			return (sc_fail(ld, "vdom-mode single|multi"));
	} else if (strcmp(tok[0], "vdom") == 0 && n == 2) {
		ld->tun = NULL;
		if ((ld->vdom = sc_vdom_find(d, tok[1])) == NULL)
			ld->vdom = sc_vdom_add(d, tok[1]);
	} else if (strcmp(tok[0], "at") == 0)
		return (sc_dev_at(ld, tok, n));
	else if (strcmp(tok[0], "tunnel") == 0 && n == 2)
		ld->tun = sc_tunnel_new(ld, tok[1]);
	else
		return (1);
	return (0);
}

static int
sc_tunnel_p2(struct loader *ld, char **tok, int n)
{
	struct sim_tunnel	*t = ld->tun;
	struct sim_p2		*p;
	int			 i;
	double			 v;

	t->p2 = sc_xreallocarray(t->p2, t->np2 + 1, sizeof(*t->p2));
	p = &t->p2[t->np2++];
	memset(p, 0, sizeof(*p));
	p->name = sc_xstrdup(n >= 2 ? tok[1] : t->name);
	p->serial = (int)t->np2;
	for (i = 2; i + 1 < n; i += 2) {
		if (strcmp(tok[i], "src") == 0) {
			if (scenario_prefix(tok[i + 1], &p->src,
			    &p->srcmask) != 0)
				return (sc_fail(ld, "bad prefix: %s",
				    tok[i + 1]));
		} else if (strcmp(tok[i], "dst") == 0) {
			if (scenario_prefix(tok[i + 1], &p->dst,
			    &p->dstmask) != 0)
				return (sc_fail(ld, "bad prefix: %s",
				    tok[i + 1]));
		} else if (strcmp(tok[i], "serial") == 0) {
			if (sc_get_num(ld, tok[i + 1], &v) != 0)
				return (-1);
			p->serial = (int)v;
		} else
			return (sc_fail(ld, "unknown phase2 word: %s", tok[i]));
	}
	if (i != n)
		return (sc_fail(ld, "phase2 word without a value"));
	return (0);
}

static int
sc_tunnel_counters(struct loader *ld, char **tok, int n)
{
	struct sim_tunnel	*t = ld->tun;
	int			 i;
	double			 v;

	for (i = 1; i + 1 < n; i += 2) {
		if (sc_get_num(ld, tok[i + 1], &v) != 0)
			return (-1);
		if (strcmp(tok[i], "rx") == 0)
			t->rx0 = (unsigned long long)v;
		else if (strcmp(tok[i], "tx") == 0)
			t->tx0 = (unsigned long long)v;
		else if (strcmp(tok[i], "rxerr") == 0)
			t->rxerr0 = (unsigned long long)v;
		else if (strcmp(tok[i], "txerr") == 0)
			t->txerr0 = (unsigned long long)v;
		else
			return (sc_fail(ld, "counters rx|tx|rxerr|txerr N"));
	}
	if (i != n)
		return (sc_fail(ld, "counters word without a value"));
	return (0);
}

static int
sc_tunnel_kw(struct loader *ld, char **tok, int n)
{
	struct sim_tunnel	*t = ld->tun;
	double			 v;
	char			*end;

	if (strcmp(tok[0], "type") == 0 && n == 2) {
		if (strcmp(tok[1], "static") == 0)
			t->type = TT_STATIC;
		else if (strcmp(tok[1], "dialup") == 0)
			t->type = TT_DIALUP;
		else if (strcmp(tok[1], "advpn-hub") == 0)
			t->type = TT_ADVPN;
		else
			return (sc_fail(ld, "type static|dialup|advpn-hub"));
	} else if (strcmp(tok[0], "interface") == 0 && (n == 2 || n == 3)) {
		free(t->iface);
		t->iface = sc_xstrdup(tok[1]);
		if (n == 3) {
			if (sc_get_num(ld, tok[2], &v) != 0)
				return (-1);
			t->ifindex = (int)v;
		}
	} else if (strcmp(tok[0], "local") == 0 && n == 2) {
		if (scenario_ip4(tok[1], &t->local) != 0)
			return (sc_fail(ld, "bad address: %s", tok[1]));
	} else if (strcmp(tok[0], "remote") == 0 && n == 2) {
		if (scenario_ip4(tok[1], &t->remote) != 0)
			return (sc_fail(ld, "bad address: %s", tok[1]));
	} else if (strcmp(tok[0], "ike") == 0 && n == 2) {
		if (strcmp(tok[1], "1") != 0 && strcmp(tok[1], "2") != 0)
			return (sc_fail(ld, "ike 1|2"));
		t->ike = tok[1][0] - '0';
	} else if (strcmp(tok[0], "mode") == 0 && n == 2) {
		if ((t->aggressive = sc_choice(tok[1], "main",
		    "aggressive")) < 0)
			return (sc_fail(ld, "mode main|aggressive"));
	} else if (strcmp(tok[0], "proposal") == 0 && n == 2) {
		free(t->proposal);
		t->proposal = sc_xstrdup(tok[1]);
	} else if (strcmp(tok[0], "phase2") == 0)
		return (sc_tunnel_p2(ld, tok, n));
	else if (strcmp(tok[0], "state") == 0 && n == 2) {
		if ((t->state0 = sc_state_from(tok[1])) < 0)
			return (sc_fail(ld, "state up|connecting|p2-down"));
	} else if (strcmp(tok[0], "fault") == 0 && n == 2 &&
	    sc_fault_from(tok[1]) >= 0) {
		t->fault0 = sc_fault_from(tok[1]);
	} else if (strcmp(tok[0], "traffic") == 0 && (n == 2 ||
	    (n == 3 && strcmp(tok[2], "pps") == 0))) {
		if (sc_get_num(ld, tok[1], &v) != 0)
			return (-1);
		t->pps = v;
	} else if (strcmp(tok[0], "direction") == 0 && n == 2) {
		if ((t->responder = sc_choice(tok[1], "initiator",
		    "responder")) < 0)
			return (sc_fail(ld, "direction initiator|responder"));
	} else if (strcmp(tok[0], "dpd") == 0 && (n == 2 || n == 3 ||
	    (n == 5 && strcmp(tok[3], "seqno") == 0))) {
		if (strcmp(tok[1], "on-demand") == 0)
			t->dpd_mode = 0;
		else if (strcmp(tok[1], "on-idle") == 0)
			t->dpd_mode = 1;
		else if (strcmp(tok[1], "disable") == 0)
			t->dpd_mode = 2;
		else
			return (sc_fail(ld, "dpd on-demand|on-idle|disable"));
		if (n >= 3) {
			if (sc_get_num(ld, tok[2], &v) != 0)
				return (-1);
			t->dpd_idle_ms = (int)v;
		}
		if (n == 5) {
			if (sc_get_num(ld, tok[4], &v) != 0)
				return (-1);
			t->dpd_seqno0 = (long)v;
		}
	} else if (strcmp(tok[0], "nat") == 0 && n == 1)
		t->natt = 1;
	else if (strcmp(tok[0], "keylife") == 0 && n == 2) {
		if (sc_get_num(ld, tok[1], &v) != 0 || v < 120)
			return (sc_fail(ld, "keylife: at least 120 seconds"));
		t->keylife = (long)v;
	} else if (strcmp(tok[0], "created") == 0 && n == 2) {
		if (sc_get_num(ld, tok[1], &v) != 0)
			return (-1);
		t->age0 = v;
	} else if (strcmp(tok[0], "idle") == 0 && n == 2) {
		if (sc_get_num(ld, tok[1], &v) != 0)
			return (-1);
		t->ilast0 = (long)v;
	} else if (strcmp(tok[0], "counters") == 0)
		return (sc_tunnel_counters(ld, tok, n));
	else if (strcmp(tok[0], "serial") == 0 && n == 2 &&
	    isdigit((unsigned char)tok[1][0])) {
		if (sc_get_num(ld, tok[1], &v) != 0)
			return (-1);
		t->serial = (int)v;
	} else if (strcmp(tok[0], "ike-sa") == 0 && n == 3) {
		if (sc_get_num(ld, tok[1], &v) != 0)
			return (-1);
		t->ike_id0 = (unsigned long)v;
		t->cookie0 = strtoull(tok[2], &end, 16);
		if (*end != '\0' || strlen(tok[2]) != 16)
			return (sc_fail(ld, "ike-sa ID 16-HEX-DIGIT-COOKIE"));
	} else if (strcmp(tok[0], "children") == 0 && n == 2) {
		if (sc_get_num(ld, tok[1], &v) != 0 || v > 100000)
			return (sc_fail(ld, "children: 0 to 100000"));
		t->nchildren = (int)v;
		if (t->type == TT_STATIC)
			t->type = TT_DIALUP;
	} else if (strcmp(tok[0], "summary-indent") == 0 && n == 1)
		t->summary_indent = 1;
	else
		return (1);
	return (0);
}

static int
sc_load_line(struct loader *ld, char *line)
{
	char	*tok[MAXTOK];
	int	 n, r;

	if ((n = sc_tokenize(line, tok, MAXTOK)) < 0)
		return (sc_fail(ld, "bad quoting or too many words"));
	if (n == 0)
		return (0);
	if (strcmp(tok[0], "device") == 0) {
		if (n != 2)
			return (sc_fail(ld, "usage: device HOSTNAME"));
		ld->dev = sc_device_new(ld, tok[1]);
		ld->vdom = NULL;
		ld->tun = NULL;
		return (0);
	}
	if (ld->dev == NULL)
		return (sc_fail(ld, "%s before the first device", tok[0]));
	if (ld->tun != NULL && (r = sc_tunnel_kw(ld, tok, n)) <= 0)
		return (r);
	if ((r = sc_device_kw(ld, tok, n)) <= 0)
		return (r);
	return (sc_fail(ld, "unknown or misplaced keyword: %s", tok[0]));
}

static void
sc_version_split(struct sim_device *d)
{
	d->vmaj = 7;
	d->vmin = d->vpatch = 0;
	sscanf(d->version, "%d.%d.%d", &d->vmaj, &d->vmin, &d->vpatch);
	if (d->vmaj < 6 || (d->vmaj == 6 && d->vmin < 4))
		d->flavour = FL_LEGACY;
	else if (d->vmaj == 6 || (d->vmaj == 7 && d->vmin < 2))
		d->flavour = FL_64;
	else
		d->flavour = FL_7;
}

/* Dial-up children become tunnels of their own, placed before the parent. */
static void
sc_expand_children(struct sim_vdom *v)
{
	struct sim_tunnel	**old = v->tunnels, *p, *c;
	size_t			  n = v->ntunnels, i;
	int			  k;
	char			  name[256];

	v->tunnels = NULL;
	v->ntunnels = v->captunnels = 0;
	for (i = 0; i < n; i++) {
		p = old[i];
		if (p->type != TT_STATIC)
			p->is_template = 1;
		for (k = 0; k < p->nchildren; k++) {
			c = sc_xcalloc(1, sizeof(*c));
			*c = *p;
			snprintf(name, sizeof(name), "%s_%d", p->name, k);
			c->name = sc_xstrdup(name);
			c->iface = sc_xstrdup(p->iface);
			c->proposal = sc_xstrdup(p->proposal);
			c->p2 = NULL;
			c->np2 = 0;
			c->is_template = 0;
			c->nchildren = 0;
			c->parent = p;
			c->index = k;
			c->responder = 1;
			c->seed = scenario_hash(p->seed, (uint32_t)k);
			/* 100.64.0.0/10, never .0 or .255 */
			c->remote = 0x64400000U + ((uint32_t)(k / 250) << 8) +
			    (uint32_t)(k % 250) + 2;
			c->age0 = p->age0 + (double)(scenario_hash(c->seed, 1) % 3600);
			c->rx0 = scenario_hash(c->seed, 2) % 90000;
			c->tx0 = c->rx0 - c->rx0 / 50;
			sc_vdom_push(v, c);
		}
		sc_vdom_push(v, p);
	}
	free(old);
}

static void
sc_tunnel_init(struct sim_device *d, struct sim_tunnel *t, int serial)
{
	if (t->serial < 0)
		t->serial = serial;
	if (t->ifindex == 0)
		t->ifindex = sc_iface_index(t->iface);
	if (t->np2 == 0 && t->parent == NULL) {
		t->p2 = sc_xcalloc(1, sizeof(*t->p2));
		t->p2[0].name = sc_xstrdup(t->name);
		t->p2[0].serial = 1;
		t->np2 = 1;
	}
	if (t->local == 0)
		t->local = 0xc6336401U + (uint32_t)d->index;	/* 198.51.100.x */
	if (t->dpd_seqno0 < 0)
		t->dpd_seqno0 = scenario_hash(t->seed, 3) % 600;
	if (t->ike_id0 == 0)
		t->ike_id0 = scenario_hash(t->seed, 4) % 30000;
	if (t->cookie0 == 0)
		t->cookie0 = (uint64_t)scenario_hash(t->seed, 5) << 32 |
		    scenario_hash(t->seed, 6);
	t->soft = t->keylife - 100 - (long)(scenario_hash(t->seed, 7) % 200);
	if (t->state0 < 0)
		t->state0 = sc_state_for_fault(t->fault0);
	if (t->fault0 == F_NATT)
		t->natt = 1;
	t->rng = t->seed | 1;
	t->state = t->state0;
	t->fault = t->fault0;
	t->t_state = t->t_p1 = -t->age0;
	t->rxp_base = t->rx0;
	t->txp_base = t->tx0;
	t->nest = 1;
	t->toggle_next = -1;
}

static int
sc_finish_device(struct loader *ld, struct sim_device *d)
{
	size_t			 i, j, nt = 0;
	struct sim_tunnel	*t;
	int			 serial;

	sc_version_split(d);
	if (d->serial == NULL) {
		char	 buf[32];

		snprintf(buf, sizeof(buf), "FGT60FTK22%06u",
		    scenario_hash(sc_str_hash(d->hostname), 8) % 1000000);
		d->serial = sc_xstrdup(buf);
	}
	if (d->nvdoms == 0)
		sc_vdom_add(d, "root");
	if (!d->multi_vdom && d->nvdoms > 1) {
		ld->line = 0;
		return (sc_fail(ld, "device %s: several VDOMs need vdom-mode "
		    "multi", d->hostname));
	}
	if (d->ncreds == 0) {
		d->creds = sc_xcalloc(1, sizeof(*d->creds));
		d->creds[0].user = sc_xstrdup("admin");
		d->creds[0].password = sc_xstrdup("fgtsim");
		d->ncreds = 1;
	}
	d->vdom_names = sc_xcalloc(d->nvdoms, sizeof(*d->vdom_names));
	for (i = 0; i < d->nvdoms; i++) {
		d->vdom_names[i] = d->vdoms[i]->name;
		sc_expand_children(d->vdoms[i]);
		serial = 1;
		for (j = 0; j < d->vdoms[i]->ntunnels; j++) {
			t = d->vdoms[i]->tunnels[j];
			sc_tunnel_init(d, t, serial++);
			if (t->fault == F_FLAP || t->fault == F_DPD) {
				d->toggling = sc_xreallocarray(d->toggling,
				    d->ntoggling + 1, sizeof(*d->toggling));
				d->toggling[d->ntoggling++] = t;
			}
			nt++;
		}
	}
	for (i = 0; i < d->nevents; i++) {
		for (j = 0; j < d->nvdoms; j++) {
			size_t	 k;

			for (k = 0; k < d->vdoms[j]->ntunnels; k++)
				if (strcmp(d->vdoms[j]->tunnels[k]->name,
				    d->events[i].tunnel) == 0)
					break;
			if (k < d->vdoms[j]->ntunnels)
				break;
		}
		if (j == d->nvdoms) {
			ld->line = 0;
			return (sc_fail(ld, "device %s: event names unknown "
			    "tunnel %s", d->hostname, d->events[i].tunnel));
		}
	}
	d->info.hostname = d->hostname;
	d->info.version = d->version;
	d->info.multi_vdom = d->multi_vdom;
	d->info.vdoms = d->vdom_names;
	d->info.nvdoms = d->nvdoms;
	d->info.banner = d->banner;
	d->info.creds = d->creds;
	d->info.ncreds = d->ncreds;
	return (0);
}

static int
sc_event_cmp(const void *a, const void *b)
{
	const struct sim_event	*x = a, *y = b;

	if (x->t < y->t)
		return (-1);
	return (x->t > y->t);
}

struct sim_world *
sim_world_load(const char *path, char *err, size_t errlen)
{
	struct loader	 ld;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, i;
	ssize_t		 len;
	int		 rc = 0;

	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.err = err;
	ld.errlen = errlen;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	ld.w = sc_xcalloc(1, sizeof(*ld.w));
	while (rc == 0 && (len = getline(&line, &cap, f)) != -1) {
		ld.line++;
		if (strlen(line) != (size_t)len)
			rc = sc_fail(&ld, "NUL byte in line");
		else
			rc = sc_load_line(&ld, line);
	}
	free(line);
	fclose(f);
	if (rc == 0 && ld.w->ndevices == 0) {
		ld.line = 0;
		rc = sc_fail(&ld, "no device");
	}
	for (i = 0; rc == 0 && i < ld.w->ndevices; i++) {
		rc = sc_finish_device(&ld, ld.w->devices[i]);
		if (ld.w->devices[i]->nevents > 1)
			qsort(ld.w->devices[i]->events,
			    ld.w->devices[i]->nevents,
			    sizeof(struct sim_event), sc_event_cmp);
	}
	if (rc != 0) {
		sim_world_free(ld.w);
		return (NULL);
	}
	return (ld.w);
}

static void
sc_tunnel_free(struct sim_tunnel *t)
{
	size_t	 i;

	for (i = 0; i < t->np2; i++)
		free(t->p2[i].name);
	free(t->p2);
	free(t->name);
	free(t->iface);
	free(t->proposal);
	free(t);
}

static void
sc_device_free(struct sim_device *d)
{
	size_t	 i, j;

	for (i = 0; i < d->nvdoms; i++) {
		for (j = 0; j < d->vdoms[i]->ntunnels; j++)
			sc_tunnel_free(d->vdoms[i]->tunnels[j]);
		free(d->vdoms[i]->tunnels);
		free(d->vdoms[i]->name);
		free(d->vdoms[i]);
	}
	free(d->vdoms);
	free(d->vdom_names);
	for (i = 0; i < d->ncreds; i++) {
		free((char *)(uintptr_t)d->creds[i].user);
		free((char *)(uintptr_t)d->creds[i].password);
		free((char *)(uintptr_t)d->creds[i].pubkey);
		free((char *)(uintptr_t)d->creds[i].token);
	}
	free(d->creds);
	for (i = 0; i < d->nevents; i++)
		free(d->events[i].tunnel);
	free(d->events);
	free(d->toggling);
	free(d->hostname);
	free(d->model);
	free(d->version);
	free(d->serial);
	free(d->builddate);
	free(d->banner);
	free(d);
}

void
sim_world_free(struct sim_world *w)
{
	size_t	 i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ndevices; i++)
		sc_device_free(w->devices[i]);
	free(w->devices);
	free(w);
}
