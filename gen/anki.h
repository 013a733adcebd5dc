/* anki.h: the Anki deck: out/anki/<slug>.txt (Anki's text import format)
 * and out/anki/<slug>.apkg with out/anki/library.apkg (Anki packages,
 * gen/apkg.c). anki.c turns the model into notes once; both formats are
 * written from them. */
#ifndef DEPTHBOOK_ANKI_H
#define DEPTHBOOK_ANKI_H

#include "render.h"

#include <stddef.h>

/* One note (one card): a main question or a follow-up. Every string is
 * owned by the deck. */
struct anki_note {
	const char *guid;         /* the unit's identity key (ident.h), borrowed */
	char *label;              /* "Q1 · Depth 12", HTML */
	char *section;            /* "1. Service design", HTML */
	char *question;           /* HTML */
	char *answer;             /* HTML */
	char *link;               /* the unit's page on the site (--base-url), or "" */
	char *tags;               /* "slug s1-service-design q1 depth-12" */
};

/* A file a note shows (an image), under the name the fields use: "db-"
 * and 16 hex digits of its content, then its extension, so that one
 * image has one name across guides and builds (Anki's media folder is
 * flat). */
struct anki_media {
	char *name;
	char *data;
	size_t len;
};

/* One guide's notes in guide order, and the media they show. */
struct anki_deck {
	const struct model_guide *guide;
	char *name;               /* the deck's name: the guide's title on one line, no "::" */
	long long id;             /* stable across builds: from the guide's identifier */
	struct anki_note *notes;
	size_t nnotes, capnotes;
	struct anki_media *media;
	size_t nmedia, capmedia;
};

/* Writes every guide's text deck and packages; 0, or -1 after diagnostics. */
int anki_render(const struct model_library *lib, const struct render_opts *opts);

/* The packages, from the decks anki_render made (gen/apkg.c, in the module
 * gen/depthbook-apkg.so with libsqlite3 and libzip): OUT/anki/<slug>.apkg
 * per deck and OUT/anki/library.apkg with every deck as a subdeck. Returns
 * 0, or -1 after a diagnostic. */
int apkg_write(const struct anki_deck *decks, size_t ndecks, const struct render_opts *opts);

/* The module's path: the executable's own plus "-apkg.so" (so that
 * gen/depthbook-san loads gen/depthbook-san-apkg.so). Caller frees. */
char *anki_module_path(void);

/* A stable id for name: a plausible Anki id (milliseconds since the
 * epoch, between 2017 and 2020), never 1 (the Default deck). */
long long anki_id(const char *name);

#endif
