/*
** options.c — option parsing for every command: the command's CliOption
** table is flattened once into getopt_long's arrays, and the same table
** prints `kaohe CMD --help`. Messages stay kaohe's own (opterr = 0): the
** offending text as typed, what was expected, a did-you-mean for a
** misspelt option. Abbreviated long options are refused, never guessed.
*/
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "status.h"

#define MAX_OPTIONS 64

int usage_error(const char *fmt, const char *arg)
{
    char msg[512];
    const char *hole = strstr(fmt, "%s");
    size_t before = hole ? (size_t)(hole - fmt) : strlen(fmt);
    snprintf(msg, sizeof msg, "%.*s%s%s", (int)before, fmt, hole ? arg : "", hole ? hole + 2 : "");
    diag_plain(DIAG_ERROR, "see 'kaohe --help'", "%s", msg);
    return EXIT_USAGE;
}

/* The command's options with every include expanded, in table order. */
typedef struct Flat {
    const CliOption *opt[MAX_OPTIONS];
    int n;
} Flat;

static void flatten(const CliOption *table, Flat *f)
{
    for (const CliOption *o = table; o->name || o->include; o++) {
        if (o->include) flatten(o->include, f);
        else if (f->n < MAX_OPTIONS) f->opt[f->n++] = o;
    }
}

static const CliOption help_option = { "help", 'h', NULL, "show this help", NULL, NULL };

static void flat_of(const CliOption *table, Flat *f)
{
    f->n = 0;
    flatten(table, f);
    f->opt[f->n++] = &help_option;
}

static bool is_short(const CliOption *o)
{
    return o->name[0] && !o->name[1];
}

/* "-o FILE" or "--format table|csv", as help and messages show an option. */
static void option_label(const CliOption *o, char *buf, size_t size)
{
    const char *dashes = is_short(o) ? "-" : "--";
    if (o == &help_option) snprintf(buf, size, "-h, --help");
    else if (o->value) snprintf(buf, size, "%s%s %s", dashes, o->name, o->value);
    else snprintf(buf, size, "%s%s", dashes, o->name);
}

void cli_print_help(const char *cmd, const char *synopsis, const char *summary, const CliOption *table)
{
    printf("usage: kaohe %s %s\n\n%s\n\noptions:\n", cmd, synopsis, summary);
    Flat f;
    flat_of(table, &f);
    for (int i = 0; i < f.n; i++) {
        if (!f.opt[i]->help) continue;
        char label[96];
        option_label(f.opt[i], label, sizeof label);
        printf("  %-30s ", label);
        for (const char *h = f.opt[i]->help; *h; h++) {
            putchar(*h);
            if (*h == '\n') printf("  %-30s ", "");
        }
        putchar('\n');
    }
}

/* The long option as typed ("--forma" of "--forma=csv"), for the check
** that it was written out in full. */
static bool typed_in_full(const char *typed, const char *name)
{
    size_t len = strcspn(typed + 2, "=");
    return strlen(name) == len && strncmp(typed + 2, name, len) == 0;
}

static int unknown_option(const char *cmd, const char *typed, const Flat *f)
{
    const char *names[MAX_OPTIONS];
    char spelled[MAX_OPTIONS][40];
    size_t n = 0;
    for (int i = 0; i < f->n; i++) {
        if (!f->opt[i]->help) continue;
        snprintf(spelled[n], sizeof spelled[n], "%s%s", is_short(f->opt[i]) ? "-" : "--", f->opt[i]->name);
        names[n] = spelled[n];
        n++;
    }
    char bare[64];
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(typed, "="), typed);
    /* an abbreviation names the option it abbreviates; else the nearest */
    const char *s = NULL;
    size_t blen = strlen(bare), prefixed = 0;
    for (size_t i = 0; i < n && blen > 2; i++)
        if (strncmp(names[i], bare, blen) == 0) { s = names[i]; prefixed++; }
    if (prefixed != 1) s = diag_suggest(bare, names, n);
    char hint[96];
    if (s) snprintf(hint, sizeof hint, "did you mean '%s'? (see 'kaohe %s --help')", s, cmd);
    else snprintf(hint, sizeof hint, "see 'kaohe %s --help' for its options", cmd);
    diag_plain(DIAG_ERROR, hint, "unknown option '%s' for %s", typed, cmd);
    return EXIT_USAGE;
}

static int missing_value(const CliOption *o, const char *typed)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%%s needs %s", o->needs ? o->needs : "a value");
    return usage_error(msg, typed);
}

int cli_parse(const char *cmd, const CliOption *table, int argc, char **argv, CliHandler handler, void *ctx)
{
    Flat f;
    flat_of(table, &f);
    struct option longs[MAX_OPTIONS + 1];
    /* "-": positionals come back in order as key 1 (no permutation, and
    ** POSIXLY_CORRECT changes nothing); ":": a missing value is reported
    ** as ':' so that kaohe says it, not getopt. */
    char shorts[2 * MAX_OPTIONS + 3] = "-:";
    size_t ns = 2;
    int nl = 0;
    for (int i = 0; i < f.n; i++) {
        const CliOption *o = f.opt[i];
        if (is_short(o) || o == &help_option) {
            shorts[ns++] = (char)(o == &help_option ? 'h' : o->key);
            if (o->value) shorts[ns++] = ':';
        }
        if (!is_short(o))
            longs[nl++] = (struct option){ o->name, o->value ? required_argument : no_argument, NULL, o->key };
    }
    shorts[ns] = '\0';
    longs[nl] = (struct option){ 0 };
    /* getopt's argv[0] is the command's name */
    char **args = malloc(sizeof(char *) * (size_t)(argc + 2));
    if (!args) return EXIT_MEMORY;
    args[0] = (char *)cmd;
    memcpy(args + 1, argv, sizeof(char *) * (size_t)argc);
    args[argc + 1] = NULL;
    opterr = 0;
    optind = 0;   /* 0: glibc's full re-initialisation, for a second parse in one process */
    int rc = 0;
    for (;;) {
        int last = optind ? optind : 1;
        int key = getopt_long(argc + 1, args, shorts, longs, NULL);
        if (key == -1) break;
        const char *typed = args[last];
        if (key == '?') {
            rc = unknown_option(cmd, typed, &f);
            break;
        }
        const CliOption *o = NULL;
        for (int i = 0; i < f.n && key != CLI_POSITIONAL; i++)
            if ((f.opt[i] == &help_option ? 'h' : f.opt[i]->key) == (key == ':' ? optopt : key)) o = f.opt[i];
        /* getopt takes "--det" for --detail; kaohe wants the name in full */
        if (o && !is_short(o) && !typed_in_full(typed, o->name)) {
            rc = unknown_option(cmd, typed, &f);
            break;
        }
        if (key == ':') {
            rc = o ? missing_value(o, typed) : unknown_option(cmd, typed, &f);
            break;
        }
        if (key == 'h') {   /* main.c answers --help before the command runs; here it is a value's place */
            rc = unknown_option(cmd, typed, &f);
            break;
        }
        char option[48];
        if (o) snprintf(option, sizeof option, "%s%s", is_short(o) ? "-" : "--", o->name);
        if ((rc = handler(ctx, key, o ? option : NULL, optarg))) break;
    }
    /* after "--" everything is an argument, even "-x" */
    for (int i = optind; rc == 0 && i < argc + 1; i++) rc = handler(ctx, CLI_POSITIONAL, NULL, args[i]);
    free(args);
    return rc;
}
