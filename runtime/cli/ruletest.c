/*
** ruletest.c — `kaohe test`: rule tests written in the rule language
** (`test "缺1人扣1分" { given … expect item 2 = 4 }`), run on the compiled
** rubric with facts built in memory, and the rule coverage they reach. A
** failure shows expected and actual and the steps that made the actual
** value. Tests read the rubric; they never change it or the VM's results.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ruletest.h"
#include "status.h"
#include "trace.h"
#include "vm.h"

/* ---- what the tests set up ------------------------------------------------- */

/* One test, resolved against the program. */
typedef enum Target { TG_ITEM, TG_PERIOD, TG_RESULT, TG_GRADE, TG_OUTCOME, TG_NONE } Target;

/* An expectation resolved against the program before anything runs. */
typedef struct Expect {
    const TestExpect *x;
    Target tg;
    int index;
    int period;              /* for an item: the test's, or the one it names */
    Type type;
    int enum_id;
    Value want;
} Expect;

/* One test, resolved against the program. */
typedef struct Test {
    Decl *d;
    int unit, period;        /* -2: named, but wrong (already reported) */
    FactData *facts;
    Expect *expects;
} Test;

typedef struct Runner {
    Program *p;
    Decl *defaults;
    PtrVec tests;            /* Test * */
    FactData *base;          /* the defaults' facts */
    int base_unit, base_period;
    bool failed;             /* a test file is wrong */
    UnitTrace *trace;        /* what the traced VM recorded for the test being run */
    /* coverage: what some test checked */
    bool *item_seen;         /* [item] an expect names it */
    bool **step_seen;        /* [item][step] a checked run changed the score there */
    bool **band_seen;        /* [grade][band] */
    bool *result_seen, *outcome_seen;
} Runner;

static void error_at(Runner *r, Loc at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void error_at(Runner *r, Loc at, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(DIAG_ERROR, at, hint, fmt, ap);
    va_end(ap);
    r->failed = true;
}

static const char *did_you_mean(const char *name, const char *const *names, size_t n, const char *otherwise)
{
    const char *s = diag_suggest(name, names, n);
    if (!s) return otherwise;
    char *h = GC_MALLOC_ATOMIC(strlen(s) + 24);
    sprintf(h, "did you mean '%s'?", s);
    return h;
}

static int find_unit(Runner *r, const char *name, Loc at)
{
    const Units *u = r->p->units;
    int k = units_find(u, name);
    if (k >= 0) return k;
    const char *s = units_suggest(u, name);
    char *hint = GC_MALLOC_ATOMIC(256 + (s ? strlen(s) : 0));
    if (s) sprintf(hint, "did you mean '%s'?", s);
    else snprintf(hint, 256, "the assessed units are listed in %s", u->path);
    error_at(r, at, hint, k == UNIT_NOT_ASSESSED ? "'%s' is not assessed" : "unknown unit '%s'", name);
    return -1;
}

static int find_period(Runner *r, const char *name, Loc at)
{
    const Program *p = r->p;
    for (int i = 0; i < p->nperiods; i++)
        if (strcmp(p->periods[i], name) == 0) return i;
    error_at(r, at, did_you_mean(name, p->periods, (size_t)p->nperiods, "the periods are declared with 'period'"),
             "unknown period '%s'", name);
    return -1;
}

static int find_fact(Runner *r, const char *name, Loc at)
{
    const Program *p = r->p;
    for (int i = 0; i < p->nfacts; i++)
        if (strcmp(p->facts[i].name, name) == 0) return i;
    const char **names = GC_MALLOC(sizeof(char *) * ((size_t)p->nfacts + 1));
    for (int i = 0; i < p->nfacts; i++) names[i] = p->facts[i].name;
    error_at(r, at, did_you_mean(name, names, (size_t)p->nfacts, "facts are declared with 'fact'"),
             "unknown fact '%s'", name);
    return -1;
}

/* The schema columns a given fact sets: one, or every element of a vector
** written without an index. */
static bool fact_columns(Runner *r, const TestFact *tf, int *first, int *last)
{
    int i = find_fact(r, tf->name, tf->loc);
    if (i < 0) return false;
    const FactDef *f = &r->p->facts[i];
    if (!f->vector) {
        if (tf->has_index) {
            error_at(r, tf->loc, "only a fact declared with a range, like 评价数[1..12], takes [ ]",
                     "'%s' is not a fact vector", f->name);
            return false;
        }
        *first = *last = f->col;
        return true;
    }
    if (!tf->has_index) {          /* 评价数: 2 — every month */
        *first = f->col;
        *last = f->col + (f->hi - f->lo);
        return true;
    }
    int64_t k;
    if (!num_to_int64(tf->index, &k) || k < f->lo || k > f->hi) {
        char hint[96];
        snprintf(hint, sizeof hint, "%s has elements %d to %d", f->name, f->lo, f->hi);
        error_at(r, tf->loc, hint, "index %s is outside %s[%d..%d]", num_to_string(tf->index), f->name, f->lo, f->hi);
        return false;
    }
    *first = *last = f->col + (int)(k - f->lo);
    return true;
}

/* Applies the `given` clauses of one test (or of the defaults) to fd: a
** clause's facts go to its unit (or every unit) in its period (or every
** period). The first unit and period named become the test's. */
static void apply_givens(Runner *r, const TestDecl *t, FactData *fd, int *unit, int *period)
{
    const Program *p = r->p;
    for (int g = 0; g < t->givens.n; g++) {
        const TestGiven *gv = t->givens.items[g];
        int u = -1, per = -1;
        if (gv->unit && (u = find_unit(r, gv->unit, gv->unit_loc)) < 0) {
            if (*unit == -1) *unit = -2;
            continue;
        }
        if (gv->period && (per = find_period(r, gv->period, gv->period_loc)) < 0) {
            if (*period == -1) *period = -2;
            continue;
        }
        if (u >= 0 && *unit < 0) *unit = u;
        if (per >= 0 && *period < 0) *period = per;
        for (int k = 0; k < gv->facts.n; k++) {
            const TestFact *tf = gv->facts.items[k];
            int c0, c1;
            if (!fact_columns(r, tf, &c0, &c1)) continue;
            for (int c = c0; c <= c1; c++)
                for (int uu = u >= 0 ? u : 0; uu < (u >= 0 ? u + 1 : p->units->n); uu++)
                    for (int pp = per >= 0 ? per : 0; pp < (per >= 0 ? per + 1 : p->nperiods); pp++)
                        if (!facts_put(fd, c, uu, pp, tf->value->text, tf->value->loc)) {
                            r->failed = true;
                            goto next_fact;     /* one message per bad value */
                        }
        next_fact:;
        }
    }
}

static void resolve_expects(Runner *r, Test *t);

static void setup(Runner *r, Ast *ast)
{
    const Program *p = r->p;
    for (int i = 0; i < ast->decls.n; i++) {
        Decl *d = ast->decls.items[i];
        if (d->kind != D_TEST) continue;
        if (!d->test->is_defaults) {
            Test *t = GC_NEW(Test);
            t->d = d;
            vec_push(&r->tests, t);
            continue;
        }
        if (r->defaults) {
            long line, col;
            diag_line_col(r->defaults->loc.file, r->defaults->loc.start, &line, &col);
            char hint[256];
            snprintf(hint, sizeof hint, "the first is at %s:%ld; give every default there", r->defaults->loc.file->path, line);
            error_at(r, d->name_loc, hint, "test defaults are given twice");
            continue;
        }
        r->defaults = d;
        if (d->test->expects.n)
            error_at(r, ((TestExpect *)d->test->expects.items[0])->loc, "expectations belong in a test",
                     "test defaults cannot expect anything");
    }
    r->base = facts_blank(r->defaults ? r->defaults->loc.file->path : p->rules_path, &p->schema, p->units);
    r->base_unit = r->base_period = -1;
    if (r->defaults) apply_givens(r, r->defaults->test, r->base, &r->base_unit, &r->base_period);
    for (int i = 0; i < r->tests.n; i++) {
        Test *t = r->tests.items[i];
        t->unit = t->period = -1;
        t->facts = facts_copy(r->base);
        t->facts->path = t->d->loc.file->path;
        apply_givens(r, t->d->test, t->facts, &t->unit, &t->period);
        if (t->unit == -1) t->unit = r->base_unit;
        if (t->period == -1) t->period = r->base_period;
        if (t->period == -1 && p->nperiods == 1) t->period = 0;
        if (t->unit == -1)
            error_at(r, t->d->name_loc, "e.g. given unit 松湖镇, here or in test defaults", "the test names no unit");
        if (t->period == -1)
            error_at(r, t->d->name_loc, "e.g. given period 年度, here or in test defaults", "the test names no period");
        resolve_expects(r, t);
    }
}

/* ---- expectations ----------------------------------------------------------- */

static Target find_target(Runner *r, const TestExpect *x, int *index)
{
    const Program *p = r->p;
    if (x->item) {
        for (int i = 0; i < p->nitems; i++)
            if (strcmp(p->items[i].id, x->item) == 0) { *index = i; return TG_ITEM; }
        const char **ids = GC_MALLOC(sizeof(char *) * ((size_t)p->nitems + 1));
        for (int i = 0; i < p->nitems; i++) ids[i] = p->items[i].id;
        const char *s = diag_suggest(x->item, ids, (size_t)p->nitems);
        char hint[96];
        if (s) snprintf(hint, sizeof hint, "did you mean item %s?", s);
        error_at(r, x->target_loc, s ? hint : NULL, "there is no item %s", x->item);
        return TG_NONE;
    }
    static const Target kinds[] = { TG_PERIOD, TG_RESULT, TG_GRADE, TG_OUTCOME };
    size_t n = (size_t)(p->nperiods + p->nresults + p->ngrades + p->noutcomes);
    const char **names = GC_MALLOC(sizeof(char *) * (n + 1));
    size_t k = 0;
    for (int t = 0; t < 4; t++) {
        int count = t == 0 ? p->nperiods : t == 1 ? p->nresults : t == 2 ? p->ngrades : p->noutcomes;
        for (int i = 0; i < count; i++) {
            const char *name = t == 0 ? p->periods[i] : t == 1 ? p->results[i].name
                             : t == 2 ? p->grades[i].name : p->outcomes[i].name;
            if (strcmp(name, x->name) == 0) { *index = i; return kinds[t]; }
            names[k++] = name;
        }
    }
    error_at(r, x->target_loc,
             did_you_mean(x->name, names, k, "expect names an item (item 2), a period, a result, a grade or an outcome"),
             "cannot expect '%s'", x->name);
    return TG_NONE;
}

/* The value an expectation wants, as the runtime value of type t, or
** V_NONE after a diagnostic. */
static Value wanted(Runner *r, const TestValue *v, Type t, int enum_id)
{
    Value none = { V_NONE, { .b = false } };
    switch (t) {
    case T_NUM:
        if (v->kind == TV_NUMBER) return val_num(v->num);
        error_at(r, v->loc, NULL, "expected a number here");
        return none;
    case T_BOOL:
        if (v->kind == TV_BOOL) return val_bool(v->num.num != 0);
        if (v->kind == TV_NAME && (strcmp(v->text, "是") == 0 || strcmp(v->text, "否") == 0))
            return val_bool(strcmp(v->text, "是") == 0);
        error_at(r, v->loc, "write 是 or 否 (true or false also work)", "expected a yes/no value here");
        return none;
    case T_ENUM: {
        const EnumType *e = &r->p->enums[enum_id];
        if (v->kind == TV_NAME)
            for (int m = 0; m < e->n; m++)
                if (strcmp(e->members[m], v->text) == 0) return val_enum(m);
        char hint[512];
        size_t len = (size_t)snprintf(hint, sizeof hint, "one of: ");
        for (int m = 0; m < e->n && len < sizeof hint; m++)
            len += (size_t)snprintf(hint + len, sizeof hint - len, "%s%s", m ? ", " : "", e->members[m]);
        error_at(r, v->loc, v->kind == TV_NAME ? did_you_mean(v->text, e->members, (size_t)e->n, hint) : hint,
                 "'%s' is not one of the choices of %s", v->text ? v->text : num_to_string(v->num), e->name);
        return none;
    }
    case T_TEXT:
        if (v->kind == TV_NAME || v->kind == TV_TEXT) return val_text(v->text);
        error_at(r, v->loc, NULL, "expected a name or text here");
        return none;
    default:
        return none;
    }
}

static void resolve_expects(Runner *r, Test *t)
{
    const Program *p = r->p;
    const PtrVec *xs = &t->d->test->expects;
    t->expects = GC_MALLOC(sizeof(Expect) * ((size_t)xs->n + 1));
    if (xs->n == 0)
        error_at(r, t->d->name_loc, "e.g. expect item 2 = 4", "the test expects nothing");
    for (int k = 0; k < xs->n; k++) {
        Expect *e = &t->expects[k];
        e->x = xs->items[k];
        e->tg = find_target(r, e->x, &e->index);
        e->period = t->period;
        if (e->x->period && (e->period = find_period(r, e->x->period, e->x->period_loc)) < 0) continue;
        e->type = T_NUM;
        e->enum_id = -1;
        int i = e->index;
        switch (e->tg) {
        case TG_NONE: continue;
        case TG_RESULT: e->type = p->results[i].type; e->enum_id = p->results[i].enum_id; break;
        case TG_GRADE: e->type = T_ENUM; e->enum_id = p->grades[i].enum_id; break;
        case TG_OUTCOME: e->type = p->outcomes[i].type; e->enum_id = p->outcomes[i].enum_id; break;
        default: break;
        }
        e->want = wanted(r, e->x->value, e->type, e->enum_id);
    }
}

static const char *show(const Program *p, Value v, int enum_id)
{
    switch (v.tag) {
    case V_NUM: return num_to_string(v.as.num);
    case V_BOOL: return v.as.b ? "是" : "否";
    case V_ENUM: return p->enums[enum_id].members[v.as.e];
    case V_TEXT: return v.as.s;
    default: return "?";
    }
}

/* ---- derivations and coverage -------------------------------------------------- */

static const char *step_word(StepKind k)
{
    switch (k) {
    case S_ZERO: return "zero";
    case S_DEDUCT: return "deduct";
    case S_ADD: return "add";
    case S_SCORE: return "score";
    case S_SCALE: return "scale";
    default: return "step";
    }
}

/* A step moved the score when it changed it, or, for a gate or a score
** step, when it was reached at all (a gate that empties an item already at
** 0 still decided it). */
static bool step_counts(StepKind k, Num before, Num after)
{
    return k == S_ZERO || k == S_SCORE || !num_eq(before, after);
}

/* Marks the steps that moved item `item` (every item when -1) of the test's
** unit in period `period` (every period when -1), from the trace. */
static void cover_steps(Runner *r, int item, int period)
{
    const Program *p = r->p;
    for (int per = 0; per < p->nperiods; per++) {
        if (period >= 0 && per != period) continue;
        for (int i = 0; i < p->nitems; i++) {
            const TraceNode *n = (item < 0 || i == item) ? r->trace->items[(size_t)per * (size_t)p->nitems + (size_t)i]
                                                         : NULL;
            for (int k = 0; n && k < n->nsteps; k++) {
                const TraceStep *ts = &n->steps[k];
                if (step_counts(p->items[i].steps[ts->step].kind, ts->before, ts->after))
                    r->step_seen[i][ts->step] = true;
            }
        }
    }
}

/* The steps behind an item's score, as notes at each rule. */
static void derive_item(Runner *r, int item, int period, Num final)
{
    const Program *p = r->p;
    const ItemDef *it = &p->items[item];
    const TraceNode *n = r->trace->items[(size_t)period * (size_t)p->nitems + (size_t)item];
    if (!n) return;
    diag_at(DIAG_NOTE, it->loc, NULL, "item %s starts at %s", it->id, num_to_string(n->start));
    for (int k = 0; k < n->nsteps; k++) {
        const TraceStep *ts = &n->steps[k];
        const StepInfo *si = &it->steps[ts->step];
        Num delta = num_sub(ts->after, ts->before);
        if (si->kind == S_ZERO)
            diag_at(DIAG_NOTE, si->loc, NULL, "this gate fired: the item is 0");
        else if (si->kind == S_DEDUCT || si->kind == S_ADD)
            diag_at(DIAG_NOTE, si->loc, NULL, "%s %s: %s → %s", step_word(si->kind),
                    num_to_string(si->kind == S_DEDUCT ? num_neg(delta) : delta),
                    num_to_string(ts->before), num_to_string(ts->after));
        else
            diag_at(DIAG_NOTE, si->loc, NULL, "%s: %s → %s", step_word(si->kind), num_to_string(ts->before),
                    num_to_string(ts->after));
    }
    if (!num_eq(n->raw, final)) {
        char range[96];
        snprintf(range, sizeof range, it->has_points ? "[0, %s]" : "at least 0%s",
                 it->has_points ? num_to_string(item_points(it, n->unit)) : "");
        diag_at(DIAG_NOTE, it->loc, NULL, "item %s ends at %s: held to %s%s", it->id, num_to_string(final), range,
                p->round_items ? " and rounded" : "");
    }
}

static void check_expect(Runner *r, const Test *t, const Expect *e, const UnitScores *sc, bool *ok,
                         bool *periods_noted)
{
    const Program *p = r->p;
    const TestExpect *x = e->x;
    int i = e->index;
    Value got;
    switch (e->tg) {
    case TG_ITEM: got = val_num(sc->items[(size_t)e->period * (size_t)p->nitems + (size_t)i]); break;
    case TG_PERIOD: got = val_num(sc->periods[i]); break;
    case TG_RESULT: got = sc->results[i]; break;
    case TG_GRADE: got = sc->grades[i]; break;
    default: got = sc->outcomes[i]; break;
    }
    /* what this expectation checks counts as covered */
    switch (e->tg) {
    case TG_ITEM: r->item_seen[i] = true; cover_steps(r, i, e->period); break;
    case TG_PERIOD: cover_steps(r, -1, i); break;
    case TG_GRADE: r->band_seen[i][got.as.e] = true; cover_steps(r, -1, -1); break;
    case TG_RESULT: r->result_seen[i] = true; cover_steps(r, -1, -1); break;
    default: r->outcome_seen[i] = true; cover_steps(r, -1, -1); break;
    }
    if (val_equal(got, e->want)) return;
    *ok = false;
    const char *what = e->tg == TG_ITEM ? "item" : e->tg == TG_PERIOD ? "period" : "";
    char hint[512];
    snprintf(hint, sizeof hint, "in test \"%s\", for %s, period %s", t->d->name, p->units->names[t->unit],
             p->periods[e->tg == TG_ITEM ? e->period : t->period]);
    diag_at(DIAG_ERROR, x->loc, hint, "%s%s%s is %s, expected %s", what, *what ? " " : "", x->name,
            show(p, got, e->enum_id), show(p, e->want, e->enum_id));
    if (e->tg == TG_ITEM) derive_item(r, i, e->period, got.as.num);
    if (e->tg != TG_ITEM && e->tg != TG_PERIOD && !*periods_noted)
        for (int k = 0; k < p->nperiods; k++, *periods_noted = true)
            diag_plain(DIAG_NOTE, NULL, "%s of %s: %s", p->period_labels[k], p->units->names[t->unit],
                       num_to_string(sc->periods[k]));
}

static bool run_test(Runner *r, Test *t)
{
    const Program *p = r->p;
    Eval *ev = eval_new(p, t->facts);
    if (!ev) return false;
    r->trace = trace_new(p, t->unit);
    UnitScores *sc = eval_scores_new(p);
    if (!eval_unit_traced(ev, t->unit, sc, r->trace)) {
        diag_at(DIAG_NOTE, t->d->name_loc, eval_failed_on_facts(ev)
                    ? "a fact the test does not give is blank: give it here or in test defaults" : NULL,
                "in test \"%s\"", t->d->name);
        return false;
    }
    bool ok = true, noted = false;
    for (int k = 0; k < t->d->test->expects.n; k++) check_expect(r, t, &t->expects[k], sc, &ok, &noted);
    return ok;
}

/* Every item, step, band, result and outcome no test checked, as a warning;
** returns how many there are of each, and how many were covered. */
static void report_coverage(Runner *r, int *total, int *covered)
{
    const Program *p = r->p;
    *total = *covered = 0;
#define UNIT(seen, ...)                                     \
    do {                                                    \
        ++*total;                                           \
        if (seen) ++*covered;                               \
        else diag_at(DIAG_WARNING, __VA_ARGS__);            \
    } while (0)
    for (int i = 0; i < p->nitems; i++) {
        const ItemDef *it = &p->items[i];
        UNIT(r->item_seen[i], it->loc, "add a test that expects its score", "no test checks item %s", it->id);
        for (int s = 0; s < it->nsteps; s++) {
            const StepInfo *si = &it->steps[s];
            if (si->kind == S_WHEN) continue;   /* its blocks are covered by their steps */
            const char *what = si->kind == S_ZERO ? "makes this gate fire"
                             : si->kind == S_SCORE ? "reaches this step" : "makes this step change the score";
            UNIT(r->step_seen[i][s], si->loc, "add a test whose facts make it apply", "no test of item %s %s",
                 it->id, what);
        }
    }
    for (int g = 0; g < p->ngrades; g++) {
        const EnumType *e = &p->enums[p->grades[g].enum_id];
        for (int b = 0; b < e->n; b++)
            UNIT(r->band_seen[g][b], p->grades[g].loc, "add a test that expects this band",
                 "no test gives %s the band %s", p->grades[g].name, e->members[b]);
    }
    for (int i = 0; i < p->nresults; i++)
        UNIT(r->result_seen[i], p->results[i].loc, NULL, "no test checks %s", p->results[i].name);
    for (int i = 0; i < p->noutcomes; i++)
        UNIT(r->outcome_seen[i], p->outcomes[i].loc, NULL, "no test checks %s", p->outcomes[i].name);
#undef UNIT
}

int ruletest_run(const char *rules, int min_coverage)
{
    BuildOpts o = { .tests = "tests" };
    Build *b = build_rubric(rules, &o);
    if (!b || b->stage != BUILD_COMPILED) return EXIT_RULES;
    Runner r = { 0 };
    r.p = b->p;
    const Program *p = r.p;
    setup(&r, b->ast);
    if (r.failed) return EXIT_RULES;
    if (r.tests.n == 0) {
        diag_plain(DIAG_ERROR, "write tests as test \"名称\" { given … expect … } in .kh files of the tests folder",
                   "no rule tests in %s", rules);
        return EXIT_FAILED;
    }
    r.item_seen = GC_MALLOC_ATOMIC((size_t)p->nitems + 1);
    memset(r.item_seen, 0, (size_t)p->nitems + 1);
    r.step_seen = GC_MALLOC(sizeof(bool *) * ((size_t)p->nitems + 1));
    for (int i = 0; i < p->nitems; i++) {
        r.step_seen[i] = GC_MALLOC_ATOMIC((size_t)p->items[i].nsteps + 1);
        memset(r.step_seen[i], 0, (size_t)p->items[i].nsteps + 1);
    }
    r.band_seen = GC_MALLOC(sizeof(bool *) * ((size_t)p->ngrades + 1));
    for (int g = 0; g < p->ngrades; g++) {
        size_t n = (size_t)p->enums[p->grades[g].enum_id].n + 1;
        r.band_seen[g] = GC_MALLOC_ATOMIC(n);
        memset(r.band_seen[g], 0, n);
    }
    r.result_seen = GC_MALLOC_ATOMIC((size_t)p->nresults + 1);
    memset(r.result_seen, 0, (size_t)p->nresults + 1);
    r.outcome_seen = GC_MALLOC_ATOMIC((size_t)p->noutcomes + 1);
    memset(r.outcome_seen, 0, (size_t)p->noutcomes + 1);

    int passed = 0;
    for (int i = 0; i < r.tests.n; i++)
        if (run_test(&r, r.tests.items[i])) passed++;
    int total, covered;
    report_coverage(&r, &total, &covered);
    int failed = r.tests.n - passed;
    printf("%d test%s: %d passed", r.tests.n, r.tests.n == 1 ? "" : "s", passed);
    if (failed) printf(", %d failed", failed);
    printf("\ncoverage: %d of %d items, steps, grade bands, results and outcomes checked (%d%%)\n",
           covered, total, total ? (int)((long)covered * 100 / total) : 100);
    if (fflush(stdout) != 0) return EXIT_OUTPUT;
    if (r.failed) return EXIT_RULES;
    if (failed) return EXIT_FAILED;
    if (min_coverage >= 0 && (long)covered * 100 < (long)min_coverage * total) {
        diag_plain(DIAG_ERROR, "the warnings above name what no test checks",
                   "coverage is below the %d%% asked for", min_coverage);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}
