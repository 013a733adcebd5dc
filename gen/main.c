/* main.c: the command line — options in, one pass through the pipeline:
 * load → model → validate → renderers. */
#define _POSIX_C_SOURCE 200809L
#include "anki.h"
#include "cli.h"
#include "cards.h"
#include "diag.h"
#include "epub.h"
#include "fmt.h"
#include "html.h"
#include "ident.h"
#include "init.h"
#include "load.h"
#include "model.h"
#include "out.h"
#include "parallel.h"
#include "plan.h"
#include "render.h"
#include "serve.h"
#include "util.h"
#include "validate.h"
#include "where.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What each renderer writes of one guide (render.h). */
static const char *const site_files[] = {"site/%s", "site/search/%s.js", "site/review/%s.js", NULL};
static const char *const epub_files[] = {"epub/%s.epub", NULL};
static const char *const cards_files[] = {"cards/%s-cards.pdf", "cards/%s-cards.tex", NULL};
static const char *const anki_files[] = {"anki/%s.apkg", "anki/%s.txt", NULL};

/* The renderers, in the order build runs them. */
static const struct renderer renderers[] = {
	{"html", html_render, 1, site_files}, /* and the library index, the search's list, sitemap */
	{"epub", epub_render_module, 0, epub_files},
	{"cards", cards_render, 0, cards_files},
	{"anki", anki_render, 1, anki_files}, /* and anki/library.apkg */
	{NULL, NULL, 0, NULL},
};
#define MAX_RENDERERS (sizeof renderers / sizeof renderers[0])
_Static_assert(MAX_RENDERERS <= CLI_MAX_OUTPUTS, "cli.h holds a flag per renderer");

/* The latest time the outputs can write: 9999-12-31T23:59:59Z, the last
 * second with a four-digit year (ISO 8601 dates in the OPF and sitemap,
 * zip entry times). */
#define LAST_DATE 253402300799LL

/* Reads SOURCE_DATE_EPOCH into *date (0 and leaves it when unset). Returns
 * 0, or 2 after a one-line message: a value that is not a whole number of
 * seconds, is negative, lies past year 9999 or that gmtime_r rejects would
 * print garbage dates, so it is an environment error, not ignored. */
static int source_date(long long *date)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde == NULL || *sde == '\0')
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(sde, &end, 10);
	struct tm tm;
	time_t t = (time_t)v;
	const char *why = NULL;
	if (errno != 0 || *end != '\0' || end == sde)
		why = "not a whole number of seconds";
	else if (v < 0)
		why = "before 1970";
	else if (v > LAST_DATE)
		why = "past the year 9999";
	else if ((long long)t != v || gmtime_r(&t, &tm) == NULL)
		why = "not a date this system can read";
	if (why != NULL) {
		fprintf(stderr, "depthbook: SOURCE_DATE_EPOCH='%s': %s\n", sde, why);
		return 2;
	}
	*date = v;
	return 0;
}

/* The build's timestamp: SOURCE_DATE_EPOCH (sde >= 0), else the newest
 * guide's mtime. */
static long long build_date(const struct model_library *lib, long long sde)
{
	if (sde >= 0)
		return sde;
	long long newest = 0;
	for (size_t i = 0; i < lib->nguides; i++)
		if (lib->guides[i]->file->mtime > newest)
			newest = lib->guides[i]->file->mtime;
	return newest;
}

/* diag_flush(0, 0) for a failed build stage; after an interruption it
 * prints nothing, since main says why in one line. */
static int build_flush(void)
{
	return out_interrupted() ? 1 : diag_flush(0, 0);
}

/* check and build: one pass through the pipeline. Returns the exit status. */
static int run_pipeline(struct cli *cli)
{
	struct render_opts opts = cli->opts;
	int building = cli->command == CLI_BUILD;
	int werror = cli->werror;
	int *want = cli->want;
	char *default_content[] = {"content"};
	char **content = cli->noperands > 0 ? cli->operands : default_content;
	size_t ncontent = cli->noperands > 0 ? cli->noperands : 1;
	char *theme = where_theme(opts.theme_dir, content[0]);
	opts.theme_dir = theme;
	long long sde = -1;
	if (building && source_date(&sde) != 0) {
		free(theme);
		return 2;
	}
	if (building) {
		/* A build replaces its output directory whole: refuse one that
		 * holds anything else, before anything is read or written. */
		const char *why = out_refusal(opts.out_dir, content, ncontent, opts.theme_dir);
		if (why != NULL) {
			fprintf(stderr, "depthbook: refusing -o %s: %s (a build replaces its output directory whole)\n",
			        opts.out_dir, why);
			free(theme);
			return 2;
		}
		out_catch_signals();
	}

	char **paths, **roots;
	size_t npaths = load_collect(content, ncontent, &paths, &roots);
	/* Long work says where it is, on a terminal: a build that typesets
	 * cards or reads more than a few guides. */
	int cards = 0;
	for (size_t i = 0; renderers[i].name; i++)
		if (strcmp(renderers[i].name, "cards") == 0)
			cards = want[i];
	if (building && (cards || npaths > 3))
		diag_progress_start();
	struct model_library lib = {0};
	for (size_t i = 0; i < npaths; i++) {
		diag_progress("reading", i, npaths);
		struct load_file *f = load_file(paths[i], roots[i]);
		if (f != NULL)
			model_library_add(&lib, model_build(f, opts.smart));
	}
	load_paths_free(paths, roots, npaths);
	diag_progress("checking", npaths, npaths);
	val_library(&lib);
	ident_check_links(&lib, opts.out_dir);
	int status = diag_flush(werror, !building);
	const char *out_name = opts.out_dir;
	char *final_dir = building && status == 0 && !out_interrupted() ? out_target(opts.out_dir) : NULL;
	if (building && status == 0 && final_dir == NULL && !out_interrupted())
		status = build_flush();
	if (final_dir != NULL) {
		/* Render into a staging copy of the output directory; publish it
		 * only when every requested output succeeded (out.h). When out/
		 * is a symlink, final_dir is where it leads. */
		opts.date = build_date(&lib, sde);
		opts.date_set = sde >= 0;
		struct plan plan;
		plan_make(&plan, renderers, want, &lib, &opts, final_dir);
		char *staging = plan.current ? NULL : out_begin(final_dir);
		if (plan.current) {
			/* nothing changed since the last build (plan.h) */
		} else if (staging == NULL) {
			status = build_flush();
		} else {
			opts.out_dir = staging;
			out_test_pause("staged");
			diag_progress("rendering", 0, 0);
			if (plan_prune(&plan, staging) != 0 || parallel_render(&plan, &lib, &opts) != 0)
				status = build_flush();
			if (status == 0 && ident_record(&lib, staging) != 0)
				status = build_flush();
			if (status == 0 && plan_record(&plan, staging, diag_count(DIAG_LEVEL_WARNING) == 0) != 0)
				status = build_flush();
			if (status == 0)
				out_test_pause("commit");
			if (status == 0 && out_commit(staging, final_dir) != 0)
				status = build_flush();
			else if (status != 0)
				out_abort(staging);
			if (status == 0)
				status = diag_flush(werror, 0);
			free(staging);
		}
		plan_free(&plan);
		free(final_dir);
	}
	diag_progress_end();
	model_library_free(&lib);
	free(theme);
	if (building && out_interrupted()) {
		/* What the renderers said as they unwound is about the stop,
		 * not the guides: one line instead. */
		diag_clear();
		fprintf(stderr, "depthbook: stopped by signal %d (%s); %s left as it was\n", out_interrupted(),
		        strsignal(out_interrupted()), out_name);
		return 128 + out_interrupted();
	}
	return status;
}

/* serve lives in a module (gen/depthbook-serve.so, serve.c) so that only
 * serve loads libmicrohttpd and GnuTLS. */
static int serve_module(const struct cli *cli)
{
	char *why = NULL;
	void *sym = where_symbol("serve.so", "serve_run", &why);
	if (sym == NULL) {
		fprintf(stderr, "depthbook: %s (run make)\n", why);
		free(why);
		return 2;
	}
	int (*run)(const struct cli *);
	memcpy(&run, &sym, sizeof run); /* ISO C has no cast from object to function pointer */
	return run(cli);
}

int main(int argc, char **argv)
{
	/* Past a file-size limit (ulimit -f) write() should fail with EFBIG and
	 * give a diagnostic, not kill us mid-build. */
	signal(SIGXFSZ, SIG_IGN);
	/* fmt has options of its own (fmt.h); its --help is with the others' */
	if (argc >= 2 && strcmp(argv[1], "fmt") == 0) {
		for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
			if (strcmp(argv[i], "--help") == 0)
				return cli_fmt_help();
		return fmt_main(argc - 2, argv + 2);
	}
	const char *outputs[MAX_RENDERERS];
	for (size_t i = 0; i < MAX_RENDERERS; i++)
		outputs[i] = renderers[i].name;
	struct cli cli;
	int status = cli_parse(argc, argv, outputs, &cli);
	if (status >= 0)
		return status;
	diag_quiet(cli.quiet);
	switch (cli.command) {
	case CLI_INIT: return init_run(&cli);
	case CLI_SERVE: return serve_module(&cli);
	default: return run_pipeline(&cli);
	}
}
