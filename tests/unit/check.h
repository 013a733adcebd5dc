/* check.h: a three-macro test harness in the manner of cmark's api_test.
 * Each CHECK prints "PASS name" or "FAIL name: why"; tests/run.sh counts
 * those lines. */
#ifndef DEPTHBOOK_CHECK_H
#define DEPTHBOOK_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond)                                                        \
	do {                                                                     \
		if (cond) {                                                      \
			printf("PASS %s\n", name);                               \
		} else {                                                         \
			printf("FAIL %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__); \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#define CHECK_INT(name, got, want)                                               \
	do {                                                                     \
		long long g_ = (long long)(got), w_ = (long long)(want);         \
		if (g_ == w_) {                                                  \
			printf("PASS %s\n", name);                               \
		} else {                                                         \
			printf("FAIL %s: got %lld, want %lld (%s:%d)\n", name, g_, w_, __FILE__, __LINE__); \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#define CHECK_STR(name, got, want)                                               \
	do {                                                                     \
		const char *g_ = (got), *w_ = (want);                            \
		if (g_ != NULL && strcmp(g_, w_) == 0) {                         \
			printf("PASS %s\n", name);                               \
		} else {                                                         \
			printf("FAIL %s: got \"%s\", want \"%s\" (%s:%d)\n", name, g_ ? g_ : "(null)", w_, __FILE__, __LINE__); \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#endif
