/* review.c: the generator's side of spaced review. The schedule itself
 * (SM-2) runs in the reader's browser, in the theme's site.js and
 * review.js; this file gives every follow-up its key, its grade buttons
 * and its card in review/<slug>.js, a script so that review.html works
 * over file://, where fetch() is refused. */
#define _XOPEN_SOURCE 700
#include "review.h"
#include "escape.h"
#include "out.h"

#include <stdlib.h>
#include <string.h>

/* The one place that decides what a schedule is keyed on: the unit's
 * identity key (ident.h: explicit id, else guide + normalised question +
 * occurrence), so a schedule survives inserted or renumbered follow-ups;
 * the positional id only if the model has not assigned keys. */
void review_key(struct buf *b, const struct model_depth *d)
{
	buf_puts(b, d->key ? d->key : d->id);
}

void review_grades(struct buf *b, const struct model_depth *d)
{
	static const char *const grades[] = {"Again", "Hard", "Good", "Easy"};
	buf_puts(b, "<div class=\"grade js-only\" role=\"group\" aria-label=\"How well did you know it?\" data-card=\"");
	struct buf key = {0};
	review_key(&key, d);
	esc_html(b, key.data);
	buf_free(&key);
	buf_puts(b, "\"><span class=\"grade-label\" aria-hidden=\"true\">Recall:</span>");
	for (int i = 0; i < 4; i++)
		buf_printf(b, "<button type=\"button\" value=\"%d\">%s</button>", i + 1, grades[i]);
	buf_puts(b, "<span class=\"grade-due\"></span></div>\n");
}

void review_begin(struct buf *b, const struct model_guide *g)
{
	buf_puts(b, "/* depthbook review cards: [key, href, label, question, answer] */\n"
	            "(window.DEPTHBOOK_REVIEW = window.DEPTHBOOK_REVIEW || []).push({slug: \"");
	esc_js(b, g->slug);
	buf_puts(b, "\", title: \"");
	esc_js(b, g->title);
	buf_puts(b, "\", cards: [\n");
}

void review_add(struct buf *b, const struct model_depth *d, const char *href,
                const char *question_html, const char *answer_html)
{
	struct buf key = {0};
	review_key(&key, d);
	buf_puts(b, "[\"");
	esc_js(b, key.data);
	buf_puts(b, "\",\"");
	esc_js(b, href);
	struct buf label = {0};
	model_unit_label(&label, d->parent, d, MODEL_LABEL_SEP);
	buf_puts(b, "\",\"");
	esc_js(b, label.data);
	buf_puts(b, "\",\"");
	buf_free(&label);
	esc_js(b, question_html);
	buf_puts(b, "\",\"");
	esc_js(b, answer_html);
	buf_puts(b, "\"],\n");
	buf_free(&key);
}

int review_end(struct buf *b, const struct model_guide *g, const char *site_dir)
{
	buf_puts(b, "]});\n");
	char *rel = xasprintf("review/%s.js", g->slug);
	int rc = out_write(site_dir, rel, b->data, b->len);
	free(rel);
	buf_free(b);
	return rc;
}
