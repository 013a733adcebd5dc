#!/bin/sh
# deps.sh GROUP…: installs the Debian packages a group needs, if missing,
# saying what it installs. Groups: build (compile the generator), cards
# (typeset the flashcards), test (the validators and the browser), bench
# (the reference tools make bench compares against).
set -eu

want=""
for group in "$@"; do
	case "$group" in
	build) want="$want gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libzip-dev libssl-dev libyaml-dev libdeflate-dev zlib1g-dev libsqlite3-dev libmicrohttpd-dev libcairo2-dev libpango1.0-dev libfontconfig-dev librsvg2-dev webp-pixbuf-loader libjs-highlight.js" ;;
	cards) want="$want texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended lmodern texlive-luatex fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji poppler-utils" ;;
	test) want="$want python3 default-jre-headless epubcheck poppler-utils chromium nodejs npm valgrind fonts-dejavu-core libxml2-utils zipcmp unzip curl clang libclang-rt-14-dev calibre mandoc sqlite3" ;;
	bench) want="$want cmark-gfm pandoc hugo" ;;
	*) echo "deps.sh: unknown group '$group' (build, cards, test, bench)" >&2; exit 2 ;;
	esac
done

missing=""
for pkg in $want; do
	case " $missing " in *" $pkg "*) continue ;; esac
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*)
		# A tool present without its Debian package (node from elsewhere) is fine.
		case "$pkg" in
		nodejs) command -v node >/dev/null 2>&1 && continue ;;
		npm) command -v npm >/dev/null 2>&1 && continue ;;
		default-jre-headless) command -v java >/dev/null 2>&1 && continue ;;
		gcc) command -v cc >/dev/null 2>&1 && continue ;;
		make) command -v make >/dev/null 2>&1 && continue ;;
		esac
		missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "depthbook: installing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "depthbook: cannot install (not root, no sudo); please install:$missing" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || { echo "depthbook: apt-get update failed" >&2; exit 2; }
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "depthbook: apt-get install failed for:$missing" >&2; exit 2; }
echo "depthbook: installed$missing"
