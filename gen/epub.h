/* epub.h: the EPUB 3 renderer, one book per guide, in four files that
 * each do one job and never call back: epub_book.c assembles a book and
 * writes it (it calls the others); epub_xhtml.c turns the guide's units
 * into XHTML content documents, from cmark-gfm's HTML (XML already) and the
 * theme's templates; epub_pkg.c writes the package document, nav, NCX and
 * container with libxml2's xmlTextWriter; epub_zip.c packs the entries.
 * cover.c draws the raster cover. The renderer is a loadable module
 * (epub_module.c). */
#ifndef DEPTHBOOK_EPUB_H
#define DEPTHBOOK_EPUB_H

#include "model.h"
#include "render.h"

#include <stddef.h>

/* Builds every guide of lib into OUT/epub/<slug>.epub. Returns 0, or -1
 * after a diagnostic. */
int epub_render(const struct model_library *lib, const struct render_opts *opts);

/* epub_render, loaded from the module gen/depthbook-epub.so on first use
 * (epub_module.c); the renderer table calls this one. */
int epub_render_module(const struct model_library *lib, const struct render_opts *opts);
/* That module's path: the executable's own path plus "-epub.so", so that
 * gen/depthbook-san loads gen/depthbook-san-epub.so. Caller frees. */
char *epub_module_path(void);

/* ---- epub_xhtml.c: content documents ---- */

/* What a content document holds, for the package's manifest properties
 * and accessibility metadata. */
enum {
	EPUB_HAS_MATH = 1,     /* MathML (the "mathml" manifest property) */
	EPUB_HAS_TABLE = 2,
	EPUB_HAS_IMAGE = 4,    /* an <img> (with its alt text) */
	EPUB_HAS_ALT = 8,      /* an image shown as its alt text */
};

/* An image file beside the guide, packed as EPUB/media/imgN.ext. */
struct epub_media {
	char *source;          /* the file's path as read */
	char *href;            /* "media/img1.png", relative to EPUB/ */
	const char *type;      /* its core media type */
	const struct model_link *link; /* where the guide first shows it */
	int to_png;            /* a WebP, packed as the PNG pixbuf.h makes of it */
};

/* The theme's XHTML pieces, and the guide being converted. */
struct epub_xhtml;

/* Loads the theme's epub/ templates and checks, once per build, that each
 * is well-formed XML with its slots filled (libxml2), so that pages made
 * from them and from cmark-gfm's XML are well-formed too. NULL after a
 * diagnostic naming the template. Free with epub_xhtml_free. */
struct epub_xhtml *epub_xhtml_new(const char *theme_dir);
void epub_xhtml_free(struct epub_xhtml *x);

/* Starts converting guide g: numbers the images it shows (in document
 * order, so that any process names them alike). */
void epub_xhtml_guide(struct epub_xhtml *x, const struct model_library *lib, const struct model_guide *g,
                      const struct render_opts *opts);
/* The images numbered for the guide (borrowed). */
const struct epub_media *epub_xhtml_media(const struct epub_xhtml *x, size_t *n);

/* Each returns a whole content document as a string the caller frees, or
 * NULL after a diagnostic; *facts gets EPUB_HAS_* bits. */
char *epub_xhtml_cover(struct epub_xhtml *x, int *facts);
char *epub_xhtml_title(struct epub_xhtml *x, int *facts);
char *epub_xhtml_section(struct epub_xhtml *x, const struct model_section *s, int *facts);
char *epub_xhtml_chapter(struct epub_xhtml *x, const struct model_question *q, int *facts);

/* One page of the book's reading order after the title page and the
 * contents: a section's page (question NULL), a question's chapter, or
 * (both NULL) the guide's epilogue, its closing note. */
struct epub_page {
	const struct model_section *section;
	const struct model_question *question;
};
/* The guide's pages in reading order: any question outside a section
 * first (a guide the validator let through), then each section's page
 * followed by its questions' chapters, then the epilogue if the guide has
 * one. An array the caller frees. */
struct epub_page *epub_pages(const struct model_guide *g, size_t *n);
/* A page's content document, as above. */
char *epub_xhtml_page(struct epub_xhtml *x, const struct epub_page *p, int *facts);
/* Its file inside EPUB/ ("s1.xhtml", "q1.xhtml") and manifest id ("s1",
 * "q1"); caller frees the file, the id is borrowed. */
char *epub_page_file(const struct epub_page *p);
const char *epub_page_id(const struct epub_page *p);

/* The file of a unit inside EPUB/ ("s1.xhtml", "q1.xhtml"); caller frees. */
char *epub_section_file(const struct model_section *s);
char *epub_question_file(const struct model_question *q);
/* A question's toc label and chapter title, "Q3: How do you …"; caller
 * frees. */
char *epub_question_label(const struct model_question *q);
/* A follow-up's heading text and toc label, "Depth 3 · How do you …";
 * caller frees. */
char *epub_depth_label(const struct model_depth *d);

/* ---- epub_pkg.c: package files, with xmlTextWriter ---- */

/* What the package document states about one book. */
struct epub_pkg {
	const struct model_guide *guide;
	const char *identifier;       /* front matter id, else urn:uuid:… */
	const char *modified;         /* "2026-01-01T00:00:00Z" */
	const struct epub_media *media;
	size_t nmedia;
	const struct epub_page *pages;
	size_t npages;
	const int *facts;             /* EPUB_HAS_* of each page */
	int title_facts;              /* and of the title page */
	int quiz;                     /* --epub-quiz */
};

/* Each returns the file as a string the caller frees and sets *len. */
char *epub_container(size_t *len);
char *epub_opf(const struct epub_pkg *p, size_t *len);
char *epub_nav(const struct epub_pkg *p, size_t *len);
char *epub_ncx(const struct epub_pkg *p, size_t *len);

/* ---- cover.c ---- */

/* The cover of g as a PNG (1600 × 2560, title, author and counts laid out
 * by pango in the guide's script), reproducible byte for byte (no time in
 * it). Caller frees; NULL after a diagnostic. */
char *cover_png(const struct model_guide *g, size_t *len);
/* Frees what pango, cairo and fontconfig keep between covers. */
void cover_end(void);
#define COVER_WIDTH 1600
#define COVER_HEIGHT 2560

/* ---- epub_zip.c: the container ---- */

/* One file of the book, by its path inside the container. */
struct epub_entry {
	char *path;     /* "EPUB/q1.xhtml", owned */
	char *data;     /* owned */
	size_t len;
	int stored;     /* 1: written as it is (zip method 0) */
	int deflated;   /* 1: data is a raw deflate stream of size bytes (zipmem_deflate) */
	size_t size;    /* when deflated: the file's own size */
	unsigned long crc; /* when deflated: the file's CRC-32 */
};

/* Packs n entries, in the order given (the caller's first is mimetype,
 * stored, as OCF wants), into a zip in memory, every entry stamped with time (seconds since the epoch) in UTC;
 * entries neither stored nor deflated yet are compressed here, deflated
 * ones copied as they are. Returns 0 and a buffer the caller frees in *data, or -1 after
 * a diagnostic naming name. */
int epub_zip(const struct epub_entry *entries, size_t n, long long time, const char *name, char **data,
             size_t *len);

#endif
