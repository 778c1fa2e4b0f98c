/*
 * ike_debug - parse `diagnose debug application ike -1`.  (placeholder: being written)
 */
#ifndef IKE_DEBUG_H
#define IKE_DEBUG_H

#include "util.h"

struct ike_debug {
	struct parena	*arena;
	size_t		 n;
};

struct ike_debug	*ike_debug_parse(const char *, size_t);
void		 ike_debug_free(struct ike_debug *);

#endif
