/*
** csv_decode.c — source bytes to UTF-8 text: the encoding names (UTF-8
** validated by base/utf8.c, 16 bytes at a time), reading a file, a pipe or
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
#include "utf8.h"

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
        size_t v = r->proven_utf8 ? have : utf8_valid_prefix(dst, have, &cut);
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
        size_t v = utf8_valid_prefix(r->buf, have, &cut);
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
    if (utf16)
        diag_file(DIAG_ERROR, r->path, 0, 0, "save it as UTF-8 (Excel: \"CSV UTF-8\"; Notepad: 另存为 → 编码 UTF-8)",
                  "this is UTF-16 text (Notepad's \"Unicode\"), which kaohe does not read");
    else
        diag_file(DIAG_ERROR, r->path, line, col,
                  "save it as UTF-8 (Excel: \"CSV UTF-8\"), or name the encoding with --encoding",
                  "neither UTF-8 nor GB18030 text (byte 0x%02X)", byte);
    return false;
}

/* The bytes the input will take, when they can be known before reading:
** a memory source, or a regular file. 0 when they cannot (a pipe). */
