/*
 * traceroute - parse `execute traceroute`.  (placeholder: being written)
 */
#ifndef TRACEROUTE_H
#define TRACEROUTE_H

#include "util.h"

struct traceroute {
	struct parena	*arena;
	size_t		 n;
};

struct traceroute	*traceroute_parse(const char *, size_t);
void		 traceroute_free(struct traceroute *);

#endif
