/* render.h: what every renderer is given, and the renderers' entry points.
 * Each renderer reads the validated model and writes its files under
 * opts->out_dir through out.c; none reads another renderer. */
#ifndef DEPTHBOOK_RENDER_H
#define DEPTHBOOK_RENDER_H

#include "model.h"

enum render_duplex { DUPLEX_LONG, DUPLEX_SHORT, DUPLEX_FOLD };

struct render_opts {
	const char *out_dir;      /* "out" */
	const char *theme_dir;    /* "themes/default" */
	const char *base_url;     /* for sitemap.xml, or NULL */
	int epub_quiz;            /* --epub-quiz */
	enum render_duplex duplex;
	double back_offset_x, back_offset_y; /* mm, --back-offset */
	const char *paper;        /* "a4" or "letter" */
	long long date;           /* SOURCE_DATE_EPOCH, else newest guide mtime */
	int date_fixed;           /* 1: date is SOURCE_DATE_EPOCH (the EPUB then dates
	                             every book by it, else each by its guide) */
	int smart;
};

/* Each returns 0 on success; on failure it has reported a diagnostic. */
struct renderer {
	const char *name;         /* as named by --only */
	int (*render)(const struct model_library *lib, const struct render_opts *opts);
	int apart;                /* 1: runs in a child process (parallel.h) */
};

#endif
