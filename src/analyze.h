/*
 * analyze - read a pasted CLI transcript into parsed records.
 * (placeholder: being written)
 */
#ifndef ANALYZE_H
#define ANALYZE_H

#include <stddef.h>

struct json;

/* Write {"records": [...]} for the transcript; returns records found. */
size_t	analyze_transcript(struct json *, const char *, size_t);

#endif
