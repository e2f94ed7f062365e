/*
** main.c — the `kaohe` command: argument parsing, the run and disasm
** commands, exit codes, and atomic output (everything is written to a
** temporary file or memory first, so an error never leaves a partial file).
*/
#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "output.h"
#include "vm.h"

#ifndef KAOHE_VERSION
#define KAOHE_VERSION "0.1.0"
#endif

static const char usage_text[] =
    "kaohe — score assessed units against a rubric written as rule files\n"
    "\n"
    "usage:\n"
    "  kaohe run RULES FACTS.csv [options]   score every unit\n"
    "  kaohe check RULES [--strict]          check the rules without facts: points, bands, names, data\n"
    "  kaohe test RULES [--min-coverage N]   run the rule tests in RULES/tests and report coverage\n"
    "  kaohe fmt [--check] PATH...           lay out rule files (folders: every .kh inside)\n"
    "  kaohe disasm RULES                    list the compiled bytecode with source lines\n"
    "  kaohe --help | --version\n"
    "\n"
    "RULES is a rubric folder of .kh files (e.g. rules/xinjian-2021) or one .kh file.\n"
    "\n"
    "options for run:\n"
    "  --format table|csv|json   output format (default: table)\n"
    "  --detail                  one row per unit, period and item\n"
    "  -o FILE                   write to FILE (replaced only when everything succeeded)\n"
    "  --encoding auto|utf-8|gb18030\n"
    "                            encoding of FACTS.csv (default: auto — UTF-8, else GB18030)\n"
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
    const char *rules, *facts, *out_path;
    OutFormat format;
    bool detail;
    CsvEncoding encoding;
} RunOpts;

static int parse_run_opts(int argc, char **argv, RunOpts *o)
{
    memset(o, 0, sizeof *o);
    o->format = FMT_TABLE;
    o->encoding = CSV_ENC_AUTO;
    const char *pos[2];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 || strcmp(a, "--encoding") == 0) {
            if (i + 1 >= argc) return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (a[1] == 'o') { o->out_path = v; continue; }
            if (strcmp(a, "--encoding") == 0) {
                if (!csv_encoding_parse(v, &o->encoding))
                    return usage_error("unknown encoding '%s' (use auto, utf-8 or gb18030)", v);
                continue;
            }
            if (strcmp(v, "table") == 0) o->format = FMT_TABLE;
            else if (strcmp(v, "csv") == 0) o->format = FMT_CSV;
            else if (strcmp(v, "json") == 0) o->format = FMT_JSON;
            else return usage_error("unknown format '%s' (use table, csv or json)", v);
        } else if (strncmp(a, "--format=", 9) == 0 || strncmp(a, "--encoding=", 11) == 0) {
            /* --name=value: the same as --name value */
            const char *eq = strchr(a, '=');
            char *name = strndup(a, (size_t)(eq - a));
            char *argv2[4] = { name, (char *)eq + 1, (char *)"x", (char *)"y" };
            RunOpts tmp;
            int rc = parse_run_opts(4, argv2, &tmp);
            free(name);
            if (rc != 0) return rc;
            if (a[2] == 'f') o->format = tmp.format;
            else o->encoding = tmp.encoding;
        } else if (strcmp(a, "--detail") == 0) {
            o->detail = true;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else {
            if (npos == 2) return usage_error("unexpected argument '%s'", a);
            pos[npos++] = a;
        }
    }
    if (npos < 2) return usage_error("%s", "run needs RULES and FACTS.csv");
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
        return s->fp != NULL;
    }
    size_t n = strlen(path);
    s->tmp_path = malloc(n + 16);
    if (!s->tmp_path) return false;
    snprintf(s->tmp_path, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(s->tmp_path);
    if (fd < 0) {
        diag_plain(DIAG_ERROR, NULL, "cannot write %s: %s", path, strerror(errno));
        free(s->tmp_path);
        s->tmp_path = NULL;
        return false;
    }
    s->fp = fdopen(fd, "w");
    return s->fp != NULL;
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

static int cmd_run(int argc, char **argv)
{
    RunOpts o;
    int rc = parse_run_opts(argc, argv, &o);
    if (rc) return rc;
    Program *p = compile_rubric(o.rules);
    if (!p) return EXIT_RULES;
    FactData *facts = facts_load(o.facts, o.encoding, &p->schema, p->units);
    if (!facts) return EXIT_FACTS;
    Eval *ev = eval_new(p, facts);
    if (!ev) return EXIT_EVAL;
    Sink sink;
    if (!sink_open(&sink, o.out_path)) return EXIT_OUTPUT;
    Output *out = output_begin(sink.fp, p, o.format, o.detail);
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

/* Names the operands of an instruction for the listing. */
static const char *describe(const Chunk *c, OpCode op, int a, int b, void *ctx)
{
    const Program *p = ctx;
    char *buf = GC_MALLOC_ATOMIC(256);
    switch (op) {
    case OP_CONST: {
        Value v = c->consts[a];
        snprintf(buf, 256, "%s", v.tag == V_NUM ? num_to_string(v.as.num)
                                 : v.tag == V_TEXT ? v.as.s
                                 : v.tag == V_ENUM ? "(choice)" : "?");
        if (v.tag == V_ENUM) snprintf(buf, 256, "choice #%d", v.as.e);
        return buf;
    }
    case OP_FACT: case OP_FACT_NUM: case OP_FACT_BOOL: case OP_FACT_AT: snprintf(buf, 256, "%s", p->schema.cols[a].column); return buf;
    case OP_FACT_ELEM: snprintf(buf, 256, "%s[]", p->facts[a].name); return buf;
    case OP_PARAM: case OP_PARAM_AT: snprintf(buf, 256, "%s", p->params[a].name); return buf;
    case OP_LET: case OP_LET_AT: snprintf(buf, 256, "%s", p->lets[a].name); return buf;
    case OP_TABLE: snprintf(buf, 256, "%s.%s", p->tables[a]->spec->name, p->tables[a]->cols[b]); return buf;
    case OP_UNIT_ATTR: snprintf(buf, 256, "unit.%s", p->units->attr_names[a]); return buf;
    case OP_PERIOD_SCORE: snprintf(buf, 256, "%s", p->periods[a]); return buf;
    case OP_RESULT: snprintf(buf, 256, "%s", p->results[a].name); return buf;
    case OP_GRADE: snprintf(buf, 256, "%s", p->grades[a].name); return buf;
    case OP_OUTCOME: snprintf(buf, 256, "%s", p->outcomes[a].name); return buf;
    case OP_COHORT: snprintf(buf, 256, "item %s of units", p->items[p->cohorts[a].item].id); return buf;
    case OP_ROUND: snprintf(buf, 256, "%d places, %s", a - 32768, round_mode_name((RoundMode)b)); return buf;
    default: return NULL;
    }
}

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "disasm needs exactly one RULES argument");
    Program *p = compile_rubric(argv[0]);
    if (!p) return EXIT_RULES;
    FILE *out = stdout;
    for (int i = 0; i < p->nparams; i++) chunk_disassemble(p->params[i].chunk, out, describe, p);
    for (int i = 0; i < p->nlets; i++) chunk_disassemble(p->lets[i].chunk, out, describe, p);
    for (int i = 0; i < p->nitems; i++) chunk_disassemble(p->items[i].chunk, out, describe, p);
    for (int i = 0; i < p->ncohorts; i++)
        if (p->cohorts[i].cond) chunk_disassemble(p->cohorts[i].cond, out, describe, p);
    for (int i = 0; i < p->nresults; i++) chunk_disassemble(p->results[i].chunk, out, describe, p);
    for (int i = 0; i < p->ngrades; i++) chunk_disassemble(p->grades[i].chunk, out, describe, p);
    for (int i = 0; i < p->noutcomes; i++) chunk_disassemble(p->outcomes[i].chunk, out, describe, p);
    if (fflush(out) != 0) return EXIT_OUTPUT;
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    GC_INIT();
    num_init();
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
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0) return cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "fmt") == 0) return cmd_fmt(argc - 2, argv + 2);
    const char *cmds[] = { "run", "disasm", "check", "test", "fmt" };
    const char *s = diag_suggest(cmd, cmds, 5);
    char hint[64];
    snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : "run");
    diag_plain(DIAG_ERROR, s ? hint : "see 'kaohe --help'", "unknown command '%s'", cmd);
    return EXIT_USAGE;
}
