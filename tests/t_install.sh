#!/bin/sh
# t_install.sh: make install into a temporary prefix (and with DESTDIR);
# the installed depthbook, run from another directory on another content
# path, builds byte for byte what the checkout builds; it finds its theme,
# skeleton and modules from its own place, in the documented order
# (--theme, themes/default beside the content, the installed default);
# make uninstall removes exactly what install wrote. In the san pass the
# sanitizer build is what gets installed.
set -u
cd "$DB_ROOT" || exit 2
. tests/lib.sh
t=$(scratch)
trap 'rm -rf "$t"' EXIT

case ${PASS:-plain} in
san) exe=gen/depthbook-san ;;
*) exe=gen/depthbook ;;
esac
# The installed executable, with the sanitizer settings of tests/san-run.
installed() {
	if [ "${PASS:-plain}" = san ]; then
		LSAN_OPTIONS="suppressions=$DB_ROOT/tests/lsan.supp:print_suppressions=0" ASAN_OPTIONS="log_path=${SANLOG:-/tmp}/asan:detect_leaks=1:abort_on_error=0:exitcode=86" \
			UBSAN_OPTIONS="log_path=${SANLOG:-/tmp}/ubsan:print_stacktrace=1:halt_on_error=1" "$@"
	else
		"$@"
	fi
}

p="$t/prefix"
mkdir -p "$p/bin"
echo keep >"$p/bin/other-tool" # someone else's file: uninstall must leave it
if make -s install PREFIX="$p" INSTALL_EXE="$exe" >"$t/install.log" 2>&1; then
	pass "install: make install PREFIX=… exits 0"
else
	fail "install: make install PREFIX=…" "$(tail -3 "$t/install.log")"
fi
missing=""
for f in bin/depthbook lib/depthbook/depthbook-serve.so share/depthbook/themes/default/site/page.html \
	share/depthbook/skel/content/example-guide.md share/man/man1/depthbook.1; do
	[ -f "$p/$f" ] || missing="$missing $f"
done
for m in epub apkg svg; do
	[ ! -f "$exe-$m.so" ] || [ -f "$p/lib/depthbook/depthbook-$m.so" ] || missing="$missing lib/depthbook/depthbook-$m.so"
done
expect "install: the executable, modules, theme, skeleton and man page are in place" "" "$missing"
diff -r themes/default "$p/share/depthbook/themes/default" >"$t/d" 2>&1 && diff -r skel "$p/share/depthbook/skel" >>"$t/d" 2>&1 &&
	pass "install: the theme and skeleton are the checkout's" || fail "install: theme copy" "$(head -3 "$t/d")"

# The seed, built by the checkout from its root, and by the installed
# executable from an empty directory on another content path.
export SOURCE_DATE_EPOCH=1700000000
mkdir -p "$t/elsewhere" "$t/proj/guides" "$t/corpus"
cp -p content/ops-architecture-deep-dive.md "$t/proj/guides/"
only=""
command -v pdflatex >/dev/null 2>&1 || only="--only html,epub,anki"
# shellcheck disable=SC2086
"$DEPTHBOOK" build $only -o "$t/a" content >"$t/a.log" 2>&1
# shellcheck disable=SC2086
(cd "$t/elsewhere" && installed "$p/bin/depthbook" build $only -o ../b ../proj/guides) >"$t/b.log" 2>&1
st=$?
expect "install: the installed depthbook builds the seed from another directory" 0 "$st"
if diff -r -x .depthbook-outputs "$t/a" "$t/b" >"$t/diff" 2>&1; then
	pass "install: its outputs equal the checkout's byte for byte ($(cd "$t/b" && find . -type f ! -name .depthbook-outputs | wc -l) files${only:+, $only})"
else
	fail "install: outputs differ from the checkout's" "$(head -5 "$t/diff")"
fi
# The test corpus too, without the cards (one LaTeX run is enough here).
cp -rp tests/guides/. "$t/corpus/"
for g in tests/guides/*/; do
	name=$(basename "$g")
	"$DEPTHBOOK" check "$g" >/dev/null 2>&1 || continue
	"$DEPTHBOOK" build --only html,epub,anki -o "$t/ca-$name" "$g" >/dev/null 2>&1
	(cd "$t/elsewhere" && installed "$p/bin/depthbook" build --only html,epub,anki -o "../cb-$name" "$t/corpus/$name") >/dev/null 2>&1
	if diff -r -x .depthbook-outputs "$t/ca-$name" "$t/cb-$name" >"$t/diff" 2>&1; then
		pass "install: tests/guides/$name builds the same installed and from the checkout"
	else
		fail "install: tests/guides/$name differs" "$(head -3 "$t/diff")"
	fi
done

# It is the installed theme that the installed executable uses.
echo "/* installed theme */" >>"$p/share/depthbook/themes/default/site/site.css"
(cd "$t/elsewhere" && installed "$p/bin/depthbook" build --only html -o ../c ../proj/guides) >/dev/null 2>&1
tail -1 "$t/c/site/assets/site.css" | grep -q "installed theme" &&
	pass "install: the installed executable reads the theme installed beside it" ||
	fail "install: theme lookup" "the installed theme's site.css was not used"

# The order: themes/default beside the content, then --theme over it.
cp -r themes/default "$t/proj/themes-default-copy"
mkdir -p "$t/proj/themes" && mv "$t/proj/themes-default-copy" "$t/proj/themes/default"
echo "/* beside the content */" >>"$t/proj/themes/default/site/site.css"
(cd "$t/elsewhere" && installed "$p/bin/depthbook" build --only html -o ../dd ../proj/guides) >/dev/null 2>&1
tail -1 "$t/dd/site/assets/site.css" | grep -q "beside the content" &&
	pass "install: themes/default beside the content comes before the installed theme" ||
	fail "install: theme order" "themes/default beside the content was not used"
cp -r themes/default "$t/other-theme"
echo "/* --theme */" >>"$t/other-theme/site/site.css"
(cd "$t/elsewhere" && installed "$p/bin/depthbook" build --only html --theme ../other-theme -o ../e ../proj/guides) >/dev/null 2>&1
tail -1 "$t/e/site/assets/site.css" | grep -q -- "--theme" &&
	pass "install: --theme comes before themes/default beside the content" ||
	fail "install: theme order" "--theme was not used"
rm -rf "$t/proj/themes"

# The checkout's executable from another directory: the issue's failure
# (themes/default/site/page.html: No such file or directory) is gone.
(cd "$t/elsewhere" && "$DEPTHBOOK" build --only html -o ../f ../proj/guides) >"$t/f.log" 2>&1
expect "install: the checkout's depthbook builds from any working directory" "0 " "$? $(grep -c 'No such file' "$t/f.log" | sed 's/^0$//')"

# init from the installed skeleton.
(cd "$t/elsewhere" && installed "$p/bin/depthbook" init --quiet ../newproj) >"$t/init.log" 2>&1
expect "install: init writes the installed skeleton" "0 yes" "$? $([ -f "$t/newproj/content/example-guide.md" ] && echo yes)"

# The EPUB module is found under LIBDIR: without it an EPUB build says so.
if [ -f "$p/lib/depthbook/depthbook-epub.so" ]; then
	mv "$p/lib/depthbook/depthbook-epub.so" "$t/epub.so"
	(cd "$t/elsewhere" && installed "$p/bin/depthbook" build --only epub -o ../g ../proj/guides) >"$t/g.log" 2>&1
	expect "install: without its installed module, an EPUB build fails naming it" "2 1" \
		"$? $(grep -c 'depthbook-epub.so' "$t/g.log")"
	mv "$t/epub.so" "$p/lib/depthbook/depthbook-epub.so"
fi

# uninstall: exactly what install wrote goes, someone else's file stays.
make -s uninstall PREFIX="$p" >"$t/uninstall.log" 2>&1
left=$(cd "$p" && find . -type f | sort | tr '\n' ' ')
expect "install: make uninstall removes every file install wrote, and only those" "./bin/other-tool " "$left"
left=$(cd "$p" && find . -name '*depthbook*' | tr '\n' ' ')
expect "install: ... and depthbook's own directories" "" "$left"

# DESTDIR, as packagers stage: PREFIX=/usr under $t/stage, runnable there.
make -s install DESTDIR="$t/stage" PREFIX=/usr INSTALL_EXE="$exe" >"$t/install2.log" 2>&1
(cd "$t/elsewhere" && installed "$t/stage/usr/bin/depthbook" build --only html -o ../h ../proj/guides) >/dev/null 2>&1
expect "install: DESTDIR stages under DESTDIR/PREFIX, and the staged executable runs" "0 yes" \
	"$? $([ -f "$t/h/site/index.html" ] && [ ! -e /usr/share/depthbook/skel ] && echo yes)"
make -s uninstall DESTDIR="$t/stage" PREFIX=/usr >/dev/null 2>&1
expect "install: make uninstall with DESTDIR leaves no file" "" "$(find "$t/stage" -type f)"
