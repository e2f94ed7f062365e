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
    case ARROW: return "'->'";
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
        WHERE, OF, 0 } },   /* OF: `完成率 of units` may follow any value */
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
        if (tok == YYEOF && taken[2])
            continue;       /* "a declaration" says the file may go on or end */
        if (tok == IDENT && expects(e, ',') && expects(e, ')'))
            continue;       /* after an argument, a name is only rank's 'among' */
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

static bool comparison(int tok)
{
    return tok == '<' || tok == '>' || tok == LE || tok == GE || tok == '=' || tok == NE;
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
/* Keywords a formula follows, so "after the formula of 'score'" is true. */
static bool takes_formula(int tok)
{
    switch (tok) {
    case SCORE: case DEDUCT: case ADD: case SCALE: case PER: case THEN: case ELSE: case FROM:
    case WHERE: case PARAM: case LET: case RESULT: case OUTCOME: case SET: case DEF:
        return true;
    default:
        return false;
    }
}

static int formula_owner(const SynErr *e, int i)
{
    int k = i;
    while (k < e->nread && formula_part(&e->read[k]))
        k++;
    if (k == i || k >= e->nread)
        return -1;
    return e->read[k].token;
}

static bool in_rule(const SynErr *e, const char *rule)
{
    for (int i = 0; i < e->nread; i++)
        if (read_rule(e, i, rule))
            return true;
    return false;
}

/* A comparison in the formula just read: "0 < 人数 < 3". */
static bool comparison_just_read(const SynErr *e)
{
    for (int k = 0; k < e->nread && formula_part(&e->read[k]); k++)
        if (!e->read[k].rule && comparison(e->read[k].token))
            return true;
    return false;
}

static bool in_rule_or_token(const SynErr *e, int tok)
{
    for (int i = 0; i < e->nread; i++)
        if (read_is(e, i, tok))
            return true;
    return false;
}

/* "after …": what the writer has just written, when it says something. */
static const char *after_words(const SynErr *e)
{
    int i = 0;
    if (read_rule(e, 0, "attrs"))
        i = 1;              /* the attributes just read end a declaration */
    if (read_is(e, i, STRING) && read_rule(e, i + 1, "item_id"))
        return i ? "after the item's heading" : "after the item name";
    if (read_is(e, i, NUMBER) && read_is(e, i + 1, STRING) && read_rule(e, i + 2, "item_id"))
        return i ? "after the item's heading" : "after the item's points";
    if (read_rule(e, i, "item_id") && read_is(e, i + 1, ITEM))
        return "after the item number";
    if (read_is(e, i, STRING) && (read_is(e, i + 1, SECTION) || read_is(e, i + 1, PENALTY) ||
                                  read_is(e, i + 1, BONUS)))
        return "after the section name";
    if (i == 0 && read_is(e, 0, IDENT) && e->nread > 1 && lex_keyword_spelling(e->read[1].token) &&
        !expects(e, '+'))
        return gc_printf("after the name in '%s'", lex_keyword_spelling(e->read[1].token));
    if (i == 0 && read_is(e, 0, '=') && read_is(e, 1, IDENT) && e->nread > 2 &&
        lex_keyword_spelling(e->read[2].token))
        return gc_printf("after the '=' of '%s'", lex_keyword_spelling(e->read[2].token));
    if (i == 0 && read_is(e, 0, ':') && read_rule(e, 1, "name_list"))
        return "after the fact's name";
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
    if (before == OF)
        return "after the grade's heading";
    if (takes_formula(before))
        return gc_printf("after the formula of '%s'", lex_keyword_spelling(before));
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
    for (const char *c = word; *c; c++)
        if ((unsigned char)*c >= 0x80)
            goto chinese;       /* a keyword is ASCII: only a meaning can match */
    const char *s = diag_suggest(word, here, n);
    /* beyond the keywords that fit here, only where a keyword must stand:
    ** a short name elsewhere is close to many ('s' to 'is') */
    if (!s && keyword_place)
        s = diag_suggest(word, lex_keywords, (size_t)lex_nkeywords);
    if (s)
        return gc_printf("did you mean '%s'?", s);
chinese:
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

/* Text in quotes right after the token: `label "过程考核"` is an attribute
** with its text, not a keyword written as a name. */
static char next_char(const SynErr *e)
{
    const char *t = e->lex->file->text + e->end;
    while (*t == ' ' || *t == '\t')
        t++;
    return *t;
}

static bool text_follows(const SynErr *e)
{
    return next_char(e) == '"';
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

/* Keywords of attributes, which follow a whole declaration or clause: one
** at a line's start means what came before it was cut short. */
static bool attribute_word(int tok)
{
    switch (tok) {
    case CITE: case ASSUME: case STANDARD: case SOURCE: case LIMIT: case LABEL: case OPTIONAL:
    case EXCEPT: case KEY:
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

/* Where the code of the lines before the token ends (comments and blank
** lines skipped), or UINT32_MAX when nothing is written before it. */
static uint32_t previous_end(const SynErr *e)
{
    const char *t = e->lex->file->text;
    uint32_t i = e->start;
    while (i > 0 && t[i - 1] != '\n')
        i--;
    while (i > 0) {
        uint32_t eol = i - 1, bol = eol;
        while (bol > 0 && t[bol - 1] != '\n')
            bol--;
        uint32_t end = bol;
        bool quoted = false;
        for (uint32_t k = bol; k < eol; k++) {
            if (t[k] == '"' && (k == bol || t[k - 1] != '\\'))
                quoted = !quoted;
            else if (t[k] == '#' && !quoted)
                break;
            end = k + 1;
        }
        while (end > bol && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '\r'))
            end--;
        if (end > bol)
            return end;
        i = bol;
    }
    return UINT32_MAX;
}

/* Something is missing at the end of a line: the parser finds out only at
** the next line's first token, but the place to fix is where the line
** before it ends ("when 人数 > 0" without its '{'). */
static bool say_at_line_end(const SynErr *e, const char *hint, const char *what, const char *after)
{
    /* where a clause or declaration may start, the line before was whole:
    ** the token found is the mistake */
    bool item_place = expects(e, ITEM) && !(expects(e, NUMBER) && expects(e, IDENT));
    int f = e->found;
    if (comparison(f) || f == '+' || f == '*' || f == '/' || f == AND || f == OR || f == DOTDOT ||
        f == ',' || f == ':' || f == ')' || f == ']')
        return false;
    if (!what || e->found == YYEOF || !starts_line(e) || expects(e, DEDUCT) || expects(e, PARAM) ||
        item_place)
        return false;
    uint32_t end = previous_end(e);
    if (end == UINT32_MAX)
        return false;
    long line, col;
    diag_line_col(e->lex->file, e->start, &line, &col);
    Loc at = { e->lex->file, end, end };
    diag_at(DIAG_ERROR, at, hint, "expected %s%s%s, found %s on line %ld", what, after ? " " : "",
            after ? after : "", found_words(e), line);
    return true;
}

#define KEYWORD_AS_NAME "'%s' is a keyword of the rule language and cannot be a name: choose another name (names are usually Chinese, such as 得分)"

/* What the writer was at when the parser stopped. */
typedef struct Place {
    const char *after;      /* "after the item name", or NULL */
    const char *what;       /* what was expected, in words, or NULL */
    const char *kw;         /* the keyword found, or NULL */
    bool value;             /* a value may start here */
    bool clause;            /* a clause or a declaration may start here */
} Place;

/* "人　员": a full-width space inside a name, said at the space. */
static bool report_fullwidth_space(const SynErr *e)
{
    if (!fullwidth_space_before(e))
        return false;
    Loc at = { e->lex->file, e->start - 3, e->start };
    uint32_t from = e->start - 3;
    while (from > 0 && is_name_byte((unsigned char)e->lex->file->text[from - 1]))
        from--;
    diag_at(DIAG_ERROR, at, "a name has no spaces: delete it, or type an ordinary space if two words were meant",
            "a full-width space (U+3000) inside the name '%s'", source_text(e, from, e->end));
    return true;
}

/* Where a declaration names something: the fact's type missing, the next
** declaration come early, a keyword used as a name (`param score = 3`). */
static bool report_name_place(const SynErr *e, const Place *pl)
{
    const char *kw = pl->kw;
    bool next_declaration = kw && starts_declaration(e->found) && starts_line(e);
    if (read_is(e, 0, ':') && read_rule(e, 1, "name_list") && expects(e, ONE)) {
        say(e, next_declaration ? gc_printf("'%s' starts the next declaration: the fact's type is missing", kw)
                                : "e.g. fact 专窗人员数 : count",
            "a type (count, decimal, percent, bool, text or one of …)", pl->after);
        return true;
    }
    if (!kw || !expects(e, IDENT) || pl->value || pl->clause)
        return false;
    if (in_rule(e, "givens")) {
        say(e, "after 'given' write unit NAME, period NAME or facts { 名称: 值, … }: given unit 松湖镇",
            "a name", pl->after);
        return true;
    }
    /* a joining word where a name is due: the name was left out, unless
    ** the declaration goes on after it as after a name (`param from = 3`) */
    char next = next_char(e);
    bool as_name = next == '=' || next == ':' || next == ',';
    if (!as_name && (connective(e->found) || (attribute_word(e->found) && (starts_line(e) || text_follows(e))))) {
        int last = e->nread > 0 ? e->read[0].token : -1;
        say(e, last > 0 && lex_keyword_spelling(last)
                   ? gc_printf("the name after '%s' is missing", lex_keyword_spelling(last)) : NULL,
            "a name", pl->after);
        return true;
    }
    if (next_declaration) {
        say(e, gc_printf("'%s' starts the next declaration: is something missing before it?", kw),
            "a name", pl->after);
        return true;
    }
    Loc at = { e->lex->file, e->start, e->end };
    diag_at(DIAG_ERROR, at, gc_printf(KEYWORD_AS_NAME, kw), "expected a name%s%s, found the keyword '%s'",
            pl->after ? " " : "", pl->after ? pl->after : "", kw);
    return true;
}

/* A block left open (the next declaration, or the end, comes first), and
** the shape of an item or section head: number, name in quotes, points. */
static bool report_block_shape(const SynErr *e, const Place *pl)
{
    if (expects(e, '}') && starts_declaration(e->found) && e->lex->braces.n > 0) {
        Loc at = { e->lex->file, e->start, e->end };
        if (e->found == YYEOF)
            diag_at(DIAG_ERROR, at, brace_hint(e), "expected '}' before the end of the file");
        else
            diag_at(DIAG_ERROR, at, brace_hint(e), "expected '}' before the next '%s'", pl->kw);
        return true;
    }
    if (e->found == STRING && read_is(e, 0, ITEM)) {
        say(e, "an item starts with its number, then its name in quotes and its points: item 3 \"名称\" 5 { … }",
            "the item's number", pl->after);
        return true;
    }
    if (e->found == IDENT && read_rule(e, 0, "item_id") && expects(e, STRING)) {
        say(e, gc_printf("the item's name goes in quotes: item 1 \"%s\" 5 { … }", source_text(e, e->start, e->end)),
            "the item's name in quotes", pl->after);
        return true;
    }
    if (read_is(e, 0, STRING) && read_is(e, 1, SECTION) && expects(e, NUMBER)) {
        say(e, "a section reads: section \"一、专窗队伍建设\" 15 { … } (its name in quotes, its points)",
            "the section's points (a number)", pl->after);
        return true;
    }
    if (read_is(e, 0, IDENT) && read_is(e, 1, STRING) && read_rule(e, 2, "item_id") && expects(e, BY)) {
        /* `item 1 "x" 分 {`: the name was taken for `points by …`; the
        ** mistake is the name, where the points go */
        const char *t = e->lex->file->text;
        uint32_t end = e->start, start;
        while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == '\t')) end--;
        for (start = end; start > 0 && t[start - 1] != ' ' && t[start - 1] != '\t' && t[start - 1] != '"';) start--;
        Loc at = { e->lex->file, start, end };
        diag_at(DIAG_ERROR, at, "an item reads: item 1 \"名称\" 5 { … } (its number, its name in quotes, its points)",
                "expected a number of points after the item name, found '%s'", source_text(e, start, end));
        return true;
    }
    if (read_is(e, 0, STRING) && read_rule(e, 1, "item_id") && expects(e, NUMBER)) {
        say(e, "an item reads: item 1 \"名称\" 5 { … } (its number, its name in quotes, its points)",
            "a number of points", pl->after);
        return true;
    }
    return false;
}

/* A name where a clause or declaration starts: a misspelt or Chinese
** keyword (`zreo if`, `零分 unless`). */
static bool report_keyword_place(const SynErr *e, const Place *pl, const char **hint)
{
    if (e->found != IDENT || *hint)
        return false;
    bool keyword_place = pl->clause && (starts_line(e) || !expects(e, '+'));
    *hint = keyword_hint(e, keyword_place);
    if (!keyword_place)
        return false;
    bool clause = expects(e, DEDUCT);
    if (!*hint)
        *hint = clause ? "a clause starts with an English keyword: zero, deduct, add, score, scale, let or when"
                       : "a declaration starts with an English keyword: param, fact, section, item, result, grade, …";
    say(e, *hint, clause ? "a clause (zero, deduct, add, score, scale, let or when)"
                         : "a declaration (param, fact, section, result, …)", NULL);
    return true;
}

/* Hints read off the characters around the token: a number glued to a
** name, a name starting with a digit, '.5', '14,800'. */
static const char *number_hint(const SynErr *e, const Place *pl)
{
    const char *t = e->lex->file->text;
    bool digit_before = e->start > 0 && t[e->start - 1] >= '0' && t[e->start - 1] <= '9';
    bool digit_after = t[e->end] >= '0' && t[e->end] <= '9';
    if (e->found == IDENT && digit_before)
        return "a number takes no unit and no letters after it (5, not 5分); put a space or an operator between a number and a name";
    if (e->found == NUMBER && expects(e, IDENT) && !pl->value && is_name_byte((unsigned char)t[e->end]))
        return "a name cannot start with a digit: write the digits after it (评价数1月), or use a fact vector (fact 评价数[1..12] …)";
    if (e->found == '.' && digit_after)
        return "write a 0 before the point: 0.5";
    if (e->found == ',' && digit_before && digit_after)
        return "write numbers without a thousands separator: 14800";
    return NULL;
}

/* A keyword where a value is due: read as a name (`score total`), or the
** value left out (`score deduct 1`). */
static const char *keyword_value_hint(const SynErr *e, const Place *pl)
{
    if (!pl->kw || !pl->value)
        return NULL;
    int f = e->found;
    if (f == DEDUCT || f == ADD || f == SCORE || f == ZERO || f == SCALE || f == WHEN ||
        starts_declaration(f) || connective(f) || attribute_word(f))
        return e->nread > 0 && lex_keyword_spelling(e->read[0].token)
             ? gc_printf("the value after '%s' is missing", lex_keyword_spelling(e->read[0].token))
             : "a value is missing here";
    return gc_printf(KEYWORD_AS_NAME, pl->kw);
}

/* The hint for the common case, from what was found and what could come. */
static const char *general_hint(const SynErr *e, const Place *pl)
{
    int f = e->found, last = e->nread > 0 ? e->read[0].token : -1;
    if (pl->value && f != IDENT && f != NUMBER && last > 0 && lex_keyword_spelling(last))
        return gc_printf("the %s after '%s' is missing",
                         last == WHEN || last == IF || last == UNLESS ? "condition" : "value",
                         lex_keyword_spelling(last));
    if (f == IDENT && expects(e, '+') && expects(e, STRING))
        return "clause text goes in quotes (\"…\"); between two values write an operator (+ - * /)";
    if (f == '}' && expects(e, ')'))
        return "a '(' is still open: close it with ')' first";
    if (in_rule(e, "bands"))
        return "a grade's bands read: 优秀 >= 90  良好 80..89  不合格 otherwise";
    bool in_test = in_rule_or_token(e, EXPECT);
    if (f == '=' && last == '=')
        return in_test ? "one '=' is enough: expect item 1 = 4" : "one '=' compares: write 人数 = 3";
    if (in_test && last == '=')
        return "write the value the test expects after '=': expect item 1 = 4";
    if (comparison(f) && !expects(e, f) && comparison_just_read(e))
        return "compare one pair at a time and join them with 'and': 0 < 人数 and 人数 < 3";
    if (f == ';' && !expects(e, ';'))
        return "a clause needs no ';' at its end: delete it";
    if (f == STRING && pl->clause && starts_line(e))
        return expects(e, DEDUCT) ? "clause text goes after the rule it explains: deduct 1 if 条件 \"…\""
                                  : "a declaration starts with its keyword: section \"…\" 15 { … }, item 1 \"…\" 5 { … }";
    if ((f == OTHERWISE || f == ELSE) && pl->clause)
        return "'otherwise' and 'else when' follow the '}' of a when block: when 条件 { … } otherwise { … }";
    if ((expects(e, THEN) || expects(e, ELSE)) && !expects(e, '}'))
        return "an 'if' in a formula reads: if 条件 then 值 else 值";
    if (expects(e, ',') && expects(e, ')') && (f == IDENT || f == NUMBER))
        return "separate the arguments with ','";
    if (f == IDENT && expects(e, STRING) && !pl->value && !expects(e, '{') && !expects(e, '+'))
        return gc_printf("write it in quotes: \"%s\"", source_text(e, e->start, e->end));
    if (expects(e, '{') && in_rule_or_token(e, TEST))
        return "a test's body goes in braces: test \"名称\" { given … expect … }";
    if (pl->clause && expects(e, DEDUCT) && starts_line(e) && (f == NUMBER || f == '-'))
        return "a clause starts with its keyword: deduct 1 …, add 1 …, score 5 …";
    if (expects(e, ITEM) && !pl->value && (f == NUMBER || f == STRING))
        return "an item starts with the word 'item': item 1 \"名称\" 5 { … }";
    if (f == DOTDOT)
        return "'..' writes a range: in a fact vector ([1..12]), a grade band (良好 80..89) or a 'for' (for i in 1..12)";
    if (f == STRING && pl->value)
        return "clause text goes after the rule it explains, not inside a formula";
    if (expects(e, '{') && formula_owner(e, 0) == WHEN)
        return "the clauses under a 'when' go in braces: when 条件 { score 5 }";
    if (expects(e, '{') && in_rule(e, "item_id") && !pl->value)
        return "an item's clauses go in braces: item 1 \"名称\" 5 { zero unless … }";
    return NULL;
}

void synerr_report(const SynErr *e)
{
    Place pl = { after_words(e), expected_words(e), keyword_of(e),
                 expects(e, NUMBER) && expects(e, IDENT), expects(e, DEDUCT) || expects(e, PARAM) };
    if (report_fullwidth_space(e) || report_name_place(e, &pl) || report_block_shape(e, &pl))
        return;
    const char *hint = keyword_value_hint(e, &pl);
    if (!hint)
        hint = number_hint(e, &pl);
    if (report_keyword_place(e, &pl, &hint))
        return;
    /* a ')' or ']' that closes nothing, a '}' with no '{' open */
    if (((e->found == ')' || e->found == ']') && !expects(e, e->found) && !hint) ||
        (e->found == '}' && e->lex->stray_brace)) {
        const char *opener = e->found == ')' ? "(" : e->found == ']' ? "[" : "{";
        say(e, gc_printf("no '%s' is open here: is this '%c' one too many?", opener, e->found), NULL, pl.after);
        return;
    }
    if (!hint)
        hint = general_hint(e, &pl);
    if (!say_at_line_end(e, hint, pl.what, pl.after))
        say(e, hint, pl.what, pl.after);
}
