/*
** check.c — `kaohe check`: what a careful reviewer of a rubric would catch,
** without any facts. Points (items against their section, sections against
** the rubric), params that fail whatever the facts (a division by zero),
** each item's reach (deductions beyond its points, a maximum
** above its points with no `limit`), steps that can never apply, grade bands
** (gaps, overlaps, bands never reached, with the value's rounding), period
** weights, and names never used; plus everything compiling reports (unknown
** names, types). Every finding is a diagnostic at a rule position. Nothing
** here changes the program or evaluates bytecode. Items are check_items.c,
** grade bands check_bands.c; this file has the rest and runs them.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "absint.h"
#include "lint.h"
#include "status.h"

/* ---- points ------------------------------------------------------------------- */

static const ItemDef *item_def(const Program *p, const char *id)
{
    for (int i = 0; i < p->nitems; i++)
        if (strcmp(p->items[i].id, id) == 0) return &p->items[i];
    return NULL;
}

/* The sum of a section's item points for a unit (-1: as declared), and the
** sum written out in parts: "1 (10) + 2 (8) + …". */
static Num section_points(const Program *p, Decl *d, int unit, char *parts, size_t size)
{
    Num sum = num_int(0);
    size_t len = 0;
    parts[0] = 0;
    for (int j = 0; j < d->items.n; j++) {
        ItemDecl *it = d->items.items[j];
        if (!it->points) continue;
        const ItemDef *def = item_def(p, it->id);
        Num pts = def ? item_points(def, unit) : it->points->num;
        sum = num_add(sum, pts);
        if (len < size - 64)
            len += (size_t)snprintf(parts + len, size - len, "%s%s (%s)", j ? " + " : "", it->id, fmt_num(pts));
    }
    return sum;
}

/* The unit attribute the points of a section's items go by, or -1. */
static int section_points_attr(const Program *p, Decl *d)
{
    for (int j = 0; j < d->items.n; j++) {
        const ItemDef *def = item_def(p, ((ItemDecl *)d->items.items[j])->id);
        if (def && def->unit_points) return def->points_attr;
    }
    return -1;
}

/* One sum of a section against its total or cap; `who` names the units it
** is for ("" when the points are the same for all). */
static void check_section_sum(Decl *d, Num sum, const char *parts, const char *who)
{
    if (num_eq(sum, d->value->num)) return;
    char hint[1200];
    snprintf(hint, sizeof hint, "items %s = %s", parts, fmt_num(sum));
    if (d->cap) {
        /* max N: the items may add to more, the section counts for N */
        if (num_cmp(sum, d->cap->num) > 0) return;
        diag_at(DIAG_WARNING, d->cap->loc, hint,
                "section \"%s\" is capped at %s, but its items add up to only %s%s: the cap never applies",
                d->name, fmt_num(d->cap->num), fmt_num(sum), who);
        return;
    }
    diag_at(DIAG_ERROR, d->value->loc, hint, "section \"%s\" is worth %s points, but its items add up to %s%s",
            d->name, fmt_num(d->value->num), fmt_num(sum), who);
}

/* Points by a unit attribute (乡镇10分、街道6分): the section's sum for each
** value of the attribute the units have, each against the total. */
static void check_section_by_attr(const Program *p, Decl *d, int attr)
{
    const Units *u = p->units;
    const char **done = GC_MALLOC(sizeof(char *) * (size_t)u->n + 1);
    int ndone = 0;
    for (int unit = 0; unit < u->n; unit++) {
        const char *v = u->attr_values[unit * u->nattrs + attr];
        bool seen = false;
        for (int i = 0; i < ndone && !seen; i++) seen = strcmp(done[i], v) == 0;
        if (seen) continue;
        done[ndone++] = v;
        char parts[1024];
        Num sum = section_points(p, d, unit, parts, sizeof parts);
        check_section_sum(d, sum, parts, gc_printf(" for %s %s", u->attr_names[attr], v));
    }
}

static void check_points(Checker *k)
{
    const Program *p = k->p;
    Ast *ast = k->b->ast;
    Num sections = num_int(0);
    for (int i = 0; i < ast->decls.n; i++) {
        Decl *d = ast->decls.items[i];
        if (d->kind != D_SECTION) continue;
        for (int j = 0; j < d->items.n; j++) {
            ItemDecl *it = d->items.items[j];
            if (it->points) continue;
            if (d->section_kind == SEC_NORMAL)
                diag_at(DIAG_WARNING, it->id_loc, "write its points after the title, e.g. item 1 \"…\" 5",
                        "item %s has no points: it has no upper limit and does not count toward \"%s\"",
                        it->id, d->name);
            else if (d->section_kind == SEC_BONUS && !d->cap)
                diag_at(DIAG_WARNING, it->id_loc,
                        "if the notice caps it (最高加N分), give the item its points: item 加分1 \"…\" N from 0",
                        "bonus item %s has no cap: it can add without limit", it->id);
        }
        if (d->section_kind != SEC_NORMAL) continue;
        sections = num_add(sections, d->value->num);
        int attr = section_points_attr(p, d);
        if (attr >= 0 && p->units && p->units->n > 0) {
            check_section_by_attr(p, d, attr);
            continue;
        }
        char parts[1024];
        Num sum = section_points(p, d, -1, parts, sizeof parts);
        check_section_sum(d, sum, parts, "");
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

/* ---- params that need no facts ---------------------------------------------------- */

/* A param reads no facts, and every run evaluates every param in every
** period, so a division whose divisor is 0 whatever the facts stops every
** run (exit 5). Only the operations every evaluation reaches are looked at:
** both sides of arithmetic, the condition of an `if`, the left of and/or;
** an `if`'s branches, a by's cases and def bodies may never run. */
static bool const_walk(Checker *k, AEnv *env, Expr *e)
{
    if (!e) return false;
    switch (e->kind) {
    case E_NEG: case E_NOT: return const_walk(k, env, e->a);
    case E_IF: return const_walk(k, env, e->a);
    case E_BINARY: {
        if (const_walk(k, env, e->a)) return true;
        if (e->op == OP_B_AND || e->op == OP_B_OR) return false;
        if (const_walk(k, env, e->b)) return true;
        Num zero;
        AV d = e->op == OP_B_DIV ? ai_eval(&k->ai, env, e->b) : av_unknown();
        if (d.poisoned || !av_point(d, &zero) || num_sign(zero) != 0) return false;
        diag_at(DIAG_ERROR, e->loc, "the divisor is 0 whatever the facts, so every run would stop here",
                "division by zero");
        return true;
    }
    default: return false;
    }
}

static void check_params(Checker *k)
{
    for (int i = 0; i < k->c->param_decls.n; i++) {
        Decl *d = k->c->param_decls.items[i];
        if (from_stdlib(d)) continue;
        for (int period = 0; period < k->p->nperiods; period++) {
            AEnv env = { period, NULL };
            if (const_walk(k, &env, d->value)) break;   /* said once, not once per period */
        }
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
            bool unit_ref = strcmp(e->a->name, "本单位") == 0 || strcmp(e->a->name, "其他") == 0;
            if (s && s->kind == SYM_TABLE) u->table[s->index] = true;
            else if (s && s->kind == SYM_PERIOD) use_name(u, e->name, NULL);
            else if (!s && unit_ref) use_name(u, e->name, sc);    /* 其他.有窗口 reads 有窗口 */
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
    case E_TIERS:
        use_expr(u, e->a, sc);
        for (int i = 0; i < e->args.n; i++) {
            use_expr(u, e->bounds.items[i], sc);
            use_expr(u, e->args.items[i], sc);
        }
        return;
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
            for (int v = 0; v < d->vetoes.n; v++) {      /* 一票否决 reads its facts too */
                VetoDecl *vd = d->vetoes.items[v];
                use_expr(&u, vd->cond, NULL);
                use_expr(&u, vd->value, NULL);
            }
            for (int q = 0; q < d->quotas.n; q++) {      /* and a quota its share and keys */
                QuotaDecl *qd = d->quotas.items[q];
                if (!qd) continue;
                use_expr(&u, qd->share, NULL);
                for (int key = 0; key < qd->keys.n; key++) use_expr(&u, qd->keys.items[key], NULL);
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
        FILE *probe = p->tables[t] || spec->no_sheet ? NULL : fopen(spec->path, "rb");
        if (!probe) continue;
        fclose(probe);
        CsvReader *r = csv_open_sheet(spec->path, CSV_ENC_AUTO, spec->sheet);
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

int check_rubric(const char *rules, bool strict)
{
    int errors0 = diag_errors(), warnings0 = diag_warnings();
    Build *b = build_rubric(rules, NULL);
    if (b && b->stage == BUILD_DECLARED) alias_notes(b->p);
    if (b && b->stage >= BUILD_RESOLVED) {
        Checker k = { b, b->c, b->p, { 0 } };
        ai_init(&k.ai, k.c);
        check_points(&k);
        check_params(&k);
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
