import sharp, { type ResizeOptions } from "sharp";
import { isOpaqueColor } from "../../shared/color.ts";
import { errors } from "../../shared/errors.ts";
import { JPEG_BACKGROUND, type OutputFormat } from "../../shared/formats.ts";
import type { ImageOptions } from "../../shared/image-options.ts";

export interface Size {
  width: number;
  height: number;
}

export const GENERATOR_DEFAULT_SIZE = 512;

/**
 * The size an input is resized to before the graph runs: `width` and/or `height` keep the
 * aspect ratio (with both, the image fits inside the box); neither keeps the source size.
 */
export function targetSize(source: Size, width: number | null, height: number | null): Size {
  if (width === null && height === null) return source;
  const scale = Math.min(
    width === null ? Number.POSITIVE_INFINITY : width / source.width,
    height === null ? Number.POSITIVE_INFINITY : height / source.height,
  );
  const axis = (length: number, limit: number | null) =>
    Math.min(limit ?? Number.POSITIVE_INFINITY, Math.max(1, Math.round(length * scale)));
  return { width: axis(source.width, width), height: axis(source.height, height) };
}

/** Generators have no input to take a size from: `width` x `height`, square when one is given. */
export function generatorSize(width: number | null, height: number | null): Size {
  return {
    width: width ?? height ?? GENERATOR_DEFAULT_SIZE,
    height: height ?? width ?? GENERATOR_DEFAULT_SIZE,
  };
}

export function checkPixelLimit(size: Size, limit: number, what: string): void {
  const pixels = size.width * size.height;
  if (pixels > limit) throw errors.tooManyPixels(what, pixels, limit);
}

/** The size an image decodes to, within the pixel limit (the error names which image, ofImage). */
export function checkDecodedSize(size: Size, limit: number): void {
  const pixels = size.width * size.height;
  if (pixels > limit) throw errors.tooManyDecodedPixels(pixels, limit);
}

/**
 * Where `fit` and `gravity` act: the input is scaled (and, for cover, cropped) before the graph
 * runs, so the graph works on the pixels that will be shown; contain's padding is added after
 * it, so no effect paints the padding.
 */
export interface GeometryPlan {
  /** The size the graph receives. */
  size: Size;
  /** How the decoded input reaches `size`. */
  before: ResizeOptions;
  /** The letterbox the graph's result is placed in (fit=contain), or null. */
  after: Letterbox | null;
  /** The size of the final image, for the pixel limit. */
  output: Size;
}

export interface Letterbox extends Size {
  position: ResizeOptions["position"];
  /** The requested padding colour, or null for the format's default. */
  background: string | null;
}

// Padding is transparent by default; JPEG has no alpha and gets the backdrop it flattens onto
// (sharp flattens before it pads, so the padding must be opaque already).
const CLEAR = { r: 0, g: 0, b: 0, alpha: 0 };

export function letterboxResize(box: Letterbox, format: OutputFormat): ResizeOptions & Size {
  const background = box.background ?? (format === "jpeg" ? JPEG_BACKGROUND : CLEAR);
  return {
    width: box.width,
    height: box.height,
    fit: "contain",
    position: box.position,
    background,
  };
}

function position(options: ImageOptions): ResizeOptions["position"] {
  const { gravity } = options;
  if (gravity === "attention" || gravity === "entropy") return sharp.strategy[gravity];
  return gravity ?? "centre";
}

function outsideSize(source: Size, box: Size): Size {
  const scale = Math.max(box.width / source.width, box.height / source.height);
  return {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
}

/** The geometry for an input of `source` size; fits other than inside come with both lengths. */
export function planGeometry(
  source: Size,
  width: number | null,
  height: number | null,
  options: ImageOptions,
): GeometryPlan {
  const box = { width: width ?? source.width, height: height ?? source.height };
  const fill = (size: Size): GeometryPlan => ({
    size,
    before: { fit: "fill" },
    after: null,
    output: size,
  });
  switch (options.fit) {
    case "inside":
      return fill(targetSize(source, width, height));
    case "fill":
      return fill(box);
    case "outside":
      return fill(outsideSize(source, box));
    case "cover":
      return {
        size: box,
        before: { fit: "cover", position: position(options) },
        after: null,
        output: box,
      };
    case "contain": {
      const after = { ...box, position: position(options), background: options.background };
      return { ...fill(targetSize(source, width, height)), after, output: box };
    }
  }
}

/**
 * Graphs that only pass the image through do the whole geometry in one resize. libvips' smart
 * crop cannot read several frames: animations are cropped about the centre instead.
 */
export function wholeGeometry(
  plan: GeometryPlan,
  format: OutputFormat,
  animated: boolean,
): { size: Size; resize: ResizeOptions } {
  const size = plan.after ? { width: plan.after.width, height: plan.after.height } : plan.size;
  const resize = plan.after ? letterboxResize(plan.after, format) : plan.before;
  const smart = typeof resize.position === "number";
  return { size, resize: animated && smart ? { ...resize, position: "centre" } : resize };
}

/** Contain's padding is transparent unless an opaque background was asked for (or JPEG's). */
export function padsWithTransparency(plan: GeometryPlan): boolean {
  const background = plan.after?.background ?? null;
  return plan.after !== null && !(background !== null && isOpaqueColor(background));
}
