import { readdirSync, readFileSync } from "node:fs";
import { rssBytes } from "../../origin/process-memory.ts";

const TICK_MS = 10; // USER_HZ is 100 on Linux.

/**
 * The fields of /proc/<pid>/stat after the command name (which may contain spaces): [0] is the
 * state, [1] the parent pid, [11] and [12] user and system time in ticks. null once it has ended.
 */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** CPU time a process has used so far (user and system, every thread), 0 once it has ended. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * TICK_MS : 0;
}

/** A process and all its descendants (children, grandchildren, ...). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // Null: the process ended while the list was read.
    if (!fields) continue;
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/** Samples the summed RSS of a set of processes until stopped; reports the peak. */
export class PeakRssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(pids: () => number[], intervalMs = 50) {
    const sample = () => {
      const total = pids().reduce((sum, pid) => sum + rssBytes(pid), 0);
      this.peak = Math.max(this.peak, total);
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  stop(): number {
    clearInterval(this.timer);
    return this.peak;
  }
}
