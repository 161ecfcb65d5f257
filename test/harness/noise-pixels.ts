/** Test images for the worker's fast paths, the same for every run. */

/**
 * Deterministic pixels: `opaque` ones (converted by the worker's lookup table) or with every
 * kind of alpha, opaque, transparent and in between (converted by babl).
 */
export function noise(width: number, height: number, seed: number, opaque = false): Buffer {
  const pixels = Buffer.alloc(width * height * 4);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[i] = state & 0xff;
  }
  for (let i = 3; i < pixels.length; i += opaque ? 4 : 16) pixels[i] = 255;
  if (!opaque) for (let i = 7; i < pixels.length; i += 16) pixels[i] = 0;
  return pixels;
}
