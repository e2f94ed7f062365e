/*
** compile_points.c — an item's points by a unit attribute: `item 3 "就业困难
** 人员就业" points by 类型 { 乡镇: 10, 街道: 6 } { … }`. Each unit's points
** are found once, when the unit list is loaded (a unit whose attribute has
** no entry is an error naming it), and kept in ItemDef.unit_points for the
** clamp and every output; the item's start (its points, without `from`) is
** a chain of comparisons of the attribute.
*/
#include <gc.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

/* The entry of value among the item's keys, or -1. */
static int points_entry(const ItemDecl *d, const char *value)
{
    for (int k = 0; k < d->points_keys.n; k++)
        if (strcmp(d->points_keys.items[k], value) == 0) return k;
    return -1;
}

/* unit_points for every unit; false after an error. */
static bool unit_points(Compiler *c, ItemDef *item, ItemDecl *d, int attr)
{
    const Units *u = c->p->units;
    Num *pts = GC_MALLOC(sizeof(Num) * (size_t)(u->n + 1));
    bool ok = true;
    for (int i = 0; i < u->n; i++) {
        const char *v = u->attr_values[(size_t)i * (size_t)u->nattrs + (size_t)attr];
        int k = points_entry(d, v);
        if (k >= 0) {
            pts[i] = ((Expr *)d->points_vals.items[k])->num;
            continue;
        }
        char hint[512];
        size_t len = (size_t)snprintf(hint, sizeof hint, "give the points for '%s' too, or fix %s in %s; listed:",
                                      v, d->points_by, u->path);
        for (int j = 0; j < d->points_keys.n && len < sizeof hint - 64; j++)
            len += (size_t)snprintf(hint + len, sizeof hint - len, "%s %s", j ? "," : "",
                                    (const char *)d->points_keys.items[j]);
        fail(c, d->points_by_loc, hint, "unit %s has %s '%s', which item %s gives no points", u->names[i],
             d->points_by, v, item->id);
        ok = false;
    }
    item->unit_points = ok ? pts : NULL;
    return ok;
}

void compile_points_by(Compiler *c, Fn *fn, ItemDef *item, ItemDecl *d)
{
    const Units *u = c->p->units;
    int attr = units_attr_index(u, d->points_by);
    if (attr < 0) {
        const char *s = sym_suggest(d->points_by, u->attr_names, (size_t)u->nattrs);
        char hint[256];
        if (s) snprintf(hint, sizeof hint, "did you mean '%s'?", s);
        else snprintf(hint, sizeof hint, "the unit list %s has no such column", u->path);
        fail(c, d->points_by_loc, hint, "units have no attribute '%s'", d->points_by);
        return;
    }
    item->points_attr = attr;
    if (!unit_points(c, item, d, attr) || d->from) return;
    /* the start: 乡镇 → 10, 街道 → 6 … by the unit's attribute; the last
    ** entry needs no test, every unit having one of them */
    int n = d->points_keys.n;
    uint32_t *ends = GC_MALLOC_ATOMIC(sizeof(uint32_t) * (size_t)(n + 1));
    for (int k = 0; k < n; k++) {
        Loc kl = *(Loc *)d->points_key_locs.items[k];
        Num v = ((Expr *)d->points_vals.items[k])->num;
        if (k == n - 1) {
            emit_const(c, fn, val_num(v), kl);
            break;
        }
        emit_a(fn, OP_UNIT_ATTR, attr, kl);
        emit_const(c, fn, val_text(d->points_keys.items[k]), kl);
        emit(fn, OP_EQ, kl);
        uint32_t next = emit_jump(fn, OP_JUMP_IF_FALSE, kl);
        emit_const(c, fn, val_num(v), kl);
        ends[k] = emit_jump(fn, OP_JUMP, kl);
        patch_jump(c, fn, next, kl);
        fn->depth--;            /* the next entry starts where this one did */
    }
    for (int k = 0; k < n - 1; k++) patch_jump(c, fn, ends[k], d->points_by_loc);
}
