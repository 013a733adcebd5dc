/* model.c: turn a parsed guide into sections, questions and depths. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"
#include "escape.h"
#include "ident.h"
#include "math.h"
#include "md.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
 * link asks (link_slug_unit), so building stays linear. */
static void add_slug(struct builder *b, const char *text, const char *id)
{
	char base[256];
	model_text_slug(text, base, sizeof base);
	XGROW(b->g->slugs, b->g->nslugs, b->cap_slugs);
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
	XGROW(b->g->strays, b->g->nstrays, b->cap_strays);
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

/* How inl spells the marker word ("Q"): 1 for a strong node whose whole
 * text is "Q:", 2 for one whose text is "Q" followed by text that starts
 * with the colon ("**Q**: …", a common variant); 0 if it is no marker. */
static int marker(cmark_node *inl, const char *word)
{
	if (inl == NULL || cmark_node_get_type(inl) != CMARK_NODE_STRONG)
		return 0;
	cmark_node *t = cmark_node_first_child(inl);
	if (t == NULL || cmark_node_next(t) != NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	const char *lit = cmark_node_get_literal(t);
	size_t n = strlen(word);
	if (strncmp(lit, word, n) != 0)
		return 0;
	if (lit[n] == ':' && lit[n + 1] == '\0')
		return 1;
	cmark_node *after = cmark_node_next(inl);
	return lit[n] == '\0' && after != NULL && cmark_node_get_type(after) == CMARK_NODE_TEXT &&
	       cmark_node_get_literal(after)[0] == ':' ? 2 : 0;
}

/* Frees the marker m, and the colon after it when it was written outside
 * the bold (shape 2, from marker()). */
static void take_marker(cmark_node *m, int shape)
{
	cmark_node *after = cmark_node_next(m);
	if (shape == 2 && after != NULL) {
		char *rest = xstrdup(cmark_node_get_literal(after) + 1);
		if (*rest == '\0')
			cmark_node_free(after);
		else
			cmark_node_set_literal(after, rest);
		free(rest);
	}
	cmark_node_free(m);
}

static int is_break(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* Removes the line breaks and the blanks (spaces, tabs) at one end of a
 * paragraph: its start, or with at_end its end. */
static void trim(cmark_node *para, int at_end)
{
	cmark_node *n;
	while ((n = at_end ? cmark_node_last_child(para) : cmark_node_first_child(para)) != NULL) {
		if (is_break(n)) {
			cmark_node_free(n);
			continue;
		}
		if (cmark_node_get_type(n) != CMARK_NODE_TEXT)
			return;
		const char *lit = cmark_node_get_literal(n);
		size_t len = strlen(lit), from = at_end ? 0 : strspn(lit, " \t"), to = len;
		while (at_end && to > 0 && (lit[to - 1] == ' ' || lit[to - 1] == '\t'))
			to--;
		if (from < to) {
			if (to - from < len) {
				char *kept = xstrndup(lit + from, to - from);
				cmark_node_set_literal(n, kept);
				free(kept);
			}
			return;
		}
		cmark_node_free(n);
	}
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

/* The line and column of a marker such as **Answer:**. When a table
 * follows the marker's line directly, cmark-gfm's table extension splits
 * the marker off into a new paragraph that has no source position (line
 * 0, which read as "no **Answer:**"); the table that follows still starts
 * at the marker's line, column 1, so it says where the marker is. */
static void marker_pos(cmark_node *m, int *line, int *col)
{
	*line = cmark_node_get_start_line(m);
	*col = cmark_node_get_start_column(m);
	cmark_node *para = cmark_node_parent(m);
	cmark_node *next = para ? cmark_node_next(para) : NULL;
	if (*line == 0 && next != NULL && cmark_node_get_start_line(next) > 0) {
		*line = cmark_node_get_start_line(next);
		*col = cmark_node_get_start_column(next);
	}
}

static void add_marker(struct model_depth *d, size_t *cap, char kind, cmark_node *m, int first, int shape)
{
	XGROW(d->markers, d->nmarkers, *cap);
	int line, col;
	marker_pos(m, &line, &col);
	d->markers[d->nmarkers++] = (struct model_marker){kind, line, col, first, shape == 2};
}

/* Splits a depth's raw blocks (in d->answer) into its question paragraph
 * and answer document, recording every Q/A marker found at a line start
 * of a top-level paragraph. */
static void finish_depth(struct model_depth *d)
{
	cmark_node *raw = d->answer;
	size_t cap = 0;
	cmark_node *q_marker = NULL, *a_marker = NULL;
	int q_shape = 0, a_shape = 0, shape;
	for (cmark_node *blk = cmark_node_first_child(raw); blk; blk = cmark_node_next(blk)) {
		if (cmark_node_get_type(blk) != CMARK_NODE_PARAGRAPH)
			continue;
		int line_start = 1;
		for (cmark_node *inl = cmark_node_first_child(blk); inl; inl = cmark_node_next(inl)) {
			int first = blk == cmark_node_first_child(raw) && inl == cmark_node_first_child(blk);
			/* the answer's marker may also follow the question on its
			 * line ("**Q:** Why? **A:** Because.") */
			int a_here = line_start || (a_marker == NULL && q_marker != NULL && cmark_node_parent(q_marker) == blk);
			if (line_start && (shape = marker(inl, "Q")) != 0) {
				add_marker(d, &cap, 'Q', inl, first, shape);
				if (q_marker == NULL && a_marker == NULL)
					q_marker = inl, q_shape = shape;
			} else if (a_here && (shape = marker(inl, "A")) != 0) {
				add_marker(d, &cap, 'A', inl, first, shape);
				if (a_marker == NULL && q_marker != NULL)
					a_marker = inl, a_shape = shape;
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
		cmark_node *before = cmark_node_previous(q_marker);
		take_marker(q_marker, q_shape);
		cmark_node *inl = before ? cmark_node_next(before) : cmark_node_first_child(q_para);
		while (inl != NULL && inl != a_marker) {
			cmark_node *next = cmark_node_next(inl);
			cmark_node_unlink(inl);
			cmark_node_append_child(d->question, inl);
			inl = next;
		}
		trim(d->question, 0);
		trim(d->question, 1);
		/* What follows the A marker (same paragraph or a later one). */
		if (a_marker != NULL && cmark_node_parent(a_marker) == q_para) {
			take_marker(a_marker, a_shape);
			trim(q_para, 0);
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
				take_marker(a_marker, a_shape);
				trim(a_para, 0);
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

/* What a main answer without a marker starts with, for answer-missing:
 * "nothing", "a table", "a paragraph starting “…”" and so on. */
static char *answer_start(cmark_node *answer)
{
	cmark_node *first = cmark_node_first_child(answer);
	if (first == NULL)
		return xstrdup("nothing");
	switch (cmark_node_get_type(first)) {
	case CMARK_NODE_PARAGRAPH: {
		char *text = md_text(first);
		size_t n = 0;
		/* about 30 characters, cut at a UTF-8 boundary */
		while (text[n] != '\0' && (n < 30 || ((unsigned char)text[n] & 0xC0) == 0x80))
			n++;
		char *r = xasprintf("a paragraph \"%.*s%s\"", (int)n, text, text[n] ? "…" : "");
		free(text);
		return r;
	}
	case CMARK_NODE_LIST: return xstrdup("a list");
	case CMARK_NODE_CODE_BLOCK: return xstrdup("a code block");
	case CMARK_NODE_BLOCK_QUOTE: return xstrdup("a block quote");
	case CMARK_NODE_THEMATIC_BREAK: return xstrdup("a thematic break");
	case CMARK_NODE_HTML_BLOCK: return xstrdup("an HTML block");
	default: return xstrdup(cmark_node_get_type_string(first));
	}
}

static int is_rule(cmark_node *n)
{
	return n != NULL && cmark_node_get_type(n) == CMARK_NODE_THEMATIC_BREAK;
}

/* Takes the "**Answer:**" marker off the main answer's first paragraph,
 * or "**A:**" when a guide writes its main answers that way. */
static void finish_question(struct model_question *q)
{
	cmark_node *first = cmark_node_first_child(q->answer);
	if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		cmark_node *m = cmark_node_first_child(first);
		int shape = marker(m, "Answer");
		char kind = shape ? 'N' : (shape = marker(m, "A")) ? 'A' : 0;
		if (kind) {
			q->answer_marker = kind;
			q->answer_outside = shape == 2;
			marker_pos(m, &q->answer_line, &q->answer_col);
			take_marker(m, shape);
			trim(first, 0);
			if (cmark_node_first_child(first) == NULL)
				cmark_node_free(first);
		}
	}
	if (q->answer_marker == 0)
		q->answer_found = answer_start(q->answer);
	q->answer_empty = is_empty(q->answer);
	/* a follow-up's "**Q:**" whose heading was left out; not past a
	 * thematic break, after which the last answer's blocks may be the
	 * guide's epilogue (a FAQ of its own) */
	for (cmark_node *blk = cmark_node_first_child(q->answer); blk && !q->loose_q_line; blk = cmark_node_next(blk)) {
		if (is_rule(blk))
			break;
		if (cmark_node_get_type(blk) != CMARK_NODE_PARAGRAPH)
			continue;
		int line_start = 1;
		for (cmark_node *inl = cmark_node_first_child(blk); inl; inl = cmark_node_next(inl)) {
			if (line_start && marker(inl, "Q")) {
				marker_pos(inl, &q->loose_q_line, &q->loose_q_col);
				break;
			}
			line_start = is_break(inl);
		}
	}
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

/* Opens a section; number is -1 when the heading carries none, and the
 * section then takes its position. */
static void start_section(struct builder *b, cmark_node *h, int number, size_t skip, const char *text)
{
	close_units(b, 3);
	struct model_section *s = xcalloc(1, sizeof *s);
	s->position = (int)b->g->nsections + 1;
	s->numbered = number >= 0;
	s->number = number >= 0 ? number : s->position;
	snprintf(s->id, sizeof s->id, "s%d", s->number);
	s->line = cmark_node_get_start_line(h);
	s->col = cmark_node_get_start_column(h);
	s->title = take_inlines(h, skip);
	s->title_text = md_text(s->title);
	s->intro = new_node(CMARK_NODE_DOCUMENT);
	s->first = b->g->nquestions;
	XGROW(b->g->sections, b->g->nsections, b->cap_sections);
	b->g->sections[b->g->nsections++] = s;
	b->section = s;
	b->sink = s->intro;
	add_slug(b, text, s->id);
}

/* Opens a question; takes explicit_id (or NULL). */
static void start_question(struct builder *b, cmark_node *h, int number, size_t skip, const char *text,
                           char *explicit_id)
{
	close_units(b, 2);
	struct model_question *q = xcalloc(1, sizeof *q);
	q->number = number;
	snprintf(q->pos_id, sizeof q->pos_id, "q%d", number);
	q->explicit_id = explicit_id;
	snprintf(q->id, sizeof q->id, "%s", explicit_id ? explicit_id : q->pos_id);
	q->line = cmark_node_get_start_line(h);
	q->col = cmark_node_get_start_column(h);
	q->title = take_inlines(h, skip);
	q->title_text = md_text(q->title);
	q->answer = new_node(CMARK_NODE_DOCUMENT);
	q->section = b->section;
	q->guide = b->g;
	q->index = b->g->nquestions;
	XGROW(b->g->questions, b->g->nquestions, b->cap_questions);
	b->g->questions[b->g->nquestions++] = q;
	if (b->section)
		b->section->count++;
	b->question = q;
	b->cap_depths = 0;
	b->sink = q->answer;
	add_slug(b, text, q->id);
}

/* Opens a follow-up of the current question; title (or NULL) is copied,
 * explicit_id (or NULL) taken. */
static void start_depth(struct builder *b, cmark_node *h, int number, const char *text, const char *title,
                        char *explicit_id)
{
	close_units(b, 1);
	struct model_question *q = b->question;
	struct model_depth *d = xcalloc(1, sizeof *d);
	d->number = number;
	snprintf(d->pos_id, sizeof d->pos_id, "%s-d%d", q->pos_id, number);
	d->explicit_id = explicit_id;
	d->title = title ? xstrdup(title) : NULL;
	d->position = (int)q->ndepths + 1;
	snprintf(d->id, sizeof d->id, "%s", explicit_id ? explicit_id : d->pos_id);
	if (explicit_id)
		snprintf(d->anchor, sizeof d->anchor, "%s", explicit_id);
	else
		snprintf(d->anchor, sizeof d->anchor, "d%d", number);
	d->line = cmark_node_get_start_line(h);
	d->col = cmark_node_get_start_column(h);
	d->level = cmark_node_get_heading_level(h);
	d->parent = q;
	d->answer = new_node(CMARK_NODE_DOCUMENT); /* raw blocks until finish_depth */
	XGROW(q->depths, q->ndepths, b->cap_depths);
	q->depths[q->ndepths++] = d;
	b->g->ndepths++;
	b->depth = d;
	b->sink = d->answer;
	add_slug(b, text, d->id);
}

/* Unicode spaces a heading may carry where a plain space belongs (pasted
 * from a word processor or typed with Option-Space): the UTF-8 bytes and
 * the character's name for the message. */
static const struct odd_space {
	const char *bytes;
	const char *name;
} odd_spaces[] = {
	{"\xC2\xA0", "U+00A0 NO-BREAK SPACE"},
	{"\xE2\x80\xAF", "U+202F NARROW NO-BREAK SPACE"},
	{"\xE2\x80\x87", "U+2007 FIGURE SPACE"},
	{"\xE2\x80\x89", "U+2009 THIN SPACE"},
	{"\xE2\x80\x82", "U+2002 EN SPACE"},
	{"\xE2\x80\x83", "U+2003 EM SPACE"},
	{"\xE3\x80\x80", "U+3000 IDEOGRAPHIC SPACE"},
};

/* Returns a copy of text with every odd space replaced by ' ' and sets
 * *name to the first one's name, or returns NULL when there is none. */
static char *plain_spaces(const char *text, const char **name)
{
	struct buf b = {0};
	int found = 0;
	for (const char *p = text; *p;) {
		size_t k;
		for (k = 0; k < sizeof odd_spaces / sizeof *odd_spaces; k++) {
			size_t n = strlen(odd_spaces[k].bytes);
			if (strncmp(p, odd_spaces[k].bytes, n) == 0) {
				if (!found)
					*name = odd_spaces[k].name;
				found = 1;
				buf_putc(&b, ' ');
				p += n;
				break;
			}
		}
		if (k == sizeof odd_spaces / sizeof *odd_spaces)
			buf_putc(&b, *p++);
	}
	if (!found) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The place in text of p, a pointer into plain_spaces(text): each ' '
 * there that stands for an odd space takes that space's bytes in text. */
static const char *in_text(const char *text, const char *plain, const char *p)
{
	const char *t = text;
	for (const char *q = plain; q < p && *t; q++) {
		size_t step = 1;
		for (size_t k = 0; *q == ' ' && k < sizeof odd_spaces / sizeof *odd_spaces; k++) {
			size_t n = strlen(odd_spaces[k].bytes);
			if (strncmp(t, odd_spaces[k].bytes, n) == 0) {
				step = n;
				break;
			}
		}
		t += step;
	}
	return t;
}

/* 1 if the ASCII word w starts s, ignoring case. */
static int word_ci(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != w[i])
			return 0;
	return 1;
}

/* Length of a title separator at s: ':' or '.' then white space, or a dash
 * (em, en, or one to three hyphens) between white space; 0 if none. The
 * white space before s is the caller's. */
static size_t separator(const char *s)
{
	size_t n = 0;
	if (s[0] == ':' || s[0] == '.') {
		n = 1;
	} else {
		size_t lead = strspn(s, " \t");
		if (lead == 0)
			return 0;
		if (strncmp(s + lead, "\xE2\x80\x94", 3) == 0 || strncmp(s + lead, "\xE2\x80\x93", 3) == 0)
			n = lead + 3;
		else if (s[lead] == '-')
			n = lead + strspn(s + lead, "-");
		else
			return 0;
	}
	size_t sp = strspn(s + n, " \t");
	if (sp == 0 && s[n] != '\0')
		return 0;
	return n + sp;
}

/* Parses a section heading's text. "N. Title" (or "N) Title", "N: Title",
 * "N — Title") and "Section N: Title",
 * "Part N — Title", "Zone N: Title …" (and Chapter, Module, Unit, with any
 * separator() or none) return N and set *title past the prefix; anything
 * else is unnumbered: -1, *title = text. A number without a title keeps
 * the whole text as its title. */
static int parse_section(const char *text, const char **title)
{
	static const char *const words[] = {"section", "part", "zone", "chapter", "module", "unit"};
	const char *end;
	*title = text;
	int n = parse_number(text, &end);
	if (n >= 0) {
		/* "N. Title", "N) Title", "N: Title", "N — Title" (any dash); a
		 * number and a space alone is a title ("2023 Outages") */
		size_t sep = 0;
		if ((end[0] == '.' || end[0] == ')' || end[0] == ':') && (end[1] == ' ' || end[1] == '\t'))
			sep = 1 + strspn(end + 1, " \t");
		else if (end[0] == ' ' || end[0] == '\t')
			sep = separator(end);
		if (sep == 0)
			return -1;
		if (end[sep] != '\0')
			*title = end + sep;
		return n;
	}
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t w = strlen(words[i]);
		if (!word_ci(text, words[i]) || (text[w] != ' ' && text[w] != '\t'))
			continue;
		n = parse_number(text + w + strspn(text + w, " \t"), &end);
		if (n < 0)
			return -1;
		if (*end == '\0')
			return n;
		size_t sep = separator(end);
		if (sep == 0)
			return -1;
		if (end[sep] != '\0')
			*title = end + sep;
		return n;
	}
	return -1;
}

/* Parses "QN: text" and its variants: "Question N" for "QN", and any
 * separator() for the colon ("Q1. text", "Q1 — text", "Question 2 - text").
 * Returns N and sets *title, or -1. */
static int parse_question(const char *text, const char **title)
{
	const char *p = text, *end;
	if (strncmp(p, "Question", 8) == 0 && (p[8] == ' ' || p[8] == '\t'))
		p += 8 + strspn(p + 8, " \t");
	else if (*p == 'Q')
		p++;
	else
		return -1;
	int n = parse_number(p, &end);
	if (n < 0)
		return -1;
	size_t sep = end[0] == ':' ? 1 + strspn(end + 1, " \t") : separator(end);
	if (sep == 0 || end[sep] == '\0')
		return -1;
	*title = end + sep;
	return n;
}

/* Parses a follow-up heading: "Depth N", "Follow-up Depth N", "Follow-up
 * N", "Depth N: title", "Depth N — title" (and "Depth N:" with nothing
 * after). Returns N and sets *title (NULL without one) and *numbered_end
 * (the bytes up to the number's end), or -1. */
static int parse_depth(const char *text, const char **title, size_t *numbered_end)
{
	const char *p = text, *end;
	int follow = strncmp(p, "Follow-up", 9) == 0 && (p[9] == ' ' || p[9] == '\t');
	if (follow)
		p += 9 + strspn(p + 9, " \t");
	if (strncmp(p, "Depth", 5) == 0 && (p[5] == ' ' || p[5] == '\t'))
		p += 5 + strspn(p + 5, " \t");
	else if (!follow)
		return -1;
	int n = parse_number(p, &end);
	if (n < 0)
		return -1;
	*numbered_end = (size_t)(end - text);
	*title = NULL;
	if (*end == '\0')
		return n;
	size_t sep = separator(end);
	if (sep == 0 || end[0] == '.')
		return -1;
	if (end[sep] != '\0')
		*title = end + sep;
	return n;
}

/* 1 if text reads like an attempt at a follow-up heading that parse_depth
 * refused: "depth 3", "DEPTH 3", "Depth3", "Depth 3a", "Depth three",
 * "Follow up Depth 2" … (a word "depth" then a number of some kind). */
static int looks_like_depth(const char *text)
{
	static const char *const numerals[] = {"one", "two", "three", "four", "five", "six", "seven",
	                                       "eight", "nine", "ten", "i", "ii", "iii", "iv", "v", "x"};
	const char *p = text;
	int follow = 0;
	if (word_ci(p, "follow")) {
		p += 6;
		p += strspn(p, " -\t");
		if (!word_ci(p, "up"))
			return 0;
		p += 2 + strspn(p + 2, " \t");
		follow = 1;
	}
	int depth = word_ci(p, "depth");
	if (depth)
		p += 5;
	else if (!follow)
		return 0;
	p += strspn(p, " \t:#-.");
	if ((*p == '\0' && depth) || isdigit((unsigned char)*p))
		return 1;
	for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++) {
		size_t n = strlen(numerals[i]);
		if (word_ci(p, numerals[i]) && !isalnum((unsigned char)p[n]))
			return 1;
	}
	return 0;
}

/* Splits a trailing pandoc heading attribute "{#id}" off text (a heading's
 * plain text): returns the offset where it starts (with the white space
 * before it) and sets *id to a copy of the id, or returns strlen(text) and
 * sets *id to NULL when there is none. */
static size_t attribute(const char *text, char **id)
{
	size_t n = strlen(text);
	*id = NULL;
	if (n < 4 || text[n - 1] != '}')
		return n;
	const char *open = strrchr(text, '{');
	if (open == NULL || open == text || open[1] != '#')
		return n;
	const char *name = open + 2;
	size_t len = (size_t)(text + n - 1 - name);
	if (len == 0 || memchr(name, ' ', len) != NULL || memchr(name, '\t', len) != NULL)
		return n;
	size_t cut = (size_t)(open - text);
	while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\t'))
		cut--;
	if (cut == 0)
		return n;
	*id = xstrndup(name, len);
	return cut;
}

/* 1 if id is usable as an explicit id: an ASCII letter, then letters,
 * digits, '-' or '_', at most MODEL_MAX_ID bytes (an XML name, a file
 * name and a URL fragment as it stands). */
static int id_usable(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > MODEL_MAX_ID || !isalpha((unsigned char)id[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '-' && id[i] != '_')
			return 0;
	return 1;
}

/* Removes the last n bytes of the heading's text, which must all sit in
 * its trailing text nodes (the attribute as typed). Returns 0 and leaves
 * the heading as it was when they do not. */
static int drop_tail(cmark_node *heading, size_t n)
{
	size_t have = 0;
	for (cmark_node *t = cmark_node_last_child(heading); t && have < n; t = cmark_node_previous(t)) {
		if (cmark_node_get_type(t) != CMARK_NODE_TEXT)
			return 0;
		have += strlen(cmark_node_get_literal(t));
	}
	if (have < n)
		return 0;
	while (n > 0) {
		cmark_node *t = cmark_node_last_child(heading);
		const char *lit = cmark_node_get_literal(t);
		size_t len = strlen(lit);
		if (len <= n) {
			n -= len;
			cmark_node_free(t);
		} else {
			char *rest = xstrndup(lit, len - n);
			size_t k = strlen(rest);
			while (k > 0 && (rest[k - 1] == ' ' || rest[k - 1] == '\t'))
				rest[--k] = '\0';
			cmark_node_set_literal(t, rest);
			free(rest);
			n = 0;
		}
	}
	return 1;
}

/* 1 if the first prefix bytes of text (a heading's plain text) sit in the
 * heading's first text node, as typed: not emphasised, escaped or split
 * by an entity. */
static int prefix_plain(cmark_node *heading, const char *text, size_t prefix)
{
	cmark_node *t = cmark_node_first_child(heading);
	if (prefix == 0)
		return 1;
	if (t == NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	return strncmp(cmark_node_get_literal(t), text, prefix) == 0;
}

int model_parse_section(const char *text, const char **title)
{
	return parse_section(text, title);
}

int model_parse_question(const char *text, const char **title)
{
	return parse_question(text, title);
}

int model_parse_depth(const char *text, const char **title)
{
	size_t end;
	return parse_depth(text, title, &end);
}

size_t model_attribute(const char *text, char **id)
{
	return attribute(text, id);
}

/* 1 if the block after heading h opens with a "**Q:**" marker, as a
 * follow-up's first paragraph does. */
static int opens_qa(cmark_node *h)
{
	cmark_node *next = cmark_node_next(h);
	return next != NULL && cmark_node_get_type(next) == CMARK_NODE_PARAGRAPH &&
	       marker(cmark_node_first_child(next), "Q") != 0;
}

/* Classifies one top-level heading and opens the unit it starts, or keeps
 * it as content (recording why). Returns 1 if the heading was consumed. */
static int heading(struct builder *b, cmark_node *h)
{
	int level = cmark_node_get_heading_level(h);
	char *text = md_text(h);
	int consumed = 1, misspelt = 0;
	char *id = NULL;
	if (level >= 2) {
		/* "{#id}" ends a section, question or follow-up heading: pandoc's
		 * heading attribute; it is neither text nor slug. */
		size_t cut = attribute(text, &id);
		if (id != NULL && drop_tail(h, strlen(text) - cut)) {
			text[cut] = '\0';
			if (!id_usable(id)) {
				add_stray(b, h, id, STRAY_ID, 0);
				free(id);
				id = NULL;
			}
		} else {
			free(id);
			id = NULL;
		}
	}
	const char *space = NULL;
	char *plain = level >= 2 ? plain_spaces(text, &space) : NULL;
	const char *title;
	size_t numbered_end = 0;
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
		int n = parse_section(text, &title);
		if (n < 0 && plain != NULL && parse_section(plain, &title) >= 0) {
			/* "1.\u00A0Title" reads as a numbered section: say which
			 * character keeps it from being one */
			add_stray(b, h, text, STRAY_SPACE, 0);
			b->g->strays[b->g->nstrays - 1].what = space;
			n = parse_section(plain, &title);
			title = in_text(text, plain, title);
		}
		/* a prefix that is emphasised, escaped or an entity reads right
		 * and counts; only the title then keeps it as typed */
		size_t skip = (size_t)(title - text);
		if (n >= 0 && !prefix_plain(h, text, skip))
			skip = 0;
		if (b->g->title_count == 0 && b->g->nsections == 0 && b->question == NULL && n < 0 &&
		    !b->g->file->meta.title_given) {
			/* an unnumbered H2 before any title is no section of it */
			add_stray(b, h, text, STRAY_SECTION, 0);
			consumed = 0;
		} else {
			start_section(b, h, n, skip, text);
		}
	} else if (level == 3) {
		int n = parse_question(text, &title);
		if (n < 0 && plain != NULL && parse_question(plain, &title) >= 0) {
			add_stray(b, h, text, STRAY_SPACE, 0);
			b->g->strays[b->g->nstrays - 1].what = space;
			n = parse_question(plain, &title);
			title = in_text(text, plain, title);
		}
		if (n >= 0) {
			size_t skip = (size_t)(title - text);
			if (!prefix_plain(h, text, skip))
				skip = 0;
			start_question(b, h, n, skip, text, id);
			id = NULL;
		} else {
			add_stray(b, h, text, STRAY_QUESTION, 0);
			consumed = 0;
		}
	} else {
		int n = parse_depth(text, &title, &numbered_end);
		if (n < 0 && plain != NULL && parse_depth(plain, &title, &numbered_end) >= 0) {
			add_stray(b, h, text, STRAY_SPACE, 0);
			b->g->strays[b->g->nstrays - 1].what = space;
			n = parse_depth(plain, &title, &numbered_end);
		}
		if (n >= 0) {
			if (b->question) {
				start_depth(b, h, n, text, title ? title : NULL, id);
				id = NULL;
			} else {
				add_stray(b, h, text, STRAY_DEPTH, n);
				consumed = 0;
			}
		} else if ((misspelt = looks_like_depth(plain ? plain : text)) || (b->question && level >= 4 && opens_qa(h))) {
			struct model_question *q = b->question;
			int next = q == NULL ? 0 : q->ndepths ? q->depths[q->ndepths - 1]->number + 1 : 1;
			add_stray(b, h, text, misspelt ? STRAY_DEPTH_SHAPE : STRAY_DEPTH_UNNAMED, next);
			if (q) {
				/* an error either way; as a follow-up of its own (the next
				 * number) its Q and A do not also count against the one
				 * before it */
				start_depth(b, h, next, text, NULL, NULL);
				b->depth->misspelt = 1;
			} else {
				add_slug(b, text, NULL);
				consumed = 0;
			}
		} else {
			add_stray(b, h, text, STRAY_HEADING, 0);
			add_slug(b, text, NULL);
			consumed = 0;
		}
	}
	/* an id left here was on a section or a heading that is no unit:
	 * sections keep their positional ids, and a link to it is reported */
	free(id);
	free(plain);
	free(text);
	return consumed;
}

/* The column of a '<…>' autolink. cmark-gfm 0.29 gives one on a
 * paragraph's second or later line the column of its offset in the whole
 * paragraph (12 late after "**Answer:**"), so it is found on its line:
 * the rightmost "<literal>" starting at or before the reported column.
 * *cursor (line, offset) only moves forward, as links come in source
 * order, which keeps this linear. Other nodes keep their column. */
static int autolink_col(const char *text, size_t len, size_t cursor[2], cmark_node *n, int line, int col)
{
	cmark_node *child = cmark_node_first_child(n);
	const char *url = cmark_node_get_url(n), *lit = child ? cmark_node_get_literal(child) : NULL;
	if (lit == NULL || url == NULL || cmark_node_next(child) != NULL || line <= 0 ||
	    (strcmp(url, lit) != 0 && !(strncmp(url, "mailto:", 7) == 0 && strcmp(url + 7, lit) == 0)))
		return col;
	if ((size_t)line < cursor[0])
		cursor[0] = 1, cursor[1] = 0;
	while (cursor[0] < (size_t)line && cursor[1] < len) {
		const char *nl = memchr(text + cursor[1], '\n', len - cursor[1]);
		if (nl == NULL)
			return col;
		cursor[1] = (size_t)(nl - text) + 1;
		cursor[0]++;
	}
	const char *bol = text + cursor[1];
	const char *eol = memchr(bol, '\n', len - cursor[1]);
	size_t n_line = eol ? (size_t)(eol - bol) : len - cursor[1], n_lit = strlen(lit);
	int best = col;
	for (size_t i = 0; i + n_lit + 2 <= n_line && (int)i + 1 <= col; i++)
		if (bol[i] == '<' && memcmp(bol + i + 1, lit, n_lit) == 0 && bol[i + 1 + n_lit] == '>')
			best = (int)i + 1;
	return best;
}

/* A heading inside a block quote or a list item is content, never a
 * unit; one that is spelled as a follow-up is reported, since its author
 * most likely meant one (and its Q and A would be folded away). */
static void nested_heading(struct builder *b, cmark_node *h)
{
	char *text = md_text(h);
	const char *title;
	size_t end;
	if (parse_depth(text, &title, &end) >= 0 || looks_like_depth(text)) {
		const char *where = "a block quote";
		for (cmark_node *p = cmark_node_parent(h); p; p = cmark_node_parent(p)) {
			cmark_node_type t = cmark_node_get_type(p);
			if (t == CMARK_NODE_ITEM) {
				where = "a list item";
				break;
			}
			if (t == CMARK_NODE_BLOCK_QUOTE)
				break;
		}
		XGROW(b->g->strays, b->g->nstrays, b->cap_strays);
		b->g->strays[b->g->nstrays++] = (struct model_stray){
			.line = cmark_node_get_start_line(h),
			.col = cmark_node_get_start_column(h),
			.level = cmark_node_get_heading_level(h),
			.text = xstrdup(text),
			.kind = STRAY_DEPTH_NESTED,
			.owner = "",
			.what = where,
		};
	}
	free(text);
}

/* Records every link, image, math span and piece of raw HTML of the document, where its
 * nesting first gets too deep, and the headings inside block quotes and
 * lists, before its blocks move into units. */
static void collect(struct builder *b, cmark_node *doc)
{
	struct model_guide *g = b->g;
	size_t cap_links = 0, cap_maths = 0, cap_htmls = 0, nnested = 0, cap_nested = 0;
	cmark_node **nested = NULL;
	size_t cursor[2] = {1, 0}; /* autolink_col's place in the text */
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int depth = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		cmark_node_type t = cmark_node_get_type(n);
		if (!md_is_leaf(t))
			depth++;
		if (depth > MODEL_MAX_NESTING && g->deep_line == 0) {
			g->deep_line = cmark_node_get_start_line(n);
			g->deep_col = cmark_node_get_start_column(n);
		}
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
			XGROW(g->links, g->nlinks, cap_links);
			int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
			g->links[g->nlinks++] = (struct model_link){
				cmark_node_get_url(n), t == CMARK_NODE_IMAGE, line,
				t == CMARK_NODE_LINK ? autolink_col(g->file->text, g->file->len, cursor, n, line, col) : col,
				cmark_node_get_end_line(n), cmark_node_get_end_column(n)};
		} else if (math_is_span(n)) {
			XGROW(g->maths, g->nmaths, cap_maths);
			g->maths[g->nmaths++] = n;
		} else if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
			XGROW(g->htmls, g->nhtmls, cap_htmls);
			g->htmls[g->nhtmls++] = n;
		} else if (t == CMARK_NODE_HEADING && cmark_node_parent(n) != doc) {
			XGROW(nested, nnested, cap_nested);
			nested[nnested++] = n;
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < nnested; i++)
		nested_heading(b, nested[i]);
	free(nested);
}

/* Splits every depth into question and answer. */
static void finish_depths(struct model_guide *g)
{
	for (size_t i = 0; i < g->nquestions; i++)
		for (size_t k = 0; k < g->questions[i]->ndepths; k++)
			finish_depth(g->questions[i]->depths[k]);
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

/* Separates the guide's structure from its answers' content: the
 * epilogue belongs to the guide, a break between sections to no answer. */
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

/* Decides whether the guide's Depth numbers continue across questions:
 * declared in front matter, or done consistently (every question's chain
 * after the first starts at the previous chain's last number + 1). */
static void depth_numbering(struct model_guide *g)
{
	const char *declared = g->file->meta.depth_numbering;
	if (declared != NULL) {
		g->continuous_declared = strcmp(declared, "continuous") == 0;
		g->continuous = g->continuous_declared;
		return;
	}
	int chains = 0, last = 0, consistent = 1;
	for (size_t i = 0; i < g->nquestions && consistent; i++) {
		const struct model_question *q = g->questions[i];
		if (q->ndepths == 0)
			continue;
		if (chains++ > 0 && q->depths[0]->number != last + 1)
			consistent = 0;
		last = q->depths[q->ndepths - 1]->number;
	}
	g->continuous = consistent && chains >= 2;
}

static int by_id(const void *a, const void *b)
{
	const struct model_idref *x = a, *y = b;
	return strcmp(x->id, y->id);
}

/* Sorts the explicit ids for link_find_unit (link.c); a repeat (an error) keeps
 * its first place in the guide, as qsort is not stable. */
static void index_ids(struct model_guide *g)
{
	size_t cap = 0;
	for (size_t i = 0; i < g->nquestions; i++) {
		struct model_question *q = g->questions[i];
		if (q->explicit_id) {
			XGROW(g->ids, g->nids, cap);
			g->ids[g->nids++] = (struct model_idref){q->explicit_id, q, NULL};
		}
		for (size_t k = 0; k < q->ndepths; k++)
			if (q->depths[k]->explicit_id) {
				XGROW(g->ids, g->nids, cap);
				g->ids[g->nids++] = (struct model_idref){q->depths[k]->explicit_id, q, q->depths[k]};
			}
	}
	if (g->nids > 1)
		qsort(g->ids, g->nids, sizeof *g->ids, by_id);
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
	collect(&b, g->doc);
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
	depth_numbering(g);
	index_ids(g);
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
	free(d->explicit_id);
	free(d->title);
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
		free(q->explicit_id);
		free(q->answer_found);
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
	free(g->ids);
	free(g->sections);
	free(g->questions);
	free(g->links);
	free(g->maths);
	free(g->htmls);
	free(g->title);
	free(g->description);
	free(g->keys);
	load_file_free(g->file);
	free(g);
}

void model_library_add(struct model_library *lib, struct model_guide *g)
{
	XGROW(lib->guides, lib->nguides, lib->cap);
	lib->guides[lib->nguides++] = g;
}

void model_library_free(struct model_library *lib)
{
	for (size_t i = 0; i < lib->nguides; i++)
		model_guide_free(lib->guides[i]);
	free(lib->guides);
	lib->guides = NULL;
	lib->nguides = lib->cap = 0;
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

void model_unit_label(struct buf *b, const struct model_question *q, const struct model_depth *d, const char *sep)
{
	if (q != NULL)
		buf_printf(b, "Q%d", q->number);
	if (d != NULL)
		buf_printf(b, "%sDepth %d", q != NULL ? sep : "", d->number);
}

const char *model_lang_dir(const char *lang)
{
	static const char *const rtl[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi"};
	if (lang == NULL)
		return "ltr";
	size_t n = strcspn(lang, "-_");
	const char *script = lang[n] ? lang + n + 1 : "";
	if (strncasecmp(script, "Latn", 4) == 0 || strncasecmp(script, "Cyrl", 4) == 0)
		return "ltr";
	for (size_t i = 0; i < sizeof rtl / sizeof *rtl; i++)
		if (strlen(rtl[i]) == n && strncasecmp(lang, rtl[i], n) == 0)
			return "rtl";
	return "ltr";
}
