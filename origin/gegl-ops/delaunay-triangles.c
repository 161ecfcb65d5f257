/* imgflo:delaunay-triangles
 *
 * Renders a "low poly" mosaic: the Delaunay triangulation of a set of
 * pseudo-random points, every triangle filled with one flat colour taken
 * from the palette color1 -> color2.
 *
 * Geometry
 *   The points are a jittered grid (lib/jittered-grid.h) of square cells
 *   of side
 *       cell = sqrt (width * height / points)
 *   so about `points` points fall inside the width x height reference
 *   area, and the pattern continues seamlessly outside of it: the op is
 *   an infinite source like gegl:color, whatever rectangle the caller
 *   renders is filled.
 *
 * Determinism
 *   The points and a triangle's colour are hashes of the seed with the
 *   cell, resp. the ids of the three corners (lib/hash64.h).  The seed is
 *   any text (see jittered_grid_seed).  No global or per-op state is
 *   involved, so the same seed always gives exactly the same picture, for
 *   every tiling and thread count.
 *
 * Rendering an arbitrary region of interest
 *   The output is rendered in blocks of at most BLOCK x BLOCK pixels.  For
 *   a block we collect the points of all cells covering the block plus a
 *   margin of MARGIN cells, triangulate them (lib/delaunay.h) and
 *   rasterise the triangles that overlap the block.  With one point per
 *   cell, no empty circle can have a radius of sqrt(2) * cell or more (it
 *   would contain a whole cell, hence that cell's point), so every
 *   Delaunay triangle touching the block has its circumcircle inside the
 *   collected area: the local triangulation contains exactly the triangles
 *   of the global one there, and neighbouring blocks / tiles agree.
 *   Pixels are assigned to triangles with a canonical edge test
 *   (lib/canonical-edges.h), so a pixel on a shared edge gets the same
 *   triangle in every block.
 *
 * Colour
 *   Each triangle's palette position mixes a diagonal gradient over the
 *   reference area (top-left = color1, bottom-right = color2) with a
 *   per-triangle random value (`variation`), plus a slight random
 *   brightness change per facet.  Colours are interpolated in
 *   gamma-encoded sRGB, alpha included.
 */

#ifdef GEGL_PROPERTIES

property_string (seed, "Seed", "0")
  description ("Random seed, any text; the same seed always renders the "
               "same mosaic")

property_int (points, "Points", 150)
  description ("Approximate number of points (triangle corners) inside "
               "the width x height reference area; sets the triangle size")
  value_range (3, 4000)

property_int (width, "Width", 512)
  description ("Width of the reference area used for the point density "
               "and the colour gradient (the pattern itself is infinite)")
  value_range (1, 65536)

property_int (height, "Height", 512)
  description ("Height of the reference area used for the point density "
               "and the colour gradient (the pattern itself is infinite)")
  value_range (1, 65536)

property_color (color1, "Color 1", "#2b1055")
  description ("Palette start: colour towards the top-left")

property_color (color2, "Color 2", "#ff8a5c")
  description ("Palette end: colour towards the bottom-right")

property_double (variation, "Variation", 0.3)
  description ("How much each triangle's colour is randomised away from "
               "the smooth diagonal gradient")
  value_range (0.0, 1.0)

#else

#define GEGL_OP_SOURCE
#define GEGL_OP_NAME     imgflo_delaunay_triangles
#define GEGL_OP_C_SOURCE delaunay-triangles.c

#include "gegl-op.h"
#include "lib/canonical-edges.h"
#include "lib/delaunay.h"
#include "lib/hash64.h"
#include "lib/jittered-grid.h"

#include <string.h>

#define BLOCK          128   /* output block size in pixels (level 0) */
#define MARGIN         4     /* extra cells around a block, see above */
#define MIN_CELL_SIZE  4.0   /* pixels; bounds the work per block */

/* ------------------------------------------------------------------ math */

static inline gint64
floor_to_int (gdouble v)
{
  gint64 i = (gint64) v;

  return i - (v < (gdouble) i);
}

/* Square root by Newton iteration; only used once per process() call, and
 * keeps the plugin free of a libm dependency (the build does not link
 * -lm). */
static gdouble
newton_sqrt (gdouble v)
{
  gdouble r;
  gint    k;

  if (!(v > 0.0))
    return 0.0;

  r = v > 1.0 ? v : 1.0;
  for (k = 0; k < 100; k++)
    {
      gdouble next = 0.5 * (r + v / r);

      if (next >= r)
        break;
      r = next;
    }
  return r;
}

/* ------------------------------------------------------------- rasterise */

typedef struct
{
  guint64 seed;
  gdouble cell;
  gdouble ref_w, ref_h;
  gdouble variation;
  gfloat  c1[4], c2[4];
} Params;

static void
triangle_color (const Params  *params,
                const Point  **v,      /* sorted by id */
                gfloat        *rgba)
{
  guint64 h  = mix64 (mix64 (mix64 (mix64 (params->seed
                                           ^ G_GUINT64_CONSTANT (0x5bd1e995))
                                    ^ v[0]->id) ^ v[1]->id) ^ v[2]->id);
  gdouble r1 = unit_double (h);
  gdouble r2 = unit_double (mix64 (h));
  gdouble cx = (v[0]->x + v[1]->x + v[2]->x) / 3.0;
  gdouble cy = (v[0]->y + v[1]->y + v[2]->y) / 3.0;
  gdouble g  = 0.5 * (cx / params->ref_w + cy / params->ref_h);
  gdouble f, shade;
  gint    c;

  g     = CLAMP (g, 0.0, 1.0);
  f     = g * (1.0 - params->variation) + r1 * params->variation;
  shade = 1.0 + (r2 - 0.5) * 0.16;

  for (c = 0; c < 4; c++)
    {
      gdouble value = params->c1[c] + (params->c2[c] - params->c1[c]) * f;

      if (c < 3)
        value *= shade;
      rgba[c] = CLAMP (value, 0.0, 1.0);
    }
}

/* Paints the pixels of rect (level coordinates) whose centres fall inside
 * the triangle v into buf (rect-sized, RGBA float). */
static void
fill_triangle (const Params        *params,
               const GeglRectangle *rect,
               gdouble              scale,
               const Point        **v,
               gfloat              *buf)
{
  CanonEdge edges[3];
  gdouble   minx, maxx, miny, maxy;
  gint64    px0, px1, py0, py1;
  gint64    x, y;
  gfloat    rgba[4];

  /* pixel range whose centres may fall inside the triangle */
  minx = MIN (v[0]->x, MIN (v[1]->x, v[2]->x)) / scale;
  maxx = MAX (v[0]->x, MAX (v[1]->x, v[2]->x)) / scale;
  miny = MIN (v[0]->y, MIN (v[1]->y, v[2]->y)) / scale;
  maxy = MAX (v[0]->y, MAX (v[1]->y, v[2]->y)) / scale;

  px0 = MAX (floor_to_int (minx - 0.5), (gint64) rect->x);
  px1 = MIN (floor_to_int (maxx - 0.5) + 1,
             (gint64) rect->x + rect->width - 1);
  py0 = MAX (floor_to_int (miny - 0.5), (gint64) rect->y);
  py1 = MIN (floor_to_int (maxy - 0.5) + 1,
             (gint64) rect->y + rect->height - 1);

  if (px0 > px1 || py0 > py1)
    return;

  canonical_edges (v, edges);
  triangle_color (params, v, rgba);

  for (y = py0; y <= py1; y++)
    {
      gdouble sy  = (y + 0.5) * scale;
      gfloat *row = buf + ((y - rect->y) * rect->width) * 4;

      for (x = px0; x <= px1; x++)
        {
          gdouble sx = (x + 0.5) * scale;

          if (inside_triangle (edges, sx, sy))
            memcpy (row + (x - rect->x) * 4, rgba, sizeof (rgba));
        }
    }
}

/* Renders rect (in level coordinates) into buf (rect-sized, RGBA float). */
static void
render_block (const Params        *params,
              const GeglRectangle *rect,
              gdouble              scale,
              gfloat              *buf)
{
  gdouble  wx0 = rect->x * scale;
  gdouble  wy0 = rect->y * scale;
  gdouble  wx1 = (rect->x + rect->width) * scale;
  gdouble  wy1 = (rect->y + rect->height) * scale;
  gint64   i0  = floor_to_int (wx0 / params->cell) - MARGIN;
  gint64   i1  = floor_to_int (wx1 / params->cell) + MARGIN;
  gint64   j0  = floor_to_int (wy0 / params->cell) - MARGIN;
  gint64   j1  = floor_to_int (wy1 / params->cell) + MARGIN;
  gint     n   = (gint) ((i1 - i0 + 1) * (j1 - j0 + 1));
  Point   *pts = g_new (Point, n + 3);
  Tri     *tris;
  gint     n_tris;
  gint64   i, j;
  gint     k, t;

  k = 0;
  for (j = j0; j <= j1; j++)
    for (i = i0; i <= i1; i++)
      jittered_grid_point (params->seed, params->cell, i, j, &pts[k++]);

  tris = delaunay_triangulate (pts, n, &n_tris);

  for (t = 0; t < n_tris; t++)
    {
      const Point *v[3];

      if (tris[t].v[0] >= n || tris[t].v[1] >= n || tris[t].v[2] >= n)
        continue;

      v[0] = &pts[tris[t].v[0]];
      v[1] = &pts[tris[t].v[1]];
      v[2] = &pts[tris[t].v[2]];
      fill_triangle (params, rect, scale, v, buf);
    }

  g_free (tris);
  g_free (pts);
}

/* -------------------------------------------------------------- GEGL op */

static void
prepare (GeglOperation *operation)
{
  gegl_operation_set_format (operation, "output",
                             babl_format ("R'G'B'A float"));
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  (void) operation;

  return gegl_rectangle_infinite_plane ();
}

static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *output,
         const GeglRectangle *result,
         gint                 level)
{
  GeglProperties *o      = GEGL_PROPERTIES (operation);
  const Babl     *format = babl_format ("R'G'B'A float");
  gdouble         scale  = (gdouble) (1 << CLAMP (level, 0, 16));
  gint            block  = MAX (16, (gint) (BLOCK / scale));
  Params          params;
  gfloat         *buf;
  gint            bx, by;

  params.seed      = jittered_grid_seed (o->seed);
  params.ref_w     = MAX (o->width, 1);
  params.ref_h     = MAX (o->height, 1);
  params.cell      = newton_sqrt ((params.ref_w * params.ref_h) /
                                  MAX (o->points, 1));
  /* At mipmap levels > 0 (scaled-down previews) keep cells at least
   * MIN_CELL_SIZE output pixels wide so the work per block stays bounded;
   * at level 0, the normal case, this is just MIN_CELL_SIZE. */
  params.cell      = MAX (params.cell, MIN_CELL_SIZE * scale);
  params.variation = CLAMP (o->variation, 0.0, 1.0);
  gegl_color_get_pixel (o->color1, format, params.c1);
  gegl_color_get_pixel (o->color2, format, params.c2);

  buf = g_new (gfloat, (gsize) block * block * 4);

  /* Blocks are aligned to a fixed grid so the work per block does not
   * depend on how the caller splits the output. */
  for (by = (gint) floor_to_int ((gdouble) result->y / block) * block;
       by < result->y + result->height;
       by += block)
    for (bx = (gint) floor_to_int ((gdouble) result->x / block) * block;
         bx < result->x + result->width;
         bx += block)
      {
        GeglRectangle tile = { bx, by, block, block };
        GeglRectangle rect;
        gint          p;

        if (!gegl_rectangle_intersect (&rect, &tile, result))
          continue;

        /* Fallback colour, never visible unless a pixel were missed. */
        for (p = 0; p < rect.width * rect.height; p++)
          memcpy (buf + p * 4, params.c1, sizeof (params.c1));

        render_block (&params, &rect, scale, buf);
        gegl_buffer_set (output, &rect, level, format, buf,
                         GEGL_AUTO_ROWSTRIDE);
      }

  g_free (buf);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass       *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationSourceClass *source_class    =
    GEGL_OPERATION_SOURCE_CLASS (klass);

  source_class->process             = process;
  operation_class->prepare          = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->threaded         = TRUE;

  gegl_operation_class_set_keys (operation_class,
    "name",               "imgflo:delaunay-triangles",
    "title",              "Delaunay Triangles",
    "categories",         "render",
    "position-dependent", "true",
    "description",        "Mosaic of flat-coloured Delaunay triangles over "
                          "seeded pseudo-random points (infinite plane)",
    NULL);
}

#endif
