/* review.h: spaced review on the site. Each follow-up gets grade buttons
 * on its question page and a card in review/<slug>.js, which the theme's
 * review page (review.html, scheduled by assets/review.js) reads. The
 * schedule lives in the reader's localStorage, keyed per guide by each
 * follow-up's key. */
#ifndef DEPTHBOOK_REVIEW_H
#define DEPTHBOOK_REVIEW_H

#include "model.h"
#include "util.h"

/* Appends the key a follow-up's schedule is stored under, unique within
 * its guide. */
void review_key(struct buf *b, const struct model_depth *d);

/* Appends the "again / hard / good / easy" buttons for the follow-up
 * d, shown (by the theme) once its answer is revealed. */
void review_grades(struct buf *b, const struct model_depth *d);

/* Starts g's card script in b, adds one card per follow-up (its question
 * and answer as the site's HTML, href relative to the guide's folder), and
 * writes it to site_dir/review/<slug>.js. review_end returns 0, or -1
 * after a diagnostic from out.c; it frees b either way. */
void review_begin(struct buf *b, const struct model_guide *g);
void review_add(struct buf *b, const struct model_depth *d, const char *href,
                const char *question_html, const char *answer_html);
int review_end(struct buf *b, const struct model_guide *g, const char *site_dir);

#endif
