/* template.c: "{{slot}}" substitution in theme templates. */
#define _DEFAULT_SOURCE /* realpath, PATH_MAX */
#define _POSIX_C_SOURCE 200809L
#include "template.h"
#include "diag.h"
#include "load.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A message when the theme's file at path may not be published: it leads
 * out of the theme directory (a symlink to /etc/shadow would be copied
 * into the site world-readable), or it is not a regular file. Caller
 * frees; NULL when it is fine or does not exist (read_whole says so). */
static char *theme_problem(const char *theme_dir, const char *path)
{
	char root[PATH_MAX], real[PATH_MAX];
	if (realpath(theme_dir, root) == NULL || realpath(path, real) == NULL)
		return NULL;
	size_t n = strlen(root);
	if (strncmp(real, root, n) != 0 || real[n] != '/')
		return xasprintf("this theme file leads outside the theme directory (to %s); a build "
		                 "publishes no file from outside the theme",
		                 real);
	struct stat st;
	const char *kind = stat(real, &st) == 0 ? load_not_file(st.st_mode) : NULL;
	if (kind != NULL)
		return xasprintf("this theme file is a %s, not a regular file", kind);
	return NULL;
}

char *tpl_load(const char *theme_dir, const char *rel)
{
	char *path = xasprintf("%s/%s", theme_dir, rel);
	size_t len;
	char *problem = theme_problem(theme_dir, path);
	char *text = problem ? NULL : read_whole(path, &len);
	if (problem != NULL)
		diag_report(DIAG_READ, path, 0, 0, problem);
	else if (text == NULL)
		diag_report(DIAG_READ, path, 0, 0, strerror(errno));
	free(problem);
	free(path);
	return text;
}

const char *tpl_slots(const char *name, size_t len, void *slots)
{
	for (const struct tpl_slot *s = slots; s->name != NULL; s++)
		if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
			return s->value ? s->value : "";
	return NULL;
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

/* tpl_require's lookup: marks the slots of needs the template places. */
struct placed {
	const char *const *needs;
	unsigned long mask;
};

static const char *note_slot(const char *name, size_t len, void *ctx)
{
	struct placed *p = ctx;
	const char *colon = memchr(name, ':', len);
	while (colon != NULL) { /* "{{text:Answer}}": the field after the filters */
		len -= (size_t)(colon + 1 - name);
		name = colon + 1;
		colon = memchr(name, ':', len);
	}
	for (size_t i = 0; p->needs[i] != NULL; i++)
		if (strlen(p->needs[i]) == len && strncmp(p->needs[i], name, len) == 0)
			p->mask |= 1ul << i;
	return "";
}

int tpl_require(const char *text, const char *template_name, const char *const *needs)
{
	struct placed p = {needs, 0};
	struct buf scratch = {0};
	int r = tpl_fill(&scratch, text, template_name, note_slot, &p);
	buf_free(&scratch);
	if (r != 0)
		return -1;
	for (size_t i = 0; needs[i] != NULL; i++)
		if (!(p.mask & 1ul << i)) {
			char *msg = xasprintf("this template has no {{%s}} slot: what is made from it would "
			                      "leave out the guide's text that the slot holds, so a theme must "
			                      "place it",
			                      needs[i]);
			diag_report(DIAG_READ, template_name, 0, 0, msg);
			free(msg);
			r = -1;
		}
	return r;
}
