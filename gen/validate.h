/* validate.h: judges the model against the guide format and reports every
 * problem through diag; renderers never repeat these checks. */
#ifndef DEPTHBOOK_VALIDATE_H
#define DEPTHBOOK_VALIDATE_H

#include "model.h"

/* Checks every guide of lib (structure, numbering, Q/A shape, links,
 * images, math). Diagnostics go to diag; nothing is returned. */
void val_library(const struct model_library *lib);

#endif
