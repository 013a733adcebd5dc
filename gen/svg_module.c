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

/* Calls the module's function symbol, looked up in *fn the first time;
 * *why, when set, is a message without a line end or full stop. */
typedef int draw_fn(const char *, char **, size_t *, char **);
static int draw(const char *symbol, draw_fn **fn, const char *path, char **out, size_t *len, char **why)
{
	*out = NULL;
	*len = 0;
	*why = NULL;
	if (*fn == NULL) {
		void *sym = where_load("svg.so", "the SVG module", symbol);
		if (sym == NULL)
			return -1;
		memcpy(fn, &sym, sizeof *fn); /* ISO C has no cast from object to function pointer */
	}
	int r = (*fn)(path, out, len, why);
	/* librsvg's messages end in a newline, gdk-pixbuf's in a full stop;
	 * the callers' diagnostics put the message at the end of their own */
	for (size_t n = *why ? strlen(*why) : 0; n > 0 && strchr("\n .", (*why)[n - 1]) != NULL; n--)
		(*why)[n - 1] = '\0';
	return r;
}

int svg_pdf_module(const char *path, char **pdf, size_t *len, char **why)
{
	static draw_fn *fn;
	return draw("svg_pdf", &fn, path, pdf, len, why);
}

int pixbuf_png_module(const char *path, char **png, size_t *len, char **why)
{
	static draw_fn *fn;
	return draw("pixbuf_png", &fn, path, png, len, why);
}
