/* SPDX-License-Identifier: ISC */
/*
 * kind - the table of FortiOS outputs fgtop can parse; see kind.h.
 */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "kind.h"

const struct kind *const kinds[] = {
	&kind_tunnel_summary,
	&kind_ike_gateway_list,
	&kind_tunnel_list,
	&kind_ike_debug,
	&kind_sniffer,
	&kind_traceroute,
	&kind_routing_table,
	&kind_system_status,
	NULL
};

const struct kind *
kind_find(const char *name)
{
	size_t	i;

	for (i = 0; kinds[i] != NULL; i++) {
		if (strcmp(kinds[i]->name, name) == 0)
			return (kinds[i]);
	}
	return (NULL);
}

const char *
kind_command(const struct kind *k)
{
	const struct cli_kind	*ck;

	ck = cli_kind_find(k->name);
	return (ck != NULL ? ck->command : "");
}
