/*
** escape.h — text made safe for the formats kaohe writes: a CSV field
** (RFC 4180), a JSON string literal, HTML text. The one place every writer
** (output, provenance, explain, report, what-if) takes its escaping from;
** it knows no format's structure beyond one field or string.
*/
#ifndef KAOHE_ESCAPE_H
#define KAOHE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A CSV field: quoted only when it must be (a comma, quote or line break).
** Text that Excel or WPS would take for a formula (it starts with = + - @,
** a tab or a carriage return: OWASP's "CSV injection") gets a single quote
** before it, so a unit named =1+1石岗镇 is shown as text, never computed;
** numbers (-1.50, +2, 80%) are left as they are. */
void csv_cell(FILE *out, const char *s);

/* Whether csv_cell puts a quote before these n bytes. */
bool csv_formula_like(const char *s, size_t n);

/* The same field written into dst, which has room for csv_cell_room(n)
** bytes for a field of n bytes; returns the bytes written (no NUL). */
size_t csv_cell_into(char *dst, const char *s, size_t n);
#define csv_cell_room(n) (2 * (n) + 4)

/* A JSON string literal: quotes, backslash and control characters escaped;
** UTF-8 kept as it is. */
void json_string(FILE *out, const char *s);

/* HTML text or an attribute value: < > & " as entities. NULL writes nothing. */
void html_text(FILE *out, const char *s);

#endif
