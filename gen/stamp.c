/* stamp.c: the inputs hash (stamp.h). */
#define _GNU_SOURCE
#include "stamp.h"

#include <elf.h>
#include <link.h>
#include <string.h>

uint64_t stamp_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t stamp_add_str(uint64_t h, const char *s)
{
	if (s == NULL)
		return stamp_add(h, "\xff", 1);
	return stamp_add(h, s, strlen(s) + 1);
}

struct build_id {
	const unsigned char *id;
	size_t len;
};

/* dl_iterate_phdr's callback: the first object is the executable; finds
 * the NT_GNU_BUILD_ID note among its PT_NOTE segments, and stops. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_id *b = data;
	(void)size;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *note = (const ElfW(Nhdr) *)(const void *)p;
			size_t name = (note->n_namesz + 3) & ~(size_t)3, desc = (note->n_descsz + 3) & ~(size_t)3;
			if ((size_t)(end - p) - sizeof *note < name + desc)
				break;
			if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
			    memcmp(p + sizeof *note, "GNU", 4) == 0 && note->n_descsz > 0) {
				b->id = p + sizeof *note + name;
				b->len = note->n_descsz;
				return 1;
			}
			p += sizeof *note + name + desc;
		}
	}
	return 1;
}

int stamp_add_build(uint64_t *h)
{
	struct build_id b = {0};
	dl_iterate_phdr(find_build_id, &b);
	if (b.id == NULL)
		return -1;
	*h = stamp_add(*h, b.id, b.len);
	return 0;
}

uint64_t stamp_add_guides(uint64_t h, const struct model_library *lib)
{
	for (size_t i = 0; i < lib->nguides; i++) {
		const struct load_file *f = lib->guides[i]->file;
		const struct load_meta *m = &f->meta;
		/* the slug, not the path: the outputs name a guide by its slug, and
		 * the same guide built from another directory or content path must
		 * make the same bytes (tests/t_install.sh) */
		h = stamp_add_str(h, f->slug);
		h = stamp_add(h, f->text, f->len);
		const char *fields[] = {m->title, m->author, m->lang, m->date, m->id, m->description,
		                        m->depth_numbering};
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
			h = stamp_add_str(h, fields[k]);
	}
	return h;
}
