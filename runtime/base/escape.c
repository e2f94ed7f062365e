/*
** escape.c — the escapers of every output format (escape.h). Each writes
** one field or string; which fields there are is the writer's business.
*/
#include <stdbool.h>
#include <string.h>

#include "escape.h"

static size_t csv_field_into(char *dst, const char *s, size_t n);

/* A number as kaohe writes one (-1.50, +2, 3.5%): left as it is. */
static bool is_number(const char *s, size_t n)
{
    size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0, digits = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) digits++;
    if (i < n && s[i] == '%') i++;
    return digits > 0 && i == n;
}

bool csv_formula_like(const char *s, size_t n)
{
    return n && strchr("=+-@\t\r", s[0]) && s[0] && !is_number(s, n);
}

size_t csv_cell_into(char *dst, const char *s, size_t n)
{
    if (csv_formula_like(s, n)) {
        dst[0] = '\'';
        return 1 + csv_field_into(dst + 1, s, n);
    }
    return csv_field_into(dst, s, n);
}

static size_t csv_field_into(char *dst, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) && !memchr(s, '\n', n)) {
        memcpy(dst, s, n);
        return n;
    }
    size_t k = 0;
    dst[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') dst[k++] = '"';
        dst[k++] = s[i];
    }
    dst[k++] = '"';
    return k;
}

void csv_cell(FILE *out, const char *s)
{
    if (csv_formula_like(s, strlen(s))) fputc('\'', out);
    if (strpbrk(s, ",\"\r\n") == NULL) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        switch (*u) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*u < 0x20) fprintf(out, "\\u%04x", *u);
            else fputc(*u, out);
        }
    }
    fputc('"', out);
}

void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}
