/*
** scenario_read.c — reading the what-if options' values (--set NAME=VALUE,
** --table NAME=FILE, --sweep NAME=LOW..HIGH:STEP) and scenario files into
** the declarations scenario.c applies. Errors point into the value as
** typed, with the option as the file name ("--set:1:6").
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

void scenario_add_part(Scenario *s, const char *name, const char *file, const Attrs *at)
{
    ScenarioPart *grown = GC_MALLOC(sizeof(ScenarioPart) * (size_t)(s->nparts + 1));
    if (s->nparts) memcpy(grown, s->parts, sizeof(ScenarioPart) * (size_t)s->nparts);
    grown[s->nparts++] = (ScenarioPart){ name, file, at };
    s->parts = grown;
}

void scenario_add_change(Scenario *s, Decl *d, const char *dir, bool from_option)
{
    Change *c = GC_NEW(Change);
    *c = (Change){ d, dir, from_option };
    vec_push(&s->changes, c);
}

/* ---- reading an option's value -------------------------------------------- */

static Loc span(const SrcFile *f, size_t a, size_t b)
{
    return (Loc){ f, (uint32_t)a, (uint32_t)b };
}

static const char *cut(const char *text, size_t a, size_t b)
{
    char *s = GC_MALLOC_ATOMIC(b - a + 1);
    memcpy(s, text + a, b - a);
    s[b - a] = '\0';
    return s;
}

/* [*a, *b) without the spaces around it. */
static void trim(const char *t, size_t *a, size_t *b)
{
    while (*a < *b && t[*a] == ' ') (*a)++;
    while (*b > *a && t[*b - 1] == ' ') (*b)--;
}

/* NAME or NAME.KEY in [a, b) of f: fills the name and key (NULL without a
** dot) of a D_SET or D_TABLE_FILE. */
static bool read_target(const SrcFile *f, size_t a, size_t b, Decl *d, const char *example)
{
    trim(f->text, &a, &b);
    const char *dot = memchr(f->text + a, '.', b - a);
    size_t name_end = dot ? (size_t)(dot - f->text) : b;
    if (name_end == a || (dot && name_end + 1 == b)) {
        diag_at(DIAG_ERROR, span(f, a, b > a ? b : a + 1), example,
                name_end == a ? "expected a name before '='" : "expected a name after '.'");
        return false;
    }
    d->name = cut(f->text, a, name_end);
    d->name_loc = span(f, a, name_end);
    if (dot) {
        d->key = cut(f->text, name_end + 1, b);
        d->key_loc = span(f, name_end + 1, b);
    }
    return true;
}

/* A number as written in a rule file (4, 0.6, 85%), with an optional sign. */
static bool read_number(const char *t, size_t a, size_t b, Num *out)
{
    bool pct = b > a && t[b - 1] == '%';
    if (!num_parse(t + a, b - a - pct, out)) return false;
    if (pct) num_div(*out, num_int(100), out);
    return true;
}

/* An option's NAME[.KEY]=VALUE: a declaration of kind k whose positions
** point into the value as typed (the option is the file name), with the
** target read; [*a, *b) is the VALUE. NULL after an error, form its hint. */
static Decl *read_option(const char *option, const char *arg, DeclKind k, const char *form, size_t *a, size_t *b)
{
    const SrcFile *f = src_from_string(option, arg);
    const char *eq = strchr(arg, '=');
    if (!eq) {
        diag_at(DIAG_ERROR, span(f, 0, f->len ? f->len : 1), form, "expected NAME=VALUE");
        return NULL;
    }
    Decl *d = decl_new(k, span(f, 0, f->len));
    d->file = f;
    if (!read_target(f, 0, (size_t)(eq - arg), d, form)) return NULL;
    *a = (size_t)(eq - arg) + 1;
    *b = f->len;
    trim(arg, a, b);
    return d;
}

/* The lexer's limit on the digits of a number (lexstate.h), for a value
** typed on the command line: the same edit in a rule file stops there. */
static bool too_many_digits(const char *t, size_t a, size_t b, Loc at)
{
    size_t digits = 0;
    for (size_t i = a; i < b; i++) digits += t[i] >= '0' && t[i] <= '9';
    if (digits <= MAX_NUMBER_DIGITS) return false;
    diag_at(DIAG_ERROR, at, "a number in a rule is a score, a rate or an amount; is part of it pasted twice?",
            "a number with more than %d digits", MAX_NUMBER_DIGITS);
    return true;
}

/* --set NAME[.KEY]=VALUE, VALUE a number or true/false. */
Decl *scenario_read_set(const char *arg)
{
    size_t a, b;
    Decl *d = read_option("--set", arg, D_SET, "e.g. --set 人员标准=4, --set 时序进度.过程=0.6, --set 等次.良好=85", &a, &b);
    if (!d) return NULL;
    const SrcFile *f = d->file;
    Loc at = span(f, a, b > a ? b : a + 1);
    const char *word = cut(arg, a, b);
    Num n;
    if (too_many_digits(arg, a, b, at)) return NULL;
    if (strcmp(word, "true") == 0 || strcmp(word, "false") == 0) {
        d->value = expr_new(E_BOOL, at);
        d->value->boolean = word[0] == 't';
    } else if (read_number(arg, a, b, &n)) {
        d->value = expr_new(E_NUM, at);
        d->value->num = n;
    } else {
        diag_at(DIAG_ERROR, at, "the value is written as in a rule file",
                "expected a number (such as 4, 0.6 or 85%%) or true/false, found '%s'", word);
        return NULL;
    }
    return d;
}

/* --table NAME=FILE */
Decl *scenario_read_table(const char *arg)
{
    const char *form = "e.g. --table 民生任务=annex3-2022.csv";
    size_t a, b;
    Decl *d = read_option("--table", arg, D_TABLE_FILE, form, &a, &b);
    if (!d) return NULL;
    if (d->key || a == b) {
        diag_at(DIAG_ERROR, d->key ? d->key_loc : span(d->file, a, a + 1), form,
                d->key ? "expected a table's name" : "expected a file name after '='");
        return NULL;
    }
    d->text = cut(arg, a, b);
    d->text_loc = span(d->file, a, b);
    return d;
}

/* --sweep NAME[.KEY]=LOW..HIGH[:STEP]: the values, and two changes: a param
** holding the swept value, and a set that puts it in place. */
bool scenario_read_sweep(Scenario *s, const char *arg)
{
    const char *form = "e.g. --sweep 人员标准=2..6 or --sweep 等次.良好=80..90:0.5";
    size_t a, b;
    Decl *set = read_option("--sweep", arg, D_SET, form, &a, &b);
    if (!set) return false;
    const SrcFile *f = set->file;
    const char *dots = strstr(arg + a, "..");
    const char *colon = dots ? strchr(dots, ':') : NULL;
    size_t lo_end = dots ? (size_t)(dots - arg) : b;
    size_t hi_start = lo_end + 2, hi_end = colon ? (size_t)(colon - arg) : b;
    Num lo, hi, step = num_int(1);
    if (!dots || !read_number(arg, a, lo_end, &lo) || !read_number(arg, hi_start, hi_end, &hi) ||
        (colon && !read_number(arg, hi_end + 1, b, &step))) {
        diag_at(DIAG_ERROR, span(f, a, b > a ? b : a + 1), form,
                "expected a range LOW..HIGH or LOW..HIGH:STEP, found '%s'", cut(arg, a, b));
        return false;
    }
    Num width, count;
    if (num_sign(step) <= 0) {
        diag_at(DIAG_ERROR, span(f, hi_end + 1, b), "e.g. 80..90:0.5", "the step must be more than 0");
        return false;
    }
    if (num_cmp(hi, lo) < 0) {
        diag_at(DIAG_ERROR, span(f, a, b), "write the lower end first, e.g. 2..6", "the range runs backwards");
        return false;
    }
    num_div(num_sub(hi, lo), step, &width);
    count = num_add(num_round(width, 0, ROUND_FLOOR), num_int(1));
    int64_t n;
    if (!num_to_int64(count, &n) || n > MAX_SWEEP_VALUES) {
        diag_at(DIAG_ERROR, span(f, a, b), "use a larger step or a shorter range",
                "the range has more than %d values", MAX_SWEEP_VALUES);
        return false;
    }
    s->sweep.target = cut(arg, 0, (size_t)(strchr(arg, '=') - arg));
    s->sweep.percent = arg[lo_end - 1] == '%' || arg[hi_end - 1] == '%' || (colon && arg[b - 1] == '%');
    s->sweep.nvalues = (int)n;
    s->sweep.values = GC_MALLOC(sizeof(Num) * (size_t)n);
    Num v = lo;
    for (int64_t k = 0; k < n; k++, v = num_add(v, step)) s->sweep.values[k] = num_reduce(v);

    Decl *param = decl_new(D_PARAM, set->loc);
    param->name = SWEEP_PARAM;
    param->name_loc = span(f, a, b);
    param->value = expr_new(E_NUM, span(f, a, b));
    param->value->num = lo;
    param->file = f;
    set->value = expr_new(E_NAME, span(f, a, b));
    set->value->name = SWEEP_PARAM;
    set->value->name_loc = set->value->loc;
    scenario_add_change(s, param, NULL, true);
    scenario_add_change(s, set, NULL, true);
    return true;
}

static const char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? cut(path, 0, (size_t)(slash - path)) : NULL;
}

/* A scenario file: one `scenario "名称" { … }` and nothing else. */
int scenario_read_scenario_file(Scenario *s, const char *path)
{
    SrcFile *f = src_load(path);
    if (!f) return SCENARIO_USAGE;
    Ast ast = { 0 };
    if (!parse_file(&ast, f)) return SCENARIO_RULES;
    Decl *scn = NULL;
    int rc = SCENARIO_OK;
    for (int i = 0; i < ast.decls.n; i++) {
        Decl *d = ast.decls.items[i];
        if (d->kind == D_SCENARIO && !scn) {
            scn = d;
            continue;
        }
        diag_at(DIAG_ERROR, d->kind == D_SCENARIO ? d->name_loc : d->loc,
                d->kind == D_SCENARIO ? "put each scenario in a file of its own" : "put the change inside the scenario's { }",
                "a scenario file holds one scenario \"名称\" { … } and nothing else");
        rc = SCENARIO_RULES;
    }
    if (!scn && ast.decls.n == 0) {
        diag_file(DIAG_ERROR, path, 0, 0, "write the changes as: scenario \"名称\" cite \"…\" { set 人员标准 = 4 }",
                  "no scenario in this file");
        return SCENARIO_RULES;
    }
    if (!scn) return SCENARIO_RULES;
    for (int i = 0; i < scn->body.n; i++) {
        Decl *d = scn->body.items[i];
        if (d->kind == D_SCENARIO) {
            diag_at(DIAG_ERROR, d->name_loc, "put each scenario in a file of its own; --scenario may be given several times",
                    "a scenario cannot hold another scenario");
            rc = SCENARIO_RULES;
        }
        scenario_add_change(s, d, dir_of(path), false);
    }
    scenario_add_part(s, scn->name, path, &scn->at);
    if (scn->body.n) vec_push(&s->files, f);    /* an empty one is no input of any number */
    s->has_file = true;
    return rc;
}

