/** The tables `bench:origin` prints. */
import { RENDER_STEPS, type StepDurations } from "../../shared/server-timing.ts";
import type { SweepMeasurement, SweepRow } from "./catalogue-sweep.ts";
import type { TargetResult, WorkloadRow } from "./targets.ts";

export const fixed = (value: number | undefined, digits = 1) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "–";
const kb = (bytes: number | undefined) => (bytes === undefined ? "" : fixed(bytes / 1024, 1));
const times = (ratio: number | undefined) => (ratio === undefined ? "" : `${fixed(ratio, 2)}x`);

function formatTable(header: string[], lines: string[][]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => (line[i] as string).length)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, i) => cell.padStart(widths[i] as number)).join("  ");
  return [format(header), ...lines.map(format)];
}

const print = (header: string[], lines: string[][]) => {
  for (const line of formatTable(header, lines)) console.log(line);
};

const stepCells = (steps: StepDurations | undefined) =>
  RENDER_STEPS.map((step) => (steps?.[step] === undefined ? "" : fixed(steps[step])));

export function printWorkloads(
  rows: WorkloadRow[],
  origin: { renderConcurrency: number; workers: number; geglThreads: number },
): void {
  const header = [
    ...["workload", "conc", "renders/s", "p50 ms", "p99 ms", "ipx r/s", "ipx p99", "vs ipx"],
    ...["q", "KB", "ipx KB", "CPU ms", "ipx CPU", "peak RSS MB", "base", "base r/s", "vs base"],
  ];
  const lines = rows.map((row) => {
    const { baseline: base, ipx } = row;
    return [
      row.workload,
      String(row.concurrency),
      fixed(row.perSecond),
      fixed(row.p50Ms, 0),
      fixed(row.p99Ms, 0),
      ipx ? fixed(ipx.perSecond) : "",
      ipx ? fixed(ipx.p99Ms, 0) : "",
      times(row.ratioToIpx),
      row.quality !== undefined ? String(row.quality) : "",
      kb(row.meanBytes),
      kb(ipx?.meanBytes),
      fixed(row.cpuMsPerRequest),
      ipx ? fixed(ipx.cpuMsPerRequest) : "",
      fixed(row.peakRssMb, 0),
      base ? `(${base.id})` : "",
      base ? fixed(base.perSecond, 2) : "",
      times(row.ratio),
    ];
  });
  console.log(
    `\norigin: ${origin.workers} GEGL workers x ${origin.geglThreads} GEGL threads, RENDER_CONCURRENCY ${origin.renderConcurrency}`,
  );
  console.log(
    "ipx = ipx 3 (sharp) on loopback at the same quality q; (a) = gegl CLI spawned per request, (b) = sharp in-process\n",
  );
  print(header, lines);
  console.log("\nServer-Timing, mean ms per render:\n");
  print(
    ["workload", "conc", ...RENDER_STEPS],
    rows.map((row) => [row.workload, String(row.concurrency), ...stepCells(row.stepsMs)]),
  );
}

const failed = (measurement: SweepMeasurement | undefined) =>
  measurement && measurement.failures > 0 ? ` (${measurement.failures} failed)` : "";

/** One line per graph and size: latency at concurrency 1, throughput at 2, stages at 1. */
export function printSweep(rows: SweepRow[]): void {
  const header = [
    ...["graph", "size", "ipx op", "p50 ms", "ipx p50", "p50 vs", "r/s @2", "ipx r/s", "vs ipx"],
    ...["CPU ms", "ipx CPU", "RSS MB", "ipx RSS", ...RENDER_STEPS],
  ];
  const cells = new Map<string, SweepRow[]>();
  for (const row of rows) {
    const key = `${row.graph} ${row.size}`;
    cells.set(key, [...(cells.get(key) ?? []), row]);
  }
  const lines = [...cells.values()].map((cell) => {
    const one = cell.find((row) => row.concurrency === 1);
    const two = cell.find((row) => row.concurrency === 2);
    const first = cell[0] as SweepRow;
    return [
      first.graph,
      first.size,
      first.nearest,
      `${fixed(one?.origin.p50Ms, 0)}${failed(one?.origin)}`,
      fixed(one?.ipx.p50Ms, 0),
      one ? times(one.ipx.p50Ms / one.origin.p50Ms) : "",
      `${fixed(two?.origin.perSecond, 2)}${failed(two?.origin)}`,
      fixed(two?.ipx.perSecond, 2),
      times(two?.ratioToIpx),
      fixed(one?.origin.cpuMsPerRequest, 0),
      fixed(one?.ipx.cpuMsPerRequest, 0),
      fixed(Math.max(one?.origin.peakRssMb ?? 0, two?.origin.peakRssMb ?? 0), 0),
      fixed(Math.max(one?.ipx.peakRssMb ?? 0, two?.ipx.peakRssMb ?? 0), 0),
      ...stepCells(one?.origin.stepsMs),
    ];
  });
  console.log(
    "\ncatalogue sweep: origin vs ipx's nearest operation, same input and output size, JPEG q85." +
      "\np50 at concurrency 1 (p50 vs: ipx's p50 over the origin's, > 1 is faster), r/s at 2;" +
      "\nCPU ms per request (origin with its workers), peak RSS, Server-Timing ms at 1:\n",
  );
  print(header, lines);
}

export function printTargets(targets: TargetResult[]): void {
  console.log("\ntargets:");
  for (const target of targets) {
    console.log(`  ${target.pass ? "PASS" : "FAIL"}  ${target.name}: ${fixed(target.measured, 2)}`);
  }
}
