/*
** symtab.c — the one symbol table of a rubric (see symtab.h): an
** open-addressing hash table of names, and the message when a name is
** declared twice. It knows nothing of how names are declared or compiled.
*/
#include <gc.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "symtab.h"

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

Sym *sym_find(const Symtab *t, const char *name)
{
    if (t->csyms == 0) return NULL;
    uint32_t mask = (uint32_t)t->csyms - 1;
    for (uint32_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        Sym *s = &t->syms[i];
        if (!s->name) return NULL;
        if (strcmp(s->name, name) == 0) return s;
    }
}

static void put(Symtab *t, Sym s)
{
    uint32_t mask = (uint32_t)t->csyms - 1;
    uint32_t i = hash_name(s.name) & mask;
    while (t->syms[i].name) i = (i + 1) & mask;
    t->syms[i] = s;
    t->nsyms++;
}

static void grow(Symtab *t)
{
    Sym *old = t->syms;
    int oldcap = t->csyms;
    t->csyms = oldcap ? oldcap * 2 : 256;
    t->syms = GC_MALLOC(sizeof(Sym) * (size_t)t->csyms);
    t->nsyms = 0;
    for (int i = 0; i < oldcap; i++)
        if (old[i].name) put(t, old[i]);
}

const char *sym_kind_name(SymKind k)
{
    switch (k) {
    case SYM_FACT: return "a fact";
    case SYM_PARAM: return "a param";
    case SYM_TABLE: return "a table";
    case SYM_LET: return "a let";
    case SYM_DEF: return "a def";
    case SYM_PERIOD: return "a period";
    case SYM_RESULT: return "a result";
    case SYM_GRADE: return "a grade";
    case SYM_OUTCOME: return "an outcome";
    default: return "a name";
    }
}

bool sym_add(Symtab *t, const char *name, SymKind kind, int index, Loc loc)
{
    Sym *prev = sym_find(t, name);
    if (prev) {
        long line = 0, col = 0;
        if (prev->loc.file) diag_line_col(prev->loc.file, prev->loc.start, &line, &col);
        char hint[256];
        if (prev->loc.file)
            snprintf(hint, sizeof hint, "it is %s at %s:%ld:%ld; every name must mean one thing",
                     sym_kind_name(prev->kind), prev->loc.file->path, line, col);
        else
            snprintf(hint, sizeof hint, "it is %s", sym_kind_name(prev->kind));
        diag_at(DIAG_ERROR, loc, hint, "'%s' is already declared", name);
        return false;
    }
    if ((t->nsyms + 1) * 2 > t->csyms) grow(t);
    put(t, (Sym){ name, kind, index, loc });
    return true;
}

const char **sym_names_of(const Symtab *t, SymKind kind, size_t *n)
{
    const char **names = GC_MALLOC(sizeof(char *) * (size_t)(t->nsyms + 1));
    size_t k = 0;
    for (int i = 0; i < t->csyms; i++)
        if (t->syms[i].name && (kind == SYM_NONE || t->syms[i].kind == kind)) names[k++] = t->syms[i].name;
    *n = k;
    return names;
}

const char **sym_names(const Symtab *t, size_t *n)
{
    return sym_names_of(t, SYM_NONE, n);
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((uint8_t)*s & 0xC0) != 0x80;
    return n;
}

const char *sym_suggest(const char *name, const char *const *candidates, size_t n)
{
    const char *any = diag_suggest(name, candidates, n);
    if (any) return any;
    /* diag_suggest gives nothing on a tie: try the candidates of the same length */
    const char **same = GC_MALLOC(sizeof(char *) * (n + 1));
    size_t k = 0, len = code_points(name);
    for (size_t i = 0; i < n; i++)
        if (candidates[i] && code_points(candidates[i]) == len) same[k++] = candidates[i];
    return k ? diag_suggest(name, same, k) : NULL;
}
