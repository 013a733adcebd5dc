/* hash.h: FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/), the one
 * hash depthbook writes by hand: the inputs' stamps and the units' keys
 * (stamp.h), the EPUB's derived identifier, the cover's hue. Not for
 * hostile collisions: it tells edits apart. Inline, so that the EPUB
 * module has it without a symbol from the executable. */
#ifndef DEPTHBOOK_HASH_H
#define DEPTHBOOK_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The offset basis each hash starts from, and the prime each byte is
 * multiplied by, of the 32- and 64-bit variants. */
#define FNV1A32_OFFSET 2166136261u
#define FNV1A32_PRIME 16777619u
#define FNV1A64_OFFSET 0xcbf29ce484222325ULL
#define FNV1A64_PRIME 0x100000001b3ULL

/* The hash so far, h, extended by n bytes at p (start from FNV1A64_OFFSET). */
static inline uint64_t fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV1A64_PRIME;
	return h;
}

/* The same, 32 bits wide (start from FNV1A32_OFFSET). */
static inline uint32_t fnv1a32(uint32_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV1A32_PRIME;
	return h;
}

#endif
