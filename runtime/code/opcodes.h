/*
** opcodes.h — THE opcode list. Everything else (the enum, the disassembler's
** names and operand formats, the compiler's stack-depth accounting, the VM's
** dispatch table) is generated from this one X-macro; add an opcode here and
** nowhere else.
**
** OP(name, operands, stack effect, what it does)
**   operands: NONE, A (one 16-bit operand) or AB (two 16-bit operands)
**   stack effect: net change in stack depth
** Register-transfer notation: push/pop on the value stack; L[a] is local
** slot a; acc is the running score of the item being evaluated; K[a] is
** constant a of the chunk.
**
** Notes
** - Reads of facts raise "blank cell" when the cell is blank: a blank is an
**   error only where a rule actually reads it.
** - Arithmetic is exact (num.h); DIV raises on a zero divisor.
** - JUMP operands are forward offsets from the next instruction; LOOP jumps
**   backward by its operand.
** - STEP_* operands index the item's step table (citations, clause texts),
**   so the traced VM can say which clause moved the score.
*/
#ifndef KAOHE_OPCODES_H
#define KAOHE_OPCODES_H

#define KAOHE_OPCODES(OP) \
    OP(CONST,        A,   1, "push(K[a])") \
    OP(TRUE,         NONE, 1, "push(true)") \
    OP(FALSE,        NONE, 1, "push(false)") \
    OP(FACT,         A,   1, "push(fact a of this unit, this period): a choice or text") \
    OP(FACT_NUM,     A,   1, "push(number fact a of this unit, this period)") \
    OP(FACT_BOOL,    A,   1, "push(yes/no fact a of this unit, this period)") \
    OP(FACT_AT,      AB,  1, "push(fact a of this unit in period b)") \
    OP(FACT_ELEM,    A,   0, "i := pop(); push(element i of fact vector a, this period)") \
    OP(PARAM,        A,   1, "push(param a in this period)") \
    OP(PARAM_AT,     AB,  1, "push(param a in period b)") \
    OP(LET,          A,   1, "push(let a of this unit-period), computed once") \
    OP(LET_AT,       AB,  1, "push(let a of this unit in period b)") \
    OP(TABLE,        AB,  1, "push(table a, column b, at this unit's row)") \
    OP(UNIT_ATTR,    A,   1, "push(text attribute a of this unit)") \
    OP(PERIOD_ID,    NONE, 1, "push(this period, as a member of the period enum)") \
    OP(PERIOD_SCORE, A,   1, "push(this unit's score in period a)") \
    OP(RESULT,       A,   1, "push(result a of this unit), computed once") \
    OP(GRADE,        A,   1, "push(grade a of this unit), computed once") \
    OP(OUTCOME,      A,   1, "push(outcome a of this unit), computed once") \
    OP(COHORT,       A,   1, "push(list of the cohort a item scores, this period), computed once a period") \
    OP(LOCAL,        A,   1, "push(L[a])") \
    OP(SET_LOCAL,    A,  -1, "L[a] := pop()") \
    OP(POP,          NONE, -1, "pop()") \
    OP(ADD,          NONE, -1, "b := pop(); a := pop(); push(a + b)") \
    OP(SUB,          NONE, -1, "b := pop(); a := pop(); push(a - b)") \
    OP(MUL,          NONE, -1, "b := pop(); a := pop(); push(a * b)") \
    OP(DIV,          NONE, -1, "b := pop(); a := pop(); push(a / b), error if b = 0") \
    OP(NEG,          NONE, 0, "push(-pop())") \
    OP(NOT,          NONE, 0, "push(not pop())") \
    OP(EQ,           NONE, -1, "b := pop(); a := pop(); push(a = b)") \
    OP(NE,           NONE, -1, "b := pop(); a := pop(); push(a != b)") \
    OP(LT,           NONE, -1, "b := pop(); a := pop(); push(a < b)") \
    OP(LE,           NONE, -1, "b := pop(); a := pop(); push(a <= b)") \
    OP(GT,           NONE, -1, "b := pop(); a := pop(); push(a > b)") \
    OP(GE,           NONE, -1, "b := pop(); a := pop(); push(a >= b)") \
    OP(MIN,          NONE, -1, "b := pop(); a := pop(); push(min(a, b))") \
    OP(MAX,          NONE, -1, "b := pop(); a := pop(); push(max(a, b))") \
    OP(ABS,          NONE, 0, "push(|pop()|)") \
    OP(ROUND,        AB,  0, "push(round(pop(), a - 32768 places, mode b))") \
    OP(SUM_LIST,     NONE, 0, "push(sum of the list pop())") \
    OP(COUNT_LIST,   NONE, 0, "push(number of elements of the list pop())") \
    OP(JUMP,         A,   0, "ip += a") \
    OP(JUMP_IF_FALSE, A, -1, "if not pop(): ip += a") \
    OP(JUMP_IF_TRUE, A,  -1, "if pop(): ip += a  (an 'unless' condition)") \
    OP(AND_JUMP,     A,   0, "if top is false: ip += a (keep it) else pop()") \
    OP(OR_JUMP,      A,   0, "if top is true: ip += a (keep it) else pop()") \
    OP(LOOP,         A,   0, "ip -= a") \
    OP(ITEM_START,   NONE, -1, "acc := pop()") \
    OP(STEP_ZERO,    A,   0, "acc := 0 (step a: the item gets no points); the compiler jumps to the end") \
    OP(STEP_DEDUCT,  A,  -1, "acc := acc - pop() (step a)") \
    OP(STEP_ADD,     A,  -1, "acc := acc + pop() (step a)") \
    OP(STEP_SCORE,   A,  -1, "acc := pop() (step a)") \
    OP(STEP_SCALE,   A,  -1, "acc := acc * pop() (step a)") \
    OP(ITEM_END,     NONE, 0, "clamp acc to [0, points], round as the rubric says; return acc") \
    OP(NO_BAND,      A,   0, "raise: the value fits no band of grade a") \
    OP(RETURN,       NONE, -1, "return pop()")

typedef enum OpCode {
#define KAOHE_OP_ENUM(name, operands, effect, doc) OP_##name,
    KAOHE_OPCODES(KAOHE_OP_ENUM)
#undef KAOHE_OP_ENUM
    OP__COUNT
} OpCode;

typedef enum OperandKind { OPND_NONE, OPND_A, OPND_AB } OperandKind;

/* Generated tables (chunk.c). */
extern const char *const op_names[OP__COUNT];
extern const OperandKind op_operands[OP__COUNT];
extern const int op_stack_effect[OP__COUNT];
extern const char *const op_docs[OP__COUNT];

#endif
