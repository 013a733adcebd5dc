/* validate.c: the guide format's rules, one function per concern. */
#define _DEFAULT_SOURCE
#include "validate.h"
#include "render.h"
#include "diag.h"
#include "ident.h"
#include "escape.h"
#include "link.h"
#include "math.h"
#include "md.h"
#include "util.h"
#include "load.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void val_title(const struct model_guide *g)
{
	if (g->title_count == 0 && !g->file->meta.title_given)
		diag_report(DIAG_TITLE_MISSING, g->path, 1, 1);
	for (size_t i = 0; i < g->nstrays; i++) {
		const struct model_stray *s = &g->strays[i];
		switch (s->kind) {
		case STRAY_TITLE:
			/* title_line 0: no title came first, this one is after a
			 * section or question */
			if (g->title_line == 0)
				diag_report(DIAG_TITLE_LATE, g->path, s->line, s->col);
			else
				diag_report(DIAG_TITLE_DUPLICATE, g->path, s->line, s->col, g->title_line);
			break;
		case STRAY_SECTION:
			diag_report(DIAG_SECTION_HEADING, g->path, s->line, s->col, s->text);
			break;
		case STRAY_QUESTION:
			diag_report(DIAG_QUESTION_HEADING, g->path, s->line, s->col, s->text);
			break;
		case STRAY_DEPTH:
			diag_report(DIAG_DEPTH_OUTSIDE, g->path, s->line, s->col, s->number);
			break;
		case STRAY_HEADING:
			diag_report(DIAG_STRAY_HEADING, g->path, s->line, s->col, s->text, s->owner);
			break;
		case STRAY_DEPTH_SHAPE:
			diag_report(DIAG_DEPTH_HEADING, g->path, s->line, s->col, s->text);
			break;
		case STRAY_DEPTH_UNNAMED:
			diag_report(DIAG_DEPTH_UNNAMED, g->path, s->line, s->col, s->text, s->number, s->number, s->text);
			break;
		case STRAY_DEPTH_NESTED:
			diag_report(DIAG_DEPTH_NESTED, g->path, s->line, s->col, s->text, s->what);
			break;
		case STRAY_SPACE:
			diag_report(DIAG_HEADING_SPACE, g->path, s->line, s->col, s->text, s->what);
			break;
		case STRAY_ID: {
			char *m = xasprintf("'{#%s}' is not a usable id: a letter, then letters, digits, '-' "
			                    "or '_', at most %d characters",
			                    s->text, MODEL_MAX_ID);
			diag_report(DIAG_UNIT_ID, g->path, s->line, s->col, m);
			free(m);
			break;
		}
		}
	}
}

/* A number a section heading carries must be its place in the guide (an
 * unnumbered section takes its place, so the numbers still run 1, 2, 3). */
static void val_sections(const struct model_guide *g)
{
	for (size_t i = 0; i < g->nsections; i++) {
		const struct model_section *s = g->sections[i];
		if (s->numbered && s->number != s->position)
			diag_report(DIAG_SECTION_SEQUENCE, g->path, s->line, s->col, s->position, s->number);
	}
}

/* Names the outputs give their own files and elements: an explicit id
 * must not take one (EPUB chapters are named after question ids). */
static int id_reserved(const char *id)
{
	static const char *const reserved[] = {"nav", "toc", "title", "cover", "style", "package",
	                                       "index", "main", "search-q", "search-status",
	                                       "search-results", "toggle-answers", "book-title",
	                                       "container", "mimetype", "sitemap", "assets"};
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (strcmp(id, reserved[i]) == 0)
			return 1;
	return 0;
}

/* Explicit ids ("{#saga}"): not shaped like a positional id, not one the
 * outputs use, and unique in the guide (g->ids is sorted, so a repeat sits
 * next to its first use). */
static void val_ids(const struct model_guide *g)
{
	for (size_t i = 0; i < g->nids; i++) {
		const struct model_idref *r = &g->ids[i];
		int line = r->depth ? r->depth->line : r->question->line;
		int col = r->depth ? r->depth->col : r->question->col;
		char *m = NULL;
		if (link_id_positional(r->id)) {
			m = xasprintf("id '%s' has the shape of a positional id (sN, qN, qN-dM, dM), which "
			              "names another unit; choose a word",
			              r->id);
		} else if (id_reserved(r->id)) {
			m = xasprintf("id '%s' is a name the site or the EPUB uses for its own files or "
			              "elements; choose another",
			              r->id);
		} else {
			/* the first use of this id in the guide */
			const struct model_idref *first = NULL;
			for (size_t k = i; k > 0 && strcmp(g->ids[k - 1].id, r->id) == 0; k--)
				first = &g->ids[k - 1];
			for (size_t k = i + 1; k < g->nids && strcmp(g->ids[k].id, r->id) == 0; k++)
				if ((g->ids[k].depth ? g->ids[k].depth->line : g->ids[k].question->line) < line)
					first = &g->ids[k];
			if (first != NULL) {
				int fl = first->depth ? first->depth->line : first->question->line;
				if (fl < line) {
					char unit[48];
					if (first->depth)
						snprintf(unit, sizeof unit, "Q%d Depth %d", first->question->number,
						         first->depth->number);
					else
						snprintf(unit, sizeof unit, "Q%d", first->question->number);
					m = xasprintf("id '%s' is already used by %s (line %d); ids must be unique "
					              "in the guide",
					              r->id, unit, fl);
				}
			}
		}
		if (m != NULL)
			diag_report(DIAG_UNIT_ID, g->path, line, col, m);
		free(m);
	}
}

/* One follow-up's number against the one before it in the chain (prev,
 * 0 before the first) or, for a chain's first follow-up when numbering
 * continues across questions, against the previous chain's last (carried,
 * with its question carried_q). */
static void val_depth_sequence(const struct model_guide *g, const struct model_question *q,
                               const struct model_depth *d, int prev, int carried, int carried_q)
{
	int first = d->position == 1;
	int base = first ? (g->continuous ? carried : 0) : prev;
	int expected = base + 1;
	if (d->number == expected)
		return;
	char after[96], why[160];
	const char *hint = "";
	if (first && g->continuous && carried > 0)
		snprintf(after, sizeof after, "Q%d's last follow-up, Depth %d,", carried_q, carried);
	else if (first)
		snprintf(after, sizeof after, "the main answer");
	else
		snprintf(after, sizeof after, "Depth %d", prev);
	if (d->number < 1)
		snprintf(why, sizeof why, "follow-ups are numbered from 1; expected Depth %d", expected);
	else if (d->number > expected + 1)
		snprintf(why, sizeof why, "Depths %d to %d missing", expected, d->number - 1);
	else if (d->number == expected + 1)
		snprintf(why, sizeof why, "Depth %d missing", expected);
	else if (d->number == base)
		snprintf(why, sizeof why, "a repeat; expected Depth %d", expected);
	else
		snprintf(why, sizeof why, "numbers go back; expected Depth %d", expected);
	if (first && !g->continuous && carried > 0 && d->number == carried + 1)
		hint = "; the numbers continue from the question before: say 'depth-numbering: "
		       "continuous' in the front matter, or let 'depthbook fmt' number each chain from 1";
	else if (d->number >= 1)
		hint = "; 'depthbook fmt' renumbers the chain";
	diag_report(DIAG_DEPTH_SEQUENCE, g->path, d->line, d->col, d->number, after, q->number, why, hint);
}

/* What an author may have meant as a follow-up's marker, at the start of
 * a line of paragraph para: the plain text "Q:" (kind 'Q') or "A:", or a
 * bold "Question:" or "Answer:". Returns that spelling and sets *line, or
 * returns NULL. */
static const char *para_near_marker(cmark_node *para, char kind, int *line)
{
	const char *plain = kind == 'Q' ? "Q:" : "A:", *word = kind == 'Q' ? "Question:" : "Answer:";
	int line_start = 1;
	for (cmark_node *n = cmark_node_first_child(para); n; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		cmark_node *c = cmark_node_first_child(n);
		*line = cmark_node_get_start_line(n);
		if (line_start && t == CMARK_NODE_TEXT && strncmp(cmark_node_get_literal(n), plain, 2) == 0)
			return kind == 'Q' ? "a plain 'Q:'" : "a plain 'A:'";
		if (line_start && t == CMARK_NODE_STRONG && c && cmark_node_get_type(c) == CMARK_NODE_TEXT &&
		    strcmp(cmark_node_get_literal(c), word) == 0)
			return kind == 'Q' ? "'**Question:**'" : "'**Answer:**'";
		line_start = t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
	}
	return NULL;
}

/* For qa-missing: a hint naming a near miss of the marker, or "". Caller
 * frees. */
static char *near_marker(const struct model_depth *d, char kind)
{
	int line = 0;
	const char *found = para_near_marker(d->question, kind, &line);
	for (cmark_node *b = cmark_node_first_child(d->answer); b && !found; b = cmark_node_next(b))
		if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH)
			found = para_near_marker(b, kind, &line);
	if (found == NULL)
		return xstrdup("");
	return xasprintf("; line %d starts with %s, where the marker is '**%c:**'", line, found, kind);
}

static void val_depth_qa(const struct model_guide *g, const struct model_question *q,
                         const struct model_depth *d)
{
	int nq = 0, na = 0;
	for (size_t i = 0; i < d->nmarkers; i++) {
		const struct model_marker *m = &d->markers[i];
		int *count = m->kind == 'Q' ? &nq : &na;
		(*count)++;
		if (*count == 2)
			diag_report(DIAG_QA_DUPLICATE, g->path, m->line, m->col, q->number, d->number,
			            m->kind == 'Q' ? "Q:" : "A:");
	}
	for (int k = 0; k < 2; k++) {
		if ((k == 0 ? nq : na) > 0)
			continue;
		char *hint = near_marker(d, k == 0 ? 'Q' : 'A');
		diag_report(DIAG_QA_MISSING, g->path, d->line, d->col, q->number, d->number, k == 0 ? "Q:" : "A:", hint);
		free(hint);
	}
	if (nq == 0 || na == 0)
		return;
	const struct model_marker *first = &d->markers[0];
	if (first->kind != 'Q' || !first->first) {
		diag_report(DIAG_QA_ORDER, g->path, first->line, first->col, q->number, d->number,
		            first->kind == 'Q' ? "text before '**Q:**'" : "'**A:**' first");
		return;
	}
	if (d->between_line > 0)
		diag_report(DIAG_QA_ORDER, g->path, d->between_line, 1, q->number, d->number,
		            "a block between '**Q:**' and '**A:**'");
	if (cmark_node_first_child(d->question) == NULL)
		diag_report(DIAG_QA_EMPTY, g->path, d->markers[0].line, d->markers[0].col, q->number,
		            d->number, "Q:");
	if (d->answer_empty) {
		const struct model_marker *a = d->markers;
		while (a->kind != 'A')
			a++;
		diag_report(DIAG_QA_EMPTY, g->path, a->line, a->col, q->number, d->number, "A:");
	}
}

static void val_questions(const struct model_guide *g)
{
	int expected = 1, carried = 0, carried_q = 0;
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct model_question *q = g->questions[i];
		if (q->section == NULL)
			diag_report(DIAG_QUESTION_OUTSIDE, g->path, q->line, q->col, q->number);
		if (q->number != expected)
			diag_report(DIAG_QUESTION_SEQUENCE, g->path, q->line, q->col, expected, q->number);
		expected = q->number + 1;
		if (q->answer_line == 0)
			diag_report(DIAG_ANSWER_MISSING, g->path, q->line, q->col, q->number,
			            q->ndepths ? "Depth 1" : "the next heading",
			            q->answer_found ? q->answer_found : "nothing");
		else if (q->answer_empty)
			diag_report(DIAG_ANSWER_EMPTY, g->path, q->answer_line, q->answer_col, q->number);
		if (q->loose_q_line > 0)
			diag_report(DIAG_DEPTH_LEFT_OUT, g->path, q->loose_q_line, q->loose_q_col, q->number);
		int prev = 0;
		for (size_t k = 0; k < q->ndepths; k++) {
			const struct model_depth *d = q->depths[k];
			val_depth_sequence(g, q, d, prev, carried, carried_q);
			prev = d->number;
			/* the level follows the number, or the place in the chain
			 * when numbers continue: Depth 26 may open a chain at H4 */
			int rel = g->continuous ? d->position : d->number;
			int want = rel + 3 > 6 ? 6 : rel + 3;
			if (d->level != want && rel >= 1 && !d->misspelt) {
				const char *hashes = "######";
				diag_report(DIAG_DEPTH_LEVEL, g->path, d->line, d->col, d->number, d->level, want,
				            want, hashes);
			}
			val_depth_qa(g, q, d);
		}
		if (q->ndepths > 0) {
			carried = q->depths[q->ndepths - 1]->number;
			carried_q = q->number;
		}
	}
}

/* The files the site publishes under files/, by their path inside their
 * content directory: with two content directories, "a/pic.png" and
 * "b/pic.png" would both be site/files/pic.png, one guide showing the
 * other's picture. */
struct site_files {
	struct strindex index;  /* inside -> place in the arrays */
	char **inside, **real, **where;
	size_t n, cap_inside, cap_real, cap_where;
};

/* 1 if the files at a and b hold the same bytes (two copies of a logo
 * publish as one). */
static int same_bytes(const char *a, const char *b)
{
	size_t na, nb;
	char *x = read_whole(a, &na), *y = read_whole(b, &nb);
	int same = x != NULL && y != NULL && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

static void site_file(struct site_files *f, const struct model_guide *g, const struct model_link *l,
                      const char *what, const char *inside, const char *real)
{
	size_t at = strindex_get(&f->index, inside);
	if (at != STRINDEX_NONE) {
		if (strcmp(f->real[at], real) != 0 && !same_bytes(f->real[at], real))
			diag_report(DIAG_LINK_CLASH, g->path, l->line, l->col, what, l->url, inside, f->where[at]);
		return;
	}
	XGROW(f->inside, f->n, f->cap_inside);
	XGROW(f->real, f->n, f->cap_real);
	XGROW(f->where, f->n, f->cap_where);
	f->inside[f->n] = xstrdup(inside);
	f->real[f->n] = xstrdup(real);
	f->where[f->n] = xasprintf("%s:%d:%d", g->path, l->line, l->col);
	strindex_put(&f->index, f->inside[f->n], f->n);
	f->n++;
}

static void site_files_free(struct site_files *f)
{
	strindex_clear(&f->index);
	for (size_t i = 0; i < f->n; i++) {
		free(f->inside[i]);
		free(f->real[i]);
		free(f->where[i]);
	}
	free(f->inside);
	free(f->real);
	free(f->where);
}

/* Checks that a relative file link stays inside the guide's content root
 * and exists, and (files not NULL) that no other file is published under
 * its name. With report_missing 0 only the outside case is reported.
 * Returns 1 if it reported. */
static int val_file_link(const struct model_guide *g, const struct model_link *l, const char *what,
                         int report_missing, struct site_files *files)
{
	const char *url = l->url;
	if (url[0] == '/' || url[0] == '\\') {
		diag_report(DIAG_LINK_OUTSIDE, g->path, l->line, l->col, what, url);
		return 1;
	}
	int reported = 0;
	char *rel;
	char *path = link_file_path(g, url, &rel);
	char real[PATH_MAX];
	struct stat st;
	const char *kind = NULL;
	const char *inside = NULL;
	switch (link_locate(g, path, real, &inside)) {
	case LINK_PLACE_NO_ROOT:
		diag_report(DIAG_READ, g->file->root, 0, 0, "cannot resolve the content directory");
		break;
	case LINK_PLACE_MISSING: {
		/* Not there: say "outside" when the path itself climbs out. */
		int depth = 0, outside = 0;
		const char *p = rel;
		while (*p) {
			size_t len = strcspn(p, "/");
			if (len == 2 && p[0] == '.' && p[1] == '.')
				depth--;
			else if (len > 0 && !(len == 1 && p[0] == '.'))
				depth++;
			if (depth < 0)
				outside = 1;
			p += len + (p[len] == '/');
		}
		if (outside || report_missing) {
			diag_report(outside ? DIAG_LINK_OUTSIDE : DIAG_LINK_MISSING, g->path, l->line, l->col,
			            what, url);
			reported = 1;
		}
		break;
	}
	case LINK_PLACE_OUTSIDE:
		diag_report(DIAG_LINK_OUTSIDE, g->path, l->line, l->col, what, url);
		reported = 1;
		break;
	case LINK_PLACE_INSIDE:
	case LINK_PLACE_ROOT:
		if (report_missing && stat(real, &st) == 0 && (kind = load_not_file(st.st_mode)) != NULL) {
			/* a FIFO would block the build, a device never end, a
			 * directory copy nothing: caught here, at the link */
			diag_report(DIAG_LINK_NOT_FILE, g->path, l->line, l->col, what, url, kind);
			reported = 1;
		} else if (files != NULL && inside != NULL) {
			site_file(files, g, l, what, inside, real);
		}
		break;
	}
	free(path);
	free(rel);
	return reported;
}

static void val_links(const struct model_library *lib, const struct model_guide *g, struct site_files *files)
{
	for (size_t i = 0; i < g->nlinks; i++) {
		const struct model_link *l = &g->links[i];
		const char *what = l->is_image ? "image" : "link";
		const char *bad = md_unsafe_scheme(l->url);
		if (bad != NULL) {
			diag_report(DIAG_LINK_UNSAFE, g->path, l->line, l->col, what, l->url, bad);
			continue;
		}
		struct link_target t;
		switch (link_resolve(lib, g, l->url, &t)) {
		case LINK_EXTERNAL:
		case LINK_UNIT:
		case LINK_GUIDE:
			break;
		case LINK_FILE:
			val_file_link(g, l, what, 1, files);
			break;
		case LINK_NO_GUIDE: {
			if (val_file_link(g, l, what, 0, NULL))
				break;
			char *name = xstrndup(l->url, strcspn(l->url, "#"));
			diag_report(DIAG_LINK_GUIDE, g->path, l->line, l->col, l->url, name);
			free(name);
			break;
		}
		case LINK_NO_UNIT: {
			const char *id = link_slug_unit(t.guide, t.fragment);
			if (id != NULL)
				diag_report(DIAG_LINK_SLUG, g->path, l->line, l->col, t.fragment, id);
			else
				diag_report(DIAG_LINK_TARGET, g->path, l->line, l->col, l->url, t.fragment,
				            t.guide->path);
			break;
		}
		}
	}
}

struct math_ctx {
	const char *path;
	int line, col;
};

static void check_command(const char *name, size_t len, size_t offset, void *vctx)
{
	struct math_ctx *c = vctx;
	char *word = xstrndup(name, len);
	/* +1 for the opening '$' */
	int col = c->col + 1 + (int)offset;
	switch (math_command_class(name, len)) {
	case MATH_UNKNOWN:
		diag_report(DIAG_MATH_COMMAND, c->path, c->line, col, word);
		break;
	case MATH_UNICODE:
		break;
	}
	free(word);
}

static void val_math(const struct model_guide *g)
{
	for (size_t i = 0; i < g->nmaths; i++) {
		struct math_ctx c = {g->path, math_line(g->maths[i]), math_col(g->maths[i])};
		const char *tex = math_tex(g->maths[i]);
		math_each_command(tex, check_command, &c);
		if (math_nesting(tex) > MATH_MAX_NESTING)
			diag_report(DIAG_MATH_NESTING, g->path, c.line, c.col, MATH_MAX_NESTING);
		const char *carets = strstr(tex, "^^");
		if (carets != NULL)
			diag_report(DIAG_MATH_CARET, g->path, c.line, c.col + 1 + (int)(carets - tex));
	}
}

/* Each piece of raw HTML that takes something out of the outputs (they all
 * leave raw HTML out), named by its first tag: an HTML block, with every
 * line up to its end, or a tag in text (`List<String>` loses `<String>`).
 * A comment is meant to be hidden, and an end tag loses nothing its start
 * tag has not, unless a block goes on after it. */
static void val_html(const struct model_guide *g)
{
	for (size_t i = 0; i < g->nhtmls; i++) {
		cmark_node *n = g->htmls[i];
		const char *s = cmark_node_get_literal(n);
		if (s == NULL || strncmp(s, "<!--", 4) == 0)
			continue;
		int block = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
		size_t len = strcspn(s, ">\n");
		len += s[len] == '>';
		const char *rest = s + len + strspn(s + len, " \t\r\n");
		if (strncmp(s, "</", 2) == 0) {
			/* lost text only in a block that goes on after the tag's '>' */
			const char *gt = s + strcspn(s, ">");
			if (!block || *gt == '\0' || gt[1 + strspn(gt + 1, " \t\r\n")] == '\0')
				continue;
		}
		char *first = xstrndup(s, len), *tag = text_shorten(first);
		int line = cmark_node_get_start_line(n), end = cmark_node_get_end_line(n);
		if (block) {
			char *upto = end > line ? xasprintf(" with the lines after it, to line %d", end)
			                        : xstrdup(*rest ? " with the rest of its line" : "");
			diag_report(DIAG_RAW_HTML, g->path, line, cmark_node_get_start_column(n), "the HTML block", tag, upto,
			            "write it in Markdown, or indent it as code to show it as text");
			free(upto);
		} else {
			char *fix = xasprintf("to show it as text, write \\%s or put it in backticks", tag);
			diag_report(DIAG_RAW_HTML, g->path, line, cmark_node_get_start_column(n), "the HTML tag", tag, "", fix);
			free(fix);
		}
		free(first);
		free(tag);
	}
}

void val_library(const struct model_library *lib)
{
	struct site_files files = {0};
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct model_guide *g = lib->guides[i];
		for (size_t k = 0; k < i; k++)
			if (strcmp(lib->guides[k]->slug, g->slug) == 0)
				diag_report(DIAG_GUIDE_SLUG, g->path, 0, 0, g->slug, lib->guides[k]->path);
		for (size_t k = 0; k < i; k++) {
			const struct model_guide *o = lib->guides[k];
			if (strcmp(o->slug, g->slug) == 0 || strcmp(ident_guide(o), ident_guide(g)) != 0)
				continue;
			/* said where an id is written: this guide's, else the other's */
			const struct load_meta *m = g->file->meta.id ? &g->file->meta : &o->file->meta;
			diag_report(DIAG_GUIDE_ID, m == &g->file->meta ? g->path : o->path, m->id_line, m->id_col,
			            ident_guide(g), m == &g->file->meta ? o->path : g->path);
		}
		if (render_slug_reserved(g->slug, strlen(g->slug)))
			diag_report(DIAG_GUIDE_RESERVED, g->path, 0, 0, g->slug);
		if (g->deep_line > 0)
			diag_report(DIAG_NESTING, g->path, g->deep_line, g->deep_col, MODEL_MAX_NESTING);
		val_title(g);
		val_sections(g);
		val_questions(g);
		val_ids(g);
		val_links(lib, g, &files);
		val_math(g);
		val_html(g);
	}
	site_files_free(&files);
}
