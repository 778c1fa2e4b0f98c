/* SPDX-License-Identifier: ISC */
/*
 * test_analyze - `fgtop analyze` on pasted transcripts: the README
 * sample, VDOM prompts, the VDOM context of `config vdom` / `edit X` /
 * `sudo X`, when `diagnose debug enable` means IKE debug, and records
 * for commands fgtop does not parse.  The parsers other than the tunnel
 * summary are checked elsewhere; here only that their result is there.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *
analyze(const char *buf, size_t len, size_t *nrec)
{
	return (tu_analyze(buf, len, nrec));
}

/* A string literal, its length taken by the compiler. */
#define ANALYZE(lit, np)	analyze((lit), sizeof(lit) - 1, (np))

/* A file below tests/fixtures (samples/ is reached from there). */
static char *
analyze_file(const char *rel, size_t *nrec)
{
	char	*buf, *out;
	size_t	 len;

	buf = tu_fixture(rel, &len);
	out = analyze(buf, len, nrec);
	free(buf);
	return (out);
}

/*
 * The n-th record (from 0) of the document, found by decoding it (not by
 * searching the text), written back compact in its own key order, for
 * the field checks below; caller frees.
 */
static char *
record(const char *json, size_t n)
{
	json_t	*doc, *recs;
	char	*r;

	doc = tu_json(json, "analyze");
	recs = json_object_get(doc, "records");
	if (!json_is_array(recs) || n >= json_array_size(recs))
		fail_msg("no record %zu in %s", n, json);
	r = json_dumps(json_array_get(recs, n), JSON_COMPACT |
	    JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	assert_non_null(r);
	json_decref(doc);
	return (r);
}

/* Record i (from 0) of the compact JSON contains the fragment. */
#define rec_has(json, i, frag, what) \
	rec_has_impl((json), (i), (frag), (what), __LINE__)

static void
rec_has_impl(const char *json, size_t i, const char *frag, const char *what,
    int line)
{
	char	*r;

	r = record(json, i);
	tu_has_impl(r, frag, what, __FILE__, line);
	free(r);
}

static void
test_walkthrough(void **state)
{
	char	*json, *r;
	size_t	 n;

	json = analyze_file("../../samples/walkthrough.txt", &n);
	assert_int_equal(n, 3);
	r = record(json, 0);
	tu_has(r, "\"prompt\":\"FGT-BRANCH # \",\"hostname\":\"FGT-BRANCH\","
	    "\"vdom\":null,\"command\":\"get vpn ipsec tunnel summary\","
	    "\"kind\":\"tunnel-summary\",\"parsed\":{\"tunnels\":[",
	    "walkthrough record 0");
	tu_has(r, "{\"name\":\"to10.174.0.182\","
	    "\"remote_addr\":\"10.174.0.182\","
	    "\"remote_port\":0,\"selectors_total\":1,\"selectors_up\":1,"
	    "\"rx_pkt\":1921,\"rx_err\":0,\"tx_pkt\":69,\"tx_err\":2}",
	    "walkthrough to10.174.0.182");
	tu_has(r, "{\"name\":\"to10.189.0.182\","
	    "\"remote_addr\":\"10.189.0.182\","
	    "\"remote_port\":0,\"selectors_total\":1,\"selectors_up\":0,"
	    "\"rx_pkt\":0,\"rx_err\":0,\"tx_pkt\":0,\"tx_err\":0}",
	    "walkthrough to10.189.0.182");
	free(r);
	r = record(json, 1);
	tu_has(r, "\"hostname\":\"FGT-BRANCH\",\"vdom\":null,"
	    "\"command\":\"diagnose vpn ike gateway list name to10.189.0.182\","
	    "\"kind\":\"ike-gateway-list\",\"parsed\":{",
	    "walkthrough record 1");
	tu_has(r, "\"to10.189.0.182\"", "walkthrough gateway name");
	free(r);
	rec_has(json, 2, "\"command\":\"diagnose vpn tunnel list name "
	    "to10.189.0.182\",\"kind\":\"tunnel-list\",\"parsed\":{",
	    "walkthrough record 2");
	free(json);
}

static void
test_vdom_prompt(void **state)
{
	char	*json;
	size_t	 n;

	json = analyze_file("real/traceroute/"
	    "03-vdom-prompt-r3.txt", &n);
	assert_int_equal(n, 1);
	tu_has(json, "{\"prompt\":\"FGT02 (R3) # \",\"hostname\":\"FGT02\","
	    "\"vdom\":\"R3\",\"command\":\"execute traceroute 172.18.12.1\","
	    "\"kind\":\"traceroute\",\"parsed\":{", "traceroute vdom prompt");
	free(json);

	json = ANALYZE(
	    "FGT (R3) # execute traceroute 172.18.12.1\n"
	    "traceroute to 172.18.12.1 (172.18.12.1), 32 hops max, 3 probe "
	    "packets per hop, 72 byte packets\n"
	    " 1  172.18.12.1  0.177 ms  0.158 ms  0.097 ms\n", &n);
	assert_int_equal(n, 1);
	tu_has(json, "\"hostname\":\"FGT\",\"vdom\":\"R3\",", "FGT (R3)");
	free(json);
}

/* Real captures: config vdom / edit / next, and sudo into another VDOM. */
static void
test_vdom_fixtures(void **state)
{
	char	*json;
	size_t	 n;

	json = analyze_file("real/prompts-paging/"
	    "05-vdom-config-edit-next-bgp-routes.txt", &n);
	assert_int_equal(n, 6);
	rec_has(json, 1, "\"prompt\":\"FGT02 (vdom) # \","
	    "\"hostname\":\"FGT02\",\"vdom\":null,\"command\":\"edit R1\",",
	    "config vdom prompt");
	rec_has(json, 2, "\"vdom\":\"R1\",\"command\":\"get router info "
	    "routing-table bgp\",\"kind\":\"routing-table\",\"parsed\":{",
	    "routes in R1");
	rec_has(json, 5, "\"vdom\":\"R2\",", "routes in R2");
	free(json);

	json = analyze_file("real/prompts-paging/"
	    "06-sudo-other-vdom-routes.txt", &n);
	assert_int_equal(n, 2);
	rec_has(json, 0, "\"vdom\":\"R1\",", "prompt vdom");
	rec_has(json, 1, "\"prompt\":\"FGT02 (R1) # \",\"hostname\":\"FGT02\","
	    "\"vdom\":\"R2\",\"command\":\"sudo R2 get router info "
	    "routing-table bgp\",\"kind\":\"routing-table\",\"parsed\":{",
	    "sudo R2 from R1");
	free(json);
}

static const char vdom_session[] =
	"FGT # config vdom\n"
	"FGT (vdom) # edit R3\n"
	"current vf=R3:1\n"
	"FGT (R3) # config system interface\n"
	"FGT (interface) # get vpn ipsec tunnel summary\n"
	"'t1' 192.0.2.1:0  selectors(total,up): 1/1  rx(pkt,err): 5/0  "
	"tx(pkt,err): 6/0\n"
	"FGT (interface) # end\n"
	"FGT (R3) # next\n"
	"FGT (vdom) # edit root\n"
	"FGT (root) # diagnose vpn tunnel list\n"
	"list all ipsec tunnel in vd 0\n"
	"FGT (root) # end\n"
	"FGT # config global\n"
	"FGT (global) # get system status\n"
	"Version: FortiGate-VM64 v7.2.4,build1396,230131 (GA.F)\n"
	"FGT (global) # end\n"
	"FGT # sudo R3 diagnose vpn tunnel list\n"
	"FGT # get system status\n"
	"FGT # ";

static void
test_vdom_context(void **state)
{
	static const struct {
		const char	*command, *vdom;
	} want[] = {
		{ "config vdom", NULL },
		{ "edit R3", NULL },
		{ "config system interface", "R3" },
		{ "get vpn ipsec tunnel summary", "R3" },
		{ "end", "R3" },
		{ "next", "R3" },
		{ "edit root", NULL },
		{ "diagnose vpn tunnel list", "root" },
		{ "end", "root" },
		{ "config global", NULL },
		{ "get system status", "global" },
		{ "end", "global" },
		{ "sudo R3 diagnose vpn tunnel list", "R3" },
		{ "get system status", NULL },
	};
	char	*json, frag[256];
	size_t	 n, i;

	json = analyze(vdom_session, sizeof(vdom_session) - 1, &n);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++) {
		if (want[i].vdom == NULL)
			snprintf(frag, sizeof(frag), "\"vdom\":null,"
			    "\"command\":\"%s\",", want[i].command);
		else
			snprintf(frag, sizeof(frag), "\"vdom\":\"%s\","
			    "\"command\":\"%s\",", want[i].vdom,
			    want[i].command);
		rec_has(json, i, frag, "vdom context");
	}
	rec_has(json, 3, "\"kind\":\"tunnel-summary\",\"parsed\":{"
	    "\"tunnels\":[{\"name\":\"t1\",", "summary inside a config block");
	rec_has(json, 12, "\"kind\":\"tunnel-list\",\"parsed\":{", "sudo kind");
	rec_has(json, 0, "\"kind\":null,\"parsed\":null}",
	    "config vdom: no kind");
	free(json);

	/* Joined inside a VDOM: the prompt says where, until it does not. */
	json = ANALYZE("FGT (R3) # get sys stat\nFGT (R3) # end\n"
	    "FGT # get sys stat\n", &n);
	assert_int_equal(n, 3);
	rec_has(json, 1, "\"vdom\":\"R3\",\"command\":\"end\",",
	    "joined in R3");
	rec_has(json, 2, "\"vdom\":null,\"command\":\"get sys stat\",",
	    "back at the top");
	free(json);

	/* Pasted without hostnames: "# " prompts keep the context too. */
	json = ANALYZE("# config vdom\n# edit R3\n"
	    "# get vpn ipsec tunnel summary\n", &n);
	assert_int_equal(n, 3);
	rec_has(json, 2, "\"prompt\":\"# \",\"hostname\":null,\"vdom\":\"R3\",",
	    "bare prompts");
	free(json);
}

static void
test_ike_debug(void **state)
{
	static const char with_app[] =
	    "FGT # diagnose vpn ike log-filter dst-addr4 192.0.2.1\n"
	    "FGT # diagnose debug application ike -1\n"
	    "Debug messages will be on for 30 minutes.\n"
	    "FGT # diagnose debug enable\n"
	    "FGT # ike 0:vpn1:12: negotiation timeout, deleting\n"
	    "ike 0:vpn1: connection expiring due to phase1 down\n"
	    "FGT # diagnose debug disable\n";
	static const char flow[] =
	    "FGT # diagnose debug flow trace start 10\n"
	    "FGT # diagnose debug enable\n"
	    "id=20085 trace_id=1 func=print_pkt_detail line=5845 msg=\"x\"\n";
	static const char reset[] =
	    "FGT # diagnose debug application ike -1\n"
	    "FGT # diagnose debug reset\n"
	    "FGT # diagnose debug enable\n"
	    "id=20085 trace_id=1 func=print_pkt_detail line=5845 msg=\"x\"\n";
	static const char no_app[] =
	    "FGT # diagnose debug enable\n"
	    "ike 0:vpn1: connection expiring due to phase1 down\n";
	char	*json, *r;
	size_t	 n;

	json = analyze(with_app, sizeof(with_app) - 1, &n);
	assert_int_equal(n, 4);
	r = record(json, 2);
	tu_has(r, "\"command\":\"diagnose debug enable\","
	    "\"kind\":\"ike-debug\","
	    "\"parsed\":{", "debug after application ike");
	tu_lacks(r, "\"lines\":0,", "debug lines parsed");
	free(r);
	rec_has(json, 3, "\"kind\":null,\"parsed\":null", "debug disable");
	free(json);

	json = analyze(flow, sizeof(flow) - 1, &n);
	assert_int_equal(n, 2);
	rec_has(json, 1, "\"command\":\"diagnose debug enable\",\"kind\":null,"
	    "\"parsed\":null", "flow debug is not IKE debug");
	free(json);

	json = analyze(reset, sizeof(reset) - 1, &n);
	assert_int_equal(n, 3);
	rec_has(json, 2, "\"kind\":null,", "reset cancels application ike");
	free(json);

	json = analyze(no_app, sizeof(no_app) - 1, &n);
	assert_int_equal(n, 1);
	tu_has(json, "\"kind\":\"ike-debug\",\"parsed\":{",
	    "the lines say IKE");
	free(json);

	json = analyze_file("real/ike-debug/"
	    "01-ikev1-p1-no-proposal-chosen.txt", &n);
	assert_int_equal(n, 2);
	r = record(json, 1);
	tu_has(r, "{\"prompt\":\"FGT-BJ# \",\"hostname\":\"FGT-BJ\","
	    "\"vdom\":null,\"command\":\"diagnose debug  enable\","
	    "\"kind\":\"ike-debug\",\"parsed\":{", "FGT-BJ debug");
	tu_lacks(r, "\"lines\":0,", "FGT-BJ debug lines");
	free(r);
	free(json);
}

static void
test_output_alone(void **state)
{
	char	*json;
	size_t	 n;

	json = analyze_file("real/prompts-paging/"
	    "01-system-status-6.0.2-elided-more-pager.txt", &n);
	assert_int_equal(n, 1);
	tu_has(json, "{\"prompt\":null,\"hostname\":null,\"vdom\":null,"
	    "\"command\":null,\"kind\":\"system-status\",\"parsed\":{",
	    "system status without its command");
	tu_lacks(json, "More", "pager");
	free(json);
}

static void
test_nothing(void **state)
{
	char		*json;
	size_t		 n, i;
	const char	*p;

	json = analyze("", 0, &n);
	assert_int_equal(n, 0);
	assert_string_equal(json, "{\"records\":[],\"findings\":[]}");
	free(json);

	json = ANALYZE("hello\nworld\nFGT # \n", &n);
	assert_int_equal(n, 0);
	assert_string_equal(json, "{\"records\":[],\"findings\":[]}");
	free(json);

	/* Hostile bytes reach the JSON escaped, never raw. */
	json = ANALYZE("F\x1b]52;c;QQ==\aGT # get vpn ipsec tunnel summary\n"
	    "'\x1b[2J\xc2\x9bx' 1.2.3.4:0  selectors(total,up): 1/1\n", &n);
	assert_int_equal(n, 1);
	for (p = json, i = 0; *p != '\0'; p++, i++) {
		if ((unsigned char)*p < 0x20)
			fail_msg("raw control 0x%02x at %zu in %s",
			    (unsigned char)*p, i, json);
	}
	tu_has(json, "\"hostname\":\"FGT\",", "escape removed from prompt");
	tu_has(json, "\"name\":\"?x\",", "escapes removed from the name");
	free(json);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkthrough),
		cmocka_unit_test(test_vdom_prompt),
		cmocka_unit_test(test_vdom_fixtures),
		cmocka_unit_test(test_vdom_context),
		cmocka_unit_test(test_ike_debug),
		cmocka_unit_test(test_output_alone),
		cmocka_unit_test(test_nothing),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
