/*
** facts.c — the fact file: one row per unit and 期别, each cell parsed once
** by its fact type into column storage (the common cells on fast paths,
** every other one in full with its error), and the facts rule tests build
** in memory (facts_blank, facts_put, facts_copy).
*/
#include "facts.h"

#include <gc.h>
#include <string.h>

#include "cells.h"
#include "diag.h"
#include "names.h"
#include "unit_lookup.h"

const char *fact_type_name(FactType t)
{
    switch (t) {
    case FT_BOOL: return "bool";
    case FT_COUNT: return "count";
    case FT_DECIMAL: return "decimal";
    case FT_PERCENT: return "percent";
    case FT_ENUM: return "enum";
    case FT_TEXT: return "text";
    }
    return "?";
}

static const char *members_list(const FactColSpec *spec)
{
    size_t len = 1;
    for (int m = 0; m < spec->nmembers; m++)
        len += strlen(spec->members[m]) + 2;
    char *s = GC_MALLOC_ATOMIC(len);
    s[0] = 0;
    for (int m = 0; m < spec->nmembers; m++) {
        if (m)
            strcat(s, ", ");
        strcat(s, spec->members[m]);
    }
    return s;
}

#define COUNT_HINT "a count is a whole number ≥ 0, such as 3"

#define PERCENT_HINT "a percent is a number from 0 to 100, such as 95.5 or 95.5%"
#define FRACTION_HINT "this fact is declared ': fraction': 0.8 is 80%; write 80% for a percent"

/* One schema column as the row loop reads it. */
typedef struct Slot {
    FactColumn *col;
    const FactColSpec *spec;
    size_t k;                  /* its CSV column, from 0 */
    size_t *member_len;        /* FT_ENUM: [nmembers] */
} Slot;

static bool has_percent_sign(Text v)
{
    return (v.len >= 1 && v.s[v.len - 1] == '%') ||
           (v.len >= 3 && memcmp(v.s + v.len - 3, "\xEF\xBC\x85", 3) == 0);
}

/* A percent cell without a sign whose number is above 0 and at most 1
** ("0.8", "1") reads as 80% or 100% to whoever exported fractions and as
** 0.8% or 1% to the rubric: kaohe does not guess. d is the cell read as a
** percent (scale already raised by 2). */
static void ambiguous_percent(Load *L, const Slot *sl, long row, const char *rt, Text v, Dec d)
{
    int s = d.scale - 2;                   /* the scale as written */
    const char *as_percent = acc_text(d.mant, s);
    const char *as_fraction = s >= 2 ? acc_text(d.mant, s - 2)
                                     : acc_text((__int128)d.mant * pow10_tab[2 - s], 0);
    cell_error(L, row, sl->spec->column, rt,
               gc_printf("write %s%% or %s%%; a column written as fractions (0 to 1) is "
                         "declared ': fraction'", as_fraction, as_percent),
               "%s could mean %s%% or %s%% (column %s, %s, is a percent from 0 to 100)",
               diag_short(text_dup(v)), as_fraction, as_percent,
               column_letters(sl->col->csv_col), diag_short(sl->spec->column));
}

/* A percent fact's cell into *d (a fraction: 95% is 95 / 10^2). A number
** with % is a percent; one without is a percent from 0 to 100 for a fact
** declared `percent` (unless it is ambiguous, see ambiguous_percent) and a
** fraction from 0 to 1 for one declared `fraction`. False, reported, for a
** cell that is none of these. */
static bool percent_cell(Load *L, const Slot *sl, long row, const char *rt, Text v, Dec *d)
{
    const char *name = sl->spec->column;
    bool sign = has_percent_sign(v), fraction = sl->spec->fraction && !sign;
    const char *hint = sl->spec->fraction ? FRACTION_HINT : PERCENT_HINT;
    DecStatus st = fraction ? dec_parse(v, d) : percent_parse(v, d);
    if (st != DEC_OK)
        number_error(L, row, name, rt, v, st, "percent", hint);
    else if (d->mant < 0)
        cell_error(L, row, name, rt, hint, "negative percent");
    else if (d->mant > pow10_tab[d->scale] && !sl->spec->over_100)
        cell_error(L, row, name, rt, hint, fraction ? "fraction over 1" : "percent over 100");
    else if (!sign && !fraction && d->mant > 0 && d->mant <= pow10_tab[d->scale - 2])
        ambiguous_percent(L, sl, row, rt, v, *d);
    else
        return true;
    return false;
}

/* Parses one fact cell by its type into column storage at index i: any
** cell, with every error reported. */
static void put_fact(Load *L, const Slot *sl, size_t i, const CsvRecord *rec)
{
    FactColumn *col = sl->col;
    switch (col->type) {                          /* blank until parsed */
    case FT_BOOL:
    case FT_ENUM:
        col->small[i] = FACT_BLANK;
        break;
    case FT_COUNT:
    case FT_DECIMAL:
    case FT_PERCENT:
        put_mant(col, i, 0);
        col->scale[i] = FACT_BLANK;
        break;
    case FT_TEXT:
        col->text[i] = NULL;
        break;
    }
    if (sl->k >= rec->nfields)
        return;                                   /* a short row: blank */
    const CsvField *f = &rec->fields[sl->k];
    Text v = trim(f->text, f->len);
    if (v.len == 0)
        return;                                   /* blank */
    const FactColSpec *spec = sl->spec;
    const char *rt = f->text, *name = spec->column;
    long row = rec->row;
    Dec d = {0, 0, false};
    DecStatus st;
    switch (spec->type) {
    case FT_BOOL: {
        int b = parse_bool(v);
        if (b < 0)
            cell_error(L, row, name, rt,
                       "write 是 or 否 (有/无, √/×, Y/N, true/false and 1/0 also work)",
                       "not a bool");
        else
            col->small[i] = (uint8_t)b;
        return;
    }
    case FT_COUNT:
        st = dec_parse(v, &d);
        if (st != DEC_OK)
            number_error(L, row, name, rt, v, st, "count", COUNT_HINT);
        else if (d.mant < 0)
            cell_error(L, row, name, rt, COUNT_HINT, "negative count");
        else if (d.scale > 0)          /* "3.0" and "2.00" are whole: Excel's 0.0 format */
            cell_error(L, row, name, rt, COUNT_HINT, "not a whole number");
        else
            break;
        return;
    case FT_DECIMAL:
        st = dec_parse(v, &d);
        if (st == DEC_OK)
            break;
        number_error(L, row, name, rt, v, st, "number",
                     "write a decimal number such as 12.5, without separators or units");
        return;
    case FT_PERCENT:
        if (!percent_cell(L, sl, row, rt, v, &d))
            return;
        break;
    case FT_ENUM:
        for (int m = 0; m < spec->nmembers; m++)
            if (text_is(v, spec->members[m])) {
                col->small[i] = (uint8_t)m;
                return;
            }
        {
            const char *s = diag_suggest(text_dup(v), spec->members, (size_t)spec->nmembers);
            cell_error(L, row, name, rt,
                       s ? gc_printf("did you mean %s?", s) : "write one of them exactly",
                       "not one of %s", members_list(spec));
        }
        return;
    case FT_TEXT:
        col->text[i] = text_dup(v);
        return;
    }
    put_mant(col, i, d.mant);
    col->scale[i] = (uint8_t)d.scale;
}

/* The cells most fact files are made of, stored without a call: exactly 是,
** 否, 1 or 0, a count of plain digits, a decimal or percent of plain digits and
** a point, an enum member written exactly, and a blank cell. Each returns
** false for anything else (spaces, signs, other spellings, every error),
** which put_fact decides in full, and may store a cell twice, to the same
** value. s[0, n) is the cell as read. */
static inline bool fast_bool(FactColumn *col, size_t i, const char *s, size_t n)
{
    if (n != 3) {
        if (n == 0)
            col->small[i] = FACT_BLANK;
        else if (n == 1 && (s[0] == '0' || s[0] == '1'))
            col->small[i] = (uint8_t)(s[0] - '0');
        else
            return false;
        return true;
    }
    /* 是 is E6 98 AF, 否 is E5 90 A6; s[3] is the cell's NUL terminator, so
    ** one 4-byte load compares the whole cell */
    static const char yes[4] = "\xE6\x98\xAF", no[4] = "\xE5\x90\xA6";
    uint32_t w, y, o;
    memcpy(&w, s, 4);
    memcpy(&y, yes, 4);
    memcpy(&o, no, 4);
    if (w == y)
        col->small[i] = 1;
    else if (w == o)
        col->small[i] = 0;
    else
        return false;
    return true;
}

static inline bool fast_count(FactColumn *col, size_t i, const char *s, size_t n)
{
    if (n > MAX_SCALE)
        return false;
    if (n == 0) {
        put_mant(col, i, 0);
        col->scale[i] = FACT_BLANK;
        return true;
    }
    uint64_t m = 0;
    for (size_t j = 0; j < n; j++) {
        unsigned dig = (unsigned)(unsigned char)s[j] - '0';
        if (dig > 9)
            return false;
        m = m * 10 + dig;
    }
    put_mant(col, i, (int64_t)m);
    col->scale[i] = 0;
    return true;
}

static inline bool fast_decimal(FactColumn *col, size_t i, const char *s, size_t n)
{
    int64_t m;
    int sc;
    if (n == 0) {
        m = 0;
        sc = FACT_BLANK;
    } else if (!plain_decimal(s, n, &m, &sc)) {
        return false;
    }
    put_mant(col, i, m);
    col->scale[i] = (uint8_t)sc;
    return true;
}

static inline bool fast_percent(FactColumn *col, size_t i, const char *s, size_t n)
{
    int64_t m;
    int sc;
    if (n == 0) {
        put_mant(col, i, 0);
        col->scale[i] = FACT_BLANK;
        return true;
    }
    bool sign = n > 1 && s[n - 1] == '%';
    if (sign)
        n--;
    if (!plain_decimal(s, n, &m, &sc) || sc + 2 > MAX_SCALE || m > pow10_tab[sc + 2])
        return false;
    if (!sign && m > 0 && m <= pow10_tab[sc])
        return false;                       /* "0.8": 80% or 0.8%? see percent_cell */
    put_mant(col, i, m);
    col->scale[i] = (uint8_t)(sc + 2);
    return true;
}

static inline bool fast_enum(const Slot *sl, size_t i, const char *s, size_t n)
{
    if (n == 0) {
        sl->col->small[i] = FACT_BLANK;
        return true;
    }
    if (trim(s, n).len != n)
        return false;                       /* spaces around it: put_fact trims */
    for (int m = 0; m < sl->spec->nmembers; m++)
        if (sl->member_len[m] == n && memcmp(s, sl->spec->members[m], n) == 0) {
            sl->col->small[i] = (uint8_t)m;
            return true;
        }
    return false;
}

static inline bool put_fast(const Slot *sl, size_t i, const CsvRecord *rec)
{
    if (sl->k >= rec->nfields)
        return false;
    const char *s = rec->fields[sl->k].text;
    size_t n = rec->fields[sl->k].len;
    switch (sl->col->type) {
    case FT_BOOL: return fast_bool(sl->col, i, s, n);
    case FT_COUNT: return fast_count(sl->col, i, s, n);
    case FT_DECIMAL: return fast_decimal(sl->col, i, s, n);
    case FT_PERCENT: return !sl->spec->fraction && fast_percent(sl->col, i, s, n);
    case FT_ENUM: return fast_enum(sl, i, s, n);
    case FT_TEXT: return false;
    }
    return false;
}

/* The schema columns grouped by type, so that a row's cells of one type go
** through one tight loop. */
typedef struct SlotGroups {
    Slot *by_type[FT_TEXT + 1];
    int n[FT_TEXT + 1];
} SlotGroups;

/* Stores the cells of one row at index i: first every cell the fast paths
** take, type by type; then, if any is left, the whole row again in column
** order, so that put_fact reports the errors in the order of the columns. */
static void put_row(Load *L, const Slot *slots, int nslots, const SlotGroups *g, size_t i,
                    const CsvRecord *rec)
{
    const CsvField *fl = rec->fields;
    size_t nf = rec->nfields;
    bool ok = true;
    const Slot *sl = g->by_type[FT_BOOL], *end = sl + g->n[FT_BOOL];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_bool(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_COUNT], end = sl + g->n[FT_COUNT];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_count(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_DECIMAL], end = sl + g->n[FT_DECIMAL];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_decimal(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_PERCENT], end = sl + g->n[FT_PERCENT];
    for (; sl < end; sl++)
        ok &= sl->k < nf && !sl->spec->fraction &&
              fast_percent(sl->col, i, fl[sl->k].text, fl[sl->k].len);
    sl = g->by_type[FT_ENUM], end = sl + g->n[FT_ENUM];
    for (; sl < end; sl++)
        ok &= sl->k < nf && fast_enum(sl, i, fl[sl->k].text, fl[sl->k].len);
    /* text cells have no errors to order */
    sl = g->by_type[FT_TEXT], end = sl + g->n[FT_TEXT];
    for (; sl < end; sl++)
        put_fact(L, sl, i, rec);
    if (ok)
        return;
    for (int c = 0; c < nslots; c++)
        if (slots[c].col->type != FT_TEXT && !put_fast(&slots[c], i, rec))
            put_fact(L, &slots[c], i, rec);
}

/* Which file column holds each schema column; missing ones and extra ones
** reported (errors and warnings). colpos[c] is -1 when missing. */
static void match_columns(Load *L, const Header *h, const FactSchema *schema, int *colpos)
{
    bool *used = zalloc_atomic((size_t)h->n);
    for (int k = 0; k < h->n; k++)
        used[k] = !h->names[k][0] || strcmp(h->names[k], "单位") == 0 ||
                  strcmp(h->names[k], "期别") == 0;
    const char **missing = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *missing);
    int nmissing = 0;
    for (int c = 0; c < schema->ncols; c++) {
        colpos[c] = header_find(h, schema->cols[c].column);
        if (colpos[c] >= 0)
            used[colpos[c]] = true;
        else
            missing[nmissing++] = schema->cols[c].column;
    }
    /* a second column of the same name is reported as a duplicate already */
    for (int k = 0; k < h->n; k++)
        used[k] = used[header_find(h, h->names[k])];
    const char **extra = GC_MALLOC(((size_t)h->n + 1) * sizeof *extra);
    int nextra = 0;
    for (int k = 0; k < h->n; k++)          /* a duplicate is warned of once */
        if (!used[k] && header_find(h, h->names[k]) == k)
            extra[nextra++] = h->names[k];
    for (int m = 0; m < nmissing; m++)
        missing_column(L, missing[m], extra, (size_t)nextra,
                       "the fact file has one column per fact the rubric declares");
    for (int e = 0; e < nextra; e++) {
        const char *s = diag_suggest(extra[e], missing, (size_t)nmissing);
        const char *label = diag_short(extra[e]);      /* never blank: see used */
        diag_cell(DIAG_WARNING, L->path, 1, label, NULL,
                  s ? gc_printf("did you mean %s?", s) : NULL,
                  "column %s is not a fact of the rubric (ignored)", label);
    }
}

/* The unit and period a fact row is for; false (reported) when either is
** wrong. */
static bool row_key(Load *L, const CsvRecord *rec, int kunit, int kper,
                    const FactSchema *schema, const Units *units, int *hint, int *u, int *p)
{
    Text tu = cell(rec, kunit), tp = cell(rec, kper);
    bool ok = true;
    *u = UNIT_UNKNOWN;
    *p = -1;
    if (tu.len == 0) {
        cell_error(L, rec->row, "单位", NULL, "every row names its unit", "no unit name");
        ok = false;
    } else {
        char stack[NAME_STACK];
        const char *name = norm_key(tu, stack);
        *u = unit_of_near(units, name, hint);
        if (*u == UNIT_UNKNOWN) {
            unknown_unit(L, units, rec->row, "单位", name);
            ok = false;
        } else if (*u == UNIT_NOT_ASSESSED) {
            cell_error(L, rec->row, "单位", NULL,
                       gc_printf("%s marks it 考核=否; remove this row", units->path),
                       "%s is not assessed", diag_short(name));
            ok = false;
        }
    }
    for (int k = 0; k < schema->nperiods; k++)
        if (text_is(tp, schema->periods[k]))
            *p = k;
    if (*p < 0) {
        const char *list = members_list(&(FactColSpec){
            "期别", FT_ENUM, schema->nperiods, schema->periods, false, false});
        const char *s = tp.len ? diag_suggest(text_dup(tp), schema->periods,
                                               (size_t)schema->nperiods) : NULL;
        cell_error(L, rec->row, "期别", tp.len ? raw(rec, kper) : NULL,
                   s ? gc_printf("did you mean %s?", s)
                     : gc_printf("the rubric's periods are %s", list),
                   tp.len ? "unknown 期别" : "no 期别");
        ok = false;
    }
    return ok;
}

FactData *facts_load(const char *path, CsvEncoding enc, const FactSchema *schema,
                     const Units *units)
{
    return facts_load_ex(path, enc, schema, units, false);
}

/* The cells as written, for explanations: the trimmed text of each schema
** column of one row. */
static void keep_raw(FactData *fd, size_t i, const int *colpos, const CsvRecord *rec)
{
    int nc = fd->schema->ncols;
    for (int c = 0; c < nc; c++) {
        size_t k = (size_t)colpos[c];
        const char *text = "";
        if (k < rec->nfields) {
            Text v = trim(rec->fields[k].text, rec->fields[k].len);
            text = GC_STRNDUP(v.s, v.len);
        }
        fd->raw[i * (size_t)nc + (size_t)c] = text;
    }
}

FactData *facts_load_ex(const char *path, CsvEncoding enc, const FactSchema *schema,
                        const Units *units, bool raw)
{
    return facts_load_sheet(path, NULL, enc, schema, units, raw);
}

FactData *facts_load_sheet(const char *path, const char *sheet, CsvEncoding enc, const FactSchema *schema,
                           const Units *units, bool raw)
{
    CsvReader *r = csv_open_sheet(path, enc, sheet);
    if (!r)
        return NULL;
    Load L = {.path = path};
    FactData *fd = GC_MALLOC(sizeof *fd);
    fd->path = GC_STRDUP(path);
    fd->schema = schema;
    fd->nunits = units->n;
    fd->nperiods = schema->nperiods;
    fd->encoding = csv_encoding(r);
    fd->sheet = csv_sheet(r);
    Header h;
    if (!read_header(r, &L, &h))
        goto done;
    int kunit = header_find(&h, "单位"), kper = header_find(&h, "期别");
    if (kunit < 0)
        missing_column(&L, "单位", (const char *const *)h.names, (size_t)h.n,
                       "the fact file names each row's unit in a column 单位");
    if (kper < 0)
        missing_column(&L, "期别", (const char *const *)h.names, (size_t)h.n,
                       gc_printf("each row is for one period: %s",
                                 members_list(&(FactColSpec){"期别", FT_ENUM,
                                                             schema->nperiods,
                                                             schema->periods, false, false})));
    int *colpos = GC_MALLOC_ATOMIC(((size_t)schema->ncols + 1) * sizeof *colpos);
    match_columns(&L, &h, schema, colpos);
    if (L.errors)
        goto done;

    size_t ncells = (size_t)units->n * (size_t)schema->nperiods;
    fd->cols = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *fd->cols);
    Slot *slots = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *slots);
    SlotGroups groups;
    memset(&groups, 0, sizeof groups);
    for (int c = 0; c < schema->ncols; c++) {
        const FactColSpec *spec = &schema->cols[c];
        alloc_column(&fd->cols[c], spec->type, ncells, colpos[c] + 1);
        slots[c] = (Slot){&fd->cols[c], spec, (size_t)colpos[c], NULL};
        if (spec->type == FT_ENUM) {
            slots[c].member_len = GC_MALLOC_ATOMIC(((size_t)spec->nmembers + 1) *
                                                   sizeof *slots[c].member_len);
            for (int m = 0; m < spec->nmembers; m++)
                slots[c].member_len[m] = strlen(spec->members[m]);
        }
        groups.n[spec->type]++;
    }
    for (int t = 0; t <= FT_TEXT; t++) {
        groups.by_type[t] = GC_MALLOC(((size_t)groups.n[t] + 1) * sizeof *groups.by_type[t]);
        groups.n[t] = 0;
    }
    for (int c = 0; c < schema->ncols; c++) {
        FactType t = schema->cols[c].type;
        groups.by_type[t][groups.n[t]++] = slots[c];
    }
    fd->row_of = zalloc_atomic(ncells * sizeof *fd->row_of);
    if (raw)
        fd->raw = GC_MALLOC((ncells * (size_t)schema->ncols + 1) * sizeof *fd->raw);

    CsvRecord rec;
    int rc = 0, hint = 0;
    while (!L.stopped && (rc = csv_next(r, &rec)) == 1) {
        if (row_blank(&rec))
            continue;
        check_unnamed(&L, &rec, &h);
        int u, p;
        if (!row_key(&L, &rec, kunit, kper, schema, units, &hint, &u, &p))
            continue;
        size_t i = fact_cell(fd, u, p);
        if (fd->row_of[i]) {
            cell_error(&L, rec.row, NULL, NULL, "one row per unit and 期别",
                       "a second row for %s %s (the first is row %ld)", diag_short(units->names[u]),
                       schema->periods[p], fd->row_of[i]);
            continue;
        }
        fd->row_of[i] = rec.row;
        put_row(&L, slots, schema->ncols, &groups, i, &rec);
        if (raw)
            keep_raw(fd, i, colpos, &rec);
    }
    if (rc < 0) {
        L.errors++;
        goto done;
    }
    for (int u = 0; u < units->n && !L.stopped; u++)
        for (int p = 0; p < schema->nperiods; p++)
            if (!fd->row_of[fact_cell(fd, u, p)])
                cell_error(&L, 0, NULL, NULL, "every unit has one row per 期别",
                           "no row for %s %s", diag_short(units->names[u]), schema->periods[p]);
done:
    csv_close(r);
    return L.errors ? NULL : fd;
}

/* ---- facts written in rule tests -------------------------------------------------*/

FactData *facts_blank(const char *path, const FactSchema *schema, const Units *units)
{
    FactData *fd = GC_MALLOC(sizeof *fd);
    fd->path = path;
    fd->schema = schema;
    fd->nunits = units->n;
    fd->nperiods = schema->nperiods;
    fd->encoding = CSV_ENC_UTF8;
    size_t ncells = (size_t)units->n * (size_t)schema->nperiods;
    fd->cols = GC_MALLOC(((size_t)schema->ncols + 1) * sizeof *fd->cols);
    for (int c = 0; c < schema->ncols; c++) {
        FactColumn *col = &fd->cols[c];
        alloc_column(col, schema->cols[c].type, ncells, c + 1);
        for (size_t i = 0; i < ncells; i++) {
            if (col->small)
                col->small[i] = FACT_BLANK;
            if (col->scale)
                col->scale[i] = FACT_BLANK;
        }
    }
    fd->row_of = zalloc_atomic((ncells + 1) * sizeof *fd->row_of);
    return fd;
}

FactData *facts_copy(const FactData *from)
{
    FactData *fd = GC_MALLOC(sizeof *fd);
    *fd = *from;
    size_t n = (size_t)from->nunits * (size_t)from->nperiods + 1;
    int ncols = from->schema->ncols;
    fd->cols = GC_MALLOC(sizeof(FactColumn) * ((size_t)ncols + 1));
    for (int c = 0; c < ncols; c++) {
        const FactColumn *a = &from->cols[c];
        FactColumn *b = &fd->cols[c];
        *b = *a;
#define COPY(field, alloc)                                          \
        if (a->field) {                                             \
            b->field = alloc(n * sizeof *a->field);                 \
            memcpy(b->field, a->field, n * sizeof *a->field);       \
        }
        COPY(small, GC_MALLOC_ATOMIC)
        COPY(mant32, GC_MALLOC_ATOMIC)
        COPY(mant, GC_MALLOC_ATOMIC)
        COPY(scale, GC_MALLOC_ATOMIC)
        COPY(text, GC_MALLOC)
#undef COPY
    }
    fd->row_of = GC_MALLOC_ATOMIC(n * sizeof(long));
    memcpy(fd->row_of, from->row_of, n * sizeof(long));
    return fd;
}

bool facts_put(FactData *fd, int col, int unit, int period, const char *text, Loc at)
{
    Load L = {.path = fd->path, .at = &at};
    CsvField field = {text, strlen(text)};
    CsvRecord rec = {1, &field, 0, 0};
    Slot sl = {&fd->cols[col], &fd->schema->cols[col], 0, NULL};
    put_fact(&L, &sl, fact_cell(fd, unit, period), &rec);
    return L.errors == 0;
}
