/*
 * analyze - read a pasted CLI transcript into parsed records; see the
 * header.
 *
 * parsers/cli splits the text into (prompt, command, output) records and
 * names each command's output kind; this file adds what only the whole
 * session shows: the VDOM a command ran in when the prompt does not say
 * (`config vdom` / `edit X` / `end`, `config global`, `sudo X ...`), and
 * whether `diagnose debug enable` started the IKE debug (an earlier
 * `diagnose debug application ike` that no `diagnose debug reset`
 * cancelled).  Each record's output then goes through the kind table, as
 * `fgtop parse --as` does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "analyze_findings.h"
#include "cli.h"
#include "diagnose.h"
#include "json.h"
#include "kind.h"
#include "xmalloc.h"

/* Where the session is in the `config vdom` / `config global` tree. */
enum an_mode {
	AN_TOP,		/* not inside config vdom or config global */
	AN_VDOMS,	/* `config vdom`, before `edit X` */
	AN_VDOM,	/* `config vdom` + `edit X` */
	AN_GLOBAL	/* `config global` */
};

struct an_state {
	enum an_mode	 mode;
	int		 depth;		/* other `config` blocks inside */
	char		*vdom;		/* the VDOM commands run in, or NULL */
	int		 ike_app;	/* debug application ike is on */
};

static void
an_set_vdom(struct an_state *st, const char *v, size_t vn)
{
	free(st->vdom);
	st->vdom = v != NULL ? xstrndup(v, vn) : NULL;
}

/*
 * The prompt's parenthesised word names the VDOM only outside nested
 * config blocks (there it names the block: "(interface)", "(port1)")
 * and outside `config vdom` itself, where it reads "(vdom)".
 */
static const char *
an_prompt_vdom(const struct an_state *st, const struct cli_record *r)
{
	if (r->vdom == NULL || st->depth > 0 || st->mode == AN_VDOMS)
		return (NULL);
	if (st->mode == AN_TOP && strcmp(r->vdom, "vdom") == 0)
		return (NULL);
	return (r->vdom);
}

/* The VDOM a record ran in, before its command changes the state. */
static const char *
an_vdom(struct an_state *st, const struct cli_record *r, char **sudo)
{
	const char	*v;
	size_t		 vn;

	*sudo = NULL;
	if (r->command != NULL &&
	    cli_sudo_vdom(r->command, strlen(r->command), &v, &vn)) {
		*sudo = xstrndup(v, vn);
		return (*sudo);
	}
	if (r->hostname != NULL && r->vdom == NULL) {
		/* A named prompt without a context: back at the top. */
		st->mode = AN_TOP;
		st->depth = 0;
		an_set_vdom(st, NULL, 0);
	}
	if ((v = an_prompt_vdom(st, r)) != NULL) {
		/* Joined mid-session: the prompt tells where we are. */
		if (st->mode == AN_TOP || st->mode == AN_VDOM)
			an_set_vdom(st, v, strlen(v));
		return (v);
	}
	return (st->vdom);
}

/* Follow config vdom / edit / next / end and the debug switches. */
static void
an_command(struct an_state *st, const char *cmd)
{
	size_t		 n = strlen(cmd), an;
	const char	*a;

	if (cli_match(cmd, n, "config vdom") && st->depth == 0 &&
	    st->mode == AN_TOP) {
		st->mode = AN_VDOMS;
		an_set_vdom(st, NULL, 0);
	} else if (cli_match(cmd, n, "config global") && st->depth == 0 &&
	    st->mode == AN_TOP) {
		st->mode = AN_GLOBAL;
		an_set_vdom(st, "global", 6);
	} else if (cli_match(cmd, n, "config"))
		st->depth++;
	else if (cli_match(cmd, n, "edit") && st->depth == 0 &&
	    st->mode == AN_VDOMS && cli_arg(cmd, n, 1, &a, &an)) {
		st->mode = AN_VDOM;
		an_set_vdom(st, a, an);
	} else if (cli_match(cmd, n, "next") && st->depth == 0 &&
	    st->mode == AN_VDOM) {
		st->mode = AN_VDOMS;
		an_set_vdom(st, NULL, 0);
	} else if (cli_match(cmd, n, "end") || cli_match(cmd, n, "abort")) {
		if (st->depth > 0)
			st->depth--;
		else if (st->mode != AN_TOP) {
			st->mode = AN_TOP;
			an_set_vdom(st, NULL, 0);
		}
	} else if (cli_match(cmd, n, "exit")) {
		st->mode = AN_TOP;
		st->depth = 0;
		st->ike_app = 0;
		an_set_vdom(st, NULL, 0);
	} else if (cli_match(cmd, n, "diagnose debug application ike"))
		st->ike_app = !(cli_arg(cmd, n, 4, &a, &an) && an == 1 &&
		    a[0] == '0');
	else if (cli_match(cmd, n, "diagnose debug reset"))
		st->ike_app = 0;
}

/*
 * The kind of a record's output.  `diagnose debug enable` streams IKE
 * debug only when the IKE application was switched on (or the lines
 * themselves say so); other debug streams are not parsed.
 */
static const char *
an_kind(const struct an_state *st, const struct cli_record *r)
{
	const char	*sniffed;

	if (r->command == NULL || r->kind == NULL)
		return (r->kind);
	if (strcmp(r->kind, "ike-debug") == 0 && !st->ike_app &&
	    cli_match(r->command, strlen(r->command),
	    "diagnose debug enable")) {
		sniffed = cli_sniff(r->output, r->outlen);
		if (sniffed == NULL || strcmp(sniffed, "ike-debug") != 0)
			return (NULL);
	}
	return (r->kind);
}

static void
an_parsed(struct json *j, const char *kname, const struct cli_record *r)
{
	const struct kind	*k;
	void			*res;

	json_key(j, "parsed");
	if (kname == NULL || (k = kind_find(kname)) == NULL ||
	    (res = k->parse(r->output, r->outlen)) == NULL) {
		json_null(j);
		return;
	}
	k->report(j, res);
	k->free(res);
}

static void
an_record(struct json *j, struct an_state *st, const struct cli_record *r,
    struct analyze_findings *af)
{
	const char	*vdom, *kname;
	char		*sudo;

	vdom = an_vdom(st, r, &sudo);
	kname = an_kind(st, r);
	json_obj_begin(j);
	json_kstr(j, "prompt", r->prompt);
	json_kstr(j, "hostname", r->hostname);
	json_kstr(j, "vdom", vdom);
	json_kstr(j, "command", r->command);
	json_kstr(j, "kind", kname);
	an_parsed(j, kname, r);
	json_obj_end(j);
	analyze_findings_add(af, kname, r->hostname, vdom, r->command,
	    r->output, r->outlen);
	free(sudo);
	/* The command changes the context of the records after it. */
	if (r->command != NULL)
		an_command(st, r->command);
}

size_t
analyze_transcript_findings(struct json *j, const char *buf, size_t len,
    struct dg_findings *out)
{
	struct cli_transcript	*t;
	struct an_state		 st;
	struct analyze_findings	*af = analyze_findings_new();
	struct dg_findings	 fs;
	size_t			 i, n;

	memset(&st, 0, sizeof(st));
	json_obj_begin(j);
	json_key(j, "records");
	json_arr_begin(j);
	if ((t = cli_transcript_parse(buf, len)) == NULL) {
		/* Out of memory: fatal in src/, as in xmalloc. */
		fprintf(stderr, "fgtop: out of memory reading a transcript\n");
		abort();
	}
	for (i = 0; i < t->nrecs; i++)
		an_record(j, &st, &t->recs[i], af);
	n = t->nrecs;
	json_arr_end(j);
	/* The diagnosis of the whole transcript, most important first. */
	dg_findings_init(&fs);
	analyze_findings_run(af, out != NULL ? out : &fs);
	json_key(j, "findings");
	diagnose_json(j, out != NULL ? out : &fs);
	dg_findings_free(&fs);
	analyze_findings_free(af);
	cli_transcript_free(t);
	free(st.vdom);
	json_obj_end(j);
	return (n);
}

size_t
analyze_transcript(struct json *j, const char *buf, size_t len)
{
	return (analyze_transcript_findings(j, buf, len, NULL));
}
