import { describe, expect, it } from "vitest";
import { createLogger, type RequestLogEntry } from "./log.ts";

const entry: RequestLogEntry = {
  requestId: "r-1",
  method: "GET",
  path: "/graph/gaussianblur.png",
  status: 200,
  durationMs: 41.26,
  graph: "gaussianblur",
  format: "png",
  bytes: 1234,
  steps: { fetch: 3.14, render: 30.05 },
  workerPid: 42,
};

function lines(format: "json" | "pretty", log: (logger: ReturnType<typeof createLogger>) => void) {
  const written: string[] = [];
  log(createLogger(format, (line) => written.push(line)));
  return written;
}

describe("createLogger", () => {
  it("writes one JSON object per request, durations to 0.1 ms", () => {
    const [line] = lines("json", (logger) => logger.request(entry));
    expect(JSON.parse(line as string)).toEqual({
      time: expect.any(String),
      level: "info",
      msg: "request",
      ...entry,
      durationMs: 41.3,
      steps: { fetch: 3.1, render: 30.1 },
    });
  });

  it("logs server failures as errors with their cause", () => {
    const [line] = lines("json", (logger) =>
      logger.request({ ...entry, status: 500, cause: "Error: boom\n    at x" }),
    );
    expect(JSON.parse(line as string)).toMatchObject({
      level: "error",
      cause: "Error: boom\n    at x",
    });
  });

  it("writes one readable line per request for people", () => {
    const [line] = lines("pretty", (logger) => logger.request(entry));
    expect(line).toBe(
      "origin: GET /graph/gaussianblur.png 200 41 ms 1234 B [fetch 3, render 30] worker 42 id=r-1",
    );
  });

  it("writes service messages in either format", () => {
    expect(lines("pretty", (logger) => logger.info("ready"))).toEqual(["origin: ready"]);
    expect(JSON.parse(lines("json", (logger) => logger.info("ready"))[0] as string)).toMatchObject({
      level: "info",
      msg: "ready",
    });
  });
});
