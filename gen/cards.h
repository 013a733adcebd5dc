/* cards.h: the flashcard renderer (out/cards/<slug>-cards.pdf and .tex). */
#ifndef DEPTHBOOK_CARDS_H
#define DEPTHBOOK_CARDS_H

#include "render.h"

/* Writes every guide's cards; 0, or -1 after diagnostics. */
int cards_render(const struct model_library *lib, const struct render_opts *opts);

/* The LaTeX source of guide g's cards, filled into template (the text of
 * the theme's cards/cards.tex). Returns a string the caller frees, or NULL
 * after a diagnostic. cards_render typesets it; the fuzzer checks it. */
char *cards_tex(const struct model_library *lib, const struct model_guide *g,
                const struct render_opts *opts, const char *template);

#endif
