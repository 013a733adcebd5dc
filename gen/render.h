/* render.h: what every renderer is given, and the renderers' entry points.
 * Each renderer reads the validated model and writes its files under
 * opts->out_dir through out.c; none reads another renderer. */
#ifndef DEPTHBOOK_RENDER_H
#define DEPTHBOOK_RENDER_H

#include "model.h"

#include <string.h>

enum render_duplex { DUPLEX_LONG, DUPLEX_SHORT, DUPLEX_FOLD };
enum render_sides { SIDES_BOTH, SIDES_FRONT, SIDES_BACK };

struct render_opts {
	const char *out_dir;      /* "out" */
	const char *theme_dir;    /* "themes/default" */
	const char *base_url;     /* for sitemap.xml, or NULL */
	int epub_quiz;            /* --epub-quiz */
	enum render_duplex duplex;
	double back_offset_x, back_offset_y; /* mm, --back-offset */
	const char *paper;        /* "a4" or "letter" */
	enum render_sides sides;  /* --sides: the cards' fronts and backs, or one side */
	long long date;           /* SOURCE_DATE_EPOCH, else newest guide mtime */
	int date_set;             /* 1: date is SOURCE_DATE_EPOCH, for every guide */
	int smart;
	/* The share of the work this run does (plan.h, parallel.h): the
	 * guides to render, todo[i] for lib->guides[i] (NULL: every guide),
	 * and whether to leave the library-wide files (site index, search
	 * index, sitemap, assets) to another run. A renderer's guide loop
	 * tests render_todo; the files of the guides it skips stay as the
	 * last build published them. */
	const unsigned char *todo;
	int skip_library;
};

/* Whether this run renders guide i of the library. */
static inline int render_todo(const struct render_opts *opts, size_t i)
{
	return opts->todo == NULL || opts->todo[i];
}

/* The date a guide's files carry: SOURCE_DATE_EPOCH when set, else the
 * guide's own modification time, so that an edit to one guide changes no
 * other guide's files. */
static inline long long render_date(const struct render_opts *opts, const struct model_guide *g)
{
	return opts->date_set ? opts->date : g->file->mtime;
}

/* Each returns 0 on success; on failure it has reported a diagnostic. */
struct renderer {
	const char *name;         /* as named by --only */
	int (*render)(const struct model_library *lib, const struct render_opts *opts);
	int library;              /* 1: also writes library-wide files (opts->skip_library) */
	/* The files a guide's render writes, under the output directory, "%s"
	 * standing for the guide's slug in the last part; a pattern that is
	 * "%s" alone there names a directory, the guide's tree. NULL-
	 * terminated. Before a render the plan removes them for every guide
	 * that is gone (plan.h); a renderer that writes a varying set of files
	 * into a guide's directory prunes what it no longer writes (out.h). */
	const char *const *guide_files;
};

/* Slugs that would name a library-wide file or folder of some output
 * (site/assets/, site/files/, site/search/, site/review/,
 * site/search/guides.js, anki/library.apkg), so no guide may take them (validate.c reports it),
 * and a name in an output's folder that matches a guide_files pattern
 * with one of them is never a guide's (plan.c). */
static inline int render_slug_reserved(const char *slug, size_t len)
{
	static const char *const reserved[] = {"assets", "files", "search", "review", "guides", "library"};
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (len == strlen(reserved[i]) && memcmp(slug, reserved[i], len) == 0)
			return 1;
	return 0;
}

#endif
