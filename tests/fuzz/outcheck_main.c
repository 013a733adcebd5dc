/* outcheck_main.c: `outcheck FILE…` runs outcheck_file on each file (and
 * outcheck_tex on each .tex, against themes/default/cards/cards.tex) and
 * prints "FILE: problem" for each failure; exit 1 if any. */
#include "outcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	int bad = 0;
	size_t tlen;
	char *template = slurp("themes/default/cards/cards.tex", &tlen);
	for (int i = 1; i < argc; i++) {
		size_t got;
		char *data = slurp(argv[i], &got);
		if (data == NULL) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		size_t n = strlen(argv[i]);
		const char *problem;
		if (n > 4 && strcmp(argv[i] + n - 4, ".tex") == 0)
			problem = template ? outcheck_tex(template, data) : "no themes/default/cards/cards.tex to compare with";
		else
			problem = outcheck_file(argv[i], data, got);
		if (problem != NULL) {
			printf("%s: %s\n", argv[i], problem);
			bad = 1;
		}
		free(data);
	}
	free(template);
	return bad;
}
