/*
** options.h — a command's options as one table that both getopt_long and
** `kaohe CMD --help` read, so the parser and the help cannot disagree; and
** usage_error, the one way a command line is refused (exit 2).
*/
#ifndef KAOHE_OPTIONS_H
#define KAOHE_OPTIONS_H

#include <stdbool.h>

typedef struct CliOption {
    const char *name;     /* "format" for --format; one letter ("o") for -o */
    int key;              /* what the handler sees: the letter, or a code from 256 up */
    const char *value;    /* the value's shape in help ("FILE"); NULL: a flag */
    const char *help;     /* its line in --help ("\n" continues it); NULL: not listed */
    const char *needs;    /* the missing-value message's "needs …"; NULL: "a value" */
    const struct CliOption *include;   /* instead of the above: every entry of another
                                       ** table (the what-if options four commands share) */
} CliOption;

/* The handler's key for a positional argument. */
#define CLI_POSITIONAL 1

/* Called for each option and positional argument in order; returns 0 or an
** exit status (usage_error's) that stops the parse. */
typedef int (*CliHandler)(void *ctx, int key, const char *option, const char *value);

/* Parses argv (the command's own arguments) with getopt_long against the
** command's table. Returns 0 or an exit status. (--help never gets here:
** main.c answers it from the command list.) */
int cli_parse(const char *cmd, const CliOption *table, int argc, char **argv, CliHandler handler, void *ctx);

/* Prints a command's help: usage line, what it does, every listed option
** of its table and -h, --help. */
void cli_print_help(const char *cmd, const char *synopsis, const char *summary, const CliOption *table);

/* "error: …" with the hint "see 'kaohe --help'"; fmt has at most one %s,
** filled with arg. Returns EXIT_USAGE. */
int usage_error(const char *fmt, const char *arg);

#endif
