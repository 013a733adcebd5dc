/* out.c: safe, atomic, change-aware output files. */
#define _POSIX_C_SOURCE 200809L
#include "out.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
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

int out_write(const char *dir, const char *rel, const char *data, size_t len)
{
	if (!rel_ok(rel)) {
		diag_report(DIAG_INTERNAL, rel, 0, 0, "refusing an output path outside the output directory");
		return -1;
	}
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
