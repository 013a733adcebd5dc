/* epub_pkg.c: the EPUB's package files — META-INF/container.xml, the
 * package document (OPF), nav.xhtml, the EPUB 2 toc.ncx and the SVG cover —
 * built with libxml2's tree API, so each is well-formed by construction. */
#include "epub.h"
#include "math.h"
#include "util.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_OPS "http://www.idpf.org/2007/ops"
#define NS_NCX "http://www.daisy.org/z3986/2005/ncx/"
#define NS_SVG "http://www.w3.org/2000/svg"
#define NS_CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"

#define X(s) ((const xmlChar *)(s))

char *epub_xml_take(void *doc, size_t *len)
{
	xmlChar *mem = NULL;
	int size = 0;
	xmlDocDumpFormatMemoryEnc((xmlDocPtr)doc, &mem, &size, "UTF-8", 0);
	char *s = xstrndup(mem ? (const char *)mem : "", mem ? (size_t)size : 0);
	*len = mem ? (size_t)size : 0;
	xmlFree(mem);
	xmlFreeDoc((xmlDocPtr)doc);
	return s;
}

/* A new child element name of parent with text content (escaped by libxml2),
 * in parent's namespace. Returns the child, owned by the tree. */
static xmlNodePtr text_child(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, X(name), X(text));
}

/* Sets xml:lang on node. */
static void set_lang(xmlNodePtr node, const char *lang)
{
	xmlNsPtr xml = xmlSearchNs(node->doc, node, X("xml"));
	xmlSetNsProp(node, xml, X("lang"), X(lang));
}

/* 1 if node (or NULL) holds a math span, which the chapter shows as
 * MathML: its manifest item must then say properties="mathml" (EPUB 3.3,
 * 5.6.2.3). */
static int has_math(cmark_node *node)
{
	if (node == NULL)
		return 0;
	int found = 0;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		found = ev == CMARK_EVENT_ENTER && math_is_span(cmark_iter_get_node(it));
	cmark_iter_free(it);
	return found;
}

/* 1 if q's chapter (its title, answers, the section text it opens with,
 * and the epilogue in the last one) shows math. */
static int chapter_math(const struct model_guide *g, const struct model_question *q)
{
	if (has_math(q->title) || has_math(q->answer))
		return 1;
	for (size_t k = 0; k < q->ndepths; k++)
		if (has_math(q->depths[k]->question) || has_math(q->depths[k]->answer))
			return 1;
	if (q->section && q->section->first == q->index && (has_math(q->section->title) || has_math(q->section->intro)))
		return 1;
	return q->index + 1 == g->nquestions && has_math(g->epilogue);
}

/* The chapter file of q inside the EPUB directory ("q1.xhtml"); caller frees. */
static char *chapter_href(const struct model_question *q)
{
	return xasprintf("%s.xhtml", q->id);
}

char *epub_container(size_t *len)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, X("container"));
	xmlNsPtr ns = xmlNewNs(root, X(NS_CONTAINER), NULL);
	xmlSetNs(root, ns);
	xmlSetProp(root, X("version"), X("1.0"));
	xmlDocSetRootElement(doc, root);
	xmlNodePtr files = xmlNewChild(root, ns, X("rootfiles"), NULL);
	xmlNodePtr file = xmlNewChild(files, ns, X("rootfile"), NULL);
	xmlSetProp(file, X("full-path"), X("EPUB/package.opf"));
	xmlSetProp(file, X("media-type"), X("application/oebps-package+xml"));
	return epub_xml_take(doc, len);
}

static void meta_property(xmlNodePtr metadata, xmlNsPtr ns, const char *property, const char *value)
{
	xmlNodePtr m = text_child(metadata, ns, "meta", value);
	xmlSetProp(m, X("property"), X(property));
}

static void manifest_item(xmlNodePtr manifest, xmlNsPtr ns, const char *id, const char *href,
                          const char *type, const char *properties)
{
	xmlNodePtr item = xmlNewChild(manifest, ns, X("item"), NULL);
	xmlSetProp(item, X("id"), X(id));
	xmlSetProp(item, X("href"), X(href));
	xmlSetProp(item, X("media-type"), X(type));
	if (properties != NULL)
		xmlSetProp(item, X("properties"), X(properties));
}

static void spine_item(xmlNodePtr spine, xmlNsPtr ns, const char *idref)
{
	xmlNodePtr ref = xmlNewChild(spine, ns, X("itemref"), NULL);
	xmlSetProp(ref, X("idref"), X(idref));
}

char *epub_opf(const struct epub_book *book, size_t *len)
{
	const struct model_guide *g = book->guide;
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, X("package"));
	xmlNsPtr ns = xmlNewNs(root, X(NS_OPF), NULL);
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	xmlSetProp(root, X("version"), X("3.0"));
	xmlSetProp(root, X("unique-identifier"), X("book-id"));
	set_lang(root, g->lang);

	xmlNodePtr metadata = xmlNewChild(root, ns, X("metadata"), NULL);
	xmlNsPtr dc = xmlNewNs(metadata, X(NS_DC), X("dc"));
	xmlNodePtr id = text_child(metadata, dc, "identifier", book->identifier);
	xmlSetProp(id, X("id"), X("book-id"));
	text_child(metadata, dc, "title", g->title ? g->title : g->slug);
	text_child(metadata, dc, "language", g->lang);
	if (g->author != NULL && *g->author)
		text_child(metadata, dc, "creator", g->author);
	if (g->description != NULL && *g->description)
		text_child(metadata, dc, "description", g->description);
	meta_property(metadata, ns, "dcterms:modified", book->modified);
	/* EPUB Accessibility 1.1 discovery metadata (schema.org). */
	meta_property(metadata, ns, "schema:accessMode", "textual");
	meta_property(metadata, ns, "schema:accessMode", "visual");
	meta_property(metadata, ns, "schema:accessModeSufficient", "textual");
	meta_property(metadata, ns, "schema:accessibilityFeature", "structuralNavigation");
	meta_property(metadata, ns, "schema:accessibilityFeature", "tableOfContents");
	meta_property(metadata, ns, "schema:accessibilityFeature", "readingOrder");
	meta_property(metadata, ns, "schema:accessibilityFeature", "alternativeText");
	meta_property(metadata, ns, "schema:accessibilityHazard", "none");
	meta_property(metadata, ns, "schema:accessibilitySummary",
	              "A text study guide: one chapter per main question, with its answer and its "
	              "numbered follow-up questions and answers, navigable by the table of contents "
	              "and headings. The only image is the cover, which repeats the title as text.");
	/* EPUB 2 readers find the cover through this. */
	xmlNodePtr cover = xmlNewChild(metadata, ns, X("meta"), NULL);
	xmlSetProp(cover, X("name"), X("cover"));
	xmlSetProp(cover, X("content"), X("cover"));

	xmlNodePtr manifest = xmlNewChild(root, ns, X("manifest"), NULL);
	manifest_item(manifest, ns, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
	manifest_item(manifest, ns, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
	manifest_item(manifest, ns, "title", "title.xhtml", "application/xhtml+xml",
	              has_math(g->intro) || has_math(g->title_node) ? "mathml" : NULL);
	for (size_t i = 0; i < g->nquestions; i++) {
		char *href = chapter_href(g->questions[i]);
		manifest_item(manifest, ns, g->questions[i]->id, href, "application/xhtml+xml",
		              chapter_math(g, g->questions[i]) ? "mathml" : NULL);
		free(href);
	}
	/* a section without questions (a glossary) is a chapter of its own */
	for (size_t i = 0; i < g->nsections; i++)
		if (g->sections[i]->count == 0) {
			char *href = xasprintf("%s.xhtml", g->sections[i]->id);
			manifest_item(manifest, ns, g->sections[i]->id, href, "application/xhtml+xml",
			              has_math(g->sections[i]->title) || has_math(g->sections[i]->intro) ? "mathml" : NULL);
			free(href);
		}
	manifest_item(manifest, ns, "css", "style.css", "text/css", NULL);
	manifest_item(manifest, ns, "cover", "cover.svg", "image/svg+xml", "cover-image");
	for (size_t i = 0; i < book->nentries; i++) {
		const char *path = book->entries[i].path;
		if (strncmp(path, "EPUB/media/", 11) != 0)
			continue;
		char id[32];
		snprintf(id, sizeof id, "media-%zu", i);
		manifest_item(manifest, ns, id, path + 5, epub_image_type(path), NULL);
	}

	xmlNodePtr spine = xmlNewChild(root, ns, X("spine"), NULL);
	xmlSetProp(spine, X("toc"), X("ncx"));
	spine_item(spine, ns, "title");
	spine_item(spine, ns, "nav");
	/* in reading order: a section without questions before the question
	 * that follows it */
	size_t next = 0;
	for (size_t i = 0; i <= g->nquestions; i++) {
		for (; next < g->nsections && (g->sections[next]->count > 0 || g->sections[next]->first <= i); next++)
			if (g->sections[next]->count == 0)
				spine_item(spine, ns, g->sections[next]->id);
		if (i < g->nquestions)
			spine_item(spine, ns, g->questions[i]->id);
	}
	return epub_xml_take(doc, len);
}

/* The label of a question in the tables of contents ("Q1: …"); caller frees. */
static char *question_label(const struct model_question *q)
{
	return xasprintf("Q%d: %s", q->number, q->title_text ? q->title_text : "");
}

static char *depth_label(const struct model_depth *d)
{
	return xasprintf("Depth %d: %s", d->number, d->question_text ? d->question_text : "");
}

static char *section_label(const struct model_section *s)
{
	return xasprintf("%d. %s", s->number, s->title_text ? s->title_text : "");
}

/* The href of a section: its heading in its first question's chapter. */
static char *section_href(const struct model_guide *g, const struct model_section *s)
{
	if (s->count == 0)
		return xasprintf("%s.xhtml#%s", s->id, s->id); /* its own chapter */
	if (s->first >= g->nquestions)
		return xstrdup("title.xhtml");
	return xasprintf("%s.xhtml#%s", g->questions[s->first]->id, s->id);
}

/* Appends <li><a href>label</a></li> to ol; returns the li. */
static xmlNodePtr nav_item(xmlNodePtr ol, xmlNsPtr ns, const char *href, const char *label)
{
	xmlNodePtr li = xmlNewChild(ol, ns, X("li"), NULL);
	xmlNodePtr a = text_child(li, ns, "a", label);
	xmlSetProp(a, X("href"), X(href));
	return li;
}

/* One table of contents being built: nav.xhtml adds <li><a> entries and
 * nests them in an <ol>; toc.ncx adds <navPoint>s and nests them in the
 * navPoint itself. toc_walk gives both the same entries in the same order. */
struct toc {
	xmlNsPtr ns;
	int order;  /* toc.ncx's playOrder, counted from 1 */
	xmlNodePtr (*add)(struct toc *t, xmlNodePtr parent, const char *href, const char *label);
	xmlNodePtr (*sub)(struct toc *t, xmlNodePtr entry); /* where entry's own entries go */
};

/* Questions first .. first + count, each with its follow-ups. */
static void toc_questions(struct toc *t, xmlNodePtr parent, const struct model_guide *g, size_t first,
                          size_t count)
{
	for (size_t i = first; i < first + count && i < g->nquestions; i++) {
		const struct model_question *q = g->questions[i];
		char *href = chapter_href(q), *label = question_label(q);
		/* "#qN", not the file's start: the section heading comes first in
		 * the chapter, and the toc must follow reading order (NAV-011). */
		char *qhref = xasprintf("%s#%s", href, q->id);
		xmlNodePtr entry = t->add(t, parent, qhref, label);
		free(qhref);
		free(label);
		if (q->ndepths > 0) {
			xmlNodePtr sub = t->sub(t, entry);
			for (size_t k = 0; k < q->ndepths; k++) {
				char *dh = xasprintf("%s#%s", href, q->depths[k]->id);
				char *dl = depth_label(q->depths[k]);
				t->add(t, sub, dh, dl);
				free(dh);
				free(dl);
			}
		}
		free(href);
	}
}

/* The title page, sections → questions → follow-ups, then any question
 * outside a section (a guide the validator let through). */
static void toc_walk(struct toc *t, xmlNodePtr root, const struct model_guide *g)
{
	t->add(t, root, "title.xhtml", g->title ? g->title : g->slug);
	for (size_t i = 0; i < g->nsections; i++) {
		const struct model_section *s = g->sections[i];
		char *href = section_href(g, s), *label = section_label(s);
		xmlNodePtr entry = t->add(t, root, href, label);
		free(href);
		free(label);
		if (s->count > 0)
			toc_questions(t, t->sub(t, entry), g, s->first, s->count);
	}
	for (size_t i = 0; i < g->nquestions; i++)
		if (g->questions[i]->section == NULL)
			toc_questions(t, root, g, i, 1);
}

static xmlNodePtr nav_add(struct toc *t, xmlNodePtr ol, const char *href, const char *label)
{
	return nav_item(ol, t->ns, href, label);
}

static xmlNodePtr nav_sub(struct toc *t, xmlNodePtr li)
{
	return xmlNewChild(li, t->ns, X("ol"), NULL);
}

char *epub_nav(const struct epub_book *book, size_t *len)
{
	const struct model_guide *g = book->guide;
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr html = xmlNewNode(NULL, X("html"));
	xmlNsPtr ns = xmlNewNs(html, X(NS_XHTML), NULL);
	xmlNsPtr epub = xmlNewNs(html, X(NS_OPS), X("epub"));
	xmlSetNs(html, ns);
	xmlDocSetRootElement(doc, html);
	xmlCreateIntSubset(doc, X("html"), NULL, NULL);
	xmlSetProp(html, X("lang"), X(g->lang));
	set_lang(html, g->lang);
	xmlNodePtr head = xmlNewChild(html, ns, X("head"), NULL);
	xmlSetProp(xmlNewChild(head, ns, X("meta"), NULL), X("charset"), X("UTF-8"));
	text_child(head, ns, "title", "Contents");
	xmlNodePtr css = xmlNewChild(head, ns, X("link"), NULL);
	xmlSetProp(css, X("rel"), X("stylesheet"));
	xmlSetProp(css, X("type"), X("text/css"));
	xmlSetProp(css, X("href"), X("style.css"));
	xmlNodePtr body = xmlNewChild(html, ns, X("body"), NULL);

	xmlNodePtr toc = xmlNewChild(body, ns, X("nav"), NULL);
	xmlSetNsProp(toc, epub, X("type"), X("toc"));
	xmlSetProp(toc, X("id"), X("toc"));
	text_child(toc, ns, "h1", "Contents");
	xmlNodePtr ol = xmlNewChild(toc, ns, X("ol"), NULL);
	struct toc t = {.ns = ns, .add = nav_add, .sub = nav_sub};
	toc_walk(&t, ol, g);

	xmlNodePtr marks = xmlNewChild(body, ns, X("nav"), NULL);
	xmlSetNsProp(marks, epub, X("type"), X("landmarks"));
	xmlSetProp(marks, X("id"), X("landmarks"));
	xmlSetProp(marks, X("hidden"), X("hidden"));
	text_child(marks, ns, "h2", "Landmarks");
	xmlNodePtr mol = xmlNewChild(marks, ns, X("ol"), NULL);
	xmlNodePtr a;
	a = xmlFirstElementChild(nav_item(mol, ns, "title.xhtml", "Title page"));
	xmlSetNsProp(a, epub, X("type"), X("titlepage"));
	a = xmlFirstElementChild(nav_item(mol, ns, "nav.xhtml#toc", "Contents"));
	xmlSetNsProp(a, epub, X("type"), X("toc"));
	if (g->nquestions > 0) {
		char *href = chapter_href(g->questions[0]);
		a = xmlFirstElementChild(nav_item(mol, ns, href, "Start of content"));
		xmlSetNsProp(a, epub, X("type"), X("bodymatter"));
		free(href);
	}
	return epub_xml_take(doc, len);
}

/* Appends a navPoint to parent; returns it. */
static xmlNodePtr nav_point(xmlNodePtr parent, xmlNsPtr ns, int *order, const char *src,
                            const char *label)
{
	xmlNodePtr np = xmlNewChild(parent, ns, X("navPoint"), NULL);
	char id[32], num[16];
	snprintf(id, sizeof id, "np%d", *order);
	snprintf(num, sizeof num, "%d", *order);
	(*order)++;
	xmlSetProp(np, X("id"), X(id));
	xmlSetProp(np, X("playOrder"), X(num));
	xmlNodePtr nl = xmlNewChild(np, ns, X("navLabel"), NULL);
	text_child(nl, ns, "text", label);
	xmlSetProp(xmlNewChild(np, ns, X("content"), NULL), X("src"), X(src));
	return np;
}

static xmlNodePtr ncx_add(struct toc *t, xmlNodePtr parent, const char *href, const char *label)
{
	return nav_point(parent, t->ns, &t->order, href, label);
}

static xmlNodePtr ncx_sub(struct toc *t, xmlNodePtr nav_point)
{
	(void)t;
	return nav_point;
}

char *epub_ncx(const struct epub_book *book, size_t *len)
{
	const struct model_guide *g = book->guide;
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, X("ncx"));
	xmlNsPtr ns = xmlNewNs(root, X(NS_NCX), NULL);
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	xmlSetProp(root, X("version"), X("2005-1"));
	set_lang(root, g->lang);
	xmlNodePtr head = xmlNewChild(root, ns, X("head"), NULL);
	static const char *const names[] = {"dtb:uid", "dtb:depth", "dtb:totalPageCount", "dtb:maxPageNumber"};
	const char *values[] = {book->identifier, g->nsections > 0 ? "3" : "2", "0", "0"};
	for (size_t i = 0; i < 4; i++) {
		xmlNodePtr m = xmlNewChild(head, ns, X("meta"), NULL);
		xmlSetProp(m, X("name"), X(names[i]));
		xmlSetProp(m, X("content"), X(values[i]));
	}
	text_child(xmlNewChild(root, ns, X("docTitle"), NULL), ns, "text", g->title ? g->title : g->slug);
	if (g->author != NULL && *g->author)
		text_child(xmlNewChild(root, ns, X("docAuthor"), NULL), ns, "text", g->author);
	xmlNodePtr map = xmlNewChild(root, ns, X("navMap"), NULL);
	struct toc t = {.ns = ns, .order = 1, .add = ncx_add, .sub = ncx_sub};
	toc_walk(&t, map, g);
	return epub_xml_take(doc, len);
}

/* Number of UTF-8 characters in s[0..n). */
static size_t u8len(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Splits text into lines of about width characters at spaces; appends each
 * line as an SVG <text> element under parent, from baseline y by step.
 * Returns the y after the last line. */
static int svg_lines(xmlNodePtr parent, xmlNsPtr ns, const char *text, size_t width, int y, int step,
                     const char *cls)
{
	struct buf line = {0};
	const char *p = text;
	for (;;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0 || (line.len > 0 && u8len(line.data, line.len) + 1 + u8len(p, n) > width)) {
			if (line.len > 0) {
				char yy[16];
				snprintf(yy, sizeof yy, "%d", y);
				xmlNodePtr t = text_child(parent, ns, "text", line.data);
				xmlSetProp(t, X("x"), X("300"));
				xmlSetProp(t, X("y"), X(yy));
				xmlSetProp(t, X("class"), X(cls));
				y += step;
				line.len = 0;
				line.data[0] = '\0';
			}
			if (n == 0)
				break;
		}
		if (line.len > 0)
			buf_putc(&line, ' ');
		buf_put(&line, p, n);
		p += n;
	}
	buf_free(&line);
	return y;
}

/* Writes "#rrggbb" for hue (degrees) at 45% saturation and 28% lightness:
 * a dark background white text reads well on (hsl() is not SVG 1.1). */
static void cover_colour(unsigned hue, char *out, size_t size)
{
	const double s = 0.45, l = 0.28;
	double c = (1 - (2 * l - 1 < 0 ? 1 - 2 * l : 2 * l - 1)) * s;
	double hp = hue / 60.0;
	double m2 = hp - 2 * (int)(hp / 2);
	double x = c * (1 - (m2 - 1 < 0 ? 1 - m2 : m2 - 1));
	double r = 0, g = 0, b = 0;
	switch ((int)hp) {
	case 0: r = c, g = x; break;
	case 1: r = x, g = c; break;
	case 2: g = c, b = x; break;
	case 3: g = x, b = c; break;
	case 4: r = x, b = c; break;
	default: r = c, b = x; break;
	}
	double m = l - c / 2;
	snprintf(out, size, "#%02x%02x%02x", (unsigned)((r + m) * 255 + 0.5), (unsigned)((g + m) * 255 + 0.5),
	         (unsigned)((b + m) * 255 + 0.5));
}

char *epub_cover(const struct epub_book *book, size_t *len)
{
	const struct model_guide *g = book->guide;
	const char *title = g->title ? g->title : g->slug;
	/* A hue from the title, so covers differ between guides but not between builds. */
	unsigned h = 2166136261u;
	for (const char *p = title; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	char fill[16];
	cover_colour(h % 360, fill, sizeof fill);

	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr svg = xmlNewNode(NULL, X("svg"));
	xmlNsPtr ns = xmlNewNs(svg, X(NS_SVG), NULL);
	xmlSetNs(svg, ns);
	xmlDocSetRootElement(doc, svg);
	xmlSetProp(svg, X("version"), X("1.1"));
	xmlSetProp(svg, X("viewBox"), X("0 0 600 800"));
	xmlSetProp(svg, X("width"), X("600"));
	xmlSetProp(svg, X("height"), X("800"));
	xmlSetProp(svg, X("role"), X("img"));
	xmlSetProp(svg, X("aria-labelledby"), X("cover-title"));
	set_lang(svg, g->lang);
	xmlSetProp(text_child(svg, ns, "title", title), X("id"), X("cover-title"));
	text_child(svg, ns, "style",
	           "text{font-family:serif;fill:#fff;text-anchor:middle}"
	           ".t{font-size:42px;font-weight:bold}.a{font-size:26px;font-style:italic}"
	           ".m{font-family:sans-serif;font-size:20px;letter-spacing:3px}");
	xmlNodePtr bg = xmlNewChild(svg, ns, X("rect"), NULL);
	xmlSetProp(bg, X("width"), X("600"));
	xmlSetProp(bg, X("height"), X("800"));
	xmlSetProp(bg, X("fill"), X(fill));
	xmlNodePtr band = xmlNewChild(svg, ns, X("rect"), NULL);
	xmlSetProp(band, X("x"), X("40"));
	xmlSetProp(band, X("y"), X("40"));
	xmlSetProp(band, X("width"), X("520"));
	xmlSetProp(band, X("height"), X("720"));
	xmlSetProp(band, X("fill"), X("none"));
	xmlSetProp(band, X("stroke"), X("#fff"));
	xmlSetProp(band, X("stroke-width"), X("3"));
	int y = svg_lines(svg, ns, title, 15, 250, 54, "t");
	if (g->author != NULL && *g->author)
		svg_lines(svg, ns, g->author, 30, y + 40, 34, "a");
	char count[64];
	snprintf(count, sizeof count, "%zu QUESTIONS · %zu FOLLOW-UPS", g->nquestions, g->ndepths);
	svg_lines(svg, ns, count, 40, 700, 28, "m");
	return epub_xml_take(doc, len);
}
