/*
** vm_quota.h — the pass over all units before any is graded, included once
** by vm.c: the lists of units read in results (unit_cohorts_all), then
** grade quotas: `优秀 >= 90 at most 30%
** by 综合得分, ties by 完成率, then unit order`. A unit's grade then depends
** on every other unit's, so before any unit is graded one pass scores every
** unit alone (run_plain, no batch, no trace) and runs the grade's chunk
** without quotas (ValueDef.raw: vetoes and bands), its keys and its band
** thresholds. Band by band, best first, the units a band with a quota
** holds are ranked (keys higher first, then unit order); the first
** share × (assessed units), rounded as the quota says (down unless
** written), keep it; the others take the next band whose lower end they
** reach. A vetoed unit is never ranked. The grade's own chunk then reads
** the result (OP_QUOTA_GRADE), in the batch and the one-unit loop alike.
** The pass is made again after anything that can change a score (a param,
** eval_reset), so sweeps and what-ifs regrade every unit.
*/

/* One unit as the pass sees it. */
typedef struct QuotaUnit {
    int unit;
    int band;               /* the band it holds now (a member index = band index) */
    Value *keys;            /* [nkeys of the quota being ranked] */
} QuotaUnit;

static const QuotaDef *quota_ranking;   /* for quota_cmp (qsort has no context) */

static int quota_cmp(const void *x, const void *y)
{
    const QuotaUnit *a = x, *b = y;
    for (int k = 0; k < quota_ranking->nkeys; k++) {
        int c = num_cmp(b->keys[k].as.num, a->keys[k].as.num);   /* higher first */
        if (c) return c;
    }
    return a->unit - b->unit;   /* then unit order */
}

/* Scores unit u's periods and forgets its results, so that a chunk of the
** grade run next reads this unit's values. */
static void quota_score(Eval *ev, int u, UnitScores *scratch)
{
    const Program *p = ev->p;
    ev->unit = u;
    ev->scoring_unit = u;
    ev->steps_left = EVAL_MAX_STEPS;      /* each unit's work is its own */
    frame_set_reset(p, ev->frames, u);
    for (int per = 0; per < p->nperiods; per++) score_period(ev, u, per, scratch);
    ev->scoring_period = -1;
    memset(ev->result_state, 0, (size_t)p->nresults + 1);
    memset(ev->grade_state, 0, (size_t)p->ngrades + 1);
    memset(ev->outcome_state, 0, (size_t)p->noutcomes + 1);
}

/* The first band after b whose lower end the unit's key reaches. */
static int quota_next_band(Eval *ev, const ValueDef *g, int b, const Num *th, const bool *has_th, Num key,
                           int u)
{
    for (int c = b + 1; c < g->nbands; c++) {
        if (!has_th[c]) return c;      /* otherwise */
        int cmp = num_cmp(key, th[c]);
        if (g->bands[c].strict ? cmp > 0 : cmp >= 0) return c;
    }
    vm_error_decl(ev, g->loc, "add a last band such as: 不合格 otherwise",
                  "%s falls out of its band's quota but fits no band below it of grade '%s'", ev->p->units->names[u],
                  g->name);
}

/* The pass for grade gi: every unit's final band and how the quota placed it. */
static void quota_grade_all(Eval *ev, int gi, UnitScores *scratch)
{
    const Program *p = ev->p;
    const ValueDef *g = &p->grades[gi];
    int nu = p->units->n, nb = g->nbands;
    int *final = ev->quota_final + (size_t)gi * (size_t)nu;
    QuotaInfo *info = ev->quota_info + (size_t)gi * (size_t)nu;
    Num *key = GC_MALLOC(sizeof(Num) * (size_t)nu);
    Num *th = GC_MALLOC(sizeof(Num) * (size_t)nu * (size_t)nb);
    bool *has_th = GC_MALLOC_ATOMIC((size_t)nu * (size_t)nb);
    Value **qkeys = GC_MALLOC(sizeof(Value *) * (size_t)nu * (size_t)nb);
    Num share[64];
    for (int u = 0; u < nu; u++) {
        quota_score(ev, u, scratch);
        info[u] = (QuotaInfo){ .band = -1, .vetoed = -1 };
        for (int b = 0; u == 0 && b < nb && b < 64; b++)   /* the share of the units: read once */
            if (g->bands[b].quota) share[b] = run_plain(ev, g->bands[b].quota->share, NULL, NULL).as.num;
        for (int v = 0; v < g->nvetoes; v++)
            if (info[u].vetoed < 0 && g->vetoes[v].cond && run_plain(ev, g->vetoes[v].cond, NULL, NULL).as.b)
                info[u].vetoed = v;
        final[u] = run_plain(ev, g->raw, NULL, NULL).as.e;
        if (info[u].vetoed >= 0) continue;
        key[u] = run_plain(ev, g->key, NULL, NULL).as.num;
        for (int b = 0; b < nb; b++) {
            const GradeBand *band = &g->bands[b];
            size_t at = (size_t)u * (size_t)nb + (size_t)b;
            has_th[at] = band->threshold != NULL;
            if (band->threshold) th[at] = run_plain(ev, band->threshold, NULL, NULL).as.num;
            const QuotaDef *q = band->quota;
            if (!q) continue;
            qkeys[at] = GC_MALLOC(sizeof(Value) * (size_t)q->nkeys);
            for (int k = 0; k < q->nkeys; k++) qkeys[at][k] = run_plain(ev, q->keys[k], NULL, NULL);
        }
    }
    ev->scoring_unit = -1;
    QuotaUnit *cands = GC_MALLOC(sizeof(QuotaUnit) * (size_t)(nu + 1));
    for (int b = 0; b < nb && b < 64; b++) {
        const QuotaDef *q = g->bands[b].quota;
        if (!q) continue;
        int n = 0;
        for (int u = 0; u < nu; u++)
            if (info[u].vetoed < 0 && final[u] == b)
                cands[n++] = (QuotaUnit){ u, b, qkeys[(size_t)u * (size_t)nb + (size_t)b] };
        quota_ranking = q;
        qsort(cands, (size_t)n, sizeof *cands, quota_cmp);
        Num places = num_round(num_mul(share[b], num_int(nu)), 0, q->mode);
        int64_t k = 0;
        if (num_sign(places) > 0) k = num_cmp(places, num_int(nu)) > 0 || !num_to_int64(places, &k) ? nu : k;
        if (k > 0 && k < n && !q->unit_order && quota_cmp(&cands[k - 1], &cands[k]) == cands[k - 1].unit - cands[k].unit)
            /* the keys leave a tie across the last place: the notice must say who keeps it */
            vm_error_decl(ev, q->loc, "add a tie rule the notice gives: ties by 完成率, or then unit order (单位名单顺序)",
                          "%s and %s tie on every key of the %s quota for its last place (%lld for %d units): "
                          "the rubric does not say which keeps it",
                          p->units->names[cands[k - 1].unit], p->units->names[cands[k].unit],
                          p->enums[g->enum_id].members[b], (long long)k, nu);
        for (int r = 0; r < n; r++) {
            int u = cands[r].unit;
            info[u].band = b;
            info[u].rank = r + 1;
            info[u].places = (int)k;
            info[u].competitors = n;
            info[u].kept = r < k;
            if (r >= k)
                final[u] = quota_next_band(ev, g, b, th + (size_t)u * (size_t)nb, has_th + (size_t)u * (size_t)nb,
                                           key[u], u);
        }
    }
}

/* The lists read in results, grades and outcomes (综合得分 of units,
** rank(综合得分 among units, ties best)): each made once for the run, in the
** order the compiler found, by scoring every unit and running the list's
** condition and value for it. */
static void unit_cohorts_all(Eval *ev, UnitScores *scratch)
{
    const Program *p = ev->p;
    int nu = p->units->n;
    for (int o = 0; o < p->nunit_cohorts; o++) {
        int k = p->unit_cohort_order[o];
        const CohortDef *cd = &p->cohorts[k];
        NumList *l = GC_NEW(NumList);
        l->items = GC_MALLOC(sizeof(Num) * (size_t)nu + 1);
        l->units = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)nu + 1);
        for (int u = 0; u < nu; u++) {
            quota_score(ev, u, scratch);
            if (cd->cond && !run_plain(ev, cd->cond, NULL, NULL).as.b) continue;
            l->items[l->n] = run_plain(ev, cd->value, NULL, NULL).as.num;
            l->units[l->n++] = u;
        }
        size_t at = (size_t)k * (size_t)p->nperiods;
        ev->cohort_lists[at] = l;
        ev->cohort_state[at] = MEMO_DONE;
    }
    ev->scoring_unit = -1;
}

/* The pass itself, under its own error exit; false after a runtime error. */
static bool quota_pass(Eval *ev)
{
    const Program *p = ev->p;
    jmp_buf jb;
    ev->on_error = &jb;
    ev->sp = 0;
    memset(ev->quota_state, MEMO_TODO, (size_t)p->ngrades + 1);
    if (setjmp(jb)) {
        eval_end();
        return false;
    }
    eval_begin(ev);
    UnitScores *scratch = eval_scores_new(p);
    unit_cohorts_all(ev, scratch);      /* first: a quota's keys may read them */
    for (int i = 0; i < p->ngrades; i++) {
        if (!p->grades[i].has_quota) continue;
        ev->quota_state[i] = MEMO_BUSY;
        quota_grade_all(ev, i, scratch);
        ev->quota_state[i] = MEMO_DONE;
    }
    eval_end();
    return true;
}

/* Makes the pass if the rubric has quotas and it is not made yet; false
** after a runtime error (printed). */
static bool quota_ensure(Eval *ev)
{
    const Program *p = ev->p;
    if (ev->quota_ready) return true;
    bool any = p->nunit_cohorts > 0;
    for (int i = 0; i < p->ngrades; i++) any |= p->grades[i].has_quota;
    if (!any) {
        ev->quota_ready = true;
        return true;
    }
    RunFn saved_run = ev->run;
    UnitTrace *saved_trace = ev->trace;
    const uint8_t *saved_only = ev->only_items;
    ev->run = run_plain;
    ev->trace = NULL;
    ev->only_items = NULL;
    bool ok = quota_pass(ev);
    ev->scoring_unit = -1;
    ev->scoring_period = -1;
    ev->unit = -1;
    ev->run = saved_run;
    ev->trace = saved_trace;
    ev->only_items = saved_only;
    ev->quota_ready = ok;
    return ok;
}

/* OP_QUOTA_GRADE in the one-unit loop. */
static Value quota_grade(Eval *ev, int g, int unit, At at)
{
    if (ev->quota_state[g] != MEMO_DONE)
        vm_error(ev, at, "a quota ranks units by values that must not depend on the grade itself",
                 "the quota of grade '%s' depends on the grade itself", ev->p->grades[g].name);
    return val_enum(ev->quota_final[(size_t)g * (size_t)ev->p->units->n + (size_t)unit]);
}

/* OP_QUOTA_GRADE for lanes: the grades of every unit, or NULL while the
** pass is being made (run_plain then says why). */
static const int *quota_lanes(Eval *ev, int g)
{
    if (ev->quota_state[g] != MEMO_DONE) return NULL;
    return ev->quota_final + (size_t)g * (size_t)ev->p->units->n;
}

bool eval_quota_info(Eval *ev, int grade, int unit, QuotaInfo *out)
{
    const Program *p = ev->p;
    if (!p->grades[grade].has_quota || !quota_ensure(ev) || ev->quota_state[grade] != MEMO_DONE) return false;
    *out = ev->quota_info[(size_t)grade * (size_t)p->units->n + (size_t)unit];
    return true;
}
