/* util.h: allocation that aborts on failure, and a growable byte buffer. */
#ifndef DEPTHBOOK_UTIL_H
#define DEPTHBOOK_UTIL_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The length of s's longest start of at most max bytes that ends between
 * two UTF-8 characters: where a message cuts text short. */
size_t utf8_cut(const char *s, size_t max);
/* A copy of text for a message: whole up to 64 bytes, else its first 60
 * or so, cut at a character boundary, and "…". Caller frees. */
char *text_shorten(const char *text);

/* The one way an array grows: returns arr (of *cap elements of size bytes)
 * with room for element n, doubled as needed (16 at first), possibly
 * moved; aborts when out of memory. XGROW(arr, n, cap) is the usual call
 * before arr[n++] = …. */
void *xgrow(void *arr, size_t *cap, size_t n, size_t size);

/* The one way a list finds a name it already holds (media by file or by
 * content name): each key's index in the list, found in constant time,
 * so that a guide of many images stays linear. The keys are the list's
 * own strings, not copied: clear the index before they are freed. */
struct strindex {
	const char **keys;
	size_t *values;
	size_t n, cap; /* cap: a power of two, or 0 */
};
#define STRINDEX_NONE ((size_t)-1)
/* The value put under key, or STRINDEX_NONE. */
size_t strindex_get(const struct strindex *x, const char *key);
/* Puts value under key, replacing what was there. */
void strindex_put(struct strindex *x, const char *key, size_t value);
/* Frees the index, which is empty again. */
void strindex_clear(struct strindex *x);

/* qsort and bsearch over an array of strings (char *), by strcmp. */
int cmp_strings(const void *a, const void *b);
#define XGROW(arr, n, cap) ((arr) = xgrow((arr), &(cap), (n), sizeof *(arr)))

/* Reads the whole file at path. Returns its bytes NUL-terminated (the
 * caller frees) with their count in *len, or NULL with errno set. */
char *read_whole(const char *path, size_t *len);

/* The directory part of a file's path: "." when it has none, "/" for a
 * file at the root. The caller frees. */
char *path_dir(const char *path);

/* Removes path and everything below it; errors are ignored (best-effort
 * cleanup of our own temporary trees). */
void remove_tree(const char *path);

/* Writes all len bytes to fd, retrying short writes. Returns 0 or -1. */
int write_full(int fd, const void *data, size_t len);
/* Reads exactly len bytes from fd. Returns 0, 1 at end of input before
 * any byte, or -1 on an error or a short read. */
int read_full(int fd, void *data, size_t len);

/* Parses a decimal number of at most 9 digits at s (a heading's or a unit
 * id's number); returns -1 if none, or if a tenth digit follows. *end is
 * set past the digits. */
int parse_number(const char *s, const char **end);

/* A byte buffer that grows geometrically; data is always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_put(struct buf *b, const char *s, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the buffer's string, which the caller frees; the buffer is emptied. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

#endif
