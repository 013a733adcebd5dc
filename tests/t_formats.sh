# t_formats.sh: the format variants real guides use (tests/fixtures/ of
# issue 22: explicit ids, follow-up spellings, section shapes, continuous
# Depth numbers, **A:** answers) built in every output and validated, and
# `depthbook fmt`: round trips on every corpus guide and variant fixture, a
# no-op on the seed, an inserted follow-up renumbered until check is clean,
# cross-links rewritten, --check's diff, the file's mode kept.
. tests/lib.sh
T=$(scratch)
trap 'rm -rf "$T"' EXIT

# --- every variant in every output -------------------------------------
variants="sections-variants depth-variants question-variants marker-variants followup-variants section-numbers continuous continuous-declared answer-a"
mkdir -p "$T/lib"
for v in $variants; do
	cp "tests/fixtures/$v/guide.md" "$T/lib/$v.md"
done
only=html,epub,anki,cards
command -v pdflatex >/dev/null 2>&1 || { need pdflatex texlive-latex-base; only=html,epub,anki; }
if "$DEPTHBOOK" build -o "$T/out" --only "$only" "$T/lib" >"$T/build.log" 2>&1; then
	pass "variant fixtures build ($only)"
else
	fail "variant fixtures build ($only)" "$(tail -5 "$T/build.log")"
fi
if "$DEPTHBOOK" build -o "$T/ids-out" --only "$only" tests/fixtures/ids >"$T/ids.log" 2>&1; then
	pass "explicit-id fixture builds ($only)"
else
	fail "explicit-id fixture builds ($only)" "$(tail -5 "$T/ids.log")"
fi

# units found: one Anki note per question and per follow-up
notes() { grep -c "$(printf '^[0-9a-f]\\{10,\\}\t')" "$1" 2>/dev/null; }
for want in sections-variants:5 depth-variants:5 question-variants:7 marker-variants:5 followup-variants:4 section-numbers:5 continuous:6 continuous-declared:4 answer-a:3; do
	expect "units found in ${want%%:*} (notes)" "${want#*:}" "$(notes "$T/out/anki/${want%%:*}.txt")"
done
expect "units found in the explicit-id guides (notes)" "4 2" \
	"$(notes "$T/ids-out/anki/guide.txt") $(notes "$T/ids-out/anki/other.txt")"
if [ "$only" = html,epub,anki,cards ]; then
	for v in $variants; do
		[ -s "$T/out/cards/$v-cards.pdf" ] && pass "cards of $v" || fail "cards of $v" "no PDF"
	done
fi

S=$T/out/site
# sections: every shape, back matter as pages of their own, never a note
expect "section titles keep their words" "1. The Storage Super-Chain|2. Replication|3. Consensus|4. Operations (Levels 1-20)" \
	"$(grep -o '<h2 id="s[1-4]">[^<]*' "$S/sections-variants/index.html" | sed 's/.*">//' | paste -sd'|')"
expect "a glossary is a page of its own, linked from the contents" "s5.html s6.html" \
	"$(grep -o 'href="s[56].html"' "$S/sections-variants/index.html" | sed 's/href="//; s/"//' | paste -sd' ')"
grep -q '<strong>WAL</strong>' "$S/sections-variants/s5.html" && pass "the glossary page holds its list" ||
	fail "the glossary page holds its list" "$(grep -c WAL "$S/sections-variants/s5.html")"
expect "the glossary is in no note" 0 "$(grep -c 'WAL' "$T/out/anki/sections-variants.txt")"
grep -q 'A tagline under a named section' "$S/sections-variants/index.html" &&
	pass "a section's tagline shows on the site" || fail "a section's tagline shows on the site" "missing"
E=$T/x
mkdir -p "$E"
(cd "$E" && unzip -qo "$T/out/epub/sections-variants.epub")
# every section is a page of its own (sN.xhtml), its text under its heading
grep -q 'A tagline under a named section' "$E/EPUB/s1.xhtml" &&
	pass "a section's tagline opens its EPUB section page" || fail "a section's tagline opens its EPUB section page" "missing"
expect "a glossary is an EPUB chapter, in the spine and the nav" "2 1" \
	"$(grep -o 'idref="s[56]"' "$E/EPUB/package.opf" | wc -l) $(grep -o 'href="s5.xhtml"' "$E/EPUB/nav.xhtml" | wc -l)"
# follow-ups: every spelling is a follow-up, with its title
expect "Follow-up Depth N and titled follow-ups are follow-ups" 4 \
	"$(grep -c '<section class="depth"' "$S/depth-variants/q1.html")"
grep -q 'Thundering herd' "$S/depth-variants/q1.html" && pass "a follow-up keeps its short title" ||
	fail "a follow-up keeps its short title" "missing"
expect "Follow-up N and an untitled Depth N: are follow-ups, a title kept" "3 1" \
	"$(grep -c '<section class="depth"' "$S/followup-variants/q1.html") $(grep -c '<span class="q">What if the log is gone?</span>' "$S/followup-variants/q1.html")"
grep -q 'Cold start' "$S/followup-variants/q1.html" && pass "Follow-up N: title keeps its title" ||
	fail "Follow-up N: title keeps its title" "missing"
expect "a section number before ), : or a dash is its number, not its title's" "1. Queues|2. Caches|3. Locks|4. 2023 Outages|5. Leases" \
	"$(grep -o '<h2 id="s[1-5]">[^<]*' "$S/section-numbers/index.html" | sed 's/.*">//' | paste -sd'|')"
# questions: every spelling is a question, its title without the prefix
expect "question variants are the guide's questions, titled without their prefix" \
	"How does a queue absorb a burst?|What is back-pressure?|Why bound a queue?|Where does a retry go?|What is a dead-letter queue?" \
	"$(for q in 1 2 3 4 5; do sed -n 's/.*<h1><span class="label">Q[0-9]*<\/span> \([^<]*\)<\/h1>.*/\1/p' "$S/question-variants/q$q.html"; done | paste -sd'|')"
# markers with the colon after the bold: the same units, no stray colon
expect "an **A:** after the question on its line starts the answer" "Which one, on one line?" \
	"$(grep -o '<span class="q">[^<]*' "$S/marker-variants/q2.html" | sed 's/.*">//')"
expect "markers written **Q**: split the follow-ups, with no colon left" \
	"What if the holder pauses past its lease?|How large a margin?" \
	"$(grep -o '<span class="q">[^<]*' "$S/marker-variants/q1.html" | sed 's/.*">//' | paste -sd'|')"
expect "answers after **Answer**: and **A**: start with their text" \
	"<p>Before it expires|<p>Another node takes|<p>Larger than the|<p>One that hands|<p>The one your" \
	"$(cat "$S/marker-variants/q1.html" "$S/marker-variants/q2.html" | grep -A1 '<div class="answer-body">' | grep -o '^<p>[A-Z][a-z]* [a-z]* [a-z]*' | paste -sd'|')"
# continuous numbers: shown as written, ids from them
expect "continuous numbers are shown and are the anchors" "d3 d4" \
	"$(grep -o '<section class="depth" id="d[0-9]*"' "$S/continuous/q2.html" | sed 's/.*id="//; s/"//' | paste -sd' ')"
# **A:** answers: the main answer, not a missing one
grep -q 'directory of names' "$S/answer-a/q1.html" && pass "**A:** marks the main answer" ||
	fail "**A:** marks the main answer" "missing"
# explicit ids: the fragment, a link target, and the positional one kept
I=$T/ids-out/site/guide/q1.html
expect "explicit ids are the follow-ups' anchors" "d1 saga saga-order" \
	"$(grep -o '<section class="depth" id="[^"]*"' "$I" | sed 's/.*id="//; s/"//' | paste -sd' ')"
grep -q '<span id="d2"></span>' "$I" && pass "the positional anchor d2 stays beside {#saga}" ||
	fail "the positional anchor d2 stays beside {#saga}" "missing"
grep -q 'href="\.\./other/q1.html#retry-budget"' "$I" && pass "a cross-guide link to an explicit id" ||
	fail "a cross-guide link to an explicit id" "$(grep -o 'href="[^"]*other[^"]*"' "$I")"

if [ "$PASS" = plain ]; then
	# heavy validators, once per output, in the plain pass only
	vnu=tests/node_modules/vnu-jar/build/dist/vnu.jar
	if need java default-jre-headless && need "$vnu" "npm vnu-jar"; then
		echo "running the Nu HTML Checker once over every variant page"
		pages=$(find "$T/out/site" "$T/ids-out/site" -name '*.html' | sort)
		# shellcheck disable=SC2086
		if java -jar "$vnu" --errors-only $pages >"$T/vnu.log" 2>&1; then
			pass "Nu HTML Checker: 0 errors on $(echo "$pages" | wc -l) variant pages"
		else
			fail "Nu HTML Checker on the variant pages" "$(head -5 "$T/vnu.log")"
		fi
	fi
	if need java default-jre-headless && need /usr/share/java/epubcheck.jar epubcheck && need node nodejs; then
		echo "running epubcheck once on each variant book"
		books=$(ls "$T/out/epub/"*.epub "$T/ids-out/epub/"*.epub)
		k=0
		for b in $books; do
			k=$((k + 1))
			java -jar /usr/share/java/epubcheck.jar "$b" --json "$T/ec$k.json" >"$T/ec$k.log" 2>&1 &
			[ $((k % 2)) -eq 0 ] && wait
		done
		wait
		k=0
		for b in $books; do
			k=$((k + 1))
			got=$(node -e '
				const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
				const c = {FATAL: 0, ERROR: 0, WARNING: 0};
				for (const m of r.messages) if (m.severity in c) c[m.severity] += m.locations.length || 1;
				const first = r.messages.filter(m => m.severity in c).slice(0, 2).map(m => m.ID + " " + m.message).join("; ");
				console.log(c.FATAL + " " + c.ERROR + " " + c.WARNING + (first ? " | " + first : ""));
			' "$T/ec$k.json" 2>&1)
			expect "epubcheck $(basename "$b") (fatals errors warnings)" "0 0 0" "$got"
		done
	fi
fi

# --- fmt ------------------------------------------------------------------
F=$T/fmt
mkdir -p "$F"
# round trips: fmt, then fmt --check finds nothing, and check is no worse
n=0
for src in tests/guides/*/*.md tests/fixtures/*/guide.md content/ops-architecture-deep-dive.md; do
	n=$((n + 1))
	d=$F/rt$n
	mkdir -p "$d"
	cp "$(dirname "$src")"/*.md "$d/" 2>/dev/null
	for extra in img; do [ -d "$(dirname "$src")/$extra" ] && cp -r "$(dirname "$src")/$extra" "$d/"; done
	f=$d/$(basename "$src")
	before=$("$DEPTHBOOK" check "$d" >/dev/null 2>&1; echo $?)
	"$DEPTHBOOK" fmt "$d"/*.md >"$d.fmt.log" 2>&1
	st=$?
	again=$("$DEPTHBOOK" fmt --check "$d"/*.md 2>&1)
	agst=$?
	after=$("$DEPTHBOOK" check "$d" >/dev/null 2>&1; echo $?)
	name=${src#tests/}
	if [ $st -ne 0 ] && [ $st = "$before" ] && cmp -s "$src" "$f"; then
		# bytes check refuses (NUL, bad UTF-8 …): fmt refuses them too
		pass "fmt refuses ${name} as check does (exit $st, file untouched)"
		continue
	elif [ $st -ne 0 ]; then
		fail "fmt $name" "exit $st: $(head -3 "$d.fmt.log")"
	elif [ $agst -ne 0 ]; then
		fail "fmt is idempotent on $name" "$(echo "$again" | head -6)"
	elif [ "$before" = 0 ] && [ "$after" != 0 ]; then
		fail "fmt keeps $name clean" "check exits $after after fmt"
	else
		pass "fmt round trip on $name (check $before → $after)"
	fi
	[ "$(wc -l <"$src")" = "$(wc -l <"$f")" ] && pass "fmt keeps the lines of $name" ||
		fail "fmt keeps the lines of $name" "$(wc -l <"$src") → $(wc -l <"$f")"
done

# canonical guides are left byte for byte
for src in content/ops-architecture-deep-dive.md tests/guides/*/*.md; do
	cp "$src" "$F/same.md"
	"$DEPTHBOOK" fmt "$F/same.md" >/dev/null 2>&1
	cmp -s "$src" "$F/same.md" && pass "fmt is a no-op on ${src#tests/}" ||
		fail "fmt is a no-op on ${src#tests/}" "$(diff "$src" "$F/same.md" | head -4)"
done

# an inserted, un-renumbered follow-up: check fails, fmt fixes it
awk '/^###### Depth 6$/ && !done { print "###### Depth 6"; print "**Q:** An inserted follow-up?";
	print "**A:** Added after Depth 5 and not renumbered."; print ""; done = 1 } { print }' \
	content/ops-architecture-deep-dive.md >"$F/inserted.md"
got=$("$DEPTHBOOK" check "$F/inserted.md" 2>&1 | grep -c 'depth-sequence')
[ "$got" -ge 1 ] && pass "an inserted follow-up is a depth-sequence error ($got)" ||
	fail "an inserted follow-up is a depth-sequence error" "$("$DEPTHBOOK" check "$F/inserted.md" 2>&1 | tail -2)"
"$DEPTHBOOK" check "$F/inserted.md" 2>&1 | grep -q "depthbook fmt" && pass "depth-sequence suggests depthbook fmt" ||
	fail "depth-sequence suggests depthbook fmt" "no hint"
"$DEPTHBOOK" fmt "$F/inserted.md"
expect "after fmt the inserted guide checks clean" "0 errors, 0 warnings" "$("$DEPTHBOOK" check "$F/inserted.md" 2>&1 | tail -1)"
expect "the chain after it moves up by one (Q1 now ends at Depth 38)" 1 "$(grep -c '^###### Depth 38$' "$F/inserted.md")"
# the same guide with CRLF and with lone-CR line endings (CommonMark's
# three): fmt makes the same edits on the same lines, keeps each file's
# endings, and --check prints the same hunks
for e in crlf cr; do
	case $e in
	crlf) sed 's/$/\r/' "$F/inserted.md" >"$F/ends-lf.md" ;;
	cr) tr '\n' '\r' <"$F/inserted.md" >"$F/ends-lf.md" ;;
	esac
	awk '/^###### Depth 6$/ && !done { print "###### Depth 6"; print "**Q:** An inserted follow-up?";
		print "**A:** Added after Depth 5 and not renumbered."; print ""; done = 1 } { print }' \
		content/ops-architecture-deep-dive.md >"$F/ends-want.md"
	case $e in
	crlf) sed 's/$/\r/' "$F/ends-want.md" >"$F/ends-$e.md" ;;
	cr) tr '\n' '\r' <"$F/ends-want.md" >"$F/ends-$e.md" ;;
	esac
	hunks=$("$DEPTHBOOK" fmt --check "$F/ends-$e.md" | grep -c '^@@ ')
	want=$("$DEPTHBOOK" fmt --check "$F/ends-want.md" | grep -c '^@@ ')
	expect "fmt --check on $e line endings: the same hunks as on LF ($want)" "$want" "$hunks"
	"$DEPTHBOOK" fmt "$F/ends-$e.md"
	cmp -s "$F/ends-lf.md" "$F/ends-$e.md" && pass "fmt on $e line endings: the LF result, with the file's own endings" ||
		fail "fmt on $e line endings: the LF result, with the file's own endings" "$(cmp "$F/ends-lf.md" "$F/ends-$e.md" 2>&1 | head -1)"
	expect "fmt on $e line endings: the guide checks clean" "0 errors, 0 warnings" "$("$DEPTHBOOK" check "$F/ends-$e.md" 2>&1 | tail -1)"
done

# a section written as a setext heading (its text over "---"), misnumbered:
# check counts it as a section; fmt makes it "## N. Title" over a blank
# line (the file keeps its lines), or with --keep-variants renumbers it
# where it stands
awk '/^## 2\. / { sub(/^## 2\. /, "Section 5: "); print; print "---"; next } { print }' \
	content/ops-architecture-deep-dive.md >"$F/setext.md"
expect "a misnumbered setext section is a section-sequence error" 1 "$("$DEPTHBOOK" check "$F/setext.md" 2>&1 | grep -c 'found section 5.*section-sequence')"
expect "fmt --check: the setext section's two lines differ" "-Section 5: Operations, Monitoring & Incident Management|+## 2. Operations, Monitoring & Incident Management|----|+" \
	"$("$DEPTHBOOK" fmt --check "$F/setext.md" | sed 1,2d | grep -v '^@@' | paste -sd'|')"
cp "$F/setext.md" "$F/setext-keep.md"
"$DEPTHBOOK" fmt "$F/setext.md"
expect "fmt: the setext section becomes '## 2. Title' over a blank line, the guide checks clean, the lines kept" \
	"## 2. Operations, Monitoring & Incident Management||0 errors, 0 warnings|$(wc -l <"$F/setext-keep.md")" \
	"$(sed -n 230,231p "$F/setext.md" | paste -sd'|')|$("$DEPTHBOOK" check "$F/setext.md" 2>&1 | tail -1)|$(wc -l <"$F/setext.md")"
"$DEPTHBOOK" fmt --keep-variants "$F/setext-keep.md"
expect "fmt --keep-variants: the setext section stays setext, renumbered, and checks clean" \
	"Section 2: Operations, Monitoring & Incident Management|---|0 errors, 0 warnings" \
	"$(sed -n 230,231p "$F/setext-keep.md" | paste -sd'|')|$("$DEPTHBOOK" check "$F/setext-keep.md" 2>&1 | tail -1)"

# links to positional ids move with the numbers, across the files given
mkdir -p "$F/links"
cp tests/guides/sample/*.md "$F/links/"
awk '/^#### Depth 1$/ && !done { print "#### Depth 1"; print "**Q:** Inserted first?";
	print "**A:** Yes; see [the old Depth 2](#q1-d2)."; print ""; done = 1 } { print }' \
	tests/guides/sample/sample.md >"$F/links/sample.md"
"$DEPTHBOOK" fmt "$F/links/sample.md" "$F/links/other.md"
expect "a link to a moved follow-up is rewritten" 2 "$(grep -c '](#q1-d3)' "$F/links/sample.md")"
expect "the renumbered guides check clean" "0 errors, 0 warnings" "$("$DEPTHBOOK" check "$F/links" 2>&1 | tail -1)"

# --check: a diff and exit 1, the file untouched; the mode kept by a rewrite
cp tests/fixtures/depth-variants/guide.md "$F/check.md"
chmod 640 "$F/check.md"
out=$("$DEPTHBOOK" fmt --check "$F/check.md")
st=$?
expect "fmt --check exits 1 on a guide with variants" 1 "$st"
echo "$out" | grep -q '^+#### Depth 1$' && pass "fmt --check prints the diff" || fail "fmt --check prints the diff" "$out"
cmp -s tests/fixtures/depth-variants/guide.md "$F/check.md" && pass "fmt --check changes nothing" ||
	fail "fmt --check changes nothing" "the file changed"
"$DEPTHBOOK" fmt --keep-variants "$F/check.md"
cmp -s tests/fixtures/depth-variants/guide.md "$F/check.md" && pass "fmt --keep-variants keeps a well-numbered guide" ||
	fail "fmt --keep-variants keeps a well-numbered guide" "$(diff tests/fixtures/depth-variants/guide.md "$F/check.md" | head -4)"
"$DEPTHBOOK" fmt "$F/check.md"
expect "fmt spells Follow-up Depth canonically" 0 "$(grep -c '^#* Follow-up Depth' "$F/check.md")"
# question variants: fmt spells them "QN: text"; --keep-variants keeps
# each spelling and renumbers it where it stands
sed 's/^### Question 5 /### Question 6 /' tests/fixtures/question-variants/guide.md >"$F/questions.md"
"$DEPTHBOOK" fmt --keep-variants "$F/questions.md"
cmp -s tests/fixtures/question-variants/guide.md "$F/questions.md" && pass "fmt --keep-variants renumbers a question variant in place" ||
	fail "fmt --keep-variants renumbers a question variant in place" "$(diff tests/fixtures/question-variants/guide.md "$F/questions.md" | head -4)"
"$DEPTHBOOK" fmt "$F/questions.md"
expect "fmt spells every question variant QN: text" \
	"### Q1: How does a queue absorb a burst?|### Q2: What is back-pressure?|### Q3: Why bound a queue?|### Q4: Where does a retry go?|### Q5: What is a dead-letter queue?" \
	"$(grep '^### ' "$F/questions.md" | paste -sd'|')"
# sections: fmt spells "N) Title", "N: Title", "N — Title" as "N. Title"
cp tests/fixtures/section-numbers/guide.md "$F/sections.md"
"$DEPTHBOOK" fmt "$F/sections.md"
expect "fmt spells every section number N. Title" "## 1. Queues|## 2. Caches|## 3. Locks|## 4. 2023 Outages|## 5. Leases" \
	"$(grep '^## ' "$F/sections.md" | paste -sd'|')"
# follow-ups: fmt spells Follow-up N and Depth N: as Depth N
cp tests/fixtures/followup-variants/guide.md "$F/followups.md"
"$DEPTHBOOK" fmt "$F/followups.md"
expect "fmt spells Follow-up N and Depth N: canonically" "#### Depth 1|##### Depth 2|###### Depth 3: Cold start" \
	"$(grep '^####' "$F/followups.md" | paste -sd'|')"
# markers: fmt puts the colon inside the bold (and **A**: opening a main
# answer becomes **Answer:**); --keep-variants leaves them
cp tests/fixtures/marker-variants/guide.md "$F/markers.md"
"$DEPTHBOOK" fmt --keep-variants "$F/markers.md"
cmp -s tests/fixtures/marker-variants/guide.md "$F/markers.md" && pass "fmt --keep-variants keeps **Q**: markers" ||
	fail "fmt --keep-variants keeps **Q**: markers" "$(diff tests/fixtures/marker-variants/guide.md "$F/markers.md" | head -4)"
"$DEPTHBOOK" fmt "$F/markers.md"
expect "fmt spells every marker with its colon in the bold" "**Answer:**|**Q:**|**A:**|**Q:**|**A:**|**Answer:**|**Q:**" \
	"$(grep -o '^\*\*\(Q\|A\|Answer\)[:*]*' "$F/markers.md" | paste -sd'|')"
expect "the respelt markers check clean" "0 errors, 0 warnings" "$("$DEPTHBOOK" check "$F/markers.md" 2>&1 | tail -1)"
expect "fmt keeps the file's mode" 640 "$(stat -c %a "$F/check.md")"
expect "fmt leaves no temporary file" "check.md" "$(cd "$F" && ls check.md* | paste -sd' ')"
"$DEPTHBOOK" fmt >/dev/null 2>&1
expect "fmt without a file is a usage error" 2 "$?"
"$DEPTHBOOK" fmt "$F/no-such.md" >/dev/null 2>&1
expect "fmt on a missing file exits 2" 2 "$?"

# A guide reached through a symbolic link is rewritten where it lives, the
# link kept; one with a second hard link is rewritten in place, so that
# both names show the new text.
mkdir -p "$F/shared" "$F/linked"
printf '# T\n\n## 3. S\n' >"$F/shared/g.md"
ln -s ../shared/g.md "$F/linked/g.md"
"$DEPTHBOOK" fmt "$F/linked/g.md"
expect "fmt through a symbolic link keeps the link" "symbolic link" "$(stat -c %F "$F/linked/g.md")"
expect "fmt through a symbolic link rewrites its target" 1 "$(grep -c '^## 1\. S$' "$F/shared/g.md")"
expect "fmt through a symbolic link leaves no temporary file" "g.md" "$(ls "$F/shared" | paste -sd' ')"
printf '# T\n\n## 3. S\n' >"$F/hard.md"
ln "$F/hard.md" "$F/hard2.md"
"$DEPTHBOOK" fmt "$F/hard.md"
expect "fmt on a hard-linked guide: both names show the new text" "1 2" \
	"$(grep -c '^## 1\. S$' "$F/hard2.md") $(stat -c %h "$F/hard.md")"

# fmt edits link destinations only: never a code block's text nor a link's
# text, a reference link through its definition, a destination after a
# paragraph's indented continuation line; Depth 2 to 4 become 1 to 3.
printf '# T\n\n## 1. S\n\n### Q1: Hello?\n**Answer:**\nSee [the saga answer][saga].\n\n```sh\ngrep "#q1-d3 " notes.txt\n```\n\n#### Depth 2\n**Q:** q2\n**A:** a [#q1-d3](#q1-d3) and [x](#q1-d3 "t")\n  and\n      [y](#q1-d4) [z](#q1-d3)\n\n##### Depth 3\n**Q:** saga?\n**A:** a\n\n###### Depth 4\n**Q:** other?\n**A:** a\n\n[saga]: #q1-d3\n' >"$F/dest.md"
"$DEPTHBOOK" fmt "$F/dest.md"
expect "fmt leaves a code block's text alone" 1 "$(grep -c '^grep "#q1-d3 " notes.txt$' "$F/dest.md")"
expect "fmt rewrites a reference link's definition" 1 "$(grep -c '^\[saga\]: #q1-d2$' "$F/dest.md")"
expect "fmt rewrites inline destinations, not link text" 1 \
	"$(grep -c '^\*\*A:\*\* a \[#q1-d3\](#q1-d2) and \[x\](#q1-d2 "t")$' "$F/dest.md")"
expect "fmt rewrites destinations after an indented continuation" 1 "$(grep -c '^      \[y\](#q1-d3) \[z\](#q1-d2)$' "$F/dest.md")"
expect "the rewritten guide checks clean" "0 errors, 0 warnings" "$("$DEPTHBOOK" check --werror "$F/dest.md" 2>&1 | tail -1)"
