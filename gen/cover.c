/* cover.c: the EPUB's raster cover, drawn at build time with cairo and
 * laid out with pango (fontconfig picks a Noto face for every script in
 * the title: Latin, CJK, emoji …). Readers and converters that ignore an
 * SVG cover (calibre's AZW3 output, Kindle) take a PNG; 1600 × 2560 is
 * the size the stores ask for. The PNG is written here, not by cairo's
 * libpng path, so that its bytes hold nothing but the pixels (no time, no
 * text chunk), a byte a pixel, with zlib's run-length strategy. */
#include "epub.h"
#include "diag.h"
#include "hash.h"
#include "util.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The background: hue (degrees) at 45% saturation and 28% lightness, a
 * dark colour white text reads well on (contrast above 7:1 for any hue). */
static void hue_colour(unsigned hue, double rgb[3])
{
	const double s = 0.45, l = 0.28;
	double c = (1 - (2 * l - 1 < 0 ? 1 - 2 * l : 2 * l - 1)) * s;
	double hp = hue / 60.0;
	double m2 = hp - 2 * (int)(hp / 2);
	double x = c * (1 - (m2 - 1 < 0 ? 1 - m2 : m2 - 1));
	double r = 0, g = 0, b = 0;
	switch ((int)hp) {
	case 0: r = c, g = x; break;
	case 1: r = x, g = c; break;
	case 2: g = c, b = x; break;
	case 3: g = x, b = c; break;
	case 4: r = x, b = c; break;
	default: r = c, b = x; break;
	}
	double m = l - c / 2;
	rgb[0] = r + m, rgb[1] = g + m, rgb[2] = b + m;
}

/* Lays out text centred in [x, x + width) from y, in font at size px, at
 * most max_lines lines (ellipsized after); returns the y below it. */
static double draw_text(cairo_t *cr, PangoContext *pc, const char *text, const char *font, double size,
                        double x, double y, double width, int max_lines, int spacing)
{
	PangoLayout *layout = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(layout, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
	pango_layout_set_height(layout, -max_lines);
	pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
	if (spacing) {
		PangoAttrList *attrs = pango_attr_list_new();
		pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(spacing * PANGO_SCALE));
		pango_layout_set_attributes(layout, attrs);
		pango_attr_list_unref(attrs);
	}
	pango_layout_set_text(layout, text, -1);
	int w, h;
	pango_layout_get_pixel_size(layout, &w, &h);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
	g_object_unref(layout);
	return y + h;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* Appends a PNG chunk (length, type, data, CRC over type and data). */
static void chunk(struct buf *b, const char *type, const unsigned char *data, size_t len)
{
	unsigned char head[8];
	put32(head, (uint32_t)len);
	memcpy(head + 4, type, 4);
	buf_put(b, (const char *)head, 8);
	if (len > 0)
		buf_put(b, (const char *)data, len);
	/* never a NULL buffer: zlib's crc32 then returns its initial value,
	 * dropping the type's CRC (IEND has no data) */
	uLong crc = crc32(crc32(0, (const Bytef *)type, 4), data ? data : (const Bytef *)"", (uInt)len);
	unsigned char c[4];
	put32(c, (uint32_t)crc);
	buf_put(b, (const char *)c, 4);
}

/* Feeds n bytes to the raw deflate stream zs (none, to flush) and appends
 * what comes out to b. */
static void pack(z_stream *zs, struct buf *b, unsigned char *p, size_t n, int flush)
{
	unsigned char tmp[16384];
	zs->next_in = p;
	zs->avail_in = (uInt)n;
	do {
		zs->next_out = tmp;
		zs->avail_out = sizeof tmp;
		if (deflate(zs, flush) == Z_STREAM_ERROR) {
			fputs("depthbook: zlib failed on the cover\n", stderr);
			abort();
		}
		buf_put(b, (const char *)tmp, sizeof tmp - zs->avail_out);
	} while (zs->avail_out == 0 || zs->avail_in != 0);
}

static void raw_stream(z_stream *zs)
{
	*zs = (z_stream){0};
	if (deflateInit2(zs, Z_BEST_SPEED, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK) {
		fputs("depthbook: out of memory\n", stderr);
		abort();
	}
}

/* A run of this many rows equal to the one above is copied packed. */
#define SAME_RUN 64

/* SAME_RUN rows as the Up filter makes of rows equal to the one above (the
 * filter's type, then zeros), packed once per process for rows of row
 * bytes: deflate blocks that refer to nothing before them and end on a
 * byte (a sync flush), so that they can sit anywhere in a stream. */
static struct {
	size_t row;
	struct buf z;
} same_run;

static const struct buf *same_rows(unsigned char *zeros, size_t row)
{
	if (same_run.row != row) {
		buf_free(&same_run.z);
		same_run.row = row;
		z_stream zs;
		raw_stream(&zs);
		for (int i = 0; i < SAME_RUN; i++)
			pack(&zs, &same_run.z, zeros, row, i == SAME_RUN - 1 ? Z_SYNC_FLUSH : Z_NO_FLUSH);
		deflateEnd(&zs);
	}
	return &same_run.z;
}

/* The coverage mask (CAIRO_FORMAT_A8: 0 is the background, 255 white) as
 * a 4-bit palette PNG whose 16 colours run from bg to white: IHDR, PLTE,
 * one IDAT, IEND (PNG, ISO/IEC 15948). White drawn on one colour needs no
 * more: 16 levels are what an e-ink screen shows, and half a byte a pixel
 * is a sixth of RGB's. Each row uses the Up filter, which turns the
 * cover's long runs of equal rows (about four rows in five) into zeros,
 * and zlib's run-length strategy packs those without hashing every byte
 * (libdeflate's fastest level took 10.8 ms on the seed's 8-bit cover,
 * zlib's RLE 6.1 ms). Even so, packing the zeros was most of a cover's
 * time, so a run of SAME_RUN equal rows is not packed again: the stream
 * is zlib's header, raw deflate blocks that end on a byte, the packed
 * run (same_rows) between them, a final empty block and the Adler-32 of
 * every row (RFC 1950, 1951). Rows are packed, filtered and fed one at a
 * time, so the image is never copied whole. Caller frees. */
static char *png_of(cairo_surface_t *s, const double bg[3], size_t *len)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *px = cairo_image_surface_get_data(s);
	/* a colour cover (CAIRO_FORMAT_RGB24, xRGB words) is written as RGB */
	int rgb = cairo_image_surface_get_format(s) == CAIRO_FORMAT_RGB24;
	size_t row = 1 + (rgb ? 3 * (size_t)w : ((size_t)w + 1) / 2), width = (size_t)(rgb ? 4 * w : w);
	unsigned char *rows = xcalloc(4, row), *above = rows, *line = rows + row, *out = rows + 2 * row;
	unsigned char *zeros = rows + 3 * row;
	zeros[0] = 2; /* Up: each byte minus the one above (0 above the first row) */
	const struct buf *run_z = same_rows(zeros, row);
	/* the checksum of one such row, for every row equal to the one above */
	uLong zero_adler = adler32(adler32(0, NULL, 0), zeros, (uInt)row), adler = adler32(0, NULL, 0);
	z_stream zs;
	raw_stream(&zs);
	struct buf z = {0};
	buf_put(&z, "\x78\x01", 2); /* deflate, a 32 KB window, the fastest level */
	unsigned char level[256]; /* coverage 0-255 to 0-15 */
	for (unsigned v = 0; v < 256; v++)
		level[v] = (unsigned char)((v * 15u + 127) / 255);
	out[0] = 2;
	for (int y = 0; y < h;) {
		const unsigned char *in = px + (size_t)stride * (size_t)y;
		int same = 0; /* rows from y on equal to the one above */
		for (const unsigned char *r = in; y + same > 0 && y + same < h; r += stride, same++)
			if (memcmp(r, r - stride, width) != 0)
				break;
		if (same == 0) {
			if (rgb) {
				const uint32_t *in32 = (const uint32_t *)(const void *)in;
				for (int x = 0; x < w; x++)
					line[1 + 3 * x] = (unsigned char)(in32[x] >> 16), line[2 + 3 * x] = (unsigned char)(in32[x] >> 8),
					line[3 + 3 * x] = (unsigned char)in32[x];
			} else {
				/* two pixels a byte, the left one high; 0-255 to 0-15 */
				for (int x = 0; x < w; x += 2)
					line[1 + x / 2] = (unsigned char)(level[in[x]] << 4 | (x + 1 < w ? level[in[x + 1]] : 0));
			}
			for (size_t x = 1; x < row; x++)
				out[x] = (unsigned char)(line[x] - above[x]);
			unsigned char *t = above;
			above = line, line = t;
			pack(&zs, &z, out, row, Z_NO_FLUSH);
			adler = adler32(adler, out, (uInt)row);
			y++;
			continue;
		}
		for (; same >= SAME_RUN; same -= SAME_RUN, y += SAME_RUN) {
			pack(&zs, &z, NULL, 0, Z_SYNC_FLUSH);
			deflateReset(&zs); /* nothing after refers to what came before */
			buf_put(&z, run_z->data, run_z->len);
			for (int i = 0; i < SAME_RUN; i++)
				adler = adler32_combine(adler, zero_adler, (z_off_t)row);
		}
		for (; same > 0; same--, y++) {
			pack(&zs, &z, zeros, row, Z_NO_FLUSH);
			adler = adler32_combine(adler, zero_adler, (z_off_t)row);
		}
	}
	pack(&zs, &z, NULL, 0, Z_FINISH);
	deflateEnd(&zs);
	free(rows);
	unsigned char sum[4];
	put32(sum, (uint32_t)adler);
	buf_put(&z, (const char *)sum, 4);
	struct buf b = {0};
	buf_put(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13];
	put32(ihdr, (uint32_t)w), put32(ihdr + 4, (uint32_t)h);
	/* 8-bit RGB or 4-bit palette, no interlace */
	ihdr[8] = rgb ? 8 : 4, ihdr[9] = rgb ? 2 : 3, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0;
	chunk(&b, "IHDR", ihdr, sizeof ihdr);
	unsigned char plte[16 * 3];
	for (int i = 0; i < 16; i++)
		for (int k = 0; k < 3; k++)
			plte[3 * i + k] = (unsigned char)((bg[k] + (1 - bg[k]) * i / 15.0) * 255 + 0.5);
	if (!rgb)
		chunk(&b, "PLTE", plte, sizeof plte);
	chunk(&b, "IDAT", (const unsigned char *)z.data, z.len);
	chunk(&b, "IEND", NULL, 0);
	buf_free(&z);
	*len = b.len;
	return buf_take(&b);
}

/* 1 if s holds a character a font may draw in colour (emoji and
 * pictographs: U+2600-27BF, U+1F000 and above), which a coverage mask
 * would turn into a silhouette. */
static int has_colour_glyphs(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == 0xF0)
			return 1; /* four bytes: U+10000 and above */
		if (*p == 0xE2 && (p[1] == 0x98 || p[1] == 0x99 || p[1] == 0x9A || p[1] == 0x9B ||
		                   p[1] == 0x9C || p[1] == 0x9D || p[1] == 0x9E))
			return 1; /* U+2600-27BF */
	}
	return 0;
}

char *cover_png(const struct model_guide *g, size_t *len)
{
	const char *title = g->title ? g->title : g->slug;
	/* A hue from the title, so covers differ between guides but not between builds. */
	uint32_t hash = fnv1a32(FNV1A32_OFFSET, title, strlen(title));
	double bg[3];
	hue_colour(hash % 360, bg);

	const double W = COVER_WIDTH, H = COVER_HEIGHT, margin = 110, pad = 130;
	/* drawn as coverage alone, which png_of colours, unless a glyph may
	 * bring its own colours */
	int colour = has_colour_glyphs(title) || has_colour_glyphs(g->author);
	cairo_surface_t *s = cairo_image_surface_create(colour ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_A8,
	                                                COVER_WIDTH, COVER_HEIGHT);
	cairo_t *cr = cairo_create(s);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		diag_report(DIAG_INTERNAL, g->path, 0, 0, "cairo cannot make the cover's surface");
		cairo_destroy(cr);
		cairo_surface_destroy(s);
		return NULL;
	}
	if (colour) {
		cairo_set_source_rgb(cr, bg[0], bg[1], bg[2]);
		cairo_paint(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
	} else {
		cairo_set_source_rgba(cr, 0, 0, 0, 1); /* full coverage: white */
	}
	cairo_set_line_width(cr, 8);
	cairo_rectangle(cr, margin, margin, W - 2 * margin, H - 2 * margin);
	cairo_stroke(cr);

	PangoContext *pc = pango_cairo_create_context(cr);
	/* the guide's language picks the CJK variant (zh/ja/ko glyphs differ) */
	pango_context_set_language(pc, pango_language_from_string(g->lang));
	cairo_font_options_t *fo = cairo_font_options_create();
	/* hinting follows the machine's fontconfig unless fixed here */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	double tw = W - 2 * (margin + pad);
	double y = draw_text(cr, pc, "STUDY GUIDE", "Noto Sans Bold", 46, margin + pad, 330, tw, 1, 14);
	y = draw_text(cr, pc, title, "Noto Serif Bold", 132, margin + pad, y + 170, tw, 7, 0);
	cairo_rectangle(cr, W / 2 - 160, y + 90, 320, 8);
	cairo_fill(cr);
	if (g->author != NULL && *g->author)
		draw_text(cr, pc, g->author, "Noto Serif Italic", 76, margin + pad, y + 190, tw, 2, 0);
	char count[96];
	snprintf(count, sizeof count, "%zu QUESTION%s \u00b7 %zu FOLLOW-UP%s", g->nquestions,
	         g->nquestions == 1 ? "" : "S", g->ndepths, g->ndepths == 1 ? "" : "S");
	draw_text(cr, pc, count, "Noto Sans", 50, margin + pad, H - margin - 330, tw, 2, 8);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	char *png = png_of(s, bg, len);
	cairo_surface_destroy(s);
	return png;
}

void cover_end(void)
{
	/* pango keeps its font map, fontconfig its configuration and caches,
	 * for the process's life. The font map is let go here, but neither
	 * FcFini nor cairo_debug_reset_static_data: both assert (fccache.c's
	 * fcCacheChains[i] == NULL, cairo's live_entries == 0) while pango still
	 * holds a cache entry, which aborted about one build in ten. What
	 * fontconfig keeps is reachable; the sanitizer tests suppress it by
	 * library (tests/lsan.supp). */
	pango_cairo_font_map_set_default(NULL);
	buf_free(&same_run.z);
	same_run.row = 0;
}
