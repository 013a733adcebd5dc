# lib.sh: helpers for test suites (sourced). Each prints one result line.
# In the sanitizer and valgrind passes names carry a "[san] " or
# "[valgrind] " prefix. A slow external validator (not a generator run)
# runs once, in the plain pass: `plain_only WHAT || exit 0` says so in
# every other pass instead of skipping in silence.

tag() { [ "${PASS:-plain}" != plain ] && printf '[%s] ' "$PASS"; }

checked() { [ "${PASS:-plain}" != plain ]; }

pass() { echo "PASS $(tag)$1"; }

# plain_only WHAT: 0 in the plain pass (printing that WHAT runs there, once);
# elsewhere an "ONCE" line, which tests/run.sh counts as the suite's result
# but neither a pass nor a skip, and 1.
plain_only() {
	if [ "${PASS:-plain}" = plain ]; then
		echo "running $1 once, in the plain pass"
		return 0
	fi
	echo "ONCE $(tag)$1: runs in the plain pass only"
	return 1
}

fail() { echo "FAIL $(tag)$1: $2"; }

# need TOOL PACKAGE: 0 if TOOL runs; otherwise a FAIL under CI=true (a
# missing validator is never a pass) and a SKIP elsewhere. Returns 1 then.
need() {
	if command -v "$1" >/dev/null 2>&1 || [ -e "$1" ]; then
		return 0
	fi
	if [ "${CI:-}" = true ]; then
		fail "tool $1" "missing under CI=true (install $2)"
	else
		echo "SKIP $(tag)tool $1: missing (install $2)"
	fi
	return 1
}

# expect NAME WANT GOT: pass when the two strings are equal.
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected [$2], got [$3]"
	fi
}

# scratch: a fresh temporary directory, removed when the suite exits.
scratch() {
	d=$(mktemp -d "${TMPDIR:-/tmp}/depthbook-test.XXXXXX")
	echo "$d"
}
