/* SPDX-License-Identifier: ISC */
/*
 * vdom_list - `diagnose sys vd list`.  See vdom_list.h.
 */
#include "config.h"

#include <string.h>

#include "vdom_list.h"

/* FortiOS VDOM names: at most 31 characters (11 before 6.x). */
#define VDOM_NAME_MAX	64

struct vdom_list *
vdom_list_parse(const char *buf, size_t len)
{
	struct vdom_list	*vl;
	struct parena		*pa;
	struct plines		 pl;
	const char		*l, *name;
	size_t			 n, nn;

	if ((vl = pa_new_result(sizeof *vl, &pa)) == NULL)
		return (NULL);
	vl->arena = pa;
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &l, &n)) {
		pu_visible(&l, &n);
		/* A block opens at the line start, never indented. */
		if (!pu_starts(l, n, "name=") || pu_find(l, n, " index=") < 0)
			continue;
		name = l + 5;
		for (nn = 0; 5 + nn < n && name[nn] != '/' && name[nn] != ' ';
		    nn++)
			;
		if (nn == 0 || nn > VDOM_NAME_MAX || 5 + nn == n ||
		    name[nn] != '/')
			continue;
		if (nn >= 5 && memcmp(name, "vsys_", 5) == 0) {
			vl->internal++;
			continue;
		}
		if (pa_grow(pa, (void **)&vl->names, &vl->cap, vl->n + 1,
		    sizeof *vl->names) != 0 ||
		    (vl->names[vl->n] = pa_strndup(pa, name, nn)) == NULL) {
			pa_free(pa);
			return (NULL);
		}
		vl->n++;
	}
	return (vl);
}

void
vdom_list_free(struct vdom_list *vl)
{
	if (vl != NULL)
		pa_free(vl->arena);
}
