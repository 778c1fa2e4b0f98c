/*
 * tunnel_list - parse `diagnose vpn tunnel list`.  (placeholder: being written)
 */
#ifndef TUNNEL_LIST_H
#define TUNNEL_LIST_H

#include "util.h"

struct tunnel_list {
	struct parena	*arena;
	size_t		 n;
};

struct tunnel_list	*tunnel_list_parse(const char *, size_t);
void		 tunnel_list_free(struct tunnel_list *);

#endif
