# t_fuzz.sh: the libFuzzer target (tests/fuzz/fuzz_pipeline.c, built with
# clang, ASan and UBSan) replays every regression input in
# tests/fuzz/regress/ and then fuzzes the seeded corpus for FUZZ_TEST_SECONDS
# (default 30). It is sanitized already, so it runs in the plain pass only.
. tests/lib.sh
plain_only "the fuzz target (clang, sanitized already)" || exit 0
need clang clang || exit 0
# fontconfig's caches live as long as the process (tests/lsan.supp)
export LSAN_OPTIONS="suppressions=$DB_ROOT/tests/lsan.supp:print_suppressions=0"
mkdir -p tests/obj
if ! make -s tests/obj/fuzz_pipeline >tests/obj/fuzz-build.log 2>&1; then
	fail "fuzz target builds" "$(tail -5 tests/obj/fuzz-build.log)"
	exit 0
fi
pass "fuzz target builds"
for input in tests/fuzz/regress/*; do
	[ -f "$input" ] || continue
	if ./tests/obj/fuzz_pipeline "$input" >tests/obj/fuzz-replay.log 2>&1; then
		pass "fuzz regression $(basename "$input")"
	else
		fail "fuzz regression $(basename "$input")" "$(grep -m3 -E 'ERROR|SUMMARY|not well' tests/obj/fuzz-replay.log)"
	fi
done
corpus=$(scratch)
./tests/fuzz/corpus.sh "$corpus"
# A fixed seed: the same mutations every run, so CI cannot fail by chance
# on a find nobody made; the campaign (make fuzz) is where new finds come from.
echo "fuzzing ${FUZZ_TEST_SECONDS:-30}s with -seed=1"
if ./tests/obj/fuzz_pipeline -seed=1 -max_total_time="${FUZZ_TEST_SECONDS:-30}" -max_len=1048576 -timeout=10 \
	-artifact_prefix=tests/obj/ "$corpus" >tests/obj/fuzz-run.log 2>&1; then
	pass "fuzz ${FUZZ_TEST_SECONDS:-30}s: $(grep -E '^Done [0-9]+ runs' tests/obj/fuzz-run.log)"
else
	fail "fuzz ${FUZZ_TEST_SECONDS:-30}s" "$(grep -m3 -E 'ERROR|SUMMARY|not well|Test unit written' tests/obj/fuzz-run.log)"
fi
rm -rf "$corpus"
