# t_latex_sandbox.sh: even a theme whose LaTeX template itself tries to
# read or write outside pdflatex's private directory gets nowhere: no shell
# escape, openin_any=p and openout_any=p. Each attempt is put right after
# \begin{document} of a copy of the default theme's cards template. A read
# or write outside must be refused, which stops LaTeX (the build fails with
# exit 1; with openin_any=a the same read succeeds), no marker file may
# appear, and no secret may reach the output. \write18 is not an error
# without shell escape: there only the marker proves it did not run.
. tests/lib.sh
need pdflatex texlive-latex-base || exit 0
t=$(scratch)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/content" "$t/outside"
cp tests/hostile/ok.md "$t/content/guide.md"
echo "SECRET-$$-TOKEN" >"$t/outside/secret.tex"
marker=$t/outside/pwned
attempt() { # NAME WANT_STATUS(1 or any) LATEX
	name=$1 want=$2 latex=$3
	theme=$t/theme-$name
	rm -rf "$theme" && cp -r themes/default "$theme"
	printf '%s\n' "$latex" >"$t/inject.tex"
	sed -i "/\\\\begin{document}/r $t/inject.tex" "$theme/cards/cards.tex"
	grep -qF "$latex" "$theme/cards/cards.tex" || { fail "latex sandbox $name" "injection not in the template"; return; }
	rm -rf "$t/out-$name"
	"$DEPTHBOOK" build --only cards --theme "$theme" -o "$t/out-$name" "$t/content" >"$t/log-$name" 2>&1
	status=$?
	leaked=""
	[ -e "$marker" ] && leaked="a file was written outside"
	[ -e "$marker.tex" ] && leaked="a file was written outside"
	if [ -d "$t/out-$name" ] && grep -rqa "SECRET-$$-TOKEN" "$t/out-$name" 2>/dev/null; then leaked="the secret reached the output"; fi
	if [ -f "$t/out-$name/cards/guide-cards.pdf" ] && pdftotext "$t/out-$name/cards/guide-cards.pdf" - 2>/dev/null | grep -q "SECRET-$$-TOKEN"; then leaked="the secret was typeset"; fi
	[ "$want" = 1 ] && [ "$status" != 1 ] && leaked="LaTeX did not refuse it (exit $status)"
	if [ -z "$leaked" ]; then
		pass "latex sandbox $name (exit $status, nothing outside read or written)"
	else
		fail "latex sandbox $name" "$leaked; exit $status: $(head -2 "$t/log-$name")"
	fi
	rm -f "$marker" "$marker.tex"
}
attempt input-absolute 1 "\\input{$t/outside/secret.tex}"
attempt input-parent 1 "\\input{../../../../../../../../..$t/outside/secret.tex}"
attempt openin 1 "\\newread\\dbr \\openin\\dbr=$t/outside/secret.tex \\read\\dbr to\\dbline \\dbline"
attempt openout 1 "\\newwrite\\dbw \\immediate\\openout\\dbw=$marker.tex \\immediate\\write\\dbw{x}\\immediate\\closeout\\dbw"
attempt write18 any "\\immediate\\write18{touch $marker}"
attempt shell-input 1 "\\input{|\"touch $marker\"}"
