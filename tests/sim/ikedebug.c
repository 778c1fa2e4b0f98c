/* SPDX-License-Identifier: ISC */
/*
 * ikedebug.c - the lines `diagnose debug application ike -1` prints for
 * each tunnel, given its state and fault.
 *
 * Each state has a script: lines at offsets within a cycle that repeats
 * from the moment the tunnel entered the state (a new IKE attempt, a DPD
 * probe, a quick-mode try), plus one-shot scripts at a tunnel's
 * transitions (established, went down) and phase-2 rekeys.  The message
 * texts are the real ones, from tests/fixtures/real/ike-debug* and the
 * failure signatures fgtop's parsers/ike_debug.c classifies (the few
 * unverified ones are marked U in tests/sim/README); the prefix follows
 * the version (`ike 0:NAME:SERIAL:` up to 7.2, `ike V=vdom:0:NAME:SERIAL:`
 * from 7.4).  Retransmission timers are compressed (IKEv2 2, 6, 14 s,
 * IKEv1 10, 20 s; timeout at 30 s, a new attempt every 35 s) so a
 * failure shows within half a minute.  Output is a pure function of the model
 * and the time window, in time order, honouring the session's log filter
 * and console timestamps.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "render.h"

struct dl {
	double		 off;
	const char	*s;
};

#define END	{ -1, NULL }

#define COMES	"{P}: comes {r}:{pt}->{l}:{pt},ifindex={i},vrf=0...."
#define CONNECT							\
	{ 0, "{P}:{n}:{p2}: IPsec SA connect {i} {l}->{r}:0" },		\
	{ 0, "{P}:{n}:{p2}: config found" },				\
	{ 0, "{P}:{n}: created connection: 0x{cx} {i} {l}->{r}:500." },	\
	{ 0, "{P}:{n}: IPsec SA connect {i} {l}->{r}:500 negotiating" }

/* Our SA_INIT / main mode 1 gets no answer. */
static const struct dl s_silent_v2[] = {
	CONNECT,
	{ 0, "{P}:{n}: no suitable IKE_SA, queuing CHILD_SA request and "
	    "initiating IKE_SA negotiation" },
	{ 0.01, "{P}:{n}:{s}: create NAT-D hash local {l}/500 remote {r}/0" },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={k}/0000000000000000" },
	{ 2, "{P}:{n}:{s}: sent IKE msg (RETRANSMIT_SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={k}/0000000000000000" },
	{ 6, "{P}:{n}:{s}: sent IKE msg (RETRANSMIT_SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={k}/0000000000000000" },
	{ 14, "{P}:{n}:{s}: sent IKE msg (RETRANSMIT_SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={k}/0000000000000000" },
	{ 30, "{P}:{n}:{s}: negotiation timeout, deleting" },
	{ 30, "{P}:{n}: connection expiring due to phase1 down" },
	{ 30, "{P}:{n}: going to be deleted" },
	END
};

static const struct dl s_silent_v1[] = {
	CONNECT,
	{ 0.01, "{P}:{n}:{s}: initiator: main mode is sending 1st message..." },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (ident_i1send): {l}:500->{r}:500, "
	    "len=380, vrf=0, id={k}/0000000000000000" },
	{ 10, "{P}:{n}:{s}: sent IKE msg (P1_RETRANSMIT): {l}:500->{r}:500, "
	    "len=380, vrf=0, id={k}/0000000000000000" },
	{ 20, "{P}:{n}:{s}: sent IKE msg (P1_RETRANSMIT): {l}:500->{r}:500, "
	    "len=380, vrf=0, id={k}/0000000000000000" },
	{ 30, "{P}:{n}:{s}: negotiation timeout, deleting" },
	{ 30, "{P}:{n}: connection expiring due to phase1 down" },
	END
};

static const struct dl s_noroute_v2[] = {
	CONNECT,
	{ 0, "{P}:{n}: no suitable IKE_SA, queuing CHILD_SA request and "
	    "initiating IKE_SA negotiation" },
	{ 0.01, "{P}:{n}:{s}: generate DH public value request pending" },
	{ 0.01, "{P}:{n}:{s}: create NAT-D hash local {l}/500 remote {r}/0" },
	{ 0.01, "{P}:{n}:{s}: could not send IKE Packet(SA_INIT):{l}:500->"
	    "{r}:500, len=597, vrf=0: error 101:Network is unreachable" },
	{ 2, "{P}:{n}:{s}: could not send IKE Packet(RETRANSMIT_SA_INIT):{l}:500->"
	    "{r}:500, len=597, vrf=0: error 101:Network is unreachable" },
	{ 6, "{P}:{n}:{s}: could not send IKE Packet(RETRANSMIT_SA_INIT):{l}:500->"
	    "{r}:500, len=597, vrf=0: error 101:Network is unreachable" },
	{ 14, "{P}:{n}:{s}: could not send IKE Packet(RETRANSMIT_SA_INIT):{l}:500->"
	    "{r}:500, len=597, vrf=0: error 101:Network is unreachable" },
	{ 30, "{P}:{n}:{s}: negotiation timeout, deleting" },
	{ 30, "{P}:{n}: connection expiring due to phase1 down" },
	{ 30, "{P}:{n}: going to be deleted" },
	END
};

static const struct dl s_noroute_v1[] = {
	CONNECT,
	{ 0.01, "{P}:{n}:{s}: initiator: main mode is sending 1st message..." },
	{ 0.01, "{P}:{n}:{s}: could not send IKE Packet(ident_i1send):{l}:500->"
	    "{r}:500, len=380, vrf=0: error 101:Network is unreachable" },
	{ 10, "{P}:{n}:{s}: could not send IKE Packet(P1_RETRANSMIT):{l}:500->"
	    "{r}:500, len=380, vrf=0: error 101:Network is unreachable" },
	{ 20, "{P}:{n}:{s}: could not send IKE Packet(P1_RETRANSMIT):{l}:500->"
	    "{r}:500, len=380, vrf=0: error 101:Network is unreachable" },
	{ 30, "{P}:{n}:{s}: negotiation timeout, deleting" },
	{ 30, "{P}:{n}: connection expiring due to phase1 down" },
	END
};

/* KB 195955 / the lab note: the IKEv1 responder cannot decrypt MM5. */
static const struct dl s_psk_v1_resp[] = {
	{ 0, COMES },
	{ 0, "{P}: IKEv1 exchange=Identity Protection id={k}/0000000000000000 "
	    "len=380 vrf=0" },
	{ 0, "{P}:{k}/0000000000000000:{s}: responder: main mode get 1st "
	    "message..." },
	{ 0, "{P}:{k}/0000000000000000:{s}: SA proposal chosen, matched "
	    "gateway {n}" },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (ident_r1send): {l}:500->{r}:500, "
	    "len=128, vrf=0, id={k}/{kr}" },
	{ 0.2, COMES },
	{ 0.2, "{P}: IKEv1 exchange=Identity Protection id={k}/{kr} len=380 "
	    "vrf=0" },
	{ 0.2, "{P}:{n}:{s}: responder: main mode get 2nd message..." },
	{ 0.21, "{P}:{n}:{s}: sent IKE msg (ident_r2send): {l}:500->{r}:500, "
	    "len=380, vrf=0, id={k}/{kr}" },
	{ 0.4, COMES },
	{ 0.4, "{P}: IKEv1 exchange=Identity Protection id={k}/{kr} len=92 "
	    "vrf=0" },
	{ 0.4, "{P}:{n}:{s}: responder: main mode get 3rd message..." },
	{ 0.4, "{P}:{n}:{s}: parse error" },
	{ 0.4, "{P}:{n}:{s}: probable pre-shared secret mismatch" },
	END
};

static const struct dl s_psk_v1_init[] = {
	CONNECT,
	{ 0.01, "{P}:{n}:{s}: initiator: main mode is sending 1st message..." },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (ident_i1send): {l}:500->{r}:500, "
	    "len=380, vrf=0, id={k}/0000000000000000" },
	{ 0.2, COMES },
	{ 0.2, "{P}:{n}:{s}: initiator: main mode is sending 2nd message..." },
	{ 0.21, "{P}:{n}:{s}: sent IKE msg (ident_i2send): {l}:500->{r}:500, "
	    "len=380, vrf=0, id={k}/{kr}" },
	{ 0.4, COMES },
	{ 0.4, "{P}:{n}:{s}: initiator: main mode is sending 3rd message..." },
	{ 0.41, "{P}:{n}:{s}: sent IKE msg (ident_i3send): {l}:500->{r}:500, "
	    "len=92, vrf=0, id={k}/{kr}" },
	{ 10, "{P}:{n}:{s}: sent IKE msg (P1_RETRANSMIT): {l}:500->{r}:500, "
	    "len=92, vrf=0, id={k}/{kr}" },
	{ 20, "{P}:{n}:{s}: sent IKE msg (P1_RETRANSMIT): {l}:500->{r}:500, "
	    "len=92, vrf=0, id={k}/{kr}" },
	{ 30, "{P}:{n}:{s}: negotiation timeout, deleting" },
	{ 30, "{P}:{n}: connection expiring due to phase1 down" },
	END
};

static const struct dl s_psk_v2_resp[] = {
	{ 0, COMES },
	{ 0, "{P}: IKEv2 exchange=SA_INIT id={k}/0000000000000000 len=597" },
	{ 0, "{P}:{k}/0000000000000000:{s}: responder received SA_INIT msg" },
	{ 0, "{P}:{k}/0000000000000000:{s}: SA proposal chosen, matched "
	    "gateway {n}" },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (SA_INIT_RESPONSE): {l}:500->{r}:500, "
	    "len=432, vrf=0, id={k}/{kr}" },
	{ 0.2, COMES },
	{ 0.2, "{P}: IKEv2 exchange=AUTH id={k}/{kr}:00000001 len=272" },
	{ 0.2, "{P}:{n}:{s}: responder received AUTH msg" },
	{ 0.2, "{P}:{n}:{s}: received peer identifier IPV4_ADDR '{r}'" },
	{ 0.2, "{P}:{n}:{s}: auth verify done" },
	{ 0.2, "{P}:{n}:{s}: PSK auth failed: probable pre-shared key mismatch" },
	{ 0.21, "{PV}Negotiate SA Error: " },
	END
};

static const struct dl s_psk_v2_init[] = {
	CONNECT,
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={k}/0000000000000000" },
	{ 0.2, COMES },
	{ 0.2, "{P}: IKEv2 exchange=SA_INIT_RESPONSE id={k}/{kr} len=432" },
	{ 0.2, "{P}:{n}:{s}: initiator received SA_INIT response" },
	{ 0.2, "{P}:{n}:{s}: initiator preparing AUTH msg" },
	{ 0.21, "{P}:{n}:{s}: sent IKE msg (AUTH): {l}:500->{r}:500, len=272, "
	    "vrf=0, id={k}/{kr}:00000001" },
	{ 0.4, COMES },
	{ 0.4, "{P}: IKEv2 exchange=AUTH_RESPONSE id={k}/{kr}:00000001 len=80" },
	{ 0.4, "{P}:{n}:{s}: initiator received AUTH msg" },
	{ 0.4, "{P}:{n}:{s}: received notify type AUTHENTICATION_FAILED" },
	{ 0.4, "{P}:{n}:{s}: schedule delete of IKE SA {k}/{kr}" },
	{ 0.4, "{P}:{n}:{s}: scheduled delete of IKE SA {k}/{kr}" },
	{ 0.41, "{P}:{n}: connection expiring due to phase1 down" },
	END
};

/* tests/fixtures/real/ike-debug/01: the IKEv1 responder. */
static const struct dl s_prop_v1[] = {
	{ 0, COMES },
	{ 0, "{P}: IKEv1 exchange=Identity Protection id={k}/0000000000000000 "
	    "len=332 vrf=0" },
	{ 0, "{P}:{k}/0000000000000000:{s}: responder: main mode get 1st "
	    "message..." },
	{ 0, "{P}:{k}/0000000000000000:{s}: incoming proposal:" },
	{ 0, "{P}:{k}/0000000000000000:{s}: proposal id = 0:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:   protocol id = ISAKMP:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:      trans_id = KEY_IKE." },
	{ 0, "{P}:{k}/0000000000000000:{s}:      encapsulation = IKE/none" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=OAKLEY_ENCRYPT_ALG, "
	    "val=3DES_CBC." },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=OAKLEY_HASH_ALG, "
	    "val=SHA." },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=AUTH_METHOD, "
	    "val=PRESHARED_KEY." },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=OAKLEY_GROUP, "
	    "val=MODP1024." },
	{ 0, "{P}:{k}/0000000000000000:{s}: ISAKMP SA lifetime=86400" },
	{ 0, "{P}:{k}/0000000000000000:{s}: my proposal, gw {n}:" },
	{ 0, "{P}:{k}/0000000000000000:{s}: proposal id = 1:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:   protocol id = ISAKMP:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:      trans_id = KEY_IKE." },
	{ 0, "{P}:{k}/0000000000000000:{s}:      encapsulation = IKE/none" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=OAKLEY_ENCRYPT_ALG, "
	    "val=AES_CBC, key-len=128" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=OAKLEY_HASH_ALG, "
	    "val=SHA2_256." },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=AUTH_METHOD, "
	    "val=PRESHARED_KEY." },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=OAKLEY_GROUP, "
	    "val=MODP2048." },
	{ 0, "{P}:{k}/0000000000000000:{s}: ISAKMP SA lifetime=86400" },
	{ 0, "{P}:{k}/0000000000000000:{s}: negotiation failure" },
	{ 0, "ike Negotiate ISAKMP SA Error: {P}:{k}/0000000000000000:{s}: "
	    "no SA proposal chosen" },
	END
};

/* tests/fixtures/real/ike-debug-labelled/10: the IKEv2 responder. */
static const struct dl s_prop_v2[] = {
	{ 0, COMES },
	{ 0, "{P}: IKEv2 exchange=SA_INIT id={k}/0000000000000000 len=453" },
	{ 0, "{P}:{k}/0000000000000000:{s}: responder received SA_INIT msg" },
	{ 0, "{P}:{k}/0000000000000000:{s}: incoming proposal:" },
	{ 0, "{P}:{k}/0000000000000000:{s}: proposal id = 1:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:   protocol = IKEv2:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:      encapsulation = IKEv2/none" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=ENCR, val=DES_CBC" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=INTEGR, "
	    "val=AUTH_HMAC_MD5_96" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=PRF, "
	    "val=PRF_HMAC_MD5" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=DH_GROUP, "
	    "val=MODP1536." },
	{ 0, "{P}:{k}/0000000000000000:{s}: my proposal, gw {n}:" },
	{ 0, "{P}:{k}/0000000000000000:{s}: proposal id = 1:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:   protocol = IKEv2:" },
	{ 0, "{P}:{k}/0000000000000000:{s}:      encapsulation = IKEv2/none" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=ENCR, val=AES_CBC "
	    "(key_len = 128)" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=INTEGR, "
	    "val=AUTH_HMAC_SHA2_256_128" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=PRF, "
	    "val=PRF_HMAC_SHA2_256" },
	{ 0, "{P}:{k}/0000000000000000:{s}:         type=DH_GROUP, "
	    "val=MODP2048." },
	{ 0, "{P}:{k}/0000000000000000:{s}: lifetime=86400" },
	{ 0, "{P}:{k}/0000000000000000:{s}: no proposal chosen" },
	{ 0, "{PV}Negotiate SA Error: [11909]" },
	END
};

/* ike-debug-labelled/03: the peer refuses our traffic selectors. */
static const struct dl s_sel_v2[] = {
	{ 0, "{P}:{n}:{p2}: IPsec SA connect {i} {l}->{r}:0" },
	{ 0, "{P}:{n}:{p2}: using existing connection" },
	{ 0, "{P}:{n}:{p2}: config found" },
	{ 0, "{P}:{n}:{p2}: IPsec SA connect {i} {l}->{r}:500 negotiating" },
	{ 0, "{P}:{n}:{s}:{c} initiating CREATE_CHILD exchange" },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (CREATE_CHILD): {l}:500->{r}:500, "
	    "len=224, vrf=0, id={ic}/{rc}:{m}" },
	{ 0.05, COMES },
	{ 0.05, "{P}: IKEv2 exchange=CREATE_CHILD_RESPONSE id={ic}/{rc}:{m} "
	    "len=80" },
	{ 0.05, "{P}:{n}:{s}: processing notify type TS_UNACCEPTABLE" },
	END
};

/* U: the IKEv1 quick-mode failure texts are not confirmed on a device. */
static const struct dl s_sel_v1[] = {
	{ 0, "{P}:{n}:{p2}: IPsec SA connect {i} {l}->{r}:0" },
	{ 0, "{P}:{n}:{p2}: using existing connection" },
	{ 0, "{P}:{n}:{p2}: config found" },
	{ 0.01, "{P}:{n}:{s}:{p2}:{c}: initiator: quick mode is sending 1st "
	    "message..." },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (quick_i1send): {l}:500->{r}:500, "
	    "len=620, vrf=0, id={ic}/{rc}:{m}" },
	{ 0.05, COMES },
	{ 0.05, "{P}: IKEv1 exchange=Informational id={ic}/{rc}:{m} len=92 "
	    "vrf=0" },
	{ 0.05, "{P}:{n}:{s}: notify msg received: INVALID-ID-INFORMATION" },
	{ 0.05, "{P}:{n}:{s}:{p2}:{c}: no matching phase2 found" },
	END
};

/* ike-debug-labelled/07. */
static const struct dl s_nopolicy[] = {
	{ 0, "{P}:{n}:{p2}: IPsec SA connect {i} {l}->{r}:0" },
	{ 0, "{P}:{n}: ignoring request to establish IPsec SA, no policy "
	    "configured" },
	END
};

/* DIAGNOSIS P1-NATT-4500-BLOCKED: 500 works, 4500 does not. */
static const struct dl s_natt[] = {
	CONNECT,
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={k}/0000000000000000" },
	{ 0.03, "{P}: comes {r}:500->{l}:500,ifindex={i},vrf=0...." },
	{ 0.03, "{P}: IKEv2 exchange=SA_INIT_RESPONSE id={k}/{kr} len=432" },
	{ 0.03, "{P}:{n}:{s}: initiator received SA_INIT response" },
	{ 0.03, "{P}:{n}:{s}: processing NAT-D payload" },
	{ 0.03, "{P}:{n}:{s}: NAT detected: ME" },
	{ 0.03, "{P}:{n}:{s}: process NAT-D" },
	{ 0.04, "{P}:{n}:{s}: initiator preparing AUTH msg" },
	{ 0.04, "{P}:{n}:{s}: sending INITIAL-CONTACT" },
	{ 0.04, "{P}:{n}:{s}: detected NAT" },
	{ 0.04, "{P}:{n}:{s}: NAT-T float port 4500" },
	{ 0.04, "{P}:{n}:{s}: sent IKE msg (AUTH): {l}:4500->{r}:4500, len=272, "
	    "vrf=0, id={k}/{kr}:00000001" },
	{ 2, "{P}:{n}:{s}: sent IKE msg (RETRANSMIT_AUTH): {l}:4500->{r}:4500, "
	    "len=272, vrf=0, id={k}/{kr}:00000001" },
	{ 6, "{P}:{n}:{s}: sent IKE msg (RETRANSMIT_AUTH): {l}:4500->{r}:4500, "
	    "len=272, vrf=0, id={k}/{kr}:00000001" },
	{ 14, "{P}:{n}:{s}: sent IKE msg (RETRANSMIT_AUTH): {l}:4500->{r}:4500, "
	    "len=272, vrf=0, id={k}/{kr}:00000001" },
	{ 30, "{P}:{n}:{s}: negotiation timeout, deleting" },
	{ 30, "{P}:{n}: connection expiring due to phase1 down" },
	END
};

/* Healthy liveness, every 20 s. */
static const struct dl s_dpd_ok_v1[] = {
	{ 0, "{P}:{n}: link is idle {i} {l}->{r}:0 dpd=1 seqno={q} rr=0" },
	{ 0, "{P}:{n}:{s}: send IKEv1 DPD probe, seqno {q}" },
	{ 0, "{P}:{n}:{s}: sent IKE msg (R-U-THERE): {l}:{pt}->{r}:{pt}, len=92, "
	    "vrf=0, id={ic}/{rc}:{m}" },
	{ 0.02, COMES },
	{ 0.02, "{P}: IKEv1 exchange=Informational id={ic}/{rc}:{m} len=92 "
	    "vrf=0" },
	{ 0.02, "{P}:{n}:{s}: notify msg received: R-U-THERE-ACK" },
	END
};

static const struct dl s_dpd_ok_v2[] = {
	{ 0, "{P}:{n}:{s}: sent IKE msg (INFORMATIONAL): {l}:{pt}->{r}:{pt}, "
	    "len=80, vrf=0, id={ic}/{rc}:{m}" },
	{ 0.02, COMES },
	{ 0.02, "{P}: IKEv2 exchange=INFORMATIONAL_RESPONSE id={ic}/{rc}:{m} "
	    "len=80" },
	END
};

/* DPD-V1-FAIL / DPD-V2-RETRANS: probes every 5 s, never answered. */
static const struct dl s_dpd_bad_v1[] = {
	{ 0, "{P}:{n}: link is idle {i} {l}->{r}:0 dpd=1 seqno={q} rr=0" },
	{ 0, "{P}:{n}:{s}: send IKEv1 DPD probe, seqno {q}" },
	{ 0, "{P}:{n}:{s}: sent IKE msg (R-U-THERE): {l}:{pt}->{r}:{pt}, len=92, "
	    "vrf=0, id={ic}/{rc}:{m}" },
	END
};

static const struct dl s_dpd_bad_v2[] = {
	{ 0, "{P}:{n}:{s}: sent IKE msg (INFORMATIONAL): {l}:{pt}->{r}:{pt}, "
	    "len=80, vrf=0, id={ic}/{rc}:{m}" },
	END
};

static const struct dl s_down[] = {
	{ 0, "{P}:{n}:{s}: {ic}/{rc} retransmission timeout" },
	{ 0, "{P}:{n}:{s}: expiring IKE SA {ic}/{rc}" },
	{ 0, "{P}:{n}: going to be deleted" },
	{ 0, "{P}:{n}: flushing " },
	{ 0, "{P}:{n}: deleting IPsec SA with SPI {yo}" },
	{ 0, "{P}:{n}: flushed " },
	{ 0, "{P}:{n}: sending SNMP tunnel DOWN trap for {p2}" },
	END
};

static const struct dl s_up[] = {
	{ 0, "{P}:{n}:{p2}: IPsec SA connect {i} {l}->{r}:0" },
	{ 0, "{P}:{n}: created connection: 0x{cx} {i} {l}->{r}:500." },
	{ 0.01, "{P}:{n}:{s}: sent IKE msg (SA_INIT): {l}:500->{r}:500, "
	    "len=597, vrf=0, id={ic}/0000000000000000" },
	{ 0.03, "{P}: comes {r}:500->{l}:500,ifindex={i},vrf=0...." },
	{ 0.03, "{P}:{n}:{s}: matched proposal id 1" },
	{ 0.05, "{P}:{n}:{s}: authentication succeeded" },
	{ 0.05, "{P}:{n}:{s}: established IKE SA {ic}/{rc}" },
	{ 0.05, "{P}:{n}:{s}:{p2}:{c}: added IPsec SA: SPIs={x}/{y}" },
	{ 0.05, "{P}:{n}:{s}:{p2}:{c}: sending SNMP tunnel UP trap" },
	{ 0.05, "{P}:{n}: set oper up" },
	END
};

/* ike-debug-labelled/12, answered this time. */
static const struct dl s_rekey_v2[] = {
	{ 0, "{P}:{n}:{p2}: IPsec SA {xo}/{yo} rekey {i} {l}->{r}:{pt}" },
	{ 0, "{P}:{n}:{p2}: using existing connection" },
	{ 0, "{P}:{n}:{s}:{c} initiating CREATE_CHILD exchange" },
	{ 0, "{P}:{n}:{s}:{c} rekey in progress for SPI {yo}" },
	{ 0, "{P}:{n}:{s}: sent IKE msg (CREATE_CHILD): {l}:{pt}->{r}:{pt}, "
	    "len=224, vrf=0, id={ic}/{rc}:{m}" },
	{ 0.03, COMES },
	{ 0.03, "{P}: IKEv2 exchange=CREATE_CHILD_RESPONSE id={ic}/{rc}:{m} "
	    "len=224" },
	{ 0.03, "{P}:{n}:{s}:{p2}:{c}: added IPsec SA: SPIs={x}/{y}" },
	{ 2, "{P}:{n}:{s}:{p2}: sending delete for IPsec SA SPI {yo}" },
	END
};

static const struct dl s_rekey_v1[] = {
	{ 0, "{P}:{n}:{p2}: IPsec SA {xo}/{yo} rekey {i} {l}->{r}:{pt}" },
	{ 0, "{P}:{n}:{s}:{p2}:{c}: initiator: quick mode is sending 1st "
	    "message..." },
	{ 0, "{P}:{n}:{s}: sent IKE msg (quick_i1send): {l}:{pt}->{r}:{pt}, "
	    "len=620, vrf=0, id={ic}/{rc}:{m}" },
	{ 0.03, COMES },
	{ 0.03, "{P}:{n}:{s}:{p2}:{c}: initiator: quick mode is sending 2nd "
	    "message..." },
	{ 0.03, "{P}:{n}:{s}: sent IKE msg (quick_i2send): {l}:{pt}->{r}:{pt}, "
	    "len=76, vrf=0, id={ic}/{rc}:{m}" },
	{ 0.03, "{P}:{n}:{s}:{p2}:{c}: added IPsec SA: SPIs={x}/{y}" },
	{ 2, "{P}:{n}:{s}:{p2}: sending delete for IPsec SA SPI {yo}" },
	END
};

/* A line waiting to be sorted into the stream. */
struct dev_line {
	double		 t;
	uint32_t	 key;
	int		 seq;
	char		*s;
};

struct emitter {
	struct dev_line	*v;
	size_t		 n, cap;
	int		 seq;
	const struct sim_device *dev;
	const struct sim_tunnel *t;
	long		 k;	/* cycle number: new cookies, serials */
	long		 g;	/* SA generation for SPIs */
	double		 now;
};

static void
ikd_hex64(char *buf, uint32_t a, uint32_t b)
{
	snprintf(buf, 17, "%08x%08x", a, b);
}

static void
ikd_expand(struct emitter *e, const char *tmpl, struct sbuf *sb)
{
	const struct sim_tunnel	*t = e->t;
	const struct sim_device	*d = e->dev;
	char			 tok[8], v[64];
	const char		*p, *q;
	size_t			 n, np2;
	int			 v74 = d->vmaj > 7 || (d->vmaj == 7 &&
				     d->vmin >= 4);
	uint32_t		 s = t->seed;

	np2 = t->parent != NULL ? t->parent->np2 : t->np2;
	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '{' || (q = strchr(p, '}')) == NULL ||
		    (n = (size_t)(q - p - 1)) >= sizeof(tok)) {
			sbuf_add(sb, p, 1);
			continue;
		}
		memcpy(tok, p + 1, n);
		tok[n] = '\0';
		p = q;
		v[0] = '\0';
		if (strcmp(tok, "P") == 0) {
			if (v74)
				snprintf(v, sizeof(v), "ike V=%s:0",
				    t->vdom->name);
			else
				snprintf(v, sizeof(v), "ike %d",
				    t->vdom->index);
		} else if (strcmp(tok, "PV") == 0)
			snprintf(v, sizeof(v), v74 ? "ike V=%s:" : "ike ",
			    t->vdom->name);
		else if (strcmp(tok, "n") == 0)
			sbuf_addstr(sb, t->name);
		else if (strcmp(tok, "p2") == 0)
			sbuf_addstr(sb, np2 > 0 ? (t->parent != NULL ?
			    t->parent->p2[0].name : t->p2[0].name) : t->name);
		else if (strcmp(tok, "s") == 0)
			snprintf(v, sizeof(v), "%lu", t->ike_id0 +
			    (unsigned long)(t->nest - 1 +
			    (t->state == ST_CONNECTING ? e->k : 0)));
		else if (strcmp(tok, "l") == 0)
			render_ip4(t->local, v);
		else if (strcmp(tok, "r") == 0)
			render_ip4(t->remote, v);
		else if (strcmp(tok, "i") == 0)
			snprintf(v, sizeof(v), "%d", t->ifindex);
		else if (strcmp(tok, "pt") == 0)
			snprintf(v, sizeof(v), "%d", t->natt ? 4500 : 500);
		else if (strcmp(tok, "k") == 0)
			ikd_hex64(v, scenario_hash(s, (uint32_t)e->k + 1000),
			    scenario_hash(s, (uint32_t)e->k + 2000));
		else if (strcmp(tok, "kr") == 0)
			ikd_hex64(v, scenario_hash(s, (uint32_t)e->k + 3000),
			    scenario_hash(s, (uint32_t)e->k + 4000));
		else if (strcmp(tok, "ic") == 0)
			ikd_hex64(v, scenario_hash(s, (uint32_t)t->nest + 5000),
			    scenario_hash(s, 6000));
		else if (strcmp(tok, "rc") == 0)
			ikd_hex64(v, scenario_hash(s, (uint32_t)t->nest + 7000),
			    scenario_hash(s, 8000));
		else if (strcmp(tok, "q") == 0)
			snprintf(v, sizeof(v), "%ld", t->dpd_seqno0 + e->k);
		else if (strcmp(tok, "m") == 0)
			snprintf(v, sizeof(v), "%08lx", (unsigned long)e->k + 2);
		else if (strcmp(tok, "c") == 0)
			snprintf(v, sizeof(v), "%ld", e->k + 1);
		else if (strcmp(tok, "cx") == 0)
			snprintf(v, sizeof(v), "%x", 0x55d40000U |
			    (s & 0xfff0));
		else if (strcmp(tok, "x") == 0)
			snprintf(v, sizeof(v), "%08x", device_spi(t, e->g, 1));
		else if (strcmp(tok, "y") == 0)
			snprintf(v, sizeof(v), "%08x", device_spi(t, e->g, 2));
		else if (strcmp(tok, "xo") == 0)
			snprintf(v, sizeof(v), "%08x",
			    device_spi(t, e->g - 1, 1));
		else if (strcmp(tok, "yo") == 0)
			snprintf(v, sizeof(v), "%08x",
			    device_spi(t, e->g > 0 ? e->g - 1 : 0, 2));
		else
			snprintf(v, sizeof(v), "{%s}", tok);
		sbuf_addstr(sb, v);
	}
}

static void
ikd_push(struct emitter *e, double t, const char *tmpl)
{
	struct sbuf	 sb = { NULL, 0, 0 };

	ikd_expand(e, tmpl, &sb);
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		if ((e->v = realloc(e->v, e->cap * sizeof(*e->v))) == NULL)
			abort();
	}
	e->v[e->n].t = t;
	e->v[e->n].key = e->t->seed;
	e->v[e->n].seq = e->seq++;
	e->v[e->n++].s = sb.buf;
}

static double
ikd_script_len(const struct dl *sc)
{
	double	 m = 0;

	for (; sc->s != NULL; sc++)
		if (sc->off > m)
			m = sc->off;
	return (m);
}

/* The script once at base, for lines in (t0, t1]. */
static void
ikd_once(struct emitter *e, const struct dl *sc, double base, double t0,
    double t1)
{
	for (; sc->s != NULL; sc++)
		if (base + sc->off > t0 && base + sc->off <= t1)
			ikd_push(e, base + sc->off, sc->s);
}

/* The script every period from base (cycle k >= 0), in (t0, t1]. */
static void
ikd_cycle(struct emitter *e, const struct dl *sc, double base, double period,
    double t0, double t1)
{
	double	 len = ikd_script_len(sc);
	long	 k, kmax;

	k = (long)floor((t0 - base - len) / period);
	if (k < 0)
		k = 0;
	kmax = (long)floor((t1 - base) / period);
	for (; k <= kmax; k++) {
		e->k = k;
		ikd_once(e, sc, base + (double)k * period, t0, t1);
	}
	e->k = 0;
}

static const struct dl *
ikd_down_script(const struct sim_tunnel *t, double *period)
{
	*period = 35;
	switch (t->fault) {
	case F_PSK:
		*period = 15;
		if (t->ike == 1)
			return (t->responder ? s_psk_v1_resp : s_psk_v1_init);
		return (t->responder ? s_psk_v2_resp : s_psk_v2_init);
	case F_PROPOSAL:
		*period = 15;
		return (t->ike == 1 ? s_prop_v1 : s_prop_v2);
	case F_NOROUTE:
		return (t->ike == 1 ? s_noroute_v1 : s_noroute_v2);
	case F_NATT:
		return (s_natt);
	default:
		return (t->ike == 1 ? s_silent_v1 : s_silent_v2);
	}
}

static void
ikd_tunnel_lines(struct emitter *e, double t0, double t1)
{
	const struct sim_tunnel	*t = e->t;
	const struct dl		*sc;
	double			 period = 35, st = t->t_state, soft;
	long			 g, gmax;
	int			 changed = st > -t->age0;

	switch (t->state) {
	case ST_CONNECTING:
		if (changed && (t->fault == F_FLAP || t->fault == F_DPD))
			ikd_once(e, s_down, st, t0, t1);
		sc = ikd_down_script(t, &period);
		ikd_cycle(e, sc, st + (changed ? 1 : 0), period, t0, t1);
		return;
	case ST_P2DOWN:
		if (t->fault == F_NOPOLICY)
			ikd_cycle(e, s_nopolicy, st, 10, t0, t1);
		else
			ikd_cycle(e, t->ike == 1 ? s_sel_v1 : s_sel_v2,
			    st + 2.1, 30, t0, t1);
		return;
	default:
		break;
	}
	if (changed)
		ikd_once(e, s_up, st, t0, t1);
	if (t->fault == F_DPD)
		ikd_cycle(e, t->ike == 1 ? s_dpd_bad_v1 : s_dpd_bad_v2, st + 20,
		    5, t0, t1);
	else if (t->dpd_mode != 2)
		ikd_cycle(e, t->ike == 1 ? s_dpd_ok_v1 : s_dpd_ok_v2, st + 7.25,
		    20, t0, t1);
	/* Phase-2 rekeys that fall in the window. */
	soft = (double)t->soft;
	g = (long)floor((t0 - st - 2) / soft);
	gmax = (long)floor((t1 - st) / soft);
	for (g = g < 1 ? 1 : g; g <= gmax; g++) {
		e->g = g;
		e->k = g;
		ikd_once(e, t->ike == 1 ? s_rekey_v1 : s_rekey_v2,
		    st + (double)g * soft, t0, t1);
	}
	e->g = device_sa_gen(t, t1);
	e->k = 0;
}

static int
ikd_passes(const struct ike_filter *f, const struct sim_tunnel *t)
{
	if (f == NULL || !f->set)
		return (1);
	if (f->name != NULL && strcmp(f->name, t->name) != 0 &&
	    (t->parent == NULL || strcmp(f->name, t->parent->name) != 0))
		return (0);
	if (f->rem_hi != 0 && (t->remote < f->rem_lo || t->remote > f->rem_hi))
		return (0);
	if (f->loc_hi != 0 && (t->local < f->loc_lo || t->local > f->loc_hi))
		return (0);
	return (1);
}

static int
ikd_line_cmp(const void *a, const void *b)
{
	const struct dev_line	*x = a, *y = b;

	if (x->t != y->t)
		return (x->t < y->t ? -1 : 1);
	if (x->key != y->key)
		return (x->key < y->key ? -1 : 1);
	return (x->seq - y->seq);
}

void
ikedebug_emit(struct sbuf *out, struct sim_device *d,
    const struct ike_filter *f, int timestamps, double t0, double t1)
{
	struct emitter	 e;
	size_t		 i, j;
	char		 ts[48];

	if (t1 - t0 > 120)
		t0 = t1 - 120;	/* a late reader gets the recent past */
	memset(&e, 0, sizeof(e));
	e.dev = d;
	e.now = t1;
	for (i = 0; i < d->nvdoms; i++)
		for (j = 0; j < d->vdoms[i]->ntunnels; j++) {
			e.t = d->vdoms[i]->tunnels[j];
			if (e.t->is_template || !ikd_passes(f, e.t))
				continue;
			e.g = device_sa_gen(e.t, t1);
			ikd_tunnel_lines(&e, t0, t1);
		}
	if (e.n > 1)
		qsort(e.v, e.n, sizeof(*e.v), ikd_line_cmp);
	for (i = 0; i < e.n; i++) {
		if (timestamps) {
			render_time(ts, sizeof(ts), e.v[i].t, 1);
			sbuf_printf(out, "%s ", ts);
		}
		sbuf_addstr(out, e.v[i].s);
		sbuf_addstr(out, "\n");
		free(e.v[i].s);
	}
	free(e.v);
}
