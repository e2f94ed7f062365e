/*
** absint.c — abstract evaluation of formulas for `kaohe check` (see
** absint.h). Names resolve as in compile.c: a local name (item let, def
** parameter, loop variable) first, then the rubric's names. Facts take every
** value their type allows (a count is at least 0, a percent is between 0 and
** 1), table columns the range of their rows, params their value in the
** period. Nothing here prints.
*/
#include <gc.h>
#include <string.h>

#include "absint.h"

/* Defs expanded inside defs, lets reading lets: deeper is a cycle that
** compile.c reports; here it is simply "anything". */
#define MAX_DEPTH 64

/* ---- extended numbers: a Num or ±∞ ------------------------------------------ */

typedef struct XN { int inf; Num v; } XN;       /* inf: -1, 0 or +1 */

static XN xn(Num v) { return (XN){ 0, v }; }
static XN xinf(int s) { return (XN){ s, num_int(0) }; }

static int xcmp(XN a, XN b)
{
    if (a.inf || b.inf) return (a.inf > b.inf) - (a.inf < b.inf);
    return num_cmp(a.v, b.v);
}

static int xsign(XN a) { return a.inf ? a.inf : num_sign(a.v); }

static XN xmul(XN a, XN b)
{
    int sa = xsign(a), sb = xsign(b);
    if (sa == 0 || sb == 0) return xn(num_int(0));
    if (a.inf || b.inf) return xinf(sa * sb);
    return xn(num_mul(a.v, b.v));
}

static XN xadd(XN a, XN b, int if_both_inf)
{
    if (a.inf && b.inf && a.inf != b.inf) return xinf(if_both_inf);
    if (a.inf) return a;
    if (b.inf) return b;
    return xn(num_add(a.v, b.v));
}

static XN lo_of(AV v) { return v.lo_inf ? xinf(-1) : xn(v.lo); }
static XN hi_of(AV v) { return v.hi_inf ? xinf(1) : xn(v.hi); }

/* Every AV starts here: its bounds are valid numbers even when unused (a
** zeroed Num has den 0, which is the big form). */
static AV av_base(Type t)
{
    AV v;
    memset(&v, 0, sizeof v);
    v.t = t;
    v.lo = v.hi = num_int(0);
    v.enum_id = -1;
    return v;
}

static AV av_x(XN lo, XN hi)
{
    AV v = av_base(T_NUM);
    v.lo_inf = lo.inf != 0;
    v.hi_inf = hi.inf != 0;
    v.lo = lo.inf ? num_int(0) : lo.v;
    v.hi = hi.inf ? num_int(0) : hi.v;
    return v;
}

/* ---- abstract values ---------------------------------------------------------- */

AV av_unknown(void)
{
    AV v = av_base(T_UNKNOWN);
    v.lo_inf = v.hi_inf = true;
    v.can_t = v.can_f = true;
    v.members = ~(uint64_t)0;
    return v;
}

static AV av_poison(void)
{
    AV v = av_unknown();
    v.poisoned = true;
    return v;
}

AV av_num(Num lo, Num hi) { return av_x(xn(lo), xn(hi)); }

static AV av_any_num(void) { return av_x(xinf(-1), xinf(1)); }

static AV av_poisoned_num(void)
{
    AV v = av_any_num();
    v.poisoned = true;
    return v;
}

static AV av_bool(bool can_t, bool can_f)
{
    AV v = av_base(T_BOOL);
    v.can_t = can_t;
    v.can_f = can_f;
    return v;
}

static AV taint(AV v, AV a, AV b)
{
    v.poisoned = a.poisoned || b.poisoned;
    return v;
}

AV av_hull(AV a, AV b)
{
    if (a.t != b.t) return taint(av_unknown(), a, b);
    AV v = a;
    switch (a.t) {
    case T_NUM: case T_LIST: {
        XN lo = xcmp(lo_of(a), lo_of(b)) <= 0 ? lo_of(a) : lo_of(b);
        XN hi = xcmp(hi_of(a), hi_of(b)) >= 0 ? hi_of(a) : hi_of(b);
        v = av_x(lo, hi);
        v.t = a.t;
        v.max_len = a.max_len > b.max_len ? a.max_len : b.max_len;
        v.origin = a.origin == b.origin ? a.origin : NULL;
        v.agg = a.agg == b.agg && a.origin == b.origin ? a.agg : 0;
        break;
    }
    case T_BOOL: v.can_t = a.can_t || b.can_t; v.can_f = a.can_f || b.can_f; break;
    case T_ENUM: v.members = a.members | b.members; break;
    case T_TEXT: if (!a.text || !b.text || strcmp(a.text, b.text) != 0) v.text = NULL; break;
    default: break;
    }
    return taint(v, a, b);
}

bool av_point(AV v, Num *out)
{
    if (v.t != T_NUM || v.lo_inf || v.hi_inf || !num_eq(v.lo, v.hi)) return false;
    *out = v.lo;
    return true;
}

/* Arithmetic reads numbers (a list's elements count as numbers); anything
** else is a type error compile.c has reported, and poisons what it touches,
** so the item says nothing more. */
static bool numeric(AV a, AV b)
{
    return (a.t == T_NUM || a.t == T_LIST) && (b.t == T_NUM || b.t == T_LIST);
}

AV av_add(AV a, AV b)
{
    if (!numeric(a, b)) return av_poisoned_num();
    return taint(av_x(xadd(lo_of(a), lo_of(b), -1), xadd(hi_of(a), hi_of(b), 1)), a, b);
}

static AV av_neg(AV a)
{
    if (!numeric(a, a)) return av_poisoned_num();
    XN lo = hi_of(a), hi = lo_of(a);
    lo = lo.inf ? xinf(-lo.inf) : xn(num_neg(lo.v));
    hi = hi.inf ? xinf(-hi.inf) : xn(num_neg(hi.v));
    AV v = av_x(lo, hi);
    v.poisoned = a.poisoned;
    return v;
}

AV av_sub(AV a, AV b) { return av_add(a, av_neg(b)); }

AV av_mul(AV a, AV b)
{
    if (!numeric(a, b)) return av_poisoned_num();
    XN p[4] = { xmul(lo_of(a), lo_of(b)), xmul(lo_of(a), hi_of(b)), xmul(hi_of(a), lo_of(b)),
                xmul(hi_of(a), hi_of(b)) };
    XN lo = p[0], hi = p[0];
    for (int i = 1; i < 4; i++) {
        if (xcmp(p[i], lo) < 0) lo = p[i];
        if (xcmp(p[i], hi) > 0) hi = p[i];
    }
    return taint(av_x(lo, hi), a, b);
}

/* 1/x over a range that does not cross 0 (a divisor of 0 is a runtime
** error, so its values are left out). */
static AV av_div(AV a, AV b)
{
    if (!numeric(a, b)) return av_poisoned_num();
    XN bl = lo_of(b), bh = hi_of(b);
    XN rl, rh;
    if (xsign(bl) >= 0) {                      /* b >= 0 */
        rl = bh.inf ? xn(num_int(0)) : xsign(bh) == 0 ? xinf(1) : xn(num_int(0));
        rh = xsign(bl) == 0 ? xinf(1) : xn(num_int(0));
        if (!bh.inf && xsign(bh) > 0) num_div(num_int(1), bh.v, &rl.v);
        if (xsign(bl) > 0) num_div(num_int(1), bl.v, &rh.v);
    } else if (xsign(bh) <= 0) {               /* b <= 0 */
        rl = xsign(bh) == 0 ? xinf(-1) : xn(num_int(0));
        rh = xn(num_int(0));
        if (xsign(bh) < 0) num_div(num_int(1), bh.v, &rl.v);
        if (!bl.inf) num_div(num_int(1), bl.v, &rh.v);
    } else {
        return av_poisoned_num();
    }
    return av_mul(a, taint(av_x(rl, rh), a, b));
}

static AV av_min(AV a, AV b, bool want_max)
{
    if (!numeric(a, b)) return av_poisoned_num();
    XN lo, hi;
    if (!want_max) {
        lo = xcmp(lo_of(a), lo_of(b)) <= 0 ? lo_of(a) : lo_of(b);
        hi = xcmp(hi_of(a), hi_of(b)) <= 0 ? hi_of(a) : hi_of(b);
    } else {
        lo = xcmp(lo_of(a), lo_of(b)) >= 0 ? lo_of(a) : lo_of(b);
        hi = xcmp(hi_of(a), hi_of(b)) >= 0 ? hi_of(a) : hi_of(b);
    }
    return taint(av_x(lo, hi), a, b);
}

static AV av_cmp(AV a, AV b, BinOp op)
{
    if (a.t != T_NUM || b.t != T_NUM) return av_poison();
    XN al = lo_of(a), ah = hi_of(a), bl = lo_of(b), bh = hi_of(b);
    bool t, f;
    switch (op) {
    case OP_B_LT: t = xcmp(al, bh) < 0; f = xcmp(ah, bl) >= 0; break;
    case OP_B_LE: t = xcmp(al, bh) <= 0; f = xcmp(ah, bl) > 0; break;
    case OP_B_GT: t = xcmp(ah, bl) > 0; f = xcmp(al, bh) <= 0; break;
    case OP_B_GE: t = xcmp(ah, bl) >= 0; f = xcmp(al, bh) < 0; break;
    case OP_B_EQ: case OP_B_NE: {
        bool overlap = xcmp(al, bh) <= 0 && xcmp(bl, ah) <= 0;
        Num x, y;
        bool same_point = av_point(a, &x) && av_point(b, &y) && num_eq(x, y);
        t = op == OP_B_EQ ? overlap : !same_point;
        f = op == OP_B_EQ ? !same_point : overlap;
        break;
    }
    default: t = f = true; break;
    }
    return taint(av_bool(t, f), a, b);
}

const char *av_describe(AV v)
{
    char *s = GC_MALLOC_ATOMIC(160);
    Num x;
    if (v.t != T_NUM) snprintf(s, 160, "any value");
    else if (av_point(v, &x)) snprintf(s, 160, "always %s", num_to_string(x));
    else if (v.lo_inf && v.hi_inf) snprintf(s, 160, "any number");
    else if (v.hi_inf) snprintf(s, 160, "at least %s", num_to_string(v.lo));
    else if (v.lo_inf) snprintf(s, 160, "at most %s", num_to_string(v.hi));
    else snprintf(s, 160, "between %s and %s", num_to_string(v.lo), num_to_string(v.hi));
    return s;
}

AV ai_item_range(const ItemDef *it)
{
    return it->has_points ? av_num(num_int(0), it->points) : av_x(xn(num_int(0)), xinf(1));
}

AV ai_period_score(Absint *a)
{
    const Program *p = a->p;
    AV sum = av_num(num_int(0), num_int(0));
    for (int s = 0; s < p->nsections; s++) {
        const SectionDef *sec = &p->sections[s];
        for (int i = sec->first_item; i < sec->first_item + sec->nitems; i++) {
            AV r = ai_item_range(&p->items[i]);
            sum = sec->kind == SEC_PENALTY ? av_sub(sum, r) : av_add(sum, r);
        }
    }
    return sum;
}

/* ---- variables ------------------------------------------------------------------ */

static Var *var_get(Absint *a, VarKind kind, int index, int period)
{
    for (int i = 0; i < a->nvars; i++)
        if (a->vars[i].kind == kind && a->vars[i].index == index && a->vars[i].period == period)
            return &a->vars[i];
    if (!a->collecting) return NULL;
    if (a->nvars == a->cvars) {
        a->cvars = a->cvars ? a->cvars * 2 : 16;
        Var *grown = GC_MALLOC(sizeof(Var) * (size_t)a->cvars);
        if (a->nvars) memcpy(grown, a->vars, sizeof(Var) * (size_t)a->nvars);
        a->vars = grown;
    }
    Var *v = &a->vars[a->nvars++];
    *v = (Var){ kind, index, period, 2, NULL, -1 };
    const Program *p = a->p;
    if (kind == VAR_ENUM) {
        v->nvalues = p->enums[p->facts[index].enum_id].n;
    } else if (kind == VAR_ATTR) {
        const Units *u = p->units;
        v->texts = GC_MALLOC(sizeof(char *) * ((size_t)u->n + 1));
        v->nvalues = 0;
        for (int k = 0; k < u->n; k++) {
            const char *t = u->attr_values[(size_t)k * (size_t)u->nattrs + (size_t)index];
            bool seen = false;
            for (int j = 0; j < v->nvalues && !seen; j++) seen = strcmp(v->texts[j], t) == 0;
            if (!seen) v->texts[v->nvalues++] = t;
        }
    }
    return v;
}

static AV fact_av(Absint *a, int fi, int period)
{
    const FactDef *f = &a->p->facts[fi];
    switch (f->type) {
    case FT_BOOL: {
        const Var *v = var_get(a, VAR_BOOL, fi, period);
        return v && v->value >= 0 ? av_bool(v->value == 1, v->value == 0) : av_bool(true, true);
    }
    case FT_ENUM: {
        const Var *v = var_get(a, VAR_ENUM, fi, period);
        AV r = av_unknown();
        r.t = T_ENUM;
        r.enum_id = f->enum_id;
        int n = a->p->enums[f->enum_id].n;
        r.members = v && v->value >= 0 ? (uint64_t)1 << v->value : (n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1);
        return r;
    }
    case FT_COUNT: return av_x(xn(num_int(0)), xinf(1));
    case FT_PERCENT:   /* a `rate` may pass 100% */
        if (a->p->schema.cols[f->col].over_100) return av_x(xn(num_int(0)), xinf(1));
        return av_num(num_int(0), num_int(1));
    case FT_DECIMAL: return av_any_num();
    case FT_TEXT: default: {
        AV r = av_unknown();
        r.t = T_TEXT;
        r.text = NULL;
        r.enum_id = -1;                 /* not a unit attribute */
        return r;
    }
    }
}

static AV table_av(const Table *t, int col)
{
    if (!t || t->nunits == 0) return av_any_num();
    Num lo = table_num(t, 0, col), hi = lo;
    for (int u = 1; u < t->nunits; u++) {
        Num x = table_num(t, u, col);
        if (num_cmp(x, lo) < 0) lo = x;
        if (num_cmp(x, hi) > 0) hi = x;
    }
    return av_num(lo, hi);
}

static AV attr_av(Absint *a, int attr)
{
    AV r = av_unknown();
    r.t = T_TEXT;
    r.enum_id = attr;                   /* the attribute, for `is` */
    const Var *v = var_get(a, VAR_ATTR, attr, -1);
    r.text = v && v->value >= 0 ? v->texts[v->value] : NULL;
    return r;
}

/* ---- names --------------------------------------------------------------------- */

static AV eval_decl(Absint *a, Decl *d, int period)
{
    if (a->depth >= MAX_DEPTH) return av_unknown();
    a->depth++;
    AEnv env = { period, NULL };
    AV v = ai_eval(a, &env, d->value);
    a->depth--;
    return v;
}

static AV param_av(Absint *a, int i, int period)
{
    const Program *p = a->p;
    if (period < 0) {                   /* a result reads a param the same in every period */
        AV v = param_av(a, i, 0);
        for (int k = 1; k < p->nperiods; k++) v = av_hull(v, param_av(a, i, k));
        return v;
    }
    uint8_t *st = &a->param_state[(size_t)i * (size_t)p->nperiods + (size_t)period];
    if (*st == 1) return av_unknown();  /* a cycle, which compile.c reports */
    if (*st == 0) {
        *st = 1;
        a->params[i][period] = eval_decl(a, a->c->param_decls.items[i], period);
        *st = 2;
    }
    return a->params[i][period];
}

static AV let_av(Absint *a, int i, int period)
{
    if (a->let_busy[i]) return av_unknown();
    a->let_busy[i] = 1;
    AV v = eval_decl(a, a->c->let_decls.items[i], period);
    a->let_busy[i] = 0;
    return v;
}

static AV value_av(Absint *a, Sym *s)
{
    const Program *p = a->p;
    if (s->kind == SYM_GRADE) {
        AV r = av_unknown();
        r.t = T_ENUM;
        r.enum_id = p->grades[s->index].enum_id;
        int n = p->enums[r.enum_id].n;
        r.members = n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
        return r;
    }
    Decl *d = s->kind == SYM_RESULT ? a->c->result_decls.items[s->index] : a->c->outcome_decls.items[s->index];
    return eval_decl(a, d, -1);
}

static AV name_av(Absint *a, AEnv *env, Expr *e)
{
    for (Local *l = env->scope; l; l = l->next)
        if (strcmp(l->name, e->name) == 0) { l->used = true; return l->v; }
    Sym *s = sym_find(&a->c->names, e->name);
    if (!s) return av_poison();
    switch (s->kind) {
    case SYM_FACT:
        if (a->p->facts[s->index].vector) return av_poison();
        return fact_av(a, s->index, env->period);
    case SYM_PARAM: return param_av(a, s->index, env->period);
    case SYM_LET: return let_av(a, s->index, env->period);
    case SYM_PERIOD: return ai_period_score(a);
    case SYM_RESULT: case SYM_GRADE: case SYM_OUTCOME: return value_av(a, s);
    default: return av_poison();
    }
}

static AV member_av(Absint *a, Expr *e)
{
    if (e->a->kind != E_NAME) return av_poison();
    const char *base = e->a->name;
    Sym *s = sym_find(&a->c->names, base);
    if (!s && strcmp(base, "unit") == 0) {
        int k = units_attr_index(a->p->units, e->name);
        return k < 0 ? av_poison() : attr_av(a, k);
    }
    if (s && s->kind == SYM_TABLE) {
        const Table *t = a->p->tables[s->index];
        int col = t ? table_col_index(t, e->name) : -1;
        return col < 0 ? av_poison() : table_av(t, col);
    }
    if (s && s->kind == SYM_PERIOD) {
        Sym *m = sym_find(&a->c->names, e->name);
        if (!m) return av_poison();
        if (m->kind == SYM_FACT && !a->p->facts[m->index].vector) return fact_av(a, m->index, s->index);
        if (m->kind == SYM_PARAM) return param_av(a, m->index, s->index);
        if (m->kind == SYM_LET) return let_av(a, m->index, s->index);
    }
    return av_poison();
}

/* ---- operators and calls --------------------------------------------------------- */

static AV logic(AV x, AV y, bool is_and)
{
    if (x.t != T_BOOL || y.t != T_BOOL) return av_poison();
    AV v = is_and ? av_bool(x.can_t && y.can_t, x.can_f || y.can_f)
                  : av_bool(x.can_t || y.can_t, x.can_f && y.can_f);
    return taint(v, x, y);
}

static AV binary_av(Absint *a, AEnv *env, Expr *e)
{
    AV x = ai_eval(a, env, e->a), y = ai_eval(a, env, e->b);
    switch (e->op) {
    case OP_B_ADD: return av_add(x, y);
    case OP_B_SUB: return av_sub(x, y);
    case OP_B_MUL: return av_mul(x, y);
    case OP_B_DIV:
        /* sum(l) / count(l): the mean lies within the elements */
        if (x.agg == 1 && y.agg == 2 && x.origin && x.origin == y.origin) {
            const AV *el = x.origin;
            return taint(av_x(lo_of(*el), hi_of(*el)), x, y);
        }
        return av_div(x, y);
    case OP_B_AND: return logic(x, y, true);
    case OP_B_OR: return logic(x, y, false);
    default:
        if (x.t == T_NUM && y.t == T_NUM) return av_cmp(x, y, e->op);
        return taint(av_bool(true, true), x, y);
    }
}

static AV is_av(Absint *a, AEnv *env, Expr *e)
{
    AV x = ai_eval(a, env, e->a);
    AV r = av_bool(true, true);
    if (x.t == T_ENUM) {
        const EnumType *en = &a->p->enums[x.enum_id];
        for (int m = 0; m < en->n; m++)
            if (strcmp(en->members[m], e->name) == 0) {
                uint64_t bit = (uint64_t)1 << m;
                r = av_bool((x.members & bit) != 0, (x.members & ~bit) != 0);
            }
    } else if (x.t == T_TEXT && x.text) {
        bool eq = strcmp(x.text, e->name) == 0;
        r = av_bool(eq, !eq);
    } else if (x.t == T_TEXT && x.enum_id >= 0) {
        const Var *v = var_get(a, VAR_ATTR, x.enum_id, -1);
        if (v) {
            bool t = false, f = false;
            for (int k = 0; k < v->nvalues; k++) {
                if (strcmp(v->texts[k], e->name) == 0) t = true;
                else f = true;
            }
            r = av_bool(t, f);
        }
    }
    r.poisoned = x.poisoned;
    return r;
}

static AV by_av(Absint *a, AEnv *env, Expr *e)
{
    uint64_t possible;
    const EnumType *en;
    AV key = av_base(T_UNKNOWN);
    if (strcmp(e->name, "period") == 0) {
        en = &a->p->enums[a->p->period_enum];
        possible = env->period >= 0 ? (uint64_t)1 << env->period : ~(uint64_t)0;
    } else {
        Expr k = { .kind = E_NAME, .loc = e->name_loc, .name = e->name, .name_loc = e->name_loc };
        key = ai_eval(a, env, &k);
        if (key.t != T_ENUM) return av_poison();
        en = &a->p->enums[key.enum_id];
        possible = key.members;
    }
    AV v = av_unknown();
    bool any = false;
    for (int i = 0; i < e->keys.n; i++) {
        int m = -1;
        for (int j = 0; j < en->n; j++)
            if (strcmp(en->members[j], e->keys.items[i]) == 0) m = j;
        if (m < 0 || !(possible & ((uint64_t)1 << m))) continue;
        AV c = ai_eval(a, env, e->args.items[i]);
        v = any ? av_hull(v, c) : c;
        any = true;
    }
    if (key.poisoned) v.poisoned = true;
    return any ? v : av_poison();
}

/* Any tier's value may be the one taken: their hull (the value and the
** bounds are evaluated too, so their facts count as read). */
static AV tiers_av(Absint *a, AEnv *env, Expr *e)
{
    AV key = ai_eval(a, env, e->a);
    AV v = av_unknown();
    for (int i = 0; i < e->args.n; i++) {
        if (e->bounds.items[i]) ai_eval(a, env, e->bounds.items[i]);
        AV c = ai_eval(a, env, e->args.items[i]);
        v = i ? av_hull(v, c) : c;
    }
    if (e->args.n == 0) return av_poison();
    if (key.poisoned) v.poisoned = true;
    return v;
}

static AV gen_sum(Absint *a, AEnv *env, Expr *g)
{
    AV from = ai_eval(a, env, g->b), to = ai_eval(a, env, g->c);
    Local m = { g->name, av_x(lo_of(from), hi_of(to)), false, g->name_loc, env->scope };
    AEnv inner = { env->period, &m };
    AV x = ai_eval(a, &inner, g->a);
    /* between kmin and kmax terms, each within x */
    XN kmax = xadd(hi_of(to), lo_of(from).inf ? xinf(1) : xn(num_neg(lo_of(from).v)), 1);
    kmax = xadd(kmax, xn(num_int(1)), 1);
    if (xsign(kmax) < 0) kmax = xn(num_int(0));
    AV k = av_x(xn(num_int(0)), kmax);
    AV s = av_mul(k, x);
    s = av_hull(s, av_num(num_int(0), num_int(0)));
    s.poisoned = x.poisoned || from.poisoned || to.poisoned;
    return s;
}

static AV call_av(Absint *a, AEnv *env, Expr *e)
{
    Sym *s = sym_find(&a->c->names, e->name);
    if (s && s->kind == SYM_DEF) {
        Decl *d = a->c->defs.items[s->index];
        if (d->names.n != e->args.n || a->depth >= MAX_DEPTH) return av_poison();
        Local *scope = NULL;
        for (int i = 0; i < e->args.n; i++) {
            Local *l = GC_NEW(Local);
            *l = (Local){ d->names.items[i], ai_eval(a, env, e->args.items[i]), false,
                          *(Loc *)d->name_locs.items[i], scope };
            scope = l;
        }
        AEnv inner = { env->period, scope };
        a->depth++;
        AV v = ai_eval(a, &inner, d->value);
        a->depth--;
        return v;
    }
    int n = e->args.n;
    AV *args = GC_MALLOC(sizeof(AV) * ((size_t)n + 1));
    if (strcmp(e->name, "sum") == 0 && n == 1 && ((Expr *)e->args.items[0])->kind == E_GEN)
        return gen_sum(a, env, e->args.items[0]);
    bool is_round = strcmp(e->name, "round") == 0;
    for (int i = 0; i < n; i++)
        args[i] = is_round && i == 2 ? av_unknown() : ai_eval(a, env, e->args.items[i]);
    if (is_round && n == 3) {
        Expr *pl = e->args.items[1], *md = e->args.items[2];
        int64_t places;
        RoundMode m;
        if (pl->kind == E_NUM && num_to_int64(pl->num, &places) && places >= 0 && places <= 18 &&
            md->kind == E_NAME && round_mode_parse(md->name, &m) && args[0].t == T_NUM) {
            AV v = args[0];
            if (!v.lo_inf) v.lo = num_round(v.lo, (int)places, m);
            if (!v.hi_inf) v.hi = num_round(v.hi, (int)places, m);
            return v;
        }
        return av_poison();
    }
    if (strcmp(e->name, "percentile") == 0 && n == 2 && args[0].t == T_LIST)
        return args[0].origin ? *(const AV *)args[0].origin : av_any_num();   /* an element of the list */
    if ((strcmp(e->name, "min") == 0 || strcmp(e->name, "max") == 0) && n == 1 && args[0].t == T_LIST)
        return args[0].origin ? *(const AV *)args[0].origin : av_any_num();   /* an element of the list */
    if ((strcmp(e->name, "min") == 0 || strcmp(e->name, "max") == 0) && n >= 2) {
        AV v = args[0];
        for (int i = 1; i < n; i++) v = av_min(v, args[i], e->name[1] == 'a');
        return v;
    }
    if (strcmp(e->name, "abs") == 0 && n == 1) {
        AV x = args[0];
        if (x.t != T_NUM) return av_poison();
        if (xsign(lo_of(x)) >= 0) return x;
        if (xsign(hi_of(x)) <= 0) return av_neg(x);
        AV m = av_neg(x);
        XN hi = xcmp(hi_of(x), hi_of(m)) >= 0 ? hi_of(x) : hi_of(m);
        return taint(av_x(xn(num_int(0)), hi), x, x);
    }
    if ((strcmp(e->name, "sum") == 0 || strcmp(e->name, "count") == 0) && n == 1 && args[0].t == T_LIST) {
        AV l = args[0];
        AV k = av_num(num_int(0), num_int(l.max_len));
        AV v = strcmp(e->name, "count") == 0 ? k : av_hull(av_mul(k, l), av_num(num_int(0), num_int(0)));
        v.origin = l.origin;            /* the list, shared through def parameters */
        v.agg = strcmp(e->name, "sum") == 0 ? 1 : 2;
        v.poisoned = l.poisoned;
        return v;
    }
    return av_poison();
}

static AV cohort_av(Absint *a, AEnv *env, Expr *e)
{
    const Program *p = a->p;
    if (e->a) ai_eval(a, env, e->a);            /* its facts are variables too */
    if (!e->name) {                             /* `完成率 of units`: the value's range */
        AV v = ai_eval(a, env, e->b);
        if (v.t != T_NUM) return av_poison();
        AV *self = GC_NEW(AV);
        *self = v;
        v.t = T_LIST;
        v.max_len = p->units->n;
        v.origin = self;
        return v;
    }
    for (int i = 0; i < p->nitems; i++) {
        if (strcmp(p->items[i].id, e->name) != 0) continue;
        AV v = ai_item_range(&p->items[i]);
        v.t = T_LIST;
        v.max_len = p->units->n;
        AV *self = GC_NEW(AV);
        *self = v;
        self->t = T_NUM;
        v.origin = self;                        /* the elements' range, for the mean */
        return v;
    }
    return av_poison();
}

/* x op k known to hold: x's range cut by k's (x > k: x is above k's lowest
** value). Closed ends over-approximate an open one. false when it cannot
** hold (then the range is left alone). */
static bool cut_range(AV *x, BinOp op, AV k)
{
    AV v = *x;
    if (op == OP_B_GT || op == OP_B_GE || op == OP_B_EQ)
        if (!k.lo_inf && (v.lo_inf || num_cmp(k.lo, v.lo) > 0)) { v.lo_inf = false; v.lo = k.lo; }
    if (op == OP_B_LT || op == OP_B_LE || op == OP_B_EQ)
        if (!k.hi_inf && (v.hi_inf || num_cmp(k.hi, v.hi) < 0)) { v.hi_inf = false; v.hi = k.hi; }
    if (!v.lo_inf && !v.hi_inf && num_cmp(v.lo, v.hi) > 0) return false;
    *x = v;
    return true;
}

static BinOp negated(BinOp op)
{
    switch (op) {
    case OP_B_LT: return OP_B_GE;
    case OP_B_LE: return OP_B_GT;
    case OP_B_GT: return OP_B_LE;
    case OP_B_GE: return OP_B_LT;
    default: return op;
    }
}

static BinOp mirrored(BinOp op)
{
    switch (op) {
    case OP_B_LT: return OP_B_GT;
    case OP_B_LE: return OP_B_GE;
    case OP_B_GT: return OP_B_LT;
    case OP_B_GE: return OP_B_LE;
    default: return op;
    }
}

/* A name compared with a formula, the comparison taken as `truth`: the
** name shadowed by a local holding its cut range. */
static Local *refine_cmp(Absint *a, AEnv *env, Expr *name, BinOp op, Expr *other, bool truth, Local *scope)
{
    if (name->kind != E_NAME) return scope;
    if (!truth) {
        if (op == OP_B_EQ || op == OP_B_NE) return scope;
        op = negated(op);
    }
    if (op == OP_B_NE) return scope;
    AV x = name_av(a, env, name), k = ai_eval(a, env, other);
    if (x.t != T_NUM || k.t != T_NUM || x.poisoned || k.poisoned || !cut_range(&x, op, k)) return scope;
    Local *l = GC_NEW(Local);
    *l = (Local){ name->name, x, true, name->loc, scope };
    return l;
}

Local *ai_refine(Absint *a, AEnv *env, Expr *cond, bool truth)
{
    Local *scope = env->scope;
    if (a->collecting || !cond) return scope;
    if (cond->kind == E_NOT) return ai_refine(a, env, cond->a, !truth);
    if (cond->kind != E_BINARY) return scope;
    if ((cond->op == OP_B_AND && truth) || (cond->op == OP_B_OR && !truth)) {
        AEnv inner = { env->period, ai_refine(a, env, cond->a, truth) };
        return ai_refine(a, &inner, cond->b, truth);
    }
    if (cond->op < OP_B_EQ || cond->op > OP_B_GE) return scope;
    scope = refine_cmp(a, env, cond->a, cond->op, cond->b, truth, scope);
    AEnv inner = { env->period, scope };
    return refine_cmp(a, &inner, cond->b, mirrored(cond->op), cond->a, truth, scope);
}

AV ai_eval(Absint *a, AEnv *env, Expr *e)
{
    switch (e->kind) {
    case E_NUM: return av_num(e->num, e->num);
    case E_BOOL: return av_bool(e->boolean, !e->boolean);
    case E_NAME: return name_av(a, env, e);
    case E_MEMBER: return member_av(a, e);
    case E_INDEX: {
        Sym *s = e->a->kind == E_NAME ? sym_find(&a->c->names, e->a->name) : NULL;
        ai_eval(a, env, e->b);
        if (!s || s->kind != SYM_FACT) return av_poison();
        return fact_av(a, s->index, env->period);
    }
    case E_CALL: return call_av(a, env, e);
    case E_GEN: return av_poison();
    case E_NEG: return av_neg(ai_eval(a, env, e->a));
    case E_NOT: {
        AV x = ai_eval(a, env, e->a);
        if (x.t != T_BOOL) return av_poison();
        AV v = av_bool(x.can_f, x.can_t);
        v.poisoned = x.poisoned;
        return v;
    }
    case E_BINARY: return binary_av(a, env, e);
    case E_IS: return is_av(a, env, e);
    case E_IF: {
        AV c = ai_eval(a, env, e->a);
        bool t = c.t != T_BOOL || c.can_t, f = c.t != T_BOOL || c.can_f;
        AV v;
        /* each branch knows its condition's outcome: if x > 4 then 4 else x */
        AEnv yes = { env->period, ai_refine(a, env, e->a, true) };
        AEnv no = { env->period, ai_refine(a, env, e->a, false) };
        if (t && f) v = av_hull(ai_eval(a, &yes, e->b), ai_eval(a, &no, e->c));
        else if (t) v = ai_eval(a, &yes, e->b);
        else v = ai_eval(a, &no, e->c);
        if (a->collecting) { ai_eval(a, env, e->b); ai_eval(a, env, e->c); }
        v.poisoned = v.poisoned || c.poisoned;
        return v;
    }
    case E_BY: return by_av(a, env, e);
    case E_TIERS: return tiers_av(a, env, e);
    case E_COHORT: return cohort_av(a, env, e);
    case E_RANK: {                              /* a place: 1 to the number of units */
        if (e->b) ai_eval(a, env, e->b);
        ai_eval(a, env, e->a);
        return av_num(num_int(1), num_int(a->p->units->n > 0 ? a->p->units->n : 1));
    }
    }
    return av_poison();
}

void ai_collect(Absint *a, AEnv *env, Expr *e)
{
    bool was = a->collecting;
    a->collecting = true;
    ai_eval(a, env, e);
    a->collecting = was;
}

void ai_init(Absint *a, Compiler *c)
{
    memset(a, 0, sizeof *a);
    a->c = c;
    a->p = c->p;
    const Program *p = c->p;
    a->params = GC_MALLOC(sizeof(AV *) * ((size_t)p->nparams + 1));
    for (int i = 0; i < p->nparams; i++) a->params[i] = GC_MALLOC(sizeof(AV) * ((size_t)p->nperiods + 1));
    size_t ns = (size_t)p->nparams * (size_t)p->nperiods + 1;
    a->param_state = GC_MALLOC_ATOMIC(ns);
    memset(a->param_state, 0, ns);
    a->let_busy = GC_MALLOC_ATOMIC((size_t)p->nlets + 1);
    memset(a->let_busy, 0, (size_t)p->nlets + 1);
}
