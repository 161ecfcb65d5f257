/* imgflo:place
 *
 * Sizes the input (an overlay) relative to the image on the aux pad (the
 * reference, e.g. the picture a watermark goes on) and places it in the
 * reference's frame, clipped to it: what a composer such as svg:src-over
 * then takes on its aux pad.
 *
 * Size
 *   fit = width: the overlay's width becomes `scale` times the reference's
 *   width, its aspect ratio kept.  fit = cover: the smallest size that
 *   covers the whole reference, aspect ratio kept.
 *
 * Position
 *   `position` (a compass point or center) puts the overlay against that
 *   side of the reference, `margin` pixels in from its edges; with cover,
 *   it says which part of the overlay is kept.  Positions snap to whole
 *   pixels, so a solid overlay keeps sharp edges.
 *
 * The reference's pixels are never read, only its extent: without an aux
 * image the input is its own reference.  Scaling is GEGL's linear sampler
 * on premultiplied linear RGBA (transparent pixels bleed no colour):
 * interpolating when enlarging, exact at 1:1, and averaging over the area
 * each pixel covers when shrinking, as browsers scale images.  (NoHalo
 * looks a little better enlarged and costs twice the render.)  At level 0
 * (every render of the worker) its arithmetic runs on a plain array of the
 * overlay's converted pixels (lib/linear-sampler.h): the same floats,
 * without the sampler's per-sample window fetches.
 */

#ifdef GEGL_PROPERTIES

enum_start (imgflo_place_fit)
  enum_value (IMGFLO_PLACE_FIT_WIDTH, "width", "Width")
  enum_value (IMGFLO_PLACE_FIT_COVER, "cover", "Cover")
enum_end (ImgfloPlaceFit)

enum_start (imgflo_place_position)
  enum_value (IMGFLO_PLACE_CENTER,    "center",    "Center")
  enum_value (IMGFLO_PLACE_NORTH,     "north",     "North")
  enum_value (IMGFLO_PLACE_NORTHEAST, "northeast", "Northeast")
  enum_value (IMGFLO_PLACE_EAST,      "east",      "East")
  enum_value (IMGFLO_PLACE_SOUTHEAST, "southeast", "Southeast")
  enum_value (IMGFLO_PLACE_SOUTH,     "south",     "South")
  enum_value (IMGFLO_PLACE_SOUTHWEST, "southwest", "Southwest")
  enum_value (IMGFLO_PLACE_WEST,      "west",      "West")
  enum_value (IMGFLO_PLACE_NORTHWEST, "northwest", "Northwest")
enum_end (ImgfloPlacePosition)

property_enum (fit, "Fit", ImgfloPlaceFit, imgflo_place_fit, IMGFLO_PLACE_FIT_WIDTH)
  description ("width: scale times the reference's width; cover: the "
               "smallest size covering the reference")

property_double (scale, "Scale", 0.25)
  description ("With fit = width, the overlay's width over the "
               "reference's width")
  value_range (0.001, 100.0)

property_enum (position, "Position", ImgfloPlacePosition,
               imgflo_place_position, IMGFLO_PLACE_CENTER)
  description ("Where the overlay goes in the reference's frame")

property_double (margin, "Margin", 0.0)
  description ("Pixels between the overlay and the reference's edges")
  value_range (0.0, 100000.0)

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     imgflo_place
#define GEGL_OP_C_SOURCE place.c

#include <glib/gi18n-lib.h>

#include "gegl-op.h"

#include "lib/linear-sampler.h"

#include <math.h>

/* Rows fetched and written at once, so that a large output needs no
 * full-size scratch buffer. */
#define BAND_ROWS 64

/* Where the scaled overlay lies in the output's coordinates, and the
 * factor that scales the input to it. */
typedef struct
{
  GeglRectangle rect;
  gdouble       scale;
} Placement;

static const GeglRectangle *
reference_of (GeglOperation *operation)
{
  const GeglRectangle *aux = gegl_operation_source_get_bounding_box (operation, "aux");

  return aux && aux->width > 0 && aux->height > 0
           ? aux
           : gegl_operation_source_get_bounding_box (operation, "input");
}

/* Horizontal and vertical justification of a position: 0 left/top, 0.5
 * centre, 1 right/bottom. */
static void
justification (ImgfloPlacePosition position, gdouble *jx, gdouble *jy)
{
  static const gdouble x[] = { 0.5, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0, 0.0 };
  static const gdouble y[] = { 0.5, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0 };

  *jx = x[position];
  *jy = y[position];
}

static gboolean
placement_of (GeglOperation *operation, Placement *placement)
{
  GeglProperties      *o = GEGL_PROPERTIES (operation);
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");
  const GeglRectangle *ref = reference_of (operation);
  gdouble              jx, jy, margin = o->fit == IMGFLO_PLACE_FIT_COVER ? 0.0 : o->margin;
  gint                 width, height;

  if (!in || !ref || in->width <= 0 || in->height <= 0 || gegl_rectangle_is_infinite_plane (in))
    return FALSE;
  if (o->fit == IMGFLO_PLACE_FIT_COVER)
    {
      placement->scale = MAX ((gdouble) ref->width / in->width,
                              (gdouble) ref->height / in->height);
      width = MAX (ref->width, (gint) ceil (in->width * placement->scale - 1e-9));
      height = MAX (ref->height, (gint) ceil (in->height * placement->scale - 1e-9));
    }
  else
    {
      /* The scale that gives a whole number of pixels across. */
      width = MAX (1, (gint) round (ref->width * o->scale));
      placement->scale = (gdouble) width / in->width;
      height = MAX (1, (gint) round (in->height * placement->scale));
    }
  justification (o->position, &jx, &jy);
  placement->rect = (GeglRectangle) {
    ref->x + (gint) round (margin + jx * (ref->width - width - 2 * margin)),
    ref->y + (gint) round (margin + jy * (ref->height - height - 2 * margin)),
    width, height,
  };
  return TRUE;
}

static void
prepare (GeglOperation *operation)
{
  const Babl *space = gegl_operation_get_source_space (operation, "input");
  const Babl *format = babl_format_with_space ("RaGaBaA float", space);

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", format);
  gegl_operation_set_format (operation, "output", format);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  Placement     placement;
  GeglRectangle box = { 0, 0, 0, 0 };

  if (placement_of (operation, &placement))
    gegl_rectangle_intersect (&box, &placement.rect, reference_of (operation));
  return box;
}

/* The whole overlay (any output pixel may need any part of it when
 * shrinking), and nothing of the reference, whose extent is all it gives. */
static GeglRectangle
get_required_for_output (GeglOperation *operation, const gchar *input_pad,
                         const GeglRectangle *roi)
{
  GeglRectangle        none = { 0, 0, 0, 0 };
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");

  (void) roi;
  if (g_strcmp0 (input_pad, "input") == 0 && in)
    return *in;
  return none;
}

/* The part of the overlay that the samples of `result`'s pixels read: the
 * area each one averages over (half the inverse scale either side when
 * shrinking) and the linear sampler's neighbours, with room to spare, within
 * the overlay. */
static GeglRectangle
source_of (const GeglRectangle *result, const Placement *placement, const GeglRectangle *in)
{
  gdouble       reach = 0.5 / MIN (placement->scale, 1.0) + 4.0;
  gdouble       x0 = in->x + (result->x - placement->rect.x) / placement->scale - reach;
  gdouble       y0 = in->y + (result->y - placement->rect.y) / placement->scale - reach;
  gdouble       x1 = in->x + (result->x + result->width - placement->rect.x) / placement->scale + reach;
  gdouble       y1 = in->y + (result->y + result->height - placement->rect.y) / placement->scale + reach;
  GeglRectangle wanted = { (gint) floor (x0), (gint) floor (y0), 0, 0 };
  GeglRectangle source;

  wanted.width = (gint) ceil (x1) - wanted.x;
  wanted.height = (gint) ceil (y1) - wanted.y;
  gegl_rectangle_intersect (&source, &wanted, in);
  return source;
}

/* The source coordinate of the centre of output column (or row) `at`,
 * along an axis on which the input starts at `first` and the placed
 * overlay at `placed`. */
static inline gdouble
source_coordinate (gint at, gint first, gint placed, gdouble scale)
{
  return first + (at + 0.5 - placed) / scale;
}

/* Fills rows [y, y + rows) of the region into `band` (4 floats a pixel). */
typedef void (*FillBand) (gpointer state, gint y, gint rows, gfloat *band);

/* Writes `result` to `output` a band of rows at a time. */
static void
write_bands (GeglBuffer *output, const Babl *format, const GeglRectangle *result,
             FillBand fill, gpointer state)
{
  gfloat *band = g_new (gfloat, (gsize) result->width * BAND_ROWS * 4);

  for (gint y = result->y; y < result->y + result->height; y += BAND_ROWS)
    {
      gint          rows = MIN (BAND_ROWS, result->y + result->height - y);
      GeglRectangle target = { result->x, y, result->width, rows };

      fill (state, y, rows, band);
      gegl_buffer_set (output, &target, 0, format, band, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (band);
}

/* Level 0: lib/linear-sampler on the part of the overlay that the region
 * reads (`source`), converted to the interpolation format; samples clamp
 * to that part, as GEGL's sampler on a buffer of it does. */
typedef struct
{
  GeglBuffer   *input;
  const Babl   *format;
  GeglRectangle source;
  gint          first_row, width, count;
  LinearTap    *rows, *columns; /* `count` for each output row, column */
} OwnSampling;

static void
own_sampling_init (OwnSampling *s, GeglBuffer *input, const Babl *format,
                   const GeglRectangle *result, const Placement *placement,
                   const GeglRectangle *in)
{
  /* An area to average over only when shrinking: enlarging interpolates. */
  gdouble area = 1.0 / placement->scale;

  s->input = input;
  s->format = format;
  s->source = source_of (result, placement, in);
  s->first_row = result->y;
  s->width = result->width;
  s->count = placement->scale < 1.0 ? linear_sampler_count (area) : 1;
  s->rows = g_new (LinearTap, (gsize) result->height * s->count);
  s->columns = g_new (LinearTap, (gsize) result->width * s->count);
  for (gint i = 0; i < result->height; i++)
    linear_sampler_taps (source_coordinate (result->y + i, in->y, placement->rect.y,
                                            placement->scale),
                         area, s->count, s->source.y, s->source.height, &s->rows[i * s->count]);
  for (gint i = 0; i < result->width; i++)
    linear_sampler_taps (source_coordinate (result->x + i, in->x, placement->rect.x,
                                            placement->scale),
                         area, s->count, s->source.x, s->source.width,
                         &s->columns[i * s->count]);
}

static void
fill_own (gpointer state, gint y, gint rows, gfloat *band)
{
  OwnSampling *s = state;

  linear_sampler_band (s->input, s->format, &s->source, &s->rows[(y - s->first_row) * s->count],
                       rows, s->columns, s->width, s->count, band);
}

/* Other mipmap levels, whose coordinates are the level's: GEGL's sampler
 * on the input. */
typedef struct
{
  GeglSampler         *sampler;
  GeglSamplerGetFun    sample;
  GeglBufferMatrix2    area, *shrink;
  const Placement     *placement;
  const GeglRectangle *in, *result;
} GeglSampling;

static void
fill_by_gegl (gpointer state, gint y, gint rows, gfloat *band)
{
  GeglSampling        *s = state;
  const Placement     *placement = s->placement;
  const GeglRectangle *result = s->result;
  gfloat              *pixel = band;

  for (gint row = y; row < y + rows; row++)
    {
      gdouble v = source_coordinate (row, s->in->y, placement->rect.y, placement->scale);

      for (gint x = result->x; x < result->x + result->width; x++, pixel += 4)
        s->sample (s->sampler,
                   source_coordinate (x, s->in->x, placement->rect.x, placement->scale), v,
                   s->shrink, pixel, GEGL_ABYSS_CLAMP);
    }
}

static void
place_at_level (GeglBuffer *input, GeglBuffer *output, const Babl *format,
                const GeglRectangle *result, const Placement *placement,
                const GeglRectangle *in, gint level)
{
  gdouble      area = 1.0 / placement->scale;
  GeglSampling s = {
    gegl_buffer_sampler_new_at_level (input, format, GEGL_SAMPLER_LINEAR, level),
    NULL,
    { { { area, 0.0 }, { 0.0, area } } },
    NULL,
    placement,
    in,
    result,
  };

  s.sample = gegl_sampler_get_fun (s.sampler);
  s.shrink = placement->scale < 1.0 ? &s.area : NULL;
  write_bands (output, format, result, fill_by_gegl, &s);
  g_object_unref (s.sampler);
}

/* Samples the overlay at the centre of every output pixel; when shrinking,
 * over the area the pixel covers (the inverse of the scale).  Only pixels
 * of the placed overlay are sampled, its edges clamped: they keep the
 * overlay's own colour and alpha rather than fading into transparency. */
static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *aux, GeglBuffer *output,
         const GeglRectangle *result, gint level)
{
  const Babl          *format = gegl_operation_get_format (operation, "output");
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");
  Placement            placement;
  GeglRectangle        todo;
  OwnSampling          own;

  (void) aux;
  /* Outside the placed overlay the output stays empty (transparent). */
  if (!input || !placement_of (operation, &placement) ||
      !gegl_rectangle_intersect (&todo, result, &placement.rect))
    return TRUE;
  if (level != 0)
    {
      place_at_level (input, output, format, &todo, &placement, in, level);
      return TRUE;
    }
  own_sampling_init (&own, input, format, &todo, &placement, in);
  if (own.source.width > 0 && own.source.height > 0)
    write_bands (output, format, &todo, fill_own, &own);
  g_free (own.rows);
  g_free (own.columns);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationComposerClass *composer_class = GEGL_OPERATION_COMPOSER_CLASS (klass);

  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  composer_class->process = process;

  gegl_operation_class_set_keys (operation_class,
    "name",        "imgflo:place",
    "title",       "Place",
    "categories",  "transform",
    "description", "Sizes the input relative to the aux image and places it "
                   "in the aux image's frame, clipped to it",
    NULL);
}

#endif
