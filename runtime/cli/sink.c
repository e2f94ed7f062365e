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
    int fd = temp_beside(path, &s->tmp_path);
    if (fd < 0) {
        diag_plain(DIAG_ERROR, NULL, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    s->fp = fdopen(fd, "w");
    if (!s->fp) fault_out_of_memory();   /* the descriptor is there: only memory can fail */
    return true;
}

void sink_abandon(Sink *s)
{
    if (s->fp) fclose(s->fp);
    s->fp = NULL;
    if (s->tmp_path) { unlink(s->tmp_path); free(s->tmp_path); s->tmp_path = NULL; }
    free(s->mem);
    s->mem = NULL;
}

bool sink_commit(Sink *s)
{
    bool ok = fflush(s->fp) == 0 && !ferror(s->fp);
    if (s->path) {
        if (ok) ok = fsync(fileno(s->fp)) == 0;
        ok = (fclose(s->fp) == 0) && ok;
        s->fp = NULL;
        if (ok) ok = rename(s->tmp_path, s->path) == 0;
        if (!ok) {
            diag_plain(DIAG_ERROR, "check the disk space and permissions; the old file was left as it was",
                       "cannot write %s: %s", s->path, strerror(errno));
            unlink(s->tmp_path);
        }
        free(s->tmp_path);
        s->tmp_path = NULL;
        return ok;
    }
    fclose(s->fp);
    s->fp = NULL;
    ok = ok && fwrite(s->mem, 1, s->memlen, stdout) == s->memlen && fflush(stdout) == 0;
    free(s->mem);
    s->mem = NULL;
    if (!ok) diag_plain(DIAG_ERROR, NULL, "cannot write the output: %s", strerror(errno));
    return ok;
}

