import sharp from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import type { ImageInfo } from "../shared/info-request.ts";
import { detectFormat } from "./input/detect-format.ts";
import { decodeFailure, inspect } from "./steps/decode.ts";
import { profileDescription } from "./steps/icc-profile.ts";
import { checkDecodedSize } from "./steps/resize.ts";

// ThumbHash encodes at most 100×100; more costs time and changes nothing.
const THUMBHASH_SIZE = 100;

function hexColour({ r, g, b }: { r: number; g: number; b: number }): string {
  return `#${[r, g, b].map((value) => Math.round(value).toString(16).padStart(2, "0")).join("")}`;
}

/** `/info`: what an input is, from its header, one small decode (ThumbHash) and its statistics. */
export async function describeImage(bytes: Buffer, maxPixels: number): Promise<ImageInfo> {
  const format = detectFormat(bytes);
  const source = await inspect(bytes, format);
  if (format !== "svg") checkDecodedSize(source.size, maxPixels);
  try {
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    // One small upright sRGB copy gives both the placeholder and the dominant colour.
    const { data, info } = await sharp(bytes, { autoOrient: true, limitInputPixels: maxPixels })
      .resize(THUMBHASH_SIZE, THUMBHASH_SIZE, { fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb")
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { dominant } = await sharp(data, {
      raw: { width: info.width, height: info.height, channels: 4 },
    }).stats();
    return {
      format,
      width: source.size.width,
      height: source.size.height,
      orientation: metadata.orientation ?? 1,
      hasAlpha: source.hasAlpha,
      animated: source.animated,
      frames: source.frames,
      colourSpace: metadata.space ?? "unknown",
      iccDescription: metadata.icc ? profileDescription(metadata.icc) || null : null,
      fileSize: bytes.length,
      dominantColour: hexColour(dominant),
      thumbHash: Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString("base64"),
    };
  } catch (error) {
    throw decodeFailure(format, error);
  }
}
