/* outcheck.c: the output oracle shared by the fuzzer and t_hostile.sh. */
#include "outcheck.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 1 if an address uses a scheme that runs code or smuggles a document;
 * browsers skip leading blanks and control characters and ignore tabs and
 * line breaks inside the scheme, so we do too. Only a name ended by ':' is
 * a scheme (RFC 3986 section 3.1): "VBScript" alone is a relative path. */
static int unsafe_url(const char *url)
{
	char scheme[16];
	size_t k = 0;
	int colon = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p && k + 1 < sizeof scheme; p++) {
		if (*p <= ' ' && k == 0)
			continue;
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':') {
			colon = 1;
			break;
		}
		scheme[k++] = (char)tolower(*p);
	}
	scheme[k] = '\0';
	return colon && (strcmp(scheme, "javascript") == 0 || strcmp(scheme, "vbscript") == 0 ||
	                 strcmp(scheme, "data") == 0);
}

/* 1 if src names one of the site theme's scripts: assets/site.js,
 * review.js or highlight.js, or a guide's review cards review/<slug>.js
 * (a guide's own files are copied under files/, never there). */
static int theme_asset_script(const char *src)
{
	static const char *const names[] = {"assets/site.js", "assets/review.js", "assets/highlight.js"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (ends_with(src, names[i]))
			return 1;
	return 0;
}

static int theme_script(const char *src)
{
	return theme_asset_script(src) ||
	       (strncmp(src, "review/", 7) == 0 && strchr(src + 7, '/') == NULL && ends_with(src, ".js"));
}

/* svg: the EPUB cover, whose own <style> is the theme's (the title only
 * reaches it as text). */
static const char *check_node(xmlNodePtr node, int svg)
{
	static const char *const embedding[] = {"iframe", "object", "embed", "frame", "frameset",
	                                        "applet", "base", "form", "style"};
	for (xmlNodePtr n = node; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		for (size_t i = 0; i < sizeof embedding / sizeof embedding[0]; i++)
			if (strcasecmp(name, embedding[i]) == 0 && !(svg && strcmp(name, "style") == 0))
				return "an embedding element (iframe, object, embed, form, base, style)";
		if (strcasecmp(name, "script") == 0) {
			/* The theme's: its files, or an inline script in <head>, which
			 * guide text reaches only as escaped title and description. */
			xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
			int in_head = n->parent != NULL && n->parent->name != NULL &&
			              strcasecmp((const char *)n->parent->name, "head") == 0;
			int theirs = src == NULL ? !in_head
			                         : n->children != NULL || !theme_script((const char *)src);
			xmlFree(src);
			if (theirs)
				return "a script that is not the theme's";
		}
		if (strcasecmp(name, "meta") == 0) {
			xmlChar *equiv = xmlGetProp(n, (const xmlChar *)"http-equiv");
			int refresh = equiv != NULL && strcasecmp((const char *)equiv, "refresh") == 0;
			xmlFree(equiv);
			if (refresh)
				return "a meta refresh";
		}
		for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
			const char *an = (const char *)a->name;
			if (strncasecmp(an, "on", 2) == 0)
				return "an event-handler attribute";
			if (strcasecmp(an, "href") == 0 || strcasecmp(an, "src") == 0 ||
			    strcasecmp(an, "action") == 0 || strcasecmp(an, "formaction") == 0 ||
			    strcasecmp(an, "srcset") == 0 || strcasecmp(an, "poster") == 0 ||
			    strcasecmp(an, "data") == 0) {
				xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
				int bad = v != NULL && unsafe_url((const char *)v);
				xmlFree(v);
				if (bad)
					return "a javascript:, vbscript: or data: address";
			}
		}
		const char *inner = check_node(n->children, svg);
		if (inner != NULL)
			return inner;
	}
	return NULL;
}

/* The zip in data (len bytes), opened read-only, or NULL. */
static zip_t *open_zip(const char *data, size_t len)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
	if (z == NULL && src != NULL)
		zip_source_free(src);
	zip_error_fini(&err);
	return z;
}

/* Opens an EPUB from memory and checks every XML entry in it. */
static const char *check_epub(const char *data, size_t len)
{
	zip_t *z = open_zip(data, len);
	if (z == NULL)
		return "an EPUB that is not a readable zip";
	const char *problem = NULL;
	zip_int64_t n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n && problem == NULL; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		zip_stat_t st;
		char *buf = NULL;
		zip_int64_t got = -1;
		zip_file_t *f = NULL;
		if (name != NULL && zip_stat_index(z, (zip_uint64_t)i, 0, &st) == 0 &&
		    (f = zip_fopen_index(z, (zip_uint64_t)i, 0)) != NULL) {
			buf = malloc(st.size + 1);
			got = zip_fread(f, buf, st.size);
			zip_fclose(f);
		}
		if (got < 0 || (zip_uint64_t)got != st.size)
			problem = "a zip entry that cannot be read whole";
		else if (strcmp(name, "mimetype") != 0)
			problem = outcheck_file(name, buf, (size_t)got);
		free(buf);
	}
	zip_close(z);
	return problem;
}

/* Occurrences of needle in s; a needle that is a control word ("\\def")
 * counts only where no letter follows (so not in "\\default"). */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	int word = needle[0] == '\\';
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		if (!word || !isalpha((unsigned char)p[len]))
			n++;
	return n;
}

/* A .tex for LuaLaTeX opens (after the stamp line) with cards.c's Lua
 * fence: depthbook's own fixed code, which takes file and command access
 * away from everything after it. The comparison starts where it ends. */
static const char *after_fence(const char *tex)
{
	const char *p = strstr(tex, "% depthbook-engine lualatex\n\\directlua{\n");
	if (p == NULL || p - tex > 256)
		return tex;
	const char *end = strstr(p, "\n}\n");
	return end != NULL ? end + 3 : tex;
}

const char *outcheck_tex(const char *template, const char *tex)
{
	tex = after_fence(tex);
	static const char *const primitives[] = {
		"\\input", "\\include", "\\openin", "\\openout", "\\write", "\\read", "\\catcode",
		"\\def", "\\edef", "\\gdef", "\\xdef", "\\let", "\\csname", "\\immediate",
		"\\special", "\\newcommand", "\\renewcommand", "\\usepackage", "\\makeatletter",
		"\\directlua", "\\ShellEscape", "^^",
	};
	for (size_t i = 0; i < sizeof primitives / sizeof primitives[0]; i++)
		if (count(tex, primitives[i]) > count(template, primitives[i]))
			return "a TeX primitive (input/output, definition or catcode) beyond the template's";
	return NULL;
}

/* One note field or text-export field: an HTML fragment. */
static const char *check_fragment(const char *html, size_t len)
{
	size_t n = len + 12;
	char *wrapped = malloc(n);
	memcpy(wrapped, "<div>", 5);
	memcpy(wrapped + 5, html, len);
	memcpy(wrapped + 5 + len, "</div>", 6);
	htmlDocPtr doc = htmlReadMemory(wrapped, (int)(n - 1), "field.html", "UTF-8",
	                                HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	free(wrapped);
	if (doc == NULL)
		return "a note field that libxml2 cannot parse";
	const char *problem = check_node(xmlDocGetRootElement(doc), 0);
	xmlFreeDoc(doc);
	return problem;
}

/* anki/<slug>.txt: "#key:value" lines, then one note a record, its
 * fields separated by tabs; a field that holds a quote, tab or line break
 * is quoted, '"' doubled inside (Anki's text import format). */
static const char *check_anki_text(const char *data, size_t len)
{
	const char *problem = NULL;
	const char *p = data, *end = data + len;
	char *field = malloc(len + 1);
	int at_record = 1;
	while (p < end && problem == NULL) {
		if (at_record && *p == '#') {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
			continue;
		}
		size_t n = 0;
		if (*p == '"') {
			for (p++; p < end; p++) {
				if (*p == '"' && p + 1 < end && p[1] == '"')
					field[n++] = *p++;
				else if (*p == '"')
					break;
				else
					field[n++] = *p;
			}
			if (p >= end) {
				problem = "an Anki export with an unclosed quoted field";
				break;
			}
			p++;
		} else {
			while (p < end && *p != '\t' && *p != '\n')
				field[n++] = *p++;
		}
		problem = check_fragment(field, n);
		at_record = p >= end || *p == '\n';
		if (p < end && *p != '\t' && *p != '\n')
			problem = problem ? problem : "an Anki export with text after a quoted field";
		p++;
	}
	free(field);
	return problem;
}

/* An Anki package: every field of every note of its collection. */
static const char *check_apkg(const char *data, size_t len)
{
	zip_t *z = open_zip(data, len);
	if (z == NULL)
		return "an Anki package that is not a readable zip";
	const char *problem = NULL;
	zip_stat_t st;
	zip_file_t *f = NULL;
	unsigned char *db = NULL;
	zip_int64_t got = -1;
	if (zip_stat(z, "collection.anki2", 0, &st) == 0 && (f = zip_fopen(z, "collection.anki2", 0)) != NULL) {
		db = sqlite3_malloc64(st.size);
		got = db ? zip_fread(f, db, st.size) : -1;
		zip_fclose(f);
	}
	zip_close(z);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		sqlite3_free(db);
		return "an Anki package without a readable collection.anki2";
	}
	sqlite3 *con = NULL;
	sqlite3_stmt *q = NULL;
	if (sqlite3_open(":memory:", &con) != SQLITE_OK ||
	    sqlite3_deserialize(con, "main", db, got, got, SQLITE_DESERIALIZE_FREEONCLOSE) != SQLITE_OK ||
	    sqlite3_prepare_v2(con, "SELECT flds FROM notes", -1, &q, NULL) != SQLITE_OK)
		problem = "an Anki collection that sqlite cannot read";
	int rc;
	while (problem == NULL && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *flds = (const char *)sqlite3_column_text(q, 0);
		size_t n = (size_t)sqlite3_column_bytes(q, 0);
		for (const char *p = flds, *end = flds + n; p <= end && problem == NULL;) {
			const char *sep = memchr(p, '\x1f', (size_t)(end - p));
			const char *fe = sep ? sep : end;
			problem = check_fragment(p, (size_t)(fe - p));
			p = fe + 1;
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(con);
	return problem;
}

/* 1 for the files no rule here reads: a guide's own files under files/,
 * pictures, the stylesheet and favicon, the cards' PDF and LaTeX (the
 * latter has outcheck_tex), the deck's media and the build's list. */
static int unchecked(const char *rel)
{
	static const char *const kinds[] = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".css", ".pdf", ".tex",
	                                    ".depthbook-outputs", ".depthbook-ids", "mimetype"};
	if (strncmp(rel, "files/", 6) == 0 || strstr(rel, "/files/") != NULL)
		return 1;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (ends_with(rel, kinds[i]))
			return 1;
	return 0;
}

const char *outcheck_file(const char *rel, const char *data, size_t len)
{
	if (ends_with(rel, ".epub"))
		return check_epub(data, len);
	if (ends_with(rel, ".apkg"))
		return check_apkg(data, len);
	if (ends_with(rel, ".txt") && (strncmp(rel, "anki/", 5) == 0 || strstr(rel, "/anki/") != NULL))
		return check_anki_text(data, len);
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr doc;
	if (ends_with(rel, ".xhtml") || ends_with(rel, ".xml") || ends_with(rel, ".opf") ||
	    ends_with(rel, ".ncx") || ends_with(rel, ".svg")) {
		doc = xmlReadMemory(data, (int)len, rel, "UTF-8", opts);
		if (doc == NULL)
			return "not well-formed XML";
	} else if (ends_with(rel, ".html")) {
		doc = htmlReadMemory(data, (int)len, rel, "UTF-8",
		                     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
		if (doc == NULL)
			return "HTML that libxml2 cannot parse";
	} else if (ends_with(rel, ".js")) {
		/* the theme's own scripts are copied as they are: code, not
		 * guide text (its '</div>' strings close nothing in a file) */
		if (theme_asset_script(rel))
			return NULL;
		/* generated data scripts: nothing may close the script element */
		for (size_t i = 0; i + 1 < len; i++)
			if (data[i] == '<' && data[i + 1] == '/')
				return "a '</' inside a generated script";
		return NULL;
	} else if (unchecked(rel)) {
		return NULL;
	} else {
		return "a file of a kind the oracle does not know";
	}
	const char *problem = check_node(xmlDocGetRootElement(doc), ends_with(rel, ".svg"));
	xmlFreeDoc(doc);
	return problem;
}
