/*
** xlsx_read.c — a workbook's archive (libzip) and its XML members (expat),
** streamed in 64 KiB pieces so that a large sheet is never held whole.
** Every way a hostile file could make the reader unpack, expand or wait
** without end stops here with a message naming the file; nothing here
** knows what a sheet or a cell is.
*/
#include "xlsx_read.h"

#include <expat.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "csv.h"
#include "diag.h"

#define CHUNK ((size_t)64 * 1024)
/* Attributes passed on per element; an .xlsx element has at most a dozen. */
#define MAX_ATTRS 32

struct XlsxZip {
    const char *path;
    zip_t *zip;
};

struct XzStream {
    XlsxZip *z;
    const char *member;
    zip_file_t *file;
    XML_Parser parser;
    const XzHandlers *h;
    void *ud;
    unsigned long long total;   /* bytes unpacked so far */
    bool suspended;             /* the parser holds the rest of buf */
    bool final;                 /* buf holds the member's last bytes */
    bool done, failed;
    char *buf;
};

/* Does the file start with these n bytes? Only a regular file is looked
** at: a byte taken from a pipe would be lost to the reader. */
static bool starts_with(const char *path, const void *sig, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char got[8] = {0};
    size_t k = fread(got, 1, n, f);
    fclose(f);
    return k == n && memcmp(got, sig, n) == 0;
}

bool xlsx_is_zip(const char *path)
{
    return starts_with(path, "PK\3\4", 4);
}

bool xlsx_is_ole(const char *path)
{
    return starts_with(path, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

static const char *zip_why(int code)
{
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    const char *s = GC_STRDUP(zip_error_strerror(&e));
    zip_error_fini(&e);
    return s;
}

XlsxZip *xz_open(const char *path)
{
    int code = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!zip) {
        const char *hint = code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS
                               ? "the file is cut short or damaged: save the workbook again "
                                 "from Excel or WPS"
                               : NULL;
        diag_file(DIAG_ERROR, path, 0, 0, hint, "cannot read the workbook: %s",
                  zip_why(code));
        return NULL;
    }
    XlsxZip *z = GC_MALLOC(sizeof *z);
    z->path = path;
    z->zip = zip;
    return z;
}

void xz_close(XlsxZip *z)
{
    if (z && z->zip) {
        zip_discard(z->zip);
        z->zip = NULL;
    }
}

const char *xz_path(const XlsxZip *z) { return z->path; }

bool xz_has(XlsxZip *z, const char *member)
{
    return zip_name_locate(z->zip, member, ZIP_FL_NOCASE) >= 0;
}

/* ---- expat callbacks: local names, then the caller's handlers ----------------*/

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void on_start(void *p, const XML_Char *name, const XML_Char **attrs)
{
    XzStream *s = p;
    if (!s->h->start)
        return;
    const char *local[2 * MAX_ATTRS + 1];
    int n = 0;
    for (; attrs[n] && n < 2 * MAX_ATTRS; n += 2) {
        local[n] = local_name(attrs[n]);
        local[n + 1] = attrs[n + 1];
    }
    local[n] = NULL;
    s->h->start(s->ud, local_name(name), local);
}

static void on_end(void *p, const XML_Char *name)
{
    XzStream *s = p;
    if (s->h->end)
        s->h->end(s->ud, local_name(name));
}

static void on_text(void *p, const XML_Char *text, int len)
{
    XzStream *s = p;
    if (s->h->text)
        s->h->text(s->ud, text, len);
}

/* A workbook never needs a DOCTYPE: one is the start of entity expansion
** (the "billion laughs") or of an external entity, so it is refused at once,
** before expat reads any declaration inside it. */
static void on_doctype(void *p, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    XzStream *s = p;
    diag_file(DIAG_ERROR, s->z->path, 0, 0,
              "a workbook saved by Excel, WPS or LibreOffice never has one; "
              "this file was made to attack an XML reader",
              "the workbook part %s declares a DOCTYPE (entities are refused)", s->member);
    xz_fail(s);
}

static void on_entity(void *p, const XML_Char *name, int is_param, const XML_Char *value,
                      int value_len, const XML_Char *base, const XML_Char *sysid,
                      const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid;
    (void)pubid, (void)notation;
    on_doctype(p, NULL, NULL, NULL, 0);
}

XzStream *xz_stream(XlsxZip *z, const char *member, const XzHandlers *h, void *ud)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z->zip, member, ZIP_FL_NOCASE, &st) < 0) {
        diag_file(DIAG_ERROR, z->path, 0, 0, "save the workbook again from Excel or WPS",
                  "the workbook has no part %s", member);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_PART) {
        diag_file(DIAG_ERROR, z->path, 0, 0,
                  "a sheet of kaohe's data is a few MiB; this looks like a zip bomb",
                  "the workbook part %s unpacks to %llu bytes, more than the limit of %llu",
                  member, (unsigned long long)st.size, XLSX_MAX_PART);
        return NULL;
    }
    zip_file_t *file = zip_fopen(z->zip, member, ZIP_FL_NOCASE);
    if (!file) {
        diag_file(DIAG_ERROR, z->path, 0, 0, NULL, "cannot read the workbook part %s: %s",
                  member, zip_strerror(z->zip));
        return NULL;
    }
    XzStream *s = GC_MALLOC(sizeof *s);
    s->z = z;
    s->member = GC_STRDUP(member);
    s->file = file;
    s->h = h;
    s->ud = ud;
    s->buf = malloc(CHUNK);
    s->parser = XML_ParserCreate(NULL);
    if (!s->buf || !s->parser) {
        xz_stream_close(s);
        diag_plain(DIAG_ERROR, NULL, "out of memory");
        return NULL;
    }
    XML_SetUserData(s->parser, s);
    XML_SetElementHandler(s->parser, on_start, on_end);
    XML_SetCharacterDataHandler(s->parser, on_text);
    XML_SetStartDoctypeDeclHandler(s->parser, on_doctype);
    XML_SetEntityDeclHandler(s->parser, on_entity);
    XML_SetParamEntityParsing(s->parser, XML_PARAM_ENTITY_PARSING_NEVER);
    return s;
}

void xz_pause(XzStream *s)
{
    XML_StopParser(s->parser, XML_TRUE);
}

void xz_fail(XzStream *s)
{
    if (!s->failed) {
        s->failed = true;
        XML_StopParser(s->parser, XML_FALSE);
    }
}

/* What expat found, in words of our own: its strings ("syntax error") are
** a library's, and read like a rule file's bison message. */
static const char *xml_why(enum XML_Error code)
{
    switch (code) {
    case XML_ERROR_NO_ELEMENTS: return "it ends before its elements are closed";
    case XML_ERROR_SYNTAX: return "text that is not XML where an element should be";
    case XML_ERROR_INVALID_TOKEN: return "a character XML does not allow";
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_PARTIAL_CHAR: return "the part ends inside a tag or a character";
    case XML_ERROR_TAG_MISMATCH: return "an element closed by another element's end tag";
    case XML_ERROR_DUPLICATE_ATTRIBUTE: return "an attribute given twice";
    case XML_ERROR_JUNK_AFTER_DOC_ELEMENT: return "more after the end of the part's element";
    case XML_ERROR_UNDEFINED_ENTITY: return "an entity (&…;) XML does not define";
    case XML_ERROR_INCORRECT_ENCODING:
    case XML_ERROR_UNKNOWN_ENCODING: return "an encoding other than UTF-8";
    case XML_ERROR_NO_MEMORY: return "not enough memory";
    default: return gc_printf("XML error %d", (int)code);
    }
}

static int stream_error(XzStream *s)
{
    if (!s->failed) {
        s->failed = true;
        diag_file(DIAG_ERROR, s->z->path, 0, 0, "save the workbook again from Excel or WPS",
                  "the workbook part %s is not well-formed XML (its line %lu, column %lu: %s)",
                  s->member, (unsigned long)XML_GetCurrentLineNumber(s->parser),
                  (unsigned long)XML_GetCurrentColumnNumber(s->parser) + 1,
                  xml_why(XML_GetErrorCode(s->parser)));
    }
    return -1;
}

/* The next piece of the member into buf; false (message printed) on a read
** failure or past the size limit, whatever the archive claimed. */
static bool read_chunk(XzStream *s, int *len)
{
    zip_int64_t n = zip_fread(s->file, s->buf, CHUNK);
    if (n < 0) {
        diag_file(DIAG_ERROR, s->z->path, 0, 0,
                  "the file is cut short or damaged: save the workbook again from Excel or WPS",
                  "cannot read the workbook part %s: %s", s->member,
                  zip_file_strerror(s->file));
        return false;
    }
    s->total += (unsigned long long)n;
    if (s->total > XLSX_MAX_PART) {
        diag_file(DIAG_ERROR, s->z->path, 0, 0,
                  "a sheet of kaohe's data is a few MiB; this looks like a zip bomb",
                  "the workbook part %s unpacks to more than the limit of %llu bytes",
                  s->member, XLSX_MAX_PART);
        return false;
    }
    *len = (int)n;
    return true;
}

int xz_step(XzStream *s)
{
    while (!s->failed && !s->done) {
        enum XML_Status st;
        if (s->suspended) {
            st = XML_ResumeParser(s->parser);
        } else {
            int n = 0;
            if (!read_chunk(s, &n)) {
                s->failed = true;
                return -1;
            }
            s->final = n == 0;
            st = XML_Parse(s->parser, s->buf, n, s->final);
        }
        s->suspended = st == XML_STATUS_SUSPENDED;
        if (s->suspended)
            return s->failed ? -1 : 1;
        if (st == XML_STATUS_ERROR)
            return stream_error(s);
        s->done = s->final;
    }
    return s->failed ? -1 : 0;
}

int xz_run(XzStream *s)
{
    int rc;
    while ((rc = xz_step(s)) == 1)
        ;
    return rc;
}

void xz_stream_close(XzStream *s)
{
    if (!s)
        return;
    if (s->parser)
        XML_ParserFree(s->parser);
    if (s->file)
        zip_fclose(s->file);
    free(s->buf);
    s->parser = NULL;
    s->file = NULL;
    s->buf = NULL;
}

const char *xz_attr(const char **attrs, const char *name)
{
    for (int i = 0; attrs[i]; i += 2)
        if (strcmp(attrs[i], name) == 0)
            return attrs[i + 1];
    return NULL;
}

void xlsx_text_add(XlsxText *t, const char *s, size_t n)
{
    if (t->len + n > CSV_MAX_FIELD) {
        t->over = true;
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t c = t->cap ? t->cap : 64;
        while (c < t->len + n + 1)
            c *= 2;
        char *p = GC_MALLOC_ATOMIC(c);
        if (t->len)
            memcpy(p, t->s, t->len);
        t->s = p;
        t->cap = c;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}
