/*
** parse_build.c — the helpers the grammar's actions call (parse_build.h):
** expression nodes with their nesting depth (a formula nested past
** MAX_EXPR_DEPTH is refused), the attributes of a declaration collected
** and checked against what it takes, declarations added where they go,
** and the contextual words checked where the grammar reads a name.
*/
#include <gc.h>
#include <stdio.h>
#include <string.h>

#include "parse_build.h"

Expr *deepen(ParseState *ps, Expr *e)
{
    int d = 0;
    Expr *kids[3] = { e->a, e->b, e->c };
    for (int i = 0; i < 3; i++)
        if (kids[i] && kids[i]->depth > d) d = kids[i]->depth;
    for (int i = 0; i < e->args.n; i++) {
        Expr *x = e->args.items[i];
        if (x && x->depth > d) d = x->depth;
    }
    e->depth = d + 1;
    if (e->depth == MAX_EXPR_DEPTH + 1) {
        diag_at(DIAG_ERROR, e->loc, "split the formula into named parts with 'let'",
                "expression nested too deeply (more than %d levels)", MAX_EXPR_DEPTH);
        ps->failed = true;
    }
    return e;
}

Expr *mk_bin(ParseState *ps, KLoc loc, BinOp op, Expr *a, Expr *b)
{
    Expr *e = expr_new(E_BINARY, L(ps, loc));
    e->op = op; e->a = a; e->b = b;
    return deepen(ps, e);
}

Expr *mk_un(ParseState *ps, KLoc loc, ExprKind k, Expr *a)
{
    Expr *e = expr_new(k, L(ps, loc));
    e->a = a;
    return deepen(ps, e);
}

static const char *const attr_words[A_COUNT] = {
    "cite", "assume", "standard", "source", "clause text", "total", "optional", "label", "limit"
};

AttrSet *attr_add(ParseState *ps, AttrSet *s, int kind, KLoc where)
{
    /* assume may repeat; everything else is said once */
    if (kind != A_ASSUME && (s->present & BIT(kind))) {
        long line, col;
        diag_line_col(ps->file, s->where[kind].start, &line, &col);
        char hint[96];
        snprintf(hint, sizeof hint, "the first %s is at line %ld", attr_words[kind], line);
        diag_at(DIAG_ERROR, L(ps, where), hint, "%s given twice", attr_words[kind]);
        ps->failed = true;
    }
    s->present |= BIT(kind);
    s->where[kind] = where;
    return s;
}

void attrs_only(ParseState *ps, AttrSet *s, unsigned allowed, const char *what)
{
    for (int k = 0; k < A_COUNT; k++) {
        if ((s->present & BIT(k)) && !(allowed & BIT(k))) {
            diag_at(DIAG_ERROR, L(ps, s->where[k]), NULL, "%s does not take '%s'",
                    what, attr_words[k]);
            ps->failed = true;
        }
    }
    s->at.loc = L(ps, s->where[A_CITE]);
}

Decl *mk_decl(ParseState *ps, DeclKind k, KLoc loc, AttrSet *s)
{
    Decl *d = decl_new(k, L(ps, loc));
    d->at = s->at;
    d->file = ps->file;
    return d;
}

void add_decl(ParseState *ps, Decl *d)
{
    vec_push(ps->sink ? ps->sink : &ps->ast->decls, d);
}

/* `section "…" max 40`: max is a function's name elsewhere (max(a, b)),
** so it is checked here rather than reserved. */
void section_max_word(ParseState *ps, const char *word, KLoc at)
{
    if (strcmp(word, "max") == 0) return;
    diag_at(DIAG_ERROR, L(ps, at), "a section's cap is written max N (本部分超过40分的按40分计: max 40)",
            "expected 'max', found '%s'", word);
    ps->failed = true;
}

/* A word of a construct that is a name elsewhere (most, ties, unit, order,
** points), checked here rather than reserved. */
void expect_word(ParseState *ps, const char *word, KLoc at, const char *want, const char *hint)
{
    if (strcmp(word, want) == 0) return;
    diag_at(DIAG_ERROR, L(ps, at), hint, "expected '%s', found '%s'", want, word);
    ps->failed = true;
}

void quota_first_key(QuotaDecl *q, Expr *key)
{
    PtrVec keys = { 0 };
    vec_push(&keys, key);
    for (int i = 0; i < q->keys.n; i++) vec_push(&keys, q->keys.items[i]);
    q->keys = keys;
}

/* `points by 类型 { 乡镇: 10, 街道: 6 }`: each entry a number; the item's
** points (for what needs one number, such as the range of its score) are
** the largest. Which units have which is known once the unit list is
** loaded (compile_points.c). */
void points_by(ParseState *ps, ItemDecl *it, const char *attr, KLoc attr_at, PtrVec *cases, KLoc open)
{
    it->points_by = attr;
    it->points_by_loc = L(ps, attr_at);
    for (int i = 0; i < cases->n; i += 3) {
        Expr *v = cases->items[i + 2];
        if (v->kind != E_NUM) {
            diag_at(DIAG_ERROR, v->loc, "write the points as a number: 乡镇: 10",
                    "the points of '%s' must be a number", (const char *)cases->items[i]);
            ps->failed = true;
            continue;
        }
        for (int j = 0; j < i; j += 3)
            if (strcmp(cases->items[j], cases->items[i]) == 0) {
                diag_at(DIAG_ERROR, *(Loc *)cases->items[i + 1], "write each value once",
                        "'%s' is given points twice", (const char *)cases->items[i]);
                ps->failed = true;
            }
        vec_push(&it->points_keys, cases->items[i]);
        vec_push(&it->points_key_locs, cases->items[i + 1]);
        vec_push(&it->points_vals, v);
        if (!it->points || num_cmp(v->num, it->points->num) > 0) it->points = v;
    }
    if (!it->points_keys.n) {
        diag_at(DIAG_ERROR, L(ps, open), POINTS_HINT, "'points by %s' lists no points", attr);
        ps->failed = true;
        it->points = expr_new(E_NUM, L(ps, open));
        it->points->num = num_int(0);
    }
}

/* `given unit X`, `given … facts { }`, `test defaults`: words that are names
** elsewhere (unit.类型), so they are checked here rather than reserved. */
void test_given_word(ParseState *ps, const char *word, KLoc at, const char *want)
{
    if (strcmp(word, want) == 0) return;
    const char *hint = strcmp(want, "defaults") == 0
        ? "a test is named in quotes (test \"缺1人扣1分\" { … }); test defaults { … } gives every test's starting facts"
        : "after 'given': unit NAME, period NAME, facts { 名称: 值, … }";
    diag_at(DIAG_ERROR, L(ps, at), hint, "expected '%s', found '%s'", want, word);
    ps->failed = true;
}

TestValue *test_value(ParseState *ps, KLoc at, int kind, const char *text, Num num)
{
    TestValue *v = GC_NEW(TestValue);
    v->kind = kind;
    v->loc = L(ps, at);
    v->num = num;
    if (kind == TV_NUMBER) {
        /* the digits as written (a '−' sign becomes '-'), so a cell parser reads them */
        uint32_t s = at.start;
        bool neg = false;
        while (s < at.end && !(ps->file->text[s] >= '0' && ps->file->text[s] <= '9')) { neg = true; s++; }
        size_t n = at.end - s;
        char *t = GC_MALLOC_ATOMIC(n + 2);
        t[0] = '-';
        memcpy(t + 1, ps->file->text + s, n);
        t[n + 1] = '\0';
        text = neg ? t : t + 1;
    }
    v->text = text;
    return v;
}
