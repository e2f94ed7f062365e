/*
** synerr.h — the words of a syntax error. parser.y hands over what the
** parser found, every token it could have taken there and the symbols it
** has just read; synerr.c says it in words. Used by parser.y only.
*/
#ifndef KAOHE_SYNERR_H
#define KAOHE_SYNERR_H

#include <stdint.h>

#include "lexstate.h"

/* One symbol the parser has read: a token (its number in parser.h, with
** rule NULL) or a part of the grammar (token -1, rule its name in
** parser.y: "expr", "item_id", "attrs"). */
typedef struct SynSym {
    int token;
    const char *rule;
} SynSym;

/* How many of the symbols just read are handed over: enough to tell
** "after the item name" (item_id STRING) from "after the section name",
** and to find the clause a formula of a few operators belongs to. */
#define SYN_READ 24

typedef struct SynErr {
    const LexState *lex;       /* the file and its open braces */
    uint32_t start, end;       /* the token found */
    int found;                 /* its token number; 0 is the end of the file */
    const int *expected;       /* token numbers the parser would have taken */
    int nexpected;
    SynSym read[SYN_READ];     /* read[0] is the last symbol read */
    int nread;
} SynErr;

/* Prints the one message of a syntax error (diag_at, at the token found
** or at the real mistake just before it). */
void synerr_report(const SynErr *e);

#endif
