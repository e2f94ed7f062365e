/*
** report.c — `kaohe report RULES FACTS -o report.html`: one self-contained
** HTML file for auditors. An overview (every unit's scores, grade and
** money, totals, a bar chart of the grade key with the band thresholds,
** every assumption), then per unit a rubric table like 附件2: item, points,
** score, and each step that moved the score with its clause, citation and
** the fact cells behind it. No scripts, no external assets, no requests;
** an A4 print stylesheet. Reads explanations (explain.h); decides nothing.
*/
#include <gc.h>
#include <string.h>

#include "explain.h"
#include "output.h"
#include "provenance.h"
#include "report.h"

static const char style[] =
    "body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
    "margin:2em;color:#111;font-size:14px;line-height:1.5}\n"
    "h1{font-size:22px;margin:0 0 .3em}h2{font-size:18px;margin:1.6em 0 .4em;border-bottom:2px solid #333}"
    "h3{font-size:15px;margin:1em 0 .3em}\n"
    "table{border-collapse:collapse;width:100%;margin:.4em 0 1em}th,td{border:1px solid #999;padding:3px 6px;"
    "vertical-align:top}th{background:#eee}td.n{text-align:right;white-space:nowrap}\n"
    ".assume{background:#fff3b0;border-left:4px solid #e0a800;padding:2px 6px;margin:2px 0}\n"
    ".step{margin:2px 0}.src{color:#555;font-size:12px}.cite{color:#0a4a8a;white-space:nowrap}\n"
    ".lost{color:#a00}.muted{color:#777}.grade{font-weight:bold}\n"
    "svg text{font-size:11px}\n"
    "tr.run{display:none}thead{display:table-header-group}\n"
    "@page{size:A4;margin:15mm;@top-right{content:\"第 \" counter(page) \" 页\";font-size:9pt;color:#555}}\n"
    "@media print{body{margin:0;font-size:10.5pt}.unit{break-before:page}tr{break-inside:avoid}"
    "h2,h3{break-after:avoid}tr.run{display:table-row}tr.run th{background:#fff;border:0;border-bottom:1px solid #999;"
    "text-align:left;font-weight:normal;color:#555}}\n";

/* ---- overview ---------------------------------------------------------------- */

static Num grade_key(const ExplUnit *u)
{
    return u->has_band ? u->key : num_int(0);
}

/* Pixels, rounded. */
static int px(Num x)
{
    int64_t v = 0;
    num_to_int64(num_round(x, 0, ROUND_HALF_UP), &v);
    return (int)v;
}

/* A horizontal bar per unit, with a dashed line at each band threshold. */
static void bar_chart(FILE *out, const Program *p, ExplUnit **units, Eval *ev)
{
    int n = p->units->n, bar = 18, left = 110, width = 520, top = 24;
    Num max = num_int(100);
    for (int u = 0; u < n; u++)
        if (num_cmp(grade_key(units[u]), max) > 0) max = grade_key(units[u]);
    Num scale = num_int(0);
    num_div(num_int(width), max, &scale);
    fprintf(out, "<svg width=\"%d\" height=\"%d\" role=\"img\">\n",
            left + width + 60, top + n * bar + 10);
    for (int u = 0; u < n; u++) {
        int w = px(num_mul(grade_key(units[u]), scale));
        int y = top + u * bar;
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 13);
        html_text(out, p->units->names[u]);
        fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#5b8fc7\"/>", left, y + 2, w,
                bar - 5);
        fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text>\n", left + 4 + w, y + 13,
                num_format_fixed(grade_key(units[u]), 2));
    }
    if (p->ngrades) {
        const ValueDef *g = &p->grades[0];
        const char **members = p->enums[g->enum_id].members;
        for (int b = 0; b < g->nbands; b++) {
            Value th;
            if (!g->bands[b].threshold || !eval_for_unit(ev, 0, g->bands[b].threshold, &th)) continue;
            int x = left + px(num_mul(th.as.num, scale));
            fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>", x,
                    top - 6, x, top + n * bar);
            fprintf(out, "<text x=\"%d\" y=\"%d\" fill=\"#c00\" text-anchor=\"middle\">", x, top - 10);
            html_text(out, members[g->bands[b].member]);
            fprintf(out, " %s</text>\n", num_to_string(th.as.num));
        }
    }
    fputs("</svg>\n", out);
}

static void overview(FILE *out, const Program *p, ExplUnit **units, Eval *ev)
{
    fputs("<h2>总览</h2>\n<table><thead><tr><th>单位</th>", out);
    for (int i = 0; i < p->nperiods; i++) { fputs("<th>", out); html_text(out, p->period_labels[i]); fputs("</th>", out); }
    for (int i = 0; i < p->nresults; i++) { fputs("<th>", out); html_text(out, p->results[i].name); fputs("</th>", out); }
    for (int i = 0; i < p->ngrades; i++) { fputs("<th>", out); html_text(out, p->grades[i].name); fputs("</th>", out); }
    for (int i = 0; i < p->noutcomes; i++) { fputs("<th>", out); html_text(out, p->outcomes[i].name); fputs("</th>", out); }
    fputs("<th>距下一等次</th></tr></thead>\n<tbody>\n", out);
    for (int u = 0; u < p->units->n; u++) {
        const ExplUnit *x = units[u];
        const UnitScores *s = x->scores;
        fprintf(out, "<tr><td><a href=\"#u%d\">", u);
        html_text(out, p->units->names[u]);
        fputs("</a></td>", out);
        for (int i = 0; i < p->nperiods; i++) fprintf(out, "<td class=\"n\">%s</td>", num_format_fixed(s->periods[i], 2));
        for (int i = 0; i < p->nresults; i++) {
            fputs("<td class=\"n\">", out);
            html_text(out, value_text(p, s->results[i], p->results[i].enum_id));
            fputs("</td>", out);
        }
        for (int i = 0; i < p->ngrades; i++) {
            fputs("<td class=\"grade\">", out);
            html_text(out, value_text(p, s->grades[i], p->grades[i].enum_id));
            fputs("</td>", out);
        }
        for (int i = 0; i < p->noutcomes; i++) {
            fprintf(out, "<td%s>", s->outcomes[i].tag == V_NUM ? " class=\"n\"" : "");
            html_text(out, value_text(p, s->outcomes[i], p->outcomes[i].enum_id));
            fputs("</td>", out);
        }
        fputs("<td>", out);
        if (x->has_band && x->top) fputs("已是最高等次", out);
        else if (x->has_band) {
            html_text(out, p->enums[p->grades[0].enum_id].members[x->next_member]);
            fprintf(out, " 差 %s 分", expl_num(x->gap));
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
    if (p->ngrades) {
        const ValueDef *g = &p->grades[0];
        const EnumType *e = &p->enums[g->enum_id];
        fputs("<p>", out);
        for (int m = 0; m < e->n; m++) {
            int count = 0;
            for (int u = 0; u < p->units->n; u++) count += units[u]->scores->grades[0].as.e == m;
            fprintf(out, "%s", m ? "，" : "");
            html_text(out, e->members[m]);
            fprintf(out, " %d 个", count);
        }
        for (int i = 0; i < p->noutcomes; i++) {
            if (p->outcomes[i].type != T_NUM) continue;
            Num sum = num_int(0);
            for (int u = 0; u < p->units->n; u++) sum = num_add(sum, units[u]->scores->outcomes[i].as.num);
            fputs("；", out);
            html_text(out, p->outcomes[i].name);
            fprintf(out, "合计 %s", num_format_fixed(sum, 2));
        }
        fputs("</p>\n", out);
    }
    bar_chart(out, p, units, ev);
}

static void assume_block(FILE *out, const PtrVec *a)
{
    for (int i = 0; a && i < a->n; i++) {
        fputs("<div class=\"assume\">[解释] ", out);
        html_text(out, a->items[i]);
        fputs("</div>\n", out);
    }
}

static void assumptions(FILE *out, const Program *p)
{
    fputs("<h2>解释与假设</h2>\n<p class=\"muted\">通知未明确之处，本规则按下列理解计分。</p>\n", out);
    for (int i = 0; i < p->nparams; i++) assume_block(out, p->params[i].at ? &p->params[i].at->assumes : NULL);
    for (int i = 0; i < p->ntables; i++) assume_block(out, p->table_at[i] ? &p->table_at[i]->assumes : NULL);
    if (p->round_at) assume_block(out, &p->round_at->assumes);
    for (int i = 0; i < p->nitems; i++) {
        const ItemDef *it = &p->items[i];
        if (it->at) assume_block(out, &it->at->assumes);
        for (int k = 0; k < it->nsteps; k++) assume_block(out, &it->steps[k].at->assumes);
    }
    for (int i = 0; i < p->nresults; i++) assume_block(out, p->results[i].at ? &p->results[i].at->assumes : NULL);
    for (int i = 0; i < p->ngrades; i++) assume_block(out, p->grades[i].at ? &p->grades[i].at->assumes : NULL);
    for (int i = 0; i < p->noutcomes; i++) assume_block(out, p->outcomes[i].at ? &p->outcomes[i].at->assumes : NULL);
}

/* ---- per unit ---------------------------------------------------------------- */

static void reads_list(FILE *out, const ExplRead *r, int n)
{
    for (int i = 0; i < n; i++) {
        fputs("<div class=\"src\">", out);
        html_text(out, r[i].name);
        fputs(" = ", out);
        html_text(out, r[i].value);
        fputs(" ← ", out);
        html_text(out, expl_read_source(&r[i]));
        if (r[i].kind == RD_COHORT || r[i].kind == RD_RANK) {
            fputs("：", out);
            for (int k = 0; k < r[i].n; k++) {
                fputs(k ? "，" : "", out);
                html_text(out, r[i].units[k]);
                fputs(" ", out);
                html_text(out, r[i].values[k]);
            }
        }
        fputs("</div>\n", out);
        if (r[i].derived && r[i].kind == RD_LET) reads_list(out, r[i].derived->reads, r[i].derived->nreads);
    }
}

static void item_row(FILE *out, const Program *p, const ExplNode *n)
{
    const ItemDef *it = n->item;
    bool penalty = p->sections[it->section].kind == SEC_PENALTY;
    fputs("<tr><td>", out);
    html_text(out, n->name);
    if (n->cite) { fputs(" <span class=\"cite\">〔", out); html_text(out, n->cite); fputs("〕</span>", out); }
    fprintf(out, "</td><td class=\"n\">%s</td><td class=\"n\">%s%s</td><td>",
            it->has_points ? num_format_fixed(item_points(it, n->trace ? n->trace->unit : -1), 2) : "", penalty && num_sign(n->score) ? "−" : "",
            n->value);
    assume_block(out, n->assumes);
    for (int k = 0; k < n->nsteps; k++) {
        const ExplStep *s = &n->steps[k];
        bool moved = s->status == ST_APPLIED && num_sign(s->delta) != 0;
        if (!moved && !(s->status == ST_APPLIED && s->info->kind == S_SCORE)) continue;
        fputs("<div class=\"step\"><span class=\"lost\">", out);
        html_text(out, expl_status_text(s));
        fputs("</span> ", out);
        if (s->clause) { fputs("“", out); html_text(out, s->clause); fputs("”", out); }
        if (s->cite) { fputs(" <span class=\"cite\">〔", out); html_text(out, s->cite); fputs("〕</span>", out); }
        fputs("</div>\n", out);
        assume_block(out, s->assumes);
        reads_list(out, s->reads, s->nreads);
    }
    if (n->clamp) { fputs("<div class=\"src\">", out); html_text(out, n->clamp); fputs("</div>", out); }
    fputs("</td></tr>\n", out);
}

static void unit_section(FILE *out, const Program *p, const ExplUnit *x)
{
    const UnitScores *s = x->scores;
    fprintf(out, "<section class=\"unit\" id=\"u%d\">\n<h2>", x->unit);
    html_text(out, p->units->names[x->unit]);
    fputs("</h2>\n<p>", out);
    for (int i = 0; i < p->nresults; i++) {
        html_text(out, p->results[i].name);
        fputs(" <b>", out);
        html_text(out, value_text(p, s->results[i], p->results[i].enum_id));
        fputs("</b>　", out);
    }
    for (int i = 0; i < p->ngrades; i++) {
        html_text(out, p->grades[i].name);
        fputs(" <b>", out);
        html_text(out, value_text(p, s->grades[i], p->grades[i].enum_id));
        fputs("</b>　", out);
    }
    for (int i = 0; i < p->noutcomes; i++) {
        html_text(out, p->outcomes[i].name);
        fputs(" ", out);
        html_text(out, value_text(p, s->outcomes[i], p->outcomes[i].enum_id));
        fputs("　", out);
    }
    fputs("</p>\n", out);
    if (x->has_band && !x->top) {
        fputs("<p>距下一等次：", out);
        html_text(out, p->enums[p->grades[0].enum_id].members[x->next_member]);
        fprintf(out, "须%s %s，还差 <b>%s</b> 分。", x->strict ? "高于" : "达到", expl_num(x->threshold),
                expl_num(x->gap));
        if (x->nlosses) fputs("失分最多的项：", out);
        for (int i = 0; i < x->nlosses && i < 5; i++) {
            fprintf(out, "%s第", i ? "；" : "");
            html_text(out, p->items[x->losses[i].item].id);
            fputs("项 ", out);
            html_text(out, p->items[x->losses[i].item].title);
            fprintf(out, " −%s", expl_num(x->losses[i].total));
        }
        fputs("</p>\n", out);
    }
    for (int per = 0; per < p->nperiods; per++) {
        fputs("<h3>", out);
        html_text(out, p->period_labels[per]);
        fprintf(out, " %s</h3>\n", num_format_fixed(s->periods[per], 2));
        /* the header repeats on every printed page (thead); its first row,
        ** shown only in print, names the unit and period there */
        fputs("<table><thead><tr class=\"run\"><th colspan=\"4\">", out);
        html_text(out, p->units->names[x->unit]);
        fputs(" · ", out);
        html_text(out, p->period_labels[per]);
        fputs("</th></tr>\n<tr><th style=\"width:24%\">项目</th><th>分值</th><th>得分</th><th>扣分、加分与依据</th></tr>"
              "</thead>\n<tbody>\n", out);
        for (int sec = 0; sec < p->nsections; sec++) {
            const SectionDef *sd = &p->sections[sec];
            fputs("<tr><th colspan=\"4\" style=\"text-align:left\">", out);
            html_text(out, sd->title);
            fprintf(out, "　%s</th></tr>\n",
                    num_format_fixed(s->sections[(size_t)per * (size_t)p->nsections + (size_t)sec], 2));
            for (int i = sd->first_item; i < sd->first_item + sd->nitems; i++)
                item_row(out, p, x->items[(size_t)per * (size_t)p->nitems + (size_t)i]);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n", out);
}

static void provenance_block(FILE *out, const Provenance *pv)
{
    fputs("<h2>依据文件</h2>\n<p>kaohe ", out);
    html_text(out, pv->version);
    fputs("</p>\n<table><tr><th>类别</th><th>文件</th><th>SHA-256</th></tr>\n", out);
    for (int i = 0; i < pv->n; i++) {
        fputs("<tr><td>", out);
        html_text(out, pv->files[i].role);
        fputs("</td><td>", out);
        html_text(out, pv->files[i].path);
        fputs("</td><td style=\"font-family:monospace;font-size:11px\">", out);
        html_text(out, pv->files[i].sha256);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

void report_esc(FILE *out, const char *s)
{
    html_text(out, s);
}

int report_write(FILE *out, Eval *ev, const Program *p, const FactData *f, const char *extra_html)
{
    ExplUnit **units = GC_MALLOC(sizeof(ExplUnit *) * (size_t)(p->units->n + 1));
    for (int u = 0; u < p->units->n; u++)
        if (!(units[u] = explain_unit(ev, p, f, u))) return eval_failed_on_facts(ev) ? EXIT_FACTS : EXIT_EVAL;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    html_text(out, p->title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
    html_text(out, p->title);
    fputs("</h1>\n", out);
    if (p->source) { fputs("<p>依据：", out); html_text(out, p->source); fputs("</p>\n", out); }
    overview(out, p, units, ev);
    if (extra_html) fputs(extra_html, out);
    assumptions(out, p);
    for (int u = 0; u < p->units->n; u++) unit_section(out, p, units[u]);
    provenance_block(out, provenance_of(p, f));
    fputs("</body>\n</html>\n", out);
    return EXIT_OK;
}
