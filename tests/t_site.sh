# t_site.sh: the static HTML site (issue 3). Builds the sample guides and
# compares them byte for byte with tests/site/golden/ (REGEN=1 shows the
# difference and rewrites it); builds the seed guide and runs the Nu HTML
# Checker over every page, a link checker over the whole site, and axe-core,
# search, study mode and screenshots in headless Chromium over file://.
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
	for f in site.css site.js; do
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
	expect "seed site has the library, front page, 2 question pages, 404" \
		"404.html index.html ops-architecture-deep-dive/index.html ops-architecture-deep-dive/q1.html ops-architecture-deep-dive/q2.html" \
		"$(cd "$t/seed/site" && find . -name '*.html' | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')"
	expect "every follow-up in the search index" 74 "$(grep -c '","Q[0-9]* › Depth [0-9]*","' "$t/seed/site/search-index.js")"
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
	bad=$(cat "$t"/hostile/site/*.html "$t"/hostile/site/hostile/*.html |
		grep -v -e '<script src="\(\.\./\)\{0,1\}search-index.js" defer></script>' \
		        -e '<script src="\(\.\./\)\{0,1\}assets/site.js" defer></script>' |
		grep -i -E '<script|<iframe|<style|<img|<div onclick| on[a-z]+=|javascript:|<h[4-6]' | head -3)
	expect "no raw HTML from a guide reaches a page" "" "$bad"
fi

# Math spans: MathML for every whitelisted command (\frac, \sqrt and
# \mathbb as elements), never TeX source, never broken markup.
if build math "$t/math" tests/site/math; then
	expect "math spans render as MathML" \
		"$(cat tests/site/math/expected)" "$(grep '<p><math ' "$t/math/site/math/q1.html")"
	expect "no math shows as TeX source" "" "$(grep -o '<math[^$]*</math>' "$t/math/site/math/q1.html" | grep -o '\\[A-Za-z]*' | head -3)"
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

# The theme's budget: CSS + JS under 40 KB uncompressed.
size=$(cat themes/default/site/site.css themes/default/site/site.js | wc -c)
if [ "$size" -lt 40960 ]; then pass "theme CSS + JS is $size bytes (< 40 KB)"; else fail "theme size" "$size bytes"; fi

checked && exit 0
[ -d "$t/seed/site" ] || exit 0

# The Nu HTML Checker over every page of both sites.
vnu=tests/node_modules/vnu-jar/build/dist/vnu.jar
if need java default-jre-headless && need "$vnu" "npm vnu-jar (make test-deps)"; then
	pages=$(find "$t/seed/site" "$t/sample/site" "$t/hostile/site" "$t/files/site" -name '*.html' | sort)
	# shellcheck disable=SC2086
	if java -jar "$vnu" --errors-only $pages >"$t/vnu.log" 2>&1; then
		pass "Nu HTML Checker: 0 errors on $(echo "$pages" | wc -l) pages"
	else
		fail "Nu HTML Checker" "$(grep -c 'error' "$t/vnu.log") errors: $(head -5 "$t/vnu.log")"
	fi
fi

if need node nodejs; then
	for s in seed sample files; do
		node tests/site/links.js "$t/$s/site" | sed "s/^\(PASS\|FAIL\) link check/\1 link check ($s)/"
	done
	if need /usr/bin/chromium chromium && need tests/node_modules/playwright-core "npm playwright-core (make test-deps)" &&
		need tests/node_modules/axe-core "npm axe-core (make test-deps)"; then
		shots=tests/obj/site-shots
		node tests/site/browser.js "$t/seed/site" "$shots" ops-architecture-deep-dive \
			"$t/sample/site/sample/q1.html" "$t/sample/site/sample/q2.html" "$t/sample/site/other/index.html" \
			"$t/files/site/g/q1.html" "$t/hostile/site/hostile/q1.html"
	fi
fi
