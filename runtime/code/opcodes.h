/*
** opcodes.h — THE opcode list. Every fact about an opcode that more than one
** place needs is a column here: the enum, the names, the operand kinds (and
** so the instruction's length), the values it pops and pushes, and how
** control leaves it. chunk.c expands the list into tables; the compiler's
** stack accounting, the decoder and verifier (chunk.c), the disassembler
** (disasm.c), the reach analysis (vm/reach.c), both interpreter loops and
** the fuzz harnesses read those tables. Add an opcode here, then add its
** case to vm_loop.h and vm_batch_run.h (both switch over this enum; the
** batch loop has no `default:`, so -Wswitch names a missing case).
**
** OP(name, a, b, pops, pushes, flow, what it does)
**   a, b    the kinds of the two 16-bit operands, NO when absent (b is NO
**           whenever a is); what each indexes is below.
**   pops, pushes
**           values taken from and put on the stack, on the path that does
**           not jump. The net effect sizes the stack (compile.c).
**   flow    NEXT    falls through to the next instruction
**           GOTO    always jumps forward by its FWD operand
**           BRANCH  jumps forward or falls through; the same stack either way
**           KEEP    as BRANCH, but the jump keeps the value it tested (the
**                   taken path pops one value fewer than `pops` says)
**           BACK    always jumps backward by its BACK operand
**           END     ends the chunk: returns, or raises an error
**
** Operand kinds (the disassembler names each; reach.c follows PARAM, LET
** and COHORT):
**   K       constant a of the chunk            COL     fact column of the schema
**   FACT    fact declaration (a vector)        PARAM   param
**   LET     let                                PERIOD  period
**   TABLE   annex table                        TCOL    column of table a
**   ATTR    attribute of units.csv             RESULT, GRADE, OUTCOME, COHORT
**   LOCAL   local slot L[a]                    STEP    the item's step a
**   PLACES  decimal places + 32768             MODE    a RoundMode
**   RANK    how places are counted (RANK_* below)
**   SELF    a slot S[a] for 本单位.X (Program.nself)
**   FWD     forward jump distance, from the next instruction
**   BACK    backward jump distance, from the next instruction
**
** Register-transfer notation: push/pop on the value stack; L[a] is local
** slot a; K[a] is constant a of the chunk; acc is the running score of the
** item being evaluated; ip is the offset of the next instruction.
**
** Notes
** - Reads of facts raise "blank cell" when the cell is blank: a blank is an
**   error only where a rule actually reads it.
** - Arithmetic is exact (num.h); DIV raises on a zero divisor, and any
**   arithmetic raises when a number grows past num.c's size limit.
** - STEP_* operands index the item's step table (citations, clause texts),
**   so the traced VM can say which clause moved the score.
** - LOOP counts one step of the unit's budget (vm.h EVAL_MAX_STEPS), so no
**   loop runs for ever.
** - A cross-unit value (COHORT) and the memoized ones (LET, RESULT, GRADE,
**   OUTCOME) run another chunk on first read and raise on a cycle.
*/
#ifndef KAOHE_OPCODES_H
#define KAOHE_OPCODES_H

#include <stdint.h>

#define KAOHE_OPCODES(OP) \
    OP(CONST,         K,      NO,     0, 1, NEXT,   "push(K[a])") \
    OP(TRUE,          NO,     NO,     0, 1, NEXT,   "push(true)") \
    OP(FALSE,         NO,     NO,     0, 1, NEXT,   "push(false)") \
    OP(FACT,          COL,    NO,     0, 1, NEXT,   "push(fact column a of this unit, this period): a choice or text") \
    OP(FACT_NUM,      COL,    NO,     0, 1, NEXT,   "push(number fact column a of this unit, this period)") \
    OP(FACT_BOOL,     COL,    NO,     0, 1, NEXT,   "push(yes/no fact column a of this unit, this period)") \
    OP(FACT_AT,       COL,    PERIOD, 0, 1, NEXT,   "push(fact column a of this unit in period b)") \
    OP(FACT_ELEM,     FACT,   NO,     1, 1, NEXT,   "i := pop(); push(element i of fact vector a, this period); error if i is outside it") \
    OP(PARAM,         PARAM,  NO,     0, 1, NEXT,   "push(param a in this period)") \
    OP(PARAM_AT,      PARAM,  PERIOD, 0, 1, NEXT,   "push(param a in period b)") \
    OP(LET,           LET,    NO,     0, 1, NEXT,   "push(let a of this unit-period), computed once") \
    OP(LET_AT,        LET,    PERIOD, 0, 1, NEXT,   "push(let a of this unit in period b)") \
    OP(TABLE,         TABLE,  TCOL,   0, 1, NEXT,   "push(table a, column b, at this unit's row)") \
    OP(UNIT_ATTR,     ATTR,   NO,     0, 1, NEXT,   "push(text attribute a of this unit)") \
    OP(PERIOD_ID,     NO,     NO,     0, 1, NEXT,   "push(this period, as a member of the period enum)") \
    OP(PERIOD_SCORE,  PERIOD, NO,     0, 1, NEXT,   "push(this unit's score in period a)") \
    OP(RESULT,        RESULT, NO,     0, 1, NEXT,   "push(result a of this unit), computed once") \
    OP(GRADE,         GRADE,  NO,     0, 1, NEXT,   "push(grade a of this unit), computed once") \
    OP(OUTCOME,       OUTCOME, NO,    0, 1, NEXT,   "push(outcome a of this unit), computed once") \
    OP(QUOTA_GRADE,   GRADE,  NO,     0, 1, NEXT,   "push(grade a of this unit as the pass over all units gave it: bands, vetoes, quotas)") \
    OP(COHORT,        COHORT, NO,     0, 1, NEXT,   "push(list of cohort a: an item's scores or a value of each unit, this period), computed once a period") \
    OP(RANK,          RANK,   NO,     2, 1, NEXT,   "v := pop(); l := pop(); push(the place of v in l: 1 + the number of values before it, order a)") \
    OP(SELF_SET,      SELF,   NO,     1, 0, NEXT,   "S[a] := pop(): a value of the unit reading the next list, for its where's 本单位.X") \
    OP(SELF,          SELF,   NO,     0, 1, NEXT,   "push(S[a]): 本单位.X in a where, whichever unit the where is checked for") \
    OP(LOCAL,         LOCAL,  NO,     0, 1, NEXT,   "push(L[a])") \
    OP(SET_LOCAL,     LOCAL,  NO,     1, 0, NEXT,   "L[a] := pop()") \
    OP(POP,           NO,     NO,     1, 0, NEXT,   "pop()") \
    OP(ADD,           NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x + y)") \
    OP(SUB,           NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x - y)") \
    OP(MUL,           NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x * y)") \
    OP(DIV,           NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x / y); error if y = 0") \
    OP(NEG,           NO,     NO,     1, 1, NEXT,   "push(-pop())") \
    OP(NOT,           NO,     NO,     1, 1, NEXT,   "push(not pop())") \
    OP(EQ,            NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x = y)  (any type)") \
    OP(NE,            NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x != y)  (any type)") \
    OP(LT,            NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x < y)") \
    OP(LE,            NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x <= y)") \
    OP(GT,            NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x > y)") \
    OP(GE,            NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(x >= y)") \
    OP(MIN,           NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(min(x, y)), x on a tie") \
    OP(MAX,           NO,     NO,     2, 1, NEXT,   "y := pop(); x := pop(); push(max(x, y)), x on a tie") \
    OP(ABS,           NO,     NO,     1, 1, NEXT,   "push(|pop()|)") \
    OP(ROUND,         PLACES, MODE,   1, 1, NEXT,   "push(round(pop(), a - 32768 places, mode b))") \
    OP(SUM_LIST,      NO,     NO,     1, 1, NEXT,   "push(sum of the list pop())") \
    OP(COUNT_LIST,    NO,     NO,     1, 1, NEXT,   "push(number of elements of the list pop())") \
    OP(MAX_LIST,      NO,     NO,     1, 1, NEXT,   "push(the largest element of the list pop()); error if it is empty") \
    OP(MIN_LIST,      NO,     NO,     1, 1, NEXT,   "push(the smallest element of the list pop()); error if it is empty") \
    OP(PERCENTILE,    NO,     NO,     2, 1, NEXT,   "p := pop(); l := pop(); push(the p-th percentile of l, nearest rank); error if l is empty or p is not in 0..1") \
    OP(JUMP,          FWD,    NO,     0, 0, GOTO,   "ip += a") \
    OP(JUMP_IF_FALSE, FWD,    NO,     1, 0, BRANCH, "if not pop(): ip += a") \
    OP(JUMP_IF_TRUE,  FWD,    NO,     1, 0, BRANCH, "if pop(): ip += a  (an 'unless' condition)") \
    OP(AND_JUMP,      FWD,    NO,     1, 0, KEEP,   "if top = false: ip += a (keeping it) else pop()") \
    OP(OR_JUMP,       FWD,    NO,     1, 0, KEEP,   "if top = true: ip += a (keeping it) else pop()") \
    OP(LOOP,          BACK,   NO,     0, 0, BACK,   "ip -= a; one step of the budget") \
    OP(ITEM_START,    NO,     NO,     1, 0, NEXT,   "acc := pop()") \
    OP(STEP_ZERO,     STEP,   NO,     0, 0, NEXT,   "acc := 0 (step a: the item gets no points); the compiler jumps to the end") \
    OP(STEP_DEDUCT,   STEP,   NO,     1, 0, NEXT,   "acc := acc - pop() (step a)") \
    OP(STEP_ADD,      STEP,   NO,     1, 0, NEXT,   "acc := acc + pop() (step a)") \
    OP(STEP_SCORE,    STEP,   NO,     1, 0, NEXT,   "acc := pop() (step a)") \
    OP(STEP_SCALE,    STEP,   NO,     1, 0, NEXT,   "acc := acc * pop() (step a)") \
    OP(ITEM_END,      NO,     NO,     0, 0, END,    "return round(clamp(acc, 0, points)) as the rubric says") \
    OP(NO_BAND,       GRADE,  NO,     0, 0, END,    "raise: the value L[0] fits no band of grade a") \
    OP(RETURN,        NO,     NO,     1, 0, END,    "return pop()")

typedef enum OpCode {
#define KAOHE_OP_ENUM(name, a, b, pops, pushes, flow, doc) OP_##name,
    KAOHE_OPCODES(KAOHE_OP_ENUM)
#undef KAOHE_OP_ENUM
    OP__COUNT
} OpCode;

/* What an operand indexes (see the top of this file). */
typedef enum OperandKind {
    OPK_NO, OPK_K, OPK_COL, OPK_FACT, OPK_PARAM, OPK_LET, OPK_PERIOD, OPK_TABLE, OPK_TCOL, OPK_ATTR,
    OPK_RESULT, OPK_GRADE, OPK_OUTCOME, OPK_COHORT, OPK_LOCAL, OPK_STEP, OPK_PLACES, OPK_MODE,
    OPK_RANK, OPK_SELF, OPK_FWD, OPK_BACK,
    OPK__COUNT
} OperandKind;

/* RANK's operand: how places are counted. Without RANK_DENSE two units
** tied for 2nd leave the next one 4th (并列按较好名次); with it, 3rd. */
enum { RANK_DENSE = 1, RANK_LOWEST_FIRST = 2, RANK__ORDERS = 4 };

/* How control leaves an instruction (see the top of this file). */
typedef enum OpFlow { FLOW_NEXT, FLOW_GOTO, FLOW_BRANCH, FLOW_KEEP, FLOW_BACK, FLOW_END } OpFlow;

/* Generated tables (chunk.c), indexed by opcode. */
extern const char *const op_names[OP__COUNT];
extern const uint8_t op_kinds[OP__COUNT][2];   /* OperandKind of a and b */
extern const uint8_t op_noperands[OP__COUNT];  /* 0, 1 or 2 */
extern const uint8_t op_length[OP__COUNT];     /* bytes: 1 + 2 per operand */
extern const uint8_t op_pops[OP__COUNT];
extern const uint8_t op_pushes[OP__COUNT];
extern const int op_stack_effect[OP__COUNT];   /* pushes - pops */
extern const uint8_t op_flow[OP__COUNT];       /* OpFlow */
extern const char *const op_docs[OP__COUNT];

/* The instruction may go on to the next one / may jump (forward or back). */
static inline int op_falls_through(OpCode op)
{
    return op_flow[op] == FLOW_NEXT || op_flow[op] == FLOW_BRANCH || op_flow[op] == FLOW_KEEP;
}
static inline int op_jumps(OpCode op)
{
    return op_flow[op] != FLOW_NEXT && op_flow[op] != FLOW_END;
}

#endif
