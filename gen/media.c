/* media.c: an image file's kind from its first bytes (media.h). */
#define _POSIX_C_SOURCE 200809L
#include "media.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HEAD = 512 };

static const struct media_kind kinds[] = {
	{"png", "image/png", 1},
	{"jpg", "image/jpeg", 1},
	{"gif", "image/gif", 1},
	{"webp", "image/webp", 0}, /* core in EPUB 3.3 only (epub_xhtml.c) */
	{"svg", "image/svg+xml", 1},
	{"pdf", "application/pdf", 0},
};

const struct media_kind *media_kind_of(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return &kinds[0];
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return &kinds[1];
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return &kinds[2];
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return &kinds[3];
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return &kinds[5];
	/* XML (after a byte order mark and white space) with <svg in its first part */
	size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i >= n || p[i] != '<')
		return NULL;
	if (n > HEAD)
		n = HEAD;
	for (size_t k = i; k + 4 <= n; k++)
		if (memcmp(p + k, "<svg", 4) == 0)
			return &kinds[4];
	return NULL;
}

const struct media_kind *media_kind_file(const char *path)
{
	unsigned char head[HEAD];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	size_t n = 0;
	while (n < sizeof head) {
		ssize_t r = read(fd, head + n, sizeof head - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return media_kind_of(head, n);
}
