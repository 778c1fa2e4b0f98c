/* SPDX-License-Identifier: ISC */
/*
 * test_tunnel_summary - `get vpn ipsec tunnel summary` on real captures
 * and on the layouts of other FortiOS versions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tunnel_summary.h"

struct want {
	const char	*name;
	const char	*addr;
	pnum		 port, total, up, rxp, rxe, txp, txe;
};

static void
check(const char *what, const struct ts_tunnel *t, const struct want *w)
{
	char	ctx[256];

	tu_str(what, "name", t->name, w->name);
	snprintf(ctx, sizeof(ctx), "%s: %s", what, w->name);
	tu_str(ctx, "remote_addr", t->remote_addr, w->addr);
	tu_num(ctx, "remote_port", t->remote_port, w->port);
	tu_num(ctx, "selectors_total", t->selectors_total, w->total);
	tu_num(ctx, "selectors_up", t->selectors_up, w->up);
	tu_num(ctx, "rx_pkt", t->rx_pkt, w->rxp);
	tu_num(ctx, "rx_err", t->rx_err, w->rxe);
	tu_num(ctx, "tx_pkt", t->tx_pkt, w->txp);
	tu_num(ctx, "tx_err", t->tx_err, w->txe);
}

/* (in, len) parses to the n tunnels of w, in order. */
static void
check_text(const char *what, const char *in, size_t len, const struct want *w,
    size_t n)
{
	struct tunnel_summary	*ts;
	size_t			 i;

	ts = tunnel_summary_parse(in, len);
	assert_non_null(ts);
	if (ts->ntunnels != n)
		fail_msg("%s: %zu tunnels, want %zu", what, ts->ntunnels, n);
	for (i = 0; i < n; i++)
		check(what, &ts->tunnels[i], &w[i]);
	tunnel_summary_free(ts);
}

static void
check_fixture(const char *rel, const struct want *w, size_t n)
{
	char	*buf;
	size_t	 len;

	buf = tu_fixture(rel, &len);
	check_text(rel, buf, len, w, n);
	free(buf);
}

static void
test_walkthrough(void **state)
{
	static const struct want w[] = {
		{ "to10.174.0.182", "10.174.0.182", 0, 1, 1, 1921, 0, 69, 2 },
		{ "to10.189.0.182", "10.189.0.182", 0, 1, 0, 0, 0, 0, 0 },
	};

	check_fixture("real/tunnel-summary/"
	    "00-walkthrough-jp-blog-2-tunnels-one-down.txt", w, 2);
}

static void
test_advpn_hub(void **state)
{
	static const struct want w[] = {
		{ "VPN1_0", "100.64.15.1", 0, 1, 1, 83904, 0, 83904, 0 },
		{ "VPN1_1", "100.64.13.1", 0, 1, 1, 83961, 0, 83947, 0 },
		{ "VPN2_0", "100.64.16.1", 0, 1, 1, 71951, 0, 71951, 0 },
		{ "VPN2_1", "100.64.14.1", 0, 1, 1, 71950, 0, 71947, 0 },
	};

	check_fixture("real/tunnel-summary/"
	    "01-advpn-hub-4-dialup-children.txt", w, 4);
}

static void
test_single_space(void **state)
{
	static const struct want w[] = {
		{ "IPSEC_TUN_01", "10.0.0.1", 0, 1, 0, 0, 0, 0, 0 },
	};

	check_fixture("real/tunnel-summary/"
	    "05-hostname-prompt-down-tunnel-single-space.txt", w, 1);
}

/* Older builds print no remote column: address and port are unknown. */
static void
test_old_layout_crlf(void **state)
{
	static const char in[] =
	    "FGT # get vpn ipsec tunnel summary\r\n"
	    "'to HQ (main)'  selectors(total,up): 2/1  rx(pkt,err): 5/0  "
	    "tx(pkt,err): 7/1\r\n"
	    "--More--\r\n"
	    "FGT # ";
	static const struct want w = {
		"to HQ (main)", NULL, PNUM_UNKNOWN, 2, 1, 5, 0, 7, 1
	};
	struct tunnel_summary	*ts;

	ts = tunnel_summary_parse(in, sizeof(in) - 1);
	assert_non_null(ts);
	assert_int_equal(ts->ntunnels, 1);
	check("old layout", &ts->tunnels[0], &w);
	tunnel_summary_free(ts);
}

/*
 * The pairs are looked for in the order FortiOS prints them, each after
 * the one before, but a line with the columns moved still gives each
 * its own.
 */
static void
test_columns_moved(void **state)
{
	static const char in[] =
	    "'t' 192.0.2.9:500  selectors(total,up): 2/1  tx(pkt,err): 7/1  "
	    "rx(pkt,err): 5/0\n"
	    "'u' 192.0.2.8:500  selectors(total,up): 3/3  rx(pkt,err): 8/4  "
	    "tx(pkt,err): 9/2\n";
	static const struct want w[] = {
		{ "t", "192.0.2.9", 500, 2, 1, 5, 0, 7, 1 },
		{ "u", "192.0.2.8", 500, 3, 3, 8, 4, 9, 2 },
	};

	check_text("columns moved", in, sizeof(in) - 1, w, 2);
}

/* A field the device did not print stays unknown, never zero. */
static void
test_missing_fields(void **state)
{
	static const char in[] =
	    "'x' 192.0.2.1:4500  selectors(total,up): 1/1  newfield: 3\n";
	struct tunnel_summary	*ts;
	char			*json;

	ts = tunnel_summary_parse(in, sizeof(in) - 1);
	assert_non_null(ts);
	assert_int_equal(ts->ntunnels, 1);
	assert_int_equal(ts->tunnels[0].remote_port, 4500);
	assert_int_equal(ts->tunnels[0].rx_pkt, PNUM_UNKNOWN);
	assert_int_equal(ts->tunnels[0].tx_err, PNUM_UNKNOWN);
	tunnel_summary_free(ts);

	json = tu_report(&kind_tunnel_summary, in, sizeof(in) - 1);
	tu_has(json, "\"rx_pkt\":null,", "missing rx");
	tu_has(json, "\"remote_port\":4500,", "port");
	free(json);
}

/*
 * The pager erases itself with CRs, so a tunnel line can follow
 * "--More--\r   \r" on the same line; the counters are read after the
 * name even when the name looks like one of them.
 */
static void
test_pager_erase(void **state)
{
	static const char in[] =
	    "'VPN1_0' 100.64.15.1:0  selectors(total,up): 1/1  "
	    "rx(pkt,err): 1/0  tx(pkt,err): 2/0\n"
	    "--More--\r        \r'VPN1_1' 100.64.13.1:0  "
	    "selectors(total,up): 1/0  rx(pkt,err): 3/0  tx(pkt,err): 4/1\n"
	    "'odd rx(pkt,err): 9/9' selectors(total,up): 1/1\t"
	    "tx(pkt,err): 5/6\n";
	static const struct want w[] = {
		{ "VPN1_0", "100.64.15.1", 0, 1, 1, 1, 0, 2, 0 },
		{ "VPN1_1", "100.64.13.1", 0, 1, 0, 3, 0, 4, 1 },
		{ "odd rx(pkt,err): 9/9", NULL, PNUM_UNKNOWN, 1, 1,
		  PNUM_UNKNOWN, PNUM_UNKNOWN, 5, 6 },
	};

	check_text("pager", in, sizeof(in) - 1, w, 3);
}

/*
 * The erase is looked for in each line only when the text holds a CR; a
 * NUL is escaped in a copy only when the text holds one.  Both here.
 */
static void
test_cr_nul(void **state)
{
	static const char cr[] =
	    "x\r'v' 10.0.0.2:0  selectors(total,up): 1/1  "
	    "rx(pkt,err): 12345678/0  tx(pkt,err): 9/1\n"
	    "'w' 10.0.0.3:0  selectors(total,up): 2/2  rx(pkt,err): 1/0  "
	    "tx(pkt,err): 2/0\n";
	static const char nul[] =
	    "'a\0b' 1\0.0.0.1:500  selectors(total,up): 1/1  "
	    "rx(pkt,err): 2/0  tx(pkt,err): 3/0\n";
	static const struct want wcr[] = {
		{ "v", "10.0.0.2", 0, 1, 1, 12345678, 0, 9, 1 },
		{ "w", "10.0.0.3", 0, 2, 2, 1, 0, 2, 0 },
	};
	static const struct want wnul[] = {
		{ "a\\x00b", "1\\x00.0.0.1", 500, 1, 1, 2, 0, 3, 0 },
	};

	check_text("cr inside a line", cr, sizeof(cr) - 1, wcr, 2);
	check_text("nul in the fields", nul, sizeof(nul) - 1, wnul, 1);
}

/* Numbers of every length, and labels at the very end of a line. */
static void
test_numbers(void **state)
{
	static const char in[] =
	    "'n' selectors(total,up): 12345678/123456789  "
	    "rx(pkt,err): 9223372036854775807/0  "
	    "tx(pkt,err): 9223372036854775808/1\n"
	    "'e' 192.0.2.1:4500 selectors(total,up):\t7/0 rx(pkt,err):\n"
	    "'f' selectors(total,up): 1/\n";
	static const struct want w[] = {
		{ "n", NULL, PNUM_UNKNOWN, 12345678, 123456789, INT64_MAX, 0,
		  PNUM_UNKNOWN, PNUM_UNKNOWN },
		{ "e", "192.0.2.1", 4500, 7, 0, PNUM_UNKNOWN, PNUM_UNKNOWN,
		  PNUM_UNKNOWN, PNUM_UNKNOWN },
		{ "f", NULL, PNUM_UNKNOWN, PNUM_UNKNOWN, PNUM_UNKNOWN,
		  PNUM_UNKNOWN, PNUM_UNKNOWN, PNUM_UNKNOWN, PNUM_UNKNOWN },
	};

	check_text("numbers", in, sizeof(in) - 1, w, 3);
}

static void
test_garbage(void **state)
{
	static const char in[] = "'\n''\n'a' selectors(total,up): /\n\x1b[2J";
	struct tunnel_summary	*ts;

	ts = tunnel_summary_parse(in, sizeof(in) - 1);
	assert_non_null(ts);
	assert_int_equal(ts->ntunnels, 1);
	assert_string_equal(ts->tunnels[0].name, "a");
	assert_int_equal(ts->tunnels[0].selectors_total, PNUM_UNKNOWN);
	tunnel_summary_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkthrough),
		cmocka_unit_test(test_advpn_hub),
		cmocka_unit_test(test_single_space),
		cmocka_unit_test(test_old_layout_crlf),
		cmocka_unit_test(test_columns_moved),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_pager_erase),
		cmocka_unit_test(test_cr_nul),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_garbage),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
