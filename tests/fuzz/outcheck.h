/* outcheck.h: checks one published file by parsing it with libxml2:
 * XML and XHTML must be well-formed; no page may carry script other than
 * the theme's own files, an event-handler attribute, an embedding element,
 * or a javascript:, vbscript: or data: address. An EPUB is opened (libzip)
 * and each of its entries checked, read whole; so is every field of every
 * note of an Anki package (its SQLite collection) and of a text export.
 * A file of a kind it has no rule for, but pictures, stylesheets, PDFs,
 * LaTeX (outcheck_tex) and a guide's own files, is a problem. */
#ifndef DEPTHBOOK_OUTCHECK_H
#define DEPTHBOOK_OUTCHECK_H

#include <stddef.h>

/* Returns NULL when the file (named rel, len bytes) passes, else a static
 * description of the first problem found. */
const char *outcheck_file(const char *rel, const char *data, size_t len);

/* Checks LaTeX generated from template: it may hold no more TeX primitives
 * that read, write, define or re-code (\input, \write, \catcode, \def,
 * \csname, ^^ …) than the template itself. NULL or a static problem. */
const char *outcheck_tex(const char *template, const char *tex);

#endif
