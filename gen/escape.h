/* escape.h: escaping text for the output languages. Each appends to b. */
#ifndef DEPTHBOOK_ESCAPE_H
#define DEPTHBOOK_ESCAPE_H

#include "util.h"

/* HTML/XML text and attribute values: & < > " ' escaped. */
void esc_html(struct buf *b, const char *s);
/* LaTeX text: # $ % & _ { } ~ ^ \ print as themselves; other bytes pass. */
void esc_latex(struct buf *b, const char *s);
/* A JavaScript string literal body (inside double quotes), safe inside a
 * <script> element: quotes, backslashes, control characters, "<" and the
 * line separators U+2028/2029 are escaped. */
void esc_js(struct buf *b, const char *s);
/* A URL path made of a file's or slug's name: bytes outside
 * [A-Za-z0-9-._~/] as %XX ('#', '?', '%', spaces and non-ASCII included),
 * so the name reaches the browser or reading system as it is on disk. */
void esc_url(struct buf *b, const char *s);
/* esc_url into a new string the caller frees. Every href/src a renderer
 * builds from a file name or slug goes through one of the two. */
char *esc_url_path(const char *s);

/* Decodes %XX escapes in the first n bytes of s (cmark-gfm percent-encodes
 * link destinations); "%00" is kept as written. Returns a new string the
 * caller frees. */
char *unesc_url(const char *s, size_t n);

#endif
