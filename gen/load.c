/* load.c: collect guide paths, read files, check UTF-8, read front matter. */
#define _DEFAULT_SOURCE /* realpath */
#define _POSIX_C_SOURCE 200809L
#include "load.h"
#include "diag.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

static int has_md_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static void push(char ***paths, char ***roots, size_t *n, size_t *cap, char *path, char *root)
{
	size_t same = *cap; /* the two arrays grow alike */
	*paths = xgrow(*paths, &same, *n, sizeof **paths);
	*roots = xgrow(*roots, cap, *n, sizeof **roots);
	(*paths)[*n] = path;
	(*roots)[*n] = root;
	(*n)++;
}

/* 1 (after a diagnostic) if path is a symbolic link whose target lies
 * outside root; a guide may not pull in a file from elsewhere. */
static int leaves_root(const char *path, const char *root)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return 0;
	char real[PATH_MAX], top[PATH_MAX];
	if (realpath(root, top) == NULL)
		return 0;
	if (realpath(path, real) == NULL)
		return 0; /* dangling: load_file reports it */
	size_t n = strlen(top);
	if (strncmp(real, top, n) == 0 && real[n] == '/')
		return 0;
	diag_report(DIAG_GUIDE_OUTSIDE, path, 0, 0, real);
	return 1;
}

/* 1 if the file at path (by device and inode) is already among the
 * first n paths: the same guide named twice, e.g. "content content/x.md",
 * is read once, not reported as a second guide using its own slug. */
static int already_listed(char **paths, size_t n, const char *path)
{
	struct stat st, other;
	if (stat(path, &st) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (stat(paths[i], &other) == 0 && other.st_dev == st.st_dev && other.st_ino == st.st_ino)
			return 1;
	return 0;
}

size_t load_collect(char *const *args, size_t nargs, char ***paths, char ***roots)
{
	size_t n = 0, cap = 0;
	*paths = NULL;
	*roots = NULL;
	for (size_t i = 0; i < nargs; i++) {
		struct stat st;
		if (stat(args[i], &st) != 0) {
			diag_report(DIAG_READ, args[i], 0, 0, strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (!already_listed(*paths, n, args[i]))
				push(paths, roots, &n, &cap, xstrdup(args[i]), path_dir(args[i]));
			continue;
		}
		DIR *dir = opendir(args[i]);
		if (dir == NULL) {
			diag_report(DIAG_READ, args[i], 0, 0, strerror(errno));
			continue;
		}
		size_t first = n, seen = 0;
		size_t len = strlen(args[i]);
		while (len > 1 && args[i][len - 1] == '/')
			len--;
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.' || !has_md_suffix(e->d_name))
				continue;
			char *path = xasprintf("%.*s/%s", (int)len, args[i], e->d_name);
			char *root = xstrndup(args[i], len);
			seen++;
			if (leaves_root(path, root) || (nargs > 1 && already_listed(*paths, first, path))) {
				free(path);
				free(root);
				continue;
			}
			push(paths, roots, &n, &cap, path, root);
		}
		closedir(dir);
		if (n - first > 1)
			qsort(*paths + first, n - first, sizeof **paths, cmp_strings);
		if (seen == 0)
			diag_report(DIAG_READ, args[i], 0, 0, "no guide (*.md) in this directory");
	}
	return n;
}

void load_paths_free(char **paths, char **roots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(paths[i]);
		free(roots[i]);
	}
	free(paths);
	free(roots);
}

/* 1 if code point cp may not appear in an HTML or XML document: C0
 * controls other than tab, line feed and carriage return, DEL and the C1
 * controls, and the noncharacters (HTML's "control-character-in-input-
 * stream" and "noncharacter-in-input-stream"; XML 1.0's Char rule). */
static int forbidden(unsigned cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	if (cp >= 0x7F && cp <= 0x9F)
		return 1;
	return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

size_t load_utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		/* Fast path: eight printable ASCII bytes (0x20-0x7E, or tab, LF,
		 * CR) at a time is the common case; anything else goes slowly. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) != 0 ||
			    ((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL) != 0 ||
			    ((w + 0x0101010101010101ULL) & 0x8080808080808080ULL) != 0)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			if (forbidden(c))
				return i;
			i++;
			continue;
		}
		size_t need;
		unsigned min;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			min = 0x10000;
		} else {
			return i;
		}
		unsigned cp = c & (0x3F >> need);
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || forbidden(cp))
			return i;
		i += need + 1;
	}
	return len;
}

/* Decodes the well-formed UTF-8 character at s (n bytes available) into
 * *cp; returns 0 if it is not one. */
static int decode(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t need = s[0] < 0x80 ? 0 : s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC2 ? 1 : 9;
	if (need == 9 || need + 1 > n)
		return 0;
	*cp = need ? s[0] & (0x3F >> need) : s[0];
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[k] & 0x3F);
	}
	return !(*cp >= 0xD800 && *cp <= 0xDFFF) && *cp <= 0x10FFFF;
}

/* Which UTF-16 a file is, or NULL: a byte order mark, or (without one)
 * NUL bytes in every other position of its first line, as ASCII text
 * saved as UTF-16 has. One message then instead of "invalid UTF-8" and a
 * NUL for every character. */
static const char *utf16_kind(const unsigned char *s, size_t len)
{
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		return "little-endian, with a byte order mark";
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		return "big-endian, with a byte order mark";
	size_t n = len < 64 ? len & ~(size_t)1 : 64;
	if (n < 4)
		return NULL;
	int even = 0, odd = 0;
	for (size_t i = 0; i < n; i += 2) {
		even += s[i] == 0 && s[i + 1] != 0;
		odd += s[i + 1] == 0 && s[i] != 0;
	}
	if (odd == (int)(n / 2))
		return "little-endian";
	if (even == (int)(n / 2))
		return "big-endian";
	return NULL;
}

/* Reports every bad byte run, at most a few per file, with its line and
 * column (columns count bytes, as cmark-gfm's do). Returns 1 if any. */
static int check_bytes(const char *path, const char *s, size_t len)
{
	size_t pos = 0;
	int reported = 0;
	const char *utf16 = utf16_kind((const unsigned char *)s, len);
	if (utf16 != NULL) {
		diag_report(DIAG_UTF16, path, 1, 1, utf16);
		return 1;
	}
	while (pos < len && reported < 10) {
		size_t bad = pos + load_utf8_check(s + pos, len - pos);
		if (bad >= len)
			break;
		int line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (s[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		unsigned cp;
		if (s[bad] == '\0')
			diag_report(DIAG_NUL, path, line, col);
		else if (decode((const unsigned char *)s + bad, len - bad, &cp))
			diag_report(DIAG_CONTROL, path, line, col, cp);
		else
			diag_report(DIAG_UTF8, path, line, col, (unsigned char)s[bad],
			            (unsigned char)s[bad] >= 0x80 && (unsigned char)s[bad] < 0xC0
			                    ? "start a character"
			                    : "begin a valid sequence here");
		reported++;
		/* Skip to the next line: one report per line is enough. */
		while (bad < len && s[bad] != '\n')
			bad++;
		pos = bad;
	}
	return reported > 0;
}

/* Length of the line starting at s (without its newline); *next gets the
 * offset just after the newline. */
static size_t line_at(const char *s, size_t len, size_t start, size_t *next)
{
	size_t end = start;
	while (end < len && s[end] != '\n')
		end++;
	*next = end < len ? end + 1 : end;
	size_t n = end - start;
	if (n > 0 && s[start + n - 1] == '\r')
		n--;
	return n;
}

static int is_fence(const char *s, size_t n, int closing)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return (n == 3 && memcmp(s, "---", 3) == 0) || (closing && n == 3 && memcmp(s, "...", 3) == 0);
}

static char **meta_field(struct load_meta *m, const char *key)
{
	if (strcmp(key, "title") == 0)
		return &m->title;
	if (strcmp(key, "author") == 0)
		return &m->author;
	if (strcmp(key, "lang") == 0)
		return &m->lang;
	if (strcmp(key, "date") == 0)
		return &m->date;
	if (strcmp(key, "id") == 0)
		return &m->id;
	if (strcmp(key, "description") == 0)
		return &m->description;
	if (strcmp(key, "depth-numbering") == 0)
		return &m->depth_numbering;
	return NULL;
}

/* 1 if s[0..n) are all ASCII letters (alpha), digits (digit) or both. */
static int all_of(const char *s, size_t n, int alpha, int digit)
{
	for (size_t i = 0; i < n; i++) {
		int a = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z');
		int d = s[i] >= '0' && s[i] <= '9';
		if (!((alpha && a) || (digit && d)))
			return 0;
	}
	return 1;
}

/* 1 if tag is a well-formed BCP 47 language tag (RFC 5646 section 2.1:
 * language, extlang, script, region, variants, extensions, private use;
 * the "x-…" private-use form; registry contents are not checked). The
 * tag reaches lang="…" on every page and the EPUB's dc:language, where a
 * space or quote would break the markup and a wrong form fails epubcheck. */
static int bcp47(const char *tag)
{
	enum { LANGUAGE, EXTLANG, SCRIPT, REGION, VARIANT, EXTENSION, PRIVATE } at = LANGUAGE;
	int extlangs = 0, ext_subtags = -1, singleton = 0;
	const char *p = tag;
	if (*p == '\0')
		return 0;
	for (int first = 1;; first = 0) {
		size_t n = strcspn(p, "-");
		if (n == 0 || n > 8)
			return 0;
		if (at == PRIVATE) {
			if (!all_of(p, n, 1, 1))
				return 0;
		} else if (first) {
			if (n == 1 && (p[0] == 'x' || p[0] == 'X'))
				at = PRIVATE, ext_subtags = 0, singleton = 1;
			else if (n >= 2 && n != 4 && all_of(p, n, 1, 0))
				at = n <= 3 ? EXTLANG : SCRIPT;
			else
				return 0;
		} else if (n == 1 && all_of(p, n, 1, 1)) {
			if (ext_subtags == 0)
				return 0; /* a singleton needs a subtag after it */
			at = (p[0] == 'x' || p[0] == 'X') ? PRIVATE : EXTENSION;
			ext_subtags = 0;
			singleton = 1;
		} else if (at == EXTENSION) {
			if (n < 2 || !all_of(p, n, 1, 1))
				return 0;
			ext_subtags++;
		} else if (at == EXTLANG && n == 3 && all_of(p, n, 1, 0) && extlangs < 3) {
			extlangs++;
		} else if (at <= SCRIPT && n == 4 && all_of(p, n, 1, 0)) {
			at = REGION;
		} else if (at <= REGION && ((n == 2 && all_of(p, n, 1, 0)) || (n == 3 && all_of(p, n, 0, 1)))) {
			at = VARIANT;
		} else if (at <= VARIANT && ((n >= 5 && all_of(p, n, 1, 1)) ||
		                             (n == 4 && p[0] >= '0' && p[0] <= '9' && all_of(p, n, 1, 1)))) {
			at = VARIANT;
		} else {
			return 0;
		}
		if (at == PRIVATE && !singleton)
			ext_subtags++;
		singleton = 0;
		p += n;
		if (*p == '\0')
			break;
		p++;
		if (*p == '\0')
			return 0; /* a trailing '-' */
	}
	return ext_subtags != 0;
}

/* Front matter holds six short values: a few kilobytes. Past these
 * limits libyaml's time and memory grow faster than the text (2 MB of
 * nested flow collections took minutes), so they are refused first. */
#define FRONT_MATTER_MAX_BYTES 65536
#define FRONT_MATTER_MAX_NESTING 32

/* The line (relative to yaml) and column where flow collections ([ and {)
 * first nest deeper than FRONT_MATTER_MAX_NESTING, or 0. Quoted scalars
 * and comments are skipped. */
static int flow_too_deep(const char *yaml, size_t len, int *col)
{
	int depth = 0, line = 0;
	size_t bol = 0;
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		char c = yaml[i];
		if (c == '\n') {
			line++;
			bol = i + 1;
			if (quote == '#')
				quote = 0;
			continue;
		}
		if (quote) {
			if (c == quote && quote != '#' && !(quote == '"' && i > 0 && yaml[i - 1] == '\\'))
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			quote = c;
		else if (c == '#' && (i == bol || yaml[i - 1] == ' ' || yaml[i - 1] == '\t'))
			quote = '#';
		else if (c == '[' || c == '{') {
			if (++depth > FRONT_MATTER_MAX_NESTING) {
				*col = (int)(i - bol) + 1;
				return line + 1;
			}
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return 0;
}

/* A plain ~ or null is YAML's null (libyaml's loader resolves no tags,
 * so it hands these over as the text "~"): no value, not a title "~". */
static int yaml_null(const yaml_node_t *v)
{
	static const char *const nulls[] = {"~", "null", "Null", "NULL"};
	if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (strcmp((const char *)v->data.scalar.value, nulls[i]) == 0)
			return 1;
	return 0;
}

/* Reads the YAML between the fences with libyaml; every problem is a
 * front-matter diagnostic at its own line (first_line is the line of the
 * YAML's first byte). */
static void read_front_matter(struct load_file *f, const char *yaml, size_t len, int first_line)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (len > FRONT_MATTER_MAX_BYTES) {
		char *m = xasprintf("%zu bytes; front matter may hold at most %d", len, FRONT_MATTER_MAX_BYTES);
		diag_report(DIAG_FRONT_MATTER, f->path, first_line - 1, 1, m);
		free(m);
		return;
	}
	int col = 0, deep = flow_too_deep(yaml, len, &col);
	if (deep != 0) {
		char *m = xasprintf("'[' and '{' nest more than %d levels deep", FRONT_MATTER_MAX_NESTING);
		diag_report(DIAG_FRONT_MATTER, f->path, first_line + deep - 1, col, m);
		free(m);
		return;
	}
	if (!yaml_parser_initialize(&parser)) {
		diag_report(DIAG_INTERNAL, f->path, 0, 0, "cannot start the YAML parser");
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		diag_report(DIAG_FRONT_MATTER, f->path, first_line + (int)parser.problem_mark.line,
		            (int)parser.problem_mark.column + 1,
		            parser.problem ? parser.problem : "not valid YAML");
		yaml_parser_delete(&parser);
		return;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		/* An empty front matter block says nothing; that is fine. */
	} else if (root->type != YAML_MAPPING_NODE) {
		diag_report(DIAG_FRONT_MATTER, f->path, first_line + (int)root->start_mark.line,
		            (int)root->start_mark.column + 1,
		            "expected a mapping of keys (title, author, lang, date, id, description)");
	} else {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			yaml_node_t *v = yaml_document_get_node(&doc, p->value);
			int line = first_line + (int)k->start_mark.line;
			int col = (int)k->start_mark.column + 1;
			if (k->type != YAML_SCALAR_NODE) {
				diag_report(DIAG_FRONT_MATTER, f->path, line, col, "keys must be plain words");
				continue;
			}
			const char *key = (const char *)k->data.scalar.value;
			char **field = meta_field(&f->meta, key);
			if (field == NULL) {
				char *m = xasprintf("unknown key '%s' (known: title, author, lang, date, id, "
				                    "description, depth-numbering)",
				                    key);
				diag_report(DIAG_FRONT_MATTER, f->path, line, col, m);
				free(m);
				continue;
			}
			if (field == &f->meta.title)
				f->meta.title_given = 1;
			if (v->type != YAML_SCALAR_NODE || v->data.scalar.length == 0) {
				char *m = xasprintf("'%s' must be a non-empty text value", key);
				diag_report(DIAG_FRONT_MATTER, f->path, line, col, m);
				free(m);
				continue;
			}
			if (yaml_null(v)) {
				char *m = xasprintf("'%s' is '%s', which YAML reads as no value; give it a text, "
				                    "or quote it (\"%s\") to mean those characters",
				                    key, (const char *)v->data.scalar.value,
				                    (const char *)v->data.scalar.value);
				diag_report(DIAG_FRONT_MATTER, f->path, first_line + (int)v->start_mark.line,
				            (int)v->start_mark.column + 1, m);
				free(m);
				continue;
			}
			if (field == &f->meta.lang && !bcp47((const char *)v->data.scalar.value)) {
				char *m = xasprintf("lang '%s' is not a BCP 47 language tag (such as en, en-GB, "
				                    "pt-BR, zh-Hans)",
				                    (const char *)v->data.scalar.value);
				diag_report(DIAG_FRONT_MATTER, f->path, first_line + (int)v->start_mark.line,
				            (int)v->start_mark.column + 1, m);
				free(m);
				continue;
			}
			/* the model reads this one: only its two words mean anything */
			if (field == &f->meta.depth_numbering &&
			    strcmp((const char *)v->data.scalar.value, "continuous") != 0 &&
			    strcmp((const char *)v->data.scalar.value, "per-question") != 0) {
				diag_report(DIAG_FRONT_MATTER, f->path, line, col,
				            "'depth-numbering' must be 'continuous' or 'per-question'");
				continue;
			}
			if (*field != NULL) {
				char *m = xasprintf("'%s' is given twice; keep one", key);
				diag_report(DIAG_FRONT_MATTER, f->path, line, col, m);
				free(m);
				continue;
			}
			*field = xstrndup((const char *)v->data.scalar.value, v->data.scalar.length);
			if (field == &f->meta.id)
				f->meta.id_line = line, f->meta.id_col = col;
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

/* Finds front matter at the top of f->text, reads it, and blanks it out. */
static void take_front_matter(struct load_file *f, size_t skip)
{
	size_t next;
	size_t n = line_at(f->text, f->len, skip, &next);
	if (!is_fence(f->text + skip, n, 0))
		return;
	size_t start = next, pos = next;
	while (pos < f->len) {
		size_t after;
		size_t m = line_at(f->text, f->len, pos, &after);
		if (is_fence(f->text + pos, m, 1)) {
			read_front_matter(f, f->text + start, pos - start, 2);
			for (size_t i = 0; i < after; i++)
				if (f->text[i] != '\n' && f->text[i] != '\r')
					f->text[i] = ' ';
			return;
		}
		pos = after;
	}
	diag_report(DIAG_FRONT_MATTER, f->path, 1, 1,
	            "'---' opens front matter that no '---' line closes");
}

/* The most cells a table row may have (see DIAG_TABLE_SIZE): far above
 * any table a reader could take in, and where the cost per cell is
 * still flat. */
#define TABLE_MAX_CELLS 200

/* The cells of a table line: its '|' separators not escaped by '\',
 * plus one, less a leading and a trailing '|' (GFM's optional ones). */
static size_t table_cells(const char *s, size_t n)
{
	size_t cells = 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '|' && (i == 0 || s[i - 1] != '\\'))
			cells++;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	if (i < n && s[i] == '|' && cells > 1)
		cells--;
	if (n > i + 1 && s[n - 1] == '|' && s[n - 2] != '\\' && cells > 1)
		cells--;
	return cells;
}

/* 1 if the line (after blockquote markers and indentation) is a GFM table
 * delimiter row: only '|', '-', ':' and blanks, with a '-' and a '|'. */
static int is_delimiter_row(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	int dash = 0, pipe = 0;
	for (; i < n; i++) {
		if (s[i] == '-')
			dash = 1;
		else if (s[i] == '|')
			pipe = 1;
		else if (s[i] != ':' && s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return dash && pipe;
}

/* Blanks the '|' of n bytes at s, so that cmark-gfm sees no table there. */
static void unpipe(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '|')
			s[i] = ' ';
}

/* Refuses tables whose rows have more than TABLE_MAX_CELLS cells (the
 * header above a delimiter row, the delimiter row, the rows after it up
 * to a blank line) with one report per table, before cmark-gfm sees them:
 * the rest of such a table loses its '|', so the parse stays linear and
 * check goes on to report everything else. Linear in the text. */
static void check_tables(struct load_file *f)
{
	int in_table = 0, line = 1;
	size_t prev_start = 0, prev_len = 0;
	for (size_t pos = 0; pos < f->len; line++) {
		size_t next;
		size_t n = line_at(f->text, f->len, pos, &next);
		char *s = f->text + pos;
		size_t blank = 0;
		while (blank < n && (s[blank] == ' ' || s[blank] == '\t'))
			blank++;
		if (blank == n) {
			in_table = 0;
		} else if (in_table == 2) {
			unpipe(s, n);
		} else if (!in_table && is_delimiter_row(s, n)) {
			in_table = 1;
			size_t head = table_cells(f->text + prev_start, prev_len), delim = table_cells(s, n);
			if (head > TABLE_MAX_CELLS || delim > TABLE_MAX_CELLS) {
				diag_report(DIAG_TABLE_SIZE, f->path, head > TABLE_MAX_CELLS ? line - 1 : line, 1,
				            head > delim ? head : delim, TABLE_MAX_CELLS);
				unpipe(f->text + prev_start, prev_len);
				unpipe(s, n);
				in_table = 2;
			}
		} else if (in_table == 1 && table_cells(s, n) > TABLE_MAX_CELLS) {
			diag_report(DIAG_TABLE_SIZE, f->path, line, 1, table_cells(s, n), TABLE_MAX_CELLS);
			unpipe(s, n);
			in_table = 2;
		}
		prev_start = pos;
		prev_len = n;
		pos = next;
	}
}

static char *slug_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (has_md_suffix(base))
		n -= 3;
	return xstrndup(base, n);
}

struct load_file *load_file(const char *path, const char *root)
{
	/* O_NONBLOCK so that a FIFO cannot hang us; fstat decides the rest. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		diag_report(DIAG_READ, path, 0, 0, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_report(DIAG_READ, path, 0, 0, "not a regular file");
		close(fd);
		return NULL;
	}
	struct buf b = {0};
	char chunk[65536];
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			diag_report(DIAG_READ, path, 0, 0, strerror(errno));
			close(fd);
			buf_free(&b);
			return NULL;
		}
		if (got == 0)
			break;
		buf_put(&b, chunk, (size_t)got);
	}
	close(fd);
	struct load_file *f = load_memory(path, root, b.data ? b.data : "", b.len);
	if (f != NULL)
		f->mtime = (long long)st.st_mtime;
	buf_free(&b);
	return f;
}

struct load_file *load_memory(const char *path, const char *root, const char *data, size_t len)
{
	struct load_file *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->root = xstrdup(root);
	f->slug = slug_of(path);
	f->len = len;
	f->text = xstrndup(data, len);
	if (check_bytes(path, f->text, f->len)) {
		load_file_free(f);
		return NULL;
	}
	/* A UTF-8 byte order mark says nothing; blank it so columns stay the
	 * file's own (three spaces of indent change no Markdown block). */
	size_t bom = 0;
	if (f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0) {
		memset(f->text, ' ', 3);
		bom = 3;
	}
	take_front_matter(f, bom);
	check_tables(f);
	return f;
}

void load_file_free(struct load_file *f)
{
	if (f == NULL)
		return;
	free(f->path);
	free(f->root);
	free(f->slug);
	free(f->text);
	free(f->meta.title);
	free(f->meta.author);
	free(f->meta.lang);
	free(f->meta.date);
	free(f->meta.id);
	free(f->meta.description);
	free(f->meta.depth_numbering);
	free(f);
}

const char *load_not_file(unsigned mode)
{
	if (S_ISREG(mode))
		return NULL;
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISFIFO(mode))
		return "FIFO (named pipe)";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "device";
	return "special file";
}
