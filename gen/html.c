/* html.c: the static HTML site's pages. Every page is the theme's
 * site/page.html filled with this file's content markup; every internal
 * link is relative so that out/site/ works from file://, from / and from a
 * sub-path. The search index is search.c's and the review cards review.c's. */
#define _XOPEN_SOURCE 700
#include "html.h"
#include "diag.h"
#include "escape.h"
#include "link.h"
#include "math.h"
#include "md.h"
#include "out.h"
#include "review.h"
#include "search.h"
#include "template.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What one build of the site shares between its pages. */
struct site {
	const struct model_library *lib;
	const struct render_opts *opts;
	char *dir;                         /* opts->out_dir + "/site" */
	char *frame;                       /* themes/…/site/page.html */
	char *frame_name;                  /* its path, for template diagnostics */
	char *base;                        /* --base-url ending in '/', or NULL */
	const struct model_guide *guide;   /* the guide whose page is being made */
	struct pages *written;             /* the names of its pages written so far */
	int failed;                        /* a linked file could not be copied */
	int page_code;                     /* the page being made has a code block */
};

/* Names below a folder of the site: the pages written into a guide's
 * directory, the linked files to keep in files/. */
struct pages {
	char **names;
	size_t n, cap;
};

/* One page to write. lang, title, description and guide are plain text;
 * the rest is markup (or "" / NULL for none). */
struct page {
	const char *rel;           /* its path under out/site/ */
	const char *lang;
	const char *title;
	const char *description;
	const char *root;          /* "" or "../": the way back to out/site/ */
	const char *guide;         /* the guide's slug, or "" */
	const char *breadcrumb;
	const char *main;
	const char *body_class;
	const char *head;          /* extra head elements */
	const char *scripts;       /* extra scripts, after the theme's */
	const char *tools;         /* header controls before the theme's own */
	const char *footer;        /* the footer's hint, after its first sentence */
};

/* Returns s escaped for HTML text or attributes; the caller frees it. */
static char *html_escaped(const char *s)
{
	struct buf b = {0};
	esc_html(&b, s ? s : "");
	return buf_take(&b);
}

/* Appends a URL path made of the given parts, each %-escaped, then
 * HTML-escaped, for an href attribute. */
static void put_href(struct buf *b, const char *s)
{
	struct buf u = {0};
	esc_url(&u, s);
	esc_html(b, u.data ? u.data : "");
	buf_free(&u);
}

/* Returns html with the markup the page outline and axe cannot take
 * rewritten: headings kept inside an answer (the guide's own H4-H6 are
 * source syntax, not the page's outline) become styled paragraphs, and
 * task-list checkboxes become labelled symbols. One pass over the tags.
 * Takes html; caller frees. */
static char *tidy(char *html)
{
	static const char *const swaps[][2] = {
		{"<h1>", "<p class=\"h h1\">"}, {"<h2>", "<p class=\"h h2\">"},
		{"<h3>", "<p class=\"h h3\">"}, {"<h4>", "<p class=\"h h4\">"},
		{"<h5>", "<p class=\"h h5\">"}, {"<h6>", "<p class=\"h h6\">"},
		{"</h1>", "</p>"}, {"</h2>", "</p>"}, {"</h3>", "</p>"},
		{"</h4>", "</p>"}, {"</h5>", "</p>"}, {"</h6>", "</p>"},
		/* a wide table scrolls sideways: the keyboard must reach it */
		{"<table>", "<table tabindex=\"0\">"},
		{"<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
		 "<span class=\"task\" role=\"img\" aria-label=\"done\">\u2611</span>"},
		{"<input type=\"checkbox\" disabled=\"\" />",
		 "<span class=\"task\" role=\"img\" aria-label=\"not done\">\u2610</span>"},
	};
	struct buf b = {0};
	const char *s = html, *lt;
	int changed = 0;
	while ((lt = strchr(s, '<')) != NULL) {
		size_t i = sizeof swaps / sizeof swaps[0];
		if (lt[1] == 'h' || lt[1] == '/' || lt[1] == 'i' || lt[1] == 't')
			for (i = 0; i < sizeof swaps / sizeof swaps[0]; i++)
				if (strncmp(lt, swaps[i][0], strlen(swaps[i][0])) == 0)
					break;
		if (i < sizeof swaps / sizeof swaps[0]) {
			buf_put(&b, s, (size_t)(lt - s));
			buf_puts(&b, swaps[i][1]);
			s = lt + strlen(swaps[i][0]);
			changed = 1;
		} else {
			buf_put(&b, s, (size_t)(lt + 1 - s));
			s = lt + 1;
		}
	}
	if (!changed) {
		buf_free(&b);
		return html;
	}
	buf_puts(&b, s);
	free(html);
	return buf_take(&b);
}

/* Where the file that url of guide g links to is kept in out/site/files/:
 * its path inside the content directory, pointing into real (its path
 * after every symbolic link), or NULL when it is not inside (check has
 * reported it). *joined gets its path beside the guide (caller frees). */
static const char *linked_inside(const struct model_guide *g, const char *url, char **joined, char real[PATH_MAX])
{
	const char *inside;
	*joined = link_file_path(g, url, NULL);
	return link_locate(g, *joined, real, &inside) == LINK_PLACE_INSIDE ? inside : NULL;
}

/* Copies a file a guide links to (an image, a PDF) into out/site/files/
 * under its path inside the content directory. Returns that path relative
 * to the site root (caller frees), or NULL when the file is not inside the
 * content directory or after a diagnostic. */
static char *copy_linked_file(struct site *s, const char *url)
{
	char *joined;
	char real[PATH_MAX];
	const char *inside = linked_inside(s->guide, url, &joined, real);
	char *result = NULL;
	if (inside == NULL)
		goto done;
	size_t len;
	char *data = read_whole(real, &len);
	if (data == NULL) {
		diag_report(DIAG_READ, joined, 0, 0, strerror(errno));
		s->failed = 1;
		goto done;
	}
	result = xasprintf("files/%s", inside);
	if (out_write(s->dir, result, data, len) != 0) {
		s->failed = 1;
		free(result);
		result = NULL;
	}
	free(data);
done:
	free(joined);
	return result;
}

/* The link hook: a link to a unit of a guide becomes the address of its
 * page and fragment, relative to a page inside the current guide's
 * folder; a linked file is copied into the site and linked there; other
 * links stay as written (cmark-gfm's safe mode has already dropped unsafe
 * schemes). Returns a string md frees, or NULL. */
static char *link_hook(const char *url, int is_image, void *ctx)
{
	struct site *s = ctx;
	struct link_target t = {0};
	if (s->guide == NULL)
		return NULL;
	enum link_kind kind = link_resolve(s->lib, s->guide, url, &t);
	if (kind == LINK_FILE) {
		char *path = copy_linked_file(s, url);
		if (path == NULL)
			return NULL;
		const char *rest = url + strcspn(url, "#");
		char *enc = esc_url_path(path); /* the name as on disk: '#', '?', '%' escaped */
		char *to = xasprintf("../%s%s", enc, rest);
		free(enc);
		free(path);
		return to;
	}
	if (is_image || (kind != LINK_UNIT && kind != LINK_GUIDE))
		return NULL;
	char *page = link_site_page(&t);
	if (t.guide == s->guide)
		return page;
	char *slug = esc_url_path(t.guide->slug);
	char *to = xasprintf("../%s/%s", slug, page);
	free(slug);
	free(page);
	return to;
}

/* Appends the page (and fragment) of a unit of the guide being written,
 * as link.c names it for every output. */
static void put_page(struct buf *b, const struct model_section *sec, const struct model_question *q,
                     const struct model_depth *d)
{
	char *page = link_site_page(&(struct link_target){.section = (struct model_section *)sec,
	                                                  .question = (struct model_question *)q,
	                                                  .depth = (struct model_depth *)d});
	buf_puts(b, page);
	free(page);
}

/* The math hook: a span as MathML Core, which browsers render natively
 * (every whitelisted command has a rendering; math.h). md frees it. */
static char *math_hook(const char *tex, void *ctx)
{
	(void)ctx;
	return math_to_mathml(tex);
}

/* The code hook: a code block as cmark-gfm writes it, but focusable, so
 * that a block wider than the page can be scrolled from the keyboard
 * (WCAG 2.1.1; axe's scrollable-region-focusable); its language, the
 * info string's first word, names the highlighter's grammar. md frees. */
static char *code_hook(const char *info, const char *literal, void *ctx)
{
	struct site *s = ctx;
	struct buf b = {0};
	size_t n = 0;
	s->page_code = 1;
	while (info && info[n] && (isalnum((unsigned char)info[n]) || strchr("+-_.#", info[n])))
		n++;
	buf_puts(&b, "<pre tabindex=\"0\"><code");
	if (n > 0) {
		char *lang = xstrndup(info, n);
		buf_puts(&b, " class=\"language-");
		esc_html(&b, lang);
		buf_puts(&b, "\"");
		free(lang);
	}
	buf_puts(&b, ">");
	esc_html(&b, literal);
	buf_puts(&b, "</code></pre>\n");
	return buf_take(&b);
}

/* Returns node rendered as HTML (its inlines alone when inline_only),
 * links, math and code through the hooks; the caller frees it. */
static char *render_md(struct site *s, cmark_node *node, int inline_only)
{
	if (node == NULL)
		return xstrdup("");
	struct md_hooks hooks = {.link = link_hook, .math = math_hook, .ctx = s, .code = code_hook};
	return tidy(md_html(node, inline_only, &hooks));
}

/* Appends the address of rel under --base-url, as a page's canonical
 * address: a folder's index.html is named by the folder. */
static void put_absolute(struct buf *b, const char *base, const char *rel)
{
	size_t n = strlen(rel);
	struct buf u = {0};
	if (n >= 10 && strcmp(rel + n - 10, "index.html") == 0)
		n -= 10;
	char *path = xstrndup(rel, n);
	esc_url(&u, path);
	buf_puts(b, base);
	esc_html(b, u.data ? u.data : "");
	buf_free(&u);
	free(path);
}

/* Appends, with --base-url, the page's canonical address and its
 * OpenGraph and Twitter card metadata (what a link preview shows). */
static void put_meta(struct buf *b, const struct site *s, const struct page *p, const char *etitle,
                     const char *edesc)
{
	if (s->base == NULL || strcmp(p->rel, "404.html") == 0)
		return;
	buf_puts(b, "<link rel=\"canonical\" href=\"");
	put_absolute(b, s->base, p->rel);
	buf_printf(b, "\">\n<meta property=\"og:type\" content=\"%s\">\n",
	           strcmp(p->body_class, "question-page") == 0 ? "article" : "website");
	buf_printf(b, "<meta property=\"og:title\" content=\"%s\">\n", etitle);
	buf_printf(b, "<meta property=\"og:description\" content=\"%s\">\n", edesc);
	buf_puts(b, "<meta property=\"og:url\" content=\"");
	put_absolute(b, s->base, p->rel);
	buf_puts(b, "\">\n<meta property=\"og:site_name\" content=\"depthbook\">\n");
	buf_puts(b, "<meta property=\"og:locale\" content=\"");
	esc_html(b, p->lang);
	buf_puts(b, "\">\n<meta name=\"twitter:card\" content=\"summary\">\n");
	buf_printf(b, "<meta name=\"twitter:title\" content=\"%s\">\n", etitle);
	buf_printf(b, "<meta name=\"twitter:description\" content=\"%s\">\n", edesc);
}

/* Fills the page frame with p and writes it to p->rel. Returns 0 or -1. */
static int write_page(const struct site *s, const struct page *p)
{
	char *elang = html_escaped(p->lang), *etitle = html_escaped(p->title);
	char *edesc = html_escaped(p->description), *eguide = html_escaped(p->guide);
	struct buf head = {0};
	if (p->head)
		buf_puts(&head, p->head);
	put_meta(&head, s, p, etitle, edesc);
	const struct tpl_slot slots[] = {
		{"lang", elang}, {"dir", model_lang_dir(p->lang)}, {"title", etitle}, {"description", edesc}, {"root", p->root},
		{"guide", eguide}, {"breadcrumb", p->breadcrumb}, {"main", p->main},
		{"body_class", p->body_class}, {"head", head.data}, {"scripts", p->scripts},
		{"tools", p->tools}, {"footer", p->footer}, {NULL, NULL},
	};
	struct buf out = {0};
	int rc = tpl_fill(&out, s->frame, s->frame_name, tpl_slots, (void *)slots);
	if (rc == 0)
		rc = out_write(s->dir, p->rel, out.data ? out.data : "", out.len);
	size_t sl = s->guide ? strlen(s->guide->slug) : 0;
	if (rc == 0 && s->guide && strncmp(p->rel, s->guide->slug, sl) == 0 && p->rel[sl] == '/') {
		XGROW(s->written->names, s->written->n, s->written->cap);
		s->written->names[s->written->n++] = xstrdup(p->rel + sl + 1);
	}
	buf_free(&out);
	buf_free(&head);
	free(elang);
	free(etitle);
	free(edesc);
	free(eguide);
	return rc;
}

/* The footer's hint on pages where the keyboard shortcuts work (they need
 * the script, so the hint shows only with it). */
static const char keys_hint[] = " <span class=\"js-only\">Press <kbd>?</kbd> for keyboard shortcuts.</span>";

/* Appends "N word" or "N words". */
static void put_count(struct buf *b, size_t n, const char *word)
{
	buf_printf(b, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

static void put_counts(struct buf *b, const struct model_guide *g)
{
	buf_puts(b, "<p class=\"counts\">");
	put_count(b, g->nsections, "section");
	buf_puts(b, " · ");
	put_count(b, g->nquestions, "question");
	buf_puts(b, " · ");
	put_count(b, g->ndepths, "follow-up");
	buf_puts(b, "</p>\n");
}

static const char *library_lang(const struct site *s)
{
	return s->lib->nguides ? s->lib->guides[0]->lang : "en";
}

/* out/site/index.html: every guide with its title, description, counts. */
static int write_library(const struct site *s)
{
	struct buf m = {0};
	buf_puts(&m, "<h1>Library</h1>\n<ul class=\"library\">\n");
	for (size_t i = 0; i < s->lib->nguides; i++) {
		const struct model_guide *g = s->lib->guides[i];
		buf_puts(&m, "<li class=\"guide-card\" lang=\"");
		esc_html(&m, g->lang);
		buf_puts(&m, "\">\n<h2><a href=\"");
		put_href(&m, g->slug);
		buf_puts(&m, "/index.html\">");
		esc_html(&m, g->title);
		buf_puts(&m, "</a></h2>\n");
		if (g->description && *g->description) {
			buf_puts(&m, "<p class=\"description\">");
			esc_html(&m, g->description);
			buf_puts(&m, "</p>\n");
		}
		put_counts(&m, g);
		buf_puts(&m, "</li>\n");
	}
	buf_puts(&m, "</ul>\n<p class=\"review-link\"><a href=\"review.html\">Review the follow-ups due today</a></p>\n");
	struct page p = {.rel = "index.html", .lang = library_lang(s), .title = "Library",
	                 .description = "Every guide in this library", .root = "", .guide = "",
	                 .main = m.data, .body_class = "library", .footer = keys_hint};
	int rc = write_page(s, &p);
	buf_free(&m);
	return rc;
}

/* Appends the breadcrumb: library › guide [› section] [› current]. */
static void put_breadcrumb(struct buf *b, const struct model_guide *g,
                           const struct model_section *sec, const char *current)
{
	buf_puts(b, "<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><ol>\n"
	            "<li><a href=\"../index.html\">Library</a></li>\n<li>");
	if (sec == NULL && current == NULL) {
		buf_puts(b, "<a href=\"index.html\" aria-current=\"page\">");
	} else {
		buf_puts(b, "<a href=\"index.html\">");
	}
	esc_html(b, g->title);
	buf_puts(b, "</a></li>\n");
	if (sec != NULL) {
		buf_printf(b, "<li class=\"crumb-section\"><a href=\"index.html#%s\">%d. ", sec->id, sec->number);
		esc_html(b, sec->title_text);
		buf_puts(b, "</a></li>\n");
	}
	if (current != NULL) {
		buf_puts(b, "<li><span aria-current=\"page\">");
		esc_html(b, current);
		buf_puts(b, "</span></li>\n");
	}
	buf_puts(b, "</ol></nav>\n");
}

/* Appends the guide's epilogue (its closing note), if it has one, under
 * the heading the EPUB gives it, so that it reads as the guide's and not
 * as the last answer's. */
static void put_epilogue(struct buf *m, struct site *s, const struct model_guide *g)
{
	if (g->epilogue == NULL)
		return;
	char *html = render_md(s, g->epilogue, 0);
	buf_printf(m, "<section class=\"epilogue\" id=\"epilogue\" aria-labelledby=\"epilogue-h\">\n"
	              "<h2 id=\"epilogue-h\">Closing note</h2>\n%s</section>\n", html);
	free(html);
}

/* "Q3: " and the question's title, escaped: how the contents and the
 * pager name a question. */
static void put_question_name(struct buf *m, const struct model_question *q)
{
	model_unit_label(m, q, NULL, "");
	buf_puts(m, ": ");
	esc_html(m, q->title_text);
}

/* out/site/<slug>/index.html: title, description and the table of
 * contents sections → questions → follow-ups. */
static int write_front(struct site *s, const struct model_guide *g)
{
	struct buf m = {0}, rel = {0}, crumb = {0};
	buf_puts(&m, "<h1>");
	esc_html(&m, g->title);
	buf_puts(&m, "</h1>\n");
	if (g->author) {
		buf_puts(&m, "<p class=\"author\">By ");
		esc_html(&m, g->author);
		buf_puts(&m, "</p>\n");
	}
	if (g->file->meta.description && *g->file->meta.description) {
		buf_puts(&m, "<p class=\"description\">");
		esc_html(&m, g->file->meta.description);
		buf_puts(&m, "</p>\n");
	}
	s->page_code = 0;
	char *intro = render_md(s, g->intro, 0);
	if (*intro)
		buf_printf(&m, "<div class=\"intro\">\n%s</div>\n", intro);
	free(intro);
	put_counts(&m, g);
	buf_puts(&m, "<div class=\"toc\">\n");
	for (size_t i = 0; i < g->nsections; i++) {
		const struct model_section *sec = g->sections[i];
		if (sec->count == 0) {
			/* a section without questions has a page of its own */
			buf_printf(&m, "<h2 id=\"%s\"><a href=\"", sec->id);
			put_page(&m, sec, NULL, NULL);
			buf_printf(&m, "\">%d. ", sec->number);
			esc_html(&m, sec->title_text);
			buf_puts(&m, "</a></h2>\n");
			continue;
		}
		buf_printf(&m, "<h2 id=\"%s\">%d. ", sec->id, sec->number);
		esc_html(&m, sec->title_text);
		buf_puts(&m, "</h2>\n");
		char *sintro = render_md(s, sec->intro, 0);
		if (*sintro)
			buf_printf(&m, "<div class=\"intro\">\n%s</div>\n", sintro);
		free(sintro);
		for (size_t k = sec->first; k < sec->first + sec->count && k < g->nquestions; k++) {
			const struct model_question *q = g->questions[k];
			buf_printf(&m, "<h3 id=\"%s\"><a href=\"", q->id);
			put_page(&m, NULL, q, NULL);
			buf_puts(&m, "\">");
			put_question_name(&m, q);
			buf_puts(&m, "</a></h3>\n");
			if (q->ndepths == 0)
				continue;
			buf_puts(&m, "<ol class=\"toc-depths\">\n");
			for (size_t d = 0; d < q->ndepths; d++) {
				const struct model_depth *dp = q->depths[d];
				buf_puts(&m, "<li><a href=\"");
				put_page(&m, NULL, q, dp);
				buf_puts(&m, "\"><span class=\"label\">");
				model_unit_label(&m, NULL, dp, "");
				buf_puts(&m, "</span> ");
				esc_html(&m, dp->question_text);
				buf_puts(&m, "</a></li>\n");
			}
			buf_puts(&m, "</ol>\n");
		}
	}
	buf_puts(&m, "</div>\n");
	put_epilogue(&m, s, g);
	put_breadcrumb(&crumb, g, NULL, NULL);
	buf_printf(&rel, "%s/index.html", g->slug);
	struct page p = {.rel = rel.data, .lang = g->lang, .title = g->title,
	                 .description = g->description, .root = "../", .guide = g->slug,
	                 .breadcrumb = crumb.data, .main = m.data, .body_class = "guide",
	                 .scripts = s->page_code ? "<script src=\"../assets/highlight.js\" defer></script>\n" : NULL,
	                 .footer = keys_hint};
	int rc = write_page(s, &p);
	buf_free(&m);
	buf_free(&rel);
	buf_free(&crumb);
	return rc;
}

/* Appends an answer that a reader may hide: a <details> open by default,
 * so it works without JavaScript; the theme's head script hides it before
 * the first paint when the reader chose to. grades, if any, follow the
 * answer's text inside the <details>. */
static void put_answer(struct buf *m, const char *html, const char *grades)
{
	buf_puts(m, "<details class=\"answer\" open>\n<summary>Answer</summary>\n<div class=\"answer-body\">\n");
	buf_puts(m, html);
	buf_puts(m, "</div>\n");
	if (grades) /* beside the answer's text, not in it: hidden with it */
		buf_puts(m, grades);
	buf_puts(m, "</details>\n");
}

/* Appends a short form of a follow-up's question for the outline: its
 * first words up to about 60 bytes, cut at a space (so never inside a
 * UTF-8 sequence), with an ellipsis when cut. */
static void put_short(struct buf *b, const char *text)
{
	size_t n = strlen(text), cut = n;
	if (n > 64) {
		cut = 60;
		while (cut > 20 && text[cut] != ' ')
			cut--;
		if (text[cut] != ' ') /* one long word: back to a character boundary */
			cut = utf8_cut(text, 60);
	}
	char *part = xstrndup(text, cut);
	esc_html(b, part);
	free(part);
	if (cut < n)
		buf_puts(b, "…");
}

/* Appends the outline of q's follow-ups: a list beside the text on wide
 * screens (the theme shows it open there), one tap away on phones. */
static void put_outline(struct buf *m, const struct model_question *q)
{
	buf_printf(m, "<details class=\"outline\">\n<summary>Follow-ups <span class=\"n\">(%zu)</span></summary>\n"
	              "<nav aria-label=\"Follow-ups\"><ol>\n", q->ndepths);
	for (size_t d = 0; d < q->ndepths; d++) {
		const struct model_depth *dp = q->depths[d];
		buf_printf(m, "<li><a href=\"#%s\"><span class=\"n\">%d</span> ", dp->anchor, dp->number);
		put_short(m, dp->question_text);
		buf_puts(m, "</a></li>\n");
	}
	buf_puts(m, "</ol></nav>\n</details>\n");
}

/* Appends the previous/next question links, the guide's contents, and
 * on its last question the next guide of the library. */
static void put_pager(struct buf *m, const struct site *s, const struct model_guide *g, size_t i)
{
	buf_puts(m, "<nav class=\"pager\" aria-label=\"Questions\">\n");
	if (i > 0) {
		const struct model_question *p = g->questions[i - 1];
		buf_puts(m, "<a rel=\"prev\" href=\"");
		put_page(m, NULL, p, NULL);
		buf_puts(m, "\"><span class=\"dir\">Previous</span> ");
		put_question_name(m, p);
		buf_puts(m, "</a>\n");
	}
	buf_puts(m, "<a class=\"contents\" href=\"index.html\"><span class=\"dir\">Contents</span> ");
	esc_html(m, g->title);
	buf_puts(m, "</a>\n");
	if (i + 1 < g->nquestions) {
		const struct model_question *n = g->questions[i + 1];
		buf_puts(m, "<a rel=\"next\" href=\"");
		put_page(m, NULL, n, NULL);
		buf_puts(m, "\"><span class=\"dir\">Next</span> ");
		put_question_name(m, n);
		buf_puts(m, "</a>\n");
	} else {
		size_t k = 0;
		while (k < s->lib->nguides && s->lib->guides[k] != g)
			k++;
		if (k + 1 < s->lib->nguides) {
			const struct model_guide *next = s->lib->guides[k + 1];
			buf_puts(m, "<a rel=\"next\" class=\"next-guide\" href=\"../");
			put_href(m, next->slug);
			buf_puts(m, "/index.html\"><span class=\"dir\">Next guide</span> ");
			esc_html(m, next->title);
			buf_puts(m, "</a>\n");
		} else {
			buf_puts(m, "<a rel=\"next\" class=\"next-guide\" href=\"../index.html\"><span class=\"dir\">End of the guide</span> Back to the library</a>\n");
		}
	}
	buf_puts(m, "</nav>\n");
}

/* out/site/<slug>/qN.html: the question, its main answer, the outline
 * and the whole Depth chain with grade buttons, and the pager. Adds each
 * follow-up's card to s's review deck. */
static int write_question(struct site *s, const struct model_guide *g, size_t i, struct buf *deck)
{
	const struct model_question *q = g->questions[i];
	struct buf m = {0}, rel = {0}, crumb = {0}, title = {0}, qn = {0};
	s->page_code = 0;
	char *qtitle = render_md(s, q->title, 1);
	buf_printf(&m, "<article class=\"question\" id=\"%s\">\n<h1><span class=\"label\">", q->id);
	model_unit_label(&m, q, NULL, "");
	buf_printf(&m, "</span> %s</h1>\n", qtitle);
	free(qtitle);
	if (q->ndepths > 0)
		put_outline(&m, q);
	char *answer = render_md(s, q->answer, 0);
	put_answer(&m, answer, NULL);
	free(answer);
	if (q->ndepths > 0) {
		buf_puts(&m, "<h2 class=\"chain\">Follow-ups</h2>\n");
		for (size_t d = 0; d < q->ndepths; d++) {
			const struct model_depth *dp = q->depths[d];
			char *dq = render_md(s, dp->question, 1);
			char *da = render_md(s, dp->answer, 0);
			struct buf grades = {0}, href = {0};
			buf_printf(&m, "<section class=\"depth\" id=\"%s\" aria-labelledby=\"%s-h\">\n"
			               "<h3 id=\"%s-h\"><a class=\"self\" href=\"#%s\">",
			           dp->anchor, dp->anchor, dp->anchor, dp->anchor);
			model_unit_label(&m, NULL, dp, "");
			buf_puts(&m, "</a> ");
			if (dp->title != NULL) {
				/* "Depth 3: Thundering herd": the author's short title */
				buf_puts(&m, "<span class=\"title\">");
				esc_html(&m, dp->title);
				buf_puts(&m, "</span> ");
			}
			buf_printf(&m, "<span class=\"q\">%s</span></h3>\n", dq);
			/* a follow-up with an explicit id keeps its positional
			 * fragment too, so links made before the id still land */
			if (dp->explicit_id != NULL)
				buf_printf(&m, "<span id=\"d%d\"></span>\n", dp->number);
			review_grades(&grades, dp);
			put_answer(&m, da, grades.data);
			buf_puts(&m, "</section>\n");
			put_page(&href, NULL, q, dp);
			review_add(deck, dp, href.data, dq, da);
			buf_free(&grades);
			buf_free(&href);
			free(dq);
			free(da);
		}
	}
	buf_puts(&m, "</article>\n");
	if (i + 1 == g->nquestions)
		put_epilogue(&m, s, g);
	buf_puts(&m, "<p class=\"to-top\"><a href=\"#main\">Back to top</a></p>\n");
	put_pager(&m, s, g, i);
	model_unit_label(&qn, q, NULL, "");
	put_breadcrumb(&crumb, g, q->section, qn.data);
	buf_printf(&rel, "%s/", g->slug);
	put_page(&rel, NULL, q, NULL);
	model_unit_label(&title, q, NULL, "");
	buf_printf(&title, ": %s — %s", q->title_text, g->title);
	struct page p = {
		.rel = rel.data, .lang = g->lang, .title = title.data, .description = q->title_text,
		.root = "../", .guide = g->slug, .breadcrumb = crumb.data, .main = m.data,
		.body_class = "question-page",
		.scripts = s->page_code ? "<script src=\"../assets/highlight.js\" defer></script>\n" : NULL,
		.tools = "<button type=\"button\" id=\"toggle-answers\" class=\"tool toggle\" aria-keyshortcuts=\"h\">"
		         "<span class=\"when-shown\">Hide all answers</span><span class=\"when-hidden\">Show all answers</span></button>\n",
		.footer = " Study mode: “Hide all answers”, then open each answer when you have said yours and grade how well you knew it."
		          " <span class=\"js-only\">Press <kbd>?</kbd> for keyboard shortcuts.</span>",
	};
	int rc = write_page(s, &p);
	buf_free(&m);
	buf_free(&rel);
	buf_free(&crumb);
	buf_free(&title);
	buf_free(&qn);
	return rc;
}

/* out/site/<slug>/sN.html: a section without questions (a glossary, a
 * list of abbreviations), its heading and its text. */
static int write_section(struct site *s, const struct model_guide *g, const struct model_section *sec)
{
	struct buf m = {0}, rel = {0}, crumb = {0}, title = {0};
	char *stitle = render_md(s, sec->title, 1);
	char *intro = render_md(s, sec->intro, 0);
	buf_printf(&m, "<article class=\"section-page\" id=\"%s\">\n<h1>%d. %s</h1>\n%s</article>\n",
	           sec->id, sec->number, stitle, intro);
	free(stitle);
	free(intro);
	put_breadcrumb(&crumb, g, NULL, sec->title_text);
	buf_printf(&rel, "%s/", g->slug);
	put_page(&rel, sec, NULL, NULL);
	buf_printf(&title, "%d. %s — %s", sec->number, sec->title_text, g->title);
	struct page p = {
		.rel = rel.data, .lang = g->lang, .title = title.data, .description = sec->title_text,
		.root = "../", .guide = g->slug, .breadcrumb = crumb.data, .main = m.data,
		.body_class = "section-page",
	};
	int rc = write_page(s, &p);
	buf_free(&m);
	buf_free(&rel);
	buf_free(&crumb);
	buf_free(&title);
	return rc;
}

/* out/site/review.html: the theme's review page, with every guide's
 * cards as scripts (so it works over file://). */
static int write_review(const struct site *s)
{
	char *main = tpl_load(s->opts->theme_dir, "site/review.html");
	if (main == NULL)
		return -1;
	struct buf scripts = {0};
	for (size_t i = 0; i < s->lib->nguides; i++) {
		buf_puts(&scripts, "<script src=\"review/");
		put_href(&scripts, s->lib->guides[i]->slug);
		buf_puts(&scripts, ".js\" defer></script>\n");
	}
	buf_puts(&scripts, "<script src=\"assets/review.js\" defer></script>\n");
	struct page p = {.rel = "review.html", .lang = library_lang(s), .title = "Review",
	                 .description = "The follow-ups due for review today, across the library",
	                 .root = "", .guide = "", .main = main, .body_class = "review-page",
	                 .scripts = scripts.data,
	                 .footer = " Review: <kbd>Space</kbd> shows the answer, <kbd>1</kbd>–<kbd>4</kbd> grade it."};
	int rc = write_page(s, &p);
	buf_free(&scripts);
	free(main);
	return rc;
}

/* The script 404.html runs first when there is no --base-url: a host
 * serves it for any missing address, at any depth, so it finds the site
 * root in its own address (the folder before the first name the site has
 * at its top: a guide, assets/, index.html …) and makes that the base of
 * every relative link, the stylesheet's included. */
static void put_root_script(struct buf *b, const struct model_library *lib)
{
	buf_puts(b, "<script>(function () {\n"
	            "var top = [\"assets\", \"search\", \"review\", \"files\", \"index.html\", \"review.html\", \"404.html\", \"sitemap.xml\"");
	for (size_t i = 0; i < lib->nguides; i++) {
		struct buf u = {0};
		esc_url(&u, lib->guides[i]->slug);
		buf_puts(b, ", \"");
		esc_js(b, u.data);
		buf_puts(b, "\"");
		buf_free(&u);
	}
	buf_puts(b, "];\nvar parts = location.pathname.split(\"/\"), i;\n"
	            "for (i = 1; i < parts.length - 1 && top.indexOf(parts[i]) < 0; i++);\n"
	            "/* found nothing: the site is at the host's root (or this is its 404.html) */\n"
	            "if (i >= parts.length - 1) i = /\\/404\\.html$/.test(location.pathname) ? parts.length - 1 : 1;\n"
	            "var base = document.createElement(\"base\");\n"
	            "base.href = location.protocol + \"//\" + location.host + parts.slice(0, i).join(\"/\") + \"/\";\n"
	            "document.head.appendChild(base);\n})();</script>\n");
}

/* out/site/404.html. Served for any missing path: its links go through
 * --base-url when there is one, else through the root its script finds. */
static int write_404(const struct site *s)
{
	const char *root = s->base ? s->base : "";
	struct buf m = {0}, head = {0};
	char *eroot = html_escaped(root);
	buf_printf(&m, "<h1>Page not found</h1>\n<p>There is no page at this address. "
	               "Try the search box, or go back to the <a href=\"%sindex.html\">library</a>.</p>\n",
	           eroot);
	if (s->base == NULL)
		put_root_script(&head, s->lib);
	struct page p = {.rel = "404.html", .lang = library_lang(s), .title = "Page not found",
	                 .description = "Page not found", .root = eroot, .guide = "",
	                 .main = m.data, .body_class = "not-found", .head = head.data};
	int rc = write_page(s, &p);
	buf_free(&m);
	buf_free(&head);
	free(eroot);
	return rc;
}

static void put_url(struct buf *b, const char *base, const char *path, const char *date)
{
	buf_puts(b, "<url><loc>");
	esc_html(b, base);
	struct buf u = {0};
	esc_url(&u, path);
	esc_html(b, u.data ? u.data : "");
	buf_free(&u);
	buf_printf(b, "</loc><lastmod>%s</lastmod></url>\n", date);
}

/* out/site/sitemap.xml: absolute URLs need --base-url; without it the
 * file says so in one line and lists nothing. */
static int write_sitemap(const struct site *s)
{
	struct buf b = {0};
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	const char *base = s->base;
	if (base == NULL) {
		/* XML forbids "--" inside a comment, so the option is named in words. */
		buf_puts(&b, "<!-- No page URLs: sitemaps need absolute URLs; build with the base-url "
		             "option (https://host/path/) to list them. -->\n"
		             "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"></urlset>\n");
	} else {
		char date[16];
		time_t t = (time_t)s->opts->date;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		buf_puts(&b, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		put_url(&b, base, "", date);
		for (size_t i = 0; i < s->lib->nguides; i++) {
			const struct model_guide *g = s->lib->guides[i];
			char *p = xasprintf("%s/", g->slug);
			put_url(&b, base, p, date);
			free(p);
			struct buf page = {0};
			for (size_t k = 0; k < g->nquestions; k++) {
				buf_printf(&page, "%s/", g->slug);
				put_page(&page, NULL, g->questions[k], NULL);
				put_url(&b, base, page.data, date);
				page.len = 0;
			}
			for (size_t k = 0; k < g->nsections; k++) {
				if (g->sections[k]->count > 0)
					continue;
				buf_printf(&page, "%s/", g->slug);
				put_page(&page, g->sections[k], NULL, NULL);
				put_url(&b, base, page.data, date);
				page.len = 0;
			}
			buf_free(&page);
		}
		buf_puts(&b, "</urlset>\n");
	}
	int rc = out_write(s->dir, "sitemap.xml", b.data, b.len);
	buf_free(&b);
	return rc;
}

/* Copies the theme's stylesheet, scripts and icon into out/site/assets/. */
static int copy_assets(const struct site *s)
{
	static const char *const assets[] = {"site.css", "site.js", "review.js", "highlight.js",
	                                     "favicon.svg"};
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
		char *src = xasprintf("site/%s", assets[i]);
		char *data = tpl_load(s->opts->theme_dir, src);
		free(src);
		if (data == NULL)
			return -1;
		char *dst = xasprintf("assets/%s", assets[i]);
		int rc = out_write(s->dir, dst, data, strlen(data));
		free(dst);
		free(data);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Writes guide g's pages, review cards and search index, and removes
 * from its directory the pages the last build wrote and this one does not
 * (a question taken out). Returns 0 or -1. */
static int write_guide(struct site *s, const struct model_guide *g)
{
	struct buf deck = {0};
	struct pages written = {0};
	s->guide = g;
	s->written = &written;
	int rc = write_front(s, g) != 0 || s->failed ? -1 : 0;
	review_begin(&deck, g);
	for (size_t k = 0; rc == 0 && k < g->nquestions; k++)
		if (write_question(s, g, k, &deck) != 0 || s->failed)
			rc = -1;
	if (rc == 0 && (review_end(&deck, g, s->dir) != 0 || search_guide(g, s->dir) != 0))
		rc = -1;
	buf_free(&deck);
	for (size_t k = 0; rc == 0 && k < g->nsections; k++)
		if (g->sections[k]->count == 0 && (write_section(s, g, g->sections[k]) != 0 || s->failed))
			rc = -1;
	if (rc == 0)
		rc = out_prune(s->dir, g->slug, written.names, written.n);
	for (size_t k = 0; k < written.n; k++)
		free(written.names[k]);
	free(written.names);
	s->written = NULL;
	s->guide = NULL;
	return rc;
}

/* Removes from site/files/ what the last build copied there and no guide
 * of the library links to any more (out_prune); every guide's links are
 * known here, rendered this time or not, and found as copy_linked_file
 * finds them (linked_inside). Returns 0 or -1. */
static int prune_files(const struct site *s)
{
	struct pages kept = {0};
	for (size_t i = 0; i < s->lib->nguides; i++) {
		const struct model_guide *g = s->lib->guides[i];
		for (size_t k = 0; k < g->nlinks; k++) {
			struct link_target t;
			if (g->links[k].url == NULL || link_resolve(s->lib, g, g->links[k].url, &t) != LINK_FILE)
				continue;
			char *joined;
			char real[PATH_MAX];
			const char *inside = linked_inside(g, g->links[k].url, &joined, real);
			if (inside != NULL) {
				XGROW(kept.names, kept.n, kept.cap);
				kept.names[kept.n++] = xstrdup(inside);
			}
			free(joined);
		}
	}
	int rc = out_prune(s->dir, "files", kept.names, kept.n);
	for (size_t k = 0; k < kept.n; k++)
		free(kept.names[k]);
	free(kept.names);
	return rc;
}

int html_render(const struct model_library *lib, const struct render_opts *opts)
{
	struct site s = {.lib = lib, .opts = opts};
	int rc = -1;
	s.dir = xasprintf("%s/site", opts->out_dir);
	s.frame_name = xasprintf("%s/site/page.html", opts->theme_dir);
	s.base = link_site_root(opts->base_url);
	s.frame = tpl_load(opts->theme_dir, "site/page.html");
	static const char *const frame_needs[] = {"main", NULL}; /* the page's text */
	if (s.frame == NULL || tpl_require(s.frame, s.frame_name, frame_needs) != 0 ||
	    (!opts->skip_library && (copy_assets(&s) != 0 || write_library(&s) != 0)))
		goto done;
	for (size_t i = 0; i < lib->nguides; i++)
		if (render_todo(opts, i) && write_guide(&s, lib->guides[i]) != 0)
			goto done;
	s.guide = NULL;
	if (!opts->skip_library && (search_list(lib, s.dir) != 0 || write_review(&s) != 0 || write_404(&s) != 0 ||
	                            write_sitemap(&s) != 0 || prune_files(&s) != 0))
		goto done;
	rc = 0;
done:
	free(s.dir);
	free(s.frame);
	free(s.frame_name);
	free(s.base);
	return rc;
}
