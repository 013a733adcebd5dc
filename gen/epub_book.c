/* epub_book.c: assembling one EPUB per guide. The entries are made in
 * their order in the container, each once: mimetype, container.xml, the
 * cover and title pages, nav.xhtml, the section pages and chapters in
 * reading order, toc.ncx, style.css, the cover image, the guide's images,
 * and last the package document, which lists what the pages turned out to
 * hold (MathML, tables, images). Each page is deflated as soon as it is
 * made. */
#define _POSIX_C_SOURCE 200809L
#include "epub.h"
#include "diag.h"
#include "hash.h"
#include "out.h"
#include "pixbuf.h"
#include "template.h"
#include "util.h"
#include "zipmem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One book being made: its entries in container order. */
struct book {
	const struct model_guide *guide;
	struct epub_entry *entries;
	size_t n, cap;
};

/* Appends a file to the book; the book takes data (xmalloc'd). */
static struct epub_entry *add(struct book *b, const char *path, char *data, size_t len)
{
	XGROW(b->entries, b->n, b->cap);
	struct epub_entry *e = &b->entries[b->n++];
	*e = (struct epub_entry){.path = xstrdup(path), .data = data, .len = len};
	return e;
}

static void book_free(struct book *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->entries[i].path), free(b->entries[i].data);
	free(b->entries);
}

/* The two seeds of derived_uuid's halves. Frozen: readers and stores know
 * a book by its identifier, so these keep every guide's. (The first is not
 * FNV1A64_OFFSET but that number without its last digit, as it was first
 * written; the second is the prime times 31, only to differ.) */
#define UUID_SEED_HIGH 1469598103934665603ULL
#define UUID_SEED_LOW (FNV1A64_PRIME * 31ULL)

/* A urn:uuid: derived from the guide's slug and title (two FNV-1a 64-bit
 * hashes, each part ended by a 0xFF byte, with the RFC 9562 version-8
 * "custom" and variant bits); caller frees. */
static char *derived_uuid(const struct model_guide *g)
{
	uint64_t h[2] = {UUID_SEED_HIGH, UUID_SEED_LOW};
	const char *parts[] = {"depthbook-epub", g->slug, g->title ? g->title : ""};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < 3; i++)
			h[k] = fnv1a64(fnv1a64(h[k], parts[i], strlen(parts[i])), "\xff", 1);
	unsigned char u[16];
	for (int i = 0; i < 8; i++) {
		u[i] = (unsigned char)(h[0] >> (56 - 8 * i));
		u[8 + i] = (unsigned char)(h[1] >> (56 - 8 * i));
	}
	u[6] = (unsigned char)((u[6] & 0x0F) | 0x80);
	u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
	struct buf b = {0};
	buf_puts(&b, "urn:uuid:");
	for (int i = 0; i < 16; i++) {
		buf_printf(&b, "%02x", u[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			buf_putc(&b, '-');
	}
	return buf_take(&b);
}

/* Makes item i of the page-like entries that follow the title page, in
 * container order: nav.xhtml (item 0), every page in reading order,
 * toc.ncx, the cover image; and adds it to the book, deflated at once so
 * that a long guide's pages are never all held uncompressed. Its
 * EPUB_HAS_* facts go to *facts. Returns 0, or -1 after a diagnostic. */
static int add_item(struct book *b, struct epub_xhtml *x, const struct epub_pkg *p, size_t i, int *facts)
{
	size_t len = 0;
	char *data, *path;
	int stored = 0;
	*facts = 0;
	if (i == 0) {
		data = epub_nav(p, &len);
		path = xstrdup("EPUB/nav.xhtml");
	} else if (i <= p->npages) {
		data = epub_xhtml_page(x, &p->pages[i - 1], facts);
		len = data ? strlen(data) : 0;
		char *file = epub_page_file(&p->pages[i - 1]);
		path = xasprintf("EPUB/%s", file);
		free(file);
	} else if (i == p->npages + 1) {
		data = epub_ncx(p, &len);
		path = xstrdup("EPUB/toc.ncx");
	} else {
		data = cover_png(p->guide, &len);
		path = xstrdup("EPUB/cover.png");
		stored = 1; /* a PNG is deflated already */
	}
	if (data == NULL) {
		free(path);
		return -1;
	}
	if (stored) {
		add(b, path, data, len)->stored = 1;
	} else {
		size_t zlen = 0;
		unsigned long crc = 0;
		char *z = zipmem_deflate(data, len, &zlen, &crc);
		free(data);
		struct epub_entry *e = add(b, path, z, zlen);
		e->deflated = 1, e->size = len, e->crc = crc;
	}
	free(path);
	return 0;
}

/* Reads an image file into the book (a WebP as the PNG made of it).
 * Returns 0, or -1 after a diagnostic. */
static int add_media(struct book *b, const struct epub_media *m)
{
	size_t len;
	char *data, *why;
	if (m->to_png) {
		if (pixbuf_png_module(m->source, &data, &len, &why) != 0) {
			if (why != NULL)
				diag_report(DIAG_EPUB_IMAGE, b->guide->path, m->link->line, m->link->col, m->link->url, why);
			free(why);
			return -1;
		}
	} else if ((data = read_whole(m->source, &len)) == NULL) {
		diag_report(DIAG_READ, m->source, 0, 0, strerror(errno));
		return -1;
	}
	char *path = xasprintf("EPUB/%s", m->href);
	add(b, path, data, len);
	free(path);
	return 0;
}

static int render_guide(const struct model_library *lib, const struct render_opts *opts,
                        struct epub_xhtml *x, const char *css, const struct model_guide *g)
{
	struct book b = {.guide = g};
	epub_xhtml_guide(x, lib, g, opts);
	char *identifier = g->file->meta.id && *g->file->meta.id ? xstrdup(g->file->meta.id) : derived_uuid(g);
	/* The book's date: SOURCE_DATE_EPOCH when set, for every output
	 * alike; otherwise the guide's own modification time, so that an edit
	 * to one guide changes no other guide's book. */
	long long when = render_date(opts, g);
	time_t t = (time_t)when;
	struct tm tm;
	gmtime_r(&t, &tm);
	char modified[24];
	strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &tm);

	size_t npages;
	struct epub_page *pages = epub_pages(g, &npages);
	int *facts = xcalloc(npages + 1, sizeof *facts);
	struct epub_pkg pkg = {.guide = g, .identifier = identifier, .modified = modified,
	                       .pages = pages, .npages = npages, .facts = facts, .quiz = opts->epub_quiz};
	pkg.media = epub_xhtml_media(x, &pkg.nmedia);

	size_t len;
	char *data;
	/* OCF 3.0 §4.3: mimetype first, stored */
	add(&b, "mimetype", xstrdup("application/epub+zip"), strlen("application/epub+zip"))->stored = 1;
	data = epub_container(&len);
	add(&b, "META-INF/container.xml", data, len);
	int cover_facts;
	int r = 0;
	data = epub_xhtml_cover(x, &cover_facts);
	if (data != NULL)
		add(&b, "EPUB/cover.xhtml", data, strlen(data));
	else
		r = -1;
	data = r == 0 ? epub_xhtml_title(x, &pkg.title_facts) : NULL;
	if (data != NULL)
		add(&b, "EPUB/title.xhtml", data, strlen(data));
	else
		r = -1;

	for (size_t i = 0; i < npages + 3 && r == 0; i++) {
		int f;
		r = add_item(&b, x, &pkg, i, &f);
		if (i >= 1 && i <= npages)
			facts[i - 1] = f;
		if (r == 0 && i == npages + 1)
			add(&b, "EPUB/style.css", xstrdup(css), strlen(css));
	}
	for (size_t i = 0; i < pkg.nmedia && r == 0; i++)
		r = add_media(&b, &pkg.media[i]);
	if (r == 0) {
		data = epub_opf(&pkg, &len);
		add(&b, "EPUB/package.opf", data, len);
	}
	char *zip = NULL;
	size_t ziplen = 0;
	char *rel = xasprintf("epub/%s.epub", g->slug);
	if (r == 0)
		r = epub_zip(b.entries, b.n, when, rel, &zip, &ziplen);
	if (r == 0)
		r = out_write(opts->out_dir, rel, zip, ziplen);
	free(rel), free(zip), free(identifier), free(pages), free(facts);
	book_free(&b);
	return r;
}

int epub_render(const struct model_library *lib, const struct render_opts *opts)
{
	struct epub_xhtml *x = epub_xhtml_new(opts->theme_dir);
	char *css = x ? tpl_load(opts->theme_dir, "epub/style.css") : NULL;
	int r = css ? 0 : -1;
	for (size_t i = 0; i < lib->nguides && r == 0; i++)
		r = render_todo(opts, i) ? render_guide(lib, opts, x, css, lib->guides[i]) : 0;
	free(css);
	epub_xhtml_free(x);
	zipmem_deflate_end();
	cover_end();
	return r;
}
