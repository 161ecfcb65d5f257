import { isAnimatedFormat, type OutputFormat, outputFormatFor } from "../shared/formats.ts";
import type { RenderRequest } from "../shared/render-request.ts";
import type { Deadline } from "./admission/deadline.ts";
import {
  DECODED_BYTES_PER_PIXEL,
  GEGL_RENDER_BYTES_PER_PIXEL,
  TRANSCODE_BYTES_PER_PIXEL,
} from "./admission/memory-budget.ts";
import type { RenderQueue, WithSlot } from "./admission/render-queue.ts";
import { drawnSize } from "./compile/drawn-size.ts";
import type { CompiledGraph } from "./compile/graph-compiler.ts";
import { type InputRegion, inputRegion, resultRegion } from "./compile/input-region.ts";
import type { Rectangle } from "./compile/region-rules.ts";
import type { OriginConfig } from "./config.ts";
import { detectFormat } from "./input/detect-format.ts";
import { fetchInput, type InputContext, type InputFetcher } from "./input/fetch-input.ts";
import { RenderTrace } from "./render-trace.ts";
import {
  decodeFailure,
  decodeToRgba,
  inspect,
  openImage,
  type SourceImage,
} from "./steps/decode.ts";
import { type EncodeOptions, encode } from "./steps/encode.ts";
import { type GraphSource, runGraph } from "./steps/graph.ts";
import {
  decodeImages,
  fetchImages,
  type InportImage,
  imagesMemory,
  imagesRgbaBytes,
} from "./steps/images.ts";
import { withInputMetadata } from "./steps/metadata.ts";
import { fromRendered, placeAfterGraph } from "./steps/place.ts";
import {
  checkPixelLimit,
  type GeometryPlan,
  generatorSize,
  planGeometry,
  type Size,
  wholeGeometry,
} from "./steps/resize.ts";
import { resultTraits } from "./steps/result-traits.ts";
import type { GeglPool } from "./worker/gegl-pool.ts";
import { type PixelFiles, withPixelFiles } from "./worker/pixel-files.ts";
import type { RenderedPixels, WorkerImage } from "./worker/render-job.ts";

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
  fetcher: InputFetcher;
  pool: GeglPool;
  /** Where renders' pixels go to and from the workers; null: through the pipes. */
  pixelFiles: PixelFiles | null;
  queue: RenderQueue<RenderedImage>;
}

/**
 * Images from this size up are worth more than one thread: below it the threads' hand-offs cost
 * about what they save, and on shared cores a thread that is not scheduled holds the render up.
 */
const PARALLEL_RENDER_PIXELS = 1_000_000;

/**
 * What bounds a graph's run on an image of `pixels`: the pixel limit, the deadline, the file its
 * result goes to, and GEGL's threads: every core for a large render that has the origin to
 * itself, else the worker's share.
 */
function graphLimits(
  services: RenderServices,
  pixels: number,
  deadline: Deadline,
  outputFile: string | undefined,
) {
  const { config, queue } = services;
  const lone = pixels >= PARALLEL_RENDER_PIXELS && queue.alone();
  const threads = lone ? config.loneRenderThreads : config.geglThreads;
  const { maxPixels, operationSwaps } = config;
  return { maxPixels, operationSwaps, deadline, threads, outputFile };
}

/** Animated GIF/WebP in, animated GIF/WebP out: every frame is decoded, resized and encoded. */
function keepsFrames(source: SourceImage, format: OutputFormat): boolean {
  return source.animated && isAnimatedFormat(format);
}

/**
 * Graphs that only pass the image through need no GEGL: one sharp pipeline, frames kept. So do
 * graphs whose result is a region of it (resultRegion), cut from its first frame as the graph
 * would.
 */
async function transcodeStep(
  source: SourceImage,
  plan: GeometryPlan,
  format: OutputFormat,
  region: Rectangle | null,
  {
    maxPixels,
    options,
    deadline,
  }: { maxPixels: number; options: EncodeOptions; deadline: Deadline },
) {
  const animated = region === null && keepsFrames(source, format);
  const { size, resize } = wholeGeometry(plan, format, animated);
  try {
    const image = openImage(source, size, { maxPixels, animated, resize, region });
    return await encode(image, format, options, deadline, size.width * size.height);
  } catch (error) {
    throw decodeFailure(source.format, error);
  }
}

/** The graph step, timed as the render, under the render's deadline. */
async function graphRun(
  compiled: CompiledGraph,
  values: Record<string, string>,
  source: GraphSource,
  images: Record<string, WorkerImage>,
  services: RenderServices,
  run: { deadline: Deadline; outputFile: string | undefined; trace: RenderTrace },
): Promise<RenderedPixels> {
  const { deadline, outputFile, trace } = run;
  const size = "input" in source ? source.input : source.output;
  const limits = graphLimits(services, size.width * size.height, deadline, outputFile);
  const rendered = await trace.time("render", () =>
    runGraph(compiled, values, source, images, services.pool, limits),
  );
  trace.workerPid = rendered.workerPid;
  return rendered;
}

/** Where a decoded region stands in the image, and the image's extent when the graph needs it. */
const regionSource = (region: InputRegion, size: Size) => ({
  place: { x: region.x, y: region.y },
  ...(region.wholeExtent ? { extent: { width: size.width, height: size.height } } : {}),
});

/** What the GEGL path of one request works from, once the input is read and the plan made. */
interface GraphWork {
  params: RenderRequest["params"];
  compiled: CompiledGraph;
  source: SourceImage;
  images: InportImage[];
  plan: GeometryPlan;
  format: OutputFormat;
  sampling: "point" | "area";
}

/** decode → graph → place (→ metadata) → encode, inside the render's slot and deadline. */
function graphStep(
  { params, compiled, source, images, plan, format, sampling }: GraphWork,
  services: RenderServices,
  deadline: Deadline,
  trace: RenderTrace,
): Promise<EncodedImage> {
  const { config } = services;
  // The result's size is the graph's to decide: about the input's, as a rule.
  const rgbaBytes = plan.size.width * plan.size.height * 4;
  const sizes = {
    inputBytes: rgbaBytes,
    outputBytes: rgbaBytes,
    imageBytes: imagesRgbaBytes(images),
  };
  // libvips' affine (point sampling) comes after its extract: such inputs are decoded whole.
  const region = sampling === "area" ? inputRegion(compiled, params.values, plan.size) : null;
  return withPixelFiles(services.pixelFiles, sizes, async (files) => {
    const [decoded, decodedImages] = await trace.time("decode", () =>
      Promise.all([
        decodeToRgba(
          source,
          plan.size,
          { maxPixels: config.maxPixels, resize: plan.before, sampling, region },
          deadline,
          files?.input,
        ),
        decodeImages(
          images,
          files?.images,
          {
            maxPixels: config.maxPixels,
            drawn: ({ name, source: { size } }) =>
              region ? null : drawnSize(compiled, params.values, name, size, plan.size),
          },
          deadline,
        ),
      ]),
    );
    trace.decodedPixels = decoded.width * decoded.height;
    const imagePixels = Object.values(decodedImages).map(({ width, height }) => width * height);
    if (imagePixels.length > 0) trace.decodedImagePixels = imagePixels.reduce((a, b) => a + b);
    const run = { deadline, outputFile: files?.output, trace };
    const rendered = await graphRun(
      compiled,
      params.values,
      { input: decoded, ...(region ? regionSource(region, plan.size) : {}) },
      decodedImages,
      services,
      run,
    );
    const placed = placeAfterGraph(rendered, plan, format);
    const result =
      params.options.metadata === "keep"
        ? await withInputMetadata(placed, source, config.maxPixels)
        : placed;
    return {
      bytes: await trace.time("encode", () =>
        encode(result, format, params.options, deadline, rendered.width * rendered.height),
      ),
      format,
    };
  });
}

async function renderInput(
  { graph, params, output }: RenderRequest,
  compiled: CompiledGraph,
  context: InputContext,
  services: RenderServices,
  withSlot: WithSlot,
  trace: RenderTrace,
): Promise<EncodedImage> {
  const { config } = services;
  // The input and the image inports' images download at once.
  const [bytes, images] = await trace.time("fetch", () =>
    Promise.all([
      fetchInput(params.input as string, context, services.fetcher),
      fetchImages(params, context, services.fetcher, config.maxPixels),
    ]),
  );
  trace.inputBytes = bytes.length;
  const inputFormat = detectFormat(bytes);
  const source = await trace.time("decode", () => inspect(bytes, inputFormat));
  const plan = planGeometry(source.size, params.width, params.height, params.options);
  const traits = resultTraits(source, plan, compiled.identity);
  const format = outputFormatFor(output, inputFormat, traits);
  const resizing = params.width !== null || params.height !== null;
  const untouched = graph.outputsInputBytes && format === inputFormat && !resizing;
  // Every frame of an animated output counts: 8 frames of 4096x4096 are 134 Mpx.
  const frames =
    untouched || (compiled.identity && keepsFrames(source, format)) ? source.frames : 1;
  const pixels = { ...plan.output, height: plan.output.height * frames };
  checkPixelLimit(pixels, config.maxPixels, "requested output");
  if (untouched) return { bytes, format };
  const sampling = graph.pointSampledResize ? "point" : "area";
  // libvips' affine (point sampling) and contain's letterbox come after the cut: the graph runs.
  const cut =
    sampling === "area" && plan.after === null
      ? resultRegion(compiled, params.values, plan.size)
      : null;
  const transcoded = compiled.identity || cut !== null;
  const bytesPerPixel = transcoded ? TRANSCODE_BYTES_PER_PIXEL : GEGL_RENDER_BYTES_PER_PIXEL;
  // Point sampling holds the whole decoded input (libvips' affine reads it at random).
  const decodedBytes =
    sampling === "point" ? source.size.width * source.size.height * DECODED_BYTES_PER_PIXEL : 0;
  const queued = trace.since("queue");
  const admitted =
    pixels.width * pixels.height * bytesPerPixel + decodedBytes + imagesMemory(images);
  return withSlot(admitted, async (deadline) => {
    queued();
    if (transcoded) {
      if (cut) trace.decodedPixels = cut.width * cut.height;
      // One sharp pipeline decodes and encodes: timed as the encode it mostly is.
      const { maxPixels } = config;
      const encoded = await trace.time("encode", () =>
        transcodeStep(source, plan, format, cut, { maxPixels, options: params.options, deadline }),
      );
      return { bytes: encoded, format };
    }
    return graphStep(
      { params, compiled, source, images, plan, format, sampling },
      services,
      deadline,
      trace,
    );
  });
}

async function renderGenerator(
  { params, output }: RenderRequest,
  compiled: CompiledGraph,
  context: InputContext,
  services: RenderServices,
  withSlot: WithSlot,
  trace: RenderTrace,
): Promise<EncodedImage> {
  const { config } = services;
  const size = generatorSize(params.width, params.height);
  checkPixelLimit(size, config.maxPixels, "requested output");
  const images = await trace.time("fetch", () =>
    fetchImages(params, context, services.fetcher, config.maxPixels),
  );
  const queued = trace.since("queue");
  const admitted = size.width * size.height * GEGL_RENDER_BYTES_PER_PIXEL + imagesMemory(images);
  return withSlot(admitted, async (deadline) => {
    queued();
    const outputBytes = size.width * size.height * 4;
    const sizes = { inputBytes: 0, outputBytes, imageBytes: imagesRgbaBytes(images) };
    return withPixelFiles(services.pixelFiles, sizes, async (files) => {
      const decodedImages = await trace.time("decode", () =>
        decodeImages(
          images,
          files?.images,
          { maxPixels: config.maxPixels, drawn: () => null },
          deadline,
        ),
      );
      const run = { deadline, outputFile: files?.output, trace };
      const rendered = await graphRun(
        compiled,
        params.values,
        { output: size },
        decodedImages,
        services,
        run,
      );
      const format = outputFormatFor(output, null, {
        animated: false,
        hasAlpha: rendered.channels === 4,
      });
      return {
        bytes: await trace.time("encode", () =>
          encode(
            fromRendered(rendered),
            format,
            params.options,
            deadline,
            rendered.width * rendered.height,
          ),
        ),
        format,
      };
    });
  });
}

/**
 * The render path: fetch the input and the image inports' images at once (in the download pool)
 * → detect their types → plan the geometry and check the pixel limit → decode at the target size
 * (the image inports' images at their own) → run the graph in a GEGL worker → place the result
 * (fit) → encode, every step after the fetch under the render's deadline and memory admission,
 * which counts every image. Identical requests in flight share one run.
 */
export function render(
  request: RenderRequest,
  compiled: CompiledGraph,
  context: InputContext,
  services: RenderServices,
): Promise<RenderedImage> {
  return services.queue.run(request.cacheKey, async (withSlot) => {
    const trace = new RenderTrace();
    const image = await (request.graph.input
      ? renderInput(request, compiled, context, services, withSlot, trace)
      : renderGenerator(request, compiled, context, services, withSlot, trace));
    return { ...image, trace };
  });
}
