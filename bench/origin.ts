/**
 * `npm run bench:origin`: the origin's throughput, latency, CPU, output bytes and memory against
 * ipx (the sharp-based image server, same machine, same fixtures, same run), against the classic
 * architecture (one `gegl` process per request) and against sharp alone, on the workloads W1..W7
 * (origin/workloads.ts) and on every catalogue graph at three sizes (origin/catalogue-sweep.ts).
 * `BENCH_ONLY=W1,W2,rss,sweep` runs some parts. Writes bench/results/origin.json and prints
 * tables. Not a test: figures depend on the machine.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { DEFAULT_INPUT_CACHE_TTL_MS } from "../origin/config.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { PeakRssSampler, processTree } from "./lib/process-memory.ts";
import { WORKLOAD_PATHS } from "./lib/workload-paths.ts";
import { runSweep, type SweepRow, type SweepServers, sweepMode } from "./origin/catalogue-sweep.ts";
import { LARGE_SOURCE, writeLargeSource } from "./origin/large-source.ts";
import { hasGeglCli, startIpx } from "./origin/servers.ts";
import { compare, getOk, httpSide, type Measurement, type Side } from "./origin/sides.ts";
import { fixed, printSweep, printTargets, printWorkloads } from "./origin/tables.ts";
import {
  checkSweepTargets,
  checkTargets,
  RSS_CONCURRENT_REQUESTS,
  type WorkloadRow,
} from "./origin/targets.ts";
import { type Workload, workloads } from "./origin/workloads.ts";

const RESULTS = new URL("results/origin.json", import.meta.url);
const MB = 1024 * 1024;
// The sides take turns, so that load from elsewhere on the machine hits all of them.
const ROUNDS = 3;
const CONCURRENCIES = [1, 2];

interface Run {
  servers: SweepServers;
  /** This process and what it spawned (gegl for baseline (a)), less the servers' processes. */
  baselinePids: () => number[];
  gegl: boolean;
}

async function measureWorkload(run: Run, workload: Workload): Promise<WorkloadRow[]> {
  const { origin, ipx, input } = run.servers;
  const baseline =
    workload.baseline && (workload.baseline.id === "b" || run.gegl) ? workload.baseline : undefined;
  const rows: WorkloadRow[] = [];
  for (const concurrency of CONCURRENCIES) {
    const sides: Side[] = [
      httpSide(origin.url, (i) => workload.path(i, input), workload.requests, origin.pids),
    ];
    if (workload.ipx) sides.push(httpSide(ipx.url, workload.ipx, workload.requests, ipx.pids));
    if (baseline)
      sides.push({ task: baseline.run, requests: baseline.requests, pids: run.baselinePids });
    const [ours, ...others] = (await compare(sides, {
      concurrency,
      rounds: ROUNDS,
      warmup: 2,
    })) as [Measurement, ...Measurement[]];
    const row: WorkloadRow = {
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
  return rows;
}

/** Peak memory of the origin (its node process and GEGL workers) under 32 concurrent W2 renders. */
async function peakRssUnderLoad(run: Run): Promise<number> {
  const { origin, input } = run.servers;
  const sampler = new PeakRssSampler(origin.pids, 25);
  await Promise.all(
    Array.from({ length: RSS_CONCURRENT_REQUESTS }, (_, i) =>
      getOk(new URL(WORKLOAD_PATHS.W2(i + 20, input), origin.url)),
    ),
  );
  return sampler.stop() / MB;
}

async function startServers(scratch: string): Promise<{
  fixtures: FixtureServer;
  origin: OriginProcess;
  ipx: Awaited<ReturnType<typeof startIpx>>;
}> {
  const fixtures = await startFixtureServer();
  fixtures.add(`/images/${LARGE_SOURCE}`, await writeLargeSource(scratch), "image/jpeg");
  const origin = await startOrigin({
    ALLOW_PRIVATE_INPUTS: "1",
    // Every input comes from the one fixture server: 32 concurrent renders need 32 downloads.
    MAX_DOWNLOADS_PER_HOST: String(RSS_CONCURRENT_REQUESTS),
    // The test harness turns the input cache off; the bench measures the default.
    INPUT_CACHE_TTL_MS: String(DEFAULT_INPUT_CACHE_TTL_MS),
  });
  return { fixtures, origin, ipx: await startIpx([scratch]) };
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(",");
  const runs = (part: string) => !only || only.includes(part);
  const mode = runs("sweep") ? sweepMode() : null;
  const scratch = await mkdtemp(join(tmpdir(), "imgflo-bench-"));
  const { fixtures, origin, ipx } = await startServers(scratch);
  const originPids = () => processTree(origin.pid);
  const ipxPids = () => processTree(ipx.pid);
  const run: Run = {
    servers: {
      origin: { url: origin.url, pids: originPids },
      ipx: { url: ipx.url, pids: ipxPids },
      input: (name) => encodeURIComponent(fixtures.at(`images/${name}`)),
    },
    baselinePids: () => {
      const excluded = new Set([...originPids(), ...ipxPids()]);
      return processTree(process.pid).filter((pid) => !excluded.has(pid));
    },
    gegl: hasGeglCli(),
  };
  try {
    const rows: WorkloadRow[] = [];
    for (const workload of await workloads(scratch)) {
      if (runs(workload.id)) rows.push(...(await measureWorkload(run, workload)));
    }
    const peakRssMb = runs("rss") ? await peakRssUnderLoad(run) : null;
    const sweep: SweepRow[] = mode ? await runSweep(run.servers, mode) : [];
    const targets = [...checkTargets(rows, peakRssMb), ...checkSweepTargets(sweep)];
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
      notes: run.gegl ? [] : ["the gegl command-line tool is missing: baseline (a) not measured"],
      workloads: rows,
      peakRssUnder32ConcurrentW2Mb: peakRssMb,
      sweep: { mode, rows: sweep },
      targets,
    };
    await mkdir(new URL(".", RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    if (rows.length > 0) printWorkloads(rows, report.origin);
    if (sweep.length > 0) printSweep(sweep);
    printTargets(targets);
    console.log(`\nwritten to ${RESULTS.pathname}`);
  } finally {
    ipx.stop();
    await origin.stop();
    await fixtures.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
