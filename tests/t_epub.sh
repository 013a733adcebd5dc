# t_epub.sh: the EPUB renderer. Builds the seed, the sample guides,
# tests/epub/fr (French, front matter id), tests/epub/he (Hebrew, right to
# left) and every library of the corpus
# tests/guides/ with `--only epub`, with and without --epub-quiz; checks the
# container layout, reproducibility across time zones, the cover, package and
# accessibility metadata, navigation and outline, cross-links, the quiz
# variant, the theme check and the module's build token; parses every entry
# of every book back (tests/obj/outcheck, the fuzz oracle: the build itself
# does not). Plain pass only, each once per book, and saying so: epubcheck (0
# fatals/errors/warnings from its JSON report), Ace by DAISY (0 violations),
# calibre (cover found, AZW3 and TXT conversions without a warning) and
# headless Chromium (contrast with the book's colours and reader themes,
# nothing wider than the page, the quiz at an e-reader's page). The san pass
# re-runs every generator invocation and compares the books with the plain
# build's.
. tests/lib.sh
T=$(scratch)
trap 'rm -rf "$T"' EXIT
SDE=1767225600                 # 2026-01-01T00:00:00Z
SEED=content
SAMPLE=tests/guides/sample
FR=tests/epub/fr
HE=tests/epub/he

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
TZ=UTC build utc "$T/a" $SEED $SAMPLE $FR $HE
TZ=Asia/Tokyo build tokyo "$T/b" $SEED $SAMPLE $FR
TZ=America/St_Johns build quiz "$T/q" --epub-quiz $SEED $SAMPLE
build base-url "$T/u" --base-url https://example.org/guides $SAMPLE
# The corpus: each directory is a library; with and without the quiz.
CORPUS=""
mkdir -p "$T/c" "$T/cq"
for dir in tests/guides/*/; do
	lib=$(basename "$dir")
	[ "$lib" = sample ] && continue
	CORPUS="$CORPUS $lib"
	build "corpus $lib" "$T/c/$lib" "$dir"
	build "corpus $lib --epub-quiz" "$T/cq/$lib" --epub-quiz "$dir"
done

# A Hebrew guide reads right to left: every page says dir="rtl", and the
# spine turns its pages that way; a left-to-right one says dir="ltr".
if [ -f "$T/a/epub/guide-he.epub" ]; then
	unzip -o -q "$T/a/epub/guide-he.epub" -d "$T/he"
	expect "a right-to-left book: every page says dir=\"rtl\"" "" \
		"$(grep -L '<html[^>]* dir="rtl"' "$T/he/EPUB"/*.xhtml)"
	expect "a right-to-left book: its spine turns pages right to left" 1 \
		"$(grep -c '<spine[^>]* page-progression-direction="rtl"' "$T/he/EPUB/package.opf")"
	unzip -o -q "$T/a/epub/guide-fr.epub" -d "$T/frx"
	expect "a left-to-right book: every page says dir=\"ltr\", the spine no direction" "0 0" \
		"$(grep -L '<html[^>]* dir="ltr"' "$T/frx/EPUB"/*.xhtml | wc -l) $(grep -c 'page-progression-direction' "$T/frx/EPUB/package.opf")"
fi

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
expect "entry order" "mimetype META-INF/container.xml EPUB/cover.xhtml EPUB/title.xhtml EPUB/nav.xhtml EPUB/s1.xhtml EPUB/q1.xhtml EPUB/s2.xhtml EPUB/q2.xhtml EPUB/toc.ncx EPUB/style.css EPUB/cover.png EPUB/package.opf " "$got"
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
expect "cover-image item" "cover.png image/png" "$(xp "$P" "string(//*[@properties='cover-image']/@href)") $(xp "$P" "string(//*[@properties='cover-image']/@media-type)")"
expect "EPUB 2 cover meta names the cover image" "cover.png" "$(xp "$P" "string(//*[@id=//*[@name='cover']/@content]/@href)")"
expect "the cover page is first in the spine, linear" "cover.xhtml " "$(xp "$P" "string(//*[@id=(//*[local-name()='itemref'])[1]/@idref]/@href)") $(xp "$P" "string((//*[local-name()='itemref'])[1]/@linear)")"
expect "the cover page shows the cover image with its alt text" "cover.png|Cover: Caching & Queues — a Sample Guide, by Zoë Ångström" "$(xp "$T/x/sample/EPUB/cover.xhtml" "string(//*[local-name()='img']/@src)")|$(xp "$T/x/sample/EPUB/cover.xhtml" "string(//*[local-name()='img']/@alt)")"
# The PNG: 1600 × 2560, and nothing but its pixels (no tIME or text chunk).
# png_chunks FILE: width, height and the chunks' names, each marked when its
# CRC is wrong, and the pixels marked when they do not inflate or hold
# another number of rows or bytes than the header says
png_chunks() { python3 -c '
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", d[16:24]); i = 8; names = []; idat = b""
while i < len(d):
    n = struct.unpack(">I", d[i:i + 4])[0]; kind = d[i + 4:i + 8]
    crc = struct.unpack(">I", d[i + 8 + n:i + 12 + n])[0]
    names.append(kind.decode() + ("" if crc == zlib.crc32(d[i + 4:i + 8 + n]) else "(bad-CRC)"))
    if kind == b"IDAT": idat += d[i + 8:i + 8 + n]
    i += 12 + n
try:
    rows = zlib.decompress(idat)
    # every row: its filter type, then its pixels at the depth of IHDR
    row = 1 + (w * {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[d[25]] * d[24] + 7) // 8
    if len(rows) != h * row: names.append("(IDAT-holds-%d-bytes-not-%d)" % (len(rows), h * row))
    elif any(rows[y * row] > 4 for y in range(h)): names.append("(bad-filter-type)")
except zlib.error: names.append("(IDAT-does-not-inflate)")
print(w, h, " ".join(names))' "$1" 2>&1; }
expect "cover.png is 1600 × 2560 with only its pixel chunks" "1600 2560 IHDR PLTE IDAT IEND" "$(png_chunks "$T/x/sample/EPUB/cover.png")"
expect "the contributor line says depthbook made the book" "depthbook bkp" "$(ns_opf "$P" "/*[local-name()='metadata']/*[local-name()='contributor']") $(xp "$P" "string(//*[@refines='#producer'][@property='role'])")"
expect "dc:creator is the author" "aut" "$(xp "$P" "string(//*[@refines='#author'][@property='role'])")"
expect "accessibility conformance claim" "EPUB Accessibility 1.1 - WCAG 2.1 Level AA" "$(xp "$P" "string(//*[@property='dcterms:conformsTo'])")"
case "$(xp "$P" "string(//*[@property='a11y:certifiedBy'])")" in
*t_epub.sh*) pass "a11y:certifiedBy names depthbook's test" ;;
*) fail "a11y:certifiedBy names depthbook's test" "got [$(xp "$P" "string(//*[@property='a11y:certifiedBy'])")]" ;;
esac
expect "no image: accessMode textual only" "textual" "$(xp "$P" "//*[@property='schema:accessMode']/text()" | tr '\n' ' ' | sed 's/ $//')"
case "$(xp "$P" "string(//*[@property='schema:accessibilitySummary'])")" in
*"2 questions and 4 follow-ups"*"Tables have header rows"*"Math is MathML"*) pass "the summary is computed from the book (counts, tables, math)" ;;
*) fail "the summary is computed from the book" "got [$(xp "$P" "string(//*[@property='schema:accessibilitySummary'])")]" ;;
esac
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
	[ -f "$T/x/$book/EPUB/epilogue.xhtml" ] && want=$((want + 1)) # the closing note
	N=$T/x/$book/EPUB/nav.xhtml
	expect "$book nav toc links" "$want" "$(xp "$N" "count(//*[local-name()='nav'][@id='toc']//*[local-name()='a'])")"
	expect "$book NCX navPoints" "$want" "$(xp "$T/x/$book/EPUB/toc.ncx" "count(//*[local-name()='navPoint'])")"
	expect "$book landmarks" "cover titlepage toc bodymatter" "$(xp "$N" "//*[local-name()='nav'][@id='landmarks']//*[local-name()='a']/@*[local-name()='type']" | sed -n 's/.*type="\([^"]*\)".*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
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
expect "toc follow-up link" "q1.xhtml#q1-d2" "$(xp "$T/x/sample/EPUB/nav.xhtml" "string((//*[local-name()='a'][starts-with(., 'Depth 2 ·')])[1]/@href)")"
expect "the toc and the NCX read as questions" "Depth 2 · How do you prevent it?|Depth 2 · How do you prevent it?" "$(xp "$T/x/sample/EPUB/nav.xhtml" "normalize-space((//*[local-name()='nav'][@id='toc']//*[local-name()='a'])[5])")|$(xp "$T/x/sample/EPUB/toc.ncx" "normalize-space((//*[local-name()='navLabel'])[5])")"
expect "toc nav has role doc-toc" "doc-toc" "$(xp "$T/x/sample/EPUB/nav.xhtml" "string(//*[local-name()='nav'][@id='toc']/@role)")"

# Outline: sections are headings on their own pages; each chapter's
# heading is its question, each follow-up's heading carries its question.
C=$T/x/sample/EPUB/q1.xhtml
expect "a section is a heading" "1. Caching" "$(xp "$T/x/sample/EPUB/s1.xhtml" "normalize-space(//*[local-name()='h1'])")"
expect "chapters are doc-chapter" "chapter doc-chapter" "$(xp "$C" "string(//*[local-name()='section'][@class='question']/@*[local-name()='type'])") $(xp "$C" "string(//*[local-name()='section'][@class='question']/@role)")"
expect "chapter outline: question, then its follow-ups' questions" "Q1: How would you put a cache in front of a slow database?|Depth 1 · What goes wrong when many keys expire at once?|Depth 2 · How do you prevent it?|Depth 3 · What does the other guide say about retries?" "$(for i in 1 2 3 4; do xp "$C" "normalize-space((//*[local-name()='h1' or local-name()='h2'])[$i])"; echo; done | grep -v '^$' | paste -sd'|')"
expect "the answer follows its follow-up's heading" "a" "$(xp "$C" "string(//*[@id='q1-d1']/*[local-name()='h2']/following-sibling::*[1]/@class)")"
expect "cross-link in the guide" "q2.xhtml#q2-d1" "$(xp "$C" "string(//*[local-name()='a'][.='Q2']/@href)")"
expect "cross-link target exists" 1 "$(xp "$T/x/sample/EPUB/q2.xhtml" "count(//*[@id='q2-d1'])")"
expect "section link" "s1.xhtml" "$(xp "$T/x/sample/EPUB/q2.xhtml" "string(//*[local-name()='a'][.='back to caching']/@href)")"
# The seed names no author: no dc:creator, the contributor line only.
SP=$T/x/seed/EPUB/package.opf
expect "no author: no dc:creator, depthbook as contributor" "0 depthbook" "$(xp "$SP" "count(//*[local-name()='creator'])") $(xp "$SP" "string(//*[local-name()='contributor'])")"
md=$(grep -l 'href="[^"]*\.md\(#[^"]*\)\{0,1\}"' "$T"/x/*/EPUB/*.xhtml | wc -l)
expect "no link points at Markdown" 0 "$md"
expect "link to another guide becomes a reference" "its first follow-up (in “Retries”, Q1 › Depth 1)" "$(xp "$C" "normalize-space(//*[@class='xref']/..)" | sed 's/^See //; s/ — .*//')"
expect "with --base-url it links to the site" "https://example.org/guides/other/q1.html#d1" "$(xp "$T/x/url/EPUB/q1.xhtml" "string(//*[local-name()='a'][.='its first follow-up']/@href)")"
expect "math as MathML" "O(nlogn)" "$(xp "$C" "string((//*[local-name()='math'])[1])")"
expect "a page with MathML says so in the manifest" "mathml" "$(xp "$P" "string(//*[@id='q1']/@properties)")"
expect "MathML is an accessibility feature" 1 "$(xp "$P" "count(//*[@property='schema:accessibilityFeature'][.='MathML'])")"
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

# --epub-quiz: the main question and the follow-up questions first, each
# linking to its answer, which starts a page of its own and links back.
Q=$T/x/quiz/EPUB/q1.xhtml
expect "quiz lists the main answer and every follow-up" 4 "$(xp "$Q" "count(//*[@class='quiz-list']/*[local-name()='li'])")"
expect "quiz item links to its answer" "#q1-d2" "$(xp "$Q" "string(//*[@id='q1-d2-q']/*[local-name()='a']/@href)")"
expect "answer links back" "#q1-d2-q" "$(xp "$Q" "string(//*[@id='q1-d2']//*[@class='back']/*[local-name()='a']/@href)")"
expect "the main answer is a page of its own that links back" "answer answer-page #q1-a-q" "$(xp "$Q" "string(//*[@id='q1-answer']/@class)") $(xp "$Q" "string(//*[@id='q1-answer']//*[@class='back']/*[local-name()='a']/@href)")"
expect "every follow-up's answer is a page of its own" 3 "$(xp "$Q" "count(//*[@class='depth answer-page'])")"
expect "quiz list comes before every answer" 0 "$(xp "$Q" "count(//*[@class='quiz']/preceding::*[contains(@class,'answer-page')])")"
expect "quiz item shows the question" "Depth 2 · How do you prevent it?" "$(xp "$Q" "normalize-space(//*[@id='q1-d2-q'])")"
expect "no quiz without --epub-quiz" 0 "$(xp "$C" "count(//*[@class='quiz'])")"

# The epilogue (closing note) is the last page, in the contents.
EL=$T/c/epilogue/epub/epilogue.epub
mkdir -p "$T/x/epilogue"
unzip -q -o "$EL" -d "$T/x/epilogue" 2>/dev/null
expect "the epilogue is the last page of the spine" "epilogue" "$(xp "$T/x/epilogue/EPUB/package.opf" "string((//*[local-name()='itemref'])[last()]/@idref)")"
case "$(xp "$T/x/epilogue/EPUB/epilogue.xhtml" "normalize-space(//*[@id='epilogue'])")" in
*"This guide is a starting point."*"Good luck with the interview."*) pass "the epilogue page holds the closing note" ;;
*) fail "the epilogue page holds the closing note" "got [$(xp "$T/x/epilogue/EPUB/epilogue.xhtml" "normalize-space(//*[@id='epilogue'])")]" ;;
esac
expect "the last chapter does not repeat the closing note" 0 "$(grep -l 'Good luck with the interview' "$T"/x/epilogue/EPUB/q*.xhtml | wc -l)"
expect "the contents end with the closing note" "Closing note" "$(xp "$T/x/epilogue/EPUB/nav.xhtml" "normalize-space((//*[local-name()='nav'][@id='toc']//*[local-name()='a'])[last()])")"

# Images: accessMode visual and alternativeText, from what the book holds.
IP=$(unzip -p "$T/c/images/epub/images.epub" EPUB/package.opf 2>/dev/null)
expect "images: accessMode textual and visual" "textual visual" "$(echo "$IP" | xmllint --xpath "//*[@property='schema:accessMode']/text()" - 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
expect "images: alternativeText feature" 1 "$(echo "$IP" | xmllint --xpath "count(//*[@property='schema:accessibilityFeature'][.='alternativeText'])" - 2>/dev/null)"
# Each image is packed as the kind its bytes are, not its name: the JPEG
# saved as printed-sheet.png is media/img6.jpg, image/jpeg (as image/png
# epubcheck fails the book: OPF-029), with the file's bytes. The WebP,
# which EPUB 3.2 readers (and epubcheck 4: MED-003) do not know, is a PNG
# of its pixels.
expect "images: packed under their bytes' kinds, the JPEG named .png as .jpg, the WebP as a PNG" \
	"media/img1.png image/png media/img2.svg image/svg+xml media/img3.png image/png media/img4.gif image/gif media/img5.png image/png media/img6.jpg image/jpeg" \
	"$(echo "$IP" | xmllint --xpath "//*[local-name()='item'][starts-with(@href,'media/')]/@*[name()='href' or name()='media-type']" - 2>/dev/null | sed 's/^ *[a-z-]*="//; s/"$//' | tr '\n' ' ' | sed 's/ $//')"
unzip -p "$T/c/images/epub/images.epub" EPUB/media/img6.jpg | cmp -s - tests/guides/images/img/printed-sheet.png &&
	pass "images: the JPEG named .png keeps its bytes" || fail "images: the JPEG named .png keeps its bytes" "differ or missing"
expect "images: the WebP's PNG is its size" "200 120" \
	"$(unzip -p "$T/c/images/epub/images.epub" EPUB/media/img5.png | python3 -c 'import sys; d = sys.stdin.buffer.read(); print(int.from_bytes(d[16:20], "big"), int.from_bytes(d[20:24], "big")) if d[:8] == b"\x89PNG\r\n\x1a\n" else print("not a PNG")')"
# A WebP that cannot be decoded (a header and no picture) is named where
# the guide shows it; no book.
mkdir -p "$T/webp"
printf 'RIFF\044\000\000\000WEBPVP8 \030\000\000\000not a picture at all, no' >"$T/webp/cut.webp"
printf '# Cut\n\n## 1. One\n\n### Q1: What is shown?\n**Answer:**\nA rack: ![a rack](cut.webp)\n' >"$T/webp/cut.md"
got=$("$DEPTHBOOK" build --only epub -o "$T/webpout" "$T/webp" 2>&1)
expect "a WebP that cannot be decoded fails the book, named at its place" \
	"1 $T/webp/cut.md:7:9: error: the book cannot show the image cut.webp: Could not get WebP header information [epub-image] | no book" \
	"$? $(printf '%s\n' "$got" | head -1) | $([ -e "$T/webpout/epub/cut.epub" ] && echo book || echo no book)"

# The theme check: a theme piece that is not well-formed XML once its
# slots are filled is an internal error naming the template (the build
# checks each template once, not each page), and no book is written.
cp -r themes/default "$T/badtheme"
sed -i 's|<h2 id="{{id}}-h">|<h2 id="{{id}}-h"><b>|' "$T/badtheme/epub/depth.xhtml"
"$DEPTHBOOK" build --only epub --theme "$T/badtheme" -o "$T/bad" $SAMPLE >"$T/bad.log" 2>&1
st=$?
expect "broken XHTML exits 2" 2 "$st"
grep -Eq "^$T/badtheme/epub/depth\.xhtml: error: not well-formed XML once its slots are filled: .+ \[internal\]" "$T/bad.log" &&
	pass "broken XHTML names the template" || fail "broken XHTML names the template" "$(head -3 "$T/bad.log")"
[ ! -e "$T/bad/epub/sample.epub" ] && [ ! -e "$T/bad/epub/other.epub" ] && pass "no broken book written" ||
	fail "no broken book written" "$(ls "$T/bad/epub")"
# A slot that holds markup, placed in an attribute, is caught the same way.
cp -r themes/default "$T/attrtheme"
sed -i 's|<h1 id="{{id}}">|<h1 id="{{id}}" title="{{title}}">|' "$T/attrtheme/epub/chapter.xhtml"
sed -i 's|{{title}}</h1>|</h1>|' "$T/attrtheme/epub/chapter.xhtml"
"$DEPTHBOOK" build --only epub --theme "$T/attrtheme" -o "$T/bad3" $SAMPLE >"$T/bad3.log" 2>&1
expect "markup slot in an attribute exits 2" 2 "$?"
grep -q "attrtheme/epub/chapter\.xhtml: error: not well-formed XML" "$T/bad3.log" &&
	pass "markup slot in an attribute names the template" || fail "markup slot in an attribute names the template" "$(head -3 "$T/bad3.log")"

# The same with every renderer: the EPUB runs in a second process
# (gen/parallel.c; DEPTHBOOK_JOBS=2, as the sample is too small to fork
# for by itself), and its diagnostic must come back to the parent, fail
# the build and leave no output.
DEPTHBOOK_JOBS=2 "$DEPTHBOOK" build --only html,epub,anki --theme "$T/badtheme" -o "$T/bad2" $SAMPLE >"$T/bad2.log" 2>&1
expect "broken XHTML in the EPUB process exits 2" 2 "$?"
grep -Eq "^$T/badtheme/epub/depth\.xhtml: error: not well-formed XML once its slots are filled: .+ \[internal\]" "$T/bad2.log" &&
	pass "the EPUB process's diagnostic reaches the parent" ||
	fail "the EPUB process's diagnostic reaches the parent" "$(head -3 "$T/bad2.log")"
expect "the EPUB process's failure says so once" 1 "$(grep -c 'not well-formed' "$T/bad2.log")"

# Every entry of every book parses back (the fuzz oracle, tests/obj/outcheck:
# well-formed XML, no script, handler or unsafe address).
if make -s tests/obj/outcheck >/dev/null 2>&1; then
	books=$(find "$T/a" "$T/q" "$T/u" "$T/c" "$T/cq" -name '*.epub' | sort)
	n=$(echo "$books" | wc -l)
	if out=$(echo "$books" | xargs tests/obj/outcheck 2>&1); then
		pass "outcheck parses back every entry of $n books"
	else
		fail "outcheck parses back every entry of $n books" "$(echo "$out" | head -3)"
	fi
	# and it can fail: a chapter with an unclosed element
	mkdir -p "$T/broken/EPUB"
	cp "$T/a/epub/sample.epub" "$T/broken.epub"
	unzip -p "$T/a/epub/sample.epub" EPUB/q1.xhtml | sed 's|</h1>||' >"$T/broken/EPUB/q1.xhtml"
	(cd "$T/broken" && zip -q "$T/broken.epub" EPUB/q1.xhtml)
	tests/obj/outcheck "$T/broken.epub" >"$T/broken.out" 2>&1
	expect "outcheck sees a broken entry (exit 1, naming it)" "1 1" "$? $(grep -c 'broken.epub: not well-formed XML$' "$T/broken.out")"
else
	fail "outcheck builds" "make tests/obj/outcheck failed"
fi
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
# the last page of the spine (the closing note: the seed's ends the guide)
last=EPUB/$(unzip -p "$T/bigout/epub/guide.epub" EPUB/package.opf | xmllint --xpath "string(//*[@id=(//*[local-name()='itemref'])[last()]/@idref]/@href)" - 2>/dev/null)
expect "long guide: the image is packed" "EPUB/media/img1.svg" "$(unzip -Z1 "$T/bigout/epub/guide.epub" | grep '^EPUB/media/')"
unzip -p "$T/bigout/epub/guide.epub" "$last" | grep -q '<img src="media/img1.svg" alt="a dot"' &&
	pass "long guide: the last page shows the image ($last)" ||
	fail "long guide: the last page shows the image ($last)" "$(unzip -p "$T/bigout/epub/guide.epub" "$last" | grep -o '<img[^>]*>' | head -2)"

# The module and the executable come from one build: a module with another
# build token is refused (exit 2), not run. (Plain pass: copies of the
# plain executable and module.)
if [ "$PASS" != san ]; then
	cp "$DB_ROOT/gen/depthbook" "$T/db"
	python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
tok = re.search(rb"depthbook-build-[0-9]+-[0-9]+", d).group(0)
new = bytearray(tok); new[-1] = ord("9") if tok[-1] != ord("9") else ord("8")
open(sys.argv[2], "wb").write(d.replace(tok, bytes(new), 1))' "$DB_ROOT/gen/depthbook-epub.so" "$T/db-epub.so"
	"$T/db" build --only epub -o "$T/tok" $SAMPLE >"$T/tok.log" 2>&1
	expect "a module from another build exits 2" 2 "$?"
	grep -q "db-epub.so: error: the EPUB module is not from this build of depthbook" "$T/tok.log" &&
		pass "a module from another build is named and refused" || fail "a module from another build is named and refused" "$(head -2 "$T/tok.log")"
	cp "$DB_ROOT/gen/depthbook-epub.so" "$T/db-epub.so"
	"$T/db" build --only epub -o "$T/tok2" $SAMPLE >"$T/tok2.log" 2>&1
	expect "the module of the same build runs" 0 "$?"
fi

# The cover has no time in it: another SOURCE_DATE_EPOCH, the same PNG.
if [ -f "$T/d/epub/sample.epub" ] && [ "$(unzip -p "$T/d/epub/sample.epub" EPUB/cover.png | cksum)" = "$(unzip -p "$E/sample.epub" EPUB/cover.png | cksum)" ]; then
	pass "cover.png is the same under another SOURCE_DATE_EPOCH"
else
	fail "cover.png is the same under another SOURCE_DATE_EPOCH" "differs"
fi
expect "an emoji title gets a colour (RGB) cover" "1600 2560 IHDR IDAT IEND" "$(unzip -p "$T/c/cjk/epub/cjk-emoji.epub" EPUB/cover.png >"$T/cjk-cover.png" && png_chunks "$T/cjk-cover.png")"

# The rest runs external validators: plain pass only.
plain_only "epubcheck, Ace, calibre and the Chromium renders (once per book)" || exit 0

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
	sed -i 's|<div class="answer" id="{{id}}-answer">|<div class="answer" id="{{id}}-answer"><blink>x</blink>|' "$T/invalid/epub/answer.xhtml"
	"$DEPTHBOOK" build --only epub --theme "$T/invalid" -o "$T/inv" $SAMPLE >/dev/null 2>&1
	check_start "$E/ops-architecture-deep-dive.epub" seed
	check_start "$T/q/epub/ops-architecture-deep-dive.epub" seed-quiz
	check_start "$E/sample.epub" sample
	check_start "$T/q/epub/sample.epub" sample-quiz
	check_start "$E/other.epub" other
	check_start "$E/guide-fr.epub" fr
	check_start "$E/guide-he.epub" he
	check_start "$T/u/epub/sample.epub" sample-url
	check_start "$T/inv/epub/sample.epub" invalid
	check_start "$T/bigout/epub/guide.epub" big
	wait
	for lib in $CORPUS; do
		for f in "$T/c/$lib"/epub/*.epub; do check_start "$f" "corpus-$(basename "$f" .epub)"; done
		case $lib in cjk | long | images)
			for f in "$T/cq/$lib"/epub/*.epub; do check_start "$f" "corpus-quiz-$(basename "$f" .epub)"; done ;;
		esac
		wait
	done
	for key in seed:"seed" seed-quiz:"seed --epub-quiz" \
		sample:"sample (cross-links, table, code, math, non-ASCII)" sample-quiz:"sample --epub-quiz" \
		other:"other" fr:"French guide with front matter id and images" he:"Hebrew guide, right to left" \
		sample-url:"sample --base-url" \
		big:"long guide rendered by two processes"; do
		expect "epubcheck ${key#*:} (fatals errors warnings)" "0 0 0" "$(check_counts "${key%%:*}")"
	done
	for lib in $CORPUS; do
		for f in "$T/c/$lib"/epub/*.epub; do
			b=$(basename "$f" .epub)
			expect "epubcheck corpus $lib/$b (fatals errors warnings)" "0 0 0" "$(check_counts "corpus-$b")"
			case $lib in cjk | long | images)
				expect "epubcheck corpus $lib/$b --epub-quiz (fatals errors warnings)" "0 0 0" "$(check_counts "corpus-quiz-$b")" ;;
			esac
		done
	done
	n=$(check_counts invalid | cut -d' ' -f2)
	[ "${n:-0}" -ge 1 ] 2>/dev/null && pass "epubcheck report parsing sees errors in an invalid book ($n)" ||
		fail "epubcheck report parsing sees errors in an invalid book" "got [$(check_counts invalid)]"
fi

# A chapter in headless Chromium: unpack, render to PNG, keep it for a look.
if need chromium chromium; then
	shots=${EPUB_SHOTS:-$T/shots}
	mkdir -p "$shots"
	for what in sample/EPUB/q1.xhtml quiz/EPUB/q1.xhtml sample/EPUB/cover.xhtml; do
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

# Unpacked books for the browser: the seed, the sample and every corpus
# library, with and without the quiz.
R=$T/r
unpack() { mkdir -p "$R/$1" && unzip -q -o "$2" -d "$R/$1"; }
unpack seed "$E/ops-architecture-deep-dive.epub"
unpack seed-quiz "$T/q/epub/ops-architecture-deep-dive.epub"
unpack sample "$E/sample.epub"
unpack sample-quiz "$T/q/epub/sample.epub"
for lib in $CORPUS; do
	for f in "$T/c/$lib"/epub/*.epub; do unpack "$lib-$(basename "$f" .epub)" "$f"; done
	for f in "$T/cq/$lib"/epub/*.epub; do unpack "$lib-$(basename "$f" .epub)-quiz" "$f"; done
done

# Headless Chromium (playwright-core, axe-core): contrast with the book's
# colours and with a reader's night and sepia themes; nothing wider than a
# 600 px page; in quiz books, following a question's link at an e-reader's
# page shows that answer alone.
if need chromium chromium && need node nodejs && [ -d tests/node_modules/playwright-core ] && [ -d tests/node_modules/axe-core ]; then
	# every book's width; contrast on the seed, the sample, the CJK, wide-table
	# and image books; the quiz on every quiz book: one browser
	jobs=""
	for b in $(ls "$R"); do
		case $b in
		*-quiz) jobs="$jobs quiz:$b:$R/$b" ;;
		seed | sample | cjk-* | long-* | images-*) jobs="$jobs wide:$b:$R/$b contrast:$b:$R/$b" ;;
		*) jobs="$jobs wide:$b:$R/$b" ;;
		esac
	done
	# the checks can fail: the old stylesheet's backgrounds in night mode,
	# and quiz answers without their column break
	jobs="$jobs selftest:sample:$R/sample quizself:sample:$R/sample-quiz"
	echo "(t_epub.sh: Chromium: contrast, width and the quiz on $(ls "$R" | wc -l) books)"
	# shellcheck disable=SC2086
	node tests/epub/reader.js $jobs
elif [ "${CI:-}" = true ]; then
	fail "tool playwright-core/axe-core" "missing under CI=true (make test-deps)"
fi

# calibre (headless): the cover found in the EPUB and in its AZW3
# conversion, and conversions to AZW3 and TXT without a warning, the hidden
# landmarks not printed.
if need ebook-convert calibre && need ebook-meta calibre; then
	echo "(t_epub.sh: calibre on the seed (with and without the quiz), CJK and wide-table books)"
	export QT_QPA_PLATFORM=offscreen
	mkdir -p "$T/cal"
	set -- seed:"$E/ops-architecture-deep-dive.epub" seed-quiz:"$T/q/epub/ops-architecture-deep-dive.epub" \
		cjk:"$T/c/cjk/epub/cjk-emoji.epub" long:"$T/c/long/epub/long-tokens.epub"
	for kb in "$@"; do
		k=${kb%%:*} b=${kb#*:}
		(ebook-convert "$b" "$T/cal/$k.azw3" >"$T/cal/$k.azw3.log" 2>&1; echo $? >"$T/cal/$k.azw3.rc") &
		(ebook-convert "$b" "$T/cal/$k.txt" >"$T/cal/$k.txt.log" 2>&1; echo $? >"$T/cal/$k.txt.rc") &
		wait
	done
	# warn NAME LOG: a calibre log line that warns, errs or drops the cover
	warns() { grep -iE "warn|error|fail|Trimming '[^']*cover" "$1" | head -2; }
	for kb in "$@"; do
		k=${kb%%:*} b=${kb#*:}
		ebook-meta "$b" --get-cover "$T/cal/$k-cover.png" >/dev/null 2>&1
		expect "calibre finds the cover of $k ($(png_chunks "$T/cal/$k-cover.png" | cut -d' ' -f1-2))" "1600 2560" "$(png_chunks "$T/cal/$k-cover.png" | cut -d' ' -f1-2)"
		expect "ebook-convert $k to AZW3 without a warning" "0|" "$(cat "$T/cal/$k.azw3.rc")|$(warns "$T/cal/$k.azw3.log")"
		ebook-meta "$T/cal/$k.azw3" --get-cover "$T/cal/$k-azw3-cover.jpg" >"$T/cal/$k-azw3.meta" 2>&1
		size=$(wc -c <"$T/cal/$k-azw3-cover.jpg" 2>/dev/null || echo 0)
		[ "$size" -gt 10000 ] && pass "the AZW3 of $k carries the cover ($size bytes)" || fail "the AZW3 of $k carries the cover" "$(tail -1 "$T/cal/$k-azw3.meta")"
		expect "ebook-convert $k to TXT without a warning" "0|" "$(cat "$T/cal/$k.txt.rc")|$(warns "$T/cal/$k.txt.log")"
		expect "the TXT of $k does not print the landmarks" 0 "$(grep -cE 'Landmarks|Start of content|Title page' "$T/cal/$k.txt")"
	done
	expect "calibre reads the author" "Author(s)           : Zoë Ångström" "$(ebook-meta "$E/sample.epub" 2>/dev/null | grep '^Author')"
fi

# Ace by DAISY (Debian's chromium through puppeteer): 0 violations on every
# book of the seed, the sample and the corpus, with and without the quiz;
# four at a time (each mostly waits on its browser).
ACE=tests/node_modules/.bin/ace-cli
export PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
if [ -x "$ACE" ] && "$ACE" --version >/dev/null 2>&1; then
	echo "(t_epub.sh: Ace by DAISY on $(ls "$R" | wc -l) books)"
	mkdir -p "$T/ace"
	n=0
	for b in $(ls "$R"); do
		case $b in
		seed) f=$E/ops-architecture-deep-dive.epub ;; seed-quiz) f=$T/q/epub/ops-architecture-deep-dive.epub ;;
		sample) f=$E/sample.epub ;; sample-quiz) f=$T/q/epub/sample.epub ;;
		*-quiz) x=${b%-quiz} f=$T/cq/${x%%-*}/epub/${x#*-}.epub ;;
		*) f=$T/c/${b%%-*}/epub/${b#*-}.epub ;;
		esac
		timeout 300 "$ACE" -s -f -o "$T/ace/$b" "$f" >"$T/ace/$b.log" 2>&1 &
		n=$((n + 1))
		[ $((n % 4)) = 0 ] && wait
	done
	wait
	for b in $(ls "$R"); do
		got=$(node -e '
			const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
			const fails = [];
			for (const doc of r.assertions || [])
				for (const a of doc.assertions || [])
					if (a["earl:result"]["earl:outcome"] === "fail")
						fails.push(a["earl:test"]["dct:title"] + "@" + (doc["earl:testSubject"] || {}).url);
			console.log(fails.length + (fails.length ? " | " + fails.slice(0, 3).join("; ") : ""));
		' "$T/ace/$b/report.json" 2>&1 | head -1)
		expect "Ace: $b has 0 violations" 0 "$got"
	done
	# and Ace can fail: a chapter without its doc-chapter role
	cp -r themes/default "$T/norole"
	sed -i 's| role="doc-chapter"||' "$T/norole/epub/chapter.xhtml"
	"$DEPTHBOOK" build --only epub --theme "$T/norole" -o "$T/norole-out" $SAMPLE >/dev/null 2>&1
	timeout 300 "$ACE" -s -f -o "$T/ace/norole" "$T/norole-out/epub/sample.epub" >/dev/null 2>&1
	grep -q '"earl:outcome": *"fail"' "$T/ace/norole/report.json" 2>/dev/null &&
		pass "Ace sees a chapter without its role" || fail "Ace sees a chapter without its role" "no violation reported"
elif [ "${CI:-}" = true ]; then
	fail "tool ace-cli" "missing or not runnable under CI=true (make test-deps: @daisy/ace-cli)"
else
	echo "SKIP tool ace-cli: missing or not runnable (make test-deps installs @daisy/ace-cli)"
fi
