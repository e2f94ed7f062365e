/*
** provenance.c — SHA-256 of the inputs (provenance.h), by Nettle: a
** checksum is not ours to get subtly wrong. Rule files are hashed as they
** were compiled (the bytes read); data files are read again from disk.
*/
#include <gc.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "provenance.h"

void sha256_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* Hashes a file in blocks; false when it cannot be read. */
static bool sha256_file(const char *path, char out[65])
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE], buf[65536];
    sha256_init(&ctx);
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&ctx, n, buf);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) return false;
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return true;
}

static void add_file(Provenance *pv, const char *role, const char *path)
{
    ProvFile *f = &pv->files[pv->n++];
    f->role = role;
    f->path = path;
    if (!sha256_file(path, f->sha256)) f->sha256[0] = 0;
}

Provenance *provenance_of(const Program *p, const FactData *facts)
{
    Provenance *pv = GC_NEW(Provenance);
    pv->version = KAOHE_VERSION;
    pv->files = GC_MALLOC(sizeof(ProvFile) * (size_t)(p->files.n + p->ntables + 3));
    for (int i = 0; i < p->files.n; i++) {
        const SrcFile *sf = p->files.items[i];
        ProvFile *f = &pv->files[pv->n++];
        f->role = "规则";
        f->path = sf->path;
        sha256_hex(sf->text, sf->len, f->sha256);
    }
    if (p->units && p->units->path) add_file(pv, "单位表", p->units->path);
    for (int i = 0; i < p->ntables; i++) add_file(pv, "附件表", p->tables[i]->spec->path);
    if (facts) add_file(pv, "事实", facts->path);
    return pv;
}

void provenance_json(FILE *out, const Provenance *pv)
{
    fputs("{\"version\": ", out);
    json_string(out, pv->version);
    fputs(", \"files\": [", out);
    for (int i = 0; i < pv->n; i++) {
        fputs(i ? ",\n   {\"role\": " : "\n   {\"role\": ", out);
        json_string(out, pv->files[i].role);
        fputs(", \"path\": ", out);
        json_string(out, pv->files[i].path);
        fputs(", \"sha256\": ", out);
        json_string(out, pv->files[i].sha256);
        fputs("}", out);
    }
    fputs("]}", out);
}
