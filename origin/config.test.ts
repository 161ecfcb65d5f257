import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

const GIB = 1024 ** 3;
const machine = { cgroupLimit: null, totalMemory: 16 * GIB };

describe("readConfig", () => {
  it("has the documented defaults", () => {
    const cores = availableParallelism();
    expect(readConfig({}, machine)).toEqual({
      port: 8080,
      host: "127.0.0.1",
      originSecret: null,
      renderConcurrency: cores,
      maxQueue: 256,
      maxDownloads: 32,
      maxDownloadsPerHost: 8,
      maxRenderMemory: 8 * GIB,
      maxInputBytes: 25 * 1024 * 1024,
      maxPixels: 40_000_000,
      fetchTimeoutMs: 20_000,
      inputCacheTtlMs: 5000,
      inputCacheBytes: 64 * 1024 * 1024,
      renderTimeoutMs: 30_000,
      allowPrivateInputs: false,
      geglThreads: 1,
      geglCacheMib: 3000,
      workerDirectBlur: true,
      workerFastConversions: true,
      workerPointChains: true,
      operationSwaps: true,
      workerInput: "u16",
      workerMaxPayloadBytes: 1024 ** 3,
      workerWarmUp: true,
      loneRenderThreads: cores,
      metricsPort: null,
      logFormat: "json",
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
      MAX_DOWNLOADS: "4",
      MAX_DOWNLOADS_PER_HOST: "2",
      MAX_RENDER_MEMORY: "1000000",
      MAX_INPUT_BYTES: "1000",
      MAX_PIXELS: "5000",
      FETCH_TIMEOUT_MS: "100",
      INPUT_CACHE_TTL_MS: "0",
      INPUT_CACHE_BYTES: "10",
      RENDER_TIMEOUT_MS: "200",
      ALLOW_PRIVATE_INPUTS: "yes",
      GEGL_THREADS: "3",
      METRICS_PORT: "9100",
      LOG_FORMAT: "pretty",
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
      inputCacheTtlMs: 0,
      inputCacheBytes: 10,
      renderTimeoutMs: 200,
    });
    expect(config).toMatchObject({ allowPrivateInputs: true, geglThreads: 3 });
    expect(config).toMatchObject({ metricsPort: 9100, logFormat: "pretty" });
    expect(config).toMatchObject({
      maxDownloads: 4,
      maxDownloadsPerHost: 2,
      maxRenderMemory: 1_000_000,
    });
  });

  it("budgets render memory at 3/4 of the container's limit, else half the machine's memory", () => {
    const container = { cgroupLimit: 4 * GIB, totalMemory: 16 * GIB };
    expect(readConfig({}, container).maxRenderMemory).toBe(3 * GIB);
    expect(readConfig({}, machine).maxRenderMemory).toBe(8 * GIB);
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

  it("gives a lone render every core unless told otherwise", () => {
    expect(readConfig({}).loneRenderThreads).toBe(availableParallelism());
    expect(readConfig({ LONE_RENDER_THREADS: "1" }).loneRenderThreads).toBe(1);
  });

  it.each([
    ["PORT", "http"],
    ["RENDER_CONCURRENCY", "0"],
    ["MAX_PIXELS", "1.5"],
    ["ALLOW_PRIVATE_INPUTS", "maybe"],
    ["METRICS_PORT", "-1"],
    ["LOG_FORMAT", "xml"],
    ["IMGFLO_WORKER_INPUT", "u32"],
    ["IMGFLO_WORKER_MAX_PAYLOAD_BYTES", "0"],
    ["GEGL_CACHE_SIZE", "lots"],
  ])("refuses %s=%s, naming the variable", (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });
});
