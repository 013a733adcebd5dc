/* svg_module.c: loads gen/depthbook-svg.so (svg.c) the first time a card
 * shows an SVG, so that no other run loads librsvg and what it brings. */
#include "svg.h"
#include "where.h"

#include <string.h>

char *svg_module_path(void)
{
	return where_module("svg.so");
}

int svg_pdf_module(const char *path, char **pdf, size_t *len, char **why)
{
	static int (*draw)(const char *, char **, size_t *, char **);
	*pdf = NULL;
	*len = 0;
	*why = NULL;
	if (draw == NULL) {
		void *sym = where_load("svg.so", "the SVG module", "svg_pdf");
		if (sym == NULL)
			return -1;
		memcpy(&draw, &sym, sizeof draw); /* ISO C has no cast from object to function pointer */
	}
	return draw(path, pdf, len, why);
}
