#include "lib/delaunay.h"

typedef struct
{
  gint a, b;
} Edge;

/* The triangles so far, and the boundary of the cavity while a point is
 * inserted. */
typedef struct
{
  Tri  *tris;
  gint  n_tris, tri_cap;
  Edge *edges;
  gint  n_edges, edge_cap;
} Triangulation;

static void
set_circumcircle (Tri         *t,
                  const Point *pts)
{
  const Point *a  = &pts[t->v[0]];
  const Point *b  = &pts[t->v[1]];
  const Point *c  = &pts[t->v[2]];
  gdouble      bx = b->x - a->x, by = b->y - a->y;
  gdouble      cx = c->x - a->x, cy = c->y - a->y;
  gdouble      d  = 2.0 * (bx * cy - by * cx);
  gdouble      b2 = bx * bx + by * by;
  gdouble      c2 = cx * cx + cy * cy;
  gdouble      ux, uy;

  if (d == 0.0)
    {
      /* Collinear: make it "contain" everything so that the next point
       * replaces it. */
      t->cx = a->x;
      t->cy = a->y;
      t->r2 = G_MAXDOUBLE;
      return;
    }

  ux    = (cy * b2 - by * c2) / d;
  uy    = (bx * c2 - cx * b2) / d;
  t->cx = a->x + ux;
  t->cy = a->y + uy;
  t->r2 = ux * ux + uy * uy;
}

/* Puts the corners of a triangle far around pts[0 .. n-1] at
 * pts[n .. n+2]. */
static void
place_super_triangle (Point *pts,
                      gint   n)
{
  gdouble minx = pts[0].x, maxx = pts[0].x;
  gdouble miny = pts[0].y, maxy = pts[0].y;
  gdouble size, midx, midy;
  gint    i;

  for (i = 1; i < n; i++)
    {
      minx = MIN (minx, pts[i].x);
      maxx = MAX (maxx, pts[i].x);
      miny = MIN (miny, pts[i].y);
      maxy = MAX (maxy, pts[i].y);
    }
  size = MAX (maxx - minx, maxy - miny) + 1.0;
  midx = (minx + maxx) * 0.5;
  midy = (miny + maxy) * 0.5;

  pts[n].x     = midx - 20.0 * size;
  pts[n].y     = midy - size;
  pts[n + 1].x = midx;
  pts[n + 1].y = midy + 20.0 * size;
  pts[n + 2].x = midx + 20.0 * size;
  pts[n + 2].y = midy - size;
  pts[n].id = pts[n + 1].id = pts[n + 2].id = G_MAXUINT64;
}

static void
add_triangle (Triangulation *tr,
              const Point   *pts,
              gint           a,
              gint           b,
              gint           c)
{
  Tri *t;

  if (tr->n_tris == tr->tri_cap)
    {
      tr->tri_cap *= 2;
      tr->tris = g_renew (Tri, tr->tris, tr->tri_cap);
    }
  t       = &tr->tris[tr->n_tris++];
  t->v[0] = a;
  t->v[1] = b;
  t->v[2] = c;
  set_circumcircle (t, pts);
}

/* Adds the edge a-b to the cavity's boundary, or takes it out when it is
 * there already: an edge seen twice is interior. */
static void
toggle_cavity_edge (Triangulation *tr,
                    gint           a,
                    gint           b)
{
  gint f;

  for (f = 0; f < tr->n_edges; f++)
    if ((tr->edges[f].a == b && tr->edges[f].b == a) ||
        (tr->edges[f].a == a && tr->edges[f].b == b))
      break;

  if (f < tr->n_edges)
    {
      tr->edges[f] = tr->edges[--tr->n_edges];
      return;
    }
  if (tr->n_edges == tr->edge_cap)
    {
      tr->edge_cap *= 2;
      tr->edges = g_renew (Edge, tr->edges, tr->edge_cap);
    }
  tr->edges[tr->n_edges].a = a;
  tr->edges[tr->n_edges].b = b;
  tr->n_edges++;
}

/* Removes every triangle whose circumcircle contains p, collecting the
 * edges of the cavity. */
static void
carve_cavity (Triangulation *tr,
              const Point   *p)
{
  gint t;

  tr->n_edges = 0;
  for (t = 0; t < tr->n_tris; )
    {
      gdouble dx = p->x - tr->tris[t].cx;
      gdouble dy = p->y - tr->tris[t].cy;
      gint    k;

      if (!(dx * dx + dy * dy < tr->tris[t].r2))
        {
          t++;
          continue;
        }
      for (k = 0; k < 3; k++)
        toggle_cavity_edge (tr, tr->tris[t].v[k], tr->tris[t].v[(k + 1) % 3]);
      tr->tris[t] = tr->tris[--tr->n_tris];
    }
}

Tri *
delaunay_triangulate (Point *pts,
                      gint   n,
                      gint  *n_tris_out)
{
  Triangulation tr;
  gint          i, e;

  tr.tri_cap  = 2 * (n + 3) + 8;
  tr.tris     = g_new (Tri, tr.tri_cap);
  tr.n_tris   = 0;
  tr.edge_cap = 64;
  tr.edges    = g_new (Edge, tr.edge_cap);
  tr.n_edges  = 0;

  place_super_triangle (pts, n);
  add_triangle (&tr, pts, n, n + 1, n + 2);

  for (i = 0; i < n; i++)
    {
      carve_cavity (&tr, &pts[i]);
      /* Re-triangulate the cavity as a fan around the point. */
      for (e = 0; e < tr.n_edges; e++)
        add_triangle (&tr, pts, tr.edges[e].a, tr.edges[e].b, i);
    }

  g_free (tr.edges);
  *n_tris_out = tr.n_tris;
  return tr.tris;
}
