/* anki.h: the Anki deck export (out/anki/<slug>.txt). */
#ifndef DEPTHBOOK_ANKI_H
#define DEPTHBOOK_ANKI_H

#include "render.h"

/* Writes every guide's deck; 0, or -1 after diagnostics. */
int anki_render(const struct model_library *lib, const struct render_opts *opts);

#endif
