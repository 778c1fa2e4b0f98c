/* SPDX-License-Identifier: ISC */
/*
 * test_model - the model: joining the three poll outputs by tunnel name,
 * states, deltas and rates, transitions as events, removal, children.
 *
 * The first test merges the real walk-through captures, whose meaning is
 * told by the KB they come from (tests/sim/scenarios/walkthrough.scn):
 * to10.174.0.182 up with 1/1 selectors, rx 1921, tx 69 and 2 tx errors;
 * to10.189.0.182 down, phase 1 "connecting" as IKEv1 responder, its one
 * selector at sa=0.  The others feed small outputs in FortiOS's own
 * layout, round after round, and check each transition.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_gateway.h"
#include "model.h"
#include "testutil.h"
#include "tunnel_list.h"
#include "tunnel_summary.h"

static void
merge_summary(struct mvdom *v, const char *text, int full, double now)
{
	struct tunnel_summary	*ts;

	ts = tunnel_summary_parse(text, strlen(text));
	assert_non_null(ts);
	model_merge_summary(v, ts, full, now);
	tunnel_summary_free(ts);
}

static void
merge_gateways(struct mvdom *v, const char *text, int full, double now)
{
	struct ike_gateway_list	*ig;

	ig = ike_gateway_list_parse(text, strlen(text));
	assert_non_null(ig);
	model_merge_gateways(v, ig, full, now);
	ike_gateway_list_free(ig);
}

static void
merge_tunnels(struct mvdom *v, const char *text, int full, double now)
{
	struct tunnel_list	*tl;

	tl = tunnel_list_parse(text, strlen(text));
	assert_non_null(tl);
	model_merge_tunnels(v, tl, full, now);
	tunnel_list_free(tl);
}

static void
merge_fixture(struct mvdom *v, const char *rel,
    void (*merge)(struct mvdom *, const char *, int, double), int full,
    double now)
{
	char	*text;
	size_t	 len;

	text = tu_fixture(rel, &len);
	merge(v, text, full, now);
	free(text);
}

/* The events taken, as "type tunnel item from>to" lines. */
static char *
events_text(struct model *m)
{
	struct mevent	*ev, *e;
	char		*s = NULL, *t;
	size_t		 len = 0;
	int		 n;

	ev = model_events_take(m, NULL);
	for (e = ev; e != NULL; e = e->next) {
		n = snprintf(NULL, 0, "%s %s %s %s>%s\n", e->type,
		    e->tunnel != NULL ? e->tunnel : "-",
		    e->item != NULL ? e->item : "-",
		    e->from != NULL ? e->from : "-",
		    e->to != NULL ? e->to : "-");
		t = realloc(s, len + (size_t)n + 1);
		assert_non_null(t);
		s = t;
		snprintf(s + len, (size_t)n + 1, "%s %s %s %s>%s\n", e->type,
		    e->tunnel != NULL ? e->tunnel : "-",
		    e->item != NULL ? e->item : "-",
		    e->from != NULL ? e->from : "-",
		    e->to != NULL ? e->to : "-");
		len += (size_t)n;
	}
	mevent_free(ev);
	return (s != NULL ? s : strdup(""));
}

static void
expect_events(struct model *m, const char *want)
{
	char	*got = events_text(m);

	assert_string_equal(got, want);
	free(got);
}

static void
test_walkthrough(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", "127.0.0.1", 22);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*up, *down;

	model_round_begin(d);
	merge_fixture(v, "real/tunnel-summary/"
	    "00-walkthrough-jp-blog-2-tunnels-one-down.txt", merge_summary,
	    1, 1000);
	merge_fixture(v, "real/ike-gateway-list/"
	    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt",
	    merge_gateways, 0, 1000);
	merge_fixture(v, "real/tunnel-list/"
	    "00-walkthrough-jp-blog-by-name-sa0.txt", merge_tunnels, 0,
	    1000);
	model_round_end(d, 1000, 12);

	assert_int_equal(v->ntunnels, 2);
	assert_int_equal(model_ntunnels(m), 2);
	up = model_tunnel(v, "to10.174.0.182");
	down = model_tunnel(v, "to10.189.0.182");
	assert_non_null(up);
	assert_non_null(down);
	assert_string_equal(mtun_state_name(up->state), "up");
	assert_int_equal(up->selectors_total, 1);
	assert_int_equal(up->selectors_up, 1);
	assert_int_equal(up->rx_pkt, 1921);
	assert_int_equal(up->tx_pkt, 69);
	assert_int_equal(up->tx_err, 2);
	assert_string_equal(up->remote_addr, "10.174.0.182");
	/* Only the summary spoke of it: phase 1 is unknown, not down. */
	assert_int_equal(up->has_phase1, 0);
	assert_int_equal(up->np2, 0);

	assert_string_equal(mtun_state_name(down->state), "down");
	assert_int_equal(down->has_phase1, 1);
	assert_string_equal(down->p1.status, "connecting");
	assert_string_equal(down->p1.direction, "responder");
	assert_int_equal(down->p1.version, 1);
	assert_string_equal(down->p1.interface, "port9");
	assert_string_equal(down->p1.local_addr, "10.189.0.31");
	assert_string_equal(down->p1.remote_addr, "10.189.0.182");
	assert_int_equal(down->p1.remote_port, 500);
	assert_int_equal(down->p1.created_ago_s, 15);
	assert_string_equal(down->local_addr, "10.189.0.31");
	assert_int_equal(down->np2, 1);
	assert_string_equal(down->p2[0].name, "to10.189.0.182");
	assert_int_equal(down->p2[0].sa, 0);
	assert_string_equal(down->p2[0].src, "0:172.16.170.0/255.255.255.0:0");
	assert_string_equal(down->p2[0].dst, "0:192.168.50.0/255.255.255.0:0");
	assert_int_equal(down->p2[0].enc_spi, PNUM_UNKNOWN);
	assert_int_equal(down->dpd_count, 0);
	tu_assert_double_equal(d->poll_ms, 12, 0);
	expect_events(m,
	    "tunnel-added to10.174.0.182 - ->up\n"
	    "tunnel-added to10.189.0.182 - ->down\n");
	model_free(m);
}

/*
 * Shared strings: what two tunnels (of two models even) say alike is
 * held once, and stays whole while any holder is left.
 */
static void
test_shared_strings(void **state)
{
	struct model	*m1 = model_new(), *m2 = model_new();
	struct mdev	*d1 = model_add_device(m1, "fw1", "127.0.0.1", 22);
	struct mdev	*d2 = model_add_device(m2, "fw2", "127.0.0.1", 22);
	struct mvdom	*v1 = model_vdom(d1, "root");
	struct mvdom	*v2 = model_vdom(d2, "root");
	struct mtun	*a, *b;
	char		*s, *t;

	(void)state;
	model_round_begin(d1);
	model_round_begin(d2);
	merge_fixture(v1, "real/ike-gateway-list/"
	    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt",
	    merge_gateways, 1, 1000);
	merge_fixture(v2, "real/ike-gateway-list/"
	    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt",
	    merge_gateways, 1, 1000);
	a = model_tunnel(v1, "to10.189.0.182");
	b = model_tunnel(v2, "to10.189.0.182");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->p1.interface, "port9");
	assert_ptr_equal(a->p1.interface, b->p1.interface);
	assert_ptr_equal(a->p1.status, b->p1.status);
	assert_ptr_equal(a->name, b->name);
	/* The first model gone, the second's strings are intact. */
	model_free(m1);
	assert_string_equal(b->p1.interface, "port9");
	assert_string_equal(b->p1.status, "connecting");
	assert_string_equal(b->name, "to10.189.0.182");
	s = model_str("port9");
	assert_ptr_equal(s, b->p1.interface);
	t = model_str("port10");
	assert_string_equal(t, "port10");
	assert_ptr_not_equal(t, s);
	model_str_free(s);
	model_str_free(t);
	assert_null(model_str(NULL));
	model_str_free(NULL);
	model_free(m2);
}

#define SUMMARY(rx, rxe, tx, txe, up) \
	"FW1 # get vpn ipsec tunnel summary\n" \
	"'hq' 203.0.113.1:0  selectors(total,up): 1/" up \
	"  rx(pkt,err): " rx "/" rxe "  tx(pkt,err): " tx "/" txe "\n" \
	"FW1 # "

static void
test_rates_and_resets(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*t;

	model_round_begin(d);
	merge_summary(v, SUMMARY("100", "0", "50", "1", "1"), 1, 1000);
	model_round_end(d, 1000, 1);
	t = model_tunnel(v, "hq");
	tu_assert_nan(t->rx_pps);		/* one sample: no rate */
	assert_int_equal(t->tx_err_delta, PNUM_UNKNOWN);

	model_round_begin(d);
	merge_summary(v, SUMMARY("150", "0", "70", "4", "1"), 1, 1005);
	model_round_end(d, 1005, 1);
	tu_assert_double_equal(t->rx_pps, 10.0, 1e-9);
	tu_assert_double_equal(t->tx_pps, 4.0, 1e-9);
	assert_int_equal(t->tx_err_delta, 3);
	assert_int_equal(t->rx_err_delta, 0);
	tu_assert_double_equal(t->rx_hist[MODEL_RATE_SAMPLES - 1], 10.0, 1e-6);

	/* The box rebooted: counters start again. */
	model_round_begin(d);
	merge_summary(v, SUMMARY("20", "0", "5", "0", "1"), 1, 1010);
	model_round_end(d, 1010, 1);
	tu_assert_nan(t->rx_pps);
	assert_int_equal(t->tx_err_delta, PNUM_UNKNOWN);
	expect_events(m,
	    "tunnel-added hq - ->up\n"
	    "counter-reset hq rx_pkt ->-\n"
	    "counter-reset hq tx_pkt ->-\n"
	    "counter-reset hq tx_err ->-\n");

	/* Down: one state event, with the time of the change. */
	model_round_begin(d);
	merge_summary(v, SUMMARY("20", "0", "5", "0", "0"), 1, 1015);
	model_round_end(d, 1015, 1);
	assert_string_equal(mtun_state_name(t->state), "down");
	tu_assert_double_equal(t->changed_at, 1015, 0);
	expect_events(m, "tunnel-state hq - up>down\n");
	model_free(m);
}

#define GW(status) \
	"vd: root/0\nname: hq\nversion: 2\ninterface: wan1 5\n" \
	"addr: 198.51.100.10:500 -> 203.0.113.1:500\ncreated: 40s ago\n" \
	"IKE SA: created 1/1  established 1/1  time 10/10/10 ms\n" \
	"IPsec SA: created 1/1  established 1/1  time 0/0/0 ms\n\n" \
	"  id/spi: 7 1111111111111111/2222222222222222\n" \
	"  direction: initiator\n  status: " status "\n"

#define TL(sa, spi, enc, dec) \
	"list all ipsec tunnel in vd 0\n" \
	"name=hq ver=2 serial=1 198.51.100.10:0->203.0.113.1:0\n" \
	"bound_if=5 lgwy=static/1 tun=intf/0 mode=auto/1 encap=none/512\n" \
	"proxyid_num=1 child_num=0 refcnt=3 ilast=0 olast=0 ad=/0\n" \
	"stat: rxp=1 txp=1 rxb=1 txb=1\n" \
	"dpd: mode=on-idle on=1 idle=20000ms retry=3 count=0 seqno=1\n" \
	"natt: mode=none draft=0 interval=0 remote_port=0\n" \
	"proxyid=hq proto=0 sa=" sa " ref=2 serial=1\n" \
	"  src: 0:10.10.0.0/255.255.255.0:0\n" \
	"  dst: 0:10.0.0.0/255.255.0.0:0\n" \
	"  SA:  ref=3 options=10226 type=00 soft=0 mtu=1438 " \
	"expire=42000/0B replaywin=2048\n" \
	"       seqno=2 esn=0 replaywin_lastseq=00000002 itn=0 qat=0\n" \
	"  life: type=01 bytes=0/0 timeout=42300/43200\n" \
	"  dec: spi=" spi " esp=aes key=16 0123\n" \
	"       ah=sha1 key=20 0123\n" \
	"  enc: spi=" spi " esp=aes key=16 0123\n" \
	"       ah=sha1 key=20 0123\n" \
	"  dec:pkts/bytes=" dec "/100, enc:pkts/bytes=" enc "/200\n"

/* sa=0: no SA block at all. */
#define TL0 \
	"name=hq ver=2 serial=1 198.51.100.10:0->203.0.113.1:0\n" \
	"proxyid_num=1 child_num=0 refcnt=3 ilast=0 olast=0 ad=/0\n" \
	"proxyid=hq proto=0 sa=0 ref=2 serial=1\n" \
	"  src: 0:10.10.0.0/255.255.255.0:0\n" \
	"  dst: 0:10.0.0.0/255.255.0.0:0\n"

static void
test_transitions(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*t;

	model_round_begin(d);
	merge_gateways(v, GW("connecting, state 3, started 5s ago"), 1, 100);
	merge_tunnels(v, TL0, 1, 100);
	model_round_end(d, 100, 1);
	t = model_tunnel(v, "hq");
	assert_string_equal(mtun_state_name(t->state), "down");
	assert_int_equal(t->p2[0].sa, 0);

	model_round_begin(d);
	merge_gateways(v, GW("established 30-30s ago = 10ms"), 1, 130);
	merge_tunnels(v, TL("1", "aaaa0001", "10", "8"), 1, 130);
	model_round_end(d, 130, 1);
	assert_string_equal(mtun_state_name(t->state), "up");
	assert_string_equal(t->p1.status, "established");
	tu_assert_double_equal(t->p1.status_since, 130, 0);
	tu_assert_double_equal(t->p2[0].sa_since, 130, 0);
	assert_int_equal(t->p2[0].enc_spi, 0xaaaa0001);
	/* A new SA: no earlier sample to subtract. */
	assert_int_equal(t->p2[0].enc_delta, PNUM_UNKNOWN);
	assert_int_equal(t->p2[0].enc_pkts, 10);
	assert_int_equal(t->p2[0].dec_pkts, 8);

	/* Counters move; then a rekey: new SPIs, counters from zero. */
	model_round_begin(d);
	merge_tunnels(v, TL("1", "aaaa0001", "25", "8"), 1, 160);
	model_round_end(d, 160, 1);
	assert_int_equal(t->p2[0].enc_delta, 15);
	assert_int_equal(t->p2[0].dec_delta, 0);
	model_round_begin(d);
	merge_tunnels(v, TL("1", "bbbb0002", "3", "2"), 1, 190);
	model_round_end(d, 190, 1);
	assert_int_equal(t->p2[0].enc_spi, 0xbbbb0002);
	assert_int_equal(t->p2[0].enc_delta, PNUM_UNKNOWN);
	assert_string_equal(t->p2[0].esp, "aes");
	expect_events(m,
	    "tunnel-added hq - ->down\n"
	    "phase1 hq - connecting>established\n"
	    "sa hq hq 0>1\n"
	    "tunnel-state hq - down>up\n"
	    "rekey hq hq aaaa0001>bbbb0002\n");
	model_free(m);
}

static void
test_removal_and_children(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "hub", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	const char	*both =
	    "'dial_0' 10.0.0.1:0  selectors(total,up): 1/1  rx(pkt,err): 1/0"
	    "  tx(pkt,err): 1/0\n"
	    "'dial_1' 10.0.0.2:0  selectors(total,up): 1/1  rx(pkt,err): 1/0"
	    "  tx(pkt,err): 1/0\n";
	const char	*one =
	    "'dial_0' 10.0.0.1:0  selectors(total,up): 1/1  rx(pkt,err): 1/0"
	    "  tx(pkt,err): 1/0\n";
	const char	*tl =
	    "name=dial ver=1 serial=1 198.51.100.1:0->0.0.0.0:0\n"
	    "bound_if=5 lgwy=static/1 tun=intf/0 mode=dialup/2 encap=none/0\n"
	    "proxyid_num=0 child_num=2 refcnt=3 ilast=0 olast=0 ad=/0\n"
	    "name=dial_0 ver=1 serial=2 198.51.100.1:0->10.0.0.1:0\n"
	    "bound_if=5 lgwy=static/1 tun=intf/0 mode=dial_inst/3 "
	    "encap=none/0\nparent=dial index=0\n"
	    "name=dial_1 ver=1 serial=3 198.51.100.1:0->10.0.0.2:0\n"
	    "bound_if=5 lgwy=static/1 tun=intf/0 mode=dial_inst/3 "
	    "encap=none/0\nparent=dial index=1\n";
	const char	*tl_one =
	    "name=dial ver=1 serial=1 198.51.100.1:0->0.0.0.0:0\n"
	    "name=dial_0 ver=1 serial=2 198.51.100.1:0->10.0.0.1:0\n"
	    "parent=dial index=0\n";

	model_round_begin(d);
	merge_summary(v, both, 1, 10);
	merge_tunnels(v, tl, 1, 10);
	model_round_end(d, 10, 1);
	assert_int_equal(v->ntunnels, 3);
	assert_string_equal(model_tunnel(v, "dial_1")->parent, "dial");
	assert_int_equal(model_tunnel(v, "dial")->nchildren, 2);
	free(events_text(m));

	/*
	 * A summary-only round without dial_1: the tunnel list that also
	 * listed it did not run, so it stays until a full round confirms.
	 */
	model_round_begin(d);
	merge_summary(v, one, 1, 15);
	model_round_end(d, 15, 1);
	assert_non_null(model_tunnel(v, "dial_1"));
	assert_int_equal(v->ntunnels, 3);
	free(events_text(m));

	/*
	 * The next full round lists it nowhere: it is gone.  The parent,
	 * which the summary never lists, stays.
	 */
	model_round_begin(d);
	merge_summary(v, one, 1, 20);
	merge_tunnels(v, tl_one, 1, 20);
	model_round_end(d, 20, 1);
	assert_null(model_tunnel(v, "dial_1"));
	assert_int_equal(v->ntunnels, 2);
	assert_non_null(model_tunnel(v, "dial"));
	assert_int_equal(model_tunnel(v, "dial")->nchildren, 1);
	expect_events(m, "tunnel-removed dial_1 - up>-\n");
	model_free(m);
}

static void
test_device_states(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw9", "192.0.2.9", 2222);
	struct mevent	*ev;
	size_t		 n;

	assert_string_equal(mdev_state_name(d->state), "connecting");
	model_device_state(d, MDEV_UNREACHABLE, "fw9: connection refused", 5);
	model_device_state(d, MDEV_UNREACHABLE, "fw9: connection refused", 6);
	model_device_state(d, MDEV_UP, NULL, 7);
	ev = model_events_take(m, &n);
	assert_int_equal(n, 2);
	assert_string_equal(ev->type, "device-state");
	assert_string_equal(ev->from, "connecting");
	assert_string_equal(ev->to, "unreachable");
	assert_string_equal(ev->detail, "fw9: connection refused");
	assert_string_equal(ev->next->to, "up");
	assert_null(d->error);
	mevent_free(ev);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkthrough),
		cmocka_unit_test(test_shared_strings),
		cmocka_unit_test(test_rates_and_resets),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_removal_and_children),
		cmocka_unit_test(test_device_states),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
