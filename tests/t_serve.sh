#!/bin/sh
# t_serve.sh: depthbook serve on a copy of the seed. It listens on 127.0.0.1
# only, says where, takes the next port when one is taken, builds into a
# private directory (not the project's out/) and removes it on SIGINT; it
# serves files under the site only (.., encoded traversal, symlinks out and
# absolute paths get 404; methods other than GET and HEAD get 405); and in
# Chromium an edit shows up in the open page without a reload (median time
# printed, ≤ 300 ms), a breaking edit shows the overlay, fixing it removes it.
# Every server runs under timeout(1), every wait is bounded.
set -u
cd "$DB_ROOT" || exit 2
. tests/lib.sh
t=$(scratch)
pids=""
trap 'for p in $pids; do kill -INT "$p" 2>/dev/null; done; rm -rf "$t"' EXIT
need curl curl || exit 0

mkdir -p "$t/proj/content" "$t/tmp"
cp content/ops-architecture-deep-dive.md "$t/proj/content/"
# the project's own theme, beside the content, so the test may edit it
mkdir -p "$t/proj/themes" && cp -r themes/default "$t/proj/themes/default"
guide="$t/proj/content/ops-architecture-deep-dive.md"

# start NAME ARGS…: runs serve in $t/proj under timeout, its first line of
# stdout ("depthbook: serving URL; building into DIR …") into $t/NAME.line
# and its stderr into $t/NAME.log; sets $pid and $url (empty on failure).
start() {
	name=$1
	shift
	rm -f "$t/$name.fifo"
	mkfifo "$t/$name.fifo"
	(cd "$t/proj" && TMPDIR="$t/tmp" exec timeout -s KILL 300 "$DEPTHBOOK" serve "$@" >"$t/$name.fifo" 2>"$t/$name.log") &
	pid=$!
	pids="$pids $pid"
	timeout 30 head -1 "$t/$name.fifo" >"$t/$name.line"
	url=$(sed -n 's/^depthbook: serving \(http:[^ ;]*\).*/\1/p' "$t/$name.line")
}

# stop PID: SIGINT, then its exit status (the timeout kills it at worst).
stop() {
	kill -INT "$1"
	wait "$1"
}

start main --port 0
[ -n "$url" ] && pass "serve: starts and says where ($url)" ||
	fail "serve: start" "$(cat "$t/main.line" "$t/main.log" | head -5)"
port=${url#http://127.0.0.1:}
port=${port%/}
case $url in
http://127.0.0.1:*/) pass "serve: the address is 127.0.0.1" ;;
*) fail "serve: address" "[$url]" ;;
esac
if command -v ss >/dev/null 2>&1; then
	listen=$(ss -ltnH "sport = :$port" | awk '{print $4}' | sort -u | tr '\n' ' ')
	expect "serve: it listens on 127.0.0.1 only" "127.0.0.1:$port " "$listen"
fi
dir=$(sed -n 's/.*; building into \([^,]*\), watching.*/\1/p' "$t/main.line")
case $dir in
"$t/tmp/"*) pass "serve: it builds into a private directory under TMPDIR" ;;
*) fail "serve: build directory" "[$dir]" ;;
esac
[ ! -e "$t/proj/out" ] && pass "serve: the project's out/ is not touched" || fail "serve: out/" "created"

code() { curl -s -o "$t/body" -w '%{http_code}' "$@"; }
expect "serve: GET / is the library" 200 "$(code "$url")"
expect "serve: GET a question page" 200 "$(code "${url}ops-architecture-deep-dive/q1.html")"
grep -q '<script src="/__depthbook/live.js" data-gen="1"></script>' "$t/body" &&
	pass "serve: pages carry the live script" || fail "serve: live script" "not in q1.html"
expect "serve: a directory named without its slash redirects" 301 "$(code "${url}ops-architecture-deep-dive")"
expect "serve: a missing file is 404" 404 "$(code "${url}nothing.html")"

# Traversal, in every spelling, deep enough to reach / from the site
# directory; none may show /etc/passwd.
up=""
dots=""
slashes=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	up="$up../"
	dots="$dots%2e%2e/"
	slashes="$slashes..%2f"
done
for target in "/${up}etc/passwd" "/${dots}etc/passwd" "/${slashes}etc%2fpasswd" \
	"/%2fetc%2fpasswd" "//etc/passwd" "/assets/${up}etc/passwd" "/$(echo "$dots" | sed 's|/|%5c|g')etc%5cpasswd"; do
	c=$(curl -s --path-as-is -o "$t/body" -w '%{http_code}' "http://127.0.0.1:$port$target")
	if [ "$c" = 404 ] && ! grep -q 'root:' "$t/body"; then
		pass "serve: $(echo "$target" | cut -c1-40)… is 404"
	else
		fail "serve: $(echo "$target" | cut -c1-40)…" "status $c$(grep -q 'root:' "$t/body" && echo ', /etc/passwd shown')"
	fi
done
c=$(curl -s -o "$t/body" -w '%{http_code}' --request-target "http://127.0.0.1:$port/${up}etc/passwd" "$url")
expect "serve: an absolute-form request target is 404" "404 no" "$c $(grep -q 'root:' "$t/body" && echo yes || echo no)"

# Methods.
for m in POST PUT DELETE OPTIONS PATCH; do
	c=$(curl -s -D "$t/head" -o /dev/null -w '%{http_code}' -X "$m" "$url")
	expect "serve: $m is 405 with Allow: GET, HEAD" "405 1" "$c $(grep -ci '^allow: GET, HEAD' "$t/head")"
done
c=$(curl -s -I -o "$t/head" -w '%{http_code}' "${url}assets/site.css")
expect "serve: HEAD is 200" 200 "$c"

# A second server on the same port takes the next free one and says so.
start second --port "$port"
case "$url" in
"http://127.0.0.1:$port/" | "") fail "serve: a taken port" "[$url] $(cat "$t/second.line")" ;;
*) grep -q "port $port was taken" "$t/second.line" && pass "serve: a taken port: the next free one, and it says so ($url)" ||
	fail "serve: a taken port" "$(cat "$t/second.line")" ;;
esac
second=$pid
dir2=$(sed -n 's/.*; building into \([^,]*\), watching.*/\1/p' "$t/second.line")
stop "$second"
st=$?
expect "serve: SIGINT stops it with status 0" 0 "$st"
[ -n "$dir2" ] && [ ! -e "${dir2%/out}" ] && pass "serve: ... and removes its private directory" ||
	fail "serve: private directory after SIGINT" "[$dir2] still there"

# --open runs xdg-open on the address (a stand-in on PATH says what it got).
mkdir -p "$t/bin" && mkfifo "$t/opened"
printf '#!/bin/sh\necho "$1" >"%s"\n' "$t/opened" >"$t/bin/xdg-open" && chmod +x "$t/bin/xdg-open"
PATH="$t/bin:$PATH" start opener --port 0 --open
opened=$(timeout 20 cat "$t/opened")
expect "serve: --open opens the address it serves" "$url" "$opened"
stop "$pid" >/dev/null 2>&1

# Symbolic links out of the site (with -o, a site directory we can plant in).
start outdir --port 0 -o "$t/served"
if [ -n "$url" ] && [ -d "$t/served/site" ]; then
	ln -s /etc/passwd "$t/served/site/passwd.txt"
	ln -s /etc "$t/served/site/etc"
	for target in /passwd.txt /etc/passwd; do
		c=$(curl -s -o "$t/body" -w '%{http_code}' "$url${target#/}")
		expect "serve: a symbolic link out of the site ($target) is 404" "404 no" \
			"$c $(grep -q 'root:' "$t/body" && echo yes || echo no)"
	done
	[ -f "$t/served/site/index.html" ] && pass "serve: -o builds into the directory given" ||
		fail "serve: -o" "no site in $t/served"
else
	fail "serve: -o" "did not start: $(cat "$t/outdir.log" | head -3)"
fi
stop "$pid" >/dev/null 2>&1

# The event stream, in both passes: edit, break, fix.
if need node nodejs; then
	node tests/serve/events.js "http://127.0.0.1:$port/" "$guide" "$t/proj/themes/default/site/site.css" | sed "s/^\(PASS\|FAIL\) /\1 $(tag)/"
	grep -q 'ops-architecture-deep-dive.md:[0-9]*:[0-9]*: error: .*\[depth-sequence\]' "$t/main.log" &&
		pass "serve: the terminal printed the failing build's diagnostics" ||
		fail "serve: the terminal prints the failing build's diagnostics" "$(head -3 "$t/main.log")"
fi

# The browser: live updates, their time, the overlay.
if need node nodejs && need /usr/bin/chromium chromium &&
	need tests/node_modules/playwright-core "npm playwright-core (make test-deps)"; then
	if checked; then
		echo "serve: the Chromium run is in the plain pass only"
	else
		echo "serve: Chromium, 20 edits of the seed (once, plain pass)"
		node tests/serve/live.js "http://127.0.0.1:$port/" "$guide" ops-architecture-deep-dive tests/obj/serve-shots
	fi
fi
stop "$(echo $pids | cut -d' ' -f1)"
expect "serve: SIGINT stops the first server with status 0" 0 "$?"
[ -n "$dir" ] && [ ! -e "${dir%/out}" ] && pass "serve: ... and its private directory is gone" ||
	fail "serve: private directory" "[$dir] still there"
pids=""
