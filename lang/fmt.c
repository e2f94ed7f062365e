/*
** fmt.c — `kaohe fmt`: the canonical layout of a rule file. It works on the
** token stream, not the syntax tree, so every token keeps its spelling (×,
** ≥, 30%, the minus sign) and every comment stays where it was. The author's
** line breaks are kept; what changes is indentation, the spaces between
** tokens, runs of blank lines, and the alignment of clause texts and
** citations written after a rule. It never changes what a rule file means:
** the output is tokenized again and must give the same tokens, or nothing
** is written.
*/
#include <dirent.h>
#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "status.h"
#include "fault.h"
#include "safe_write.h"
#include "lexstate.h"
#include "parser.h"

/* What a block `{ … }` holds, which decides what starts a line inside it. */
typedef enum BlockKind {
    B_DECLS,      /* the file itself: declarations */
    B_ITEMS,      /* section, penalty, bonus */
    B_STEPS,      /* item, when, otherwise */
    B_BANDS,      /* grade */
    B_TEST,       /* test: given, expect */
    B_SCENARIO,   /* scenario: declarations, set, table … row, item */
    B_LIST,       /* by X { a: 1, … }, facts { … }: one entry per line */
    B_TIERS       /* tiers V { >= 100%: 8, …, otherwise: 0 }: one tier per line */
} BlockKind;

/* One line of the input: its tokens [first, end) and its comment. */
typedef struct SrcLine {
    int first, end;
    const char *comment;     /* "# …" without trailing spaces, or NULL */
    bool blank_before;       /* at least one empty line before it */
    uint32_t start;          /* byte offset of the line in the input */
} SrcLine;

/* One line of the output, before alignment. */
typedef struct OutLine {
    int indent;
    char *code;              /* the tokens before the split (or all of them) */
    char *trail;             /* what is aligned: clause text, cite … or NULL */
    int align;               /* B_BANDS: the band's name is padded (1), or not */
    const char *comment;
    bool blank_before;
    int depth;               /* open blocks at its start: runs do not cross them */
} OutLine;

typedef struct Buf {
    char *s;
    size_t len, cap;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *t = GC_MALLOC_ATOMIC(cap);
        if (b->len) memcpy(t, b->s, b->len);
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_str(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_spaces(Buf *b, int n)
{
    while (n-- > 0) buf_put(b, " ", 1);
}

static const char *buf_done(Buf *b)
{
    if (!b->s) buf_put(b, "", 0);
    return b->s;
}

/* ---- tokens -------------------------------------------------------------- */

typedef struct Fmt {
    const SrcFile *file;
    LexToken *t;
    int nt;
    SrcLine *lines;
    int nlines;
} Fmt;

static int width_of(const char *s) { return diag_width(s, strlen(s)); }

static bool is_step_word(int k)
{
    return k == ZERO || k == DEDUCT || k == ADD || k == SCORE || k == SCALE;
}

/* A string that is a title, a file name or an attribute's argument, rather
** than the clause text of the rule before it. */
static bool string_is_argument(const Fmt *f, int i)
{
    if (i == 0) return false;
    int p = f->t[i - 1].kind;
    switch (p) {
    case RUBRIC: case SECTION: case PENALTY: case BONUS: case TEST: case SCENARIO: case FROM: case LABEL:
    case COLUMN: case TOTAL: case SOURCE: case CITE: case ASSUME: case STANDARD: case LIMIT:
    case ':': case '=':
        return true;
    default:
        break;
    }
    return i >= 2 && f->t[i - 2].kind == ITEM;    /* item 1 "title" */
}

/* Where the written-after documentation of a rule begins: what alignment
** lines up, and what a line of its own indents under its rule. */
static bool starts_doc(const Fmt *f, int i)
{
    int k = f->t[i].kind;
    if (k == CITE || k == ASSUME || k == STANDARD || k == LIMIT) return true;
    return k == STRING && !string_is_argument(f, i);
}

/* An attribute on a line of its own (also source, total, optional). */
static bool starts_attr_line(const Fmt *f, int i)
{
    int k = f->t[i].kind;
    return starts_doc(f, i) || k == SOURCE || k == TOTAL || k == OPTIONAL;
}

static bool starts_statement(const Fmt *f, int i, BlockKind in)
{
    int k = f->t[i].kind;
    switch (in) {
    case B_DECLS:
        if (k == ROUND) return i + 1 < f->nt && f->t[i + 1].kind == ITEMS;
        return k == RUBRIC || k == UNITS || k == PERIOD || k == PARAM || k == TABLE ||
               k == FACT || k == LET || k == DEF || k == SECTION || k == PENALTY ||
               k == BONUS || k == RESULT || k == GRADE || k == OUTCOME || k == TEST || k == SCENARIO;
    case B_SCENARIO:
        return k == SET || k == ITEM || starts_statement(f, i, B_DECLS);
    case B_ITEMS: return k == ITEM;
    case B_STEPS: return is_step_word(k) || k == LET || k == WHEN;
    case B_TEST: return k == GIVEN || k == EXPECT;
    case B_BANDS: return k == IDENT || k == VETO;
    case B_LIST: return k == IDENT;
    case B_TIERS: return k == GE || k == '>' || k == OTHERWISE;
    }
    return false;
}

/* A '-' with no value before it is a sign, written against its number. */
static bool is_sign(const Fmt *f, int i)
{
    if (f->t[i].kind != '-') return false;
    if (i == 0) return true;
    int p = f->t[i - 1].kind;
    return !(p == IDENT || p == NUMBER || p == STRING || p == TRUE || p == FALSE ||
             p == ')' || p == ']' || p == '}');
}

/* One space between tokens i-1 and i, or none. */
static bool space_before(const Fmt *f, int i, bool in_fact)
{
    int k = f->t[i].kind, p = f->t[i - 1].kind;
    if (k == ',' || k == ';' || k == ')' || k == ']' || k == '.' || k == DOTDOT) return false;
    if (p == '(' || p == '[' || p == '.' || p == DOTDOT) return false;
    if (k == ':') return in_fact;
    if (k == '(') return !(p == IDENT || p == ROUND);
    if (k == '[') return p != IDENT;
    if (is_sign(f, i - 1)) return false;
    return true;
}

/* The lines of the input, with their comments; runs of empty lines are
** remembered as one. */
static void split_lines(Fmt *f)
{
    const char *s = f->file->text;
    f->lines = GC_MALLOC(sizeof(SrcLine) * ((size_t)f->nt + f->file->len / 2 + 2));
    SrcLine cur = { -1, -1, NULL, false, 0 };
    bool pending_blank = false;
    uint32_t pos = 0;
    for (int i = 0; i <= f->nt; i++) {
        uint32_t gap_end = i < f->nt ? f->t[i].start : (uint32_t)f->file->len;
        for (uint32_t p = pos; p < gap_end; p++) {
            if (s[p] == '#') {
                uint32_t e = p;
                while (e < gap_end && s[e] != '\n') e++;
                uint32_t t = e;
                while (t > p && (s[t - 1] == ' ' || s[t - 1] == '\t' || s[t - 1] == '\r')) t--;
                cur.comment = GC_STRNDUP(s + p, t - p);
                p = e - 1;
            } else if (s[p] == '\n') {
                if (cur.first >= 0 || cur.comment) {
                    cur.blank_before = pending_blank && f->nlines > 0;
                    f->lines[f->nlines++] = cur;
                    pending_blank = false;
                } else {
                    pending_blank = true;
                }
                cur = (SrcLine){ -1, -1, NULL, false, p + 1 };
            }
        }
        if (i == f->nt) break;
        if (cur.first < 0) cur.first = i;
        cur.end = i + 1;
        pos = f->t[i].end;
    }
    if (cur.first >= 0 || cur.comment) {
        cur.blank_before = pending_blank && f->nlines > 0;
        f->lines[f->nlines++] = cur;
    }
}

/* ---- layout -------------------------------------------------------------- */

typedef struct Block { BlockKind kind; } Block;

typedef struct Layout {
    Block *blocks;           /* open braces */
    int nblocks;
    int *parens;             /* output column after each open ( or [; -1: at a line end */
    int nparens;
    /* the statement being written */
    int stmt_first, stmt_indent, stmt_cont;
    bool stmt_step, stmt_fact;
} Layout;

static BlockKind block_kind(const Fmt *f, int brace, int stmt_first)
{
    if (brace >= 2 && f->t[brace - 2].kind == BY) return B_LIST;
    for (int j = brace - 1; j > stmt_first && f->t[j].kind != '{' && f->t[j].kind != '}'; j--)
        if (f->t[j].kind == TIERS) return B_TIERS;
    if (f->t[stmt_first].kind == TIERS) return B_TIERS;
    switch (f->t[stmt_first].kind) {
    case SECTION: case PENALTY: case BONUS: return B_ITEMS;
    case GRADE: return B_BANDS;
    case TEST: return B_TEST;
    case SCENARIO: return B_SCENARIO;
    case TABLE: return B_LIST;          /* table … row 单位 { 列: 值, … } */
    case GIVEN: return B_LIST;          /* facts { … } */
    default: return B_STEPS;     /* item, when, } otherwise {, } else when … { */
    }
}

static void lay_line(const Fmt *f, Layout *L, const SrcLine *sl, OutLine *out)
{
    const LexToken *t = f->t;
    int i0 = sl->first;
    out->comment = sl->comment;
    out->blank_before = sl->blank_before;
    out->depth = L->nblocks;
    BlockKind in = L->nblocks ? L->blocks[L->nblocks - 1].kind : B_DECLS;
    if (i0 < 0) {                                   /* a comment on its own */
        out->indent = 2 * L->nblocks;
        return;
    }
    int k0 = t[i0].kind;
    bool new_stmt = false;
    if (k0 == '}') {
        out->indent = 2 * (L->nblocks > 0 ? L->nblocks - 1 : 0);
        new_stmt = true;
    } else if (L->nparens > 0) {
        int col = L->parens[L->nparens - 1];
        out->indent = col >= 0 ? col : L->stmt_indent + 4;
    } else if (k0 == '{') {
        out->indent = L->stmt_indent;
    } else if (starts_attr_line(f, i0)) {
        out->indent = L->stmt_indent + (L->stmt_step ? 4 : 2);
    } else if (starts_statement(f, i0, in)) {
        out->indent = 2 * L->nblocks;
        new_stmt = true;
    } else if (in == B_DECLS && k0 == VETO) {
        out->indent = 2;                            /* an outcome's veto: a part of it */
        new_stmt = true;
    } else {
        out->indent = L->stmt_cont;
    }
    if (new_stmt) {
        L->stmt_first = i0;
        L->stmt_indent = out->indent;
        L->stmt_cont = out->indent + 4;
        L->stmt_step = is_step_word(k0);
        L->stmt_fact = k0 == FACT;
    }
    out->align = in == B_BANDS && k0 == IDENT && sl->end - i0 >= 2;

    Buf code = { 0 }, trail = { 0 };
    Buf *b = &code;
    int inline_braces = 0;
    for (int i = i0; i < sl->end; i++) {
        int k = t[i].kind;
        if (i > i0 && b == &code && L->nparens == 0 && inline_braces == 0 && starts_doc(f, i))
            b = &trail;                             /* the aligned part begins */
        else if (i > i0 && space_before(f, i, L->stmt_fact))
            buf_put(b, " ", 1);
        if (i == i0 + 1 && new_stmt && b == &code)
            L->stmt_cont = out->indent + width_of(buf_done(&code));
        buf_put(b, f->file->text + t[i].start, t[i].end - t[i].start);
        int col = out->indent + width_of(buf_done(&code));
        switch (k) {
        case '(': case '[':
            L->parens = GC_REALLOC(L->parens, sizeof(int) * (size_t)(L->nparens + 1));
            L->parens[L->nparens++] = b == &code ? col : -1;
            break;
        case ')': case ']':
            if (L->nparens > 0) L->nparens--;
            break;
        case '{': {
            /* a brace closed on this line is inline; one left open opens a block */
            int depth = 0, j = i + 1;
            for (; j < sl->end; j++) {
                if (t[j].kind == '{') depth++;
                else if (t[j].kind == '}' && depth-- == 0) break;
            }
            if (j < sl->end) {
                inline_braces++;
            } else {
                L->blocks = GC_REALLOC(L->blocks, sizeof(Block) * (size_t)(L->nblocks + 1));
                L->blocks[L->nblocks++] = (Block){ block_kind(f, i, L->stmt_first) };
            }
            break;
        }
        case '}':
            if (inline_braces > 0) inline_braces--;
            else if (L->nblocks > 0) L->nblocks--;
            break;
        default:
            break;
        }
    }
    /* an open paren that ends its line: what follows is indented, not aligned */
    if (L->nparens > 0 && t[sl->end - 1].kind == '(') L->parens[L->nparens - 1] = -1;
    if (L->nparens > 0 && t[sl->end - 1].kind == '[') L->parens[L->nparens - 1] = -1;
    out->code = (char *)buf_done(&code);
    out->trail = trail.len ? (char *)buf_done(&trail) : NULL;
}

/* A run is a stretch of lines with no empty line between them, in one
** block. In a run, the clause texts and citations written after their rules
** line up two columns after the longest such rule; the bands of a grade
** line up their comparisons one column after the longest band name. */
static int band_name_width(const OutLine *o)
{
    const char *sp = strchr(o->code, ' ');
    return diag_width(o->code, (size_t)(sp - o->code));
}

static void align_runs(OutLine *o, int n, Buf *out)
{
    int *col = GC_MALLOC_ATOMIC(sizeof(int) * ((size_t)n + 1));
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && o[j].depth == o[i].depth && !o[j].blank_before) j++;
        int trail_w = 0, band_w = 0;
        for (int k = i; k < j; k++) {
            if (o[k].trail) {
                int cw = o[k].indent + width_of(o[k].code);
                if (cw > trail_w) trail_w = cw;
            }
            if (o[k].align && band_name_width(&o[k]) > band_w) band_w = band_name_width(&o[k]);
        }
        for (int k = i; k < j; k++) col[k] = o[k].align ? band_w + 1 : trail_w + 2;
        i = j;
    }
    for (int i = 0; i < n; i++) {
        if (o[i].blank_before) buf_str(out, "\n");
        buf_spaces(out, o[i].indent);
        if (o[i].align) {
            const char *sp = strchr(o[i].code, ' ');
            buf_put(out, o[i].code, (size_t)(sp - o[i].code));
            buf_spaces(out, col[i] - band_name_width(&o[i]));
            buf_str(out, sp + 1);
        } else if (o[i].code) {
            buf_str(out, o[i].code);
        }
        if (o[i].trail) {
            buf_spaces(out, col[i] - o[i].indent - width_of(o[i].code));
            buf_str(out, o[i].trail);
        }
        if (o[i].comment) {
            if (o[i].code) buf_str(out, "  ");
            buf_str(out, o[i].comment);
        }
        buf_str(out, "\n");
    }
}

/* The canonical text of a rule file, or NULL after a diagnostic (it does
** not read as a rule file: kaohe does not lay out what it cannot parse). */
static const char *fmt_text(const SrcFile *file)
{
    Ast scratch = { 0 };
    if (!parse_file(&scratch, file)) return NULL;
    Fmt f = { file, NULL, 0, NULL, 0 };
    int max = (int)file->len + 2;
    f.t = GC_MALLOC(sizeof(LexToken) * (size_t)max);
    f.nt = lex_tokenize(file, f.t, max) - 1;       /* without the end-of-file token */
    split_lines(&f);
    Layout L = { 0 };
    OutLine *o = GC_MALLOC(sizeof(OutLine) * ((size_t)f.nlines + 1));
    for (int i = 0; i < f.nlines; i++) lay_line(&f, &L, &f.lines[i], &o[i]);
    Buf out = { 0 };
    align_runs(o, f.nlines, &out);
    const char *text = buf_done(&out);

    /* the layout must not change a single token */
    SrcFile again = { file->path, text, out.len };
    LexToken *t2 = GC_MALLOC(sizeof(LexToken) * (out.len + 2));
    int n2 = lex_tokenize(&again, t2, (int)out.len + 2) - 1;
    bool same = n2 == f.nt;
    for (int i = 0; same && i < n2; i++) {
        size_t a = f.t[i].end - f.t[i].start, b = t2[i].end - t2[i].start;
        same = f.t[i].kind == t2[i].kind && a == b &&
               memcmp(file->text + f.t[i].start, text + t2[i].start, a) == 0;
    }
    if (!same) {
        diag_plain(DIAG_ERROR, "please report this, with the file; the file was left as it was",
                   "kaohe fmt would have changed the meaning of %s", file->path);
        return NULL;
    }
    return text;
}

/* ---- the command ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* PATH itself if it is a file; every *.kh under it, sorted, if a folder. */
static bool collect(const char *path, PtrVec *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_plain(DIAG_ERROR, NULL, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        vec_push(out, (void *)path);
        return true;
    }
    DIR *d = opendir(path);
    if (!d) {
        diag_plain(DIAG_ERROR, NULL, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    PtrVec names = { 0 };
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') vec_push(&names, GC_STRDUP(e->d_name));
    closedir(d);
    if (names.n) qsort(names.items, (size_t)names.n, sizeof(void *), cmp_str);
    bool ok = true;
    for (int i = 0; i < names.n; i++) {
        const char *n = names.items[i];
        char *full = GC_MALLOC_ATOMIC(strlen(path) + strlen(n) + 2);
        sprintf(full, "%s/%s", path, n);
        size_t len = strlen(n);
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            ok = collect(full, out) && ok;
        else if (len > 3 && strcmp(n + len - 3, ".kh") == 0)
            vec_push(out, full);
    }
    return ok;
}

/* --check: where the file first differs from its layout, with the line as
** kaohe fmt would write it. */
static void report_unformatted(const SrcFile *f, const char *want)
{
    const char *a = f->text, *b = want;
    const char *line_a = a, *line_b = b;
    while (*a && *a == *b) {
        if (*a == '\n') { line_a = a + 1; line_b = b + 1; }
        a++;
        b++;
    }
    const char *end_a = strchr(line_a, '\n');
    const char *end_b = strchr(line_b, '\n');
    size_t na = end_a ? (size_t)(end_a - line_a) : strlen(line_a);
    size_t nb = end_b ? (size_t)(end_b - line_b) : strlen(line_b);
    Loc at = { f, (uint32_t)(line_a - f->text), (uint32_t)(line_a - f->text + na) };
    char *hint = GC_MALLOC_ATOMIC(nb + 64);
    if (nb == 0)
        snprintf(hint, nb + 64, "kaohe fmt %s writes an empty line here", f->path);
    else
        snprintf(hint, nb + 64, "kaohe fmt writes it as: %.*s", (int)nb, line_b);
    diag_at(DIAG_ERROR, at, hint, "not in kaohe's layout");
}

static bool write_file(const char *path, const char *text)
{
    bool ok = safe_write_file(path, text, strlen(text));
    if (!ok) diag_plain(DIAG_ERROR, "the file was left as it was", "cannot write %s: %s", path, strerror(errno));
    return ok;
}

int fmt_paths(char *const *paths, int npaths, bool check)
{
    PtrVec files = { 0 };
    bool ok = true;
    for (int i = 0; i < npaths; i++) ok = collect(paths[i], &files) && ok;
    if (!ok) return EXIT_RULES;
    int unformatted = 0, broken = 0;
    for (int i = 0; i < files.n; i++) {
        const SrcFile *f = src_load(files.items[i]);
        const char *want = f ? fmt_text(f) : NULL;
        if (!want) { broken++; continue; }
        if (strcmp(want, f->text) == 0) continue;
        if (check) {
            report_unformatted(f, want);
            unformatted++;
        } else if (write_file(f->path, want)) {
            printf("%s\n", f->path);
        } else {
            return EXIT_OUTPUT;
        }
    }
    if (broken) return EXIT_RULES;
    return unformatted ? EXIT_FAILED : EXIT_OK;
}
