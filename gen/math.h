/* math.h: the `$…$` inline math syntax extension for cmark-gfm, and the
 * whitelist of TeX math commands with their Unicode renderings. */
#ifndef DEPTHBOOK_MATH_H
#define DEPTHBOOK_MATH_H

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

/* The extension (created once, registered with cmark-gfm's plugin list). */
cmark_syntax_extension *math_extension(void);

/* 1 if node is a math span made by the extension. */
int math_is_span(cmark_node *node);
/* The span's TeX source (without the dollars), borrowed from the node. */
const char *math_tex(cmark_node *node);
/* The line and column of the span's opening '$'. */
int math_line(cmark_node *node);
int math_col(cmark_node *node);

enum math_class { MATH_UNKNOWN, MATH_UNICODE };
/* Classifies a command name (without backslash): MATH_UNICODE when it is
 * on the whitelist (each has a MathML rendering), MATH_UNKNOWN when not. */
enum math_class math_command_class(const char *name, size_t len);

/* Calls fn for every command in tex: its name, the name's length, and its
 * byte offset in tex (at the backslash). */
void math_each_command(const char *tex,
                       void (*fn)(const char *name, size_t len, size_t offset, void *ctx),
                       void *ctx);

/* Renders tex as HTML/XHTML text with Unicode symbols and <sup>/<sub>,
 * everything escaped. The caller frees the result. */
char *math_to_html(const char *tex);
/* How deep math may nest (braces, scripts, roots, fractions): as deep as
 * lists and quotes (model.h), for the same XML and e-reader limits. */
#define MATH_MAX_NESTING 100

/* Renders tex as MathML Core ("<math xmlns=…>…</math>", escaped, valid in
 * HTML and XHTML); nesting past MATH_MAX_NESTING is shown as text. The
 * caller frees the result. */
char *math_to_mathml(const char *tex);
/* The deepest nesting of tex's groups and arguments (at most
 * MATH_MAX_NESTING + 1 counted through arguments), for validate. */
int math_nesting(const char *tex);

/* Renders tex as a LaTeX math span "$…$" that uses only whitelisted
 * commands; anything else is printed as text. The caller frees it. */
char *math_to_latex(const char *tex);

#endif
