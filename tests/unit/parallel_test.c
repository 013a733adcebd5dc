/* parallel_test.c: parallel_render (gen/parallel.c) deals a plan's tasks
 * to worker processes: every planned (output, guide) is rendered exactly
 * once, no other, the library-wide files once and here; with
 * DEPTHBOOK_JOBS=1 or little work everything runs here; a worker's
 * failure fails the build with its diagnostic. */
#define _POSIX_C_SOURCE 200809L
#include "../../gen/diag.h"
#include "../../gen/parallel.h"
#include "../../gen/util.h"
#include "check.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { GUIDES = 6 };
static char log_path[64];
static pid_t parent;
static int fail_apart, silent; /* fail_apart: the diagnostic a worker reports */

/* Appends "OUTPUT GUIDE PID" for each guide this run does, and "OUTPUT
 * library PID" when it writes the library-wide files. */
static int note(const char *output, const struct model_library *lib, const struct render_opts *opts)
{
	int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	struct buf b = {0};
	for (size_t i = 0; i < lib->nguides; i++)
		if (render_todo(opts, i))
			buf_printf(&b, "%s %zu %ld\n", output, i, (long)getpid());
	if (!opts->skip_library)
		buf_printf(&b, "%s library %ld\n", output, (long)getpid());
	write_full(fd, b.data, b.len);
	buf_free(&b);
	close(fd);
	if (fail_apart && getpid() != parent) {
		if (silent)
			;
		else if (fail_apart == DIAG_CARDS_LATEX && strcmp(output, "site") == 0)
			diag_report(DIAG_CARDS_LATEX, "parallel_test", 1, 1, output, "a worker's renderer failed");
		else if (fail_apart == DIAG_CARDS_LATEX)
			return 0;
		else
			diag_report(DIAG_INTERNAL, "parallel_test", 1, 1, "a worker's renderer failed");
		return -1;
	}
	return 0;
}

static int site(const struct model_library *lib, const struct render_opts *opts)
{
	return note("site", lib, opts);
}

static int book(const struct model_library *lib, const struct render_opts *opts)
{
	return note("book", lib, opts);
}

static const struct renderer renderers[] = {
	{"html", site, 1, NULL},
	{"epub", book, 0, NULL},
	{NULL, NULL, 0, NULL},
};

/* The log's lines, sorted and without pids; *here: how many ran in this
 * process; *apart: how many elsewhere. Caller frees. */
static char *read_log(int *here, int *apart)
{
	size_t len;
	char *text = read_whole(log_path, &len);
	unlink(log_path);
	*here = *apart = 0;
	if (text == NULL)
		return xstrdup("");
	char *lines[64];
	size_t n = 0;
	for (char *line = strtok(text, "\n"); line && n < 64; line = strtok(NULL, "\n")) {
		char *sp = strrchr(line, ' ');
		*sp = '\0';
		(strtol(sp + 1, NULL, 10) == (long)parent ? (*here)++ : (*apart)++);
		lines[n++] = line;
	}
	/* a fixed order: insertion sort, the list is short */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(lines[k - 1], lines[k]) > 0; k--) {
			char *t = lines[k];
			lines[k] = lines[k - 1];
			lines[k - 1] = t;
		}
	struct buf b = {0};
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s;", lines[i]);
	free(text);
	return b.data ? buf_take(&b) : xstrdup("");
}

int main(void)
{
	parent = getpid();
	snprintf(log_path, sizeof log_path, "/tmp/depthbook-parallel-test.%ld", (long)parent);
	unlink(log_path);
	struct model_guide guides[GUIDES];
	struct load_file files[GUIDES];
	struct model_guide *list[GUIDES];
	memset(guides, 0, sizeof guides);
	memset(files, 0, sizeof files);
	for (size_t i = 0; i < GUIDES; i++) {
		files[i].len = (size_t)64 << 10; /* enough work to pay for a second process */
		guides[i].file = &files[i];
		list[i] = &guides[i];
	}
	struct model_library lib = {.guides = list, .nguides = GUIDES};
	/* the plan: the site renders guides 0, 2, 3, 5; the book 1 and 2 */
	unsigned char todo[2 * GUIDES] = {1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0};
	int want[2] = {1, 1};
	struct plan p = {.renderers = renderers, .noutputs = 2, .nguides = GUIDES, .todo = todo, .want = want};
	struct render_opts opts = {.out_dir = "unused"};
	const char *expected = "book 1;book 2;site 0;site 2;site 3;site 5;site library;";
	int here, apart;

	setenv("DEPTHBOOK_JOBS", "2", 1);
	CHECK_INT("two jobs: the render succeeds", parallel_render(&p, &lib, &opts), 0);
	char *got = read_log(&here, &apart);
	CHECK_STR("two jobs: every planned task once, no other, the library once", got, expected);
	free(got);
	CHECK("two jobs: a worker process did some of them", apart > 0 && here > 0);

	setenv("DEPTHBOOK_JOBS", "1", 1);
	CHECK_INT("one job: the render succeeds", parallel_render(&p, &lib, &opts), 0);
	got = read_log(&here, &apart);
	CHECK_STR("one job: the same tasks", got, expected);
	free(got);
	CHECK_INT("one job: all of them here", apart, 0);

	/* too little to pay for a process: a page and a book of small guides
	 * (DEPTHBOOK_JOBS unset: set, it forces its number at any size) */
	unsetenv("DEPTHBOOK_JOBS");
	unsigned char little[2 * GUIDES] = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
	struct plan small = p;
	small.todo = little;
	for (size_t i = 0; i < GUIDES; i++)
		files[i].len = 100;
	CHECK_INT("little work: the render succeeds", parallel_render(&small, &lib, &opts), 0);
	got = read_log(&here, &apart);
	CHECK_STR("little work: its tasks", got, "book 1;site 0;site library;");
	free(got);
	CHECK_INT("little work: all of them here", apart, 0);

	setenv("DEPTHBOOK_JOBS", "2", 1);
	for (size_t i = 0; i < GUIDES; i++)
		files[i].len = 100;
	CHECK_INT("DEPTHBOOK_JOBS=2 on little work: the render succeeds", parallel_render(&small, &lib, &opts), 0);
	free(read_log(&here, &apart));
	CHECK("DEPTHBOOK_JOBS=2 on little work: a worker process did some", apart > 0);

	for (size_t i = 0; i < GUIDES; i++)
		files[i].len = (size_t)64 << 10;
	fail_apart = DIAG_CARDS_LATEX; /* a content error in a worker's site */
	diag_clear();
	CHECK_INT("a worker's content error fails the render", parallel_render(&p, &lib, &opts), -1);
	CHECK_INT("... its diagnostic comes back", diag_count(DIAG_LEVEL_ERROR), 1);
	got = read_log(&here, &apart);
	CHECK_STR("... and every other task still ran", got, expected);
	free(got);
	fail_apart = DIAG_INTERNAL; /* an environment failure in a worker */
	diag_clear();
	CHECK_INT("a worker's environment failure fails the render", parallel_render(&p, &lib, &opts), -1);
	CHECK_INT("... its diagnostic comes back", diag_count(DIAG_LEVEL_FATAL), 1);
	free(read_log(&here, &apart));
	silent = 1;
	diag_clear();
	CHECK_INT("a worker's silent failure fails the render", parallel_render(&p, &lib, &opts), -1);
	CHECK_INT("... and is reported", diag_count(DIAG_LEVEL_FATAL) + diag_count(DIAG_LEVEL_ERROR), 1);
	free(read_log(&here, &apart));
	diag_clear();
	unsetenv("DEPTHBOOK_JOBS");
	return check_failures != 0;
}
