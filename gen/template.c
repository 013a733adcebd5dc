/* template.c: "{{slot}}" substitution in theme templates. */
#define _POSIX_C_SOURCE 200809L
#include "template.h"
#include "diag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tpl_load(const char *theme_dir, const char *rel)
{
	char *path = xasprintf("%s/%s", theme_dir, rel);
	size_t len;
	char *text = read_whole(path, &len);
	if (text == NULL)
		diag_report(DIAG_READ, path, 0, 0, strerror(errno));
	free(path);
	return text;
}

int tpl_fill(struct buf *out, const char *text, const char *template_name, tpl_lookup lookup,
             void *ctx)
{
	const char *p = text;
	int line = 1;
	for (;;) {
		const char *open = strstr(p, "{{");
		if (open == NULL) {
			buf_puts(out, p);
			return 0;
		}
		for (const char *q = p; q < open; q++)
			line += *q == '\n';
		buf_put(out, p, (size_t)(open - p));
		if (strncmp(open, "{{{{", 4) == 0) {
			buf_puts(out, "{{");
			p = open + 4;
			continue;
		}
		const char *close = strstr(open + 2, "}}");
		const char *name = open + 2;
		while (close && (*name == ' '))
			name++;
		size_t len = close ? (size_t)(close - name) : 0;
		while (len > 0 && name[len - 1] == ' ')
			len--;
		const char *value = close ? lookup(name, len, ctx) : NULL;
		if (value == NULL) {
			char *msg = close ? xasprintf("unknown template slot '{{%.*s}}'", (int)len, name)
			                  : xstrdup("'{{' without '}}'");
			const char *bol = open;
			while (bol > text && bol[-1] != '\n')
				bol--;
			diag_report(DIAG_INTERNAL, template_name, line, (int)(open - bol) + 1, msg);
			free(msg);
			return -1;
		}
		buf_puts(out, value);
		p = close + 2;
	}
}
