import type { Sharp } from "sharp";
import { errors } from "../../shared/errors.ts";
import { JPEG_BACKGROUND, type OutputFormat } from "../../shared/formats.ts";
import type { ImageOptions } from "../../shared/image-options.ts";
import type { Deadline } from "../admission/deadline.ts";

/** What the request says about encoding: `quality` (lossy formats), `background`, `metadata`. */
export type EncodeOptions = Pick<ImageOptions, "quality" | "background" | "metadata">;

/**
 * The quality of each lossy format when the request names none, from `npm run bench:quality`:
 * JPEG at the knee of its bytes/SSIM curve (85 → 90 costs twice the bytes per SSIM point of
 * 80 → 85); WebP and AVIF at the lowest quality matching JPEG's SSIM there, so that `.auto`
 * changes the bytes, not the looks. With the encoder settings below: JPEG 85 SSIM 0.970,
 * WebP 80 0.967 and AVIF 65 0.964, 25% and 33% smaller than the JPEG.
 */
export const DEFAULT_QUALITY = { jpeg: 85, webp: 80, avif: 65 } as const;

/**
 * From this many pixels up, JPEG is libjpeg-turbo's baseline with optimised Huffman tables (what
 * ipx sends): mozjpeg's progressive scans cost 2.7x its CPU on a 12 MP result (223 against 82 ms,
 * `bench:origin`'s large source) for 9% fewer bytes, a fifth of the request; below it they cost
 * less than the bytes they save.
 */
export const LARGE_JPEG_PIXELS = 2_000_000;

/** Encoder settings: sizes a CDN would choose, speeds an on-demand render can afford. */
function withEncoder(
  image: Sharp,
  format: OutputFormat,
  options: EncodeOptions,
  pixels: number,
): Sharp {
  switch (format) {
    case "png":
      // Deflate level 4 without adaptive filtering (bench/png-grid.ts): half the CPU of level 4
      // with it on W2's 1.44 MP output for 21% more bytes, still 8% fewer than ipx's level 6.
      return image.png({ compressionLevel: 4, adaptiveFiltering: false });
    case "jpeg": {
      const flat = image.flatten({ background: options.background ?? JPEG_BACKGROUND });
      const quality = options.quality ?? DEFAULT_QUALITY.jpeg;
      if (pixels >= LARGE_JPEG_PIXELS) return flat.jpeg({ quality, optimiseCoding: true });
      // mozjpeg's tables, progressive. Its scan search costs 40% more time for 2-10%; trellis
      // quantisation (bench:origin W4) 25% fewer thumbnails a second for 9% fewer bytes.
      return flat.jpeg({
        quality,
        progressive: true,
        mozjpeg: true,
        trellisQuantisation: false,
        optimiseScans: false,
      });
    }
    case "webp":
      // Effort 2 renders 27% more thumbnails a second than 4 (bench:origin W3) for 3% more bytes.
      return image.webp({ quality: options.quality ?? DEFAULT_QUALITY.webp, effort: 2 });
    case "avif":
      // Effort 4 (the default) is 7x slower than 2 for a few percent of size.
      return image.avif({ quality: options.quality ?? DEFAULT_QUALITY.avif, effort: 2 });
    case "gif":
      // Palette quantisation dominates; the lowest effort is twice as fast as the default.
      return image.gif({ effort: 1 });
  }
}

// WebP stores sizes in 14 bits; the other formats take anything the pixel limit allows.
const WEBP_MAX_DIMENSION = 16383;

/** sharp strips metadata unless told; kept EXIF gets orientation 1 and the pixels an sRGB profile. */
function withMetadata(image: Sharp, options: EncodeOptions): Sharp {
  return options.metadata === "keep" ? image.keepMetadata().withIccProfile("srgb") : image;
}

/** Encodes `image`, of `pixels` pixels (a frame's, for an animation), to `format`. */
export async function encode(
  image: Sharp,
  format: OutputFormat,
  options: EncodeOptions,
  deadline: Deadline,
  pixels: number,
): Promise<Buffer> {
  try {
    return await deadline.sharp(
      withEncoder(withMetadata(image, options), format, options, pixels),
      (encoder) => encoder.toBuffer(),
    );
  } catch (error) {
    if (format === "webp" && /too large for the WebP format/.test((error as Error).message)) {
      throw errors.outputTooLarge(
        `WebP images are at most ${WEBP_MAX_DIMENSION} pixels wide and high.`,
      );
    }
    throw error;
  }
}
