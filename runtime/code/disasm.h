/*
** disasm.h — the listing of `kaohe disasm`: every chunk of a compiled
** rubric, each instruction's operands named from the program (the fact
** column, the param, the table and column …) by their kinds in opcodes.h.
** It prints only; the command line owns the output stream and its errors.
*/
#ifndef KAOHE_DISASM_H
#define KAOHE_DISASM_H

#include <stdio.h>

#include "program.h"

/* What operand a of in names in p (and b where it qualifies a: a table's
** column, a rounding mode), or NULL for operands that name nothing (jumps,
** locals, steps). An OperandNamer (chunk.h) with ctx the Program. */
const char *disasm_operand(const Chunk *c, const Instr *in, void *program);

/* Every chunk of p in a fixed order: params, lets, items, cohort
** conditions, results, grades, outcomes. */
void disasm_program(const Program *p, FILE *out);

#endif
