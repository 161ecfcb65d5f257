/* imgflo:whole-image-blur (whole-image-blur.h). gblur-1d's recursive filter
 * needs every pixel of a line, so GEGL computes a blur's whole extent for
 * any part of it (its required and cached regions); this operation says the
 * same, and GEGL hands it that extent in one call. */
#include "whole-image-blur.h"
#include "describe.h"
#include "kept-image.h"
#include "../gegl-ops/lib/rendered-mark.h"

#include <gegl-plugin.h>

typedef struct
{
  GeglOperationFilter parent_instance;
  ImageBlur           filter;
} WholeImageBlur;

typedef struct
{
  GeglOperationFilterClass parent_class;
} WholeImageBlurClass;

GType whole_image_blur_get_type (void);
G_DEFINE_TYPE (WholeImageBlur, whole_image_blur, GEGL_TYPE_OPERATION_FILTER)

#define WHOLE_IMAGE_BLUR(obj) \
  (G_TYPE_CHECK_INSTANCE_CAST ((obj), whole_image_blur_get_type (), WholeImageBlur))

/* gblur-1d's format for an RGBA source (blur-swaps.c swaps no other). */
static void
prepare (GeglOperation *operation)
{
  const Babl *format = babl_format_with_space (IMAGE_BLUR_FORMAT,
                                               gegl_operation_get_source_space (operation, "input"));

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "output", format);
}

/* The input's extent, as a blur clipped to it has. */
static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");

  return in ? *in : (GeglRectangle) { 0, 0, 0, 0 };
}

static GeglRectangle
get_required_for_output (GeglOperation *operation, const gchar *pad, const GeglRectangle *roi)
{
  (void) pad;
  (void) roi;
  return get_bounding_box (operation);
}

static GeglRectangle
get_cached_region (GeglOperation *operation, const GeglRectangle *roi)
{
  (void) roi;
  return get_bounding_box (operation);
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *roi, gint level)
{
  const Babl *format = gegl_operation_get_format (operation, "output");
  gfloat     *image;
  gboolean    blurred;

  (void) level;
  image = kept_image_take ((gsize) roi->width * roi->height * CHANNELS * sizeof (gfloat));
  /* GEGL has no way for an operation to fail a render: without its memory
   * the worker stops, as GEGL's own operations do, and the origin answers
   * for the render and starts another worker. */
  if (!image)
    g_error ("imgflo:whole-image-blur: no memory for a %dx%d float image", roi->width,
             roi->height);
  gegl_buffer_get (input, roi, 1.0, format, image, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  blurred = image_blur_run (&WHOLE_IMAGE_BLUR (operation)->filter, image, roi->width, roi->height);
  if (!blurred)
    g_error ("imgflo:whole-image-blur: no memory for a thread's lines");
  gegl_buffer_set (output, roi, 0, format, image, GEGL_AUTO_ROWSTRIDE);
  kept_image_give_back (image);
  rendered_mark (operation);
  return TRUE;
}

static void
whole_image_blur_class_init (WholeImageBlurClass *klass)
{
  GeglOperationClass *operation_class = GEGL_OPERATION_CLASS (klass);

  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  operation_class->get_cached_region = get_cached_region;
  /* One call for the whole extent: the passes divide it among GEGL's threads. */
  operation_class->threaded = FALSE;
  GEGL_OPERATION_FILTER_CLASS (klass)->process = process;
  gegl_operation_class_set_keys (operation_class, "name", "imgflo:whole-image-blur", "categories",
                                 "hidden:" DESCRIBE_WORKER_OWN_CATEGORY, "title",
                                 "Whole-image blur", "description",
                                 "The worker's own: a graph's Gaussian blur computed over its "
                                 "input's whole extent in one float image.",
                                 NULL);
}

static void
whole_image_blur_init (WholeImageBlur *self)
{
  (void) self;
}

GeglNode *
whole_image_blur_new (GeglNode *graph, const ImageBlur *filter)
{
  WholeImageBlur *blur = g_object_new (whole_image_blur_get_type (), NULL);
  GeglNode       *node;

  blur->filter = *filter;
  node = gegl_node_new_child (graph, "gegl-operation", blur, NULL);
  g_object_unref (blur);
  return node;
}
