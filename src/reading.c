/* SPDX-License-Identifier: ISC */
/*
 * reading - one-line readings of tool outputs.  See reading.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "reading.h"
#include "routing_table.h"
#include "sniffer.h"
#include "traceroute.h"

static const char *
reading_put(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format, then make the device text in it harmless. */
static const char *
reading_put(char *buf, size_t n, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 len;

	if (n == 0)
		return (buf);
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	len = cli_sanitize(buf, strlen(buf), buf);
	buf[len] = '\0';
	return (buf);
}

static const char *
reading_str(const char *s)
{
	return (s != NULL ? s : "?");
}

/* The next hop the FIB uses: the starred one, else the first. */
static const struct rt_nexthop *
reading_nexthop(const struct rt_route *r)
{
	size_t	 i;

	for (i = 0; i < r->nnexthops; i++)
		if (r->nexthops[i].fib == 1)
			return (&r->nexthops[i]);
	return (r->nnexthops > 0 ? &r->nexthops[0] : NULL);
}

const char *
reading_route(char *buf, size_t n, const struct routing_table *rt,
    const char *peer, const char *iface)
{
	const struct rt_route	*r = NULL;
	const struct rt_nexthop	*nh = NULL;
	size_t			 i;

	for (i = 0; rt != NULL && i < rt->nroutes; i++) {
		if (rt->routes[i].inactive || rt->routes[i].best == 0)
			continue;
		if ((nh = reading_nexthop(&rt->routes[i])) != NULL) {
			r = &rt->routes[i];
			break;
		}
	}
	if (r == NULL)
		return (reading_put(buf, n, "no active route to %s: this is "
		    "why IKE says could not send IKE Packet", peer));
	if (iface != NULL && nh->interface != NULL &&
	    strcmp(iface, nh->interface) != 0)
		return (reading_put(buf, n, "no active route to %s out of "
		    "%s, the tunnel's interface (the best route, %s, goes via "
		    "%s %s): this is why IKE says could not send IKE Packet",
		    peer, iface, reading_str(r->prefix),
		    reading_str(nh->interface), reading_str(nh->gateway)));
	if (nh->connected || nh->gateway == NULL)
		return (reading_put(buf, n, "active route: %s is directly "
		    "connected on %s", peer, reading_str(nh->interface)));
	if (nh->tunnel != NULL)
		return (reading_put(buf, n, "active route via %s tunnel %s",
		    reading_str(nh->interface), nh->tunnel));
	return (reading_put(buf, n, "active route via %s %s",
	    reading_str(nh->interface), nh->gateway));
}

/* Whether any probe of the hop answered. */
static int
reading_hop_answered(const struct tr_hop *h)
{
	size_t	 i;

	for (i = 0; i < h->nprobes; i++)
		if (h->probes[i].rtt_us != PNUM_UNKNOWN)
			return (1);
	return (0);
}

const char *
reading_trace(char *buf, size_t n, const struct traceroute *tr)
{
	const struct tr_hop	*last = NULL;
	size_t			 i;

	if (tr == NULL)
		return (reading_put(buf, n, "no traceroute output"));
	if (tr->error != NULL)
		return (reading_put(buf, n, "cannot trace: %s", tr->error));
	if (tr->reached == 1 && tr->nhops > 0)
		return (reading_put(buf, n, "reached in %lld hop%s",
		    (long long)tr->hops[tr->nhops - 1].hop,
		    tr->hops[tr->nhops - 1].hop == 1 ? "" : "s"));
	for (i = 0; i < tr->nhops; i++)
		if (reading_hop_answered(&tr->hops[i]))
			last = &tr->hops[i];
	if (last == NULL)
		return (reading_put(buf, n, "no hop answers: the path stops "
		    "at the first hop"));
	return (reading_put(buf, n, "stops after hop %lld (%s)",
	    (long long)last->hop, last->nresponders > 0 ?
	    reading_str(last->responders[0].addr != NULL ?
	    last->responders[0].addr : last->responders[0].name) : "?"));
}

struct reading_port {
	unsigned	 out;
	unsigned	 in;
};

const char *
reading_sniff(char *buf, size_t n, const struct sniffer *sn,
    const char *peer)
{
	struct reading_port	 p500 = { 0, 0 }, p4500 = { 0, 0 }, *p;
	const struct sn_packet	*k;
	size_t			 i;
	int			 in;

	for (i = 0; sn != NULL && i < sn->npackets; i++) {
		k = &sn->packets[i];
		if (k->sport == 4500 || k->dport == 4500)
			p = &p4500;
		else if (k->sport == 500 || k->dport == 500)
			p = &p500;
		else
			continue;
		if (k->direction != NULL)
			in = strcmp(k->direction, "in") == 0;
		else
			in = k->src != NULL && strcmp(k->src, peer) == 0;
		if (in)
			p->in++;
		else
			p->out++;
	}
	if (p500.out + p500.in + p4500.out + p4500.in == 0)
		return (reading_put(buf, n, "no IKE packets to or from %s: "
		    "this side is not negotiating", peer));
	if (p4500.out > 0 && p4500.in == 0 && p500.in > 0)
		return (reading_put(buf, n, "NAT-T: 500 answered, 4500 silent"
		    " (%u out to %s:4500, none back)", p4500.out, peer));
	if (p4500.out > 0 && p4500.in == 0 && p500.out + p500.in == 0)
		return (reading_put(buf, n, "%u IKE packets out to %s:4500, "
		    "none back: the peer does not answer on UDP 4500",
		    p4500.out, peer));
	if (p500.out > 0 && p500.in == 0 && p4500.in == 0)
		return (reading_put(buf, n, "%u IKE packets out to %s:500, "
		    "none back: the peer does not answer on UDP 500",
		    p500.out, peer));
	if (p500.out + p4500.out == 0)
		return (reading_put(buf, n, "%u IKE packets in from %s, none "
		    "out: this side does not answer", p500.in + p4500.in,
		    peer));
	return (reading_put(buf, n, "IKE both ways with %s: UDP 500 %u out "
	    "%u in, UDP 4500 %u out %u in", peer, p500.out, p500.in,
	    p4500.out, p4500.in));
}
