/* cli.c: reading the command line. Every option is in one table with the
 * commands it applies to; each command has its own usage text, printed by
 * `depthbook COMMAND --help` (and the man page, depthbook(1), says the same). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef DEPTHBOOK_VERSION
#error "DEPTHBOOK_VERSION comes from the file VERSION, through the Makefile"
#endif

#define ON_CHECK (1u << CLI_CHECK)
#define ON_BUILD (1u << CLI_BUILD)
#define ON_SERVE (1u << CLI_SERVE)
#define ON_INIT (1u << CLI_INIT)
#define ON_ALL (ON_CHECK | ON_BUILD | ON_SERVE | ON_INIT)

static const char *const names[] = {
	[CLI_NONE] = "depthbook", [CLI_CHECK] = "check", [CLI_BUILD] = "build",
	[CLI_SERVE] = "serve", [CLI_INIT] = "init",
};

static const char usage_check[] =
	"usage: depthbook check [-o OUT] [--werror] [--no-smart] [--quiet] [CONTENT…]\n";
static const char usage_build[] =
	"usage: depthbook build [-o OUT] [--only html,epub,cards,anki] [--theme DIR]\n"
	"                       [--base-url URL] [--epub-quiz] [--duplex long|short|fold]\n"
	"                       [--back-offset X,Y] [--paper a4|letter] [--sides front|back]\n"
	"                       [--werror] [--no-smart] [--quiet] [CONTENT…]\n";
static const char usage_serve[] =
	"usage: depthbook serve [--port N] [--open] [-o OUT] [--theme DIR] [--base-url URL]\n"
	"                       [--werror] [--no-smart] [--quiet] [CONTENT…]\n";
static const char usage_init[] =
	"usage: depthbook init [--quiet] [DIR]\n";

/* What each command's --help adds below its usage line. */
static const char help_check[] =
	"\nParses and validates the guides and prints every diagnostic, file:line:col first.\n"
	"  --werror     warnings fail the run (exit 1)\n"
	"  --no-smart   no smart punctuation (straight quotes, -- stays --)\n"
	"  --quiet      print only the diagnostics: no summary line, no progress\n";
static const char help_build[] =
	"\nChecks the guides, then publishes them into OUT (default: out/): site/, epub/,\n"
	"cards/ and anki/. Nothing in OUT changes unless every output succeeds.\n"
	"  -o, --output OUT        the output directory (default: out)\n"
	"  --only LIST             build only these outputs: html, epub, cards, anki\n"
	"  --theme DIR             the theme (default: themes/default beside the content,\n"
	"                          else the installed default theme)\n"
	"  --base-url URL          absolute URLs in sitemap.xml, EPUB links to the site\n"
	"  --epub-quiz             list each chapter's follow-up questions at its top\n"
	"  --duplex long|short|fold  how the cards' backs are laid out for printing\n"
	"  --back-offset X,Y       move every card back by X,Y mm\n"
	"  --paper a4|letter       the cards' paper size (default: a4)\n"
	"  --sides front|back      only the cards' fronts or only their backs, for printers\n"
	"                          that feed one side at a time\n"
	"  --werror                warnings fail the build (exit 1)\n"
	"  --no-smart              no smart punctuation\n"
	"  --quiet                 print only the diagnostics: no summary line, no progress\n";
static const char help_serve[] =
	"\nBuilds the site into a private temporary directory (OUT with -o), serves it on\n"
	"http://127.0.0.1:PORT/ only, watches the guides, the files beside them and the\n"
	"theme, rebuilds on every change and reloads the page in the browser. While a\n"
	"guide has errors the last good site stays up and the page shows the diagnostics.\n"
	"Ctrl-C stops it.\n"
	"  --port N        the first port to try (default: 3000; the next free one is used)\n"
	"  --open          open the site in the desktop's browser (xdg-open)\n"
	"  -o, --output OUT  build into OUT instead of a private directory\n"
	"  --theme DIR     the theme, as for build\n"
	"  --base-url URL  as for build\n"
	"  --werror        warnings count as errors\n"
	"  --no-smart      no smart punctuation\n"
	"  --quiet         print only the diagnostics and the address\n";
static const char help_init[] =
	"\nStarts a guide project in DIR (default: the current directory): content/ with an\n"
	"example guide, a .gitignore for out/ and a README. Refuses to overwrite anything.\n"
	"  --quiet     print nothing on success\n";

static const char help_general[] =
	"       depthbook fmt [--check] [--keep-variants] FILE…\n"
	"       depthbook --help | --version\n"
	"       depthbook COMMAND --help\n"
	"\n"
	"Commands:\n"
	"  check   parse and validate the guides; print diagnostics\n"
	"  build   check, then publish the site, EPUB, cards and deck into OUT (out/)\n"
	"  serve   build the site, serve it on 127.0.0.1, rebuild and reload on change\n"
	"  init    start a new guide project in DIR\n"
	"  fmt     rewrite guides into canonical form (numbers, levels, spellings)\n"
	"\n"
	"CONTENT is guide files (*.md) or directories of them (default: content/).\n"
	"Exit status: 0 success, 1 content errors, 2 usage or environment errors.\n"
	"See depthbook(1) for everything else.\n";

static const char *const usages[] = {
	[CLI_CHECK] = usage_check, [CLI_BUILD] = usage_build,
	[CLI_SERVE] = usage_serve, [CLI_INIT] = usage_init,
};
static const char *const helps[] = {
	[CLI_CHECK] = help_check, [CLI_BUILD] = help_build,
	[CLI_SERVE] = help_serve, [CLI_INIT] = help_init,
};

static const char help_fmt[] =
	"usage: depthbook fmt [--check] [--keep-variants] FILE…\n"
	"\nRewrites each guide FILE into canonical form in place: sections, questions and\n"
	"Depths renumbered by their place, every Depth at its heading level, the accepted\n"
	"variant spellings made canonical, and links to positional ids that move rewritten.\n"
	"  --check          change nothing; print a diff and exit 1 when a file is not canonical\n"
	"  --keep-variants  keep the accepted variant spellings (Follow-up Depth 2, Section 2: …)\n";

int cli_fmt_help(void)
{
	fputs(help_fmt, stdout);
	return 0;
}

const char *cli_command_name(enum cli_command command)
{
	return names[command];
}

/* The general usage: every command's usage line, "usage:" only on the first. */
static void print_usage(FILE *f, enum cli_command command)
{
	if (command != CLI_NONE) {
		fputs(usages[command], f);
		return;
	}
	for (int c = CLI_CHECK; c <= CLI_INIT; c++) {
		const char *u = usages[c];
		fputs(c == CLI_CHECK ? u : "      ", f);
		if (c != CLI_CHECK)
			fputs(u + strlen("usage:"), f);
	}
}

int cli_usage_error(enum cli_command command, const char *fmt, const char *arg)
{
	fputs("depthbook: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	print_usage(stderr, command);
	return 2;
}

enum {
	OPT_ONLY = 256, OPT_THEME, OPT_BASE_URL, OPT_EPUB_QUIZ, OPT_DUPLEX, OPT_BACK_OFFSET,
	OPT_PAPER, OPT_SIDES, OPT_WERROR, OPT_NO_SMART, OPT_QUIET, OPT_PORT, OPT_OPEN, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{"output", required_argument, NULL, 'o'},
	{"only", required_argument, NULL, OPT_ONLY},
	{"theme", required_argument, NULL, OPT_THEME},
	{"base-url", required_argument, NULL, OPT_BASE_URL},
	{"epub-quiz", no_argument, NULL, OPT_EPUB_QUIZ},
	{"duplex", required_argument, NULL, OPT_DUPLEX},
	{"back-offset", required_argument, NULL, OPT_BACK_OFFSET},
	{"paper", required_argument, NULL, OPT_PAPER},
	{"sides", required_argument, NULL, OPT_SIDES},
	{"werror", no_argument, NULL, OPT_WERROR},
	{"no-smart", no_argument, NULL, OPT_NO_SMART},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"port", required_argument, NULL, OPT_PORT},
	{"open", no_argument, NULL, OPT_OPEN},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* 1 when word, given as the value of an option that needs one, is itself
 * one of the options (-o, -oDIR, or --NAME, --NAME=V for a name getopt
 * would take, a prefix included): the user left the value out. */
static int is_option(const char *word)
{
	if (strncmp(word, "-o", 2) == 0)
		return 1;
	if (strncmp(word, "--", 2) != 0 || word[2] == '\0')
		return 0;
	size_t n = strcspn(word + 2, "=");
	for (const struct option *o = longopts; o->name != NULL; o++)
		if (strncmp(o->name, word + 2, n) == 0)
			return 1;
	return 0;
}

/* Which commands accept each option (by getopt value). */
static unsigned applies_to(int opt)
{
	switch (opt) {
	case 'o': return ON_CHECK | ON_BUILD | ON_SERVE; /* check reads the last build's id map there */
	case OPT_ONLY: case OPT_EPUB_QUIZ: case OPT_DUPLEX: case OPT_BACK_OFFSET: case OPT_PAPER: case OPT_SIDES:
		return ON_BUILD;
	case OPT_THEME: case OPT_BASE_URL: return ON_BUILD | ON_SERVE;
	case OPT_WERROR: case OPT_NO_SMART: return ON_CHECK | ON_BUILD | ON_SERVE;
	case OPT_PORT: case OPT_OPEN: return ON_SERVE;
	default: return ON_ALL;
	}
}

/* Selects renderers named in a comma list; returns 0, or -1 after a usage
 * error naming the unknown one. */
static int parse_only(const char *list, const char *const *outputs, int *want)
{
	for (size_t i = 0; outputs[i]; i++)
		want[i] = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;
		for (i = 0; outputs[i]; i++)
			if (strlen(outputs[i]) == n && strncmp(outputs[i], p, n) == 0)
				break;
		if (outputs[i] == NULL && n > 0) {
			char *name = xstrndup(p, n);
			cli_usage_error(CLI_BUILD, "--only: unknown output '%s' (known: html, epub, cards, anki)", name);
			free(name);
			return -1;
		}
		if (n > 0)
			want[i] = 1;
		p += n + (p[n] == ',');
	}
	int any = 0;
	for (size_t i = 0; outputs[i]; i++)
		any |= want[i];
	if (!any) {
		cli_usage_error(CLI_BUILD, "--only: no output named in '%s' (known: html, epub, cards, anki)", list);
		return -1;
	}
	return 0;
}

/* The most a printer shifts a back, in mm; beyond it the card would
 * leave its cut marks (a typo like 150,0 rather than 1.5,0). */
#define MAX_BACK_OFFSET 20.0

/* Reads "X,Y" (mm). Returns 0, or -1 for anything else, NaN and infinity
 * included (strtod takes "nan" and "inf"; LaTeX would not). */
static int parse_offset(const char *s, double *x, double *y)
{
	char *end;
	*x = strtod(s, &end);
	if (end == s || *end != ',')
		return -1;
	const char *t = end + 1;
	*y = strtod(t, &end);
	if (end == t || *end != '\0')
		return -1;
	if (!isfinite(*x) || !isfinite(*y) || fabs(*x) > MAX_BACK_OFFSET || fabs(*y) > MAX_BACK_OFFSET)
		return -1;
	return 0;
}

/* 0 if url is a site's address every output can print after it: http or
 * https, a host, and no query, fragment, white space, control character
 * or quote (a "javascript:" one would run in a reader's browser). */
static int check_base_url(const char *url)
{
	size_t scheme = strncasecmp(url, "https://", 8) == 0 ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	if (scheme == 0 || url[scheme] == '\0' || url[scheme] == '/')
		return -1;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("?#\"'<>\\`", *p) != NULL)
			return -1;
	return 0;
}

static int parse_port(const char *s, int *port)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

static enum cli_command command_named(const char *name)
{
	for (int c = CLI_CHECK; c <= CLI_INIT; c++)
		if (strcmp(name, names[c]) == 0)
			return (enum cli_command)c;
	return CLI_NONE;
}

int cli_parse(int argc, char **argv, const char *const *outputs, struct cli *cli)
{
	*cli = (struct cli){
		.opts = {.out_dir = "out", .paper = "a4", .duplex = DUPLEX_LONG, .smart = 1},
		.port = 3000,
	};
	/* every output, unless --only names some */
	for (size_t i = 0; i < CLI_MAX_OUTPUTS; i++)
		cli->want[i] = 1;
	/* The command is the first operand; GNU getopt permutes, so options may
	 * come before or after it. Find it first, so that each option is checked
	 * against the command it is given to. */
	enum cli_command command = CLI_NONE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] == '-') {
			/* skip a separate option value: -o OUT, --theme DIR … */
			const char *name = argv[i][1] == '-' ? argv[i] + 2 : NULL;
			if (strcmp(argv[i], "-o") == 0)
				i++;
			else if (name != NULL && strchr(name, '=') == NULL)
				for (const struct option *o = longopts; o->name; o++)
					if (strcmp(o->name, name) == 0 && o->has_arg == required_argument)
						i++;
			continue;
		}
		command = command_named(argv[i]);
		if (command == CLI_NONE)
			return cli_usage_error(CLI_NONE, "unknown command '%s' (expected check, build, serve, init or fmt)", argv[i]);
		break;
	}
	int help = 0;
	int c, index = -1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:", longopts, &index)) != -1) {
		/* the option as the user spelt it, for messages */
		char given[64];
		if (index >= 0)
			snprintf(given, sizeof given, "--%s", longopts[index].name);
		else
			snprintf(given, sizeof given, "-%c", c > 0 && c < 128 ? c : 'o');
		index = -1;
		if (c == OPT_HELP) {
			help = 1;
			continue;
		}
		if (c == OPT_VERSION) {
			printf("depthbook %s\n", DEPTHBOOK_VERSION);
			return 0;
		}
		if (c == ':')
			return cli_usage_error(command, "option '%s' needs a value", argv[optind - 1]);
		if (c == '?')
			return cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
		if (command != CLI_NONE && !(applies_to(c) & (1u << command)))
			return cli_usage_error(command, "option '%s' does not apply to this command", given);
		/* a value in a word of its own that is another option: --theme -o out */
		if (optarg != NULL && optind >= 2 && optarg == argv[optind - 1] && is_option(optarg)) {
			struct buf msg = {0};
			buf_printf(&msg, "option '%s' needs a value, but the next word is the option '%s' "
			                 "(a path that begins with '-' is written ./%s)",
			           given, optarg, optarg);
			int rc = cli_usage_error(command, "%s", msg.data);
			buf_free(&msg);
			return rc;
		}
		switch (c) {
		case 'o': cli->opts.out_dir = optarg; cli->out_given = 1; break;
		case OPT_ONLY:
			if (parse_only(optarg, outputs, cli->want) != 0)
				return 2;
			cli->only_given = 1;
			break;
		case OPT_THEME: cli->opts.theme_dir = optarg; break;
		case OPT_BASE_URL:
			if (check_base_url(optarg) != 0)
				return cli_usage_error(command, "--base-url: expected the site's absolute http:// or https:// "
				                       "address, without query or fragment (e.g. https://example.org/guides/); "
				                       "found '%s'",
				                       optarg);
			cli->opts.base_url = optarg;
			break;
		case OPT_EPUB_QUIZ: cli->opts.epub_quiz = 1; break;
		case OPT_DUPLEX:
			if (strcmp(optarg, "long") == 0)
				cli->opts.duplex = DUPLEX_LONG;
			else if (strcmp(optarg, "short") == 0)
				cli->opts.duplex = DUPLEX_SHORT;
			else if (strcmp(optarg, "fold") == 0)
				cli->opts.duplex = DUPLEX_FOLD;
			else
				return cli_usage_error(command, "--duplex: expected long, short or fold; found '%s'", optarg);
			break;
		case OPT_BACK_OFFSET:
			if (parse_offset(optarg, &cli->opts.back_offset_x, &cli->opts.back_offset_y) != 0)
				return cli_usage_error(command, "--back-offset: expected X,Y in mm, each between -20 and 20 "
				                       "(e.g. 1.5,-0.5); found '%s'",
				                       optarg);
			break;
		case OPT_PAPER:
			if (strcmp(optarg, "a4") != 0 && strcmp(optarg, "letter") != 0)
				return cli_usage_error(command, "--paper: expected a4 or letter; found '%s'", optarg);
			cli->opts.paper = optarg;
			break;
		case OPT_SIDES:
			/* for printers that feed one side at a time: all fronts, then all backs */
			if (strcmp(optarg, "front") == 0)
				cli->opts.sides = SIDES_FRONT;
			else if (strcmp(optarg, "back") == 0)
				cli->opts.sides = SIDES_BACK;
			else
				return cli_usage_error(command, "--sides: expected front or back; found '%s'", optarg);
			break;
		case OPT_WERROR: cli->werror = 1; break;
		case OPT_NO_SMART: cli->opts.smart = 0; break;
		case OPT_QUIET: cli->quiet = 1; break;
		case OPT_PORT:
			if (parse_port(optarg, &cli->port) != 0)
				return cli_usage_error(command, "--port: expected a port number 0-65535 (0: any free port); found '%s'",
				                       optarg);
			break;
		case OPT_OPEN: cli->open = 1; break;
		}
	}
	if (help) {
		print_usage(stdout, command);
		fputs(command == CLI_NONE ? help_general : helps[command], stdout);
		return 0;
	}
	if (command == CLI_NONE)
		return cli_usage_error(CLI_NONE, "%s", "missing command (check, build, serve or init)");
	if (cli->opts.sides != SIDES_BOTH && cli->opts.duplex == DUPLEX_FOLD)
		return cli_usage_error(command, "%s", "--sides front|back: a --duplex fold sheet holds both sides");
	/* getopt moved the operands to the end; the first is the command. */
	optind++;
	cli->command = command;
	cli->operands = argv + optind;
	cli->noperands = (size_t)(argc - optind);
	if (command == CLI_INIT && cli->noperands > 1)
		return cli_usage_error(command, "init takes one directory; found '%s' too", argv[optind + 1]);
	return -1;
}
