/* floor: what `cmark-gfm --smart -e table -e strikethrough -e autolink
 * -e tagfilter -e tasklist FILE...` does, for machines without the
 * cmark-gfm command (Debian package cmark-gfm): the files fed to one
 * parser in turn, as one document, with those extensions and smart
 * punctuation, rendered to HTML on standard output. The same library
 * calls as the command's main, so the same parsing floor; bench.sh uses
 * the command when it is installed and says which it timed.
 *
 * Usage: floor FILE... */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	static const char *const names[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};
	int options = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(options);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(names[i]));
	static char chunk[4096]; /* the command's buffer size */
	for (int a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		if (f == NULL) {
			perror(argv[a]);
			return 1;
		}
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			cmark_parser_feed(parser, chunk, n);
		fclose(f);
	}
	cmark_node *doc = cmark_parser_finish(parser);
	char *html = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser));
	fputs(html, stdout);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return 0;
}
