/* epub_xhtml.c: the EPUB's content documents. Each unit's blocks are
 * rendered once by cmark-gfm, whose HTML is XML already (void elements
 * closed, only XML's own entities, raw HTML omitted, no character XML
 * forbids past load.c, nesting capped by the model), and go straight into
 * the theme's XHTML templates; the theme's templates are checked once per
 * build (epub_xhtml_new), so every page is well-formed by construction.
 * The tests and the fuzz oracle (tests/fuzz/outcheck.c) parse every entry
 * of every book back; a build does not. */
#define _POSIX_C_SOURCE 200809L
#include "epub.h"
#include "diag.h"
#include "escape.h"
#include "link.h"
#include "media.h"
#include "math.h"
#include "md.h"
#include "template.h"
#include "util.h"

#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define XREF_PREFIX "#depthbook-xref-"
#define NOIMG_URL "#depthbook-no-image"

/* The theme's templates, by file name under epub/. */
enum tpl {
	T_PAGE, T_COVER, T_TITLE, T_BYLINE, T_SECTION, T_CHAPTER, T_ANSWER, T_QUIZ_ANSWER,
	T_DEPTH, T_BACK, T_QUIZ, T_QUIZ_ITEM, T_EPILOGUE, T_COUNT
};
static const char *const tpl_names[T_COUNT] = {
	"page.xhtml", "cover.xhtml", "title.xhtml", "byline.xhtml", "section.xhtml", "chapter.xhtml",
	"answer.xhtml", "quiz-answer.xhtml", "depth.xhtml", "back.xhtml", "quiz.xhtml", "quiz-item.xhtml",
	"epilogue.xhtml",
};

/* The slots each template must place: those that carry the guide's text
 * (tpl_require). The cover, the byline's frame and the link back may
 * leave theirs out. */
#define NEEDS(...) ((const char *const[]){__VA_ARGS__, NULL})
static const char *const *const tpl_needs[T_COUNT] = {
	[T_PAGE] = NEEDS("body"), [T_COVER] = NEEDS(NULL), [T_TITLE] = NEEDS("title", "byline", "intro"),
	[T_BYLINE] = NEEDS("author"), [T_SECTION] = NEEDS("title", "intro"),
	[T_CHAPTER] = NEEDS("title", "answer", "depths"), [T_ANSWER] = NEEDS("answer"),
	[T_QUIZ_ANSWER] = NEEDS("answer"), [T_DEPTH] = NEEDS("question", "answer"), [T_BACK] = NEEDS(NULL),
	[T_QUIZ] = NEEDS("items"), [T_QUIZ_ITEM] = NEEDS("question"), [T_EPILOGUE] = NEEDS("epilogue"),
};
#undef NEEDS

/* A cross-link that cannot stay a link inside this book (another guide, a
 * file): shown as text with a reference, or linked to the site. */
struct xref {
	char *label;   /* "in “Retries”, Q1 › Depth 1" */
	char *url;     /* the site address with --base-url, else NULL */
};

struct epub_xhtml {
	const char *dir;
	char *text[T_COUNT];
	const struct model_library *lib;
	const struct model_guide *guide;
	const struct render_opts *opts;
	struct xref *xrefs;           /* of the piece being rendered */
	size_t nxrefs, capxrefs;
	struct epub_media *media;
	size_t nmedia, capmedia;
	struct strindex media_index;  /* media by source path */
	int frozen;                   /* media numbered: image_href only looks up */
};

/* Template t filled with slots, appended to out. Returns 0, or -1 after a
 * diagnostic naming the template. */
static int fill_into(const struct epub_xhtml *x, enum tpl t, const struct tpl_slot *slots, struct buf *out)
{
	char *path = xasprintf("%s/epub/%s", x->dir, tpl_names[t]);
	int r = tpl_fill(out, x->text[t], path, tpl_slots, (void *)slots);
	free(path);
	return r;
}

/* The same into a new string the caller frees, or NULL. */
static char *fill(const struct epub_xhtml *x, enum tpl t, const struct tpl_slot *slots)
{
	struct buf b = {0};
	if (fill_into(x, t, slots, &b) != 0) {
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

/* The check's slot values: slots that the generator fills with attribute
 * values or plain text get plain text, every other slot markup, so that a
 * template placing markup where XML allows none (an attribute) fails the
 * check. ctx points at the template's enum tpl. */
static const char *probe_lookup(const char *name, size_t len, void *ctx)
{
	static const struct {
		int tpl; /* -1: any template */
		const char *name;
	} text_slots[] = {
		{-1, "id"}, {-1, "number"}, {-1, "class"},
		{T_PAGE, "lang"}, {T_PAGE, "dir"}, {T_PAGE, "title"}, {T_PAGE, "type"}, {T_COVER, "src"}, {T_COVER, "alt"},
	};
	int t = *(const enum tpl *)ctx;
	for (size_t i = 0; i < sizeof text_slots / sizeof *text_slots; i++)
		if ((text_slots[i].tpl < 0 || text_slots[i].tpl == t) && strlen(text_slots[i].name) == len &&
		    strncmp(text_slots[i].name, name, len) == 0)
			return "x1";
	return "<i>x</i>";
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

/* Template t, its slots filled with probes, parsed as XML (a fragment
 * inside an XHTML div, the page frame as a document) with libxml2's SAX
 * parser and no tree; and placing the slots it needs. Returns 0, or -1
 * after a diagnostic naming it. */
static int check_template(const struct epub_xhtml *x, enum tpl t)
{
	struct buf b = {0};
	char *path = xasprintf("%s/epub/%s", x->dir, tpl_names[t]);
	if (t != T_PAGE)
		buf_puts(&b, "<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">");
	int r = tpl_fill(&b, x->text[t], path, probe_lookup, &t);
	if (t != T_PAGE)
		buf_puts(&b, "</div>");
	if (r == 0) {
		xmlSAXHandler sax;
		memset(&sax, 0, sizeof sax);
		sax.initialized = XML_SAX2_MAGIC; /* namespaces checked, no callbacks */
		xmlResetLastError();
		if (b.len > INT_MAX || xmlSAXUserParseMemory(&sax, NULL, b.data, (int)b.len) != 0) {
			char *why = xml_error();
			char *msg = xasprintf("not well-formed XML once its slots are filled: %s", why);
			diag_report(DIAG_INTERNAL, path, 0, 0, msg);
			free(msg), free(why);
			r = -1;
		}
	}
	if (r == 0)
		r = tpl_require(x->text[t], path, tpl_needs[t]);
	free(path);
	buf_free(&b);
	return r;
}

/* Forgets the guide's media: the index, then the names it points into. */
static void media_empty(struct epub_xhtml *x)
{
	strindex_clear(&x->media_index);
	for (size_t i = 0; i < x->nmedia; i++)
		free(x->media[i].source), free(x->media[i].href);
	x->nmedia = 0;
}

void epub_xhtml_free(struct epub_xhtml *x)
{
	if (x == NULL)
		return;
	for (int t = 0; t < T_COUNT; t++)
		free(x->text[t]);
	media_empty(x);
	free(x->media);
	free(x->xrefs);
	free(x);
}

struct epub_xhtml *epub_xhtml_new(const char *theme_dir)
{
	struct epub_xhtml *x = xcalloc(1, sizeof *x);
	x->dir = theme_dir;
	int r = 0;
	for (int t = 0; t < T_COUNT; t++) {
		char *rel = xasprintf("epub/%s", tpl_names[t]);
		x->text[t] = tpl_load(theme_dir, rel);
		free(rel);
		if (x->text[t] == NULL || check_template(x, (enum tpl)t) != 0)
			r = -1;
	}
	if (r != 0) {
		epub_xhtml_free(x);
		return NULL;
	}
	return x;
}

/* The book address of an image beside the guide (the validator has checked
 * that it exists inside the content directory), recorded for packing; or
 * NULL when its type is not an EPUB core media type. Caller frees. */
static char *image_href(struct epub_xhtml *x, const char *url, const struct model_link *link)
{
	char *source = link_file_path(x->guide, url, NULL);
	size_t seen = strindex_get(&x->media_index, source);
	if (seen != STRINDEX_NONE) {
		free(source);
		return xstrdup(x->media[seen].href);
	}
	/* the type is the bytes' (media.h): a JPEG named .png is image/jpeg.
	 * A WebP (core in EPUB 3.3, unknown to EPUB 3.2, epubcheck 4 and
	 * older readers) is packed as a PNG of the same pixels. */
	const struct media_kind *kind = x->frozen ? NULL : media_kind_file(source);
	int to_png = kind != NULL && strcmp(kind->ext, "webp") == 0;
	if (kind == NULL || !(kind->epub || to_png)) { /* frozen: not among the guide's links */
		free(source);
		return NULL;
	}
	XGROW(x->media, x->nmedia, x->capmedia);
	char *href = xasprintf("media/img%zu.%s", x->nmedia + 1, to_png ? "png" : kind->ext);
	strindex_put(&x->media_index, source, x->nmedia);
	x->media[x->nmedia++] = (struct epub_media){source, href, to_png ? "image/png" : kind->mime, link, to_png};
	return xstrdup(href);
}

void epub_xhtml_guide(struct epub_xhtml *x, const struct model_library *lib, const struct model_guide *g,
                      const struct render_opts *opts)
{
	media_empty(x);
	x->lib = lib, x->guide = g, x->opts = opts, x->frozen = 0;
	for (size_t i = 0; i < g->nlinks; i++) {
		struct link_target target;
		if (g->links[i].is_image && link_resolve(lib, g, g->links[i].url, &target) == LINK_FILE)
			free(image_href(x, g->links[i].url, &g->links[i]));
	}
	x->frozen = 1;
}

const struct epub_media *epub_xhtml_media(const struct epub_xhtml *x, size_t *n)
{
	*n = x->nmedia;
	return x->media;
}

char *epub_section_file(const struct model_section *s)
{
	return xasprintf("%s.xhtml", s->id);
}

char *epub_question_file(const struct model_question *q)
{
	return xasprintf("%s.xhtml", q->id);
}

char *epub_question_label(const struct model_question *q)
{
	struct buf label = {0};
	model_unit_label(&label, q, NULL, "");
	buf_printf(&label, ": %s", q->title_text ? q->title_text : "");
	return buf_take(&label);
}

char *epub_depth_label(const struct model_depth *d)
{
	struct buf label = {0};
	model_unit_label(&label, NULL, d, "");
	buf_printf(&label, " \u00b7 %s", d->question_text ? d->question_text : "");
	return buf_take(&label);
}

/* The address inside this book of a unit of its own guide; caller frees. */
static char *unit_href(const struct link_target *t)
{
	if (t->depth != NULL)
		return xasprintf("%s.xhtml#%s", t->question->id, t->depth->id);
	if (t->question != NULL)
		return epub_question_file(t->question);
	if (t->section != NULL)
		return epub_section_file(t->section);
	return xstrdup("title.xhtml");
}

/* Records an xref; returns the placeholder URL fix_html replaces. */
static char *xref_add(struct epub_xhtml *x, const struct link_target *t, const char *url)
{
	struct buf label = {0};
	if (t != NULL && t->guide != NULL) {
		buf_printf(&label, "in \u201c%s\u201d", t->guide->title ? t->guide->title : t->guide->slug);
		if (t->question != NULL) {
			buf_puts(&label, ", ");
			model_unit_label(&label, t->question, t->depth, MODEL_LABEL_SEP);
		} else if (t->section != NULL)
			buf_printf(&label, ", section %d", t->section->number);
	} else {
		buf_printf(&label, "%s", url);
	}
	char *site = NULL;
	char *root = t != NULL && t->guide != NULL ? link_site_root(x->opts->base_url) : NULL;
	if (root != NULL)
		site = link_site_url(root, t);
	free(root);
	XGROW(x->xrefs, x->nxrefs, x->capxrefs);
	x->xrefs[x->nxrefs] = (struct xref){buf_take(&label), site};
	return xasprintf(XREF_PREFIX "%zu", x->nxrefs++);
}

/* md hook: the URL to write for a link destination, or NULL to keep it. */
static char *link_hook(const char *url, int is_image, void *vx)
{
	struct epub_xhtml *x = vx;
	struct link_target t;
	switch (link_resolve(x->lib, x->guide, url, &t)) {
	case LINK_UNIT:
		if (t.guide == x->guide)
			return unit_href(&t);
		return xref_add(x, &t, url);
	case LINK_GUIDE:
		if (t.guide == x->guide)
			return xstrdup("title.xhtml");
		return xref_add(x, &t, url);
	case LINK_FILE:
		/* Images beside the guide are packed; other files are not. */
		if (is_image) {
			char *href = image_href(x, url, NULL);
			return href ? href : xstrdup(NOIMG_URL);
		}
		return xref_add(x, NULL, url);
	default:
		return NULL;
	}
}

/* md hook: a math span as MathML (fix_html then notes the page's
 * "mathml" manifest property, EPUB 3.3 §5.6.2.3). */
static char *math_hook(const char *tex, void *vx)
{
	(void)vx;
	return math_to_mathml(tex);
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copies cmark-gfm's HTML to out with the few changes EPUB XHTML needs,
 * noting what the page holds in *facts. cmark-gfm escapes every '<' of
 * text and attribute values, so each '<' here opens one of its own tags:
 * - an xref placeholder link becomes a site link or an italic span, with
 *   its reference after it (a link holds no link, so the next "</a>" is
 *   its end);
 * - an image of no EPUB core media type becomes its alt text (escaped
 *   already);
 * - table cells' align attribute, obsolete in XHTML5, becomes a style;
 * - a task list's checkbox, a form control with no label (WCAG 4.1.2,
 *   Ace's "label" rule) that no reader lets anyone tick, becomes the
 *   ballot box character it shows, named for assistive technology. */
static void fix_html(struct epub_xhtml *x, const char *html, struct buf *out, int *facts)
{
	const char *p = html;
	const struct xref *open_x = NULL; /* the xref whose "</a>" is still to come */
	for (;;) {
		const char *lt = strchr(p, '<');
		if (lt == NULL) {
			buf_puts(out, p);
			break;
		}
		buf_put(out, p, (size_t)(lt - p));
		p = lt;
		if (starts(p, "<a href=\"" XREF_PREFIX)) {
			size_t i = strtoul(p + strlen("<a href=\"" XREF_PREFIX), NULL, 10);
			const char *end = strchr(p, '>');
			if (i < x->nxrefs && end != NULL) {
				const struct xref *r = &x->xrefs[i];
				if (r->url != NULL) {
					buf_puts(out, "<a href=\"");
					esc_html(out, r->url);
					buf_puts(out, "\">");
				} else {
					buf_puts(out, "<span class=\"xref\">");
				}
				open_x = r;
				p = end + 1;
				continue;
			}
		} else if (open_x != NULL && starts(p, "</a>")) {
			buf_puts(out, open_x->url ? "</a> (" : "</span> (");
			esc_html(out, open_x->label);
			buf_puts(out, ")");
			open_x = NULL;
			p += 4;
			continue;
		} else if (starts(p, "<img src=\"" NOIMG_URL "\"")) {
			const char *alt = strstr(p, " alt=\"");
			const char *end = strstr(p, "/>");
			if (alt != NULL && end != NULL && alt < end) {
				alt += 6;
				buf_puts(out, "<span class=\"image-alt\">");
				buf_put(out, alt, strcspn(alt, "\""));
				buf_puts(out, "</span>");
				p = end + 2;
				continue;
			}
		} else if (starts(p, "<img ")) {
			*facts |= EPUB_HAS_IMAGE;
		} else if (starts(p, "<table")) {
			*facts |= EPUB_HAS_TABLE;
		} else if (starts(p, "<math")) {
			*facts |= EPUB_HAS_MATH;
		} else if (starts(p, "<input type=\"checkbox\" checked=\"\" disabled=\"\" />")) {
			buf_puts(out, "<span class=\"task\" role=\"img\" aria-label=\"done\">\u2611</span>");
			p += strlen("<input type=\"checkbox\" checked=\"\" disabled=\"\" />");
			continue;
		} else if (starts(p, "<input type=\"checkbox\" disabled=\"\" />")) {
			buf_puts(out, "<span class=\"task\" role=\"img\" aria-label=\"not done\">\u2610</span>");
			p += strlen("<input type=\"checkbox\" disabled=\"\" />");
			continue;
		} else if (starts(p, "<th align=\"") || starts(p, "<td align=\"")) {
			buf_put(out, p, 3);
			buf_puts(out, " style=\"text-align: ");
			p += strlen("<th align=\"");
			continue;
		}
		buf_putc(out, '<');
		p++;
	}
}

/* node's blocks (or a paragraph's inlines alone) as XHTML: a string the
 * caller frees ("" for NULL). */
static char *piece(struct epub_xhtml *x, cmark_node *node, int inline_only, int *facts)
{
	if (node == NULL)
		return xstrdup("");
	struct md_hooks hooks = {.link = link_hook, .math = math_hook, .ctx = x};
	char *html = md_html(node, inline_only, &hooks);
	struct buf out = {0};
	fix_html(x, html, &out, facts);
	free(html);
	for (size_t i = 0; i < x->nxrefs; i++)
		free(x->xrefs[i].label), free(x->xrefs[i].url);
	x->nxrefs = 0;
	return buf_take(&out);
}

/* body in the page frame: a string the caller frees, or NULL after a
 * diagnostic. */
static char *page(const struct epub_xhtml *x, const char *title, const char *type, const char *body)
{
	if (body == NULL)
		return NULL;
	char *etitle = escaped(title);
	struct tpl_slot slots[] = {{"lang", x->guide->lang}, {"dir", model_lang_dir(x->guide->lang)}, {"title", etitle}, {"type", type},
	                       {"body", body}, {NULL, NULL}};
	char *s = fill(x, T_PAGE, slots);
	free(etitle);
	return s;
}

static const char *guide_title(const struct model_guide *g)
{
	return g->title ? g->title : g->slug;
}

char *epub_xhtml_cover(struct epub_xhtml *x, int *facts)
{
	const struct model_guide *g = x->guide;
	char *alt = g->author && *g->author ? xasprintf("Cover: %s, by %s", guide_title(g), g->author)
	                                    : xasprintf("Cover: %s", guide_title(g));
	char *ealt = escaped(alt);
	struct tpl_slot s[] = {{"src", "cover.png"}, {"alt", ealt}, {NULL, NULL}};
	char *body = fill(x, T_COVER, s);
	char *r = page(x, "Cover", "cover", body);
	*facts = 0;
	free(body), free(ealt), free(alt);
	return r;
}

char *epub_xhtml_title(struct epub_xhtml *x, int *facts)
{
	const struct model_guide *g = x->guide;
	*facts = 0;
	char *intro = piece(x, g->intro, 0, facts);
	char *title = escaped(guide_title(g));
	char *byline = xstrdup("");
	if (g->author != NULL && *g->author) {
		char *author = escaped(g->author);
		struct tpl_slot s[] = {{"author", author}, {NULL, NULL}};
		free(byline);
		byline = fill(x, T_BYLINE, s);
		free(author);
	}
	char *body = NULL;
	if (byline != NULL) {
		struct tpl_slot s[] = {{"title", title}, {"byline", byline}, {"intro", intro}, {NULL, NULL}};
		body = fill(x, T_TITLE, s);
	}
	char *r = page(x, guide_title(g), "frontmatter", body);
	free(title), free(byline), free(body), free(intro);
	return r;
}

char *epub_xhtml_section(struct epub_xhtml *x, const struct model_section *s, int *facts)
{
	*facts = 0;
	char *title = piece(x, s->title, 1, facts);
	char *intro = piece(x, s->intro, 0, facts);
	char num[16];
	snprintf(num, sizeof num, "%d", s->number);
	struct tpl_slot slots[] = {{"id", s->id}, {"number", num}, {"title", title}, {"intro", intro}, {NULL, NULL}};
	char *body = fill(x, T_SECTION, slots);
	char *ptitle = xasprintf("%d. %s", s->number, s->title_text ? s->title_text : "");
	char *r = page(x, ptitle, "bodymatter", body);
	free(ptitle), free(body), free(title), free(intro);
	return r;
}

/* One follow-up, appended to depths, and in quiz mode its quiz item,
 * appended to items. Returns 0, or -1 after a diagnostic. */
static int depth_piece(struct epub_xhtml *x, const struct model_depth *d, int quiz, struct buf *depths,
                       struct buf *items, int *facts)
{
	char num[16];
	snprintf(num, sizeof num, "%d", d->number);
	char *question = piece(x, d->question, 1, facts);
	char *answer = piece(x, d->answer, 0, facts);
	struct tpl_slot s[] = {{"id", d->id}, {"number", num}, {"question", question}, {NULL, NULL}};
	char *back = quiz ? fill(x, T_BACK, s) : xstrdup("");
	int r = back && (!quiz || fill_into(x, T_QUIZ_ITEM, s, items) == 0) ? 0 : -1;
	if (r == 0) {
		struct tpl_slot ds[] = {{"id", d->id}, {"number", num}, {"question", question}, {"answer", answer},
		                    {"back", back}, {"class", quiz ? "depth answer-page" : "depth"}, {NULL, NULL}};
		r = fill_into(x, T_DEPTH, ds, depths);
	}
	free(back), free(question), free(answer);
	return r;
}

char *epub_xhtml_chapter(struct epub_xhtml *x, const struct model_question *q, int *facts)
{
	*facts = 0;
	int quiz = x->opts->epub_quiz;
	char num[16];
	snprintf(num, sizeof num, "%d", q->number);
	char *title = piece(x, q->title, 1, facts);
	char *answer_html = piece(x, q->answer, 0, facts);
	struct buf depths = {0}, items = {0};
	int r = 0;
	for (size_t k = 0; k < q->ndepths && r == 0; k++)
		r = depth_piece(x, q->depths[k], quiz, &depths, &items, facts);
	struct tpl_slot as[] = {{"id", q->id}, {"number", num}, {"title", title}, {"answer", answer_html},
	                    {"items", items.data ? items.data : ""}, {NULL, NULL}};
	char *answer = r == 0 ? fill(x, quiz ? T_QUIZ_ANSWER : T_ANSWER, as) : NULL;
	char *quizs = r == 0 && quiz ? fill(x, T_QUIZ, as) : xstrdup("");
	char *body = NULL;
	if (answer != NULL && quizs != NULL) {
		struct tpl_slot s[] = {{"id", q->id}, {"number", num}, {"title", title}, {"quiz", quizs},
		                   {"answer", answer}, {"depths", depths.data ? depths.data : ""}, {NULL, NULL}};
		body = fill(x, T_CHAPTER, s);
	}
	char *ptitle = epub_question_label(q);
	char *result = page(x, ptitle, "bodymatter", body);
	free(ptitle), free(body), free(answer), free(quizs), free(title), free(answer_html);
	buf_free(&depths), buf_free(&items);
	return result;
}

struct epub_page *epub_pages(const struct model_guide *g, size_t *n)
{
	struct epub_page *pages = xcalloc(g->nsections + g->nquestions + 2, sizeof *pages);
	size_t k = 0;
	for (size_t i = 0; i < g->nquestions; i++)
		if (g->questions[i]->section == NULL)
			pages[k++] = (struct epub_page){NULL, g->questions[i]};
	for (size_t i = 0; i < g->nsections; i++) {
		const struct model_section *s = g->sections[i];
		pages[k++] = (struct epub_page){s, NULL};
		for (size_t j = s->first; j < s->first + s->count && j < g->nquestions; j++)
			pages[k++] = (struct epub_page){s, g->questions[j]};
	}
	if (g->epilogue != NULL)
		pages[k++] = (struct epub_page){NULL, NULL};
	*n = k;
	return pages;
}

/* The guide's closing note, on a page of its own after the last chapter. */
static char *epilogue_page(struct epub_xhtml *x, int *facts)
{
	*facts = 0;
	char *html = piece(x, x->guide->epilogue, 0, facts);
	struct tpl_slot s[] = {{"epilogue", html}, {NULL, NULL}};
	char *body = fill(x, T_EPILOGUE, s);
	char *r = page(x, "Closing note", "backmatter", body);
	free(body), free(html);
	return r;
}

char *epub_xhtml_page(struct epub_xhtml *x, const struct epub_page *p, int *facts)
{
	if (p->question != NULL)
		return epub_xhtml_chapter(x, p->question, facts);
	if (p->section != NULL)
		return epub_xhtml_section(x, p->section, facts);
	return epilogue_page(x, facts);
}

char *epub_page_file(const struct epub_page *p)
{
	if (p->question != NULL)
		return epub_question_file(p->question);
	return p->section ? epub_section_file(p->section) : xstrdup("epilogue.xhtml");
}

const char *epub_page_id(const struct epub_page *p)
{
	if (p->question != NULL)
		return p->question->id;
	return p->section ? p->section->id : "epilogue";
}
