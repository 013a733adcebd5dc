# t_fresh.sh: a rebuild with nothing changed renders nothing (gen/fresh.c),
# and any change to what the outputs are made from, or to the outputs
# themselves, makes the build render again.
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
expect "fresh: the list opens with its format and the inputs' hash" 1 \
	"$(head -1 "$list" | grep -cE '^depthbook-outputs 1 [0-9a-f]{16}$')"
expect "fresh: the list names every file and directory of out/" \
	"$(cd "$t/out" && find . -mindepth 1 ! -name .depthbook-outputs | sed 's|^\./||' | sort)" \
	"$(sed 1d "$list" | sed 's/^f [^ ]* [^ ]* [^ ]* //; s/^d //' | sort)"
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
renders "a theme file touched"
printf 'not the same image' >"$t/content/img/red dot.png"
renders "a replaced linked file"
cmp -s "$t/content/img/red dot.png" "$t/out/site/files/img/red dot.png" &&
	pass "fresh: the replaced file is published" || fail "fresh: the replaced file is published" "differs"
renders "another base URL" --base-url https://example.org/
skips "the same base URL again" --base-url https://example.org/
SOURCE_DATE_EPOCH=1700000001 renders "another SOURCE_DATE_EPOCH"
renders "another --only" --only html
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
sed -i '1s/ [0-9a-f]*$/ 0000000000000000/' "$list"
renders "a list with another hash"

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
"$other" build --only html,epub,anki --theme "$t/theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
! planted "$page" && pass "fresh: another executable renders again" ||
	fail "fresh: another executable renders again" "skipped"
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
