/*
** check_items.c — `kaohe check` on one item: every path through its steps,
** walked over what the facts can be (absint.c), once per combination of
** the facts its conditions test; deductions beyond its points, a maximum
** above its points with no `limit`, steps that can never apply or never
** change the score. Each finding is a diagnostic at the step.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

/* ---- items ---------------------------------------------------------------------- */

/* What a step can do, over every period and combination of facts. */
typedef struct StepFlags {
    Step *s;
    bool reached;
    bool can_apply;          /* a gate can fire, a condition can let the step act */
    bool can_skip;           /* …and can also not */
    bool effective;          /* its amount can change the score */
    bool body, other;        /* when: either block can run */
} StepFlags;

typedef struct Path {
    bool alive;
    AV acc;
    bool ded_inf;            /* the deductions that can apply on this path, summed */
    Num ded;
} Path;

typedef struct ItemRun {
    Checker *k;
    StepFlags *flags;
    int nflags;
    bool poisoned;
    bool any_final;
    AV finals;               /* every score the steps can leave, before the clamp */
    bool ded_inf;
    Num ded;                 /* the most that deductions can take on one path */
} ItemRun;

static StepFlags *flags_of(ItemRun *r, Step *s)
{
    for (int i = 0; i < r->nflags; i++)
        if (r->flags[i].s == s) return &r->flags[i];
    return NULL;
}

static void number_steps(ItemRun *r, PtrVec *steps)
{
    for (int i = 0; i < steps->n; i++) {
        Step *s = steps->items[i];
        r->flags = GC_REALLOC(r->flags, sizeof(StepFlags) * (size_t)(r->nflags + 1));
        r->flags[r->nflags++] = (StepFlags){ .s = s };
        if (s->kind == S_WHEN) {
            number_steps(r, &s->body);
            number_steps(r, &s->other);
        }
    }
}

static AV eval(ItemRun *r, AEnv *env, Expr *e)
{
    AV v = ai_eval(&r->k->ai, env, e);
    if (v.poisoned) r->poisoned = true;
    return v;
}

static void path_end(ItemRun *r, const Path *p)
{
    if (!p->alive) return;
    r->finals = r->any_final ? av_hull(r->finals, p->acc) : p->acc;
    r->any_final = true;
    if (p->ded_inf) r->ded_inf = true;
    else if (num_cmp(p->ded, r->ded) > 0) r->ded = p->ded;
}

static Path walk(ItemRun *r, PtrVec *steps, AEnv *env, Path in);

static Path merge(Path a, Path b)
{
    if (!a.alive) return b;
    if (!b.alive) return a;
    Path m = a;
    m.acc = av_hull(a.acc, b.acc);
    m.ded_inf = a.ded_inf || b.ded_inf;
    m.ded = num_max(a.ded, b.ded);
    return m;
}

/* Whether a condition lets the step act (can_apply) and not act (can_skip). */
static void cond_can(AV c, bool unless, bool *apply, bool *skip)
{
    bool t = c.t != T_BOOL || c.can_t, f = c.t != T_BOOL || c.can_f;
    *apply = unless ? f : t;
    *skip = unless ? t : f;
}

static Path walk(ItemRun *r, PtrVec *steps, AEnv *env, Path path)
{
    Local *saved = env->scope;
    for (int i = 0; i < steps->n && path.alive; i++) {
        Step *s = steps->items[i];
        StepFlags *fl = flags_of(r, s);
        fl->reached = true;
        bool apply = true, skip = false;
        if (s->kind != S_LET && s->kind != S_WHEN && s->cond)
            cond_can(eval(r, env, s->cond), s->unless, &apply, &skip);
        if (apply) fl->can_apply = true;
        if (skip) fl->can_skip = true;
        switch (s->kind) {
        case S_LET: {
            Local *l = GC_NEW(Local);
            *l = (Local){ s->name, eval(r, env, s->amount), false, s->loc, env->scope };
            env->scope = l;
            break;
        }
        case S_ZERO:
            if (apply) {
                Path zero = path;
                zero.acc = av_num(num_int(0), num_int(0));
                path_end(r, &zero);
            }
            if (!skip) path.alive = false;
            break;
        case S_DEDUCT: case S_ADD: case S_SCORE: case S_SCALE: {
            AV amt = eval(r, env, s->amount);
            if (s->per) amt = av_mul(amt, eval(r, env, s->per));
            if (!apply) break;
            Num one = num_int(1), zero = num_int(0), x;
            bool is_point = av_point(amt, &x);
            if (s->kind == S_SCORE || (s->kind == S_SCALE ? !(is_point && num_eq(x, one))
                                                          : !(is_point && num_eq(x, zero))))
                fl->effective = true;
            AV next = s->kind == S_DEDUCT ? av_sub(path.acc, amt)
                    : s->kind == S_ADD ? av_add(path.acc, amt)
                    : s->kind == S_SCORE ? amt : av_mul(path.acc, amt);
            path.acc = skip ? av_hull(path.acc, next) : next;
            if (s->kind == S_DEDUCT) {
                if (amt.hi_inf) path.ded_inf = true;
                else if (num_sign(amt.hi) > 0) path.ded = num_add(path.ded, amt.hi);
            }
            break;
        }
        case S_WHEN: {
            AV c = eval(r, env, s->cond);
            bool t = c.t != T_BOOL || c.can_t, f = c.t != T_BOOL || c.can_f;
            Path a = path, b = path;
            a.alive = b.alive = false;
            Local *outer = env->scope;
            if (t) {
                fl->body = true;
                env->scope = ai_refine(&r->k->ai, env, s->cond, true);
                a = walk(r, &s->body, env, path);
            }
            if (f && s->has_other) env->scope = ai_refine(&r->k->ai, &(AEnv){ env->period, outer }, s->cond, false);
            if (f) { fl->other = true; b = s->has_other ? walk(r, &s->other, env, path) : path; }
            env->scope = outer;
            path = merge(a, b);
            break;
        }
        }
    }
    env->scope = saved;
    return path;
}

/* One side of a comparison, said with its range: "人数 (a count) is at
** least 0". NULL for a plain number, which says itself. */
static const char *side_text(Checker *k, Expr *e, const char *which)
{
    if (e->kind == E_NUM) return NULL;
    AEnv env = { 0, NULL };
    AV v = ai_eval(&k->ai, &env, e);
    char *s = GC_MALLOC_ATOMIC(256);
    Sym *sym = e->kind == E_NAME ? sym_find(&k->c->names, e->name) : NULL;
    if (sym && sym->kind == SYM_FACT)
        snprintf(s, 256, "%s (a %s) is %s", e->name, fact_type_name(k->p->facts[sym->index].type), av_describe(v));
    else if (e->kind == E_NAME || e->kind == E_MEMBER)
        snprintf(s, 256, "%.*s is %s", (int)(e->loc.end - e->loc.start), e->loc.file->text + e->loc.start,
                 av_describe(v));
    else
        snprintf(s, 256, "the %s side is %s", which, av_describe(v));
    return s;
}

/* Says why a condition cannot come out `want`: the ranges of the sides of
** a comparison, for every fact file the fact types allow. */
static const char *why(Checker *k, Expr *cond, bool want)
{
    char *s = GC_MALLOC_ATOMIC(640);
    Expr *e = cond;
    while (e->kind == E_NOT) { e = e->a; want = !want; }
    if (e->kind == E_BINARY && e->op >= OP_B_EQ && e->op <= OP_B_GE) {
        const char *a = side_text(k, e->a, "left"), *b = side_text(k, e->b, "right");
        snprintf(s, 640, "for every valid fact file %s%s%s, so this is never %s", a ? a : "", a && b ? " and " : "",
                 b ? b : "", want ? "true" : "false");
        return s;
    }
    if (e->kind == E_IS && e->a->kind == E_MEMBER && e->a->a->kind == E_NAME &&
        strcmp(e->a->a->name, "unit") == 0 && !sym_find(&k->c->names, "unit")) {
        const Units *u = k->p->units;
        int attr = units_attr_index(u, e->a->name);
        if (attr >= 0) {
            size_t len = (size_t)snprintf(s, 640, "the assessed units in %s have %s", u->path, e->a->name);
            const char *sep = " ";
            for (int i = 0; i < u->n && len < 560; i++) {
                const char *v = u->attr_values[(size_t)i * (size_t)u->nattrs + (size_t)attr];
                bool seen = false;
                for (int j = 0; j < i && !seen; j++)
                    seen = strcmp(v, u->attr_values[(size_t)j * (size_t)u->nattrs + (size_t)attr]) == 0;
                if (seen) continue;
                len += (size_t)snprintf(s + len, 640 - len, "%s%s", sep, *v ? v : "(blank)");
                sep = ", ";
            }
            return s;
        }
    }
    snprintf(s, 640, "for every valid fact file this condition is never %s", want ? "true" : "false");
    return s;
}

static void report_steps(ItemRun *r, const ItemDef *def)
{
    for (int i = 0; i < r->nflags; i++) {
        StepFlags *f = &r->flags[i];
        Step *s = f->s;
        if (!f->reached) continue;
        switch (s->kind) {
        case S_ZERO:
            if (!f->can_apply)
                diag_at(DIAG_WARNING, s->loc, why(r->k, s->cond, !s->unless), "this gate of item %s can never fire",
                        def->id);
            else if (!f->can_skip)
                diag_at(DIAG_WARNING, s->loc, why(r->k, s->cond, s->unless),
                        "this gate of item %s always fires: the item is always 0", def->id);
            break;
        case S_DEDUCT: case S_ADD: case S_SCALE:
            if (!f->can_apply)
                diag_at(DIAG_WARNING, s->loc, why(r->k, s->cond, !s->unless), "this step of item %s can never apply",
                        def->id);
            else if (!f->effective)
                diag_at(DIAG_WARNING, s->loc, "check the amount: as written the step does nothing",
                        "this step of item %s never changes the score: %s", def->id,
                        s->kind == S_SCALE ? "it always multiplies by 1" : "its amount is always 0");
            break;
        case S_WHEN:
            if (!f->body)
                diag_at(DIAG_WARNING, s->cond->loc, why(r->k, s->cond, true),
                        "the block of this 'when' in item %s can never run", def->id);
            else if (!f->other && s->has_other)
                diag_at(DIAG_WARNING, s->cond->loc, why(r->k, s->cond, false),
                        "the 'otherwise' of this 'when' in item %s can never run", def->id);
            break;
        default:
            break;
        }
    }
}

/* Every expression an item evaluates, so the facts its conditions test
** become enumeration variables. */
static void collect_steps(Checker *k, PtrVec *steps, AEnv *env)
{
    Local *saved = env->scope;
    for (int i = 0; i < steps->n; i++) {
        Step *s = steps->items[i];
        Expr *es[3] = { s->cond, s->amount, s->per };
        for (int j = 0; j < 3; j++)
            if (es[j]) ai_collect(&k->ai, env, es[j]);
        if (s->kind == S_LET) {
            Local *l = GC_NEW(Local);
            *l = (Local){ s->name, av_unknown(), false, s->loc, env->scope };
            env->scope = l;
        }
        if (s->kind == S_WHEN) {
            collect_steps(k, &s->body, env);
            collect_steps(k, &s->other, env);
        }
    }
    env->scope = saved;
}

void analyse_item(Checker *k, int index)
{
    const Program *p = k->p;
    ItemDecl *d = k->c->item_decls.items[index];
    const ItemDef *def = &p->items[index];
    Absint *ai = &k->ai;
    ItemRun r = { .k = k, .ded = num_int(0) };
    number_steps(&r, &d->steps);
    AV start = av_unknown();
    bool any_start = false;
    for (int per = 0; per < p->nperiods; per++) {
        ai->nvars = 0;
        AEnv env = { per, NULL };
        if (d->from) ai_collect(ai, &env, d->from);
        collect_steps(k, &d->steps, &env);
        /* keep the first variables whose combinations fit the budget */
        long combos = 1;
        int nv = 0;
        while (nv < ai->nvars && combos * ai->vars[nv].nvalues <= MAX_COMBINATIONS) combos *= ai->vars[nv++].nvalues;
        for (long c = 0; c < combos; c++) {
            long rest = c;
            for (int v = 0; v < ai->nvars; v++) {
                if (v < nv) {
                    ai->vars[v].value = (int)(rest % ai->vars[v].nvalues);
                    rest /= ai->vars[v].nvalues;
                } else {
                    ai->vars[v].value = -1;
                }
            }
            AV st = d->from ? eval(&r, &env, d->from)
                            : av_num(def->has_points ? def->points : num_int(0),
                                     def->has_points ? def->points : num_int(0));
            start = any_start ? av_hull(start, st) : st;
            any_start = true;
            Path path = { true, st, false, num_int(0) };
            Path end = walk(&r, &d->steps, &env, path);
            path_end(&r, &end);
        }
    }
    ai->nvars = 0;
    if (r.poisoned) return;     /* an unknown name was reported; its item is not judged */
    report_steps(&r, def);
    if (!def->has_points || d->at.limit || !r.any_final) return;
    Num pts = def->points;
    bool start_hi_inf = start.hi_inf;
    Num start_hi = start.hi;
    if (!start_hi_inf && (r.ded_inf || num_cmp(r.ded, start_hi) > 0)) {
        char what[96];
        if (r.ded_inf) snprintf(what, sizeof what, "any number of points");
        else snprintf(what, sizeof what, "%s points", fmt_num(r.ded));
        diag_at(DIAG_WARNING, def->loc,
                "the score stops at 0; if the notice says so (扣完为止), write limit \"扣完为止\" after the item's points",
                "the deductions of item %s can take %s, but it starts at %s", def->id, what, fmt_num(start_hi));
    }
    if (r.finals.hi_inf || num_cmp(r.finals.hi, pts) > 0) {
        char hint[256];
        snprintf(hint, sizeof hint,
                 "the item is cut to %s; if the notice caps it (最高加%s分), write limit \"最高加%s分\" after the item's points",
                 fmt_num(pts), fmt_num(pts), fmt_num(pts));
        if (r.finals.hi_inf)
            diag_at(DIAG_WARNING, def->loc, hint, "item %s can reach any number of points, more than its %s",
                    def->id, fmt_num(pts));
        else
            diag_at(DIAG_WARNING, def->loc, hint, "item %s can reach %s points, more than its %s", def->id,
                    fmt_num(r.finals.hi), fmt_num(pts));
    }
}
