/* diag.h: every diagnostic depthbook prints goes through diag_report().
 * Messages live in one table indexed by enum diag_id; the severity follows
 * from the enum's range (warnings, then errors, then environment errors). */
#ifndef DEPTHBOOK_DIAG_H
#define DEPTHBOOK_DIAG_H

#include <stddef.h>

enum diag_id {
	/* warnings */
	DIAG_DEPTH_LEVEL,
	DIAG_STRAY_HEADING,
	DIAG_LINK_MOVED,
	DIAG_RAW_HTML,
	DIAG_WARNING_MAX,
	/* content errors: exit 1 */
	DIAG_UTF8,
	DIAG_UTF16,
	DIAG_TABLE_SIZE,
	DIAG_NUL,
	DIAG_CONTROL,
	DIAG_FRONT_MATTER,
	DIAG_TITLE_MISSING,
	DIAG_TITLE_DUPLICATE,
	DIAG_TITLE_LATE,
	DIAG_SECTION_HEADING,
	DIAG_SECTION_SEQUENCE,
	DIAG_QUESTION_HEADING,
	DIAG_QUESTION_OUTSIDE,
	DIAG_QUESTION_SEQUENCE,
	DIAG_ANSWER_MISSING,
	DIAG_ANSWER_EMPTY,
	DIAG_DEPTH_OUTSIDE,
	DIAG_DEPTH_SEQUENCE,
	DIAG_QA_MISSING,
	DIAG_QA_DUPLICATE,
	DIAG_QA_ORDER,
	DIAG_QA_EMPTY,
	DIAG_LINK_TARGET,
	DIAG_LINK_GUIDE,
	DIAG_LINK_SLUG,
	DIAG_LINK_OUTSIDE,
	DIAG_LINK_MISSING,
	DIAG_LINK_NOT_FILE,
	DIAG_LINK_UNSAFE,
	DIAG_MATH_COMMAND,
	DIAG_GUIDE_SLUG,
	DIAG_GUIDE_ID,
	DIAG_LINK_CLASH,
	DIAG_GUIDE_RESERVED,
	DIAG_GUIDE_OUTSIDE,
	DIAG_MATH_CARET,
	DIAG_NESTING,
	DIAG_CARDS_LATEX,
	DIAG_CARDS_CHAR,
	DIAG_CARDS_OVERFULL,
	DIAG_CARDS_IMAGE,
	DIAG_EPUB_IMAGE,
	DIAG_DEPTH_HEADING,
	DIAG_DEPTH_UNNAMED,
	DIAG_DEPTH_LEFT_OUT,
	DIAG_DEPTH_NESTED,
	DIAG_HEADING_SPACE,
	DIAG_UNIT_ID,
	DIAG_MATH_NESTING,
	DIAG_ERROR_MAX,
	/* environment errors: exit 2 */
	DIAG_READ,
	DIAG_INTERNAL,
	DIAG_CARDS_NO_LATEX,
	DIAG_MAX
};

enum diag_level { DIAG_LEVEL_WARNING, DIAG_LEVEL_ERROR, DIAG_LEVEL_FATAL };

/* Records one diagnostic; the message is the table's format for id filled
 * with the arguments. line and col are 1-based; 0 means "the whole file". */
void diag_report(enum diag_id id, const char *file, int line, int col, ...);

/* Prints every recorded diagnostic sorted by file, line and column, then a
 * summary "N errors, M warnings" (when quiet is 0 and anything was seen or
 * always is set), and forgets them. Returns the exit status they call for:
 * 0 clean, 1 content errors (or warnings when werror), 2 environment errors. */
int diag_flush(int werror, int always);

/* Writes every recorded diagnostic to fd (a worker's memory file, which
 * its parent reads once the worker is done: parallel.c) and forgets them. Returns 0, or -1 when the write failed. */
int diag_send(int fd);
/* Reads diagnostics that diag_send wrote until end of input and records
 * them. Returns 0, or -1 on malformed or short input. */
int diag_receive(int fd);

/* --quiet: diag_flush prints the diagnostics without the summary line,
 * and no progress is drawn. */
void diag_quiet(int on);

/* Progress on a terminal: after diag_progress_start (when stderr is a
 * terminal, colour is allowed and not quiet), diag_progress rewrites one
 * line "depthbook: 3/12 guides · stage" (total 0: the stage alone) and
 * diag_progress_end erases it; diagnostics erase it before printing. */
void diag_progress_start(void);
void diag_progress(const char *stage, size_t done, size_t total);
void diag_progress_end(void);

/* Prints one line of diagnostics text as diag_flush prints it (coloured
 * on a terminal), for lines a child build wrote into a pipe (serve). */
void diag_print_line(const char *line, size_t len);

/* Forgets every recorded diagnostic without printing (for the fuzzer). */
void diag_clear(void);

/* The rule id of a diagnostic ("depth-sequence"), for the README table. */
const char *diag_rule(enum diag_id id);
enum diag_level diag_level(enum diag_id id);
/* Counts of diagnostics recorded so far at each level. */
int diag_count(enum diag_level level);

#endif
