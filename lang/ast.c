/*
** ast.c — constructors for syntax-tree nodes and loading of source text.
** Everything is GC-allocated; nothing here frees memory.
*/
#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"

Expr *expr_new(ExprKind kind, Loc loc)
{
    Expr *e = GC_NEW(Expr);
    e->kind = kind;
    e->loc = loc;
    e->depth = 1;
    return e;
}

Step *step_new(StepKind kind, Loc loc)
{
    Step *s = GC_NEW(Step);
    s->kind = kind;
    s->loc = loc;
    return s;
}

Decl *decl_new(DeclKind kind, Loc loc)
{
    Decl *d = GC_NEW(Decl);
    d->kind = kind;
    d->loc = loc;
    return d;
}

ItemDecl *item_new(Loc loc)
{
    ItemDecl *it = GC_NEW(ItemDecl);
    it->loc = loc;
    return it;
}

Loc loc_span(Loc a, Loc b)
{
    Loc l = { a.file, a.start, b.end };
    return l;
}

Loc *loc_box(Loc l)
{
    Loc *p = GC_NEW(Loc);
    *p = l;
    return p;
}

SrcFile *src_from_string(const char *name, const char *text)
{
    SrcFile *f = GC_NEW(SrcFile);
    f->path = name;
    f->text = text;
    f->len = strlen(text);
    return f;
}

/* Rule files are small: the 2021 rubric is 27 KB in all. A file larger
** than this is not a rubric someone wrote (and byte offsets stay far
** inside 32 bits). Exactly MAX_RULE_FILE bytes is allowed. */
#define MAX_RULE_FILE ((size_t)16 << 20)

SrcFile *src_load(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_plain(DIAG_ERROR, NULL, "cannot open rule file %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = GC_MALLOC_ATOMIC(cap + 1);
    for (;;) {
        size_t n = fread(buf + len, 1, cap - len, fp);
        len += n;
        if (len < cap) break;
        if (len > MAX_RULE_FILE) {
            fclose(fp);
            diag_file(DIAG_ERROR, path, 0, 0, "split the rubric into several .kh files in one folder",
                      "the rule file is larger than %zu MiB (%zu bytes)", MAX_RULE_FILE >> 20, MAX_RULE_FILE);
            return NULL;
        }
        /* one byte past the limit tells a file of exactly the limit from a longer one */
        size_t ncap = cap * 2 < MAX_RULE_FILE + 1 ? cap * 2 : MAX_RULE_FILE + 1;
        char *bigger = GC_MALLOC_ATOMIC(ncap + 1);
        memcpy(bigger, buf, len);
        buf = bigger;
        cap = ncap;
    }
    int why = errno;
    bool failed = ferror(fp);
    fclose(fp);
    if (failed) {
        diag_plain(DIAG_ERROR, NULL, "cannot read rule file %s: %s", path, strerror(why));
        return NULL;
    }
    buf[len] = '\0';
    /* a workbook where a rule file was meant: said as such, not as bytes */
    if ((len >= 4 && memcmp(buf, "PK\3\4", 4) == 0) ||
        (len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)) {
        diag_file(DIAG_ERROR, path, 0, 0,
                  "RULES is the rubric's folder of .kh files (rules/xinjian-2021); the workbook of facts comes second: "
                  "kaohe run RULES FACTS.xlsx",
                  "this is a workbook or another Office file, not a rule file");
        return NULL;
    }
    SrcFile *f = GC_NEW(SrcFile);
    f->path = GC_STRDUP(path);
    /* A UTF-8 byte-order mark is what Windows Notepad writes; skip it by
    ** blanking it, so offsets still match the file. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        memcpy(buf, "   ", 3);
    f->text = buf;
    f->len = len;
    return f;
}
