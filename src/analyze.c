/* SPDX-License-Identifier: ISC */
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
#include "analyze_findings.h"
#include "cli.h"
#include "diagnose.h"
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

/* What each record is handed to: the document and the diagnosis. */
struct an_ctx {
	struct json		*j;
	struct analyze_findings	*af;
};

static int
an_record(void *arg, const struct cli_record *r)
{
	struct an_ctx	*c = arg;
	struct json	*j = c->j;

	json_obj_begin(j);
	json_kstr(j, "prompt", r->prompt);
	json_kstr(j, "hostname", r->hostname);
	json_kstr(j, "vdom", r->session_vdom);
	json_kstr(j, "command", r->command);
	json_kstr(j, "kind", r->kind);
	an_parsed(j, r);
	json_obj_end(j);
	/* The record's memory is reused after this: the rules copy. */
	analyze_findings_add(c->af, r->kind, r->hostname, r->session_vdom,
	    r->command, r->output, r->outlen);
	return (0);
}

size_t
analyze_transcript_findings(struct json *j, const char *buf, size_t len,
    struct dg_findings *out)
{
	struct an_ctx		 c;
	struct dg_findings	 fs;
	size_t			 n;

	json_obj_begin(j);
	json_key(j, "records");
	json_arr_begin(j);
	c.j = j;
	c.af = analyze_findings_new();
	if (cli_transcript_each(buf, len, an_record, &c, &n) != 0)
		xmalloc_fatal("reading a transcript");
	json_arr_end(j);
	/* The diagnosis of the whole transcript, most important first. */
	dg_findings_init(&fs);
	analyze_findings_run(c.af, out != NULL ? out : &fs);
	json_key(j, "findings");
	diagnose_json(j, out != NULL ? out : &fs);
	dg_findings_free(&fs);
	analyze_findings_free(c.af);
	json_obj_end(j);
	return (n);
}

size_t
analyze_transcript(struct json *j, const char *buf, size_t len)
{
	return (analyze_transcript_findings(j, buf, len, NULL));
}
