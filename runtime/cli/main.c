/*
** main.c — the `kaohe` command: start-up, the top-level usage and the
** dispatch, both generated from the command list (commands.h). Each
** command parses its own arguments (options.c) in its own file.
*/
#include <gc.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "fault.h"
#include "i18n.h"
#include "num.h"
#include "provenance.h"

typedef struct Command {
    const char *name, *synopsis, *summary;
    int (*run)(int argc, char **argv);
    const CliOption *options;
} Command;

#define KAOHE_COMMAND_ROW(cname, synopsis, summary) { #cname, synopsis, summary, cmd_##cname, cname##_options },
static const Command commands[] = { KAOHE_COMMANDS(KAOHE_COMMAND_ROW) };
#undef KAOHE_COMMAND_ROW

#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

static const Command *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static int print_help(const Command *c)
{
    cli_print_help(c->name, c->synopsis, c->summary, c->options);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_OUTPUT;
}

/* -h or --help among the command's arguments (before a "--"), as git and
** most tools take it: the help wins over everything else on the line. */
static bool asks_for_help(int argc, char **argv)
{
    for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    return false;
}

/* Column where the commands' summaries start in the usage. */
#define SUMMARY_COLUMN 44

static void print_usage(FILE *f)
{
    fputs("kaohe — score assessed units against a rubric written as rule files\n\nusage:\n", f);
    for (int i = 0; i < NCOMMANDS; i++) {
        int width = fprintf(f, "  kaohe %s %s", commands[i].name, commands[i].synopsis);
        /* the synopsis is ASCII but for '…' (3 bytes, 1 column) */
        if (strstr(commands[i].synopsis, "…")) width -= 2;
        if (width + 1 > SUMMARY_COLUMN) fprintf(f, "\n%*s", SUMMARY_COLUMN, "");
        else fprintf(f, "%*s", SUMMARY_COLUMN - width, "");
        fprintf(f, "%s\n", commands[i].summary);
    }
    fputs("  kaohe --help | --version\n"
          "  kaohe COMMAND --help                      the options of one command\n"
          "\n"
          "RULES is a rubric folder of .kh files (e.g. rules/xinjian-2021) or one .kh file.\n"
          "FACTS is the fact file: CSV (UTF-8 or GB18030) or an .xlsx workbook (Excel, WPS).\n"
          "\n"
          "exit status: 0 success, 1 a check did not pass (test, fmt --check, check --strict),\n"
          "             2 usage, 3 bad rules or tables, 4 bad facts,\n"
          "             5 a rule failed while scoring, 6 output could not be written\n", f);
}

static int unknown_command(const char *cmd)
{
    const char *names[NCOMMANDS];
    for (int i = 0; i < NCOMMANDS; i++) names[i] = commands[i].name;
    const char *s = diag_suggest(cmd, names, NCOMMANDS);
    char hint[64];
    snprintf(hint, sizeof hint, "did you mean '%s'?", s ? s : "run");
    diag_plain(DIAG_ERROR, s ? hint : "see 'kaohe --help'", "unknown command '%s'", cmd);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    fault_init();
    GC_INIT();
    num_init();
    i18n_init(argv[0]);
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && find_command(argv[2])) return print_help(find_command(argv[2]));   /* kaohe help run */
        print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("kaohe %s\n", KAOHE_VERSION);
        return EXIT_OK;
    }
    const Command *c = find_command(cmd);
    if (!c) return unknown_command(cmd);
    return asks_for_help(argc - 2, argv + 2) ? print_help(c) : c->run(argc - 2, argv + 2);
}
