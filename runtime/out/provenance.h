/*
** provenance.h — what ties a printed result to its inputs: the kaohe
** version and the SHA-256 of every rule file, data table, unit list and
** the fact file. JSON, the report and the spreadsheet all carry it; it
** holds no clock time, so the same inputs give byte-identical output.
*/
#ifndef KAOHE_PROVENANCE_H
#define KAOHE_PROVENANCE_H

#include <stdio.h>

#include "program.h"

#ifndef KAOHE_VERSION
#define KAOHE_VERSION "0.1.0"
#endif

typedef struct ProvFile {
    const char *role;       /* 规则, 单位表, 附件表, 事实 */
    const char *path;       /* as given on the command line or in the rules */
    char sha256[65];        /* hex; empty when the file could not be read again */
} ProvFile;

typedef struct Provenance {
    const char *version;
    int n;
    ProvFile *files;
} Provenance;

Provenance *provenance_of(const Program *p, const FactData *facts);
/* The SHA-256 of a byte string, as 64 hex digits (out has room for 65). */
void sha256_hex(const void *data, size_t len, char out[65]);
void provenance_json(FILE *out, const Provenance *pv);

#endif
