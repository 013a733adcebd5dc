/* svg_module.c: loads gen/depthbook-svg.so (svg.c, pixbuf.c) the first
 * time a card shows an SVG, a GIF or a WebP, so that no other run loads
 * librsvg, gdk-pixbuf and what they bring. */
#include "pixbuf.h"
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

int pixbuf_png_module(const char *path, char **png, size_t *len, char **why)
{
	static int (*draw)(const char *, char **, size_t *, char **);
	*png = NULL;
	*len = 0;
	*why = NULL;
	if (draw == NULL) {
		void *sym = where_load("svg.so", "the SVG module", "pixbuf_png");
		if (sym == NULL)
			return -1;
		memcpy(&draw, &sym, sizeof draw); /* ISO C has no cast from object to function pointer */
	}
	return draw(path, png, len, why);
}
