/* model.c: turn a parsed guide into sections, questions and depths. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"
#include "ident.h"
#include "math.h"
#include "md.h"
#include "parallel.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROW(arr, n, cap)                                            \
	do {                                                         \
		if ((n) == (cap)) {                                  \
			(cap) = (cap) ? (cap) * 2 : 8;               \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr)); \
		}                                                    \
	} while (0)

/* Building state: the unit that blocks currently belong to. */
struct builder {
	struct model_guide *g;
	size_t cap_sections, cap_questions, cap_slugs, cap_strays;
	size_t cap_depths;              /* of the current question's depths */
	struct model_section *section;
	struct model_question *question;
	struct model_depth *depth;
	cmark_node *sink;               /* where the next block goes */
	int smart;
	int slug_counts_n;
};

static cmark_node *new_node(cmark_node_type type)
{
	cmark_node *n = md_node_new(type);
	if (n == NULL) {
		fputs("depthbook: out of memory\n", stderr);
		abort();
	}
	return n;
}

/* Parses a decimal number of at most 9 digits at s; returns -1 if none.
 * *end is set past the digits. */
static int parse_number(const char *s, const char **end)
{
	int n = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 9) {
		n = n * 10 + (*s - '0');
		s++;
		digits++;
	}
	*end = s;
	if (digits == 0 || isdigit((unsigned char)*s))
		return -1;
	return n;
}

/* Moves the heading's inlines into a new paragraph, dropping the first
 * skip bytes of its first text node (the "QN: " or "N. " prefix). */
static cmark_node *take_inlines(cmark_node *heading, size_t skip)
{
	cmark_node *para = new_node(CMARK_NODE_PARAGRAPH);
	cmark_node *child;
	while ((child = cmark_node_first_child(heading)) != NULL) {
		cmark_node_unlink(child);
		cmark_node_append_child(para, child);
	}
	cmark_node *first = cmark_node_first_child(para);
	if (skip > 0 && first && cmark_node_get_type(first) == CMARK_NODE_TEXT) {
		const char *lit = cmark_node_get_literal(first);
		if (strlen(lit) <= skip) {
			cmark_node_free(first);
		} else {
			char *rest = xstrdup(lit + skip);
			cmark_node_set_literal(first, rest);
			free(rest);
		}
	}
	return para;
}

/* Records a heading's GitHub-style base slug in document order; the
 * numbering of repeats (x, x-1, x-2 …) is worked out only when a broken
 * link asks (model_slug_unit), so building stays linear. */
static void add_slug(struct builder *b, const char *text, const char *id)
{
	char base[256];
	model_text_slug(text, base, sizeof base);
	GROW(b->g->slugs, b->g->nslugs, b->cap_slugs);
	b->g->slugs[b->g->nslugs++] = (struct model_slug){xstrdup(base), id};
}

static void add_stray(struct builder *b, cmark_node *heading, const char *text, int kind, int number)
{
	const char *owner = "the guide's introduction";
	if (b->depth)
		owner = b->depth->id;
	else if (b->question)
		owner = b->question->id;
	else if (b->section)
		owner = b->section->id;
	GROW(b->g->strays, b->g->nstrays, b->cap_strays);
	b->g->strays[b->g->nstrays++] = (struct model_stray){
		.line = cmark_node_get_start_line(heading),
		.col = cmark_node_get_start_column(heading),
		.level = cmark_node_get_heading_level(heading),
		.text = xstrdup(text),
		.kind = kind,
		.owner = owner,
		.number = number,
	};
}

/* 1 if inl is a strong node whose whole text is label ("Q:"). */
static int is_marker(cmark_node *inl, const char *label)
{
	if (inl == NULL || cmark_node_get_type(inl) != CMARK_NODE_STRONG)
		return 0;
	cmark_node *t = cmark_node_first_child(inl);
	if (t == NULL || cmark_node_next(t) != NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	return strcmp(cmark_node_get_literal(t), label) == 0;
}

static int is_break(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* Removes leading white space from the paragraph's first text node, and
 * leading line breaks. */
static void trim_start(cmark_node *para)
{
	cmark_node *first;
	while ((first = cmark_node_first_child(para)) != NULL) {
		if (is_break(first)) {
			cmark_node_free(first);
			continue;
		}
		if (cmark_node_get_type(first) != CMARK_NODE_TEXT)
			return;
		const char *lit = cmark_node_get_literal(first);
		size_t skip = strspn(lit, " \t");
		if (lit[skip] != '\0') {
			if (skip > 0) {
				char *rest = xstrdup(lit + skip);
				cmark_node_set_literal(first, rest);
				free(rest);
			}
			return;
		}
		cmark_node_free(first);
	}
}

static void trim_end(cmark_node *para)
{
	cmark_node *last;
	while ((last = cmark_node_last_child(para)) != NULL && is_break(last))
		cmark_node_free(last);
}

static int is_empty(cmark_node *container)
{
	cmark_node *first = cmark_node_first_child(container);
	if (first == NULL)
		return 1;
	if (cmark_node_next(first) == NULL && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH)
		return cmark_node_first_child(first) == NULL;
	return 0;
}

static void add_marker(struct model_depth *d, size_t *cap, char kind, cmark_node *m, int first)
{
	GROW(d->markers, d->nmarkers, *cap);
	d->markers[d->nmarkers++] = (struct model_marker){
		kind, cmark_node_get_start_line(m), cmark_node_get_start_column(m), first};
}

/* Splits a depth's raw blocks (in d->answer) into its question paragraph
 * and answer document, recording every Q/A marker found at a line start
 * of a top-level paragraph. */
static void finish_depth(struct model_depth *d)
{
	cmark_node *raw = d->answer;
	size_t cap = 0;
	cmark_node *q_marker = NULL, *a_marker = NULL;
	for (cmark_node *blk = cmark_node_first_child(raw); blk; blk = cmark_node_next(blk)) {
		if (cmark_node_get_type(blk) != CMARK_NODE_PARAGRAPH)
			continue;
		int line_start = 1;
		for (cmark_node *inl = cmark_node_first_child(blk); inl; inl = cmark_node_next(inl)) {
			if (line_start) {
				int first = blk == cmark_node_first_child(raw) && inl == cmark_node_first_child(blk);
				if (is_marker(inl, "Q:")) {
					add_marker(d, &cap, 'Q', inl, first);
					if (q_marker == NULL && a_marker == NULL)
						q_marker = inl;
				} else if (is_marker(inl, "A:")) {
					add_marker(d, &cap, 'A', inl, first);
					if (a_marker == NULL && q_marker != NULL)
						a_marker = inl;
				}
			}
			line_start = is_break(inl);
		}
	}
	d->question = new_node(CMARK_NODE_PARAGRAPH);
	d->answer = new_node(CMARK_NODE_DOCUMENT);
	if (q_marker == NULL) {
		/* Nothing to split: keep every block as the answer. */
		cmark_node *blk;
		while ((blk = cmark_node_first_child(raw)) != NULL) {
			cmark_node_unlink(blk);
			cmark_node_append_child(d->answer, blk);
		}
	} else {
		cmark_node *q_para = cmark_node_parent(q_marker);
		/* Blocks before the question paragraph (an error) go to the answer. */
		cmark_node *blk;
		while ((blk = cmark_node_first_child(raw)) != q_para) {
			cmark_node_unlink(blk);
			cmark_node_append_child(d->answer, blk);
		}
		cmark_node *inl = cmark_node_next(q_marker);
		cmark_node_free(q_marker);
		while (inl != NULL && inl != a_marker) {
			cmark_node *next = cmark_node_next(inl);
			cmark_node_unlink(inl);
			cmark_node_append_child(d->question, inl);
			inl = next;
		}
		trim_start(d->question);
		trim_end(d->question);
		/* What follows the A marker (same paragraph or a later one). */
		if (a_marker != NULL && cmark_node_parent(a_marker) == q_para) {
			cmark_node_free(a_marker);
			trim_start(q_para);
			cmark_node_unlink(q_para);
			if (cmark_node_first_child(q_para) != NULL)
				cmark_node_append_child(d->answer, q_para);
			else
				cmark_node_free(q_para);
		} else {
			cmark_node_free(q_para);
			if (a_marker != NULL) {
				cmark_node *a_para = cmark_node_parent(a_marker);
				if (cmark_node_first_child(raw) != a_para)
					d->between_line = cmark_node_get_start_line(cmark_node_first_child(raw));
				cmark_node_free(a_marker);
				trim_start(a_para);
			}
		}
		while ((blk = cmark_node_first_child(raw)) != NULL) {
			cmark_node_unlink(blk);
			if (cmark_node_get_type(blk) == CMARK_NODE_PARAGRAPH && cmark_node_first_child(blk) == NULL)
				cmark_node_free(blk);
			else
				cmark_node_append_child(d->answer, blk);
		}
	}
	cmark_node_free(raw);
	d->question_text = md_text(d->question);
	d->answer_empty = is_empty(d->answer);
}

/* Takes the "**Answer:**" marker off the main answer's first paragraph. */
static void finish_question(struct model_question *q)
{
	cmark_node *first = cmark_node_first_child(q->answer);
	if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		cmark_node *m = cmark_node_first_child(first);
		if (is_marker(m, "Answer:")) {
			q->answer_line = cmark_node_get_start_line(m);
			q->answer_col = cmark_node_get_start_column(m);
			cmark_node_free(m);
			trim_start(first);
			if (cmark_node_first_child(first) == NULL)
				cmark_node_free(first);
		}
	}
	q->answer_empty = is_empty(q->answer);
}

static void close_units(struct builder *b, int level)
{
	/* level: 1 closes the depth, 2 the question too, 3 the section too.
	 * Closed depths are split once all are built (finish_depths). */
	b->depth = NULL;
	if (level >= 2 && b->question) {
		finish_question(b->question);
		b->question = NULL;
	}
	if (level >= 3)
		b->section = NULL;
}

static void start_section(struct builder *b, cmark_node *h, int number, size_t skip, const char *text)
{
	close_units(b, 3);
	struct model_section *s = xcalloc(1, sizeof *s);
	s->number = number;
	snprintf(s->id, sizeof s->id, "s%d", number);
	s->line = cmark_node_get_start_line(h);
	s->col = cmark_node_get_start_column(h);
	s->title = take_inlines(h, skip);
	s->title_text = md_text(s->title);
	s->intro = new_node(CMARK_NODE_DOCUMENT);
	s->first = b->g->nquestions;
	GROW(b->g->sections, b->g->nsections, b->cap_sections);
	b->g->sections[b->g->nsections++] = s;
	b->section = s;
	b->sink = s->intro;
	add_slug(b, text, s->id);
}

static void start_question(struct builder *b, cmark_node *h, int number, size_t skip, const char *text)
{
	close_units(b, 2);
	struct model_question *q = xcalloc(1, sizeof *q);
	q->number = number;
	snprintf(q->id, sizeof q->id, "q%d", number);
	q->line = cmark_node_get_start_line(h);
	q->col = cmark_node_get_start_column(h);
	q->title = take_inlines(h, skip);
	q->title_text = md_text(q->title);
	q->answer = new_node(CMARK_NODE_DOCUMENT);
	q->section = b->section;
	q->guide = b->g;
	q->index = b->g->nquestions;
	GROW(b->g->questions, b->g->nquestions, b->cap_questions);
	b->g->questions[b->g->nquestions++] = q;
	if (b->section)
		b->section->count++;
	b->question = q;
	b->cap_depths = 0;
	b->sink = q->answer;
	add_slug(b, text, q->id);
}

static void start_depth(struct builder *b, cmark_node *h, int number, const char *text)
{
	close_units(b, 1);
	struct model_question *q = b->question;
	struct model_depth *d = xcalloc(1, sizeof *d);
	d->number = number;
	snprintf(d->id, sizeof d->id, "%s-d%d", q->id, number);
	snprintf(d->anchor, sizeof d->anchor, "d%d", number);
	d->line = cmark_node_get_start_line(h);
	d->col = cmark_node_get_start_column(h);
	d->level = cmark_node_get_heading_level(h);
	d->parent = q;
	d->answer = new_node(CMARK_NODE_DOCUMENT); /* raw blocks until finish_depth */
	GROW(q->depths, q->ndepths, b->cap_depths);
	q->depths[q->ndepths++] = d;
	b->g->ndepths++;
	b->depth = d;
	b->sink = d->answer;
	add_slug(b, text, d->id);
}

/* The number of bytes to drop from the heading's first text node so that
 * the title starts at title (a pointer into text, the heading's plain
 * text): the "N. " or "QN: " prefix. When the prefix does not sit whole in
 * the first text node (an entity, an escape or emphasis split it), nothing
 * is dropped and the title keeps it. */
static size_t prefix_in_first_text(cmark_node *heading, const char *text, const char *title)
{
	cmark_node *t = cmark_node_first_child(heading);
	size_t n = (size_t)(title - text);
	if (t == NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	const char *lit = cmark_node_get_literal(t);
	return strncmp(lit, text, n) == 0 ? n : 0;
}

/* Classifies one top-level heading and opens the unit it starts, or keeps
 * it as content (recording why). Returns 1 if the heading was consumed. */
static int heading(struct builder *b, cmark_node *h)
{
	int level = cmark_node_get_heading_level(h);
	char *text = md_text(h);
	const char *end;
	int consumed = 1;
	if (level == 1) {
		if (b->g->title_count++ == 0 && b->g->nsections == 0 && b->question == NULL) {
			b->g->title_line = cmark_node_get_start_line(h);
			b->g->title_node = take_inlines(h, 0);
			b->sink = b->g->intro;
		} else {
			add_stray(b, h, text, STRAY_TITLE, 0);
			consumed = 0;
		}
	} else if (level == 2) {
		int n = parse_number(text, &end);
		const char *title = n >= 0 && end[0] == '.' ? end + 1 + strspn(end + 1, " \t") : "";
		if (n >= 0 && (end[1] == ' ' || end[1] == '\t') && *title != '\0') {
			start_section(b, h, n, prefix_in_first_text(h, text, title), text);
		} else {
			add_stray(b, h, text, STRAY_SECTION, 0);
			consumed = 0;
		}
	} else if (level == 3) {
		int n = text[0] == 'Q' ? parse_number(text + 1, &end) : -1;
		if (n >= 0 && end[0] == ':' && end[1 + strspn(end + 1, " \t")] != '\0') {
			const char *title = end + 1 + strspn(end + 1, " \t");
			start_question(b, h, n, prefix_in_first_text(h, text, title), text);
		} else {
			add_stray(b, h, text, STRAY_QUESTION, 0);
			consumed = 0;
		}
	} else {
		int n = strncmp(text, "Depth", 5) == 0 && (text[5] == ' ' || text[5] == '\t')
		                ? parse_number(text + 6 + strspn(text + 6, " \t"), &end)
		                : -1;
		if (n >= 0 && *end == '\0') {
			if (b->question) {
				start_depth(b, h, n, text);
			} else {
				add_stray(b, h, text, STRAY_DEPTH, n);
				consumed = 0;
			}
		} else {
			add_stray(b, h, text, STRAY_HEADING, 0);
			add_slug(b, text, NULL);
			consumed = 0;
		}
	}
	free(text);
	return consumed;
}

/* 1 for the node types cmark-gfm's iterator enters without exiting. */
static int is_leaf_type(cmark_node_type t)
{
	switch (t) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT:
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		return 1;
	default:
		return 0;
	}
}

/* What collect finds in a range of the document's top-level blocks. */
struct found {
	struct model_link *links;
	cmark_node **maths;
	size_t nlinks, nmaths, cap_links, cap_maths;
	int deep_line, deep_col;
};

struct collecting {
	cmark_node **blocks;
	struct found half[2]; /* the blocks before n/2, and from it */
};

/* parallel_halves' work for collect: blocks [from, to), into their half. */
static void collect_range(size_t from, size_t to, void *ctx)
{
	struct collecting *c = ctx;
	struct found *f = &c->half[from == 0 ? 0 : 1];
	for (size_t i = from; i < to; i++) {
		cmark_iter *it = cmark_iter_new(c->blocks[i]);
		cmark_event_type ev;
		int depth = 1; /* the document's */
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			if (ev == CMARK_EVENT_EXIT) {
				depth--;
				continue;
			}
			cmark_node_type t = cmark_node_get_type(n);
			if (!is_leaf_type(t))
				depth++;
			if (depth > MODEL_MAX_NESTING && f->deep_line == 0) {
				f->deep_line = cmark_node_get_start_line(n);
				f->deep_col = cmark_node_get_start_column(n);
			}
			if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
				GROW(f->links, f->nlinks, f->cap_links);
				f->links[f->nlinks++] = (struct model_link){
					cmark_node_get_url(n), t == CMARK_NODE_IMAGE,
					cmark_node_get_start_line(n), cmark_node_get_start_column(n)};
			} else if (math_is_span(n)) {
				GROW(f->maths, f->nmaths, f->cap_maths);
				f->maths[f->nmaths++] = n;
			}
		}
		cmark_iter_free(it);
	}
}

/* Records every link, image and math span of the document, and where its
 * nesting first gets too deep, before its blocks move into units: the
 * first half of the top-level blocks here, the second in another thread
 * (the walk touches every node of a large guide's tree). */
static void collect(struct model_guide *g, cmark_node *doc)
{
	struct collecting c = {0};
	size_t n = 0, cap = 0;
	for (cmark_node *blk = cmark_node_first_child(doc); blk; blk = cmark_node_next(blk)) {
		GROW(c.blocks, n, cap);
		c.blocks[n++] = blk;
	}
	parallel_halves(n, g->file->len, collect_range, &c);
	struct found *a = &c.half[0], *z = &c.half[1];
	g->nlinks = a->nlinks + z->nlinks;
	g->links = xrealloc(a->links, (g->nlinks ? g->nlinks : 1) * sizeof *g->links);
	if (z->nlinks)
		memcpy(g->links + a->nlinks, z->links, z->nlinks * sizeof *g->links);
	g->nmaths = a->nmaths + z->nmaths;
	g->maths = xrealloc(a->maths, (g->nmaths ? g->nmaths : 1) * sizeof *g->maths);
	if (z->nmaths)
		memcpy(g->maths + a->nmaths, z->maths, z->nmaths * sizeof *g->maths);
	g->deep_line = a->deep_line ? a->deep_line : z->deep_line;
	g->deep_col = a->deep_line ? a->deep_col : z->deep_col;
	free(z->links);
	free(z->maths);
	free(c.blocks);
}

/* parallel_halves' work for finish_depths: depths [from, to). */
static void finish_range(size_t from, size_t to, void *ctx)
{
	struct model_depth **depths = ctx;
	for (size_t i = from; i < to; i++)
		finish_depth(depths[i]);
}

/* Splits every depth into question and answer, half of them in another
 * thread: each touches only its own nodes. */
static void finish_depths(struct model_guide *g)
{
	struct model_depth **all = xcalloc(g->ndepths ? g->ndepths : 1, sizeof *all);
	size_t n = 0;
	for (size_t i = 0; i < g->nquestions; i++)
		for (size_t k = 0; k < g->questions[i]->ndepths; k++)
			all[n++] = g->questions[i]->depths[k];
	parallel_halves(n, g->file->len, finish_range, all);
	free(all);
}

static int is_rule(cmark_node *n)
{
	return n != NULL && cmark_node_get_type(n) == CMARK_NODE_THEMATIC_BREAK;
}

/* Moves the guide's closing material out of the last unit's answer: from
 * the first top-level thematic break of that answer on (a break that is
 * not its first block, followed by something), the blocks after the break
 * are the guide's epilogue and the break goes to the orphans. */
static void take_epilogue(struct model_guide *g)
{
	if (g->nquestions == 0)
		return;
	struct model_question *q = g->questions[g->nquestions - 1];
	cmark_node *answer = q->ndepths ? q->depths[q->ndepths - 1]->answer : q->answer;
	cmark_node *rule = cmark_node_first_child(answer);
	while (rule != NULL && !(is_rule(rule) && cmark_node_previous(rule) && cmark_node_next(rule)))
		rule = cmark_node_next(rule);
	if (rule == NULL)
		return;
	g->epilogue = new_node(CMARK_NODE_DOCUMENT);
	g->epilogue_line = cmark_node_get_start_line(cmark_node_next(rule));
	cmark_node *blk;
	while ((blk = cmark_node_next(rule)) != NULL) {
		cmark_node_unlink(blk);
		cmark_node_append_child(g->epilogue, blk);
	}
	cmark_node_unlink(rule);
	cmark_node_append_child(g->orphans, rule);
}

/* A thematic break that ends an answer separates it from the next section
 * (or the epilogue): it belongs to no answer, so it goes to the orphans. */
static void drop_trailing_rules(struct model_guide *g, cmark_node *answer)
{
	cmark_node *last;
	while ((last = cmark_node_last_child(answer)) != NULL && is_rule(last) &&
	       cmark_node_previous(last) != NULL) {
		cmark_node_unlink(last);
		cmark_node_append_child(g->orphans, last);
	}
}

/* Separates the guide's structure from its answers' content (DESIGN.md:
 * the epilogue belongs to the guide, a break between sections to no
 * answer). */
static void separate_structure(struct model_guide *g)
{
	take_epilogue(g);
	for (size_t i = 0; i < g->nquestions; i++) {
		struct model_question *q = g->questions[i];
		drop_trailing_rules(g, q->answer);
		for (size_t k = 0; k < q->ndepths; k++)
			drop_trailing_rules(g, q->depths[k]->answer);
	}
	drop_trailing_rules(g, g->intro);
	for (size_t i = 0; i < g->nsections; i++)
		drop_trailing_rules(g, g->sections[i]->intro);
	if (g->epilogue != NULL)
		drop_trailing_rules(g, g->epilogue);
}

/* Joins the intro's paragraphs as one line of plain text. */
static char *describe(cmark_node *intro)
{
	struct buf out = {0};
	for (cmark_node *blk = cmark_node_first_child(intro); blk; blk = cmark_node_next(blk)) {
		if (cmark_node_get_type(blk) != CMARK_NODE_PARAGRAPH)
			continue;
		char *text = md_text(blk);
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
			if (out.len > 0)
				buf_puts(&out, " ");
			buf_puts(&out, line);
		}
		free(text);
	}
	return buf_take(&out);
}

struct model_guide *model_build(struct load_file *file, int smart)
{
	struct model_guide *g = xcalloc(1, sizeof *g);
	g->file = file;
	g->path = file->path;
	g->slug = file->slug;
	g->doc = md_parse(file->text, file->len, smart);
	g->intro = new_node(CMARK_NODE_DOCUMENT);
	g->orphans = new_node(CMARK_NODE_DOCUMENT);
	struct builder b = {.g = g, .smart = smart, .sink = g->intro};
	collect(g, g->doc);
	cmark_node *blk = cmark_node_first_child(g->doc);
	while (blk != NULL) {
		cmark_node *next = cmark_node_next(blk);
		if (cmark_node_get_type(blk) == CMARK_NODE_HEADING && heading(&b, blk)) {
			blk = next;
			continue;
		}
		/* A Depth heading outside any question, and what follows it until
		 * a unit starts, belong nowhere. */
		cmark_node_unlink(blk);
		cmark_node_append_child(b.sink, blk);
		blk = next;
	}
	close_units(&b, 3);
	finish_depths(g);
	separate_structure(g);
	g->title = file->meta.title ? xstrdup(file->meta.title)
	                            : g->title_node ? md_text(g->title_node) : xstrdup(file->slug);
	g->description = file->meta.description ? xstrdup(file->meta.description) : describe(g->intro);
	g->lang = file->meta.lang ? file->meta.lang : "en";
	g->author = file->meta.author;
	ident_assign(g);
	return g;
}

/* The cmark nodes are not freed here: they live in md's arena, which
 * model_library_free releases at once. */
static void free_depth(struct model_depth *d)
{
	free(d->question_text);
	free(d->markers);
	free(d);
}

void model_guide_free(struct model_guide *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->nquestions; i++) {
		struct model_question *q = g->questions[i];
		for (size_t k = 0; k < q->ndepths; k++)
			free_depth(q->depths[k]);
		free(q->depths);
		free(q->title_text);
		free(q);
	}
	for (size_t i = 0; i < g->nsections; i++) {
		struct model_section *s = g->sections[i];
		free(s->title_text);
		free(s);
	}
	for (size_t i = 0; i < g->nslugs; i++)
		free(g->slugs[i].slug);
	for (size_t i = 0; i < g->nstrays; i++)
		free(g->strays[i].text);
	free(g->slugs);
	free(g->strays);
	free(g->sections);
	free(g->questions);
	free(g->links);
	free(g->maths);
	free(g->title);
	free(g->description);
	free(g->keys);
	load_file_free(g->file);
	free(g);
}

void model_library_add(struct model_library *lib, struct model_guide *g)
{
	lib->guides = xrealloc(lib->guides, (lib->nguides + 1) * sizeof *lib->guides);
	lib->guides[lib->nguides++] = g;
}

void model_library_free(struct model_library *lib)
{
	for (size_t i = 0; i < lib->nguides; i++)
		model_guide_free(lib->guides[i]);
	free(lib->guides);
	lib->guides = NULL;
	lib->nguides = 0;
	md_release();
}

char *model_text_slug(const char *text, char *buf, size_t size)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < size; p++) {
		if (isalnum(*p) || *p == '_' || *p == '-' || *p >= 0x80)
			buf[n++] = (char)tolower(*p);
		else if (*p == ' ' || *p == '\t')
			buf[n++] = '-';
	}
	buf[n] = '\0';
	return buf;
}

const char *model_slug_unit(const struct model_guide *g, const char *fragment)
{
	/* GitHub gives the k-th repeat of slug x the slug "x-k". */
	size_t n = strlen(fragment), cut = n;
	while (cut > 0 && isdigit((unsigned char)fragment[cut - 1]))
		cut--;
	long k = 0;
	if (cut > 1 && cut < n && fragment[cut - 1] == '-')
		k = strtol(fragment + cut, NULL, 10);
	else
		cut = n + 1;
	long seen_whole = 0, seen_base = 0;
	for (size_t i = 0; i < g->nslugs; i++) {
		const char *s = g->slugs[i].slug;
		if (strcmp(s, fragment) == 0 && seen_whole++ == 0)
			return g->slugs[i].id;
		if (cut <= n && strlen(s) == cut - 1 && strncmp(s, fragment, cut - 1) == 0 && seen_base++ == k)
			return g->slugs[i].id;
	}
	return NULL;
}

/* Finds the unit with stable id "id" (sN, qN, qN-dM) in g. */
static int find_unit(struct model_guide *g, const char *id, struct model_target *t)
{
	const char *end;
	int n;
	if (id[0] == 's') {
		n = parse_number(id + 1, &end);
		if (n < 0 || *end != '\0')
			return 0;
		for (size_t i = 0; i < g->nsections; i++)
			if (g->sections[i]->number == n) {
				t->section = g->sections[i];
				return 1;
			}
		return 0;
	}
	if (id[0] != 'q')
		return 0;
	n = parse_number(id + 1, &end);
	if (n < 0)
		return 0;
	struct model_question *q = NULL;
	/* Numbers usually match positions; fall back to a scan when not. */
	if (n >= 1 && (size_t)n <= g->nquestions && g->questions[n - 1]->number == n)
		q = g->questions[n - 1];
	for (size_t i = 0; q == NULL && i < g->nquestions; i++)
		if (g->questions[i]->number == n)
			q = g->questions[i];
	if (q == NULL)
		return 0;
	if (*end == '\0') {
		t->question = q;
		t->section = q->section;
		return 1;
	}
	if (end[0] != '-' || end[1] != 'd')
		return 0;
	int m = parse_number(end + 2, &end);
	if (m < 0 || *end != '\0')
		return 0;
	struct model_depth *d = NULL;
	if (m >= 1 && (size_t)m <= q->ndepths && q->depths[m - 1]->number == m)
		d = q->depths[m - 1];
	for (size_t i = 0; d == NULL && i < q->ndepths; i++)
		if (q->depths[i]->number == m)
			d = q->depths[i];
	if (d == NULL)
		return 0;
	t->question = q;
	t->section = q->section;
	t->depth = d;
	return 1;
}

static int has_scheme(const char *url)
{
	if (url[0] == '/' && url[1] == '/')
		return 1;
	const char *p = url;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* Normalises a relative path lexically ("a/./b/../c" → "a/c") into buf.
 * Returns 0 if it climbs above its start. */
static int normalise(const char *path, char *buf, size_t size)
{
	size_t n = 0;
	const char *p = path;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0)
				return 0;
			while (n > 0 && buf[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n + len + 2 >= size)
				return 0;
			if (n > 0)
				buf[n++] = '/';
			memcpy(buf + n, p, len);
			n += len;
		}
		p += len + (slash ? 1 : 0);
	}
	buf[n] = '\0';
	return 1;
}

enum model_link_kind model_resolve(const struct model_library *lib, const struct model_guide *from,
                                   const char *url, struct model_target *t)
{
	memset(t, 0, sizeof *t);
	if (has_scheme(url))
		return MODEL_LINK_EXTERNAL;
	const char *hash = strchr(url, '#');
	t->fragment = hash ? hash + 1 : NULL;
	size_t pathlen = hash ? (size_t)(hash - url) : strlen(url);
	if (pathlen == 0) {
		t->guide = (struct model_guide *)from;
		/* "" or "#" names the guide itself, not a unit: a UNIT result
		 * always carries a section, question or depth */
		if (t->fragment == NULL || t->fragment[0] == '\0')
			return MODEL_LINK_GUIDE;
		return find_unit(t->guide, t->fragment, t) ? MODEL_LINK_UNIT : MODEL_LINK_NO_UNIT;
	}
	char rel[4096], want[4096], have[4096];
	const char *slash = strrchr(from->path, '/');
	if (pathlen >= sizeof rel - 1)
		return MODEL_LINK_FILE;
	snprintf(rel, sizeof rel, "%.*s/%.*s", slash ? (int)(slash - from->path) : 1,
	         slash ? from->path : ".", (int)pathlen, url);
	if (pathlen < 3 || strncmp(url + pathlen - 3, ".md", 3) != 0 || !normalise(rel, want, sizeof want))
		return MODEL_LINK_FILE;
	for (size_t i = 0; i < lib->nguides; i++) {
		if (!normalise(lib->guides[i]->path, have, sizeof have) || strcmp(have, want) != 0)
			continue;
		t->guide = lib->guides[i];
		if (t->fragment == NULL || t->fragment[0] == '\0')
			return MODEL_LINK_GUIDE;
		return find_unit(t->guide, t->fragment, t) ? MODEL_LINK_UNIT : MODEL_LINK_NO_UNIT;
	}
	return MODEL_LINK_NO_GUIDE;
}
