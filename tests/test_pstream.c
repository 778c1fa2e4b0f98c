/* SPDX-License-Identifier: ISC */
/*
 * test_pstream - `fgtop parse` on two threads writes the one thread's
 * document, byte for byte.
 *
 * Every real fixture (of every kind, given to every kind: text of the
 * wrong kind is hostile input too), hostile texts built around the
 * tunnel list's record marker, and an input whose second part outgrows
 * the worker's queue, are written by pstream_run_at at every cut
 * pstream_cut finds, indented and compact, and compared with the kind's
 * own stream: the same bytes, the same count, the same result.
 */
#include "config.h"

#define TU_NO_JANSSON	/* writes with src/json.h */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "json.h"
#include "kind.h"
#include "pstream.h"

/* The one thread's document (k->stream) into memory. */
static char *
one(const struct kind *k, const char *buf, size_t len, int pretty,
    size_t *count, int *rc)
{
	struct json	j;

	json_init(&j, pretty);
	*rc = k->stream(&j, buf, len, count);
	return (json_take(&j));
}

static char *
two(const struct kind *k, const char *buf, size_t len, size_t cut,
    int pretty, size_t *count, int *rc)
{
	struct json	j;

	json_init(&j, pretty);
	*rc = pstream_run_at(k, &j, buf, len, cut, count);
	return (json_take(&j));
}

/*
 * Every cut of buf for k, both layouts, against the one thread; the
 * number of cuts tried.
 */
static size_t
every_cut(const struct kind *k, const char *what, const char *buf,
    size_t len)
{
	char	*want, *got;
	size_t	 cut, cuts = 0, n1, n2;
	int	 pretty, rc1, rc2;

	if (k->stream == NULL)
		return (0);
	for (pretty = 0; pretty <= 1; pretty++) {
		want = one(k, buf, len, pretty, &n1, &rc1);
		for (cut = pstream_cut(k, buf, len, 0); cut != 0;
		    cut = pstream_cut(k, buf, len, cut + 1)) {
			got = two(k, buf, len, cut, pretty, &n2, &rc2);
			if (strcmp(got, want) != 0 || n1 != n2 || rc1 != rc2)
				print_error("%s as %s, cut at %zu, %s\n", what,
				    k->name, cut, pretty ? "indented" :
				    "compact");
			assert_string_equal(got, want);
			assert_int_equal(n2, n1);
			assert_int_equal(rc2, rc1);
			free(got);
			cuts += !pretty;
		}
		free(want);
	}
	return (cuts);
}

/* Cuts tried on each tunnel-list fixture: its lines that start with
 * "name=", but at the very start (grep -c '^name=').  */
static const struct {
	const char	*file;
	size_t		 cuts;
} tl_cuts[] = {
	{ "00-walkthrough-jp-blog-by-name-sa0.txt", 1 },
	{ "02-spoke-static-auto-negotiate.txt", 1 },
	{ "04-advpn-hub-children-ads.txt", 3 },
	{ "05-fortios723-by-name-aes-gcm-natt-keepalive.txt", 1 },
	{ "06-fortios723-rekey-sa2-two-sas.txt", 1 },
	{ "07-advpn-spokes-dash4-dialinst-natt.txt", 3 },
	{ "08-vti-hub-aes-gcm-fec.txt", 1 },
	{ "09-get-tunnel-name-fortios723.txt", 0 },
	{ "10-get-tunnel-name-des-dpd-disabled.txt", 0 },
	{ "11-natt-keepalive-vd3-range-selectors.txt", 1 },
	{ "12-natt-silent-peer-behind-nat.txt", 1 },
};

static void
test_fixtures(void **state)
{
	char		 dir[1024], rel[4096];
	DIR		*d, *sub;
	struct dirent	*e, *f;
	char		*buf;
	size_t		 len, i, k, cuts, nfiles = 0, ntl = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/real", TOP_SRCDIR);
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		if ((sub = opendir(rel)) == NULL)
			continue;	/* manifest.json */
		while ((f = readdir(sub)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof(rel), "real/%s/%s", e->d_name,
			    f->d_name);
			buf = tu_fixture(rel, &len);
			for (k = 0; kinds[k] != NULL; k++) {
				cuts = every_cut(kinds[k], rel, buf, len);
				if (kinds[k]->split == NULL)
					assert_int_equal(cuts, 0);
				if (kinds[k] != &kind_tunnel_list ||
				    strcmp(e->d_name, "tunnel-list") != 0)
					continue;
				for (i = 0; i < sizeof(tl_cuts) /
				    sizeof(tl_cuts[0]); i++)
					if (strcmp(tl_cuts[i].file,
					    f->d_name) == 0)
						break;
				if (i == sizeof(tl_cuts) / sizeof(tl_cuts[0]))
					fail_msg("%s: add it to tl_cuts", rel);
				if (cuts != tl_cuts[i].cuts)
					print_error("%s\n", rel);
				assert_int_equal(cuts, tl_cuts[i].cuts);
				ntl++;
			}
			free(buf);
			nfiles++;
		}
		closedir(sub);
	}
	closedir(d);
	assert_int_equal(ntl, sizeof(tl_cuts) / sizeof(tl_cuts[0]));
	tu_assert_cmp(nfiles, >, ntl);
}

/* Text that is hostile to a cut: every line a record, none, CRs, NULs. */
static void
test_hostile(void **state)
{
	static const struct {
		const char	*what;
		const char	*text;
		size_t		 cuts;
	} h[] = {
		/* The fgtop-cli.sh memory test's line: all records of nulls. */
		{ "name=a x5", "name=a\nname=a\nname=a\nname=a\nname=a\n", 4 },
		/* No tunnel before the cut: the worker's comma must go. */
		{ "junk first", "junk\nlist all ipsec tunnel in vd 3\n"
		    "name=b ver=1\nname=c\n", 2 },
		{ "vd after", "name=a\nlist all ipsec tunnel in vd 7\n"
		    "name=b\n", 1 },
		{ "no newline at end", "x\nname=a\nname=", 2 },
		{ "marker alone", "\nname=", 1 },
		{ "CRLF", "name=a ver=1\r\nproxyid_num=1\r\n"
		    "proxyid=p proto=0 sa=1\r\n  SA:  ref=3\r\n"
		    "name=b ver=2\r\nstat: rxp=1 txp=2\r\n", 1 },
		{ "indented and paged", "name=a\n  name=b\n--More--name=c\n"
		    "name=d\n", 1 },
		{ "get form between", "gateway\nname: g1\n"
		    "name=d ver=1\ngateway\nname: g2\nselectors\nSA\n"
		    "name=e\n", 2 },
		{ "SA left open", "name=a\nproxyid=p\n  SA: ref=1\n"
		    "  dec: spi=1 esp=aes key=16 x\nname=b\n"
		    "  dec: spi=2\n  ah=sha1 key=20 y\n", 1 },
		{ "options left open", "name=a options[0228]=npu frag\n"
		    "name=b\n", 1 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		if (every_cut(&kind_tunnel_list, h[i].what, h[i].text,
		    strlen(h[i].text)) != h[i].cuts)
			print_error("%s\n", h[i].what);
		assert_int_equal(every_cut(&kind_tunnel_list, h[i].what,
		    h[i].text, strlen(h[i].text)), h[i].cuts);
	}
}

/* A NUL inside a record, and a cut right after it. */
static void
test_nul(void **state)
{
	static const char	text[] = "name=a\0b ver=1\nname=c\0\nname=d\n";

	(void)state;
	assert_int_equal(every_cut(&kind_tunnel_list, "NULs", text,
	    sizeof(text) - 1), 2);
}

/*
 * An input whose second part makes more JSON than the worker's queue
 * holds (PSTREAM_SLOTS buffers): the worker waits for the writer, and
 * the document is still the one thread's.  Through pstream_run, as
 * `fgtop parse` calls it: the input is above PSTREAM_MIN.
 */
static void
test_queue_full(void **state)
{
	char	*tunnel, *buf, *want, *got;
	size_t	 tlen, len, i, n, n1, n2, cut;
	int	 rc1, rc2;
	struct json j;

	(void)state;
	tunnel = tu_fixture("real/tunnel-list/02-spoke-static-auto-"
	    "negotiate.txt", &tlen);
	n = 12 * PSTREAM_MIN / tlen;	/* indented, 2.3 times as much */
	buf = malloc(n * tlen);
	assert_non_null(buf);
	for (i = 0, len = 0; i < n; i++, len += tlen)
		memcpy(buf + len, tunnel, tlen);
	tu_assert_cmp(len, >=, PSTREAM_MIN);
	want = one(&kind_tunnel_list, buf, len, 1, &n1, &rc1);
	/* More than the queue holds, after any cut in the first half. */
	tu_assert_in_range(strlen(want) / 2, (size_t)PSTREAM_SLOTS * JSON_BUFSIZE
	    + 1, 2 * (size_t)PSTREAM_SLOTS * JSON_BUFSIZE);
	assert_int_equal(n1, n);
	cut = pstream_cut(&kind_tunnel_list, buf, len, len / 10);
	tu_assert_cmp(cut, >, 0);
	got = two(&kind_tunnel_list, buf, len, cut, 1, &n2, &rc2);
	assert_string_equal(got, want);
	assert_int_equal(n2, n1);
	assert_int_equal(rc2, rc1);
	free(got);
	unsetenv("FGTOP_PARSE_THREADS");
	json_init(&j, 1);
	assert_int_equal(pstream_run(&kind_tunnel_list, &j, buf, len, &n2),
	    0);
	got = json_take(&j);
	assert_string_equal(got, want);
	assert_int_equal(n2, n);
	free(got);
	free(want);
	free(buf);
	free(tunnel);
}

/* The kinds that cannot be cut are never cut. */
static void
test_no_split(void **state)
{
	static const char	text[] = "x\nname=a\nname=b\n";
	size_t			k;

	(void)state;
	for (k = 0; kinds[k] != NULL; k++) {
		if (kinds[k]->split != NULL)
			continue;
		assert_int_equal(pstream_cut(kinds[k], text, sizeof(text) - 1,
		    0), 0);
	}
	assert_int_equal(pstream_cut(&kind_tunnel_list, text,
	    sizeof(text) - 1, 0), 2);
	assert_int_equal(pstream_cut(&kind_tunnel_list, text,
	    sizeof(text) - 1, 3), 9);
	assert_int_equal(pstream_cut(&kind_tunnel_list, text,
	    sizeof(text) - 1, 10), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test(test_no_split),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
