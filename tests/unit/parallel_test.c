/* parallel_test.c: parallel_map (gen/parallel.c) against computing the same
 * items in one process: the outputs, a failure on either side of the split,
 * and the diagnostics that come back from the child. */
#define _POSIX_C_SOURCE 200809L
#include "../../gen/diag.h"
#include "../../gen/parallel.h"
#include "../../gen/util.h"
#include "check.h"

#include <stdlib.h>
#include <threads.h>

/* Item i is "item i" repeated i times (so items differ in length; item 0
 * is empty), or NULL with a diagnostic when i is the failing item. */
static size_t failing = (size_t)-1;
static int silent; /* fail without a diagnostic */

static char *work(size_t i, size_t *len, void *ctx)
{
	(void)ctx;
	if (i == failing && silent)
		return NULL;
	if (i == failing) {
		char *msg = xasprintf("item %zu failed", i);
		diag_report(DIAG_INTERNAL, "parallel_test", (int)i + 1, 1, msg);
		free(msg);
		return NULL;
	}
	struct buf b = {0};
	for (size_t k = 0; k < i; k++)
		buf_printf(&b, "item %zu;", i);
	*len = b.len;
	return buf_take(&b);
}

static mtx_t mark_lock;

static void init_lock_for_mark(void)
{
	mtx_init(&mark_lock, mtx_plain);
}

/* parallel_halves' work: marks its indices and notes its thread. */
struct halves {
	int seen[101];
	int calls, threads_differ;
	thrd_t first;
};

static void mark(size_t from, size_t to, void *ctx)
{
	struct halves *h = ctx;
	for (size_t i = from; i < to; i++)
		h->seen[i]++;
	/* the halves touch disjoint indices; the counters are shared */
	static once_flag once = ONCE_FLAG_INIT;
	call_once(&once, init_lock_for_mark);
	mtx_lock(&mark_lock);
	if (h->calls++ == 0)
		h->first = thrd_current();
	else
		h->threads_differ = !thrd_equal(h->first, thrd_current());
	mtx_unlock(&mark_lock);
}

static int matches(char **out, size_t *len, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t want_len = 0;
		char *want = work(i, &want_len, NULL);
		int same = out[i] != NULL && len[i] == want_len && memcmp(out[i], want, want_len) == 0;
		free(want);
		if (!same)
			return 0;
	}
	return 1;
}

static void release(char **out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(out[i]);
}

int main(void)
{
	enum { N = 40 };
	char *out[N];
	size_t len[N];

	CHECK_INT("split map succeeds", parallel_map(N, 25, work, NULL, out, len), 0);
	CHECK("split map gives every item as one process would", matches(out, len, N));
	release(out, N);

	CHECK_INT("map with nothing split off succeeds", parallel_map(N, N, work, NULL, out, len), 0);
	CHECK("unsplit map gives every item", matches(out, len, N));
	release(out, N);

	setenv("DEPTHBOOK_JOBS", "1", 1);
	CHECK_INT("DEPTHBOOK_JOBS=1 map succeeds", parallel_map(N, 10, work, NULL, out, len), 0);
	CHECK("DEPTHBOOK_JOBS=1 gives every item", matches(out, len, N));
	release(out, N);
	unsetenv("DEPTHBOOK_JOBS");

	/* An item of the child's share fails: -1, its diagnostic comes back,
	 * and one recorded here before the map is not sent back twice. */
	failing = 31;
	diag_clear();
	diag_report(DIAG_INTERNAL, "parallel_test", 0, 0, "recorded before the map");
	CHECK_INT("a failure in the child fails the map", parallel_map(N, 25, work, NULL, out, len), -1);
	CHECK_INT("the child's diagnostic comes back, the earlier one once",
	          diag_count(DIAG_LEVEL_FATAL) + diag_count(DIAG_LEVEL_ERROR), 2);
	int none = 1;
	for (size_t i = 0; i < N; i++)
		none = none && out[i] == NULL;
	CHECK("no outputs after a failure", none);

	/* An item of this process's share fails: -1, one diagnostic (the
	 * child's work is dropped). */
	failing = 3;
	diag_clear();
	CHECK_INT("a failure here fails the map", parallel_map(N, 25, work, NULL, out, len), -1);
	CHECK_INT("one diagnostic for a failure here", diag_count(DIAG_LEVEL_FATAL) + diag_count(DIAG_LEVEL_ERROR), 1);
	diag_clear();

	/* A child's item that fails without saying why still fails the map
	 * with a diagnostic. */
	failing = 30, silent = 1;
	CHECK_INT("a silent failure in the child fails the map", parallel_map(N, 25, work, NULL, out, len), -1);
	CHECK_INT("a silent failure in the child is reported", diag_count(DIAG_LEVEL_FATAL) + diag_count(DIAG_LEVEL_ERROR), 1);
	diag_clear();

	/* parallel_halves: every index once, the second half in another
	 * thread; with one job, one call over everything. */
	struct halves h = {0};
	parallel_halves(101, (size_t)1 << 20, mark, &h);
	int once = 1;
	for (size_t i = 0; i < 101; i++)
		once = once && h.seen[i] == 1;
	CHECK("parallel_halves covers every index once", once);
	CHECK_INT("parallel_halves makes two calls", h.calls, 2);
	CHECK("the second half runs in another thread", h.threads_differ);
	memset(&h, 0, sizeof h);
	setenv("DEPTHBOOK_JOBS", "1", 1);
	parallel_halves(101, (size_t)1 << 20, mark, &h);
	CHECK_INT("with DEPTHBOOK_JOBS=1, parallel_halves makes one call", h.calls, 1);
	unsetenv("DEPTHBOOK_JOBS");
	memset(&h, 0, sizeof h);
	parallel_halves(0, (size_t)1 << 20, mark, &h);
	CHECK_INT("parallel_halves of nothing makes one empty call", h.calls, 1);
	memset(&h, 0, sizeof h);
	parallel_halves(101, 1000, mark, &h);
	CHECK_INT("for a small guide, parallel_halves makes one call", h.calls, 1);
	return check_failures != 0;
}
