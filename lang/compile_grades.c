/*
** compile_grades.c — what a grade or an outcome says beyond its bands and
** its formula: 一票否决 (`veto if 条件 -> 不合格 "…"`), tested first in the
** value's own chunk, and grade quotas (`优秀 >= 90 at most 30% by 综合得分,
** ties by 完成率, then unit order`), whose share and ranking keys become
** chunks of their own for the VM's pass over all units. Expressions are
** compiled by the part compiler compile_expr.c hands down, so calls between
** the two files go one way (as compile_tiers.c).
*/
#include <gc.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

/* A chunk that computes e alone for a unit (CTX_U): a veto's condition, a
** quota's share or key. */
static Chunk *value_part(Compiler *c, CompilePart part, const char *name, Expr *e, Type need, const char *role)
{
    Fn fn;
    fn_init(&fn, name, CTX_U);
    Type t = part(c, &fn, e);
    want(c, e, t, e->enum_id, need, role);
    emit(&fn, OP_RETURN, e->loc);
    fn_finish(&fn);
    return fn.chunk;
}

static const char *part_name(const char *value, const char *what, int k)
{
    char *s = GC_MALLOC_ATOMIC(strlen(value) + strlen(what) + 24);
    sprintf(s, "%s %s %d", value, what, k + 1);
    return s;
}

/* The band a grade's veto gives, by name. */
static int veto_member(Compiler *c, Decl *d, VetoDecl *v)
{
    for (int b = 0; b < d->names.n; b++)
        if (strcmp(d->names.items[b], v->member) == 0) return b;
    const char *s = sym_suggest(v->member, (const char **)d->names.items, (size_t)d->names.n);
    char hint[256];
    if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
    else snprintf(hint, sizeof hint, "a veto gives one of the grade's bands: veto if … -> 不合格");
    fail(c, v->member_loc, hint, "'%s' is not a band of grade '%s'", v->member, d->name);
    return -1;
}

/* `veto if 通报 -> 不合格` on an outcome that is a choice (档次 = 等次): a
** bare name that is a member of exactly one set of choices is that
** member, as a band is named in a grade's veto. false: not such a name. */
static bool choice_value(Compiler *c, Fn *fn, Expr *v, Type *t)
{
    if (v->kind != E_NAME || sym_find(&c->names, v->name)) return false;
    const Program *p = c->p;
    int found = -1, member = -1, count = 0;
    for (int i = 0; i < p->nenums; i++)
        for (int m = 0; m < p->enums[i].n; m++)
            if (strcmp(p->enums[i].members[m], v->name) == 0) { found = i; member = m; count++; }
    if (count != 1) return false;
    emit_const(c, fn, val_enum(member), v->loc);
    v->enum_id = found;
    *t = T_ENUM;
    return true;
}

/* Emits each veto at the start of the value's chunk: when its condition
** holds, the chunk returns the veto's band (grades) or value (outcomes)
** and nothing after it runs. types[k] receives an outcome veto's type. */
void compile_vetoes(Compiler *c, Fn *fn, Decl *d, ValueDef *v, CompilePart part, Type *types)
{
    if (!d->vetoes.n) return;
    bool grade = d->kind == D_GRADE;
    v->nvetoes = d->vetoes.n;
    v->vetoes = GC_MALLOC(sizeof(VetoDef) * (size_t)d->vetoes.n);
    for (int k = 0; k < d->vetoes.n; k++) {
        VetoDecl *vd = d->vetoes.items[k];
        VetoDef *def = &v->vetoes[k];
        *def = (VetoDef){ .member = -1, .at = &vd->at, .loc = vd->loc, .cond_loc = vd->cond->loc };
        Type tc = part(c, fn, vd->cond);
        want(c, vd->cond, tc, vd->cond->enum_id, T_BOOL, "the condition of 'veto'");
        uint32_t skip = emit_jump(fn, OP_JUMP_IF_FALSE, vd->cond->loc);
        if (grade) {
            def->member = veto_member(c, d, vd);
            emit_const(c, fn, val_enum(def->member < 0 ? 0 : def->member), vd->member_loc);
        } else if (!choice_value(c, fn, vd->value, &types[k])) {
            types[k] = part(c, fn, vd->value);
        }
        emit(fn, OP_RETURN, vd->loc);   /* pops what it gives: the code after starts where the veto did */
        patch_jump(c, fn, skip, vd->loc);
        if (!c->failed)
            def->cond = value_part(c, part, part_name(d->name, "veto", k), vd->cond, T_BOOL,
                                   "the condition of 'veto'");
    }
}

/* An outcome's vetoes give what its formula gives: money stays money. */
void check_veto_types(Compiler *c, Decl *d, Type t, int enum_id, const Type *types)
{
    for (int k = 0; k < d->vetoes.n && t != T_UNKNOWN; k++) {
        VetoDecl *vd = d->vetoes.items[k];
        if (types[k] == T_UNKNOWN) continue;
        if (types[k] != t || (t == T_ENUM && vd->value->enum_id != enum_id))
            fail(c, vd->value->loc, "a veto gives what the outcome gives, e.g. veto if 弄虚作假 -> 0 for money",
                 "the veto gives %s, but outcome '%s' is %s", type_name(c, types[k], vd->value->enum_id), d->name,
                 type_name(c, t, enum_id));
    }
}

/* The quota of band b, if written: its share and keys, each its own chunk. */
void compile_quota(Compiler *c, Decl *d, int b, ValueDef *g, CompilePart part)
{
    QuotaDecl *q = b < d->quotas.n ? d->quotas.items[b] : NULL;
    if (!q) return;
    Expr *th = d->exprs.items[b];
    if (!th) return;            /* otherwise takes no quota: the grammar gives none */
    QuotaDef *def = GC_NEW(QuotaDef);
    def->loc = q->loc;
    def->unit_order = q->unit_order;
    def->mode = ROUND_DOWN;
    if (q->mode && !round_mode_parse(q->mode, &def->mode)) {
        const char *modes[] = { "half_up", "half_even", "down", "up", "floor", "ceiling" };
        const char *s = sym_suggest(q->mode, modes, 6);
        char hint[160];
        snprintf(hint, sizeof hint, "%s%s%smodes: half_up, half_even, down, up, floor, ceiling", s ? "did you mean '" : "",
                 s ? s : "", s ? "'? " : "");
        fail(c, q->mode_loc, hint, "unknown rounding mode '%s'", q->mode);
    }
    def->share = value_part(c, part, part_name(d->name, "quota share", b), q->share, T_NUM, "a quota's share");
    def->nkeys = q->keys.n;
    def->keys = GC_MALLOC(sizeof(Chunk *) * (size_t)q->keys.n);
    def->key_names = GC_MALLOC(sizeof(char *) * (size_t)q->keys.n);
    for (int k = 0; k < q->keys.n; k++) {
        Expr *e = q->keys.items[k];
        def->keys[k] = value_part(c, part, part_name(d->name, "quota key", k), e, T_NUM,
                                  k ? "what ties are decided by" : "what a quota ranks by");
        def->key_names[k] = e->loc.file ? GC_STRNDUP(e->loc.file->text + e->loc.start, e->loc.end - e->loc.start) : "";
    }
    g->bands[b].quota = def;
    g->has_quota = true;
}

/* A grade with a quota: its chunk reads the grade the VM's pass over all
** units gave the unit; the bands and vetoes (raw) are what that pass runs. */
void quota_chunk(Compiler *c, int i, ValueDef *g, Loc loc)
{
    (void)c;
    if (!g->has_quota) return;
    g->raw = g->chunk;
    Fn fn;
    char *name = GC_MALLOC_ATOMIC(strlen(g->name) + 16);
    sprintf(name, "grade %s quota", g->name);
    fn_init(&fn, name, CTX_U);
    emit_a(&fn, OP_QUOTA_GRADE, i, loc);
    emit(&fn, OP_RETURN, loc);
    fn_finish(&fn);
    g->chunk = fn.chunk;
}
