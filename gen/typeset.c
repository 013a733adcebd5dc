/* typeset.c: one pdflatex or lualatex run in a private temporary directory. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "typeset.h"
#include "diag.h"
#include "out.h"
#include "util.h"

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int typeset_available(const char *engine)
{
	const char *path = getenv("PATH");
	if (path == NULL)
		return 0;
	while (*path) {
		size_t n = strcspn(path, ":");
		char *file = xasprintf("%.*s/%s", (int)n, n ? path : ".", engine);
		int ok = access(file, X_OK) == 0;
		free(file);
		if (ok)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* Reads dir/name whole; returns a string the caller frees (NULL if absent),
 * its length in *len. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *data = read_whole(path, len);
	free(path);
	return data;
}

/* The child: in dir, with the paranoid file settings, runs engine. */
static void child(const char *engine, const char *dir, long long date)
{
	/* its own process group, so that an interrupted build ends pdflatex
	 * and anything it starts in one kill (out_child_started) */
	setpgid(0, 0);
	if (chdir(dir) != 0)
		_exit(127);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	/* kpathsea: 'p' (paranoid) refuses dot files, absolute paths and ".."
	 * for both reading and writing; TEXMFOUTPUT would widen that. */
	/* a guide must not hang the build: stop pdflatex after five minutes */
	alarm(300);
	setenv("openin_any", "p", 1);
	setenv("openout_any", "p", 1);
	unsetenv("TEXMFOUTPUT");
	unsetenv("TEXINPUTS");
	char stamp[32];
	snprintf(stamp, sizeof stamp, "%lld", date);
	setenv("SOURCE_DATE_EPOCH", stamp, 1);
	setenv("FORCE_SOURCE_DATE", "1", 1);
	/* one log line per message, so that cards.c reads each whole */
	setenv("max_print_line", "100000", 1);
	char *argv[] = {(char *)engine, "-no-shell-escape", "-halt-on-error", "-interaction=nonstopmode",
	                "card.tex", NULL};
	execvp(engine, argv);
	_exit(127);
}

/* Removes "depthbook-latex-PID.*" directories in tmp whose build is gone
 * (killed during its LaTeX run, it could not clean up). PID is the
 * build's (out_build_pid), not the worker's: a worker killed with its
 * build may linger until it is reaped, but the build the user killed and
 * waited for is gone. */
static void clean_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "depthbook-latex-", 16) != 0)
			continue;
		char *end;
		long pid = strtol(e->d_name + 16, &end, 10);
		if (*end != '.' || pid <= 0 || pid == out_build_pid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char *path = xasprintf("%s/%s", tmp, e->d_name);
		remove_tree(path);
		free(path);
	}
	closedir(d);
}

/* Writes len bytes of data to dir/name; 0, or -1 after a diagnostic
 * naming what.*/
static int put_file(const char *dir, const char *name, const char *data, size_t len, const char *what)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	int bad = f == NULL || fwrite(data, 1, len, f) != len;
	if (f != NULL && fclose(f) != 0)
		bad = 1;
	if (bad)
		diag_report(DIAG_INTERNAL, path, 0, 0, what);
	free(path);
	return bad ? -1 : 0;
}

int typeset_run(const char *engine, const char *tex, size_t len, long long date, const struct typeset_file *files,
                size_t nfiles, struct typeset_result *r)
{
	memset(r, 0, sizeof *r);
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	clean_stale(tmp);
	char *dir = xasprintf("%s/depthbook-latex-%ld.XXXXXX", tmp, out_build_pid());
	if (mkdtemp(dir) == NULL) {
		diag_report(DIAG_INTERNAL, dir, 0, 0, strerror(errno));
		free(dir);
		r->log = xstrdup("");
		return -1;
	}
	out_temp_dir_started(dir); /* an interrupted build removes it (out.h) */
	int bad = put_file(dir, "card.tex", tex, len, "cannot write the LaTeX source");
	for (size_t i = 0; i < nfiles && !bad; i++) {
		if (files[i].data != NULL) {
			bad = put_file(dir, files[i].name, files[i].data, files[i].len, "cannot write a file for the cards") != 0;
			continue;
		}
		size_t n;
		char *data = read_whole(files[i].path, &n);
		if (data == NULL)
			diag_report(DIAG_INTERNAL, files[i].path, 0, 0, "cannot read this file for the cards");
		bad = data == NULL || put_file(dir, files[i].name, data, n, "cannot copy a file for the cards") != 0;
		free(data);
	}
	if (bad) {
		out_temp_dir_ended(dir);
		remove_tree(dir);
		free(dir);
		r->log = xstrdup("");
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		child(engine, dir, date);
	int status = -1;
	if (pid > 0) {
		setpgid(pid, pid); /* as the child does: whichever runs first */
		out_child_started(-(long)pid);
		out_test_pause("latex");
	}
	int waited = pid < 0 ? -1 : (int)waitpid(pid, &status, 0);
	if (pid > 0)
		out_child_ended(-(long)pid);
	if (waited < 0) {
		diag_report(DIAG_INTERNAL, engine, 0, 0, strerror(errno));
		out_temp_dir_ended(dir);
		remove_tree(dir);
		free(dir);
		r->log = xstrdup("");
		return -1;
	}
	size_t n = 0;
	r->log = slurp(dir, "card.log", &n);
	if (r->log == NULL)
		r->log = xstrdup("");
	r->pdf = slurp(dir, "card.pdf", &r->pdf_len);
	r->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && r->pdf != NULL;
	out_temp_dir_ended(dir);
	remove_tree(dir);
	free(dir);
	return 0;
}

void typeset_result_free(struct typeset_result *r)
{
	free(r->pdf);
	free(r->log);
	r->pdf = r->log = NULL;
}
