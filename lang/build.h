/*
** build.h — the build driver: from a rubric folder (or one file, or source
** strings) to a compiled Program, through parsing, resolving and compiling.
** Every command that reads rules starts here.
*/
#ifndef KAOHE_BUILD_H
#define KAOHE_BUILD_H

#include "ast.h"
#include "program.h"

/* A rubric as `kaohe check` and `kaohe test` read it: the program with its
** syntax tree and symbol table, kept as far as reading got, so a check can
** go on past an unknown name. Each stage promises what a consumer may read:
**   BUILD_NONE      nothing (a rule file did not parse, or a scenario's
**                   edit of the syntax tree was refused);
**   BUILD_PARSED    the syntax tree, complete; nothing in p but p->files;
**   BUILD_DECLARED  every declaration numbered, the symbol table complete;
**                   p->units is the loaded unit list or NULL, each
**                   p->tables[i] a loaded table or NULL (data not loaded);
**   BUILD_RESOLVED  the unit list and every table loaded (and edited);
**   BUILD_COMPILED  the whole program, ready to run. */
typedef enum BuildStage {
    BUILD_NONE, BUILD_PARSED, BUILD_DECLARED, BUILD_RESOLVED, BUILD_COMPILED
} BuildStage;
typedef struct Build {
    Program *p;
    Ast *ast;
    struct Compiler *c;
    BuildStage stage;       /* the last stage that succeeded */
} Build;

typedef struct BuildOpts {
    const char *tests;      /* a folder beside the rule files whose *.kh files are read too */
    /* What a what-if scenario (lang/scenario.c) changes: edit_ast runs after
    ** parsing, before any name is declared; edit_data after the unit list
    ** and tables are loaded, before any formula is compiled. Either returns
    ** false after printing diagnostics. */
    bool (*edit_ast)(Ast *ast, void *ctx);
    bool (*edit_data)(Program *p, void *ctx);
    void *ctx;
} BuildOpts;

/* NULL only when a rule file could not be read at all; otherwise look at
** stage. Diagnostics are printed as for compile_rubric. */
Build *build_rubric(const char *path, const BuildOpts *o);

/* Reads every *.kh file of a rubric directory (sorted by name) or one file,
** with the stdlib first; loads units and tables; resolves, checks and
** compiles. NULL after printing diagnostics. */
Program *compile_rubric(const char *path);
/* The same from source strings (tests): name → text pairs, data files are
** looked up relative to dir. */
Program *compile_sources(const char *dir, int nsrc, const SrcFile *const *srcs);

#endif
