/* epub.c: the EPUB 3 renderer — one book per guide. Chapters (one per
 * main question) come from cmark-gfm's HTML, parsed with libxml2's HTML
 * parser, fixed up as a tree and serialized as XML into the theme's XHTML
 * templates; every XML file is parsed back before epub_zip packs it. */
#define _POSIX_C_SOURCE 200809L
#include "epub.h"
#include "diag.h"
#include "escape.h"
#include "math.h"
#include "md.h"
#include "out.h"
#include "parallel.h"
#include "template.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define X(s) ((const xmlChar *)(s))
#define XREF_PREFIX "#depthbook-xref-"
#define NOIMG_URL "#depthbook-no-image"

/* The theme's XHTML pieces, loaded once per build. */
struct theme {
	const char *dir;          /* the theme directory, for diagnostics */
	char *page, *title, *byline, *section, *chapter, *depth, *back, *quiz, *quiz_item;
};

/* A cross-link that cannot stay a link inside this book (another guide, a
 * file): shown as text with a reference, or linked to the site. */
struct xref {
	char *label;   /* "“Retries”, Q1 › Depth 1" */
	char *url;     /* the site address with --base-url, else NULL */
};

/* An image file beside the guide, packed as EPUB/media/imgN.ext. */
struct media {
	char *source;  /* the file's path as read */
	char *href;    /* "media/img1.png", relative to EPUB/ */
};

/* What the md hooks need while one guide renders. */
struct ctx {
	const struct model_library *lib;
	const struct model_guide *guide;
	const struct render_opts *opts;
	struct xref *xrefs;
	size_t nxrefs, capxrefs;
	struct media *media;
	size_t nmedia, capmedia;
	int frozen;               /* media numbered: image_href only looks up */
};

/* The EPUB core media type of an image file name, or NULL. */
const char *epub_image_type(const char *name)
{
	static const char *const types[][2] = {
		{".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
		{".gif", "image/gif"}, {".svg", "image/svg+xml"}, {".webp", "image/webp"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(dot, types[i][0]) == 0)
			return types[i][1];
	return NULL;
}

/* The book address of an image beside the guide (the validator has checked
 * that it exists inside the content directory), recorded for packing; or
 * NULL when its type is not an EPUB core media type. Caller frees. */
static char *image_href(struct ctx *c, const char *url)
{
	char *rel = unesc_url(url, strcspn(url, "?#"));
	const char *type = epub_image_type(rel);
	if (type == NULL) {
		free(rel);
		return NULL;
	}
	const char *path = c->guide->path;
	const char *slash = strrchr(path, '/');
	char *source = xasprintf("%.*s/%s", slash ? (int)(slash - path) : 1, slash ? path : ".", rel);
	const char *ext = strrchr(rel, '.');
	for (size_t i = 0; i < c->nmedia; i++)
		if (strcmp(c->media[i].source, source) == 0) {
			free(source), free(rel);
			return xstrdup(c->media[i].href);
		}
	if (c->frozen) { /* not among the guide's links: shown as its alt text */
		free(source), free(rel);
		return NULL;
	}
	if (c->nmedia == c->capmedia) {
		c->capmedia = c->capmedia ? 2 * c->capmedia : 4;
		c->media = xrealloc(c->media, c->capmedia * sizeof *c->media);
	}
	char *href = xasprintf("media/img%zu%s", c->nmedia + 1, ext);
	for (char *p = href; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	c->media[c->nmedia++] = (struct media){source, href};
	free(rel);
	return xstrdup(href);
}

struct slot {
	const char *name;
	const char *value;
};

/* tpl_lookup over a NULL-terminated slot array. */
static const char *slot_lookup(const char *name, size_t len, void *vslots)
{
	for (const struct slot *s = vslots; s->name != NULL; s++)
		if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
			return s->value;
	return NULL;
}

/* Fills template text (the theme's epub/name) with slots into a new string
 * the caller frees, or NULL after a diagnostic naming the template. */
static char *fill(const struct theme *th, const char *text, const char *name, const struct slot *slots)
{
	struct buf b = {0};
	char *path = xasprintf("%s/epub/%s", th->dir, name);
	int r = tpl_fill(&b, text, path, slot_lookup, (void *)slots);
	free(path);
	if (r != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* s escaped as XML text; caller frees. */
static char *escaped(const char *s)
{
	struct buf b = {0};
	esc_html(&b, s ? s : "");
	return buf_take(&b);
}

static void theme_free(struct theme *t)
{
	free(t->page), free(t->title), free(t->byline), free(t->section), free(t->chapter);
	free(t->depth), free(t->back), free(t->quiz), free(t->quiz_item);
}

static int theme_load(struct theme *t, const char *dir)
{
	memset(t, 0, sizeof *t);
	t->dir = dir;
	t->page = tpl_load(dir, "epub/page.xhtml");
	t->title = tpl_load(dir, "epub/title.xhtml");
	t->byline = tpl_load(dir, "epub/byline.xhtml");
	t->section = tpl_load(dir, "epub/section-head.xhtml");
	t->chapter = tpl_load(dir, "epub/chapter.xhtml");
	t->depth = tpl_load(dir, "epub/depth.xhtml");
	t->back = tpl_load(dir, "epub/back.xhtml");
	t->quiz = tpl_load(dir, "epub/quiz.xhtml");
	t->quiz_item = tpl_load(dir, "epub/quiz-item.xhtml");
	if (!t->page || !t->title || !t->byline || !t->section || !t->chapter || !t->depth || !t->back ||
	    !t->quiz || !t->quiz_item) {
		theme_free(t);
		return -1;
	}
	return 0;
}

/* The address inside this book of a unit of its own guide; caller frees. */
static char *unit_href(const struct model_guide *g, const struct model_target *t)
{
	if (t->depth != NULL)
		return xasprintf("%s.xhtml#%s", t->question->id, t->depth->id);
	if (t->question != NULL)
		return xasprintf("%s.xhtml", t->question->id);
	if (t->section != NULL && t->section->count > 0 && t->section->first < g->nquestions)
		return xasprintf("%s.xhtml#%s", g->questions[t->section->first]->id, t->section->id);
	if (t->section != NULL && t->section->count == 0)
		return xasprintf("%s.xhtml#%s", t->section->id, t->section->id);
	return xstrdup("title.xhtml");
}

/* Records an xref; returns the placeholder URL the fix-up pass replaces. */
static char *xref_add(struct ctx *c, const struct model_target *t, const char *url)
{
	struct buf label = {0};
	if (t != NULL && t->guide != NULL) {
		buf_printf(&label, "in \u201c%s\u201d", t->guide->title ? t->guide->title : t->guide->slug);
		if (t->depth != NULL)
			buf_printf(&label, ", Q%d \u203a Depth %d", t->question->number, t->depth->number);
		else if (t->question != NULL)
			buf_printf(&label, ", Q%d", t->question->number);
		else if (t->section != NULL)
			buf_printf(&label, ", section %d", t->section->number);
	} else {
		buf_printf(&label, "%s", url);
	}
	char *site = NULL;
	if (t != NULL && t->guide != NULL && c->opts->base_url != NULL && *c->opts->base_url) {
		const char *base = c->opts->base_url;
		size_t bl = strlen(base);
		const char *sep = bl > 0 && base[bl - 1] == '/' ? "" : "/";
		char *slug = esc_url_path(t->guide->slug);
		if (t->depth != NULL)
			site = xasprintf("%s%s%s/%s.html#%s", base, sep, slug, t->question->id,
			                 t->depth->anchor);
		else if (t->question != NULL)
			site = xasprintf("%s%s%s/%s.html", base, sep, slug, t->question->id);
		else
			site = xasprintf("%s%s%s/", base, sep, slug);
		free(slug);
	}
	if (c->nxrefs == c->capxrefs) {
		c->capxrefs = c->capxrefs ? 2 * c->capxrefs : 8;
		c->xrefs = xrealloc(c->xrefs, c->capxrefs * sizeof *c->xrefs);
	}
	c->xrefs[c->nxrefs] = (struct xref){buf_take(&label), site};
	return xasprintf(XREF_PREFIX "%zu", c->nxrefs++);
}

/* md hook: the URL to write for a link destination, or NULL to keep it. */
static char *link_hook(const char *url, int is_image, void *vctx)
{
	struct ctx *c = vctx;
	struct model_target t;
	memset(&t, 0, sizeof t);
	switch (model_resolve(c->lib, c->guide, url, &t)) {
	case MODEL_LINK_UNIT:
		if (t.guide == c->guide)
			return unit_href(c->guide, &t);
		return xref_add(c, &t, url);
	case MODEL_LINK_GUIDE:
		if (t.guide == c->guide)
			return xstrdup("title.xhtml");
		return xref_add(c, &t, url);
	case MODEL_LINK_FILE:
		/* Images beside the guide are packed; other files are not. */
		if (is_image) {
			char *href = image_href(c, url);
			return href ? href : xstrdup(NOIMG_URL);
		}
		return xref_add(c, NULL, url);
	default:
		return NULL;
	}
}

/* md hook: a math span as MathML (the chapter's manifest item then says
 * properties="mathml", epub_pkg.c). */
static char *math_hook(const char *tex, void *vctx)
{
	(void)vctx;
	return math_to_mathml(tex);
}

/* The fix-ups an HTML tree needs to be valid EPUB XHTML: xref placeholders
 * become site links or plain text with a reference; the obsolete align
 * attribute of table cells becomes a style. */
static void fix_tree(xmlNodePtr node, struct ctx *c)
{
	for (xmlNodePtr n = node; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(n->name, X("a")) == 0) {
			xmlChar *href = xmlGetProp(n, X("href"));
			size_t pl = strlen(XREF_PREFIX);
			if (href != NULL && strncmp((const char *)href, XREF_PREFIX, pl) == 0) {
				size_t i = strtoul((const char *)href + pl, NULL, 10);
				if (i < c->nxrefs) {
					struct xref *x = &c->xrefs[i];
					if (x->url != NULL) {
						xmlSetProp(n, X("href"), X(x->url));
					} else {
						xmlNodeSetName(n, X("span"));
						xmlUnsetProp(n, X("href"));
						xmlSetProp(n, X("class"), X("xref"));
					}
					char *note = xasprintf(" (%s)", x->label);
					xmlNodePtr text = xmlNewDocText(n->doc, X(note));
					free(note);
					xmlAddNextSibling(n, text);
				}
			}
			xmlFree(href);
		}
		if (xmlStrcmp(n->name, X("img")) == 0) {
			/* An image no reader must support: its alt text stands in. */
			xmlChar *src = xmlGetProp(n, X("src"));
			if (src != NULL && strcmp((const char *)src, NOIMG_URL) == 0) {
				xmlChar *alt = xmlGetProp(n, X("alt"));
				xmlNodeSetName(n, X("span"));
				xmlUnsetProp(n, X("src"));
				xmlUnsetProp(n, X("alt"));
				xmlUnsetProp(n, X("title"));
				xmlSetProp(n, X("class"), X("image-alt"));
				xmlNodeAddContent(n, alt ? alt : X(""));
				xmlFree(alt);
			}
			xmlFree(src);
		}
		if (xmlStrcmp(n->name, X("th")) == 0 || xmlStrcmp(n->name, X("td")) == 0) {
			xmlChar *align = xmlGetProp(n, X("align"));
			if (align != NULL) {
				char *style = xasprintf("text-align: %s", (const char *)align);
				xmlUnsetProp(n, X("align"));
				xmlSetProp(n, X("style"), X(style));
				free(style);
			}
			xmlFree(align);
		}
		fix_tree(n->children, c);
	}
}

/* The pieces of one content document, converted together: each piece is
 * cmark-gfm's HTML for a node, and all of them go through libxml2's XML
 * parser in one pass (a parser per piece cost more than the parsing), get
 * fixed up as a tree and are serialized as XML (well-formed by
 * construction). cmark-gfm's HTML is XML already (void elements closed,
 * only XML's own entities, raw HTML omitted, and no character XML forbids
 * gets past load.c; the fuzz target checks every fragment), and libxml2's
 * HTML parser took twice as long. */
struct pieces {
	cmark_node **nodes;
	int *inline_only;
	char **xhtml;       /* filled by pieces_convert, one per node */
	size_t n, cap;
};

/* Adds node (NULL for nothing) and returns its index. */
static size_t piece_add(struct pieces *p, cmark_node *node, int inline_only)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->nodes = xrealloc(p->nodes, p->cap * sizeof *p->nodes);
		p->inline_only = xrealloc(p->inline_only, p->cap * sizeof *p->inline_only);
	}
	p->nodes[p->n] = node;
	p->inline_only[p->n] = inline_only;
	return p->n++;
}

static void pieces_free(struct pieces *p)
{
	for (size_t i = 0; p->xhtml != NULL && i < p->n; i++)
		free(p->xhtml[i]);
	free(p->xhtml), free(p->nodes), free(p->inline_only);
	memset(p, 0, sizeof *p);
}

/* Converts every piece: <div><div>piece 0</div><div>piece 1</div>…</div>
 * is parsed, fixed up, and each inner div's children serialized
 * as UTF-8 XML. Returns 0, or -1 after an internal diagnostic. */
static int pieces_convert(struct pieces *p, struct ctx *c)
{
	struct md_hooks hooks = {.link = link_hook, .math = math_hook, .ctx = c};
	struct buf html = {0};
	buf_puts(&html, "<div>");
	for (size_t i = 0; i < p->n; i++) {
		buf_puts(&html, "<div>");
		if (p->nodes[i] != NULL) {
			char *h = md_html(p->nodes[i], p->inline_only[i], &hooks);
			buf_puts(&html, h);
			free(h);
		}
		buf_puts(&html, "</div>");
	}
	buf_puts(&html, "</div>");
	xmlDocPtr doc = html.len <= INT_MAX
	                    ? xmlReadMemory(html.data, (int)html.len, NULL, "UTF-8",
	                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
	                    : NULL;
	buf_free(&html);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	p->xhtml = xcalloc(p->n ? p->n : 1, sizeof *p->xhtml);
	size_t done = 0;
	if (root != NULL) {
		fix_tree(root->children, c);
		xmlBufferPtr out = xmlBufferCreate();
		xmlSaveCtxtPtr save = xmlSaveToBuffer(out, "UTF-8", XML_SAVE_NO_DECL | XML_SAVE_AS_XML);
		for (xmlNodePtr d = root->children; d != NULL && save != NULL && done < p->n; d = d->next) {
			if (d->type != XML_ELEMENT_NODE)
				continue;
			size_t from = (size_t)xmlBufferLength(out);
			for (xmlNodePtr n = d->children; n != NULL; n = n->next)
				xmlSaveTree(save, n);
			xmlSaveFlush(save);
			p->xhtml[done++] = xstrndup((const char *)xmlBufferContent(out) + from,
			                            (size_t)xmlBufferLength(out) - from);
		}
		if (save != NULL)
			xmlSaveClose(save);
		xmlBufferFree(out);
	}
	xmlFreeDoc(doc);
	if (done != p->n) {
		char *msg = xasprintf("%zu of %zu pieces of a page came back from libxml2", done, p->n);
		diag_report(DIAG_INTERNAL, c->guide->path, 0, 0, msg);
		free(msg);
		for (; done < p->n; done++)
			p->xhtml[done] = xstrdup("");
		return -1;
	}
	return 0;
}

void epub_add(struct epub_book *book, const char *path, char *data, size_t len, int xml)
{
	if (book->nentries == book->capentries) {
		book->capentries = book->capentries ? 2 * book->capentries : 16;
		book->entries = xrealloc(book->entries, book->capentries * sizeof *book->entries);
	}
	book->entries[book->nentries++] = (struct epub_entry){.path = xstrdup(path), .data = data, .len = len, .xml = xml};
}

/* libxml2's last error message without its trailing newline, in a string
 * the caller frees. */
static char *xml_error(void)
{
	const xmlError *e = xmlGetLastError();
	char *msg = xstrdup(e && e->message ? e->message : "parse error");
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	return msg;
}

/* body in the page template: a string the caller frees, or NULL after a
 * diagnostic. */
static char *page_of(const struct epub_book *book, const struct theme *th, const char *title,
                     const char *type, const char *body)
{
	char *etitle = escaped(title);
	struct slot slots[] = {{"lang", book->guide->lang}, {"title", etitle}, {"type", type},
	                       {"body", body}, {NULL, NULL}};
	char *page = fill(th, th->page, "page.xhtml", slots);
	free(etitle);
	return page;
}

/* Wraps body in the page template and adds it as EPUB/<file>; the
 * parse-back in check_entries guards its well-formedness. Returns 0, or
 * -1 after a diagnostic. */
static int add_page(struct epub_book *book, const struct theme *th, const char *file,
                    const char *title, const char *type, const char *body)
{
	char *page = page_of(book, th, title, type, body);
	if (page == NULL)
		return -1;
	char *path = xasprintf("EPUB/%s", file);
	epub_add(book, path, page, strlen(page), 1);
	free(path);
	return 0;
}

static int add_title_page(struct epub_book *book, const struct theme *th, struct ctx *c)
{
	const struct model_guide *g = book->guide;
	struct pieces p = {0};
	piece_add(&p, g->intro, 0);
	if (pieces_convert(&p, c) != 0) {
		pieces_free(&p);
		return -1;
	}
	char *title = escaped(g->title ? g->title : g->slug);
	char *byline = xstrdup("");
	if (g->author != NULL && *g->author) {
		char *author = escaped(g->author);
		struct slot s[] = {{"author", author}, {NULL, NULL}};
		free(byline);
		byline = fill(th, th->byline, "byline.xhtml", s);
		free(author);
	}
	char *body = NULL;
	if (byline != NULL) {
		struct slot s[] = {{"title", title}, {"byline", byline}, {"intro", p.xhtml[0]}, {NULL, NULL}};
		body = fill(th, th->title, "title.xhtml", s);
	}
	int r = body ? add_page(book, th, "title.xhtml", g->title ? g->title : g->slug, "frontmatter", body)
	             : -1;
	free(title), free(byline), free(body);
	pieces_free(&p);
	return r;
}

/* One follow-up as XHTML (appended to depths), and its quiz item. */
static int depth_xhtml(const struct theme *th, const struct model_depth *d, const char *question,
                       const char *answer, int quiz, struct buf *depths, struct buf *items)
{
	char num[16];
	snprintf(num, sizeof num, "%d", d->number);
	char *back = xstrdup("");
	int r = 0;
	if (quiz) {
		struct slot s[] = {{"id", d->id}, {"number", num}, {"question", question}, {NULL, NULL}};
		char *item = fill(th, th->quiz_item, "quiz-item.xhtml", s);
		free(back);
		back = fill(th, th->back, "back.xhtml", s);
		if (item != NULL)
			buf_puts(items, item);
		else
			r = -1;
		free(item);
	}
	if (back != NULL && r == 0) {
		struct slot s[] = {{"id", d->id}, {"number", num}, {"question", question},
		                   {"answer", answer}, {"back", back}, {NULL, NULL}};
		char *piece = fill(th, th->depth, "depth.xhtml", s);
		if (piece != NULL)
			buf_puts(depths, piece);
		else
			r = -1;
		free(piece);
	} else {
		r = -1;
	}
	free(back);
	return r;
}

/* The chapter of q: its page as a string the caller frees, or NULL after
 * a diagnostic. */
static char *chapter_page(const struct epub_book *book, const struct theme *th, struct ctx *c,
                          const struct model_question *q)
{
	/* Every piece of the chapter, converted in one pass: the title, the
	 * answer, the section title when the chapter opens a section, then
	 * each follow-up's question and answer. */
	struct pieces p = {0};
	piece_add(&p, q->title, 1);
	piece_add(&p, q->answer, 0);
	int opens_section = q->section != NULL && q->section->first == q->index;
	piece_add(&p, opens_section ? q->section->title : NULL, 1);
	for (size_t k = 0; k < q->ndepths; k++) {
		piece_add(&p, q->depths[k]->question, 1);
		piece_add(&p, q->depths[k]->answer, 0);
	}
	/* The guide's closing note ends its last chapter, as its own section. */
	const struct model_guide *g = book->guide;
	size_t epilogue = g->epilogue && q->index + 1 == g->nquestions ? piece_add(&p, g->epilogue, 0) : 0;
	/* the section's own text (a tagline, a list) follows its heading */
	size_t sintro = opens_section && cmark_node_first_child(q->section->intro) ? piece_add(&p, q->section->intro, 0) : 0;
	int r = pieces_convert(&p, c);
	int quiz = book->opts->epub_quiz && q->ndepths > 0;
	struct buf depths = {0}, items = {0};
	for (size_t k = 0; k < q->ndepths && r == 0; k++)
		r = depth_xhtml(th, q->depths[k], p.xhtml[3 + 2 * k], p.xhtml[4 + 2 * k], quiz, &depths, &items);
	char *section = xstrdup(""), *quizs = xstrdup("");
	if (r == 0 && opens_section) {
		char num[16];
		snprintf(num, sizeof num, "%d", q->section->number);
		struct slot s[] = {{"id", q->section->id}, {"number", num}, {"title", p.xhtml[2]}, {NULL, NULL}};
		free(section);
		section = fill(th, th->section, "section-head.xhtml", s);
		if (section != NULL && sintro) {
			char *with = xasprintf("%s<div class=\"section-intro\">\n%s</div>\n", section, p.xhtml[sintro]);
			free(section);
			section = with;
		}
	}
	if (r == 0 && quiz) {
		struct slot s[] = {{"id", q->id}, {"items", items.data ? items.data : ""}, {NULL, NULL}};
		free(quizs);
		quizs = fill(th, th->quiz, "quiz.xhtml", s);
	}
	char *body = NULL;
	if (r == 0 && section != NULL && quizs != NULL) {
		char num[16];
		snprintf(num, sizeof num, "%d", q->number);
		struct slot s[] = {{"id", q->id}, {"number", num}, {"title", p.xhtml[0]}, {"section", section},
		                   {"quiz", quizs}, {"answer", p.xhtml[1]},
		                   {"depths", depths.data ? depths.data : ""}, {NULL, NULL}};
		body = fill(th, th->chapter, "chapter.xhtml", s);
	}
	if (body != NULL && epilogue) {
		char *with = xasprintf("%s<section class=\"epilogue\" id=\"epilogue\" epub:type=\"epilogue\">\n%s</section>\n",
		                       body, p.xhtml[epilogue]);
		free(body);
		body = with;
	}
	char *page = NULL;
	if (body != NULL) {
		char *title = xasprintf("Q%d: %s", q->number, q->title_text ? q->title_text : "");
		page = page_of(book, th, title, "bodymatter", body);
		free(title);
	}
	free(body), free(section), free(quizs);
	buf_free(&depths), buf_free(&items);
	pieces_free(&p);
	return page;
}

/* The chapter of a section without questions (a glossary): its heading
 * and its text, as a string the caller frees, or NULL after a diagnostic. */
static char *section_page(const struct epub_book *book, const struct theme *th, struct ctx *c,
                          const struct model_section *sec)
{
	struct pieces p = {0};
	piece_add(&p, sec->title, 1);
	piece_add(&p, sec->intro, 0);
	char *page = NULL;
	if (pieces_convert(&p, c) == 0) {
		char num[16];
		snprintf(num, sizeof num, "%d", sec->number);
		struct slot s[] = {{"id", sec->id}, {"number", num}, {"title", p.xhtml[0]}, {NULL, NULL}};
		char *head = fill(th, th->section, "section-head.xhtml", s);
		if (head != NULL) {
			char *body = xasprintf("%s<div class=\"section-intro\">\n%s</div>\n", head, p.xhtml[1]);
			char *title = xasprintf("%d. %s", sec->number, sec->title_text ? sec->title_text : "");
			page = page_of(book, th, title, "bodymatter", body);
			free(title);
			free(body);
			free(head);
		}
	}
	pieces_free(&p);
	return page;
}

/* The k-th section without questions of g (its own chapter), or NULL. */
static const struct model_section *lone_section(const struct model_guide *g, size_t k)
{
	for (size_t i = 0; i < g->nsections; i++)
		if (g->sections[i]->count == 0 && k-- == 0)
			return g->sections[i];
	return NULL;
}

static size_t lone_sections(const struct model_guide *g)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nsections; i++)
		n += g->sections[i]->count == 0;
	return n;
}

/* A urn:uuid: derived from the guide's slug and title (two FNV-1a 64-bit
 * hashes, with the RFC 9562 version-8 "custom" and variant bits); caller frees. */
static char *derived_uuid(const struct model_guide *g)
{
	unsigned long long h[2] = {1469598103934665603ULL, 1099511628211ULL * 31ULL};
	const char *parts[] = {"depthbook-epub", g->slug, g->title ? g->title : ""};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < 3; i++) {
			for (const char *p = parts[i]; *p; p++)
				h[k] = (h[k] ^ (unsigned char)*p) * 1099511628211ULL;
			h[k] = (h[k] ^ 0xFFu) * 1099511628211ULL;
		}
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

/* Parses an XML file back, with libxml2's SAX2 parser and no tree built
 * (well-formedness is all it asks); a failure is an internal error naming
 * the file. Returns 0 or -1. */
static int check_xml(const struct epub_book *book, const char *path, const char *data, size_t len)
{
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC; /* namespaces checked, no callbacks */
	xmlResetLastError();
	if (len <= INT_MAX && xmlSAXUserParseMemory(&sax, NULL, data, (int)len) == 0)
		return 0;
	char *why = xml_error();
	char *msg = xasprintf("%s in %s.epub is not well-formed XML: %s", path, book->guide->slug, why);
	free(why);
	diag_report(DIAG_INTERNAL, book->guide->path, 0, 0, msg);
	free(msg);
	return -1;
}

/* Parses back every XML entry not yet checked. Returns 0 or -1. */
static int check_entries(const struct epub_book *book)
{
	int r = 0;
	for (size_t i = 0; i < book->nentries; i++) {
		const struct epub_entry *e = &book->entries[i];
		if (e->xml && !e->checked && check_xml(book, e->path, e->data, e->len) != 0)
			r = -1;
	}
	return r;
}

struct item_job {
	const struct epub_book *book;
	const struct theme *th;
	struct ctx *c;
	size_t n; /* items */
};

/* What a work item returns: the file's size and CRC-32, then the file as
 * a raw deflate stream. */
struct item_head {
	unsigned long long size, crc;
};

/* The file of work item i: chapter i, then nav.xhtml and toc.ncx. Its
 * path in *path (caller frees); the data as a string the caller frees, or
 * NULL after a diagnostic. */
static char *item_file(const struct item_job *j, size_t i, char **path, size_t *len)
{
	const struct model_guide *g = j->book->guide;
	if (i < g->nquestions) {
		*path = xasprintf("EPUB/%s.xhtml", g->questions[i]->id);
		char *page = chapter_page(j->book, j->th, j->c, g->questions[i]);
		*len = page ? strlen(page) : 0;
		return page;
	}
	size_t lone = lone_sections(g);
	if (i < g->nquestions + lone) {
		const struct model_section *sec = lone_section(g, i - g->nquestions);
		*path = xasprintf("EPUB/%s.xhtml", sec->id);
		char *page = section_page(j->book, j->th, j->c, sec);
		*len = page ? strlen(page) : 0;
		return page;
	}
	int nav = i == g->nquestions + lone;
	*path = xstrdup(nav ? "EPUB/nav.xhtml" : "EPUB/toc.ncx");
	return nav ? epub_nav(j->book, len) : epub_ncx(j->book, len);
}

/* parallel_map's work: item i's file, parsed back and deflated by the
 * process that makes it. */
static char *item_deflated(size_t i, size_t *len, void *vjob)
{
	char *path = NULL;
	size_t size = 0;
	char *data = item_file(vjob, i, &path, &size);
	if (data != NULL && check_xml(((const struct item_job *)vjob)->book, path, data, size) != 0) {
		free(data);
		data = NULL;
	}
	free(path);
	if (data == NULL)
		return NULL;
	size_t zlen;
	unsigned long crc;
	char *z = epub_deflate(data, size, &zlen, &crc);
	free(data);
	struct item_head head = {size, crc};
	char *out = xmalloc(sizeof head + zlen);
	memcpy(out, &head, sizeof head);
	memcpy(out + sizeof head, z, zlen);
	free(z);
	*len = sizeof head + zlen;
	return out;
}

static char *item_work(size_t i, size_t *len, void *vjob)
{
	char *out = item_deflated(i, len, vjob);
	/* a worker process exits after its last item or its first failure:
	 * the compressor goes first (this process makes another if needed) */
	if (out == NULL || i + 1 == ((const struct item_job *)vjob)->n)
		epub_deflate_end();
	return out;
}

/* Turns a work item's result into entry e (which takes it). */
static void set_deflated(struct epub_entry *e, char *item, size_t len)
{
	struct item_head head;
	memcpy(&head, item, sizeof head);
	free(e->data);
	e->len = len - sizeof head;
	e->data = xmalloc(e->len ? e->len : 1);
	memcpy(e->data, item + sizeof head, e->len);
	free(item);
	e->checked = e->deflated = 1;
	e->size = (size_t)head.size;
	e->crc = (unsigned long)head.crc;
}

/* Every chapter, in order, and the nav and NCX into their entries (at nav
 * and nav + 1). A long guide's last third of the chapters and the
 * navigation files, which cost about as much, are made by a second process
 * (parallel.h). Returns 0, or -1 after a diagnostic. */
static int add_chapters(struct epub_book *book, const struct theme *th, struct ctx *c, size_t nav)
{
	const struct model_guide *g = book->guide;
	size_t nq = g->nquestions, lone = lone_sections(g), n = nq + lone + 2;
	char **items = xcalloc(n, sizeof *items);
	size_t *lens = xcalloc(n, sizeof *lens);
	struct item_job job = {book, th, c, n};
	/* a guide long enough (parallel_pays) has its chapters rendered by two processes */
	size_t split = parallel_pays(g->file->len) && nq >= 4 ? nq * 2 / 3 : n;
	int r = parallel_map(n, split, item_work, &job, items, lens);
	for (size_t i = 0; i < nq && r == 0; i++) {
		char *path = xasprintf("EPUB/%s.xhtml", g->questions[i]->id);
		epub_add(book, path, xstrdup(""), 0, 1);
		free(path);
		set_deflated(&book->entries[book->nentries - 1], items[i], lens[i]);
	}
	for (size_t k = 0; k < lone && r == 0; k++) {
		char *path = xasprintf("EPUB/%s.xhtml", lone_section(g, k)->id);
		epub_add(book, path, xstrdup(""), 0, 1);
		free(path);
		set_deflated(&book->entries[book->nentries - 1], items[nq + k], lens[nq + k]);
	}
	if (r == 0) {
		set_deflated(&book->entries[nav], items[nq + lone], lens[nq + lone]);
		set_deflated(&book->entries[nav + 1], items[nq + lone + 1], lens[nq + lone + 1]);
	}
	free(items), free(lens);
	return r;
}

static void book_free(struct epub_book *book)
{
	for (size_t i = 0; i < book->nentries; i++)
		free(book->entries[i].path), free(book->entries[i].data);
	free(book->entries);
	free(book->identifier);
}

/* Reads an image file into the book. Returns 0, or -1 after a diagnostic. */
static int add_media(struct epub_book *book, const struct media *m)
{
	size_t len;
	char *data = read_whole(m->source, &len);
	if (data == NULL) {
		diag_report(DIAG_READ, m->source, 0, 0, strerror(errno));
		return -1;
	}
	char *path = xasprintf("EPUB/%s", m->href);
	epub_add(book, path, data, len, 0);
	free(path);
	return 0;
}

static int render_guide(const struct model_library *lib, const struct render_opts *opts,
                        const struct theme *th, const char *css, const struct model_guide *g)
{
	struct epub_book book = {.lib = lib, .guide = g, .opts = opts};
	struct ctx c = {.lib = lib, .guide = g, .opts = opts};
	book.identifier = g->file->meta.id && *g->file->meta.id ? xstrdup(g->file->meta.id) : derived_uuid(g);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	book.time = sde != NULL && *sde ? opts->date : g->file->mtime;
	time_t t = (time_t)book.time;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(book.modified, sizeof book.modified, "%Y-%m-%dT%H:%M:%SZ", &tm);

	size_t len;
	char *data;
	epub_add(&book, "mimetype", xstrdup("application/epub+zip"), strlen("application/epub+zip"), 0);
	data = epub_container(&len);
	epub_add(&book, "META-INF/container.xml", data, len, 1);
	/* The package document lists the images the chapters use: filled in
	 * once they are rendered, in its place as the third entry. */
	size_t opf = book.nentries;
	epub_add(&book, "EPUB/package.opf", xstrdup(""), 0, 1);
	/* nav and NCX: made with the chapters (add_chapters) */
	size_t nav = book.nentries;
	epub_add(&book, "EPUB/nav.xhtml", xstrdup(""), 0, 1);
	epub_add(&book, "EPUB/toc.ncx", xstrdup(""), 0, 1);
	/* Every image the guide shows, numbered in document order before any
	 * page renders, so that a second process names them alike. */
	for (size_t i = 0; i < g->nlinks; i++) {
		struct model_target target;
		memset(&target, 0, sizeof target);
		if (g->links[i].is_image && model_resolve(lib, g, g->links[i].url, &target) == MODEL_LINK_FILE)
			free(image_href(&c, g->links[i].url));
	}
	c.frozen = 1;
	int r = add_title_page(&book, th, &c);
	if (r == 0)
		r = add_chapters(&book, th, &c, nav);
	if (r == 0) {
		epub_add(&book, "EPUB/style.css", xstrdup(css), strlen(css), 0);
		data = epub_cover(&book, &len);
		epub_add(&book, "EPUB/cover.svg", data, len, 1);
		for (size_t i = 0; i < c.nmedia && r == 0; i++)
			r = add_media(&book, &c.media[i]);
	}
	if (r == 0) {
		free(book.entries[opf].data);
		book.entries[opf].data = epub_opf(&book, &book.entries[opf].len);
		r = check_entries(&book);
	}
	char *zip = NULL;
	size_t ziplen = 0;
	char *rel = xasprintf("epub/%s.epub", g->slug);
	if (r == 0)
		r = epub_zip(&book, rel, &zip, &ziplen);
	if (r == 0)
		r = out_write(opts->out_dir, rel, zip, ziplen);
	free(rel);
	free(zip);
	for (size_t i = 0; i < c.nxrefs; i++)
		free(c.xrefs[i].label), free(c.xrefs[i].url);
	free(c.xrefs);
	for (size_t i = 0; i < c.nmedia; i++)
		free(c.media[i].source), free(c.media[i].href);
	free(c.media);
	book_free(&book);
	return r;
}

int epub_render(const struct model_library *lib, const struct render_opts *opts)
{
	struct theme th;
	if (theme_load(&th, opts->theme_dir) != 0)
		return -1;
	char *css = tpl_load(opts->theme_dir, "epub/style.css");
	int r = css ? 0 : -1;
	for (size_t i = 0; i < lib->nguides && r == 0; i++)
		r = render_todo(opts, i) ? render_guide(lib, opts, &th, css, lib->guides[i]) : 0;
	free(css);
	theme_free(&th);
	epub_deflate_end();
	return r;
}
