/*
** reach.c — the reach analysis of a what-if sweep: which params, lets,
** cohorts and items read a param, through any chain of one another. An
** instruction reads what its operand kinds say (opcodes.h): a PARAM, LET or
** COHORT operand names a value whose change flows into this chunk; no list
** of opcodes is kept here.
*/
#include <gc.h>
#include <string.h>

#include "reach.h"

/* The flags of each operand kind that carries a change, or NULL. */
typedef struct Marked {
    const uint8_t *of[OPK__COUNT];
} Marked;

static bool reads_marked(const Chunk *ch, const Marked *m)
{
    for (uint32_t at = 0; at < ch->len;) {
        Instr in = instr_at(ch->code, at);
        for (int k = 0; k < op_noperands[in.op]; k++) {
            const uint8_t *flags = m->of[op_kinds[in.op][k]];
            if (flags && flags[k ? in.b : in.a]) return true;
        }
        at = in.next;
    }
    return false;
}

static bool mark(uint8_t *flag, const Chunk *ch, const Marked *m)
{
    if (*flag || !ch || !reads_marked(ch, m)) return false;
    *flag = 1;
    return true;
}

static uint8_t *flags_new(int n)
{
    uint8_t *f = GC_MALLOC_ATOMIC((size_t)n + 1);
    memset(f, 0, (size_t)n + 1);
    return f;
}

Reach reach_of_param(const Program *p, int param)
{
    Reach r;
    r.params = flags_new(p->nparams);
    r.lets = flags_new(p->nlets);
    r.cohorts = flags_new(p->ncohorts);
    r.items = flags_new(p->nitems);
    Marked m = { { 0 } };
    m.of[OPK_PARAM] = r.params;
    m.of[OPK_LET] = r.lets;
    m.of[OPK_COHORT] = r.cohorts;
    r.params[param] = 1;
    for (bool more = true; more;) {
        more = false;
        for (int i = 0; i < p->nparams; i++) more |= mark(&r.params[i], p->params[i].chunk, &m);
        for (int i = 0; i < p->nlets; i++) more |= mark(&r.lets[i], p->lets[i].chunk, &m);
        for (int i = 0; i < p->ncohorts; i++) {
            if (!r.cohorts[i] && p->cohorts[i].item >= 0 && r.items[p->cohorts[i].item]) {
                r.cohorts[i] = 1;
                more = true;
            }
            more |= mark(&r.cohorts[i], p->cohorts[i].cond, &m);
            more |= mark(&r.cohorts[i], p->cohorts[i].value, &m);
        }
        for (int i = 0; i < p->nitems; i++) more |= mark(&r.items[i], p->items[i].chunk, &m);
    }
    return r;
}
