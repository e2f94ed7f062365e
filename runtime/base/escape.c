/*
** escape.c — the escapers of every output format (escape.h). Each writes
** one field or string; which fields there are is the writer's business.
*/
#include <string.h>

#include "escape.h"

size_t csv_cell_into(char *dst, const char *s, size_t n)
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
