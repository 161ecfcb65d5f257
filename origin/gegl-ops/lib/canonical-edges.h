/* A pixel test for triangles that share edges: every edge is evaluated
 * from its corner with the lower id, so both triangles on an edge compute
 * bit-identical values, and ties go to one fixed side.  A pixel on a
 * shared edge thus belongs to exactly one triangle, whichever block or
 * tile computes it.  Inline: the test runs for every pixel. */
#ifndef IMGFLO_OPS_CANONICAL_EDGES_H
#define IMGFLO_OPS_CANONICAL_EDGES_H

#include "lib/delaunay.h"

#include <glib.h>

static inline gdouble
edge_fn (const Point *p,
         const Point *q,
         gdouble      x,
         gdouble      y)
{
  return (q->x - p->x) * (y - p->y) - (q->y - p->y) * (x - p->x);
}

typedef struct
{
  const Point *p, *q;   /* p->id < q->id */
  gdouble      sign;    /* side of the triangle: +1 or -1 */
} CanonEdge;

static inline gboolean
inside_edge (const CanonEdge *e,
             gdouble          x,
             gdouble          y)
{
  gdouble v = edge_fn (e->p, e->q, x, y);

  if (v == 0.0)
    return e->sign > 0.0;   /* ties go to the left-hand triangle */
  return (v > 0.0) == (e->sign > 0.0);
}

static inline void
make_edge (CanonEdge   *e,
           const Point *p,
           const Point *q,
           const Point *opposite)
{
  e->p    = p;
  e->q    = q;
  e->sign = edge_fn (p, q, opposite->x, opposite->y) >= 0.0 ? 1.0 : -1.0;
}

/* Sorts the corners v by id and sets the three edges of the triangle. */
static inline void
canonical_edges (const Point **v,
                 CanonEdge    *edges)
{
  const Point *tmp;

  if (v[0]->id > v[1]->id) { tmp = v[0]; v[0] = v[1]; v[1] = tmp; }
  if (v[1]->id > v[2]->id) { tmp = v[1]; v[1] = v[2]; v[2] = tmp; }
  if (v[0]->id > v[1]->id) { tmp = v[0]; v[0] = v[1]; v[1] = tmp; }
  make_edge (&edges[0], v[0], v[1], v[2]);
  make_edge (&edges[1], v[1], v[2], v[0]);
  make_edge (&edges[2], v[0], v[2], v[1]);
}

static inline gboolean
inside_triangle (const CanonEdge *edges,
                 gdouble          x,
                 gdouble          y)
{
  return inside_edge (&edges[0], x, y) &&
         inside_edge (&edges[1], x, y) &&
         inside_edge (&edges[2], x, y);
}

#endif
