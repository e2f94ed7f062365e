/*
** compile_tiers.c — the 分档 construct: `tiers V { >= 100%: 8, >= 90%: 6,
** otherwise: 0 }`, type-checked and compiled to a chain of comparisons, and
** the shape of its bands (best first, no tier hidden behind another, an
** `otherwise` last) checked where the bounds are written as numbers.
*/
#include <gc.h>
#include <stdint.h>

#include "emit.h"

/* A tier's bound as a number when the rule writes it as one (`>= 90%`). */
static bool tier_literal(const Expr *b, Num *out)
{
    if (!b) return false;
    if (b->kind == E_NUM) { *out = b->num; return true; }
    if (b->kind == E_NEG && b->a->kind == E_NUM) { *out = num_neg(b->a->num); return true; }
    return false;
}

/* Bands of a 分档 clause read best first, as the notice lists them: each
** bound below the one before (else the tier could never be reached), and
** an `otherwise` last (else some values would have no tier). */
static void tier_shape(Compiler *c, Expr *e)
{
    int n = e->bounds.n;
    for (int i = 0; i < n; i++) {
        Expr *b = e->bounds.items[i];
        Expr *v = e->args.items[i];
        if (!b && i < n - 1) {
            fail(c, v->loc, "write the tiers best first and 'otherwise' last",
                 "the tiers after 'otherwise' can never apply");
            return;
        }
        Num here, prev;
        if (i > 0 && tier_literal(b, &here) && tier_literal(e->bounds.items[i - 1], &prev)) {
            int cmp = num_cmp(here, prev);
            BinOp op = (BinOp)(intptr_t)e->bound_ops.items[i];
            BinOp pop = (BinOp)(intptr_t)e->bound_ops.items[i - 1];
            if (cmp > 0 || (cmp == 0 && !(pop == OP_B_GT && op == OP_B_GE))) {
                fail(c, b->loc, "write the tiers best first, each bound below the one before, as the notice lists them",
                     "this tier can never apply: every value it takes is taken by the tier before");
                return;
            }
        }
    }
    if (n > 0 && e->bounds.items[n - 1]) {
        Expr *b = e->bounds.items[n - 1];
        fail(c, b->loc, "add the last tier of the notice, e.g. otherwise: 0 (低于80%的不得分)",
             "values below the last tier have no tier");
    }
}

/* tiers V { >= b1: v1, >= b2: v2, ..., otherwise: vn } — V once into a
** local, then each bound compared in order; the first that holds gives its
** value. */
Type compile_tiers(Compiler *c, Fn *fn, Expr *e, CompilePart part)
{
    Type tv = part(c, fn, e->a);
    want(c, e->a, tv, e->a->enum_id, T_NUM, "the value of 'tiers'");
    int slot = new_local(c, fn, e->loc);
    emit_a(fn, OP_SET_LOCAL, slot, e->loc);
    tier_shape(c, e);
    PtrVec ends = { 0 };
    Type result = T_UNKNOWN;
    bool has_other = false;
    for (int i = 0; i < e->args.n; i++) {
        Expr *b = e->bounds.items[i], *v = e->args.items[i];
        uint32_t jf = 0;
        if (b) {
            emit_a(fn, OP_LOCAL, slot, b->loc);
            Type tb = part(c, fn, b);
            want(c, b, tb, b->enum_id, T_NUM, "a tier's bound");
            emit(fn, (BinOp)(intptr_t)e->bound_ops.items[i] == OP_B_GT ? OP_GT : OP_GE, b->loc);
            jf = emit_jump(fn, OP_JUMP_IF_FALSE, b->loc);
        }
        Type t = part(c, fn, v);
        want(c, v, t, v->enum_id, T_NUM, "a tier's value");
        if (result == T_UNKNOWN) result = t;
        if (!b) { has_other = true; break; }
        fn->depth--;             /* each tier pushes the one result */
        uint32_t *end = GC_NEW(uint32_t);
        *end = emit_jump(fn, OP_JUMP, v->loc);
        vec_push(&ends, end);
        patch_jump(c, fn, jf, b->loc);
    }
    /* unreachable once 'otherwise' is there; keeps the stack balanced */
    if (!has_other) emit_const(c, fn, val_num(num_int(0)), e->loc);
    for (int i = 0; i < ends.n; i++) patch_jump(c, fn, *(uint32_t *)ends.items[i], e->loc);
    return T_NUM;
}

