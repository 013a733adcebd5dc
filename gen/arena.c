/* arena.c: the cmark trees' memory (see arena.h). */
#define _DEFAULT_SOURCE
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <threads.h>

#define FIRST_CHUNK ((size_t)1 << 20)
#define LARGEST_CHUNK ((size_t)64 << 20)
#define ALIGN 16

/* A chunk: its mapping, and the bump pointer within it. */
struct chunk {
	struct chunk *prev;
	size_t size;       /* of the mapping, this header included */
	char *next, *end;  /* free space */
};

/* Blocks up to this size freed while recycling is on are kept, by size
 * class (16 bytes apart), for the next allocation of their class. */
#define RECYCLED_MAX 256
#define CLASSES (RECYCLED_MAX / 16 + 1)

/* One thread's chunks, newest first, and its latest allocation, which may
 * grow in place (cmark's buffers grow one at a time); its freed blocks. */
struct arena {
	struct arena *next_arena;
	struct chunk *chunks;
	char *last;
	int recycling;
	void *freed[CLASSES]; /* lists linked through each block's first word */
};

/* Every allocation is preceded by its size, for realloc. */
struct head {
	size_t size;
	size_t pad;        /* keeps the data ALIGN-aligned */
};

static _Thread_local struct arena *mine;
static struct arena *all;  /* every thread's, for arena_release */
static mtx_t all_lock;
static once_flag all_lock_once = ONCE_FLAG_INIT;

static void out_of_memory(void)
{
	fputs("depthbook: out of memory\n", stderr);
	abort();
}

/* call_once's: the lock on the list of arenas. */
static void init_lock(void)
{
	if (mtx_init(&all_lock, mtx_plain) != thrd_success)
		out_of_memory();
}

/* This thread's arena, made and listed on its first allocation. */
static struct arena *arena(void)
{
	if (mine != NULL)
		return mine;
	mine = calloc(1, sizeof *mine);
	if (mine == NULL)
		out_of_memory();
	call_once(&all_lock_once, init_lock);
	mtx_lock(&all_lock);
	mine->next_arena = all;
	all = mine;
	mtx_unlock(&all_lock);
	return mine;
}

/* A new chunk with room for at least need bytes, twice the last one's size
 * (up to a limit). Fresh mappings read as zero, which calloc relies on. */
static void new_chunk(struct arena *a, size_t need)
{
	size_t size = a->chunks ? a->chunks->size * 2 : FIRST_CHUNK;
	if (size > LARGEST_CHUNK)
		size = LARGEST_CHUNK;
	while (size < need + sizeof(struct chunk) + ALIGN)
		size *= 2;
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		out_of_memory();
	struct chunk *c = map;
	c->prev = a->chunks;
	c->size = size;
	c->next = (char *)map + ((sizeof *c + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	c->end = (char *)map + size;
	a->chunks = c;
}

/* size bytes (zero: fresh from a mapping) bumped off a's newest chunk,
 * or off a new one. */
static void *take(struct arena *a, size_t size)
{
	if (size > SIZE_MAX / 2)
		out_of_memory();
	size_t need = sizeof(struct head) + ((size + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	if (a->chunks == NULL || (size_t)(a->chunks->end - a->chunks->next) < need)
		new_chunk(a, need);
	struct head *h = (struct head *)a->chunks->next;
	h->size = size;
	a->chunks->next += need;
	a->last = (char *)(h + 1);
	return a->last;
}

/* cmark_mem's calloc: a recycled block of the size's class, zeroed, or
 * a fresh one. */
static void *arena_calloc(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		out_of_memory();
	struct arena *a = arena();
	size *= count;
	void **list = size <= RECYCLED_MAX ? &a->freed[(size + 15) / 16] : NULL;
	if (list != NULL && *list != NULL) {
		void *p = *list;
		*list = *(void **)p;
		((struct head *)p - 1)->size = size;
		return memset(p, 0, size);
	}
	return take(a, size);
}

/* cmark_mem's realloc: in place for the latest allocation while its
 * chunk has room, else a copy (the old block stays until the release). */
static void *arena_realloc(void *p, size_t size)
{
	struct arena *a = arena();
	if (p == NULL)
		return take(a, size);
	struct head *h = (struct head *)p - 1;
	size_t have = (h->size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	size_t want = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if ((char *)p == a->last && size >= h->size &&
	    want - have <= (size_t)(a->chunks->end - a->chunks->next)) {
		a->chunks->next += want - have;
		h->size = size;
		return p;
	}
	if (size <= h->size) {
		h->size = size;
		return p;
	}
	void *q = take(a, size);
	memcpy(q, p, h->size);
	return q;
}

/* cmark_mem's free: keeps a small block for reuse while this thread
 * recycles; otherwise nothing (arena_release returns it all). */
static void arena_free(void *p)
{
	struct arena *a = mine;
	if (p == NULL || a == NULL || !a->recycling)
		return;
	size_t size = ((struct head *)p - 1)->size;
	if (size <= RECYCLED_MAX && (char *)p != a->last) {
		void **list = &a->freed[(size + 15) / 16];
		*(void **)p = *list;
		*list = p;
	}
}

void arena_recycle(int on)
{
	arena()->recycling = on;
}

cmark_mem *arena_mem(void)
{
	static cmark_mem mem = {arena_calloc, arena_realloc, arena_free};
	return &mem;
}

void arena_release(void)
{
	while (all != NULL) {
		struct arena *a = all;
		all = a->next_arena;
		while (a->chunks != NULL) {
			struct chunk *c = a->chunks;
			a->chunks = c->prev;
			munmap(c, c->size);
		}
		free(a);
	}
	mine = NULL;
}
