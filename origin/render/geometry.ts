import sharp, { type ResizeOptions, type Sharp } from "sharp";
import { isOpaqueColor } from "../../shared/color.ts";
import type { OutputFormat } from "../../shared/formats.ts";
import type { ImageOptions } from "../../shared/image-options.ts";
import { fromRendered, JPEG_BACKGROUND } from "./encode.ts";
import type { RenderResult } from "./gegl-pool.ts";
import { type Size, targetSize } from "./output-size.ts";

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

function letterboxResize(box: Letterbox, format: OutputFormat): ResizeOptions & Size {
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

/** The graph's result placed as the plan says (contain's letterbox), ready to encode. */
export function placeAfterGraph(
  rendered: RenderResult,
  plan: GeometryPlan,
  format: OutputFormat,
): Sharp {
  if (!plan.after) return fromRendered(rendered);
  return fromRendered(rendered, padsWithTransparency(plan)).resize(
    letterboxResize(plan.after, format),
  );
}
