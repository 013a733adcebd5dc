# t_latex_sandbox.sh: even a theme whose LaTeX template itself tries to
# read or write outside pdflatex's private directory gets nowhere: no shell
# escape, openin_any=p and openout_any=p. Each attempt is put right after
# \begin{document} of a copy of the default theme's cards template. A read
# or write outside must be refused, which stops LaTeX (the build fails with
# exit 1; with openin_any=a the same read succeeds), no marker file may
# appear, and no secret may reach the output. \write18 is not an error
# without shell escape: there only the marker proves it did not run.
# The same holds under LuaLaTeX (a guide with a CJK character), where
# the document's Lua is fenced in as well: io, os, lfs, debug and
# HarfBuzz's file reader cannot reach outside.
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
	"$DEPTHBOOK" build --only cards --theme "$theme" -o "$t/out-$name" "${content:-$t/content}" >"$t/log-$name" 2>&1
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

# LuaLaTeX: once in the plain pass (each run costs seconds; the sanitizer
# pass runs the same generator code as the attempts above).
if [ "${PASS:-plain}" = plain ] && need lualatex texlive-luatex; then
	mkdir -p "$t/cjk"
	sed 's/Main answer\./Main answer: 漢字./' tests/hostile/ok.md >"$t/cjk/guide.md"
	content=$t/cjk
	attempt lualatex-input-absolute 1 "\\input{$t/outside/secret.tex}"
	attempt lualatex-openout 1 "\\newwrite\\dbw \\immediate\\openout\\dbw=$marker.tex \\immediate\\write\\dbw{x}\\immediate\\closeout\\dbw"
	# every Lua way out in one document; each would leave the marker or
	# print the secret
	attempt lualatex-lua any "\\directlua{
  local f = io.open('$t/outside/secret.tex') if f then tex.print(f:read('*a')) end
  for l in pcall(io.lines, '$t/outside/secret.tex') and io.lines('$t/outside/secret.tex') or function() end do tex.print(l) end
  local w = io.open('$marker', 'w') if w then w:write('x') w:close() end
  if os.execute then os.execute('touch $marker') end
  if io.popen then io.popen('touch $marker') end
  if lfs.mkdir then lfs.mkdir('$marker') end
  if lfs.touch then lfs.touch('$marker') end
  if os.rename then os.rename('$t/outside/secret.tex', '$marker') end
  if debug.getupvalue then local _, real = debug.getupvalue(io.open, 1) if type(real) == 'function' then local g = real('$t/outside/secret.tex') if g then tex.print(g:read('*a')) end end end
  local ok, hb = pcall(require, 'luaharfbuzz')
  if ok and hb.Blob then local b = hb.Blob.new_from_file('$t/outside/secret.tex') if b then tex.print(b:get_data()) end end
  local okl, chunk = pcall(loadfile, '$t/outside/secret.tex') if okl and chunk then tex.print('LOADED') end
}"
	[ -e "$t/outside/secret.tex" ] && pass "latex sandbox lualatex: the secret is still in place" ||
		fail "latex sandbox lualatex: the secret is still in place" "it was moved"
	content=""
fi
