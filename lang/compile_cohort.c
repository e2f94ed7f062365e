/*
** compile_cohort.c — values across units: `item 8 of units [where …]` (an
** item's scores), `贷款发放额 of units [where …]` (any number a unit has in
** a period: a fact, a let, a table cell, a formula of them) and
** `rank(完成率 among units [where …], ties best)`. Each list is a CohortDef
** that the VM computes once a period for every unit (vm.c cohort_list).
**
** The two wrong lists a rule could silently give are refused here: a
** `where` that compares a value with itself (inside a where, every name is
** the other unit's, so `完成率 > 完成率` is always false), and a `where` on
** a unit attribute value that no unit has (a typo like 城关街到 would leave
** every unit out).
*/
#include <gc.h>
#include <string.h>

#include "emit.h"

/* A new cohort, reserved before its parts are compiled (they may hold
** cohorts too); -1 past the operand limit. */
static int cohort_new(Compiler *c, Loc loc)
{
    Program *p = c->p;
    if (p->ncohorts == MAX_OPERAND + 1) {
        fail(c, loc, "compute the list once in a let and read the let", "more than %d lists of units",
             MAX_OPERAND + 1);
        return -1;
    }
    if (p->ncohorts == c->ccohorts) {   /* doubling: growing by one was quadratic */
        c->ccohorts = c->ccohorts ? 2 * c->ccohorts : 8;
        CohortDef *grown = GC_MALLOC(sizeof(CohortDef) * (size_t)c->ccohorts);
        if (p->ncohorts) memcpy(grown, p->cohorts, sizeof(CohortDef) * (size_t)p->ncohorts);
        p->cohorts = grown;
    }
    CohortDef *cd = &p->cohorts[p->ncohorts];
    memset(cd, 0, sizeof *cd);
    cd->item = -1;
    cd->loc = loc;
    return p->ncohorts++;
}

/* Two expressions written alike (positions aside). */
static bool same_expr(const Expr *a, const Expr *b)
{
    if (!a || !b) return a == b;
    if (a->kind != b->kind || a->args.n != b->args.n) return false;
    if ((a->name == NULL) != (b->name == NULL) || (a->name && strcmp(a->name, b->name) != 0)) return false;
    switch (a->kind) {
    case E_NUM: return num_cmp(a->num, b->num) == 0;
    case E_BOOL: return a->boolean == b->boolean;
    case E_BINARY: if (a->op != b->op) return false; break;
    default: break;
    }
    for (int i = 0; i < a->args.n; i++)
        if (!same_expr(a->args.items[i], b->args.items[i])) return false;
    return same_expr(a->a, b->a) && same_expr(a->b, b->b) && same_expr(a->c, b->c);
}

static bool is_comparison(BinOp op)
{
    return op == OP_B_EQ || op == OP_B_NE || op == OP_B_LT || op == OP_B_LE || op == OP_B_GT || op == OP_B_GE;
}

/* `unit.类型 is 街到`: the values of attribute `attr` that units have, and
** the one closest to the name written. */
static void check_attr_value(Compiler *c, const Expr *is)
{
    const Units *u = c->p->units;
    const Expr *m = is->a;
    int a = units_attr_index(u, m->name);
    if (a < 0 || u->n == 0) return;              /* cmember says why */
    const char **seen = GC_MALLOC(sizeof(char *) * (size_t)u->n + 1);
    size_t n = 0;
    for (int k = 0; k < u->n; k++) {
        const char *v = u->attr_values[k * u->nattrs + a];
        if (strcmp(v, is->name) == 0) return;
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++) dup = strcmp(seen[j], v) == 0;
        if (!dup && *v) seen[n++] = v;
    }
    const char *s = diag_suggest(is->name, seen, n);
    char hint[256];
    if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
    else snprintf(hint, sizeof hint, "the values of '%s' are in the unit list %s", m->name, u->path);
    fail(c, is->name_loc, hint, "no unit has %s '%s', so this test is false for every unit", m->name, is->name);
}

/* The mistakes a where condition could hide, found before it is compiled. */
static void check_where(Compiler *c, const Expr *e)
{
    if (!e) return;
    if (e->kind == E_BINARY && is_comparison(e->op) && same_expr(e->a, e->b)) {
        const char *text = diag_span_text(e->a->loc);
        if (!text) text = "value";
        const char *always = e->op == OP_B_GE || e->op == OP_B_LE || e->op == OP_B_EQ ? "true" : "false";
        if ((e->a->kind == E_MEMBER && e->a->a->kind == E_NAME &&
             (strcmp(e->a->a->name, "本单位") == 0 || strcmp(e->a->a->name, "其他") == 0)) ||
            e->a->kind == E_NUM || e->a->kind == E_BOOL)      /* or a constant: no unit's at all */
            fail(c, e->loc, "write 其他.X for the listed unit and 本单位.X for the unit being scored",
                 "this compares '%s' with itself, so it is %s for every unit", text, always);
        else if (e->a->kind == E_NAME)
            fail(c, e->loc, gc_printf("inside 'where' every name is the listed unit's own: write 本单位.%s for the "
                                      "unit being scored, or place it with rank(%s among units)", text, text),
                 "this compares each listed unit's '%s' with itself, so it is %s for every unit", text, always);
        else
            fail(c, e->loc, "inside 'where' every name is the listed unit's own: write 本单位.X for a value of the "
                            "unit being scored, or place it with rank(… among units)",
                 "this compares each listed unit's '%s' with itself, so it is %s for every unit", text, always);
        return;
    }
    if (e->kind == E_IS && e->a->kind == E_MEMBER && e->a->a->kind == E_NAME &&
        strcmp(e->a->a->name, "unit") == 0)
        check_attr_value(c, e);
    check_where(c, e->a);
    check_where(c, e->b);
    check_where(c, e->c);
    for (int i = 0; i < e->args.n; i++) check_where(c, e->args.items[i]);
}

/* A part of cohort k (its condition or its value) as a chunk of its own. */
static Chunk *cohort_part(Compiler *c, int k, Ctx ctx, const char *what, Expr *e, Type need, const char *role,
                          CompilePart part)
{
    Fn cf;
    fn_init(&cf, gc_printf("cohort %d %s", k, what), ctx);
    Type t = part(c, &cf, e);
    want(c, e, t, e->enum_id, need, role);
    emit(&cf, OP_RETURN, e->loc);
    fn_finish(&cf);
    return cf.chunk;
}

/* Lists are read where a unit is scored: in items and lets (within a
** period) and in results, grades and outcomes (after all its periods). */
static bool in_unit(Compiler *c, Fn *fn, Expr *e, const char *what)
{
    if (fn->ctx != CTX_PARAM) return true;
    fail(c, e->loc, "a param is the same for every unit; compare units in an item, a let or a result",
         "%s compares units; a param cannot", what);
    return false;
}

/* ---- 本单位.X and 其他.X ---------------------------------------------------------- */

/* Inside a where every name is the listed unit's (其他.X says so); 本单位.X
** is the value of the unit that reads the list, computed before the list
** and kept in a SELF slot while the where is checked for each unit. */
typedef struct SelfRef {
    const Expr *e;          /* the 本单位.X */
    int slot;
    Type t;
    int enum_id;
} SelfRef;

static bool is_self_ref(const Expr *e)
{
    return e->kind == E_MEMBER && e->a->kind == E_NAME && strcmp(e->a->name, "本单位") == 0;
}

/* The 本单位.X of a where, outside the lists nested in it (their own where
** speaks of their reader, the listed unit). */
static void find_selfs(const Expr *e, PtrVec *out)
{
    if (!e || e->kind == E_COHORT || e->kind == E_RANK) return;
    if (is_self_ref(e)) {
        vec_push(out, (void *)e);
        return;
    }
    find_selfs(e->a, out);
    find_selfs(e->b, out);
    find_selfs(e->c, out);
    for (int i = 0; i < e->args.n; i++) find_selfs(e->args.items[i], out);
}

/* X of 本单位.X or 其他.X as a name of its own; a column of units.csv
** (本单位.类型) as unit.类型. */
static Expr *member_as_name(Compiler *c, const Expr *e)
{
    Expr *n = GC_NEW(Expr);
    *n = *e;
    n->loc = e->name_loc;
    if (!sym_find(&c->names, e->name) && c->p->units && units_attr_index(c->p->units, e->name) >= 0) {
        Expr *u = GC_NEW(Expr);
        *u = *e->a;
        u->name = "unit";
        n->a = u;               /* E_MEMBER: unit.类型 */
        return n;
    }
    n->kind = E_NAME;
    n->a = NULL;
    return n;
}

/* Each 本单位.X of the where, computed for the reader into its slot
** before the list is read: the SelfRefs for compiling the where. */
static PtrVec *reader_values(Compiler *c, Fn *fn, Expr *where, CompilePart part)
{
    PtrVec found = { 0 };
    find_selfs(where, &found);
    PtrVec *refs = GC_NEW(PtrVec);
    for (int i = 0; i < found.n; i++) {
        const Expr *e = found.items[i];
        if (fn->ctx != CTX_UP) {
            fail(c, e->loc, "in a result, place a unit with rank(综合得分 among units, ties best)",
                 "'本单位.%s' compares with the unit being scored, in an item or let only", e->name);
            continue;
        }
        if (c->p->nself == MAX_OPERAND + 1) {
            fail(c, e->loc, NULL, "more than %d values of 本单位 in lists", MAX_OPERAND + 1);
            continue;
        }
        SelfRef *r = GC_NEW(SelfRef);
        r->e = e;
        r->slot = c->p->nself++;
        Expr *x = member_as_name(c, e);
        r->t = part(c, fn, x);
        r->enum_id = x->enum_id;
        emit_a(fn, OP_SELF_SET, r->slot, e->loc);
        vec_push(refs, r);
    }
    return refs;
}

Type compile_where_member(Compiler *c, Fn *fn, Expr *e, CompilePart part)
{
    if (!c->where_selfs) {
        fail(c, e->loc, "本单位 and 其他 tell apart two units inside where: count(完成率 of units where 其他.完成率 > "
             "本单位.完成率)", "'%s.%s' means something only inside a list's where", e->a->name, e->name);
        return T_UNKNOWN;
    }
    if (!is_self_ref(e)) {                       /* 其他.X: the listed unit's X, as X alone */
        Expr *x = member_as_name(c, e);
        Type t = part(c, fn, x);
        e->enum_id = x->enum_id;
        return t;
    }
    for (int i = 0; i < c->where_selfs->n; i++) {
        const SelfRef *r = c->where_selfs->items[i];
        if (r->e != e) continue;
        emit_a(fn, OP_SELF, r->slot, e->loc);
        e->enum_id = r->enum_id;
        return r->t;
    }
    return T_UNKNOWN;                           /* refused in reader_values */
}

/* The list of cohort k: its condition and, unless it lists an item, its
** value, compiled where the list is read (a period, or the whole run). The
** reader's 本单位 values go into their slots in fn first. */
static int cohort_of(Compiler *c, Fn *fn, Expr *where, Expr *value, int item, Loc loc, CompilePart part)
{
    int k = cohort_new(c, loc);
    if (k < 0) return -1;
    check_where(c, where);
    c->p->cohorts[k].unit_level = fn->ctx == CTX_U;
    if (where) {
        PtrVec *saved = c->where_selfs;
        c->where_selfs = reader_values(c, fn, where, part);
        c->p->cohorts[k].per_reader = c->where_selfs->n > 0;
        c->p->cohorts[k].cond = cohort_part(c, k, fn->ctx, "condition", where, T_BOOL, "the 'where' condition", part);
        c->where_selfs = saved;
    }
    if (item >= 0) {
        c->p->cohorts[k].item = item;
        if (c->p->items[item].memo < 0) c->p->items[item].memo = c->p->nmemo++;
    } else {
        c->p->cohorts[k].value = cohort_part(c, k, fn->ctx, "value", value, T_NUM, "what is listed across units", part);
    }
    return k;
}

static int item_named(Compiler *c, Expr *e)
{
    Program *p = c->p;
    for (int i = 0; i < p->nitems; i++) if (strcmp(p->items[i].id, e->name) == 0) return i;
    const char **ids = GC_MALLOC(sizeof(char *) * (size_t)(p->nitems + 1));
    for (int i = 0; i < p->nitems; i++) ids[i] = p->items[i].id;
    const char *s = diag_suggest(e->name, ids, (size_t)p->nitems);
    char hint[128];
    if (s) snprintf(hint, sizeof hint, "did you mean item %s?", s);
    else snprintf(hint, sizeof hint, "items are numbered in their sections");
    fail(c, e->name_loc, hint, "there is no item %s", e->name);
    return -1;
}

Type compile_cohort(Compiler *c, Fn *fn, Expr *e, CompilePart part)
{
    if (!in_unit(c, fn, e, e->name ? "'item … of units'" : "'… of units'")) return T_UNKNOWN;
    if (e->name && fn->ctx != CTX_UP) {
        fail(c, e->loc, "an item's scores are per period: list them in an item or let, or list a period's score "
             "(年度 of units)", "'item … of units' compares units within one period; use it in an item or let");
        return T_UNKNOWN;
    }
    int item = -1;
    if (e->name && (item = item_named(c, e)) < 0) return T_UNKNOWN;
    int k = cohort_of(c, fn, e->a, e->b, item, e->loc, part);
    if (k < 0) return T_UNKNOWN;
    emit_a(fn, OP_COHORT, k, e->loc);
    return T_LIST;
}

#define RANK_ORDER_HINT "after the units: ', ties best' (两个并列第2名，下一名第4名), ', ties dense' (下一名第3名), " \
                        "', lowest first' (数值小者名次在前)"

/* The order words of a rank: RANK_* bits, or -1 after an error. */
static int rank_order(Compiler *c, Expr *e)
{
    int order = 0;
    bool ties = false, dir = false;
    for (int i = 0; i < e->args.n; i++) {
        Expr *w = e->args.items[i];
        const char *x = w->name, *y = w->a->name;
        if (strcmp(x, "ties") == 0 && !ties && (strcmp(y, "best") == 0 || strcmp(y, "dense") == 0)) {
            ties = true;
            if (strcmp(y, "dense") == 0) order |= RANK_DENSE;
        } else if (strcmp(y, "first") == 0 && !dir && (strcmp(x, "lowest") == 0 || strcmp(x, "highest") == 0)) {
            dir = true;
            if (strcmp(x, "lowest") == 0) order |= RANK_LOWEST_FIRST;
        } else {
            fail(c, w->loc, RANK_ORDER_HINT, "a rank's order is 'ties best', 'ties dense', 'highest first' or "
                 "'lowest first', each at most once, not '%s %s'", x, y);
            return -1;
        }
    }
    if (!ties) {
        fail(c, e->loc, RANK_ORDER_HINT, "say how a rank counts ties: 并列的单位 take the better place "
             "(ties best) or the next place is not skipped (ties dense)");
        return -1;
    }
    return order;
}

/* rank(V among units [where C], ties best): the place of this unit's V
** among the units' V (C checked for each of them), 1 the highest. */
Type compile_rank(Compiler *c, Fn *fn, Expr *e, CompilePart part)
{
    if (strcmp(e->name, "rank") != 0) {
        fail(c, e->name_loc, "a rank reads: rank(完成率 among units where 考核, ties best)",
             "'among units' belongs in rank(…), not in %s(…)", e->name);
        return T_UNKNOWN;
    }
    if (!in_unit(c, fn, e, "rank(…)")) return T_NUM;
    int order = rank_order(c, e);
    int before = diag_errors();
    int k = cohort_of(c, fn, e->b, e->a, -1, e->loc, part);
    if (k < 0 || order < 0 || diag_errors() != before) return T_NUM;
    emit_a(fn, OP_COHORT, k, e->loc);
    Type t = part(c, fn, e->a);      /* this unit's own value, as the list has it */
    want(c, e->a, t, e->a->enum_id, T_NUM, "what is ranked");
    emit_a(fn, OP_RANK, order, e->loc);
    return T_NUM;
}

/* ---- the order of the lists made once for the run ---------------------------- */

typedef struct Order {
    Compiler *c;
    uint8_t *state;         /* per cohort: 0 not placed, 1 being placed, 2 placed */
    uint8_t *seen;          /* per value (results, grades, outcomes): scanned for this cohort */
    int *chain; int nchain; /* the cohorts being placed, outermost first */
    bool failed;
} Order;

static void place_cohort(Order *o, int k);

static const char *cohort_text(const Program *p, int k)
{
    const char *t = diag_span_text(p->cohorts[k].loc);
    return t ? t : "a list of units";
}

/* The unit-level lists chunk ch needs, directly or through the results,
** grades and outcomes it reads: each placed before the caller. */
static void needs_of_chunk(Order *o, const Chunk *ch)
{
    const Program *p = o->c->p;
    for (uint32_t at = 0; ch && at < ch->len && !o->failed;) {
        Instr in = instr_at(ch->code, at);
        OperandKind kind = (OperandKind)op_kinds[in.op][0];
        if (in.op == OP_COHORT && p->cohorts[in.a].unit_level) {
            place_cohort(o, in.a);
        } else if (in.op == OP_QUOTA_GRADE) {
            fail(o->c, p->cohorts[o->chain[o->nchain - 1]].loc, "rank or list the score the grade is decided on instead",
                 "a list across units cannot read grade '%s': its quota is decided after the lists",
                 p->grades[in.a].name);
            o->failed = true;
        } else if (kind == OPK_RESULT || kind == OPK_GRADE || kind == OPK_OUTCOME) {
            int base = kind == OPK_RESULT ? 0 : kind == OPK_GRADE ? p->nresults : p->nresults + p->ngrades;
            const ValueDef *v = kind == OPK_RESULT ? &p->results[in.a] : kind == OPK_GRADE ? &p->grades[in.a]
                                                                                      : &p->outcomes[in.a];
            if (!o->seen[base + in.a]) {
                o->seen[base + in.a] = 1;
                needs_of_chunk(o, v->chunk);
            }
        }
        at = in.next;
    }
}

static void place_cohort(Order *o, int k)
{
    Program *p = o->c->p;
    if (o->state[k] == 2 || o->failed) return;
    if (o->state[k] == 1) {
        /* a list that needs itself: name the chain, as a value's cycle is named */
        int from = 0;
        while (from < o->nchain && o->chain[from] != k) from++;
        char chain[1024];
        size_t len = 0;
        for (int i = from; i < o->nchain && len < sizeof chain - 200; i++)
            len += (size_t)snprintf(chain + len, sizeof chain - len, "%s → ", cohort_text(p, o->chain[i]));
        snprintf(chain + len, sizeof chain - len, "%s", cohort_text(p, k));
        fail(o->c, p->cohorts[k].loc, gc_printf("each list needs the other's values first: %s", chain),
             "this list of units depends on itself");
        o->failed = true;
        return;
    }
    o->state[k] = 1;
    o->chain[o->nchain++] = k;
    size_t nv = (size_t)(p->nresults + p->ngrades + p->noutcomes);
    uint8_t *saved = o->seen;
    o->seen = GC_MALLOC_ATOMIC(nv + 1);
    memset(o->seen, 0, nv + 1);
    needs_of_chunk(o, p->cohorts[k].cond);
    needs_of_chunk(o, p->cohorts[k].value);
    o->seen = saved;
    o->nchain--;
    o->state[k] = 2;
    if (!o->failed) p->unit_cohort_order[p->nunit_cohorts++] = k;
}

/* The lists read in results, grades and outcomes are made for the whole
** run before any unit is graded: each after every list its values read
** (综合得分 of units before rank(相对得分 among units) when 相对得分 reads
** it). A list that needs itself is an error naming the chain. */
void order_unit_cohorts(Compiler *c)
{
    Program *p = c->p;
    Order o = { c, GC_MALLOC_ATOMIC((size_t)p->ncohorts + 1), NULL,
                GC_MALLOC_ATOMIC(sizeof(int) * ((size_t)p->ncohorts + 1)), 0, false };
    memset(o.state, 0, (size_t)p->ncohorts + 1);
    p->unit_cohort_order = GC_MALLOC_ATOMIC(sizeof(int) * ((size_t)p->ncohorts + 1));
    p->nunit_cohorts = 0;
    for (int k = 0; k < p->ncohorts && !o.failed; k++)
        if (p->cohorts[k].unit_level) place_cohort(&o, k);
}
