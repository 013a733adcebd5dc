/* typeset.h: running pdflatex or lualatex on one document in a private
 * temporary directory, where the document can neither run commands nor
 * read or write files outside that directory (for lualatex, the document
 * itself opens with the Lua fence cards.c writes). */
#ifndef DEPTHBOOK_TYPESET_H
#define DEPTHBOOK_TYPESET_H

#include <stddef.h>

/* 1 if engine ("pdflatex", "lualatex") is on PATH. */
int typeset_available(const char *engine);

struct typeset_result {
	int ok;          /* 1 when pdflatex exited 0 and wrote a PDF */
	char *pdf;       /* the PDF, or NULL */
	size_t pdf_len;
	char *log;       /* the log (possibly empty), never NULL after typeset_run */
};

/* A file the document reads, written beside it before the run: name (a
 * plain file name), its bytes data (len of them) or, when data is NULL,
 * a copy of the file at path. */
struct typeset_file {
	char *name;
	char *path;
	char *data;
	size_t len;
};

/* Typesets tex once with engine, -no-shell-escape -halt-on-error, openin_any=p and
 * openout_any=p, TEXMFOUTPUT unset, SOURCE_DATE_EPOCH=date, in a fresh
 * mkdtemp directory that is removed afterwards, with the nfiles files
 * copied into it first (a file that cannot be copied is a DIAG_INTERNAL
 * diagnostic and -1). Fills r (free with
 * typeset_result_free). Returns 0, or -1 if no child could be made or
 * waited for (after a DIAG_INTERNAL diagnostic); an engine that cannot be
 * run exits 127 in the child, which is r->ok 0 with its log. */
int typeset_run(const char *engine, const char *tex, size_t len, long long date, const struct typeset_file *files,
                size_t nfiles, struct typeset_result *r);
void typeset_result_free(struct typeset_result *r);

#endif
