/* search.h: the site's search index, split per guide: search/<slug>.js
 * (every main question and follow-up of that guide: address, label,
 * question text, answer text) and search/guides.js (the list of slugs),
 * loaded by the theme's site.js on demand. */
#ifndef DEPTHBOOK_SEARCH_H
#define DEPTHBOOK_SEARCH_H

#include "model.h"

/* Writes the index scripts under site_dir. Returns 0, or -1 after a
 * diagnostic from out.c. */
int search_write(const struct model_library *lib, const char *site_dir);

#endif
