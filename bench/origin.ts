/**
 * `npm run bench:origin`: the origin's throughput, latency, output bytes and memory against ipx
 * (the sharp-based image server, same machine, same fixtures, same run), against the classic
 * architecture (one `gegl` process per request) and against sharp alone. Writes
 * bench/results/origin.json and prints a table. Not a test: figures depend on the machine.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { DEFAULT_INPUT_CACHE_TTL_MS } from "../origin/config.ts";
import { DEFAULT_QUALITY } from "../origin/steps/encode.ts";
import { parseServerTiming, RENDER_STEPS, type StepDurations } from "../shared/server-timing.ts";
import { FIXTURE_IMAGES_DIR, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { type LoadResult, type LoadRun, runLoad, summarise } from "./lib/load.ts";
import { PeakRssSampler, processTree } from "./lib/process-memory.ts";
import {
  GRID,
  stdDev,
  VARIANTS,
  WORKLOAD_PATHS,
  type WorkloadPath,
  width,
} from "./lib/workload-paths.ts";

const RESULTS = new URL("results/origin.json", import.meta.url);
const MB = 1024 * 1024;
// The sides take turns, so that load from elsewhere on the machine hits all of them.
const ROUNDS = 3;
const CONCURRENCIES = [1, 2];

interface Workload {
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

interface Baseline {
  id: "a" | "b";
  description: string;
  /** Requests per round and client. */
  requests: number;
  run: (index: number) => Promise<void>;
}

interface Measurement extends LoadResult {
  peakRssMb: number;
  /** Mean bytes of a response, for HTTP sides. */
  meanBytes?: number;
  /** Mean Server-Timing step durations, for the origin. */
  stepsMs?: StepDurations;
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

async function workloads(): Promise<Workload[]> {
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
        run: geglCli(GRID, "w1.jpg", (i) => [
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
        run: geglCli("mountains.png", "w2.png", (i) => [
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

interface Response200 {
  bytes: number;
  serverTiming: string | null;
}

/** GETs a URL; anything but a 200 stops the benchmark with the server's answer. */
async function getOk(url: URL): Promise<Response200> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(`${url}: ${response.status} ${body.toString().slice(0, 300)}`);
  }
  return { bytes: body.length, serverTiming: response.headers.get("server-timing") };
}

/** What the responses of one side were: their bytes and, from the origin, step durations. */
class ResponseStats {
  private count = 0;
  private bytes = 0;
  private readonly steps: Record<string, number> = {};

  add({ bytes, serverTiming }: Response200): void {
    this.count++;
    this.bytes += bytes;
    for (const entry of parseServerTiming(serverTiming ?? "")) {
      if (entry.durationMs !== null)
        this.steps[entry.name] = (this.steps[entry.name] ?? 0) + entry.durationMs;
    }
  }

  reset(): void {
    this.count = 0;
    this.bytes = 0;
    for (const step of Object.keys(this.steps)) delete this.steps[step];
  }

  summary(): { meanBytes: number; stepsMs?: StepDurations } {
    const stepsMs: StepDurations = {};
    for (const step of RENDER_STEPS) {
      const total = this.steps[step];
      if (total !== undefined) stepsMs[step] = total / this.count;
    }
    return {
      meanBytes: this.bytes / this.count,
      ...(Object.keys(stepsMs).length > 0 ? { stepsMs } : {}),
    };
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
  stats?: ResponseStats;
}

/** An HTTP side: GETs `path(index)` from `base`, its responses counted in `stats`. */
function httpSide(
  base: string,
  path: (index: number) => string,
  requests: number,
  pids: () => number[],
): Side {
  const stats = new ResponseStats();
  return {
    task: async (index) => stats.add(await getOk(new URL(path(index), base))),
    requests,
    pids,
    stats,
  };
}

/** Warms every side up, then alternates them for ROUNDS rounds; each side's runs are summed. */
async function compare(concurrency: number, sides: Side[]): Promise<Measurement[]> {
  for (const side of sides) {
    await runLoad(side.task, { concurrency, requests: concurrency * 2 });
    side.stats?.reset();
  }
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
    ...sides[i]?.stats?.summary(),
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

/** Starts ipx (bench/lib/ipx-server.ts) in its own process. */
async function startIpx(): Promise<{ url: string; pid: number; stop: () => void }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", new URL("lib/ipx-server.ts", import.meta.url).pathname],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(`${match[1]}/`);
    });
    child.once("exit", (code) => reject(new Error(`ipx exited with ${code}: ${text}`)));
  });
  return { url, pid: child.pid ?? 0, stop: () => child.kill() };
}

interface Target {
  workload: string;
  against: "ipx" | "a" | "b";
  ratio: number;
  concurrency?: number;
}

const TARGETS: Target[] = [
  { workload: "W1", against: "ipx", ratio: 1.1, concurrency: 2 },
  { workload: "W2", against: "ipx", ratio: 0.8, concurrency: 2 },
  { workload: "W3", against: "ipx", ratio: 1.2, concurrency: 2 },
  { workload: "W4", against: "ipx", ratio: 1.2, concurrency: 2 },
  { workload: "W5", against: "ipx", ratio: 1.0, concurrency: 2 },
  { workload: "W1", against: "a", ratio: 8 },
  { workload: "W2", against: "a", ratio: 2.5 },
  { workload: "W3", against: "b", ratio: 0.8 },
];
const RSS_TARGET_MB = 1536;
const RSS_CONCURRENT_REQUESTS = 32;

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

type Row = Record<string, unknown> & {
  workload: string;
  concurrency: number;
  perSecond: number;
  ipx?: Measurement;
  baseline?: Measurement & { id: string; description: string };
  ratioToIpx?: number;
  ratio?: number;
};

function ratioOf(row: Row, against: Target["against"]): number | undefined {
  if (against === "ipx") return row.ratioToIpx;
  return row.baseline?.id === against ? row.ratio : undefined;
}

async function main(): Promise<void> {
  const fixtures = await startFixtureServer();
  const origin: OriginProcess = await startOrigin({
    ALLOW_PRIVATE_INPUTS: "1",
    // Every input comes from the one fixture server: 32 concurrent renders need 32 downloads.
    MAX_DOWNLOADS_PER_HOST: String(RSS_CONCURRENT_REQUESTS),
    // The test harness turns the input cache off; the bench measures the default.
    INPUT_CACHE_TTL_MS: String(DEFAULT_INPUT_CACHE_TTL_MS),
  });
  const ipx = await startIpx();
  scratch = await mkdtemp(join(tmpdir(), "imgflo-bench-"));
  const originPids = () => processTree(origin.pid);
  const ipxPids = () => processTree(ipx.pid);
  // This process and what it spawned (gegl for baseline (a)), less the servers' processes.
  const baselinePids = () => {
    const excluded = new Set([...originPids(), ...ipxPids()]);
    return processTree(process.pid).filter((pid) => !excluded.has(pid));
  };
  const input = (name: string) => encodeURIComponent(fixtures.at(`images/${name}`));
  const only = process.env.BENCH_ONLY?.split(",");
  const gegl = hasGeglCli();
  const rows: Row[] = [];
  try {
    for (const workload of await workloads()) {
      if (only && !only.includes(workload.id)) continue;
      const baseline =
        workload.baseline && (workload.baseline.id === "b" || gegl) ? workload.baseline : undefined;
      for (const concurrency of CONCURRENCIES) {
        const sides: Side[] = [
          httpSide(origin.url, (i) => workload.path(i, input), workload.requests, originPids),
        ];
        if (workload.ipx) sides.push(httpSide(ipx.url, workload.ipx, workload.requests, ipxPids));
        if (baseline)
          sides.push({ task: baseline.run, requests: baseline.requests, pids: baselinePids });
        const [result, ...others] = (await compare(concurrency, sides)) as Measurement[];
        const ours = result as Measurement;
        const row: Row = {
          workload: workload.id,
          description: workload.description,
          ...ours,
          ...(workload.quality !== undefined ? { quality: workload.quality } : {}),
        };
        const ipxResult = workload.ipx ? others.shift() : undefined;
        if (ipxResult) {
          row.ipx = ipxResult;
          row.ratioToIpx = ours.perSecond / ipxResult.perSecond;
        }
        const base = others.shift();
        if (baseline && base) {
          row.baseline = { id: baseline.id, description: baseline.description, ...base };
          row.ratio = ours.perSecond / base.perSecond;
        }
        rows.push(row);
        console.error(
          `${workload.id} @${concurrency}: ${fixed(ours.perSecond)} renders/s` +
            (ipxResult ? `, ipx ${fixed(ipxResult.perSecond)}/s` : ""),
        );
      }
    }

    // Peak memory of the origin (its node process and GEGL workers) under 32 concurrent W2 renders.
    const sampler = new PeakRssSampler(originPids, 25);
    await Promise.all(
      Array.from({ length: RSS_CONCURRENT_REQUESTS }, (_, i) =>
        getOk(new URL(WORKLOAD_PATHS.W2(i + 20, input), origin.url)),
      ),
    );
    const peakRssMb = sampler.stop() / MB;

    const targets = TARGETS.flatMap((target) =>
      rows
        .filter(
          (row) =>
            row.workload === target.workload &&
            ratioOf(row, target.against) !== undefined &&
            (target.concurrency === undefined || row.concurrency === target.concurrency),
        )
        .map((row) => {
          const measured = ratioOf(row, target.against) as number;
          const against = target.against === "ipx" ? "ipx" : `baseline (${target.against})`;
          return {
            name: `${target.workload} >= ${target.ratio}x ${against} @${row.concurrency}`,
            measured,
            pass: measured >= target.ratio,
          };
        }),
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
        sharp: sharp.versions,
      },
      origin: {
        renderConcurrency: health.queue.concurrency,
        workers: health.workers.count,
        geglThreads: health.workers.geglThreads,
      },
      ipx: "ipx (sharp) in its own node process, fixture folder storage, quality q_N as the origin's default",
      notes: gegl ? [] : ["the gegl command-line tool is missing: baseline (a) not measured"],
      workloads: rows,
      peakRssUnder32ConcurrentW2Mb: peakRssMb,
      targets,
    };
    await mkdir(new URL(".", RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    printTable(rows, targets, report.origin);
  } finally {
    ipx.stop();
    await origin.stop();
    await fixtures.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

function formatTable(header: string[], lines: string[][]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => (line[i] as string).length)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, i) => cell.padStart(widths[i] as number)).join("  ");
  return [format(header), ...lines.map(format)];
}

const kb = (bytes: number | undefined) => (bytes === undefined ? "" : fixed(bytes / 1024, 1));

function printTable(
  rows: Row[],
  targets: { name: string; measured: number; pass: boolean }[],
  origin: { renderConcurrency: number; workers: number; geglThreads: number },
): void {
  const header = [
    "workload",
    "conc",
    "renders/s",
    "p50 ms",
    "p99 ms",
    "ipx r/s",
    "ipx p99",
    "vs ipx",
    "q",
    "KB",
    "ipx KB",
    "peak RSS MB",
    "base",
    "base r/s",
    "vs base",
  ];
  const lines = rows.map((row) => {
    const base = row.baseline;
    const ipx = row.ipx;
    return [
      row.workload,
      String(row.concurrency),
      fixed(row.perSecond),
      fixed(row.p50Ms as number, 0),
      fixed(row.p99Ms as number, 0),
      ipx ? fixed(ipx.perSecond) : "",
      ipx ? fixed(ipx.p99Ms, 0) : "",
      row.ratioToIpx !== undefined ? `${fixed(row.ratioToIpx, 2)}x` : "",
      row.quality !== undefined ? String(row.quality) : "",
      kb(row.meanBytes as number | undefined),
      kb(ipx?.meanBytes),
      fixed(row.peakRssMb as number, 0),
      base ? `(${base.id})` : "",
      base ? fixed(base.perSecond, 2) : "",
      row.ratio !== undefined ? `${fixed(row.ratio, 2)}x` : "",
    ];
  });
  console.log(
    `\norigin: ${origin.workers} GEGL workers x ${origin.geglThreads} GEGL threads, RENDER_CONCURRENCY ${origin.renderConcurrency}`,
  );
  console.log(
    "ipx = ipx 3 (sharp) on loopback at the same quality q; (a) = gegl CLI spawned per request, (b) = sharp in-process\n",
  );
  for (const line of formatTable(header, lines)) console.log(line);

  console.log("\nServer-Timing, mean ms per render:\n");
  const stepLines = rows.map((row) => [
    row.workload,
    String(row.concurrency),
    ...RENDER_STEPS.map((step) => {
      const ms = (row.stepsMs as StepDurations | undefined)?.[step];
      return ms === undefined ? "" : fixed(ms);
    }),
  ]);
  for (const line of formatTable(["workload", "conc", ...RENDER_STEPS], stepLines))
    console.log(line);

  console.log("\ntargets:");
  for (const target of targets) {
    console.log(`  ${target.pass ? "PASS" : "FAIL"}  ${target.name}: ${fixed(target.measured, 2)}`);
  }
  console.log(`\nwritten to ${RESULTS.pathname}`);
}

await main();
