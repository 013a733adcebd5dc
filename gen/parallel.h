/* parallel.h: guides over the cores. parallel_render holds the build's
 * only scheduling policy: every (output, guide) the plan renders is one
 * task, and the tasks are dealt to worker processes (fork) by their
 * estimated cost, largest first, each to the least loaded worker; this
 * process is worker 0 and also writes the library-wide files. Workers
 * share nothing but the staging directory, where each writes its own
 * files, so the outputs are the same bytes whatever the number of
 * workers. A worker's diagnostics come back with it, through a memory
 * file. */
#ifndef DEPTHBOOK_PARALLEL_H
#define DEPTHBOOK_PARALLEL_H

#include "plan.h"
#include "render.h"

#include <stddef.h>

/* How many workers to use: DEPTHBOOK_JOBS=N in the environment (1 to 64),
 * else the number of online cores. */
int parallel_jobs(void);

/* Renders what plan p says, of lib, with opts. Returns 0 when every task
 * succeeded, or -1 when any failed (each failure has its diagnostics
 * recorded here; after a content error the other tasks still run, so that
 * every problem is reported; an environment failure ends the build). With
 * one job, too little work to pay for a process (unless DEPTHBOOK_JOBS
 * asks for more), or a failed fork, everything runs in this process. */
int parallel_render(const struct plan *p, const struct model_library *lib, const struct render_opts *opts);

#endif
