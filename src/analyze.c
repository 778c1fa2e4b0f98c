/*
 * analyze - read a pasted CLI transcript.  (placeholder: being written)
 */
#include "config.h"

#include "analyze.h"
#include "json.h"

size_t
analyze_transcript(struct json *j, const char *buf, size_t len)
{
	json_obj_begin(j);
	json_key(j, "records");
	json_arr_begin(j);
	json_arr_end(j);
	json_obj_end(j);
	return (0);
}
