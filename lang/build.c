/*
** build.c — the build driver (build.h): finds the rule files of a rubric,
** reads them after the stdlib, and runs the stages in order — parse,
** resolve_decls, resolve_data (with a scenario's edits between them),
** compile_all — stopping at the first that fails. Build.stage says how far
** it got, so a command never looks past the stage that succeeded.
*/
#include <dirent.h>
#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"

static const char stdlib_text[] =
#include "stdlib.inc"
    ;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.kh files of a directory, sorted, so load order never depends on the
** file system. */
static bool list_rule_files(const char *dir, PtrVec *out)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    struct dirent *e;
    PtrVec names = { 0 };
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 3 && strcmp(e->d_name + n - 3, ".kh") == 0 && e->d_name[0] != '.')
            vec_push(&names, GC_STRDUP(e->d_name));
    }
    closedir(d);
    if (names.n) qsort(names.items, (size_t)names.n, sizeof(void *), cmp_str);
    for (int i = 0; i < names.n; i++)
        vec_push(out, (void *)join_path(dir, names.items[i]));
    return true;
}

/* The files of the tests folder (srcs from index first on) hold rule tests
** only: `kaohe run` does not read them, so a param, a period or an item
** there would make `kaohe test` pass on a rubric that `run` refuses, or
** test other rules than run scores. */
static bool only_tests(const Ast *ast, const PtrVec *srcs, int first)
{
    bool ok = true;
    for (int i = 0; i < ast->decls.n; i++) {
        const Decl *d = ast->decls.items[i];
        if (d->kind == D_TEST) continue;
        for (int k = first; k < srcs->n; k++) {
            if (d->file != srcs->items[k]) continue;
            diag_at(DIAG_ERROR, d->loc, "move it to a rule file of the rubric folder: kaohe run does not read tests/",
                    "a rule test file holds only tests");
            ok = false;
        }
    }
    return ok;
}

static Build *build(const char *dir, const char *rules_path, PtrVec *srcs, int first_test, const BuildOpts *o)
{
    Build *b = GC_NEW(Build);
    Program *p = GC_NEW(Program);
    p->rules_path = rules_path;
    Compiler *c = GC_NEW(Compiler);
    c->p = p;
    c->dir = dir;
    Ast *ast = GC_NEW(Ast);
    b->p = p;
    b->c = c;
    b->ast = ast;
    bool ok = parse_file(ast, src_from_string("<stdlib>", stdlib_text));
    for (int i = 0; i < srcs->n; i++)
        if (!parse_file(ast, srcs->items[i])) ok = false;
    p->files = ast->files;
    if (!ok || !only_tests(ast, srcs, first_test)) return b;
    if (o && o->edit_ast && !o->edit_ast(ast, o->ctx)) return b;
    b->stage = BUILD_PARSED;
    if (!resolve_decls(c, ast) || c->failed) return b;
    b->stage = BUILD_DECLARED;
    if (!resolve_data(c) || c->failed) return b;
    if (o && o->edit_data && !o->edit_data(p, o->ctx)) return b;
    b->stage = BUILD_RESOLVED;
    if (!compile_all(c) || c->failed) return b;
    b->stage = BUILD_COMPILED;
    return b;
}

Build *build_rubric(const char *path, const BuildOpts *o)
{
    PtrVec files = { 0 };
    const char *dir;
    int first_test;
    if (list_rule_files(path, &files)) {
        dir = path;
        if (files.n == 0) {
            diag_plain(DIAG_ERROR, "a rubric is a folder of .kh rule files (or one .kh file)",
                       "no .kh rule files in %s", path);
            return NULL;
        }
        first_test = files.n;
        if (o && o->tests) list_rule_files(join_path(dir, o->tests), &files);
    } else {
        const char *slash = strrchr(path, '/');
        if (slash) {
            size_t n = (size_t)(slash - path);
            char *d = GC_MALLOC_ATOMIC(n + 1);
            memcpy(d, path, n);
            d[n] = '\0';
            dir = d;
        } else {
            dir = ".";
        }
        vec_push(&files, (void *)path);
        first_test = files.n;
        if (o && o->tests) list_rule_files(join_path(dir, o->tests), &files);
    }
    PtrVec srcs = { 0 };
    for (int i = 0; i < files.n; i++) {
        SrcFile *f = src_load(files.items[i]);
        if (!f) return NULL;
        vec_push(&srcs, f);
    }
    return build(dir, path, &srcs, first_test, o);
}

Program *compile_rubric(const char *path)
{
    Build *b = build_rubric(path, NULL);
    return b && b->stage == BUILD_COMPILED ? b->p : NULL;
}

Program *compile_sources(const char *dir, int nsrc, const SrcFile *const *srcs)
{
    PtrVec v = { 0 };
    for (int i = 0; i < nsrc; i++) vec_push(&v, (void *)srcs[i]);
    Build *b = build(dir, dir, &v, v.n, NULL);
    return b->stage == BUILD_COMPILED ? b->p : NULL;
}
