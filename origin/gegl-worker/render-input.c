/* The render's images as GEGL buffers: the input's and the image inports'
 * pixels wrapped (or widened) and fed to their pads through buffer sources. */
#include "render-graph.h"
#include "large-buffer.h"
#include "wire-pixels.h"

/* Makes the GeglBuffer holding the input image; takes over *payload: an
 * 8-bit buffer wraps it, a 16-bit one is filled band by band and the
 * payload freed. */
static GeglBuffer *
input_buffer_new (const GeglRectangle *rect, guint8 **payload)
{
  const Babl *format = wire_input_format ();
  GeglBuffer *buffer;
  const gint  band = 64;
  guint8     *tmp;
  const guint8 *src = *payload;

  if (wire_input_is_wire ())
    {
      /* Wrap the payload without copying; the buffer frees it when done. */
      buffer = gegl_buffer_linear_new_from_data (*payload, format, rect,
                                                 rect->width * 4, g_free, *payload);
      if (buffer)
        *payload = NULL;
      return buffer;
    }

  buffer = gegl_buffer_new (rect, format);
  tmp = g_malloc ((gsize) rect->width * band * babl_format_get_bytes_per_pixel (format));
  for (gint y = 0; y < rect->height; y += band)
    {
      gint          rows = MIN (band, rect->height - y);
      gsize         n = (gsize) rect->width * rows;
      GeglRectangle r = { rect->x, rect->y + y, rect->width, rows };

      wire_to_input (src, tmp, n);
      src += n * 4;
      gegl_buffer_set (buffer, &r, 0, format, tmp, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (tmp);
  g_clear_pointer (payload, g_free);
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
