/*
** parse_build.h — what the grammar (parser.y) builds the syntax tree with:
** the parser's state, a token's span, the attributes written after a
** declaration, and the helpers its actions call (parse_build.c): nodes
** with their nesting depth, attribute sets checked against what a
** declaration takes, and the words of a construct that are names
** elsewhere (most, ties, points, max, unit, defaults), checked rather than
** reserved. Internal to lang/: included by the generated parser.h.
*/
#ifndef KAOHE_PARSE_BUILD_H
#define KAOHE_PARSE_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include "ast.h"

typedef struct KLoc { uint32_t start, end; } KLoc;

/* Attributes written after a declaration, collected before we know which
** ones the declaration allows. */
enum { A_CITE, A_ASSUME, A_STANDARD, A_SOURCE, A_CLAUSE, A_TOTAL, A_OPTIONAL,
       A_LABEL, A_LIMIT, A_COUNT };
typedef struct AttrSet {
    Attrs at;
    const char *source;
    Expr *total_num;
    const char *total_row;
    PtrVec except;
    PtrVec except_locs;
    const char *label;
    bool optional;
    unsigned present;
    KLoc where[A_COUNT];
} AttrSet;

typedef struct ParseState {
    Ast *ast;
    const SrcFile *file;
    struct LexState *lex;
    bool failed;
    PtrVec *sink;           /* where declarations go: a scenario's body, or NULL for the file */
} ParseState;

#define YYLLOC_DEFAULT(Cur, Rhs, N)                       \
    do {                                                  \
        if (N) {                                          \
            (Cur).start = YYRHSLOC(Rhs, 1).start;         \
            (Cur).end = YYRHSLOC(Rhs, N).end;             \
        } else {                                          \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; \
        }                                                 \
    } while (0)

static inline Loc L(ParseState *ps, KLoc k) { Loc l = { ps->file, k.start, k.end }; return l; }

Expr *mk_bin(ParseState *ps, KLoc loc, BinOp op, Expr *a, Expr *b);
Expr *mk_un(ParseState *ps, KLoc loc, ExprKind k, Expr *a);
Expr *deepen(ParseState *ps, Expr *e);
AttrSet *attr_add(ParseState *ps, AttrSet *s, int kind, KLoc where);
void attrs_only(ParseState *ps, AttrSet *s, unsigned allowed, const char *what);
Decl *mk_decl(ParseState *ps, DeclKind k, KLoc loc, AttrSet *s);
void add_decl(ParseState *ps, Decl *d);
void test_given_word(ParseState *ps, const char *word, KLoc at, const char *want);
void section_max_word(ParseState *ps, const char *word, KLoc at);
void points_by(ParseState *ps, ItemDecl *it, const char *attr, KLoc attr_at, PtrVec *cases, KLoc open);
void expect_word(ParseState *ps, const char *word, KLoc at, const char *want, const char *hint);
void quota_first_key(QuotaDecl *q, Expr *key);
#define QUOTA_HINT "a quota reads: 优秀 >= 90 at most 30% by 综合得分, ties by 完成率, then unit order"
#define RANK_HINT "a rank reads: rank(完成率 among units where 考核, ties best)"
#define POINTS_HINT "points by a unit attribute read: item 3 \"名称\" points by 类型 { 乡镇: 10, 街道: 6 } { … }"
TestValue *test_value(ParseState *ps, KLoc at, int kind, const char *text, Num num);
#define BIT(a) (1u << (a))
#define ATTRS_DOC (BIT(A_CITE) | BIT(A_ASSUME) | BIT(A_CLAUSE))

#endif
