/* stamp_test.c: the inputs hash (gen/stamp.c) is FNV-1a 64, keeps string
 * boundaries, and finds this executable's build ID; hash.h's FNV-1a 32 too. */
#include "../../gen/stamp.h"
#include "check.h"

int main(void)
{
	/* FNV-1a 64 reference values: "" and "a" */
	CHECK("the empty input hashes to the offset basis", stamp_add(STAMP_START, "", 0) == 0xcbf29ce484222325ULL);
	CHECK("\"a\" hashes to FNV-1a's value", stamp_add(STAMP_START, "a", 1) == 0xaf63dc4c8601ec8cULL);
	/* and FNV-1a 32's (hash.h), which the EPUB cover's hue takes */
	CHECK("\"a\" hashes to FNV-1a 32's value", fnv1a32(FNV1A32_OFFSET, "a", 1) == 0xe40c292cu);
	uint64_t ab_c = stamp_add_str(stamp_add_str(STAMP_START, "ab"), "c");
	uint64_t a_bc = stamp_add_str(stamp_add_str(STAMP_START, "a"), "bc");
	CHECK("strings keep their boundaries", ab_c != a_bc);
	CHECK("NULL differs from the empty string", stamp_add_str(STAMP_START, NULL) != stamp_add_str(STAMP_START, ""));
	uint64_t h = STAMP_START;
	CHECK("the executable has a build ID", stamp_add_build(&h) == 0 && h != STAMP_START);
	uint64_t again = STAMP_START;
	stamp_add_build(&again);
	CHECK("the build ID is the same on every call", h == again);
	return check_failures != 0;
}
