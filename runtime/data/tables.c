/*
** tables.c — the annex tables shipped with the rules: a key column naming
** the unit, numeric columns (blank = 0), an optional totals row checked
** against the sums, and table_set for a what-if scenario's rows.
*/
#include "tables.h"

#include <gc.h>
#include <string.h>

#include "cells.h"
#include "diag.h"
#include "names.h"
#include "unit_lookup.h"

int table_col_index(const Table *t, const char *col)
{
    for (int k = 0; k < t->ncols; k++)
        if (strcmp(t->cols[k], col) == 0)
            return k;
    return -1;
}

/* A table cell: a decimal, blank = 0, a trailing % dividing by 100. */
static bool table_cell(Load *L, const CsvRecord *rec, int k, const char *col, Dec *d)
{
    Text v = cell(rec, k);
    *d = (Dec){0, 0, false};
    if (v.len == 0)
        return true;
    bool pct = v.s[v.len - 1] == '%' ||
               (v.len >= 3 && memcmp(v.s + v.len - 3, "\xEF\xBC\x85", 3) == 0);
    DecStatus st = pct ? percent_parse(v, d) : dec_parse(v, d);
    if (st == DEC_OK)
        return true;
    number_error(L, rec->row, col, raw(rec, k), v, st, pct ? "percent" : "number",
                 "a table cell is a number such as 12 or 0.5, without separators or "
                 "units; a blank cell is 0");
    return false;
}

/* The name list "石岗镇、流湖镇" of the assessed units a table has no row for. */
static char *missing_units(const Units *units, const bool *present, int *count)
{
    size_t len = 1;
    *count = 0;
    for (int k = 0; k < units->n; k++)
        if (!present[k]) {
            len += strlen(units->names[k]) + 3;
            ++*count;
        }
    char *s = GC_MALLOC_ATOMIC(len);
    s[0] = 0;
    for (int k = 0; k < units->n; k++)
        if (!present[k]) {
            if (s[0])
                strcat(s, "、");
            strcat(s, units->names[k]);
        }
    return s;
}

/* The totals row against the sums of every other row (non-assessed rows
** included: the annexes' totals count them). */
static void check_totals(Load *L, const Table *t, const Acc *sum, const Dec *total,
                         const bool *exempt, long total_row)
{
    for (int c = 0; c < t->ncols; c++) {
        if (exempt[c])
            continue;
        Acc a = sum[c];
        __int128 want = total[c].mant;
        int scale = a.scale > total[c].scale ? a.scale : total[c].scale;
        bool ok = !a.over && scale_up(&a.v, scale - a.scale) &&
                  scale_up(&want, scale - total[c].scale);
        if (ok && a.v == want)
            continue;
        const char *got = a.over ? "more than the numbers can hold" : acc_text(a.v, scale);
        const char *col = diag_short(t->cols[c]);
        cell_error(L, total_row, col, NULL,
                   "correct the figures or the total; a column that is not a sum (a "
                   "rate) can be exempt from the check",
                   "column %s sums to %s, but the %s row says %s", col, got,
                   t->spec->total_row, acc_text(total[c].mant, total[c].scale));
    }
}

/* A table while it is read. */
typedef struct TableBuild {
    Load L;
    const TableSpec *spec;
    const Units *units;
    Table *t;
    Header h;
    int key;
    int *col_at;             /* CSV column -> numeric column, or -1 */
    bool *exempt;            /* [col] not checked against the totals row */
    Acc *sum;                /* [col] over every row but the totals row */
    Dec *total;              /* [col] the totals row */
    char *total_key;
    long total_row;
    const char **others;     /* non-assessed names seen, for duplicates */
    long *others_row;
    int nothers, cap_others, cap_others_row;
    int hint;                /* for unit_of_near */
} TableBuild;

/* Every named column but the key is numeric; exempt columns must exist. */
static void table_columns(TableBuild *b)
{
    Table *t = b->t;
    const Header *h = &b->h;
    size_t n = (size_t)h->n;
    b->col_at = GC_MALLOC_ATOMIC(n * sizeof *b->col_at);
    t->cols = GC_MALLOC(n * sizeof *t->cols);
    t->col_of = GC_MALLOC_ATOMIC(n * sizeof *t->col_of);
    for (int k = 0; k < h->n; k++) {
        b->col_at[k] = -1;
        if (k == b->key || !h->names[k][0])
            continue;
        b->col_at[k] = t->ncols;
        t->col_of[t->ncols] = k + 1;
        t->cols[t->ncols++] = h->names[k];
    }
    size_t nc = (size_t)t->ncols, nu = (size_t)b->units->n;
    b->exempt = zalloc_atomic(nc);
    for (int e = 0; e < b->spec->nexcept; e++) {
        int c = table_col_index(t, b->spec->except[e]);
        if (c >= 0)
            b->exempt[c] = true;
        else
            missing_column(&b->L, b->spec->except[e], t->cols, nc,
                           "a column exempt from the total check must exist");
    }
    /* a column per table column, as for facts: 0 until a row says more */
    t->data = GC_MALLOC((nc + 1) * sizeof *t->data);
    for (size_t c = 0; c < nc; c++) {
        alloc_column(&t->data[c], FT_DECIMAL, nu, 0);
        memset(t->data[c].mant32, 0, nu * sizeof *t->data[c].mant32);
        memset(t->data[c].scale, 0, nu);
    }
    t->present = zalloc_atomic(nu);
    t->row_of = zalloc_atomic(nu * sizeof *t->row_of);
    b->sum = zalloc_atomic(nc * sizeof *b->sum);
    b->total = zalloc_atomic(nc * sizeof *b->total);
}

/* Whom a row is for: an assessed unit (*u >= 0), a non-assessed name
** (UNIT_NOT_ASSESSED) or the totals row (*is_total). False, reported, for a
** row to skip: no key, an unknown name, a second row for the same one. */
static bool table_row_key(TableBuild *b, const CsvRecord *rec, int *u, bool *is_total)
{
    const char *key = b->spec->key;
    Text tk = cell(rec, b->key);
    if (tk.len == 0) {
        cell_error(&b->L, rec->row, key, NULL, "every row names its unit",
                   "no %s in this row", key);
        return false;
    }
    char stack[NAME_STACK];
    const char *name = norm_key(tk, stack);
    *is_total = b->total_key && strcmp(name, b->total_key) == 0;
    if (*is_total) {
        if (b->total_row) {
            cell_error(&b->L, rec->row, key, NULL, NULL,
                       "a second %s row (the first is row %ld)", diag_short(name), b->total_row);
            return false;
        }
        b->total_row = rec->row;
        return true;
    }
    *u = unit_of_near(b->units, name, &b->hint);
    if (*u == UNIT_UNKNOWN) {
        unknown_unit(&b->L, b->units, rec->row, key, name);
        return false;
    }
    long first = *u >= 0 ? b->t->row_of[*u] : 0;
    for (int k = 0; *u < 0 && k < b->nothers && !first; k++)
        if (strcmp(b->others[k], name) == 0)
            first = b->others_row[k];
    if (first) {
        cell_error(&b->L, rec->row, key, NULL,
                   "one row per unit (an alias names the same unit)",
                   "a second row for %s (the first is row %ld)",
                   diag_short(*u >= 0 ? b->units->names[*u] : name), first);
        return false;
    }
    if (*u >= 0) {
        b->t->present[*u] = true;
        b->t->row_of[*u] = rec->row;
    } else {
        b->others = grow(b->others, &b->cap_others, b->nothers + 1, sizeof *b->others);
        b->others_row = grow(b->others_row, &b->cap_others_row, b->nothers + 1,
                             sizeof *b->others_row);
        b->others[b->nothers] = text_dup((Text){name, strlen(name)});
        b->others_row[b->nothers++] = rec->row;
    }
    return true;
}

static void table_row(TableBuild *b, const CsvRecord *rec)
{
    int u = UNIT_UNKNOWN;
    bool is_total = false;
    if (!table_row_key(b, rec, &u, &is_total))
        return;
    Table *t = b->t;
    for (int k = 0; k < b->h.n; k++) {
        int c = b->col_at[k];
        if (c < 0)
            continue;
        Dec d = {0, 0, false};
        const CsvField *f = (size_t)k < rec->nfields ? &rec->fields[k] : NULL;
        /* the common cell, plain digits, needs neither trimming nor a call */
        if (!(f && f->len && plain_decimal(f->text, f->len, &d.mant, &d.scale)) &&
            !table_cell(&b->L, rec, k, b->h.labels[k], &d))
            continue;
        if (is_total) {
            b->total[c] = d;
            continue;
        }
        acc_add(&b->sum[c], d);
        if (u >= 0) {
            put_mant(&t->data[c], (size_t)u, d.mant);
            t->data[c].scale[u] = (uint8_t)d.scale;
        }
    }
}

bool table_set(Table *t, int unit, int col, Num v)
{
    Num r = num_reduce(v);      /* 0.50 may come as 50/100 or 5/10 */
    for (int k = 0; k <= MAX_SCALE; k++)
        if (r.den == pow10_tab[k]) {
            put_mant(&t->data[col], (size_t)unit, r.num);
            t->data[col].scale[unit] = (uint8_t)k;
            return true;
        }
    return false;               /* a big value, or not a decimal */
}

/* After the last row: units without a row, and the totals. */
static void table_finish(TableBuild *b)
{
    const TableSpec *spec = b->spec;
    if (!spec->optional && !b->L.stopped) {
        int n;
        char *list = missing_units(b->units, b->t->present, &n);
        if (n)
            cell_error(&b->L, 0, NULL, NULL,
                       "add a row (blank cells read as 0), or declare the table optional",
                       "no row for %s (%d %s)", list, n, n == 1 ? "unit" : "units");
    }
    /* with rows missing or wrong, a totals mismatch would only repeat them */
    if (!b->total_key || b->L.errors)
        return;
    if (!b->total_row)
        cell_error(&b->L, 0, NULL, NULL,
                   gc_printf("the row whose %s is %s holds the totals", spec->key,
                             b->total_key),
                   "no %s row", b->total_key);
    else
        check_totals(&b->L, b->t, b->sum, b->total, b->exempt, b->total_row);
}

Table *table_load(const TableSpec *spec, const Units *units)
{
    CsvReader *r = csv_open_sheet(spec->path, CSV_ENC_AUTO, spec->sheet);
    if (!r)
        return NULL;
    TableBuild b;
    memset(&b, 0, sizeof b);
    b.L = (Load){.path = spec->path};
    b.spec = spec;
    b.units = units;
    b.t = GC_MALLOC(sizeof *b.t);
    b.t->spec = spec;
    b.t->sheet = csv_sheet(r);
    b.t->nunits = units->n;
    if (spec->total_row)
        b.total_key = norm_name(spec->total_row, strlen(spec->total_row));
    if (!read_header(r, &b.L, &b.h))
        goto done;
    b.key = header_find(&b.h, spec->key);
    if (b.key < 0) {
        missing_column(&b.L, spec->key, (const char *const *)b.h.names, (size_t)b.h.n,
                       "the key column names the unit of each row");
        goto done;
    }
    table_columns(&b);
    CsvRecord rec;
    int rc = 0;
    while (!b.L.stopped && (rc = csv_next(r, &rec)) == 1) {
        if (row_blank(&rec))
            continue;
        check_unnamed(&b.L, &rec, &b.h);
        table_row(&b, &rec);
    }
    if (rc < 0)
        b.L.errors++;
    else
        table_finish(&b);
done:
    csv_close(r);
    return b.L.errors ? NULL : b.t;
}
