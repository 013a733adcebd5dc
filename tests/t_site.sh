# t_site.sh: the static HTML site (issue 3). Builds the sample guides and
# compares them byte for byte with tests/site/golden/ (REGEN=1 shows the
# difference and rewrites it); builds the seed guide and runs the Nu HTML
# Checker over every page, a link checker over the whole site, and in
# headless Chromium over file:// and over a 127.0.0.1 server (browser.js,
# study.js): axe-core, search, study mode before the first paint and CLS,
# the outline and shortcuts, code, spaced review, 404.html at depth, and
# screenshots; then Lighthouse on three page types (lighthouse.js).
# The san pass repeats every generator run with the sanitizer build and
# compares its output with the plain build's; the external validators run
# in the plain pass only.
. tests/lib.sh
t=$(scratch)
trap 'rm -rf "$t"' EXIT
export SOURCE_DATE_EPOCH=1700000000
golden=tests/site/golden
base=https://example.org/guides/

# build NAME OUT ARGS…: runs a build and passes when it exits 0.
build() {
	name=$1; out=$2; shift 2
	if "$DEPTHBOOK" build --only html -o "$out" "$@" >"$t/$name.log" 2>&1; then
		pass "site build $name"
		return 0
	fi
	fail "site build $name" "exit $?: $(head -5 "$t/$name.log")"
	return 1
}

# The sample guides against the golden files (the theme's assets are
# compared with the theme itself, so a theme edit needs no regeneration).
if build sample "$t/sample" --base-url "$base" tests/guides/sample; then
	if diff -r -x assets "$golden" "$t/sample/site" >"$t/golden.diff" 2>&1; then
		pass "site golden output (sample guides, byte for byte)"
	elif [ "${REGEN:-}" = 1 ] && [ "$PASS" = plain ]; then
		cat "$t/golden.diff"
		rm -rf "$golden" && mkdir -p "$golden" && cp -r "$t/sample/site/." "$golden/" && rm -rf "$golden/assets"
		pass "site golden output (regenerated)"
	else
		fail "site golden output" "$(head -20 "$t/golden.diff")"
	fi
	same=1
	for f in site.css site.js review.js highlight.js favicon.svg; do
		cmp -s "themes/default/site/$f" "$t/sample/site/assets/$f" || same=0
	done
	expect "site assets are the theme's files" 1 "$same"
	expect "sitemap lists absolute URLs under --base-url" 6 \
		"$(grep -c "<loc>${base}" "$t/sample/site/sitemap.xml")"
fi

# The seed guide, twice: reproducible to the byte.
if build seed "$t/seed" content && build seed-again "$t/seed2" content; then
	if diff -r "$t/seed/site" "$t/seed2/site" >/dev/null; then
		pass "site build is reproducible"
	else
		fail "site build is reproducible" "$(diff -r "$t/seed/site" "$t/seed2/site" | head -5)"
	fi
	# (the note is an XML comment, and XML forbids "--" inside one)
	if grep -q 'build with the base-url option' "$t/seed/site/sitemap.xml" && ! grep -q '<loc>' "$t/seed/site/sitemap.xml" &&
		xmllint --noout "$t/seed/site/sitemap.xml" 2>/dev/null; then
		pass "sitemap without --base-url is a one-line note, well-formed"
	else
		fail "sitemap without --base-url is a one-line note, well-formed" "$(head -3 "$t/seed/site/sitemap.xml")"
	fi
	expect "seed site has the library, front page, 2 question pages, review, 404" \
		"404.html index.html ops-architecture-deep-dive/index.html ops-architecture-deep-dive/q1.html ops-architecture-deep-dive/q2.html review.html" \
		"$(cd "$t/seed/site" && find . -name '*.html' | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')"
	idx=$t/seed/site/search/ops-architecture-deep-dive.js
	expect "every follow-up in its guide's search index" 74 "$(grep -c '^\["[^"]*","Q[0-9]* › Depth [0-9]*","' "$idx")"
	expect "every main question in its guide's search index" 2 "$(grep -c '^\["[^"]*","Q[0-9]*","' "$idx")"
	expect "the guide list of the search index" 'window.DEPTHBOOK_GUIDES = ["ops-architecture-deep-dive"];' "$(sed -n 2p "$t/seed/site/search/guides.js")"
	expect "every follow-up has a review card" 74 "$(grep -c '^\["[0-9a-f]\{16\}","q[0-9]*\.html#d[0-9]*",' "$t/seed/site/review/ops-architecture-deep-dive.js")"
	# The san pass: the same output as the plain build.
	if checked; then
		"$DB_ROOT/gen/depthbook" build --only html -o "$t/plain" content >/dev/null 2>&1
		if diff -r "$t/plain/site" "$t/seed/site" >/dev/null; then
			pass "sanitizer build writes the same site"
		else
			fail "sanitizer build writes the same site" "$(diff -r "$t/plain/site" "$t/seed/site" | head -5)"
		fi
	fi
fi

# Nothing from the guide reaches a page as markup.
if build hostile "$t/hostile" tests/site/hostile; then
	# (the head is the theme's: a guide reaches it only as escaped text)
	bad=$(for f in "$t"/hostile/site/*.html "$t"/hostile/site/hostile/*.html; do sed -n '/^<body/,$p' "$f"; done |
		grep -i -E '<script[ >]|<iframe|<style|<img|<div onclick| on[a-z]+=|javascript:|<h[4-6]' | head -3)
	expect "no raw HTML from a guide reaches a page" "" "$bad"
fi

# Math spans: MathML for every whitelisted command (\frac, \sqrt and
# \mathbb as elements), never TeX source, never broken markup.
if build math "$t/math" tests/site/math; then
	expect "math spans render as MathML" \
		"$(cat tests/site/math/expected)" "$(grep '<p><math ' "$t/math/site/math/q1.html")"
	expect "no math shows as TeX source" "" "$(grep -o '<math[^$]*</math>' "$t/math/site/math/q1.html" | grep -o '\\[A-Za-z]*' | head -3)"
fi

# The stress corpus (CJK and emoji, long tokens and wide tables, epilogue,
# images, many follow-ups, math, explicit ids and glossary pages) as one
# library, for the validators below.
build corpus "$t/corpus" tests/guides/cjk tests/guides/epilogue tests/guides/images tests/guides/long \
	tests/guides/many tests/guides/math tests/guides/links

# Every address of the site that an output prints with --base-url (pages
# and sitemap, EPUB entries, the deck's text and packages) names a page
# of the site and an id on it (tests/site/addresses.py), for each library
# of the corpus: the EPUB once named a question with an explicit id by
# its chapter name (sagas/saga.html), which the site never writes.
if need python3 python3; then
	for dir in tests/guides/*/; do
		name=$(basename "$dir")
		if "$DEPTHBOOK" build --only html,epub,anki --base-url "$base" -o "$t/addr-$name" "$dir" >"$t/addr-$name.log" 2>&1 &&
			python3 tests/site/addresses.py "$base" "$t/addr-$name" >"$t/addr-$name.out" 2>&1; then
			pass "site addresses: $name: $(tr '\n' ';' <"$t/addr-$name.out")"
		else
			fail "site addresses: $name" "$(head -5 "$t/addr-$name.log" "$t/addr-$name.out")"
		fi
	done
	# the links library's guides link to each other: every output prints them
	expect "site addresses: links: the site, the EPUB and both deck forms print some" 4 \
		"$(grep -c '^[a-z-]* [1-9][0-9]* addresses ok' "$t/addr-links.out")"
fi

# A right-to-left guide (tests/epub/he, Hebrew): every page of it and the
# library index say dir="rtl"; a left-to-right site's pages say dir="ltr".
if build hebrew "$t/he" tests/epub/he; then
	expect "site: every page of a Hebrew guide says dir=\"rtl\"" "" \
		"$(grep -L '<html lang="he" dir="rtl"' "$t/he/site/index.html" "$t/he/site/guide-he"/*.html)"
	[ -d "$t/sample/site" ] && expect "site: a left-to-right site's pages say dir=\"ltr\"" "" \
		"$(grep -L '<html lang="[a-zA-Z-]*" dir="ltr"' "$t/sample/site"/*.html "$t/sample/site"/*/*.html)"
fi

# Code blocks: focusable, with their language; the highlighter is loaded
# on the pages that have code and no other.
if build code "$t/code" tests/site/code; then
	expect "code blocks are focusable and name their language" 5 \
		"$(grep -c '<pre tabindex="0"><code class="language-[a-z]*">' "$t/code/site/code/q1.html")"
	expect "only the page with code loads the highlighter" "code/q1.html" \
		"$(cd "$t/code/site" && grep -l 'assets/highlight.js' index.html review.html 404.html code/*.html)"
fi

# --base-url: canonical, OpenGraph and Twitter card metadata on every page
# but 404.html (served at addresses that are not its own).
if [ -d "$t/sample/site" ]; then
	missing=""
	for f in index.html review.html sample/index.html sample/q1.html other/q1.html; do
		want=$base${f%index.html}
		for tag in "<link rel=\"canonical\" href=\"$want\">" "<meta property=\"og:url\" content=\"$want\">" \
			'<meta property="og:title" content=' '<meta property="og:description" content=' \
			'<meta name="twitter:card" content="summary">' '<meta name="twitter:title" content='; do
			grep -qF "$tag" "$t/sample/site/$f" || missing="$missing $f:$tag"
		done
	done
	expect "with --base-url every page has canonical, OpenGraph and Twitter metadata" "" "$missing"
	expect "without --base-url no page claims a canonical address" "" "$(grep -l 'rel="canonical"' "$t"/seed/site/*.html "$t"/seed/site/*/*.html 2>/dev/null)"
fi

# Files a guide links to (an image, a text file) are copied into the site.
if build files "$t/files" tests/site/files; then
	if cmp -s "tests/site/files/img/red dot.png" "$t/files/site/files/img/red dot.png" &&
		cmp -s tests/site/files/notes.txt "$t/files/site/files/notes.txt"; then
		pass "linked files are copied into site/files/"
	else
		fail "linked files are copied into site/files/" "$(cd "$t/files/site" && find . -type f | head -5)"
	fi
fi

# The theme's budget: CSS + JS under 50 KB uncompressed.
# (the highlighter is apart: loaded only on pages with code)
size=$(cat themes/default/site/site.css themes/default/site/site.js themes/default/site/review.js | wc -c)
if [ "$size" -lt 51200 ]; then pass "theme CSS + JS is $size bytes (< 50 KB)"; else fail "theme size" "$size bytes"; fi

plain_only "the Nu HTML Checker, the link checker, Chromium (axe-core, browser.js, study.js) and Lighthouse" || exit 0
[ -d "$t/seed/site" ] || { fail "site validators" "the seed site was not built, so nothing was validated"; exit 0; }

# The Nu HTML Checker over every page of both sites.
vnu=tests/node_modules/vnu-jar/build/dist/vnu.jar
if need java default-jre-headless && need "$vnu" "npm vnu-jar (make test-deps)"; then
	pages=$(find "$t/seed/site" "$t/sample/site" "$t/hostile/site" "$t/files/site" "$t/code/site" "$t/corpus/site" -name '*.html' | sort)
	# shellcheck disable=SC2086
	if java -jar "$vnu" --errors-only $pages >"$t/vnu.log" 2>&1; then
		pass "Nu HTML Checker: 0 errors on $(echo "$pages" | wc -l) pages"
	else
		fail "Nu HTML Checker" "$(grep -c 'error' "$t/vnu.log") errors: $(head -5 "$t/vnu.log")"
	fi
fi

if need node nodejs; then
	for s in seed sample files code corpus; do
		node tests/site/links.js "$t/$s/site" | sed "s/^\(PASS\|FAIL\) link check/\1 link check ($s)/"
	done
	if need /usr/bin/chromium chromium && need tests/node_modules/playwright-core "npm playwright-core (make test-deps)" &&
		need tests/node_modules/axe-core "npm axe-core (make test-deps)"; then
		shots=tests/obj/site-shots
		for mode in file http; do
			node tests/site/browser.js $mode "$t/seed/site" "$shots/$mode" ops-architecture-deep-dive \
				"$t/code/site/code/q1.html" \
				"$t/sample/site/sample/q1.html" "$t/sample/site/sample/q2.html" "$t/sample/site/other/index.html" \
				"$t/files/site/g/q1.html" "$t/hostile/site/hostile/q1.html" \
				"$t/corpus/site/cjk-emoji/q1.html" "$t/corpus/site/long-tokens/q1.html" "$t/corpus/site/epilogue/q2.html" \
				"$t/corpus/site/images/q1.html" "$t/corpus/site/many-followups/q1.html" "$t/corpus/site/math/q1.html"
		done
		# study mode, CLS, the split index at 100 guides, 404 at depth
		mkdir -p "$t/c100"
		for i in $(seq -w 1 100); do cp content/ops-architecture-deep-dive.md "$t/c100/g$i.md"; done
		"$DEPTHBOOK" build --only html -o "$t/s100" "$t/c100" >/dev/null 2>&1 &&
			"$DEPTHBOOK" build --only html -o "$t/based" --base-url "$base" content >/dev/null 2>&1 &&
			node tests/site/study.js "$t/seed/site" "$t/s100/site" "$t/based/site" ops-architecture-deep-dive
	fi
	if need tests/node_modules/.bin/lighthouse "npm lighthouse (make test-deps)"; then
		echo "     Lighthouse on the library, a guide and a question page (plain pass only)"
		node tests/site/lighthouse.js "$t/seed/site" ops-architecture-deep-dive
	fi
fi
