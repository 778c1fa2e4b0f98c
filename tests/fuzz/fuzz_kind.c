/* SPDX-License-Identifier: ISC */
/*
 * fuzz_kind - libFuzzer harness for one parser, chosen at build time with
 * -DFUZZ_KIND="tunnel-list" (or "analyze" for the transcript path, which
 * drives the cli stream layer and then every parser).  The input goes
 * through parse, the JSON report and free, and through the kind's
 * streamed report when it has one, as in `fgtop parse`; the two
 * documents must be the same.  A kind that can be cut is also written on
 * two threads (src/pstream.c), cut at the first record from the middle
 * on: the same document again.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "json.h"
#include "kind.h"
#include "pstream.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct kind	*k;
	struct json		 j, js;
	void			*r;
	size_t			 n = 0, n2, cut;

	json_init(&j, 0);
	if (strcmp(FUZZ_KIND, "analyze") == 0)
		analyze_transcript(&j, (const char *)data, size);
	else {
		if ((k = kind_find(FUZZ_KIND)) == NULL)
			abort();
		if ((r = k->parse((const char *)data, size)) == NULL)
			abort();
		(void)k->count(r);
		k->report(&j, r);
		k->free(r);
		if (k->stream != NULL) {
			json_init(&js, 0);
			if (k->stream(&js, (const char *)data, size, &n) != 0 ||
			    js.len != j.len || memcmp(js.buf, j.buf, j.len) != 0)
				abort();
			json_free(&js);
		}
		cut = pstream_cut(k, (const char *)data, size, size / 2);
		if (cut != 0) {
			json_init(&js, 0);
			if (pstream_run_at(k, &js, (const char *)data, size,
			    cut, &n2) != 0 || n2 != n || js.len != j.len ||
			    memcmp(js.buf, j.buf, j.len) != 0)
				abort();
			json_free(&js);
		}
	}
	json_free(&j);
	return (0);
}
