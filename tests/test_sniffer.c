/* SPDX-License-Identifier: ISC */
/*
 * test_sniffer - `diagnose sniffer packet` on real captures (verbosity 1,
 * 3, 4, 6; relative, absolute and local time; udp, tcp, icmp, esp,
 * ip-proto-N, arp, 802.1Q) and on synthetic IPv6, counts, CRLF and
 * hostile input.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sniffer.h"
#include "testutil.h"

#define U	PNUM_UNKNOWN

struct want {
	pnum		 time_us;
	const char	*timestamp;
	const char	*interface;
	const char	*direction;
	const char	*src;
	pnum		 sport;
	const char	*dst;
	pnum		 dport;
	const char	*proto;
	pnum		 len;
};

static void
check_str(const char *what, size_t i, const char *field, const char *got,
    const char *want)
{
	if (want == NULL ? got != NULL :
	    got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: packet %zu: %s \"%s\", want \"%s\"", what, i,
		    field, got ? got : "null", want ? want : "null");
}

static void
check_num(const char *what, size_t i, const char *field, pnum got,
    pnum want)
{
	if (got != want)
		fail_msg("%s: packet %zu: %s %lld, want %lld", what, i, field,
		    (long long)got, (long long)want);
}

static void
check(const char *what, const struct sniffer *r, size_t i,
    const struct want *w)
{
	const struct sn_packet	*p;

	if (i >= r->npackets)
		fail_msg("%s: no packet %zu (%zu packets)", what, i,
		    r->npackets);
	p = &r->packets[i];
	check_num(what, i, "time_us", p->time_us, w->time_us);
	check_str(what, i, "timestamp", p->timestamp, w->timestamp);
	check_str(what, i, "interface", p->interface, w->interface);
	check_str(what, i, "direction", p->direction, w->direction);
	check_str(what, i, "src", p->src, w->src);
	check_num(what, i, "sport", p->sport, w->sport);
	check_str(what, i, "dst", p->dst, w->dst);
	check_num(what, i, "dport", p->dport, w->dport);
	check_str(what, i, "proto", p->proto, w->proto);
	check_num(what, i, "len", p->len, w->len);
}

/* Packets 0 to n - 1. */
static void
check_all(const char *what, const struct sniffer *r, const struct want *w,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		check(what, r, i, &w[i]);
}

/* Synthetic text of exactly n packets, all of them checked. */
static struct sniffer *
parse_text(const char *what, const char *in, size_t len,
    const struct want *w, size_t n)
{
	struct sniffer	*r;

	r = sniffer_parse(in, len);
	assert_non_null(r);
	if (r->npackets != n)
		fail_msg("%s: %zu packets, want %zu", what, r->npackets, n);
	check_all(what, r, w, n);
	return (r);
}

static struct sniffer *
load(const char *rel, size_t npackets)
{
	struct sniffer	*r;
	char		*buf;
	size_t		 len;

	buf = tu_fixture(rel, &len);
	r = sniffer_parse(buf, len);
	free(buf);
	assert_non_null(r);
	if (r->npackets != npackets)
		fail_msg("%s: %zu packets, want %zu", rel, r->npackets,
		    npackets);
	return (r);
}

static void
header(const char *rel, const struct sniffer *r, const char *ifs,
    const char *filters)
{
	check_str(rel, 0, "interfaces", r->interfaces, ifs);
	check_str(rel, 0, "filters", r->filters, filters);
}

static void
test_udp500_no_reply(void **state)
{
	static const char rel[] = "real/sniffer/01-udp500-no-reply.txt";
	static const struct want w[] = {
		{ 8239752, NULL, "port2", "out", "100.1.1.2", 500,
		    "200.1.1.2", 500, "udp", 192 },
		{ 8240249, NULL, "port2", "out", "100.1.1.2", 500,
		    "200.1.1.2", 500, "udp", 380 },
		{ 8240778, NULL, "port2", "out", "100.1.1.2", 500,
		    "200.1.1.2", 500, "udp", 92 },
	};
	struct sniffer	*r;
	char		*json;

	r = load(rel, 3);
	header(rel, r, "any", "host 200.1.1.2 and udp port 500");
	check_all(rel, r, w, 3);
	/* The capture was cut before the counts: unknown, not zero. */
	check_num(rel, 0, "received", r->received, U);
	check_num(rel, 0, "dropped", r->dropped, U);
	assert_int_equal(sniffer_count(r), 3);
	sniffer_free(r);

	json = tu_report_fixture(&kind_sniffer, rel);
	tu_has(json, "{\"time\":8.239752,\"timestamp\":null,"
	    "\"interface\":\"port2\",\"direction\":\"out\","
	    "\"src\":\"100.1.1.2\",\"sport\":500,\"dst\":\"200.1.1.2\","
	    "\"dport\":500,\"proto\":\"udp\",\"len\":192,", rel);
	tu_has(json, "\"received\":null,\"dropped\":null}", rel);
	free(json);
}

static void
test_esp_spi_seq(void **state)
{
	static const char rel[] = "real/sniffer/02-vti-icmp-esp-spi-seq.txt";
	static const struct want w[] = {
		{ 1980972, NULL, "VPN-to-Side1", "out", "192.168.111.1", U,
		    "192.168.112.1", U, "icmp", U },
		{ 1981265, NULL, "port1", "out", "202.106.1.1", U,
		    "101.100.1.1", U, "esp", U },
		{ 1982549, NULL, "port1", "in", "101.100.1.1", U,
		    "202.106.1.1", U, "esp", U },
		{ 1982619, NULL, "VPN-to-Side1", "in", "192.168.112.1", U,
		    "192.168.111.1", U, "icmp", U },
	};
	struct sniffer	*r;
	size_t		 i, esp = 0;

	r = load(rel, 20);
	header(rel, r, "any", "host 192.168.112.1 or host 101.100.1.1");
	check_all(rel, r, w, 4);
	check_str(rel, 0, "icmp", r->packets[0].icmp, "echo request");
	check_str(rel, 1, "spi", r->packets[1].spi, "0x2e03e37b");
	check_str(rel, 2, "spi", r->packets[2].spi, "0x148a8320");
	check_num(rel, 1, "ip_proto", r->packets[1].ip_proto, 50);
	check_str(rel, 3, "icmp", r->packets[3].icmp, "echo reply");
	check_num(rel, 19, "time_us", r->packets[19].time_us, 5984884);
	for (i = 0; i < r->npackets; i++)
		esp += strcmp(r->packets[i].proto, "esp") == 0;
	assert_int_equal(esp, 10);
	sniffer_free(r);
}

static void
test_local_time(void **state)
{
	static const char rel[] = "real/sniffer/03-local-time-vxlan-icmp.txt";
	static const struct want w[] = {
		{ U, "2021-05-12 04:49:52.326749", "port5", "in", "10.43.0.8",
		    U, "10.43.0.18", U, "icmp", U },
		{ U, "2021-05-12 04:49:52.326906", "Vxlan1", "out",
		    "10.43.0.8", U, "10.43.0.18", U, "icmp", U },
	};
	static const struct want last = {
		U, "2021-05-12 04:49:59.527651", "port5", "out",
		"10.43.0.18", U, "10.43.0.8", U, "icmp", U
	};
	struct sniffer	*r;
	char		*json;

	r = load(rel, 8);
	header(rel, r, "any", "host 10.43.0.18 and icmp");
	check_all(rel, r, w, 2);
	check(rel, r, 7, &last);
	sniffer_free(r);

	json = tu_report_fixture(&kind_sniffer, rel);
	tu_has(json, "{\"time\":null,\"timestamp\":\"2021-05-12 "
	    "04:49:52.326749\",", rel);
	free(json);
}

/* Verbosity 6 in transparent mode: "--" direction, hex lines skipped. */
static void
test_transparent_verbose6(void **state)
{
	static const char rel[] =
	    "real/sniffer/04-transparent-esp-verbose6-hex-5.6.txt";
	static const struct want w[] = {
		{ 1249003, NULL, "port2", NULL, "10.1.1.100", U, "10.1.1.200",
		    U, "esp", 92 },
		{ 1249478, NULL, "port2", NULL, "10.1.1.200", U, "10.1.1.100",
		    U, "esp", 92 },
	};
	struct sniffer	*r;

	r = load(rel, 2);
	header(rel, r, "port2", "proto 50");
	check_all(rel, r, w, 2);
	assert_int_equal(r->nhex, 6);
	sniffer_free(r);
}

/* Verbosity 3 (no interface), absolute time, hex with ASCII column. */
static void
test_verbose3_absolute(void **state)
{
	static const char rel[] = "real/sniffer/05-v3-absolute-hex-icmp.txt";
	static const struct want w[] = {
		{ U, "2017-09-12 12:40:13.675529", NULL, NULL, "10.134.190.2",
		    U, "10.134.190.30", U, "icmp", U },
		{ U, "2017-09-12 12:40:13.675605", NULL, NULL,
		    "10.134.190.30", U, "10.134.190.2", U, "icmp", U },
		{ U, "2017-09-12 12:40:13.675610", NULL, NULL,
		    "10.134.190.30", U, "10.134.190.2", U, "icmp", U },
		{ U, "2017-09-12 12:40:13.675615", NULL, NULL,
		    "10.134.190.30", U, "10.134.190.2", U, "icmp", U },
	};
	struct sniffer	*r;

	r = load(rel, 4);
	header(rel, r, "any", "icmp");
	check_all(rel, r, w, 4);
	check_str(rel, 1, "icmp", r->packets[1].icmp, "echo reply");
	assert_int_equal(r->nhex, 16);
	sniffer_free(r);
}

static void
test_tcp_flags(void **state)
{
	static const char rel[] =
	    "real/sniffer/06-advpn-shortcut-tcp-flags.txt";
	static const struct want w[] = {
		{ 79715191, NULL, "HUB1-VPN1_0", "out", "10.0.1.101", 40070,
		    "10.0.2.101", 22, "tcp", U },
		{ 80716537, NULL, "HUB1-VPN1_0", "in", "10.0.2.101", 22,
		    "10.0.1.101", 40070, "tcp", U },
		{ 80716662, NULL, "port5", "out", "10.0.2.101", 22,
		    "10.0.1.101", 40070, "tcp", U },
		{ 80717012, NULL, "port5", "in", "10.0.1.101", 40070,
		    "10.0.2.101", 22, "tcp", U },
		{ 80717069, NULL, "HUB1-VPN2", "out", "10.0.1.101", 40070,
		    "10.0.2.101", 22, "tcp", U },
	};
	struct sniffer	*r;

	r = load(rel, 5);
	header(rel, r, "any", "host 10.0.2.101");
	check_all(rel, r, w, 5);
	check_str(rel, 0, "flags", r->packets[0].flags, "ack");
	check_num(rel, 0, "seq", r->packets[0].seq, U);
	check_num(rel, 0, "ack", r->packets[0].ack, 289049583);
	check_str(rel, 1, "flags", r->packets[1].flags, "psh ack");
	check_num(rel, 1, "seq", r->packets[1].seq, 289049583);
	check_num(rel, 1, "ack", r->packets[1].ack, 4037562267LL);
	sniffer_free(r);
}

/* cFOS, verbosity 1: no interface; arp lines; a prompt mid-output. */
static void
test_cfos_arp(void **state)
{
	static const char rel[] = "real/sniffer/07-cfos-v1-arp-linktype.txt";
	static const struct want w[] = {
		{ 874959, NULL, NULL, NULL, "10.1.128.253", U, "1.1.1.1", U,
		    "icmp", U },
	};
	static const struct want arp[] = {
		{ 1940998, NULL, NULL, NULL, "10.1.128.252", U,
		    "10.1.128.253", U, "arp", U },
		{ 1941155, NULL, NULL, NULL, "10.1.128.253", U, NULL, U,
		    "arp", U },
	};
	struct sniffer	*r;

	r = load(rel, 18);
	header(rel, r, "any", "none");
	check(rel, r, 0, &w[0]);
	check(rel, r, 8, &arp[0]);
	check(rel, r, 9, &arp[1]);
	check_str(rel, 9, "info", r->packets[9].info,
	    "arp reply 10.1.128.253 is-at ba:5a:93:d8:61:44");
	check_num(rel, 17, "time_us", r->packets[17].time_us, 3882974);
	sniffer_free(r);
}

static void
test_ip_proto(void **state)
{
	static const char rel[] =
	    "real/sniffer/08-vwp-rip-ospf-eigrp-ip-proto.txt";
	static const struct want w[] = {
		{ 1501278671, NULL, "port2", "in", "192.168.1.88", 520,
		    "224.0.0.9", 520, "udp", 24 },
		{ 1502138508, NULL, "port2", "in", "192.168.1.88", U,
		    "224.0.0.5", U, "ip-proto-89", 56 },
		{ 1511258000, NULL, "port3", "in", "192.168.1.88", U,
		    "224.0.0.10", U, "ip-proto-88", 40 },
	};
	struct sniffer	*r;

	r = load(rel, 12);
	check(rel, r, 0, &w[0]);
	check(rel, r, 2, &w[1]);
	check(rel, r, 5, &w[2]);
	check_num(rel, 2, "ip_proto", r->packets[2].ip_proto, 89);
	sniffer_free(r);
}

/*
 * The KB text glues address and port ("10.191.19.1728443"): the
 * address is kept whole and the port stays unknown, never a wrong one.
 */
static void
test_glued_port(void **state)
{
	static const char rel[] =
	    "real/sniffer/09-absolute-syn-gui-port-kb.txt";
	static const struct want w[] = {
		{ U, "2024-08-28 16:36:30.527027", "port1", "in",
		    "192.168.48.2", 56662, "10.191.19.1728443", U, "tcp", U },
		{ U, "2024-08-28 16:36:30.527238", "port1", "out",
		    "10.191.19.1728443", U, "192.168.48.2", 56662, "tcp", U },
	};
	struct sniffer	*r;

	r = load(rel, 3);
	check_all(rel, r, w, 2);
	check_str(rel, 0, "flags", r->packets[0].flags, "syn");
	check_num(rel, 0, "seq", r->packets[0].seq, 1919112407);
	check_str(rel, 1, "flags", r->packets[1].flags, "syn ack");
	check_num(rel, 1, "ack", r->packets[1].ack, 1919112408);
	sniffer_free(r);
}

static void
test_vlan_lines(void **state)
{
	static const char rel[] = "real/sniffer/10-vwp-8021q-vlan-lines.txt";
	static const struct want w[] = {
		{ 21060512, NULL, "port1", "in", NULL, U, NULL, U, "802.1Q",
		    U },
		{ 21060542, NULL, "port2", "out", "192.168.10.10", U,
		    "192.168.20.10", U, "icmp", U },
	};
	struct sniffer	*r;

	r = load(rel, 8);
	check_all(rel, r, w, 2);
	check_str(rel, 0, "info", r->packets[0].info, "802.1Q vlan#10 P0");
	sniffer_free(r);
}

/*
 * The layouts no real capture above shows: IPv6, tab-separated hex,
 * tcp without ports' flags, the closing counts after ^C, CRLF.
 */
static void
test_synthetic_ipv6_counts_crlf(void **state)
{
	static const char in[] =
	    "FGT # diagnose sniffer packet any 'port 500' 6 0 a\r\n"
	    "interfaces=[any]\r\n"
	    "filters=[port 500]\r\n"
	    "2024-01-15 10:22:33.123456 port1 in 2001:db8::1.500 -> "
	    "2001:db8::2.500: udp 120\r\n"
	    "0x0000\t 4500 0054 0000 4000 4001 0000 0a00 0001\t"
	    "E..T..@.@.......\r\n"
	    "2024-01-15 10:22:33.223456 port1 out 2001:db8::2 -> "
	    "2001:db8::1: icmp6: echo reply\r\n"
	    "2024-01-15 10:22:34.000001 wan1 out ::ffff:10.0.0.1.4500 -> "
	    "10.0.0.2.4500: udp 92\r\n"
	    "2024-01-15 10:22:35.5 port1 in 10.0.0.1.443 -> "
	    "10.0.0.2.51234: psh 1234 ack 5678\r\n"
	    "^C\r\n"
	    "4 packets received by filter\r\n"
	    "0 packets dropped by kernel\r\n"
	    "\r\n"
	    "FGT # ";
	static const struct want w[] = {
		{ U, "2024-01-15 10:22:33.123456", "port1", "in",
		    "2001:db8::1", 500, "2001:db8::2", 500, "udp", 120 },
		{ U, "2024-01-15 10:22:33.223456", "port1", "out",
		    "2001:db8::2", U, "2001:db8::1", U, "icmp6", U },
		{ U, "2024-01-15 10:22:34.000001", "wan1", "out",
		    "::ffff:10.0.0.1", 4500, "10.0.0.2", 4500, "udp", 92 },
		{ U, "2024-01-15 10:22:35.5", "port1", "in", "10.0.0.1", 443,
		    "10.0.0.2", 51234, "tcp", U },
	};
	struct sniffer	*r;
	char		*json;

	r = parse_text("ipv6 crlf", in, sizeof(in) - 1, w, 4);
	check_str("ipv6 crlf", 1, "icmp", r->packets[1].icmp, "echo reply");
	check_str("ipv6 crlf", 3, "flags", r->packets[3].flags, "psh ack");
	check_num("ipv6 crlf", 3, "seq", r->packets[3].seq, 1234);
	check_num("ipv6 crlf", 0, "received", r->received, 4);
	check_num("ipv6 crlf", 0, "dropped", r->dropped, 0);
	assert_int_equal(r->nhex, 1);
	sniffer_free(r);

	json = tu_report(&kind_sniffer, in, sizeof(in) - 1);
	tu_has(json, "\"received\":4,\"dropped\":0}", "counts");
	tu_has(json, "\"src\":\"2001:db8::1\",\"sport\":500,", "ipv6");
	free(json);
}

/* Verbosity 1 relative; esp and icmp without interface; tcp syn. */
static void
test_synthetic_verbose1(void **state)
{
	static const char in[] =
	    "0.918957 10.1.1.1.500 -> 10.2.2.2.500: udp 120\n"
	    "1.000000 1.1.1.1 -> 2.2.2.2: ip-proto-50 120\n"
	    "1.5 1.1.1.1 -> 2.2.2.2: icmp: echo request\n"
	    "2.000001 10.0.0.1.443 -> 10.0.0.2.51234: syn 12345\n"
	    "3.25 10.0.0.1.500 -> 10.0.0.2.500: udp\n";
	static const struct want w[] = {
		{ 918957, NULL, NULL, NULL, "10.1.1.1", 500, "10.2.2.2", 500,
		    "udp", 120 },
		{ 1000000, NULL, NULL, NULL, "1.1.1.1", U, "2.2.2.2", U,
		    "esp", 120 },
		{ 1500000, NULL, NULL, NULL, "1.1.1.1", U, "2.2.2.2", U,
		    "icmp", U },
		{ 2000001, NULL, NULL, NULL, "10.0.0.1", 443, "10.0.0.2",
		    51234, "tcp", U },
		/* A length the device did not print is unknown. */
		{ 3250000, NULL, NULL, NULL, "10.0.0.1", 500, "10.0.0.2", 500,
		    "udp", U },
	};
	struct sniffer	*r;
	char		*json;

	r = parse_text("verbose 1", in, sizeof(in) - 1, w, 5);
	check_str("verbose 1", 3, "flags", r->packets[3].flags, "syn");
	check_num("verbose 1", 3, "seq", r->packets[3].seq, 12345);
	assert_null(r->interfaces);
	sniffer_free(r);

	json = tu_report(&kind_sniffer, in, sizeof(in) - 1);
	tu_has(json, "\"proto\":\"udp\",\"len\":null,", "no len");
	tu_has(json, "\"interfaces\":null,", "no header");
	tu_has(json, "\"time\":0.918957,", "time");
	free(json);
}

/* Only the header and the counts: recognised, no packets. */
static void
test_no_packets(void **state)
{
	static const char in[] =
	    "interfaces=[port1]\nfilters=[host 192.0.2.1]\n"
	    "0 packets received by filter\n0 packets dropped by kernel\n";
	struct sniffer	*r;

	r = sniffer_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->npackets, 0);
	assert_int_equal(sniffer_count(r), 1);
	check_num("no packets", 0, "received", r->received, 0);
	sniffer_free(r);

	r = sniffer_parse("FGT # get system status\n", 24);
	assert_non_null(r);
	assert_int_equal(sniffer_count(r), 0);
	sniffer_free(r);
}

static void
test_hostile(void **state)
{
	static const char in[] =
	    "1.0 \x1b[2J\x1b]0;x\x07 -> \0: udp 1\n"
	    "1. a -> b\n"
	    ".5 a -> b: udp 1\n"
	    "99999999999999999999.1 a -> b: udp 1\n"
	    "2.0 -> \n"
	    "2.0  -> x\n"
	    "3.0 a b c d -> e: udp 1\n"
	    "4.0 a -> b.99999999: tcp 99999999999999999999999\n"
	    "5.0 port1 in 1.2.3.4.5 -> 6.7.8.9.10: syn syn syn syn syn syn "
	    "syn syn syn syn syn syn syn syn syn syn syn\n"
	    "2024-01-15 x\n"
	    "2024-01-15 1:2\n"
	    "interfaces=[\n"
	    "filters=]\n"
	    "0x\n"
	    "6.0 arp\n"
	    "7.0 port1 in\n"
	    "8.0 a -> b:";
	struct sniffer	*r;
	char		*big, *json;
	size_t		 n = 1 << 20;

	r = sniffer_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	sniffer_free(r);
	json = tu_report(&kind_sniffer, in, sizeof(in) - 1);
	tu_lacks(json, "\x1b", "escape leaked");
	free(json);

	/* One very long line of digits and arrows. */
	big = malloc(n);
	assert_non_null(big);
	memset(big, '1', n);
	big[1] = '.';
	memcpy(big + 100, " -> ", 4);
	r = sniffer_parse(big, n);
	assert_non_null(r);
	sniffer_free(r);
	free(big);
	r = sniffer_parse(NULL, 0);
	assert_non_null(r);
	assert_int_equal(r->npackets, 0);
	sniffer_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp500_no_reply),
		cmocka_unit_test(test_esp_spi_seq),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_transparent_verbose6),
		cmocka_unit_test(test_verbose3_absolute),
		cmocka_unit_test(test_tcp_flags),
		cmocka_unit_test(test_cfos_arp),
		cmocka_unit_test(test_ip_proto),
		cmocka_unit_test(test_glued_port),
		cmocka_unit_test(test_vlan_lines),
		cmocka_unit_test(test_synthetic_ipv6_counts_crlf),
		cmocka_unit_test(test_synthetic_verbose1),
		cmocka_unit_test(test_no_packets),
		cmocka_unit_test(test_hostile),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
