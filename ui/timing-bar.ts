import { parseServerTiming } from "../shared/server-timing.ts";
import { h } from "./create-element.ts";

/** One timed step of a render, with its share of the total. */
export interface TimedStep {
  name: string;
  ms: number;
  /** 0..1 of the sum of all steps. */
  share: number;
}

/** The timed entries of a `Server-Timing` header (entries without a duration are left out). */
export function timedSteps(header: string | null): TimedStep[] {
  const timed = parseServerTiming(header ?? "").filter(
    (entry): entry is typeof entry & { durationMs: number } => entry.durationMs !== null,
  );
  const total = timed.reduce((sum, entry) => sum + entry.durationMs, 0);
  return timed.map((entry) => ({
    name: entry.name,
    ms: entry.durationMs,
    share: total > 0 ? entry.durationMs / total : 0,
  }));
}

const label = (step: TimedStep) =>
  `${step.name} ${step.ms < 10 ? step.ms.toFixed(1) : Math.round(step.ms)} ms`;

/** A small stacked bar of the render's steps, with a legend; hidden when there are none. */
export function showTimingBar(container: HTMLElement, steps: TimedStep[]): void {
  container.replaceChildren();
  container.hidden = steps.length === 0;
  if (steps.length === 0) return;
  const bar = h(
    "div",
    { class: "timing-bar", role: "img", "aria-label": steps.map(label).join(", ") },
    steps.map((step) =>
      h("span", {
        class: "timing-segment",
        "data-step": step.name,
        title: label(step),
        style: `flex-grow: ${step.share}`,
      }),
    ),
  );
  const legend = h(
    "ul",
    { class: "timing-legend" },
    steps.map((step) => h("li", { "data-step": step.name }, [label(step)])),
  );
  container.appendChild(bar);
  container.appendChild(legend);
}
