/* GEGL operation properties: describing them and setting them from the
 * string values used on the wire.
 *   properties.c             what kind of value a property takes
 *   properties-describe.c    a property's description, for `describe`
 *   properties-from-string.c text -> GValue, for `render` */
#ifndef IMGFLO_PROPERTIES_H
#define IMGFLO_PROPERTIES_H

#include <gegl.h>
#include <json-glib/json-glib.h>

/* The kinds of value the worker tells apart, one per GParamSpec class it
 * handles. The integer kinds stand together, INT to ULONG, so that a switch
 * takes them as one case range. */
typedef enum
{
  PROPERTY_KIND_DOUBLE,
  PROPERTY_KIND_FLOAT,
  PROPERTY_KIND_INT,
  PROPERTY_KIND_UINT,
  PROPERTY_KIND_INT64,
  PROPERTY_KIND_UINT64,
  PROPERTY_KIND_LONG,
  PROPERTY_KIND_ULONG,
  PROPERTY_KIND_BOOLEAN,
  PROPERTY_KIND_COLOR,
  PROPERTY_KIND_ENUM,
  PROPERTY_KIND_STRING,
  PROPERTY_KIND_FILE,      /* file path / URI string: refused */
  PROPERTY_KIND_OTHER
} PropertyKind;

PropertyKind properties_kind       (GParamSpec *pspec);

/* Type reported to clients: "double", "int", "boolean", "color", "enum",
 * "string" or "other" (anything that cannot be set from a string; also file
 * paths and URIs, which the worker refuses for safety). */
const gchar *properties_type_name  (GParamSpec *pspec);

/* TRUE for properties the worker reports and lets clients set. */
gboolean     properties_is_exposed (GParamSpec *pspec);

/* Whether an enum property accepts value (GEGL can exclude values). */
gboolean     properties_enum_value_allowed (GParamSpec *pspec,
                                            gint        value);

/* Adds a JSON object describing pspec (type, range, default, ...) to the
 * builder, which must be positioned where a value is expected. */
void         properties_describe   (GParamSpec  *pspec,
                                    JsonBuilder *builder);

/* Converts text into a GValue suitable for pspec. On failure returns FALSE
 * and sets *error to a sentence fragment explaining why (g_free). The value
 * must be unset by the caller on success. */
gboolean     properties_from_string (GParamSpec  *pspec,
                                     const gchar *text,
                                     GValue      *value,
                                     gchar      **error);

/* Formats a colour as "#rrggbb" or "#rrggbbaa" (sRGB, 8 bits). */
gchar       *properties_color_to_hex (GeglColor *color);

#endif
