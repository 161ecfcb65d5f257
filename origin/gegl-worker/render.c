#include "render.h"
#include "diag.h"
#include "direct-blur.h"
#include "properties.h"
#include "wire-pixels.h"

#include <gegl.h>
#include <string.h>

typedef struct
{
  const gchar *id;    /* points into the request JSON */
  const gchar *op;
  GeglNode    *node;
} GraphNode;

typedef struct
{
  GeglNode   *graph;      /* parent of every node; unref frees all */
  GArray     *nodes;      /* GraphNode */
  GHashTable *by_id;      /* id -> index + 1 (GUINT_TO_POINTER) */
  gchar      *error;      /* first error, for the reply */
  const gchar *error_kind;
} Graph;

/* ---------------------------------------------------------------------------
 * Small JSON helpers. They return FALSE and set graph->error on failure.
 */

static void
fail (Graph *g, const gchar *kind, gchar *message)
{
  if (g->error)
    {
      g_free (message);
      return;
    }
  g->error = message;
  g->error_kind = kind;
}

static JsonNode *
member (JsonObject *obj, const gchar *name)
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
static gboolean
get_string (Graph *g, JsonObject *obj, const gchar *where, const gchar *name,
            const gchar *fallback, const gchar **out)
{
  JsonNode *node = member (obj, name);

  if (!node)
    {
      if (!fallback)
        {
          fail (g, "bad-request", g_strdup_printf ("%s needs a \"%s\" string.", where, name));
          return FALSE;
        }
      *out = fallback;
      return TRUE;
    }
  if (!node_is_string (node) || *json_node_get_string (node) == '\0')
    {
      fail (g, "bad-request", g_strdup_printf ("%s: \"%s\" must be a non-empty string.", where, name));
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

/* Required positive integer member (accepts integral doubles). */
static gboolean
get_positive_int (Graph *g, JsonObject *obj, const gchar *where, const gchar *name, gint *out)
{
  JsonNode *node = member (obj, name);
  gdouble   d;

  if (!node_is_number (node))
    {
      fail (g, "bad-request", g_strdup_printf ("%s needs a numeric \"%s\".", where, name));
      return FALSE;
    }
  d = json_node_get_double (node);
  if (d != (gdouble) (gint64) d || d < 1 || d > G_MAXINT / 2)
    {
      fail (g, "bad-request",
            g_strdup_printf ("%s: \"%s\" must be a positive integer (got %g).", where, name, d));
      return FALSE;
    }
  *out = (gint) d;
  return TRUE;
}

static GraphNode *
lookup (Graph *g, const gchar *id)
{
  gpointer index = g_hash_table_lookup (g->by_id, id);

  if (!index)
    return NULL;
  return &g_array_index (g->nodes, GraphNode, GPOINTER_TO_UINT (index) - 1);
}

static gboolean
strv_contains (gchar **strv, const gchar *s)
{
  return strv && g_strv_contains ((const gchar * const *) strv, s);
}

/* Asked of the node's own pad list: connecting to a meta-operation (gegl:gaussian-blur) succeeds
 * for any pad name. */
static gboolean
has_input_pad (GeglNode *node, const gchar *pad)
{
  gchar  **pads = gegl_node_list_input_pads (node);
  gboolean found = strv_contains (pads, pad);

  g_strfreev (pads);
  return found;
}

static gboolean
has_output_pad (GeglNode *node, const gchar *pad)
{
  gchar  **pads = gegl_node_list_output_pads (node);
  gboolean found = strv_contains (pads, pad);

  g_strfreev (pads);
  return found;
}

/* ---------------------------------------------------------------------------
 * Graph construction
 *
 * The origin's compile (origin/render/graph-job.ts) is the one check of a graph: what a user
 * can get wrong is refused there, with a message for them. The worker trusts that and keeps
 * only the guards without which a frame could crash or hang this process: a malformed request,
 * a name of nothing (operation, property, node, pad), a cycle, a value GEGL cannot convert.
 * Each is an origin bug, reported tersely as "bad-request". A repeated node id (the later node
 * is the one links name) and a second link into one input pad (GEGL keeps the last) are no
 * danger to the process, so they are not looked for.
 */

/* Text of a property value. Values are meant to arrive as JSON strings;
 * numbers and booleans are accepted too and turned into text. */
static gchar *
property_text (JsonNode *value)
{
  GType t;

  if (!value || !JSON_NODE_HOLDS_VALUE (value))
    return NULL;
  t = json_node_get_value_type (value);
  if (t == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (t == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  if (t == G_TYPE_DOUBLE)
    {
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (value)));
    }
  if (t == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? "true" : "false");
  return NULL;
}

static gboolean
apply_properties (Graph *g, GraphNode *gn, JsonObject *props)
{
  JsonObjectIter  iter;
  const gchar    *name;
  JsonNode       *value;

  json_object_iter_init (&iter, props);
  while (json_object_iter_next (&iter, &name, &value))
    {
      GParamSpec *pspec = gegl_operation_find_property (gn->op, name);
      GValue      v = G_VALUE_INIT;
      gchar      *text;
      gchar      *why = NULL;

      if (!pspec || !properties_is_exposed (pspec))
        {
          fail (g, "bad-request",
                g_strdup_printf ("Node '%s' (%s) has no property '%s'.", gn->id, gn->op, name));
          return FALSE;
        }
      text = property_text (value);
      if (!text)
        {
          fail (g, "bad-request",
                g_strdup_printf ("Node '%s' (%s): the value of property '%s' must be a string.",
                                 gn->id, gn->op, name));
          return FALSE;
        }
      if (!properties_from_string (pspec, text, &v, &why))
        {
          fail (g, "bad-request",
                g_strdup_printf ("Node '%s' (%s): invalid value for property '%s' (%s): %s.",
                                 gn->id, gn->op, name, properties_type_name (pspec), why));
          g_free (why);
          g_free (text);
          return FALSE;
        }
      gegl_node_set_property (gn->node, name, &v);
      g_value_unset (&v);
      g_free (text);
    }
  return TRUE;
}

static gboolean
build_nodes (Graph *g, JsonObject *request)
{
  JsonNode  *nodes_node = member (request, "nodes");
  JsonArray *nodes;
  guint      n;

  if (!nodes_node || !JSON_NODE_HOLDS_ARRAY (nodes_node))
    {
      fail (g, "bad-request", g_strdup ("A render request needs a \"nodes\" array."));
      return FALSE;
    }
  nodes = json_node_get_array (nodes_node);
  n = json_array_get_length (nodes);

  for (guint i = 0; i < n; i++)
    {
      JsonNode   *item = json_array_get_element (nodes, i);
      JsonObject *obj;
      JsonNode   *props;
      GraphNode   gn = { NULL, NULL, NULL };
      gchar      *where = g_strdup_printf ("nodes[%u]", i);
      gboolean    ok;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          fail (g, "bad-request", g_strdup_printf ("%s must be an object.", where));
          g_free (where);
          return FALSE;
        }
      obj = json_node_get_object (item);
      ok = get_string (g, obj, where, "id", NULL, &gn.id) &&
           get_string (g, obj, where, "op", NULL, &gn.op);
      g_free (where);
      if (!ok)
        return FALSE;

      if (!gegl_has_operation (gn.op))
        {
          fail (g, "bad-request",
                g_strdup_printf ("Node '%s' uses unknown operation '%s'.", gn.id, gn.op));
          return FALSE;
        }

      gn.node = gegl_node_new_child (g->graph, "operation", gn.op, NULL);
      g_array_append_val (g->nodes, gn);
      g_hash_table_insert (g->by_id, (gpointer) gn.id, GUINT_TO_POINTER (g->nodes->len));

      props = member (obj, "props");
      if (props)
        {
          if (!JSON_NODE_HOLDS_OBJECT (props))
            {
              fail (g, "bad-request",
                    g_strdup_printf ("Node '%s': \"props\" must be an object.", gn.id));
              return FALSE;
            }
          if (!apply_properties (g, lookup (g, gn.id), json_node_get_object (props)))
            return FALSE;
        }
    }
  return TRUE;
}

/* Kahn's algorithm over the links; GEGL would recurse forever on a cycle. */
static gboolean
check_acyclic (Graph *g, const guint *from, const guint *to, guint n_links)
{
  guint  n = g->nodes->len;
  guint *indegree = g_new0 (guint, n);
  guint *queue = g_new (guint, n);
  guint  head = 0, tail = 0, visited = 0;
  gboolean ok;

  for (guint l = 0; l < n_links; l++)
    indegree[to[l]]++;
  for (guint i = 0; i < n; i++)
    if (indegree[i] == 0)
      queue[tail++] = i;
  while (head < tail)
    {
      guint v = queue[head++];
      visited++;
      for (guint l = 0; l < n_links; l++)
        if (from[l] == v && --indegree[to[l]] == 0)
          queue[tail++] = to[l];
    }
  ok = visited == n;
  if (!ok)
    {
      for (guint i = 0; i < n; i++)
        if (indegree[i] > 0)
          {
            fail (g, "bad-request",
                  g_strdup_printf ("The graph has a cycle (through node '%s').",
                                   g_array_index (g->nodes, GraphNode, i).id));
            break;
          }
    }
  g_free (indegree);
  g_free (queue);
  return ok;
}

static gboolean
build_links (Graph *g, JsonObject *request)
{
  JsonNode  *links_node = member (request, "links");
  JsonArray *links;
  guint      n;
  guint     *from_idx, *to_idx;
  gboolean   ok = TRUE;

  if (!links_node)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (links_node))
    {
      fail (g, "bad-request", g_strdup ("\"links\" must be an array."));
      return FALSE;
    }
  links = json_node_get_array (links_node);
  n = json_array_get_length (links);
  from_idx = g_new0 (guint, n + 1);
  to_idx = g_new0 (guint, n + 1);

  /* Resolve every node first, refuse a cycle, connect afterwards. */
  for (guint i = 0; i < n && ok; i++)
    {
      JsonNode    *item = json_array_get_element (links, i);
      JsonObject  *obj;
      const gchar *from, *to, *from_pad, *to_pad;
      GraphNode   *src, *dst;
      gchar       *where = g_strdup_printf ("links[%u]", i);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          fail (g, "bad-request", g_strdup_printf ("%s must be an object.", where));
          g_free (where);
          ok = FALSE;
          break;
        }
      obj = json_node_get_object (item);
      ok = get_string (g, obj, where, "from", NULL, &from) &&
           get_string (g, obj, where, "to", NULL, &to) &&
           get_string (g, obj, where, "from_pad", "output", &from_pad) &&
           get_string (g, obj, where, "to_pad", "input", &to_pad);
      g_free (where);
      if (!ok)
        break;

      src = lookup (g, from);
      dst = lookup (g, to);
      if (!src || !dst)
        {
          fail (g, "bad-request",
                g_strdup_printf ("Link %u refers to node '%s', which is not in the graph.",
                                 i, src ? to : from));
          ok = FALSE;
          break;
        }
      if (!has_output_pad (src->node, from_pad) || !has_input_pad (dst->node, to_pad))
        {
          fail (g, "bad-request",
                g_strdup_printf ("Link %u: '%s'.%s or '%s'.%s is not a pad of the node.",
                                 i, from, from_pad, to, to_pad));
          ok = FALSE;
          break;
        }
      from_idx[i] = GPOINTER_TO_UINT (g_hash_table_lookup (g->by_id, from)) - 1;
      to_idx[i] = GPOINTER_TO_UINT (g_hash_table_lookup (g->by_id, to)) - 1;
    }

  if (ok)
    ok = check_acyclic (g, from_idx, to_idx, n);

  if (ok)
    {
      for (guint i = 0; i < n; i++)
        {
          JsonObject  *obj = json_array_get_object_element (links, i);
          const gchar *from_pad = "output", *to_pad = "input";
          GraphNode   *src = &g_array_index (g->nodes, GraphNode, from_idx[i]);
          GraphNode   *dst = &g_array_index (g->nodes, GraphNode, to_idx[i]);

          get_string (g, obj, "", "from_pad", "output", &from_pad);
          get_string (g, obj, "", "to_pad", "input", &to_pad);
          if (!gegl_node_connect_to (src->node, from_pad, dst->node, to_pad))
            {
              fail (g, "bad-request",
                    g_strdup_printf ("GEGL refused to connect '%s'.%s to '%s'.%s.",
                                     src->id, from_pad, dst->id, to_pad));
              ok = FALSE;
              break;
            }
        }
    }

  g_free (from_idx);
  g_free (to_idx);
  return ok;
}

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

/* The request's input image: where it goes and its size. */
typedef struct
{
  GraphNode   *target;    /* NULL when the request has no input */
  const gchar *pad;
  gint         width;
  gint         height;
} InputImage;

/* Reads the request's "input", if any, and checks it against the graph and
 * the payload. */
static gboolean
read_input (Graph *g, JsonObject *request, gsize payload_len, InputImage *input)
{
  JsonNode    *input_node = member (request, "input");
  JsonObject  *obj;
  const gchar *id;
  guint64      expected;

  *input = (InputImage) { NULL, NULL, 0, 0 };
  if (!input_node)
    {
      if (payload_len > 0)
        {
          fail (g, "bad-request",
                g_strdup_printf ("The request has a %" G_GSIZE_FORMAT "-byte payload but no \"input\".",
                                 payload_len));
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (input_node))
    {
      fail (g, "bad-request", g_strdup ("\"input\" must be an object or null."));
      return FALSE;
    }
  obj = json_node_get_object (input_node);
  if (!get_string (g, obj, "input", "node", NULL, &id) ||
      !get_string (g, obj, "input", "pad", "input", &input->pad) ||
      !get_positive_int (g, obj, "input", "width", &input->width) ||
      !get_positive_int (g, obj, "input", "height", &input->height))
    return FALSE;

  input->target = lookup (g, id);
  if (!input->target)
    {
      fail (g, "bad-request",
            g_strdup_printf ("The input is attached to node '%s', which is not in the graph.", id));
      return FALSE;
    }
  if (!has_input_pad (input->target->node, input->pad))
    {
      fail (g, "bad-request",
            g_strdup_printf ("The input is attached to '%s'.%s, which is not a pad of the node.",
                             id, input->pad));
      return FALSE;
    }

  expected = (guint64) input->width * (guint64) input->height * 4;
  if (expected != payload_len)
    {
      fail (g, "bad-request",
            g_strdup_printf ("The input is %dx%d, so the payload must be %" G_GUINT64_FORMAT
                             " bytes of RGBA, but it is %" G_GSIZE_FORMAT " bytes.",
                             input->width, input->height, expected, payload_len));
      return FALSE;
    }
  return TRUE;
}

/* Feeds the input image to its node. Takes over *payload. */
static gboolean
connect_input (Graph *g, const InputImage *input, guint8 **payload)
{
  GeglRectangle rect = { 0, 0, input->width, input->height };
  GeglBuffer   *buffer;
  GeglNode     *source;

  if (!input->target)
    return TRUE;
  buffer = input_buffer_new (&rect, payload);
  if (!buffer)
    {
      fail (g, "internal", g_strdup ("Could not create the input buffer."));
      return FALSE;
    }
  source = gegl_node_new_child (g->graph,
                                "operation", "gegl:buffer-source",
                                "buffer", buffer,
                                NULL);
  g_object_unref (buffer);
  if (!gegl_node_connect_to (source, "output", input->target->node, input->pad))
    {
      fail (g, "bad-request",
            g_strdup_printf ("GEGL refused to connect the input to '%s'.%s.",
                             input->target->id, input->pad));
      return FALSE;
    }
  return TRUE;
}

/* TRUE when the graph is one gegl:gaussian-blur between the input and the
 * output, rendered at the input's own extent, which direct-blur.c computes
 * without GEGL's buffers. IMGFLO_WORKER_DIRECT=0 turns this off (the tests
 * compare both ways). */
static gboolean
is_direct_blur (const Graph *g, const InputImage *input, const GraphNode *out,
                const gchar *out_pad, const GeglRectangle *size)
{
  const gchar *mode = g_getenv ("IMGFLO_WORKER_DIRECT");

  return !(mode && strcmp (mode, "0") == 0) && g->nodes->len == 1 && input->target == out &&
         strcmp (input->pad, "input") == 0 && strcmp (out_pad, "output") == 0 &&
         strcmp (out->op, "gegl:gaussian-blur") == 0 &&
         (!size || (size->width == input->width && size->height == input->height)) &&
         direct_blur_applies (out->node);
}

/* ---------------------------------------------------------------------------
 * Rendering
 */

Reply *
render_handle (JsonObject *request, guint8 **payload, gsize payload_len)
{
  Graph        g = { 0 };
  InputImage   input;
  JsonNode    *output_node, *size_node, *max_node;
  JsonObject  *output;
  const gchar *out_id = NULL, *out_pad = NULL;
  GraphNode   *out;
  GeglNode    *target;
  GeglRectangle box;
  gboolean     sized = FALSE;
  gint64       max_pixels;
  gint64       pixels;
  guint8      *pixels_buf;
  gsize        buf_len;
  Reply       *reply = NULL;

  g.graph = gegl_node_new ();
  g.nodes = g_array_new (FALSE, TRUE, sizeof (GraphNode));
  g.by_id = g_hash_table_new (g_str_hash, g_str_equal);

  if (!build_nodes (&g, request) ||
      !build_links (&g, request) ||
      !read_input (&g, request, payload_len, &input))
    goto done;

  /* Output node and pad. */
  output_node = member (request, "output");
  if (!output_node || !JSON_NODE_HOLDS_OBJECT (output_node))
    {
      fail (&g, "bad-request", g_strdup ("A render request needs an \"output\" object."));
      goto done;
    }
  output = json_node_get_object (output_node);
  if (!get_string (&g, output, "output", "node", NULL, &out_id) ||
      !get_string (&g, output, "output", "pad", "output", &out_pad))
    goto done;
  out = lookup (&g, out_id);
  if (!out)
    {
      fail (&g, "bad-request",
            g_strdup_printf ("The output node '%s' is not in the graph.", out_id));
      goto done;
    }
  if (!has_output_pad (out->node, out_pad))
    {
      fail (&g, "bad-request",
            g_strdup_printf ("The output node '%s' (%s) has no output pad '%s'.",
                             out_id, out->op, out_pad));
      goto done;
    }

  /* The limit is the origin's (MAX_PIXELS): the worker keeps no default of its own. */
  max_node = member (request, "max_pixels");
  {
    gdouble d = max_node && node_is_number (max_node) ? json_node_get_double (max_node) : -1;
    if (d < 1)
      {
        fail (&g, "bad-request", g_strdup ("\"max_pixels\" must be a positive number."));
        goto done;
      }
    max_pixels = d > (gdouble) G_MAXINT64 / 2 ? G_MAXINT64 / 2 : (gint64) d;
  }

  /* An explicit output rectangle. */
  size_node = member (request, "size");
  if (size_node)
    {
      gint w, h;
      if (!JSON_NODE_HOLDS_OBJECT (size_node))
        {
          fail (&g, "bad-request", g_strdup ("\"size\" must be an object or null."));
          goto done;
        }
      if (!get_positive_int (&g, json_node_get_object (size_node), "size", "width", &w) ||
          !get_positive_int (&g, json_node_get_object (size_node), "size", "height", &h))
        goto done;
      box = (GeglRectangle) { 0, 0, w, h };
      sized = TRUE;
    }

  if (is_direct_blur (&g, &input, out, out_pad, sized ? &box : NULL))
    {
      /* The blur's output is clipped to its input: that is the rectangle. */
      box = (GeglRectangle) { 0, 0, input.width, input.height };
      target = NULL;
    }
  else
    {
      if (!connect_input (&g, &input, payload))
        goto done;
      target = out->node;
      if (strcmp (out_pad, "output") != 0)
        {
          /* gegl_node_blit renders the "output" pad; route other pads via a nop. */
          target = gegl_node_new_child (g.graph, "operation", "gegl:nop", NULL);
          gegl_node_connect_to (out->node, out_pad, target, "input");
        }
      if (!sized)
        {
          box = gegl_node_get_bounding_box (target);
          if (gegl_rectangle_is_infinite_plane (&box))
            {
              fail (&g, "too-large",
                    g_strdup_printf ("The output of node '%s' (%s) is unbounded; give an explicit "
                                     "size or crop it.", out_id, out->op));
              goto done;
            }
          if (box.width <= 0 || box.height <= 0)
            {
              fail (&g, "empty-output",
                    g_strdup_printf ("The output of node '%s' (%s) is empty (%dx%d).",
                                     out_id, out->op, MAX (box.width, 0), MAX (box.height, 0)));
              goto done;
            }
        }
    }

  pixels = (gint64) box.width * (gint64) box.height;
  if (pixels > max_pixels)
    {
      fail (&g, "too-large",
            g_strdup_printf ("The output would be %dx%d = %" G_GINT64_FORMAT
                             " pixels, more than the limit of %" G_GINT64_FORMAT ".",
                             box.width, box.height, pixels, max_pixels));
      goto done;
    }

  buf_len = (gsize) pixels * 4;
  if (target)
    {
      pixels_buf = g_try_malloc (buf_len);
      if (pixels_buf)
        gegl_node_blit (target, 1.0, &box, babl_format (WIRE_FORMAT), pixels_buf,
                        box.width * 4, GEGL_BLIT_DEFAULT);
    }
  else
    {
      pixels_buf = direct_blur_render (out->node, *payload, input.width, input.height);
      g_clear_pointer (payload, g_free);
    }
  if (!pixels_buf)
    {
      fail (&g, "too-large",
            g_strdup_printf ("Out of memory allocating a %dx%d output.", box.width, box.height));
      goto done;
    }

  {
    /* Only what the origin reads: the size of the pixels that follow. GEGL's warnings go to
     * stderr (the origin's log); the origin times the render itself. */
    JsonBuilder *b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "ok");
    json_builder_add_boolean_value (b, TRUE);
    json_builder_set_member_name (b, "width");
    json_builder_add_int_value (b, box.width);
    json_builder_set_member_name (b, "height");
    json_builder_add_int_value (b, box.height);
    json_builder_end_object (b);
    reply = reply_new (json_builder_get_root (b), pixels_buf, buf_len);
    g_object_unref (b);
  }

done:
  if (!reply)
    reply = reply_error (g.error_kind ? g.error_kind : "internal", "%s",
                         g.error ? g.error : "Rendering failed for an unknown reason.");
  g_free (g.error);
  g_hash_table_destroy (g.by_id);
  g_array_free (g.nodes, TRUE);
  g_object_unref (g.graph);
  return reply;
}
