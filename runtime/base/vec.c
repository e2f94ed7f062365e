/*
** vec.c — the growable pointer array (vec.h): doubles when full, so n pushes
** cost O(n) copies in all.
*/
#include <gc.h>
#include <string.h>

#include "vec.h"

void vec_push(PtrVec *v, void *item)
{
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 8;
        void **items = GC_MALLOC(sizeof(void *) * (size_t)cap);
        if (v->n) memcpy(items, v->items, sizeof(void *) * (size_t)v->n);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = item;
}
