/* babl conversions of the worker's own: the ones through sRGB's curve in
 * float that babl computes one value per function call, here with the same
 * bits for many values at once (srgb-trc.c); and chains of babl's own
 * conversions done in one pass, with the same bits (sse2-float-curve.c),
 * which babl runs step by step over buffers of their own. Registered with
 * babl at start-up (babl-setup.h), they are what babl's path search then
 * picks wherever GEGL converts between these formats, in any operation of
 * any graph. */
#ifndef IMGFLO_FAST_CONVERSIONS_H
#define IMGFLO_FAST_CONVERSIONS_H

#include <json-glib/json-glib.h>

/* FALSE when IMGFLO_WORKER_FAST_CONVERSIONS=0. */
gboolean fast_conversions_enabled (void);

/* Registers the conversions: called by the worker's babl extension
 * (babl-extension/fast-conversions-extension.c) as babl loads it. */
void fast_conversions_register (void);

/* Whether one of them converts from `source` to `destination`. */
gboolean fast_conversions_does (const gchar *source, const gchar *destination);

/* The chain of babl's conversions that the fast conversion from `source` to
 * `destination` does in one, as babl's fish cache names each step
 * ("<extension file> <index>: <source> to <destination>"),
 * NULL-terminated; NULL when there is no
 * such conversion or it does one of babl's (then it is a step of chains). */
const gchar *const *fast_conversions_chain (const gchar *source, const gchar *destination);

/* Converts n pixels as the registered conversion from `source` to
 * `destination` does (without counting them); FALSE when there is none.
 * For tests/fast-conversions-compare.c, which compares them with babl's. */
gboolean fast_conversions_convert (const gchar *source,
                                   const gchar *destination,
                                   gconstpointer src,
                                   gpointer      dst,
                                   glong         n);

/* Starts counting the pixels each conversion converts from zero. */
void fast_conversions_reset    (void);

/* Adds "conversions": {"<source> to <destination>": pixels, …} for the
 * conversions that ran since the last reset, if any did. */
void fast_conversions_describe (JsonBuilder *b);

#endif
