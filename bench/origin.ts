/**
 * `npm run bench:origin`: the origin's throughput, latency and memory against the classic
 * architecture (one `gegl` process per request) and against sharp alone. Writes
 * bench/results/origin.json and prints a table. Not a test: figures depend on the machine.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { FIXTURE_IMAGES_DIR, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { type LoadResult, type LoadRun, runLoad, summarise } from "./lib/load.ts";
import { PeakRssSampler, processTree } from "./lib/process-memory.ts";

const RESULTS = new URL("results/origin.json", import.meta.url);
// Parameters vary over 64 values so that no two requests in flight share a render.
const VARIANTS = 64;
const MB = 1024 * 1024;
// The origin and its baseline take turns, so that load from elsewhere on the machine hits both.
const ROUNDS = 3;

interface Workload {
  id: string;
  description: string;
  path: (index: number, input: (name: string) => string) => string;
  /** Requests per round and client. */
  requests: number;
  baseline?: Baseline;
}

interface Baseline {
  id: "a" | "b";
  description: string;
  /** Requests per round and client. */
  requests: number;
  run: (index: number) => Promise<void>;
}

interface Measurement extends LoadResult {
  peakRssMb: number;
}

const fixturePath = (name: string) => join(FIXTURE_IMAGES_DIR, name);

let scratch = "";

/** Baseline (a): the classic architecture, a fresh `gegl` process (GEGL start-up included) per render. */
function geglCli(
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
  const input = await readFile(fixturePath("grid-toastybob.jpg"));
  return async (index) => {
    await sharp(input)
      .resize({ width: 200 + (index % VARIANTS) })
      .webp({ quality: 80, effort: 4 })
      .toBuffer();
  };
}

const std = (index: number) => (10 + (index % VARIANTS) / 100).toFixed(2);

async function workloads(): Promise<Workload[]> {
  return [
    {
      id: "W1",
      description: "grid-toastybob.jpg → gaussianblur.jpg?width=300&std-dev-x=2&std-dev-y=2",
      path: (i, input) =>
        `graph/gaussianblur.jpg?input=${input("grid-toastybob.jpg")}&width=${300 + (i % VARIANTS)}&std-dev-x=2&std-dev-y=2`,
      requests: 24,
      baseline: {
        id: "a",
        description: "gegl CLI per request: scale-size-keepaspect + gaussian-blur",
        requests: 2,
        run: geglCli("grid-toastybob.jpg", "w1.jpg", (i) => [
          "gegl:scale-size-keepaspect",
          `x=${300 + (i % VARIANTS)}`,
          "y=-1",
          "gegl:gaussian-blur",
          "std-dev-x=2",
          "std-dev-y=2",
        ]),
      },
    },
    {
      id: "W1g",
      description: "grid-toastybob.jpg → gradientmap.jpg?width=300",
      path: (i, input) =>
        `graph/gradientmap.jpg?input=${input("grid-toastybob.jpg")}&width=${300 + (i % VARIANTS)}`,
      requests: 24,
    },
    {
      id: "W2",
      description: "mountains.png → gaussianblur.png?std-dev-x=10&std-dev-y=10 (full size)",
      path: (i, input) =>
        `graph/gaussianblur.png?input=${input("mountains.png")}&std-dev-x=${std(i)}&std-dev-y=${std(i)}`,
      requests: 4,
      baseline: {
        id: "a",
        description: "gegl CLI per request: gaussian-blur",
        requests: 2,
        run: geglCli("mountains.png", "w2.png", (i) => [
          "gegl:gaussian-blur",
          `std-dev-x=${std(i)}`,
          `std-dev-y=${std(i)}`,
        ]),
      },
    },
    {
      id: "W3",
      description: "grid-toastybob.jpg → passthrough.webp?width=200 (resize only)",
      path: (i, input) =>
        `graph/passthrough.webp?input=${input("grid-toastybob.jpg")}&width=${200 + (i % VARIANTS)}`,
      requests: 80,
      baseline: {
        id: "b",
        description: "sharp in-process: resize + webp, no HTTP",
        requests: 80,
        run: await sharpInProcess(),
      },
    },
  ];
}

/** GETs a render; anything but a 200 stops the benchmark with the origin's answer. */
async function renderOnce(origin: OriginProcess, path: string): Promise<void> {
  const response = await origin.get(path);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(`${path}: ${response.status} ${body.toString().slice(0, 300)}`);
  }
}

/** Samples peak memory while a load runs. */
async function sampled(
  run: () => Promise<LoadRun>,
  pids: () => number[],
): Promise<{ run: LoadRun; peakRss: number }> {
  const sampler = new PeakRssSampler(pids);
  const result = await run();
  return { run: result, peakRss: sampler.stop() };
}

interface Side {
  task: (index: number) => Promise<void>;
  requests: number;
  pids: () => number[];
}

/** Warms both sides up, then alternates them for ROUNDS rounds; each side's runs are summed. */
async function compare(concurrency: number, sides: Side[]): Promise<Measurement[]> {
  for (const side of sides) await runLoad(side.task, { concurrency, requests: concurrency * 2 });
  const runs = sides.map(() => [] as LoadRun[]);
  const peaks = sides.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of sides.entries()) {
      const requests = side.requests * concurrency;
      const { run, peakRss } = await sampled(
        () => runLoad(side.task, { concurrency, requests, first: round * requests }),
        side.pids,
      );
      runs[i]?.push(run);
      peaks[i] = Math.max(peaks[i] as number, peakRss);
    }
  }
  return runs.map((sideRuns, i) => ({
    ...summarise(sideRuns),
    peakRssMb: (peaks[i] as number) / MB,
  }));
}

function hasGeglCli(): boolean {
  try {
    execFileSync("gegl", ["--exists", "gegl:gaussian-blur"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const TARGETS: { workload: string; baseline: "a" | "b"; ratio: number }[] = [
  { workload: "W1", baseline: "a", ratio: 8 },
  { workload: "W2", baseline: "a", ratio: 2.5 },
  { workload: "W3", baseline: "b", ratio: 0.8 },
];
const RSS_TARGET_MB = 1536;
const RSS_CONCURRENT_REQUESTS = 32;

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

async function main(): Promise<void> {
  const fixtures = await startFixtureServer();
  const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
  scratch = await mkdtemp(join(tmpdir(), "imgflo-bench-"));
  const originPids = () => processTree(origin.pid);
  // This process and what it spawned (gegl for baseline (a)), less the origin's processes.
  const baselinePids = () => {
    const excluded = new Set(originPids());
    return processTree(process.pid).filter((pid) => !excluded.has(pid));
  };
  const input = (name: string) => encodeURIComponent(fixtures.at(`images/${name}`));
  const concurrencies = [1, (await origin.healthz()).queue.concurrency];
  const gegl = hasGeglCli();
  const rows: Record<string, unknown>[] = [];
  try {
    for (const workload of await workloads()) {
      const request = (index: number) => renderOnce(origin, workload.path(index, input));
      const baseline =
        workload.baseline && (workload.baseline.id === "b" || gegl) ? workload.baseline : undefined;
      for (const concurrency of concurrencies) {
        const sides: Side[] = [{ task: request, requests: workload.requests, pids: originPids }];
        if (baseline)
          sides.push({ task: baseline.run, requests: baseline.requests, pids: baselinePids });
        const [result, base] = (await compare(concurrency, sides)) as [Measurement, Measurement?];
        const row: Record<string, unknown> = {
          workload: workload.id,
          description: workload.description,
          ...result,
        };
        if (baseline && base) {
          row.baseline = { id: baseline.id, description: baseline.description, ...base };
          row.ratio = result.perSecond / base.perSecond;
        }
        rows.push(row);
        console.error(`${workload.id} @${concurrency}: ${fixed(result.perSecond)} renders/s`);
      }
    }

    // Peak memory of the origin (its node process and GEGL workers) under 32 concurrent W2 renders.
    const sampler = new PeakRssSampler(originPids, 25);
    await Promise.all(
      Array.from({ length: RSS_CONCURRENT_REQUESTS }, (_, i) =>
        renderOnce(
          origin,
          `graph/gaussianblur.png?input=${input("mountains.png")}&std-dev-x=${std(i + 20)}&std-dev-y=${std(i + 20)}`,
        ),
      ),
    );
    const peakRssMb = sampler.stop() / MB;

    const targets = TARGETS.flatMap((target) =>
      rows
        .filter((row) => row.workload === target.workload && typeof row.ratio === "number")
        .map((row) => ({
          name: `${target.workload} >= ${target.ratio}x baseline (${target.baseline}) @${row.concurrency}`,
          measured: row.ratio as number,
          pass: (row.ratio as number) >= target.ratio,
        })),
    );
    targets.push({
      name: `peak RSS under ${RSS_CONCURRENT_REQUESTS} concurrent W2 < ${RSS_TARGET_MB} MB`,
      measured: peakRssMb,
      pass: peakRssMb < RSS_TARGET_MB,
    });

    const health = await origin.healthz();
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpus: availableParallelism(),
        model: cpus()[0]?.model,
        memoryMb: Math.round(totalmem() / MB),
        node: process.versions.node,
      },
      origin: {
        renderConcurrency: health.queue.concurrency,
        workers: health.workers.count,
        geglThreads: health.workers.geglThreads,
      },
      notes: gegl ? [] : ["the gegl command-line tool is missing: baseline (a) not measured"],
      workloads: rows,
      peakRssUnder32ConcurrentW2Mb: peakRssMb,
      targets,
    };
    await mkdir(new URL(".", RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    printTable(rows, targets, report.origin);
  } finally {
    await origin.stop();
    await fixtures.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

function printTable(
  rows: Record<string, unknown>[],
  targets: { name: string; measured: number; pass: boolean }[],
  origin: { renderConcurrency: number; workers: number; geglThreads: number },
): void {
  const header = [
    "workload",
    "conc",
    "renders/s",
    "p50 ms",
    "p99 ms",
    "peak RSS MB",
    "baseline",
    "base r/s",
    "base p50",
    "ratio",
  ];
  const lines = rows.map((row) => {
    const base = row.baseline as (Measurement & { id: string }) | undefined;
    return [
      row.workload,
      row.concurrency,
      fixed(row.perSecond as number),
      fixed(row.p50Ms as number, 0),
      fixed(row.p99Ms as number, 0),
      fixed(row.peakRssMb as number, 0),
      base ? `(${base.id})` : "",
      base ? fixed(base.perSecond, 2) : "",
      base ? fixed(base.p50Ms, 0) : "",
      typeof row.ratio === "number" ? `${fixed(row.ratio, 2)}x` : "",
    ].map(String);
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => (line[i] as string).length)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, i) => cell.padStart(widths[i] as number)).join("  ");
  console.log(
    `\norigin: ${origin.workers} GEGL workers x ${origin.geglThreads} GEGL threads, RENDER_CONCURRENCY ${origin.renderConcurrency}`,
  );
  console.log("(a) = gegl CLI spawned per request, (b) = sharp in-process\n");
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log("\ntargets:");
  for (const target of targets) {
    console.log(`  ${target.pass ? "PASS" : "FAIL"}  ${target.name}: ${fixed(target.measured, 2)}`);
  }
  console.log(`\nwritten to ${RESULTS.pathname}`);
}

await main();
