# t_cards.sh: the flashcard PDFs. Builds the seed and the fixtures in
# tests/cards/ with --only cards and checks the PDF as a printer would:
# card count and labels (pdftotext), backs mirrored behind their fronts
# (pdftotext -bbox), every answer's last words on a back, no Overfull box
# when the .tex is typeset again, hostile text escaped, LaTeX errors
# mapped to the guide's line, and the skip when the .tex is unchanged.
. tests/lib.sh
need pdflatex texlive-latex-base || exit 0
need pdftotext poppler-utils || exit 0
need python3 python3 || exit 0
check="python3 tests/cards/check.py"
out=$(scratch)
trap 'rm -rf "$out"' EXIT
seed=content/ops-architecture-deep-dive.md
pdf=$out/seed/cards/ops-architecture-deep-dive-cards.pdf
tex=$out/seed/cards/ops-architecture-deep-dive-cards.tex

err=$("$DEPTHBOOK" build -o "$out/seed" --only cards "$seed" 2>&1)
expect "cards: seed builds" "0" "$?"
expect "cards: seed build prints nothing (no overfull warning)" "" "$err"
[ -f "$pdf" ] && [ -f "$tex" ] || { fail "cards: seed outputs" "missing $pdf or $tex"; exit 0; }
pass "cards: seed outputs exist"

# The guide's structure: the closing note after the last "---" is the
# guide's epilogue, on no card; the "---" between sections is in no answer.
expect "cards: the seed's epilogue is on no card" "0" "$(grep -c 'production outages' "$tex")"
expect "cards: no thematic break from between sections on a card" "0" \
	"$(sed -n '/^\\begin{document}/,$p' "$tex" | grep -c '\\rule{')"

# 76 cards, each front on an odd page and its back on the next page.
$check labels "$pdf" >"$out/labels"
fronts=$(awk -F'\t' 'NR % 2 == 1 { print $2 }' "$out/labels" | tr '|' '\n' | grep -c 'Q')
backs=$(awk -F'\t' 'NR % 2 == 0 { print $2 }' "$out/labels" | tr '|' '\n' | grep -c 'Q')
expect "cards: 76 fronts for the seed" "76" "$fronts"
expect "cards: 76 backs for the seed" "76" "$backs"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
expect "cards: 38 pages (19 sheets of 4, fronts then backs)" "38" "$pages"
order=$(awk -F'\t' 'NR % 2 == 1 { print $2 }' "$out/labels" | tr '|' '\n' | sed 's/^ *//; s/ *$//' | grep Q |
	sed -n '1p;2p;38p;39p;76p' | tr '\n' ';')
expect "cards: labels in guide order" "Q1;Q1 · Depth 1;Q1 · Depth 37;Q2;Q2 · Depth 37;" "$order"
first=$(pdftotext -f 1 -l 1 "$pdf" - | grep -c 'Modern Software Architecture & Service Design')
expect "cards: each front names its section" "4" "$first"

# Backs mirrored for long-edge duplex, and moved by --back-offset.
r=$($check mirror "$pdf" long 0) && pass "cards: backs mirrored for long-edge duplex ($r)" ||
	fail "cards: backs mirrored for long-edge duplex" "$r"
"$DEPTHBOOK" build -o "$out/short" --only cards --duplex short --back-offset 2,0 "$seed" 2>/dev/null
r=$($check mirror "$out/short/cards/ops-architecture-deep-dive-cards.pdf" short 2) &&
	pass "cards: --duplex short --back-offset 2,0 ($r)" || fail "cards: --duplex short --back-offset 2,0" "$r"
# Passes only on the one failure that means "shifted" (a missing PDF or a
# crash of check.py is a failure too, never a pass).
r=$($check mirror "$out/short/cards/ops-architecture-deep-dive-cards.pdf" short 0)
case "$?:$r" in
"1:x differs"*) pass "cards: the back offset moves the backs" ;;
*) fail "cards: the back offset moves the backs" "expected 'x differs' from unshifted backs, got: $r" ;;
esac
"$DEPTHBOOK" build -o "$out/fold" --only cards --duplex fold --paper letter "$seed" 2>/dev/null
expect "cards: --duplex fold builds" "0" "$?"
fp=$out/fold/cards/ops-architecture-deep-dive-cards.pdf
expect "cards: fold puts 2 cards (front and back) per letter page" "38 612 x 792" \
	"$(pdfinfo "$fp" | awk '/^Pages:/ { p = $2 } /^Page size:/ { s = $3 " x " $5 } END { print p, s }')"
p1=$($check labels "$fp" | awk -F'\t' 'NR == 1 { print $2 }' | tr '|' '\n' | sed 's/^ *//; s/ *$//' | sort | tr '\n' ';')
expect "cards: a fold page holds each card's front beside its back" "Q1;Q1;Q1 · Depth 1;Q1 · Depth 1;" "$p1"
expect "cards: A4 by default" "595.276 x 841.89" "$(pdfinfo "$pdf" | awk '/^Page size:/ { print $3 " x " $5 }')"

# Every card and cut mark at least 5 mm inside the sheet, on A4 and Letter
# (the ink's bounding box on 100 dpi renders of every page).
r=$(python3 tests/cards/check.py margins "$pdf" 5) && pass "cards: A4: ink >= 5 mm inside the sheet ($r)" ||
	fail "cards: A4: ink >= 5 mm inside the sheet" "$r"
r=$(python3 tests/cards/check.py margins "$fp" 5) && pass "cards: Letter, fold: ink >= 5 mm inside the sheet ($r)" ||
	fail "cards: Letter, fold: ink >= 5 mm inside the sheet" "$r"
"$DEPTHBOOK" build -o "$out/letter" --only cards --paper letter "$seed" 2>/dev/null
r=$(python3 tests/cards/check.py margins "$out/letter/cards/ops-architecture-deep-dive-cards.pdf" 5) &&
	pass "cards: Letter: ink >= 5 mm inside the sheet ($r)" || fail "cards: Letter: ink >= 5 mm inside the sheet" "$r"

# One side at a time, for printers that feed one side: --sides front|back.
"$DEPTHBOOK" build -o "$out/fronts" --only cards --sides front "$seed" 2>/dev/null
expect "cards: --sides front builds" "0" "$?"
fr=$out/fronts/cards/ops-architecture-deep-dive-cards.pdf
expect "cards: --sides front: 19 pages of fronts" "19" "$(pdfinfo "$fr" | awk '/^Pages:/ { print $2 }')"
expect "cards: --sides front: no answer printed" "0" "$(pdftotext "$fr" - | grep -c 'Strangler Fig')"
expect "cards: --sides front: every question printed" "76" \
	"$($check labels "$fr" | awk -F'\t' '{ print $2 }' | tr '|' '\n' | grep -c 'Q')"
"$DEPTHBOOK" build -o "$out/backs" --only cards --sides back "$seed" 2>/dev/null
bk=$out/backs/cards/ops-architecture-deep-dive-cards.pdf
expect "cards: --sides back: 19 pages of backs, answers on the first" "19 1" \
	"$(pdfinfo "$bk" | awk '/^Pages:/ { print $2 }') $(pdftotext -f 1 -l 1 "$bk" - | grep -c 'Strangler Fig')"
# the same output directory, one side then both: the .tex is made again
"$DEPTHBOOK" build -o "$out/fronts" --only cards "$seed" 2>/dev/null
expect "cards: after --sides front, a build of both sides prints 38 pages" "38" \
	"$(pdfinfo "$fr" | awk '/^Pages:/ { print $2 }')"
"$DEPTHBOOK" build -o "$out/foldsides" --only cards --sides front --duplex fold "$seed" 2>/dev/null
expect "cards: --sides with --duplex fold is a usage error" "2" "$?"
"$DEPTHBOOK" build -o "$out/badsides" --only cards --sides top "$seed" 2>/dev/null
expect "cards: --sides top is a usage error" "2" "$?"

# PDF metadata, in UTF-8 through pdfinfo: Title (with its & and en dash),
# Subject (the description), Keywords (the sections), the language.
expect "cards: the seed's Title" "Operations & Modern Architecture – Deep Dive" "$(pdfinfo "$pdf" | sed -n 's/^Title: *//p')"
expect "cards: the seed's Subject is its description" "1" \
	"$(pdfinfo "$pdf" | sed -n 's/^Subject: *//p' | grep -c '^Target Audience: Principle Architect')"
expect "cards: the seed's Keywords name its sections" \
	"flashcards, Modern Software Architecture & Service Design, Operations, Monitoring & Incident Management" \
	"$(pdfinfo "$pdf" | sed -n 's/^Keywords: *//p')"
expect "cards: the seed's language" "en" "$(python3 tests/cards/check.py lang "$pdf")"

# Every answer fits: its last words are on a back; the longest answer of
# the seed (the 4-step zero-downtime migration) is whole on one back.
r=$($check lastwords "$pdf" "$seed") && pass "cards: every answer's last words on its back ($r)" ||
	fail "cards: every answer's last words on its back" "$r"
mig=$(pdftotext "$pdf" - | tr '\n' ' ' | grep -c "Q1 · Depth 15.*Add the new column.*only safe way")
expect "cards: the zero-downtime migration answer is on its back" "1" "$mig"

# No Overfull box: typeset the written .tex again and read the log.
if [ "$PASS" = plain ]; then
	mkdir -p "$out/relatex" && cp "$tex" "$out/relatex/card.tex"
	(cd "$out/relatex" && pdflatex -no-shell-escape -halt-on-error -interaction=nonstopmode card.tex >/dev/null 2>&1)
	expect "cards: the .tex typesets on its own" "0" "$?"
	expect "cards: no Overfull box in the LaTeX log" "0" "$(grep -c 'Overfull' "$out/relatex/card.log")"
fi

# An answer too long for one card continues on more cards.
"$DEPTHBOOK" build -o "$out/long" --only cards tests/cards/long 2>/dev/null
expect "cards: a long answer builds" "0" "$?"
lp=$out/long/cards/long-cards.pdf
r=$($check lastwords "$lp" tests/cards/long/long.md) && pass "cards: continued answer ends on a back ($r)" ||
	fail "cards: continued answer ends on a back" "$r"
cont=$(pdftotext "$lp" - | grep -c '^Q1 (continued, [0-9]*/[0-9]*)$')
[ "$cont" -ge 2 ] && pass "cards: continuation cards say '(continued, k/n)' ($cont labels)" ||
	fail "cards: continuation cards say '(continued, k/n)'" "found $cont"

# LaTeX specials and hostile TeX print as text; nothing runs, nothing leaks.
"$DEPTHBOOK" build -o "$out/hostile" --only cards tests/cards/hostile 2>/dev/null
expect "cards: hostile guide builds" "0" "$?"
ht=$(pdftotext "$out/hostile/cards/hostile-cards.pdf" - | tr '\n' ' ')
case "$ht" in
*'Specials: # $ % & _ { } ~ ^ \ and \input{/etc/hostname} \write18{touch pwned}'*) pass "cards: specials print as themselves" ;;
*) fail "cards: specials print as themselves" "$ht" ;;
esac
case "$ht" in
*'\end{verbatim}\input{/etc/hostname} \immediate\write18{touch pwned2}'*) pass "cards: code cannot close its block" ;;
*) fail "cards: code cannot close its block" "$ht" ;;
esac
bad=$(grep -v '^%' "$out/hostile/cards/hostile-cards.tex" | grep -c '\\input\|\\write18\|\\catcode\|\\immediate')
expect "cards: no live \\input/\\write18/\\catcode in the .tex" "0" "$bad"
[ -f "$out/hostile/cards/hostile-cards.pdf" ] && [ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e "$out/hostile/pwned" ] &&
	pass "cards: nothing written by the guide" ||
	fail "cards: nothing written by the guide" "a pwned file exists"
hm=$("$DEPTHBOOK" check tests/cards/hostile-math 2>&1)
expect "cards: hostile math is a check error" "1" "$?"
expect "cards: hostile math names \\input" "1" "$(printf '%s\n' "$hm" | grep -c 'math command \\input is not on the math whitelist')"

# Any script prints: Japanese, Chinese, Korean, emoji, symbols, Greek,
# Cyrillic, NFC and NFD accents, through LuaLaTeX and the Noto fonts.
sc=$("$DEPTHBOOK" build -o "$out/scripts" --only cards tests/cards/scripts 2>&1)
expect "cards: a guide in every script builds, silently" "0 " "$? $sc"
sp=$out/scripts/cards/scripts-cards.pdf
expect "cards: ... typeset by LuaLaTeX" "1" "$(grep -c '^% depthbook-engine lualatex$' "$out/scripts/cards/scripts-cards.tex")"
expect "cards: ... the seed by pdflatex" "0" "$(grep -c '^% depthbook-engine lualatex$' "$tex")"
fonts=$(pdffonts "$sp" | awk 'NR > 2 { sub(/^[A-Z]*\+/, "", $1); print $1 }' | sort -u | tr '\n' ' ')
for want in NotoSansCJKjp-Regular NotoSans-Regular LMSans10-Regular; do
	case "$fonts" in
	*"$want"*) pass "cards: scripts guide embeds $want" ;;
	*) fail "cards: scripts guide embeds $want" "fonts: $fonts" ;;
	esac
done
# the three colour emoji (Noto Color Emoji's bitmaps) are images on a back
expect "cards: the emoji print in colour (3 images on page 2)" "3" \
	"$(pdfimages -list -f 2 -l 2 "$sp" | awk '$3 == "image" && $6 == "rgb"' | wc -l | tr -d ' ')"
r=$(pdftotext "$sp" - | python3 -c '
import sys, unicodedata, re
text = re.sub(r"\s+", "", unicodedata.normalize("NFC", sys.stdin.read()))
wants = ["日本語の文章は単語の間に空白がないので", "中文：缓存放在数据库前面。", "캐시는데이터베이스앞에둡니다",
         "Ελληνικά:ηκρυφήμνήμη.", "Русский:кэшпередбазойданных.", "NFD:café,naïve,Ångström",
         "zażółćgęśląjaźń", "⊠□★♥∑∞≤≥→⇒"]
missing = [w for w in wants if w not in text]
print("missing: %s" % missing if missing else "all %d texts" % len(wants))
sys.exit(1 if missing else 0)') && pass "cards: every script's text is in the PDF ($r)" || fail "cards: every script's text is in the PDF" "$r"
expect "cards: UTF-8 Title, Author, Subject, language" \
	"Scripts — 文字 ✅|Zoë Ångström|Every script a guide may hold: 日本語, 中文, 한국어, Ελληνικά, Русский.|ja" \
	"$(pdfinfo "$sp" | sed -n 's/^Title: *//p')|$(pdfinfo "$sp" | sed -n 's/^Author: *//p')|$(pdfinfo "$sp" | sed -n 's/^Subject: *//p')|$(python3 tests/cards/check.py lang "$sp")"
"$DEPTHBOOK" build -o "$out/scripts2" --only cards tests/cards/scripts 2>/dev/null
cmp -s "$sp" "$out/scripts2/cards/scripts-cards.pdf" && pass "cards: LuaLaTeX's PDF is byte-identical on a second build" ||
	fail "cards: LuaLaTeX's PDF is byte-identical on a second build" "differs"

# Right-to-left scripts: a Hebrew guide, an Arabic one (with a Syriac
# phrase) and an English one with Hebrew, Arabic and N'Ko words. Each run of
# Hebrew, Arabic or Syriac reads right to left (its letters in order from
# the right, Arabic joined: pdftotext gives its presentation forms); the
# paragraphs of a guide in a right-to-left language are set right to
# left, those of the English guide left to right.
rt=$("$DEPTHBOOK" build -o "$out/rtl" --only cards tests/cards/rtl 2>&1)
expect "cards: right-to-left guides build, silently" "0 " "$? $rt"
r=$(python3 tests/cards/check.py rtl "$out/rtl/cards/rtl-he-cards.pdf" rtl '^איך מציבים מטמון' '^מפולת בקשות' 'ذاكرة تخزين')
expect "cards: Hebrew prints right to left, in right-to-left paragraphs" "0 all 3 phrases" "$? $r"
r=$(python3 tests/cards/check.py rtl "$out/rtl/cards/rtl-ar-cards.pdf" rtl '^كيف نضع ذاكرة' '^تدفق الطلبات' 'ܫܠܡܐ')
expect "cards: Arabic and Syriac print right to left, joined, in right-to-left paragraphs" "0 all 3 phrases" "$? $r"
r=$(python3 tests/cards/check.py rtl "$out/rtl/cards/rtl-mixed-cards.pdf" ltr 'שלום עליכם' 'صباح الخير' 'ߒߞߏ')
expect "cards: Hebrew, Arabic and N'Ko words inside English print right to left, the paragraph left to right" "0 all 3 phrases" "$? $r"
expect "cards: only cards with a right-to-left script load babel's bidi" "1 1 1 0" \
	"$(for f in "$out"/rtl/cards/rtl-he-cards.tex "$out"/rtl/cards/rtl-ar-cards.tex "$out"/rtl/cards/rtl-mixed-cards.tex "$out"/scripts/cards/scripts-cards.tex; do
		grep -c '^  \\ifnum1=1$' "$f"; done | tr '\n' ' ' | sed 's/ $//')"

# Nothing crosses a card's edge: what no size can fit is an error at the
# card's line, and no PDF is written.
ov=$("$DEPTHBOOK" build -o "$out/overfull" --only cards tests/cards/overfull 2>&1)
expect "cards: an overfull card fails the build" "1" "$?"
expect "cards: ... at the card's line" "1" "$(printf '%s\n' "$ov" | grep -c '^tests/cards/overfull/overfull.md:11:1: error: the card q1-d1 prints across its edge: .*\[cards-overfull\]$')"
[ ! -e "$out/overfull/cards/overfull-cards.pdf" ] && pass "cards: no PDF for an overfull card" ||
	fail "cards: no PDF for an overfull card" "a PDF was written"

# A character no installed font has is reported at each of its places, all
# in one run, and no PDF is written.
nf=$("$DEPTHBOOK" build -o "$out/nofont" --only cards tests/cards/nofont 2>&1)
expect "cards: a character no font has fails the build" "1" "$?"
expect "cards: every such character is named at its line, in one run" \
	"tests/cards/nofont/nofont.md:9:25: error: no card font can print '' (U+E000) in q1; it would print as a blank [cards-char]
tests/cards/nofont/nofont.md:13:13: error: no card font can print '' (U+E123) in q1-d1; it would print as a blank [cards-char]
tests/cards/nofont/nofont.md:13:37: error: no card font can print '' (U+E000) in q1-d1; it would print as a blank [cards-char]
3 errors, 0 warnings" "$nf"
[ ! -e "$out/nofont/cards/nofont-cards.pdf" ] && pass "cards: no PDF after a LaTeX error" ||
	fail "cards: no PDF after a LaTeX error" "a PDF was written"

# Two guides or more: the second half's LaTeX runs in a child process.
# Every guide's error is still reported, in guide order, and good guides
# come out as one process makes them.
mkdir -p "$out/two-bad" "$out/two-good"
cp tests/cards/nofont/nofont.md "$out/two-bad/a.md"
sed 's/has no glyph/has no glyph at all/' tests/cards/nofont/nofont.md >"$out/two-bad/b.md"
tb=$("$DEPTHBOOK" build -o "$out/tb" --only cards "$out/two-bad" 2>&1)
expect "cards: two failing guides fail the build" "1" "$?"
expect "cards: both guides' LaTeX errors are reported, in order" \
	"$out/two-bad/a.md:9:25 $out/two-bad/a.md:13:13 $out/two-bad/a.md:13:37 $out/two-bad/b.md:9:25 $out/two-bad/b.md:13:13 $out/two-bad/b.md:13:37" \
	"$(printf '%s\n' "$tb" | grep -o '^[^ ]*\.md:[0-9]*:[0-9]*' | tr '\n' ' ' | sed 's/ $//')"
cp "$seed" "$out/two-good/a.md"
cp "$seed" "$out/two-good/b.md"
"$DEPTHBOOK" build -o "$out/tg2" --only cards "$out/two-good" 2>/dev/null
expect "cards: two guides build (two processes)" "0" "$?"
DEPTHBOOK_JOBS=1 "$DEPTHBOOK" build -o "$out/tg1" --only cards "$out/two-good" 2>/dev/null
expect "cards: two guides build (one process)" "0" "$?"
same=1
for f in a-cards.pdf a-cards.tex b-cards.pdf b-cards.tex; do
	cmp -s "$out/tg2/cards/$f" "$out/tg1/cards/$f" || same=0
done
expect "cards: two processes make the same files as one" "1" "$same"

# An unchanged .tex with its PDF in place is not typeset again.
echo stale >"$pdf"
"$DEPTHBOOK" build -o "$out/seed" --only cards "$seed" 2>/dev/null
expect "cards: unchanged .tex is not typeset again" "stale" "$(cat "$pdf")"
# The .tex opens with its inputs' hash: with the same inputs it is not even
# made again. A same-length edit survives (the file was not rewritten); an
# edit that changes the length, or a changed guide, makes it again.
expect "cards: the .tex opens with its inputs' hash" "1" \
	"$(head -1 "$tex" | grep -c '^% depthbook-inputs [0-9a-f]\{16\} [0-9][0-9]*$')"
sed -i '2s/flashcards/FLASHCARDS/' "$tex"
"$DEPTHBOOK" build -o "$out/seed" --only cards "$seed" 2>/dev/null
expect "cards: same inputs, the .tex is not made again" "1" "$(grep -c FLASHCARDS "$tex")"
echo '% an edit' >>"$tex"
"$DEPTHBOOK" build -o "$out/seed" --only cards "$seed" 2>/dev/null
expect "cards: a .tex of another length is made again" "0" "$(grep -c 'FLASHCARDS\|an edit' "$tex")"
expect "cards: ... and typeset again" "%PDF" "$(head -c 4 "$pdf")"
mkdir -p "$out/ed"
cp "$seed" "$out/ed/guide.md"
"$DEPTHBOOK" build -o "$out/edout" --only cards "$out/ed" 2>/dev/null
before=$(head -1 "$out/edout/cards/guide-cards.tex")
sed -i 's/^# Operations/# Edited Operations/' "$out/ed/guide.md"
"$DEPTHBOOK" build -o "$out/edout" --only cards "$out/ed" 2>/dev/null
after=$(head -1 "$out/edout/cards/guide-cards.tex")
[ -n "$before" ] && [ "$before" != "$after" ] && pass "cards: an edited guide changes the hash" ||
	fail "cards: an edited guide changes the hash" "[$before] then [$after]"
expect "cards: ... and its .tex is made again (the PDF's Title)" "Edited Operations & Modern Architecture – Deep Dive" \
	"$(pdfinfo "$out/edout/cards/guide-cards.pdf" | sed -n 's/^Title: *//p')"
echo stale >"$pdf"
"$DEPTHBOOK" build -o "$out/seed" --only cards --paper letter "$seed" 2>/dev/null
expect "cards: a changed .tex is typeset again" "%PDF" "$(head -c 4 "$pdf")"

# Reproducible: the same input gives the same PDF.
"$DEPTHBOOK" build -o "$out/again" --only cards --paper letter "$seed" 2>/dev/null
cmp -s "$pdf" "$out/again/cards/ops-architecture-deep-dive-cards.pdf" &&
	pass "cards: byte-identical PDF on a second build" || fail "cards: byte-identical PDF on a second build" "differs"

# No pdflatex: exit 2 naming the package; other outputs still build.
nolatex=$(env PATH=/nonexistent "$DEPTHBOOK" build -o "$out/nolatex" --only cards "$seed" 2>&1)
expect "cards: no pdflatex exits 2" "2" "$?"
expect "cards: no pdflatex names the package" "1" "$(printf '%s\n' "$nolatex" | grep -c 'apt-get install texlive-latex-base')"
env PATH=/nonexistent "$DEPTHBOOK" build -o "$out/nolatex" --only anki "$seed" 2>/dev/null
expect "cards: without pdflatex --only anki still builds" "0" "$?"

# Images: a PNG, JPEG, PDF, SVG, GIF or WebP a guide shows is printed on
# its card, as wide as the card's text (85 mm) at most; a file of no image
# kind, even one named .png (a BMP), prints its alt text in italics. The
# file's own pixels are in the PDF (a GIF's first frame, a WebP's pixels as
# a PNG); the SVG is drawn (its text is text). An edited image makes the cards
# again; an unchanged one does not.
mkdir -p "$out/img/img/sub"
cp tests/guides/images/images.md "$out/img/"
cp tests/guides/images/img/* "$out/img/img/"
pdftoppm -jpeg -r 20 -f 1 -l 1 -singlefile "$pdf" "$out/img/img/photo"
pdfseparate -f 2 -l 2 "$pdf" "$out/img/img/page.pdf"
printf 'BM\066\000\000\000' >"$out/img/img/not-a.png"
# an SVG that shows a file outside its own folder, and one from anywhere:
# librsvg reads neither
cp tests/guides/images/img/architecture.png "$out/img/secret.png"
cat >"$out/img/img/sub/outside.svg" <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50"><image xlink:href="../../secret.png" width="100" height="50"/><image xlink:href="file:///usr/share/pixmaps/debian-logo.png" width="10" height="10"/><text x="5" y="20">outside</text></svg>
EOF
cat >>"$out/img/images.md" <<'EOF'

## 3. Other kinds

### Q3: A photograph?
**Answer:**
![a JPEG photograph](img/photo.jpg)

#### Depth 1
**Q:** And a page of a PDF?
**A:** ![a PDF page](img/page.pdf) and ![a BMP named .png](img/not-a.png) and ![reaching out](img/sub/outside.svg)
EOF
ib=$("$DEPTHBOOK" build -o "$out/imgout" --only cards "$out/img" 2>&1)
expect "cards: a guide with images builds, silently" "0 " "$? $ib"
ip=$out/imgout/cards/images-cards.pdf
# the JPEG's size in pixels, from its frame header
jw=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
i = 2
while d[i + 1] not in (0xC0, 0xC1, 0xC2):
    i += 2 + int.from_bytes(d[i + 2:i + 4], "big")
print("%dx%d" % (int.from_bytes(d[i + 7:i + 9], "big"), int.from_bytes(d[i + 5:i + 7], "big")))' "$out/img/img/photo.jpg")
# printed width x height in mm: as wide as the text (85 mm) unless that
# would be taller than .45 of the card's text height (49.5 mm: the
# portrait JPEGs; the corpus's is saved under a .png name)
expect "cards: the PNGs, JPEGs, GIF and WebP are printed, 85 mm wide or 49.5 mm high at most, in proportion" \
	"320x180 85x48 | 1200x300 85x21 | 240x90 85x32 | 200x120 82x49 | 199x281 35x50 | $jw 38x49" \
	"$(pdfimages -list "$ip" | awk 'NR > 2 && $3 == "image" { printf "%s%sx%s %.0fx%.0f", sep, $4, $5, $4 / $13 * 25.4, $5 / $14 * 25.4; sep = " | " }')"
it=$(pdftotext "$ip" - | tr '\n' ' ')
case "$it" in
*"producer"*"consumer"*"a BMP named .png"*"outside"*) pass "cards: the SVGs are drawn (their text), a BMP named .png prints its alt text" ;;
*) fail "cards: the SVGs are drawn (their text), a BMP named .png prints its alt text" "$it" ;;
esac
case "$it" in
*"Three tiers"* | *"A queue between"* | *"a JPEG photograph"* | *"A printed sheet"* | *"A rollout"* | *"Two servers"* | *"a PDF page"* | *"reaching out"*) fail "cards: a printed image's alt text is not printed too" "$it" ;;
*) pass "cards: a printed image's alt text is not printed too" ;;
esac
expect "cards: the PDF page is drawn on its card (its own text is there)" "1" \
	"$(pdftotext -f 4 -l 4 "$ip" - | grep -c 'Q1 · Depth 1')"
r=$(python3 tests/cards/check.py margins "$ip" 5) && pass "cards: images: ink >= 5 mm inside the sheet ($r)" ||
	fail "cards: images: ink >= 5 mm inside the sheet" "$r"
cp "$out/img/img/wide-timeline.png" "$out/img/img/architecture.png"
"$DEPTHBOOK" build -o "$out/imgout" --only cards "$out/img" 2>/dev/null
expect "cards: an edited image is printed again" "1200x300 | 1200x300 | 240x90 | 200x120" \
	"$(pdfimages -list -f 2 -l 2 "$ip" | awk 'NR > 2 && $3 == "image" { printf "%s%sx%s", sep, $4, $5; sep = " | " }')"
echo stale >"$ip"
"$DEPTHBOOK" build -o "$out/imgout" --only cards "$out/img" 2>/dev/null
expect "cards: ... and with nothing changed, not typeset again" "stale" "$(cat "$ip")"
# an SVG that is not well-formed is named at its card, with librsvg's reason
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect' >"$out/img/img/cut.svg"
cp "$out/img/images.md" "$out/img/images.md.good"
printf '\n### Q4: A broken drawing?\n**Answer:**\n![cut short](img/cut.svg)\n' >>"$out/img/images.md"
ib=$("$DEPTHBOOK" build -o "$out/imgbad" --only cards "$out/img" 2>&1)
expect "cards: an SVG that cannot be drawn fails the build, named at its card" \
	"1 $out/img/images.md:51:1: error: the card q4 cannot show the image img/cut.svg: XML parse error: Error domain 1 code 77 on line 1 column 69 of data: Premature end of data in tag svg line 1 [cards-image]" \
	"$? $(printf '%s\n' "$ib" | head -1)"
mv "$out/img/images.md.good" "$out/img/images.md"
# an image the engine cannot read (a PNG cut short) is named at its card
head -c 100 tests/guides/images/img/wide-timeline.png >"$out/img/img/cut.png"
printf '\n### Q4: A broken picture?\n**Answer:**\n![cut short](img/cut.png)\n' >>"$out/img/images.md"
ib=$("$DEPTHBOOK" build -o "$out/imgbad" --only cards "$out/img" 2>&1)
expect "cards: an image the engine cannot read fails the build, named at its card" \
	"1 $out/img/images.md:51:1: error: the card q4 cannot show the image img/cut.png: pdflatex cannot read it: writepng: reading chunk type failed [cards-image]" \
	"$? $(printf '%s\n' "$ib" | head -1)"
# a GIF cut short is named at its card, with gdk-pixbuf's reason
sed -i 's|(img/cut.png)|(img/cut.gif)|' "$out/img/images.md"
head -c 40 tests/guides/images/img/rollout.gif >"$out/img/img/cut.gif"
ib=$("$DEPTHBOOK" build -o "$out/imgbad" --only cards "$out/img" 2>&1)
expect "cards: a GIF that cannot be decoded fails the build, named at its card" \
	"1 $out/img/images.md:51:1: error: the card q4 cannot show the image img/cut.gif: GIF image was truncated or incomplete [cards-image]" \
	"$? $(printf '%s\n' "$ib" | head -1)"

# An image in every place a card's text can hold one: a question on a
# front (on each of its continued fronts), a link, emphasis, a table cell,
# a list, a quote, strikethrough, two in a row before a full stop. Each is
# printed, and nothing crosses a card's edge.
ib=$("$DEPTHBOOK" build -o "$out/imgplaces" --only cards tests/cards/image-places 2>&1)
expect "cards: images in every place build, silently" "0 " "$? $ib"
expect "cards: ... each printed: 3 on fronts (a question continued on 3 cards), 9 on backs" "3 9" \
	"$(pdfimages -list "$out/imgplaces/cards/image-places-cards.pdf" | awk 'NR > 2 && $3 == "image" { n[$1 % 2]++ } END { print n[1] + 0, n[0] + 0 }')"

# Formatting survives: tables, code, task lists, strikethrough, math, links.
"$DEPTHBOOK" build -o "$out/sample" --only cards tests/guides/sample 2>/dev/null
expect "cards: sample guides build" "0" "$?"
st=$(pdftotext "$out/sample/cards/sample-cards.pdf" - | tr '\n' ' ')
for want in '⊠ bounded' '□ unbounded' 'über-fast, naïve eviction' 'def get(key):' \
	'see Depth 2 (Q1 › Depth 2)' '(other, Q1 › Depth 1)' 'O(n log n)' 'p ≤ 0.1' 'α, β, →' '10× faster'; do
	case "$st" in
	*"$want"*) pass "cards: sample prints '$want'" ;;
	*) fail "cards: sample prints '$want'" "not in pdftotext output" ;;
	esac
done
