/*
 * analyze - read a pasted CLI transcript into parsed records; see the
 * header.
 *
 * parsers/cli splits the text and hands over, one at a time and in
 * order, records that already know their command, output kind and the
 * VDOM they ran in (prompt, `config vdom` / `edit X`, `sudo X`); each
 * record's output then goes through the kind table, as `fgtop parse
 * --as` does, and is written out at once, so memory stays a small
 * multiple of the transcript however many records it holds.
 */
#include "config.h"

#include "analyze.h"
#include "cli.h"
#include "json.h"
#include "kind.h"
#include "xmalloc.h"

static void
an_parsed(struct json *j, const struct cli_record *r)
{
	const struct kind	*k;
	void			*res;

	json_key(j, "parsed");
	if (r->kind == NULL || (k = kind_find(r->kind)) == NULL) {
		json_null(j);
		return;
	}
	if ((res = k->parse(r->output, r->outlen)) == NULL)
		xmalloc_fatal("parsing");
	k->report(j, res);
	k->free(res);
}

static int
an_record(void *arg, const struct cli_record *r)
{
	struct json	*j = arg;

	json_obj_begin(j);
	json_kstr(j, "prompt", r->prompt);
	json_kstr(j, "hostname", r->hostname);
	json_kstr(j, "vdom", r->session_vdom);
	json_kstr(j, "command", r->command);
	json_kstr(j, "kind", r->kind);
	an_parsed(j, r);
	/*
	 * Findings belong here, per record, once src/diagnose exists (the
	 * diagnosis issue): "findings": [...] from the parsed result and
	 * the session state.  None are made up in the meantime.
	 */
	json_obj_end(j);
	return (0);
}

size_t
analyze_transcript(struct json *j, const char *buf, size_t len)
{
	size_t	n;

	json_obj_begin(j);
	json_key(j, "records");
	json_arr_begin(j);
	if (cli_transcript_each(buf, len, an_record, j, &n) != 0)
		xmalloc_fatal("reading a transcript");
	json_arr_end(j);
	json_obj_end(j);
	return (n);
}
