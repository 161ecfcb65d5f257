/** The figures `bench:origin` must reach (issue 21 and the speed issue before it). */
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
