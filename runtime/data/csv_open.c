/*
** csv_open.c — opening a CSV reader over a file or bytes in memory: the
** buffers sized to the input, the encoding picked (csv_decode.c), the
** decoder readied; closing it; the accessors.
*/
#include "csv_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "xlsx_read.h"

static size_t buffer_size = CSV_BUFFER_SIZE;

void csv_set_buffer_size(size_t bytes)
{
    buffer_size = bytes >= MIN_FREE ? bytes : bytes == 0 ? CSV_BUFFER_SIZE : MIN_FREE;
}

CsvEncoding csv_encoding(const CsvReader *r) { return r->enc; }
const char *csv_path(const CsvReader *r) { return r->path; }

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

CsvReader *csv_open(const char *path, CsvEncoding enc)
{
    return csv_open_sheet(path, enc, NULL);
}

CsvReader *csv_open_sheet(const char *path, CsvEncoding enc, const char *sheet)
{
    if (xlsx_is_zip(path))
        return csv_open_workbook(path, sheet);
    if (sheet) {
        diag_file(DIAG_ERROR, path, 0, 0, "a sheet is named only for an Excel workbook (.xlsx); leave it out for CSV",
                  "sheet %s is named, but this is not a workbook", diag_short(sheet));
        return NULL;
    }
    if (xlsx_is_ole(path)) {
        diag_file(DIAG_ERROR, path, 0, 0, "save it in Excel or WPS as Excel 工作簿 (*.xlsx) or CSV UTF-8 (*.csv)",
                  "this is an Excel 97–2003 workbook (.xls) or another old Office file, which kaohe does not read");
        return NULL;
    }
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
    struct stat st;
    r->stream = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
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
    csv_close_workbook(r);
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
