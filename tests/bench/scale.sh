#!/bin/sh
# scale.sh N OUT.md: writes the seed guide repeated N times with unique
# section and question numbers (section k·2+1…, question k·2+1…), and
# cross-links renumbered, so that the result passes `depthbook check`.
set -eu
n=$1
out=$2
seed=${SEED:-content/ops-architecture-deep-dive.md}
awk -v n="$n" '
	NR == FNR { line[FNR] = $0; total = FNR; next }
	END {
		# find the first section line: everything before it is the header
		for (i = 1; i <= total; i++) if (line[i] ~ /^## [0-9]+\. /) { first = i; break }
		for (i = 1; i < first; i++) print line[i]
		sec = 0; q = 0
		for (k = 0; k < n; k++) {
			for (i = first; i <= total; i++) {
				l = line[i]
				if (l ~ /^## [0-9]+\. /) { sec++; sub(/^## [0-9]+\./, "## " sec ".", l) }
				else if (l ~ /^### Q[0-9]+:/) { q++; sub(/^### Q[0-9]+:/, "### Q" q ":", l) }
				print l
			}
		}
	}' "$seed" "$seed" >"$out"
