/* zipmem.c: a zip archive made in memory with libzip (zipmem.h). */
#define _POSIX_C_SOURCE 200809L
#include "zipmem.h"
#include "diag.h"
#include "util.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(const char *name, const char *what, zip_error_t *err)
{
	char *msg = xasprintf("libzip: %s: %s", what, zip_error_strerror(err));
	diag_report(DIAG_INTERNAL, name, 0, 0, msg);
	free(msg);
	return -1;
}

/* The MS-DOS time and date of t, read in UTC. libzip's zip_file_set_mtime
 * goes through localtime(), which would make the bytes depend on the
 * machine's time zone; DOS times run from 1980 to 2107. */
static void dos_time(long long t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	if (t < 315532800LL) /* 1980-01-01T00:00:00Z */
		t = 315532800LL;
	if (t > 4354819198LL) /* 2107-12-31T23:59:58Z, the last DOS time */
		t = 4354819198LL;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* The compression level: libdeflate's fastest, because the EPUB stage is
 * the build's longest. It packs the seed's book smaller than zlib's level
 * 1 did (32.2 KB against 33.7 KB; zlib's level 6: 31.3 KB), in half the
 * instructions; for the Anki packages zlib's level 6 took half the 100x
 * build and its level 1 still a quarter. */
#define DEFLATE_LEVEL 1

/* One compressor per process: allocating one costs more than a small page
 * costs to compress. */
static struct libdeflate_compressor *compressor;

char *zipmem_deflate(const void *data, size_t len, size_t *zlen, unsigned long *crc)
{
	if (compressor == NULL && (compressor = libdeflate_alloc_compressor(DEFLATE_LEVEL)) == NULL) {
		fputs("depthbook: out of memory\n", stderr);
		abort();
	}
	size_t cap = libdeflate_deflate_compress_bound(compressor, len);
	char *out = xmalloc(cap ? cap : 1);
	/* a raw stream, no zlib header, as zip wants; the bound always fits */
	*zlen = libdeflate_deflate_compress(compressor, data, len, out, cap);
	if (*zlen == 0 && len > 0) {
		fputs("depthbook: deflate did not fit in its bound\n", stderr);
		abort();
	}
	*crc = libdeflate_crc32(0, data, len);
	return out;
}

void zipmem_deflate_end(void)
{
	libdeflate_free_compressor(compressor);
	compressor = NULL;
}

/* A libzip source over a deflated entry: its stat names the method, sizes
 * and CRC, so zip_close copies the stream instead of compressing it. */
struct deflated {
	const char *data;         /* the raw deflate stream */
	char *owned;              /* data, when the source frees it, else NULL */
	size_t len, size;         /* the stream's length, the file's size */
	uint32_t crc;
	zip_uint64_t off;
	zip_error_t error;
};

static zip_int64_t deflated_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct deflated *d = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		d->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t n = d->len - d->off < len ? d->len - d->off : len;
		memcpy(data, d->data + d->off, n);
		d->off += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
		st->size = d->size;
		st->comp_size = d->len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = d->crc;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&d->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&d->error);
		free(d->owned);
		free(d);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
		                                      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&d->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int zipmem_open(struct zipmem *z, const char *name, long long time)
{
	*z = (struct zipmem){.name = name};
	dos_time(time, &z->dtime, &z->ddate);
	zip_error_t err;
	zip_error_init(&err);
	z->mem = zip_source_buffer_create(NULL, 0, 0, &err);
	if (z->mem == NULL) {
		fail(name, "creating the buffer", &err);
		zip_error_fini(&err);
		return -1;
	}
	z->za = zip_open_from_source(z->mem, ZIP_TRUNCATE, &err);
	if (z->za == NULL) {
		fail(name, "opening the archive", &err);
		zip_source_free(z->mem);
		zip_error_fini(&err);
		*z = (struct zipmem){0};
		return -1;
	}
	/* Keep the buffer past zip_close, to read the archive back. */
	zip_source_keep(z->mem);
	zip_error_fini(&err);
	return 0;
}

/* Adds src (which may be NULL: libzip could not make it) as the entry
 * path, with flags' method and attributes. Returns 0, or -1 after a
 * diagnostic. */
static int add_source(struct zipmem *z, const char *path, zip_source_t *src, int flags)
{
	zip_int64_t idx = src ? zip_file_add(z->za, path, src, ZIP_FL_ENC_UTF_8) : -1;
	if (idx < 0) {
		zip_source_free(src); /* zip_file_add leaves it to us on failure */
		z->failed = 1;
		return fail(z->name, path, zip_get_error(z->za));
	}
	zip_uint64_t i = (zip_uint64_t)idx;
	if (((flags & ZIPMEM_STORED) && zip_set_file_compression(z->za, i, ZIP_CM_STORE, 0) != 0) ||
	    zip_file_set_dostime(z->za, i, z->dtime, z->ddate, 0) != 0 ||
	    ((flags & ZIPMEM_UNIX_FILE) &&
	     zip_file_set_external_attributes(z->za, i, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) != 0)) {
		z->failed = 1;
		return fail(z->name, path, zip_get_error(z->za));
	}
	return 0;
}

/* zipmem_add_deflated, the source freeing owned (stream, or NULL) with itself. */
static int add_stream(struct zipmem *z, const char *path, const char *stream, char *owned, size_t len,
                      size_t size, unsigned long crc, int flags)
{
	struct deflated *d = xcalloc(1, sizeof *d);
	*d = (struct deflated){.data = stream, .owned = owned, .len = len, .size = size, .crc = (uint32_t)crc};
	zip_error_init(&d->error);
	zip_source_t *src = zip_source_function(z->za, deflated_source, d);
	if (src == NULL) {
		zip_error_fini(&d->error);
		free(d->owned);
		free(d);
	}
	return add_source(z, path, src, flags & ~ZIPMEM_STORED);
}

int zipmem_add(struct zipmem *z, const char *path, const void *data, size_t len, int flags)
{
	if (flags & ZIPMEM_STORED)
		return add_source(z, path, zip_source_buffer(z->za, data, len, 0), flags);
	size_t zlen = 0;
	unsigned long crc = 0;
	char *stream = zipmem_deflate(data, len, &zlen, &crc);
	return add_stream(z, path, stream, stream, zlen, len, crc, flags);
}

int zipmem_add_deflated(struct zipmem *z, const char *path, const char *stream, size_t len, size_t size,
                        unsigned long crc, int flags)
{
	return add_stream(z, path, stream, NULL, len, size, crc, flags);
}

int zipmem_close(struct zipmem *z, char **data, size_t *len)
{
	int status = z->failed ? -1 : 0;
	if (status == 0 && zip_close(z->za) != 0)
		status = fail(z->name, "writing the archive", zip_get_error(z->za));
	if (status != 0)
		zip_discard(z->za); /* after a failed zip_close too: it leaves the archive open */
	char *bytes = NULL;
	zip_stat_t st;
	zip_stat_init(&st);
	if (status == 0) {
		if (zip_source_stat(z->mem, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(z->mem) != 0) {
			status = fail(z->name, "reading the archive back", zip_source_error(z->mem));
		} else {
			bytes = xmalloc(st.size + 1);
			zip_int64_t got = zip_source_read(z->mem, bytes, st.size);
			zip_source_close(z->mem);
			if (got < 0 || (zip_uint64_t)got != st.size) {
				status = fail(z->name, "reading the archive back", zip_source_error(z->mem));
				free(bytes);
				bytes = NULL;
			}
		}
	}
	zip_source_free(z->mem);
	*z = (struct zipmem){0};
	if (status == 0) {
		*data = bytes;
		*len = (size_t)st.size;
	}
	return status;
}
