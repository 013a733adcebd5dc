/* svg.c: an SVG image as a one-page PDF, for the cards (LaTeX includes
 * PDF, not SVG). It lives in the loadable module gen/depthbook-svg.so,
 * because librsvg brings glib, gio, pango and gdk-pixbuf with it: only a
 * card that shows an SVG, a GIF or a WebP (pixbuf.c), or a book that
 * shows a WebP, loads them. librsvg reads no file outside the SVG's own
 * folder and none from the network. */
#include "svg.h"
#include "util.h"

#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <stdlib.h>
#include <string.h>

/* Bigger than this, in CSS pixels on a side, is no image for a card. */
#define SVG_MAX_SIDE 100000.0

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
	buf_put(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

int svg_pdf(const char *path, char **pdf, size_t *len, char **why)
{
	*pdf = NULL;
	*len = 0;
	*why = NULL;
	GError *err = NULL;
	GFile *file = g_file_new_for_path(path);
	RsvgHandle *h = rsvg_handle_new_from_gfile_sync(file, RSVG_HANDLE_FLAGS_NONE, NULL, &err);
	g_object_unref(file);
	if (h == NULL) {
		*why = xstrdup(err != NULL ? err->message : "not an SVG image");
		g_clear_error(&err);
		return -1;
	}
	/* its size in CSS pixels (96 to the inch), as a page in points */
	gdouble w = 0, ht = 0;
	if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &ht)) {
		/* no absolute width and height: the viewBox's, in user units */
		gboolean has_w, has_h, has_box;
		RsvgLength lw, lh;
		RsvgRectangle box;
		rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_box, &box);
		if (has_box) {
			w = box.width;
			ht = box.height;
		}
	}
	if (!(w > 0 && ht > 0 && w <= SVG_MAX_SIDE && ht <= SVG_MAX_SIDE)) {
		g_object_unref(h);
		*why = xstrdup("its width and height are not a size a page can have (give the <svg> a width and height, or a viewBox)");
		return -1;
	}
	struct buf s = {0};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(collect, &s, w * 0.75, ht * 0.75);
	cairo_t *cr = cairo_create(surface);
	RsvgRectangle viewport = {0, 0, w * 0.75, ht * 0.75};
	int ok = rsvg_handle_render_document(h, cr, &viewport, &err);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	g_object_unref(h);
	if (!ok) {
		*why = xstrdup(err != NULL ? err->message : "it could not be drawn");
		g_clear_error(&err);
		buf_free(&s);
		return -1;
	}
	*pdf = s.data;
	*len = s.len;
	return 0;
}
