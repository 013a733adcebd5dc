#!/bin/sh
# cold_time.sh [ROUNDS] [OLD_DEPTHBOOK]: cold cards builds of the seed
# (pdflatex) and of tests/guides/cjk (LuaLaTeX) beside one plain pdflatex
# and one plain lualatex run on the .tex each build wrote, alternating
# round by round; prints the median wall and CPU (user+sys, children
# included) seconds of each. OLD_DEPTHBOOK (e.g. main's gen/depthbook,
# run from its own tree) adds its cold seed build for comparison.
# Not part of make test: run it by hand on a quiet machine.
cd "$(dirname "$0")/../.." || exit 2
rounds=${1:-7} old=${2:-}
t=$(mktemp -d "${TMPDIR:-/tmp}/cold-time.XXXXXX")
trap 'rm -rf "$t"' EXIT
./gen/depthbook build -o "$t/prep" --only cards content tests/guides/cjk >/dev/null 2>&1 || exit 1
cp "$t/prep/cards/ops-architecture-deep-dive-cards.tex" "$t/seed.tex"
cp "$t/prep/cards/cjk-emoji-cards.tex" "$t/cjk.tex"
here=$(pwd)
i=0
while [ "$i" -lt "$rounds" ]; do
	i=$((i + 1))
	for c in ${old:+old-seed} seed pdflatex-seed cjk lualatex-cjk; do
		rm -rf "$t/o" "$t/p" && mkdir -p "$t/p"
		case $c in
		old-seed) cmd="cd '$(dirname "$old")/..' && '$old' build -o '$t/o' --only cards content" ;;
		seed) cmd="cd '$here' && ./gen/depthbook build -o '$t/o' --only cards content" ;;
		cjk) cmd="cd '$here' && ./gen/depthbook build -o '$t/o' --only cards tests/guides/cjk" ;;
		pdflatex-seed) cp "$t/seed.tex" "$t/p/card.tex"
			cmd="cd '$t/p' && pdflatex -no-shell-escape -halt-on-error -interaction=nonstopmode card.tex" ;;
		lualatex-cjk) cp "$t/cjk.tex" "$t/p/card.tex"
			cmd="cd '$t/p' && lualatex -no-shell-escape -halt-on-error -interaction=nonstopmode card.tex" ;;
		esac
		/usr/bin/time -f "$c %e %U %S" sh -c "$cmd >/dev/null 2>&1" 2>>"$t/times"
	done
done
python3 - "$t/times" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4:
        runs[p[0]].append((float(p[1]), float(p[2]) + float(p[3])))
for name, v in runs.items():
    print('%-14s n=%d  wall median %.2f s  cpu median %.2f s' % (name, len(v),
          statistics.median(w for w, _ in v), statistics.median(c for _, c in v)))
PY
