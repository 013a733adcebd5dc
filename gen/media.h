/* media.h: what kind of image a linked file is, from its first bytes, never
 * from its name: a JPEG named .png is a JPEG to every output (an EPUB that
 * declared it image/png would fail epubcheck), and a file of no known kind
 * is no image at all, whose alt text prints instead. */
#ifndef DEPTHBOOK_MEDIA_H
#define DEPTHBOOK_MEDIA_H

#include <stddef.h>

struct media_kind {
	const char *ext;   /* the usual file extension, without the dot */
	const char *mime;  /* its media type */
	int epub;          /* 1 for an EPUB 3.2 core media type for images */
};

/* The kind of the bytes p[0..n) begin (n of 512 is enough): PNG, JPEG,
 * GIF, WebP, SVG (XML whose first part opens <svg) or PDF; NULL for any
 * other. */
const struct media_kind *media_kind_of(const unsigned char *p, size_t n);

/* media_kind_of the regular file at path; NULL for any other kind, or a
 * path that is no regular file or cannot be read (never blocks on one). */
const struct media_kind *media_kind_file(const char *path);

#endif
