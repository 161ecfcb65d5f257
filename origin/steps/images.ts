import { ofImage } from "../../shared/errors.ts";
import type { ValidatedParams } from "../../shared/parameters.ts";
import type { Deadline } from "../admission/deadline.ts";
import { IMAGE_BYTES_PER_PIXEL } from "../admission/memory-budget.ts";
import { detectFormat } from "../input/detect-format.ts";
import { fetchInput, type InputContext, type InputFetcher } from "../input/fetch-input.ts";
import type { WorkerImage } from "../worker/render-job.ts";
import { decodeToRgba, inspect, type SourceImage } from "./decode.ts";
import { checkDecodedSize } from "./resize.ts";

/** An image inport's image (contract §8), fetched and its header read. */
export interface InportImage {
  name: string;
  source: SourceImage;
}

/** One image inport's image, under the rules of `input`; every failure names the inport. */
async function fetchImage(
  name: string,
  url: string,
  context: InputContext,
  fetcher: InputFetcher,
  maxPixels: number,
): Promise<InportImage> {
  try {
    const bytes = await fetchInput(url, context, fetcher, name);
    const source = await inspect(bytes, detectFormat(bytes));
    // Refused before the render waits for memory, as an input too large to decode is.
    if (source.format !== "svg") checkDecodedSize(source.size, maxPixels);
    return { name, source };
  } catch (error) {
    throw ofImage(error, name);
  }
}

/**
 * The fetch step of the image inports: each image fetched in parallel (in the download pool, the
 * input cache, the address guard and limits of `input`), its type and size read.
 */
export function fetchImages(
  params: ValidatedParams,
  context: InputContext,
  fetcher: InputFetcher,
  maxPixels: number,
): Promise<InportImage[]> {
  return Promise.all(
    Object.entries(params.images).map(([name, url]) =>
      fetchImage(name, url, context, fetcher, maxPixels),
    ),
  );
}

/** What the image inports' images take in memory while the render runs (memory-budget.ts). */
export function imagesMemory(images: readonly InportImage[]): number {
  return images.reduce(
    (total, { source }) => total + source.size.width * source.size.height * IMAGE_BYTES_PER_PIXEL,
    0,
  );
}

/** The RGBA bytes each image decodes to, for its pixel file. */
export function imagesRgbaBytes(images: readonly InportImage[]): number[] {
  return images.map(({ source }) => source.size.width * source.size.height * 4);
}

/**
 * The decode step of the image inports: each at its own size (the graph sizes it), its first
 * frame when animated, into its pixel file when it has one.
 */
export async function decodeImages(
  images: readonly InportImage[],
  files: readonly string[] | undefined,
  maxPixels: number,
  deadline: Deadline,
): Promise<Record<string, WorkerImage>> {
  const decoded = await Promise.all(
    images.map(async ({ name, source }, i) => {
      try {
        const image = await decodeToRgba(source, source.size, { maxPixels }, deadline, files?.[i]);
        return [name, image] as const;
      } catch (error) {
        throw ofImage(error, name);
      }
    }),
  );
  return Object.fromEntries(decoded);
}
