#!/bin/sh
# bench.sh: `make bench`. Times depthbook against the parsing floor
# (cmark-gfm CLI) and, when installed, pandoc and Hugo, on the seed guide
# repeated 1x, 10x and 100x (1000x with BENCH_1000=1). Commands alternate
# round by round so that machine noise hits them alike; each row gives the
# median and min-max wall time, the ratio of medians to the floor of the same
# size, and peak memory. Each run is timed by tests/bench/runtime.c (fork,
# exec, wait4), so no timer's start-up sits in the small sizes' figures.
# Writes out/bench/results.md.
set -u
cd "$(dirname "$0")/../.." || exit 2
DB=${DEPTHBOOK:-$PWD/gen/depthbook}
ROUNDS=${ROUNDS:-7}
work=$(mktemp -d "${TMPDIR:-/tmp}/depthbook-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p out/bench
${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$work/runtime" tests/bench/runtime.c || exit 2
results=out/bench/results.md
raw="$work/raw" # lines: size name microseconds peak_kb
: >"$raw"

sizes="1 10 100"
[ "${BENCH_1000:-}" = 1 ] && sizes="$sizes 1000"
for n in $sizes; do
	mkdir -p "$work/g$n"
	tests/bench/scale.sh "$n" "$work/g$n/guide.md"
done

# two guides, for the cards stage's two LaTeX runs
mkdir -p "$work/two"
cp "$work/g1/guide.md" "$work/two/a.md"
cp "$work/g1/guide.md" "$work/two/b.md"

missing=""
# BENCH_SKIP="pandoc hugo" leaves reference tools out (a quick run).
have() {
	case " ${BENCH_SKIP:-} " in *" $1 "*) case $missing in *"$1 (skipped)"*) ;; *) missing="$missing $1 (skipped)" ;; esac; return 1 ;; esac
	command -v "$1" >/dev/null 2>&1 || { case $missing in *" $1"*) ;; *) missing="$missing $1" ;; esac; return 1; }
}
have cmark-gfm || { echo "bench: cmark-gfm (Debian package cmark-gfm) is required" >&2; exit 2; }
have pandoc
have hugo
have pdflatex

# A pdflatex shim on PATH counts LaTeX runs.
mkdir -p "$work/shim"
real_pdflatex=$(command -v pdflatex || true)
cat >"$work/shim/pdflatex" <<SHIM
#!/bin/sh
echo run >>"$work/latex-runs"
exec "$real_pdflatex" "\$@"
SHIM
chmod +x "$work/shim/pdflatex"

# A whole build of the seed, for the rebuild with nothing changed.
[ -n "$real_pdflatex" ] && "$DB" build -o "$work/full1" "$work/g1" >/dev/null 2>&1

# Hugo sites: one page holding the guide, and (100x) one page per question.
hugo_site() { # DIR GUIDE PAGES
	mkdir -p "$1/content" "$1/layouts/_default"
	printf 'baseURL = "http://example.org/"\ntitle = "bench"\ndisableKinds = ["taxonomy","term","RSS","sitemap"]\n' >"$1/hugo.toml"
	printf '<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n' >"$1/layouts/_default/single.html"
	printf '<!doctype html><title>{{ .Title }}</title>\n' >"$1/layouts/_default/list.html"
	if [ "$3" = 1 ]; then
		{ printf -- '---\ntitle: guide\n---\n'; cat "$2"; } >"$1/content/guide.md"
	else
		awk -v dir="$1/content" '/^### Q[0-9]+:/ { n++; f = dir "/q" n ".md"; print "---\ntitle: q" n "\n---" > f } n { print >> f }' "$2"
	fi
}
have hugo >/dev/null 2>&1 && for n in 1 100; do hugo_site "$work/hugo$n" "$work/g$n/guide.md" 1; done
have hugo >/dev/null 2>&1 && hugo_site "$work/hugo100p" "$work/g100/guide.md" 200

# run SIZE NAME CMD…: one timed run, appended to $raw.
run() {
	size=$1 name=$2
	shift 2
	rm -f "$work/time"
	"$work/runtime" "$work/time" "$@" >/dev/null 2>"$work/err"
	status=$?
	read -r us kb _ <"$work/time" 2>/dev/null || { us=0 kb=0; }
	if [ $status -ne 0 ]; then
		echo "bench: '$name' at ${size}x failed (exit $status):" >&2
		tail -3 "$work/err" >&2
		name="$name(FAILED)" # a failed run is marked in the table, never timed as a success
	fi
	echo "$size $name $us $kb" >>"$raw"
}

for n in $sizes; do
	g="$work/g$n"
	rounds=$ROUNDS
	[ "$n" -ge 100 ] && rounds=$(( ROUNDS < 5 ? ROUNDS : 5 ))
	[ "$n" -ge 1000 ] && rounds=3
	echo "bench: ${n}x, $rounds rounds" >&2
	r=0
	while [ $r -lt "$rounds" ]; do
		run "$n" floor cmark-gfm -e table -e strikethrough -e autolink "$g/guide.md"
		run "$n" check "$DB" check "$g"
		# what smart punctuation (on by default) costs the parse
		run "$n" check-nosmart "$DB" check --no-smart "$g"
		rm -rf "$work/o$n"
		run "$n" build "$DB" build --only html,epub,anki -o "$work/o$n" "$g"
		# the same again, nothing changed: fresh.c finds out/ current
		run "$n" rebuild-unchanged "$DB" build --only html,epub,anki -o "$work/o$n" "$g"
		if [ "$n" = 1 ] && [ -n "$real_pdflatex" ]; then
			rm -rf "$work/c1" "$work/latex-runs"
			PATH="$work/shim:$PATH" run 1 cards-cold "$DB" build --only cards -o "$work/c1" "$g"
			echo "1 cards-cold-latex-runs $(wc -l <"$work/latex-runs" 2>/dev/null || echo 0)" >>"$work/counts"
			rm -f "$work/latex-runs"
			PATH="$work/shim:$PATH" run 1 cards-unchanged "$DB" build --only cards -o "$work/c1" "$g"
			echo "1 cards-unchanged-latex-runs $( [ -f "$work/latex-runs" ] && wc -l <"$work/latex-runs" || echo 0)" >>"$work/counts"
			# again without fresh.c's list (as after a build with warnings):
			# the cards stage's own check (its .tex's inputs line) runs
			rm -f "$work/latex-runs" "$work/c1/.depthbook-outputs"
			PATH="$work/shim:$PATH" run 1 cards-unchanged-nolist "$DB" build --only cards -o "$work/c1" "$g"
			echo "1 cards-unchanged-nolist-latex-runs $( [ -f "$work/latex-runs" ] && wc -l <"$work/latex-runs" || echo 0)" >>"$work/counts"
			# the whole build (site, EPUB, cards, deck), nothing changed
			rm -f "$work/latex-runs"
			PATH="$work/shim:$PATH" run 1 rebuild-all-unchanged "$DB" build -o "$work/full1" "$g"
			echo "1 rebuild-all-unchanged-latex-runs $( [ -f "$work/latex-runs" ] && wc -l <"$work/latex-runs" || echo 0)" >>"$work/counts"
			# two guides: their LaTeX runs share the two cores
			rm -rf "$work/c2"
			run 1 cards-cold-2guides "$DB" build --only cards -o "$work/c2" "$work/two"
			tex=$(ls "$work"/c1/cards/*.tex 2>/dev/null | head -1)
			if [ -n "$tex" ]; then
				rm -rf "$work/plain" && mkdir -p "$work/plain" && cp "$tex" "$work/plain/"
				run 1 pdflatex-plain "$real_pdflatex" -interaction=nonstopmode -halt-on-error -output-directory "$work/plain" "$work/plain/$(basename "$tex")"
			fi
		fi
		if have pandoc 2>/dev/null; then
			[ "$n" != 10 ] && run "$n" pandoc-html pandoc -s -o "$work/p.html" "$g/guide.md"
			run "$n" pandoc-epub pandoc -o "$work/p.epub" "$g/guide.md"
		fi
		if have hugo 2>/dev/null; then
			case $n in
			1) run 1 hugo-1page hugo --quiet -s "$work/hugo1" -d "$work/hpub" ;;
			100)
				run 100 hugo-1page hugo --quiet -s "$work/hugo100" -d "$work/hpub"
				run 100 hugo-200pages hugo --quiet -s "$work/hugo100p" -d "$work/hpub2" ;;
			esac
		fi
		r=$((r + 1))
	done
done

# The table: median, min-max, ratio of medians to the floor, peak memory.
{
	echo "# depthbook benchmark"
	echo
	echo "Machine: $(nproc) cores, $(uname -m); $(date -u +%Y-%m-%d); command: \`make bench\` (ROUNDS=$ROUNDS)."
	echo "Wall times in ms: median (min-max) over alternating rounds; ratio = median / floor median at the same size."
	echo
	echo "| size | command | median ms | min-max ms | x floor | peak MB |"
	echo "|---|---|---|---|---|---|"
	sort -k1,1n -k2,2 -k3,3n "$raw" | awk '
		{ key = $1 " " $2; t[key, ++c[key]] = $3; if ($4 > mem[key]) mem[key] = $4
		  if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
		END {
			for (i = 1; i <= k; i++) {
				key = order[i]; n = c[key]
				med = (n % 2) ? t[key, (n + 1) / 2] : (t[key, n / 2] + t[key, n / 2 + 1]) / 2
				m[key] = med
			}
			for (i = 1; i <= k; i++) {
				key = order[i]; split(key, p, " "); n = c[key]
				fl = m[p[1] " floor"]
				printf "| %sx | %s | %.1f | %.1f-%.1f | %.2f | %.1f |\n", p[1], p[2], m[key] / 1000, t[key, 1] / 1000, t[key, n] / 1000, fl ? m[key] / fl : 0, mem[key] / 1024
			}
		}'
	echo
	if [ -f "$work/counts" ]; then
		echo "LaTeX runs per cards build (pdflatex shim on PATH): cold $(grep cold "$work/counts" | awk '{print $3}' | sort -u | tr '\n' ' ')/ unchanged (cards, whole build) $(grep unchanged "$work/counts" | awk '{print $3}' | sort -u | tr '\n' ' ')"
		echo
		# two guides' cards against one plain pdflatex run (2.00x: no overlap)
		sort -k3,3n "$raw" | awk '$1 == 1 && $2 == "cards-cold-2guides" { a[++m] = $3 } $1 == 1 && $2 == "pdflatex-plain" { b[++k] = $3 }
			function med(v, n) { return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
			END { if (m && k) printf "Cards of two guides, cold: %.2fx one plain pdflatex run (2.00x would be one run after the other).\n\n", med(a, m) / med(b, k) }'
	fi
	echo "Growth (median ratio between sizes):"
	for name in floor check build; do
		# sorted by size, then time, so that the middle value is the median
		sort -k1,1n -k3,3n "$raw" | awk -v name="$name" '$2 == name { t[$1, ++c[$1]] = $3; if (!($1 in s)) { s[$1] = 1; o[++k] = $1 } }
			END { line = "- " name ":"; for (i = 1; i <= k; i++) { n = c[o[i]]
				med[i] = (n % 2) ? t[o[i], (n + 1) / 2] : (t[o[i], n / 2] + t[o[i], n / 2 + 1]) / 2 }
				for (i = 2; i <= k; i++) if (o[i - 1] >= 10) line = line sprintf(" %sx->%sx %.1fx;", o[i - 1], o[i], med[i] / med[i - 1])
				print line }'
	done
	echo
	# depthbook against each reference tool that ran: the ratio of medians,
	# same size, same run (below 1: depthbook is faster).
	echo "Against the reference tools (depthbook median / tool median, same size):"
	sort -k1,1n -k2,2 -k3,3n "$raw" | awk '
		{ key = $1 " " $2; t[key, ++c[key]] = $3; if (!($1 in s)) { s[$1] = 1; o[++k] = $1 } }
		function med(key,  n) { n = c[key]; if (!n) return -1
			return (n % 2) ? t[key, (n + 1) / 2] : (t[key, n / 2] + t[key, n / 2 + 1]) / 2 }
		END {
			split("pandoc-html pandoc-epub hugo-1page hugo-200pages", tools, " ")
			for (i = 1; i <= k; i++) for (j = 1; j <= 4; j++) {
				b = med(o[i] " build"); r = med(o[i] " " tools[j])
				if (b > 0 && r > 0) { printf "- %sx: build / %s = %.3fx\n", o[i], tools[j], b / r; shown = 1 }
			}
			if (!shown) print "- none ran"
		}'
	echo
	# The issue's targets, each with its measured value: met or NOT MET.
	echo "Targets:"
	sort -k1,1n -k2,2 -k3,3n "$raw" | awk -v counts="$work/counts" '
		{ key = $1 " " $2; t[key, ++c[key]] = $3; if ($4 > mem[key]) mem[key] = $4 }
		function med(key,  n) { n = c[key]; if (!n) return -1
			return (n % 2) ? t[key, (n + 1) / 2] : (t[key, n / 2] + t[key, n / 2 + 1]) / 2 }
		function ratio(a, b) { return med(a) > 0 && med(b) > 0 ? med(a) / med(b) : -1 }
		function show(what, v, limit, unit) {
			if (v < 0) { printf "- %s: not measured\n", what; return }
			printf "- %s: %.2f%s (target %s %.2f%s): %s\n", what, v, unit, "<=", limit, unit, v <= limit ? "met" : "NOT MET" }
		END {
			show("100x build --only html,epub,anki / floor", ratio("100 build", "100 floor"), 2, "x")
			show("100x check / floor", ratio("100 check", "100 floor"), 1.2, "x")
			if (mem["100 floor"] > 0) show("100x build peak memory / floor", mem["100 build"] / mem["100 floor"], 2.5, "x")
			show("1x build --only html,epub,anki / floor", ratio("1 build", "1 floor"), 2, "x")
			show("1x cards, nothing changed / floor", ratio("1 cards-unchanged", "1 floor"), 2, "x")
			show("1x cards, nothing changed, no list / floor", ratio("1 cards-unchanged-nolist", "1 floor"), 2, "x")
			show("1x whole build, nothing changed / floor", ratio("1 rebuild-all-unchanged", "1 floor"), 2, "x")
			show("growth 10x->100x, build", ratio("100 build", "10 build"), 11, "x")
			show("growth 10x->100x, check", ratio("100 check", "10 check"), 11, "x")
			if (c["1000 build"]) show("growth 100x->1000x, build", ratio("1000 build", "100 build"), 11, "x")
			while ((getline line < counts) > 0) { split(line, f, " ")
				if (f[2] == "cards-cold-latex-runs" && f[3] != 1) cold_bad = 1
				if (f[2] ~ /unchanged-latex-runs$/ && f[3] != 0) unch_bad = 1; seen = 1 }
			if (seen) printf "- LaTeX runs: cold 1, unchanged 0: %s\n", cold_bad || unch_bad ? "NOT MET" : "met"
		}'
	echo
	[ -n "$missing" ] && echo "Missing tools (rows left out):$missing" || echo "Missing tools: none"
} >"$results"
cat "$results"
