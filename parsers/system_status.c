/*
 * system_status - parse `get system status`.  (placeholder: being written)
 */
#include "config.h"

#include "system_status.h"

struct system_status *
system_status_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct system_status	*r;

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
system_status_free(struct system_status *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
