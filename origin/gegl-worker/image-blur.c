/* The recursive Gaussian over a whole image (image-blur.h). */
#include "image-blur.h"

#include <string.h>

/* gegl:gaussian-blur's "filter" enum values. */
enum { FILTER_AUTO = 0, FILTER_FIR = 1, FILTER_IIR = 2 };

static gboolean
uses_recursion (gint filter, gdouble std_dev)
{
  /* GEGL's "auto" threshold: below a standard deviation of 1 it convolves. */
  return filter == FILTER_IIR || (filter == FILTER_AUTO && std_dev >= 1.0);
}

gboolean
image_blur_enabled (void)
{
  const gchar *mode = g_getenv ("IMGFLO_WORKER_DIRECT");

  return !(mode && strcmp (mode, "0") == 0);
}

gboolean
image_blur_applies (GeglNode *blur)
{
  gdouble  std_dev_x, std_dev_y;
  gint     filter, abyss;
  gboolean clip;

  gegl_node_get (blur, "std-dev-x", &std_dev_x, "std-dev-y", &std_dev_y, "filter", &filter,
                 "abyss-policy", &abyss, "clip-extent", &clip, NULL);
  return clip && abyss >= ABYSS_NONE && abyss <= ABYSS_WHITE &&
         uses_recursion (filter, std_dev_x) && uses_recursion (filter, std_dev_y);
}

void
image_blur_of (GeglNode *blur, ImageBlur *filter)
{
  gdouble std_dev_x, std_dev_y;

  gegl_node_get (blur, "std-dev-x", &std_dev_x, "std-dev-y", &std_dev_y, "abyss-policy",
                 &filter->abyss, NULL);
  recursion_for ((gfloat) std_dev_x, &filter->across);
  recursion_for ((gfloat) std_dev_y, &filter->down);
}

/* One axis of the blur: its lines (rows across, or columns down), filtered
 * `per_block` side by side; a line's pixels are `step` floats apart, its
 * neighbour line `line_stride` floats. */
typedef struct
{
  void            (*filter) (gfloat *data, gsize step, gsize group_stride, gint groups, gint len,
                             const Recursion *r, gint abyss, gdouble *t);
  gint             per_block;
  gint             lines;
  gint             len;
  gsize            step;
  gsize            line_stride;
  const Recursion *r;
} Axis;

typedef struct
{
  const Axis *axis;
  gfloat     *image;
  gint        abyss;
  gint        failed; /* a thread could not allocate its temporaries */
} AxisPass;

/* Blocks [first, first + count) of an axis' lines. */
static void
filter_blocks (gsize first, gsize count, gpointer data)
{
  AxisPass   *pass = data;
  const Axis *axis = pass->axis;
  gdouble    *t = g_try_malloc ((gsize) (axis->len + 6) * axis->per_block * CHANNELS *
                                sizeof (gdouble));

  if (!t)
    {
      g_atomic_int_set (&pass->failed, 1);
      return;
    }
  for (gsize b = first; b < first + count; b++)
    {
      const gint line = (gint) b * axis->per_block;

      axis->filter (pass->image + (gsize) line * axis->line_stride, axis->step, axis->line_stride,
                    MIN (axis->per_block, axis->lines - line), axis->len, axis->r, pass->abyss, t);
    }
  g_free (t);
}

gboolean
image_blur_run (const ImageBlur *filter, gfloat *image, gint width, gint height)
{
  const gsize row_floats = (gsize) width * CHANNELS;
  /* Across every row, then down every column, as gegl:gaussian-blur does. */
  const Axis  axes[] = {
    { filter_rows, ROWS_PER_PASS, height, width, CHANNELS, row_floats, &filter->across },
    { filter_columns, COLUMNS_PER_PASS, width, height, row_floats, CHANNELS, &filter->down },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (axes); i++)
    {
      AxisPass pass = { &axes[i], image, filter->abyss, 0 };

      gegl_parallel_distribute_range ((axes[i].lines + axes[i].per_block - 1) / axes[i].per_block,
                                      IMAGE_BLUR_LINE_COST / axes[i].per_block, filter_blocks,
                                      &pass);
      if (pass.failed)
        return FALSE;
    }
  return TRUE;
}
