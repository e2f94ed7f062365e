/*
** diag.h — the one printer for every message kaohe shows a user.
** Rule-file messages carry byte offsets from the lexer; line and column are
** computed only when printing. Data-file messages name file, spreadsheet row
** and column header. Nothing else in kaohe writes errors to stderr.
*/
#ifndef KAOHE_DIAG_H
#define KAOHE_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A loaded source file (rule file, stdlib). text is NUL-terminated. */
typedef struct SrcFile {
    const char *path;    /* as shown to the user */
    const char *text;
    size_t len;
} SrcFile;

/* A span of a source file: [start, end) byte offsets. file == NULL means
** "no position" (built-in). */
typedef struct Loc {
    const SrcFile *file;
    uint32_t start, end;
} Loc;

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

/* file:line:col: error: message
**    12 |   deduct 1 unless 服务环境良好
**       |                   ^~~~~~~~~~
**    hint: ...
** hint may be NULL. Columns count characters (UTF-8 code points), from 1. */
void diag_at(DiagLevel level, Loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A cell of a data file: file:row:column: error: message, then the cell text
** quoted. row is the spreadsheet row (the header is row 1); column is the
** column header text (NULL for a whole-row problem). text may be NULL.
** row <= 0 leaves the row out too: "path: error: message". The cell text is
** printed on its own line as `  cell: "..."`, control characters escaped. */
void diag_cell(DiagLevel level, const char *path, long row, const char *column,
               const char *text, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* A position in a text file that is not a rule file (a CSV syntax error):
** file:line:col where col counts characters from 1. line <= 0 means the
** whole file ("path: note: ..."), col <= 0 the whole line. */
void diag_file(DiagLevel level, const char *path, long line, long col,
               const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* No position at all: "kaohe: error: message". */
void diag_plain(DiagLevel level, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same four with a va_list, for modules that wrap them in their own
** error helpers (an error cap, a longjmp). */
void diag_vat(DiagLevel level, Loc loc, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
void diag_vcell(DiagLevel level, const char *path, long row, const char *column,
                const char *text, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
void diag_vfile(DiagLevel level, const char *path, long line, long col,
                const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
void diag_vplain(DiagLevel level, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Counts since start (or the last diag_reset). */
int diag_errors(void);
int diag_warnings(void);
void diag_reset(void);

/* 1-based line and column (in characters) of a byte offset. */
void diag_line_col(const SrcFile *f, uint32_t offset, long *line, long *col);

/* Terminal columns of UTF-8 text, as excerpts count them (a Chinese
** character is 2, a tab 1). kaohe fmt aligns with it. */
int diag_width(const char *s, size_t len);

/* Where messages go (stderr by default); tests point it at a memstream. */
void diag_set_stream(void *file /* FILE* */);

/* "did you mean" support: the candidate closest to name by edit distance over
** code points, or NULL when none is close enough to be a plausible typo.
** Edits are insertions, deletions, substitutions and swaps of neighbours;
** plausible means distance <= max(1, (length of name + 2) / 3), and the best
** candidate must be the only one at its distance (a tie suggests nothing). */
const char *diag_suggest(const char *name, const char *const *candidates, size_t n);

/* A name from a data or rule file as a message quotes it: itself, or,
** when longer than DIAG_NAME_MAX characters (an open quote swallows rows
** into one cell), its first DIAG_NAME_MAX characters, an ellipsis and its
** length. So a message's first line stays one a person can read. */
#define DIAG_NAME_MAX 40
const char *diag_short(const char *name);

/* printf into GC memory: messages, labels, hints. */
/* The text of a span as one line: runs of white space (line breaks
** included) become one space; NULL for a built-in or empty span. Shown by
** explanations as a rule's source. */
const char *diag_span_text(Loc loc);

char *gc_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
