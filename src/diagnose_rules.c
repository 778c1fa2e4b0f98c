/* SPDX-License-Identifier: ISC */
/*
 * diagnose_rules - the one table of diagnosis rules; see diagnose.h.
 *
 * Ids, triggers, next checks, fixes and confidence are those of
 * ../shared/DIAGNOSIS.md section 2 (its Conf column is `conf`; a
 * trigger marked U there makes the finding say how sure it is).  The
 * order is the precedence between two findings that are otherwise equal:
 * the more specific cause first.  Next-check commands carry placeholders
 * diagnose.c fills: {peer} {local} {p1} {p2} {remote} {iface}, and the
 * whole-line {debug} (the IKE debug start for the FortiOS version) and
 * {sniff} (IKE on 500 and 4500 to and from the peer).
 */
#include "config.h"

#include <string.h>

#include "diagnose.h"

#define SNIFF_NEXT	{ "sniff", "{sniff}" }
#define DEBUG_NEXT	{ "debug", "{debug}" }
#define TRACE_NEXT	{ "trace", "execute traceroute-options source " \
			    "{local}\nexecute traceroute {peer}" }
#define ROUTE_NEXT	{ "route", "get router info routing-table " \
			    "details {peer}" }
#define P1_SHOW		{ NULL, "show vpn ipsec phase1-interface {p1}" }
#define TL_NEXT		{ NULL, "diagnose vpn tunnel list name {p1}" }
#define GW_NEXT		{ NULL, "diagnose vpn ike gateway list name {p1}" }

const struct dg_rule dg_rules[] = {
	/* ---- IKE debug: phase 1 ---------------------------------------- */
	{ "P1-NO-ROUTE", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 cannot start: no route to the peer",
	    "The kernel refused to send IKE (`could not send IKE Packet`, "
	    "Network is unreachable): there is no active route to the peer.",
	    { ROUTE_NEXT, { NULL, "get router info routing-table all" },
	      { NULL, "get system interface physical" } },
	    "restore the route or the WAN link (PPPoE/DHCP, SD-WAN member) "
	    "toward the peer",
	    "V", 0, "KB 195955; fgt-ike-debugger IKE_LOG_V2_net_un.txt" },
	{ "P1-DIALUP-WRONG-GW", DG_IN_LINES, DG_CRITICAL, 1,
	    "phase 1 matched another dial-up gateway",
	    "The responder picked the first dynamic phase 1 that matches "
	    "local-gw, mode, peer ID, auth method and proposal (the PSK is "
	    "not part of the match), then authentication failed on it.",
	    { { NULL, "show vpn ipsec phase1-interface" }, DEBUG_NEXT },
	    "use aggressive mode with distinct peer IDs, IKEv2 with "
	    "peer-ID/network-id, or distinct proposals per dial-up phase 1",
	    "K", 0, "KB 189931 (FD52381); KB 194213" },
	{ "P1-MODE-MISMATCH", DG_IN_LINES, DG_CRITICAL, 1,
	    "phase 1 fails: IKE version or exchange mode differs",
	    "The peer speaks another IKE version or exchange mode (main vs "
	    "aggressive) than this phase 1; FortiOS reports it as no "
	    "proposal chosen.",
	    { P1_SHOW, DEBUG_NEXT },
	    "match `set ike-version` and `set mode` on both sides",
	    "K/U", 1, "fgt-ike-debugger logs (exchange= lines); GitHub "
	    "write-up on main vs aggressive" },
	{ "P1-PSK-V1", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: pre-shared key mismatch (IKEv1)",
	    "The responder cannot decrypt main mode message 5: the IKEv1 "
	    "pre-shared keys differ.",
	    { P1_SHOW, DEBUG_NEXT },
	    "re-enter `set psksecret` on both sides (case, special "
	    "characters, trailing spaces)",
	    "V", 0, "GitHub lab note; KB 194213" },
	{ "P1-PSK-V2", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: pre-shared key mismatch (IKEv2 AUTH failed)",
	    "IKEv2 AUTH failed: usually the PSK; with third-party peers also "
	    "a local-ID/peer-ID mismatch.",
	    { P1_SHOW, DEBUG_NEXT },
	    "re-enter `set psksecret` on both sides, or fix `localid`/"
	    "`peerid`",
	    "V", 0, "fgt-ike-debugger analyzer; KB 304205" },
	{ "P1-PEERID", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: peer ID does not match",
	    "The peer's ID matches the peerid/peertype of no phase 1 that "
	    "could take it (IKEv1 aggressive: no gateway is selected).",
	    { { NULL, "show vpn ipsec phase1-interface" }, DEBUG_NEXT },
	    "set matching `localid` (peer) and `peerid` (here), or "
	    "`set peertype any`",
	    "V", 0, "fgt-ike-debugger IKE_LOG_peer_id.txt; KB 189931; "
	    "KB 408078" },
	{ "P1-NETWORK-ID", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: IKEv2 network-id differs",
	    "The peer's VPN_NETWORK_ID differs from this gateway's "
	    "network-id, so no gateway is selected.",
	    { P1_SHOW, GW_NEXT },
	    "align `set network-id` (with `set network-overlay enable`)",
	    "V/U", 1, "fgt-ike-debugger logs and analyzer" },
	{ "P1-DH-GROUP", DG_IN_LINES, DG_CRITICAL, 1,
	    "phase 1 stalls: aggressive-mode DH group order",
	    "In aggressive mode the key exchange is in the first message; "
	    "the responder chose another offered DH group and cannot use "
	    "the payload, so the DH computation never completes.",
	    { P1_SHOW, DEBUG_NEXT },
	    "offer a single DH group on both sides (`set dhgrp 14`), or use "
	    "main mode or IKEv2",
	    "U", 1, "fgt-ike-debugger IKE_LOG_DH_grouo_known_issue.txt" },
	{ "P1-NO-PROPOSAL", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: no proposal chosen",
	    "The phase-1 transforms (encryption, hash/PRF, DH group) do not "
	    "overlap; main vs aggressive, v1 vs v2 and an IKEv2 network-id "
	    "the peer does not accept also end here.",
	    { DEBUG_NEXT, P1_SHOW, GW_NEXT },
	    "align `set proposal`, `set dhgrp`, `set ike-version`, "
	    "`set mode`, `set network-id` (compare `incoming proposal` with "
	    "`my proposal`)",
	    "V", 0, "fgt-ike-debugger IKE_LOG_V2_Mismatch.txt; KB 278503; "
	    "KB 211931" },
	{ "P1-CERT", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: certificate validation",
	    "Certificate authentication failed: CA not trusted, peer "
	    "subject/CN, expired certificate (clock), CRL/OCSP, or "
	    "fragmented IKE dropped.",
	    { { NULL, "diagnose debug application fnbamd -1" },
	      { NULL, "get vpn certificate ca\nexecute date\n"
		"diagnose sys ntp status" },
	      { NULL, "show user peer" } },
	    "import the CA chain, fix the peer subject/CN, fix NTP, enable "
	    "IKE fragmentation",
	    "V/K", 0, "KB 412459; KB 197444; KB 267141; fgt-ike-debugger "
	    "analyzer" },
	{ "P1-IKE-FRAG", DG_IN_LINES, DG_CRITICAL, 1,
	    "phase 1 stalls at AUTH: large IKE messages lost (fragments)",
	    "The first exchange works but the large AUTH / main mode 5 "
	    "message is never answered: its IP fragments are dropped in the "
	    "path.",
	    { { "sniff", "diagnose sniffer packet any 'host {peer}' 4 0 l" },
	      P1_SHOW },
	    "config vpn ipsec phase1-interface / edit {p1} / set "
	    "fragmentation enable (IKEv2: set fragmentation-mtu)",
	    "K", 0, "KB 201960; KB 195109" },
	{ "P1-NATT-4500-BLOCKED", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: NAT-T on UDP 4500 gets no answer",
	    "NAT was detected and IKE moved to UDP 4500, but nothing comes "
	    "back on 4500 while 500 worked: a missing 4500 port-forward on "
	    "the NAT device or an ACL.",
	    { { "sniff", "diagnose sniffer packet any 'host {peer} and udp "
		"port 4500' 4 0 l" }, TRACE_NEXT },
	    "open or forward UDP 4500 (and 500) to the FortiGate",
	    "V", 0, "fgt-ike-debugger IKE_LOG_V2_4500_initiator.txt" },
	{ "P1-NO-POLICY", DG_IN_LINE, DG_ERROR, 1,
	    "tunnel not started: no firewall policy uses it",
	    "No firewall policy uses the tunnel interface, so IKE does not "
	    "bring the SA up.",
	    { { NULL, "show firewall policy" } },
	    "add LAN -> {p1} and {p1} -> LAN firewall policies",
	    "V", 0, "fgt-ike-debugger IKE_LOG_init_no_policy.txt; KB 198467" },
	{ "P1-PASSIVE", DG_IN_LINE, DG_ERROR, 1,
	    "tunnel not started: this side is in passive mode",
	    "This side will not initiate; if the peer is passive too, "
	    "nothing ever starts.",
	    { P1_SHOW },
	    "`set passive-mode disable` on the side that should initiate",
	    "V", 0, "fgt-ike-debugger IKE_DEBUGGER.py" },
	{ "P1-XAUTH", DG_IN_LINE, DG_ERROR, 1,
	    "user authentication (XAUTH/EAP) fails",
	    "Phase 1 passed, but user authentication failed: denied "
	    "credentials or group, the RADIUS/LDAP server does not answer "
	    "(FNBAM_TIMEOUT/ERROR), or the client stopped answering.",
	    { { NULL, "diagnose debug application fnbamd -1" },
	      { NULL, "diagnose test authserver radius <server> "
		"<pap|chap|mschap2> <user> <password>" },
	      { NULL, "diagnose test authserver ldap <server> <user> "
		"<password>" } },
	    "fix the credentials or `set authusrgrp`; make the RADIUS/LDAP "
	    "server reachable",
	    "V", 0, "fgt-ike-debugger IKE_LOG_V1_local_pwd_non_working_1.txt; "
	    "KB 399123" },
	{ "P1-RETRANSMIT-TIMEOUT", DG_IN_LINE, DG_CRITICAL, 1,
	    "phase 1 fails: our IKE messages get no answer",
	    "Our phase-1 messages are retransmitted until the negotiation "
	    "times out (IKEv2: 93 s). An IKEv1 initiator with a wrong PSK "
	    "looks like this too: only the responder logs the reason.",
	    { SNIFF_NEXT, TRACE_NEXT, { NULL, "ask the peer for its IKE "
		"debug" } },
	    "fix the path (UDP 500/4500), remote-gw, or the peer's config",
	    "V", 0, "fgt-ike-debugger IKE_LOG_retrans.txt; KB 294932" },

	/* ---- IKE debug: phase 2 ---------------------------------------- */
	{ "P2-TS-INIT-V2", DG_IN_LINE, DG_ERROR, 2,
	    "phase 2 fails: the peer rejected our traffic selectors",
	    "The peer answered TS_UNACCEPTABLE: its phase 2 does not "
	    "mirror our selectors. Phase 1 stays up.",
	    { TL_NEXT, { NULL, "show vpn ipsec phase2-interface" } },
	    "mirror the selectors (our local = their remote)",
	    "V", 0, "fgt-ike-debugger "
	    "IKE_LOG_V2_ph_2_TS_mismatch_initiator.txt" },
	{ "P2-TS-RESP-V2", DG_IN_LINE, DG_ERROR, 2,
	    "phase 2 fails: the peer's traffic selectors match no phase 2",
	    "The peer's TSi/TSr match no local phase 2. Phase 1 stays up.",
	    { TL_NEXT, { NULL, "show vpn ipsec phase2-interface" } },
	    "mirror the selectors (our local = their remote)",
	    "V", 0, "fgt-ike-debugger "
	    "IKE_LOG_V2_ph_2_TS_mismatch_responder.txt" },
	{ "P2-QM-MISMATCH-V1", DG_IN_LINE, DG_ERROR, 2,
	    "phase 2 fails: quick-mode selector or proposal mismatch",
	    "IKEv1 quick mode found no matching phase 2.",
	    { DEBUG_NEXT, { NULL, "show vpn ipsec phase2-interface" } },
	    "mirror the selectors and phase-2 proposals",
	    "U", 1, "memory; KB 278503" },
	{ "P2-PROPOSAL-PFS", DG_IN_LINE, DG_ERROR, 2,
	    "phase 2 fails: proposal or PFS mismatch",
	    "The phase-2 transforms or the PFS/DH group differ.",
	    { DEBUG_NEXT, { NULL, "show vpn ipsec phase2-interface" } },
	    "align phase-2 `set proposal`, `set pfs`, `set dhgrp`",
	    "V/K", 0, "fgt-ike-debugger analyzer; KB 278503" },
	{ "P2-REKEY-FAIL", DG_IN_LINE, DG_ERROR, 2,
	    "phase-2 rekey gets no answer",
	    "The peer does not answer the CREATE_CHILD_SA rekey; the tunnel "
	    "drops at lifetime expiry.",
	    { DEBUG_NEXT, P1_SHOW },
	    "align lifetimes (`keylifeseconds`); investigate the peer",
	    "V/U", 0, "fgt-ike-debugger analyzer; samuraj-cz article" },
	{ "DPD-V1-FAIL", DG_IN_LINE, DG_ERROR, 1,
	    "DPD probes (R-U-THERE) are not answered",
	    "The peer or the path is dead: DPD probes get no "
	    "R-U-THERE-ACK.",
	    { SNIFF_NEXT, GW_NEXT },
	    "fix the ISP/path; tune DPD (`set dpd on-idle`, retry settings)",
	    "V", 0, "KB 260424" },
	{ "DPD-V2-RETRANS", DG_IN_LINE, DG_ERROR, 1,
	    "IKE SA expired: a message was never acknowledged",
	    "An IKEv2 informational (liveness) or other IKE message was not "
	    "acknowledged within the fixed 93 s.",
	    { SNIFF_NEXT, GW_NEXT },
	    "by cause: the path, the peer, DPD settings",
	    "V", 0, "KB 294932" },
	{ "P2-TS-NARROWED", DG_IN_LINE, DG_WARNING, 2,
	    "phase 2 came up on narrowed selectors",
	    "The SA uses the intersection of both sides' selectors: some "
	    "subnets may be left out silently.",
	    { TL_NEXT },
	    "make the selectors identical on both sides",
	    "V/U", 1, "fgt-ike-debugger analyzer" },
	{ "IKE-STALE-SPI", DG_IN_LINE, DG_WARNING, 1,
	    "the peer keeps using a deleted IKE SA (a consequence)",
	    "The peer retransmits for an IKE SA this side already deleted; "
	    "the cause is the failure before it.",
	    { { NULL, "scroll back to the first failure for this peer" } },
	    "fix the earlier cause",
	    "V", 0, "fgt-ike-debugger IKE_LOG_peer_id.txt" },

	/* ---- routing ---------------------------------------------------- */
	{ "RT-NO-ROUTE-PEER", DG_IN_ROUTE, DG_CRITICAL, 1,
	    "no route to the peer on the phase-1 interface",
	    "IKE cannot leave on the intended WAN: the route lookup for the "
	    "remote gateway finds nothing or another egress.",
	    { ROUTE_NEXT, { NULL, "get router info routing-table all" },
	      { NULL, "get system interface physical" } },
	    "restore the default route or the WAN link; add a route to the "
	    "remote gateway via {iface}",
	    "K", 0, "KB 195955" },
	{ "RT-NO-ROUTE-REMOTE", DG_IN_ROUTE, DG_ERROR, 0,
	    "the remote subnet is not routed into the tunnel",
	    "Traffic for the remote subnet never enters the tunnel, so no "
	    "SA is triggered and traffic leaks to the default route.",
	    { { "route", "get router info routing-table details {remote}" } },
	    "config router static / edit 0 / set dst <remote-subnet> / set "
	    "device {p1}, plus a blackhole route with distance 254",
	    "K", 0, "Handbook 6.0 troubleshooting; GitHub lab note" },

	/* ---- polled state ----------------------------------------------- */
	{ "ST-P1-SILENT-PEER", DG_IN_STATE, DG_CRITICAL, 1,
	    "phase 1 down: the peer never answers",
	    "Only our IKE messages go to the peer; nothing comes back. The "
	    "peer is down, UDP 500 is blocked upstream, remote-gw is wrong, "
	    "or the peer silently drops us.",
	    { SNIFF_NEXT, TRACE_NEXT, ROUTE_NEXT, P1_SHOW },
	    "fix the path or the peer config; correct `set remote-gw`",
	    "K", 0, "KB 195955" },
	{ "ST-P1-CONNECTING", DG_IN_STATE, DG_CRITICAL, 1,
	    "phase 1 is down (connecting)",
	    "The IKE SA is not established.",
	    { TRACE_NEXT, SNIFF_NEXT, DEBUG_NEXT },
	    "depends on the IKE debug; check two-way reachability and that "
	    "UDP 500/4500 is open in the path",
	    "V", 0, "KB 195955" },
	{ "ST-P2-SA0", DG_IN_STATE, DG_ERROR, 2,
	    "phase 1 up but phase 2 has no SA (sa=0)",
	    "Phase 1 is up but a selector has no IPsec SA: selector or "
	    "proposal/PFS mismatch, no firewall policy, or no traffic yet "
	    "(on-demand phase 2).",
	    { TL_NEXT, { NULL, "execute vpn ipsec tunnel up {p2} {p1}" },
	      DEBUG_NEXT },
	    "mirror the selectors; config vpn ipsec phase2-interface / edit "
	    "{p2} / set auto-negotiate enable",
	    "K", 0, "KB 195955" },
	{ "ST-P2-SA2", DG_IN_STATE, DG_WARNING, 2,
	    "phase-2 rekey stuck (sa=2)",
	    "sa=2 (old and new SA) should last seconds during a rekey; it "
	    "persists, so the rekey does not finish.",
	    { DEBUG_NEXT, TL_NEXT },
	    "see P2-REKEY-FAIL",
	    "U", 1, "KB 195955 (sa=2 meaning; the rekey reading unconfirmed)" },
	{ "ST-DEC-NO-ENC", DG_IN_STATE, DG_ERROR, 0,
	    "traffic arrives but none is sent back (source NAT on the VPN "
	    "policy?)",
	    "Decrypted packets grow and encrypted stay flat: the reply never "
	    "enters the tunnel. Source NAT on the LAN -> VPN policy (the "
	    "source no longer matches the selector), a missing route back "
	    "or a missing policy.",
	    { { NULL, "diagnose debug flow filter addr <remote-host>\n"
		"diagnose debug flow show function-name enable\n"
		"diagnose debug flow trace start 20\ndiagnose debug enable" },
	      { "route", "get router info routing-table details {remote}" },
	      { NULL, "show firewall policy" } },
	    "`set nat disable` on the LAN -> {p1} policy; add the route or "
	    "policy back",
	    "K", 0, "Handbook 6.0 troubleshooting (debug flow)" },
	{ "ST-ENC-NO-DEC", DG_IN_STATE, DG_ERROR, 0,
	    "traffic is sent but nothing comes back",
	    "We encrypt and send, but decrypt nothing: the peer has no route "
	    "or policy back, its selector differs, or ESP is dropped in the "
	    "path (NAT without NAT-T).",
	    { { "sniff", "diagnose sniffer packet any 'host {peer} and (esp "
		"or udp port 4500)' 4 0 l" }, GW_NEXT,
	      { NULL, "ask the peer for its SA counters" } },
	    "fix the peer's routing/policy; with NAT in the path `set "
	    "nattraversal forced` on both sides",
	    "K", 0, "Handbook 6.0 troubleshooting" },
	{ "ST-DPD-NOANSWER", DG_IN_STATE, DG_ERROR, 1,
	    "DPD probes are not answered",
	    "DPD sent grows and received does not: the peer is dead or the "
	    "path loses packets; the tunnel is flushed after the retries.",
	    { SNIFF_NEXT, P1_SHOW },
	    "fix the ISP/path; tune DPD (`set dpd on-idle`, "
	    "`set dpd-retryinterval 10`, `set dpd-retrycount 3`)",
	    "K", 0, "KB 260424" },
	{ "ST-FLAP", DG_IN_STATE, DG_ERROR, 1,
	    "the tunnel flaps",
	    "Phase 1 is re-created again and again: DPD or rekey failures, "
	    "WAN/SD-WAN instability, or duplicate tunnels to the peer.",
	    { DEBUG_NEXT, { NULL, "diagnose sys sdwan health-check" } },
	    "by cause (see the DPD and rekey findings)",
	    "K", 0, "KB 260424; KB 294932" },
	{ "ST-TXERR", DG_IN_STATE, DG_WARNING, 0,
	    "transmit errors grow",
	    "Packets are dropped on send: no SA when traffic arrives, or "
	    "packets over the tunnel MTU with DF set.",
	    { { NULL, "diagnose netlink interface list {p1}" },
	      { NULL, "fnsysctl ifconfig {p1}" } },
	    "see DP-MTU: `set tcp-mss-sender 1350` / `set tcp-mss-receiver "
	    "1350`; `set ip-fragmentation pre-encapsulation`",
	    "V", 0, "KB 194539; KB 195955" },
	{ "ST-SEL-DOWN", DG_IN_STATE, DG_ERROR, 0,
	    "selectors down",
	    "At least one phase-2 selector has no SA (up < total; 0 up: the "
	    "tunnel is down).",
	    { GW_NEXT, TL_NEXT },
	    "see the phase-1 / phase-2 findings",
	    "V", 0, "KB 195955" },

	/* ---- event log and debug flow: listed, not read yet ------------- */
	{ "P2-SNAT-ON-VPN", DG_IN_EVENTLOG, DG_ERROR, 0,
	    "source NAT on the VPN policy",
	    "NAT on the LAN -> VPN policy rewrites the source so it no "
	    "longer matches the phase-2 selector.",
	    { { NULL, "show firewall policy" } },
	    "`set nat disable` on the LAN -> {p1} policy",
	    "V", 0, "Handbook 6.0 troubleshooting" },
	{ "P2-NO-SELECTOR", DG_IN_EVENTLOG, DG_ERROR, 0,
	    "no matching IPsec selector",
	    "The packet is outside every phase-2 selector of the tunnel.",
	    { TL_NEXT },
	    "add a phase 2 or widen the selectors",
	    "V", 0, "Handbook 6.0 troubleshooting" },
	{ "DP-UNKNOWN-SPI", DG_IN_EVENTLOG, DG_WARNING, 0,
	    "ESP with an unknown SPI",
	    "One side flushed its SAs while the other kept the old ones "
	    "(benign in a short burst around a rekey).",
	    { TL_NEXT },
	    "diagnose vpn ike gateway clear name {p1} (and on the peer)",
	    "V", 0, "KB 190530; KB 249721" },
	{ "DP-REPLAY", DG_IN_EVENTLOG, DG_WARNING, 0,
	    "anti-replay drops",
	    "Duplicate or out-of-window ESP: one flow spread over several "
	    "tunnels, NP6 inbound caching, reordering.",
	    { TL_NEXT },
	    "stop load-balancing one flow across tunnels",
	    "V", 0, "KB 352983; KB 192424; KB 416933" },
	{ "DP-MTU", DG_IN_EVENTLOG, DG_WARNING, 0,
	    "packets exceed the tunnel MTU",
	    "Packets plus ESP overhead exceed the path MTU with DF set.",
	    { TL_NEXT },
	    "`set tcp-mss-sender 1350` / `set tcp-mss-receiver 1350`",
	    "K", 0, "KB 278698; KB 194539; KB 417951" },
	{ "DP-ESP-BLOCKED", DG_IN_EVENTLOG, DG_ERROR, 0,
	    "ESP is dropped in the path",
	    "ESP (protocol 50) is dropped and NAT-T is not in use.",
	    { { "sniff", "diagnose sniffer packet any 'host {peer} and esp' "
		"4 0 l" } },
	    "allow protocol 50, or `set nattraversal forced`",
	    "U", 1, "general IPsec" },

	/* ---- markers: clear alarms, never a cause ----------------------- */
	{ "INFO-NAT", DG_IN_LINE, DG_INFO, 1,
	    "NAT is in the path",
	    "Which side is behind NAT; needed to read NAT-T and ESP "
	    "findings.",
	    { { NULL, NULL } }, NULL, "V", 0, "fgt-ike-debugger logs" },
	{ "INFO-P1-UP", DG_IN_LINE, DG_INFO, 1,
	    "phase 1 succeeded",
	    "Clears the phase-1 alarms for the peer.",
	    { { NULL, NULL } }, NULL, "V", 0, "fgt-ike-debugger logs" },
	{ "INFO-P2-UP", DG_IN_LINE, DG_INFO, 2,
	    "phase-2 SA installed",
	    "Clears the phase-2 alarms for the peer.",
	    { { NULL, NULL } }, NULL, "V", 0, "fgt-ike-debugger analyzer" },
};

const size_t dg_nrules = sizeof(dg_rules) / sizeof(dg_rules[0]);

const struct dg_rule *
diagnose_rule(const char *id)
{
	size_t	i;

	if (id == NULL)
		return (NULL);
	for (i = 0; i < dg_nrules; i++) {
		if (strcmp(dg_rules[i].id, id) == 0)
			return (&dg_rules[i]);
	}
	return (NULL);
}

const char *
diagnose_severity_name(enum dg_severity s)
{
	switch (s) {
	case DG_CRITICAL:
		return ("critical");
	case DG_ERROR:
		return ("error");
	case DG_WARNING:
		return ("warning");
	default:
		return ("info");
	}
}
