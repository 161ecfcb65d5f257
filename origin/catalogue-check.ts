import {
  type Catalogue,
  CatalogueError,
  type CatalogueGraph,
  INPUT_PORT,
} from "../shared/catalogue.ts";
import { isImgfloError } from "../shared/errors.ts";
import { validateParams } from "../shared/parameters.ts";
import { Deadline } from "./admission/deadline.ts";
import { renderJob } from "./compile/bound-job.ts";
import { type CompiledGraph, compileGraph } from "./compile/graph-compiler.ts";
import type { GeglPool } from "./worker/gegl-pool.ts";
import type { OperationDescriptions } from "./worker/operation-description.ts";

const TRIAL_SIZE = { width: 64, height: 64 };
const TRIAL_GREY = 0x80;

/**
 * A trial render of the compiled graph with its defaults: the defaults must be valid request
 * values (the request rules, validateParams), and GEGL must render what the compile accepted,
 * which only running it shows (an operation that fails or crashes on these values, a worker
 * refusing what the compile let through). Only a failure that is the server's fault (a 5xx)
 * stops start-up; a 64×64 trial's size errors (too large, empty) are a request's.
 */
export async function trialRender(
  graph: CatalogueGraph,
  compiled: CompiledGraph,
  pool: GeglPool,
  timeoutMs: number,
  operationSwaps: boolean,
) {
  const fail = (why: string) => new CatalogueError(graph.name, why);
  // Every image (the input, each image inport's) a grey square.
  const trialImages = [INPUT_PORT, ...Object.keys(graph.images)];
  let values: Record<string, string>;
  try {
    values = validateParams(
      graph,
      Object.fromEntries(trialImages.map((name) => [name, "trial.png"])),
    ).values;
  } catch (error) {
    throw fail(`has an invalid default: ${(error as Error).message}`);
  }
  const grey = () => ({
    ...TRIAL_SIZE,
    pixels: Buffer.alloc(TRIAL_SIZE.width * TRIAL_SIZE.height * 4, TRIAL_GREY),
  });
  const input = graph.input ? grey() : null;
  const images = Object.keys(compiled.images);
  const job = renderJob(compiled, values, {
    input: input && TRIAL_SIZE,
    images: Object.fromEntries(images.map((name) => [name, TRIAL_SIZE])),
    output: input ? null : TRIAL_SIZE,
    maxPixels: Number.MAX_SAFE_INTEGER,
    operationSwaps,
  });
  try {
    await pool.render(job, input, new Deadline(timeoutMs), { images: images.map(grey) });
  } catch (error) {
    if (isImgfloError(error) && error.status < 500) return;
    throw fail(`fails a trial render with its defaults: ${(error as Error).message}`);
  }
}

/**
 * Compiles the catalogue against the GEGL the workers really have (compile/graph-compiler.ts, the one check of
 * a graph), so that a graph file's mistake stops start-up instead of failing requests, then
 * trial-renders each graph; returns the compiled graphs by content hash.
 */
export async function checkCatalogue(
  catalogue: Catalogue,
  operations: OperationDescriptions,
  pool: GeglPool,
  timeoutMs: number,
  operationSwaps: boolean,
): Promise<Map<string, CompiledGraph>> {
  const compiled = new Map<string, CompiledGraph>();
  for (const graph of catalogue.values()) compiled.set(graph.hash, compileGraph(graph, operations));
  await Promise.all(
    [...catalogue.values()].map((graph) =>
      trialRender(
        graph,
        compiled.get(graph.hash) as CompiledGraph,
        pool,
        timeoutMs,
        operationSwaps,
      ),
    ),
  );
  return compiled;
}
