/* serve.h: `depthbook serve`, the preview server. */
#ifndef DEPTHBOOK_SERVE_H
#define DEPTHBOOK_SERVE_H

#include "cli.h"

/* Builds the site, serves it on 127.0.0.1 and rebuilds and reloads on
 * every change until SIGINT or SIGTERM. Returns the exit status. */
int serve_run(const struct cli *cli);

#endif
