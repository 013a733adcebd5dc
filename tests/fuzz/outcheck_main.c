/* outcheck_main.c: `outcheck FILE…` runs outcheck_file on each file and
 * prints "FILE: problem" for each failure; exit 1 if any. */
#include "outcheck.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		char *data = malloc((size_t)n + 1);
		size_t got = fread(data, 1, (size_t)n, f);
		fclose(f);
		const char *problem = outcheck_file(argv[i], data, got);
		if (problem != NULL) {
			printf("%s: %s\n", argv[i], problem);
			bad = 1;
		}
		free(data);
	}
	return bad;
}
