/* imgflo:point-chain (point-chain.h): the operation, its steps' formats and
 * fishes, and the runs of pixels it computes them over. */
#include "point-chain.h"
#include "describe.h"
#include "pixel-memo.h"
#include "../gegl-ops/lib/rendered-mark.h"

#include <gegl-plugin.h>
#include <string.h>
#include <time.h>

const gchar *const point_chain_pads[POINT_CHAIN_PADS] = { "input", "aux", "aux2" };

/* Pixels per run: every step's data for a run stays in the processor's cache. */
#define RUN_PIXELS 1024

/* A source with more distinct values than this is computed run by run. */
#define MEMO_MAX_VALUES (1u << 20)

/* Whether computing by value pays is measured, per process call, on its own
 * blocks: each block's new values are computed run by run, which is what
 * every pixel would cost without the memo, and the rest of the block's time
 * is the memo's own (its lookups and copies). From MEMO_JUDGED_FROM pixels
 * by value on, every MEMO_WINDOW, the memo goes on while a pixel by value has
 * cost less so far than one run by run (memo_pays: with a margin). Before
 * that, its values are mostly new and its table growing, in memory the
 * kernel faults in (on this VM, 11 us a page). The memo's lookups miss the
 * caches once its table is megabytes: 14-20 ns a pixel on a photo of 12 MP,
 * twice what a cheap chain takes (custom-grey: 8 ns a value), a few times
 * less than an expensive one (retro's curves: 40 ns, a gradient map: 90). A
 * source with three new values in four of its first MEMO_TRIAL pixels (noise:
 * a photo's first rows are new, but repeat soon) goes run by run as well. The
 * choice changes how long a render takes, never its bytes. */
#define MEMO_WINDOW      (1u << 16)
#define MEMO_TRIAL       (1u << 18)
#define MEMO_JUDGED_FROM (1u << 20)

typedef struct
{
  GeglOperationFilter parent_instance;
  PointChainStep     *steps;
  guint               n_steps;
  const Babl         *result_format; /* NULL: the last step's */
} PointChain;

typedef struct
{
  GeglOperationFilterClass parent_class;
} PointChainClass;

GType point_chain_get_type (void);
G_DEFINE_TYPE (PointChain, point_chain, GEGL_TYPE_OPERATION_FILTER)

#define POINT_CHAIN(obj) (G_TYPE_CHECK_INSTANCE_CAST ((obj), point_chain_get_type (), PointChain))

/* What one process call computes with: per step, the fish to each pad's
 * format (NULL: the producer's format is the pad's) and the runs' memory. */
typedef struct
{
  const PointChain *chain;
  const Babl       *source_format;
  gsize             source_bpp;
  gsize             result_bpp;
  const Babl       *result_fish; /* last step's format -> result format; NULL: the same */
  const Babl      **fish;        /* [step * POINT_CHAIN_PADS + pad] */
  guint8          **converted;   /* the same, a run of the pad's format */
  guint8          **out;         /* [step], a run of its output (NULL: it passes its input on) */
  const guint8    **data;        /* [step], where the current run's output is */
  gint              level;
} ChainRun;

/* The format of what `from` gives: a step that passes its input on gives its
 * input's. */
static const Babl *
produced_format (const ChainRun *run, gint from)
{
  while (from >= 0 && run->chain->steps[from].passes_on)
    from = run->chain->steps[from].from[0];
  return from == POINT_CHAIN_SOURCE
           ? run->source_format
           : gegl_operation_get_format (run->chain->steps[from].operation, "output");
}

static void
run_init (ChainRun *run, const PointChain *chain, const Babl *source_format,
          const Babl *result_format, gint level)
{
  guint       n = chain->n_steps;
  const Babl *last;

  *run = (ChainRun) { chain, source_format, babl_format_get_bytes_per_pixel (source_format),
                      babl_format_get_bytes_per_pixel (result_format), NULL,
                      g_new0 (const Babl *, n * POINT_CHAIN_PADS),
                      g_new0 (guint8 *, n * POINT_CHAIN_PADS), g_new0 (guint8 *, n),
                      g_new0 (const guint8 *, n), level };
  last = produced_format (run, (gint) n - 1);
  run->result_fish = last == result_format ? NULL : babl_fish (last, result_format);
  for (guint s = 0; s < n; s++)
    {
      GeglOperation *operation = chain->steps[s].operation;

      if (chain->steps[s].passes_on)
        continue;
      run->out[s] = g_malloc (RUN_PIXELS * babl_format_get_bytes_per_pixel (
                                              gegl_operation_get_format (operation, "output")));
      for (guint p = 0; p < POINT_CHAIN_PADS; p++)
        {
          gint        from = chain->steps[s].from[p];
          const Babl *pad, *produced;

          if (from == POINT_CHAIN_NONE)
            continue;
          pad = gegl_operation_get_format (operation, point_chain_pads[p]);
          produced = produced_format (run, from);
          if (pad == produced)
            continue;
          run->fish[s * POINT_CHAIN_PADS + p] = babl_fish (produced, pad);
          run->converted[s * POINT_CHAIN_PADS + p] =
            g_malloc (RUN_PIXELS * babl_format_get_bytes_per_pixel (pad));
        }
    }
}

static void
run_clear (ChainRun *run)
{
  for (guint i = 0; i < run->chain->n_steps * POINT_CHAIN_PADS; i++)
    g_free (run->converted[i]);
  for (guint s = 0; s < run->chain->n_steps; s++)
    g_free (run->out[s]);
  g_free (run->converted);
  g_free (run->fish);
  g_free (run->out);
  g_free (run->data);
}

/* The step's own process, as its base class's process would call it. */
static void
call_step (GeglOperation *operation, gpointer pads[POINT_CHAIN_PADS], gpointer out, glong n,
           const GeglRectangle *roi, gint level)
{
  if (GEGL_IS_OPERATION_POINT_COMPOSER3 (operation))
    GEGL_OPERATION_POINT_COMPOSER3_GET_CLASS (operation)->process (operation, pads[0], pads[1],
                                                                   pads[2], out, n, roi, level);
  else if (GEGL_IS_OPERATION_POINT_COMPOSER (operation))
    GEGL_OPERATION_POINT_COMPOSER_GET_CLASS (operation)->process (operation, pads[0], pads[1], out,
                                                                  n, roi, level);
  else
    GEGL_OPERATION_POINT_FILTER_GET_CLASS (operation)->process (operation, pads[0], out, n, roi,
                                                                level);
}

/* What feeds a step's pads in the current run, each converted to the pad's
 * format when the producer's is another. */
static void
step_inputs (ChainRun *run, guint s, const guint8 *src, glong n, gpointer pads[POINT_CHAIN_PADS])
{
  const PointChainStep *step = &run->chain->steps[s];

  for (guint p = 0; p < POINT_CHAIN_PADS; p++)
    {
      guint i = s * POINT_CHAIN_PADS + p;

      pads[p] = NULL;
      if (step->from[p] == POINT_CHAIN_NONE)
        continue;
      pads[p] = (gpointer) (step->from[p] == POINT_CHAIN_SOURCE ? src : run->data[step->from[p]]);
      if (run->fish[i])
        {
          babl_process (run->fish[i], pads[p], run->converted[i], n);
          pads[p] = run->converted[i];
        }
    }
}

/* n <= RUN_PIXELS source pixels through every step into n result pixels. */
static void
compute_run (ChainRun *run, const guint8 *src, guint8 *dst, glong n, const GeglRectangle *roi)
{
  guint last = run->chain->n_steps - 1;

  for (guint s = 0; s <= last; s++)
    {
      gpointer pads[POINT_CHAIN_PADS];
      gint     from = run->chain->steps[s].from[0];

      if (run->chain->steps[s].passes_on)
        {
          run->data[s] = from == POINT_CHAIN_SOURCE ? src : run->data[from];
          continue;
        }
      step_inputs (run, s, src, n, pads);
      run->data[s] = s == last && !run->result_fish ? dst : run->out[s];
      call_step (run->chain->steps[s].operation, pads, (gpointer) run->data[s], n, roi,
                 run->level);
    }
  if (run->result_fish)
    babl_process (run->result_fish, run->data[last], dst, n);
  else if (run->data[last] != dst)
    memcpy (dst, run->data[last], n * run->result_bpp);
}

static void
compute (ChainRun *run, const guint8 *src, guint8 *dst, glong n, const GeglRectangle *roi)
{
  for (glong done = 0; done < n; done += RUN_PIXELS)
    compute_run (run, src + done * run->source_bpp, dst + done * run->result_bpp,
                 MIN (RUN_PIXELS, n - done), roi);
}

/* The values a process call has computed, by the source value they are of. */
typedef struct
{
  PixelMemo memo;
  guint8   *values;      /* value id i's result at i * result_bpp */
  gsize     values_room; /* values' room, in pixels */
  guint8   *pending;     /* a block's new source values */
  guint32  *ids;         /* a block's pixels' value ids */
  gsize     block_room;  /* pending's and ids' room, in pixels */
} ChainMemo;

static void
memo_clear (ChainMemo *memo)
{
  pixel_memo_clear (&memo->memo);
  g_free (memo->values);
  g_free (memo->pending);
  g_free (memo->ids);
}

/* Room for a block of n pixels, and for the values of n more new ones. */
static void
memo_make_room (ChainMemo *memo, const ChainRun *run, gsize n)
{
  if (n > memo->block_room)
    {
      memo->block_room = n;
      memo->pending = g_realloc (memo->pending, n * run->source_bpp);
      memo->ids = g_realloc (memo->ids, n * sizeof (guint32));
    }
  if (memo->memo.count + n > memo->values_room)
    {
      memo->values_room = MAX (memo->values_room * 2, memo->memo.count + n);
      memo->values = g_realloc (memo->values, memo->values_room * run->result_bpp);
    }
}

/* How a process call computes its blocks, and what they cost each way. */
typedef struct
{
  gboolean by_value;      /* the source's pixels are keys, and going by them pays */
  gint64   computed_ns;   /* the blocks' new values, computed run by run */
  gint64   computed;      /* their number */
  gint64   memo_ns;       /* the rest of the blocks' time: the memo's own */
  gint64   seen;          /* the blocks' pixels */
  gint64   judged;        /* seen when it was last judged */
} ChainCosts;

/* Whether a pixel by value so far, the memo's own cost and its share of the
 * new values' computing, costs less than one and a quarter times computing a
 * pixel run by run (compared without dividing). The margin keeps the memo
 * where the two are near: giving it up wrongly costs an expensive chain a few
 * times over, keeping it wrongly a cheap one a quarter at most. */
static gboolean
memo_pays (const ChainCosts *costs)
{
  if (costs->computed == 0)
    return TRUE;
  return 4 * (costs->memo_ns + costs->computed_ns) * costs->computed <
         5 * costs->computed_ns * costs->seen;
}

/* Whether the next block goes by value: while the source has few enough
 * distinct values and the memo pays (once it does not, never again in the
 * call). */
static gboolean
next_by_value (const ChainMemo *memo, ChainCosts *costs)
{
  gboolean pays = TRUE;

  if (!costs->by_value)
    return FALSE;
  if (costs->seen >= MEMO_JUDGED_FROM && costs->seen >= costs->judged + MEMO_WINDOW)
    {
      pays = memo_pays (costs);
      costs->judged = costs->seen;
    }
  if (memo->memo.count > MEMO_MAX_VALUES || !pays ||
      (costs->seen >= MEMO_TRIAL && (gint64) memo->memo.count * 4 > costs->seen * 3))
    costs->by_value = FALSE;
  return costs->by_value;
}

static gint64
now_ns (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (gint64) t.tv_sec * G_GINT64_CONSTANT (1000000000) + t.tv_nsec;
}

/* Each pixel's value from values by its id. */
static inline void
copy_by_id (guint8 *dst, const guint8 *values, const guint32 *ids, glong n, gsize bpp)
{
  for (glong i = 0; i < n; i++)
    memcpy (dst + i * bpp, values + ids[i] * bpp, bpp);
}

/* How far ahead of its lookup a pixel's slot is fetched: a lookup is a
 * miss in a table larger than the caches (a photo's colours). */
#define LOOKUPS_AHEAD 16

/* A block of n pixels: each new source value computed once, then every
 * pixel given its value's result; its costs counted. */
static void
compute_by_value (ChainRun *run, ChainMemo *memo, const guint8 *src, guint8 *dst, glong n,
                  const GeglRectangle *roi, ChainCosts *costs)
{
  gint64   start = now_ns (), computing, computed_ns;
  gsize    bpp = run->source_bpp, rbpp = run->result_bpp;
  guint32  first_new = memo->memo.count, id = 0;
  guint64  previous = 0;
  glong    pending = 0;

  memo_make_room (memo, run, (gsize) n);
  for (glong i = 0; i < n; i++)
    {
      guint64  key = pixel_memo_key (src + i * bpp, bpp);
      gboolean added;

      if (i + LOOKUPS_AHEAD < n)
        pixel_memo_prefetch (&memo->memo, pixel_memo_key (src + (i + LOOKUPS_AHEAD) * bpp, bpp));

      if (i == 0 || key != previous)
        {
          id = pixel_memo_id (&memo->memo, key, &added);
          if (added)
            memcpy (memo->pending + pending++ * bpp, src + i * bpp, bpp);
          previous = key;
        }
      memo->ids[i] = id;
    }
  computing = now_ns ();
  compute (run, memo->pending, memo->values + first_new * rbpp, pending, roi);
  computed_ns = now_ns () - computing;
  costs->computed_ns += computed_ns;
  costs->computed += pending;
  switch (rbpp) /* a copy of a known size, not a call to memcpy, for the usual formats */
    {
    case 4:
      copy_by_id (dst, memo->values, memo->ids, n, 4);
      break;
    case 16:
      copy_by_id (dst, memo->values, memo->ids, n, 16);
      break;
    default:
      copy_by_id (dst, memo->values, memo->ids, n, rbpp);
    }
  costs->memo_ns += now_ns () - start - computed_ns;
  costs->seen += n;
}

static gboolean
process (GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
         const GeglRectangle *roi, gint level)
{
  PointChain         *self = POINT_CHAIN (operation);
  const Babl         *result_format = gegl_operation_get_format (operation, "output");
  ChainRun            run;
  ChainMemo           memo = { 0 };
  ChainCosts          costs = { 0 };
  GeglBufferIterator *it;

  if (!input)
    return TRUE;
  run_init (&run, self, gegl_buffer_get_format (input), result_format, level);
  costs.by_value = run.source_bpp <= sizeof (guint64);
  if (costs.by_value)
    pixel_memo_init (&memo.memo);
  it = gegl_buffer_iterator_new (output, roi, level, result_format, GEGL_ACCESS_WRITE,
                                 GEGL_ABYSS_NONE, 2);
  gegl_buffer_iterator_add (it, input, roi, level, run.source_format, GEGL_ACCESS_READ,
                            GEGL_ABYSS_NONE);
  while (gegl_buffer_iterator_next (it))
    {
      if (next_by_value (&memo, &costs))
        compute_by_value (&run, &memo, it->items[1].data, it->items[0].data, it->length,
                          &it->items[0].roi, &costs);
      else
        compute (&run, it->items[1].data, it->items[0].data, it->length, &it->items[0].roi);
    }
  memo_clear (&memo);
  run_clear (&run);
  rendered_mark (operation);
  return TRUE;
}

/* Prepares every step (their producers are prepared before them: the source
 * before the chain, each step before those it feeds). */
static void
prepare (GeglOperation *operation)
{
  PointChain *self = POINT_CHAIN (operation);
  GeglOperation *last = self->steps[self->n_steps - 1].operation;

  for (guint s = 0; s < self->n_steps; s++)
    gegl_operation_prepare (self->steps[s].operation);
  gegl_operation_set_format (operation, "output",
                             self->result_format ? self->result_format
                                                 : gegl_operation_get_format (last, "output"));
}

static void
finalize (GObject *object)
{
  g_free (POINT_CHAIN (object)->steps);
  G_OBJECT_CLASS (point_chain_parent_class)->finalize (object);
}

static void
point_chain_class_init (PointChainClass *klass)
{
  GeglOperationClass *operation_class = GEGL_OPERATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = finalize;
  operation_class->prepare = prepare;
  GEGL_OPERATION_FILTER_CLASS (klass)->process = process;
  gegl_operation_class_set_keys (operation_class, "name", "imgflo:point-chain", "categories",
                                 "hidden:" DESCRIBE_WORKER_OWN_CATEGORY, "title", "Point chain", "description",
                                 "The worker's own: a chain of the graph's point operations, "
                                 "computed without buffers between them.",
                                 NULL);
}

static void
point_chain_init (PointChain *self)
{
  (void) self;
}

GeglNode *
point_chain_new (GeglNode *graph, const PointChainStep *steps, guint n_steps)
{
  PointChain *chain = g_object_new (point_chain_get_type (), NULL);
  GeglNode   *node;

  chain->steps = g_memdup2 (steps, n_steps * sizeof *steps);
  chain->n_steps = n_steps;
  node = gegl_node_new_child (graph, "gegl-operation", chain, NULL);
  g_object_unref (chain);
  return node;
}

void
point_chain_set_result_format (GeglNode *chain, const Babl *format)
{
  POINT_CHAIN (gegl_node_get_gegl_operation (chain))->result_format = format;
}
