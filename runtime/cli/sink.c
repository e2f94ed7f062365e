/*
** sink.c — a command's output held back until it is complete: in memory for
** stdout, in a temporary file beside the target for -o FILE (fsync, then
** rename, so the old file stays whole until the new one is).
*/
#include "sink.h"

#include <errno.h>
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

void sink_abandon(Sink *s)
{
    if (s->path) safe_abandon(&s->file);
    else if (s->fp) fclose(s->fp);
    s->fp = NULL;
    free(s->mem);
    s->mem = NULL;
}

bool sink_commit(Sink *s)
{
    if (s->path) {
        s->fp = NULL;
        bool ok = safe_commit(&s->file);
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

