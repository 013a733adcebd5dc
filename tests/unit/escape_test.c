/* escape_test.c: every escaping context gen/escape.c serves (HTML text and
 * attributes, XML, URL paths, LaTeX text, JavaScript strings) and the TeX
 * math a card prints (gen/math.c's math_to_latex). Beside fixed cases, each
 * context is checked by its reader: libxml2 parses the escaped text back
 * to the input, unesc_url decodes the URL back, and no LaTeX or math
 * special survives unescaped for every byte 1..255. */
#include "../../gen/escape.h"
#include "../../gen/math.h"
#include "check.h"

#include <libxml/parser.h>
#include <stdlib.h>

static char *html(const char *s)
{
	struct buf b = {0};
	esc_html(&b, s);
	return buf_take(&b);
}

static char *latex(const char *s)
{
	struct buf b = {0};
	esc_latex(&b, s);
	return buf_take(&b);
}

static char *js(const char *s)
{
	struct buf b = {0};
	esc_js(&b, s);
	return buf_take(&b);
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The text of <e> and its attribute a (in the quotes given) after libxml2
 * parses escaped s inside them, or NULL if the document is not XML. */
static char *xml_round_trip(const char *s, char quote, int attribute)
{
	char *e = html(s);
	char *doc = attribute ? xasprintf("<e a=%c%s%c/>", quote, e, quote) : xasprintf("<e>%s</e>", e);
	free(e);
	xmlDocPtr x = xmlReadMemory(doc, (int)strlen(doc), "t.xml", "UTF-8", XML_PARSE_NONET);
	free(doc);
	if (x == NULL)
		return NULL;
	xmlNodePtr root = xmlDocGetRootElement(x);
	xmlChar *v = attribute ? xmlGetProp(root, (const xmlChar *)"a") : xmlNodeGetContent(root);
	char *got = v ? xstrdup((const char *)v) : NULL;
	xmlFree(v);
	xmlFreeDoc(x);
	return got;
}

/* 1 if LaTeX text t holds a special character that is not part of an
 * escape esc_latex writes. */
static int latex_bare_special(const char *t)
{
	for (size_t i = 0; t[i]; i++) {
		if (t[i] == '\\') {
			if (strchr("#$%&_{}", t[i + 1]) && t[i + 1] != '\0') {
				i++;
				continue;
			}
			static const char *const words[] = {"textasciitilde{}", "textasciicircum{}", "textbackslash{}",
			                                    "textless{}", "textgreater{}", "textbar{}"};
			size_t w;
			for (w = 0; w < sizeof words / sizeof words[0]; w++)
				if (strncmp(t + i + 1, words[w], strlen(words[w])) == 0)
					break;
			if (w == sizeof words / sizeof words[0])
				return 1;
			i += strlen(words[w]);
			continue;
		}
		if (strchr("#$%&_{}~^", t[i]))
			return 1;
	}
	return 0;
}

int main(void)
{
	xmlSetGenericErrorFunc(NULL, silent);
	char *s;

	/* HTML text and attributes */
	s = html("a<b>&\"'c");
	CHECK_STR("html: the five specials", s, "a&lt;b&gt;&amp;&quot;&#39;c");
	free(s);
	s = html("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80");
	CHECK_STR("html: UTF-8 passes as it is", s, "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80");
	free(s);
	s = html("");
	CHECK_STR("html: the empty string", s, "");
	free(s);
	s = html("\" onmouseover=\"alert(1)");
	CHECK("html: a quote cannot end an attribute", strchr(s, '"') == NULL);
	free(s);
	s = html("</script><script>x");
	CHECK("html: no tag survives", strchr(s, '<') == NULL && strchr(s, '>') == NULL);
	free(s);

	/* XML: libxml2 reads every printable ASCII byte and some UTF-8 back
	 * as written, as text, in a "…" attribute and in a '…' attribute */
	char all[200];
	size_t k = 0;
	for (int c = 0x20; c < 0x7F; c++)
		all[k++] = (char)c;
	strcpy(all + k, "\t\xC3\xA9\xE6\xBC\xA2\xF0\x9F\x98\x80]]>&amp;");
	char *text = xml_round_trip(all, '"', 0);
	CHECK_STR("xml: text parses back to the input", text, all);
	free(text);
	char *dq = xml_round_trip(all, '"', 1);
	/* attribute values normalise the tab to a space (XML 1.0 3.3.3) */
	char *want = xstrdup(all);
	*strchr(want, '\t') = ' ';
	CHECK_STR("xml: a \"…\" attribute parses back to the input", dq, want);
	char *sq = xml_round_trip(all, '\'', 1);
	CHECK_STR("xml: a '…' attribute parses back to the input", sq, want);
	free(dq), free(sq), free(want);

	/* URL paths */
	struct buf u = {0};
	esc_url(&u, "a b#c?d%e/f\xC3\xA9-._~Z9");
	CHECK_STR("url: '#', '?', '%', space and non-ASCII are escaped; '/' and unreserved kept", u.data,
	          "a%20b%23c%3Fd%25e/f%C3%A9-._~Z9");
	buf_free(&u);
	char bytes[256];
	for (int c = 1; c < 256; c++)
		bytes[c - 1] = (char)c;
	bytes[255] = '\0';
	char *enc = esc_url_path(bytes);
	int only_safe = 1;
	for (const char *p = enc; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%", *p))
			only_safe = 0;
	CHECK("url: every byte 1..255 comes out as unreserved, '/' or %XX", only_safe);
	char *dec = unesc_url(enc, strlen(enc));
	CHECK("url: unesc_url decodes every byte 1..255 back", strcmp(dec, bytes) == 0);
	free(enc), free(dec);
	dec = unesc_url("a%00b%2", 7);
	CHECK_STR("url: %00 and a cut-off escape stay as written", dec, "a%00b%2");
	free(dec);
	enc = esc_url_path("");
	CHECK_STR("url: the empty path", enc, "");
	free(enc);

	/* LaTeX text */
	s = latex("# $ % & _ { } ~ ^ \\ < > |");
	CHECK_STR("latex: every special prints as itself", s,
	          "\\# \\$ \\% \\& \\_ \\{ \\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} "
	          "\\textless{} \\textgreater{} \\textbar{}");
	free(s);
	s = latex("\\input{/etc/passwd}\\write18{x}^^5c");
	CHECK("latex: no control sequence or caret survives", !latex_bare_special(s) && strstr(s, "\\input") == NULL &&
	                                                         strstr(s, "^^") == NULL);
	free(s);
	s = latex(bytes);
	CHECK("latex: no bare special for any byte 1..255", !latex_bare_special(s));
	free(s);

	/* JavaScript string literals inside <script> */
	s = js("a\"b\\c</script>\n\x01\xE2\x80\xA8\xE2\x80\xA9\xE2\x80\x94&");
	CHECK_STR("js: quotes, backslash, <, >, &, controls, U+2028/9 escaped; U+2014 kept", s,
	          "a\\\"b\\\\c\\u003c/script\\u003e\\u000a\\u0001\\u2028\\u2029\xE2\x80\x94\\u0026");
	free(s);
	s = js(bytes);
	int js_ok = strchr(s, '<') == NULL && strchr(s, '>') == NULL;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (*p == '"' && (p == s || p[-1] != '\\')))
			js_ok = 0;
	CHECK("js: no control byte, bare quote or angle bracket for any byte 1..255", js_ok);
	free(s);

	/* TeX math on the cards */
	s = math_to_latex("a_1 \\% \\# & ~ x");
	CHECK_STR("math: #, %, & escaped, ~ is \\sim", s, "$a_1 \\% \\# \\& \\sim  x$");
	free(s);
	s = math_to_latex("\\input{/etc/passwd}");
	CHECK("math: a command off the whitelist prints as text", strstr(s, "\\input") == NULL &&
	                                                            strstr(s, "\\textbackslash{}input") != NULL);
	free(s);
	s = math_to_latex("^^5cinput");
	CHECK("math: two carets never meet (^^5c would be a backslash)", strstr(s, "^^") == NULL);
	free(s);
	s = math_to_latex("{{a}");
	CHECK_STR("math: braces come out balanced", s, "${{a}}$");
	free(s);
	s = math_to_latex("a}}b");
	CHECK_STR("math: a stray closing brace is dropped", s, "$ab$");
	free(s);
	s = math_to_latex("\\alpha x\xC3\xA9");
	CHECK_STR("math: whitelisted commands kept, non-ASCII as text", s, "$\\alpha x\\text{\xC3\xA9}$");
	free(s);
	return check_failures != 0;
}
