/* diag.c: the diagnostics table, collection, sorting and printing, and
 * passing diagnostics from a worker process to its parent. */
#define _POSIX_C_SOURCE 200809L
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *rule;
	const char *format;
} table[DIAG_MAX] = {
	[DIAG_DEPTH_LEVEL] = {"depth-level", "Depth %d is a level-%d heading; expected level %d (%.*s)"},
	[DIAG_STRAY_HEADING] = {"stray-heading", "heading \"%s\" fits no unit shape; kept as part of %s"},
	[DIAG_MATH_RENDER] = {"math-render", "math command \\%s has no Unicode rendering; the site and EPUB show its TeX source"},
	[DIAG_CARDS_OVERFULL] = {"cards-overfull", "the card %s overflows its box in LaTeX: %s"},
	[DIAG_LINK_MOVED] = {"link-moved", "link to '%s' now points at \"%s\"; at the last build it pointed at \"%s\"%s"},
	[DIAG_UTF8] = {"utf8", "invalid UTF-8: byte 0x%02X cannot %s"},
	[DIAG_NUL] = {"nul", "NUL byte in the guide"},
	[DIAG_CONTROL] = {"control-char", "character U+%04X is not allowed in HTML or XML (a control character or noncharacter)"},
	[DIAG_FRONT_MATTER] = {"front-matter", "front matter: %s"},
	[DIAG_TITLE_MISSING] = {"title", "expected one '# Title' heading; found none"},
	[DIAG_TITLE_DUPLICATE] = {"title", "expected one '# Title' heading; found another (first at line %d)"},
	[DIAG_SECTION_HEADING] = {"section-heading", "expected a section heading '## N. Title'; found \"%s\""},
	[DIAG_SECTION_SEQUENCE] = {"section-sequence", "expected section %d; found section %d"},
	[DIAG_QUESTION_HEADING] = {"question-heading", "expected a question heading '### QN: text'; found \"%s\""},
	[DIAG_QUESTION_OUTSIDE] = {"question-outside", "question Q%d comes before any section"},
	[DIAG_QUESTION_SEQUENCE] = {"question-sequence", "expected Q%d; found Q%d"},
	[DIAG_ANSWER_MISSING] = {"answer-missing", "Q%d has no '**Answer:**' before %s"},
	[DIAG_ANSWER_EMPTY] = {"answer-empty", "Q%d's '**Answer:**' is empty"},
	[DIAG_DEPTH_OUTSIDE] = {"depth-outside", "Depth %d is outside any question"},
	[DIAG_DEPTH_SEQUENCE] = {"depth-sequence", "Depth %d follows %s in Q%d (%s)"},
	[DIAG_QA_MISSING] = {"qa-missing", "Q%d Depth %d has no '**%s**'"},
	[DIAG_QA_DUPLICATE] = {"qa-duplicate", "Q%d Depth %d has a second '**%s**' (expected exactly one)"},
	[DIAG_QA_ORDER] = {"qa-order", "Q%d Depth %d: expected '**Q:**' first, then '**A:**'; found %s"},
	[DIAG_QA_EMPTY] = {"qa-empty", "Q%d Depth %d: '**%s**' is empty"},
	[DIAG_LINK_TARGET] = {"link-target", "link to '%s': no unit with id '%s' in %s"},
	[DIAG_LINK_GUIDE] = {"link-guide", "link to '%s': no guide '%s' in the content"},
	[DIAG_LINK_SLUG] = {"link-slug", "link to '#%s' uses heading text; use the stable id '#%s'"},
	[DIAG_LINK_OUTSIDE] = {"link-outside", "%s '%s' reaches outside the content directory"},
	[DIAG_LINK_MISSING] = {"link-missing", "%s '%s' names a file that does not exist"},
	[DIAG_LINK_UNSAFE] = {"link-unsafe", "%s '%s' uses the unsafe scheme '%s:'"},
	[DIAG_MATH_COMMAND] = {"math-command", "math command \\%s is not on the math whitelist"},
	[DIAG_GUIDE_SLUG] = {"guide-slug", "guide slug '%s' is already used by %s"},
	[DIAG_GUIDE_OUTSIDE] = {"link-outside", "guide file is a symbolic link that leaves the content directory (to %s)"},
	[DIAG_NESTING] = {"nesting", "lists, quotes or emphasis nest more than %d levels deep here; XML and e-readers refuse such documents"},
	[DIAG_MATH_CARET] = {"math-command", "TeX's '^^' character notation is not allowed in math (it can spell any command)"},
	[DIAG_CARDS_LATEX] = {"cards-latex", "LaTeX could not typeset the card %s: %s"},
	[DIAG_CARDS_CHAR] = {"cards-char", "the card font cannot print '%s' (U+%s) in %s; it would print as a blank"},
	[DIAG_READ] = {"read", "%s"},
	[DIAG_INTERNAL] = {"internal", "%s"},
	[DIAG_CARDS_NO_LATEX] = {"cards-latex", "pdflatex not found: the flashcards need it (apt-get install %s), or build with --only html,epub,anki"},
};

struct diag {
	char *file;
	int line, col;
	enum diag_id id;
	size_t seq;
	char *message;
};

static struct diag *diags;
static size_t ndiags, capdiags;
static int counts[3];

enum diag_level diag_level(enum diag_id id)
{
	if (id < DIAG_WARNING_MAX)
		return DIAG_LEVEL_WARNING;
	if (id < DIAG_ERROR_MAX)
		return DIAG_LEVEL_ERROR;
	return DIAG_LEVEL_FATAL;
}

const char *diag_rule(enum diag_id id)
{
	return table[id].rule;
}

int diag_count(enum diag_level level)
{
	return counts[level];
}

void diag_report(enum diag_id id, const char *file, int line, int col, ...)
{
	struct buf msg = {0};
	va_list ap;
	va_start(ap, col);
	int n = vsnprintf(NULL, 0, table[id].format, ap);
	va_end(ap);
	msg.data = xmalloc((size_t)(n > 0 ? n : 0) + 1);
	msg.data[0] = '\0';
	va_start(ap, col);
	vsnprintf(msg.data, (size_t)(n > 0 ? n : 0) + 1, table[id].format, ap);
	va_end(ap);
	if (ndiags == capdiags) {
		capdiags = capdiags ? capdiags * 2 : 16;
		diags = xrealloc(diags, capdiags * sizeof *diags);
	}
	diags[ndiags] = (struct diag){
		.file = xstrdup(file ? file : "depthbook"),
		.line = line,
		.col = col,
		.id = id,
		.seq = ndiags,
		.message = msg.data,
	};
	ndiags++;
	counts[diag_level(id)]++;
}

static int by_place(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *level_name(enum diag_level level)
{
	return level == DIAG_LEVEL_WARNING ? "warning" : "error";
}

void diag_clear(void)
{
	for (size_t i = 0; i < ndiags; i++) {
		free(diags[i].file);
		free(diags[i].message);
	}
	free(diags);
	diags = NULL;
	ndiags = capdiags = 0;
	memset(counts, 0, sizeof counts);
}

int diag_flush(int werror, int always)
{
	if (ndiags > 1)
		qsort(diags, ndiags, sizeof *diags, by_place);
	for (size_t i = 0; i < ndiags; i++) {
		const struct diag *d = &diags[i];
		if (d->line > 0)
			fprintf(stderr, "%s:%d:%d: ", d->file, d->line, d->col > 0 ? d->col : 1);
		else
			fprintf(stderr, "%s: ", d->file);
		fprintf(stderr, "%s: %s [%s]\n", level_name(diag_level(d->id)), d->message,
		        table[d->id].rule);
		free(d->file);
		free(d->message);
	}
	int errors = counts[DIAG_LEVEL_ERROR] + counts[DIAG_LEVEL_FATAL];
	int warnings = counts[DIAG_LEVEL_WARNING];
	if (always || ndiags > 0)
		fprintf(stderr, "%d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s",
		        warnings, warnings == 1 ? "" : "s");
	int status = 0;
	if (counts[DIAG_LEVEL_FATAL] > 0)
		status = 2;
	else if (counts[DIAG_LEVEL_ERROR] > 0 || (werror && warnings > 0))
		status = 1;
	free(diags);
	diags = NULL;
	ndiags = capdiags = 0;
	memset(counts, 0, sizeof counts);
	return status;
}

/* One diagnostic on a pipe: four ints (id, line, col, the file name's
 * length), the message's length, then both strings. */
struct wire {
	int id, line, col, filelen, msglen;
};

int diag_send(int fd)
{
	int r = 0;
	for (size_t i = 0; i < ndiags && r == 0; i++) {
		const struct diag *d = &diags[i];
		struct wire w = {(int)d->id, d->line, d->col, (int)strlen(d->file), (int)strlen(d->message)};
		r = write_full(fd, &w, sizeof w);
		if (r == 0)
			r = write_full(fd, d->file, (size_t)w.filelen);
		if (r == 0)
			r = write_full(fd, d->message, (size_t)w.msglen);
	}
	diag_clear();
	return r;
}

int diag_receive(int fd)
{
	for (;;) {
		struct wire w;
		int r = read_full(fd, &w, sizeof w);
		if (r == 1)
			return 0;
		if (r != 0 || w.id < 0 || w.id >= DIAG_MAX || w.filelen < 0 || w.msglen < 0)
			return -1;
		char *file = xmalloc((size_t)w.filelen + 1), *message = xmalloc((size_t)w.msglen + 1);
		if (read_full(fd, file, (size_t)w.filelen) != 0 || read_full(fd, message, (size_t)w.msglen) != 0) {
			free(file), free(message);
			return -1;
		}
		file[w.filelen] = message[w.msglen] = '\0';
		if (ndiags == capdiags) {
			capdiags = capdiags ? capdiags * 2 : 16;
			diags = xrealloc(diags, capdiags * sizeof *diags);
		}
		diags[ndiags] = (struct diag){file, w.line, w.col, (enum diag_id)w.id, ndiags, message};
		ndiags++;
		counts[diag_level((enum diag_id)w.id)]++;
	}
}
