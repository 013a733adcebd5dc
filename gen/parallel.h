/* parallel.h: running the requested renderers on both cores. Renderers
 * marked apart run in a child process (fork) while the others run in
 * this one; they share nothing but the staging directory, where each
 * writes its own files. The child's diagnostics come back over a pipe;
 * as in one process, the first side to fail ends the build. */
#ifndef DEPTHBOOK_PARALLEL_H
#define DEPTHBOOK_PARALLEL_H

#include "render.h"

/* Runs every renderer of the NULL-terminated table whose want[] entry is
 * set. Returns 0 when all succeeded, or -1 when any failed (each failure
 * has its diagnostics recorded here). DEPTHBOOK_JOBS=1 in the environment,
 * or a failed fork, runs them all in this process, in table order. */
int parallel_render(const struct renderer *renderers, const int *want,
                    const struct model_library *lib, const struct render_opts *opts);

#endif
