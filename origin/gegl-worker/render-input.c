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

gboolean
render_feed_pixels (Graph *g, GraphNode *target, const gchar *pad, const GeglRectangle *rect,
                    guint8 **pixels)
{
  GeglBuffer *buffer;
  GeglNode   *source;

  buffer = input_buffer_new (rect, pixels);
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

/* Feeds the input image to its node. Takes over *payload. */
gboolean
render_feed_input (Graph *g, const RenderSpec *spec, guint8 **payload)
{
  GeglRectangle rect = { spec->input_x, spec->input_y, spec->input_width, spec->input_height };

  return !g->input || render_feed_pixels (g, g->input, spec->input_pad, &rect, payload);
}
