/* pixbuf.c: a GIF or WebP image as a PNG, by gdk-pixbuf (pixbuf.h). */
#include "pixbuf.h"
#include "util.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdlib.h>
#include <string.h>

/* Bigger than this, in pixels on a side, is no image for a card. */
#define PIXBUF_MAX_SIDE 20000

int pixbuf_png(const char *path, char **png, size_t *len, char **why)
{
	*png = NULL;
	*len = 0;
	*why = NULL;
	int w = 0, h = 0;
	GError *err = NULL;
	/* the size from the header, before a decode of an image too big */
	if (gdk_pixbuf_get_file_info(path, &w, &h) != NULL &&
	    (w <= 0 || h <= 0 || w > PIXBUF_MAX_SIDE || h > PIXBUF_MAX_SIDE)) {
		*why = xstrdup("its width and height are not a size a card can print");
		return -1;
	}
	/* decoded from the bytes, so that a message does not name the path
	 * (the diagnostic names the image as the guide writes it) */
	gchar *data = NULL;
	gsize size = 0;
	if (!g_file_get_contents(path, &data, &size, &err)) {
		*why = xstrdup(err != NULL ? err->message : "it cannot be read");
		g_clear_error(&err);
		return -1;
	}
	GdkPixbufLoader *loader = gdk_pixbuf_loader_new();
	int ok = gdk_pixbuf_loader_write(loader, (const guchar *)data, size, &err);
	g_free(data);
	ok = gdk_pixbuf_loader_close(loader, ok ? &err : NULL) && ok;
	GdkPixbuf *pb = ok ? gdk_pixbuf_loader_get_pixbuf(loader) : NULL; /* a GIF's first frame */
	if (pb != NULL)
		g_object_ref(pb);
	g_object_unref(loader);
	if (pb == NULL) {
		*why = xstrdup(err != NULL ? err->message : "it could not be decoded");
		g_clear_error(&err);
		return -1;
	}
	gchar *buf = NULL;
	gsize n = 0;
	ok = gdk_pixbuf_save_to_buffer(pb, &buf, &n, "png", &err, NULL);
	g_object_unref(pb);
	if (!ok) {
		*why = xstrdup(err != NULL ? err->message : "it could not be encoded as PNG");
		g_clear_error(&err);
		return -1;
	}
	/* malloc'd, as the caller frees it with free() */
	*png = xmalloc(n ? n : 1);
	memcpy(*png, buf, n);
	g_free(buf);
	*len = n;
	return 0;
}
