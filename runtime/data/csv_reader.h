/*
** csv_reader.h — the inside of a CsvReader, shared by the three files of
** the CSV reader and nothing else: csv_open.c opens a source and sizes the
** buffers, csv_decode.c turns source bytes into UTF-8 text in the buffer
** (detecting the encoding), csv_read.c cuts records out of that text.
*/
#ifndef KAOHE_CSV_READER_H
#define KAOHE_CSV_READER_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

/* A record larger than this is surely a quote left open, not data; stop
** before the buffer eats the machine. */
#define CSV_MAX_RECORD ((size_t)256 << 20)
/* Free bytes the decoder needs to make progress: a carried partial UTF-8
** sequence (3) plus one whole character (4), with room to spare. */
#define MIN_FREE 16
/* Zero bytes after the buffer's last usable byte: the scanner's loads of 16
** and 64 bytes from a place at or before the sentinel. */
#define PAD 64

struct CsvReader {
    const char *path;
    CsvEncoding enc;           /* the one in use (never AUTO after open) */

    /* source bytes: a file descriptor, or memory when fd < 0 */
    int fd;
    const unsigned char *mem;
    size_t memlen, mempos;
    unsigned char *owned;      /* memory we slurped and must free */
    bool stream;               /* a pipe or device: at most CSV_MAX_STREAM bytes */
    uint64_t nread;            /* bytes read since the last rewind */
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

    /* A workbook given where a CSV was expected (csv_xlsx.c): its rows, as
    ** records. NULL for a CSV file. */
    struct XlsxBook *book;
    struct XlsxSheet *sheet;
    CsvField *xfields;
    int xcap;
};

/* ---- what csv_decode.c gives the others ------------------------------------*/

/* A pipe cannot be read twice, and AUTO reads twice: keep it in memory. */
bool slurp(CsvReader *r);
/* CSV_ENC_AUTO: UTF-8 when the whole input is valid UTF-8, else GB18030 when
** it is valid GB18030, else an error at the first byte UTF-8 rejects. */
bool detect(CsvReader *r);
/* Makes more text available, keeping buf[keep, end): that span moves to the
** front (every offset >= keep drops by *delta). 1: more text; 0: no more
** (done); -1: error printed. */
int more(CsvReader *r, size_t keep, size_t *delta);

/* ---- what csv_xlsx.c gives the others -------------------------------------*/

/* A reader over the sheet named sheet (NULL: the first visible) of the
** workbook at path; NULL with the message printed. */
CsvReader *csv_open_workbook(const char *path, const char *sheet);
/* csv_next for a workbook's reader. */
int csv_next_workbook_row(CsvReader *r, CsvRecord *out);
/* What csv_close frees of a workbook's reader. */
void csv_close_workbook(CsvReader *r);

#endif
