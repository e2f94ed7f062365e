/*
** symtab.h — the one symbol table of a rubric: every global name (fact,
** param, table, let, def, period, result, grade, outcome) and what it is,
** so a name means one thing. resolve.c fills it; compile.c, check.c and
** absint.c only look names up. Internal to lang/.
*/
#ifndef KAOHE_SYMTAB_H
#define KAOHE_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

typedef enum SymKind {
    SYM_NONE, SYM_FACT, SYM_PARAM, SYM_TABLE, SYM_LET, SYM_DEF, SYM_PERIOD,
    SYM_RESULT, SYM_GRADE, SYM_OUTCOME
} SymKind;

typedef struct Sym {
    const char *name;
    SymKind kind;
    int index;
    Loc loc;
} Sym;

typedef struct Symtab {
    Sym *syms; int nsyms, csyms;    /* open addressing; csyms a power of two */
} Symtab;

/* NULL when the name is not declared (also before anything is). */
Sym *sym_find(const Symtab *t, const char *name);
/* false, after an error at loc naming the first declaration, when the name
** is already declared. */
bool sym_add(Symtab *t, const char *name, SymKind kind, int index, Loc loc);
const char *sym_kind_name(SymKind k);
/* All names, for "did you mean". */
const char **sym_names(const Symtab *t, size_t *n);
/* The names of one kind only, for "did you mean" where only that kind fits. */
const char **sym_names_of(const Symtab *t, SymKind kind, size_t *n);
/* "Did you mean" over names (diag_suggest), where a tie between a
** candidate of the name's own length and others goes to the one of the
** same length: an input method's wrong character (付主任 for 副主任) is
** likelier than a character too many (付主任 for 主任). NULL: no guess. */
const char *sym_suggest(const char *name, const char *const *candidates, size_t n);

#endif
