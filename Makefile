# depthbook: `make` builds the generator and publishes content/ into out/;
# `make test` runs every test. Both install what they need first.

PKGS     := libcmark-gfm libxml-2.0 libzip yaml-0.1
WARN     := -std=c11 -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     := $(sort $(wildcard gen/*.c))
LIBSRCS  := $(filter-out gen/main.c,$(SRCS))
OBJS     := $(SRCS:gen/%.c=gen/obj/%.o)
SANOBJS  := $(SRCS:gen/%.c=gen/obj-san/%.o)
HDRS     := $(wildcard gen/*.h)

# pkg-config runs only once the build dependencies are there.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))

.PHONY: all deps publish check test test-deps san clean
.DEFAULT_GOAL := all

all: publish

deps: gen/obj/.deps

gen/obj/.deps: gen/deps.sh
	@./gen/deps.sh build cards
	@mkdir -p gen/obj && touch $@

gen/obj/%.o: gen/%.c $(HDRS) gen/obj/.deps
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

gen/depthbook: $(OBJS)
	$(CC) $(WARN) $(CFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

gen/obj-san/%.o: gen/%.c $(HDRS) gen/obj/.deps
	@mkdir -p gen/obj-san
	$(CC) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -c $< -o $@

gen/depthbook-san: $(SANOBJS)
	$(CC) $(WARN) $(SANFLAGS) -o $@ $(SANOBJS) $(PKG_LIBS)

san: gen/depthbook-san

check: gen/depthbook
	./gen/depthbook check content

publish: gen/depthbook
	./gen/depthbook check content
	./gen/depthbook build -o out content

# npm test tools, pinned by tests/package-lock.json, into tests/node_modules:
# vnu-jar (the Nu HTML Checker), playwright-core (drives Debian's chromium)
# and axe-core (accessibility rules), for the site's tests.
test-deps: deps
	@./gen/deps.sh test
	@if [ ! -f tests/node_modules/.depthbook-installed ] || \
	    [ tests/package-lock.json -nt tests/node_modules/.depthbook-installed ]; then \
		echo "depthbook: installing npm test tools into tests/node_modules: vnu-jar, playwright-core, axe-core"; \
		(cd tests && npm ci --no-audit --no-fund --loglevel=error) && \
		touch tests/node_modules/.depthbook-installed; \
	fi

test: test-deps gen/depthbook gen/depthbook-san
	@./tests/run.sh

clean:
	rm -rf gen/obj gen/obj-san gen/depthbook gen/depthbook-san out tests/obj
