/* fmt.h: `depthbook fmt [--check] [--keep-variants] FILE…`, the canonical
 * rewrite of guides in place (see fmt.c). */
#ifndef DEPTHBOOK_FMT_H
#define DEPTHBOOK_FMT_H

/* Runs fmt on argv[0..argc) (options and files, without "fmt" itself).
 * Returns the exit status: 0 formatted (or already canonical), 1 with
 * --check when a file is not canonical (its diff printed) or when a file's
 * bytes are refused as check refuses them (nothing is rewritten then), 2
 * on a usage error or an unreadable or unwritable file. */
int fmt_main(int argc, char **argv);

#endif
