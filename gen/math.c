/* math.c: the `$…$` inline math extension (pandoc's rule plus one for
 * dollar amounts) and the TeX command whitelist with Unicode renderings. */
#include "math.h"
#include "md.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A math span is a CODE node carrying this as its user data. It is not a
 * node type of its own because cmark-gfm's table extension admits only
 * core inline types into a cell (a custom type there is silently dropped),
 * and a renderer that knows nothing of math shows it as code, not as
 * nothing. */
#define MATH_MAGIC 0x6d617468u /* "math" */
struct math_span {
	unsigned magic;
	int line, col;
	char tex[];
};

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* pandoc's tex_math_dollars rule: the opening '$' has a non-space right
 * after it, the closing '$' a non-space right before it and no digit right
 * after it. Our addition for dollar amounts: when the opening '$' is
 * followed by a digit, the span holds no white space ("$3 to save $300"
 * stays text). Spans never cross a line. */
static cmark_node *match(cmark_syntax_extension *ext, cmark_parser *parser, cmark_node *parent,
                         unsigned char character, cmark_inline_parser *inl)
{
	(void)parser;
	(void)parent;
	if (character != '$')
		return NULL;
	int start = cmark_inline_parser_get_offset(inl);
	unsigned char first = cmark_inline_parser_peek_at(inl, start + 1);
	if (first == 0 || is_space(first) || first == '$')
		return NULL;
	int amount = isdigit(first) != 0;
	int end = -1;
	for (int pos = start + 1;; pos++) {
		unsigned char c = cmark_inline_parser_peek_at(inl, pos);
		if (c == 0 || c == '\n' || c == '\r')
			return NULL;
		if (amount && is_space(c))
			return NULL;
		if (c == '\\' && cmark_inline_parser_peek_at(inl, pos + 1) != 0) {
			pos++;
			continue;
		}
		if (c != '$')
			continue;
		unsigned char before = cmark_inline_parser_peek_at(inl, pos - 1);
		unsigned char after = cmark_inline_parser_peek_at(inl, pos + 1);
		if (!is_space(before) && !isdigit(after)) {
			end = pos;
			break;
		}
	}
	size_t len = (size_t)(end - start - 1);
	/* The span lives in the arena with its node (see md.h). */
	cmark_mem *mem = md_mem();
	struct math_span *span = mem->calloc(1, sizeof *span + len + 1);
	span->magic = MATH_MAGIC;
	span->line = cmark_inline_parser_get_line(inl);
	span->col = cmark_inline_parser_get_column(inl);
	for (size_t i = 0; i < len; i++)
		span->tex[i] = (char)cmark_inline_parser_peek_at(inl, start + 1 + (int)i);
	span->tex[len] = '\0';
	cmark_node *node = cmark_node_new_with_mem_and_ext(CMARK_NODE_CODE, mem, ext);
	cmark_node_set_literal(node, span->tex);
	cmark_node_set_user_data(node, span);
	cmark_inline_parser_set_offset(inl, end + 1);
	return node;
}

cmark_syntax_extension *math_extension(void)
{
	static cmark_syntax_extension *ext;
	if (ext != NULL)
		return ext;
	ext = cmark_syntax_extension_new("math");
	cmark_syntax_extension_set_match_inline_func(ext, match);
	cmark_mem *mem = cmark_get_default_mem_allocator();
	cmark_llist *chars = cmark_llist_append(mem, NULL, (void *)(uintptr_t)'$');
	cmark_syntax_extension_set_special_inline_chars(ext, chars);
	return ext;
}

int math_is_span(cmark_node *node)
{
	if (cmark_node_get_type(node) != CMARK_NODE_CODE)
		return 0;
	const struct math_span *span = cmark_node_get_user_data(node);
	return span != NULL && span->magic == MATH_MAGIC;
}

static const struct math_span *span_of(cmark_node *node)
{
	return cmark_node_get_user_data(node);
}

const char *math_tex(cmark_node *node)
{
	return span_of(node)->tex;
}

int math_line(cmark_node *node)
{
	return span_of(node)->line;
}

int math_col(cmark_node *node)
{
	return span_of(node)->col;
}

/* The whitelist: every command a span may use. unicode is NULL for
 * commands that LaTeX typesets but the site shows as TeX source. */
static const struct command {
	const char *name;
	const char *unicode;
} commands[] = {
	/* Greek */
	{"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ϵ"},
	{"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"vartheta", "ϑ"},
	{"iota", "ι"}, {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"}, {"xi", "ξ"},
	{"pi", "π"}, {"varpi", "ϖ"}, {"rho", "ρ"}, {"varrho", "ϱ"}, {"sigma", "σ"},
	{"varsigma", "ς"}, {"tau", "τ"}, {"upsilon", "υ"}, {"phi", "ϕ"}, {"varphi", "φ"},
	{"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"},
	{"Theta", "Θ"}, {"Lambda", "Λ"}, {"Xi", "Ξ"}, {"Pi", "Π"}, {"Sigma", "Σ"},
	{"Upsilon", "Υ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"},
	/* arrows */
	{"to", "→"}, {"rightarrow", "→"}, {"leftarrow", "←"}, {"gets", "←"},
	{"leftrightarrow", "↔"}, {"Rightarrow", "⇒"}, {"Leftarrow", "⇐"},
	{"Leftrightarrow", "⇔"}, {"implies", "⟹"}, {"iff", "⟺"}, {"mapsto", "↦"},
	{"uparrow", "↑"}, {"downarrow", "↓"}, {"longrightarrow", "⟶"},
	/* relations */
	{"le", "≤"}, {"leq", "≤"}, {"ge", "≥"}, {"geq", "≥"}, {"ne", "≠"}, {"neq", "≠"},
	{"approx", "≈"}, {"equiv", "≡"}, {"sim", "∼"}, {"simeq", "≃"}, {"cong", "≅"},
	{"propto", "∝"}, {"ll", "≪"}, {"gg", "≫"}, {"in", "∈"}, {"notin", "∉"},
	{"subset", "⊂"}, {"subseteq", "⊆"}, {"supset", "⊃"}, {"supseteq", "⊇"}, {"mid", "∣"},
	{"parallel", "∥"}, {"perp", "⊥"},
	/* operators */
	{"times", "×"}, {"cdot", "⋅"}, {"div", "÷"}, {"pm", "±"}, {"mp", "∓"}, {"ast", "∗"},
	{"star", "⋆"}, {"circ", "∘"}, {"bullet", "∙"}, {"oplus", "⊕"}, {"otimes", "⊗"},
	{"cup", "∪"}, {"cap", "∩"}, {"setminus", "∖"}, {"land", "∧"}, {"wedge", "∧"},
	{"lor", "∨"}, {"vee", "∨"}, {"neg", "¬"}, {"lnot", "¬"}, {"sum", "∑"}, {"prod", "∏"},
	{"int", "∫"}, {"partial", "∂"}, {"nabla", "∇"}, {"forall", "∀"}, {"exists", "∃"},
	{"emptyset", "∅"}, {"varnothing", "∅"}, {"infty", "∞"}, {"prime", "′"}, {"angle", "∠"},
	{"ldots", "…"}, {"cdots", "⋯"}, {"dots", "…"}, {"vdots", "⋮"},
	/* delimiters */
	{"lfloor", "⌊"}, {"rfloor", "⌋"}, {"lceil", "⌈"}, {"rceil", "⌉"}, {"langle", "⟨"},
	{"rangle", "⟩"}, {"vert", "|"}, {"Vert", "‖"}, {"lvert", "|"}, {"rvert", "|"},
	{"left", ""}, {"right", ""}, {"{", "{"}, {"}", "}"}, {"|", "‖"},
	/* escaped specials and spacing */
	{"$", "$"}, {"%", "%"}, {"&", "&"}, {"#", "#"}, {"_", "_"},
	{",", "\xE2\x80\x89"}, {";", "\xE2\x80\x82"}, {":", "\xE2\x80\x85"}, {"!", ""},
	{" ", " "}, {"quad", "\xE2\x80\x83"}, {"qquad", "\xE2\x80\x83\xE2\x80\x83"},
	/* function names, upright */
	{"log", "log"}, {"ln", "ln"}, {"lg", "lg"}, {"exp", "exp"}, {"sin", "sin"},
	{"cos", "cos"}, {"tan", "tan"}, {"max", "max"}, {"min", "min"}, {"lim", "lim"},
	{"sup", "sup"}, {"inf", "inf"}, {"det", "det"}, {"gcd", "gcd"}, {"deg", "deg"},
	{"Pr", "Pr"}, {"arg", "arg"}, {"bmod", "mod"}, {"pmod", "mod"},
	/* typeset by LaTeX, shown as TeX source on screen */
	{"frac", NULL}, {"dfrac", NULL}, {"tfrac", NULL}, {"sqrt", NULL}, {"binom", NULL},
	{"mathrm", ""}, {"mathit", ""}, {"mathbf", ""}, {"mathsf", ""}, {"mathtt", ""},
	{"text", ""}, {"textrm", ""}, {"operatorname", ""}, {"mathcal", NULL}, {"mathbb", NULL},
	{"overline", NULL}, {"underline", NULL}, {"hat", NULL}, {"bar", NULL}, {"vec", NULL},
	{"tilde", NULL}, {"dot", NULL},
};

static const struct command *lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strlen(commands[i].name) == len && memcmp(commands[i].name, name, len) == 0)
			return &commands[i];
	return NULL;
}

enum math_class math_command_class(const char *name, size_t len)
{
	const struct command *c = lookup(name, len);
	if (c == NULL)
		return MATH_UNKNOWN;
	return c->unicode ? MATH_UNICODE : MATH_TEXT_ONLY;
}

/* Length of the command name starting at s (just after a backslash): a run
 * of letters, or one other character. */
static size_t name_len(const char *s)
{
	size_t n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	if (n == 0 && s[0] != '\0')
		n = 1;
	return n;
}

void math_each_command(const char *tex,
                       void (*fn)(const char *name, size_t len, size_t offset, void *ctx),
                       void *ctx)
{
	for (size_t i = 0; tex[i] != '\0'; i++) {
		if (tex[i] != '\\')
			continue;
		size_t n = name_len(tex + i + 1);
		if (n == 0)
			break;
		fn(tex + i + 1, n, i, ctx);
		i += n;
	}
}

static void put_html_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, s[i]);
		}
	}
}

/* Renders one script argument (after ^ or _): a {group}, a command or one
 * character. Returns the bytes consumed. */
static size_t html_atom(struct buf *b, const char *s);

static size_t html_run(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;
	int space = 0;
	while (i < n) {
		char c = s[i];
		if (is_space((unsigned char)c)) {
			space = 1;
			i++;
			continue;
		}
		if (space && b->len > 0)
			buf_putc(b, ' ');
		space = 0;
		if (c == '^' || c == '_') {
			buf_puts(b, c == '^' ? "<sup>" : "<sub>");
			i++;
			while (i < n && is_space((unsigned char)s[i]))
				i++;
			if (i < n)
				i += html_atom(b, s + i);
			buf_puts(b, c == '^' ? "</sup>" : "</sub>");
		} else if (c == '{' || c == '}') {
			i++;
		} else {
			i += html_atom(b, s + i);
		}
	}
	return i;
}

static size_t html_atom(struct buf *b, const char *s)
{
	if (s[0] == '{') {
		int depth = 1;
		size_t i = 1;
		while (s[i] != '\0' && depth > 0) {
			if (s[i] == '\\' && s[i + 1] != '\0')
				i++;
			else if (s[i] == '{')
				depth++;
			else if (s[i] == '}')
				depth--;
			i++;
		}
		size_t inner = depth == 0 ? i - 2 : i - 1;
		html_run(b, s + 1, inner);
		return i;
	}
	if (s[0] == '\\') {
		size_t n = name_len(s + 1);
		const struct command *c = lookup(s + 1, n);
		if (c != NULL && c->unicode != NULL)
			put_html_escaped(b, c->unicode, strlen(c->unicode));
		else
			put_html_escaped(b, s, n + 1);
		return n + 1;
	}
	/* one UTF-8 character */
	size_t n = 1;
	while ((s[n] & 0xC0) == 0x80)
		n++;
	put_html_escaped(b, s, n);
	return n;
}

char *math_to_html(const char *tex)
{
	struct buf b = {0};
	html_run(&b, tex, strlen(tex));
	return buf_take(&b);
}

char *math_to_latex(const char *tex)
{
	struct buf b = {0};
	int depth = 0;
	buf_putc(&b, '$');
	for (size_t i = 0; tex[i] != '\0'; i++) {
		unsigned char c = (unsigned char)tex[i];
		if (c == '\\') {
			size_t n = name_len(tex + i + 1);
			if (n == 0)
				break;
			if (lookup(tex + i + 1, n) != NULL) {
				buf_put(&b, tex + i, n + 1);
				/* keep a control word apart from letters that follow */
				if (isalpha((unsigned char)tex[i + 1]) && isalpha((unsigned char)tex[i + 1 + n]))
					buf_putc(&b, ' ');
			} else {
				buf_puts(&b, "\\text{\\textbackslash{}");
				for (size_t k = 0; k < n; k++) {
					unsigned char d = (unsigned char)tex[i + 1 + k];
					if (isalnum(d))
						buf_putc(&b, (char)d);
					else
						buf_printf(&b, "\\char%u{}", d);
				}
				buf_putc(&b, '}');
			}
			i += n;
		} else if (c == '{') {
			depth++;
			buf_putc(&b, '{');
		} else if (c == '}') {
			if (depth > 0) {
				depth--;
				buf_putc(&b, '}');
			}
		} else if (c == '#' || c == '%' || c == '&') {
			buf_putc(&b, '\\');
			buf_putc(&b, (char)c);
		} else if (c == '^' && b.data[b.len - 1] == '^') {
			/* TeX reads "^^5c" as a backslash: never let two carets meet */
			buf_puts(&b, "{}^");
		} else if (c == '~') {
			buf_puts(&b, "\\sim ");
		} else if (c >= 0x80) {
			/* non-ASCII in math: print it as text, the font decides */
			size_t n = 1;
			while ((tex[i + n] & 0xC0) == 0x80)
				n++;
			buf_puts(&b, "\\text{");
			buf_put(&b, tex + i, n);
			buf_putc(&b, '}');
			i += n - 1;
		} else if (c >= 0x20 || c == '\t') {
			buf_putc(&b, (char)c);
		}
	}
	while (depth-- > 0)
		buf_putc(&b, '}');
	buf_putc(&b, '$');
	return buf_take(&b);
}
