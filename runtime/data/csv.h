/*
** csv.h — RFC 4180 reader for fact files and the annex tables.
** Streams the file through a fixed buffer (a 200,000-row fact file is never
** held whole), decodes UTF-8 (BOM optional) or GB18030 (what Excel/WPS on
** Chinese Windows writes), and reports every malformation with a position.
** It knows nothing about facts or units: fields are text.
*/
#ifndef KAOHE_CSV_H
#define KAOHE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum CsvEncoding {
    CSV_ENC_AUTO,      /* UTF-8 if the whole file is valid UTF-8, else GB18030 */
    CSV_ENC_UTF8,
    CSV_ENC_GB18030
} CsvEncoding;

/* "utf-8"/"utf8", "gb18030"/"gbk"/"gb2312" (the latter two are read as
** GB18030, a superset), "auto". Case-insensitive. */
bool csv_encoding_parse(const char *name, CsvEncoding *out);
const char *csv_encoding_name(CsvEncoding e);

typedef struct CsvField {
    const char *text;  /* UTF-8, quotes removed, "" unescaped, NUL-terminated */
    size_t len;
} CsvField;

typedef struct CsvRecord {
    size_t nfields;
    CsvField *fields;  /* valid until the next csv_next */
    long row;          /* spreadsheet row: the first record is row 1 */
    long line;         /* physical line where the record starts, from 1 */
} CsvRecord;

typedef struct CsvReader CsvReader;

/* Opens path. A workbook (.xlsx, known by the zip signature at its start,
** whatever its name) is read through xlsx_book.h instead: the records are
** its first visible sheet's rows, from the header row on (title rows above
** it skipped), each record's row its Excel row number; enc is ignored.
** On failure prints a diagnostic and returns NULL. With
** CSV_ENC_AUTO, a file that is not valid UTF-8 but is valid GB18030 is read as
** GB18030 and a note says so; one valid as neither is an error at the first
** bad byte. */
CsvReader *csv_open(const char *path, CsvEncoding enc);
/* csv_open reading the workbook's sheet named sheet (NULL: the first
** visible one); a sheet named for a file that is not a workbook is an
** error, as is a name the workbook lacks (with did-you-mean). */
CsvReader *csv_open_sheet(const char *path, CsvEncoding enc, const char *sheet);
/* The same over bytes in memory (tests, embedded data); name is for messages. */
CsvReader *csv_open_mem(const char *name, const char *data, size_t len, CsvEncoding enc);

/* 1: a record in *out; 0: end of file; -1: error (diagnostic printed: NUL
** byte, unclosed quote, text after a closing quote, invalid encoding, read
** failure, a limit above passed). Blank lines are records with one empty
** field. */
int csv_next(CsvReader *r, CsvRecord *out);

/* What a data file may hold, the limits of a spreadsheet: Excel and WPS
** have 1,048,576 rows and 16,384 columns, and a cell holds 32,767
** characters, at most 96 KiB of UTF-8. A file past these did not come from
** a spreadsheet and is refused with its position (usually a quote left
** open has swallowed the rest of the file). Rows count every record, the
** header and blank lines included. */
#define CSV_MAX_ROWS 1048576L
#define CSV_MAX_COLUMNS 16384
#define CSV_MAX_FIELD ((size_t)128 * 1024)

/* A data file read from a pipe or a device (not a regular file, whose
** size is known) may hold this many bytes: the bound rule files have
** (lang/ast.c, MAX_RULE_FILE), so an endless source such as /dev/zero or a
** fifo nobody closes is refused instead of read forever. */
#define CSV_MAX_STREAM ((uint64_t)16 << 20)

/* The buffer a reader streams through. A record longer than this grows it
** (to at most 256 MiB); nothing else does. */
#define CSV_BUFFER_SIZE ((size_t)128 * 1024)
/* Tests only: the buffer size of readers opened after this call (a tiny one
** puts every buffer boundary inside some record); 0 restores the default. */
void csv_set_buffer_size(size_t bytes);

/* The sheet the records come from (a workbook), or NULL (a CSV file). */
const char *csv_sheet(const CsvReader *r);
/* A workbook's sheets, "说明、考核数据、附件5", or NULL (a CSV file). */
const char *csv_sheet_list(const CsvReader *r);
CsvEncoding csv_encoding(const CsvReader *r);   /* the one actually used */
const char *csv_path(const CsvReader *r);
void csv_close(CsvReader *r);

#endif
