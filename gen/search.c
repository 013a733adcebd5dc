/* search.c: the site's search index, one script per guide, so that a page
 * loads only its own guide's entries before the reader searches, and the
 * rest only when the search box is used. Scripts rather than JSON because
 * fetch() is refused over file://, and a <script src> is not. */
#define _XOPEN_SOURCE 700
#include "search.h"
#include "escape.h"
#include "link.h"
#include "md.h"
#include "out.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends one entry: [href, label, question, answer], as a JS array. */
static void put_entry(struct buf *b, const struct model_guide *g, const struct model_question *q,
                      const struct model_depth *d, const char *label, const char *question,
                      cmark_node *answer)
{
	char *text = md_text(answer);
	struct buf href = {0};
	esc_url(&href, g->slug);
	char *page = link_site_page(&(struct link_target){.question = (struct model_question *)q,
	                                                  .depth = (struct model_depth *)d});
	buf_printf(&href, "/%s", page);
	free(page);
	buf_puts(b, "[\"");
	esc_js(b, href.data);
	buf_puts(b, "\",\"");
	esc_js(b, label);
	buf_puts(b, "\",\"");
	esc_js(b, question);
	buf_puts(b, "\",\"");
	esc_js(b, text);
	buf_puts(b, "\"],\n");
	buf_free(&href);
	free(text);
}

/* Returns the script search/<slug>.js: every main question and every
 * follow-up of g, in guide order. The caller frees it. */
static char *guide_index(const struct model_guide *g)
{
	struct buf b = {0};
	buf_puts(&b, "/* depthbook search index: [href, label, question, answer] */\n"
	             "(window.DEPTHBOOK_SEARCH = window.DEPTHBOOK_SEARCH || {})[\"");
	esc_js(&b, g->slug);
	buf_puts(&b, "\"] = {title: \"");
	esc_js(&b, g->title);
	buf_puts(&b, "\", entries: [\n");
	for (size_t k = 0; k < g->nquestions; k++) {
		const struct model_question *q = g->questions[k];
		struct buf label = {0};
		model_unit_label(&label, q, NULL, MODEL_LABEL_SEP);
		put_entry(&b, g, q, NULL, label.data, q->title_text, q->answer);
		for (size_t d = 0; d < q->ndepths; d++) {
			const struct model_depth *dp = q->depths[d];
			label.len = 0;
			model_unit_label(&label, q, dp, MODEL_LABEL_SEP);
			put_entry(&b, g, q, dp, label.data, dp->question_text, dp->answer);
		}
		buf_free(&label);
	}
	buf_puts(&b, "]};\n");
	return buf_take(&b);
}

int search_guide(const struct model_guide *g, const char *site_dir)
{
	char *js = guide_index(g);
	char *rel = xasprintf("search/%s.js", g->slug);
	int rc = out_write(site_dir, rel, js, strlen(js));
	free(rel);
	free(js);
	return rc;
}

int search_list(const struct model_library *lib, const char *site_dir)
{
	struct buf list = {0};
	buf_puts(&list, "/* depthbook search: the guides whose indexes search/<slug>.js holds */\n"
	                "window.DEPTHBOOK_GUIDES = [");
	for (size_t i = 0; i < lib->nguides; i++) {
		buf_puts(&list, i ? ",\"" : "\"");
		esc_js(&list, lib->guides[i]->slug);
		buf_putc(&list, '"');
	}
	buf_puts(&list, "];\n");
	int rc = out_write(site_dir, "search/guides.js", list.data, list.len);
	buf_free(&list);
	return rc;
}
