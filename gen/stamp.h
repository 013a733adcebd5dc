/* stamp.h: what an output was made from, as one hash, so that a rebuild
 * can tell an output is current without making it again. The plan
 * (plan.h) and the cards' .tex stamp both key a guide's files with
 * stamp_guide, so the two never disagree about what reaches a guide. */
#ifndef DEPTHBOOK_STAMP_H
#define DEPTHBOOK_STAMP_H

#include "hash.h"
#include "model.h"
#include "render.h"

#include <stddef.h>
#include <stdint.h>

/* The hash every stamp starts from: 64-bit FNV-1a's offset basis
 * (hash.h). The units' keys (ident.c) and the Anki ids (anki.c) start
 * from it too, so it is frozen: changing it changes every GUID. */
#define STAMP_START FNV1A64_OFFSET

/* The hash so far, h, extended by n bytes at p: 64-bit FNV-1a (hash.h). */
uint64_t stamp_add(uint64_t h, const void *p, size_t n);
/* The same for a NUL-terminated string, or a marker for NULL, each ended
 * so that ("ab","c") and ("a","bc") differ. */
uint64_t stamp_add_str(uint64_t h, const char *s);

/* Extends h by this executable's GNU build ID, which changes whenever its
 * code does. Returns 0, or -1 when the executable has none (then no stamp
 * can be trusted, and outputs are made every time). */
int stamp_add_build(uint64_t *h);

/* What every guide's files of one output ("html", "epub", "cards",
 * "anki") share: this executable, cmark-gfm's version, the output's name,
 * the options that reach it, the theme's files for it (theme/site for
 * html, theme/<output> for the others: their names and bytes, so that the
 * same theme installed elsewhere gives the same key) and, for an output
 * made by a module (the EPUB, the deck), that module. Returns 0 with *base set, or -1 when no hash can be
 * trusted. */
int stamp_output(const struct render_opts *opts, const char *output, uint64_t *base);

/* The hash of what guide g's files are made from, whatever the output and
 * wherever the guide lies: its slug, text and front matter, its date (the
 * build's with SOURCE_DATE_EPOCH, else its own mtime: render_date), and
 * what its links to other guides print: the target guide's slug and title
 * and the unit's ids, numbers and text. An edit to another guide changes
 * it only through those links. The one hash of a guide's inputs: plan.c
 * and the cards' .tex stamp both take it. */
uint64_t stamp_guide(const struct model_library *lib, const struct model_guide *g,
                     const struct render_opts *opts);

/* The key of guide g's files of output: that output's base (stamp_output)
 * with the guide's hash (stamp_guide), for the site the next guide's slug
 * and title (its pager prints them) and, for the outputs that copy or
 * pack the files a guide links to (the site, the EPUB, the cards, the
 * deck), each such file's
 * path, size, inode and modification time, as rsync's quick check does
 * (or its absence, so that it appearing counts as a change). */
uint64_t stamp_key(uint64_t base, const char *output, uint64_t guide, const struct model_library *lib,
                   const struct model_guide *g);

#endif
