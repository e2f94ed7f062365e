/*
** utf8.h — the one UTF-8 decoder and the one display-width function of
** kaohe: the lexer, the diagnostic printer and the aligned table all count
** characters and terminal columns here, so two widths never disagree.
*/
#ifndef KAOHE_UTF8_H
#define KAOHE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the character at s (n bytes there): its length, with its code
** point in *cp; 0 when the bytes are not valid UTF-8 (a stray continuation
** byte, a truncated sequence, an overlong form, a surrogate, past U+10FFFF)
** or n is 0. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* The same for text shown to a person: an invalid byte decodes as U+FFFD
** of length 1, so it still counts as one column and a loop never stalls. */
uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len);

/* Length of the valid UTF-8 prefix of s[0, n), for a whole buffer of data
** (SSE2 blocks, then character by character from the first fault): *cut
** is set when what stops it is a sequence the end of s cuts short, so
** more bytes may finish it. */
size_t utf8_valid_prefix(const unsigned char *s, size_t n, bool *cut);

/* Terminal columns of a code point: 2 for East Asian Wide and Fullwidth
** (CJK, Hangul, full-width forms), else 1. */
int utf8_cp_width(uint32_t cp);

/* Terminal columns of len bytes of text (an invalid byte counts 1). */
int utf8_width(const char *s, size_t len);

#endif
