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
 * draws from that: a pixel's draws a vector of eight at a time, fetched
 * while the pixel before is compared, its envelopes four channels at once
 * (the same floats as one channel at a time), and the image in strips of
 * columns, for the draws around a strip to stay in the cache, divided among
 * GEGL's threads.
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
#include "lib/same-arithmetic.h"

#include <math.h>
#include <xmmintrin.h>

/* The tables' sizes, primes as GEGL's, so that walking both varies well. */
#define ANGLES   95273
#define DISTANCES 29537

/* The distance table's seed: any constant gives GEGL's distribution. */
#define DISTANCE_SEED 0x1f2e3d4cu

/* Draws are made a vector of this many at a time (Floats8, Ints8). */
#define LANES 8


/* Each table is followed by its first LANES entries again, so that the
 * LANES entries from any index within it are one load. */
typedef struct
{
  gfloat cos[ANGLES + LANES];
  gfloat sin[ANGLES + LANES];
  gfloat distance[DISTANCES + LANES]; /* a uniform number in [0, 1) squared */
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
      memcpy (s->cos + ANGLES, s->cos, sizeof (gfloat) * LANES);
      memcpy (s->sin + ANGLES, s->sin, sizeof (gfloat) * LANES);
      memcpy (s->distance + DISTANCES, s->distance, sizeof (gfloat) * LANES);
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

/* The draws within the image a walk holds: a pixel's first draws are made
 * together, for their memory to be fetched while the first are compared
 * (they are cache misses, and independent), and more as they are used. */
#define WALK_DRAWS 64

/* Where a pixel's walk of the tables is, and the draws it has made ahead,
 * as places in what was read (pixels from its start). */
typedef struct
{
  guint   angle, distance;
  guint32 drawn[WALK_DRAWS + LANES];
  gint    made, used;
} Walk;

/* Pixel (x, y) of what was read (its coordinates within `read`). */
static inline const gfloat *
read_at (const Grey *g, gint x, gint y)
{
  return g->image + ((gsize) y * g->read.width + x) * 4;
}

/* The walk's next LANES steps from pixel (x, y): those that land within
 * what was read are its next draws (GEGL converts the float offset to an
 * integer by truncation, and draws again beside the image). */
SAME_ARITHMETIC_INLINE void
walk_on (const Grey *g, Walk *walk, gint x, gint y)
{
  Floats8 reach = floats8_at (g->spray->distance + walk->distance) * (gfloat) g->radius;
  Ints8   u = __builtin_convertvector ((gfloat) x + reach * floats8_at (g->spray->cos + walk->angle),
                                       Ints8);
  Ints8   v = __builtin_convertvector ((gfloat) y + reach * floats8_at (g->spray->sin + walk->angle),
                                       Ints8);
  Ints8   inside = (u >= 0) & (u < g->read.width) & (v >= 0) & (v < g->read.height);
  Ints8   place = v * g->read.width + u;
  gint32  places[LANES], insides[LANES];
  gint    made = walk->made;

  memcpy (places, &place, sizeof places);
  memcpy (insides, &inside, sizeof insides);
  for (gint lane = 0; lane < LANES; lane++)
    {
      walk->drawn[made] = places[lane];
      made -= insides[lane];
    }
  walk->made = made;
  walk->angle += LANES;
  walk->angle -= walk->angle >= ANGLES ? ANGLES : 0;
  walk->distance += LANES;
  walk->distance -= walk->distance >= DISTANCES ? DISTANCES : 0;
}

/* Makes draws until the walk holds `count` (at most WALK_DRAWS) unused. */
SAME_ARITHMETIC_INLINE void
walk_fill (const Grey *g, Walk *walk, gint x, gint y, gint count)
{
  if (walk->used == walk->made)
    walk->used = walk->made = 0;
  while (walk->made - walk->used < count && walk->made < WALK_DRAWS)
    walk_on (g, walk, x, y);
}

/* More draws, for a pixel that has used those made ahead (its draws were
 * transparent, or more than WALK_DRAWS). */
static __attribute__ ((noinline)) void
walk_more (const Grey *g, Walk *walk, gint x, gint y)
{
  walk_fill (g, walk, x, y, WALK_DRAWS);
}

/* Where the walks of the pixels of a row in the image start apart: any
 * stride gives GEGL's statistics; a fixed one makes a pixel's draws the
 * same whatever region is rendered around it. */
#define ROW_STRIDE 1000003u

/* Starts the walk of pixel (x, y) of what was read, past the draws of the
 * pixels before it, makes its draws ahead and fetches them. */
SAME_ARITHMETIC_INLINE void
walk_start (const Grey *g, Walk *walk, gint x, gint y)
{
  guint64 place = (guint64) (guint32) (y + g->read.y) * ROW_STRIDE + (guint32) (x + g->read.x);
  guint64 start = place * g->samples * g->iterations;

  walk->angle = start % ANGLES;
  walk->distance = start % DISTANCES;
  walk->made = walk->used = 0;
  walk_fill (g, walk, x, y, g->samples * g->iterations);
  for (gint i = 0; i < walk->made; i++)
    __builtin_prefetch (g->image + (gsize) walk->drawn[i] * 4);
}

/* The next draw. */
SAME_ARITHMETIC_INLINE Floats4
draw (const Grey *g, Walk *walk, gint x, gint y)
{
  if (G_UNLIKELY (walk->used == walk->made))
    walk_more (g, walk, x, y);
  return floats4_at (g->image + (gsize) walk->drawn[walk->used++] * 4);
}

/* The channels' least and greatest values over `samples` draws and the
 * pixel: minps and maxps are C's  a < b ? a : b  and  a > b ? a : b. */
SAME_ARITHMETIC_INLINE void
min_max (const Grey *g, Walk *walk, gint x, gint y, Floats4 pixel, Floats4 *min, Floats4 *max)
{
  *min = *max = pixel;
  for (gint i = 0; i < g->samples; i++)
    for (gint tries = g->samples; tries > 0; tries--)
      {
        Floats4 drawn = draw (g, walk, x, y);

        if (drawn[3] <= 0.0f) /* a transparent draw is drawn again */
          continue;
        *min = (Floats4) _mm_min_ps ((__m128) *min, (__m128) drawn);
        *max = (Floats4) _mm_max_ps ((__m128) *max, (__m128) drawn);
        break;
      }
}

/* The grey level of pixel (x, y) of the image, GEGL's arithmetic. */
SAME_ARITHMETIC_INLINE gfloat
grey_of (const Grey *g, Walk *walk, gint x, gint y, Floats4 pixel)
{
  const Floats4 half = { 0.5f, 0.5f, 0.5f, 0.5f };
  Floats4       brightness_sum = { 0 }, range_sum = { 0 };
  gfloat        near = 0, far = 0, sum;

  for (gint i = 0; i < g->iterations; i++)
    {
      Floats4 min, max, range, brightness;
      Ints4   some;

      min_max (g, walk, x, y, pixel, &min, &max);
      range = max - min;
      some = range > 0.0f;
      brightness = (pixel - min) / range;
      brightness_sum += (Floats4) (((Ints4) brightness & some) | ((Ints4) half & ~some));
      range_sum += range;
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

/* The output is rendered in strips of columns, each top to bottom: a
 * strip's draws land within `radius` of it, a window that stays in the
 * cache as the strip goes down (rows as wide as the image would bring a
 * window of the whole width, past the cache of a large image). A strip is
 * cut into bands for threads to share, consecutive bands to a thread. */
#define STRIP_WIDTH 128
#define BAND_HEIGHT  256

/* The strips' bands [first, first + count), strip by strip. */
SAME_ARITHMETIC_CLONES static void
grey_bands (gsize first, gsize count, gpointer data)
{
  const Grey *g = data;
  gint        left = g->roi.x - g->read.x, top = g->roi.y - g->read.y;
  gint        bands = (g->roi.height + BAND_HEIGHT - 1) / BAND_HEIGHT;

  for (gsize unit = first; unit < first + count; unit++)
    {
      gint strip = unit / bands, band = unit % bands;
      gint x0 = strip * STRIP_WIDTH, x1 = MIN (x0 + STRIP_WIDTH, g->roi.width);
      gint y0 = band * BAND_HEIGHT, y1 = MIN (y0 + BAND_HEIGHT, g->roi.height);

      for (gint row = y0; row < y1; row++)
        {
          Walk walks[2];

          /* The next pixel's draws are fetched while this one's are compared. */
          walk_start (g, &walks[x0 & 1], left + x0, top + row);
          for (gint column = x0; column < x1; column++)
            {
              gint     x = left + column, y = top + row;
              Floats4  pixel = floats4_at (read_at (g, x, y));
              gfloat  *out = g->out + ((gsize) row * g->roi.width + column) * 2;

              if (column + 1 < x1)
                walk_start (g, &walks[(column + 1) & 1], x + 1, y);
              out[0] = grey_of (g, &walks[column & 1], x, y, pixel);
              out[1] = pixel[3];
            }
        }
    }
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *roi, gint level)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  GeglRectangle   read = get_required_for_output (operation, "input", roi);
  gfloat         *image, *out;
  Grey            g;

  (void) level;
  /* GEGL has no way for an operation to fail a render: without its memory
   * the worker stops, as on g_new's, and the origin answers for the render.
   * A draw's place in the image is a 32-bit number (an image of 32 GiB and
   * more), checked before its memory is asked for. */
  if ((gsize) read.width * read.height > G_MAXINT32)
    g_error ("imgflo:c2g: a %dx%d image is too large to draw from", read.width, read.height);
  /* On huge pages: the draws land all over it, and each page's translation is a miss too. */
  image = large_buffer_try_new ((gsize) read.width * read.height * 4 * sizeof (gfloat));
  if (!image)
    g_error ("imgflo:c2g: no memory for a %dx%d float image", read.width, read.height);
  out = g_new (gfloat, (gsize) roi->width * roi->height * 2);
  g = (Grey) { spray (), image, read, out, *roi,
               o->radius, o->samples, o->iterations, o->enhance_shadows };
  gegl_buffer_get (input, &read, 1.0, gegl_operation_get_format (operation, "input"), image,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_parallel_distribute_range ((gsize) ((roi->width + STRIP_WIDTH - 1) / STRIP_WIDTH) *
                                    ((roi->height + BAND_HEIGHT - 1) / BAND_HEIGHT),
                                  1.0, grey_bands, &g);
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
