/* cards.h: the flashcard renderer (out/cards/<slug>-cards.pdf and .tex). */
#ifndef DEPTHBOOK_CARDS_H
#define DEPTHBOOK_CARDS_H

#include "render.h"

/* Writes every guide's cards; 0, or -1 after diagnostics. */
int cards_render(const struct model_library *lib, const struct render_opts *opts);

#endif
