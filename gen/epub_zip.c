/* epub_zip.c: packing a book into an OCF container with libzip, in memory,
 * byte-for-byte reproducible. Entries are deflated with libdeflate before libzip
 * sees them (chapters by whichever process renders them), and a source
 * that declares its data deflated lets libzip copy it without compressing
 * again. */
#define _POSIX_C_SOURCE 200809L
#include "diag.h"
#include "epub.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <libdeflate.h>

/* The MS-DOS time and date of t, read in UTC. libzip's zip_file_set_mtime
 * goes through localtime(), which would make the bytes depend on the
 * machine's time zone; DOS times cannot go before 1980. */
static void dos_time(long long t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	if (t < 315532800LL) /* 1980-01-01T00:00:00Z */
		t = 315532800LL;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (tm.tm_year + 1900 > 2107) {
		tm.tm_year = 2107 - 1900;
		tm.tm_mon = 11, tm.tm_mday = 31, tm.tm_hour = 23, tm.tm_min = 59, tm.tm_sec = 58;
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* The compression level: libdeflate's fastest, because the EPUB stage is
 * the build's longest. It packs the seed's book smaller than zlib's level
 * 1 did (32.2 KB against 33.7 KB; zlib's level 6: 31.3 KB), in half the
 * instructions. */
#define DEFLATE_LEVEL 1

/* One compressor per process: allocating one costs more than a small page
 * costs to compress. */
static struct libdeflate_compressor *compressor;

char *epub_deflate(const char *data, size_t len, size_t *zlen, unsigned long *crc)
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

void epub_deflate_end(void)
{
	libdeflate_free_compressor(compressor);
	compressor = NULL;
}

/* A libzip source over a deflated entry: its stat names the method, sizes
 * and CRC, so zip_close copies the stream instead of compressing it. */
struct raw {
	const struct epub_entry *e;
	zip_uint64_t off;
	zip_error_t error;
};

static zip_int64_t raw_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct raw *r = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		r->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t n = r->e->len - r->off < len ? r->e->len - r->off : len;
		memcpy(data, r->e->data + r->off, n);
		r->off += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
		st->size = r->e->size;
		st->comp_size = r->e->len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = (zip_uint32_t)r->e->crc;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&r->error);
		free(r);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
		                                      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&r->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static int zip_fail(const char *name, const char *what, zip_error_t *err)
{
	char *msg = xasprintf("libzip: %s: %s", what, zip_error_strerror(err));
	diag_report(DIAG_INTERNAL, name, 0, 0, msg);
	free(msg);
	return -1;
}

int epub_zip(const struct epub_entry *entries, size_t n, long long time, const char *name, char **data,
             size_t *len)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &err);
	if (mem == NULL) {
		zip_fail(name, "creating the buffer", &err);
		zip_error_fini(&err);
		return -1;
	}
	zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, &err);
	if (za == NULL) {
		zip_fail(name, "opening the archive", &err);
		zip_source_free(mem);
		zip_error_fini(&err);
		return -1;
	}
	/* Keep the buffer past zip_close, to read the archive back. */
	zip_source_keep(mem);
	zip_uint16_t dtime, ddate;
	dos_time(time, &dtime, &ddate);
	int status = 0;
	/* Entries deflated here, kept until zip_close has copied them. */
	struct epub_entry *z = xcalloc(n ? n : 1, sizeof *z);
	for (size_t i = 0; i < n && status == 0; i++) {
		const struct epub_entry *e = &entries[i];
		/* stored entries (mimetype: OCF 3.0 §4.3) get no extra field */
		int stored = e->stored;
		zip_source_t *src;
		if (stored) {
			src = zip_source_buffer(za, e->data, e->len, 0);
		} else {
			if (!e->deflated) {
				z[i] = *e;
				z[i].data = epub_deflate(e->data, e->len, &z[i].len, &z[i].crc);
				z[i].size = e->len;
				z[i].deflated = 1;
				e = &z[i];
			}
			struct raw *r = xcalloc(1, sizeof *r);
			r->e = e;
			zip_error_init(&r->error);
			src = zip_source_function(za, raw_source, r);
			if (src == NULL)
				free(r);
		}
		zip_int64_t idx = src ? zip_file_add(za, e->path, src, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			zip_source_free(src);
			status = zip_fail(name, e->path, zip_get_error(za));
			break;
		}
		if ((stored && zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0) ||
		    zip_file_set_dostime(za, (zip_uint64_t)idx, dtime, ddate, 0) != 0)
			status = zip_fail(name, e->path, zip_get_error(za));
	}
	if (status == 0 && zip_close(za) != 0) {
		status = zip_fail(name, "writing the archive", zip_get_error(za));
		zip_discard(za);
	} else if (status != 0) {
		zip_discard(za);
	}
	for (size_t i = 0; i < n; i++)
		free(z[i].data);
	free(z);
	if (status != 0) {
		zip_source_free(mem);
		zip_error_fini(&err);
		return -1;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_source_stat(mem, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(mem) != 0) {
		status = zip_fail(name, "reading the archive back", zip_source_error(mem));
		zip_source_free(mem);
		zip_error_fini(&err);
		return status;
	}
	char *bytes = xmalloc(st.size + 1);
	zip_int64_t got = zip_source_read(mem, bytes, st.size);
	zip_source_close(mem);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		status = zip_fail(name, "reading the archive back", zip_source_error(mem));
		free(bytes);
		zip_source_free(mem);
		zip_error_fini(&err);
		return status;
	}
	zip_source_free(mem);
	zip_error_fini(&err);
	*data = bytes;
	*len = (size_t)st.size;
	return 0;
}
