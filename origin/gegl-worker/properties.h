/* GEGL operation properties: describing them and setting them from the
 * string values used on the wire. */
#ifndef IMGFLO_PROPERTIES_H
#define IMGFLO_PROPERTIES_H

#include <gegl.h>
#include <json-glib/json-glib.h>

/* Type reported to clients: "double", "int", "boolean", "color", "enum",
 * "string" or "other" (anything that cannot be set from a string; also file
 * paths and URIs, which the worker refuses for safety). */
const gchar *properties_type_name  (GParamSpec *pspec);

/* TRUE for properties the worker reports and lets clients set. */
gboolean     properties_is_exposed (GParamSpec *pspec);

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
