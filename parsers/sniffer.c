/*
 * sniffer - parse `diagnose sniffer packet`.  (placeholder: being written)
 */
#include "config.h"

#include "sniffer.h"

struct sniffer *
sniffer_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct sniffer	*r;

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
sniffer_free(struct sniffer *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
