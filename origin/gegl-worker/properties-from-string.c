#include "properties.h"
#include "diag.h"

#include <errno.h>
#include <math.h>
#include <string.h>

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
      if (!properties_enum_value_allowed (pspec, ev->value))
        continue;
      if (s->len)
        g_string_append (s, ", ");
      g_string_append (s, ev->value_nick);
    }
  return g_string_free (s, FALSE);
}

static gboolean
convert_floating (GParamSpec *pspec, PropertyKind kind, const gchar *s, GValue *value, gchar **error)
{
  gdouble d;

  if (kind == PROPERTY_KIND_DOUBLE)
    {
      GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
      if (!parse_double (s, &d, error) ||
          !check_range_double (d, p->minimum, p->maximum, s, error))
        return FALSE;
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, d);
    }
  else
    {
      GParamSpecFloat *p = G_PARAM_SPEC_FLOAT (pspec);
      if (!parse_double (s, &d, error) ||
          !check_range_double (d, p->minimum, p->maximum, s, error))
        return FALSE;
      g_value_init (value, G_TYPE_FLOAT);
      g_value_set_float (value, (gfloat) d);
    }
  return TRUE;
}

static gboolean
convert_integer (GParamSpec *pspec, PropertyKind kind, const gchar *s, GValue *value, gchar **error)
{
  gint64 i;

  if (!parse_integer (s, &i, error))
    return FALSE;
  switch (kind)
    {
    case PROPERTY_KIND_INT:
      {
        GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
        if (!check_range_int (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_INT);
        g_value_set_int (value, (gint) i);
        return TRUE;
      }
    case PROPERTY_KIND_UINT:
      {
        GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
        if (!check_range_uint (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_UINT);
        g_value_set_uint (value, (guint) i);
        return TRUE;
      }
    case PROPERTY_KIND_INT64:
      {
        GParamSpecInt64 *p = G_PARAM_SPEC_INT64 (pspec);
        if (!check_range_int (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_INT64);
        g_value_set_int64 (value, i);
        return TRUE;
      }
    case PROPERTY_KIND_UINT64:
      {
        GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
        if (!check_range_uint (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_UINT64);
        g_value_set_uint64 (value, (guint64) i);
        return TRUE;
      }
    case PROPERTY_KIND_LONG:
      {
        GParamSpecLong *p = G_PARAM_SPEC_LONG (pspec);
        if (!check_range_int (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_LONG);
        g_value_set_long (value, (glong) i);
        return TRUE;
      }
    case PROPERTY_KIND_ULONG:
    default:
      {
        GParamSpecULong *p = G_PARAM_SPEC_ULONG (pspec);
        if (!check_range_uint (i, p->minimum, p->maximum, s, error))
          return FALSE;
        g_value_init (value, G_TYPE_ULONG);
        g_value_set_ulong (value, (gulong) i);
        return TRUE;
      }
    }
}

static gboolean
convert_boolean (const gchar *s, GValue *value, gchar **error)
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

static gboolean
convert_color (const gchar *s, GValue *value, gchar **error)
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

/* By nick, then by value name, then by numeric value. */
static gboolean
convert_enum (GParamSpec *pspec, const gchar *s, GValue *value, gchar **error)
{
  GParamSpecEnum *p  = G_PARAM_SPEC_ENUM (pspec);
  GEnumValue     *ev = g_enum_get_value_by_nick (p->enum_class, s);
  gint64          i;

  if (!ev)
    ev = g_enum_get_value_by_name (p->enum_class, s);
  if (!ev)
    {
      gchar *tmp = NULL;
      if (parse_integer (s, &i, &tmp) && i >= G_MININT && i <= G_MAXINT)
        ev = g_enum_get_value (p->enum_class, (gint) i);
      g_free (tmp);
    }
  if (!ev || !properties_enum_value_allowed (pspec, ev->value))
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

static gboolean
convert (GParamSpec *pspec, const gchar *s, GValue *value, gchar **error)
{
  PropertyKind kind = properties_kind (pspec);

  switch (kind)
    {
    case PROPERTY_KIND_DOUBLE:
    case PROPERTY_KIND_FLOAT:
      return convert_floating (pspec, kind, s, value, error);
    case PROPERTY_KIND_INT ... PROPERTY_KIND_ULONG:
      return convert_integer (pspec, kind, s, value, error);
    case PROPERTY_KIND_BOOLEAN:
      return convert_boolean (s, value, error);
    case PROPERTY_KIND_COLOR:
      return convert_color (s, value, error);
    case PROPERTY_KIND_ENUM:
      return convert_enum (pspec, s, value, error);
    case PROPERTY_KIND_STRING:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, s);
      return TRUE;
    case PROPERTY_KIND_FILE:
      *error = g_strdup ("it names a file or URI, and such properties cannot be set through imgflo");
      return FALSE;
    case PROPERTY_KIND_OTHER:
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
  if (properties_kind (pspec) == PROPERTY_KIND_STRING)
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
