/* cards_text.h: the LaTeX of a card's text made to stay inside the card
 * (break points in long tokens and between CJK characters, tables as a
 * grid of wrapping columns or label/value records), the choice of the TeX
 * engine that can print it, and PDF strings for the document's metadata. */
#ifndef DEPTHBOOK_CARDS_TEXT_H
#define DEPTHBOOK_CARDS_TEXT_H

#include "util.h"

/* Runs of more than this many characters without a space get break points. */
#define CARDS_LONG_RUN 20

/* Appends latex (cmark-gfm's LaTeX of a question, answer or section title)
 * to b, with each table rewritten as \dbtable{columns}{grid}{records} and
 * \dbbrk (after punctuation) or \dbbrkany (elsewhere) between the
 * characters of any run longer than CARDS_LONG_RUN, and \dbcjk between
 * CJK characters. Math ($…$) and the arguments of \begin, \end, \href's
 * destination, \rule and \includegraphics are copied as they are. */
void cards_text_breakable(struct buf *b, const char *latex);

/* The same break points for one line of a code block, already escaped. */
void cards_text_code_line(struct buf *b, const char *escaped);

/* 1 when pdflatex with the template's inputenc can print every character
 * of text: ASCII, Latin-1, Latin Extended-A, common punctuation, and the
 * characters the template declares with \DeclareUnicodeCharacter{XXXX}. */
int cards_text_latin(const char *text, const char *template);

/* 1 when text has a character of a script written right to left
 * (Hebrew, Arabic, Syriac, Thaana, N'Ko and the other blocks Unicode
 * gives such scripts): the cards then need the template's bidi. */
int cards_text_rtl(const char *text);

/* Appends s (UTF-8) as a PDF text string: <FEFF…> in UTF-16BE hex. */
void cards_text_pdf_string(struct buf *b, const char *s);

/* Decodes the UTF-8 character at s (valid UTF-8, as load.c guarantees);
 * returns its code point and sets *len to its byte count. */
unsigned cards_text_utf8(const char *s, int *len);

#endif
