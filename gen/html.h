/* html.h: the static HTML site renderer: out/site/ with the library page,
 * one front page and one page per main question for each guide, the
 * search index, 404.html and sitemap.xml, framed by themes/<t>/site/. */
#ifndef DEPTHBOOK_HTML_H
#define DEPTHBOOK_HTML_H

#include "render.h"

/* Publishes lib under opts->out_dir/site. Returns 0, or -1 after a
 * diagnostic (a theme file missing, an output not writable). */
int html_render(const struct model_library *lib, const struct render_opts *opts);

#endif
