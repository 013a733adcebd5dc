/* model_test.c: the model of the seed guide, and of small inline guides. */
#include "../../gen/diag.h"
#include "../../gen/link.h"
#include "../../gen/load.h"
#include "../../gen/math.h"
#include "../../gen/md.h"
#include "../../gen/model.h"
#include "check.h"

#include <stdlib.h>

static struct model_guide *seed(void)
{
	struct load_file *f = load_file("content/ops-architecture-deep-dive.md", "content");
	return f ? model_build(f, 1) : NULL;
}

static void test_seed(void)
{
	struct model_guide *g = seed();
	CHECK("seed loads", g != NULL);
	if (g == NULL)
		return;
	CHECK_STR("seed title", g->title, "Operations & Modern Architecture – Deep Dive");
	CHECK_STR("seed slug", g->slug, "ops-architecture-deep-dive");
	CHECK_STR("seed lang defaults to en", g->lang, "en");
	CHECK("seed description from metadata lines",
	      strncmp(g->description, "Target Audience: Principle Architect", 36) == 0 &&
	              strstr(g->description, "Tone: Conversational") != NULL);
	CHECK_INT("seed sections", g->nsections, 2);
	CHECK_INT("seed questions", g->nquestions, 2);
	CHECK_INT("seed follow-ups", g->ndepths, 74);
	CHECK_STR("section 1 id", g->sections[0]->id, "s1");
	CHECK_STR("section 2 title", g->sections[1]->title_text,
	          "Operations, Monitoring & Incident Management");
	CHECK_INT("section 2 first question", g->sections[1]->first, 1);
	struct model_question *q1 = g->questions[0], *q2 = g->questions[1];
	CHECK_INT("Q1 depths", q1->ndepths, 37);
	CHECK_INT("Q2 depths", q2->ndepths, 37);
	CHECK_STR("Q1 id", q1->id, "q1");
	CHECK_INT("Q1 line", q1->line, 11);
	CHECK("Q1 title without prefix", strncmp(q1->title_text, "We have a massive monolithic", 28) == 0);
	CHECK_INT("Q1 answer marker line", q1->answer_line, 12);
	CHECK_STR("Q1 Depth 12 id", q1->depths[11]->id, "q1-d12");
	CHECK_STR("Q1 Depth 12 anchor", q1->depths[11]->anchor, "d12");
	CHECK_INT("Q1 Depth 12 line", q1->depths[11]->line, 61);
	CHECK_STR("Q1 Depth 12 question", q1->depths[11]->question_text,
	          "Explain “Idempotency Keys” in API design. Why are they critical for payments?");
	CHECK_STR("Q1 Depth 1 question", q1->depths[0]->question_text,
	          "You mentioned decoupling the database first. What happens when two services need to join data (e.g., User + Orders) for a report?");
	CHECK_INT("Q1 Depth 3 level", q1->depths[2]->level, 6);
	CHECK_INT("Q1 Depth 2 level", q1->depths[1]->level, 5);
	CHECK_STR("Q2 Depth 37 id", q2->depths[36]->id, "q2-d37");
	CHECK_INT("Q2 Depth 37 line", q2->depths[36]->line, 468);
	/* Depth 15's answer: a paragraph, then the 4-step list, then a paragraph. */
	cmark_node *a15 = q1->depths[14]->answer;
	cmark_node *b1 = cmark_node_first_child(a15);
	cmark_node *b2 = b1 ? cmark_node_next(b1) : NULL;
	CHECK("Q1 Depth 15 answer starts with a paragraph", b1 && cmark_node_get_type(b1) == CMARK_NODE_PARAGRAPH);
	CHECK("Q1 Depth 15 answer keeps its list", b2 && cmark_node_get_type(b2) == CMARK_NODE_LIST);
	char *html = md_html(a15, 0, NULL);
	CHECK("Q1 Depth 15 answer text starts after A:", strncmp(html, "<p>“We can never just rename", 30) == 0);
	CHECK("Q1 Depth 15 answer ends with its last words", strstr(html, "only safe way.”</li>") != NULL);
	free(html);
	/* Lists that follow a line without a blank line: 11 in the seed's answers. */
	int lists = 0;
	for (size_t i = 0; i < g->nquestions; i++)
		for (size_t k = 0; k < g->questions[i]->ndepths; k++)
			for (cmark_node *b = cmark_node_first_child(g->questions[i]->depths[k]->answer); b;
			     b = cmark_node_next(b))
				lists += cmark_node_get_type(b) == CMARK_NODE_LIST;
	CHECK_INT("seed answers keep their 11 lists", lists, 11);
	/* Math: $\to$ (several), $2\times$, $Log N$ are spans; amounts are not. */
	int to = 0, times = 0, logn = 0, other = 0;
	for (size_t i = 0; i < g->nmaths; i++) {
		const char *tex = math_tex(g->maths[i]);
		if (strcmp(tex, "\\to") == 0)
			to++;
		else if (strcmp(tex, "2\\times") == 0)
			times++;
		else if (strcmp(tex, "Log N") == 0)
			logn++;
		else
			other++;
	}
	CHECK("seed math: \\to spans", to >= 2);
	CHECK_INT("seed math: 2\\times", times, 1);
	CHECK_INT("seed math: Log N", logn, 1);
	CHECK_INT("seed math: no amount taken as math", other, 0);
	model_guide_free(g);
}

static int count_math(const char *md, const char **first)
{
	cmark_node *doc = md_parse(md, strlen(md), 1);
	int n = 0;
	static char tex[256];
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && math_is_span(node)) {
			if (n == 0)
				snprintf(tex, sizeof tex, "%s", math_tex(node));
			n++;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	*first = tex;
	return n;
}

static char *math_hook_html(const char *tex, void *ctx)
{
	(void)ctx;
	return math_to_html(tex);
}

static void test_math_rule(void)
{
	const char *tex;
	CHECK_INT("amounts and a formula", count_math("It costs $3 to save $300; sorting is $O(n \\log n)$.", &tex), 1);
	CHECK_STR("the formula", tex, "O(n \\log n)");
	CHECK_INT("Pay $50 is text", count_math("a 'Pay $50' request", &tex), 0);
	CHECK_INT("$5 and $5 is text", count_math("charge $5. Inventory, I charged $5'", &tex), 0);
	CHECK_INT("$100 ... $50 is text", count_math("'Balance: $100'. We lose. 'Deposited $50'", &tex), 0);
	CHECK_INT("closing $ before a digit is not a closer", count_math("$x$5 and", &tex), 0);
	CHECK_INT("space after opening $", count_math("$ x$", &tex), 0);
	CHECK_INT("space before closing $", count_math("$x $", &tex), 0);
	CHECK_INT("escaped dollar", count_math("\\$x$ and \\$y\\$", &tex), 0);
	CHECK_INT("digit-led span without spaces", count_math("$2\\times$ faster", &tex), 1);
	CHECK_STR("digit-led span text", tex, "2\\times");
	CHECK_INT("digit-led span with markup before its space", count_math("so $2^{10} = 1024$ here", &tex), 1);
	CHECK_STR("digit-led span with markup: its text", tex, "2^{10} = 1024");
	CHECK_INT("digit-led span with markup only after its space is text", count_math("$2 \\times 3$ and", &tex), 0);
	CHECK_INT("amounts with markup later stay text", count_math("from $3 to $4_x", &tex), 0);
	CHECK_INT("span in code stays code", count_math("`$x$`", &tex), 0);
	CHECK_INT("no span across lines", count_math("$a\nb$", &tex), 0);
	CHECK_INT("math in a table cell is kept", count_math("| a |\n|---|\n| $\\lambda$ |\n", &tex), 1);
	{
		const char *md = "| a |\n|---|\n| $x^2$ and `c` |\n";
		cmark_node *doc = md_parse(md, strlen(md), 1);
		struct md_hooks hooks = {.math = math_hook_html};
		char *cell = md_html(doc, 0, &hooks);
		CHECK("math in a table cell renders in the cell",
		      strstr(cell, "<td>x<sup>2</sup> and <code>c</code></td>") != NULL);
		free(cell);
		char *tex = md_latex(doc, 0, &hooks);
		CHECK("math placeholders never reach LaTeX", strchr(tex, '\x01') == NULL);
		free(tex);
		char *text = md_text(doc);
		CHECK_STR("plain text keeps the TeX", text, "a x^2 and c");
		free(text);
	}
	char *html = math_to_html("O(n \\log n)");
	CHECK_STR("html of O(n log n)", html, "O(n log n)");
	free(html);
	html = math_to_html("x^2 \\le y_{i} \\to \\infty");
	CHECK_STR("html scripts and symbols", html, "x<sup>2</sup> ≤ y<sub>i</sub> → ∞");
	free(html);
	html = math_to_html("<\\frac{a}{b}");
	CHECK_STR("html escapes and keeps unknown TeX", html, "&lt;\\fracab");
	free(html);
	char *tex2 = math_to_latex("\\input{/etc/passwd} ^^5c # \\to");
	CHECK_STR("latex neutralises commands", tex2,
	          "$\\text{\\textbackslash{}input}{/etc/passwd} ^{}^5c \\# \\to$");
	free(tex2);
}

static struct model_guide *guide_of(const char *md)
{
	struct load_file *f = load_memory("t.md", ".", md, strlen(md));
	return f ? model_build(f, 1) : NULL;
}

/* Explicit ids, follow-up spellings and titles, sections of every shape. */
static void test_variants(void)
{
	struct model_guide *g = guide_of(
		"# T\n\n## The first\n\n### Q1: Why? {#why}\n**A:** Because.\n\n"
		"#### Follow-up Depth 1\n**Q:** a?\n**A:** b.\n\n"
		"##### Depth 2: Short title {#saga}\n**Q:** c?\n**A:** d.\n\n"
		"###### Depth 3 \xe2\x80\x94 Another\n**Q:** e?\n**A:** f.\n\n"
		"## Part 2 \xe2\x80\x94 Second\n\n### Q2: More?\n**Answer:** Yes.\n\n"
		"## Glossary\n- a term\n");
	CHECK("variants guide loads", g != NULL);
	if (g == NULL)
		return;
	CHECK_INT("variants: sections", g->nsections, 3);
	CHECK_INT("unnumbered section takes its place", g->sections[0]->number, 1);
	CHECK_INT("unnumbered section is marked so", g->sections[0]->numbered, 0);
	CHECK_STR("'Part 2 — Second' keeps its title", g->sections[1]->title_text, "Second");
	CHECK_INT("'Part 2 — Second' keeps its number", g->sections[1]->number, 2);
	CHECK_INT("glossary section has no questions", g->sections[2]->count, 0);
	CHECK("glossary keeps its list", cmark_node_first_child(g->sections[2]->intro) != NULL);
	struct model_question *q1 = g->questions[0];
	CHECK_STR("question explicit id", q1->explicit_id, "why");
	CHECK_STR("question id is the explicit id", q1->id, "why");
	CHECK_STR("question keeps its positional id", q1->pos_id, "q1");
	CHECK_STR("the attribute leaves the title", q1->title_text, "Why?");
	CHECK_INT("**A:** marks a main answer", q1->answer_marker, 'A');
	CHECK_INT("follow-ups of every spelling", q1->ndepths, 3);
	CHECK("Follow-up Depth 1 has no title", q1->depths[0]->title == NULL);
	CHECK_STR("Depth 2 title", q1->depths[1]->title, "Short title");
	CHECK_STR("Depth 2 explicit id", q1->depths[1]->explicit_id, "saga");
	CHECK_STR("Depth 2 id and anchor", q1->depths[1]->anchor, "saga");
	CHECK_STR("Depth 2 positional id", q1->depths[1]->pos_id, "q1-d2");
	CHECK_STR("Depth 3 title after a dash", q1->depths[2]->title, "Another");
	CHECK_INT("Depth 3 position", q1->depths[2]->position, 3);
	struct model_library lib = {0};
	model_library_add(&lib, g);
	struct link_target t;
	CHECK("#saga resolves", link_resolve(&lib, g, "#saga", &t) == LINK_UNIT && t.depth == q1->depths[1]);
	CHECK("#q1-d2 still resolves", link_resolve(&lib, g, "#q1-d2", &t) == LINK_UNIT && t.depth == q1->depths[1]);
	CHECK("#why resolves to Q1", link_resolve(&lib, g, "#why", &t) == LINK_UNIT && t.question == q1 && t.depth == NULL);
	CHECK("#nothing does not", link_resolve(&lib, g, "#nothing", &t) == LINK_NO_UNIT);
	CHECK("q3-d1 is positional", link_id_positional("q3-d1") && link_id_positional("s2") && link_id_positional("d4"));
	CHECK("saga is not positional", !link_id_positional("saga") && !link_id_positional("q1x"));
	CHECK("a scheme leads out", link_resolve(&lib, g, "https://example.com/#q1", &t) == LINK_EXTERNAL);
	CHECK("\"#\" names the guide", link_resolve(&lib, g, "#", &t) == LINK_GUIDE && t.guide == g);
	CHECK("a picture is a file", link_resolve(&lib, g, "img/a.png", &t) == LINK_FILE);
	CHECK("an unknown .md is no guide", link_resolve(&lib, g, "nowhere.md#q1", &t) == LINK_NO_GUIDE);
	char dotted[512];
	snprintf(dotted, sizeof dotted, "./%s", g->path);
	CHECK("a guide is found by its path, lexically", link_find_guide(&lib, dotted) == g);
	model_library_free(&lib);
}

/* MathML for the structural commands, and the nesting bound. */
static void test_mathml(void)
{
	char *m = math_to_mathml("\\sqrt{n}");
	CHECK("\\sqrt is an msqrt", strstr(m, "<msqrt><mi>n</mi></msqrt>") != NULL);
	free(m);
	m = math_to_mathml("\\frac{a}{b+1}");
	CHECK("\\frac is an mfrac", strstr(m, "<mfrac><mi>a</mi><mrow><mi>b</mi><mo>+</mo><mn>1</mn></mrow></mfrac>") != NULL);
	free(m);
	m = math_to_mathml("\\sum_{i=1}^{n} x_i \\le \\mathbb{R}");
	CHECK("\\sum with limits is an msubsup", strstr(m, "<msubsup><mo>\xe2\x88\x91</mo>") != NULL);
	CHECK("\\le is its symbol", strstr(m, "<mo>\xe2\x89\xa4</mo>") != NULL);
	CHECK("\\mathbb{R} is double-struck", strstr(m, "<mi>\xe2\x84\x9d</mi>") != NULL);
	CHECK("no TeX source left", strchr(m, '\\') == NULL);
	free(m);
	m = math_to_mathml("a<b & \"c\"");
	CHECK("MathML escapes", strstr(m, "&lt;") && strstr(m, "&amp;") && strstr(m, "&quot;") && !strstr(m, "<b"));
	free(m);
	/* 5000 nested superscripts: rendered without recursing past the limit */
	size_t n = 5000;
	char *deep = malloc(4 * n + 2);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		memcpy(deep + k, "x^{", 3), k += 3;
	deep[k++] = 'y';
	memset(deep + k, '}', n);
	deep[k + n] = '\0';
	CHECK("deep nesting is measured past the limit", math_nesting(deep) > MATH_MAX_NESTING);
	m = math_to_mathml(deep);
	size_t opened = 0;
	for (const char *p = m; (p = strstr(p, "<msup>")) != NULL; p++)
		opened++;
	CHECK("deep nesting stops at the limit", opened <= MATH_MAX_NESTING + 1);
	free(m);
	free(deep);
	CHECK_INT("shallow math nests little", math_nesting("x^{2}"), 1);
}

int main(void)
{
	test_mathml();
	test_seed();
	test_variants();
	test_math_rule();
	return check_failures != 0;
}
