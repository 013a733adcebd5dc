#!/bin/sh
# t_cli.sh: the command line as a user meets it — --help and COMMAND --help,
# the man page (mandoc -Tlint clean; every option, command and environment
# variable there), init (a project that checks and builds clean, never
# written over anything), and on a terminal (a pty, through script(1)) the
# progress line and GCC's colours, which a pipe, NO_COLOR and --quiet leave out.
set -u
cd "$DB_ROOT" || exit 2
. tests/lib.sh
t=$(scratch)
trap 'rm -rf "$t"' EXIT
man=man/depthbook.1

# ---- --help ----
"$DEPTHBOOK" --help >"$t/help" 2>&1
st=$?
expect "cli: depthbook --help exits 0" 0 "$st"
for c in check build serve init fmt; do
	grep -q "depthbook $c " "$t/help" || fail "cli: --help lists $c" "missing from: $(head -3 "$t/help")"
	"$DEPTHBOOK" "$c" --help >"$t/help-$c" 2>&1
	st=$?
	first=$(head -1 "$t/help-$c")
	case "$st $first" in
	"0 usage: depthbook $c "*) pass "cli: depthbook $c --help prints $c's usage" ;;
	*) fail "cli: depthbook $c --help" "exit $st, first line [$first]" ;;
	esac
	# the command's own help names no other command's usage
	grep -q "^usage: depthbook \($(echo check build serve init fmt | tr ' ' '\n' | grep -v "^$c$" | paste -sd'|' | sed 's/|/\\|/g')\)" "$t/help-$c" &&
		fail "cli: $c --help" "shows another command's usage"
done
"$DEPTHBOOK" frobnicate >"$t/o" 2>&1
expect "cli: an unknown command exits 2 with the usage" "2 1" "$? $(grep -c '^usage:' "$t/o")"
"$DEPTHBOOK" check --port 8000 content >"$t/o" 2>&1
expect "cli: an option of another command is a usage error" "2 1" "$? $(grep -c "'--port' does not apply" "$t/o")"
"$DEPTHBOOK" serve --port 70000 >"$t/o" 2>&1
expect "cli: serve --port checks its number" 2 "$?"
# --base-url is printed into every output: only a site's http(s) address
for u in 'javascript:alert(1)//' 'https://example.org/?q=1' 'https://example.org/a b' example.org 'https://'; do
	"$DEPTHBOOK" build --only html --base-url "$u" -o "$t/bu" content >"$t/o" 2>&1
	expect "cli: --base-url '$u' is a usage error, nothing built" "2 1 no" \
		"$? $(grep -c -- "--base-url: expected" "$t/o") $([ -e "$t/bu" ] && echo yes || echo no)"
done

# A value left out, so the next option would be taken as the value
# (--theme -o o used -o as the theme and built into ./out): a usage error
# naming both, nothing built; a path that only begins with '-' is a value.
cd "$t" || exit 2
mkdir -p -- -dir
for args in "--theme -o bo" "-o --only html" "--only --quiet" "--theme --out=bo" "-o --the x"; do
	# shellcheck disable=SC2086 # the words are split on purpose
	"$DEPTHBOOK" build $args "$DB_ROOT/content" >"$t/o" 2>&1
	expect "cli: build $args: a value left out is a usage error naming the two options" "2 1 no no" \
		"$? $(grep -c "^depthbook: option '[^']*' needs a value, but the next word is the option '-[^']*'" "$t/o") \
$([ -e bo ] && echo yes || echo no) $([ -e out ] && echo yes || echo no)"
	rm -rf bo out
done
"$DEPTHBOOK" build --only html -o -dir "$DB_ROOT/content" >"$t/o" 2>&1
expect "cli: -o -dir (a folder whose name begins with '-') is a value" "0 yes" "$? $([ -f -dir/site/index.html ] && echo yes || echo no)"
cd "$DB_ROOT" || exit 2

# ---- the man page ----
if need mandoc mandoc; then
	# mandoc's own notes about this machine's manual database are not lint
	# reports on the page; anything else is.
	mandoc -Tlint "$man" >"$t/lint" 2>&1
	st=$?
	grep -v 'outdated mandoc.db' "$t/lint" >"$t/lint.page"
	if [ "$st" -eq 0 ] && [ ! -s "$t/lint.page" ]; then
		pass "man: mandoc -Tlint reports nothing on $man"
	else
		fail "man: mandoc -Tlint" "exit $st: $(head -3 "$t/lint.page")"
	fi
	mandoc -Tutf8 "$man" 2>/dev/null | col -b >"$t/man.txt"
	grep -q "EXIT STATUS" "$t/man.txt" && grep -q "ENVIRONMENT" "$t/man.txt" && grep -q "FILES" "$t/man.txt" &&
		pass "man: the page has EXIT STATUS, ENVIRONMENT and FILES" || fail "man: sections" "missing"
fi
# Every option any --help shows is described in the man page's option list
# (.It Fl …), every command (.It Cm …), every environment variable the
# sources read (.It Ev …).
opts=$(cat "$t"/help* | grep -o -- '--[a-z][a-z-]*\|\[-[a-z] \|^ *-[a-z],' | tr -d '[ ,' | sort -u)
missing=""
for o in $opts; do
	case $o in
	--*) grep -q "^\.It \(.* \)\{0,1\}Fl Fl ${o#--}\( \|$\)" "$man" || missing="$missing $o" ;;
	-*) grep -q "^\.It Fl ${o#-}\( \|$\)" "$man" || missing="$missing $o" ;;
	esac
done
expect "man: every option in --help ($(echo $opts | wc -w) of them) is in depthbook(1)" "" "$missing"
missing=""
for c in check build serve init fmt; do
	grep -q "^\.It Cm $c$" "$man" || missing="$missing $c"
done
expect "man: every command is described" "" "$missing"
missing=""
# (DEPTHBOOK_TEST_* are the test suites' hooks, not the user's.)
for v in $(grep -oh 'getenv("[A-Z_]*")' gen/*.c | sed 's/getenv("\(.*\)")/\1/' | grep -v '^DEPTHBOOK_TEST_' | sort -u); do
	grep -q "^\.It Ev $v$" "$man" || missing="$missing $v"
done
expect "man: every environment variable depthbook reads is described" "" "$missing"

# ---- init ----
"$DEPTHBOOK" init "$t/proj" >"$t/init.log" 2>&1
expect "init: a new project" "0" "$?"
for f in content/example-guide.md .gitignore README.md; do
	[ -f "$t/proj/$f" ] || fail "init: writes $f" "missing"
done
grep -q '^/out/$' "$t/proj/.gitignore" && grep -q 'depthbook serve' "$t/proj/README.md" &&
	grep -q 'depthbook build' "$t/proj/README.md" && pass "init: .gitignore ignores out/, README gives the two commands" ||
	fail "init: .gitignore and README" "$(cat "$t/proj/.gitignore")"
g="$t/proj/content/example-guide.md"
have=""
grep -q '^---$' "$g" && head -1 "$g" | grep -q '^---$' && have="$have front-matter"
grep -q '^| ' "$g" && have="$have table"
grep -q '^```' "$g" && have="$have code"
grep -q '\$[^$ ][^$]*\\log' "$g" && have="$have math"
grep -q '\\\$' "$g" && have="$have dollar"
grep -q '](#q[0-9]*-d[0-9]*)' "$g" && have="$have link"
grep -q '^###### Depth [3-9]' "$g" && have="$have deep"
grep -q '^#.* {#[a-z][a-z0-9-]*}$' "$g" && have="$have explicit-id"
grep -q '^\*\*Target Audience:\*\*' "$g" && have="$have metadata"
tail -5 "$g" | grep -q -i epilogue && have="$have epilogue"
expect "init: the example guide shows every part of the format" \
	" front-matter table code math dollar link deep explicit-id metadata epilogue" "$have"
(cd "$t/proj" && "$DEPTHBOOK" check --werror) >"$t/check.log" 2>&1
expect "init: the new project checks clean (--werror)" "0 0 errors, 0 warnings" "$? $(tail -1 "$t/check.log")"
only=""
command -v pdflatex >/dev/null 2>&1 || only="--only html,epub,anki"
# shellcheck disable=SC2086
(cd "$t/proj" && "$DEPTHBOOK" build --werror $only) >"$t/build.log" 2>&1
expect "init: the new project builds clean${only:+ ($only)}, nothing printed" "0 " "$? $(cat "$t/build.log")"
listing() { (cd "$t/proj" && find . -path ./out -prune -o -type f -printf '%p %i %s %T@ ' -exec md5sum {} \; | sort); }
sum=$(listing)
"$DEPTHBOOK" init "$t/proj" >"$t/again.log" 2>&1
st=$?
now=$(listing)
expect "init: refuses a directory that has a project, and changes nothing" "2 same" \
	"$st $([ "$sum" = "$now" ] && echo same)"
mkdir "$t/busy" && echo mine >"$t/busy/README.md"
"$DEPTHBOOK" init "$t/busy" >"$t/busy.log" 2>&1
expect "init: refuses when one of its files exists, and writes nothing" "2 README.md" \
	"$? $(ls -A "$t/busy" | tr '\n' ' ' | sed 's/ $//')"
grep -q "busy/README.md" "$t/busy.log" && pass "init: the refusal names the file in the way" ||
	fail "init: refusal message" "$(cat "$t/busy.log")"

# ---- terminal: progress, colour, --quiet ----
if need script bsdutils; then
	# the terminal's stderr, through a pty; TERM for a terminal that can
	# move its cursor
	onpty() { TERM=xterm script -qec "$1" /dev/null; }
	# a guide with an error: the example guide, its first Depth 1 renumbered
	bad="$t/bad/bad.md"
	mkdir -p "$t/bad" && sed '0,/^#### Depth 1$/s//#### Depth 3/' "$g" >"$bad"
	q=$(printf '%s' "$DEPTHBOOK" | sed "s/'/'\\\\''/g")
	onpty "env -u NO_COLOR '$q' check $bad" >"$t/tty" 2>&1
	esc=$(printf '\033')
	grep -q "${esc}\[01;31m${esc}\[Kerror" "$t/tty" && grep -q "${esc}\[01m${esc}\[K" "$t/tty" &&
		pass "cli: on a terminal, diagnostics are coloured as GCC colours them" ||
		fail "cli: colour on a terminal" "$(head -c 300 "$t/tty" | od -c | head -3)"
	onpty "NO_COLOR=1 '$q' check $bad" >"$t/tty-nc" 2>&1
	# grep's 1 is "no match"; 2 (no file) is a failure, never a pass
	grep -q "$esc" "$t/tty-nc"
	[ $? = 1 ] && [ -s "$t/tty-nc" ] && pass "cli: NO_COLOR=1 turns colour off on a terminal" ||
		fail "cli: NO_COLOR" "escape codes (or nothing at all) on a terminal with NO_COLOR=1"
	"$DEPTHBOOK" check "$bad" >"$t/pipe" 2>&1
	grep -q "$esc" "$t/pipe"
	[ $? = 1 ] && [ -s "$t/pipe" ] && pass "cli: no colour into a pipe" ||
		fail "cli: piped" "escape codes (or nothing at all) into a pipe"
	# progress: a build of more than three guides, and one that typesets cards
	mkdir -p "$t/five" && for i in 1 2 3 4 5; do cp "$g" "$t/five/g$i.md"; done
	onpty "'$q' build --only html -o '$t/p5' '$t/five'" >"$t/prog5" 2>&1
	cr=$(printf '\r')
	grep -q "${cr}${esc}\[Kdepthbook: [0-5]/5 guides · reading" "$t/prog5" &&
		pass "cli: on a terminal a build of five guides shows its progress on one rewritten line" ||
		fail "cli: progress of five guides" "$(od -c "$t/prog5" | head -4)"
	onpty "'$q' build --only html -o '$t/p2' '$g'" >"$t/prog1" 2>&1
	[ ! -s "$t/prog1" ] && pass "cli: ... and a quick one (one guide, no cards) shows none" ||
		fail "cli: progress of one guide" "$(od -c "$t/prog1" | head -2)"
	if command -v pdflatex >/dev/null 2>&1; then
		what="build --only cards -o '$t/po' '$t/proj/content'"
	else
		what="build --only html -o '$t/po' '$t/five'"
	fi
	onpty "'$q' $what" >"$t/prog" 2>&1
	grep -q "${cr}${esc}\[Kdepthbook: 1/1 guides · " "$t/prog" && grep -q "typesetting\|rendering" "$t/prog" &&
		pass "cli: on a terminal a build shows its progress on one rewritten line (guides done of all, stage)" ||
		fail "cli: progress on a terminal" "$(od -c "$t/prog" | head -4)"
	rm -rf "$t/po"
	eval "\"\$DEPTHBOOK\" $what" >"$t/prog-pipe" 2>&1
	[ ! -s "$t/prog-pipe" ] && pass "cli: no progress when stderr is not a terminal" ||
		fail "cli: progress into a pipe" "$(od -c "$t/prog-pipe" | head -2)"
	rm -rf "$t/po"
	onpty "'$q' --quiet $what" >"$t/prog-q" 2>&1
	grep -q "guides ·" "$t/prog-q"
	[ $? = 1 ] && pass "cli: --quiet shows no progress" || fail "cli: --quiet" "progress shown with --quiet (or no output file)"
	"$DEPTHBOOK" check --quiet "$bad" >"$t/quiet" 2>&1
	st=$?
	# --quiet keeps the diagnostics, drops the summary line
	expect "cli: --quiet keeps only the diagnostics" "1 0 yes" \
		"$st $(grep -c '^[0-9]* errors\?, ' "$t/quiet") $(grep -q ': error: ' "$t/quiet" && echo yes)"
fi

# ---- a theme that leaves out a slot carrying the guide's text ----
# Without it every page, chapter, card or note would publish empty and the
# build exit 0: the build stops naming the template and the slot, and
# writes nothing.
tab=$(printf '\t')
while IFS="$tab" read -r only file slot; do
	th=$t/th-$slot-$(basename "$file" | tr . -)
	rm -rf "$th" "$t/tho"
	cp -r themes/default "$th"
	sed -i "s/{{ *$slot *}}//g" "$th/$file"
	"$DEPTHBOOK" build --only "$only" --theme "$th" -o "$t/tho" tests/guides/epilogue >"$t/thlog" 2>&1
	st=$?
	expect "cli: a theme's $file without {{$slot}} exits 2" 2 "$st"
	grep -qF "$th/$file: error: this template has no {{$slot}} slot" "$t/thlog" &&
		pass "cli: the diagnostic names $file and {{$slot}}" ||
		fail "cli: the diagnostic names $file and {{$slot}}" "$(head -2 "$t/thlog")"
	expect "cli: nothing written without {{$slot}} in $file" 0 "$(find "$t/tho" -type f 2>/dev/null | wc -l)"
done <<LIST
html${tab}site/page.html${tab}main
epub${tab}epub/page.xhtml${tab}body
epub${tab}epub/chapter.xhtml${tab}depths
epub${tab}epub/depth.xhtml${tab}answer
epub${tab}epub/section.xhtml${tab}intro
epub${tab}epub/epilogue.xhtml${tab}epilogue
epub${tab}epub/quiz-item.xhtml${tab}question
cards${tab}cards/cards.tex${tab}cards
anki${tab}anki/front.html${tab}Question
anki${tab}anki/back.html${tab}Answer
LIST
# A slot written with spaces, or behind an Anki filter, is in place.
rm -rf "$t/th-ok" "$t/tho"
cp -r themes/default "$t/th-ok"
sed -i 's/{{main}}/{{ main }}/' "$t/th-ok/site/page.html"
sed -i 's/{{Answer}}/{{text:Answer}}/' "$t/th-ok/anki/back.html"
"$DEPTHBOOK" build --only html,anki --theme "$t/th-ok" -o "$t/tho" tests/guides/epilogue >"$t/thlog" 2>&1
expect "cli: {{ main }} and {{text:Answer}} count as placed" 0 "$?"
grep -q "Good luck with the interview" "$t/tho/site/epilogue/index.html" &&
	pass "cli: {{ main }} is filled" || fail "cli: {{ main }} is filled" "no closing note in the page"
