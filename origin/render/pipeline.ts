import { errors } from "../../shared/errors.ts";
import type { OutputFormat } from "../../shared/formats.ts";
import { resolveInputUrl } from "../../shared/parameters.ts";
import type { RenderRequest } from "../../shared/render-request.ts";
import type { OriginConfig } from "../config.ts";
import { decodeFailure, decodeToRgba, inspect, openImage, type SourceImage } from "./decode.ts";
import { detectFormat, type InputFormat } from "./detect-format.ts";
import { encode, fromRgba } from "./encode.ts";
import type { InputFetcher } from "./fetch-input.ts";
import type { GeglPool } from "./gegl-pool.ts";
import { type CompiledGraph, renderJob } from "./graph-job.ts";
import type { RenderQueue, WithSlot } from "./render-queue.ts";
import { RenderTrace } from "./render-trace.ts";
import { checkPixelLimit, generatorSize, type Size, targetSize } from "./resize.ts";

export interface EncodedImage {
  bytes: Buffer;
  format: OutputFormat;
}

export interface RenderedImage extends EncodedImage {
  /** The run that produced it (shared by requests that joined it in flight). */
  trace: RenderTrace;
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

const ANIMATED_FORMATS: InputFormat[] = ["gif", "webp"];

/** Without an extension the result keeps the input's format; browsers-unfriendly ones become PNG. */
function sameFormatAs(input: InputFormat): OutputFormat {
  return input === "svg" || input === "tiff" ? "png" : input;
}

async function fetchStep(
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
  size: Size,
  format: OutputFormat,
  maxPixels: number,
) {
  const animated =
    source.frames > 1 &&
    ANIMATED_FORMATS.includes(source.format) &&
    ANIMATED_FORMATS.includes(format);
  try {
    return await encode(openImage(source, size, { maxPixels, animated }), format);
  } catch (error) {
    throw decodeFailure(source.format, error);
  }
}

async function renderInput(
  { graph, params, request }: RenderRequest,
  context: InputContext,
  services: RenderServices,
  withSlot: WithSlot,
  trace: RenderTrace,
): Promise<EncodedImage> {
  const { config, pool } = services;
  const compiled = services.graphs.get(graph.name) as CompiledGraph;
  const bytes = await trace.time("fetch", () =>
    fetchStep(params.input as string, context, services.fetcher),
  );
  trace.inputBytes = bytes.length;
  const inputFormat = detectFormat(bytes);
  const format = request.format ?? sameFormatAs(inputFormat);
  const resizing = params.width !== null || params.height !== null;
  if (graph.outputsInputBytes && format === inputFormat && !resizing) return { bytes, format };
  const source = await trace.time("decode", () => inspect(bytes, inputFormat));
  const size = targetSize(source.size, params.width, params.height);
  checkPixelLimit(size, config.maxPixels, "requested output");
  const queued = trace.since("queue");
  return withSlot(async () => {
    queued();
    if (compiled.identity) {
      // One sharp pipeline decodes and encodes: timed as the encode it mostly is.
      const encoded = await trace.time("encode", () =>
        transcodeStep(source, size, format, config.maxPixels),
      );
      return { bytes: encoded, format };
    }
    const deadline = new Deadline(config.renderTimeoutMs);
    const decoded = await trace.time("decode", () => decodeToRgba(source, size, config.maxPixels));
    const job = renderJob(compiled, params.values, {
      input: { width: decoded.width, height: decoded.height },
      output: null,
      maxPixels: config.maxPixels,
    });
    const rendered = await trace.time("render", () => pool.render(job, decoded, deadline.left()));
    trace.workerPid = rendered.workerPid;
    return { bytes: await trace.time("encode", () => encode(fromRgba(rendered), format)), format };
  });
}

async function renderGenerator(
  { graph, params, request }: RenderRequest,
  services: RenderServices,
  withSlot: WithSlot,
  trace: RenderTrace,
): Promise<EncodedImage> {
  const { config, pool } = services;
  const compiled = services.graphs.get(graph.name) as CompiledGraph;
  const size = generatorSize(params.width, params.height);
  checkPixelLimit(size, config.maxPixels, "requested output");
  const format = request.format ?? "png";
  const queued = trace.since("queue");
  return withSlot(async () => {
    queued();
    const job = renderJob(compiled, params.values, {
      input: null,
      output: size,
      maxPixels: config.maxPixels,
    });
    const rendered = await trace.time("render", () =>
      pool.render(job, null, config.renderTimeoutMs),
    );
    trace.workerPid = rendered.workerPid;
    return { bytes: await trace.time("encode", () => encode(fromRgba(rendered), format)), format };
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
  return services.queue.run(request.cacheKey, async (withSlot) => {
    const trace = new RenderTrace();
    const image = await (request.graph.input
      ? renderInput(request, context, services, withSlot, trace)
      : renderGenerator(request, services, withSlot, trace));
    return { ...image, trace };
  });
}
