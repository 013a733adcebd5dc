/* outcheck.h: checks one published file by parsing it with libxml2:
 * XML and XHTML must be well-formed; no page may carry script other than
 * the theme's own files, an event-handler attribute, an embedding element,
 * or a javascript:, vbscript: or data: address. */
#ifndef DEPTHBOOK_OUTCHECK_H
#define DEPTHBOOK_OUTCHECK_H

#include <stddef.h>

/* Returns NULL when the file (named rel, len bytes) passes, else a static
 * description of the first problem found. */
const char *outcheck_file(const char *rel, const char *data, size_t len);

#endif
