/* where.h: finding depthbook's own files from the executable's location. */
#ifndef DEPTHBOOK_WHERE_H
#define DEPTHBOOK_WHERE_H

/* The directory holding the running executable (symbolic links resolved),
 * or NULL without /proc. The caller frees. */
char *where_exe_dir(void);

/* The path of rel (e.g. "themes/default", "init/guide.md") in depthbook's
 * shared data: BINDIR/../share/depthbook/rel when installed, else the
 * checkout's gen/../rel. Returns NULL when neither exists; the caller frees. */
char *where_share(const char *rel);

/* The theme directory a build uses, in this order: option (--theme DIR) if
 * not NULL; themes/default in the project directory that holds the first
 * CONTENT operand (content/../themes/default); the shared default theme
 * (where_share). Always returns a path, which the caller frees. */
char *where_theme(const char *option, const char *content);

/* The path of a module the executable loads (name "epub.so"): EXE-name
 * beside the executable, else BINDIR/../lib/depthbook/EXE-name as installed.
 * Always returns a path (the first when neither exists); the caller frees. */
char *where_module(const char *name);

/* Loads the module where_module(module) finds and returns its symbol, or
 * NULL with *why set to a message the caller frees. */
void *where_symbol(const char *module, const char *symbol, char **why);

#endif
