/* link.c: what a destination names (link.h): unit ids, guide paths, and
 * the files beside a guide. */
#define _DEFAULT_SOURCE /* realpath */
#include "link.h"
#include "escape.h"
#include "util.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *link_slug_unit(const struct model_guide *g, const char *fragment)
{
	/* GitHub gives the k-th repeat of slug x the slug "x-k". */
	size_t n = strlen(fragment), cut = n;
	while (cut > 0 && isdigit((unsigned char)fragment[cut - 1]))
		cut--;
	long k = 0;
	if (cut > 1 && cut < n && fragment[cut - 1] == '-')
		k = strtol(fragment + cut, NULL, 10);
	else
		cut = n + 1;
	long seen_whole = 0, seen_base = 0;
	for (size_t i = 0; i < g->nslugs; i++) {
		const char *s = g->slugs[i].slug;
		if (strcmp(s, fragment) == 0 && seen_whole++ == 0)
			return g->slugs[i].id;
		if (cut <= n && strlen(s) == cut - 1 && strncmp(s, fragment, cut - 1) == 0 && seen_base++ == k)
			return g->slugs[i].id;
	}
	return NULL;
}

static int unit_line(const struct model_idref *r)
{
	return r->depth ? r->depth->line : r->question->line;
}

/* The unit whose explicit id is id (the first in the guide when it
 * repeats), or NULL; g->ids is sorted by model_build. */
static const struct model_idref *find_explicit(const struct model_guide *g, const char *id)
{
	size_t lo = 0, hi = g->nids;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->ids[mid].id, id);
		if (c < 0) {
			lo = mid + 1;
		} else if (c > 0) {
			hi = mid;
		} else {
			const struct model_idref *best = &g->ids[mid];
			for (size_t k = mid; k > 0 && strcmp(g->ids[k - 1].id, id) == 0; k--)
				if (unit_line(&g->ids[k - 1]) < unit_line(best))
					best = &g->ids[k - 1];
			for (size_t k = mid + 1; k < g->nids && strcmp(g->ids[k].id, id) == 0; k++)
				if (unit_line(&g->ids[k]) < unit_line(best))
					best = &g->ids[k];
			return best;
		}
	}
	return NULL;
}

int link_id_positional(const char *id)
{
	const char *end;
	if ((id[0] == 's' || id[0] == 'd') && parse_number(id + 1, &end) >= 0)
		return *end == '\0';
	if (id[0] != 'q' || parse_number(id + 1, &end) < 0)
		return 0;
	if (*end == '\0')
		return 1;
	return end[0] == '-' && end[1] == 'd' && parse_number(end + 2, &end) >= 0 && *end == '\0';
}

/* The place of the first unit numbered n in units (an array of count
 * pointers to structs with an int number at offset), or n when none is.
 * Numbers usually follow places, from 1 or from the first one (Depth 26,
 * 27 … of a continuous chain); in a misnumbered guide (fmt's work) they
 * still mostly grow, so a binary search finds them; a scan, the rest. */
static size_t find_number(void *units, size_t count, size_t offset, int n)
{
	void **u = units;
#define NUMBER(i) (*(const int *)((const char *)u[i] + offset))
	if (count == 0)
		return count;
	if (n >= 1 && (size_t)n <= count && NUMBER(n - 1) == n)
		return (size_t)n - 1;
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (NUMBER(mid) < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < count && NUMBER(lo) == n && (lo == 0 || NUMBER(lo - 1) < n))
		return lo;
	for (size_t i = 0; i < count; i++)
		if (NUMBER(i) == n)
			return i;
	return count;
#undef NUMBER
}

int link_find_unit(const struct model_guide *g, const char *id, struct link_target *t)
{
	const char *end;
	int n;
	const struct model_idref *r = find_explicit(g, id);
	if (r != NULL) {
		t->question = r->question;
		t->section = r->question->section;
		t->depth = r->depth;
		return 1;
	}
	if (id[0] == 's') {
		n = parse_number(id + 1, &end);
		if (n < 0 || *end != '\0')
			return 0;
		for (size_t i = 0; i < g->nsections; i++)
			if (g->sections[i]->number == n) {
				t->section = g->sections[i];
				return 1;
			}
		return 0;
	}
	if (id[0] != 'q')
		return 0;
	n = parse_number(id + 1, &end);
	if (n < 0)
		return 0;
	size_t at = find_number(g->questions, g->nquestions, offsetof(struct model_question, number), n);
	struct model_question *q = at < g->nquestions ? g->questions[at] : NULL;
	if (q == NULL)
		return 0;
	if (*end == '\0') {
		t->question = q;
		t->section = q->section;
		return 1;
	}
	if (end[0] != '-' || end[1] != 'd')
		return 0;
	int m = parse_number(end + 2, &end);
	if (m < 0 || *end != '\0')
		return 0;
	at = find_number(q->depths, q->ndepths, offsetof(struct model_depth, number), m);
	struct model_depth *d = at < q->ndepths ? q->depths[at] : NULL;
	if (d == NULL)
		return 0;
	t->question = q;
	t->section = q->section;
	t->depth = d;
	return 1;
}

static int has_scheme(const char *url)
{
	if (url[0] == '/' && url[1] == '/')
		return 1;
	const char *p = url;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* Normalises a relative path lexically ("a/./b/../c" → "a/c") into buf.
 * Returns 0 if it climbs above its start. */
static int normalise(const char *path, char *buf, size_t size)
{
	size_t n = 0;
	const char *p = path;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0)
				return 0;
			while (n > 0 && buf[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n + len + 2 >= size)
				return 0;
			if (n > 0)
				buf[n++] = '/';
			memcpy(buf + n, p, len);
			n += len;
		}
		p += len + (slash ? 1 : 0);
	}
	buf[n] = '\0';
	return 1;
}

/* The guide of lib whose normalised path is want, or NULL. */
static struct model_guide *guide_at(const struct model_library *lib, const char *want)
{
	char have[4096];
	for (size_t i = 0; i < lib->nguides; i++)
		if (normalise(lib->guides[i]->path, have, sizeof have) && strcmp(have, want) == 0)
			return lib->guides[i];
	return NULL;
}

struct model_guide *link_find_guide(const struct model_library *lib, const char *path)
{
	char want[4096];
	return normalise(path, want, sizeof want) ? guide_at(lib, want) : NULL;
}

enum link_kind link_resolve(const struct model_library *lib, const struct model_guide *from,
                            const char *url, struct link_target *t)
{
	memset(t, 0, sizeof *t);
	if (has_scheme(url))
		return LINK_EXTERNAL;
	const char *hash = strchr(url, '#');
	t->fragment = hash ? hash + 1 : NULL;
	size_t pathlen = hash ? (size_t)(hash - url) : strlen(url);
	if (pathlen == 0) {
		t->guide = (struct model_guide *)from;
		/* "" or "#" names the guide itself, not a unit: a UNIT result
		 * always carries a section, question or depth */
		if (t->fragment == NULL || t->fragment[0] == '\0')
			return LINK_GUIDE;
		return link_find_unit(t->guide, t->fragment, t) ? LINK_UNIT : LINK_NO_UNIT;
	}
	char rel[4096], want[4096];
	const char *slash = strrchr(from->path, '/');
	if (pathlen >= sizeof rel - 1)
		return LINK_FILE;
	/* the path as on disk: "a%20b%23c.md" names the guide "a b#c.md",
	 * whose '#' could be written no other way */
	char *path = unesc_url(url, pathlen);
	snprintf(rel, sizeof rel, "%.*s/%s", slash ? (int)(slash - from->path) : 1,
	         slash ? from->path : ".", path);
	size_t n = strlen(path);
	int md = n >= 3 && strcmp(path + n - 3, ".md") == 0;
	free(path);
	if (!md || !normalise(rel, want, sizeof want))
		return LINK_FILE;
	t->guide = guide_at(lib, want);
	if (t->guide == NULL)
		return LINK_NO_GUIDE;
	if (t->fragment == NULL || t->fragment[0] == '\0')
		return LINK_GUIDE;
	return link_find_unit(t->guide, t->fragment, t) ? LINK_UNIT : LINK_NO_UNIT;
}

char *link_file_path(const struct model_guide *g, const char *url, char **relp)
{
	char *rel = unesc_url(url, strcspn(url, "?#"));
	const char *slash = strrchr(g->path, '/');
	char *path = xasprintf("%.*s/%s", slash ? (int)(slash - g->path) : 1, slash ? g->path : ".", rel);
	if (relp != NULL)
		*relp = rel;
	else
		free(rel);
	return path;
}

enum link_place link_locate(const struct model_guide *g, const char *path, char real[PATH_MAX],
                            const char **inside)
{
	char root[PATH_MAX];
	if (realpath(g->file->root, root) == NULL)
		return LINK_PLACE_NO_ROOT;
	if (realpath(path, real) == NULL)
		return LINK_PLACE_MISSING;
	size_t rn = strlen(root);
	if (strncmp(real, root, rn) != 0 || (real[rn] != '/' && real[rn] != '\0'))
		return LINK_PLACE_OUTSIDE;
	if (real[rn] == '\0')
		return LINK_PLACE_ROOT;
	if (inside != NULL)
		*inside = real + rn + 1;
	return LINK_PLACE_INSIDE;
}

char *link_site_page(const struct link_target *t)
{
	if (t->depth != NULL)
		return xasprintf("q%d.html#%s", t->question->number, t->depth->anchor);
	if (t->question != NULL)
		return xasprintf("q%d.html", t->question->number);
	if (t->section != NULL && t->section->count == 0)
		return xasprintf("%s.html", t->section->id);
	if (t->section != NULL)
		return xasprintf("index.html#%s", t->section->id);
	return xstrdup("index.html");
}

char *link_site_root(const char *base_url)
{
	if (base_url == NULL || *base_url == '\0')
		return NULL;
	size_t n = strlen(base_url);
	return xasprintf("%s%s", base_url, base_url[n - 1] == '/' ? "" : "/");
}

char *link_site_url(const char *root, const struct link_target *t)
{
	struct buf b = {0};
	buf_puts(&b, root);
	esc_url(&b, t->guide->slug);
	buf_putc(&b, '/');
	char *page = link_site_page(t);
	buf_puts(&b, page);
	free(page);
	return buf_take(&b);
}
