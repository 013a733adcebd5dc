/* main.c: the command line — options in, one pass through the pipeline:
 * load → model → validate → renderers. */
#define _POSIX_C_SOURCE 200809L
#include "anki.h"
#include "cards.h"
#include "diag.h"
#include "epub.h"
#include "fresh.h"
#include "html.h"
#include "ident.h"
#include "load.h"
#include "model.h"
#include "out.h"
#include "parallel.h"
#include "render.h"
#include "util.h"
#include "validate.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DEPTHBOOK_VERSION
#define DEPTHBOOK_VERSION "0.1.0"
#endif

/* The renderers, in the order build runs them. */
static const struct renderer renderers[] = {
	{"html", html_render, 0},
	{"epub", epub_render_module, 1}, /* the costliest: beside the others, on the other core */
	{"cards", cards_render, 0},
	{"anki", anki_render, 0},
	{NULL, NULL, 0},
};
#define MAX_RENDERERS (sizeof renderers / sizeof renderers[0])

static const char usage[] =
	"usage: depthbook check [--werror] [--no-smart] [CONTENT…]\n"
	"       depthbook build [-o OUT] [--only html,epub,cards,anki] [--theme DIR]\n"
	"                       [--base-url URL] [--epub-quiz] [--duplex long|short|fold]\n"
	"                       [--back-offset X,Y] [--paper a4|letter] [--werror]\n"
	"                       [--no-smart] [CONTENT…]\n"
	"       depthbook --help | --version\n"
	"\n"
	"CONTENT is guide files (*.md) or directories of them (default: content/).\n"
	"check parses and validates; build also publishes into OUT (default: out/).\n"
	"Exit status: 0 success, 1 content errors, 2 usage or environment errors.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("depthbook: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return 2;
}

/* The build's timestamp: SOURCE_DATE_EPOCH (*fixed set to 1), else the
 * newest guide's mtime. */
static long long build_date(const struct model_library *lib, int *fixed)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	*fixed = 0;
	if (sde != NULL && *sde != '\0') {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0) {
			*fixed = 1;
			return v;
		}
		fprintf(stderr, "depthbook: ignoring SOURCE_DATE_EPOCH='%s' (not a number of seconds)\n", sde);
	}
	long long newest = 0;
	for (size_t i = 0; i < lib->nguides; i++)
		if (lib->guides[i]->file->mtime > newest)
			newest = lib->guides[i]->file->mtime;
	return newest;
}

/* Selects renderers named in a comma list; returns 0 and fills want[], or
 * -1 naming the unknown one. */
static int parse_only(const char *list, int *want)
{
	for (size_t i = 0; renderers[i].name; i++)
		want[i] = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;
		for (i = 0; renderers[i].name; i++)
			if (strlen(renderers[i].name) == n && strncmp(renderers[i].name, p, n) == 0)
				break;
		if (renderers[i].name == NULL && n > 0) {
			char *name = xstrndup(p, n);
			usage_error("--only: unknown output '%s' (known: html, epub, cards, anki)", name);
			free(name);
			return -1;
		}
		if (n > 0)
			want[i] = 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

static int parse_offset(const char *s, double *x, double *y)
{
	char *end;
	*x = strtod(s, &end);
	if (end == s || *end != ',')
		return -1;
	const char *t = end + 1;
	*y = strtod(t, &end);
	return end == t || *end != '\0' ? -1 : 0;
}

int main(int argc, char **argv)
{
	enum { OPT_ONLY = 256, OPT_THEME, OPT_BASE_URL, OPT_EPUB_QUIZ, OPT_DUPLEX, OPT_BACK_OFFSET,
	       OPT_PAPER, OPT_WERROR, OPT_NO_SMART, OPT_HELP, OPT_VERSION };
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"only", required_argument, NULL, OPT_ONLY},
		{"theme", required_argument, NULL, OPT_THEME},
		{"base-url", required_argument, NULL, OPT_BASE_URL},
		{"epub-quiz", no_argument, NULL, OPT_EPUB_QUIZ},
		{"duplex", required_argument, NULL, OPT_DUPLEX},
		{"back-offset", required_argument, NULL, OPT_BACK_OFFSET},
		{"paper", required_argument, NULL, OPT_PAPER},
		{"werror", no_argument, NULL, OPT_WERROR},
		{"no-smart", no_argument, NULL, OPT_NO_SMART},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	struct render_opts opts = {
		.out_dir = "out",
		.theme_dir = "themes/default",
		.paper = "a4",
		.duplex = DUPLEX_LONG,
		.smart = 1,
	};
	int want[MAX_RENDERERS];
	for (size_t i = 0; i < MAX_RENDERERS; i++)
		want[i] = 1;
	/* Past a file-size limit (ulimit -f) write() should fail with EFBIG and
	 * give a diagnostic, not kill us mid-build. */
	signal(SIGXFSZ, SIG_IGN);
	int werror = 0;
	int c;
	opterr = 0;
	/* GNU getopt permutes, so options may come before or after the command. */
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': opts.out_dir = optarg; break;
		case OPT_ONLY:
			if (parse_only(optarg, want) != 0)
				return 2;
			break;
		case OPT_THEME: opts.theme_dir = optarg; break;
		case OPT_BASE_URL: opts.base_url = optarg; break;
		case OPT_EPUB_QUIZ: opts.epub_quiz = 1; break;
		case OPT_DUPLEX:
			if (strcmp(optarg, "long") == 0)
				opts.duplex = DUPLEX_LONG;
			else if (strcmp(optarg, "short") == 0)
				opts.duplex = DUPLEX_SHORT;
			else if (strcmp(optarg, "fold") == 0)
				opts.duplex = DUPLEX_FOLD;
			else
				return usage_error("--duplex: expected long, short or fold; found '%s'", optarg);
			break;
		case OPT_BACK_OFFSET:
			if (parse_offset(optarg, &opts.back_offset_x, &opts.back_offset_y) != 0)
				return usage_error("--back-offset: expected X,Y in mm (e.g. 1.5,-0.5); found '%s'",
				                   optarg);
			break;
		case OPT_PAPER:
			if (strcmp(optarg, "a4") != 0 && strcmp(optarg, "letter") != 0)
				return usage_error("--paper: expected a4 or letter; found '%s'", optarg);
			opts.paper = optarg;
			break;
		case OPT_WERROR: werror = 1; break;
		case OPT_NO_SMART: opts.smart = 0; break;
		case OPT_HELP: fputs(usage, stdout); return 0;
		case OPT_VERSION: printf("depthbook %s\n", DEPTHBOOK_VERSION); return 0;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "missing command (check or build)");
	const char *command = argv[optind++];
	int building = strcmp(command, "build") == 0;
	if (!building && strcmp(command, "check") != 0)
		return usage_error("unknown command '%s' (expected check or build)", command);
	char *default_content[] = {"content"};
	char **content = optind < argc ? argv + optind : default_content;
	size_t ncontent = optind < argc ? (size_t)(argc - optind) : 1;

	char **paths, **roots;
	size_t npaths = load_collect(content, ncontent, &paths, &roots);
	struct model_library lib = {0};
	for (size_t i = 0; i < npaths; i++) {
		struct load_file *f = load_file(paths[i], roots[i]);
		if (f != NULL)
			model_library_add(&lib, model_build(f, opts.smart));
	}
	load_paths_free(paths, roots, npaths);
	val_library(&lib);
	ident_check_links(&lib, opts.out_dir);
	int status = diag_flush(werror, !building);
	if (building && status == 0) {
		/* Render into a staging copy of the output directory; publish it
		 * only when every requested output succeeded (out.h). */
		const char *final_dir = opts.out_dir;
		opts.date = build_date(&lib, &opts.date_fixed);
		uint64_t key = 0;
		int keyed = fresh_key(&lib, &opts, want, MAX_RENDERERS, &key) == 0;
		int current = keyed && fresh_current(final_dir, key);
		char *staging = current ? NULL : out_begin(final_dir);
		if (current) {
			/* nothing changed since the last build (fresh.h) */
		} else if (staging == NULL) {
			status = diag_flush(0, 0);
		} else {
			opts.out_dir = staging;
			if (parallel_render(renderers, want, &lib, &opts) != 0)
				status = diag_flush(0, 0);
			if (status == 0 && ident_record(&lib, staging) != 0)
				status = diag_flush(0, 0);
			if (status == 0 && fresh_record(staging, keyed && diag_count(DIAG_LEVEL_WARNING) == 0, key) != 0)
				status = diag_flush(0, 0);
			if (status == 0 && out_commit(staging, final_dir) != 0)
				status = diag_flush(0, 0);
			else if (status != 0)
				out_abort(staging);
			if (status == 0)
				status = diag_flush(werror, 0);
			free(staging);
		}
	}
	model_library_free(&lib);
	return status;
}
