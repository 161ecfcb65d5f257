#include "properties.h"

#include <gegl-paramspecs.h>

PropertyKind
properties_kind (GParamSpec *pspec)
{
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return PROPERTY_KIND_DOUBLE;
  if (G_IS_PARAM_SPEC_FLOAT (pspec))
    return PROPERTY_KIND_FLOAT;
  if (G_IS_PARAM_SPEC_INT (pspec))
    return PROPERTY_KIND_INT;
  if (G_IS_PARAM_SPEC_UINT (pspec))      /* includes GeglParamSeed */
    return PROPERTY_KIND_UINT;
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return PROPERTY_KIND_INT64;
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return PROPERTY_KIND_UINT64;
  if (G_IS_PARAM_SPEC_LONG (pspec))
    return PROPERTY_KIND_LONG;
  if (G_IS_PARAM_SPEC_ULONG (pspec))
    return PROPERTY_KIND_ULONG;
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    return PROPERTY_KIND_BOOLEAN;
  if (GEGL_IS_PARAM_SPEC_COLOR (pspec) ||
      g_type_is_a (G_PARAM_SPEC_VALUE_TYPE (pspec), GEGL_TYPE_COLOR))
    return PROPERTY_KIND_COLOR;
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    return PROPERTY_KIND_ENUM;
  if (GEGL_IS_PARAM_SPEC_FILE_PATH (pspec) || GEGL_IS_PARAM_SPEC_URI (pspec))
    return PROPERTY_KIND_FILE;
  if (G_IS_PARAM_SPEC_STRING (pspec))
    return PROPERTY_KIND_STRING;
  return PROPERTY_KIND_OTHER;
}

const gchar *
properties_type_name (GParamSpec *pspec)
{
  switch (properties_kind (pspec))
    {
    case PROPERTY_KIND_DOUBLE:
    case PROPERTY_KIND_FLOAT:
      return "double";
    case PROPERTY_KIND_INT ... PROPERTY_KIND_ULONG:
      return "int";
    case PROPERTY_KIND_BOOLEAN:
      return "boolean";
    case PROPERTY_KIND_COLOR:
      return "color";
    case PROPERTY_KIND_ENUM:
      return "enum";
    case PROPERTY_KIND_STRING:
      return "string";
    case PROPERTY_KIND_FILE:
    case PROPERTY_KIND_OTHER:
    default:
      return "other";
    }
}

gboolean
properties_is_exposed (GParamSpec *pspec)
{
  return (pspec->flags & G_PARAM_WRITABLE) != 0 &&
         (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0;
}

gboolean
properties_enum_value_allowed (GParamSpec *pspec, gint value)
{
  GValue   v = G_VALUE_INIT;
  gboolean changed;

  g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_value_set_enum (&v, value);
  changed = g_param_value_validate (pspec, &v);
  g_value_unset (&v);
  return !changed;
}
