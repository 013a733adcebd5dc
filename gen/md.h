/* md.h: the Markdown layer: parse a guide with cmark-gfm and its
 * extensions, and render subtrees to HTML, LaTeX or plain text with links
 * and math spans handed to the caller, never changing the trees. */
#ifndef DEPTHBOOK_MD_H
#define DEPTHBOOK_MD_H

#include <cmark-gfm.h>
#include <stddef.h>

/* Parses text (len bytes) with source positions, the table, strikethrough,
 * autolink, tagfilter and tasklist extensions, $…$ math, and smart
 * punctuation unless smart is 0. Raw HTML stays untrusted. Returns the
 * document, which lives until md_release. */
cmark_node *md_parse(const char *text, size_t len, int smart);

/* The allocator the trees live in (cmark-gfm's arena): md_node_new makes
 * a node there, and md_release frees every node of every guide at once
 * (after it, no node from md_parse or md_node_new may be used). Freeing a
 * single node with cmark_node_free only unlinks it. */
cmark_mem *md_mem(void);
cmark_node *md_node_new(cmark_node_type type);
void md_release(void);

/* How a renderer addresses things while md renders a subtree:
 * link returns the URL to write for a link or image destination (or NULL
 * to keep it as written); math returns the markup for a span's TeX. All
 * results are freed by md. */
struct md_hooks {
	char *(*link)(const char *url, int is_image, void *ctx);
	char *(*math)(const char *tex, void *ctx);
	void *ctx;
	/* optional: the markup for a code block (its info string and text),
	 * written in place of the renderer's own; NULL keeps cmark-gfm's. */
	char *(*code)(const char *info, const char *literal, void *ctx);
};

/* Renders node (a block, or a paragraph whose inlines are wanted alone when
 * inline_only is set) as HTML. cmark-gfm renders each node once per
 * process (until md_release), the tree as parsed; every call, whichever
 * renderer makes it, only splices its hooks' links, math and code into
 * that shared text. The hooks run in document order, also for a link in
 * an image's description, whose URL is not written. No render changes the
 * tree. Caller frees. */
char *md_html(cmark_node *node, int inline_only, const struct md_hooks *hooks);
/* The same, as LaTeX through cmark-gfm's LaTeX renderer, from a private
 * copy of node that the hooks' results are written into (what cmark-gfm
 * writes for a link depends on its URL, so LaTeX cannot be spliced); the
 * copy lives in the arena until md_release. An image's destination goes
 * to the link hook (is_image 1), which returns the name of the file it is
 * set from, written as \dbimage{name}, or NULL or "" for an image that
 * prints its alt text in italics. */
char *md_latex(cmark_node *node, int inline_only, const struct md_hooks *hooks);
/* The plain text of node, math spans as their TeX source. Caller frees. */
char *md_text(cmark_node *node);

/* 1 for the node types cmark-gfm's iterator enters without an exit
 * event (its S_is_leaf): text, breaks, code, HTML and thematic breaks. */
int md_is_leaf(cmark_node_type type);

/* The unsafe scheme ("javascript", "vbscript", "data", "file") that url
 * uses, or NULL. check reports such links; renders blank them. */
const char *md_unsafe_scheme(const char *url);

/* The cmark-gfm library's version: its renderers shape our outputs. */
int md_version(void);

#endif
