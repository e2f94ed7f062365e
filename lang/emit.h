/*
** emit.h — what the three parts of the compiler share (emit.c,
** compile_expr.c, compile.c): the writer of instructions, the type words,
** and the expression compiler. Internal to the compiler; check.c and
** absint.c do not include it.
*/
#ifndef KAOHE_EMIT_H
#define KAOHE_EMIT_H

#include "compiler.h"

/* Defs expanded inside defs deeper than this are a runaway expansion. */
#define MAX_INLINE_DEPTH 32
/* Operands are 16 bits. */
#define MAX_OPERAND 65535
/* Bytecode of one item, let, param or result: jumps span at most 16 bits,
** and the largest chunk of the 2021 rubric is 321 bytes. The limit also
** ends def expansion that doubles at every level (f(x) = g(x) + g(x)),
** which would otherwise run for hours. */
#define MAX_CHUNK_CODE 65535

/* emit.c */
void fail(Compiler *c, Loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void emit(Fn *fn, OpCode op, Loc loc);
void emit_a(Fn *fn, OpCode op, int a, Loc loc);
void emit_ab(Fn *fn, OpCode op, int a, int b, Loc loc);
void emit_const(Compiler *c, Fn *fn, Value v, Loc loc);
/* Emits a forward jump and returns where to patch it. */
uint32_t emit_jump(Fn *fn, OpCode op, Loc loc);
void patch_jump(Compiler *c, Fn *fn, uint32_t at, Loc loc);
void emit_loop(Compiler *c, Fn *fn, uint32_t target, Loc loc);
int new_local(Compiler *c, Fn *fn, Loc loc);
Scope *scope_push(Scope *next, const char *name, int slot, Type t, int enum_id);
void fn_init(Fn *fn, const char *name, Ctx ctx);
void fn_finish(Fn *fn);
const char *type_name(Compiler *c, Type t, int enum_id);
/* Reports a type mismatch unless an earlier error already explains it. */
bool want(Compiler *c, Expr *e, Type got, int got_enum, Type need, const char *role);
Type type_of_fact(const FactDef *f);

/* compile_expr.c: one expression, checked and emitted; its type. */
Type cexpr(Compiler *c, Fn *fn, Expr *e);
/* compile_tiers.c: tiers V { … } (E_TIERS). Its parts (V, the bounds, the
** values) are compiled by part, which cexpr hands down, so calls between
** the two files go one way. */
typedef Type (*CompilePart)(Compiler *c, Fn *fn, Expr *e);
Type compile_tiers(Compiler *c, Fn *fn, Expr *e, CompilePart part);
/* compile_grades.c: vetoes (grades, outcomes) and grade quotas, by part too */
void compile_vetoes(Compiler *c, Fn *fn, Decl *d, ValueDef *v, CompilePart part, Type *types);
void check_veto_types(Compiler *c, Decl *d, Type t, int enum_id, const Type *types);
void compile_quota(Compiler *c, Decl *d, int b, ValueDef *g, CompilePart part);
void quota_chunk(Compiler *c, int i, ValueDef *g, Loc loc);
/* compile_cohort.c: lists across units (E_COHORT) and ranks (E_RANK), by part */
Type compile_cohort(Compiler *c, Fn *fn, Expr *e, CompilePart part);
Type compile_rank(Compiler *c, Fn *fn, Expr *e, CompilePart part);
/* 本单位.X and 其他.X inside a where (the reader, the listed unit). */
Type compile_where_member(Compiler *c, Fn *fn, Expr *e, CompilePart part);
/* After every value is compiled: the order of the lists read in results. */
void order_unit_cohorts(Compiler *c);
/* compile_points.c: `points by 类型 { … }` — each unit's points, and the
** item's start when it has no `from` */
void compile_points_by(Compiler *c, Fn *fn, ItemDef *item, ItemDecl *d);

#endif
