/* stamp.h: what an output was made from, as one hash, so that a rebuild
 * can tell an output is current without making it again. */
#ifndef DEPTHBOOK_STAMP_H
#define DEPTHBOOK_STAMP_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>

/* The hash so far, h, extended by n bytes at p (64-bit FNV-1a; start from
 * STAMP_START). Not for hostile collisions: it tells edits apart. */
#define STAMP_START 0xcbf29ce484222325ULL
uint64_t stamp_add(uint64_t h, const void *p, size_t n);
/* The same for a NUL-terminated string, or a marker for NULL, each ended
 * so that ("ab","c") and ("a","bc") differ. */
uint64_t stamp_add_str(uint64_t h, const char *s);

/* Extends h by this executable's GNU build ID, which changes whenever its
 * code does. Returns 0, or -1 when the executable has none (then no stamp
 * can be trusted, and outputs are made every time). */
int stamp_add_build(uint64_t *h);

/* Extends h by every guide of the library: its path, text and front
 * matter. */
uint64_t stamp_add_guides(uint64_t h, const struct model_library *lib);

#endif
