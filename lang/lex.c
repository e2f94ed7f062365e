/*
** lex.c — the lexer's helpers: numbers, strings, keywords, and the errors
** for bytes that are not part of the language. Kept out of lexer.l so they
** compile under the project's full warning set.
*/
#include <errno.h>
#include <gc.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexfn.h"
#include "utf8.h"

typedef struct Keyword { const char *word; int token; } Keyword;

static const Keyword keywords[] = {
    {"rubric", RUBRIC}, {"source", SOURCE}, {"total", TOTAL}, {"units", UNITS},
    {"from", FROM}, {"period", PERIOD}, {"label", LABEL}, {"round", ROUND},
    {"items", ITEMS}, {"to", TO}, {"param", PARAM}, {"by", BY}, {"table", TABLE},
    {"key", KEY}, {"optional", OPTIONAL}, {"except", EXCEPT}, {"fact", FACT},
    {"one", ONE}, {"of", OF}, {"column", COLUMN}, {"let", LET}, {"def", DEF},
    {"section", SECTION}, {"penalty", PENALTY}, {"bonus", BONUS}, {"item", ITEM},
    {"cite", CITE}, {"assume", ASSUME}, {"standard", STANDARD}, {"zero", ZERO},
    {"if", IF}, {"unless", UNLESS}, {"deduct", DEDUCT}, {"add", ADD}, {"per", PER},
    {"score", SCORE}, {"scale", SCALE}, {"when", WHEN}, {"else", ELSE},
    {"otherwise", OTHERWISE}, {"then", THEN}, {"result", RESULT}, {"grade", GRADE},
    {"outcome", OUTCOME}, {"and", AND}, {"or", OR}, {"not", NOT}, {"is", IS},
    {"where", WHERE}, {"for", FOR}, {"in", IN}, {"true", TRUE}, {"false", FALSE},
    {"test", TEST}, {"given", GIVEN}, {"expect", EXPECT}, {"limit", LIMIT},
    {"scenario", SCENARIO}, {"set", SET}, {"row", ROW}, {"tiers", TIERS},
    {"veto", VETO}, {"at", AT},
};
#define NKEYWORDS ((int)(sizeof keywords / sizeof keywords[0]))

const char *const lex_keywords[] = {
    "rubric", "source", "total", "units", "from", "period", "label", "round",
    "items", "to", "param", "by", "table", "key", "optional", "except", "fact",
    "one", "of", "column", "let", "def", "section", "penalty", "bonus", "item",
    "cite", "assume", "standard", "zero", "if", "unless", "deduct", "add", "per",
    "score", "scale", "when", "else", "otherwise", "then", "result", "grade",
    "outcome", "and", "or", "not", "is", "where", "for", "in", "true", "false",
    "test", "given", "expect", "limit",
    "scenario", "set", "row", "tiers", "veto", "at",
};
const int lex_nkeywords = NKEYWORDS;

const char *lex_keyword_spelling(int token)
{
    for (int i = 0; i < NKEYWORDS; i++)
        if (keywords[i].token == token)
            return keywords[i].word;
    return NULL;
}

void lex_fatal(const char *msg)
{
    diag_plain(DIAG_ERROR, NULL, "the rule reader failed: %s", msg);
    exit(3);
}

void lex_error_at(LexState *ls, uint32_t start, uint32_t end, const char *hint,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Loc l = { ls->file, start, end };
    diag_vat(DIAG_ERROR, l, hint, fmt, ap);
    va_end(ap);
}

/* Whether the whole text reads as GB18030 (what WPS and Notepad save as
** "ANSI" on Chinese Windows). Rule files are bounded (ast.c), so one pass
** through a small buffer is cheap, and it runs only for a bad file. */
static bool reads_as_gb18030(const char *text, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    char *in = (char *)text;
    size_t left = len;
    bool ok = true;
    while (left > 0 && ok) {
        char buf[4096], *o = buf;
        size_t room = sizeof buf;
        if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 && errno != E2BIG)
            ok = false;
    }
    iconv_close(cd);
    return ok;
}

/* More bytes that are not UTF-8 than characters beyond ASCII that are: a
** file saved in another encoding, not a UTF-8 file with one stray byte
** (GB18030 accepts almost any pair of high bytes, so it cannot tell). */
static bool mostly_not_utf8(const unsigned char *t, size_t n)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(t + i, n - i, &cp);
        if (k == 0) { bad++; i++; }
        else { good += k > 1; i += k; }
    }
    return bad > good;
}

/* The hint for a byte that is not UTF-8: the encoding the file seems to
** be saved in, and how to save it as UTF-8. */
static const char *encoding_hint(const LexState *ls)
{
    const unsigned char *t = (const unsigned char *)ls->file->text;
    size_t n = ls->file->len;
    if (n >= 2 && ((t[0] == 0xFF && t[1] == 0xFE) || (t[0] == 0xFE && t[1] == 0xFF)))
        return "the file is saved as UTF-16 (\"Unicode\" in Notepad): save it as UTF-8 (另存为 → 编码 UTF-8)";
    if (mostly_not_utf8(t, n) && reads_as_gb18030(ls->file->text, n))
        return "the file seems saved as GB18030/GBK (\"ANSI\" on Chinese Windows): save it as UTF-8 (in WPS/Notepad: 另存为 → 编码 UTF-8)";
    return "save the rule file as UTF-8 (in WPS/Notepad: 另存为 → 编码 UTF-8)";
}

size_t lex_char_len(const char *text, size_t len)
{
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)text, len, &cp);
    return n ? n : 1;
}

int lex_check_utf8(LexState *ls, const char *text, size_t len, uint32_t start)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 1;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0 || cp == 0) {
            const char *what = cp == 0 && n == 1 ? "a NUL byte" : "a byte that is not UTF-8";
            char msg[64];
            snprintf(msg, sizeof msg, "%s (0x%02X)", what, s[i]);
            lex_error_at(ls, start + (uint32_t)i, start + (uint32_t)i + 1,
                         cp == 0 && n == 1 ? "save the rule file as UTF-8 (in WPS/Notepad: 另存为 → 编码 UTF-8)"
                                           : encoding_hint(ls),
                         "%s", msg);
            return 0;
        }
        i += n;
    }
    return 1;
}

/* Code points that end a name: punctuation, symbols and operators, ASCII
** or full-width. Letters of any script, and digits after the first
** character, make up names. */
static bool ends_name(uint32_t cp)
{
    if (cp < 0x80) return false;                  /* ASCII was split by flex */
    if (cp >= 0x00A0 && cp <= 0x00BF) return true;
    if (cp == 0x00D7 || cp == 0x00F7) return true; /* × ÷ */
    if (cp >= 0x2000 && cp <= 0x2BFF) return true; /* punctuation, arrows, ≥ ≤ ≠ */
    if (cp >= 0x3000 && cp <= 0x303F) return true; /* 、 。 「 」 … */
    if (cp >= 0xFE30 && cp <= 0xFE4F) return true;
    if (cp >= 0xFF00 && cp <= 0xFF20) return true; /* ！ ， （ ） ： … full-width digits */
    if (cp >= 0xFF3B && cp <= 0xFF40) return true;
    if (cp >= 0xFF5B && cp <= 0xFF65) return true;
    if (cp == 0xFEFF) return true;
    return false;
}

size_t lex_name_prefix(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0 || ends_name(cp)) break;
        i += n;
    }
    return i;
}

int lex_number(LexState *ls, const char *text, size_t len, bool percent, YYSTYPE *val,
               YYLTYPE *loc)
{
    size_t digits = 0;
    for (size_t i = 0; i < len; i++) digits += text[i] >= '0' && text[i] <= '9';
    if (digits > MAX_NUMBER_DIGITS) {
        lex_error_at(ls, loc->start, loc->end, "a number in a rule is a score, a rate or an amount; is part of it pasted twice?",
                     "a number with more than %d digits", MAX_NUMBER_DIGITS);
        return YYerror;
    }
    Num n;
    if (!num_parse(text, len, &n)) n = num_int(0);   /* the pattern admits only valid literals */
    if (percent) {
        Num hundred = num_int(100), q;
        num_div(n, hundred, &q);
        n = q;
    }
    val->num = n;
    return NUMBER;
}

/* A number in a form kaohe does not write: "2." (a point with no digit
** after it) or "1e999" (an exponent). Said here, at the number, with the
** way to write it. */
int lex_number_form(LexState *ls, const char *text, size_t len, YYLTYPE *loc)
{
    if (text[len - 1] == '.') {
        lex_error_at(ls, loc->start, loc->end,
                     "write a digit after the point (2.5), or leave the point out (2)",
                     "a number cannot end with a point: '%.*s'", (int)len, text);
    } else {
        lex_error_at(ls, loc->start, loc->end,
                     "write the number out in digits: 1e3 is 1000, 2.5e-2 is 0.025",
                     "a number cannot have an exponent: '%.*s'", (int)len, text);
    }
    return YYerror;
}

int lex_string(LexState *ls, const char *text, size_t len, YYSTYPE *val, YYLTYPE *loc)
{
    if (!lex_check_utf8(ls, text, len, loc->start))
        return YYerror;
    char *out = GC_MALLOC_ATOMIC(len);
    size_t o = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        char c = text[i];
        if (c == '\\') {
            char e = text[++i];
            switch (e) {
            case 'n': out[o++] = '\n'; break;
            case 't': out[o++] = '\t'; break;
            case '"': out[o++] = '"'; break;
            case '\\': out[o++] = '\\'; break;
            default: {
                /* the whole character after the backslash, not its first byte:
                ** \÷ printed half of ÷, and the message was not UTF-8 */
                int n = (int)lex_char_len(text + i, len - i - 1);
                lex_error_at(ls, loc->start + (uint32_t)i - 1, loc->start + (uint32_t)(i + (size_t)n),
                             "inside quotes, write \\\" for a quote and \\\\ for a backslash",
                             "unknown escape '\\%.*s'", n, text + i);
                return YYerror;
            }
            }
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    val->str = out;
    return STRING;
}

int lex_word(LexState *ls, const char *text, size_t len, YYSTYPE *val)
{
    (void)ls;
    if ((unsigned char)text[0] < 0x80) {
        for (int i = 0; i < NKEYWORDS; i++)
            if (strlen(keywords[i].word) == len && memcmp(keywords[i].word, text, len) == 0)
                return keywords[i].token;
    }
    char *s = GC_MALLOC_ATOMIC(len + 1);
    memcpy(s, text, len);
    s[len] = '\0';
    val->str = s;
    return IDENT;
}

/* Full-width signs an input method types in place of ASCII ones. */
static const struct { uint32_t cp; const char *ascii; } fullwidth[] = {
    {0xFF0C, ","}, {0x3001, ","}, {0xFF1B, ";"}, {0xFF1A, ":"}, {0xFF08, "("},
    {0xFF09, ")"}, {0xFF1D, "="}, {0xFF1E, ">"}, {0xFF1C, "<"}, {0xFF0B, "+"},
    {0xFF0D, "-"}, {0xFF0A, "*"}, {0xFF0F, "/"}, {0x3002, "."}, {0xFF0E, "."},
    {0x201C, "\""}, {0x201D, "\""}, {0xFF02, "\""}, {0xFF5B, "{"}, {0xFF5D, "}"},
    {0x3010, "["}, {0x3011, "]"}, {0xFF3B, "["}, {0xFF3D, "]"}, {0xFF05, "%"},
};

int lex_symbol(LexState *ls, const char *text, size_t len, YYLTYPE *loc)
{
    uint32_t cp = 0;
    size_t n = utf8_decode((const unsigned char *)text, len, &cp);
    switch (cp) {
    case 0x2265: return GE;     /* ≥ */
    case 0x2264: return LE;     /* ≤ */
    case 0x2260: return NE;     /* ≠ */
    case 0x00D7: return '*';    /* × */
    case 0x00F7: return '/';    /* ÷ */
    case 0x2212: return '-';    /* − (the minus sign of typeset formulas) */
    case 0xFEFF:                /* invisible: say what it is, not the character */
        lex_error_at(ls, loc->start, loc->end,
                     "it is invisible in most editors; it comes from pasting one file into another: delete it (or retype this word)",
                     "a byte-order mark (U+FEFF) in the middle of the file");
        return YYerror;
    default: break;
    }
    char shown[8];
    memcpy(shown, text, n);
    shown[n] = '\0';
    for (size_t i = 0; i < sizeof fullwidth / sizeof fullwidth[0]; i++) {
        if (fullwidth[i].cp == cp) {
            char hint[96];
            snprintf(hint, sizeof hint, "use the ASCII '%s' (switch the input method to half-width)",
                     fullwidth[i].ascii);
            lex_error_at(ls, loc->start, loc->end, hint, "full-width '%s' is not allowed here", shown);
            return YYerror;
        }
    }
    if (cp >= 0xFF10 && cp <= 0xFF19) {
        lex_error_at(ls, loc->start, loc->end, "type digits half-width (switch the input method to half-width)",
                     "full-width digit '%s'", shown);
        return YYerror;
    }
    lex_error_at(ls, loc->start, loc->end, "text that is not a name belongs in quotes",
                 "unexpected character '%s'", shown);
    return YYerror;
}

int lex_bad_byte(LexState *ls, const char *text, YYLTYPE *loc)
{
    unsigned char c = (unsigned char)text[0];
    if (c == 0) {
        lex_error_at(ls, loc->start, loc->end, "the file contains a NUL byte; is it really a text file?",
                     "unexpected NUL byte");
    } else if (c >= 0x80) {
        lex_error_at(ls, loc->start, loc->end, encoding_hint(ls),
                     "a byte that is not UTF-8 (0x%02X)", c);
    } else if (c < 0x20 || c == 0x7F) {
        lex_error_at(ls, loc->start, loc->end, "delete it: most editors do not show it", "unexpected control character 0x%02X", c);
    } else {
        const char *hint = NULL;
        if (c == '%') {
            /* '%' belongs to the number before it, with no space between */
            uint32_t b = loc->start;
            while (b > 0 && (ls->file->text[b - 1] == ' ' || ls->file->text[b - 1] == '\t')) b--;
            bool after_number = b < loc->start && b > 0 && ls->file->text[b - 1] >= '0' && ls->file->text[b - 1] <= '9';
            lex_error_at(ls, loc->start, loc->end,
                         after_number ? "write the '%' right after its number, with no space: 70%"
                                      : "'%' marks a percentage right after a number (70% is 0.7); kaohe has no remainder operator",
                         "a '%%' that follows no number");
            return YYerror;
        }
        if (c == '\'') hint = "text goes in quotes: \"...\"";
        else if (c == '&' || c == '|' || c == '!') hint = "write 'and', 'or', 'not'";
        lex_error_at(ls, loc->start, loc->end, hint, "unexpected character '%c'", c);
    }
    return YYerror;
}

int lex_open_brace(LexState *ls, const YYLTYPE *loc)
{
    Loc l = { ls->file, loc->start, loc->end };
    if (ls->braces.n == MAX_BLOCK_DEPTH) {
        lex_error_at(ls, loc->start, loc->end, "move the inner part into its own item, or into a let",
                     "blocks nested more than %d deep", MAX_BLOCK_DEPTH);
        return YYerror;
    }
    vec_push(&ls->braces, loc_box(l));
    return '{';
}

void lex_close_brace(LexState *ls)
{
    ls->stray_brace = ls->braces.n == 0;
    if (ls->braces.n > 0) ls->braces.n--;
}
