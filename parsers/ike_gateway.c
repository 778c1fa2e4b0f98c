/*
 * ike_gateway - parse `diagnose vpn ike gateway list`.  (placeholder: being written)
 */
#include "config.h"

#include "ike_gateway.h"

struct ike_gateway *
ike_gateway_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct ike_gateway	*r;

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
ike_gateway_free(struct ike_gateway *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
