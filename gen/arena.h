/* arena.h: the memory the cmark trees live in. A bump allocator released
 * all at once (freeing a 100x guide's nodes one by one was a sixth of a
 * check), with chunks of its own for every thread that allocates: md parses
 * a large guide in two threads, and cmark-gfm's own arena is one global. */
#ifndef DEPTHBOOK_ARENA_H
#define DEPTHBOOK_ARENA_H

#include <cmark-gfm.h>

/* The allocator to give cmark-gfm (parsers and nodes); the same for every
 * thread, so that nodes made in different threads can be linked. */
cmark_mem *arena_mem(void);

/* Whether this thread's frees keep small blocks for reuse (otherwise free
 * is a no-op). md turns it on while cmark-gfm parses: a parse frees two
 * thirds of what it allocates (text nodes merged, delimiters), and nobody
 * else holds those blocks. Outside a parse, freed memory stays as it was,
 * so that a pointer kept into a freed node never sees another's data. */
void arena_recycle(int on);

/* Returns every thread's chunks to the system: all memory from arena_mem
 * is gone. Only while no other thread allocates. */
void arena_release(void);

#endif
