/* md.c: cmark-gfm setup, parsing, and rendering with link and math hooks. */
#define _POSIX_C_SOURCE 200809L
#include "md.h"
#include "math.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const extension_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist",
};

/* What every render is given. Smart punctuation is the parser's alone (it
 * makes the curly quotes and dashes in the tree), so no render depends on
 * how its tree was parsed: builds with and without --smart render the
 * same trees the same way (checked on tests/guides, site, EPUB, deck and
 * cards). */
#define RENDER_OPTIONS CMARK_OPT_DEFAULT

int md_version(void)
{
	return cmark_version();
}

/* The core extensions plus ours, attached in a fixed order. */
static cmark_llist *extensions(void)
{
	static cmark_llist *list;
	if (list != NULL)
		return list;
	cmark_gfm_core_extensions_ensure_registered();
	cmark_mem *mem = cmark_get_default_mem_allocator();
	for (size_t i = 0; i < sizeof extension_names / sizeof extension_names[0]; i++)
		list = cmark_llist_append(mem, list, cmark_find_syntax_extension(extension_names[i]));
	list = cmark_llist_append(mem, list, math_extension());
	return list;
}

/* The trees live in cmark-gfm's own arena: one process parses its guides
 * one after another (parallel.h spreads guides over processes, not
 * threads), and freeing a large guide's nodes one by one cost a sixth of
 * a check. */
cmark_mem *md_mem(void)
{
	return cmark_get_arena_mem_allocator();
}

cmark_node *md_node_new(cmark_node_type type)
{
	return cmark_node_new_with_mem(type, md_mem());
}

void md_release(void)
{
	cmark_arena_reset();
}

cmark_node *md_parse(const char *text, size_t len, int smart)
{
	/* CMARK_OPT_UNSAFE stays off: raw HTML and unsafe link schemes are
	 * replaced at render time (cmark-gfm's safe default). */
	int options = CMARK_OPT_SOURCEPOS | (smart ? CMARK_OPT_SMART : 0);
	cmark_parser *parser = cmark_parser_new_with_mem(options, md_mem());
	for (cmark_llist *e = extensions(); e != NULL; e = e->next)
		cmark_parser_attach_syntax_extension(parser, e->data);
	cmark_parser_feed(parser, text, len);
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

const char *md_unsafe_scheme(const char *url)
{
	static const char *const schemes[] = {"javascript", "vbscript", "data", "file"};
	while (*url == ' ' || *url == '\t')
		url++;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t n = strlen(schemes[i]);
		if (strncasecmp(url, schemes[i], n) == 0 && url[n] == ':')
			return schemes[i];
	}
	return NULL;
}

/* One change made to the tree for a render, undone after it. */
struct change {
	cmark_node *node;
	char *saved;       /* the link's URL or the code's text, or NULL for math */
	char *info;        /* the code block's info string, or an image's title */
	cmark_node_type type;
};

struct changes {
	struct change *items;
	size_t n, cap;
	char **maths;      /* markup of math span i, for placeholder i */
	size_t nmath;
};

static void remember(struct changes *c, cmark_node *node, char *saved, char *info,
                     cmark_node_type type)
{
	XGROW(c->items, c->n, c->cap);
	c->items[c->n++] = (struct change){node, saved, info, type};
}

/* A box before a task list item's text, for LaTeX (cmark-gfm's LaTeX
 * renderer drops the check state). The node is removed by restore(). */
static void task_box(cmark_node *item, struct changes *c)
{
	cmark_node *para = cmark_node_first_child(item);
	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return;
	/* from the arena, like the tree: cmark links only nodes of one allocator */
	cmark_node *box = md_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(box, cmark_gfm_extensions_get_tasklist_item_checked(item)
	                                 ? "$\\boxtimes$\\ " : "$\\square$\\ ");
	cmark_node_set_on_exit(box, "");
	cmark_node_prepend_child(para, box);
	remember(c, box, NULL, NULL, CMARK_NODE_NONE);
}

/* Rewrites links, turns math spans (and, with a code hook, code blocks)
 * into custom nodes carrying the hook's markup, so that cmark-gfm's own
 * renderers print them; restore() undoes every change. */
static void prepare(cmark_node *root, const struct md_hooks *hooks, struct changes *c, int latex)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (latex && type == CMARK_NODE_ITEM &&
		    strcmp(cmark_node_get_type_string(node), "tasklist") == 0)
			task_box(node, c);
		if (latex && type == CMARK_NODE_IMAGE) {
			/* cmark-gfm's LaTeX renderer writes \includegraphics and drops
			 * the alt text; a card prints the alt text, in italics */
			const char *url = cmark_node_get_url(node), *title = cmark_node_get_title(node);
			remember(c, node, xstrdup(url ? url : ""), xstrdup(title ? title : ""), type);
			cmark_node_set_type(node, CMARK_NODE_EMPH);
		} else if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) &&
		    md_unsafe_scheme(cmark_node_get_url(node) ? cmark_node_get_url(node) : "")) {
			/* check rejects these; should a renderer meet one anyway, it
			 * leads nowhere (cmark-gfm alone would keep data:image/png) */
			remember(c, node, xstrdup(cmark_node_get_url(node)), NULL, type);
			cmark_node_set_url(node, "");
		} else if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) && hooks && hooks->link) {
			const char *url = cmark_node_get_url(node);
			char *to = hooks->link(url ? url : "", type == CMARK_NODE_IMAGE, hooks->ctx);
			if (to != NULL) {
				remember(c, node, xstrdup(url ? url : ""), NULL, type);
				cmark_node_set_url(node, to);
				free(to);
			}
		} else if (math_is_span(node)) {
			/* The span's literal becomes a placeholder that render() swaps
			 * for the hook's markup; load.c guarantees that \x01 and \x02
			 * never occur in a guide. */
			char *markup = hooks && hooks->math ? hooks->math(math_tex(node), hooks->ctx)
			                                    : xstrdup(math_tex(node));
			char token[32];
			snprintf(token, sizeof token, "\x01%zu\x02", c->nmath);
			c->maths = xrealloc(c->maths, (c->nmath + 1) * sizeof *c->maths);
			c->maths[c->nmath++] = markup;
			remember(c, node, NULL, NULL, type);
			cmark_node_set_literal(node, token);
		} else if (type == CMARK_NODE_CODE_BLOCK && hooks && hooks->code) {
			/* set_type frees the code's strings: keep copies to restore */
			const char *info = cmark_node_get_fence_info(node);
			const char *text = cmark_node_get_literal(node);
			char *saved = xstrdup(text ? text : ""), *saved_info = xstrdup(info ? info : "");
			char *markup = hooks->code(saved_info, saved, hooks->ctx);
			remember(c, node, saved, saved_info, type);
			cmark_node_set_type(node, CMARK_NODE_CUSTOM_BLOCK);
			cmark_node_set_on_enter(node, markup);
			cmark_node_set_on_exit(node, "");
			free(markup);
		}
	}
	cmark_iter_free(it);
}

static void restore(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct change *ch = &c->items[i];
		if (ch->type == CMARK_NODE_NONE) {
			cmark_node_free(ch->node); /* unlinks it too */
		} else if (ch->type == CMARK_NODE_IMAGE && ch->info != NULL) {
			cmark_node_set_type(ch->node, CMARK_NODE_IMAGE);
			cmark_node_set_url(ch->node, ch->saved);
			cmark_node_set_title(ch->node, ch->info);
			free(ch->saved);
			free(ch->info);
		} else if (ch->type == CMARK_NODE_CODE_BLOCK) {
			cmark_node_set_type(ch->node, CMARK_NODE_CODE_BLOCK);
			cmark_node_set_literal(ch->node, ch->saved);
			cmark_node_set_fence_info(ch->node, ch->info);
			free(ch->saved);
			free(ch->info);
		} else if (ch->saved != NULL) {
			cmark_node_set_url(ch->node, ch->saved);
			free(ch->saved);
		} else if (math_is_span(ch->node)) {
			cmark_node_set_literal(ch->node, math_tex(ch->node));
		}
	}
	for (size_t i = 0; i < c->nmath; i++)
		free(c->maths[i]);
	free(c->maths);
	free(c->items);
}

/* Render results are returned to callers who free() them: allocate them
 * on the heap, not in the arena the tree lives in. */
static cmark_mem *heap(void)
{
	return cmark_get_default_mem_allocator();
}

enum format { HTML, LATEX, TEXT };

/* Replaces every math placeholder in out, with the code wrapper the
 * renderer put around it, by the span's markup. Returns a new string and
 * frees out. */
static char *put_maths(char *out, const struct changes *c, enum format format)
{
	if (c->nmath == 0)
		return out;
	static const char *const open[] = {"<code>", "\\texttt{", ""};
	static const char *const close[] = {"</code>", "}", ""};
	size_t on = strlen(open[format]), cn = strlen(close[format]);
	struct buf b = {0};
	const char *p = out;
	const char *token;
	while ((token = strchr(p, '\x01')) != NULL) {
		char *end;
		unsigned long i = strtoul(token + 1, &end, 10);
		if (*end != '\x02' || i >= c->nmath) {
			buf_put(&b, p, (size_t)(token + 1 - p));
			p = token + 1;
			continue;
		}
		const char *from = token, *to = end + 1;
		if (on > 0 && (size_t)(token - p) >= on && strncmp(token - on, open[format], on) == 0 &&
		    strncmp(to, close[format], cn) == 0) {
			from -= on;
			to += cn;
		}
		buf_put(&b, p, (size_t)(from - p));
		buf_puts(&b, c->maths[i]);
		p = to;
	}
	buf_puts(&b, p);
	free(out);
	return buf_take(&b);
}

static char *render_one(cmark_node *node, enum format format)
{
	switch (format) {
	case HTML:
		return cmark_render_html_with_mem(node, RENDER_OPTIONS, extensions(), heap());
	case LATEX:
		return cmark_render_latex_with_mem(node, RENDER_OPTIONS, 0, heap());
	case TEXT:
		return cmark_render_plaintext_with_mem(node, RENDER_OPTIONS, 0, heap());
	}
	return xstrdup("");
}

static char *render(cmark_node *node, int inline_only, const struct md_hooks *hooks,
                    enum format format)
{
	struct changes c = {0};
	prepare(node, hooks, &c, format == LATEX);
	char *out;
	if (inline_only) {
		struct buf b = {0};
		for (cmark_node *child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
			char *part = render_one(child, format);
			buf_puts(&b, part);
			free(part);
		}
		out = buf_take(&b);
	} else {
		out = render_one(node, format);
	}
	out = put_maths(out, &c, format);
	restore(&c);
	/* cmark allocates with the default allocator (malloc), so free() works */
	return out;
}

char *md_html(cmark_node *node, int inline_only, const struct md_hooks *hooks)
{
	return render(node, inline_only, hooks, HTML);
}

char *md_latex(cmark_node *node, int inline_only, const struct md_hooks *hooks)
{
	return render(node, inline_only, hooks, LATEX);
}

/* Plain text by a walk of the tree: literals as they are, breaks and block
 * ends as one space, math as its TeX. Cheaper than cmark's plaintext
 * renderer, which is set up anew for every call. */
char *md_text(cmark_node *node)
{
	struct buf b = {0};
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_EXIT) {
			if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && b.len > 0 && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
			continue;
		}
		if (math_is_span(n)) {
			buf_puts(&b, math_tex(n));
		} else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK) {
			buf_puts(&b, cmark_node_get_literal(n));
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			buf_putc(&b, ' ');
		}
	}
	cmark_iter_free(it);
	while (b.len > 0 && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\n'))
		b.data[--b.len] = '\0';
	return buf_take(&b);
}
