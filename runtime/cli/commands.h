/*
** commands.h — the one list of kaohe's commands. The top-level usage, the
** dispatch in main.c and every command's --help are generated from it; a
** new command is one line here, its option table and its cmd_ function.
** Only this layer knows commands: lang/ and runtime/ below export plain
** functions (check_rubric, fmt_paths, ruletest_run, …).
*/
#ifndef KAOHE_COMMANDS_H
#define KAOHE_COMMANDS_H

#include "options.h"
#include "status.h"

/* X(name, synopsis after "kaohe name", what it does) */
#define KAOHE_COMMANDS(X)                                                                          \
    X(run, "RULES FACTS [options]", "score every unit")                                       \
    X(whatif, "RULES FACTS [options] --set/--scenario/--table/--sweep …",                     \
      "compare with the rubric as it is, or sweep a measure")                                     \
    X(explain, "RULES FACTS [options]", "how each score was derived, down to the fact cells") \
    X(report, "RULES FACTS -o FILE.html", "one self-contained HTML report for auditors")      \
    X(check, "RULES [--strict]", "check the rules without facts: points, bands, names, data")     \
    X(test, "RULES [--min-coverage N]", "run the rule tests in RULES/tests and report coverage")  \
    X(fmt, "[--check] PATH...", "lay out rule files (folders: every .kh inside)")                 \
    X(disasm, "RULES", "list the compiled bytecode with source lines")

/* Each command: its handler (argv holds only its own arguments) and its
** option table (a CliOption list ended by { 0 }, in the command's file). */
#define KAOHE_DECLARE_COMMAND(name, synopsis, summary) \
    int cmd_##name(int argc, char **argv);             \
    extern const CliOption name##_options[];
KAOHE_COMMANDS(KAOHE_DECLARE_COMMAND)
#undef KAOHE_DECLARE_COMMAND


#endif
