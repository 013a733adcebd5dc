# depthbook: `make` builds the generator and publishes content/ into out/;
# `make test` runs every test. Both install what they need first.

# The EPUB renderer is a loadable module (gen/epub_module.c) with its own
# libraries, so that runs without an EPUB never load them.
CORE_PKGS := libcmark-gfm yaml-0.1
EPUB_PKGS := libxml-2.0 libzip libdeflate pangocairo
PKGS     := $(CORE_PKGS) $(EPUB_PKGS)
WARN     := -std=c11 -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     := $(sort $(wildcard gen/*.c))
LIBSRCS  := $(filter-out gen/main.c,$(SRCS))
EPUBSRCS := gen/epub_book.c gen/epub_xhtml.c gen/epub_pkg.c gen/epub_zip.c gen/cover.c
CORESRCS := $(filter-out $(EPUBSRCS),$(SRCS))
OBJS     := $(CORESRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token.o
SANOBJS  := $(CORESRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token.o
EPUBOBJS := $(EPUBSRCS:gen/%.c=gen/obj/%.o) gen/obj/build-token.o
SANEPUBOBJS := $(EPUBSRCS:gen/%.c=gen/obj-san/%.o) gen/obj-san/build-token.o
HDRS     := $(wildcard gen/*.h)

# The pkg-config packages, for the tests that link against the modules.
pkgs:
	@echo $(PKGS)

# pkg-config runs only once the build dependencies are there.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CORE_LIBS  = $(shell pkg-config --libs $(CORE_PKGS))
EPUB_LIBS  = $(shell pkg-config --libs $(EPUB_PKGS))

.PHONY: all deps publish check test test-deps san clean bench fuzz valgrind pkgs
.DEFAULT_GOAL := all

all: publish

deps: gen/obj/.deps

gen/obj/.deps: gen/deps.sh
	@./gen/deps.sh build cards
	@mkdir -p gen/obj && touch $@

gen/obj/%.o: gen/%.c $(HDRS) gen/obj/.deps
	$(CC) $(WARN) $(CFLAGS) -fPIC $(PKG_CFLAGS) -c $< -o $@

# The executable and the EPUB module each link a token of the build (a
# checksum of every source, header, the Makefile and the flags), which
# epub_module.c compares before it runs the module.
gen/obj/build-token.c gen/obj-san/build-token.c: $(SRCS) $(HDRS) Makefile gen/obj/.deps
	@mkdir -p $(@D)
	@printf 'const char epub_build_token[] = "depthbook-build-%s";\n' \
		"$$(cat $(SRCS) $(HDRS) Makefile | cksum | cut -d' ' -f1)-$$(echo '$(CC) $(CFLAGS) $(SANFLAGS) $@' | cksum | cut -d' ' -f1)" >$@.tmp && mv $@.tmp $@
gen/obj/build-token.o: gen/obj/build-token.c
	$(CC) $(WARN) $(CFLAGS) -fPIC -c $< -o $@
gen/obj-san/build-token.o: gen/obj-san/build-token.c
	$(CC) $(WARN) $(SANFLAGS) -fPIC -c $< -o $@

# The executable exports its symbols (-rdynamic) for the EPUB module.
gen/depthbook: $(OBJS) gen/depthbook-epub.so
	$(CC) $(WARN) $(CFLAGS) -rdynamic -o $@ $(OBJS) $(CORE_LIBS)

gen/depthbook-epub.so: $(EPUBOBJS)
	$(CC) $(WARN) $(CFLAGS) -shared -o $@ $(EPUBOBJS) $(EPUB_LIBS)

gen/obj-san/%.o: gen/%.c $(HDRS) gen/obj/.deps
	@mkdir -p gen/obj-san
	$(CC) $(WARN) $(SANFLAGS) -fPIC $(PKG_CFLAGS) -c $< -o $@

gen/depthbook-san: $(SANOBJS) gen/depthbook-san-epub.so
	$(CC) $(WARN) $(SANFLAGS) -rdynamic -o $@ $(SANOBJS) $(CORE_LIBS)

gen/depthbook-san-epub.so: $(SANEPUBOBJS)
	$(CC) $(WARN) $(SANFLAGS) -shared -o $@ $(SANEPUBOBJS) $(EPUB_LIBS)

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
tests/obj/fuzz_pipeline: tests/fuzz/fuzz_pipeline.c tests/fuzz/outcheck.c tests/unit/tree_xml.h $(LIBSRCS) gen/obj/build-token.c $(HDRS) gen/obj/.deps
	@mkdir -p tests/obj
	clang $(WARN) $(FUZZFLAGS) -rdynamic $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_pipeline.c tests/fuzz/outcheck.c $(LIBSRCS) gen/obj/build-token.c $(PKG_LIBS)

# outcheck FILE…: the fuzzer's output oracle as a command, for t_hostile.sh.
tests/obj/outcheck: tests/fuzz/outcheck_main.c tests/fuzz/outcheck.c tests/fuzz/outcheck.h gen/obj/.deps
	@mkdir -p tests/obj
	$(CC) $(WARN) -O1 -g $(PKG_CFLAGS) -o $@ tests/fuzz/outcheck_main.c tests/fuzz/outcheck.c $(PKG_LIBS)

fuzz: tests/obj/fuzz_pipeline
	@./tests/fuzz/corpus.sh tests/obj/fuzz-corpus
	./tests/obj/fuzz_pipeline -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-artifact_prefix=tests/obj/ tests/obj/fuzz-corpus

# Every suite's generator runs under valgrind memcheck (no leaks, no invalid
# reads, no uninitialised values); any report fails the run.
valgrind: test-deps gen/depthbook
	@PASSES=valgrind ./tests/run.sh
