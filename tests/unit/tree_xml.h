/* tree_xml.h: a parsed guide as cmark-gfm's XML with source positions,
 * for tests that compare a parse in two parts (gen/md.c) with a parse of
 * the whole: md_cut_test and the fuzz target. */
#ifndef DEPTHBOOK_TREE_XML_H
#define DEPTHBOOK_TREE_XML_H

#include "../../gen/util.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* The tree from the document's first child on: the document node's own
 * end is the one position a join does not keep (no cmark-gfm API sets it,
 * and md's users never read it). Caller frees. */
static char *tree_xml(cmark_node *doc)
{
	char *out = cmark_render_xml_with_mem(doc, CMARK_OPT_SOURCEPOS, cmark_get_default_mem_allocator());
	char *children = strstr(out, "<document");
	children = children ? strchr(children, '\n') : NULL;
	char *copy = xstrdup(children ? children : "(no document)");
	free(out);
	return copy;
}

#endif
