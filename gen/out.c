/* out.c: safe, atomic, change-aware output files. */
#define _GNU_SOURCE /* renameat2 */
#include "out.h"
#include "diag.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 if rel is a plain relative path with no "..", "." or empty parts. */
static int rel_ok(const char *rel)
{
	if (rel[0] == '\0' || rel[0] == '/')
		return 0;
	const char *p = rel;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n + (p[n] == '/');
	}
	return 1;
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0777);
		*p = '/';
		if (r != 0 && errno != EEXIST)
			return -1;
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

int out_mkdir(const char *dir, const char *rel)
{
	if (!rel_ok(rel)) {
		diag_report(DIAG_INTERNAL, rel, 0, 0, "refusing an output path outside the output directory");
		return -1;
	}
	char *path = xasprintf("%s/%s", dir, rel);
	int r = mkdirs(path);
	if (r != 0)
		diag_report(DIAG_READ, path, 0, 0, strerror(errno));
	free(path);
	return r;
}

int out_same(const char *dir, const char *rel, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return 0;
	int same = 1;
	char chunk[65536];
	size_t off = 0, got;
	while (same && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (off + got > len || memcmp(chunk, data + off, got) != 0)
			same = 0;
		off += got;
	}
	fclose(f);
	return same && off == len;
}

static out_sink sink;
static void *sink_ctx;

void out_set_sink(out_sink fn, void *ctx)
{
	sink = fn;
	sink_ctx = ctx;
}

int out_write(const char *dir, const char *rel, const char *data, size_t len)
{
	if (!rel_ok(rel)) {
		diag_report(DIAG_INTERNAL, rel, 0, 0, "refusing an output path outside the output directory");
		return -1;
	}
	if (sink != NULL)
		return sink(rel, data, len, sink_ctx);
	if (out_same(dir, rel, data, len))
		return 0;
	char *path = xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdirs(path) != 0) {
		diag_report(DIAG_READ, path, 0, 0, strerror(errno));
		free(path);
		return -1;
	}
	*slash = '/';
	char *tmp = xasprintf("%.*s/.%s.tmp%ld", (int)(slash - path), path, slash + 1, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	int err = fd < 0 ? errno : 0;
	size_t done = 0;
	while (err == 0 && done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno;
		else
			done += (size_t)n;
	}
	if (fd >= 0 && close(fd) != 0 && err == 0)
		err = errno;
	if (err == 0 && rename(tmp, path) != 0)
		err = errno;
	if (err != 0) {
		unlink(tmp);
		diag_report(DIAG_READ, path, 0, 0, strerror(err));
	}
	free(tmp);
	free(path);
	return err ? -1 : 0;
}

/* Copies a file's bytes and times (when it cannot be hard-linked). */
static int copy_file(const char *from, const char *to, const struct stat *st)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->st_mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	char chunk[65536];
	ssize_t got;
	int err = 0;
	while (err == 0 && (got = read(in, chunk, sizeof chunk)) != 0) {
		if (got < 0) {
			if (errno != EINTR)
				err = -1;
			continue;
		}
		for (ssize_t done = 0; done < got && err == 0;) {
			ssize_t n = write(out, chunk + done, (size_t)(got - done));
			if (n < 0 && errno != EINTR)
				err = -1;
			else if (n > 0)
				done += n;
		}
	}
	struct timespec times[2] = {st->st_atim, st->st_mtim};
	futimens(out, times);
	close(in);
	if (close(out) != 0)
		err = -1;
	return err;
}

/* Mirrors the tree at from into to (which must not exist) with hard links,
 * and gives each new directory its original's times, so that an unchanged
 * rebuild changes no time that rsync or a static host compares. */
static int link_tree(const char *from, const char *to)
{
	if (mkdir(to, 0777) != 0)
		return -1;
	DIR *dir = opendir(from);
	if (dir == NULL)
		return -1;
	int err = 0;
	struct dirent *e;
	while (err == 0 && (e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *src = xasprintf("%s/%s", from, e->d_name);
		char *dst = xasprintf("%s/%s", to, e->d_name);
		struct stat st;
		if (lstat(src, &st) != 0)
			err = -1;
		else if (S_ISDIR(st.st_mode))
			err = link_tree(src, dst);
		else if (S_ISREG(st.st_mode) && link(src, dst) != 0)
			err = copy_file(src, dst, &st);
		/* anything else (symlinks, fifos) is not ours: left out */
		free(src);
		free(dst);
	}
	closedir(dir);
	struct stat st;
	if (err == 0 && stat(from, &st) == 0) {
		struct timespec times[2] = {st.st_atim, st.st_mtim};
		utimensat(AT_FDCWD, to, times, 0);
	}
	return err;
}

/* Splits final_dir into its parent directory and base name. */
static void split_path(const char *path, char **parent, char **base)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			slash = path + i;
	if (slash == NULL) {
		*parent = xstrdup(".");
		*base = xstrndup(path, n);
	} else {
		*parent = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
		*base = xstrndup(slash + 1, n - (size_t)(slash - path) - 1);
	}
}

/* Removes ".BASE.build-PID" directories whose build process is gone. */
static void clean_stale(const char *parent, const char *base)
{
	DIR *dir = opendir(parent);
	if (dir == NULL)
		return;
	char *prefix = xasprintf(".%s.build-", base);
	size_t plen = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		char *end;
		long pid = strtol(e->d_name + plen, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		if (pid != (long)getpid() && kill((pid_t)pid, 0) == 0)
			continue; /* a live build (perhaps a concurrent one) owns it */
		char *path = xasprintf("%s/%s", parent, e->d_name);
		remove_tree(path);
		free(path);
	}
	free(prefix);
	closedir(dir);
}

char *out_begin(const char *final_dir)
{
	char *parent, *base;
	split_path(final_dir, &parent, &base);
	char *staging = xasprintf("%s/.%s.build-%ld", parent, base, (long)getpid());
	clean_stale(parent, base);
	struct stat st;
	int exists = stat(final_dir, &st) == 0;
	const char *problem = NULL;
	if (exists && !S_ISDIR(st.st_mode))
		problem = "exists and is not a directory";
	else if (exists && access(final_dir, W_OK) != 0)
		problem = "is not writable";
	else if (access(parent, W_OK) != 0)
		problem = "cannot be created or replaced: its parent directory is not writable";
	else if (exists ? link_tree(final_dir, staging) != 0 : mkdir(staging, 0777) != 0)
		problem = strerror(errno);
	free(parent);
	free(base);
	if (problem != NULL) {
		char *msg = xasprintf("output directory %s", problem);
		diag_report(DIAG_READ, final_dir, 0, 0, msg);
		free(msg);
		remove_tree(staging);
		free(staging);
		return NULL;
	}
	return staging;
}

int out_commit(const char *staging, const char *final_dir)
{
	struct stat st;
	int r;
	if (stat(final_dir, &st) == 0)
		r = renameat2(AT_FDCWD, staging, AT_FDCWD, final_dir, RENAME_EXCHANGE);
	else
		r = rename(staging, final_dir);
	if (r != 0) {
		char *msg = xasprintf("cannot publish the build: %s", strerror(errno));
		diag_report(DIAG_READ, final_dir, 0, 0, msg);
		free(msg);
		remove_tree(staging);
		return -1;
	}
	remove_tree(staging); /* after the exchange it holds the previous tree */
	return 0;
}

void out_abort(const char *staging)
{
	remove_tree(staging);
}
