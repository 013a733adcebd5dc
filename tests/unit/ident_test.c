/* ident_test.c: identity keys (gen/ident.c): normalisation, and keys that
 * survive an insertion, a renumbering and smart punctuation, with repeats
 * told apart by their occurrence. */
#include "../../gen/ident.h"
#include "../../gen/load.h"
#include "../../gen/md.h"
#include "../../gen/model.h"
#include "check.h"

#include <stdlib.h>

static struct model_guide *guide(const char *text, int smart)
{
	struct load_file *f = load_memory("mem/g.md", "mem", text, strlen(text));
	return f ? model_build(f, smart) : NULL;
}

static char *norm(const char *text)
{
	struct buf b = {0};
	ident_normalise(text, &b);
	return b.data ? buf_take(&b) : xstrdup("");
}

static void test_normalise(void)
{
	char *s = norm("  What  IS\tthe\n\xc2\xa0Saga?  ");
	CHECK_STR("normalise: case and white space folded, ends trimmed", s, "what is the saga?");
	free(s);
	s = norm("\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x98it\xe2\x80\x99s\xe2\x80\x99 a\xe2\x80\x93" "b a\xe2\x80\x94" "b \xe2\x80\xa6");
	CHECK_STR("normalise: smart punctuation back to ASCII", s, "\"quoted\" 'it's' a--b a---b ...");
	free(s);
	s = norm("\xc3\x85NGSTR\xc3\x96M \xc3\x97");
	CHECK_STR("normalise: Latin-1 capitals folded, the multiplication sign kept", s,
	          "\xc3\xa5ngstr\xc3\xb6m \xc3\x97");
	free(s);
	s = norm("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	CHECK_STR("normalise: other characters kept as they are", s, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	free(s);
}

static const char before[] =
	"# G\n\n## 1. S\n\n### Q1: Main?\n**Answer:**\nA.\n\n"
	"#### Depth 1\n**Q:** First \"one\" -- here?\n**A:** a\n\n"
	"##### Depth 2\n**Q:** Why?\n**A:** a\n\n"
	"###### Depth 3\n**Q:** Last?\n**A:** a\n\n"
	"### Q2: Other?\n**Answer:**\nB.\n\n"
	"#### Depth 1\n**Q:** Why?\n**A:** a\n";
/* A follow-up inserted after Depth 1 (another "Why?"), the rest renumbered. */
static const char after[] =
	"# G\n\n## 1. S\n\n### Q1: Main?\n**Answer:**\nA.\n\n"
	"#### Depth 1\n**Q:** First \"one\" -- here?\n**A:** a\n\n"
	"##### Depth 2\n**Q:** New one?\n**A:** a\n\n"
	"###### Depth 3\n**Q:** Why?\n**A:** a\n\n"
	"###### Depth 4\n**Q:** Last?\n**A:** a\n\n"
	"### Q2: Other?\n**Answer:**\nB.\n\n"
	"#### Depth 1\n**Q:** Why?\n**A:** a\n";

static void test_insertion(void)
{
	struct model_guide *a = guide(before, 1), *b = guide(after, 1), *plain = guide(before, 0);
	CHECK("insertion: guides build", a && b && plain && a->nquestions == 2 && b->ndepths == 5);
	if (!(a && b && plain && a->nquestions == 2 && b->ndepths == 5))
		return;
	struct model_question *qa = a->questions[0], *qb = b->questions[0];
	CHECK("insertion: keys are 16 hex digits", strlen(qa->key) == 16 && strspn(qa->key, "0123456789abcdef") == 16);
	CHECK_STR("insertion: the main question keeps its key", qb->key, qa->key);
	CHECK_STR("insertion: Depth 1 keeps its key", qb->depths[0]->key, qa->depths[0]->key);
	CHECK_STR("insertion: Depth 2 (now 3) keeps its key", qb->depths[2]->key, qa->depths[1]->key);
	CHECK_STR("insertion: Depth 3 (now 4) keeps its key", qb->depths[3]->key, qa->depths[2]->key);
	CHECK("insertion: the new follow-up has a key of its own",
	      strcmp(qb->depths[1]->key, qa->depths[0]->key) != 0 && strcmp(qb->depths[1]->key, qa->depths[1]->key) != 0 &&
	              strcmp(qb->depths[1]->key, qa->depths[2]->key) != 0);
	CHECK("repeats: the second \"Why?\" differs from the first",
	      strcmp(a->questions[1]->depths[0]->key, qa->depths[1]->key) != 0);
	CHECK_STR("repeats: the second \"Why?\" keeps its key", b->questions[1]->depths[0]->key,
	          a->questions[1]->depths[0]->key);
	CHECK_STR("smart punctuation: --no-smart gives the same keys", plain->questions[0]->depths[0]->key,
	          qa->depths[0]->key);
	model_guide_free(a);
	model_guide_free(b);
	model_guide_free(plain);
}

static void test_explicit_and_guide_id(void)
{
	struct model_guide *a = guide(before, 1), *b = guide(before, 1);
	if (a == NULL || b == NULL)
		return;
	/* An explicit id keys the unit whatever its text: set it as model.c
	 * does for "{#saga}" and key again. */
	a->questions[0]->depths[2]->explicit_id = xstrdup("saga");
	b->questions[0]->depths[2]->explicit_id = xstrdup("saga");
	free(b->questions[0]->depths[2]->question_text);
	b->questions[0]->depths[2]->question_text = xstrdup("Last, reworded?");
	ident_assign(a);
	ident_assign(b);
	CHECK_STR("explicit id: an edited question keeps its key", b->questions[0]->depths[2]->key,
	          a->questions[0]->depths[2]->key);
	char *was = xstrdup(a->questions[0]->key);
	free(a->file->meta.id);
	a->file->meta.id = xstrdup("urn:uuid:1234");
	ident_assign(a);
	CHECK("guide id: the front matter id is part of the key", strcmp(was, a->questions[0]->key) != 0);
	free(was);
	/* freed here, so that this holds whether or not model_guide_free frees them */
	free(a->questions[0]->depths[2]->explicit_id);
	free(b->questions[0]->depths[2]->explicit_id);
	a->questions[0]->depths[2]->explicit_id = b->questions[0]->depths[2]->explicit_id = NULL;
	model_guide_free(a);
	model_guide_free(b);
}

int main(void)
{
	test_normalise();
	test_insertion();
	test_explicit_and_guide_id();
	md_release();
	return check_failures ? 1 : 0;
}
