/*
** whatif.c — the comparison and the sweep of `kaohe whatif`. Both programs
** (the rubric as it is, and under the scenario) are scored with the same
** facts; measures are matched by name, items by id, so a scenario may add
** a result or an item. A sweep scores once in full, then, for each further
** value, re-evaluates the params and only the items the swept param
** reaches (vm/reach.h, found by reading the bytecode), and all results, grades and
** outcomes. Numbers stay exact; they are formatted only when written.
*/
#include <gc.h>
#include <string.h>

#include "reach.h"
#include "report.h"
#include "whatif.h"

/* The words of the outputs: 基准 the rubric as it is, 方案 the scenario,
** 变化 the change (方案 − 基准). */
#define W_BASE "基准"
#define W_WHAT "方案"
#define W_DIFF "变化"
#define ARROW " → "

static const char *cat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = GC_MALLOC_ATOMIC(n);
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

static const char *num2(Num n)
{
    const char *t = num_format_fixed(n, 2);
    return strcmp(t, "-0.00") == 0 ? "0.00" : t;
}

/* A change with its sign, as officers read it: +0.70, -0.70, 0.00. */
static const char *signed2(Num d)
{
    const char *t = num2(d);
    return num_sign(d) > 0 && strcmp(t, "0.00") != 0 ? cat("+", t, "") : t;
}

static const char *int_text(long v, bool sign)
{
    char *s = GC_MALLOC_ATOMIC(24);
    snprintf(s, 24, sign && v > 0 ? "+%ld" : "%ld", v);
    return s;
}

/* "a" when the same, "a → b" when not. */
static const char *moved(const char *a, const char *b)
{
    return strcmp(a, b) == 0 ? a : cat(a, ARROW, b);
}

/* ---- what is compared ---------------------------------------------------------- */

typedef enum MKind { M_RESULT, M_GRADE, M_RANK, M_OUTCOME } MKind;

/* A result, grade or outcome (or the rank) of the scenario's program, and
** the same-named one of the baseline's (-1 when the scenario added it). */
typedef struct Measure {
    MKind kind;
    const char *name;
    int what_i, base_i;
    bool numeric;
    bool changed;           /* differs for some unit */
} Measure;

static int find_value(const ValueDef *defs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(defs[i].name, name) == 0) return i;
    return -1;
}

static const ValueDef *defs_of(const Program *p, MKind k, int *n)
{
    switch (k) {
    case M_RESULT: *n = p->nresults; return p->results;
    case M_GRADE: *n = p->ngrades; return p->grades;
    default: *n = p->noutcomes; return p->outcomes;
    }
}

static const Value *values_of(const UnitScores *s, MKind k)
{
    return k == M_RESULT ? s->results : k == M_GRADE ? s->grades : s->outcomes;
}

static Value mvalue(const UnitScores *s, const Measure *m, bool base)
{
    int i = base ? m->base_i : m->what_i;
    Value none = { V_NONE, { .b = false } };
    return i < 0 ? none : values_of(s, m->kind)[i];
}

static const char *mtext(const Program *p, const UnitScores *s, const Measure *m, bool base)
{
    int i = base ? m->base_i : m->what_i, n;
    if (i < 0) return "";
    return value_text(p, values_of(s, m->kind)[i], defs_of(p, m->kind, &n)[i].enum_id);
}

typedef struct Side {
    const Program *p;
    UnitScores **u;
    int *rank;
} Side;

typedef struct Cmp {
    Side base, what;
    Measure *m;
    int nm;
    int nunits;
} Cmp;

static bool same_value(const Cmp *c, int u, const Measure *m)
{
    if (m->kind == M_RANK) return c->base.rank[u] == c->what.rank[u];
    if (m->base_i < 0) return false;
    if (m->numeric) return num_eq(mvalue(c->base.u[u], m, true).as.num,
                                  mvalue(c->what.u[u], m, false).as.num);
    return strcmp(mtext(c->base.p, c->base.u[u], m, true), mtext(c->what.p, c->what.u[u], m, false)) == 0;
}

static void add_measures(Cmp *c, MKind k)
{
    int nw, nb;
    const ValueDef *w = defs_of(c->what.p, k, &nw), *b = defs_of(c->base.p, k, &nb);
    for (int i = 0; i < nw; i++)
        c->m[c->nm++] = (Measure){ k, w[i].name, i, find_value(b, nb, w[i].name), w[i].type == T_NUM, false };
}

/* Competition ranking ("1224") on the first numeric result, highest first;
** without one, on the last period's score. */
static void rank_units(Side *s, int nunits)
{
    const Program *p = s->p;
    int r = -1;
    for (int i = 0; i < p->nresults && r < 0; i++)
        if (p->results[i].type == T_NUM) r = i;
    Num *key = GC_MALLOC(sizeof(Num) * (size_t)(nunits + 1));
    for (int u = 0; u < nunits; u++)
        key[u] = r >= 0 ? s->u[u]->results[r].as.num : s->u[u]->periods[p->nperiods - 1];
    s->rank = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(nunits + 1));
    for (int u = 0; u < nunits; u++) {
        s->rank[u] = 1;
        for (int v = 0; v < nunits; v++)
            if (num_cmp(key[v], key[u]) > 0) s->rank[u]++;
    }
}

/* Scores every unit; on an error adds which side was being scored. */
static int score_all(Side *s, const FactData *facts, int nunits, const char *which)
{
    Eval *ev = eval_new(s->p, facts);
    s->u = GC_MALLOC(sizeof(UnitScores *) * (size_t)(nunits + 1));
    if (ev) {
        for (int u = 0; u < nunits; u++) {
            s->u[u] = eval_scores_new(s->p);
            if (!eval_unit(ev, u, s->u[u])) {
                diag_plain(DIAG_NOTE, NULL, "%s", which);
                return eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
            }
        }
        return 0;
    }
    diag_plain(DIAG_NOTE, NULL, "%s", which);
    return EXIT_EVAL;
}

/* ---- headings -------------------------------------------------------------------- */

/* What the scenario is, as lines above a table: its name and file, the
** citation, the clause text and every assumption. */
static void parts_text(FILE *out, const Scenario *s)
{
    const ScenarioPart *parts;
    int n = scenario_parts(s, &parts);
    for (int i = 0; i < n; i++) {
        const ScenarioPart *pt = &parts[i];
        fprintf(out, "%s：%s", W_WHAT, pt->name);
        if (pt->file) fprintf(out, "（%s）", pt->file);
        fputc('\n', out);
        if (!pt->at) continue;
        if (pt->at->cite) fprintf(out, "  依据：%s\n", pt->at->cite);
        if (pt->at->clause) fprintf(out, "  %s\n", pt->at->clause);
        for (int k = 0; k < pt->at->assumes.n; k++) fprintf(out, "  解释：%s\n", (const char *)pt->at->assumes.items[k]);
    }
    if (n) fputc('\n', out);
}

static void json_key(FILE *out, const char *sep, const char *key)
{
    fputs(sep, out);
    json_string(out, key);
    fputs(": ", out);
}

static void parts_json(FILE *out, const Program *p, const Scenario *s)
{
    fputs("{\n  \"rubric\": ", out);
    json_string(out, p->title ? p->title : "");
    fputs(",\n  \"scenario\": [", out);
    const ScenarioPart *parts;
    int n = scenario_parts(s, &parts);
    for (int i = 0; i < n; i++) {
        const ScenarioPart *pt = &parts[i];
        json_key(out, i ? ",\n    {" : "\n    {", "name");
        json_string(out, pt->name);
        if (pt->file) { json_key(out, ", ", "file"); json_string(out, pt->file); }
        if (pt->at && pt->at->cite) { json_key(out, ", ", "cite"); json_string(out, pt->at->cite); }
        if (pt->at && pt->at->clause) { json_key(out, ", ", "text"); json_string(out, pt->at->clause); }
        if (pt->at && pt->at->assumes.n) {
            json_key(out, ", ", "assumptions");
            for (int k = 0; k < pt->at->assumes.n; k++) {
                fputs(k ? ", " : "[", out);
                json_string(out, pt->at->assumes.items[k]);
            }
            fputs("]", out);
        }
        fputs("}", out);
    }
    fputs(n ? "\n  ]" : "]", out);
}

/* ---- rows -------------------------------------------------------------------------- */

typedef struct Rows {
    PtrVec cells;           /* const char * of the row being built */
    PtrVec rows;            /* const char ** */
    int ncols;
} Rows;

static void cell(Rows *r, const char *s)
{
    vec_push(&r->cells, (void *)s);
}

static void end_row(Rows *r)
{
    const char **row = GC_MALLOC(sizeof(char *) * (size_t)(r->cells.n + 1));
    memcpy(row, r->cells.items, sizeof(char *) * (size_t)r->cells.n);
    r->ncols = r->cells.n;
    r->cells.n = 0;
    vec_push(&r->rows, row);
}

/* The first row is the header. */
static void write_rows(FILE *out, Rows *r, OutFormat fmt)
{
    if (r->rows.n == 0) return;
    if (fmt == FMT_TABLE) {
        PtrVec body = { r->rows.items + 1, r->rows.n - 1, r->rows.n - 1 };
        out_table(out, r->ncols, r->rows.items[0], &body);
        return;
    }
    for (int i = 0; i < r->rows.n; i++) out_csv_row(out, r->rows.items[i], r->ncols);
}

/* ---- the comparison ------------------------------------------------------------------ */

static bool shown(const Cmp *c, const Measure *m, OutFormat fmt)
{
    if (fmt != FMT_TABLE || m->changed || m->kind == M_GRADE || m->kind == M_RANK) return true;
    for (const Measure *x = c->m; x < m; x++)           /* the first numeric result, always */
        if (x->kind == M_RESULT && x->numeric) return false;
    return m->kind == M_RESULT && m->numeric;
}

static void unit_rows(const Cmp *c, Rows *r, OutFormat fmt)
{
    bool table = fmt == FMT_TABLE;
    cell(r, "单位");
    for (int k = 0; k < c->nm; k++) {
        const Measure *m = &c->m[k];
        if (!shown(c, m, fmt)) continue;
        cell(r, m->name);
        if (m->numeric) {
            cell(r, table ? W_WHAT : cat(m->name, "(" W_WHAT ")", ""));
            cell(r, table ? W_DIFF : cat(m->name, "(" W_DIFF ")", ""));
        } else if (!table) {
            cell(r, cat(m->name, "(" W_WHAT ")", ""));
        }
    }
    end_row(r);
    for (int u = 0; u < c->nunits; u++) {
        cell(r, c->what.p->units->names[u]);
        for (int k = 0; k < c->nm; k++) {
            const Measure *m = &c->m[k];
            if (!shown(c, m, fmt)) continue;
            const char *b, *w;
            if (m->kind == M_RANK) {
                b = int_text(c->base.rank[u], false);
                w = int_text(c->what.rank[u], false);
            } else {
                b = mtext(c->base.p, c->base.u[u], m, true);
                w = mtext(c->what.p, c->what.u[u], m, false);
            }
            if (m->numeric) {
                Num bv = m->base_i < 0 ? num_int(0) : mvalue(c->base.u[u], m, true).as.num;
                Num wv = mvalue(c->what.u[u], m, false).as.num;
                cell(r, b);
                cell(r, w);
                cell(r, signed2(num_sub(wv, bv)));
            } else if (table) {
                cell(r, moved(b, w));
            } else {
                cell(r, b);
                cell(r, w);
            }
        }
        end_row(r);
    }
}

/* A numeric outcome summed over the units, on one side. */
static Num outcome_sum(const Side *s, const Measure *m, bool base, int nunits)
{
    Num sum = num_int(0);
    for (int u = 0; u < nunits; u++) {
        Value v = mvalue(s->u[u], m, base);
        if (v.tag == V_NUM) sum = num_add(sum, v.as.num);
    }
    return sum;
}

/* The 合计 row of the CSV: sums of the numeric outcomes. */
static void csv_total_row(const Cmp *c, Rows *r)
{
    cell(r, "合计");
    for (int k = 0; k < c->nm; k++) {
        const Measure *m = &c->m[k];
        bool sum = m->kind == M_OUTCOME && m->numeric;
        Num b = sum ? outcome_sum(&c->base, m, true, c->nunits) : num_int(0);
        Num w = sum ? outcome_sum(&c->what, m, false, c->nunits) : num_int(0);
        cell(r, sum ? num2(b) : "");
        cell(r, sum ? num2(w) : "");
        if (m->numeric) cell(r, sum ? signed2(num_sub(w, b)) : "");
    }
    end_row(r);
}

/* Units per band of a grade, on one side (bands matched by name). */
static long band_count(const Side *s, const Measure *m, bool base, const char *band, int nunits)
{
    long n = 0;
    for (int u = 0; u < nunits; u++)
        if (strcmp(mtext(s->p, s->u[u], m, base), band) == 0) n++;
    return n;
}

/* 合计: units per grade, and the sums of the numeric outcomes. */
static void total_rows(const Cmp *c, Rows *r)
{
    cell(r, "合计"); cell(r, W_BASE); cell(r, W_WHAT); cell(r, W_DIFF);
    end_row(r);
    for (int k = 0; k < c->nm; k++) {
        const Measure *m = &c->m[k];
        if (m->kind == M_GRADE) {
            const EnumType *e = &c->what.p->enums[c->what.p->grades[m->what_i].enum_id];
            for (int b = 0; b < e->n; b++) {
                long nb = band_count(&c->base, m, true, e->members[b], c->nunits);
                long nw = band_count(&c->what, m, false, e->members[b], c->nunits);
                cell(r, cat(m->name, " ", e->members[b]));
                cell(r, int_text(nb, false)); cell(r, int_text(nw, false)); cell(r, int_text(nw - nb, true));
                end_row(r);
            }
        } else if (m->kind == M_OUTCOME && m->numeric) {
            Num b = outcome_sum(&c->base, m, true, c->nunits), w = outcome_sum(&c->what, m, false, c->nunits);
            cell(r, m->name); cell(r, num2(b)); cell(r, num2(w)); cell(r, signed2(num_sub(w, b)));
            end_row(r);
        }
    }
}

/* An item's part of its period's score: a penalty counts negative. */
static Num item_part(const Program *p, const UnitScores *s, int period, int i)
{
    Num v = s->items[(size_t)period * (size_t)p->nitems + (size_t)i];
    return p->sections[p->items[i].section].kind == SEC_PENALTY ? num_neg(v) : v;
}

static int base_item(const Program *base, const char *id)
{
    for (int i = 0; i < base->nitems; i++)
        if (strcmp(base->items[i].id, id) == 0) return i;
    return -1;
}

/* Each period × item of the scenario that changed for some unit: how many
** units, and the change summed over them. With detail, one row per unit
** instead. Returns the number of rows. */
static int item_rows(const Cmp *c, Rows *r, bool detail)
{
    const Program *w = c->what.p, *b = c->base.p;
    if (detail) {
        cell(r, "单位"); cell(r, "期别"); cell(r, "项目"); cell(r, "名称");
        cell(r, W_BASE); cell(r, W_WHAT); cell(r, W_DIFF);
    } else {
        cell(r, "项目"); cell(r, "名称"); cell(r, "期别"); cell(r, "单位数"); cell(r, W_DIFF);
    }
    end_row(r);
    int rows = 0, nx = w->nperiods * w->nitems;
    /* the detail unit by unit in the order of run --detail; the summary
    ** item by item, each over all units */
    for (int u = 0; u < (detail ? c->nunits : 1); u++) {
        for (int x = 0; x < nx; x++) {
            int per = detail ? x / w->nitems : x % w->nperiods;
            int i = detail ? x % w->nitems : x / w->nperiods;
            int bi = base_item(b, w->items[i].id);
            long n = 0;
            Num sum = num_int(0), bv = num_int(0), wv = num_int(0);
            for (int v = detail ? u : 0; v < (detail ? u + 1 : c->nunits); v++) {
                bv = bi < 0 ? num_int(0) : item_part(b, c->base.u[v], per, bi);
                wv = item_part(w, c->what.u[v], per, i);
                if (bi >= 0 && num_eq(bv, wv)) continue;
                n++;
                sum = num_add(sum, num_sub(wv, bv));
            }
            if (n == 0) continue;
            rows++;
            if (detail) {
                cell(r, w->units->names[u]); cell(r, w->periods[per]); cell(r, w->items[i].id);
                cell(r, w->items[i].title); cell(r, bi < 0 ? "" : num2(bv)); cell(r, num2(wv));
                cell(r, signed2(sum));
            } else {
                cell(r, w->items[i].id); cell(r, w->items[i].title); cell(r, w->periods[per]);
                cell(r, int_text(n, false)); cell(r, signed2(sum));
            }
            end_row(r);
        }
    }
    return rows;
}

/* A Rows table as a JSON array of objects keyed by the header. */
static void rows_json(FILE *out, const char *key, const Rows *r, const bool *number_col)
{
    json_key(out, ",\n  ", key);
    fputs("[", out);
    const char **head = r->rows.n ? r->rows.items[0] : NULL;
    for (int i = 1; i < r->rows.n; i++) {
        const char **row = r->rows.items[i];
        fputs(i > 1 ? ",\n    {" : "\n    {", out);
        for (int k = 0; k < r->ncols; k++) {
            json_key(out, k ? ", " : "", head[k]);
            if (number_col[k] && row[k][0]) fputs(row[k][0] == '+' ? row[k] + 1 : row[k], out);
            else json_string(out, row[k]);
        }
        fputs("}", out);
    }
    fputs(r->rows.n > 1 ? "\n  ]" : "]", out);
}

static void json_triple(FILE *out, const char *b, const char *w, const char *d, bool number)
{
    const char *v[3] = { b, w, d };
    const char *k[3] = { W_BASE, W_WHAT, W_DIFF };
    fputs("{", out);
    for (int i = 0; i < 3 && v[i]; i++) {
        json_key(out, i ? ", " : "", k[i]);
        if (number && v[i][0]) fputs(v[i][0] == '+' ? v[i] + 1 : v[i], out);
        else if (!number) json_string(out, v[i]);
        else fputs("null", out);
    }
    fputs("}", out);
}

static void units_json(FILE *out, const Cmp *c)
{
    fputs(",\n  \"units\": [", out);
    for (int u = 0; u < c->nunits; u++) {
        json_key(out, u ? ",\n    {" : "\n    {", "单位");
        json_string(out, c->what.p->units->names[u]);
        for (int k = 0; k < c->nm; k++) {
            const Measure *m = &c->m[k];
            json_key(out, ", ", m->kind == M_RANK ? "名次" : m->name);
            if (m->kind == M_RANK) {
                json_triple(out, int_text(c->base.rank[u], false), int_text(c->what.rank[u], false), NULL, true);
                continue;
            }
            Value bv = mvalue(c->base.u[u], m, true), wv = mvalue(c->what.u[u], m, false);
            if (m->numeric) {
                Num d = num_sub(wv.as.num, bv.tag == V_NUM ? bv.as.num : num_int(0));
                json_triple(out, bv.tag == V_NUM ? num2(bv.as.num) : "", num2(wv.as.num), num2(d), true);
            } else if (wv.tag == V_BOOL) {
                fprintf(out, "{\"%s\": %s, \"%s\": %s}", W_BASE, bv.tag == V_BOOL ? (bv.as.b ? "true" : "false") : "null",
                        W_WHAT, wv.as.b ? "true" : "false");
            } else {
                json_triple(out, mtext(c->base.p, c->base.u[u], m, true), mtext(c->what.p, c->what.u[u], m, false), NULL,
                            false);
            }
        }
        fputs("}", out);
    }
    fputs("\n  ]", out);
}

/* Scores both sides and finds the measures and what changed. */
static int compare(Cmp *c, const Program *base, const Program *what, const FactData *facts)
{
    *c = (Cmp){ .base = { base, NULL, NULL }, .what = { what, NULL, NULL }, .nunits = what->units->n };
    int rc = score_all(&c->base, facts, c->nunits, "while scoring the rubric as it is (" W_BASE ")");
    if (!rc) rc = score_all(&c->what, facts, c->nunits, "while scoring the scenario (" W_WHAT ")");
    if (rc) return rc;
    rank_units(&c->base, c->nunits);
    rank_units(&c->what, c->nunits);
    c->m = GC_MALLOC(sizeof(Measure) * (size_t)(what->nresults + what->ngrades + what->noutcomes + 1));
    add_measures(c, M_RESULT);
    add_measures(c, M_GRADE);
    c->m[c->nm++] = (Measure){ M_RANK, "名次", 0, 0, false, false };
    add_measures(c, M_OUTCOME);
    for (int k = 0; k < c->nm; k++)
        for (int u = 0; u < c->nunits && !c->m[k].changed; u++)
            c->m[k].changed = !same_value(c, u, &c->m[k]);
    return 0;
}

int whatif_compare(FILE *out, const Program *base, const Program *what, const FactData *facts,
                   const Scenario *s, OutFormat fmt, bool detail)
{
    Cmp c;
    int rc = compare(&c, base, what, facts);
    if (rc) return rc;
    Rows units = { 0 }, totals = { 0 }, items = { 0 };
    if (detail) {
        item_rows(&c, &items, true);
    } else {
        unit_rows(&c, &units, fmt);
        total_rows(&c, &totals);
        item_rows(&c, &items, false);
    }
    if (fmt == FMT_JSON) {
        parts_json(out, what, s);
        if (!detail) {
            units_json(out, &c);
            const bool total_num[4] = { false, true, true, true };
            const bool item_num[5] = { false, false, false, true, true };
            rows_json(out, "totals", &totals, total_num);
            rows_json(out, "items", &items, item_num);
        } else {
            const bool detail_num[7] = { false, false, false, false, true, true, true };
            rows_json(out, "detail", &items, detail_num);
        }
        fputs("\n}\n", out);
        return 0;
    }
    if (fmt == FMT_CSV) {
        if (detail) {
            write_rows(out, &items, fmt);
        } else {
            csv_total_row(&c, &units);
            write_rows(out, &units, fmt);
        }
        return 0;
    }
    parts_text(out, s);
    if (!detail) {
        write_rows(out, &units, fmt);
        fputc('\n', out);
        write_rows(out, &totals, fmt);
        fputc('\n', out);
    }
    if (items.rows.n > 1) write_rows(out, &items, fmt);
    else fputs("项目得分没有变化\n", out);
    return 0;
}

/* ---- the section of the HTML report --------------------------------------------- */

static void rows_html(FILE *out, const Rows *r)
{
    fputs("<table>\n", out);
    for (int i = 0; i < r->rows.n; i++) {
        const char **row = r->rows.items[i];
        fputs("<tr>", out);
        for (int k = 0; k < r->ncols; k++) {
            char c = row[k][0];
            bool number = i > 0 && ((c >= '0' && c <= '9') || ((c == '-' || c == '+') && row[k][1]));
            fputs(i == 0 ? "<th>" : number ? "<td class=\"n\">" : "<td>", out);
            report_esc(out, row[k]);
            fputs(i == 0 ? "</th>" : "</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

int whatif_html(FILE *out, const Program *base, const Program *what, const FactData *facts, const Scenario *s)
{
    Cmp c;
    int rc = compare(&c, base, what, facts);
    if (rc) return rc;
    fputs("<h2>方案对比</h2>\n<p class=\"muted\">本报告按下列方案计分；下表为方案与现行细则（基准）的对比。</p>\n", out);
    const ScenarioPart *parts;
    int n = scenario_parts(s, &parts);
    for (int i = 0; i < n; i++) {
        const ScenarioPart *pt = &parts[i];
        fputs("<h3>" W_WHAT "：", out);
        report_esc(out, pt->name);
        if (pt->file) { fputs("（", out); report_esc(out, pt->file); fputs("）", out); }
        fputs("</h3>\n", out);
        if (!pt->at) continue;
        if (pt->at->cite) { fputs("<p>依据：<span class=\"cite\">", out); report_esc(out, pt->at->cite); fputs("</span></p>\n", out); }
        if (pt->at->clause) { fputs("<p>", out); report_esc(out, pt->at->clause); fputs("</p>\n", out); }
        for (int k = 0; k < pt->at->assumes.n; k++) {
            fputs("<div class=\"assume\">解释：", out);
            report_esc(out, pt->at->assumes.items[k]);
            fputs("</div>\n", out);
        }
    }
    Rows units = { 0 }, totals = { 0 }, items = { 0 };
    unit_rows(&c, &units, FMT_TABLE);
    total_rows(&c, &totals);
    rows_html(out, &units);
    rows_html(out, &totals);
    if (item_rows(&c, &items, false)) rows_html(out, &items);
    else fputs("<p>项目得分没有变化</p>\n", out);
    return 0;
}

/* ---- the sweep ------------------------------------------------------------------------ */

/* A column of the sweep table: a band of a grade, or a numeric outcome. */
typedef struct SweepCol {
    int grade, band;        /* band >= 0: units in band of grade */
    int outcome;
    const char *name;
} SweepCol;

typedef struct SweepRun {
    SweepCol *cols;
    int ncols;
    Num *cells;             /* [value * ncols + col] */
    PtrVec changes;         /* const char ** rows: from→to, unit, one cell per grade */
} SweepRun;

static void sweep_columns(const Program *p, SweepRun *sr)
{
    int n = 0;
    for (int g = 0; g < p->ngrades; g++) n += p->enums[p->grades[g].enum_id].n;
    sr->cols = GC_MALLOC(sizeof(SweepCol) * (size_t)(n + p->noutcomes + 1));
    for (int g = 0; g < p->ngrades; g++) {
        const EnumType *e = &p->enums[p->grades[g].enum_id];
        for (int b = 0; b < e->n; b++)
            sr->cols[sr->ncols++] = (SweepCol){ g, b, -1,
                                                 p->ngrades == 1 ? e->members[b] : cat(p->grades[g].name, ".", e->members[b]) };
    }
    for (int o = 0; o < p->noutcomes; o++)
        if (p->outcomes[o].type == T_NUM) sr->cols[sr->ncols++] = (SweepCol){ -1, -1, o, p->outcomes[o].name };
}

/* A swept value as the rubric writes it: 30% for a percentage, else the
** number. */
static const char *sweep_value(const Sweep *sw, Num v)
{
    if (!sw->percent) return num_to_string(v);
    return cat(num_to_string(num_mul(v, num_int(100))), "%", "");
}

/* One value's row of counts and sums; grade changes against the value before. */
static void sweep_record(const Program *p, const Sweep *sw, SweepRun *sr, int k, UnitScores **sc, int *prev)
{
    int nu = p->units->n;
    Num *row = &sr->cells[(size_t)k * (size_t)sr->ncols];
    for (int c = 0; c < sr->ncols; c++) row[c] = num_int(0);
    for (int u = 0; u < nu; u++) {
        for (int c = 0; c < sr->ncols; c++) {
            const SweepCol *col = &sr->cols[c];
            if (col->band >= 0 && sc[u]->grades[col->grade].as.e == col->band) row[c] = num_add(row[c], num_int(1));
            else if (col->outcome >= 0) row[c] = num_add(row[c], sc[u]->outcomes[col->outcome].as.num);
        }
        bool changed = false;
        for (int g = 0; g < p->ngrades; g++) changed |= k > 0 && prev[u * p->ngrades + g] != sc[u]->grades[g].as.e;
        if (changed) {
            const char **r = GC_MALLOC(sizeof(char *) * (size_t)(p->ngrades + 2));
            r[0] = cat(sweep_value(sw, sw->values[k - 1]), ARROW, sweep_value(sw, sw->values[k]));
            r[1] = p->units->names[u];
            for (int g = 0; g < p->ngrades; g++) {
                const EnumType *e = &p->enums[p->grades[g].enum_id];
                const char *a = e->members[prev[u * p->ngrades + g]], *b = e->members[sc[u]->grades[g].as.e];
                r[2 + g] = strcmp(a, b) ? cat(a, ARROW, b) : "";
            }
            vec_push(&sr->changes, r);
        }
        for (int g = 0; g < p->ngrades; g++) prev[u * p->ngrades + g] = sc[u]->grades[g].as.e;
    }
}

static int sweep_failed(Eval *ev, const Sweep *sw, int k)
{
    diag_plain(DIAG_NOTE, NULL, "with %s = %s (--sweep)", sw->target, sweep_value(sw, sw->values[k]));
    return ev && eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
}

static int sweep_run(Program *p, const FactData *facts, const Sweep *sw, SweepRun *sr)
{
    int nu = p->units->n;
    Reach reach = reach_of_param(p, sw->param);
    bool reset = false;     /* lists of other units' items need computing again */
    for (int i = 0; i < p->ncohorts; i++) reset |= reach.cohorts[i];
    for (int i = 0; i < p->nitems; i++) reset |= reach.items[i] && p->items[i].memo >= 0;
    sweep_columns(p, sr);
    sr->cells = GC_MALLOC(sizeof(Num) * ((size_t)sw->nvalues * (size_t)sr->ncols + 1));
    int *prev = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(nu * p->ngrades + 1));
    UnitScores **sc = GC_MALLOC(sizeof(UnitScores *) * (size_t)(nu + 1));
    for (int u = 0; u < nu; u++) sc[u] = eval_scores_new(p);
    sweep_set_value(p, sw, sw->values[0]);
    Eval *ev = eval_new(p, facts);
    if (!ev) return sweep_failed(ev, sw, 0);
    for (int k = 0; k < sw->nvalues; k++) {
        if (k > 0) {
            sweep_set_value(p, sw, sw->values[k]);
            if (!eval_params(ev)) return sweep_failed(ev, sw, k);
            if (reset) eval_reset(ev);
            eval_only_items(ev, reach.items);    /* the first value scored everything */
        }
        for (int u = 0; u < nu; u++)
            if (!eval_unit(ev, u, sc[u])) return sweep_failed(ev, sw, k);
        sweep_record(p, sw, sr, k, sc, prev);
    }
    return 0;
}

int whatif_sweep(FILE *out, Program *what, const FactData *facts, const Scenario *s, OutFormat fmt)
{
    const Sweep *sw = scenario_sweep(s);
    SweepRun sr = { 0 };
    int rc = sweep_run(what, facts, sw, &sr);
    if (rc) return rc;
    Rows r = { 0 };
    cell(&r, sw->target);
    for (int c = 0; c < sr.ncols; c++) cell(&r, sr.cols[c].name);
    end_row(&r);
    for (int k = 0; k < sw->nvalues; k++) {
        /* JSON keeps the number: its column is numeric */
        cell(&r, fmt == FMT_JSON ? num_to_string(sw->values[k]) : sweep_value(sw, sw->values[k]));
        for (int c = 0; c < sr.ncols; c++) {
            Num v = sr.cells[(size_t)k * (size_t)sr.ncols + (size_t)c];
            cell(&r, sr.cols[c].band >= 0 ? num_to_string(v) : num2(v));
        }
        end_row(&r);
    }
    Rows ch = { 0 };
    cell(&ch, sw->target);
    cell(&ch, "单位");
    for (int g = 0; g < what->ngrades; g++) cell(&ch, what->grades[g].name);
    end_row(&ch);
    for (int i = 0; i < sr.changes.n; i++) {
        const char **row = sr.changes.items[i];
        for (int k = 0; k < what->ngrades + 2; k++) cell(&ch, row[k]);
        end_row(&ch);
    }
    if (fmt == FMT_JSON) {
        parts_json(out, what, s);
        json_key(out, ",\n  ", "sweep");
        json_string(out, sw->target);
        bool *num_col = GC_MALLOC_ATOMIC((size_t)r.ncols + (size_t)ch.ncols + 1);
        memset(num_col, 1, (size_t)r.ncols);
        rows_json(out, "values", &r, num_col);
        memset(num_col, 0, (size_t)ch.ncols);
        rows_json(out, "changes", &ch, num_col);
        fputs("\n}\n", out);
        return 0;
    }
    if (fmt == FMT_TABLE) parts_text(out, s);
    write_rows(out, &r, fmt);
    if (fmt == FMT_TABLE) {
        fputc('\n', out);
        if (sr.changes.n) write_rows(out, &ch, fmt);
        else fputs("没有单位改变等次\n", out);
    }
    return 0;
}
