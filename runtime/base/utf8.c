/*
** utf8.c — UTF-8 decoding, the validation of a whole buffer (the data
** reader's, 64 bytes at a time with SSE2) and display width (utf8.h).
** Strict: what is not valid UTF-8 is said to be so, never guessed at.
*/
#include "utf8.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0) return 0;
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { need = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < need) return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return need;
}

uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t cp;
    *len = utf8_decode(s, n, &cp);
    if (*len) return cp;
    *len = 1;
    return 0xFFFD;
}

int utf8_cp_width(uint32_t cp)
{
    static const uint32_t wide[][2] = {
        {0x1100, 0x115F}, {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3},
        {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
        {0xFFE0, 0xFFE6}, {0x20000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

int utf8_width(const char *s, size_t len)
{
    int w = 0;
    size_t n;
    for (size_t i = 0; i < len; i += n)
        w += utf8_cp_width(utf8_next((const unsigned char *)s + i, len - i, &n));
    return w;
}

/* Length of the valid UTF-8 prefix of s[0, n), one character at a time.
** *cut is set when what stops it is a sequence that the end of s cuts short
** (more bytes may finish it). s must start at a character boundary. */
static size_t utf8_valid_scalar(const unsigned char *s, size_t n, bool *cut)
{
    size_t i = 0;
    *cut = false;
    while (i < n) {
        /* ASCII runs, eight bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i == n)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* Three-byte sequences outside the E0/ED edge cases: all of CJK,
        ** so the common case of a Chinese fact file takes one test. */
        if (c > 0xE0 && c < 0xF0 && c != 0xED && i + 2 < n &&
            ((s[i + 1] & 0xC0) | ((s[i + 2] & 0xC0) >> 2)) == 0xA0) {
            i += 3;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;   /* range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            need = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 4;
        else
            return i;
        if (c == 0xE0) lo = 0xA0;          /* overlong */
        else if (c == 0xED) hi = 0x9F;     /* surrogates */
        else if (c == 0xF0) lo = 0x90;     /* overlong */
        else if (c == 0xF4) hi = 0x8F;     /* past U+10FFFF */
        for (size_t k = 1; k < need; k++) {
            if (i + k == n) {
                *cut = true;
                return i;
            }
            unsigned char d = s[i + k];
            if (k == 1 ? (d < lo || d > hi) : (d & 0xC0) != 0x80)
                return i;
        }
        i += need;
    }
    return n;
}

#ifdef __SSE2__
/* Nonzero lanes where the 16 bytes at s are not valid UTF-8 given the three
** bytes before them (p1, p2, p3: the same 16 bytes seen 1, 2 and 3 places
** back). Each byte is checked against what the bytes before it demand: a
** continuation byte exactly where a lead byte (C0+, E0+, F0+) one, two or
** three places back calls for one, no bytes C0, C1 or F5-FF, and the narrow
** second-byte ranges after E0 (overlong), ED (surrogates), F0 (overlong)
** and F4 (past U+10FFFF). Comparisons are signed: 0x80-0xFF are -128..-1. */
static inline __m128i utf8_errors16(__m128i v, __m128i p1, __m128i p2, __m128i p3)
{
    const __m128i zero = _mm_setzero_si128();
    /* lanes that must be continuations: nonzero where p1 >= C0, p2 >= E0
    ** or p3 >= F0 (saturating subtraction leaves 0 below the bound) */
    __m128i due = _mm_or_si128(_mm_subs_epu8(p1, _mm_set1_epi8((char)0xBF)),
                               _mm_or_si128(_mm_subs_epu8(p2, _mm_set1_epi8((char)0xDF)),
                                            _mm_subs_epu8(p3, _mm_set1_epi8((char)0xEF))));
    due = _mm_cmpgt_epi8(due, zero);
    __m128i cont = _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0));   /* 80..BF */
    __m128i err = _mm_xor_si128(due, cont);
    /* C0, C1 and F5..FF never occur */
    err = _mm_or_si128(err, _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
                                           _mm_set1_epi8((char)0xC0)));
    err = _mm_or_si128(err, _mm_cmpgt_epi8(_mm_subs_epu8(v, _mm_set1_epi8((char)0xF4)), zero));
    /* second bytes: E0 needs A0..BF, ED 80..9F, F0 90..BF, F4 80..8F */
    __m128i lt_a0 = _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xA0));
    __m128i lt_90 = _mm_cmplt_epi8(v, _mm_set1_epi8((char)0x90));
    __m128i e0 = _mm_cmpeq_epi8(p1, _mm_set1_epi8((char)0xE0)),
            ed = _mm_cmpeq_epi8(p1, _mm_set1_epi8((char)0xED)),
            f0 = _mm_cmpeq_epi8(p1, _mm_set1_epi8((char)0xF0)),
            f4 = _mm_cmpeq_epi8(p1, _mm_set1_epi8((char)0xF4));
    __m128i bad3 = _mm_or_si128(_mm_and_si128(e0, lt_a0), _mm_andnot_si128(lt_a0, ed));
    __m128i bad4 = _mm_or_si128(_mm_and_si128(f0, lt_90), _mm_andnot_si128(lt_90, f4));
    err = _mm_or_si128(err, _mm_or_si128(bad3, bad4));
    return err;
}
#endif

/* Length of the valid UTF-8 prefix of s[0, n). *cut is set when what stops
** it is a sequence that the end of s cuts short (more bytes may finish it).
** With SSE2, 64-byte blocks are checked whole, and a block that is all
** ASCII after ASCII costs one test; the first block with any fault, and
** the tail, go to the scalar check, which finds the exact place. */
size_t utf8_valid_prefix(const unsigned char *s, size_t n, bool *cut)
{
    size_t i = 0;
#ifdef __SSE2__
    if (n >= 64) {
        /* the first 16 bytes have nothing before them: shift in zeros */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i err = utf8_errors16(v, _mm_slli_si128(v, 1), _mm_slli_si128(v, 2),
                                    _mm_slli_si128(v, 3));
        if (_mm_movemask_epi8(err) == 0) {
            i = 16;
            /* a block also looks at the three bytes before it */
            while (i + 64 <= n) {
                const unsigned char *q = s + i;
                __m128i a = _mm_loadu_si128((const __m128i *)(const void *)q);
                __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(q + 16));
                __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(q + 32));
                __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(q + 48));
                __m128i back = _mm_loadu_si128((const __m128i *)(const void *)(q - 3));
                __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
                if (_mm_movemask_epi8(_mm_or_si128(any, back)) == 0) {
                    i += 64;
                    continue;
                }
                __m128i e = _mm_setzero_si128();
                for (int k = 0; k < 64; k += 16) {
                    const unsigned char *p = q + k;
                    __m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
                    e = _mm_or_si128(e, utf8_errors16(
                        w, _mm_loadu_si128((const __m128i *)(const void *)(p - 1)),
                        _mm_loadu_si128((const __m128i *)(const void *)(p - 2)),
                        _mm_loadu_si128((const __m128i *)(const void *)(p - 3))));
                }
                if (_mm_movemask_epi8(e) != 0)
                    break;
                i += 64;
            }
            /* s[0, i) is valid but for a sequence s[i] may still be
            ** finishing: step back to the start of the character that
            ** holds s[i - 1], a boundary the scalar check can start at */
            size_t k = i - 1;
            while (k > i - 4 && (s[k] & 0xC0) == 0x80)
                k--;
            i = k;
        }
    }
#endif
    return i + utf8_valid_scalar(s + i, n - i, cut);
}
