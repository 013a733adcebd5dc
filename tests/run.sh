#!/bin/sh
# run.sh: runs every suite tests/t_*.sh twice — with gen/depthbook, then
# with the AddressSanitizer/UBSan build gen/depthbook-san — and ends with
# one line "N passed, N failed". Exit status 1 if anything failed.
# PASSES="valgrind" (make valgrind) runs the suites under valgrind instead.
# Suites print "PASS name", "FAIL name: why" or "SKIP name: why" lines
# through the helpers in tests/lib.sh. SUITES="t_unit t_fixtures" runs a few.
# A suite that exits non-zero, is killed, or reports nothing is a failure
# (tests/t_runner.sh shows it).
set -u
cd "$(dirname "$0")/.." || exit 2
DB_ROOT=$(pwd)
export DB_ROOT
RESULTS=$(mktemp)
STATUS=$(mktemp)
SUITELOG=$(mktemp)
SANLOG=$(mktemp -d)
# tests that run depthbook as an unprivileged user must be able to report
chmod 1777 "$SANLOG"
export RESULTS SANLOG
trap 'rm -rf "$RESULTS" "$STATUS" "$SUITELOG" "$SANLOG"' EXIT

suites=""
for s in ${SUITES:-$(cd tests && ls t_*.sh | sed 's/\.sh$//')}; do
	suites="$suites $s"
done

for pass in ${PASSES:-plain san}; do
	export PASS="$pass"
	case $pass in
	plain) DEPTHBOOK="$DB_ROOT/gen/depthbook" ;;
	san) DEPTHBOOK="$DB_ROOT/tests/san-run" ;;
	valgrind) DEPTHBOOK="$DB_ROOT/tests/valgrind-run" ;;
	*) echo "run.sh: unknown pass $pass" >&2; exit 2 ;;
	esac
	export DEPTHBOOK
	for s in $suites; do
		echo "== $s ($pass)"
		if [ ! -f "tests/$s.sh" ]; then
			echo "FAIL suite $s ($pass): no tests/$s.sh" | tee -a "$RESULTS"
			continue
		fi
		# A pipeline's status is its last command's, so the suite's own
		# status goes through a file: a suite that exits non-zero or dies
		# part way (a signal, a shell error) fails the run, whatever it
		# printed before.
		rm -f "$STATUS"
		start=$(date +%s)
		{ sh "tests/$s.sh" 2>&1; echo $? >"$STATUS"; } | tee "$SUITELOG" | grep -v '^PASS '
		cat "$SUITELOG" >>"$RESULTS"
		st=$(cat "$STATUS" 2>/dev/null)
		if [ "${st:-none}" != 0 ]; then
			echo "FAIL suite $s ($pass): exited with status ${st:-unknown}" | tee -a "$RESULTS"
		elif ! grep -q '^\(PASS\|FAIL\|SKIP\|ONCE\) ' "$SUITELOG"; then
			echo "FAIL suite $s ($pass): reported no result" | tee -a "$RESULTS"
		fi
		n=$(grep -c "^PASS " "$RESULTS")
		echo "   ($n passes so far; $s took $(($(date +%s) - start)) s)"
	done
done

# Any sanitizer or valgrind report written during the run fails it.
# (valgrind creates its log file even when it has nothing to say.)
reports=$(find "$SANLOG" -type f -size +0)
if [ -n "$reports" ]; then
	echo "FAIL [checked passes] sanitizer/valgrind reports:" | tee -a "$RESULTS"
	# shellcheck disable=SC2086
	cat $reports | head -80
else
	echo "PASS [checked passes] no sanitizer or valgrind reports" >>"$RESULTS"
fi

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
skipped=$(grep -c '^SKIP ' "$RESULTS")
if [ "$failed" -gt 0 ]; then
	echo
	echo "Failures:"
	grep '^FAIL ' "$RESULTS"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
