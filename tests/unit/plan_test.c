/* plan_test.c: the list a build leaves (gen/plan.c). A clean list makes
 * the next build current; a list marked by a renderer's warning makes it
 * render every guide again, yet still says what the last build wrote, so
 * that a guide removed afterwards leaves no file behind. No renderer warns
 * today (every warning comes from validation), so only this reaches the
 * mark. */
#define _POSIX_C_SOURCE 200809L
#include "../../gen/plan.h"
#include "../../gen/util.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int nothing(const struct model_library *lib, const struct render_opts *opts)
{
	(void)lib, (void)opts;
	return 0;
}

static const char *const files[] = {"site/%s", NULL};
static const struct renderer renderers[] = {{"html", nothing, 1, files}, {NULL, NULL, 0, NULL}};

/* 1 if the plan's owned list holds rel. */
static int owns(const struct plan *p, const char *rel)
{
	for (size_t i = 0; i < p->nowned; i++)
		if (strcmp(p->owned[i], rel) == 0)
			return 1;
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/depthbook-plan-test.XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 2;
	char *site = xasprintf("%s/site", dir), *page = xasprintf("%s/site/t", dir);
	char *notes = xasprintf("%s/notes", dir);
	mkdir(notes, 0777); /* a user's, there before any build */
	const char *md = "# T\n\n## 1. S\n\n### Q1: Why?\n\n**Answer:** Because.\n";
	struct model_guide *g = model_build(load_memory("t.md", ".", md, strlen(md)), 1);
	struct model_library lib = {0};
	model_library_add(&lib, g);
	struct render_opts opts = {.out_dir = dir, .theme_dir = "themes/default", .smart = 1};
	int want[1] = {1};
	struct plan p;

	plan_make(&p, renderers, want, &lib, &opts, dir);
	CHECK("no list: the guide renders", p.todo[0] == 1 && !p.current);
	CHECK("... and the plan is keyed", p.keyed);
	CHECK("... what out/ held before, with no list, is no build's", !owns(&p, "notes") && p.nforeign == 1);
	mkdir(site, 0777); /* what the build writes */
	mkdir(page, 0777);
	CHECK_INT("a list marked by a warning is written", plan_record(&p, dir, 0), 0);
	plan_free(&p);

	plan_make(&p, renderers, want, &lib, &opts, dir);
	CHECK("after a warning: not current", !p.current);
	CHECK("... the guide renders again, its key unchanged", p.todo[0] == 1);
	CHECK("... and the list still says what the last build wrote", owns(&p, "site/t"));
	CHECK("... and what no build wrote", !owns(&p, "notes") && p.nforeign == 1 && strcmp(p.foreign[0], "notes") == 0);
	CHECK_INT("a clean list is written", plan_record(&p, dir, 1), 0);
	plan_free(&p);

	plan_make(&p, renderers, want, &lib, &opts, dir);
	CHECK("after a clean build: current", p.current && p.todo[0] == 0);
	plan_free(&p);

	model_library_free(&lib);
	remove_tree(dir);
	free(site), free(page), free(notes);
	return check_failures != 0;
}
