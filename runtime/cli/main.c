/*
** main.c — the `kaohe` command: argument parsing, the run, whatif,
** explain, report and disasm commands, exit codes, and atomic output (everything is written to a
** temporary file or memory first, so an error never leaves a partial file).
*/
#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "commands.h"
#include "disasm.h"
#include "explain.h"
#include "fault.h"
#include "i18n.h"
#include "output.h"
#include "provenance.h"
#include "report.h"
#include "xlsx.h"
#include "vm.h"
#include "whatif.h"


static const char usage_text[] =
    "kaohe — score assessed units against a rubric written as rule files\n"
    "\n"
    "usage:\n"
    "  kaohe run RULES FACTS.csv [options]       score every unit\n"
    "  kaohe whatif RULES FACTS.csv [options] --set/--scenario/--table/--sweep …\n"
    "                                            compare with the rubric as it is, or sweep a measure\n"
    "  kaohe explain RULES FACTS.csv [options]   how each score was derived, down to the fact cells\n"
    "  kaohe report RULES FACTS.csv -o FILE.html one self-contained HTML report for auditors\n"
    "  kaohe check RULES [--strict]              check the rules without facts: points, bands, names, data\n"
    "  kaohe test RULES [--min-coverage N]       run the rule tests in RULES/tests and report coverage\n"
    "  kaohe fmt [--check] PATH...               lay out rule files (folders: every .kh inside)\n"
    "  kaohe disasm RULES                        list the compiled bytecode with source lines\n"
    "  kaohe --help | --version\n"
    "\n"
    "RULES is a rubric folder of .kh files (e.g. rules/xinjian-2021) or one .kh file.\n"
    "\n"
    "options:\n"
    "  --format table|csv|json|xlsx   run: output format (default: table; xlsx needs -o);\n"
    "                                 whatif: table, csv or json\n"
    "  --format text|json             explain: output format (default: text)\n"
    "  --detail                       run: one row per unit, period and item;\n"
    "                                 whatif: every unit, period and item that changed\n"
    "  --unit NAME --period P --item N\n"
    "                                 explain: only this unit / period / item (default: all)\n"
    "  -o FILE                        write to FILE (replaced only when everything succeeded)\n"
    "  --encoding auto|utf-8|gb18030  encoding of FACTS.csv (default: auto — UTF-8, else GB18030)\n"
    "\n"
    "what-if options, for run, whatif, explain and report (applied in the order given):\n"
    "  --set NAME=VALUE               a param (人员标准=4), one period of it (时序进度.过程=0.6),\n"
    "                                 a grade's band (等次.良好=85) or a case of a by (能力建设补助.良好=80%)\n"
    "  --scenario FILE                a scenario file (e.g. rules/xinjian-2021/scenarios/提高人员标准.kh)\n"
    "  --table NAME=FILE              another file for an annex table (民生任务=annex3-2022.csv)\n"
    "  --sweep NAME=LOW..HIGH[:STEP]  whatif only: units per grade and totals for each value\n"
    "\n"
    "exit status: 0 success, 1 a check did not pass (test, fmt --check, check --strict),\n"
    "             2 usage, 3 bad rules or tables, 4 bad facts,\n"
    "             5 a rule failed while scoring, 6 output could not be written\n";

int usage_error(const char *fmt, const char *arg)
{
    char msg[256];
    const char *hole = strstr(fmt, "%s");
    size_t before = hole ? (size_t)(hole - fmt) : strlen(fmt);
    snprintf(msg, sizeof msg, "%.*s%s%s", (int)before, fmt, hole ? arg : "", hole ? hole + 2 : "");
    diag_plain(DIAG_ERROR, "see 'kaohe --help'", "%s", msg);
    return EXIT_USAGE;
}

typedef struct RunOpts {
    const char *cmd;
    const char *rules, *facts, *out_path;
    OutFormat format;
    bool detail;
    CsvEncoding encoding;
    const char *unit, *period, *item;     /* explain */
    Scenario *scenario;                   /* --set, --scenario, --table, --sweep */
} RunOpts;

/* Sets an option that takes a value; 0 or a usage error's exit code. */
static int set_value_opt(RunOpts *o, const char *name, const char *v)
{
    if (strcmp(name, "-o") == 0) o->out_path = v;
    else if (strcmp(name, "--unit") == 0) o->unit = v;
    else if (strcmp(name, "--period") == 0) o->period = v;
    else if (strcmp(name, "--item") == 0) o->item = v;
    else if (strcmp(name, "--encoding") == 0) {
        if (!csv_encoding_parse(v, &o->encoding))
            return usage_error("unknown encoding '%s' (use auto, utf-8 or gb18030)", v);
    } else if (strcmp(v, "table") == 0 || (strcmp(v, "text") == 0 && strcmp(o->cmd, "explain") == 0)) o->format = FMT_TABLE;
    else if (strcmp(v, "csv") == 0 && (strcmp(o->cmd, "run") == 0 || strcmp(o->cmd, "whatif") == 0)) o->format = FMT_CSV;
    else if (strcmp(v, "json") == 0) o->format = FMT_JSON;
    else if (strcmp(v, "xlsx") == 0 && strcmp(o->cmd, "run") == 0) o->format = FMT_XLSX;
    else if (strcmp(o->cmd, "run") == 0) return usage_error("unknown format '%s' (use table, csv, json or xlsx)", v);
    else if (strcmp(o->cmd, "whatif") == 0) return usage_error("unknown format '%s' (use table, csv or json)", v);
    else return usage_error("unknown format '%s' (use text or json)", v);
    return 0;
}

/* Which value options each command takes. */
static bool takes_opt(const char *cmd, const char *name)
{
    if (strcmp(name, "-o") == 0 || strcmp(name, "--encoding") == 0) return true;
    if (strcmp(name, "--format") == 0) return strcmp(cmd, "report") != 0;
    return strcmp(cmd, "explain") == 0 &&
           (strcmp(name, "--unit") == 0 || strcmp(name, "--period") == 0 || strcmp(name, "--item") == 0);
}

static int parse_run_opts(const char *cmd, int argc, char **argv, RunOpts *o)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->scenario = scenario_new();
    bool whatif = strcmp(cmd, "whatif") == 0;
    o->format = FMT_TABLE;
    o->encoding = CSV_ENC_AUTO;
    const char *pos[2];
    int npos = 0, rc;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
        char name[32];
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
        if (a[0] == '-' && a[1] && takes_opt(cmd, name)) {
            /* --name=value is the same as --name value */
            if (!eq && i + 1 >= argc) return usage_error("%s needs a value", a);
            if ((rc = set_value_opt(o, name, eq ? eq + 1 : argv[++i]))) return rc;
        } else if (strcmp(a, "--detail") == 0 && (strcmp(cmd, "run") == 0 || whatif)) {
            o->detail = true;
        } else if (a[0] == '-' && a[1] == '-' && (rc = scenario_option(o->scenario, argc, argv, &i, whatif)) != 0) {
            if (rc != 1) return rc;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else {
            if (npos == 2) return usage_error("unexpected argument '%s'", a);
            pos[npos++] = a;
        }
    }
    if (npos < 2) {
        char msg[64];
        snprintf(msg, sizeof msg, "%s needs RULES and FACTS.csv", cmd);
        return usage_error("%s", msg);
    }
    if (o->format == FMT_XLSX && !o->out_path)
        return usage_error("%s", "--format xlsx needs -o FILE.xlsx (a spreadsheet is not shown on the terminal)");
    if (strcmp(cmd, "report") == 0 && !o->out_path)
        return usage_error("%s", "report needs -o FILE.html");
    o->rules = pos[0];
    o->facts = pos[1];
    return 0;
}

/* Output goes to memory (stdout) or a temporary file beside the target; it is
** shown or renamed into place only after the last unit was scored. */
typedef struct Sink {
    FILE *fp;
    char *mem;
    size_t memlen;
    char *tmp_path;
    const char *path;
} Sink;

static bool sink_open(Sink *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    if (!path) {
        s->fp = open_memstream(&s->mem, &s->memlen);
        if (!s->fp) fault_out_of_memory();
        return true;
    }
    int fd = temp_beside(path, &s->tmp_path);
    if (fd < 0) {
        diag_plain(DIAG_ERROR, NULL, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    s->fp = fdopen(fd, "w");
    if (!s->fp) fault_out_of_memory();   /* the descriptor is there: only memory can fail */
    return true;
}

static void sink_abandon(Sink *s)
{
    if (s->fp) fclose(s->fp);
    s->fp = NULL;
    if (s->tmp_path) { unlink(s->tmp_path); free(s->tmp_path); s->tmp_path = NULL; }
    free(s->mem);
    s->mem = NULL;
}

static bool sink_commit(Sink *s)
{
    bool ok = fflush(s->fp) == 0 && !ferror(s->fp);
    if (s->path) {
        if (ok) ok = fsync(fileno(s->fp)) == 0;
        ok = (fclose(s->fp) == 0) && ok;
        s->fp = NULL;
        if (ok) ok = rename(s->tmp_path, s->path) == 0;
        if (!ok) {
            diag_plain(DIAG_ERROR, "check the disk space and permissions; the old file was left as it was",
                       "cannot write %s: %s", s->path, strerror(errno));
            unlink(s->tmp_path);
        }
        free(s->tmp_path);
        s->tmp_path = NULL;
        return ok;
    }
    fclose(s->fp);
    s->fp = NULL;
    ok = ok && fwrite(s->mem, 1, s->memlen, stdout) == s->memlen && fflush(stdout) == 0;
    free(s->mem);
    s->mem = NULL;
    if (!ok) diag_plain(DIAG_ERROR, NULL, "cannot write the output: %s", strerror(errno));
    return ok;
}

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
    *facts = facts_load_ex(o->facts, o->encoding, &p->schema, p->units, keep_cells);
    if (!*facts) return EXIT_FACTS;
    *ev = eval_new(p, *facts);
    return *ev ? EXIT_OK : EXIT_EVAL;
}

static int cmd_run(int argc, char **argv)
{
    RunOpts o;
    int rc = parse_run_opts("run", argc, argv, &o);
    if (rc) return rc;
    Program *base, *p;
    if ((rc = scenario_compile(o.scenario, o.rules, &base, &p))) return rc;
    FactData *facts;
    Eval *ev;
    if ((rc = load_facts(&o, p, false, &facts, &ev))) return rc;
    if (o.format == FMT_XLSX) {
        if ((rc = score_all(ev, p))) return rc;
        return xlsx_write(o.out_path, ev, p, facts);
    }
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
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
static int cmd_whatif(int argc, char **argv)
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
    FactData *facts = facts_load(o.facts, o.encoding, &base->schema, base->units);
    if (!facts) return EXIT_FACTS;
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
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
            snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : p->periods[0]);
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
            snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : ids[0]);
            diag_plain(DIAG_ERROR, s ? hint : "items are named by their number, e.g. --item 2", "unknown item '%s'",
                       o->item);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

static int cmd_explain(int argc, char **argv)
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

static int cmd_report(int argc, char **argv)
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

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "disasm needs exactly one RULES argument");
    Program *p = compile_rubric(argv[0]);
    if (!p) return EXIT_RULES;
    FILE *out = stdout;
    disasm_program(p, out);
    if (fflush(out) != 0 || ferror(out)) {
        diag_plain(DIAG_ERROR, NULL, "cannot write the output: %s", strerror(errno));
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    fault_init();
    GC_INIT();
    num_init();
    i18n_init(argv[0]);
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("kaohe %s\n", KAOHE_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "disasm") == 0) return cmd_disasm(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0) return cmd_explain(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 2, argv + 2);
    if (strcmp(cmd, "whatif") == 0) return cmd_whatif(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0) return cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "fmt") == 0) return cmd_fmt(argc - 2, argv + 2);
    const char *cmds[] = { "run", "disasm", "explain", "report", "whatif", "check", "test", "fmt" };
    const char *s = diag_suggest(cmd, cmds, sizeof cmds / sizeof *cmds);
    char hint[64];
    snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : "run");
    diag_plain(DIAG_ERROR, s ? hint : "see 'kaohe --help'", "unknown command '%s'", cmd);
    return EXIT_USAGE;
}
