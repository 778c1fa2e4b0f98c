/*
 * traceroute - parse `execute traceroute`.  (placeholder: being written)
 */
#include "config.h"

#include "traceroute.h"

struct traceroute *
traceroute_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct traceroute	*r;

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
traceroute_free(struct traceroute *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
