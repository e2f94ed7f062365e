/*
** output.h — what `kaohe run` prints: the summary (one row per unit) and the
** detail (one row per unit × period × item) as an aligned table, CSV or JSON.
** Writers only format; they never evaluate and never decide where bytes go.
*/
#ifndef KAOHE_OUTPUT_H
#define KAOHE_OUTPUT_H

#include <stdio.h>

#include "vm.h"

typedef enum OutFormat { FMT_TABLE, FMT_CSV, FMT_JSON } OutFormat;

typedef struct Output Output;

Output *output_begin(FILE *out, const Program *p, OutFormat fmt, bool detail);
void output_unit(Output *o, int unit, const UnitScores *s);
void output_end(Output *o);

/* The same writers for other outputs (what-if comparisons and sweeps):
** rows (each a const char *[ncols]) aligned as the table format aligns
** them, one CSV row, a JSON string, a value as JSON. */
void out_table(FILE *out, int ncols, const char **header, const PtrVec *rows);
void out_csv_row(FILE *out, const char **cells, int n);
void out_json_string(FILE *out, const char *s);
void out_json_value(FILE *out, const Program *p, Value v, int enum_id);

/* Display width of UTF-8 text on a terminal (CJK characters count 2). */
int text_width(const char *s);
/* A value as the outputs show it: numbers with two decimals, yes/no as 是/否,
** choices by name. GC string. */
const char *value_text(const Program *p, Value v, int enum_id);

#endif
