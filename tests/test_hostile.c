/* SPDX-License-Identifier: ISC */
/*
 * test_hostile - device text is untrusted in every output, not only on
 * screen.  Every real fixture, with a hostile payload (an OSC title
 * change, encoded and raw C1 CSI, ESC [2J, DEL, SOH, NUL) put in place
 * of every letter 'a', goes through every kind's parser and report and
 * through analyze; each document is decoded with a real JSON decoder
 * (jansson, as `jq -r` would) and no key or string may hold a C0 or C1
 * control.  Two fields are checked for the exact visible form.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* No blanks: it must stay inside the word it replaces a letter of. */
static const char hostile[] = "\x1b]0;pwn\x07" "b\xc2\x9b" "31mc\x9b"
    "2Jd\x1b[2J\x7f\x01" "e\0f";
#define HOSTILE_LEN	(sizeof(hostile) - 1)

/* What a decoder must yield for it: the bytes as visible text. */
static const char hostile_seen[] = "\\x1b]0;pwn\\x07b\\xc2\\x9b31mc\\x9b"
    "2Jd\\x1b[2J\\x7f\\x01e\\x00f";

/* text with every 'a' replaced by the payload; caller frees. */
static char *
poison(const char *text, size_t len, size_t *outlen)
{
	char	*out, *o;
	size_t	 i;

	out = malloc(len * HOSTILE_LEN + 1);
	assert_non_null(out);
	for (i = 0, o = out; i < len; i++) {
		if (text[i] == 'a') {
			memcpy(o, hostile, HOSTILE_LEN);
			o += HOSTILE_LEN;
		} else
			*o++ = text[i];
	}
	*outlen = o - out;
	return (out);
}

static void
check_text(const char *what, const char *text, size_t len)
{
	char		 name[5000];
	char		*s;
	json_t		*v;
	size_t		 i;

	for (i = 0; kinds[i] != NULL; i++) {
		snprintf(name, sizeof(name), "%s as %s", what, kinds[i]->name);
		v = tu_report_json(kinds[i], text, len);
		tu_no_controls(v, name);
		json_decref(v);
	}
	s = tu_analyze(text, len, NULL);
	snprintf(name, sizeof(name), "%s through analyze", what);
	v = tu_json(s, name);
	tu_no_controls(v, name);
	json_decref(v);
	free(s);
}

static void
test_fixtures(void **state)
{
	char		 dirpath[4096], rel[4400], what[4500];
	DIR		*top, *d;
	struct dirent	*kd, *fd;
	char		*buf, *bad;
	size_t		 len, blen, files = 0;

	snprintf(dirpath, sizeof(dirpath), "%s/tests/fixtures/real",
	    TOP_SRCDIR);
	top = opendir(dirpath);
	assert_non_null(top);
	while ((kd = readdir(top)) != NULL) {
		if (kd->d_name[0] == '.' || strchr(kd->d_name, '.') != NULL)
			continue;
		snprintf(dirpath, sizeof(dirpath), "%s/tests/fixtures/real/%s",
		    TOP_SRCDIR, kd->d_name);
		if ((d = opendir(dirpath)) == NULL)
			continue;
		while ((fd = readdir(d)) != NULL) {
			if (fd->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof(rel), "real/%s/%s", kd->d_name,
			    fd->d_name);
			buf = tu_fixture(rel, &len);
			bad = poison(buf, len, &blen);
			snprintf(what, sizeof(what), "%s (poisoned)", rel);
			check_text(what, bad, blen);
			free(bad);
			free(buf);
			files++;
		}
		closedir(d);
	}
	closedir(top);
	/* The walk found the fixtures: 90-odd files, not none. */
	if (files < 50)
		fail_msg("only %zu fixture files found", files);
}

/* The exact visible form in two fields a report copies from the device. */
static void
test_visible_form(void **state)
{
	char	 in[512];
	json_t	*v;
	int	 n;

	n = snprintf(in, sizeof(in), "'");
	memcpy(in + n, hostile, HOSTILE_LEN);
	n += HOSTILE_LEN;
	n += snprintf(in + n, sizeof(in) - n, "' 1.2.3.4:0  "
	    "selectors(total,up): 1/1  rx(pkt,err): 5/0  tx(pkt,err): 6/0\n");
	v = tu_report_json(&kind_tunnel_summary, in, n);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(v, "tunnels"), 0), "name")), hostile_seen);
	json_decref(v);

	n = snprintf(in, sizeof(in), "vd: root/0\nname: ");
	memcpy(in + n, hostile, HOSTILE_LEN);
	n += HOSTILE_LEN;
	n += snprintf(in + n, sizeof(in) - n, "\nversion: 2\n");
	v = tu_report_json(&kind_ike_gateway_list, in, n);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(v, "gateways"), 0), "name")), hostile_seen);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible_form),
		cmocka_unit_test(test_fixtures),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
