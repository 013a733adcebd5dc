# t_growth.sh: work is linear in the input for every input class. Each
# class of tests/growth.py is checked at 10 KB, 100 KB and 1 MB (the best
# of three runs' CPU time; "build:" classes are built into html, epub and
# anki, "build(OUTPUTS):" ones into those, the rest checked; a class may
# bring files, as the images one does); a 10x larger input may take at
# most 15x longer (or, for a step past that, at most 1.5x what cmark-gfm's
# own parse of the same files grows, tests/growth.py), and no run may pass
# 10 s, crash or exit 2. Timing a sanitizer build says
# nothing about the generator's own growth: plain pass only.
#
# PENDING names classes whose fix belongs to another change; they are
# measured and printed, and a SKIP (not a pass) while they are still slow,
# naming what they wait for. A pending class that has become linear is a
# PASS saying it may leave the list.
. tests/lib.sh
plain_only "the growth test (timings)" || exit 0
need python3 python3 || exit 0
t=$(scratch)
trap 'rm -rf "$t"' EXIT
# PENDING: one class a line, then what it waits for.
cat >"$t/pending" <<'X'
X
echo "class 10k-ms 100k-ms 1M-ms ratio1 ratio2 status (CPU ms, best of 3)"
# the parsing floor (tests/bench/floor.c, cmark-gfm alone), against whose
# own growth a step past 15x is judged (tests/growth.py)
if cc -O2 -std=c11 -o "$t/floor" tests/bench/floor.c $(pkg-config --cflags --libs libcmark-gfm) -lcmark-gfm-extensions 2>"$t/cc"; then
	export GROWTH_FLOOR="$t/floor"
else
	fail "growth: the parsing floor builds" "$(head -3 "$t/cc")"
fi
python3 tests/growth.py "$DEPTHBOOK" "$t" >"$t/results" 2>"$t/errors"
[ -s "$t/errors" ] && fail "growth: the harness runs" "$(head -3 "$t/errors")"
[ -s "$t/results" ] || fail "growth: the harness measured something" "no results"
while read -r name a b c r1 r2 status floor; do
	echo "  $name $a $b $c $r1 $r2 $status $floor"
	waits=""
	waits=$(grep "^$name " "$t/pending" | cut -d' ' -f2-)
	if [ "$status" = ok ]; then
		if [ -n "$waits" ]; then
			pass "growth $name: linear now ($r1x, $r2x); remove it from PENDING in t_growth.sh"
		else
			pass "growth $name: 10x the input, ${r1}x then ${r2}x the time${floor:+ }${floor#-}"
		fi
	elif [ -n "$waits" ]; then
		echo "SKIP growth $name: $status ($a $b $c ms), waits for $waits"
	else
		fail "growth $name" "$status: $a $b $c ms (ratios $r1 $r2; at most 15 allowed, or 1.5x the floor's $floor)"
	fi
done <"$t/results"
