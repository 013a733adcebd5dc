/* md_test.c: md_html splices each renderer's links, math and code into
 * one shared render of a node, which must read as cmark-gfm's own render
 * of the tree those hooks used to rewrite, and leave the tree untouched. */
#include "../../gen/md.h"
#include "../../gen/util.h"
#include "check.h"

#include <stdlib.h>

static char *to_byte(const char *url, int is_image, void *ctx)
{
	(void)url, (void)is_image;
	return xasprintf("a%sb", (const char *)ctx);
}

static char *to_null(const char *url, int is_image, void *ctx)
{
	(void)url, (void)is_image, (void)ctx;
	return NULL;
}

static char *bracket(const char *tex, void *ctx)
{
	(void)ctx;
	return xasprintf("[%s]", tex);
}

/* A new string: cmark-gfm's HTML of "[x](u)" with u as the URL. */
static char *cmark_link(const char *u)
{
	cmark_node *doc = md_parse("[x](u)", 6, 0);
	cmark_node *link = cmark_node_first_child(cmark_node_first_child(doc));
	cmark_node_set_url(link, u);
	return cmark_render_html_with_mem(doc, CMARK_OPT_DEFAULT, NULL, cmark_get_default_mem_allocator());
}

/* Every byte of a rewritten URL is written as cmark-gfm writes it. */
static void test_href_bytes(void)
{
	int same = 1;
	for (int c = 1; c < 256 && same; c++) {
		char one[2] = {(char)c, '\0'};
		char *want_url = xasprintf("a%sb", one);
		char *want = cmark_link(want_url);
		cmark_node *doc = md_parse("[x](u)", 6, 0);
		struct md_hooks hooks = {.link = to_byte, .ctx = one};
		char *got = md_html(doc, 0, &hooks);
		if (strcmp(got, want) != 0) {
			printf("byte %d: got %s want %s", c, got, want);
			same = 0;
		}
		free(got), free(want), free(want_url);
	}
	CHECK("every byte of a hook's URL is escaped as cmark-gfm does", same);
}

static void test_shared(void)
{
	const char *md = "See [a](#q1 \"t\") and ![i [in](x.md) $y$](p.png), $x^2$ and `c`.\n\n"
	                 "```sh\necho $x\n```\n\n    plain <code>\n\n[bad](javascript:alert(1))\n";
	cmark_node *doc = md_parse(md, strlen(md), 0);
	char *plain = md_html(doc, 0, NULL);
	struct md_hooks keep = {.link = to_null, .math = bracket};
	char *kept = md_html(doc, 0, &keep);
	CHECK("a link the hook keeps is as written", strstr(kept, "<a href=\"#q1\" title=\"t\">a</a>") != NULL);
	CHECK("math goes through its hook", strstr(kept, " [x^2] and <code>c</code>") != NULL);
	CHECK("an unsafe link leads nowhere", strstr(kept, "<a href=\"\">bad</a>") != NULL);
	CHECK("an image's description is its alt text",
	      strstr(kept, "<img src=\"p.png\" alt=\"i in y\" />") != NULL);
	struct md_hooks swap = {.link = to_byte, .ctx = "&"};
	char *swapped = md_html(doc, 0, &swap);
	CHECK("a hook's URL replaces the destination", strstr(swapped, "<a href=\"a&amp;b\" title=\"t\">a</a>") != NULL &&
	      strstr(swapped, "<img src=\"a&amp;b\"") != NULL);
	char *again = md_html(doc, 0, NULL);
	CHECK_STR("rendering leaves the tree as it was", again, plain);
	CHECK("code blocks keep cmark-gfm's markup without a code hook",
	      strstr(plain, "<pre><code class=\"language-sh\">echo $x\n</code></pre>\n") != NULL);
	CHECK("a code block without a language is one piece",
	      strstr(plain, "<pre><code>plain &lt;code&gt;\n</code></pre>\n") != NULL);
	free(plain), free(kept), free(swapped), free(again);
}

/* LaTeX renders a copy: tables and task lists survive it, and the tree
 * stays as it was. */
static void test_latex(void)
{
	const char *md = "| a | b |\n|:-|-:|\n| `x` | $y$ |\n\n- [x] done\n- [ ] not ~~yet~~\n\n![alt *e*](p.png) [l](#q1)\n";
	cmark_node *doc = md_parse(md, strlen(md), 0);
	char *html = md_html(doc, 0, NULL);
	struct md_hooks hooks = {.link = to_byte, .math = bracket, .ctx = "rd:"}; /* a scheme, or no \href */
	char *tex = md_latex(doc, 0, &hooks);
	char *again = md_latex(doc, 0, &hooks);
	CHECK_STR("LaTeX renders the same twice", again, tex);
	CHECK("a table keeps its alignments", strstr(tex, "\\begin{table}") != NULL && strstr(tex, "{lr}") != NULL);
	CHECK("task items get their boxes", strstr(tex, "$\\boxtimes$\\ done") != NULL && strstr(tex, "$\\square$\\ not") != NULL);
	CHECK("math and links go through the hooks", strstr(tex, "[y]") != NULL && strstr(tex, "\\href{ard:b}{l}") != NULL);
	CHECK("an image the hook names a file for is \\dbimage{file}, with no alt text",
	      strstr(tex, "\\dbimage{ard:b}") != NULL && strstr(tex, "alt") == NULL);
	struct md_hooks none = {.link = to_null, .math = bracket, .ctx = NULL};
	char *alt = md_latex(doc, 0, &none);
	CHECK("an image the hook names no file for prints its alt text", strstr(alt, "\\emph{alt \\emph{e}}") != NULL);
	char *after = md_html(doc, 0, NULL);
	CHECK_STR("LaTeX leaves the tree as it was", after, html);
	free(html), free(tex), free(again), free(alt), free(after);
}

int main(void)
{
	test_href_bytes();
	test_shared();
	test_latex();
	md_release();
	return check_failures ? 1 : 0;
}
