/* The render's images as GEGL buffers: the input's and the image inports'
 * pixels wrapped (or widened) and fed to their pads through buffer sources. */
#include "render-graph.h"
#include "input-tiles.h"
#include "wire-pixels.h"

/* The GeglBuffer holding an image; takes over *payload: an 8-bit buffer
 * wraps it, a 16-bit one widens its tiles from it as GEGL reads them. */
static GeglBuffer *
input_buffer_new (const GeglRectangle *rect, guint8 **payload)
{
  GeglBuffer *buffer;

  if (wire_input_is_wire ())
    /* Wrap the payload without copying; the buffer frees it when done. */
    buffer = gegl_buffer_linear_new_from_data (*payload, wire_input_format (), rect,
                                               rect->width * 4, g_free, *payload);
  else
    buffer = input_tiles_buffer_new (rect, *payload);
  if (buffer)
    *payload = NULL;
  return buffer;
}

/* Feeds `buffer` (taken over; NULL: it could not be made) to `pad`. */
static gboolean
render_feed_buffer (Graph *g, GraphNode *target, const gchar *pad, GeglBuffer *buffer)
{
  GeglNode *source;

  if (!buffer)
    {
      render_fail (g, "internal", g_strdup ("Could not create an input buffer."));
      return FALSE;
    }
  source = gegl_node_new_child (g->graph,
                                "operation", "gegl:buffer-source",
                                "buffer", buffer,
                                NULL);
  g_object_unref (buffer);
  if (!gegl_node_connect_to (source, "output", target->node, pad))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("GEGL refused to connect an image to '%s'.%s.",
                                    target->id, pad));
      return FALSE;
    }
  return TRUE;
}

gboolean
render_feed_pixels (Graph *g, GraphNode *target, const gchar *pad, const GeglRectangle *rect,
                    guint8 **pixels)
{
  return render_feed_buffer (g, target, pad, input_buffer_new (rect, pixels));
}

/* The buffer of a region whose graph needs the whole image's extent: the
 * region's pixels in their place, nothing elsewhere (GEGL allocates no tile
 * it is not given). Takes over `region`. */
static GeglBuffer *
within_extent (GeglBuffer *region, const GeglRectangle *extent)
{
  GeglBuffer *whole = gegl_buffer_new (extent, gegl_buffer_get_format (region));

  gegl_buffer_copy (region, NULL, GEGL_ABYSS_NONE, whole, NULL);
  g_object_unref (region);
  return whole;
}

/* Feeds the input image to its node. Takes over *payload. */
gboolean
render_feed_input (Graph *g, const RenderSpec *spec, guint8 **payload)
{
  GeglRectangle rect = { spec->input_x, spec->input_y, spec->input_width, spec->input_height };
  GeglBuffer   *buffer;

  if (!g->input)
    return TRUE;
  buffer = input_buffer_new (&rect, payload);
  if (buffer && !gegl_rectangle_is_empty (&spec->input_extent))
    buffer = within_extent (buffer, &spec->input_extent);
  return render_feed_buffer (g, g->input, spec->input_pad, buffer);
}
