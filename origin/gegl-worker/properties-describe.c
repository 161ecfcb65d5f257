#include "properties.h"

#include <gegl-paramspecs.h>

#include <math.h>

gchar *
properties_color_to_hex (GeglColor *color)
{
  guint8 px[4] = { 0, 0, 0, 0 };

  gegl_color_get_pixel (color, babl_format ("R'G'B'A u8"), px);
  if (px[3] == 255)
    return g_strdup_printf ("#%02x%02x%02x", px[0], px[1], px[2]);
  return g_strdup_printf ("#%02x%02x%02x%02x", px[0], px[1], px[2], px[3]);
}

static void
add_double (JsonBuilder *builder, const gchar *name, gdouble value)
{
  if (!isfinite (value))
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_int (JsonBuilder *builder, const gchar *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder, const gchar *name, const gchar *value)
{
  if (!value)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_double_range (JsonBuilder *builder, gdouble minimum, gdouble maximum, gdouble default_value)
{
  add_double (builder, "minimum", minimum);
  add_double (builder, "maximum", maximum);
  add_double (builder, "default", default_value);
}

static void
add_int_range (JsonBuilder *builder, gint64 minimum, gint64 maximum, gint64 default_value)
{
  add_int (builder, "minimum", minimum);
  add_int (builder, "maximum", maximum);
  add_int (builder, "default", default_value);
}

/* The range a UI slider should offer, which GEGL's own specs add. */
static void
add_int_ui_range (JsonBuilder *builder, gint64 ui_minimum, gint64 ui_maximum)
{
  add_int (builder, "ui_minimum", ui_minimum);
  add_int (builder, "ui_maximum", ui_maximum);
}

static void
describe_floating (GParamSpec *pspec, PropertyKind kind, JsonBuilder *builder)
{
  if (kind == PROPERTY_KIND_DOUBLE)
    {
      GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
      add_double_range (builder, p->minimum, p->maximum, p->default_value);
      if (GEGL_IS_PARAM_SPEC_DOUBLE (pspec))
        {
          GeglParamSpecDouble *g = GEGL_PARAM_SPEC_DOUBLE (pspec);
          add_double (builder, "ui_minimum", g->ui_minimum);
          add_double (builder, "ui_maximum", g->ui_maximum);
        }
    }
  else
    {
      GParamSpecFloat *p = G_PARAM_SPEC_FLOAT (pspec);
      add_double_range (builder, p->minimum, p->maximum, p->default_value);
    }
}

/* Unsigned 64-bit and unsigned long ranges go out as doubles: JSON-GLib's
 * integers are signed 64-bit. */
static void
describe_integer (GParamSpec *pspec, PropertyKind kind, JsonBuilder *builder)
{
  switch (kind)
    {
    case PROPERTY_KIND_INT:
      {
        GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
        add_int_range (builder, p->minimum, p->maximum, p->default_value);
        if (GEGL_IS_PARAM_SPEC_INT (pspec))
          add_int_ui_range (builder, GEGL_PARAM_SPEC_INT (pspec)->ui_minimum,
                            GEGL_PARAM_SPEC_INT (pspec)->ui_maximum);
        break;
      }
    case PROPERTY_KIND_UINT:
      {
        GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
        add_int_range (builder, p->minimum, p->maximum, p->default_value);
        if (GEGL_IS_PARAM_SPEC_SEED (pspec))
          add_int_ui_range (builder, GEGL_PARAM_SPEC_SEED (pspec)->ui_minimum,
                            GEGL_PARAM_SPEC_SEED (pspec)->ui_maximum);
        break;
      }
    case PROPERTY_KIND_INT64:
      {
        GParamSpecInt64 *p = G_PARAM_SPEC_INT64 (pspec);
        add_int_range (builder, p->minimum, p->maximum, p->default_value);
        break;
      }
    case PROPERTY_KIND_UINT64:
      {
        GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
        add_double_range (builder, (gdouble) p->minimum, (gdouble) p->maximum,
                          (gdouble) p->default_value);
        break;
      }
    case PROPERTY_KIND_LONG:
      {
        GParamSpecLong *p = G_PARAM_SPEC_LONG (pspec);
        add_int_range (builder, p->minimum, p->maximum, p->default_value);
        break;
      }
    case PROPERTY_KIND_ULONG:
    default:
      {
        GParamSpecULong *p = G_PARAM_SPEC_ULONG (pspec);
        add_double_range (builder, (gdouble) p->minimum, (gdouble) p->maximum,
                          (gdouble) p->default_value);
        break;
      }
    }
}

static void
describe_color (GParamSpec *pspec, JsonBuilder *builder)
{
  GeglColor *def = GEGL_IS_PARAM_SPEC_COLOR (pspec)
                   ? gegl_param_spec_color_get_default (pspec) : NULL;

  if (def)
    {
      gchar *hex = properties_color_to_hex (def);
      add_string (builder, "default", hex);
      g_free (hex);
    }
}

static void
describe_enum (GParamSpec *pspec, JsonBuilder *builder)
{
  GParamSpecEnum *p = G_PARAM_SPEC_ENUM (pspec);
  GEnumValue     *def;

  json_builder_set_member_name (builder, "values");
  json_builder_begin_array (builder);
  for (guint i = 0; i < p->enum_class->n_values; i++)
    {
      GEnumValue *ev = &p->enum_class->values[i];
      if (properties_enum_value_allowed (pspec, ev->value))
        json_builder_add_string_value (builder, ev->value_nick);
    }
  json_builder_end_array (builder);
  def = g_enum_get_value (p->enum_class, p->default_value);
  if (def)
    add_string (builder, "default", def->value_nick);
}

void
properties_describe (GParamSpec *pspec, JsonBuilder *builder)
{
  PropertyKind kind = properties_kind (pspec);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, properties_type_name (pspec));
  add_string (builder, "label", g_param_spec_get_nick (pspec));
  add_string (builder, "description", g_param_spec_get_blurb (pspec));

  switch (kind)
    {
    case PROPERTY_KIND_DOUBLE:
    case PROPERTY_KIND_FLOAT:
      describe_floating (pspec, kind, builder);
      break;
    case PROPERTY_KIND_INT ... PROPERTY_KIND_ULONG:
      describe_integer (pspec, kind, builder);
      break;
    case PROPERTY_KIND_BOOLEAN:
      json_builder_set_member_name (builder, "default");
      json_builder_add_boolean_value (builder, G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
      break;
    case PROPERTY_KIND_COLOR:
      describe_color (pspec, builder);
      break;
    case PROPERTY_KIND_ENUM:
      describe_enum (pspec, builder);
      break;
    case PROPERTY_KIND_STRING:
      add_string (builder, "default", G_PARAM_SPEC_STRING (pspec)->default_value);
      break;
    case PROPERTY_KIND_FILE:
    case PROPERTY_KIND_OTHER:
    default:
      add_string (builder, "value_type", g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)));
      break;
    }

  json_builder_end_object (builder);
}
