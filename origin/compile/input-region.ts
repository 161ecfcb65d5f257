import type { Size } from "../steps/resize.ts";
import type { JobNode } from "../worker/render-job.ts";
import { boundProps } from "./bound-job.ts";
import { feedThroughNops } from "./feed-through-nops.ts";
import type { CompiledGraph } from "./graph-compiler.ts";
import {
  cropRectangle,
  isTransform,
  type Rectangle,
  type RegionRule,
  regionRule,
} from "./region-rules.ts";

/** A rectangle of the input image, in its pixels at the graph's input size. */
export interface InputRegion extends Rectangle {
  /**
   * An operation before the region's crop depends on where the image ends (a rotation about its
   * centre, a vignette): the worker is given the whole image's extent, with these pixels in it.
   */
  wholeExtent: boolean;
}

/**
 * The nodes from the one that takes the input to the first gegl:crop, when each before the crop
 * takes the one before it at its `input` pad, nothing at any other, and gives its output to the
 * next alone: what follows the crop sees the input only through the crop's rectangle. null: the
 * input reaches the output, or any other node, by another way (or no crop bounds it).
 */
function chainToCrop(compiled: CompiledGraph): JobNode[] | null {
  const input = compiled.input;
  if (input?.pad !== "input") return null;
  const nodes = new Map(compiled.nodes.map((node) => [node.id, node]));
  const chain: JobNode[] = [];
  let node = nodes.get(input.node);
  while (node && chain.length < compiled.nodes.length) {
    const id = node.id;
    const fed = compiled.links.filter((link) => link.to === id);
    if (fed.length !== (chain.length === 0 ? 0 : 1) || fed.some((l) => l.to_pad !== "input")) {
      return null;
    }
    chain.push(node);
    if (node.op === "gegl:crop") return chain;
    const feeds = compiled.links.filter((link) => link.from === id);
    const [next] = feeds;
    if (compiled.output.node === id || feeds.length !== 1 || next?.from_pad !== "output") {
      return null;
    }
    node = nodes.get(next.to);
  }
  return null;
}

/** Each chain node's rule with its bound properties, or null when one has none. */
function chainRules(
  compiled: CompiledGraph,
  values: Record<string, string>,
  chain: JobNode[],
): RegionRule[] | null {
  const props = boundProps(compiled, values);
  const pointFilters = new Set(compiled.pointFilters);
  // GEGL composes a transform fed by a transform into one matrix, with extents of its own.
  const transforms = chain.filter(({ op }) => op !== "gegl:nop").map(({ op }) => isTransform(op));
  if (transforms.some((transform, i) => transform && transforms[i - 1])) return null;
  const rules = chain.map(({ id, op }) =>
    regionRule(op, props.get(id) ?? {}, pointFilters.has(id)),
  );
  return rules.every((rule) => rule !== null) ? (rules as RegionRule[]) : null;
}

const intersection = (a: Rectangle, b: Rectangle): Rectangle => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x);
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y);
  return { x, y, width, height };
};

/**
 * The part of the input a graph reads, when it is less than the whole image: the input goes
 * through a chain of operations (nop, point filters, the transforms of region-rules.ts) to a
 * crop, and what the crop's rectangle is made from is less than the image. The decode
 * step then makes only those pixels (libvips computes no others) and the worker puts them in
 * their place, so every node sees what it would have seen of the whole image. null: the whole
 * image is read (another operation, a crop of all zeros, which GEGL takes as the input's own
 * extent, or a rectangle beside the image).
 */
export function inputRegion(
  compiled: CompiledGraph,
  values: Record<string, string>,
  size: Size,
): InputRegion | null {
  const chain = chainToCrop(compiled);
  if (!chain) return null;
  const rules = chainRules(compiled, values, chain);
  if (!rules) return null;
  const extents: Rectangle[] = [{ x: 0, y: 0, ...size }];
  for (const rule of rules) extents.push(rule.extent(extents.at(-1) as Rectangle));
  let read = extents.at(-1) as Rectangle;
  for (let i = rules.length - 1; i >= 0; i--) {
    read = (rules[i] as RegionRule).reads(
      intersection(read, extents[i + 1] as Rectangle),
      extents[i] as Rectangle,
    );
  }
  const region = regionOf(read, size);
  const wholeExtent = chain.slice(0, -1).some(({ op }) => op !== "gegl:nop");
  return region && { ...region, wholeExtent };
}

/** A rectangle met with the image, when that is less than the image (inputRegion). */
function regionOf(rectangle: Rectangle, size: Size): Rectangle | null {
  const { x, y, width, height } = rectangle;
  if (![x, y, width, height].every(Number.isFinite)) return null;
  if (x === 0 && y === 0 && width === 0 && height === 0) return null;
  const met = intersection(rectangle, { x: 0, y: 0, width: size.width, height: size.height });
  if (met.width === 0 || met.height === 0) return null;
  if (met.width === size.width && met.height === size.height) return null;
  return met;
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
): Rectangle | null {
  // The crop that takes the input itself (its `aux` unconnected: an aux would set it).
  const chain = chainToCrop(compiled);
  const crop = chain?.length === 1 ? chain[0] : undefined;
  if (!crop || Object.keys(compiled.images).length > 0) return null;
  if (compiled.nodes.some((node) => node !== crop && node.op !== "gegl:nop")) return null;
  if (compiled.output.pad !== "output" || outputThroughNops(compiled) !== crop) {
    return null;
  }
  const rectangle = cropRectangle(boundProps(compiled, values).get(crop.id) ?? {});
  const region = regionOf(rectangle, size);
  const whole =
    region !== null &&
    region.x === rectangle.x &&
    region.y === rectangle.y &&
    region.width === rectangle.width &&
    region.height === rectangle.height;
  return whole ? region : null;
}
