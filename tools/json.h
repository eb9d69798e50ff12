/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Writing JSON: strings are escaped and always valid UTF-8. */
#ifndef TCPSTATECTL_JSON_H
#define TCPSTATECTL_JSON_H

#include <stdio.h>

/* Write @s as a JSON string literal, quotes included. Control characters
 * are escaped; bytes that are not valid UTF-8 become U+FFFD.
 */
void json_str(FILE *out, const char *s);

#endif
