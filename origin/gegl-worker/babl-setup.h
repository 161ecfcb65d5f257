/* babl's set-up, done before gegl_init starts babl: the fish cache of the
 * workers' own, and the extension that brings the fast conversions. */
#ifndef IMGFLO_BABL_SETUP_H
#define IMGFLO_BABL_SETUP_H

void babl_setup (void);

#endif
