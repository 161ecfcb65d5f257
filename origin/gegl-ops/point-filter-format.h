/* The prepare() step shared by the point filters: read and write one babl
 * encoding (e.g. "YA float") in the input's colour space.  Include it
 * after gegl-op.h. */
#ifndef IMGFLO_POINT_FILTER_FORMAT_H
#define IMGFLO_POINT_FILTER_FORMAT_H

static void
set_point_filter_format (GeglOperation *operation,
                         const gchar   *encoding)
{
  const Babl *space  = gegl_operation_get_source_space (operation, "input");
  const Babl *format = babl_format_with_space (encoding, space);

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "output", format);
}

#endif
