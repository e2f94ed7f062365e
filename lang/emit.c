/*
** emit.c — the compiler's writer: instructions with the span they came from,
** jumps and their patches, local slots, the stack depth of a chunk, and the
** words for types in messages. Used by compile_expr.c and compile.c.
*/
#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* ---- emitting ------------------------------------------------------------ */

void fail(Compiler *c, Loc loc, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(DIAG_ERROR, loc, hint, fmt, ap);
    va_end(ap);
    c->failed = true;
}

void emit(Fn *fn, OpCode op, Loc loc)
{
    chunk_emit_op(fn->chunk, op, fn->has_inline_loc ? fn->inline_loc : loc);
    fn->depth += op_stack_effect[op];
    if (fn->depth > fn->maxdepth) fn->maxdepth = fn->depth;
}

void emit_a(Fn *fn, OpCode op, int a, Loc loc)
{
    emit(fn, op, loc);
    chunk_emit_u16(fn->chunk, (uint16_t)a);
}

void emit_ab(Fn *fn, OpCode op, int a, int b, Loc loc)
{
    emit(fn, op, loc);
    chunk_emit_u16(fn->chunk, (uint16_t)a);
    chunk_emit_u16(fn->chunk, (uint16_t)b);
}

void emit_const(Compiler *c, Fn *fn, Value v, Loc loc)
{
    int k = chunk_add_const(fn->chunk, v);
    if (k > MAX_OPERAND) fail(c, loc, NULL, "too many constants in one rule (limit %d)", MAX_OPERAND);
    emit_a(fn, OP_CONST, k, loc);
}

/* Emits a forward jump and returns where to patch it. */
uint32_t emit_jump(Fn *fn, OpCode op, Loc loc)
{
    emit_a(fn, op, 0xFFFF, loc);
    return fn->chunk->len - 2;
}

void patch_jump(Compiler *c, Fn *fn, uint32_t at, Loc loc)
{
    uint32_t dist = fn->chunk->len - (at + 2);
    if (dist > MAX_OPERAND) fail(c, loc, "split the item into several items", "rule too long to compile");
    fn->chunk->code[at] = (uint8_t)(dist & 0xFF);
    fn->chunk->code[at + 1] = (uint8_t)(dist >> 8);
}

void emit_loop(Compiler *c, Fn *fn, uint32_t target, Loc loc)
{
    emit(fn, OP_LOOP, loc);
    uint32_t dist = fn->chunk->len + 2 - target;
    if (dist > MAX_OPERAND) fail(c, loc, NULL, "loop body too long to compile");
    chunk_emit_u16(fn->chunk, (uint16_t)dist);
}

int new_local(Compiler *c, Fn *fn, Loc loc)
{
    int slot = fn->nlocals++;
    if (fn->nlocals > fn->chunk->nlocals) fn->chunk->nlocals = fn->nlocals;
    if (slot > 255) fail(c, loc, NULL, "too many local names in one rule (limit 256)");
    return slot;
}

Scope *scope_push(Scope *next, const char *name, int slot, Type t, int enum_id)
{
    Scope *s = GC_NEW(Scope);
    *s = (Scope){ .name = name, .slot = slot, .type = t, .enum_id = enum_id, .next = next };
    return s;
}

void fn_init(Fn *fn, const char *name, Ctx ctx)
{
    memset(fn, 0, sizeof *fn);
    fn->chunk = chunk_new(name);
    fn->ctx = ctx;
    fn->step_parent = -1;
}

void fn_finish(Fn *fn)
{
    fn->chunk->max_stack = fn->maxdepth;
}

/* ---- types --------------------------------------------------------------- */

const char *type_name(Compiler *c, Type t, int enum_id)
{
    switch (t) {
    case T_NUM: return "a number";
    case T_BOOL: return "a yes/no value";
    case T_TEXT: return "text";
    case T_LIST: return "a list of scores";
    case T_MODE: return "a rounding mode";
    case T_ENUM: {
        if (enum_id < 0 || enum_id >= c->p->nenums) return "a choice";    /* a kind not yet known */
        const char *n = c->p->enums[enum_id].name;
        char *s = GC_MALLOC_ATOMIC(strlen(n) + 16);
        sprintf(s, "a %s value", n);
        return s;
    }
    default: return "a value";
    }
}

/* Reports a type mismatch unless an earlier error already explains it. */
bool want(Compiler *c, Expr *e, Type got, int got_enum, Type need, const char *role)
{
    if (got == need || got == T_UNKNOWN) return got == need;
    const char *hint = NULL;
    if (need == T_BOOL && got == T_NUM) hint = "compare it, e.g. X > 0";
    if (need == T_NUM && got == T_BOOL) hint = "a yes/no fact is a condition: use it with if/unless, not in arithmetic";
    fail(c, e->loc, hint, "%s must be %s, but this is %s", role, type_name(c, need, 0),
         type_name(c, got, got_enum));
    return false;
}

Type type_of_fact(const FactDef *f)
{
    switch (f->type) {
    case FT_BOOL: return T_BOOL;
    case FT_ENUM: return T_ENUM;
    case FT_TEXT: return T_TEXT;
    default: return T_NUM;
    }
}
