/*
** commands.c — fuzz harness for the commands themselves: the input is a
** small rubric folder, and check, run (scoring, every output, explain and
** report: fuzz_score), test, whatif and fmt all run on it, in-process, as
** the command line would run them (the calls are in adapter.c).
**
** The input: the text of rules.kh, then any number of parts, each opened
** by a line "%% NAME": a file of the folder (other.kh, units.csv, t.csv,
** tests/t.kh, scenarios/s.kh; facts.csv is the fact file), or "whatif",
** whose lines are what-if options ("--set 标准=4", "--sweep 标准=1..3";
** --scenario and --table files are read from the folder). Without a
** units.csv the folder gets the scratch folder's unit list and table.
**
** Besides crashes and the shape of every message, what must hold between
** the commands: check's last line counts the errors and warnings printed;
** check without errors means run compiles the rubric; a rubric that does
** not compile fails test and whatif; after fmt, fmt --check passes and a
** rubric that compiled still compiles, with the same declarations.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapter.h"
#include "build.h"
#include "fuzz.h"
#include "output.h"
#include "program.h"

enum { MAX_PARTS = 16, MAX_NAME = 64, MAX_OPTS = 16 };

static char folder[128];                    /* the rubric folder, reused */

/* The files in it, with what they hold: a file the next input gives again
** unchanged is not written again, one it does not give is removed. */
typedef struct Kept {
    char name[MAX_NAME];
    uint8_t *data;
    size_t len;
    bool used;              /* given by this input */
} Kept;
static Kept kept[MAX_PARTS + 2];
static int nkept;
static bool stale;          /* fmt rewrote files: what they hold is not kept[] */

static void unlink_kept(const Kept *k)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%.63s", folder, k->name);
    unlink(path);
}

static void begin_folder(void)
{
    for (int i = 0; i < nkept; i++) kept[i].used = false;
}

/* Removes what this input did not give. */
static void end_folder(void)
{
    int n = 0;
    for (int i = 0; i < nkept; i++) {
        if (kept[i].used) { kept[n++] = kept[i]; continue; }
        unlink_kept(&kept[i]);
        free(kept[i].data);
    }
    nkept = n;
    stale = false;
}

static void clear_folder(void)
{
    begin_folder();
    end_folder();
}

static void remove_folder(void)
{
    char path[256];
    clear_folder();
    snprintf(path, sizeof path, "%s/tests", folder);
    rmdir(path);
    snprintf(path, sizeof path, "%s/scenarios", folder);
    rmdir(path);
    rmdir(folder);
}

static void setup_folder(void)
{
    if (folder[0]) return;
    snprintf(folder, sizeof folder, "%s", fuzz_path("rubric"));
    FUZZ_ASSERT(mkdir(folder, 0700) == 0 || errno == EEXIST);
    char path[256];
    snprintf(path, sizeof path, "%s/tests", folder);
    FUZZ_ASSERT(mkdir(path, 0700) == 0 || errno == EEXIST);
    snprintf(path, sizeof path, "%s/scenarios", folder);
    FUZZ_ASSERT(mkdir(path, 0700) == 0 || errno == EEXIST);
    atexit(remove_folder);      /* before common.c's, which removes the scratch folder */
}

/* Bytes that are not UTF-8 as '?'. A command-line argument is quoted raw
** in messages until diag escapes such bytes as \xFF (branch parse,
** 742ae1e); then this goes, and the harness checks that too. */
static void make_utf8(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 0 : *p >= 0xC2 && *p <= 0xDF ? 1 : *p >= 0xE0 && *p <= 0xEF ? 2 : *p >= 0xF0 && *p <= 0xF4 ? 3 : -1;
        int ok = n >= 0;
        for (int i = 1; ok && i <= n; i++) ok = (p[i] & 0xC0) == 0x80;
        if (ok && n == 2) ok = !(p[0] == 0xE0 && p[1] < 0xA0) && !(p[0] == 0xED && p[1] >= 0xA0);
        if (ok && n == 3) ok = !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90);
        if (!ok) { *p++ = '?'; continue; }
        p += n + 1;
    }
}

/* A part's name as a file of the folder: letters, digits, '.', '-', '_'
** and UTF-8 (valid), at most one folder (tests/ or scenarios/); "" when unusable. */
static void file_name(const char *raw, size_t n, char *out)
{
    out[0] = '\0';
    if (n == 0 || n >= MAX_NAME) return;
    char name[MAX_NAME];
    memcpy(name, raw, n);
    name[n] = '\0';
    make_utf8(name);        /* and then refused: '?' is not allowed */
    const char *base = name;
    size_t nbase = n;
    const char *slash = memchr(name, '/', n);
    char prefix[16] = "";
    if (slash) {
        size_t nd = (size_t)(slash - name);
        if (!(nd == 5 && memcmp(name, "tests", 5) == 0) && !(nd == 9 && memcmp(name, "scenarios", 9) == 0)) return;
        snprintf(prefix, sizeof prefix, "%.*s/", (int)nd, name);
        base = slash + 1;
        nbase = n - nd - 1;
    }
    if (nbase == 0 || base[0] == '.') return;
    if (!slash && ((nbase == 5 && memcmp(base, "tests", 5) == 0) || (nbase == 9 && memcmp(base, "scenarios", 9) == 0)))
        return;             /* the folders themselves */
    for (size_t i = 0; i < nbase; i++) {
        unsigned char c = (unsigned char)base[i];
        if (!(c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
              c == '-' || c == '_'))
            return;
    }
    snprintf(out, MAX_NAME, "%s%.*s", prefix, (int)nbase, base);
}

static void put_file(const char *name, const void *data, size_t len)
{
    Kept *k = NULL;
    for (int i = 0; i < nkept && !k; i++)
        if (strcmp(kept[i].name, name) == 0) k = &kept[i];
    if (k && !stale && k->len == len && memcmp(k->data, data, len) == 0) {
        k->used = true;
        return;
    }
    if (!k) {
        if (nkept == MAX_PARTS + 2) return;
        k = &kept[nkept++];
        snprintf(k->name, sizeof k->name, "%s", name);
        k->data = NULL;
    }
    free(k->data);
    k->data = malloc(len + 1);
    FUZZ_ASSERT(k->data != NULL);
    memcpy(k->data, data, len);
    k->len = len;
    k->used = true;
    char rel[MAX_NAME + 16];
    snprintf(rel, sizeof rel, "rubric/%s", name);
    fuzz_write(rel, data, len);
}

/* What the input holds besides files. */
typedef struct Folder {
    bool facts, tests, units;
    char *opts[MAX_OPTS];
    int nopts;
} Folder;

/* One line of the whatif part as an option and its value (split at the
** first space); a file named by --scenario or --table is the folder's. */
static void add_options(Folder *f, const char *line, size_t n)
{
    if (n == 0 || f->nopts + 2 > MAX_OPTS) return;
    char *l = strndup(line, n);
    FUZZ_ASSERT(l != NULL);
    make_utf8(l);
    char *sp = strchr(l, ' ');
    if (sp) *sp++ = '\0';
    f->opts[f->nopts++] = l;
    if (!sp) return;
    char *v = sp;
    if (strcmp(l, "--scenario") == 0) {
        FUZZ_ASSERT(asprintf(&v, "%s/%s", folder, sp) > 0);
    } else if (strcmp(l, "--table") == 0 && strchr(sp, '=')) {
        char *eq = strchr(sp, '=');
        FUZZ_ASSERT(asprintf(&v, "%.*s=%s/%s", (int)(eq - sp), sp, folder, eq + 1) > 0);
    } else {
        v = strdup(sp);
        FUZZ_ASSERT(v != NULL);
    }
    f->opts[f->nopts++] = v;
}

static void split(const uint8_t *data, size_t size, Folder *f)
{
    const char *s = (const char *)data, *end = s + size;
    char name[MAX_NAME] = "rules.kh";
    int parts = 0;
    while (s <= end && parts < MAX_PARTS) {
        /* the part runs to the next line starting "%% " */
        const char *p = s, *next = NULL;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) { p = end; break; }
            if (end - nl > 3 && memcmp(nl + 1, "%% ", 3) == 0) { p = nl + 1; next = nl + 4; break; }
            p = nl + 1;
        }
        if (strcmp(name, "whatif") == 0) {
            for (const char *l = s; l < p;) {
                const char *nl = memchr(l, '\n', (size_t)(p - l));
                const char *le = nl ? nl : p;
                add_options(f, l, (size_t)(le - l));
                l = le + 1;
            }
        } else if (name[0]) {
            put_file(name, s, (size_t)(p - s));
            f->facts |= strcmp(name, "facts.csv") == 0;
            f->tests |= strncmp(name, "tests/", 6) == 0;
            f->units |= strcmp(name, "units.csv") == 0;
        }
        parts++;
        if (!next) break;
        const char *nl = memchr(next, '\n', (size_t)(end - next));
        const char *ne = nl ? nl : end;
        if (ne - next == 6 && memcmp(next, "whatif", 6) == 0) strcpy(name, "whatif");
        else file_name(next, (size_t)(ne - next), name);
        s = nl ? nl + 1 : end;
        if (!nl) break;
    }
}

/* ---- what must hold ------------------------------------------------------------ */

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
        const char *e = strchr(l, '\n');
        if (l[0] != ' ' && memmem(l, (size_t)(e - l), what, strlen(what))) n++;
    }
    return n;
}

/* Messages well formed; no error after a success, one at least after a
** failure of the command itself (1 only says a check did not pass). */
static void messages_for(const char *msgs, int rc)
{
    if (rc == EXIT_FAILED) fuzz_check_lines(msgs);
    else fuzz_check_messages(msgs, rc != EXIT_OK);
}

static char *last_check;

const char *fuzz_last_check(void)
{
    return last_check ? last_check : "";
}

static int run_check(void)
{
    fuzz_begin();
    const char *out;
    int rc = fz_check(folder, &out);
    const char *msgs = fuzz_end();
    free(last_check);
    last_check = strdup(msgs);
    FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_FAILED || rc == EXIT_RULES);
    messages_for(msgs, rc);
    /* the summary line counts what was printed */
    int errors, warnings;
    char *head = NULL;
    FUZZ_ASSERT(asprintf(&head, "%s: ", folder) > 0);
    FUZZ_ASSERT(strncmp(out, head, strlen(head)) == 0);
    FUZZ_ASSERT(sscanf(out + strlen(head), "%d error", &errors) == 1);
    const char *comma = strstr(out + strlen(head), ", ");
    FUZZ_ASSERT(comma && sscanf(comma + 2, "%d warning", &warnings) == 1);
    free(head);
    FUZZ_ASSERT(errors == count(msgs, ": error: "));
    FUZZ_ASSERT(warnings == count(msgs, ": warning: "));
    return rc;
}

static Program *run_compile(void)
{
    fuzz_begin();
    Program *p = compile_rubric(folder);
    fuzz_check_messages(fuzz_end(), p == NULL);
    return p;
}

static int run_test(void)
{
    fuzz_begin();
    const char *out;
    int rc = fz_test(folder, &out);
    FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_FAILED || rc == EXIT_RULES);
    messages_for(fuzz_end(), rc);
    return rc;
}

static int run_whatif(Folder *f)
{
    fuzz_begin();
    const char *out;
    int rc = fz_whatif(folder, fuzz_path("rubric/facts.csv"), f->nopts, f->opts, &out);
    FUZZ_ASSERT(rc >= EXIT_OK && rc <= EXIT_EVAL && rc != EXIT_FAILED);
    messages_for(fuzz_end(), rc);
    return rc;
}

/* fmt, then fmt --check: the layout is a fixed point, and a rubric that
** compiled compiles as the same program. */
static void run_fmt(const Program *before)
{
    fuzz_begin();
    const char *out;
    int rc = fz_fmt(folder, false, &out);
    FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_RULES);
    messages_for(fuzz_end(), rc);
    /* fmt names each file it changed; none changed, nothing can have moved */
    if (*out) stale = true;
    if (rc != EXIT_OK || !*out) return;
    fuzz_begin();
    rc = fz_fmt(folder, true, &out);
    messages_for(fuzz_end(), rc);
    FUZZ_ASSERT(rc == EXIT_OK);
    if (!before) return;
    Program *after = run_compile();
    FUZZ_ASSERT(after != NULL);
    FUZZ_ASSERT(after->nitems == before->nitems && after->nparams == before->nparams &&
                after->nsections == before->nsections && after->nresults == before->nresults &&
                after->ngrades == before->ngrades && after->noutcomes == before->noutcomes);
}

int fuzz_commands(const uint8_t *data, size_t size)
{
    fuzz_setup();
    setup_folder();
    fuzz_input(data, size);
    begin_folder();
    Folder f = { 0 };
    split(data, size, &f);
    if (!f.units) {
        static const char units[] = "单位,类型,别名\n甲镇,乡镇,甲\n乙镇,乡镇,\n丙园区,园区,\n";
        static const char table[] = "单位,任务数,完成数\n甲镇,3,2\n乙镇,0,0\n丙园区,5,5\n合计,8,7\n";
        put_file("units.csv", units, sizeof units - 1);
        put_file("t.csv", table, sizeof table - 1);
    }
    end_folder();
    int check = run_check();
    Program *p = run_compile();
    /* check finds every error run finds */
    if (check != EXIT_RULES) FUZZ_ASSERT(p != NULL);
    if (p && f.facts) fuzz_score(p, fuzz_path("rubric/facts.csv"));
    if (f.tests) {
        int test = run_test();
        if (!p) FUZZ_ASSERT(test == EXIT_RULES);
    }
    if (f.nopts && f.facts) {
        int whatif = run_whatif(&f);
        if (!p) FUZZ_ASSERT(whatif != EXIT_OK);
    }
    run_fmt(p);
    for (int i = 0; i < f.nopts; i++) free(f.opts[i]);
    return 0;
}
