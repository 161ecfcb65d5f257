import { ofImage } from "../../shared/errors.ts";
import type { ValidatedParams } from "../../shared/parameters.ts";
import type { Deadline } from "../admission/deadline.ts";
import { IMAGE_BYTES_PER_PIXEL } from "../admission/memory-budget.ts";
import { detectFormat } from "../input/detect-format.ts";
import { fetchInput, type InputContext, type InputFetcher } from "../input/fetch-input.ts";
import type { WorkerImage } from "../worker/render-job.ts";
import { decodeToRgba, inspect, type SourceImage } from "./decode.ts";
import { checkDecodedSize, type Size } from "./resize.ts";

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

/** Shrink factors an image is decoded at (JPEG's and WebP's shrink-on-load), largest first. */
const SHRINK_FACTORS = [8, 4, 2];

/**
 * The size an image is decoded at: its own, or a half, a quarter or an eighth of it when the
 * graph draws it no larger than that (`drawn`, compile/drawn-size.ts), so that a watermark
 * placed small is not decoded whole; the graph scales it the rest of the way.
 */
export function decodeSize(own: Size, drawn: Size | null): Size {
  const factor = SHRINK_FACTORS.find(
    (k) =>
      drawn !== null &&
      Math.floor(own.width / k) >= drawn.width &&
      Math.floor(own.height / k) >= drawn.height,
  );
  return factor
    ? { width: Math.floor(own.width / factor), height: Math.floor(own.height / factor) }
    : own;
}

/**
 * The decode step of the image inports: each at the size `drawn` allows (decodeSize), its first
 * frame when animated, into its pixel file when it has one.
 */
export async function decodeImages(
  images: readonly InportImage[],
  files: readonly string[] | undefined,
  { maxPixels, drawn }: { maxPixels: number; drawn: (image: InportImage) => Size | null },
  deadline: Deadline,
): Promise<Record<string, WorkerImage>> {
  const decoded = await Promise.all(
    images.map(async (inport, i) => {
      const { name, source } = inport;
      try {
        const size = source.format === "svg" ? source.size : decodeSize(source.size, drawn(inport));
        const image = await decodeToRgba(source, size, { maxPixels }, deadline, files?.[i]);
        return [name, image] as const;
      } catch (error) {
        throw ofImage(error, name);
      }
    }),
  );
  return Object.fromEntries(decoded);
}
