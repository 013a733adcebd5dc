#!/bin/sh
# bench.sh: `make bench`. Times depthbook against the parsing floor
# (the cmark-gfm CLI with depthbook's extensions and --smart, over the same
# files in one process) and, when installed, pandoc and Hugo, on the seed
# guide repeated 1x, 10x, 100x and 1000x (BENCH_1000=0 leaves 1000x out),
# on a library of 100 seed-sized guides, and on the rebuilds of issue #16:
# one word edited in one guide of 20, one guide of 4 edited for the cards.
# Commands alternate round by round so that machine noise hits them alike;
# each row gives the median and min-max wall time, the ratio of medians to
# the floor of the same size, peak memory and CPU time (user + system, the
# workers' included). Each run is timed by tests/bench/runtime.c (fork,
# exec, wait4), so no timer's start-up sits in the small sizes' figures.
# Writes out/bench/results.md.
set -u
cd "$(dirname "$0")/../.." || exit 2
DB=${DEPTHBOOK:-$PWD/gen/depthbook}
ROUNDS=${ROUNDS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/depthbook-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p out/bench
${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$work/runtime" tests/bench/runtime.c || exit 2
results=out/bench/results.md
raw="$work/raw" # lines: size name microseconds peak_kb cpu_microseconds
: >"$raw"

sizes="1 10 100 1000"
[ "${BENCH_1000:-}" = 0 ] && sizes="1 10 100"
for n in $sizes; do
	mkdir -p "$work/g$n"
	tests/bench/scale.sh "$n" "$work/g$n/guide.md"
done

# libraries of seed-sized guides with different slugs: 100 (a cold build),
# 20 (one word edited), 4 (one guide's cards edited)
for size in 100 20 4; do
	mkdir -p "$work/lib$size"
	i=1
	while [ $i -le $size ]; do
		cp "$work/g1/guide.md" "$work/lib$size/guide-$(printf %03d $i).md"
		i=$((i + 1))
	done
done

missing=""
# BENCH_SKIP="pandoc hugo" leaves reference tools out (a quick run).
have() {
	case " ${BENCH_SKIP:-} " in *" $1 "*) case $missing in *"$1 (skipped)"*) ;; *) missing="$missing $1 (skipped)" ;; esac; return 1 ;; esac
	command -v "$1" >/dev/null 2>&1 || { case $missing in *" $1"*) ;; *) missing="$missing $1" ;; esac; return 1; }
}
# The floor: the cmark-gfm command, else tests/bench/floor.c, the same
# library calls as the command's main (said so in the results).
if have cmark-gfm; then
	floor_is="the cmark-gfm command"
else
	floor_is="tests/bench/floor.c (the cmark-gfm command's library calls; the command is not installed)"
	${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$work/floor" tests/bench/floor.c \
		$(pkg-config --cflags --libs libcmark-gfm) -lcmark-gfm-extensions || exit 2
fi
if [ -z "${floor_is##the cmark-gfm command}" ]; then
	FLOOR="cmark-gfm --smart -e table -e strikethrough -e autolink -e tagfilter -e tasklist"
else
	FLOOR="$work/floor"
fi
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

# A whole build of the seed, for the rebuild with nothing changed; the
# library of 20 and the cards of 4, built once before their edits.
[ -n "$real_pdflatex" ] && "$DB" build -o "$work/full1" "$work/g1" >/dev/null 2>&1
"$DB" build --only html,epub,anki -o "$work/o20" "$work/lib20" >/dev/null 2>&1
if [ -n "$real_pdflatex" ]; then
	rm -f "$work/latex-runs"
	PATH="$work/shim:$PATH" "$DB" build --only cards -o "$work/c4" "$work/lib4" >/dev/null 2>&1
	echo "1 cards-cold-4guides-latex-runs $(wc -l <"$work/latex-runs" 2>/dev/null || echo 0)" >>"$work/counts"
fi

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
	read -r us kb _ cpu <"$work/time" 2>/dev/null || { us=0 kb=0 cpu=0; }
	if [ $status -ne 0 ]; then
		echo "bench: '$name' at ${size}x failed (exit $status):" >&2
		tail -3 "$work/err" >&2
		name="$name(FAILED)" # a failed run is marked in the table, never timed as a success
	fi
	echo "$size $name $us $kb $cpu" >>"$raw"
}

for n in $sizes lib; do
	g="$work/g$n"
	rounds=$ROUNDS
	[ "$n" = lib ] || [ "$n" -ge 100 ] && rounds=$(( ROUNDS < 5 ? ROUNDS : 5 ))
	[ "$n" != lib ] && [ "$n" -ge 1000 ] && rounds=3
	echo "bench: $n, $rounds rounds" >&2
	r=0
	while [ $r -lt "$rounds" ]; do
		if [ "$n" = lib ]; then
			# 100 seed-sized guides: the floor parses them in one process
			run 100g floor $FLOOR "$work/lib100"/*.md
			run 100g check "$DB" check "$work/lib100"
			rm -rf "$work/olib"
			run 100g build "$DB" build --only html,epub,anki -o "$work/olib" "$work/lib100"
			rm -rf "$work/olib"
			DEPTHBOOK_JOBS=1 run 100g build-1job "$DB" build --only html,epub,anki -o "$work/olib" "$work/lib100"
			# each output alone: what each costs of the build
			for o in html epub anki; do
				rm -rf "$work/olib"
				run 100g "only-$o" "$DB" build --only "$o" -o "$work/olib" "$work/lib100"
			done
			r=$((r + 1))
			continue
		fi
		run "$n" floor $FLOOR "$g/guide.md"
		run "$n" check "$DB" check "$g"
		# what smart punctuation (on by default) costs the parse
		[ "$n" -le 100 ] && run "$n" check-nosmart "$DB" check --no-smart "$g"
		rm -rf "$work/o$n"
		run "$n" build "$DB" build --only html,epub,anki -o "$work/o$n" "$g"
		# the same again, nothing changed: plan.c finds out/ current
		run "$n" rebuild-unchanged "$DB" build --only html,epub,anki -o "$work/o$n" "$g"
		if [ "$n" = 100 ]; then
			rm -rf "$work/o$n"
			DEPTHBOOK_JOBS=1 run "$n" build-1job "$DB" build --only html,epub,anki -o "$work/o$n" "$g"
		fi
		if [ "$n" = 1 ]; then
			# each output alone: what each costs of the build
			for o in html epub anki; do
				rm -rf "$work/o$n"
				run "$n" "only-$o" "$DB" build --only "$o" -o "$work/o$n" "$g"
			done
			# one word of one guide of 20, against the one-guide cold build
			sed -i "s/Dashboards look [A-Za-z0-9]*/Dashboards look r$r/" "$work/lib20/guide-007.md"
			run 1 edit-1-of-20 "$DB" build --only html,epub,anki -o "$work/o20" "$work/lib20"
		fi
		if [ "$n" = 1 ] && [ -n "$real_pdflatex" ]; then
			rm -rf "$work/c1" "$work/latex-runs"
			PATH="$work/shim:$PATH" run 1 cards-cold "$DB" build --only cards -o "$work/c1" "$g"
			echo "1 cards-cold-latex-runs $(wc -l <"$work/latex-runs" 2>/dev/null || echo 0)" >>"$work/counts"
			rm -f "$work/latex-runs"
			PATH="$work/shim:$PATH" run 1 cards-unchanged "$DB" build --only cards -o "$work/c1" "$g"
			echo "1 cards-unchanged-latex-runs $( [ -f "$work/latex-runs" ] && wc -l <"$work/latex-runs" || echo 0)" >>"$work/counts"
			# the whole build (site, EPUB, cards, deck), nothing changed
			rm -f "$work/latex-runs"
			PATH="$work/shim:$PATH" run 1 rebuild-all-unchanged "$DB" build -o "$work/full1" "$g"
			echo "1 rebuild-all-unchanged-latex-runs $( [ -f "$work/latex-runs" ] && wc -l <"$work/latex-runs" || echo 0)" >>"$work/counts"
			# one guide of four edited: its cards alone are typeset again
			rm -f "$work/latex-runs"
			sed -i "s/Dashboards look [A-Za-z0-9]*/Dashboards look r$r/" "$work/lib4/guide-003.md"
			PATH="$work/shim:$PATH" run 1 cards-edit-1-of-4 "$DB" build --only cards -o "$work/c4" "$work/lib4"
			echo "1 cards-edit-1-of-4-latex-runs $( [ -f "$work/latex-runs" ] && wc -l <"$work/latex-runs" || echo 0)" >>"$work/counts"
		fi
		if have pandoc 2>/dev/null && [ "$n" -le 100 ]; then
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

# The table: median, min-max, ratio of medians to the floor, peak memory,
# median CPU time. Sizes: 1x, 10x … the seed repeated; 100g the library of
# 100 seed-sized guides.
{
	echo "# depthbook benchmark"
	echo
	echo "Machine: $(nproc) cores, $(uname -m); $(date -u +%Y-%m-%d); command: \`make bench\` (ROUNDS=$ROUNDS${BENCH_SKIP:+, BENCH_SKIP=\"$BENCH_SKIP\"}${BENCH_1000:+, BENCH_1000=$BENCH_1000})."
	echo "Wall times in ms: median (min-max) over alternating rounds; ratio = median / floor median at the same size."
	echo "The floor: $floor_is, with --smart and the extensions table, strikethrough, autolink, tagfilter, tasklist, over the same files in one process."
	echo "\"build\" is \`build --only html,epub,anki\` into an empty directory; build-1job the same with DEPTHBOOK_JOBS=1; only-html, only-epub and only-anki each output alone."
	echo
	echo "| size | command | median ms | min-max ms | x floor | peak MB | CPU ms |"
	echo "|---|---|---|---|---|---|---|"
	sort -k1,1n -k2,2 -k3,3n "$raw" | awk '
		{ key = $1 " " $2; t[key, ++c[key]] = $3; u[key, c[key]] = $5; if ($4 > mem[key]) mem[key] = $4
		  if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
		END {
			for (i = 1; i <= k; i++) {
				key = order[i]; n = c[key]
				m[key] = (n % 2) ? t[key, (n + 1) / 2] : (t[key, n / 2] + t[key, n / 2 + 1]) / 2
				# CPU times, sorted apart from the wall times
				for (a = 1; a <= n; a++) v[a] = u[key, a]
				for (a = 2; a <= n; a++) for (b = a; b > 1 && v[b - 1] > v[b]; b--) { x = v[b]; v[b] = v[b - 1]; v[b - 1] = x }
				cpu[key] = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			}
			for (i = 1; i <= k; i++) {
				key = order[i]; split(key, p, " "); n = c[key]
				fl = m[p[1] " floor"]
				size = p[1] ~ /g$/ ? p[1] : p[1] "x"
				printf "| %s | %s | %.1f | %.1f-%.1f | %.2f | %.1f | %.1f |\n", size, p[2], m[key] / 1000, t[key, 1] / 1000, t[key, n] / 1000, fl ? m[key] / fl : 0, mem[key] / 1024, cpu[key] / 1000
			}
			for (key in cpu) print key, cpu[key] > "/dev/stderr"
		}' 2>"$work/cpu"
	echo
	if [ -f "$work/counts" ]; then
		echo "LaTeX runs per cards build (pdflatex shim on PATH):"
		for what in cards-cold cards-unchanged rebuild-all-unchanged cards-cold-4guides cards-edit-1-of-4; do
			echo "- $what: $(grep " $what-latex-runs " "$work/counts" | awk '{print $3}' | sort -u | tr '\n' ' ')"
		done
		echo
	fi
	echo "Growth (median ratio between sizes):"
	for name in floor check build; do
		# sorted by size, then time, so that the middle value is the median
		sort -k1,1n -k3,3n "$raw" | awk -v name="$name" '$2 == name && $1 !~ /g$/ { t[$1, ++c[$1]] = $3; if (!($1 in s)) { s[$1] = 1; o[++k] = $1 } }
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
	# The targets of issue #16, each with its measured value: met or NOT MET.
	echo "Targets (issue #16), each as measured:"
	echo
	echo "| case | measured | target | |"
	echo "|---|---|---|---|"
	sort -k1,1n -k2,2 -k3,3n "$raw" | awk -v counts="$work/counts" -v cpufile="$work/cpu" '
		{ key = $1 " " $2; t[key, ++c[key]] = $3 }
		function med(key,  n) { n = c[key]; if (!n) return -1
			return (n % 2) ? t[key, (n + 1) / 2] : (t[key, n / 2] + t[key, n / 2 + 1]) / 2 }
		function ratio(a, b) { return med(a) > 0 && med(b) > 0 ? med(a) / med(b) : -1 }
		function cpuratio(a, b) { return cpu[a] > 0 && cpu[b] > 0 ? cpu[a] / cpu[b] : -1 }
		function show(what, v, limit, unit) {
			if (v < 0) { printf "| %s | not measured | <= %.2f%s | |\n", what, limit, unit; return }
			printf "| %s | %.2f%s | <= %.2f%s | %s |\n", what, v, unit, limit, unit, v <= limit ? "met" : "NOT MET" }
		END {
			while ((getline line < cpufile) > 0) { split(line, f, " "); cpu[f[1] " " f[2]] = f[3] }
			show("library of 100 seed-sized guides, cold build / floor", ratio("100g build", "100g floor"), 1.3, "x")
			show("one 100x guide, cold build / floor", ratio("100 build", "100 floor"), 1.6, "x")
			show("one seed guide, cold build / floor", ratio("1 build", "1 floor"), 2.5, "x")
			show("CPU time of the 100x cold build / the floor'"'"'s", cpuratio("100 build", "100 floor"), 2.5, "x")
			show("edit one word in one guide of 20, rebuild / one-guide cold build", ratio("1 edit-1-of-20", "1 build"), 1.5, "x")
			runs = -1
			while ((getline line < counts) > 0) { split(line, f, " ")
				if (f[2] == "cards-edit-1-of-4-latex-runs" && f[3] + 0 > runs) runs = f[3] + 0 }
			if (runs < 0) printf "| edit one guide of 4, cards: LaTeX runs | not measured (no pdflatex) | 1 | |\n"
			else printf "| edit one guide of 4, cards: LaTeX runs | %d (most in any round) | 1 | %s |\n", runs, runs <= 1 ? "met" : "NOT MET"
			show("growth 100x -> 1000x, cold build", ratio("1000 build", "100 build"), 10.5, "x")
		}'
	echo
	[ -n "$missing" ] && echo "Missing tools (rows left out):$missing" || echo "Missing tools: none"
} >"$results"
cat "$results"
