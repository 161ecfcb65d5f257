import { availableParallelism, cpus } from "node:os";

/** The machine a benchmark ran on, as its JSON records it. */
export function benchMachine(): { cpus: number; cpu: string; node: string } {
  return {
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
  };
}
