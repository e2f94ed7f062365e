/*
** tables.h — keyed annex tables (tables.c): loaded, checked against the
** unit list and their totals row, read by unit and column.
*/
#ifndef KAOHE_TABLES_H
#define KAOHE_TABLES_H

#include <stdbool.h>

#include "facts.h"
#include "num.h"
#include "units.h"

/* ---- tables ------------------------------------------------------------
** A keyed CSV table shipped with the rules. One key column naming the unit;
** every other column is numeric (blank = 0, as the annexes leave zeros
** blank). Rows for non-assessed names are accepted and skipped. */
typedef struct TableSpec {
    const char *name;          /* as in the rule file: 民生任务 */
    const char *path;          /* resolved file path */
    const char *sheet;         /* of a workbook: `sheet "附件3"`, or NULL for the first visible */
    bool no_sheet;             /* the workbook lacks that sheet (said at the rule line): never opened */
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
    const char *sheet;         /* the sheet read from a workbook, or NULL */
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

/* A table cell: its value for a unit (0 where the table has no row; a
** table cell is never blank). */
static inline Num table_num(const Table *t, int unit, int col)
{
    const FactColumn *c = &t->data[col];
    return (Num){fact_mant(c, (size_t)unit), num_pow10[c->scale[unit]]};
}

#endif
