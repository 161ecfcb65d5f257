/** The figures `bench:origin` must reach (issue 21 and the speed issue before it). */
import type { SweepRow } from "./catalogue-sweep.ts";
import type { Measurement } from "./sides.ts";

export interface WorkloadRow extends Measurement {
  workload: string;
  description: string;
  quality?: number;
  ipx?: Measurement;
  baseline?: Measurement & { id: string; description: string };
  /** Origin requests/s over ipx's. */
  ratioToIpx?: number;
  /** Origin requests/s over the baseline's. */
  ratio?: number;
}

export interface TargetResult {
  name: string;
  measured: number;
  pass: boolean;
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
export const RSS_TARGET_MB = 500;
export const RSS_CONCURRENT_REQUESTS = 32;

function ratioOf(row: WorkloadRow, against: Target["against"]): number | undefined {
  if (against === "ipx") return row.ratioToIpx;
  return row.baseline?.id === against ? row.ratio : undefined;
}

export function checkTargets(rows: WorkloadRow[], peakRssMb: number | null): TargetResult[] {
  const results = TARGETS.flatMap((target) =>
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
  if (peakRssMb !== null) {
    results.push({
      name: `peak RSS under ${RSS_CONCURRENT_REQUESTS} concurrent W2 <= ${RSS_TARGET_MB} MB`,
      measured: peakRssMb,
      pass: peakRssMb <= RSS_TARGET_MB,
    });
  }
  return results;
}

/** Light work GEGL's general path must do faster than ipx: a grey conversion, a blur under 1 px. */
const isLightOperation = (nearest: string) =>
  nearest === "grayscale" || (nearest.startsWith("blur ") && Number(nearest.slice(5)) < 1);

/** Which of issue 21's bars a sweep row at concurrency 2 is held to, with the ratio each needs. */
function sweepBars(row: SweepRow): { bar: string; ratio: number }[] {
  const bars: { bar: string; ratio: number }[] = [];
  if (row.effectNodes >= 2) bars.push({ bar: "multi-node graph", ratio: 0.8 });
  if (row.effectNodes >= 1 && row.size === "12MP") bars.push({ bar: "large source", ratio: 1.0 });
  if (row.effectNodes === 1 && isLightOperation(row.nearest))
    bars.push({ bar: "light effect", ratio: 1.1 });
  return bars;
}

/**
 * Issue 21's bars on the catalogue sweep: every multi-node graph at 0.8x of ipx's nearest
 * operation, effects on the 12 MP source at 1.0x, light effects through GEGL at 1.1x (requests/s
 * at concurrency 2), and every cell's p50 at concurrency 1 at or below ipx's.
 */
export function checkSweepTargets(rows: SweepRow[]): TargetResult[] {
  return rows.flatMap((row) => {
    const cell = `${row.graph} ${row.size}`;
    // A cell with failed requests measured something else than the render: it cannot pass.
    const answered = row.origin.failures === 0;
    if (row.concurrency === 1) {
      const measured = row.ipx.p50Ms / row.origin.p50Ms;
      const name = `${cell} p50 @1 <= ipx's (ipx p50 / ours)`;
      return [{ name, measured, pass: answered && measured >= 1 }];
    }
    return sweepBars(row).map(({ bar, ratio }) => ({
      name: `${cell} (${bar}) >= ${ratio}x ipx ${row.nearest} @2`,
      measured: row.ratioToIpx,
      pass: answered && row.ratioToIpx >= ratio,
    }));
  });
}
