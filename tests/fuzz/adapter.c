/*
** adapter.c — kaohe's commands called in-process for the fuzz harnesses
** (adapter.h). check, test and fmt take their argument vector as the
** command line gives it (runtime/cli/cmd_rules.c); whatif is rebuilt from
** the functions cmd_whatif calls, so that it can write every format.
** Standard output is caught in a file in memory.
*/
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "adapter.h"
#include "commands.h"
#include "data.h"
#include "diag.h"
#include "fuzz.h"
#include "output.h"
#include "scenario.h"
#include "whatif.h"

/* main.c's, which the library lacks; weak, so that a library that gains
** usage_error (the commands moving to runtime/cli) wins. */
__attribute__((weak)) int usage_error(const char *fmt, const char *arg)
{
    const char *hole = strstr(fmt, "%s");
    int before = hole ? (int)(hole - fmt) : (int)strlen(fmt);
    diag_plain(DIAG_ERROR, "see 'kaohe --help'", "%.*s%s%s", before, fmt, hole ? arg : "", hole ? hole + 2 : "");
    return EXIT_USAGE;
}

/* ---- standard output, caught ------------------------------------------------ */

static int mem_fd = -1, saved_fd = -1;
static char *caught;

static void catch_begin(void)
{
    if (mem_fd < 0) {
        mem_fd = memfd_create("kaohe-fuzz-stdout", 0);
        FUZZ_ASSERT(mem_fd >= 0);
    }
    FUZZ_ASSERT(ftruncate(mem_fd, 0) == 0 && lseek(mem_fd, 0, SEEK_SET) == 0);
    fflush(stdout);
    saved_fd = dup(1);
    FUZZ_ASSERT(saved_fd >= 0 && dup2(mem_fd, 1) == 1);
}

static const char *catch_end(void)
{
    fflush(stdout);
    FUZZ_ASSERT(dup2(saved_fd, 1) == 1);
    close(saved_fd);
    off_t n = lseek(mem_fd, 0, SEEK_END);
    FUZZ_ASSERT(n >= 0);
    free(caught);
    caught = malloc((size_t)n + 1);
    FUZZ_ASSERT(caught != NULL);
    FUZZ_ASSERT(pread(mem_fd, caught, (size_t)n, 0) == n);
    caught[n] = '\0';
    return caught;
}

/* ---- the commands ------------------------------------------------------------ */

int fz_check(const char *rules, const char **out)
{
    char *argv[] = { (char *)rules, NULL };
    catch_begin();
    int rc = cmd_check(1, argv);
    *out = catch_end();
    return rc;
}

int fz_test(const char *rules, const char **out)
{
    char *argv[] = { (char *)rules, NULL };
    catch_begin();
    int rc = cmd_test(1, argv);
    *out = catch_end();
    return rc;
}

int fz_fmt(const char *path, bool check_only, const char **out)
{
    char *argv[] = { "--check", (char *)path, NULL };
    catch_begin();
    int rc = check_only ? cmd_fmt(2, argv) : cmd_fmt(1, argv + 1);
    *out = catch_end();
    return rc;
}

/* Writes the comparison in every format into memory, as cmd_whatif writes
** one of them; the first non-zero status ends it. */
static int compare_all(const Program *base, const Program *what, const FactData *facts, const Scenario *s)
{
    static const OutFormat fmts[] = { FMT_TABLE, FMT_CSV, FMT_JSON };
    int rc = 0;
    for (size_t k = 0; k < 3 && !rc; k++) {
        for (int detail = 0; detail < 2 && !rc; detail++) {
            char *text = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);
            FUZZ_ASSERT(f != NULL);
            rc = whatif_compare(f, base, what, facts, s, fmts[k], detail);
            FUZZ_ASSERT(fclose(f) == 0);
            free(text);
        }
    }
    return rc;
}

/* One what-if option of opts (--set V or --set=V, and --scenario, --table,
** --sweep), as cmd_whatif reads them: 0, or a usage error's status. */
static int add_whatif_option(Scenario *s, int nopts, char **opts, int *i)
{
    static const struct { const char *name; ScenarioOpt kind; } names[] = {
        { "--set", SCENARIO_SET }, { "--scenario", SCENARIO_FILE },
        { "--table", SCENARIO_TABLE }, { "--sweep", SCENARIO_SWEEP },
    };
    const char *a = opts[*i];
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t len = strlen(names[k].name);
        if (strncmp(a, names[k].name, len) != 0 || (a[len] != '\0' && a[len] != '=')) continue;
        if (a[len] == '\0' && *i + 1 >= nopts) return usage_error("%s needs a value", names[k].name);
        const char *v = a[len] == '=' ? a + len + 1 : opts[++*i];
        if (!scenario_add(s, names[k].kind, v))
            return usage_error("%s is given twice; sweep one measure at a time", "--sweep");
        return 0;
    }
    return usage_error("unexpected argument '%s'", a);
}

int fz_whatif(const char *rules, const char *facts_path, int nopts, char **opts, const char **out)
{
    *out = "";
    Scenario *s = scenario_new();
    for (int i = 0; i < nopts; i++) {
        int rc = add_whatif_option(s, nopts, opts, &i);
        if (rc) return rc;
    }
    if (scenario_is_empty(s))
        return usage_error("%s", "whatif needs a change: --set, --scenario, --table or --sweep");
    Program *base, *what;
    int rc = scenario_compile(s, rules, &base, &what);
    if (rc) return rc;
    FactData *facts = facts_load(facts_path, CSV_ENC_AUTO, &base->schema, base->units);
    if (!facts) return EXIT_FACTS;
    if (!scenario_has_sweep(s)) return compare_all(base, what, facts, s);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    FUZZ_ASSERT(f != NULL);
    rc = whatif_sweep(f, what, facts, s, FMT_TABLE);
    FUZZ_ASSERT(fclose(f) == 0);
    free(text);
    return rc;
}
