/*
** check_bands.c — `kaohe check` on a grade's bands: on the grid of the
** graded value's decimal places (its rounding), the values no band takes
** (gaps), the values two bands take (overlaps), and bands the value can
** never reach (absint.c). Each finding is a diagnostic at the band.
*/
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

/* ---- grade bands ------------------------------------------------------------------ */

/* The line cut at every band end into atoms: points and the open stretches
** between them. Each atom is in or out of each band as a whole. */
typedef struct Atom {
    bool point;
    bool lo_inf, hi_inf;     /* for a stretch */
    Num lo, hi;              /* a point has lo == hi */
    int owner;               /* the first band that takes it, or -1 */
    bool explicit_;          /* an explicit band (not otherwise) takes it */
    bool in_domain;          /* the graded value can be here */
} Atom;

typedef struct Band {
    const char *name;
    Loc loc;
    int kind;                /* 0 >=, 1 >, 2 range, 3 otherwise */
    Num a, b;
} Band;

static bool band_has(const Band *bd, const Atom *at)
{
    switch (bd->kind) {
    case 0: return !at->lo_inf && num_cmp(at->lo, bd->a) >= 0;
    case 1: return !at->lo_inf && (at->point ? num_cmp(at->lo, bd->a) > 0 : num_cmp(at->lo, bd->a) >= 0);
    case 2: return !at->lo_inf && !at->hi_inf && num_cmp(at->lo, bd->a) >= 0 && num_cmp(at->hi, bd->b) <= 0;
    default: return true;
    }
}

/* One step of the grid 10^-places: 0.01 for 2 places. */
static Num grid_step(int places)
{
    Num unit = num_int(1);
    for (int i = 0; i < places; i++) num_div(unit, num_int(10), &unit);
    return unit;
}

/* The smallest value of the grid (10^-places; places < 0: every number)
** in an atom, or false if it holds none. A stretch with no lower end gives
** some value below its upper end. */
static bool first_in(const Atom *at, int places, Num *out)
{
    if (at->point) {
        *out = at->lo;
        return places < 0 || num_eq(num_round(at->lo, places, ROUND_DOWN), at->lo);
    }
    if (at->lo_inf) {
        *out = at->hi_inf ? num_int(0) : num_sub(at->hi, num_int(1));
        return true;
    }
    if (places < 0) {
        if (at->hi_inf) *out = num_add(at->lo, num_int(1));
        else num_div(num_add(at->lo, at->hi), num_int(2), out);
        return true;
    }
    Num c = num_round(at->lo, places, ROUND_CEILING);
    if (num_eq(c, at->lo)) c = num_add(c, grid_step(places));
    *out = c;
    return at->hi_inf || num_cmp(c, at->hi) < 0;
}

/* The largest grid value in a stretch with an upper end. */
static bool last_in(const Atom *at, int places, Num *out)
{
    if (at->point || places < 0 || at->hi_inf) return first_in(at, places, out);
    Num f = num_round(at->hi, places, ROUND_FLOOR);
    if (num_eq(f, at->hi)) f = num_sub(f, grid_step(places));
    *out = f;
    return at->lo_inf || num_cmp(f, at->lo) > 0;
}

static int cmp_num(const void *x, const void *y)
{
    return num_cmp(*(const Num *)x, *(const Num *)y);
}

/* "89.01 to 89.99", "values below 70", "the values between 89 and 90" */
static const char *span_text(const Atom *from, const Atom *to, int places)
{
    char *s = GC_MALLOC_ATOMIC(256);
    Num a, b;
    if (from->lo_inf && !from->point) {
        bool incl = to->point;
        snprintf(s, 256, "values %s %s", incl ? "up to" : "below", fmt_num(to->point ? to->lo : to->hi));
        return s;
    }
    if (to->hi_inf && !to->point) {
        snprintf(s, 256, "values %s %s", from->point ? "from" : "above", fmt_num(from->lo));
        return s;
    }
    if (places < 0) {
        snprintf(s, 256, "the values %s %s and %s %s", from->point ? "from" : "above", fmt_num(from->lo),
                 to->point ? "up to" : "below", fmt_num(to->point ? to->lo : to->hi));
        return s;
    }
    first_in(from, places, &a);
    last_in(to, places, &b);
    if (num_eq(a, b)) snprintf(s, 256, "%s", num_format_fixed(a, places));
    else snprintf(s, 256, "%s to %s", num_format_fixed(a, places), num_format_fixed(b, places));
    return s;
}

/* Whether the stretch of atoms owned by band b around atom i reaches the
** band's own threshold (a >= or > band's values start there). */
static bool stretch_has_threshold(const Atom *at, int na, int i, int b, const Band *bd)
{
    int lo = i, hi = i;
    while (lo > 0 && (at[lo - 1].owner == b || !at[lo - 1].in_domain)) lo--;
    while (hi + 1 < na && (at[hi + 1].owner == b || !at[hi + 1].in_domain)) hi++;
    for (int x = lo; x <= hi; x++) {
        if (at[x].owner != b) continue;
        if (at[x].point && num_eq(at[x].lo, bd->a)) return true;
        if (!at[x].point && !at[x].lo_inf && num_eq(at[x].lo, bd->a)) return true;
    }
    return false;
}

/* What a grade is decided on, and how fine its values are: a result
** rounded by round(…, n, …) or a period of rounded items has n places. */
static AV grade_domain(Checker *k, Decl *g, int *places, const char **what)
{
    Sym *s = sym_find(&k->c->names, g->key);
    *places = -1;
    *what = g->key;
    AEnv env = { -1, NULL };
    if (!s) return av_unknown();
    if (s->kind == SYM_PERIOD) {
        if (k->p->round_items) *places = k->p->round_places;
        return ai_period_score(&k->ai);
    }
    if (s->kind == SYM_RESULT) {
        Decl *d = k->c->result_decls.items[s->index];
        Expr *v = d->value;
        int64_t n;
        if (v->kind == E_CALL && strcmp(v->name, "round") == 0 && v->args.n == 3 &&
            ((Expr *)v->args.items[1])->kind == E_NUM && num_to_int64(((Expr *)v->args.items[1])->num, &n) &&
            n >= 0 && n <= 18)
            *places = (int)n;
        return ai_eval(&k->ai, &env, v);
    }
    if (s->kind == SYM_PARAM) return ai_eval(&k->ai, &env, ((Decl *)k->c->param_decls.items[s->index])->value);
    return av_unknown();
}

void check_grade(Checker *k, Decl *g)
{
    int nb = g->names.n;
    if (nb == 0) return;
    Band *bands = GC_MALLOC(sizeof(Band) * (size_t)nb);
    AEnv env = { -1, NULL };
    Num *ends = GC_MALLOC(sizeof(Num) * (size_t)(2 * nb + 3));
    int ne = 0;
    int otherwise = -1;
    for (int i = 0; i < nb; i++) {
        Band *bd = &bands[i];
        bd->name = g->names.items[i];
        Expr *th = g->exprs.items[i];
        /* a band a what-if changed is said at the value given (--set 等次.良好=95) */
        bd->loc = th && th->want_of ? th->loc : *(Loc *)g->name_locs.items[i];
        BinOp op = (BinOp)(intptr_t)g->ops.items[i];
        if (!th) { bd->kind = 3; if (otherwise < 0) otherwise = i; continue; }
        bd->kind = op == OP_B_LE ? 2 : op == OP_B_GT ? 1 : 0;
        AV a = ai_eval(&k->ai, &env, op == OP_B_LE ? th->a : th);
        if (!av_point(a, &bd->a)) return;          /* thresholds that are not fixed numbers */
        ends[ne++] = bd->a;
        if (op == OP_B_LE) {
            AV b = ai_eval(&k->ai, &env, th->b);
            if (!av_point(b, &bd->b)) return;
            ends[ne++] = bd->b;
            if (num_cmp(bd->b, bd->a) < 0) {
                diag_at(DIAG_ERROR, th->loc, "write the lower end first, e.g. 良好 80..89",
                        "band %s is empty: %s is above %s", bd->name, fmt_num(bd->a), fmt_num(bd->b));
                return;
            }
        }
    }
    int places;
    const char *what;
    AV dom = grade_domain(k, g, &places, &what);
    if (dom.t != T_NUM || dom.poisoned) dom = av_unknown(), dom.t = T_NUM;
    if (!dom.lo_inf) ends[ne++] = dom.lo;
    if (!dom.hi_inf) ends[ne++] = dom.hi;
    qsort(ends, (size_t)ne, sizeof(Num), cmp_num);
    int nu = 0;
    for (int i = 0; i < ne; i++)
        if (nu == 0 || !num_eq(ends[nu - 1], ends[i])) ends[nu++] = ends[i];
    /* atoms: (-inf, e0) {e0} (e0, e1) {e1} … {e_last} (e_last, inf) */
    int na = 2 * nu + 1;
    Atom *at = GC_MALLOC(sizeof(Atom) * (size_t)na);
    for (int i = 0; i < na; i++) {
        Atom *x = &at[i];
        if (i % 2) { x->point = true; x->lo = x->hi = ends[i / 2]; }
        else {
            x->lo_inf = i == 0;
            x->hi_inf = i == na - 1;
            if (!x->lo_inf) x->lo = ends[i / 2 - 1];
            if (!x->hi_inf) x->hi = ends[i / 2];
        }
        Num probe;
        bool has = first_in(x, places, &probe);
        bool lo_ok = dom.lo_inf || (!x->lo_inf && num_cmp(x->lo, dom.lo) >= 0);
        bool hi_ok = dom.hi_inf || (!x->hi_inf && num_cmp(x->hi, dom.hi) <= 0);
        x->in_domain = has && lo_ok && hi_ok;
        x->owner = -1;
        for (int b = 0; b < nb && x->owner < 0; b++)
            if (band_has(&bands[b], x)) x->owner = b;
        for (int b = 0; b < nb; b++)
            if (bands[b].kind != 3 && band_has(&bands[b], x)) x->explicit_ = true;
    }
    /* a band no value reaches */
    for (int b = 0; b < nb; b++) {
        bool owns = false;
        for (int i = 0; i < na && !owns; i++) owns = at[i].in_domain && at[i].owner == b;
        if (!owns && bands[b].kind != 3)
            diag_at(DIAG_ERROR, bands[b].loc, "bands are tried from the top; the first that holds wins",
                    "band %s of grade %s can never be given: the bands before it take all its values",
                    bands[b].name, g->name);
    }
    /* overlaps of written ranges */
    for (int b = 0; b < nb; b++) {
        if (bands[b].kind != 2) continue;
        for (int i = 0; i < na; i++) {
            if (!at[i].in_domain || at[i].owner < 0 || at[i].owner == b || !band_has(&bands[b], &at[i])) continue;
            Num v;
            first_in(&at[i], places, &v);
            char hint[256];
            snprintf(hint, sizeof hint, "%s, listed first, gets it; make the ranges meet without overlapping",
                     bands[at[i].owner].name);
            diag_at(DIAG_WARNING, bands[b].loc, hint, "%s fits both band %s and band %s", fmt_num(v),
                    bands[at[i].owner].name, bands[b].name);
            break;
        }
    }
    /* stretches no written band covers, and stretches a threshold band
    ** takes only because the bands above it leave them (良好 80..89 before
    ** 合格 >= 70: 89.5 is 合格) */
    for (int i = 0; i < na;) {
        int own = at[i].owner;
        bool stray = at[i].in_domain && (!at[i].explicit_ || (own >= 0 && bands[own].kind <= 1 &&
                                                              !stretch_has_threshold(at, na, i, own, &bands[own])));
        if (!stray) { i++; continue; }
        int j = i;
        while (j + 1 < na && at[j + 1].owner == own &&
               (!at[j + 1].explicit_ || !stretch_has_threshold(at, na, j + 1, own, &bands[own])))
            j++;
        while (j > i && !at[j].in_domain) j--;
        int below = -1, above = -1;
        for (int x = i - 1; x >= 0 && below < 0; x--) if (at[x].in_domain && at[x].owner != own) below = at[x].owner;
        for (int x = j + 1; x < na && above < 0; x++) if (at[x].in_domain && at[x].owner != own) above = at[x].owner;
        const char *span = span_text(&at[i], &at[j], places);
        char hint[512];
        if (below < 0 || above < 0) {
            snprintf(hint, sizeof hint, "add a band for them, e.g. a last band such as: 不合格 otherwise");
        } else if (places >= 0 && !at[i].lo_inf && !at[j].hi_inf) {
            Num a, b2, mid;
            first_in(&at[i], places, &a);
            last_in(&at[j], places, &b2);
            num_div(num_add(a, b2), num_int(2), &mid);
            snprintf(hint, sizeof hint,
                     "%s has %d decimal place%s, so a unit can score %s; make the bands meet, e.g. with >= thresholds",
                     what, places, places == 1 ? "" : "s",
                     num_format_fixed(num_round(mid, places, ROUND_HALF_UP), places));
        } else {
            snprintf(hint, sizeof hint, "make the bands meet, e.g. with >= thresholds, or end with a band 'otherwise'");
        }
        Loc at_band = below >= 0 ? bands[below].loc : g->name_loc;
        if (own < 0)
            diag_at(DIAG_ERROR, at_band, hint, "no band of grade %s covers %s", g->name, span);
        else if (below >= 0 && above >= 0)
            diag_at(DIAG_ERROR, at_band, hint, "no band of grade %s is written for %s, between %s and %s; they get %s",
                    g->name, span, bands[below].name, bands[above].name, bands[own].name);
        i = j + 1;
    }
}
