/* svg.h: an SVG image as a one-page PDF (svg.c, in the loadable module
 * gen/depthbook-svg.so; svg_module.c loads it). */
#ifndef DEPTHBOOK_SVG_H
#define DEPTHBOOK_SVG_H

#include <stddef.h>

/* Draws the SVG at path onto one PDF page of its own size (CSS pixels at
 * 96 to the inch). Returns 0 with the PDF in *pdf (malloc'd, *len bytes),
 * or -1 with *why (malloc'd) saying what is wrong with the file. */
int svg_pdf(const char *path, char **pdf, size_t *len, char **why);

/* svg_pdf through the module, loaded on the first call. Returns -1 with
 * *why NULL when the module cannot be loaded (after a diagnostic). */
int svg_pdf_module(const char *path, char **pdf, size_t *len, char **why);

/* Where the module is, for the cards' key (stamp.c). Caller frees. */
char *svg_module_path(void);

#endif
