/* SPDX-License-Identifier: ISC */
/*
 * vdom_list - parse `diagnose sys vd list`: the VDOMs a FortiGate has.
 *
 * The engine asks this read-only command (under `config global` in
 * multi-VDOM mode) to learn which VDOMs exist before it enters any: on
 * FortiOS `config vdom` / `edit NAME` creates a VDOM that does not exist,
 * so fgtop only ever edits names the device listed.  Each VDOM opens a
 * block with a line
 *   name=root/root index=0 enabled fib_ver=365 use=4896 ...   (7.x)
 *   name=root/0 index=0 enabled ...                           (older)
 * followed by indented or wrapped detail lines, which are skipped.  The
 * internal VDOMs (vsys_ha, vsys_fgfm, ...: names starting with "vsys_")
 * hold no tunnels and are left out.
 *
 * Ownership: the result and its strings belong to its arena;
 * vdom_list_free releases all of it.
 */
#ifndef VDOM_LIST_H
#define VDOM_LIST_H

#include "util.h"

struct vdom_list {
	struct parena	*arena;
	const char	**names;	/* in the order listed */
	size_t		 n;
	size_t		 cap;
	size_t		 internal;	/* vsys_* VDOMs left out */
};

/* NULL only when memory runs out. */
struct vdom_list	*vdom_list_parse(const char *, size_t);
void			 vdom_list_free(struct vdom_list *);

#endif
