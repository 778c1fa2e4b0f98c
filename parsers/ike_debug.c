/*
 * ike_debug - parse `diagnose debug application ike -1`.  (placeholder: being written)
 */
#include "config.h"

#include "ike_debug.h"

struct ike_debug *
ike_debug_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct ike_debug	*r;

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
ike_debug_free(struct ike_debug *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
