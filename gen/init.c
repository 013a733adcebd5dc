/* init.c: `depthbook init [DIR]` writes a new guide project from the
 * skeleton installed with depthbook (skel/ in its shared data, so the
 * example guide is text a packager can read, not a C string). It writes
 * nothing over an existing file: every name is checked first, then each
 * file is created with O_EXCL, and a failure removes what it made. */
#define _POSIX_C_SOURCE 200809L
#include "init.h"
#include "util.h"
#include "where.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What init writes, from skel/ to DIR (the skeleton's gitignore is not a
 * dot file, so it cannot act on depthbook's own repository). */
static const struct {
	const char *from, *to;
} files[] = {
	{"gitignore", ".gitignore"},
	{"README.md", "README.md"},
	{"content/example-guide.md", "content/example-guide.md"},
};
#define NFILES (sizeof files / sizeof files[0])

static int fail(const char *path, const char *why)
{
	fprintf(stderr, "depthbook: %s: error: %s\n", path, why);
	return 2;
}

int init_run(const struct cli *cli)
{
	const char *dir = cli->noperands > 0 ? cli->operands[0] : ".";
	char *skel = where_share("skel");
	if (skel == NULL)
		return fail("skel", "depthbook's project skeleton is not installed beside it (make install)");
	/* Refuse before writing anything: a name taken by any kind of file. */
	const char *taken[] = {".gitignore", "README.md", "content"};
	for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
		char *path = xasprintf("%s/%s", dir, taken[i]);
		struct stat st;
		if (lstat(path, &st) == 0) {
			fail(path, "already exists; init writes nothing over existing files (give another DIR)");
			free(path);
			free(skel);
			return 2;
		}
		free(path);
	}
	int made_dir = 0, made_content = 0;
	size_t made = 0;
	int status = 0;
	if (mkdir(dir, 0777) == 0)
		made_dir = 1;
	else if (errno != EEXIST) {
		status = fail(dir, strerror(errno));
		goto out;
	}
	char *content = xasprintf("%s/content", dir);
	if (mkdir(content, 0777) != 0) {
		status = fail(content, strerror(errno));
		free(content);
		goto out;
	}
	free(content);
	made_content = 1;
	for (; made < NFILES; made++) {
		char *from = xasprintf("%s/%s", skel, files[made].from);
		char *to = xasprintf("%s/%s", dir, files[made].to);
		size_t len;
		char *text = read_whole(from, &len);
		int fd = text ? open(to, O_WRONLY | O_CREAT | O_EXCL, 0666) : -1;
		if (text == NULL)
			status = fail(from, strerror(errno));
		else if (fd < 0)
			status = fail(to, strerror(errno));
		else if (write_full(fd, text, len) != 0 || close(fd) != 0) {
			status = fail(to, strerror(errno));
			unlink(to);
		}
		free(text);
		free(from);
		free(to);
		if (status != 0)
			break;
	}
out:
	if (status != 0) {
		/* Remove what this run made, and only that. */
		for (size_t i = 0; i < made; i++) {
			char *to = xasprintf("%s/%s", dir, files[i].to);
			unlink(to);
			free(to);
		}
		if (made_content) {
			char *content = xasprintf("%s/content", dir);
			rmdir(content);
			free(content);
		}
		if (made_dir)
			rmdir(dir);
	} else if (!cli->quiet) {
		printf("depthbook: started a guide project in %s:\n"
		       "  content/example-guide.md  an example guide showing every part of the format\n"
		       "  README.md, .gitignore\n"
		       "Next: cd %s && depthbook serve   (or depthbook build)\n",
		       dir, dir);
	}
	free(skel);
	return status;
}
