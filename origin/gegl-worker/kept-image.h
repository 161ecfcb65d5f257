/* The float image of a whole-image blur (the direct blur's, imgflo:whole-
 * image-blur's), kept from one render to the next, whatever its size, until
 * the worker idles (main.c): filling fresh memory made the kernel zero its
 * pages first, a fifth of a 12 MP direct blur's CPU (a 192 MB image), and
 * renders that follow one another ask for the same image. One image is
 * kept; a second one asked for while it is taken is the caller's own. */
#ifndef IMGFLO_KEPT_IMAGE_H
#define IMGFLO_KEPT_IMAGE_H

#include <glib.h>

/* `bytes` of memory for a float image; NULL when out of memory. */
gfloat *kept_image_take (gsize bytes);
/* Ends the use of an image from kept_image_take (NULL is ignored). */
void    kept_image_give_back (gfloat *image);
/* Frees the kept image's memory, if it is not taken. */
void    kept_image_release (void);

#endif
