/*
** check.c — `kaohe check`: what a careful reviewer of a rubric would catch,
** without any facts. Points (items against their section, sections against
** the rubric), each item's reach (deductions beyond its points, a maximum
** above its points with no `limit`), steps that can never apply, grade bands
** (gaps, overlaps, bands never reached, with the value's rounding), period
** weights, and names never used; plus everything compiling reports (unknown
** names, types). Every finding is a diagnostic at a rule position. Nothing
** here changes the program or evaluates bytecode.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "absint.h"
#include "commands.h"

/* Items are analysed once per combination of the yes/no facts, choices and
** unit attributes their conditions test; past this many combinations the
** rest are left open (the answer is then coarser, never wrong). */
#define MAX_COMBINATIONS 4096

typedef struct Checker {
    Build *b;
    Compiler *c;
    Program *p;
    Absint ai;
} Checker;

static const char *fmt_num(Num n) { return num_to_string(n); }

static bool from_stdlib(const Decl *d)
{
    return d->file && strcmp(d->file->path, "<stdlib>") == 0;
}

/* ---- points ------------------------------------------------------------------- */

static void check_points(Checker *k)
{
    const Program *p = k->p;
    Ast *ast = k->b->ast;
    Num sections = num_int(0);
    for (int i = 0; i < ast->decls.n; i++) {
        Decl *d = ast->decls.items[i];
        if (d->kind != D_SECTION) continue;
        Num sum = num_int(0);
        char parts[1024] = "";
        size_t len = 0;
        for (int j = 0; j < d->items.n; j++) {
            ItemDecl *it = d->items.items[j];
            if (!it->points) {
                if (d->section_kind == SEC_NORMAL)
                    diag_at(DIAG_WARNING, it->id_loc, "write its points after the title, e.g. item 1 \"…\" 5",
                            "item %s has no points: it has no upper limit and does not count toward \"%s\"",
                            it->id, d->name);
                else if (d->section_kind == SEC_BONUS)
                    diag_at(DIAG_WARNING, it->id_loc,
                            "if the notice caps it (最高加N分), give the item its points: item 加分1 \"…\" N from 0",
                            "bonus item %s has no cap: it can add without limit", it->id);
                continue;
            }
            sum = num_add(sum, it->points->num);
            if (len < sizeof parts - 64)
                len += (size_t)snprintf(parts + len, sizeof parts - len, "%s%s (%s)", j ? " + " : "",
                                        it->id, fmt_num(it->points->num));
        }
        if (d->section_kind != SEC_NORMAL) continue;
        sections = num_add(sections, d->value->num);
        if (num_eq(sum, d->value->num)) continue;
        char hint[1200];
        snprintf(hint, sizeof hint, "items %s = %s", parts, fmt_num(sum));
        diag_at(DIAG_ERROR, d->value->loc, hint, "section \"%s\" is worth %s points, but its items add up to %s",
                d->name, fmt_num(d->value->num), fmt_num(sum));
    }
    for (int i = 0; i < ast->decls.n; i++) {
        Decl *d = ast->decls.items[i];
        if (d->kind != D_RUBRIC || !d->aux || num_eq(d->aux->num, sections)) continue;
        char hint[1200];
        size_t len = (size_t)snprintf(hint, sizeof hint, "sections");
        const char *sep = " ";
        for (int s = 0; s < p->nsections && len < sizeof hint - 80; s++)
            if (p->sections[s].kind == SEC_NORMAL) {
                len += (size_t)snprintf(hint + len, sizeof hint - len, "%s\"%s\" (%s)", sep, p->sections[s].title,
                                        fmt_num(p->sections[s].total));
                sep = " + ";
            }
        if (len < sizeof hint - 40) snprintf(hint + len, sizeof hint - len, " = %s", fmt_num(sections));
        diag_at(DIAG_ERROR, d->aux->loc, hint, "the rubric's total is %s, but its sections add up to %s",
                fmt_num(d->aux->num), fmt_num(sections));
    }
}

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
            if (t) { fl->body = true; a = walk(r, &s->body, env, path); }
            if (f) { fl->other = true; b = s->has_other ? walk(r, &s->other, env, path) : path; }
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

static void analyse_item(Checker *k, int index)
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

/* ---- grade bands ------------------------------------------------------------------ */

/* The line cut at every band end into atoms: points and the open stretches
** between them. Each atom is in or out of each band as a whole. */
typedef struct Atom {
    bool point;
    bool lo_inf, hi_inf;     /* for a stretch */
    Num lo, hi;              /* a point has lo == hi */
    int owner;               /* the first band that takes it, or -1 */
    bool explicit_;          /* an explicit band (not otherwise) takes it */
    bool in_domain;          /* the graded value can be here */
} Atom;

typedef struct Band {
    const char *name;
    Loc loc;
    int kind;                /* 0 >=, 1 >, 2 range, 3 otherwise */
    Num a, b;
} Band;

static bool band_has(const Band *bd, const Atom *at)
{
    switch (bd->kind) {
    case 0: return !at->lo_inf && num_cmp(at->lo, bd->a) >= 0;
    case 1: return !at->lo_inf && (at->point ? num_cmp(at->lo, bd->a) > 0 : num_cmp(at->lo, bd->a) >= 0);
    case 2: return !at->lo_inf && !at->hi_inf && num_cmp(at->lo, bd->a) >= 0 && num_cmp(at->hi, bd->b) <= 0;
    default: return true;
    }
}

/* One step of the grid 10^-places: 0.01 for 2 places. */
static Num grid_step(int places)
{
    Num unit = num_int(1);
    for (int i = 0; i < places; i++) num_div(unit, num_int(10), &unit);
    return unit;
}

/* The smallest value of the grid (10^-places; places < 0: every number)
** in an atom, or false if it holds none. A stretch with no lower end gives
** some value below its upper end. */
static bool first_in(const Atom *at, int places, Num *out)
{
    if (at->point) {
        *out = at->lo;
        return places < 0 || num_eq(num_round(at->lo, places, ROUND_DOWN), at->lo);
    }
    if (at->lo_inf) {
        *out = at->hi_inf ? num_int(0) : num_sub(at->hi, num_int(1));
        return true;
    }
    if (places < 0) {
        if (at->hi_inf) *out = num_add(at->lo, num_int(1));
        else num_div(num_add(at->lo, at->hi), num_int(2), out);
        return true;
    }
    Num c = num_round(at->lo, places, ROUND_CEILING);
    if (num_eq(c, at->lo)) c = num_add(c, grid_step(places));
    *out = c;
    return at->hi_inf || num_cmp(c, at->hi) < 0;
}

/* The largest grid value in a stretch with an upper end. */
static bool last_in(const Atom *at, int places, Num *out)
{
    if (at->point || places < 0 || at->hi_inf) return first_in(at, places, out);
    Num f = num_round(at->hi, places, ROUND_FLOOR);
    if (num_eq(f, at->hi)) f = num_sub(f, grid_step(places));
    *out = f;
    return at->lo_inf || num_cmp(f, at->lo) > 0;
}

static int cmp_num(const void *x, const void *y)
{
    return num_cmp(*(const Num *)x, *(const Num *)y);
}

/* "89.01 to 89.99", "values below 70", "the values between 89 and 90" */
static const char *span_text(const Atom *from, const Atom *to, int places)
{
    char *s = GC_MALLOC_ATOMIC(256);
    Num a, b;
    if (from->lo_inf && !from->point) {
        bool incl = to->point;
        snprintf(s, 256, "values %s %s", incl ? "up to" : "below", fmt_num(to->point ? to->lo : to->hi));
        return s;
    }
    if (to->hi_inf && !to->point) {
        snprintf(s, 256, "values %s %s", from->point ? "from" : "above", fmt_num(from->lo));
        return s;
    }
    if (places < 0) {
        snprintf(s, 256, "the values %s %s and %s %s", from->point ? "from" : "above", fmt_num(from->lo),
                 to->point ? "up to" : "below", fmt_num(to->point ? to->lo : to->hi));
        return s;
    }
    first_in(from, places, &a);
    last_in(to, places, &b);
    if (num_eq(a, b)) snprintf(s, 256, "%s", num_format_fixed(a, places));
    else snprintf(s, 256, "%s to %s", num_format_fixed(a, places), num_format_fixed(b, places));
    return s;
}

/* Whether the stretch of atoms owned by band b around atom i reaches the
** band's own threshold (a >= or > band's values start there). */
static bool stretch_has_threshold(const Atom *at, int na, int i, int b, const Band *bd)
{
    int lo = i, hi = i;
    while (lo > 0 && (at[lo - 1].owner == b || !at[lo - 1].in_domain)) lo--;
    while (hi + 1 < na && (at[hi + 1].owner == b || !at[hi + 1].in_domain)) hi++;
    for (int x = lo; x <= hi; x++) {
        if (at[x].owner != b) continue;
        if (at[x].point && num_eq(at[x].lo, bd->a)) return true;
        if (!at[x].point && !at[x].lo_inf && num_eq(at[x].lo, bd->a)) return true;
    }
    return false;
}

/* What a grade is decided on, and how fine its values are: a result
** rounded by round(…, n, …) or a period of rounded items has n places. */
static AV grade_domain(Checker *k, Decl *g, int *places, const char **what)
{
    Sym *s = sym_find(&k->c->names, g->key);
    *places = -1;
    *what = g->key;
    AEnv env = { -1, NULL };
    if (!s) return av_unknown();
    if (s->kind == SYM_PERIOD) {
        if (k->p->round_items) *places = k->p->round_places;
        return ai_period_score(&k->ai);
    }
    if (s->kind == SYM_RESULT) {
        Decl *d = k->c->result_decls.items[s->index];
        Expr *v = d->value;
        int64_t n;
        if (v->kind == E_CALL && strcmp(v->name, "round") == 0 && v->args.n == 3 &&
            ((Expr *)v->args.items[1])->kind == E_NUM && num_to_int64(((Expr *)v->args.items[1])->num, &n) &&
            n >= 0 && n <= 18)
            *places = (int)n;
        return ai_eval(&k->ai, &env, v);
    }
    if (s->kind == SYM_PARAM) return ai_eval(&k->ai, &env, ((Decl *)k->c->param_decls.items[s->index])->value);
    return av_unknown();
}

static void check_grade(Checker *k, Decl *g)
{
    int nb = g->names.n;
    if (nb == 0) return;
    Band *bands = GC_MALLOC(sizeof(Band) * (size_t)nb);
    AEnv env = { -1, NULL };
    Num *ends = GC_MALLOC(sizeof(Num) * (size_t)(2 * nb + 3));
    int ne = 0;
    int otherwise = -1;
    for (int i = 0; i < nb; i++) {
        Band *bd = &bands[i];
        bd->name = g->names.items[i];
        bd->loc = *(Loc *)g->name_locs.items[i];
        Expr *th = g->exprs.items[i];
        BinOp op = (BinOp)(intptr_t)g->ops.items[i];
        if (!th) { bd->kind = 3; if (otherwise < 0) otherwise = i; continue; }
        bd->kind = op == OP_B_LE ? 2 : op == OP_B_GT ? 1 : 0;
        AV a = ai_eval(&k->ai, &env, op == OP_B_LE ? th->a : th);
        if (!av_point(a, &bd->a)) return;          /* thresholds that are not fixed numbers */
        ends[ne++] = bd->a;
        if (op == OP_B_LE) {
            AV b = ai_eval(&k->ai, &env, th->b);
            if (!av_point(b, &bd->b)) return;
            ends[ne++] = bd->b;
            if (num_cmp(bd->b, bd->a) < 0) {
                diag_at(DIAG_ERROR, th->loc, "write the lower end first, e.g. 良好 80..89",
                        "band %s is empty: %s is above %s", bd->name, fmt_num(bd->a), fmt_num(bd->b));
                return;
            }
        }
    }
    int places;
    const char *what;
    AV dom = grade_domain(k, g, &places, &what);
    if (dom.t != T_NUM || dom.poisoned) dom = av_unknown(), dom.t = T_NUM;
    if (!dom.lo_inf) ends[ne++] = dom.lo;
    if (!dom.hi_inf) ends[ne++] = dom.hi;
    qsort(ends, (size_t)ne, sizeof(Num), cmp_num);
    int nu = 0;
    for (int i = 0; i < ne; i++)
        if (nu == 0 || !num_eq(ends[nu - 1], ends[i])) ends[nu++] = ends[i];
    /* atoms: (-inf, e0) {e0} (e0, e1) {e1} … {e_last} (e_last, inf) */
    int na = 2 * nu + 1;
    Atom *at = GC_MALLOC(sizeof(Atom) * (size_t)na);
    for (int i = 0; i < na; i++) {
        Atom *x = &at[i];
        if (i % 2) { x->point = true; x->lo = x->hi = ends[i / 2]; }
        else {
            x->lo_inf = i == 0;
            x->hi_inf = i == na - 1;
            if (!x->lo_inf) x->lo = ends[i / 2 - 1];
            if (!x->hi_inf) x->hi = ends[i / 2];
        }
        Num probe;
        bool has = first_in(x, places, &probe);
        bool lo_ok = dom.lo_inf || (!x->lo_inf && num_cmp(x->lo, dom.lo) >= 0);
        bool hi_ok = dom.hi_inf || (!x->hi_inf && num_cmp(x->hi, dom.hi) <= 0);
        x->in_domain = has && lo_ok && hi_ok;
        x->owner = -1;
        for (int b = 0; b < nb && x->owner < 0; b++)
            if (band_has(&bands[b], x)) x->owner = b;
        for (int b = 0; b < nb; b++)
            if (bands[b].kind != 3 && band_has(&bands[b], x)) x->explicit_ = true;
    }
    /* a band no value reaches */
    for (int b = 0; b < nb; b++) {
        bool owns = false;
        for (int i = 0; i < na && !owns; i++) owns = at[i].in_domain && at[i].owner == b;
        if (!owns && bands[b].kind != 3)
            diag_at(DIAG_ERROR, bands[b].loc, "bands are tried from the top; the first that holds wins",
                    "band %s of grade %s can never be given: the bands before it take all its values",
                    bands[b].name, g->name);
    }
    /* overlaps of written ranges */
    for (int b = 0; b < nb; b++) {
        if (bands[b].kind != 2) continue;
        for (int i = 0; i < na; i++) {
            if (!at[i].in_domain || at[i].owner < 0 || at[i].owner == b || !band_has(&bands[b], &at[i])) continue;
            Num v;
            first_in(&at[i], places, &v);
            char hint[256];
            snprintf(hint, sizeof hint, "%s, listed first, gets it; make the ranges meet without overlapping",
                     bands[at[i].owner].name);
            diag_at(DIAG_WARNING, bands[b].loc, hint, "%s fits both band %s and band %s", fmt_num(v),
                    bands[at[i].owner].name, bands[b].name);
            break;
        }
    }
    /* stretches no written band covers, and stretches a threshold band
    ** takes only because the bands above it leave them (良好 80..89 before
    ** 合格 >= 70: 89.5 is 合格) */
    for (int i = 0; i < na;) {
        int own = at[i].owner;
        bool stray = at[i].in_domain && (!at[i].explicit_ || (own >= 0 && bands[own].kind <= 1 &&
                                                              !stretch_has_threshold(at, na, i, own, &bands[own])));
        if (!stray) { i++; continue; }
        int j = i;
        while (j + 1 < na && at[j + 1].owner == own &&
               (!at[j + 1].explicit_ || !stretch_has_threshold(at, na, j + 1, own, &bands[own])))
            j++;
        while (j > i && !at[j].in_domain) j--;
        int below = -1, above = -1;
        for (int x = i - 1; x >= 0 && below < 0; x--) if (at[x].in_domain && at[x].owner != own) below = at[x].owner;
        for (int x = j + 1; x < na && above < 0; x++) if (at[x].in_domain && at[x].owner != own) above = at[x].owner;
        const char *span = span_text(&at[i], &at[j], places);
        char hint[512];
        if (below < 0 || above < 0) {
            snprintf(hint, sizeof hint, "add a band for them, e.g. a last band such as: 不合格 otherwise");
        } else if (places >= 0 && !at[i].lo_inf && !at[j].hi_inf) {
            Num a, b2, mid;
            first_in(&at[i], places, &a);
            last_in(&at[j], places, &b2);
            num_div(num_add(a, b2), num_int(2), &mid);
            snprintf(hint, sizeof hint,
                     "%s has %d decimal place%s, so a unit can score %s; make the bands meet, e.g. with >= thresholds",
                     what, places, places == 1 ? "" : "s",
                     num_format_fixed(num_round(mid, places, ROUND_HALF_UP), places));
        } else {
            snprintf(hint, sizeof hint, "make the bands meet, e.g. with >= thresholds, or end with a band 'otherwise'");
        }
        Loc at_band = below >= 0 ? bands[below].loc : g->name_loc;
        if (own < 0)
            diag_at(DIAG_ERROR, at_band, hint, "no band of grade %s covers %s", g->name, span);
        else if (below >= 0 && above >= 0)
            diag_at(DIAG_ERROR, at_band, hint, "no band of grade %s is written for %s, between %s and %s; they get %s",
                    g->name, span, bands[below].name, bands[above].name, bands[own].name);
        i = j + 1;
    }
}

/* ---- period weights ---------------------------------------------------------------- */

/* The result as c0 + Σ w_p × period_p, when it is that simple. */
static bool linear(Checker *k, Expr *e, Num *w, Num *c0)
{
    const Program *p = k->p;
    AEnv env = { -1, NULL };
    Num *wa = GC_MALLOC(sizeof(Num) * ((size_t)p->nperiods + 1));
    Num *wb = GC_MALLOC(sizeof(Num) * ((size_t)p->nperiods + 1));
    Num ca, cb, x;
    for (int i = 0; i < p->nperiods; i++) w[i] = num_int(0);
    *c0 = num_int(0);
    switch (e->kind) {
    case E_NAME: {
        Sym *s = sym_find(&k->c->names, e->name);
        if (s && s->kind == SYM_PERIOD) { w[s->index] = num_int(1); return true; }
        break;
    }
    case E_CALL:
        if (strcmp(e->name, "round") == 0 && e->args.n == 3) return linear(k, e->args.items[0], w, c0);
        break;
    case E_BINARY:
        if (e->op == OP_B_ADD || e->op == OP_B_SUB) {
            if (!linear(k, e->a, wa, &ca) || !linear(k, e->b, wb, &cb)) return false;
            for (int i = 0; i < p->nperiods; i++) w[i] = e->op == OP_B_ADD ? num_add(wa[i], wb[i]) : num_sub(wa[i], wb[i]);
            *c0 = e->op == OP_B_ADD ? num_add(ca, cb) : num_sub(ca, cb);
            return true;
        }
        if (e->op == OP_B_MUL || e->op == OP_B_DIV) {
            if (!linear(k, e->a, wa, &ca)) return false;
            if (!av_point(ai_eval(&k->ai, &env, e->b), &x)) {
                if (e->op == OP_B_DIV || !av_point(ai_eval(&k->ai, &env, e->a), &x) || !linear(k, e->b, wa, &ca))
                    return false;
            } else if (e->op == OP_B_DIV && !num_div(num_int(1), x, &x)) {
                return false;
            }
            for (int i = 0; i < p->nperiods; i++) w[i] = num_mul(wa[i], x);
            *c0 = num_mul(ca, x);
            return true;
        }
        break;
    default:
        break;
    }
    /* a part that reads no period: a constant, or not linear at all */
    if (!av_point(ai_eval(&k->ai, &env, e), c0)) return false;
    return true;
}

static void check_weights(Checker *k)
{
    const Program *p = k->p;
    if (p->nperiods < 2) return;
    PtrVec *lists[2] = { &k->c->result_decls, &k->c->outcome_decls };
    for (int l = 0; l < 2; l++) {
        for (int i = 0; i < lists[l]->n; i++) {
            Decl *d = lists[l]->items[i];
            Num *w = GC_MALLOC(sizeof(Num) * ((size_t)p->nperiods + 1)), c0;
            if (!linear(k, d->value, w, &c0)) continue;
            bool weighted = false;
            Num sum = num_int(0);
            char parts[512] = "";
            size_t len = 0;
            for (int per = 0; per < p->nperiods; per++) {
                sum = num_add(sum, w[per]);
                if (num_sign(w[per]) > 0 && num_cmp(w[per], num_int(1)) < 0) weighted = true;
                if (len < sizeof parts - 64)
                    len += (size_t)snprintf(parts + len, sizeof parts - len, "%s%s × %s", per ? " + " : "",
                                            p->periods[per], fmt_num(w[per]));
            }
            if (!weighted || num_eq(sum, num_int(1))) continue;
            diag_at(DIAG_ERROR, d->value->loc, parts, "the weights of the periods in %s add up to %s, not 1",
                    d->name, fmt_num(sum));
        }
    }
}

/* ---- names never used ----------------------------------------------------------------- */

typedef struct Use {
    bool *fact, *param, *table, *let, *def;
    Checker *k;
} Use;

typedef struct UScope {
    const char *name;
    bool used;
    Loc loc;
    struct UScope *next;
} UScope;

static void use_expr(Use *u, Expr *e, UScope *sc);

static void use_name(Use *u, const char *name, UScope *sc)
{
    for (UScope *s = sc; s; s = s->next)
        if (strcmp(s->name, name) == 0) { s->used = true; return; }
    Sym *s = sym_find(&u->k->c->names, name);
    if (!s) return;
    switch (s->kind) {
    case SYM_FACT: u->fact[s->index] = true; break;
    case SYM_PARAM: u->param[s->index] = true; break;
    case SYM_TABLE: u->table[s->index] = true; break;
    case SYM_LET: u->let[s->index] = true; break;
    default: break;
    }
}

/* A def's body is walked at its first call; parameters it never reads are
** reported then. */
static void use_def(Use *u, int i)
{
    if (u->def[i]) return;
    u->def[i] = true;
    Decl *d = u->k->c->defs.items[i];
    UScope *sc = NULL;
    for (int k = 0; k < d->names.n; k++) {
        UScope *s = GC_NEW(UScope);
        *s = (UScope){ d->names.items[k], false, *(Loc *)d->name_locs.items[k], sc };
        sc = s;
    }
    use_expr(u, d->value, sc);
    if (from_stdlib(d)) return;
    for (UScope *s = sc; s; s = s->next)
        if (!s->used)
            diag_at(DIAG_WARNING, s->loc, "remove it from the def and from every call, or use it",
                    "def '%s' never uses its parameter '%s'", d->name, s->name);
}

static void use_expr(Use *u, Expr *e, UScope *sc)
{
    if (!e) return;
    switch (e->kind) {
    case E_NAME: use_name(u, e->name, sc); return;
    case E_MEMBER:
        if (e->a->kind == E_NAME) {
            Sym *s = sym_find(&u->k->c->names, e->a->name);
            if (s && s->kind == SYM_TABLE) u->table[s->index] = true;
            else if (s && s->kind == SYM_PERIOD) use_name(u, e->name, NULL);
            else if (!s) use_name(u, e->a->name, sc);
        }
        return;
    case E_INDEX: use_expr(u, e->a, sc); use_expr(u, e->b, sc); return;
    case E_CALL: {
        Sym *s = sym_find(&u->k->c->names, e->name);
        bool local = false;
        for (UScope *x = sc; x; x = x->next) local |= strcmp(x->name, e->name) == 0;
        if (s && s->kind == SYM_DEF && !local) use_def(u, s->index);
        for (int i = 0; i < e->args.n; i++) use_expr(u, e->args.items[i], sc);
        return;
    }
    case E_GEN: {
        use_expr(u, e->b, sc);
        use_expr(u, e->c, sc);
        UScope m = { e->name, false, e->name_loc, sc };
        use_expr(u, e->a, &m);
        return;
    }
    case E_BY:
        if (strcmp(e->name, "period") != 0) use_name(u, e->name, sc);
        for (int i = 0; i < e->args.n; i++) use_expr(u, e->args.items[i], sc);
        return;
    default:
        use_expr(u, e->a, sc);
        use_expr(u, e->b, sc);
        use_expr(u, e->c, sc);
        return;
    }
}

static void use_steps(Use *u, PtrVec *steps, UScope **sc, const ItemDecl *it)
{
    UScope *saved = *sc;
    for (int i = 0; i < steps->n; i++) {
        Step *s = steps->items[i];
        use_expr(u, s->cond, *sc);
        use_expr(u, s->amount, *sc);
        use_expr(u, s->per, *sc);
        if (s->kind == S_LET) {
            UScope *l = GC_NEW(UScope);
            *l = (UScope){ s->name, false, s->loc, *sc };
            *sc = l;
        }
        if (s->kind == S_WHEN) {
            use_steps(u, &s->body, sc, it);
            use_steps(u, &s->other, sc, it);
        }
    }
    for (UScope *l = *sc; l != saved; l = l->next)
        if (!l->used)
            diag_at(DIAG_WARNING, l->loc, "remove it, or use it in a later step",
                    "'%s' is never used in item %s", l->name, it->id);
    *sc = saved;
}

static void check_usage(Checker *k)
{
    const Program *p = k->p;
    Compiler *c = k->c;
    Use u = { 0 };
    u.k = k;
    u.fact = GC_MALLOC_ATOMIC((size_t)p->nfacts + 1);
    u.param = GC_MALLOC_ATOMIC((size_t)p->nparams + 1);
    u.table = GC_MALLOC_ATOMIC((size_t)p->ntables + 1);
    u.let = GC_MALLOC_ATOMIC((size_t)p->nlets + 1);
    u.def = GC_MALLOC_ATOMIC((size_t)c->defs.n + 1);
    memset(u.fact, 0, (size_t)p->nfacts + 1);
    memset(u.param, 0, (size_t)p->nparams + 1);
    memset(u.table, 0, (size_t)p->ntables + 1);
    memset(u.let, 0, (size_t)p->nlets + 1);
    memset(u.def, 0, (size_t)c->defs.n + 1);
    for (int i = 0; i < c->param_decls.n; i++) use_expr(&u, ((Decl *)c->param_decls.items[i])->value, NULL);
    for (int i = 0; i < c->let_decls.n; i++) use_expr(&u, ((Decl *)c->let_decls.items[i])->value, NULL);
    for (int i = 0; i < c->item_decls.n; i++) {
        ItemDecl *it = c->item_decls.items[i];
        use_expr(&u, it->from, NULL);
        UScope *sc = NULL;
        use_steps(&u, &it->steps, &sc, it);
    }
    PtrVec *values[3] = { &c->result_decls, &c->grade_decls, &c->outcome_decls };
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < values[l]->n; i++) {
            Decl *d = values[l]->items[i];
            use_expr(&u, d->value, NULL);
            if (d->kind == D_GRADE) {
                use_name(&u, d->key, NULL);
                for (int b = 0; b < d->exprs.n; b++) use_expr(&u, d->exprs.items[b], NULL);
            }
        }
    for (int i = 0; i < p->nfacts; i++)
        if (!u.fact[i])
            diag_at(DIAG_WARNING, p->facts[i].loc,
                    "remove it, or read it in a rule; while it is declared, the fact file needs its column",
                    "fact '%s' is never read", p->facts[i].name);
    for (int i = 0; i < p->nparams; i++)
        if (!u.param[i])
            diag_at(DIAG_WARNING, p->params[i].loc, "remove it, or use it in a rule", "param '%s' is never used",
                    p->params[i].name);
    for (int i = 0; i < p->ntables; i++)
        if (!u.table[i])
            diag_at(DIAG_WARNING, p->table_loc[i], "remove it; while it is declared, its file is loaded and checked",
                    "table '%s' is never read", p->table_specs[i].name);
    for (int i = 0; i < p->nlets; i++)
        if (!u.let[i])
            diag_at(DIAG_WARNING, p->lets[i].loc, "remove it, or use it in a rule", "let '%s' is never used",
                    p->lets[i].name);
    for (int i = 0; i < c->defs.n; i++) {
        Decl *d = c->defs.items[i];
        if (!u.def[i] && !from_stdlib(d))
            diag_at(DIAG_WARNING, d->name_loc, "remove it, or call it; a def nothing calls is not checked at all",
                    "def '%s' is never called", d->name);
    }
}

/* ---- aliases ------------------------------------------------------------------------- */

static const char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    return GC_STRNDUP(s, n);
}

/* A table that did not load: where a name it does not know is close to an
** assessed unit that has no row, that is probably the unit under another
** name, an alias units.csv lacks (annex 4 writes 石埠镇 for 石埠乡). */
static void alias_notes(const Program *p)
{
    const Units *u = p->units;
    if (!u) return;
    for (int t = 0; t < p->ntables; t++) {
        const TableSpec *spec = &p->table_specs[t];
        FILE *probe = p->tables[t] ? NULL : fopen(spec->path, "rb");
        if (!probe) continue;
        fclose(probe);
        CsvReader *r = csv_open(spec->path, CSV_ENC_AUTO);
        CsvRecord rec;
        int key = -1;
        if (r && csv_next(r, &rec) == 1)
            for (size_t k = 0; k < rec.nfields; k++)
                if (strcmp(trimmed(rec.fields[k].text, rec.fields[k].len), spec->key) == 0) key = (int)k;
        if (key < 0) { if (r) csv_close(r); continue; }
        bool *has = GC_MALLOC_ATOMIC((size_t)u->n + 1);
        memset(has, 0, (size_t)u->n + 1);
        PtrVec unknown = { 0 };
        PtrVec rows = { 0 };
        while (csv_next(r, &rec) == 1) {
            if ((size_t)key >= rec.nfields) continue;
            const char *name = trimmed(rec.fields[key].text, rec.fields[key].len);
            if (!*name || (spec->total_row && strcmp(name, spec->total_row) == 0)) continue;
            int k = units_find(u, name);
            if (k >= 0) has[k] = true;
            else if (k == UNIT_UNKNOWN) {
                vec_push(&unknown, (void *)name);
                vec_push(&rows, (void *)(intptr_t)rec.row);
            }
        }
        csv_close(r);
        const char **missing = GC_MALLOC(sizeof(char *) * ((size_t)u->n + 1));
        size_t nmissing = 0;
        for (int k = 0; k < u->n; k++)
            if (!has[k]) missing[nmissing++] = u->names[k];
        for (int i = 0; i < unknown.n; i++) {
            const char *name = unknown.items[i];
            const char *s = diag_suggest(name, missing, nmissing);
            if (!s) continue;
            char hint[512];
            snprintf(hint, sizeof hint, "if %s is another name for %s, add it to the 别名 column of %s in %s", name, s, s,
                     u->path);
            diag_cell(DIAG_NOTE, spec->path, (long)(intptr_t)rows.items[i], spec->key, NULL, hint,
                      "%s may be %s, which has no row in this table", name, s);
        }
    }
}

/* ---- the command -------------------------------------------------------------------- */

int cmd_check(int argc, char **argv)
{
    const char *rules = NULL;
    bool strict = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0) strict = true;
        else if (argv[i][0] == '-' && argv[i][1]) return usage_error("unknown option '%s' for check", argv[i]);
        else if (rules) return usage_error("unexpected argument '%s'", argv[i]);
        else rules = argv[i];
    }
    if (!rules) return usage_error("%s", "check needs RULES (a rubric folder or .kh file)");
    int errors0 = diag_errors(), warnings0 = diag_warnings();
    Build *b = build_rubric(rules, NULL);
    if (b && b->stage == BUILD_DECLARED) alias_notes(b->p);
    if (b && b->stage >= BUILD_RESOLVED) {
        Checker k = { b, b->c, b->p, { 0 } };
        ai_init(&k.ai, k.c);
        check_points(&k);
        for (int i = 0; i < k.p->nitems; i++) analyse_item(&k, i);
        for (int i = 0; i < k.c->grade_decls.n; i++) check_grade(&k, k.c->grade_decls.items[i]);
        check_weights(&k);
        check_usage(&k);
    }
    int errors = diag_errors() - errors0, warnings = diag_warnings() - warnings0;
    printf("%s: %d error%s, %d warning%s\n", rules, errors, errors == 1 ? "" : "s", warnings,
           warnings == 1 ? "" : "s");
    if (fflush(stdout) != 0) return EXIT_OUTPUT;
    if (errors || !b) return EXIT_RULES;
    return strict && warnings ? EXIT_FAILED : EXIT_OK;
}
