/* fuzz_pipeline.c: libFuzzer entry point over the whole pipeline in memory:
 * load (UTF-8, front matter) → parse → model → validate → render every unit
 * to HTML and LaTeX, then every renderer with out.c's sink catching the
 * files. Every HTML fragment must parse back as well-formed XML, and every
 * published file must pass outcheck (well-formed XML/XHTML, no script or
 * handler or unsafe address). A failure aborts, which libFuzzer reports. */
#include "../../gen/diag.h"
#include "../../gen/load.h"
#include "../../gen/math.h"
#include "../../gen/md.h"
#include "../../gen/model.h"
#include "../../gen/out.h"
#include "../../gen/render.h"
#include "../../gen/validate.h"
#include "outcheck.h"

#include "../../gen/anki.h"
#include "../../gen/cards.h"
#include "../../gen/epub.h"
#include "../../gen/html.h"
#include "../../gen/template.h"
#include "../../gen/util.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *math_html(const char *tex, void *ctx)
{
	(void)ctx;
	return math_to_html(tex);
}

static char *math_latex(const char *tex, void *ctx)
{
	(void)ctx;
	return math_to_latex(tex);
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Aborts unless html parses as XML inside a wrapper element. */
static void well_formed(const char *html, const char *what)
{
	size_t n = strlen(html);
	char *doc = malloc(n + 32);
	memcpy(doc, "<div>", 5);
	memcpy(doc + 5, html, n);
	memcpy(doc + 5 + n, "</div>", 7);
	xmlDocPtr x = xmlReadMemory(doc, (int)(n + 11), "fragment.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (x == NULL) {
		fprintf(stderr, "not well-formed %s:\n%s\n", what, html);
		abort();
	}
	xmlFreeDoc(x);
	free(doc);
}

static void render(cmark_node *node, int inline_only, const char *what)
{
	struct md_hooks html_hooks = {.math = math_html};
	struct md_hooks latex_hooks = {.math = math_latex};
	char *html = md_html(node, inline_only, &html_hooks);
	well_formed(html, what);
	free(html);
	free(md_latex(node, inline_only, &latex_hooks));
}

/* out.c's sink: every file a renderer publishes goes through the oracle. */
static int check_output(const char *rel, const char *data, size_t len, void *ctx)
{
	(void)ctx;
	const char *problem = outcheck_file(rel, data, len);
	if (problem != NULL) {
		fprintf(stderr, "published %s has %s:\n%.*s\n", rel, problem, (int)(len < 4000 ? len : 4000), data);
		abort();
	}
	return 0;
}

/* The renderers, run even on a guide with errors: none may crash or emit
 * unsafe output whatever the model holds. */
static const struct renderer renderers[] = {
	{"html", html_render, 0, NULL},
	{"epub", epub_render, 0, NULL},
	{"anki", anki_render, 0, NULL},
};

/* The cards' template; their LaTeX is generated in memory (pdflatex would
 * make a fuzzing run crawl) and checked against it. */
static char *cards_template;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlSetGenericErrorFunc(NULL, silent);
	out_set_sink(check_output, NULL);
	cards_template = tpl_load("themes/default", "cards/cards.tex");
	if (cards_template == NULL) {
		fputs("fuzz_pipeline: run from the repository root (themes/default/cards/cards.tex)\n", stderr);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_library lib = {0};
	struct load_file *f = load_memory("fuzz/guide.md", "fuzz", (const char *)data, size);
	if (f != NULL)
		model_library_add(&lib, model_build(f, size % 2 == 0));
	val_library(&lib);
	for (size_t i = 0; i < lib.nguides; i++) {
		struct model_guide *g = lib.guides[i];
		for (size_t k = 0; k < g->nquestions; k++) {
			struct model_question *q = g->questions[k];
			render(q->title, 1, "question title");
			render(q->answer, 0, "main answer");
			for (size_t d = 0; d < q->ndepths; d++) {
				render(q->depths[d]->question, 1, "follow-up question");
				render(q->depths[d]->answer, 0, "follow-up answer");
			}
		}
		render(g->intro, 0, "intro");
	}
	struct render_opts opts = {
		.out_dir = "fuzz-out", .theme_dir = "themes/default", .paper = "a4", .smart = 1,
		.date = 1700000000,
	};
	for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++)
		renderers[i].render(&lib, &opts);
	for (size_t i = 0; i < lib.nguides; i++) {
		char *tex = cards_tex(&lib, lib.guides[i], &opts, cards_template, NULL);
		const char *problem = tex ? outcheck_tex(cards_template, tex) : NULL;
		if (problem != NULL) {
			fprintf(stderr, "cards LaTeX has %s:\n%s\n", problem, tex);
			abort();
		}
		free(tex);
	}
	diag_clear();
	model_library_free(&lib);
	return 0;
}
