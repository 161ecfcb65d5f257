/* imgflo:custom-grey
 *
 * The classic imgflo-server's greyscale: the grey of relative luminance,
 * i.e. of the linearised sRGB values (0.2126 R + 0.7152 G + 0.0722 B in
 * linear light, as babl's "YA float" defines it), encoded back as sRGB
 * by whatever reads the output.  This differs from a luma of the
 * gamma-encoded values (0.299 R' + ...), which makes saturated colours
 * too bright.
 *
 * The work is babl's conversion to "YA float" in the input's colour
 * space; the operation itself only copies.  Alpha is kept unchanged.
 */

#ifdef GEGL_PROPERTIES

/* no properties */

#else

#define GEGL_OP_POINT_FILTER
#define GEGL_OP_NAME     imgflo_custom_grey
#define GEGL_OP_C_SOURCE custom-grey.c

#include "gegl-op.h"
#include "point-filter-format.h"

#include <string.h>

static void
prepare (GeglOperation *operation)
{
  set_point_filter_format (operation, "YA float");
}

static gboolean
process (GeglOperation       *operation,
         void                *in_buf,
         void                *out_buf,
         glong                n_pixels,
         const GeglRectangle *roi,
         gint                 level)
{
  (void) operation;
  (void) roi;
  (void) level;

  if (in_buf != out_buf)
    memcpy (out_buf, in_buf, sizeof (gfloat) * 2 * n_pixels);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass            *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationPointFilterClass *point_class     =
    GEGL_OPERATION_POINT_FILTER_CLASS (klass);

  operation_class->prepare = prepare;
  point_class->process     = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:custom-grey",
    "title",       "Custom Grey",
    "categories",  "grayscale:color",
    "description", "Greyscale of relative luminance (linear-light sRGB), "
                   "alpha kept",
    NULL);
}

#endif
