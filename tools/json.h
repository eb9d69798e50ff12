/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Writing JSON: strings are escaped and always valid UTF-8. */
#ifndef TCPSTATECTL_JSON_H
#define TCPSTATECTL_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Write @s as a JSON string literal, quotes included. Control characters
 * are escaped; bytes that are not valid UTF-8 become U+FFFD.
 */
void json_str(FILE *out, const char *s);

/*
 * The same into a buffer: writes at most @cap bytes at @p (a string too
 * long is cut at a character boundary, still quoted) and returns the end.
 */
char *json_str_buf(char *p, size_t cap, const char *s);

/*
 * Length of the valid UTF-8 sequence at @p (1 to 4), or 0 if it is not one
 * (overlong forms, surrogates and code points past U+10FFFF are invalid).
 */
int json_utf8_len(const unsigned char *p);

#endif
