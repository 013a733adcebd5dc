# t_fresh.sh: a rebuild with nothing changed renders nothing (gen/plan.c),
# any change to what the outputs are made from, or to the outputs
# themselves, makes the build render again; in a library, an edit to one
# guide renders that guide (and the guides whose links print from it) and
# the library-wide files, nothing else; and the guides dealt over several
# worker processes give the bytes of one.
#
# How a test tells a render from a skip: plant overwrites the start of an
# output file with bytes no build writes, keeping its size and mtime. A
# build that renders puts the real bytes back; one that skips leaves them.
. tests/lib.sh
t=$(scratch)
trap 'rm -rf "$t"' EXIT
export SOURCE_DATE_EPOCH=1700000000
mkdir -p "$t/content" "$t/theme" "$t/bin"
cp -r themes/default/. "$t/theme/"
cp content/ops-architecture-deep-dive.md "$t/content/guide.md"
printf '\n![a red dot](img/red%%20dot.png)\n' >>"$t/content/guide.md"
mkdir -p "$t/content/img"
cp "tests/site/files/img/red dot.png" "$t/content/img/"
page=$t/out/site/index.html
list=$t/out/.depthbook-outputs

plant() {
	mt=$(stat -c %y "$1")
	printf 'PLANTED' | dd of="$1" conv=notrunc status=none
	touch -d "$mt" "$1"
}
planted() { [ "$(head -c 7 "$1")" = PLANTED ]; }
# snapshot: every path in out/ with its size, mtime and inode
snapshot() { (cd "$t/out" && find . -printf '%p %s %T@ %i\n' | sort); }

# b [OPTION…]: builds the content into $t/out (html, EPUB and deck: the
# cards' own skip is t_cards.sh's).
b() { "$DEPTHBOOK" build --only html,epub,anki --theme "$t/theme" -o "$t/out" "$@" "$t/content" >"$t/log" 2>&1; }

# renders NAME [OPTION…]: plants, builds, and expects a render.
renders() {
	name=$1
	shift
	plant "$page"
	b "$@"
	st=$?
	if [ $st -ne 0 ]; then
		fail "fresh: $name: build" "exit $st: $(head -3 "$t/log")"
	elif planted "$page"; then
		fail "fresh: $name renders again" "the planted bytes stayed: the build skipped"
	else
		pass "fresh: $name renders again"
	fi
}
# skips NAME [OPTION…]: plants, builds, and expects nothing rendered.
skips() {
	name=$1
	shift
	plant "$page"
	snapshot >"$t/snap"
	b "$@"
	st=$?
	snapshot >"$t/now"
	if [ $st -ne 0 ]; then
		fail "fresh: $name: build" "exit $st: $(head -3 "$t/log")"
	elif ! planted "$page"; then
		fail "fresh: $name renders nothing" "the planted bytes were replaced"
	elif ! cmp -s "$t/snap" "$t/now"; then
		fail "fresh: $name renders nothing" "out/ changed: $(diff "$t/snap" "$t/now" | head -4)"
	else
		pass "fresh: $name renders nothing"
	fi
	rm -f "$list" && b "$@" # render the plant away
}

if ! b; then
	fail "fresh: first build" "$(head -5 "$t/log")"
	exit 0
fi
pass "fresh: first build"
expect "fresh: the list opens with its format" 1 "$(head -1 "$list" | grep -cx 'depthbook-outputs 3')"
expect "fresh: the list keys the guide's files of each output" "html guide;epub guide;anki guide;" \
	"$(grep -E '^k [a-z]+ [0-9a-f]{16} ' "$list" | awk '{printf "%s %s;", $2, $4}')"
expect "fresh: the list names every file and directory of out/" \
	"$(cd "$t/out" && find . -mindepth 1 ! -name .depthbook-outputs | sed 's|^\./||' | sort)" \
	"$(sed 1d "$list" | grep -v '^k ' | sed 's/^f [^ ]* [^ ]* [^ ]* //; s/^d //' | sort)"
expect "fresh: the list is not in the published site" "" "$(find "$t/out/site" -name '.depthbook*')"
cp -r "$t/out" "$t/first"

skips "an unchanged rebuild"
touch "$t/content/guide.md"
skips "a guide touched but not changed (SOURCE_DATE_EPOCH set)"
[ -z "$(ls -a "$t" | grep '^\.out\.build-')" ] && pass "fresh: a skipped build leaves no staging directory" ||
	fail "fresh: a skipped build leaves no staging directory" "$(ls -a "$t")"

# What the outputs are made from.
b
sed -i 's/Dashboards look green/Dashboards look GREEN/' "$t/content/guide.md"
renders "an edited guide"
expect "fresh: the edit is published" 1 "$(grep -rl 'Dashboards look GREEN' "$t/out/site" | head -1 | wc -l)"
skips "the edited guide, built again"
touch "$t/theme/site/page.html"
skips "a theme file touched but not changed (themes count by content)"
echo '/* changed */' >>"$t/theme/site/site.js"
renders "a theme file changed"
printf 'not the same image' >"$t/content/img/red dot.png"
renders "a replaced linked file"
cmp -s "$t/content/img/red dot.png" "$t/out/site/files/img/red dot.png" &&
	pass "fresh: the replaced file is published" || fail "fresh: the replaced file is published" "differs"
renders "another base URL" --base-url https://example.org/
skips "the same base URL again" --base-url https://example.org/
SOURCE_DATE_EPOCH=1700000001 renders "another SOURCE_DATE_EPOCH"
# the site alone, after a build that made it: already current
b
skips "--only html, after a build of more" --only html
renders "--no-smart" --no-smart
renders "--epub-quiz" --epub-quiz
b

# The outputs themselves.
rm "$t/out/epub/"*.epub
renders "a deleted output"
expect "fresh: the deleted output is back" 1 "$(ls "$t/out/epub/"*.epub | wc -l)"
echo stray >"$t/out/site/stray.txt"
renders "a file added to out/"
echo >>"$t/out/site/404.html"
renders "an output edited"
cmp -s "$t/out/site/404.html" "$t/first/site/404.html" && pass "fresh: the edited output is made again" ||
	fail "fresh: the edited output is made again" "differs"
rm "$list"
renders "a missing list"
sed -i 's/^k html [0-9a-f]* /k html 0000000000000000 /' "$list"
renders "a list with another key"

# An unchanged rebuild that renders (no list) rewrites no output file and
# keeps out/'s times (directories are new: their inodes change, t_publish.sh).
b
rm "$list"
snap=$(cd "$t/out" && find . ! -name .depthbook-outputs \( -type f -printf 'f %p %s %T@ %i\n' \) -o \( -type d -printf 'd %p %T@\n' \) | sort)
b
now=$(cd "$t/out" && find . ! -name .depthbook-outputs \( -type f -printf 'f %p %s %T@ %i\n' \) -o \( -type d -printf 'd %p %T@\n' \) | sort)
[ "$snap" = "$now" ] && pass "fresh: a render with nothing changed rewrites no output and keeps out/'s times" ||
	fail "fresh: a render with nothing changed rewrites no output and keeps out/'s times" "out/ changed"
expect "fresh: ... and writes the list again" 1 "$(ls -A "$t/out" | grep -c '^\.depthbook-outputs$')"

# Another executable: a different build ID.
case $DEPTHBOOK in
*san-run) other=gen/depthbook ;;
*) other=tests/san-run ;;
esac
plant "$page"
if ! "$other" build --only html,epub,anki --theme "$t/theme" -o "$t/out" "$t/content" >"$t/log" 2>&1; then
	fail "fresh: another executable renders again" "$other failed: $(head -3 "$t/log")"
elif planted "$page"; then
	fail "fresh: another executable renders again" "skipped"
else
	pass "fresh: another executable renders again"
fi
b
# The same executable beside another EPUB module (copies: gen/ stays as is).
cp gen/depthbook gen/depthbook-epub.so gen/depthbook-apkg.so "$t/bin/"
"$t/bin/depthbook" build --only html,epub,anki --theme "$t/theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
plant "$page"
touch "$t/bin/depthbook-epub.so"
"$t/bin/depthbook" build --only html,epub,anki --theme "$t/theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
! planted "$page" && pass "fresh: a replaced EPUB module renders again" ||
	fail "fresh: a replaced EPUB module renders again" "skipped"

# A failed build writes no list, and leaves out/ (and its list) as it was.
b
cp "$list" "$t/list.before"
printf '\n###### Depth 99\n**Q:** q\n**A:** a\n' >>"$t/content/guide.md"
b
expect "fresh: a content error exits 1" 1 $?
cmp -s "$list" "$t/list.before" && pass "fresh: a failed build leaves the list" ||
	fail "fresh: a failed build leaves the list" "changed"

# A library: the guide is the unit of work. other.md links to sample.md#q1;
# ops.md links to neither.
L=$t/lib
mkdir -p "$L/content"
cp tests/guides/sample/sample.md tests/guides/sample/other.md "$L/content/"
cp content/ops-architecture-deep-dive.md "$L/content/ops.md"
lb() { "$DEPTHBOOK" build --only html,epub,anki --theme "$t/theme" -o "$L/out" "$@" "$L/content" >"$t/log" 2>&1; }
pages="site/ops/index.html site/sample/index.html site/other/index.html site/search/ops.js site/search/sample.js site/search/other.js epub/ops.epub epub/sample.epub epub/other.epub anki/ops.txt anki/sample.txt anki/other.txt"
# rendered EDIT WANT: plants every guide's files, applies the sed script
# EDIT to one guide (FILE:SCRIPT), builds, and expects the guides rendered
# again (planted bytes replaced) to be exactly WANT.
rendered() {
	for f in $pages; do plant "$L/out/$f"; done
	sed -i "${1#*:}" "$L/content/${1%%:*}"
	if ! lb; then
		fail "fresh: library: $2" "build: $(head -3 "$t/log")"
		return
	fi
	got=""
	for f in $pages; do planted "$L/out/$f" || got="$got $f"; done
	expect "fresh: library: $3" "$4" "$got"
}
if lb; then
	pass "fresh: library: first build"
	rendered "ops.md:s/It.s like a relay race/It is a relay race/" "an edit to one guide" \
		"an edit to one guide renders that guide alone" " site/ops/index.html site/search/ops.js epub/ops.epub anki/ops.txt"
	expect "fresh: library: ... and the guide's search index" 1 "$(grep -c 'It is a relay race' "$L/out/site/search/ops.js")"
	rendered "sample.md:s/^title: .*/title: \"Caching, renamed\"/" "a title another guide's link prints" \
		"a guide whose link target changed renders too" " site/sample/index.html site/other/index.html site/search/sample.js site/search/other.js epub/sample.epub epub/other.epub anki/sample.txt anki/other.txt"
	rendered "sample.md:s/Start with \*\*cache-aside\*\*/Begin with **cache-aside**/" "text no link prints" \
		"an answer no link prints leaves the linking guide alone" " site/sample/index.html site/search/sample.js epub/sample.epub anki/sample.txt"
	# a guide added: it renders, the others stay, the index lists it
	for f in $pages; do plant "$L/out/$f"; done
	cp tests/guides/sample/other.md "$L/content/more.md"
	lb
	got=""
	for f in $pages; do planted "$L/out/$f" || got="$got $f"; done
	expect "fresh: library: a guide added renders alone" "" "$got"
	expect "fresh: library: ... and the library index lists it" 1 "$(grep -c 'href="more/index.html"' "$L/out/site/index.html")"
	# and removed: no guide renders, the index drops it
	rm "$L/content/more.md"
	lb
	got=""
	for f in $pages; do planted "$L/out/$f" || got="$got $f"; done
	expect "fresh: library: a guide removed renders no other" "" "$got"
	expect "fresh: library: ... and the library index drops it" 0 "$(grep -c 'href="more/index.html"' "$L/out/site/index.html")"
	expect "fresh: library: ... and no output keeps a file of it" "" "$(cd "$L/out" && find . -path '*more*')"
	# a question taken out: its page goes, the guide's others stay
	[ -f "$L/out/site/ops/q2.html" ] || fail "fresh: library: the page of a question" "no site/ops/q2.html to begin with"
	cp "$L/content/ops.md" "$t/ops.md"
	sed -i '/^### Q2:/,$d' "$L/content/ops.md"
	echo "mine" >"$L/out/site/ops/notes.txt" # a user's file: the build did not write it
	lb
	[ ! -e "$L/out/site/ops/q2.html" ] && [ -f "$L/out/site/ops/q1.html" ] &&
		pass "fresh: library: a question taken out leaves no page behind" ||
		fail "fresh: library: a question taken out leaves no page behind" "$(ls "$L/out/site/ops")"
	expect "fresh: library: ... and a file a user put beside its pages stays" mine "$(cat "$L/out/site/ops/notes.txt" 2>&1)"
	rm "$L/out/site/ops/notes.txt"
	cp "$t/ops.md" "$L/content/ops.md"
	# an edit built on a rebuilt library gives what a cold build makes, on
	# one core or two
	rm "$L/out/.depthbook-outputs"
	lb # the planted bytes away
	sed -i 's/It is a relay race/It is a relay/' "$L/content/ops.md"
	lb
	contents() { (cd "$1" && find . -type f ! -name .depthbook-outputs -exec sha256sum {} + | sort -k2); }
	DEPTHBOOK_JOBS=1 "$DEPTHBOOK" build --only html,epub,anki --theme "$t/theme" -o "$L/one" "$L/content" >"$t/log" 2>&1
	DEPTHBOOK_JOBS=2 "$DEPTHBOOK" build --only html,epub,anki --theme "$t/theme" -o "$L/two" "$L/content" >"$t/log" 2>&1
	contents "$L/one" >"$t/one.sums"
	contents "$L/two" >"$t/two.sums"
	contents "$L/out" >"$t/out.sums"
	[ -s "$t/one.sums" ] && cmp -s "$t/one.sums" "$t/two.sums" && pass "fresh: library: DEPTHBOOK_JOBS=1 and 2 give the same bytes" ||
		fail "fresh: library: DEPTHBOOK_JOBS=1 and 2 give the same bytes" "$(diff "$t/one.sums" "$t/two.sums" | head -4)"
	cmp -s "$t/one.sums" "$t/out.sums" && pass "fresh: library: the rebuilt library is the cold build's bytes" ||
		fail "fresh: library: the rebuilt library is the cold build's bytes" "$(diff "$t/one.sums" "$t/out.sums" | head -4)"
else
	fail "fresh: library: first build" "$(head -5 "$t/log")"
fi

# What a guide's pages print of other guides, besides its links' targets:
# the pager's "Next guide" on the last question, and the page a link to a
# question-less section names (the section's own page, or a place in the
# guide's contents once it has a question). Each rebuild gives what a cold
# build of the same content makes. tests/guides/links: outbox.md links to
# sagas.md's glossary, section 3, which has no question.
N=$t/next
mkdir -p "$N/content"
cp tests/guides/links/outbox.md tests/guides/links/sagas.md "$N/content/"
nb() { "$DEPTHBOOK" build --only html,epub,anki --theme "$t/theme" -o "$N/$1" "$N/content" >"$t/log" 2>&1; }
# same_as_cold WHAT: a cold build of the content matches out/, byte for byte
same_as_cold() {
	rm -rf "$N/cold"
	nb cold
	if diff -r -x .depthbook-outputs "$N/cold" "$N/out" >"$t/cold.diff" 2>&1; then
		pass "fresh: $1 gives a cold build's bytes"
	else
		fail "fresh: $1 gives a cold build's bytes" "$(head -4 "$t/cold.diff")"
	fi
}
if nb out; then
	expect "fresh: the last guide's last page ends the library" 1 "$(grep -c 'End of the guide' "$N/out/site/sagas/q3.html")"
	expect "fresh: a link to a section without questions names its page" 1 "$(grep -c 'href="../sagas/s3.html"' "$N/out/site/outbox/q1.html")"
	# a guide added after the last: the last guide's pager names it
	printf '# Zulu\n\n## 1. Z\n\n### Q1: Last?\n**Answer:**\nYes.\n' >"$N/content/zulu.md"
	nb out
	expect "fresh: a guide added after the last: the page before it names it" 1 "$(grep -c 'Next guide</span> Zulu' "$N/out/site/sagas/q3.html")"
	same_as_cold "a guide added after the last"
	# the glossary section gains a question: the link names the contents
	printf '\n### Q4: What is a saga log?\n**Answer:**\nThe orchestrator'"'"'s table.\n' >>"$N/content/sagas.md"
	nb out
	expect "fresh: a section that gains a question: a link to it names the contents" 1 \
		"$(grep -c 'href="../sagas/index.html#s3"' "$N/out/site/outbox/q1.html")"
	same_as_cold "a section that gains a question"
else
	fail "fresh: next and section links: first build" "$(head -5 "$t/log")"
fi

# Linked files: an image no guide links to any more leaves site/files/,
# with the folder it leaves empty; one still linked, and a user's file
# there, stay.
I=$t/images
mkdir -p "$I"
cp -r tests/guides/images "$I/content"
ib() { "$DEPTHBOOK" build --only html --theme "$t/theme" -o "$I/out" "$I/content" >"$t/log" 2>&1; }
if ib && [ -f "$I/out/site/files/img/queue.svg" ]; then
	echo mine >"$I/out/site/files/img/mine.txt"
	sed -i 's|(img/queue.svg)|(img/architecture.png)|' "$I/content/images.md"
	ib
	expect "fresh: files: an image no longer linked is removed, the others and a user's file stay" \
		"architecture.png mine.txt printed-sheet.png rack.webp rollout.gif wide-timeline.png" "$(ls "$I/out/site/files/img" | tr '\n' ' ' | sed 's/ $//')"
	rm "$I/out/site/files/img/mine.txt"
	sed -i 's|(img/[a-z-]*\.[a-z]*)|(https://example.org/x.png)|g' "$I/content/images.md"
	ib
	expect "fresh: files: ... and the folders no image is left in" "" "$(cd "$I/out/site" && find . -path './files*')"
else
	fail "fresh: files: first build" "$(head -3 "$t/log")"
fi

# A build with a warning: the next build prints it again, and a guide
# removed after it still leaves no file behind.
W=$t/warned
mkdir -p "$W/content"
cp tests/guides/sample/sample.md tests/guides/sample/other.md "$W/content/"
cp tests/guides/sample/other.md "$W/content/more.md"
printf '\n#### Depth of field\n\nNot a follow-up.\n' >>"$W/content/more.md"
wb() { "$DEPTHBOOK" build --only html,epub,anki --theme "$t/theme" -o "$W/out" "$W/content" >"$t/log" 2>&1; }
wb
expect "fresh: warned: the build warns" 1 "$(grep -c 'warning: .*\[stray-heading\]' "$t/log")"
wb
expect "fresh: warned: the next build prints the warning again" 1 "$(grep -c 'warning: .*\[stray-heading\]' "$t/log")"
rm "$W/content/more.md"
wb
expect "fresh: warned: a guide removed after a warning leaves no file" "0 " "$? $(cd "$W/out" && find . -path '*more*')"

# Cards: one edit in a library of four, one LaTeX run (a pdflatex shim on
# PATH counts them).
if need pdflatex texlive-latex-base; then
	C=$t/cards
	mkdir -p "$C/content" "$C/shim"
	cp tests/guides/sample/sample.md tests/guides/sample/other.md "$C/content/"
	cp tests/guides/sample/other.md "$C/content/other2.md"
	cp tests/guides/sample/other.md "$C/content/other3.md"
	real=$(command -v pdflatex)
	printf '#!/bin/sh\necho run >>"%s/runs"\nexec "%s" "$@"\n' "$C" "$real" >"$C/shim/pdflatex"
	chmod +x "$C/shim/pdflatex"
	cb() { rm -f "$C/runs"; PATH="$C/shim:$PATH" "$DEPTHBOOK" build --only cards --theme "$t/theme" -o "$C/out" "$C/content" >"$t/log" 2>&1; }
	runs() { [ -f "$C/runs" ] && wc -l <"$C/runs" | tr -d ' ' || echo 0; }
	cb
	expect "fresh: cards: a cold build of four guides, four LaTeX runs" 4 "$(runs)"
	sed -i 's/So that clients/So clients/' "$C/content/other3.md"
	cb
	expect "fresh: cards: an edit to one guide of four, one LaTeX run" 1 "$(runs)"
	cb
	expect "fresh: cards: nothing changed, no LaTeX run" 0 "$(runs)"
	rm "$C/out/.depthbook-outputs"
	cb
	expect "fresh: cards: without the list, the .tex stamps still spare LaTeX" 0 "$(runs)"
	rm "$C/content/other2.md"
	cb
	expect "fresh: cards: a guide removed, no LaTeX run" 0 "$(runs)"
	expect "fresh: cards: ... and its PDF and .tex go" "" "$(cd "$C/out" && find . -name 'other2*')"
	[ -f "$C/out/cards/other3-cards.pdf" ] && pass "fresh: cards: ... the other guides' PDFs stay" ||
		fail "fresh: cards: ... the other guides' PDFs stay" "$(ls "$C/out/cards")"
fi
