/* anki.c: one Anki deck per guide in Anki's text import format
 * (https://docs.ankiweb.net/importing/text-files.html): "#key:value" header
 * lines, then one note per line: GUID, Front, Back, Tags, tab-separated.
 * A field holding a tab, newline or quote is quoted CSV-style ("" for "). */
#include "anki.h"
#include "escape.h"
#include "math.h"
#include "md.h"
#include "out.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct anki_ctx {
	const struct model_library *lib;
	const struct model_guide *guide;
};

/* Link hook: a link to a unit names it ("#q1-d3" means nothing inside
 * Anki), any other link is kept. */
static char *anki_link(const char *url, int is_image, void *ctx)
{
	struct anki_ctx *c = ctx;
	struct model_target t;
	(void)is_image;
	if (model_resolve(c->lib, c->guide, url, &t) != MODEL_LINK_UNIT)
		return NULL;
	return xasprintf("#%s", t.depth ? t.depth->id : t.question ? t.question->id : t.section->id);
}

static char *anki_math(const char *tex, void *ctx)
{
	(void)ctx;
	return math_to_html(tex);
}

/* Appends one field: as is, or quoted when it holds a separator. */
static void field(struct buf *b, const char *s)
{
	if (strpbrk(s, "\t\n\r\"") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		buf_put(b, s, (size_t)(q - s) + 1);
		buf_putc(b, '"');
	}
	buf_puts(b, s);
	buf_putc(b, '"');
}

/* Appends the tag form of text: lower-case words joined by '-' (Anki
 * splits tags at spaces). */
static void tag(struct buf *b, const char *text)
{
	char slug[128];
	model_text_slug(text, slug, sizeof slug);
	buf_puts(b, slug);
}

/* Appends one note line for question q (d NULL) or its follow-up d. */
static void note(struct buf *b, struct anki_ctx *c, const struct model_question *q,
                 const struct model_depth *d)
{
	struct md_hooks hooks = {.link = anki_link, .math = anki_math, .ctx = c};
	char *question = md_html(d ? d->question : q->title, 1, &hooks);
	char *answer = md_html(d ? d->answer : q->answer, 0, &hooks);
	/* The GUID is the unit's identity key (ident.h): an insertion or a
	 * renumbering leaves every other note's GUID as it was. */
	const char *id = d ? d->key : q->key;
	struct buf front = {0}, tags = {0};
	buf_printf(&front, "<div class=\"label\">Q%d", q->number);
	if (d != NULL)
		buf_printf(&front, " \xc2\xb7 Depth %d", d->number);
	if (q->section != NULL) {
		buf_puts(&front, " \xe2\x80\x94 ");
		esc_html(&front, q->section->title_text);
	}
	buf_puts(&front, "</div>");
	buf_puts(&front, question);
	tag(&tags, c->guide->slug);
	if (q->section != NULL) {
		buf_printf(&tags, " %s-", q->section->id);
		tag(&tags, q->section->title_text);
	}
	buf_printf(&tags, " %s", q->id);
	if (d != NULL)
		buf_printf(&tags, " depth-%d", d->number);
	buf_puts(b, id);
	buf_putc(b, '\t');
	field(b, front.data);
	buf_putc(b, '\t');
	field(b, answer);
	buf_putc(b, '\t');
	field(b, tags.data);
	buf_putc(b, '\n');
	buf_free(&front);
	buf_free(&tags);
	free(question);
	free(answer);
}

int anki_render(const struct model_library *lib, const struct render_opts *opts)
{
	int status = 0;
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct model_guide *g = lib->guides[i];
		struct anki_ctx c = {lib, g};
		struct buf b = {0};
		buf_puts(&b, "#separator:tab\n#html:true\n#deck:");
		/* a header value ends at the line's end: keep it on one line */
		for (const char *p = g->title; *p; p++)
			buf_putc(&b, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
		buf_puts(&b, "\n#notetype:Basic\n#columns:GUID\tFront\tBack\tTags\n"
		             "#guid column:1\n#tags column:4\n");
		for (size_t k = 0; k < g->nquestions; k++) {
			const struct model_question *q = g->questions[k];
			note(&b, &c, q, NULL);
			for (size_t j = 0; j < q->ndepths; j++)
				note(&b, &c, q, q->depths[j]);
		}
		char *rel = xasprintf("anki/%s.txt", g->slug);
		if (out_write(opts->out_dir, rel, b.data, b.len) != 0)
			status = -1;
		free(rel);
		buf_free(&b);
	}
	return status;
}
