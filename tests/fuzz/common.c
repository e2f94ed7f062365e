/*
** common.c — what the fuzz harnesses share: process set-up and the scratch
** folder, catching diagnostics, and the two checks every harness applies
** (the shape of messages, the soundness of bytecode).
*/
#define _GNU_SOURCE
#include <gc.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk.h"
#include "diag.h"
#include "fault.h"
#include "fuzz.h"
#include "num.h"

static char dir[64];

const char *fuzz_dir(void)
{
    return dir;
}

const char *fuzz_path(const char *name)
{
    static char path[4][128];
    static int turn;
    char *p = path[turn++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    return p;
}

void fuzz_write(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(fuzz_path(name), "wb");
    FUZZ_ASSERT(f != NULL);
    FUZZ_ASSERT(fwrite(data, 1, len, f) == len);
    FUZZ_ASSERT(fclose(f) == 0);
}

static void write_text(const char *name, const char *text)
{
    fuzz_write(name, text, strlen(text));
}

static void remove_dir(void)
{
    static const char *const files[] = { "units.csv", "t.csv", "facts.csv", "rules.kh" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) unlink(fuzz_path(files[i]));
    rmdir(dir);
}

void fuzz_setup(void)
{
    if (dir[0]) return;
    GC_INIT();
    num_init();
    fault_init();
    /* in memory where there is such a folder: every run writes a file and
    ** the rubric reads it back, and on a disk the open alone cost a tenth
    ** of an evaluation run */
    strcpy(dir, "/dev/shm/kaohe-fuzz-XXXXXX");
    if (!mkdtemp(dir)) {
        strcpy(dir, "/tmp/kaohe-fuzz-XXXXXX");
        FUZZ_ASSERT(mkdtemp(dir) != NULL);
    }
    atexit(remove_dir);
    /* what fuzzed rules may name: the unit list of the language tests, with
    ** an alias and an attribute, and a keyed table with a totals row */
    write_text("units.csv", "单位,类型,别名\n甲镇,乡镇,甲\n乙镇,乡镇,\n丙园区,园区,\n");
    write_text("t.csv", "单位,任务数,完成数\n甲镇,3,2\n乙镇,0,0\n丙园区,5,5\n合计,8,7\n");
}

/* ---- diagnostics ---------------------------------------------------------- */

static char *buf;
static size_t buflen;
static FILE *mem;

void fuzz_begin(void)
{
    free(buf);
    buf = NULL;
    mem = open_memstream(&buf, &buflen);
    FUZZ_ASSERT(mem != NULL);
    diag_set_stream(mem);
    diag_reset();
}

const char *fuzz_end(void)
{
    diag_set_stream(NULL);
    FUZZ_ASSERT(fclose(mem) == 0);
    mem = NULL;
    return buf;
}

static bool valid_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned char c = *s;
        int n = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
        if (n < 0) return false;
        s++;
        for (int i = 0; i < n; i++, s++)
            if ((*s & 0xC0) != 0x80) return false;
    }
    return true;
}

static bool starts(const char *line, const char *prefix)
{
    return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* One line of what diag prints. */
static bool line_ok(const char *l)
{
    if (l[0] != ' ')    /* a header: where, level, message */
        return strstr(l, ": error: ") || strstr(l, ": warning: ") || strstr(l, ": note: ");
    if (starts(l, "  hint: ") || starts(l, "  cell: \"")) return true;
    /* an excerpt: " 12 | source" or "    | ^~~" */
    const char *p = l + 1;
    while (*p >= '0' && *p <= '9') p++;
    while (*p == ' ') p++;
    return p[0] == '|' && (p[1] == ' ' || p[1] == '\0');
}

static const void *input;       /* the input being run, which messages may quote */
static size_t input_len;

/* The input without line breaks: names in data files are matched (and
** quoted) with them dropped, so "YYerr\nor" in a header is named YYerror. */
static char *joined;
static size_t joined_len;

/* Words a message must never contain, and which of them the input holds
** (a message may quote the input, which may hold anything): worked out
** once per input, not once per message. */
static const char *const never[] = {
    "syntax error", "$end", "$undefined", "YYEOF", "YYUNDEF", "YYerror", "memory exhausted",
    "(null)", "GNU MP", "GC Warning", "Assertion", "internal error",
};
#define NNEVER (sizeof never / sizeof never[0])
static bool quoted[NNEVER];

void fuzz_input(const void *data, size_t size)
{
    input = data;
    input_len = size;
    free(joined);
    joined = malloc(size + 1);
    FUZZ_ASSERT(joined != NULL);
    joined_len = 0;
    for (size_t i = 0; i < size; i++)
        if (((const char *)data)[i] != '\n' && ((const char *)data)[i] != '\r')
            joined[joined_len++] = ((const char *)data)[i];
    for (size_t i = 0; i < NNEVER; i++)
        quoted[i] = memmem(input, input_len, never[i], strlen(never[i])) ||
                    memmem(joined, joined_len, never[i], strlen(never[i]));
}

/* The longest first line of a message: the path, the place, and a
** sentence that quotes a few names of at most 40 characters each; more
** when it names a file in the scratch folder (below). */
enum { MAX_HEADER = 600 };

static const char *checking;    /* the messages being checked, shown when one is wrong */

void fuzz_fail(const char *what, const char *file, int line)
{
    if (checking) fprintf(stderr, "--- the messages:\n%s---\n", checking);
    fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
    abort();
}

/* Does some message of text open with an error? Only a message's first
** line counts, and on it the first of ": error: ", ": warning: ", ": note: ":
** a source excerpt or a quoted name may hold those words too (a clause
** text "每: error: 少1人" is the rule's, not kaohe's). */
static bool has_error_message(const char *text)
{
    static const char *const levels[] = { ": error: ", ": warning: ", ": note: " };
    for (const char *s = text; *s;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (*s != ' ') {
            const char *first = NULL;
            int which = -1;
            for (int k = 0; k < 3; k++) {
                const char *at = memmem(s, n, levels[k], strlen(levels[k]));
                if (at && (!first || at < first)) { first = at; which = k; }
            }
            if (which == 0) return true;
        }
        if (!e) break;
        s = e + 1;
    }
    return false;
}

void fuzz_check_messages(const char *text, bool failed)
{
    checking = text;
    FUZZ_ASSERT(has_error_message(text) == failed);
    fuzz_check_lines(text);
}

void fuzz_check_lines(const char *text)
{
    checking = text;
    FUZZ_ASSERT(valid_utf8((const unsigned char *)text));
    for (size_t i = 0; i < NNEVER; i++)
        if (!quoted[i]) FUZZ_ASSERT(strstr(text, never[i]) == NULL);
    const char *s = text;
    while (*s) {
        const char *e = strchr(s, '\n');
        FUZZ_ASSERT(e != NULL);          /* every message ends its last line */
        char *line = strndup(s, (size_t)(e - s));
        FUZZ_ASSERT(line != NULL);
        if (!line_ok(line)) {
            fprintf(stderr, "bad message line: %s\n", line);
            FUZZ_ASSERT(!"every line of a message is a header, an excerpt, a hint or a cell");
        }
        /* what a message says must fit on a screen: names it quotes are
        ** cut, excerpts are windowed (a cell line quotes a cell whole);
        ** but a file the rules name is shown whole, as the user must find
        ** it: up to PATH_MAX bytes, each control byte escaped in 4 */
        size_t allowed = MAX_HEADER + (strstr(line, dir) ? 4 * PATH_MAX : 0);
        if (line[0] != ' ' && strlen(line) > allowed) {
            fprintf(stderr, "long message line (%zu bytes): %.300s…\n", strlen(line), line);
            FUZZ_ASSERT(!"a message's first line is at most MAX_HEADER bytes");
        }
        free(line);
        s = e + 1;
    }
    checking = NULL;
}

/* ---- bytecode --------------------------------------------------------------- */

/* The checks are chunk_verify's (chunk.c), which reads every fact about an
** opcode (length, pops and pushes, flow) from the opcode list. */
void fuzz_check_chunk(const Chunk *ch)
{
    const char *bad = chunk_verify(ch);
    if (bad) {
        fprintf(stderr, "unsound bytecode in %s: %s\n", ch->name, bad);
        FUZZ_ASSERT(!"the compiler writes bytecode chunk_verify accepts");
    }
}
