/* arena_test.c: the cmark trees' allocator (gen/arena.c): zeroed and
 * aligned memory, realloc that keeps the data (in place or by copying),
 * chunks larger than the first, reuse of freed blocks only while recycling
 * is on, a second thread's memory linked into this thread's tree, and a
 * parse after a release. */
#include "../../gen/arena.h"
#include "../../gen/md.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

static int zeroed(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static int other_thread(void *arg)
{
	*(cmark_node **)arg = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, arena_mem());
	return 0;
}

int main(void)
{
	cmark_mem *mem = arena_mem();
	unsigned char *a = mem->calloc(100, 1);
	CHECK("calloc gives zeroed memory", zeroed(a, 100));
	CHECK("allocations are 16-byte aligned", ((uintptr_t)a & 15) == 0);
	memset(a, 'a', 100);

	/* The latest allocation grows in place and keeps its bytes. */
	unsigned char *b = mem->realloc(a, 5000);
	CHECK("realloc of the latest allocation grows in place", b == a);
	int kept = 1;
	for (int i = 0; i < 100; i++)
		kept = kept && b[i] == 'a';
	CHECK("realloc in place keeps the bytes", kept);

	/* An older one is copied. */
	unsigned char *c = mem->calloc(10, 1);
	memset(c, 'c', 10);
	unsigned char *d = mem->realloc(b, 6000);
	CHECK("realloc of an older allocation moves it", d != b);
	kept = 1;
	for (int i = 0; i < 100; i++)
		kept = kept && d[i] == 'a';
	CHECK("realloc by copy keeps the bytes", kept);
	CHECK("a neighbour is untouched", c[0] == 'c' && c[9] == 'c');

	/* Larger than any chunk so far: a chunk of its own. */
	size_t big = (size_t)5 << 20;
	unsigned char *e = mem->calloc(big, 1);
	e[0] = 1, e[big - 1] = 2;
	CHECK("a 5 MB allocation is usable end to end", e[0] == 1 && e[big - 1] == 2 && e[big / 2] == 0);

	/* Freed blocks: kept as they are unless recycling is on. */
	unsigned char *f = mem->calloc(1, 168), *g = mem->calloc(1, 40);
	memset(f, 'f', 168);
	mem->free(f);
	unsigned char *h = mem->calloc(1, 168);
	CHECK("without recycling, a freed block is not reused", h != f && f[0] == 'f' && f[167] == 'f');
	arena_recycle(1);
	mem->free(f);
	mem->free(g);
	unsigned char *i = mem->calloc(1, 170); /* the same 16-byte class as 168 */
	CHECK("while recycling, a freed block of the class is reused", i == f);
	CHECK("a reused block is zeroed", zeroed(i, 170));
	unsigned char *j = mem->calloc(1, 300);
	CHECK("a larger size is not taken from a smaller class", j != g && j != f);
	arena_recycle(0);

	/* A node made in another thread joins a tree made here. */
	cmark_node *doc = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, mem);
	cmark_node *para = NULL;
	thrd_t t;
	CHECK("a thread starts", thrd_create(&t, other_thread, &para) == thrd_success);
	thrd_join(t, NULL);
	CHECK("its node links into this thread's tree", para != NULL && cmark_node_append_child(doc, para));

	arena_release();
	cmark_node *parsed = md_parse("# T\n\nSome *text* and `code`.\n", 29, 1);
	struct md_hooks none;
	memset(&none, 0, sizeof none);
	char *html = md_html(parsed, 0, &none);
	CHECK_STR("a parse after a release renders", html,
	          "<h1>T</h1>\n<p>Some <em>text</em> and <code>code</code>.</p>\n");
	free(html);
	md_release();
	return check_failures != 0;
}
