/* plan.h: which guides a build renders. Each guide's files of each output
 * are keyed by what they are made from (stamp_guide); a build that
 * succeeds leaves OUT/.depthbook-outputs: every key, every file and
 * directory of OUT with its size, modification time and inode, and ("x"
 * lines) which of them no build wrote, which no build replaces or removes
 * (marked when a renderer warned or OUT holds what cannot be listed: then
 * the next build renders every guide and so warns again). The next build renders, of each output it is asked for, only the
 * guides whose key changed (and, when any does, the library-wide files:
 * site index, search index, sitemap); when none changed, no guide was
 * added or removed and OUT still matches its list exactly, it is current:
 * nothing is rendered and nothing in OUT is touched. When OUT does not
 * match its list (an output deleted or edited by hand), or there is no
 * list, every guide renders. */
#ifndef DEPTHBOOK_PLAN_H
#define DEPTHBOOK_PLAN_H

#include "model.h"
#include "render.h"

#include <stddef.h>
#include <stdint.h>

#define PLAN_LIST ".depthbook-outputs"

struct plan {
	const struct renderer *renderers; /* NULL-terminated, as main's table */
	size_t noutputs, nguides;
	/* todo[r * nguides + i]: output r renders guide i (only for wanted r) */
	unsigned char *todo;
	uint64_t *keys;      /* the same layout: guide i's key for output r */
	int *want;           /* want[r], copied */
	const char **slugs;  /* slugs[i], borrowed from the library */
	int keyed;           /* every key could be made: the list can be written */
	int current;         /* nothing to render */
	char *carried;       /* the previous list's keys of outputs not asked for */
	/* What the previous list says the last build wrote: the paths of its
	 * files and directories, sorted (into owned_text), and the guides of
	 * wanted outputs it rendered that the library no longer holds. */
	char *owned_text;
	const char **owned;
	size_t nowned;
	/* What OUT held before this build that no build wrote, sorted (into
	 * foreign_text): a user's files, which the build must not replace. */
	char *foreign_text;
	const char **foreign;
	size_t nforeign;
	struct plan_gone { size_t output; char *slug; } *gone;
	size_t ngone;
};

/* Plans a build of the wanted renderers (want[r] for rs[r]) of lib into
 * out_dir. Always succeeds; p is freed with plan_free. */
void plan_make(struct plan *p, const struct renderer *rs, const int *want,
               const struct model_library *lib, const struct render_opts *opts, const char *out_dir);

/* How many guides of output r the plan renders. */
size_t plan_count(const struct plan *p, size_t r);

/* Removes from staging, the build's staging directory, the files that a
 * guide the last build rendered and the library no longer holds left there
 * (its guide_files, render.h, for each output the build renders), and
 * tells out.c which files the last build wrote, the only ones out_prune
 * may remove, and which no build wrote, which out_write may not replace. Only what the previous list names is removed: a file a user
 * put in out/ stays. Returns 0, or -1 after a diagnostic. */
int plan_prune(const struct plan *p, const char *staging);

/* Writes the list into staging, the build's staging directory, listing
 * everything in it and which of it no build wrote, marked when clean is 0
 * (a renderer warned: the next build renders every guide, so it warns
 * again, but still knows what this build wrote), when something there
 * cannot be listed or the plan is not keyed. Returns 0, or -1 after a
 * diagnostic. */
int plan_record(const struct plan *p, const char *staging, int clean);

void plan_free(struct plan *p);

#endif
