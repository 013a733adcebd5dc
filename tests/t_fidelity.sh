# t_fidelity.sh: the guide's own words in every output. Each library of
# the corpus (tests/guides/*/) and the seed is built whole; for every
# unit, tests/cards/fidelity.py reads the question and answer from the
# site page, the EPUB chapter, the cards PDF and the Anki export and
# compares them, normalised, with the Markdown: every unit must match,
# and a word dropped from any output must be seen. The build itself is
# the LaTeX check: an overfull box or a character no font has is an error.
# The sanitizer pass builds and compares the site, EPUB and deck (the
# cards' LaTeX runs are the same as in the plain pass).
. tests/lib.sh
need python3 python3 || exit 0
need pdftotext poppler-utils || exit 0
out=$(scratch)
trap 'rm -rf "$out"' EXIT
only=""
outputs=site,epub,cards,anki
if [ "${PASS:-plain}" != plain ]; then
	only="--only html,epub,anki"
	outputs=site,epub,anki
fi
for dir in tests/guides/*/ content/; do
	name=$(basename "$dir")
	# shellcheck disable=SC2086
	"$DEPTHBOOK" build -o "$out/$name" $only "$dir" >"$out/$name.log" 2>&1
	status=$?
	expect "fidelity: $name builds (no LaTeX overfull box, no missing glyph)" "0" "$status"
	[ "$status" = 0 ] || { sed 's/^/    /' "$out/$name.log" | head -5; continue; }
	python3 tests/cards/fidelity.py --only "$outputs" "$out/$name" "$dir"*.md >"$out/$name.fid" 2>&1
	while read -r guide output counts rest; do
		case "$guide" in " "*|"") continue ;; esac
		got=${counts%/*} all=${counts#*/}
		if [ -n "$all" ] && [ "$got" = "$all" ]; then
			pass "fidelity: $guide $output: $counts units match the source${rest:+ $rest}"
		else
			fail "fidelity: $guide $output" "$counts units match: $(grep -A3 "^$guide $output " "$out/$name.fid" | tail -3 | tr '\n' ' ')"
		fi
	done <"$out/$name.fid"
	grep -q . "$out/$name.fid" || fail "fidelity: $name" "no result: $(head -3 "$out/$name.fid")"
done

# It can fail: one word dropped from one unit's text of each output, and
# every output of the library then differs.
r=$(python3 tests/cards/fidelity.py --drop-word --only "$outputs" "$out/sample" tests/guides/sample/*.md 2>&1)
expect "fidelity: a dropped word fails every output" "0" "$?"
# ... and a word taken out of a published page itself
page=$out/sample/site/sample/q1.html
if [ -f "$page" ]; then
	sed -i 's/fall back to the database/fall back to database/' "$page"
	python3 tests/cards/fidelity.py --only site "$out/sample" tests/guides/sample/sample.md >"$out/mut" 2>&1
	expect "fidelity: a word missing from a site page is seen" "1 1" "$? $(grep -c '^  q1 answer differs' "$out/mut")"
fi

# The closing note is the guide's epilogue: at the end of the site's front
# page and last question's page, the EPUB's closing section; on no card
# and in no Anki note. The breaks between sections are in no answer.
e=$out/epilogue
note="where you hesitated"
if [ -d "$e/site" ]; then
	expect "fidelity: the epilogue ends the site's front page" "1" \
		"$(sed -n '/class="epilogue"/,/<\/section>/p' "$e/site/epilogue/index.html" | grep -c "$note")"
	expect "fidelity: ... and the last question's page, not the first's" "1 0" \
		"$(grep -c "$note" "$e/site/epilogue/q2.html") $(grep -c "$note" "$e/site/epilogue/q1.html")"
	expect "fidelity: no rule between sections in an answer on the site" "0" \
		"$(cat "$e/site/epilogue/q1.html" "$e/site/epilogue/q2.html" | grep -c '<hr')"
	ep=$(python3 -c 'import zipfile, sys; z = zipfile.ZipFile(sys.argv[1]); print(z.read("EPUB/epilogue.xhtml").decode())' "$e/epub/epilogue.epub")
	expect "fidelity: the epilogue is the EPUB's closing page" "1" \
		"$(printf '%s\n' "$ep" | sed -n '/class="epilogue"/,/<\/section>/p' | grep -c "$note")"
	expect "fidelity: the epilogue is in no Anki note" "0" "$(grep -c "$note" "$e/anki/epilogue.txt")"
fi
if [ -f "$e/cards/epilogue-cards.pdf" ]; then
	expect "fidelity: the epilogue is on no card" "0" "$(pdftotext "$e/cards/epilogue-cards.pdf" - | grep -c "$note")"
fi
