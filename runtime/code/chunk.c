/*
** chunk.c — bytecode buffers, their line tables, and the disassembler.
** The opcode name/operand/stack-effect tables are generated here from
** opcodes.h; nothing else lists opcodes.
*/
#include <gc.h>
#include <string.h>

#include "chunk.h"

const char *const op_names[OP__COUNT] = {
#define X(name, operands, effect, doc) #name,
    KAOHE_OPCODES(X)
#undef X
};

const OperandKind op_operands[OP__COUNT] = {
#define X(name, operands, effect, doc) OPND_##operands,
    KAOHE_OPCODES(X)
#undef X
};

const int op_stack_effect[OP__COUNT] = {
#define X(name, operands, effect, doc) effect,
    KAOHE_OPCODES(X)
#undef X
};

const char *const op_docs[OP__COUNT] = {
#define X(name, operands, effect, doc) doc,
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

void chunk_disassemble(const Chunk *c, FILE *out,
                       const char *(*describe)(const Chunk *, OpCode, int, int, void *), void *ctx)
{
    fprintf(out, "== %s (%u bytes, %d constants, stack %d, locals %d) ==\n",
            c->name, c->len, c->nconsts, c->max_stack, c->nlocals);
    for (uint32_t ip = 0; ip < c->len;) {
        OpCode op = (OpCode)c->code[ip];
        Loc loc = chunk_loc_at(c, ip);
        long line = 0, col = 0;
        if (loc.file) diag_line_col(loc.file, loc.start, &line, &col);
        int a = -1, b = -1;
        uint32_t at = ip;
        ip++;
        if (op_operands[op] != OPND_NONE) { a = chunk_read_u16(c->code + ip); ip += 2; }
        if (op_operands[op] == OPND_AB) { b = chunk_read_u16(c->code + ip); ip += 2; }
        fprintf(out, "%04u %4ld:%-3ld %-13s", at, line, col, op_names[op]);
        char ops[32] = "";
        if (a >= 0 && b >= 0) snprintf(ops, sizeof ops, "%d %d", a, b);
        else if (a >= 0) snprintf(ops, sizeof ops, "%d", a);
        fprintf(out, " %-9s", ops);
        const char *what = describe ? describe(c, op, a, b, ctx) : NULL;
        if (op == OP_JUMP || op == OP_JUMP_IF_FALSE || op == OP_JUMP_IF_TRUE || op == OP_AND_JUMP ||
            op == OP_OR_JUMP)
            fprintf(out, " → %04u", ip + (uint32_t)a);
        else if (op == OP_LOOP)
            fprintf(out, " → %04u", ip - (uint32_t)a);
        else if (what)
            fprintf(out, " %s", what);
        print_source(out, loc);
        fputc('\n', out);
    }
}
