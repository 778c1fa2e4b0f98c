/* SPDX-License-Identifier: ISC */
/*
 * cmdtool - the live tools from the command line, for an engineer
 * without the dashboard and for scripts:
 *
 *   fgtop route DEST ADDR [--json]
 *   fgtop trace DEST --peer ADDR|TUNNEL [--source ADDR] [--seconds N]
 *   fgtop sniff DEST --peer ADDR|TUNNEL [--port 500|4500|both]
 *               [--count N] [--seconds N]
 *   fgtop debug DEST --peer ADDR|TUNNEL [--seconds N]
 *
 * with the engine's connection options (-F, --config, --accept-new,
 * --vdom, ...) anywhere after the subcommand.  One session logs in,
 * reads `get system status` (version, VDOM mode) and the gateway list
 * (a tunnel name gives the peer, its local gateway and its interface;
 * an address finds its tunnel), then runs the tool (src/tool) or the
 * IKE debug (src/debug).  Lines are printed as they come (text, or with
 * --json one object a line), then the one-line reading (src/reading).
 * SIGINT, SIGTERM and SIGHUP stop the tool: its cleanup runs, then
 * fgtop exits; a second signal gives up waiting.
 *
 * Ownership: everything lives and dies inside cmdtool_main.
 */
#ifndef CMDTOOL_H
#define CMDTOOL_H

/* argv[0] is the subcommand; returns the exit status. */
int	 cmdtool_main(int argc, char **argv);
/* For fgtop --help. */
extern const char cmdtool_synopsis[];

#endif
