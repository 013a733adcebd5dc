/* cards_text_test.c: gen/cards_text.c, what keeps a card's text inside the
 * card: break points in long runs only (and never inside a TeX ligature or
 * a command's verbatim argument), CJK breaks with kinsoku, tables as
 * \dbtable, the engine's choice, and PDF strings in UTF-16BE. */
#include "../../gen/cards_text.h"
#include "check.h"

#include <stdlib.h>

static char *breakable(const char *latex)
{
	struct buf b = {0};
	cards_text_breakable(&b, latex);
	return buf_take(&b);
}

static char *pdf_string(const char *s)
{
	struct buf b = {0};
	cards_text_pdf_string(&b, s);
	return buf_take(&b);
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

int main(void)
{
	char *s = breakable("short words stay as they are -- even dashes");
	CHECK_STR("cards_text: short runs untouched", s, "short words stay as they are -- even dashes");
	free(s);

	s = breakable("\\texttt{/var/lib/some-service/data/shards/0001.log}");
	CHECK("cards_text: a long path breaks after its slashes", count(s, "/\\dbbrk{}") >= 6);
	CHECK("cards_text: ... and stays one \\texttt", strncmp(s, "\\texttt{/", 9) == 0);
	free(s);

	s = breakable("AbstractSingletonProxyFactoryBean");
	CHECK_INT("cards_text: a 33-letter word may break between any two letters", count(s, "\\dbbrkany{}"), 32);
	free(s);

	s = breakable("aaaaaaaaaa--bbbbbbbbbbbb");
	CHECK("cards_text: no break inside --", strstr(s, "-\\dbbrk{}-") == NULL && strstr(s, "--") != NULL);
	free(s);

	s = breakable("\\href{https://example.com/a/very/long/destination/path}{text}");
	CHECK_STR("cards_text: \\href's destination copied as it is", s,
	          "\\href{https://example.com/a/very/long/destination/path}{text}");
	free(s);

	s = breakable("$\\mathrm{averyveryverylongidentifierinmath}$");
	CHECK_STR("cards_text: math copied as it is", s, "$\\mathrm{averyveryverylongidentifierinmath}$");
	free(s);

	s = breakable("a\\_very\\_long\\_snake\\_case\\_identifier\\_name");
	CHECK("cards_text: escapes count as characters and break after", count(s, "\\_\\dbbrk{}") >= 5);
	free(s);

	s = breakable("漢字。かな「括弧」");
	CHECK("cards_text: a break between CJK characters", strstr(s, "漢\\dbcjk{}字") != NULL);
	CHECK("cards_text: none before 。", strstr(s, "字\\dbcjk{}。") == NULL);
	CHECK("cards_text: none after 「", strstr(s, "「\\dbcjk{}") == NULL);
	CHECK("cards_text: none before 」", strstr(s, "\\dbcjk{}」") == NULL);
	free(s);

	s = breakable("캐시는 데이터베이스");
	CHECK_STR("cards_text: Korean breaks at its spaces", s, "캐시는 데이터베이스");
	free(s);

	s = breakable("\\begin{table}\n\\begin{tabular}{lll}\nA & B & C \\\\\nx \\& y & 1 & 2 \\\\\n"
	              "\\end{tabular}\n\\end{table}\n");
	CHECK("cards_text: a table becomes \\dbtable{3}", strncmp(s, "\\dbtable{3}{", 12) == 0);
	CHECK("cards_text: ... its header row in \\dbhead", strstr(s, "\\dbtablerow{3}{\\dbhead{A} & \\dbhead{B} & \\dbhead{C}}\\dbheadrule") != NULL);
	CHECK("cards_text: ... an escaped & stays in its cell", strstr(s, "\\dbtablerow{3}{x \\& y & 1 & 2}") != NULL);
	CHECK("cards_text: ... and a record per row", strstr(s, "\\dbrecord{\\dbpair{A}{x \\& y}\\dbpair{B}{1}\\dbpair{C}{2}}") != NULL);
	free(s);

	const char *tpl = "\\DeclareUnicodeCharacter{2192}{\\ensuremath{\\rightarrow}}";
	CHECK_INT("cards_text: Latin-1 and dashes are Latin", cards_text_latin("café – naïve ‘quoted’ Łódź", tpl), 1);
	CHECK_INT("cards_text: a declared character is Latin", cards_text_latin("a → b", tpl), 1);
	CHECK_INT("cards_text: an undeclared one is not", cards_text_latin("a ⇒ b", tpl), 0);
	CHECK_INT("cards_text: CJK is not", cards_text_latin("漢字", tpl), 0);
	CHECK_INT("cards_text: a combining accent (NFD) is not", cards_text_latin("cafe\xcc\x81", tpl), 0);

	s = pdf_string("A&–✅");
	CHECK_STR("cards_text: a PDF string in UTF-16BE hex", s, "<FEFF0041002620132705>");
	free(s);
	s = pdf_string("😀");
	CHECK_STR("cards_text: a character past U+FFFF is a surrogate pair", s, "<FEFFD83DDE00>");
	free(s);
	return check_failures ? 1 : 0;
}
