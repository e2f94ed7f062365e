/*
** csv.c — fuzz harness for the CSV reader: any bytes as a data file, read
** in each encoding mode. Two checks. The same file read through buffers of
** several sizes (so every buffer boundary falls somewhere inside a record)
** gives the same records and the same messages. And in UTF-8 mode the
** records equal those of a plain reference reader written from RFC 4180
** and csv.h's contract, which knows nothing of the fast scanner.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"

/* Every record as text: row, line, each field's length and bytes; then the
** final status and the messages. */
static char *read_all(const uint8_t *data, size_t size, CsvEncoding enc, size_t bufsize)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    FUZZ_ASSERT(out != NULL);
    csv_set_buffer_size(bufsize);
    fuzz_begin();
    CsvReader *r = csv_open_mem("fuzz.csv", (const char *)data, size, enc);
    int rc = -1;
    long row = 0;
    if (r) {
        CsvRecord rec;
        while ((rc = csv_next(r, &rec)) == 1) {
            FUZZ_ASSERT(rec.row == ++row);
            FUZZ_ASSERT(rec.nfields >= 1 && rec.nfields <= CSV_MAX_COLUMNS);
            fprintf(out, "%ld@%ld:", rec.row, rec.line);
            for (size_t k = 0; k < rec.nfields; k++) {
                const CsvField *f = &rec.fields[k];
                FUZZ_ASSERT(f->text[f->len] == '\0' && strlen(f->text) == f->len);
                fprintf(out, "[%zu]", f->len);
                fwrite(f->text, 1, f->len, out);
            }
            fputc('\n', out);
        }
        csv_close(r);
    }
    csv_set_buffer_size(0);
    const char *msgs = fuzz_end();
    fuzz_check_messages(msgs, rc < 0);
    fprintf(out, "rc=%d\n%s", rc, msgs);
    FUZZ_ASSERT(fclose(out) == 0);
    return text;
}

/* ---- the reference reader ---------------------------------------------------
** UTF-8 input without NUL bytes (the caller checks): a BOM is skipped; LF,
** CR and CRLF end a record (inside quotes they are kept, and counted as
** lines); "" inside quotes is a quote; after a closing quote only a comma,
** a line end or the end may follow; a quote elsewhere is an ordinary byte.
** Returns the records in read_all's form up to "rc=", or NULL where the
** reader must fail. */
static char *reference(const uint8_t *s, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    FUZZ_ASSERT(out != NULL);
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    long row = 0, line = 1;
    char *field = malloc(n + 1);
    size_t *lens = malloc((n + 2) * sizeof *lens);
    char **texts = malloc((n + 2) * sizeof *texts);
    char *pool = malloc(n + 1);
    FUZZ_ASSERT(field && lens && texts && pool);
    bool ok = true;
    while (ok && i < n) {
        long start_line = line;
        size_t nf = 0, used = 0;
        for (;;) {                                    /* one field per turn */
            size_t fl = 0;
            if (i < n && s[i] == '"') {
                i++;
                for (;;) {
                    if (i == n) { ok = false; break; }           /* unclosed quote */
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') { field[fl++] = '"'; i += 2; continue; }
                        i++;
                        break;
                    }
                    if (s[i] == '\r' || (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))) line++;
                    field[fl++] = (char)s[i++];
                }
                if (ok && i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') ok = false;
            } else {
                while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') field[fl++] = (char)s[i++];
            }
            if (!ok) break;
            memcpy(pool + used, field, fl);
            texts[nf] = pool + used;
            lens[nf++] = fl;
            used += fl;
            if (i < n && s[i] == ',') { i++; continue; }
            break;
        }
        if (!ok) break;
        if (nf > CSV_MAX_COLUMNS) { ok = false; break; }
        if (i < n) {                                  /* the line end */
            line++;
            if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') i++;
            i++;
        }
        fprintf(out, "%ld@%ld:", ++row, start_line);
        for (size_t k = 0; k < nf; k++) {
            fprintf(out, "[%zu]", lens[k]);
            fwrite(texts[k], 1, lens[k], out);
        }
        fputc('\n', out);
    }
    fprintf(out, "rc=%d\n", ok ? 0 : -1);
    FUZZ_ASSERT(fclose(out) == 0);
    free(field);
    free(lens);
    free(texts);
    free(pool);
    return text;
}

static bool utf8_without_nul(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        if (c == 0) return false;
        if (c < 0x80) { i++; continue; }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 2;
        else if (c >= 0xE0 && c <= 0xEF) need = 3;
        else if (c >= 0xF0 && c <= 0xF4) need = 4;
        else return false;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        if (i + need > n) return false;
        if (s[i + 1] < lo || s[i + 1] > hi) return false;
        for (size_t k = 2; k < need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return false;
        i += need;
    }
    return true;
}

int fuzz_csv(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_input(data, size);
    static const CsvEncoding encs[] = { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030 };
    static const size_t sizes[] = { 16, 23, 100 };
    for (size_t e = 0; e < sizeof encs / sizeof encs[0]; e++) {
        char *whole = read_all(data, size, encs[e], 0);
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            char *pieces = read_all(data, size, encs[e], sizes[k]);
            if (strcmp(whole, pieces) != 0) {
                fprintf(stderr, "--- default buffer\n%s--- buffer of %zu\n%s", whole, sizes[k], pieces);
                FUZZ_ASSERT(!"the buffer size changes what is read");
            }
            free(pieces);
        }
        if (encs[e] == CSV_ENC_UTF8) {
            bool readable = utf8_without_nul(data, size);
            char *want = readable ? reference(data, size) : NULL;
            if (!readable) {
                FUZZ_ASSERT(strstr(whole, "rc=-1\n") != NULL);
            } else if (strstr(want, "rc=-1\n")) {
                FUZZ_ASSERT(strstr(whole, "rc=-1\n") != NULL);
            } else if (strncmp(whole, want, strlen(want)) != 0) {
                fprintf(stderr, "--- reference\n%s--- reader\n%s", want, whole);
                FUZZ_ASSERT(!"the reader and the reference disagree");
            }
            free(want);
        }
        free(whole);
    }
    return 0;
}
