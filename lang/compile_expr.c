/*
** compile_expr.c — checks every expression and compiles it to bytecode, in
** one walk: a name is resolved, its type checked against where it is used,
** and its instruction emitted with the span it came from. Calls to defs
** (the stdlib's ratio, completion, ...) are expanded inline, so the VM has
** no call frames. Lets, params and results are compiled on first use
** (which also finds cycles), here too, since a name's first use is in an
** expression. Items and their steps are compile.c. Nothing here evaluates
** rules.
*/
#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* ---- names --------------------------------------------------------------- */

static const char *ctx_where(Ctx ctx)
{
    switch (ctx) {
    case CTX_PARAM: return "in a param";
    case CTX_UP: return "in an item or let";
    default: return "in a result, grade or outcome";
    }
}

/* A choice of some `one of` that is name or close to it (*member); the
** name of its type (the first fact declared with it), or NULL. A choice is
** no name of its own: `职务 = 副主任` should have been `职务 is 副主任`. */
static const char *near_choice(Compiler *c, const char *name, const char **member)
{
    const Program *p = c->p;
    for (int i = 0; i < p->nenums; i++)
        for (int j = 0; j < p->enums[i].n; j++)
            if (strcmp(p->enums[i].members[j], name) == 0) { *member = name; return p->enums[i].name; }
    for (int i = 0; i < p->nenums; i++) {
        const char *s = sym_suggest(name, p->enums[i].members, (size_t)p->enums[i].n);
        if (s) { *member = s; return p->enums[i].name; }
    }
    return NULL;
}

static void unknown_name(Compiler *c, Fn *fn, Expr *e)
{
    size_t n;
    const char **names = sym_names(&c->names, &n);
    /* locals are candidates too */
    size_t nl = 0;
    for (Scope *s = fn->scope; s; s = s->next) nl++;
    const char **all = GC_MALLOC(sizeof(char *) * (n + nl + 1));
    memcpy(all, names, sizeof(char *) * n);
    for (Scope *s = fn->scope; s; s = s->next) all[n++] = s->name;
    const char *s = sym_suggest(e->name, all, n);
    char hint[512];
    const char *choice_of = NULL;
    if (!s) choice_of = near_choice(c, e->name, &s);
    if (choice_of)
        snprintf(hint, sizeof hint, "%s%s%sa choice is tested with 'is', e.g. %s is %s",
                 strcmp(s, e->name) ? "did you mean '" : "", strcmp(s, e->name) ? s : "",
                 strcmp(s, e->name) ? "'? " : "", choice_of, s);
    else if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
    else snprintf(hint, sizeof hint, "declare it with fact, param or let");
    fail(c, e->name_loc, hint, "unknown name '%s'", e->name);
}

static Type name_fact(Compiler *c, Fn *fn, Expr *e, int i)
{
    const FactDef *f = &c->p->facts[i];
    e->enum_id = f->enum_id;
    if (f->vector) {
        fail(c, e->loc, "write the element, e.g. 评价数[m]", "'%s' is a list of columns; pick one with [ ]", f->name);
        return T_UNKNOWN;
    }
    if (fn->ctx != CTX_UP) {
        char hint[200];
        snprintf(hint, sizeof hint, "say which period, e.g. %s.%s", c->p->periods[c->p->nperiods - 1], f->name);
        fail(c, e->loc, fn->ctx == CTX_U ? hint : "a param cannot read facts",
             "fact '%s' differs by period; it cannot be read %s without one", f->name, ctx_where(fn->ctx));
        return T_UNKNOWN;
    }
    OpCode op = f->type == FT_BOOL ? OP_FACT_BOOL : (f->type == FT_ENUM || f->type == FT_TEXT) ? OP_FACT : OP_FACT_NUM;
    emit_a(fn, op, f->col, e->loc);
    return type_of_fact(f);
}

static Type name_param(Compiler *c, Fn *fn, Expr *e, int i)
{
    compile_ensure_param(c, i);
    ParamDef *pd = &c->p->params[i];
    if (pd->by_period) {
        fn->reads_period = true;
        if (fn->ctx == CTX_U) {
            char hint[256];
            snprintf(hint, sizeof hint, "say which period, e.g. %s.%s", c->p->periods[c->p->nperiods - 1], pd->name);
            fail(c, e->loc, hint, "param '%s' differs by period", pd->name);
            return T_UNKNOWN;
        }
    }
    emit_a(fn, OP_PARAM, i, e->loc);
    return pd->type;
}

static Type name_value(Compiler *c, Fn *fn, Expr *e, Sym *s)
{
    if (fn->ctx != CTX_U) {
        fail(c, e->loc, "results, grades and outcomes combine the periods; items cannot read them",
             "'%s' can only be used in a result, grade or outcome", e->name);
        return T_UNKNOWN;
    }
    compile_ensure_value(c, s->kind, s->index);
    ValueDef *v = s->kind == SYM_RESULT ? &c->p->results[s->index]
                : s->kind == SYM_GRADE ? &c->p->grades[s->index] : &c->p->outcomes[s->index];
    OpCode op = s->kind == SYM_RESULT ? OP_RESULT : s->kind == SYM_GRADE ? OP_GRADE : OP_OUTCOME;
    emit_a(fn, op, s->index, e->loc);
    e->enum_id = v->enum_id;
    return v->type;
}

static Type cname(Compiler *c, Fn *fn, Expr *e)
{
    for (Scope *s = fn->scope; s; s = s->next) {
        if (strcmp(s->name, e->name) == 0) {
            if (s->replay_len) {
                emit(fn, (OpCode)s->replay[0], s->replay_loc);
                for (int k = 1; k + 1 < s->replay_len; k += 2)
                    chunk_emit_u16(fn->chunk, (uint16_t)(s->replay[k] | (s->replay[k + 1] << 8)));
            } else {
                emit_a(fn, OP_LOCAL, s->slot, e->loc);
            }
            e->enum_id = s->enum_id;
            return s->type;
        }
    }
    Sym *s = sym_find(&c->names, e->name);
    if (!s) {
        Type t = T_UNKNOWN;
        RoundMode m;
        if (round_mode_parse(e->name, &m)) {
            fail(c, e->loc, "a rounding mode is the third argument of round(x, 2, half_up)",
                 "'%s' is a rounding mode, not a value", e->name);
            return t;
        }
        unknown_name(c, fn, e);
        return t;
    }
    switch (s->kind) {
    case SYM_FACT: return name_fact(c, fn, e, s->index);
    case SYM_PARAM: return name_param(c, fn, e, s->index);
    case SYM_LET:
        if (fn->ctx != CTX_UP) {
            fail(c, e->loc, fn->ctx == CTX_U ? "say which period, e.g. 年度.X" : NULL,
                 "let '%s' is computed per period; it cannot be read %s without one", e->name, ctx_where(fn->ctx));
            return T_UNKNOWN;
        }
        compile_ensure_let(c, s->index);
        emit_a(fn, OP_LET, s->index, e->loc);
        e->enum_id = -1;
        return c->p->lets[s->index].type;
    case SYM_PERIOD:
        if (fn->ctx != CTX_U) {
            fail(c, e->loc, "a period's score is known only after all its items; use it in a result",
                 "the score of period '%s' cannot be read %s", e->name, ctx_where(fn->ctx));
            return T_UNKNOWN;
        }
        emit_a(fn, OP_PERIOD_SCORE, s->index, e->loc);
        return T_NUM;
    case SYM_RESULT: case SYM_GRADE: case SYM_OUTCOME:
        return name_value(c, fn, e, s);
    case SYM_TABLE:
        fail(c, e->loc, "name a column, e.g. 民生任务.新增城镇就业", "'%s' is a table; it needs a column", e->name);
        return T_UNKNOWN;
    case SYM_DEF:
        fail(c, e->loc, "call it with arguments: name(a, b)", "'%s' is a def", e->name);
        return T_UNKNOWN;
    default:
        unknown_name(c, fn, e);
        return T_UNKNOWN;
    }
}

static Type member_table(Compiler *c, Fn *fn, Expr *e, int t)
{
    Table *tab = c->p->tables[t];
    int col = table_col_index(tab, e->name);
    if (col < 0) {
        const char *s = diag_suggest(e->name, tab->cols, (size_t)tab->ncols);
        char hint[256];
        if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
        else snprintf(hint, sizeof hint, "the columns are in %s", tab->spec->path);
        fail(c, e->name_loc, hint, "table '%s' has no column '%s'", tab->spec->name, e->name);
        return T_UNKNOWN;
    }
    if (fn->ctx == CTX_PARAM) {
        fail(c, e->loc, NULL, "a param cannot read a table (tables differ by unit)");
        return T_UNKNOWN;
    }
    emit_ab(fn, OP_TABLE, t, col, e->loc);
    return T_NUM;
}

static Type member_period(Compiler *c, Fn *fn, Expr *e, int period)
{
    Sym *s = sym_find(&c->names, e->name);
    if (fn->ctx == CTX_PARAM && !(s && s->kind == SYM_PARAM)) {
        fail(c, e->loc, NULL, "a param can read other params, but not facts or lets");
        return T_UNKNOWN;
    }
    if (s && s->kind == SYM_FACT && !c->p->facts[s->index].vector) {
        const FactDef *f = &c->p->facts[s->index];
        emit_ab(fn, OP_FACT_AT, f->col, period, e->loc);
        e->enum_id = f->enum_id;
        return type_of_fact(f);
    }
    if (s && s->kind == SYM_LET) {
        compile_ensure_let(c, s->index);
        emit_ab(fn, OP_LET_AT, s->index, period, e->loc);
        return c->p->lets[s->index].type;
    }
    if (s && s->kind == SYM_PARAM) {
        compile_ensure_param(c, s->index);
        emit_ab(fn, OP_PARAM_AT, s->index, period, e->loc);
        return c->p->params[s->index].type;
    }
    const char *hint = NULL;
    if (!s) {
        size_t nf, nl, np;
        const char **f = sym_names_of(&c->names, SYM_FACT, &nf);
        const char **l = sym_names_of(&c->names, SYM_LET, &nl);
        const char **pa = sym_names_of(&c->names, SYM_PARAM, &np);
        const char **all = GC_MALLOC(sizeof(char *) * (nf + nl + np + 1));
        memcpy(all, f, sizeof(char *) * nf);
        memcpy(all + nf, l, sizeof(char *) * nl);
        memcpy(all + nf + nl, pa, sizeof(char *) * np);
        const char *near = sym_suggest(e->name, all, nf + nl + np);
        if (near) {
            char *h = GC_MALLOC_ATOMIC(strlen(near) + 24);
            sprintf(h, "did you mean '%s'?", near);
            hint = h;
        }
    }
    fail(c, e->name_loc, hint, "'%s' is not a fact, let or param of period '%s'", e->name,
         c->p->periods[period]);
    return T_UNKNOWN;
}

static Type member_unit(Compiler *c, Fn *fn, Expr *e)
{
    const Units *u = c->p->units;
    int a = units_attr_index(u, e->name);
    if (a < 0) {
        const char *s = diag_suggest(e->name, u->attr_names, (size_t)u->nattrs);
        char hint[256];
        if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
        else snprintf(hint, sizeof hint, "the unit list %s has no such column", u->path);
        fail(c, e->name_loc, hint, "units have no attribute '%s'", e->name);
        return T_UNKNOWN;
    }
    if (fn->ctx == CTX_PARAM) {
        fail(c, e->loc, NULL, "a param cannot read unit attributes");
        return T_UNKNOWN;
    }
    emit_a(fn, OP_UNIT_ATTR, a, e->loc);
    return T_TEXT;
}

static Type cmember(Compiler *c, Fn *fn, Expr *e)
{
    Expr *base = e->a;
    if (base->kind != E_NAME) {
        fail(c, e->loc, NULL, "'.' follows a table, a period or 'unit'");
        return T_UNKNOWN;
    }
    if (strcmp(base->name, "unit") == 0 && !sym_find(&c->names, "unit"))
        return member_unit(c, fn, e);
    if ((strcmp(base->name, "本单位") == 0 || strcmp(base->name, "其他") == 0) && !sym_find(&c->names, base->name))
        return compile_where_member(c, fn, e, cexpr);
    Sym *s = sym_find(&c->names, base->name);
    if (s && s->kind == SYM_TABLE) return member_table(c, fn, e, s->index);
    if (s && s->kind == SYM_PERIOD) return member_period(c, fn, e, s->index);
    if (!s) { unknown_name(c, fn, base); return T_UNKNOWN; }
    fail(c, e->loc, NULL, "'%s' is %s; '.' follows a table, a period or 'unit'", base->name,
         sym_kind_name(s->kind));
    return T_UNKNOWN;
}

static Type cindex(Compiler *c, Fn *fn, Expr *e)
{
    Sym *s = e->a->kind == E_NAME ? sym_find(&c->names, e->a->name) : NULL;
    if (!s || s->kind != SYM_FACT || !c->p->facts[s->index].vector) {
        fail(c, e->loc, NULL, "only a fact declared with an index range, like 评价数[1..12], takes [ ]");
        return T_UNKNOWN;
    }
    if (fn->ctx != CTX_UP) {
        fail(c, e->loc, NULL, "fact elements can be read only in items and lets");
        return T_UNKNOWN;
    }
    Type t = cexpr(c, fn, e->b);
    want(c, e->b, t, e->b->enum_id, T_NUM, "an index");
    emit_a(fn, OP_FACT_ELEM, s->index, e->loc);
    e->enum_id = c->p->facts[s->index].enum_id;
    return type_of_fact(&c->p->facts[s->index]);
}

/* ---- operators ----------------------------------------------------------- */

static Type cbinary(Compiler *c, Fn *fn, Expr *e)
{
    if (e->op == OP_B_AND || e->op == OP_B_OR) {
        Type ta = cexpr(c, fn, e->a);
        want(c, e->a, ta, e->a->enum_id, T_BOOL, e->op == OP_B_AND ? "each side of 'and'" : "each side of 'or'");
        uint32_t j = emit_jump(fn, e->op == OP_B_AND ? OP_AND_JUMP : OP_OR_JUMP, e->loc);
        Type tb = cexpr(c, fn, e->b);
        want(c, e->b, tb, e->b->enum_id, T_BOOL, e->op == OP_B_AND ? "each side of 'and'" : "each side of 'or'");
        patch_jump(c, fn, j, e->loc);
        return T_BOOL;
    }
    Type ta = cexpr(c, fn, e->a);
    Type tb = cexpr(c, fn, e->b);
    static const OpCode ops[] = {
        [OP_B_ADD] = OP_ADD, [OP_B_SUB] = OP_SUB, [OP_B_MUL] = OP_MUL, [OP_B_DIV] = OP_DIV,
        [OP_B_EQ] = OP_EQ, [OP_B_NE] = OP_NE, [OP_B_LT] = OP_LT, [OP_B_LE] = OP_LE,
        [OP_B_GT] = OP_GT, [OP_B_GE] = OP_GE,
    };
    static const char *const words[] = {
        [OP_B_ADD] = "'+'", [OP_B_SUB] = "'-'", [OP_B_MUL] = "'*'", [OP_B_DIV] = "'/'",
        [OP_B_EQ] = "'='", [OP_B_NE] = "'!='", [OP_B_LT] = "'<'", [OP_B_LE] = "'<='",
        [OP_B_GT] = "'>'", [OP_B_GE] = "'>='",
    };
    emit(fn, ops[e->op], e->loc);
    if (e->op == OP_B_EQ || e->op == OP_B_NE) {
        if (ta == T_UNKNOWN || tb == T_UNKNOWN) return T_BOOL;
        if (ta != tb || (ta == T_ENUM && e->a->enum_id != e->b->enum_id) || ta == T_LIST) {
            fail(c, e->loc, ta == T_ENUM ? "compare a choice with 'is', e.g. 职务 is 主任" : NULL,
                 "cannot compare %s with %s", type_name(c, ta, e->a->enum_id), type_name(c, tb, e->b->enum_id));
        }
        return T_BOOL;
    }
    char role[64];
    snprintf(role, sizeof role, "each side of %s", words[e->op]);
    want(c, e->a, ta, e->a->enum_id, T_NUM, role);
    want(c, e->b, tb, e->b->enum_id, T_NUM, role);
    return e->op <= OP_B_DIV ? T_NUM : T_BOOL;
}

static Type cis(Compiler *c, Fn *fn, Expr *e)
{
    Type t = cexpr(c, fn, e->a);
    if (t == T_UNKNOWN) return T_BOOL;
    if (t == T_ENUM) {
        const EnumType *en = &c->p->enums[e->a->enum_id];
        for (int i = 0; i < en->n; i++) {
            if (strcmp(en->members[i], e->name) == 0) {
                emit_const(c, fn, val_enum(i), e->name_loc);
                emit(fn, OP_EQ, e->loc);
                return T_BOOL;
            }
        }
        const char *s = sym_suggest(e->name, en->members, (size_t)en->n);
        char hint[256];
        if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
        else snprintf(hint, sizeof hint, "the choices are declared with 'one of'");
        fail(c, e->name_loc, hint, "'%s' is not one of the choices of %s", e->name, en->name);
        return T_BOOL;
    }
    if (t == T_TEXT) {
        emit_const(c, fn, val_text(e->name), e->name_loc);
        emit(fn, OP_EQ, e->loc);
        return T_BOOL;
    }
    fail(c, e->loc, "'is' compares a choice (one of …) or a unit attribute with a name", "%s cannot be compared with 'is'",
         type_name(c, t, e->a->enum_id));
    return T_BOOL;
}

static Type cif(Compiler *c, Fn *fn, Expr *e)
{
    Type tc = cexpr(c, fn, e->a);
    want(c, e->a, tc, e->a->enum_id, T_BOOL, "the condition of 'if'");
    uint32_t jf = emit_jump(fn, OP_JUMP_IF_FALSE, e->loc);
    Type tb = cexpr(c, fn, e->b);
    uint32_t jend = emit_jump(fn, OP_JUMP, e->loc);
    patch_jump(c, fn, jf, e->loc);
    fn->depth--;                 /* the else branch starts where the then branch did */
    Type te = cexpr(c, fn, e->c);
    patch_jump(c, fn, jend, e->loc);
    if (tb != T_UNKNOWN && te != T_UNKNOWN && (tb != te || (tb == T_ENUM && e->b->enum_id != e->c->enum_id)))
        fail(c, e->loc, NULL, "'then' gives %s but 'else' gives %s", type_name(c, tb, e->b->enum_id),
             type_name(c, te, e->c->enum_id));
    e->enum_id = e->b->enum_id;
    return tb != T_UNKNOWN ? tb : te;
}

/* by X { key: value, ... } — every member of X's choices exactly once. */
static Type cby(Compiler *c, Fn *fn, Expr *e)
{
    int enum_id;
    if (strcmp(e->name, "period") == 0) {
        if (fn->ctx == CTX_U) {
            fail(c, e->loc, NULL, "'by period' needs one period; results combine them");
            return T_UNKNOWN;
        }
        fn->reads_period = true;
        enum_id = c->p->period_enum;
        emit(fn, OP_PERIOD_ID, e->loc);
    } else {
        Expr key = { .kind = E_NAME, .loc = e->name_loc, .name = e->name, .name_loc = e->name_loc, .enum_id = -1 };
        Type t = cexpr(c, fn, &key);
        if (t == T_UNKNOWN) return T_UNKNOWN;
        if (t != T_ENUM) {
            fail(c, e->name_loc, "'by' takes period, a grade, or a fact declared 'one of'",
                 "'%s' is %s, not a set of choices", e->name, type_name(c, t, key.enum_id));
            return T_UNKNOWN;
        }
        enum_id = key.enum_id;
    }
    const EnumType *en = &c->p->enums[enum_id];
    int slot = new_local(c, fn, e->loc);
    emit_a(fn, OP_SET_LOCAL, slot, e->loc);
    int *seen = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(en->n + 1));
    memset(seen, 0, sizeof(int) * (size_t)(en->n + 1));
    PtrVec ends = { 0 };
    Type result = T_UNKNOWN;
    int result_enum = -1;
    for (int i = 0; i < e->keys.n; i++) {
        const char *k = e->keys.items[i];
        Loc kl = *(Loc *)e->key_locs.items[i];
        int m = -1;
        for (int j = 0; j < en->n; j++) if (strcmp(en->members[j], k) == 0) m = j;
        if (m < 0) {
            const char *s = sym_suggest(k, en->members, (size_t)en->n);
            char hint[256];
            if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
            else {
                /* no close one: list them, as far as a hint line goes */
                size_t len = (size_t)snprintf(hint, sizeof hint, "the choices of %s are", en->name);
                for (int j = 0; j < en->n && len + strlen(en->members[j]) + 8 < sizeof hint; j++)
                    len += (size_t)snprintf(hint + len, sizeof hint - len, "%s %s", j ? "," : "",
                                            en->members[j]);
            }
            fail(c, kl, hint, "'%s' is not one of the choices of %s", k, en->name);
            continue;
        }
        if (seen[m]++) { fail(c, kl, NULL, "'%s' is given twice", k); continue; }
        emit_a(fn, OP_LOCAL, slot, kl);
        emit_const(c, fn, val_enum(m), kl);
        emit(fn, OP_EQ, kl);
        uint32_t jf = emit_jump(fn, OP_JUMP_IF_FALSE, kl);
        Expr *v = e->args.items[i];
        Type t = cexpr(c, fn, v);
        fn->depth--;             /* each case pushes the one result */
        if (result == T_UNKNOWN) { result = t; result_enum = v->enum_id; }
        else if (t != T_UNKNOWN && t != result)
            fail(c, v->loc, NULL, "every case of 'by' must give %s", type_name(c, result, result_enum));
        uint32_t *end = GC_NEW(uint32_t);
        *end = emit_jump(fn, OP_JUMP, kl);
        vec_push(&ends, end);
        patch_jump(c, fn, jf, kl);
    }
    for (int j = 0; j < en->n; j++) {
        if (!seen[j]) {
            fail(c, e->loc, "every choice needs a value", "'by %s' does not say what '%s' gives", e->name, en->members[j]);
            break;
        }
    }
    /* unreachable when exhaustive; keeps the stack balanced for the checker */
    emit_const(c, fn, val_num(num_int(0)), e->loc);
    for (int i = 0; i < ends.n; i++) patch_jump(c, fn, *(uint32_t *)ends.items[i], e->loc);
    e->enum_id = result_enum;
    return result;
}

/* sum(expr for m in a..b): a counted loop over whole numbers. */
static Type cgen_sum(Compiler *c, Fn *fn, Expr *g)
{
    int m = new_local(c, fn, g->loc), hi = new_local(c, fn, g->loc), acc = new_local(c, fn, g->loc);
    Type ta = cexpr(c, fn, g->b);
    want(c, g->b, ta, g->b->enum_id, T_NUM, "the start of a range");
    emit_a(fn, OP_SET_LOCAL, m, g->loc);
    Type tb = cexpr(c, fn, g->c);
    want(c, g->c, tb, g->c->enum_id, T_NUM, "the end of a range");
    emit_a(fn, OP_SET_LOCAL, hi, g->loc);
    emit_const(c, fn, val_num(num_int(0)), g->loc);
    emit_a(fn, OP_SET_LOCAL, acc, g->loc);
    uint32_t top = fn->chunk->len;
    emit_a(fn, OP_LOCAL, m, g->loc);
    emit_a(fn, OP_LOCAL, hi, g->loc);
    emit(fn, OP_LE, g->loc);
    uint32_t exit = emit_jump(fn, OP_JUMP_IF_FALSE, g->loc);
    emit_a(fn, OP_LOCAL, acc, g->loc);
    Scope *saved = fn->scope;
    fn->scope = scope_push(fn->scope, g->name, m, T_NUM, -1);
    Type te = cexpr(c, fn, g->a);
    fn->scope = saved;
    want(c, g->a, te, g->a->enum_id, T_NUM, "what is summed");
    emit(fn, OP_ADD, g->loc);
    emit_a(fn, OP_SET_LOCAL, acc, g->loc);
    emit_a(fn, OP_LOCAL, m, g->loc);
    emit_const(c, fn, val_num(num_int(1)), g->loc);
    emit(fn, OP_ADD, g->loc);
    emit_a(fn, OP_SET_LOCAL, m, g->loc);
    emit_loop(c, fn, top, g->loc);
    patch_jump(c, fn, exit, g->loc);
    emit_a(fn, OP_LOCAL, acc, g->loc);
    return T_NUM;
}

static bool nargs_ok(Compiler *c, Expr *e, int lo, int hi, const char *usage)
{
    if (e->args.n >= lo && e->args.n <= hi) return true;
    if (e->args.n < lo && lo < hi && !usage)
        usage = gc_printf("e.g. %s(a, b)", e->name);
    if (e->args.n > hi && lo < hi)     /* "at least 2, not 401" would be no answer */
        fail(c, e->loc, usage ? usage : gc_printf("split the list: %s(%s(a, b, …), %s(c, d, …))", e->name, e->name, e->name),
             "%s takes at most %d arguments, not %d", e->name, hi, e->args.n);
    else
        fail(c, e->loc, usage, "%s takes %s%d argument%s, not %d", e->name, lo == hi ? "" : "at least ", lo,
             lo == 1 ? "" : "s", e->args.n);
    return false;
}

static Type cround(Compiler *c, Fn *fn, Expr *e)
{
    if (!nargs_ok(c, e, 3, 3, "round(x, 2, half_up)")) return T_NUM;
    Expr *x = e->args.items[0], *places = e->args.items[1], *mode = e->args.items[2];
    Type t = cexpr(c, fn, x);
    want(c, x, t, x->enum_id, T_NUM, "what round() rounds");
    int64_t n = 0;
    bool negative = places->kind == E_NEG && places->a->kind == E_NUM;
    Expr *digits = negative ? places->a : places;
    bool whole = digits->kind == E_NUM && num_to_int64(digits->num, &n);
    if (negative) n = -n;
    if (!(whole && n >= -18 && n <= 18))
        fail(c, places->loc, "write the number of decimal places, e.g. 2", "round() needs a whole number of places from -18 to 18");
    RoundMode m = ROUND_HALF_UP;
    if (mode->kind != E_NAME || !round_mode_parse(mode->name, &m)) {
        const char *modes[] = { "half_up", "half_even", "down", "up", "floor", "ceiling" };
        const char *s = mode->kind == E_NAME ? diag_suggest(mode->name, modes, 6) : NULL;
        char hint[160];
        snprintf(hint, sizeof hint, "%s%s%smodes: half_up, half_even, down, up, floor, ceiling",
                 s ? "did you mean '" : "", s ? s : "", s ? "'? " : "");
        fail(c, mode->loc, hint, "round() needs a rounding mode");
    }
    emit_ab(fn, OP_ROUND, (int)(n + 32768), (int)m, e->loc);
    return T_NUM;
}

static Type clist_fn(Compiler *c, Fn *fn, Expr *e, OpCode op)
{
    if (!nargs_ok(c, e, 1, 1, NULL)) return T_NUM;
    Expr *a = e->args.items[0];
    if (a->kind == E_GEN) {
        if (op != OP_SUM_LIST) {
            fail(c, a->loc, NULL, "only sum() takes 'for … in'");
            return T_NUM;
        }
        return cgen_sum(c, fn, a);
    }
    Type t = cexpr(c, fn, a);
    if (t != T_UNKNOWN && t != T_LIST)
        fail(c, a->loc, "e.g. sum(item 8 of units where …) or sum(x[m] for m in 1..12)",
             "%s() takes a list, but this is %s", e->name, type_name(c, t, a->enum_id));
    emit(fn, op, e->loc);
    return T_NUM;
}

/* min/max of two or more numbers, folded pairwise; of one list, its
** smallest or largest element (max(综合得分 of units)). */
static Type cminmax(Compiler *c, Fn *fn, Expr *e, OpCode op)
{
    if (e->args.n == 1 && ((Expr *)e->args.items[0])->kind == E_COHORT) {
        Expr *a = e->args.items[0];
        Type t = cexpr(c, fn, a);
        if (t == T_LIST) emit(fn, op == OP_MAX ? OP_MAX_LIST : OP_MIN_LIST, e->loc);
        return T_NUM;
    }
    if (e->args.n < 2) {
        fail(c, e->loc, gc_printf("e.g. %s(a, b), or %s(综合得分 of units) for the %s of a list", e->name, e->name,
                                  op == OP_MAX ? "largest" : "smallest"),
             "%s takes at least 2 arguments, not %d", e->name, e->args.n);
        return T_NUM;
    }
    if (!nargs_ok(c, e, 2, 64, NULL)) return T_NUM;
    for (int i = 0; i < e->args.n; i++) {
        Expr *a = e->args.items[i];
        Type t = cexpr(c, fn, a);
        want(c, a, t, a->enum_id, T_NUM, "each argument of min/max");
        if (i > 0) emit(fn, op, e->loc);
    }
    return T_NUM;
}

/* Is the code from start to the end of the chunk one instruction that only
** reads a value (so evaluating it twice is the same as once)? */
/* percentile(完成率 of units, 80%): the value at that share of a list,
** from the lowest (nearest rank). */
static Type cpercentile(Compiler *c, Fn *fn, Expr *e)
{
    if (!nargs_ok(c, e, 2, 2, "percentile(完成率 of units, 80%)")) return T_NUM;
    Expr *l = e->args.items[0], *share = e->args.items[1];
    Type t = cexpr(c, fn, l);
    if (t != T_UNKNOWN && t != T_LIST)
        fail(c, l->loc, "e.g. percentile(完成率 of units, 80%)", "percentile() takes a list first, but this is %s",
             type_name(c, t, l->enum_id));
    Type ts = cexpr(c, fn, share);
    want(c, share, ts, share->enum_id, T_NUM, "a percentile's share");
    emit(fn, OP_PERCENTILE, e->loc);
    return T_NUM;
}

static bool is_single_load(const Chunk *ch, uint32_t start)
{
    if (start >= ch->len) return false;
    OpCode op = (OpCode)ch->code[start];
    uint32_t len = ch->len - start;
    switch (op) {
    case OP_CONST: case OP_LOCAL: case OP_PARAM: case OP_FACT: case OP_FACT_NUM: case OP_FACT_BOOL:
        return len == 3;
    case OP_TABLE: case OP_FACT_AT: case OP_PARAM_AT:
        return len == 5;
    default:
        return false;
    }
}

static Decl *find_def(Compiler *c, const char *name)
{
    Sym *s = sym_find(&c->names, name);
    return s && s->kind == SYM_DEF ? c->defs.items[s->index] : NULL;
}

/* A def call is expanded in place: arguments go to fresh local slots, and the
** body is compiled with only those in scope (defs see no caller locals). */
static Type cdef_call(Compiler *c, Fn *fn, Expr *e, Decl *d)
{
    if (e->args.n != d->names.n) {
        /* the hint shows how the def is declared: ratio(part, whole) */
        size_t len = strlen(d->name) + 3;
        for (int i = 0; i < d->names.n; i++) len += strlen(d->names.items[i]) + 2;
        char *usage = GC_MALLOC_ATOMIC(len);
        strcpy(usage, d->name);
        strcat(usage, "(");
        for (int i = 0; i < d->names.n; i++) {
            if (i) strcat(usage, ", ");
            strcat(usage, d->names.items[i]);
        }
        strcat(usage, ")");
        fail(c, e->loc, usage, "%s takes %d argument%s, not %d", d->name, d->names.n,
             d->names.n == 1 ? "" : "s", e->args.n);
        return T_UNKNOWN;
    }
    if (fn->inline_depth >= MAX_INLINE_DEPTH) {
        fail(c, e->loc, "a def may not call itself, directly or through others",
             "def '%s' expands without end", d->name);
        return T_UNKNOWN;
    }
    Scope *inner = NULL;
    for (int i = 0; i < e->args.n; i++) {
        Expr *a = e->args.items[i];
        Chunk *ch = fn->chunk;
        uint32_t start = ch->len;
        int nlines = ch->nlines, depth = fn->depth;
        Type t = cexpr(c, fn, a);
        if (is_single_load(ch, start)) {
            /* take the load back out; each use of the parameter re-emits it */
            Scope *s = scope_push(inner, d->names.items[i], -1, t, a->enum_id);
            s->replay_len = (int)(ch->len - start);
            memcpy(s->replay, ch->code + start, (size_t)s->replay_len);
            s->replay_loc = chunk_loc_at(ch, start);
            ch->len = start;
            ch->nlines = nlines;
            fn->depth = depth;
            inner = s;
            continue;
        }
        int slot = new_local(c, fn, a->loc);
        emit_a(fn, OP_SET_LOCAL, slot, a->loc);
        inner = scope_push(inner, d->names.items[i], slot, t, a->enum_id);
    }
    Scope *saved = fn->scope;
    bool had_loc = fn->has_inline_loc;
    Loc saved_loc = fn->inline_loc;
    fn->scope = inner;
    if (!had_loc) { fn->has_inline_loc = true; fn->inline_loc = e->loc; }
    fn->inline_depth++;
    Type t = cexpr(c, fn, d->value);
    fn->inline_depth--;
    fn->scope = saved;
    fn->has_inline_loc = had_loc;
    fn->inline_loc = saved_loc;
    e->enum_id = d->value->enum_id;
    return t;
}

static Type ccall(Compiler *c, Fn *fn, Expr *e)
{
    Decl *d = find_def(c, e->name);
    if (d) return cdef_call(c, fn, e, d);
    if (strcmp(e->name, "round") == 0) return cround(c, fn, e);
    if (strcmp(e->name, "sum") == 0) return clist_fn(c, fn, e, OP_SUM_LIST);
    if (strcmp(e->name, "count") == 0) return clist_fn(c, fn, e, OP_COUNT_LIST);
    if (strcmp(e->name, "min") == 0) return cminmax(c, fn, e, OP_MIN);
    if (strcmp(e->name, "percentile") == 0) return cpercentile(c, fn, e);
    if (strcmp(e->name, "max") == 0) return cminmax(c, fn, e, OP_MAX);
    if (strcmp(e->name, "abs") == 0) {
        if (!nargs_ok(c, e, 1, 1, NULL)) return T_NUM;
        Expr *a = e->args.items[0];
        Type t = cexpr(c, fn, a);
        want(c, a, t, a->enum_id, T_NUM, "the argument of abs");
        emit(fn, OP_ABS, e->loc);
        return T_NUM;
    }
    const char *builtins[] = { "round", "sum", "count", "min", "max", "abs", "percentile" };
    size_t nb = sizeof builtins / sizeof builtins[0], n;
    const char **names = sym_names(&c->names, &n);
    const char **all = GC_MALLOC(sizeof(char *) * (n + nb));
    memcpy(all, builtins, sizeof builtins);
    memcpy(all + nb, names, sizeof(char *) * n);
    const char *s = diag_suggest(e->name, all, n + nb);
    char hint[160];
    if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
    else snprintf(hint, sizeof hint, "functions: round, sum, count, min, max, abs, percentile, and defs");
    fail(c, e->name_loc, hint, "unknown function '%s'", e->name);
    return T_UNKNOWN;
}

Type cexpr(Compiler *c, Fn *fn, Expr *e)
{
    Type t = T_UNKNOWN;
    if (fn->chunk->len > MAX_CHUNK_CODE) {
        /* said once; the rest of the rule is not compiled (nor expanded) */
        if (!fn->too_long)
            fail(c, fn->has_inline_loc ? fn->inline_loc : e->loc,
                 "split it into lets, or make a def that uses its argument twice use it once",
                 "this rule compiles to more than %d bytes of code", MAX_CHUNK_CODE);
        fn->too_long = true;
        return T_UNKNOWN;
    }
    if (e->kind != E_NAME && e->kind != E_CALL && e->kind != E_MEMBER && e->kind != E_INDEX)
        e->enum_id = -1;
    switch (e->kind) {
    case E_NUM: emit_const(c, fn, val_num(e->num), e->loc); t = T_NUM; break;
    case E_BOOL: emit(fn, e->boolean ? OP_TRUE : OP_FALSE, e->loc); t = T_BOOL; break;
    case E_NAME: t = cname(c, fn, e); break;
    case E_MEMBER: t = cmember(c, fn, e); break;
    case E_INDEX: t = cindex(c, fn, e); break;
    case E_CALL: t = ccall(c, fn, e); break;
    case E_GEN:
        fail(c, e->loc, "e.g. sum(评价数[m] for m in 1..12)", "'for … in' works only inside sum()");
        break;
    case E_NEG:
        t = cexpr(c, fn, e->a);
        want(c, e->a, t, e->a->enum_id, T_NUM, "what '-' negates");
        emit(fn, OP_NEG, e->loc);
        t = T_NUM;
        break;
    case E_NOT:
        t = cexpr(c, fn, e->a);
        want(c, e->a, t, e->a->enum_id, T_BOOL, "what 'not' negates");
        emit(fn, OP_NOT, e->loc);
        t = T_BOOL;
        break;
    case E_BINARY: t = cbinary(c, fn, e); break;
    case E_IS: t = cis(c, fn, e); break;
    case E_IF: t = cif(c, fn, e); break;
    case E_BY: t = cby(c, fn, e); break;
    case E_TIERS: t = compile_tiers(c, fn, e, cexpr); break;
    case E_COHORT: t = compile_cohort(c, fn, e, cexpr); break;
    case E_RANK: t = compile_rank(c, fn, e, cexpr); break;
    }
    if (e->want_type != T_UNKNOWN && t != T_UNKNOWN && t != e->want_type) {
        fail(c, e->loc, e->want_type == T_NUM ? "write a number, such as 4, 0.6 or 85%"
                        : e->want_type == T_BOOL ? "write true or false" : NULL,
             "'%s' is %s in the rubric, but this is %s", e->want_of, type_name(c, e->want_type, e->enum_id),
             type_name(c, t, e->enum_id));
        t = e->want_type;   /* one message here, none where the value is used */
    }
    e->type = t;
    return t;
}

/* ---- lets, params, results ---------------------------------------------- */

static bool enter(Compiler *c, DeclState *st, Decl *d, const char *what)
{
    if (*st == DS_DONE) return false;
    if (*st == DS_BUSY) {
        fail(c, d->name_loc, "a value cannot be defined in terms of itself",
             "%s '%s' depends on itself", what, d->name);
        return false;
    }
    *st = DS_BUSY;
    return true;
}

void compile_ensure_param(Compiler *c, int i)
{
    Decl *d = c->param_decls.items[i];
    if (!enter(c, &c->param_state[i], d, "param")) return;
    ParamDef *pd = &c->p->params[i];
    Fn fn;
    char *name = GC_MALLOC_ATOMIC(strlen(d->name) + 8);
    sprintf(name, "param %s", d->name);
    fn_init(&fn, name, CTX_PARAM);
    pd->type = cexpr(c, &fn, d->value);
    if (pd->type == T_LIST || pd->type == T_TEXT)
        fail(c, d->value->loc, NULL, "a param must be a number, yes/no or a choice");
    emit(&fn, OP_RETURN, d->value->loc);
    fn_finish(&fn);
    pd->chunk = fn.chunk;
    pd->by_period = fn.reads_period;
    c->param_state[i] = DS_DONE;
    /* finished after the params it reads (compiled first, on their first
    ** use): the order the VM evaluates params in */
    c->p->param_order[c->nparams_done++] = i;
}

void compile_ensure_let(Compiler *c, int i)
{
    Decl *d = c->let_decls.items[i];
    if (!enter(c, &c->let_state[i], d, "let")) return;
    Fn fn;
    char *name = GC_MALLOC_ATOMIC(strlen(d->name) + 8);
    sprintf(name, "let %s", d->name);
    fn_init(&fn, name, CTX_UP);
    LetDef *ld = &c->p->lets[i];
    ld->type = cexpr(c, &fn, d->value);
    if (ld->type == T_LIST) fail(c, d->value->loc, "wrap it: mean(...), sum(...), count(...)", "a let cannot hold a list");
    emit(&fn, OP_RETURN, d->value->loc);
    fn_finish(&fn);
    ld->chunk = fn.chunk;
    c->let_state[i] = DS_DONE;
}

/* A band's threshold is a number; a comparison there means the next band
** lost its name (优秀 >= 90, then >= 80 on the next line). */
static void want_threshold(Compiler *c, Expr *e, Type t)
{
    bool compared = e->kind == E_BINARY && (e->op == OP_B_GE || e->op == OP_B_GT || e->op == OP_B_LE ||
                                            e->op == OP_B_LT || e->op == OP_B_EQ || e->op == OP_B_NE);
    if (t == T_BOOL && compared)
        fail(c, e->loc, "each band is a name and its threshold: 良好 >= 80",
             "a band threshold is a comparison here: is a band's name missing?");
    else
        want(c, e, t, e->enum_id, T_NUM, "a band threshold");
}

/* A chunk that computes one expression of a grade on its own (the key, a
** threshold), so reports can say how far a unit is from the next band. */
static Chunk *grade_part(Compiler *c, const char *grade, const char *what, Expr *e)
{
    Fn fn;
    char *name = GC_MALLOC_ATOMIC(strlen(grade) + strlen(what) + 16);
    sprintf(name, "grade %s %s", grade, what);
    fn_init(&fn, name, CTX_U);
    Type t = cexpr(c, &fn, e);
    want_threshold(c, e, t);
    emit(&fn, OP_RETURN, e->loc);
    fn_finish(&fn);
    return fn.chunk;
}

static void compile_grade(Compiler *c, int i)
{
    Decl *d = c->grade_decls.items[i];
    ValueDef *g = &c->p->grades[i];
    Fn fn;
    char *name = GC_MALLOC_ATOMIC(strlen(d->name) + 8);
    sprintf(name, "grade %s", d->name);
    fn_init(&fn, name, CTX_U);
    compile_vetoes(c, &fn, d, g, cexpr, NULL);
    Expr key = { .kind = E_NAME, .loc = d->key_loc, .name = d->key, .name_loc = d->key_loc, .enum_id = -1 };
    Type t = cexpr(c, &fn, &key);
    want(c, &key, t, key.enum_id, T_NUM, "what a grade is decided on");
    int slot = new_local(c, &fn, d->key_loc);
    emit_a(&fn, OP_SET_LOCAL, slot, d->key_loc);
    g->bands = GC_MALLOC(sizeof(GradeBand) * (size_t)(d->names.n + 1));
    g->nbands = d->names.n;
    bool has_otherwise = false;
    for (int b = 0; b < d->names.n; b++) {
        Loc bl = *(Loc *)d->name_locs.items[b];
        Expr *th = d->exprs.items[b];
        bool strict = (BinOp)(intptr_t)d->ops.items[b] == OP_B_GT;
        g->bands[b] = (GradeBand){ .member = b, .strict = strict, .loc = bl };
        if (has_otherwise)
            fail(c, bl, "'otherwise' catches everything, so it must come last", "this band can never be reached");
        if (!th) {
            has_otherwise = true;
            emit_const(c, &fn, val_enum(b), bl);
            emit(&fn, OP_RETURN, bl);
            fn.depth++;         /* code after a return starts from the same depth */
            continue;
        }
        BinOp op = (BinOp)(intptr_t)d->ops.items[b];
        Expr *lo = op == OP_B_LE ? th->a : th;
        emit_a(&fn, OP_LOCAL, slot, bl);
        Type tt = cexpr(c, &fn, lo);
        want_threshold(c, lo, tt);
        emit(&fn, strict ? OP_GT : OP_GE, bl);
        uint32_t jf = emit_jump(&fn, OP_JUMP_IF_FALSE, bl);
        uint32_t jhi = 0;
        if (op == OP_B_LE) {        /* a range band 良好 80..89: also at most 89 */
            emit_a(&fn, OP_LOCAL, slot, bl);
            Type th_t = cexpr(c, &fn, th->b);
            want(c, th->b, th_t, th->b->enum_id, T_NUM, "a band's upper end");
            emit(&fn, OP_LE, bl);
            jhi = emit_jump(&fn, OP_JUMP_IF_FALSE, bl);
        }
        emit_const(c, &fn, val_enum(b), bl);
        emit(&fn, OP_RETURN, bl);
        fn.depth++;
        patch_jump(c, &fn, jf, bl);
        if (op == OP_B_LE) patch_jump(c, &fn, jhi, bl);
        /* a range band's threshold is its lower end: what a unit must reach */
        if (tt == T_NUM && !c->failed) g->bands[b].threshold = grade_part(c, d->name, "threshold", lo);
        compile_quota(c, d, b, g, cexpr);
    }
    if (!has_otherwise) emit_a(&fn, OP_NO_BAND, i, d->name_loc);
    fn_finish(&fn);
    g->chunk = fn.chunk;
    quota_chunk(c, i, g, d->name_loc);
    if (t == T_NUM && !c->failed) g->key = grade_part(c, d->name, "key", &key);
}

void compile_ensure_value(Compiler *c, SymKind kind, int i)
{
    DeclState *st = kind == SYM_RESULT ? &c->result_state[i] : kind == SYM_GRADE ? &c->grade_state[i]
                  : &c->outcome_state[i];
    Decl *d = kind == SYM_RESULT ? c->result_decls.items[i] : kind == SYM_GRADE ? c->grade_decls.items[i]
            : c->outcome_decls.items[i];
    if (!enter(c, st, d, kind == SYM_RESULT ? "result" : kind == SYM_GRADE ? "grade" : "outcome")) return;
    if (kind == SYM_GRADE) {
        compile_grade(c, i);
        *st = DS_DONE;
        return;
    }
    ValueDef *v = kind == SYM_RESULT ? &c->p->results[i] : &c->p->outcomes[i];
    Fn fn;
    char *name = GC_MALLOC_ATOMIC(strlen(d->name) + 10);
    sprintf(name, "%s %s", kind == SYM_RESULT ? "result" : "outcome", d->name);
    fn_init(&fn, name, CTX_U);
    Type *veto_types = GC_MALLOC_ATOMIC(sizeof(Type) * (size_t)(d->vetoes.n + 1));
    compile_vetoes(c, &fn, d, v, cexpr, veto_types);
    v->type = cexpr(c, &fn, d->value);
    v->enum_id = d->value->enum_id;
    check_veto_types(c, d, v->type, v->enum_id, veto_types);
    if (v->type == T_LIST) fail(c, d->value->loc, NULL, "a result cannot be a list");
    emit(&fn, OP_RETURN, d->value->loc);
    fn_finish(&fn);
    v->chunk = fn.chunk;
    *st = DS_DONE;
}
