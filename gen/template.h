/* template.h: filling theme templates. A template is text with slots
 * "{{name}}"; the generator supplies each slot's value, already escaped
 * for the template's language. Theme files are data: the site's pages and
 * the EPUB's chapters are the theme's frames; only the EPUB's package
 * files and nav are written by the generator (epub_pkg.c), as the EPUB
 * specification fixes them. */
#ifndef DEPTHBOOK_TEMPLATE_H
#define DEPTHBOOK_TEMPLATE_H

#include "util.h"

/* Returns the value of slot name (len bytes), or NULL if there is no such
 * slot. The string is borrowed until the next call. */
typedef const char *(*tpl_lookup)(const char *name, size_t len, void *ctx);

/* Reads theme_dir/rel into a string the caller frees; NULL after a
 * DIAG_READ diagnostic naming the file. */
char *tpl_load(const char *theme_dir, const char *rel);

/* One slot's value; a template is filled from an array of them ending
 * with a NULL name. A NULL value fills the slot with nothing. */
struct tpl_slot {
	const char *name;
	const char *value;
};

/* The value of slot name (len bytes) in the NULL-terminated slots: the
 * lookup every renderer fills its templates with (tpl_fill's ctx). */
const char *tpl_slots(const char *name, size_t len, void *slots);

/* Appends template text to out with every {{slot}} replaced. An unknown
 * slot is a DIAG_INTERNAL diagnostic naming template_name and its line;
 * returns -1 then, else 0. "{{{{" writes a literal "{{". */
int tpl_fill(struct buf *out, const char *text, const char *template_name, tpl_lookup lookup,
             void *ctx);

/* 0 if text places every slot of needs (a NULL-terminated list), else -1
 * after a DIAG_READ diagnostic naming template_name and each slot it
 * lacks: a slot that carries the guide's text (the page's {{main}}, an
 * answer's {{answer}}) left out of a theme would publish every page
 * without that text, and exit 0. A slot counts under a filter too, as
 * Anki writes them ("{{text:Answer}}"). */
int tpl_require(const char *text, const char *template_name, const char *const *needs);

#endif
