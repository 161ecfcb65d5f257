import type { Size } from "../steps/resize.ts";
import type { ImagePlace } from "../worker/render-job.ts";

/** A rectangle of pixels in a graph's coordinates. */
export type Rectangle = Size & ImagePlace;

/**
 * How an operation maps rectangles, as GEGL computes them: the extent it gives from its input's,
 * and the part of its input that a rectangle of its output is made from (never less than GEGL
 * reads: a pixel left out would be wrong, one too many only decoded for nothing).
 */
export interface RegionRule {
  extent(input: Rectangle): Rectangle;
  reads(output: Rectangle, input: Rectangle): Rectangle;
}

/** nop and point filters: each pixel from the input's pixel in its place. */
const PIXEL_FOR_PIXEL: RegionRule = { extent: (input) => input, reads: (output) => output };

const RECTANGLE = ["x", "y", "width", "height"] as const;

/** A crop's rectangle as GEGL takes it: its doubles truncated to integers. */
export function cropRectangle(props: Record<string, string>): Rectangle {
  const [x = 0, y = 0, width = 0, height = 0] = RECTANGLE.map((name) =>
    Math.trunc(Number(props[name] ?? 0)),
  );
  return { x, y, width, height };
}

/** gegl:crop without aux: its rectangle, or its input's extent when the rectangle is all zeros. */
function cropRule(props: Record<string, string>): RegionRule {
  const rectangle = cropRectangle(props);
  const zero = RECTANGLE.every((name) => rectangle[name] === 0);
  return { extent: (input) => (zero ? input : rectangle), reads: (output) => output };
}

/** An affine matrix [a b c; d e f; 0 0 1], as GEGL's GeglMatrix3 holds one. */
type Affine = [number, number, number, number, number, number];

// gegl-matrix.c's gegl_matrix3_round_error: coefficients this near an integer become it.
const ROUNDING = 1e-10;
const rounded = (m: Affine) =>
  m.map((v) => (Math.abs(v - Math.floor(v + 0.5)) < ROUNDING ? Math.floor(v + 0.5) : v)) as Affine;

/** gegl_matrix3_originate: the matrix about (x, y) instead of (0, 0). */
function originated([a, b, c, d, e, f]: Affine, x: number, y: number): Affine {
  return [a, b, a * -x + b * -y + c + x, d, e, d * -x + e * -y + f + y];
}

function inverted([a, b, c, d, e, f]: Affine): Affine | null {
  const det = a * e - b * d;
  if (!Number.isFinite(det) || det === 0) return null;
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

/**
 * transform-core.c's gegl_transform_bounding_box: the pixels whose outer corners hold the
 * rectangle's corners mapped by `m`.
 */
function mappedBox([a, b, c, d, e, f]: Affine, { x, y, width, height }: Rectangle): Rectangle {
  const corners = [
    [x, y],
    [x + width, y],
    [x + width, y + height],
    [x, y + height],
  ];
  const xs = corners.map(([u, v]) => a * (u as number) + b * (v as number) + c);
  const ys = corners.map(([u, v]) => d * (u as number) + e * (v as number) + f);
  const left = Math.floor(Math.min(...xs));
  const top = Math.floor(Math.min(...ys));
  return {
    x: left,
    y: top,
    width: Math.ceil(Math.max(...xs)) - left,
    height: Math.ceil(Math.max(...ys)) - top,
  };
}

/**
 * How far from a mapped pixel GEGL's samplers read, in the input's pixels at scale 1: lohalo's
 * and nohalo's 13 (the widest; cubic reads 2, linear 1), and one for rounding. Where the
 * transform shrinks, samplers read a mipmap level down: as far again for every halving.
 */
const SAMPLER_REACH = 14;

/** One output pixel's span in the input: the inverse's largest row of absolute coefficients. */
const spanOf = ([a, b, , d, e]: Affine) =>
  Math.max(Math.abs(a) + Math.abs(b), Math.abs(d) + Math.abs(e));

function grown({ x, y, width, height }: Rectangle, by: number): Rectangle {
  return { x: x - by, y: y - by, width: width + 2 * by, height: height + 2 * by };
}

const number = (props: Record<string, string>, name: string, fallback = 0) => {
  const value = Number(props[name] ?? fallback);
  return Number.isFinite(value) ? value : Number.NaN;
};

/** The cosine and sine of the `degrees` property, as rotate.c and rotate-on-center.c take it. */
function rotation(props: Record<string, string>): [number, number] {
  const radians = number(props, "degrees") * ((2 * Math.PI) / 360);
  return [Math.cos(radians), Math.sin(radians)];
}

/** The matrix each transform's create_matrix makes (GEGL 0.4's operations/transform/). */
const TRANSFORM_MATRICES: Record<
  string,
  (props: Record<string, string>, input: Rectangle) => Affine
> = {
  "gegl:translate": (p) => [1, 0, number(p, "x"), 0, 1, number(p, "y")],
  "gegl:scale-ratio": (p) => [number(p, "x", 1), 0, 0, 0, number(p, "y", 1), 0],
  "gegl:scale-size": (p, input) => [
    number(p, "x", 100) / Math.max(1, input.width),
    0,
    0,
    0,
    number(p, "y", 100) / Math.max(1, input.height),
    0,
  ],
  "gegl:rotate": (p) => {
    const [cos, sin] = rotation(p);
    return [cos, sin, 0, -sin, cos, 0];
  },
  // rotate-on-center.c's generate_matrix, called with the input's width and height for both
  // its (x, y) and its size: the rotated image's bounding box is moved to (0, 0).
  "gegl:rotate-on-center": (p, input) => {
    const [cos, sin] = rotation(p);
    const [x, y] = [Math.max(1, input.width), Math.max(1, input.height)];
    const [w, h] = [x, y];
    const x0 = -x * cos - y * sin;
    const y0 = x * sin - y * cos;
    const xs = [x0, w * cos + x0, w * cos + h * sin + x0, h * sin + x0];
    const ys = [y0, -w * sin + y0, -w * sin + h * cos + y0, h * cos + y0];
    const tx = Math.min(0, ...xs);
    const ty = Math.min(0, ...ys);
    return [cos, sin, -tx - x * cos - y * sin, -sin, cos, -ty + x * sin - y * cos];
  },
};

/** The transforms input-region.ts reads through (GEGL composes two in a row: it stops there). */
export const isTransform = (op: string) => op in TRANSFORM_MATRICES;

function transformRule(op: string, props: Record<string, string>): RegionRule | null {
  const make = TRANSFORM_MATRICES[op];
  if (!make) return null;
  const matrix = (input: Rectangle) =>
    originated(rounded(make(props, input)), number(props, "origin-x"), number(props, "origin-y"));
  return {
    extent: (input) => mappedBox(matrix(input), input),
    reads: (output, input) => {
      const inverse = inverted(matrix(input));
      if (!inverse || inverse.some((v) => !Number.isFinite(v))) return input;
      const reach = Math.ceil(SAMPLER_REACH * Math.max(1, spanOf(inverse))) + 1;
      return grown(mappedBox(inverse, output), reach);
    },
  };
}

/**
 * The rule of a node's operation, or null when it has none (the region then is the whole image).
 * `pointFilter`: the worker describes the operation as one.
 */
export function regionRule(
  op: string,
  props: Record<string, string>,
  pointFilter: boolean,
): RegionRule | null {
  if (op === "gegl:nop" || pointFilter) return PIXEL_FOR_PIXEL;
  if (op === "gegl:crop") return cropRule(props);
  return transformRule(op, props);
}
