/*
** data.h — the data a rubric is evaluated against: the unit list (with
** aliases and non-assessed names), keyed tables (the annexes) and the fact
** file. Every cell is parsed once, by its declared type, into compact
** column storage; the VM reads cells by index and never re-parses text.
** Loaders print diagnostics (file:row:column) and return NULL on bad input.
*/
#ifndef KAOHE_DATA_H
#define KAOHE_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "csv.h"
#include "diag.h"
#include "num.h"

/* ---- units -------------------------------------------------------------
** units.csv: header row with at least 单位; optional 别名 (aliases separated
** by 、 or ; or ,), optional 考核 (是/否, default 是: 否 marks a name that may
** appear in annex tables but is not assessed, e.g. 区本级). Every other column
** is a text attribute of the unit (e.g. 类型: 乡镇 / 园区).
** Unit order is file order; it is the order of every output. */
typedef struct Units {
    int n;                     /* assessed units */
    const char **names;        /* [n] canonical names */
    int nattrs;
    const char **attr_names;   /* [nattrs] */
    const char **attr_values;  /* [n * nattrs], "" when blank */
    /* everything a name may be looked up by: canonical names, aliases, and
    ** non-assessed names; target is the unit index or UNIT_NOT_ASSESSED */
    int nlookup;
    const char **lookup_names;
    int *lookup_target;
    const char *path;
    /* lookup_names hashed for units_find (open addressing; a slot holds a
    ** lookup index + 1, 0 is free). A hand-built Units may leave it NULL:
    ** units_find then searches linearly. */
    int hashcap;
    int *hash;
} Units;

#define UNIT_UNKNOWN (-1)
#define UNIT_NOT_ASSESSED (-2)

Units *units_load(const char *path);
/* Index of an assessed unit by canonical name or alias, or UNIT_UNKNOWN /
** UNIT_NOT_ASSESSED. Surrounding spaces and embedded line breaks (a cell
** "新建\n经开区" from a wrapped spreadsheet cell) are ignored. */
int units_find(const Units *u, const char *name);
/* Closest known name for a "did you mean", or NULL. */
const char *units_suggest(const Units *u, const char *name);
int units_attr_index(const Units *u, const char *attr);   /* -1 if none */

/* ---- tables ------------------------------------------------------------
** A keyed CSV table shipped with the rules. One key column naming the unit;
** every other column is numeric (blank = 0, as the annexes leave zeros
** blank). Rows for non-assessed names are accepted and skipped. */
typedef struct TableSpec {
    const char *name;          /* as in the rule file: 民生任务 */
    const char *path;          /* resolved file path */
    const char *key;           /* key column header: 单位 */
    bool optional;             /* a unit with no row reads every column as 0 */
    const char *total_row;     /* key text of the totals row, or NULL */
    int nexcept;               /* columns exempt from the total check */
    const char **except;
} TableSpec;

typedef struct Table {
    const TableSpec *spec;
    int ncols;                 /* numeric columns, key excluded */
    const char **cols;         /* [ncols] headers */
    int nunits;
    struct FactColumn *data;   /* [col], cell = unit (FT_DECIMAL storage); 0 where no row */
    bool *present;             /* [unit] a row exists */
    long *row_of;              /* [unit] spreadsheet row, 0 if none */
    int *col_of;               /* [col] 1-based CSV column number */
} Table;

/* Loads and checks: unknown key (error, with did-you-mean), duplicate unit
** (error), non-numeric cell (error), an assessed unit with no row in a
** non-optional table (error), and, when total_row is set, that every column
** but the exempted sums to the total row (error naming column, sum and total).
*/
Table *table_load(const TableSpec *spec, const Units *units);
int table_col_index(const Table *t, const char *col);    /* -1 if none */
/* Sets a cell (a what-if scenario's row). false, and nothing set, for a
** value a table file could not hold either: more than 18 decimals or 18
** digits. */
bool table_set(Table *t, int unit, int col, Num v);

/* ---- facts -------------------------------------------------------------*/
typedef enum FactType {
    FT_BOOL,      /* 是/否, 1/0, true/false (any case) */
    FT_COUNT,     /* whole number >= 0 */
    FT_DECIMAL,   /* decimal number, sign allowed */
    FT_PERCENT,   /* 0..100 with optional trailing %, stored as a fraction */
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

/* A table cell: its value for a unit (0 where the table has no row; a
** table cell is never blank). */
static inline Num table_num(const Table *t, int unit, int col)
{
    const FactColumn *c = &t->data[col];
    return (Num){fact_mant(c, (size_t)unit), num_pow10[c->scale[unit]]};
}

#endif
