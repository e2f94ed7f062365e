/*
** csv_decode.c — source bytes to UTF-8 text: the encoding names, UTF-8
** validation (16 bytes at a time with SSE2), reading a file, a pipe or
** memory, the UTF-8 and GB18030 (iconv) decoders that fill the reader's
** buffer, and the detection of the encoding for CSV_ENC_AUTO. No CSV
** syntax here: that is csv_read.c.
*/
#include "csv_reader.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- encodings ------------------------------------------------------------*/

bool csv_encoding_parse(const char *name, CsvEncoding *out)
{
    static const struct { const char *name; CsvEncoding enc; } names[] = {
        {"auto", CSV_ENC_AUTO}, {"utf-8", CSV_ENC_UTF8}, {"utf8", CSV_ENC_UTF8},
        {"gb18030", CSV_ENC_GB18030}, {"gbk", CSV_ENC_GB18030},
        {"gb2312", CSV_ENC_GB18030},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].enc;
            return true;
        }
    }
    return false;
}

const char *csv_encoding_name(CsvEncoding e)
{
    switch (e) {
    case CSV_ENC_AUTO: return "auto";
    case CSV_ENC_UTF8: return "UTF-8";
    case CSV_ENC_GB18030: return "GB18030";
    }
    return "?";
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
static size_t utf8_valid(const unsigned char *s, size_t n, bool *cut)
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

/* ---- the source -------------------------------------------------------------*/

/* A pipe or a device past CSV_MAX_STREAM: -1, as for a read error. */
static long stream_too_long(CsvReader *r)
{
    diag_file(DIAG_ERROR, r->path, 0, 0,
              "save it as a file first: a file on disk is not held to this bound",
              "a data file read from a pipe or device may hold at most %llu MiB (%llu "
              "bytes); this one holds more",
              (unsigned long long)(CSV_MAX_STREAM >> 20), (unsigned long long)CSV_MAX_STREAM);
    return -1;
}

/* Up to n raw bytes into dst: the count, 0 at end of input, -1 on a read
** error (printed). */
static long src_read(CsvReader *r, unsigned char *dst, size_t n)
{
    if (r->fd < 0) {
        size_t k = r->memlen - r->mempos;
        if (k > n)
            k = n;
        memcpy(dst, r->mem + r->mempos, k);
        r->mempos += k;
        return (long)k;
    }
    for (;;) {
        ssize_t k = read(r->fd, dst, n);
        if (k >= 0 && r->stream && r->nread + (uint64_t)k > CSV_MAX_STREAM)
            return stream_too_long(r);
        if (k >= 0) {
            r->nread += (uint64_t)k;
            return (long)k;
        }
        if (errno != EINTR) {
            diag_plain(DIAG_ERROR, NULL, "cannot read %s: %s", r->path, strerror(errno));
            return -1;
        }
    }
}

static bool src_rewind(CsvReader *r)
{
    r->src_eof = false;
    r->nread = 0;
    if (r->fd < 0) {
        r->mempos = 0;
        return true;
    }
    if (lseek(r->fd, 0, SEEK_SET) == 0)
        return true;
    diag_plain(DIAG_ERROR, NULL, "cannot read %s: %s", r->path, strerror(errno));
    return false;
}

/* A pipe cannot be read twice, and AUTO reads twice: keep it in memory. */
bool slurp(CsvReader *r)
{
    size_t cap = 1 << 16, len = 0;
    unsigned char *m = malloc(cap);
    for (;;) {
        if (len == cap) {
            unsigned char *g = realloc(m, cap * 2);
            if (!g)
                free(m);
            m = g;
            cap *= 2;
        }
        if (!m) {
            diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
            return false;
        }
        long k = src_read(r, m + len, cap - len);
        if (k < 0) {
            free(m);
            return false;
        }
        if (k == 0)
            break;
        len += (size_t)k;
    }
    close(r->fd);
    r->fd = -1;
    r->owned = m;
    r->mem = m;
    r->memlen = len;
    r->mempos = 0;
    return true;
}

/* ---- decoders: append UTF-8 text at buf[end] ---------------------------------
** Each returns 1 when it appended something, 0 when it appended nothing and
** never will (done is set; bad_input says whether a bad byte stopped it),
** -1 on a read error. */

static int fill_utf8(CsvReader *r)
{
    for (;;) {
        unsigned char *dst = r->buf + r->end;
        memcpy(dst, r->carry, r->ncarry);
        long n = src_read(r, dst + r->ncarry, r->cap - r->end - r->ncarry);
        if (n < 0)
            return -1;
        size_t have = r->ncarry + (size_t)n;
        /* After detect() read the whole file as valid UTF-8, checking it
        ** again would make reading a large fact file cost twice as much. */
        bool cut = false;
        size_t v = r->proven_utf8 ? have : utf8_valid(dst, have, &cut);
        r->ncarry = 0;
        r->end += v;
        if (v < have) {
            if (!(cut && n > 0)) {
                r->bad_input = true;
                r->bad_byte = dst[v];
                r->done = true;
                return v > 0;
            }
            r->ncarry = have - v;
            memcpy(r->carry, dst + v, r->ncarry);
        } else if (n == 0) {
            r->done = true;
            return v > 0;
        }
        if (v > 0)
            return 1;
    }
}

/* Moves unconverted raw bytes to the front and reads more after them. */
static int raw_more(CsvReader *r)
{
    size_t left = r->rawlen - r->rawpos;
    memmove(r->raw, r->raw + r->rawpos, left);
    r->rawpos = 0;
    r->rawlen = left;
    long n = src_read(r, r->raw + left, r->rawcap - left);
    if (n < 0)
        return -1;
    if (n == 0)
        r->src_eof = true;
    r->rawlen += (size_t)n;
    return 0;
}

static int fill_gb18030(CsvReader *r)
{
    for (;;) {
        if (r->rawpos == r->rawlen && !r->src_eof && raw_more(r) < 0)
            return -1;
        char *in = (char *)r->raw + r->rawpos;
        size_t inleft = r->rawlen - r->rawpos;
        char *o = (char *)r->buf + r->end;
        size_t oleft = r->cap - r->end;
        size_t rc = iconv(r->cd, &in, &inleft, &o, &oleft);
        int err = errno;
        size_t made = (size_t)(o - (char *)(r->buf + r->end));
        r->end += made;
        r->rawpos = (size_t)(in - (char *)r->raw);
        if (rc != (size_t)-1) {
            if (r->src_eof) {
                r->done = true;
                return made > 0;
            }
        } else if (err == E2BIG) {
            /* MIN_FREE guarantees a character fits, so something was made */
        } else if (err == EINVAL && !r->src_eof) {
            if (raw_more(r) < 0)     /* a sequence cut by the read: read on */
                return -1;
        } else {
            /* EILSEQ, or a sequence cut by the end of the file */
            r->bad_input = true;
            r->bad_byte = r->raw[r->rawpos];
            r->done = true;
            return made > 0;
        }
        if (made > 0)
            return 1;
    }
}

/* Makes more text available, keeping buf[keep, end): that span moves to the
** front (every offset >= keep drops by *delta) and the buffer grows only if
** the span leaves too little room. 1: more text; 0: no more (done); -1:
** error printed. */
int more(CsvReader *r, size_t keep, size_t *delta)
{
    *delta = 0;
    if (r->done)
        return 0;
    *delta = keep;
    memmove(r->buf, r->buf + keep, r->end - keep);
    r->end -= keep;
    r->pos -= keep < r->pos ? keep : r->pos;
    r->line_start -= keep < r->line_start ? keep : r->line_start;
    if (r->cap - r->end < MIN_FREE) {
        size_t ncap = r->cap * 2;
        if (ncap > CSV_MAX_RECORD) {
            diag_file(DIAG_ERROR, r->path, r->rec_line, 0,
                      "a quote left open makes the rest of the file one field",
                      "a record longer than %zu MiB", CSV_MAX_RECORD >> 20);
            return -1;
        }
        unsigned char *g = realloc(r->buf, ncap + PAD);
        if (!g) {
            diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
            return -1;
        }
        memset(g + r->cap, 0, ncap + PAD - r->cap);
        r->buf = g;
        r->cap = ncap;
    }
    int rc = r->enc == CSV_ENC_GB18030 ? fill_gb18030(r) : fill_utf8(r);
    r->buf[r->end] = 0;
    return rc;
}

/* ---- opening ------------------------------------------------------------------*/

/* Line, column (characters) and value of the raw byte at offset `at`,
** counting line breaks as the scanner does (LF, CR, CRLF) and not counting a
** BOM. The bytes before `at` are valid UTF-8. Only for error messages. */
static bool locate(CsvReader *r, uint64_t at, long *line, long *col, unsigned *byte)
{
    if (!src_rewind(r))
        return false;
    uint64_t off = 0;
    long ln = 1, cl = 1;
    unsigned char prev = 0;
    bool first = true, bom = false;
    for (;;) {
        long n = src_read(r, r->buf, r->cap);
        if (n <= 0)
            return false;
        if (first)
            bom = n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0;
        first = false;
        for (long k = 0; k < n; k++, off++) {
            unsigned char c = r->buf[k];
            if (off == at) {
                *line = ln;
                *col = cl - (bom && ln == 1);
                *byte = c;
                return true;
            }
            if (c == '\r' || (c == '\n' && prev != '\r')) {
                ln++;
                cl = 1;
            } else if (c != '\n' && (c & 0xC0) != 0x80) {
                cl++;
            }
            prev = c;
        }
    }
}

/* CSV_ENC_AUTO: UTF-8 when the whole input is valid UTF-8, else GB18030 when
** it is valid GB18030, else an error at the first byte UTF-8 rejects. */
bool detect(CsvReader *r)
{
    uint64_t off = 0;
    size_t nc = 0;
    bool bad = false;
    for (;;) {
        long n = src_read(r, r->buf + nc, r->cap - nc);
        if (n < 0)
            return false;
        size_t have = nc + (size_t)n;
        bool cut;
        size_t v = utf8_valid(r->buf, have, &cut);
        if (v < have && !(cut && n > 0)) {
            off += v;
            bad = true;
            break;
        }
        if (n == 0)
            break;
        off += v;
        nc = have - v;
        memmove(r->buf, r->buf + v, nc);
    }
    if (!src_rewind(r))
        return false;
    if (!bad) {
        r->enc = CSV_ENC_UTF8;
        r->proven_utf8 = true;
        return true;
    }

    /* Try the whole input as GB18030, converting into the buffer and
    ** throwing the text away. */
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        diag_plain(DIAG_ERROR, NULL, "cannot read %s: no GB18030 converter (iconv)", r->path);
        return false;
    }
    bool gb = true;
    size_t left = 0;
    for (;;) {
        long n = src_read(r, r->raw + left, r->rawcap - left);
        if (n < 0) {
            iconv_close(cd);
            return false;
        }
        char *in = (char *)r->raw;
        size_t inleft = left + (size_t)n;
        for (;;) {
            char *o = (char *)r->buf;
            size_t oleft = r->cap;
            if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1 || errno == EINVAL)
                break;
            if (errno != E2BIG) {
                gb = false;
                break;
            }
        }
        if (!gb || n == 0) {
            gb = gb && inleft == 0;   /* a sequence cut by the end of the file */
            break;
        }
        memmove(r->raw, in, inleft);
        left = inleft;
    }
    iconv_close(cd);
    if (gb) {
        if (!src_rewind(r))
            return false;
        r->enc = CSV_ENC_GB18030;
        diag_file(DIAG_NOTE, r->path, 0, 0,
                  "--encoding utf-8 or --encoding gb18030 forces one",
                  "not UTF-8, so read as GB18030 (as Excel/WPS on Chinese Windows save CSV)");
        return true;
    }
    long line, col;
    unsigned byte;
    if (!locate(r, off, &line, &col, &byte))
        return false;
    /* FF FE or FE FF first: the byte-order mark of UTF-16 */
    bool utf16 = off == 0 && (byte == 0xFF || byte == 0xFE);
    diag_file(DIAG_ERROR, r->path, line, col,
              utf16 ? "this looks like UTF-16 (Notepad's \"Unicode\"): save it as UTF-8 or as Excel's \"CSV UTF-8\""
                    : "save it as UTF-8 (Excel: \"CSV UTF-8\"), or name the encoding with --encoding",
              "neither UTF-8 nor GB18030 text (byte 0x%02X)", byte);
    return false;
}

/* The bytes the input will take, when they can be known before reading:
** a memory source, or a regular file. 0 when they cannot (a pipe). */
