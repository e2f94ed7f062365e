/*
** parse.c — fuzz harness for the lexer and the parser: any bytes as a rule
** file. Parsing either succeeds silently or fails with well-formed
** messages; the token stream covers the file in order, within its bounds.
*/
#include <gc.h>
#include <string.h>

#include "ast.h"
#include "fuzz.h"
#include "lexstate.h"

/* A rule file's text as src_load gives it: a NUL-terminated copy. */
static SrcFile *as_file(const uint8_t *data, size_t size)
{
    char *text = GC_MALLOC_ATOMIC(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    SrcFile *f = src_from_string("fuzz.kh", text);
    f->len = size;          /* NUL bytes inside are the lexer's to report */
    return f;
}

int fuzz_parse(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_input(data, size);
    SrcFile *f = as_file(data, size);
    Ast ast = { 0 };
    fuzz_begin();
    bool ok = parse_file(&ast, f);
    fuzz_check_messages(fuzz_end(), !ok);
    for (int i = 0; ok && i < ast.decls.n; i++) {
        const Decl *d = ast.decls.items[i];
        FUZZ_ASSERT(d->loc.start <= d->loc.end && d->loc.end <= size);
    }

    enum { MAX_TOKENS = 4096 };
    static LexToken toks[MAX_TOKENS];
    fuzz_begin();
    int n = lex_tokenize(f, toks, MAX_TOKENS);
    fuzz_end();
    FUZZ_ASSERT(n >= 1);
    uint32_t at = 0;
    for (int i = 0; i < n; i++) {
        if (toks[i].kind == 0) break;       /* the end of the file has no span */
        FUZZ_ASSERT(toks[i].start >= at && toks[i].start <= toks[i].end && toks[i].end <= size);
        at = toks[i].end;
    }
    return 0;
}
