/* cards.h: the flashcard renderer (out/cards/<slug>-cards.pdf and .tex). */
#ifndef DEPTHBOOK_CARDS_H
#define DEPTHBOOK_CARDS_H

#include "render.h"
#include "typeset.h"

/* Writes every guide's cards; 0, or -1 after diagnostics. */
int cards_render(const struct model_library *lib, const struct render_opts *opts);

/* The images a guide's cards show, to be copied beside its .tex (v), and
 * for each where the guide first shows it (for messages): the destination
 * as written, the card's unit id and the line its heading is on. */
struct cards_files {
	struct typeset_file *v;
	struct cards_use {
		char *url;
		const char *id;
		int line;
		/* made before the run: an SVG drawn as a PDF (svg.h), a GIF or
		 * WebP as a PNG (pixbuf.h) */
		enum cards_draw { CARDS_COPY, CARDS_SVG_PDF, CARDS_RASTER_PNG } draw;
	} *use;
	size_t n, cap, ucap;
};
void cards_files_free(struct cards_files *f);

/* The LaTeX source of guide g's cards, filled into template (the text of
 * the theme's cards/cards.tex). Each PNG, JPEG, PDF, SVG, GIF or WebP image the cards show
 * is added to files (the .tex names it image-N.EXT); with files NULL, and
 * for an image of any other kind, its alt text prints instead. Returns a
 * string the caller frees, or NULL after a diagnostic. cards_render
 * typesets it; the fuzzer checks it. */
char *cards_tex(const struct model_library *lib, const struct model_guide *g,
                const struct render_opts *opts, const char *template, struct cards_files *files);

#endif
