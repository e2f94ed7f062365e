/*
** sink.h — where a command's output goes: memory (shown on stdout at the
** end) or a temporary file beside -o FILE (renamed into place at the end).
** Nothing reaches the screen or the target before the last unit is scored,
** so an error never leaves a partial output.
*/
#ifndef KAOHE_SINK_H
#define KAOHE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "safe_write.h"

typedef struct Sink {
    FILE *fp;
    char *mem;
    size_t memlen;
    SafeFile file;      /* -o FILE: the temporary file beside it */
    const char *path;
    bool gb18030;       /* -o FILE: converted from UTF-8 at commit */
} Sink;

/* path NULL: stdout. false after printing why the file cannot be made. */
bool sink_open(Sink *s, const char *path);

/* The output is CSV: written to a file, it is made for Excel and WPS on
** Chinese Windows, which read a CSV without a BOM in the system's code
** page: UTF-8 with a BOM, or GB18030 (converted when committed). Standard
** output is left plain UTF-8. Call right after sink_open. */
void sink_csv_file(Sink *s, bool gb18030);

/* Drops everything written; the target is left as it was. */
void sink_abandon(Sink *s);

/* Shows or renames the output into place; false after printing why not. */
bool sink_commit(Sink *s);

#endif
