/*
** lexfn.h — the lexer's token-building helpers (lex.c), declared with the
** parser's token and location types. Included only by lexer.l and lex.c.
*/
#ifndef KAOHE_LEXFN_H
#define KAOHE_LEXFN_H

#include <stddef.h>

#include "lexstate.h"
#include "parser.h"

int lex_number(LexState *ls, const char *text, size_t len, bool percent, YYSTYPE *val,
               YYLTYPE *loc);
int lex_number_form(LexState *ls, const char *text, size_t len, YYLTYPE *loc);
int lex_string(LexState *ls, const char *text, size_t len, YYSTYPE *val, YYLTYPE *loc);
int lex_word(LexState *ls, const char *text, size_t len, YYSTYPE *val);
int lex_symbol(LexState *ls, const char *text, size_t len, YYLTYPE *loc);
int lex_bad_byte(LexState *ls, const char *text, YYLTYPE *loc);
/* '{', or YYerror past MAX_BLOCK_DEPTH open blocks (said at the brace). */
int lex_open_brace(LexState *ls, const YYLTYPE *loc);
void lex_close_brace(LexState *ls);

#endif
