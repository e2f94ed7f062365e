/*
** base.c — the shared services of runtime/base that every layer leans on:
** the safe file write (a failed write leaves the target as it was and no
** temporary file), the UTF-8 decoder and display width, the escapers.
*/
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "safe_write.h"
#include "suites.h"
#include "tmpdir.h"
#include "utf8.h"

static char dir[64];

static void setup(void) { tmpdir_make(dir, sizeof dir, "base"); }
static void teardown(void) { tmpdir_remove(dir); }

static const char *in_dir(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static const char *content(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Entries of the test folder (a temporary file left behind shows here). */
static int entries(void)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

START_TEST(test_write_replaces_whole)
{
    char target[128];
    snprintf(target, sizeof target, "%s", in_dir("out.csv"));
    put(target, "old\n");
    chmod(target, 0640);
    ck_assert(safe_write_file(target, "new\n", 4));
    ck_assert_str_eq(content(target), "new\n");
    struct stat st;
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0640);   /* the target keeps its permissions */
    ck_assert_int_eq(entries(), 1);
}
END_TEST

/* A write past a file-size limit fails (EFBIG, SIGXFSZ ignored as
** fault_init does): the target is unchanged and no temporary file stays. */
START_TEST(test_failed_write_leaves_target)
{
    char target[128];
    snprintf(target, sizeof target, "%s", in_dir("out.csv"));
    put(target, "old\n");
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, small = { 1024, 0 };
    getrlimit(RLIMIT_FSIZE, &old);
    small.rlim_max = old.rlim_max;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    static char big[8192];
    memset(big, 'x', sizeof big);
    SafeFile sf;
    ck_assert(safe_open(&sf, target));
    fwrite(big, 1, sizeof big, sf.fp);
    bool ok = safe_commit(&sf);
    int why = errno;
    setrlimit(RLIMIT_FSIZE, &old);
    ck_assert(!ok);
    ck_assert_int_eq(why, EFBIG);
    ck_assert_str_eq(content(target), "old\n");
    ck_assert_int_eq(entries(), 1);
    ck_assert_ptr_null(sf.tmp);
}
END_TEST

/* The rename fails (the target became a folder meanwhile): no temporary
** file stays. */
START_TEST(test_failed_rename_removes_temp)
{
    char target[128];
    snprintf(target, sizeof target, "%s", in_dir("out.csv"));
    SafeFile sf;
    ck_assert(safe_open(&sf, target));
    fputs("new\n", sf.fp);
    ck_assert_int_eq(mkdir(target, 0755), 0);
    char inside[160];
    snprintf(inside, sizeof inside, "%s/keep", target);
    put(inside, "x");
    ck_assert(!safe_commit(&sf));
    ck_assert_int_eq(entries(), 1);
    ck_assert_str_eq(content(inside), "x");
}
END_TEST

START_TEST(test_open_refuses_missing_folder_and_folder)
{
    SafeFile sf;
    ck_assert(!safe_open(&sf, in_dir("no/such/out.csv")));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_nonnull(safe_write_hint(ENOENT));
    ck_assert(!safe_open(&sf, dir));
    ck_assert_int_eq(errno, EISDIR);
    ck_assert(!safe_reserve(&sf, dir));
    ck_assert_int_eq(entries(), 0);
}
END_TEST

/* A library writes the reserved path; commit renames it into place. */
START_TEST(test_reserve_then_commit)
{
    char target[128];
    snprintf(target, sizeof target, "%s", in_dir("book.xlsx"));
    SafeFile sf;
    ck_assert(safe_reserve(&sf, target));
    ck_assert_ptr_null(sf.fp);
    put(sf.tmp, "book");
    ck_assert(safe_commit(&sf));
    ck_assert_str_eq(content(target), "book");
    ck_assert_int_eq(entries(), 1);
}
END_TEST

START_TEST(test_utf8_decode)
{
    uint32_t cp = 0;
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"石", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x77F3);
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xE7\x9F", 2, &cp), 0);    /* truncated */
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xC0\x80", 2, &cp), 0);    /* overlong */
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 0); /* surrogate */
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
    size_t n;
    ck_assert_uint_eq(utf8_next((const unsigned char *)"\xFF" "a", 2, &n), 0xFFFD);
    ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_display_width)
{
    ck_assert_int_eq(utf8_width("松湖镇", strlen("松湖镇")), 6);
    ck_assert_int_eq(utf8_width("a（1）", strlen("a（1）")), 6);
    ck_assert_int_eq(utf8_width("99.82", 5), 5);
    ck_assert_int_eq(utf8_width("\xFF\xFE", 2), 2);
}
END_TEST

START_TEST(test_escapers)
{
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    csv_cell(f, "a,\"b\"");
    fputc('|', f);
    json_string(f, "\"\\\n\x01");
    fputc('|', f);
    html_text(f, "<a href=\"x\">&</a>");
    fclose(f);
    ck_assert_str_eq(buf, "\"a,\"\"b\"\"\"|\"\\\"\\\\\\n\\u0001\"|&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    free(buf);
}
END_TEST

Suite *base_suite(void)
{
    Suite *s = suite_create("base");
    TCase *t = tcase_create("safe_write");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_write_replaces_whole);
    tcase_add_test(t, test_failed_write_leaves_target);
    tcase_add_test(t, test_failed_rename_removes_temp);
    tcase_add_test(t, test_open_refuses_missing_folder_and_folder);
    tcase_add_test(t, test_reserve_then_commit);
    suite_add_tcase(s, t);
    TCase *u = tcase_create("text");
    tcase_add_test(u, test_utf8_decode);
    tcase_add_test(u, test_display_width);
    tcase_add_test(u, test_escapers);
    suite_add_tcase(s, u);
    return s;
}
