/** The steps of a render as the origin times them, in the order they run. */
export const RENDER_STEPS = ["fetch", "decode", "queue", "render", "encode"] as const;
export type RenderStep = (typeof RENDER_STEPS)[number];

/** Milliseconds spent in each step that ran. */
export type StepDurations = Partial<Record<RenderStep, number>>;

/** A `Server-Timing` header value (`fetch;dur=12.3, render;dur=40.1`), steps in pipeline order. */
export function serverTimingHeader(durations: StepDurations): string {
  return RENDER_STEPS.filter((step) => durations[step] !== undefined)
    .map((step) => `${step};dur=${(durations[step] as number).toFixed(1)}`)
    .join(", ");
}

export interface TimingEntry {
  name: string;
  /** Milliseconds; null for entries without `dur` (e.g. `cache;desc=hit`). */
  durationMs: number | null;
  description: string | null;
}

const PARAMETER = /^\s*([A-Za-z]+)\s*=\s*"?([^"]*?)"?\s*$/;

/** Parses any `Server-Timing` header value (RFC: `name;dur=…;desc=…`, comma-separated). */
export function parseServerTiming(header: string): TimingEntry[] {
  return header
    .split(",")
    .map((part) => part.split(";"))
    .filter(([name]) => name !== undefined && name.trim() !== "")
    .map(([name, ...parameters]) => {
      const entry: TimingEntry = {
        name: (name as string).trim(),
        durationMs: null,
        description: null,
      };
      for (const parameter of parameters) {
        const [, key, value] = PARAMETER.exec(parameter) ?? [];
        if (key === "dur" && value && Number.isFinite(Number(value)))
          entry.durationMs = Number(value);
        if (key === "desc" && value !== undefined) entry.description = value;
      }
      return entry;
    });
}
