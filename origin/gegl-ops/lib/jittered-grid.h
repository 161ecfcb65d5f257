/* Points on a jittered grid: the plane is divided into square cells and
 * every cell holds exactly one point at a pseudo-random position inside
 * it (random looking, but without clumps or big holes).  The position of
 * the point in cell (i, j) is a hash of (seed, i, j) (lib/hash64.h), so
 * the same seed always gives the same points. */
#ifndef IMGFLO_OPS_JITTERED_GRID_H
#define IMGFLO_OPS_JITTERED_GRID_H

#include "lib/delaunay.h"

#include <glib.h>

/* The key a seed text stands for: the number itself for a decimal integer
 * in [0, G_MAXINT] (written without sign or leading zeros), else the
 * FNV-1a hash of the text with the top bit set, which cannot equal a
 * number's. */
G_GNUC_INTERNAL
guint64 jittered_grid_seed  (const gchar *text);

/* The point of cell (i, j), cells of side cell; its id names the cell. */
G_GNUC_INTERNAL
void    jittered_grid_point (guint64  seed,
                             gdouble  cell,
                             gint64   i,
                             gint64   j,
                             Point   *p);

#endif
