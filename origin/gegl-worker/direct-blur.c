#include "direct-blur.h"
#include "image-blur.h"
#include "kept-image.h"
#include "wire-pixels.h"

#include <string.h>

/* Converts one row in runs that start on GEGL's tile grid, as reading a
 * tiled buffer does, so babl sees the same runs. */
static void
convert_row (const Babl *fish, const guint8 *src, gsize src_bpp, guint8 *dst, gsize dst_bpp,
             gint width, gint run)
{
  for (gint x = 0; x < width; x += run)
    babl_process (fish, src + x * src_bpp, dst + x * dst_bpp, MIN (run, width - x));
}

/* Fills pixels 0..255 of `pixels` (in the input format) with the opaque
 * grey of value order[i]. */
static void
opaque_greys (guint8 *pixels, const guint8 *order)
{
  guint8 wire[256 * CHANNELS];

  for (gint i = 0; i < 256; i++)
    {
      memset (wire + i * CHANNELS, order[i], CHANNELS - 1);
      wire[i * CHANNELS + CHANNELS - 1] = 255;
    }
  wire_to_input (wire, pixels, 256);
}

/* What babl turns each 8-bit channel value of an opaque pixel into, so that
 * opaque runs (most photographs are opaque throughout) are converted by
 * lookup, about six times faster. The table is taken from the fish itself,
 * twice with the values in opposite orders; it is used only when both agree
 * and every channel came out alike (babl converts a pixel's channels
 * independently and each pixel by itself, which this confirms). */
static gboolean
opaque_table (const Babl *to_float, gsize in_bpp, gint run, gfloat table[256])
{
  guint8   order[2][256];
  guint8  *pixels = g_malloc (256 * in_bpp);
  gfloat  *floats[2] = { g_new (gfloat, 256 * CHANNELS), g_new (gfloat, 256 * CHANNELS) };
  gboolean same = TRUE;

  for (gint i = 0; i < 256; i++)
    {
      order[0][i] = (guint8) i;
      order[1][i] = (guint8) (255 - i);
    }
  for (gint k = 0; k < 2; k++)
    {
      opaque_greys (pixels, order[k]);
      convert_row (to_float, pixels, in_bpp, (guint8 *) floats[k], CHANNELS * sizeof (gfloat), 256,
                   run);
    }
  for (gint v = 0; v < 256 && same; v++)
    {
      const gfloat *a = floats[0] + v * CHANNELS;
      const gfloat *b = floats[1] + (255 - v) * CHANNELS;

      same = memcmp (a, b, CHANNELS * sizeof (gfloat)) == 0 &&
             memcmp (&a[1], &a[0], sizeof (gfloat)) == 0 &&
             memcmp (&a[2], &a[0], sizeof (gfloat)) == 0 && a[3] == 1.0f;
      table[v] = a[0];
    }
  g_free (floats[0]);
  g_free (floats[1]);
  g_free (pixels);
  return same;
}

/* The input, as GEGL would get it: in the worker's input format, then
 * converted by babl, or by the table for runs that are opaque throughout.
 * `scratch` holds one run of input-format pixels. */
static void
convert_input_row (const Babl *to_float, const gfloat *table, const guint8 *rgba, gfloat *dst,
                   gint width, gint run, guint8 *scratch)
{
  for (gint x = 0; x < width; x += run)
    {
      const gint    n = MIN (run, width - x);
      const guint8 *src = rgba + (gsize) x * CHANNELS;
      gfloat       *out = dst + (gsize) x * CHANNELS;
      gboolean      opaque = table != NULL;

      for (gint i = 0; i < n && opaque; i++)
        opaque = src[i * CHANNELS + 3] == 255;
      if (opaque)
        {
          for (gint i = 0; i < n; i++)
            {
              out[i * CHANNELS + 0] = table[src[i * CHANNELS + 0]];
              out[i * CHANNELS + 1] = table[src[i * CHANNELS + 1]];
              out[i * CHANNELS + 2] = table[src[i * CHANNELS + 2]];
              out[i * CHANNELS + 3] = 1.0f;
            }
          continue;
        }
      if (!wire_input_is_wire ())
        {
          wire_to_input (src, scratch, n);
          src = scratch;
        }
      babl_process (to_float, src, out, n);
    }
}

/* One render's data, shared by the threads that each take a part of a pass. */
typedef struct
{
  const guint8 *rgba;
  guint8       *out;
  gfloat       *image;
  gint          width;
  gint          height;
  gsize         row_floats;
  gint          run;
  gsize         in_bpp;
  const Babl   *to_float;
  const Babl   *to_output;
  const gfloat *table;      /* NULL when babl converts every run */
  ImageBlur     filter;
  gint          failed;     /* a thread could not allocate its scratch run */
} BlurJob;

static void
convert_input_rows (gsize first, gsize count, gpointer data)
{
  BlurJob *job = data;
  guint8  *scratch = g_try_malloc ((gsize) job->run * job->in_bpp);

  if (!scratch)
    {
      g_atomic_int_set (&job->failed, 1);
      return;
    }
  for (gsize y = first; y < first + count; y++)
    convert_input_row (job->to_float, job->table, job->rgba + y * job->width * CHANNELS,
                       job->image + y * job->row_floats, job->width, job->run, scratch);
  g_free (scratch);
}

static void
convert_output_rows (gsize first, gsize count, gpointer data)
{
  BlurJob *job = data;

  for (gsize y = first; y < first + count; y++)
    convert_row (job->to_output, (const guint8 *) (job->image + y * job->row_floats),
                 CHANNELS * sizeof (gfloat), job->out + y * job->width * CHANNELS, CHANNELS,
                 job->width, job->run);
}

/* The input converted, blurred and converted to the wire, each step divided
 * among GEGL's threads (gegl_config's "threads"). */
static gboolean
blur_passes (BlurJob *job)
{
  gegl_parallel_distribute_range (job->height, IMAGE_BLUR_LINE_COST, convert_input_rows, job);
  if (job->failed || !image_blur_run (&job->filter, job->image, job->width, job->height))
    return FALSE;
  gegl_parallel_distribute_range (job->height, IMAGE_BLUR_LINE_COST, convert_output_rows, job);
  return TRUE;
}

gboolean
direct_blur_render (GeglNode *blur, guint8 *rgba, gint width, gint height)
{
  const Babl *input_format = wire_input_format ();
  const Babl *blur_format = babl_format_with_space (IMAGE_BLUR_FORMAT,
                                                    babl_format_get_space (input_format));
  gfloat      table[256];
  gboolean    blurred = FALSE;
  BlurJob     job = {
    .rgba = rgba,
    .out = rgba,
    .width = width,
    .height = height,
    .row_floats = (gsize) width * CHANNELS,
    .in_bpp = babl_format_get_bytes_per_pixel (input_format),
    .to_float = babl_fish (input_format, blur_format),
    .to_output = babl_fish (blur_format, babl_format (WIRE_FORMAT)),
  };

  image_blur_of (blur, &job.filter);
  g_object_get (gegl_config (), "tile-width", &job.run, NULL);

  job.image = kept_image_take ((gsize) height * job.row_floats * sizeof (gfloat));
  if (job.image)
    {
      job.table = opaque_table (job.to_float, job.in_bpp, job.run, table) ? table : NULL;
      blurred = blur_passes (&job);
    }
  kept_image_give_back (job.image);
  return blurred;
}
