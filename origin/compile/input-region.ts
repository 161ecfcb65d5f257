import type { Size } from "../steps/resize.ts";
import type { ImagePlace } from "../worker/render-job.ts";
import { boundProps } from "./bound-job.ts";
import type { CompiledGraph } from "./graph-compiler.ts";

/** A rectangle of the input image, in its pixels at the graph's input size. */
export type InputRegion = Size & ImagePlace;

const RECTANGLE = ["x", "y", "width", "height"] as const;

/**
 * The part of the input a graph reads, when it is less than the whole image: the rectangle of a
 * `gegl:crop` that takes the input itself (its `aux` unconnected: an aux would set the
 * rectangle), met with the image. The decode step then makes only those pixels (libvips
 * computes no others) and the worker puts them in their place, so every node sees what it
 * would have seen of the whole image. null: the whole image is read (another first node, a
 * crop of all zeros, which GEGL takes as the input's own extent, or a rectangle beside it).
 */
export function inputRegion(
  compiled: CompiledGraph,
  values: Record<string, string>,
  size: Size,
): InputRegion | null {
  const input = compiled.input;
  const node =
    input?.pad === "input" ? compiled.nodes.find(({ id }) => id === input.node) : undefined;
  if (node?.op !== "gegl:crop") return null;
  if (compiled.links.some((link) => link.to === node.id && link.to_pad === "aux")) return null;
  const props = boundProps(compiled, values).get(node.id) ?? {};
  // GEGL turns the crop's doubles into its integer rectangle by truncation.
  const [x = 0, y = 0, width = 0, height = 0] = RECTANGLE.map((name) =>
    Math.trunc(Number(props[name] ?? 0)),
  );
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
