import sharp, { type ResizeOptions, type Sharp } from "sharp";
import { errors, isImgfloError } from "../../shared/errors.ts";
import { type InputFormat, isAnimatedFormat } from "../../shared/formats.ts";
import type { Deadline } from "../admission/deadline.ts";
import type { Rectangle } from "../compile/region-rules.ts";
import type { WorkerImage } from "../worker/render-job.ts";
import { isSrgbProfile } from "./icc-profile.ts";
import { checkDecodedSize, type Size } from "./resize.ts";

/** A fetched input whose header has been read. */
export interface SourceImage {
  bytes: Buffer;
  format: InputFormat;
  /** Upright size (EXIF orientation applied) of the first frame; nominal size for SVG. */
  size: Size;
  frames: number;
  /** Several frames in a format that animates them. */
  animated: boolean;
  hasAlpha: boolean;
  /** The embedded colour profile is sRGB: converting from it to sRGB would change nothing. */
  srgbProfile: boolean;
}

// libvips' words for a failing system call (a full file system), as opposed to bad image data.
const SYSTEM_ERROR = /system error/;

const SVG_BASE_DENSITY = 72;
const MAX_SVG_DENSITY = 100_000;

/** Sizes are checked before decoding, so what the decoder rejects is data it cannot read: 415. */
export function decodeFailure(format: InputFormat, error: unknown): Error {
  return isImgfloError(error)
    ? error
    : errors.unsupportedInput(`the ${format} data could not be decoded`);
}

/** Reads only the header: upright size and frame count. */
export async function inspect(bytes: Buffer, format: InputFormat): Promise<SourceImage> {
  try {
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    const size = { width: metadata.autoOrient.width, height: metadata.autoOrient.height };
    const srgbProfile = metadata.icc !== undefined && isSrgbProfile(metadata.icc);
    const frames = metadata.pages ?? 1;
    const animated = frames > 1 && isAnimatedFormat(format);
    return { bytes, format, size, frames, animated, hasAlpha: metadata.hasAlpha, srgbProfile };
  } catch (error) {
    throw decodeFailure(format, error);
  }
}

/** SVG is rasterised at the density that gives the target size directly, not scaled afterwards. */
function svgDensity(nominal: Size, target: Size): number {
  const scale = Math.max(target.width / nominal.width, target.height / nominal.height);
  return Math.min(MAX_SVG_DENSITY, Math.max(1, SVG_BASE_DENSITY * scale));
}

export interface OpenOptions {
  maxPixels: number;
  /** Decode every frame (animated GIF/WebP in, animated out); otherwise the first frame only. */
  animated: boolean;
  /** How the input reaches the target size (fit, crop position, padding); stretched by default. */
  resize?: ResizeOptions;
  /**
   * `area` (default): libvips' filtered resize. `point`: stretches by bilinear interpolation at
   * each target pixel's centre, no antialiasing, as the classic server's GEGL scaled; a `cover`
   * crop (which the classic did not have) keeps the filtered resize.
   */
  sampling?: "area" | "point";
  /** Only this rectangle of the image at `size` (a graph that reads no more: input-region.ts). */
  region?: Rectangle | null;
}

/** Bilinear at each target pixel's centre: libvips' affine maps pixel corners, hence the offset. */
function pointSampled(image: Sharp, from: Size, to: Size): Sharp {
  const [sx, sy] = [to.width / from.width, to.height / from.height];
  return image.affine([sx, 0, 0, sy], {
    interpolator: sharp.interpolators.bilinear,
    odx: sx / 2 - 0.5,
    ody: sy / 2 - 0.5,
  });
}

function resized(image: Sharp, source: SourceImage, size: Size, options: OpenOptions): Sharp {
  const svg = source.format === "svg";
  if (!svg && size.width === source.size.width && size.height === source.size.height) return image;
  const resize = options.resize ?? { fit: "fill" };
  if (!svg && options.sampling === "point" && resize.fit === "fill") {
    return pointSampled(image, source.size, size);
  }
  return image.resize(size.width, size.height, resize);
}

/**
 * The decode step as a sharp pipeline: upright, sRGB, 8 bits, at the target size. libvips
 * shrinks on load (JPEG DCT scaling, WebP) when the target is smaller, so a large input is
 * never fully decoded for a thumbnail (point sampling reads every pixel: it decodes fully).
 */
export function openImage(source: SourceImage, size: Size, options: OpenOptions): Sharp {
  const svg = source.format === "svg";
  const frames = options.animated ? source.frames : 1;
  const decoded = svg ? size : { width: source.size.width, height: source.size.height * frames };
  checkDecodedSize(decoded, options.maxPixels);
  const image = sharp(source.bytes, {
    autoOrient: true,
    failOn: "error",
    ignoreIcc: source.srgbProfile,
    animated: options.animated,
    // An SVG's raster size is set by the density below, from the size checked above.
    limitInputPixels: svg ? false : options.maxPixels,
    ...(svg ? { density: svgDensity(source.size, size) } : {}),
  });
  const sized = resized(image, source, size, options);
  const region = options.region;
  const cut = region
    ? sized.extract({ left: region.x, top: region.y, width: region.width, height: region.height })
    : sized;
  return cut.toColourspace("srgb");
}

/**
 * Decodes to the worker's RGBA: into `file` when given (a pixel file; in memory instead if it
 * cannot be written), otherwise into memory.
 */
export async function decodeToRgba(
  source: SourceImage,
  size: Size,
  options: Omit<OpenOptions, "animated">,
  deadline: Deadline,
  file?: string,
): Promise<WorkerImage> {
  const image = () => openImage(source, size, { ...options, animated: false }).ensureAlpha();
  try {
    if (file !== undefined) {
      try {
        // toColourspace("srgb") has made it 8 bits a band, as the .v file must be.
        const info = await deadline.sharp(image(), (decoded) => decoded.toFile(file));
        return { file, width: info.width, height: info.height };
      } catch (error) {
        if (!SYSTEM_ERROR.test((error as Error).message)) throw error;
      }
    }
    const { data, info } = await deadline.sharp(image().raw({ depth: "uchar" }), (decoded) =>
      decoded.toBuffer({ resolveWithObject: true }),
    );
    return { pixels: data, width: info.width, height: info.height };
  } catch (error) {
    throw decodeFailure(source.format, error);
  }
}
