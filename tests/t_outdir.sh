# t_outdir.sh: the output directory never costs the user a file.
# - -o that is, holds or lies inside a content directory or the theme, the
#   current directory, $HOME or /: exit 2, one line, nothing touched.
# - out as a symlink: its target is published, the link stays a link.
# - directories (modes), symlinks and FIFOs a user made inside out/ are kept
#   as they were; a socket, or a symlink the build would write through, is a
#   clear refusal with out/ untouched.
# - SIGTERM/SIGINT at a named stage (DEPTHBOOK_TEST_PAUSE, no sleeps):
#   pdflatex and workers end, no staging or LaTeX directory is left, out/ is
#   as it was, the exit status is 128+signal.
. tests/lib.sh
t=$(scratch)
s=$(scratch) # snapshots, kept outside the tree they describe
trap 'chmod -R u+rwx "$t" 2>/dev/null; rm -rf "$t" "$s"' EXIT
mkdir -p "$t/tmp" "$t/content" "$t/work/x"
export TMPDIR="$t/tmp"
cp tests/hostile/ok.md "$t/content/guide.md"
theme=$DB_ROOT/themes/default
export SOURCE_DATE_EPOCH=1700000000

# snapshot DIR: every entry with its type, mode, owner, size, mtime and inode
# (and a link's target): what a user would see changed.
# Under valgrind, $TMPDIR's own mtime is left out: valgrind makes and
# removes files of its own there (its /proc/self/cmdline stand-ins); what
# is left inside it still shows.
snapshot() {
	(cd "$1" && find . -printf '%y %m %u %s %T@ %i %p %l\n' | sort -k7 |
		if [ "$PASS" = valgrind ]; then sed 's|^\(d [0-9]* [^ ]* [0-9]*\) [0-9.]* \([0-9]* \./tmp \)$|\1 - \2|'; else cat; fi)
}

# refuse NAME OUT [CONTENT] [DIR]: build -o OUT from DIR must exit 2 with one
# line, and change nothing anywhere under $t.
refuse() {
	snapshot "$t" >"$s/before"
	got=$(cd "${4:-$t}" && "$DEPTHBOOK" build --theme "$theme" --only html -o "$2" "${3:-$t/content}" 2>&1)
	st=$?
	snapshot "$t" >"$s/after"
	lines=$(printf '%s\n' "$got" | wc -l)
	if [ "$st" = 2 ] && [ "$lines" = 1 ] && cmp -s "$s/before" "$s/after" &&
		printf '%s\n' "$got" | grep -q '^depthbook: refusing -o '; then
		pass "outdir: refuses -o $1"
	else
		fail "outdir: refuses -o $1" "exit $st, $lines lines: $got; changes: $(diff "$s/before" "$s/after" | head -3)"
	fi
}
mkfifo "$t/content/pipe"
ln -s /etc/hostname "$t/content/alink"
chmod 700 "$t/content"
refuse "a content directory" "$t/content"
refuse "a content directory (relative, trailing slash)" "content/" "content"
refuse "inside a content directory" "$t/content/out"
refuse "inside a content directory that does not exist yet" "$t/content/a/b/../c"
refuse "the directory holding the content" "$t"
refuse "the parent of the content, as ../.." "../.." "$t/content" "$t/work/x"
refuse "the content directory of a file argument" "$t/content" "$t/content/guide.md"
refuse "the theme directory" "$theme"
refuse "inside the theme directory" "$theme/site"
refuse "above the theme directory" "$DB_ROOT/themes"
refuse "the current directory" "." "$t/content" "$t/work"
refuse "the current directory, by its path" "$t/work" "$t/content" "$t/work"
refuse "/" "/"
HOME=$t/work refuse "\$HOME" "$t/work" "$t/content" "$t"
ln -s content "$t/to-content"
refuse "a symlink to a content directory" "$t/to-content"
expect "outdir: the content's FIFO, symlink and mode survive the refusals" "p l 700" \
	"$(find "$t/content/pipe" -printf %y) $(find "$t/content/alink" -printf %y) $(stat -c %a "$t/content")"
chmod 755 "$t/content"
rm "$t/content/pipe" "$t/content/alink" "$t/to-content"

# A plain build next to the content still works.
"$DEPTHBOOK" build --theme "$theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
expect "outdir: a build beside the content publishes" "0" "$?"

# out -> a directory elsewhere: published there, the link stays a link.
mkdir -p "$t/www/site"
ln -s www/site "$t/outlink"
"$DEPTHBOOK" build --theme "$theme" --only html -o "$t/outlink" "$t/content" >"$t/log" 2>&1
expect "outdir: a build into a symlinked out/ succeeds" "0" "$?"
expect "outdir: the symlink stays a link to the same place" "www/site" "$(readlink "$t/outlink")"
expect "outdir: its target got the site" "1" "$(ls "$t/www/site/site/index.html" 2>/dev/null | wc -l)"
echo "A change." >>"$t/content/guide.md"
"$DEPTHBOOK" build --theme "$theme" --only html -o "$t/outlink" "$t/content" >"$t/log" 2>&1
expect "outdir: a second build through the link updates the target" "1" \
	"$(grep -c 'A change' "$t/www/site/site/guide/q1.html")"
expect "outdir: ... and the link is still a link" "www/site" "$(readlink "$t/outlink")"
ln -s nowhere "$t/deadlink"
got=$("$DEPTHBOOK" build --theme "$theme" --only html -o "$t/deadlink" "$t/content" 2>&1)
expect "outdir: a symlink to nothing is an exit 2" "2" "$?"
expect "outdir: ... saying so" "1" "$(printf '%s\n' "$got" | grep -c 'symlink that leads nowhere')"

# -o under a folder that does not exist, or under a file: a build makes the
# output directory, not the folders above it; the one line names the parent
# and what is wrong with it, and nothing is made anywhere under $t.
echo "a file" >"$t/afile"
for case in "no/such/folder/out:$t/no/such/folder does not exist" "afile/out:$t/afile is not a directory"; do
	rel=${case%%:*} why=${case#*:}
	snapshot "$t" >"$s/before"
	got=$("$DEPTHBOOK" build --theme "$theme" --only html -o "$t/$rel" "$t/content" 2>&1)
	st=$?
	snapshot "$t" >"$s/after"
	expect "outdir: -o $rel exits 2" 2 "$st"
	printf '%s\n' "$got" | grep -qF "$t/$rel: error: output directory cannot be created: its parent $why" &&
		pass "outdir: -o $rel names its parent and why" || fail "outdir: -o $rel names its parent and why" "$got"
	cmp -s "$s/before" "$s/after" && pass "outdir: -o $rel makes nothing" ||
		fail "outdir: -o $rel makes nothing" "$(diff "$s/before" "$s/after" | head -3)"
done
rm "$t/afile"

# What a user made inside out/ is kept as it was.
mkdir -p "$t/out/mine" "$t/out/site/mine"
chmod 700 "$t/out/mine"
chmod 750 "$t/out/site"
ln -s /etc/hostname "$t/out/a-link"
mkfifo "$t/out/site/a-fifo"
chmod 640 "$t/out/site/a-fifo"
echo "notes" >"$t/out/site/mine/notes.txt"
chmod 600 "$t/out/site/mine/notes.txt"
keep() { (cd "$t/out" && stat -c '%n %F %a %U' mine site site/mine site/a-fifo a-link site/mine/notes.txt && readlink a-link); }
keep >"$t/kept.before"
echo "Another change." >>"$t/content/guide.md"
"$DEPTHBOOK" build --theme "$theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
expect "outdir: a build over user-made entries succeeds" "0" "$?"
keep >"$t/kept.after"
if cmp -s "$t/kept.before" "$t/kept.after"; then
	pass "outdir: user-made directories, modes, a symlink and a FIFO are kept"
else
	fail "outdir: user-made directories, modes, a symlink and a FIFO are kept" "$(diff "$t/kept.before" "$t/kept.after" | tr '\n' '|')"
fi
expect "outdir: ... and the build did publish" "1" "$(grep -c 'Another change' "$t/out/site/guide/q1.html")"

# A socket cannot be kept: refused, out/ untouched.
if need python3 python3; then
	python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$t/out/site/a-socket"
	snapshot "$t/out" >"$s/s1"
	echo "Third change." >>"$t/content/guide.md"
	got=$("$DEPTHBOOK" build --theme "$theme" --only html -o "$t/out" "$t/content" 2>&1)
	expect "outdir: a socket inside out/ is an exit 2" "2" "$?"
	expect "outdir: ... naming it" "1" "$(printf '%s\n' "$got" | grep -c 'a-socket is a socket')"
	snapshot "$t/out" >"$s/s2"
	cmp -s "$s/s1" "$s/s2" && pass "outdir: ... and out/ is as it was" || fail "outdir: ... and out/ is as it was" "$(diff "$s/s1" "$s/s2" | head -3)"
	rm "$t/out/site/a-socket"
fi

# A symlinked directory the build would write into: refused, nothing
# written through it.
mkdir -p "$t/elsewhere"
printf '\211PNG\r\n' >"$t/content/pic.png"
sed -i 's|^Main answer.|![a picture](pic.png)|' "$t/content/guide.md"
rm -rf "$t/out/site/files"
ln -s "$t/elsewhere" "$t/out/site/files"
got=$("$DEPTHBOOK" build --theme "$theme" --only html -o "$t/out" "$t/content" 2>&1)
expect "outdir: writing through a symlinked directory in out/ is an exit 2" "2" "$?"
expect "outdir: ... naming the link" "1" "$(printf '%s\n' "$got" | grep -c 'out/site/files, a symlink')"
expect "outdir: ... and nothing reached its target" "" "$(ls -A "$t/elsewhere")"
rm "$t/out/site/files"

# Signals at named stages: the build waits at the stage, the test sends
# the signal once it has read the pause line (an event, not a delay).
mkfifo "$t/events"
"$DEPTHBOOK" build --theme "$theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
expect "outdir: the build before the signals" "0" "$?"
snapshot "$t/out" >"$t/sig.before"
echo "A change the stopped builds must not publish." >>"$t/content/guide.md"
# STAGE-busy spins at the stage without looking at the signal, as a
# renderer deep in a huge guide does: the grace time (2 s) must end it.
for case in "staged TERM 143" "latex TERM 143" "commit TERM 143" "latex INT 130" "staged-busy TERM 143" \
	"latex-busy INT 130" "staged KILL 137" "latex KILL 137" "commit KILL 137"; do
	set -- $case
	stage=$1 sig=$2 want=$3
	DEPTHBOOK_TEST_PAUSE=$stage DEPTHBOOK_JOBS=1 "$DEPTHBOOK" build --theme "$theme" -o "$t/out" "$t/content" 2>"$t/events" &
	pid=$!
	exec 3<"$t/events"
	IFS= read -r line <&3
	kill "-$sig" "$pid"
	wait "$pid" 2>/dev/null
	st=$?
	rest=$(cat <&3)
	exec 3<&-
	name="outdir: SIG$sig at $stage"
	expect "$name exits $want" "$want" "$st"
	case $line in "depthbook: paused at ${stage%-busy} "*) pass "$name: the build paused there" ;; *) fail "$name: the build paused there" "$line" ;; esac
	# the pause line names the children (a process group is -PGID)
	children=$(printf '%s\n' "$line" | sed 's/.*children//; s/)$//')
	alive=""
	for c in $children; do
		# a killed build's pdflatex is ended by the next build's cleanup
		# at most; SIGTERM/SIGINT must have ended it already
		[ "$sig" = KILL ] && kill -KILL -- "$c" 2>/dev/null
		kill -0 -- "$c" 2>/dev/null && alive="$alive $c"
	done
	[ "${stage%-busy}" = latex ] && [ -z "$children" ] && alive="no pdflatex was running"
	expect "$name: pdflatex ended" "" "$alive"
	if [ "$sig" != KILL ]; then
		case $sig in TERM) what=Terminated ;; *) what=Interrupt ;; esac
		case $stage in
		*-busy) expect "$name: one line saying why" "depthbook: stopped by a signal; the output directory left as it was" "$rest" ;;
		*)
			# the unwinding says which signal; on a machine too busy to
			# unwind within the grace time the hard way out says less
			case $rest in
			"depthbook: stopped by signal $((want - 128)) ($what); $t/out left as it was" | \
				"depthbook: stopped by a signal; the output directory left as it was")
				pass "$name: one line saying why" ;;
			*) fail "$name: one line saying why" "got [$rest]" ;;
			esac
			;;
		esac
		expect "$name: no staging directory left" "" "$(ls -A "$t" | grep '^\.out\.build-')"
		expect "$name: no LaTeX directory left" "" "$(ls -A "$t/tmp" | grep '^depthbook-')"
	fi
	snapshot "$t/out" >"$t/sig.after"
	cmp -s "$t/sig.before" "$t/sig.after" && pass "$name: out/ as it was" ||
		fail "$name: out/ as it was" "$(diff "$t/sig.before" "$t/sig.after" | head -3 | tr '\n' '|')"
done
# after the SIGKILLs, the next build cleans up and publishes
"$DEPTHBOOK" build --theme "$theme" -o "$t/out" "$t/content" >"$t/log" 2>&1
expect "outdir: the build after the kills succeeds" "0" "$?"
expect "outdir: ... and leaves no staging directory" "" "$(ls -A "$t" | grep '^\.out\.build-')"
expect "outdir: ... nor a LaTeX directory" "" "$(ls -A "$t/tmp" | grep '^depthbook-')"
expect "outdir: ... and publishes the change" "1" "$(grep -c 'must not publish' "$t/out/site/guide/q1.html")"

# Options that would print garbage or fail late are usage or environment
# errors: exit 2, one line and the usage, nothing built.
for opt in "--back-offset nan,0" "--back-offset 0,inf" "--back-offset -inf,0" "--back-offset 20.5,0" \
	"--back-offset 0,-21" "--back-offset 1e400,0" "--only ," "--only="; do
	# shellcheck disable=SC2086
	got=$("$DEPTHBOOK" build $opt -o "$t/optout" "$t/content" 2>&1)
	st=$?
	if [ "$st" = 2 ] && [ ! -e "$t/optout" ] && printf '%s\n' "$got" | head -1 | grep -q '^depthbook: --'; then
		pass "options: $opt is exit 2"
	else
		fail "options: $opt is exit 2" "exit $st: $(printf '%s\n' "$got" | head -1)"
	fi
done
"$DEPTHBOOK" build --back-offset 20,-20 --only html -o "$t/optout" "$t/content" >/dev/null 2>&1
expect "options: --back-offset 20,-20 is accepted" "0" "$?"
rm -rf "$t/optout"
for sde in 253402300800 99999999999999 -1 12abc 1e9 ""; do
	got=$(SOURCE_DATE_EPOCH=$sde "$DEPTHBOOK" build --only html -o "$t/optout" "$t/content" 2>&1)
	st=$?
	if [ -z "$sde" ]; then
		expect "options: an empty SOURCE_DATE_EPOCH is unset" "0" "$st"
		rm -rf "$t/optout"
		continue
	fi
	if [ "$st" = 2 ] && [ ! -e "$t/optout" ] && [ "$(printf '%s\n' "$got" | wc -l)" = 1 ] &&
		printf '%s\n' "$got" | grep -q "^depthbook: SOURCE_DATE_EPOCH='$sde': "; then
		pass "options: SOURCE_DATE_EPOCH=$sde is exit 2"
	else
		fail "options: SOURCE_DATE_EPOCH=$sde is exit 2" "exit $st: $got"
	fi
done
SOURCE_DATE_EPOCH=253402300799 "$DEPTHBOOK" build --only html --base-url https://example.org/ -o "$t/optout" "$t/content" >/dev/null 2>&1
expect "options: SOURCE_DATE_EPOCH at 9999-12-31T23:59:59Z builds" "0" "$?"
expect "options: ... and the sitemap says 9999-12-31" "3" "$(grep -c '<lastmod>9999-12-31</lastmod>' "$t/optout/site/sitemap.xml")"
