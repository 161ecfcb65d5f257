import { parseServerTiming, RENDER_STEPS, type StepDurations } from "../../shared/server-timing.ts";
import type { Response200 } from "./sides.ts";

export interface ResponseSummary {
  /** Mean bytes of a response. */
  meanBytes: number;
  /** Mean Server-Timing step durations, from the origin. */
  stepsMs?: StepDurations;
}

/** What the responses of one side were: their bytes and, from the origin, step durations. */
export class ResponseStats {
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

  summary(): ResponseSummary {
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
