/*
** chunk.c — bytecode buffers, their line tables, the decoder and verifier,
** and the disassembler. The opcode tables (names, operand kinds, lengths,
** pops and pushes, flow) are generated here from opcodes.h; nothing else
** lists opcodes. Naming what an operand indexes in a compiled rubric is
** disasm.c's, which knows the program.
*/
#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"

const char *const op_names[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) #name,
    KAOHE_OPCODES(X)
#undef X
};

const uint8_t op_kinds[OP__COUNT][2] = {
#define X(name, a, b, pops, pushes, flow, doc) { OPK_##a, OPK_##b },
    KAOHE_OPCODES(X)
#undef X
};

#define NOPERANDS(a, b) ((OPK_##a != OPK_NO) + (OPK_##b != OPK_NO))

const uint8_t op_noperands[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) NOPERANDS(a, b),
    KAOHE_OPCODES(X)
#undef X
};

const uint8_t op_length[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) 1 + 2 * NOPERANDS(a, b),
    KAOHE_OPCODES(X)
#undef X
};

/* b is present only after a: the decoders read a first. */
#define X(name, a, b, pops, pushes, flow, doc) \
    _Static_assert(OPK_##a != OPK_NO || OPK_##b == OPK_NO, #name ": operand b without a");
KAOHE_OPCODES(X)
#undef X

const uint8_t op_pops[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) pops,
    KAOHE_OPCODES(X)
#undef X
};

const uint8_t op_pushes[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) pushes,
    KAOHE_OPCODES(X)
#undef X
};

const int op_stack_effect[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) (pushes) - (pops),
    KAOHE_OPCODES(X)
#undef X
};

const uint8_t op_flow[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) FLOW_##flow,
    KAOHE_OPCODES(X)
#undef X
};

/* A jump's operand says how far: FWD or BACK exactly when the flow jumps. */
#define X(name, a, b, pops, pushes, flow, doc)                                        \
    _Static_assert((FLOW_##flow == FLOW_NEXT || FLOW_##flow == FLOW_END) ==           \
                       (OPK_##a != OPK_FWD && OPK_##a != OPK_BACK),                   \
                   #name ": a jump needs a FWD or BACK operand, and only a jump");    \
    _Static_assert((FLOW_##flow == FLOW_BACK) == (OPK_##a == OPK_BACK), #name ": BACK flow needs a BACK operand");
KAOHE_OPCODES(X)
#undef X

const char *const op_docs[OP__COUNT] = {
#define X(name, a, b, pops, pushes, flow, doc) doc,
    KAOHE_OPCODES(X)
#undef X
};

Chunk *chunk_new(const char *name)
{
    Chunk *c = GC_NEW(Chunk);
    c->name = name;
    return c;
}

static void put_byte(Chunk *c, uint8_t b)
{
    if (c->len == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 64;
        uint8_t *code = GC_MALLOC_ATOMIC(cap);
        if (c->len) memcpy(code, c->code, c->len);
        c->code = code;
        c->cap = cap;
    }
    c->code[c->len++] = b;
}

void chunk_emit_op(Chunk *c, OpCode op, Loc loc)
{
    bool same = c->nlines > 0 && c->lines[c->nlines - 1].loc.file == loc.file &&
                c->lines[c->nlines - 1].loc.start == loc.start &&
                c->lines[c->nlines - 1].loc.end == loc.end;
    if (!same) {
        if (c->nlines == c->clines) {
            int cap = c->clines ? c->clines * 2 : 16;
            LineRun *lines = GC_MALLOC(sizeof(LineRun) * (size_t)cap);
            if (c->nlines) memcpy(lines, c->lines, sizeof(LineRun) * (size_t)c->nlines);
            c->lines = lines;
            c->clines = cap;
        }
        c->lines[c->nlines].offset = c->len;
        c->lines[c->nlines].loc = loc;
        c->nlines++;
    }
    put_byte(c, (uint8_t)op);
}

void chunk_emit_u16(Chunk *c, uint16_t v)
{
    put_byte(c, (uint8_t)(v & 0xFF));
    put_byte(c, (uint8_t)(v >> 8));
}

int chunk_add_const(Chunk *c, Value v)
{
    if (c->nconsts == c->cconsts) {
        int cap = c->cconsts ? c->cconsts * 2 : 8;
        Value *k = GC_MALLOC(sizeof(Value) * (size_t)cap);
        if (c->nconsts) memcpy(k, c->consts, sizeof(Value) * (size_t)c->nconsts);
        c->consts = k;
        c->cconsts = cap;
    }
    c->consts[c->nconsts] = v;
    return c->nconsts++;
}

Loc chunk_loc_at(const Chunk *c, uint32_t off)
{
    Loc none = { NULL, 0, 0 };
    int lo = 0, hi = c->nlines - 1, found = -1;
    while (lo <= hi) {    /* last run starting at or before off */
        int mid = (lo + hi) / 2;
        if (c->lines[mid].offset <= off) { found = mid; lo = mid + 1; }
        else hi = mid - 1;
    }
    return found < 0 ? none : c->lines[found].loc;
}

/* The source text of a span, on one line, shortened for a listing. */
static void print_source(FILE *out, Loc loc)
{
    if (!loc.file) return;
    const char *s = loc.file->text + loc.start;
    size_t n = loc.end - loc.start, shown = 0;
    fputs("  ", out);
    size_t i = 0;
    for (; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool starts_char = (ch & 0xC0) != 0x80;
        if (starts_char && shown == 48) break;      /* never cut a character */
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
        fputc(ch, out);
        if (starts_char) shown++;
    }
    if (i < n) fputs("…", out);
}

bool chunk_decode(const Chunk *c, uint32_t at, Instr *out)
{
    if (at >= c->len || c->code[at] >= OP__COUNT) return false;
    if (at + op_length[c->code[at]] > c->len) return false;
    *out = instr_at(c->code, at);
    return true;
}

/* ---- verification ------------------------------------------------------------ */

static char verify_msg[128];

static const char *fault_at(uint32_t at, const char *what)
{
    snprintf(verify_msg, sizeof verify_msg, "at %04u: %s", at, what);
    return verify_msg;
}

/* Instruction starts, and every operand that indexes the chunk itself in range. */
static const char *verify_decode(const Chunk *c, bool *start)
{
    for (uint32_t at = 0; at < c->len;) {
        Instr in;
        if (!chunk_decode(c, at, &in)) return fault_at(at, "an unknown opcode or a cut instruction");
        start[at] = true;
        for (int k = 0; k < op_noperands[in.op]; k++) {
            int v = k ? in.b : in.a;
            OperandKind kind = (OperandKind)op_kinds[in.op][k];
            if (kind == OPK_K && v >= c->nconsts) return fault_at(at, "a constant out of range");
            if (kind == OPK_LOCAL && v >= c->nlocals) return fault_at(at, "a local out of range");
            if (kind == OPK_RANK && v >= RANK__ORDERS) return fault_at(at, "a rank order out of range");
        }
        at = in.next;
    }
    for (int i = 0; i < c->nlines; i++) {
        if (c->lines[i].offset >= c->len || !start[c->lines[i].offset])
            return fault_at(c->lines[i].offset, "a line run not at an instruction");
        if (i && c->lines[i].offset <= c->lines[i - 1].offset)
            return fault_at(c->lines[i].offset, "line runs out of order");
    }
    return NULL;
}

/* Gives target the depth d, or checks the depth it was given. */
static const char *verify_edge(const Chunk *c, const bool *start, int *depth, uint32_t *work, int *nwork,
                               uint32_t from, uint32_t target, int d)
{
    if (target >= c->len || !start[target]) return fault_at(from, "a path off the end or into an instruction");
    if (depth[target] < 0) {
        depth[target] = d;
        work[(*nwork)++] = target;
    } else if (depth[target] != d) {
        return fault_at(target, "two paths arrive with different stack depths");
    }
    return NULL;
}

/* Depths by a walk over every path from offset 0. */
static const char *verify_depths(const Chunk *c, const bool *start, int *depth, uint32_t *work)
{
    int nwork = 0;
    for (uint32_t i = 0; i <= c->len; i++) depth[i] = -1;
    depth[0] = 0;
    work[nwork++] = 0;
    while (nwork) {
        Instr in = instr_at(c->code, work[--nwork]);
        int d = depth[in.at];
        if (d < op_pops[in.op]) return fault_at(in.at, "pops more values than the stack holds");
        int next = d + op_stack_effect[in.op];
        if (next > c->max_stack)
            return fault_at(in.at, "the stack grows past max_stack");
        const char *bad = NULL;
        if (op_falls_through(in.op)) bad = verify_edge(c, start, depth, work, &nwork, in.at, in.next, next);
        if (!bad && op_jumps(in.op)) {
            if (op_kinds[in.op][0] == OPK_BACK && (uint32_t)in.a > in.next)
                return fault_at(in.at, "a loop back past the start");
            bad = verify_edge(c, start, depth, work, &nwork, in.at, instr_target(&in),
                              op_flow[in.op] == FLOW_KEEP ? d : next);
        }
        if (bad) return bad;
    }
    return NULL;
}

const char *chunk_verify(const Chunk *c)
{
    if (c->len == 0) return fault_at(0, "an empty chunk");
    bool *start = calloc(c->len + 1, sizeof *start);
    int *depth = malloc((c->len + 1) * sizeof *depth);
    uint32_t *work = malloc((c->len + 1) * sizeof *work);
    const char *bad = "out of memory";
    if (start && depth && work) {
        bad = verify_decode(c, start);
        if (!bad) bad = verify_depths(c, start, depth, work);
    }
    free(start);
    free(depth);
    free(work);
    return bad;
}

/* ---- the disassembler ------------------------------------------------------------ */

void chunk_disassemble(const Chunk *c, FILE *out, OperandNamer describe, void *ctx)
{
    fprintf(out, "== %s (%u bytes, %d constants, stack %d, locals %d) ==\n",
            c->name, c->len, c->nconsts, c->max_stack, c->nlocals);
    for (uint32_t ip = 0; ip < c->len;) {
        Instr in = instr_at(c->code, ip);
        Loc loc = chunk_loc_at(c, ip);
        long line = 0, col = 0;
        if (loc.file) diag_line_col(loc.file, loc.start, &line, &col);
        ip = in.next;
        fprintf(out, "%04u %4ld:%-3ld %-13s", in.at, line, col, op_names[in.op]);
        char ops[32] = "";
        if (in.b >= 0) snprintf(ops, sizeof ops, "%d %d", in.a, in.b);
        else if (in.a >= 0) snprintf(ops, sizeof ops, "%d", in.a);
        fprintf(out, " %-9s", ops);
        const char *what = describe ? describe(c, &in, ctx) : NULL;
        if (op_jumps(in.op))
            fprintf(out, " → %04u", instr_target(&in));
        else if (what)
            fprintf(out, " %s", what);
        print_source(out, loc);
        fputc('\n', out);
    }
}
