/* cli.h: the command line — which command, which options — read once by
 * main.c, with the usage text each command prints for --help. */
#ifndef DEPTHBOOK_CLI_H
#define DEPTHBOOK_CLI_H

#include "render.h"

#include <stddef.h>

enum cli_command { CLI_NONE, CLI_CHECK, CLI_BUILD, CLI_SERVE, CLI_INIT };

#define CLI_MAX_OUTPUTS 8

struct cli {
	enum cli_command command;
	struct render_opts opts;      /* theme_dir left NULL unless --theme */
	int want[CLI_MAX_OUTPUTS];    /* per renderer: 1 when asked for */
	int only_given;               /* --only was given */
	int out_given;                /* -o was given */
	int werror, quiet;
	int port;                     /* serve: first port to try */
	int open;                     /* serve: open the browser */
	char **operands;              /* CONTENT… (or init's DIR) */
	size_t noperands;
};

/* Reads argv into *cli; outputs[] names the renderers (NULL-terminated) for
 * --only. Returns -1 when the command should run, otherwise the exit status
 * to end with: 0 after --help or --version (printed on stdout), 2 after a
 * usage error (printed on stderr with the usage). */
int cli_parse(int argc, char **argv, const char *const *outputs, struct cli *cli);

/* Prints a usage error about the command and its usage; returns 2. */
int cli_usage_error(enum cli_command command, const char *fmt, const char *arg);

/* Prints fmt's --help (fmt.c reads its own options) on stdout; returns 0. */
int cli_fmt_help(void);

/* The command's name ("build"), for messages. */
const char *cli_command_name(enum cli_command command);

#endif
