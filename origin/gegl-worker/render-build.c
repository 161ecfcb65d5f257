/* The GEGL graph of a render request: its nodes with their properties, its
 * links, and the nodes the input image and the output attach to.
 *
 * The origin's compile (origin/compile/graph-compiler.ts) is the one check of a graph: what a user
 * can get wrong is refused there, with a message for them. The worker trusts that and keeps
 * only the guards without which a frame could crash or hang this process: a malformed request,
 * a name of nothing (operation, property, node, pad), a cycle, a value GEGL cannot convert.
 * Each is an origin bug, reported tersely as "bad-request". A repeated node id (the later node
 * is the one links name) and a second link into one input pad (GEGL keeps the last) are no
 * danger to the process, so they are not looked for.
 */
#include "render-graph.h"
#include "describe.h"
#include "properties.h"


void
render_graph_init (Graph *g)
{
  *g = (Graph) { 0 };
  g->graph = gegl_node_new ();
  g->nodes = g_array_new (FALSE, TRUE, sizeof (GraphNode));
  g->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

void
render_graph_clear (Graph *g)
{
  g_free (g->error);
  g_hash_table_destroy (g->by_id);
  g_array_free (g->nodes, TRUE);
  g_object_unref (g->graph);
}

GraphNode *
render_lookup (Graph *g, const gchar *id)
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
gboolean
render_has_input_pad (GeglNode *node, const gchar *pad)
{
  gchar  **pads = gegl_node_list_input_pads (node);
  gboolean found = strv_contains (pads, pad);

  g_strfreev (pads);
  return found;
}


gboolean
render_has_output_pad (GeglNode *node, const gchar *pad)
{
  gchar  **pads = gegl_node_list_output_pads (node);
  gboolean found = strv_contains (pads, pad);

  g_strfreev (pads);
  return found;
}


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
          render_fail (g, "bad-request",
                g_strdup_printf ("Node '%s' (%s) has no property '%s'.", gn->id, gn->op, name));
          return FALSE;
        }
      text = property_text (value);
      if (!text)
        {
          render_fail (g, "bad-request",
                g_strdup_printf ("Node '%s' (%s): the value of property '%s' must be a string.",
                                 gn->id, gn->op, name));
          return FALSE;
        }
      if (!properties_from_string (pspec, text, &v, &why))
        {
          render_fail (g, "bad-request",
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


/* An element of "nodes" or "links" as an object; NULL, failing, otherwise. */
JsonObject *
render_element_object (Graph *g, JsonNode *item, const gchar *where)
{
  if (JSON_NODE_HOLDS_OBJECT (item))
    return json_node_get_object (item);
  render_fail (g, "bad-request", g_strdup_printf ("%s must be an object.", where));
  return NULL;
}

/* nodes[i]: its operation, then its properties. */
static gboolean
build_node (Graph *g, JsonNode *item, guint i)
{
  JsonObject *obj;
  JsonNode   *props;
  GraphNode   gn = { NULL, NULL, NULL };
  gchar      *where = g_strdup_printf ("nodes[%u]", i);
  gboolean    ok;

  obj = render_element_object (g, item, where);
  ok = obj && render_get_string (g, obj, where, "id", NULL, &gn.id) &&
       render_get_string (g, obj, where, "op", NULL, &gn.op);
  g_free (where);
  if (!ok)
    return FALSE;
  if (!describe_operation_exists (gn.op))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("Node '%s' uses unknown operation '%s'.", gn.id, gn.op));
      return FALSE;
    }

  gn.node = gegl_node_new_child (g->graph, "operation", gn.op, NULL);
  g_array_append_val (g->nodes, gn);
  g_hash_table_insert (g->by_id, (gpointer) gn.id, GUINT_TO_POINTER (g->nodes->len));

  props = render_member (obj, "props");
  if (!props)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (props))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("Node '%s': \"props\" must be an object.", gn.id));
      return FALSE;
    }
  return apply_properties (g, render_lookup (g, gn.id), json_node_get_object (props));
}

static gboolean
build_nodes (Graph *g, JsonObject *request)
{
  JsonNode  *nodes_node = render_member (request, "nodes");
  JsonArray *nodes;
  guint      n;

  if (!nodes_node || !JSON_NODE_HOLDS_ARRAY (nodes_node))
    {
      render_fail (g, "bad-request", g_strdup ("A render request needs a \"nodes\" array."));
      return FALSE;
    }
  nodes = json_node_get_array (nodes_node);
  n = json_array_get_length (nodes);
  for (guint i = 0; i < n; i++)
    if (!build_node (g, json_array_get_element (nodes, i), i))
      return FALSE;
  return TRUE;
}

GraphNode *
render_input_pad (Graph *g, const gchar *id, const gchar *pad, const gchar *what)
{
  GraphNode *node = render_lookup (g, id);

  if (!node)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("%s is attached to node '%s', which is not in the graph.",
                                    what, id));
      return NULL;
    }
  if (!render_has_input_pad (node->node, pad))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("%s is attached to '%s'.%s, which is not a pad of the node.",
                                    what, id, pad));
      return NULL;
    }
  return node;
}

/* The nodes the input image feeds and the output is read from, with their pads. */
static gboolean
attach_ends (Graph *g, const RenderSpec *spec)
{
  if (spec->input_node)
    {
      g->input = render_input_pad (g, spec->input_node, spec->input_pad, "The input");
      if (!g->input)
        return FALSE;
    }
  g->output = render_lookup (g, spec->output_node);
  if (!g->output)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("The output node '%s' is not in the graph.", spec->output_node));
      return FALSE;
    }
  if (!render_has_output_pad (g->output->node, spec->output_pad))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("The output node '%s' (%s) has no output pad '%s'.",
                                    spec->output_node, g->output->op, spec->output_pad));
      return FALSE;
    }
  return TRUE;
}

gboolean
render_build (Graph *g, JsonObject *request, const RenderSpec *spec)
{
  return build_nodes (g, request) && render_build_links (g, request) && attach_ends (g, spec);
}
