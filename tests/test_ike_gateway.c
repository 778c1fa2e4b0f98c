/* SPDX-License-Identifier: ISC */
/*
 * test_ike_gateway - `diagnose vpn ike gateway list` and `get vpn ike
 * gateway` on every real capture manifest.json lists (its gateways
 * against the parsed structs here; test_manifest compares every value it
 * lists with the report, so a new capture is a file and an entry) and
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
#define MF_DIR	"ike-gateway-list/"	/* its manifest entries */
#define DIR	"real/" MF_DIR

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

/* ---- the real captures: manifest.json says what they hold ---- */

/* A number of a manifest gateway: null unknown, booleans 0/1. */
static pnum
mf_num(json_t *o, const char *rel, const char *gw, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		fail_msg("%s: %s: the manifest has no %s", rel, gw, key);
	if (json_is_null(v))
		return (U);
	if (json_is_boolean(v))
		return (json_is_true(v));
	if (!json_is_integer(v))
		fail_msg("%s: %s: %s is not an integer", rel, gw, key);
	return ((pnum)json_integer_value(v));
}

static const char *
mf_str(json_t *o, const char *rel, const char *gw, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL || !(json_is_null(v) || json_is_string(v)))
		fail_msg("%s: %s: the manifest has no string %s", rel, gw, key);
	return (json_string_value(v));
}

/* An "[a, b]" pair of the manifest's ike_sa or ipsec_sa, or null. */
static void
mf_pair(json_t *o, const char *rel, const char *gw, const char *sa,
    const char *key, pnum out[2])
{
	json_t	*v = json_object_get(json_object_get(o, sa), key);

	out[0] = out[1] = U;
	if (v == NULL)
		fail_msg("%s: %s: the manifest has no %s.%s", rel, gw, sa, key);
	if (json_is_null(v))
		return;
	if (json_array_size(v) != 2)
		fail_msg("%s: %s: %s.%s is not a pair", rel, gw, sa, key);
	out[0] = (pnum)json_integer_value(json_array_get(v, 0));
	out[1] = (pnum)json_integer_value(json_array_get(v, 1));
}

/*
 * The parser's structs against the manifest's gateways (test_manifest
 * compares every value it lists with the report): how many, and each
 * one's name, version, addresses, status, direction and SA counts.
 */
static void
real_gateways(const char *rel, json_t *gws)
{
	struct ike_gateway_list	*r;
	struct want		 w;
	json_t			*o;
	char			*buf;
	size_t			 len, i;

	buf = tu_fixture(rel, &len);
	r = ike_gateway_list_parse(buf, len);
	free(buf);
	if (r == NULL)
		fail_msg("%s: parse returned NULL", rel);
	tu_num(rel, "gateways", (int64_t)r->n, (int64_t)json_array_size(gws));
	json_array_foreach(gws, i, o) {
		memset(&w, 0, sizeof w);
		w.name = mf_str(o, rel, "?", "name");
		w.version = mf_num(o, rel, w.name, "version");
		w.laddr = mf_str(o, rel, w.name, "local_addr");
		w.lport = mf_num(o, rel, w.name, "local_port");
		w.raddr = mf_str(o, rel, w.name, "remote_addr");
		w.rport = mf_num(o, rel, w.name, "remote_port");
		w.status = mf_str(o, rel, w.name, "status");
		w.direction = mf_str(o, rel, w.name, "direction");
		mf_pair(o, rel, w.name, "ike_sa", "created", w.ike_c);
		mf_pair(o, rel, w.name, "ike_sa", "established", w.ike_e);
		mf_pair(o, rel, w.name, "ipsec_sa", "created", w.ipsec_c);
		mf_pair(o, rel, w.name, "ipsec_sa", "established", w.ipsec_e);
		check_gw(rel, &r->gws[i], &w);
	}
	ike_gateway_list_free(r);
}

/*
 * Key material never reaches the JSON: each hex group (8 digits or more)
 * of the text's `key:` and `SK_xx:` lines, and the SK_ labels, are
 * absent from its report (json, or NULL to make it).  Returns the groups
 * checked.
 */
static size_t
no_key_material(const char *what, const char *buf, size_t len,
    const char *json)
{
	const char	*p, *v, *eol;
	char		*own = NULL, tok[64];
	size_t		 n = 0, k;

	if (json == NULL)
		json = own = tu_report(&kind_ike_gateway_list, buf, len);
	tu_lacks(json, "SK_", what);
	for (p = buf; *p != '\0'; p = *eol == '\n' ? eol + 1 : eol) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		p += strspn(p, " \t");
		if ((strncmp(p, "key:", 4) != 0 && strncmp(p, "SK_", 3) != 0) ||
		    (v = memchr(p, ':', (size_t)(eol - p))) == NULL)
			continue;
		for (v++; v < eol; v += k > 0 ? k : 1) {
			k = strspn(v, "0123456789abcdefABCDEF");
			if (k >= 8 && k < sizeof tok) {
				memcpy(tok, v, k);
				tok[k] = '\0';
				tu_lacks(json, tok, what);
				n++;
			}
		}
	}
	free(own);
	return (n);
}

/* Every ike-gateway-list capture the manifest lists. */
static void
test_real_captures(void **state)
{
	json_t		*mf, *e;
	const char	*file;
	char		*text, rel[512];
	size_t		 len, i, nfiles = 0, nsecrets = 0;

	(void)state;
	text = tu_fixture("real/manifest.json", &len);
	mf = tu_json(text, "manifest.json");
	free(text);
	json_array_foreach(mf, i, e) {
		file = json_string_value(json_object_get(e, "file"));
		if (file == NULL || strncmp(file, MF_DIR, strlen(MF_DIR)) != 0)
			continue;
		snprintf(rel, sizeof rel, "real/%s", file);
		real_gateways(rel, json_object_get(json_object_get(e,
		    "expect"), "gateways"));
		text = tu_fixture(rel, &len);
		nsecrets += no_key_material(rel, text, len, NULL);
		free(text);
		nfiles++;
	}
	json_decref(mf);
	/* The twelve captures of today and their 83 key groups, at least. */
	tu_assert_cmp(nfiles, >=, 12);
	tu_assert_cmp(nsecrets, >=, 83);
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
	assert_int_equal(no_key_material("5.6 crlf", in, sizeof in - 1, json),
	    2);
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
	assert_int_equal(no_key_material("eap", in, sizeof in - 1, json), 4);
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

/*
 * The counters are read where FortiOS prints them, else searched: out
 * of order, after a comma, a label glued to text, the first of two.
 */
static void
test_counts_search(void **state)
{
	static const char in[] =
	    "name: odd\n"
	    "IKE SA: established 3/4  created 1/2  time 5/6/7 ms\n"
	    "IPsec SA: created 1/1, established 2/2,\ttime 0/1/2 ms\n"
	    "name: glued\n"
	    "IKE SA:created 1/1 established 2/2 time 3/4/5\n"
	    "IPsec SA: created x/1 time 9/9/9 created 7/7 established 8\n"
	    "name: get\n"
	    "IKE SA  created: 2/2  established: 2/2  time: 3/10/21 ms\n"
	    "IPsec SA  created: 4/5 established:6/7 timex 1/1/1 time 8/9/10\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;

	(void)state;
	r = parse_str(in, 3);
	g = &r->gws[0];
	eq_num("counts", "odd", "ike created[1]", g->ike.created[1], 2);
	eq_num("counts", "odd", "ike est[0]", g->ike.established[0], 3);
	eq_num("counts", "odd", "ike time[2]", g->ike.time_ms[2], 7);
	eq_num("counts", "odd", "ipsec created[0]", g->ipsec.created[0], 1);
	eq_num("counts", "odd", "ipsec est[1]", g->ipsec.established[1], 2);
	eq_num("counts", "odd", "ipsec time[1]", g->ipsec.time_ms[1], 1);
	g = &r->gws[1];
	/* "SA:created" is one word: no label starts it. */
	eq_num("counts", "glued", "ike created[0]", g->ike.created[0], U);
	eq_num("counts", "glued", "ike est[1]", g->ike.established[1], 2);
	eq_num("counts", "glued", "ike time[0]", g->ike.time_ms[0], 3);
	/* The first "created" is the one, numbers or not. */
	eq_num("counts", "glued", "ipsec created[1]", g->ipsec.created[1], U);
	eq_num("counts", "glued", "ipsec est[0]", g->ipsec.established[0],
	    U);
	eq_num("counts", "glued", "ipsec time[2]", g->ipsec.time_ms[2], 9);
	g = &r->gws[2];
	eq_num("counts", "get", "ike created[0]", g->ike.created[0], 2);
	eq_num("counts", "get", "ike time[2]", g->ike.time_ms[2], 21);
	eq_num("counts", "get", "ipsec created[1]", g->ipsec.created[1], 5);
	eq_num("counts", "get", "ipsec est[0]", g->ipsec.established[0], 6);
	/* "timex" starts with the label: its numbers or none. */
	eq_num("counts", "get", "ipsec time[0]", g->ipsec.time_ms[0], U);
	ike_gateway_list_free(r);
}

/*
 * Keys printed by SAs and gateways both go to the open SA; an SA's key
 * with no SA open is nobody's; key material is never stored.
 */
static void
test_key_owner(void **state)
{
	static const char in[] =
	    "name: owner\n"
	    "status: established 5s ago\n"
	    "direction: initiator\n"
	    "PPK: yes\n"
	    "peer-id: gw-id\n"
	    "key: 0011\n"
	    "id/spi: 1 aa/bb\n"
	    "  PPK: no\n"
	    "  peer-id: sa-id\n"
	    "  QKD: yes\n"
	    "  SK_ei: 2233\n"
	    "  key: 4455\n"
	    "  created: 7s ago\n"
	    "  message-id sent/recv:\t3/4\n"
	    "  DPD sent/recv: 0000000a/1F\n"
	    "  lifetime/rekey:86400/100\n"
	    "keys: 1\n";
	struct ike_gateway_list	*r;
	const struct ike_gateway *g;
	const struct ike_gateway_sa *sa;
	char			*json;

	(void)state;
	r = parse_str(in, 1);
	g = &r->gws[0];
	eq_num("owner", "owner", "gw ppk", g->ppk, 1);
	eq_str("owner", "owner", "gw peer_id", g->peer_id, "gw-id");
	eq_num("owner", "owner", "created", g->created_ago_s, 7);
	assert_int_equal(g->nsas, 1);
	sa = &g->sas[0];
	eq_str("owner", "owner", "status", sa->status, NULL);
	eq_str("owner", "owner", "direction", sa->direction, NULL);
	eq_num("owner", "owner", "sa ppk", sa->ppk, 0);
	eq_num("owner", "owner", "sa qkd", sa->qkd, 1);
	eq_str("owner", "owner", "sa peer_id", sa->peer_id, "sa-id");
	eq_num("owner", "owner", "msgid_sent", sa->msgid_sent, 3);
	eq_num("owner", "owner", "msgid_recv", sa->msgid_recv, 4);
	eq_num("owner", "owner", "dpd_sent", sa->dpd_sent, 10);
	eq_num("owner", "owner", "dpd_recv", sa->dpd_recv, 31);
	eq_num("owner", "owner", "lifetime", sa->lifetime, 86400);
	eq_num("owner", "owner", "rekey", sa->rekey, 100);
	ike_gateway_list_free(r);

	json = tu_report(&kind_ike_gateway_list, in, sizeof(in) - 1);
	tu_lacks(json, "0011", "key material");
	tu_lacks(json, "2233", "SK_ material");
	tu_lacks(json, "4455", "key material");
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
		cmocka_unit_test(test_real_captures),
		cmocka_unit_test(test_56_crlf),
		cmocka_unit_test(test_eap_tcp_nat_both),
		cmocka_unit_test(test_ipv6_spaces),
		cmocka_unit_test(test_dialup_parent_children),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_counts_search),
		cmocka_unit_test(test_key_owner),
		cmocka_unit_test(test_nul_name),
		cmocka_unit_test(test_crlf_pager),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_many_instances),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
