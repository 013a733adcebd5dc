/* parallel.c: work on both cores, in two processes or two threads (see
 * parallel.h). */
#define _GNU_SOURCE
#include "parallel.h"
#include "diag.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <threads.h>
#include <unistd.h>

/* Runs the wanted renderers with apart == side, in table order, stopping
 * at the first failure. Returns 0 or -1. */
static int run_side(const struct renderer *rs, const int *want, int side,
                    const struct model_library *lib, const struct render_opts *opts)
{
	for (size_t i = 0; rs[i].name != NULL; i++)
		if (want[i] && rs[i].apart == side && rs[i].render(lib, opts) != 0)
			return -1;
	return 0;
}

struct sides {
	const struct renderer *rs;
	const int *want;
	const struct model_library *lib;
	const struct render_opts *opts;
};

/* parallel_map's work: item 0 is the renderers that stay here, item 1
 * those marked apart. Their output is the files they wrote. */
static char *render_side(size_t side, size_t *len, void *vsides)
{
	const struct sides *s = vsides;
	*len = 0;
	return run_side(s->rs, s->want, (int)side, s->lib, s->opts) == 0 ? xstrdup("") : NULL;
}

int parallel_render(const struct renderer *rs, const int *want, const struct model_library *lib,
                    const struct render_opts *opts)
{
	size_t apart = 0, here = 0;
	for (size_t i = 0; rs[i].name != NULL; i++)
		if (want[i])
			*(rs[i].apart ? &apart : &here) += 1;
	size_t bytes = 0;
	for (size_t i = 0; i < lib->nguides; i++)
		bytes += lib->guides[i]->file->len;
	struct sides s = {rs, want, lib, opts};
	char *done[2];
	size_t len[2];
	/* with nothing on one side, or too little to pay for a process,
	 * everything runs here */
	int r = parallel_map(2, apart > 0 && here > 0 && parallel_pays(bytes) ? 1 : 2, render_side, &s, done, len);
	if (r == 0)
		free(done[0]), free(done[1]);
	return r;
}

/* Computes items [from, to) here. Returns 0, or -1 at the first failure. */
static int map_here(size_t from, size_t to, char *(*work)(size_t, size_t *, void *), void *ctx,
                    char **out, size_t *len)
{
	for (size_t i = from; i < to; i++)
		if ((out[i] = work(i, &len[i], ctx)) == NULL)
			return -1;
	return 0;
}

/* The child's side of parallel_map: each item as its length and bytes, a
 * length of SIZE_MAX for a failed one (and nothing after it), then the
 * diagnostics. */
static void map_child(int fd, pid_t parent, size_t from, size_t to,
                      char *(*work)(size_t, size_t *, void *), void *ctx)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	diag_clear(); /* the parent's, which it reports itself */
	int ok = 1, io = 0;
	for (size_t i = from; i < to && ok && io == 0; i++) {
		size_t len = 0;
		char *data = work(i, &len, ctx);
		ok = data != NULL;
		size_t mark = ok ? len : SIZE_MAX;
		io = write_full(fd, &mark, sizeof mark);
		if (ok && io == 0)
			io = write_full(fd, data, len);
		free(data);
	}
	if (io == 0)
		io = diag_send(fd);
	_exit(io != 0 ? 3 : ok ? 0 : 1);
}

int parallel_jobs(void)
{
	const char *jobs = getenv("DEPTHBOOK_JOBS");
	return jobs != NULL && strcmp(jobs, "1") == 0 ? 1 : 2;
}

struct half {
	void (*work)(size_t from, size_t to, void *ctx);
	void *ctx;
	size_t from, to;
};

/* thrd_create's: the second half of a parallel_halves. */
static int half_thread(void *arg)
{
	struct half *h = arg;
	h->work(h->from, h->to, h->ctx);
	return 0;
}

int parallel_pays(size_t bytes)
{
	const char *jobs = getenv("DEPTHBOOK_JOBS");
	if (jobs != NULL && strcmp(jobs, "2") == 0)
		return 1;
	return bytes >= ((size_t)256 << 10) && parallel_jobs() > 1;
}

void parallel_halves(size_t n, size_t bytes, void (*work)(size_t from, size_t to, void *ctx), void *ctx)
{
	struct half second = {work, ctx, n / 2, n};
	thrd_t t;
	if (n < 2 || !parallel_pays(bytes) || thrd_create(&t, half_thread, &second) != thrd_success) {
		work(0, n, ctx);
		return;
	}
	work(0, n / 2, ctx);
	thrd_join(t, NULL);
}

int parallel_map(size_t n, size_t split, char *(*work)(size_t i, size_t *len, void *ctx), void *ctx,
                 char **out, size_t *len)
{
	for (size_t i = 0; i < n; i++)
		out[i] = NULL, len[i] = 0;
	int fd = -1;
	pid_t pid = -1;
	if (split < n && parallel_jobs() > 1 &&
	    (fd = memfd_create("depthbook-map", MFD_CLOEXEC)) >= 0) {
		fflush(stdout);
		fflush(stderr);
		pid_t parent = getpid();
		pid = fork();
		if (pid == 0)
			map_child(fd, parent, split, n, work, ctx);
		if (pid > 0)
			out_child_started(pid); /* an interrupted build ends it (out.h) */
	}
	int r;
	if (pid < 0) {
		if (fd >= 0)
			close(fd);
		r = map_here(0, n, work, ctx, out, len);
	} else {
		r = map_here(0, split, work, ctx, out, len);
		if (r != 0)
			kill(pid, SIGKILL);
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		out_child_ended(pid);
		int io = 0;
		if (r == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) > 1))
			io = -1;
		if (r == 0 && io == 0 && lseek(fd, 0, SEEK_SET) != 0)
			io = -1;
		if (r == 0 && io == 0) {
			for (size_t i = split; i < n && r == 0 && io == 0; i++) {
				size_t mark;
				io = read_full(fd, &mark, sizeof mark) != 0 ? -1 : 0;
				if (io == 0 && mark == SIZE_MAX) {
					r = -1;
				} else if (io == 0) {
					out[i] = xmalloc(mark + 1);
					io = read_full(fd, out[i], mark) != 0 ? -1 : 0;
					out[i][mark] = '\0';
					len[i] = mark;
				}
			}
			int before = diag_count(DIAG_LEVEL_ERROR) + diag_count(DIAG_LEVEL_FATAL);
			if (io == 0)
				io = diag_receive(fd);
			if (r != 0 && io == 0 && diag_count(DIAG_LEVEL_ERROR) + diag_count(DIAG_LEVEL_FATAL) == before)
				diag_report(DIAG_INTERNAL, "depthbook", 0, 0, "the worker process failed without a diagnostic");
		}
		if (r == 0 && io != 0) {
			char *msg = xasprintf("the worker process %s", WIFSIGNALED(status) ? strsignal(WTERMSIG(status))
			                                               : "sent back incomplete work");
			diag_report(DIAG_INTERNAL, "depthbook", 0, 0, msg);
			free(msg);
			r = -1;
		}
		close(fd);
	}
	if (r != 0)
		for (size_t i = 0; i < n; i++) {
			free(out[i]);
			out[i] = NULL;
		}
	return r;
}
