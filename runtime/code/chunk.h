/*
** chunk.h — compiled bytecode: one chunk per item, let, param, result, grade,
** outcome and cohort condition. A chunk carries its constants and a line
** table (runs of code offsets → source spans), so a runtime error or a
** disassembly line points at the rule that produced the instruction.
*/
#ifndef KAOHE_CHUNK_H
#define KAOHE_CHUNK_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "opcodes.h"
#include "value.h"

typedef struct LineRun {
    uint32_t offset;        /* first code byte this run covers */
    Loc loc;
} LineRun;

typedef struct Chunk {
    const char *name;       /* "item 2", "let 省内目标", for disassembly */
    uint8_t *code;
    uint32_t len, cap;
    Value *consts;
    int nconsts, cconsts;
    LineRun *lines;
    int nlines, clines;
    int max_stack;          /* deepest stack the code reaches */
    int nlocals;
} Chunk;

Chunk *chunk_new(const char *name);
void chunk_emit_op(Chunk *c, OpCode op, Loc loc);
void chunk_emit_u16(Chunk *c, uint16_t v);
int chunk_add_const(Chunk *c, Value v);
/* The source span of the instruction at code offset off. */
Loc chunk_loc_at(const Chunk *c, uint32_t off);
static inline uint16_t chunk_read_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
/* One line per instruction: offset, line:col, name, operands, source text. */
void chunk_disassemble(const Chunk *c, FILE *out, const char *(*describe)(const Chunk *, OpCode, int, int, void *), void *ctx);

#endif
