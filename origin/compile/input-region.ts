import type { Size } from "../steps/resize.ts";
import type { ImagePlace, JobNode } from "../worker/render-job.ts";
import { boundProps } from "./bound-job.ts";
import { feedThroughNops } from "./feed-through-nops.ts";
import type { CompiledGraph } from "./graph-compiler.ts";

/** A rectangle of the input image, in its pixels at the graph's input size. */
export type InputRegion = Size & ImagePlace;

const RECTANGLE = ["x", "y", "width", "height"] as const;

/** The `gegl:crop` that takes the input itself (its `aux` unconnected: an aux would set it). */
function inputCrop(compiled: CompiledGraph): JobNode | null {
  const input = compiled.input;
  const node =
    input?.pad === "input" ? compiled.nodes.find(({ id }) => id === input.node) : undefined;
  if (node?.op !== "gegl:crop") return null;
  if (compiled.links.some((link) => link.to === node.id && link.to_pad === "aux")) return null;
  return node;
}

/** The crop's rectangle as GEGL takes it: its doubles truncated to integers. */
function cropRectangle(
  compiled: CompiledGraph,
  values: Record<string, string>,
  crop: JobNode,
): InputRegion {
  const props = boundProps(compiled, values).get(crop.id) ?? {};
  const [x = 0, y = 0, width = 0, height = 0] = RECTANGLE.map((name) =>
    Math.trunc(Number(props[name] ?? 0)),
  );
  return { x, y, width, height };
}

/**
 * The part of the input a graph reads, when it is less than the whole image: the rectangle of a
 * `gegl:crop` that takes the input itself, met with the image. The decode step then makes only
 * those pixels (libvips computes no others) and the worker puts them in their place, so every
 * node sees what it would have seen of the whole image. null: the whole image is read (another
 * first node, a crop of all zeros, which GEGL takes as the input's own extent, or a rectangle
 * beside it).
 */
export function inputRegion(
  compiled: CompiledGraph,
  values: Record<string, string>,
  size: Size,
): InputRegion | null {
  const crop = inputCrop(compiled);
  return crop ? regionOf(cropRectangle(compiled, values, crop), size) : null;
}

/** A crop's rectangle met with the image, when that is less than the image (inputRegion). */
function regionOf({ x, y, width, height }: InputRegion, size: Size): InputRegion | null {
  if (![x, y, width, height].every(Number.isFinite)) return null;
  if (x === 0 && y === 0 && width === 0 && height === 0) return null;
  const left = Math.max(0, x);
  const top = Math.max(0, y);
  const right = Math.min(size.width, x + width);
  const bottom = Math.min(size.height, y + height);
  if (right <= left || bottom <= top) return null;
  if (right - left === size.width && bottom - top === size.height) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The node whose output the graph gives, past any gegl:nop before it. */
function outputThroughNops(compiled: CompiledGraph): JobNode | undefined {
  const output = compiled.nodes.find(({ id }) => id === compiled.output.node);
  if (output?.op !== "gegl:nop") return output;
  const feed = feedThroughNops(compiled, output.id, "input");
  return feed && "node" in feed ? feed.node : undefined;
}

/**
 * The input region, when it is the graph's whole result as it is: the crop that cuts it is the
 * graph's one operation besides gegl:nop, its output the graph's, no image besides the input,
 * and its rectangle inside the image (GEGL's crop keeps all of its rectangle: a part beside the
 * image would be transparent). Such a graph needs no GEGL: its region is decoded and encoded in
 * one sharp pipeline. null: the graph runs.
 */
export function resultRegion(
  compiled: CompiledGraph,
  values: Record<string, string>,
  size: Size,
): InputRegion | null {
  const crop = inputCrop(compiled);
  if (!crop || Object.keys(compiled.images).length > 0) return null;
  if (compiled.nodes.some((node) => node !== crop && node.op !== "gegl:nop")) return null;
  if (compiled.output.pad !== "output" || outputThroughNops(compiled) !== crop) {
    return null;
  }
  const rectangle = cropRectangle(compiled, values, crop);
  const region = regionOf(rectangle, size);
  const whole =
    region !== null &&
    region.x === rectangle.x &&
    region.y === rectangle.y &&
    region.width === rectangle.width &&
    region.height === rectangle.height;
  return whole ? region : null;
}
