import { describe, expect, it } from "vitest";
import { timedSteps } from "./timing-bar.ts";

describe("timedSteps", () => {
  it("gives each timed step its share of the total", () => {
    expect(timedSteps("fetch;dur=10.0, decode;dur=30.0, render;dur=60.0")).toEqual([
      { name: "fetch", ms: 10, share: 0.1 },
      { name: "decode", ms: 30, share: 0.3 },
      { name: "render", ms: 60, share: 0.6 },
    ]);
  });

  it("leaves out entries without a duration, and copes with none at all", () => {
    expect(timedSteps("cache;desc=hit")).toEqual([]);
    expect(timedSteps(null)).toEqual([]);
    expect(timedSteps("queue;dur=0")).toEqual([{ name: "queue", ms: 0, share: 0 }]);
  });
});
