/* SPDX-License-Identifier: ISC */
/*
 * test_manifest - every real fixture against what
 * tests/fixtures/real/manifest.json says it holds.
 *
 * The expectations are read from the manifest itself (with jansson), not
 * copied into C: adding a fixture is adding its file and its manifest
 * entry.  Each entry's file is parsed with the kind named by its
 * directory, the report is decoded, and each "expect" key is compared,
 * parsed, with the report: most keys name a report field and compare
 * as a subset (objects: the keys given; arrays: same length, element by
 * element; numbers: equal within 1e-9; "nFOO" where the report has an
 * array "FOO": its length).  A few keys are derived (a
 * count, the n-th packet, "TYPE PREFIX" strings); they are listed in
 * mf_derived.  A key the test does not know fails, so no expectation is
 * ever skipped silently.  A failure names the fixture and the field.
 *
 * Three directories are not output kinds: prompts-paging (transcripts,
 * checked here through cli_transcript_parse), vdom-list (the engine's
 * VDOM discovery, through vdom_list_parse) and ike-debug-labelled
 * (verdicts for the diagnosis rules, which test the diagnosis engine;
 * only the kind's parse is checked for them here).  Every file in
 * tests/fixtures/real must have its entry, but for the labelled IKE
 * debug excerpts 26-36, whose verdicts and sources are still only in
 * test_diagnose's table.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cli.h"
#include "sniffer.h"
#include "vdom_list.h"

#define MF_PATH	512

struct mf {
	const char	*file;		/* the fixture, for messages */
	const char	*kind;
	json_t		*doc;		/* the decoded report */
	const char	*text;		/* the fixture's text */
	size_t		 len;
	int		 checked;	/* expect keys compared */
};

static void	mf_match(struct mf *, const char *, json_t *, json_t *);

static char *
mf_dump(json_t *v)
{
	char	*s;

	if (v == NULL)
		return (strdup("(missing)"));
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	return (s != NULL ? s : strdup("?"));
}

static void
mf_fail(struct mf *m, const char *path, json_t *got, json_t *want)
{
	char	*g = mf_dump(got), *w = mf_dump(want);

	fail_msg("%s: %s: got %s, want %s", m->file, path, g, w);
}

/* want matches got: the subset rules above. */
static void
mf_match(struct mf *m, const char *path, json_t *got, json_t *want)
{
	char		 sub[MF_PATH];
	const char	*key;
	json_t		*w, *g;
	size_t		 i;

	m->checked++;
	if (json_is_object(want)) {
		if (!json_is_object(got))
			mf_fail(m, path, got, want);
		json_object_foreach(want, key, w) {
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			g = json_object_get(got, key);
			/* "nsas": the length of the report's "sas". */
			if (g == NULL && key[0] == 'n' &&
			    json_is_array(json_object_get(got, key + 1))) {
				g = json_integer((json_int_t)json_array_size(
				    json_object_get(got, key + 1)));
				mf_match(m, sub, g, w);
				json_decref(g);
				continue;
			}
			mf_match(m, sub, g, w);
		}
	} else if (json_is_array(want)) {
		if (!json_is_array(got) ||
		    json_array_size(got) != json_array_size(want))
			mf_fail(m, path, got, want);
		json_array_foreach(want, i, w) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			mf_match(m, sub, json_array_get(got, i), w);
		}
	} else if (json_is_number(want)) {
		if (!json_is_number(got) || json_number_value(got) -
		    json_number_value(want) > 1e-9 || json_number_value(want) -
		    json_number_value(got) > 1e-9)
			mf_fail(m, path, got, want);
	} else if (got == NULL || !json_equal(got, want))
		mf_fail(m, path, got, want);
}

/* The n-th element of an array, n < 0 counting from the end. */
static json_t *
mf_nth(json_t *arr, long n)
{
	size_t	size = json_array_size(arr);

	if (n < 0)
		n += (long)size;
	return (n < 0 ? NULL : json_array_get(arr, (size_t)n));
}

/* sniffer: counts, the n-th packet, and a packet named by its index. */
static int
mf_sniffer(struct mf *m, const char *key, json_t *want)
{
	static const struct {
		const char	*key;
		long		 n;
	} nth[] = {
		{ "first", 0 }, { "second", 1 }, { "third", 2 },
		{ "sixth", 5 }, { "last", -1 },
	};
	json_t			*pk = json_object_get(m->doc, "packets");
	json_t			*p, *w, *copy;
	struct sniffer		*r;
	size_t			 i, esp = 0;
	char			 path[MF_PATH];

	snprintf(path, sizeof(path), "expect.%s", key);
	for (i = 0; i < sizeof(nth) / sizeof(nth[0]); i++) {
		if (strcmp(key, nth[i].key) == 0) {
			mf_match(m, path, mf_nth(pk, nth[i].n), want);
			return (1);
		}
	}
	if (strcmp(key, "packets") == 0) {
		p = json_integer((json_int_t)json_array_size(pk));
		mf_match(m, path, p, want);
		json_decref(p);
		return (1);
	}
	if (strcmp(key, "esp_packets") == 0) {
		w = json_string("esp");
		json_array_foreach(pk, i, p)
			esp += json_equal(json_object_get(p, "proto"), w);
		json_decref(w);
		p = json_integer((json_int_t)esp);
		mf_match(m, path, p, want);
		json_decref(p);
		return (1);
	}
	if (strcmp(key, "hex_lines") == 0) {
		/* Skipped lines are counted, not reported. */
		r = sniffer_parse(m->text, m->len);
		assert_non_null(r);
		p = json_integer((json_int_t)r->nhex);
		sniffer_free(r);
		mf_match(m, path, p, want);
		json_decref(p);
		return (1);
	}
	if (strncmp(key, "arp_", 4) == 0) {
		/* {"index": N, fields...}: packet N has the fields. */
		copy = json_deep_copy(want);
		p = mf_nth(pk, (long)json_integer_value(json_object_get(want,
		    "index")));
		json_object_del(copy, "index");
		mf_match(m, path, p, copy);
		json_decref(copy);
		return (1);
	}
	return (0);
}

/* traceroute: the hop count, and the hops themselves as hop_list. */
static int
mf_traceroute(struct mf *m, const char *key, json_t *want)
{
	json_t	*hops = json_object_get(m->doc, "hops"), *n;

	if (strcmp(key, "hops") == 0) {
		n = json_integer((json_int_t)json_array_size(hops));
		mf_match(m, "expect.hops", n, want);
		json_decref(n);
		return (1);
	}
	if (strcmp(key, "hop_list") == 0) {
		mf_match(m, "expect.hop_list", hops, want);
		return (1);
	}
	return (0);
}

/* routing-table: the route count; "TYPE [SUBTYPE ]PREFIX" in order. */
static int
mf_routing_table(struct mf *m, const char *key, json_t *want)
{
	json_t		*routes = json_object_get(m->doc, "routes"), *r, *w, *n;
	json_t		*sub;
	char		 s[128];
	size_t		 i, at = 0, wi;

	if (strcmp(key, "routes") == 0) {
		n = json_integer((json_int_t)json_array_size(routes));
		mf_match(m, "expect.routes", n, want);
		json_decref(n);
		return (1);
	}
	if (strcmp(key, "prefixes") != 0)
		return (0);
	/* Each one, in this order, among the routes. */
	json_array_foreach(want, wi, w) {
		m->checked++;
		for (i = at; i < json_array_size(routes); i++) {
			r = json_array_get(routes, i);
			sub = json_object_get(r, "subtype");
			snprintf(s, sizeof(s), "%s %s%s%s", json_string_value(
			    json_object_get(r, "type")), json_is_string(sub) ?
			    json_string_value(sub) : "", json_is_string(sub) ?
			    " " : "", json_string_value(json_object_get(r,
			    "prefix")));
			if (strcmp(s, json_string_value(w)) == 0)
				break;
		}
		if (i == json_array_size(routes))
			fail_msg("%s: expect.prefixes[%zu]: no route \"%s\" "
			    "(in order) in the report", m->file, wi,
			    json_string_value(w));
		at = i + 1;
	}
	return (1);
}

/* ike-debug: each event wanted, in order, with its evidence in text. */
static int
mf_ike_debug(struct mf *m, const char *key, json_t *want)
{
	json_t		*evs = json_object_get(m->doc, "events"), *e, *w;
	const char	*text, *ev;
	size_t		 i, at = 0, wi;

	if (strcmp(key, "events") != 0)
		return (0);
	json_array_foreach(want, wi, w) {
		m->checked++;
		ev = json_string_value(json_object_get(w, "evidence"));
		for (i = at; i < json_array_size(evs); i++) {
			e = json_array_get(evs, i);
			text = json_string_value(json_object_get(e, "text"));
			if (json_equal(json_object_get(e, "kind"),
			    json_object_get(w, "kind")) &&
			    json_equal(json_object_get(e, "gateway"),
			    json_object_get(w, "gateway")) &&
			    text != NULL && ev != NULL &&
			    strstr(text, ev) != NULL)
				break;
		}
		if (i == json_array_size(evs))
			fail_msg("%s: expect.events[%zu]: no %s event for %s "
			    "with \"%s\"", m->file, wi, json_string_value(
			    json_object_get(w, "kind")), json_string_value(
			    json_object_get(w, "gateway")), ev);
		at = i + 1;
	}
	return (1);
}

/* prompts-paging: the transcript split, not an output kind. */
static void
mf_transcript(struct mf *m, json_t *expect)
{
	struct cli_transcript	*t;
	const char		*key;
	json_t			*w, *got = NULL, *a;
	size_t			 i;
	char			 path[MF_PATH];

	t = cli_transcript_parse(m->text, m->len);
	assert_non_null(t);
	json_object_foreach(expect, key, w) {
		snprintf(path, sizeof(path), "expect.%s", key);
		if (strcmp(key, "prompts") == 0) {
			got = json_array();
			for (i = 0; i < t->nprompts; i++)
				json_array_append_new(got,
				    json_string(t->prompts[i]));
		} else if (strcmp(key, "pager_seen") == 0)
			got = json_boolean(t->pager > 0);
		else if (strcmp(key, "hostname") == 0 ||
		    strcmp(key, "vdom") == 0) {
			/* Of the first record with a prompt. */
			got = json_pack("n");	/* not json_null(): see testutil.h */
			for (i = 0; i < t->nrecs; i++) {
				if (t->recs[i].prompt == NULL)
					continue;
				a = json_string(strcmp(key, "vdom") == 0 ?
				    t->recs[i].vdom : t->recs[i].hostname);
				if (a != NULL) {
					json_decref(got);
					got = a;
				}
				break;
			}
		} else if (strcmp(key, "records") == 0) {
			got = json_array();
			for (i = 0; i < t->nrecs; i++) {
				a = json_object();
				json_object_set_new(a, "command",
				    t->recs[i].command != NULL ?
				    json_string(t->recs[i].command) :
				    json_pack("n"));
				json_object_set_new(a, "kind",
				    t->recs[i].kind != NULL ?
				    json_string(t->recs[i].kind) :
				    json_pack("n"));
				/* The VDOM it ran in, as analyze says. */
				json_object_set_new(a, "vdom",
				    t->recs[i].session_vdom != NULL ?
				    json_string(t->recs[i].session_vdom) :
				    json_pack("n"));
				json_array_append_new(got, a);
			}
		} else
			fail_msg("%s: expect.%s: the test does not know this "
			    "key", m->file, key);
		mf_match(m, path, got, w);
		json_decref(got);
	}
	cli_transcript_free(t);
}

/* vdom-list: what the engine learns before it enters any VDOM. */
static void
mf_vdom_list(struct mf *m, json_t *expect)
{
	struct vdom_list	*v;
	const char		*key;
	json_t			*w, *got = NULL;
	size_t			 i;

	v = vdom_list_parse(m->text, m->len);
	assert_non_null(v);
	json_object_foreach(expect, key, w) {
		if (strcmp(key, "names") == 0) {
			got = json_array();
			for (i = 0; i < v->n; i++)
				json_array_append_new(got,
				    json_string(v->names[i]));
		} else if (strcmp(key, "internal") == 0)
			got = json_integer((json_int_t)v->internal);
		else
			fail_msg("%s: expect.%s: unknown for vdom-list",
			    m->file, key);
		mf_match(m, key, got, w);
		json_decref(got);
	}
	if (m->checked == 0)
		fail_msg("%s: nothing compared", m->file);
	vdom_list_free(v);
}

static void
mf_entry(json_t *entry)
{
	static const struct {
		const char	*dir;
		const char	*kind;
		int		(*derived)(struct mf *, const char *, json_t *);
	} dirs[] = {
		{ "tunnel-summary", "tunnel-summary", NULL },
		{ "ike-gateway-list", "ike-gateway-list", NULL },
		{ "tunnel-list", "tunnel-list", NULL },
		{ "ike-debug", "ike-debug", mf_ike_debug },
		{ "ike-debug-labelled", "ike-debug", NULL },
		{ "sniffer", "sniffer", mf_sniffer },
		{ "traceroute", "traceroute", mf_traceroute },
		{ "routing-table", "routing-table", mf_routing_table },
		{ "system-status", "system-status", NULL },
		{ "prompts-paging", NULL, NULL },
		{ "vdom-list", NULL, NULL },
	};
	const struct kind	*k = NULL;
	struct mf		 m;
	const char		*file, *key, *slash;
	json_t			*expect, *w;
	char			 rel[MF_PATH], path[MF_PATH], *buf;
	size_t			 i, len;

	file = json_string_value(json_object_get(entry, "file"));
	assert_non_null(file);
	slash = strchr(file, '/');
	assert_non_null(slash);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (strlen(dirs[i].dir) == (size_t)(slash - file) &&
		    strncmp(file, dirs[i].dir, slash - file) == 0)
			break;
	}
	if (i == sizeof(dirs) / sizeof(dirs[0]))
		fail_msg("%s: no kind for its directory", file);
	snprintf(rel, sizeof(rel), "real/%s", file);
	buf = tu_fixture(rel, &len);
	memset(&m, 0, sizeof(m));
	m.file = file;
	m.text = buf;
	m.len = len;
	expect = json_object_get(entry, "expect");
	if (dirs[i].kind == NULL) {
		if (strcmp(dirs[i].dir, "vdom-list") == 0)
			mf_vdom_list(&m, expect);
		else
			mf_transcript(&m, expect);
		free(buf);
		return;
	}
	k = kind_find(dirs[i].kind);
	assert_non_null(k);
	m.kind = k->name;
	m.doc = tu_report_json(k, buf, len);
	/* The labelled verdicts belong to the diagnosis tests. */
	if (strcmp(dirs[i].dir, "ike-debug-labelled") != 0) {
		json_object_foreach(expect, key, w) {
			if (dirs[i].derived != NULL &&
			    dirs[i].derived(&m, key, w))
				continue;
			snprintf(path, sizeof(path), "expect.%s", key);
			if (json_object_get(m.doc, key) == NULL)
				fail_msg("%s: %s: the %s report has no such "
				    "field and the test does not derive it",
				    file, path, k->name);
			mf_match(&m, path, json_object_get(m.doc, key), w);
		}
		if (json_object_size(expect) > 0 && m.checked == 0)
			fail_msg("%s: nothing compared", file);
	}
	json_decref(m.doc);
	free(buf);
}

/*
 * Every fixture file has its entry: none is carried untested.  The
 * labelled excerpts are the exception above (test_diagnose has them).
 */
static void
mf_all_listed(json_t *man)
{
	char		 top[4096], dir[4608], rel[MF_PATH];
	DIR		*dp, *sub;
	struct dirent	*d, *f;
	json_t		*e;
	size_t		 i, nfiles = 0;
	int		 found;

	snprintf(top, sizeof(top), "%s/tests/fixtures/real", TOP_SRCDIR);
	if ((dp = opendir(top)) == NULL)
		fail_msg("%s: cannot open", top);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", top, d->d_name);
		if (strcmp(d->d_name, "ike-debug-labelled") == 0 ||
		    (sub = opendir(dir)) == NULL)
			continue;	/* manifest.json itself */
		while ((f = readdir(sub)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", d->d_name,
			    f->d_name);
			found = 0;
			json_array_foreach(man, i, e)
				found |= strcmp(json_string_value(
				    json_object_get(e, "file")), rel) == 0;
			if (!found)
				fail_msg("%s: no entry in manifest.json", rel);
			nfiles++;
		}
		closedir(sub);
	}
	closedir(dp);
	tu_assert_cmp(nfiles, >=, 60);
}

static void
test_manifest(void **state)
{
	char	 path[4096];
	json_t	*man, *e;
	json_error_t err;
	size_t	 i;

	snprintf(path, sizeof(path), "%s/tests/fixtures/real/manifest.json",
	    TOP_SRCDIR);
	if ((man = json_load_file(path, 0, &err)) == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	assert_true(json_is_array(man));
	/* All of it, not an empty walk. */
	if (json_array_size(man) < 70)
		fail_msg("manifest: %zu entries", json_array_size(man));
	json_array_foreach(man, i, e)
		mf_entry(e);
	mf_all_listed(man);
	json_decref(man);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
