/* search.h: the site's search index, split per guide: search/<slug>.js
 * (every main question and follow-up of that guide: address, label,
 * question text, answer text) and search/guides.js (the list of slugs),
 * loaded by the theme's site.js on demand. */
#ifndef DEPTHBOOK_SEARCH_H
#define DEPTHBOOK_SEARCH_H

#include "model.h"

/* Writes guide g's index, search/<slug>.js, under site_dir: part of the
 * guide's own render, since it holds nothing of another guide. Returns 0,
 * or -1 after a diagnostic from out.c. */
int search_guide(const struct model_guide *g, const char *site_dir);

/* Writes search/guides.js, the library's list, under site_dir. Returns 0,
 * or -1 after a diagnostic from out.c. */
int search_list(const struct model_library *lib, const char *site_dir);

#endif
