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
	[DIAG_DEPTH_LEVEL] = {"depth-level", "Depth %d is a level-%d heading; expected level %d (%.*s); 'depthbook fmt' sets every level"},
	[DIAG_STRAY_HEADING] = {"stray-heading", "heading \"%s\" fits no unit shape; kept as part of %s"},
	[DIAG_RAW_HTML] = {"raw-html", "%s '%s' is left out of every output%s (depthbook never publishes raw HTML); %s"},
	[DIAG_CARDS_OVERFULL] = {"cards-overfull", "the card %s prints across its edge: %s"},
	[DIAG_CARDS_IMAGE] = {"cards-image", "the card %s cannot show the image %s: %s"},
	[DIAG_EPUB_IMAGE] = {"epub-image", "the book cannot show the image %s: %s"},
	[DIAG_LINK_MOVED] = {"link-moved", "link to '%s' now points at \"%s\"; at the last build it pointed at \"%s\"%s"},
	[DIAG_UTF8] = {"utf8", "invalid UTF-8: byte 0x%02X cannot %s"},
	[DIAG_UTF16] = {"utf8", "the file is UTF-16 (%s), not UTF-8; save it as UTF-8"},
	[DIAG_TABLE_SIZE] = {"table-size", "a table row of %zu cells; at most %d are allowed (cmark-gfm's table parsing slows down with the square of a row's cells)"},
	[DIAG_NUL] = {"nul", "NUL byte in the guide"},
	[DIAG_CONTROL] = {"control-char", "character U+%04X is not allowed in HTML or XML (a control character or noncharacter)"},
	[DIAG_FRONT_MATTER] = {"front-matter", "front matter: %s"},
	[DIAG_TITLE_MISSING] = {"title", "expected one '# Title' heading; found none"},
	[DIAG_TITLE_DUPLICATE] = {"title", "expected one '# Title' heading; found another (first at line %d)"},
	[DIAG_TITLE_LATE] = {"title", "the '# Title' heading comes after a section or question; it must open the guide, before its first section"},
	[DIAG_SECTION_HEADING] = {"section-heading", "section heading \"%s\" comes before the guide's '# Title'"},
	[DIAG_SECTION_SEQUENCE] = {"section-sequence", "expected section %d (its place in the guide); found section %d; 'depthbook fmt' renumbers"},
	[DIAG_QUESTION_HEADING] = {"question-heading", "expected a question heading '### QN: text' (or 'QN. text', 'QN — text', 'Question N: text'); found \"%s\""},
	[DIAG_QUESTION_OUTSIDE] = {"question-outside", "question Q%d comes before any section"},
	[DIAG_QUESTION_SEQUENCE] = {"question-sequence", "expected Q%d (questions are numbered across the guide); found Q%d; 'depthbook fmt' renumbers"},
	[DIAG_ANSWER_MISSING] = {"answer-missing", "Q%d has no '**Answer:**' (or '**A:**') before %s; it starts with %s"},
	[DIAG_ANSWER_EMPTY] = {"answer-empty", "Q%d's '**Answer:**' is empty"},
	[DIAG_DEPTH_OUTSIDE] = {"depth-outside", "Depth %d is outside any question"},
	[DIAG_DEPTH_SEQUENCE] = {"depth-sequence", "Depth %d follows %s in Q%d (%s)%s"},
	[DIAG_QA_MISSING] = {"qa-missing", "Q%d Depth %d has no '**%s**'%s"},
	[DIAG_QA_DUPLICATE] = {"qa-duplicate", "Q%d Depth %d has a second '**%s**' (expected exactly one)"},
	[DIAG_QA_ORDER] = {"qa-order", "Q%d Depth %d: expected '**Q:**' first, then '**A:**'; found %s"},
	[DIAG_QA_EMPTY] = {"qa-empty", "Q%d Depth %d: '**%s**' is empty"},
	[DIAG_LINK_TARGET] = {"link-target", "link to '%s': no unit with id '%s' in %s"},
	[DIAG_LINK_GUIDE] = {"link-guide", "link to '%s': no guide '%s' in the content"},
	[DIAG_LINK_SLUG] = {"link-slug", "link to '#%s' uses heading text; use the stable id '#%s'"},
	[DIAG_LINK_OUTSIDE] = {"link-outside", "%s '%s' reaches outside the content directory"},
	[DIAG_LINK_CLASH] = {"link-clash", "%s '%s' would be published as site/files/%s, which %s already names for another file; rename one of them"},
	[DIAG_LINK_MISSING] = {"link-missing", "%s '%s' names a file that does not exist"},
	[DIAG_LINK_NOT_FILE] = {"link-not-file", "%s '%s' names a %s, not a file the build can copy"},
	[DIAG_LINK_UNSAFE] = {"link-unsafe", "%s '%s' uses the unsafe scheme '%s:'"},
	[DIAG_MATH_COMMAND] = {"math-command", "math command \\%s is not on the math whitelist"},
	[DIAG_GUIDE_SLUG] = {"guide-slug", "guide slug '%s' is already used by %s"},
	[DIAG_GUIDE_ID] = {"guide-id", "guide id '%s' is already %s's (its front matter id, or its slug when it has none); the deck and the book tell guides apart by it: give this guide another id"},
	[DIAG_GUIDE_RESERVED] = {"guide-slug", "guide slug '%s' is a name the outputs keep for the whole library (assets, files, search, review, guides, library: site/assets/, anki/library.apkg …); rename the file"},
	[DIAG_GUIDE_OUTSIDE] = {"link-outside", "guide file is a symbolic link that leaves the content directory (to %s)"},
	[DIAG_NESTING] = {"nesting", "lists, quotes or emphasis nest more than %d levels deep here; XML and e-readers refuse such documents"},
	[DIAG_MATH_CARET] = {"math-command", "TeX's '^^' character notation is not allowed in math (it can spell any command)"},
	[DIAG_CARDS_LATEX] = {"cards-latex", "LaTeX could not typeset the card %s: %s"},
	[DIAG_CARDS_CHAR] = {"cards-char", "no card font can print '%s' (U+%s) in %s; it would print as a blank"},
	[DIAG_DEPTH_HEADING] = {"depth-heading", "heading \"%s\" looks like a follow-up but is not spelled as one; expected 'Depth N', 'Follow-up Depth N', 'Follow-up N', 'Depth N: title' or 'Depth N — title'"},
	[DIAG_DEPTH_UNNAMED] = {"depth-heading", "heading \"%s\" opens a '**Q:**' as a follow-up does, but is not a follow-up heading; write 'Depth %d' (or 'Depth %d: %s'), or take the '**Q:**' away"},
	[DIAG_DEPTH_LEFT_OUT] = {"depth-heading", "'**Q:**' in Q%d's main answer opens no follow-up: a follow-up starts with its heading ('#### Depth N') on a line of its own before it"},
	[DIAG_DEPTH_NESTED] = {"depth-nested", "heading \"%s\" is inside %s, so it is no follow-up (its Q and A stay part of the text around it); a follow-up heading starts its own line, outside quotes and lists"},
	[DIAG_HEADING_SPACE] = {"heading-char", "heading \"%s\" has a %s where the format needs a plain space; type an ordinary space"},
	[DIAG_UNIT_ID] = {"unit-id", "%s"},
	[DIAG_MATH_NESTING] = {"nesting", "math nests braces, scripts or roots more than %d levels deep here; XML and e-readers refuse such documents"},
	[DIAG_READ] = {"read", "%s"},
	[DIAG_INTERNAL] = {"internal", "%s"},
	[DIAG_CARDS_NO_LATEX] = {"cards-latex", "%s not found: the flashcards need it (apt-get install %s), or build with --only html,epub,anki"},
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
static int quiet;          /* --quiet: diagnostics only */
static int progress_on;    /* a progress line may be drawn (diag_progress_start) */
static int progress_shown; /* one is on the terminal now */

/* Colour as GCC does it, on a terminal only: never when NO_COLOR is set
 * (no-color.org: present and not empty), for TERM=dumb, or into a pipe.
 * The escapes are GCC's own: SGR then "erase to end of line". */
static int colour(void)
{
	static int decided = -1;
	if (decided < 0) {
		const char *no = getenv("NO_COLOR");
		const char *term = getenv("TERM");
		decided = isatty(STDERR_FILENO) && (no == NULL || *no == '\0') &&
		          (term == NULL || strcmp(term, "dumb") != 0);
	}
	return decided;
}

#define SGR_LOCUS "\033[01m\033[K"
#define SGR_ERROR "\033[01;31m\033[K"
#define SGR_WARNING "\033[01;35m\033[K"
#define SGR_END "\033[m\033[K"

void diag_quiet(int on)
{
	quiet = on;
}

void diag_progress_start(void)
{
	/* a terminal that can move its cursor; NO_COLOR is about colour only */
	const char *term = getenv("TERM");
	progress_on = !quiet && isatty(STDERR_FILENO) && (term == NULL || strcmp(term, "dumb") != 0);
}

void diag_progress(const char *stage, size_t done, size_t total)
{
	if (!progress_on)
		return;
	/* one line, rewritten in place: carriage return, then erase it */
	if (total > 0)
		fprintf(stderr, "\r\033[Kdepthbook: %zu/%zu guides · %s", done, total, stage);
	else
		fprintf(stderr, "\r\033[Kdepthbook: %s", stage);
	fflush(stderr);
	progress_shown = 1;
}

void diag_progress_end(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = 0;
}

/* Prints one diagnostic: locus ("file:line:col" or "file"), level name,
 * message and rule, coloured on a terminal. */
static void print_one(const char *locus, size_t locus_len, const char *level, const char *message,
                      size_t message_len, const char *rule, size_t rule_len)
{
	int c = colour();
	const char *sgr = strcmp(level, "warning") == 0 ? SGR_WARNING : SGR_ERROR;
	fprintf(stderr, "%s%.*s:%s %s%s:%s %.*s", c ? SGR_LOCUS : "", (int)locus_len, locus, c ? SGR_END : "",
	        c ? sgr : "", level, c ? SGR_END : "", (int)message_len, message);
	if (rule != NULL)
		fprintf(stderr, " [%s%.*s%s]", c ? sgr : "", (int)rule_len, rule, c ? SGR_END : "");
	fputc('\n', stderr);
}

void diag_print_line(const char *line, size_t len)
{
	diag_progress_end();
	const char *levels[] = {": error: ", ": warning: "};
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(levels[i]);
		for (size_t at = 0; at + n <= len; at++) {
			if (memcmp(line + at, levels[i], n) != 0)
				continue;
			const char *msg = line + at + n;
			size_t msg_len = len - at - n;
			const char *rule = NULL;
			size_t rule_len = 0;
			if (msg_len > 0 && msg[msg_len - 1] == ']') {
				const char *open = msg + msg_len - 1;
				while (open > msg && *open != '[')
					open--;
				if (*open == '[' && open > msg && open[-1] == ' ') {
					rule = open + 1;
					rule_len = (size_t)(msg + msg_len - 1 - rule);
					msg_len = (size_t)(open - 1 - msg);
				}
			}
			print_one(line, at, i == 0 ? "error" : "warning", msg, msg_len, rule, rule_len);
			return;
		}
	}
	fprintf(stderr, "%.*s\n", (int)len, line);
}

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
	XGROW(diags, ndiags, capdiags);
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
	if (ndiags > 0)
		diag_progress_end();
	for (size_t i = 0; i < ndiags; i++) {
		const struct diag *d = &diags[i];
		char *locus = d->line > 0 ? xasprintf("%s:%d:%d", d->file, d->line, d->col > 0 ? d->col : 1)
		                          : xstrdup(d->file);
		const char *rule = table[d->id].rule;
		print_one(locus, strlen(locus), level_name(diag_level(d->id)), d->message, strlen(d->message),
		          rule, strlen(rule));
		free(locus);
		free(d->file);
		free(d->message);
	}
	int errors = counts[DIAG_LEVEL_ERROR] + counts[DIAG_LEVEL_FATAL];
	int warnings = counts[DIAG_LEVEL_WARNING];
	if (!quiet && (always || ndiags > 0))
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

/* One diagnostic in the worker's memory file (parallel.c): four ints (id, line, col, the file name's
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
		/* Workers that met the same problem (a missing template, a full
		 * disk) each send it: report it once, as one process would. */
		size_t k = 0;
		while (k < ndiags && !(diags[k].id == (enum diag_id)w.id && diags[k].line == w.line &&
		                       diags[k].col == w.col && strcmp(diags[k].file, file) == 0 &&
		                       strcmp(diags[k].message, message) == 0))
			k++;
		if (k < ndiags) {
			free(file), free(message);
			continue;
		}
		XGROW(diags, ndiags, capdiags);
		diags[ndiags] = (struct diag){file, w.line, w.col, (enum diag_id)w.id, ndiags, message};
		ndiags++;
		counts[diag_level((enum diag_id)w.id)]++;
	}
}
