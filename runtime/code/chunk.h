/*
** chunk.h — compiled bytecode: one chunk per item, let, param, result, grade,
** outcome and cohort condition. A chunk carries its constants and a line
** table (runs of code offsets → source spans), so a runtime error or a
** disassembly line points at the rule that produced the instruction.
*/
#ifndef KAOHE_CHUNK_H
#define KAOHE_CHUNK_H

#include <stdbool.h>
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

/* One decoded instruction. Operands are read by the opcode's columns in
** opcodes.h (op_kinds, op_length); an absent operand is -1. */
typedef struct Instr {
    OpCode op;
    uint32_t at, next;      /* this instruction's offset and the next one's */
    int a, b;
} Instr;

/* The instruction at offset at of code, which the compiler wrote (so known
** to be whole): the interpreters' and analyses' decoder. */
static inline Instr instr_at(const uint8_t *code, uint32_t at)
{
    Instr in;
    in.op = (OpCode)code[at];
    in.at = at;
    in.next = at + op_length[in.op];
    in.a = op_noperands[in.op] > 0 ? chunk_read_u16(code + at + 1) : -1;
    in.b = op_noperands[in.op] > 1 ? chunk_read_u16(code + at + 3) : -1;
    return in;
}

/* Where a jump goes (op_jumps(in->op)): FWD and BACK are counted from the
** next instruction. */
static inline uint32_t instr_target(const Instr *in)
{
    return op_kinds[in->op][0] == OPK_BACK ? in->next - (uint32_t)in->a : in->next + (uint32_t)in->a;
}

/* instr_at for bytes that may be anything: false when the opcode is unknown
** or the instruction runs past the end. */
bool chunk_decode(const Chunk *c, uint32_t at, Instr *out);

/* Checks the bytecode as the interpreters assume it: every opcode known and
** whole, constants and locals in range, jumps onto instruction starts inside
** the chunk, line runs in order at instruction starts, the stack depth the
** same on every path into an instruction, never below what an instruction
** pops, never above max_stack, and no path running off the end. NULL when
** sound, else what is wrong (a static buffer). Fuzzing and tests use it. */
const char *chunk_verify(const Chunk *c);

/* One line per instruction: offset, line:col, name, operands, what the
** operands name (describe, may be NULL or return NULL), source text.
** disasm.h names the operands of a compiled rubric. */
typedef const char *(*OperandNamer)(const Chunk *c, const Instr *in, void *ctx);
void chunk_disassemble(const Chunk *c, FILE *out, OperandNamer describe, void *ctx);

#endif
