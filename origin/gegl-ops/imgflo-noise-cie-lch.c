/* imgflo:noise-cie-lch
 *
 * gegl:noise-cie-lch (GEGL 0.4.42) with the same pads, properties, formats
 * and bytes: the origin's compile swaps it in for GEGL's
 * (origin/compile/operation-swaps.ts). Each pixel's lightness, chroma and
 * hue move by GEGL's random numbers, the least of `holdness` draws, up or
 * down by another, in GEGL's float and double arithmetic and order.
 *
 * The random numbers are GEGL's own (gegl_random_float: three entries of
 * GEGL's table, picked by the pixel's place and the draw's number modulo
 * three primes the seed chooses), computed here inline: GEGL's are a call
 * each with three 64-bit divisions, 15 a pixel with the catalogue's
 * settings, most of the operation's time. The table is GEGL's
 * (gegl_random_get_data) and the primes are chosen as gegl_random_set_seed
 * chooses them from gegl_random_primes.
 */

#ifdef GEGL_PROPERTIES

property_int    (holdness, "Dulling", 2)
   value_range  (1, 8)
   description  ("A high value lowers the randomness of the noise")

property_double (lightness_distance, "Lightness", 40.0)
   value_range  (0.0, 100.0)

property_double (chroma_distance, "Chroma", 40.0)
   value_range  (0.0, 100.0)

property_double (hue_distance, "Hue", 3.0)
   value_range  (0.0, 180.0)

property_seed   (seed, "Random seed", rand)

#else

#define GEGL_OP_POINT_FILTER
#define GEGL_OP_NAME     imgflo_noise_cie_lch
#define GEGL_OP_C_SOURCE imgflo-noise-cie-lch.c

#include "gegl-op.h"
#include "lib/rendered-mark.h"

/* libgegl's, exported though not in its headers: the table its random
 * numbers come from, and the primes a seed picks three of. */
guint32 *gegl_random_get_data (void);
extern guint16 gegl_random_primes[533];

/* The multipliers that make a draw's index from its place and number. */
#define X_PRIME 103423ull
#define Y_PRIME 101359ull
#define N_PRIME 101111ull

/* Most draws a pixel has: 3 holdness + 4 at the largest holdness. */
#define MAX_DRAWS (3 * 8 + 4)

/* GEGL's factor from 16 random bits to a float in [0, 1]. */
#define RANDOM_FLOAT_SCALE 0.00001525902189669642175

typedef struct
{
  const guint32 *data;
  guint64        prime[3];
  guint64        offset[3];     /* where each prime's part of the table starts */
  /* A step's residues modulo each prime: [0] as it is, [1] less 2^64 (when
   * GEGL's index wraps in the step). */
  guint32        next_draw[2][3];  /* N Y X, a draw's step */
  guint32        next_pixel[2][3]; /* X, a pixel's step */
  /* [i][k]: k draws' steps modulo prime i (k up to a pixel's most). */
  guint32        draws_ahead[3][MAX_DRAWS + 1];
} Random;

#define DRAW_STEP ((guint64) N_PRIME * Y_PRIME * X_PRIME)

/* The three primes of `seed`, as gegl_random_set_seed picks them: three
 * digits of the seed in base 533, shifted, and made distinct. */
static Random
random_for_seed (guint32 seed)
{
  const guint n = G_N_ELEMENTS (gegl_random_primes);
  guint       id0 = (seed % n + 42) % n;
  guint       id1 = ((seed / n) % n + 212) % n;
  guint       id2 = ((seed / (n * n)) % n + 17) % n;
  Random      r = { .data = gegl_random_get_data () };

  while (id0 == id1 || id0 == id2)
    id0 = (id0 + 1) % n;
  while (id1 == id0 || id1 == id2)
    id1 = (id1 + 1) % n;
  r.prime[0] = gegl_random_primes[id0];
  r.prime[1] = gegl_random_primes[id1];
  r.prime[2] = gegl_random_primes[id2];
  r.offset[1] = r.prime[0];
  r.offset[2] = r.prime[0] + r.prime[1];
  for (gint i = 0; i < 3; i++)
    {
      guint64 p = r.prime[i], wrap = (G_MAXUINT64 % p + 1) % p; /* 2^64 modulo p */

      r.next_draw[0][i] = DRAW_STEP % p;
      r.next_draw[1][i] = (DRAW_STEP % p + p - wrap) % p;
      r.next_pixel[0][i] = X_PRIME % p;
      r.next_pixel[1][i] = (X_PRIME % p + p - wrap) % p;
      for (gint k = 0; k <= MAX_DRAWS; k++)
        r.draws_ahead[i][k] = (guint32) ((guint64) k * r.next_draw[0][i] % p);
    }
  return r;
}

/* The draws of a run of pixels, in order: gegl_random_float (rand, x, y,
 * 0, n) for n = n0, n0 + 1, ... and then the next pixel's. A draw's index
 * is x X + y Y X + n N Y X in GEGL's wrapping 64-bit arithmetic, and its
 * three residues modulo the primes pick the table's entries. The index of
 * the next draw is the last one's plus N Y X, and of the next pixel's
 * first the last one's plus X, so the residues follow by an addition each
 * (of the step's residue, less 2^64's when the index wraps: one addition
 * either way), not by three divisions. */
typedef struct
{
  const Random *r;
  guint64       index;
  guint32       residue[3];
} Draws;

static void
draws_at (Draws *d, const Random *r, gint x, gint y, gint n)
{
  d->r = r;
  d->index = (guint64) (gint64) x * X_PRIME + (guint64) (gint64) y * Y_PRIME * X_PRIME +
             (guint64) (gint64) n * DRAW_STEP;
  for (gint i = 0; i < 3; i++)
    d->residue[i] = d->index % r->prime[i];
}

/* (a + b) modulo p, for a and b below p. */
static inline guint32
add_modulo (guint32 a, guint32 b, guint32 p)
{
  guint32 sum = a + b;

  return sum >= p ? sum - p : sum;
}

/* The index `step` further on (`step_residues`: step modulo each prime, as
 * it is and less 2^64). */
static inline void
draws_skip (Draws *d, guint64 step, const guint32 step_residues[2][3])
{
  guint64  next = d->index + step;
  gboolean wrapped = next < d->index;

  for (gint i = 0; i < 3; i++)
    d->residue[i] = add_modulo (d->residue[i], step_residues[wrapped][i],
                                (guint32) d->r->prime[i]);
  d->index = next;
}

/* GEGL's float of the draw whose residues are a, b and c: the three
 * entries of its table they pick. */
static inline gfloat
draw_float (const Random *r, guint32 a, guint32 b, guint32 c)
{
  const guint32 *data = r->data;

  return ((data[a] ^ data[r->offset[1] + b] ^ data[r->offset[2] + c]) & 0xffff) *
         RANDOM_FLOAT_SCALE;
}

/* The next `count` draws, as GEGL's floats: each draw's residues from the
 * first's by one addition of draws_ahead, independent of the draw before
 * (this is the operation's inner loop); one after the other, a step at a
 * time, when the index wraps among them. */
static void
draws_next (Draws *d, gfloat *drawn, gint count)
{
  const Random  *r = d->r;
  const guint32  p0 = r->prime[0], p1 = r->prime[1], p2 = r->prime[2];
  const guint32  r0 = d->residue[0], r1 = d->residue[1], r2 = d->residue[2];

  if (d->index > G_MAXUINT64 - (guint64) count * DRAW_STEP)
    {
      for (gint k = 0; k < count; k++)
        {
          drawn[k] = draw_float (r, d->residue[0], d->residue[1], d->residue[2]);
          draws_skip (d, DRAW_STEP, r->next_draw);
        }
      return;
    }
  for (gint k = 0; k < count; k++)
    drawn[k] = draw_float (r, add_modulo (r0, r->draws_ahead[0][k], p0),
                           add_modulo (r1, r->draws_ahead[1][k], p1),
                           add_modulo (r2, r->draws_ahead[2][k], p2));
  d->residue[0] = add_modulo (r0, r->draws_ahead[0][count], p0);
  d->residue[1] = add_modulo (r1, r->draws_ahead[1][count], p1);
  d->residue[2] = add_modulo (r2, r->draws_ahead[2][count], p2);
  d->index += (guint64) count * DRAW_STEP;
}

/* A channel's value moved at random within [min, max] (around, if it
 * wraps) by draws[0 .. holdness]: the least of the first `holdness` and a
 * sign. */
static inline gfloat
randomize (gfloat now, gfloat min, gfloat max, gboolean wraps, gfloat reach, gint holdness,
           const gfloat *draws)
{
  gfloat steps = max - min + 0.5;
  gfloat least = draws[0];
  gint   sign;
  gfloat moved;

  for (gint i = 1; i < holdness; i++)
    least = MIN (least, draws[i]);
  sign = draws[holdness] < 0.5 ? -1 : 1;
  /* GEGL's fmod (reach * least, steps) is reach * least itself: a draw is
   * at most 1 and reach at most its property's maximum, 100 or 180, less
   * than steps (100.5, 359.5); fmod was GCC's loop of x87 remainders. */
  moved = now + sign * (gdouble) (reach * least);
  if (moved < min)
    moved = wraps ? moved + steps : min;
  if (max < moved)
    moved = wraps ? moved - steps : max;
  return moved;
}

static void
prepare (GeglOperation *operation)
{
  const Babl *format = babl_format_with_space ("CIE LCH(ab) alpha float",
                                               gegl_operation_get_source_space (operation, "input"));

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "output", format);
}

/* A pixel's lightness, chroma and hue moved by its draws: hue from draw 0,
 * a grey's new hue from draw h + 1, chroma from h + 2, lightness from
 * 2 h + 3 (h: holdness), as GEGL numbers them. */
static void
noise_pixel (const GeglProperties *o, const gfloat *in, gfloat *out, const gfloat *draws)
{
  gint   h = o->holdness;
  gfloat lightness = in[0], chroma = in[1], hue = in[2];

  if (o->hue_distance > 0 && chroma > 0)
    hue = randomize (hue, 0.0, 359.0, TRUE, o->hue_distance, h, draws);
  if (o->chroma_distance > 0)
    {
      if (chroma == 0)
        hue = draws[h + 1] * (360.0f - 0.0f) + 0.0f;
      chroma = randomize (chroma, 0.0, 100.0, FALSE, o->chroma_distance, h, draws + h + 2);
    }
  if (o->lightness_distance > 0)
    lightness = randomize (lightness, 0.0, 100.0, FALSE, o->lightness_distance, h,
                           draws + 2 * h + 3);
  out[0] = lightness;
  out[1] = chroma;
  out[2] = hue;
  out[3] = in[3];
}

/* The first draw's number of pixel (x, y), as GEGL's int arithmetic makes
 * it (wrapping past 2^31); `*linear` is FALSE when it would wrap along the
 * row, whose draws then start afresh at each pixel. */
static gint
first_draw (gint per_pixel, gint width, gint x, gint y, gint row_end, gboolean *linear)
{
  gint64 first = (gint64) per_pixel * ((gint64) x + (gint64) width * y);
  gint64 last = (gint64) per_pixel * ((gint64) row_end + (gint64) width * y);

  *linear = first >= G_MININT32 && last <= G_MAXINT32;
  return (gint) (guint32) first;
}

static gboolean
process (GeglOperation *operation, void *in_buf, void *out_buf, glong n_pixels,
         const GeglRectangle *roi, gint level)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const gfloat   *in = in_buf;
  gfloat         *out = out_buf;
  const Random    r = random_for_seed (o->seed);
  gint            width = gegl_operation_source_get_bounding_box (operation, "input")->width;
  gint            per_pixel = 3 * o->holdness + 4;
  gint            x = roi->x, y = roi->y;
  gboolean        linear = FALSE;
  Draws           d = { 0 };

  (void) level;
  for (glong i = 0; i < n_pixels; i++, in += 4, out += 4)
    {
      gfloat draws[MAX_DRAWS];

      if (x == roi->x || !linear)
        draws_at (&d, &r, x, y,
                  first_draw (per_pixel, width, x, y, roi->x + roi->width - 1, &linear));
      else
        draws_skip (&d, X_PRIME, r.next_pixel);
      draws_next (&d, draws, per_pixel);
      noise_pixel (o, in, out, draws);
      if (++x >= roi->x + roi->width)
        {
          x = roi->x;
          y++;
        }
    }
  rendered_mark (operation);
  return TRUE;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass            *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationPointFilterClass *point_filter_class = GEGL_OPERATION_POINT_FILTER_CLASS (klass);

  operation_class->prepare = prepare;
  point_filter_class->process = process;

  gegl_operation_class_set_keys (operation_class,
    "name",               "imgflo:noise-cie-lch",
    "title",              "Add CIE Lch Noise",
    "categories",         "noise",
    "position-dependent", "true",
    "description",        "Randomize lightness, chroma and hue independently",
    NULL);
}

#endif
