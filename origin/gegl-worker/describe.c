#include "describe.h"
#include "properties.h"

#include <gegl-plugin.h>
#include <string.h>

static void
add_string_array (JsonBuilder *builder, const gchar *name, gchar **items)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gchar **p = items; p && *p; p++)
    json_builder_add_string_value (builder, *p);
  json_builder_end_array (builder);
}

static void
add_key (JsonBuilder *builder, const gchar *op, const gchar *key)
{
  const gchar *value = gegl_operation_get_key (op, key);

  if (value && *value)
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, value);
    }
}

gboolean
describe_operation_exists (const gchar *op)
{
  const gchar *categories;

  if (!gegl_has_operation (op))
    return FALSE;
  categories = gegl_operation_get_key (op, "categories");
  return !(categories && strstr (categories, DESCRIBE_WORKER_OWN_CATEGORY));
}

/* A point filter that keeps GEGL's rules for the region it reads and the
 * extent it gives (its input's both): each output pixel is made from the
 * input's pixel in its place, so input-region.ts sees through it. */
static gboolean
is_region_preserving_point_filter (GeglNode *node)
{
  GeglOperation      *operation = gegl_node_get_gegl_operation (node);
  GeglOperationClass *klass, *point_filter;

  if (!GEGL_IS_OPERATION_POINT_FILTER (operation))
    return FALSE;
  klass = GEGL_OPERATION_GET_CLASS (operation);
  point_filter = g_type_class_peek (GEGL_TYPE_OPERATION_POINT_FILTER);
  return klass->get_bounding_box == point_filter->get_bounding_box &&
         klass->get_required_for_output == point_filter->get_required_for_output;
}

static void
describe_operation (JsonBuilder *builder, const gchar *op)
{
  json_builder_set_member_name (builder, op);
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "exists");
  if (!describe_operation_exists (op))
    {
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
      return;
    }
  json_builder_add_boolean_value (builder, TRUE);

  add_key (builder, op, "title");
  add_key (builder, op, "categories");
  add_key (builder, op, "description");

  /* Pads are per node instance: ask a throw-away node. */
  {
    GeglNode  *graph  = gegl_node_new ();
    GeglNode  *node   = gegl_node_new_child (graph, "operation", op, NULL);
    gchar    **inputs  = gegl_node_list_input_pads (node);
    gchar    **outputs = gegl_node_list_output_pads (node);

    json_builder_set_member_name (builder, "pads");
    json_builder_begin_array (builder);
    for (gchar **p = inputs; p && *p; p++)
      json_builder_add_string_value (builder, *p);
    for (gchar **p = outputs; p && *p; p++)
      json_builder_add_string_value (builder, *p);
    json_builder_end_array (builder);
    add_string_array (builder, "input_pads", inputs);
    add_string_array (builder, "output_pads", outputs);
    json_builder_set_member_name (builder, "point_filter");
    json_builder_add_boolean_value (builder, is_region_preserving_point_filter (node));

    g_strfreev (inputs);
    g_strfreev (outputs);
    g_object_unref (graph);
  }

  {
    guint        n = 0;
    GParamSpec **specs = gegl_operation_list_properties (op, &n);

    json_builder_set_member_name (builder, "properties");
    json_builder_begin_object (builder);
    for (guint i = 0; i < n; i++)
      {
        if (!properties_is_exposed (specs[i]))
          continue;
        json_builder_set_member_name (builder, g_param_spec_get_name (specs[i]));
        properties_describe (specs[i], builder);
      }
    json_builder_end_object (builder);
    g_free (specs);
  }

  json_builder_end_object (builder);
}

Reply *
describe_handle (JsonObject *request)
{
  JsonBuilder *builder;
  JsonNode    *root;
  JsonArray   *ops = NULL;
  gchar      **all_ops = NULL;
  int          major, minor, micro;
  gchar       *version;

  if (json_object_has_member (request, "operations") &&
      !json_object_get_null_member (request, "operations"))
    {
      JsonNode *node = json_object_get_member (request, "operations");

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return reply_error ("bad-request", "\"operations\" must be an array of operation names.");
      ops = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (ops); i++)
        {
          JsonNode *item = json_array_get_element (ops, i);
          if (!JSON_NODE_HOLDS_VALUE (item) ||
              json_node_get_value_type (item) != G_TYPE_STRING)
            return reply_error ("bad-request",
                                "\"operations\"[%u] must be a string (an operation name).", i);
        }
    }
  else
    {
      /* No list: describe every operation GEGL knows. */
      guint n = 0;
      all_ops = gegl_list_operations (&n);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);

  gegl_get_version (&major, &minor, &micro);
  version = g_strdup_printf ("%d.%d.%d", major, minor, micro);
  json_builder_set_member_name (builder, "gegl_version");
  json_builder_add_string_value (builder, version);
  g_free (version);

  babl_get_version (&major, &minor, &micro);
  version = g_strdup_printf ("%d.%d.%d", major, minor, micro);
  json_builder_set_member_name (builder, "babl_version");
  json_builder_add_string_value (builder, version);
  g_free (version);

  json_builder_set_member_name (builder, "operations");
  json_builder_begin_object (builder);
  if (ops)
    {
      for (guint i = 0; i < json_array_get_length (ops); i++)
        describe_operation (builder, json_array_get_string_element (ops, i));
    }
  else
    {
      for (gchar **p = all_ops; p && *p; p++)
        if (describe_operation_exists (*p))
          describe_operation (builder, *p);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  g_object_unref (builder);
  g_free (all_ops);   /* gegl_list_operations: free the array, not the names */
  return reply_new (root, NULL, 0);
}
