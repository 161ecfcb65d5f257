/* The images a render request has besides its input (the origin's image
 * inports, contract §8): "images" in the request, each fed to its node's
 * pad through its own buffer source, from a pixel file or from the end of
 * the payload, after the input's pixels. */
#include "render-graph.h"
#include "pixel-file.h"

#include <string.h>

static gboolean
parse_image (Graph *g, JsonNode *item, guint i, ImageSpec *image)
{
  gchar      *where = g_strdup_printf ("images[%u]", i);
  JsonObject *obj;
  JsonNode   *file;
  gboolean    ok;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    {
      render_fail (g, "bad-request", g_strdup_printf ("%s must be an object.", where));
      g_free (where);
      return FALSE;
    }
  obj = json_node_get_object (item);
  ok = render_get_string (g, obj, where, "node", NULL, &image->node) &&
       render_get_string (g, obj, where, "pad", "input", &image->pad) &&
       render_get_positive_int (g, obj, where, "width", &image->width) &&
       render_get_positive_int (g, obj, where, "height", &image->height);
  file = render_member (obj, "file");
  if (ok && file)
    {
      ok = render_get_string (g, obj, where, "file", NULL, &image->file) &&
           g_path_is_absolute (image->file);
      if (!ok)
        render_fail (g, "bad-request", g_strdup_printf ("%s: \"file\" must be an absolute path.", where));
    }
  g_free (where);
  return ok;
}

gboolean
render_parse_images (Graph *g, JsonObject *request, RenderSpec *spec)
{
  JsonNode  *node = render_member (request, "images");
  JsonArray *images;

  if (!node)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) > RENDER_MAX_IMAGES)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("\"images\" must be an array of at most %d.", RENDER_MAX_IMAGES));
      return FALSE;
    }
  images = json_node_get_array (node);
  spec->n_images = json_array_get_length (images);
  for (guint i = 0; i < spec->n_images; i++)
    if (!parse_image (g, json_array_get_element (images, i), i, &spec->images[i]))
      return FALSE;
  return TRUE;
}

static guint64
image_bytes (const ImageSpec *image)
{
  return (guint64) image->width * (guint64) image->height * 4;
}

guint64
render_payload_image_bytes (const RenderSpec *spec)
{
  guint64 bytes = 0;

  for (guint i = 0; i < spec->n_images; i++)
    if (!spec->images[i].file)
      bytes += image_bytes (&spec->images[i]);
  return bytes;
}

/* One image's pixels, in an allocation of their own: read from its file, or
 * copied from the payload at *offset (then moved past them). */
static guint8 *
image_pixels (Graph *g, const ImageSpec *image, const guint8 *payload, gsize *offset)
{
  guint8 *pixels = NULL;
  gsize   len = 0;
  gchar  *error = NULL;

  if (!image->file)
    {
      pixels = g_memdup2 (payload + *offset, image_bytes (image));
      *offset += image_bytes (image);
      return pixels;
    }
  if (!pixel_file_read (image->file, &pixels, &len, &error))
    {
      render_fail (g, "bad-request", error);
      return NULL;
    }
  if (len != image_bytes (image))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("The pixel file %s does not hold %dx%d pixels.", image->file,
                                    image->width, image->height));
      g_free (pixels);
      return NULL;
    }
  return pixels;
}

gboolean
render_feed_images (Graph *g, const RenderSpec *spec, guint8 **payload, gsize *payload_len)
{
  gsize kept = *payload_len - render_payload_image_bytes (spec);
  gsize offset = kept;

  for (guint i = 0; i < spec->n_images; i++)
    {
      const ImageSpec *image = &spec->images[i];
      GraphNode       *target = render_input_pad (g, image->node, image->pad, "An image");
      guint8          *pixels = target ? image_pixels (g, image, *payload, &offset) : NULL;
      GeglRectangle    rect = { 0, 0, image->width, image->height };

      if (!pixels || !render_feed_pixels (g, target, image->pad, &rect, &pixels))
        {
          g_free (pixels);
          return FALSE;
        }
    }
  if (kept < *payload_len)
    {
      /* What is left is the input's: shrunk in place, or nothing. */
      *payload = kept > 0 ? g_realloc (*payload, kept) : (g_free (*payload), NULL);
      *payload_len = kept;
    }
  return TRUE;
}
