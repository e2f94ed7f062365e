/*
** fmt.h — `kaohe fmt` as a plain function: lays rule files out in the one
** canonical layout (fmt.c). The command line parses the options.
*/
#ifndef KAOHE_FMT_H
#define KAOHE_FMT_H

#include <stdbool.h>

/* Formats every .kh file named in paths (folders: every .kh inside). check:
** change nothing, report each file whose layout differs. Returns EXIT_OK,
** EXIT_FAILED (check found unformatted files), EXIT_RULES (a file does not
** parse or a path cannot be read) or EXIT_OUTPUT. */
int fmt_paths(char *const *paths, int npaths, bool check);

#endif
