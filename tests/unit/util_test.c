/* util_test.c: xasprintf (gen/util.c) formats short strings through its
 * stack buffer and long ones on the heap, alike; path_dir's three cases. */
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
	const char *paths[][2] = {{"content/a.md", "content"}, {"a.md", "."}, {"/a.md", "/"}};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char *name = xasprintf("the directory of %s", paths[i][0]), *dir = path_dir(paths[i][0]);
		CHECK_STR(name, dir, paths[i][1]);
		free(name), free(dir);
	}
	return check_failures != 0;
}
