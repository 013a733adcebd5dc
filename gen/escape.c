/* escape.c: HTML, LaTeX, JavaScript and URL escaping. */
#include "escape.h"

#include <string.h>

/* Copies the run of s up to the first byte in stop as it is; returns
 * where the run ends. */
static const char *put_run(struct buf *b, const char *s, const char *stop)
{
	size_t n = strcspn(s, stop);
	if (n > 0)
		buf_put(b, s, n);
	return s + n;
}

void esc_html(struct buf *b, const char *s)
{
	for (; *(s = put_run(b, s, "&<>\"'")); s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

void esc_latex(struct buf *b, const char *s)
{
	for (; *(s = put_run(b, s, "#$%&_{}~^\\<>|")); s++) {
		switch (*s) {
		case '#': case '$': case '%': case '&': case '_': case '{': case '}':
			buf_putc(b, '\\');
			buf_putc(b, *s);
			break;
		case '~': buf_puts(b, "\\textasciitilde{}"); break;
		case '^': buf_puts(b, "\\textasciicircum{}"); break;
		case '\\': buf_puts(b, "\\textbackslash{}"); break;
		case '<': buf_puts(b, "\\textless{}"); break;
		case '>': buf_puts(b, "\\textgreater{}"); break;
		case '|': buf_puts(b, "\\textbar{}"); break;
		default: buf_putc(b, *s);
		}
	}
}

void esc_js(struct buf *b, const char *s)
{
	static const char stop[] = "\"\\<>&\xE2"
	                           "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D\x0E\x0F"
	                           "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F";
	for (const unsigned char *p = (const unsigned char *)put_run(b, s, stop); *p;
	     p = (const unsigned char *)put_run(b, (const char *)p + 1, stop)) {
		if (*p == '"' || *p == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)*p);
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			buf_printf(b, "\\u%04x", *p);
		} else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			buf_puts(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else if (p[0] == 0xE2 && p[1] >= 0x80 && p[2] >= 0x80) {
			buf_put(b, (const char *)p, 3); /* another character from U+2000 on */
			p += 2;
		} else {
			buf_putc(b, (char)*p);
		}
	}
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *unesc_url(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		/* "%00" stays as written: a NUL would cut the path short */
		if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0 &&
		    (s[i + 1] != '0' || s[i + 2] != '0')) {
			out[k++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
			i += 2;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	return out;
}

void esc_url(struct buf *b, const char *s)
{
	/* RFC 3986's unreserved characters and the path separator. '#', '?'
	 * and '%' are escaped too: a file or slug may hold them, and left
	 * bare they would start a fragment, a query or an escape. */
	static const char safe[] = "-._~/";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    (*p != 0 && strchr(safe, *p) != NULL))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

char *esc_url_path(const char *s)
{
	struct buf b = {0};
	esc_url(&b, s);
	return buf_take(&b);
}
