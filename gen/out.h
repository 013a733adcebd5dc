/* out.h: writing build outputs: each file to a temporary name beside it,
 * then renamed into place; never outside the output directory; a file
 * whose content is unchanged is left alone (mtime kept). */
#ifndef DEPTHBOOK_OUT_H
#define DEPTHBOOK_OUT_H

#include <stddef.h>

/* Writes data to dir/rel, creating directories. rel must be relative and
 * must not climb ("..") out of dir. Returns 0, or -1 after a diagnostic. */
int out_write(const char *dir, const char *rel, const char *data, size_t len);

/* Creates dir/rel and its parents. Returns 0, or -1 after a diagnostic. */
int out_mkdir(const char *dir, const char *rel);

/* 1 if dir/rel exists and holds exactly data. */
int out_same(const char *dir, const char *rel, const char *data, size_t len);

#endif
