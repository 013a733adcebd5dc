# t_publish.sh: atomic, change-aware publishing (gen/out.c) with every
# renderer: an unchanged rebuild rewrites nothing; a failed build (content
# error, full disk, file-size limit, read-only output) leaves out/ exactly as
# it was and says why in one line; a build killed with SIGKILL at each
# named stage leaves the old out/, never a mix, and the next build cleans
# up and succeeds.
. tests/lib.sh
t=$(scratch)
trap 'umount "$t/tiny" 2>/dev/null; chmod -R u+rwx "$t" 2>/dev/null; rm -rf "$t"' EXIT
# LaTeX's private directories go here, so that the test can count them
mkdir -p "$t/tmp"
export TMPDIR="$t/tmp"
mkdir -p "$t/content"
cp content/ops-architecture-deep-dive.md "$t/content/guide.md"
export SOURCE_DATE_EPOCH=1700000000

# snapshot DIR: every file with its size, mtime and inode, and every
# directory with its mtime (a build publishes new directories, so their
# inodes change; their times must not).
snapshot() { (cd "$1" && find . \( -type f -printf 'f %p %s %T@ %i\n' \) -o \( -type d -printf 'd %p %T@\n' \) | sort); }
# contents DIR: every file's checksum (what a reader of out/ would see).
contents() { (cd "$1" && find . -type f ! -name .depthbook-outputs -exec md5sum {} + | sort -k2); }

if ! "$DEPTHBOOK" build -o "$t/out" "$t/content" >"$t/log" 2>&1; then
	fail "publish first build" "$(head -5 "$t/log")"
	exit 0
fi
pass "publish first build"
snapshot "$t/out" >"$t/snap1"
contents "$t/out" >"$t/old"

# An unchanged rebuild rewrites no file: sizes, mtimes and inodes stay.
# The second apart is not a wait for an event: it makes a file rewritten
# in place show a later mtime even on a filesystem with coarse timestamps.
sleep 1
"$DEPTHBOOK" build -o "$t/out" "$t/content" >"$t/log" 2>&1
snapshot "$t/out" >"$t/snap2"
if cmp -s "$t/snap1" "$t/snap2"; then
	pass "publish unchanged rebuild rewrites nothing ($(grep -c '^f' "$t/snap1") files keep mtime and inode)"
else
	fail "publish unchanged rebuild rewrites nothing" "$(diff "$t/snap1" "$t/snap2" | head -6)"
fi
[ -z "$(ls -a "$t" | grep '^\.out\.build-')" ] && pass "publish leaves no staging directory" ||
	fail "publish leaves no staging directory" "$(ls -a "$t")"

# The renderers spread over two processes (DEPTHBOOK_JOBS=2) publish
# exactly what one process does (DEPTHBOOK_JOBS=1).
DEPTHBOOK_JOBS=1 "$DEPTHBOOK" build -o "$t/serial" "$t/content" >"$t/log" 2>&1
expect "publish in one process (DEPTHBOOK_JOBS=1)" 0 $?
contents "$t/serial" >"$t/serial.sums"
cmp -s "$t/old" "$t/serial.sums" && pass "publish: a default build and one process give the same files" ||
	fail "publish: a default build and one process give the same files" "$(diff "$t/old" "$t/serial.sums" | head -4)"
DEPTHBOOK_JOBS=2 "$DEPTHBOOK" build -o "$t/two" "$t/content" >"$t/log" 2>&1
expect "publish on two cores (DEPTHBOOK_JOBS=2)" 0 $?
contents "$t/two" >"$t/two.sums"
cmp -s "$t/two.sums" "$t/serial.sums" && pass "publish: two processes and one process give the same files" ||
	fail "publish: two processes and one process give the same files" "$(diff "$t/two.sums" "$t/serial.sums" | head -4)"

# A content error: exit 1, out/ untouched.
cp "$t/content/guide.md" "$t/good.md"
printf '\n###### Depth 99\n**Q:** q\n**A:** a\n' >>"$t/content/guide.md"
"$DEPTHBOOK" build -o "$t/out" "$t/content" >"$t/log" 2>&1
expect "publish content error exits 1" 1 $?
snapshot "$t/out" >"$t/snap3"
cmp -s "$t/snap2" "$t/snap3" && pass "publish content error leaves out/ as it was" ||
	fail "publish content error leaves out/ as it was" "$(diff "$t/snap2" "$t/snap3" | head -4)"
cp "$t/good.md" "$t/content/guide.md"

# A file-size limit (ulimit -f): exit 2, one line naming the reason.
(ulimit -f 16; "$DEPTHBOOK" build -o "$t/out2" "$t/content" >"$t/log" 2>&1; echo $? >"$t/status")
expect "publish file-size limit exits 2" 2 "$(cat "$t/status")"
expect "publish file-size limit: one line with the reason" 1 "$(grep -c 'File too large' "$t/log")"
[ ! -e "$t/out2" ] && pass "publish file-size limit leaves no output" || fail "publish file-size limit leaves no output" "$(ls "$t/out2")"

# A full disk: a 64 KB tmpfs (when this machine lets us mount one).
mkdir -p "$t/tiny"
if mount -t tmpfs -o size=64k tmpfs "$t/tiny" 2>/dev/null; then
	"$DEPTHBOOK" build -o "$t/tiny/out" "$t/content" >"$t/log" 2>&1
	expect "publish full disk exits 2" 2 $?
	expect "publish full disk: one line with the reason" 1 "$(grep -c 'No space left on device' "$t/log")"
	expect "publish full disk leaves the disk as it was" "" "$(ls -A "$t/tiny")"
	umount "$t/tiny"
elif [ "${CI:-}" = true ]; then
	fail "publish full disk" "cannot mount a tmpfs here (needs root)"
else
	echo "SKIP $(tag)publish full disk: cannot mount a tmpfs (not root)"
fi

# A read-only out/ (as an unprivileged user: root ignores permissions).
if [ "$(id -u)" = 0 ]; then
	# TMPDIR too must be usable by nobody (valgrind keeps files there)
	cp -r "$t/out" "$t/ro" && chown -R nobody "$t/ro" && chmod 755 "$t" && chmod 555 "$t/ro" && chmod 1777 "$t/tmp"
	snapshot "$t/ro" >"$t/snap-ro"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$DEPTHBOOK" build -o "$t/ro" "$t/content" >"$t/log" 2>&1
	expect "publish read-only out/ exits 2" 2 $?
	expect "publish read-only out/: one line with the reason" 1 "$(grep -c 'not writable' "$t/log")"
	snapshot "$t/ro" | cmp -s - "$t/snap-ro" && pass "publish read-only out/ untouched" ||
		fail "publish read-only out/ untouched" "changed"
fi

# SIGKILL at many moments of a build whose output differs from out/'s:
# out/ must then hold exactly the old or exactly the new output.
sed 's/Dashboards look green/Dashboards look GREEN/' "$t/good.md" >"$t/changed.md"
cp "$t/changed.md" "$t/content/guide.md"
"$DEPTHBOOK" build -o "$t/newout" "$t/content" >/dev/null 2>&1
contents "$t/newout" >"$t/new"
cp "$t/good.md" "$t/content/guide.md"
# SIGKILL at each named stage (DEPTHBOOK_TEST_PAUSE: the build waits there
# and says so; the kill follows that line, not a delay): out/ must then
# hold exactly the old output, never a mix.
mkfifo "$t/events"
mixed=0 kept=0
for stage in staged latex commit; do
	rm -rf "$t/out" && cp -a "$t/newout" "$t/out" && cp "$t/good.md" "$t/content/guide.md"
	DEPTHBOOK_TEST_PAUSE=$stage "$DEPTHBOOK" build -o "$t/out" "$t/content" >/dev/null 2>"$t/events" &
	pid=$!
	exec 3<"$t/events"
	IFS= read -r line <&3
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	exec 3<&-
	# its pdflatex (a process group of its own) outlives a SIGKILL
	for c in $(printf '%s\n' "$line" | sed 's/.*children//; s/)$//'); do kill -9 -- "$c" 2>/dev/null; done
	contents "$t/out" >"$t/now"
	if cmp -s "$t/now" "$t/new"; then
		kept=$((kept + 1)) # killed before the swap: the previous out/ (built from changed.md)
	else
		mixed=$((mixed + 1))
	fi
done
expect "publish SIGKILL at 3 stages (staged, latex, commit): out/ kept whole each time" "3 0" "$kept $mixed"
"$DEPTHBOOK" build -o "$t/out" "$t/content" >"$t/log" 2>&1
expect "publish next build after kills succeeds" 0 $?
contents "$t/out" | cmp -s - "$t/old" && pass "publish next build after kills is complete" ||
	fail "publish next build after kills is complete" "differs"
[ -z "$(ls -a "$t" | grep '^\.out\.build-')" ] && pass "publish stale staging directories cleaned" ||
	fail "publish stale staging directories cleaned" "$(ls -a "$t" | grep build)"
# (only depthbook's own: valgrind leaves its vgdb pipes there when killed)
expect "publish LaTeX directories of killed builds cleaned" "" "$(ls -A "$t/tmp" | grep '^depthbook-')"

# A list damaged or edited by hand (a restored cache, a merge) may name
# paths that climb out of out/ or are absolute: a build that prunes a
# removed guide's files removes none of those.
D=$t/damaged
mkdir -p "$D/content"
cp tests/hostile/ok.md "$D/content/a.md"
cp tests/hostile/ok.md "$D/content/b.md"
"$DEPTHBOOK" build --only html -o "$D/out" "$D/content" >"$t/log" 2>&1
expect "publish damaged list: first build" 0 $?
echo keep >"$D/victim.txt"
echo keep >"$D/victim2.txt"
{
	echo "f 5 1 1 site/b/../../../victim.txt"
	echo "f 5 1 1 site/b/./../../victim.txt"
	echo "f 5 1 1 $D/victim2.txt"
	echo "d site/b/../.."
} >>"$D/out/.depthbook-outputs"
rm "$D/content/b.md"
"$DEPTHBOOK" build --only html -o "$D/out" "$D/content" >"$t/log" 2>&1
expect "publish damaged list: the build succeeds" 0 $?
expect "publish damaged list: no file outside out/ is removed" "keep keep" "$(cat "$D/victim.txt" "$D/victim2.txt" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
[ ! -e "$D/out/site/b" ] && pass "publish damaged list: the removed guide's pages still go" ||
	fail "publish damaged list: the removed guide's pages still go" "$(ls "$D/out/site")"

# A user's files in out/ are theirs: a build never replaces or removes a
# file that no build wrote. Into a folder that holds a hand-made
# site/index.html the build stops, naming it, and writes nothing.
U=$t/users
mkdir -p "$U/content" "$U/out/site"
cp tests/hostile/ok.md "$U/content/a.md"
echo mine >"$U/out/site/index.html"
echo mine >"$U/out/notes.txt"
"$DEPTHBOOK" build --only html -o "$U/out" "$U/content" >"$t/log" 2>&1
expect "publish user's file in the way: exit 2" 2 $?
expect "publish user's file in the way: one line names it" 1 \
	"$(grep -c "^$U/out/site/index.html: error: is in the way of an output, and depthbook did not write it" "$t/log")"
expect "publish user's file in the way: it keeps its bytes, and out/ gains nothing" "mine index.html" \
	"$(cat "$U/out/site/index.html") $(ls -A "$U/out/site" | tr '\n' ' ' | sed 's/ $//')"
mv "$U/out/site/index.html" "$U/index.html"
"$DEPTHBOOK" build --only html -o "$U/out" "$U/content" >"$t/log" 2>&1
expect "publish user's file moved out of the way: the build succeeds" 0 $?
# A file a user puts beside a guide's pages stays through an unchanged
# rebuild (which lists it) and then a rebuild of the guide, which prunes
# the pages the guide no longer has: the user's file is not one of them.
echo mine >"$U/out/site/a/notes.txt"
"$DEPTHBOOK" build --only html -o "$U/out" "$U/content" >"$t/log" 2>&1
expect "publish user's file: the next build succeeds" 0 $?
sed -i 's/^Main answer\./Main answer, edited./' "$U/content/a.md"
"$DEPTHBOOK" build --only html -o "$U/out" "$U/content" >"$t/log" 2>&1
expect "publish user's file: the guide's rebuild succeeds" 0 $?
expect "publish user's files beside the pages and at the top stay" "mine mine" \
	"$(cat "$U/out/site/a/notes.txt" "$U/out/notes.txt" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
grep -q 'edited' "$U/out/site/a/q1.html" && pass "publish user's file: the guide's page was rebuilt" ||
	fail "publish user's file: the guide's page was rebuilt" "$(grep -c Main "$U/out/site/a/q1.html")"
# An out/ whose list is lost, or of the format before (2, no "x" lines),
# still holds the ids a build leaves: all of it counts as a build's, and
# it rebuilds without a complaint. Without the ids, none of it does.
sed -i '1s/.*/depthbook-outputs 2/; /^x /d' "$U/out/.depthbook-outputs"
sed -i 's/edited/edited again/' "$U/content/a.md"
"$DEPTHBOOK" build --only html -o "$U/out" "$U/content" >"$t/log" 2>&1
expect "publish: an out/ of the list format before rebuilds" "0 1" "$? $(grep -c 'edited again' "$U/out/site/a/q1.html")"
rm "$U/out/.depthbook-outputs" "$U/out/.depthbook-ids"
sed -i 's/edited again/edited a third time/' "$U/content/a.md"
"$DEPTHBOOK" build --only html -o "$U/out" "$U/content" >"$t/log" 2>&1
expect "publish: an out/ with neither list nor ids is no build's: the changed page stops the build" "2 0" \
	"$? $(grep -c 'third' "$U/out/site/a/q1.html")"
