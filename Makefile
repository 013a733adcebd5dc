# depthbook: `make` builds the generator and publishes content/ into out/;
# `make test` runs every test. Both install what they need first.

# The EPUB renderer is a loadable module (gen/epub_module.c) with its own
# libraries, so that runs without an EPUB never load them.
CORE_PKGS := libcmark-gfm yaml-0.1
EPUB_PKGS := libxml-2.0 libzip libdeflate
PKGS     := $(CORE_PKGS) $(EPUB_PKGS)
WARN     := -std=c11 -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     := $(sort $(wildcard gen/*.c))
LIBSRCS  := $(filter-out gen/main.c,$(SRCS))
EPUBSRCS := gen/epub.c gen/epub_pkg.c gen/epub_zip.c
CORESRCS := $(filter-out $(EPUBSRCS),$(SRCS))
OBJS     := $(CORESRCS:gen/%.c=gen/obj/%.o)
SANOBJS  := $(CORESRCS:gen/%.c=gen/obj-san/%.o)
EPUBOBJS := $(EPUBSRCS:gen/%.c=gen/obj/%.o)
SANEPUBOBJS := $(EPUBSRCS:gen/%.c=gen/obj-san/%.o)
# The version lives in VERSION alone; main.c gets it as DEPTHBOOK_VERSION.
VERSION  := $(shell cat VERSION)
DEFS     := -DDEPTHBOOK_VERSION='"$(VERSION)"'
# -MMD: each object's header dependencies, as the compiler found them, in
# its .d file beside it (read back below), so that an edit to a header
# rebuilds the objects that include it and no other.
DEPFLAGS := -MMD -MP

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

# CPPFLAGS, CFLAGS and LDFLAGS are the user's (make CFLAGS=-O3
# LDFLAGS=-Wl,-z,now); WARN and the packages' flags are always added.
gen/obj/%.o: gen/%.c gen/obj/%.d gen/obj/.deps
	$(CC) $(WARN) $(MAINDEFS) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -fPIC $(PKG_CFLAGS) -c $< -o $@

gen/obj/main.o gen/obj-san/main.o: VERSION
gen/obj/main.o gen/obj-san/main.o: MAINDEFS = $(DEFS)

# The executable exports its symbols (-rdynamic) for the EPUB module.
gen/depthbook: $(OBJS) gen/depthbook-epub.so
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -rdynamic -o $@ $(OBJS) $(CORE_LIBS)

gen/depthbook-epub.so: $(EPUBOBJS)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -shared -o $@ $(EPUBOBJS) $(EPUB_LIBS)

gen/obj-san/%.o: gen/%.c gen/obj-san/%.d gen/obj/.deps
	@mkdir -p gen/obj-san
	$(CC) $(WARN) $(MAINDEFS) $(CPPFLAGS) $(SANFLAGS) $(DEPFLAGS) -fPIC $(PKG_CFLAGS) -c $< -o $@

gen/depthbook-san: $(SANOBJS) gen/depthbook-san-epub.so
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -rdynamic -o $@ $(SANOBJS) $(CORE_LIBS)

gen/depthbook-san-epub.so: $(SANEPUBOBJS)
	$(CC) $(WARN) $(SANFLAGS) $(LDFLAGS) -shared -o $@ $(SANEPUBOBJS) $(EPUB_LIBS)

# The header dependencies -MMD wrote. An object whose .d is missing (its
# first build, or one made before -MMD) is made again: the .d files are
# targets with no recipe, so a missing one counts as new (the compiler
# writes the .d before the object, so a present one is never newer).
DEPFILES := $(OBJS:.o=.d) $(SANOBJS:.o=.d) $(EPUBOBJS:.o=.d) $(SANEPUBOBJS:.o=.d)
$(DEPFILES):
-include $(DEPFILES)

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
tests/obj/fuzz_pipeline: tests/fuzz/fuzz_pipeline.c tests/fuzz/outcheck.c $(LIBSRCS) $(wildcard gen/*.h) gen/obj/.deps
	@mkdir -p tests/obj
	clang $(WARN) $(FUZZFLAGS) -rdynamic $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_pipeline.c tests/fuzz/outcheck.c $(LIBSRCS) $(PKG_LIBS)

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
