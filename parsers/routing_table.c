/*
 * routing_table - parse `get router info routing-table`.  (placeholder: being written)
 */
#include "config.h"

#include "routing_table.h"

struct routing_table *
routing_table_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct routing_table	*r;

	if ((pa = pa_new()) == NULL)
		return (NULL);
	if ((r = pa_alloc(pa, sizeof(*r))) == NULL) {
		pa_free(pa);
		return (NULL);
	}
	r->arena = pa;
	return (r);
}

void
routing_table_free(struct routing_table *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
