/* init.h: `depthbook init [DIR]`, a new guide project. */
#ifndef DEPTHBOOK_INIT_H
#define DEPTHBOOK_INIT_H

#include "cli.h"

/* Writes the project skeleton (depthbook's shared skel/: content/ with an
 * example guide, .gitignore, README.md) into cli->operands[0] or ".",
 * refusing when any of them exists. Returns the exit status (0, or 2). */
int init_run(const struct cli *cli);

#endif
