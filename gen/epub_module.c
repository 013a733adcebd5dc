/* epub_module.c: the EPUB renderer lives in a loadable module
 * (gen/depthbook-epub.so beside the executable), because libxml2 and libzip
 * bring ten shared libraries with them (ICU, libstdc++, libcrypto …) whose
 * loading cost every run a few milliseconds: check, the site, the cards and
 * the deck never load them. where_load (where.c) loads it, and refuses one
 * from another build. */
#include "epub.h"
#include "where.h"

#include <string.h>

char *epub_module_path(void)
{
	return where_module("epub.so"); /* beside the executable, or as installed */
}

int epub_render_module(const struct model_library *lib, const struct render_opts *opts)
{
	static int (*render)(const struct model_library *, const struct render_opts *);
	if (render == NULL) {
		void *sym = where_load("epub.so", "the EPUB module", "epub_render");
		if (sym == NULL)
			return -1;
		memcpy(&render, &sym, sizeof render); /* ISO C has no cast from object to function pointer */
	}
	return render(lib, opts);
}
