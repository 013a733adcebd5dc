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

/* For the fuzzer: while a sink is set, out_write hands every file to it
 * instead of the filesystem (its return value is out_write's). NULL
 * restores normal writing. */
typedef int (*out_sink)(const char *rel, const char *data, size_t len, void *ctx);
void out_set_sink(out_sink sink, void *ctx);

/* Atomic publishing. out_begin prepares a staging directory beside
 * final_dir (".NAME.build-PID"), filled with hard links to final_dir's
 * files so that unchanged outputs keep their inode and modification time;
 * renderers then write into the staging directory (always through a new
 * file and a rename, never in place). Stale staging directories of dead
 * builds are removed first. Returns the staging path (caller frees), or
 * NULL after a one-line DIAG_READ diagnostic (exit 2). */
char *out_begin(const char *final_dir);

/* Swaps the staging directory into final_dir in one step (renameat2 with
 * RENAME_EXCHANGE) and removes the previous tree. Returns 0, or -1 after a
 * diagnostic; final_dir is untouched then. */
int out_commit(const char *staging, const char *final_dir);

/* Removes a staging directory after a failed build; final_dir stays as
 * it was. */
void out_abort(const char *staging);

#endif
