/* validate.c: the guide format's rules, one function per concern. */
#define _DEFAULT_SOURCE
#include "validate.h"
#include "diag.h"
#include "escape.h"
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
	if (g->title_count == 0 && g->file->meta.title == NULL)
		diag_report(DIAG_TITLE_MISSING, g->path, 1, 1);
	for (size_t i = 0; i < g->nstrays; i++) {
		const struct model_stray *s = &g->strays[i];
		switch (s->kind) {
		case STRAY_TITLE:
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
		}
	}
}

static void val_sections(const struct model_guide *g)
{
	int expected = 1;
	for (size_t i = 0; i < g->nsections; i++) {
		const struct model_section *s = g->sections[i];
		if (s->number != expected)
			diag_report(DIAG_SECTION_SEQUENCE, g->path, s->line, s->col, expected, s->number);
		expected = s->number + 1;
	}
}

static void val_depth_sequence(const struct model_guide *g, const struct model_question *q,
                               const struct model_depth *d, int prev)
{
	int expected = prev + 1;
	if (d->number == expected)
		return;
	char after[64], why[96];
	if (prev == 0)
		snprintf(after, sizeof after, "the main answer");
	else
		snprintf(after, sizeof after, "Depth %d", prev);
	if (d->number > expected + 1)
		snprintf(why, sizeof why, "Depths %d to %d missing", expected, d->number - 1);
	else if (d->number == expected + 1)
		snprintf(why, sizeof why, "Depth %d missing", expected);
	else if (d->number == prev)
		snprintf(why, sizeof why, "a repeat; expected Depth %d", expected);
	else
		snprintf(why, sizeof why, "numbers go back; expected Depth %d", expected);
	diag_report(DIAG_DEPTH_SEQUENCE, g->path, d->line, d->col, d->number, after, q->number, why);
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
	if (nq == 0)
		diag_report(DIAG_QA_MISSING, g->path, d->line, d->col, q->number, d->number, "Q:");
	if (na == 0)
		diag_report(DIAG_QA_MISSING, g->path, d->line, d->col, q->number, d->number, "A:");
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
	int expected = 1;
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct model_question *q = g->questions[i];
		if (q->section == NULL)
			diag_report(DIAG_QUESTION_OUTSIDE, g->path, q->line, q->col, q->number);
		if (q->number != expected)
			diag_report(DIAG_QUESTION_SEQUENCE, g->path, q->line, q->col, expected, q->number);
		expected = q->number + 1;
		if (q->answer_line == 0)
			diag_report(DIAG_ANSWER_MISSING, g->path, q->line, q->col, q->number,
			            q->ndepths ? "Depth 1" : "the next heading");
		else if (q->answer_empty)
			diag_report(DIAG_ANSWER_EMPTY, g->path, q->answer_line, q->answer_col, q->number);
		int prev = 0;
		for (size_t k = 0; k < q->ndepths; k++) {
			const struct model_depth *d = q->depths[k];
			val_depth_sequence(g, q, d, prev);
			prev = d->number;
			int want = d->number + 3 > 6 ? 6 : d->number + 3;
			if (d->level != want) {
				const char *hashes = "######";
				diag_report(DIAG_DEPTH_LEVEL, g->path, d->line, d->col, d->number, d->level, want,
				            want, hashes);
			}
			val_depth_qa(g, q, d);
		}
	}
}

/* Checks that a relative file link stays inside the guide's content root
 * and exists. With report_missing 0 only the outside case is reported.
 * Returns 1 if it reported. */
static int val_file_link(const struct model_guide *g, const struct model_link *l, const char *what,
                         int report_missing)
{
	const char *url = l->url;
	if (url[0] == '/' || url[0] == '\\') {
		diag_report(DIAG_LINK_OUTSIDE, g->path, l->line, l->col, what, url);
		return 1;
	}
	int reported = 0;
	size_t n = strcspn(url, "?#");
	char *rel = unesc_url(url, n);
	const char *slash = strrchr(g->path, '/');
	char *joined = xasprintf("%.*s/%s", slash ? (int)(slash - g->path) : 1, slash ? g->path : ".", rel);
	char root[PATH_MAX], real[PATH_MAX];
	if (realpath(g->file->root, root) == NULL) {
		diag_report(DIAG_READ, g->file->root, 0, 0, "cannot resolve the content directory");
	} else if (realpath(joined, real) == NULL) {
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
	} else {
		size_t rn = strlen(root);
		struct stat st;
		const char *kind = NULL;
		if (strncmp(real, root, rn) != 0 || (real[rn] != '/' && real[rn] != '\0')) {
			diag_report(DIAG_LINK_OUTSIDE, g->path, l->line, l->col, what, url);
			reported = 1;
		} else if (report_missing && stat(real, &st) == 0 && (kind = load_not_file(st.st_mode)) != NULL) {
			/* a FIFO would block the build, a device never end, a
			 * directory copy nothing: caught here, at the link */
			diag_report(DIAG_LINK_NOT_FILE, g->path, l->line, l->col, what, url, kind);
			reported = 1;
		}
	}
	free(joined);
	free(rel);
	return reported;
}

static void val_links(const struct model_library *lib, const struct model_guide *g)
{
	for (size_t i = 0; i < g->nlinks; i++) {
		const struct model_link *l = &g->links[i];
		const char *what = l->is_image ? "image" : "link";
		const char *bad = md_unsafe_scheme(l->url);
		if (bad != NULL) {
			diag_report(DIAG_LINK_UNSAFE, g->path, l->line, l->col, what, l->url, bad);
			continue;
		}
		struct model_target t;
		switch (model_resolve(lib, g, l->url, &t)) {
		case MODEL_LINK_EXTERNAL:
		case MODEL_LINK_UNIT:
		case MODEL_LINK_GUIDE:
			break;
		case MODEL_LINK_FILE:
			val_file_link(g, l, what, 1);
			break;
		case MODEL_LINK_NO_GUIDE: {
			if (val_file_link(g, l, what, 0))
				break;
			char *name = xstrndup(l->url, strcspn(l->url, "#"));
			diag_report(DIAG_LINK_GUIDE, g->path, l->line, l->col, l->url, name);
			free(name);
			break;
		}
		case MODEL_LINK_NO_UNIT: {
			const char *id = model_slug_unit(t.guide, t.fragment);
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
	case MATH_TEXT_ONLY:
		diag_report(DIAG_MATH_RENDER, c->path, c->line, col, word);
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
		const char *carets = strstr(tex, "^^");
		if (carets != NULL)
			diag_report(DIAG_MATH_CARET, g->path, c.line, c.col + 1 + (int)(carets - tex));
	}
}

void val_library(const struct model_library *lib)
{
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct model_guide *g = lib->guides[i];
		for (size_t k = 0; k < i; k++)
			if (strcmp(lib->guides[k]->slug, g->slug) == 0)
				diag_report(DIAG_GUIDE_SLUG, g->path, 0, 0, g->slug, lib->guides[k]->path);
		if (g->deep_line > 0)
			diag_report(DIAG_NESTING, g->path, g->deep_line, g->deep_col, MODEL_MAX_NESTING);
		val_title(g);
		val_sections(g);
		val_questions(g);
		val_links(lib, g);
		val_math(g);
	}
}
