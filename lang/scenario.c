/*
** scenario.c — what-if scenarios: --set, --scenario, --table and --sweep,
** applied to a fresh parse of the rubric before it is compiled, so the
** scenario's rubric is checked and compiled like any other and every
** command can run it. Changes to formulas are made in the syntax tree
** (before names are declared); changes to table files and rows after the
** tables are loaded. Nothing here writes a file or evaluates a rule.
** Diagnostics for an option's value point into the value as typed, with
** the option as the file name ("--set:1:6").
*/
#include <errno.h>
#include <gc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checker.h"
#include "compiler.h"
#include "lexstate.h"
#include "scenario.h"
#include "scenario_impl.h"

Scenario *scenario_new(void)
{
    return GC_NEW(Scenario);
}

bool scenario_add(Scenario *s, ScenarioOpt kind, const char *value)
{
    if (kind == SCENARIO_SWEEP && s->sweep_opt) return false;
    Opt *o = GC_NEW(Opt);
    o->kind = kind;
    o->arg = value;
    if (kind == SCENARIO_SWEEP) s->sweep_opt = o;
    else vec_push(&s->opts, o);
    return true;
}

bool scenario_is_empty(const Scenario *s)
{
    return s->opts.n == 0 && !s->sweep_opt;
}

bool scenario_has_sweep(const Scenario *s)
{
    return s->sweep_opt != NULL;
}

int scenario_parts(const Scenario *s, const ScenarioPart **parts)
{
    *parts = s->parts;
    return s->nparts;
}

const Sweep *scenario_sweep(const Scenario *s)
{
    return s->sweep_opt ? &s->sweep : NULL;
}

void sweep_set_value(Program *p, const Sweep *sw, Num v)
{
    Chunk *ch = p->params[sw->param].chunk;
    ch->consts[chunk_read_u16(ch->code + 1)] = val_num(v);
}

/* ---- finding what a change changes -------------------------------------------- */

static void change_error(Scenario *s, Loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void change_error(Scenario *s, Loc loc, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(DIAG_ERROR, loc, hint, fmt, ap);
    va_end(ap);
    if (s->cur->from_option) s->option_failed = true;
    else s->file_failed = true;
}

static bool has_name(const Decl *d)
{
    switch (d->kind) {
    case D_PARAM: case D_TABLE: case D_LET: case D_DEF: case D_RESULT: case D_GRADE: case D_OUTCOME:
        return true;
    default:
        return false;
    }
}

/* The last declaration named name (a rubric's def comes after the stdlib's
** of the same name and replaces it), or NULL; *at is its index. */
static Decl *find_named(const PtrVec *decls, const char *name, int *at)
{
    for (int i = decls->n - 1; i >= 0; i--) {
        Decl *d = decls->items[i];
        if (has_name(d) && strcmp(d->name, name) == 0) {
            if (at) *at = i;
            return d;
        }
    }
    return NULL;
}

static bool is_fact(const PtrVec *decls, const char *name)
{
    for (int i = 0; i < decls->n; i++) {
        const Decl *d = decls->items[i];
        if (d->kind != D_FACT) continue;
        for (int k = 0; k < d->names.n; k++)
            if (strcmp(d->names.items[k], name) == 0) return true;
    }
    return false;
}

static const char *kind_word(DeclKind k)
{
    switch (k) {
    case D_PARAM: return "a param";
    case D_TABLE: return "a table";
    case D_LET: return "a let";
    case D_DEF: return "a def";
    case D_RESULT: return "a result";
    case D_GRADE: return "a grade";
    case D_OUTCOME: return "an outcome";
    case D_SECTION: return "a section";
    default: return "a declaration";
    }
}

/* "did you mean 'x'?" into buf, or fallback when nothing is close. */
static const char *suggest(char *buf, size_t cap, const char *name, PtrVec *cands, const char *fallback)
{
    const char *s = diag_suggest(name, (const char *const *)cands->items, (size_t)cands->n);
    if (!s) return fallback;
    snprintf(buf, cap, "did you mean '%s'?", s);
    return buf;
}

/* Names of the declarations of the kinds in mask (bit per DeclKind). */
static void names_of(const PtrVec *decls, unsigned mask, PtrVec *out)
{
    for (int i = 0; i < decls->n; i++) {
        Decl *d = decls->items[i];
        if (has_name(d) && (mask & (1u << d->kind))) vec_push(out, (void *)d->name);
    }
}

/* Every `by` in e with a case key (with period_only, only `by period`):
** *n counts them, *by and *idx are the first. */
static void find_case(Expr *e, const char *key, bool period_only, Expr **by, int *idx, int *n)
{
    if (!e) return;
    if (e->kind == E_BY && (!period_only || strcmp(e->name, "period") == 0)) {
        for (int i = 0; i < e->keys.n; i++) {
            if (strcmp(e->keys.items[i], key) != 0) continue;
            if (*n == 0) { *by = e; *idx = i; }
            (*n)++;
        }
    }
    find_case(e->a, key, period_only, by, idx, n);
    find_case(e->b, key, period_only, by, idx, n);
    find_case(e->c, key, period_only, by, idx, n);
    for (int i = 0; i < e->args.n; i++) find_case(e->args.items[i], key, period_only, by, idx, n);
}

static void case_keys(Expr *e, PtrVec *out)
{
    if (!e) return;
    if (e->kind == E_BY)
        for (int i = 0; i < e->keys.n; i++) vec_push(out, e->keys.items[i]);
    case_keys(e->a, out);
    case_keys(e->b, out);
    case_keys(e->c, out);
    for (int i = 0; i < e->args.n; i++) case_keys(e->args.items[i], out);
}

/* The new value must have the type of what it replaces (checked where the
** value is compiled, so the message points at the value). A choice is
** left to the checks of `by` and `is`. */
static void expect_type(Scenario *s, Expr *value, Type t, const char *of)
{
    if (value->kind == E_NAME && strcmp(value->name, SWEEP_PARAM) == 0 && t != T_NUM && t != T_UNKNOWN) {
        change_error(s, value->loc, "sweep a number: a param, a grade's band or a rate",
                     "'%s' is %s; only a number can be swept", of, t == T_BOOL ? "a yes/no value" : "a choice");
        return;
    }
    if (t == T_ENUM || t == T_UNKNOWN) return;
    value->want_type = t;
    value->want_of = of;
}

/* The sweep's value takes the place of old: a percentage written in the
** rubric (优秀比例 = 30%) makes the swept values read as percentages. */
static void note_replaced(Scenario *s, const Expr *value, const Expr *old)
{
    if (value->kind != E_NAME || strcmp(value->name, SWEEP_PARAM) != 0 || !old || old->kind != E_NUM) return;
    Loc l = old->loc;
    if (l.file && l.end > l.start && l.file->text[l.end - 1] == '%') s->sweep.percent = true;
}

static Type base_param_type(const Scenario *s, const char *name)
{
    for (int i = 0; i < s->base->nparams; i++)
        if (strcmp(s->base->params[i].name, name) == 0) return s->base->params[i].type;
    return T_UNKNOWN;
}

/* The type the rubric gave the `by` case key of declaration name, if there
** is exactly one (unknown when an earlier change replaced the rule). */
static Type base_case_type(const Scenario *s, const char *name, const char *key)
{
    Decl *d = find_named(&s->base_decls, name, NULL);
    Expr *by = NULL;
    int idx = 0, n = 0;
    if (d) find_case(d->value, key, false, &by, &idx, &n);
    return n == 1 ? ((Expr *)by->args.items[idx])->type : T_UNKNOWN;
}

static const char *dotted(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = GC_MALLOC_ATOMIC(n);
    snprintf(s, n, "%s.%s", a, b);
    return s;
}

static const Decl *periods_decl(const PtrVec *decls)
{
    for (int i = 0; i < decls->n; i++)
        if (((Decl *)decls->items[i])->kind == D_PERIOD) return decls->items[i];
    return NULL;
}

static int index_of(const PtrVec *names, const char *name)
{
    for (int i = 0; i < names->n; i++)
        if (strcmp(names->items[i], name) == 0) return i;
    return -1;
}

/* ---- changes to the syntax tree ------------------------------------------------ */

/* set 时序进度.过程 = v: the 过程 case of the param's `by period`, or, when
** the param does not differ by period, `by period { 过程: v, 年度: old }`. */
static void set_period(Scenario *s, Decl *t, Decl *d, const Decl *per, int k)
{
    Expr *by = NULL;
    int idx = 0, n = 0;
    find_case(t->value, d->key, true, &by, &idx, &n);
    expect_type(s, d->value, base_param_type(s, t->name), dotted(t->name, d->key));
    if (n > 1) {
        change_error(s, d->key_loc, "write the param again in the scenario: param 名称 = …",
                     "'%s' has %d 'by period' with a case '%s'; which one is meant is unclear", t->name, n, d->key);
    } else if (n == 1) {
        note_replaced(s, d->value, by->args.items[idx]);
        by->args.items[idx] = d->value;
    } else {
        note_replaced(s, d->value, t->value);
        Expr *e = expr_new(E_BY, t->value->loc);
        e->name = "period";
        e->name_loc = t->value->loc;
        for (int i = 0; i < per->names.n; i++) {
            vec_push(&e->keys, per->names.items[i]);
            vec_push(&e->key_locs, loc_box(i == k ? d->key_loc : t->value->loc));
            vec_push(&e->args, i == k ? d->value : t->value);
        }
        t->value = e;
    }
}

/* set 等次.良好 = v: the threshold of a band. */
static void set_band(Scenario *s, Decl *t, Decl *d)
{
    int b = index_of(&t->names, d->key);
    char hint[160];
    if (b < 0) {
        change_error(s, d->key_loc, suggest(hint, sizeof hint, d->key, &t->names, "the bands are listed in the grade"),
                     "grade '%s' has no band '%s'", t->name, d->key);
    } else if (!t->exprs.items[b]) {
        change_error(s, d->key_loc, "change the threshold of a band above it instead",
                     "band '%s' of grade '%s' is 'otherwise': it has no threshold", d->key, t->name);
    } else {
        expect_type(s, d->value, T_NUM, dotted(t->name, d->key));
        note_replaced(s, d->value, t->exprs.items[b]);
        t->exprs.items[b] = d->value;
        if (d->value->kind == E_NUM) vec_push(&s->banded, (void *)s->cur);
    }
}

/* set 能力建设补助.良好 = v: the case of the (one) `by` with that case. */
static void set_case(Scenario *s, Decl *t, Decl *d, const Decl *per)
{
    Expr *by = NULL;
    int idx = 0, n = 0;
    find_case(t->value, d->key, false, &by, &idx, &n);
    if (n == 1) {
        expect_type(s, d->value, base_case_type(s, t->name, d->key), dotted(t->name, d->key));
        note_replaced(s, d->value, by->args.items[idx]);
        by->args.items[idx] = d->value;
        return;
    }
    if (n > 1) {
        change_error(s, d->key_loc, "write the rule again in the scenario",
                     "'%s' has a case '%s' in %d places; which one is meant is unclear", t->name, d->key, n);
        return;
    }
    PtrVec keys = { 0 };
    case_keys(t->value, &keys);
    if (t->kind == D_PARAM && per)
        for (int i = 0; i < per->names.n; i++) vec_push(&keys, per->names.items[i]);
    char hint[160];
    change_error(s, d->key_loc,
                 suggest(hint, sizeof hint, d->key, &keys, "after the '.' comes a period, a grade's band or a case of a 'by'"),
                 "'%s' has no case '%s'", t->name, d->key);
}

static void apply_set(Scenario *s, PtrVec *decls)
{
    Decl *d = s->cur->d;
    Decl *t = find_named(decls, d->name, NULL);
    char hint[200];
    if (!t || t->kind == D_TABLE || t->kind == D_DEF) {
        if (t && t->kind == D_TABLE) {
            snprintf(hint, sizeof hint, "change its file (--table %s=FILE) or, in a scenario file, a row: table %s row 单位 { 列: 值 }",
                     d->name, d->name);
            change_error(s, d->name_loc, hint, "'%s' is a table; set changes params, bands and cases", d->name);
        } else if (t) {
            change_error(s, d->name_loc, "write the def again in a scenario file", "'%s' is a def; set changes params, bands and cases",
                         d->name);
        } else if (is_fact(decls, d->name)) {
            change_error(s, d->name_loc, "facts come from the fact file; a scenario changes measures",
                         "'%s' is a fact", d->name);
        } else {
            PtrVec cands = { 0 };
            unsigned mask = 1u << D_PARAM;
            if (d->key) mask |= 1u << D_GRADE | 1u << D_RESULT | 1u << D_OUTCOME | 1u << D_LET;
            names_of(decls, mask, &cands);
            change_error(s, d->name_loc,
                         suggest(hint, sizeof hint, d->name, &cands,
                                 "set changes a param (人员标准), its value in one period (时序进度.过程), "
                                 "a grade's band (等次.良好) or a case of a 'by' (能力建设补助.良好)"),
                         d->key ? "unknown name '%s'" : "unknown param '%s'", d->name);
        }
        return;
    }
    if (!d->key) {
        if (t->kind == D_PARAM) {
            expect_type(s, d->value, base_param_type(s, t->name), t->name);
            /* The value, and where explanations say it was set, are the
            ** set's now; so are the reasons (the rubric's were for its own
            ** value). */
            note_replaced(s, d->value, t->value);
            t->value = d->value;
            t->name_loc = d->name_loc;
            t->at = d->at;
        } else if (t->kind == D_GRADE) {
            snprintf(hint, sizeof hint, "name the band, e.g. %s.%s", t->name,
                     t->names.n ? (const char *)t->names.items[0] : "优秀");
            change_error(s, d->name_loc, hint, "a grade has a threshold for each band; say which");
        } else {
            snprintf(hint, sizeof hint, "to change its formula, write it again in a scenario file: %s %s = …",
                     t->kind == D_RESULT ? "result" : t->kind == D_LET ? "let" : "outcome", t->name);
            change_error(s, d->name_loc, hint, "'%s' is %s; set changes params, bands and cases", d->name,
                         kind_word(t->kind));
        }
        return;
    }
    const Decl *per = periods_decl(decls);
    int k = t->kind == D_PARAM && per ? index_of(&per->names, d->key) : -1;
    if (k >= 0) set_period(s, t, d, per, k);
    else if (t->kind == D_GRADE) set_band(s, t, d);
    else set_case(s, t, d, per);
}

/* A param, let, def, result, grade or outcome, or `round items to`:
** replaces the rubric's declaration of the same name (in its place, so the
** output keeps its column order), or is added. */
static void apply_decl(Scenario *s, PtrVec *decls)
{
    Decl *d = s->cur->d;
    int at = -1;
    if (d->kind == D_ROUND_ITEMS) {
        for (int i = 0; i < decls->n; i++)
            if (((Decl *)decls->items[i])->kind == D_ROUND_ITEMS) at = i;
    } else {
        Decl *t = find_named(decls, d->name, &at);
        if (t && t->kind != d->kind) {
            change_error(s, d->name_loc, "give the changed rule the kind it has in the rubric",
                         "'%s' is %s in the rubric, not %s", d->name, kind_word(t->kind), kind_word(d->kind));
            return;
        }
        if (!t && is_fact(decls, d->name)) {
            change_error(s, d->name_loc, "facts come from the fact file; a scenario changes measures",
                         "'%s' is a fact", d->name);
            return;
        }
        if (d->kind == D_PARAM && t) expect_type(s, d->value, base_param_type(s, d->name), d->name);
    }
    if (at >= 0) decls->items[at] = d;
    else vec_push(decls, d);
}

/* Item id in the rubric's sections: the section declaration and the place. */
static Decl *find_item(const PtrVec *decls, const char *id, int *k)
{
    for (int i = 0; i < decls->n; i++) {
        Decl *sec = decls->items[i];
        if (sec->kind != D_SECTION) continue;
        for (int j = 0; j < sec->items.n; j++) {
            if (strcmp(((ItemDecl *)sec->items.items[j])->id, id) == 0) {
                *k = j;
                return sec;
            }
        }
    }
    return NULL;
}

/* `item N …` written on its own: replaces item N. */
static void apply_items(Scenario *s, PtrVec *decls)
{
    Decl *d = s->cur->d;
    for (int i = 0; i < d->items.n; i++) {
        ItemDecl *it = d->items.items[i];
        int k;
        Decl *sec = find_item(decls, it->id, &k);
        if (sec) {
            sec->items.items[k] = it;
            continue;
        }
        PtrVec ids = { 0 };
        for (int j = 0; j < decls->n; j++) {
            Decl *x = decls->items[j];
            if (x->kind == D_SECTION)
                for (int m = 0; m < x->items.n; m++) vec_push(&ids, (void *)((ItemDecl *)x->items.items[m])->id);
        }
        const char *near = diag_suggest(it->id, (const char *const *)ids.items, (size_t)ids.n);
        char hint[200];
        if (near) snprintf(hint, sizeof hint, "did you mean item %s? (to add an item, write it inside its section: section \"…\" { item … })", near);
        else snprintf(hint, sizeof hint, "to add an item, write it inside its section: section \"…\" { item … }");
        change_error(s, it->id_loc, hint, "there is no item %s in the rubric", it->id);
    }
}

/* `section "title" { items }`: items of an existing section are replaced
** (same id) or added; a section with a new title is added. */
static void apply_section(Scenario *s, PtrVec *decls)
{
    Decl *d = s->cur->d;
    Decl *sec = NULL;
    PtrVec titles = { 0 };
    for (int i = 0; i < decls->n; i++) {
        Decl *x = decls->items[i];
        if (x->kind != D_SECTION || !x->name) continue;
        vec_push(&titles, (void *)x->name);
        if (strcmp(x->name, d->name) == 0) sec = x;
    }
    if (!sec) {
        const char *near = diag_suggest(d->name, (const char *const *)titles.items, (size_t)titles.n);
        if (near) {
            char hint[256];
            snprintf(hint, sizeof hint, "did you mean \"%s\"? (a new section needs a title unlike the others)", near);
            change_error(s, d->name_loc, hint, "there is no section \"%s\" in the rubric", d->name);
        } else {
            vec_push(decls, d);
        }
        return;
    }
    if (sec->section_kind != d->section_kind) {
        change_error(s, d->loc, "write it with the keyword it has in the rubric (section, penalty or bonus)",
                     "\"%s\" is a different kind of section in the rubric", d->name);
        return;
    }
    if (d->value) sec->value = d->value;
    for (int i = 0; i < d->items.n; i++) {
        ItemDecl *it = d->items.items[i];
        int k;
        Decl *where = find_item(decls, it->id, &k);
        if (where == sec) {
            sec->items.items[k] = it;
        } else if (where) {
            char hint[256];
            snprintf(hint, sizeof hint, "it is in section \"%s\"; write it outside any section to replace it", where->name);
            change_error(s, it->id_loc, hint, "item %s is in another section", it->id);
        } else {
            vec_push(&sec->items, it);
        }
    }
}

static bool apply_ast(Ast *ast, void *ctx)
{
    Scenario *s = ctx;
    for (int i = 0; i < s->changes.n; i++) {
        s->cur = s->changes.items[i];
        Decl *d = s->cur->d;
        switch (d->kind) {
        case D_SET: apply_set(s, &ast->decls); break;
        case D_PARAM: case D_LET: case D_DEF: case D_RESULT: case D_GRADE: case D_OUTCOME: case D_ROUND_ITEMS:
            apply_decl(s, &ast->decls);
            break;
        case D_SECTION:
            if (d->name) apply_section(s, &ast->decls);
            else apply_items(s, &ast->decls);
            break;
        case D_TABLE:
            change_error(s, d->loc, "write: table 民生任务 from \"FILE\" (same key and totals), or table 民生任务 row 单位 { 列: 值 }",
                         "a scenario changes a table's file or rows, not its declaration");
            break;
        case D_ROW: case D_TABLE_FILE:
            break;      /* after the tables are loaded: apply_data */
        case D_RUBRIC: case D_UNITS: case D_PERIOD: case D_FACT: case D_TEST: case D_SCENARIO: {
            const char *what = d->kind == D_RUBRIC ? "the rubric's title" : d->kind == D_UNITS ? "the unit list"
                             : d->kind == D_PERIOD ? "the periods" : d->kind == D_FACT ? "the facts"
                             : d->kind == D_TEST ? "the rule tests (they stay in tests/)" : "another scenario";
            if (d->kind != D_SCENARIO)    /* already reported when the file was read */
                change_error(s, d->loc, "a scenario changes measures: params, grades, tables, items, results, outcomes",
                             "a scenario cannot change %s", what);
            break;
        }
        }
    }
    return !s->option_failed && !s->file_failed;
}

/* ---- changes to the loaded tables -------------------------------------------- */

static int table_named(Scenario *s, const Program *p, const Decl *d)
{
    PtrVec names = { 0 };
    for (int i = 0; i < p->ntables; i++) {
        if (strcmp(p->table_specs[i].name, d->name) == 0) return i;
        vec_push(&names, (void *)p->table_specs[i].name);
    }
    char hint[160];
    change_error(s, d->name_loc, suggest(hint, sizeof hint, d->name, &names, "tables are declared with 'table' in the rubric"),
                 "unknown table '%s'", d->name);
    return -1;
}

/* A cell written in a scenario: a number, possibly negative. */
static bool cell_value(const Expr *e, Num *out)
{
    if (e->kind == E_NUM) { *out = e->num; return true; }
    if (e->kind == E_NEG && e->a->kind == E_NUM) { *out = num_neg(e->a->num); return true; }
    return false;
}

static void apply_row(Scenario *s, Program *p, int ti)
{
    const Decl *d = s->cur->d;
    Table *t = p->tables[ti];
    int u = units_find(p->units, d->key);
    if (u < 0) {
        const char *near = u == UNIT_UNKNOWN ? units_suggest(p->units, d->key) : NULL;
        char hint[160];
        if (near) snprintf(hint, sizeof hint, "did you mean '%s'?", near);
        change_error(s, d->key_loc, near ? hint : u == UNIT_UNKNOWN ? "the units are listed in units.csv" : NULL,
                     u == UNIT_UNKNOWN ? "unknown unit '%s'" : "'%s' is not assessed; its row is never read", d->key);
        return;
    }
    for (int i = 0; i < d->names.n; i++) {
        const char *col = d->names.items[i];
        Loc at = *(Loc *)d->name_locs.items[i];
        int c = table_col_index(t, col);
        Num v;
        if (c < 0) {
            const char *near = diag_suggest(col, t->cols, (size_t)t->ncols);
            char hint[160];
            if (near) snprintf(hint, sizeof hint, "did you mean '%s'?", near);
            change_error(s, at, near ? hint : NULL, "table '%s' has no column '%s'", d->name, col);
        } else if (!cell_value(d->exprs.items[i], &v)) {
            change_error(s, ((Expr *)d->exprs.items[i])->loc, "write the number itself, e.g. 300 or 95%",
                         "a table cell is a number");
        } else if (!table_set(t, u, c, v)) {
            change_error(s, ((Expr *)d->exprs.items[i])->loc, NULL,
                         "a table cell has at most 18 digits and 18 decimal places");
        } else {
            t->present[u] = true;
        }
    }
}

/* Whether a table file named on the command line can be read; if not,
** errno says why (EISDIR for a folder, which fopen would open). */
static bool can_read(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) { errno = EISDIR; return false; }
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    fclose(f);
    return true;
}

static bool apply_data(Program *p, void *ctx)
{
    Scenario *s = ctx;
    for (int i = 0; i < s->changes.n; i++) {
        s->cur = s->changes.items[i];
        const Decl *d = s->cur->d;
        if (d->kind != D_ROW && d->kind != D_TABLE_FILE) continue;
        int ti = table_named(s, p, d);
        if (ti < 0) continue;
        if (d->kind == D_ROW) {
            apply_row(s, p, ti);
            continue;
        }
        p->table_specs[ti].path = join_path(s->cur->dir, d->text);
        p->table_specs[ti].sheet = d->sheet;
        if (s->cur->from_option && !can_read(p->table_specs[ti].path)) {
            /* a file named on the command line: a bad command line (exit 2),
            ** said at the option as typed */
            diag_at(DIAG_ERROR, d->text_loc,
                    errno == EISDIR ? "this is a folder: name the table's .csv file in it"
                                    : "the file is looked for from the current folder",
                    "cannot open %s: %s", d->text, strerror(errno));
            s->option_failed = true;
            continue;
        }
        p->tables[ti] = table_load(&p->table_specs[ti], p->units);
        if (!p->tables[ti]) s->file_failed = true;   /* the table's own messages say why */
    }
    return !s->option_failed && !s->file_failed;
}

/* ---- building ------------------------------------------------------------------ */

static bool keep_decls(Ast *ast, void *ctx)
{
    ((Scenario *)ctx)->base_decls = ast->decls;
    return true;
}

/* A changed band is checked as kaohe check checks it in a rule file: a
** band the bands before it take entirely (良好 >= 95 under 优秀 >= 90), an
** inverted range, are errors, at the value (check_bands.c). SCENARIO_OK, or
** the status of the first change whose grade fails. */
static int check_bands(Scenario *s, Build *wb)
{
    if (!s->banded.n) return SCENARIO_OK;
    Checker k = { wb, wb->c, wb->p, { 0 } };
    ai_init(&k.ai, k.c);
    int rc = SCENARIO_OK;
    PtrVec done = { 0 };
    for (int i = 0; i < s->banded.n; i++) {
        const Change *ch = s->banded.items[i];
        Decl *g = NULL;
        for (int j = 0; j < k.c->grade_decls.n; j++) {
            Decl *d = k.c->grade_decls.items[j];
            if (strcmp(d->name, ch->d->name) == 0) g = d;
        }
        bool seen = false;
        for (int j = 0; j < done.n; j++) seen |= done.items[j] == g;
        if (!g || seen) continue;
        vec_push(&done, g);
        int errors0 = diag_errors();
        check_grade(&k, g);
        if (diag_errors() > errors0 && rc == SCENARIO_OK) rc = ch->from_option ? SCENARIO_USAGE : SCENARIO_RULES;
    }
    return rc;
}

int scenario_compile(Scenario *s, const char *path, Program **base, Program **what)
{
    BuildOpts keep = { .edit_ast = keep_decls, .ctx = s };
    Build *bb = build_rubric(path, &keep);
    if (!bb || bb->stage != BUILD_COMPILED) return SCENARIO_RULES;
    Program *b = bb->p;
    *base = *what = b;
    if (scenario_is_empty(s)) return SCENARIO_OK;
    s->base = b;
    int rc = SCENARIO_OK;
    for (int i = 0; i < s->opts.n; i++) {
        const Opt *o = s->opts.items[i];
        Decl *d = NULL;
        if (o->kind == SCENARIO_FILE) {
            int r = scenario_read_scenario_file(s, o->arg);
            if (r != SCENARIO_OK && rc != SCENARIO_RULES) rc = r;
            continue;
        }
        d = o->kind == SCENARIO_SET ? scenario_read_set(o->arg) : scenario_read_table(o->arg);
        if (!d) {
            if (rc == SCENARIO_OK) rc = SCENARIO_USAGE;
            continue;
        }
        scenario_add_change(s, d, NULL, true);
        size_t n = strlen(o->arg) + 16;
        char *name = GC_MALLOC_ATOMIC(n);
        snprintf(name, n, "%s %s", o->kind == SCENARIO_SET ? "--set" : "--table", o->arg);
        scenario_add_part(s, name, NULL, NULL);
    }
    if (s->sweep_opt && !scenario_read_sweep(s, s->sweep_opt->arg) && rc == SCENARIO_OK) rc = SCENARIO_USAGE;
    if (rc != SCENARIO_OK) return rc;

    BuildOpts h = { .edit_ast = apply_ast, .edit_data = apply_data, .ctx = s };
    Build *wb = build_rubric(path, &h);
    Program *w = wb && wb->stage == BUILD_COMPILED ? wb->p : NULL;
    if (!w) {
        if (s->file_failed || s->option_failed) return s->file_failed ? SCENARIO_RULES : SCENARIO_USAGE;
        return s->has_file ? SCENARIO_RULES : SCENARIO_USAGE;   /* a changed value that does not compile */
    }
    int rc_bands = check_bands(s, wb);
    if (rc_bands != SCENARIO_OK) return rc_bands;
    /* the scenario files are sources of this program too (provenance,
    ** explanations) */
    for (int i = 0; i < s->files.n; i++) vec_push(&w->files, s->files.items[i]);
    if (s->sweep_opt) {
        for (int i = 0; i < w->nparams; i++)
            if (strcmp(w->params[i].name, SWEEP_PARAM) == 0) s->sweep.param = i;
    }
    *what = w;
    return SCENARIO_OK;
}
