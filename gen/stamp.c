/* stamp.c: the inputs hash (stamp.h). */
#define _GNU_SOURCE /* st_mtim, dl_iterate_phdr */
#include "stamp.h"
#include "anki.h"
#include "epub.h"
#include "escape.h"
#include "link.h"
#include "md.h"
#include "util.h"

#include <dirent.h>
#include <elf.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

uint64_t stamp_add(uint64_t h, const void *p, size_t n)
{
	return fnv1a64(h, p, n);
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

/* Extends h by a file's identity: its path, device, inode, size, mode and
 * modification time (a replaced or edited file changes one of them).
 * Returns -1 when there is no such file. */
static int add_stat(uint64_t *h, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	long long v[] = {(long long)st.st_dev, (long long)st.st_ino, (long long)st.st_size,
	                 (long long)st.st_mode, (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec};
	*h = stamp_add(stamp_add_str(*h, path), v, sizeof v);
	return 0;
}

/* Extends h by everything under path, in name order (so that two file
 * systems' directory orders give one hash): each entry's name below the
 * top (rel) and each file's bytes, so that the same theme installed
 * elsewhere gives the same key (the cards print it: tests/t_install.sh);
 * or by its absence, since a theme without files for an output is a
 * theme too. A theme is a few dozen kilobytes: reading it costs less than
 * a stat of every output. */
static void add_tree(uint64_t *h, const char *path, const char *rel)
{
	size_t len;
	char *bytes = read_whole(path, &len);
	if (bytes != NULL) {
		*h = stamp_add(stamp_add(stamp_add_str(*h, rel), &len, sizeof len), bytes, len);
		free(bytes);
		return;
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	*h = stamp_add_str(stamp_add_str(*h, rel), n < 0 ? "missing" : "directory");
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
			char *child = xasprintf("%s/%s", path, name);
			char *child_rel = xasprintf("%s/%s", rel, name);
			add_tree(h, child, child_rel);
			free(child_rel);
			free(child);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* The options that reach each output, so that --epub-quiz re-typesets no
 * card. An output missing here is keyed by every option. */
/* OPT_FILES: the output copies or packs the files a guide links to.
 * OPT_NEXT: it prints the guide after this one in the library (the site's
 * pager on the last question: "Next guide" with its title). */
enum { OPT_SMART = 1, OPT_BASE_URL = 2, OPT_QUIZ = 4, OPT_CARDS = 8, OPT_MODULE = 16, OPT_FILES = 32,
       OPT_NEXT = 64, OPT_ALL = 127 };
static const struct {
	const char *output, *theme;
	int options;
	char *(*module)(void); /* OPT_MODULE: where its loadable module is */
} outputs[] = {
	{"html", "site", OPT_SMART | OPT_BASE_URL | OPT_FILES | OPT_NEXT, NULL},
	{"epub", "epub", OPT_SMART | OPT_BASE_URL | OPT_QUIZ | OPT_MODULE | OPT_FILES, epub_module_path},
	/* Not the SVG module's file: the cards print their key, which must not
	 * name where depthbook is installed (tests/t_install.sh), and
	 * where_load refuses a module of another build, so the build's id
	 * stands for it. */
	{"cards", "cards", OPT_SMART | OPT_CARDS | OPT_FILES, NULL},
	{"anki", "anki", OPT_SMART | OPT_BASE_URL | OPT_MODULE | OPT_FILES, anki_module_path},
};

/* The options of output (OPT_*), the name of its theme directory, and
 * the path of its module (caller frees), or NULL. */
static int output_options(const char *output, const char **theme, char **module)
{
	for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++)
		if (strcmp(outputs[i].output, output) == 0) {
			*theme = outputs[i].theme;
			if (module != NULL)
				*module = outputs[i].module ? outputs[i].module() : NULL;
			return outputs[i].options;
		}
	*theme = output;
	if (module != NULL)
		*module = NULL;
	return OPT_ALL;
}

int stamp_output(const struct render_opts *opts, const char *output, uint64_t *base)
{
	uint64_t h = STAMP_START;
	if (stamp_add_build(&h) != 0)
		return -1;
	const char *theme = output;
	char *module;
	int options = output_options(output, &theme, &module);
	long long v[] = {md_version(), options & OPT_SMART ? opts->smart : -1,
	                 options & OPT_QUIZ ? opts->epub_quiz : -1,
	                 options & OPT_CARDS ? (long long)opts->duplex : -1,
	                 options & OPT_CARDS ? (long long)opts->sides : -1};
	h = stamp_add(stamp_add_str(h, output), v, sizeof v);
	h = stamp_add(h, &(int){options}, sizeof options);
	if (options & OPT_BASE_URL)
		h = stamp_add_str(h, opts->base_url);
	if (options & OPT_CARDS) {
		double mm[] = {opts->back_offset_x, opts->back_offset_y};
		h = stamp_add_str(stamp_add(h, mm, sizeof mm), opts->paper);
	}
	int r = module != NULL ? add_stat(&h, module) : 0;
	free(module);
	if (r != 0)
		return -1;
	char *dir = xasprintf("%s/%s", opts->theme_dir, theme);
	add_tree(&h, dir, theme);
	free(dir);
	*base = h;
	return 0;
}

/* Extends h by what a link to another guide's unit can print there: its
 * labels and the site page that shows it (a section gets a page of its
 * own while it has no questions). */
static uint64_t add_target(uint64_t h, const struct link_target *t)
{
	h = stamp_add_str(stamp_add_str(h, t->guide->slug), t->guide->title);
	char *page = link_site_page(t);
	h = stamp_add_str(h, page);
	free(page);
	if (t->section != NULL) {
		h = stamp_add(h, &t->section->number, sizeof t->section->number);
		h = stamp_add_str(stamp_add_str(h, t->section->id), t->section->title_text);
	}
	if (t->question != NULL) {
		h = stamp_add(h, &t->question->number, sizeof t->question->number);
		h = stamp_add_str(stamp_add_str(h, t->question->id), t->question->title_text);
	}
	if (t->depth != NULL) {
		h = stamp_add(h, &t->depth->number, sizeof t->depth->number);
		h = stamp_add_str(stamp_add_str(stamp_add_str(h, t->depth->id), t->depth->anchor),
		                  t->depth->question_text);
	}
	return h;
}

uint64_t stamp_guide(const struct model_library *lib, const struct model_guide *g,
                     const struct render_opts *opts)
{
	const struct load_file *f = g->file;
	const struct load_meta *m = &f->meta;
	/* the slug, not the path: the outputs name a guide by its slug, and the
	 * same guide built from another directory must make the same bytes
	 * (the .tex prints this key; tests/t_install.sh) */
	uint64_t h = stamp_add_str(STAMP_START, g->slug);
	h = stamp_add(h, &f->len, sizeof f->len);
	h = stamp_add(h, f->text, f->len);
	const char *fields[] = {m->title, m->author, m->lang, m->date, m->id, m->description, m->depth_numbering};
	for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
		h = stamp_add_str(h, fields[k]);
	long long date = render_date(opts, g);
	h = stamp_add(h, &date, sizeof date);
	for (size_t i = 0; i < g->nlinks; i++) {
		const char *url = g->links[i].url;
		if (url == NULL)
			continue;
		struct link_target t;
		enum link_kind kind = link_resolve(lib, g, url, &t);
		h = stamp_add(h, &kind, sizeof kind);
		if (t.guide != NULL && t.guide != g)
			h = add_target(h, &t);
	}
	return h;
}

uint64_t stamp_key(uint64_t base, const char *output, uint64_t guide, const struct model_library *lib,
                   const struct model_guide *g)
{
	uint64_t h = stamp_add(base, &guide, sizeof guide);
	const char *theme;
	int options = output_options(output, &theme, NULL);
	if (options & OPT_NEXT) {
		size_t k = 0;
		while (k < lib->nguides && lib->guides[k] != g)
			k++;
		const struct model_guide *next = k + 1 < lib->nguides ? lib->guides[k + 1] : NULL;
		h = stamp_add_str(h, next ? next->slug : "(last)");
		h = stamp_add_str(h, next ? next->title : "");
	}
	if (!(options & OPT_FILES))
		return h;
	/* linked files are found beside the guide, as the renderers find them */
	for (size_t i = 0; i < g->nlinks; i++) {
		const char *url = g->links[i].url;
		struct link_target t;
		if (url == NULL || link_resolve(lib, g, url, &t) != LINK_FILE)
			continue;
		char *path = link_file_path(g, url, NULL);
		if (add_stat(&h, path) != 0)
			h = stamp_add_str(stamp_add_str(h, path), "missing");
		free(path);
	}
	return h;
}
