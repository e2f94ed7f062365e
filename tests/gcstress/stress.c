/*
** stress.c — the GC-stress build (`make gcstress`): linked with
** -Wl,--wrap for each allocation function of the collector, so every
** allocation kaohe makes comes here first and the collector runs a full
** collection every KAOHE_GC_EVERY allocations (default 1: every one). A
** pointer kept only where the collector cannot see it (malloc'd memory,
** an atomic block, a disguised word) then dangles at once, and the run
** gives a wrong answer or crashes instead of passing by luck.
*/
#include <stddef.h>
#include <stdlib.h>

void *__real_GC_malloc(size_t n);
void *__real_GC_malloc_atomic(size_t n);
void *__real_GC_malloc_uncollectable(size_t n);
void *__real_GC_realloc(void *p, size_t n);
char *__real_GC_strdup(const char *s);
void *__wrap_GC_malloc(size_t n);
void *__wrap_GC_malloc_atomic(size_t n);
void *__wrap_GC_malloc_uncollectable(size_t n);
void *__wrap_GC_realloc(void *p, size_t n);
char *__wrap_GC_strdup(const char *s);
void GC_gcollect(void);

static void stress(void)
{
    static long every, count;
    if (!every) {
        const char *e = getenv("KAOHE_GC_EVERY");
        every = e && atol(e) > 0 ? atol(e) : 1;
    }
    if (++count % every == 0) GC_gcollect();
}

void *__wrap_GC_malloc(size_t n) { stress(); return __real_GC_malloc(n); }
void *__wrap_GC_malloc_atomic(size_t n) { stress(); return __real_GC_malloc_atomic(n); }
void *__wrap_GC_malloc_uncollectable(size_t n) { stress(); return __real_GC_malloc_uncollectable(n); }
void *__wrap_GC_realloc(void *p, size_t n) { stress(); return __real_GC_realloc(p, n); }
char *__wrap_GC_strdup(const char *s) { stress(); return __real_GC_strdup(s); }
