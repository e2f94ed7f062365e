/*
** compiler.h — state shared by resolve.c (declarations, data files),
** compile.c (type checking and code generation) and the checks (check.c,
** absint.c), which read it; build.c runs the stages. Internal to lang/.
*/
#ifndef KAOHE_COMPILER_H
#define KAOHE_COMPILER_H

#include "ast.h"
#include "build.h"
#include "symtab.h"

/* Names one rubric may declare, the stdlib's included: facts, params,
** tables, lets, defs, periods, results, grades, outcomes, the choices of
** 'one of' and of grades, and item numbers. The 2021 rubric has about 150.
** The limit keeps every index within the VM's 16-bit operands, and the
** checks that compare names with each other (two items with one number,
** a choice in 'by') fast. */
#define MAX_NAMES 10000

/* Where an expression is evaluated, which decides what it may read. */
typedef enum Ctx {
    CTX_PARAM,   /* a param: one period, no unit */
    CTX_UP,      /* a unit in a period: items, lets, cohort conditions */
    CTX_U        /* a unit over all periods: results, grades, outcomes */
} Ctx;

typedef struct Scope {
    const char *name;
    int slot;
    Type type;
    int enum_id;
    /* A def argument that compiled to one load instruction is replayed at
    ** each use instead of being stored in a slot (replay_len > 0). */
    uint8_t replay[5];
    int replay_len;
    Loc replay_loc;
    struct Scope *next;
} Scope;

/* One function being compiled into one chunk. */
typedef struct Fn {
    Chunk *chunk;
    Ctx ctx;
    Scope *scope;
    int nlocals;
    int depth, maxdepth;
    ItemDef *item;
    int step_parent;        /* the 'when' step being compiled, or -1 */
    bool step_in_otherwise;
    int inline_depth;
    bool reads_period;      /* for params: depends on the period */
    bool has_inline_loc;
    Loc inline_loc;         /* code inlined from a def is attributed to its call */
    bool too_long;          /* past MAX_CHUNK_CODE: said once, defs no longer expanded */
    int csteps;             /* room in item->steps */
} Fn;

typedef enum DeclState { DS_TODO, DS_BUSY, DS_DONE } DeclState;

typedef struct Compiler {
    Program *p;
    bool failed;
    const char *dir;
    Symtab names;                   /* every global name (symtab.c) */
    const char *units_path;         /* from `units from`, loaded by resolve_data */
    Decl *units_decl;               /* that line, for a file that cannot be opened */
    PtrVec table_decls;             /* Decl * of D_TABLE, by table index */
    PtrVec defs;                    /* Decl * of D_DEF */
    PtrVec param_decls, let_decls, result_decls, grade_decls, outcome_decls;
    PtrVec item_decls;              /* ItemDecl * in program order */
    DeclState *param_state, *let_state, *result_state, *grade_state, *outcome_state;
    int units_decl_count;
    int ccohorts;                   /* room in p->cohorts */
    /* the where being compiled (compile_cohort.c): its 本单位.X, each a
    ** SelfRef; NULL outside a where, where 本单位 and 其他 mean nothing */
    PtrVec *where_selfs;
    int nparams_done;               /* params compiled so far (param_order) */
} Compiler;

/* resolve.c: false after diagnostics. resolve_decls numbers every
** declaration and fills the symbol table (the unit list is only named);
** resolve_data, only after resolve_decls succeeded, loads the unit list
** and the tables. */
bool resolve_decls(Compiler *c, Ast *ast);
bool resolve_data(Compiler *c);
/* file relative to dir (file itself when absolute or dir is NULL or "."). */
const char *join_path(const char *dir, const char *file);
/* compile.c */
bool compile_all(Compiler *c);
void compile_ensure_param(Compiler *c, int i);
void compile_ensure_let(Compiler *c, int i);
void compile_ensure_value(Compiler *c, SymKind kind, int i);

#endif
