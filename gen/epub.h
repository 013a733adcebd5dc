/* epub.h: the EPUB 3 renderer. epub.c turns each guide into XHTML content
 * documents; epub_pkg.c builds the package document, nav, NCX, container
 * and cover with libxml2's tree API; epub_zip.c packs the book with libzip.
 * The book is assembled in memory and written through out.c. */
#ifndef DEPTHBOOK_EPUB_H
#define DEPTHBOOK_EPUB_H

#include "model.h"
#include "render.h"

#include <stddef.h>

/* One file of the book, by its path inside the container. */
struct epub_entry {
	char *path;     /* "EPUB/q1.xhtml", owned */
	char *data;     /* owned */
	size_t len;
	int xml;        /* 1 if the file must parse as XML before packaging */
	int checked;    /* 1 once it has (chapters are, where they render) */
	int deflated;   /* 1: data is a raw deflate stream of size bytes */
	size_t size;    /* when deflated: the file's own size */
	unsigned long crc; /* when deflated: the file's CRC-32 */
};

/* One book being built: the guide, its package facts, and its files in
 * container order. */
struct epub_book {
	const struct model_library *lib;
	const struct model_guide *guide;
	const struct render_opts *opts;
	char *identifier;         /* owned: front matter id, else urn:uuid:… */
	char modified[24];        /* "2026-01-01T00:00:00Z" */
	long long time;           /* seconds since the epoch, for zip entries */
	struct epub_entry *entries;
	size_t nentries, capentries;
};

/* Builds every guide of lib into OUT/epub/<slug>.epub. Returns 0, or -1
 * after a diagnostic. */
int epub_render(const struct model_library *lib, const struct render_opts *opts);

/* epub_render, loaded from the module gen/depthbook-epub.so on first use
 * (epub_module.c); the renderer table calls this one. */
int epub_render_module(const struct model_library *lib, const struct render_opts *opts);
/* That module's path: the executable's own path plus "-epub.so", so that
 * gen/depthbook-san loads gen/depthbook-san-epub.so. Caller frees. */
char *epub_module_path(void);

/* Appends a file to the book; the book takes data (xmalloc'd). */
void epub_add(struct epub_book *book, const char *path, char *data, size_t len, int xml);

/* The package files, each built with libxml2's tree API and serialized
 * as UTF-8 XML. Each returns a string the caller frees and sets *len. */
char *epub_container(size_t *len);
char *epub_opf(const struct epub_book *book, size_t *len);
char *epub_nav(const struct epub_book *book, size_t *len);
char *epub_ncx(const struct epub_book *book, size_t *len);
char *epub_cover(const struct epub_book *book, size_t *len);

/* The EPUB core media type of an image file name ("x.png"), or NULL. */
const char *epub_image_type(const char *name);

/* Serializes doc as UTF-8 XML into a string the caller frees; frees doc. */
char *epub_xml_take(void *doc, size_t *len);

/* data compressed as a raw deflate stream (what a zip entry holds): a
 * string the caller frees, its length in *zlen and data's CRC-32 in *crc. */
char *epub_deflate(const char *data, size_t len, size_t *zlen, unsigned long *crc);
/* Frees the stream epub_deflate keeps between calls. */
void epub_deflate_end(void);

/* Packs the book's entries, in order, into an OCF zip in memory: mimetype
 * first and stored, every entry stamped with book->time in UTC; entries not
 * yet deflated are compressed here, deflated ones are copied as they are. Returns
 * 0 and a buffer the caller frees in *data, or -1 after a diagnostic. */
int epub_zip(const struct epub_book *book, const char *name, char **data, size_t *len);

#endif
