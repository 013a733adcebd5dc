/* zipmem.h: a zip archive made in memory with libzip, byte for byte
 * reproducible, for the EPUB's container (epub_zip.c) and the Anki
 * package (apkg.c). Entries are deflated with libdeflate before libzip
 * sees them, and a source that declares its data deflated lets libzip copy
 * it without compressing again; every entry has one DOS time, read in UTC.
 * Linked into each module that packs (the Makefile's EPUBSRCS and
 * APKGSRCS), so the executable never loads libzip. */
#ifndef DEPTHBOOK_ZIPMEM_H
#define DEPTHBOOK_ZIPMEM_H

#include <stddef.h>
#include <zip.h>

/* An archive being made; its fields are zipmem.c's. */
struct zipmem {
	zip_t *za;
	zip_source_t *mem;        /* the buffer the archive is written to */
	const char *name;         /* the archive's name in diagnostics, borrowed */
	zip_uint16_t dtime, ddate;
	int failed;               /* an entry could not be added */
};

/* How an entry is written (zipmem_add's flags). */
enum {
	ZIPMEM_STORED = 1,        /* as it is (method 0), with no extra field */
	ZIPMEM_UNIX_FILE = 2,     /* a plain file, rw-r--r--, whoever builds it (unzip keeps the mode) */
};

/* Starts an archive whose entries are stamped with time (seconds since the
 * epoch); name (borrowed until zipmem_close) is what diagnostics name.
 * Returns 0, or -1 after a diagnostic. */
int zipmem_open(struct zipmem *z, const char *name, long long time);

/* Adds len bytes at data as the entry path: deflated here, or stored as
 * they are (ZIPMEM_STORED; then data must live until zipmem_close).
 * Returns 0, or -1 after a diagnostic (then zipmem_close only discards
 * the archive). */
int zipmem_add(struct zipmem *z, const char *path, const void *data, size_t len, int flags);

/* Adds the entry path from a raw deflate stream of len bytes (zipmem_deflate's)
 * of a file of size bytes with CRC-32 crc, copied as it is; the stream
 * must live until zipmem_close. Returns 0, or -1 after a diagnostic. */
int zipmem_add_deflated(struct zipmem *z, const char *path, const char *stream, size_t len, size_t size,
                        unsigned long crc, int flags);

/* Writes the archive: returns 0 with its bytes in *data (the caller frees)
 * and their count in *len, or -1 after a diagnostic, or when an entry
 * could not be added (then the archive is discarded). Frees what z holds
 * either way. */
int zipmem_close(struct zipmem *z, char **data, size_t *len);

/* data compressed as a raw deflate stream (what a zip entry holds): a
 * string the caller frees, its length in *zlen and data's CRC-32 in *crc. */
char *zipmem_deflate(const void *data, size_t len, size_t *zlen, unsigned long *crc);
/* Frees the compressor zipmem_deflate keeps between calls. */
void zipmem_deflate_end(void);

#endif
