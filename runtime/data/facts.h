/*
** facts.h — the fact file (facts.c): the schema a compiled rubric asks
** for, the column storage every cell is parsed into once, and the facts a
** rule test builds in memory. FactColumn is also how tables.h stores a
** table's numbers.
*/
#ifndef KAOHE_FACTS_H
#define KAOHE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "diag.h"
#include "num.h"
#include "units.h"

/* ---- facts -------------------------------------------------------------*/
typedef enum FactType {
    FT_BOOL,      /* 是/否, 有/无, √/×, Y/N, yes/no, true/false, 1/0 */
    FT_COUNT,     /* whole number >= 0 */
    FT_DECIMAL,   /* decimal number, sign allowed */
    FT_PERCENT,   /* 0..100 with optional trailing % (0..1 if declared
                     `fraction`), stored as a fraction */
    FT_ENUM,      /* one of the members, exactly */
    FT_TEXT
} FactType;

const char *fact_type_name(FactType t);   /* "bool", "count", ... */

/* One column of the fact file, as the compiled rubric needs it. */
typedef struct FactColSpec {
    const char *column;        /* CSV header text, e.g. 专窗人员数, 7月评价数 */
    FactType type;
    int nmembers;              /* FT_ENUM */
    const char **members;
    bool fraction;             /* FT_PERCENT declared `fraction`: 0.8 is 80% */
    bool over_100;             /* FT_PERCENT declared `rate`: above 100% too (超额完成, 103%) */
} FactColSpec;

typedef struct FactSchema {
    int ncols;
    FactColSpec *cols;
    int nperiods;
    const char **periods;      /* values of the 期别 column, in rubric order */
} FactSchema;

/* Compact storage of one column over all unit-periods (cell index: period *
** nunits + unit, fact_cell), or of one table column (cell index: unit).
** Period-major because the evaluator reads one period of 64 consecutive
** units at a time: their cells are then adjacent. */
typedef struct FactColumn {
    FactType type;
    uint8_t *small;            /* FT_BOOL 0/1, FT_ENUM member index; FACT_BLANK */
    /* FT_COUNT/DECIMAL/PERCENT: value = mantissa / 10^scale. A column keeps
    ** its mantissas in 32 bits (mant32, mant NULL) while every cell fits,
    ** and in 64 bits (mant, mant32 NULL) from the first that does not: most
    ** fact files are counts and short decimals, and a province's file has
    ** millions of cells. Read them with fact_num or fact_mant. */
    int32_t *mant32;
    int64_t *mant;
    uint8_t *scale;            /* FACT_BLANK for a blank cell */
    size_t ncells;
    const char **text;         /* FT_TEXT; NULL for blank */
    int csv_col;               /* 1-based column number in the file */
} FactColumn;

#define FACT_BLANK 0xFF

typedef struct FactData {
    const char *path;
    const FactSchema *schema;
    int nunits, nperiods;
    FactColumn *cols;          /* [schema->ncols] */
    long *row_of;              /* [fact_cell] spreadsheet row */
    CsvEncoding encoding;      /* as read */
    const char *sheet;         /* the sheet read from a workbook, or NULL */
    const char **raw;          /* [cell * ncols + col] the cell as written
                                  (trimmed); only from facts_load_ex(..., true) */
} FactData;

/* The cell index of a unit in a period. */
static inline size_t fact_cell(const FactData *f, int unit, int period)
{
    return (size_t)period * (size_t)f->nunits + (size_t)unit;
}

/* The fact file has columns 单位 and 期别 plus one per schema column (extra
** columns: a warning naming them, with did-you-mean). Errors: missing column,
** unknown unit (did-you-mean), non-assessed unit, duplicate unit-period,
** unknown 期别, a missing unit-period row, and any cell its type rejects
** (bad bool/count/percent, negative count, percent over 100, unknown enum
** member). All errors in the file are reported (up to 50) before failing. */
FactData *facts_load(const char *path, CsvEncoding enc, const FactSchema *schema,
                     const Units *units);

/* Rule tests build their facts in memory: every cell blank at first (with
** no row: a blank-cell error names path and column), then each given value
** parsed exactly as the same text in a fact-file cell would be. A bad value
** is reported at `at`, where the test wrote it, and false returned. */
FactData *facts_blank(const char *path, const FactSchema *schema, const Units *units);
bool facts_put(FactData *fd, int col, int unit, int period, const char *text, Loc at);
/* A copy whose cells can be changed without touching from's. */
FactData *facts_copy(const FactData *from);

/* The same, keeping every cell's text for explanations (slower, more memory). */
FactData *facts_load_ex(const char *path, CsvEncoding enc, const FactSchema *schema,
                        const Units *units, bool raw);
/* facts_load_ex from the sheet named sheet of a workbook (NULL: the first
** visible; csv_open_sheet). */
FactData *facts_load_sheet(const char *path, const char *sheet, CsvEncoding enc, const FactSchema *schema,
                           const Units *units, bool raw);

/* The mantissa of a numeric cell (0 when blank). */
static inline int64_t fact_mant(const FactColumn *c, size_t cell)
{
    return c->mant32 ? c->mant32[cell] : c->mant[cell];
}

/* Value of a numeric cell; false when blank. */
static inline bool fact_num(const FactColumn *c, size_t cell, Num *out)
{
    uint8_t s = c->scale[cell];
    if (s == FACT_BLANK)
        return false;
    static const int64_t pow10[19] = {
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
        1000000000, 10000000000LL, 100000000000LL, 1000000000000LL,
        10000000000000LL, 100000000000000LL, 1000000000000000LL,
        10000000000000000LL, 100000000000000000LL, 1000000000000000000LL};
    out->num = fact_mant(c, cell);
    out->den = pow10[s];
    return true;
}

#endif
