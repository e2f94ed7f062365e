/*
** output.c — summary and detail in three formats. CSV follows RFC 4180
** (quoted only when needed, CRLF-free so diffs stay readable); JSON numbers
** are exact decimal text; the table aligns CJK text by display width.
** Every number is printed with exactly two decimals, as the rubric's scores
** are stated.
*/
#include <gc.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "escape.h"
#include "fault.h"
#include "output.h"
#include "utf8.h"
#include "provenance.h"


typedef struct Row {
    const char **cells;
    int n;
} Row;

struct Output {
    FILE *out;
    const Program *p;
    OutFormat fmt;
    bool detail;
    int units_written;
    PtrVec rows;            /* FMT_TABLE: buffered to align columns */
    Row header;
    bool *numeric;          /* FMT_TABLE: right-align this column */
    char *line;             /* FMT_CSV: the row being built */
    size_t len, cap;
};

/* ---- text helpers ----------------------------------------------------------- */

int text_width(const char *s)
{
    return utf8_width(s, strlen(s));
}

const char *value_text(const Program *p, Value v, int enum_id)
{
    switch (v.tag) {
    case V_NUM: return num_format_fixed(v.as.num, NUM_PLACES);
    case V_BOOL: return v.as.b ? "是" : "否";
    case V_ENUM: return enum_id >= 0 ? p->enums[enum_id].members[v.as.e] : "?";
    case V_TEXT: return v.as.s;
    default: return "";
    }
}

static void json_value(FILE *out, const Program *p, Value v, int enum_id)
{
    if (v.tag == V_NUM) fputs(num_format_fixed(v.as.num, NUM_PLACES), out);
    else if (v.tag == V_BOOL) fputs(v.as.b ? "true" : "false", out);
    else json_string(out, value_text(p, v, enum_id));
}

/* ---- rows --------------------------------------------------------------------- */

static Row row_new(int n)
{
    Row r = { GC_MALLOC(sizeof(char *) * (size_t)n), n };
    return r;
}

static Row summary_header(const Program *p)
{
    Row r = row_new(1 + p->nperiods + p->nresults + p->ngrades + p->noutcomes);
    int k = 0;
    r.cells[k++] = "单位";
    for (int i = 0; i < p->nperiods; i++) r.cells[k++] = p->period_labels[i];
    for (int i = 0; i < p->nresults; i++) r.cells[k++] = p->results[i].name;
    for (int i = 0; i < p->ngrades; i++) r.cells[k++] = p->grades[i].name;
    for (int i = 0; i < p->noutcomes; i++) r.cells[k++] = p->outcomes[i].name;
    return r;
}

static Row summary_row(const Program *p, int unit, const UnitScores *s)
{
    Row r = row_new(1 + p->nperiods + p->nresults + p->ngrades + p->noutcomes);
    int k = 0;
    r.cells[k++] = p->units->names[unit];
    for (int i = 0; i < p->nperiods; i++) r.cells[k++] = num_format_fixed(s->periods[i], NUM_PLACES);
    for (int i = 0; i < p->nresults; i++) r.cells[k++] = value_text(p, s->results[i], p->results[i].enum_id);
    for (int i = 0; i < p->ngrades; i++) r.cells[k++] = value_text(p, s->grades[i], p->grades[i].enum_id);
    for (int i = 0; i < p->noutcomes; i++) r.cells[k++] = value_text(p, s->outcomes[i], p->outcomes[i].enum_id);
    return r;
}

static const char *const detail_cols[] = { "单位", "期别", "项目", "名称", "分值", "得分" };

/* An item's score as it counts toward the period: penalties negative. */
static Num signed_score(const Program *p, int item, Num v)
{
    return p->sections[p->items[item].section].kind == SEC_PENALTY ? num_neg(v) : v;
}

static Row detail_row(const Program *p, int unit, int period, int item, const UnitScores *s)
{
    Row r = row_new(6);
    const ItemDef *it = &p->items[item];
    r.cells[0] = p->units->names[unit];
    r.cells[1] = p->periods[period];
    r.cells[2] = it->id;
    r.cells[3] = it->title;
    r.cells[4] = it->has_points ? num_format_fixed(item_points(it, unit), NUM_PLACES) : "";
    r.cells[5] = num_format_fixed(signed_score(p, item, s->items[(size_t)period * (size_t)p->nitems + (size_t)item]),
                                  NUM_PLACES);
    return r;
}

/* CSV rows of scores are built in one buffer and written at once, numbers
** formatted in place: no string per cell (a run writes a row per unit, or
** one per unit, period and item). The text is csv_cell's and
** num_format_fixed's. */
static void line_room(Output *o, size_t more)
{
    if (o->len + more <= o->cap) return;
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + more) cap *= 2;
    char *line = GC_MALLOC_ATOMIC(cap);
    if (o->len) memcpy(line, o->line, o->len);
    o->line = line;
    o->cap = cap;
}

static void line_cell(Output *o, bool first, const char *s)
{
    size_t n = strlen(s);
    line_room(o, csv_cell_room(n));
    if (!first) o->line[o->len++] = ',';
    o->len += csv_cell_into(o->line + o->len, s, n);
}

static void line_num(Output *o, Num x)
{
    char buf[64];
    size_t n = num_write_fixed(x, NUM_PLACES, buf, sizeof buf);
    if (n + 1 >= sizeof buf) {   /* a big value: the text may be longer */
        line_cell(o, false, num_format_fixed(x, NUM_PLACES));
        return;
    }
    line_room(o, n + 1);
    o->line[o->len++] = ',';
    memcpy(o->line + o->len, buf, n);
    o->len += n;
}

static void line_value(Output *o, Value v, int enum_id)
{
    if (v.tag == V_NUM) line_num(o, v.as.num);
    else line_cell(o, false, value_text(o->p, v, enum_id));
}

static void line_end(Output *o)
{
    line_room(o, 1);
    o->line[o->len++] = '\n';
    fwrite(o->line, 1, o->len, o->out);
    o->len = 0;
}

static void csv_summary(Output *o, int unit, const UnitScores *s)
{
    const Program *p = o->p;
    line_cell(o, true, p->units->names[unit]);
    for (int i = 0; i < p->nperiods; i++) line_num(o, s->periods[i]);
    for (int i = 0; i < p->nresults; i++) line_value(o, s->results[i], p->results[i].enum_id);
    for (int i = 0; i < p->ngrades; i++) line_value(o, s->grades[i], p->grades[i].enum_id);
    for (int i = 0; i < p->noutcomes; i++) line_value(o, s->outcomes[i], p->outcomes[i].enum_id);
    line_end(o);
}

static void csv_detail(Output *o, int unit, const UnitScores *s)
{
    const Program *p = o->p;
    for (int per = 0; per < p->nperiods; per++) {
        for (int i = 0; i < p->nitems; i++) {
            const ItemDef *it = &p->items[i];
            line_cell(o, true, p->units->names[unit]);
            line_cell(o, false, p->periods[per]);
            line_cell(o, false, it->id);
            line_cell(o, false, it->title);
            if (it->has_points) line_num(o, item_points(it, unit));
            else line_cell(o, false, "");
            line_num(o, signed_score(p, i, s->items[(size_t)per * (size_t)p->nitems + (size_t)i]));
            line_end(o);
        }
    }
}

static void csv_row(FILE *out, Row r)
{
    for (int i = 0; i < r.n; i++) {
        if (i) fputc(',', out);
        csv_cell(out, r.cells[i]);
    }
    fputc('\n', out);
}

/* ---- JSON ----------------------------------------------------------------------- */

static void json_unit(Output *o, int unit, const UnitScores *s)
{
    const Program *p = o->p;
    FILE *out = o->out;
    fputs(o->units_written ? ",\n    {" : "\n    {", out);
    fputs("\"单位\": ", out);
    json_string(out, p->units->names[unit]);
    for (int i = 0; i < p->nperiods; i++) {
        fputs(", ", out);
        json_string(out, p->period_labels[i]);
        fprintf(out, ": %s", num_format_fixed(s->periods[i], NUM_PLACES));
    }
    for (int i = 0; i < p->nresults; i++) {
        fputs(", ", out); json_string(out, p->results[i].name); fputs(": ", out);
        json_value(out, p, s->results[i], p->results[i].enum_id);
    }
    for (int i = 0; i < p->ngrades; i++) {
        fputs(", ", out); json_string(out, p->grades[i].name); fputs(": ", out);
        json_value(out, p, s->grades[i], p->grades[i].enum_id);
    }
    for (int i = 0; i < p->noutcomes; i++) {
        fputs(", ", out); json_string(out, p->outcomes[i].name); fputs(": ", out);
        json_value(out, p, s->outcomes[i], p->outcomes[i].enum_id);
    }
    if (o->detail) {
        fputs(",\n     \"items\": [", out);
        for (int per = 0; per < p->nperiods; per++) {
            for (int i = 0; i < p->nitems; i++) {
                const ItemDef *it = &p->items[i];
                fputs(per || i ? ",\n       {" : "\n       {", out);
                fputs("\"期别\": ", out); json_string(out, p->periods[per]);
                fputs(", \"项目\": ", out); json_string(out, it->id);
                fputs(", \"名称\": ", out); json_string(out, it->title);
                if (it->has_points) fprintf(out, ", \"分值\": %s", num_format_fixed(item_points(it, unit), NUM_PLACES));
                fprintf(out, ", \"得分\": %s}",
                        num_format_fixed(signed_score(p, i, s->items[(size_t)per * (size_t)p->nitems + (size_t)i]),
                                         NUM_PLACES));
            }
        }
        fputs("]", out);
    }
    fputs("}", out);
}

/* ---- assumptions ------------------------------------------------------------- */

/* Every `assume` of the rubric, with where it applies and its citation, in
** rule order: what the policy office chose where the notice is vague. */
static void json_assumption_list(FILE *out, const char *where, const Attrs *at, const char *cite, int *count)
{
    if (!at) return;
    for (int i = 0; i < at->assumes.n; i++) {
        fputs(*count ? ",\n    {" : "\n    {", out);
        fputs("\"where\": ", out);
        json_string(out, where);
        const char *c = at->cite ? at->cite : cite;
        if (c) { fputs(", \"cite\": ", out); json_string(out, c); }
        fputs(", \"text\": ", out);
        json_string(out, at->assumes.items[i]);
        fputs("}", out);
        (*count)++;
    }
}

static const char *label(const char *kind, const char *name)
{
    size_t n = strlen(kind) + strlen(name) + 2;
    char *s = GC_MALLOC_ATOMIC(n);
    snprintf(s, n, "%s %s", kind, name);
    return s;
}

static void json_assumptions(FILE *out, const Program *p)
{
    int count = 0;
    fputs(",\n  \"assumptions\": [", out);
    json_assumption_list(out, "rubric", p->rubric_at, NULL, &count);
    json_assumption_list(out, "periods", p->period_at, NULL, &count);
    json_assumption_list(out, "round items", p->round_at, NULL, &count);
    for (int i = 0; i < p->nparams; i++)
        json_assumption_list(out, label("param", p->params[i].name), p->params[i].at, NULL, &count);
    for (int i = 0; i < p->ntables; i++)
        json_assumption_list(out, label("table", p->table_specs[i].name), p->table_at[i], NULL, &count);
    const Attrs *last = NULL;   /* facts declared together share their attributes */
    for (int i = 0; i < p->nfacts; i++) {
        if (p->facts[i].at == last) continue;
        last = p->facts[i].at;
        json_assumption_list(out, label("fact", p->facts[i].name), last, NULL, &count);
    }
    for (int i = 0; i < p->nlets; i++)
        json_assumption_list(out, label("let", p->lets[i].name), p->lets[i].at, NULL, &count);
    for (int i = 0; i < p->nitems; i++) {
        const ItemDef *it = &p->items[i];
        const char *where = label("item", it->id);
        json_assumption_list(out, where, it->at, NULL, &count);
        for (int k = 0; k < it->nsteps; k++)
            json_assumption_list(out, where, it->steps[k].at, it->at ? it->at->cite : NULL, &count);
    }
    for (int i = 0; i < p->nresults; i++)
        json_assumption_list(out, label("result", p->results[i].name), p->results[i].at, NULL, &count);
    for (int i = 0; i < p->ngrades; i++)
        json_assumption_list(out, label("grade", p->grades[i].name), p->grades[i].at, NULL, &count);
    for (int i = 0; i < p->noutcomes; i++)
        json_assumption_list(out, label("outcome", p->outcomes[i].name), p->outcomes[i].at, NULL, &count);
    fputs(count ? "\n  ]" : "]", out);
}

/* ---- driver --------------------------------------------------------------------- */

Output *output_begin(FILE *out, const Program *p, OutFormat fmt, bool detail, const Provenance *pv)
{
    Output *o = GC_NEW(Output);
    o->out = out;
    o->p = p;
    o->fmt = fmt;
    o->detail = detail;
    if (detail) {
        o->header = row_new(6);
        memcpy(o->header.cells, detail_cols, sizeof detail_cols);
    } else {
        o->header = summary_header(p);
    }
    switch (fmt) {
    case FMT_XLSX: break;     /* written by xlsx.c, not here */
    case FMT_CSV: csv_row(out, o->header); break;
    case FMT_JSON:
        fputs("{\n  \"rubric\": ", out);
        json_string(out, p->title ? p->title : "");
        if (p->source) { fputs(",\n  \"source\": ", out); json_string(out, p->source); }
        if (pv) { fputs(",\n  \"provenance\": ", out); provenance_json(out, pv); }
        fputs(",\n  \"units\": [", out);
        break;
    case FMT_TABLE: break;
    }
    return o;
}

void output_unit(Output *o, int unit, const UnitScores *s)
{
    const Program *p = o->p;
    switch (o->fmt) {
    case FMT_CSV:
        if (o->detail) csv_detail(o, unit, s);
        else csv_summary(o, unit, s);
        break;
    case FMT_JSON: json_unit(o, unit, s); break;
    case FMT_XLSX: break;
    case FMT_TABLE:
        if (!o->detail) {
            Row *r = GC_NEW(Row);
            *r = summary_row(p, unit, s);
            vec_push(&o->rows, r);
            break;
        }
        for (int per = 0; per < p->nperiods; per++) {
            for (int i = 0; i < p->nitems; i++) {
                Row *r = GC_NEW(Row);
                *r = detail_row(p, unit, per, i, s);
                vec_push(&o->rows, r);
            }
        }
        break;
    }
    o->units_written++;
}

/* A number, or a percentage (30%, a swept rate). */
static bool looks_numeric(const char *s)
{
    if (*s == '-' || *s == '+') s++;
    if (!*s || *s == '%') return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '.' || (*s == '%' && !s[1]))) return false;
    return true;
}

static void pad(FILE *out, int n)
{
    for (int i = 0; i < n; i++) fputc(' ', out);
}

/* Aligns columns by display width; a column whose cells are all numbers
** is right-aligned. */
static void print_aligned(FILE *out, Row header, const PtrVec *rows)
{
    int ncols = header.n;
    int *width = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)ncols);
    bool *numeric = GC_MALLOC_ATOMIC(sizeof(bool) * (size_t)ncols);
    for (int c = 0; c < ncols; c++) {
        width[c] = text_width(header.cells[c]);
        numeric[c] = rows->n > 0;
    }
    for (int r = 0; r < rows->n; r++) {
        Row *row = rows->items[r];
        for (int c = 0; c < ncols; c++) {
            int w = text_width(row->cells[c]);
            if (w > width[c]) width[c] = w;
            if (!looks_numeric(row->cells[c]) && row->cells[c][0]) numeric[c] = false;
        }
    }
    for (int r = -1; r < rows->n; r++) {
        const Row *row = r < 0 ? &header : rows->items[r];
        for (int c = 0; c < ncols; c++) {
            int gap = width[c] - text_width(row->cells[c]);
            if (c) fputs("  ", out);
            if (numeric[c]) pad(out, gap);
            fputs(row->cells[c], out);
            if (!numeric[c] && c < ncols - 1) pad(out, gap);
        }
        fputc('\n', out);
        if (r < 0) {
            for (int c = 0; c < ncols; c++) {
                if (c) fputs("  ", out);
                for (int i = 0; i < width[c]; i++) fputc('-', out);
            }
            fputc('\n', out);
        }
    }
}

static void table_print(Output *o)
{
    print_aligned(o->out, o->header, &o->rows);
}

/* ---- for other writers (what-if comparisons) --------------------------------- */

void out_table(FILE *out, int ncols, const char **header, const PtrVec *rows)
{
    PtrVec wrapped = { 0 };
    for (int r = 0; r < rows->n; r++) {
        Row *row = GC_NEW(Row);
        *row = (Row){ rows->items[r], ncols };
        vec_push(&wrapped, row);
    }
    print_aligned(out, (Row){ header, ncols }, &wrapped);
}

void out_csv_row(FILE *out, const char **cells, int n)
{
    csv_row(out, (Row){ cells, n });
}

void output_end(Output *o)
{
    switch (o->fmt) {
    case FMT_CSV: case FMT_XLSX: break;
    case FMT_JSON:
        fputs("\n  ]", o->out);
        json_assumptions(o->out, o->p);
        fputs("\n}\n", o->out);
        break;
    case FMT_TABLE: table_print(o); break;
    }
}
