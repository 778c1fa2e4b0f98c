/*
 * test_json - the JSON writer, escaping of hostile device text included.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"
#include "util.h"

static void
test_document(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_obj_begin(&j);
	json_kstr(&j, "name", "to HQ");
	json_knum(&j, "sa", 1);
	json_knum(&j, "port", PNUM_UNKNOWN);
	json_kstr(&j, "addr", NULL);
	json_kbool(&j, "up", 1);
	json_key(&j, "rtt");
	json_double(&j, 0.4234, 3);
	json_key(&j, "nan");
	json_double(&j, NAN, 3);
	json_kpair(&j, "created", 1, 2);
	json_kpair(&j, "established", PNUM_UNKNOWN, PNUM_UNKNOWN);
	json_key(&j, "list");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\"name\":\"to HQ\",\"sa\":1,\"port\":null,"
	    "\"addr\":null,\"up\":true,\"rtt\":0.423,\"nan\":null,\"created\":[1,2],"
	    "\"established\":null,\"list\":[]}");
	free(s);
}

static void
test_escaping(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_str(&j, "a\"b\\c\x1b[2J\r\n\x7f\xff\xc3\xa9");
	s = json_take(&j);
	/* ESC, CR, LF, DEL and the stray 0xff become \u escapes; é stays. */
	assert_string_equal(s, "\"a\\\"b\\\\c\\u001b[2J\\u000d\\u000a"
	    "\\u007f\\u00ff\xc3\xa9\"");
	free(s);
}

static void
test_pretty(void **state)
{
	struct json	 j;
	char		*s;

	json_init(&j, 1);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_arr_begin(&j);
	json_num(&j, 1);
	json_num(&j, 2);
	json_arr_end(&j);
	json_obj_end(&j);
	s = json_take(&j);
	assert_string_equal(s, "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_pretty),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
