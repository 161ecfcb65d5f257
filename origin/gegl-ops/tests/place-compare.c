/* place-compare: renders imgflo:place (loaded from the directory given as
 * argv[1]) at level 0 over seeded random overlays, sizes, scales and
 * positions, and compares every output pixel's floats with what GEGL's own
 * linear sampler gives on the whole overlay (GEGL_ABYSS_CLAMP, the box
 * area 1 / scale when shrinking) at that pixel's centre: the op's
 * definition, which lib/linear-sampler reproduces without the sampler.
 * Each case is rendered whole and again in a grid of small regions (each
 * reads its own part of the overlay).  Prints "<cases> <pixels>
 * <mismatches>"; exit status 1 on any mismatch.  Built and run by
 * place-sampling.test.ts. */
#include <gegl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CASES 240

typedef struct
{
  GeglRectangle overlay, reference;
  gint          width; /* the placed overlay's width */
  gdouble       margin;
  gint          position; /* the op's enum: centre, then the compass from north */
} Case;

/* Widths of 1 and 2 px, then random ones up to 300. */
static gint
overlay_side (GRand *rand)
{
  gint kind = g_rand_int_range (rand, 0, 8);

  return kind == 0 ? 1 : kind == 1 ? 2 : g_rand_int_range (rand, 3, 300);
}

/* A placed width from 1/12 of the overlay's (the box's 4 samples) up to 6
 * times it (enlarging), half the time within a pixel of a ratio where the
 * box changes (1/2, 1/3, 1/4) or of 1:1. */
static gint
placed_width (GRand *rand, gint overlay)
{
  static const gdouble ratios[] = { 0.5, 1.0 / 3, 0.25, 1.0 };
  gdouble              ratio = ratios[g_rand_int_range (rand, 0, G_N_ELEMENTS (ratios))];
  gint                 width = g_rand_boolean (rand)
                                 ? (gint) (overlay * ratio) + g_rand_int_range (rand, -1, 2)
                                 : (gint) (overlay * g_rand_double_range (rand, 1.0 / 12, 6.0));

  return MAX (1, width);
}

static Case
random_case (GRand *rand)
{
  Case    c;
  gint    w = overlay_side (rand), h = overlay_side (rand);
  gint    placed_height;
  gdouble scale;

  c.overlay = (GeglRectangle) { g_rand_int_range (rand, -9, 9), g_rand_int_range (rand, -9, 9),
                                w, h };
  c.width = placed_width (rand, w);
  scale = (gdouble) c.width / w;
  placed_height = MAX (1, (gint) round (h * scale));
  c.margin = g_rand_int_range (rand, 0, 12);
  /* Room for the placed overlay, so that the op's extent is all of it. */
  c.reference = (GeglRectangle) { g_rand_int_range (rand, -20, 20),
                                  g_rand_int_range (rand, -20, 20),
                                  c.width + 2 * (gint) c.margin + g_rand_int_range (rand, 0, 40),
                                  placed_height + 2 * (gint) c.margin +
                                    g_rand_int_range (rand, 0, 40) };
  c.position = g_rand_int_range (rand, 0, 9);
  return c;
}

/* 8-bit pixels with every alpha from transparent to opaque, as decoded
 * overlays are, so that the op and the sampler convert them. */
static GeglBuffer *
overlay_buffer (GRand *rand, const GeglRectangle *extent)
{
  GeglBuffer *buffer = gegl_buffer_new (extent, babl_format ("R'G'B'A u8"));
  gsize       n = (gsize) extent->width * extent->height * 4;
  guint8     *bytes = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  gegl_buffer_set (buffer, extent, 0, NULL, bytes, GEGL_AUTO_ROWSTRIDE);
  g_free (bytes);
  return buffer;
}

/* GEGL's sampler at the centre of each pixel of `rect` (the placed
 * overlay), as the op maps it to the overlay. */
static gfloat *
expected (GeglBuffer *overlay, const GeglRectangle *in, const GeglRectangle *rect,
          const Babl *format)
{
  gdouble            scale = (gdouble) rect->width / in->width;
  GeglSampler       *sampler = gegl_buffer_sampler_new (overlay, format, GEGL_SAMPLER_LINEAR);
  GeglSamplerGetFun  sample = gegl_sampler_get_fun (sampler);
  GeglBufferMatrix2  area = { { { 1.0 / scale, 0.0 }, { 0.0, 1.0 / scale } } };
  gfloat            *pixels = g_new (gfloat, (gsize) rect->width * rect->height * 4);
  gfloat            *pixel = pixels;

  for (gint y = rect->y; y < rect->y + rect->height; y++)
    for (gint x = rect->x; x < rect->x + rect->width; x++, pixel += 4)
      sample (sampler, in->x + (x + 0.5 - rect->x) / scale, in->y + (y + 0.5 - rect->y) / scale,
              scale < 1.0 ? &area : NULL, pixel, GEGL_ABYSS_CLAMP);
  g_object_unref (sampler);
  return pixels;
}

/* The op's output over `rect`, rendered whole or in regions of
 * `region` x `region` pixels. */
static gfloat *
rendered (GeglNode *place, const GeglRectangle *rect, const Babl *format, gint region)
{
  gsize   stride = (gsize) rect->width * 16;
  guint8 *pixels = g_malloc (stride * rect->height);

  for (gint y = 0; y < rect->height; y += region)
    for (gint x = 0; x < rect->width; x += region)
      {
        GeglRectangle part = { rect->x + x, rect->y + y, MIN (region, rect->width - x),
                               MIN (region, rect->height - y) };

        gegl_node_blit (place, 1.0, &part, format, pixels + y * stride + x * 16, stride,
                        GEGL_BLIT_DEFAULT);
      }
  return (gfloat *) pixels;
}

static gsize
count_mismatches (const gfloat *a, const gfloat *b, gsize floats)
{
  gsize bad = 0;

  for (gsize i = 0; i < floats; i++)
    bad += memcmp (&a[i], &b[i], sizeof (gfloat)) != 0;
  return bad;
}

/* One case: its mismatching floats (whole, then in regions), or -1 when
 * the op's extent is not the placed overlay the case meant. */
static gssize
compare_case (GRand *rand, const Case *c, gsize *pixels)
{
  const Babl   *format = babl_format ("RaGaBaA float");
  GeglBuffer   *overlay = overlay_buffer (rand, &c->overlay);
  GeglNode     *graph = gegl_node_new ();
  GeglNode     *source = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer",
                                              overlay, NULL);
  GeglNode     *reference = gegl_node_new_child (graph, "operation", "gegl:rectangle", "x",
                                                 (gdouble) c->reference.x, "y",
                                                 (gdouble) c->reference.y, "width",
                                                 (gdouble) c->reference.width, "height",
                                                 (gdouble) c->reference.height, NULL);
  GeglNode     *place = gegl_node_new_child (graph, "operation", "imgflo:place", NULL);
  GeglRectangle rect;
  gssize        bad = -1;

  gegl_node_set (place, "scale", (gdouble) c->width / c->reference.width, "margin", c->margin,
                 "position", c->position, NULL);
  gegl_node_link (source, place);
  gegl_node_connect_to (reference, "output", place, "aux");
  rect = gegl_node_get_bounding_box (place);
  if (rect.width == c->width)
    {
      gsize   floats = (gsize) rect.width * rect.height * 4;
      gfloat *want = expected (overlay, &c->overlay, &rect, format);
      gfloat *whole = rendered (place, &rect, format, G_MAXINT / 2);
      gfloat *parts = rendered (place, &rect, format, g_rand_int_range (rand, 1, 70));

      bad = count_mismatches (want, whole, floats) + count_mismatches (want, parts, floats);
      *pixels += 2 * (gsize) rect.width * rect.height;
      g_free (want);
      g_free (whole);
      g_free (parts);
    }
  g_object_unref (graph);
  g_object_unref (overlay);
  return bad;
}

int
main (int argc, char **argv)
{
  GRand *rand;
  gsize  pixels = 0, mismatches = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: place-compare OPS-DIRECTORY\n");
      return 2;
    }
  gegl_init (NULL, NULL);
  gegl_load_module_directory (argv[1]);
  rand = g_rand_new_with_seed (20261207);
  for (gint i = 0; i < CASES; i++)
    {
      Case   c = random_case (rand);
      gssize bad = compare_case (rand, &c, &pixels);

      if (bad < 0)
        {
          fprintf (stderr, "case %d: the op's extent is not the placed overlay\n", i);
          return 1;
        }
      mismatches += bad;
    }
  printf ("%d %zu %zu\n", CASES, pixels, mismatches);
  g_rand_free (rand);
  gegl_exit ();
  return mismatches == 0 ? 0 : 1;
}
