/* imgflo:c2g
 *
 * gegl:c2g (GEGL 0.4.42, colour to grey by local contrast) with the same
 * pads, properties and formats: the origin's compile swaps it in for
 * GEGL's (origin/compile/operation-swaps.ts). For each pixel, `iterations`
 * times, `samples` pixels are drawn at random within `radius` (a golden-
 * angle spiral of directions, distances of a uniform number squared; a
 * draw beside the image is drawn again, a transparent one too, up to
 * `samples` times), and their per-channel minimum and maximum, with the
 * pixel itself, give the envelopes the grey level is read from.
 *
 * GEGL's own output is not reproducible: its table of distances is drawn
 * from a randomly seeded GRand once per process, and one counter walks the
 * tables for every pixel of every render, on whichever thread. Here the
 * table is seeded with a constant and each pixel's walk starts where its
 * place in the image says, so the same image gives the same bytes, on any
 * thread count; the statistics are GEGL's (operation-swaps.test.ts
 * compares with GEGL's own render within what two of GEGL's own differ by).
 *
 * GEGL reads each draw through a sampler, a tile lookup and a one-pixel
 * conversion: three quarters of its time. This reads the input once into
 * one float image (its whole extent: a draw may land anywhere in it) and
 * draws from that, rows divided among GEGL's threads.
 */

#ifdef GEGL_PROPERTIES

property_int (radius, "Radius", 300)
  description ("Neighborhood taken into account, this is the radius in pixels taken into "
               "account when deciding which colors map to which gray values")
  value_range (2, 6000)
  ui_range    (2, 1000)
  ui_gamma    (1.6)
  ui_meta     ("unit", "pixel-distance")

property_int (samples, "Samples", 4)
  description ("Number of samples to do per iteration looking for the range of colors")
  value_range (1, 1000)
  ui_range    (3, 17)

property_int (iterations, "Iterations", 10)
  description ("Number of iterations, a higher number of iterations provides less noisy "
               "results at a computational cost")
  value_range (1, 1000)
  ui_range    (1, 30)

property_boolean (enhance_shadows, "Enhance Shadows", FALSE)
  description ("When enabled details in shadows are boosted at the expense of noise")

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME     imgflo_c2g
#define GEGL_OP_C_SOURCE imgflo-c2g.c

#include "gegl-op.h"
#include "lib/large-buffer.h"
#include "lib/rendered-mark.h"

#include <math.h>

/* The tables' sizes, primes as GEGL's, so that walking both varies well. */
#define ANGLES   95273
#define DISTANCES 29537

/* The distance table's seed: any constant gives GEGL's distribution. */
#define DISTANCE_SEED 0x1f2e3d4cu

typedef struct
{
  gfloat cos[ANGLES];
  gfloat sin[ANGLES];
  gfloat distance[DISTANCES]; /* a uniform number in [0, 1) squared */
} Spray;

static const Spray *
spray (void)
{
  static Spray *tables;

  if (g_once_init_enter (&tables))
    {
      Spray  *s = g_new (Spray, 1);
      GRand  *rand = g_rand_new_with_seed (DISTANCE_SEED);
      gfloat  golden_angle = G_PI * (3 - sqrt (5.0));
      gfloat  angle = 0.0f;

      for (gint i = 0; i < ANGLES; i++, angle += golden_angle)
        {
          s->cos[i] = cos (angle);
          s->sin[i] = sin (angle);
        }
      for (gint i = 0; i < DISTANCES; i++)
        s->distance[i] = pow (g_rand_double_range (rand, 0.0, 1.0), 2.0);
      g_rand_free (rand);
      g_once_init_leave (&tables, s);
    }
  return tables;
}

static void
prepare (GeglOperation *operation)
{
  const Babl *space = gegl_operation_get_source_space (operation, "input");

  gegl_operation_set_format (operation, "input", babl_format_with_space ("RGBA float", space));
  gegl_operation_set_format (operation, "output", babl_format_with_space ("YA float", space));
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");

  return in ? *in : (GeglRectangle) { 0, 0, 0, 0 };
}

/* A draw may land anywhere in the image: every output pixel reads all of
 * it. An unbounded input (a generator's) is read `radius` around the
 * output asked for, as far as a draw reaches. */
static GeglRectangle
get_required_for_output (GeglOperation *operation, const gchar *pad, const GeglRectangle *roi)
{
  GeglRectangle box = get_bounding_box (operation);
  gint          radius = GEGL_PROPERTIES (operation)->radius;

  (void) pad;
  if (!gegl_rectangle_is_infinite_plane (&box))
    return box;
  return (GeglRectangle) { roi->x - radius, roi->y - radius, roi->width + 2 * radius,
                           roi->height + 2 * radius };
}

static GeglRectangle
get_cached_region (GeglOperation *operation, const GeglRectangle *roi)
{
  GeglRectangle box = get_bounding_box (operation);

  return gegl_rectangle_is_infinite_plane (&box) ? *roi : box;
}

/* One render's image and settings, shared by the threads. */
typedef struct
{
  const Spray  *spray;
  const gfloat *image;     /* the input read, RGBA float, rows packed: draws land in it */
  GeglRectangle read;
  gfloat       *out;       /* YA float */
  GeglRectangle roi;       /* what `out` holds, within `read` */
  gint          radius, samples, iterations;
  gboolean      enhance_shadows;
} Grey;

/* Draws made ahead: every draw of a pixel, for its memory to be fetched
 * while the first are compared (the draws are cache misses, and
 * independent). Samples x iterations above this are drawn as they go. */
#define DRAWS_AHEAD 256

/* Where a pixel's walk of the tables is, and the draws it has made ahead. */
typedef struct
{
  guint         angle, distance;
  const gfloat *ahead[DRAWS_AHEAD];
  gint          made, used;
} Walk;

/* Pixel (x, y) of what was read (its coordinates within `read`). */
static inline const gfloat *
read_at (const Grey *g, gint x, gint y)
{
  return g->image + ((gsize) y * g->read.width + x) * 4;
}

/* The walk's next pixel within what was read (GEGL converts the float
 * offset to an integer by truncation). */
static const gfloat *
walk_on (const Grey *g, Walk *walk, gint x, gint y)
{
  for (;;)
    {
      gfloat reach = g->spray->distance[walk->distance] * g->radius;
      gint   u = x + reach * g->spray->cos[walk->angle];
      gint   v = y + reach * g->spray->sin[walk->angle];

      walk->angle = walk->angle + 1 == ANGLES ? 0 : walk->angle + 1;
      walk->distance = walk->distance + 1 == DISTANCES ? 0 : walk->distance + 1;
      if (u >= 0 && u < g->read.width && v >= 0 && v < g->read.height)
        return read_at (g, u, v);
    }
}

/* Where the walks of the pixels of a row in the image start apart: any
 * stride gives GEGL's statistics; a fixed one makes a pixel's draws the
 * same whatever region is rendered around it. */
#define ROW_STRIDE 1000003u

/* Starts the walk of pixel (x, y) of what was read, past the draws of the
 * pixels before it, and makes its draws ahead. */
static void
walk_start (const Grey *g, Walk *walk, gint x, gint y)
{
  guint64 place = (guint64) (guint32) (y + g->read.y) * ROW_STRIDE + (guint32) (x + g->read.x);
  guint64 start = place * g->samples * g->iterations;
  gint    ahead = MIN (g->samples * g->iterations, DRAWS_AHEAD);

  walk->angle = start % ANGLES;
  walk->distance = start % DISTANCES;
  for (walk->made = 0, walk->used = 0; walk->made < ahead; walk->made++)
    {
      walk->ahead[walk->made] = walk_on (g, walk, x, y);
      __builtin_prefetch (walk->ahead[walk->made]);
    }
}

/* The next draw: made ahead, or now once those are used. */
static const gfloat *
draw (const Grey *g, Walk *walk, gint x, gint y)
{
  return walk->used < walk->made ? walk->ahead[walk->used++] : walk_on (g, walk, x, y);
}

/* The channels' least and greatest values over `samples` draws and the pixel. */
static void
min_max (const Grey *g, Walk *walk, gint x, gint y, const gfloat *pixel, gfloat min[3],
         gfloat max[3])
{
  for (gint c = 0; c < 3; c++)
    min[c] = max[c] = pixel[c];
  for (gint i = 0; i < g->samples; i++)
    for (gint tries = g->samples; tries > 0; tries--)
      {
        const gfloat *drawn = draw (g, walk, x, y);

        if (drawn[3] <= 0.0f) /* a transparent draw is drawn again */
          continue;
        for (gint c = 0; c < 3; c++)
          {
            min[c] = MIN (min[c], drawn[c]);
            max[c] = MAX (max[c], drawn[c]);
          }
        break;
      }
}

/* The grey level of pixel (x, y) of the image, GEGL's arithmetic. */
static gfloat
grey_of (const Grey *g, Walk *walk, gint x, gint y, const gfloat *pixel)
{
  gfloat brightness_sum[3] = { 0, 0, 0 }, range_sum[3] = { 0, 0, 0 };
  gfloat near = 0, far = 0, sum;

  for (gint i = 0; i < g->iterations; i++)
    {
      gfloat min[3], max[3];

      min_max (g, walk, x, y, pixel, min, max);
      for (gint c = 0; c < 3; c++)
        {
          gfloat range = max[c] - min[c];

          brightness_sum[c] += range > 0.0f ? (pixel[c] - min[c]) / range : 0.5f;
          range_sum[c] += range;
        }
    }
  for (gint c = 0; c < 3; c++)
    {
      gfloat brightness = brightness_sum[c] / g->iterations;
      gfloat range = range_sum[c] / g->iterations;
      gfloat high = pixel[c] + (1.0 - brightness) * range;
      gfloat low = pixel[c] - brightness * range;
      gfloat from = g->enhance_shadows ? pixel[c] - low : pixel[c];

      near += from * from;
      far += (pixel[c] - high) * (pixel[c] - high);
    }
  near = sqrtf (near);
  sum = near + sqrtf (far);
  return sum > 0.0f ? near / sum : 0.5f;
}

/* Rows [first, first + count) of the output. */
static void
grey_rows (gsize first, gsize count, gpointer data)
{
  const Grey *g = data;
  gint        left = g->roi.x - g->read.x, top = g->roi.y - g->read.y;

  for (gint row = (gint) first; row < (gint) (first + count); row++)
    for (gint column = 0; column < g->roi.width; column++)
      {
        gint          x = left + column, y = top + row;
        const gfloat *pixel = read_at (g, x, y);
        gfloat       *out = g->out + ((gsize) row * g->roi.width + column) * 2;
        Walk          walk;

        walk_start (g, &walk, x, y);
        out[0] = grey_of (g, &walk, x, y, pixel);
        out[1] = pixel[3];
      }
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *roi, gint level)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  GeglRectangle   read = get_required_for_output (operation, "input", roi);
  /* On huge pages: the draws land all over it, and each page's translation is a miss too. */
  gfloat         *image = large_buffer_try_new ((gsize) read.width * read.height * 4 *
                                                sizeof (gfloat));
  gfloat         *out = g_new (gfloat, (gsize) roi->width * roi->height * 2);
  Grey            g = { spray (), image, read, out, *roi,
                        o->radius, o->samples, o->iterations, o->enhance_shadows };

  (void) level;
  /* GEGL has no way for an operation to fail a render: without its memory
   * the worker stops, as on g_new's, and the origin answers for the render. */
  if (!image)
    g_error ("imgflo:c2g: no memory for a %dx%d float image", read.width, read.height);
  gegl_buffer_get (input, &read, 1.0, gegl_operation_get_format (operation, "input"), image,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  /* A row is hundreds of draws: worth a thread from a few rows. */
  gegl_parallel_distribute_range (roi->height, 1.0, grey_rows, &g);
  gegl_buffer_set (output, roi, 0, gegl_operation_get_format (operation, "output"), out,
                   GEGL_AUTO_ROWSTRIDE);
  g_free (image);
  g_free (out);
  rendered_mark (operation);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass       *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationFilterClass *filter_class = GEGL_OPERATION_FILTER_CLASS (klass);

  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  operation_class->get_cached_region = get_cached_region;
  /* One call for the whole extent: its rows are divided among GEGL's threads. */
  operation_class->threaded = FALSE;
  filter_class->process = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:c2g",
    "title",       "Color to Grayscale",
    "categories",  "color",
    "description", "Color to grayscale conversion, uses envelopes formed with the STRESS "
                   "approach to perform local color-difference preserving grayscale "
                   "generation.",
    NULL);
}

#endif
