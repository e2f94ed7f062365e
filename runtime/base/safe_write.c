/*
** safe_write.c — write a temporary file beside the target, then rename it
** into place (safe_write.h). The temporary file is in the target's folder
** so rename is atomic (one file system); it is registered with fault.c so
** that running out of memory midway removes it too.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "safe_write.h"

/* Makes the temporary file "PATH.tmp-XXXXXX" with the mode a new file gets;
** its descriptor, or -1 with errno. */
static int temp_beside(const char *path, char **tmp_path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;     /* caught now, not by rename after all the work */
        return -1;
    }
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) fault_out_of_memory();
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int why = errno;
        free(tmp);
        errno = why;
        return -1;
    }
    fault_temp_file(tmp);
    /* mkstemp makes the file private; the result gets the usual mode */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) { /* keep the private mode */ }
    *tmp_path = tmp;
    return fd;
}

bool safe_open(SafeFile *sf, const char *path)
{
    memset(sf, 0, sizeof *sf);
    sf->path = path;
    int fd = temp_beside(path, &sf->tmp);
    if (fd < 0) return false;
    sf->fp = fdopen(fd, "w");
    if (!sf->fp) {
        int why = errno;
        close(fd);
        safe_abandon(sf);
        errno = why;
        return false;
    }
    return true;
}

bool safe_reserve(SafeFile *sf, const char *path)
{
    memset(sf, 0, sizeof *sf);
    sf->path = path;
    int fd = temp_beside(path, &sf->tmp);
    if (fd < 0) return false;
    close(fd);
    return true;
}

void safe_abandon(SafeFile *sf)
{
    int why = errno;
    if (sf->fp) fclose(sf->fp);
    sf->fp = NULL;
    if (sf->tmp) {
        unlink(sf->tmp);
        free(sf->tmp);
        sf->tmp = NULL;
    }
    errno = why;
}

/* The temporary file's bytes on disk: through its stream, or (written by
** a library) reopened for fsync. */
static bool flush_to_disk(SafeFile *sf)
{
    if (sf->fp) {
        bool ok = fflush(sf->fp) == 0 && !ferror(sf->fp) && fsync(fileno(sf->fp)) == 0;
        int why = errno;
        ok = fclose(sf->fp) == 0 && ok;
        sf->fp = NULL;
        if (!ok && why) errno = why;
        return ok;
    }
    int fd = open(sf->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    int why = errno;
    close(fd);
    errno = why;
    return ok;
}

/* errno is not cleared first: a write that failed earlier (ferror) left
** the reason there. */
bool safe_commit(SafeFile *sf)
{
    bool ok = flush_to_disk(sf);
    struct stat st;
    if (ok && stat(sf->path, &st) == 0) chmod(sf->tmp, st.st_mode & 07777);
    if (ok) ok = rename(sf->tmp, sf->path) == 0;
    if (!ok) {
        if (errno == 0) errno = EIO;
        safe_abandon(sf);
        return false;
    }
    free(sf->tmp);
    sf->tmp = NULL;
    return true;
}

bool safe_write_file(const char *path, const void *data, size_t len)
{
    SafeFile sf;
    if (!safe_open(&sf, path)) return false;
    if (len && fwrite(data, 1, len, sf.fp) != len) {
        safe_abandon(&sf);
        return false;
    }
    return safe_commit(&sf);
}

const char *safe_write_hint(int err)
{
    switch (err) {
    case ENOENT: case ENOTDIR:
        return "the folder of that file does not exist: create it first, or write to a folder that exists";
    case EISDIR:
        return "that is a folder: give a file name (for example 结果/result.csv)";
    case EACCES: case EPERM: case EROFS:
        return "no permission to write in that folder: choose another folder";
    default:
        return NULL;
    }
}
