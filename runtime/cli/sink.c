/*
** sink.c — a command's output held back until it is complete: in memory for
** stdout, in a temporary file beside the target for -o FILE (fsync, then
** rename, so the old file stays whole until the new one is).
*/
#include "sink.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fault.h"
#include "output.h"

bool sink_open(Sink *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    if (!path) {
        s->fp = open_memstream(&s->mem, &s->memlen);
        if (!s->fp) fault_out_of_memory();
        return true;
    }
    if (!safe_open(&s->file, path)) {
        diag_plain(DIAG_ERROR, safe_write_hint(errno), "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    s->fp = s->file.fp;
    return true;
}

void sink_csv_file(Sink *s, bool gb18030)
{
    if (!s->path) return;
    if (!gb18030) {
        fputs("\xEF\xBB\xBF", s->fp);
        return;
    }
    /* held in memory and converted whole at commit */
    s->gb18030 = true;
    s->fp = open_memstream(&s->mem, &s->memlen);
    if (!s->fp) fault_out_of_memory();
}

/* The UTF-8 text in s->mem written to the temporary file as GB18030,
** which has a code for every character, so only a write can fail. */
static bool write_gb18030(Sink *s)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1) return false;
    char *in = s->mem;
    size_t left = s->memlen;
    bool ok = true;
    while (left > 0 && ok) {
        char buf[8192], *out = buf;
        size_t room = sizeof buf;
        size_t rc = iconv(cd, &in, &left, &out, &room);
        if (rc == (size_t)-1 && errno != E2BIG) ok = false;
        size_t n = (size_t)(out - buf);
        if (ok && fwrite(buf, 1, n, s->file.fp) != n) ok = false;
    }
    int why = errno;
    iconv_close(cd);
    errno = why;
    return ok;
}

void sink_abandon(Sink *s)
{
    if (s->path) safe_abandon(&s->file);
    if ((!s->path || s->gb18030) && s->fp) fclose(s->fp);
    s->fp = NULL;
    free(s->mem);
    s->mem = NULL;
}

bool sink_commit(Sink *s)
{
    if (s->path) {
        bool ok = true;
        if (s->gb18030) {
            ok = fclose(s->fp) == 0 && write_gb18030(s);
            free(s->mem);
            s->mem = NULL;
        }
        s->fp = NULL;
        if (ok) ok = safe_commit(&s->file);
        else safe_abandon(&s->file);
        if (!ok)
            diag_plain(DIAG_ERROR, "check the disk space and permissions; the old file was left as it was",
                       "cannot write %s: %s", s->path, strerror(errno));
        return ok;
    }
    bool ok = fflush(s->fp) == 0 && !ferror(s->fp);
    fclose(s->fp);
    s->fp = NULL;
    ok = ok && fwrite(s->mem, 1, s->memlen, stdout) == s->memlen && fflush(stdout) == 0;
    free(s->mem);
    s->mem = NULL;
    if (!ok) diag_plain(DIAG_ERROR, NULL, "cannot write the output: %s", strerror(errno));
    return ok;
}

