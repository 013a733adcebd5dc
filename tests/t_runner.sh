# t_runner.sh: tests/run.sh itself must be able to fail. A scratch copy of
# run.sh and lib.sh runs tiny suites that pass, fail, exit non-zero after
# passing, die by a signal part way, stop at a shell error, or report
# nothing; only the first may leave the run's exit status 0 (as `make test`
# returns run.sh's status, a failing suite makes `make test` fail).
. tests/lib.sh
r=$(scratch)
trap 'rm -rf "$r"' EXIT
mkdir -p "$r/tests"
cp tests/run.sh tests/lib.sh "$r/tests/"
cat >"$r/tests/t_good.sh" <<'X'
. tests/lib.sh
pass "good one"
X
cat >"$r/tests/t_fails.sh" <<'X'
. tests/lib.sh
pass "before"
fail "broken" "on purpose"
X
cat >"$r/tests/t_status.sh" <<'X'
. tests/lib.sh
pass "looks fine"
exit 3
X
cat >"$r/tests/t_killed.sh" <<'X'
. tests/lib.sh
pass "first half"
kill -KILL $$
pass "second half"
X
cat >"$r/tests/t_shellerr.sh" <<'X'
. tests/lib.sh
pass "first half"
set -u
echo "$undefined_variable"
pass "second half"
X
cat >"$r/tests/t_silent.sh" <<'X'
echo "no result lines"
X
# runs SUITE: the scratch run.sh's exit status and its summary line
runs() {
	log=$(SUITES="$1" PASSES=plain sh "$r/tests/run.sh" 2>&1)
	st=$?
	printf '%s %s\n' "$st" "$(printf '%s\n' "$log" | tail -n 1)"
}
expect "run.sh: a passing suite exits 0" "0 2 passed, 0 failed" "$(runs t_good)"
expect "run.sh: a FAIL line fails the run" "1 2 passed, 1 failed" "$(runs t_fails)"
expect "run.sh: a suite exiting 3 fails the run" "1 2 passed, 1 failed" "$(runs t_status)"
expect "run.sh: a suite killed part way fails the run" "1 2 passed, 1 failed" "$(runs t_killed)"
expect "run.sh: a suite stopped by a shell error fails the run" "1 2 passed, 1 failed" "$(runs t_shellerr)"
expect "run.sh: a suite reporting nothing fails the run" "1 1 passed, 1 failed" "$(runs t_silent)"
expect "run.sh: a missing suite fails the run" "1 1 passed, 1 failed" "$(runs t_nonesuch)"
expect "run.sh: one bad suite among good ones fails the run" "1 3 passed, 1 failed" "$(runs "t_good t_status")"
# the reason is named
why=$(SUITES=t_killed PASSES=plain sh "$r/tests/run.sh" 2>&1 | grep -m1 -c '^FAIL suite t_killed (plain): exited with status 137$')
expect "run.sh: names the suite and its status" "1" "$why"

# REGEN=1 creates the expected file of a new fixture; without REGEN a
# fixture with no expected file fails.
mkdir -p "$r/tests/fixtures/new"
cp tests/t_fixtures.sh "$r/tests/"
cp tests/hostile/ok.md "$r/tests/fixtures/new/guide.md"
(cd "$r" && PASS=plain sh tests/t_fixtures.sh) >"$r/f1.log" 2>&1
expect "fixtures: a new fixture without expected fails" "1" "$(grep -c '^FAIL fixture new: no expected file' "$r/f1.log")"
(cd "$r" && REGEN=1 PASS=plain sh tests/t_fixtures.sh) >"$r/f2.log" 2>&1
expect "fixtures: REGEN=1 creates the expected file" "exit 0|0 errors, 0 warnings|" "$(tr '\n' '|' <"$r/tests/fixtures/new/expected" 2>&1)"
(cd "$r" && PASS=plain sh tests/t_fixtures.sh) >"$r/f3.log" 2>&1
expect "fixtures: the created file then passes" "PASS fixture new" "$(cat "$r/f3.log")"
