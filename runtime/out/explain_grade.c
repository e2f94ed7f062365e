/*
** explain_grade.c — what decided a grade besides its bands: 一票否决 (each
** veto of a grade or an outcome that fired, with its condition, clause and
** citation, shown before anything else) and a grade's quota (the unit's
** place among the units that reached the band, and the number of places:
** "第4名，超出30%名额（3个），定为良好"). Found once per explained unit by
** running the veto conditions for it and asking the VM how the quota
** placed it; written as text and JSON here, as HTML by report.c.
*/
#include <gc.h>
#include <string.h>

#include "escape.h"
#include "explain.h"

/* A value as shown: a band's name, a number with two places, yes/no. */
static const char *shown(const Program *p, Value v, int enum_id)
{
    switch (v.tag) {
    case V_NUM: return num_format_fixed(v.as.num, 2);
    case V_BOOL: return v.as.b ? "是" : "否";
    case V_ENUM: return enum_id >= 0 ? p->enums[enum_id].members[v.as.e] : "";
    case V_TEXT: return v.as.s;
    default: return "";
    }
}

static void add_veto(ExplUnit *u, ExplVeto v)
{
    ExplVeto *n = GC_MALLOC(sizeof(ExplVeto) * (size_t)(u->nvetoes + 1));
    if (u->nvetoes) memcpy(n, u->vetoes, sizeof(ExplVeto) * (size_t)u->nvetoes);
    n[u->nvetoes++] = v;
    u->vetoes = n;
}

/* The first veto of value def that fires for the unit, or -1. */
static int fired(Eval *ev, const ValueDef *def, int unit)
{
    for (int k = 0; k < def->nvetoes; k++) {
        Value b;
        if (def->vetoes[k].cond && eval_for_unit(ev, unit, def->vetoes[k].cond, &b) && b.as.b) return k;
    }
    return -1;
}

static void find_vetoes(Eval *ev, const Program *p, ExplUnit *u)
{
    for (int kind = 0; kind < 2; kind++) {
        const ValueDef *defs = kind == 0 ? p->grades : p->outcomes;
        int n = kind == 0 ? p->ngrades : p->noutcomes;
        for (int i = 0; i < n; i++) {
            int k = fired(ev, &defs[i], u->unit);
            if (k < 0) continue;
            const VetoDef *vd = &defs[i].vetoes[k];
            Value v = kind == 0 ? u->scores->grades[i] : u->scores->outcomes[i];
            add_veto(u, (ExplVeto){ .grade = kind == 0, .index = i, .def = vd, .name = defs[i].name,
                                    .value = shown(p, v, defs[i].enum_id), .cond = diag_span_text(vd->cond_loc),
                                    .clause = vd->at ? vd->at->clause : NULL, .cite = vd->at ? vd->at->cite : NULL });
            if (kind == 0 && i == 0) u->vetoed = true;
        }
    }
}

/* 30% of 0.3; a share that is no whole percent stays exact (1/3). */
static const char *percent_text(Num share)
{
    Num pc = num_mul(share, num_int(100));
    return gc_printf("%s%%", num_to_string(pc));
}

static void find_quota(Eval *ev, const Program *p, ExplUnit *u)
{
    if (!p->ngrades || !p->grades[0].has_quota || u->vetoed) return;
    const ValueDef *g = &p->grades[0];
    QuotaInfo q;
    if (!eval_quota_info(ev, 0, u->unit, &q) || q.band < 0) return;
    const QuotaDef *qd = g->bands[q.band].quota;
    Value share;
    if (!eval_for_unit(ev, u->unit, qd->share, &share)) return;
    const char **members = p->enums[g->enum_id].members;
    u->has_quota = true;
    u->quota = q;
    u->quota_band = members[g->bands[q.band].member];
    u->quota_share = percent_text(share.as.num);
    const char *by = "";
    for (int k = 0; k < qd->nkeys; k++) by = gc_printf("%s%s%s", by, k ? "、" : "", qd->key_names[k]);
    u->quota_by = gc_printf("%s、单位顺序", by);
    const char *band_now = members[u->scores->grades[0].as.e];
    u->quota_text = q.kept ? gc_printf("第%d名，在%s名额（%d个）内", q.rank, u->quota_share, q.places)
                           : gc_printf("第%d名，超出%s名额（%d个），定为%s", q.rank, u->quota_share, q.places, band_now);
}

void explain_grade_facts(Eval *ev, const Program *p, ExplUnit *u)
{
    find_vetoes(ev, p, u);
    find_quota(ev, p, u);
}

void explain_grade_text(FILE *out, const Program *p, const ExplUnit *u)
{
    (void)p;
    for (int i = 0; i < u->nvetoes; i++) {
        const ExplVeto *v = &u->vetoes[i];
        fprintf(out, "  一票否决：%s %s%s    （%s）\n", v->name, v->grade ? "定为 " : "为 ", v->value, v->cond);
        if (v->clause || v->cite) {
            fputs("      ", out);
            if (v->clause) fprintf(out, "“%s”", v->clause);
            if (v->cite) fprintf(out, "%s〔%s〕", v->clause ? "  " : "", v->cite);
            fputs("\n", out);
        }
    }
    if (u->has_quota)
        fprintf(out, "  %s名额：达到%s的%d个单位按%s排名，%s\n", u->quota_band, u->quota_band,
                u->quota.competitors, u->quota_by, u->quota_text);
}

void explain_grade_json(FILE *out, const Program *p, const ExplUnit *u)
{
    (void)p;
    if (u->nvetoes) {
        fputs(",\n   \"vetoes\": [", out);
        for (int i = 0; i < u->nvetoes; i++) {
            const ExplVeto *v = &u->vetoes[i];
            fputs(i ? ", {\"of\": " : "{\"of\": ", out);
            json_string(out, v->name);
            fputs(", \"value\": ", out);
            json_string(out, v->value);
            fputs(", \"condition\": ", out);
            json_string(out, v->cond ? v->cond : "");
            if (v->clause) { fputs(", \"clause\": ", out); json_string(out, v->clause); }
            if (v->cite) { fputs(", \"cite\": ", out); json_string(out, v->cite); }
            fputs("}", out);
        }
        fputs("]", out);
    }
    if (u->has_quota) {
        fputs(",\n   \"quota\": {\"band\": ", out);
        json_string(out, u->quota_band);
        fputs(", \"share\": ", out);
        json_string(out, u->quota_share);
        fprintf(out, ", \"places\": %d, \"rank\": %d, \"competitors\": %d, \"kept\": %s, \"text\": ", u->quota.places,
                u->quota.rank, u->quota.competitors, u->quota.kept ? "true" : "false");
        json_string(out, u->quota_text);
        fputs("}", out);
    }
}
