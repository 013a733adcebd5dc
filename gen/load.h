/* load.h: finding guide files, reading them, checking their bytes, and
 * reading their optional YAML front matter. */
#ifndef DEPTHBOOK_LOAD_H
#define DEPTHBOOK_LOAD_H

#include <stddef.h>

/* What front matter (or, later, the model) says about a guide. Every field
 * is NULL when not given; strings are owned by the struct. */
struct load_meta {
	char *title;
	char *author;
	char *lang;
	char *date;
	char *id;
	char *description;
	char *depth_numbering; /* "continuous" or "per-question" (depth-numbering) */
	int id_line, id_col;   /* where id is given, when it is */
	int title_given;       /* title is a key here, even one whose value was refused */
};

/* One guide file, read and checked. text has the front matter replaced by
 * blank lines, so line numbers in the Markdown stay the file's own. */
struct load_file {
	char *path;   /* as the user named it, e.g. "content/x.md" */
	char *root;   /* the content directory it belongs to */
	char *slug;   /* file name without ".md" */
	char *text;
	size_t len;
	long long mtime;
	struct load_meta meta;
};

/* Expands CONTENT arguments (files or directories of *.md, sorted by name)
 * into *paths and *roots, arrays the caller frees with load_paths_free.
 * A missing argument is a DIAG_READ diagnostic. Returns the count. */
size_t load_collect(char *const *args, size_t nargs, char ***paths, char ***roots);
void load_paths_free(char **paths, char **roots, size_t n);

/* Reads and checks one guide. Returns NULL (after a diagnostic) when the
 * file cannot be read or its bytes are not valid UTF-8 text; otherwise a
 * struct the caller frees with load_file_free. */
struct load_file *load_file(const char *path, const char *root);
void load_file_free(struct load_file *f);

/* The same checks on len bytes already in memory (named path, in content
 * directory root); data is copied. For load_file and the fuzzer. */
struct load_file *load_memory(const char *path, const char *root, const char *data, size_t len);

/* What a file of mode m is, for a message ("a FIFO", "a directory"), or
 * NULL for a regular file: the only kind a build reads from a theme or
 * copies from the content (a FIFO or device would block or never end). */
const char *load_not_file(unsigned mode);

/* Checks that s[0..len) is valid UTF-8 without NUL bytes. Returns the
 * offset of the first bad byte, or len when all is well. */
size_t load_utf8_check(const char *s, size_t len);

#endif
