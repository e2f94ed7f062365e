/*
** lexer.c — Check tests of the lexer: token kinds, byte spans, UTF-8 names,
** numbers and percents, strings and escapes, operators written as ≥ × ÷ −,
** and errors for bytes that are not part of the language.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "capture.h"
#include "ast.h"
#include "lexstate.h"
#include "parser.h"

static LexToken toks[64];
static const char *errbuf;    /* what the last lex() printed */

static int tokenize(const SrcFile *f)
{
    capture();
    int n = lex_tokenize(f, toks, 64);
    char *s = captured();
    errbuf = GC_STRDUP(s);
    free(s);
    return n;
}

/* Lexes text, keeping its diagnostics in errbuf; returns the token count. */
static int lex(const char *text)
{
    return tokenize(src_from_string("t.kh", GC_STRDUP(text)));
}

START_TEST(test_keywords_and_names)
{
    int n = lex("deduct 1 unless 服务环境良好 items 退捕渔民1131落实人数 _x");
    ck_assert_int_eq(n, 8);
    ck_assert_int_eq(toks[0].kind, DEDUCT);
    ck_assert_int_eq(toks[1].kind, NUMBER);
    ck_assert_int_eq(toks[2].kind, UNLESS);
    ck_assert_int_eq(toks[3].kind, IDENT);
    ck_assert_str_eq(toks[3].text, "服务环境良好");
    ck_assert_uint_eq(toks[3].start, 16);
    ck_assert_uint_eq(toks[3].end, 16 + 18);       /* six 3-byte characters */
    ck_assert_int_eq(toks[4].kind, ITEMS);
    ck_assert_str_eq(toks[5].text, "退捕渔民1131落实人数");
    ck_assert_str_eq(toks[6].text, "_x");
    ck_assert_int_eq(toks[7].kind, YYEOF);
}
END_TEST

START_TEST(test_numbers)
{
    int n = lex("3 0.5 70% 12.25% 007");
    ck_assert_int_eq(n, 6);
    ck_assert(num_eq(toks[0].num, num_int(3)));
    ck_assert(num_eq(toks[1].num, num_frac(1, 2)));
    ck_assert(num_eq(toks[2].num, num_frac(7, 10)));
    ck_assert(num_eq(toks[3].num, num_frac(1225, 10000)));
    ck_assert(num_eq(toks[4].num, num_int(7)));
    /* a range is a number, '..', a number: not "2." then ".6" */
    n = lex("1..12");
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(toks[0].kind, NUMBER);
    ck_assert_int_eq(toks[1].kind, DOTDOT);
    ck_assert_int_eq(toks[2].kind, NUMBER);
    /* a name may not start with a digit: 1月 is a number then a name */
    n = lex("1月");
    ck_assert_int_eq(toks[0].kind, NUMBER);
    ck_assert_int_eq(toks[1].kind, IDENT);
}
END_TEST

START_TEST(test_operators)
{
    int n = lex("a>=1 b≥2 c≤3 d≠4 e×f÷g−h <> != <= = < > .");
    const int want[] = { IDENT, GE, NUMBER, IDENT, GE, NUMBER, IDENT, LE, NUMBER,
                         IDENT, NE, NUMBER, IDENT, '*', IDENT, '/', IDENT, '-', IDENT,
                         NE, NE, LE, '=', '<', '>', '.', YYEOF };
    ck_assert_int_eq(n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n; i++)
        ck_assert_msg(toks[i].kind == want[i], "token %d: %d, want %d", i, toks[i].kind, want[i]);
    /* 优秀≥90: the name stops at the sign */
    n = lex("优秀≥90");
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(toks[0].text, "优秀");
    ck_assert_uint_eq(toks[1].start, 6);
    ck_assert_uint_eq(toks[1].end, 9);
}
END_TEST

START_TEST(test_strings_and_comments)
{
    int n = lex("# 注释 comment\n\"扣1分\" \"a\\\"b\\\\c\\n\"  # tail");
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(toks[0].kind, STRING);
    ck_assert_str_eq(toks[0].text, "扣1分");
    ck_assert_str_eq(toks[1].text, "a\"b\\c\n");
    ck_assert_int_eq(toks[2].kind, YYEOF);
    /* the ideographic space an input method types is whitespace */
    n = lex("a\xE3\x80\x80" "b");
    ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(test_errors)
{
    int n = lex("param a = 1，2");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "t.kh:1:12: error: full-width '，' is not allowed here"));
    ck_assert_ptr_nonnull(strstr(errbuf, "use the ASCII ','"));

    n = lex("a \xFF b");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "t.kh:1:3: error: a byte that is not UTF-8 (0xFF)"));

    n = lex("x \"open");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "t.kh:1:3: error: unclosed string"));

    n = lex("\"bad \\q escape\"");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "unknown escape '\\q'"));

    n = lex("# comment \xC3\x28 bad\n");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "t.kh:1:11: error: a byte that is not UTF-8 (0xC3)"));

    n = lex("a & b");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "write 'and', 'or', 'not'"));

    n = lex("x = ３");
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "full-width digit"));
}
END_TEST

START_TEST(test_nul_byte)
{
    static const char text[] = "a\0b";
    SrcFile *f = GC_NEW(SrcFile);
    f->path = "t.kh";
    f->text = text;
    f->len = 3;
    int n = tokenize(f);
    ck_assert_int_eq(toks[n - 1].kind, YYerror);
    ck_assert_ptr_nonnull(strstr(errbuf, "t.kh:1:2: error: unexpected NUL byte"));
}
END_TEST

Suite *lexer_suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, test_keywords_and_names);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_operators);
    tcase_add_test(tc, test_strings_and_comments);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_nul_byte);
    suite_add_tcase(s, tc);
    return s;
}
