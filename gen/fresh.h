/* fresh.h: a rebuild with nothing changed renders nothing. A build that
 * succeeds without a warning leaves OUT/.depthbook-outputs: the hash of
 * everything its outputs were made from, and every file and directory of
 * OUT with its size, modification time and inode. When the next build's
 * hash is the same and OUT still matches that list exactly, it is current:
 * nothing is rendered and nothing in OUT is touched. */
#ifndef DEPTHBOOK_FRESH_H
#define DEPTHBOOK_FRESH_H

#include "model.h"
#include "render.h"

#include <stddef.h>
#include <stdint.h>

#define FRESH_LIST ".depthbook-outputs"

/* The hash of what the outputs are made from: this executable and its
 * EPUB module, cmark-gfm's version, the options, which renderers run
 * (want[0…n-1]), every guide, every file of the theme, and every local
 * file a guide links to. Files count by path, size, inode and modification
 * time, as rsync's quick check does; guides by their text. Returns 0, or
 * -1 when no hash can be trusted (no build ID, no EPUB module): then
 * every build renders. */
int fresh_key(const struct model_library *lib, const struct render_opts *opts,
              const int *want, size_t n, uint64_t *key);

/* 1 when out_dir holds the list for key and matches it, else 0. */
int fresh_current(const char *out_dir, uint64_t key);

/* Writes the list for key into staging, the build's staging directory,
 * listing everything in it; or, when keyed is 0, removes any list there.
 * Returns 0, or -1 after a diagnostic. */
int fresh_record(const char *staging, int keyed, uint64_t key);

#endif
