/* SPDX-License-Identifier: ISC */
/*
 * report_ike_gateway - `diagnose vpn ike gateway list` (and `get vpn ike
 * gateway`) as JSON: one object per gateway with its IKE SAs.
 *
 * The gateway-level status, direction, established_ago_s, proposal,
 * lifetime/rekey and DPD counters are the first IKE SA's, as the issue's
 * contract says; every SA is in "sas".  "nat" is null when the device
 * printed no nat: line (it prints one only when NAT was detected).  Key
 * material is not in the parsed structs, so it cannot reach the JSON.
 */
#include "config.h"

#include "ike_gateway.h"
#include "json.h"
#include "kind.h"

static void *
rig_parse(const char *buf, size_t len)
{
	return (ike_gateway_list_parse(buf, len));
}

static size_t
rig_count(const void *p)
{
	return (((const struct ike_gateway_list *)p)->n);
}

static void
rig_counts(struct json *j, const char *key, const struct ike_gateway_counts *c)
{
	json_key(j, key);
	json_obj_begin(j);
	json_kpair(j, "created", c->created[0], c->created[1]);
	json_kpair(j, "established", c->established[0], c->established[1]);
	json_key(j, "time_ms");
	if (c->time_ms[0] == PNUM_UNKNOWN)
		json_null(j);
	else {
		json_arr_begin(j);
		json_num(j, c->time_ms[0]);
		json_num(j, c->time_ms[1]);
		json_num(j, c->time_ms[2]);
		json_arr_end(j);
	}
	json_obj_end(j);
}

static void
rig_sa(struct json *j, const struct ike_gateway_sa *sa)
{
	json_obj_begin(j);
	json_knum(j, "id", sa->id);
	json_kstr(j, "spi_i", sa->spi_i);
	json_kstr(j, "spi_r", sa->spi_r);
	json_kstr(j, "direction", sa->direction);
	json_kstr(j, "status", sa->status);
	json_knum(j, "state", sa->state);
	json_knum(j, "started_ago_s", sa->started_ago_s);
	json_knum(j, "created_ago_s", sa->created_ago_s);
	json_knum(j, "established_ago_s", sa->established_ago_s);
	json_knum(j, "negotiation_ms", sa->negotiation_ms);
	json_kstr(j, "proposal", sa->proposal);
	json_knum(j, "lifetime", sa->lifetime);
	json_knum(j, "rekey", sa->rekey);
	json_knum(j, "dpd_sent", sa->dpd_sent);
	json_knum(j, "dpd_recv", sa->dpd_recv);
	json_knum(j, "message_id_sent", sa->msgid_sent);
	json_knum(j, "message_id_recv", sa->msgid_recv);
	json_kbool(j, "child", sa->child);
	json_kbool(j, "ppk", sa->ppk);
	json_kbool(j, "qkd", sa->qkd);
	json_kstr(j, "peer_id", sa->peer_id);
	json_obj_end(j);
}

/* The fields the contract lifts from the first IKE SA. */
static void
rig_first_sa(struct json *j, const struct ike_gateway *gw)
{
	static const struct ike_gateway_sa	 none = {
		.established_ago_s = PNUM_UNKNOWN, .lifetime = PNUM_UNKNOWN,
		.rekey = PNUM_UNKNOWN, .dpd_sent = PNUM_UNKNOWN,
		.dpd_recv = PNUM_UNKNOWN
	};
	const struct ike_gateway_sa		*sa;

	sa = gw->nsas > 0 ? &gw->sas[0] : &none;
	json_kstr(j, "status", sa->status);
	json_kstr(j, "direction", sa->direction);
	json_knum(j, "established_ago_s", sa->established_ago_s);
	json_kstr(j, "proposal", sa->proposal);
	json_knum(j, "lifetime", sa->lifetime);
	json_knum(j, "rekey", sa->rekey);
	json_knum(j, "dpd_sent", sa->dpd_sent);
	json_knum(j, "dpd_recv", sa->dpd_recv);
}

static void
rig_nat(struct json *j, const struct ike_gateway *gw)
{
	json_key(j, "nat");
	if (gw->nat_me < 0 && gw->nat_peer < 0) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kbool(j, "me", gw->nat_me);
	json_kbool(j, "peer", gw->nat_peer);
	json_obj_end(j);
}

static void
rig_gateway(struct json *j, const struct ike_gateway *gw)
{
	size_t	i;

	json_obj_begin(j);
	json_kstr(j, "vd", gw->vd);
	json_knum(j, "vd_index", gw->vd_index);
	json_kstr(j, "name", gw->name);
	json_knum(j, "version", gw->version);
	json_kstr(j, "interface", gw->interface);
	json_knum(j, "ifindex", gw->ifindex);
	json_kstr(j, "local_addr", gw->local_addr);
	json_knum(j, "local_port", gw->local_port);
	json_kstr(j, "remote_addr", gw->remote_addr);
	json_knum(j, "remote_port", gw->remote_port);
	json_knum(j, "created_ago_s", gw->created_ago_s);
	rig_first_sa(j, gw);
	rig_counts(j, "ike_sa", &gw->ike);
	rig_counts(j, "ipsec_sa", &gw->ipsec);
	rig_nat(j, gw);
	json_knum(j, "auto_discovery", gw->auto_discovery);
	json_kstr(j, "auto_discovery_role", gw->auto_discovery_role);
	json_kstr(j, "peer_id", gw->peer_id);
	json_kbool(j, "peer_id_auth", gw->peer_id_auth);
	json_kstr(j, "xauth_user", gw->xauth_user);
	json_kstr(j, "eap_user", gw->eap_user);
	json_kbool(j, "two_fa", gw->two_fa);
	json_kstr(j, "groups", gw->groups);
	json_kstr(j, "forticlient_uid", gw->forticlient_uid);
	json_kstr(j, "assigned_ipv4", gw->assigned_ipv4);
	json_kstr(j, "transport", gw->transport);
	json_knum(j, "network_id", gw->network_id);
	json_kstr(j, "tun_id", gw->tun_id);
	json_kstr(j, "tun_id6", gw->tun_id6);
	json_kstr(j, "remote_location", gw->remote_location);
	json_kstr(j, "virtual_interface_local", gw->vif_local);
	json_kstr(j, "virtual_interface_remote", gw->vif_remote);
	json_knum(j, "pending_queue", gw->pending_queue);
	json_kbool(j, "ppk", gw->ppk);
	json_kstr(j, "parent", gw->parent);
	json_knum(j, "instance", gw->instance);
	json_key(j, "children");
	json_arr_begin(j);
	for (i = 0; i < gw->nchildren; i++)
		json_str(j, gw->children[i]);
	json_arr_end(j);
	json_key(j, "sas");
	json_arr_begin(j);
	for (i = 0; i < gw->nsas; i++)
		rig_sa(j, &gw->sas[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static void
rig_report(struct json *j, const void *p)
{
	const struct ike_gateway_list	*r = p;
	size_t				 i;

	json_obj_begin(j);
	json_key(j, "gateways");
	json_arr_begin(j);
	for (i = 0; i < r->n; i++)
		rig_gateway(j, &r->gws[i]);
	json_arr_end(j);
	json_obj_end(j);
}

struct rig_stream {
	struct json	*j;
	size_t		 n;
};

static int
rig_stream_gw(const struct ike_gateway *gw, void *arg)
{
	struct rig_stream	*st = arg;

	rig_gateway(st->j, gw);
	st->n++;
	return (0);
}

/* The same document as rig_report, each gateway written as it ends. */
static int
rig_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	struct rig_stream	 st = { j, 0 };
	int			 rc;

	json_obj_begin(j);
	json_key(j, "gateways");
	json_arr_begin(j);
	rc = ike_gateway_each(buf, len, rig_stream_gw, &st);
	json_arr_end(j);
	json_obj_end(j);
	*count = st.n;
	return (rc);
}

static void
rig_free(void *p)
{
	ike_gateway_list_free(p);
}

const struct kind kind_ike_gateway_list = {
	.name = "ike-gateway-list",
	.parse = rig_parse,
	.count = rig_count,
	.report = rig_report,
	.stream = rig_stream,
	.free = rig_free,
};
