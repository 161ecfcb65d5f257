/**
 * The workloads W1..W7 of `bench:origin`: each an origin request, the same work as an ipx URL
 * where ipx can do it, and for some a baseline of another architecture: (a) the classic one
 * `gegl` process per request, (b) sharp in this process.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { DEFAULT_QUALITY } from "../../origin/steps/encode.ts";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";
import {
  GRID,
  stdDev,
  VARIANTS,
  WORKLOAD_PATHS,
  type WorkloadPath,
  width,
} from "../lib/workload-paths.ts";

export interface Workload {
  id: string;
  description: string;
  path: WorkloadPath;
  /** Requests per round and client. */
  requests: number;
  /** The same work as an ipx URL path (modifiers/file). */
  ipx?: (index: number) => string;
  /** Each side's nominal quality, when the output is lossy (bytes are compared). */
  quality?: number;
  baseline?: Baseline;
}

export interface Baseline {
  id: "a" | "b";
  description: string;
  /** Requests per round and client. */
  requests: number;
  run: (index: number) => Promise<void>;
}

const fixturePath = (name: string) => join(FIXTURE_IMAGES_DIR, name);

/** Baseline (a): the classic architecture, a fresh `gegl` process (GEGL start-up included) per render. */
function geglCli(
  scratch: string,
  input: string,
  output: string,
  chain: (index: number) => string[],
): (index: number) => Promise<void> {
  return (index) =>
    new Promise((resolve, reject) => {
      const args = [
        fixturePath(input),
        "-o",
        join(scratch, `${index}-${output}`),
        "--",
        ...chain(index),
      ];
      const child = spawn("gegl", args, { stdio: ["ignore", "ignore", "ignore"] });
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`gegl exited with ${code}`)),
      );
    });
}

/** Baseline (b): sharp in this process, no HTTP, the same encoder settings as the origin. */
async function sharpInProcess(): Promise<(index: number) => Promise<void>> {
  const input = await readFile(fixturePath(GRID));
  return async (index) => {
    await sharp(input)
      .resize({ width: width(index) })
      .webp({ quality: DEFAULT_QUALITY.webp, effort: 2 })
      .toBuffer();
  };
}

/** A resize of grid-toastybob.jpg to `format`, on both sides at the origin's default quality. */
function resizeTo(
  id: "W3" | "W4" | "W5",
  format: "webp" | "jpeg" | "avif",
  requests: number,
): Workload {
  const extension = format === "jpeg" ? "jpg" : format;
  const quality = DEFAULT_QUALITY[format];
  return {
    id,
    description: `${GRID} → passthrough.${extension}?width=200..263 (resize only)`,
    path: WORKLOAD_PATHS[id],
    requests,
    ipx: (i) => `w_${width(i)},f_${format},q_${quality}/${GRID}`,
    quality,
  };
}

/** The workloads; `scratch` is a folder for baseline (a)'s output files. */
export async function workloads(scratch: string): Promise<Workload[]> {
  return [
    {
      id: "W1",
      description: `${GRID} → gaussianblur.jpg?width=200..263&std-dev-x=2&std-dev-y=2`,
      path: WORKLOAD_PATHS.W1,
      requests: 24,
      // sharp's blur(sigma) and GEGL's std-dev are both the Gaussian's standard deviation in px.
      ipx: (i) => `w_${width(i)},blur_2,f_jpeg,q_${DEFAULT_QUALITY.jpeg}/${GRID}`,
      quality: DEFAULT_QUALITY.jpeg,
      baseline: {
        id: "a",
        description: "gegl CLI per request: scale-size-keepaspect + gaussian-blur",
        requests: 2,
        run: geglCli(scratch, GRID, "w1.jpg", (i) => [
          "gegl:scale-size-keepaspect",
          `x=${width(i)}`,
          "y=-1",
          "gegl:gaussian-blur",
          "std-dev-x=2",
          "std-dev-y=2",
        ]),
      },
    },
    {
      id: "W2",
      description: "mountains.png → gaussianblur.png?std-dev-x=10..10.63&std-dev-y=… (full size)",
      path: WORKLOAD_PATHS.W2,
      requests: 4,
      ipx: (i) => `blur_${stdDev(i)},f_png/mountains.png`,
      baseline: {
        id: "a",
        description: "gegl CLI per request: gaussian-blur",
        requests: 2,
        run: geglCli(scratch, "mountains.png", "w2.png", (i) => [
          "gegl:gaussian-blur",
          `std-dev-x=${stdDev(i)}`,
          `std-dev-y=${stdDev(i)}`,
        ]),
      },
    },
    {
      ...resizeTo("W3", "webp", 24),
      baseline: {
        id: "b",
        description: "sharp in-process: resize + webp, no HTTP",
        requests: 24,
        run: await sharpInProcess(),
      },
    },
    resizeTo("W4", "jpeg", 24),
    resizeTo("W5", "avif", 12),
    {
      id: "W6",
      description: `${GRID} → gradientmap.webp?opacity=0.5..0.99 (full size)`,
      path: WORKLOAD_PATHS.W6,
      requests: 4,
    },
    {
      id: "W7",
      description: "time.gif (animated) → passthrough.gif?width=100..163",
      path: WORKLOAD_PATHS.W7,
      requests: 4,
      ipx: (i) => `w_${100 + (i % VARIANTS)},f_gif/time.gif`,
    },
  ];
}
