/*
 * tunnel_list - parse `diagnose vpn tunnel list`.  (placeholder: being written)
 */
#include "config.h"

#include "tunnel_list.h"

struct tunnel_list *
tunnel_list_parse(const char *buf, size_t len)
{
	struct parena	*pa;
	struct tunnel_list	*r;

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
tunnel_list_free(struct tunnel_list *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
