/* pixbuf.h: a GIF or WebP image as a PNG, for the cards (pdflatex and
 * LuaLaTeX include PNG, not GIF or WebP). pixbuf.c lives in the loadable
 * module gen/depthbook-svg.so with svg.c (gdk-pixbuf comes with librsvg);
 * svg_module.c loads it. */
#ifndef DEPTHBOOK_PIXBUF_H
#define DEPTHBOOK_PIXBUF_H

#include <stddef.h>

/* Decodes the image at path (a GIF's first frame) and encodes it as a PNG
 * of the same pixels. Returns 0 with the PNG in *png (malloc'd, *len
 * bytes), or -1 with *why (malloc'd) saying what is wrong with the file. */
int pixbuf_png(const char *path, char **png, size_t *len, char **why);

/* pixbuf_png through the module, loaded on the first call. Returns -1
 * with *why NULL when the module cannot be loaded (after a diagnostic). */
int pixbuf_png_module(const char *path, char **png, size_t *len, char **why);

#endif
