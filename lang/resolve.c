/*
** resolve.c — from parsed declarations to the program's tables: one numbered
** definition per fact, param, table, let, item, result, grade and outcome,
** every global name put into the symbol table (symtab.c), so a name means
** one thing (resolve_decls); then the unit list and annex tables loaded and
** checked (resolve_data). Expressions are not looked at here; compile.c
** checks and compiles them, and build.c runs the stages in order.
*/
#include <errno.h>
#include <fcntl.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler.h"
#include "xlsx_book.h"
#include "xlsx_read.h"

/* ---- helpers ------------------------------------------------------------- */

static void error_at(Compiler *c, Loc loc, const char *hint, const char *msg)
{
    diag_at(DIAG_ERROR, loc, hint, "%s", msg);
    c->failed = true;
}

/* A global name into the one symbol table; false (and the rubric failed)
** when it is already declared. */
static bool add_name(Compiler *c, const char *name, SymKind kind, int index, Loc loc)
{
    if (sym_add(&c->names, name, kind, index, loc)) return true;
    c->failed = true;
    return false;
}

const char *join_path(const char *dir, const char *file)
{
    if (!dir || file[0] == '/' || strcmp(dir, ".") == 0) return file;
    size_t a = strlen(dir), b = strlen(file);
    char *s = GC_MALLOC_ATOMIC(a + b + 2);
    memcpy(s, dir, a);
    s[a] = '/';
    memcpy(s + a + 1, file, b + 1);
    return s;
}

static bool small_int(Expr *e, int64_t lo, int64_t hi, int64_t *out)
{
    return e && e->kind == E_NUM && num_to_int64(e->num, out) && *out >= lo && *out <= hi;
}

static const Attrs *attrs_of(Decl *d) { return &d->at; }

/* ---- declarations -------------------------------------------------------- */

static int add_enum(Program *p, const char *name, PtrVec *members)
{
    EnumType *e = &p->enums[p->nenums];
    e->name = name;
    e->n = members->n;
    e->members = (const char **)members->items;
    return p->nenums++;
}

/* `fraction` is a percent whose cells are written as fractions (0.8 for
** 80%), `rate` a percent that may pass 100% (a completion rate, 103%): the
** same type in rules, read differently from the fact file. */
static bool fact_type_of(const char *name, FactType *t, bool *fraction, bool *over_100)
{
    static const struct { const char *name; FactType t; } types[] = {
        {"bool", FT_BOOL}, {"count", FT_COUNT}, {"decimal", FT_DECIMAL},
        {"percent", FT_PERCENT}, {"fraction", FT_PERCENT}, {"rate", FT_PERCENT}, {"text", FT_TEXT},
    };
    *fraction = strcmp(name, "fraction") == 0;
    *over_100 = strcmp(name, "rate") == 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, name) == 0) { *t = types[i].t; return true; }
    return false;
}

static void add_schema_col(Program *p, const char *column, FactType t, bool fraction, bool over_100,
                           const EnumType *e)
{
    FactColSpec *col = &p->schema.cols[p->schema.ncols++];
    col->column = column;
    col->type = t;
    col->fraction = fraction;
    col->over_100 = over_100;
    if (e) { col->nmembers = e->n; col->members = e->members; }
}

/* "{}月评价数" with 7 → "7月评价数" */
static const char *fill_template(const char *tpl, int64_t i)
{
    const char *hole = strstr(tpl, "{}");
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)i);
    size_t a = (size_t)(hole - tpl), b = strlen(num), rest = strlen(hole + 2);
    char *s = GC_MALLOC_ATOMIC(a + b + rest + 1);
    memcpy(s, tpl, a);
    memcpy(s + a, num, b);
    memcpy(s + a + b, hole + 2, rest + 1);
    return s;
}

static void declare_fact(Compiler *c, Decl *d)
{
    Program *p = c->p;
    FactType t = FT_TEXT;
    bool fraction = false, over_100 = false;
    int enum_id = -1;
    if (strcmp(d->type_name, "one of") == 0) {
        t = FT_ENUM;
        enum_id = add_enum(p, (const char *)d->names.items[0], &d->members);
    } else if (!fact_type_of(d->type_name, &t, &fraction, &over_100)) {
        const char *types[] = { "bool", "count", "decimal", "percent", "fraction", "rate", "text" };
        const char *s = diag_suggest(d->type_name, types, 7);
        char hint[160];
        snprintf(hint, sizeof hint, "%s%s%sa fact is bool, count, decimal, percent, fraction, rate, text, or one of A, B, C",
                 s ? "did you mean '" : "", s ? s : "", s ? "'? " : "");
        diag_at(DIAG_ERROR, d->type_loc, hint, "unknown fact type '%s'", d->type_name);
        c->failed = true;
        return;
    }
    for (int i = 0; i < d->names.n; i++) {
        const char *name = d->names.items[i];
        Loc loc = *(Loc *)d->name_locs.items[i];
        int64_t lo = 0, hi = 0;
        bool range = d->lo && small_int(d->lo, 0, 10000, &lo) && small_int(d->hi, lo, lo + 999, &hi);
        /* the fact file holds 单位, 期别 and one column per fact or element */
        if (p->schema.ncols + (range ? hi - lo + 1 : 1) > CSV_MAX_COLUMNS - 2) {
            error_at(c, loc, "a spreadsheet has at most 16,384 columns; split the facts into two rubrics",
                     "the facts need more columns than a fact file can have");
            return;
        }
        FactDef *f = &p->facts[p->nfacts];
        f->name = name;
        f->type = t;
        f->enum_id = enum_id;
        f->col = p->schema.ncols;
        f->at = attrs_of(d);
        f->loc = loc;
        const EnumType *e = enum_id >= 0 ? &p->enums[enum_id] : NULL;
        if (d->lo) {
            if (!range) {
                error_at(c, loc_span(d->lo->loc, d->hi->loc),
                         "write whole numbers, e.g. [1..12], at most 1000 elements",
                         "a fact vector needs a whole-number index range");
                return;
            }
            if (!strstr(d->text, "{}")) {
                error_at(c, d->text_loc, "write {} where the index goes, e.g. \"{}月评价数\"",
                         "the column pattern has no {}");
                return;
            }
            f->vector = true;
            f->lo = (int)lo;
            f->hi = (int)hi;
            for (int64_t k = lo; k <= hi; k++)
                add_schema_col(p, fill_template(d->text, k), t, fraction, over_100, e);
        } else {
            add_schema_col(p, name, t, fraction, over_100, e);
        }
        if (add_name(c, name, SYM_FACT, p->nfacts, loc))
            p->nfacts++;
    }
}

static void declare_period(Compiler *c, Decl *d)
{
    Program *p = c->p;
    if (p->nperiods) {
        error_at(c, d->loc, "list every period in one declaration", "periods are declared twice");
        return;
    }
    p->nperiods = d->names.n;
    p->periods = (const char **)d->names.items;
    p->period_labels = GC_MALLOC(sizeof(char *) * (size_t)d->names.n);
    for (int i = 0; i < d->names.n; i++) {
        p->period_labels[i] = d->labels.items[i] ? d->labels.items[i] : d->names.items[i];
        add_name(c, d->names.items[i], SYM_PERIOD, i, *(Loc *)d->name_locs.items[i]);
    }
    p->period_enum = add_enum(p, "period", &d->names);
    p->period_at = attrs_of(d);
}

static void declare_table(Compiler *c, Decl *d)
{
    Program *p = c->p;
    int i = p->ntables;
    TableSpec *s = &p->table_specs[i];
    s->name = d->name;
    s->path = join_path(c->dir, d->text);
    s->sheet = d->sheet;
    s->key = d->key;
    s->optional = d->optional;
    s->total_row = d->labels.n ? d->labels.items[0] : NULL;
    s->nexcept = d->names.n;
    s->except = (const char **)d->names.items;
    p->table_at[i] = attrs_of(d);
    p->table_loc[i] = d->name_loc;
    if (add_name(c, d->name, SYM_TABLE, i, d->name_loc)) {
        vec_push(&c->table_decls, d);
        p->ntables++;
    }
}

static void declare_section(Compiler *c, Decl *d)
{
    Program *p = c->p;
    SectionDef *s = &p->sections[p->nsections];
    s->title = d->name;
    s->kind = d->section_kind;
    s->has_total = d->value != NULL;
    if (d->value) s->total = d->value->num;
    s->has_cap = d->cap != NULL;
    if (d->cap) s->cap = d->cap->num;
    s->first_item = p->nitems;
    s->nitems = d->items.n;
    s->at = attrs_of(d);
    s->loc = d->loc;
    for (int k = 0; k < d->items.n; k++) {
        ItemDecl *it = d->items.items[k];
        for (int j = 0; j < p->nitems; j++) {
            if (strcmp(p->items[j].id, it->id) == 0) {
                long line, col;
                diag_line_col(p->items[j].loc.file, p->items[j].loc.start, &line, &col);
                char hint[96];
                snprintf(hint, sizeof hint, "item %s is already at line %ld", it->id, line);
                error_at(c, it->id_loc, hint, "two items have the same number");
            }
        }
        ItemDef *item = &p->items[p->nitems];
        item->id = it->id;
        item->title = it->title;
        item->has_points = it->points != NULL;
        if (it->points) item->points = it->points->num;
        item->section = p->nsections;
        item->memo = -1;
        item->at = &it->at;
        item->loc = it->id_loc;
        it->section = p->nsections;
        vec_push(&c->item_decls, it);
        p->nitems++;
    }
    p->nsections++;
}

static void declare_grade(Compiler *c, Decl *d, int i)
{
    Program *p = c->p;
    ValueDef *g = &p->grades[i];
    g->name = d->name;
    g->at = attrs_of(d);
    g->loc = d->name_loc;
    g->type = T_ENUM;
    g->enum_id = add_enum(p, d->name, &d->names);
    if (d->names.n == 0)
        error_at(c, d->loc, "list the bands, e.g. 优秀 >= 90", "a grade needs at least one band");
}

static void declare_round(Compiler *c, Decl *d)
{
    Program *p = c->p;
    int64_t places;
    if (!small_int(d->value, 0, 18, &places)) {
        error_at(c, d->value->loc, "e.g. round items to 2 half_up", "decimal places must be a whole number from 0 to 18");
        return;
    }
    if (!round_mode_parse(d->text, &p->round_mode)) {
        const char *modes[] = { "half_up", "half_even", "down", "up", "floor", "ceiling" };
        const char *s = diag_suggest(d->text, modes, 6);
        char hint[128];
        snprintf(hint, sizeof hint, "%s%s%smodes: half_up, half_even, down, up, floor, ceiling",
                 s ? "did you mean '" : "", s ? s : "", s ? "'? " : "");
        diag_at(DIAG_ERROR, d->text_loc, hint, "unknown rounding mode '%s'", d->text);
        c->failed = true;
        return;
    }
    if (p->round_items) {
        error_at(c, d->loc, "say it once, for all items", "item rounding is declared twice");
        return;
    }
    p->round_items = true;
    p->round_places = (int)places;
    p->round_at = attrs_of(d);
}

/* The name that makes more than MAX_NAMES, or NULL. */
static const Loc *name_over_limit(Ast *ast)
{
    long n = 0;
    for (int i = 0; i < ast->decls.n; i++) {
        Decl *d = ast->decls.items[i];
        long before = n;
        switch (d->kind) {
        case D_FACT: case D_PERIOD: case D_GRADE:
            n += d->names.n + d->members.n + (d->kind == D_GRADE);
            break;
        case D_PARAM: case D_TABLE: case D_LET: case D_DEF: case D_RESULT: case D_OUTCOME:
            n++;
            break;
        case D_SECTION:
            n += d->items.n;
            break;
        default:
            break;
        }
        if (n <= MAX_NAMES) continue;
        /* point at the name itself where there is one to point at */
        long k = MAX_NAMES - before;        /* 0-based index of the first one over */
        if (d->kind == D_SECTION) return &((ItemDecl *)d->items.items[k])->id_loc;
        if ((d->kind == D_FACT || d->kind == D_PERIOD || d->kind == D_GRADE) && k < d->name_locs.n)
            return d->name_locs.items[k];
        return d->name_loc.file ? &d->name_loc : &d->loc;
    }
    return NULL;
}

/* Counts what each array needs, so every definition gets a stable index. */
static void allocate(Compiler *c, Ast *ast)
{
    Program *p = c->p;
    int nfacts = 0, ncols = 0, nparams = 0, ntables = 0, nlets = 0, nitems = 0;
    int nsections = 0, nresults = 0, ngrades = 0, noutcomes = 0, nenums = 1;
    for (int i = 0; i < ast->decls.n; i++) {
        Decl *d = ast->decls.items[i];
        switch (d->kind) {
        case D_FACT: {
            nfacts += d->names.n;
            int64_t lo, hi;
            int width = (d->lo && small_int(d->lo, 0, 10000, &lo) && small_int(d->hi, lo, lo + 999, &hi))
                        ? (int)(hi - lo + 1) : 1;
            ncols += d->names.n * width;
            nenums++;
            break;
        }
        case D_PARAM: nparams++; break;
        case D_TABLE: ntables++; break;
        case D_LET: nlets++; break;
        case D_SECTION: nsections++; nitems += d->items.n; break;
        case D_RESULT: nresults++; break;
        case D_GRADE: ngrades++; nenums++; break;
        case D_OUTCOME: noutcomes++; break;
        default: break;
        }
    }
#define ALLOC(field, n) p->field = GC_MALLOC(sizeof(*p->field) * (size_t)((n) + 1))
    ALLOC(facts, nfacts);
    ALLOC(params, nparams);
    ALLOC(param_order, nparams);
    ALLOC(table_specs, ntables);
    ALLOC(tables, ntables);
    ALLOC(table_at, ntables);
    ALLOC(table_loc, ntables);
    ALLOC(lets, nlets);
    ALLOC(items, nitems);
    ALLOC(sections, nsections);
    ALLOC(results, nresults);
    ALLOC(grades, ngrades);
    ALLOC(outcomes, noutcomes);
    ALLOC(enums, nenums);
#undef ALLOC
    p->schema.cols = GC_MALLOC(sizeof(FactColSpec) * (size_t)(ncols + 1));
    /* one DeclState per declaration; GC_MALLOC_ATOMIC does not zero */
#define STATES(field, n)                                                \
    c->field = GC_MALLOC_ATOMIC(sizeof(DeclState) * (size_t)((n) + 1)); \
    memset(c->field, 0, sizeof(DeclState) * (size_t)((n) + 1))
    STATES(param_state, nparams);
    STATES(let_state, nlets);
    STATES(result_state, nresults);
    STATES(grade_state, ngrades);
    STATES(outcome_state, noutcomes);
#undef STATES
}

static void declare(Compiler *c, Decl *d)
{
    Program *p = c->p;
    switch (d->kind) {
    case D_RUBRIC:
        if (p->title) { error_at(c, d->loc, NULL, "the rubric is declared twice"); break; }
        p->title = d->name;
        p->source = d->text;
        if (d->value) { p->year = d->value->num; p->has_year = true; }
        if (d->aux) { p->total = d->aux->num; p->has_total = true; }
        p->rubric_at = attrs_of(d);
        break;
    case D_UNITS:
        if (c->units_decl_count++) { error_at(c, d->loc, NULL, "the unit list is declared twice"); break; }
        c->units_path = join_path(c->dir, d->text);   /* loaded by resolve_data */
        c->units_decl = d;
        p->units_at = attrs_of(d);
        break;
    case D_PERIOD: declare_period(c, d); break;
    case D_ROUND_ITEMS: declare_round(c, d); break;
    case D_PARAM:
        p->params[p->nparams] = (ParamDef){ .name = d->name, .at = attrs_of(d), .loc = d->name_loc };
        if (add_name(c, d->name, SYM_PARAM, p->nparams, d->name_loc)) {
            vec_push(&c->param_decls, d);
            p->nparams++;
        }
        break;
    case D_TABLE: declare_table(c, d); break;
    case D_FACT: declare_fact(c, d); break;
    case D_LET:
        p->lets[p->nlets] = (LetDef){ .name = d->name, .at = attrs_of(d), .loc = d->name_loc };
        if (add_name(c, d->name, SYM_LET, p->nlets, d->name_loc)) {
            vec_push(&c->let_decls, d);
            p->nlets++;
        }
        break;
    case D_DEF: {
        /* A rule file's def replaces the stdlib's of the same name. */
        Sym *s = sym_find(&c->names, d->name);
        if (s && s->kind == SYM_DEF) {
            Decl *old = c->defs.items[s->index];
            if (old->file && strcmp(old->file->path, "<stdlib>") == 0) {
                c->defs.items[s->index] = d;
                s->loc = d->name_loc;
                break;
            }
        }
        if (add_name(c, d->name, SYM_DEF, c->defs.n, d->name_loc))
            vec_push(&c->defs, d);
        break;
    }
    case D_SECTION: declare_section(c, d); break;
    case D_RESULT:
        p->results[p->nresults] = (ValueDef){ .name = d->name, .at = attrs_of(d), .loc = d->name_loc };
        if (add_name(c, d->name, SYM_RESULT, p->nresults, d->name_loc)) {
            vec_push(&c->result_decls, d);
            p->nresults++;
        }
        break;
    case D_GRADE:
        declare_grade(c, d, p->ngrades);
        if (add_name(c, d->name, SYM_GRADE, p->ngrades, d->name_loc)) {
            vec_push(&c->grade_decls, d);
            p->ngrades++;
        }
        break;
    case D_OUTCOME:
        p->outcomes[p->noutcomes] = (ValueDef){ .name = d->name, .at = attrs_of(d), .loc = d->name_loc };
        if (add_name(c, d->name, SYM_OUTCOME, p->noutcomes, d->name_loc)) {
            vec_push(&c->outcome_decls, d);
            p->noutcomes++;
        }
        break;
    case D_TEST:
        break;      /* rule tests are read by `kaohe test` (runtime/ruletest.c) */
    case D_SCENARIO:
        error_at(c, d->name_loc, "keep a scenario in its own file (e.g. scenarios/名称.kh) and apply it with --scenario FILE",
                 "a scenario is not part of the rubric");
        break;
    case D_SET: case D_ROW: case D_TABLE_FILE:
        break;      /* the grammar keeps these inside a scenario */
    }
}

/* What every rubric must have, said once with a hint. */
static void require_basics(Compiler *c)
{
    Program *p = c->p;
    if (!c->units_path) {
        diag_file(DIAG_ERROR, p->rules_path, 0, 0, "add a line such as: units from \"units.csv\"",
                  "the rubric does not say where its unit list is");
        c->failed = true;
    }
    if (p->nperiods == 0) {
        diag_file(DIAG_ERROR, p->rules_path, 0, 0, "add a line such as: period 过程, 年度",
                  "the rubric declares no periods");
        c->failed = true;
    }
}

/* A rubric whose rule files hold nothing (empty, blank lines, a lone CR,
** comments only): one error naming each such file, instead of what the
** rubric then lacks. false when there is something to resolve. */
static bool nothing_declared(Ast *ast)
{
    for (int i = 0; i < ast->decls.n; i++) {
        const Decl *d = ast->decls.items[i];
        if (d->file && strcmp(d->file->path, "<stdlib>") != 0) return false;
    }
    for (int i = 0; i < ast->files.n; i++) {
        const SrcFile *f = ast->files.items[i];
        if (strcmp(f->path, "<stdlib>") == 0) continue;
        diag_file(DIAG_ERROR, f->path, 0, 0, "a rubric begins: rubric \"名称\" 2024, units from \"units.csv\", period 全年",
                  "the rule file has no rules (it is empty, or holds only blank lines and comments)");
    }
    return true;
}

/* The unit list first, then each table against it. p->units stays NULL
** when the list did not load; a table that did not load stays NULL. */
/* A data file the rubric names that cannot be opened is an error at the
** line that names it (the reader would only say the file). */
static bool can_open(Compiler *c, const char *path, const Decl *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) { close(fd); return true; }
    int err = errno;
    char hint[512] = "";
    if (path[0] != '/' && c->dir && strcmp(c->dir, ".") != 0)
        snprintf(hint, sizeof hint, "a file named here is looked for beside the rule files, in %s", c->dir);
    else if (path[0] != '/')
        snprintf(hint, sizeof hint, "a file named here is looked for beside the rule files");
    diag_at(DIAG_ERROR, d->text_loc, hint[0] ? hint : NULL, "cannot open %s: %s", path, strerror(err));
    c->failed = true;
    return false;
}

/* `sheet "附件3"` names a sheet the workbook has: else an error at the
** line that names it, with the closest name. */
static bool sheet_exists(Compiler *c, TableSpec *spec, const Decl *d)
{
    if (!spec->sheet) return true;
    spec->no_sheet = true;
    if (!xlsx_is_zip(spec->path)) {
        diag_at(DIAG_ERROR, d->sheet_loc, "a sheet is named only for an Excel workbook (.xlsx); leave it out for CSV",
                "sheet %s is named, but %s is not a workbook", diag_short(spec->sheet), spec->path);
        c->failed = true;
        return false;
    }
    XlsxBook *b = xlsx_book_open(spec->path);
    if (!b) { c->failed = true; return false; }     /* the reader said why */
    int n = xlsx_book_nsheets(b);
    const char **names = GC_MALLOC(sizeof(char *) * ((size_t)n + 1));
    for (int i = 0; i < n; i++) names[i] = xlsx_book_sheet(b, i);
    bool found = false;
    for (int i = 0; i < n && !found; i++) found = strcmp(names[i], spec->sheet) == 0;
    if (!found) {
        const char *s = diag_suggest(spec->sheet, names, (size_t)n);
        size_t len = 0;
        char list[512] = "";
        for (int i = 0; i < n && len < sizeof list - 80; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "、" : "", names[i]);
        diag_at(DIAG_ERROR, d->sheet_loc, s ? gc_printf("did you mean %s?", s) : gc_printf("its sheets: %s", list),
                "%s has no sheet %s", spec->path, diag_short(spec->sheet));
        c->failed = true;
    }
    xlsx_book_close(b);
    spec->no_sheet = !found;
    return found;
}

bool resolve_data(Compiler *c)
{
    Program *p = c->p;
    if (!can_open(c, c->units_path, c->units_decl)) return false;
    p->units = units_load(c->units_path);
    if (!p->units) return false;
    bool ok = true;
    for (int i = 0; i < p->ntables; i++) {
        if (!can_open(c, p->table_specs[i].path, c->table_decls.items[i])) { ok = false; continue; }
        if (!sheet_exists(c, &p->table_specs[i], c->table_decls.items[i])) { ok = false; continue; }
        p->tables[i] = table_load(&p->table_specs[i], p->units);
        if (!p->tables[i]) ok = false;
    }
    return ok;
}

bool resolve_decls(Compiler *c, Ast *ast)
{
    const Loc *over = name_over_limit(ast);
    if (over) {
        diag_at(DIAG_ERROR, *over, "split the rubric, or group facts into one with an index range: x[1..12]",
                "more than %d names in one rubric (facts, params, lets, items, choices …)", MAX_NAMES);
        return false;
    }
    if (nothing_declared(ast)) return false;
    allocate(c, ast);
    for (int i = 0; i < ast->decls.n; i++)
        declare(c, ast->decls.items[i]);
    c->p->schema.nperiods = c->p->nperiods;
    c->p->schema.periods = c->p->periods;
    require_basics(c);
    return !c->failed;
}

