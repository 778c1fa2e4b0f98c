/* SPDX-License-Identifier: ISC */
/*
 * test_ike_gateway - `diagnose vpn ike gateway list` and `get vpn ike
 * gateway` on every real capture (every value manifest.json lists) and
 * on synthetic layouts of other versions:
 * 5.6 with CRLF, IKEv2 dial-up with EAP and NAT both sides, IPv6, names
 * and interfaces with spaces, missing fields, and hostile bytes.  Key
 * material must never reach the parsed structs or the JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_gateway.h"
#include "testutil.h"

#define U	PNUM_UNKNOWN
#define DIR	"real/ike-gateway-list/"

/* The gateway values the manifest lists, and a few more. */
struct want {
	const char	*name;
	pnum		 version;
	const char	*laddr;
	pnum		 lport;
	const char	*raddr;
	pnum		 rport;
	const char	*status;
	const char	*direction;
	pnum		 ike_c[2], ike_e[2];
	pnum		 ipsec_c[2], ipsec_e[2];
};

static void
eq_num(const char *what, const char *gw, const char *field, pnum got,
    pnum want)
{
	char	ctx[256];

	snprintf(ctx, sizeof(ctx), "%s: %s", what, gw ? gw : "?");
	tu_num(ctx, field, got, want);
}

static void
eq_str(const char *what, const char *gw, const char *field, const char *got,
    const char *want)
{
	char	ctx[256];

	snprintf(ctx, sizeof(ctx), "%s: %s", what, gw ? gw : "?");
	tu_str(ctx, field, got, want);
}

static void
check_gw(const char *what, const struct ike_gateway *g, const struct want *w)
{
	const char	*st = NULL, *dir = NULL;

	eq_str(what, w->name, "name", g->name, w->name);
	eq_num(what, w->name, "version", g->version, w->version);
	eq_str(what, w->name, "local_addr", g->local_addr, w->laddr);
	eq_num(what, w->name, "local_port", g->local_port, w->lport);
	eq_str(what, w->name, "remote_addr", g->remote_addr, w->raddr);
	eq_num(what, w->name, "remote_port", g->remote_port, w->rport);
	if (g->nsas > 0) {
		st = g->sas[0].status;
		dir = g->sas[0].direction;
	}
	eq_str(what, w->name, "status", st, w->status);
	eq_str(what, w->name, "direction", dir, w->direction);
	eq_num(what, w->name, "ike created[0]", g->ike.created[0],
	    w->ike_c[0]);
	eq_num(what, w->name, "ike created[1]", g->ike.created[1],
	    w->ike_c[1]);
	eq_num(what, w->name, "ike established[0]", g->ike.established[0],
	    w->ike_e[0]);
	eq_num(what, w->name, "ike established[1]", g->ike.established[1],
	    w->ike_e[1]);
	eq_num(what, w->name, "ipsec created[0]", g->ipsec.created[0],
	    w->ipsec_c[0]);
	eq_num(what, w->name, "ipsec created[1]", g->ipsec.created[1],
	    w->ipsec_c[1]);
	eq_num(what, w->name, "ipsec established[0]",
	    g->ipsec.established[0], w->ipsec_e[0]);
	eq_num(what, w->name, "ipsec established[1]",
	    g->ipsec.established[1], w->ipsec_e[1]);
}

/* Parse a fixture: want_n gateways, checked against w[0..want_n). */
static struct ike_gateway_list *
load(const char *rel, const struct want *w, size_t want_n)
{
	struct ike_gateway_list	*r;
	char			*buf;
	size_t			 len, i;

	buf = tu_fixture(rel, &len);
	r = ike_gateway_list_parse(buf, len);
	free(buf);
	if (r == NULL)
		fail_msg("%s: parse returned NULL", rel);
	if (r->n != want_n)
		fail_msg("%s: %zu gateways, want %zu", rel, r->n, want_n);
	for (i = 0; i < want_n; i++)
		check_gw(rel, &r->gws[i], &w[i]);
	return (r);
}

static struct ike_gateway_list *
parse_str(const char *s, size_t want_n)
{
	struct ike_gateway_list	*r;

	r = ike_gateway_list_parse(s, strlen(s));
	assert_non_null(r);
	if (r->n != want_n)
		fail_msg("synthetic: %zu gateways, want %zu", r->n, want_n);
	return (r);
}

/* ---- the first real captures ---- */

static void
test_walkthrough_connecting(void **state)
{
	static const char *rel = DIR
	    "00-walkthrough-jp-blog-ikev1-responder-connecting.txt";
	static const struct want w = {
		"to10.189.0.182", 1, "10.189.0.31", 500, "10.189.0.182", 500,
		"connecting", "responder", { 1, 1 }, { U, U }, { 0, 0 },
		{ U, U }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	const struct ike_gateway_sa	*sa;
	char			*json;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "vd", g->vd, "root");
	eq_num(rel, w.name, "vd_index", g->vd_index, 0);
	eq_str(rel, w.name, "interface", g->interface, "port9");
	eq_num(rel, w.name, "ifindex", g->ifindex, 10);
	eq_num(rel, w.name, "created_ago_s", g->created_ago_s, 15);
	assert_int_equal(g->nsas, 1);
	sa = &g->sas[0];
	eq_num(rel, w.name, "sa id", sa->id, 19576);
	eq_str(rel, w.name, "spi_i", sa->spi_i, "a83334b3c66f871b");
	eq_str(rel, w.name, "spi_r", sa->spi_r, "0000000000000000");
	eq_num(rel, w.name, "state", sa->state, 3);
	eq_num(rel, w.name, "started_ago_s", sa->started_ago_s, 15);
	eq_num(rel, w.name, "established_ago_s", sa->established_ago_s, U);
	eq_num(rel, w.name, "time_ms", g->ike.time_ms[0], U);
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"status\":\"connecting\",", rel);
	tu_has(json, "\"ike_sa\":{\"created\":[1,1],\"established\":null,",
	    rel);
	tu_has(json, "\"ipsec_sa\":{\"created\":[0,0],\"established\":null,",
	    rel);
	tu_has(json, "\"nat\":null,", rel);
	tu_has(json, "\"state\":3,", rel);
	free(json);
}

static void
test_spoke_initiator(void **state)
{
	static const char *rel = DIR "02-spoke-initiator-ikev1.txt";
	static const struct want w = {
		"SPOKE1", 1, "200.1.1.2", 500, "100.1.1.2", 500,
		"established", "initiator", { 1, 1 }, { 1, 1 }, { 1, 1 },
		{ 1, 1 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	const struct ike_gateway_sa	*sa;
	char			*json;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "tun_id", g->tun_id, "100.1.1.2");
	eq_str(rel, w.name, "tun_id6", g->tun_id6, "::100.1.1.2");
	eq_num(rel, w.name, "network_id", g->network_id, 0);
	eq_str(rel, w.name, "vif_local", g->vif_local, "10.10.10.2");
	eq_str(rel, w.name, "vif_remote", g->vif_remote, "10.10.10.1");
	eq_num(rel, w.name, "created_ago_s", g->created_ago_s, 139);
	eq_num(rel, w.name, "ike time max", g->ike.time_ms[2], 0);
	eq_str(rel, w.name, "parent", g->parent, NULL);
	assert_int_equal(g->nsas, 1);
	sa = &g->sas[0];
	eq_num(rel, w.name, "sa id", sa->id, 0);
	eq_str(rel, w.name, "spi_i", sa->spi_i, "33b5335c7174437e");
	eq_str(rel, w.name, "spi_r", sa->spi_r, "c89906c6196f3cd7");
	eq_num(rel, w.name, "created_ago_s", sa->created_ago_s, 139);
	eq_num(rel, w.name, "established_ago_s", sa->established_ago_s, 139);
	eq_num(rel, w.name, "negotiation_ms", sa->negotiation_ms, 0);
	eq_str(rel, w.name, "proposal", sa->proposal, "aes128-sha256");
	eq_num(rel, w.name, "lifetime", sa->lifetime, 86400);
	eq_num(rel, w.name, "rekey", sa->rekey, 85960);
	/* 00000004/0000000a is hex. */
	eq_num(rel, w.name, "dpd_sent", sa->dpd_sent, 4);
	eq_num(rel, w.name, "dpd_recv", sa->dpd_recv, 10);
	eq_num(rel, w.name, "state", sa->state, U);
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"vd\":\"root\",\"vd_index\":0,", rel);
	tu_has(json, "\"dpd_sent\":4,\"dpd_recv\":10,", rel);
	tu_has(json, "\"established_ago_s\":139,", rel);
	tu_has(json, "\"lifetime\":86400,\"rekey\":85960,", rel);
	tu_has(json, "\"ike_sa\":{\"created\":[1,1],\"established\":[1,1],"
	    "\"time_ms\":[0,0,0]}", rel);
	tu_lacks(json, "ad3e41d87eb3b8b8", "IKEv1 key in JSON");
	tu_lacks(json, "c97c621b25fe9a48", "IKEv1 key in JSON");
	free(json);
}

static void
test_advpn_hub_children(void **state)
{
	static const char *rel = DIR
	    "04-advpn-hub-2-children-auto-discovery-sender.txt";
	static const struct want w[] = {
		{ "HUB_0", 1, "100.1.1.2", 500, "200.1.1.2", 500,
		  "established", "responder", { 1, 1 }, { 1, 1 }, { 1, 2 },
		  { 1, 2 } },
		{ "HUB_1", 1, "100.1.1.2", 500, "201.1.1.2", 500,
		  "established", "responder", { 1, 1 }, { 1, 1 }, { 1, 2 },
		  { 1, 2 } },
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	size_t			 i;
	char			*json;

	(void)state;
	r = load(rel, w, 2);
	for (i = 0; i < 2; i++) {
		g = &r->gws[i];
		eq_num(rel, w[i].name, "auto_discovery", g->auto_discovery, 1);
		eq_str(rel, w[i].name, "auto_discovery_role",
		    g->auto_discovery_role, "sender");
		eq_str(rel, w[i].name, "parent", g->parent, "HUB");
		eq_num(rel, w[i].name, "instance", g->instance, (pnum)i);
		assert_int_equal(g->nsas, 1);
		eq_num(rel, w[i].name, "dpd_sent", g->sas[0].dpd_sent, 0);
	}
	eq_num(rel, "HUB_0", "dpd_recv", r->gws[0].sas[0].dpd_recv, 0);
	eq_num(rel, "HUB_1", "dpd_recv", r->gws[1].sas[0].dpd_recv, 8);
	eq_num(rel, "HUB_1", "sa id", r->gws[1].sas[0].id, 1);
	eq_num(rel, "HUB_1", "rekey", r->gws[1].sas[0].rekey, 85974);
	eq_str(rel, "HUB_0", "tun_id6", r->gws[0].tun_id6, "::10.0.0.4");
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"auto_discovery\":1,\"auto_discovery_role\":\"sender\",",
	    rel);
	tu_has(json, "\"ipsec_sa\":{\"created\":[1,2],\"established\":[1,2],",
	    rel);
	tu_has(json, "\"parent\":\"HUB\",\"instance\":1,", rel);
	tu_lacks(json, "5e6660c76dfafef8", "IKEv1 key in JSON");
	free(json);
}

/* ---- further real captures ---- */

static void
test_ikev2_static_hub(void **state)
{
	static const char *rel = DIR
	    "05-ikev2-static-hub-peer-id-transport.txt";
	static const struct want w = {
		"to-SPOKE1", 2, "1.0.0.1", 500, "1.0.1.1", 500,
		"established", "initiator", { 1, 2 }, { 1, 2 }, { 1, 2 },
		{ 1, 2 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	const struct ike_gateway_sa	*sa;
	char			*json;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "interface", g->interface, "port1");
	eq_num(rel, w.name, "ifindex", g->ifindex, 3);
	eq_str(rel, w.name, "transport", g->transport, "UDP");
	eq_str(rel, w.name, "peer_id", g->peer_id, "1.0.1.1");
	eq_num(rel, w.name, "peer_id_auth", g->peer_id_auth, 0);
	eq_num(rel, w.name, "gateway ppk", g->ppk, 0);
	eq_num(rel, w.name, "ike time avg", g->ike.time_ms[1], 45);
	eq_num(rel, w.name, "ipsec time max", g->ipsec.time_ms[2], 70);
	eq_num(rel, w.name, "nat_me", g->nat_me, -1);
	eq_str(rel, w.name, "parent", g->parent, NULL);
	assert_int_equal(g->nsas, 1);
	sa = &g->sas[0];
	eq_num(rel, w.name, "sa id", sa->id, 47);
	eq_num(rel, w.name, "negotiation_ms", sa->negotiation_ms, 70);
	eq_str(rel, w.name, "proposal", sa->proposal, "aes256gcm");
	eq_num(rel, w.name, "child", sa->child, 0);
	eq_num(rel, w.name, "sa ppk", sa->ppk, 0);
	eq_num(rel, w.name, "qkd", sa->qkd, 0);
	eq_num(rel, w.name, "msgid_sent", sa->msgid_sent, 2);
	eq_num(rel, w.name, "msgid_recv", sa->msgid_recv, 3);
	eq_num(rel, w.name, "lifetime", sa->lifetime, 43200);
	eq_num(rel, w.name, "rekey", sa->rekey, 42789);
	eq_str(rel, w.name, "sa peer_id", sa->peer_id, "1.0.1.1");
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"message_id_sent\":2,\"message_id_recv\":3,", rel);
	tu_has(json, "\"transport\":\"UDP\",", rel);
	tu_lacks(json, "54d36d758b3e55bb", "SK_ei in JSON");
	tu_lacks(json, "85df83adb26f1a97", "SK_er in JSON");
	tu_lacks(json, "SK_", "SK_ label in JSON");
	free(json);
}

/* `get vpn ike gateway`: "IKE SA  created: 2/2", an IKEv2 rekey. */
static void
test_get_two_sas(void **state)
{
	static const char *rel = DIR "06-get-vpn-ike-gateway-ikev2-two-sas.txt";
	static const struct want w = {
		"vpn-to-mikrotik", 2, "10.0.0.1", 500, "10.0.0.2", 500,
		"established", "responder", { 2, 2 }, { 2, 2 }, { 2, 2 },
		{ 2, 2 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	char			*json;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_num(rel, w.name, "ike time min", g->ike.time_ms[0], 300);
	eq_num(rel, w.name, "ike time avg", g->ike.time_ms[1], 10955);
	eq_num(rel, w.name, "ipsec time avg", g->ipsec.time_ms[1], 10805);
	assert_int_equal(g->nsas, 2);
	eq_num(rel, w.name, "sa0 id", g->sas[0].id, 640);
	eq_num(rel, w.name, "sa0 est", g->sas[0].established_ago_s, 441);
	eq_num(rel, w.name, "sa1 id", g->sas[1].id, 639);
	eq_str(rel, w.name, "sa1 dir", g->sas[1].direction, "initiator");
	eq_num(rel, w.name, "sa1 created", g->sas[1].created_ago_s, 459);
	eq_num(rel, w.name, "sa1 est", g->sas[1].established_ago_s, 438);
	eq_num(rel, w.name, "sa1 ms", g->sas[1].negotiation_ms, 21610);
	eq_num(rel, w.name, "sa1 rekey", g->sas[1].rekey, 85661);
	eq_str(rel, w.name, "sa1 spi_r", g->sas[1].spi_r, "6cd98939eb60ec00");
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"ike_sa\":{\"created\":[2,2],\"established\":[2,2],"
	    "\"time_ms\":[300,10955,21610]}", rel);
	tu_lacks(json, "8f117271dc7dce87", "SK_ai in JSON");
	tu_lacks(json, "595588a3506d553d", "SK_ar in JSON");
	free(json);
}

static void
test_get_peer_auth(void **state)
{
	static const char *rel = DIR
	    "07-get-vpn-ike-gateway-ikev2-7.2.3-peer-auth.txt";
	static const struct want w = {
		"vpn-to-obsd", 2, "10.0.0.1", 500, "10.0.0.3", 500,
		"established", "initiator", { 1, 1 }, { 1, 1 }, { 1, 1 },
		{ 1, 1 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "peer_id", g->peer_id, "10.0.0.3");
	eq_num(rel, w.name, "peer_id_auth", g->peer_id_auth, 0);
	eq_num(rel, w.name, "created_ago_s", g->created_ago_s, 933);
	eq_num(rel, w.name, "sa id", g->sas[0].id, 8844);
	eq_num(rel, w.name, "negotiation_ms", g->sas[0].negotiation_ms, 40);
	eq_num(rel, w.name, "rekey", g->sas[0].rekey, 85166);
	ike_gateway_list_free(r);
}

static void
test_xauth_instance(void **state)
{
	static const char *rel = DIR
	    "08-ikev1-dialup-xauth-instance-pqc-lines.txt";
	static const struct want w = {
		"test-p1_0", 1, "192.168.171.100", 500, "192.168.171.129",
		500, "established", "responder", { 1, 1 }, { 1, 1 },
		{ 1, 1 }, { 1, 1 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	char			*json;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "xauth_user", g->xauth_user, "testuser");
	eq_num(rel, w.name, "two_fa", g->two_fa, 0);
	eq_str(rel, w.name, "peer_id", g->peer_id, "192.168.171.129");
	eq_str(rel, w.name, "forticlient_uid", g->forticlient_uid,
	    "7BC1ABFE3E5B412AAE48621E989525B9");
	eq_str(rel, w.name, "assigned_ipv4", g->assigned_ipv4,
	    "10.10.10.10/255.255.255.255");
	eq_num(rel, w.name, "pending_queue", g->pending_queue, 0);
	eq_str(rel, w.name, "transport", g->transport, "UDP");
	/* A lone instance: the xauth user marks it as dial-up. */
	eq_str(rel, w.name, "parent", g->parent, "test-p1");
	eq_num(rel, w.name, "instance", g->instance, 0);
	eq_num(rel, w.name, "dpd_recv", g->sas[0].dpd_recv, 0x89);
	eq_num(rel, w.name, "qkd", g->sas[0].qkd, 0);
	eq_str(rel, w.name, "proposal", g->sas[0].proposal, "des-sha256");
	eq_str(rel, w.name, "sa peer_id", g->sas[0].peer_id,
	    "192.168.171.129");
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"xauth_user\":\"testuser\",", rel);
	tu_has(json, "\"dpd_recv\":137,", rel);
	tu_lacks(json, "c98c75c03cc40ece", "IKEv1 key in JSON");
	free(json);
}

/* Pasted without indentation: two connecting SAs, redacted addresses. */
static void
test_two_connecting_unindented(void **state)
{
	static const char *rel = DIR
	    "09-ikev1-two-sas-connecting-unindented-redacted.txt";
	static const struct want w = {
		"xxxx", 1, "x.x.x.x", 500, "x.x.x.x", 500, "connecting",
		"responder", { 2, 2 }, { U, U }, { 0, 0 }, { U, U }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "interface", g->interface, "ppp1");
	eq_num(rel, w.name, "ifindex", g->ifindex, 75);
	assert_int_equal(g->nsas, 2);
	eq_num(rel, w.name, "sa0 id", g->sas[0].id, 207251);
	eq_num(rel, w.name, "sa1 id", g->sas[1].id, 207250);
	eq_str(rel, w.name, "sa1 status", g->sas[1].status, "connecting");
	eq_num(rel, w.name, "sa1 state", g->sas[1].state, 3);
	eq_num(rel, w.name, "sa1 started", g->sas[1].started_ago_s, 7);
	eq_str(rel, w.name, "sa1 spi_r", g->sas[1].spi_r, "0000000000000000");
	ike_gateway_list_free(r);
}

/* Placeholders with spaces where the addresses were; PPK before IKE SA. */
static void
test_placeholder_addrs(void **state)
{
	static const char *rel = DIR
	    "10-ikev2-connecting-7.2.0-placeholder-addrs.txt";
	static const struct want w = {
		"VPN_to_AWS_VGW", 2, "<Elastic IP address of Fortigate>", 500,
		"<Virtual Private Gateway Public IP address>", 500,
		"connecting", "responder", { 1, 1 }, { U, U }, { 1, 1 },
		{ U, U }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_num(rel, w.name, "ppk", g->ppk, 0);
	eq_str(rel, w.name, "vif_remote", g->vif_remote, "0.0.0.0");
	eq_num(rel, w.name, "sa id", g->sas[0].id, 1727);
	eq_num(rel, w.name, "started", g->sas[0].started_ago_s, 22);
	eq_str(rel, w.name, "parent", g->parent, NULL);
	ike_gateway_list_free(r);
}

static void
test_transparent_vdom_nat_me(void **state)
{
	static const char *rel = DIR "11-ikev1-transparent-vdom-nat-me.txt";
	static const struct want w = {
		"VPN-to-SH", 1, "192.168.0.5", 4500, "200.1.1.2", 4500,
		"established", "initiator", { 1, 1 }, { 1, 1 }, { 1, 1 },
		{ 1, 1 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	char			*json;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_str(rel, w.name, "vd", g->vd, "tp1");
	eq_num(rel, w.name, "vd_index", g->vd_index, 3);
	/* `interface:  0`: no name printed, ifindex 0. */
	eq_str(rel, w.name, "interface", g->interface, NULL);
	eq_num(rel, w.name, "ifindex", g->ifindex, 0);
	eq_num(rel, w.name, "nat_me", g->nat_me, 1);
	eq_num(rel, w.name, "nat_peer", g->nat_peer, 0);
	eq_num(rel, w.name, "created", g->sas[0].created_ago_s, 522);
	eq_num(rel, w.name, "established", g->sas[0].established_ago_s, 513);
	eq_num(rel, w.name, "dpd_sent", g->sas[0].dpd_sent, 9);
	eq_num(rel, w.name, "dpd_recv", g->sas[0].dpd_recv, 0x2c);
	ike_gateway_list_free(r);

	json = tu_report_fixture(&kind_ike_gateway_list, rel);
	tu_has(json, "\"nat\":{\"me\":true,\"peer\":false},", rel);
	tu_has(json, "\"vd\":\"tp1\",\"vd_index\":3,", rel);
	tu_has(json, "\"interface\":null,\"ifindex\":0,", rel);
	free(json);
}

static void
test_nat_peer(void **state)
{
	static const char *rel = DIR "12-ikev1-nat-peer-responder.txt";
	static const struct want w = {
		"VPN-to-BJ", 1, "200.1.1.2", 4500, "100.1.1.2", 64916,
		"established", "responder", { 1, 2 }, { 1, 1 }, { 1, 1 },
		{ 1, 1 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;

	(void)state;
	r = load(rel, &w, 1);
	g = &r->gws[0];
	eq_num(rel, w.name, "nat_me", g->nat_me, 0);
	eq_num(rel, w.name, "nat_peer", g->nat_peer, 1);
	eq_num(rel, w.name, "dpd_sent", g->sas[0].dpd_sent, 0x2f);
	eq_num(rel, w.name, "dpd_recv", g->sas[0].dpd_recv, 9);
	ike_gateway_list_free(r);
}

static void
test_hub_and_spoke(void **state)
{
	static const char *rel = DIR
	    "13-hub-and-spoke-hub-2-dialup-instances.txt";
	static const struct want w[] = {
		{ "HUB_0", 1, "100.1.1.2", 500, "200.1.1.2", 500,
		  "established", "responder", { 1, 1 }, { 1, 1 }, { 1, 1 },
		  { 1, 1 } },
		{ "HUB_1", 1, "100.1.1.2", 500, "201.1.1.2", 500,
		  "established", "responder", { 1, 1 }, { 1, 1 }, { 1, 1 },
		  { 1, 1 } },
	};
	struct ike_gateway_list	*r;

	(void)state;
	r = load(rel, w, 2);
	eq_num(rel, "HUB_0", "dpd_sent", r->gws[0].sas[0].dpd_sent, 0x17);
	eq_num(rel, "HUB_1", "dpd_sent", r->gws[1].sas[0].dpd_sent, 10);
	eq_num(rel, "HUB_1", "dpd_recv", r->gws[1].sas[0].dpd_recv, 5);
	eq_str(rel, "HUB_0", "parent", r->gws[0].parent, "HUB");
	eq_str(rel, "HUB_1", "parent", r->gws[1].parent, "HUB");
	eq_num(rel, "HUB_1", "auto_discovery", r->gws[1].auto_discovery, U);
	ike_gateway_list_free(r);
}

/* ---- synthetic layouts ---- */

/*
 * The 5.6 layout (as quoted from a FortiGate 3000D on 5.6.5 in a public
 * monitoring script), CRLF line ends, `auto-discovery: 0`.
 */
static void
test_56_crlf(void **state)
{
	static const char in[] =
	    "FW-3000D # diag vpn ike gateway list\r\n"
	    "\r\n"
	    "vd: root/0\r\n"
	    "name: Priv_psuba\r\n"
	    "version: 1\r\n"
	    "interface: Internet 54\r\n"
	    "addr: 193.86.26.196:500 -> 89.248.245.130:500\r\n"
	    "virtual-interface-addr: 10.108.255.2 -> 0.0.0.0\r\n"
	    "created: 1311050s ago\r\n"
	    "auto-discovery: 0\r\n"
	    "IKE SA: created 1/13  established 1/13  time 20/20/30 ms\r\n"
	    "IPsec SA: created 1/24  established 1/24  time 0/15/20 ms\r\n"
	    "\r\n"
	    "  id/spi: 444 8f649bf9844bde6c/2ed52dc642573ee8\r\n"
	    "  direction: initiator\r\n"
	    "  status: established 19550-19550s ago = 20ms\r\n"
	    "  proposal: aes128-sha256\r\n"
	    "  key: 342ffdf343212370-0f0e0d0c0b0a0908\r\n"
	    "  lifetime/rekey: 86400/66549\r\n"
	    "  DPD sent/recv: 00000221/000025fe\r\n"
	    "\r\n"
	    "FW-3000D # ";
	static const struct want w = {
		"Priv_psuba", 1, "193.86.26.196", 500, "89.248.245.130", 500,
		"established", "initiator", { 1, 13 }, { 1, 13 }, { 1, 24 },
		{ 1, 24 }
	};
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	char			*json;

	(void)state;
	r = parse_str(in, 1);
	g = &r->gws[0];
	check_gw("5.6 crlf", g, &w);
	/* "Internet 54": the name is "Internet", not "Internet 54". */
	eq_str("5.6 crlf", w.name, "interface", g->interface, "Internet");
	eq_num("5.6 crlf", w.name, "ifindex", g->ifindex, 54);
	eq_num("5.6 crlf", w.name, "auto_discovery", g->auto_discovery, 0);
	eq_str("5.6 crlf", w.name, "role", g->auto_discovery_role, NULL);
	eq_num("5.6 crlf", w.name, "created", g->created_ago_s, 1311050);
	eq_num("5.6 crlf", w.name, "dpd_sent", g->sas[0].dpd_sent, 0x221);
	eq_num("5.6 crlf", w.name, "dpd_recv", g->sas[0].dpd_recv, 0x25fe);
	eq_num("5.6 crlf", w.name, "ipsec avg", g->ipsec.time_ms[1], 15);
	eq_str("5.6 crlf", w.name, "proposal", g->sas[0].proposal,
	    "aes128-sha256");
	ike_gateway_list_free(r);

	json = tu_report(&kind_ike_gateway_list, in, sizeof(in) - 1);
	tu_lacks(json, "342ffdf3", "IKEv1 key in JSON");
	tu_lacks(json, "\\r", "CR in JSON");
	tu_has(json, "\"dpd_sent\":545,\"dpd_recv\":9726,", "5.6 crlf");
	free(json);
}

/*
 * An IKEv2 FortiClient dial-up instance over TCP with EAP and NAT on
 * both sides, the lines of the 7.4 "custom TCP port" example.
 */
static void
test_eap_tcp_nat_both(void **state)
{
	static const char in[] =
	    "vd: root/0\n"
	    "name: v2_psk-120_0\n"
	    "version: 2\n"
	    "interface: port1 3\n"
	    "addr: 10.152.35.150:5500 -> 10.152.35.193:54854\n"
	    "tun_id: 9.5.6.7/::10.0.0.23\n"
	    "remote_location: 0.0.0.0\n"
	    "network-id: 0\n"
	    "transport: TCP\n"
	    "virtual-interface-addr: 169.254.1.1 -> 169.254.1.1\n"
	    "created: 592s ago\n"
	    "eap-user: ipsec\n"
	    "2FA: no\n"
	    "peer-id: 120\n"
	    "peer-id-auth: no\n"
	    "assigned IPv4 address: 9.5.6.7/255.255.255.255\n"
	    "nat: me peer\n"
	    "pending-queue: 0\n"
	    "PPK: no\n"
	    "IKE SA: created 1/1  established 1/1  time 80/80/80 ms\n"
	    "IPsec SA: created 1/1  established 1/1  time 0/0/0 ms\n"
	    "  id/spi: 23 93b6803bff7cff00/f89d6f9965fbf3a7\n"
	    "  direction: responder\n"
	    "  status: established 592-592s ago = 80ms\n"
	    "  proposal: aes256-sha256\n"
	    "  child: no\n"
	    "  SK_ei: 0102030405060708-1112131415161718\n"
	    "  SK_ar: 2122232425262728-3132333435363738\n"
	    "  PPK: no\n"
	    "  message-id sent/recv: 0/124\n"
	    "  lifetime/rekey: 86400/85537\n"
	    "  DPD sent/recv: 00000000/00000000\n"
	    "  peer-id: 120\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	char			*json;

	(void)state;
	r = parse_str(in, 1);
	g = &r->gws[0];
	eq_str("eap", g->name, "transport", g->transport, "TCP");
	eq_num("eap", g->name, "local_port", g->local_port, 5500);
	eq_num("eap", g->name, "remote_port", g->remote_port, 54854);
	eq_str("eap", g->name, "eap_user", g->eap_user, "ipsec");
	eq_num("eap", g->name, "nat_me", g->nat_me, 1);
	eq_num("eap", g->name, "nat_peer", g->nat_peer, 1);
	eq_str("eap", g->name, "peer_id", g->peer_id, "120");
	eq_str("eap", g->name, "parent", g->parent, "v2_psk-120");
	eq_num("eap", g->name, "msgid_recv", g->sas[0].msgid_recv, 124);
	ike_gateway_list_free(r);

	json = tu_report(&kind_ike_gateway_list, in, sizeof(in) - 1);
	tu_has(json, "\"nat\":{\"me\":true,\"peer\":true},", "eap");
	tu_has(json, "\"eap_user\":\"ipsec\",", "eap");
	tu_lacks(json, "0102030405060708", "SK_ei in JSON");
	tu_lacks(json, "2122232425262728", "SK_ar in JSON");
	free(json);
}

/* IPv6 peers, names and interfaces with spaces, `->` without a space. */
static void
test_ipv6_spaces(void **state)
{
	static const char in[] =
	    "FGT-1.example (vdom-2) # get vpn ike gateway to HQ (main)\n"
	    "vd: vdom-2/5\n"
	    "name: to HQ (main)\n"
	    "version: 2\n"
	    "interface: wan link 1 12\n"
	    "addr: 2001:db8::1:500 ->2001:db8:0:1::2:4500\n"
	    "created: 5s ago\n"
	    "IKE SA: created 1/1  established 0/0  time 0/0/0 ms\n"
	    "  id/spi: 7 0011223344556677/8899aabbccddeeff\n"
	    "  direction: initiator\n"
	    "  status: connecting, state 2, started 5s ago\n"
	    "vd: vdom-2/5\n"
	    "name: [bracketed]\n"
	    "interface: portA\n"
	    "addr: [2001:db8::9]:500 -> [2001:db8::a]:500\n"
	    "virtual-interface-addr: fe80::1 -> fe80::2\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;

	(void)state;
	r = parse_str(in, 2);
	g = &r->gws[0];
	eq_str("ipv6", g->name, "name", g->name, "to HQ (main)");
	eq_str("ipv6", g->name, "vd", g->vd, "vdom-2");
	eq_num("ipv6", g->name, "vd_index", g->vd_index, 5);
	eq_str("ipv6", g->name, "interface", g->interface, "wan link 1");
	eq_num("ipv6", g->name, "ifindex", g->ifindex, 12);
	eq_str("ipv6", g->name, "local_addr", g->local_addr, "2001:db8::1");
	eq_num("ipv6", g->name, "local_port", g->local_port, 500);
	eq_str("ipv6", g->name, "remote_addr", g->remote_addr,
	    "2001:db8:0:1::2");
	eq_num("ipv6", g->name, "remote_port", g->remote_port, 4500);
	eq_num("ipv6", g->name, "ike est", g->ike.established[0], 0);
	eq_num("ipv6", g->name, "ipsec created", g->ipsec.created[0], U);
	eq_num("ipv6", g->name, "state", g->sas[0].state, 2);
	g = &r->gws[1];
	eq_str("ipv6", g->name, "interface", g->interface, "portA");
	eq_num("ipv6", g->name, "ifindex", g->ifindex, U);
	eq_str("ipv6", g->name, "local_addr", g->local_addr, "2001:db8::9");
	eq_str("ipv6", g->name, "remote_addr", g->remote_addr, "2001:db8::a");
	/* No port on this line: an IPv6 address keeps its last group. */
	eq_str("ipv6", g->name, "vif_local", g->vif_local, "fe80::1");
	eq_str("ipv6", g->name, "vif_remote", g->vif_remote, "fe80::2");
	eq_num("ipv6", g->name, "version", g->version, U);
	assert_int_equal(g->nsas, 0);
	ike_gateway_list_free(r);
}

/*
 * The dial-up parent listed with its instances: children are linked.
 * Static tunnels named like instances without any dial-up sign are not,
 * even when there are two of them (branch_1, branch_2).  An instance's
 * name may itself end in _N (br_2 is the parent of br_2_0).
 */
static void
test_dialup_parent_children(void **state)
{
	static const char in[] =
	    "vd: root/0\nname: DIAL\nversion: 1\n"
	    "vd: root/0\nname: DIAL_0\nversion: 1\n"
	    "vd: root/0\nname: DIAL_1\nversion: 1\n"
	    "vd: root/0\nname: site_1\nversion: 1\n"
	    "tun_id: 192.0.2.7/::192.0.2.7\n"
	    "vd: root/0\nname: _3\n"
	    "vd: root/0\nname: x_\n"
	    "vd: root/0\nname: branch_1\n"
	    "tun_id: 192.0.2.8/::192.0.2.8\n"
	    "vd: root/0\nname: branch_2\n"
	    "tun_id: 192.0.2.9/::192.0.2.9\n"
	    "vd: root/0\nname: br_2_0\n"
	    "vd: root/0\nname: br_2\n"
	    "vd: root/0\nname: lone_4\n"
	    "tun_id: 192.0.2.10/::10.0.0.44\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *p;
	char			*json;

	(void)state;
	r = parse_str(in, 11);
	p = &r->gws[0];
	eq_str("dialup", "DIAL", "parent", p->parent, NULL);
	assert_int_equal(p->nchildren, 2);
	assert_string_equal(p->children[0], "DIAL_0");
	assert_string_equal(p->children[1], "DIAL_1");
	eq_str("dialup", "DIAL_1", "parent", r->gws[2].parent, "DIAL");
	eq_num("dialup", "DIAL_1", "instance", r->gws[2].instance, 1);
	eq_str("dialup", "site_1", "parent", r->gws[3].parent, NULL);
	eq_num("dialup", "site_1", "instance", r->gws[3].instance, U);
	eq_str("dialup", "_3", "parent", r->gws[4].parent, NULL);
	eq_str("dialup", "x_", "parent", r->gws[5].parent, NULL);
	eq_str("dialup", "branch_1", "parent", r->gws[6].parent, NULL);
	eq_num("dialup", "branch_1", "instance", r->gws[6].instance, U);
	eq_str("dialup", "branch_2", "parent", r->gws[7].parent, NULL);
	eq_str("dialup", "br_2_0", "parent", r->gws[8].parent, "br_2");
	eq_num("dialup", "br_2_0", "instance", r->gws[8].instance, 0);
	eq_str("dialup", "br_2", "parent", r->gws[9].parent, NULL);
	assert_int_equal(r->gws[9].nchildren, 1);
	assert_string_equal(r->gws[9].children[0], "br_2_0");
	/* Alone, but its tun_id6 is an instance id, not ::<peer>. */
	eq_str("dialup", "lone_4", "parent", r->gws[10].parent, "lone");
	eq_num("dialup", "lone_4", "instance", r->gws[10].instance, 4);
	assert_int_equal(r->gws[10].nchildren, 0);
	ike_gateway_list_free(r);

	json = tu_report(&kind_ike_gateway_list, in, sizeof(in) - 1);
	tu_has(json, "\"children\":[\"DIAL_0\",\"DIAL_1\"]", "dialup");
	/* No IKE SA: the first-SA fields are unknown, not zero. */
	tu_has(json, "\"status\":null,\"direction\":null,"
	    "\"established_ago_s\":null,", "dialup");
	tu_has(json, "\"dpd_sent\":null,\"dpd_recv\":null,", "dialup");
	free(json);
}

/* Missing lines stay unknown; `name:` before `vd:` is one gateway. */
static void
test_missing_fields(void **state)
{
	static const char in[] =
	    "name: bare\n"
	    "vd: root/0\n"
	    "newfield: 42\n"
	    "created: soon\n"
	    "IKE SA: created 1\n"
	    "IPsec SA: created 1/x established 2/3\n"
	    "id/spi: 12\n"
	    "status: established\n"
	    "DPD sent/recv: 0000000g/1\n"
	    "lifetime/rekey: 86400\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	const struct ike_gateway_sa	*sa;
	char			*json;

	(void)state;
	r = parse_str(in, 1);
	g = &r->gws[0];
	eq_str("missing", "bare", "vd", g->vd, "root");
	eq_num("missing", "bare", "version", g->version, U);
	eq_num("missing", "bare", "created", g->created_ago_s, U);
	eq_num("missing", "bare", "ike created", g->ike.created[0], U);
	eq_num("missing", "bare", "ipsec created", g->ipsec.created[0], U);
	eq_num("missing", "bare", "ipsec est", g->ipsec.established[1], 3);
	eq_num("missing", "bare", "ppk", g->ppk, -1);
	sa = &g->sas[0];
	eq_num("missing", "bare", "sa id", sa->id, 12);
	eq_str("missing", "bare", "spi_i", sa->spi_i, NULL);
	eq_str("missing", "bare", "status", sa->status, "established");
	eq_num("missing", "bare", "est ago", sa->established_ago_s, U);
	eq_num("missing", "bare", "dpd_sent", sa->dpd_sent, U);
	eq_num("missing", "bare", "lifetime", sa->lifetime, U);
	ike_gateway_list_free(r);

	json = tu_report(&kind_ike_gateway_list, in, sizeof(in) - 1);
	tu_has(json, "\"local_addr\":null,", "missing");
	tu_has(json, "\"version\":null,", "missing");
	tu_has(json, "\"ike_sa\":{\"created\":null,\"established\":null,"
	    "\"time_ms\":null}", "missing");
	tu_has(json, "\"nat\":null,", "missing");
	tu_has(json, "\"dpd_sent\":null,", "missing");
	free(json);
}

/* The same capture with CRLF, pager remnants and a trailing prompt. */
static void
test_crlf_pager(void **state)
{
	static const char *rel = DIR "02-spoke-initiator-ikev1.txt";
	const char	*p = "\n--More--\r        \r";
	char		*buf, *crlf;
	size_t		 len, i, n = 0;
	int		 paged = 0;
	struct ike_gateway_list *a, *b;

	(void)state;
	buf = tu_fixture(rel, &len);
	crlf = malloc(2 * len + 64);
	assert_non_null(crlf);
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			crlf[n++] = '\r';
			if (i >= len / 2 && !paged) {
				paged = 1;
				memcpy(crlf + n, p, strlen(p));
				n += strlen(p);
				continue;
			}
		}
		crlf[n++] = buf[i];
	}
	memcpy(crlf + n, "FGT-60F # ", 10);
	n += 10;
	a = ike_gateway_list_parse(buf, len);
	b = ike_gateway_list_parse(crlf, n);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(b->n, 1);
	assert_int_equal(b->gws[0].nsas, 1);
	eq_str("crlf", "SPOKE1", "name", b->gws[0].name, a->gws[0].name);
	eq_str("crlf", "SPOKE1", "remote_addr", b->gws[0].remote_addr,
	    "100.1.1.2");
	eq_num("crlf", "SPOKE1", "ifindex", b->gws[0].ifindex, 10);
	eq_num("crlf", "SPOKE1", "rekey", b->gws[0].sas[0].rekey, 85960);
	eq_num("crlf", "SPOKE1", "dpd_recv", b->gws[0].sas[0].dpd_recv, 10);
	eq_num("crlf", "SPOKE1", "ipsec est", b->gws[0].ipsec.established[1],
	    1);
	ike_gateway_list_free(a);
	ike_gateway_list_free(b);
	free(crlf);
	free(buf);
}

/* NULs, escape sequences, huge numbers, a very long line: no crash. */
static void
test_hostile(void **state)
{
	static const char in[] =
	    "id/spi: 1 aa/bb\n"			/* before any gateway */
	    "vd:\n"
	    "name: \x1b[2Jevil\x07\n"
	    "version: 99999999999999999999999\n"
	    "interface: \x00\x01 7\n"
	    "addr: :\n"
	    "addr: -> \n"
	    "tun_id: /\n"
	    "nat: \n"
	    "auto-discovery: 1\n"
	    "IKE SA: created 9223372036854775807/1\n"
	    "id/spi:\n"
	    "status: \n"
	    "status: -\n"
	    "DPD sent/recv: ffffffffffffffffff/0\n"
	    "message-id sent/recv: /\n"
	    "id/spi: 5 /\n"
	    "status: established 1-\n"
	    "status: established 3 = \n"
	    "vd: x\n"
	    "name:\n"
	    "name: y\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	char			*big, *json;
	size_t			 i, n = 200000;

	(void)state;
	r = ike_gateway_list_parse(in, sizeof(in) - 1);
	assert_non_null(r);
	assert_int_equal(r->n, 2);
	eq_str("hostile", "y", "name", r->gws[1].name, "y");
	eq_str("hostile", "y", "vd", r->gws[1].vd, "x");
	g = &r->gws[0];
	/* "vd:" with nothing after it: unknown, not "". */
	eq_str("hostile", "evil", "vd", g->vd, NULL);
	eq_num("hostile", "evil", "version", g->version, U);
	eq_num("hostile", "evil", "ike created", g->ike.created[0],
	    INT64_MAX);
	eq_num("hostile", "evil", "ifindex", g->ifindex, 7);
	eq_num("hostile", "evil", "nat_me", g->nat_me, 0);
	assert_int_equal(g->nsas, 2);
	eq_num("hostile", "evil", "dpd_sent", g->sas[0].dpd_sent, U);
	eq_num("hostile", "evil", "sa1 est", g->sas[1].established_ago_s, 3);
	eq_str("hostile", "evil", "sa1 spi_i", g->sas[1].spi_i, NULL);
	eq_str("hostile", "evil", "sa1 spi_r", g->sas[1].spi_r, NULL);
	ike_gateway_list_free(r);

	json = tu_report(&kind_ike_gateway_list, in, sizeof(in) - 1);
	tu_lacks(json, "\x1b", "ESC in JSON");
	tu_lacks(json, "\x07", "BEL in JSON");
	free(json);

	/* One very long name line, then a very long proposal line. */
	big = malloc(2 * n + 64);
	assert_non_null(big);
	memcpy(big, "name: ", 6);
	for (i = 6; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\n';
	memcpy(big + n + 1, "id/spi: 1 a/b\nproposal: ", 24);
	for (i = n + 25; i < 2 * n; i++)
		big[i] = 'x';
	r = ike_gateway_list_parse(big, 2 * n);
	assert_non_null(r);
	assert_int_equal(r->n, 1);
	assert_int_equal(strlen(r->gws[0].name), n - 6);
	assert_int_equal(strlen(r->gws[0].sas[0].proposal), n - 25);
	ike_gateway_list_free(r);
	free(big);

	/* Nothing recognisable: zero gateways, not a failure. */
	r = ike_gateway_list_parse("FGT # \n--More--\n", 16);
	assert_non_null(r);
	assert_int_equal(r->n, 0);
	ike_gateway_list_free(r);
	r = ike_gateway_list_parse(NULL, 0);
	assert_non_null(r);
	assert_int_equal(r->n, 0);
	ike_gateway_list_free(r);
}

/* Many instances of one parent: the linking stays near-linear. */
static void
test_many_instances(void **state)
{
	struct ike_gateway_list	*r;
	char			*buf;
	size_t			 i, n = 0, cnt = 20000;

	(void)state;
	buf = malloc(cnt * 48 + 64);
	assert_non_null(buf);
	n += (size_t)sprintf(buf + n, "vd: root/0\nname: DU\n");
	for (i = 0; i < cnt; i++)
		n += (size_t)sprintf(buf + n, "vd: root/0\nname: DU_%zu\n", i);
	r = ike_gateway_list_parse(buf, n);
	assert_non_null(r);
	assert_int_equal(r->n, cnt + 1);
	assert_int_equal(r->gws[0].nchildren, cnt);
	eq_str("many", "DU_19999", "parent", r->gws[cnt].parent, "DU");
	eq_num("many", "DU_19999", "instance", r->gws[cnt].instance, 19999);
	ike_gateway_list_free(r);
	free(buf);
}

/*
 * A NUL in a name is made visible ("HUB\x00"), so HUB_0 is not its
 * instance; the streamed document links names as the whole list does
 * (libFuzzer found the two apart when the stream indexed the raw input).
 */
static void
test_nul_name(void **state)
{
	static const char	 nul[] = "name:HUB\0\nname:HUB_0\n";
	static const char	 plain[] = "name:HUB\nname:HUB_0\n";
	struct ike_gateway_list	*r;
	char			*json;

	(void)state;
	r = ike_gateway_list_parse(nul, sizeof nul - 1);
	assert_non_null(r);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->gws[0].name, "HUB\\x00");
	assert_int_equal(r->gws[0].nchildren, 0);
	assert_null(r->gws[1].parent);
	ike_gateway_list_free(r);
	free(tu_report(&kind_ike_gateway_list, nul, sizeof nul - 1));

	r = ike_gateway_list_parse(plain, sizeof plain - 1);
	assert_non_null(r);
	assert_int_equal(r->gws[0].nchildren, 1);
	eq_str("plain", "HUB_0", "parent", r->gws[1].parent, "HUB");
	ike_gateway_list_free(r);
	json = tu_report(&kind_ike_gateway_list, plain, sizeof plain - 1);
	tu_has(json, "\"parent\":\"HUB\"", "plain");
	free(json);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkthrough_connecting),
		cmocka_unit_test(test_spoke_initiator),
		cmocka_unit_test(test_advpn_hub_children),
		cmocka_unit_test(test_ikev2_static_hub),
		cmocka_unit_test(test_get_two_sas),
		cmocka_unit_test(test_get_peer_auth),
		cmocka_unit_test(test_xauth_instance),
		cmocka_unit_test(test_two_connecting_unindented),
		cmocka_unit_test(test_placeholder_addrs),
		cmocka_unit_test(test_transparent_vdom_nat_me),
		cmocka_unit_test(test_nat_peer),
		cmocka_unit_test(test_hub_and_spoke),
		cmocka_unit_test(test_56_crlf),
		cmocka_unit_test(test_eap_tcp_nat_both),
		cmocka_unit_test(test_ipv6_spaces),
		cmocka_unit_test(test_dialup_parent_children),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_nul_name),
		cmocka_unit_test(test_crlf_pager),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_many_instances),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
