/* arena.c: the cmark tree's memory (see arena.h). */
#define _DEFAULT_SOURCE
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define FIRST_CHUNK HUGE_PAGE
#define LARGEST_CHUNK ((size_t)64 << 20)
#define ALIGN 16

/* A chunk: its mapping, and the bump pointer within it. */
struct chunk {
	struct chunk *prev;
	void *map;         /* what munmap takes back */
	size_t maplen;
	char *next, *end;  /* free space */
};

/* Every allocation is preceded by its size, for realloc. */
struct head {
	size_t size;
	size_t pad;        /* keeps the data ALIGN-aligned */
};

static struct chunk *chunks;
static char *last;         /* the most recent allocation, which may grow in place */

static void out_of_memory(void)
{
	fputs("depthbook: out of memory\n", stderr);
	abort();
}

/* A new chunk with room for at least need bytes, its start on a huge page
 * boundary so that the kernel can back it with huge pages. */
static void new_chunk(size_t need)
{
	size_t size = chunks ? (size_t)(chunks->end - (char *)chunks) * 2 : FIRST_CHUNK;
	if (size > LARGEST_CHUNK)
		size = LARGEST_CHUNK;
	while (size < need + sizeof(struct chunk) + ALIGN)
		size *= 2;
	size_t maplen = size + HUGE_PAGE;
	void *map = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		out_of_memory();
	char *start = (char *)(((uintptr_t)map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	madvise(start, size, MADV_HUGEPAGE); /* a hint: without it, 4 KB pages */
	struct chunk *c = (struct chunk *)start;
	c->prev = chunks;
	c->map = map;
	c->maplen = maplen;
	c->next = start + ((sizeof *c + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	c->end = start + size;
	chunks = c;
}

static void *take(size_t size)
{
	size_t need = sizeof(struct head) + ((size + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	if (size > SIZE_MAX / 2)
		out_of_memory();
	if (chunks == NULL || (size_t)(chunks->end - chunks->next) < need)
		new_chunk(need);
	struct head *h = (struct head *)chunks->next;
	h->size = size;
	chunks->next += need;
	last = (char *)(h + 1);
	return last; /* fresh mapped memory: already zero */
}

static void *arena_calloc(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		out_of_memory();
	return take(count * size);
}

static void *arena_realloc(void *p, size_t size)
{
	if (p == NULL)
		return take(size);
	struct head *h = (struct head *)p - 1;
	/* The most recent allocation grows in place while its chunk has room
	 * (cmark's buffers grow one at a time). */
	size_t have = (h->size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	size_t want = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if ((char *)p == last && size >= h->size && want - have <= (size_t)(chunks->end - chunks->next)) {
		chunks->next += want - have;
		h->size = size;
		return p;
	}
	if (size <= h->size) {
		h->size = size;
		return p;
	}
	void *q = take(size);
	memcpy(q, p, h->size);
	return q;
}

static void arena_free(void *p)
{
	(void)p;
}

cmark_mem *arena_mem(void)
{
	static cmark_mem mem = {arena_calloc, arena_realloc, arena_free};
	return &mem;
}

void arena_release(void)
{
	while (chunks != NULL) {
		struct chunk *c = chunks;
		chunks = c->prev;
		munmap(c->map, c->maplen);
	}
	last = NULL;
}
