/*
** xlsx_read.h — the archive and XML layer under the .xlsx reader: opens the
** zip (libzip), streams one member through expat with a byte limit, and
** refuses what a hostile workbook would use (a member larger than the limit,
** a DOCTYPE or entity declaration, a truncated archive). It knows nothing of
** sheets or cells: xlsx_book.c builds the workbook on top of it.
*/
#ifndef KAOHE_XLSX_READ_H
#define KAOHE_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>

/* A member that unpacks to more than this is refused before it is read (by
** its size in the archive) and, should that size lie, when the bytes read
** pass it. A sheet of 200,000 rows by 30 numbers is about 200 MiB of XML. */
#define XLSX_MAX_PART ((unsigned long long)256 << 20)

/* True when the file starts with a zip local-file signature (PK\3\4): a
** workbook, whatever its name says. False when it cannot be read. */
bool xlsx_is_zip(const char *path);
/* An OLE2 compound file: an Excel 97–2003 .xls (or another old Office file). */
bool xlsx_is_ole(const char *path);

typedef struct XlsxZip XlsxZip;

/* Opens path as a zip archive, checking its consistency (a truncated or
** damaged archive fails here). On failure prints "path: error: …" and
** returns NULL. */
XlsxZip *xz_open(const char *path);
void xz_close(XlsxZip *z);
const char *xz_path(const XlsxZip *z);
bool xz_has(XlsxZip *z, const char *member);

/* What a stream's element handlers see. Names are local (a prefix such as
** "x:" is dropped); attrs alternate name, value and end with NULL, their
** names local too. */
typedef struct XzHandlers {
    void (*start)(void *ud, const char *name, const char **attrs);
    void (*end)(void *ud, const char *name);
    void (*text)(void *ud, const char *s, int len);
} XzHandlers;

typedef struct XzStream XzStream;

/* Starts streaming member through the handlers; NULL (message printed) when
** it is missing or too large. */
XzStream *xz_stream(XlsxZip *z, const char *member, const XzHandlers *h, void *ud);
/* Parses on until the handlers call xz_pause (1), the member ends (0) or an
** error (-1, message printed: bad XML, a DOCTYPE, the size limit, a read
** failure, or a handler's xz_fail). */
int xz_step(XzStream *s);
/* Parses the whole member (pauses are resumed at once): 0 or -1 as xz_step. */
int xz_run(XzStream *s);
/* From inside a handler: stop after this event, resumable by xz_step. */
void xz_pause(XzStream *s);
/* From inside a handler: the member is wrong; the message is already
** printed. xz_step returns -1. */
void xz_fail(XzStream *s);
void xz_stream_close(XzStream *s);

/* The value of attribute name (local name) in attrs, or NULL. */
const char *xz_attr(const char **attrs, const char *name);

/* A growing text buffer for an element's text, bounded like a CSV field:
** past CSV_MAX_FIELD it stops growing and says so in over. */
typedef struct XlsxText {
    char *s;
    size_t len, cap;
    bool over;
} XlsxText;

void xlsx_text_add(XlsxText *t, const char *s, size_t n);

#endif
