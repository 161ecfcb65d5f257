import type { Deadline } from "../admission/deadline.ts";
import { renderJob } from "../compile/bound-job.ts";
import type { CompiledGraph } from "../compile/graph-compiler.ts";
import type { GeglPool } from "../worker/gegl-pool.ts";
import type { ImagePlace, RenderedPixels, WorkerImage } from "../worker/render-job.ts";
import type { Size } from "./resize.ts";

/**
 * What the graph runs on: the decoded input (with its place when it is a region of the image,
 * and the image's extent when the graph needs it), or (a generator) the size to render.
 */
export type GraphSource =
  | { input: WorkerImage; place?: ImagePlace; extent?: Size }
  | { output: Size };

const sizeOf = ({ width, height }: Size) => ({ width, height });

/**
 * The graph step: the compiled graph, bound to the request's parameter values, its input (or its
 * output size) and its image inports' images, run on a GEGL worker; the result goes to
 * `outputFile` when one is given.
 */
export function runGraph(
  compiled: CompiledGraph,
  values: Record<string, string>,
  source: GraphSource,
  images: Record<string, WorkerImage>,
  pool: GeglPool,
  limits: {
    maxPixels: number;
    deadline: Deadline;
    threads: number;
    operationSwaps: boolean;
    outputFile?: string | undefined;
  },
): Promise<RenderedPixels> {
  const input = "input" in source ? source.input : null;
  const job = renderJob(compiled, values, {
    input: input && {
      ...sizeOf(input),
      ...("place" in source ? source.place : {}),
      ...("extent" in source ? { extent: source.extent } : {}),
    },
    images: Object.fromEntries(
      Object.entries(images).map(([name, image]) => [name, sizeOf(image)]),
    ),
    output: "output" in source ? source.output : null,
    maxPixels: limits.maxPixels,
    operationSwaps: limits.operationSwaps,
  });
  // In the job's order: the compiled graph's image inports.
  const ordered = Object.keys(compiled.images).map((name) => images[name] as WorkerImage);
  return pool.render({ ...job, threads: limits.threads }, input, limits.deadline, {
    ...(limits.outputFile ? { outputFile: limits.outputFile } : {}),
    images: ordered,
  });
}
