/* parallel.h: using both cores. parallel_map computes a share of its
 * items in a child process (fork); parallel_render runs the renderers
 * marked apart as that share, while the others run in this process; they
 * share nothing but the staging directory, where each writes its own
 * files. The child's diagnostics come back with its work; as in one
 * process, the first failure in this process's share ends the build.
 * parallel_halves splits a loop over the model between two threads of
 * this process. (md.c parses a guide in two threads of its own.) */
#ifndef DEPTHBOOK_PARALLEL_H
#define DEPTHBOOK_PARALLEL_H

#include "render.h"

/* How many cores to use: 1 with DEPTHBOOK_JOBS=1 in the environment,
 * else 2. */
int parallel_jobs(void);

/* Whether work on guides of this many bytes gains from a second thread or
 * process: 256 KB or more, and more than one job. Below, starting one (a
 * thread starts up to 3 ms late on these machines' virtual CPUs, measured)
 * costs what it saves. DEPTHBOOK_JOBS=2 uses two at any size (tests). */
int parallel_pays(size_t bytes);

/* Calls work(from, to, ctx) on the ranges [n/2, n) in a second thread and
 * [0, n/2) in this one, and returns when both are done; when threads do
 * not pay for a guide of this many bytes (or none starts), work(0, n, ctx)
 * here. work must touch nothing the other range does. */
void parallel_halves(size_t n, size_t bytes, void (*work)(size_t from, size_t to, void *ctx), void *ctx);

/* Runs every renderer of the NULL-terminated table whose want[] entry is
 * set. Returns 0 when all succeeded, or -1 when any failed (each failure
 * has its diagnostics recorded here). DEPTHBOOK_JOBS=1 in the environment,
 * or a failed fork, runs them all in this process: those that stay here,
 * then those marked apart, each in table order. */
int parallel_render(const struct renderer *renderers, const int *want,
                    const struct model_library *lib, const struct render_opts *opts);

/* Computes out[i] = work(i, &len[i], ctx) for every i below n: the items
 * from split on in a child process, which writes them and its
 * diagnostics to a memory file the parent reads once it is done with its
 * own share, so neither waits on the other. work returns a malloc'd
 * string, or NULL after a diagnostic. Returns 0, or -1 when any item
 * failed (the outputs are then all freed and NULL). With
 * DEPTHBOOK_JOBS=1, a split of n, or when the child cannot be started,
 * every item is computed here. */
int parallel_map(size_t n, size_t split, char *(*work)(size_t i, size_t *len, void *ctx), void *ctx,
                 char **out, size_t *len);

#endif
