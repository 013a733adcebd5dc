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
 * stays text) unless TeX markup ('^', '_' or '\\') comes before its first
 * space ("$2^{10} = 1024$" is math). Spans never cross a line. */
static cmark_node *match(cmark_syntax_extension *ext, cmark_parser *parser, cmark_node *parent,
                         unsigned char character, cmark_inline_parser *inl)
{
	(void)parser;
	if (character != '$')
		return NULL;
	int start = cmark_inline_parser_get_offset(inl);
	unsigned char first = cmark_inline_parser_peek_at(inl, start + 1);
	if (first == 0 || is_space(first) || first == '$')
		return NULL;
	int amount = isdigit(first) != 0, marked = 0;
	int end = -1;
	/* A scan that found no closing '$' before the line's end proves that
	 * none follows any later opener on that line either (a closer depends
	 * only on its neighbours, and openers are never inside an escape), so
	 * the next opener there gives up at once: one 1 MB line of "$a $a …"
	 * stays linear. Keyed on the paragraph and inline parser being read. */
	static struct {
		const cmark_node *parent;
		const cmark_inline_parser *inl;
		int from, eol;
		unsigned char last; /* the byte before eol, to tell a reused address */
	} none;
	if (none.parent == parent && none.inl == inl && start > none.from && start < none.eol &&
	    cmark_inline_parser_peek_at(inl, none.from) == '$' &&
	    cmark_inline_parser_peek_at(inl, none.eol - 1) == none.last) {
		unsigned char e = cmark_inline_parser_peek_at(inl, none.eol);
		if (e == 0 || e == '\n' || e == '\r')
			return NULL;
	}
	for (int pos = start + 1;; pos++) {
		unsigned char c = cmark_inline_parser_peek_at(inl, pos);
		if (c == 0 || c == '\n' || c == '\r') {
			none.parent = parent;
			none.inl = inl;
			none.from = start;
			none.eol = pos;
			none.last = cmark_inline_parser_peek_at(inl, pos - 1);
			return NULL;
		}
		if (amount && (c == '^' || c == '_' || c == '\\'))
			marked = 1;
		if (amount && is_space(c) && !marked)
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

/* The whitelist: every command a span may use. unicode is NULL for the
 * structural commands, which math_to_mathml renders as elements (and
 * math_to_html, the tests' plain rendering, as their TeX source). */
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
	/* structure: fractions, roots, alphabets, accents (MathML elements) */
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
	/* every whitelisted command has a MathML rendering (math_to_mathml):
	 * the structural ones (\frac, \sqrt, \mathbb …) as elements */
	return lookup(name, len) == NULL ? MATH_UNKNOWN : MATH_UNICODE;
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

/* MathML ---------------------------------------------------------------
 * A small recursive-descent reading of the whitelisted TeX into MathML
 * Core (what Chromium and EPUB 3 reading systems render): rows of atoms,
 * each atom optionally with a sub- and a superscript. Recursion is held to
 * MATH_MAX_NESTING levels; what lies deeper is shown as text, so no input
 * can exhaust the stack (validate reports such spans as errors). */

struct mml {
	struct buf *b;
	const char *s;  /* the TeX */
	size_t i, n;    /* position and length */
	int depth, max; /* current and deepest nesting */
	int function;   /* the last command was a function name (\log) */
	int row_start;  /* nothing written yet in the current row */
};

static void mml_text(struct buf *b, const char *s, size_t n)
{
	put_html_escaped(b, s, n);
}

static void mml_token(struct mml *m, const char *tag, const char *s, size_t n)
{
	buf_printf(m->b, "<%s>", tag);
	mml_text(m->b, s, n);
	buf_printf(m->b, "</%s>", tag);
}

static void mml_skip_space(struct mml *m)
{
	while (m->i < m->n && is_space((unsigned char)m->s[m->i]))
		m->i++;
}

/* The end of the group that opens at s[i] == '{' (just past its '}'),
 * found without recursion. */
static size_t group_end(const char *s, size_t i, size_t n)
{
	int depth = 0;
	for (; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i + 1;
	}
	return n;
}

static int mml_atom(struct mml *m);

/* A row of atoms until '}' or the end; returns how many atoms it held. */
static int mml_row(struct mml *m)
{
	int count = 0;
	m->row_start = 1;
	for (;;) {
		mml_skip_space(m);
		if (m->i >= m->n || m->s[m->i] == '}')
			return count;
		count += mml_atom(m);
		m->row_start = 0;
	}
}

/* One argument: a {group} (as a row, in an <mrow> when it holds more than
 * one atom), or a single atom. */
static void mml_arg(struct mml *m)
{
	mml_skip_space(m);
	if (m->i >= m->n) {
		buf_puts(m->b, "<mrow></mrow>");
		return;
	}
	if (++m->depth > m->max)
		m->max = m->depth;
	if (m->depth > MATH_MAX_NESTING) {
		/* too deep: the rest of this argument as text, no recursion */
		size_t end = m->s[m->i] == '{' ? group_end(m->s, m->i, m->n) : m->i + 1;
		mml_token(m, "mtext", m->s + m->i, end - m->i);
		m->i = end;
		m->depth--;
		return;
	}
	if (m->s[m->i] == '{') {
		m->i++;
		struct buf *outer = m->b, inner = {0};
		m->b = &inner;
		int count = mml_row(m);
		m->b = outer;
		if (m->i < m->n)
			m->i++; /* '}' */
		if (count == 1) {
			buf_puts(outer, inner.data);
		} else {
			buf_puts(outer, "<mrow>");
			if (inner.data)
				buf_puts(outer, inner.data);
			buf_puts(outer, "</mrow>");
		}
		buf_free(&inner);
	} else {
		struct buf *outer = m->b, inner = {0};
		m->b = &inner;
		int count = mml_atom(m);
		m->b = outer;
		if (count == 1)
			buf_puts(outer, inner.data ? inner.data : "");
		else
			buf_printf(outer, "<mrow>%s</mrow>", inner.data ? inner.data : "");
		buf_free(&inner);
	}
	m->depth--;
}

/* A {group}'s raw text, for \text and friends. */
static void mml_raw_arg(struct mml *m, const char *tag, const char *attrs)
{
	mml_skip_space(m);
	size_t start = m->i, end;
	if (m->i < m->n && m->s[m->i] == '{') {
		end = group_end(m->s, m->i, m->n);
		start++;
		m->i = end;
		if (end > start && m->s[end - 1] == '}')
			end--;
	} else {
		end = m->i < m->n ? m->i + 1 : m->i;
		m->i = end;
	}
	buf_printf(m->b, "<%s%s>", tag, attrs);
	/* drop escapes' backslashes ("\_" → "_") */
	for (size_t k = start; k < end; k++) {
		if (m->s[k] == '\\' && k + 1 < end)
			k++;
		mml_text(m->b, m->s + k, 1);
	}
	buf_printf(m->b, "</%s>", tag);
}

/* Letters in a double-struck or script alphabet: the Unicode letters for
 * A–Z (a few sit in the Letterlike Symbols block). */
static void mml_alphabet(struct mml *m, int script)
{
	static const char *const bb_holes[26] = {
		['C' - 'A'] = "ℂ", ['H' - 'A'] = "ℍ", ['N' - 'A'] = "ℕ", ['P' - 'A'] = "ℙ",
		['Q' - 'A'] = "ℚ", ['R' - 'A'] = "ℝ", ['Z' - 'A'] = "ℤ"};
	static const char *const cal_holes[26] = {
		['B' - 'A'] = "ℬ", ['E' - 'A'] = "ℰ", ['F' - 'A'] = "ℱ", ['H' - 'A'] = "ℋ",
		['I' - 'A'] = "ℐ", ['L' - 'A'] = "ℒ", ['M' - 'A'] = "ℳ", ['R' - 'A'] = "ℛ"};
	mml_skip_space(m);
	size_t start = m->i, end;
	if (m->i < m->n && m->s[m->i] == '{') {
		end = group_end(m->s, m->i, m->n);
		m->i = end;
		start++;
		if (end > start && m->s[end - 1] == '}')
			end--;
	} else {
		end = m->i < m->n ? m->i + 1 : m->i;
		m->i = end;
	}
	buf_puts(m->b, "<mi>");
	for (size_t k = start; k < end; k++) {
		char c = m->s[k];
		size_t letter = (size_t)((unsigned char)c - 'A');
		if (letter < 26) {
			const char *hole = (script ? cal_holes : bb_holes)[letter];
			if (hole) {
				buf_puts(m->b, hole);
			} else {
				unsigned cp = (script ? 0x1D49C : 0x1D538) + (unsigned)letter;
				char u[5] = {(char)(0xF0 | (cp >> 18)), (char)(0x80 | ((cp >> 12) & 0x3F)),
				             (char)(0x80 | ((cp >> 6) & 0x3F)), (char)(0x80 | (cp & 0x3F)), 0};
				buf_puts(m->b, u);
			}
		} else if (!is_space((unsigned char)c) && c != '{' && c != '}' && c != '\\') {
			mml_text(m->b, &c, 1);
		}
	}
	buf_puts(m->b, "</mi>");
}

static int is_greek_or_letter(const char *u)
{
	/* Greek and Coptic block (U+0370–U+03FF): two-byte UTF-8 0xCD–0xCF */
	unsigned char c = (unsigned char)u[0];
	return c >= 0xCD && c <= 0xCF;
}

/* One command at s[i] == '\\'. Returns the atoms it wrote (0 or 1). */
static int mml_command(struct mml *m)
{
	const char *name = m->s + m->i + 1;
	size_t len = name_len(name);
	m->i += 1 + len;
	const struct command *c = lookup(name, len);
#define IS(w) (len == sizeof(w) - 1 && memcmp(name, w, len) == 0)
	if (c == NULL) {
		mml_token(m, "mtext", name - 1, len + 1);
		return 1;
	}
	if (IS("frac") || IS("dfrac") || IS("tfrac") || IS("binom")) {
		int binom = IS("binom");
		if (binom)
			buf_puts(m->b, "<mrow><mo>(</mo>");
		buf_puts(m->b, binom ? "<mfrac linethickness=\"0\">" : "<mfrac>");
		mml_arg(m);
		mml_arg(m);
		buf_puts(m->b, "</mfrac>");
		if (binom)
			buf_puts(m->b, "<mo>)</mo></mrow>");
		return 1;
	}
	if (IS("sqrt")) {
		mml_skip_space(m);
		if (m->i < m->n && m->s[m->i] == '[') {
			/* \sqrt[n]{x}: the index runs to ']' */
			size_t close = m->i + 1;
			while (close < m->n && m->s[close] != ']')
				close++;
			struct buf *outer = m->b, index = {0};
			struct mml sub = {&index, m->s, m->i + 1, close, m->depth, m->max, 0, 0};
			mml_row(&sub);
			if (sub.max > m->max)
				m->max = sub.max;
			m->i = close < m->n ? close + 1 : close;
			buf_puts(outer, "<mroot>");
			mml_arg(m);
			buf_printf(outer, "<mrow>%s</mrow></mroot>", index.data ? index.data : "");
			buf_free(&index);
		} else {
			buf_puts(m->b, "<msqrt>");
			mml_arg(m);
			buf_puts(m->b, "</msqrt>");
		}
		return 1;
	}
	if (IS("text") || IS("textrm") || IS("mathrm") || IS("operatorname")) {
		if (IS("text") || IS("textrm"))
			mml_raw_arg(m, "mtext", "");
		else
			mml_raw_arg(m, "mi", " mathvariant=\"normal\"");
		return 1;
	}
	if (IS("mathbb") || IS("mathcal")) {
		mml_alphabet(m, IS("mathcal"));
		return 1;
	}
	if (IS("mathbf") || IS("mathit") || IS("mathsf") || IS("mathtt")) {
		const char *style = IS("mathbf") ? "font-weight:bold" : IS("mathit") ? "font-style:italic"
		                  : IS("mathsf") ? "font-family:sans-serif" : "font-family:monospace";
		buf_printf(m->b, "<mrow style=\"%s\">", style);
		mml_arg(m);
		buf_puts(m->b, "</mrow>");
		return 1;
	}
	if (IS("hat") || IS("bar") || IS("vec") || IS("tilde") || IS("dot") || IS("overline")) {
		const char *mark = IS("hat") ? "^" : IS("bar") ? "\xC2\xAF" : IS("vec") ? "\xE2\x86\x92"
		                 : IS("tilde") ? "\xCB\x9C" : IS("dot") ? "\xCB\x99" : "\xE2\x80\xBE";
		buf_puts(m->b, "<mover accent=\"true\">");
		mml_arg(m);
		buf_printf(m->b, "<mo>%s</mo></mover>", mark);
		return 1;
	}
	if (IS("underline")) {
		buf_puts(m->b, "<munder accentunder=\"true\">");
		mml_arg(m);
		buf_puts(m->b, "<mo>_</mo></munder>");
		return 1;
	}
	if (IS("left") || IS("right")) {
		/* the delimiter that follows is an ordinary <mo>; "." is none */
		mml_skip_space(m);
		if (m->i < m->n && m->s[m->i] == '.') {
			m->i++;
			return 0;
		}
		return 0;
	}
	if (IS(",") || IS(";") || IS(":") || IS("quad") || IS("qquad") || IS(" ") || IS("!")) {
		const char *w = IS(",") ? "0.1667em" : IS(":") ? "0.2222em" : IS(";") ? "0.2778em"
		              : IS("quad") ? "1em" : IS("qquad") ? "2em" : IS(" ") ? "0.25em" : "0em";
		buf_printf(m->b, "<mspace width=\"%s\"></mspace>", w);
		return 1;
	}
	const char *u = c->unicode ? c->unicode : "";
	static const char *const functions[] = {"log", "ln", "lg", "exp", "sin", "cos", "tan", "max",
	                                        "min", "lim", "sup", "inf", "det", "gcd", "deg", "Pr",
	                                        "arg", "bmod", "pmod"};
	for (size_t k = 0; k < sizeof functions / sizeof *functions; k++)
		if (strlen(functions[k]) == len && memcmp(functions[k], name, len) == 0) {
			mml_token(m, "mi", u, strlen(u));
			m->function = 1;
			return 1;
		}
	if (*u == '\0')
		return 0;
	if (is_greek_or_letter(u) || IS("infty") || IS("emptyset") || IS("varnothing") || IS("partial") ||
	    IS("nabla") || IS("prime") || IS("_") || IS("#") || IS("%") || IS("$") || IS("&"))
		mml_token(m, (IS("_") || IS("#") || IS("%") || IS("$") || IS("&")) ? "mo" : "mi", u, strlen(u));
	else
		mml_token(m, "mo", u, strlen(u));
	return 1;
#undef IS
}

/* One base (number, letter, operator, command or group) and its scripts. */
static int mml_atom(struct mml *m)
{
	struct buf *outer = m->b, base = {0};
	m->b = &base;
	int count = 1;
	char c = m->s[m->i];
	if (c == '^' || c == '_') {
		buf_puts(&base, "<mrow></mrow>");
	} else if (c == '{') {
		mml_arg(m);
	} else if (c == '\\' && m->i + 1 < m->n) {
		count = mml_command(m);
	} else if (c == '\\') {
		m->i++;
		count = 0;
	} else if (isdigit((unsigned char)c) || (c == '.' && m->i + 1 < m->n && isdigit((unsigned char)m->s[m->i + 1]))) {
		size_t start = m->i;
		while (m->i < m->n && (isdigit((unsigned char)m->s[m->i]) || m->s[m->i] == '.'))
			m->i++;
		mml_token(m, "mn", m->s + start, m->i - start);
	} else if (isalpha((unsigned char)c)) {
		mml_token(m, "mi", m->s + m->i, 1);
		m->i++;
	} else if (c == '\'') {
		mml_token(m, "mo", "\xE2\x80\xB2", 3);
		m->i++;
	} else if (c == '~') {
		mml_token(m, "mo", "\xE2\x88\xBC", 3);
		m->i++;
	} else if ((unsigned char)c >= 0x80) {
		size_t k = 1;
		while (m->i + k < m->n && (m->s[m->i + k] & 0xC0) == 0x80)
			k++;
		mml_token(m, "mi", m->s + m->i, k);
		m->i += k;
	} else if (c == '/') {
		/* an ordinary symbol in TeX, not a spaced operator */
		buf_puts(&base, "<mo lspace=\"0\" rspace=\"0\">/</mo>");
		m->i++;
	} else {
		mml_token(m, "mo", m->s + m->i, 1);
		m->i++;
	}
	m->b = outer;
	/* TeX's thin space around an operator name such as \log */
	int function = m->function;
	m->function = 0;
	const char *thin = "<mspace width=\"0.1667em\"></mspace>";
	int lead = function && !m->row_start;
	if (lead)
		buf_puts(outer, thin);
	/* scripts: x_a, x^b, x_a^b, x^b_a */
	mml_skip_space(m);
	int sub = 0, sup = 0;
	struct buf subs = {0}, sups = {0};
	while (m->i < m->n && (m->s[m->i] == '_' || m->s[m->i] == '^')) {
		int is_sub = m->s[m->i] == '_';
		if ((is_sub && sub) || (!is_sub && sup))
			break; /* a double script: the next atom takes it */
		m->i++;
		m->b = is_sub ? &subs : &sups;
		mml_arg(m);
		m->b = outer;
		*(is_sub ? &sub : &sup) = 1;
		mml_skip_space(m);
	}
	const char *bs = base.data && *base.data ? base.data : "<mrow></mrow>";
	if (sub && sup)
		buf_printf(outer, "<msubsup>%s%s%s</msubsup>", bs, subs.data, sups.data);
	else if (sub)
		buf_printf(outer, "<msub>%s%s</msub>", bs, subs.data);
	else if (sup)
		buf_printf(outer, "<msup>%s%s</msup>", bs, sups.data);
	else if (base.data)
		buf_puts(outer, base.data);
	if (sub || sup)
		count = 1;
	if (function) {
		buf_puts(outer, thin);
		count += 1 + lead;
	}
	buf_free(&base);
	buf_free(&subs);
	buf_free(&sups);
	return count;
}

char *math_to_mathml(const char *tex)
{
	struct buf b = {0};
	struct mml m = {&b, tex, 0, strlen(tex), 0, 0, 0, 0};
	buf_puts(&b, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow>");
	while (m.i < m.n) {
		mml_row(&m);
		if (m.i < m.n)
			m.i++; /* an unmatched '}' */
	}
	buf_puts(&b, "</mrow></math>");
	return buf_take(&b);
}

int math_nesting(const char *tex)
{
	struct buf b = {0};
	struct mml m = {&b, tex, 0, strlen(tex), 0, 0, 0, 0};
	while (m.i < m.n) {
		mml_row(&m);
		if (m.i < m.n)
			m.i++;
	}
	buf_free(&b);
	/* braces that only group, with no command or script (a{{{b}}}), nest
	 * in LaTeX too: count them without recursion */
	int depth = 0, deepest = 0;
	for (size_t i = 0; tex[i]; i++) {
		if (tex[i] == '\\' && tex[i + 1])
			i++;
		else if (tex[i] == '{' && ++depth > deepest)
			deepest = depth;
		else if (tex[i] == '}' && depth > 0)
			depth--;
	}
	return m.max > deepest ? m.max : deepest;
}
