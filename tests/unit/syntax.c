/*
** syntax.c — Check tests of how syntax errors read (lang/synerr.c): every
** way of breaking a shipped rubric file by one token (cut short
** before it, or the token left out) gives an error whose message is valid
** UTF-8, names no parser token (no "IDENT", "$end", "\"'deduct'\""), and
** says what was expected in a line a person reads; every keyword used as a
** name is called a keyword.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "capture.h"
#include "ast.h"
#include "lexstate.h"

/* What a message must never show: bison's own names for tokens. */
static const char *const raw_names[] = {
    "$end", "$undefined", "YY", "IDENT", "NUMBER", "STRING", "DOTDOT",
    "invalid token", "syntax error", "end of file\"",
};

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || (n == 2 && *p < 0xC2)) return false;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80) return false;
        p += n;
    }
    return true;
}

/* Parses text as a rule file and returns what was printed. */
static char *parse_text(const char *text, size_t len)
{
    char *copy = GC_MALLOC_ATOMIC(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    SrcFile *f = src_from_string("items.kh", copy);
    Ast ast = { 0 };
    capture();
    bool ok = parse_file(&ast, f);
    char *out = captured();
    if (ok) { free(out); return NULL; }
    return out;
}

/* The first line of a message, checked: an error, no raw token name, not a
** list of tokens longer than a line. */
static void check_message(const char *out, const char *variant, int at)
{
    ck_assert_msg(valid_utf8(out), "%s at token %d: message is not UTF-8:\n%s", variant, at, out);
    ck_assert_msg(strstr(out, ": error: ") != NULL, "%s at token %d: no error:\n%s", variant, at, out);
    const char *eol = strchr(out, '\n');
    size_t head = eol ? (size_t)(eol - out) : strlen(out);
    for (size_t i = 0; i < sizeof raw_names / sizeof raw_names[0]; i++) {
        const char *hit = strstr(out, raw_names[i]);
        ck_assert_msg(!hit || (size_t)(hit - out) > head, "%s at token %d: raw name %s:\n%s", variant, at,
                      raw_names[i], out);
    }
    for (int k = 0; k < lex_nkeywords; k++) {     /* bison's alias of a keyword: "'deduct'" */
        char alias[32];
        snprintf(alias, sizeof alias, "\"'%s'\"", lex_keywords[k]);
        const char *hit = strstr(out, alias);
        ck_assert_msg(!hit || (size_t)(hit - out) > head, "%s at token %d: raw name %s:\n%s", variant, at,
                      alias, out);
    }
    /* file:line:col: error: expected …, found '…' (quoted text shortened to 40) */
    ck_assert_msg(head < 260, "%s at token %d: a message line of %zu bytes:\n%s", variant, at, head, out);
}

/* Breaks one shipped rule file at every token; returns how many of the
** broken texts failed to parse (each checked). */
static int break_every_token(const char *path)
{
    SrcFile *f = src_load(path);
    ck_assert_msg(f != NULL, "%s: run from the repository root", path);
    enum { MAX = 20000 };
    LexToken *toks = GC_MALLOC(sizeof(LexToken) * MAX);
    int n = lex_tokenize(f, toks, MAX);
    char *buf = GC_MALLOC_ATOMIC(f->len + 1);
    int failures = 0;
    for (int i = 0; i < n && toks[i].kind != 0; i++) {
        char *out = parse_text(f->text, toks[i].start);          /* cut before token i */
        if (out) { check_message(out, path, i); free(out); failures++; }
        size_t a = toks[i].start, b = toks[i].end;                /* token i left out */
        memcpy(buf, f->text, a);
        memcpy(buf + a, f->text + b, f->len - b);
        out = parse_text(buf, f->len - (b - a));
        if (out) { check_message(out, path, i); free(out); failures++; }
    }
    return failures;
}

START_TEST(every_token_cut_or_dropped)
{
    static const char *const files[] = {
        "rules/xinjian-2021/rubric.kh", "rules/xinjian-2021/facts.kh",
        "rules/xinjian-2021/items.kh", "rules/xinjian-2021/results.kh",
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        failures += break_every_token(files[i]);
    ck_assert_int_gt(failures, 1000);
}
END_TEST

START_TEST(every_keyword_as_a_name)
{
    for (int k = 0; k < lex_nkeywords; k++) {
        char text[128];
        snprintf(text, sizeof text, "param %s = 3\n", lex_keywords[k]);
        char *out = parse_text(text, strlen(text));
        ck_assert_msg(out != NULL, "param %s parsed", lex_keywords[k]);
        char want[96];
        snprintf(want, sizeof want, "found the keyword '%s'", lex_keywords[k]);
        ck_assert_msg(strstr(out, want) != NULL, "param %s:\n%s", lex_keywords[k], out);
        check_message(out, "keyword", k);
        free(out);
    }
}
END_TEST

Suite *syntax_suite(void)
{
    Suite *s = suite_create("syntax");
    TCase *tc = tcase_create("messages");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_token_cut_or_dropped);
    tcase_add_test(tc, every_keyword_as_a_name);
    suite_add_tcase(s, tc);
    return s;
}
