/* where.h: finding depthbook's own files from the executable's location. */
#ifndef DEPTHBOOK_WHERE_H
#define DEPTHBOOK_WHERE_H

/* The directory holding the running executable (symbolic links resolved),
 * or NULL without /proc. The caller frees. */
char *where_exe_dir(void);

/* The path of rel (e.g. "themes/default", "skel") in depthbook's
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

/* The build token linked into the executable (gen/obj/build-token.c, a
 * checksum of every source, header, the Makefile and the flags); each
 * module carries its copy as where_module_token. Weak: a program linked
 * from the objects alone (the unit tests, the fuzz target) has none and
 * loads no module. */
extern const char where_build_token[] __attribute__((weak));

/* The one way a module is loaded: opens the module where_module(module)
 * finds, lazily (RTLD_LAZY: binding all of its libraries' symbols up front
 * would cost every run that loads it), and returns its symbol. A module
 * finds the rest of depthbook in the executable, which exports its symbols
 * (-rdynamic), so the two must come from one build: a module whose token
 * is not the executable's is refused rather than run against structures
 * it does not know. Returns NULL after a diagnostic naming the module's
 * path and, as what, the module ("the EPUB module is not from this build
 * of depthbook …"). */
void *where_load(const char *module, const char *what, const char *symbol);

/* where_load for a caller that prints no diagnostics (serve, before any
 * build): NULL with *why set to a message that begins with the module's
 * path, which the caller frees. */
void *where_symbol(const char *module, const char *symbol, char **why);

#endif
