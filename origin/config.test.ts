import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

describe("readConfig", () => {
  it("has the documented defaults", () => {
    const cores = availableParallelism();
    expect(readConfig({})).toEqual({
      port: 8080,
      host: "127.0.0.1",
      originSecret: null,
      renderConcurrency: cores,
      maxQueue: 256,
      maxInputBytes: 25 * 1024 * 1024,
      maxPixels: 40_000_000,
      fetchTimeoutMs: 20_000,
      renderTimeoutMs: 30_000,
      allowPrivateInputs: false,
      geglThreads: 1,
      runtimePort: null,
      runtimeSecret: null,
      runtimeSaveDir: null,
      runtimePublicUrl: null,
    });
  });

  it("reads every variable", () => {
    const config = readConfig({
      PORT: "9000",
      HOST: "0.0.0.0",
      ORIGIN_SECRET: "s",
      RENDER_CONCURRENCY: "1",
      MAX_QUEUE: "0",
      MAX_INPUT_BYTES: "1000",
      MAX_PIXELS: "5000",
      FETCH_TIMEOUT_MS: "100",
      RENDER_TIMEOUT_MS: "200",
      ALLOW_PRIVATE_INPUTS: "yes",
      GEGL_THREADS: "3",
    });
    expect(config).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      originSecret: "s",
      renderConcurrency: 1,
      maxQueue: 0,
    });
    expect(config).toMatchObject({
      maxInputBytes: 1000,
      maxPixels: 5000,
      fetchTimeoutMs: 100,
      renderTimeoutMs: 200,
    });
    expect(config).toMatchObject({ allowPrivateInputs: true, geglThreads: 3 });
  });

  it("turns the FBP runtime on only with a port and a long enough secret", () => {
    const secret = "0123456789abcdef";
    expect(readConfig({ RUNTIME_PORT: "3569", RUNTIME_SECRET: secret })).toMatchObject({
      runtimePort: 3569,
      runtimeSecret: secret,
    });
    expect(() => readConfig({ RUNTIME_PORT: "3569" })).toThrow("RUNTIME_SECRET");
    expect(() => readConfig({ RUNTIME_PORT: "3569", RUNTIME_SECRET: "short" })).toThrow(
      "RUNTIME_SECRET",
    );
  });

  it("sizes GEGL threads so that workers x threads = cores", () => {
    expect(readConfig({ RENDER_CONCURRENCY: "1" }).geglThreads).toBe(availableParallelism());
  });

  it.each([
    ["PORT", "http"],
    ["RENDER_CONCURRENCY", "0"],
    ["MAX_PIXELS", "1.5"],
    ["ALLOW_PRIVATE_INPUTS", "maybe"],
  ])("refuses %s=%s, naming the variable", (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });
});
