/*
** csv_read.c — the scanner: cuts RFC 4180 records out of the decoded text
** in place (quotes, doubled quotes, embedded line breaks, LF, CR and CRLF),
** asking csv_decode.c for more text at the buffer's end, and reports every
** malformation and every passed limit with its position.
*/
#include "csv_reader.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- the scanner ----------------------------------------------------------------*/

/* The first byte at or after b[i] that is `stop`, LF, CR or NUL. NUL is the
** sentinel at buf[end] as well as a byte no CSV may hold, so the search
** always ends by buf[end]. With SSE2 it tests 16 bytes at once, which also
** spares a mispredicted loop exit per short field; it may read up to 15
** bytes past the sentinel, which is why the buffer carries PAD zero bytes. */
static inline size_t scan_to(const unsigned char *b, size_t i, unsigned char stop)
{
#ifdef __SSE2__
    const __m128i vs = _mm_set1_epi8((char)stop), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r'), nul = _mm_setzero_si128();
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vs), _mm_cmpeq_epi8(v, lf)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, nul)));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#else
    while (b[i] != stop && b[i] != '\n' && b[i] != '\r' && b[i] != 0)
        i++;
    return i;
#endif
}

#ifdef __SSE2__
/* Bit k of each mask: whether s[k] is a comma, a quote, or a line break or
** NUL, for k < 64. */
static inline void masks64(const unsigned char *s, uint64_t *commas, uint64_t *quotes,
                           uint64_t *stops)
{
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), nul = _mm_setzero_si128();
    uint64_t c = 0, q = 0, e = 0;
    for (int k = 0; k < 64; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        c |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << k;
        q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << k;
        e |= (uint64_t)(unsigned)_mm_movemask_epi8(
                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)),
                              _mm_cmpeq_epi8(v, nul)))
             << k;
    }
    *commas = c;
    *quotes = q;
    *stops = e;
}
#endif

/* Reports an error at buf offset `at` on the line that starts at `ls`. */
static int fail_at(CsvReader *r, long line, size_t ls, size_t at, const char *hint,
                   const char *msg)
{
    long col = 1;
    for (size_t k = ls; k < at; k++)
        col += (r->buf[k] & 0xC0) != 0x80;
    diag_file(DIAG_ERROR, r->path, line, col, hint, "%s", msg);
    r->failed = true;
    return -1;
}

/* The scanner reached buf[end] and the decoder has nothing more. */
static int fail_input(CsvReader *r, size_t at)
{
    char msg[96];
    if (r->enc == CSV_ENC_GB18030) {
        snprintf(msg, sizeof msg, "not GB18030 text (byte 0x%02X)", r->bad_byte);
        return fail_at(r, r->line, r->line_start, at,
                       "is the file UTF-8? --encoding utf-8 or auto reads it", msg);
    }
    snprintf(msg, sizeof msg, "not UTF-8 text (byte 0x%02X)", r->bad_byte);
    return fail_at(r, r->line, r->line_start, at,
                   "Excel/WPS on Chinese Windows save GB18030: --encoding gb18030 or "
                   "auto reads it", msg);
}

static int fail_nul(CsvReader *r, size_t at)
{
    return fail_at(r, r->line, r->line_start, at,
                   "a text file has no NUL bytes: is this a spreadsheet (.xlsx) or a "
                   "UTF-16 file? Save it as CSV", "NUL byte in the file");
}

/* A record with too many fields, or a field too long: said at the line
** where the record starts. */
static int fail_limit(CsvReader *r, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_limit(CsvReader *r, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vfile(DIAG_ERROR, r->path, r->rec_line, 0, hint, fmt, ap);
    va_end(ap);
    r->failed = true;
    return -1;
}

static bool grow_fields(CsvReader *r)
{
    /* the exact column count is checked when the record is whole; this
    ** only stops a runaway line of commas from taking all memory first */
    if (r->fcap >= 4 * CSV_MAX_COLUMNS) {
        fail_limit(r, "a spreadsheet has at most 16,384 columns", "a row with more than %zu columns",
                   (size_t)CSV_MAX_COLUMNS);
        return false;
    }
    size_t n = r->fcap * 2;
    CsvField *f = realloc(r->fields, n * sizeof *f);
    if (f)
        r->fields = f;
    size_t *o = f ? realloc(r->foff, n * sizeof *o) : NULL;
    if (o)
        r->foff = o;
    size_t *e = o ? realloc(r->fesc, n * sizeof *e) : NULL;
    if (!e) {
        diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
        r->failed = true;
        return false;
    }
    r->fesc = e;
    r->fcap = n;
    return true;
}

/* Positions r->pos at the first byte of the next record, skipping a BOM at
** the start and the LF of a CRLF whose CR ended the last record. 1: a record
** follows; 0: end of input; -1: error. */
static int start_record(CsvReader *r)
{
    for (;;) {
        size_t avail = r->end - r->pos, delta;
        if ((avail == 0 || (!r->started && avail < 3)) && !r->done) {
            if (more(r, r->pos, &delta) < 0)
                return r->failed = true, -1;
            continue;
        }
        if (!r->started) {
            r->started = true;
            if (avail >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
                r->pos += 3;
            r->line_start = r->pos;
            continue;
        }
        if (avail == 0)
            return r->bad_input ? fail_input(r, r->pos) : 0;
        if (r->skip_lf) {
            r->skip_lf = false;
            if (r->buf[r->pos] == '\n') {
                r->line_start = ++r->pos;
                continue;
            }
        }
        return 1;
    }
}

/* Removes the doubling of quotes in a quoted field, in place. */
static size_t unescape(unsigned char *s, size_t len)
{
    size_t w = 0;
    for (size_t k = 0; k < len; k++) {
        s[w++] = s[k];
        if (s[k] == '"')
            k++;          /* the field was checked: a quote here is doubled */
    }
    return w;
}

/* The scanner keeps offsets in locals; when the buffer moves, all of them
** (each >= the record start rs) drop by the same delta, and the fields found
** so far are made pointers into the moved record again. */
#define MORE(extra_adjust)                                  \
    do {                                                    \
        size_t d_;                                          \
        const char *base_ = (const char *)b + rs;           \
        for (size_t k_ = 0; k_ < nf; k_++)                  \
            r->foff[k_] = (size_t)(r->fields[k_].text - base_); \
        int rc_ = more(r, rs, &d_);                         \
        if (rc_ < 0)                                        \
            return r->failed = true, -1;                    \
        rs -= d_;                                           \
        i -= d_;                                            \
        extra_adjust;                                       \
        b = r->buf;                                         \
        got = rc_ > 0;                                      \
        base_ = (const char *)b + rs;                       \
        for (size_t k_ = 0; k_ < nf; k_++)                  \
            r->fields[k_].text = base_ + r->foff[k_];       \
    } while (0)

/* Fields are cut out in place as they are found: the byte that ends one (a
** comma, a line break, a closing quote) becomes its NUL terminator. Nothing
** before the scan position is read again, except by the column count of an
** error message, to which a NUL counts as one character like what it
** replaced. Doubled quotes are undone only when the record is whole, as
** that shortens a field and would move those columns. */
int csv_next(CsvReader *r, CsvRecord *out)
{
    if (r->failed)
        return -1;
    if (r->sheet)
        return csv_next_workbook_row(r, out);
    int st = start_record(r);
    if (st <= 0)
        return st;
    if (r->row == CSV_MAX_ROWS) {
        diag_file(DIAG_ERROR, r->path, r->line, 0, "a spreadsheet has at most 1,048,576 rows; split the file",
                  "more than %ld rows", CSV_MAX_ROWS);
        r->failed = true;
        return -1;
    }
    size_t rs = r->pos, i = rs;
    unsigned char *b = r->buf;
    size_t nf = 0, nesc = 0;
    bool got;
    r->rec_line = r->line;

    for (;;) {                                  /* one field per turn */
        if (nf == r->fcap && !grow_fields(r))
            return -1;
        if (i == r->end && !r->done) {
            MORE((void)0);      /* the field's first byte decides its kind */
            continue;
        }
        if (b[i] != '"') {
            size_t fs = i;
#ifdef __SSE2__
            /* Unquoted fields, several per turn: 64 bytes at a time give
            ** masks of commas, of quotes and of line ends and NULs, and each
            ** comma before the first line end or NUL ends a field. A comma
            ** followed by a quote ends the turn, as the field after it is
            ** quoted: the top of the loop reads that one. The loads may read
            ** up to 63 bytes past the sentinel (the PAD); the NUL there stops
            ** the masks first. */
            bool reopen = false;
            for (;;) {
                /* a block may end 64 fields: room for them all (growing
                ** once per block let 100 commas write past the table) */
                while (r->fcap - nf <= 64)
                    if (!grow_fields(r))
                        return -1;
                uint64_t commas, quotes, stops;
                masks64(b + i, &commas, &quotes, &stops);
                if (stops)
                    commas &= (stops & -stops) - 1;     /* the commas before it */
                uint64_t open = commas & (quotes >> 1);
                /* a comma in the last place is before the sentinel, so the
                ** byte after it is there to read */
                if ((commas >> 63) && b[i + 64] == '"')
                    open |= (uint64_t)1 << 63;
                if (open)
                    commas &= open ^ (open - 1);        /* up to the first such */
                CsvField *fp = r->fields + nf;
                while (commas) {
                    size_t at = i + (unsigned)__builtin_ctzll(commas);
                    commas &= commas - 1;
                    fp->text = (const char *)b + fs;
                    fp->len = at - fs;
                    fp++;
                    b[at] = 0;
                    fs = at + 1;
                }
                nf = (size_t)(fp - r->fields);
                if (open) {
                    reopen = true;
                    break;
                }
                if (!stops) {
                    i += 64;
                    continue;
                }
                i += (unsigned)__builtin_ctzll(stops);
                if (b[i] != 0)
                    break;
                if (i < r->end)
                    return fail_nul(r, i);
                MORE(fs -= d_);
                if (!got)
                    break;
                if (fs == i && b[i] == '"') {
                    reopen = true;      /* the field after a comma the text ended at */
                    break;
                }
            }
            if (reopen) {
                i = fs;
                continue;
            }
#else
            for (;;) {
                i = scan_to(b, i, ',');
                if (b[i] != 0)
                    break;
                if (i < r->end)
                    return fail_nul(r, i);
                MORE(fs -= d_);
                if (!got)
                    break;
            }
#endif
            /* its end, the separator, becomes a NUL below */
            r->fields[nf++] = (CsvField){(const char *)b + fs, i - fs};
        } else {
            /* the opening quote's place, for "unclosed quote" */
            size_t q = i, qls = r->line_start;
            long qline = r->line;
            bool esc = false;
            size_t fs = ++i;
            for (;;) {
                i = scan_to(b, i, '"');
                unsigned char c = b[i];
                if (c == '"') {
                    if (i + 1 == r->end && !r->done) {
                        MORE((fs -= d_, q -= d_, qls -= d_));
                        continue;       /* look at the byte after it again */
                    }
                    if (i + 1 < r->end && b[i + 1] == '"') {
                        esc = true;
                        i += 2;
                        continue;
                    }
                    break;
                } else if (c == '\n') {
                    if (b[i - 1] != '\r')   /* CRLF is one line break */
                        r->line++;
                    r->line_start = ++i;
                } else if (c == '\r') {
                    r->line++;
                    r->line_start = ++i;
                } else if (i < r->end) {
                    return fail_nul(r, i);
                } else {
                    MORE((fs -= d_, q -= d_, qls -= d_));
                    if (got)
                        continue;
                    if (r->bad_input)
                        return fail_input(r, i);
                    return fail_at(r, qline, qls, q,
                                   "close it with a quote; a quote inside a quoted field "
                                   "is written twice: \"\"", "unclosed quote");
                }
            }
            if (esc)
                r->fesc[nesc++] = nf;
            else
                b[i] = 0;                         /* the closing quote */
            r->fields[nf++] = (CsvField){(const char *)b + fs, i - fs};
            i++;                                  /* past the closing quote */
            if (i == r->end && !r->done)
                MORE((void)0);
            if (b[i] == 0 && i < r->end)
                return fail_nul(r, i);
            if (!(b[i] == ',' || b[i] == '\n' || b[i] == '\r' || i == r->end))
                return fail_at(r, r->line, r->line_start, i,
                               "a quote inside a quoted field is written twice: \"\"",
                               "text after the closing quote");
        }
        if (i == r->end) {
            if (r->bad_input)
                return fail_input(r, i);
            break;                  /* buf[end] is a NUL already */
        }
        unsigned char c = b[i];
        b[i++] = 0;
        if (c == ',')
            continue;
        r->line++;
        r->line_start = i;
        r->skip_lf = c == '\r';
        break;
    }

    if (nf > CSV_MAX_COLUMNS)
        return fail_limit(r, "a spreadsheet has at most 16,384 columns", "a row with more than %zu columns",
                          (size_t)CSV_MAX_COLUMNS);
    r->pos = i;
    for (size_t k = 0; k < nesc; k++) {
        CsvField *f = &r->fields[r->fesc[k]];
        unsigned char *t = (unsigned char *)f->text;
        f->len = unescape(t, f->len);
        t[f->len] = 0;
    }
    if (i - rs > CSV_MAX_FIELD) {       /* only a long record can hold a long field */
        for (size_t k = 0; k < nf; k++)
            if (r->fields[k].len > CSV_MAX_FIELD)
                return fail_limit(r, "a spreadsheet cell holds at most 32,767 characters; is a quote left open?",
                                  "field %zu is longer than 128 KiB (%zu bytes)", k + 1, CSV_MAX_FIELD);
    }
    out->nfields = nf;
    out->fields = r->fields;
    out->row = ++r->row;
    out->line = r->rec_line;
    return 1;
}
