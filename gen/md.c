/* md.c: cmark-gfm setup, parsing, and rendering with link and math hooks. */
#define _POSIX_C_SOURCE 200809L
#include "md.h"
#include "math.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <stdint.h>
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

static void shared_forget(void);

void md_release(void)
{
	shared_forget(); /* its nodes go now */
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

/* Render results are returned to callers who free() them: allocate them
 * on the heap, not in the arena the tree lives in. */
static cmark_mem *heap(void)
{
	return cmark_get_default_mem_allocator();
}

int md_is_leaf(cmark_node_type type)
{
	switch (type) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT:
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		return 1;
	default:
		return 0;
	}
}

/* A copy of node and everything below it, for a render that must change
 * the tree it renders (LaTeX, below): every field cmark-gfm's renderers
 * read, the table and task list extensions' own included. Iterative, as
 * a hostile guide nests deep. In the trees' arena, freed with them by
 * md_release: on the heap, cmark-gfm 0.29's table extension would leak
 * each cell's parse state (its opaque_free spares cells). */
static cmark_node *copy_tree(cmark_node *root)
{
	cmark_node *top = NULL, *parent = NULL;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT) {
			if (n != root)
				parent = cmark_node_parent(parent);
			continue;
		}
		cmark_node_type type = cmark_node_get_type(n);
		cmark_node *c = cmark_node_new_with_mem_and_ext(type, md_mem(), cmark_node_get_syntax_extension(n));
		const char *what = cmark_node_get_type_string(n);
		switch (type) {
		case CMARK_NODE_CODE_BLOCK: {
			int length, offset;
			char character;
			int fenced = cmark_node_get_fenced(n, &length, &offset, &character);
			cmark_node_set_fenced(c, fenced, length, offset, character);
			cmark_node_set_fence_info(c, cmark_node_get_fence_info(n));
		}
			/* fall through */
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			cmark_node_set_literal(c, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_HEADING:
			cmark_node_set_heading_level(c, cmark_node_get_heading_level(n));
			break;
		case CMARK_NODE_LIST:
			cmark_node_set_list_type(c, cmark_node_get_list_type(n));
			cmark_node_set_list_delim(c, cmark_node_get_list_delim(n));
			cmark_node_set_list_start(c, cmark_node_get_list_start(n));
			cmark_node_set_list_tight(c, cmark_node_get_list_tight(n));
			break;
		case CMARK_NODE_ITEM:
			if (strcmp(what, "tasklist") == 0)
				cmark_gfm_extensions_set_tasklist_item_checked(c, cmark_gfm_extensions_get_tasklist_item_checked(n));
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			cmark_node_set_url(c, cmark_node_get_url(n));
			cmark_node_set_title(c, cmark_node_get_title(n));
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
			cmark_node_set_on_enter(c, cmark_node_get_on_enter(n));
			cmark_node_set_on_exit(c, cmark_node_get_on_exit(n));
			break;
		default:
			if (strcmp(what, "table") == 0) {
				uint16_t ncols = cmark_gfm_extensions_get_table_columns(n);
				cmark_gfm_extensions_set_table_columns(c, ncols);
				cmark_gfm_extensions_set_table_alignments(c, ncols, cmark_gfm_extensions_get_table_alignments(n));
			} else if (strcmp(what, "table_header") == 0 || strcmp(what, "table_row") == 0) {
				cmark_gfm_extensions_set_table_row_is_header(c, cmark_gfm_extensions_get_table_row_is_header(n));
			}
			break;
		}
		cmark_node_set_user_data(c, cmark_node_get_user_data(n)); /* a math span's TeX */
		if (top == NULL)
			top = c;
		else
			cmark_node_append_child(parent, c);
		if (!md_is_leaf(type)) /* an exit will come */
			parent = c;
	}
	cmark_iter_free(it);
	return top;
}
enum format { HTML, LATEX, TEXT };

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

/* node rendered (its children one after another when inline_only, so
 * that a paragraph's inlines come without <p>). Caller frees. */
static char *render_node(cmark_node *node, int inline_only, enum format format)
{
	if (!inline_only)
		return render_one(node, format);
	struct buf b = {0};
	for (cmark_node *child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
		char *part = render_one(child, format);
		buf_puts(&b, part);
		free(part);
	}
	return buf_take(&b);
}

/* The markup of each math span of a LaTeX render, by placeholder. */
struct maths {
	char **markup;
	size_t n, cap;
};

/* A box before a task list item's text (cmark-gfm's LaTeX renderer drops
 * the check state). */
static void task_box(cmark_node *item)
{
	cmark_node *para = cmark_node_first_child(item);
	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return;
	/* from the arena, like the copy: cmark links only nodes of one allocator */
	cmark_node *box = md_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(box, cmark_gfm_extensions_get_tasklist_item_checked(item)
	                                 ? "$\\boxtimes$\\ " : "$\\square$\\ ");
	cmark_node_set_on_exit(box, "");
	cmark_node_prepend_child(para, box);
}

/* Rewrites a private copy (copy_tree) for cmark-gfm's LaTeX renderer:
 * links through the hook, math spans (and, with a code hook, code blocks)
 * into placeholders or custom nodes carrying the hook's markup. Unlike
 * HTML (share()), LaTeX cannot be spliced afterwards: what cmark-gfm
 * writes for a link (\url, \href or nothing) depends on its URL. */
static void prepare_latex(cmark_node *root, const struct md_hooks *hooks, struct maths *m)
{
	cmark_node **images = NULL; /* changed after the walk: they lose their children */
	size_t nimages = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (type == CMARK_NODE_ITEM && strcmp(cmark_node_get_type_string(node), "tasklist") == 0)
			task_box(node);
		if (type == CMARK_NODE_IMAGE) {
			XGROW(images, nimages, cap);
			images[nimages++] = node;
		} else if (type == CMARK_NODE_LINK && md_unsafe_scheme(cmark_node_get_url(node) ? cmark_node_get_url(node) : "")) {
			/* check rejects these; should a renderer meet one anyway, it
			 * leads nowhere */
			cmark_node_set_url(node, "");
		} else if (type == CMARK_NODE_LINK && hooks && hooks->link) {
			const char *url = cmark_node_get_url(node);
			char *to = hooks->link(url ? url : "", 0, hooks->ctx);
			if (to != NULL)
				cmark_node_set_url(node, to);
			free(to);
		} else if (math_is_span(node)) {
			/* The span's literal becomes a placeholder that put_maths swaps
			 * for the hook's markup; load.c guarantees that \x01 and \x02
			 * never occur in a guide. */
			char token[32];
			snprintf(token, sizeof token, "\x01%zu\x02", m->n);
			XGROW(m->markup, m->n, m->cap);
			m->markup[m->n++] = hooks && hooks->math ? hooks->math(math_tex(node), hooks->ctx)
			                                         : xstrdup(math_tex(node));
			cmark_node_set_literal(node, token);
		} else if (type == CMARK_NODE_CODE_BLOCK && hooks && hooks->code) {
			/* set_type frees the code's strings: the hook reads copies */
			const char *info = cmark_node_get_fence_info(node);
			const char *text = cmark_node_get_literal(node);
			char *literal = xstrdup(text ? text : ""), *fence = xstrdup(info ? info : "");
			char *markup = hooks->code(fence, literal, hooks->ctx);
			cmark_node_set_type(node, CMARK_NODE_CUSTOM_BLOCK);
			cmark_node_set_on_enter(node, markup);
			cmark_node_set_on_exit(node, "");
			free(markup), free(literal), free(fence);
		}
	}
	cmark_iter_free(it);
	/* cmark-gfm's LaTeX renderer writes \includegraphics{URL} and drops the
	 * alt text: the hook names the file the image is set from, which
	 * becomes \dbimage{file} through a placeholder in a code span (a table
	 * cell may hold code, not a custom node), or the alt text prints in
	 * italics */
	for (size_t i = 0; i < nimages; i++) {
		cmark_node *node = images[i];
		const char *url = cmark_node_get_url(node);
		char *file = hooks && hooks->link ? hooks->link(url ? url : "", 1, hooks->ctx) : NULL;
		if (file != NULL && *file) {
			cmark_node *child;
			while ((child = cmark_node_first_child(node)) != NULL)
				cmark_node_free(child);
			char token[32];
			snprintf(token, sizeof token, "\x01%zu\x02", m->n);
			XGROW(m->markup, m->n, m->cap);
			m->markup[m->n++] = xasprintf("\\dbimage{%s}", file);
			cmark_node_set_type(node, CMARK_NODE_CODE);
			cmark_node_set_literal(node, token);
		} else {
			cmark_node_set_type(node, CMARK_NODE_EMPH);
		}
		free(file);
	}
	free(images);
}

/* Replaces every math placeholder in out, with the \texttt{} cmark-gfm's
 * LaTeX renderer wrote around it, by the span's markup. Returns a new
 * string and frees out. */
static char *put_maths(char *out, const struct maths *m)
{
	static const char open[] = "\\texttt{", close[] = "}";
	size_t on = strlen(open), cn = strlen(close);
	if (m->n == 0)
		return out;
	struct buf b = {0};
	const char *p = out;
	const char *token;
	while ((token = strchr(p, '\x01')) != NULL) {
		char *end;
		unsigned long i = strtoul(token + 1, &end, 10);
		if (*end != '\x02' || i >= m->n) {
			buf_put(&b, p, (size_t)(token + 1 - p));
			p = token + 1;
			continue;
		}
		const char *from = token, *to = end + 1;
		if ((size_t)(token - p) >= on && strncmp(token - on, open, on) == 0 && strncmp(to, close, cn) == 0) {
			from -= on;
			to += cn;
		}
		buf_put(&b, p, (size_t)(from - p));
		buf_puts(&b, m->markup[i]);
		p = to;
	}
	buf_puts(&b, p);
	free(out);
	return buf_take(&b);
}

/* One node's HTML as cmark-gfm writes it for the tree as parsed, and the
 * places in it that a renderer fills its own way. The site, the EPUB and
 * the Anki deck render the same answers: each node is rendered once per
 * process (share()) and each renderer's md_html only splices its links,
 * math and code into that text (fill()), without touching the tree. */
enum piece_kind {
	PIECE_LINK,    /* a link's href or an image's src attribute value */
	PIECE_HIDDEN,  /* a link inside an image's alt text: no attribute, but
	                * its hook still runs (the site copies its file) */
	PIECE_MATH,    /* a math span: "<code>TeX</code>" */
	PIECE_SPAN,    /* a code span: kept as written */
	PIECE_CODE,    /* a code block: "<pre…</pre>\n" */
};

struct piece {
	cmark_node *node;
	size_t from, to;           /* the bytes of html it stands for */
	enum piece_kind kind;
};

struct shared {
	cmark_node *node;
	int inline_only;
	char *html;
	struct piece *pieces;      /* in document order, as the hooks ran before */
	size_t n, cap;
};

/* Every shared render of this process, by node: an open-addressed table
 * that lives as long as the trees (md_release). */
static struct {
	struct shared **slots;
	size_t cap, n;
} cache;

static size_t slot_of(const cmark_node *node, int inline_only, size_t cap)
{
	uint64_t h = ((uint64_t)(uintptr_t)node >> 4) * 0x9e3779b97f4a7c15ULL;
	return (size_t)((h >> 17) ^ (uint64_t)inline_only) & (cap - 1);
}

static struct shared **cache_find(const cmark_node *node, int inline_only)
{
	size_t i = slot_of(node, inline_only, cache.cap);
	while (cache.slots[i] != NULL &&
	       (cache.slots[i]->node != node || cache.slots[i]->inline_only != inline_only))
		i = (i + 1) & (cache.cap - 1);
	return &cache.slots[i];
}

static void cache_add(struct shared *sh)
{
	if (2 * (cache.n + 1) > cache.cap) {
		struct shared **old = cache.slots;
		size_t oldcap = cache.cap;
		cache.cap = cache.cap ? 2 * cache.cap : 1024;
		cache.slots = xcalloc(cache.cap, sizeof *cache.slots);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				*cache_find(old[i]->node, old[i]->inline_only) = old[i];
		free(old);
	}
	*cache_find(sh->node, sh->inline_only) = sh;
	cache.n++;
}

static void shared_forget(void)
{
	for (size_t i = 0; i < cache.cap; i++)
		if (cache.slots[i] != NULL) {
			free(cache.slots[i]->html);
			free(cache.slots[i]->pieces);
			free(cache.slots[i]);
		}
	free(cache.slots);
	cache.slots = NULL;
	cache.cap = cache.n = 0;
}

static void add_piece(struct shared *sh, cmark_node *node, enum piece_kind kind)
{
	XGROW(sh->pieces, sh->n, sh->cap);
	sh->pieces[sh->n++] = (struct piece){node, 0, 0, kind};
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A shared render broke an assumption about cmark-gfm's HTML: a bug. */
static void mismatch(const char *html, size_t at)
{
	fprintf(stderr, "depthbook: internal error: cmark-gfm's HTML does not match its tree at byte %zu: %.60s\n",
	        at, html + at);
	abort();
}

/* Finds each piece in sh->html. With raw HTML omitted (safe mode), every
 * '<' there opens one of cmark-gfm's own tags (text and attribute values
 * have theirs escaped), and it writes one "<a href=\"" per link, one
 * "<img src=\"" per image, one "<code>" per code span and one "<pre" per
 * code block, in document order, except inside an image, whose
 * description is its alt text alone. */
static void locate(struct shared *sh)
{
	const char *html = sh->html;
	size_t k = 0;
	for (const char *lt = strchr(html, '<'); lt != NULL; lt = strchr(lt + 1, '<')) {
		int link = starts(lt, "<a href=\""), image = !link && starts(lt, "<img src=\"");
		int code = !link && !image && starts(lt, "<code>");
		int block = !link && !image && !code && starts(lt, "<pre") && (lt[4] == '>' || lt[4] == ' ');
		if (!link && !image && !code && !block)
			continue;
		while (k < sh->n && sh->pieces[k].kind == PIECE_HIDDEN)
			k++;
		if (k == sh->n)
			mismatch(html, (size_t)(lt - html));
		struct piece *p = &sh->pieces[k++];
		cmark_node_type type = cmark_node_get_type(p->node);
		const char *end;
		if (link || image) {
			if (p->kind != PIECE_LINK || type != (link ? CMARK_NODE_LINK : CMARK_NODE_IMAGE))
				mismatch(html, (size_t)(lt - html));
			const char *value = lt + (link ? 9 : 10);
			end = strchr(value, '"');
			p->from = (size_t)(value - html);
		} else if (code) {
			if (p->kind != PIECE_MATH && p->kind != PIECE_SPAN)
				mismatch(html, (size_t)(lt - html));
			end = strstr(lt, "</code>");
			if (end != NULL)
				end += 7;
			p->from = (size_t)(lt - html);
		} else {
			if (p->kind != PIECE_CODE)
				mismatch(html, (size_t)(lt - html));
			end = strstr(lt, "</pre>\n");
			if (end != NULL)
				end += 7;
			p->from = (size_t)(lt - html);
		}
		if (end == NULL)
			mismatch(html, (size_t)(lt - html));
		p->to = (size_t)(end - html);
		lt = end - 1; /* a code block's own "<code>" is no piece */
	}
	while (k < sh->n && sh->pieces[k].kind == PIECE_HIDDEN)
		k++;
	if (k != sh->n)
		mismatch(html, strlen(html));
}

/* node's shared render, made on first use. Borrowed from the cache. */
static const struct shared *share(cmark_node *node, int inline_only)
{
	if (cache.cap > 0) {
		struct shared *found = *cache_find(node, inline_only);
		if (found != NULL)
			return found;
	}
	struct shared *sh = xcalloc(1, sizeof *sh);
	sh->node = node;
	sh->inline_only = inline_only;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	int in_image = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_EXIT) {
			if (type == CMARK_NODE_IMAGE)
				in_image--;
			continue;
		}
		if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)
			add_piece(sh, n, in_image ? PIECE_HIDDEN : PIECE_LINK);
		else if (type == CMARK_NODE_CODE && !in_image)
			add_piece(sh, n, math_is_span(n) ? PIECE_MATH : PIECE_SPAN);
		else if (type == CMARK_NODE_CODE_BLOCK)
			add_piece(sh, n, PIECE_CODE);
		if (type == CMARK_NODE_IMAGE)
			in_image++;
	}
	cmark_iter_free(it);
	sh->html = render_node(node, inline_only, HTML);
	locate(sh);
	cache_add(sh);
	return sh;
}

/* 1 if cmark-gfm's safe mode would drop url from an attribute (its
 * scan_dangerous_url: these schemes, but data: images of four types). */
static int dangerous(const char *url)
{
	static const char *const images[] = {"png", "gif", "jpeg", "webp"};
	if (strncasecmp(url, "data:image/", 11) == 0)
		for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
			if (strncasecmp(url + 11, images[i], strlen(images[i])) == 0)
				return 0;
	return strncasecmp(url, "javascript:", 11) == 0 || strncasecmp(url, "vbscript:", 9) == 0 ||
	       strncasecmp(url, "file:", 5) == 0 || strncasecmp(url, "data:", 5) == 0;
}

/* Appends url as cmark-gfm writes an href or src (its houdini_escape_href):
 * the bytes of a URL kept, '&' and '\'' as entities, the rest %XX. */
static void put_href(struct buf *b, const char *url)
{
	static const char safe[] = "-_.+!*(),%#@?=;:/$~"; /* besides letters and digits */
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(safe, *p) != NULL)
			buf_putc(b, (char)*p);
		else if (*p == '&')
			buf_puts(b, "&amp;");
		else if (*p == '\'')
			buf_puts(b, "&#x27;");
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* sh's HTML with each piece as hooks want it, the hooks called in
 * document order as a walk of the tree would. Caller frees. */
static char *fill(const struct shared *sh, const struct md_hooks *hooks)
{
	struct buf b = {0};
	size_t at = 0;
	void *ctx = hooks ? hooks->ctx : NULL;
	for (size_t i = 0; i < sh->n; i++) {
		const struct piece *p = &sh->pieces[i];
		char *markup = NULL;
		if (p->kind == PIECE_LINK || p->kind == PIECE_HIDDEN) {
			const char *url = cmark_node_get_url(p->node);
			url = url ? url : "";
			/* check rejects these; should a renderer meet one anyway, it
			 * leads nowhere (cmark-gfm alone would keep data:image/png) */
			int blank = md_unsafe_scheme(url) != NULL;
			if (!blank && hooks && hooks->link)
				markup = hooks->link(url, cmark_node_get_type(p->node) == CMARK_NODE_IMAGE, ctx);
			if (p->kind == PIECE_HIDDEN || (!blank && markup == NULL)) {
				free(markup);
				continue;
			}
			buf_put(&b, sh->html + at, p->from - at);
			if (markup != NULL && !dangerous(markup))
				put_href(&b, markup);
			free(markup);
			at = p->to;
			continue;
		}
		if (p->kind == PIECE_MATH) {
			const char *tex = math_tex(p->node);
			markup = hooks && hooks->math ? hooks->math(tex, ctx) : xstrdup(tex);
		} else if (p->kind == PIECE_CODE && hooks && hooks->code) {
			const char *info = cmark_node_get_fence_info(p->node);
			const char *text = cmark_node_get_literal(p->node);
			markup = hooks->code(info ? info : "", text ? text : "", ctx);
		} else {
			continue;
		}
		buf_put(&b, sh->html + at, p->from - at);
		buf_puts(&b, markup);
		free(markup);
		/* a block ends its line, as cmark-gfm ends a custom block's */
		if (p->kind == PIECE_CODE && b.len > 0 && b.data[b.len - 1] != '\n')
			buf_putc(&b, '\n');
		at = p->to;
	}
	buf_puts(&b, sh->html + at);
	return buf_take(&b);
}

char *md_html(cmark_node *node, int inline_only, const struct md_hooks *hooks)
{
	return fill(share(node, inline_only), hooks);
}

char *md_latex(cmark_node *node, int inline_only, const struct md_hooks *hooks)
{
	cmark_node *copy = copy_tree(node);
	struct maths m = {0};
	prepare_latex(copy, hooks, &m);
	char *out = put_maths(render_node(copy, inline_only, LATEX), &m);
	for (size_t i = 0; i < m.n; i++)
		free(m.markup[i]);
	free(m.markup);
	return out;
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
