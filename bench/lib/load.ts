/** A closed-loop load: `concurrency` clients, each sending its next request when the last one ends. */
export interface LoadRun {
  concurrency: number;
  latenciesMs: number[];
  seconds: number;
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** Runs `task(first)` .. `task(first + requests - 1)`; a failing task fails the run. */
export async function runLoad(
  task: (index: number) => Promise<void>,
  options: { concurrency: number; requests: number; first?: number },
): Promise<LoadRun> {
  const latenciesMs: number[] = [];
  const first = options.first ?? 0;
  let next = first;
  const client = async () => {
    for (let index = next++; index < first + options.requests; index = next++) {
      const start = performance.now();
      await task(index);
      latenciesMs.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return {
    concurrency: options.concurrency,
    latenciesMs,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Several runs of the same load as one result: total requests over total time. */
export function summarise(runs: readonly LoadRun[]): LoadResult {
  const latencies = runs.flatMap((run) => run.latenciesMs).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    requests: latencies.length,
    concurrency: runs[0]?.concurrency ?? 0,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
