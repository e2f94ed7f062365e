/*
** diag.c — the one printer for every user-facing message: rule-file spans
** with a source excerpt and underline, data-file cells and positions, plain.
** It formats and counts; it never decides what is an error or exits.
*/
#include "diag.h"
#include "i18n.h"
#include "utf8.h"

#include <gc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out_stream;     /* NULL: stderr (not a constant initializer) */
static int n_errors, n_warnings;

static FILE *out(void)
{
    return out_stream ? out_stream : stderr;
}

void diag_set_stream(void *file)
{
    out_stream = file;
}

int diag_errors(void) { return n_errors; }
int diag_warnings(void) { return n_warnings; }

void diag_reset(void)
{
    n_errors = 0;
    n_warnings = 0;
}

static const char *level_name(DiagLevel level)
{
    switch (level) {
    case DIAG_ERROR: return _("error");
    case DIAG_WARNING: return _("warning");
    case DIAG_NOTE: return _("note");
    }
    return _("error");
}

static void count(DiagLevel level)
{
    if (level == DIAG_ERROR)
        n_errors++;
    else if (level == DIAG_WARNING)
        n_warnings++;
}

/* "level: message" then newline: the tail every header line shares. */
static void put_message(FILE *f, DiagLevel level, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Text from a rule or data file, a file name or a command-line argument as
** a message shows it: line breaks, tabs and other control characters
** escaped (\n, \t, \x01) so a line stays one line, and each byte that is
** not UTF-8 as \xFF, so every message is valid UTF-8; inside a quoted cell
** (in_quotes) quotes and backslashes too, so the cell's ends and its stray
** whitespace are visible. */
static void put_escaped(FILE *f, const char *s, size_t len, bool in_quotes)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t n;
            if (utf8_next((const unsigned char *)s + i, len - i, &n) == 0xFFFD && n == 1) {
                fprintf(f, "\\x%02X", c);
            } else {
                fwrite(s + i, 1, n, f);
                i += n - 1;
            }
        } else if (in_quotes && (c == '"' || c == '\\')) {
            fputc('\\', f);
            fputc(c, f);
        } else if (c >= 0x20 && c != 0x7F) {
            fputc(c, f);
        } else if (c == '\n') {
            fputs("\\n", f);
        } else if (c == '\r') {
            fputs("\\r", f);
        } else if (c == '\t') {
            fputs("\\t", f);
        } else {
            fprintf(f, "\\x%02X", c);
        }
    }
}

static void put_span(FILE *f, const char *s, size_t len)
{
    put_escaped(f, s, len, false);
}

/* Where a name of len bytes is cut in messages: the byte offset after its
** DIAG_NAME_MAX-th character, or 0 when it is short enough to show whole.
** *chars gets its length in characters. */
static size_t name_cut(const char *name, size_t len, size_t *chars)
{
    size_t n = 0, cut = 0;
    for (size_t at = 0; at < len; at++)
        if (((unsigned char)name[at] & 0xC0) != 0x80 && n++ == DIAG_NAME_MAX)
            cut = at;
    *chars = n;
    return n <= DIAG_NAME_MAX ? 0 : cut;
}

/* Writes a formatted message, cutting each quoted name longer than
** DIAG_NAME_MAX characters ('长长…' (300 characters)), as diag_short does
** for data names. Messages quote a rule's names as '名字': a quote after a
** space or '(' or at the start, then no space up to the closing quote. An
** apostrophe inside a word (the rubric's) opens nothing. */
static void put_quoting_short(FILE *f, const char *m)
{
    const char *p = m;
    while (*p) {
        const char *q = strchr(p, '\'');
        if (!q) {
            put_span(f, p, strlen(p));
            return;
        }
        put_span(f, p, (size_t)(q - p));
        const char *e = q + 1;
        while (*e && *e != '\'' && *e != ' ')
            e++;
        size_t chars, cut = 0;
        bool opens = q == m || q[-1] == ' ' || q[-1] == '(';
        if (opens && *e == '\'')
            cut = name_cut(q + 1, (size_t)(e - q - 1), &chars);
        if (cut) {
            fputc('\'', f);
            put_span(f, q + 1, cut);
            fprintf(f, "…' (%zu characters)", chars);
            p = e + 1;
        } else {
            fputc('\'', f);
            p = q + 1;
        }
    }
}

static void put_message(FILE *f, DiagLevel level, const char *fmt, va_list ap)
{
    fprintf(f, "%s: ", level_name(level));
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        put_quoting_short(f, small);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            put_quoting_short(f, big);
            free(big);
        } else {
            put_quoting_short(f, small);    /* its start, rather than nothing */
            fputs("…", f);
        }
    }
    va_end(again);
    fputc('\n', f);
}

static void put_hint(FILE *f, const char *hint)
{
    if (hint && *hint) {
        fprintf(f, "  %s: ", _("hint"));
        put_quoting_short(f, hint);
        fputc('\n', f);
    }
}

/* ---- widths -------------------------------------------------------------*/

int diag_width(const char *s, size_t len)
{
    return utf8_width(s, len);
}

void diag_line_col(const SrcFile *f, uint32_t offset, long *line, long *col)
{
    size_t end = offset < f->len ? offset : f->len;
    long ln = 1, cl = 1;
    for (size_t i = 0; i < end; i++) {
        unsigned char c = (unsigned char)f->text[i];
        if (c == '\n') {
            ln++;
            cl = 1;
        } else if ((c & 0xC0) != 0x80) {
            /* continuation bytes belong to the character before them */
            cl++;
        }
    }
    *line = ln;
    *col = cl;
}

/* ---- rule-file excerpts ---------------------------------------------------*/

static void put_spaces(FILE *f, int n)
{
    while (n-- > 0)
        fputc(' ', f);
}

static int digits(long v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

/* Excerpts show at most this many columns of a line: a generated rule file
** can have a 100,000-character line, and a message must stay readable. */
#define EXCERPT_COLS 100
#define EXCERPT_LEAD 40     /* columns kept before the span when cutting */

/* Writes one character of a source line as it can be shown: bytes that are
** not UTF-8, and control characters other than tab, become U+FFFD, so a
** message about a bad byte is itself valid UTF-8. */
static void put_shown(FILE *f, const unsigned char *t, size_t n, uint32_t cp)
{
    if (cp == 0xFFFD || (cp < 0x20 && cp != '\t') || cp == 0x7F)
        fputs("\xEF\xBF\xBD", f);
    else
        fwrite(t, 1, n, f);
}

/* The source line holding the span, then '^' under its first column and '~'
** under the rest. Padding copies tabs so the underline lines up however the
** terminal expands them; a span running past the line end stops there. A
** long line is cut to a window around the span, marked with "…". */
static void put_excerpt(FILE *f, const SrcFile *src, uint32_t start, uint32_t end,
                        long line)
{
    const unsigned char *t = (const unsigned char *)src->text;
    size_t len = src->len;
    size_t s = start < len ? start : len;
    size_t e = end < len ? end : len;
    size_t bol = s, eol = s, n;
    while (bol > 0 && t[bol - 1] != '\n')
        bol--;
    while (eol < len && t[eol] != '\n')
        eol++;
    size_t shown = eol;
    if (shown > bol && t[shown - 1] == '\r')
        shown--;
    if (e > shown)
        e = shown;

    /* a line that fits is shown whole; a longer one from EXCERPT_LEAD
    ** columns before the span */
    int total = 0;
    for (size_t i = bol; i < shown && total <= EXCERPT_COLS; i += n)
        total += utf8_cp_width(utf8_next(t + i, shown - i, &n));
    size_t from = bol;
    int lead = 0;
    for (size_t i = bol; i < s && total > EXCERPT_COLS; i += n)
        lead += utf8_cp_width(utf8_next(t + i, shown - i, &n));
    while (lead > EXCERPT_LEAD && from < s) {
        lead -= utf8_cp_width(utf8_next(t + from, shown - from, &n));
        from += n;
    }
    /* window end: EXCERPT_COLS columns from there */
    size_t to = from;
    for (int cols = 0; to < shown && cols < EXCERPT_COLS; to += n)
        cols += utf8_cp_width(utf8_next(t + to, shown - to, &n));
    if (e > to)
        e = to;
    bool cut_left = from > bol, cut_right = to < shown;

    int gw = digits(line);
    fprintf(f, " %ld | %s", line, cut_left ? "…" : "");
    for (size_t i = from; i < to; i += n) {
        /* decoded first: n is the length of this character, and C leaves
        ** the order of a call's arguments open (clang read the old n) */
        uint32_t cp = utf8_next(t + i, to - i, &n);
        put_shown(f, t + i, n, cp);
    }
    fprintf(f, "%s\n", cut_right ? "…" : "");
    put_spaces(f, gw + 1);
    fputs(" | ", f);
    if (cut_left)
        fputc(' ', f);
    size_t i = from;
    while (i < s && i < to) {
        uint32_t cp = utf8_next(t + i, to - i, &n);
        if (cp == '\t')
            fputc('\t', f);
        else
            put_spaces(f, utf8_cp_width(cp));
        i += n;
    }
    int w = 0;
    while (i < e) {
        w += utf8_cp_width(utf8_next(t + i, e - i, &n));
        i += n;
    }
    fputc('^', f);
    for (int k = 1; k < w; k++)
        fputc('~', f);
    fputc('\n', f);
}

void diag_vat(DiagLevel level, Loc loc, const char *hint, const char *fmt, va_list ap)
{
    FILE *f = out();
    count(level);
    if (!loc.file) {
        fputs("kaohe: ", f);
        put_message(f, level, fmt, ap);
    } else {
        long line, col;
        diag_line_col(loc.file, loc.start, &line, &col);
        put_span(f, loc.file->path, strlen(loc.file->path));
        fprintf(f, ":%ld:%ld: ", line, col);
        put_message(f, level, fmt, ap);
        put_excerpt(f, loc.file, loc.start, loc.end < loc.start ? loc.start : loc.end,
                    line);
    }
    put_hint(f, hint);
    fflush(f);
}

void diag_at(DiagLevel level, Loc loc, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(level, loc, hint, fmt, ap);
    va_end(ap);
}

/* ---- data files ---------------------------------------------------------*/

/* A cell's text in quotation marks, escaped so one cell stays on one line
** and stray whitespace is visible. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    put_escaped(f, s, strlen(s), true);
    fputc('"', f);
}

void diag_vcell(DiagLevel level, const char *path, long row, const char *column,
                const char *text, const char *hint, const char *fmt, va_list ap)
{
    FILE *f = out();
    count(level);
    put_span(f, path, strlen(path));
    if (row > 0)
        fprintf(f, ":%ld", row);
    if (column) {
        fputc(':', f);
        put_span(f, column, strlen(column));
    }
    fputs(": ", f);
    put_message(f, level, fmt, ap);
    if (text) {
        fputs("  cell: ", f);
        put_quoted(f, text);
        fputc('\n', f);
    }
    put_hint(f, hint);
    fflush(f);
}

void diag_cell(DiagLevel level, const char *path, long row, const char *column,
               const char *text, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vcell(level, path, row, column, text, hint, fmt, ap);
    va_end(ap);
}

void diag_vfile(DiagLevel level, const char *path, long line, long col,
                const char *hint, const char *fmt, va_list ap)
{
    FILE *f = out();
    count(level);
    put_span(f, path, strlen(path));
    if (line > 0) {
        fprintf(f, ":%ld", line);
        if (col > 0)
            fprintf(f, ":%ld", col);
    }
    fputs(": ", f);
    put_message(f, level, fmt, ap);
    put_hint(f, hint);
    fflush(f);
}

void diag_file(DiagLevel level, const char *path, long line, long col,
               const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vfile(level, path, line, col, hint, fmt, ap);
    va_end(ap);
}

void diag_vplain(DiagLevel level, const char *hint, const char *fmt, va_list ap)
{
    FILE *f = out();
    count(level);
    fputs("kaohe: ", f);
    put_message(f, level, fmt, ap);
    put_hint(f, hint);
    fflush(f);
}

void diag_plain(DiagLevel level, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vplain(level, hint, fmt, ap);
    va_end(ap);
}

/* ---- did you mean ---------------------------------------------------------*/

/* Code points of s into cps, which has room for cap; the count, or
** SIZE_MAX when s has more than cap (the caller then has no use for it). */
static size_t to_code_points(const char *s, uint32_t *cps, size_t cap)
{
    size_t blen = strlen(s), k = 0, len;
    for (size_t i = 0; i < blen; i += len) {
        if (k == cap)
            return SIZE_MAX;
        cps[k++] = utf8_next((const unsigned char *)s + i, blen - i, &len);
    }
    return k;
}

/* Edit distance over code points: insertions, deletions, substitutions and
** swaps of two neighbours each cost 1 (Levenshtein plus transpositions, the
** "optimal string alignment" form), since a swap — "rnu" for "run" — is as
** common a slip as a wrong letter. rows has room for 3 * (nb + 1). */
static size_t edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                            size_t *rows)
{
    size_t *back = rows, *prev = rows + nb + 1, *cur = rows + 2 * (nb + 1);
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                back[j - 2] + 1 < best)
                best = back[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = back;     /* rotate: back <- prev <- cur <- (old back) */
        back = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}

/* Names longer than this get no suggestion: a typo is a slip in a word,
** and the distance costs the product of the two lengths (a 100,000-
** character cell against as many units' names would take minutes). */
#define SUGGEST_MAX 64

/* A suggestion must be close (edit distance at most a third of the name,
** and at least 1 edit allowed) and unambiguous: two different candidates at the best
** distance mean we cannot guess which was meant, so we suggest neither. */
const char *diag_suggest(const char *name, const char *const *candidates, size_t n)
{
    /* The distance is at least the difference of the lengths, so a
    ** candidate more than limit code points longer or shorter is never
    ** measured: did-you-mean runs on every unknown name of a bad file, and
    ** most candidates are far off. Everything fits on the stack. */
    enum { MAX_LIMIT = (SUGGEST_MAX + 2) / 3, MAX_B = SUGGEST_MAX + MAX_LIMIT };
    uint32_t a[SUGGEST_MAX], b[MAX_B];
    size_t rows[3 * (MAX_B + 1)];
    size_t nn = to_code_points(name, a, SUGGEST_MAX);
    if (nn == SIZE_MAX)
        return NULL;
    size_t limit = (nn + 2) / 3;
    if (limit < 1)
        limit = 1;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    bool tie = false;
    for (size_t c = 0; c < n; c++) {
        if (!candidates[c])
            continue;
        size_t nb = to_code_points(candidates[c], b, nn + limit);
        if (nb == SIZE_MAX || nb + limit < nn)
            continue;
        size_t d = edit_distance(a, nn, b, nb, rows);
        if (d <= limit && d < best_d) {
            best = candidates[c];
            best_d = d;
            tie = false;
        } else if (d == best_d && best && strcmp(best, candidates[c]) != 0) {
            tie = true;
        }
    }
    return tie ? NULL : best;
}

const char *diag_short(const char *name)
{
    size_t chars;
    size_t cut = name_cut(name, strlen(name), &chars);
    if (cut == 0)
        return name;
    return gc_printf("%.*s… (%zu characters)", (int)cut, name, chars);
}

char *gc_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = GC_MALLOC_ATOMIC((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* The span as one line: runs of white space (line breaks included) become
** one space. */
const char *diag_span_text(Loc loc)
{
    if (!loc.file || loc.end <= loc.start) return NULL;
    const char *s = loc.file->text + loc.start;
    size_t n = loc.end - loc.start;
    char *out = GC_MALLOC_ATOMIC(n + 1);
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = k > 0;
            continue;
        }
        if (space) out[k++] = ' ';
        space = false;
        out[k++] = c;
    }
    out[k] = 0;
    return out;
}
