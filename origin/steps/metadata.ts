import sharp, { type Sharp } from "sharp";
import type { SourceImage } from "./decode.ts";

/**
 * `metadata=keep` on graphs that run GEGL: their pixels come back raw, without the input's EXIF
 * and XMP, and sharp writes only what its pipeline's input carries. So the result is laid over
 * the input itself, decoded upright at the result's size, whose metadata the encoder then keeps.
 */
export async function withInputMetadata(
  result: Sharp,
  source: SourceImage,
  maxPixels: number,
): Promise<Sharp> {
  const { data, info } = await result.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: 4 as const };
  return sharp(source.bytes, { autoOrient: true, failOn: "error", limitInputPixels: maxPixels })
    .resize(info.width, info.height, { fit: "fill" })
    .toColourspace("srgb")
    .composite([{ input: data, raw, blend: "source" }]);
}
