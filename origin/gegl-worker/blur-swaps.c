/* Puts imgflo:whole-image-blur in graphs (blur-swaps.h). */
#include "blur-swaps.h"
#include "whole-image-blur.h"

#include <gegl-plugin.h>
#include <string.h>

/* The source models for which gblur-1d blurs another format than
 * IMAGE_BLUR_FORMAT (its prepare): RGB, grey, with or without alpha, CMYK. */
static const gchar *const other_format_models[] = {
  "RGB", "R'G'B'", "Y", "Y'", "YA", "Y'A", "YaA", "Y'aA",
  "cmyk", "CMYK", "cmykA", "camayakaA", "CMYKA", "CaMaYaKaA",
};

static gboolean
blurs_rgba (const Babl *source_format)
{
  const Babl *model = source_format ? babl_format_get_model (source_format) : NULL;

  for (gsize i = 0; model && i < G_N_ELEMENTS (other_format_models); i++)
    if (babl_model_is (model, other_format_models[i]))
      return FALSE;
  return TRUE;
}

/* Whether `blur` (a gegl:gaussian-blur) is one the swap computes: the
 * recursive filter clipped to a bounded, non-empty input of RGBA. Asking
 * for its bounding box prepares it and what feeds it. */
static gboolean
swappable (GeglNode *blur)
{
  GeglNode     *producer = gegl_node_get_producer (blur, "input", NULL);
  GeglRectangle box;

  if (!producer || !image_blur_applies (blur))
    return FALSE;
  box = gegl_node_get_bounding_box (blur);
  return !gegl_rectangle_is_infinite_plane (&box) && box.width > 0 && box.height > 0 &&
         blurs_rgba (gegl_operation_get_source_format (gegl_node_get_gegl_operation (blur),
                                                       "input"));
}

/* The swap in `blur`'s place: fed by its producer, read by its consumers. */
static GeglNode *
swap (Graph *g, GeglNode *blur)
{
  ImageBlur     filter;
  gchar        *source_pad = NULL;
  GeglNode     *source = gegl_node_get_producer (blur, "input", &source_pad);
  GeglNode     *whole, **consumers = NULL;
  const gchar **pads = NULL;

  image_blur_of (blur, &filter);
  whole = whole_image_blur_new (g->graph, &filter);
  gegl_node_connect_to (source, source_pad, whole, "input");
  gegl_node_get_consumers (blur, "output", &consumers, &pads);
  for (guint c = 0; consumers && consumers[c]; c++)
    gegl_node_connect_to (whole, "output", consumers[c], pads[c]);
  gegl_node_disconnect (blur, "input");
  g_free (consumers);
  g_free (pads);
  g_free (source_pad);
  return whole;
}

void
blur_swaps_apply (Graph *g, GeglNode **target)
{
  if (!image_blur_enabled ())
    return;
  for (guint i = 0; i < g->nodes->len; i++)
    {
      GeglNode *blur = g_array_index (g->nodes, GraphNode, i).node;
      GeglNode *whole;

      if (strcmp (gegl_node_get_operation (blur), "gegl:gaussian-blur") != 0 || !swappable (blur))
        continue;
      whole = swap (g, blur);
      if (blur == *target)
        *target = whole;
    }
}
