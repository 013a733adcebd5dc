/* apkg.c: Anki packages (.apkg): a zip holding "collection.anki2", an
 * SQLite database in Anki's schema 11 (the col, notes, cards, revlog and
 * graves tables, with the deck, deck options and note type as JSON in the
 * col row), "media" (JSON: zip entry name → file name) and the media files
 * as entries "0", "1" …. Every Anki since 2.1 imports this form (genanki
 * writes it too). The database is built in memory, VACUUMed and
 * serialized, and the zip is made as the EPUB's is (zipmem.c), so the
 * same build gives the same bytes. Lives in gen/depthbook-apkg.so with
 * libsqlite3, libzip and libdeflate. */
#define _POSIX_C_SOURCE 200809L
#include "anki.h"
#include "diag.h"
#include "escape.h"
#include "out.h"
#include "template.h"
#include "util.h"
#include "zipmem.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The note type's id: fixed, so that a newer build's package updates the
 * note type a learner imported before instead of adding "depthbook-2".
 * Change it only with its fields. */
#define APKG_NOTETYPE_ID 1764547200000LL

/* ---- the first field's checksum ---- */

/* The first 32 bits of text's SHA-1, big-endian, as Anki's field checksum
 * takes them (libcrypto, which libzip already brings into this module). */
static uint32_t sha1_first32(const char *text)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_Digest(text, strlen(text), md, &n, EVP_sha1(), NULL) != 1 || n < 4) {
		fprintf(stderr, "depthbook: internal error: libcrypto computes no SHA-1\n");
		abort();
	}
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
}

/* ---- what Anki stores beside the fields ---- */

/* Appends html as Anki's stripHTMLMedia makes it, for the sort field and
 * the checksum: an image becomes its file name between spaces; comments,
 * style and script elements and every tag go; the entities our HTML uses
 * (&amp; &lt; &gt; &quot; &#39; &nbsp; and numeric ones) are decoded. */
static void strip_html(struct buf *out, const char *html)
{
	const char *p = html;
	while (*p) {
		if (strncmp(p, "<!--", 4) == 0) {
			const char *end = strstr(p + 4, "-->");
			p = end ? end + 3 : p + strlen(p);
		} else if (strncmp(p, "<img", 4) == 0 && (p[4] == ' ' || p[4] == '>' || p[4] == '/')) {
			const char *gt = strchr(p, '>');
			const char *src = strstr(p, "src=\"");
			if (src != NULL && gt != NULL && src < gt) {
				const char *q = strchr(src + 5, '"');
				buf_putc(out, ' ');
				buf_put(out, src + 5, (size_t)(q - src - 5));
				buf_putc(out, ' ');
			}
			p = gt ? gt + 1 : p + strlen(p);
		} else if (*p == '<') {
			const char *gt = strchr(p, '>');
			p = gt ? gt + 1 : p + strlen(p);
		} else if (*p == '&') {
			static const struct {
				const char *name, *text;
			} ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
			            {"&#39;", "'"}, {"&nbsp;", " "}};
			size_t i;
			for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
				if (strncmp(p, ents[i].name, strlen(ents[i].name)) == 0)
					break;
			if (i < sizeof ents / sizeof ents[0]) {
				buf_puts(out, ents[i].text);
				p += strlen(ents[i].name);
			} else if (p[1] == '#') {
				char *end;
				int hex = p[2] == 'x' || p[2] == 'X';
				unsigned long c = strtoul(p + 2 + hex, &end, hex ? 16 : 10);
				if (*end == ';' && c > 0 && c < 0x110000 && end > p + 2 + hex) {
					char u[4];
					int n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
					if (n == 1)
						u[0] = (char)c;
					else {
						for (int k = n - 1; k > 0; k--, c >>= 6)
							u[k] = (char)(0x80 | (c & 0x3f));
						u[0] = (char)((n == 2 ? 0xc0 : n == 3 ? 0xe0 : 0xf0) | c);
					}
					buf_put(out, u, (size_t)n);
					p = end + 1;
				} else {
					buf_putc(out, *p++);
				}
			} else {
				buf_putc(out, *p++);
			}
		} else {
			size_t n = strcspn(p, "<&");
			buf_put(out, p, n);
			p += n;
		}
	}
}

/* Appends s as a JSON string. */
static void json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c == '\n') {
			buf_puts(b, "\\n");
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

/* One deck's JSON object (schema 11's decks map entry). */
static void deck_json(struct buf *b, long long id, const char *name, const char *desc, long long mod)
{
	buf_printf(b, "\"%lld\":{\"id\":%lld,\"name\":", id, id);
	json_str(b, name);
	buf_puts(b, ",\"desc\":");
	json_str(b, desc);
	buf_printf(b, ",\"conf\":1,\"dyn\":0,\"collapsed\":false,\"browserCollapsed\":false,"
	              "\"extendNew\":10,\"extendRev\":50,\"mod\":%lld,\"usn\":-1,"
	              "\"newToday\":[0,0],\"revToday\":[0,0],\"lrnToday\":[0,0],\"timeToday\":[0,0]}",
	           mod);
}

/* The theme's note type: templates and CSS from THEME/anki/. */
struct theme {
	char *front, *back, *css;
};

/* Through tpl_load: a theme file leading outside the theme, or a FIFO or
 * device, is refused like the site's templates. A card template must
 * place its field (NULL: none), or every card would show nothing. */
static char *theme_file(const struct render_opts *opts, const char *name, const char *field)
{
	char *rel = xasprintf("anki/%s", name);
	char *data = tpl_load(opts->theme_dir, rel);
	const char *const needs[] = {field, NULL};
	char *path = xasprintf("%s/%s", opts->theme_dir, rel);
	if (data != NULL && field != NULL && tpl_require(data, path, needs) != 0) {
		free(data);
		data = NULL;
	}
	free(path);
	free(rel);
	return data;
}

/* The note type's JSON (schema 11's models map entry). */
static void model_json(struct buf *b, const struct theme *t, long long did, long long mod)
{
	static const char *const fields[] = {"Question", "Answer", "Label", "Section", "Link"};
	buf_printf(b, "\"%lld\":{\"id\":%lld,\"name\":\"depthbook\",\"type\":0,\"mod\":%lld,\"usn\":-1,"
	              "\"sortf\":0,\"did\":%lld,\"tags\":[],\"vers\":[],\"flds\":[",
	           APKG_NOTETYPE_ID, APKG_NOTETYPE_ID, mod, did);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		buf_printf(b, "%s{\"name\":\"%s\",\"ord\":%zu,\"sticky\":false,\"rtl\":false,"
		              "\"font\":\"Arial\",\"size\":20,\"media\":[]}",
		           i ? "," : "", fields[i], i);
	buf_puts(b, "],\"tmpls\":[{\"name\":\"Card 1\",\"ord\":0,\"qfmt\":");
	json_str(b, t->front);
	buf_puts(b, ",\"afmt\":");
	json_str(b, t->back);
	buf_puts(b, ",\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,\"bfont\":\"\",\"bsize\":0}],\"css\":");
	json_str(b, t->css);
	/* A card needs its Question (field 0) */
	buf_puts(b, ",\"req\":[[0,\"all\",[0]]],\"latexsvg\":false,"
	            "\"latexPre\":\"\\\\documentclass[12pt]{article}\\n\\\\special{papersize=3in,5in}\\n"
	            "\\\\usepackage{amssymb,amsmath}\\n\\\\pagestyle{empty}\\n\\\\setlength{\\\\parindent}{0in}\\n"
	            "\\\\begin{document}\\n\",\"latexPost\":\"\\\\end{document}\"}");
}

/* Anki's own defaults for the one options group, "Default". */
static const char dconf_json[] =
	"{\"1\":{\"id\":1,\"name\":\"Default\",\"mod\":0,\"usn\":0,\"dyn\":false,\"maxTaken\":60,"
	"\"autoplay\":true,\"replayq\":true,\"timer\":0,"
	"\"new\":{\"bury\":false,\"delays\":[1,10],\"initialFactor\":2500,\"ints\":[1,4,0],"
	"\"order\":1,\"perDay\":20,\"separate\":true},"
	"\"rev\":{\"bury\":false,\"ease4\":1.3,\"fuzz\":0.05,\"ivlFct\":1,\"maxIvl\":36500,"
	"\"minSpace\":1,\"perDay\":200,\"hardFactor\":1.2},"
	"\"lapse\":{\"delays\":[10],\"leechAction\":1,\"leechFails\":8,\"minInt\":1,\"mult\":0}}}";

static const char schema_sql[] =
	"CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,"
	" scm integer not null, ver integer not null, dty integer not null, usn integer not null,"
	" ls integer not null, conf text not null, models text not null, decks text not null,"
	" dconf text not null, tags text not null);"
	"CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,"
	" mod integer not null, usn integer not null, tags text not null, flds text not null,"
	" sfld integer not null, csum integer not null, flags integer not null, data text not null);"
	"CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,"
	" ord integer not null, mod integer not null, usn integer not null, type integer not null,"
	" queue integer not null, due integer not null, ivl integer not null, factor integer not null,"
	" reps integer not null, lapses integer not null, left integer not null, odue integer not null,"
	" odid integer not null, flags integer not null, data text not null);"
	"CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,"
	" ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,"
	" time integer not null, type integer not null);"
	"CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);";
/* Made after the rows, which is cheaper than keeping them up to date
 * row by row; VACUUM writes the same bytes either way, since it makes
 * every index again in the schema's order. */
static const char index_sql[] =
	"CREATE INDEX ix_notes_usn on notes (usn);"
	"CREATE INDEX ix_cards_usn on cards (usn);"
	"CREATE INDEX ix_revlog_usn on revlog (usn);"
	"CREATE INDEX ix_cards_nid on cards (nid);"
	"CREATE INDEX ix_cards_sched on cards (did, queue, due);"
	"CREATE INDEX ix_revlog_cid on revlog (cid);"
	"CREATE INDEX ix_notes_csum on notes (csum);";

/* What one package holds: decks[0…n-1], each shown as deck_ids[i] named
 * deck_names[i], and (for the library) a parent deck. */
struct package {
	const char *rel;               /* "anki/x.apkg" */
	const struct anki_deck *decks;
	size_t ndecks;
	const long long *deck_ids;
	char *const *deck_names;
	long long parent_id;           /* 0: none */
	const char *parent_name;
};

static int db_fail(sqlite3 *db, const char *rel, const char *what)
{
	char *msg = xasprintf("sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	diag_report(DIAG_INTERNAL, rel, 0, 0, msg);
	free(msg);
	return -1;
}

/* Builds the collection of pkg in memory; returns its bytes (sqlite3_free
 * them) and their count, or NULL after a diagnostic. */
static unsigned char *collection(const struct package *pkg, const struct theme *theme,
                                 const struct render_opts *opts, sqlite3_int64 *size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *note = NULL, *card = NULL, *col = NULL;
	unsigned char *bytes = NULL;
	long long secs = opts->date, ms = opts->date * 1000;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
		db_fail(db, pkg->rel, "opening a database in memory");
		goto done;
	}
	/* A fixed page size and no write-ahead log, so that the bytes depend
	 * only on what goes in. */
	if (sqlite3_exec(db, "PRAGMA page_size=4096; PRAGMA journal_mode=MEMORY; PRAGMA encoding='UTF-8';", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, pkg->rel, "creating the schema");
		goto done;
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO notes VALUES (?,?,?,?,-1,?,?,?,?,0,'')", -1, &note, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO cards VALUES (?,?,?,0,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')", -1, &card, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO col VALUES (1,?,?,?,11,0,0,0,?,?,?,?,'{}')", -1, &col, NULL) != SQLITE_OK) {
		db_fail(db, pkg->rel, "preparing the inserts");
		goto done;
	}
	long long seq = 0;
	for (size_t i = 0; i < pkg->ndecks; i++) {
		const struct anki_deck *deck = &pkg->decks[i];
		for (size_t k = 0; k < deck->nnotes; k++, seq++) {
			const struct anki_note *n = &deck->notes[k];
			struct buf flds = {0}, sfld = {0}, tags = {0};
			/* Fields in the note type's order, joined by U+001F. */
			const char *f[] = {n->question, n->answer, n->label, n->section, n->link};
			for (size_t j = 0; j < sizeof f / sizeof f[0]; j++) {
				if (j)
					buf_putc(&flds, '\x1f');
				buf_puts(&flds, f[j]);
			}
			strip_html(&sfld, n->question);
			/* Anki keeps tags between spaces, so that " tag " matches. */
			buf_printf(&tags, " %s ", n->tags);
			/* Note and card ids: the build's time in milliseconds (what
			 * Anki shows as "added") plus the note's place; notes are
			 * matched by GUID on import, never by id. */
			long long id = ms + seq;
			sqlite3_bind_int64(note, 1, id);
			sqlite3_bind_text(note, 2, n->guid, -1, SQLITE_STATIC);
			sqlite3_bind_int64(note, 3, APKG_NOTETYPE_ID);
			sqlite3_bind_int64(note, 4, secs);
			sqlite3_bind_text(note, 5, tags.data, -1, SQLITE_STATIC);
			sqlite3_bind_text(note, 6, flds.data, -1, SQLITE_STATIC);
			sqlite3_bind_text(note, 7, sfld.data ? sfld.data : "", -1, SQLITE_STATIC);
			sqlite3_bind_int64(note, 8, sha1_first32(sfld.data ? sfld.data : ""));
			sqlite3_bind_int64(card, 1, id);
			sqlite3_bind_int64(card, 2, id);
			sqlite3_bind_int64(card, 3, pkg->deck_ids[i]);
			sqlite3_bind_int64(card, 4, secs);
			/* a new card's due is its place in the new queue: guide order */
			sqlite3_bind_int64(card, 5, seq + 1);
			int ok = sqlite3_step(note) == SQLITE_DONE && sqlite3_step(card) == SQLITE_DONE;
			sqlite3_reset(note);
			sqlite3_reset(card);
			buf_free(&flds);
			buf_free(&sfld);
			buf_free(&tags);
			if (!ok) {
				db_fail(db, pkg->rel, "inserting a note");
				goto done;
			}
		}
	}
	struct buf conf = {0}, models = {0}, decks = {0};
	buf_printf(&conf, "{\"activeDecks\":[%lld],\"curDeck\":%lld,\"newSpread\":0,\"collapseTime\":1200,"
	                  "\"timeLim\":0,\"estTimes\":true,\"dueCounts\":true,\"curModel\":\"%lld\","
	                  "\"nextPos\":%lld,\"sortType\":\"noteFld\",\"sortBackwards\":false,\"addToCur\":true}",
	           pkg->deck_ids[0], pkg->deck_ids[0], APKG_NOTETYPE_ID, seq + 1);
	buf_putc(&models, '{');
	model_json(&models, theme, pkg->deck_ids[0], secs);
	buf_putc(&models, '}');
	buf_putc(&decks, '{');
	/* Anki's collections always hold the Default deck, id 1 */
	deck_json(&decks, 1, "Default", "", 0);
	if (pkg->parent_id != 0) {
		buf_putc(&decks, ',');
		deck_json(&decks, pkg->parent_id, pkg->parent_name, "", secs);
	}
	for (size_t i = 0; i < pkg->ndecks; i++) {
		struct buf desc = {0};
		esc_html(&desc, pkg->decks[i].guide->description ? pkg->decks[i].guide->description : "");
		buf_putc(&decks, ',');
		deck_json(&decks, pkg->deck_ids[i], pkg->deck_names[i], desc.data ? desc.data : "", secs);
		buf_free(&desc);
	}
	buf_putc(&decks, '}');
	sqlite3_bind_int64(col, 1, secs);
	sqlite3_bind_int64(col, 2, ms);
	sqlite3_bind_int64(col, 3, ms);
	sqlite3_bind_text(col, 4, conf.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(col, 5, models.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(col, 6, decks.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(col, 7, dconf_json, -1, SQLITE_STATIC);
	int ok = sqlite3_step(col) == SQLITE_DONE;
	buf_free(&conf);
	buf_free(&models);
	buf_free(&decks);
	if (!ok) {
		db_fail(db, pkg->rel, "writing the collection row");
		goto done;
	}
	sqlite3_finalize(note);
	sqlite3_finalize(card);
	sqlite3_finalize(col);
	note = card = col = NULL;
	if (sqlite3_exec(db, index_sql, NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, pkg->rel, "indexing");
		goto done;
	}
	/* VACUUM rewrites the file compactly, in one order, whatever the
	 * inserts left behind. */
	if (sqlite3_exec(db, "COMMIT; VACUUM;", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, pkg->rel, "vacuuming");
		goto done;
	}
	bytes = sqlite3_serialize(db, "main", size, 0);
	if (bytes == NULL)
		db_fail(db, pkg->rel, "serializing");
done:
	sqlite3_finalize(note);
	sqlite3_finalize(card);
	sqlite3_finalize(col);
	sqlite3_close(db);
	return bytes;
}

/* Packs and writes one package. Returns 0, or -1 after a diagnostic. */
static int package(const struct package *pkg, const struct theme *theme, const struct render_opts *opts)
{
	sqlite3_int64 dbsize = 0;
	unsigned char *db = collection(pkg, theme, opts, &dbsize);
	if (db == NULL)
		return -1;
	/* The media map names each entry by its number; one name once. */
	struct buf media = {0};
	const struct anki_media **files = NULL;
	size_t nfiles = 0, capfiles = 0;
	struct strindex seen = {0}; /* files by name */
	buf_putc(&media, '{');
	for (size_t i = 0; i < pkg->ndecks; i++)
		for (size_t k = 0; k < pkg->decks[i].nmedia; k++) {
			const struct anki_media *m = &pkg->decks[i].media[k];
			if (strindex_get(&seen, m->name) != STRINDEX_NONE)
				continue;
			strindex_put(&seen, m->name, nfiles);
			XGROW(files, nfiles, capfiles);
			buf_printf(&media, "%s\"%zu\":", nfiles ? "," : "", nfiles);
			json_str(&media, m->name);
			files[nfiles++] = m;
		}
	buf_putc(&media, '}');
	strindex_clear(&seen);
	struct zipmem z;
	int status = zipmem_open(&z, pkg->rel, opts->date);
	if (status == 0) {
		status = zipmem_add(&z, "collection.anki2", db, (size_t)dbsize, ZIPMEM_UNIX_FILE);
		if (status == 0)
			status = zipmem_add(&z, "media", media.data, media.len, ZIPMEM_UNIX_FILE);
		for (size_t j = 0; j < nfiles && status == 0; j++) {
			char name[24];
			snprintf(name, sizeof name, "%zu", j);
			status = zipmem_add(&z, name, files[j]->data, files[j]->len, ZIPMEM_UNIX_FILE);
		}
		char *bytes = NULL;
		size_t len = 0;
		status = zipmem_close(&z, &bytes, &len);
		if (status == 0)
			status = out_write(opts->out_dir, pkg->rel, bytes, len);
		free(bytes);
	}
	buf_free(&media);
	free(files);
	sqlite3_free(db);
	return status;
}

int apkg_write(const struct anki_deck *decks, size_t ndecks, const struct render_opts *opts)
{
	if (ndecks == 0)
		return 0;
	struct theme theme = {theme_file(opts, "front.html", "Question"), theme_file(opts, "back.html", "Answer"),
	                      theme_file(opts, "style.css", NULL)};
	int status = theme.front && theme.back && theme.css ? 0 : -1;
	for (size_t i = 0; i < ndecks && status == 0; i++) {
		if (!render_todo(opts, i))
			continue; /* its package stays as the last build made it (plan.h) */
		char *rel = xasprintf("anki/%s.apkg", decks[i].guide->slug);
		char *names[] = {decks[i].name};
		struct package pkg = {rel, &decks[i], 1, &decks[i].id, names, 0, NULL};
		struct render_opts own = *opts;
		own.date = render_date(opts, decks[i].guide); /* a guide's date, as its other files */
		status = package(&pkg, &theme, &own);
		free(rel);
	}
	if (status == 0 && !opts->skip_library) {
		/* The library: one parent deck, a subdeck per guide. Their ids
		 * differ from the guides' own packages', so that importing both
		 * keeps two decks apart (the notes are the same: same GUIDs). */
		static const char parent[] = "depthbook";
		long long *ids = xcalloc(ndecks, sizeof *ids);
		char **names = xcalloc(ndecks, sizeof *names);
		for (size_t i = 0; i < ndecks; i++) {
			char *seed = xasprintf("library\x1f%lld", decks[i].id);
			ids[i] = anki_id(seed);
			free(seed);
			names[i] = xasprintf("%s::%s", parent, decks[i].name);
		}
		struct package pkg = {"anki/library.apkg", decks, ndecks, ids, names, anki_id("library"), parent};
		status = package(&pkg, &theme, opts);
		for (size_t i = 0; i < ndecks; i++)
			free(names[i]);
		free(names);
		free(ids);
	}
	free(theme.front);
	free(theme.back);
	free(theme.css);
	zipmem_deflate_end();
	return status;
}
