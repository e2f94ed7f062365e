/*
** value.h — the values rules compute with: a tagged union (not NaN boxing:
** the GC must see every pointer). The type checker guarantees what each
** opcode receives, so the VM reads the field it needs without testing tags.
*/
#ifndef KAOHE_VALUE_H
#define KAOHE_VALUE_H

#include <stdbool.h>
#include <string.h>

#include "num.h"

typedef enum ValueTag { V_NONE, V_NUM, V_BOOL, V_ENUM, V_TEXT, V_LIST } ValueTag;

/* A list of numbers: what `item 8 of units where ...` produces. The units
** are kept so explanations can name whom a mean was taken over. */
typedef struct NumList {
    int n;
    Num *items;
    int *units;
    /* A cohort list is shared by every unit of a period; its sum is taken
    ** once, not once per reader (which made scoring quadratic in units). */
    bool summed;
    Num sum;
    /* For ranks, taken once too: the values best first, and without repeats
    ** (dense ranks); NULL until a rank reads the list. */
    Num *desc, *distinct;
    int ndistinct;
} NumList;

typedef struct Value {
    ValueTag tag;
    union {
        Num num;
        bool b;
        int e;              /* enum member index */
        const char *s;
        NumList *list;
    } as;
} Value;

static inline Value val_num(Num n) { Value v; v.tag = V_NUM; v.as.num = n; return v; }
static inline Value val_bool(bool b) { Value v; v.tag = V_BOOL; v.as.b = b; return v; }
static inline Value val_enum(int e) { Value v; v.tag = V_ENUM; v.as.e = e; return v; }
static inline Value val_text(const char *s) { Value v; v.tag = V_TEXT; v.as.s = s; return v; }

/* Two values of one type are equal (the type checker has made sure they
** are of one type): numbers exactly, texts by their bytes. */
static inline bool val_equal(Value a, Value b)
{
    switch (a.tag) {
    case V_NUM: return num_eq(a.as.num, b.as.num);
    case V_BOOL: return a.as.b == b.as.b;
    case V_ENUM: return a.as.e == b.as.e;
    case V_TEXT: return strcmp(a.as.s, b.as.s) == 0;
    default: return false;
    }
}

#endif
