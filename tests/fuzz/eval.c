/*
** eval.c — fuzz harness for evaluation: any bytes as the fact file of the
** 2021 rubric (rules/xinjian-2021, read from the repository root). A fact
** file is refused with well-formed messages, or every unit is scored, or
** scoring stops with an error; when it succeeds, the traced VM (explain,
** report; one unit at a time) gives the same scores as eval_unit (the
** batch interpreter, 64 units at a time), and every output format and the
** explanation are written. fuzz_score is shared with
** rules_facts.c.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "explain.h"
#include "fuzz.h"
#include "output.h"
#include "provenance.h"
#include "report.h"
#include "vm.h"

static bool same_value(Value a, Value b)
{
    return a.tag == b.tag && (a.tag == V_NONE || val_equal(a, b));
}

static void same_scores(const Program *p, const UnitScores *a, const UnitScores *b)
{
    int np = p->nperiods;
    for (int i = 0; i < np * p->nitems; i++) FUZZ_ASSERT(num_eq(a->items[i], b->items[i]));
    for (int i = 0; i < np * p->nsections; i++) FUZZ_ASSERT(num_eq(a->sections[i], b->sections[i]));
    for (int i = 0; i < np; i++) FUZZ_ASSERT(num_eq(a->periods[i], b->periods[i]));
    for (int i = 0; i < p->nresults; i++) FUZZ_ASSERT(same_value(a->results[i], b->results[i]));
    for (int i = 0; i < p->ngrades; i++) FUZZ_ASSERT(same_value(a->grades[i], b->grades[i]));
    for (int i = 0; i < p->noutcomes; i++) FUZZ_ASSERT(same_value(a->outcomes[i], b->outcomes[i]));
}

/* Writes through fn into memory and throws the text away. */
static FILE *sink(char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    FUZZ_ASSERT(f != NULL);
    return f;
}

void fuzz_score(const Program *p, const char *facts_path)
{
    fuzz_begin();
    FactData *f = facts_load_ex(facts_path, CSV_ENC_AUTO, &p->schema, p->units, true);
    Eval *ev = f ? eval_new(p, f) : NULL;
    if (!ev) {
        fuzz_check_messages(fuzz_end(), true);
        return;
    }
    int nu = p->units->n;
    /* collected memory: the scores are GC blocks, and malloc'd memory is
    ** not scanned */
    UnitScores **plain = GC_MALLOC(sizeof *plain * (size_t)(nu + 1));
    FUZZ_ASSERT(plain != NULL);
    bool ok = true;
    for (int u = 0; u < nu && ok; u++) {
        plain[u] = eval_scores_new(p);
        ok = eval_unit(ev, u, plain[u]);
    }
    char *text = NULL;
    size_t len = 0;
    if (ok) {
        static const OutFormat fmts[] = { FMT_TABLE, FMT_CSV, FMT_JSON };
        for (size_t k = 0; k < 3; k++) {
            for (int detail = 0; detail < 2; detail++) {
                FILE *out = sink(&text, &len);
                Output *o = output_begin(out, p, fmts[k], detail, fmts[k] == FMT_JSON ? provenance_of(p, f) : NULL);
                for (int u = 0; u < nu; u++) output_unit(o, u, plain[u]);
                output_end(o);
                FUZZ_ASSERT(fclose(out) == 0);
                free(text);
            }
        }
    }
    fuzz_check_messages(fuzz_end(), !ok);
    if (ok) {
        fuzz_begin();
        FILE *out = sink(&text, &len);
        ExplFilter all = { -1, NULL };
        for (int u = 0; u < nu; u++) {
            ExplUnit *x = explain_unit(ev, p, f, u);
            FUZZ_ASSERT(x != NULL);
            same_scores(p, plain[u], x->scores);
            explain_text(out, p, x, all);
            explain_json(out, p, x, all);
        }
        FUZZ_ASSERT(report_write(out, ev, p, f, NULL) == 0);
        FUZZ_ASSERT(fclose(out) == 0);
        free(text);
        fuzz_check_messages(fuzz_end(), false);
    }
}

int fuzz_eval(const uint8_t *data, size_t size)
{
    static Program *rubric;      /* static data is a root: the collector keeps it */
    fuzz_setup();
    fuzz_input(data, size);
    if (!rubric) {
        fuzz_begin();
        rubric = compile_rubric("rules/xinjian-2021");
        const char *msgs = fuzz_end();
        if (!rubric) fprintf(stderr, "%s(run from the repository root)\n", msgs);
        FUZZ_ASSERT(rubric != NULL);
    }
    fuzz_write("facts.csv", data, size);
    fuzz_score(rubric, fuzz_path("facts.csv"));
    return 0;
}
