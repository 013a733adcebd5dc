/* fmt.c: `depthbook fmt`, the canonical rewrite of a guide in the manner
 * of gofmt: sections, questions and Depths renumbered by their place, each
 * Depth at its heading level, the accepted variant spellings turned into
 * the canonical ones (unless --keep-variants), and every link to a
 * positional id that moved rewritten with it. Nothing else changes: every
 * edit is inside one line, so a file keeps its lines and --check can print
 * them one for one. Written as a temporary file in the same directory and
 * renamed over the guide, keeping its mode. */
#define _DEFAULT_SOURCE /* realpath */
#define _POSIX_C_SOURCE 200809L
#include "fmt.h"
#include "diag.h"
#include "link.h"
#include "load.h"
#include "md.h"
#include "model.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One replacement in a file: bytes [offset, offset + len) become text. */
struct edit {
	size_t offset, len;
	char *text;
};

/* A guide being formatted: its raw bytes, where each line starts, the
 * model, and the edits found so far. */
struct file {
	const char *path;
	char *raw;
	size_t len;
	size_t *lines; /* lines[k]: offset of line k + 1 */
	size_t nlines;
	struct model_guide *g;
	struct edit *edits;
	size_t nedits, cap;
	size_t inline_done;   /* the offset of the last inline link's edit */
	int continuous;
	int *section_number;  /* new numbers, by unit */
	int **depth_number;   /* [question][depth] */
};

/* Where the line that starts at i in s[0..n) ends: the offset of its line
 * ending (LF, CRLF or a lone CR, as CommonMark and the check count lines),
 * or n. *next gets where the next line starts, n + 1 after the last. */
static size_t line_end(const char *s, size_t n, size_t i, size_t *next)
{
	while (i < n && s[i] != '\n' && s[i] != '\r')
		i++;
	*next = i < n ? i + 1 + (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') : n + 1;
	return i;
}

static void index_lines(struct file *f)
{
	size_t cap = 0;
	f->lines = NULL;
	XGROW(f->lines, 0, cap);
	f->lines[0] = 0;
	f->nlines = 1;
	size_t next;
	for (size_t i = 0; line_end(f->raw, f->len, i, &next), next <= f->len; i = next) {
		XGROW(f->lines, f->nlines, cap);
		f->lines[f->nlines++] = next;
	}
}

/* The bytes of line (1-based) without its line end; *n is their count. */
static const char *line_at(const struct file *f, int line, size_t *n)
{
	if (line < 1 || (size_t)line > f->nlines) {
		*n = 0;
		return NULL;
	}
	size_t start = f->lines[line - 1], next;
	*n = line_end(f->raw, f->len, start, &next) - start;
	return f->raw + start;
}

static void add_edit(struct file *f, size_t offset, size_t len, char *text)
{
	if (len == strlen(text) && memcmp(f->raw + offset, text, len) == 0) {
		free(text);
		return;
	}
	XGROW(f->edits, f->nedits, f->cap);
	f->edits[f->nedits++] = (struct edit){offset, len, text};
}

/* An ATX heading line split into its marker ("###"), its content (the
 * heading text as typed, without the closing sequence) and that closing
 * sequence with the spaces before it. Returns 0 for anything else (a
 * setext heading: rewrite_heading). */
struct atx {
	size_t indent, hashes;        /* leading spaces, then '#'s */
	size_t content, content_len;  /* offsets in the line */
	size_t closing;               /* where the closing sequence starts (= end of content) */
};

/* end moved back over the blanks before it, not before start */
static size_t trim_blanks(const char *s, size_t start, size_t end)
{
	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	return end;
}

static int split_atx(const char *s, size_t n, struct atx *a)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	a->indent = i;
	size_t h = 0;
	while (i + h < n && s[i + h] == '#')
		h++;
	if (h == 0 || h > 6 || (i + h < n && s[i + h] != ' ' && s[i + h] != '\t'))
		return 0;
	a->hashes = h;
	i += h;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	a->content = i;
	size_t end = trim_blanks(s, i, n);
	/* an optional closing sequence of '#'s after a space (CommonMark 4.2) */
	size_t k = end;
	while (k > i && s[k - 1] == '#')
		k--;
	if (k < end && (k == i || s[k - 1] == ' ' || s[k - 1] == '\t'))
		end = trim_blanks(s, i, k);
	a->content_len = end - i;
	a->closing = end;
	return 1;
}

/* Replaces the first run of digits in text with number (for
 * --keep-variants, which keeps the author's spelling). Caller frees. */
static char *renumber_in_place(const char *text, int number)
{
	size_t at = strcspn(text, "0123456789");
	if (text[at] == '\0')
		return xstrdup(text);
	size_t digits = strspn(text + at, "0123456789");
	return xasprintf("%.*s%d%s", (int)at, text, number, text + at + digits);
}

/* A one-line setext heading of level (1 or 2), text s[0..n) over the
 * underline u[0..un) of '=' or '-' (up to three spaces, a run of them,
 * trailing blanks), split as split_atx does (no hashes, no closing
 * sequence). Returns 0 for anything else. */
static int split_setext(const char *s, size_t n, const char *u, size_t un, int level, struct atx *a)
{
	char c = level == 1 ? '=' : '-';
	size_t i = 0;
	while (i < un && i < 3 && u[i] == ' ')
		i++;
	size_t run = 0;
	while (i < un && u[i] == c)
		i++, run++;
	if (level > 2 || run == 0 || trim_blanks(u, 0, un) != i)
		return 0;
	a->indent = 0;
	while (a->indent < n && a->indent < 3 && s[a->indent] == ' ')
		a->indent++;
	a->hashes = 0;
	a->content = a->indent;
	a->closing = trim_blanks(s, a->content, n);
	a->content_len = a->closing - a->content;
	return 1;
}

/* What a heading is rewritten to: its new number, and whether the
 * author's spelling is kept (--keep-variants). */
struct shaping {
	int number;
	int keep;
};

/* Rewrites the heading at line as "<level hashes> <content>", content
 * made by shape() from the heading's text as typed (without its "{#id}",
 * which is put back). A one-line setext heading ("Section 3: Title" over
 * "---") becomes an ATX one and its underline a blank line, so that the
 * file keeps its lines; with c->keep set, it stays setext, its text
 * shaped in place. A setext heading of several lines is left as it is. */
static void rewrite_heading(struct file *f, int line, int level, char *(*shape)(const char *, const struct shaping *),
                            const struct shaping *c)
{
	size_t n, un = 0;
	const char *s = line_at(f, line, &n);
	const char *under = NULL;
	struct atx a;
	if (s == NULL)
		return;
	if (!split_atx(s, n, &a) &&
	    ((under = line_at(f, line + 1, &un)) == NULL || !split_setext(s, n, under, un, level, &a)))
		return;
	char *content = xstrndup(s + a.content, a.content_len);
	char *id = NULL;
	size_t cut = model_attribute(content, &id);
	char *attr = xstrdup(content + cut);
	content[cut] = '\0';
	char *body = shape(content, c);
	if (body != NULL && under != NULL && c->keep) {
		add_edit(f, (size_t)(s - f->raw) + a.content, a.content_len, xasprintf("%s%s", body, attr));
	} else if (body != NULL) {
		char hashes[7] = "######";
		hashes[level] = '\0';
		char *text = xasprintf("%.*s%s %s%s", (int)a.indent, s, hashes, body, attr);
		add_edit(f, (size_t)(s - f->raw), a.closing, text);
		if (under != NULL)
			add_edit(f, (size_t)(under - f->raw), un, xstrdup(""));
	}
	free(body);
	free(attr);
	free(id);
	free(content);
}

static char *section_shape(const char *content, const struct shaping *c)
{
	const char *title;
	int n = model_parse_section(content, &title);
	if (c->keep)
		return n < 0 ? xstrdup(content) : renumber_in_place(content, c->number);
	return xasprintf("%d. %s", c->number, title);
}

static char *question_shape(const char *content, const struct shaping *c)
{
	const char *title;
	if (model_parse_question(content, &title) < 0)
		return NULL;
	if (c->keep)
		return renumber_in_place(content, c->number);
	return xasprintf("Q%d: %s", c->number, title);
}

static char *depth_shape(const char *content, const struct shaping *c)
{
	const char *title;
	if (model_parse_depth(content, &title) < 0)
		return NULL; /* a misspelt one: check says what is wrong */
	if (c->keep)
		return renumber_in_place(content, c->number);
	if (title != NULL)
		return xasprintf("Depth %d: %s", c->number, title);
	return xasprintf("Depth %d", c->number);
}

/* The numbers fmt gives: sections and questions by place, follow-ups by
 * place in their chain, or counted across the guide when its numbering
 * continues (declared, consistent, or visibly meant: a later chain that
 * does not start at 1). */
static void number_units(struct file *f)
{
	struct model_guide *g = f->g;
	int continuous = g->continuous;
	const char *declared = g->file->meta.depth_numbering;
	if (declared == NULL && !continuous) {
		int chains = 0;
		for (size_t i = 0; i < g->nquestions; i++)
			if (g->questions[i]->ndepths > 0 && chains++ > 0 && g->questions[i]->depths[0]->number > 1)
				continuous = 1;
	}
	f->continuous = continuous;
	f->section_number = xcalloc(g->nsections + 1, sizeof *f->section_number);
	for (size_t i = 0; i < g->nsections; i++)
		f->section_number[i] = (int)i + 1;
	f->depth_number = xcalloc(g->nquestions + 1, sizeof *f->depth_number);
	int running = 0;
	for (size_t i = 0; i < g->nquestions; i++) {
		struct model_question *q = g->questions[i];
		f->depth_number[i] = xcalloc(q->ndepths + 1, sizeof **f->depth_number);
		for (size_t k = 0; k < q->ndepths; k++)
			f->depth_number[i][k] = continuous ? ++running : (int)k + 1;
	}
}

/* Replaces the marker written from at line:col with to, when it is there. */
static void respell_marker(struct file *f, int line, int col, const char *from, const char *to)
{
	size_t n, len = strlen(from);
	const char *s = line_at(f, line, &n);
	size_t at = (size_t)col - 1;
	if (s != NULL && col > 0 && at + len <= n && memcmp(s + at, from, len) == 0)
		add_edit(f, (size_t)(s - f->raw) + at, len, xstrdup(to));
}

static void rewrite_headings(struct file *f, int keep)
{
	struct model_guide *g = f->g;
	for (size_t i = 0; i < g->nsections; i++) {
		struct shaping c = {f->section_number[i], keep};
		rewrite_heading(f, g->sections[i]->line, 2, section_shape, &c);
	}
	for (size_t i = 0; i < g->nquestions; i++) {
		struct model_question *q = g->questions[i];
		struct shaping c = {(int)i + 1, keep};
		rewrite_heading(f, q->line, 3, question_shape, &c);
		for (size_t k = 0; k < q->ndepths; k++) {
			if (q->depths[k]->misspelt)
				continue;
			struct shaping dc = {f->depth_number[i][k], keep};
			int place = (int)k + 1;
			rewrite_heading(f, q->depths[k]->line, place + 3 > 6 ? 6 : place + 3, depth_shape, &dc);
		}
		if (keep)
			continue;
		/* "**A:**", "**A**:" and "**Answer**:" opening a main answer are
		 * spelled "**Answer:**"; a follow-up's "**Q**:" is "**Q:**" */
		const char *from = q->answer_marker == 'A' ? (q->answer_outside ? "**A**:" : "**A:**")
		                   : q->answer_outside     ? "**Answer**:"
		                                           : NULL;
		if (from)
			respell_marker(f, q->answer_line, q->answer_col, from, "**Answer:**");
		for (size_t k = 0; k < q->ndepths; k++)
			for (size_t m = 0; m < q->depths[k]->nmarkers; m++) {
				const struct model_marker *mk = &q->depths[k]->markers[m];
				if (mk->outside)
					respell_marker(f, mk->line, mk->col, mk->kind == 'Q' ? "**Q**:" : "**A**:",
					               mk->kind == 'Q' ? "**Q:**" : "**A:**");
			}
	}
}

/* The file of files that g belongs to, or NULL. */
static struct file *file_of(struct file *files, size_t nfiles, const struct model_guide *g)
{
	for (size_t i = 0; i < nfiles; i++)
		if (files[i].g == g)
			return &files[i];
	return NULL;
}

/* The positional id the target of a link will have after formatting. */
static void new_id(const struct file *t, const struct link_target *to, char *buf, size_t size)
{
	if (to->depth != NULL) {
		size_t k = (size_t)to->depth->position - 1;
		snprintf(buf, size, "q%zu-d%d", to->question->index + 1, t->depth_number[to->question->index][k]);
	} else if (to->question != NULL) {
		snprintf(buf, size, "q%zu", to->question->index + 1);
	} else {
		size_t i = 0;
		while (t->g->sections[i] != to->section)
			i++;
		snprintf(buf, size, "s%d", t->section_number[i]);
	}
}

/* 1 if the bytes at q are url, as a destination: followed by its end. */
static int url_at(const struct file *f, size_t q, const char *url, size_t ulen)
{
	if (q + ulen > f->len || memcmp(f->raw + q, url, ulen) != 0)
		return 0;
	char after = q + ulen < f->len ? f->raw[q + ulen] : '\0';
	return after == ')' || after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '\r' ||
	       after == '\0';
}

/* An inline link's destination ends its text: the last "(url" on the
 * line where the link ends, up to that end, after the place the link
 * before it was edited (cmark-gfm's end column skips a paragraph's
 * continuation indent, so the indent is added back). Edits its fragment
 * to id; 1 if found. */
static int edit_inline(struct file *f, const struct model_link *l, const char *fragment, const char *id)
{
	size_t en;
	const char *e = line_at(f, l->end_line, &en);
	if (e == NULL)
		return 0;
	size_t line = (size_t)(e - f->raw), ulen = strlen(l->url), flen = strlen(fragment);
	size_t to = strspn(e, " \t") + (size_t)(l->end_col > 0 ? l->end_col : 0);
	to = line + (to < en ? to : en);
	for (size_t q = to; q-- > line + 1 && q > f->inline_done;)
		if ((f->raw[q - 1] == '(' || f->raw[q - 1] == '<') && url_at(f, q, l->url, ulen)) {
			add_edit(f, q + ulen - flen, flen, xstrdup(id));
			f->inline_done = q;
			return 1;
		}
	return 0;
}

/* A reference link's destination is in its definition ("[label]: url"):
 * every definition line outside a fenced code block whose destination is
 * url is edited to id (the same target, so the same new id). 1 if any. */
static int edit_definitions(struct file *f, const char *url, const char *fragment, const char *id)
{
	size_t ulen = strlen(url), flen = strlen(fragment);
	int found = 0;
	char fence = 0;
	for (size_t k = 1; k <= f->nlines; k++) {
		size_t n;
		const char *s = line_at(f, (int)k, &n);
		size_t sp = 0;
		while (sp < n && sp < 4 && s[sp] == ' ')
			sp++;
		if (sp < 4 && n - sp >= 3 && (s[sp] == '`' || s[sp] == '~') && s[sp + 1] == s[sp] && s[sp + 2] == s[sp]) {
			fence = fence == 0 ? s[sp] : (fence == s[sp] ? 0 : fence);
			continue;
		}
		if (fence != 0 || sp >= 4 || sp >= n || s[sp] != '[')
			continue;
		const char *close = memchr(s + sp, ']', n - sp);
		if (close == NULL || close + 1 >= s + n || close[1] != ':')
			continue;
		const char *d = close + 2;
		while (d < s + n && (*d == ' ' || *d == '\t'))
			d++;
		d += d < s + n && *d == '<';
		size_t q = (size_t)(d - f->raw);
		if (!url_at(f, q, url, ulen))
			continue;
		size_t at = q + ulen - flen;
		int taken = 0;
		for (size_t e = 0; e < f->nedits && !taken; e++)
			taken = f->edits[e].offset == at;
		if (!taken)
			add_edit(f, at, flen, xstrdup(id));
		found = 1;
	}
	return found;
}

/* Rewrites every link of f whose fragment is a positional id of a unit
 * (in f or in another file being formatted) that gets a new number, where
 * its destination is written: inline (edit_inline) or in its reference
 * definitions (edit_definitions). Returns the number of links whose
 * destination it could not find (each reported). */
static int rewrite_links(struct file *f, struct file *files, size_t nfiles,
                         const struct model_library *lib)
{
	struct model_guide *g = f->g;
	int lost = 0;
	for (size_t i = 0; i < g->nlinks; i++) {
		const struct model_link *l = &g->links[i];
		struct link_target to;
		if (l->is_image || link_resolve(lib, g, l->url, &to) != LINK_UNIT || to.fragment == NULL ||
		    !link_id_positional(to.fragment))
			continue;
		struct file *t = file_of(files, nfiles, to.guide);
		if (t == NULL)
			continue;
		char id[64];
		new_id(t, &to, id, sizeof id);
		if (strcmp(id, to.fragment) == 0)
			continue;
		if (!edit_inline(f, l, to.fragment, id) && !edit_definitions(f, l->url, to.fragment, id)) {
			fprintf(stderr, "%s:%d:%d: error: cannot find where this link's destination '%s' is written, "
			        "to make it '#%s'; nothing is rewritten\n", f->path, l->line, l->col, l->url, id);
			lost++;
		}
	}
	return lost;
}

static int by_offset(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The file with every edit applied; caller frees. */
static char *apply(struct file *f, size_t *len)
{
	if (f->nedits > 1)
		qsort(f->edits, f->nedits, sizeof *f->edits, by_offset);
	struct buf b = {0};
	size_t at = 0;
	for (size_t i = 0; i < f->nedits; i++) {
		const struct edit *e = &f->edits[i];
		if (e->offset < at)
			continue; /* overlapping (should not happen): keep the first */
		buf_put(&b, f->raw + at, e->offset - at);
		buf_puts(&b, e->text);
		at = e->offset + e->len;
	}
	buf_put(&b, f->raw + at, f->len - at);
	*len = b.len;
	if (b.data == NULL)
		return xstrdup("");
	return buf_take(&b);
}

/* Prints the lines that differ, as a unified diff with one-line hunks
 * (fmt never adds or removes a line). */
static void print_diff(const char *path, const char *a, size_t alen, const char *b, size_t blen)
{
	printf("--- %s\n+++ %s (formatted)\n", path, path);
	size_t i = 0, j = 0;
	int line = 1;
	while (i < alen || j < blen) {
		size_t inext, jnext;
		size_t ie = line_end(a, alen, i, &inext), je = line_end(b, blen, j, &jnext);
		if (ie - i != je - j || memcmp(a + i, b + j, ie - i) != 0)
			printf("@@ -%d +%d @@\n-%.*s\n+%.*s\n", line, line, (int)(ie - i), a + i, (int)(je - j), b + j);
		i = inext;
		j = jnext;
		line++;
	}
}

/* Writes data over the guide at path, which stays the file it was: a
 * symbolic link's target is written, not the link replaced by a copy.
 * Atomically, as a temporary file beside the target with its mode and
 * owner, then rename; but a file with other hard links is rewritten in
 * place, as editors do, so that every name still shows the new text.
 * Returns 0 or -1 with a message. */
static int replace_file(const char *path, const char *data, size_t len)
{
	struct stat st;
	char real[PATH_MAX];
	if (stat(path, &st) != 0 || realpath(path, real) == NULL) {
		fprintf(stderr, "depthbook fmt: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (st.st_nlink > 1) {
		int fd = open(real, O_WRONLY | O_TRUNC | O_CLOEXEC);
		int ok = fd >= 0 && write_full(fd, data, len) == 0 && fsync(fd) == 0;
		if (fd >= 0)
			ok = close(fd) == 0 && ok;
		if (!ok)
			fprintf(stderr, "depthbook fmt: %s: %s\n", path, strerror(errno));
		return ok ? 0 : -1;
	}
	char *tmp = xasprintf("%s.fmt-XXXXXX", real);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "depthbook fmt: %s: cannot create a temporary file beside it: %s\n", path,
		        strerror(errno));
		free(tmp);
		return -1;
	}
	if (fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM) {
		fprintf(stderr, "depthbook fmt: %s: %s\n", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	int ok = write_full(fd, data, len) == 0 && fchmod(fd, st.st_mode & 07777) == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, real) != 0) {
		fprintf(stderr, "depthbook fmt: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static const char usage[] = "usage: depthbook fmt [--check] [--keep-variants] FILE…\n";

int fmt_main(int argc, char **argv)
{
	int check = 0, keep = 0;
	size_t nfiles = 0;
	struct file *files = xcalloc((size_t)argc + 1, sizeof *files);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check = 1;
		else if (strcmp(argv[i], "--keep-variants") == 0)
			keep = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "depthbook fmt: unknown option '%s'\n%s", argv[i], usage);
			free(files);
			return 2;
		} else
			files[nfiles++].path = argv[i];
	}
	if (nfiles == 0) {
		fprintf(stderr, "depthbook fmt: no file given\n%s", usage);
		free(files);
		return 2;
	}
	struct model_library lib = {0};
	int status = 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct file *f = &files[i];
		f->raw = read_whole(f->path, &f->len);
		const char *slash = strrchr(f->path, '/');
		char *root = slash ? xstrndup(f->path, (size_t)(slash - f->path)) : xstrdup(".");
		struct load_file *lf = f->raw ? load_file(f->path, root) : NULL;
		free(root);
		if (lf == NULL) {
			/* unreadable (2), or bytes check refuses (1, as check): no
			 * file is rewritten then */
			if (f->raw == NULL) {
				diag_report(DIAG_READ, f->path, 0, 0, strerror(errno));
				status = 2;
			} else if (status == 0) {
				status = 1;
			}
			continue;
		}
		/* no smart punctuation: headings are read as typed */
		f->g = model_build(lf, 0);
		model_library_add(&lib, f->g);
		index_lines(f);
		number_units(f);
	}
	if (status == 0) {
		for (size_t i = 0; i < nfiles; i++) {
			rewrite_headings(&files[i], keep);
			if (rewrite_links(&files[i], files, nfiles, &lib) != 0)
				status = 1; /* a link would point elsewhere: no file is written */
		}
		for (size_t i = 0; i < nfiles && (status == 0 || check); i++) {
			struct file *f = &files[i];
			size_t len;
			char *out = apply(f, &len);
			int same = len == f->len && memcmp(out, f->raw, len) == 0;
			if (!same && check) {
				print_diff(f->path, f->raw, f->len, out, len);
				status = 1;
			} else if (!same && replace_file(f->path, out, len) != 0) {
				status = 2;
			}
			free(out);
		}
	}
	int d = diag_flush(0, 0);
	for (size_t i = 0; i < nfiles; i++) {
		struct file *f = &files[i];
		for (size_t e = 0; e < f->nedits; e++)
			free(f->edits[e].text);
		free(f->edits);
		if (f->g)
			for (size_t k = 0; k < f->g->nquestions; k++)
				free(f->depth_number[k]);
		free(f->depth_number);
		free(f->section_number);
		free(f->lines);
		free(f->raw);
	}
	free(files);
	model_library_free(&lib);
	return status ? status : d == 2 ? 2 : 0;
}
