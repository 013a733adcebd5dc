/* ident.h: every question's and follow-up's identity key, which survives
 * edits: inserting, removing or renumbering follow-ups leaves every other
 * unit's key as it was. The Anki GUID and the site's review schedule both
 * key on it. */
#ifndef DEPTHBOOK_IDENT_H
#define DEPTHBOOK_IDENT_H

#include "model.h"
#include "util.h"

/* Sets q->key and d->key for every unit of g: 16 lower-case hex digits of
 * a hash of the guide's identifier (front matter id, else the slug) and
 * either the unit's explicit id ({#saga}) or its kind (question or
 * follow-up), normalised question text and occurrence number among units
 * of that kind with the same text (the second "Why?" is "Why?" #2).
 * Never the position. The keys live in g->keys (freed with the guide). */
void ident_assign(struct model_guide *g);
/* The guide's identifier: its front matter id, else its slug. Every key
 * of its units, and its deck, are made from it; val_library rejects two
 * guides with one. */
const char *ident_guide(const struct model_guide *g);

/* Appends text's normalised form to out: ASCII and Latin-1 letters folded
 * to lower case; every run of white space (with no-break spaces) one space,
 * none at either end; typographic quotes, dashes and the ellipsis that
 * smart punctuation makes written as the ASCII they came from (' " -- ---
 * ...), so --no-smart keeps the keys. Not full Unicode NFC: a precomposed
 * letter and its decomposed spelling stay different. */
void ident_normalise(const char *text, struct buf *out);

/* The name of the map of the last successful build, under the output
 * directory (beside plan.h's list, not published with the site). */
#define IDENT_MAP ".depthbook-ids"

/* Writes the map of every unit's positional id (q1, q1-d12) to its key and
 * question into dir (the build's staging directory). Returns 0, or -1
 * after a diagnostic. */
int ident_record(const struct model_library *lib, const char *dir);

/* Reads out_dir's map from the last successful build, if any, and warns
 * (link-moved) for every cross-link to a positional id whose unit is not
 * the one it named then: an insertion or removal repointed it. */
void ident_check_links(const struct model_library *lib, const char *out_dir);

#endif
