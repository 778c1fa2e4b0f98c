/*
 * sniffer - parse `diagnose sniffer packet`.  (placeholder: being written)
 */
#ifndef SNIFFER_H
#define SNIFFER_H

#include "util.h"

struct sniffer {
	struct parena	*arena;
	size_t		 n;
};

struct sniffer	*sniffer_parse(const char *, size_t);
void		 sniffer_free(struct sniffer *);

#endif
