/*
** mutate.c — a structure-aware mutator for rule files (libFuzzer's
** LLVMFuzzerCustomMutator, wired in libfuzzer.c for the harnesses that
** read rules). It sees a rule file, or a rubric folder as the commands
** harness encodes it, as declarations: a line that starts with a keyword
** (param, item, section, test, …) and the lines that belong to it (deeper
** indentation, a '{' on its own line, everything up to its closing brace).
** Each call makes one change of the kind a person editing a rubric makes,
** or one that breaks the promises a later stage relies on: a declaration
** duplicated (in place or into another file), dropped, swapped or moved;
** an item renumbered onto another's number; names swapped between two
** declarations; a number made an edge value (0, -1, 31 digits, 100%). One
** call in eight, or when the change does not fit, is left to libFuzzer's
** byte mutations. No file is read: the shipped rubric comes in as a seed.
*/
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum { MAX_LINES = 4096, MAX_UNITS = 1024, MAX_TEXT = 1 << 17 };

typedef struct Unit {
    size_t start, end;          /* bytes [start, end): whole lines */
    size_t head_end;            /* the end of its first line */
    int indent;
} Unit;

typedef struct Shape {
    const uint8_t *text;
    size_t len;
    Unit units[MAX_UNITS];
    int n;
} Shape;

static const char *const keywords[] = {
    "rubric", "units", "period", "round", "param", "table", "fact", "let", "def", "section", "penalty",
    "bonus", "item", "result", "grade", "outcome", "test", "zero", "deduct", "add", "score", "when",
    "otherwise", "given", "expect", "assume", "cite",
};

static uint64_t rng;

static unsigned pick(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (unsigned)(rng % n) : 0;
}

static bool starts_keyword(const uint8_t *s, size_t n)
{
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
        size_t m = strlen(keywords[k]);
        if (n >= m && memcmp(s, keywords[k], m) == 0 && (n == m || s[m] == ' ' || s[m] == '\t' || s[m] == '\r'))
            return true;
    }
    return false;
}

/* Brace depth change of one line, outside strings and comments. */
static int depth_change(const uint8_t *s, size_t n)
{
    int d = 0;
    bool str = false;
    for (size_t i = 0; i < n; i++) {
        if (str) { if (s[i] == '"') str = false; continue; }
        if (s[i] == '"') str = true;
        else if (s[i] == '#') break;
        else if (s[i] == '{') d++;
        else if (s[i] == '}') d--;
    }
    return d;
}

typedef struct Line {
    size_t start, end;          /* end: after its '\n' */
    int indent;                 /* -1: blank */
    bool key, part;             /* starts a declaration; a "%% NAME" line */
    bool brace;                 /* starts with '{' */
    int change;
} Line;

static Line lines[MAX_LINES];

static void find_units(Shape *sh)
{
    int nl = 0;
    for (size_t s = 0; s < sh->len && nl < MAX_LINES;) {
        const uint8_t *e = memchr(sh->text + s, '\n', sh->len - s);
        size_t end = e ? (size_t)(e - sh->text) + 1 : sh->len;
        Line *l = &lines[nl++];
        l->start = s;
        l->end = end;
        size_t i = s;
        while (i < end && (sh->text[i] == ' ' || sh->text[i] == '\t')) i++;
        bool blank = i == end || sh->text[i] == '\n' || sh->text[i] == '\r';
        l->indent = blank ? -1 : (int)(i - s);
        l->part = end - s >= 3 && memcmp(sh->text + s, "%% ", 3) == 0;
        l->key = !blank && !l->part && starts_keyword(sh->text + i, end - i);
        l->brace = !blank && sh->text[i] == '{';
        l->change = depth_change(sh->text + i, end - i);
        s = end;
    }
    sh->n = 0;
    for (int a = 0; a < nl && sh->n < MAX_UNITS; a++) {
        if (!lines[a].key) continue;
        int depth = lines[a].change, b = a + 1;
        for (; b < nl; b++) {
            const Line *l = &lines[b];
            if (l->part) break;
            if (depth <= 0 && l->indent >= 0 && l->indent <= lines[a].indent && !l->brace) break;
            depth += l->change;
        }
        while (b > a + 1 && lines[b - 1].indent < 0) b--;     /* blank lines after it are not its */
        Unit *u = &sh->units[sh->n++];
        u->start = lines[a].start;
        u->end = lines[b - 1].end;
        u->head_end = lines[a].end;
        u->indent = lines[a].indent;
    }
}

/* ---- building the result ------------------------------------------------------ */

static uint8_t out[MAX_TEXT];
static size_t nout;
static bool over;

static void emit(const uint8_t *s, size_t n)
{
    if (nout + n > sizeof out) { over = true; return; }
    memcpy(out + nout, s, n);
    nout += n;
}

/* A unit's text, ending with a line break. */
static void emit_unit(const Shape *sh, const Unit *u)
{
    emit(sh->text + u->start, u->end - u->start);
    if (u->end == u->start || sh->text[u->end - 1] != '\n') emit((const uint8_t *)"\n", 1);
}

/* A second unit like u: one of the same indentation when there is one. */
static const Unit *partner(const Shape *sh, const Unit *u)
{
    for (int tries = 0; tries < 8; tries++) {
        const Unit *v = &sh->units[pick((unsigned)sh->n)];
        if (v != u && v->indent == u->indent) return v;
    }
    const Unit *v = &sh->units[pick((unsigned)sh->n)];
    return v == u ? NULL : v;
}

static bool disjoint(const Unit *a, const Unit *b)
{
    return a->end <= b->start || b->end <= a->start;
}

/* The first word after the keyword of u's first line: [*s, *e). */
static bool name_of(const Shape *sh, const Unit *u, size_t *s, size_t *e)
{
    size_t i = u->start;
    while (i < u->head_end && (sh->text[i] == ' ' || sh->text[i] == '\t')) i++;
    while (i < u->head_end && sh->text[i] != ' ') i++;          /* the keyword */
    while (i < u->head_end && sh->text[i] == ' ') i++;
    if (i >= u->head_end) return false;
    size_t j = i;
    if (sh->text[j] == '"') {
        for (j++; j < u->head_end && sh->text[j] != '"'; j++) {}
        if (j < u->head_end) j++;
    } else {
        while (j < u->head_end && !strchr(" \t\r\n=:({[", sh->text[j])) j++;
    }
    if (j == i) return false;
    *s = i;
    *e = j;
    return true;
}

static const char *const edges[] = {
    "0", "-1", "1", "100%", "0%", "101%", "0.5", "-0", "3.14159", "0.000000000000000000000000000001",
    "999999999999999999999999999999", "1000000000000000000000000000000", "9223372036854775808",
    "2147483648", "1e3", "00", "1.", "30", "1..0",
};

/* A number of the text (digits with at most one '.'), start and end. */
static bool some_number(const Shape *sh, size_t *s, size_t *e)
{
    size_t from = pick((unsigned)sh->len);
    for (size_t k = 0; k < sh->len; k++) {
        size_t i = (from + k) % sh->len;
        if (sh->text[i] < '0' || sh->text[i] > '9') continue;
        while (i > 0 && sh->text[i - 1] >= '0' && sh->text[i - 1] <= '9') i--;
        size_t j = i;
        while (j < sh->len && ((sh->text[j] >= '0' && sh->text[j] <= '9') || sh->text[j] == '.')) j++;
        *s = i;
        *e = j;
        return true;
    }
    return false;
}

/* Replaces [s, e) by the bytes r. */
static void splice(const Shape *sh, size_t s, size_t e, const uint8_t *r, size_t n)
{
    emit(sh->text, s);
    emit(r, n);
    emit(sh->text + e, sh->len - e);
}

/* One structural change into out; false when none applies. */
static bool mutate_once(const Shape *sh)
{
    nout = 0;
    over = false;
    unsigned kind = pick(8);
    if (sh->n == 0) kind = 6;
    const Unit *u = sh->n ? &sh->units[pick((unsigned)sh->n)] : NULL;
    const Unit *v = u ? partner(sh, u) : NULL;
    switch (kind) {
    case 0:     /* duplicate in place */
        emit(sh->text, u->end);
        if (u->end == 0 || sh->text[u->end - 1] != '\n') emit((const uint8_t *)"\n", 1);
        emit_unit(sh, u);
        emit(sh->text + u->end, sh->len - u->end);
        return true;
    case 1:     /* a copy before another declaration, maybe in another file */
        if (!v) return false;
        emit(sh->text, v->start);
        emit_unit(sh, u);
        emit(sh->text + v->start, sh->len - v->start);
        return true;
    case 2:     /* drop */
        emit(sh->text, u->start);
        emit(sh->text + u->end, sh->len - u->end);
        return true;
    case 3: {   /* swap two (or move one before the other) */
        if (!v || !disjoint(u, v)) return false;
        const Unit *a = u->start < v->start ? u : v, *b = a == u ? v : u;
        emit(sh->text, a->start);
        emit_unit(sh, b);
        if (pick(2)) {
            emit(sh->text + a->end, b->start - a->end);
            emit_unit(sh, a);
        } else {
            emit_unit(sh, a);           /* moved: b before a, b's old place gone */
            emit(sh->text + a->end, b->start - a->end);
        }
        emit(sh->text + b->end, sh->len - b->end);
        return true;
    }
    case 4: {   /* the name (an item's number) of v given to u */
        size_t s1, e1, s2, e2;
        if (!v || !name_of(sh, u, &s1, &e1) || !name_of(sh, v, &s2, &e2)) return false;
        if (pick(2) || !disjoint(u, v)) {
            splice(sh, s1, e1, sh->text + s2, e2 - s2);
            return true;
        }
        /* both ways */
        size_t as = s1 < s2 ? s1 : s2, ae = s1 < s2 ? e1 : e2, bs = s1 < s2 ? s2 : s1, be = s1 < s2 ? e2 : e1;
        emit(sh->text, as);
        emit(sh->text + bs, be - bs);
        emit(sh->text + ae, bs - ae);
        emit(sh->text + as, ae - as);
        emit(sh->text + be, sh->len - be);
        return true;
    }
    case 5: {   /* renumber: the first number of u's first line an edge value or v's number */
        size_t s, e;
        Shape head = { .text = sh->text + u->start, .len = u->head_end - u->start };
        if (!some_number(&head, &s, &e)) return false;
        const char *r = edges[pick(sizeof edges / sizeof edges[0])];
        size_t vs, ve;
        if (v && pick(2) && name_of(sh, v, &vs, &ve)) splice(sh, u->start + s, u->start + e, sh->text + vs, ve - vs);
        else splice(sh, u->start + s, u->start + e, (const uint8_t *)r, strlen(r));
        return true;
    }
    case 6: {   /* any number an edge value */
        size_t s, e;
        if (!some_number(sh, &s, &e)) return false;
        const char *r = edges[pick(sizeof edges / sizeof edges[0])];
        splice(sh, s, e, (const uint8_t *)r, strlen(r));
        return true;
    }
    default:
        return false;
    }
}

static Shape shape;

size_t fuzz_mutate_rules(uint8_t *data, size_t size, size_t max, unsigned seed,
                         size_t (*bytes)(uint8_t *, size_t, size_t))
{
    rng = ((uint64_t)seed << 1) | 1;
    pick(1);
    if (size > 0 && size < MAX_TEXT && pick(8) != 0) {
        shape.text = data;
        shape.len = size;
        find_units(&shape);
        for (int tries = 0; tries < 4; tries++) {
            if (mutate_once(&shape) && !over && nout <= max && nout > 0) {
                memcpy(data, out, nout);
                return nout;
            }
        }
    }
    return bytes ? bytes(data, size, max) : size;
}
