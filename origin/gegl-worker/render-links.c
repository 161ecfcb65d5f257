/* The links of a render request's graph: every link resolved and its pads
 * checked, a cycle refused, then the GEGL nodes connected. */
#include "render-graph.h"

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
            render_fail (g, "bad-request",
                  g_strdup_printf ("The graph has a cycle (through node '%s').",
                                   g_array_index (g->nodes, GraphNode, i).id));
            break;
          }
    }
  g_free (indegree);
  g_free (queue);
  return ok;
}


/* Link i's nodes (as indexes) after checking both ends' pads. */
static gboolean
resolve_link (Graph *g, JsonArray *links, guint i, guint *from_idx, guint *to_idx)
{
  JsonObject  *obj;
  const gchar *from, *to, *from_pad, *to_pad;
  GraphNode   *src, *dst;
  gchar       *where = g_strdup_printf ("links[%u]", i);
  gboolean     ok;

  obj = render_element_object (g, json_array_get_element (links, i), where);
  ok = obj && render_get_string (g, obj, where, "from", NULL, &from) &&
       render_get_string (g, obj, where, "to", NULL, &to) &&
       render_get_string (g, obj, where, "from_pad", "output", &from_pad) &&
       render_get_string (g, obj, where, "to_pad", "input", &to_pad);
  g_free (where);
  if (!ok)
    return FALSE;

  src = render_lookup (g, from);
  dst = render_lookup (g, to);
  if (!src || !dst)
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("Link %u refers to node '%s', which is not in the graph.",
                                    i, src ? to : from));
      return FALSE;
    }
  if (!render_has_output_pad (src->node, from_pad) || !render_has_input_pad (dst->node, to_pad))
    {
      render_fail (g, "bad-request",
                   g_strdup_printf ("Link %u: '%s'.%s or '%s'.%s is not a pad of the node.",
                                    i, from, from_pad, to, to_pad));
      return FALSE;
    }
  from_idx[i] = GPOINTER_TO_UINT (g_hash_table_lookup (g->by_id, from)) - 1;
  to_idx[i] = GPOINTER_TO_UINT (g_hash_table_lookup (g->by_id, to)) - 1;
  return TRUE;
}

static gboolean
connect_links (Graph *g, JsonArray *links, const guint *from_idx, const guint *to_idx)
{
  guint n = json_array_get_length (links);

  for (guint i = 0; i < n; i++)
    {
      JsonObject  *obj = json_array_get_object_element (links, i);
      const gchar *from_pad = "output", *to_pad = "input";
      GraphNode   *src = &g_array_index (g->nodes, GraphNode, from_idx[i]);
      GraphNode   *dst = &g_array_index (g->nodes, GraphNode, to_idx[i]);

      render_get_string (g, obj, "", "from_pad", "output", &from_pad);
      render_get_string (g, obj, "", "to_pad", "input", &to_pad);
      if (!gegl_node_connect_to (src->node, from_pad, dst->node, to_pad))
        {
          render_fail (g, "bad-request",
                       g_strdup_printf ("GEGL refused to connect '%s'.%s to '%s'.%s.",
                                        src->id, from_pad, dst->id, to_pad));
          return FALSE;
        }
    }
  return TRUE;
}

/* Resolves every link first, refuses a cycle, connects afterwards. */
gboolean
render_build_links (Graph *g, JsonObject *request)
{
  JsonNode  *links_node = render_member (request, "links");
  JsonArray *links;
  guint      n;
  guint     *from_idx, *to_idx;
  gboolean   ok = TRUE;

  if (!links_node)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (links_node))
    {
      render_fail (g, "bad-request", g_strdup ("\"links\" must be an array."));
      return FALSE;
    }
  links = json_node_get_array (links_node);
  n = json_array_get_length (links);
  from_idx = g_new0 (guint, n + 1);
  to_idx = g_new0 (guint, n + 1);
  for (guint i = 0; i < n && ok; i++)
    ok = resolve_link (g, links, i, from_idx, to_idx);
  ok = ok && check_acyclic (g, from_idx, to_idx, n) &&
       connect_links (g, links, from_idx, to_idx);
  g_free (from_idx);
  g_free (to_idx);
  return ok;
}
