/* The prepare() of the point filters that read and write non-linear RGBA
 * floats in the input's colour space (custom-grey, retro-curve). Include it
 * after gegl-op.h. */
#ifndef IMGFLO_RGBA_POINT_FILTER_H
#define IMGFLO_RGBA_POINT_FILTER_H

static void
prepare_rgba_float (GeglOperation *operation)
{
  const Babl *space  = gegl_operation_get_source_space (operation, "input");
  const Babl *format = babl_format_with_space ("R'G'B'A float", space);

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "output", format);
}

#endif
