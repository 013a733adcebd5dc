/* plan.c: which guides a build renders (plan.h). */
#define _GNU_SOURCE /* st_mtim, lstat */
#include "plan.h"
#include "diag.h"
#include "ident.h"
#include "out.h"
#include "stamp.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 3: with "x" lines. A list of format 2 is read as none (plan_make). */
#define LIST_HEADER "depthbook-outputs 3\n"
/* After the header when the next build must render everything but still
 * knows what this one wrote: the build printed a warning (which the next
 * prints again), or OUT holds something a list cannot hold (a symlink, a
 * name with a newline), or a key could not be made. */
#define WARNED_LINE "w warnings: render every guide\n"
#define UNLISTED_LINE "w not all listed: render every guide\n"

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
		    (rel == NULL && strcmp(e->d_name, PLAN_LIST) == 0))
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
			XGROW(l->lines, l->n, l->cap);
			l->lines[l->n++] = line;
			if (S_ISDIR(st.st_mode))
				list_tree(root, child, l);
		}
		free(full);
		free(child);
	}
	closedir(d);
}

/* The lines listing the tree at dir, sorted; *odd is set when something
 * in it cannot be listed. Caller frees. */
static char *list_text(const char *dir, int *odd)
{
	struct listing l = {0};
	list_tree(dir, NULL, &l);
	if (l.n)
		qsort(l.lines, l.n, sizeof *l.lines, cmp_strings);
	struct buf b = {0};
	buf_puts(&b, "");
	for (size_t i = 0; i < l.n; i++) {
		buf_puts(&b, l.lines[i]);
		free(l.lines[i]);
	}
	free(l.lines);
	*odd = l.odd;
	return buf_take(&b);
}

/* The path of a listing line ("d PATH", "f SIZE MTIME INODE PATH"), with
 * the line's newline cut; NULL for any other line, or a path no listing
 * holds (listed_path). */
static int listed_path(const char *path);
static const char *line_path(char *line)
{
	char *nl = strchr(line, '\n');
	if (nl != NULL)
		*nl = '\0';
	if ((line[0] != 'f' && line[0] != 'd') || line[1] != ' ')
		return NULL;
	char *path = line + 2;
	for (int field = 0; line[0] == 'f' && field < 3 && path != NULL; field++)
		path = strchr(path, ' ') ? strchr(path, ' ') + 1 : NULL;
	return path != NULL && listed_path(path) ? path : NULL;
}

/* 1 if path is among the n sorted paths. */
static int among(const char *path, const char *const *paths, size_t n)
{
	return n > 0 && bsearch(&path, paths, n, sizeof *paths, cmp_strings) != NULL;
}

/* One key of the previous list: "k OUTPUT KEY SLUG". */
struct old_key {
	const char *line;   /* the whole line, in the list's text */
	const char *output; /* NUL-terminated copies in names */
	const char *slug;
	uint64_t key;
};

static int by_output_slug(const void *a, const void *b)
{
	const struct old_key *x = a, *y = b;
	int c = strcmp(x->output, y->output);
	return c != 0 ? c : strcmp(x->slug, y->slug);
}

/* The previous list, read: its keys sorted by output and slug, and where
 * its listing of the tree starts. */
struct old_list {
	char *text;
	struct old_key *keys;
	size_t nkeys;
	const char **foreign; /* its "x" lines: paths no build wrote, sorted */
	size_t nforeign;
	const char *tree;
	int warned;          /* the next build renders every guide */
};

/* Reads dir's list; returns 0, or -1 when there is none in this format. */
static int old_read(struct old_list *o, const char *dir)
{
	char *path = xasprintf("%s/%s", dir, PLAN_LIST);
	size_t len;
	o->text = read_whole(path, &len);
	free(path);
	size_t hl = strlen(LIST_HEADER);
	if (o->text == NULL || len < hl || memcmp(o->text, LIST_HEADER, hl) != 0 || strlen(o->text) != len)
		return -1;
	size_t cap = 0;
	char *p = o->text + hl;
	while (p[0] == 'w' && p[1] == ' ' && strchr(p, '\n') != NULL) {
		o->warned = 1;
		p = strchr(p, '\n') + 1;
	}
	while (p[0] == 'k' && p[1] == ' ') {
		char *nl = strchr(p, '\n');
		if (nl == NULL)
			return -1;
		*nl = '\0';
		char *output = p + 2, *sp = strchr(output, ' ');
		char *end;
		if (sp == NULL)
			return -1;
		*sp = '\0';
		uint64_t key = strtoull(sp + 1, &end, 16);
		if (end != sp + 17 || *end != ' ')
			return -1;
		XGROW(o->keys, o->nkeys, cap);
		o->keys[o->nkeys++] = (struct old_key){p, output, end + 1, key};
		p = nl + 1;
	}
	qsort(o->keys, o->nkeys, sizeof *o->keys, by_output_slug);
	cap = 0;
	while (p[0] == 'x' && p[1] == ' ') {
		char *nl = strchr(p, '\n');
		if (nl == NULL)
			return -1;
		*nl = '\0';
		XGROW(o->foreign, o->nforeign, cap);
		o->foreign[o->nforeign++] = p + 2;
		p = nl + 1;
	}
	if (o->nforeign)
		qsort(o->foreign, o->nforeign, sizeof *o->foreign, cmp_strings);
	o->tree = p;
	return 0;
}

static const struct old_key *old_find(const struct old_list *o, const char *output, const char *slug)
{
	struct old_key k = {NULL, output, slug, 0};
	return o->nkeys ? bsearch(&k, o->keys, o->nkeys, sizeof k, by_output_slug) : NULL;
}

/* 1 if path is one list_tree writes: names joined by '/', none empty,
 * "." or "..". A list edited or damaged by hand may hold others
 * ("site/../../x", "/etc/x"), which would lead a removal out of the
 * output directory: those are owned by no build. */
static int listed_path(const char *path)
{
	if (*path == '\0')
		return 0;
	for (const char *name = path;;) {
		size_t n = strcspn(name, "/");
		if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
			return 0;
		if (name[n] == '\0')
			return 1;
		name += n + 1;
	}
}

/* The paths of the listing lines in text (cut into strings there) that
 * are not among the nskip sorted ones, sorted, into *paths and *n. */
static void paths_except(char *text, const char *const *skip, size_t nskip, const char ***paths, size_t *n)
{
	size_t cap = 0;
	for (char *line = text, *next; *line != '\0'; line = next) {
		next = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
		const char *path = line_path(line);
		if (path == NULL || among(path, skip, nskip))
			continue;
		XGROW(*paths, *n, cap);
		(*paths)[(*n)++] = path;
	}
	if (*n)
		qsort(*paths, *n, sizeof **paths, cmp_strings);
}

/* The guides the previous list has files of, for outputs this build
 * renders, that the library no longer holds. */
static void gone_find(struct plan *p, const struct old_list *o, const struct model_library *lib)
{
	const char **slugs = xcalloc(lib->nguides ? lib->nguides : 1, sizeof *slugs);
	for (size_t i = 0; i < lib->nguides; i++)
		slugs[i] = lib->guides[i]->slug;
	qsort(slugs, lib->nguides, sizeof *slugs, cmp_strings);
	size_t cap = 0;
	for (size_t k = 0; k < o->nkeys; k++)
		for (size_t r = 0; r < p->noutputs; r++)
			if (p->want[r] && strcmp(o->keys[k].output, p->renderers[r].name) == 0 &&
			    (lib->nguides == 0 ||
			     bsearch(&o->keys[k].slug, slugs, lib->nguides, sizeof *slugs, cmp_strings) == NULL)) {
				XGROW(p->gone, p->ngone, cap);
				p->gone[p->ngone++] = (struct plan_gone){r, xstrdup(o->keys[k].slug)};
			}
	free(slugs);
}

void plan_make(struct plan *p, const struct renderer *rs, const int *want,
               const struct model_library *lib, const struct render_opts *opts, const char *out_dir)
{
	memset(p, 0, sizeof *p);
	p->renderers = rs;
	while (rs[p->noutputs].name != NULL)
		p->noutputs++;
	p->nguides = lib->nguides;
	size_t cells = p->noutputs * p->nguides;
	p->todo = xcalloc(cells ? cells : 1, 1);
	p->keys = xcalloc(cells ? cells : 1, sizeof *p->keys);
	p->want = xcalloc(p->noutputs ? p->noutputs : 1, sizeof *p->want);
	p->slugs = xcalloc(p->nguides ? p->nguides : 1, sizeof *p->slugs);
	for (size_t i = 0; i < p->nguides; i++)
		p->slugs[i] = lib->guides[i]->slug;
	p->keyed = 1;
	uint64_t *guide = xcalloc(p->nguides ? p->nguides : 1, sizeof *guide);
	for (size_t i = 0; i < p->nguides; i++)
		guide[i] = stamp_guide(lib, lib->guides[i], opts);
	for (size_t r = 0; r < p->noutputs; r++) {
		p->want[r] = want[r];
		uint64_t base;
		if (!want[r])
			continue;
		if (stamp_output(opts, rs[r].name, &base) != 0) {
			p->keyed = 0;
			continue;
		}
		for (size_t i = 0; i < p->nguides; i++)
			p->keys[r * p->nguides + i] = stamp_key(base, rs[r].name, guide[i], lib, lib->guides[i]);
	}
	free(guide);
	for (size_t i = 0; i < p->nguides; i++)
		if (strchr(lib->guides[i]->slug, '\n') != NULL)
			p->keyed = 0; /* a list line could not hold it */
	struct old_list o = {0};
	int odd = 0, intact = 0, listed = old_read(&o, out_dir) == 0;
	char *now = list_text(out_dir, &odd);
	if (p->keyed && listed)
		intact = !o.warned && !odd && strcmp(now, o.tree) == 0;
	p->current = p->keyed && intact;
	struct buf carried = {0};
	for (size_t r = 0; r < p->noutputs; r++) {
		if (!want[r]) {
			/* its files stay as they are: so do their keys */
			for (size_t k = 0; intact && k < o.nkeys; k++)
				if (strcmp(o.keys[k].output, rs[r].name) == 0)
					buf_printf(&carried, "k %s %016" PRIx64 " %s\n", o.keys[k].output, o.keys[k].key,
					           o.keys[k].slug);
			continue;
		}
		size_t matched = 0;
		for (size_t i = 0; i < p->nguides; i++) {
			const struct old_key *k = intact ? old_find(&o, rs[r].name, lib->guides[i]->slug) : NULL;
			int same = k != NULL && k->key == p->keys[r * p->nguides + i];
			p->todo[r * p->nguides + i] = !same;
			matched += same;
		}
		/* a guide added, changed or removed: the library files change too */
		size_t had = 0;
		for (size_t k = 0; k < o.nkeys; k++)
			had += strcmp(o.keys[k].output, rs[r].name) == 0;
		if (matched != p->nguides || had != p->nguides)
			p->current = 0;
	}
	p->carried = buf_take(&carried);
	if (listed) {
		p->owned_text = xstrdup(o.tree); /* what a build wrote: not its "x" lines */
		paths_except(p->owned_text, o.foreign, o.nforeign, &p->owned, &p->nowned);
	} else {
		/* No list (or one of format 2, before "x" lines), but the ids a
		 * build leaves (ident.h): out/ is a build's whose list was lost,
		 * and all of it counts as a build's. Else none of it does. */
		char *ids = xasprintf("%s/%s", out_dir, IDENT_MAP);
		struct stat st;
		if (lstat(ids, &st) == 0 && S_ISREG(st.st_mode)) {
			p->owned_text = xstrdup(now);
			paths_except(p->owned_text, NULL, 0, &p->owned, &p->nowned);
		}
		free(ids);
	}
	/* what OUT holds that no build wrote: its user's files */
	p->foreign_text = now;
	paths_except(now, p->owned, p->nowned, &p->foreign, &p->nforeign);
	gone_find(p, &o, lib);
	free(o.keys);
	free(o.foreign);
	free(o.text);
}

/* Removes staging/rel when the last build wrote it: a file, or a directory
 * with what it wrote inside (anything else there keeps the directory).
 * Returns 0, or -1 after a diagnostic. */
static int remove_owned(const struct plan *p, const char *staging, const char *rel)
{
	const char **at = p->nowned ? bsearch(&rel, p->owned, p->nowned, sizeof *p->owned, cmp_strings) : NULL;
	if (at == NULL)
		return 0;
	/* the paths under rel follow it ('/' sorts before the characters a
	 * name may go on with, except ' ' to '.'); deepest first */
	size_t n = strlen(rel), first = (size_t)(at - p->owned), last = first;
	for (size_t k = first + 1; k < p->nowned && strncmp(p->owned[k], rel, n) == 0; k++)
		if (p->owned[k][n] == '/')
			last = k;
	for (size_t k = last + 1; k-- > first;) {
		if (k != first && !(strncmp(p->owned[k], rel, n) == 0 && p->owned[k][n] == '/'))
			continue;
		char *path = xasprintf("%s/%s", staging, p->owned[k]);
		struct stat st;
		int dir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
		int r = dir ? rmdir(path) : unlink(path);
		if (r != 0 && errno != ENOENT && !(dir && (errno == ENOTEMPTY || errno == EEXIST))) {
			diag_report(DIAG_READ, path, 0, 0, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

int plan_prune(const struct plan *p, const char *staging)
{
	out_owned(p->owned, p->nowned);
	out_foreign(p->foreign, p->nforeign);
	for (size_t g = 0; g < p->ngone; g++) {
		const char *const *files = p->renderers[p->gone[g].output].guide_files;
		for (size_t k = 0; files && files[k]; k++) {
			const char *mark = strstr(files[k], "%s");
			char *rel = xasprintf("%.*s%s%s", (int)(mark - files[k]), files[k], p->gone[g].slug, mark + 2);
			int r = remove_owned(p, staging, rel);
			free(rel);
			if (r != 0)
				return -1;
		}
	}
	return 0;
}

size_t plan_count(const struct plan *p, size_t r)
{
	size_t n = 0;
	for (size_t i = 0; p->want[r] && i < p->nguides; i++)
		n += p->todo[r * p->nguides + i];
	return n;
}

int plan_record(const struct plan *p, const char *staging, int clean)
{
	struct stat before;
	int had = stat(staging, &before) == 0;
	int odd = 0;
	char *tree = list_text(staging, &odd);
	struct buf b = {0};
	buf_puts(&b, LIST_HEADER);
	if (!clean)
		buf_puts(&b, WARNED_LINE);
	else if (odd || !p->keyed)
		buf_puts(&b, UNLISTED_LINE);
	for (size_t o = 0; o < p->noutputs; o++)
		for (size_t i = 0; p->want[o] && i < p->nguides; i++)
			if (strchr(p->slugs[i], '\n') == NULL)
				buf_printf(&b, "k %s %016" PRIx64 " %s\n", p->renderers[o].name,
				           p->keys[o * p->nguides + i], p->slugs[i]);
	buf_puts(&b, p->carried);
	/* the user's files that are still there (out_write replaced none) */
	char *lines = xstrdup(tree);
	for (char *line = lines, *next; *line != '\0'; line = next) {
		next = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
		const char *path = line_path(line);
		if (path != NULL && among(path, p->foreign, p->nforeign))
			buf_printf(&b, "x %s\n", path);
	}
	free(lines);
	buf_puts(&b, tree);
	int r = out_write(staging, PLAN_LIST, b.data, b.len);
	buf_free(&b);
	free(tree);
	/* The list is the build's own bookkeeping: out/ keeps its times, as
	 * for any unchanged rebuild (out.h). */
	if (had) {
		struct timespec times[2] = {before.st_atim, before.st_mtim};
		utimensat(AT_FDCWD, staging, times, 0);
	}
	return r;
}

void plan_free(struct plan *p)
{
	free(p->todo);
	free(p->keys);
	free(p->want);
	free(p->carried);
	free(p->slugs);
	if (p->owned != NULL)
		out_owned(NULL, 0); /* out.c held them (plan_prune) */
	free(p->owned_text);
	free(p->owned);
	if (p->foreign != NULL)
		out_foreign(NULL, 0);
	free(p->foreign_text);
	free(p->foreign);
	for (size_t g = 0; g < p->ngone; g++)
		free(p->gone[g].slug);
	free(p->gone);
	memset(p, 0, sizeof *p);
}
