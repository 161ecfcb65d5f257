import { describe, expect, it } from "vitest";
import { parseServerTiming, serverTimingHeader } from "./server-timing.ts";

describe("Server-Timing", () => {
  it("writes the steps that ran, in pipeline order", () => {
    expect(serverTimingHeader({ encode: 5, fetch: 12.345, render: 40 })).toBe(
      "fetch;dur=12.3, render;dur=40.0, encode;dur=5.0",
    );
  });

  it("reads back what it writes", () => {
    expect(parseServerTiming(serverTimingHeader({ fetch: 1.5, queue: 0 }))).toEqual([
      { name: "fetch", durationMs: 1.5, description: null },
      { name: "queue", durationMs: 0, description: null },
    ]);
  });

  it("reads other servers' entries: descriptions, quotes, no duration", () => {
    expect(parseServerTiming('cache;desc="hit", db;dur=2.5;desc=query , ,miss')).toEqual([
      { name: "cache", durationMs: null, description: "hit" },
      { name: "db", durationMs: 2.5, description: "query" },
      { name: "miss", durationMs: null, description: null },
    ]);
  });
});
