/*
** explain.c — turns a unit's trace into its explanation (explain.h) and
** writes it for the terminal or as JSON. Reads are told to the step whose
** code holds them; a step's state comes from the recorded branch of its
** condition and from whether its STEP instruction ran. Nothing here
** evaluates a rule: every number shown was recorded by the traced VM.
*/
#include <gc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "output.h"
#include "cells.h"
#include "xlsx_book.h"

/* ---- text of the rules ---------------------------------------------------- */

const char *expl_loc(Loc loc)
{
    if (!loc.file) return "(built in)";
    long line, col;
    diag_line_col(loc.file, loc.start, &line, &col);
    return gc_printf("%s:%ld", loc.file->path, line);
}

/* From the start of a span to the end of its line: a definition from its
** name on. */
static const char *src_rest_of_line(Loc loc)
{
    if (!loc.file) return NULL;
    const char *s = loc.file->text + loc.start;
    const char *end = loc.file->text + loc.file->len;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    if (nl) end = nl;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    return GC_STRNDUP(s, (size_t)(end - s));
}

/* Does a line of a step's rule go on below? Yes while a parenthesis or a
** bracket is open, or when the line ends with, or the next one starts
** with, an operator or a joining word: the formula was broken across lines. */
static bool ends_open(const char *s, const char *e)
{
    static const char *const words[] = { "and", "or", "not", "per", "if", "unless", "then", "else", "of", "is" };
    if (e > s && strchr("+-*/,<>=(", e[-1])) return true;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(e - s) > n && memcmp(e - n, words[i], n) == 0 && (*(e - n - 1) == ' ' || *(e - n - 1) == '\t'))
            return true;
    }
    return false;
}

static bool starts_open(const char *s, const char *e)
{
    static const char *const words[] = { "and ", "or ", "per ", "if ", "unless ", "then ", "else " };
    if (s < e && strchr("+-*/<>=)]", *s)) return true;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if ((size_t)(e - s) > strlen(words[i]) && memcmp(s, words[i], strlen(words[i])) == 0) return true;
    return false;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A step's rule as written, without the clause string that follows it nor
** the block of a 'when' (it ends at its '{'). A formula broken across
** lines, a tier list included, is shown whole, its lines joined by one
** space (none after '(' or before ')'): an auditor reads the rule that was
** applied, not its first line. */
static const char *src_step_rule(Loc loc, bool block)
{
    if (!loc.file) return NULL;
    const char *s = loc.file->text + loc.start;
    const char *end = loc.file->text + loc.end;
    char *out = GC_MALLOC_ATOMIC((size_t)(end - s) + 1);
    size_t k = 0;
    int depth = 0;
    for (const char *c = s; c < end; c++) {
        if ((*c == '"' || (*c == '{' && block)) && depth == 0) break;
        if (*c == '"') {                        /* a string inside the formula */
            const char *q = memchr(c + 1, '"', (size_t)(end - c - 1));
            const char *to = q ? q + 1 : end;
            memcpy(out + k, c, (size_t)(to - c));
            k += (size_t)(to - c);
            c = to - 1;
            continue;
        }
        if (*c == '\n') {
            while (k > 0 && is_blank(out[k - 1])) k--;
            const char *next = c + 1;
            while (next < end && (is_blank(*next) || *next == '\n')) next++;
            if (depth <= 0 && !ends_open(out, out + k) && !starts_open(next, end)) break;
            if (k > 0 && out[k - 1] != '(' && out[k - 1] != '[' && next < end && *next != ')' && *next != ']')
                out[k++] = ' ';
            c = next - 1;
            continue;
        }
        if (*c == '(' || *c == '[' || *c == '{') depth++;
        if (*c == ')' || *c == ']' || *c == '}') depth--;
        out[k++] = *c;
    }
    while (k > 0 && is_blank(out[k - 1])) k--;
    out[k] = 0;
    return out;
}

/* ---- numbers and values ----------------------------------------------------- */

const char *expl_num(Num x)
{
    const char *s = num_to_string(x);
    if (!strchr(s, '/') && strlen(s) <= 12) return s;
    return gc_printf("≈%s", num_format_fixed(x, 4));
}

static const char *show_value(const Program *p, Value v, int enum_id)
{
    if (v.tag == V_NUM) return expl_num(v.as.num);
    return value_text(p, v, enum_id);
}

static const char *exact_value(const Program *p, Value v, int enum_id)
{
    if (v.tag == V_NUM) return num_to_string(v.as.num);
    return value_text(p, v, enum_id);
}

/* ---- building --------------------------------------------------------------- */

typedef struct Builder {
    Eval *ev;
    const Program *p;
    const FactData *f;
    const UnitTrace *t;
    const UnitScores *s;
    int unit;
    int period;             /* of the node being built; -1 for per-unit values */
    ExplNode **lets;        /* [period * nlets + let], built on first read */
    ExplNode **values[3];   /* results, grades, outcomes */
} Builder;

static ExplNode *build_value(Builder *b, const TraceNode *tn, const char *name, const ValueDef *vd,
                             const LetDef *ld);

static int fact_enum(const Program *p, int col)
{
    for (int i = 0; i < p->nfacts; i++)
        if (p->facts[i].col <= col && col <= p->facts[i].col + (p->facts[i].vector ? p->facts[i].hi - p->facts[i].lo : 0))
            return p->facts[i].type == FT_ENUM ? p->facts[i].enum_id : -1;
    return -1;
}

static const ExplNode *derived_value(Builder *b, int kind, int i, int period)
{
    const Program *p = b->p;
    if (kind == RD_LET) {
        size_t at = (size_t)period * (size_t)p->nlets + (size_t)i;
        if (!b->lets[at] && b->t->lets[at])
            b->lets[at] = build_value(b, b->t->lets[at], p->lets[i].name, NULL, &p->lets[i]);
        return b->lets[at];
    }
    int k = kind - RD_RESULT;
    TraceNode *const *tn = k == 0 ? b->t->results : k == 1 ? b->t->grades : b->t->outcomes;
    const ValueDef *defs = k == 0 ? p->results : k == 1 ? p->grades : p->outcomes;
    if (!b->values[k][i] && tn[i]) b->values[k][i] = build_value(b, tn[i], defs[i].name, &defs[i], NULL);
    return b->values[k][i];
}

/* A rank: the place, how places were counted, and the units best first. */
static ExplRead rank_read(const Program *p, const TraceRead *r)
{
    ExplRead e;
    memset(&e, 0, sizeof e);
    e.kind = RD_RANK;
    const NumList *l = r->v.as.list;
    bool low = r->a & RANK_LOWEST_FIRST;
    e.name = "名次";
    e.value = gc_printf("第%d名", r->b);
    e.exact = gc_printf("%d", r->b);
    e.how = gc_printf("%d个单位按数值从%s排名，%s", l->n, low ? "低到高" : "高到低",
                      r->a & RANK_DENSE ? "并列的名次相同，其后名次不空缺" : "并列的取较好名次，其后名次顺延");
    int *order = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)l->n + 1);
    for (int i = 0; i < l->n; i++) order[i] = i;
    for (int i = 1; i < l->n; i++) {          /* insertion sort: stable, best first */
        int k = order[i], j = i;
        while (j > 0) {
            int c = num_cmp(l->items[order[j - 1]], l->items[k]);
            if (low ? c <= 0 : c >= 0) break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    e.n = l->n;
    e.units = GC_MALLOC(sizeof(char *) * (size_t)(l->n + 1));
    e.values = GC_MALLOC(sizeof(char *) * (size_t)(l->n + 1));
    for (int i = 0; i < l->n; i++) {
        e.units[i] = p->units->names[l->units[order[i]]];
        e.values[i] = expl_num(l->items[order[i]]);
    }
    return e;
}

/* The list a rank placed the unit in is shown with the rank, not again on its own. */
static bool ranked_list(const TraceNode *tn, const TraceRead *r)
{
    if (r->kind != RD_COHORT) return false;
    for (int i = 0; i < tn->nreads; i++)
        if (tn->reads[i].kind == RD_RANK && tn->reads[i].v.as.list == r->v.as.list) return true;
    return false;
}

static ExplRead make_read(Builder *b, const TraceRead *r)
{
    const Program *p = b->p;
    ExplRead e;
    memset(&e, 0, sizeof e);
    e.kind = r->kind;
    int enum_id = -1;
    switch (r->kind) {
    case RD_FACT: {
        const FactData *f = b->f;
        size_t cell = fact_cell(f, b->unit, r->period);
        e.name = p->schema.cols[r->a].column;
        enum_id = fact_enum(p, r->a);
        e.file = f->path;
        e.row = f->row_of[cell];
        e.column = e.name;
        e.cell = f->raw ? f->raw[cell * (size_t)p->schema.ncols + (size_t)r->a] : NULL;
        if (f->sheet && e.row)
            e.where = xlsx_cell_name(f->path, f->sheet, f->cols[r->a].csv_col - 1, e.row);
        else if (f->cols[r->a].csv_col > 0)
            e.letter = column_letters(f->cols[r->a].csv_col);
        if (r->period != b->period) e.name = gc_printf("%s.%s", p->periods[r->period], e.name);
        break;
    }
    case RD_PARAM: {
        const ParamDef *pd = &p->params[r->a];
        e.name = pd->by_period && r->period >= 0 ? gc_printf("%s（%s）", pd->name, p->periods[r->period]) : pd->name;
        e.file = pd->loc.file ? pd->loc.file->path : NULL;
        if (pd->loc.file) {
            long col;
            diag_line_col(pd->loc.file, pd->loc.start, &e.row, &col);
        }
        break;
    }
    case RD_TABLE: {
        const Table *t = p->tables[r->a];
        e.name = gc_printf("%s.%s", t->spec->name, t->cols[r->b]);
        e.file = t->spec->path;
        e.row = t->row_of[b->unit];
        e.column = t->cols[r->b];
        if (t->sheet && e.row)
            e.where = xlsx_cell_name(t->spec->path, t->sheet, t->col_of[r->b] - 1, e.row);
        else if (t->col_of[r->b] > 0)
            e.letter = column_letters(t->col_of[r->b]);
        break;
    }
    case RD_LET:
        e.name = p->lets[r->a].name;
        e.derived = derived_value(b, RD_LET, r->a, r->period);
        break;
    case RD_UNIT_ATTR:
        e.name = gc_printf("unit.%s", p->units->attr_names[r->a]);
        e.file = p->units->path;
        break;
    case RD_PERIOD_SCORE:
        e.name = p->periods[r->a];
        break;
    case RD_RESULT: case RD_GRADE: case RD_OUTCOME: {
        const ValueDef *vd = r->kind == RD_RESULT ? &p->results[r->a] : r->kind == RD_GRADE ? &p->grades[r->a]
                           : &p->outcomes[r->a];
        e.name = vd->name;
        enum_id = vd->enum_id;
        e.derived = derived_value(b, r->kind, r->a, -1);
        break;
    }
    case RD_COHORT: {
        const CohortDef *cd = &p->cohorts[r->a];
        const NumList *l = r->v.as.list;
        e.name = r->period >= 0 ? gc_printf("%s（%s）", diag_span_text(cd->loc), p->periods[r->period])
                                : diag_span_text(cd->loc);   /* a list of results: the whole run */
        e.n = l->n;
        e.units = GC_MALLOC(sizeof(char *) * (size_t)(l->n + 1));
        e.values = GC_MALLOC(sizeof(char *) * (size_t)(l->n + 1));
        for (int i = 0; i < l->n; i++) {
            e.units[i] = p->units->names[l->units[i]];
            /* scores as printed; other values as a rule shows them (1.095, not 1.10) */
            e.values[i] = cd->item >= 0 ? num_format_fixed(l->items[i], 2) : expl_num(l->items[i]);
        }
        e.value = gc_printf("%d个单位", l->n);
        e.exact = e.value;
        e.how = r->period >= 0 ? "同期各单位" : "各单位";
        return e;
    }
    case RD_RANK: return rank_read(p, r);
    }
    if (r->kind == RD_GRADE) enum_id = p->grades[r->a].enum_id;
    e.value = show_value(p, r->v, enum_id);
    e.exact = exact_value(p, r->v, enum_id);
    return e;
}

static bool same_read(const TraceRead *a, const TraceRead *b)
{
    return a->kind == b->kind && a->a == b->a && a->b == b->b && a->period == b->period;
}

/* The innermost step whose code holds pc, or -1 (item level). */
static int step_of(const ItemDef *item, uint32_t pc)
{
    int owner = -1;
    for (int s = 0; s < item->nsteps; s++) {
        const StepInfo *si = &item->steps[s];
        if (pc >= si->code_start && pc < si->code_end &&
            (owner < 0 || si->code_start >= item->steps[owner].code_start))
            owner = s;
    }
    return owner;
}

/* The reads of node tn that belong to step `step` of item (all reads when
** item is NULL), each value once. */
static ExplRead *collect_reads(Builder *b, const TraceNode *tn, const ItemDef *item, int step, int *n)
{
    ExplRead *out = GC_MALLOC(sizeof(ExplRead) * (size_t)(tn->nreads + 1));
    int k = 0;
    for (int i = 0; i < tn->nreads; i++) {
        const TraceRead *r = &tn->reads[i];
        if (item && step_of(item, r->pc) != step) continue;
        if (ranked_list(tn, r)) continue;
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = same_read(&tn->reads[j], r) && (!item || step_of(item, tn->reads[j].pc) == step);
        if (!seen) out[k++] = make_read(b, r);
    }
    *n = k;
    return out;
}

static bool step_ran(const TraceNode *tn, int step, const TraceStep **ev)
{
    for (int i = 0; i < tn->nsteps; i++)
        if (tn->steps[i].step == step) {
            *ev = &tn->steps[i];
            return true;
        }
    return false;
}

/* Whether the branch a step sits in was taken (its parents' conditions). */
static bool branch_taken(const TraceNode *tn, const ItemDef *item, int step)
{
    const StepInfo *si = &item->steps[step];
    if (si->parent < 0) return true;
    const StepInfo *pi = &item->steps[si->parent];
    bool v;
    if (!branch_taken(tn, item, si->parent) || !trace_branch_at(tn, pi->cond_pc, &v)) return false;
    return v != si->in_otherwise;
}

/* An item's citation, else its section's. */
static const char *item_cite(const Program *p, const ItemDef *item)
{
    if (item->at && item->at->cite) return item->at->cite;
    const SectionDef *sd = &p->sections[item->section];
    return sd->at ? sd->at->cite : NULL;
}

static void build_step(Builder *b, const TraceNode *tn, const ItemDef *item, int k, ExplStep *es)
{
    const StepInfo *si = &item->steps[k];
    memset(es, 0, sizeof *es);
    es->info = si;
    for (int q = si->parent; q >= 0; q = item->steps[q].parent) es->depth++;
    es->rule = src_step_rule(si->loc, si->kind == S_WHEN);
    es->cond = diag_span_text(si->cond_loc);
    es->amount = diag_span_text(si->amount_loc);
    es->clause = si->at->clause;
    es->cite = si->at->cite ? si->at->cite : item_cite(b->p, item);
    es->assumes = &si->at->assumes;
    const TraceStep *ran;
    bool cv;
    bool tested = si->cond_pc != NO_PC && trace_branch_at(tn, si->cond_pc, &cv);
    if (!branch_taken(tn, item, k)) es->status = ST_NOT_REACHED;
    else if (si->kind == S_WHEN) es->status = !tested ? ST_NOT_REACHED : cv ? ST_BRANCH_TRUE : ST_BRANCH_FALSE;
    else if (step_ran(tn, k, &ran)) {
        es->status = ST_APPLIED;
        es->before = ran->before;
        es->amount_value = ran->amount;
        es->after = ran->after;
        es->delta = num_sub(ran->after, ran->before);
    } else if (tested) es->status = ST_NOT_MET;
    else es->status = ST_NOT_REACHED;
    es->reads = collect_reads(b, tn, item, k, &es->nreads);
}

static const char *clamp_note(const Program *p, const ItemDef *item, int unit, Num raw, Num score)
{
    Num c = raw;
    const char *note = NULL;
    if (num_sign(c) < 0) {
        note = gc_printf("原始 %s，保底为 0", expl_num(raw));
        c = num_int(0);
    } else if (item->has_points && num_cmp(c, item_points(item, unit)) > 0) {
        note = gc_printf("原始 %s，封顶为 %s", expl_num(raw), expl_num(item_points(item, unit)));
        c = item_points(item, unit);
    }
    if (!num_eq(c, score))
        note = gc_printf("%s%s四舍五入到%d位小数为 %s", note ? note : "", note ? "，" : gc_printf("原始 %s，", expl_num(raw)),
                   p->round_places, num_format_fixed(score, 2));
    return note;
}

static ExplNode *build_item(Builder *b, const TraceNode *tn, int i)
{
    b->period = tn->period;
    const Program *p = b->p;
    const ItemDef *item = &p->items[i];
    ExplNode *n = GC_NEW(ExplNode);
    n->trace = tn;
    n->item = item;
    n->name = gc_printf("第%s项 %s", item->id, item->title);
    if (strspn(item->id, "0123456789") != strlen(item->id)) n->name = gc_printf("%s %s", item->id, item->title);
    n->cite = item_cite(p, item);
    n->clause = item->at ? item->at->clause : NULL;
    n->standard = item->at ? item->at->standard : NULL;
    n->assumes = item->at ? &item->at->assumes : NULL;
    n->start = tn->start;
    n->raw = tn->raw;
    n->score = tn->value.as.num;
    n->value = num_format_fixed(n->score, 2);
    n->exact = num_to_string(n->score);
    n->clamp = clamp_note(p, item, tn->unit, n->raw, n->score);
    n->nsteps = item->nsteps;
    n->steps = GC_MALLOC(sizeof(ExplStep) * (size_t)(item->nsteps + 1));
    for (int k = 0; k < item->nsteps; k++) build_step(b, tn, item, k, &n->steps[k]);
    n->reads = collect_reads(b, tn, item, -1, &n->nreads);
    return n;
}

static ExplNode *build_value(Builder *b, const TraceNode *tn, const char *name, const ValueDef *vd,
                             const LetDef *ld)
{
    ExplNode *n = GC_NEW(ExplNode);
    int saved_period = b->period;
    b->period = tn->period;
    const Attrs *at = vd ? vd->at : ld->at;
    Loc loc = vd ? vd->loc : ld->loc;
    n->trace = tn;
    n->name = name;
    n->rule = src_rest_of_line(loc);
    n->cite = at ? at->cite : NULL;
    n->clause = at ? at->clause : NULL;
    n->assumes = at ? &at->assumes : NULL;
    int enum_id = vd ? vd->enum_id : -1;
    n->value = show_value(b->p, tn->value, enum_id);
    n->exact = exact_value(b->p, tn->value, enum_id);
    n->reads = collect_reads(b, tn, NULL, -1, &n->nreads);
    b->period = saved_period;
    return n;
}

/* ---- distance to the next band ----------------------------------------- */

static int loss_cmp(const void *x, const void *y)
{
    const ExplLoss *a = x, *b = y;
    int c = num_cmp(b->total, a->total);
    return c ? c : a->item - b->item;
}

/* Marks in `listed` the items whose scores chunk ch lists across units
** (`item N of units`), directly or through the lets it reads; `seen` keeps
** each let to one visit. */
static void mark_listed(const Program *p, const Chunk *ch, bool *listed, bool *seen)
{
    for (uint32_t at = 0; ch && at < ch->len;) {
        Instr in = instr_at(ch->code, at);
        if (op_kinds[in.op][0] == OPK_COHORT && p->cohorts[in.a].item >= 0) listed[p->cohorts[in.a].item] = true;
        if (op_kinds[in.op][0] == OPK_LET && !seen[in.a]) {
            seen[in.a] = true;
            mark_listed(p, p->lets[in.a].chunk, listed, seen);
        }
        at = in.next;
    }
}

/* Helper rows: items that another item lists across units (a value made an
** item only so that `item H of units` can read it). Their "lost points" are
** not the rubric's: the worst items name only the rubric's own scored
** items. An item that lists its own scores (a mean of the others) is one. */
static bool *helper_items(const Program *p)
{
    bool *helper = GC_MALLOC_ATOMIC((size_t)p->nitems + 1);
    memset(helper, 0, (size_t)p->nitems + 1);
    bool *listed = GC_MALLOC_ATOMIC((size_t)p->nitems + 1);
    bool *seen = GC_MALLOC_ATOMIC((size_t)p->nlets + 1);
    for (int i = 0; i < p->nitems; i++) {
        memset(listed, 0, (size_t)p->nitems + 1);
        memset(seen, 0, (size_t)p->nlets + 1);
        mark_listed(p, p->items[i].chunk, listed, seen);
        for (int j = 0; j < p->nitems; j++)
            if (listed[j] && j != i) helper[j] = true;
    }
    return helper;
}

static void find_losses(const Program *p, ExplUnit *u)
{
    u->losses = GC_MALLOC(sizeof(ExplLoss) * (size_t)(p->nitems + 1));
    const bool *helper = helper_items(p);
    for (int i = 0; i < p->nitems; i++) {
        const ItemDef *it = &p->items[i];
        SectionKind kind = p->sections[it->section].kind;
        if (kind == SEC_BONUS || (kind == SEC_NORMAL && !it->has_points) || helper[i]) continue;
        ExplLoss l = { i, num_int(0), GC_MALLOC(sizeof(Num) * (size_t)(p->nperiods + 1)) };
        for (int per = 0; per < p->nperiods; per++) {
            Num sc = u->scores->items[(size_t)per * (size_t)p->nitems + (size_t)i];
            l.by_period[per] = kind == SEC_PENALTY ? sc : num_sub(item_points(it, u->unit), sc);
            l.total = num_add(l.total, l.by_period[per]);
        }
        if (num_sign(l.total) > 0) u->losses[u->nlosses++] = l;
    }
    qsort(u->losses, (size_t)u->nlosses, sizeof *u->losses, loss_cmp);
}

static void find_next_band(Eval *ev, const Program *p, ExplUnit *u)
{
    if (p->ngrades == 0 || u->vetoed) return;   /* a veto is no distance to a band */
    const ValueDef *g = &p->grades[0];
    Value key, th;
    if (!g->key || !eval_for_unit(ev, u->unit, g->key, &key)) return;
    int member = u->scores->grades[0].as.e;
    int b = 0;
    while (b < g->nbands && g->bands[b].member != member) b++;
    if (b >= g->nbands) return;
    u->has_band = true;
    u->key_name = diag_span_text(g->key->lines ? g->key->lines[0].loc : g->loc);
    u->key = key.as.num;
    if (b == 0) {
        u->top = true;
        return;
    }
    const GradeBand *next = &g->bands[b - 1];
    if (!next->threshold || !eval_for_unit(ev, u->unit, next->threshold, &th)) {
        u->has_band = false;
        return;
    }
    u->next_member = next->member;
    u->threshold = th.as.num;
    u->strict = next->strict;
    u->gap = num_sub(u->threshold, u->key);
    /* above the line but out of the quota: no distance, the quota says why */
    if (u->has_quota && !u->quota.kept && num_sign(u->gap) <= 0) u->has_band = false;
}

ExplUnit *explain_unit(Eval *ev, const Program *p, const FactData *f, int unit)
{
    UnitTrace *t = trace_new(p, unit);
    UnitScores *s = eval_scores_new(p);
    if (!eval_unit_traced(ev, unit, s, t)) return NULL;
    ExplUnit *u = GC_NEW(ExplUnit);
    u->unit = unit;
    u->scores = s;
    Builder b = { ev, p, f, t, s, unit, -1, NULL, { NULL, NULL, NULL } };
    size_t np = (size_t)p->nperiods;
    b.lets = GC_MALLOC(sizeof(ExplNode *) * (np * (size_t)p->nlets + 1));
    b.values[0] = GC_MALLOC(sizeof(ExplNode *) * ((size_t)p->nresults + 1));
    b.values[1] = GC_MALLOC(sizeof(ExplNode *) * ((size_t)p->ngrades + 1));
    b.values[2] = GC_MALLOC(sizeof(ExplNode *) * ((size_t)p->noutcomes + 1));
    u->items = GC_MALLOC(sizeof(ExplNode *) * (np * (size_t)p->nitems + 1));
    for (size_t per = 0; per < np; per++)
        for (int i = 0; i < p->nitems; i++) {
            size_t at = per * (size_t)p->nitems + (size_t)i;
            if (t->items[at]) u->items[at] = build_item(&b, t->items[at], i);
        }
    u->results = GC_MALLOC(sizeof(ExplNode *) * ((size_t)p->nresults + 1));
    u->grades = GC_MALLOC(sizeof(ExplNode *) * ((size_t)p->ngrades + 1));
    u->outcomes = GC_MALLOC(sizeof(ExplNode *) * ((size_t)p->noutcomes + 1));
    for (int i = 0; i < p->nresults; i++) u->results[i] = (ExplNode *)derived_value(&b, RD_RESULT, i, -1);
    for (int i = 0; i < p->ngrades; i++) u->grades[i] = (ExplNode *)derived_value(&b, RD_GRADE, i, -1);
    for (int i = 0; i < p->noutcomes; i++) u->outcomes[i] = (ExplNode *)derived_value(&b, RD_OUTCOME, i, -1);
    explain_grade_facts(ev, p, u);
    find_next_band(ev, p, u);
    find_losses(p, u);
    return u;
}

/* ---- shared display -------------------------------------------------------- */

const char *expl_status_text(const ExplStep *s)
{
    switch (s->status) {
    case ST_NOT_MET:
        return s->info->kind == S_DEDUCT ? "未触发，不扣分" : s->info->kind == S_ADD ? "未触发，不加分" : "未触发";
    case ST_NOT_REACHED: return "未执行（前面的规定已决定本项，或属另一分支）";
    case ST_BRANCH_TRUE: return "条件成立";
    case ST_BRANCH_FALSE: return "条件不成立，按 otherwise";
    case ST_APPLIED: break;
    }
    const char *before = expl_num(s->before), *after = expl_num(s->after);
    switch (s->info->kind) {
    case S_ZERO: return gc_printf("此项不得分：%s → 0", before);
    case S_DEDUCT:
        if (num_sign(s->amount_value) == 0) return "扣 0，不扣分";
        return gc_printf("扣 %s：%s → %s", expl_num(s->amount_value), before, after);
    case S_ADD:
        if (num_sign(s->amount_value) == 0) return "加 0，不加分";
        return gc_printf("加 %s：%s → %s", expl_num(s->amount_value), before, after);
    case S_SCORE: return gc_printf("得分为 %s", after);
    case S_SCALE: return gc_printf("乘以 %s：%s → %s", expl_num(s->amount_value), before, after);
    default: return "";
    }
}

const char *expl_read_source(const ExplRead *r)
{
    switch (r->kind) {
    case RD_FACT:
        if (r->where)
            return gc_printf("%s %s“%s”", r->where, r->column, r->cell ? r->cell : r->value);
        if (r->letter)
            return gc_printf("%s 第%ld行 %s列 %s“%s”", r->file, r->row, r->letter, r->column,
                             r->cell ? r->cell : r->value);
        return gc_printf("%s 第%ld行 %s“%s”", r->file, r->row, r->column, r->cell ? r->cell : r->value);
    case RD_TABLE:
        if (r->where)
            return gc_printf("%s %s", r->where, r->column);
        if (r->row && r->letter) return gc_printf("%s 第%ld行 %s列 %s", r->file, r->row, r->letter, r->column);
        return r->row ? gc_printf("%s 第%ld行 %s", r->file, r->row, r->column) : gc_printf("%s 无此单位的行，按0计", r->file);
    case RD_PARAM: return r->file ? gc_printf("参数 %s:%ld", r->file, r->row) : "参数";
    case RD_UNIT_ATTR: return gc_printf("单位表 %s", r->file);
    case RD_PERIOD_SCORE: return "期别得分";
    case RD_LET: return "派生值";
    case RD_RESULT: case RD_GRADE: case RD_OUTCOME: return "结果";
    case RD_COHORT: return r->how ? r->how : "同期各单位";
    case RD_RANK: return r->how;
    }
    return "";
}

/* ---- terminal text ----------------------------------------------------------- */

static void indent(FILE *out, int n)
{
    for (int i = 0; i < n; i++) fputs("  ", out);
}

static void text_node(FILE *out, const Program *p, const ExplNode *n, int depth);

static void text_reads(FILE *out, const Program *p, const ExplRead *r, int nr, int depth)
{
    for (int i = 0; i < nr; i++) {
        indent(out, depth);
        fprintf(out, "%s = %s    ← %s\n", r[i].name, r[i].value, expl_read_source(&r[i]));
        if (r[i].kind == RD_COHORT || r[i].kind == RD_RANK) {
            indent(out, depth + 1);
            for (int k = 0; k < r[i].n; k++) fprintf(out, "%s%s %s", k ? "，" : "", r[i].units[k], r[i].values[k]);
            fputs("\n", out);
        }
        if (r[i].derived && r[i].kind == RD_LET) text_node(out, p, r[i].derived, depth + 1);
    }
}

static void text_assumes(FILE *out, const PtrVec *a, int depth)
{
    for (int i = 0; a && i < a->n; i++) {
        indent(out, depth);
        fprintf(out, "[解释] %s\n", (const char *)a->items[i]);
    }
}

static void text_node(FILE *out, const Program *p, const ExplNode *n, int depth)
{
    indent(out, depth);
    fprintf(out, "%s = %s", n->name, n->value);
    if (n->rule) fprintf(out, "    规则：%s", n->rule);
    if (n->cite) fprintf(out, "    〔%s〕", n->cite);
    fputs("\n", out);
    if (n->clause) { indent(out, depth + 1); fprintf(out, "“%s”\n", n->clause); }
    text_assumes(out, n->assumes, depth + 1);
    text_reads(out, p, n->reads, n->nreads, depth + 1);
}

static void text_item(FILE *out, const Program *p, const ExplNode *n, int depth)
{
    const ItemDef *it = n->item;
    indent(out, depth);
    fprintf(out, "%s  得分 %s", n->name, n->value);
    if (it->has_points) fprintf(out, " / %s", num_format_fixed(item_points(it, n->trace ? n->trace->unit : -1), 2));
    if (n->cite) fprintf(out, "    〔%s〕", n->cite);
    fputs("\n", out);
    if (n->standard) { indent(out, depth + 2); fprintf(out, "考核标准：%s\n", n->standard); }
    if (n->clause) { indent(out, depth + 2); fprintf(out, "“%s”\n", n->clause); }
    text_assumes(out, n->assumes, depth + 2);
    indent(out, depth + 1);
    fprintf(out, "起始分 %s\n", expl_num(n->start));
    text_reads(out, p, n->reads, n->nreads, depth + 2);
    for (int k = 0; k < n->nsteps; k++) {
        const ExplStep *s = &n->steps[k];
        int d = depth + 1 + s->depth;
        indent(out, d);
        bool moved = s->status == ST_APPLIED && num_sign(s->delta) != 0;
        fprintf(out, "%s %s    %s\n", moved ? "●" : "○", s->rule, expl_status_text(s));
        if (s->clause) { indent(out, d + 2); fprintf(out, "“%s”", s->clause); }
        if (s->clause && s->cite) fprintf(out, "  〔%s〕", s->cite);
        if (s->clause) fputs("\n", out);
        text_assumes(out, s->assumes, d + 2);
        text_reads(out, p, s->reads, s->nreads, d + 2);
    }
    if (n->clamp) { indent(out, depth + 1); fprintf(out, "%s\n", n->clamp); }
}

static bool item_selected(const Program *p, int i, ExplFilter flt)
{
    return !flt.item || strcmp(p->items[i].id, flt.item) == 0;
}

/* A section with max N whose items add to more: what the cap took
** ("各项合计 45.00，按 40.00 计，封顶扣减 5.00"). */
static void text_section_cap(FILE *out, const Program *p, const UnitScores *s, int per, int sec)
{
    const SectionDef *sd = &p->sections[sec];
    if (!sd->has_cap) return;
    Num raw = num_int(0);
    for (int i = sd->first_item; i < sd->first_item + sd->nitems; i++)
        raw = num_add(raw, s->items[(size_t)per * (size_t)p->nitems + (size_t)i]);
    if (num_cmp(raw, sd->cap) <= 0) return;
    fprintf(out, "    （各项合计 %s，按 %s 计，封顶扣减 %s）", num_format_fixed(raw, 2),
            num_format_fixed(sd->cap, 2), num_format_fixed(num_sub(raw, sd->cap), 2));
}

static void text_band(FILE *out, const Program *p, const ExplUnit *u)
{
    if (!u->has_band) return;
    const ValueDef *g = &p->grades[0];
    const char **members = p->enums[g->enum_id].members;
    if (u->top) fprintf(out, "  距下一等次：已是最高等次（%s）\n", members[u->scores->grades[0].as.e]);
    else
        fprintf(out, "  距下一等次：%s %s，%s%s %s，还差 %s 分%s\n", u->key_name, num_format_fixed(u->key, 2),
                members[u->next_member], u->strict ? "须高于" : "须达到", expl_num(u->threshold),
                expl_num(u->gap), u->strict ? "以上" : "");
    if (u->nlosses) {
        fputs("  失分最多的项：", out);
        for (int i = 0; i < u->nlosses && i < 5; i++) {
            const ExplLoss *l = &u->losses[i];
            fprintf(out, "%s第%s项 %s −%s（", i ? "；" : "", p->items[l->item].id, p->items[l->item].title,
                    expl_num(l->total));
            bool first = true;
            for (int per = 0; per < p->nperiods; per++) {
                if (num_sign(l->by_period[per]) == 0) continue;
                fprintf(out, "%s%s −%s", first ? "" : "，", p->periods[per], expl_num(l->by_period[per]));
                first = false;
            }
            fputs("）", out);
        }
        fputs("\n", out);
    }
}

void explain_text(FILE *out, const Program *p, const ExplUnit *u, ExplFilter flt)
{
    const UnitScores *s = u->scores;
    fprintf(out, "%s\n", p->units->names[u->unit]);
    if (!flt.item && flt.period < 0) explain_grade_text(out, p, u);   /* 一票否决 first */
    if (!flt.item && flt.period < 0) {
        for (int i = 0; i < p->nresults; i++) text_node(out, p, u->results[i], 1);
        for (int i = 0; i < p->ngrades; i++) text_node(out, p, u->grades[i], 1);
        for (int i = 0; i < p->noutcomes; i++) text_node(out, p, u->outcomes[i], 1);
        text_band(out, p, u);
    }
    for (int per = 0; per < p->nperiods; per++) {
        if (flt.period >= 0 && per != flt.period) continue;
        fprintf(out, "\n%s  %s\n", p->period_labels[per], num_format_fixed(s->periods[per], 2));
        for (int sec = 0; sec < p->nsections; sec++) {
            const SectionDef *sd = &p->sections[sec];
            bool any = false;
            for (int i = sd->first_item; i < sd->first_item + sd->nitems; i++) any |= item_selected(p, i, flt);
            if (!any) continue;
            fprintf(out, "  %s  %s%s", sd->title, sd->kind == SEC_PENALTY ? "扣 " : "",
                    num_format_fixed(s->sections[(size_t)per * (size_t)p->nsections + (size_t)sec], 2));
            if (sd->has_total) fprintf(out, " / %s", num_format_fixed(sd->total, 2));
            text_section_cap(out, p, s, per, sec);
            fputs("\n", out);
            for (int i = sd->first_item; i < sd->first_item + sd->nitems; i++)
                if (item_selected(p, i, flt)) text_item(out, p, u->items[(size_t)per * (size_t)p->nitems + (size_t)i], 2);
        }
    }
}

/* ---- JSON --------------------------------------------------------------------- */

static void jkey(FILE *out, const char *k, const char *v)
{
    if (!v) return;
    fputs(", ", out);
    json_string(out, k);
    fputs(": ", out);
    json_string(out, v);
}

static void jassumes(FILE *out, const PtrVec *a)
{
    if (!a || !a->n) return;
    fputs(", \"assumptions\": [", out);
    for (int i = 0; i < a->n; i++) {
        if (i) fputs(", ", out);
        json_string(out, a->items[i]);
    }
    fputs("]", out);
}

static void json_node(FILE *out, const Program *p, const ExplNode *n);

static const char *const read_kinds[] = { "fact", "param", "table", "let", "unit", "period", "result", "grade",
                                          "outcome", "cohort", "rank" };

static void json_reads(FILE *out, const Program *p, const ExplRead *r, int nr)
{
    fputs(", \"reads\": [", out);
    for (int i = 0; i < nr; i++) {
        fputs(i ? ", {" : "{", out);
        fputs("\"kind\": ", out);
        json_string(out, read_kinds[r[i].kind]);
        jkey(out, "name", r[i].name);
        jkey(out, "value", r[i].exact);
        jkey(out, "file", r[i].file);
        if (r[i].row) fprintf(out, ", \"%s\": %ld", r[i].kind == RD_PARAM ? "line" : "row", r[i].row);
        jkey(out, "column", r[i].column);
        jkey(out, "column_letter", r[i].letter);
        jkey(out, "cell", r[i].cell);
        if (r[i].kind == RD_RANK) jkey(out, "how", r[i].how);
        if (r[i].kind == RD_COHORT || r[i].kind == RD_RANK) {
            fputs(", \"units\": [", out);
            for (int k = 0; k < r[i].n; k++) {
                fputs(k ? ", {\"unit\": " : "{\"unit\": ", out);
                json_string(out, r[i].units[k]);
                fputs(r[i].kind == RD_RANK ? ", \"value\": " : ", \"score\": ", out);
                json_string(out, r[i].values[k]);
                fputs("}", out);
            }
            fputs("]", out);
        }
        if (r[i].derived && r[i].kind == RD_LET) {
            fputs(", \"derivation\": ", out);
            json_node(out, p, r[i].derived);
        }
        fputs("}", out);
    }
    fputs("]", out);
}

static void json_node(FILE *out, const Program *p, const ExplNode *n)
{
    fputs("{\"name\": ", out);
    json_string(out, n->name);
    jkey(out, "value", n->exact);
    jkey(out, "rule", n->rule);
    jkey(out, "cite", n->cite);
    jkey(out, "clause", n->clause);
    jassumes(out, n->assumes);
    json_reads(out, p, n->reads, n->nreads);
    fputs("}", out);
}

static const char *const status_names[] = { "applied", "condition not met", "not reached", "condition true",
                                            "condition false" };
static const char *const step_kinds[] = { "zero", "deduct", "add", "score", "scale", "when", "let" };

static void json_item(FILE *out, const Program *p, const ExplNode *n, int period)
{
    const ItemDef *it = n->item;
    fputs("{\"item\": ", out);
    json_string(out, it->id);
    jkey(out, "title", it->title);
    jkey(out, "period", p->periods[period]);
    if (it->has_points) jkey(out, "points", num_to_string(item_points(it, n->trace ? n->trace->unit : -1)));
    jkey(out, "start", num_to_string(n->start));
    jkey(out, "raw", num_to_string(n->raw));
    jkey(out, "score", num_format_fixed(n->score, 2));
    jkey(out, "clamp", n->clamp);
    jkey(out, "cite", n->cite);
    jkey(out, "standard", n->standard);
    jkey(out, "clause", n->clause);
    jassumes(out, n->assumes);
    json_reads(out, p, n->reads, n->nreads);
    fputs(",\n       \"steps\": [", out);
    for (int k = 0; k < n->nsteps; k++) {
        const ExplStep *s = &n->steps[k];
        fputs(k ? ",\n        {" : "\n        {", out);
        fputs("\"kind\": ", out);
        json_string(out, step_kinds[s->info->kind]);
        fprintf(out, ", \"depth\": %d", s->depth);
        jkey(out, "rule", s->rule);
        jkey(out, "condition", s->cond);
        jkey(out, "amount_rule", s->amount);
        jkey(out, "status", status_names[s->status]);
        if (s->status == ST_APPLIED) {
            jkey(out, "before", num_to_string(s->before));
            jkey(out, "amount", num_to_string(s->amount_value));
            jkey(out, "after", num_to_string(s->after));
            jkey(out, "delta", num_to_string(s->delta));
        }
        jkey(out, "text", expl_status_text(s));
        jkey(out, "clause", s->clause);
        jkey(out, "cite", s->cite);
        jassumes(out, s->assumes);
        json_reads(out, p, s->reads, s->nreads);
        fputs("}", out);
    }
    fputs("]}", out);
}

void explain_json(FILE *out, const Program *p, const ExplUnit *u, ExplFilter flt)
{
    const UnitScores *s = u->scores;
    fputs("{\"unit\": ", out);
    json_string(out, p->units->names[u->unit]);
    explain_grade_json(out, p, u);
    fputs(",\n   \"values\": [", out);
    int k = 0;
    for (int i = 0; i < p->nresults; i++, k++) { fputs(k ? ",\n    " : "\n    ", out); json_node(out, p, u->results[i]); }
    for (int i = 0; i < p->ngrades; i++, k++) { fputs(k ? ",\n    " : "\n    ", out); json_node(out, p, u->grades[i]); }
    for (int i = 0; i < p->noutcomes; i++, k++) { fputs(k ? ",\n    " : "\n    ", out); json_node(out, p, u->outcomes[i]); }
    fputs("]", out);
    if (u->has_band) {
        const char **members = p->enums[p->grades[0].enum_id].members;
        fputs(",\n   \"next_band\": {", out);
        fprintf(out, "\"top\": %s", u->top ? "true" : "false");
        jkey(out, "key", u->key_name);
        jkey(out, "value", num_to_string(u->key));
        if (!u->top) {
            jkey(out, "band", members[u->next_member]);
            jkey(out, "threshold", num_to_string(u->threshold));
            fprintf(out, ", \"strict\": %s", u->strict ? "true" : "false");
            jkey(out, "gap", num_to_string(u->gap));
        }
        fputs(", \"losses\": [", out);
        for (int i = 0; i < u->nlosses; i++) {
            const ExplLoss *l = &u->losses[i];
            fputs(i ? ", {\"item\": " : "{\"item\": ", out);
            json_string(out, p->items[l->item].id);
            jkey(out, "lost", num_to_string(l->total));
            for (int per = 0; per < p->nperiods; per++) jkey(out, p->periods[per], num_to_string(l->by_period[per]));
            fputs("}", out);
        }
        fputs("]}", out);
    }
    fputs(",\n   \"periods\": [", out);
    bool first_period = true;
    for (int per = 0; per < p->nperiods; per++) {
        if (flt.period >= 0 && per != flt.period) continue;
        fputs(first_period ? "\n    {" : ",\n    {", out);
        first_period = false;
        fputs("\"period\": ", out);
        json_string(out, p->periods[per]);
        jkey(out, "label", p->period_labels[per]);
        jkey(out, "score", num_format_fixed(s->periods[per], 2));
        fputs(", \"sections\": [", out);
        bool first_sec = true;
        for (int sec = 0; sec < p->nsections; sec++) {
            const SectionDef *sd = &p->sections[sec];
            fputs(first_sec ? "\n     {" : ",\n     {", out);
            first_sec = false;
            fputs("\"title\": ", out);
            json_string(out, sd->title);
            jkey(out, "kind", sd->kind == SEC_PENALTY ? "penalty" : sd->kind == SEC_BONUS ? "bonus" : "normal");
            jkey(out, "score", num_format_fixed(s->sections[(size_t)per * (size_t)p->nsections + (size_t)sec], 2));
            if (sd->has_total) jkey(out, "points", num_to_string(sd->total));
            /* max N: the score is min(cap, the items' sum), so tools can re-add it */
            if (sd->has_cap) jkey(out, "cap", num_to_string(sd->cap));
            fputs(", \"items\": [", out);
            bool first_item = true;
            for (int i = sd->first_item; i < sd->first_item + sd->nitems; i++) {
                if (!item_selected(p, i, flt)) continue;
                fputs(first_item ? "\n      " : ",\n      ", out);
                first_item = false;
                json_item(out, p, u->items[(size_t)per * (size_t)p->nitems + (size_t)i], per);
            }
            fputs("]}", out);
        }
        fputs("]}", out);
    }
    fputs("]}", out);
}
