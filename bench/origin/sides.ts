/**
 * The load driver of `bench:origin`: the sides of a comparison (an HTTP server or a function),
 * run in turns so that load from elsewhere on the machine falls on all of them, each measured
 * for throughput, latency, peak RSS, CPU time per request and, over HTTP, bytes and Server-Timing.
 */
import { type LoadResult, type LoadRun, runLoad, summarise } from "../lib/load.ts";
import { cpuMs, PeakRssSampler } from "../lib/process-memory.ts";
import { ResponseStats, type ResponseSummary } from "./response-stats.ts";

const MB = 1024 * 1024;

export interface Measurement extends LoadResult, Partial<ResponseSummary> {
  peakRssMb: number;
  /** CPU time (user + system, every thread) of the side's processes per request. */
  cpuMsPerRequest?: number;
}

export interface Side {
  task: (index: number) => Promise<void>;
  /** Requests per round and client. */
  requests: number;
  /** The processes doing the side's work, sampled for RSS (and CPU, when `cpu`). */
  pids: () => number[];
  /** The side's processes outlive its requests, so their CPU time is the side's. */
  cpu?: boolean;
  stats?: ResponseStats;
}

export interface Response200 {
  bytes: number;
  serverTiming: string | null;
}

/** GETs a URL; anything but a 200 throws with the server's answer. */
export async function getOk(url: URL): Promise<Response200> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(`${url}: ${response.status} ${body.toString().slice(0, 300)}`);
  }
  return { bytes: body.length, serverTiming: response.headers.get("server-timing") };
}

/** An HTTP side: GETs `path(index)` from `base`, its responses counted in `stats`. */
export function httpSide(
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
    cpu: true,
    stats,
  };
}

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

interface RoundResult {
  run: LoadRun;
  peakRss: number;
  cpuMs: number;
}

/** One run of a side, its peak memory sampled and its processes' CPU time counted. */
async function measuredRun(
  side: Side,
  options: { concurrency: number; requests: number; first: number },
): Promise<RoundResult> {
  const before = new Map(side.pids().map((pid) => [pid, cpuMs(pid)]));
  const sampler = new PeakRssSampler(side.pids);
  const run = await runLoad(side.task, options);
  const peakRss = sampler.stop();
  // Processes started during the run count from 0; those that ended are lost (rare: a crash).
  const after = side.pids();
  const used = cpuOf(after) - after.reduce((sum, pid) => sum + (before.get(pid) ?? 0), 0);
  return { run, peakRss, cpuMs: used };
}

export interface CompareOptions {
  concurrency: number;
  rounds: number;
  /** Requests per client before measuring, to compile graphs and warm caches. */
  warmup: number;
  /** Index of the first request: requests of other comparisons use other parameters. */
  first?: number;
}

/** Warms every side up, then alternates them for `rounds` rounds; each side's runs are summed. */
export async function compare(sides: Side[], options: CompareOptions): Promise<Measurement[]> {
  const { concurrency, rounds } = options;
  const first = options.first ?? 0;
  for (const side of sides) {
    if (options.warmup > 0)
      await runLoad(side.task, { concurrency, requests: concurrency * options.warmup, first });
    side.stats?.reset();
  }
  const results = sides.map(() => [] as RoundResult[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, side] of sides.entries()) {
      const requests = side.requests * concurrency;
      const start = first + concurrency * options.warmup + round * requests;
      results[i]?.push(await measuredRun(side, { concurrency, requests, first: start }));
    }
  }
  return results.map((sideResults, i) => {
    const side = sides[i] as Side;
    const summary = summarise(sideResults.map((result) => result.run));
    const cpu = sideResults.reduce((sum, result) => sum + result.cpuMs, 0);
    return {
      ...summary,
      peakRssMb: Math.max(...sideResults.map((result) => result.peakRss)) / MB,
      ...(side.cpu ? { cpuMsPerRequest: cpu / summary.requests } : {}),
      ...side.stats?.summary(),
    };
  });
}
