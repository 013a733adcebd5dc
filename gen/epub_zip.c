/* epub_zip.c: packing a book into an OCF container, in memory, byte for
 * byte reproducible (zipmem.c). The pages come deflated as epub_book.c
 * made them; the rest is deflated here. */
#include "epub.h"
#include "zipmem.h"

int epub_zip(const struct epub_entry *entries, size_t n, long long time, const char *name, char **data,
             size_t *len)
{
	struct zipmem z;
	if (zipmem_open(&z, name, time) != 0)
		return -1;
	int status = 0;
	for (size_t i = 0; i < n && status == 0; i++) {
		const struct epub_entry *e = &entries[i];
		/* stored entries (mimetype: OCF 3.0 §4.3) get no extra field */
		if (e->stored)
			status = zipmem_add(&z, e->path, e->data, e->len, ZIPMEM_STORED);
		else if (e->deflated)
			status = zipmem_add_deflated(&z, e->path, e->data, e->len, e->size, e->crc, 0);
		else
			status = zipmem_add(&z, e->path, e->data, e->len, 0);
	}
	return zipmem_close(&z, data, len);
}
