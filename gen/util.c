/* util.c: allocation helpers that abort on failure, struct buf, and whole
 * files in and out. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "hash.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void)
{
	fputs("depthbook: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *text_shorten(const char *text)
{
	if (strnlen(text, 65) <= 64)
		return xstrdup(text);
	return xasprintf("%.*s\xe2\x80\xa6", (int)utf8_cut(text, 60), text);
}

char *xasprintf(const char *fmt, ...)
{
	/* formatted once when it fits the stack buffer, as nearly all do */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	char *s = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small) {
		memcpy(s, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return s;
}

char *read_whole(const char *path, size_t *len)
{
	/* Opened without blocking and looked at before reading: a FIFO or a
	 * device where a file should be must not hang or flood the build. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	int statted = fstat(fd, &st) == 0;
	if (!statted || !S_ISREG(st.st_mode)) {
		int err = !statted ? errno : S_ISDIR(st.st_mode) ? EISDIR : ENXIO;
		close(fd);
		errno = err;
		return NULL;
	}
	FILE *f = fdopen(fd, "rb");
	if (f == NULL) {
		close(fd);
		return NULL;
	}
	struct buf b = {0};
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, got);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&b);
		errno = EIO;
		return NULL;
	}
	*len = b.len;
	return buf_take(&b);
}

char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Removes path and everything below it; errors are ignored (best effort
 * cleanup of our own temporary trees). */
void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(path);
		if (dir != NULL) {
			struct dirent *e;
			while ((e = readdir(dir)) != NULL) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				char *child = xasprintf("%s/%s", path, e->d_name);
				remove_tree(child);
				free(child);
			}
			closedir(dir);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

void *xgrow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	size_t want = *cap ? *cap : 16;
	while (want <= n) {
		if (want > SIZE_MAX / 2 / size)
			out_of_memory(); /* the size would not fit in a size_t */
		want *= 2;
	}
	*cap = want;
	return xrealloc(arr, want * size);
}

/* key's slot: where it is, or the empty one where it would go */
static size_t strindex_slot(const struct strindex *x, const char *key)
{
	size_t i = (size_t)fnv1a64(FNV1A64_OFFSET, key, strlen(key)) & (x->cap - 1);
	while (x->keys[i] != NULL && strcmp(x->keys[i], key) != 0)
		i = (i + 1) & (x->cap - 1);
	return i;
}

size_t strindex_get(const struct strindex *x, const char *key)
{
	if (x->cap == 0)
		return STRINDEX_NONE;
	size_t i = strindex_slot(x, key);
	return x->keys[i] != NULL ? x->values[i] : STRINDEX_NONE;
}

void strindex_put(struct strindex *x, const char *key, size_t value)
{
	if (2 * (x->n + 1) > x->cap) { /* at most half full */
		struct strindex old = *x;
		x->cap = old.cap ? 2 * old.cap : 64;
		x->keys = xcalloc(x->cap, sizeof *x->keys);
		x->values = xcalloc(x->cap, sizeof *x->values);
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i] != NULL) {
				size_t j = strindex_slot(x, old.keys[i]);
				x->keys[j] = old.keys[i];
				x->values[j] = old.values[i];
			}
		free(old.keys);
		free(old.values);
	}
	size_t i = strindex_slot(x, key);
	if (x->keys[i] == NULL) {
		x->keys[i] = key;
		x->n++;
	}
	x->values[i] = value;
}

void strindex_clear(struct strindex *x)
{
	free(x->keys);
	free(x->values);
	*x = (struct strindex){0};
}

static void reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_put(struct buf *b, const char *s, size_t len)
{
	reserve(b, len);
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Formats straight into the free space, and only when that is too small
 * grows the buffer and formats again. */
void buf_printf(struct buf *b, const char *fmt, ...)
{
	reserve(b, 128);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

char *buf_take(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int write_full(int fd, const void *data, size_t len)
{
	for (const char *p = data; len > 0;) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

int read_full(int fd, void *data, size_t len)
{
	char *p = data;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return got == 0 ? 1 : -1;
		got += (size_t)n;
	}
	return 0;
}

int parse_number(const char *s, const char **end)
{
	int n = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 9) {
		n = n * 10 + (*s - '0');
		s++;
		digits++;
	}
	*end = s;
	if (digits == 0 || isdigit((unsigned char)*s))
		return -1;
	return n;
}

int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
