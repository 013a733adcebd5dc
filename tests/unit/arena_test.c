/* arena_test.c: the cmark tree's allocator (gen/arena.c): zeroed and
 * aligned memory, realloc that keeps the data (in place or by copying),
 * chunks larger than the first, and a parse through it after a release. */
#include "../../gen/arena.h"
#include "../../gen/md.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>

int main(void)
{
	cmark_mem *mem = arena_mem();
	unsigned char *a = mem->calloc(100, 1);
	int zero = 1;
	for (int i = 0; i < 100; i++)
		zero = zero && a[i] == 0;
	CHECK("calloc gives zeroed memory", zero);
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
	mem->free(e);

	arena_release();
	cmark_node *doc = md_parse("# T\n\nSome *text* and `code`.\n", 29, 1);
	struct md_hooks none;
	memset(&none, 0, sizeof none);
	char *html = md_html(doc, 0, &none);
	CHECK_STR("a parse after a release renders", html,
	          "<h1>T</h1>\n<p>Some <em>text</em> and <code>code</code>.</p>\n");
	free(html);
	md_release();
	return check_failures != 0;
}
