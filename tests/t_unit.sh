# t_unit.sh: the C unit tests (tests/unit/*_test.c), linked against the
# generator's objects: gen/obj in the plain pass, gen/obj-san in the
# sanitizer pass.
. tests/lib.sh
objdir=gen/obj
flags="-std=c11 -Wall -Wextra -Werror -O1 -g -rdynamic" # -rdynamic as gen/depthbook is linked (for the EPUB module)
if [ "$PASS" = valgrind ]; then
	runner="valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite,possible --log-file=$SANLOG/valgrind-unit.%p"
elif [ "$PASS" = san ]; then
	objdir=gen/obj-san
	flags="$flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	export ASAN_OPTIONS="log_path=$SANLOG/asan-unit:detect_leaks=1"
	export LSAN_OPTIONS="suppressions=$DB_ROOT/tests/lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS="log_path=$SANLOG/ubsan-unit:print_stacktrace=1:halt_on_error=1"
fi
mkdir -p tests/obj
pkgs=$(make -s --no-print-directory pkgs)
libs=$(pkg-config --libs $pkgs)
cflags=$(pkg-config --cflags $pkgs)
# the objects of today's sources: one left from a removed source would not link
objs=$(ls gen/*.c | grep -v '/main\.c$' | sed "s|^gen/\(.*\)\.c$|$objdir/\1.o|")
for src in tests/unit/*_test.c; do
	name=$(basename "$src" .c)
	bin="tests/obj/$name-$PASS"
	# shellcheck disable=SC2086
	if ! cc $flags $cflags "$src" $objs -o "$bin" $libs 2>"$bin.log"; then
		fail "unit $name builds" "$(head -5 "$bin.log")"
		continue
	fi
	# shellcheck disable=SC2086
	out=$(${runner:-} "$bin" 2>&1)
	status=$?
	echo "$out" | sed "s/^PASS /PASS $(tag)/; s/^FAIL /FAIL $(tag)/" | grep -E '^(PASS|FAIL) '
	if [ $status -ne 0 ] && ! echo "$out" | grep -q '^FAIL '; then
		fail "unit $name exits cleanly" "status $status: $(echo "$out" | tail -3)"
	fi
done
