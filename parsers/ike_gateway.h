/*
 * ike_gateway - parse `diagnose vpn ike gateway list`.  (placeholder: being written)
 */
#ifndef IKE_GATEWAY_H
#define IKE_GATEWAY_H

#include "util.h"

struct ike_gateway {
	struct parena	*arena;
	size_t		 n;
};

struct ike_gateway	*ike_gateway_parse(const char *, size_t);
void		 ike_gateway_free(struct ike_gateway *);

#endif
