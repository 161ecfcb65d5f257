/* Finds the graph's chains of point operations (point-chain-fusion.h): the
 * connected groups of chainable nodes, each kept when one source feeds it and
 * one node's output leaves it. Their nodes stay in the graph, connected to
 * their producers (the chain prepares them there), but nothing reads them:
 * the chain takes the source and the last node's consumers. */
#include "point-chain-fusion.h"
#include "point-chain.h"

#include <gegl-plugin.h>
#include <math.h>
#include <string.h>

/* Operations a chain may hold: point operations whose output at a pixel is a
 * function of their inputs at that pixel alone (not of where it stands), with
 * no pass-through other than the one `passes_through` tells (the chain then
 * hands the input on as GEGL does). Every one is rendered both ways by
 * point-chains.test.ts. */
typedef struct
{
  const gchar *name;
  gboolean     aux_optional; /* a composer whose process takes a NULL aux */
  gboolean   (*passes_through) (GeglNode *node); /* its output is its input buffer */
} ChainableOperation;

/* gegl:opacity hands its input on, unconverted, at a value of 1 and no aux. */
static gboolean
opacity_passes_through (GeglNode *node)
{
  gdouble value = 0;

  gegl_node_get (node, "value", &value, NULL);
  return !gegl_node_get_producer (node, "aux", NULL) && fabsf ((gfloat) value - 1.0f) <= 1e-6f;
}

static const ChainableOperation chainable_operations[] = {
  { "gegl:opacity", TRUE, opacity_passes_through },
  { "gegl:brightness-contrast", FALSE, NULL },
  { "gegl:gray", FALSE, NULL },
  { "svg:src-over", FALSE, NULL },
  { "svg:screen", FALSE, NULL },
  { "svg:color-dodge", FALSE, NULL },
  { "imgflo:retro-curve", FALSE, NULL },
  { "imgflo:gradient-map", FALSE, NULL },
  { "imgflo:custom-grey", FALSE, NULL },
};

static const ChainableOperation *
chainable_operation (const gchar *name)
{
  for (gsize i = 0; name && i < G_N_ELEMENTS (chainable_operations); i++)
    if (strcmp (chainable_operations[i].name, name) == 0)
      return &chainable_operations[i];
  return NULL;
}

static GeglNode *
producer (GeglNode *node, guint pad, gchar **output_pad)
{
  if (!gegl_node_has_pad (node, point_chain_pads[pad]))
    return NULL;
  return gegl_node_get_producer (node, point_chain_pads[pad], output_pad);
}

/* What a node can be in a chain. */
typedef enum
{
  NOT_CHAINABLE,
  COMPUTED,
  PASSED_ON, /* a step that hands its input on */
} ChainRole;

static ChainRole
chain_role (GeglNode *node)
{
  const ChainableOperation *chainable = chainable_operation (gegl_node_get_operation (node));
  GeglOperation            *operation = gegl_node_get_gegl_operation (node);
  gboolean                  composer;

  if (!chainable || !producer (node, 0, NULL))
    return NOT_CHAINABLE;
  composer = GEGL_IS_OPERATION_POINT_COMPOSER (operation) ||
             GEGL_IS_OPERATION_POINT_COMPOSER3 (operation);
  if (!composer && !GEGL_IS_OPERATION_POINT_FILTER (operation))
    return NOT_CHAINABLE;
  for (guint pad = 1; composer && pad < POINT_CHAIN_PADS; pad++)
    if (gegl_node_has_pad (node, point_chain_pads[pad]) && !chainable->aux_optional &&
        !producer (node, pad, NULL))
      return NOT_CHAINABLE;
  return chainable->passes_through && chainable->passes_through (node) ? PASSED_ON : COMPUTED;
}

typedef struct
{
  Graph      *g;
  GHashTable *index_of;  /* GeglNode -> its index in g->nodes + 1 */
  gint       *group;     /* per node: its group, or -1 (not chainable: -2) */
  ChainRole  *role;      /* per node */
  GeglNode   *target;
} Fusion;

static gint
index_of (const Fusion *f, GeglNode *node)
{
  return node ? GPOINTER_TO_INT (g_hash_table_lookup (f->index_of, node)) - 1 : -1;
}

static GeglNode *
node_at (const Fusion *f, guint i)
{
  return g_array_index (f->g->nodes, GraphNode, i).node;
}

static gboolean
in_group (const Fusion *f, GeglNode *node, gint group)
{
  gint i = index_of (f, node);

  return i >= 0 && f->group[i] == group;
}

/* Puts `node` in `group` when it is chainable and in none yet. */
static void
join (Fusion *f, GeglNode *node, gint group, GArray *members)
{
  gint i = index_of (f, node);

  if (i < 0 || f->group[i] != -1)
    return;
  f->group[i] = group;
  g_array_append_val (members, i);
}

/* The chainable nodes connected to node `start`, itself included. */
static GArray *
group_members (Fusion *f, guint start, gint group)
{
  GArray *members = g_array_new (FALSE, FALSE, sizeof (gint));

  join (f, node_at (f, start), group, members);
  for (guint m = 0; m < members->len; m++)
    {
      GeglNode  *node = node_at (f, g_array_index (members, gint, m));
      GeglNode **consumers = NULL;

      for (guint pad = 0; pad < POINT_CHAIN_PADS; pad++)
        join (f, producer (node, pad, NULL), group, members);
      gegl_node_get_consumers (node, "output", &consumers, NULL);
      for (guint c = 0; consumers && consumers[c]; c++)
        join (f, consumers[c], group, members);
      g_free (consumers);
    }
  return members;
}

/* The one producer pad outside the group that feeds it, or FALSE. */
static gboolean
group_source (const Fusion *f, GArray *members, gint group, GeglNode **source, gchar **source_pad)
{
  *source = NULL;
  *source_pad = NULL;
  for (guint m = 0; m < members->len; m++)
    for (guint pad = 0; pad < POINT_CHAIN_PADS; pad++)
      {
        gchar    *output_pad = NULL;
        GeglNode *from = producer (node_at (f, g_array_index (members, gint, m)), pad, &output_pad);
        gboolean  same = from == *source && g_strcmp0 (output_pad, *source_pad) == 0;

        if (!from || in_group (f, from, group) || same)
          {
            g_free (output_pad);
            continue;
          }
        if (*source)
          {
            g_free (output_pad);
            return FALSE;
          }
        *source = from;
        *source_pad = output_pad;
      }
  return *source != NULL;
}

/* Whether anything outside the group reads the node: the render, or another node. */
static gboolean
leaves_group (const Fusion *f, GeglNode *node, gint group)
{
  GeglNode **consumers = NULL;
  gboolean   leaves = node == f->target;

  gegl_node_get_consumers (node, "output", &consumers, NULL);
  for (guint c = 0; consumers && consumers[c]; c++)
    leaves = leaves || !in_group (f, consumers[c], group);
  g_free (consumers);
  return leaves;
}

/* The one node of the group whose output leaves it, or NULL (also when that
 * node hands its input on: the chain's output is a step's). */
static GeglNode *
group_tail (const Fusion *f, GArray *members, gint group)
{
  GeglNode *tail = NULL;

  for (guint m = 0; m < members->len; m++)
    {
      GeglNode *node = node_at (f, g_array_index (members, gint, m));

      if (!leaves_group (f, node, group))
        continue;
      if (tail)
        return NULL;
      tail = node;
    }
  return tail && f->role[index_of (f, tail)] == PASSED_ON ? NULL : tail;
}

/* Adds `node` after the steps it reads from; returns its step. */
static gint
add_step (const Fusion *f, gint group, GeglNode *node, GArray *steps, GHashTable *step_of)
{
  PointChainStep step = { gegl_node_get_gegl_operation (node), { 0 },
                          f->role[index_of (f, node)] == PASSED_ON };
  gpointer       known = g_hash_table_lookup (step_of, node);

  if (known)
    return GPOINTER_TO_INT (known) - 1;
  for (guint pad = 0; pad < POINT_CHAIN_PADS; pad++)
    {
      GeglNode *from = producer (node, pad, NULL);

      step.from[pad] = !from                      ? POINT_CHAIN_NONE
                       : in_group (f, from, group) ? add_step (f, group, from, steps, step_of)
                                                   : POINT_CHAIN_SOURCE;
    }
  g_array_append_val (steps, step);
  g_hash_table_insert (step_of, node, GINT_TO_POINTER (steps->len));
  return (gint) steps->len - 1;
}

/* The chain computing `tail` from `source`, read where the tail was. */
static GeglNode *
replace (Fusion *f, gint group, GeglNode *source, const gchar *source_pad, GeglNode *tail)
{
  GArray      *steps = g_array_new (FALSE, FALSE, sizeof (PointChainStep));
  GHashTable  *step_of = g_hash_table_new (NULL, NULL);
  GeglNode   **consumers = NULL;
  const gchar **pads = NULL;
  GeglNode    *chain;

  add_step (f, group, tail, steps, step_of);
  chain = point_chain_new (f->g->graph, (PointChainStep *) steps->data, steps->len);
  gegl_node_connect_to (source, source_pad, chain, "input");
  gegl_node_get_consumers (tail, "output", &consumers, &pads);
  for (guint c = 0; consumers && consumers[c]; c++)
    if (!in_group (f, consumers[c], group))
      gegl_node_connect_to (chain, "output", consumers[c], pads[c]);
  g_free (consumers);
  g_free (pads);
  g_hash_table_unref (step_of);
  g_array_unref (steps);
  return chain;
}

void
point_chains_fuse (Graph *g, GeglNode **target, const Babl *target_format)
{
  const gchar *mode = g_getenv ("IMGFLO_WORKER_POINT_CHAINS");
  guint        n = MAX (g->nodes->len, 1);
  Fusion       f;

  if (mode && strcmp (mode, "0") == 0)
    return;
  f = (Fusion) { g, g_hash_table_new (NULL, NULL), g_new (gint, n), g_new (ChainRole, n), *target };
  for (guint i = 0; i < g->nodes->len; i++)
    {
      g_hash_table_insert (f.index_of, node_at (&f, i), GINT_TO_POINTER (i + 1));
      f.role[i] = chain_role (node_at (&f, i));
      f.group[i] = f.role[i] == NOT_CHAINABLE ? -2 : -1;
    }
  for (guint i = 0; i < g->nodes->len; i++)
    {
      GArray   *members;
      GeglNode *source, *tail, *chain;
      gchar    *source_pad = NULL;

      if (f.group[i] != -1)
        continue;
      members = group_members (&f, i, (gint) i);
      tail = group_tail (&f, members, (gint) i);
      if (tail && group_source (&f, members, (gint) i, &source, &source_pad))
        {
          chain = replace (&f, (gint) i, source, source_pad, tail);
          if (tail == *target)
            {
              point_chain_set_result_format (chain, target_format);
              *target = chain;
            }
        }
      g_free (source_pad);
      g_array_unref (members);
    }
  g_hash_table_unref (f.index_of);
  g_free (f.group);
  g_free (f.role);
}
