/* outcheck.c: the output oracle shared by the fuzzer and t_hostile.sh. */
#include "outcheck.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
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

/* Opens an EPUB from memory and checks every XML entry in it. */
static const char *check_epub(const char *data, size_t len)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
	if (z == NULL) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&err);
		return "an EPUB that is not a readable zip";
	}
	const char *problem = NULL;
	zip_int64_t n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n && problem == NULL; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		zip_stat_t st;
		if (name == NULL || zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0)
			continue;
		zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
		if (f == NULL)
			continue;
		char *buf = malloc(st.size + 1);
		zip_int64_t got = zip_fread(f, buf, st.size);
		zip_fclose(f);
		if (got >= 0 && strcmp(name, "mimetype") != 0)
			problem = outcheck_file(name, buf, (size_t)got);
		free(buf);
	}
	zip_close(z);
	zip_error_fini(&err);
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

const char *outcheck_file(const char *rel, const char *data, size_t len)
{
	if (ends_with(rel, ".epub"))
		return check_epub(data, len);
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
	} else {
		return NULL;
	}
	const char *problem = check_node(xmlDocGetRootElement(doc), ends_with(rel, ".svg"));
	xmlFreeDoc(doc);
	return problem;
}
