/* arena.h: the memory the cmark tree lives in. A bump allocator over large
 * chunks that asks the kernel for transparent huge pages, released all at
 * once: a 100x guide's tree is about 120 MB, and faulting that in 4 KB pages
 * was a fifth of a check. */
#ifndef DEPTHBOOK_ARENA_H
#define DEPTHBOOK_ARENA_H

#include <cmark-gfm.h>

/* The allocator to give cmark-gfm (parser and nodes). free is a no-op. */
cmark_mem *arena_mem(void);

/* Returns every chunk to the system; all memory from arena_mem is gone. */
void arena_release(void);

#endif
