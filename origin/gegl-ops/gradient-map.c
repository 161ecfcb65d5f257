/* imgflo:gradient-map
 *
 * Maps the luminance of every pixel onto a colour gradient made of up to
 * five colour stops (a "gradient map" as known from photo editors).
 *
 * Stops
 *   Every stop N has a colour (colorN) and a position (stopN) on the
 *   luminance axis, 0.0 = black and 1.0 = white.  A stop whose position is
 *   negative is switched off, which is how stops 3..5 are configured by
 *   default: out of the box the op is a plain two-stop black -> white map.
 *   Stops do not have to be given in order; the active stops are sorted by
 *   position (ties keep their index order, which gives a hard edge).
 *   Luminances below the first stop get the first colour, above the last
 *   stop the last colour.  With a single active stop the image becomes
 *   that flat colour; with no active stop the op falls back to black ->
 *   white.
 *
 * Luminance
 *   The position of a pixel on the gradient is its perceptual luminance
 *   (Y', luminance encoded with the sRGB transfer curve), so mid grey lands
 *   in the middle of the gradient.
 *
 * Interpolation
 *   srgb = TRUE blends neighbouring stop colours in gamma-encoded sRGB
 *   (perceptually even, what most editors do); srgb = FALSE blends in
 *   linear light (brighter, more "physical" transitions).
 *
 * Alpha
 *   The alpha of the input is kept unchanged; the alpha of the stop
 *   colours is ignored.
 *
 * Implementation: every process() call builds a small lookup table from
 * the current properties (cheap, and keeps the op free of shared mutable
 * state, so it is safe for GEGL's threaded tile processing).
 */

#ifdef GEGL_PROPERTIES

property_color  (color1, "Color 1", "#000000")
  description ("Colour of stop 1")
property_double (stop1, "Stop 1", 0.0)
  description ("Position of stop 1 on the luminance axis (0 = black, "
               "1 = white); a negative value switches the stop off")
  value_range (-1.0, 1.0)

property_color  (color2, "Color 2", "#ffffff")
  description ("Colour of stop 2")
property_double (stop2, "Stop 2", 1.0)
  description ("Position of stop 2 on the luminance axis (0 = black, "
               "1 = white); a negative value switches the stop off")
  value_range (-1.0, 1.0)

property_color  (color3, "Color 3", "#808080")
  description ("Colour of stop 3")
property_double (stop3, "Stop 3", -1.0)
  description ("Position of stop 3 on the luminance axis (0 = black, "
               "1 = white); a negative value (the default) switches the "
               "stop off")
  value_range (-1.0, 1.0)

property_color  (color4, "Color 4", "#808080")
  description ("Colour of stop 4")
property_double (stop4, "Stop 4", -1.0)
  description ("Position of stop 4 on the luminance axis (0 = black, "
               "1 = white); a negative value (the default) switches the "
               "stop off")
  value_range (-1.0, 1.0)

property_color  (color5, "Color 5", "#808080")
  description ("Colour of stop 5")
property_double (stop5, "Stop 5", -1.0)
  description ("Position of stop 5 on the luminance axis (0 = black, "
               "1 = white); a negative value (the default) switches the "
               "stop off")
  value_range (-1.0, 1.0)

property_boolean (srgb, "Perceptual (sRGB) interpolation", TRUE)
  description ("Interpolate between stop colours in gamma-encoded sRGB "
               "instead of linear light")

#else

#define GEGL_OP_POINT_FILTER
#define GEGL_OP_NAME     imgflo_gradient_map
#define GEGL_OP_C_SOURCE gradient-map.c

#include "gegl-op.h"

#include <stdlib.h>
#include <string.h>

#define N_STOPS  5
#define LUT_SIZE 1024   /* LUT has LUT_SIZE + 1 entries over [0, 1] */

typedef struct
{
  gdouble position;
  gint    index;
  gfloat  rgb[3];
} Stop;

static void
prepare (GeglOperation *operation)
{
  GeglProperties *o     = GEGL_PROPERTIES (operation);
  const Babl     *space = gegl_operation_get_source_space (operation, "input");

  gegl_operation_set_format (operation, "input",
                             babl_format_with_space ("Y'A float", space));
  gegl_operation_set_format (operation, "output",
                             babl_format_with_space ("RGBA float", space));

  /* sRGB-encoded -> linear conversion used by build_lut(); babl owns the
   * fish, so nothing needs freeing.  Created here rather than in process()
   * to keep babl's fish cache out of the threaded code path. */
  o->user_data = (gpointer) babl_fish (
                   babl_format_with_space ("R'G'B' float", space),
                   babl_format_with_space ("RGB float", space));
}

static gint
compare_stops (gconstpointer a,
               gconstpointer b)
{
  const Stop *sa = a;
  const Stop *sb = b;

  if (sa->position < sb->position)
    return -1;
  if (sa->position > sb->position)
    return 1;
  return sa->index - sb->index;
}

/* The active stops, in work_format, sorted by position; black -> white
 * when none is on.  Returns how many there are. */
static gint
collect_stops (GeglProperties *o,
               const Babl     *work_format,
               Stop           *stops)
{
  GeglColor *colors[N_STOPS]    = { o->color1, o->color2, o->color3,
                                    o->color4, o->color5 };
  gdouble    positions[N_STOPS] = { o->stop1, o->stop2, o->stop3,
                                    o->stop4, o->stop5 };
  gint       n_active = 0;
  gint       i;

  for (i = 0; i < N_STOPS; i++)
    {
      if (positions[i] < 0.0 || colors[i] == NULL)
        continue;

      stops[n_active].position = CLAMP (positions[i], 0.0, 1.0);
      stops[n_active].index    = i;
      gegl_color_get_pixel (colors[i], work_format, stops[n_active].rgb);
      n_active++;
    }

  if (n_active == 0)
    {
      /* Nothing switched on: behave like a black -> white map. */
      GeglColor *black = gegl_color_new ("#000000");
      GeglColor *white = gegl_color_new ("#ffffff");

      stops[0].position = 0.0;
      stops[0].index    = 0;
      gegl_color_get_pixel (black, work_format, stops[0].rgb);
      stops[1].position = 1.0;
      stops[1].index    = 1;
      gegl_color_get_pixel (white, work_format, stops[1].rgb);
      n_active = 2;

      g_object_unref (black);
      g_object_unref (white);
    }

  qsort (stops, n_active, sizeof (Stop), compare_stops);
  return n_active;
}

/* Fills lut (LUT_SIZE + 1 RGB triplets) by interpolating between the
 * sorted stops, in their encoding. */
static void
interpolate_stops (const Stop *stops,
                   gint        n_active,
                   gfloat     *lut)
{
  gint seg = 0;
  gint i;

  for (i = 0; i <= LUT_SIZE; i++)
    {
      gdouble t   = (gdouble) i / LUT_SIZE;
      gfloat *dst = lut + i * 3;
      gint    c;

      if (t <= stops[0].position)
        {
          memcpy (dst, stops[0].rgb, sizeof (gfloat) * 3);
          continue;
        }
      if (t >= stops[n_active - 1].position)
        {
          memcpy (dst, stops[n_active - 1].rgb, sizeof (gfloat) * 3);
          continue;
        }

      /* t increases monotonically, so the segment only moves forward. */
      while (seg < n_active - 2 && t >= stops[seg + 1].position)
        seg++;

      {
        const Stop *a     = &stops[seg];
        const Stop *b     = &stops[seg + 1];
        gdouble     width = b->position - a->position;
        gdouble     f     = width > 0.0 ? (t - a->position) / width : 1.0;

        for (c = 0; c < 3; c++)
          dst[c] = a->rgb[c] + (b->rgb[c] - a->rgb[c]) * f;
      }
    }
}

/* Fills lut (LUT_SIZE + 1 RGB triplets, linear light) with the gradient. */
static void
build_lut (GeglProperties *o,
           const Babl     *space,
           gfloat         *lut)
{
  const Babl *work_format = babl_format_with_space (o->srgb ? "R'G'B' float"
                                                            : "RGB float",
                                                    space);
  Stop        stops[N_STOPS];
  gint        n_active = collect_stops (o, work_format, stops);

  interpolate_stops (stops, n_active, lut);

  if (o->srgb)
    {
      /* Interpolated in sRGB-encoded values: convert the table to linear
       * light, since the op outputs linear RGBA. */
      gfloat encoded[(LUT_SIZE + 1) * 3];

      const Babl *fish = o->user_data;

      if (fish == NULL)   /* prepare() not run; should not happen */
        fish = babl_fish (work_format,
                          babl_format_with_space ("RGB float", space));

      memcpy (encoded, lut, sizeof (encoded));
      babl_process (fish, encoded, lut, LUT_SIZE + 1);
    }
}

static gboolean
process (GeglOperation       *operation,
         void                *in_buf,
         void                *out_buf,
         glong                n_pixels,
         const GeglRectangle *roi,
         gint                 level)
{
  GeglProperties *o     = GEGL_PROPERTIES (operation);
  const Babl     *space = babl_format_get_space (
                            gegl_operation_get_format (operation, "output"));
  const gfloat   *in    = in_buf;
  gfloat         *out   = out_buf;
  gfloat          lut[(LUT_SIZE + 1) * 3];
  glong           i;

  (void) roi;
  (void) level;

  build_lut (o, space, lut);

  for (i = 0; i < n_pixels; i++)
    {
      gfloat        t = in[0];
      gfloat        pos;
      gint          idx;
      gfloat        frac;
      const gfloat *a;
      const gfloat *b;

      if (!(t > 0.0f))          /* also catches NaN */
        t = 0.0f;
      else if (t > 1.0f)
        t = 1.0f;

      pos  = t * LUT_SIZE;
      idx  = (gint) pos;
      if (idx >= LUT_SIZE)
        idx = LUT_SIZE - 1;
      frac = pos - idx;

      a = lut + idx * 3;
      b = a + 3;

      out[0] = a[0] + (b[0] - a[0]) * frac;
      out[1] = a[1] + (b[1] - a[1]) * frac;
      out[2] = a[2] + (b[2] - a[2]) * frac;
      out[3] = in[1];

      in  += 2;
      out += 4;
    }

  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass            *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationPointFilterClass *point_class     =
    GEGL_OPERATION_POINT_FILTER_CLASS (klass);

  operation_class->prepare = prepare;
  point_class->process     = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:gradient-map",
    "title",       "Gradient Map",
    "categories",  "color",
    "description", "Maps the luminance of each pixel onto a gradient of up "
                   "to five colour stops, keeping alpha",
    NULL);
}

#endif
