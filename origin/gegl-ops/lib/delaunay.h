/* Delaunay triangulation of a set of points (Bowyer-Watson). */
#ifndef IMGFLO_OPS_DELAUNAY_H
#define IMGFLO_OPS_DELAUNAY_H

#include <glib.h>

typedef struct
{
  gdouble x, y;
  guint64 id;
} Point;

typedef struct
{
  gint    v[3];         /* indices into the points */
  gdouble cx, cy, r2;   /* circumcircle */
} Tri;

/* Bowyer-Watson triangulation of pts[0 .. n-1]; pts must have room for
 * three more entries (the super triangle).  Returns the triangles in a
 * newly allocated array (g_free), the ones using super-triangle corners
 * included (their corners have index >= n). */
G_GNUC_INTERNAL
Tri *delaunay_triangulate (Point *pts,
                           gint   n,
                           gint  *n_tris_out);

#endif
