# depthbook: `make` builds the generator and publishes content/ into out/;
# `make test` runs every test. Both install what they need first.

# The EPUB renderer is a loadable module (gen/epub_module.c) with its own
# libraries, so that runs without an EPUB never load them.
CORE_PKGS := libcmark-gfm yaml-0.1
EPUB_PKGS := libxml-2.0 libzip libdeflate zlib pangocairo fontconfig
# serve is a module too (gen/serve.c): libmicrohttpd brings GnuTLS.
SERVE_PKGS := libmicrohttpd
# The Anki package writer (gen/apkg.c) is a module too, for the same reason.
# Both it and the EPUB module link their own copy of gen/zipmem.c (libzip).
APKG_PKGS := sqlite3 libzip libdeflate libcrypto
# SVG images on cards are drawn as PDF, GIF and WebP ones made PNG, by a
# module too (gen/svg.c, gen/pixbuf.c): librsvg and gdk-pixbuf bring glib
# and gio.
SVG_PKGS := librsvg-2.0 cairo-pdf gdk-pixbuf-2.0
PKGS     := $(CORE_PKGS) $(EPUB_PKGS) $(SERVE_PKGS) $(SVG_PKGS) sqlite3 libcrypto
WARN     := -std=c11 -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     := $(sort $(wildcard gen/*.c))
LIBSRCS  := $(filter-out gen/main.c,$(SRCS))
EPUBSRCS := gen/epub_book.c gen/epub_xhtml.c gen/epub_pkg.c gen/epub_zip.c gen/zipmem.c gen/cover.c
SERVESRCS := gen/serve.c
APKGSRCS := gen/apkg.c gen/zipmem.c
SVGSRCS  := gen/svg.c gen/pixbuf.c
CORESRCS := $(filter-out $(EPUBSRCS) $(SERVESRCS) $(APKGSRCS) $(SVGSRCS),$(SRCS))
OBJS     := $(CORESRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token.o
SANOBJS  := $(CORESRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token.o
EPUBOBJS := $(EPUBSRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token-module.o
SANEPUBOBJS := $(EPUBSRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token-module.o
# The version lives in VERSION alone; cli.c gets it as DEPTHBOOK_VERSION.
VERSION  := $(shell cat VERSION)
DEFS     := -DDEPTHBOOK_VERSION='"$(VERSION)"'
# -MMD: each object's header dependencies, as the compiler found them, in
# its .d file beside it (read back below), so that an edit to a header
# rebuilds the objects that include it and no other.
DEPFLAGS := -MMD -MP
SERVEOBJS := $(SERVESRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token-module.o
SANSERVEOBJS := $(SERVESRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token-module.o
APKGOBJS := $(APKGSRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token-module.o
SANAPKGOBJS := $(APKGSRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token-module.o
SVGOBJS := $(SVGSRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token-module.o
SANSVGOBJS := $(SVGSRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token-module.o

# The pkg-config packages, for the tests that link against the modules.
pkgs:
	@echo $(PKGS)

# pkg-config runs only once the build dependencies are there.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CORE_LIBS  = $(shell pkg-config --libs $(CORE_PKGS))
EPUB_LIBS  = $(shell pkg-config --libs $(EPUB_PKGS))
SERVE_LIBS = $(shell pkg-config --libs $(SERVE_PKGS)) -lpthread
APKG_LIBS  = $(shell pkg-config --libs $(APKG_PKGS))
SVG_LIBS   = $(shell pkg-config --libs $(SVG_PKGS))

.PHONY: all deps publish check test test-deps san clean bench fuzz valgrind pkgs
.DEFAULT_GOAL := all

all: publish

deps: gen/obj/.deps

gen/obj/.deps: gen/deps.sh
	@./gen/deps.sh build cards
	@mkdir -p gen/obj && touch $@

# CPPFLAGS, CFLAGS and LDFLAGS are the user's (make CFLAGS=-O3
# LDFLAGS=-Wl,-z,now); WARN and the packages' flags are always added.
gen/obj/%.o: gen/%.c gen/obj/%.d gen/obj/.deps
	$(CC) $(WARN) $(MAINDEFS) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -fPIC $(PKG_CFLAGS) -c $< -o $@

gen/obj/cli.o gen/obj-san/cli.o: VERSION
gen/obj/cli.o gen/obj-san/cli.o: MAINDEFS = $(DEFS)

# The executable and every module each link a token of the build (a
# checksum of every source, header, the Makefile and the flags), under two
# names (one symbol in the executable and a module would be an ODR
# violation), which where_load (gen/where.c) compares before it runs a
# module.
gen/obj/build-token.c gen/obj-san/build-token.c: $(SRCS) $(wildcard gen/*.h) Makefile gen/obj/.deps
	@mkdir -p $(@D)
	@printf 'const char TOKEN[] = "depthbook-build-%s";\n' \
		"$$(cat $(SRCS) $(wildcard gen/*.h) Makefile | cksum | cut -d' ' -f1)-$$(echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) $@' | cksum | cut -d' ' -f1)" >$@.tmp && mv $@.tmp $@
gen/obj/build-token.o: gen/obj/build-token.c
	$(CC) $(WARN) $(CFLAGS) -DTOKEN=where_build_token -fPIC -c $< -o $@
gen/obj/build-token-module.o: gen/obj/build-token.c
	$(CC) $(WARN) $(CFLAGS) -DTOKEN=where_module_token -fPIC -c $< -o $@
gen/obj-san/build-token.o: gen/obj-san/build-token.c
	$(CC) $(WARN) $(SANFLAGS) -DTOKEN=where_build_token -fPIC -c $< -o $@
gen/obj-san/build-token-module.o: gen/obj-san/build-token.c
	$(CC) $(WARN) $(SANFLAGS) -DTOKEN=where_module_token -fPIC -c $< -o $@

# The executable exports its symbols (-rdynamic) for the modules.
gen/depthbook: $(OBJS) gen/depthbook-epub.so gen/depthbook-serve.so gen/depthbook-apkg.so gen/depthbook-svg.so
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -rdynamic -o $@ $(OBJS) $(CORE_LIBS)

gen/depthbook-epub.so: $(EPUBOBJS)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -shared -o $@ $(EPUBOBJS) $(EPUB_LIBS)

gen/depthbook-serve.so: $(SERVEOBJS)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -shared -o $@ $(SERVEOBJS) $(SERVE_LIBS)

gen/depthbook-apkg.so: $(APKGOBJS)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -shared -o $@ $(APKGOBJS) $(APKG_LIBS)

gen/depthbook-svg.so: $(SVGOBJS)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -shared -o $@ $(SVGOBJS) $(SVG_LIBS)

gen/obj-san/%.o: gen/%.c gen/obj-san/%.d gen/obj/.deps
	@mkdir -p gen/obj-san
	$(CC) $(WARN) $(MAINDEFS) $(CPPFLAGS) $(SANFLAGS) $(DEPFLAGS) -fPIC $(PKG_CFLAGS) -c $< -o $@

gen/depthbook-san: $(SANOBJS) gen/depthbook-san-epub.so gen/depthbook-san-serve.so gen/depthbook-san-apkg.so \
                   gen/depthbook-san-svg.so
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -rdynamic -o $@ $(SANOBJS) $(CORE_LIBS)

gen/depthbook-san-epub.so: $(SANEPUBOBJS)
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -shared -o $@ $(SANEPUBOBJS) $(EPUB_LIBS)

# The header dependencies -MMD wrote. An object whose .d is missing (its
# first build, or one made before -MMD) is made again: the .d files are
# targets with no recipe, so a missing one counts as new (the compiler
# writes the .d before the object, so a present one is never newer).
DEPFILES := $(OBJS:.o=.d) $(SANOBJS:.o=.d) $(EPUBOBJS:.o=.d) $(SANEPUBOBJS:.o=.d) $(SERVEOBJS:.o=.d) \
            $(SANSERVEOBJS:.o=.d) $(APKGOBJS:.o=.d) $(SANAPKGOBJS:.o=.d) $(SVGOBJS:.o=.d) $(SANSVGOBJS:.o=.d)
$(DEPFILES):
-include $(DEPFILES)

gen/depthbook-san-serve.so: $(SANSERVEOBJS)
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -shared -o $@ $(SANSERVEOBJS) $(SERVE_LIBS)

gen/depthbook-san-apkg.so: $(SANAPKGOBJS)
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -shared -o $@ $(SANAPKGOBJS) $(APKG_LIBS)

gen/depthbook-san-svg.so: $(SANSVGOBJS)
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -shared -o $@ $(SANSVGOBJS) $(SVG_LIBS)

san: gen/depthbook-san

check: gen/depthbook
	./gen/depthbook check content

publish: gen/depthbook
	./gen/depthbook check content
	./gen/depthbook build -o out content

# npm test tools, pinned by tests/package-lock.json, into tests/node_modules:
# vnu-jar (the Nu HTML Checker), playwright-core (drives Debian's chromium)
# and axe-core (accessibility rules), for the site's tests; @daisy/ace-cli
# (Ace by DAISY, the EPUB accessibility checker) and lighthouse. Their
# puppeteer never downloads a browser: it drives Debian's /usr/bin/chromium.
test-deps: deps
	@./gen/deps.sh test
	@if [ ! -f tests/node_modules/.depthbook-installed ] || \
	    [ tests/package-lock.json -nt tests/node_modules/.depthbook-installed ]; then \
		echo "depthbook: installing npm test tools into tests/node_modules: vnu-jar, playwright-core, axe-core, @daisy/ace-cli, lighthouse"; \
		(cd tests && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) && \
		touch tests/node_modules/.depthbook-installed; \
	fi

test: test-deps gen/depthbook gen/depthbook-san
	@./tests/run.sh

clean:
	rm -rf gen/obj gen/obj-san gen/depthbook gen/depthbook-san gen/*.so out tests/obj

bench: gen/depthbook
	@./gen/deps.sh bench
	@./tests/bench/bench.sh

# libFuzzer over the whole pipeline (clang, ASan, UBSan). FUZZ_SECONDS=1800 make fuzz
FUZZ_SECONDS ?= 600
FUZZFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
tests/obj/fuzz_pipeline: tests/fuzz/fuzz_pipeline.c tests/fuzz/outcheck.c $(LIBSRCS) $(wildcard gen/*.h) VERSION gen/obj/.deps
	@mkdir -p tests/obj
	clang $(WARN) $(FUZZFLAGS) -rdynamic $(DEFS) $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_pipeline.c tests/fuzz/outcheck.c $(LIBSRCS) $(PKG_LIBS)

# outcheck FILE…: the fuzzer's output oracle as a command, for t_hostile.sh.
tests/obj/outcheck: tests/fuzz/outcheck_main.c tests/fuzz/outcheck.c tests/fuzz/outcheck.h gen/obj/.deps
	@mkdir -p tests/obj
	$(CC) $(WARN) -O1 -g $(PKG_CFLAGS) -o $@ tests/fuzz/outcheck_main.c tests/fuzz/outcheck.c $(PKG_LIBS)

# Inputs up to 1 MB, as big as the growth test's, and a 10 s limit per
# input, which a quadratic scan of one of them overruns (issue 15). The
# campaign goes on past a find (-fork), keeping every one in tests/obj/.
fuzz: tests/obj/fuzz_pipeline
	@./tests/fuzz/corpus.sh tests/obj/fuzz-corpus
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 ./tests/obj/fuzz_pipeline -max_total_time=$(FUZZ_SECONDS) -max_len=1048576 -timeout=10 \
		-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-artifact_prefix=tests/obj/ tests/obj/fuzz-corpus

# Every suite's generator runs under valgrind memcheck (no leaks, no invalid
# reads, no uninitialised values); any report fails the run. The sanitizer
# build is t_fresh's "another executable".
valgrind: test-deps gen/depthbook gen/depthbook-san
	@PASSES=valgrind ./tests/run.sh

# make install / make uninstall, with the names packagers expect. The
# executable finds its theme, skeleton and EPUB module from its own place
# (BINDIR/../share/depthbook, BINDIR/../lib/depthbook: gen/where.c), so keep
# BINDIR, DATADIR and LIBDIR under one PREFIX. INSTALL_EXE=gen/depthbook-san
# installs the sanitizer build (tests/t_install.sh's san pass).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
INSTALL_EXE ?= gen/depthbook
INSTALL     ?= install

.PHONY: install uninstall man-lint
install: $(INSTALL_EXE)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/depthbook $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(INSTALL_EXE) $(DESTDIR)$(BINDIR)/depthbook
	@# the modules: serve's, the Anki package writer's, and the EPUB renderer while it is one (gen/epub_module.c)
	for m in epub serve apkg svg; do if [ -f $(INSTALL_EXE)-$$m.so ]; then \
		$(INSTALL) -d $(DESTDIR)$(LIBDIR)/depthbook && \
		$(INSTALL) -m 644 $(INSTALL_EXE)-$$m.so $(DESTDIR)$(LIBDIR)/depthbook/depthbook-$$m.so || exit 1; fi; done
	for tree in themes/default skel; do \
		(cd $$tree && find . -type d) | while read -r d; do \
			$(INSTALL) -d "$(DESTDIR)$(DATADIR)/depthbook/$$tree/$$d" || exit 1; done && \
		(cd $$tree && find . -type f) | while read -r f; do \
			$(INSTALL) -m 644 "$$tree/$$f" "$(DESTDIR)$(DATADIR)/depthbook/$$tree/$$f" || exit 1; done \
		|| exit 1; done
	$(INSTALL) -m 644 man/depthbook.1 $(DESTDIR)$(MANDIR)/man1/depthbook.1
	@[ "$$(cd $(DESTDIR)$(BINDIR)/../share && pwd -P)" = "$$(cd $(DESTDIR)$(DATADIR) && pwd -P)" ] || \
		echo "depthbook: warning: DATADIR is not BINDIR/../share; depthbook will need --theme DIR"

# Removes what install wrote: the executable, the man page and depthbook's
# own directories under DATADIR and LIBDIR (nothing else lives there).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/depthbook $(DESTDIR)$(MANDIR)/man1/depthbook.1
	rm -rf $(DESTDIR)$(DATADIR)/depthbook $(DESTDIR)$(LIBDIR)/depthbook

man-lint:
	mandoc -Tlint man/depthbook.1
