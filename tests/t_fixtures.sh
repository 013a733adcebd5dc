# t_fixtures.sh: every directory tests/fixtures/NAME/ is a content folder;
# `depthbook check` on it must print exactly tests/fixtures/NAME/expected
# (its first line is "exit N", the rest the expected diagnostics).
# REGEN=1 shows the difference and rewrites the expected file (or creates
# it for a new fixture).
. tests/lib.sh
for dir in tests/fixtures/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	if [ ! -f "$dir/expected" ] && ! { [ "${REGEN:-}" = 1 ] && [ "$PASS" = plain ]; }; then
		fail "fixture $name" "no expected file (REGEN=1 creates it)"
		continue
	fi
	args=$dir
	[ -f "$dir/args" ] && args=$(sed "s|@DIR@|$dir|g" "$dir/args")
	# shellcheck disable=SC2086
	got=$("$DEPTHBOOK" check $args 2>&1 >/dev/null; echo "exit $?")
	got=$(printf '%s\n' "$got" | tail -n 1; printf '%s\n' "$got" | sed '$d')
	want=$(cat "$dir/expected" 2>/dev/null)
	if [ "$got" = "$want" ]; then
		pass "fixture $name"
	elif [ "${REGEN:-}" = 1 ] && [ "$PASS" = plain ]; then
		printf '%s\n' "$want" >/tmp/want.$$; printf '%s\n' "$got" >/tmp/got.$$
		diff -u /tmp/want.$$ /tmp/got.$$; rm -f /tmp/want.$$ /tmp/got.$$
		printf '%s\n' "$got" >"$dir/expected"
		echo "rewrote $dir/expected"
		pass "fixture $name (regenerated)"
	else
		fail "fixture $name" "$(printf '%s\n' "$want" >/tmp/want.$$; printf '%s\n' "$got" | diff /tmp/want.$$ - | head -12; rm -f /tmp/want.$$)"
	fi
done
