/* anki.c: the model as Anki notes, one per main question and follow-up,
 * written as Anki's text import format
 * (https://docs.ankiweb.net/importing/text-files.html: "#key:value" header
 * lines, then one note per line: GUID, Front, Back, Tags, Deck,
 * tab-separated, a field holding a tab, newline or quote quoted CSV-style)
 * and handed to gen/apkg.c for the packages. */
#define _GNU_SOURCE
#include "anki.h"
#include "diag.h"
#include "ident.h"
#include "escape.h"
#include "link.h"
#include "media.h"
#include "md.h"
#include "out.h"
#include "stamp.h"
#include "util.h"
#include "where.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct anki_ctx {
	const struct model_library *lib;
	const struct model_guide *guide;
	const struct render_opts *opts;
	struct anki_deck *deck;
	char **refs;              /* printed references of the field being rendered */
	size_t nrefs, caprefs;
	struct strindex media;    /* the deck's media by name */
	int failed;
};

long long anki_id(const char *name)
{
	uint64_t h = stamp_add_str(STAMP_START, name);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	/* 1.5e12 ms is 2017-07-14; the range spans about three years */
	return 1500000000000LL + (long long)(h % 100000000000ULL);
}

/* The printed reference to a target: "Q1 › Depth 3", "in “Other”, Q2". */
static char *reference(const struct anki_ctx *c, const struct link_target *t)
{
	struct buf b = {0};
	if (t->guide != c->guide) {
		buf_puts(&b, "in \xe2\x80\x9c");
		buf_puts(&b, t->guide->title);
		buf_puts(&b, "\xe2\x80\x9d");
		if (t->question != NULL || t->section != NULL)
			buf_puts(&b, ", ");
	}
	if (t->question != NULL)
		model_unit_label(&b, t->question, t->depth, MODEL_LABEL_SEP);
	else if (t->section != NULL)
		buf_printf(&b, "Section %d", t->section->number);
	return buf_take(&b);
}

/* Reads an image the guide shows and adds it to the deck's media once.
 * Returns the media name (borrowed from the deck), or NULL when the file
 * is not inside the content directory (check reported it) or unreadable. */
static const char *add_image(struct anki_ctx *c, const char *url)
{
	char *rel;
	char *joined = link_file_path(c->guide, url, &rel);
	char real[PATH_MAX];
	const char *name = NULL;
	size_t len;
	char *data = NULL;
	if (link_locate(c->guide, joined, real, NULL) != LINK_PLACE_INSIDE)
		goto done;
	if ((data = read_whole(real, &len)) == NULL) {
		diag_report(DIAG_READ, joined, 0, 0, strerror(errno));
		c->failed = 1;
		goto done;
	}
	/* the extension tells Anki (and the browser in it) the type: the
	 * bytes' (media.h), else the name's */
	struct buf b = {0};
	buf_printf(&b, "db-%016llx", (unsigned long long)stamp_add(STAMP_START, data, len));
	const struct media_kind *kind = media_kind_of((const unsigned char *)data, len);
	const char *dot = strrchr(rel, '.');
	if (kind != NULL) {
		buf_printf(&b, ".%s", kind->ext);
	} else if (dot != NULL && strchr(dot, '/') == NULL && strlen(dot) <= 6) {
		buf_putc(&b, '.');
		for (const char *p = dot + 1; *p; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				buf_putc(&b, *p);
			else if (*p >= 'A' && *p <= 'Z')
				buf_putc(&b, (char)(*p - 'A' + 'a'));
	}
	struct anki_deck *deck = c->deck;
	size_t seen = strindex_get(&c->media, b.data);
	if (seen != STRINDEX_NONE) {
		name = deck->media[seen].name;
		buf_free(&b);
		goto done;
	}
	XGROW(deck->media, deck->nmedia, deck->capmedia);
	deck->media[deck->nmedia] = (struct anki_media){buf_take(&b), data, len};
	strindex_put(&c->media, deck->media[deck->nmedia].name, deck->nmedia);
	name = deck->media[deck->nmedia++].name;
	data = NULL;
done:
	free(data);
	free(joined);
	free(rel);
	return name;
}

/* The scheme that marks a link md_html writes for a printed reference;
 * mark_refs turns such links into text. */
#define REF_SCHEME "depthbook-ref:"

/* Link hook: an image becomes its media name; a link to a unit or guide
 * becomes its page on the site with --base-url, otherwise a printed
 * reference ("#q1-d3" means nothing inside Anki); other links are kept. */
static char *anki_link(const char *url, int is_image, void *ctx)
{
	struct anki_ctx *c = ctx;
	struct link_target t;
	enum link_kind kind = link_resolve(c->lib, c->guide, url, &t);
	if (is_image) {
		const char *name = kind == LINK_FILE ? add_image(c, url) : NULL;
		return name ? xstrdup(name) : NULL;
	}
	if (kind != LINK_UNIT && kind != LINK_GUIDE)
		return NULL;
	char *root = link_site_root(c->opts->base_url);
	if (root != NULL) {
		char *to = link_site_url(root, &t);
		free(root);
		return to;
	}
	XGROW(c->refs, c->nrefs, c->caprefs);
	c->refs[c->nrefs] = reference(c, &t);
	return xasprintf(REF_SCHEME "%zu", c->nrefs++);
}

/* Math hook: MathJax's inline delimiters, which Anki renders. */
static char *anki_math(const char *tex, void *ctx)
{
	(void)ctx;
	struct buf b = {0};
	buf_puts(&b, "\\(");
	esc_html(&b, tex);
	buf_puts(&b, "\\)");
	return buf_take(&b);
}

/* Rewrites html's reference links (<a href="depthbook-ref:N">text</a>) as
 * the text and its printed reference; frees html, returns the result. */
static char *mark_refs(struct anki_ctx *c, char *html)
{
	static const char open[] = "<a href=\"" REF_SCHEME;
	if (c->nrefs == 0)
		return html;
	struct buf b = {0};
	const char *p = html, *a;
	while ((a = strstr(p, open)) != NULL) {
		char *end;
		unsigned long n = strtoul(a + sizeof open - 1, &end, 10);
		const char *gt = strchr(end, '>');
		const char *close = gt ? strstr(gt, "</a>") : NULL;
		if (gt == NULL || close == NULL || n >= c->nrefs)
			break;
		buf_put(&b, p, (size_t)(a - p));
		buf_puts(&b, "<span class=\"xref\">");
		buf_put(&b, gt + 1, (size_t)(close - gt - 1));
		buf_puts(&b, " <span class=\"ref\">(");
		esc_html(&b, c->refs[n]);
		buf_puts(&b, ")</span></span>");
		p = close + 4;
	}
	buf_puts(&b, p);
	free(html);
	for (size_t i = 0; i < c->nrefs; i++)
		free(c->refs[i]);
	c->nrefs = 0;
	return buf_take(&b);
}

static char *render(struct anki_ctx *c, cmark_node *node, int inline_only)
{
	struct md_hooks hooks = {.link = anki_link, .math = anki_math, .ctx = c};
	return mark_refs(c, md_html(node, inline_only, &hooks));
}

/* Appends the tag form of text: lower-case words joined by '-' (Anki
 * splits tags at spaces). */
static void tag(struct buf *b, const char *text)
{
	char slug[128];
	model_text_slug(text, slug, sizeof slug);
	buf_puts(b, slug);
}

/* Adds the note for question q (d NULL) or its follow-up d. */
static void add_note(struct anki_ctx *c, const struct model_question *q, const struct model_depth *d)
{
	struct anki_deck *deck = c->deck;
	XGROW(deck->notes, deck->nnotes, deck->capnotes);
	struct anki_note *n = &deck->notes[deck->nnotes++];
	struct buf b = {0};
	n->guid = d ? d->key : q->key;
	model_unit_label(&b, q, d, " \u00b7 ");
	n->label = buf_take(&b);
	if (q->section != NULL) {
		buf_printf(&b, "%d. ", q->section->number);
		esc_html(&b, q->section->title_text);
	}
	n->section = b.data ? buf_take(&b) : xstrdup("");
	n->question = render(c, d ? d->question : q->title, 1);
	n->answer = render(c, d ? d->answer : q->answer, 0);
	char *root = link_site_root(c->opts->base_url);
	n->link = root ? link_site_url(root, &(struct link_target){.guide = (struct model_guide *)c->guide,
	                                                          .question = (struct model_question *)q,
	                                                          .depth = (struct model_depth *)d})
	               : xstrdup("");
	free(root);
	tag(&b, c->guide->slug);
	if (q->section != NULL) {
		buf_printf(&b, " %s-", q->section->id);
		tag(&b, q->section->title_text);
	}
	buf_printf(&b, " q%d", q->number);
	if (d != NULL)
		buf_printf(&b, " depth-%d", d->number);
	n->tags = buf_take(&b);
}

/* The deck's name: the title on one line; "::" would nest it in Anki. */
static char *deck_name(const struct model_guide *g)
{
	struct buf b = {0};
	for (const char *p = g->title; *p; p++) {
		if (*p == ':' && p[1] == ':') {
			buf_puts(&b, ": ");
			p++;
		} else {
			buf_putc(&b, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
		}
	}
	if (b.len == 0)
		buf_puts(&b, g->slug);
	return buf_take(&b);
}

static void deck_free(struct anki_deck *deck)
{
	for (size_t i = 0; i < deck->nnotes; i++) {
		struct anki_note *n = &deck->notes[i];
		free(n->label);
		free(n->section);
		free(n->question);
		free(n->answer);
		free(n->link);
		free(n->tags);
	}
	for (size_t i = 0; i < deck->nmedia; i++) {
		free(deck->media[i].name);
		free(deck->media[i].data);
	}
	free(deck->notes);
	free(deck->media);
	free(deck->name);
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

/* The text export of one deck: the Basic note type's Front (label, section
 * and question) and Back (the answer); "#deck column" makes Anki create
 * the deck, where "#deck:" only picks an existing one. */
static int write_text(const struct anki_deck *deck, const struct render_opts *opts)
{
	struct buf b = {0};
	buf_puts(&b, "#separator:tab\n#html:true\n#notetype:Basic\n"
	             "#columns:GUID\tFront\tBack\tTags\tDeck\n"
	             "#guid column:1\n#tags column:4\n#deck column:5\n");
	for (size_t i = 0; i < deck->nnotes; i++) {
		const struct anki_note *n = &deck->notes[i];
		struct buf front = {0};
		buf_printf(&front, "<div class=\"label\">%s", n->label);
		if (*n->section) {
			buf_puts(&front, " \xe2\x80\x94 ");
			buf_puts(&front, n->section);
		}
		buf_puts(&front, "</div>");
		buf_puts(&front, n->question);
		buf_puts(&b, n->guid);
		buf_putc(&b, '\t');
		field(&b, front.data);
		buf_putc(&b, '\t');
		field(&b, n->answer);
		buf_putc(&b, '\t');
		field(&b, n->tags);
		buf_putc(&b, '\t');
		field(&b, deck->name);
		buf_putc(&b, '\n');
		buf_free(&front);
	}
	char *rel = xasprintf("anki/%s.txt", deck->guide->slug);
	int r = out_write(opts->out_dir, rel, b.data, b.len);
	free(rel);
	buf_free(&b);
	return r;
}

/* apkg_write lives in the module gen/depthbook-apkg.so (libsqlite3 and
 * libzip, with libcrypto behind it, cost every run milliseconds to load);
 * a program linked with gen/apkg.c itself (the fuzzer, the unit tests)
 * has it here. */
extern int apkg_write(const struct anki_deck *decks, size_t ndecks, const struct render_opts *opts)
	__attribute__((weak));

char *anki_module_path(void)
{
	return where_module("apkg.so"); /* beside the executable, or as installed */
}

static int packages(const struct anki_deck *decks, size_t n, const struct render_opts *opts)
{
	static int (*write)(const struct anki_deck *, size_t, const struct render_opts *);
	if (write == NULL && apkg_write != NULL)
		write = apkg_write;
	if (write == NULL) {
		void *sym = where_load("apkg.so", "the Anki package writer", "apkg_write");
		if (sym == NULL)
			return -1;
		memcpy(&write, &sym, sizeof write); /* ISO C has no cast from object to function pointer */
	}
	return write(decks, n, opts);
}

int anki_render(const struct model_library *lib, const struct render_opts *opts)
{
	int status = 0;
	struct anki_deck *decks = xcalloc(lib->nguides ? lib->nguides : 1, sizeof *decks);
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct model_guide *g = lib->guides[i];
		/* a guide's deck is built for its own files (todo) or for the
		 * library's package, which holds every guide */
		if (!render_todo(opts, i) && opts->skip_library)
			continue;
		struct anki_deck *deck = &decks[i];
		deck->guide = g;
		deck->name = deck_name(g);
		const char *ident = ident_guide(g);
		char *seed = xasprintf("deck\x1f%s", ident);
		deck->id = anki_id(seed);
		free(seed);
		struct anki_ctx c = {.lib = lib, .guide = g, .opts = opts, .deck = deck};
		for (size_t k = 0; k < g->nquestions; k++) {
			const struct model_question *q = g->questions[k];
			add_note(&c, q, NULL);
			for (size_t j = 0; j < q->ndepths; j++)
				add_note(&c, q, q->depths[j]);
		}
		free(c.refs);
		strindex_clear(&c.media);
		if (c.failed || (render_todo(opts, i) && write_text(deck, opts) != 0))
			status = -1;
	}
	if (status == 0 && packages(decks, lib->nguides, opts) != 0)
		status = -1;
	for (size_t i = 0; i < lib->nguides; i++)
		deck_free(&decks[i]);
	free(decks);
	return status;
}
