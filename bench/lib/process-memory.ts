import { readdirSync, readFileSync } from "node:fs";
import { rssBytes } from "../../origin/process-memory.ts";

/** A process and all its descendants (children, grandchildren, ...). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name (field 2) may contain spaces; the parent pid is the 2nd field after it.
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while the list was read.
    }
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
