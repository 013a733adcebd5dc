/* epub_pkg.c: the EPUB's package files — META-INF/container.xml, the
 * package document (OPF), nav.xhtml and the EPUB 2 toc.ncx — written with
 * libxml2's streaming writer (xmlTextWriter), which escapes every value and
 * closes every element, so each file is well-formed by construction and
 * no tree is built. It reads the model and what epub_book.c tells it in
 * struct epub_pkg; it calls nothing of the other EPUB files but the
 * file-name and label helpers (epub.h). */
#include "epub.h"
#include "util.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_OPS "http://www.idpf.org/2007/ops"
#define NS_NCX "http://www.daisy.org/z3986/2005/ncx/"
#define NS_CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"

#define X(s) ((const xmlChar *)(s))

/* The writer fails only when it cannot allocate: like xmalloc, stop. */
static void ok(int rc)
{
	if (rc < 0) {
		fputs("depthbook: out of memory (xmlTextWriter)\n", stderr);
		abort();
	}
}

struct writer {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
};

static void begin(struct writer *wr)
{
	wr->buf = xmlBufferCreate();
	wr->w = wr->buf ? xmlNewTextWriterMemory(wr->buf, 0) : NULL;
	if (wr->w == NULL)
		ok(-1);
	ok(xmlTextWriterStartDocument(wr->w, "1.0", "UTF-8", NULL));
}

/* Ends the document; returns it as a string the caller frees, its length
 * in *len. */
static char *finish(struct writer *wr, size_t *len)
{
	ok(xmlTextWriterEndDocument(wr->w));
	xmlFreeTextWriter(wr->w); /* flushes into buf */
	*len = (size_t)xmlBufferLength(wr->buf);
	char *s = xstrndup((const char *)xmlBufferContent(wr->buf), *len);
	xmlBufferFree(wr->buf);
	return s;
}

static void el(xmlTextWriterPtr w, const char *name)
{
	ok(xmlTextWriterStartElement(w, X(name)));
}

static void end(xmlTextWriterPtr w)
{
	ok(xmlTextWriterEndElement(w));
}

static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	ok(xmlTextWriterWriteAttribute(w, X(name), X(value)));
}

static void text(xmlTextWriterPtr w, const char *s)
{
	ok(xmlTextWriterWriteString(w, X(s)));
}

/* <name>text</name> */
static void el_text(xmlTextWriterPtr w, const char *name, const char *s)
{
	el(w, name);
	text(w, s);
	end(w);
}

static const char *guide_title(const struct model_guide *g)
{
	return g->title ? g->title : g->slug;
}

char *epub_container(size_t *len)
{
	struct writer wr;
	begin(&wr);
	xmlTextWriterPtr w = wr.w;
	el(w, "container");
	attr(w, "xmlns", NS_CONTAINER);
	attr(w, "version", "1.0");
	el(w, "rootfiles");
	el(w, "rootfile");
	attr(w, "full-path", "EPUB/package.opf");
	attr(w, "media-type", "application/oebps-package+xml");
	end(w), end(w), end(w);
	return finish(&wr, len);
}

static void meta(xmlTextWriterPtr w, const char *property, const char *value)
{
	el(w, "meta");
	attr(w, "property", property);
	text(w, value);
	end(w);
}

static void item(xmlTextWriterPtr w, const char *id, const char *href, const char *type, const char *properties)
{
	el(w, "item");
	attr(w, "id", id);
	attr(w, "href", href);
	attr(w, "media-type", type);
	if (properties != NULL)
		attr(w, "properties", properties);
	end(w);
}

static void itemref(xmlTextWriterPtr w, const char *idref)
{
	el(w, "itemref");
	attr(w, "idref", idref);
	end(w);
}

/* Everything the pages hold (EPUB_HAS_*), OR-ed. */
static int book_facts(const struct epub_pkg *p)
{
	int f = p->title_facts;
	for (size_t i = 0; i < p->npages; i++)
		f |= p->facts[i];
	return f;
}

/* The accessibility metadata (EPUB Accessibility 1.1, schema.org),
 * computed from what the book holds. The conformance claim is what
 * tests/t_epub.sh checks on every corpus book: epubcheck, Ace by DAISY
 * (the axe-core WCAG 2.1 A/AA rules and the EPUB checks) and axe's
 * color-contrast with the book's colours and a reader's night theme. */
static void a11y_metadata(xmlTextWriterPtr w, const struct epub_pkg *p)
{
	const struct model_guide *g = p->guide;
	int f = book_facts(p);
	int images = (f & EPUB_HAS_IMAGE) != 0;
	meta(w, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
	meta(w, "a11y:certifiedBy", "depthbook tests/t_epub.sh (epubcheck, Ace by DAISY, axe-core color-contrast)");
	meta(w, "schema:accessMode", "textual");
	if (images)
		meta(w, "schema:accessMode", "visual");
	/* every image carries its alt text (md.c writes the Markdown's), so
	 * the text alone is sufficient */
	meta(w, "schema:accessModeSufficient", "textual");
	if (images)
		meta(w, "schema:accessModeSufficient", "textual,visual");
	meta(w, "schema:accessibilityFeature", "structuralNavigation");
	meta(w, "schema:accessibilityFeature", "tableOfContents");
	meta(w, "schema:accessibilityFeature", "readingOrder");
	meta(w, "schema:accessibilityFeature", "displayTransformability");
	if (images)
		meta(w, "schema:accessibilityFeature", "alternativeText");
	if (f & EPUB_HAS_MATH)
		meta(w, "schema:accessibilityFeature", "MathML");
	meta(w, "schema:accessibilityHazard", "none");
	struct buf s = {0};
	buf_printf(&s, "A study guide of %zu question%s and %zu follow-up%s: one chapter per main question, "
	           "opening with its heading, then its answer and its numbered follow-ups, each a heading "
	           "that carries its question; sections are headings on pages of their own. "
	           "The table of contents lists every question.",
	           g->nquestions, g->nquestions == 1 ? "" : "s", g->ndepths, g->ndepths == 1 ? "" : "s");
	if (p->quiz)
		buf_puts(&s, " Quiz layout: each chapter lists its questions first; every answer starts a page "
		             "of its own and links back to its question.");
	if (f & EPUB_HAS_TABLE)
		buf_puts(&s, " Tables have header rows and wrap to the page.");
	if (images)
		buf_puts(&s, " Every image has a text alternative.");
	if (f & EPUB_HAS_MATH)
		buf_puts(&s, " Math is MathML.");
	else if (g->nmaths > 0)
		buf_puts(&s, " Math is written as Unicode text.");
	buf_puts(&s, " The cover repeats the title as text. The stylesheet sets no colours, so reader themes "
	             "(night, sepia) apply throughout. Meets WCAG 2.1 Level AA.");
	meta(w, "schema:accessibilitySummary", s.data);
	buf_free(&s);
}

char *epub_opf(const struct epub_pkg *p, size_t *len)
{
	const struct model_guide *g = p->guide;
	struct writer wr;
	begin(&wr);
	xmlTextWriterPtr w = wr.w;
	el(w, "package");
	attr(w, "xmlns", NS_OPF);
	attr(w, "version", "3.0");
	attr(w, "unique-identifier", "book-id");
	attr(w, "xml:lang", g->lang);

	el(w, "metadata");
	attr(w, "xmlns:dc", NS_DC);
	el(w, "dc:identifier");
	attr(w, "id", "book-id");
	text(w, p->identifier);
	end(w);
	el_text(w, "dc:title", guide_title(g));
	el_text(w, "dc:language", g->lang);
	if (g->author != NULL && *g->author) {
		el(w, "dc:creator");
		attr(w, "id", "author");
		text(w, g->author);
		end(w);
		el(w, "meta");
		attr(w, "refines", "#author");
		attr(w, "property", "role");
		attr(w, "scheme", "marc:relators");
		text(w, "aut");
		end(w);
	}
	/* Who made the book, whether or not the guide names its author: the
	 * book producer (MARC relator bkp), never an invented author. */
	el(w, "dc:contributor");
	attr(w, "id", "producer");
	text(w, "depthbook");
	end(w);
	el(w, "meta");
	attr(w, "refines", "#producer");
	attr(w, "property", "role");
	attr(w, "scheme", "marc:relators");
	text(w, "bkp");
	end(w);
	if (g->description != NULL && *g->description)
		el_text(w, "dc:description", g->description);
	meta(w, "dcterms:modified", p->modified);
	a11y_metadata(w, p);
	/* EPUB 2 readers (and calibre) find the cover through this. */
	el(w, "meta");
	attr(w, "name", "cover");
	attr(w, "content", "cover");
	end(w);
	end(w); /* metadata */

	el(w, "manifest");
	item(w, "cover-page", "cover.xhtml", "application/xhtml+xml", NULL);
	item(w, "title", "title.xhtml", "application/xhtml+xml", p->title_facts & EPUB_HAS_MATH ? "mathml" : NULL);
	item(w, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
	for (size_t i = 0; i < p->npages; i++) {
		char *href = epub_page_file(&p->pages[i]);
		item(w, epub_page_id(&p->pages[i]), href, "application/xhtml+xml",
		     p->facts[i] & EPUB_HAS_MATH ? "mathml" : NULL);
		free(href);
	}
	item(w, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
	item(w, "css", "style.css", "text/css", NULL);
	item(w, "cover", "cover.png", "image/png", "cover-image");
	for (size_t i = 0; i < p->nmedia; i++) {
		char id[32];
		snprintf(id, sizeof id, "media-%zu", i + 1);
		item(w, id, p->media[i].href, p->media[i].type, NULL);
	}
	end(w);

	el(w, "spine");
	attr(w, "toc", "ncx");
	if (strcmp(model_lang_dir(p->guide->lang), "rtl") == 0)
		attr(w, "page-progression-direction", "rtl");
	itemref(w, "cover-page");
	itemref(w, "title");
	itemref(w, "nav");
	for (size_t i = 0; i < p->npages; i++)
		itemref(w, epub_page_id(&p->pages[i]));
	end(w);
	end(w); /* package */
	return finish(&wr, len);
}

/* One table of contents being written: nav.xhtml's <li><a>…</a><ol>…
 * or toc.ncx's <navPoint><navLabel>…<content/>…; toc_walk gives both the
 * same entries in the same order. */
struct toc {
	xmlTextWriterPtr w;
	int ncx;
	int order;  /* toc.ncx's playOrder, counted from 1 */
};

/* Opens an entry; its children follow, then entry_end. */
static void entry(struct toc *t, const char *href, const char *label)
{
	xmlTextWriterPtr w = t->w;
	if (t->ncx) {
		char id[32], num[16];
		snprintf(id, sizeof id, "np%d", t->order);
		snprintf(num, sizeof num, "%d", t->order);
		t->order++;
		el(w, "navPoint");
		attr(w, "id", id);
		attr(w, "playOrder", num);
		el(w, "navLabel");
		el_text(w, "text", label);
		end(w);
		el(w, "content");
		attr(w, "src", href);
		end(w);
	} else {
		el(w, "li");
		el(w, "a");
		attr(w, "href", href);
		text(w, label);
		end(w);
	}
}

static void entry_end(struct toc *t)
{
	end(t->w);
}

/* nav.xhtml nests an entry's children in an <ol>; the NCX in the navPoint. */
static void children(struct toc *t)
{
	if (!t->ncx)
		el(t->w, "ol");
}

static void children_end(struct toc *t)
{
	if (!t->ncx)
		end(t->w);
}

static void toc_question(struct toc *t, const struct model_question *q)
{
	char *href = epub_question_file(q);
	char *label = epub_question_label(q);
	entry(t, href, label);
	free(label);
	if (q->ndepths > 0) {
		children(t);
		for (size_t k = 0; k < q->ndepths; k++) {
			char *dh = xasprintf("%s#%s", href, q->depths[k]->id);
			char *dl = epub_depth_label(q->depths[k]);
			entry(t, dh, dl);
			entry_end(t);
			free(dh), free(dl);
		}
		children_end(t);
	}
	entry_end(t);
	free(href);
}

/* The title page, then the pages: sections → questions → follow-ups. */
static void toc_walk(struct toc *t, const struct epub_pkg *p)
{
	entry(t, "title.xhtml", guide_title(p->guide));
	entry_end(t);
	for (size_t i = 0; i < p->npages; i++) {
		const struct epub_page *pg = &p->pages[i];
		if (pg->question == NULL && pg->section == NULL) {
			entry(t, "epilogue.xhtml", "Closing note");
			entry_end(t);
			continue;
		}
		if (pg->question != NULL && pg->section == NULL) {
			toc_question(t, pg->question);
			continue;
		}
		if (pg->question != NULL)
			continue; /* written under its section */
		const struct model_section *s = pg->section;
		char *href = epub_section_file(s);
		char *label = xasprintf("%d. %s", s->number, s->title_text ? s->title_text : "");
		entry(t, href, label);
		free(href), free(label);
		if (s->count > 0) {
			children(t);
			for (size_t k = i + 1; k < p->npages && p->pages[k].question && p->pages[k].section == s; k++)
				toc_question(t, p->pages[k].question);
			children_end(t);
		}
		entry_end(t);
	}
}

/* A landmarks entry: <li><a epub:type="type" href="href">label</a></li>. */
static void landmark(xmlTextWriterPtr w, const char *type, const char *href, const char *label)
{
	el(w, "li");
	el(w, "a");
	attr(w, "epub:type", type);
	attr(w, "href", href);
	text(w, label);
	end(w);
	end(w);
}

char *epub_nav(const struct epub_pkg *p, size_t *len)
{
	const struct model_guide *g = p->guide;
	struct writer wr;
	begin(&wr);
	xmlTextWriterPtr w = wr.w;
	ok(xmlTextWriterWriteDTD(w, X("html"), NULL, NULL, NULL));
	el(w, "html");
	attr(w, "xmlns", NS_XHTML);
	attr(w, "xmlns:epub", NS_OPS);
	attr(w, "lang", g->lang);
	attr(w, "xml:lang", g->lang);
	attr(w, "dir", model_lang_dir(g->lang));
	el(w, "head");
	el(w, "meta");
	attr(w, "charset", "UTF-8");
	end(w);
	el_text(w, "title", "Contents");
	el(w, "link");
	attr(w, "rel", "stylesheet");
	attr(w, "type", "text/css");
	attr(w, "href", "style.css");
	end(w);
	end(w); /* head */
	el(w, "body");
	el(w, "nav");
	attr(w, "epub:type", "toc");
	attr(w, "role", "doc-toc");
	attr(w, "id", "toc");
	attr(w, "aria-labelledby", "toc-h");
	el(w, "h1");
	attr(w, "id", "toc-h");
	text(w, "Contents");
	end(w);
	el(w, "ol");
	struct toc t = {.w = w};
	toc_walk(&t, p);
	end(w); /* ol */
	end(w); /* nav */
	/* Landmarks are for the reading system's menus, not the page: hidden
	 * (EPUB 3.3 §7.4.1.4), and display: none for converters that show
	 * what is hidden (calibre's text output reads the stylesheet). */
	el(w, "nav");
	attr(w, "epub:type", "landmarks");
	attr(w, "id", "landmarks");
	attr(w, "class", "landmarks");
	attr(w, "aria-label", "Landmarks");
	attr(w, "hidden", "hidden");
	el(w, "ol");
	landmark(w, "cover", "cover.xhtml", "Cover");
	landmark(w, "titlepage", "title.xhtml", "Title page");
	landmark(w, "toc", "nav.xhtml#toc", "Contents");
	if (p->npages > 0) {
		char *href = epub_page_file(&p->pages[0]);
		landmark(w, "bodymatter", href, "Start of content");
		free(href);
	}
	end(w); /* ol */
	end(w); /* nav */
	end(w); /* body */
	end(w); /* html */
	return finish(&wr, len);
}

char *epub_ncx(const struct epub_pkg *p, size_t *len)
{
	const struct model_guide *g = p->guide;
	struct writer wr;
	begin(&wr);
	xmlTextWriterPtr w = wr.w;
	el(w, "ncx");
	attr(w, "xmlns", NS_NCX);
	attr(w, "version", "2005-1");
	attr(w, "xml:lang", g->lang);
	el(w, "head");
	static const char *const names[] = {"dtb:uid", "dtb:depth", "dtb:totalPageCount", "dtb:maxPageNumber"};
	const char *values[] = {p->identifier, g->nsections > 0 ? "3" : "2", "0", "0"};
	for (size_t i = 0; i < 4; i++) {
		el(w, "meta");
		attr(w, "name", names[i]);
		attr(w, "content", values[i]);
		end(w);
	}
	end(w);
	el(w, "docTitle");
	el_text(w, "text", guide_title(g));
	end(w);
	if (g->author != NULL && *g->author) {
		el(w, "docAuthor");
		el_text(w, "text", g->author);
		end(w);
	}
	el(w, "navMap");
	struct toc t = {.w = w, .ncx = 1, .order = 1};
	toc_walk(&t, p);
	end(w);
	end(w);
	return finish(&wr, len);
}
