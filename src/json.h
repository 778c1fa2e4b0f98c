/*
 * json - a small JSON writer into a growable buffer.
 *
 * The writer tracks commas itself, so reports read like the document they
 * build.  Strings are escaped completely: control characters, escape
 * sequences and invalid UTF-8 from the device can never reach whoever
 * reads the output raw.  PNUM_UNKNOWN numbers and NULL strings are written
 * as null.
 *
 * Ownership: struct json owns buf; json_free releases it.  json_take hands
 * the NUL-terminated text to the caller, who frees it.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAXDEPTH	64

struct json {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	int		 depth;
	int		 pretty;
	unsigned char	 first[JSON_MAXDEPTH];	/* no element yet at level */
	int		 after_key;
};

void	 json_init(struct json *, int pretty);
void	 json_free(struct json *);
char	*json_take(struct json *);

void	 json_obj_begin(struct json *);
void	 json_obj_end(struct json *);
void	 json_arr_begin(struct json *);
void	 json_arr_end(struct json *);
void	 json_key(struct json *, const char *);

void	 json_str(struct json *, const char *);		/* NULL -> null */
void	 json_strn(struct json *, const char *, size_t);
void	 json_num(struct json *, int64_t);		/* unknown -> null */
void	 json_bool(struct json *, int);			/* < 0 -> null */
/* A fixed-point number with the given decimals; NaN or inf -> null. */
void	 json_double(struct json *, double, int);
void	 json_null(struct json *);

/* Key and value in one call. */
void	 json_kstr(struct json *, const char *, const char *);
void	 json_knum(struct json *, const char *, int64_t);
void	 json_kbool(struct json *, const char *, int);
/* A pair of numbers as printed, [a, b]; null when a is unknown. */
void	 json_kpair(struct json *, const char *, int64_t, int64_t);

#endif
