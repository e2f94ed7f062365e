/*
** output.h — what `kaohe run` prints: the summary (one row per unit) and the
** detail (one row per unit × period × item) as an aligned table, CSV or JSON.
** Writers only format; they never evaluate and never decide where bytes go.
*/
#ifndef KAOHE_OUTPUT_H
#define KAOHE_OUTPUT_H

#include <stdio.h>

#include "status.h"
#include "vm.h"

/* Decimals shown for every score and amount. */
#define NUM_PLACES 2

typedef enum OutFormat { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_XLSX } OutFormat;

typedef struct Output Output;

/* pv: the inputs' checksums for JSON output (NULL: none). */
typedef struct Provenance Provenance;
Output *output_begin(FILE *out, const Program *p, OutFormat fmt, bool detail, const Provenance *pv);
void output_unit(Output *o, int unit, const UnitScores *s);
void output_end(Output *o);

/* csv_cell and json_string, for the writers that include only this. */
#include "escape.h"

/* For other writers (what-if comparisons and sweeps): rows (each a
** const char *[ncols]) aligned as the table format aligns them; one CSV row. */
void out_table(FILE *out, int ncols, const char **header, const PtrVec *rows);
void out_csv_row(FILE *out, const char **cells, int n);

/* Display width of UTF-8 text on a terminal (CJK characters count 2). */
int text_width(const char *s);
/* A value as the outputs show it: numbers with two decimals, yes/no as 是/否,
** choices by name. GC string. */
const char *value_text(const Program *p, Value v, int enum_id);

#endif
