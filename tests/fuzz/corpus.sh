#!/bin/sh
# corpus.sh DIR: seeds the fuzzing corpus DIR with the guides in content/,
# every fixture guide and the regression inputs in tests/fuzz/regress/.
set -eu
mkdir -p "$1"
i=0
for f in content/*.md tests/fixtures/*/*.md tests/guides/*/*.md tests/fuzz/regress/*; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	cp "$f" "$1/seed-$i"
done
