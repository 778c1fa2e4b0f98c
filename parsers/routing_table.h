/*
 * routing_table - parse `get router info routing-table`.  (placeholder: being written)
 */
#ifndef ROUTING_TABLE_H
#define ROUTING_TABLE_H

#include "util.h"

struct routing_table {
	struct parena	*arena;
	size_t		 n;
};

struct routing_table	*routing_table_parse(const char *, size_t);
void		 routing_table_free(struct routing_table *);

#endif
