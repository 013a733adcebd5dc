/* serve.c: `depthbook serve`, the preview server. It builds the site by
 * running this executable's own `build --only html` (a child process, so a
 * failing or crashing build never takes the server down, and each build
 * starts from nothing), serves the result on 127.0.0.1 with libmicrohttpd,
 * watches the guides' directories and the theme with inotify, rebuilds on
 * every change and tells the open pages over server-sent events: "ok N R"
 * when build N is published (R: the last build that changed the theme; a
 * page of an older build updates itself, and reloads when R is newer than
 * it), or the failing build's diagnostics, which the page lays over its
 * content.
 *
 * This file is a module (gen/depthbook-serve.so) loaded only by serve:
 * libmicrohttpd brings GnuTLS and eight more libraries whose loading would
 * cost every check and build about 6 ms. */
#define _GNU_SOURCE
#include "serve.h"
#include "diag.h"
#include "util.h"
#include "where.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How many ports past the first one serve tries when one is taken. */
#define PORT_TRIES 100
/* A change starts a rebuild once the files have been quiet this long (an
 * editor's save is several events), but never later than QUIET_MAX after it. */
#define QUIET_MS 20
#define QUIET_MAX_MS 250
/* An idle event stream gets a comment this often, so a closed tab's
 * connection is noticed and its thread ends. */
#define PING_MS 10000
/* The most directories watched: a guide named in a big tree (the home
 * directory) must not exhaust the user's inotify watches. */
#define WATCH_MAX 4096
/* The most of a build's diagnostics kept for the page. */
#define ERRORS_MAX (256 * 1024)

/* What the HTTP threads share with the main loop, under lock. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned version;   /* bumped on every change of what follows */
	unsigned gen;       /* the published build's number, from 1 */
	unsigned reload_gen; /* the last build whose pages must reload (the theme changed) */
	char *errors;       /* the failing build's diagnostics, or NULL */
	int stopping;
} state = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 1, 0, 0, NULL, 0};

static char *site_dir;  /* OUT/site */

/* live.js: the page's side. "ok N R" for another build than the page's
 * updates the page in place: it fetches the page again and patches the
 * changed nodes of <main> and the breadcrumb (so the reader's scroll
 * position, open answers and the study-mode button stay as they were);
 * when the theme changed since the page's build (R newer) or anything
 * fails, it reloads. "errors" lays the diagnostics over the page. */
static const char live_js[] =
	"/* depthbook serve: update the page on a new build, show a failing build's diagnostics */\n"
	"(function () {\n"
	"  'use strict';\n"
	"  var me = document.currentScript, gen = me ? me.getAttribute('data-gen') : '';\n"
	"  var box = null;\n"
	"  function show(text) {\n"
	"    if (!box) {\n"
	"      box = document.createElement('div');\n"
	"      box.id = 'depthbook-errors';\n"
	"      box.setAttribute('role', 'alert');\n"
	"      box.style.cssText = 'all:initial;position:fixed;top:0;left:0;right:0;bottom:0;z-index:2147483647;' +\n"
	"        'overflow:auto;display:block;box-sizing:border-box;padding:1.5rem 2rem;background:#1c1b1a;' +\n"
	"        'color:#f4f1ec;font:15px/1.55 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace';\n"
	"      document.body.appendChild(box);\n"
	"    }\n"
	"    box.textContent = '';\n"
	"    var h = document.createElement('p');\n"
	"    h.style.cssText = 'all:initial;display:block;margin:0 0 1rem;font:inherit;font-weight:bold;color:#ff9e8f';\n"
	"    h.textContent = 'depthbook serve: the guides have errors. Under this is the last good build; ' +\n"
	"      'it comes back when they are fixed.';\n"
	"    var pre = document.createElement('pre');\n"
	"    pre.style.cssText = 'all:initial;display:block;margin:0;font:inherit;color:inherit;white-space:pre-wrap;' +\n"
	"      'overflow-wrap:anywhere';\n"
	"    pre.textContent = text;\n"
	"    box.appendChild(h);\n"
	"    box.appendChild(pre);\n"
	"  }\n"
	"  function hide() { if (box) { box.remove(); box = null; } }\n"
	"  /* old becomes like fresh, keeping every node whose kind is unchanged */\n"
	"  function morph(old, fresh) {\n"
	"    if (old.nodeType !== fresh.nodeType || old.nodeName !== fresh.nodeName) {\n"
	"      old.replaceWith(document.importNode(fresh, true));\n"
	"      return;\n"
	"    }\n"
	"    if (old.nodeType !== 1) {\n"
	"      if (old.nodeValue !== fresh.nodeValue) old.nodeValue = fresh.nodeValue;\n"
	"      return;\n"
	"    }\n"
	"    var i, a;\n"
	"    for (i = old.attributes.length - 1; i >= 0; i--) {\n"
	"      a = old.attributes[i].name;\n"
	"      if (!fresh.hasAttribute(a) && !(a === 'open' && old.nodeName === 'DETAILS')) old.removeAttribute(a);\n"
	"    }\n"
	"    for (i = 0; i < fresh.attributes.length; i++) {\n"
	"      a = fresh.attributes[i];\n"
	"      if (a.name === 'open' && old.nodeName === 'DETAILS') continue;\n"
	"      if (old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);\n"
	"    }\n"
	"    var o = old.firstChild, f = fresh.firstChild;\n"
	"    while (o && f) { var next = o.nextSibling; morph(o, f); o = next; f = f.nextSibling; }\n"
	"    while (o) { var gone = o; o = o.nextSibling; gone.remove(); }\n"
	"    for (; f; f = f.nextSibling) old.appendChild(document.importNode(f, true));\n"
	"  }\n"
	"  function update(next) {\n"
	"    fetch(location.href, { cache: 'no-store' }).then(function (r) {\n"
	"      if (!r.ok) throw new Error(r.status);\n"
	"      return r.text();\n"
	"    }).then(function (html) {\n"
	"      var doc = new DOMParser().parseFromString(html, 'text/html');\n"
	"      var parts = ['main', 'nav.breadcrumb'];\n"
	"      for (var i = 0; i < parts.length; i++) {\n"
	"        var o = document.querySelector(parts[i]), f = doc.querySelector(parts[i]);\n"
	"        if (!o !== !f) throw new Error('the page changed shape');\n"
	"        if (o) morph(o, f);\n"
	"      }\n"
	"      document.title = doc.title;\n"
	"      gen = next;\n"
	"    }).catch(function () { location.reload(); });\n"
	"  }\n"
	"  var events = new EventSource('/__depthbook/events');\n"
	"  events.addEventListener('ok', function (e) {\n"
	"    hide();\n"
	"    /* data: the published build, and the last one that changed the theme */\n"
	"    var word = e.data.split(' ');\n"
	"    if (word[0] === gen) return;\n"
	"    if (Number(word[1]) > Number(gen)) { events.close(); location.reload(); } else update(word[0]);\n"
	"  });\n"
	"  events.addEventListener('errors', function (e) { show(e.data); });\n"
	"})();\n";

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the HTTP side ---- */

/* One event stream's progress: the version it last sent, and the bytes of
 * the event it is sending. */
struct stream {
	unsigned sent;
	char *pending;
	size_t len, off;
};

/* The event that tells a page the current state: "ok" with the published
 * build's number, or "errors" with one data line per diagnostic line. */
static char *state_event(void)
{
	struct buf b = {0};
	if (state.errors != NULL) {
		buf_puts(&b, "event: errors\n");
		const char *p = state.errors;
		while (*p) {
			size_t n = strcspn(p, "\r\n");
			buf_puts(&b, "data: ");
			buf_put(&b, p, n);
			buf_putc(&b, '\n');
			p += n;
			while (*p == '\r' || *p == '\n')
				p++;
		}
		buf_putc(&b, '\n');
	} else {
		buf_printf(&b, "event: ok\ndata: %u %u\n\n", state.gen, state.reload_gen);
	}
	return buf_take(&b);
}

/* libmicrohttpd's content reader for /__depthbook/events: blocks (this
 * connection has its own thread) until the state changes, the server stops
 * or a ping is due. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	(void)pos;
	if (s->pending == NULL) {
		pthread_mutex_lock(&state.lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += PING_MS / 1000;
		int timed_out = 0;
		while (!state.stopping && s->sent == state.version && !timed_out)
			timed_out = pthread_cond_timedwait(&state.changed, &state.lock, &until) == ETIMEDOUT;
		if (state.stopping) {
			pthread_mutex_unlock(&state.lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (s->sent != state.version) {
			s->pending = state_event();
			s->sent = state.version;
		} else {
			s->pending = xstrdup(": ping\n\n");
		}
		pthread_mutex_unlock(&state.lock);
		s->len = strlen(s->pending);
		s->off = 0;
	}
	size_t n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(out, s->pending + s->off, n);
	s->off += n;
	if (s->off == s->len) {
		free(s->pending);
		s->pending = NULL;
	}
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	free(s->pending);
	free(s);
}

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"}, {".xml", "application/xml"},
		{".svg", "image/svg+xml"}, {".png", "image/png"}, {".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"}, {".gif", "image/gif"}, {".webp", "image/webp"},
		{".json", "application/json"}, {".txt", "text/plain; charset=utf-8"},
		{".woff2", "font/woff2"}, {".ico", "image/x-icon"}, {".epub", "application/epub+zip"},
		{".pdf", "application/pdf"},
	};
	const char *dot = strrchr(path, '.');
	if (dot != NULL && strchr(dot, '/') == NULL)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
                               const char *type)
{
	if (r == NULL)
		return MHD_NO;
	if (type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* a preview: the browser must ask again after every rebuild */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result respond_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return respond(c, status, r, "text/plain; charset=utf-8");
}

/* An HTML page with the live script put before its </body>, marked with
 * the build it belongs to. Takes html (len bytes) and frees it. */
static enum MHD_Result respond_html(struct MHD_Connection *c, unsigned status, char *html, size_t len,
                                    unsigned gen)
{
	char *tag = xasprintf("<script src=\"/__depthbook/live.js\" data-gen=\"%u\"></script>\n", gen);
	size_t at = len;
	const char *end = "</body>";
	for (size_t i = len >= 7 ? len - 7 + 1 : 0; i-- > 0;)
		if (strncasecmp(html + i, end, 7) == 0) {
			at = i;
			break;
		}
	struct buf b = {0};
	buf_put(&b, html, at);
	buf_puts(&b, tag);
	buf_put(&b, html + at, len - at);
	free(tag);
	free(html);
	size_t n = b.len;
	char *page = buf_take(&b);
	struct MHD_Response *r = MHD_create_response_from_buffer(n, page, MHD_RESPMEM_MUST_FREE);
	return respond(c, status, r, "text/html; charset=utf-8");
}

/* The file under the site directory that url names, as a path with every
 * symbolic link resolved, or NULL: a ".." segment, an absolute or empty
 * path, or a path that resolves outside the site directory. A directory
 * gives its index.html; *redirect is set when it was named without its
 * trailing slash. The caller frees. */
static char *resolve(const char *url, int *redirect)
{
	*redirect = 0;
	if (url[0] != '/' || url[1] == '/')
		return NULL; /* absolute-form, or "//host/…" */
	for (const char *p = url; *p;) {
		p += *p == '/';
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return NULL;
		p += n;
	}
	char root[PATH_MAX], real[PATH_MAX];
	if (realpath(site_dir, root) == NULL)
		return NULL;
	char *path = xasprintf("%s%s", root, url);
	char *found = realpath(path, real) ? xstrdup(real) : NULL;
	free(path);
	if (found == NULL)
		return NULL;
	size_t rlen = strlen(root);
	if (strncmp(found, root, rlen) != 0 || (found[rlen] != '/' && found[rlen] != '\0')) {
		free(found);
		return NULL; /* a symbolic link out of the site */
	}
	struct stat st;
	if (stat(found, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t ulen = strlen(url);
		if (url[ulen - 1] != '/') {
			*redirect = 1;
			return found;
		}
		char *index = xasprintf("%s/index.html", found);
		free(found);
		found = realpath(index, real) ? xstrdup(real) : NULL;
		free(index);
		if (found == NULL || strncmp(found, root, rlen) != 0 || found[rlen] != '/') {
			free(found);
			return NULL;
		}
	}
	return found;
}

static enum MHD_Result not_found(struct MHD_Connection *c, unsigned gen)
{
	char *page404 = xasprintf("%s/404.html", site_dir);
	size_t len;
	char *html = read_whole(page404, &len);
	free(page404);
	if (html != NULL)
		return respond_html(c, MHD_HTTP_NOT_FOUND, html, len, gen);
	return respond_text(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)cls, (void)version, (void)upload, (void)upload_size, (void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		struct MHD_Response *r = MHD_create_response_from_buffer(strlen("405 method not allowed\n"),
		                                                         (void *)"405 method not allowed\n",
		                                                         MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
	}
	if (strcmp(url, "/__depthbook/live.js") == 0) {
		struct MHD_Response *r = MHD_create_response_from_buffer(sizeof live_js - 1, (void *)live_js,
		                                                         MHD_RESPMEM_PERSISTENT);
		return respond(c, MHD_HTTP_OK, r, "text/javascript; charset=utf-8");
	}
	if (strcmp(url, "/__depthbook/events") == 0) {
		struct stream *s = xcalloc(1, sizeof *s);
		struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s,
		                                                           stream_free);
		if (r == NULL) {
			free(s);
			return MHD_NO;
		}
		return respond(c, MHD_HTTP_OK, r, "text/event-stream");
	}
	pthread_mutex_lock(&state.lock);
	unsigned gen = state.gen;
	pthread_mutex_unlock(&state.lock);
	if (gen == 0) {
		/* no good build yet: a page that shows the diagnostics */
		const char page[] = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		                    "<title>depthbook serve</title></head><body><p>No site yet: the first build "
		                    "failed.</p></body></html>\n";
		return respond_html(c, MHD_HTTP_SERVICE_UNAVAILABLE, xstrdup(page), sizeof page - 1, gen);
	}
	int redirect;
	char *path = resolve(url, &redirect);
	if (path == NULL)
		return not_found(c, gen);
	if (redirect) {
		free(path);
		char *to = xasprintf("%s/", url);
		struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
		free(to);
		return respond(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		free(path);
		return not_found(c, gen);
	}
	const char *type = content_type(path);
	if (strncmp(type, "text/html", 9) == 0) {
		size_t len;
		char *html = read_whole(path, &len);
		close(fd);
		free(path);
		if (html == NULL)
			return not_found(c, gen);
		return respond_html(c, MHD_HTTP_OK, html, len, gen);
	}
	free(path);
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd); /* closes fd */
	return respond(c, MHD_HTTP_OK, r, type);
}

/* A listening socket on 127.0.0.1, at the first free port from *port (any
 * port when it is 0); sets *port to the one bound. Returns the socket or -1. */
static int listen_loopback(int *port)
{
	int tries = *port == 0 ? 1 : PORT_TRIES;
	for (int i = 0; i < tries && *port + i <= 65535; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(*port + i))};
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 64) == 0) {
			socklen_t len = sizeof a;
			getsockname(fd, (struct sockaddr *)&a, &len);
			*port = ntohs(a.sin_port);
			return fd;
		}
		int e = errno;
		close(fd);
		if (e != EADDRINUSE)
			return -1;
	}
	errno = EADDRINUSE;
	return -1;
}

/* ---- the build ---- */

struct serve {
	const struct cli *cli;
	char *exe;            /* /proc/self/exe, resolved */
	char *out_dir;
	char *private_dir;    /* the temporary directory we made, or NULL with -o */
	char **content;
	size_t ncontent;
	ino_t out_ino;        /* OUT's inode: a publish swaps in a new one */
};

static ino_t inode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* The spawn attributes of every child serve starts: no signal blocked and
 * every one at its default, whatever serve blocks for its signalfd or
 * ignores (SIGPIPE), so that a build stops as a build run by hand does.
 * Destroy with posix_spawnattr_destroy. */
static void spawn_attr(posix_spawnattr_t *attr)
{
	posix_spawnattr_init(attr);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &all);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

/* Runs `EXE build --only html …` with its stderr into a pipe. Returns the
 * exit status (or 2 when it could not run) and its output in *log. */
static int run_build(const struct serve *sv, char **log)
{
	const struct cli *cli = sv->cli;
	const char *argv[32 + 1];
	size_t n = 0;
	argv[n++] = "depthbook";
	argv[n++] = "build";
	argv[n++] = "--only";
	argv[n++] = "html";
	argv[n++] = "-o";
	argv[n++] = sv->out_dir;
	if (cli->opts.theme_dir) {
		argv[n++] = "--theme";
		argv[n++] = cli->opts.theme_dir;
	}
	if (cli->opts.base_url) {
		argv[n++] = "--base-url";
		argv[n++] = cli->opts.base_url;
	}
	if (cli->werror)
		argv[n++] = "--werror";
	if (!cli->opts.smart)
		argv[n++] = "--no-smart";
	if (cli->quiet)
		argv[n++] = "--quiet";
	argv[n++] = "--";
	const char **args = xcalloc(n + sv->ncontent + 1, sizeof *args);
	memcpy(args, argv, n * sizeof *argv);
	for (size_t i = 0; i < sv->ncontent; i++)
		args[n + i] = sv->content[i];
	int fds[2];
	*log = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		free(args);
		*log = xasprintf("depthbook: cannot run a build: %s\n", strerror(errno));
		return 2;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_t attr;
	spawn_attr(&attr);
	pid_t pid;
	int e = posix_spawn(&pid, sv->exe, &fa, &attr, (char *const *)args, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(args);
	close(fds[1]);
	if (e != 0) {
		close(fds[0]);
		*log = xasprintf("depthbook: cannot run %s: %s\n", sv->exe, strerror(e));
		return 2;
	}
	struct buf b = {0};
	char chunk[4096];
	ssize_t got;
	while ((got = read(fds[0], chunk, sizeof chunk)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (b.len < ERRORS_MAX)
			buf_put(&b, chunk, (size_t)got);
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*log = b.data ? buf_take(&b) : xstrdup("");
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	char *more = xasprintf("%sdepthbook: the build was killed by signal %d\n", *log, WTERMSIG(status));
	free(*log);
	*log = more;
	return 2;
}

/* Prints a build's output on the terminal, line by line as diag.c prints
 * diagnostics (coloured there). */
static void print_log(const char *log)
{
	for (const char *p = log; *p;) {
		size_t n = strcspn(p, "\n");
		diag_print_line(p, n);
		p += n + (p[n] == '\n');
	}
}

/* One rebuild: publishes a new state for the pages; theme is 1 when a
 * theme file changed (the pages must reload their styles and scripts). */
static void rebuild(struct serve *sv, int first, int theme)
{
	long long start = now_ms();
	char *log;
	int status = run_build(sv, &log);
	long long took = now_ms() - start;
	ino_t ino = inode_of(sv->out_dir);
	pthread_mutex_lock(&state.lock);
	int was_failing = state.errors != NULL;
	int published = status == 0 && (ino != sv->out_ino || state.gen == 0);
	if (status == 0) {
		free(state.errors);
		state.errors = NULL;
		if (published)
			state.gen++;
		if (published && theme)
			state.reload_gen = state.gen;
		if (published || was_failing)
			state.version++;
	} else {
		free(state.errors);
		state.errors = xstrdup(log);
		state.version++;
	}
	pthread_cond_broadcast(&state.changed);
	pthread_mutex_unlock(&state.lock);
	sv->out_ino = ino;
	print_log(log);
	if (!sv->cli->quiet && !first) {
		if (status != 0)
			fprintf(stderr, "depthbook: the build failed (%lld ms); still serving the last good site\n", took);
		else if (published)
			fprintf(stderr, "depthbook: rebuilt in %lld ms\n", took);
	}
	free(log);
}

/* ---- watching ---- */

struct watches {
	int fd;
	char **dirs;   /* by watch descriptor */
	size_t cap;
	const char *skip; /* the output directory, resolved: never watched */
	char *theme;      /* by watch descriptor: 1 for the theme's directories */
	int theme_changed; /* drain saw a change in the theme */
	size_t count;     /* directories watched */
	int capped;       /* WATCH_MAX was reached (said once) */
};

static void watch_dir(struct watches *w, const char *dir, int recursive, int theme)
{
	char real[PATH_MAX];
	if (realpath(dir, real) == NULL || (w->skip && strcmp(real, w->skip) == 0))
		return;
	if (w->count >= WATCH_MAX) {
		if (!w->capped)
			fprintf(stderr, "depthbook: serve watches the first %d directories only; %s and others are not watched\n",
			        WATCH_MAX, dir);
		w->capped = 1;
		return;
	}
	int wd = inotify_add_watch(w->fd, dir,
	                           IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |
	                           IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
	if (wd < 0)
		return;
	if ((size_t)wd >= w->cap) {
		/* two arrays indexed by watch descriptor, the new slots empty */
		size_t cap = w->cap, theme_cap = w->cap;
		w->dirs = xgrow(w->dirs, &cap, (size_t)wd, sizeof *w->dirs);
		w->theme = xgrow(w->theme, &theme_cap, (size_t)wd, 1);
		memset(w->dirs + w->cap, 0, (cap - w->cap) * sizeof *w->dirs);
		memset(w->theme + w->cap, 0, cap - w->cap);
		w->cap = cap;
	}
	if (w->dirs[wd] != NULL)
		return; /* already watched (a second name for it) */
	w->dirs[wd] = recursive ? xstrdup(dir) : xstrdup("");
	w->theme[wd] = (char)theme;
	w->count++;
	if (!recursive)
		return;
	/* the subdirectories, but not hidden ones (.git) */
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = xasprintf("%s/%s", dir, e->d_name);
		struct stat sst;
		if (lstat(sub, &sst) == 0 && S_ISDIR(sst.st_mode))
			watch_dir(w, sub, 1, theme);
		free(sub);
	}
	closedir(d);
}

/* Reads the pending events. Returns 2 when one of them ends a change (a
 * file closed after writing, moved in or deleted: build now), 1 when they
 * are changes in progress (writes: wait for quiet), 0 when none is a change
 * to rebuild for (hidden files'), -1 on a read error. */
static int drain(struct watches *w)
{
	char events[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int change = 0;
	for (;;) {
		ssize_t n = read(w->fd, events, sizeof events);
		if (n < 0)
			return errno == EAGAIN ? change : (errno == EINTR ? change : -1);
		for (char *p = events; p < events + n;) {
			struct inotify_event *ev = (struct inotify_event *)(void *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				change = 2;
				w->theme_changed = 1;
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				if (ev->wd >= 0 && (size_t)ev->wd < w->cap && w->dirs[ev->wd] != NULL) {
					free(w->dirs[ev->wd]);
					w->dirs[ev->wd] = NULL;
					w->count--;
				}
				continue;
			}
			if (ev->len > 0 && ev->name[0] == '.')
				continue; /* editors' swap files; our own staging directories */
			if (ev->wd >= 0 && (size_t)ev->wd < w->cap && w->theme[ev->wd])
				w->theme_changed = 1;
			if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE))
				change = 2;
			else if (change == 0)
				change = 1;
			if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) && (ev->mask & IN_ISDIR) && ev->wd >= 0 &&
			    (size_t)ev->wd < w->cap && w->dirs[ev->wd] != NULL && w->dirs[ev->wd][0] != '\0') {
				char *sub = xasprintf("%s/%s", w->dirs[ev->wd], ev->name);
				watch_dir(w, sub, 1, w->theme[ev->wd]);
				free(sub);
			}
		}
	}
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void open_browser(const char *url, pid_t *pid)
{
	char *argv[] = {"xdg-open", (char *)url, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_t attr;
	spawn_attr(&attr);
	if (posix_spawnp(pid, "xdg-open", &fa, &attr, argv, environ) != 0) {
		*pid = 0;
		fprintf(stderr, "depthbook: cannot run xdg-open; open %s yourself\n", url);
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
}

int serve_run(const struct cli *cli)
{
	struct serve sv = {.cli = cli};
	char *default_content[] = {"content"};
	sv.content = cli->noperands > 0 ? cli->operands : default_content;
	sv.ncontent = cli->noperands > 0 ? cli->noperands : 1;
	for (size_t i = 0; i < sv.ncontent; i++)
		if (access(sv.content[i], F_OK) != 0) {
			fprintf(stderr, "%s: error: %s [read]\n", sv.content[i], strerror(errno));
			return 2;
		}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fputs("depthbook: serve needs /proc/self/exe to run its builds\n", stderr);
		return 2;
	}
	exe[n] = '\0';
	sv.exe = exe;
	if (cli->out_given) {
		sv.out_dir = xstrdup(cli->opts.out_dir);
	} else {
		/* a private directory, so serve never touches the user's out/ */
		const char *tmp = getenv("TMPDIR");
		char *templ = xasprintf("%s/depthbook-serve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(templ) == NULL) {
			fprintf(stderr, "%s: error: %s [read]\n", templ, strerror(errno));
			free(templ);
			return 2;
		}
		sv.private_dir = templ;
		sv.out_dir = xasprintf("%s/out", templ);
	}
	site_dir = xasprintf("%s/site", sv.out_dir);
	int status = 0;
	struct MHD_Daemon *daemon = NULL;
	struct watches w = {.fd = -1};
	int sfd = -1, lfd = -1;
	pid_t opener = 0;

	/* SIGINT and SIGTERM arrive through a signalfd, in every thread blocked
	 * (the HTTP threads inherit the mask); the builds get them back. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	w.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (sfd < 0 || w.fd < 0) {
		fprintf(stderr, "depthbook: serve: %s\n", strerror(errno));
		status = 2;
		goto out;
	}
	char out_real[PATH_MAX];
	mkdir(sv.out_dir, 0777); /* so that it resolves; the first build fills it */
	w.skip = realpath(sv.out_dir, out_real) ? out_real : NULL;
	/* a content directory, or a guide file's directory, with everything
	 * below it: linked images and files live there */
	for (size_t i = 0; i < sv.ncontent; i++) {
		if (is_dir(sv.content[i])) {
			watch_dir(&w, sv.content[i], 1, 0);
		} else {
			char *dir = path_dir(sv.content[i]);
			watch_dir(&w, dir, 1, 0);
			free(dir);
		}
	}
	char *theme = where_theme(cli->opts.theme_dir, sv.content[0]);
	watch_dir(&w, theme, 1, 1);

	rebuild(&sv, 1, 0);
	int port = cli->port;
	lfd = listen_loopback(&port);
	if (lfd < 0) {
		fprintf(stderr, "depthbook: serve: no free port on 127.0.0.1 from %d to %d: %s\n", cli->port,
		        cli->port + PORT_TRIES - 1, strerror(errno));
		free(theme);
		status = 2;
		goto out;
	}
	daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
	                          handle, NULL, MHD_OPTION_LISTEN_SOCKET, lfd, MHD_OPTION_CONNECTION_TIMEOUT,
	                          (unsigned)0, MHD_OPTION_END);
	if (daemon == NULL) {
		fputs("depthbook: serve: libmicrohttpd could not start\n", stderr);
		free(theme);
		status = 2;
		goto out;
	}
	char *url = xasprintf("http://127.0.0.1:%d/", port);
	printf("depthbook: serving %s", url);
	if (port != cli->port && cli->port != 0)
		printf(" (port %d was taken)", cli->port);
	printf("; building into %s, watching the guides and %s; Ctrl-C stops\n", sv.out_dir, theme);
	fflush(stdout);
	free(theme);
	if (cli->open)
		open_browser(url, &opener);
	free(url);

	for (;;) {
		struct pollfd fds[2] = {{.fd = sfd, .events = POLLIN}, {.fd = w.fd, .events = POLLIN}};
		if (poll(fds, 2, opener ? 1000 : -1) < 0 && errno != EINTR)
			break;
		if (opener && waitpid(opener, NULL, WNOHANG) == opener)
			opener = 0;
		if (fds[0].revents & POLLIN)
			break;
		if (!(fds[1].revents & POLLIN))
			continue;
		int change = drain(&w);
		if (change < 0)
			break;
		if (!change)
			continue;
		/* A write in progress: wait until the files are quiet (QUIET_MS), or
		 * a close ends it, then build. */
		long long first = now_ms();
		while (change == 1) {
			long long left = first + QUIET_MAX_MS - now_ms();
			if (left <= 0)
				break;
			struct pollfd more = {.fd = w.fd, .events = POLLIN};
			if (poll(&more, 1, left < QUIET_MS ? (int)left : QUIET_MS) <= 0)
				break;
			if (drain(&w) == 2)
				change = 2;
		}
		rebuild(&sv, 0, w.theme_changed);
		w.theme_changed = 0;
	}
	if (!cli->quiet)
		fputs("depthbook: stopping\n", stderr);

out:
	pthread_mutex_lock(&state.lock);
	state.stopping = 1;
	pthread_cond_broadcast(&state.changed);
	pthread_mutex_unlock(&state.lock);
	if (daemon != NULL)
		MHD_stop_daemon(daemon); /* joins every connection's thread */
	if (lfd >= 0)
		close(lfd);
	if (w.fd >= 0)
		close(w.fd);
	for (size_t i = 0; i < w.cap; i++)
		free(w.dirs[i]);
	free(w.dirs);
	free(w.theme);
	if (sfd >= 0)
		close(sfd);
	if (sv.private_dir != NULL) {
		remove_tree(sv.private_dir);
		free(sv.private_dir);
	}
	free(sv.out_dir);
	free(site_dir);
	free(state.errors);
	state.errors = NULL;
	return status;
}
