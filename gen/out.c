/* out.c: safe, atomic, change-aware output files. */
#define _GNU_SOURCE /* renameat2 */
#include "out.h"
#include "diag.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

/* The signals that stop a build: out_catch_signals catches them, and
 * block_stops holds them off where one must not land. */
static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};

/* Blocks the stop signals; *old gets the mask to restore. */
static void block_stops(sigset_t *old)
{
	sigset_t block;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		sigaddset(&block, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &block, old);
}

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

static char *staged_root; /* the staging directory of out_begin */
static char *staged_for;  /* the output directory it stands for */

/* dir/rel as the user knows it: inside the output directory, not the
 * staging one. Caller frees. */
static char *shown(const char *dir, const char *rel)
{
	size_t n = staged_root ? strlen(staged_root) : 0;
	if (n > 0 && strncmp(dir, staged_root, n) == 0 && (dir[n] == '\0' || dir[n] == '/'))
		return xasprintf("%s%s/%s", staged_for, dir + n, rel);
	return xasprintf("%s/%s", dir, rel);
}

/* 0 unless a directory on the way from dir to dir/rel is a symlink (one a
 * user made inside out/, mirrored into the staging directory): writing
 * through it would put a file outside out/, so it is refused with a
 * diagnostic naming it, and -1. The file itself may be a link: the build
 * owns that name and replaces the link with the file. */
static int through_link(const char *dir, const char *rel)
{
	const char *slash = rel;
	while ((slash = strchr(slash, '/')) != NULL) {
		char *part = xasprintf("%s/%.*s", dir, (int)(slash - rel), rel);
		struct stat st;
		int link = lstat(part, &st) == 0 && S_ISLNK(st.st_mode);
		free(part);
		if (link) {
			char *where = shown(dir, rel);
			char *msg = xasprintf("the build writes this file inside %.*s, a symlink; it writes "
			                      "through no link (make it a directory, or publish with -o to "
			                      "where it leads)",
			                      (int)(strlen(where) - strlen(slash)), where);
			diag_report(DIAG_READ, where, 0, 0, msg);
			free(msg);
			free(where);
			return -1;
		}
		slash++;
	}
	return 0;
}

static out_sink sink;
static void *sink_ctx;

void out_set_sink(out_sink fn, void *ctx)
{
	sink = fn;
	sink_ctx = ctx;
}

static const char *const *owned_paths, *const *foreign_paths;
static size_t nowned, nforeign;

void out_owned(const char *const *paths, size_t n)
{
	owned_paths = paths, nowned = n;
}

void out_foreign(const char *const *paths, size_t n)
{
	foreign_paths = paths, nforeign = n;
}

/* 1 when path, in the staging directory, is among the n sorted paths
 * (names below the output directory). */
static int staged_among(const char *path, const char *const *paths, size_t n)
{
	size_t root = staged_root ? strlen(staged_root) : 0;
	if (n == 0 || root == 0 || strncmp(path, staged_root, root) != 0 || path[root] != '/')
		return 0;
	const char *rel = path + root + 1;
	return bsearch(&rel, paths, n, sizeof *paths, cmp_strings) != NULL;
}

/* 1 when path (under dir) is a file the last build wrote. */
static int was_written(const char *path)
{
	return staged_among(path, owned_paths, nowned);
}

/* 1 when a name in sorted (n of them) starts with the directory prefix
 * ("img/"): something is kept below it. */
static int keeps_below(char *const *sorted, size_t n, const char *prefix)
{
	size_t lo = 0, hi = n, len = strlen(prefix);
	while (lo < hi) { /* the first name not below prefix in order */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(sorted[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strncmp(sorted[lo], prefix, len) == 0;
}

/* Removes the folder path, whose names below it start with prefix, when
 * the last build made it, nothing in sorted lies below it, and it is left
 * empty (another worker may be writing into a folder that holds a kept
 * file). Returns 0, or -1 after a diagnostic. */
static int remove_left_empty(const char *path, const char *prefix, char *const *sorted, size_t n)
{
	if (keeps_below(sorted, n, prefix) || !was_written(path) || rmdir(path) == 0 || errno == ENOTEMPTY ||
	    errno == EEXIST || errno == ENOENT)
		return 0;
	diag_report(DIAG_READ, path, 0, 0, strerror(errno));
	return -1;
}

/* out_prune below path, whose names are prefix + entry ("" at the top). */
static int prune_dir(const char *path, const char *prefix, char *const *sorted, size_t n)
{
	DIR *d = opendir(path);
	int r = 0;
	struct dirent *e;
	while (d != NULL && r == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *name = xasprintf("%s%s", prefix, e->d_name);
		char *file = xasprintf("%s/%s", path, e->d_name);
		struct stat st;
		if (lstat(file, &st) != 0) {
			/* gone meanwhile */
		} else if (S_ISDIR(st.st_mode)) {
			char *below = xasprintf("%s/", name);
			r = prune_dir(file, below, sorted, n);
			if (r == 0)
				r = remove_left_empty(file, below, sorted, n);
			free(below);
		} else if (!(n > 0 && bsearch(&name, sorted, n, sizeof *sorted, cmp_strings) != NULL) &&
		           was_written(file) && unlink(file) != 0) {
			diag_report(DIAG_READ, file, 0, 0, strerror(errno));
			r = -1;
		}
		free(file);
		free(name);
	}
	if (d != NULL)
		closedir(d);
	return r;
}

int out_prune(const char *dir, const char *sub, char *const *keep, size_t n)
{
	if (sink != NULL || !rel_ok(sub) || nowned == 0)
		return 0;
	/* sorted, so that a guide of many pages is pruned in n log n */
	char **sorted = xcalloc(n ? n : 1, sizeof *sorted);
	if (n > 0)
		memcpy(sorted, keep, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_strings);
	char *path = xasprintf("%s/%s", dir, sub);
	int r = prune_dir(path, "", sorted, n);
	if (r == 0) /* every name is below "": dir/sub goes only when nothing is kept */
		r = remove_left_empty(path, "", sorted, n);
	free(path);
	free(sorted);
	return r;
}

int out_write(const char *dir, const char *rel, const char *data, size_t len)
{
	if (!rel_ok(rel)) {
		diag_report(DIAG_INTERNAL, rel, 0, 0, "refusing an output path outside the output directory");
		return -1;
	}
	if (sink != NULL)
		return sink(rel, data, len, sink_ctx);
	if (stop_signal)
		return -1; /* interrupted: unwind, main says why */
	if (through_link(dir, rel) != 0)
		return -1;
	if (out_same(dir, rel, data, len))
		return 0;
	char *path = xasprintf("%s/%s", dir, rel);
	if (staged_among(path, foreign_paths, nforeign)) {
		char *where = shown(dir, rel);
		diag_report(DIAG_READ, where, 0, 0,
		            "is in the way of an output, and depthbook did not write it: move it out of the "
		            "output directory, or build into another one (-o): a build replaces only files a "
		            "build wrote");
		free(where);
		free(path);
		return -1;
	}
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
	if (fchown(out, st->st_uid, st->st_gid) != 0 && errno != EPERM)
		err = -1;
	close(in);
	if (close(out) != 0)
		err = -1;
	return err;
}

static const char *mirror_problem;
static char *mirror_path;

/* Records why the tree cannot be mirrored (the first reason) and fails. */
static int refuse_mirror(const char *path, const char *why)
{
	if (mirror_problem == NULL) {
		mirror_problem = why;
		mirror_path = xstrdup(path);
	}
	errno = EPERM;
	return -1;
}

/* Gives path (made by the mirror) the mode, owner and times of st (its
 * original's), so that a directory, link or FIFO a user made inside out/
 * comes back as it was. Returns 0, or -1 when the owner cannot be kept
 * (we are not root), after refuse_mirror. */
static int keep_attrs(const char *path, const char *orig, const struct stat *st)
{
	if (!S_ISLNK(st->st_mode) && chmod(path, st->st_mode & 07777) != 0)
		return -1;
	struct stat now;
	if (lstat(path, &now) != 0)
		return -1;
	if ((now.st_uid != st->st_uid || now.st_gid != st->st_gid) &&
	    lchown(path, st->st_uid, st->st_gid) != 0)
		return refuse_mirror(orig, "is owned by another user or group, which this build cannot keep "
		                           "(run the build as its owner, or remove it)");
	return 0;
}

/* Mirrors the tree at from into to (which must not exist) with hard links,
 * and gives each new directory its original's mode, owner and times, so
 * that an unchanged rebuild changes no time that rsync or a static host
 * compares and no mode a user set. Symlinks and FIFOs a user made are
 * made again as they were; a socket or device cannot be, and refuses the
 * build (refuse_mirror). Returns 0, or -1 with errno set. */
static int link_tree(const char *from, const char *to)
{
	if (mkdir(to, 0700) != 0)
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
		if (lstat(src, &st) != 0) {
			err = -1;
		} else if (S_ISDIR(st.st_mode)) {
			err = link_tree(src, dst);
		} else if (S_ISREG(st.st_mode)) {
			if (link(src, dst) != 0)
				err = copy_file(src, dst, &st);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(src, target, sizeof target - 1);
			if (n < 0) {
				err = -1;
			} else {
				target[n] = '\0';
				err = symlink(target, dst) != 0 ? -1 : keep_attrs(dst, src, &st);
				struct timespec times[2] = {st.st_atim, st.st_mtim};
				if (err == 0)
					utimensat(AT_FDCWD, dst, times, AT_SYMLINK_NOFOLLOW);
			}
		} else if (S_ISFIFO(st.st_mode)) {
			err = mkfifo(dst, 0600) != 0 ? -1 : keep_attrs(dst, src, &st);
		} else {
			err = refuse_mirror(src, S_ISSOCK(st.st_mode)
			                             ? "is a socket, which a build cannot carry over (move it out)"
			                             : "is a device, which a build cannot carry over (move it out)");
		}
		free(src);
		free(dst);
	}
	closedir(dir);
	struct stat st;
	if (err == 0 && stat(from, &st) == 0) {
		err = keep_attrs(to, from, &st);
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

/* The process that began the build; its workers inherit it. */
static pid_t build_pid;

long out_build_pid(void)
{
	return (long)(build_pid ? build_pid : getpid());
}

char *out_begin(const char *final_dir)
{
	build_pid = getpid();
	char *parent, *base;
	split_path(final_dir, &parent, &base);
	char *staging = xasprintf("%s/.%s.build-%ld", parent, base, (long)build_pid);
	free(staged_root);
	free(staged_for);
	staged_root = xstrdup(staging);
	staged_for = xstrdup(final_dir);
	clean_stale(parent, base);
	struct stat st;
	int exists = stat(final_dir, &st) == 0;
	struct stat pst;
	int parent_err = stat(parent, &pst) == 0 ? 0 : errno;
	const char *problem = NULL;
	char *detail = NULL;
	mirror_problem = NULL;
	if (stop_signal)
		problem = "not made: the build was interrupted";
	else if (exists && !S_ISDIR(st.st_mode))
		problem = "exists and is not a directory";
	else if (exists && access(final_dir, W_OK) != 0)
		problem = "is not writable";
	else if (parent_err == ENOENT || parent_err == ENOTDIR)
		problem = detail = xasprintf("output directory cannot be created: its parent %s does not exist "
		                             "(a build makes the output directory, not the folders above it)",
		                             parent);
	else if (parent_err == 0 && !S_ISDIR(pst.st_mode))
		problem = detail = xasprintf("output directory cannot be created: its parent %s is not a directory",
		                             parent);
	else if (access(parent, W_OK) != 0)
		problem = "cannot be created or replaced: its parent directory is not writable";
	else if (exists ? link_tree(final_dir, staging) != 0 : mkdir(staging, 0777) != 0)
		problem = strerror(errno);
	if (mirror_problem != NULL) {
		free(detail);
		detail = xasprintf("%s %s; the build changed nothing", mirror_path, mirror_problem);
		problem = detail;
		free(mirror_path);
		mirror_path = NULL;
	}
	free(parent);
	free(base);
	if (problem != NULL) {
		char *msg = detail ? xstrdup(detail) : xasprintf("output directory %s", problem);
		if (!stop_signal)
			diag_report(DIAG_READ, final_dir, 0, 0, msg);
		free(msg);
		free(detail);
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
	/* No signal between the last look at the flag and the exchange: an
	 * interrupted build publishes nothing, a published one is whole. */
	sigset_t old;
	block_stops(&old);
	if (stop_signal) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		remove_tree(staging);
		return -1;
	}
	if (stat(final_dir, &st) == 0)
		r = renameat2(AT_FDCWD, staging, AT_FDCWD, final_dir, RENAME_EXCHANGE);
	else
		r = rename(staging, final_dir);
	sigprocmask(SIG_SETMASK, &old, NULL);
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

/* The absolute, symlink-free form of path, whose last parts need not
 * exist yet ("." and ".." among those are read as written). Caller frees. */
static char *canonical(const char *path)
{
	char real[PATH_MAX];
	if (realpath(path, real) != NULL)
		return xstrdup(real);
	char *parent, *base;
	split_path(path, &parent, &base);
	char *head;
	if (strcmp(path, parent) == 0 || strcmp(base, "") == 0 || strcmp(base, "/") == 0) {
		head = getcwd(real, sizeof real) ? xstrdup(real) : xstrdup("/");
		free(parent);
		free(base);
		return head;
	}
	head = canonical(parent);
	char *result;
	if (strcmp(base, ".") == 0) {
		result = head;
	} else if (strcmp(base, "..") == 0) {
		char *slash = strrchr(head, '/');
		result = slash == head ? xstrdup("/") : xstrndup(head, (size_t)(slash - head));
		free(head);
	} else {
		result = xasprintf("%s%s%s", head, strcmp(head, "/") == 0 ? "" : "/", base);
		free(head);
	}
	free(parent);
	free(base);
	return result;
}

/* 1 if path b is directory a or lies inside it. */
static int within(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (strcmp(a, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

/* Which of "is", "is inside" or "holds" relates out to dir, or NULL. */
static const char *relation(const char *out, const char *dir)
{
	if (strcmp(out, dir) == 0)
		return "is";
	if (within(dir, out))
		return "is inside";
	if (within(out, dir))
		return "holds";
	return NULL;
}

const char *out_refusal(const char *out_dir, char *const *content, size_t ncontent, const char *theme_dir)
{
	static char why[PATH_MAX + 160];
	const char *problem = NULL;
	char *out = canonical(out_dir);
	if (strcmp(out, "/") == 0) {
		snprintf(why, sizeof why, "it is the root directory");
		problem = why;
	}
	for (size_t i = 0; problem == NULL && i < ncontent; i++) {
		char *dir = canonical(content[i]);
		struct stat st;
		if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
			char *slash = strrchr(dir, '/');
			*(slash == dir ? slash + 1 : slash) = '\0';
		}
		const char *rel = relation(out, dir);
		if (rel != NULL) {
			snprintf(why, sizeof why, "it %s the content directory %s", rel, dir);
			problem = why;
		}
		free(dir);
	}
	if (problem == NULL && theme_dir != NULL) {
		char *theme = canonical(theme_dir);
		const char *rel = relation(out, theme);
		if (rel != NULL) {
			snprintf(why, sizeof why, "it %s the theme directory %s", rel, theme);
			problem = why;
		}
		free(theme);
	}
	char cwd[PATH_MAX];
	if (problem == NULL && getcwd(cwd, sizeof cwd) != NULL && within(out, cwd)) {
		snprintf(why, sizeof why, "it %s the current directory", strcmp(out, cwd) == 0 ? "is" : "holds");
		problem = why;
	}
	const char *home = getenv("HOME");
	if (problem == NULL && home != NULL && home[0] == '/') {
		char *h = canonical(home);
		if (within(out, h)) {
			snprintf(why, sizeof why, "it %s the home directory %s", strcmp(out, h) == 0 ? "is" : "holds", h);
			problem = why;
		}
		free(h);
	}
	free(out);
	return problem;
}

char *out_target(const char *out_dir)
{
	struct stat st;
	if (lstat(out_dir, &st) != 0 || !S_ISLNK(st.st_mode))
		return xstrdup(out_dir);
	char real[PATH_MAX];
	if (realpath(out_dir, real) == NULL) {
		char *msg = xasprintf("output directory is a symlink that leads nowhere (%s); create its target "
		                      "first", strerror(errno));
		diag_report(DIAG_READ, out_dir, 0, 0, msg);
		free(msg);
		return NULL;
	}
	return xstrdup(real);
}

/* The child processes an interruption ends: pid, or -pgid for a group,
 * with the process that registered it (a forked worker inherits the
 * table, and must not signal its parent's children). */
#define MAX_CHILDREN 16
static volatile sig_atomic_t child_pid[MAX_CHILDREN];
static volatile sig_atomic_t child_owner[MAX_CHILDREN];

/* Seconds a stopped build may take to unwind through its renderers
 * before it is ended the hard way (on_alarm): one busy rendering a huge
 * guide would otherwise not look at the flag until its next write. */
#define STOP_GRACE 2

/* Removes the tree at name under dirfd without malloc or stdio (both
 * unsafe in a signal handler): getdents64 into a stack buffer, unlinkat.
 * Output trees are shallow; depth stops a runaway. */
static void remove_tree_at(int dirfd, const char *name, int depth)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno != EISDIR || depth > 32)
		return;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[4096];
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 {
				unsigned long long d_ino;
				long long d_off;
				unsigned short d_reclen;
				unsigned char d_type;
				char d_name[];
			} *e = (void *)(buf + off);
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				remove_tree_at(fd, e->d_name, depth + 1);
			off += e->d_reclen;
		}
	}
	close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Temporary directories (pdflatex's) that the hard way out removes. */
#define MAX_TEMP_DIRS 4
static char *volatile temp_dir[MAX_TEMP_DIRS];
static volatile sig_atomic_t temp_owner[MAX_TEMP_DIRS];

void out_temp_dir_started(const char *path)
{
	for (int i = 0; i < MAX_TEMP_DIRS; i++)
		if (temp_dir[i] == NULL) {
			temp_owner[i] = getpid();
			temp_dir[i] = xstrdup(path);
			return;
		}
}

void out_temp_dir_ended(const char *path)
{
	for (int i = 0; i < MAX_TEMP_DIRS; i++)
		if (temp_dir[i] != NULL && temp_owner[i] == getpid() && strcmp(temp_dir[i], path) == 0) {
			char *p = temp_dir[i];
			temp_dir[i] = NULL;
			free(p);
		}
}

/* The grace time is over: end the children, remove the staging
 * directory and the temporary ones, and exit as the signal asked. */
static void on_alarm(int sig)
{
	(void)sig;
	pid_t self = getpid();
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pid[i] != 0 && child_owner[i] == self)
			kill((pid_t)child_pid[i], SIGKILL);
	if (staged_root != NULL)
		remove_tree_at(AT_FDCWD, staged_root, 0);
	for (int i = 0; i < MAX_TEMP_DIRS; i++)
		if (temp_dir[i] != NULL && temp_owner[i] == self)
			remove_tree_at(AT_FDCWD, temp_dir[i], 0);
	static const char msg[] = "depthbook: stopped by a signal; the output directory left as it was\n";
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	_exit(128 + (stop_signal ? stop_signal : SIGTERM));
}

static void on_signal(int sig)
{
	int saved = errno;
	if (stop_signal == 0) {
		stop_signal = sig;
		alarm(STOP_GRACE);
	}
	pid_t self = getpid();
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pid[i] != 0 && child_owner[i] == self)
			kill((pid_t)child_pid[i], SIGTERM);
	errno = saved;
}

void out_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* waitpid and read go on; the flag is looked at */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		sigaction(stop_signals[i], &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

int out_interrupted(void)
{
	return stop_signal;
}

void out_child_started(long pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pid[i] == 0) {
			child_owner[i] = getpid();
			child_pid[i] = (sig_atomic_t)pid;
			if (stop_signal) /* the signal came while it was starting */
				kill((pid_t)pid, SIGTERM);
			return;
		}
}

void out_child_ended(long pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pid[i] == (sig_atomic_t)pid && child_owner[i] == getpid())
			child_pid[i] = 0;
}

void out_test_pause(const char *stage)
{
	const char *want = getenv("DEPTHBOOK_TEST_PAUSE");
	size_t n = strlen(stage);
	/* "STAGE-busy": spin there without looking at the flag, as a renderer
	 * deep in a huge guide does, so the grace time must end the build */
	int busy = want != NULL && strncmp(want, stage, n) == 0 && strcmp(want + n, "-busy") == 0;
	if (want == NULL || (strcmp(want, stage) != 0 && !busy))
		return;
	sigset_t old;
	block_stops(&old);
	fprintf(stderr, "depthbook: paused at %s (pid %ld; children", stage, (long)getpid());
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pid[i] != 0 && child_owner[i] == getpid())
			fprintf(stderr, " %ld", (long)child_pid[i]);
	fprintf(stderr, ")\n");
	fflush(stderr);
	if (busy) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		for (volatile unsigned long spin = 0;; spin++)
			;
	}
	while (!stop_signal)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
