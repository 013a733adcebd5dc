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

/* The files the last build wrote, as paths under the output directory,
 * sorted (plan.h); held, not copied. out_prune removes no other file. */
void out_owned(const char *const *paths, size_t n);

/* Removes the files in the tree dir/sub whose names below it ("q3.html",
 * "img/a.png") are not among the n in keep and that the last build wrote
 * (out_owned): what a renderer wrote there last time and no longer writes
 * (a page of a question taken out, an image no guide links to any more),
 * and the folders the last build made that this leaves empty (dir/sub
 * too, when nothing is kept). A file or folder a user put there stays.
 * Returns 0, or -1 after a diagnostic. */
int out_prune(const char *dir, const char *sub, char *const *keep, size_t n);

/* The paths under the output directory, sorted, that were there before
 * this build and that no build wrote (a user's notes, a hand-made page);
 * held, not copied. out_write refuses to replace one with other bytes
 * (a diagnostic naming it, and -1): a build never costs a user a file. */
void out_foreign(const char *const *paths, size_t n);

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

/* The build's own process id: that of the process that called out_begin
 * (its worker processes inherit it), else this process's. A temporary
 * name carrying it belongs to a build that is over once that process is
 * gone, whichever worker made it and however long a killed worker takes
 * to be reaped. */
long out_build_pid(void);

/* Swaps the staging directory into final_dir in one step (renameat2 with
 * RENAME_EXCHANGE) and removes the previous tree. Returns 0, or -1 after a
 * diagnostic; final_dir is untouched then. */
int out_commit(const char *staging, const char *final_dir);

/* Removes a staging directory after a failed build; final_dir stays as
 * it was. */
void out_abort(const char *staging);

/* Where a build may publish. Returns NULL when out_dir may be replaced by
 * a build, or a one-line reason (static) why not: it is, holds or lies
 * inside one of the content arguments (a file stands for its directory),
 * it is the theme directory, inside it or above it, or it is the current
 * directory, the home directory, '/' or above one of them. A symlink is
 * judged by its target. Nothing is created or changed. */
const char *out_refusal(const char *out_dir, char *const *content, size_t ncontent, const char *theme_dir);

/* The directory a build replaces for out_dir: out_dir itself, or, when
 * out_dir is a symlink (out -> /var/www/site), the directory it leads to,
 * so the link stays a link and its target is published. NULL after a
 * DIAG_READ diagnostic when the link leads nowhere. Caller frees. */
char *out_target(const char *out_dir);

/* Interruption. out_catch_signals makes SIGTERM, SIGINT and SIGHUP stop
 * the build cleanly: the handler only records the signal and passes
 * SIGTERM on to the child processes registered below; from then on
 * out_write, out_begin and out_commit fail without a diagnostic, the
 * renderers unwind, the staging directory is removed and main exits
 * 128+signal. out_interrupted returns the signal, or 0. */
void out_catch_signals(void);
int out_interrupted(void);
/* Registers a child process (pid > 0) or a process group (-pgid) that an
 * interruption must end, and forgets it once it has been waited for. */
void out_child_started(long pid);
void out_child_ended(long pid);
/* Registers a temporary directory (pdflatex's) that an interrupted build
 * which cannot unwind in time removes on its way out, and forgets it. */
void out_temp_dir_started(const char *path);
void out_temp_dir_ended(const char *path);
/* Test hook: when DEPTHBOOK_TEST_PAUSE names this stage ("staged",
 * "latex", "commit"), prints "depthbook: paused at STAGE" and the
 * registered children to stderr and waits for a signal, so that a test
 * can stop a build at a real stage boundary instead of after a sleep. */
void out_test_pause(const char *stage);

#endif
