# t_hostile.sh: every row of tests/hostile/cases.tsv: build the input, run
# `depthbook check` under a time limit (no hang), and compare the exit
# status and the rules and lines it reported with the expected outcome.
# A crash is a signal exit (>= 128) and never matches an expected status.
. tests/lib.sh
G=$DB_ROOT/tests/hostile/ok.md
SEED=$DB_ROOT/content/ops-architecture-deep-dive.md
export G SEED
limit=120
[ "$PASS" = valgrind ] && limit=900
tab=$(printf '\t')
grep -v '^#' tests/hostile/cases.tsv | while IFS="$tab" read -r name expected recipe; do
	[ -n "$name" ] || continue
	# The 50 MB guide under valgrind would take most of an hour.
	[ "$PASS" = valgrind ] && [ "$name" = huge-50mb ] && continue
	top=$(scratch)
	D=$top/content
	mkdir -p "$D"
	ARGS=$D
	RUN_AS=
	eval "$recipe"
	if [ -n "$RUN_AS" ] && [ "$(id -u)" = 0 ]; then
		chmod 755 "$top" "$D"
		run() { setpriv --reuid="$RUN_AS" --regid=nogroup --clear-groups "$@"; }
	elif [ -n "$RUN_AS" ]; then
		run() { "$@"; } # not root: chmod 000 already denies us
	else
		run() { "$@"; }
	fi
	# shellcheck disable=SC2086
	out=$(run timeout "$limit" "$DEPTHBOOK" check $ARGS 2>&1 >/dev/null)
	status=$?
	want_status=${expected#exit }
	want_status=${want_status%% *}
	problems=""
	[ "$status" = "$want_status" ] || problems="exit $status, expected $want_status"
	[ "$status" = 124 ] && problems="timed out after ${limit}s"
	for want in ${expected#exit $want_status}; do
		rule=${want%@*}
		line=${want#*@}
		if [ "$line" = - ]; then
			printf '%s\n' "$out" | grep -q "\[$rule\]\$" || problems="$problems; no [$rule] diagnostic"
		else
			printf '%s\n' "$out" | grep -q ":$line:[0-9]*: .*\[$rule\]\$" || problems="$problems; no [$rule] at line $line"
		fi
	done
	if [ -z "$problems" ]; then
		pass "hostile $name"
	else
		fail "hostile $name" "$problems; got: $(printf '%s\n' "$out" | head -4 | tr '\n' '|')"
	fi
	chmod -R u+rwx "$top" 2>/dev/null
	rm -rf "$top"
done
