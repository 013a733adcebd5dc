/* epub_module.c: the EPUB renderer lives in a loadable module
 * (gen/depthbook-epub.so beside the executable), because libxml2 and libzip
 * bring ten shared libraries with them (ICU, libstdc++, libcrypto …) whose
 * loading cost every run a few milliseconds: check, the site, the cards and
 * the deck never load them. The module finds the rest of depthbook in the
 * executable, which exports its symbols (-rdynamic), so the two must come
 * from the same build: each carries a token (gen/obj/build-token.c, a
 * checksum of every source, header and flag; epub_build_token here,
 * epub_module_token there), and a module whose token differs is refused
 * rather than run against structures it does not know. */
#define _GNU_SOURCE
#include "diag.h"
#include "epub.h"
#include "util.h"
#include "where.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *epub_module_path(void)
{
	return where_module("epub.so"); /* beside the executable, or as installed */
}

int epub_render_module(const struct model_library *lib, const struct render_opts *opts)
{
	static int (*render)(const struct model_library *, const struct render_opts *);
	if (render == NULL) {
		char *path = epub_module_path();
		void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
		void *sym = handle ? dlsym(handle, "epub_render") : NULL;
		const char *token = handle ? dlsym(handle, "epub_module_token") : NULL;
		const char *mine = epub_build_token ? epub_build_token : "missing";
		if (sym != NULL && (token == NULL || strcmp(token, mine) != 0)) {
			char *msg = xasprintf("the EPUB module is not from this build of depthbook (token %s, "
			                      "executable's %s): run make",
			                      token ? token : "missing", mine);
			diag_report(DIAG_READ, path, 0, 0, msg);
			free(msg);
			free(path);
			return -1;
		}
		if (sym == NULL) {
			const char *why = dlerror();
			char *msg = xasprintf("cannot load the EPUB renderer: %s (run make)", why ? why : "no epub_render");
			diag_report(DIAG_READ, path, 0, 0, msg);
			free(msg);
			free(path);
			return -1;
		}
		free(path);
		memcpy(&render, &sym, sizeof render); /* ISO C has no cast from object to function pointer */
	}
	return render(lib, opts);
}
