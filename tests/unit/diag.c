/*
** tests/unit/diag.c — golden tests of the exact text diag prints: a CJK rule
** line with its underline, data cells, file positions, hints, counters, and
** the did-you-mean rule.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "diag.h"


static const char rule_text[] =
    "item 1 \"服务场所\" 5 {\n"
    "  deduct 1 unless 服务环境良好\n"
    "}\n";

START_TEST(at_cjk_underline)
{
    SrcFile f = {"rules/a.kh", rule_text, sizeof rule_text - 1};
    const char *at = strstr(rule_text, "服务环境良好");
    uint32_t start = (uint32_t)(at - rule_text);
    Loc loc = {&f, start, start + (uint32_t)strlen("服务环境良好")};
    capture();
    diag_at(DIAG_ERROR, loc, "declare it with `fact 服务环境良好 : bool`",
            "unknown fact `%s`", "服务环境良好");
    char *s = captured();
    ck_assert_str_eq(s,
        "rules/a.kh:2:19: error: unknown fact `服务环境良好`\n"
        " 2 |   deduct 1 unless 服务环境良好\n"
        "   |                   ^~~~~~~~~~~~\n"
        "  hint: declare it with `fact 服务环境良好 : bool`\n");
    ck_assert_int_eq(diag_errors(), 1);
    free(s);
}
END_TEST

/* A span after wide characters: the padding is two columns per character. */
START_TEST(at_after_wide_chars)
{
    static const char text[] = "x\n\n\n\n\n\n\n\n\nfact 专窗人数 : cont\n";
    SrcFile f = {"b.kh", text, sizeof text - 1};
    const char *at = strstr(text, "cont");
    uint32_t start = (uint32_t)(at - text);
    capture();
    diag_at(DIAG_WARNING, (Loc){&f, start, start + 4}, NULL, "unknown type");
    char *s = captured();
    ck_assert_str_eq(s,
        "b.kh:10:13: warning: unknown type\n"
        " 10 | fact 专窗人数 : cont\n"
        "    |                 ^~~~\n");
    ck_assert_int_eq(diag_warnings(), 1);
    ck_assert_int_eq(diag_errors(), 0);
    free(s);
}
END_TEST

/* An empty span at the end of a CRLF line: one caret just past the text, and
** the \r is not printed. A tab in the prefix is copied into the padding. */
START_TEST(at_empty_span_crlf_tab)
{
    static const char text[] = "\tscore 1 +\r\nnext";
    SrcFile f = {"c.kh", text, sizeof text - 1};
    uint32_t start = (uint32_t)(strchr(text, '\r') - text);
    capture();
    diag_at(DIAG_ERROR, (Loc){&f, start, start}, NULL, "expected a value");
    char *s = captured();
    ck_assert_str_eq(s,
        "c.kh:1:11: error: expected a value\n"
        " 1 | \tscore 1 +\n"
        "   | \t         ^\n");
    free(s);
}
END_TEST

START_TEST(at_no_file)
{
    capture();
    diag_at(DIAG_NOTE, (Loc){NULL, 0, 0}, NULL, "built-in %d", 7);
    char *s = captured();
    ck_assert_str_eq(s, "kaohe: note: built-in 7\n");
    free(s);
}
END_TEST

START_TEST(cell_golden)
{
    capture();
    diag_cell(DIAG_ERROR, "facts.csv", 5, "专窗人员数", "三", "write a whole number such as 3",
              "not a count");
    diag_cell(DIAG_ERROR, "facts.csv", 7, NULL, NULL, NULL, "duplicate row for %s", "石岗镇");
    diag_cell(DIAG_WARNING, "facts.csv", 3, "备注", "a\"b\nc\t", NULL, "odd");
    char *s = captured();
    ck_assert_str_eq(s,
        "facts.csv:5:专窗人员数: error: not a count\n"
        "  cell: \"三\"\n"
        "  hint: write a whole number such as 3\n"
        "facts.csv:7: error: duplicate row for 石岗镇\n"
        "facts.csv:3:备注: warning: odd\n"
        "  cell: \"a\\\"b\\nc\\t\"\n");
    ck_assert_int_eq(diag_errors(), 2);
    ck_assert_int_eq(diag_warnings(), 1);
    free(s);
}
END_TEST

START_TEST(file_and_plain_golden)
{
    capture();
    diag_file(DIAG_ERROR, "t.csv", 3, 9, "close it", "unclosed quote");
    diag_file(DIAG_NOTE, "t.csv", 0, 0, NULL, "read as GB18030");
    diag_plain(DIAG_ERROR, NULL, "cannot open %s: %s", "x.csv", "No such file or directory");
    char *s = captured();
    ck_assert_str_eq(s,
        "t.csv:3:9: error: unclosed quote\n"
        "  hint: close it\n"
        "t.csv: note: read as GB18030\n"
        "kaohe: error: cannot open x.csv: No such file or directory\n");
    ck_assert_int_eq(diag_errors(), 2);
    diag_reset();
    ck_assert_int_eq(diag_errors(), 0);
    free(s);
}
END_TEST

/* Bytes that are not UTF-8, in a path, a message argument, a hint or a
** cell, are shown as \xFF; valid characters (中, U+FFFD itself) stay as
** they are, so every message is valid UTF-8. */
START_TEST(bad_bytes_escaped)
{
    capture();
    diag_cell(DIAG_ERROR, "f\xFE.csv", 3, "人\xE4数", "\xC0\xAF中\xEF\xBF\xBD", "try '\xFF'",
              "not a count: '%s'", "a\xE4\xB8");
    diag_plain(DIAG_ERROR, NULL, "cannot open %s", "\xF0\x9F\x98");
    char *s = captured();
    ck_assert_str_eq(s,
        "f\\xFE.csv:3:人\\xE4数: error: not a count: 'a\\xE4\\xB8'\n"
        "  cell: \"\\xC0\\xAF中\xEF\xBF\xBD\"\n"
        "  hint: try '\\xFF'\n"
        "kaohe: error: cannot open \\xF0\\x9F\\x98\n");
    free(s);
}
END_TEST

START_TEST(line_col_counts_characters)
{
    static const char text[] = "ab\n专窗x\n";
    SrcFile f = {"d", text, sizeof text - 1};
    long line, col;
    diag_line_col(&f, 0, &line, &col);
    ck_assert_int_eq(line, 1);
    ck_assert_int_eq(col, 1);
    diag_line_col(&f, 3 + 6, &line, &col);      /* the x after two CJK chars */
    ck_assert_int_eq(line, 2);
    ck_assert_int_eq(col, 3);
    diag_line_col(&f, 1000, &line, &col);       /* clamped to the end */
    ck_assert_int_eq(line, 3);
    ck_assert_int_eq(col, 1);
}
END_TEST

START_TEST(suggest_rules)
{
    const char *facts[] = {"专窗人员数", "协管员人数", "有档案室"};
    ck_assert_str_eq(diag_suggest("专窗人数", facts, 3), "专窗人员数");
    ck_assert_ptr_null(diag_suggest("完全不同的名字", facts, 3));
    /* a two-character name allows one edit */
    const char *short_names[] = {"过程", "年度"};
    ck_assert_str_eq(diag_suggest("年", short_names, 2), "年度");
    ck_assert_ptr_null(diag_suggest("季度报", short_names, 2));
    /* an empty name allows one edit too, not two */
    const char *one[] = {"年度"};
    ck_assert_ptr_null(diag_suggest("", one, 1));
    /* ties are ambiguous */
    const char *tied[] = {"ab", "ac"};
    ck_assert_ptr_null(diag_suggest("a", tied, 2));
    /* the same name twice is not a tie */
    const char *dup[] = {"石埠乡", "石埠乡"};
    ck_assert_str_eq(diag_suggest("石埠镇", dup, 2), "石埠乡");
    ck_assert_ptr_null(diag_suggest("x", NULL, 0));
    /* a swap of neighbours is one edit */
    const char *cmds[] = {"run", "check"};
    ck_assert_str_eq(diag_suggest("rnu", cmds, 2), "run");
    const char *swapped[] = {"人员专窗数"};
    ck_assert_ptr_null(diag_suggest("专窗人员数", swapped, 1));
    const char *near[] = {"窗专人员数"};
    ck_assert_str_eq(diag_suggest("专窗人员数", near, 1), "窗专人员数");
}
END_TEST

Suite *diag_suite(void);
Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    tcase_add_test(tc, at_cjk_underline);
    tcase_add_test(tc, at_after_wide_chars);
    tcase_add_test(tc, at_empty_span_crlf_tab);
    tcase_add_test(tc, at_no_file);
    tcase_add_test(tc, cell_golden);
    tcase_add_test(tc, file_and_plain_golden);
    tcase_add_test(tc, bad_bytes_escaped);
    tcase_add_test(tc, line_col_counts_characters);
    tcase_add_test(tc, suggest_rules);
    suite_add_tcase(s, tc);
    return s;
}
