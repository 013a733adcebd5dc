/* epub_zip.c: packing a book into an OCF container with libzip, in memory,
 * byte-for-byte reproducible. */
#define _POSIX_C_SOURCE 200809L
#include "diag.h"
#include "epub.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

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

static int zip_fail(const char *name, const char *what, zip_error_t *err)
{
	char *msg = xasprintf("libzip: %s: %s", what, zip_error_strerror(err));
	diag_report(DIAG_INTERNAL, name, 0, 0, msg);
	free(msg);
	return -1;
}

int epub_zip(const struct epub_book *book, const char *name, char **data, size_t *len)
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
	dos_time(book->time, &dtime, &ddate);
	int status = 0;
	for (size_t i = 0; i < book->nentries && status == 0; i++) {
		const struct epub_entry *e = &book->entries[i];
		zip_source_t *src = zip_source_buffer(za, e->data, e->len, 0);
		zip_int64_t idx = src ? zip_file_add(za, e->path, src, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			zip_source_free(src);
			status = zip_fail(name, e->path, zip_get_error(za));
			break;
		}
		/* OCF 3.0 §4.3: mimetype first, stored, no extra field. */
		int stored = strcmp(e->path, "mimetype") == 0;
		if (zip_set_file_compression(za, (zip_uint64_t)idx, stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
		                             stored ? 0 : 1) != 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)idx, dtime, ddate, 0) != 0)
			status = zip_fail(name, e->path, zip_get_error(za));
	}
	if (status != 0) {
		zip_discard(za);
		zip_source_free(mem);
		zip_error_fini(&err);
		return -1;
	}
	if (zip_close(za) != 0) {
		status = zip_fail(name, "writing the archive", zip_get_error(za));
		zip_discard(za);
		zip_source_free(mem);
		zip_error_fini(&err);
		return status;
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
