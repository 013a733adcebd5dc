/* media_test.c: an image's kind from its first bytes (gen/media.c), never
 * from its name. */
#define _POSIX_C_SOURCE 200809L
#include "../../gen/media.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *kind(const char *bytes, size_t n)
{
	const struct media_kind *k = media_kind_of((const unsigned char *)bytes, n);
	return k ? k->ext : "none";
}

int main(void)
{
	CHECK_STR("png: the signature", kind("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "png");
	CHECK_STR("png: six bytes of the signature are not enough", kind("\x89PNG\r\n", 6), "none");
	CHECK_STR("jpeg: SOI and a marker", kind("\xFF\xD8\xFF\xE0\0\x10JFIF", 10), "jpg");
	CHECK_STR("gif: 89a", kind("GIF89a\1\0\1\0", 10), "gif");
	CHECK_STR("gif: 87a", kind("GIF87a\1\0\1\0", 10), "gif");
	CHECK_STR("webp: RIFF, a size, WEBP", kind("RIFF\x24\0\0\0WEBPVP8 ", 16), "webp");
	CHECK_STR("riff of another kind is none (a WAVE)", kind("RIFF\x24\0\0\0WAVEfmt ", 16), "none");
	CHECK_STR("pdf", kind("%PDF-1.7\n", 9), "pdf");
	CHECK_STR("svg: plain", kind("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 41), "svg");
	const char *xml = "\xEF\xBB\xBF\n  <?xml version=\"1.0\"?>\n<!-- a drawing -->\n<svg width=\"1\"/>";
	CHECK_STR("svg: after a byte order mark, white space, a declaration and a comment", kind(xml, strlen(xml)), "svg");
	const char *html = "<!DOCTYPE html><html><body>no drawing</body></html>";
	CHECK_STR("xml of another kind is none (HTML)", kind(html, strlen(html)), "none");
	const char *text = "a note that mentions <svg> late";
	CHECK_STR("text that does not open with < is none, <svg in it or not", kind(text, strlen(text)), "none");
	/* <svg past the first 512 bytes is not looked for */
	char late[700];
	memset(late, ' ', sizeof late);
	late[0] = '<', late[1] = '!', late[2] = '-', late[3] = '-';
	memcpy(late + 600, "<svg", 4);
	CHECK_STR("svg: only the first 512 bytes are read", kind(late, sizeof late), "none");
	CHECK_STR("empty is none", kind("", 0), "none");
	const struct media_kind *k = media_kind_of((const unsigned char *)"GIF89a", 6);
	CHECK("gif is an EPUB core media type, image/gif", k && k->epub && strcmp(k->mime, "image/gif") == 0);
	k = media_kind_of((const unsigned char *)"%PDF-", 5);
	CHECK("pdf is no EPUB core media type for images", k && !k->epub);

	/* files: by their bytes; a directory, a missing file: none */
	char dir[] = "/tmp/media_test.XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 2;
	char path[64];
	snprintf(path, sizeof path, "%s/photo.png", dir);
	FILE *f = fopen(path, "wb");
	fwrite("\xFF\xD8\xFF\xDB", 1, 4, f);
	fclose(f);
	k = media_kind_file(path);
	CHECK_STR("file: a JPEG named .png is a JPEG", k ? k->ext : "none", "jpg");
	k = media_kind_file(dir);
	CHECK("file: a directory is none", k == NULL);
	remove(path);
	k = media_kind_file(path);
	CHECK("file: a missing file is none", k == NULL);
	rmdir(dir);
	return check_failures != 0;
}
