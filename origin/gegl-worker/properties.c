#include "properties.h"
#include "diag.h"

#include <gegl-paramspecs.h>

#include <errno.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Classification
 */

typedef enum
{
  KIND_DOUBLE,
  KIND_FLOAT,
  KIND_INT,
  KIND_UINT,
  KIND_INT64,
  KIND_UINT64,
  KIND_LONG,
  KIND_ULONG,
  KIND_BOOLEAN,
  KIND_COLOR,
  KIND_ENUM,
  KIND_STRING,
  KIND_FILE,      /* file path / URI string: refused */
  KIND_OTHER
} PropertyKind;

static PropertyKind
property_kind (GParamSpec *pspec)
{
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return KIND_DOUBLE;
  if (G_IS_PARAM_SPEC_FLOAT (pspec))
    return KIND_FLOAT;
  if (G_IS_PARAM_SPEC_INT (pspec))
    return KIND_INT;
  if (G_IS_PARAM_SPEC_UINT (pspec))      /* includes GeglParamSeed */
    return KIND_UINT;
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return KIND_INT64;
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return KIND_UINT64;
  if (G_IS_PARAM_SPEC_LONG (pspec))
    return KIND_LONG;
  if (G_IS_PARAM_SPEC_ULONG (pspec))
    return KIND_ULONG;
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    return KIND_BOOLEAN;
  if (GEGL_IS_PARAM_SPEC_COLOR (pspec) ||
      g_type_is_a (G_PARAM_SPEC_VALUE_TYPE (pspec), GEGL_TYPE_COLOR))
    return KIND_COLOR;
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    return KIND_ENUM;
  if (GEGL_IS_PARAM_SPEC_FILE_PATH (pspec) || GEGL_IS_PARAM_SPEC_URI (pspec))
    return KIND_FILE;
  if (G_IS_PARAM_SPEC_STRING (pspec))
    return KIND_STRING;
  return KIND_OTHER;
}

const gchar *
properties_type_name (GParamSpec *pspec)
{
  switch (property_kind (pspec))
    {
    case KIND_DOUBLE:
    case KIND_FLOAT:
      return "double";
    case KIND_INT:
    case KIND_UINT:
    case KIND_INT64:
    case KIND_UINT64:
    case KIND_LONG:
    case KIND_ULONG:
      return "int";
    case KIND_BOOLEAN:
      return "boolean";
    case KIND_COLOR:
      return "color";
    case KIND_ENUM:
      return "enum";
    case KIND_STRING:
      return "string";
    case KIND_FILE:
    case KIND_OTHER:
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

/* ---------------------------------------------------------------------------
 * Description
 */

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

/* Whether an enum value is accepted by the pspec (GEGL can exclude values). */
static gboolean
enum_value_allowed (GParamSpec *pspec, gint value)
{
  GValue   v = G_VALUE_INIT;
  gboolean changed;

  g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_value_set_enum (&v, value);
  changed = g_param_value_validate (pspec, &v);
  g_value_unset (&v);
  return !changed;
}

void
properties_describe (GParamSpec *pspec, JsonBuilder *builder)
{
  PropertyKind kind = property_kind (pspec);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, properties_type_name (pspec));
  add_string (builder, "label", g_param_spec_get_nick (pspec));
  add_string (builder, "description", g_param_spec_get_blurb (pspec));

  switch (kind)
    {
    case KIND_DOUBLE:
      {
        GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
        add_double (builder, "minimum", p->minimum);
        add_double (builder, "maximum", p->maximum);
        add_double (builder, "default", p->default_value);
        if (GEGL_IS_PARAM_SPEC_DOUBLE (pspec))
          {
            GeglParamSpecDouble *g = GEGL_PARAM_SPEC_DOUBLE (pspec);
            add_double (builder, "ui_minimum", g->ui_minimum);
            add_double (builder, "ui_maximum", g->ui_maximum);
          }
        break;
      }
    case KIND_FLOAT:
      {
        GParamSpecFloat *p = G_PARAM_SPEC_FLOAT (pspec);
        add_double (builder, "minimum", p->minimum);
        add_double (builder, "maximum", p->maximum);
        add_double (builder, "default", p->default_value);
        break;
      }
    case KIND_INT:
      {
        GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
        add_int (builder, "minimum", p->minimum);
        add_int (builder, "maximum", p->maximum);
        add_int (builder, "default", p->default_value);
        if (GEGL_IS_PARAM_SPEC_INT (pspec))
          {
            GeglParamSpecInt *g = GEGL_PARAM_SPEC_INT (pspec);
            add_int (builder, "ui_minimum", g->ui_minimum);
            add_int (builder, "ui_maximum", g->ui_maximum);
          }
        break;
      }
    case KIND_UINT:
      {
        GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
        add_int (builder, "minimum", p->minimum);
        add_int (builder, "maximum", p->maximum);
        add_int (builder, "default", p->default_value);
        if (GEGL_IS_PARAM_SPEC_SEED (pspec))
          {
            GeglParamSpecSeed *g = GEGL_PARAM_SPEC_SEED (pspec);
            add_int (builder, "ui_minimum", g->ui_minimum);
            add_int (builder, "ui_maximum", g->ui_maximum);
          }
        break;
      }
    case KIND_INT64:
      {
        GParamSpecInt64 *p = G_PARAM_SPEC_INT64 (pspec);
        add_int (builder, "minimum", p->minimum);
        add_int (builder, "maximum", p->maximum);
        add_int (builder, "default", p->default_value);
        break;
      }
    case KIND_UINT64:
      {
        GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
        add_double (builder, "minimum", (gdouble) p->minimum);
        add_double (builder, "maximum", (gdouble) p->maximum);
        add_double (builder, "default", (gdouble) p->default_value);
        break;
      }
    case KIND_LONG:
      {
        GParamSpecLong *p = G_PARAM_SPEC_LONG (pspec);
        add_int (builder, "minimum", p->minimum);
        add_int (builder, "maximum", p->maximum);
        add_int (builder, "default", p->default_value);
        break;
      }
    case KIND_ULONG:
      {
        GParamSpecULong *p = G_PARAM_SPEC_ULONG (pspec);
        add_double (builder, "minimum", (gdouble) p->minimum);
        add_double (builder, "maximum", (gdouble) p->maximum);
        add_double (builder, "default", (gdouble) p->default_value);
        break;
      }
    case KIND_BOOLEAN:
      json_builder_set_member_name (builder, "default");
      json_builder_add_boolean_value (builder, G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
      break;
    case KIND_COLOR:
      {
        GeglColor *def = GEGL_IS_PARAM_SPEC_COLOR (pspec)
                         ? gegl_param_spec_color_get_default (pspec) : NULL;
        if (def)
          {
            gchar *hex = properties_color_to_hex (def);
            add_string (builder, "default", hex);
            g_free (hex);
          }
        break;
      }
    case KIND_ENUM:
      {
        GParamSpecEnum *p = G_PARAM_SPEC_ENUM (pspec);
        GEnumValue     *def;

        json_builder_set_member_name (builder, "values");
        json_builder_begin_array (builder);
        for (guint i = 0; i < p->enum_class->n_values; i++)
          {
            GEnumValue *ev = &p->enum_class->values[i];
            if (enum_value_allowed (pspec, ev->value))
              json_builder_add_string_value (builder, ev->value_nick);
          }
        json_builder_end_array (builder);
        def = g_enum_get_value (p->enum_class, p->default_value);
        if (def)
          add_string (builder, "default", def->value_nick);
        break;
      }
    case KIND_STRING:
      add_string (builder, "default", G_PARAM_SPEC_STRING (pspec)->default_value);
      break;
    case KIND_FILE:
    case KIND_OTHER:
    default:
      add_string (builder, "value_type", g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)));
      break;
    }

  json_builder_end_object (builder);
}

/* ---------------------------------------------------------------------------
 * Conversion from strings
 */

static gboolean
parse_double (const gchar *s, gdouble *out, gchar **error)
{
  gchar   *end = NULL;
  gdouble  d;

  if (*s == '\0')
    {
      *error = g_strdup ("an empty value is not a number");
      return FALSE;
    }
  errno = 0;
  d = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0')
    {
      *error = g_strdup_printf ("'%s' is not a number", s);
      return FALSE;
    }
  if (!isfinite (d))
    {
      *error = g_strdup_printf ("'%s' is not a finite number", s);
      return FALSE;
    }
  *out = d;
  return TRUE;
}

/* Integers: decimal notation, or a number with no fractional part ("3.0",
 * "1e3"), as clients that treat every number as a double may send. */
static gboolean
parse_integer (const gchar *s, gint64 *out, gchar **error)
{
  gchar   *end = NULL;
  gint64   v;
  gdouble  d;

  if (*s == '\0')
    {
      *error = g_strdup ("an empty value is not an integer");
      return FALSE;
    }
  errno = 0;
  v = g_ascii_strtoll (s, &end, 10);
  if (end != s && *end == '\0')
    {
      if (errno == ERANGE)
        {
          *error = g_strdup_printf ("'%s' is too large", s);
          return FALSE;
        }
      *out = v;
      return TRUE;
    }
  end = NULL;
  d = g_ascii_strtod (s, &end);
  if (end != s && *end == '\0' && isfinite (d) && d == floor (d) &&
      fabs (d) <= 9007199254740992.0 /* 2^53 */)
    {
      *out = (gint64) d;
      return TRUE;
    }
  *error = g_strdup_printf ("'%s' is not an integer", s);
  return FALSE;
}

static gboolean
check_range_double (gdouble v, gdouble min, gdouble max, const gchar *s, gchar **error)
{
  if (v < min || v > max)
    {
      *error = g_strdup_printf ("%s is outside the allowed range %g to %g", s, min, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_range_int (gint64 v, gint64 min, gint64 max, const gchar *s, gchar **error)
{
  if (v < min || v > max)
    {
      *error = g_strdup_printf ("%s is outside the allowed range %" G_GINT64_FORMAT
                                " to %" G_GINT64_FORMAT, s, min, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_range_uint (gint64 v, guint64 min, guint64 max, const gchar *s, gchar **error)
{
  if (v < 0 || (guint64) v < min || (guint64) v > max)
    {
      *error = g_strdup_printf ("%s is outside the allowed range %" G_GUINT64_FORMAT
                                " to %" G_GUINT64_FORMAT, s, min, max);
      return FALSE;
    }
  return TRUE;
}

static gchar *
enum_nicks (GParamSpec *pspec)
{
  GParamSpecEnum *p = G_PARAM_SPEC_ENUM (pspec);
  GString        *s = g_string_new (NULL);

  for (guint i = 0; i < p->enum_class->n_values; i++)
    {
      GEnumValue *ev = &p->enum_class->values[i];
      if (!enum_value_allowed (pspec, ev->value))
        continue;
      if (s->len)
        g_string_append (s, ", ");
      g_string_append (s, ev->value_nick);
    }
  return g_string_free (s, FALSE);
}

static gboolean
convert (GParamSpec *pspec, const gchar *s, GValue *value, gchar **error)
{
  PropertyKind kind = property_kind (pspec);
  gdouble      d;
  gint64       i;

  switch (kind)
    {
    case KIND_DOUBLE:
      {
        GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
        if (!parse_double (s, &d, error) ||
            !check_range_double (d, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_DOUBLE);
        g_value_set_double (value, d);
        return TRUE;
      }
    case KIND_FLOAT:
      {
        GParamSpecFloat *p = G_PARAM_SPEC_FLOAT (pspec);
        if (!parse_double (s, &d, error) ||
            !check_range_double (d, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_FLOAT);
        g_value_set_float (value, (gfloat) d);
        return TRUE;
      }
    case KIND_INT:
      {
        GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
        if (!parse_integer (s, &i, error) ||
            !check_range_int (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_INT);
        g_value_set_int (value, (gint) i);
        return TRUE;
      }
    case KIND_UINT:
      {
        GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
        if (!parse_integer (s, &i, error) ||
            !check_range_uint (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_UINT);
        g_value_set_uint (value, (guint) i);
        return TRUE;
      }
    case KIND_INT64:
      {
        GParamSpecInt64 *p = G_PARAM_SPEC_INT64 (pspec);
        if (!parse_integer (s, &i, error) ||
            !check_range_int (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_INT64);
        g_value_set_int64 (value, i);
        return TRUE;
      }
    case KIND_UINT64:
      {
        GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
        if (!parse_integer (s, &i, error) ||
            !check_range_uint (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_UINT64);
        g_value_set_uint64 (value, (guint64) i);
        return TRUE;
      }
    case KIND_LONG:
      {
        GParamSpecLong *p = G_PARAM_SPEC_LONG (pspec);
        if (!parse_integer (s, &i, error) ||
            !check_range_int (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_LONG);
        g_value_set_long (value, (glong) i);
        return TRUE;
      }
    case KIND_ULONG:
      {
        GParamSpecULong *p = G_PARAM_SPEC_ULONG (pspec);
        if (!parse_integer (s, &i, error) ||
            !check_range_uint (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_ULONG);
        g_value_set_ulong (value, (gulong) i);
        return TRUE;
      }
    case KIND_BOOLEAN:
      {
        gboolean b;
        /* The origin sends booleans canonical (shared/boolean-words.ts reads the words). */
        if (strcmp (s, "true") == 0)
          b = TRUE;
        else if (strcmp (s, "false") == 0)
          b = FALSE;
        else
          {
            *error = g_strdup_printf ("'%s' is not a boolean (true or false)", s);
            return FALSE;
          }
        g_value_init (value, G_TYPE_BOOLEAN);
        g_value_set_boolean (value, b);
        return TRUE;
      }
    case KIND_COLOR:
      {
        /* GEGL has no failure return for colour parsing: it logs a warning
         * and substitutes a colour, so watch the warnings. */
        guint      before = diag_count ();
        GeglColor *color;

        if (*s == '\0')
          {
            *error = g_strdup ("an empty value is not a colour");
            return FALSE;
          }
        color = gegl_color_new (s);
        if (diag_count () != before)
          {
            g_object_unref (color);
            *error = g_strdup_printf ("'%s' is not a colour GEGL understands "
                                      "(use #rgb, #rgba, #rrggbb, #rrggbbaa, a name like 'white', "
                                      "or rgb(r, g, b) / rgba(r, g, b, a) with linear 0..1 components)",
                                      s);
            return FALSE;
          }
        g_value_init (value, GEGL_TYPE_COLOR);
        g_value_take_object (value, color);
        return TRUE;
      }
    case KIND_ENUM:
      {
        GParamSpecEnum *p  = G_PARAM_SPEC_ENUM (pspec);
        GEnumValue     *ev = g_enum_get_value_by_nick (p->enum_class, s);

        if (!ev)
          ev = g_enum_get_value_by_name (p->enum_class, s);
        if (!ev)
          {
            gchar *tmp = NULL;
            if (parse_integer (s, &i, &tmp) && i >= G_MININT && i <= G_MAXINT)
              ev = g_enum_get_value (p->enum_class, (gint) i);
            g_free (tmp);
          }
        if (!ev || !enum_value_allowed (pspec, ev->value))
          {
            gchar *nicks = enum_nicks (pspec);
            *error = g_strdup_printf ("'%s' is not one of: %s", s, nicks);
            g_free (nicks);
            return FALSE;
          }
        g_value_init (value, G_PARAM_SPEC_VALUE_TYPE (pspec));
        g_value_set_enum (value, ev->value);
        return TRUE;
      }
    case KIND_STRING:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, s);
      return TRUE;
    case KIND_FILE:
      *error = g_strdup ("it names a file or URI, and such properties cannot be set through imgflo");
      return FALSE;
    case KIND_OTHER:
    default:
      *error = g_strdup_printf ("its type %s cannot be set from a string",
                                g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)));
      return FALSE;
    }
}

gboolean
properties_from_string (GParamSpec  *pspec,
                        const gchar *text,
                        GValue      *value,
                        gchar      **error)
{
  gboolean ok;
  gchar   *s;

  if (!properties_is_exposed (pspec))
    {
      *error = g_strdup ("it cannot be set");
      return FALSE;
    }

  /* Strings are taken verbatim; everything else ignores surrounding blanks. */
  if (property_kind (pspec) == KIND_STRING)
    s = g_strdup (text);
  else
    s = g_strstrip (g_strdup (text));

  ok = convert (pspec, s, value, error);

  /* Final word to GObject's own validation (e.g. excluded enum values,
   * string constraints). g_param_value_validate returns TRUE if it had to
   * change the value, meaning it was not acceptable. */
  if (ok && g_param_value_validate (pspec, value))
    {
      *error = g_strdup_printf ("'%s' is not an acceptable value", s);
      g_value_unset (value);
      ok = FALSE;
    }

  g_free (s);
  return ok;
}
