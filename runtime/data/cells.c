/*
** cells.c — what every loader of runtime/data shares about one cell: the
** error count (cell_error and its cap), the text of a cell (trimming,
** normalized names, bools), decimals as written in a spreadsheet, exact sums
** for a totals row, and the column storage numbers are kept in. It knows
** no file layout: units.c, tables.c and facts.c use it.
*/
#include "cells.h"

#include <gc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "xlsx_book.h"

/* Past this many errors in one file the rest is noise: stop reading. */
#define MAX_ERRORS 50

const int64_t pow10_tab[MAX_SCALE + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL,
    100000000000000000LL, 1000000000000000000LL};

/* ---- small helpers ---------------------------------------------------------------*/

/* Grows a GC array to hold at least `need` elements (doubling). */
void *grow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return p;
    int n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    *cap = n;
    return GC_REALLOC(p, (size_t)n * elem);
}

/* Zeroed pointer-free GC memory. */
void *zalloc_atomic(size_t n)
{
    void *p = GC_MALLOC_ATOMIC(n ? n : 1);
    memset(p, 0, n ? n : 1);
    return p;
}

/* The 0-based column a message's column label names, or -1. */
static int label_column(const Load *L, const char *col)
{
    for (int k = 0; col && k < L->nlabels; k++)
        if (L->labels[k] == col || strcmp(L->labels[k], col) == 0)
            return k;
    int n;
    char end;
    if (col && sscanf(col, "column %d%c", &n, &end) == 1 && n >= 1)
        return n - 1;
    return -1;
}

/* A workbook's cell as Excel names it, with the column's header after it
** ("facts.xlsx 考核数据!K10 专窗人员数"), or its row ("…考核数据!10:10"). */
static const char *sheet_place(const Load *L, long row, const char *col)
{
    int k = label_column(L, col);
    if (k < 0)
        return gc_printf("%s %s!%ld:%ld", L->path, L->sheet, row, row);
    return gc_printf("%s %s", xlsx_cell_name(L->path, L->sheet, k, row), col);
}

/* A CSV cell's column as Excel shows the file, its letter before its
** header: "AF 2月评价数" (the header alone when the column is not known). */
static const char *csv_place(const Load *L, const char *col)
{
    int k = label_column(L, col);
    if (k < 0 || strncmp(col, "column ", 7) == 0)
        return k < 0 ? col : gc_printf("%s (column %d)", column_letters(k + 1), k + 1);
    return gc_printf("%s %s", column_letters(k + 1), col);
}

void cell_error(Load *L, long row, const char *col, const char *text,
                const char *hint, const char *fmt, ...)
{
    if (L->stopped)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (row == 1 && L->header_row)
        row = L->header_row;    /* the header's own messages say row 1 */
    if (L->at)
        diag_vat(DIAG_ERROR, *L->at, hint, fmt, ap);
    else if (L->sheet && row > 0)
        diag_vcell(DIAG_ERROR, sheet_place(L, row, col), 0, NULL, text, hint, fmt, ap);
    else
        diag_vcell(DIAG_ERROR, L->path, row, csv_place(L, col), text, hint, fmt, ap);
    va_end(ap);
    if (++L->errors == MAX_ERRORS) {
        diag_file(DIAG_NOTE, L->path, 0, 0, NULL, "stopped after %d errors", MAX_ERRORS);
        L->stopped = true;
    }
}

/* ---- cell text -------------------------------------------------------------------*/

/* Bytes of a space at the start (or end) of s[0, len): ASCII space, tab, a
** line break, U+3000, the space a Chinese input method types, or U+00A0,
** the no-break space Excel and web pages leave. */
static size_t space_at(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (len >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
        return 2;
    return len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

static size_t space_before(const char *s, size_t len)
{
    if (len >= 1) {
        char c = s[len - 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            return 1;
    }
    if (len >= 2 && memcmp(s + len - 2, "\xC2\xA0", 2) == 0)
        return 2;
    return len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

Text trim_spaces(const char *s, size_t len)
{
    size_t k;
    while ((k = space_at(s, len)) > 0) {
        s += k;
        len -= k;
    }
    while ((k = space_before(s, len)) > 0)
        len -= k;
    return (Text){s, len};
}

bool row_blank(const CsvRecord *rec)
{
    for (size_t k = 0; k < rec->nfields; k++)
        if (cell(rec, (int)k).len)
            return false;
    return true;
}

/* A name as units and headers are matched: trimmed, line breaks dropped (a
** wrapped spreadsheet cell "新建\n经开区"). out has room for len + 1. */
void norm_into(const char *s, size_t len, char *out)
{
    Text t = trim(s, len);
    size_t w = 0;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.s[i];
        if ((unsigned char)c > '\r' || (c != '\n' && c != '\r'))
            out[w++] = c;
    }
    out[w] = 0;
}

char *norm_name(const char *s, size_t len)
{
    char *o = GC_MALLOC_ATOMIC(len + 1);
    norm_into(s, len, o);
    return o;
}

char *text_dup(Text t)
{
    char *o = GC_MALLOC_ATOMIC(t.len + 1);
    memcpy(o, t.s, t.len);
    o[t.len] = 0;
    return o;
}

const char *column_letters(int col)
{
    char out[8];
    int w = (int)sizeof out - 1;
    out[w] = 0;
    for (; col > 0 && w > 0; col = (col - 1) / 26)
        out[--w] = (char)('A' + (col - 1) % 26);
    return gc_printf("%s", out + w);
}

/* ---- decimal cells ---------------------------------------------------------------*/

/* A decimal literal: optional sign, digits, optional point and digits (at
** least one digit in all). No exponent, separators or spaces inside.
** Trailing zeros of the fraction do not count towards the scale.
** The digits are summed as they are checked, in a uint64_t that may wrap;
** the sum is used only when at most 18 digits count (below 10^18, so it
** fits an int64_t), and a longer number is summed again with overflow
** checks. */
/* t without its thousands separators, written into buf (t.len bytes):
** DEC_GROUPING unless the commas split the integer part into a first group
** of 1-3 digits and groups of exactly 3 ("5,100", "12,345,678.5"); "5,10",
** "5,1000" and a comma after the point are not a grouping anyone means. */
static DecStatus ungroup(Text t, char *buf, Text *out)
{
    size_t i = 0, w = 0, run = 0;
    bool grouped = false;
    if (i < t.len && (t.s[i] == '+' || t.s[i] == '-'))
        buf[w++] = t.s[i++];
    for (; i < t.len && t.s[i] != '.'; i++) {
        char c = t.s[i];
        if (c == ',') {
            if (run == 0 || run > 3 || (grouped && run != 3))
                return DEC_GROUPING;
            grouped = true;
            run = 0;
            continue;
        }
        if (c < '0' || c > '9')
            return DEC_SYNTAX;
        buf[w++] = c;
        run++;
    }
    if (grouped && run != 3)
        return DEC_GROUPING;
    for (; i < t.len; i++) {
        if (t.s[i] == ',')
            return DEC_GROUPING;
        buf[w++] = t.s[i];
    }
    *out = (Text){buf, w};
    return DEC_OK;
}

DecStatus dec_parse_any(Text t, Dec *d)
{
    char stack[64];
    if (memchr(t.s, ',', t.len)) {
        char *buf = t.len <= sizeof stack ? stack : GC_MALLOC_ATOMIC(t.len);
        DecStatus st = ungroup(t, buf, &t);
        if (st != DEC_OK)
            return st;
    }
    const char *s = t.s, *e = t.s + t.len;
    bool neg = false;
    if (s < e && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    const char *int_s = s;
    uint64_t m = 0;
    unsigned dig;
    while (s < e && (dig = (unsigned)(unsigned char)*s - '0') <= 9) {
        m = m * 10 + dig;
        s++;
    }
    const char *int_e = s, *frac_s = s, *frac_e = s;
    uint64_t kept = m;           /* the sum up to the last nonzero fraction digit */
    d->point = false;
    if (s < e && *s == '.') {
        d->point = true;
        frac_s = frac_e = ++s;
        while (s < e && (dig = (unsigned)(unsigned char)*s - '0') <= 9) {
            m = m * 10 + dig;
            s++;
            if (dig) {
                frac_e = s;
                kept = m;
            }
        }
    }
    if (s != e || (int_e == int_s && s == frac_s))
        return DEC_SYNTAX;
    if (frac_e - frac_s > MAX_SCALE)
        return DEC_SCALE;
    if ((int_e - int_s) + (frac_e - frac_s) > MAX_SCALE) {
        int64_t c = 0;
        for (const char *p = int_s; p < frac_e; p++) {
            if (p == int_e)
                p = frac_s;      /* jump over the point */
            if (p == frac_e)
                break;
            if (__builtin_mul_overflow(c, 10, &c) || __builtin_add_overflow(c, *p - '0', &c))
                return DEC_RANGE;
        }
        kept = (uint64_t)c;
    }
    d->mant = neg ? -(int64_t)kept : (int64_t)kept;
    d->scale = (int)(frac_e - frac_s);
    return DEC_OK;
}

/* A percent cell: a decimal with an optional trailing % (or ％), stored as
** the fraction, so the scale grows by 2: "95.5%" -> 955 / 10^3. */
DecStatus percent_parse(Text t, Dec *d)
{
    if (t.len >= 1 && t.s[t.len - 1] == '%')
        t = trim(t.s, t.len - 1);
    else if (t.len >= 3 && memcmp(t.s + t.len - 3, "\xEF\xBC\x85", 3) == 0)
        t = trim(t.s, t.len - 3);
    DecStatus st = dec_parse(t, d);
    if (st != DEC_OK)
        return st;
    if (d->scale + 2 > MAX_SCALE)
        return DEC_SCALE;
    d->scale += 2;
    return DEC_OK;
}

/* Full-width digits (０-９) look right in a spreadsheet and are not numbers:
** worth naming when a number does not parse. */
static bool has_fullwidth_digit(Text t)
{
    for (size_t i = 0; i + 2 < t.len; i++)
        if ((unsigned char)t.s[i] == 0xEF && (unsigned char)t.s[i + 1] == 0xBC &&
            (unsigned char)t.s[i + 2] >= 0x90 && (unsigned char)t.s[i + 2] <= 0x99)
            return true;
    return false;
}

#define FULLWIDTH_HINT "full-width digits (０-９) are not numbers: type them half-width (0-9)"

/* A dash or slash standing for "nothing" (—, ——, –, -, －, /, ／): it does
** not say whether the value is 0 or unknown. */
static bool is_dash(Text t)
{
    static const char *const dashes[] = {"—", "——", "–", "-", "--", "－", "/", "／", "―"};
    for (size_t k = 0; k < sizeof dashes / sizeof dashes[0]; k++)
        if (text_is(t, dashes[k]))
            return true;
    return false;
}

/* Digits split by - / . into two or three groups ("2021-06-30", "6/30"),
** or digits with 年, 月 or 日: what Excel shows for a number it took for a
** date ("1-2" typed in a General cell becomes 1月2日). */
static bool looks_like_date(Text t)
{
    if (t.len == 0 || t.s[0] < '0' || t.s[0] > '9')
        return false;
    int groups = 1;
    bool digit = true;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.s[i];
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if ((c == '-' || c == '/' || c == '.') && digit) {
            groups++;
            digit = false;
        } else if (i + 3 <= t.len && digit && (memcmp(t.s + i, "年", 3) == 0 ||
                                               memcmp(t.s + i, "月", 3) == 0 ||
                                               memcmp(t.s + i, "日", 3) == 0)) {
            return true;
        } else {
            return false;
        }
    }
    return digit && groups >= 2 && groups <= 3;
}

#define DASH_HINT "write 0 if it means none, or leave the cell blank (a blank is an error only where a rule reads it)"
#define DATE_HINT "Excel turns 1-2 or 3/4 typed in a General cell into a date: format the column as 数值 or 文本 and type the number again"

void number_error(Load *L, long row, const char *col, const char *rawtext, Text t,
                  DecStatus st, const char *what, const char *hint)
{
    if (st == DEC_RANGE)
        cell_error(L, row, col, rawtext, "is an ID or a telephone number in a number column?",
                   "number too large (more than 18 digits)");
    else if (st == DEC_SCALE)
        cell_error(L, row, col, rawtext, "round it in the spreadsheet; the rules round as the rubric says",
                   "too many decimal places (at most %d)",
                   strcmp(what, "percent") == 0 ? MAX_SCALE - 2 : MAX_SCALE);
    else if (st == DEC_GROUPING)
        cell_error(L, row, col, rawtext,
                   "a comma separates thousands, every three digits (5,100); write the number without it",
                   "not a %s: the digits are not grouped by thousands", what);
    else if (is_dash(t))
        cell_error(L, row, col, rawtext, DASH_HINT,
                   "not a %s: a dash does not say whether it is 0 or unknown", what);
    else if (looks_like_date(t))
        cell_error(L, row, col, rawtext, DATE_HINT, "not a %s: it looks like a date", what);
    else
        cell_error(L, row, col, rawtext, has_fullwidth_digit(t) ? FULLWIDTH_HINT : hint,
                   "not a %s", what);
}

/* ---- exact sums ------------------------------------------------------------------*/

bool scale_up(__int128 *v, int by)
{
    while (by-- > 0)
        if (__builtin_mul_overflow(*v, 10, v))
            return false;
    return true;
}

void acc_add(Acc *a, Dec d)
{
    __int128 m = d.mant;
    if (a->over)
        return;
    if (d.scale == a->scale) {
        a->over = __builtin_add_overflow(a->v, m, &a->v);
        return;
    }
    if (d.scale > a->scale) {
        a->over = !scale_up(&a->v, d.scale - a->scale);
        a->scale = d.scale;
    }
    if (a->over || !scale_up(&m, a->scale - d.scale) || __builtin_add_overflow(a->v, m, &a->v))
        a->over = true;
}

/* The exact decimal text of v / 10^scale, without trailing zeros. */
char *acc_text(__int128 v, int scale)
{
    char digits[64];
    int n = 0;
    bool neg = v < 0;
    unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= scale)
        digits[n++] = '0';
    int lo = 0;                     /* trailing fraction zeros to drop */
    while (lo < scale && digits[lo] == '0')
        lo++;
    char out[80];
    int w = 0;
    if (neg)
        out[w++] = '-';
    for (int i = n - 1; i >= scale; i--)
        out[w++] = digits[i];
    if (lo < scale) {
        out[w++] = '.';
        for (int i = scale - 1; i >= lo; i--)
            out[w++] = digits[i];
    }
    out[w] = 0;
    return gc_printf("%s", out);
}

/* ---- columns of numbers ----------------------------------------------------------*/

/* The cells are left unset: a load that succeeds has read one row for every
** unit-period, and the row loop stores every cell of a row it accepts, blank
** ones included (a missing or duplicate row fails the load). Filling them
** here first would write the whole table twice. */
void alloc_column(FactColumn *col, FactType type, size_t ncells, int csv_col)
{
    memset(col, 0, sizeof *col);
    col->type = type;
    col->csv_col = csv_col;
    switch (type) {
    case FT_BOOL:
    case FT_ENUM:
        col->small = GC_MALLOC_ATOMIC(ncells + 1);
        col->small[ncells] = FACT_BLANK;
        break;
    case FT_COUNT:
    case FT_DECIMAL:
    case FT_PERCENT:
        col->mant32 = GC_MALLOC_ATOMIC((ncells + 1) * sizeof *col->mant32);
        col->scale = GC_MALLOC_ATOMIC(ncells + 1);
        col->mant32[ncells] = 0;
        col->scale[ncells] = FACT_BLANK;
        col->ncells = ncells;
        break;
    case FT_TEXT:
        col->text = GC_MALLOC((ncells + 1) * sizeof *col->text);   /* zeroed: blank */
        break;
    }
}

/* Stores a mantissa, moving the column to 64 bits the first time one does
** not fit in 32. */
void put_mant_wide(FactColumn *col, size_t i, int64_t m)
{
    if (col->mant32) {
        int64_t *wide = GC_MALLOC_ATOMIC((col->ncells + 1) * sizeof *wide);
        for (size_t k = 0; k <= col->ncells; k++)
            wide[k] = col->mant32[k];
        GC_FREE(col->mant32);     /* no one else holds it while the file is read */
        col->mant32 = NULL;
        col->mant = wide;
    }
    col->mant[i] = m;
}
