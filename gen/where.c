/* where.c: where depthbook's own files are — the default theme, the shared
 * data (init's example guide) and the modules, which it also loads — found
 * from the executable's own location (/proc/self/exe), never from the
 * working directory, so an installed depthbook runs from anywhere. */
#define _GNU_SOURCE
#include "where.h"
#include "diag.h"
#include "util.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The executable's path with symbolic links resolved, or NULL when
 * /proc is not mounted. The caller frees. */
static char *exe_path(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	return xstrdup(exe);
}

char *where_exe_dir(void)
{
	char *exe = exe_path();
	if (exe == NULL)
		return NULL;
	char *slash = strrchr(exe, '/');
	if (slash == NULL) {
		free(exe);
		return NULL;
	}
	*slash = '\0';
	if (exe[0] == '\0')
		strcpy(exe, "/");
	return exe;
}

char *where_share(const char *rel)
{
	char *dir = where_exe_dir();
	if (dir == NULL)
		return NULL;
	/* Installed: BINDIR/../share/depthbook (make install keeps BINDIR and
	 * DATADIR side by side). Then the checkout: gen/.. holds themes/ and
	 * share/ as the repository lays them out. */
	const char *bases[] = {"%s/../share/depthbook/%s", "%s/../%s"};
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		char *path = xasprintf(bases[i], dir, rel);
		if (is_dir(path) || is_file(path)) {
			free(dir);
			return path;
		}
		free(path);
	}
	free(dir);
	return NULL;
}

/* The parent of path, by dropping its last component ("content" → ".",
 * "a/b" → "a"), or path/.. when that component is "." or "..". The caller
 * frees. */
static char *parent_of(const char *path)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *slash = NULL;
	for (size_t i = len; i > 0; i--)
		if (path[i - 1] == '/') {
			slash = path + i - 1;
			break;
		}
	const char *last = slash ? slash + 1 : path;
	size_t last_len = (size_t)(path + len - last);
	if ((last_len == 1 && last[0] == '.') || (last_len == 2 && last[0] == '.' && last[1] == '.'))
		return xasprintf("%.*s/..", (int)len, path);
	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The project directory that holds a CONTENT operand: a directory's parent,
 * a file's directory's parent. The caller frees. */
static char *project_of(const char *content)
{
	if (is_dir(content))
		return parent_of(content);
	char *dir = parent_of(content);
	char *project = parent_of(dir);
	free(dir);
	return project;
}

char *where_theme(const char *option, const char *content)
{
	if (option != NULL)
		return xstrdup(option);
	if (content != NULL) {
		char *project = project_of(content);
		char *beside = strcmp(project, ".") == 0 ? xstrdup("themes/default")
		                                         : xasprintf("%s/themes/default", project);
		free(project);
		if (is_dir(beside))
			return beside;
		free(beside);
	}
	char *shared = where_share("themes/default");
	return shared ? shared : xstrdup("themes/default");
}

char *where_module(const char *name)
{
	char *exe = exe_path();
	if (exe == NULL)
		return xstrdup(name);
	/* Beside the executable first (the checkout's gen/depthbook-epub.so,
	 * named after the executable so the sanitizer build finds its own),
	 * then LIBDIR/depthbook/ as make install puts it. */
	char *beside = xasprintf("%s-%s", exe, name);
	if (is_file(beside)) {
		free(exe);
		return beside;
	}
	char *slash = strrchr(exe, '/');
	const char *base = slash ? slash + 1 : exe;
	char *dir = xstrndup(exe, slash ? (size_t)(slash - exe) : 0);
	char *installed = xasprintf("%s/../lib/depthbook/%s-%s", dir, base, name);
	free(dir);
	free(exe);
	if (is_file(installed)) {
		free(beside);
		return installed;
	}
	free(installed);
	return beside;
}

/* where_load's work: NULL with *why set to a message without the path,
 * which the caller frees. *path is always the module's, freed by the
 * caller too. */
static void *load(const char *module, const char *what, const char *symbol, char **path, char **why)
{
	*path = where_module(module);
	void *handle = dlopen(*path, RTLD_LAZY | RTLD_LOCAL);
	void *sym = handle ? dlsym(handle, symbol) : NULL;
	if (sym == NULL) {
		const char *e = dlerror();
		*why = xasprintf("cannot load %s: %s", what, e ? e : symbol);
	} else {
		const char *token = dlsym(handle, "where_module_token");
		const char *mine = where_build_token ? where_build_token : "missing";
		if (token == NULL || strcmp(token, mine) != 0) {
			*why = xasprintf("%s is not from this build of depthbook (token %s, executable's %s)", what,
			                 token ? token : "missing", mine);
			sym = NULL;
		}
	}
	/* none of a refused module's code is kept */
	if (sym == NULL && handle != NULL)
		dlclose(handle);
	return sym;
}

void *where_load(const char *module, const char *what, const char *symbol)
{
	char *path = NULL, *why = NULL;
	void *sym = load(module, what, symbol, &path, &why);
	if (sym == NULL) {
		char *msg = xasprintf("%s (run make)", why);
		diag_report(DIAG_READ, path, 0, 0, msg);
		free(msg);
		free(why);
	}
	free(path);
	return sym;
}

void *where_symbol(const char *module, const char *symbol, char **why)
{
	char *path = NULL, *reason = NULL;
	void *sym = load(module, "the module", symbol, &path, &reason);
	if (sym == NULL) {
		*why = xasprintf("%s: %s", path, reason);
		free(reason);
	}
	free(path);
	return sym;
}
