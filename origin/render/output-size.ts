import { errors } from "../../shared/errors.ts";

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
