/*
** compile.c — fuzz harness for name resolution, type checking and code
** generation: any bytes as a rule file, compiled with the stdlib against
** the scratch folder's unit list and table. A rubric that compiles has
** sound bytecode in every chunk and disassembles; one that does not says
** why in well-formed messages.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "fuzz.h"
#include "program.h"

static void check_program(const Program *p)
{
    const Chunk *chunks[8192];
    int n = 0;
#define ADD(ch) do { if ((ch) && n < 8192) chunks[n++] = (ch); } while (0)
    for (int i = 0; i < p->nparams; i++) ADD(p->params[i].chunk);
    for (int i = 0; i < p->nlets; i++) ADD(p->lets[i].chunk);
    for (int i = 0; i < p->nitems; i++) ADD(p->items[i].chunk);
    for (int i = 0; i < p->ncohorts; i++) ADD(p->cohorts[i].cond);
    for (int i = 0; i < p->nresults; i++) ADD(p->results[i].chunk);
    for (int i = 0; i < p->ngrades; i++) {
        ADD(p->grades[i].chunk);
        ADD(p->grades[i].key);
        for (int b = 0; b < p->grades[i].nbands; b++) ADD(p->grades[i].bands[b].threshold);
    }
    for (int i = 0; i < p->noutcomes; i++) ADD(p->outcomes[i].chunk);
#undef ADD
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    FUZZ_ASSERT(out != NULL);
    for (int i = 0; i < n; i++) {
        fuzz_check_chunk(chunks[i]);
        chunk_disassemble(chunks[i], out, NULL, NULL);
    }
    FUZZ_ASSERT(fclose(out) == 0);
    free(text);
}

int fuzz_compile(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_input(data, size);
    char *text = GC_MALLOC_ATOMIC(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    SrcFile *f = src_from_string("fuzz.kh", text);
    f->len = size;
    const SrcFile *srcs[1] = { f };
    fuzz_begin();
    Program *p = compile_sources(fuzz_dir(), 1, srcs);
    fuzz_check_messages(fuzz_end(), p == NULL);
    if (p) check_program(p);
    return 0;
}
