/* cards_text.c: what keeps a card's text inside the card, and which TeX
 * engine can print it (cards_text.h). */
#define _POSIX_C_SOURCE 200809L
#include "cards_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned cards_text_utf8(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	int n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
	unsigned cp = u[0] & (0x7F >> n);
	for (int i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) { /* not reached on valid input */
			*len = i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	*len = n;
	return cp;
}

/* 1 for the scripts set without spaces between words (Han, kana, CJK
 * punctuation and full-width forms), where a line may break between any
 * two characters. Korean puts spaces between words and breaks there. */
static int is_cjk(unsigned c)
{
	return (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3000 && c <= 0x312F) || (c >= 0x3190 && c <= 0x33FF) ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Kinsoku (JIS X 4051): no line starts with a closing mark or a small
 * kana, and none ends with an opening mark. */
static int no_break_before(unsigned c)
{
	static const unsigned list[] = {
		0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FB, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0xFF09, 0x3015,
		0xFF3D, 0xFF5D, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3017, 0x3019, 0x30FC, 0x309D,
		0x309E, 0x30FD, 0x30FE, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
		0x3087, 0x308E, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7,
		0x30EE, 0x30F5, 0x30F6, 0x301C, 0x2026, 0x2025, 0x203C, 0x2047, 0x2048, 0x2049,
	};
	if (c < 0x80)
		return strchr(".,;:!?)]}'%", (int)c) != NULL && c != 0;
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
		if (list[i] == c)
			return 1;
	return 0;
}

static int no_break_after(unsigned c)
{
	static const unsigned list[] = {0xFF08, 0x3014, 0xFF3B, 0xFF5B, 0x3008, 0x300A,
	                                0x300C, 0x300E, 0x3010, 0x3016, 0x3018};
	if (c < 0x80)
		return strchr("([{`", (int)c) != NULL && c != 0;
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
		if (list[i] == c)
			return 1;
	return 0;
}

/* One piece of cmark-gfm's LaTeX: a printed character (a UTF-8 character
 * or an escape such as \_ or \textbackslash{}), a space, or anything else
 * (a command, a brace, math), which is copied and ends a run. */
enum unit_kind { U_CHAR, U_SPACE, U_OTHER };

struct unit {
	const char *s;
	size_t n;
	enum unit_kind kind;
	unsigned cp;      /* the character, or a stand-in for an escape */
	int punct;        /* a break after it reads well */
};

/* Length of the brace group at s ("{…}", nested), or 0 if s is no group. */
static size_t group_len(const char *s)
{
	if (*s != '{')
		return 0;
	int depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return (size_t)(p + 1 - s);
	}
	return strlen(s);
}

/* How many brace groups after a command are copied untouched: its
 * arguments that are not text (an environment's name, a destination, a
 * size, a file). */
static int verbatim_args(const char *name, size_t n)
{
	static const struct { const char *name; int args; } table[] = {
		{"begin", 9}, {"end", 1}, {"href", 1}, {"rule", 2}, {"includegraphics", 1}, {"dbimage", 1},
		{"dbtable", 1}, {"dbtablerow", 1}, {"hspace", 1}, {"vspace", 1},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strlen(table[i].name) == n && memcmp(table[i].name, name, n) == 0)
			return table[i].args;
	return 0;
}

/* Reads the unit at s into u. */
static void next_unit(const char *s, struct unit *u)
{
	u->s = s;
	u->kind = U_OTHER;
	u->cp = 0;
	u->punct = 0;
	if (*s == '$') {
		/* math, from math.c: copied whole */
		const char *p = s + 1;
		while (*p && *p != '$')
			p += (*p == '\\' && p[1]) ? 2 : 1;
		u->n = (size_t)(p - s) + (*p == '$');
		return;
	}
	if (*s == '\\') {
		const char *p = s + 1;
		if (isalpha((unsigned char)*p)) {
			while (isalpha((unsigned char)*p))
				p++;
			size_t n = (size_t)(p - s - 1);
			if (n > 4 && strncmp(s + 1, "text", 4) == 0 && p[0] == '{' && p[1] == '}') {
				/* \textbackslash{}, \textless{} …: one printed character */
				u->n = (size_t)(p + 2 - s);
				u->kind = U_CHAR;
				u->cp = '\\';
				u->punct = 1;
				return;
			}
			int args = verbatim_args(s + 1, n);
			if (*p == '[' && args > 0) {
				while (*p && *p != ']')
					p++;
				p += *p == ']';
			}
			for (int i = 0; i < args && *p == '{'; i++)
				p += group_len(p);
			if (args == 0 && *p == ' ')
				p++; /* the space a control word ends with */
			u->n = (size_t)(p - s);
			return;
		}
		if (*p == '\\' || *p == '\0') {
			u->n = *p ? 2 : 1;
			return;
		}
		if (*p == ' ') {
			u->n = 2;
			u->kind = U_SPACE;
			return;
		}
		/* \_ \& \# \% \{ \} \$, and \^{} \~{} */
		u->n = (p[0] == '^' || p[0] == '~') && p[1] == '{' && p[2] == '}' ? 4 : 2;
		u->kind = U_CHAR;
		u->cp = (unsigned char)*p;
		u->punct = 1;
		return;
	}
	if (*s == '{' && (s[1] == '[' || s[1] == ']') && s[2] == '}') {
		u->n = 3; /* cmark-gfm writes [ and ] as {[} and {]} */
		u->kind = U_CHAR;
		u->cp = (unsigned char)s[1];
		u->punct = 1;
		return;
	}
	if (*s == '{' || *s == '}') {
		u->n = 1;
		return;
	}
	if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '~') {
		u->n = 1;
		u->kind = U_SPACE;
		return;
	}
	int len;
	u->cp = cards_text_utf8(s, &len);
	u->n = (size_t)len;
	u->kind = U_CHAR;
	u->punct = u->cp < 0x80 && ispunct((int)u->cp);
}

/* Appends the run units[0…n) with its break points. */
static void put_run(struct buf *b, const struct unit *units, size_t n)
{
	int long_run = n > CARDS_LONG_RUN;
	size_t same = 1; /* how many of units[i]'s character end at i */
	for (size_t i = 0; i < n; i++) {
		buf_put(b, units[i].s, units[i].n);
		if (i + 1 == n)
			break;
		const struct unit *a = &units[i], *z = &units[i + 1];
		int ligature = a->cp == z->cp && a->cp < 128 && strchr("-`'<>,/", (int)a->cp) != NULL;
		same = i > 0 && units[i - 1].cp == a->cp ? same + 1 : 1;
		if (is_cjk(a->cp) || is_cjk(z->cp)) {
			if (!no_break_after(a->cp) && !no_break_before(z->cp))
				buf_puts(b, "\\dbcjk{}");
		} else if (!long_run || (ligature && same % 3 != 0)) {
			/* "--", "---", "``", "''", "<<", ",,": TeX ligatures, kept
			 * whole, and "//" of a URL; a longer run of one of them breaks
			 * after each third */
		} else if (a->punct) {
			buf_puts(b, "\\dbbrk{}");
		} else if (!z->punct) {
			buf_puts(b, "\\dbbrkany{}");
		}
	}
}

/* Appends latex with break points (no table rewriting). */
static void put_breakable(struct buf *b, const char *latex)
{
	struct unit *run = NULL;
	size_t n = 0, cap = 0;
	const char *p = latex;
	while (*p) {
		struct unit u;
		next_unit(p, &u);
		p += u.n;
		if (u.kind == U_CHAR) {
			XGROW(run, n, cap);
			run[n++] = u;
			continue;
		}
		put_run(b, run, n);
		n = 0;
		buf_put(b, u.s, u.n);
	}
	put_run(b, run, n);
	free(run);
}

void cards_text_code_line(struct buf *b, const char *escaped)
{
	put_breakable(b, escaped);
}

/* Splits one row of cmark-gfm's tabular ("a & b & c \\") into its cells
 * (at the & that are not escaped and not inside braces). Returns the
 * count; cells[i] point into row, lens[i] their lengths, trimmed. */
static size_t split_cells(const char *row, size_t len, const char **cells, size_t *lens, size_t max)
{
	size_t n = 0;
	int depth = 0;
	const char *start = row;
	for (const char *p = row; p <= row + len && n < max; p++) {
		if (p < row + len && *p == '\\') {
			p++;
			continue;
		}
		if (p < row + len && *p == '{')
			depth++;
		else if (p < row + len && *p == '}')
			depth--;
		else if (p == row + len || (*p == '&' && depth == 0)) {
			const char *a = start, *z = p;
			while (a < z && isspace((unsigned char)*a))
				a++;
			while (z > a && isspace((unsigned char)z[-1]))
				z--;
			cells[n] = a;
			lens[n++] = (size_t)(z - a);
			start = p + 1;
		}
	}
	return n;
}

#define MAX_COLUMNS 256

/* Appends one table (its tabular body, between the spec line and
 * \end{tabular}) as \dbtable. Returns 0, or -1 if the body is not the
 * shape cmark-gfm writes (then nothing was appended). */
static int put_table(struct buf *b, size_t columns, const char *body, size_t len)
{
	const char *cells[MAX_COLUMNS];
	size_t lens[MAX_COLUMNS];
	const char *headers[MAX_COLUMNS];
	size_t hlens[MAX_COLUMNS];
	size_t nheaders = 0;
	struct buf grid = {0}, records = {0};
	const char *p = body, *end = body + len;
	int first = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *row_end = eol;
		while (row_end > p && row_end[-1] == ' ')
			row_end--;
		if (row_end - p < 2 || row_end[-1] != '\\' || row_end[-2] != '\\') {
			if (row_end > p) {
				buf_free(&grid);
				buf_free(&records);
				return -1;
			}
			p = eol + 1;
			continue;
		}
		size_t n = split_cells(p, (size_t)(row_end - 2 - p), cells, lens, MAX_COLUMNS);
		buf_printf(&grid, "\\dbtablerow{%zu}{", columns);
		if (!first)
			buf_puts(&records, "\\dbrecord{");
		for (size_t i = 0; i < n; i++) {
			char *cell = xstrndup(cells[i], lens[i]);
			if (i > 0)
				buf_puts(&grid, " & ");
			if (first) {
				buf_puts(&grid, "\\dbhead{");
				put_breakable(&grid, cell);
				buf_puts(&grid, "}");
				headers[nheaders] = cells[i];
				hlens[nheaders++] = lens[i];
			} else {
				put_breakable(&grid, cell);
				char *header = i < nheaders ? xstrndup(headers[i], hlens[i]) : xstrdup("");
				buf_puts(&records, "\\dbpair{");
				put_breakable(&records, header);
				buf_puts(&records, "}{");
				put_breakable(&records, cell);
				buf_puts(&records, "}");
				free(header);
			}
			free(cell);
		}
		buf_puts(&grid, first ? "}\\dbheadrule\n" : "}\n");
		if (!first)
			buf_puts(&records, "}\n");
		first = 0;
		p = eol + 1;
	}
	buf_printf(b, "\\dbtable{%zu}{%%\n%s}{%%\n%s}\n", columns, grid.data ? grid.data : "",
	           records.data ? records.data : "");
	buf_free(&grid);
	buf_free(&records);
	return 0;
}

void cards_text_breakable(struct buf *b, const char *latex)
{
	static const char open[] = "\\begin{table}\n\\begin{tabular}{";
	static const char close[] = "\\end{tabular}\n\\end{table}";
	const char *p = latex;
	const char *t;
	while ((t = strstr(p, open)) != NULL) {
		const char *spec = t + sizeof open - 1;
		size_t speclen = strcspn(spec, "}");
		const char *body = spec + speclen + (spec[speclen] == '}');
		const char *stop = strstr(body, close);
		if (stop == NULL || speclen == 0 || speclen > MAX_COLUMNS)
			break;
		char *before = xstrndup(p, (size_t)(t - p));
		put_breakable(b, before);
		free(before);
		struct buf table = {0};
		if (put_table(&table, speclen, body, (size_t)(stop - body)) == 0) {
			buf_puts(b, table.data);
		} else {
			char *whole = xstrndup(t, (size_t)(stop + sizeof close - 1 - t));
			put_breakable(b, whole);
			free(whole);
		}
		buf_free(&table);
		p = stop + sizeof close - 1;
	}
	put_breakable(b, p);
}

/* 1 for a character pdflatex prints with T1, textcomp and inputenc's
 * utf8 without the template's help. */
static int latin(unsigned c)
{
	static const unsigned punct[] = {0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D,
	                                 0x201E, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039,
	                                 0x203A, 0x20AC, 0x2122};
	if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t' || (c >= 0xA0 && c <= 0xFF))
		return 1;
	if (c >= 0x100 && c <= 0x17F)
		return c != 0x138 && c != 0x149 && c != 0x17F;
	for (size_t i = 0; i < sizeof punct / sizeof punct[0]; i++)
		if (punct[i] == c)
			return 1;
	return 0;
}

int cards_text_latin(const char *text, const char *template)
{
	/* the template's "\DeclareUnicodeCharacter{XXXX}" lines, read once */
	static const char decl[] = "\\DeclareUnicodeCharacter{";
	unsigned *declared = NULL;
	size_t ndeclared = 0, cap = 0;
	for (const char *p = strstr(template, decl); p != NULL; p = strstr(p + 1, decl)) {
		char *end;
		unsigned long v = strtoul(p + sizeof decl - 1, &end, 16);
		if (*end != '}')
			continue;
		XGROW(declared, ndeclared, cap);
		declared[ndeclared++] = (unsigned)v;
	}
	int all = 1;
	for (const char *p = text; *p && all;) {
		int len;
		unsigned c = cards_text_utf8(p, &len);
		p += len;
		if (latin(c))
			continue;
		all = 0;
		for (size_t i = 0; i < ndeclared && !all; i++)
			all = declared[i] == c;
	}
	free(declared);
	return all;
}

int cards_text_rtl(const char *text)
{
	for (const char *p = text; *p;) {
		int len;
		unsigned c = cards_text_utf8(p, &len);
		p += len;
		/* Hebrew to Arabic Extended-A; Hebrew and Arabic presentation
		 * forms; the right-to-left blocks of plane 1 */
		if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF) ||
		    (c >= 0x10800 && c <= 0x10FFF) || (c >= 0x1E800 && c <= 0x1EFFF))
			return 1;
	}
	return 0;
}

void cards_text_pdf_string(struct buf *b, const char *s)
{
	buf_puts(b, "<FEFF");
	for (const char *p = s; *p;) {
		int len;
		unsigned c = cards_text_utf8(p, &len);
		p += len;
		if (c >= 0x10000) {
			c -= 0x10000;
			buf_printf(b, "%04X%04X", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
		} else {
			buf_printf(b, "%04X", c);
		}
	}
	buf_puts(b, ">");
}
