/* ident.c: identity keys that survive edits (ident.h), the map of the last
 * build's positional ids, and the warning for cross-links an insertion has
 * repointed. */
#define _POSIX_C_SOURCE 200809L
#include "ident.h"
#include "diag.h"
#include "link.h"
#include "out.h"
#include "stamp.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s (valid: load.c checked every byte);
 * returns the code point and sets *n to its length. */
static uint32_t utf8_next(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0 && s[1]) {
		*n = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0 && s[1] && s[2]) {
		*n = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	if ((s[0] & 0xf8) == 0xf0 && s[1] && s[2] && s[3]) {
		*n = 4;
		return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
		       (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	}
	*n = 1; /* not reached for checked text; keep the byte */
	return s[0];
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       c == 0xa0 || (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x3000;
}

void ident_normalise(const char *text, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	int space = 0; /* a space is owed before the next character */
	size_t start = out->len;
	while (*s) {
		size_t n;
		uint32_t c = utf8_next(s, &n);
		if (is_space(c)) {
			space = out->len > start;
			s += n;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = 0;
		/* What cmark-gfm's smart punctuation writes, back to what the
		 * author typed. */
		switch (c) {
		case 0x2018: case 0x2019: buf_putc(out, '\''); break;
		case 0x201c: case 0x201d: buf_putc(out, '"'); break;
		case 0x2013: buf_puts(out, "--"); break;
		case 0x2014: buf_puts(out, "---"); break;
		case 0x2026: buf_puts(out, "..."); break;
		default:
			if (c < 0x80) {
				buf_putc(out, (char)tolower((int)c));
			} else if (c >= 0xc0 && c <= 0xde && c != 0xd7) {
				/* Latin-1 capitals: lower case is 0x20 above */
				uint32_t l = c + 0x20;
				buf_putc(out, (char)(0xc0 | (l >> 6)));
				buf_putc(out, (char)(0x80 | (l & 0x3f)));
			} else {
				buf_put(out, (const char *)s, n);
			}
		}
		s += n;
	}
}

/* One unit being keyed: its kind ('q' main question, 'd' follow-up), its
 * normalised text and the slot its key goes to. */
struct unit {
	char kind;
	const char *explicit_id;
	char *text;
	const char **key;
};

/* A final mix (splitmix64's) so that keys differing in one byte of text
 * differ in every digit. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

const char *ident_guide(const struct model_guide *g)
{
	return g->file->meta.id && *g->file->meta.id ? g->file->meta.id : g->slug;
}

void ident_assign(struct model_guide *g)
{
	size_t n = g->nquestions + g->ndepths;
	struct unit *units = xcalloc(n ? n : 1, sizeof *units);
	size_t k = 0;
	for (size_t i = 0; i < g->nquestions; i++) {
		struct model_question *q = g->questions[i];
		units[k++] = (struct unit){'q', q->explicit_id, NULL, &q->key};
		struct buf t = {0};
		ident_normalise(q->title_text ? q->title_text : "", &t);
		units[k - 1].text = buf_take(&t);
		for (size_t j = 0; j < q->ndepths; j++) {
			struct model_depth *d = q->depths[j];
			units[k++] = (struct unit){'d', d->explicit_id, NULL, &d->key};
			ident_normalise(d->question_text ? d->question_text : "", &t);
			units[k - 1].text = buf_take(&t);
		}
	}
	n = k;
	/* Occurrence numbers: a table of (kind, text) seen so far, open
	 * addressing over twice the units, so keying stays linear. */
	size_t size = 2;
	while (size < 2 * n)
		size *= 2;
	struct seen {
		struct unit *first;
		int count;
	} *seen = xcalloc(size, sizeof *seen);
	const char *ident = ident_guide(g);
	free(g->keys);
	g->keys = xmalloc(n * 17 + 1);
	for (k = 0; k < n; k++) {
		struct unit *u = &units[k];
		uint64_t h = stamp_add_str(STAMP_START, ident);
		if (u->explicit_id != NULL) {
			/* the author's id: any edit of the text keeps the key */
			h = stamp_add_str(h, "#");
			h = stamp_add_str(h, u->explicit_id);
		} else {
			char kind[2] = {u->kind, '\0'};
			h = stamp_add_str(h, kind);
			h = stamp_add_str(h, u->text);
			uint64_t th = mix(stamp_add_str(stamp_add(STAMP_START, kind, 1), u->text));
			size_t slot = (size_t)th & (size - 1);
			while (seen[slot].first != NULL &&
			       (seen[slot].first->kind != u->kind || strcmp(seen[slot].first->text, u->text) != 0))
				slot = (slot + 1) & (size - 1);
			if (seen[slot].first == NULL)
				seen[slot].first = u;
			int occurrence = ++seen[slot].count;
			/* The first keeps the bare text, so adding a repeat later
			 * leaves the first one's key alone. */
			if (occurrence > 1) {
				char num[16];
				snprintf(num, sizeof num, "%d", occurrence);
				h = stamp_add_str(h, num);
			}
		}
		char *key = g->keys + k * 17;
		snprintf(key, 17, "%016llx", (unsigned long long)mix(h));
		*u->key = key;
	}
	for (k = 0; k < n; k++)
		free(units[k].text);
	free(units);
	free(seen);
}

/* Appends text on one line: tabs and line ends as spaces. */
static void put_line(struct buf *b, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++)
		buf_putc(b, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

static void record_unit(struct buf *b, const char *slug, const char *id, const char *key,
                        const char *explicit_id, const char *text)
{
	buf_printf(b, "%s\t%s\t%s\t%s\t", slug, id, key, explicit_id ? explicit_id : "-");
	put_line(b, text);
	buf_putc(b, '\n');
}

int ident_record(const struct model_library *lib, const char *dir)
{
	struct buf b = {0};
	buf_puts(&b, "# depthbook ids 1: slug, positional id, key, explicit id, question\n");
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct model_guide *g = lib->guides[i];
		for (size_t k = 0; k < g->nquestions; k++) {
			const struct model_question *q = g->questions[k];
			char id[48];
			snprintf(id, sizeof id, "q%d", q->number);
			record_unit(&b, g->slug, id, q->key, q->explicit_id, q->title_text);
			for (size_t j = 0; j < q->ndepths; j++) {
				const struct model_depth *d = q->depths[j];
				snprintf(id, sizeof id, "q%d-d%d", q->number, d->number);
				record_unit(&b, g->slug, id, d->key, d->explicit_id, d->question_text);
			}
		}
	}
	int r = out_write(dir, IDENT_MAP, b.data, b.len);
	buf_free(&b);
	return r;
}

/* One line of the last build's map, its fields pointing into the file. */
struct entry {
	const char *slug, *id, *key, *text;
};

/* A name an author could give the unit: its first four words, as a slug. */
static char *suggest(const char *text)
{
	struct buf norm = {0}, out = {0};
	ident_normalise(text, &norm);
	int words = 0, in_word = 0;
	for (const char *p = norm.data ? norm.data : ""; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (!in_word && words == 4)
				break;
			if (!in_word && out.len > 0)
				buf_putc(&out, '-');
			if (!in_word)
				words++;
			in_word = 1;
			buf_putc(&out, *p);
		} else {
			in_word = 0;
		}
	}
	buf_free(&norm);
	if (out.len == 0)
		buf_puts(&out, "name");
	return buf_take(&out);
}

/* Finds the unit whose key is key in g: its positional id in id, its
 * explicit id and text. Returns 1 if found. */
static int find_key(const struct model_guide *g, const char *key, char id[48], const char **explicit_id,
                    const char **text)
{
	for (size_t k = 0; k < g->nquestions; k++) {
		const struct model_question *q = g->questions[k];
		if (q->key && strcmp(q->key, key) == 0) {
			snprintf(id, 48, "q%d", q->number);
			*explicit_id = q->explicit_id;
			*text = q->title_text;
			return 1;
		}
		for (size_t j = 0; j < q->ndepths; j++) {
			const struct model_depth *d = q->depths[j];
			if (d->key && strcmp(d->key, key) == 0) {
				snprintf(id, 48, "q%d-d%d", q->number, d->number);
				*explicit_id = d->explicit_id;
				*text = d->question_text;
				return 1;
			}
		}
	}
	return 0;
}

/* Orders map entries by guide slug, then positional id. */
static int by_unit(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->slug, y->slug);
	return c ? c : strcmp(x->id, y->id);
}

static void check_link(const struct model_library *lib, const struct model_guide *g,
                       const struct model_link *l, const struct entry *map, size_t nmap)
{
	struct link_target t;
	if (l->is_image || link_resolve(lib, g, l->url, &t) != LINK_UNIT || t.fragment == NULL ||
	    !link_id_positional(t.fragment) || t.question == NULL)
		return;
	const char *key = t.depth ? t.depth->key : t.question->key;
	const char *explicit_id = t.depth ? t.depth->explicit_id : t.question->explicit_id;
	const char *now_text = t.depth ? t.depth->question_text : t.question->title_text;
	if (key == NULL || (explicit_id && strcmp(explicit_id, t.fragment) == 0))
		return;
	struct entry want = {t.guide->slug, t.fragment, NULL, NULL};
	const struct entry *e = nmap ? bsearch(&want, map, nmap, sizeof *map, by_unit) : NULL;
	if (e == NULL || strcmp(e->key, key) == 0)
		return;
	/* Where the unit the link meant went, and what to link to instead. */
	char moved_id[48];
	const char *moved_explicit = NULL, *moved_text = NULL;
	size_t pathlen = strcspn(l->url, "#");
	char *advice;
	if (!find_key(t.guide, e->key, moved_id, &moved_explicit, &moved_text))
		advice = xstrdup("; that unit is gone");
	else if (moved_explicit != NULL)
		advice = xasprintf("; link to its explicit id '%.*s#%s'", (int)pathlen, l->url, moved_explicit);
	else {
		char *name = suggest(moved_text ? moved_text : "");
		advice = xasprintf("; that unit is now '%.*s#%s': give its heading an explicit id "
		                   "('{#%s}') and link to '%.*s#%s'",
		                   (int)pathlen, l->url, moved_id, name, (int)pathlen, l->url, name);
		free(name);
	}
	char *now = text_shorten(now_text ? now_text : ""), *was = text_shorten(e->text);
	diag_report(DIAG_LINK_MOVED, g->path, l->line, l->col, l->url, now, was, advice);
	free(now);
	free(was);
	free(advice);
}

void ident_check_links(const struct model_library *lib, const char *out_dir)
{
	char *path = xasprintf("%s/%s", out_dir, IDENT_MAP);
	size_t len;
	char *text = read_whole(path, &len);
	free(path);
	if (text == NULL)
		return; /* no successful build yet: nothing to compare with */
	struct entry *map = NULL;
	size_t nmap = 0, cap = 0;
	for (char *line = text, *next; line < text + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		next = nl ? nl + 1 : text + len;
		if (nl)
			*nl = '\0';
		if (*line == '#')
			continue;
		char *f[5];
		int nf = 0;
		for (char *p = line; nf < 5; nf++) {
			f[nf] = p;
			char *tab = nf < 4 ? strchr(p, '\t') : NULL;
			if (tab == NULL) {
				nf++;
				break;
			}
			*tab = '\0';
			p = tab + 1;
		}
		if (nf != 5)
			continue; /* a line this version did not write */
		XGROW(map, nmap, cap);
		map[nmap++] = (struct entry){f[0], f[1], f[2], f[4]};
	}
	/* one lookup per link: sorted once, searched in log time */
	if (nmap > 1)
		qsort(map, nmap, sizeof *map, by_unit);
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct model_guide *g = lib->guides[i];
		for (size_t k = 0; k < g->nlinks; k++)
			check_link(lib, g, &g->links[k], map, nmap);
	}
	free(map);
	free(text);
}
