# t_epub.sh: the EPUB renderer. Builds the seed, the sample guides and
# tests/epub/fr (French, front matter id) with `--only epub`; checks the
# container layout, reproducibility across time zones, package metadata,
# navigation, cross-links, the quiz variant and the parse-back guard; runs
# epubcheck on every book (0 fatals/errors/warnings from its JSON report) and
# renders a chapter in headless Chromium (plain pass; the san pass re-runs
# every generator invocation and compares the books with the plain build's).
. tests/lib.sh
T=$(scratch)
trap 'rm -rf "$T"' EXIT
SDE=1767225600                 # 2026-01-01T00:00:00Z
SEED=content
SAMPLE=tests/guides/sample
FR=tests/epub/fr

# build NAME OUTDIR [ARGS…]: one generator run; records a FAIL on a non-zero exit.
build() {
	name=$1 out=$2
	shift 2
	if "$DEPTHBOOK" build --only epub -o "$out" "$@" >"$T/$name.log" 2>&1; then
		pass "build $name"
		return 0
	fi
	fail "build $name" "exit $?: $(head -5 "$T/$name.log")"
	return 1
}

export SOURCE_DATE_EPOCH=$SDE
TZ=UTC build utc "$T/a" $SEED $SAMPLE $FR
TZ=Asia/Tokyo build tokyo "$T/b" $SEED $SAMPLE $FR
TZ=America/St_Johns build quiz "$T/q" --epub-quiz $SEED $SAMPLE
build base-url "$T/u" --base-url https://example.org/guides $SAMPLE

# Reproducible: same SOURCE_DATE_EPOCH, different time zones → same bytes.
for slug in ops-architecture-deep-dive sample other guide-fr; do
	if [ -f "$T/a/epub/$slug.epub" ] && cmp -s "$T/a/epub/$slug.epub" "$T/b/epub/$slug.epub"; then
		pass "reproducible $slug.epub (TZ=UTC vs TZ=Asia/Tokyo)"
	else
		fail "reproducible $slug.epub" "missing, or the UTC and Tokyo builds differ"
	fi
done
# The san pass: the sanitizer build must write the same books as the plain one.
if [ "$PASS" = san ]; then
	TZ=UTC "$DB_ROOT/gen/depthbook" build --only epub -o "$T/plain" $SEED $SAMPLE $FR >/dev/null 2>&1
	for slug in ops-architecture-deep-dive sample other guide-fr; do
		if cmp -s "$T/a/epub/$slug.epub" "$T/plain/epub/$slug.epub"; then
			pass "sanitizer build writes the plain build's $slug.epub"
		else
			fail "sanitizer build writes the plain build's $slug.epub" "the books differ"
		fi
	done
fi

# An unchanged book is not rewritten (same inode: out_write skips it).
before=$(ls -i "$T/a/epub/sample.epub" 2>/dev/null | cut -d' ' -f1)
TZ=UTC build rebuild "$T/a" $SEED $SAMPLE $FR
after=$(ls -i "$T/a/epub/sample.epub" 2>/dev/null | cut -d' ' -f1)
if [ -n "$before" ] && [ "$before" = "$after" ]; then
	pass "an unchanged book is left in place"
else
	fail "an unchanged book is left in place" "inode $before became $after"
fi
# A different date gives a different book (the time is really in the bytes).
SOURCE_DATE_EPOCH=1767312000 build next-day "$T/d" $SAMPLE
if [ -f "$T/d/epub/sample.epub" ] && ! cmp -s "$T/a/epub/sample.epub" "$T/d/epub/sample.epub"; then
	pass "SOURCE_DATE_EPOCH changes the book"
else
	fail "SOURCE_DATE_EPOCH changes the book" "the books are the same"
fi

need unzip unzip || exit 0
need xmllint libxml2-utils || exit 0
E=$T/a/epub

# Container layout: entry order, and mimetype stored with no extra field.
got=$(unzip -Z1 "$E/sample.epub" 2>/dev/null | tr '\n' ' ')
expect "entry order" "mimetype META-INF/container.xml EPUB/package.opf EPUB/nav.xhtml EPUB/toc.ncx EPUB/title.xhtml EPUB/q1.xhtml EPUB/q2.xhtml EPUB/style.css EPUB/cover.svg " "$got"
hdr=$(od -An -tu1 -N58 "$E/sample.epub" | tr -s ' \n' ' ')
set -- $hdr
# local header: PK\3\4, method at 8-9, extra length at 28-29, name at 30
expect "mimetype is the first local header" "80 75 3 4" "$1 $2 $3 $4"
expect "mimetype is stored (method 0)" "0 0" "$9 ${10}"
shift 28
expect "mimetype has no extra field" "0 0" "$1 $2"
expect "mimetype name and content" "mimetypeapplication/epub+zip" "$(head -c 58 "$E/sample.epub" | tail -c 28)"
for slug in sample other ops-architecture-deep-dive; do
	n=$(unzip -Z -v "$E/$slug.epub" 2>/dev/null | grep -c 'file last modified on (DOS date/time):.*2026 Jan 1 00:00:00')
	total=$(unzip -Z1 "$E/$slug.epub" | wc -l)
	expect "every entry of $slug.epub is dated 2026-01-01 00:00 UTC" "$total" "$n"
done

mkdir -p "$T/x/sample" "$T/x/seed" "$T/x/fr" "$T/x/quiz" "$T/x/url"
unzip -q -o "$E/sample.epub" -d "$T/x/sample"
unzip -q -o "$E/ops-architecture-deep-dive.epub" -d "$T/x/seed"
unzip -q -o "$E/guide-fr.epub" -d "$T/x/fr"
unzip -q -o "$T/q/epub/sample.epub" -d "$T/x/quiz"
unzip -q -o "$T/u/epub/sample.epub" -d "$T/x/url"
OPF='declare namespace o="http://www.idpf.org/2007/opf"; declare namespace dc="http://purl.org/dc/elements/1.1/";'
# xp FILE XPATH: the string value of an XPath expression.
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }
opf() { xmllint --xpath "string($2)" --nonet "$1" 2>/dev/null; }
P=$T/x/sample/EPUB/package.opf
ns_opf() { xmllint --xpath "string(/*[local-name()='package']$2)" "$1" 2>/dev/null; }

expect "package version 3.0" "3.0" "$(ns_opf "$P" '/@version')"
expect "package xml:lang" "en" "$(ns_opf "$P" "/@*[local-name()='lang']")"
id=$(ns_opf "$P" "/*[local-name()='metadata']/*[local-name()='identifier']")
case "$id" in
urn:uuid:????????-????-8???-[89ab]???-????????????) pass "derived urn:uuid identifier ($id)" ;;
*) fail "derived urn:uuid identifier" "got [$id]" ;;
esac
expect "identifier stable across builds" "$id" "$(ns_opf "$T/x/quiz/EPUB/package.opf" "/*[local-name()='metadata']/*[local-name()='identifier']")"
other_id=$(unzip -p "$E/other.epub" EPUB/package.opf | xmllint --xpath "string(//*[local-name()='identifier'])" - 2>/dev/null)
[ -n "$other_id" ] && [ "$other_id" != "$id" ] && pass "guides get different identifiers" || fail "guides get different identifiers" "$id vs $other_id"
expect "front matter id" "urn:isbn:9780000000002" "$(ns_opf "$T/x/fr/EPUB/package.opf" "/*[local-name()='metadata']/*[local-name()='identifier']")"
expect "dc:language from front matter" "fr" "$(ns_opf "$T/x/fr/EPUB/package.opf" "/*[local-name()='metadata']/*[local-name()='language']")"
expect "dc:title" "Caching & Queues — a Sample Guide" "$(ns_opf "$P" "/*[local-name()='metadata']/*[local-name()='title']")"
expect "dc:creator" "Zoë Ångström" "$(ns_opf "$P" "/*[local-name()='metadata']/*[local-name()='creator']")"
expect "dc:description" "A small guide that exercises every feature: cross-links, tables, code, math, non-ASCII." "$(ns_opf "$P" "/*[local-name()='metadata']/*[local-name()='description']")"
expect "dcterms:modified from SOURCE_DATE_EPOCH" "2026-01-01T00:00:00Z" "$(ns_opf "$P" "/*[local-name()='metadata']/*[@property='dcterms:modified']")"
for p in accessMode accessModeSufficient accessibilityFeature accessibilityHazard accessibilitySummary; do
	n=$(xp "$P" "count(//*[@property='schema:$p'])")
	[ "${n:-0}" -ge 1 ] && pass "schema:$p present" || fail "schema:$p present" "count $n"
done
expect "cover-image item" "cover.svg image/svg+xml" "$(xp "$P" "string(//*[@properties='cover-image']/@href)") $(xp "$P" "string(//*[@properties='cover-image']/@media-type)")"
expect "nav item" "nav.xhtml" "$(xp "$P" "string(//*[@properties='nav']/@href)")"
expect "spine toc is the NCX" "application/x-dtbncx+xml" "$(xp "$P" "string(//*[@id=//*[local-name()='spine']/@toc]/@media-type)")"

# dcterms:modified without SOURCE_DATE_EPOCH: the guide file's mtime.
mkdir -p "$T/mt"
cp "$SAMPLE/sample.md" "$SAMPLE/other.md" "$T/mt/"
touch -d '2025-03-04 05:06:07 UTC' "$T/mt/sample.md"
touch -d '2025-06-01 00:00:00 UTC' "$T/mt/other.md"
(unset SOURCE_DATE_EPOCH; build mtime "$T/m" "$T/mt")
got=$(unzip -p "$T/m/epub/sample.epub" EPUB/package.opf 2>/dev/null | xmllint --xpath "string(//*[@property='dcterms:modified'])" - 2>/dev/null)
expect "dcterms:modified from the guide's mtime" "2025-03-04T05:06:07Z" "$got"

# xml:lang on every content document.
for f in "$T"/x/sample/EPUB/*.xhtml "$T"/x/fr/EPUB/*.xhtml; do
	want=en
	case "$f" in */fr/*) want=fr ;; esac
	got=$(xp "$f" "string(/*/@*[local-name()='lang' and namespace-uri()='http://www.w3.org/XML/1998/namespace'])")
	expect "xml:lang on $(basename "$(dirname "$(dirname "$f")")")/$(basename "$f")" "$want" "$got"
done

# Navigation: the toc lists the title page, sections, questions and every follow-up.
for book in seed sample; do
	src=$SEED/ops-architecture-deep-dive.md
	[ $book = sample ] && src=$SAMPLE/sample.md
	want=$((1 + $(grep -c '^## [0-9]' $src) + $(grep -c '^### Q[0-9]' $src) + $(grep -cE '^#{4,6} Depth [0-9]' $src)))
	N=$T/x/$book/EPUB/nav.xhtml
	expect "$book nav toc links" "$want" "$(xp "$N" "count(//*[local-name()='nav'][@id='toc']//*[local-name()='a'])")"
	expect "$book NCX navPoints" "$want" "$(xp "$T/x/$book/EPUB/toc.ncx" "count(//*[local-name()='navPoint'])")"
	expect "$book landmarks" "titlepage toc bodymatter" "$(xp "$N" "//*[local-name()='nav'][@id='landmarks']//*[local-name()='a']/@*[local-name()='type']" | sed -n 's/.*type="\([^"]*\)".*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
	# every toc link points at an id that exists
	bad=0
	for href in $(xp "$N" "//*[local-name()='nav'][@id='toc']//*[local-name()='a']/@href" | sed 's/ href="\([^"]*\)"/\1\n/g'); do
		file=${href%%#*} frag=${href#*#}
		[ -f "$T/x/$book/EPUB/$file" ] || { bad=$((bad + 1)); continue; }
		[ "$frag" = "$href" ] && continue
		[ "$(xp "$T/x/$book/EPUB/$file" "count(//*[@id='$frag'])")" = 1 ] || bad=$((bad + 1))
	done
	expect "$book toc links resolve" 0 "$bad"
done
expect "toc follow-up link" "q1.xhtml#q1-d2" "$(xp "$T/x/sample/EPUB/nav.xhtml" "string((//*[local-name()='a'][starts-with(., 'Depth 2:')])[1]/@href)")"

# Chapters: each follow-up shows its question, then its answer.
C=$T/x/sample/EPUB/q1.xhtml
expect "follow-up shows its question" "Q: What goes wrong when many keys expire at once?" "$(xp "$C" "normalize-space(//*[@id='q1-d1']/*[@class='q'])")"
expect "answer follows the question" "a" "$(xp "$C" "string(//*[@id='q1-d1']/*[@class='q']/following-sibling::*[1]/@class)")"
expect "cross-link in the guide" "q2.xhtml#q2-d1" "$(xp "$C" "string(//*[local-name()='a'][.='Q2']/@href)")"
expect "cross-link target exists" 1 "$(xp "$T/x/sample/EPUB/q2.xhtml" "count(//*[@id='q2-d1'])")"
expect "section link" "q1.xhtml#s1" "$(xp "$T/x/sample/EPUB/q2.xhtml" "string(//*[local-name()='a'][.='back to caching']/@href)")"
md=$(grep -l 'href="[^"]*\.md\(#[^"]*\)\{0,1\}"' "$T"/x/*/EPUB/*.xhtml | wc -l)
expect "no link points at Markdown" 0 "$md"
expect "link to another guide becomes a reference" "its first follow-up (in “Retries”, Q1 › Depth 1)" "$(xp "$C" "normalize-space(//*[@class='xref']/..)" | sed 's/^See //; s/ — .*//')"
expect "with --base-url it links to the site" "https://example.org/guides/other/q1.html#d1" "$(xp "$T/x/url/EPUB/q1.xhtml" "string(//*[local-name()='a'][.='its first follow-up']/@href)")"
expect "math as MathML" "O(nlogn)" "$(xp "$C" "string((//*[local-name()='math'])[1])")"
expect "a chapter with math declares mathml" "mathml" "$(ns_opf "$P" "/*[local-name()='manifest']/*[local-name()='item'][@href='q1.xhtml']/@properties")"
expect "table kept" 2 "$(xp "$C" "count(//*[local-name()='tbody']/*[local-name()='tr'])")"
expect "code kept, escaped" '    return cache.get(key) or load(key)  # <script>alert("x")</script>' "$(xp "$C" "string(//*[local-name()='code'][@class='language-python'])" | sed -n 2p)"
expect "no script element" 0 "$(xp "$C" "count(//*[local-name()='script'])")"
expect "table alignment as style" "text-align: right" "$(xp "$T/x/fr/EPUB/q1.xhtml" "string((//*[local-name()='th'])[2]/@style)")"

F=$T/x/fr/EPUB
expect "image packed once" "EPUB/media/img1.svg" "$(unzip -Z1 "$E/guide-fr.epub" | grep '^EPUB/media/' | tr '\n' ' ' | sed 's/ $//')"
cmp -s "$F/media/img1.svg" "$FR/file queue.svg" && pass "image bytes kept" || fail "image bytes kept" "differ or missing"
expect "images point at the packed file" "2 media/img1.svg" "$(xp "$F/q1.xhtml" "count(//*[local-name()='img'][@src='media/img1.svg'])") $(xp "$F/package.opf" "string(//*[@media-type='image/svg+xml'][not(@properties)]/@href)")"
expect "an image of no EPUB type becomes its alt text" "une vieille figure" "$(xp "$F/q1.xhtml" "string(//*[@class='image-alt'])")"

# --epub-quiz: the questions first, each linking to its answer, which links back.
Q=$T/x/quiz/EPUB/q1.xhtml
expect "quiz lists every follow-up" 3 "$(xp "$Q" "count(//*[@class='quiz-list']/*[local-name()='li'])")"
expect "quiz item links to its answer" "#q1-d2" "$(xp "$Q" "string(//*[@id='q1-d2-q']/*[local-name()='a']/@href)")"
expect "answer links back" "#q1-d2-q" "$(xp "$Q" "string(//*[@id='q1-d2']//*[@class='back']/*[local-name()='a']/@href)")"
expect "quiz list comes before the answers" 0 "$(xp "$Q" "count(//*[@class='quiz']/preceding::*[@class='depth'])")"
expect "quiz item shows the question" "Depth 2: How do you prevent it?" "$(xp "$Q" "normalize-space(//*[@id='q1-d2-q'])")"
expect "no quiz without --epub-quiz" 0 "$(xp "$C" "count(//*[@class='quiz'])")"

# The parse-back guard: a theme piece that is not well-formed XML is an
# internal error naming the file, and no book is written.
cp -r themes/default "$T/badtheme"
sed -i 's|<h2 id="{{id}}-h">|<h2 id="{{id}}-h"><b>|' "$T/badtheme/epub/depth.xhtml"
"$DEPTHBOOK" build --only epub --theme "$T/badtheme" -o "$T/bad" $SAMPLE >"$T/bad.log" 2>&1
st=$?
expect "broken XHTML exits 2" 2 "$st"
grep -Eq '^tests/guides/sample/(other|sample)\.md: error: EPUB/q1\.xhtml in (other|sample)\.epub is not well-formed XML: .+ \[internal\]' "$T/bad.log" &&
	pass "broken XHTML names the file" || fail "broken XHTML names the file" "$(head -3 "$T/bad.log")"
[ ! -e "$T/bad/epub/sample.epub" ] && [ ! -e "$T/bad/epub/other.epub" ] && pass "no broken book written" ||
	fail "no broken book written" "$(ls "$T/bad/epub")"

# The same with every renderer: the EPUB runs in a second process
# (gen/parallel.c; DEPTHBOOK_JOBS=2, as the sample is too small to fork
# for by itself), and its diagnostic must come back to the parent, fail
# the build and leave no output.
DEPTHBOOK_JOBS=2 "$DEPTHBOOK" build --only html,epub,anki --theme "$T/badtheme" -o "$T/bad2" $SAMPLE >"$T/bad2.log" 2>&1
expect "broken XHTML in the EPUB process exits 2" 2 "$?"
grep -Eq '^tests/guides/sample/(other|sample)\.md: error: EPUB/q1\.xhtml in (other|sample)\.epub is not well-formed XML: .+ \[internal\]' "$T/bad2.log" &&
	pass "the EPUB process's diagnostic reaches the parent" ||
	fail "the EPUB process's diagnostic reaches the parent" "$(head -3 "$T/bad2.log")"
expect "the EPUB process's failure says so once" 1 "$(grep -c 'not well-formed' "$T/bad2.log")"
[ ! -e "$T/bad2" ] && pass "no output when the EPUB process fails" || fail "no output when the EPUB process fails" "$(ls "$T/bad2")"

# A long guide (the seed 10x, 370 KB) has its chapters rendered by two
# processes: the book must be byte-identical to a one-process build, and an
# image in the second half must be packed and shown.
mkdir -p "$T/big"
tests/bench/scale.sh 10 "$T/big/guide.md"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n' >"$T/big/dot.svg"
printf '\nThe last picture: ![a dot](dot.svg)\n' >>"$T/big/guide.md"
"$DEPTHBOOK" build --only epub -o "$T/bigout" "$T/big" >"$T/big.log" 2>&1
expect "long guide builds" 0 "$?"
DEPTHBOOK_JOBS=1 "$DEPTHBOOK" build --only epub -o "$T/bigone" "$T/big" >"$T/bigone.log" 2>&1
cmp -s "$T/bigout/epub/guide.epub" "$T/bigone/epub/guide.epub" &&
	pass "long guide: two processes and one make the same book" ||
	fail "long guide: two processes and one make the same book" "$(ls -l "$T/bigout/epub" "$T/bigone/epub" 2>&1 | head -4)"
last=$(unzip -Z1 "$T/bigout/epub/guide.epub" | grep -E '^EPUB/q[0-9]+\.xhtml$' | sort -t q -k2 -n | tail -1)
expect "long guide: the image is packed" "EPUB/media/img1.svg" "$(unzip -Z1 "$T/bigout/epub/guide.epub" | grep '^EPUB/media/')"
unzip -p "$T/bigout/epub/guide.epub" "$last" | grep -q '<img src="media/img1.svg" alt="a dot"' &&
	pass "long guide: the last chapter shows the image ($last)" ||
	fail "long guide: the last chapter shows the image ($last)" "$(unzip -p "$T/bigout/epub/guide.epub" "$last" | grep -o '<img[^>]*>' | head -2)"

# The rest runs external validators: plain pass only.
plain_only "epubcheck and the Chromium renders" || exit 0

# epubcheck: 0 fatals, 0 errors, 0 warnings, counted from its JSON report.
# The books are checked in parallel (one JVM each), then the reports read.
# check_start BOOK KEY: starts epubcheck on BOOK, report in $T/KEY.json.
check_start() {
	java -jar /usr/share/java/epubcheck.jar "$1" --json "$T/$2.json" >"$T/$2.log" 2>&1 &
}
# check_counts KEY: "fatals errors warnings | first messages" from a report.
check_counts() {
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const c = {FATAL: 0, ERROR: 0, WARNING: 0};
		for (const m of r.messages) if (m.severity in c) c[m.severity] += m.locations.length || 1;
		const first = r.messages.filter(m => m.severity in c).slice(0, 3)
			.map(m => m.ID + " " + m.message + " @" + (m.locations[0] || {}).path).join("; ");
		console.log(c.FATAL + " " + c.ERROR + " " + c.WARNING + (first ? " | " + first : ""));
	' "$T/$1.json" 2>&1
}
if need java default-jre-headless && need /usr/share/java/epubcheck.jar epubcheck && need node nodejs; then
	# A well-formed but invalid chapter, to show the report parsing can fail.
	cp -r themes/default "$T/invalid"
	sed -i 's|<div class="answer">|<div class="answer"><blink>x</blink>|' "$T/invalid/epub/chapter.xhtml"
	"$DEPTHBOOK" build --only epub --theme "$T/invalid" -o "$T/inv" $SAMPLE >/dev/null 2>&1
	check_start "$E/ops-architecture-deep-dive.epub" seed
	check_start "$T/q/epub/ops-architecture-deep-dive.epub" seed-quiz
	check_start "$E/sample.epub" sample
	check_start "$T/q/epub/sample.epub" sample-quiz
	check_start "$E/other.epub" other
	check_start "$E/guide-fr.epub" fr
	check_start "$T/u/epub/sample.epub" sample-url
	check_start "$T/inv/epub/sample.epub" invalid
	check_start "$T/bigout/epub/guide.epub" big
	wait
	for key in seed:"seed" seed-quiz:"seed --epub-quiz" \
		sample:"sample (cross-links, table, code, math, non-ASCII)" sample-quiz:"sample --epub-quiz" \
		other:"other" fr:"French guide with front matter id and images" sample-url:"sample --base-url" \
		big:"long guide rendered by two processes"; do
		expect "epubcheck ${key#*:} (fatals errors warnings)" "0 0 0" "$(check_counts "${key%%:*}")"
	done
	n=$(check_counts invalid | cut -d' ' -f2)
	[ "${n:-0}" -ge 1 ] 2>/dev/null && pass "epubcheck report parsing sees errors in an invalid book ($n)" ||
		fail "epubcheck report parsing sees errors in an invalid book" "got [$(check_counts invalid)]"
fi

# A chapter in headless Chromium: unpack, render to PNG, keep it for a look.
if need chromium chromium; then
	shots=${EPUB_SHOTS:-$T/shots}
	mkdir -p "$shots"
	for what in sample/EPUB/q1.xhtml quiz/EPUB/q1.xhtml sample/EPUB/cover.svg; do
		png=$shots/$(echo "$what" | tr '/' '-' | sed 's/\.[a-z]*$//').png
		rm -f "$png"
		timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$(mktemp -d "$T/chr.XXXXXX")" --hide-scrollbars \
			--screenshot="$png" --window-size=600,900 "file://$T/x/$what" >/dev/null 2>&1
		size=$(wc -c <"$png" 2>/dev/null || echo 0)
		# a blank page compresses to a few hundred bytes
		[ "$size" -gt 8000 ] && pass "chromium renders $what ($size bytes)" || fail "chromium renders $what" "PNG of $size bytes"
	done
fi
