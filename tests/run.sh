#!/bin/sh
# run.sh: runs every suite tests/t_*.sh twice — with gen/depthbook, then
# with the AddressSanitizer/UBSan build gen/depthbook-san — and ends with
# one line "N passed, N failed". Exit status 1 if anything failed.
# Suites print "PASS name", "FAIL name: why" or "SKIP name: why" lines
# through the helpers in tests/lib.sh. SUITES="t_unit t_fixtures" runs a few.
set -u
cd "$(dirname "$0")/.." || exit 2
DB_ROOT=$(pwd)
export DB_ROOT
RESULTS=$(mktemp)
SANLOG=$(mktemp -d)
export RESULTS SANLOG
trap 'rm -rf "$RESULTS" "$SANLOG"' EXIT

suites=""
for s in ${SUITES:-$(cd tests && ls t_*.sh | sed 's/\.sh$//')}; do
	suites="$suites $s"
done

for pass in plain san; do
	export PASS="$pass"
	if [ "$pass" = plain ]; then
		DEPTHBOOK="$DB_ROOT/gen/depthbook"
	else
		DEPTHBOOK="$DB_ROOT/tests/san-run"
	fi
	export DEPTHBOOK
	for s in $suites; do
		echo "== $s ($pass)"
		sh "tests/$s.sh" 2>&1 | tee -a "$RESULTS" | grep -v '^PASS ' || true
		n=$(grep -c "^PASS " "$RESULTS")
		echo "   ($n passes so far)"
	done
done

# Any sanitizer report written during the san pass fails the run.
if [ -n "$(ls -A "$SANLOG")" ]; then
	echo "FAIL [san] sanitizer reports:" | tee -a "$RESULTS"
	cat "$SANLOG"/* | head -80
else
	echo "PASS [san] no sanitizer reports" >>"$RESULTS"
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
