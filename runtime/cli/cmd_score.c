/*
** cmd_score.c — the commands that score: run, whatif, explain and report.
** They share one option set (the facts' encoding, -o, the what-if options)
** and one order of work: parse, compile the rubric with the scenario, read
** the facts, score, write through a Sink so nothing partial is left.
*/
#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "commands.h"
#include "diag.h"
#include "explain.h"
#include "output.h"
#include "provenance.h"
#include "report.h"
#include "sink.h"
#include "vm.h"
#include "whatif.h"
#include "xlsx.h"

/* ---- options ------------------------------------------------------------------ */

enum {
    OPT_FORMAT = 256, OPT_DETAIL, OPT_ENCODING, OPT_SHEET, OPT_UNIT, OPT_PERIOD, OPT_ITEM,
    OPT_SET, OPT_SCENARIO, OPT_TABLE, OPT_SWEEP
};

#define OPT_OUTPUT { "o", 'o', "FILE", "write to FILE (replaced only when everything succeeded)", NULL, NULL }
#define OPT_ENCODING_ROW { "encoding", OPT_ENCODING, "auto|utf-8|gb18030", \
      "encoding of a CSV FACTS (default: auto — UTF-8, else GB18030); with --format csv -o FILE\n" \
      "also of the CSV written: gb18030, else UTF-8 with a BOM (standard output: UTF-8, no BOM)", NULL, NULL }, \
    { "sheet", OPT_SHEET, "NAME", "the sheet of a workbook FACTS (default: its first visible sheet)", NULL, NULL }

/* The what-if options, in the order given on the command line. */
static const CliOption change_options[] = {
    { "set", OPT_SET, "NAME=VALUE", "a param (人员标准=4), one period of it (时序进度.过程=0.6),\n"
      "a grade's band (等次.良好=85) or a case of a by (能力建设补助.良好=80%)", NULL, NULL },
    { "scenario", OPT_SCENARIO, "FILE", "a scenario file (e.g. rules/xinjian-2021/scenarios/提高人员标准.kh)", NULL, NULL },
    { "table", OPT_TABLE, "NAME=FILE", "another file for an annex table (民生任务=annex3-2022.csv)", NULL, NULL },
    { 0 }
};
/* --sweep is known to every scoring command, so that run is told it works
** with whatif only; only whatif lists it. */
static const CliOption sweep_hidden[] = { { "sweep", OPT_SWEEP, "NAME=LOW..HIGH[:STEP]", NULL, NULL, NULL }, { 0 } };

const CliOption run_options[] = {
    { "format", OPT_FORMAT, "table|csv|json|xlsx", "output format (default: table; xlsx needs -o)", NULL, NULL },
    { "detail", OPT_DETAIL, NULL, "one row per unit, period and item", NULL, NULL },
    OPT_OUTPUT, OPT_ENCODING_ROW,
    { .include = change_options }, { .include = sweep_hidden },
    { 0 }
};

const CliOption whatif_options[] = {
    { "format", OPT_FORMAT, "table|csv|json", "output format (default: table)", NULL, NULL },
    { "detail", OPT_DETAIL, NULL, "every unit, period and item that changed", NULL, NULL },
    OPT_OUTPUT, OPT_ENCODING_ROW,
    { .include = change_options },
    { "sweep", OPT_SWEEP, "NAME=LOW..HIGH[:STEP]", "units per grade and totals for each value", NULL, NULL },
    { 0 }
};

const CliOption explain_options[] = {
    { "format", OPT_FORMAT, "text|json", "output format (default: text)", NULL, NULL },
    { "unit", OPT_UNIT, "NAME", "only this unit (default: all)", NULL, NULL },
    { "period", OPT_PERIOD, "P", "only this period", NULL, NULL },
    { "item", OPT_ITEM, "N", "only this item", NULL, NULL },
    OPT_OUTPUT, OPT_ENCODING_ROW,
    { .include = change_options }, { .include = sweep_hidden },
    { 0 }
};

const CliOption report_options[] = {
    { "o", 'o', "FILE.html", "write the report to FILE.html (replaced only when everything succeeded)", NULL, NULL },
    OPT_ENCODING_ROW,
    { .include = change_options }, { .include = sweep_hidden },
    { 0 }
};

typedef struct RunOpts {
    const char *cmd;
    const char *rules, *facts, *out_path;
    const char *pos[2];
    int npos;
    OutFormat format;
    bool detail;
    CsvEncoding encoding;
    const char *sheet;                    /* --sheet: of a workbook FACTS */
    const char *unit, *period, *item;     /* explain */
    Scenario *scenario;                   /* --set, --scenario, --table, --sweep */
} RunOpts;

/* --format's value, as each command takes it. */
static int set_format(RunOpts *o, const char *v)
{
    bool run = strcmp(o->cmd, "run") == 0, whatif = strcmp(o->cmd, "whatif") == 0;
    bool explain = strcmp(o->cmd, "explain") == 0;
    if (strcmp(v, "table") == 0 || (strcmp(v, "text") == 0 && explain)) o->format = FMT_TABLE;
    else if (strcmp(v, "csv") == 0 && (run || whatif)) o->format = FMT_CSV;
    else if (strcmp(v, "json") == 0) o->format = FMT_JSON;
    else if (strcmp(v, "xlsx") == 0 && run) o->format = FMT_XLSX;
    else if (run) return usage_error("unknown format '%s' (use table, csv, json or xlsx)", v);
    else if (whatif) return usage_error("unknown format '%s' (use table, csv or json)", v);
    else return usage_error("unknown format '%s' (use text or json)", v);
    return 0;
}

/* -o FILE: a file name, checked before any work is done. */
static int set_output(RunOpts *o, const char *v)
{
    struct stat st;
    size_t n = strlen(v);
    if (n == 0) return usage_error("%s", "-o needs a file name");
    if (v[n - 1] == '/' || (stat(v, &st) == 0 && S_ISDIR(st.st_mode))) {
        char hint[64];
        snprintf(hint, sizeof hint, "name a file inside it, e.g. -o %s%sresult", v, v[n - 1] == '/' ? "" : "/");
        diag_plain(DIAG_ERROR, n < 40 ? hint : "name a file inside it", "-o %s names a folder, not a file", v);
        return EXIT_USAGE;
    }
    o->out_path = v;
    return 0;
}

static int run_option(void *ctx, int key, const char *option, const char *v)
{
    RunOpts *o = ctx;
    switch (key) {
    case CLI_POSITIONAL:
        if (o->npos == 2) return usage_error("unexpected argument '%s'", v);
        o->pos[o->npos++] = v;
        return 0;
    case 'o': return set_output(o, v);
    case OPT_UNIT: o->unit = v; return 0;
    case OPT_PERIOD: o->period = v; return 0;
    case OPT_ITEM: o->item = v; return 0;
    case OPT_DETAIL: o->detail = true; return 0;
    case OPT_FORMAT: return set_format(o, v);
    case OPT_SHEET: o->sheet = v; return 0;
    case OPT_ENCODING:
        if (!csv_encoding_parse(v, &o->encoding))
            return usage_error("unknown encoding '%s' (use auto, utf-8 or gb18030)", v);
        return 0;
    case OPT_SET: scenario_add(o->scenario, SCENARIO_SET, v); return 0;
    case OPT_SCENARIO: scenario_add(o->scenario, SCENARIO_FILE, v); return 0;
    case OPT_TABLE: scenario_add(o->scenario, SCENARIO_TABLE, v); return 0;
    case OPT_SWEEP:
        if (strcmp(o->cmd, "whatif") != 0) return usage_error("%s works with 'kaohe whatif' only", "--sweep");
        if (!scenario_add(o->scenario, SCENARIO_SWEEP, v))
            return usage_error("%s is given twice; sweep one measure at a time", "--sweep");
        return 0;
    }
    return usage_error("unknown option '%s'", option ? option : v);
}

/* 0 or a usage error's exit status. */
static int parse_run_opts(const char *cmd, int argc, char **argv, RunOpts *o)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->scenario = scenario_new();
    o->format = FMT_TABLE;
    o->encoding = CSV_ENC_AUTO;
    const CliOption *table = strcmp(cmd, "run") == 0       ? run_options
                           : strcmp(cmd, "whatif") == 0    ? whatif_options
                           : strcmp(cmd, "explain") == 0   ? explain_options
                                                            : report_options;
    int rc = cli_parse(cmd, table, argc, argv, run_option, o);
    if (rc) return rc;
    if (o->npos < 2) {
        char msg[64];
        snprintf(msg, sizeof msg, "%s needs RULES and FACTS", cmd);
        return usage_error("%s", msg);
    }
    if (o->format == FMT_XLSX && !o->out_path)
        return usage_error("%s", "--format xlsx needs -o FILE.xlsx (a spreadsheet is not shown on the terminal)");
    if (strcmp(cmd, "report") == 0 && !o->out_path)
        return usage_error("%s", "report needs -o FILE.html");
    o->rules = o->pos[0];
    o->facts = o->pos[1];
    return 0;
}

/* ---- the commands --------------------------------------------------------------- */

/* Scores every unit with the plain VM, so that cohort values are known
** and any error is reported as `run` reports it. */
static int score_all(Eval *ev, const Program *p)
{
    UnitScores *scores = eval_scores_new(p);
    for (int u = 0; u < p->units->n; u++)
        if (!eval_unit(ev, u, scores)) return eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
    return EXIT_OK;
}

/* Reads the fact file (keeping each cell's text when an explanation will
** quote it) and evaluates the params. */
static int load_facts(const RunOpts *o, const Program *p, bool keep_cells, FactData **facts, Eval **ev)
{
    *facts = facts_load_sheet(o->facts, o->sheet, o->encoding, &p->schema, p->units, keep_cells);
    if (!*facts) return EXIT_FACTS;
    *ev = eval_new(p, *facts);
    return *ev ? EXIT_OK : EXIT_EVAL;
}

int cmd_run(int argc, char **argv)
{
    RunOpts o;
    int rc = parse_run_opts("run", argc, argv, &o);
    if (rc) return rc;
    Program *base, *p;
    if ((rc = scenario_compile(o.scenario, o.rules, &base, &p))) return rc;
    FactData *facts;
    Eval *ev;
    if ((rc = load_facts(&o, p, o.format == FMT_XLSX, &facts, &ev))) return rc;
    if (o.format == FMT_XLSX) {
        if ((rc = score_all(ev, p))) return rc;
        return xlsx_write(o.out_path, ev, p, facts);
    }
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
    if (o.format == FMT_CSV) sink_csv_file(&sink, o.encoding == CSV_ENC_GB18030);
    Output *out = output_begin(sink.fp, p, o.format, o.detail,
                               o.format == FMT_JSON ? provenance_of(p, facts) : NULL);
    UnitScores *scores = eval_scores_new(p);
    for (int u = 0; u < p->units->n; u++) {
        if (!eval_unit(ev, u, scores)) {
            sink_abandon(&sink);
            return eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
        }
        output_unit(out, u, scores);
    }
    output_end(out);
    return sink_commit(&sink) ? EXIT_OK : EXIT_OUTPUT;
}

/* Baseline against a scenario, or a sweep: runtime/whatif.c. */
int cmd_whatif(int argc, char **argv)
{
    RunOpts o;
    int rc = parse_run_opts("whatif", argc, argv, &o);
    if (rc) return rc;
    bool sweep = scenario_has_sweep(o.scenario);
    if (scenario_is_empty(o.scenario))
        return usage_error("%s", "whatif needs a change: --set, --scenario, --table or --sweep");
    if (sweep && o.detail) return usage_error("%s", "--detail does not go with --sweep");
    Program *base, *what;
    if ((rc = scenario_compile(o.scenario, o.rules, &base, &what))) return rc;
    FactData *facts = facts_load_sheet(o.facts, o.sheet, o.encoding, &base->schema, base->units, false);
    if (!facts) return EXIT_FACTS;
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
    if (o.format == FMT_CSV) sink_csv_file(&sink, o.encoding == CSV_ENC_GB18030);
    rc = sweep ? whatif_sweep(sink.fp, what, facts, o.scenario, o.format)
               : whatif_compare(sink.fp, base, what, facts, o.scenario, o.format, o.detail);
    if (rc) {
        sink_abandon(&sink);
        return rc;
    }
    return sink_commit(&sink) ? EXIT_OK : EXIT_OUTPUT;
}

/* --unit, --period, --item checked against the rubric, with did-you-mean. */
static int resolve_selection(const Program *p, const RunOpts *o, int *unit, ExplFilter *flt)
{
    *unit = -1;
    flt->period = -1;
    flt->item = o->item;
    if (o->unit) {
        *unit = units_find(p->units, o->unit);
        if (*unit == UNIT_NOT_ASSESSED) {
            diag_plain(DIAG_ERROR, "it is listed in the unit file with 考核 否, so it has no scores to explain",
                       "'%s' is not assessed", o->unit);
            return EXIT_USAGE;
        }
        if (*unit < 0) {
            const char *s = units_suggest(p->units, o->unit);
            char hint[256];
            snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : "");
            diag_plain(DIAG_ERROR, s ? hint : "the units are listed in the rubric's unit file", "unknown unit '%s'",
                       o->unit);
            return EXIT_USAGE;
        }
    }
    if (o->period) {
        for (int i = 0; i < p->nperiods; i++)
            if (strcmp(p->periods[i], o->period) == 0 || strcmp(p->period_labels[i], o->period) == 0) flt->period = i;
        if (flt->period < 0) {
            const char *s = diag_suggest(o->period, p->periods, (size_t)p->nperiods);
            char hint[256];
            if (s) {
                snprintf(hint, sizeof hint, "did you mean '%s'?", s);
            } else {                       /* no close name: say them all */
                size_t len = (size_t)snprintf(hint, sizeof hint, "the periods are");
                for (int i = 0; i < p->nperiods && len < sizeof hint - 40; i++)
                    len += (size_t)snprintf(hint + len, sizeof hint - len, "%s %s", i ? "," : "", p->periods[i]);
            }
            diag_plain(DIAG_ERROR, hint, "unknown period '%s'", o->period);
            return EXIT_USAGE;
        }
    }
    if (o->item) {
        const char **ids = GC_MALLOC(sizeof(char *) * (size_t)(p->nitems + 1));
        bool found = false;
        for (int i = 0; i < p->nitems; i++) {
            ids[i] = p->items[i].id;
            found |= strcmp(ids[i], o->item) == 0;
        }
        if (!found) {
            const char *s = diag_suggest(o->item, ids, (size_t)p->nitems);
            char hint[256];
            snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : "");
            diag_plain(DIAG_ERROR, s ? hint : "items are named by their number, e.g. --item 2", "unknown item '%s'",
                       o->item);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

int cmd_explain(int argc, char **argv)
{
    RunOpts o;
    int rc = parse_run_opts("explain", argc, argv, &o);
    if (rc) return rc;
    Program *base, *p;
    if ((rc = scenario_compile(o.scenario, o.rules, &base, &p))) return rc;
    int unit;
    ExplFilter flt;
    if ((rc = resolve_selection(p, &o, &unit, &flt))) return rc;
    FactData *facts;
    Eval *ev;
    if ((rc = load_facts(&o, p, true, &facts, &ev)) || (rc = score_all(ev, p))) return rc;
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
    if (o.format == FMT_JSON) {
        fputs("{\"kaohe\": ", sink.fp);
        json_string(sink.fp, KAOHE_VERSION);
        fputs(", \"provenance\": ", sink.fp);
        provenance_json(sink.fp, provenance_of(p, facts));
        fputs(",\n \"units\": [", sink.fp);
    }
    bool first = true;
    for (int u = 0; u < p->units->n; u++) {
        if (unit >= 0 && u != unit) continue;
        ExplUnit *x = explain_unit(ev, p, facts, u);
        if (!x) {
            sink_abandon(&sink);
            return eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
        }
        if (o.format == FMT_JSON) {
            fputs(first ? "\n  " : ",\n  ", sink.fp);
            explain_json(sink.fp, p, x, flt);
        } else {
            if (!first) fputs("\n", sink.fp);
            explain_text(sink.fp, p, x, flt);
        }
        first = false;
    }
    if (o.format == FMT_JSON) fputs("\n]}\n", sink.fp);
    return sink_commit(&sink) ? EXIT_OK : EXIT_OUTPUT;
}

int cmd_report(int argc, char **argv)
{
    RunOpts o;
    int rc = parse_run_opts("report", argc, argv, &o);
    if (rc) return rc;
    Program *base, *p;
    if ((rc = scenario_compile(o.scenario, o.rules, &base, &p))) return rc;
    FactData *facts;
    Eval *ev;
    if ((rc = load_facts(&o, p, true, &facts, &ev)) || (rc = score_all(ev, p))) return rc;
    char *whatif = NULL;    /* under a scenario: the comparison with the rubric as it is */
    size_t whatif_len = 0;
    if (!scenario_is_empty(o.scenario)) {
        FILE *mem = open_memstream(&whatif, &whatif_len);
        if (!mem) return EXIT_OUTPUT;
        rc = whatif_html(mem, base, p, facts, o.scenario);
        fclose(mem);
        if (rc) return rc;
    }
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
    rc = report_write(sink.fp, ev, p, facts, whatif);
    free(whatif);
    if (rc) {
        sink_abandon(&sink);
        return rc;
    }
    return sink_commit(&sink) ? EXIT_OK : EXIT_OUTPUT;
}

