# t_anki.sh: the Anki deck. The text export (out/anki/<slug>.txt) parses
# back as Anki would (tests/cards/anki_check.py); the packages
# (out/anki/<slug>.apkg, out/anki/library.apkg) read back with sqlite3
# against schema 11's rules (tests/cards/apkg_check.py) for the seed and
# every corpus guide, and with an independent reader from npm (anki-reader)
# when it is installed; GUIDs survive an inserted follow-up; a cross-link an
# insertion repoints is warned about; packages are byte-reproducible.
. tests/lib.sh
need python3 python3 || exit 0
out=$(scratch)
trap 'rm -rf "$out"' EXIT
seed=content/ops-architecture-deep-dive.md
export SOURCE_DATE_EPOCH=1764547200
"$DEPTHBOOK" build -o "$out/a" --only anki "$seed" 2>"$out/err"
expect "anki: seed builds" "0" "$?"
deck=$out/a/anki/ops-architecture-deep-dive.txt
r=$(python3 tests/cards/anki_check.py "$deck" 76 2>"$out/guids1")
expect "anki: seed text deck parses: headers, 76 notes, 5 fields, unique GUIDs, one deck" "ok" "$r"
expect "anki: text header lines first, #deck column (creates the deck), no #deck:" \
	"#separator:tab|#html:true|#notetype:Basic|#columns:GUID	Front	Back	Tags	Deck|#guid column:1|#tags column:4|#deck column:5" \
	"$(head -7 "$deck" | tr '\n' '|' | sed 's/|$//')"
expect "anki: the deck column names the guide" "Operations & Modern Architecture – Deep Dive" \
	"$(tail -1 "$deck" | awk -F'\t' '{print $NF}')"
r=$(python3 tests/cards/apkg_check.py "$out/a/anki/ops-architecture-deep-dive.apkg" 76 1 2>"$out/apkg1")
expect "anki: seed package reads back against schema 11 (76 notes, 1 deck, csum, ordinals, JSON)" "ok" "$r"
r=$(python3 tests/cards/apkg_check.py "$out/a/anki/library.apkg" 76 1 2>/dev/null)
expect "anki: the library package of one guide" "ok" "$r"
cut -f1 "$out/guids1" >"$out/g-txt"
cut -f1 "$out/apkg1" >"$out/g-apkg"
cmp -s "$out/g-txt" "$out/g-apkg" && pass "anki: text export and package carry the same GUIDs in the same order" ||
	fail "anki: text export and package carry the same GUIDs in the same order" "differ"

# Every corpus guide: each package holds the guide's notes; the library
# one subdeck per guide, under one parent deck.
# A guide's links and images are relative to it: build the corpus in place.
guides=$(ls tests/guides/*/*.md)
# shellcheck disable=SC2086
"$DEPTHBOOK" build -o "$out/c" --only anki $guides 2>"$out/err"
expect "anki: the corpus builds" "0" "$?"
total=0
ndecks=0
for g in $guides; do
	slug=$(basename "$g" .md)
	# one note per question and follow-up heading of the guide
	notes=$(grep -cE '^### Q[0-9]+:|^#{4,6} Depth [0-9]+' "$g")
	r=$(python3 tests/cards/apkg_check.py "$out/c/anki/$slug.apkg" "$notes" 1 2>/dev/null)
	expect "anki: corpus $slug: package reads back against schema 11 ($notes notes)" "ok" "$r"
	r=$(python3 tests/cards/apkg_same.py "$out/c/anki/$slug.txt" "$out/c/anki/$slug.apkg")
	expect "anki: corpus $slug: the package's questions and answers are the text export's" "ok" "$r"
	total=$((total + notes))
	ndecks=$((ndecks + 1))
done
r=$(python3 tests/cards/apkg_check.py "$out/c/anki/library.apkg" "$total" "$ndecks" 2>/dev/null)
expect "anki: library.apkg: $total notes in $ndecks subdecks" "ok" "$r"
parents=$(unzip -p "$out/c/anki/library.apkg" collection.anki2 >"$out/lib.anki2" &&
	python3 -c "import json,sqlite3,sys; d=json.loads(sqlite3.connect(sys.argv[1]).execute('select decks from col').fetchone()[0]); print(sorted({n['name'].split('::')[0] for n in d.values() if '::' in n['name']}))" "$out/lib.anki2")
expect "anki: library subdecks sit under one parent deck" "['depthbook']" "$parents"

# Every field of every note, in each package and text export of the corpus,
# is well-formed HTML with no script, handler or unsafe address (the fuzz
# oracle, tests/obj/outcheck); and the oracle sees one planted in each form.
if make -s tests/obj/outcheck >/dev/null 2>&1; then
	if r=$(tests/obj/outcheck "$out"/c/anki/*.apkg "$out"/c/anki/*.txt 2>&1); then
		pass "anki: outcheck passes every note field of $(ls "$out"/c/anki/*.apkg "$out"/c/anki/*.txt | wc -l) packages and exports"
	else
		fail "anki: outcheck passes every note field" "$(echo "$r" | head -3)"
	fi
	mkdir -p "$out/planted/anki"
	sed '0,/<\/p>/s|</p>|<img src=""x"" onerror=""alert(1)""></p>|' "$out/c/anki/sample.txt" >"$out/planted/anki/sample.txt"
	python3 - "$out/c/anki/sample.apkg" "$out/planted/sample.apkg" <<'PY'
import os, sqlite3, sys, tempfile, zipfile
src, dst = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(src) as z:
    db = os.path.join(tmp, "c.anki2")
    open(db, "wb").write(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    con.execute("update notes set flds = replace(flds, '</p>', '<script>alert(1)</script></p>')")
    con.commit(); con.close()
    with zipfile.ZipFile(dst, "w") as out:
        for name in z.namelist():
            out.writestr(name, open(db, "rb").read() if name == "collection.anki2" else z.read(name))
PY
	tests/obj/outcheck "$out/planted/anki/sample.txt" "$out/planted/sample.apkg" >"$out/planted.out" 2>&1
	expect "anki: outcheck sees a handler in an export and a script in a package (exit 1, both named)" "1 2" \
		"$? $(grep -c 'an event-handler attribute$\|a script that is not the theme.s$' "$out/planted.out")"
else
	fail "anki: outcheck builds" "make tests/obj/outcheck failed"
fi

# The sample guide: code, a table, math, cross-links within and across guides.
"$DEPTHBOOK" build -o "$out/s" --only anki tests/guides/sample 2>/dev/null
expect "anki: sample builds" "0" "$?"
r=$(python3 tests/cards/anki_check.py "$out/s/anki/sample.txt" 6 2>/dev/null)
expect "anki: sample text deck parses (newlines and quotes in fields)" "ok" "$r"
grep -q '^<pre><code class=""language-python"">def get(key):$' "$out/s/anki/sample.txt" &&
	pass "anki: a code block keeps its newlines inside a quoted field" ||
	fail "anki: a code block keeps its newlines inside a quoted field" "not found"
grep -q '&lt;script&gt;' "$out/s/anki/sample.txt" && ! grep -q '<script' "$out/s/anki/sample.txt" &&
	pass "anki: code is escaped HTML" || fail "anki: code is escaped HTML" "raw <script> in the deck"
unzip -p "$out/s/anki/sample.apkg" collection.anki2 >"$out/sample.anki2"
flds=$(sqlite3 "$out/sample.anki2" "select flds from notes" 2>/dev/null)
case $flds in
*'\(O(n \log n)\)'*) pass "anki: math as MathJax \\(…\\)" ;;
*) fail "anki: math as MathJax \\(…\\)" "no \\(O(n \\log n)\\) in the fields" ;;
esac
case $flds in
*'href="#'*) fail "anki: cross-links without --base-url print a reference" "a dead #fragment link" ;;
*'<span class="xref">Depth 2 <span class="ref">(Q1 › Depth 2)</span></span>'*'(in “Retries”, Q1 › Depth 1)'*)
	pass "anki: cross-links without --base-url print a reference (Q1 › Depth 2; another guide by title)" ;;
*) fail "anki: cross-links without --base-url print a reference" "$(echo "$flds" | grep -o 'xref.\{0,80\}' | head -2)" ;;
esac
"$DEPTHBOOK" build -o "$out/u" --only anki --base-url https://example.org/guides tests/guides/sample 2>/dev/null
unzip -p "$out/u/anki/sample.apkg" collection.anki2 >"$out/u.anki2"
flds=$(sqlite3 "$out/u.anki2" "select flds from notes" 2>/dev/null)
case $flds in
*'href="https://example.org/guides/sample/q1.html#d2"'*'href="https://example.org/guides/other/q1.html#d1"'*)
	pass "anki: with --base-url cross-links go to the site's page and fragment" ;;
*) fail "anki: with --base-url cross-links go to the site's page and fragment" "$(echo "$flds" | grep -o 'href="[^"]*"' | head -3)" ;;
esac
link=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select flds from notes order by id limit 1 offset 1').fetchone()[0].split('\x1f')[4])" "$out/u.anki2")
expect "anki: with --base-url the Link field is the unit's page" "https://example.org/guides/sample/q1.html#d1" "$link"

# Images travel as media under a content-named file.
mkdir -p "$out/img/pics"
printf '\211PNG\r\n\032\n-not-really-a-png-' >"$out/img/pics/Diagram.PNG"
printf '# Img\n\n**Target Audience:** Tests.\n\n## 1. Pictures\n\n### Q1: What does it show?\n**Answer:**\n![a diagram](pics/Diagram.PNG)\n\n#### Depth 1\n**Q:** Again?\n**A:** ![same](pics/Diagram.PNG)\n' >"$out/img/img.md"
"$DEPTHBOOK" build -o "$out/i" --only anki "$out/img" 2>"$out/err"
expect "anki: a guide with an image builds" "0" "$?"
r=$(python3 tests/cards/apkg_check.py "$out/i/anki/img.apkg" 2 1 2>/dev/null)
expect "anki: the image's package reads back (every <img> names packed media)" "ok" "$r"
media=$(unzip -p "$out/i/anki/img.apkg" media)
case $media in
'{"0":"db-'*'.png"}') pass "anki: one image, packed once, as db-HASH.png" ;;
*) fail "anki: one image, packed once, as db-HASH.png" "$media" ;;
esac
unzip -p "$out/i/anki/img.apkg" 0 | cmp -s - "$out/img/pics/Diagram.PNG" &&
	pass "anki: the packed image is the file's bytes" || fail "anki: the packed image is the file's bytes" "differs"
# The extension is the bytes' kind: the corpus's JPEG named .png is
# packed as db-HASH.jpg, the PNGs as .png, the SVG, GIF and WebP as .svg,
# .gif and .webp.
kinds=$(unzip -p "$out/c/anki/images.apkg" media | python3 -c 'import json,sys; print(" ".join(sorted(n.rsplit(".", 1)[1] for n in json.load(sys.stdin).values())))')
expect "anki: corpus images: each image's extension is its bytes' kind (a JPEG named .png is .jpg)" "gif jpg png png svg webp" "$kinds"

# A tab in an answer stays inside its field.
mkdir -p "$out/tab"
printf '# Tab\n\n**Target Audience:** Tests.\n\n## 1. Tabs\n\n### Q1: Tab?\n**Answer:**\n```\na\tb "q"\n```\n' >"$out/tab/tab.md"
"$DEPTHBOOK" build -o "$out/t" --only anki "$out/tab" 2>/dev/null
r=$(python3 tests/cards/anki_check.py "$out/t/anki/tab.txt" 1 2>/dev/null)
expect "anki: a tab and quotes in a field parse back" "ok" "$r"

# Reproducible: another build, elsewhere, in another time zone, gives the
# same bytes.
TZ=Pacific/Kiritimati "$DEPTHBOOK" build -o "$out/b" --only anki "$seed" 2>/dev/null
same=yes
for f in ops-architecture-deep-dive.txt ops-architecture-deep-dive.apkg library.apkg; do
	cmp -s "$out/a/anki/$f" "$out/b/anki/$f" || same="no: $f"
done
expect "anki: byte-identical text and packages across builds and time zones" "yes" "$same"

# Insertion: one follow-up after Q1 › Depth 5 of a copy of the seed, the
# rest renumbered, as depth-sequence requires. The package keeps all 76 old
# GUIDs with the same questions and adds exactly one.
mkdir -p "$out/ins"
awk 'BEGIN { q1 = 0 }
/^### Q1:/ { q1 = 1 } /^### Q2:/ { q1 = 0 }
q1 && /^#+ Depth [0-9]+$/ { n = $3 + 0
	if (n == 6) print "###### Depth 6\n**Q:** A follow-up nobody has studied yet?\n**A:** Inserted.\n"
	if (n >= 6) { print "###### Depth " n + 1; next } }
{ print }' "$seed" >"$out/ins/ops-architecture-deep-dive.md"
"$DEPTHBOOK" check "$out/ins" >/dev/null 2>&1
expect "anki: insertion: the edited copy checks clean" "0" "$?"
SOURCE_DATE_EPOCH=1764633600 "$DEPTHBOOK" build -o "$out/n" --only anki "$out/ins" 2>/dev/null
r=$(python3 tests/cards/apkg_check.py "$out/n/anki/ops-architecture-deep-dive.apkg" 77 1 2>"$out/apkg2")
expect "anki: insertion: the new package reads back (77 notes)" "ok" "$r"
sort "$out/apkg1" >"$out/old"
sort "$out/apkg2" >"$out/new"
cut -f1 "$out/old" >"$out/old-g"
cut -f1 "$out/new" >"$out/new-g"
expect "anki: insertion: all 76 old GUIDs still there with the same questions" "76" \
	"$(comm -12 "$out/old" "$out/new" | wc -l | tr -d ' ')"
expect "anki: insertion: no old GUID lost" "0" "$(comm -23 "$out/old-g" "$out/new-g" | wc -l | tr -d ' ')"
expect "anki: insertion: exactly one new GUID, the new follow-up's" \
	"A follow-up nobody has studied yet?" "$(comm -13 "$out/old" "$out/new" | cut -f2)"
ids() { unzip -p "$1" collection.anki2 >"$out/ids.anki2" &&
	sqlite3 "$out/ids.anki2" "select distinct mid from notes; select distinct did from cards;" | tr '\n' ' '; }
expect "anki: note type id and deck id stable across builds and edits" \
	"$(ids "$out/a/anki/ops-architecture-deep-dive.apkg")" "$(ids "$out/n/anki/ops-architecture-deep-dive.apkg")"

# The site's review schedule keys on the same identity: every follow-up's
# review key is its note's GUID, before and after the insertion.
"$DEPTHBOOK" build -o "$out/rv1" --only html,anki "$seed" 2>/dev/null
"$DEPTHBOOK" build -o "$out/rv2" --only html,anki "$out/ins" 2>/dev/null
for k in 1 2; do
	grep -o '^\["[0-9a-f]\{16\}"' "$out/rv$k/site/review/ops-architecture-deep-dive.js" | tr -d '["' | sort >"$out/rk$k"
done
expect "anki: the site's review keys are the follow-ups' GUIDs (74 of the 76 notes)" "74" \
	"$(comm -12 "$out/rk1" "$out/old-g" | wc -l | tr -d ' ')"
expect "anki: after the insertion the 74 review keys are all still there, and one more" "74 75" \
	"$(comm -12 "$out/rk1" "$out/rk2" | wc -l | tr -d ' ') $(wc -l <"$out/rk2" | tr -d ' ')"

# A cross-link to a positional id that the insertion repoints: check warns,
# naming the id the unit has now and an explicit id to give it; after a
# successful build the new numbering is the reference and the warning goes.
mkdir -p "$out/lk1" "$out/lk2"
link='s/^\*\*A:\*\* "Without them, one slow service/**A:** See [the sidecar](#q1-d9). "Without them, one slow service/'
sed "$link" "$seed" >"$out/lk1/ops-architecture-deep-dive.md"
sed "$link" "$out/ins/ops-architecture-deep-dive.md" >"$out/lk2/ops-architecture-deep-dive.md"
"$DEPTHBOOK" build -o "$out/lk" --only anki "$out/lk1" 2>/dev/null
"$DEPTHBOOK" check -o "$out/lk" "$out/lk1" 2>"$out/w0"
expect "anki: link-moved: nothing to say before the edit" "0 errors, 0 warnings" "$(cat "$out/w0")"
"$DEPTHBOOK" check -o "$out/lk" "$out/lk2" 2>"$out/w1"
expect "anki: link-moved: check exits 0 on the warning" "0" "$?"
line=$(grep -n 'See \[the sidecar\]' "$out/lk2/ops-architecture-deep-dive.md" | cut -d: -f1)
w=$(grep 'link-moved' "$out/w1")
case $w in
"$out/lk2/ops-architecture-deep-dive.md:$line:12: warning: link to '#q1-d9' now points at \"How do you handle “Secret Management”"*"at the last build it pointed at \"What is the “Sidecar Pattern”"*"that unit is now '#q1-d10': give its heading an explicit id ('{#what-is-the-sidecar}') and link to '#what-is-the-sidecar' [link-moved]")
	pass "anki: link-moved: file:line:col, the old and new question, the explicit id to use" ;;
*) fail "anki: link-moved: file:line:col, the old and new question, the explicit id to use" "$w" ;;
esac
"$DEPTHBOOK" check --werror -o "$out/lk" "$out/lk2" 2>/dev/null
expect "anki: link-moved: an error under --werror" "1" "$?"
"$DEPTHBOOK" build -o "$out/lk" --only anki "$out/lk2" 2>/dev/null
"$DEPTHBOOK" check -o "$out/lk" "$out/lk2" 2>"$out/w2"
expect "anki: link-moved: after a successful build the new numbering holds" "0 errors, 0 warnings" "$(cat "$out/w2")"
grep -q "^ops-architecture-deep-dive	q1-d10	$(grep 'Sidecar Pattern' "$out/apkg1" | cut -f1)	" "$out/lk/.depthbook-ids" &&
	pass "anki: out/.depthbook-ids maps the positional id to the unit's key" ||
	fail "anki: out/.depthbook-ids maps the positional id to the unit's key" "$(grep q1-d10 "$out/lk/.depthbook-ids" | cut -c1-80)"

# An explicit id keys the note: rewording the question keeps its GUID; a
# positional link to it that an insertion repoints is told to use the id.
mkdir -p "$out/ex1" "$out/ex2"
ex='# Ex\n\n**Target Audience:** Tests.\n\n## 1. S\n\n### Q1: Main?\n**Answer:**\nA, see [the saga](#q1-d2).\n\n#### Depth 1\n**Q:** First?\n**A:** a\n\n##### Depth 2 {#saga}\n**Q:** %s\n**A:** a\n'
printf "$ex" 'How do sagas work?' >"$out/ex1/ex.md"
printf "$ex" 'How do sagas compensate?' | sed 's/^#### Depth 1$/#### Depth 1\n**Q:** New?\n**A:** n\n\n##### Depth 2/; s/^##### Depth 2 {#saga}$/###### Depth 3 {#saga}/' >"$out/ex2/ex.md"
"$DEPTHBOOK" build -o "$out/ex" --only anki "$out/ex1" 2>/dev/null
expect "anki: explicit id: the guide builds" "0" "$?"
python3 tests/cards/apkg_check.py "$out/ex/anki/ex.apkg" 3 1 2>"$out/ex-g1" >/dev/null
"$DEPTHBOOK" check -o "$out/ex" "$out/ex2" 2>"$out/ex-w"
w=$(grep 'link-moved' "$out/ex-w")
case $w in
*"link to '#q1-d2' now points at \"First?\"; at the last build it pointed at \"How do sagas work?\"; link to its explicit id '#saga' [link-moved]")
	pass "anki: explicit id: link-moved names the explicit id to link to" ;;
*) fail "anki: explicit id: link-moved names the explicit id to link to" "$w$(head -3 "$out/ex-w")" ;;
esac
SOURCE_DATE_EPOCH=1764633600 "$DEPTHBOOK" build -o "$out/ex" --only anki "$out/ex2" 2>/dev/null
python3 tests/cards/apkg_check.py "$out/ex/anki/ex.apkg" 4 1 2>"$out/ex-g2" >/dev/null
expect "anki: explicit id: a reworded question keeps its GUID" \
	"$(grep 'How do sagas work' "$out/ex-g1" | cut -f1)" "$(grep 'How do sagas compensate' "$out/ex-g2" | cut -f1)"

# A theme without the Anki templates: exit 2 naming the file; out/ stays.
mkdir -p "$out/theme"
cp -r themes/default/site themes/default/epub themes/default/cards "$out/theme/"
"$DEPTHBOOK" build -o "$out/a" --only anki --theme "$out/theme" "$seed" 2>"$out/err"
expect "anki: a theme without anki/ templates: exit 2" "2" "$?"
grep -q "theme/anki/front.html: error: No such file or directory" "$out/err" &&
	pass "anki: a theme without anki/ templates: the diagnostic names the file" ||
	fail "anki: a theme without anki/ templates: the diagnostic names the file" "$(head -2 "$out/err")"
cmp -s "$out/a/anki/library.apkg" "$out/b/anki/library.apkg" &&
	pass "anki: a failed package build leaves out/ as it was" ||
	fail "anki: a failed package build leaves out/ as it was" "library.apkg changed"
# A FIFO for a template would block a reader: refused, exit 2.
cp -r themes/default/anki "$out/theme/"
rm "$out/theme/anki/back.html"
mkfifo "$out/theme/anki/back.html"
timeout 20 "$DEPTHBOOK" build -o "$out/a" --only anki --theme "$out/theme" "$seed" 2>"$out/err"
expect "anki: a FIFO for a template: exit 2, no hang" "2" "$?"
grep -q "theme/anki/back.html: error: this theme file is a FIFO" "$out/err" &&
	pass "anki: a FIFO for a template: the diagnostic names it" ||
	fail "anki: a FIFO for a template: the diagnostic names it" "$(head -2 "$out/err")"

# An independent reader (npm anki-reader, on sql.js and zip.js), once, in
# the plain pass only.
if ! checked; then
	reader=tests/node_modules/anki-reader/package.json
	if need "$reader" "npm anki-reader@0.3.0 in tests/package.json"; then
		echo "anki: reading the packages with anki-reader (npm)"
		got=$(node tests/cards/apkg_read.mjs "$out/c/anki/library.apkg" 2>&1 | awk -F'\t' '{n += $2; f = f " " $3} END {print NR, n, f}')
		want="$ndecks $total $(for g in $guides; do printf ' 5'; done)"
		expect "anki: anki-reader reads library.apkg: decks, cards, 5 fields each" "$want" "$got"
	fi
fi
