/* link.h: what a link or image destination names, in one place. Given a
 * guide and a destination as written, link_resolve says whether it leads
 * out of the library, to a unit or a guide of it, to a file beside the
 * guide, or nowhere; the helpers under it (unit lookup by id, guide lookup
 * by path, a linked file's path and whether it stays inside the content
 * directory) are the ones validate.c and every renderer use, so that the
 * check and the outputs can never disagree about a link. */
#ifndef DEPTHBOOK_LINK_H
#define DEPTHBOOK_LINK_H

#include "model.h"

#include <limits.h>

/* What a link destination names. */
enum link_kind {
	LINK_EXTERNAL,  /* a URL with a scheme or a //host */
	LINK_UNIT,      /* a unit of a guide: target.section and/or .question set */
	LINK_GUIDE,     /* a guide without fragment ("other.md", "#"): target.guide */
	LINK_FILE,      /* a relative path to a file that is not a guide */
	LINK_NO_UNIT,   /* "#xyz" or "g.md#xyz" naming no unit: target.guide set */
	LINK_NO_GUIDE,  /* "g.md…" naming no guide of the library */
};

struct link_target {
	struct model_guide *guide;
	struct model_section *section;    /* set for sN */
	struct model_question *question;  /* set for qN and qN-dM */
	struct model_depth *depth;        /* set for qN-dM */
	const char *fragment;             /* borrowed from url, or NULL */
};

/* Resolves url as written in guide from; fills *target (zeroed first). */
enum link_kind link_resolve(const struct model_library *lib, const struct model_guide *from,
                            const char *url, struct link_target *target);

/* Finds the unit whose stable id is id (an explicit id, or sN, qN,
 * qN-dM) in g and sets target's section, question and depth. Returns 1,
 * or 0 when g has no such unit. */
int link_find_unit(const struct model_guide *g, const char *id, struct link_target *target);

/* The guide of lib at path ("a/./b.md" is "a/b.md"), or NULL. */
struct model_guide *link_find_guide(const struct model_library *lib, const char *path);

/* The stable id of the unit whose heading GitHub would give the anchor
 * fragment ("depth-2-1" is the second "Depth 2"), or NULL. Borrowed. */
const char *link_slug_unit(const struct model_guide *g, const char *fragment);

/* 1 if id has the shape of a positional id (sN, qN, qN-dM, dM), which an
 * explicit id may not take. */
int link_id_positional(const char *id);

/* The path a file link of g names, as on disk: its destination's path
 * part ("?…" and "#…" dropped, %XX decoded) beside the guide. *rel, when
 * not NULL, gets the decoded path part alone. Caller frees both. */
char *link_file_path(const struct model_guide *g, const char *url, char **rel);

/* Where a path (from link_file_path) is, after every symbolic link. */
enum link_place {
	LINK_PLACE_INSIDE,    /* a file or directory below the content directory */
	LINK_PLACE_ROOT,      /* the content directory itself */
	LINK_PLACE_OUTSIDE,   /* it exists, outside the content directory */
	LINK_PLACE_MISSING,   /* it does not exist (or cannot be reached) */
	LINK_PLACE_NO_ROOT,   /* the content directory itself cannot be resolved */
};

/* Resolves path with realpath into real and says where it is relative to
 * g's content directory; for LINK_PLACE_INSIDE, *inside (when not NULL)
 * points into real at the path below the content directory. */
enum link_place link_locate(const struct model_guide *g, const char *path, char real[PATH_MAX],
                            const char **inside);

/* Where the site shows t, from its guide's folder: "index.html" for a
 * guide, "qN.html" for a question, "qN.html#ANCHOR" for a follow-up,
 * "ID.html" for a section without questions (it has a page of its own),
 * "index.html#ID" for one with. The site names its pages so, and every
 * output that links to the site (the deck, the EPUB with --base-url)
 * asks here. Caller frees. */
char *link_site_page(const struct link_target *t);

/* --base-url with exactly one trailing slash, or NULL when it is unset
 * or empty. Caller frees. */
char *link_site_root(const char *base_url);

/* root (from link_site_root) followed by t's guide folder and page: the
 * absolute address of t on the published site. Caller frees. */
char *link_site_url(const char *root, const struct link_target *t);

#endif
