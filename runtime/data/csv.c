/*
** csv.c — RFC 4180 reader: a decoder (UTF-8 validation or GB18030 via iconv)
** fills one buffer with UTF-8 text, and a scanner cuts records out of it in
** place. Fields are text; this file must not know about facts or units.
*/
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "xlsx_book.h"
#include "xlsx_read.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A record larger than this is surely a quote left open, not data; stop
** before the buffer eats the machine. */
#define CSV_MAX_RECORD ((size_t)256 << 20)
/* Free bytes the decoder needs to make progress: a carried partial UTF-8
** sequence (3) plus one whole character (4), with room to spare. */
#define MIN_FREE 16
/* Zero bytes after the buffer's last usable byte: the scanner's loads of 16
** and 64 bytes from a place at or before the sentinel. */
#define PAD 64

static size_t buffer_size = CSV_BUFFER_SIZE;

void csv_set_buffer_size(size_t bytes)
{
    buffer_size = bytes >= MIN_FREE ? bytes : bytes == 0 ? CSV_BUFFER_SIZE : MIN_FREE;
}

struct CsvReader {
    const char *path;
    CsvEncoding enc;           /* the one in use (never AUTO after open) */

    /* source bytes: a file descriptor, or memory when fd < 0 */
    int fd;
    const unsigned char *mem;
    size_t memlen, mempos;
    unsigned char *owned;      /* memory we slurped and must free */
    bool src_eof;

    /* GB18030: raw bytes waiting for iconv */
    iconv_t cd;
    unsigned char *raw;
    size_t rawcap, rawpos, rawlen;
    /* UTF-8: the start of a sequence cut off by the end of a read */
    unsigned char carry[4];
    size_t ncarry;

    /* decoded text: buf[0, end) is valid UTF-8 and buf[end] is a NUL
    ** sentinel, so the scanner's inner loops need no bounds test */
    unsigned char *buf;
    size_t cap;                /* usable bytes; PAD more are allocated */
    size_t end;
    size_t pos;                /* where the next record starts */
    bool done;                 /* the decoder will add nothing more */
    bool proven_utf8;          /* detect() validated the whole input already */
    bool bad_input;            /* ...because the byte after buf[end) is bad */
    unsigned bad_byte;

    bool started;              /* the BOM check is behind us */
    bool skip_lf;              /* the last record ended at CR: LF pairs with it */
    bool failed;
    long line;                 /* line number of the text at line_start */
    size_t line_start;
    long row;
    long rec_line;

    /* The record being read: its fields point into buf as they are found
    ** (each NUL-terminated where its separator was). foff holds them as
    ** offsets from the record's start while more() moves the buffer; fesc
    ** lists the quoted fields with "" inside, unescaped once the record is
    ** whole. All three have room for fcap fields. */
    CsvField *fields;
    size_t *foff;
    size_t *fesc;
    size_t fcap;

    /* A workbook given where a CSV was expected: its rows, as records. */
    XlsxBook *book;
    XlsxSheet *sheet;
    CsvField *xfields;
    int xcap;
};

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

CsvEncoding csv_encoding(const CsvReader *r) { return r->enc; }
const char *csv_path(const CsvReader *r) { return r->path; }

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
        if (k >= 0)
            return (long)k;
        if (errno != EINTR) {
            diag_plain(DIAG_ERROR, NULL, "cannot read %s: %s", r->path, strerror(errno));
            return -1;
        }
    }
}

static bool src_rewind(CsvReader *r)
{
    r->src_eof = false;
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
static bool slurp(CsvReader *r)
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
static int more(CsvReader *r, size_t keep, size_t *delta)
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
static bool detect(CsvReader *r)
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
static size_t input_size(const CsvReader *r)
{
    if (r->fd < 0)
        return r->memlen;
    struct stat st;
    if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        return (size_t)st.st_size;
    return 0;
}

/* Buffers no larger than the input needs: a small file (a unit list, an
** annex table, most fact files) then costs a few pages, not two of
** buffer_size. GB18030 grows by half when decoded to UTF-8; the buffers
** grow by themselves should a guess fall short. */
static size_t buffer_size_for(const CsvReader *r)
{
    size_t n = input_size(r);
    if (n == 0 || n > buffer_size)
        return buffer_size;
    size_t want = n + n / 2 + MIN_FREE;
    return want < buffer_size ? want : buffer_size;
}

static bool alloc_buffers(CsvReader *r)
{
    size_t size = buffer_size_for(r);
    r->cap = size;
    r->buf = calloc(1, r->cap + PAD);
    r->rawcap = size;
    r->raw = malloc(r->rawcap);
    r->fcap = 16;
    r->fields = malloc(r->fcap * sizeof *r->fields);
    r->foff = malloc(r->fcap * sizeof *r->foff);
    r->fesc = malloc(r->fcap * sizeof *r->fesc);
    if (r->buf && r->raw && r->fields && r->foff && r->fesc)
        return true;
    diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
    return false;
}

/* Shared by both openers once the source is set: picks the encoding and
** readies the decoder. */
static CsvReader *start(CsvReader *r, CsvEncoding enc)
{
    r->cd = (iconv_t)-1;
    r->line = 1;
    r->enc = enc;
    if (!alloc_buffers(r))
        goto fail;
    if (enc == CSV_ENC_AUTO) {
        if (r->fd >= 0 && lseek(r->fd, 0, SEEK_CUR) < 0 && !slurp(r))
            goto fail;
        if (!detect(r))
            goto fail;
    }
    if (r->enc == CSV_ENC_GB18030) {
        r->cd = iconv_open("UTF-8", "GB18030");
        if (r->cd == (iconv_t)-1) {
            diag_plain(DIAG_ERROR, NULL, "cannot read %s: no GB18030 converter (iconv)",
                       r->path);
            goto fail;
        }
    }
    r->buf[0] = 0;
    return r;
fail:
    csv_close(r);
    return NULL;
}

/* A workbook (a zip archive, whatever its name says) is read through
** xlsx_book.c, its first visible sheet giving the records. */
static CsvReader *open_workbook(const char *path)
{
    XlsxBook *b = xlsx_book_open(path);
    XlsxSheet *sh = b ? xlsx_sheet_open(b, NULL) : NULL;
    CsvReader *r = sh ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        xlsx_book_close(b);
        if (sh)
            diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", path);
        return NULL;
    }
    r->fd = -1;
    r->cd = (iconv_t)-1;
    r->enc = CSV_ENC_UTF8;
    r->path = strdup(path);
    r->book = b;
    r->sheet = sh;
    return r;
}

static int next_workbook_row(CsvReader *r, CsvRecord *out)
{
    XlsxRow row;
    int rc = xlsx_sheet_next(r->sheet, &row);
    if (rc <= 0) {
        r->failed = rc < 0;
        return rc;
    }
    if (row.ncells > r->xcap) {
        int n = row.ncells + 16;
        CsvField *f = realloc(r->xfields, (size_t)n * sizeof *f);
        if (!f) {
            diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
            r->failed = true;
            return -1;
        }
        r->xfields = f;
        r->xcap = n;
    }
    for (int k = 0; k < row.ncells; k++)
        r->xfields[k] = (CsvField){row.text[k], row.len[k]};
    *out = (CsvRecord){(size_t)row.ncells, r->xfields, row.row, row.row};
    return 1;
}

const char *csv_sheet(const CsvReader *r)
{
    return r->sheet ? xlsx_sheet_name(r->sheet) : NULL;
}

CsvReader *csv_open(const char *path, CsvEncoding enc)
{
    if (xlsx_is_zip(path))
        return open_workbook(path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_plain(DIAG_ERROR, NULL, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    CsvReader *r = calloc(1, sizeof *r);
    if (!r) {
        close(fd);
        diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", path);
        return NULL;
    }
    r->fd = fd;
    r->path = strdup(path);
    return start(r, enc);
}

CsvReader *csv_open_mem(const char *name, const char *data, size_t len, CsvEncoding enc)
{
    CsvReader *r = calloc(1, sizeof *r);
    if (!r) {
        diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", name);
        return NULL;
    }
    r->fd = -1;
    r->mem = (const unsigned char *)data;
    r->memlen = len;
    r->path = strdup(name);
    return start(r, enc);
}

void csv_close(CsvReader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    xlsx_sheet_close(r->sheet);
    xlsx_book_close(r->book);
    free(r->xfields);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->owned);
    free(r->buf);
    free(r->raw);
    free(r->fields);
    free(r->foff);
    free(r->fesc);
    free((char *)r->path);
    free(r);
}

/* ---- the scanner ----------------------------------------------------------------*/

/* The first byte at or after b[i] that is `stop`, LF, CR or NUL. NUL is the
** sentinel at buf[end] as well as a byte no CSV may hold, so the search
** always ends by buf[end]. With SSE2 it tests 16 bytes at once, which also
** spares a mispredicted loop exit per short field; it may read up to 15
** bytes past the sentinel, which is why the buffer carries PAD zero bytes. */
static inline size_t scan_to(const unsigned char *b, size_t i, unsigned char stop)
{
#ifdef __SSE2__
    const __m128i vs = _mm_set1_epi8((char)stop), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r'), nul = _mm_setzero_si128();
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vs), _mm_cmpeq_epi8(v, lf)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, nul)));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#else
    while (b[i] != stop && b[i] != '\n' && b[i] != '\r' && b[i] != 0)
        i++;
    return i;
#endif
}

#ifdef __SSE2__
/* Bit k of each mask: whether s[k] is a comma, a quote, or a line break or
** NUL, for k < 64. */
static inline void masks64(const unsigned char *s, uint64_t *commas, uint64_t *quotes,
                           uint64_t *stops)
{
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), nul = _mm_setzero_si128();
    uint64_t c = 0, q = 0, e = 0;
    for (int k = 0; k < 64; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        c |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << k;
        q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << k;
        e |= (uint64_t)(unsigned)_mm_movemask_epi8(
                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)),
                              _mm_cmpeq_epi8(v, nul)))
             << k;
    }
    *commas = c;
    *quotes = q;
    *stops = e;
}
#endif

/* Reports an error at buf offset `at` on the line that starts at `ls`. */
static int fail_at(CsvReader *r, long line, size_t ls, size_t at, const char *hint,
                   const char *msg)
{
    long col = 1;
    for (size_t k = ls; k < at; k++)
        col += (r->buf[k] & 0xC0) != 0x80;
    diag_file(DIAG_ERROR, r->path, line, col, hint, "%s", msg);
    r->failed = true;
    return -1;
}

/* The scanner reached buf[end] and the decoder has nothing more. */
static int fail_input(CsvReader *r, size_t at)
{
    char msg[96];
    if (r->enc == CSV_ENC_GB18030) {
        snprintf(msg, sizeof msg, "not GB18030 text (byte 0x%02X)", r->bad_byte);
        return fail_at(r, r->line, r->line_start, at,
                       "is the file UTF-8? --encoding utf-8 or auto reads it", msg);
    }
    snprintf(msg, sizeof msg, "not UTF-8 text (byte 0x%02X)", r->bad_byte);
    return fail_at(r, r->line, r->line_start, at,
                   "Excel/WPS on Chinese Windows save GB18030: --encoding gb18030 or "
                   "auto reads it", msg);
}

static int fail_nul(CsvReader *r, size_t at)
{
    return fail_at(r, r->line, r->line_start, at,
                   "a text file has no NUL bytes: is this a spreadsheet (.xlsx) or a "
                   "UTF-16 file? Save it as CSV", "NUL byte in the file");
}

/* A record with too many fields, or a field too long: said at the line
** where the record starts. */
static int fail_limit(CsvReader *r, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_limit(CsvReader *r, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vfile(DIAG_ERROR, r->path, r->rec_line, 0, hint, fmt, ap);
    va_end(ap);
    r->failed = true;
    return -1;
}

static bool grow_fields(CsvReader *r)
{
    /* the exact column count is checked when the record is whole; this
    ** only stops a runaway line of commas from taking all memory first */
    if (r->fcap >= 4 * CSV_MAX_COLUMNS) {
        fail_limit(r, "a spreadsheet has at most 16,384 columns", "a row with more than %zu columns",
                   (size_t)CSV_MAX_COLUMNS);
        return false;
    }
    size_t n = r->fcap * 2;
    CsvField *f = realloc(r->fields, n * sizeof *f);
    if (f)
        r->fields = f;
    size_t *o = f ? realloc(r->foff, n * sizeof *o) : NULL;
    if (o)
        r->foff = o;
    size_t *e = o ? realloc(r->fesc, n * sizeof *e) : NULL;
    if (!e) {
        diag_plain(DIAG_ERROR, NULL, "out of memory reading %s", r->path);
        r->failed = true;
        return false;
    }
    r->fesc = e;
    r->fcap = n;
    return true;
}

/* Positions r->pos at the first byte of the next record, skipping a BOM at
** the start and the LF of a CRLF whose CR ended the last record. 1: a record
** follows; 0: end of input; -1: error. */
static int start_record(CsvReader *r)
{
    for (;;) {
        size_t avail = r->end - r->pos, delta;
        if ((avail == 0 || (!r->started && avail < 3)) && !r->done) {
            if (more(r, r->pos, &delta) < 0)
                return r->failed = true, -1;
            continue;
        }
        if (!r->started) {
            r->started = true;
            if (avail >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
                r->pos += 3;
            r->line_start = r->pos;
            continue;
        }
        if (avail == 0)
            return r->bad_input ? fail_input(r, r->pos) : 0;
        if (r->skip_lf) {
            r->skip_lf = false;
            if (r->buf[r->pos] == '\n') {
                r->line_start = ++r->pos;
                continue;
            }
        }
        return 1;
    }
}

/* Removes the doubling of quotes in a quoted field, in place. */
static size_t unescape(unsigned char *s, size_t len)
{
    size_t w = 0;
    for (size_t k = 0; k < len; k++) {
        s[w++] = s[k];
        if (s[k] == '"')
            k++;          /* the field was checked: a quote here is doubled */
    }
    return w;
}

/* The scanner keeps offsets in locals; when the buffer moves, all of them
** (each >= the record start rs) drop by the same delta, and the fields found
** so far are made pointers into the moved record again. */
#define MORE(extra_adjust)                                  \
    do {                                                    \
        size_t d_;                                          \
        const char *base_ = (const char *)b + rs;           \
        for (size_t k_ = 0; k_ < nf; k_++)                  \
            r->foff[k_] = (size_t)(r->fields[k_].text - base_); \
        int rc_ = more(r, rs, &d_);                         \
        if (rc_ < 0)                                        \
            return r->failed = true, -1;                    \
        rs -= d_;                                           \
        i -= d_;                                            \
        extra_adjust;                                       \
        b = r->buf;                                         \
        got = rc_ > 0;                                      \
        base_ = (const char *)b + rs;                       \
        for (size_t k_ = 0; k_ < nf; k_++)                  \
            r->fields[k_].text = base_ + r->foff[k_];       \
    } while (0)

/* Fields are cut out in place as they are found: the byte that ends one (a
** comma, a line break, a closing quote) becomes its NUL terminator. Nothing
** before the scan position is read again, except by the column count of an
** error message, to which a NUL counts as one character like what it
** replaced. Doubled quotes are undone only when the record is whole, as
** that shortens a field and would move those columns. */
int csv_next(CsvReader *r, CsvRecord *out)
{
    if (r->failed)
        return -1;
    if (r->sheet)
        return next_workbook_row(r, out);
    int st = start_record(r);
    if (st <= 0)
        return st;
    if (r->row == CSV_MAX_ROWS) {
        diag_file(DIAG_ERROR, r->path, r->line, 0, "a spreadsheet has at most 1,048,576 rows; split the file",
                  "more than %ld rows", CSV_MAX_ROWS);
        r->failed = true;
        return -1;
    }
    size_t rs = r->pos, i = rs;
    unsigned char *b = r->buf;
    size_t nf = 0, nesc = 0;
    bool got;
    r->rec_line = r->line;

    for (;;) {                                  /* one field per turn */
        if (nf == r->fcap && !grow_fields(r))
            return -1;
        if (i == r->end && !r->done) {
            MORE((void)0);      /* the field's first byte decides its kind */
            continue;
        }
        if (b[i] != '"') {
            size_t fs = i;
#ifdef __SSE2__
            /* Unquoted fields, several per turn: 64 bytes at a time give
            ** masks of commas, of quotes and of line ends and NULs, and each
            ** comma before the first line end or NUL ends a field. A comma
            ** followed by a quote ends the turn, as the field after it is
            ** quoted: the top of the loop reads that one. The loads may read
            ** up to 63 bytes past the sentinel (the PAD); the NUL there stops
            ** the masks first. */
            bool reopen = false;
            for (;;) {
                /* a block may end 64 fields: room for them all (growing
                ** once per block let 100 commas write past the table) */
                while (r->fcap - nf <= 64)
                    if (!grow_fields(r))
                        return -1;
                uint64_t commas, quotes, stops;
                masks64(b + i, &commas, &quotes, &stops);
                if (stops)
                    commas &= (stops & -stops) - 1;     /* the commas before it */
                uint64_t open = commas & (quotes >> 1);
                /* a comma in the last place is before the sentinel, so the
                ** byte after it is there to read */
                if ((commas >> 63) && b[i + 64] == '"')
                    open |= (uint64_t)1 << 63;
                if (open)
                    commas &= open ^ (open - 1);        /* up to the first such */
                CsvField *fp = r->fields + nf;
                while (commas) {
                    size_t at = i + (unsigned)__builtin_ctzll(commas);
                    commas &= commas - 1;
                    fp->text = (const char *)b + fs;
                    fp->len = at - fs;
                    fp++;
                    b[at] = 0;
                    fs = at + 1;
                }
                nf = (size_t)(fp - r->fields);
                if (open) {
                    reopen = true;
                    break;
                }
                if (!stops) {
                    i += 64;
                    continue;
                }
                i += (unsigned)__builtin_ctzll(stops);
                if (b[i] != 0)
                    break;
                if (i < r->end)
                    return fail_nul(r, i);
                MORE(fs -= d_);
                if (!got)
                    break;
                if (fs == i && b[i] == '"') {
                    reopen = true;      /* the field after a comma the text ended at */
                    break;
                }
            }
            if (reopen) {
                i = fs;
                continue;
            }
#else
            for (;;) {
                i = scan_to(b, i, ',');
                if (b[i] != 0)
                    break;
                if (i < r->end)
                    return fail_nul(r, i);
                MORE(fs -= d_);
                if (!got)
                    break;
            }
#endif
            /* its end, the separator, becomes a NUL below */
            r->fields[nf++] = (CsvField){(const char *)b + fs, i - fs};
        } else {
            /* the opening quote's place, for "unclosed quote" */
            size_t q = i, qls = r->line_start;
            long qline = r->line;
            bool esc = false;
            size_t fs = ++i;
            for (;;) {
                i = scan_to(b, i, '"');
                unsigned char c = b[i];
                if (c == '"') {
                    if (i + 1 == r->end && !r->done) {
                        MORE((fs -= d_, q -= d_, qls -= d_));
                        continue;       /* look at the byte after it again */
                    }
                    if (i + 1 < r->end && b[i + 1] == '"') {
                        esc = true;
                        i += 2;
                        continue;
                    }
                    break;
                } else if (c == '\n') {
                    if (b[i - 1] != '\r')   /* CRLF is one line break */
                        r->line++;
                    r->line_start = ++i;
                } else if (c == '\r') {
                    r->line++;
                    r->line_start = ++i;
                } else if (i < r->end) {
                    return fail_nul(r, i);
                } else {
                    MORE((fs -= d_, q -= d_, qls -= d_));
                    if (got)
                        continue;
                    if (r->bad_input)
                        return fail_input(r, i);
                    return fail_at(r, qline, qls, q,
                                   "close it with a quote; a quote inside a quoted field "
                                   "is written twice: \"\"", "unclosed quote");
                }
            }
            if (esc)
                r->fesc[nesc++] = nf;
            else
                b[i] = 0;                         /* the closing quote */
            r->fields[nf++] = (CsvField){(const char *)b + fs, i - fs};
            i++;                                  /* past the closing quote */
            if (i == r->end && !r->done)
                MORE((void)0);
            if (b[i] == 0 && i < r->end)
                return fail_nul(r, i);
            if (!(b[i] == ',' || b[i] == '\n' || b[i] == '\r' || i == r->end))
                return fail_at(r, r->line, r->line_start, i,
                               "a quote inside a quoted field is written twice: \"\"",
                               "text after the closing quote");
        }
        if (i == r->end) {
            if (r->bad_input)
                return fail_input(r, i);
            break;                  /* buf[end] is a NUL already */
        }
        unsigned char c = b[i];
        b[i++] = 0;
        if (c == ',')
            continue;
        r->line++;
        r->line_start = i;
        r->skip_lf = c == '\r';
        break;
    }

    if (nf > CSV_MAX_COLUMNS)
        return fail_limit(r, "a spreadsheet has at most 16,384 columns", "a row with more than %zu columns",
                          (size_t)CSV_MAX_COLUMNS);
    r->pos = i;
    for (size_t k = 0; k < nesc; k++) {
        CsvField *f = &r->fields[r->fesc[k]];
        unsigned char *t = (unsigned char *)f->text;
        f->len = unescape(t, f->len);
        t[f->len] = 0;
    }
    if (i - rs > CSV_MAX_FIELD) {       /* only a long record can hold a long field */
        for (size_t k = 0; k < nf; k++)
            if (r->fields[k].len > CSV_MAX_FIELD)
                return fail_limit(r, "a spreadsheet cell holds at most 32,767 characters; is a quote left open?",
                                  "field %zu is longer than 128 KiB (%zu bytes)", k + 1, CSV_MAX_FIELD);
    }
    out->nfields = nf;
    out->fields = r->fields;
    out->row = ++r->row;
    out->line = r->rec_line;
    return 1;
}
