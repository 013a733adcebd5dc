/* util_test.c: xasprintf (gen/util.c) formats short strings through its
 * stack buffer and long ones on the heap, alike; path_dir's three cases;
 * the string index (strindex) finds what it holds, and nothing else;
 * utf8_cut never splits a character. */
#include "../../gen/util.h"
#include "check.h"

#include <stdlib.h>

int main(void)
{
	char *s = xasprintf("%s-%d", "short", 42);
	CHECK_STR("a short string", s, "short-42");
	free(s);
	char *empty = xasprintf("%s", "");
	CHECK_STR("an empty string", empty, "");
	free(empty);
	for (size_t len = 250; len <= 260; len++) {
		char *arg = malloc(len + 1);
		memset(arg, 'x', len);
		arg[len] = '\0';
		char *got = xasprintf("<%s>", arg);
		int ok = strlen(got) == len + 2 && got[0] == '<' && got[len + 1] == '>' &&
		         got[1] == 'x' && got[len] == 'x';
		char name[64];
		snprintf(name, sizeof name, "a %zu-byte string around the stack buffer's size", len + 2);
		CHECK(name, ok);
		free(got);
		free(arg);
	}
	char *big = malloc(100001);
	memset(big, 'y', 100000);
	big[100000] = '\0';
	char *got = xasprintf("%s!", big);
	CHECK("a 100 KB string", strlen(got) == 100001 && got[100000] == '!' && got[99999] == 'y');
	free(got);
	free(big);
	/* utf8_cut: shorter text whole; a cut inside "ü" (2 bytes) or "😀"
	 * (4) backs up to the character's first byte */
	CHECK_INT("a string shorter than the cut", utf8_cut("abc", 60), 3);
	CHECK_INT("a string of exactly the cut", utf8_cut("abc", 3), 3);
	CHECK_INT("a cut between characters", utf8_cut("abcdef", 3), 3);
	CHECK_INT("a cut inside a 2-byte character", utf8_cut("ab\xc3\xbc", 3), 2);
	CHECK_INT("a cut after a 2-byte character", utf8_cut("ab\xc3\xbcx", 4), 4);
	for (size_t max = 1; max <= 4; max++) {
		char name[64];
		snprintf(name, sizeof name, "a cut %zu bytes into a 4-byte character", max);
		CHECK_INT(name, utf8_cut("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 4 + max), max == 4 ? 8 : 4);
	}
	const char *paths[][2] = {{"content/a.md", "content"}, {"a.md", "."}, {"/a.md", "/"}};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char *name = xasprintf("the directory of %s", paths[i][0]), *dir = path_dir(paths[i][0]);
		CHECK_STR(name, dir, paths[i][1]);
		free(name), free(dir);
	}
	/* the string index: every key found with its value, through the
	 * table's growth; a missing key, an empty one and a replaced value */
	struct strindex x = {0};
	CHECK_INT("an empty index finds nothing", strindex_get(&x, "a"), STRINDEX_NONE);
	enum { NKEYS = 5000 };
	char **keys = malloc(NKEYS * sizeof *keys);
	for (size_t i = 0; i < NKEYS; i++) {
		keys[i] = xasprintf("img/i%zu.png", i);
		strindex_put(&x, keys[i], i);
	}
	size_t found = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		char *probe = xasprintf("img/i%zu.png", i); /* an equal string, not the key itself */
		found += strindex_get(&x, probe) == i;
		free(probe);
	}
	CHECK_INT("5000 keys each found with its own value", found, NKEYS);
	CHECK_INT("the index counts each key once", x.n, NKEYS);
	CHECK("the index stays at most half full", 2 * x.n <= x.cap);
	CHECK_INT("a key never put is not found", strindex_get(&x, "img/i5000.png"), STRINDEX_NONE);
	CHECK_INT("nor is an empty key", strindex_get(&x, ""), STRINDEX_NONE);
	strindex_put(&x, keys[7], 42);
	CHECK_INT("putting a key again replaces its value", strindex_get(&x, "img/i7.png"), 42);
	CHECK_INT("and does not count it twice", x.n, NKEYS);
	strindex_clear(&x);
	CHECK("a cleared index is empty", x.n == 0 && x.cap == 0 && x.keys == NULL);
	CHECK_INT("and finds nothing", strindex_get(&x, "img/i1.png"), STRINDEX_NONE);
	for (size_t i = 0; i < NKEYS; i++)
		free(keys[i]);
	free(keys);
	return check_failures != 0;
}
