import type { Size } from "../steps/resize.ts";

export interface JobNode {
  id: string;
  op: string;
  props: Record<string, string>;
}

export interface JobLink {
  from: string;
  from_pad: string;
  to: string;
  to_pad: string;
}

export interface PadRef {
  node: string;
  pad: string;
}

/** Where an image's top-left pixel stands in the graph's coordinates (0, 0 unless given). */
export interface ImagePlace {
  x: number;
  y: number;
}

/** The `render` command of the worker protocol. */
export interface RenderJob {
  cmd: "render";
  nodes: JobNode[];
  links: JobLink[];
  /**
   * The input: its pixels' size and, for a region of a larger image, its place and, when the
   * graph's operations depend on where the image ends, the whole image's size (`extent`).
   */
  input: (PadRef & Size & Partial<ImagePlace> & { extent?: Size }) | null;
  /** The images besides the input (image inports), each from its pixel file or the payload. */
  images?: (PadRef & Size & { file?: string })[];
  output: PadRef;
  size?: Size;
  max_pixels: number;
  /** GEGL's threads for this render; the worker's own setting when absent. */
  threads?: number;
}

/** 8-bit sRGB RGBA, not premultiplied: the GEGL worker's wire format. */
export interface RgbaImage {
  pixels: Buffer;
  width: number;
  height: number;
}

/** The same pixels in a pixel file (pixel-files.ts). */
export interface RgbaFile {
  file: string;
  width: number;
  height: number;
}

export type WorkerImage = RgbaImage | RgbaFile;

/** A render's result, in memory or in a pixel file: RGBA, or RGB when every pixel is opaque. */
export type RenderedPixels = ({ pixels: Buffer } | { file: string }) & {
  width: number;
  height: number;
  channels: 3 | 4;
  workerPid: number;
  /** Which path of the worker rendered it: `gegl`, or a fast path's name (`direct-blur`). */
  path: string;
  /**
   * The worker's own babl conversions that ran in it (origin/gegl-worker/fast-conversions.h): the
   * pixels each converted, by "<source> to <destination>" format; empty when none did.
   */
  conversions: Record<string, number>;
  /** The project operations (`imgflo:…`) whose code rendered, sorted: a swap's test asserts on it. */
  operations: string[];
};
