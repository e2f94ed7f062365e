/*
** vec.h — a growable array of pointers in the GC heap, the one list type of
** the tree, the compiler and the outputs. Never freed by hand.
*/
#ifndef KAOHE_VEC_H
#define KAOHE_VEC_H

/* A growable array of pointers in the GC heap. */
typedef struct PtrVec {
    void **items;
    int n, cap;
} PtrVec;
void vec_push(PtrVec *v, void *item);

#endif
