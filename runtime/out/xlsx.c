/*
** xlsx.c — `kaohe run --format xlsx -o FILE`: the results as a real
** spreadsheet, by libxlsxwriter. Sheets: 汇总 (one row per unit, as the
** summary CSV), 明细 (one row per unit × period × item, with every step
** that moved the score, its clause and citation), 来源 (every value each
** item's steps read: the fact or annex cell, the clause) and 依据 (the version and
** SHA-256 of every input). Period scores are SUM formulas over 明细's item
** cells, cached with kaohe's exact values; autofilter, print titles and A4
** setup for auditors. Written to a temporary file and renamed, so an
** error leaves no partial file; the creation time is fixed, so the same
** inputs give the same bytes.
*/
#include <errno.h>
#include <fcntl.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "explain.h"
#include "fault.h"
#include "output.h"
#include "provenance.h"
#include "safe_write.h"
#include "xlsx.h"

typedef struct Sheets {
    lxw_workbook *wb;
    lxw_worksheet *summary, *detail, *reads, *sources;
    int reads_row;          /* 来源's next row */
    lxw_format *head, *money, *score, *wrap;
    int nrows_detail;       /* 明细's rows below the header */
} Sheets;

/* A spreadsheet cell holds a binary number, which is what Excel and WPS
** store and compute with; scoring never sees it. The exact two-decimal
** text is converted once (strtod rounds correctly) and libxlsxwriter
** writes it back with 16 significant digits, so the cell reads exactly as
** the CSV does. */
/* The first thing libxlsxwriter refused (a text over 32,767 characters,
** a row past 1,048,576): the workbook is then not written, rather than
** written without it. A failed allocation ends the run at once. */
static lxw_error refused;

static void check(lxw_error e)
{
    if (e == LXW_NO_ERROR) return;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED) fault_out_of_memory();
    if (refused == LXW_NO_ERROR) refused = e;
}

/* A sheet or format; NULL only when memory ran out. */
static void *need(void *made)
{
    if (!made) fault_out_of_memory();
    return made;
}

static void put_num(lxw_worksheet *ws, int row, int col, Num x, lxw_format *f)
{
    const char *text = num_format_fixed(x, NUM_PLACES);
    check(FAULT_LIB(worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, strtod(text, NULL), f)));
}

/* A period's score as a live formula over its items' cells in 明细 (rows
** first..last, 0-based), with kaohe's exact score as the cached value: an
** auditor sees where it comes from, and Excel shows the same number. The
** period score is the sum of its items with penalties negative, which is
** what 明细's 得分 column holds. */
static void put_period(Sheets *x, int row, int col, int first, int last, Num v)
{
    char formula[64];
    snprintf(formula, sizeof formula, "=SUM('明细'!F%d:F%d)", first + 1, last + 1);
    /* the cached value Excel shows before recalculating: kaohe's exact
    ** score, already computed and rounded, turned into the file's binary
    ** number only here, after scoring (see put_num) */
    const char *text = num_format_fixed(v, NUM_PLACES);
    check(FAULT_LIB(worksheet_write_formula_num(x->summary, (lxw_row_t)row, (lxw_col_t)col, formula, x->score,
                                                strtod(text, NULL))));
}

/* An item number: a number cell when it is one (so 项目 sorts 1, 2, … 10
** in rubric order, not 1, 10, 11), else text (问效). */
static void put_item_id(lxw_worksheet *ws, int row, const char *id)
{
    char *end;
    long n = strtol(id, &end, 10);
    /* an item number below 100000 is exact as a double; it only sorts */
    if (*id >= '0' && *id <= '9' && *end == 0 && n < 100000)
        check(FAULT_LIB(worksheet_write_number(ws, (lxw_row_t)row, 2, (double)n, NULL)));
    else
        check(FAULT_LIB(worksheet_write_string(ws, (lxw_row_t)row, 2, id, NULL)));
}

static void put_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
    check(FAULT_LIB(worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s ? s : "", f)));
}

static void put_value(Sheets *x, const Program *p, int row, int col, Value v, int enum_id)
{
    if (v.tag == V_NUM) put_num(x->summary, row, col, v.as.num, x->score);
    else put_text(x->summary, row, col, value_text(p, v, enum_id), NULL);
}

static void summary_head(Sheets *x, const Program *p)
{
    int c = 0;
    put_text(x->summary, 0, c++, "单位", x->head);
    for (int i = 0; i < p->nperiods; i++) put_text(x->summary, 0, c++, p->period_labels[i], x->head);
    for (int i = 0; i < p->nresults; i++) put_text(x->summary, 0, c++, p->results[i].name, x->head);
    for (int i = 0; i < p->ngrades; i++) put_text(x->summary, 0, c++, p->grades[i].name, x->head);
    for (int i = 0; i < p->noutcomes; i++) put_text(x->summary, 0, c++, p->outcomes[i].name, x->head);
    check(FAULT_LIB(worksheet_set_column(x->summary, 0, 0, 14, NULL)));
    check(FAULT_LIB(worksheet_set_column(x->summary, 1, (lxw_col_t)(c - 1), 14, NULL)));
    FAULT_LIB_VOID(worksheet_freeze_panes(x->summary, 1, 1));
}

static void summary_row(Sheets *x, const Program *p, int row, int unit, const UnitScores *s)
{
    int c = 0;
    put_text(x->summary, row, c++, p->units->names[unit], NULL);
    int per_unit = p->nperiods * p->nitems;
    for (int i = 0; i < p->nperiods; i++) {
        int first = 1 + unit * per_unit + i * p->nitems;
        if (p->nitems > 0) put_period(x, row, c++, first, first + p->nitems - 1, s->periods[i]);
        else put_num(x->summary, row, c++, s->periods[i], x->score);
    }
    for (int i = 0; i < p->nresults; i++) put_value(x, p, row, c++, s->results[i], p->results[i].enum_id);
    for (int i = 0; i < p->ngrades; i++) put_value(x, p, row, c++, s->grades[i], p->grades[i].enum_id);
    for (int i = 0; i < p->noutcomes; i++) {
        Value v = s->outcomes[i];
        if (v.tag == V_NUM) put_num(x->summary, row, c++, v.as.num, x->money);   /* an amount */
        else put_value(x, p, row, c++, v, p->outcomes[i].enum_id);
    }
}

static const char *const detail_head[] = { "单位", "期别", "项目", "名称", "分值", "得分", "扣分、加分与依据" };

/* The steps that moved an item's score, one per line: what, how much, the
** clause and the citation; then any clamp or rounding. */
static const char *moves(const ExplNode *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return "";
    int k = 0;
    for (int i = 0; i < n->nsteps; i++) {
        const ExplStep *s = &n->steps[i];
        if (s->status != ST_APPLIED || num_sign(s->delta) == 0) continue;
        fprintf(m, "%s%s", k++ ? "\n" : "", expl_status_text(s));
        if (s->clause) fprintf(m, "：%s", s->clause);
        if (s->cite) fprintf(m, "〔%s〕", s->cite);
    }
    if (n->clamp) fprintf(m, "%s%s", k ? "\n" : "", n->clamp);
    fclose(m);
    char *out = GC_STRDUP(buf);
    free(buf);
    return out;
}

static const char *const reads_head[] = { "单位", "期别", "项目", "名称", "条款", "依据", "读取", "值", "来源单元格" };

/* One row of 来源: a value a step (or the item outside any step) read,
** with the clause it served and the cell or rule it came from. */
static void read_row(Sheets *x, const char *const *key, const ItemDef *it, const char *clause, const char *cite,
                     const ExplRead *r)
{
    int row = x->reads_row++;
    put_text(x->reads, row, 0, key[0], NULL);
    put_text(x->reads, row, 1, key[1], NULL);
    put_item_id(x->reads, row, it->id);
    put_text(x->reads, row, 3, it->title, NULL);
    put_text(x->reads, row, 4, clause, x->wrap);
    put_text(x->reads, row, 5, cite, NULL);
    put_text(x->reads, row, 6, r->name, NULL);
    put_text(x->reads, row, 7, r->value, NULL);
    put_text(x->reads, row, 8, expl_read_source(r), NULL);
}

/* Every item's source cells and clauses, step by step, for one unit. */
static void reads_rows(Sheets *x, const Program *p, const ExplUnit *u)
{
    for (int per = 0; per < p->nperiods; per++)
        for (int i = 0; i < p->nitems; i++) {
            const ExplNode *n = u->items[(size_t)per * (size_t)p->nitems + (size_t)i];
            if (!n) continue;
            const char *key[2] = { p->units->names[u->unit], p->periods[per] };
            for (int r = 0; r < n->nreads; r++)
                read_row(x, key, &p->items[i], n->clause, n->cite, &n->reads[r]);
            for (int k = 0; k < n->nsteps; k++) {
                const ExplStep *st = &n->steps[k];
                for (int r = 0; r < st->nreads; r++)
                    read_row(x, key, &p->items[i], st->clause, st->cite ? st->cite : n->cite, &st->reads[r]);
            }
        }
}

static void detail_rows(Sheets *x, const Program *p, int *row, const ExplUnit *u)
{
    for (int per = 0; per < p->nperiods; per++)
        for (int i = 0; i < p->nitems; i++) {
            const ItemDef *it = &p->items[i];
            const ExplNode *n = u->items[(size_t)per * (size_t)p->nitems + (size_t)i];
            Num sc = u->scores->items[(size_t)per * (size_t)p->nitems + (size_t)i];
            if (p->sections[it->section].kind == SEC_PENALTY) sc = num_neg(sc);
            put_text(x->detail, *row, 0, p->units->names[u->unit], NULL);
            put_text(x->detail, *row, 1, p->periods[per], NULL);
            put_item_id(x->detail, *row, it->id);
            put_text(x->detail, *row, 3, it->title, NULL);
            if (it->has_points) put_num(x->detail, *row, 4, item_points(it, u->unit), x->score);
            put_num(x->detail, *row, 5, sc, x->score);
            put_text(x->detail, *row, 6, n ? moves(n) : "", x->wrap);
            (*row)++;
        }
}

static void sources_sheet(Sheets *x, const Provenance *pv)
{
    put_text(x->sources, 0, 0, "kaohe", x->head);
    put_text(x->sources, 0, 1, pv->version, NULL);
    put_text(x->sources, 1, 0, "类别", x->head);
    put_text(x->sources, 1, 1, "文件", x->head);
    put_text(x->sources, 1, 2, "SHA-256", x->head);
    for (int i = 0; i < pv->n; i++) {
        put_text(x->sources, i + 2, 0, pv->files[i].role, NULL);
        put_text(x->sources, i + 2, 1, pv->files[i].path, NULL);
        put_text(x->sources, i + 2, 2, pv->files[i].sha256, NULL);
    }
    check(FAULT_LIB(worksheet_set_column(x->sources, 1, 1, 40, NULL)));
    check(FAULT_LIB(worksheet_set_column(x->sources, 2, 2, 70, NULL)));
}

/* What an auditor filters, prints and keeps: an autofilter over the
** header row, the header repeated on every printed page, A4 landscape one
** page wide, the sheet's name and the page number in the page header. */
static void print_setup(lxw_worksheet *ws, int nrows, int ncols, const char *name)
{
    check(FAULT_LIB(worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(ncols - 1))));
    check(FAULT_LIB(worksheet_repeat_rows(ws, 0, 0)));
    FAULT_LIB_VOID(worksheet_set_paper(ws, 9));      /* A4 */
    FAULT_LIB_VOID(worksheet_set_landscape(ws));
    FAULT_LIB_VOID(worksheet_fit_to_pages(ws, 1, 0));
    char header[96];
    snprintf(header, sizeof header, "&L%s&R第 &P 页，共 &N 页", name);
    check(FAULT_LIB(worksheet_set_header(ws, header)));
}

int xlsx_write(const char *path, Eval *ev, const Program *p, const FactData *f)
{
    SafeFile file;
    if (!safe_reserve(&file, path)) {
        diag_plain(DIAG_ERROR, safe_write_hint(errno), "cannot write %s: %s", path, strerror(errno));
        return EXIT_OUTPUT;
    }
    const char *tmp = file.tmp;
    Sheets x;
    refused = LXW_NO_ERROR;
    fault_guard_library();
    int saved = fault_hush();
    x.wb = FAULT_LIB(workbook_new(tmp));   /* allocates only: the file is written at workbook_close */
    fault_unhush(saved);
    need(x.wb);
    /* A fixed creation time (1 January of the rubric's year): the same
    ** inputs must give the same file. */
    struct tm jan1 = { .tm_year = (p->has_year ? (int)p->year.num : 2000) - 1900, .tm_mday = 1 };
    lxw_doc_properties props = { .title = (char *)p->title, .author = (char *)"kaohe", .created = timegm(&jan1) };
    check(FAULT_LIB(workbook_set_properties(x.wb, &props)));
    x.summary = need(FAULT_LIB(workbook_add_worksheet(x.wb, "汇总")));
    x.detail = need(FAULT_LIB(workbook_add_worksheet(x.wb, "明细")));
    x.reads = need(FAULT_LIB(workbook_add_worksheet(x.wb, "来源")));
    x.sources = need(FAULT_LIB(workbook_add_worksheet(x.wb, "依据")));
    x.head = need(FAULT_LIB(workbook_add_format(x.wb)));
    FAULT_LIB_VOID(format_set_bold(x.head));
    x.money = need(FAULT_LIB(workbook_add_format(x.wb)));
    FAULT_LIB_VOID(format_set_num_format(x.money, "#,##0.00"));
    x.score = need(FAULT_LIB(workbook_add_format(x.wb)));
    FAULT_LIB_VOID(format_set_num_format(x.score, "0.00"));
    x.wrap = need(FAULT_LIB(workbook_add_format(x.wb)));
    FAULT_LIB_VOID(format_set_text_wrap(x.wrap));
    summary_head(&x, p);
    for (int c = 0; c < 7; c++) put_text(x.detail, 0, c, detail_head[c], x.head);
    check(FAULT_LIB(worksheet_set_column(x.detail, 3, 3, 24, NULL)));
    check(FAULT_LIB(worksheet_set_column(x.detail, 6, 6, 80, NULL)));
    FAULT_LIB_VOID(worksheet_freeze_panes(x.detail, 1, 0));
    for (int c = 0; c < 9; c++) put_text(x.reads, 0, c, reads_head[c], x.head);
    check(FAULT_LIB(worksheet_set_column(x.reads, 4, 4, 50, NULL)));
    check(FAULT_LIB(worksheet_set_column(x.reads, 8, 8, 50, NULL)));
    FAULT_LIB_VOID(worksheet_freeze_panes(x.reads, 1, 0));
    x.reads_row = 1;
    int drow = 1, rc = 0;
    for (int u = 0; u < p->units->n; u++) {
        ExplUnit *e = explain_unit(ev, p, f, u);
        if (!e) {
            rc = eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
            break;
        }
        summary_row(&x, p, u + 1, u, e->scores);
        detail_rows(&x, p, &drow, e);
        reads_rows(&x, p, e);
    }
    if (rc == 0) {
        int ncols = 1 + p->nperiods + p->nresults + p->ngrades + p->noutcomes;
        print_setup(x.summary, p->units->n, ncols, "汇总");
        print_setup(x.detail, drow - 1, 7, "明细");
        print_setup(x.reads, x.reads_row - 1, 9, "来源");
    }
    sources_sheet(&x, provenance_of(p, f));
    saved = fault_hush();
    errno = 0;
    lxw_error err = FAULT_LIB(workbook_close(x.wb));
    int why = errno;    /* the system's reason, when a write failed */
    fault_unhush(saved);
    if (rc == 0 && err != LXW_NO_ERROR && why == ENOMEM) {
        safe_abandon(&file);
        fault_out_of_memory();
    }
    if (rc == 0 && refused != LXW_NO_ERROR) {
        diag_plain(DIAG_ERROR, "a cell holds at most 32,767 characters and a sheet 1,048,576 rows",
                   "cannot write %s: %s", path, lxw_strerror(refused));
        rc = EXIT_OUTPUT;
    }
    if (rc == 0 && err != LXW_NO_ERROR) {
        diag_plain(DIAG_ERROR, "check the disk space and permissions; the old file was left as it was",
                   "cannot write %s: %s", path, why ? strerror(why) : lxw_strerror(err));
        rc = EXIT_OUTPUT;
    }
    if (rc) {
        safe_abandon(&file);
        return rc;
    }
    if (!safe_commit(&file)) {
        diag_plain(DIAG_ERROR, "check the disk space and permissions; the old file was left as it was",
                   "cannot write %s: %s", path, strerror(errno));
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}
