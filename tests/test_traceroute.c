/* SPDX-License-Identifier: ISC */
/*
 * test_traceroute - `execute traceroute` on real captures (3, 1 and 10
 * probes per hop, silent hops, 7.x "<name>" annotations, a name as
 * target, cut-off output) and on synthetic name (addr) hops, several
 * responders on one hop, !H/!N, CRLF and hostile input.
 */
#include "config.h"

#include <malloc.h>

#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "traceroute.h"

#define U	PNUM_UNKNOWN
#define MAXP	10

struct want {
	pnum		 hop;
	const char	*addr;
	const char	*name;
	size_t		 nprobes;
	pnum		 rtt_us[MAXP];
};

static void
check_str(const char *what, pnum hop, const char *field, const char *got,
    const char *want)
{
	if (want == NULL ? got != NULL :
	    got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: hop %lld: %s \"%s\", want \"%s\"", what,
		    (long long)hop, field, got ? got : "null",
		    want ? want : "null");
}

static void
check_hops(const char *what, const struct traceroute *r,
    const struct want *w, size_t n)
{
	const struct tr_hop	*h;
	size_t			 i, k;

	if (r->nhops != n)
		fail_msg("%s: %zu hops, want %zu", what, r->nhops, n);
	for (i = 0; i < n; i++) {
		h = &r->hops[i];
		if (h->hop != w[i].hop)
			fail_msg("%s: hop %zu numbered %lld, want %lld", what,
			    i, (long long)h->hop, (long long)w[i].hop);
		check_str(what, h->hop, "addr", h->nresponders > 0 ?
		    h->responders[0].addr : NULL, w[i].addr);
		check_str(what, h->hop, "name", h->nresponders > 0 ?
		    h->responders[0].name : NULL, w[i].name);
		if (h->nprobes != w[i].nprobes)
			fail_msg("%s: hop %lld: %zu probes, want %zu", what,
			    (long long)h->hop, h->nprobes, w[i].nprobes);
		for (k = 0; k < h->nprobes; k++)
			if (h->probes[k].rtt_us != w[i].rtt_us[k])
				fail_msg("%s: hop %lld probe %zu: %lld us, "
				    "want %lld", what, (long long)h->hop, k,
				    (long long)h->probes[k].rtt_us,
				    (long long)w[i].rtt_us[k]);
	}
}

static struct traceroute *
load(const char *rel, const char *target, const char *addr, int reached)
{
	struct traceroute	*r;
	char			*buf;
	size_t			 len;

	buf = tu_fixture(rel, &len);
	r = traceroute_parse(buf, len);
	free(buf);
	assert_non_null(r);
	check_str(rel, 0, "target", r->target, target);
	check_str(rel, 0, "target_addr", r->target_addr, addr);
	if (r->reached != reached)
		fail_msg("%s: reached %d, want %d", rel, r->reached, reached);
	return (r);
}

/* Synthetic text: its hops (all of them) and whether it got there. */
static struct traceroute *
parse_text(const char *what, const char *in, size_t len,
    const struct want *w, size_t n, int reached)
{
	struct traceroute	*r;

	r = traceroute_parse(in, len);
	assert_non_null(r);
	check_hops(what, r, w, n);
	if (r->reached != reached)
		fail_msg("%s: reached %d, want %d", what, r->reached, reached);
	return (r);
}

static void
test_timeouts_then_reached(void **state)
{
	static const char rel[] =
	    "real/traceroute/02-ntc-timeouts-then-reached.txt";
	static const struct want w[] = {
		{ 1, "1.2.3.4", NULL, 3, { 423, 2123, 274 } },
		{ 2, "5.6.7.8", NULL, 3, { 389, 445, 178 } },
		{ 3, NULL, NULL, 3, { U, U, U } },
		{ 4, NULL, NULL, 3, { U, U, U } },
		{ 5, NULL, NULL, 3, { U, U, U } },
		{ 6, "8.8.8.8", NULL, 3, { 15494, 15488, 15469 } },
	};
	struct traceroute	*r;
	char			*json;

	r = load(rel, "8.8.8.8", "8.8.8.8", 1);
	check_hops(rel, r, w, 6);
	assert_int_equal(r->max_hops, 32);
	assert_int_equal(r->probes, 3);
	assert_int_equal(r->packet_len, 84);
	traceroute_free(r);

	json = tu_report_fixture(&kind_traceroute, rel);
	tu_has(json, "{\"hop\":1,\"addr\":\"1.2.3.4\",\"name\":null,"
	    "\"rtt_ms\":[0.423,2.123,0.274],", rel);
	tu_has(json, "{\"hop\":3,\"addr\":null,\"name\":null,"
	    "\"rtt_ms\":[null,null,null],", rel);
	tu_has(json, "\"reached\":true,", rel);
	tu_has(json, "{\"target\":\"8.8.8.8\",", rel);
	free(json);
}

static void
test_vdom_prompt(void **state)
{
	static const char rel[] = "real/traceroute/03-vdom-prompt-r3.txt";
	static const struct want w[] = {
		{ 1, "172.18.13.0", NULL, 3, { 464, 243, 112 } },
		{ 2, "172.18.12.1", NULL, 3, { 177, 158, 97 } },
	};
	struct traceroute	*r;

	r = load(rel, "172.18.12.1", "172.18.12.1", 1);
	check_hops(rel, r, w, 2);
	assert_int_equal(r->packet_len, 72);
	traceroute_free(r);
}

/* Ten probes; the output stops at hop 2 of 32: reached is unknown. */
static void
test_ten_probes_partial(void **state)
{
	static const char rel[] =
	    "real/traceroute/04-ntc-10-probes-partial.txt";
	static const struct want w[] = {
		{ 1, "1.2.3.4", NULL, 10, { 454, 503, 262, 191, 187, 191, 191,
		    192, 193, 185 } },
		{ 2, "5.6.7.8", NULL, 4, { 1225, U, U, U } },
	};
	struct traceroute	*r;
	char			*json;

	r = load(rel, "8.8.8.8", "8.8.8.8", -1);
	check_hops(rel, r, w, 2);
	assert_int_equal(r->probes, 10);
	traceroute_free(r);

	json = tu_report_fixture(&kind_traceroute, rel);
	tu_has(json, "\"rtt_ms\":[1.225,null,null,null],", rel);
	tu_has(json, "\"reached\":null,", rel);
	free(json);
}

/* Header values, then every hop, of the captures with nothing else. */
static void
test_more_fixtures(void **state)
{
	static const struct want w05[] = {
		{ 1, "192.168.1.0", NULL, 3, { 1654, 1750, 1254 } },
	};
	static const struct want w06[] = {
		{ 1, "172.18.12.1", NULL, 1, { 348 } },
		{ 2, "10.10.4.1", NULL, 1, { 453 } },
	};
	static const struct want w07[] = {
		{ 1, "10.31.12.1", NULL, 3, { 2678, 2544, 1979 } },
		{ 2, "154.11.15.107", NULL, 3, { 2331, 3235, 2971 } },
		{ 3, "154.11.15.73", "qubcpqajdr02.bb.telus.com", 3,
		    { 4216, 19313, 23510 } },
		{ 4, "1.1.1.1", "one.one.one.one", 3, { 3252, 2992, 2945 } },
	};
	static const struct want w08[] = {
		{ 1, "10.31.12.1", NULL, 3, { 2966, 2809, 2979 } },
		{ 2, "154.11.6.192", NULL, 3, { 15983, 19186, 14981 } },
		{ 3, NULL, NULL, 3, { U, U, U } },
		{ 4, "151.101.194.133", "harvard.edu", 3,
		    { 16532, 16722, 14887 } },
	};
	/* Silent hops up to where the paste ends: not reached, not known. */
	static const struct want w09[] = {
		{ 1, "10.31.12.1", NULL, 3, { 2863, 2883, 2988 } },
		{ 2, "154.11.15.111", NULL, 3, { 7361, 14821, 10321 } },
		{ 3, NULL, NULL, 3, { U, U, U } },
		{ 4, NULL, NULL, 3, { U, U, U } },
		{ 5, NULL, NULL, 3, { U, U, U } },
		{ 6, NULL, NULL, 3, { U, U, U } },
	};
	static const struct {
		const char		*rel, *target, *addr;
		int			 reached;
		pnum			 probes, packet_len;
		const struct want	*w;
		size_t			 nw;
	} t[] = {
		{ "real/traceroute/05-vlan-lab-one-hop-prompt.txt",
		    "192.168.1.0", "192.168.1.0", 1, 3, 84, w05, 1 },
		{ "real/traceroute/06-bgp-lab-one-probe-source.txt",
		    "10.10.4.1", "10.10.4.1", 1, 1, 72, w06, 2 },
		{ "real/traceroute/07-kb-names-angle-brackets.txt",
		    "1.1.1.1", "1.1.1.1", 1, 3, 72, w07, 4 },
		{ "real/traceroute/08-kb-target-name.txt",
		    "harvard.edu", "151.101.194.133", 1, 3, 72, w08, 4 },
		{ "real/traceroute/09-kb-unreached-cut.txt",
		    "2.2.2.2", "2.2.2.2", -1, 3, 72, w09, 6 },
	};
	struct traceroute	*r;
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = load(t[i].rel, t[i].target, t[i].addr, t[i].reached);
		check_hops(t[i].rel, r, t[i].w, t[i].nw);
		if (r->max_hops != 32 || r->probes != t[i].probes ||
		    r->packet_len != t[i].packet_len)
			fail_msg("%s: header %lld/%lld/%lld", t[i].rel,
			    (long long)r->max_hops, (long long)r->probes,
			    (long long)r->packet_len);
		traceroute_free(r);
	}
}

/*
 * Layouts from other builds: name (addr) hops, a second responder
 * mid-line, mixed '*', !H, an old header without the probe count, a
 * prompt after the hops (finished: not reached), CRLF.
 */
static void
test_synthetic_names_responders(void **state)
{
	static const char in[] =
	    "FGT # execute traceroute www.example.com\r\n"
	    "traceroute to www.example.com (93.184.216.34), 32 hops max, "
	    "84 byte packets\r\n"
	    " 1  gw.example.net (10.0.0.1)  0.4 ms  0.5 ms  0.6 ms\r\n"
	    " 2  10.0.1.1  1.1 ms 10.0.1.2  1.3 ms *\r\n"
	    " 3  * * *\r\n"
	    " 4  10.0.0.1  1.2 ms *  1.4 ms\r\n"
	    " 5  10.9.9.9  2.001 ms !H  2.002 ms !H  2.003 ms !H\r\n"
	    "\r\n"
	    "FGT # ";
	static const struct want w[] = {
		{ 1, "10.0.0.1", "gw.example.net", 3, { 400, 500, 600 } },
		{ 2, "10.0.1.1", NULL, 3, { 1100, 1300, U } },
		{ 3, NULL, NULL, 3, { U, U, U } },
		{ 4, "10.0.0.1", NULL, 3, { 1200, U, 1400 } },
		{ 5, "10.9.9.9", NULL, 3, { 2001, 2002, 2003 } },
	};
	struct traceroute	*r;
	char			*json;

	r = parse_text("names", in, sizeof(in) - 1, w, 5, 0);
	check_str("names", 0, "target", r->target, "www.example.com");
	check_str("names", 0, "target_addr", r->target_addr,
	    "93.184.216.34");
	assert_int_equal(r->probes, U);
	assert_int_equal(r->packet_len, 84);
	assert_int_equal(r->hops[1].nresponders, 2);
	check_str("names", 2, "addr", r->hops[1].responders[1].addr,
	    "10.0.1.2");
	assert_int_equal(r->hops[1].probes[1].responder, 1);
	check_str("names", 5, "note", r->hops[4].probes[0].note, "!H");
	traceroute_free(r);

	json = tu_report(&kind_traceroute, in, sizeof(in) - 1);
	tu_has(json, "\"responders\":[{\"addr\":\"10.0.1.1\",\"name\":null},"
	    "{\"addr\":\"10.0.1.2\",\"name\":null}]", "responders");
	tu_has(json, "\"notes\":[\"!H\",\"!H\",\"!H\"]", "notes");
	tu_has(json, "\"reached\":false,", "reached");
	tu_has(json, "\"probes_per_hop\":null,", "no probe count");
	free(json);
}

/* A finished trace (prompt after it) that never got there; max hops. */
static void
test_synthetic_not_reached(void **state)
{
	static const char done[] =
	    "traceroute to 192.0.2.1 (192.0.2.1), 32 hops max, 3 probe "
	    "packets per hop, 84 byte packets\n"
	    " 1  10.0.0.1  0.4 ms  0.5 ms  0.6 ms\n"
	    " 2  10.0.0.2  0.7 ms  0.8 ms  0.9 ms !N\n"
	    "FGT (root) # \n";
	static const char max[] =
	    "traceroute to 192.0.2.1 (192.0.2.1), 2 hops max, 3 probe "
	    "packets per hop, 84 byte packets\n"
	    " 1  10.0.0.1  0.4 ms  0.5 ms  0.6 ms\n"
	    " 2  * * *\n";
	static const char stopped[] =
	    "traceroute to 192.0.2.1 (192.0.2.1), 32 hops max, 3 probe "
	    "packets per hop, 84 byte packets\n"
	    " 1  10.0.0.1  0.4 ms  0.5 ms  0.6 ms\n"
	    " 2  * * *\n"
	    "^C\n"
	    "FGT # \n";
	static const char err[] = "traceroute: unknown host nosuch.example\n";
	struct traceroute	*r;

	r = traceroute_parse(done, sizeof(done) - 1);
	assert_non_null(r);
	assert_int_equal(r->nhops, 2);
	assert_int_equal(r->reached, 0);
	check_str("done", 2, "note", r->hops[1].probes[2].note, "!N");
	traceroute_free(r);

	/* Stopped by hand: the prompt came back, the target did not. */
	r = traceroute_parse(stopped, sizeof(stopped) - 1);
	assert_non_null(r);
	assert_int_equal(r->nhops, 2);
	assert_int_equal(r->reached, 0);
	traceroute_free(r);

	r = traceroute_parse(max, sizeof(max) - 1);
	assert_non_null(r);
	assert_int_equal(r->reached, 0);
	traceroute_free(r);

	r = traceroute_parse(err, sizeof(err) - 1);
	assert_non_null(r);
	assert_int_equal(r->nhops, 0);
	assert_int_equal(traceroute_count(r), 1);
	check_str("error", 0, "error", r->error,
	    "traceroute: unknown host nosuch.example");
	assert_int_equal(r->reached, 0);
	traceroute_free(r);
}

/*
 * Hop numbers that do not go up start another trace, whose header is
 * not in the text: only its hops are kept, its target is unknown, and
 * a flood of hop lines holds one trace at most.
 */
static void
test_headerless_second_trace(void **state)
{
	static const char in[] =
	    "traceroute to 192.0.2.1 (192.0.2.1), 32 hops max, 3 probe "
	    "packets per hop, 84 byte packets\n"
	    " 1  10.0.0.1  0.4 ms  0.5 ms  0.6 ms\n"
	    " 2  10.0.0.2  0.7 ms  0.8 ms  0.9 ms\n"
	    " 3  192.0.2.1  1.0 ms  1.1 ms  1.2 ms\n"
	    " 1  10.9.0.1  0.3 ms  0.3 ms  0.3 ms\n"
	    " 2  * * *\n";
	struct traceroute	*r;
	char			*buf;
	size_t			 i, n = 100000;

	(void)state;
	r = traceroute_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->nhops, 2);
	assert_int_equal(r->hops[0].hop, 1);
	check_str("second", 1, "addr", r->hops[0].responders[0].addr,
	    "10.9.0.1");
	check_str("second", 0, "target", r->target, NULL);
	assert_int_equal(r->max_hops, PNUM_UNKNOWN);
	assert_int_equal(r->reached, -1);
	traceroute_free(r);

	buf = malloc(n * 20 + 1);
	assert_non_null(buf);
	for (i = 0; i < n; i++)
		memcpy(buf + i * 20, " 1  10.0.0.1  0.4 ms\n", 20);
	r = traceroute_parse(buf, n * 20);
	assert_non_null(r);
	assert_int_equal(r->nhops, 1);
	tu_assert_cmp(r->cap, <=, 8);
	traceroute_free(r);
	free(buf);
}

/*
 * A running trace's lines read alone (fgtop trace stops after three
 * quiet hops): only a hop none of whose probes came back is silent.
 */
static void
test_hop_silent(void **state)
{
	static const struct {
		const char	*line;
		int		 silent;
	} c[] = {
		{ " 5  * * *", 1 },
		{ " 5  * * *\r", 1 },
		{ "12  *  *  *  *", 1 },
		{ " 5  10.0.0.1  1.2 ms * *", 0 },
		{ " 5  * * 10.0.0.1  1.4 ms", 0 },
		{ " 5  * * * !H", 0 },
		{ " 5", 0 },
		{ "* * *", 0 },		/* no hop number: not a hop line */
		{ "traceroute to 192.0.2.1 (192.0.2.1), 30 hops max", 0 },
		{ "FGT # ", 0 },
		{ "", 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (traceroute_hop_silent(c[i].line, strlen(c[i].line)) !=
		    c[i].silent)
			fail_msg("\"%s\": silent %d, want %d", c[i].line,
			    !c[i].silent, c[i].silent);
}

/*
 * Many traces in one text: only the last is kept, and the memory of the
 * ones it superseded is given back, so 2,000 traces of 30 hops cost what
 * one does (they held about 25 MB before).  Its last hops silent up to
 * max hops: it ended, not reached.
 */
static void
test_superseded_traces(void **state)
{
	struct traceroute	*r;
	struct mallinfo2	 m0, m1;
	char			*buf;
	size_t			 cap = 2000 * 1400, len = 0;
	int			 t, h;

	buf = malloc(cap);
	assert_non_null(buf);
	for (t = 0; t < 2000; t++) {
		len += snprintf(buf + len, cap - len, "traceroute to 192.0.2.1 "
		    "(192.0.2.1), 30 hops max, 3 probe packets per hop, 84 "
		    "byte packets\n");
		for (h = 1; h <= 30; h++)
			len += snprintf(buf + len, cap - len, h < 20 ?
			    " %d  10.0.%d.%d  0.4 ms  0.5 ms  0.6 ms\n" :
			    " %d  * * *\n", h, t % 250, h);
	}
	m0 = mallinfo2();
	r = traceroute_parse(buf, len);
	m1 = mallinfo2();
	assert_non_null(r);
	assert_int_equal(r->nhops, 30);
	assert_int_equal(r->hops[0].hop, 1);
	check_str("superseded", 1, "addr", r->hops[0].responders[0].addr,
	    "10.0.249.1");
	assert_int_equal(r->reached, 0);
	/* Held by the result: one trace's worth, well under 1 MB. */
	if (m1.uordblks + m1.hblkhd > m0.uordblks + m0.hblkhd + (1 << 20))
		fail_msg("traceroute holds %zu bytes for one trace of 30 hops",
		    (m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd));
	traceroute_free(r);
	free(buf);
}

/* IPv6 target and hops. */
static void
test_synthetic_ipv6(void **state)
{
	static const char in[] =
	    "traceroute to 2001:db8::1 (2001:db8::1), 32 hops max, 3 probe "
	    "packets per hop, 80 byte packets\n"
	    " 1  fe80::1  0.100 ms  0.200 ms  0.300 ms\n"
	    " 2  2001:db8::1  1.000 ms  1.500 ms  2.000 ms\n";
	static const struct want w[] = {
		{ 1, "fe80::1", NULL, 3, { 100, 200, 300 } },
		{ 2, "2001:db8::1", NULL, 3, { 1000, 1500, 2000 } },
	};
	struct traceroute	*r;

	r = parse_text("ipv6", in, sizeof(in) - 1, w, 2, 1);
	traceroute_free(r);
}

/*
 * A hop behind the pager's erase is what the terminal shows, not noise
 * (it used to be dropped with the "--More--"), and a CR CR LF ending
 * erases nothing.
 */
static void
test_pager_crcrlf(void **state)
{
	static const char in[] =
	    "traceroute to 192.0.2.1 (192.0.2.1), 32 hops max, 3 probe "
	    "packets per hop, 84 byte packets\r\r\n"
	    " 1  10.0.0.1  0.4 ms  0.5 ms  0.6 ms\r\r\n"
	    "--More-- \r          \r 2  192.0.2.1  1.0 ms  1.1 ms  1.2 ms\n";
	static const struct want w[] = {
		{ 1, "10.0.0.1", NULL, 3, { 400, 500, 600 } },
		{ 2, "192.0.2.1", NULL, 3, { 1000, 1100, 1200 } },
	};
	struct traceroute	*r;

	r = parse_text("pager", in, sizeof(in) - 1, w, 2, 1);
	check_str("pager", 0, "target_addr", r->target_addr, "192.0.2.1");
	assert_int_equal(r->packet_len, 84);
	traceroute_free(r);
}

static void
test_hostile(void **state)
{
	static const char in[] =
	    "traceroute to\n"
	    "traceroute to (\n"
	    "traceroute to x (y, 99999999999999999999999 hops max,\n"
	    " 1\n"
	    " 1 \n"
	    "999  1.2.3.4  1 ms\n"
	    " 2  ()  <>  (  <  !  ms ms 1. ms 99999999999.1 ms \x1b[2J\n"
	    " 3  1.2.3.4 (\0) <\x1b]0;t\x07> 0.1 ms\n"
	    " 4  !H !N * !X\n"
	    "--More--\r\n"
	    " 5  a b c d e f g h i j k l m n o p q r s t u v w x y z *";
	struct traceroute	*r;
	char			*big, *json;
	size_t			 n = 1 << 20, i;

	r = traceroute_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	traceroute_free(r);
	json = tu_report(&kind_traceroute, in, sizeof(in) - 1);
	tu_lacks(json, "\x1b", "escape leaked");
	free(json);

	/* A hop line with a quarter million probes. */
	big = malloc(n);
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = i % 2 ? ' ' : '*';
	big[0] = '1';
	r = traceroute_parse(big, n);
	assert_non_null(r);
	assert_int_equal(r->nhops, 1);
	traceroute_free(r);
	free(big);

	r = traceroute_parse(NULL, 0);
	assert_non_null(r);
	assert_int_equal(traceroute_count(r), 0);
	assert_int_equal(r->reached, -1);
	traceroute_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeouts_then_reached),
		cmocka_unit_test(test_vdom_prompt),
		cmocka_unit_test(test_ten_probes_partial),
		cmocka_unit_test(test_more_fixtures),
		cmocka_unit_test(test_synthetic_names_responders),
		cmocka_unit_test(test_synthetic_not_reached),
		cmocka_unit_test(test_superseded_traces),
		cmocka_unit_test(test_synthetic_ipv6),
		cmocka_unit_test(test_pager_crcrlf),
		cmocka_unit_test(test_headerless_second_trace),
		cmocka_unit_test(test_hop_silent),
		cmocka_unit_test(test_hostile),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
