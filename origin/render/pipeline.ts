import { errors } from "../../shared/errors.ts";
import { isAnimatedFormat, type OutputFormat, outputFormatFor } from "../../shared/formats.ts";
import { resolveInputUrl } from "../../shared/parameters.ts";
import type { RenderRequest } from "../../shared/render-request.ts";
import type { OriginConfig } from "../config.ts";
import { decodeFailure, decodeToRgba, inspect, openImage, type SourceImage } from "./decode.ts";
import { detectFormat } from "./detect-format.ts";
import { type EncodeOptions, encode, fromRgba, isOpaque } from "./encode.ts";
import type { InputFetcher } from "./fetch-input.ts";
import type { GeglPool } from "./gegl-pool.ts";
import { type GeometryPlan, placeAfterGraph, planGeometry, wholeGeometry } from "./geometry.ts";
import { type CompiledGraph, renderJob } from "./graph-job.ts";
import { withInputMetadata } from "./input-metadata.ts";
import type { RenderQueue, WithSlot } from "./render-queue.ts";
import { checkPixelLimit, generatorSize } from "./resize.ts";
import { resultTraits } from "./result-traits.ts";

export interface RenderedImage {
  bytes: Buffer;
  format: OutputFormat;
}

export interface RenderServices {
  config: OriginConfig;
  graphs: ReadonlyMap<string, CompiledGraph>;
  fetcher: InputFetcher;
  pool: GeglPool;
  queue: RenderQueue<RenderedImage>;
}

/** Where a request's relative inputs live, and how to read URLs this origin serves itself. */
export interface InputContext {
  /** The edge's public base URL, or this origin's own. */
  base: string;
  /** Reads a URL of this origin in-process; null when the URL is elsewhere. */
  fetchOwn(url: URL): Promise<Buffer> | null;
}

/** A render's time budget, from the moment it gets its slot; sharp steps cannot be interrupted. */
class Deadline {
  private readonly end: number;

  constructor(private readonly ms: number) {
    this.end = performance.now() + ms;
  }

  /** Milliseconds left for the next step; a 504 once there are none. */
  left(): number {
    const left = this.end - performance.now();
    if (left <= 0) throw errors.renderTimeout(this.ms / 1000);
    return left;
  }
}

export async function fetchStep(
  input: string,
  context: InputContext,
  fetcher: InputFetcher,
): Promise<Buffer> {
  let url: URL;
  try {
    url = resolveInputUrl(input, context.base);
  } catch {
    throw errors.invalidParameter("input", `cannot be resolved against ${context.base}`);
  }
  return (await context.fetchOwn(url)) ?? fetcher.fetch(url);
}

/** Graphs that only pass the image through need no GEGL: one sharp pipeline, frames kept. */
async function transcodeStep(
  source: SourceImage,
  plan: GeometryPlan,
  format: OutputFormat,
  maxPixels: number,
  options: EncodeOptions,
) {
  const animated = source.animated && isAnimatedFormat(format);
  const { size, resize } = wholeGeometry(plan, format, animated);
  try {
    return await encode(openImage(source, size, { maxPixels, animated, resize }), format, options);
  } catch (error) {
    throw decodeFailure(source.format, error);
  }
}

async function renderInput(
  { graph, params, output }: RenderRequest,
  context: InputContext,
  services: RenderServices,
  withSlot: WithSlot,
): Promise<RenderedImage> {
  const { config, pool } = services;
  const compiled = services.graphs.get(graph.name) as CompiledGraph;
  const bytes = await fetchStep(params.input as string, context, services.fetcher);
  const inputFormat = detectFormat(bytes);
  const source = await inspect(bytes, inputFormat);
  const plan = planGeometry(source.size, params.width, params.height, params.options);
  const format = outputFormatFor(
    output,
    inputFormat,
    resultTraits(source, plan, compiled.identity),
  );
  const resizing = params.width !== null || params.height !== null;
  if (graph.outputsInputBytes && format === inputFormat && !resizing) return { bytes, format };
  checkPixelLimit(plan.output, config.maxPixels, "requested output");
  return withSlot(async () => {
    if (compiled.identity) {
      const result = await transcodeStep(source, plan, format, config.maxPixels, params.options);
      return { bytes: result, format };
    }
    const deadline = new Deadline(config.renderTimeoutMs);
    const decoded = await decodeToRgba(source, plan.size, {
      maxPixels: config.maxPixels,
      resize: plan.before,
    });
    const job = renderJob(compiled, params.values, {
      input: { width: decoded.width, height: decoded.height },
      output: null,
      maxPixels: config.maxPixels,
    });
    const rendered = await pool.render(job, decoded, deadline.left());
    const placed = placeAfterGraph(rendered, plan, format);
    const result =
      params.options.metadata === "keep"
        ? await withInputMetadata(placed, source, config.maxPixels)
        : placed;
    return { bytes: await encode(result, format, params.options), format };
  });
}

async function renderGenerator(
  { graph, params, output }: RenderRequest,
  services: RenderServices,
  withSlot: WithSlot,
): Promise<RenderedImage> {
  const { config, pool } = services;
  const compiled = services.graphs.get(graph.name) as CompiledGraph;
  const size = generatorSize(params.width, params.height);
  checkPixelLimit(size, config.maxPixels, "requested output");
  return withSlot(async () => {
    const job = renderJob(compiled, params.values, {
      input: null,
      output: size,
      maxPixels: config.maxPixels,
    });
    const rendered = await pool.render(job, null, config.renderTimeoutMs);
    const traits = { animated: false, hasAlpha: !isOpaque(rendered.pixels) };
    const format = outputFormatFor(output, null, traits);
    return { bytes: await encode(fromRgba(rendered), format, params.options), format };
  });
}

/**
 * The render path: fetch the input → detect its type → decode at the target size → run the
 * graph in a GEGL worker → encode. Identical requests in flight share one run.
 */
export function render(
  request: RenderRequest,
  context: InputContext,
  services: RenderServices,
): Promise<RenderedImage> {
  return services.queue.run(request.cacheKey, (withSlot) =>
    request.graph.input
      ? renderInput(request, context, services, withSlot)
      : renderGenerator(request, services, withSlot),
  );
}
