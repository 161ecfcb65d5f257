/** A compiled graph bound to one request: its nodes' properties and the worker's render job. */
import type { Size } from "../steps/resize.ts";
import type { ImagePlace, RenderJob } from "../worker/render-job.ts";
import type { CompiledGraph } from "./graph-compiler.ts";
import { swappedOperation } from "./operation-swaps.ts";

export interface JobSizes {
  /**
   * The input image's size (and place, for a region of it, with the whole image's extent when
   * its operations need it), or null for generators.
   */
  input: (Size & Partial<ImagePlace> & { extent?: Size }) | null;
  /** Each image inport's image size (graphs with image inports). */
  images?: Record<string, Size>;
  /** An explicit output size (generators), or null to render the graph's bounding box. */
  output: Size | null;
  maxPixels: number;
  /** Render with the project's operations where they stand in for GEGL's (OPERATION_SWAPS). */
  operationSwaps: boolean;
}

/** The worker's `images`, in the order of the compiled graph's image inports; none: left out. */
function jobImages(
  compiled: CompiledGraph,
  sizes: JobSizes["images"] = {},
): Pick<RenderJob, "images"> {
  const images = Object.entries(compiled.images).map(([inport, pad]) => {
    const size = sizes[inport];
    if (!size) throw new Error(`The render of ${compiled.name} has no image for "${inport}"`);
    return { ...pad, ...size };
  });
  return images.length > 0 ? { images } : {};
}

/** Each node's properties for one request: request parameters override the graph's initial values. */
export function boundProps(
  compiled: CompiledGraph,
  values: Record<string, string>,
): Map<string, Record<string, string>> {
  const props = new Map(compiled.nodes.map((node) => [node.id, { ...node.props }]));
  for (const [name, value] of Object.entries(values)) {
    const target = compiled.parameters[name];
    if (target) (props.get(target.node) as Record<string, string>)[target.property] = value;
  }
  return props;
}

/**
 * The worker's render job for one request: each node whose properties (as bound) allow it
 * renders with its project swap (compile/operation-swaps.ts).
 */
export function renderJob(
  compiled: CompiledGraph,
  values: Record<string, string>,
  sizes: JobSizes,
): RenderJob {
  const props = boundProps(compiled, values);
  return {
    cmd: "render",
    nodes: compiled.nodes.map((node) => {
      const job = { ...node, props: props.get(node.id) ?? {} };
      return sizes.operationSwaps ? { ...job, op: swappedOperation(job) } : job;
    }),
    links: compiled.links,
    input: compiled.input && sizes.input ? { ...compiled.input, ...sizes.input } : null,
    ...jobImages(compiled, sizes.images),
    output: compiled.output,
    ...(sizes.output ? { size: sizes.output } : {}),
    max_pixels: sizes.maxPixels,
  };
}
