/* svg.c: an SVG image as a one-page PDF, for the cards (LaTeX includes
 * PDF, not SVG). It lives in the loadable module gen/depthbook-svg.so,
 * because librsvg brings glib, gio, pango and gdk-pixbuf with it: only a
 * card that shows an SVG loads them. librsvg reads no file outside the
 * SVG's own folder and none from the network. */
#include "svg.h"

#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <stdlib.h>
#include <string.h>

/* Bigger than this, in CSS pixels on a side, is no image for a card. */
#define SVG_MAX_SIDE 100000.0

struct sink {
	char *data;
	size_t len, cap;
	int failed;
};

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + len + 1)
			cap *= 2;
		char *p = realloc(s->data, cap);
		if (p == NULL) {
			s->failed = 1;
			return CAIRO_STATUS_NO_MEMORY;
		}
		s->data = p;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, len);
	s->len += len;
	return CAIRO_STATUS_SUCCESS;
}

static char *copy_str(const char *s)
{
	char *p = malloc(strlen(s) + 1);
	if (p != NULL)
		strcpy(p, s);
	return p;
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
		*why = copy_str(err != NULL ? err->message : "not an SVG image");
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
		*why = copy_str("its width and height are not a size a page can have (give the <svg> a width and height, or a viewBox)");
		return -1;
	}
	struct sink s = {0};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(collect, &s, w * 0.75, ht * 0.75);
	cairo_t *cr = cairo_create(surface);
	RsvgRectangle viewport = {0, 0, w * 0.75, ht * 0.75};
	int ok = rsvg_handle_render_document(h, cr, &viewport, &err);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS && !s.failed;
	cairo_surface_destroy(surface);
	g_object_unref(h);
	if (!ok) {
		*why = copy_str(err != NULL ? err->message : "it could not be drawn");
		g_clear_error(&err);
		free(s.data);
		return -1;
	}
	*pdf = s.data;
	*len = s.len;
	return 0;
}
