/* fresh.c: is the output directory current (fresh.h)? */
#define _GNU_SOURCE /* st_mtim, lstat */
#include "fresh.h"
#include "anki.h"
#include "epub.h"
#include "escape.h"
#include "md.h"
#include "out.h"
#include "stamp.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Extends h by a file's identity: its path, device, inode, size, mode and
 * modification time (a replaced or edited file changes one of them).
 * Returns -1 when there is no such file. */
static int add_stat(uint64_t *h, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	long long v[] = {(long long)st.st_dev, (long long)st.st_ino, (long long)st.st_size,
	                 (long long)st.st_mode, (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec};
	*h = stamp_add(stamp_add_str(*h, path), v, sizeof v);
	return 0;
}

/* Extends h by the identity of everything under dir (the theme). */
static int add_tree(uint64_t *h, const char *dir)
{
	if (add_stat(h, dir) != 0)
		return -1;
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0; /* a file, not a directory: its identity is in */
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		r = add_tree(h, path);
		free(path);
	}
	closedir(d);
	return r;
}

/* 1 if url names something other than a file: a scheme ("https:",
 * "mailto:") or a place in this page ("#q3"). */
static int not_a_file(const char *url)
{
	if (url[0] == '#')
		return 1;
	size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	return n > 0 && url[n] == ':';
}

/* Extends h by the identity of each local file the guide links to, found
 * beside the guide as the renderers find it, or by its absence (so that
 * it appearing counts as a change). */
static uint64_t add_links(uint64_t h, const struct model_guide *g)
{
	const char *slash = strrchr(g->path, '/');
	int dirlen = slash ? (int)(slash - g->path) : 1;
	const char *dir = slash ? g->path : ".";
	for (size_t i = 0; i < g->nlinks; i++) {
		const char *url = g->links[i].url;
		if (url == NULL || not_a_file(url))
			continue;
		char *rel = unesc_url(url, strcspn(url, "?#"));
		char *path = xasprintf("%.*s/%s", dirlen, dir, rel);
		if (add_stat(&h, path) != 0)
			h = stamp_add_str(stamp_add_str(h, path), "missing");
		free(path);
		free(rel);
	}
	return h;
}

int fresh_key(const struct model_library *lib, const struct render_opts *opts,
              const int *want, size_t n, uint64_t *key)
{
	uint64_t h = STAMP_START;
	if (stamp_add_build(&h) != 0)
		return -1;
	char *module = epub_module_path();
	int r = add_stat(&h, module);
	free(module);
	module = anki_module_path();
	r |= add_stat(&h, module);
	free(module);
	if (r != 0)
		return -1;
	long long v[] = {md_version(), opts->epub_quiz, (long long)opts->duplex, (long long)opts->sides, opts->date, opts->smart};
	double mm[] = {opts->back_offset_x, opts->back_offset_y};
	h = stamp_add(h, v, sizeof v);
	h = stamp_add(h, mm, sizeof mm);
	h = stamp_add(h, want, n * sizeof *want);
	h = stamp_add_str(stamp_add_str(stamp_add_str(h, opts->theme_dir), opts->base_url), opts->paper);
	if (add_tree(&h, opts->theme_dir) != 0)
		return -1;
	h = stamp_add_guides(h, lib);
	for (size_t i = 0; i < lib->nguides; i++)
		h = add_links(h, lib->guides[i]);
	*key = h;
	return 0;
}

/* The lines listing a tree, and whether it holds anything that cannot be
 * listed (a symlink, a name with a newline): then it is never current. */
struct listing {
	char **lines;
	size_t n, cap;
	int odd;
};

static void list_tree(const char *root, const char *rel, struct listing *l)
{
	char *path = rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(path);
	free(path);
	if (d == NULL) {
		l->odd = 1;
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (rel == NULL && strcmp(e->d_name, FRESH_LIST) == 0))
			continue;
		char *child = rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		char *full = xasprintf("%s/%s", root, child);
		struct stat st;
		char *line = NULL;
		if (strchr(child, '\n') != NULL || lstat(full, &st) != 0)
			l->odd = 1;
		else if (S_ISDIR(st.st_mode))
			line = xasprintf("d %s\n", child);
		else if (S_ISREG(st.st_mode))
			line = xasprintf("f %lld %lld.%09ld %llu %s\n", (long long)st.st_size,
			                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			                 (unsigned long long)st.st_ino, child);
		else
			l->odd = 1;
		if (line != NULL) {
			if (l->n == l->cap) {
				l->cap = l->cap ? 2 * l->cap : 64;
				l->lines = xrealloc(l->lines, l->cap * sizeof *l->lines);
			}
			l->lines[l->n++] = line;
			if (S_ISDIR(st.st_mode))
				list_tree(root, child, l);
		}
		free(full);
		free(child);
	}
	closedir(d);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list for key and the tree at dir, or NULL when the tree cannot be
 * listed. Caller frees. */
static char *list_text(const char *dir, uint64_t key, size_t *len)
{
	struct listing l = {0};
	list_tree(dir, NULL, &l);
	qsort(l.lines, l.n, sizeof *l.lines, by_text);
	struct buf b = {0};
	buf_printf(&b, "depthbook-outputs 1 %016" PRIx64 "\n", key);
	for (size_t i = 0; i < l.n; i++) {
		buf_puts(&b, l.lines[i]);
		free(l.lines[i]);
	}
	free(l.lines);
	if (l.odd) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_take(&b);
}

int fresh_current(const char *out_dir, uint64_t key)
{
	char *path = xasprintf("%s/%s", out_dir, FRESH_LIST);
	size_t had_len, len;
	char *had = read_whole(path, &had_len);
	free(path);
	if (had == NULL)
		return 0;
	char *now = list_text(out_dir, key, &len);
	int current = now != NULL && len == had_len && memcmp(now, had, len) == 0;
	free(now);
	free(had);
	return current;
}

int fresh_record(const char *staging, int keyed, uint64_t key)
{
	struct stat before;
	int had = stat(staging, &before) == 0;
	size_t len;
	char *text = keyed ? list_text(staging, key, &len) : NULL;
	int r = 0;
	if (text != NULL) {
		r = out_write(staging, FRESH_LIST, text, len);
		free(text);
	} else {
		char *path = xasprintf("%s/%s", staging, FRESH_LIST);
		unlink(path); /* the previous build's, linked in by out_begin */
		free(path);
	}
	/* The list is the build's own bookkeeping: out/ keeps its times, as
	 * for any unchanged rebuild (out.h). */
	if (had) {
		struct timespec times[2] = {before.st_atim, before.st_mtim};
		utimensat(AT_FDCWD, staging, times, 0);
	}
	return r;
}
