/*
** synerr.c — the words of a syntax error: "expected a number of points
** after the item name, found '分'", with a hint. The parser (parser.y)
** decides that the file is wrong and where; this file only says it, from
** the tokens the parser could have taken and the symbols it has just read.
** No parser token name ever reaches the user: every token has its words
** here, and long lists of tokens are said as one kind ("a clause").
*/
#include "synerr.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "parser.h"

/* ---- tokens in words ------------------------------------------------------*/

static bool expects(const SynErr *e, int tok)
{
    for (int i = 0; i < e->nexpected; i++)
        if (e->expected[i] == tok)
            return true;
    return false;
}

/* What a token is called in "expected …": 'deduct', a name, '{'. */
static const char *token_words(int tok)
{
    switch (tok) {
    case YYEOF: return "the end of the file";
    case IDENT: return "a name";
    case NUMBER: return "a number";
    case STRING: return "text in quotes";
    case DOTDOT: return "'..'";
    case LE: return "'<='";
    case GE: return "'>='";
    case NE: return "'!='";
    default: break;
    }
    const char *kw = lex_keyword_spelling(tok);
    if (kw)
        return gc_printf("'%s'", kw);
    if (tok > ' ' && tok < 0x7F)
        return gc_printf("'%c'", tok);
    return "an unreadable character";
}

static const char *source_text(const SynErr *e, uint32_t start, uint32_t end)
{
    const char *src = e->lex->file->text + start;
    size_t n = end - start, cut = n;
    if (cut > 40) {     /* cut on a character boundary */
        cut = 40;
        while (cut > 0 && ((unsigned char)src[cut] & 0xC0) == 0x80)
            cut--;
    }
    return gc_printf("%.*s%s", (int)cut, src, cut < n ? "…" : "");
}

/* The token found, for "found …": names, numbers and text quoted from the
** source, keywords and signs by their spelling. */
static const char *found_words(const SynErr *e)
{
    if (e->found == IDENT || e->found == NUMBER || e->found == STRING)
        return gc_printf("'%s'", source_text(e, e->start, e->end));
    return token_words(e->found);
}

static const char *keyword_of(const SynErr *e)
{
    return e->found == IDENT ? NULL : lex_keyword_spelling(e->found);
}

/* ---- kinds of token, said as one --------------------------------------------*/

/* A place where a value may start takes a dozen tokens; a place between
** two clauses takes every clause keyword. Each kind is said in a few words
** when its first two members are both expected, and then stands for all
** of its members. Rank: 1 is what the writer most likely left out, 3 what
** could merely also come (one more operator, one more attribute). */
typedef struct Kind {
    const char *words;
    const char *short_words;    /* when said beside other things */
    int rank;
    int members[20];        /* 0-terminated; the first two decide */
} Kind;

static const Kind kinds[] = {
    { "a value (a number, a name or a formula)", "a value", 1,
      { NUMBER, IDENT, '(', '-', NOT, IF, TRUE, FALSE, BY, ITEM, ROUND, TIERS, 0 } },
    { "a clause (zero, deduct, add, score, scale, let or when)", "the next clause", 2,
      { DEDUCT, SCORE, ZERO, ADD, SCALE, LET, WHEN, '}', 0 } },
    { "a declaration (param, fact, section, result, …)", "a declaration", 2,
      { PARAM, FACT, RUBRIC, UNITS, PERIOD, ROUND, TABLE, LET, DEF, SECTION, PENALTY,
        BONUS, RESULT, GRADE, OUTCOME, SCENARIO, TEST, SET, ITEM, 0 } },
    { "an operator", "an operator", 3,
      { '+', '*', '-', '/', '=', NE, '<', LE, '>', GE, AND, OR, IS, '.', '[', '(', FOR,
        WHERE, 0 } },
    { "clause text in quotes", "clause text in quotes", 3,
      { CITE, STRING, ASSUME, STANDARD, SOURCE, TOTAL, OPTIONAL, LIMIT, LABEL, EXCEPT, 0 } },
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

static bool kind_present(const SynErr *e, const Kind *k)
{
    return expects(e, k->members[0]) && expects(e, k->members[1]);
}

static bool kind_has(const Kind *k, int tok)
{
    for (int i = 0; k->members[i]; i++)
        if (k->members[i] == tok)
            return true;
    return false;
}

enum { MAX_SAID = 3 };

/* "X", "X or Y", "X, Y or Z" from the expected tokens: the kinds present,
** then single tokens; only the best rank is said, at most MAX_SAID. */
static const char *expected_words(const SynErr *e)
{
    const char *said[32], *short_said[32];
    int rank[32], n = 0;
    bool taken[NKINDS] = { false };
    for (int k = 0; k < NKINDS; k++) {
        if (!kind_present(e, &kinds[k]))
            continue;
        taken[k] = true;
        said[n] = kinds[k].words;
        short_said[n] = kinds[k].short_words;
        rank[n++] = kinds[k].rank;
    }
    for (int i = 0; i < e->nexpected && n < 32; i++) {
        int tok = e->expected[i];
        bool in_kind = false;
        for (int k = 0; k < NKINDS; k++)
            if (taken[k] && kind_has(&kinds[k], tok))
                in_kind = true;
        if (in_kind || tok == ';')
            continue;       /* ';' is an optional separator between grade bands */
        said[n] = short_said[n] = token_words(tok);
        rank[n++] = tok == YYEOF ? 2 : 1;
    }
    int best = 4;
    for (int i = 0; i < n; i++)
        if (rank[i] < best)
            best = rank[i];
    /* rank 2 and 3 go together: after a whole clause, the next clause and
    ** one more operator are equally likely */
    int upto = best == 1 ? 1 : 3;
    const char *pick[MAX_SAID], *short_pick[MAX_SAID];
    int m = 0;
    for (int r = best; r <= upto; r++)
        for (int i = 0; i < n && m < MAX_SAID; i++)
            if (rank[i] == r) {
                pick[m] = said[i];
                short_pick[m++] = short_said[i];
            }
    if (m == 0)
        return NULL;
    if (m == 1)
        return pick[0];
    for (int i = 0; i < m; i++)
        pick[i] = short_pick[i];
    if (m == 2)
        return gc_printf("%s or %s", pick[0], pick[1]);
    return gc_printf("%s, %s or %s", pick[0], pick[1], pick[2]);
}

/* ---- what was just read -------------------------------------------------------*/

static bool read_is(const SynErr *e, int i, int tok)
{
    return i < e->nread && e->read[i].token == tok;
}

static bool read_rule(const SynErr *e, int i, const char *rule)
{
    return i < e->nread && e->read[i].rule && strcmp(e->read[i].rule, rule) == 0;
}

/* A symbol that is part of a formula: a value, an operator, a call. */
static bool formula_part(const SynSym *s)
{
    if (s->rule)
        return strcmp(s->rule, "expr") == 0 || strcmp(s->rule, "primary") == 0 ||
               strcmp(s->rule, "args") == 0 || strcmp(s->rule, "arg_list") == 0 ||
               strcmp(s->rule, "arg") == 0;
    switch (s->token) {
    case NUMBER: case IDENT: case TRUE: case FALSE: case ')': case ']': case '+': case '-':
    case '*': case '/': case '=': case NE: case '<': case LE: case '>': case GE: case AND:
    case OR: case NOT: case IS: case '.': case ',':
        return true;
    default:
        return false;
    }
}

/* The keyword of the clause whose formula was just read (from read[i]
** down), or -1 when no formula was just read or it is inside parentheses. */
static int formula_owner(const SynErr *e, int i)
{
    int k = i;
    while (k < e->nread && formula_part(&e->read[k]))
        k++;
    if (k == i || k >= e->nread)
        return -1;
    return e->read[k].token;
}

/* "after …": what the writer has just written, when it says something. */
static const char *after_words(const SynErr *e)
{
    int i = 0;
    if (read_rule(e, 0, "attrs"))
        i = 1;              /* the attributes just read end a declaration */
    if (read_is(e, i, STRING) && read_rule(e, i + 1, "item_id"))
        return "after the item name";
    if (read_is(e, i, NUMBER) && read_is(e, i + 1, STRING) && read_rule(e, i + 2, "item_id"))
        return "after the item's points";
    if (read_rule(e, i, "item_id") && read_is(e, i + 1, ITEM))
        return "after the item number";
    if (read_is(e, i, STRING) && (read_is(e, i + 1, SECTION) || read_is(e, i + 1, PENALTY) ||
                                  read_is(e, i + 1, BONUS)))
        return "after the section name";
    if (i == 0 && read_is(e, 0, IDENT) && e->nread > 1 && lex_keyword_spelling(e->read[1].token) &&
        !expects(e, '+'))
        return gc_printf("after '%s …'", lex_keyword_spelling(e->read[1].token));
    if (i == 0 && e->nread > 0 && e->read[0].token > 0) {
        const char *kw = lex_keyword_spelling(e->read[0].token);
        if (kw)
            return gc_printf("after '%s'", kw);
    }
    /* a formula just read: name the clause it belongs to, unless it is
    ** inside parentheses (then the clause is not what was cut short) */
    int before = formula_owner(e, i);
    if (before == WHEN || before == IF || before == UNLESS)
        return gc_printf("after the condition of '%s'", lex_keyword_spelling(before));
    const char *kw = lex_keyword_spelling(before);
    if (kw)
        return gc_printf("after the formula of '%s'", kw);
    return NULL;
}

/* ---- hints ----------------------------------------------------------------------*/

/* Chinese words an officer may type for a keyword at the start of a
** clause or declaration, where a name can never stand. */
static const struct { const char *word, *keyword; } chinese_keywords[] = {
    {"零分", "zero"}, {"不得分", "zero"}, {"得零分", "zero"}, {"扣分", "deduct"},
    {"扣", "deduct"}, {"扣除", "deduct"}, {"减分", "deduct"}, {"加分", "add"},
    {"加", "add"}, {"得分", "score"}, {"计分", "score"}, {"按比例", "scale"},
    {"如果", "when"}, {"当", "when"}, {"若", "when"}, {"否则", "otherwise"},
    {"分档", "tiers"}, {"档次", "tiers"},
    {"项目", "item"}, {"项", "item"}, {"参数", "param"}, {"事实", "fact"},
    {"指标", "fact"}, {"结果", "result"}, {"定义", "let"}, {"章节", "section"},
};

static const char *found_word(const SynErr *e, char *buf, size_t cap)
{
    size_t l = e->end - e->start;
    if (l >= cap)
        return NULL;
    memcpy(buf, e->lex->file->text + e->start, l);
    buf[l] = '\0';
    return buf;
}

/* A name where a keyword was due: the keyword it is closest to, first among
** those the parser expected, then among all; or the keyword a Chinese word
** means. NULL when it is like none. */
static const char *keyword_hint(const SynErr *e, bool keyword_place)
{
    char word[64];
    if (!found_word(e, word, sizeof word))
        return NULL;
    const char *here[64];
    size_t n = 0;
    for (int i = 0; i < e->nexpected && n < 64; i++) {
        const char *kw = lex_keyword_spelling(e->expected[i]);
        if (kw)
            here[n++] = kw;
    }
    const char *s = diag_suggest(word, here, n);
    if (!s)
        s = diag_suggest(word, lex_keywords, (size_t)lex_nkeywords);
    if (s)
        return gc_printf("did you mean '%s'?", s);
    if (!keyword_place)
        return NULL;
    for (size_t i = 0; i < sizeof chinese_keywords / sizeof chinese_keywords[0]; i++)
        if (strcmp(word, chinese_keywords[i].word) == 0)
            return gc_printf("kaohe's keywords are English: did you mean '%s'?",
                             chinese_keywords[i].keyword);
    return NULL;
}

static bool starts_line(const SynErr *e)
{
    const char *t = e->lex->file->text;
    for (uint32_t i = e->start; i > 0; i--) {
        char c = t[i - 1];
        if (c == '\n')
            return true;
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

static bool is_name_byte(unsigned char c)
{
    return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* A full-width space (U+3000) right before the token, right after a name:
** "人　员" was meant as one name. */
static bool fullwidth_space_before(const SynErr *e)
{
    const unsigned char *t = (const unsigned char *)e->lex->file->text;
    uint32_t s = e->start;
    return (e->found == IDENT || e->found == NUMBER) && s >= 4 &&
           memcmp(t + s - 3, "\xE3\x80\x80", 3) == 0 && is_name_byte(t[s - 4]) &&
           !(t[s - 4] == 0x80 && s >= 6 && memcmp(t + s - 6, "\xE3\x80\x80", 3) == 0);
}

static const char *brace_hint(const SynErr *e)
{
    const LexState *ls = e->lex;
    if (ls->braces.n == 0)
        return NULL;
    const Loc *open = ls->braces.items[ls->braces.n - 1];
    long line, col;
    diag_line_col(ls->file, open->start, &line, &col);
    return gc_printf("is a '}' missing? the '{' at line %ld, column %ld is still open", line, col);
}

/* A token that starts a declaration, found inside a block: the block
** before it was not closed. */
static bool starts_declaration(int tok)
{
    return tok == YYEOF || tok == SECTION || tok == PENALTY || tok == BONUS || tok == PARAM ||
           tok == FACT || tok == RESULT || tok == GRADE || tok == OUTCOME || tok == TABLE ||
           tok == DEF || tok == RUBRIC || tok == UNITS || tok == PERIOD || tok == TEST ||
           tok == ITEM;
}

/* Keywords that join the parts of a clause: never mistaken for a name. */
static bool connective(int tok)
{
    switch (tok) {
    case PER: case IF: case UNLESS: case THEN: case ELSE: case OTHERWISE: case OF: case FROM:
    case TO: case IN: case WHERE: case FOR: case AND: case OR: case IS: case NOT: case BY:
        return true;
    default:
        return false;
    }
}

static void say(const SynErr *e, const char *hint, const char *what, const char *after)
{
    Loc at = { e->lex->file, e->start, e->end };
    const char *found = found_words(e);
    if (what)
        diag_at(DIAG_ERROR, at, hint, "expected %s%s%s, found %s", what, after ? " " : "",
                after ? after : "", found);
    else
        diag_at(DIAG_ERROR, at, hint, "unexpected %s%s%s", found, after ? " " : "",
                after ? after : "");
}

#define KEYWORD_AS_NAME "'%s' is a keyword of the rule language and cannot be a name: choose another name (names are usually Chinese, such as 得分)"

void synerr_report(const SynErr *e)
{
    const char *after = after_words(e);
    const char *what = expected_words(e);
    const char *kw = keyword_of(e);
    bool value_place = expects(e, NUMBER) && expects(e, IDENT);
    bool clause_place = expects(e, DEDUCT) || expects(e, PARAM);

    if (fullwidth_space_before(e)) {
        Loc at = { e->lex->file, e->start - 3, e->start };
        uint32_t from = e->start - 3;
        while (from > 0 && is_name_byte((unsigned char)e->lex->file->text[from - 1]))
            from--;
        diag_at(DIAG_ERROR, at, "a name has no spaces: delete it, or type an ordinary space if two words were meant",
                "a full-width space (U+3000) inside the name '%s'", source_text(e, from, e->end));
        return;
    }
    /* a keyword where a name is declared: `param score = 3` */
    if (kw && expects(e, IDENT) && !value_place && !clause_place) {
        Loc at = { e->lex->file, e->start, e->end };
        diag_at(DIAG_ERROR, at, gc_printf(KEYWORD_AS_NAME, kw), "expected a name%s%s, found the keyword '%s'",
                after ? " " : "", after ? after : "", kw);
        return;
    }
    const char *hint = NULL;
    if (kw && value_place) {
        /* `score total` reads a keyword as a name; `score deduct 1` left the value out */
        if (e->found == DEDUCT || e->found == ADD || e->found == SCORE || e->found == ZERO ||
            e->found == SCALE || e->found == WHEN || starts_declaration(e->found) || connective(e->found))
            hint = e->nread > 0 && lex_keyword_spelling(e->read[0].token)
                 ? gc_printf("the value after '%s' is missing", lex_keyword_spelling(e->read[0].token))
                 : "a value is missing here";
        else
            hint = gc_printf(KEYWORD_AS_NAME, kw);
    }
    /* an item written without its number: item "人员" 5 { … } */
    if (e->found == STRING && read_is(e, 0, ITEM)) {
        say(e, "an item starts with its number, then its name in quotes and its points: item 3 \"名称\" 5 { … }",
            "the item's number", after);
        return;
    }
    /* the points of an item: item 1 "人员" 分 { … } */
    if (read_is(e, 0, STRING) && read_rule(e, 1, "item_id") && expects(e, NUMBER)) {
        say(e, "an item reads: item 1 \"名称\" 5 { … } (its number, its name in quotes, its points)",
            "a number of points", after);
        return;
    }
    if (e->found == IDENT && read_is(e, 0, NUMBER) && e->start > 0 && e->lex->file->text[e->start - 1] >= '0' && e->lex->file->text[e->start - 1] <= '9')
        hint = "write the number alone, with no unit after it: 5, not 5分";
    if (e->found == IDENT && !hint) {
        bool keyword_place = clause_place && (starts_line(e) || !expects(e, '+'));
        hint = keyword_hint(e, keyword_place);
        if (keyword_place) {
            /* a misspelt or Chinese keyword where a clause starts */
            if (!hint)
                hint = expects(e, DEDUCT)
                     ? "a clause starts with an English keyword: zero, deduct, add, score, scale, let or when"
                     : "a declaration starts with an English keyword: param, fact, section, item, result, grade, …";
            say(e, hint, expects(e, DEDUCT) ? "a clause (zero, deduct, add, score, scale, let or when)"
                                            : "a declaration (param, fact, section, result, …)", NULL);
            return;
        }
        if (!hint && expects(e, '+') && expects(e, STRING))
            hint = "clause text goes in quotes (\"…\"); between two values write an operator (+ - * /)";
    }
    if ((e->found == ')' || e->found == ']' || e->found == '}') && !expects(e, e->found) && !hint) {
        const char *opener = e->found == ')' ? "(" : e->found == ']' ? "[" : "{";
        hint = gc_printf("no '%s' is open here: is this '%c' one too many?", opener, e->found);
        say(e, hint, NULL, after);
        return;
    }
    if (e->found == DOTDOT && !hint)
        hint = "'..' writes a range: in a fact vector ([1..12]), a grade band (良好 80..89) or a 'for' (for i in 1..12)";
    if (e->found == STRING && !hint && value_place)
        hint = "clause text goes after the rule it explains, not inside a formula";
    if (!hint && expects(e, '{') && formula_owner(e, 0) == WHEN)
        hint = "the clauses under a 'when' go in braces: when 条件 { score 5 }";
    if (!hint && expects(e, '}') && starts_declaration(e->found))
        hint = brace_hint(e);
    say(e, hint, what, after);
}
