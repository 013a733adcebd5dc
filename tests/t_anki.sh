# t_anki.sh: the Anki deck. Parses out/anki/<slug>.txt back as Anki would
# (tests/cards/anki_check.py): header lines, one note per card, fields with
# tabs, quotes and newlines quoted, stable GUIDs across builds.
. tests/lib.sh
need python3 python3 || exit 0
out=$(scratch)
trap 'rm -rf "$out"' EXIT
seed=content/ops-architecture-deep-dive.md
"$DEPTHBOOK" build -o "$out/a" --only anki "$seed" 2>/dev/null
expect "anki: seed builds" "0" "$?"
deck=$out/a/anki/ops-architecture-deep-dive.txt
r=$(python3 tests/cards/anki_check.py "$deck" 76 2>"$out/guids1")
expect "anki: seed deck parses: headers, 76 notes, 4 fields, unique GUIDs" "ok" "$r"
expect "anki: header lines first" "#separator:tab|#html:true|#deck:Operations & Modern Architecture – Deep Dive|#notetype:Basic" \
	"$(head -4 "$deck" | tr '\n' '|' | sed 's/|$//')"

# The sample guide has code (newlines, quotes) and a table: quoted fields.
"$DEPTHBOOK" build -o "$out/s" --only anki tests/guides/sample 2>/dev/null
expect "anki: sample builds" "0" "$?"
r=$(python3 tests/cards/anki_check.py "$out/s/anki/sample.txt" 6 2>/dev/null)
expect "anki: sample deck parses (newlines and quotes in fields)" "ok" "$r"
grep -q '^<pre><code class=""language-python"">def get(key):$' "$out/s/anki/sample.txt" &&
	pass "anki: a code block keeps its newlines inside a quoted field" ||
	fail "anki: a code block keeps its newlines inside a quoted field" "not found"
grep -q '&lt;script&gt;' "$out/s/anki/sample.txt" && ! grep -q '<script' "$out/s/anki/sample.txt" &&
	pass "anki: code is escaped HTML" || fail "anki: code is escaped HTML" "raw <script> in the deck"

# A tab in an answer stays inside its field.
mkdir -p "$out/tab"
printf '# Tab\n\n**Target Audience:** Tests.\n\n## 1. Tabs\n\n### Q1: Tab?\n**Answer:**\n```\na\tb "q"\n```\n' >"$out/tab/tab.md"
"$DEPTHBOOK" build -o "$out/t" --only anki "$out/tab" 2>/dev/null
r=$(python3 tests/cards/anki_check.py "$out/t/anki/tab.txt" 1 2>/dev/null)
expect "anki: a tab and quotes in a field parse back" "ok" "$r"

# Stable GUIDs: a second build into another directory gives the same ones,
# and they differ between guides.
"$DEPTHBOOK" build -o "$out/b" --only anki "$seed" 2>/dev/null
python3 tests/cards/anki_check.py "$out/b/anki/ops-architecture-deep-dive.txt" 76 2>"$out/guids2" >/dev/null
cmp -s "$out/guids1" "$out/guids2" && pass "anki: GUIDs stable across builds" ||
	fail "anki: GUIDs stable across builds" "differ"
cmp -s "$deck" "$out/b/anki/ops-architecture-deep-dive.txt" && pass "anki: byte-identical deck" ||
	fail "anki: byte-identical deck" "differs"
