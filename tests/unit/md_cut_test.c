/* md_cut_test.c: parsing a guide in two parts (gen/md.c). Where md_cut
 * cuts and where it refuses to, and, for documents whose first part ends
 * in each kind of block (fenced code and HTML blocks left open among
 * them), that the joined tree is the whole parse's, source positions
 * included, as cmark-gfm's XML shows it. */
#define _POSIX_C_SOURCE 200809L
#include "../../gen/md.h"
#include "../../gen/util.h"
#include "check.h"
#include "tree_xml.h"

#include <stdlib.h>

/* text, then filler paragraphs until the first part is over half. */
static char *document(const char *first, const char *second)
{
	struct buf b = {0};
	buf_puts(&b, "# Title\n\nSome *intro* with \"quotes\" -- and $x^2$ math.\n\n");
	for (int i = 0; i < 40; i++)
		buf_printf(&b, "Paragraph %d with `code`, ~~struck~~, https://example.org/%d and 'smart' quotes.\n\n", i, i);
	buf_puts(&b, first);
	buf_puts(&b, second);
	return buf_take(&b);
}

static char *xml(const char *text, size_t cut)
{
	return tree_xml(md_parse_cut(text, strlen(text), 1, cut));
}

/* The tree from the cut parse equals the whole parse's. */
static void same_tree(const char *name, const char *text, int want_cut)
{
	size_t cut = md_cut(text, strlen(text));
	char label[200];
	snprintf(label, sizeof label, "%s: md_cut %s", name, want_cut ? "cuts" : "does not cut");
	CHECK(label, want_cut ? cut > 0 : cut == 0);
	char *whole = xml(text, 0), *parts = xml(text, cut);
	snprintf(label, sizeof label, "%s: the parts' tree is the whole's", name);
	CHECK(label, strcmp(whole, parts) == 0);
	if (strcmp(whole, parts) != 0)
		printf("--- whole\n%s\n--- parts\n%s\n", whole, parts);
	free(whole);
	free(parts);
}

static const struct {
	const char *name, *end_of_first, *second;
	int cut;
} cases[] = {
	{"paragraph", "Last paragraph.\n\n", "## Next\n\nText.\n", 1},
	{"open list", "- one\n- two\n\n  more of two\n\n", "### Q2: Next\n\n- three\n", 1},
	{"ordered list", "1. one\n2. two\n\n", "## Next\n\n3. three\n", 1},
	{"block quote", "> quoted\n> more\n\n", "## Next\n\n> again\n", 1},
	{"table", "| a | b |\n|---|---|\n| 1 | $y$ |\n\n", "## Next\n\n| c |\n|---|\n| 2 |\n", 1},
	{"closed fence", "```c\nint x;\n```\n\n", "## Next\n\ntext\n", 1},
	{"indented code", "    code\n    more\n\n", "## Next\n\ntext\n", 1},
	{"task list", "- [ ] todo\n- [x] done\n\n", "## Next\n\n- [x] also\n", 1},
	/* cut, but the first part's open block sends the parse back to one part */
	{"open fence", "```\nnot closed\n\n", "## Not a heading\n\n```\n\nafter\n", 1},
	{"open tilde fence in a list", "- item\n\n  ~~~\n  code\n\n", "## Next\n\ntext\n", 1},
	{"open HTML comment", "<!--\ncomment\n\n", "## Not a heading\n\n-->\n\nafter\n", 1},
	{"open pre block", "<pre>\nraw\n\n", "## Not a heading\n</pre>\n\nafter\n", 1},
	{"HTML block closed by a blank line", "<div>\nhello\n\n", "## Next\n\ntext\n", 1},
	/* no cut */
	{"no heading after the middle", "", "Just text.\n", 0},
	{"heading without a blank line before", "Text\n", "## Next\n\nmore\n", 0},
	{"reference definition", "[a]: https://example.org\n\n", "## Next\n\nSee [a].\n", 0},
	{"lone carriage return", "Text\r\r", "## Next\n\nmore\n", 0},
	{"crlf line ends", "Text\r\n\r\n", "## Next\r\n\r\nmore\r\n", 1},
};

int main(void)
{
	/* two threads at any size, as md_parse uses for a large guide */
	setenv("DEPTHBOOK_JOBS", "2", 1);
	CHECK("cmark-gfm calls md's special-character count, so threads are safe", md_threads_safe());

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = document(cases[i].end_of_first, cases[i].second);
		same_tree(cases[i].name, text, cases[i].cut);
		free(text);
	}

	/* Where the cut lands: the heading's line start. */
	char *text = document("Last.\n\n", "## Next\n\nText.\n");
	size_t cut = md_cut(text, strlen(text));
	CHECK("the cut is at the heading", cut > 0 && strncmp(text + cut, "## Next\n", 8) == 0);
	free(text);
	CHECK("no cut in an empty text", md_cut("", 0) == 0);

	/* Both threads parse inlines at once: the extensions' characters must
	 * stay on until both are done (the count in gen/md.c). A large text
	 * dense with them, parsed again and again, catches a thread that
	 * turns them off under the other. */
	struct buf big = {0};
	for (int half = 0; half < 2; half++) {
		for (int i = 0; i < (half == 0 ? 1500 : 1400); i++)
			buf_printf(&big, "Line %d: ~~gone~~ $a_%d$ www.example.org ~~x~~ $b$ https://e.org/%d\n\n", i, i, i);
		if (half == 0)
			buf_puts(&big, "## Half\n\n");
	}
	char *dense = buf_take(&big);
	size_t dense_cut = md_cut(dense, strlen(dense));
	char *want = xml(dense, 0);
	int same = dense_cut > 0;
	for (int round = 0; round < 8 && same; round++) {
		char *got = xml(dense, dense_cut);
		same = strcmp(got, want) == 0;
		free(got);
	}
	CHECK("two threads parsing strikethrough, autolinks and math at once agree with one", same);
	free(want);
	free(dense);

	/* The seed guide, cut as md_parse cuts it. */
	FILE *f = fopen("content/ops-architecture-deep-dive.md", "rb");
	CHECK("the seed guide opens", f != NULL);
	if (f != NULL) {
		struct buf b = {0};
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_put(&b, chunk, n);
		fclose(f);
		char *seed = buf_take(&b);
		same_tree("seed guide", seed, 1);
		free(seed);
	}
	md_release();
	return check_failures != 0;
}
