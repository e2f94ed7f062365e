/*
** cells.h — what cells.c gives the loaders of runtime/data (units.c,
** tables.c, facts.c), and nothing outside this folder: one loader's error
** count and cell_error, a cell's text, decimals, exact sums, and the column
** storage of numbers. The small functions every cell passes through are
** inline here, so the row loops need no call for them.
*/
#ifndef KAOHE_CELLS_H
#define KAOHE_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "diag.h"
#include "facts.h"

/* A cell is stored as int64 mantissa / 10^scale, and 10^18 is the largest
** power of ten an int64 holds. */
#define MAX_SCALE 18

extern const int64_t pow10_tab[MAX_SCALE + 1];

/* ---- small helpers ---------------------------------------------------------------*/

/* Grows a GC array to hold at least `need` elements (doubling). */
void *grow(void *p, int *cap, int need, size_t elem);
/* Zeroed pointer-free GC memory. */
void *zalloc_atomic(size_t n);

/* One loader's error count: every error goes through here so the cap holds. */
typedef struct Load {
    const char *path;
    int errors;
    bool stopped;
    const Loc *at;      /* a cell written in a rule file (a rule test): report there */
    /* A workbook's sheet (read_header sets these): messages name a cell as
    ** Excel does, "facts.xlsx 考核数据!K10 专窗人员数", and the header's row
    ** is where it is, not row 1. */
    const char *sheet;
    long header_row;
    const char *const *labels;
    int nlabels;
} Load;

/* Reports an error at a cell (row 0: the file; col NULL: the row; text:
** the cell as written), or at L->at for a rule test; counts it, and stops
** the load after MAX_ERRORS. */
void cell_error(Load *L, long row, const char *col, const char *text,
                const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---- cell text -------------------------------------------------------------------*/

typedef struct Text {
    const char *s;
    size_t len;
} Text;

/* s[0, len) without the spaces around it: ASCII space, tab, a line break,
** U+3000, the space a Chinese input method types, or U+00A0, the no-break
** space of Excel and web pages. */
Text trim_spaces(const char *s, size_t len);

/* s[0, len) without the spaces around it. A space starts with a byte below
** '!', with E3 (U+3000 is E3 80 80) or C2 (U+00A0, the no-break space
** Excel and web pages leave, is C2 A0) and ends with a byte below '!', 80
** or A0, so one test passes most cells through untouched. */
static inline Text trim(const char *s, size_t len)
{
    if (len > 0) {
        unsigned char a = (unsigned char)s[0], z = (unsigned char)s[len - 1];
        if (a > ' ' && a != 0xE3 && a != 0xC2 && z > ' ' && z != 0x80 && z != 0xA0)
            return (Text){s, len};
    }
    return trim_spaces(s, len);
}

/* The trimmed text of cell k; a row shorter than the header reads blank. */
static inline Text cell(const CsvRecord *rec, int k)
{
    if ((size_t)k >= rec->nfields)
        return (Text){"", 0};
    return trim(rec->fields[k].text, rec->fields[k].len);
}

static inline const char *raw(const CsvRecord *rec, int k)
{
    return (size_t)k < rec->nfields ? rec->fields[k].text : "";
}

static inline bool text_is(Text t, const char *lit)
{
    size_t n = strlen(lit);
    return t.len == n && memcmp(t.s, lit, n) == 0;
}

static inline bool text_is_nocase(Text t, const char *lit)
{
    size_t n = strlen(lit);
    return t.len == n && strncasecmp(t.s, lit, n) == 0;
}

/* "A", "B", … "Z", "AA" …: a 1-based column number as Excel names it. */
const char *column_letters(int col);
/* A row with nothing but blank cells. */
bool row_blank(const CsvRecord *rec);
/* A name as units and headers are matched: trimmed, line breaks dropped (a
** wrapped spreadsheet cell "新建\n经开区"). out has room for len + 1. */
void norm_into(const char *s, size_t len, char *out);
/* norm_into in new GC memory. */
char *norm_name(const char *s, size_t len);
/* t as a NUL-terminated string in new GC memory. */
char *text_dup(Text t);

/* 1 for a yes, 0 for a no, -1 for anything else. The words officers'
** spreadsheets use: 是/否, 有/无, √/×, Y/N, yes/no, true/false (Latin
** letters in any case), 1/0. Each word means one thing only, so accepting
** them all misreads nothing. */
static inline int parse_bool(Text t)
{
    static const struct { const char *word; int value; } words[] = {
        {"是", 1}, {"否", 0}, {"有", 1}, {"无", 0}, {"√", 1}, {"×", 0},
        {"✓", 1}, {"✗", 0}, {"y", 1}, {"n", 0}, {"yes", 1}, {"no", 0},
        {"true", 1}, {"false", 0}, {"1", 1}, {"0", 0},
    };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (text_is_nocase(t, words[k].word))
            return words[k].value;
    return -1;
}

/* ---- decimal cells ---------------------------------------------------------------*/

/* value = mant / 10^scale. `point` remembers a written decimal point, which
** a count may not have even when the fraction is zero ("3.0"). */
typedef struct Dec {
    int64_t mant;
    int scale;
    bool point;
} Dec;

/* DEC_GROUPING: thousands separators not in groups of three ("5,10"). */
typedef enum DecStatus { DEC_OK, DEC_SYNTAX, DEC_RANGE, DEC_SCALE, DEC_GROUPING } DecStatus;

/* A decimal literal: optional sign, digits, optional point and digits (at
** least one digit in all). Thousands separators as Excel writes them
** ("5,100", "1,234.5": a first group of 1-3 digits, then groups of exactly
** 3, only before the point); no exponent or spaces inside. Trailing zeros
** of the fraction do not count towards the scale. */
DecStatus dec_parse_any(Text t, Dec *d);

/* dec_parse_any, with the common cell (a few digits, nothing else) taken
** inline: up to 18 digits cannot overflow. */
static inline DecStatus dec_parse(Text t, Dec *d)
{
    if (t.len > 0 && t.len <= MAX_SCALE) {
        uint64_t m = 0;
        size_t j = 0;
        for (; j < t.len; j++) {
            unsigned dig = (unsigned)(unsigned char)t.s[j] - '0';
            if (dig > 9)
                break;
            m = m * 10 + dig;
        }
        if (j == t.len) {
            *d = (Dec){(int64_t)m, 0, false};
            return DEC_OK;
        }
    }
    return dec_parse_any(t, d);
}

/* s[0, n) when it is digits with at most one point in them, and 1 to 18
** digits in all: true, with the value as dec_parse gives it (trailing zeros
** of the fraction dropped). */
static inline bool plain_decimal(const char *s, size_t n, int64_t *mant, int *scale)
{
    uint64_t m = 0;
    unsigned dig;
    size_t j = 0;
    while (j < n && (dig = (unsigned)(unsigned char)s[j] - '0') <= 9) {
        m = m * 10 + dig;
        j++;
    }
    int sc = 0;
    bool point = j < n && s[j] == '.';
    if (point) {
        uint64_t all = m;
        int frac = 0;
        for (j++; j < n && (dig = (unsigned)(unsigned char)s[j] - '0') <= 9; j++) {
            all = all * 10 + dig;
            frac++;
            if (dig) {
                m = all;
                sc = frac;
            }
        }
    }
    size_t digits = n - point;
    if (j != n || digits == 0 || digits > MAX_SCALE)
        return false;
    *mant = (int64_t)m;
    *scale = sc;
    return true;
}

/* A percent cell: a decimal with an optional trailing % (or ％), stored as
** the fraction, so the scale grows by 2: "95.5%" -> 955 / 10^3. */
DecStatus percent_parse(Text t, Dec *d);
/* Reports a number that did not parse; what says what was expected. A
** cell that looks like a date, or a dash for "nothing", is named as such. */
void number_error(Load *L, long row, const char *col, const char *rawtext, Text t,
                  DecStatus st, const char *what, const char *hint);

/* ---- exact sums ------------------------------------------------------------------*/

/* Exact sums for the totals check: an int128 at the largest scale seen. */
typedef struct Acc {
    __int128 v;
    int scale;
    bool over;
} Acc;

/* v * 10^by; false on overflow. */
bool scale_up(__int128 *v, int by);
void acc_add(Acc *a, Dec d);
/* The exact decimal text of v / 10^scale, without trailing zeros. */
char *acc_text(__int128 v, int scale);

/* ---- columns of numbers ----------------------------------------------------------*/

/* A column of ncells cells of a type, the cells left unset (see cells.c). */
void alloc_column(FactColumn *col, FactType type, size_t ncells, int csv_col);
/* Stores a mantissa, moving the column to 64 bits the first time one does
** not fit in 32. */
void put_mant_wide(FactColumn *col, size_t i, int64_t m);

static inline void put_mant(FactColumn *col, size_t i, int64_t m)
{
    if (col->mant32 && m == (int32_t)m)
        col->mant32[i] = (int32_t)m;
    else
        put_mant_wide(col, i, m);
}

#endif
