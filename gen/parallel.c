/* parallel.c: guides over the cores (parallel.h). */
#define _GNU_SOURCE /* memfd_create */
#include "parallel.h"
#include "diag.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 64

int parallel_jobs(void)
{
	const char *jobs = getenv("DEPTHBOOK_JOBS");
	if (jobs != NULL && *jobs != '\0') {
		char *end;
		long n = strtol(jobs, &end, 10);
		if (*end == '\0' && n >= 1)
			return n < MAX_JOBS ? (int)n : MAX_JOBS;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n < MAX_JOBS ? (int)n : MAX_JOBS;
}

/* What a task costs, in microseconds of one core: a fixed part (its
 * templates; for the EPUB the module, its libraries and the cover) and a
 * part per kilobyte of the guide; and what the output's library-wide files
 * cost worker 0, which writes them (the Anki library package holds every
 * guide's notes again, so its part is per kilobyte of every guide). From
 * `DEPTHBOOK_JOBS=1 build --only OUTPUT` of the seed guide at 1x and 100x,
 * less a check's time, CPU medians of 5 alternating runs on the 2-core
 * machine of the bench, 2026-12-02, the deck's split half and half. An
 * output missing here costs as the site does. Only the ratios matter:
 * they decide which worker takes a task, and whether a second pays. */
static const struct {
	const char *output;
	double fixed, per_kb;
	double library_fixed, library_per_kb;
} costs[] = {
	{"html", 1700, 70, 1000, 0},
	{"epub", 35000, 50, 0, 0},
	{"cards", 300000, 3000, 0, 0}, /* a pdflatex run */
	{"anki", 3000, 53, 2800, 53},
};

/* A second process pays when the work beyond the largest task, which is
 * all another worker can take, is at least this: its fork, its page
 * faults on the copied model, its wait and the file system's contention
 * on the staging directory cost a few milliseconds. The seed guide
 * (about 15,000 beside the EPUB's 37,000) took 55.4 ms in two processes
 * against 64.9 in one, medians of 21 alternating runs; a page and a book
 * of tiny guides (under 3,000 beside the book) stay in one. */
#define PAYS_FROM_US 5000.0

/* output's row of costs, the site's when it has none */
static size_t cost_row(const char *output)
{
	size_t i = sizeof costs / sizeof costs[0] - 1;
	while (i > 0 && strcmp(costs[i].output, output) != 0)
		i--;
	return i;
}

static double task_cost(const char *output, size_t bytes)
{
	size_t i = cost_row(output);
	return costs[i].fixed + costs[i].per_kb * (double)bytes / 1024.0;
}

/* What output's library-wide files cost, for a library of bytes. */
static double library_cost(const char *output, size_t bytes)
{
	size_t i = cost_row(output);
	return costs[i].library_fixed + costs[i].library_per_kb * (double)bytes / 1024.0;
}

struct task {
	size_t output, guide;
	double cost;
};

static int by_cost(const void *a, const void *b)
{
	const struct task *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost > y->cost ? -1 : 1;
	/* ties in table order, so that the schedule is the same every time */
	return x->output != y->output ? (x->output < y->output ? -1 : 1) : (x->guide < y->guide ? -1 : x->guide > y->guide);
}

/* One build's schedule: which worker renders each (output, guide). */
struct schedule {
	const struct plan *p;
	const struct model_library *lib;
	const struct render_opts *opts;
	unsigned char *worker; /* [r * nguides + i]: its worker, for the plan's tasks */
};

static int fatals(void)
{
	return diag_count(DIAG_LEVEL_FATAL);
}

/* Worker k's share: each output's guides of k, in table order; worker 0
 * also writes the library-wide files. An environment failure (a full
 * disk, a missing template: a fatal diagnostic) ends the share, as it
 * ends the build; after a content error (LaTeX on a card) the other
 * outputs still run, so that every such problem is reported. */
static int run_share(const struct schedule *s, size_t k)
{
	int before = fatals();
	const struct plan *p = s->p;
	unsigned char *todo = xcalloc(p->nguides ? p->nguides : 1, 1);
	int status = 0;
	for (size_t r = 0; r < p->noutputs; r++) {
		if (!p->want[r])
			continue;
		size_t n = 0;
		for (size_t i = 0; i < p->nguides; i++) {
			size_t c = r * p->nguides + i;
			todo[i] = p->todo[c] && s->worker[c] == k;
			n += todo[i];
		}
		int library = p->renderers[r].library && k == 0;
		if (n == 0 && !library)
			continue;
		struct render_opts o = *s->opts;
		o.todo = todo;
		o.skip_library = !library;
		if (p->renderers[r].render(s->lib, &o) != 0)
			status = -1;
		if (fatals() > before)
			break;
	}
	free(todo);
	return status;
}

/* A worker process: its share, then its diagnostics into fd. */
static void child(const struct schedule *s, size_t k, int fd, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	diag_clear(); /* the parent's, which it reports itself */
	int status = run_share(s, k);
	_exit(diag_send(fd) != 0 ? 3 : status == 0 ? 0 : 1);
}

int parallel_render(const struct plan *p, const struct model_library *lib, const struct render_opts *opts)
{
	size_t cells = p->noutputs * p->nguides, ntasks = 0;
	struct task *tasks = xcalloc(cells ? cells : 1, sizeof *tasks);
	size_t bytes = 0;
	for (size_t i = 0; i < p->nguides; i++)
		bytes += lib->guides[i]->file->len;
	/* worker 0 starts with the library-wide files */
	double library = 0;
	for (size_t r = 0; r < p->noutputs; r++)
		if (p->want[r] && p->renderers[r].library)
			library += library_cost(p->renderers[r].name, bytes);
	double total = library, largest = library;
	for (size_t r = 0; r < p->noutputs; r++)
		for (size_t i = 0; p->want[r] && i < p->nguides; i++)
			if (p->todo[r * p->nguides + i]) {
				double c = task_cost(p->renderers[r].name, lib->guides[i]->file->len);
				tasks[ntasks++] = (struct task){r, i, c};
				total += c;
				if (c > largest)
					largest = c;
			}
	size_t jobs = (size_t)parallel_jobs();
	/* DEPTHBOOK_JOBS forces its number at any size, so that tests run the
	 * workers on small content */
	const char *forced = getenv("DEPTHBOOK_JOBS");
	if (total - largest < PAYS_FROM_US && (forced == NULL || *forced == '\0'))
		jobs = 1;
	if (jobs > ntasks)
		jobs = ntasks ? ntasks : 1;
	/* Longest processing time first: each task, largest first, to the
	 * worker with the least work so far. */
	struct schedule s = {p, lib, opts, xcalloc(cells ? cells : 1, 1)};
	double load[MAX_JOBS] = {library};
	qsort(tasks, ntasks, sizeof *tasks, by_cost);
	for (size_t t = 0; t < ntasks; t++) {
		size_t best = 0;
		for (size_t k = 1; k < jobs; k++)
			if (load[k] < load[best])
				best = k;
		load[best] += tasks[t].cost;
		s.worker[tasks[t].output * p->nguides + tasks[t].guide] = (unsigned char)best;
	}
	free(tasks);

	pid_t pids[MAX_JOBS];
	int fds[MAX_JOBS];
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	for (size_t k = 1; k < jobs; k++) {
		pids[k] = -1;
		fds[k] = memfd_create("depthbook-worker", MFD_CLOEXEC);
		if (fds[k] >= 0 && (pids[k] = fork()) == 0)
			child(&s, k, fds[k], parent);
		if (pids[k] > 0)
			out_child_started(pids[k]); /* an interrupted build ends it (out.h) */
		if (pids[k] < 0) {
			/* no process: this one renders that share too, after its own */
			if (fds[k] >= 0)
				close(fds[k]);
			fds[k] = -1;
		}
	}
	int status = run_share(&s, 0);
	for (size_t k = 1; k < jobs; k++) {
		/* After an environment failure the build is over: the other
		 * workers' files and diagnostics would only repeat it. */
		int over = fatals() > 0;
		if (pids[k] < 0) {
			if (!over && run_share(&s, k) != 0)
				status = -1;
			continue;
		}
		if (over)
			kill(pids[k], SIGKILL);
		int ws;
		while (waitpid(pids[k], &ws, 0) < 0 && errno == EINTR)
			;
		out_child_ended(pids[k]);
		if (over) {
			close(fds[k]);
			continue;
		}
		int before = diag_count(DIAG_LEVEL_ERROR) + diag_count(DIAG_LEVEL_FATAL);
		int io = lseek(fds[k], 0, SEEK_SET) == 0 ? diag_receive(fds[k]) : -1;
		close(fds[k]);
		int failed = !WIFEXITED(ws) || WEXITSTATUS(ws) != 0;
		if (failed)
			status = -1;
		if (!WIFEXITED(ws) || WEXITSTATUS(ws) > 1 || io != 0) {
			char *msg = xasprintf("a worker process %s", WIFSIGNALED(ws) ? strsignal(WTERMSIG(ws))
			                                              : "sent back incomplete work");
			diag_report(DIAG_INTERNAL, "depthbook", 0, 0, msg);
			free(msg);
			status = -1;
		} else if (failed && diag_count(DIAG_LEVEL_ERROR) + diag_count(DIAG_LEVEL_FATAL) == before) {
			diag_report(DIAG_INTERNAL, "depthbook", 0, 0, "a worker process failed without a diagnostic");
		}
	}
	free(s.worker);
	return status;
}
