/* cards.c: printable double-sided flashcards. Each question and follow-up
 * becomes a \dbcard in the theme's LaTeX template (cards/cards.tex), which
 * fits each answer to its card, continues it on further cards when even the
 * smallest size is too big, and imposes fronts and backs for duplex
 * printing. pdflatex (LuaLaTeX for scripts it cannot set) typesets it
 * once, in a private directory (typeset.c). */
#define _POSIX_C_SOURCE 200809L
#include "cards.h"
#include "cards_text.h"
#include "diag.h"
#include "escape.h"
#include "typeset.h"
#include "link.h"
#include "math.h"
#include "md.h"
#include "media.h"
#include "out.h"
#include "pixbuf.h"
#include "stamp.h"
#include "svg.h"
#include "template.h"
#include "util.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cards_ctx {
	const struct model_library *lib;
	const struct model_guide *guide;
	struct cards_files *files; /* the images to copy beside the .tex, or NULL */
	const char *id;            /* the card being written, and its line */
	int line;
};

/* How the cards print an image of kind k: copied as it is (PNG, JPEG,
 * PDF: what pdflatex and LuaLaTeX include), drawn as a PDF (SVG: svg.h) or
 * made a PNG (GIF, WebP: pixbuf.h); -1 for any other kind or none. The
 * extension TeX reads it by goes to *ext. */
static int image_draw(const struct media_kind *k, const char **ext)
{
	static const struct {
		const char *kind, *ext;
		enum cards_draw draw;
	} how[] = {
		{"png", "png", CARDS_COPY}, {"jpg", "jpg", CARDS_COPY}, {"pdf", "pdf", CARDS_COPY},
		{"svg", "pdf", CARDS_SVG_PDF}, {"gif", "png", CARDS_RASTER_PNG}, {"webp", "png", CARDS_RASTER_PNG},
	};
	for (size_t i = 0; k != NULL && i < sizeof how / sizeof how[0]; i++)
		if (strcmp(k->ext, how[i].kind) == 0) {
			*ext = how[i].ext;
			return (int)how[i].draw;
		}
	return -1;
}

/* An image of the guide's folder that TeX can include: its name beside
 * the .tex (image-N.png, one per file however often it is shown), or ""
 * for any other, whose alt text prints instead. */
static char *cards_image(struct cards_ctx *c, const char *url)
{
	struct link_target t;
	if (c->files == NULL || link_resolve(c->lib, c->guide, url, &t) != LINK_FILE)
		return xstrdup("");
	char *path = link_file_path(c->guide, url, NULL);
	char real[PATH_MAX];
	const char *ext = NULL;
	int draw = -1;
	if (link_locate(c->guide, path, real, NULL) == LINK_PLACE_INSIDE)
		draw = image_draw(media_kind_file(real), &ext);
	free(path);
	if (draw < 0)
		return xstrdup("");
	struct cards_files *f = c->files;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].path, real) == 0)
			return xstrdup(f->v[i].name);
	XGROW(f->v, f->n, f->cap);
	XGROW(f->use, f->n, f->ucap);
	f->v[f->n] = (struct typeset_file){xasprintf("image-%zu.%s", f->n + 1, ext), xstrdup(real), NULL, 0};
	f->use[f->n] = (struct cards_use){xstrdup(url), c->id, c->line, (enum cards_draw)draw};
	return xstrdup(f->v[f->n++].name);
}

void cards_files_free(struct cards_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].path);
		free(f->v[i].data);
		free(f->use[i].url);
	}
	free(f->v);
	free(f->use);
	memset(f, 0, sizeof *f);
}

/* Link hook: a link to a unit becomes "card:Q1 › Depth 3" (a scheme, so
 * that cmark-gfm writes \href; the template prints where it points); any
 * other link becomes "" and prints its text alone. An image is
 * cards_image's. */
static char *cards_link(const char *url, int is_image, void *ctx)
{
	struct cards_ctx *c = ctx;
	struct link_target t;
	if (is_image)
		return cards_image(c, url);
	if (link_resolve(c->lib, c->guide, url, &t) != LINK_UNIT)
		return xstrdup("");
	struct buf b = {0};
	buf_puts(&b, "card:");
	if (t.guide != c->guide) {
		/* only letters and digits reach LaTeX from the slug */
		for (const char *p = t.guide->slug; *p; p++)
			buf_putc(&b, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			                     (*p >= '0' && *p <= '9') ? *p : ' ');
		buf_puts(&b, ", ");
	}
	if (t.question != NULL)
		model_unit_label(&b, t.question, t.depth, MODEL_LABEL_SEP);
	else if (t.section != NULL)
		buf_printf(&b, "Section %d", t.section->number);
	return buf_take(&b);
}

static char *cards_math(const char *tex, void *ctx)
{
	(void)ctx;
	return math_to_latex(tex);
}

/* Code hook: a code block as \begin{dbcode}, one \dbcodeline per line,
 * every character escaped (cmark-gfm's verbatim could be ended early by
 * the code's own text), spaces kept as control spaces (where a line may
 * wrap) and break points inside long tokens (cards_text.h), so that no
 * line runs off the card. */
static char *cards_code(const char *info, const char *literal, void *ctx)
{
	(void)info;
	(void)ctx;
	struct buf b = {0};
	buf_puts(&b, "\\begin{dbcode}\n");
	const char *p = literal;
	while (*p) {
		size_t n = strcspn(p, "\n");
		struct buf line = {0};
		for (size_t i = 0; i < n; i++) {
			char ch[2] = {p[i], '\0'};
			if (p[i] == ' ')
				buf_puts(&line, "\\ ");
			else if (p[i] == '\t')
				buf_puts(&line, "\\ \\ \\ \\ ");
			else
				esc_latex(&line, ch);
		}
		buf_puts(&b, "\\dbcodeline{");
		cards_text_code_line(&b, line.data ? line.data : "");
		buf_puts(&b, "}\n");
		buf_free(&line);
		p += n + (p[n] == '\n');
	}
	buf_puts(&b, "\\end{dbcode}\n");
	return buf_take(&b);
}

/* Appends one card: a marker comment the error mapper looks for, then
 * \dbcard{Q}{Depth}{section}{question}{answer}. */
static void put_card(struct buf *b, struct cards_ctx *c, const struct model_question *q,
                     const struct model_depth *d)
{
	struct md_hooks hooks = {.link = cards_link, .math = cards_math, .ctx = c, .code = cards_code};
	c->id = d ? d->id : q->id;
	c->line = d ? d->line : q->line;
	char *question = md_latex(d ? d->question : q->title, 1, &hooks);
	char *answer = md_latex(d ? d->answer : q->answer, 0, &hooks);
	buf_printf(b, "%% depthbook-card %s line %d\n", d ? d->id : q->id, d ? d->line : q->line);
	buf_printf(b, "\\dbcard{%d}{", q->number);
	if (d != NULL)
		buf_printf(b, "%d", d->number);
	buf_puts(b, "}{");
	if (q->section != NULL) {
		struct buf title = {0};
		esc_latex(&title, q->section->title_text);
		cards_text_breakable(b, title.data ? title.data : "");
		buf_free(&title);
	}
	buf_puts(b, "}{");
	cards_text_breakable(b, question);
	buf_puts(b, "}{%\n");
	cards_text_breakable(b, answer);
	buf_puts(b, "}\n");
	free(question);
	free(answer);
}

/* What opens a .tex that LuaLaTeX typesets: a marker line, then Lua that
 * takes from the document (the theme's template included) what
 * -no-shell-escape and openin_any=p/openout_any=p take from pdflatex:
 * running commands, reading files outside the TeX and font trees and the
 * private directory, and writing outside the private directory. Written
 * without the characters TeX would change inside \directlua (# % ~ and
 * backslash). */
static const char lua_fence[] =
	"% depthbook-engine lualatex\n"
	"\\directlua{\n"
	"  local real_open, real_lines, real_dofile, real_loadfile = io.open, io.lines, dofile, loadfile\n"
	"  local here = lfs.currentdir()\n"
	"  local roots = {'/usr/share/texlive/', '/usr/share/texmf/', '/usr/share/fonts/', '/var/lib/texmf/',\n"
	"    '/etc/texmf/', here .. '/'}\n"
	"  local caches = {}\n"
	"  for dir in string.gmatch(kpse.expand_var('$TEXMFCACHE') or '', '[^:;]+') do\n"
	"    table.insert(caches, dir .. '/luatex-cache/')\n"
	"    table.insert(roots, dir .. '/luatex-cache/')\n"
	"  end\n"
	"  local function relative(path)\n"
	"    return type(path) == 'string' and not (string.sub(path, 1, 1) == '/')\n"
	"  end\n"
	"  local function clean(path)\n"
	"    return type(path) == 'string' and not string.find(path, '..', 1, true)\n"
	"  end\n"
	"  local function under(path, dirs)\n"
	"    for _, root in ipairs(dirs) do\n"
	"      if string.sub(path, 1, string.len(root)) == root then return true end\n"
	"    end\n"
	"    return false\n"
	"  end\n"
	"  local function readable(path)\n"
	"    if not clean(path) then return false end\n"
	"    return relative(path) or under(path, roots)\n"
	"  end\n"
	"  local function writable(path)\n"
	"    return clean(path) and (relative(path) or under(path, {here .. '/'}) or under(path, caches))\n"
	"  end\n"
	"  local real_mkdir = lfs.mkdir\n"
	"  local function writes(mode)\n"
	"    return type(mode) == 'string' and not (string.find(mode, '[wa+]') == nil)\n"
	"  end\n"
	"  local function refused(path) return nil, 'depthbook: ' .. tostring(path) .. ' is outside the sandbox' end\n"
	"  io.open = function(path, mode)\n"
	"    if writes(mode) then if not writable(path) then return refused(path) end\n"
	"    elseif not readable(path) then return refused(path) end\n"
	"    return real_open(path, mode)\n"
	"  end\n"
	"  io.lines = function(path, ...)\n"
	"    if not (path == nil) and not readable(path) then error('depthbook: ' .. tostring(path) .. ' is outside the sandbox') end\n"
	"    return real_lines(path, ...)\n"
	"  end\n"
	"  dofile = function(path) if not readable(path) then error('depthbook: ' .. tostring(path) .. ' is outside the sandbox') end return real_dofile(path) end\n"
	"  loadfile = function(path, ...) if not readable(path) then return refused(path) end return real_loadfile(path, ...) end\n"
	"  io.input, io.output, io.popen, io.tmpfile = nil, nil, nil, nil\n"
	"  local real_remove, real_rename = os.remove, os.rename\n"
	"  for _, f in ipairs({'execute', 'exec', 'spawn', 'tmpname', 'tmpdir', 'setenv', 'kpsepopen'}) do\n"
	"    os[f] = nil\n"
	"  end\n"
	"  os.remove = function(path) if not writable(path) then return refused(path) end return real_remove(path) end\n"
	"  os.rename = function(a, b) if not (writable(a) and writable(b)) then return refused(a) end return real_rename(a, b) end\n"
	"  for _, f in ipairs({'rmdir', 'touch', 'link', 'lock', 'unlock', 'chdir', 'setmode', 'lock_dir'}) do\n"
	"    lfs[f] = nil\n"
	"  end\n"
	"  lfs.mkdir = function(path) if not writable(path) then return refused(path) end return real_mkdir(path) end\n"
	"  for _, f in ipairs({'getupvalue', 'setupvalue', 'upvaluejoin', 'getlocal', 'setlocal', 'sethook', 'getregistry', 'setmetatable'}) do\n"
	"    debug[f] = nil\n"
	"  end\n"
	"  if pdfe then local real = pdfe.open pdfe.open = function(path, ...) if not readable(path) then return nil end return real(path, ...) end end\n"
	"  if epdf then epdf.open = nil end\n"
	/* luaotfload draws a colour glyph (an emoji) through a PNG in a Lua
	 * temporary file, /tmp/lua_XXXXXX */
	"  if img then local real = img.scan img.scan = function(t, ...)\n"
	"    if type(t) == 'table' and t.filename and not readable(t.filename)\n"
	"      and not (string.sub(t.filename, 1, 9) == '/tmp/lua_') then error('depthbook: ' .. tostring(t.filename) .. ' is outside the sandbox') end\n"
	"    return real(t, ...) end end\n"
	"  mplib, socket, mime = nil, nil, nil\n"
	"  package.loadlib, package.cpath = nil, ''\n"
	"  for _, name in ipairs({'mplib', 'socket', 'socket.core', 'mime', 'mime.core', 'socket.http', 'socket.ftp',\n"
	"    'socket.smtp', 'socket.url', 'ltn12'}) do package.loaded[name], package.preload[name] = nil, nil end\n"
	"  local real_require = require\n"
	"  require = function(name)\n"
	"    if type(name) == 'string' and (string.find(name, 'socket', 1, true) or string.find(name, 'mime', 1, true)) then\n"
	"      error('depthbook: ' .. name .. ' is not available')\n"
	"    end\n"
	"    local m = real_require(name)\n"
	"    if name == 'luaharfbuzz' and type(m) == 'table' and m.Blob and not m.depthbook then\n"
	"      local real = m.Blob.new_from_file\n"
	"      m.Blob.new_from_file = function(path, ...) if not readable(path) then return nil end return real(path, ...) end\n"
	"      m.depthbook = true\n"
	"    end\n"
	"    return m\n"
	"  end\n"
	"}\n";

/* The filled template for guide g; NULL after a diagnostic. Caller frees. */
char *cards_tex(const struct model_library *lib, const struct model_guide *g,
                       const struct render_opts *opts, const char *template, struct cards_files *files)
{
	struct cards_ctx c = {lib, g, files, NULL, 0};
	struct buf cards = {0}, title = {0}, out = {0};
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct model_question *q = g->questions[i];
		put_card(&cards, &c, q, NULL);
		for (size_t k = 0; k < q->ndepths; k++)
			put_card(&cards, &c, q, q->depths[k]);
	}
	/* The document information dictionary, every string in UTF-16BE hex
	 * (PDF 32000-1:2008, 7.9.2.2), which no text can end early. */
	buf_puts(&title, "/Title ");
	cards_text_pdf_string(&title, g->title);
	if (g->author != NULL && *g->author) {
		buf_puts(&title, " /Author ");
		cards_text_pdf_string(&title, g->author);
	}
	if (g->description != NULL && *g->description) {
		buf_puts(&title, " /Subject ");
		cards_text_pdf_string(&title, g->description);
	}
	struct buf keywords = {0};
	buf_puts(&keywords, "flashcards");
	for (size_t i = 0; i < g->nsections; i++)
		buf_printf(&keywords, ", %s", g->sections[i]->title_text);
	buf_puts(&title, " /Keywords ");
	cards_text_pdf_string(&title, keywords.data);
	buf_free(&keywords);
	buf_puts(&title, " /Creator (depthbook)");
	/* the language tag as BCP 47 allows it: letters, digits, '-' */
	char lang[36];
	size_t nl = 0;
	for (const char *p = g->lang; *p && nl + 1 < sizeof lang; p++)
		if (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
			lang[nl++] = *p;
	lang[nl] = '\0';
	char offx[32], offy[32], duplex[4], sides[4];
	snprintf(offx, sizeof offx, "%.2f", opts->back_offset_x);
	snprintf(offy, sizeof offy, "%.2f", opts->back_offset_y);
	snprintf(duplex, sizeof duplex, "%d", opts->duplex == DUPLEX_FOLD ? 2 : opts->duplex == DUPLEX_SHORT ? 1 : 0);
	snprintf(sides, sizeof sides, "%d", (int)opts->sides);
	const char *dir = model_lang_dir(g->lang);
	const char *bidi = strcmp(dir, "rtl") == 0 || cards_text_rtl(cards.data ? cards.data : "") ? "1" : "0";
	const struct tpl_slot slots[] = {
		{"paper", opts->paper}, {"pdfinfo", title.data}, {"lang", nl ? lang : "en"},
		{"dir", dir}, {"bidi", bidi},
		{"sides", sides}, {"cards", cards.data}, {"backoffsetx", offx},
		{"backoffsety", offy}, {"duplex", duplex}, {NULL, NULL},
	};
	/* A guide in any script beyond the Latin font is set by LuaLaTeX,
	 * whose Lua is first fenced in (see lua_fence). */
	if (!cards_text_latin(cards.data ? cards.data : "", template))
		buf_puts(&out, lua_fence);
	int bad = tpl_fill(&out, template, "cards/cards.tex", tpl_slots, (void *)slots);
	buf_free(&cards);
	buf_free(&title);
	if (bad) {
		buf_free(&out);
		return NULL;
	}
	return buf_take(&out);
}

/* The card marker at or before line n of tex: fills id (size bytes) and
 * returns the guide line, or 0 when the line is outside any card. */
static int card_at(const char *tex, long n, char *id, size_t size)
{
	int found = 0;
	long line = 1;
	for (const char *p = tex; *p && line <= n; line++) {
		int l;
		char name[32];
		if (strncmp(p, "% depthbook-card ", 17) == 0 && sscanf(p + 17, "%31s line %d", name, &l) == 2) {
			found = l;
			snprintf(id, size, "%s", name);
		}
		const char *nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return found;
}

/* The line and column in g of the first occurrence of ch (UTF-8) at or
 * after line from; *line stays put when it is not found. */
static void find_char(const struct model_guide *g, const char *ch, int from, int *line, int *col)
{
	int l = 1;
	const char *bol = g->file->text;
	for (const char *p = g->file->text; *p; p++) {
		if (l >= from && strncmp(p, ch, strlen(ch)) == 0) {
			*line = l;
			/* columns count bytes, as cmark-gfm's source positions do */
			*col = (int)(p - bol) + 1;
			return;
		}
		if (*p == '\n') {
			l++;
			bol = p + 1;
		}
	}
}

/* Turns the first LaTeX error of log into a diagnostic on the guide: the
 * card's source line, and for a character the font lacks, its place. */
static void report_error(const struct model_guide *g, const char *engine, const char *tex, const char *log,
                         const struct cards_files *files)
{
	/* an image the engine cannot read: "!pdfTeX error: pdflatex (file
	 * ./image-2.png): writepng: reading chunk type failed" */
	const char *img = strstr(log, "(file ./image-");
	for (size_t i = 0; img != NULL && i < files->n; i++) {
		size_t n = strlen(files->v[i].name);
		if (strncmp(img + 8, files->v[i].name, n) != 0 || strncmp(img + 8 + n, "):", 2) != 0)
			continue;
		const char *why = img + 8 + n + 2;
		why += strspn(why, " ");
		char *m = xasprintf("%s cannot read it: %.*s", strcmp(engine, "lualatex") == 0 ? "LuaLaTeX" : "pdflatex",
		                    (int)strcspn(why, "\n"), why);
		diag_report(DIAG_CARDS_IMAGE, g->path, files->use[i].line, 1, files->use[i].id, files->use[i].url, m);
		free(m);
		return;
	}
	const char *bang = strstr(log, "\n! ");
	char message[512] = "pdflatex failed without an error message";
	long tex_line = 0;
	if (bang != NULL) {
		size_t n = strcspn(bang + 3, "\n");
		snprintf(message, sizeof message, "%.*s", (int)(n < 400 ? n : 400), bang + 3);
		const char *l = strstr(bang, "\nl.");
		if (l != NULL)
			tex_line = strtol(l + 3, NULL, 10);
	}
	char id[32] = "";
	int line = card_at(tex, tex_line, id, sizeof id);
	const char *u = strstr(message, "Unicode character ");
	if (u != NULL && line > 0) {
		const char *ch = u + 18;
		const char *open = strstr(ch, " (U+");
		if (open != NULL) {
			char *glyph = xstrndup(ch, (size_t)(open - ch));
			char code[16] = "";
			sscanf(open + 4, "%15[0-9A-Fa-f]", code);
			int col = 1, at = line;
			find_char(g, glyph, line, &at, &col);
			diag_report(DIAG_CARDS_CHAR, g->path, at, col, glyph, code, id);
			free(glyph);
			return;
		}
	}
	if (line > 0)
		diag_report(DIAG_CARDS_LATEX, g->path, line, 1, id, message);
	else
		diag_report(DIAG_CARDS_LATEX, g->path, 0, 0, "template", message);
}

/* The unit of g whose card shows guide line n: the last question or
 * follow-up that starts at or before it. */
static const char *unit_at(const struct model_guide *g, int n)
{
	const char *id = "the guide";
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct model_question *q = g->questions[i];
		if (q->line > n)
			break;
		id = q->id;
		for (size_t k = 0; k < q->ndepths && q->depths[k]->line <= n; k++)
			id = q->depths[k]->id;
	}
	return id;
}

/* Reports every character LuaLaTeX logged as missing from every font
 * ("Missing character: There is no X (U+XXXX) in font …") at each of its
 * places on the guide's cards, all in one run. Returns how many distinct
 * characters were missing. */
static int report_missing(const struct model_guide *g, const char *log)
{
	static const char mark[] = "Missing character: There is no ";
	unsigned seen[64];
	int nseen = 0;
	for (const char *p = strstr(log, mark); p != NULL; p = strstr(p + 1, mark)) {
		const char *u = strstr(p, " (U+");
		const char *nl = strchr(p, '\n');
		if (u == NULL || (nl != NULL && u > nl))
			continue;
		unsigned cp = (unsigned)strtoul(u + 4, NULL, 16);
		int dup = 0;
		for (int i = 0; i < nseen; i++)
			dup |= seen[i] == cp;
		if (dup || nseen == (int)(sizeof seen / sizeof seen[0]))
			continue;
		seen[nseen++] = cp;
		char code[16];
		snprintf(code, sizeof code, "%04X", cp);
		/* every place in the cards' part of the guide: from the first
		 * unit to the epilogue */
		int first = g->nquestions ? g->questions[0]->line : 1;
		int line = 1, reported = 0;
		const char *bol = g->file->text;
		for (const char *t = g->file->text; *t;) {
			int len;
			unsigned c = cards_text_utf8(t, &len);
			if (c == cp && line >= first && (g->epilogue_line == 0 || line < g->epilogue_line)) {
				char *glyph = xstrndup(t, (size_t)len);
				diag_report(DIAG_CARDS_CHAR, g->path, line, (int)(t - bol) + 1, glyph, code, unit_at(g, line));
				free(glyph);
				reported = 1;
			}
			if (*t == '\n') {
				line++;
				bol = t + 1;
			}
			t += len;
		}
		if (!reported) {
			char glyph[8] = "?";
			diag_report(DIAG_CARDS_CHAR, g->path, 0, 0, glyph, code, "the template");
		}
	}
	return nseen;
}

/* Reports each Overfull box in log as an error on its card: something
 * printed across the card's edge. Returns how many. */
static int report_overfull(const struct model_guide *g, const char *tex, const char *log)
{
	int n_reported = 0;
	for (const char *p = strstr(log, "Overfull"); p != NULL; p = strstr(p + 1, "Overfull")) {
		size_t n = strcspn(p, "\n");
		char *what = xstrndup(p, n);
		/* "... in paragraph at lines 12--14" or "... detected at line 40" */
		const char *at = strstr(what, " at line");
		long tex_line = at ? strtol(at + strcspn(at, "0123456789"), NULL, 10) : 0;
		char id[32] = "template";
		int line = card_at(tex, tex_line, id, sizeof id);
		diag_report(DIAG_CARDS_OVERFULL, g->path, line, line ? 1 : 0, id, what);
		free(what);
		n_reported++;
	}
	return n_reported;
}

/* The engine the .tex asks for: LuaLaTeX when cards_tex fenced it in. */
static const char *engine_of(const char *tex)
{
	return strstr(tex, "\n% depthbook-engine lualatex\n") != NULL ||
	               strncmp(tex, "% depthbook-engine lualatex\n", 28) == 0
	           ? "lualatex"
	           : "pdflatex";
}

/* Each .tex opens with this line: its inputs' hash and the length of the
 * rest, which a rebuild reads instead of making the .tex again. */
#define STAMP_FORMAT "%% depthbook-inputs %016" PRIx64 " %zu\n"

/* 1 when the .tex at path opens with key's line and has the length that
 * line gives (a hand edit changes it), else 0. */
static int tex_current(const char *path, uint64_t key)
{
	char line[96];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	ssize_t n = fstat(fd, &st) == 0 ? read(fd, line, sizeof line - 1) : -1;
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	char *end = strchr(line, '\n');
	uint64_t found;
	size_t rest;
	if (end == NULL || sscanf(line, "%% depthbook-inputs %16" SCNx64 " %zu", &found, &rest) != 2)
		return 0;
	return found == key && (size_t)st.st_size == (size_t)(end + 1 - line) + rest;
}

/* What the cards stage works from: the library, the options, the
 * template, and the inputs' hash (keyed is 0 when it cannot be trusted). */
struct cards_job {
	const struct model_library *lib;
	const struct render_opts *opts;
	const char *template;
	int keyed;
	uint64_t key;
	size_t *todo; /* the guides to make, as indexes into lib */
};

/* 1 when guide g's .tex opens with its inputs' hash and its PDF is
 * beside it: nothing to make. */
static int guide_current(const struct cards_job *j, const struct model_guide *g)
{
	if (!j->keyed)
		return 0;
	char *tex_path = xasprintf("%s/cards/%s-cards.tex", j->opts->out_dir, g->slug);
	char *pdf_path = xasprintf("%s/cards/%s-cards.pdf", j->opts->out_dir, g->slug);
	struct stat st;
	int current = tex_current(tex_path, stamp_key(j->key, "cards", stamp_guide(j->lib, g, j->opts), j->lib, g)) && stat(pdf_path, &st) == 0;
	free(tex_path);
	free(pdf_path);
	return current;
}

/* Makes each image of files that is not copied as it is: an SVG the PDF,
 * a GIF or WebP the PNG the .tex includes. Returns 0, or -1 after a
 * diagnostic for each one that cannot be made. */
static int draw_images(const struct model_guide *g, struct cards_files *files)
{
	int status = 0;
	for (size_t i = 0; i < files->n; i++) {
		if (files->use[i].draw == CARDS_COPY)
			continue;
		char *why;
		struct typeset_file *f = &files->v[i];
		int r = files->use[i].draw == CARDS_SVG_PDF ? svg_pdf_module(f->path, &f->data, &f->len, &why)
		                                            : pixbuf_png_module(f->path, &f->data, &f->len, &why);
		if (r != 0) {
			if (why != NULL)
				diag_report(DIAG_CARDS_IMAGE, g->path, files->use[i].line, 1, files->use[i].id, files->use[i].url, why);
			free(why);
			status = -1;
			if (why == NULL)
				break; /* no module: one diagnostic is enough */
		}
	}
	return status;
}

/* Builds out/cards/<slug>-cards.tex and .pdf for one guide. */
static int render_guide(const struct cards_job *j, const struct model_guide *g)
{
	const struct model_library *lib = j->lib;
	const struct render_opts *opts = j->opts;
	const char *template = j->template;
	char *tex_rel = xasprintf("cards/%s-cards.tex", g->slug);
	char *pdf_rel = xasprintf("cards/%s-cards.pdf", g->slug);
	char *pdf_path = xasprintf("%s/%s", opts->out_dir, pdf_rel);
	uint64_t key = stamp_key(j->key, "cards", stamp_guide(j->lib, g, j->opts), j->lib, g);
	struct stat st;
	int status = 0;
	struct cards_files files = {0};
	char *body = cards_tex(lib, g, opts, template, &files);
	if (body == NULL) {
		status = -1;
		goto done;
	}
	struct buf b = {0};
	if (j->keyed)
		buf_printf(&b, STAMP_FORMAT, key, strlen(body));
	buf_puts(&b, body);
	free(body);
	size_t len = b.len;
	char *tex = buf_take(&b);
	/* The .tex is written only after its PDF, so an unchanged .tex next
	 * to an existing PDF means that PDF was typeset from it. */
	if (!(out_same(opts->out_dir, tex_rel, tex, len) && stat(pdf_path, &st) == 0)) {
		struct typeset_result r = {0};
		const char *engine = engine_of(tex);
		if (!typeset_available(engine)) {
			diag_report(DIAG_CARDS_NO_LATEX, engine, 0, 0, engine,
			            strcmp(engine, "lualatex") == 0
			                ? "texlive-luatex fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji"
			                : "texlive-latex-base texlive-latex-recommended texlive-latex-extra "
			                  "texlive-fonts-recommended lmodern");
			status = -1;
		} else if (draw_images(g, &files) != 0 ||
		           typeset_run(engine, tex, len, render_date(opts, g), files.v, files.n, &r) != 0) {
			status = -1;
		} else {
			int bad = !r.ok;
			if (!r.ok)
				report_error(g, engine, tex, r.log, &files);
			else
				bad = (report_missing(g, r.log) + report_overfull(g, tex, r.log)) > 0;
			if (bad) {
				/* keep the .tex to look at, and no PDF that would pass for its output */
				unlink(pdf_path);
				out_write(opts->out_dir, tex_rel, tex, len);
				status = -1;
			} else if (out_write(opts->out_dir, pdf_rel, r.pdf, r.pdf_len) != 0 ||
			           out_write(opts->out_dir, tex_rel, tex, len) != 0) {
				status = -1;
			}
		}
		typeset_result_free(&r);
	}
	free(tex);
done:
	cards_files_free(&files);
	free(tex_rel);
	free(pdf_rel);
	free(pdf_path);
	return status;
}

int cards_render(const struct model_library *lib, const struct render_opts *opts)
{
	if (lib->nguides == 0)
		return 0;
	if (!typeset_available("pdflatex")) {
		diag_report(DIAG_CARDS_NO_LATEX, "pdflatex", 0, 0, "pdflatex",
		            "texlive-latex-base texlive-latex-recommended texlive-latex-extra "
		            "texlive-fonts-recommended lmodern");
		return -1;
	}
	char *template = tpl_load(opts->theme_dir, "cards/cards.tex");
	static const char *const needs[] = {"cards", NULL}; /* every card's text */
	char *name = xasprintf("%s/cards/cards.tex", opts->theme_dir);
	int bad = template == NULL || tpl_require(template, name, needs) != 0;
	free(name);
	if (bad) {
		free(template);
		return -1;
	}
	struct cards_job j = {lib, opts, template, 0, 0, xcalloc(lib->nguides, sizeof(size_t))};
	j.keyed = stamp_output(opts, "cards", &j.key) == 0; /* the one key of plan.h */
	size_t n = 0;
	/* A guide without questions (a title, or sections only) has no card:
	 * it gets no PDF, rather than pdflatex failing on an empty document. */
	for (size_t i = 0; i < lib->nguides; i++)
		if (render_todo(opts, i) && lib->guides[i]->nquestions > 0 && !guide_current(&j, lib->guides[i]))
			j.todo[n++] = i;
	/* One guide after another; the guides of a library are spread over
	 * the cores by parallel_render, each task one guide's cards. A guide's
	 * LaTeX error does not stop the others'. */
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		const struct model_guide *g = lib->guides[j.todo[i]];
		char *stage = xasprintf("typesetting the cards of %s", g->slug);
		diag_progress(stage, j.todo[i] + 1, lib->nguides); /* a terminal's progress line (diag.h) */
		free(stage);
		if (render_guide(&j, g) != 0)
			status = -1;
	}
	free(j.todo);
	free(template);
	return status;
}
