/**
 * `npm run bench:watermark`: the `watermark` graph through a real origin against sharp's
 * `composite` doing the same work (fetch both images over HTTP, resize the input, scale the
 * overlay to a quarter of its width, 0.8 opacity, south-east with a 16 px margin, JPEG at the
 * origin's default quality) in a small HTTP server of the bench's own, same machine, same run.
 * ipx has no overlay. The sides take turns in ROUNDS rounds; widths vary over VARIANTS values so
 * that no two requests in flight share a render. Writes bench/results/watermark.json.
 */
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import sharp from "sharp";
import { DEFAULT_QUALITY } from "../origin/steps/encode.ts";
import { startFixtureServer } from "../test/harness/fixture-server.ts";
import { startOrigin } from "../test/harness/origin.ts";
import { type LoadResult, type LoadRun, runLoad, summarise } from "./lib/load.ts";
import { benchMachine } from "./lib/machine.ts";
import { GRID, VARIANTS, width } from "./lib/workload-paths.ts";

const RESULTS = new URL("results/watermark.json", import.meta.url);
const ROUNDS = 3;
const CONCURRENCY = [1, 2];
const REQUESTS = 24;
const OVERLAY = "gridbear.jpg";
const [SCALE, OPACITY, MARGIN] = [0.25, 0.8, 16];

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The baseline: what a sharp image server does for `?input=&overlay=&width=`. */
async function sharpWatermark(query: URLSearchParams): Promise<Buffer> {
  const [input, overlay] = await Promise.all([
    download(query.get("input") as string),
    download(query.get("overlay") as string),
  ]);
  const size = Number(query.get("width"));
  const base = await sharp(input).resize(size).toBuffer({ resolveWithObject: true });
  // sharp applies ensureAlpha after linear: the alpha band is added in a pipeline of its own.
  const opaque = await sharp(overlay)
    .resize(Math.round(size * SCALE))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width: markWidth, height: markHeight } = opaque.info;
  const mark = await sharp(opaque.data, {
    raw: { width: markWidth, height: markHeight, channels: 4 },
  })
    .linear([1, 1, 1, OPACITY], [0, 0, 0, 0])
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(base.data)
    .composite([
      {
        input: mark.data,
        raw: { width: markWidth, height: markHeight, channels: 4 },
        left: base.info.width - mark.info.width - MARGIN,
        top: base.info.height - mark.info.height - MARGIN,
      },
    ])
    .jpeg({ quality: DEFAULT_QUALITY.jpeg })
    .toBuffer();
}

async function startSharpServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    sharpWatermark(new URL(request.url ?? "/", "http://bench.invalid").searchParams).then(
      (bytes) => response.writeHead(200, { "content-type": "image/jpeg" }).end(bytes),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** A task that GETs a URL and reads it whole; anything but 200 fails the run. */
const fetching = (url: (index: number) => string) => async (index: number) => {
  const response = await fetch(url(index));
  const bytes = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url(index)}: ${response.status}`);
  if (bytes.byteLength === 0) throw new Error(`${url(index)}: empty`);
};

async function main(): Promise<void> {
  const fixtures = await startFixtureServer();
  const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1", INPUT_CACHE_TTL_MS: "5000" });
  const baseline = await startSharpServer();
  const input = encodeURIComponent(fixtures.at(`images/${GRID}`));
  const overlay = encodeURIComponent(fixtures.at(`images/${OVERLAY}`));
  const query = (i: number) => `input=${input}&overlay=${overlay}&width=${width(i)}`;
  const sides = {
    origin: fetching(
      (i) =>
        `${origin.url}graph/watermark.jpg?${query(i)}&scale=${SCALE}&opacity=${OPACITY}&margin=${MARGIN}`,
    ),
    sharp: fetching((i) => `${baseline.url}?${query(i)}`),
  };
  const rows: { concurrency: number; origin: LoadResult; sharp: LoadResult; ratio: number }[] = [];
  try {
    for (const concurrency of CONCURRENCY) {
      const runs: Record<keyof typeof sides, LoadRun[]> = { origin: [], sharp: [] };
      for (const task of Object.values(sides)) await runLoad(task, { concurrency, requests: 4 });
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, task] of Object.entries(sides) as [
          keyof typeof sides,
          typeof sides.origin,
        ][]) {
          const first = (round * REQUESTS) % VARIANTS;
          runs[name].push(await runLoad(task, { concurrency, requests: REQUESTS, first }));
        }
      }
      const [ours, theirs] = [summarise(runs.origin), summarise(runs.sharp)];
      rows.push({
        concurrency,
        origin: ours,
        sharp: theirs,
        ratio: ours.perSecond / theirs.perSecond,
      });
    }
  } finally {
    baseline.server.close();
    await origin.stop();
    await fixtures.close();
  }
  const result = {
    date: new Date().toISOString(),
    machine: benchMachine(),
    sharp: sharp.versions,
    workload: `watermark: ${GRID} → ${width(0)}..${width(VARIANTS - 1)} px JPEG, ${OVERLAY} at ${SCALE} of the width, opacity ${OPACITY}, margin ${MARGIN}, south-east`,
    rows,
  };
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(result.workload);
  console.log("| conc | origin r/s | p99 ms | sharp composite r/s | p99 ms | vs sharp |");
  console.log("|---|---|---|---|---|---|");
  for (const row of rows) {
    console.log(
      `| ${row.concurrency} | ${row.origin.perSecond.toFixed(1)} | ${row.origin.p99Ms.toFixed(0)} | ${row.sharp.perSecond.toFixed(1)} | ${row.sharp.p99Ms.toFixed(0)} | ${row.ratio.toFixed(2)}× |`,
    );
  }
}

await main();
