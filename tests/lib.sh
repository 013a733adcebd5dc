# lib.sh: helpers for test suites (sourced). Each prints one result line.
# In the sanitizer and valgrind passes names carry a "[san] " or
# "[valgrind] " prefix; suites test `checked` to skip the slow external
# validators there (they are not generator runs).

tag() { [ "${PASS:-plain}" != plain ] && printf '[%s] ' "$PASS"; }

checked() { [ "${PASS:-plain}" != plain ]; }

pass() { echo "PASS $(tag)$1"; }

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
