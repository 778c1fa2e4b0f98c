/*
 * system_status - parse `get system status`.  (placeholder: being written)
 */
#ifndef SYSTEM_STATUS_H
#define SYSTEM_STATUS_H

#include "util.h"

struct system_status {
	struct parena	*arena;
	size_t		 n;
};

struct system_status	*system_status_parse(const char *, size_t);
void		 system_status_free(struct system_status *);

#endif
