/* The render request's JSON, read into a RenderSpec (render-graph.h): what
 * the origin's compile has checked already is trusted; what could crash or
 * hang the process if malformed is refused as "bad-request". */
#include "render-graph.h"

void
render_fail (Graph *g, const gchar *kind, gchar *message)
{
  if (g->error)
    {
      g_free (message);
      return;
    }
  g->error = message;
  g->error_kind = kind;
}


JsonNode *
render_member (JsonObject *obj, const gchar *name)
{
  JsonNode *node;

  if (!obj || !json_object_has_member (obj, name))
    return NULL;
  node = json_object_get_member (obj, name);
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}


static gboolean
node_is_string (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}


static gboolean
node_is_number (JsonNode *node)
{
  GType t;

  if (!node || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}


/* Optional string member: default when absent, error when of another type. */
gboolean
render_get_string (Graph *g, JsonObject *obj, const gchar *where, const gchar *name,
            const gchar *fallback, const gchar **out)
{
  JsonNode *node = render_member (obj, name);

  if (!node)
    {
      if (!fallback)
        {
          render_fail (g, "bad-request", g_strdup_printf ("%s needs a \"%s\" string.", where, name));
          return FALSE;
        }
      *out = fallback;
      return TRUE;
    }
  if (!node_is_string (node) || *json_node_get_string (node) == '\0')
    {
      render_fail (g, "bad-request", g_strdup_printf ("%s: \"%s\" must be a non-empty string.", where, name));
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}


/* A numeric member's value as an integer from `min` up (accepts integral
 * doubles), named `what` in the error. */
static gboolean
integer_member (Graph *g, JsonNode *node, const gchar *where, const gchar *name, gint min,
                const gchar *what, gint *out)
{
  gdouble d;

  if (!node_is_number (node))
    {
      render_fail (g, "bad-request", g_strdup_printf ("%s needs a numeric \"%s\".", where, name));
      return FALSE;
    }
  d = json_node_get_double (node);
  if (d != (gdouble) (gint64) d || d < min || d > G_MAXINT / 2)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("%s: \"%s\" must be %s (got %g).", where, name, what, d));
      return FALSE;
    }
  *out = (gint) d;
  return TRUE;
}

/* Optional non-negative integer member, 0 when absent. */
gboolean
render_get_offset (Graph *g, JsonObject *obj, const gchar *where, const gchar *name, gint *out)
{
  JsonNode *node = render_member (obj, name);

  *out = 0;
  return !node || integer_member (g, node, where, name, 0, "a non-negative integer", out);
}

/* Required positive integer member. */
gboolean
render_get_positive_int (Graph *g, JsonObject *obj, const gchar *where, const gchar *name,
                         gint *out)
{
  return integer_member (g, render_member (obj, name), where, name, 1, "a positive integer", out);
}


/* An object {"width":w,"height":h} of positive integers at `where`, as the
 * rectangle (0, 0, w, h). */
static gboolean
parse_size_object (Graph *g, JsonNode *node, const gchar *where, GeglRectangle *out)
{
  gint w, h;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      render_fail (g, "bad-request", g_strdup_printf ("\"%s\" must be an object or null.", where));
      return FALSE;
    }
  if (!render_get_positive_int (g, json_node_get_object (node), where, "width", &w) ||
      !render_get_positive_int (g, json_node_get_object (node), where, "height", &h))
    return FALSE;
  *out = (GeglRectangle) { 0, 0, w, h };
  return TRUE;
}

/* "input"."extent": the size of the whole image the input's pixels are a
 * region of, when the graph's operations depend on where it ends; it must
 * hold the region. Absent: the extent is the region's. */
static gboolean
parse_input_extent (Graph *g, JsonObject *input, RenderSpec *spec)
{
  JsonNode     *extent_node = render_member (input, "extent");
  GeglRectangle extent;

  if (!extent_node)
    return TRUE;
  if (!parse_size_object (g, extent_node, "input.extent", &extent))
    return FALSE;
  if ((gint64) spec->input_x + spec->input_width > extent.width ||
      (gint64) spec->input_y + spec->input_height > extent.height)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("The input's %dx%d pixels at %d,%d are not inside its "
                                    "%dx%d extent.", spec->input_width, spec->input_height,
                                    spec->input_x, spec->input_y, extent.width, extent.height));
      return FALSE;
    }
  spec->input_extent = extent;
  return TRUE;
}

/* "input": where the input image goes and its size, the payload's length
 * checked against it and the images'. Absent: a generator. */
static gboolean
parse_input (Graph *g, JsonObject *request, gsize payload_len, gboolean input_file,
             RenderSpec *spec)
{
  JsonNode   *input_node = render_member (request, "input");
  JsonObject *obj;
  guint64     images = render_payload_image_bytes (spec);
  guint64     expected;

  if (!input_node)
    {
      if (payload_len != images)
        {
          render_fail (g, "bad-request",
                       g_strdup_printf ("The request has a %" G_GSIZE_FORMAT
                                        "-byte payload but no \"input\" and %" G_GUINT64_FORMAT
                                        " bytes of images.", payload_len, images));
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (input_node))
    {
      render_fail (g, "bad-request", g_strdup ("\"input\" must be an object or null."));
      return FALSE;
    }
  obj = json_node_get_object (input_node);
  if (!render_get_string (g, obj, "input", "node", NULL, &spec->input_node) ||
      !render_get_string (g, obj, "input", "pad", "input", &spec->input_pad) ||
      !render_get_positive_int (g, obj, "input", "width", &spec->input_width) ||
      !render_get_positive_int (g, obj, "input", "height", &spec->input_height) ||
      !render_get_offset (g, obj, "input", "x", &spec->input_x) ||
      !render_get_offset (g, obj, "input", "y", &spec->input_y) ||
      !parse_input_extent (g, obj, spec))
    return FALSE;

  expected = (input_file ? 0 : (guint64) spec->input_width * (guint64) spec->input_height * 4) +
             images;
  if (expected != payload_len)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("The input is %dx%d%s, with %" G_GUINT64_FORMAT
                                    " bytes of images, so the payload must be %" G_GUINT64_FORMAT
                                    " bytes of RGBA, but it is %" G_GSIZE_FORMAT " bytes.",
                                    spec->input_width, spec->input_height,
                                    input_file ? " in a file" : "", images, expected, payload_len));
      return FALSE;
    }
  return TRUE;
}

/* "output": the node and pad whose pixels are rendered. */
static gboolean
parse_output (Graph *g, JsonObject *request, RenderSpec *spec)
{
  JsonNode   *output_node = render_member (request, "output");
  JsonObject *output;

  if (!output_node || !JSON_NODE_HOLDS_OBJECT (output_node))
    {
      render_fail (g, "bad-request", g_strdup ("A render request needs an \"output\" object."));
      return FALSE;
    }
  output = json_node_get_object (output_node);
  return render_get_string (g, output, "output", "node", NULL, &spec->output_node) &&
         render_get_string (g, output, "output", "pad", "output", &spec->output_pad);
}

/* "max_pixels": the limit is the origin's (MAX_PIXELS); the worker keeps no
 * default of its own. */
static gboolean
parse_max_pixels (Graph *g, JsonObject *request, RenderSpec *spec)
{
  JsonNode *max_node = render_member (request, "max_pixels");
  gdouble   d = max_node && node_is_number (max_node) ? json_node_get_double (max_node) : -1;

  if (d < 1)
    {
      render_fail (g, "bad-request", g_strdup ("\"max_pixels\" must be a positive number."));
      return FALSE;
    }
  spec->max_pixels = d > (gdouble) G_MAXINT64 / 2 ? G_MAXINT64 / 2 : (gint64) d;
  return TRUE;
}

/* "size": an explicit output rectangle, else the graph's bounding box. */
static gboolean
parse_size (Graph *g, JsonObject *request, RenderSpec *spec)
{
  JsonNode *size_node = render_member (request, "size");

  if (!size_node)
    return TRUE;
  spec->sized = parse_size_object (g, size_node, "size", &spec->size);
  return spec->sized;
}

/* "threads": GEGL's threads for this render (the origin gives a render that has
 * the machine to itself more); 0 when absent: the worker's setting stays. */
static gboolean
parse_threads (Graph *g, JsonObject *request, RenderSpec *spec)
{
  if (!render_member (request, "threads"))
    return TRUE;
  return render_get_positive_int (g, request, "request", "threads", &spec->threads);
}

gboolean
render_parse (Graph *g, JsonObject *request, gsize payload_len, gboolean input_file,
              RenderSpec *spec)
{
  *spec = (RenderSpec) { 0 };
  return render_parse_images (g, request, spec) &&
         parse_input (g, request, payload_len, input_file, spec) &&
         parse_output (g, request, spec) && parse_max_pixels (g, request, spec) &&
         parse_size (g, request, spec) && parse_threads (g, request, spec);
}
