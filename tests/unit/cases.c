/*
** cases.c — language and end-to-end tests as files, run as Check tests.
** A case file (tests/{lang,e2e,limits,bad,fault}/NAME.test) holds sections:
**   === file NAME      a file written into a fresh temporary folder
**   === run            shell command(s), run in that folder; $KAOHE is the
**                      binary, $ROOT the repository (default:
**                      $KAOHE run rules.kh facts.csv --format csv)
**   === stdout         exact expected standard output
**   === stderr         exact expected standard error
**   === exit           expected exit status (default 0); a command that
**                      exits 77 is skipped, its stdout saying why
** Lines before the first section are the case's description. A section's
** text is everything up to the next "=== " line. Each case is one Check test,
** so a failure names the case file and shows expected vs. actual.
*/
#include "suites.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CASES 2048
/* A case whose command exits with this status is skipped, its stdout
** saying why (the automake convention). */
#define EXIT_SKIP 77

static char *case_paths[MAX_CASES];
static int ncases;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        cap *= 2;
        buf = realloc(buf, cap + 1);
    }
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static void write_file(const char *dir, const char *name, const char *text, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    /* nested names create their folders */
    for (char *s = path + strlen(dir) + 1; *s; s++) {
        if (*s == '/') { *s = '\0'; mkdir(path, 0777); *s = '/'; }
    }
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fwrite(text, 1, len, f);
    fclose(f);
}

typedef struct Case {
    const char *run;
    const char *want_out, *want_err;
    int want_exit;
} Case;

static void end_section(const char *dir, Case *c, const char *head, const char *body, size_t len)
{
    char *text = strndup(body, len);
    if (strncmp(head, "file ", 5) == 0) write_file(dir, head + 5, text, len);
    else if (strcmp(head, "run") == 0) c->run = text;
    else if (strcmp(head, "stdout") == 0) c->want_out = text;
    else if (strcmp(head, "stderr") == 0) c->want_err = text;
    else if (strcmp(head, "exit") == 0) c->want_exit = atoi(text);
    else ck_abort_msg("unknown section '=== %s'", head);
}

/* Walks the case line by line; a line starting "=== " opens a section. */
static void load_case(const char *text, const char *dir, Case *c)
{
    memset(c, 0, sizeof *c);
    char head[256] = "";
    const char *body = NULL;
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        const char *next = eol ? eol + 1 : line + strlen(line);
        if (strncmp(line, "=== ", 4) == 0) {
            if (body) end_section(dir, c, head, body, (size_t)(line - body));
            size_t n = (size_t)((eol ? eol : next) - (line + 4));
            if (n >= sizeof head) n = sizeof head - 1;
            memcpy(head, line + 4, n);
            head[n] = '\0';
            body = next;
        }
        line = next;
    }
    if (body) end_section(dir, c, head, body, strlen(body));
}

static int run_shell(const char *dir, const char *cmd)
{
    char script[PATH_MAX];
    snprintf(script, sizeof script, "%s/.run.sh", dir);
    FILE *f = fopen(script, "w");
    fprintf(f, "cd \"%s\" || exit 99\n%s\n", dir, cmd);
    fclose(f);
    char line[PATH_MAX * 2];
    snprintf(line, sizeof line, "sh \"%s\" >\"%s/.stdout\" 2>\"%s/.stderr\" </dev/null", script, dir, dir);
    int st = system(line);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void remove_dir(const char *dir)
{
    char rm[PATH_MAX + 16];
    snprintf(rm, sizeof rm, "rm -rf \"%s\"", dir);
    if (system(rm) != 0) { /* a leftover temp folder is harmless */ }
}

START_TEST(test_case)
{
    const char *path = case_paths[_i];
    char *text = slurp(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    char dir[] = "/tmp/kaohe-case-XXXXXX";
    ck_assert(mkdtemp(dir) != NULL);
    Case c;
    load_case(text, dir, &c);
    int code = run_shell(dir, c.run ? c.run : "$KAOHE run rules.kh facts.csv --format csv\n");
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/.stdout", dir);
    char *out = slurp(p, NULL);
    snprintf(p, sizeof p, "%s/.stderr", dir);
    char *err = slurp(p, NULL);
    if (code == EXIT_SKIP) {
        /* a reader the test needs is not installed: say so, do not fail */
        fprintf(stderr, "SKIP %s: %s", path, out);
        remove_dir(dir);
        return;
    }
    if (c.want_out)
        ck_assert_msg(strcmp(out, c.want_out) == 0, "%s: stdout differs\n--- expected\n%s--- actual\n%s--- stderr\n%s",
                      path, c.want_out, out, err);
    if (c.want_err)
        ck_assert_msg(strcmp(err, c.want_err) == 0, "%s: stderr differs\n--- expected\n%s--- actual\n%s", path,
                      c.want_err, err);
    ck_assert_msg(code == c.want_exit, "%s: exit status %d, expected %d\n--- stderr\n%s", path, code,
                  c.want_exit, err);
    remove_dir(dir);
}
END_TEST

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Why the case files could not all be found, or NULL: a suite that found
** none (run outside the repository root, a folder renamed) must fail, not
** pass with nothing run. */
static char finding_failed[PATH_MAX + 128];

static void find_cases(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (finding_failed[0]) return;          /* the first cause is the one to tell */
        snprintf(finding_failed, sizeof finding_failed,
                 "no folder %s here: run the suite from the repository root (make test)", dir);
        return;
    }
    struct dirent *e;
    int before = ncases;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".test") == 0) {
            if (ncases == MAX_CASES) {
                snprintf(finding_failed, sizeof finding_failed,
                         "more than %d case files: raise MAX_CASES in tests/unit/cases.c", MAX_CASES);
                break;
            }
            char *p = malloc(strlen(dir) + n + 2);
            sprintf(p, "%s/%s", dir, e->d_name);
            case_paths[ncases++] = p;
        }
    }
    closedir(d);
    if (ncases == before && !finding_failed[0])
        snprintf(finding_failed, sizeof finding_failed, "no case file (*.test) in %s", dir);
}

START_TEST(test_cases_found)
{
    ck_assert_msg(!finding_failed[0], "%s", finding_failed);
}
END_TEST

Suite *cases_suite(void)
{
    /* The runner is started from the repository root (make test). */
    char root[PATH_MAX];
    if (!getcwd(root, sizeof root)) strcpy(root, ".");
    setenv("ROOT", root, 1);
    const char *k = getenv("KAOHE");
    char kpath[PATH_MAX + 8];
    if (!k || !realpath(k, kpath)) snprintf(kpath, sizeof kpath, "%s/kaohe", root);
    setenv("KAOHE", kpath, 1);
    /* Messages in English unless a case asks for another language
    ** (LANG=zh_CN.UTF-8 $KAOHE …), whatever the machine's own locale. */
    static const char *const locale_vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof locale_vars / sizeof *locale_vars; i++) unsetenv(locale_vars[i]);
    find_cases("tests/lang");
    find_cases("tests/e2e");
    find_cases("tests/limits");
    find_cases("tests/bad");
    find_cases("tests/fault");
    qsort(case_paths, (size_t)ncases, sizeof(char *), cmp_path);
    Suite *s = suite_create("cases");
    TCase *tc = tcase_create("files");
    /* generous: a case may start Chromium, and the build machine is shared
    ** (a timeout here is a hang guard, never a performance test) */
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_cases_found);
    if (ncases) tcase_add_loop_test(tc, test_case, 0, ncases);
    suite_add_tcase(s, tc);
    return s;
}
