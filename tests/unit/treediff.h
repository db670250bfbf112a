/*
 * treediff: test helper listing every difference between two XML element
 * trees, one line each, so a test can assert that a rewrite changed
 * exactly what it should:
 *
 *   changed PATH: 'old' -> 'new'        text of a leaf element
 *   attr PATH@NAME: 'old' -> 'new'      ('(none)' when absent)
 *   added PATH                          element only in the second tree
 *   removed PATH                        element only in the first tree
 *
 * PATH is /Root/Child/..., with [k] (1-based among same-named siblings
 * of that tree) where a name repeats.  Children are aligned by the
 * longest common subsequence of their names, earliest match first.
 * Blank text between elements (indentation) is not compared.
 */
#ifndef RESKONTRA_TEST_TREEDIFF_H
#define RESKONTRA_TEST_TREEDIFF_H

#include <libxml/tree.h>

#include "base/util.h"

/* Appends the lines (each ending in '\n') to out; returns their count. */
int treediff(xmlNode *a, xmlNode *b, struct sbuf *out);

#endif
