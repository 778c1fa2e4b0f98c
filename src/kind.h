/* SPDX-License-Identifier: ISC */
/*
 * kind - the table of FortiOS outputs fgtop can parse.
 *
 * One entry per output kind ("tunnel-summary", "ike-gateway-list", ...).
 * Each src/report_<kind>.c defines its entry: how to parse the text (with
 * the parser in parsers/), how many items were recognised, how to write
 * the result as JSON, and how to free it.  `fgtop parse`, `fgtop analyze`
 * and the fuzzers all go through this table.  What the CLI knows of a
 * kind (the commands that print it, the markers of its output) has its
 * one home in parsers/cli.c's cli_kinds, under the same name, because
 * the transcript split needs it and parsers/ cannot see src/; test_cli
 * checks that both lists name the same kinds.
 *
 * "Kind" means this, an output kind, and nothing else: an IKE debug line
 * has a topic (parsers/ike_debug), a live tool is `which` (src/tool), a
 * prompt has a mark (parsers/cli).  The static functions of each
 * report_<kind>.c carry an r before its parser's prefix (rtl_, rig_,
 * rtr_...), so they are never mistaken for the parser's own.
 *
 * Ownership: parse returns a result the caller owns and releases with the
 * same entry's free.  parse returns NULL only when memory ran out.
 */
#ifndef KIND_H
#define KIND_H

#include <stddef.h>

struct json;

/*
 * A streamed document that is a head, one item per record, and a tail,
 * where a record's first line starts with `at` at the start of a line
 * (and nothing before that line decides how the record reads).  Such an
 * input may be cut before any such line and its parts written apart:
 * `fgtop parse` writes the second part from another thread
 * (src/pstream.c).  items writes the items of the records in the text
 * it is given, at the current level of the document (level levels
 * below where head began), and sets the count; it returns 0, or -1
 * when memory ran out.  head may look at the whole text.
 */
struct kind_split {
	const char	*at;
	int		 level;	/* of the items, below the head's start */
	void		 (*head)(struct json *, const char *, size_t);
	int		 (*items)(struct json *, const char *, size_t,
			    size_t *);
	void		 (*tail)(struct json *);
};

struct kind {
	const char	*name;		/* as given to parse --as */
	void		*(*parse)(const char *, size_t);
	size_t		 (*count)(const void *);	/* 0: nothing found */
	void		 (*report)(struct json *, const void *);
	/*
	 * Optional: parse and write the same document as report, each
	 * item as soon as it is parsed, so memory stays a small multiple
	 * of the input whatever the output (`fgtop parse`).  Sets the
	 * count; -1 when memory ran out.
	 */
	int		 (*stream)(struct json *, const char *, size_t,
			    size_t *);
	/* Optional, with stream: stream is split->head, items, tail. */
	const struct kind_split *split;
	void		 (*free)(void *);
};

extern const struct kind kind_tunnel_summary;
extern const struct kind kind_ike_gateway_list;
extern const struct kind kind_tunnel_list;
extern const struct kind kind_ike_debug;
extern const struct kind kind_sniffer;
extern const struct kind kind_traceroute;
extern const struct kind kind_routing_table;
extern const struct kind kind_system_status;

/* NULL-terminated, in the order of the troubleshooting flow. */
extern const struct kind *const kinds[];

const struct kind	*kind_find(const char *);
/* The FortiOS command to type for it, from cli_kinds. */
const char		*kind_command(const struct kind *);

#endif
