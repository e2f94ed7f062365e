/*
** compile.c — the compiler's entry (compile_all) and the items: each item's
** steps (score, deduct, add, when/otherwise, limit …) checked and compiled
** to one chunk, with a StepInfo per step for explain and the reach checks.
** Expressions are compile_expr.c; the instruction writer is emit.c.
*/
#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* ---- items ----------------------------------------------------------------- */

static void citem_steps(Compiler *c, Fn *fn, ItemDef *item, PtrVec *steps, PtrVec *to_end);

/* Numbers the step and describes it for the trace; its code range is closed
** by close_step once the step is compiled. */
static StepInfo *record_step(Fn *fn, ItemDef *item, Step *s)
{
    s->id = item->nsteps;
    StepInfo *info = item->steps;
    if (item->nsteps == fn->csteps) {   /* doubling: growing by one was quadratic */
        fn->csteps = fn->csteps ? 2 * fn->csteps : 8;
        info = GC_MALLOC(sizeof(StepInfo) * (size_t)fn->csteps);
        if (item->nsteps) memcpy(info, item->steps, sizeof(StepInfo) * (size_t)item->nsteps);
    }
    info[item->nsteps] = (StepInfo){
        .kind = s->kind, .loc = s->loc, .at = &s->at, .unless = s->unless,
        .parent = fn->step_parent, .in_otherwise = fn->step_in_otherwise,
        .code_start = fn->chunk->len, .cond_pc = NO_PC,
        .cond_loc = s->cond ? s->cond->loc : (Loc){ NULL, 0, 0 },
        .amount_loc = s->amount ? s->amount->loc : (Loc){ NULL, 0, 0 },
    };
    item->steps = info;
    item->nsteps++;
    return &info[item->nsteps - 1];
}

/* Compiles a step's condition; the jump it ends with is where the trace
** learns whether the condition held. */
static uint32_t ccond(Compiler *c, Fn *fn, Step *s, const char *role)
{
    Type t = cexpr(c, fn, s->cond);
    want(c, s->cond, t, s->cond->enum_id, T_BOOL, role);
    uint32_t at = emit_jump(fn, s->unless ? OP_JUMP_IF_TRUE : OP_JUMP_IF_FALSE, s->cond->loc);
    fn->item->steps[s->id].cond_pc = at - 1;
    return at;
}

static void camount(Compiler *c, Fn *fn, Step *s, const char *role)
{
    Type t = cexpr(c, fn, s->amount);
    want(c, s->amount, t, s->amount->enum_id, T_NUM, role);
    if (s->per) {
        Type tp = cexpr(c, fn, s->per);
        want(c, s->per, tp, s->per->enum_id, T_NUM, "what 'per' counts");
        emit(fn, OP_MUL, s->per->loc);
    }
}

static void cstep(Compiler *c, Fn *fn, ItemDef *item, Step *s, PtrVec *to_end)
{
    if (s->kind != S_LET) record_step(fn, item, s);
    switch (s->kind) {
    case S_ZERO: {
        uint32_t skip = ccond(c, fn, s, "the condition of 'zero'");
        emit_a(fn, OP_STEP_ZERO, s->id, s->loc);
        uint32_t *j = GC_NEW(uint32_t);
        *j = emit_jump(fn, OP_JUMP, s->loc);
        vec_push(to_end, j);
        patch_jump(c, fn, skip, s->loc);
        break;
    }
    case S_DEDUCT: case S_ADD: {
        uint32_t skip = 0;
        if (s->cond) skip = ccond(c, fn, s, s->kind == S_DEDUCT ? "the condition of 'deduct'" : "the condition of 'add'");
        camount(c, fn, s, s->kind == S_DEDUCT ? "what 'deduct' takes away" : "what 'add' gives");
        emit_a(fn, s->kind == S_DEDUCT ? OP_STEP_DEDUCT : OP_STEP_ADD, s->id, s->loc);
        if (s->cond) patch_jump(c, fn, skip, s->loc);
        break;
    }
    case S_SCORE: case S_SCALE:
        camount(c, fn, s, s->kind == S_SCORE ? "a score" : "a scale factor");
        emit_a(fn, s->kind == S_SCORE ? OP_STEP_SCORE : OP_STEP_SCALE, s->id, s->loc);
        break;
    case S_LET: {
        Type t = cexpr(c, fn, s->amount);
        int slot = new_local(c, fn, s->loc);
        emit_a(fn, OP_SET_LOCAL, slot, s->loc);
        fn->scope = scope_push(fn->scope, s->name, slot, t, s->amount->enum_id);
        break;
    }
    case S_WHEN: {
        uint32_t jf = ccond(c, fn, s, "the condition of 'when'");
        Scope *saved = fn->scope;
        int saved_parent = fn->step_parent;
        bool saved_other = fn->step_in_otherwise;
        fn->step_parent = s->id;
        fn->step_in_otherwise = false;
        citem_steps(c, fn, item, &s->body, to_end);
        fn->scope = saved;
        uint32_t jend = emit_jump(fn, OP_JUMP, s->loc);
        patch_jump(c, fn, jf, s->loc);
        fn->step_in_otherwise = true;
        if (s->has_other) citem_steps(c, fn, item, &s->other, to_end);
        fn->scope = saved;
        fn->step_parent = saved_parent;
        fn->step_in_otherwise = saved_other;
        patch_jump(c, fn, jend, s->loc);
        break;
    }
    }
    if (s->kind != S_LET) item->steps[s->id].code_end = fn->chunk->len;
}

static void citem_steps(Compiler *c, Fn *fn, ItemDef *item, PtrVec *steps, PtrVec *to_end)
{
    for (int i = 0; i < steps->n; i++) cstep(c, fn, item, steps->items[i], to_end);
}

static void compile_item(Compiler *c, int i)
{
    ItemDef *item = &c->p->items[i];
    ItemDecl *d = c->item_decls.items[i];
    char *name = GC_MALLOC_ATOMIC(strlen(item->id) + 8);
    sprintf(name, "item %s", item->id);
    Fn fn;
    fn_init(&fn, name, CTX_UP);
    fn.item = item;
    item->points_attr = -1;
    if (d->points_by) compile_points_by(c, &fn, item, d);
    if (d->from) {
        Type t = cexpr(c, &fn, d->from);
        want(c, d->from, t, d->from->enum_id, T_NUM, "the starting score");
    } else if (d->points_by) {
        if (!item->unit_points) emit_const(c, &fn, val_num(item->points), d->id_loc);   /* after an error */
    } else {
        emit_const(c, &fn, val_num(item->has_points ? item->points : num_int(0)), d->id_loc);
    }
    emit(&fn, OP_ITEM_START, d->id_loc);
    PtrVec to_end = { 0 };
    citem_steps(c, &fn, item, &d->steps, &to_end);
    for (int k = 0; k < to_end.n; k++) patch_jump(c, &fn, *(uint32_t *)to_end.items[k], d->loc);
    emit(&fn, OP_ITEM_END, d->id_loc);
    fn_finish(&fn);
    item->chunk = fn.chunk;
}

bool compile_all(Compiler *c)
{
    Program *p = c->p;
    for (int i = 0; i < p->nparams; i++) compile_ensure_param(c, i);
    for (int i = 0; i < p->nlets; i++) compile_ensure_let(c, i);
    for (int i = 0; i < p->nitems; i++) compile_item(c, i);
    for (int i = 0; i < p->nresults; i++) compile_ensure_value(c, SYM_RESULT, i);
    for (int i = 0; i < p->ngrades; i++) compile_ensure_value(c, SYM_GRADE, i);
    for (int i = 0; i < p->noutcomes; i++) compile_ensure_value(c, SYM_OUTCOME, i);
    if (!c->failed) order_unit_cohorts(c);
    return !c->failed;
}
