/*
** lexstate.h — what the lexer and parser share while reading one file:
** the source, the read position, and the stack of open braces (so a missing
** '}' can name the '{' it should close). Also the lexer's helper functions,
** which live in lex.c so they compile under the project's full warnings.
*/
#ifndef KAOHE_LEXSTATE_H
#define KAOHE_LEXSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* Blocks ({ … }) open at once: a section, an item, a few 'when' and 'by'
** inside it make six or seven; 64 leaves room for any rubric, and stops
** generated or broken text before the compiler recurses through it. */
#define MAX_BLOCK_DEPTH 64
/* Digits in one number written in a rule: a score, a rate or an amount has
** a handful; more are a paste gone wrong, and each would make a huge exact
** number for every rule that reads it. */
#define MAX_NUMBER_DIGITS 30

typedef struct LexState {
    const SrcFile *file;
    uint32_t offset;       /* byte offset of the next token */
    PtrVec braces;         /* Loc * of each unclosed '{' */
    bool stray_brace;      /* the last '}' closed nothing */
} LexState;

/* One token, as lex_tokenize reports it. */
typedef struct LexToken {
    int kind;              /* token number (parser.h); 0 = end of file */
    uint32_t start, end;
    const char *text;      /* a name or a string's contents */
    Num num;               /* a number's value (percent literals divided by 100) */
} LexToken;

int lex_tokenize(const SrcFile *file, LexToken *out, int max);

/* Keyword spelling table, shared with the parser's "did you mean". */
extern const char *const lex_keywords[];
extern const int lex_nkeywords;
/* The spelling of a keyword's token ("deduct" for DEDUCT), or NULL. */
const char *lex_keyword_spelling(int token);

void lex_fatal(const char *msg);
void lex_error_at(LexState *ls, uint32_t start, uint32_t end, const char *hint,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int lex_check_utf8(LexState *ls, const char *text, size_t len, uint32_t start);
/* Bytes of text before the first character that cannot be part of a name
** (punctuation, operators such as ≥, full-width signs); 0 if the first one. */
size_t lex_name_prefix(const char *text, size_t len);
/* Length in bytes of the UTF-8 character at text (1 for a bad byte). */
size_t lex_char_len(const char *text, size_t len);

#endif
