/*
** safe_write.h — the one way kaohe replaces a file: a temporary file in the
** same folder as the target, written, flushed, fsync'ed and renamed onto the
** target only when complete. On any failure the temporary file is removed,
** so a target is either as it was or whole, never partial. Every writer
** (-o of every command, the workbook, fmt rewriting rule files) uses it.
*/
#ifndef KAOHE_SAFE_WRITE_H
#define KAOHE_SAFE_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct SafeFile {
    FILE *fp;           /* write here (NULL after safe_reserve) */
    char *tmp;          /* the temporary file's path (malloc'ed) */
    const char *path;   /* the target */
} SafeFile;

/* A temporary file beside path, open for writing as sf->fp. false with
** errno when it cannot be made (a missing folder: ENOENT; path is a
** folder: EISDIR; no permission: EACCES). */
bool safe_open(SafeFile *sf, const char *path);

/* The same for a library that writes to a path of its own (libxlsxwriter):
** the temporary file is made and closed; the library writes sf->tmp. */
bool safe_reserve(SafeFile *sf, const char *path);

/* Flushes, fsyncs and closes the temporary file and renames it onto the
** target, which keeps its permissions if it existed. false with errno on
** any failure, the temporary file removed and the target as it was. */
bool safe_commit(SafeFile *sf);

/* Drops the temporary file; the target is left as it was. errno kept. */
void safe_abandon(SafeFile *sf);

/* A hint for a target that cannot be made (errno of safe_open or
** safe_reserve): a missing folder, a folder given as the file, no
** permission. NULL when there is nothing more to say. */
const char *safe_write_hint(int err);

/* len bytes of data as the whole new content of path, the same way. */
bool safe_write_file(const char *path, const void *data, size_t len);

#endif
