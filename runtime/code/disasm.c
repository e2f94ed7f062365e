/*
** disasm.c — names the operands of a compiled rubric's instructions for
** `kaohe disasm`. Which table an operand indexes is its kind, a column of
** the opcode list (opcodes.h); this file only knows how to name each kind.
*/
#include <gc.h>
#include <stdio.h>

#include "disasm.h"

enum { NAME_MAX_BYTES = 256 };

static const char *constant_text(const Chunk *c, int a, char *buf)
{
    Value v = c->consts[a];
    if (v.tag == V_ENUM) snprintf(buf, NAME_MAX_BYTES, "choice #%d", v.as.e);
    else snprintf(buf, NAME_MAX_BYTES, "%s", v.tag == V_NUM ? num_to_string(v.as.num) : v.tag == V_TEXT ? v.as.s : "?");
    return buf;
}

const char *disasm_operand(const Chunk *c, const Instr *in, void *program)
{
    const Program *p = program;
    char *buf = GC_MALLOC_ATOMIC(NAME_MAX_BYTES);
    int a = in->a, b = in->b;
    switch ((OperandKind)op_kinds[in->op][0]) {
    case OPK_K: return constant_text(c, a, buf);
    case OPK_COL: snprintf(buf, NAME_MAX_BYTES, "%s", p->schema.cols[a].column); return buf;
    case OPK_FACT: snprintf(buf, NAME_MAX_BYTES, "%s[]", p->facts[a].name); return buf;
    case OPK_PARAM: snprintf(buf, NAME_MAX_BYTES, "%s", p->params[a].name); return buf;
    case OPK_LET: snprintf(buf, NAME_MAX_BYTES, "%s", p->lets[a].name); return buf;
    case OPK_PERIOD: snprintf(buf, NAME_MAX_BYTES, "%s", p->periods[a]); return buf;
    case OPK_TABLE:
        if (op_kinds[in->op][1] == OPK_TCOL)
            snprintf(buf, NAME_MAX_BYTES, "%s.%s", p->tables[a]->spec->name, p->tables[a]->cols[b]);
        else
            snprintf(buf, NAME_MAX_BYTES, "%s", p->tables[a]->spec->name);
        return buf;
    case OPK_ATTR: snprintf(buf, NAME_MAX_BYTES, "unit.%s", p->units->attr_names[a]); return buf;
    case OPK_RESULT: snprintf(buf, NAME_MAX_BYTES, "%s", p->results[a].name); return buf;
    case OPK_GRADE: snprintf(buf, NAME_MAX_BYTES, "%s", p->grades[a].name); return buf;
    case OPK_OUTCOME: snprintf(buf, NAME_MAX_BYTES, "%s", p->outcomes[a].name); return buf;
    case OPK_COHORT:
        if (p->cohorts[a].item >= 0)
            snprintf(buf, NAME_MAX_BYTES, "item %s of units", p->items[p->cohorts[a].item].id);
        else
            snprintf(buf, NAME_MAX_BYTES, "list %d of units", a);
        return buf;
    case OPK_RANK:
        snprintf(buf, NAME_MAX_BYTES, "%s, %s", a & RANK_LOWEST_FIRST ? "lowest first" : "highest first",
                 a & RANK_DENSE ? "ties dense" : "ties best");
        return buf;
    case OPK_PLACES:
        if (op_kinds[in->op][1] == OPK_MODE)
            snprintf(buf, NAME_MAX_BYTES, "%d places, %s", a - 32768, round_mode_name((RoundMode)b));
        else
            snprintf(buf, NAME_MAX_BYTES, "%d places", a - 32768);
        return buf;
    /* nothing to name: a slot, a step, a distance (the listing shows a
    ** jump's target itself), or no operand */
    case OPK_NO: case OPK_TCOL: case OPK_LOCAL: case OPK_STEP: case OPK_MODE: case OPK_FWD: case OPK_BACK:
    case OPK_SELF:
    case OPK__COUNT:
        return NULL;
    }
    return NULL;
}

void disasm_program(const Program *p, FILE *out)
{
    void *ctx = (void *)p;   /* the namer's context is untyped; it only reads */
    for (int i = 0; i < p->nparams; i++) chunk_disassemble(p->params[i].chunk, out, disasm_operand, ctx);
    for (int i = 0; i < p->nlets; i++) chunk_disassemble(p->lets[i].chunk, out, disasm_operand, ctx);
    for (int i = 0; i < p->nitems; i++) chunk_disassemble(p->items[i].chunk, out, disasm_operand, ctx);
    for (int i = 0; i < p->ncohorts; i++) {
        if (p->cohorts[i].value) chunk_disassemble(p->cohorts[i].value, out, disasm_operand, ctx);
        if (p->cohorts[i].cond) chunk_disassemble(p->cohorts[i].cond, out, disasm_operand, ctx);
    }
    for (int i = 0; i < p->nresults; i++) chunk_disassemble(p->results[i].chunk, out, disasm_operand, ctx);
    for (int i = 0; i < p->ngrades; i++) chunk_disassemble(p->grades[i].chunk, out, disasm_operand, ctx);
    for (int i = 0; i < p->noutcomes; i++) chunk_disassemble(p->outcomes[i].chunk, out, disasm_operand, ctx);
}
