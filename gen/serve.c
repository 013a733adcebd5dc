/* serve.c: the preview server (not written yet). */
#include "serve.h"

#include <stdio.h>

int serve_run(const struct cli *cli)
{
	(void)cli;
	fputs("depthbook: serve is not available yet\n", stderr);
	return 2;
}
