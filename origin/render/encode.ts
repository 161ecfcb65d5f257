import sharp, { type Sharp } from "sharp";
import { errors } from "../../shared/errors.ts";
import type { OutputFormat } from "../../shared/formats.ts";
import type { Deadline } from "./deadline.ts";
import type { RgbaImage } from "./decode.ts";

// JPEG has no alpha: transparent areas become white, as browsers show them on a page.
const JPEG_BACKGROUND = "#ffffff";

/** Encoder settings: sizes a CDN would choose, speeds an on-demand render can afford. */
function withEncoder(image: Sharp, format: OutputFormat): Sharp {
  switch (format) {
    case "png":
      // Adaptive filtering makes files a third smaller; deflate level 4 is within 7% of 6, 40% faster.
      return image.png({ compressionLevel: 4, adaptiveFiltering: true });
    case "jpeg":
      // mozjpeg's tables and trellis quantisation; its scan search costs 40% more time for 2-10%.
      return image
        .flatten({ background: JPEG_BACKGROUND })
        .jpeg({ quality: 85, progressive: true, mozjpeg: true, optimiseScans: false });
    case "webp":
      return image.webp({ quality: 80, effort: 4 });
    case "avif":
      // Effort 4 (the default) is 7x slower than 2 for a few percent of size.
      return image.avif({ quality: 50, effort: 2 });
    case "gif":
      // Palette quantisation dominates; the lowest effort is twice as fast as the default.
      return image.gif({ effort: 1 });
  }
}

// WebP stores sizes in 14 bits; the other formats take anything the pixel limit allows.
const WEBP_MAX_DIMENSION = 16383;

export async function encode(
  image: Sharp,
  format: OutputFormat,
  deadline: Deadline,
): Promise<Buffer> {
  try {
    return await deadline.sharp(withEncoder(image, format), (encoder) => encoder.toBuffer());
  } catch (error) {
    if (format === "webp" && /too large for the WebP format/.test((error as Error).message)) {
      throw errors.outputTooLarge(
        `WebP images are at most ${WEBP_MAX_DIMENSION} pixels wide and high.`,
      );
    }
    throw error;
  }
}

function isOpaque(pixels: Buffer): boolean {
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 255) return false;
  return true;
}

/** A rendered image as a sharp input; fully opaque images lose the alpha channel (smaller files). */
export function fromRgba(image: RgbaImage): Sharp {
  const input = sharp(image.pixels, {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
  return isOpaque(image.pixels) ? input.removeAlpha() : input;
}
