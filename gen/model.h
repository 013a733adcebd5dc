/* model.h: the guide model — sections, questions, depth follow-ups, their
 * numbers, stable ids and source positions, and the cmark-gfm nodes of each
 * question and answer. Built once by model_build; validate and every
 * renderer only read it. */
#ifndef DEPTHBOOK_MODEL_H
#define DEPTHBOOK_MODEL_H

#include "load.h"

#include <cmark-gfm.h>
#include <stddef.h>

struct model_guide;
struct model_question;

/* A "**Q:**", "**A:**" or "**Answer:**" marker as found, for the validator. */
struct model_marker {
	char kind;      /* 'Q', 'A' or 'N' (for **Answer:**) */
	int line, col;
	int first;      /* 1 if it opens the unit's first block */
	int outside;    /* written with its colon after the bold: **Q**: */
};

/* The longest explicit id "{#id}" a heading may carry (bytes). */
#define MODEL_MAX_ID 48

/* One "Depth N" follow-up ("Depth N", "Follow-up Depth N", "Depth N: title",
 * "Depth N — title", each optionally ending in "{#id}"). */
struct model_depth {
	int number;               /* as the author wrote it */
	char id[64];              /* "q1-d12" or the explicit id: the guide-wide stable id */
	char anchor[64];          /* "d12" or the explicit id: the fragment on its question's page */
	char pos_id[32];          /* "q1-d12" always, a link target even with an explicit id */
	char *explicit_id;        /* "saga" from "{#saga}", or NULL */
	char *title;              /* "short title" from "Depth N: short title", or NULL */
	int line, col;            /* of the Depth heading */
	int level;                /* the heading's level as written */
	int position;             /* 1-based place in its question's chain */
	int misspelt;             /* the heading only looks like a follow-up's (an error) */
	cmark_node *question;     /* paragraph: the follow-up question's inlines */
	cmark_node *answer;       /* document: the answer's blocks */
	char *question_text;      /* plain text of question */
	const char *key;          /* identity key that survives edits (ident.h), in guide->keys */
	struct model_question *parent;
	/* facts the validator judges */
	struct model_marker *markers;
	size_t nmarkers;
	int between_line;         /* a block between the Q and A paragraphs, or 0 */
	int answer_empty;
};

struct model_section;

/* One main question "### QN: text" with its main answer and Depth chain. */
struct model_question {
	int number;
	char id[64];              /* "q1" or the explicit id */
	char pos_id[16];          /* "q1" always */
	char *explicit_id;        /* "name" from "### Q2: … {#name}", or NULL */
	int line, col;
	cmark_node *title;        /* paragraph: the question's inlines without "QN: " */
	char *title_text;
	const char *key;          /* identity key that survives edits (ident.h), in guide->keys */
	cmark_node *answer;       /* document: the main answer's blocks */
	int answer_line, answer_col; /* of "**Answer:**" (or "**A:**"), 0 when missing */
	char answer_marker;       /* 'N' for **Answer:**, 'A' for **A:**, 0 when missing */
	int answer_outside;       /* its colon after the bold: **Answer**: */
	char *answer_found;       /* when missing: what the answer starts with instead, or NULL */
	int loose_q_line, loose_q_col; /* a "**Q:**" opening a line of the main answer, or 0 */
	int answer_empty;
	struct model_depth **depths;
	size_t ndepths;
	struct model_section *section; /* NULL when before any section */
	struct model_guide *guide;
	size_t index;             /* 0-based, across the guide */
};

/* One section: any H2 under the title ("## N. Title", "## Section N: Title",
 * "## Part N — Title", "## Zone N: Title", or unnumbered "## Title"). */
struct model_section {
	int number;               /* as written, or its position when unnumbered */
	int numbered;             /* 1 if the heading carries a number */
	int position;             /* 1-based place among the guide's sections */
	char id[16];              /* "s1" */
	int line, col;
	cmark_node *title;        /* paragraph: the title's inlines without "N. " */
	char *title_text;
	cmark_node *intro;        /* document: blocks between the heading and Q */
	size_t first, count;      /* its questions: guide->questions[first…] */
};

/* A link or image destination as written, with its place. */
struct model_link {
	const char *url;          /* borrowed from the node */
	int is_image;
	int line, col;
	int end_line, end_col;    /* cmark-gfm's end (its columns skip a line's indent) */
};

/* A heading's GitHub-style base slug (before repeats are numbered) and
 * the unit it names, for the "use the stable id" hint. */
struct model_slug {
	char *slug;
	const char *id;           /* borrowed from the unit, or NULL */
};

/* A heading that fits no shape, or a shape out of place, as found. */
struct model_stray {
	int line, col;
	int level;
	char *text;
	enum {
		STRAY_HEADING, STRAY_SECTION, STRAY_QUESTION, STRAY_TITLE, STRAY_DEPTH,
		STRAY_DEPTH_SHAPE,    /* looks like a follow-up but is not spelled as one */
		STRAY_DEPTH_UNNAMED,  /* opens a **Q:** and **A:** but is no follow-up heading */
		STRAY_DEPTH_NESTED,   /* a Depth heading inside a block quote or list */
		STRAY_SPACE,          /* a unit heading with an unusual space (text, what = the character) */
		STRAY_ID,             /* a "{#…}" attribute that is not a usable id (text = the id) */
	} kind;
	const char *owner;        /* id of the unit it was kept in, or "the intro" */
	int number;               /* STRAY_DEPTH: its number; STRAY_DEPTH_SHAPE, _UNNAMED: the next in its chain */
	const char *what;         /* STRAY_DEPTH_NESTED: "a block quote" …; STRAY_SPACE: "U+00A0 NO-BREAK SPACE" */
};

/* How deep lists, quotes and emphasis may nest: XML parsers, and so EPUB
 * readers, refuse documents much deeper (libxml2 stops at 256). */
#define MODEL_MAX_NESTING 100

struct model_guide {
	struct load_file *file;   /* owned: path, slug, text, front matter */
	const char *path;         /* = file->path */
	const char *slug;         /* = file->slug */
	char *title;
	char *description;
	const char *lang;         /* front matter lang or "en" */
	const char *author;       /* front matter author or NULL */
	int title_line;           /* 0 when there is no H1 */
	int title_count;
	cmark_node *title_node;   /* paragraph: the H1's inlines (NULL without H1) */
	cmark_node *intro;        /* document: blocks between the H1 and section 1 */
	cmark_node *epilogue;     /* document: what follows the last unit after a
	                           * thematic break (a closing note), or NULL;
	                           * shown by the site and the EPUB, never on a
	                           * card or an Anki note */
	int epilogue_line;        /* its first block's line, or 0 */
	struct model_section **sections;
	size_t nsections;
	struct model_question **questions;
	size_t nquestions;
	size_t ndepths;           /* follow-ups across the guide */
	struct model_link *links;
	size_t nlinks;
	cmark_node **maths;       /* every math span */
	size_t nmaths;
	cmark_node **htmls;       /* every piece of raw HTML, which no output prints */
	size_t nhtmls;
	struct model_slug *slugs;
	size_t nslugs;
	struct model_stray *strays;
	size_t nstrays;
	int deep_line, deep_col;  /* where nesting first passes MODEL_MAX_NESTING, or 0 */
	int continuous;           /* Depth numbers continue across questions (declared or consistent) */
	int continuous_declared;  /* front matter says depth-numbering: continuous */
	struct model_idref *ids;  /* explicit ids, sorted, for link.c */
	size_t nids;
	cmark_node *doc;          /* the parsed document (now emptied), owned */
	cmark_node *orphans;      /* blocks that belong to no unit, owned */
	char *keys;               /* owned: every unit's key (ident_assign) */
};

/* An explicit id and the unit it names. */
struct model_idref {
	const char *id;           /* borrowed from the unit */
	struct model_question *question;
	struct model_depth *depth; /* NULL for a question's id */
};

struct model_library {
	struct model_guide **guides;
	size_t nguides, cap;
};

/* Builds the model of one loaded guide; takes ownership of file. Never
 * fails on content: what does not fit is recorded for the validator.
 * Free with model_guide_free; its cmark nodes live in md's arena until
 * model_library_free (or md_release). */
struct model_guide *model_build(struct load_file *file, int smart);
void model_guide_free(struct model_guide *g);

/* Appends g to lib (lib owns it). */
void model_library_add(struct model_library *lib, struct model_guide *g);
void model_library_free(struct model_library *lib);

struct buf;

/* The one way every output names a unit: "Q3", or "Q3" sep "Depth 12"
 * for a follow-up (d, or NULL for the main question), appended to b;
 * with q NULL, "Depth 12" alone, where its question is already named (a
 * question's page and chapter). The outputs' separator is
 * MODEL_LABEL_SEP; the Anki note's label field keeps " · ". */
#define MODEL_LABEL_SEP " \u203a "
void model_unit_label(struct buf *b, const struct model_question *q, const struct model_depth *d, const char *sep);

/* The writing direction of a BCP 47 tag: "rtl" for the languages written
 * right to left (Arabic, Hebrew, Persian, Urdu, Yiddish … unless a script
 * subtag says Latin or Cyrillic), else "ltr". The site's and the EPUB's
 * dir attribute, and the EPUB's page progression. */
const char *model_lang_dir(const char *lang);

/* The heading shapes, for fmt: each parses a heading's text and returns
 * its number (or -1: no such heading; for a section, -1 is an unnumbered
 * one) with *title pointing at the title in text (NULL for a follow-up
 * without one). model_attribute returns where a trailing "{#id}" starts
 * (strlen(text) when none) and sets *id to a copy of the id or NULL. */
int model_parse_section(const char *text, const char **title);
int model_parse_question(const char *text, const char **title);
int model_parse_depth(const char *text, const char **title);
size_t model_attribute(const char *text, char **id);

/* Fills buf with the GitHub-style slug of text (lower case, spaces to '-',
 * punctuation dropped). Returns buf. */
char *model_text_slug(const char *text, char *buf, size_t size);

#endif
