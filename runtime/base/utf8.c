/*
** utf8.c — UTF-8 decoding and display width (utf8.h). Strict decoding:
** what is not valid UTF-8 is said to be so, never guessed at.
*/
#include "utf8.h"

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
